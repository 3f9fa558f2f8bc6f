/* duration.c: "250ms", "5s", "2m" to integer milliseconds, with an upper bound. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgroup.h"

static const struct {
	const char	*suffix;
	int64_t		 ms;
} units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
};

/*
 * Parse text as a duration no longer than max_ms.  A bare "0" needs no unit;
 * any other number must carry one, so "5" is never silently 5 ms or 5 s.
 * On error returns -1 and points why at a short reason.
 */
int
duration_parse(const char *text, int64_t max_ms, int64_t *ms, const char **why)
{
	char		*end;
	long long	 n;
	size_t		 i;

	if (!isdigit((unsigned char)text[0])) {
		*why = "not a duration (expected a number and ms, s or m)";
		return -1;
	}
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno == ERANGE || n > max_ms) {
		*why = "duration too long";
		return -1;
	}
	if (*end == '\0') {
		if (n != 0) {
			*why = "duration needs a unit (ms, s or m)";
			return -1;
		}
		*ms = 0;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (n > max_ms / units[i].ms) {
			*why = "duration too long";
			return -1;
		}
		*ms = n * units[i].ms;
		return 0;
	}
	*why = "unknown duration unit (use ms, s or m)";
	return -1;
}
