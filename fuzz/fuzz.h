/* fuzz.h: what the libFuzzer targets share: the entry points libFuzzer calls, the input as a C string, and the check that turns a broken promise into a crash. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* By path, as the tests do: the fuzz build gives no -I for src/. */
#include "../src/forkgroup.h"

/* libFuzzer calls these; declared here for -Wmissing-prototypes. */
int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

char	*fuzz_text(const uint8_t *, size_t);
void	 fuzz_fail(const char *, int, const char *)
	    __attribute__((noreturn));

/*
 * A parser that returns without crashing can still break what its callers
 * rely on: such a result is a crash too, so that libFuzzer keeps the input.
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

#endif /* FUZZ_H */
