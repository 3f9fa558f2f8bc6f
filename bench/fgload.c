/* fgload.c: the graceful-stop and reload load: GET /ping on C connections (kept alive, or one per request), a signal to the server mid-run or every few ms, and the fate of every request counted. */
/* ppoll, memmem: GNU extensions, and -std=c11 hides POSIX without this. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../tests/testutil.h"

/*
 * wrk cannot tell a lost request from a refused reconnect: its connect is
 * non-blocking, so on loopback the refusal comes back from the first write
 * or read on the new socket and is counted as a write or read error, the
 * same counters a connection reset under a request goes to.  Here each
 * request ends in exactly one of: answered 2xx, answered otherwise,
 * reset (EOF, RST or a failed send on a connection that was established:
 * the request was sent and never answered), or timed out; a refused
 * connect sends no request and is counted apart (no loss when a server
 * stops; across a reload, an error).  So is a kept-alive connection the
 * server closed while it was idle: before reusing one, fgload looks for
 * the server's FIN, as careful clients do (urllib3, Go's transport), and
 * if it came sends the request on a new connection (idle_closed); a FIN
 * that comes after the request was sent is a reset.  Two more figures tell a dropped SYN,
 * which a client's kernel retries after a second: the connections whose
 * kernel retransmitted anything (TCP_INFO, read as each closes), and the
 * slowest answer, timed from the connect for a connection's first request.
 */

#define MAX_CONNS	1024
#define REPLY_MAX	4096
/* After a refused connect: the server is gone or going; no need to spin. */
#define RETRY_US	10000

static const char keepalive[] = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
static const char once[] = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Connection: close\r\n\r\n";

enum conn_state { CONN_WAIT, CONN_CONNECTING, CONN_AWAITING };

struct conn {
	int		 fd;
	enum conn_state	 state;
	int64_t		 since;		/* request sent, or the retry's time */
	int64_t		 opened;	/* connect(2) called */
	bool		 first;		/* its first request: timed from opened */
	bool		 established;
	size_t		 got;
	char		 reply[REPLY_MAX];
};

struct tally {
	uint64_t	answered, non2xx, reset, timeouts, refused, retrans;
	uint64_t	idle_closed;
	uint64_t	signals;
	int64_t		last_answer;	/* µs, the last 2xx */
	int64_t		slowest;	/* µs */
};

static struct sockaddr_in	 server;
static struct tally		 t;
static int64_t			 timeout_us = 2000000;
static const char		*request = keepalive;
static size_t			 request_len = sizeof(keepalive) - 1;
static volatile sig_atomic_t	 stop;

static void	 conn_close(struct conn *);
static void	 conn_open(struct conn *, int64_t);
static bool	 peer_closed(int);
static void	 conn_send(struct conn *, int64_t);
static int	 reply_complete(const char *, size_t, bool, int *, bool *);
static void	 conn_read(struct conn *, int64_t);
static void	 on_stop(int);
static _Noreturn void usage(void);

static void
conn_close(struct conn *c)
{
	struct tcp_info	ti;
	socklen_t	len = sizeof(ti);

	if (c->fd != -1 && c->established && getsockopt(c->fd, IPPROTO_TCP,
	    TCP_INFO, &ti, &len) == 0 && ti.tcpi_total_retrans > 0)
		t.retrans++;
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->got = 0;
	c->established = false;
}

static void
conn_open(struct conn *c, int64_t now)
{
	conn_close(c);
	c->opened = now;
	c->first = true;
	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(c->fd, (struct sockaddr *)&server, sizeof(server)) == -1 &&
	    errno != EINPROGRESS) {
		t.refused++;
		conn_close(c);
		c->state = CONN_WAIT;
		c->since = now + RETRY_US;
		return;
	}
	c->state = CONN_CONNECTING;
}

/* Whether the server has closed the connection: its FIN (or RST) is here. */
static bool
peer_closed(int fd)
{
	char	byte;
	ssize_t	n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR);
}

/* The connection is established: from here on an unanswered request is lost. */
static void
conn_send(struct conn *c, int64_t now)
{
	if (!c->first && peer_closed(c->fd)) {
		t.idle_closed++;
		conn_open(c, now);
		return;
	}
	c->established = true;
	if (send(c->fd, request, request_len, MSG_NOSIGNAL) !=
	    (ssize_t)request_len) {
		t.reset++;
		conn_open(c, now);
		return;
	}
	c->state = CONN_AWAITING;
	c->since = now;
	c->got = 0;
}

/*
 * 1 once buf holds a whole response (headers, and the body by
 * Content-Length, or up to EOF without one), with its status and whether
 * it ends the connection; 0 if more is to come.
 */
static int
reply_complete(const char *buf, size_t len, bool eof, int *status,
    bool *closes)
{
	const char	*end, *line, *next;
	long		 length = -1;

	if ((end = memmem(buf, len, "\r\n\r\n", 4)) == NULL)
		return 0;
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0)
		return 0;
	*status = atoi(buf + 9);
	*closes = buf[7] == '0';
	for (line = strstr(buf, "\r\n") + 2; line < end; line = next + 2) {
		next = strstr(line, "\r\n");
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			length = strtol(line + 15, NULL, 10);
		else if (strncasecmp(line, "Connection:", 11) == 0)
			*closes = strncasecmp(line + 11 + strspn(line + 11, " "),
			    "close", 5) == 0;
	}
	if (length < 0)
		return eof;
	return (size_t)(end + 4 - buf) + (size_t)length <= len;
}

static void
conn_read(struct conn *c, int64_t now)
{
	ssize_t	n;
	int	status = 0;
	bool	closes = false;

	n = read(c->fd, c->reply + c->got, sizeof(c->reply) - 1 - c->got);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		c->got += (size_t)n;
		c->reply[c->got] = '\0';
	}
	if (reply_complete(c->reply, c->got, n <= 0, &status, &closes)) {
		if (status >= 200 && status < 300) {
			t.answered++;
			t.last_answer = now;
		} else
			t.non2xx++;
		if (now - (c->first ? c->opened : c->since) > t.slowest)
			t.slowest = now - (c->first ? c->opened : c->since);
		c->first = false;
		if (closes || n <= 0)
			conn_open(c, now);
		else
			conn_send(c, now);
		return;
	}
	if (n <= 0 || c->got == sizeof(c->reply) - 1) {
		t.reset++;
		conn_open(c, now);
	}
}

static void
on_stop(int signo)
{
	(void)signo;
	stop = 1;
}

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: fgload [-C] [-c conns] [-d seconds] "
	    "[-t timeout_ms] [-p pid -s signo -a after_ms [-i every_ms]] port\n");
	exit(2);
}

/*
 * Run C connections for D seconds (-C: a new one for each request), or
 * until SIGTERM or SIGINT; at A ms send signal S to pid P (and every I ms
 * after) and, once P has ended, stop 500 ms later: what follows is
 * refusals only.  Prints the tally.
 */
int
main(int argc, char *argv[])
{
	static struct conn	 conns[MAX_CONNS];
	static struct pollfd	 pfd[MAX_CONNS + 1];
	static struct conn	*owner[MAX_CONNS + 1];
	struct sigaction	 sa;
	sigset_t		 stops, unblocked;
	int64_t			 t0, now, end, signal_at = -1, signalled = -1;
	int64_t			 exited = -1, wait, every = -1;
	long			 nconns = 50, seconds = 10, port;
	pid_t			 pid = 0;
	size_t			 i, n;
	int			 ch, signo = SIGTERM, pidfd = -1, r;

	while ((ch = getopt(argc, argv, "a:Cc:d:i:p:s:t:")) != -1) {
		switch (ch) {
		case 'a':
			signal_at = testutil_number("fgload", optarg, 0,
			    3600000) * 1000;
			break;
		case 'C':
			request = once;
			request_len = sizeof(once) - 1;
			break;
		case 'i':
			every = testutil_number("fgload", optarg, 1, 3600000) *
			    1000;
			break;
		case 'c':
			nconns = testutil_number("fgload", optarg, 1, MAX_CONNS);
			break;
		case 'd':
			seconds = testutil_number("fgload", optarg, 1, 3600);
			break;
		case 'p':
			pid = (pid_t)testutil_number("fgload", optarg, 1, INT_MAX);
			break;
		case 's':
			signo = (int)testutil_number("fgload", optarg, 1, NSIG - 1);
			break;
		case 't':
			timeout_us = testutil_number("fgload", optarg, 1, 3600000) *
			    1000;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (pid > 0) != (signal_at >= 0) ||
	    (every > 0 && pid == 0))
		usage();
	port = testutil_number("fgload", argv[optind], 1, 65535);
	server.sin_family = AF_INET;
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server.sin_port = htons((in_port_t)port);
	/* Opened now: its pid cannot be reused by the time we signal it. */
	if (pid > 0 && (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		err(1, "pidfd_open %ld", (long)pid);

	/* Blocked but in ppoll: a stop cannot slip in before it sleeps. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	if (sigemptyset(&stops) == -1 || sigaddset(&stops, SIGTERM) == -1 ||
	    sigaddset(&stops, SIGINT) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &stops, &unblocked) == -1 ||
	    sigdelset(&unblocked, SIGTERM) == -1 ||
	    sigdelset(&unblocked, SIGINT) == -1)
		err(1, "signals");

	t0 = testutil_now_us();
	end = t0 + seconds * 1000000;
	for (i = 0; i < (size_t)nconns; i++) {
		conns[i].fd = -1;
		conn_open(&conns[i], t0);
	}
	while ((now = testutil_now_us()) < end && !stop) {
		if (signal_at >= 0 && exited < 0 && now - t0 >= signal_at &&
		    (signalled < 0 || (every > 0 && now - signalled >= every))) {
			if (syscall(SYS_pidfd_send_signal, pidfd, signo, NULL,
			    0) == -1)
				err(1, "pidfd_send_signal");
			if (signalled < 0 || every <= 0)
				signalled = now;
			else	/* on the beat, whatever the loop's delays */
				signalled += every;
			t.signals++;
		}
		n = 0;
		wait = end - now;
		for (i = 0; i < (size_t)nconns; i++) {
			struct conn *c = &conns[i];

			if (c->state == CONN_AWAITING &&
			    now - c->since >= timeout_us) {
				t.timeouts++;
				conn_open(c, now);
			}
			if (c->state == CONN_WAIT && c->since <= now)
				conn_open(c, now);
			if (c->state == CONN_WAIT) {
				if (c->since - now < wait)
					wait = c->since - now;
				continue;
			}
			if (c->state == CONN_AWAITING &&
			    c->since + timeout_us - now < wait)
				wait = c->since + timeout_us - now;
			pfd[n].fd = c->fd;
			pfd[n].events = c->state == CONN_CONNECTING ?
			    POLLOUT : POLLIN;
			owner[n++] = c;
		}
		if (signal_at >= 0 && signalled < 0 && t0 + signal_at - now < wait)
			wait = t0 + signal_at - now;
		if (every > 0 && signalled >= 0 && exited < 0 &&
		    signalled + every - now < wait)
			wait = signalled + every - now;
		if (exited < 0 && pidfd != -1) {
			pfd[n].fd = pidfd;
			pfd[n].events = POLLIN;
			owner[n++] = NULL;
		}
		if (wait < 0)
			wait = 0;
		r = ppoll(pfd, n, &(struct timespec){ wait / 1000000,
		    (wait % 1000000) * 1000 }, &unblocked);
		if (r == -1 && errno != EINTR)
			err(1, "ppoll");
		now = testutil_now_us();
		for (i = 0; r > 0 && i < n; i++) {
			struct conn	*c = owner[i];
			socklen_t	 len = sizeof(int);
			int		 soerr = 0;

			if (pfd[i].revents == 0)
				continue;
			if (c == NULL) {
				exited = now;
				if (now + 500000 < end)
					end = now + 500000;
				continue;
			}
			if (c->state == CONN_AWAITING) {
				conn_read(c, now);
				continue;
			}
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &len) == -1 || soerr != 0) {
				t.refused++;
				conn_close(c);
				c->state = CONN_WAIT;
				c->since = now + RETRY_US;
				continue;
			}
			conn_send(c, now);
		}
	}
	/* Requests still out at the end were neither answered nor lost: not counted. */
	for (i = 0, n = 0; i < (size_t)nconns; i++) {
		n += conns[i].state == CONN_AWAITING;
		conn_close(&conns[i]);
	}
	printf("answered=%llu non2xx=%llu reset=%llu timeouts=%llu "
	    "refused=%llu idle_closed=%llu lost=%llu retrans=%llu "
	    "slowest_ms=%.1f signals=%llu unfinished=%zu exit_ms=%.1f "
	    "last_answer_ms=%.1f\n",
	    (unsigned long long)t.answered, (unsigned long long)t.non2xx,
	    (unsigned long long)t.reset, (unsigned long long)t.timeouts,
	    (unsigned long long)t.refused, (unsigned long long)t.idle_closed,
	    (unsigned long long)(t.non2xx + t.reset + t.timeouts),
	    (unsigned long long)t.retrans, (double)t.slowest / 1000,
	    (unsigned long long)t.signals, n,
	    exited < 0 || signalled < 0 ? -1.0 :
	    (double)(exited - signalled) / 1000,
	    signalled < 0 || t.last_answer < signalled ? 0.0 :
	    (double)(t.last_answer - signalled) / 1000);
	return 0;
}
