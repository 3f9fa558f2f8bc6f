/* size.c: byte counts: "8k", "1m", "1g" or plain bytes parsed within bounds; a count as decimal text. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgroup.h"

static const struct {
	char	 suffix;
	int64_t	 bytes;
} units[] = {
	{ 'k', 1024 },
	{ 'm', 1024 * 1024 },
	{ 'g', 1024 * 1024 * 1024 },
};

/*
 * Parse text as a size from min to max bytes: a decimal number, alone or
 * followed by one of k, m, g (or K, M, G) for KiB, MiB, GiB.  On error
 * returns -1 and points why at a short reason.
 */
int
size_parse(const char *text, int64_t min, int64_t max, int64_t *bytes,
    const char **why)
{
	char		*end;
	long long	 n;
	int64_t		 unit = 1;
	size_t		 i;

	if (!isdigit((unsigned char)text[0])) {
		*why = "not a size (expected a number, then k, m or g)";
		return -1;
	}
	errno = 0;
	n = strtoll(text, &end, 10);
	if (*end != '\0') {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (tolower((unsigned char)end[0]) == units[i].suffix)
				unit = units[i].bytes;
		if (unit == 1 || end[1] != '\0') {
			*why = "unknown size unit (use k, m or g)";
			return -1;
		}
	}
	if (errno == ERANGE || n > max / unit) {
		*why = "size too large";
		return -1;
	}
	if (n * unit < min) {
		*why = "size too small";
		return -1;
	}
	*bytes = n * unit;
	return 0;
}

/*
 * Write n in decimal into buf, which holds SIZE_TEXT_MAX bytes, and return
 * it: the Content-Length of every reply, cheaper than snprintf.
 */
char *
size_text(uint64_t n, char buf[SIZE_TEXT_MAX])
{
	char	*p = buf + SIZE_TEXT_MAX - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	return p;
}
