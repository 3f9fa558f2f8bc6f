/* testutil.c: what the small test and benchmark programs share: strict numbers from the command line, a replayable PRNG, a monotonic clock. */
/* clock_gettime: POSIX, which -std=c11 hides (bench/run builds without -D_GNU_SOURCE). */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
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

/* Nanoseconds on CLOCK_MONOTONIC, for deadlines, timings and pacing. */
int64_t
testutil_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
testutil_now_us(void)
{
	return testutil_now_ns() / 1000;
}

int64_t
testutil_now_ms(void)
{
	return testutil_now_ns() / 1000000;
}
