/* fuzz_duration.c: libFuzzer target: duration_parse on any text, under each bound the configuration uses. */
#include <stdlib.h>

#include "fuzz.h"

static void	 parse(const char *, int64_t);

/* What config.c relies on: a result within 0..max, or a reason. */
static void
parse(const char *text, int64_t max)
{
	const char	*why = NULL;
	int64_t		 ms = -1;

	if (duration_parse(text, max, &ms, &why) == 0) {
		FUZZ_CHECK(why == NULL);
		FUZZ_CHECK(ms >= 0 && ms <= max);
	} else {
		FUZZ_CHECK(why != NULL);
		FUZZ_CHECK(ms == -1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text = fuzz_text(data, size);

	parse(text, CONFIG_TIMEOUT_MAX_MS);
	parse(text, CONFIG_EXIT_AFTER_MAX_MS);
	/* The widest bound: the unit's product must not overflow either. */
	parse(text, INT64_MAX);
	free(text);
	return 0;
}
