/* check_query.c: unit tests of query.c: the numbers a query string gives (/delay?ms=250). */
#include <check.h>
#include <limits.h>
#include <stdint.h>

#include "check_suites.h"

/* query_number */

START_TEST(query_found)
{
	int64_t	n = -1;

	ck_assert_int_eq(query_number("ms=250", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 250);
	ck_assert_int_eq(query_number("a=1&ms=7&b=2", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(query_number("a=x&ms=0", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(query_number("ms=60000&a", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 60000);
	ck_assert_int_eq(query_number("&&ms=007&", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 7);
	/* Other keys are not checked: only ours has to be a number. */
	ck_assert_int_eq(query_number("x=&y&ms=1&z=%20", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(query_rejected)
{
	static const char *bad[] = {
		"", "a=1", "ms", "ms=", "ms=&a=1", "ms=abc", "ms=12a", "ms=-1",
		"ms=+1", "ms= 1", "ms=1 ", "ms=1.5", "ms=%31", "ms=60001",
		"ms=1&ms=2", "ms=1&a=2&ms=1", "ms==1", "MS=1", "xms=1", "msx=1",
		"ms_=1", "ms=99999999999999999999"
	};
	int64_t	 n;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = -42;
		ck_assert_msg(query_number(bad[i], "ms", 60000, &n) == -1,
		    "\"%s\" accepted as %lld", bad[i], (long long)n);
		ck_assert_int_eq(n, -42);
	}
	ck_assert_int_eq(query_number(NULL, "ms", 60000, &n), -1);
	ck_assert_int_eq(n, -42);
}
END_TEST

START_TEST(query_prefix_keys)
{
	int64_t	n;

	/* Keys that merely start or end like ours are other keys. */
	ck_assert_int_eq(query_number("xms=1&ms=2", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(query_number("msx=1&ms=3&mss=4", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(query_number("m=1&ms=4", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(query_number("ms=5", "m", 60000, &n), -1);
}
END_TEST

START_TEST(query_bounds)
{
	int64_t	n;

	ck_assert_int_eq(query_number("ms=0", "ms", 0, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(query_number("ms=1", "ms", 0, &n), -1);
	ck_assert_int_eq(query_number("ms=7", "ms", 5, &n), -1);
	ck_assert_int_eq(query_number("ms=5", "ms", 5, &n), 0);
	ck_assert_int_eq(n, 5);
	/* Near INT64_MAX the check must come before the overflow. */
	ck_assert_int_eq(query_number("ms=9223372036854775807", "ms",
	    INT64_MAX, &n), 0);
	ck_assert_int_eq(n, INT64_MAX);
	ck_assert_int_eq(query_number("ms=9223372036854775808", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(query_number("ms=99999999999999999999", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(query_number("ms=18446744073709551617", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(n, INT64_MAX);
}
END_TEST

Suite *
query_suite(void)
{
	Suite	*s = suite_create("query");
	TCase	*tc;

	tc = tcase_create("number");
	tcase_add_test(tc, query_found);
	tcase_add_test(tc, query_rejected);
	tcase_add_test(tc, query_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("keys");
	tcase_add_test(tc, query_prefix_keys);
	suite_add_tcase(s, tc);
	return s;
}
