/* check_httpdate.c: unit tests of httpdate.c: HTTP dates formatted and parsed, in all three forms. */
#include <check.h>
#include <time.h>

#include "check_suites.h"

/* 1994-11-06 08:49:37 UTC, RFC 9110's example date. */
#define RFC_DATE	784111777

/* httpdate_format, httpdate_parse */

START_TEST(httpdate_out)
{
	char	buf[HTTPDATE_MAX];

	ck_assert_int_eq(httpdate_format(RFC_DATE, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(httpdate_format(0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_eq(httpdate_format(951782400, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
	ck_assert_int_eq(httpdate_format(RFC_DATE, buf, 29), -1);
	ck_assert_int_eq(httpdate_format(RFC_DATE, buf, 30), 0);
}
END_TEST

START_TEST(httpdate_in)
{
	time_t	t;

	ck_assert_int_eq(httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t),
	    0);
	ck_assert_int_eq(t, RFC_DATE);
	ck_assert_int_eq(httpdate_parse("Sunday, 06-Nov-94 08:49:37 GMT",
	    &t), 0);
	ck_assert_int_eq(t, RFC_DATE);
	ck_assert_int_eq(httpdate_parse("Sun Nov  6 08:49:37 1994", &t), 0);
	ck_assert_int_eq(t, RFC_DATE);
	ck_assert_int_eq(httpdate_parse("Tue, 29 Feb 2000 00:00:00 GMT", &t),
	    0);
	ck_assert_int_eq(t, 951782400);
	/* RFC 850's two-digit years: 00-69 are 20xx. */
	ck_assert_int_eq(httpdate_parse("Thursday, 01-Jan-30 00:00:00 GMT",
	    &t), 0);
	ck_assert_int_eq(t, 1893456000);
	/* A leap second counts as the second before. */
	ck_assert_int_eq(httpdate_parse("Sat, 31 Dec 2016 23:59:60 GMT", &t),
	    0);
	ck_assert_int_eq(t, 1483228799);
}
END_TEST

START_TEST(httpdate_roundtrip)
{
	char	buf[HTTPDATE_MAX];
	time_t	t, back;

	for (t = 0; t < 4102444800; t += 86399 * 37 + 1234) {
		ck_assert_int_eq(httpdate_format(t, buf, sizeof(buf)), 0);
		ck_assert_int_eq(httpdate_parse(buf, &back), 0);
		ck_assert_int_eq(back, t);
	}
}
END_TEST

START_TEST(httpdate_invalid)
{
	static const char *bad[] = {
		"", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC",
		"sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT ", " Sun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT", "Sun,06 Nov 1994 08:49:37 GMT",
		"Sun, 31 Apr 1994 08:49:37 GMT", "Sun, 29 Feb 1900 00:00:00 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 1994 08:49:37", "Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94",
		"Sun, 06 Nov 1994 08:49:37 GMTx", "1994-11-06T08:49:37Z"
	};
	size_t	i;
	time_t	t = 42;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(httpdate_parse(bad[i], &t) == -1,
		    "\"%s\" accepted as %lld", bad[i], (long long)t);
	ck_assert_int_eq(t, 42);
}
END_TEST

Suite *
httpdate_suite(void)
{
	Suite	*s = suite_create("httpdate");
	TCase	*tc;

	tc = tcase_create("format");
	tcase_add_test(tc, httpdate_out);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, httpdate_in);
	tcase_add_test(tc, httpdate_roundtrip);
	tcase_add_test(tc, httpdate_invalid);
	suite_add_tcase(s, tc);
	return s;
}
