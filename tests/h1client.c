/* h1client.c: send one request's bytes (with C escapes) to 127.0.0.1:PORT on a fresh connection, whole or a few bytes per write, and print the status of every answer that comes back and how the connection ended. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define BYTES_MAX	(1 << 20)
#define WAIT_MS		3000	/* for the whole exchange */

static size_t	 unescape(const char *, char *);
static size_t	 answers(const char *, size_t, bool, char *, size_t);

static void
usage(void)
{
	fprintf(stderr, "usage: h1client PORT REQUEST [STEP]\n"
	    "  REQUEST takes \\r \\n \\t \\0 \\\\ and \\xNN; STEP > 0 sends it "
	    "STEP bytes per write\n"
	    "  prints the answers' statuses, then closed, reset or open\n");
	exit(2);
}

static size_t
unescape(const char *s, char *out)
{
	size_t	n = 0;

	while (*s != '\0' && n < BYTES_MAX) {
		if (*s != '\\' || s[1] == '\0') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r':
			out[n++] = '\r';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case '0':
			out[n++] = '\0';
			break;
		case 'x':
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2])) {
				fprintf(stderr, "h1client: bad \\x escape\n");
				exit(2);
			}
			out[n++] = (char)strtol((char[]){ s[1], s[2], '\0' },
			    NULL, 16);
			s += 2;
			break;
		default:
			out[n++] = *s;
		}
		s++;
	}
	return n;
}

/*
 * The statuses of the answers in buf, space-separated, into out.  A body
 * is skipped by its Content-Length, except where the next answer's status
 * line or the end stands instead (an answer to HEAD).  Returns how many.
 */
static size_t
answers(const char *buf, size_t len, bool eof, char *out, size_t outlen)
{
	const char	*p = buf, *end = buf + len, *head_end, *cl;
	size_t		 count = 0, used = 0;
	long		 status, length;

	out[0] = '\0';
	while (p < end) {
		if (end - p < 12 || strncmp(p, "HTTP/1.", 7) != 0)
			break;
		head_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (head_end == NULL)
			break;
		status = strtol(p + 9, NULL, 10);
		length = 0;
		cl = memmem(p, (size_t)(head_end - p), "\r\nContent-Length: ", 18);
		if (cl != NULL)
			length = strtol(cl + 18, NULL, 10);
		p = head_end + 4;
		if (status >= 200 && status != 204 && status != 304 &&
		    !(end - p >= 7 && strncmp(p, "HTTP/1.", 7) == 0) &&
		    !(eof && p == end)) {
			if (end - p < length)
				break;
			p += length;
		}
		used += (size_t)snprintf(out + used, outlen - used, "%s%ld",
		    count > 0 ? " " : "", status);
		count++;
		if (used >= outlen)
			break;
	}
	return count;
}

int
main(int argc, char *argv[])
{
	static char		 req[BYTES_MAX], got[BYTES_MAX];
	char			 statuses[4096];
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	const char		*how = "open";
	size_t			 len, sent = 0, have = 0, step;
	ssize_t			 n;
	int64_t			 deadline;
	int			 fd, left;

	if (argc != 3 && argc != 4)
		usage();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)testutil_number("h1client", argv[1], 1,
	    65535));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = unescape(argv[2], req);
	step = argc == 4 ? (size_t)testutil_number("h1client", argv[3], 0,
	    BYTES_MAX) : 0;
	if (step == 0)
		step = len;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
	    sizeof(int)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("h1client: connect");
		return 1;
	}
	deadline = testutil_now_ms() + WAIT_MS;
	pfd.fd = fd;
	for (;;) {
		pfd.events = POLLIN | (sent < len ? POLLOUT : 0);
		left = (int)(deadline - testutil_now_ms());
		if (left <= 0)
			break;
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			perror("h1client: poll");
			return 1;
		}
		if ((pfd.revents & POLLOUT) && sent < len) {
			n = send(fd, req + sent, len - sent < step ? len - sent :
			    step, MSG_NOSIGNAL);
			if (n == -1 && errno != EAGAIN && errno != EINTR) {
				/* Refused before all was sent: see what came. */
				sent = len;
			} else if (n > 0)
				sent += (size_t)n;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, got + have, sizeof(got) - have, 0);
			if (n == 0) {
				how = "closed";
				break;
			}
			if (n == -1 && errno == ECONNRESET) {
				how = "reset";
				break;
			}
			if (n > 0)
				have += (size_t)n;
		}
	}
	answers(got, have, strcmp(how, "open") != 0, statuses,
	    sizeof(statuses));
	printf("%s%s%s\n", statuses, statuses[0] != '\0' ? " " : "", how);
	if (getenv("H1CLIENT_SHOW") != NULL)
		fwrite(got, 1, have, stderr);
	close(fd);
	return 0;
}
