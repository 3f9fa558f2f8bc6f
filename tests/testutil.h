/* testutil.h: what the small test programs share: strict numbers from the command line, a replayable PRNG. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdint.h>

long		 testutil_number(const char *, const char *, long, long);
uint64_t	 testutil_random(uint64_t *);

#endif /* TESTUTIL_H */
