/* check_size.c: unit tests of size.c: "8k", "1m" to bytes, and sizes back to text. */
#include <check.h>
#include <limits.h>
#include <stdint.h>

#include "check_suites.h"

/* size_parse */

START_TEST(size_units)
{
	const char	*why = NULL;
	int64_t		 n;

	ck_assert_int_eq(size_parse("8k", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 8192);
	ck_assert_int_eq(size_parse("8K", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 8192);
	ck_assert_int_eq(size_parse("1m", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 1048576);
	ck_assert_int_eq(size_parse("1G", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 1073741824);
	ck_assert_int_eq(size_parse("1500", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 1500);
	ck_assert_int_eq(size_parse("0", 0, 10, &n, &why), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(size_parse("0k", 0, 10, &n, &why), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(size_parse("010k", 0, INT64_MAX, &n, &why), 0);
	ck_assert_int_eq(n, 10240);
	ck_assert_ptr_null(why);
}
END_TEST

START_TEST(size_bounds)
{
	const char	*why;
	int64_t		 n = -42;

	ck_assert_int_eq(size_parse("1k", 1024, 1048576, &n, &why), 0);
	ck_assert_int_eq(n, 1024);
	ck_assert_int_eq(size_parse("1m", 1024, 1048576, &n, &why), 0);
	ck_assert_int_eq(n, 1048576);
	n = -42;
	ck_assert_int_eq(size_parse("1023", 1024, 1048576, &n, &why), -1);
	ck_assert_str_eq(why, "size too small");
	ck_assert_int_eq(size_parse("1048577", 1024, 1048576, &n, &why), -1);
	ck_assert_str_eq(why, "size too large");
	ck_assert_int_eq(size_parse("1025k", 1024, 1048576, &n, &why), -1);
	ck_assert_str_eq(why, "size too large");
	ck_assert_int_eq(size_parse("99999999999999999999", 0, INT64_MAX, &n,
	    &why), -1);
	ck_assert_str_eq(why, "size too large");
	/* n * unit must not overflow before the comparison. */
	ck_assert_int_eq(size_parse("9223372036854775807g", 0, INT64_MAX, &n,
	    &why), -1);
	ck_assert_str_eq(why, "size too large");
	ck_assert_int_eq(n, -42);
}
END_TEST

START_TEST(size_as_text)
{
	char	buf[SIZE_TEXT_MAX];

	ck_assert_str_eq(size_text(0, buf), "0");
	ck_assert_str_eq(size_text(4, buf), "4");
	ck_assert_str_eq(size_text(10, buf), "10");
	ck_assert_str_eq(size_text(104857600, buf), "104857600");
	ck_assert_str_eq(size_text(UINT64_MAX, buf), "18446744073709551615");
}
END_TEST

START_TEST(size_invalid)
{
	static const char *units[] = {
		"1kb", "1 k", "1.5k", "1t", "1b", "8kk", "1e3", "0x10", "5 "
	};
	static const char *numbers[] = { "", "k", "-1", "+1", " 1", "abc" };
	const char	*why;
	int64_t		 n = -42;
	size_t		 i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		ck_assert_msg(size_parse(units[i], 0, INT64_MAX, &n, &why) == -1,
		    "\"%s\" accepted", units[i]);
		ck_assert_str_eq(why, "unknown size unit (use k, m or g)");
	}
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		ck_assert_msg(size_parse(numbers[i], 0, INT64_MAX, &n, &why) ==
		    -1, "\"%s\" accepted", numbers[i]);
		ck_assert_str_eq(why,
		    "not a size (expected a number, then k, m or g)");
	}
	ck_assert_int_eq(n, -42);
}
END_TEST

Suite *
size_suite(void)
{
	Suite	*s = suite_create("size");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, size_units);
	tcase_add_test(tc, size_bounds);
	tcase_add_test(tc, size_invalid);
	tcase_add_test(tc, size_as_text);
	suite_add_tcase(s, tc);
	return s;
}
