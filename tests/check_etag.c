/* check_etag.c: unit tests of etag.c: a file's validator made from its size and time, and matched, weakly or strongly, against a list a client sent. */
#include <check.h>
#include <limits.h>
#include <stdint.h>

#include "check_suites.h"

/* etag_format, etag_match */

START_TEST(etag_out)
{
	char	buf[ETAG_MAX];

	ck_assert_int_eq(etag_format(buf, sizeof(buf), 1234, 1700000000, 5),
	    0);
	ck_assert_str_eq(buf, "\"4d2-6553f100.5\"");
	ck_assert_int_eq(etag_format(buf, sizeof(buf), INT64_MAX, INT64_MAX,
	    999999999), 0);
	ck_assert_str_eq(buf, "\"7fffffffffffffff-7fffffffffffffff.3b9ac9ff\"");
	ck_assert_int_eq(etag_format(buf, 8, 1234, 1700000000, 5), -1);
}
END_TEST

START_TEST(etag_weak_comparison)
{
	const char	*tag = "\"4d2-6553f100.5\"";

	ck_assert(etag_match("\"4d2-6553f100.5\"", tag, false));
	ck_assert(etag_match("W/\"4d2-6553f100.5\"", tag, false));
	ck_assert(etag_match("\"x\", \"4d2-6553f100.5\"", tag, false));
	ck_assert(etag_match("\"x\",W/\"4d2-6553f100.5\" , \"y\"", tag, false));
	ck_assert(etag_match("*", tag, false));
	ck_assert(etag_match(" * ", tag, false));
	ck_assert(!etag_match("\"4d2-6553f100.6\"", tag, false));
	ck_assert(!etag_match("4d2-6553f100.5", tag, false));
	ck_assert(!etag_match("\"4d2-6553f100.5", tag, false));
	ck_assert(!etag_match("", tag, false));
	ck_assert(!etag_match("\"4d2\"", tag, false));
	/* Whatever follows a malformed element is not looked at. */
	ck_assert(!etag_match("junk, \"4d2-6553f100.5\"", tag, false));
}
END_TEST

START_TEST(etag_strong_comparison)
{
	const char	*tag = "\"4d2-6553f100.5\"";

	ck_assert(etag_match("\"4d2-6553f100.5\"", tag, true));
	ck_assert(!etag_match("W/\"4d2-6553f100.5\"", tag, true));
	ck_assert(!etag_match("*", tag, true));
}
END_TEST

Suite *
etag_suite(void)
{
	Suite	*s = suite_create("etag");
	TCase	*tc;

	tc = tcase_create("etag");
	tcase_add_test(tc, etag_out);
	tcase_add_test(tc, etag_weak_comparison);
	tcase_add_test(tc, etag_strong_comparison);
	suite_add_tcase(s, tc);
	return s;
}
