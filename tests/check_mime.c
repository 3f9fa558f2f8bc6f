/* check_mime.c: unit tests of mime.c: the Content-Type of a file by its name. */
#include <check.h>
#include <string.h>

#include "check_suites.h"

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

Suite *
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
