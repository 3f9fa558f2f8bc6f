/* testutil.c: what the small test programs share: strict numbers from the command line, a replayable PRNG, a monotonic clock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "testutil.h"

/* A whole decimal from min to max, or a usage error (exit 2) naming prog. */
long
testutil_number(const char *prog, const char *text, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || *text == '\0' || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "%s: bad number \"%s\"\n", prog, text);
		exit(2);
	}
	return n;
}

/* xorshift64*: the same seed gives the same sequence, so a failure can be replayed. */
uint64_t
testutil_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

/* Milliseconds on CLOCK_MONOTONIC, for deadlines. */
int64_t
testutil_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
