/* query.c: the numeric parameters of a request's query string, e.g. /delay?ms=250. */
#include <string.h>

#include "forkgroup.h"

/*
 * Find key=N in query ("a=1&ms=250") and store N, a decimal from 0 to max
 * with no sign, no blanks and no percent-encoding.  A key given twice is an
 * error: which one wins would be a guess.  On error *out is left alone.
 */
int
query_number(const char *query, const char *key, int64_t max, int64_t *out)
{
	size_t		 keylen = strlen(key), len;
	const char	*p, *end, *value;
	int64_t		 n = 0, digit;
	bool		 found = false;

	if (query == NULL)
		return -1;
	for (p = query; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = p + strcspn(p, "&");
		len = (size_t)(end - p);
		if (len <= keylen || p[keylen] != '=' ||
		    strncmp(p, key, keylen) != 0)
			continue;
		if (found)
			return -1;
		found = true;
		if (p + keylen + 1 == end)
			return -1;
		for (value = p + keylen + 1; value < end; value++) {
			if (*value < '0' || *value > '9')
				return -1;
			digit = *value - '0';
			/* n * 10 + digit > max, asked without overflowing */
			if (digit > max || n > (max - digit) / 10)
				return -1;
			n = n * 10 + digit;
		}
	}
	if (!found)
		return -1;
	*out = n;
	return 0;
}
