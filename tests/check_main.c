/* check_main.c: the one runner of every unit test suite; CK_RUN_SUITE=config (or CK_RUN_CASE=...) in the environment runs one alone. */
#include <stdlib.h>

#include "check_suites.h"

static Suite *(*const suites[])(void) = {
	duration_suite,
	address_suite,
	config_suite,
	group_suite,
	query_suite,
	proctitle_suite,
	selfpipe_suite,
	backlog_suite,
	evmem_suite,
	framing_suite,
	urlpath_suite,
	mime_suite,
	size_suite,
	range_suite,
	httpdate_suite,
	etag_suite,
	clf_suite,
	resolve_suite,
};

int
main(void)
{
	SRunner	*sr;
	size_t	 i;
	int	 failed;

	sr = srunner_create(suites[0]());
	for (i = 1; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
