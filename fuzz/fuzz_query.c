/* fuzz_query.c: libFuzzer target: query_number on any query string, as GET /delay?ms=N uses it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* GET /delay's bound (http.c); INT64_MAX reaches the overflow guard. */
#define DELAY_MAX_MS	60000

static void	 number(const char *, const char *, int64_t);
static void	 check_found(const char *, const char *, int64_t);

/*
 * A number found must be the one "key=digits" segment of the query, read
 * again here the plain way.
 */
static void
check_found(const char *query, const char *key, int64_t n)
{
	char	*copy, *seg, *save, *v;
	size_t	 keylen = strlen(key);
	int64_t	 m;
	int	 found = 0;

	if ((copy = strdup(query)) == NULL)
		abort();
	for (seg = strtok_r(copy, "&", &save); seg != NULL;
	    seg = strtok_r(NULL, "&", &save)) {
		if (strncmp(seg, key, keylen) != 0 || seg[keylen] != '=')
			continue;
		found++;
		v = seg + keylen + 1;
		FUZZ_CHECK(*v != '\0' && v[strspn(v, "0123456789")] == '\0');
		for (m = 0; *v != '\0'; v++)
			m = m * 10 + (*v - '0');
		FUZZ_CHECK(m == n);
	}
	FUZZ_CHECK(found == 1);
	free(copy);
}

static void
number(const char *query, const char *key, int64_t max)
{
	int64_t	n = -1;

	if (query_number(query, key, max, &n) == 0) {
		FUZZ_CHECK(n >= 0 && n <= max);
		check_found(query, key, n);
	} else
		FUZZ_CHECK(n == -1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*query = fuzz_text(data, size);

	number(query, "ms", DELAY_MAX_MS);
	number(query, "ms", INT64_MAX);
	/* A key that is a prefix of the other: "ms=1" is not "m". */
	number(query, "m", DELAY_MAX_MS);
	free(query);
	return 0;
}
