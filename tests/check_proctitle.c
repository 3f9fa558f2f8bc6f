/* check_proctitle.c: unit tests of proctitle.c: the title ps shows, whatever the layout of argv and environ, in a process of its own per case. */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"

static char		**title_layout(const char *, ...);
static const char	*title_seen(void);

/* proctitle_init, proctitle_set */

/* The strings as the kernel lays them out: arguments, then environment. */
static char	 title_area[512];
static size_t	 title_args;
static char	*title_argv[8];
static char	*title_envp[3];

/*
 * Lay out argv (NULL-terminated) and FG_A=1, FG_B=two end to end, make them
 * the process's environment and hand them to proctitle_init.  Each test runs
 * in a process of its own (CK_FORK), so the switched environment goes with it.
 */
static char **
title_layout(const char *arg, ...)
{
	static const char	*env[] = { "FG_A=1", "FG_B=two" };
	va_list			 ap;
	char			*p = title_area;
	size_t			 i, argc = 0;

	memset(title_area, 'x', sizeof(title_area));
	va_start(ap, arg);
	for (; arg != NULL; arg = va_arg(ap, const char *)) {
		ck_assert_uint_lt(argc, 7);
		title_argv[argc++] = strcpy(p, arg);
		p += strlen(arg) + 1;
	}
	va_end(ap);
	title_argv[argc] = NULL;
	title_args = p - title_area;
	for (i = 0; i < 2; i++) {
		title_envp[i] = strcpy(p, env[i]);
		p += strlen(env[i]) + 1;
	}
	title_envp[2] = NULL;
	environ = title_envp;
	ck_assert_int_eq(proctitle_init(argc, title_argv), 0);
	return title_argv;
}

/*
 * What ps shows, from what Linux puts in /proc/PID/cmdline: the argument
 * area as it is while its last byte is a NUL (ps drops the trailing NULs
 * and shows the others as blanks), else the string at its start.
 */
static const char *
title_seen(void)
{
	static char	seen[sizeof(title_area)];
	size_t		n, i;

	if (title_area[title_args - 1] != '\0')
		return title_area;
	for (n = title_args; n > 0 && title_area[n - 1] == '\0'; n--)
		continue;
	for (i = 0; i < n; i++)
		seen[i] = title_area[i] == '\0' ? ' ' : title_area[i];
	seen[n] = '\0';
	return seen;
}

/* argv[0] of _i bytes: one longer than the title once left " ." after it. */
START_TEST(proctitle_any_argv0)
{
	char	argv0[64];

	memset(argv0, 'p', _i);
	argv0[_i] = '\0';
	title_layout(argv0, "-f", "/etc/forkgroup.conf", NULL);
	proctitle_set("forkgroup: %s %s", "web", "127.0.0.1:8080");
	ck_assert_str_eq(title_seen(), "forkgroup: web 127.0.0.1:8080");
}
END_TEST

/* A title of _i bytes: shorter than the arguments, up to past all the room. */
START_TEST(proctitle_lengths)
{
	/* "forkgroup -f c", FG_A=1, FG_B=two and their NULs. */
	const size_t	 room = 31;
	char		 title[64];

	memset(title, 't', _i);
	title[_i] = '\0';
	title_layout("forkgroup", "-f", "c", NULL);
	proctitle_set("%s", title);
	title[(size_t)_i < room ? (size_t)_i : room - 1] = '\0';
	ck_assert_str_eq(title_seen(), title);
	/* Nothing written past the room the strings had. */
	ck_assert_int_eq(title_area[room], 'x');
}
END_TEST

START_TEST(proctitle_copies)
{
	char	**argv;

	argv = title_layout("/usr/sbin/forkgroup", "-f", "my.conf", NULL);
	proctitle_set("forkgroup: %s", "a title long enough to reach past "
	    "every argument and variable");
	ck_assert_str_eq(argv[0], "/usr/sbin/forkgroup");
	ck_assert_str_eq(argv[1], "-f");
	ck_assert_str_eq(argv[2], "my.conf");
	ck_assert_ptr_null(argv[3]);
	ck_assert_str_eq(getenv("FG_A"), "1");
	ck_assert_str_eq(getenv("FG_B"), "two");
	ck_assert_str_eq(program_invocation_short_name, "forkgroup");
}
END_TEST

Suite *
proctitle_suite(void)
{
	Suite	*s = suite_create("proctitle");
	TCase	*tc;

	tc = tcase_create("title");
	/* A loop test runs each _i in a process of its own, see title_layout. */
	tcase_add_loop_test(tc, proctitle_any_argv0, 1, 64);
	tcase_add_loop_test(tc, proctitle_lengths, 1, 40);
	tcase_add_test(tc, proctitle_copies);
	suite_add_tcase(s, tc);
	return s;
}
