/* clock.c: monotonic milliseconds (and microseconds for systemd), and milliseconds as the timeval libevent wants, for parent and child alike. */
#include <time.h>

#include "forkgroup.h"

/* Never wall-clock time: a clock step must not stretch or cut a timeout. */
int64_t
clock_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;	/* cannot fail for CLOCK_MONOTONIC */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The same clock in microseconds: MONOTONIC_USEC= of sd_notify. */
int64_t
clock_us(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Durations stay integer milliseconds until the libevent call. */
struct timeval
clock_timeval(int64_t ms)
{
	return (struct timeval){ .tv_sec = ms / 1000,
	    .tv_usec = (ms % 1000) * 1000 };
}
