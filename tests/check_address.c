/* check_address.c: unit tests of address.c: listen addresses parsed, formatted back, compared, and the wildcard overlaps. */
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <string.h>

#include "check_suites.h"

static const char	*address_error(const char *);
static void		 address_roundtrip(const char *, const char *);

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

Suite *
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
