/* rawhttp.c: send seeded random-byte, mutated and random-text HTTP requests to 127.0.0.1:PORT, one connection each, count how each ended, and check that a good request is still answered. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define REQUEST_MAX	4096
#define ANSWER_KEEP	64	/* enough for the status line */

/* How one connection ended, from the client's side. */
enum outcome {
	OUT_ANSWERED,		/* a status line, then the server closed */
	OUT_CLOSED,		/* closed without a status line */
	OUT_RESET,		/* ECONNRESET or EPIPE */
	OUT_OPEN,		/* still open at the per-connection deadline */
	OUT_REFUSED,		/* connect failed: nobody listens any more */
	OUT_N
};

static const char *outcome_names[OUT_N] = {
	"answered", "closed", "reset", "open", "refused"
};

/* Valid requests that the mutations start from, so that some get deep into the parser. */
static const char *templates[] = {
	"GET /ping HTTP/1.1\r\nHost: t\r\n\r\n",
	"GET /status?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	"HEAD / HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n"
	    "If-None-Match: \"x\"\r\n\r\n",
	"POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello",
	"POST /shutdown HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n5\r\nhello\r\n0\r\n\r\n",
	"GET /delay?ms=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n",
	"GET http://t/healthz HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
	    "\r\n",
};

/* Bytes that parsers treat specially: more likely to find an edge than any byte. */
static const char specials[] = "\r\n\t :;,/?#%&=\"\\\0-+.09afAFxX*";

static struct sockaddr_in	 target;
static uint64_t			 rng;
static int			 wait_ms = 300;

static void	 usage(void);
static size_t	 below(size_t);
static size_t	 make_random(unsigned char *, bool);
static size_t	 make_mutant(unsigned char *);
static enum outcome exchange(const unsigned char *, size_t, bool, char *,
		    size_t);
static bool	 good_request(void);

static void
usage(void)
{
	fprintf(stderr, "usage: rawhttp [-b count] [-n count] [-s seed] "
	    "[-t seconds] [-w ms] [-g every] port\n");
	exit(2);
}



static size_t
below(size_t n)
{
	return (size_t)(testutil_random(&rng) % n);
}

/* Any bytes at all, or printable ones with line ends, which look more like a request. */
static size_t
make_random(unsigned char *buf, bool printable)
{
	size_t	i, len = 1 + below(printable ? 1024 : 2048);

	for (i = 0; i < len; i++) {
		if (!printable)
			buf[i] = (unsigned char)testutil_random(&rng);
		else if (below(16) == 0)
			buf[i] = below(2) ? '\n' : '\r';
		else
			buf[i] = (unsigned char)(' ' + below(95));
	}
	return len;
}

/* A template with a few bytes changed, inserted, deleted or repeated, or cut short. */
static size_t
make_mutant(unsigned char *buf)
{
	const char	*t = templates[below(sizeof(templates) /
			    sizeof(templates[0]))];
	size_t		 len = strlen(t), n, i, at, span;

	memcpy(buf, t, len);
	for (n = 1 + below(6); n > 0; n--) {
		at = len > 0 ? below(len) : 0;
		switch (below(6)) {
		case 0:		/* replace with any byte */
			if (len > 0)
				buf[at] = (unsigned char)testutil_random(&rng);
			break;
		case 1:		/* replace with a special byte */
			if (len > 0)
				buf[at] = (unsigned char)specials[below(
				    sizeof(specials) - 1)];
			break;
		case 2:		/* insert a special byte */
			if (len + 1 > REQUEST_MAX)
				break;
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = (unsigned char)specials[below(
			    sizeof(specials) - 1)];
			len++;
			break;
		case 3:		/* delete a byte */
			if (len == 0)
				break;
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
			break;
		case 4:		/* repeat a span, up to 64 times */
			span = 1 + below(16);
			if (at + span > len)
				span = len - at;
			for (i = 1 + below(64); i > 0 && span > 0 &&
			    len + span <= REQUEST_MAX; i--) {
				memmove(buf + at + span, buf + at, len - at);
				len += span;
			}
			break;
		case 5:		/* cut short */
			len = at;
			break;
		}
	}
	return len;
}

/*
 * One connection: send req (half-closing after it when shut is set, so
 * that the server reads end of file instead of waiting for more), then
 * read until the server closes or wait_ms pass.  The start of the answer
 * goes to answer.
 */
static enum outcome
exchange(const unsigned char *req, size_t len, bool shut, char *answer,
    size_t size)
{
	struct pollfd	 pfd;
	enum outcome	 out = OUT_CLOSED;
	int64_t		 end;
	size_t		 got = 0, off = 0;
	ssize_t		 n;
	char		 buf[4096];
	int		 fd, left;

	answer[0] = '\0';
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		perror("rawhttp: socket");
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&target, sizeof(target)) == -1) {
		close(fd);
		return OUT_REFUSED;
	}
	end = testutil_now_ms() + wait_ms;
	while (off < len) {
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return errno == ECONNRESET || errno == EPIPE ?
			    OUT_RESET : OUT_CLOSED;
		}
		off += (size_t)n;
	}
	if (shut)
		(void)shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((left = (int)(end - testutil_now_ms())) <= 0) {
			out = OUT_OPEN;
			break;
		}
		if ((n = poll(&pfd, 1, left)) == -1 && errno == EINTR)
			continue;
		if (n == 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1 &&
		    errno == EINTR)
			continue;
		if (n == -1) {
			out = errno == ECONNRESET ? OUT_RESET : OUT_CLOSED;
			break;
		}
		if (n == 0)
			break;
		if (got + 1 < size) {
			size_t take = (size_t)n < size - got - 1 ?
			    (size_t)n : size - got - 1;

			memcpy(answer + got, buf, take);
			got += take;
			answer[got] = '\0';
		}
	}
	close(fd);
	if (strncmp(answer, "HTTP/", 5) == 0 && out != OUT_OPEN)
		return OUT_ANSWERED;
	return out;
}

/* The control: a plain GET /ping on a new connection is answered "pong". */
static bool
good_request(void)
{
	static const char	 req[] = "GET /ping HTTP/1.1\r\nHost: t\r\n"
				    "Connection: close\r\n\r\n";
	char			 answer[512];
	int			 saved = wait_ms;
	enum outcome		 out;

	wait_ms = 5000;		/* the control must not fail for want of time */
	out = exchange((const unsigned char *)req, sizeof(req) - 1, false,
	    answer, sizeof(answer));
	wait_ms = saved;
	return out == OUT_ANSWERED &&
	    strncmp(answer, "HTTP/1.1 200 ", 13) == 0 &&
	    strstr(answer, "\r\n\r\npong") != NULL;
}

int
main(int argc, char *argv[])
{
	unsigned char	 req[REQUEST_MAX];
	unsigned long	 outcomes[OUT_N] = { 0 }, codes[1000] = { 0 };
	unsigned long	 good = 0, bad = 0, kinds[3] = { 0 };
	char		 answer[ANSWER_KEEP];
	long		 nbytes = 10000, nother = 10000, count, seconds = 60;
	long		 every = 1000, i, done;
	int64_t		 start, end;
	size_t		 len, k;
	enum outcome	 out;
	int		 ch, code;

	rng = 1;
	while ((ch = getopt(argc, argv, "b:g:n:s:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			nbytes = testutil_number("rawhttp", optarg, 0, 10000000);
			break;
		case 'g':
			every = testutil_number("rawhttp", optarg, 1, LONG_MAX);
			break;
		case 'n':
			nother = testutil_number("rawhttp", optarg, 0, 10000000);
			break;
		case 's':
			/* Odd: distinct seeds stay distinct and non-zero. */
			rng = (uint64_t)testutil_number("rawhttp", optarg, 0,
			    LONG_MAX - 1) + 1;
			rng *= 0x9E3779B97F4A7C15ULL;
			break;
		case 't':
			seconds = testutil_number("rawhttp", optarg, 1, 3600);
			break;
		case 'w':
			wait_ms = (int)testutil_number("rawhttp", optarg, 1, 60000);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	memset(&target, 0, sizeof(target));
	target.sin_family = AF_INET;
	target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	target.sin_port = htons((in_port_t)testutil_number("rawhttp",
	    argv[optind], 1, 65535));

	start = testutil_now_ms();
	end = start + seconds * 1000;
	count = nbytes + nother;
	for (i = 0; i < count && testutil_now_ms() < end; i++) {
		/*
		 * Exactly nbytes of random bytes, drawn among the rest so that
		 * they spread over the run; of the rest, two mutants for one
		 * random text.
		 */
		if (below((size_t)(count - i)) < (size_t)nbytes - kinds[1])
			k = 1;
		else
			k = below(3) < 2 ? 0 : 2;
		if (k == 0)
			len = make_mutant(req);
		else
			len = make_random(req, k == 2);
		kinds[k]++;
		out = exchange(req, len, true, answer, sizeof(answer));
		outcomes[out]++;
		if (out == OUT_ANSWERED && sscanf(answer, "HTTP/%*d.%*d %d",
		    &code) == 1 && code >= 100 && code <= 999)
			codes[code]++;
		if (out == OUT_REFUSED)
			break;		/* nobody listens any more */
		if ((i + 1) % every == 0) {
			if (good_request())
				good++;
			else
				bad++;
		}
	}
	done = i;
	if (good_request())
		good++;
	else
		bad++;

	printf("sent %ld requests (%lu mutated, %lu random bytes, %lu random "
	    "text) in %lld ms:", done, kinds[0], kinds[1], kinds[2],
	    (long long)(testutil_now_ms() - start));
	for (k = 0; k < OUT_N; k++)
		printf(" %s=%lu", outcome_names[k], outcomes[k]);
	printf("\nstatus codes:");
	for (k = 0; k < 1000; k++)
		if (codes[k] > 0)
			printf(" %zu=%lu", k, codes[k]);
	printf("\ngood requests: %lu answered, %lu failed\n", good, bad);
	if (done < count)
		printf("stopped early: %s\n", outcomes[OUT_REFUSED] > 0 ?
		    "connection refused" : "out of time");
	return bad == 0 && done == count && outcomes[OUT_REFUSED] == 0 ? 0 : 1;
}
