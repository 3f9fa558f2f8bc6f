/* check_suites.h: the Check suites of the unit tests, one tests/check_<module>.c each, that check_main.c runs. */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

/* By path: the build gives the tests no -I for src/. */
#include "../src/forkgroup.h"

Suite	*duration_suite(void);
Suite	*address_suite(void);
Suite	*config_suite(void);
Suite	*group_suite(void);
Suite	*query_suite(void);
Suite	*proctitle_suite(void);
Suite	*selfpipe_suite(void);
Suite	*backlog_suite(void);
Suite	*evmem_suite(void);
Suite	*framing_suite(void);
Suite	*urlpath_suite(void);
Suite	*mime_suite(void);
Suite	*size_suite(void);
Suite	*range_suite(void);
Suite	*httpdate_suite(void);
Suite	*etag_suite(void);
Suite	*clf_suite(void);
Suite	*resolve_suite(void);

#endif /* CHECK_SUITES_H */
