/* check_static.c: unit tests of what serves static files and logs requests: urlpath, mime, size, range, httpdate, etag, clf, and resolve against a real directory and /proc. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

/* By path: the build gives the tests no -I for src/. */
#include "../src/forkgroup.h"

/* 1994-11-06 08:49:37 UTC, RFC 9110's example date. */
#define RFC_DATE	784111777

static void		 path_is(int, const char *, int, const char *, bool);
static void		 range_is(int, const char *, int64_t, enum range_result,
			    int64_t, int64_t);
static char		*clf_line(const struct clf_entry *);
static void		 make_tree(void);
static void		 remove_tree(void);
static int		 open_with(int (*)(int, const char *, int), const char *);
static Suite		*urlpath_suite(void);
static Suite		*mime_suite(void);
static Suite		*size_suite(void);
static Suite		*range_suite(void);
static Suite		*httpdate_suite(void);
static Suite		*etag_suite(void);
static Suite		*clf_suite(void);
static Suite		*resolve_suite(void);

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

static Suite *
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

/* mime_type */

START_TEST(mime_known)
{
	ck_assert_str_eq(mime_type("index.html"), "text/html; charset=utf-8");
	ck_assert_str_eq(mime_type("a/b/page.htm"), "text/html; charset=utf-8");
	ck_assert_str_eq(mime_type("style.css"), "text/css; charset=utf-8");
	ck_assert_str_eq(mime_type("app.js"),
	    "text/javascript; charset=utf-8");
	ck_assert_str_eq(mime_type("data.json"), "application/json");
	ck_assert_str_eq(mime_type("notes.txt"), "text/plain; charset=utf-8");
	ck_assert_str_eq(mime_type("logo.svg"), "image/svg+xml");
	ck_assert_str_eq(mime_type("photo.jpg"), "image/jpeg");
	ck_assert_str_eq(mime_type("photo.jpeg"), "image/jpeg");
	ck_assert_str_eq(mime_type("icon.png"), "image/png");
	ck_assert_str_eq(mime_type("anim.gif"), "image/gif");
	ck_assert_str_eq(mime_type("font.woff2"), "font/woff2");
	ck_assert_str_eq(mime_type("font.woff"), "font/woff");
	ck_assert_str_eq(mime_type("doc.pdf"), "application/pdf");
	ck_assert_str_eq(mime_type("m.wasm"), "application/wasm");
	ck_assert_str_eq(mime_type("avif.avif"), "image/avif");
	ck_assert_str_eq(mime_type("z.zip"), "application/zip");
}
END_TEST

START_TEST(mime_case_and_last_dot)
{
	ck_assert_str_eq(mime_type("INDEX.HTML"), "text/html; charset=utf-8");
	ck_assert_str_eq(mime_type("a/Photo.JpG"), "image/jpeg");
	ck_assert_str_eq(mime_type("backup.tar.gz"), "application/gzip");
	ck_assert_str_eq(mime_type("page.html.txt"),
	    "text/plain; charset=utf-8");
}
END_TEST

START_TEST(mime_default)
{
	static const char *names[] = {
		"README", "a.unknown", "x.", "dir.d/file", ".html", "a/.css",
		"", "a.b/", "a.htmlx", "a.htm l", "a.exe"
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(strcmp(mime_type(names[i]),
		    "application/octet-stream") == 0, "\"%s\": %s", names[i],
		    mime_type(names[i]));
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc;

	tc = tcase_create("lookup");
	tcase_add_test(tc, mime_known);
	tcase_add_test(tc, mime_case_and_last_dot);
	tcase_add_test(tc, mime_default);
	suite_add_tcase(s, tc);
	return s;
}

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

static Suite *
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

static Suite *
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

static Suite *
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

static Suite *
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

static Suite *
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

/* resolve_openat2, resolve_walk, resolve_open: on a real tree */

static char	tree[64];
static int	rootfd = -1;

/*
 * tree/outside.txt, tree/outside/secret and tree/root/ with index.html,
 * sub/file.txt and symlinks: link_in -> sub/file.txt (stays inside),
 * link_up -> ../outside.txt, link_abs -> TREE/outside.txt,
 * dir_out -> ../outside, sub/up -> ../../outside.txt, magic -> /proc/self/cwd.
 */
static void
make_tree(void)
{
	FILE	*fp;
	char	 abs[PATH_MAX + 32];

	/* Again each time: CK_FORK=no runs every test in one process. */
	snprintf(tree, sizeof(tree), "/tmp/check_static.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tree));
	ck_assert_int_eq(chdir(tree), 0);
	ck_assert_int_eq(mkdir("root", 0755), 0);
	ck_assert_int_eq(mkdir("root/sub", 0755), 0);
	ck_assert_int_eq(mkdir("outside", 0755), 0);
	ck_assert_ptr_nonnull(fp = fopen("outside.txt", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("outside/secret", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("root/index.html", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("root/sub/file.txt", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(symlink("sub/file.txt", "root/link_in"), 0);
	ck_assert_int_eq(symlink("../outside.txt", "root/link_up"), 0);
	snprintf(abs, sizeof(abs), "%s/outside.txt", tree);
	ck_assert_int_eq(symlink(abs, "root/link_abs"), 0);
	ck_assert_int_eq(symlink("../outside", "root/dir_out"), 0);
	ck_assert_int_eq(symlink("../../outside.txt", "root/sub/up"), 0);
	ck_assert_int_eq(symlink("/proc/self/cwd", "root/magic"), 0);
	rootfd = open("root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(rootfd, -1);
}

static void
remove_tree(void)
{
	static const char *files[] = {
		"root/magic", "root/sub/up", "root/dir_out", "root/link_abs",
		"root/link_up", "root/link_in", "root/sub/file.txt",
		"root/index.html", "outside/secret", "outside.txt"
	};
	static const char *dirs[] = { "root/sub", "root", "outside" };
	size_t	i;

	if (rootfd != -1)
		close(rootfd);
	rootfd = -1;
	if (chdir(tree) != 0)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(dirs[i]);
	if (chdir("/") == 0)
		rmdir(tree);
}

/* 0 if rel opened, else the errno; the descriptor is checked and closed. */
static int
open_with(int (*how)(int, const char *, int), const char *rel)
{
	int	fd;

	errno = 0;
	if ((fd = how(rootfd, rel, O_RDONLY | O_NONBLOCK)) == -1)
		return errno;
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(close(fd), 0);
	return 0;
}

START_TEST(resolve_with_openat2)
{
	if (open_with(resolve_openat2, "index.html") == ENOSYS)
		return;		/* a kernel before 5.6: only the walk exists */
	ck_assert_int_eq(open_with(resolve_openat2, "index.html"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "."), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "link_in"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "link_up"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "link_abs"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "dir_out/secret"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/up"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "magic"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "../outside.txt"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/../../outside.txt"),
	    EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, tree), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_openat2, "index.html/x"), ENOTDIR);
}
END_TEST

START_TEST(resolve_with_walk)
{
	ck_assert_int_eq(open_with(resolve_walk, "index.html"), 0);
	ck_assert_int_eq(open_with(resolve_walk, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_walk, "."), 0);
	/* No symlink at all, not even one that stays inside. */
	ck_assert_int_eq(open_with(resolve_walk, "link_in"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "link_up"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "link_abs"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "dir_out/secret"), ENOTDIR);
	ck_assert_int_eq(open_with(resolve_walk, "sub/up"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "magic"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "../outside.txt"), EXDEV);
	ck_assert_int_eq(open_with(resolve_walk, "sub/../../outside.txt"),
	    EXDEV);
	ck_assert_int_eq(open_with(resolve_walk, tree), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "sub//file.txt"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "nope/x"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "index.html/x"), ENOTDIR);
}
END_TEST

/* The walk closes what it opened on the way, on success and failure alike. */
START_TEST(resolve_walk_leaks_nothing)
{
	int	before, after, i;

	before = dup(0);
	ck_assert_int_ne(before, -1);
	close(before);
	for (i = 0; i < 100; i++) {
		open_with(resolve_walk, "sub/file.txt");
		open_with(resolve_walk, "sub/up");
		open_with(resolve_walk, "sub/nope/x");
	}
	after = dup(0);
	ck_assert_int_ne(after, -1);
	close(after);
	ck_assert_int_eq(after, before);
}
END_TEST

/* resolve_open does as resolve_probe chose: openat2 wherever it works. */
START_TEST(resolve_either)
{
	int	err = resolve_probe(rootfd);

	if (open_with(resolve_openat2, "index.html") != ENOSYS)
		ck_assert_int_eq(err, 0);
	ck_assert_int_eq(open_with(resolve_open, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_open, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_open, "link_in"), err == 0 ? 0 : ELOOP);
	ck_assert_int_ne(open_with(resolve_open, "link_up"), 0);
	ck_assert_int_ne(open_with(resolve_open, "dir_out/secret"), 0);
	ck_assert_int_ne(open_with(resolve_open, "../outside.txt"), 0);
}
END_TEST

/*
 * RESOLVE_NO_MAGICLINKS: /proc/self/cwd reached beneath /proc, by a
 * relative path, is refused as a magic link (ELOOP).  RESOLVE_BENEATH
 * alone would refuse it too, but with EXDEV: the errno tells which flag
 * did.  The tree's "magic" cannot tell, being an absolute symlink.
 */
START_TEST(resolve_no_magic_links)
{
	int	procfd, fd;

	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(procfd, -1);
	errno = 0;
	fd = resolve_openat2(procfd, "self/cwd", O_RDONLY | O_DIRECTORY);
	if (fd == -1 && errno == ENOSYS) {
		close(procfd);
		return;		/* a kernel before 5.6: only the walk exists */
	}
	ck_assert_int_eq(fd, -1);
	ck_assert_msg(errno == ELOOP, "self/cwd beneath /proc: %s, expected "
	    "ELOOP", strerror(errno));
	errno = 0;
	ck_assert_int_eq(resolve_walk(procfd, "self/cwd", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	close(procfd);
}
END_TEST

static Suite *
resolve_suite(void)
{
	Suite	*s = suite_create("resolve");
	TCase	*tc;

	tc = tcase_create("beneath");
	tcase_add_checked_fixture(tc, make_tree, remove_tree);
	tcase_add_test(tc, resolve_with_openat2);
	tcase_add_test(tc, resolve_with_walk);
	tcase_add_test(tc, resolve_walk_leaks_nothing);
	tcase_add_test(tc, resolve_either);
	suite_add_tcase(s, tc);
	tc = tcase_create("proc");
	tcase_add_test(tc, resolve_no_magic_links);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(urlpath_suite());
	srunner_add_suite(sr, mime_suite());
	srunner_add_suite(sr, size_suite());
	srunner_add_suite(sr, range_suite());
	srunner_add_suite(sr, httpdate_suite());
	srunner_add_suite(sr, etag_suite());
	srunner_add_suite(sr, clf_suite());
	srunner_add_suite(sr, resolve_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
