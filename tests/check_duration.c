/* check_duration.c: unit tests of duration.c: "250ms", "5s", "2m" to milliseconds, and what is refused with which reason. */
#include <check.h>
#include <limits.h>
#include <stdint.h>

#include "check_suites.h"

static int		 duration(const char *, int64_t, int64_t *);
static const char	*duration_error(const char *, int64_t);

/* duration_parse */

/* Parse with a sentinel in *ms, so a failed parse that writes anyway shows. */
static int
duration(const char *text, int64_t max, int64_t *ms)
{
	const char	*why = NULL;
	int		 rc;

	*ms = -42;
	rc = duration_parse(text, max, ms, &why);
	if (rc == 0)
		ck_assert_ptr_null(why);
	return rc;
}

/* The reason text is refused; the test fails if it is accepted. */
static const char *
duration_error(const char *text, int64_t max)
{
	const char	*why = NULL;
	int64_t		 ms = -42;

	ck_assert_msg(duration_parse(text, max, &ms, &why) == -1,
	    "\"%s\" accepted as %lld ms", text, (long long)ms);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(ms, -42);
	return why;
}

START_TEST(duration_units)
{
	int64_t	ms;

	ck_assert_int_eq(duration("250ms", 60000, &ms), 0);
	ck_assert_int_eq(ms, 250);
	ck_assert_int_eq(duration("5s", 60000, &ms), 0);
	ck_assert_int_eq(ms, 5000);
	ck_assert_int_eq(duration("2m", 600000, &ms), 0);
	ck_assert_int_eq(ms, 120000);
	ck_assert_int_eq(duration("1ms", 60000, &ms), 0);
	ck_assert_int_eq(ms, 1);
	/* Leading zeros are still decimal, never octal. */
	ck_assert_int_eq(duration("010s", 60000, &ms), 0);
	ck_assert_int_eq(ms, 10000);
}
END_TEST

START_TEST(duration_zero)
{
	int64_t	ms;

	ck_assert_int_eq(duration("0", 60000, &ms), 0);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(duration("00", 60000, &ms), 0);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(duration("0ms", 60000, &ms), 0);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(duration("0s", 60000, &ms), 0);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(duration("0m", 60000, &ms), 0);
	ck_assert_int_eq(ms, 0);
}
END_TEST

START_TEST(duration_needs_unit)
{
	ck_assert_str_eq(duration_error("5", 60000),
	    "duration needs a unit (ms, s or m)");
	ck_assert_str_eq(duration_error("1000", 60000),
	    "duration needs a unit (ms, s or m)");
}
END_TEST

START_TEST(duration_bad_unit)
{
	static const char *bad[] = {
		"5h", "5d", "5S", "5MS", "5sec", "5 s", "5mss", "1.5s", "0x10",
		"5ms5", "5s ", "5ms;", "5ss", "5e3ms"
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_str_eq(duration_error(bad[i], 60000),
		    "unknown duration unit (use ms, s or m)");
}
END_TEST

START_TEST(duration_not_a_number)
{
	static const char *bad[] = {
		"", "-1s", "-0", "+5s", " 5s", "ms", "s", "\t1s", "five seconds"
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_str_eq(duration_error(bad[i], 60000),
		    "not a duration (expected a number and ms, s or m)");
}
END_TEST

START_TEST(duration_bounds)
{
	int64_t	ms;

	/* Exactly the bound, in each unit. */
	ck_assert_int_eq(duration("3600000ms", 3600000, &ms), 0);
	ck_assert_int_eq(ms, 3600000);
	ck_assert_int_eq(duration("3600s", 3600000, &ms), 0);
	ck_assert_int_eq(ms, 3600000);
	ck_assert_int_eq(duration("60m", 3600000, &ms), 0);
	ck_assert_int_eq(ms, 3600000);
	/* One step past it. */
	ck_assert_str_eq(duration_error("3600001ms", 3600000),
	    "duration too long");
	ck_assert_str_eq(duration_error("3601s", 3600000), "duration too long");
	ck_assert_str_eq(duration_error("61m", 3600000), "duration too long");
	/* A bound that is not a whole number of the unit rounds down. */
	ck_assert_int_eq(duration("1s", 1999, &ms), 0);
	ck_assert_int_eq(ms, 1000);
	ck_assert_str_eq(duration_error("2s", 1999), "duration too long");
	ck_assert_str_eq(duration_error("1m", 59999), "duration too long");
}
END_TEST

START_TEST(duration_overflow)
{
	int64_t	ms;

	ck_assert_str_eq(duration_error("9223372036854775808ms", INT64_MAX),
	    "duration too long");
	ck_assert_str_eq(duration_error("99999999999999999999999s", INT64_MAX),
	    "duration too long");
	/* Would overflow int64_t once multiplied, if the check came after. */
	ck_assert_str_eq(duration_error("9223372036854775807s", INT64_MAX),
	    "duration too long");
	ck_assert_str_eq(duration_error("153722867280913m", INT64_MAX),
	    "duration too long");
	ck_assert_int_eq(duration("9223372036854775807ms", INT64_MAX, &ms), 0);
	ck_assert_int_eq(ms, INT64_MAX);
	ck_assert_int_eq(duration("153722867280912m", INT64_MAX, &ms), 0);
	ck_assert_int_eq(ms, 153722867280912LL * 60000);
}
END_TEST

Suite *
duration_suite(void)
{
	Suite	*s = suite_create("duration");
	TCase	*tc;

	tc = tcase_create("valid");
	tcase_add_test(tc, duration_units);
	tcase_add_test(tc, duration_zero);
	suite_add_tcase(s, tc);
	tc = tcase_create("invalid");
	tcase_add_test(tc, duration_needs_unit);
	tcase_add_test(tc, duration_bad_unit);
	tcase_add_test(tc, duration_not_a_number);
	suite_add_tcase(s, tc);
	tc = tcase_create("bounds");
	tcase_add_test(tc, duration_bounds);
	tcase_add_test(tc, duration_overflow);
	suite_add_tcase(s, tc);
	return s;
}
