/* check_config.c: unit tests of config.c: every key of the table, the defaults and how the drain follows the stop, every file:line error in line order, and forkgroup.conf(5) held to the table. */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"

/* A listener that makes an otherwise empty config valid. */
#define WEB	"[listener web]\nlisten = 127.0.0.1:8080\n"

static size_t		 parse_bytes(const char *, size_t);
static size_t		 parse(const char *);
static const char	*errors_text(void);
static void		 parse_ok_at(int, const char *);
static void		 expect_errors_at(int, const char *, ...);
static void		 config_teardown(void);

/* config_parse, config_load */

static struct config		cfg;
static struct config_errors	errs;

/*
 * Parse len bytes, which may hold NULs, as the file "t.conf".  A real file
 * rather than fmemopen, so the bytes reach config.c exactly as written.
 */
static size_t
parse_bytes(const char *text, size_t len)
{
	FILE	*fp;
	size_t	 n;

	config_teardown();
	fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	rewind(fp);
	n = config_parse(fp, "t.conf", &cfg, &errs);
	fclose(fp);
	ck_assert_uint_eq(n, errs.n);
	return n;
}

static size_t
parse(const char *text)
{
	return parse_bytes(text, strlen(text));
}

/* Every error of the last parse, for failure messages. */
static const char *
errors_text(void)
{
	static char	buf[4096];
	size_t		i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < errs.n && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "[%s] ",
		    errs.list[i].msg != NULL ? errs.list[i].msg : "(null)");
	return buf;
}

/* The helpers name the line of the test that called them. */
#define parse_ok(text)		parse_ok_at(__LINE__, text)
#define expect_errors(...)	expect_errors_at(__LINE__, __VA_ARGS__)

static void
parse_ok_at(int at, const char *text)
{
	size_t	n = parse(text);

	ck_assert_msg(n == 0, "line %d: %zu errors: %s", at, n, errors_text());
}

/* text must give exactly these errors, in this order; a NULL ends them. */
static void
expect_errors_at(int at, const char *text, ...)
{
	va_list		 ap;
	const char	*want, *got;
	size_t		 i = 0;

	parse(text);
	va_start(ap, text);
	while ((want = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(i < errs.n, "line %d: missing \"%s\"; got %s", at,
		    want, errors_text());
		got = errs.list[i].msg;
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "line %d: error %zu is \"%s\", expected \"%s\"", at, i,
		    got != NULL ? got : "(null)", want);
		i++;
	}
	va_end(ap);
	ck_assert_msg(errs.n == i, "line %d: %zu errors, expected %zu: %s", at,
	    errs.n, i, errors_text());
}

static void
config_teardown(void)
{
	config_free(&cfg);
	config_errors_free(&errs);
}

START_TEST(config_defaults)
{
	parse_ok(WEB);
	ck_assert_str_eq(cfg.path, "t.conf");
	ck_assert_int_eq(cfg.stop_timeout_ms, 5000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 3000);
	ck_assert_ptr_null(cfg.user);
	ck_assert_ptr_null(cfg.group);
	ck_assert_uint_eq(cfg.nlisteners, 1);
	ck_assert_str_eq(cfg.listeners[0].name, "web");
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	ck_assert(!cfg.listeners[0].shutdown);
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, -1);
	ck_assert_int_eq(cfg.listeners[0].line, 1);
	ck_assert_uint_eq(cfg.listeners[0].workers, 1);
	ck_assert_uint_eq(cfg.nchildren, 1);
	ck_assert_int_eq(cfg.reload_timeout_ms, 10000);
	ck_assert_ptr_null(errs.list);
}
END_TEST

START_TEST(config_full)
{
	parse_ok(
	    "; forkgroup.conf\n"
	    "[forkgroup]\n"
	    "stop_timeout  = 10s\n"
	    "drain_timeout = 2500ms\n"
	    "user          = www-data\n"
	    "group         = www.data_1\n"
	    "\n"
	    "[listener web]\n"
	    "listen  = 0.0.0.0:8080\n"
	    "\n"
	    "[listener admin]\n"
	    "listen   = [::1]:8081\n"
	    "shutdown = yes\n"
	    "exit_after = 2m\n"
	    "[listener any]\n"
	    "listen = *:9000\n");
	ck_assert_int_eq(cfg.stop_timeout_ms, 10000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 2500);
	ck_assert_str_eq(cfg.user, "www-data");
	ck_assert_str_eq(cfg.group, "www.data_1");
	ck_assert_int_eq(cfg.user_line, 5);
	ck_assert_int_eq(cfg.group_line, 6);
	ck_assert_uint_eq(cfg.nlisteners, 3);
	ck_assert_str_eq(cfg.listeners[0].name, "web");
	ck_assert_str_eq(cfg.listeners[0].addr_text, "0.0.0.0:8080");
	ck_assert_int_eq(cfg.listeners[0].line, 8);
	ck_assert(!cfg.listeners[0].shutdown);
	ck_assert_str_eq(cfg.listeners[1].name, "admin");
	ck_assert_str_eq(cfg.listeners[1].addr_text, "[::1]:8081");
	ck_assert_int_eq(cfg.listeners[1].addr.ss.ss_family, AF_INET6);
	ck_assert_int_eq(cfg.listeners[1].line, 11);
	ck_assert(cfg.listeners[1].shutdown);
	ck_assert_int_eq(cfg.listeners[1].exit_after_ms, 120000);
	ck_assert_str_eq(cfg.listeners[2].addr_text, "0.0.0.0:9000");
	ck_assert_int_eq(cfg.listeners[2].exit_after_ms, -1);
}
END_TEST

START_TEST(config_bools)
{
	static const char *yes[] = { "yes", "true", "on", "1", "YES", "True" };
	static const char *no[] = { "no", "false", "off", "0", "NO", "Off" };
	char	text[128];
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(text, sizeof(text), WEB "shutdown = %s\n", yes[i]);
		parse_ok(text);
		ck_assert_msg(cfg.listeners[0].shutdown, "%s", yes[i]);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(text, sizeof(text), WEB "shutdown = %s\n", no[i]);
		parse_ok(text);
		ck_assert_msg(!cfg.listeners[0].shutdown, "%s", no[i]);
	}
}
END_TEST

START_TEST(config_bad_bool)
{
	expect_errors(WEB "shutdown = maybe\n",
	    "t.conf:3: shutdown: expected yes or no, not \"maybe\"", NULL);
	expect_errors(WEB "shutdown =\n",
	    "t.conf:3: shutdown: expected yes or no, not \"\"", NULL);
	expect_errors(WEB "shutdown = y\n",
	    "t.conf:3: shutdown: expected yes or no, not \"y\"", NULL);
	/* Without a blank before it, ";" is part of the value. */
	expect_errors(WEB "shutdown = yes;no\n",
	    "t.conf:3: shutdown: expected yes or no, not \"yes;no\"", NULL);
}
END_TEST

START_TEST(config_durations)
{
	parse_ok("[forkgroup]\nstop_timeout = 60m\ndrain_timeout = 3599999ms\n"
	    WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 3600000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 3599999);
	parse_ok("[forkgroup]\nstop_timeout = 2s\ndrain_timeout = 1999ms\n" WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 2000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 1999);
	parse_ok(WEB "exit_after = 0\n");
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, 0);
	parse_ok(WEB "exit_after = 10080m\n");
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, 7 * 24 * 3600000LL);
}
END_TEST

START_TEST(config_bad_durations)
{
	expect_errors("[forkgroup]\nstop_timeout = 5\n" WEB,
	    "t.conf:2: stop_timeout: duration needs a unit (ms, s or m): \"5\" "
	    "(at most 60m)", NULL);
	expect_errors("[forkgroup]\nstop_timeout = 61m\n" WEB,
	    "t.conf:2: stop_timeout: duration too long: \"61m\" (at most 60m)",
	    NULL);
	expect_errors("[forkgroup]\ndrain_timeout = 3h\n" WEB,
	    "t.conf:2: drain_timeout: unknown duration unit (use ms, s or m): "
	    "\"3h\" (at most 60m)", NULL);
	expect_errors("[forkgroup]\ndrain_timeout = -1s\n" WEB,
	    "t.conf:2: drain_timeout: not a duration (expected a number and "
	    "ms, s or m): \"-1s\" (at most 60m)", NULL);
	expect_errors("[forkgroup]\ndrain_timeout = 0ms\n" WEB,
	    "t.conf:2: drain_timeout: must be longer than 0", NULL);
	expect_errors(WEB "exit_after = 10081m\n",
	    "t.conf:3: exit_after: duration too long: \"10081m\"", NULL);
	expect_errors(WEB "exit_after = 1d\n",
	    "t.conf:3: exit_after: unknown duration unit (use ms, s or m): "
	    "\"1d\"", NULL);
	expect_errors(WEB "exit_after =\n",
	    "t.conf:3: exit_after: not a duration (expected a number and ms, "
	    "s or m): \"\"", NULL);
}
END_TEST

START_TEST(config_drain_vs_stop)
{
	/* Equal is already too long: the drain must end before the kill. */
	expect_errors("[forkgroup]\nstop_timeout = 4s\ndrain_timeout = 4000ms\n"
	    WEB,
	    "t.conf:3: drain_timeout (4000 ms) must be shorter than "
	    "stop_timeout (4000 ms), or children are killed mid-drain", NULL);
	expect_errors("[forkgroup]\ndrain_timeout = 9s\nstop_timeout = 2s\n"
	    WEB,
	    "t.conf:2: drain_timeout (9000 ms) must be shorter than "
	    "stop_timeout (2000 ms), or children are killed mid-drain", NULL);
	parse_ok("[forkgroup]\nstop_timeout = 2s\ndrain_timeout = 1999ms\n"
	    WEB);
	ck_assert_int_eq(cfg.drain_timeout_ms, 1999);
}
END_TEST

/* A default never contradicts the file: the unset one of the pair follows. */
START_TEST(config_timeouts_follow)
{
	/* Only stop_timeout: the drain is three fifths of it. */
	parse_ok("[forkgroup]\nstop_timeout = 2s\n" WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 2000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 1200);
	parse_ok("[forkgroup]\nstop_timeout = 60m\n" WEB);
	ck_assert_int_eq(cfg.drain_timeout_ms, 36 * 60 * 1000);
	parse_ok("[forkgroup]\nstop_timeout = 1ms\n" WEB);
	ck_assert_int_eq(cfg.drain_timeout_ms, 0);
	/* Only drain_timeout: stop_timeout is 5s unless that is too short. */
	parse_ok("[forkgroup]\ndrain_timeout = 4999ms\n" WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 5000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 4999);
	parse_ok("[forkgroup]\ndrain_timeout = 6s\n" WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 10000);
	ck_assert_int_eq(cfg.drain_timeout_ms, 6000);
	parse_ok("[forkgroup]\ndrain_timeout = 60m\n" WEB);
	ck_assert_int_eq(cfg.stop_timeout_ms, 100 * 60 * 1000);
	/* A refused value: its own error, and nothing follows from it. */
	expect_errors("[forkgroup]\nstop_timeout = 2\n" WEB,
	    "t.conf:2: stop_timeout: duration needs a unit (ms, s or m): "
	    "\"2\" (at most 60m)", NULL);
	ck_assert_int_eq(cfg.drain_timeout_ms, 3000);
}
END_TEST

/*
 * Each row of the table: its default parses, the key is taken in its own
 * section, refused in the other, and refused twice.
 */
START_TEST(config_key_table)
{
	const struct config_key	*k;
	char			 text[512], want[256];
	const char		*value;
	size_t			 i;

	ck_assert_uint_gt(config_nkeys, 10);
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		value = k->def;
		if (value == NULL)
			value = k->type == CONFIG_ADDRESS ? "127.0.0.1:8080" :
			    k->type == CONFIG_ACCOUNT ? "nobody" :
			    k->type == CONFIG_DURATION ? "1s" : "/srv";
		if (k->listener)
			snprintf(text, sizeof(text), "[listener web]\n%s%s = "
			    "%s\n", strcmp(k->name, "listen") == 0 ? "" :
			    "listen = 127.0.0.1:8080\n", k->name, value);
		else
			snprintf(text, sizeof(text), "[forkgroup]\n%s = %s\n%s"
			    WEB, k->name, value, strcmp(k->name, "group") == 0 ?
			    "user = nobody\n" : "");
		ck_assert_msg(parse(text) == 0, "%s = %s: %s", k->name, value,
		    errors_text());

		if (k->listener)
			snprintf(text, sizeof(text), "[forkgroup]\n%s = %s\n"
			    WEB, k->name, value);
		else
			snprintf(text, sizeof(text), WEB "%s = %s\n", k->name,
			    value);
		snprintf(want, sizeof(want), "t.conf:%d: %s: unknown key in %s",
		    k->listener ? 2 : 3, k->name, k->listener ? "[forkgroup]" :
		    "[listener web]");
		expect_errors(text, want, NULL);

		snprintf(text, sizeof(text), "%s%s = %s\n%s = %s\n%s",
		    k->listener ? "[listener x]\n" : "[forkgroup]\n", k->name,
		    value, k->name, value, k->listener &&
		    strcmp(k->name, "listen") != 0 ? "listen = 127.0.0.1:1\n" :
		    "");
		snprintf(want, sizeof(want), "t.conf:3: %s: duplicate key "
		    "(first at line 2)", k->name);
		parse(text);
		for (i = 0; i < errs.n; i++)
			if (errs.list[i].msg != NULL &&
			    strcmp(errs.list[i].msg, want) == 0)
				break;
		ck_assert_msg(i < errs.n, "%s twice: %s", k->name,
		    errors_text());
	}
}
END_TEST

/*
 * forkgroup.conf(5) documents every row in its section with the row's
 * default as the file spells it, and no key that is not a row.
 */
START_TEST(config_man_page)
{
	const struct config_key	*k;
	FILE			*fp;
	char			 line[1024], name[64], block[4096], *s;
	char			 want[128];
	int			 section = 0;	/* 1 [forkgroup], 2 listeners */
	size_t			 documented = 0, off;
	bool			 in = false;
	const struct config_key	*cur = NULL;

	fp = fopen(FG_CONF_MAN, "r");
	ck_assert_msg(fp != NULL, "%s: %s", FG_CONF_MAN, strerror(errno));
	block[0] = '\0';
	off = 0;
	for (;;) {
		bool eof = fgets(line, sizeof(line), fp) == NULL;

		line[strcspn(line, "\n")] = '\0';
		/* A key's block ends at the next item, list end or section. */
		if (in && (eof || strncmp(line, ".It Ic ", 7) == 0 ||
		    strncmp(line, ".El", 3) == 0 ||
		    strncmp(line, ".Ss ", 4) == 0)) {
			for (s = block; *s != '\0'; s++)
				*s = (char)tolower((unsigned char)*s);
			if (cur->def != NULL)
				snprintf(want, sizeof(want), "default %s",
				    cur->def);
			else
				snprintf(want, sizeof(want), "%s",
				    strcmp(cur->name, "listen") == 0 ?
				    "required" : "unset by default");
			ck_assert_msg(strstr(block, want) != NULL,
			    "forkgroup.conf(5): %s does not say \"%s\"",
			    cur->name, want);
			in = false;
		}
		if (eof)
			break;
		if (strcmp(line, ".Ss The [forkgroup] section") == 0)
			section = 1;
		else if (strcmp(line, ".Ss The [listener NAME] sections") == 0)
			section = 2;
		else if (strncmp(line, ".Ss ", 4) == 0)
			section = 0;
		if (section != 0 && strncmp(line, ".It Ic ", 7) == 0 &&
		    sscanf(line + 7, "%63[a-z_] Ar", name) == 1 &&
		    strstr(line, " Ar ") != NULL) {
			for (k = config_keys; k < config_keys + config_nkeys;
			    k++)
				if (strcmp(k->name, name) == 0)
					break;
			ck_assert_msg(k < config_keys + config_nkeys,
			    "forkgroup.conf(5) documents %s, not a key", name);
			ck_assert_msg(k->listener == (section == 2),
			    "forkgroup.conf(5) documents %s in the wrong "
			    "section", name);
			cur = k;
			in = true;
			documented++;
			off = 0;
			block[0] = '\0';
			continue;
		}
		/* The text of the block, macro names dropped: ".Cm no ." */
		if (in && off < sizeof(block) - 1) {
			s = line;
			if (*s == '.')
				s += strcspn(s, " ");
			off += (size_t)snprintf(block + off, sizeof(block) -
			    off, " %s", s + strspn(s, " "));
			if (off >= sizeof(block))
				off = sizeof(block) - 1;
		}
	}
	fclose(fp);
	ck_assert_uint_eq(documented, config_nkeys);
}
END_TEST

START_TEST(config_accounts)
{
	char	text[256];

	parse_ok("[forkgroup]\nuser = nobody\n" WEB);
	ck_assert_str_eq(cfg.user, "nobody");
	ck_assert_ptr_null(cfg.group);
	/* 32 characters is the longest name. */
	snprintf(text, sizeof(text), "[forkgroup]\nuser = %s\n" WEB,
	    "abcdefghijklmnopqrstuvwxyz012345");
	parse_ok(text);
	ck_assert_str_eq(cfg.user, "abcdefghijklmnopqrstuvwxyz012345");
	snprintf(text, sizeof(text), "[forkgroup]\nuser = %s\n" WEB,
	    "abcdefghijklmnopqrstuvwxyz0123456");
	expect_errors(text, "t.conf:2: user: invalid name "
	    "\"abcdefghijklmnopqrstuvwxyz0123456\"", NULL);
	expect_errors("[forkgroup]\nuser = www data\n" WEB,
	    "t.conf:2: user: invalid name \"www data\"", NULL);
	expect_errors("[forkgroup]\nuser = root:root\n" WEB,
	    "t.conf:2: user: invalid name \"root:root\"", NULL);
	expect_errors("[forkgroup]\nuser =\n" WEB,
	    "t.conf:2: user: invalid name \"\"", NULL);
	expect_errors("[forkgroup]\nuser = a\ngroup = b/c\n" WEB,
	    "t.conf:3: group: invalid name \"b/c\"", NULL);
}
END_TEST

START_TEST(config_serving_defaults)
{
	parse_ok(WEB);
	ck_assert_ptr_null(cfg.listeners[0].root);
	ck_assert_int_eq(cfg.listeners[0].root_line, 0);
	ck_assert_ptr_null(cfg.listeners[0].access_log);
	ck_assert_int_eq(cfg.listeners[0].read_timeout_ms, 30000);
	ck_assert_int_eq(cfg.listeners[0].idle_timeout_ms, 60000);
	ck_assert_int_eq(cfg.listeners[0].max_header_size, 8192);
	ck_assert_int_eq(cfg.listeners[0].max_body_size, 0);
}
END_TEST

START_TEST(config_serving_keys)
{
	parse_ok(WEB
	    "root = /srv/www\n"
	    "access_log = /var/log/forkgroup/web.log\n"
	    "read_timeout = 5s\n"
	    "idle_timeout = 250ms\n"
	    "max_header_size = 16k\n"
	    "max_body_size = 0\n"
	    "[listener api]\n"
	    "listen = 127.0.0.1:8081\n"
	    "access_log = stderr\n"
	    "read_timeout = 60m\n"
	    "max_header_size = 1m\n"
	    "max_body_size = 1g\n"
	    "[listener quiet]\n"
	    "listen = 127.0.0.1:8082\n"
	    "access_log = off\n"
	    "max_header_size = 1024\n");
	ck_assert_str_eq(cfg.listeners[0].root, "/srv/www");
	ck_assert_int_eq(cfg.listeners[0].root_line, 3);
	ck_assert_str_eq(cfg.listeners[0].access_log,
	    "/var/log/forkgroup/web.log");
	ck_assert_int_eq(cfg.listeners[0].read_timeout_ms, 5000);
	ck_assert_int_eq(cfg.listeners[0].idle_timeout_ms, 250);
	ck_assert_int_eq(cfg.listeners[0].max_header_size, 16384);
	ck_assert_int_eq(cfg.listeners[0].max_body_size, 0);
	ck_assert_ptr_null(cfg.listeners[1].root);
	ck_assert_str_eq(cfg.listeners[1].access_log, "stderr");
	ck_assert_int_eq(cfg.listeners[1].read_timeout_ms, 3600000);
	ck_assert_int_eq(cfg.listeners[1].idle_timeout_ms, 60000);
	ck_assert_int_eq(cfg.listeners[1].max_header_size, 1048576);
	ck_assert_int_eq(cfg.listeners[1].max_body_size, 1073741824);
	ck_assert_ptr_null(cfg.listeners[2].access_log);
	ck_assert_int_eq(cfg.listeners[2].max_header_size, 1024);
}
END_TEST

START_TEST(config_bad_serving_keys)
{
	expect_errors(WEB "root = srv/www\n",
	    "t.conf:3: root: expected an absolute path, not \"srv/www\"", NULL);
	expect_errors(WEB "root =\n",
	    "t.conf:3: root: expected an absolute path, not \"\"", NULL);
	expect_errors(WEB "access_log = web.log\n",
	    "t.conf:3: access_log: expected off, stderr or an absolute path, "
	    "not \"web.log\"", NULL);
	expect_errors(WEB "access_log = STDERR\n",
	    "t.conf:3: access_log: expected off, stderr or an absolute path, "
	    "not \"STDERR\"", NULL);
	expect_errors(WEB "read_timeout = 0\n",
	    "t.conf:3: read_timeout: must be longer than 0", NULL);
	expect_errors(WEB "idle_timeout = 61m\n",
	    "t.conf:3: idle_timeout: duration too long: \"61m\" (at most 60m)",
	    NULL);
	expect_errors(WEB "idle_timeout = 30\n",
	    "t.conf:3: idle_timeout: duration needs a unit (ms, s or m): "
	    "\"30\" (at most 60m)", NULL);
	expect_errors(WEB "max_header_size = 1023\n",
	    "t.conf:3: max_header_size: size too small: \"1023\" "
	    "(from 1k to 1m)", NULL);
	expect_errors(WEB "max_header_size = 2m\n",
	    "t.conf:3: max_header_size: size too large: \"2m\" (from 1k to 1m)",
	    NULL);
	expect_errors(WEB "max_body_size = 1025m\n",
	    "t.conf:3: max_body_size: size too large: \"1025m\" (from 0 to 1g)",
	    NULL);
	expect_errors(WEB "max_body_size = 1t\n",
	    "t.conf:3: max_body_size: unknown size unit (use k, m or g): "
	    "\"1t\" (from 0 to 1g)", NULL);
	expect_errors(WEB "max_body_size = -1\n",
	    "t.conf:3: max_body_size: not a size (expected a number, then k, m "
	    "or g): \"-1\" (from 0 to 1g)", NULL);
	/* Listener keys, not group ones. */
	expect_errors("[forkgroup]\nroot = /srv\n" WEB,
	    "t.conf:2: root: unknown key in [forkgroup]", NULL);
	expect_errors(WEB "root = /a\nroot = /b\naccess_log = off\n"
	    "access_log = stderr\nmax_body_size = 1k\nmax_body_size = 2k\n",
	    "t.conf:4: root: duplicate key (first at line 3)",
	    "t.conf:6: access_log: duplicate key (first at line 5)",
	    "t.conf:8: max_body_size: duplicate key (first at line 7)", NULL);
	ck_assert_str_eq(cfg.listeners[0].root, "/a");
	ck_assert_ptr_null(cfg.listeners[0].access_log);
	ck_assert_int_eq(cfg.listeners[0].max_body_size, 1024);
}
END_TEST

START_TEST(config_workers)
{
	parse_ok(WEB "[listener api]\nlisten = 127.0.0.1:8081\nworkers = 3\n"
	    "[listener big]\nlisten = 127.0.0.1:8082\nworkers = 64\n");
	ck_assert_uint_eq(cfg.listeners[0].workers, 1);
	ck_assert_uint_eq(cfg.listeners[1].workers, 3);
	ck_assert_uint_eq(cfg.listeners[2].workers, 64);
	ck_assert_uint_eq(cfg.nchildren, 68);
	expect_errors(WEB "workers = 0\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not \"0\"",
	    NULL);
	expect_errors(WEB "workers = 65\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not \"65\"",
	    NULL);
	expect_errors(WEB "workers = -2\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not \"-2\"",
	    NULL);
	expect_errors(WEB "workers = 2k\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not \"2k\"",
	    NULL);
	expect_errors(WEB "workers = 02\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not \"02\"",
	    NULL);
	expect_errors(WEB "workers = 99999999999999999999\n",
	    "t.conf:3: workers: expected a number from 1 to 64, not "
	    "\"99999999999999999999\"", NULL);
	expect_errors(WEB "workers = 2\nworkers = 3\n",
	    "t.conf:4: workers: duplicate key (first at line 3)", NULL);
	expect_errors("[forkgroup]\nworkers = 2\n" WEB,
	    "t.conf:2: workers: unknown key in [forkgroup]", NULL);
}
END_TEST

/* At most FG_CHILDREN_MAX children in all, said once where it goes past. */
START_TEST(config_too_many_children)
{
	char	text[8192];
	size_t	off = 0;
	int	i;

	for (i = 0; i < 18; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "[listener l%d]\nlisten = 127.0.0.1:%d\nworkers = 60\n", i,
		    8000 + i);
	expect_errors(text, "t.conf:54: too many children: [listener l17] "
	    "makes 1080, at most 1024 in all", NULL);
	/* Without a workers key, at the listener's header. */
	off = 0;
	for (i = 0; i < 17; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "[listener l%d]\nlisten = 127.0.0.1:%d\nworkers = 60\n", i,
		    8000 + i);
	snprintf(text + off, sizeof(text) - off, "[listener w]\n"
	    "listen = 127.0.0.1:9000\n[listener v]\nlisten = 127.0.0.1:9001\n");
	parse(text);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_uint_eq(cfg.nchildren, 1022);
	snprintf(text + off, sizeof(text) - off, "[listener w]\n"
	    "listen = 127.0.0.1:9000\nworkers = 4\n[listener v]\n"
	    "listen = 127.0.0.1:9001\n");
	expect_errors(text, "t.conf:55: too many children: [listener v] "
	    "makes 1025, at most 1024 in all", NULL);
}
END_TEST

START_TEST(config_reload_timeout)
{
	parse_ok(WEB);
	ck_assert_int_eq(cfg.reload_timeout_ms, 10000);
	parse_ok("[forkgroup]\nreload_timeout = 1500ms\n" WEB);
	ck_assert_int_eq(cfg.reload_timeout_ms, 1500);
	expect_errors("[forkgroup]\nreload_timeout = 0\n" WEB,
	    "t.conf:2: reload_timeout: must be longer than 0", NULL);
	expect_errors("[forkgroup]\nreload_timeout = 2h\n" WEB,
	    "t.conf:2: reload_timeout: unknown duration unit (use ms, s or m): "
	    "\"2h\" (at most 60m)", NULL);
	expect_errors("[forkgroup]\nreload_timeout = 1s\nreload_timeout = 2s\n"
	    WEB, "t.conf:3: reload_timeout: duplicate key (first at line 2)",
	    NULL);
}
END_TEST

/* A reload keeps the account: user and group as they were, set or not. */
START_TEST(config_reload_account)
{
	struct config	old;

	parse_ok("[forkgroup]\nuser = www-data\n" WEB);
	old = cfg;
	memset(&cfg, 0, sizeof(cfg));
	parse_ok("[forkgroup]\nuser = www-data\n" WEB "workers = 2\n");
	ck_assert_uint_eq(config_reload_check(&old, &cfg, &errs), 0);
	parse_ok("[forkgroup]\nuser = nobody\ngroup = nogroup\n" WEB);
	ck_assert_uint_eq(config_reload_check(&old, &cfg, &errs), 2);
	ck_assert_str_eq(errs.list[0].msg, "t.conf:2: user: was \"www-data\", "
	    "is \"nobody\": a reload cannot change the account; restart "
	    "forkgroup");
	ck_assert_str_eq(errs.list[1].msg, "t.conf:3: group: was unset, is "
	    "\"nogroup\": a reload cannot change the account; restart "
	    "forkgroup");
	/* A key taken out names the file as a whole, first. */
	parse("[forkgroup]\nreload_timeout = 0\n" WEB);
	ck_assert_uint_eq(config_reload_check(&old, &cfg, &errs), 2);
	ck_assert_str_eq(errs.list[0].msg, "t.conf: user: was \"www-data\", "
	    "is unset: a reload cannot change the account; restart forkgroup");
	ck_assert_str_eq(errs.list[1].msg,
	    "t.conf:2: reload_timeout: must be longer than 0");
	config_free(&old);
}
END_TEST

START_TEST(config_worker_names)
{
	char	name[FG_WORKER_NAME_MAX];

	parse_ok("[listener abcdefghijklmnopqrstuvwxyz012345]\n"
	    "listen = 127.0.0.1:8079\nworkers = 64\n" WEB);
	config_worker_name(&cfg.listeners[1], 1, name, sizeof(name));
	ck_assert_str_eq(name, "web");
	config_worker_name(&cfg.listeners[0], 2, name, sizeof(name));
	ck_assert_str_eq(name, "abcdefghijklmnopqrstuvwxyz012345#2");
	/* The longest name, with the largest number, fits. */
	config_worker_name(&cfg.listeners[0], 64, name, sizeof(name));
	ck_assert_str_eq(name, "abcdefghijklmnopqrstuvwxyz012345#64");
}
END_TEST

START_TEST(config_group_without_user)
{
	expect_errors("[forkgroup]\ngroup = www-data\n" WEB,
	    "t.conf:2: group: needs user as well", NULL);
	parse_ok("[forkgroup]\ngroup = www-data\nuser = www-data\n" WEB);
	ck_assert_str_eq(cfg.group, "www-data");
	ck_assert_str_eq(cfg.user, "www-data");
}
END_TEST

START_TEST(config_unknown_section)
{
	/* Its keys are not reported one by one: the header says it all. */
	expect_errors(WEB "[listeners]\nlisten = 127.0.0.1:1\n",
	    "t.conf:3: unknown section [listeners]", NULL);
	expect_errors("[bogus]\nfoo = bar\n" WEB,
	    "t.conf:1: unknown section [bogus]", NULL);
	expect_errors("[listenerweb]\n" WEB,
	    "t.conf:1: unknown section [listenerweb]", NULL);
	expect_errors("[ForkGroup]\n" WEB,
	    "t.conf:1: unknown section [ForkGroup]", NULL);
	expect_errors("[]\n" WEB, "t.conf:1: unknown section []", NULL);
}
END_TEST

START_TEST(config_unknown_key)
{
	expect_errors("[forkgroup]\nstop = 5s\n" WEB,
	    "t.conf:2: stop: unknown key in [forkgroup]", NULL);
	expect_errors("[forkgroup]\nlisten = 127.0.0.1:1\n" WEB,
	    "t.conf:2: listen: unknown key in [forkgroup]", NULL);
	expect_errors(WEB "docroot = /srv\nstop_timeout = 1s\n",
	    "t.conf:3: docroot: unknown key in [listener web]",
	    "t.conf:4: stop_timeout: unknown key in [listener web]", NULL);
	/* Keys are case-sensitive. */
	expect_errors(WEB "Shutdown = yes\n",
	    "t.conf:3: Shutdown: unknown key in [listener web]", NULL);
}
END_TEST

START_TEST(config_key_outside_section)
{
	expect_errors("listen = 127.0.0.1:1\n" WEB,
	    "t.conf:1: listen: key outside any section", NULL);
	expect_errors("; comment\n\nstop_timeout = 1s\n" WEB,
	    "t.conf:3: stop_timeout: key outside any section", NULL);
}
END_TEST

START_TEST(config_duplicate_key)
{
	expect_errors(WEB "listen = 127.0.0.1:8081\n",
	    "t.conf:3: listen: duplicate key (first at line 2)", NULL);
	/* The first value stays. */
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	expect_errors(WEB "shutdown = yes\n\nshutdown = no\n",
	    "t.conf:5: shutdown: duplicate key (first at line 3)", NULL);
	expect_errors(WEB "exit_after = 1s\nexit_after = 1s\n",
	    "t.conf:4: exit_after: duplicate key (first at line 3)", NULL);
	expect_errors("[forkgroup]\nstop_timeout = 9s\nstop_timeout = 8s\n" WEB,
	    "t.conf:3: stop_timeout: duplicate key (first at line 2)", NULL);
	ck_assert_int_eq(cfg.stop_timeout_ms, 9000);
	expect_errors("[forkgroup]\ndrain_timeout = 1s\ndrain_timeout = 1s\n"
	    WEB, "t.conf:3: drain_timeout: duplicate key (first at line 2)",
	    NULL);
	expect_errors("[forkgroup]\nuser = a\nuser = b\n" WEB,
	    "t.conf:3: user: duplicate key (first at line 2)", NULL);
	ck_assert_str_eq(cfg.user, "a");
	expect_errors("[forkgroup]\nuser = a\ngroup = a\ngroup = b\n" WEB,
	    "t.conf:4: group: duplicate key (first at line 3)", NULL);
	/* Two [forkgroup] sections are one: a key set in both is a duplicate. */
	expect_errors("[forkgroup]\nstop_timeout = 9s\n" WEB
	    "[forkgroup]\nstop_timeout = 8s\n",
	    "t.conf:6: stop_timeout: duplicate key (first at line 2)", NULL);
}
END_TEST

START_TEST(config_duplicate_after_bad_value)
{
	/* The first, refused, value still names its line, as a line number. */
	expect_errors("[listener web]\nlisten = 127.0.0.1:0\n"
	    "listen = 127.0.0.1:8080\n",
	    "t.conf:2: listen: port is not a number from 1 to 65535: "
	    "\"127.0.0.1:0\"",
	    "t.conf:3: listen: duplicate key (first at line 2)", NULL);
	expect_errors(WEB "shutdown = perhaps\nshutdown = yes\n",
	    "t.conf:3: shutdown: expected yes or no, not \"perhaps\"",
	    "t.conf:4: shutdown: duplicate key (first at line 3)", NULL);
}
END_TEST

START_TEST(config_duplicate_listener)
{
	/* The second section's keys are ignored, not reported again. */
	expect_errors(WEB "\n[listener web]\nlisten = 127.0.0.1:9090\n",
	    "t.conf:4: duplicate listener name \"web\" (first at line 1)", NULL);
	ck_assert_uint_eq(cfg.nlisteners, 1);
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	/* Names are case-sensitive. */
	parse_ok(WEB "[listener Web]\nlisten = 127.0.0.1:9090\n");
	ck_assert_uint_eq(cfg.nlisteners, 2);
}
END_TEST

START_TEST(config_duplicate_address)
{
	expect_errors(WEB "[listener api]\nlisten = 127.0.0.1:8080\n",
	    "t.conf:4: listen: 127.0.0.1:8080 is already used by "
	    "[listener web] (line 2)", NULL);
	/* Spelled differently, same socket. */
	expect_errors("[listener a]\nlisten = *:80\n"
	    "[listener b]\nlisten = 0.0.0.0:80\n",
	    "t.conf:4: listen: 0.0.0.0:80 is already used by [listener a] "
	    "(line 2)", NULL);
	expect_errors("[listener a]\nlisten = [::1]:80\n"
	    "[listener b]\nlisten = [0::1]:80\n",
	    "t.conf:4: listen: [::1]:80 is already used by [listener a] "
	    "(line 2)", NULL);
	/* Same port on different addresses or families is fine. */
	parse_ok("[listener a]\nlisten = 127.0.0.1:80\n"
	    "[listener b]\nlisten = 127.0.0.2:80\n"
	    "[listener c]\nlisten = [::1]:80\n");
}
END_TEST

START_TEST(config_overlapping_address)
{
	/* A wildcard and another address of its family, either way round. */
	expect_errors("[listener a]\nlisten = *:80\n"
	    "[listener b]\nlisten = 127.0.0.1:80\n",
	    "t.conf:4: listen: 127.0.0.1:80 overlaps 0.0.0.0:80 of "
	    "[listener a] (line 2): a wildcard takes the port on every "
	    "address of its family", NULL);
	expect_errors("[listener a]\nlisten = 127.0.0.1:80\n"
	    "[listener b]\nlisten = 0.0.0.0:80\n",
	    "t.conf:4: listen: 0.0.0.0:80 overlaps 127.0.0.1:80 of "
	    "[listener a] (line 2): a wildcard takes the port on every "
	    "address of its family", NULL);
	expect_errors("[listener a]\nlisten = [::1]:80\n"
	    "[listener b]\nlisten = [::]:80\n",
	    "t.conf:4: listen: [::]:80 overlaps [::1]:80 of [listener a] "
	    "(line 2): a wildcard takes the port on every address of its "
	    "family", NULL);
	/* One error per pair: a third listener meets both. */
	expect_errors("[listener a]\nlisten = 127.0.0.1:80\n"
	    "[listener b]\nlisten = 127.0.0.2:80\n"
	    "[listener c]\nlisten = *:80\n",
	    "t.conf:6: listen: 0.0.0.0:80 overlaps 127.0.0.1:80 of "
	    "[listener a] (line 2): a wildcard takes the port on every "
	    "address of its family",
	    "t.conf:6: listen: 0.0.0.0:80 overlaps 127.0.0.2:80 of "
	    "[listener b] (line 4): a wildcard takes the port on every "
	    "address of its family", NULL);
	/* IPv6 sockets are IPv6-only: [::] and IPv4 share a port. */
	parse_ok("[listener a]\nlisten = [::]:80\n"
	    "[listener b]\nlisten = 127.0.0.1:80\n"
	    "[listener c]\nlisten = *:81\n"
	    "[listener d]\nlisten = [::]:81\n"
	    "[listener e]\nlisten = *:82\n"
	    "[listener f]\nlisten = [::1]:82\n");
}
END_TEST

START_TEST(config_missing_listen)
{
	expect_errors("[listener web]\nshutdown = yes\n",
	    "t.conf:1: [listener web] has no listen address", NULL);
	expect_errors(WEB "\n[listener api]\n",
	    "t.conf:4: [listener api] has no listen address", NULL);
}
END_TEST

START_TEST(config_bad_listen)
{
	expect_errors("[listener web]\nlisten = 127.0.0.1:0\n",
	    "t.conf:2: listen: port is not a number from 1 to 65535: "
	    "\"127.0.0.1:0\"", NULL);
	expect_errors("[listener web]\nlisten = 127.0.0.1:65536\n",
	    "t.conf:2: listen: port is not a number from 1 to 65535: "
	    "\"127.0.0.1:65536\"", NULL);
	expect_errors("[listener web]\nlisten = localhost:80\n",
	    "t.conf:2: listen: not a numeric IPv4 address or *: "
	    "\"localhost:80\"", NULL);
	expect_errors("[listener web]\nlisten = ::1:80\n",
	    "t.conf:2: listen: IPv6 addresses need brackets: [addr]:port: "
	    "\"::1:80\"", NULL);
	expect_errors("[listener web]\nlisten =\n",
	    "t.conf:2: listen: expected host:port: \"\"", NULL);
	/* A refused address is not compared with the others. */
	expect_errors(WEB "[listener b]\nlisten = 127.0.0.1:8080x\n",
	    "t.conf:4: listen: port is not a number from 1 to 65535: "
	    "\"127.0.0.1:8080x\"", NULL);
}
END_TEST

START_TEST(config_listener_names)
{
	char	text[256];

	snprintf(text, sizeof(text), "[listener %s]\nlisten = *:1\n",
	    "A-z_09-abcdefghijklmnopqrstuvwxy");
	parse_ok(text);
	ck_assert_str_eq(cfg.listeners[0].name,
	    "A-z_09-abcdefghijklmnopqrstuvwxy");
	snprintf(text, sizeof(text), "[listener %s]\nlisten = *:1\n",
	    "A-z_09-abcdefghijklmnopqrstuvwxyz");
	expect_errors(text, "t.conf:1: invalid listener name "
	    "\"A-z_09-abcdefghijklmnopqrstuvwxyz\" (1 to 32 of "
	    "A-Z a-z 0-9 _ -)", NULL);
	expect_errors("[listener a.b]\nlisten = *:1\n",
	    "t.conf:1: invalid listener name \"a.b\" (1 to 32 of "
	    "A-Z a-z 0-9 _ -)", NULL);
	expect_errors("[listener two words]\nlisten = *:1\n",
	    "t.conf:1: invalid listener name \"two words\" (1 to 32 of "
	    "A-Z a-z 0-9 _ -)", NULL);
	/* Blanks around the name and after "listener" are not part of it. */
	parse_ok("[ listener \t web ]\nlisten = *:1\n");
	ck_assert_str_eq(cfg.listeners[0].name, "web");
}
END_TEST

START_TEST(config_listener_without_name)
{
	expect_errors("[listener]\nlisten = *:1\n" WEB,
	    "t.conf:1: listener section needs a name: [listener NAME]", NULL);
	expect_errors(WEB "[listener   ]\nlisten = *:1\n",
	    "t.conf:3: listener section needs a name: [listener NAME]", NULL);
	ck_assert_uint_eq(cfg.nlisteners, 1);
}
END_TEST

START_TEST(config_bad_header)
{
	expect_errors("[listener web\nlisten = 127.0.0.1:1\n",
	    "t.conf:1: unterminated section header", NULL);
	expect_errors(WEB "[forkgroup\n",
	    "t.conf:3: unterminated section header", NULL);
	expect_errors("[listener web] x\nlisten = 127.0.0.1:1\n",
	    "t.conf:1: unexpected text after section header", NULL);
	expect_errors("[forkgroup]]\n" WEB,
	    "t.conf:1: unexpected text after section header", NULL);
	/* A comment after the header is no text. */
	parse_ok("[forkgroup] ; the group\n[listener web] # web\n"
	    "listen = 127.0.0.1:1\n");
}
END_TEST

START_TEST(config_bad_header_section)
{
	/*
	 * The keys under a refused header belong to no section: they must not
	 * land in the section before it.
	 */
	expect_errors(WEB "[listener api] x\nlisten = 127.0.0.1:9090\n",
	    "t.conf:3: unexpected text after section header", NULL);
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	expect_errors(WEB "[listener api\nlisten = 127.0.0.1:9090\n",
	    "t.conf:3: unterminated section header", NULL);
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	expect_errors("[forkgroup]\nstop_timeout = 9s\n[forkgroup x\n"
	    "stop_timeout = 8s\n" WEB,
	    "t.conf:3: unterminated section header", NULL);
}
END_TEST

START_TEST(config_expected_key_value)
{
	expect_errors(WEB "shutdown yes\n",
	    "t.conf:3: expected key = value", NULL);
	expect_errors("[forkgroup]\njunk\n" WEB,
	    "t.conf:2: expected key = value", NULL);
	/* Even inside an unknown section: the line itself is malformed. */
	expect_errors("[bogus]\njunk\n" WEB,
	    "t.conf:1: unknown section [bogus]",
	    "t.conf:2: expected key = value", NULL);
	/* A "=" that only a comment holds is no key. */
	expect_errors(WEB "shutdown ; = yes\n",
	    "t.conf:3: expected key = value", NULL);
	expect_errors(WEB "= yes\n", "t.conf:3: expected key = value", NULL);
}
END_TEST

START_TEST(config_colon_separator)
{
	/* inih also takes ":" for "=": "key: value" is a key. */
	parse_ok("[listener web]\nshutdown: yes\nlisten = 127.0.0.1:1\n");
	ck_assert(cfg.listeners[0].shutdown);
	/* A forgotten "=" gives an unknown key, never a silent guess. */
	expect_errors(WEB "[listener b]\nlisten 127.0.0.1:9\n",
	    "t.conf:3: [listener b] has no listen address",
	    "t.conf:4: listen 127.0.0.1: unknown key in [listener b]", NULL);
}
END_TEST

START_TEST(config_comments)
{
	parse_ok("; a comment\n# another\n   ; indented comment\n"
	    "[listener web] ; the web\n"
	    "listen = 127.0.0.1:8080 ; where\n"
	    "shutdown = yes\t; tab before\n"
	    "exit_after = 5s ; with = and : inside\n");
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	ck_assert(cfg.listeners[0].shutdown);
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, 5000);
}
END_TEST

START_TEST(config_indented_key)
{
	/*
	 * inih would append an indented line to the previous value; here it
	 * is a key of its own.
	 */
	parse_ok("[listener web]\nlisten = 127.0.0.1:8080\n  shutdown = yes\n"
	    "\t\texit_after = 1s\n");
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	ck_assert(cfg.listeners[0].shutdown);
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, 1000);
	expect_errors("[listener web]\nlisten = 127.0.0.1:8080\n  more\n",
	    "t.conf:3: expected key = value", NULL);
	expect_errors("[listener web]\nshutdown = yes\n  listen = 127.0.0.1:0\n",
	    "t.conf:3: listen: port is not a number from 1 to 65535: "
	    "\"127.0.0.1:0\"", NULL);
	parse_ok("  [listener web]\n  listen = 127.0.0.1:8080\n");
}
END_TEST

START_TEST(config_bom)
{
	parse_ok("\xef\xbb\xbf[listener web]\nlisten = 127.0.0.1:8080\n");
	ck_assert_str_eq(cfg.listeners[0].name, "web");
	parse_ok("\xef\xbb\xbf; comment\n" WEB);
	/* Only on line 1: elsewhere it is text. */
	expect_errors(WEB "\xef\xbb\xbf[listener b]\n",
	    "t.conf:3: expected key = value", NULL);
}
END_TEST

START_TEST(config_line_endings)
{
	parse_ok("[listener web]\r\nlisten = 127.0.0.1:8080\r\n"
	    "shutdown = yes\r\n");
	ck_assert(cfg.listeners[0].shutdown);
	/* No newline at the end of the file. */
	parse_ok("[listener web]\nlisten = 127.0.0.1:8080\nshutdown = on");
	ck_assert(cfg.listeners[0].shutdown);
	expect_errors("[listener web]\nlisten = 127.0.0.1:8080\nbad",
	    "t.conf:3: expected key = value", NULL);
}
END_TEST

START_TEST(config_long_line)
{
	static const char	tail[] = "listen = 127.0.0.1:9999 ; ";
	char			text[512], line[251];

	/*
	 * 250 characters: inih's 200-byte buffer would cut it after 198 and
	 * read the tail as a line of its own, here a second listen key.
	 */
	memset(line, 'x', sizeof(line));
	line[0] = ';';
	memcpy(line + 198, tail, sizeof(tail) - 1);
	line[250] = '\0';
	snprintf(text, sizeof(text), WEB "%s\nshutdown = yes\n", line);
	expect_errors(text,
	    "t.conf:3: line too long (at most 198 characters)", NULL);
	ck_assert_str_eq(cfg.listeners[0].addr_text, "127.0.0.1:8080");
	/* Line numbers after it still count. */
	ck_assert(cfg.listeners[0].shutdown);
	/* A long key line is dropped whole, not half-read. */
	snprintf(text, sizeof(text), "[listener web]\nlisten = "
	    "127.0.0.1:8080%240s\n", "");
	expect_errors(text,
	    "t.conf:1: [listener web] has no listen address",
	    "t.conf:2: line too long (at most 198 characters)", NULL);
}
END_TEST

START_TEST(config_line_length_bound)
{
	char	text[512], line[200];

	memset(line, 'x', sizeof(line));
	line[0] = ';';
	line[198] = '\0';
	snprintf(text, sizeof(text), "%s\n" WEB, line);
	parse_ok(text);
	line[198] = 'x';
	line[199] = '\0';
	snprintf(text, sizeof(text), "%s\n" WEB, line);
	expect_errors(text,
	    "t.conf:1: line too long (at most 198 characters)", NULL);
}
END_TEST

START_TEST(config_nul_byte)
{
	static const char text[] = WEB "shut\0down = yes\nexit_after = 1s\n";
	static const char last[] = WEB "\0";

	ck_assert_uint_eq(parse_bytes(text, sizeof(text) - 1), 1);
	ck_assert_str_eq(errs.list[0].msg, "t.conf:3: NUL byte in line");
	ck_assert(!cfg.listeners[0].shutdown);
	ck_assert_int_eq(cfg.listeners[0].exit_after_ms, 1000);
	ck_assert_uint_eq(parse_bytes(last, sizeof(last) - 1), 1);
	ck_assert_str_eq(errs.list[0].msg, "t.conf:3: NUL byte in line");
}
END_TEST

START_TEST(config_empty)
{
	expect_errors("",
	    "t.conf:1: no listeners: add a [listener NAME] section", NULL);
	ck_assert_uint_eq(cfg.nlisteners, 0);
	expect_errors("\n\n",
	    "t.conf:2: no listeners: add a [listener NAME] section", NULL);
}
END_TEST

START_TEST(config_no_listeners)
{
	expect_errors("; nothing to serve\n[forkgroup]\nstop_timeout = 9s\n",
	    "t.conf:3: no listeners: add a [listener NAME] section", NULL);
	/* Reported along with the other errors, not instead of them. */
	expect_errors("[forkgroup]\ncolour = blue\n",
	    "t.conf:2: colour: unknown key in [forkgroup]",
	    "t.conf:2: no listeners: add a [listener NAME] section", NULL);
	expect_errors("[forkgroup]\nstop_timeout = 5\n[server web]\n"
	    "listen = *:80\n",
	    "t.conf:2: stop_timeout: duration needs a unit (ms, s or m): "
	    "\"5\" (at most 60m)",
	    "t.conf:3: unknown section [server web]",
	    "t.conf:4: no listeners: add a [listener NAME] section", NULL);
	expect_errors("[listenerweb]\nlisten = *:80\n",
	    "t.conf:1: unknown section [listenerweb]",
	    "t.conf:2: no listeners: add a [listener NAME] section", NULL);
	/* A refused listener header was meant as one: its error says all. */
	expect_errors("[listener]\nlisten = *:80\n",
	    "t.conf:1: listener section needs a name: [listener NAME]", NULL);
	expect_errors("[listener w/eb]\nlisten = *:80\n",
	    "t.conf:1: invalid listener name \"w/eb\" (1 to 32 of "
	    "A-Z a-z 0-9 _ -)", NULL);
	expect_errors("[ listener web\nlisten = *:80\n",
	    "t.conf:1: unterminated section header", NULL);
	expect_errors("[listener web] x\nlisten = *:80\n",
	    "t.conf:1: unexpected text after section header", NULL);
}
END_TEST

START_TEST(config_too_many_listeners)
{
	char	*text, *p;
	size_t	 i, size = (FG_LISTENERS_MAX + 1) * 64;

	text = p = malloc(size);
	ck_assert_ptr_nonnull(text);
	for (i = 0; i < FG_LISTENERS_MAX; i++)
		p += sprintf(p, "[listener l%zu]\nlisten = 127.0.0.1:%zu\n", i,
		    10000 + i);
	parse_ok(text);
	ck_assert_uint_eq(cfg.nlisteners, FG_LISTENERS_MAX);
	ck_assert_str_eq(cfg.listeners[FG_LISTENERS_MAX - 1].addr_text,
	    "127.0.0.1:10511");

	/* One more is refused at its header; its keys go with it. */
	sprintf(p, "[listener extra]\nlisten = 127.0.0.1:10000\n");
	expect_errors(text, "t.conf:1025: too many listeners (at most 512)",
	    NULL);
	ck_assert_uint_eq(cfg.nlisteners, FG_LISTENERS_MAX);
	free(text);
}
END_TEST

START_TEST(config_all_errors_sorted)
{
	/*
	 * Found in this order: line 2, 6, 7, 9 while reading, then 3 and 9
	 * when validating.  Reported by line, and in the order found within
	 * a line.
	 */
	expect_errors(
	    "[forkgroup]\n"			/* 1 */
	    "bogus = 1\n"			/* 2 */
	    "[listener a]\n"			/* 3 */
	    "[listener b]\n"			/* 4 */
	    "listen = 127.0.0.1:1\n"		/* 5 */
	    "[weird]\n"				/* 6 */
	    "junk\n"				/* 7 */
	    "[listener c]\n"			/* 8 */
	    "listen = 127.0.0.1:1\n"		/* 9 */
	    "[listener d]\n"			/* 10 */
	    "listen = 127.0.0.1:1\n",		/* 11 */
	    "t.conf:2: bogus: unknown key in [forkgroup]",
	    "t.conf:3: [listener a] has no listen address",
	    "t.conf:6: unknown section [weird]",
	    "t.conf:7: expected key = value",
	    "t.conf:9: listen: 127.0.0.1:1 is already used by [listener b] "
	    "(line 5)",
	    "t.conf:11: listen: 127.0.0.1:1 is already used by [listener b] "
	    "(line 5)",
	    "t.conf:11: listen: 127.0.0.1:1 is already used by [listener c] "
	    "(line 9)", NULL);
	ck_assert_int_eq(errs.list[0].line, 2);
	ck_assert_int_eq(errs.list[6].line, 11);
	ck_assert_uint_lt(errs.list[5].seq, errs.list[6].seq);
}
END_TEST

START_TEST(config_load_missing)
{
	ck_assert_uint_eq(config_load("/nonexistent/forkgroup.conf", &cfg,
	    &errs), 1);
	ck_assert_str_eq(errs.list[0].msg,
	    "/nonexistent/forkgroup.conf: No such file or directory");
	ck_assert_int_eq(errs.list[0].line, 0);
	ck_assert_uint_eq(cfg.nlisteners, 0);
}
END_TEST

START_TEST(config_load_file)
{
	char	 path[] = "/tmp/check_config.XXXXXX";
	FILE	*fp;
	int	 fd;

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(WEB "[listener admin]\nlisten = 127.0.0.1:8081\nbad\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_uint_eq(config_load(path, &cfg, &errs), 1);
	ck_assert_str_eq(cfg.path, path);
	ck_assert_uint_eq(cfg.nlisteners, 2);
	/* Messages name the file as given. */
	ck_assert_int_eq(strncmp(errs.list[0].msg, path, strlen(path)), 0);
	ck_assert_str_eq(errs.list[0].msg + strlen(path),
	    ":5: expected key = value");
	unlink(path);
}
END_TEST

START_TEST(config_free_twice)
{
	/* Freeing leaves empty structures, so freeing again is harmless. */
	parse("[listener web]\n");
	ck_assert_uint_eq(errs.n, 1);
	config_free(&cfg);
	config_errors_free(&errs);
	ck_assert_ptr_null(cfg.listeners);
	ck_assert_uint_eq(cfg.nlisteners, 0);
	ck_assert_ptr_null(errs.list);
	ck_assert_uint_eq(errs.n, 0);
	config_free(&cfg);
	config_errors_free(&errs);
}
END_TEST

Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc;

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_defaults);
	tcase_add_test(tc, config_full);
	tcase_add_test(tc, config_bools);
	tcase_add_test(tc, config_durations);
	tcase_add_test(tc, config_accounts);
	tcase_add_test(tc, config_serving_defaults);
	tcase_add_test(tc, config_serving_keys);
	tcase_add_test(tc, config_workers);
	tcase_add_test(tc, config_worker_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("global");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_bad_durations);
	tcase_add_test(tc, config_drain_vs_stop);
	tcase_add_test(tc, config_timeouts_follow);
	tcase_add_test(tc, config_key_table);
	tcase_add_test(tc, config_man_page);
	tcase_add_test(tc, config_reload_timeout);
	tcase_add_test(tc, config_reload_account);
	tcase_add_test(tc, config_group_without_user);
	suite_add_tcase(s, tc);

	tc = tcase_create("sections");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_unknown_section);
	tcase_add_test(tc, config_listener_names);
	tcase_add_test(tc, config_listener_without_name);
	tcase_add_test(tc, config_bad_header);
	tcase_add_test(tc, config_bad_header_section);
	tcase_add_test(tc, config_duplicate_listener);
	tcase_add_test(tc, config_too_many_listeners);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_unknown_key);
	tcase_add_test(tc, config_key_outside_section);
	tcase_add_test(tc, config_duplicate_key);
	tcase_add_test(tc, config_duplicate_after_bad_value);
	tcase_add_test(tc, config_bad_bool);
	tcase_add_test(tc, config_bad_serving_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("listen");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_missing_listen);
	tcase_add_test(tc, config_bad_listen);
	tcase_add_test(tc, config_duplicate_address);
	tcase_add_test(tc, config_overlapping_address);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_expected_key_value);
	tcase_add_test(tc, config_colon_separator);
	tcase_add_test(tc, config_comments);
	tcase_add_test(tc, config_indented_key);
	tcase_add_test(tc, config_bom);
	tcase_add_test(tc, config_line_endings);
	tcase_add_test(tc, config_long_line);
	tcase_add_test(tc, config_line_length_bound);
	tcase_add_test(tc, config_nul_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("whole file");
	tcase_add_checked_fixture(tc, NULL, config_teardown);
	tcase_add_test(tc, config_empty);
	tcase_add_test(tc, config_no_listeners);
	tcase_add_test(tc, config_too_many_children);
	tcase_add_test(tc, config_all_errors_sorted);
	tcase_add_test(tc, config_load_missing);
	tcase_add_test(tc, config_load_file);
	tcase_add_test(tc, config_free_twice);
	suite_add_tcase(s, tc);
	return s;
}
