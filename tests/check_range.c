/* check_range.c: unit tests of range.c: one Range header against a file's size. */
#include <check.h>
#include <stdint.h>

#include "check_suites.h"

static void		 range_is(int, const char *, int64_t, enum range_result,
			    int64_t, int64_t);

/* range_parse */

#define RANGE(v, size, want, first, last) \
	range_is(__LINE__, v, size, want, first, last)

static void
range_is(int at, const char *value, int64_t size, enum range_result want,
    int64_t first, int64_t last)
{
	struct range		r = { -7, -7 };
	enum range_result	got = range_parse(value, size, &r);

	ck_assert_msg(got == want, "line %d: \"%s\" of %lld: result %d, "
	    "expected %d", at, value, (long long)size, got, want);
	if (want != RANGE_OK) {
		ck_assert_msg(r.first == -7 && r.last == -7,
		    "line %d: range written on failure", at);
		return;
	}
	ck_assert_msg(r.first == first && r.last == last,
	    "line %d: \"%s\" of %lld gave %lld-%lld, expected %lld-%lld", at,
	    value, (long long)size, (long long)r.first, (long long)r.last,
	    (long long)first, (long long)last);
}

START_TEST(range_satisfiable)
{
	RANGE("bytes=0-99", 1000, RANGE_OK, 0, 99);
	RANGE("bytes=900-", 1000, RANGE_OK, 900, 999);
	RANGE("bytes=-100", 1000, RANGE_OK, 900, 999);
	RANGE("bytes=-5000", 1000, RANGE_OK, 0, 999);
	RANGE("bytes=0-5000", 1000, RANGE_OK, 0, 999);
	RANGE("bytes=999-999", 1000, RANGE_OK, 999, 999);
	RANGE("bytes=0-0", 1, RANGE_OK, 0, 0);
	RANGE("BYTES=0-0", 1000, RANGE_OK, 0, 0);
	RANGE("bytes= 10-19 ", 1000, RANGE_OK, 10, 19);
	RANGE("bytes=0-99999999999999999999", 1000, RANGE_OK, 0, 999);
	RANGE("bytes=-99999999999999999999", 1000, RANGE_OK, 0, 999);
}
END_TEST

START_TEST(range_unsatisfiable)
{
	RANGE("bytes=1000-", 1000, RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=1000-2000", 1000, RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=-0", 1000, RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=0-", 0, RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=-1", 0, RANGE_UNSATISFIABLE, 0, 0);
	RANGE("bytes=99999999999999999999-", 1000, RANGE_UNSATISFIABLE, 0, 0);
}
END_TEST

START_TEST(range_ignored)
{
	static const char *bad[] = {
		"bytes=5-1", "bytes=0-1,5-6", "bytes=0-1, 5-6", "items=0-1",
		"bytes=", "bytes=abc", "bytes=1-2x", "bytes=--1", "bytes=-",
		"bytes 0-1", "bytes=1 -2", "bytes=-1-2", "bytes=0x1-2", ""
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		RANGE(bad[i], 1000, RANGE_NONE, 0, 0);
}
END_TEST

Suite *
range_suite(void)
{
	Suite	*s = suite_create("range");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, range_satisfiable);
	tcase_add_test(tc, range_unsatisfiable);
	tcase_add_test(tc, range_ignored);
	suite_add_tcase(s, tc);
	return s;
}
