/* address.c: listen addresses "host:port", "[v6]:port", "*:port" to sockaddrs and back; which overlap; which peers are loopback. */
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "forkgroup.h"

static int	 parse_port(const char *, in_port_t *, const char **);
static in_port_t port_of(const struct address *);

static int
parse_port(const char *text, in_port_t *port, const char **why)
{
	unsigned long	 n = 0;
	const char	*p;

	if (*text == '\0') {
		*why = "missing port";
		return -1;
	}
	for (p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || p - text >= 5) {
			*why = "port is not a number from 1 to 65535";
			return -1;
		}
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (n == 0 || n > 65535) {
		*why = "port is not a number from 1 to 65535";
		return -1;
	}
	*port = htons((in_port_t)n);
	return 0;
}

/*
 * Numeric addresses only: a listen address is decided at configuration time,
 * never by whatever DNS answers at start-up.  "*" is every IPv4 address.
 */
int
address_parse(const char *text, struct address *addr, const char **why)
{
	char		 host[INET6_ADDRSTRLEN];
	const char	*colon, *port;
	size_t		 hostlen;
	in_port_t	 nport;

	memset(addr, 0, sizeof(*addr));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&addr->ss;

		if (close == NULL || close[1] != ':') {
			*why = "expected [IPv6]:port";
			return -1;
		}
		hostlen = (size_t)(close - text - 1);
		port = close + 2;
		if (hostlen == 0 || hostlen >= sizeof(host)) {
			*why = "not an IPv6 address";
			return -1;
		}
		memcpy(host, text + 1, hostlen);
		host[hostlen] = '\0';
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1) {
			*why = "not an IPv6 address";
			return -1;
		}
		/* listener.c makes IPv6 sockets IPv6-only: bind would fail. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			*why = "an IPv4-mapped address; write the IPv4 address "
			    "as a.b.c.d:port";
			return -1;
		}
		if (parse_port(port, &nport, why) == -1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = nport;
		addr->len = sizeof(*sin6);
		return 0;
	}

	struct sockaddr_in *sin = (struct sockaddr_in *)&addr->ss;

	colon = strrchr(text, ':');
	if (colon == NULL) {
		*why = "expected host:port";
		return -1;
	}
	if (strchr(text, ':') != colon) {
		*why = "IPv6 addresses need brackets: [addr]:port";
		return -1;
	}
	hostlen = (size_t)(colon - text);
	if (hostlen == 0 || hostlen >= sizeof(host)) {
		*why = "expected host:port";
		return -1;
	}
	memcpy(host, text, hostlen);
	host[hostlen] = '\0';
	if (strcmp(host, "*") == 0)
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		*why = "not a numeric IPv4 address or *";
		return -1;
	}
	if (parse_port(colon + 1, &nport, why) == -1)
		return -1;
	sin->sin_family = AF_INET;
	sin->sin_port = nport;
	addr->len = sizeof(*sin);
	return 0;
}

void
address_format(const struct address *addr, char *buf, size_t len)
{
	char	host[INET6_ADDRSTRLEN];

	if (addr->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)&addr->ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(sin6->sin6_port));
	} else {
		const struct sockaddr_in *sin =
		    (const struct sockaddr_in *)&addr->ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(sin->sin_port));
	}
}

bool
address_equal(const struct address *a, const struct address *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)&a->ss;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)&b->ss;

		return x->sin6_port == y->sin6_port &&
		    memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	const struct sockaddr_in *x = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in *y = (const struct sockaddr_in *)&b->ss;

	return x->sin_port == y->sin_port &&
	    x->sin_addr.s_addr == y->sin_addr.s_addr;
}

/*
 * 127.0.0.0/8 or ::1.  No IPv4-mapped peer reaches a child: a socket on a
 * specific IPv6 address takes no IPv4, and one on [::] is IPv6-only,
 * whether listener.c bound it or systemd passed it (activation.c).
 */
bool
address_is_loopback(const struct sockaddr *sa)
{
	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr)
		    >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

static in_port_t
port_of(const struct address *addr)
{
	if (addr->ss.ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)&addr->ss)->sin6_port;
	return ((const struct sockaddr_in *)&addr->ss)->sin_port;
}

/* 0.0.0.0 or [::]: every address of the family. */
bool
address_is_wildcard(const struct address *addr)
{
	if (addr->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)&addr->ss)->sin6_addr);
	return ((const struct sockaddr_in *)&addr->ss)->sin_addr.s_addr ==
	    htonl(INADDR_ANY);
}

/*
 * Whether a and b cannot both be listened on: two different addresses of
 * one family and port, one of them the wildcard.  Linux refuses the second
 * bind once the first socket listens, SO_REUSEADDR or not.  Families never
 * overlap: listener.c makes every IPv6 socket IPv6-only, so [::] takes no
 * IPv4 address.  Equal addresses are address_equal's, not counted here.
 */
bool
address_overlap(const struct address *a, const struct address *b)
{
	return a->ss.ss_family == b->ss.ss_family &&
	    port_of(a) == port_of(b) && !address_equal(a, b) &&
	    (address_is_wildcard(a) || address_is_wildcard(b));
}
