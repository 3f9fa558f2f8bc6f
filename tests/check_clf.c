/* check_clf.c: unit tests of clf.c: access log lines in the Combined Log Format, escapes included. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "check_suites.h"

static char		*clf_line(const struct clf_entry *);

/* clf_format */

/* The line e gives, as a string to free. */
static char *
clf_line(const struct clf_entry *e)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 len;
	char		*s;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(clf_format(b, e), 0);
	len = evbuffer_get_length(b);
	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(evbuffer_remove(b, s, len), (int)len);
	s[len] = '\0';
	evbuffer_free(b);
	return s;
}

START_TEST(clf_plain)
{
	struct tm		 tm = { .tm_year = 100, .tm_mon = 9, .tm_mday = 10,
				    .tm_hour = 13, .tm_min = 55, .tm_sec = 36,
				    .tm_gmtoff = -7 * 3600 };
	struct clf_entry	 e = { "127.0.0.1", &tm, "GET", "/a?b=c", 1, 1,
				    200, 2326, "http://x/", "curl/7.88.1" };
	char			*line;

	line = clf_line(&e);
	ck_assert_str_eq(line, "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /a?b=c HTTP/1.1\" 200 2326 \"http://x/\" \"curl/7.88.1\"\n");
	free(line);

	/* No body, no Referer, no User-Agent; a half-hour zone east of UTC. */
	tm.tm_gmtoff = 5 * 3600 + 30 * 60;
	tm.tm_mon = 0;
	tm.tm_mday = 2;
	e = (struct clf_entry){ "::1", &tm, "HEAD", "/", 1, 0, 304, 0, NULL,
	    "" };
	line = clf_line(&e);
	ck_assert_str_eq(line, "::1 - - [02/Jan/2000:13:55:36 +0530] "
	    "\"HEAD / HTTP/1.0\" 304 - \"-\" \"-\"\n");
	free(line);
}
END_TEST

START_TEST(clf_escapes)
{
	struct tm		 tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 22 };
	struct clf_entry	 e = { "10.0.0.1", &tm, "GET",
				    "/q\"x\\y\x01\x7f\xc3\xa9", 1, 1, 404, 10,
				    "a\"b", "evil\r\nforged 200 -" };
	char			*line;

	line = clf_line(&e);
	ck_assert_str_eq(line, "10.0.0.1 - - [22/Nov/2026:00:00:00 +0000] "
	    "\"GET /q\\x22x\\x5Cy\\x01\\x7F\\xC3\\xA9 HTTP/1.1\" 404 10 "
	    "\"a\\x22b\" \"evil\\x0D\\x0Aforged 200 -\"\n");
	/* One line, whatever the client sent. */
	ck_assert_ptr_eq(strchr(line, '\n'), line + strlen(line) - 1);
	free(line);
}
END_TEST

Suite *
clf_suite(void)
{
	Suite	*s = suite_create("clf");
	TCase	*tc;

	tc = tcase_create("format");
	tcase_add_test(tc, clf_plain);
	tcase_add_test(tc, clf_escapes);
	suite_add_tcase(s, tc);
	return s;
}
