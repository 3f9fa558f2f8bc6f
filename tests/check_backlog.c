/* check_backlog.c: unit tests of backlog.c: the log lines waiting for stderr, whole lines per write, the oldest dropped and counted, a torn line finished first. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"

/* backlog: 32 KiB, so a struct of its own per test. */
static struct backlog	bl;

/* Line i: "line NNNNN " and x's up to len bytes, the newline included. */
static const char *
backlog_line(unsigned i, size_t len)
{
	static char	buf[LOG_LINE_MAX];

	ck_assert_uint_ge(len, 12);
	ck_assert_uint_le(len, sizeof(buf));
	snprintf(buf, sizeof(buf), "line %05u ", i);
	memset(buf + 11, 'x', len - 12);
	buf[len - 1] = '\n';
	return buf;
}

static void
backlog_setup(void)
{
	memset(&bl, 0, sizeof(bl));
}

START_TEST(backlog_whole_lines_per_write)
{
	const char	*p;
	unsigned	 i;

	for (i = 0; i < 10; i++)
		backlog_add(&bl, backlog_line(i, 100), 100);
	/* As many whole lines as fit in 450 bytes: 4. */
	ck_assert_uint_eq(backlog_next(&bl, 450, &p), 400);
	ck_assert_ptr_eq(p, bl.buf);
	backlog_written(&bl, 400);
	ck_assert_uint_eq(bl.torn, 0);
	ck_assert_int_eq(strncmp(bl.buf, "line 00004 ", 11), 0);
	/* Everything fits: all of it. */
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 600);
	/* A line longer than max goes whole. */
	ck_assert_uint_eq(backlog_next(&bl, 50, &p), 100);
	backlog_written(&bl, 600);
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 0);
	ck_assert_uint_eq(bl.dropped, 0);
}
END_TEST

/* Full: the oldest lines go, counted, and the newest stay. */
START_TEST(backlog_drops_oldest)
{
	const char	*p;
	unsigned	 i, n = BACKLOG_MAX / 1000;

	for (i = 0; i < n + 5; i++)
		backlog_add(&bl, backlog_line(i, 1000), 1000);
	ck_assert_uint_eq(bl.dropped, 5);
	ck_assert_uint_eq(bl.len, n * 1000);
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 4000);
	ck_assert_int_eq(strncmp(p, "line 00005 ", 11), 0);
	ck_assert_int_eq(strncmp(bl.buf + bl.len - 1000, backlog_line(n + 4,
	    1000), 1000), 0);
}
END_TEST

/* A line written in part: its rest goes first and alone, and is never dropped. */
START_TEST(backlog_torn_rest_first)
{
	const char	*p;
	unsigned	 i;

	backlog_add(&bl, backlog_line(0, 100), 100);
	backlog_add(&bl, backlog_line(1, 100), 100);
	backlog_written(&bl, 130);
	ck_assert_uint_eq(bl.torn, 70);
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 70);
	ck_assert_int_eq(p[69], '\n');
	for (i = 2; i < 100; i++)
		backlog_add(&bl, backlog_line(i, 1000), 1000);
	ck_assert_uint_eq(bl.torn, 70);
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 70);
	ck_assert_int_eq(strncmp(p, backlog_line(1, 100) + 30, 70), 0);
	ck_assert_uint_gt(bl.dropped, 0);
	/* Half the rest, then the rest of it. */
	backlog_written(&bl, 35);
	ck_assert_uint_eq(bl.torn, 35);
	backlog_written(&bl, 35);
	ck_assert_uint_eq(bl.torn, 0);
	ck_assert_uint_eq(bl.len % 1000, 0);
}
END_TEST

START_TEST(backlog_torn_in_front)
{
	const char	*p;

	backlog_add(&bl, backlog_line(1, 100), 100);
	backlog_add_torn(&bl, "the rest\n", 9);
	ck_assert_uint_eq(bl.torn, 9);
	ck_assert_uint_eq(backlog_next(&bl, 4096, &p), 9);
	ck_assert_int_eq(strncmp(p, "the rest\nline 00001 ", 20), 0);
	/* A write that ends past the rest, inside the next line, tears that one. */
	backlog_written(&bl, 19);
	ck_assert_uint_eq(bl.torn, 90);
	ck_assert_uint_eq(bl.len, 90);
}
END_TEST

START_TEST(backlog_drop_all_counts_lines)
{
	unsigned	i;

	for (i = 0; i < 7; i++)
		backlog_add(&bl, backlog_line(i, 50), 50);
	backlog_written(&bl, 20);
	backlog_drop_all(&bl);
	ck_assert_uint_eq(bl.dropped, 7);
	ck_assert_uint_eq(bl.len, 0);
	ck_assert_uint_eq(bl.torn, 0);
}
END_TEST

Suite *
backlog_suite(void)
{
	Suite	*s = suite_create("backlog");
	TCase	*tc;

	tc = tcase_create("queue");
	tcase_add_checked_fixture(tc, backlog_setup, NULL);
	tcase_add_test(tc, backlog_whole_lines_per_write);
	tcase_add_test(tc, backlog_drops_oldest);
	tcase_add_test(tc, backlog_torn_rest_first);
	tcase_add_test(tc, backlog_torn_in_front);
	tcase_add_test(tc, backlog_drop_all_counts_lines);
	suite_add_tcase(s, tc);
	return s;
}
