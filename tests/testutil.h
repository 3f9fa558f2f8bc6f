/* testutil.h: what the small test and benchmark programs share: strict numbers from the command line, a replayable PRNG, a monotonic clock. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdint.h>

long		 testutil_number(const char *, const char *, long, long);
uint64_t	 testutil_random(uint64_t *);
int64_t		 testutil_now_ns(void);
int64_t		 testutil_now_us(void);
int64_t		 testutil_now_ms(void);

#endif /* TESTUTIL_H */
