/* hog.c: a client that tries to make a server hold memory: one connection pipelining requests and never reading, or many connections each sending a large body; bounded in bytes and time, it holds its connections until its stdin closes. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define CONNS_MAX	1024
#define STALL_MS	500	/* no byte taken this long: the server stopped reading */
#define WAIT_MS		8000	/* for all the sending */

static const char	 pipelined[] = "GET /ping HTTP/1.1\r\nHost: t\r\n\r\n";
static char		 chunk[65536];

static void	 usage(void);
static int	 connect_to(int);
static long long send_some(int, const char *, size_t);

static void
usage(void)
{
	fprintf(stderr, "usage: hog pipeline PORT MIB\n"
	    "       hog bodies PORT CONNECTIONS KIB\n"
	    "  sends, prints the bytes sent, then holds the connections until "
	    "stdin closes\n");
	exit(2);
}

static int
connect_to(int port)
{
	struct sockaddr_in	sin;
	int			fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		perror("hog: connect");
		exit(1);
	}
	return fd;
}

/* As much of buf as the socket takes now: bytes, 0, or -1 once it is closed. */
static long long
send_some(int fd, const char *buf, size_t len)
{
	ssize_t	n = send(fd, buf, len, MSG_NOSIGNAL);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return -1;
}

int
main(int argc, char *argv[])
{
	static int	 fds[CONNS_MAX];
	static size_t	 left[CONNS_MAX], head_left[CONNS_MAX];
	char		 head[128];
	size_t		 i, conns, total, headlen, want;
	long long	 sent = 0, n;
	int64_t		 deadline, last_progress;
	int		 port, busy;

	if (argc < 4)
		usage();
	port = (int)testutil_number("hog", argv[2], 1, 65535);
	deadline = testutil_now_ms() + WAIT_MS;
	last_progress = testutil_now_ms();
	if (strcmp(argv[1], "pipeline") == 0 && argc == 4) {
		/* Whole requests, end to end, in one buffer: MIB of them. */
		want = (size_t)testutil_number("hog", argv[3], 1, 1024) << 20;
		for (i = 0; i + sizeof(pipelined) - 1 <= sizeof(chunk);
		    i += sizeof(pipelined) - 1)
			memcpy(chunk + i, pipelined, sizeof(pipelined) - 1);
		total = i;
		conns = 1;
		fds[0] = connect_to(port);
		while ((size_t)sent < want &&
		    testutil_now_ms() < deadline &&
		    testutil_now_ms() - last_progress < STALL_MS) {
			if ((n = send_some(fds[0], chunk, total)) < 0)
				break;
			if (n == 0) {
				(void)poll(&(struct pollfd){ fds[0], POLLOUT, 0 },
				    1, 10);
				continue;
			}
			sent += n;
			last_progress = testutil_now_ms();
		}
	} else if (strcmp(argv[1], "bodies") == 0 && argc == 5) {
		conns = (size_t)testutil_number("hog", argv[3], 1, CONNS_MAX);
		want = (size_t)testutil_number("hog", argv[4], 1, 1 << 20) << 10;
		headlen = (size_t)snprintf(head, sizeof(head),
		    "POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n",
		    want);
		memset(chunk, 'x', sizeof(chunk));
		for (i = 0; i < conns; i++) {
			fds[i] = connect_to(port);
			head_left[i] = headlen;
			left[i] = want;
		}
		do {
			busy = 0;
			for (i = 0; i < conns; i++) {
				if (fds[i] < 0 || (head_left[i] == 0 &&
				    left[i] == 0))
					continue;
				busy = 1;
				if (head_left[i] > 0)
					n = send_some(fds[i], head + headlen -
					    head_left[i], head_left[i]);
				else
					n = send_some(fds[i], chunk, left[i] <
					    sizeof(chunk) ? left[i] :
					    sizeof(chunk));
				if (n < 0) {
					/* Refused and closed: that is the server's right. */
					close(fds[i]);
					fds[i] = -1;
					continue;
				}
				if (n > 0)
					last_progress = testutil_now_ms();
				if (head_left[i] > 0)
					head_left[i] -= (size_t)n;
				else
					left[i] -= (size_t)n;
				sent += n;
			}
			if (busy)
				(void)poll(NULL, 0, 1);
		} while (busy && testutil_now_ms() < deadline &&
		    testutil_now_ms() - last_progress < STALL_MS);
	} else
		usage();
	printf("%lld\n", sent);
	fflush(stdout);
	/* Held, so that the server's memory can be read meanwhile. */
	while (read(STDIN_FILENO, head, sizeof(head)) > 0)
		continue;
	for (i = 0; i < conns; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}
