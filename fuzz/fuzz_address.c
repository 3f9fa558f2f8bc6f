/* fuzz_address.c: libFuzzer target: address_parse on any listen value, and what it parsed back through address_format. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct address	 addr, again;
	char		*text = fuzz_text(data, size);
	char		 buf[FG_ADDRSTRLEN];
	const char	*why = NULL;

	if (address_parse(text, &addr, &why) == 0) {
		FUZZ_CHECK(why == NULL);
		FUZZ_CHECK(addr.ss.ss_family == AF_INET ||
		    addr.ss.ss_family == AF_INET6);
		/* Logs and /status show the formatted text: it must fit... */
		address_format(&addr, buf, sizeof(buf));
		FUZZ_CHECK(strlen(buf) < sizeof(buf) - 1);
		/* ...and name the very address that was parsed. */
		FUZZ_CHECK(address_parse(buf, &again, &why) == 0);
		FUZZ_CHECK(address_equal(&addr, &again));
		FUZZ_CHECK(addr.len == again.len);
	} else
		FUZZ_CHECK(why != NULL);
	free(text);
	return 0;
}
