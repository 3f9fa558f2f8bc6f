/* check_forkgroup.c: unit tests of the pure modules (duration, address, config, group, query, evmem, the log's backlog), of process titles and of the signal self-pipe, one Check suite each. */
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* By path: the build gives the tests no -I for src/. */
#include "../src/forkgroup.h"

#ifdef FG_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* A listener that makes an otherwise empty config valid. */
#define WEB	"[listener web]\nlisten = 127.0.0.1:8080\n"

static int		 duration(const char *, int64_t, int64_t *);
static const char	*duration_error(const char *, int64_t);
static const char	*address_error(const char *);
static void		 address_roundtrip(const char *, const char *);
static size_t		 parse_bytes(const char *, size_t);
static size_t		 parse(const char *);
static const char	*errors_text(void);
static void		 parse_ok_at(int, const char *);
static void		 expect_errors_at(int, const char *, ...);
static void		 config_teardown(void);
static void		 members_make(struct member *, size_t, const char *,
			    pid_t);
static void		 group_setup(size_t);
static void		 group_running(size_t);
static struct generation *reload_start(struct member *, size_t);
static void		 reload_serve(struct member *, size_t);
static char		*describe(int);
static void		 assert_marked(const struct member *, size_t, bool, bool);
static Suite		*duration_suite(void);
static Suite		*address_suite(void);
static Suite		*config_suite(void);
static Suite		*group_suite(void);
static Suite		*query_suite(void);
static char		**title_layout(const char *, ...);
static const char	*title_seen(void);
static Suite		*proctitle_suite(void);
static Suite		*selfpipe_suite(void);
static Suite		*backlog_suite(void);
static Suite		*evmem_suite(void);

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

static Suite *
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

/* address_parse, address_format, address_equal */

static const char *
address_error(const char *text)
{
	struct address	 a;
	const char	*why = NULL;

	ck_assert_msg(address_parse(text, &a, &why) == -1,
	    "\"%s\" accepted", text);
	ck_assert_ptr_nonnull(why);
	return why;
}

/* text parses, and formats back as want. */
static void
address_roundtrip(const char *text, const char *want)
{
	struct address	 a, b;
	const char	*why = NULL;
	char		 buf[FG_ADDRSTRLEN];

	ck_assert_msg(address_parse(text, &a, &why) == 0, "\"%s\": %s", text,
	    why);
	address_format(&a, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
	/* The formatted text is itself a valid address, and the same one. */
	ck_assert_int_eq(address_parse(buf, &b, &why), 0);
	ck_assert(address_equal(&a, &b));
	ck_assert_uint_eq(a.len, b.len);
}

START_TEST(address_ipv4)
{
	struct address		 a;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a.ss;
	const char		*why;

	ck_assert_int_eq(address_parse("127.0.0.1:8080", &a, &why), 0);
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 8080);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
	ck_assert_uint_eq(a.len, sizeof(struct sockaddr_in));

	ck_assert_int_eq(address_parse("192.0.2.7:1", &a, &why), 0);
	ck_assert_uint_eq(ntohs(sin->sin_port), 1);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc0000207);

	ck_assert_int_eq(address_parse("0.0.0.0:65535", &a, &why), 0);
	ck_assert_uint_eq(ntohs(sin->sin_port), 65535);
	ck_assert_uint_eq(sin->sin_addr.s_addr, htonl(INADDR_ANY));
}
END_TEST

START_TEST(address_any)
{
	struct address		 a;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a.ss;
	const char		*why;

	/* "*" must not leave a stale address behind: fill a first. */
	ck_assert_int_eq(address_parse("10.1.2.3:9", &a, &why), 0);
	ck_assert_int_eq(address_parse("*:80", &a, &why), 0);
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 80);
	ck_assert_uint_eq(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	ck_assert_uint_eq(a.len, sizeof(struct sockaddr_in));
}
END_TEST

START_TEST(address_ipv6)
{
	struct address		 a;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&a.ss;
	const char		*why;

	ck_assert_int_eq(address_parse("[::1]:8443", &a, &why), 0);
	ck_assert_int_eq(sin6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 8443);
	ck_assert(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
	ck_assert_uint_eq(a.len, sizeof(struct sockaddr_in6));

	ck_assert_int_eq(address_parse("[::]:80", &a, &why), 0);
	ck_assert(IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
	ck_assert_int_eq(address_parse("[2001:db8::1]:1", &a, &why), 0);
	ck_assert_uint_eq(sin6->sin6_addr.s6_addr[0], 0x20);
	ck_assert_uint_eq(sin6->sin6_addr.s6_addr[15], 0x01);
	/* Never bindable on the IPv6-only sockets listener.c makes. */
	ck_assert_int_eq(address_parse("[::ffff:192.0.2.1]:80", &a, &why), -1);
	ck_assert_str_eq(why,
	    "an IPv4-mapped address; write the IPv4 address as a.b.c.d:port");
}
END_TEST

START_TEST(address_bad_port)
{
	static const char *bad[] = {
		"127.0.0.1:0", "127.0.0.1:00000", "127.0.0.1:65536",
		"127.0.0.1:99999", "127.0.0.1:100000", "127.0.0.1:008080",
		"127.0.0.1:http", "127.0.0.1:80a", "127.0.0.1:8o", "127.0.0.1:-1",
		"127.0.0.1:+80", "127.0.0.1: 80", "127.0.0.1:80 ", "*:0",
		"[::1]:0", "[::1]:65536", "[::1]:123456", "[::1]:x",
		"[::1]:80]"
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_str_eq(address_error(bad[i]),
		    "port is not a number from 1 to 65535");
}
END_TEST

START_TEST(address_port_bounds)
{
	struct address		 a;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a.ss;
	const char		*why;

	ck_assert_int_eq(address_parse("127.0.0.1:65535", &a, &why), 0);
	ck_assert_uint_eq(ntohs(sin->sin_port), 65535);
	/* Five digits with a leading zero are still a port. */
	ck_assert_int_eq(address_parse("127.0.0.1:08080", &a, &why), 0);
	ck_assert_uint_eq(ntohs(sin->sin_port), 8080);
}
END_TEST

START_TEST(address_missing_port)
{
	ck_assert_str_eq(address_error("127.0.0.1:"), "missing port");
	ck_assert_str_eq(address_error("*:"), "missing port");
	ck_assert_str_eq(address_error("[::1]:"), "missing port");
	ck_assert_str_eq(address_error("127.0.0.1"), "expected host:port");
	ck_assert_str_eq(address_error("*"), "expected host:port");
	ck_assert_str_eq(address_error(""), "expected host:port");
	ck_assert_str_eq(address_error(":80"), "expected host:port");
	ck_assert_str_eq(address_error("[::1]"), "expected [IPv6]:port");
	ck_assert_str_eq(address_error("[::1]80"), "expected [IPv6]:port");
	ck_assert_str_eq(address_error("[::1:80"), "expected [IPv6]:port");
	ck_assert_str_eq(address_error("[::1]x:80"), "expected [IPv6]:port");
	ck_assert_str_eq(address_error("[[::1]]:80"), "expected [IPv6]:port");
}
END_TEST

START_TEST(address_unbracketed_ipv6)
{
	ck_assert_str_eq(address_error("::1:80"),
	    "IPv6 addresses need brackets: [addr]:port");
	ck_assert_str_eq(address_error("2001:db8::1:8080"),
	    "IPv6 addresses need brackets: [addr]:port");
	ck_assert_str_eq(address_error("::1"),
	    "IPv6 addresses need brackets: [addr]:port");
}
END_TEST

START_TEST(address_bad_host)
{
	static const char *v4[] = {
		"localhost:80", "example.com:80", "1.2.3:80", "1.2.3.4.5:80",
		"256.0.0.1:80", "**:80", " 127.0.0.1:80", "1.2.3.4]:80"
	};
	static const char *v6[] = {
		"[]:80", "[1.2.3.4]:80", "[localhost]:80", "[::g]:80",
		"[fe80::1%lo]:80"
	};
	size_t	i;

	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		ck_assert_str_eq(address_error(v4[i]),
		    "not a numeric IPv4 address or *");
	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		ck_assert_str_eq(address_error(v6[i]), "not an IPv6 address");
}
END_TEST

START_TEST(address_format_roundtrip)
{
	address_roundtrip("127.0.0.1:8080", "127.0.0.1:8080");
	address_roundtrip("*:80", "0.0.0.0:80");
	address_roundtrip("0.0.0.0:65535", "0.0.0.0:65535");
	address_roundtrip("127.0.0.1:08080", "127.0.0.1:8080");
	address_roundtrip("[::1]:443", "[::1]:443");
	address_roundtrip("[::]:1", "[::]:1");
	address_roundtrip("[2001:0DB8:0000::0001]:8080", "[2001:db8::1]:8080");
	address_roundtrip("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
	    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}
END_TEST

START_TEST(address_format_truncates)
{
	struct address	 a;
	const char	*why;
	char		 buf[8];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(address_parse("192.168.100.200:8080", &a, &why), 0);
	address_format(&a, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168");
}
END_TEST

/* peer: "a.b.c.d" or "v6" (no port) as a peer's sockaddr. */
static bool
peer_loopback(const char *peer)
{
	struct sockaddr_storage	ss;
	struct sockaddr_in	*in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, peer, &in->sin_addr) == 1)
		in->sin_family = AF_INET;
	else {
		ck_assert_int_eq(inet_pton(AF_INET6, peer, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
	}
	return address_is_loopback((struct sockaddr *)&ss);
}

/* POST /shutdown is refused (403) to every peer this says is not loopback. */
START_TEST(address_loopback_peers)
{
	struct sockaddr	unix_peer = { .sa_family = AF_UNIX };

	ck_assert(peer_loopback("127.0.0.1"));
	ck_assert(peer_loopback("127.255.255.254"));
	ck_assert(peer_loopback("::1"));
	/* IPv4-mapped: cannot reach a child (see address.c); not trusted. */
	ck_assert(!peer_loopback("::ffff:127.0.0.1"));
	ck_assert(!peer_loopback("128.0.0.1"));
	ck_assert(!peer_loopback("126.255.255.255"));
	ck_assert(!peer_loopback("10.0.0.1"));
	ck_assert(!peer_loopback("0.0.0.0"));
	ck_assert(!peer_loopback("::"));
	ck_assert(!peer_loopback("::2"));
	ck_assert(!peer_loopback("::ffff:10.0.0.1"));
	ck_assert(!peer_loopback("::127.0.0.1"));	/* v4-compatible, not mapped */
	ck_assert(!peer_loopback("fe80::1"));
	ck_assert(!address_is_loopback(&unix_peer));
	ck_assert(!address_is_loopback(NULL));
}
END_TEST

START_TEST(address_equality)
{
	struct address	 a, b;
	const char	*why;

	ck_assert_int_eq(address_parse("*:8080", &a, &why), 0);
	ck_assert_int_eq(address_parse("0.0.0.0:8080", &b, &why), 0);
	ck_assert(address_equal(&a, &b));
	ck_assert(address_equal(&b, &a));
	ck_assert_int_eq(address_parse("0.0.0.0:8081", &b, &why), 0);
	ck_assert(!address_equal(&a, &b));
	ck_assert_int_eq(address_parse("127.0.0.1:8080", &b, &why), 0);
	ck_assert(!address_equal(&a, &b));
	/* Same port, other family: different sockets. */
	ck_assert_int_eq(address_parse("[::]:8080", &b, &why), 0);
	ck_assert(!address_equal(&a, &b));
	ck_assert(!address_equal(&b, &a));

	ck_assert_int_eq(address_parse("[::1]:80", &a, &why), 0);
	ck_assert_int_eq(address_parse("[0:0::0:1]:80", &b, &why), 0);
	ck_assert(address_equal(&a, &b));
	ck_assert_int_eq(address_parse("[::1]:81", &b, &why), 0);
	ck_assert(!address_equal(&a, &b));
	ck_assert_int_eq(address_parse("[::2]:80", &b, &why), 0);
	ck_assert(!address_equal(&a, &b));
}
END_TEST

START_TEST(address_overlapping)
{
	struct address	 a, b;
	const char	*why;

	/* A wildcard overlaps every other address of its family and port. */
	ck_assert_int_eq(address_parse("*:8080", &a, &why), 0);
	ck_assert_int_eq(address_parse("127.0.0.1:8080", &b, &why), 0);
	ck_assert(address_overlap(&a, &b));
	ck_assert(address_overlap(&b, &a));
	ck_assert_int_eq(address_parse("[::]:8080", &a, &why), 0);
	ck_assert_int_eq(address_parse("[::1]:8080", &b, &why), 0);
	ck_assert(address_overlap(&a, &b));
	ck_assert(address_overlap(&b, &a));
	ck_assert_int_eq(address_parse("[2001:db8::1]:8080", &b, &why), 0);
	ck_assert(address_overlap(&a, &b));
	/* Not on another port, nor between two specific addresses. */
	ck_assert_int_eq(address_parse("[::1]:8081", &b, &why), 0);
	ck_assert(!address_overlap(&a, &b));
	ck_assert_int_eq(address_parse("127.0.0.1:80", &a, &why), 0);
	ck_assert_int_eq(address_parse("127.0.0.2:80", &b, &why), 0);
	ck_assert(!address_overlap(&a, &b));
	/* IPv6 sockets are IPv6-only: [::] takes no IPv4 address. */
	ck_assert_int_eq(address_parse("[::]:80", &a, &why), 0);
	ck_assert(!address_overlap(&a, &b));
	ck_assert(!address_overlap(&b, &a));
	ck_assert_int_eq(address_parse("*:80", &b, &why), 0);
	ck_assert(!address_overlap(&a, &b));
	/* Equal addresses are a duplicate, not an overlap. */
	ck_assert_int_eq(address_parse("0.0.0.0:80", &a, &why), 0);
	ck_assert(!address_overlap(&a, &b));
}
END_TEST

static Suite *
address_suite(void)
{
	Suite	*s = suite_create("address");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, address_ipv4);
	tcase_add_test(tc, address_any);
	tcase_add_test(tc, address_ipv6);
	suite_add_tcase(s, tc);
	tc = tcase_create("port");
	tcase_add_test(tc, address_bad_port);
	tcase_add_test(tc, address_port_bounds);
	tcase_add_test(tc, address_missing_port);
	suite_add_tcase(s, tc);
	tc = tcase_create("host");
	tcase_add_test(tc, address_unbracketed_ipv6);
	tcase_add_test(tc, address_bad_host);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, address_format_roundtrip);
	tcase_add_test(tc, address_format_truncates);
	tcase_add_test(tc, address_loopback_peers);
	suite_add_tcase(s, tc);
	tc = tcase_create("equal");
	tcase_add_test(tc, address_equality);
	tcase_add_test(tc, address_overlapping);
	suite_add_tcase(s, tc);
	return s;
}

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
	/* Only stop_timeout set: the default drain is what clashes. */
	expect_errors("[forkgroup]\nstop_timeout = 2s\n" WEB,
	    "t.conf:2: drain_timeout (3000 ms) must be shorter than "
	    "stop_timeout (2000 ms), or children are killed mid-drain", NULL);
	/* Only drain_timeout set. */
	expect_errors("[forkgroup]\ndrain_timeout = 6s\n" WEB,
	    "t.conf:2: drain_timeout (6000 ms) must be shorter than "
	    "stop_timeout (5000 ms), or children are killed mid-drain", NULL);
	parse_ok("[forkgroup]\ndrain_timeout = 4999ms\n" WEB);
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
	char	 path[] = "/tmp/check_forkgroup.XXXXXX";
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

static Suite *
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

/* group.c */

#define GROUP_STOP	(GROUP_ACT_TERM_ALL | GROUP_ACT_ARM_DEADLINE)
#define EXITED(n)	W_EXITCODE(n, 0)
#define KILLED(s)	W_EXITCODE(0, s)

static struct forkgroup		g;
static struct generation	gen0, gen1, gen2;
static struct member		m[4];	/* gen0: the first generation */
static struct member		m1[4];	/* gen1: the first reload's */
static struct member		m2[4];	/* gen2: the second reload's */

/* n members named after names, with pids from pid on. */
static void
members_make(struct member *list, size_t n, const char *suffix, pid_t pid)
{
	static const char	*names[] = { "api", "web", "admin", "metrics" };
	size_t			 i;

	ck_assert_uint_le(n, 4);
	memset(list, 0, 4 * sizeof(*list));
	for (i = 0; i < n; i++) {
		snprintf(list[i].name, sizeof(list[i].name), "%s%s", names[i],
		    suffix);
		list[i].pid = pid + (pid_t)i;
	}
}

static void
group_setup(size_t n)
{
	group_init(&g);
	members_make(m, n, "", 4242);
	memset(&gen0, 0, sizeof(gen0));
	group_gen_add(&g, &gen0, 0, m, n);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_ptr_null(g.starting);
	ck_assert_uint_eq(g.nlive, n);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
}

/* All members ready, the group running. */
static void
group_running(size_t n)
{
	size_t	i;

	group_setup(n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(group_child_ready(&g, &m[i]),
		    i == n - 1 ? GROUP_ACT_READY : 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(gen0.state, GEN_SERVING);
}

/* A SIGHUP, and the n members of its generation forked. */
static struct generation *
reload_start(struct member *list, size_t n)
{
	struct generation	*gen = list == m1 ? &gen1 : &gen2;

	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert(g.reloading);
	members_make(list, n, list == m1 ? "#r" : "#q",
	    list == m1 ? 5000 : 6000);
	memset(gen, 0, sizeof(*gen));
	group_gen_add(&g, gen, g.reloads, list, n);
	ck_assert_ptr_eq(g.starting, gen);
	ck_assert_int_eq(gen->state, GEN_STARTING);
	return gen;
}

/* ... and each of them ready: the new generation serves. */
static void
reload_serve(struct member *list, size_t n)
{
	struct generation	*old = g.serving, *gen;
	size_t			 i;

	gen = reload_start(list, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(group_child_ready(&g, &list[i]),
		    i == n - 1 ? GROUP_ACT_RELOADED : 0);
	ck_assert_ptr_eq(g.serving, gen);
	ck_assert_int_eq(gen->state, GEN_SERVING);
	ck_assert_int_eq(old->state, GEN_RETIRING);
	ck_assert_ptr_eq(g.subject, old);
	ck_assert_ptr_null(g.starting);
	ck_assert(!g.reloading);
}

static char *
describe(int wstatus)
{
	static char	buf[128];

	group_describe_status(wstatus, buf, sizeof(buf));
	return buf;
}

static void
assert_marked(const struct member *list, size_t n, bool drain, bool kill)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (list[i].ended)
			continue;
		ck_assert_msg(list[i].drain == drain, "%s: drain %d",
		    list[i].name, list[i].drain);
		ck_assert_msg(list[i].kill == kill, "%s: kill %d",
		    list[i].name, list[i].kill);
	}
}

START_TEST(group_ready_all)
{
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert(m[1].ready);
	/* Saying ready twice must not count twice. */
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_uint_eq(gen0.nready, 1);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), GROUP_ACT_READY);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_uint_eq(gen0.nready, 3);
	/* Announced once only. */
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

START_TEST(group_ready_single)
{
	group_setup(1);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), GROUP_ACT_READY);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

START_TEST(group_ready_after_stop)
{
	/* A child that says ready once the stop began never makes it READY. */
	group_setup(2);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);

	/* Nor does a dead one, nor the rest once one died. */
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert(!m[1].ready);
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
}
END_TEST

START_TEST(group_end_during_start)
{
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(78)), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web");
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_int_eq(g.cause.child.wstatus, EXITED(78));
	ck_assert(g.cause.during_start);
	ck_assert(m[1].ended);
	ck_assert_int_eq(m[1].wstatus, EXITED(78));
	ck_assert_uint_eq(g.nlive, 2);
	/* The others are to be told to drain; none to be killed yet. */
	assert_marked(m, 3, true, false);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_end_while_running)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGKILL)),
	    GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(g.cause.child.pid, 4244);
	ck_assert(!g.cause.during_start);
	ck_assert_uint_eq(g.nlive, 2);
	ck_assert_uint_eq(g.stopped, 2);
	/* A clean exit is a cause too: the group lives and dies together. */
	group_running(2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_later_ends)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(3)), GROUP_STOP);
	/* The rest end as asked, or on their own: no new action, same cause. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGSEGV)), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_uint_eq(g.nlive, 1);
	/* Reaped twice is ended once. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), 0);
	ck_assert_uint_eq(g.nlive, 1);
	ck_assert_int_eq(m[0].wstatus, KILLED(SIGSEGV));
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGTERM)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(g.nlive, 0);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_single_member)
{
	/* Nobody is left to stop: exit at once, no TERM, no deadline. */
	group_running(1);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "api");
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);

	group_setup(1);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)),
	    GROUP_ACT_EXIT);
	ck_assert(g.cause.during_start);
	ck_assert_int_eq(g.state, GROUP_DONE);
}
END_TEST

START_TEST(group_signal_stop)
{
	group_running(3);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_int_eq(g.cause.signo, SIGTERM);
	assert_marked(m, 3, true, false);
	/* Children ending as asked change nothing until the last. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], EXITED(0)), 0);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_signal_during_start)
{
	group_setup(2);
	ck_assert_uint_eq(group_stop_signal(&g, SIGINT), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_int_eq(g.cause.signo, SIGINT);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_second_signal)
{
	group_running(2);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(group_stop_signal(&g, SIGINT), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	assert_marked(m, 2, true, true);
	/* The first signal stays the cause. */
	ck_assert_int_eq(g.cause.signo, SIGTERM);
	/* A third has nothing left to escalate to, nor has the deadline. */
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), 0);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), 0);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_signal_after_child)
{
	/* A signal during a stop a child caused kills, and does not succeed. */
	group_running(2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_empty)
{
	group_setup(0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_deadline_stopping)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)), 0);
	ck_assert_uint_eq(group_deadline(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert(m[2].kill);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_DONE);
}
END_TEST

START_TEST(group_deadline_elsewhere)
{
	/* A late timer from nowhere must not kill a healthy group. */
	group_setup(2);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	group_running(2);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	assert_marked(m, 2, false, false);
}
END_TEST

START_TEST(group_exit_status_none)
{
	/* No recorded cause is a failure, never a success. */
	group_setup(2);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
	g.cause.kind = CAUSE_SIGNAL;
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
	g.cause.kind = CAUSE_CHILD;
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_find_pid)
{
	group_setup(3);
	ck_assert_ptr_eq(group_find(&g, 4242), &m[0]);
	ck_assert_ptr_eq(group_find(&g, 4244), &m[2]);
	ck_assert_ptr_null(group_find(&g, 4245));
	ck_assert_ptr_null(group_find(&g, 1));
	/* Once reaped, its pid may be reused by anyone. */
	group_child_ended(&g, &m[2], EXITED(0));
	ck_assert_ptr_null(group_find(&g, 4244));
	ck_assert_ptr_eq(group_find(&g, 4243), &m[1]);

	/* Across generations. */
	group_running(2);
	reload_start(m1, 2);
	ck_assert_ptr_eq(group_find(&g, 4243), &m[1]);
	ck_assert_ptr_eq(group_find(&g, 5001), &m1[1]);
	ck_assert_ptr_eq(m1[1].gen, &gen1);
	ck_assert_ptr_eq(m[1].gen, &gen0);
}
END_TEST

START_TEST(group_killed_count)
{
	group_running(4);
	ck_assert_uint_eq(g.nkilled, 0);
	group_stop_signal(&g, SIGTERM);
	group_deadline(&g);
	/* Sent SIGKILL and died of it: counted. */
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	/* Sent SIGKILL, but had exited already. */
	m[1].sent_kill = true;
	group_child_ended(&g, &m[1], EXITED(0));
	/* Killed by hand, not by the parent. */
	group_child_ended(&g, &m[2], KILLED(SIGKILL));
	/* Sent SIGKILL, died of the earlier SIGTERM. */
	m[3].sent_kill = true;
	ck_assert_uint_eq(g.nkilled, 1);
	/* Not reaped yet: a stale status must not count. */
	m[3].wstatus = KILLED(SIGKILL);
	ck_assert_uint_eq(g.nkilled, 1);
	group_child_ended(&g, &m[3], KILLED(SIGTERM));
	ck_assert_uint_eq(g.nkilled, 1);

	group_running(2);
	group_stop_signal(&g, SIGTERM);
	group_deadline(&g);
	m[0].sent_kill = m[1].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], KILLED(SIGKILL) | WCOREFLAG);
	ck_assert_uint_eq(g.nkilled, 2);

	/* Killed by a retiring generation's own deadline: not the stop's. */
	group_running(2);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), GROUP_ACT_GEN_KILL);
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	ck_assert_uint_eq(g.nkilled, 0);
}
END_TEST

START_TEST(group_abandoned)
{
	/* The supervisor gave up: kill all; what it reaps is not a cause. */
	group_running(2);
	ck_assert_uint_eq(group_abandon(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	assert_marked(m, 2, false, true);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
	ck_assert_uint_eq(g.stopped, 2);

	/* Mid-stop, the cause and the count stay. */
	group_running(3);
	group_child_ended(&g, &m[0], EXITED(1));
	ck_assert_uint_eq(group_abandon(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_uint_eq(g.stopped, 2);
}
END_TEST

/* A reload: the new generation serves once all are ready; the old drains. */
START_TEST(group_reload_serves)
{
	group_running(2);
	reload_serve(m1, 3);
	ck_assert_uint_eq(g.reloads, 1);
	ck_assert_uint_eq(gen1.id, 1);
	/* The old generation is to drain; the new one is left alone. */
	assert_marked(m, 2, true, false);
	assert_marked(m1, 3, false, false);
	ck_assert_uint_eq(g.nlive, 5);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

/* A retiring child's end is not a first cause. */
START_TEST(group_retiring_end)
{
	group_running(2);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	/* With its last member, the generation is to be forgotten. */
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen0);
	group_gen_remove(&g, &gen0);
	ck_assert_ptr_null(g.subject);
	ck_assert_ptr_eq(TAILQ_FIRST(&g.gens), &gen1);
	ck_assert_ptr_null(TAILQ_NEXT(&gen1, entry));
	/* The new generation's members are full members. */
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(1)), GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web#r");
	ck_assert(!g.cause.during_start);
	ck_assert_uint_eq(g.stopped, 1);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

/* A starting generation's child dying before ready fails the reload only. */
START_TEST(group_reload_child_dies)
{
	group_running(2);
	reload_start(m1, 3);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(1)),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_int_eq(gen0.state, GEN_SERVING);
	ck_assert_int_eq(gen1.state, GEN_FAILED);
	ck_assert_ptr_eq(g.subject, &gen1);
	ck_assert_ptr_null(g.starting);
	ck_assert(!g.reloading);
	ck_assert_int_eq(g.failure.kind, FAILURE_CHILD);
	ck_assert_uint_eq(g.failure.reload, 1);
	ck_assert_str_eq(g.failure.child.name, "web#r");
	/* Its other members drain; the serving ones are left alone. */
	assert_marked(m1, 3, true, false);
	assert_marked(m, 2, false, false);
	/* Ready too late: nothing. */
	ck_assert_uint_eq(group_child_ready(&g, &m1[2]), 0);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[2], EXITED(0)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen1);
	group_gen_remove(&g, &gen1);
	/* The next SIGHUP is a new reload. */
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 2);
	/* And a serving member's end is still the cause. */
	ck_assert_uint_eq(group_reload_fail(&g, "x"), GROUP_ACT_RELOAD_FAILED);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), GROUP_STOP);
	ck_assert_int_eq(g.cause.child.pid, 4242);
}
END_TEST

START_TEST(group_reload_times_out)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	reload_start(m1, 2);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	ck_assert_uint_eq(group_reload_timeout(&g), GROUP_ACT_RELOAD_FAILED);
	ck_assert_int_eq(g.failure.kind, FAILURE_TIMEOUT);
	ck_assert_int_eq(gen1.state, GEN_FAILED);
	assert_marked(m1, 2, true, false);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	/* Its stop_timeout: the members still draining are killed. */
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), GROUP_ACT_GEN_KILL);
	ck_assert_ptr_eq(g.subject, &gen1);
	ck_assert(m1[1].kill);
	assert_marked(m, 2, false, false);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], KILLED(SIGKILL)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

/* The file, a socket or a fork failed: no generation, or part of one. */
START_TEST(group_reload_fails)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_fail(&g, "2 errors"), 0);
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(group_reload_fail(&g, "2 errors in a.conf"),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_ptr_null(g.subject);
	ck_assert_int_eq(g.failure.kind, FAILURE_SUPERVISOR);
	ck_assert_str_eq(g.failure.why, "2 errors in a.conf");
	ck_assert(!g.reloading);
	ck_assert_uint_eq(group_reload_fail(&g, "again"), 0);

	/* One of two forks failed: the one forked drains. */
	reload_start(m1, 1);
	ck_assert_uint_eq(group_reload_fail(&g, "fork: x"),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_ptr_eq(g.subject, &gen1);
	assert_marked(m1, 1, true, false);

	/* None forked: nothing to wait for. */
	reload_start(m2, 0);
	ck_assert_uint_eq(group_reload_fail(&g, "fork: y"),
	    GROUP_ACT_RELOAD_FAILED | GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen2);
	ck_assert_uint_eq(g.failure.reload, 3);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	assert_marked(m, 2, false, false);
}
END_TEST

/* A SIGHUP during a reload is queued once. */
START_TEST(group_reload_queued)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(g.reload_queued);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(g.reloads, 1);
	members_make(m1, 2, "#r", 5000);
	group_gen_add(&g, &gen1, 1, m1, 2);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	/* Served: the queued one starts at once, the one and only. */
	ck_assert_uint_eq(group_child_ready(&g, &m1[1]),
	    GROUP_ACT_RELOADED | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 2);
	ck_assert(g.reloading);
	ck_assert(!g.reload_queued);
	/* Likewise after a failure. */
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_reload_fail(&g, "x"),
	    GROUP_ACT_RELOAD_FAILED | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.failure.reload, 2);
	ck_assert_uint_eq(g.reloads, 3);
	ck_assert_uint_eq(group_reload_fail(&g, "y"), GROUP_ACT_RELOAD_FAILED);
	ck_assert(!g.reloading);
}
END_TEST

/* During start-up a SIGHUP waits until the group serves. */
START_TEST(group_reload_during_start)
{
	group_setup(2);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(g.reload_queued);
	ck_assert(!g.reloading);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]),
	    GROUP_ACT_READY | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 1);

	/* A start-up that fails forgets it. */
	group_setup(2);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert(!g.reload_queued);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
}
END_TEST

START_TEST(group_reload_while_stopping)
{
	group_running(2);
	group_stop_signal(&g, SIGTERM);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(!g.reloading);
	ck_assert(!g.reload_queued);
	ck_assert_uint_eq(g.reloads, 0);
}
END_TEST

/* SIGTERM during a reload stops every generation and exits 0. */
START_TEST(group_stop_during_reload)
{
	size_t	i;

	group_running(2);
	reload_serve(m1, 2);
	reload_start(m2, 3);
	ck_assert_uint_eq(group_child_ready(&g, &m2[0]), 0);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(g.stopped, 7);
	ck_assert(!g.reloading);
	ck_assert(!g.reload_queued);
	ck_assert_ptr_null(g.starting);
	ck_assert_int_eq(gen2.state, GEN_FAILED);
	assert_marked(m, 2, true, false);
	assert_marked(m1, 2, true, false);
	assert_marked(m2, 3, true, false);
	/* The rest of the reload comes to nothing. */
	ck_assert_uint_eq(group_child_ready(&g, &m2[1]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m2[2]), 0);
	ck_assert_ptr_eq(g.serving, &gen1);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	for (i = 0; i < 2; i++)
		group_child_ended(&g, &m[i], EXITED(0));
	for (i = 0; i < 3; i++)
		group_child_ended(&g, &m2[i], EXITED(0));
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(0)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

/* A serving member's end during a reload stops everything: a cause. */
START_TEST(group_serving_end_during_reload)
{
	group_running(2);
	reload_start(m1, 2);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGSEGV)),
	    GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web");
	assert_marked(m1, 2, true, false);
	ck_assert_uint_eq(g.stopped, 3);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_retired_deadline)
{
	group_running(2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), 0);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), 0);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), GROUP_ACT_GEN_KILL);
	assert_marked(m, 2, true, true);
	assert_marked(m1, 2, false, false);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	/* While killing everything, there is nothing more to do. */
	group_stop_signal(&g, SIGTERM);
	group_stop_signal(&g, SIGTERM);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), 0);
}
END_TEST

START_TEST(group_status_text)
{
	ck_assert_str_eq(describe(EXITED(0)), "exited with status 0");
	ck_assert_str_eq(describe(EXITED(1)), "exited with status 1");
	ck_assert_str_eq(describe(EXITED(255)), "exited with status 255");
	ck_assert_str_eq(describe(3 << 8), "exited with status 3");
	ck_assert_str_eq(describe(KILLED(SIGKILL)),
	    "killed by signal 9 (Killed)");
	ck_assert_str_eq(describe(SIGTERM), "killed by signal 15 (Terminated)");
	ck_assert_str_eq(describe(KILLED(SIGSEGV) | WCOREFLAG),
	    "killed by signal 11 (Segmentation fault), core dumped");
	ck_assert_str_eq(describe(KILLED(SIGABRT) | WCOREFLAG),
	    "killed by signal 6 (Aborted), core dumped");
	ck_assert_str_eq(describe(W_STOPCODE(SIGSTOP)),
	    "ended with wait status 0x137f");
	ck_assert_str_eq(describe(0xffff), "ended with wait status 0xffff");
}
END_TEST

START_TEST(group_status_truncated)
{
	char	buf[8];

	memset(buf, 'x', sizeof(buf));
	group_describe_status(EXITED(1), buf, sizeof(buf));
	ck_assert_str_eq(buf, "exited ");
}
END_TEST

START_TEST(group_cause_text)
{
	char	buf[256];

	group_setup(2);
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "the supervisor failed");
	group_stop_signal(&g, SIGINT);
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "received SIGINT");

	group_setup(2);
	group_child_ended(&g, &m[1], EXITED(78));
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "listener \"web\" (pid 4243) exited with status 78 during start-up");

	group_running(2);
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "listener \"api\" (pid 4242) killed by signal 9 (Killed)");
}
END_TEST

START_TEST(group_failure_text)
{
	char	buf[256];

	group_running(2);
	reload_start(m1, 2);
	group_child_ended(&g, &m1[1], EXITED(1));
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "listener \"web#r\" (pid 5001) exited with "
	    "status 1 before its generation served");
	reload_start(m2, 1);
	group_reload_timeout(&g);
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "its children were not all ready within reload_timeout");
	group_reload_signal(&g);
	group_reload_fail(&g, "cannot bind 127.0.0.1:80: Permission denied");
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "cannot bind 127.0.0.1:80: Permission denied");
	ck_assert_uint_eq(g.failure.reload, 3);
}
END_TEST

START_TEST(group_summary_child)
{
	char	buf[512];

	/* The example of DESIGN.md, to the letter. */
	group_running(3);
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], EXITED(0));
	group_child_ended(&g, &m[2], EXITED(0));
	group_summary(&g, 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"api\" (pid 4242) killed by "
	    "signal 9 (Killed); stopped 2 others in 12 ms (0 killed)");

	group_setup(2);
	group_child_ended(&g, &m[1], EXITED(2));
	group_deadline(&g);
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_summary(&g, 5001, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"web\" (pid 4243) exited with "
	    "status 2 during start-up; stopped 1 other in 5001 ms (1 killed)");

	group_running(1);
	group_child_ended(&g, &m[0], EXITED(0));
	group_summary(&g, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"api\" (pid 4242) exited with "
	    "status 0; stopped 0 others in 0 ms (0 killed)");
}
END_TEST

START_TEST(group_summary_signal)
{
	char	buf[512];

	group_running(4);
	group_stop_signal(&g, SIGTERM);
	group_stop_signal(&g, SIGTERM);
	m[0].sent_kill = m[1].sent_kill = m[2].sent_kill = true;
	group_child_ended(&g, &m[3], EXITED(0));
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], KILLED(SIGKILL));
	group_child_ended(&g, &m[2], EXITED(0));
	group_summary(&g, 37, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 0: received SIGTERM; stopped 4 children "
	    "in 37 ms (2 killed)");

	group_running(1);
	group_stop_signal(&g, SIGINT);
	group_child_ended(&g, &m[0], EXITED(0));
	group_summary(&g, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "exit 0: received SIGINT; stopped 1 child in 3 ms (0 killed)");

	group_running(2);
	group_abandon(&g);
	group_summary(&g, 7, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: the supervisor failed; stopped 2 "
	    "children in 7 ms (0 killed)");

	/* Every generation alive when the stop began is counted; no other. */
	group_running(2);
	reload_serve(m1, 3);
	group_child_ended(&g, &m[0], EXITED(0));
	group_stop_signal(&g, SIGTERM);
	group_summary(&g, 9, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 0: received SIGTERM; stopped 4 children "
	    "in 9 ms (0 killed)");
}
END_TEST

static Suite *
group_suite(void)
{
	Suite	*s = suite_create("group");
	TCase	*tc;

	tc = tcase_create("start");
	tcase_add_test(tc, group_ready_all);
	tcase_add_test(tc, group_ready_single);
	tcase_add_test(tc, group_ready_after_stop);
	suite_add_tcase(s, tc);
	tc = tcase_create("child ends");
	tcase_add_test(tc, group_end_during_start);
	tcase_add_test(tc, group_end_while_running);
	tcase_add_test(tc, group_later_ends);
	tcase_add_test(tc, group_single_member);
	suite_add_tcase(s, tc);
	tc = tcase_create("stop signal");
	tcase_add_test(tc, group_signal_stop);
	tcase_add_test(tc, group_signal_during_start);
	tcase_add_test(tc, group_second_signal);
	tcase_add_test(tc, group_signal_after_child);
	tcase_add_test(tc, group_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("deadline");
	tcase_add_test(tc, group_deadline_stopping);
	tcase_add_test(tc, group_deadline_elsewhere);
	suite_add_tcase(s, tc);
	tc = tcase_create("reload");
	tcase_add_test(tc, group_reload_serves);
	tcase_add_test(tc, group_retiring_end);
	tcase_add_test(tc, group_reload_child_dies);
	tcase_add_test(tc, group_reload_times_out);
	tcase_add_test(tc, group_reload_fails);
	tcase_add_test(tc, group_reload_queued);
	tcase_add_test(tc, group_reload_during_start);
	tcase_add_test(tc, group_reload_while_stopping);
	tcase_add_test(tc, group_stop_during_reload);
	tcase_add_test(tc, group_serving_end_during_reload);
	tcase_add_test(tc, group_retired_deadline);
	suite_add_tcase(s, tc);
	tc = tcase_create("outcome");
	tcase_add_test(tc, group_exit_status_none);
	tcase_add_test(tc, group_find_pid);
	tcase_add_test(tc, group_killed_count);
	tcase_add_test(tc, group_abandoned);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, group_status_text);
	tcase_add_test(tc, group_status_truncated);
	tcase_add_test(tc, group_cause_text);
	tcase_add_test(tc, group_failure_text);
	tcase_add_test(tc, group_summary_child);
	tcase_add_test(tc, group_summary_signal);
	suite_add_tcase(s, tc);
	return s;
}

/* query_number */

START_TEST(query_found)
{
	int64_t	n = -1;

	ck_assert_int_eq(query_number("ms=250", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 250);
	ck_assert_int_eq(query_number("a=1&ms=7&b=2", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(query_number("a=x&ms=0", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(query_number("ms=60000&a", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 60000);
	ck_assert_int_eq(query_number("&&ms=007&", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 7);
	/* Other keys are not checked: only ours has to be a number. */
	ck_assert_int_eq(query_number("x=&y&ms=1&z=%20", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(query_rejected)
{
	static const char *bad[] = {
		"", "a=1", "ms", "ms=", "ms=&a=1", "ms=abc", "ms=12a", "ms=-1",
		"ms=+1", "ms= 1", "ms=1 ", "ms=1.5", "ms=%31", "ms=60001",
		"ms=1&ms=2", "ms=1&a=2&ms=1", "ms==1", "MS=1", "xms=1", "msx=1",
		"ms_=1", "ms=99999999999999999999"
	};
	int64_t	 n;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = -42;
		ck_assert_msg(query_number(bad[i], "ms", 60000, &n) == -1,
		    "\"%s\" accepted as %lld", bad[i], (long long)n);
		ck_assert_int_eq(n, -42);
	}
	ck_assert_int_eq(query_number(NULL, "ms", 60000, &n), -1);
	ck_assert_int_eq(n, -42);
}
END_TEST

START_TEST(query_prefix_keys)
{
	int64_t	n;

	/* Keys that merely start or end like ours are other keys. */
	ck_assert_int_eq(query_number("xms=1&ms=2", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(query_number("msx=1&ms=3&mss=4", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(query_number("m=1&ms=4", "ms", 60000, &n), 0);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(query_number("ms=5", "m", 60000, &n), -1);
}
END_TEST

START_TEST(query_bounds)
{
	int64_t	n;

	ck_assert_int_eq(query_number("ms=0", "ms", 0, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(query_number("ms=1", "ms", 0, &n), -1);
	ck_assert_int_eq(query_number("ms=7", "ms", 5, &n), -1);
	ck_assert_int_eq(query_number("ms=5", "ms", 5, &n), 0);
	ck_assert_int_eq(n, 5);
	/* Near INT64_MAX the check must come before the overflow. */
	ck_assert_int_eq(query_number("ms=9223372036854775807", "ms",
	    INT64_MAX, &n), 0);
	ck_assert_int_eq(n, INT64_MAX);
	ck_assert_int_eq(query_number("ms=9223372036854775808", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(query_number("ms=99999999999999999999", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(query_number("ms=18446744073709551617", "ms",
	    INT64_MAX, &n), -1);
	ck_assert_int_eq(n, INT64_MAX);
}
END_TEST

static Suite *
query_suite(void)
{
	Suite	*s = suite_create("query");
	TCase	*tc;

	tc = tcase_create("number");
	tcase_add_test(tc, query_found);
	tcase_add_test(tc, query_rejected);
	tcase_add_test(tc, query_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("keys");
	tcase_add_test(tc, query_prefix_keys);
	suite_add_tcase(s, tc);
	return s;
}

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

static Suite *
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

/*
 * selfpipe: raise(3) runs the handler before it returns, as a signal that
 * comes while the parent sleeps in its loop or in a system call does.
 * Each test is a process of its own (CK_FORK): its handlers die with it.
 */
static const int selfpipe_test_signals[] = { SIGTERM, SIGINT, SIGCHLD,
    SIGHUP, SIGUSR1 };

static void
selfpipe_setup(void)
{
	ck_assert_int_ne(selfpipe_open(selfpipe_test_signals,
	    sizeof(selfpipe_test_signals) / sizeof(selfpipe_test_signals[0])),
	    -1);
}

/* A child's end before a SIGTERM: handed out in that order, not by number. */
START_TEST(selfpipe_arrival_order)
{
	selfpipe_setup();
	ck_assert_int_eq(raise(SIGCHLD), 0);
	ck_assert_int_eq(raise(SIGTERM), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGHUP), 0);
	ck_assert_int_eq(selfpipe_take(), SIGCHLD);
	ck_assert_int_eq(selfpipe_take(), SIGTERM);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), SIGHUP);
	ck_assert_int_eq(selfpipe_take(), 0);
	selfpipe_close();
}
END_TEST

/* Not yet handed out: a signal again is the same one, as in the kernel. */
START_TEST(selfpipe_coalesces_until_taken)
{
	int	i;

	selfpipe_setup();
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGCHLD), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), SIGCHLD);
	ck_assert_int_eq(selfpipe_take(), 0);
	/* Once taken, the next one is new. */
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), 0);
	selfpipe_close();
}
END_TEST

/* Closed, the actions from before are back: here SIGUSR1's default, ignored for the test. */
START_TEST(selfpipe_close_restores)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	selfpipe_setup();
	selfpipe_close();
	ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
	ck_assert_ptr_eq((void *)sa.sa_handler, (void *)SIG_IGN);
	ck_assert_int_eq(raise(SIGUSR1), 0);
}
END_TEST

static Suite *
selfpipe_suite(void)
{
	Suite	*s = suite_create("selfpipe");
	TCase	*tc;

	tc = tcase_create("order");
	tcase_add_test(tc, selfpipe_arrival_order);
	tcase_add_test(tc, selfpipe_coalesces_until_taken);
	tcase_add_test(tc, selfpipe_close_restores);
	suite_add_tcase(s, tc);
	return s;
}

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

static Suite *
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

/* evmem: Check forks each test (CK_FORK), so every one starts with empty lists. */

START_TEST(evmem_reuses_a_freed_block)
{
	char	*a, *b;

	a = evmem_malloc(100);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq((uintptr_t)a % 16, 0);
	memset(a, 'x', 100);
	evmem_free(a);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	/* 65..128 bytes share a class: the same block comes back. */
	b = evmem_malloc(128);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
	/* Another class does not take it. */
	evmem_free(b);
	a = evmem_malloc(129);
	ck_assert_ptr_ne(a, b);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	evmem_free(a);
	evmem_release();
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST

START_TEST(evmem_sizes_at_class_edges)
{
	static const size_t	 sizes[] = { 0, 1, 15, 16, 17, 1023, 1024,
				    1025, 4096, 8191, 8192 };
	char			*p;
	size_t			 i, bytes;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = evmem_malloc(sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		memset(p, 0xa5, sizes[i]);
		evmem_free(p);
		ck_assert_uint_eq(evmem_cached(&bytes), 1);
		/* Cached in the smallest power of two that holds it. */
		ck_assert_uint_ge(bytes, sizes[i]);
		ck_assert_uint_le(bytes, sizes[i] < 16 ? 16 : 2 * sizes[i] - 1);
		evmem_release();
	}
}
END_TEST

START_TEST(evmem_large_blocks_are_not_kept)
{
	char	*p = evmem_malloc(8193);

	ck_assert_ptr_nonnull(p);
	memset(p, 1, 8193);
	evmem_free(p);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
	evmem_free(NULL);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST

START_TEST(evmem_keeps_a_bounded_cache)
{
	char	*p[1000];
	size_t	 i, bytes;

	for (i = 0; i < 1000; i++)
		ck_assert_ptr_nonnull(p[i] = evmem_malloc(1024));
	for (i = 0; i < 1000; i++)
		evmem_free(p[i]);
	ck_assert_uint_eq(evmem_cached(&bytes), 256);
	ck_assert_uint_eq(bytes, 256 * 1024);
	evmem_release();
}
END_TEST

START_TEST(evmem_realloc_keeps_contents)
{
	char	*p, *q;
	size_t	 i;

	ck_assert_ptr_nonnull(p = evmem_realloc(NULL, 20));
	memcpy(p, "0123456789abcdefghi", 20);
	/* Still fits its 32-byte block: no move, either way. */
	ck_assert_ptr_eq(evmem_realloc(p, 32), p);
	ck_assert_ptr_eq(evmem_realloc(p, 20), p);
	ck_assert_str_eq(p, "0123456789abcdefghi");
	/* Grows into another class, then past the largest. */
	ck_assert_ptr_nonnull(q = evmem_realloc(p, 3000));
	ck_assert_str_eq(q, "0123456789abcdefghi");
	ck_assert_uint_eq(evmem_cached(NULL), 1);	/* the old block */
	for (i = 20; i < 3000; i++)
		q[i] = (char)i;
	ck_assert_ptr_nonnull(p = evmem_realloc(q, 100000));
	ck_assert_str_eq(p, "0123456789abcdefghi");
	for (i = 20; i < 3000; i++)
		ck_assert_int_eq(p[i], (char)i);
	ck_assert_ptr_eq(evmem_realloc(p, 50000), p);
	evmem_free(p);
	evmem_release();
}
END_TEST

#ifdef FG_ASAN
/* Only the bytes asked for may be used, and nothing of a block on a free list. */
START_TEST(evmem_poisons_what_is_not_lent)
{
	char	*p, *q;
	size_t	 i;

	p = evmem_malloc(100);
	ck_assert_ptr_null(__asan_region_is_poisoned(p, 100));
	ck_assert_int_eq(__asan_address_is_poisoned(p + 100), 1);
	ck_assert_int_eq(__asan_address_is_poisoned(p + 127), 1);
	memset(p, 'x', 100);
	evmem_free(p);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	for (i = 0; i < 128; i++)
		ck_assert_int_eq(__asan_address_is_poisoned(p + i), 1);
	/* Lent again, to a bigger request of the same class. */
	q = evmem_malloc(120);
	ck_assert_ptr_eq(q, p);
	ck_assert_ptr_null(__asan_region_is_poisoned(q, 120));
	ck_assert_int_eq(__asan_address_is_poisoned(q + 120), 1);
	/* A realloc in place moves the line both ways. */
	ck_assert_ptr_eq(evmem_realloc(q, 128), q);
	ck_assert_ptr_null(__asan_region_is_poisoned(q, 128));
	ck_assert_ptr_eq(evmem_realloc(q, 10), q);
	ck_assert_int_eq(__asan_address_is_poisoned(q + 10), 1);
	/* Growing copies the old block, lent or not, without a report. */
	ck_assert_ptr_nonnull(p = evmem_realloc(q, 1000));
	ck_assert_int_eq(__asan_address_is_poisoned(q), 1);
	evmem_free(p);
	evmem_release();
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST
#endif

static Suite *
evmem_suite(void)
{
	Suite	*s = suite_create("evmem");
	TCase	*tc;

	tc = tcase_create("blocks");
	tcase_add_test(tc, evmem_reuses_a_freed_block);
	tcase_add_test(tc, evmem_sizes_at_class_edges);
	tcase_add_test(tc, evmem_large_blocks_are_not_kept);
	tcase_add_test(tc, evmem_keeps_a_bounded_cache);
	tcase_add_test(tc, evmem_realloc_keeps_contents);
	suite_add_tcase(s, tc);
	/* Only AddressSanitizer has poison to look at: make check-sanitizers. */
#ifdef FG_ASAN
	tc = tcase_create("poison");
	tcase_add_test(tc, evmem_poisons_what_is_not_lent);
	suite_add_tcase(s, tc);
#else
	printf("evmem: poisoning not checked: not an AddressSanitizer build "
	    "(make check-sanitizers checks it)\n");
#endif
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(duration_suite());
	srunner_add_suite(sr, address_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, group_suite());
	srunner_add_suite(sr, query_suite());
	srunner_add_suite(sr, proctitle_suite());
	srunner_add_suite(sr, selfpipe_suite());
	srunner_add_suite(sr, backlog_suite());
	srunner_add_suite(sr, evmem_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
