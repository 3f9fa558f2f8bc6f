/* fuzz.c: the helpers every libFuzzer target links: the input as a C string, and the failed check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/*
 * The input as the parsers get text in the daemon: NUL-terminated, so cut
 * at its first NUL byte.  A fresh allocation of the exact size, so that
 * AddressSanitizer sees a read past its end.
 */
char *
fuzz_text(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}
