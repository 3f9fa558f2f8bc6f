/* check_urlpath.c: unit tests of urlpath.c: request paths decoded and checked before a file is looked for. */
#include <check.h>
#include <string.h>

#include "check_suites.h"

static void		 path_is(int, const char *, int, const char *, bool);

/* urlpath_parse */

#define URLPATH_PARSE(s, up)	urlpath_parse(s, strlen(s), up)

#define PATH_OK(raw, rel, dir)	path_is(__LINE__, raw, 0, rel, dir)
#define PATH_STATUS(raw, st)	path_is(__LINE__, raw, st, NULL, false)

static void
path_is(int at, const char *raw, int status, const char *rel, bool dir)
{
	struct urlpath	up;
	int		got;

	memset(&up, 'x', sizeof(up));
	got = urlpath_parse(raw, strlen(raw), &up);
	ck_assert_msg(got == status, "line %d: \"%s\": status %d, expected %d",
	    at, raw, got, status);
	if (status != 0)
		return;
	ck_assert_msg(strcmp(up.rel, rel) == 0,
	    "line %d: \"%s\" gave \"%s\", expected \"%s\"", at, raw, up.rel, rel);
	ck_assert_msg(up.dir == dir, "line %d: \"%s\": dir %d", at, raw, up.dir);
}

START_TEST(urlpath_plain)
{
	PATH_OK("/", ".", true);
	PATH_OK("/index.html", "index.html", false);
	PATH_OK("/a/b/c.txt", "a/b/c.txt", false);
	PATH_OK("/a/", "a", true);
	PATH_OK("/a.b/c", "a.b/c", false);
	PATH_OK("/a%20b", "a b", false);
	PATH_OK("/%41%7a", "Az", false);
	/* A backslash is an ordinary byte of a Linux file name. */
	PATH_OK("/a\\..\\b", "a\\..\\b", false);
}
END_TEST

/* Only the first len bytes count: the caller cuts the query off that way. */
START_TEST(urlpath_length_bound)
{
	struct urlpath	up;

	ck_assert_int_eq(urlpath_parse("/a.txt?x=/../y", 6, &up), 0);
	ck_assert_str_eq(up.rel, "a.txt");
	ck_assert_int_eq(urlpath_parse("/sub/?q", 5, &up), 0);
	ck_assert_str_eq(up.rel, "sub");
	ck_assert(up.dir);
	/* An escape cut by the bound is malformed, not read past it. */
	ck_assert_int_eq(urlpath_parse("/a%41", 4, &up), 400);
	ck_assert_int_eq(urlpath_parse("/a%41", 3, &up), 400);
	ck_assert_int_eq(urlpath_parse("/a%41", 5, &up), 0);
	ck_assert_str_eq(up.rel, "aA");
	ck_assert_int_eq(urlpath_parse("/", 0, &up), 400);
}
END_TEST

/* The hostile table of the issue: each must stay beneath the root or be refused. */
START_TEST(urlpath_hostile)
{
	/* "..": refused before any lookup, however it is spelled. */
	PATH_STATUS("/../etc/passwd", 404);
	PATH_STATUS("/a/../../etc/passwd", 404);
	PATH_STATUS("/a/..", 404);
	PATH_STATUS("/%2e%2e/etc/passwd", 404);
	PATH_STATUS("/%2E%2E/etc/passwd", 404);
	PATH_STATUS("/.%2e/etc/passwd", 404);
	PATH_STATUS("/%2e./etc/passwd", 404);
	PATH_STATUS("/..%2fetc%2fpasswd", 404);
	PATH_STATUS("/a%2f..%2f..%2fetc%2fpasswd", 404);
	PATH_STATUS("/..%5c..%5cetc/passwd", 404);
	/* Decoded once only: "%252e" is the name "%2e", not "..". */
	PATH_OK("/%252e%252e/etc/passwd", "%2e%2e/etc/passwd", false);
	/* "%2f" separates like "/"; "//" collapses: still relative. */
	PATH_OK("/a%2fb", "a/b", false);
	PATH_OK("/%2fetc%2fpasswd", "etc/passwd", false);
	PATH_OK("//etc/passwd", "etc/passwd", false);
	PATH_OK("/a//b///c", "a/b/c", false);
	PATH_OK("//", ".", true);
	/* NUL bytes and broken escapes: 400. */
	PATH_STATUS("/a%00b", 400);
	PATH_STATUS("/%00", 400);
	PATH_STATUS("/index.html%00.txt", 400);
	PATH_STATUS("/a%", 400);
	PATH_STATUS("/a%2", 400);
	PATH_STATUS("/a%zz", 400);
	PATH_STATUS("/a%%30", 400);
	/* Not an absolute path. */
	PATH_STATUS("etc/passwd", 400);
	PATH_STATUS("../etc/passwd", 400);
	PATH_STATUS("*", 400);
	PATH_STATUS("", 400);
	/* Dotfiles, and "." itself. */
	PATH_STATUS("/.htaccess", 404);
	PATH_STATUS("/a/.git/config", 404);
	PATH_STATUS("/%2egit/config", 404);
	PATH_STATUS("/.", 404);
	PATH_STATUS("/./index.html", 404);
	PATH_STATUS("/...", 404);
	PATH_STATUS("/a/..b", 404);
	PATH_STATUS("/.well-known/acme-challenge/x", 404);
}
END_TEST

START_TEST(urlpath_length)
{
	char	raw[URLPATH_MAX + 8], want[URLPATH_MAX];

	/* The longest that fits: "/" and URLPATH_MAX - 2 more bytes. */
	raw[0] = '/';
	memset(raw + 1, 'a', URLPATH_MAX - 2);
	raw[URLPATH_MAX - 1] = '\0';
	PATH_OK(raw, raw + 1, false);
	raw[URLPATH_MAX - 1] = 'a';
	raw[URLPATH_MAX] = '\0';
	PATH_STATUS(raw, 414);
	/* Escapes count once decoded. */
	memset(raw + 1, 'a', URLPATH_MAX - 3);
	memcpy(raw + URLPATH_MAX - 2, "%41", 4);
	memset(want, 'a', URLPATH_MAX - 3);
	memcpy(want + URLPATH_MAX - 3, "A", 2);
	PATH_OK(raw, want, false);
}
END_TEST

START_TEST(urlpath_location)
{
	struct urlpath	up;
	char		buf[64];

	ck_assert_int_eq(URLPATH_PARSE("/a%20b//c", &up), 0);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/a%20b/c/");
	ck_assert_int_eq(URLPATH_PARSE("/%22%3c%0d%0a%ff~_-.x", &up), 0);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/%22%3C%0D%0A%FF~_-.x/");
	ck_assert_int_eq(URLPATH_PARSE("/", &up), 0);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/");
	ck_assert_int_eq(URLPATH_PARSE("/abc", &up), 0);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, 6), 0);
	ck_assert_str_eq(buf, "/abc/");
	ck_assert_int_eq(urlpath_dir_location(&up, buf, 5), -1);
	ck_assert_int_eq(URLPATH_PARSE("/ab ", &up), 0);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, 7), -1);
	ck_assert_int_eq(urlpath_dir_location(&up, buf, 8), 0);
	ck_assert_str_eq(buf, "/ab%20/");
}
END_TEST

Suite *
urlpath_suite(void)
{
	Suite	*s = suite_create("urlpath");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, urlpath_plain);
	tcase_add_test(tc, urlpath_hostile);
	tcase_add_test(tc, urlpath_length);
	tcase_add_test(tc, urlpath_length_bound);
	suite_add_tcase(s, tc);
	tc = tcase_create("location");
	tcase_add_test(tc, urlpath_location);
	suite_add_tcase(s, tc);
	return s;
}
