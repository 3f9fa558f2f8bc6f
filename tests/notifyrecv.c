/* notifyrecv.c: stand in for systemd's notify socket in the integration tests: bind an AF_UNIX datagram socket and print each datagram on a line, with its sender, a MONOTONIC_USEC= checked against the clock; or (-f) first fill its queue and read nothing until SIGUSR1, as a stuck systemd. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define DATAGRAM_MAX	4096

static volatile sig_atomic_t	 stopping;
static volatile sig_atomic_t	 released;

static void	 usage(void);
static void	 on_signal(int);
static void	 on_release(int);
static int	 fill(const char *);
static int	 bind_socket(const char *);
static void	 print_text(const char *, size_t);
static size_t	 mark_monotonic(char *, size_t, size_t);
static int	 receive_all(int, const char *);

static void
usage(void)
{
	fprintf(stderr, "usage: notifyrecv [-f] [-s file] [-t seconds] "
	    "@name | path\n");
	exit(2);
}

static void
on_signal(int signo)
{
	(void)signo;
	stopping = 1;
}

static void
on_release(int signo)
{
	(void)signo;
	released = 1;
}

/*
 * Send our own socket datagrams until its queue is full, as a systemd that
 * stopped reading would have it: the next sender would wait.  Returns how
 * many were sent, or -1.
 */
static int
fill(const char *name)
{
	struct sockaddr_un	sun;
	size_t			len = strlen(name);
	int			fd, n;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, len);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	for (n = 0; n < 100000; n++)
		if (sendto(fd, "FILL", 4, MSG_DONTWAIT, (struct sockaddr *)&sun,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
		    len)) == -1)
			break;
	if (errno != EAGAIN) {
		perror("notifyrecv: fill");
		n = -1;
	}
	close(fd);
	return n;
}

/* The address as NOTIFY_SOCKET spells it: "@name" is the abstract namespace. */
static int
bind_socket(const char *name)
{
	struct sockaddr_un	sun;
	size_t			len = strlen(name);
	int			fd, on = 1;

	if (len < 2 || len >= sizeof(sun.sun_path)) {
		fprintf(stderr, "notifyrecv: bad socket name \"%s\"\n", name);
		exit(2);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, len);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	/* SO_PASSCRED: the kernel tells who sent each datagram, as systemd is told. */
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) == -1) {
		fprintf(stderr, "notifyrecv: %s: %s\n", name, strerror(errno));
		exit(1);
	}
	return fd;
}

/* One line whatever the datagram holds: newlines, backslashes and other bytes escaped. */
static void
print_text(const char *text, size_t len)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)text[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 0x20 || c > 0x7e)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/*
 * A MONOTONIC_USEC= (sent with RELOADING=1) must be a time of
 * CLOCK_MONOTONIC from the last minute: its digits become "recent" when
 * they are, so that the tests can compare whole lines.  Returns the new
 * length of text, which has room for cap bytes.
 */
static size_t
mark_monotonic(char *text, size_t len, size_t cap)
{
	static const char	 key[] = "MONOTONIC_USEC=", mark[] = "recent";
	char			*at, *digits, *end;
	long long		 usec, now = testutil_now_us();
	size_t			 tail;

	if (len >= cap)
		return len;
	text[len] = '\0';
	if ((at = strstr(text, key)) == NULL || (at != text && at[-1] != '\n'))
		return len;
	digits = at + sizeof(key) - 1;
	usec = strtoll(digits, &end, 10);
	if (end == digits || (*end != '\n' && *end != '\0') || usec > now ||
	    usec < now - 60 * 1000000LL ||
	    (size_t)(end - digits) < sizeof(mark) - 1)
		return len;
	tail = len - (size_t)(end - text);
	memcpy(digits, mark, sizeof(mark) - 1);
	memmove(digits + sizeof(mark) - 1, end, tail);
	return (size_t)(digits - text) + sizeof(mark) - 1 + tail;
}

/*
 * Print every datagram waiting as "PID SIZE TEXT": the sender's pid, and
 * the size of sizefile (or "-") when it arrived, which tells what a log
 * held at that moment.  Returns -1 on an error, after saying why.
 */
static int
receive_all(int fd, const char *sizefile)
{
	char		 text[DATAGRAM_MAX];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct ucred))];
	}		 control;
	struct iovec	 iov;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct ucred	 cred;
	struct stat	 st;
	ssize_t		 n;

	for (;;) {
		iov.iov_base = text;
		iov.iov_len = sizeof(text);
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		if ((n = recvmsg(fd, &msg, 0)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			fprintf(stderr, "notifyrecv: recvmsg: %s\n",
			    strerror(errno));
			return -1;
		}
		if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
			fprintf(stderr, "notifyrecv: datagram truncated\n");
			return -1;
		}
		cred.pid = 0;
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
		    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
			if (cmsg->cmsg_level == SOL_SOCKET &&
			    cmsg->cmsg_type == SCM_CREDENTIALS)
				memcpy(&cred, CMSG_DATA(cmsg), sizeof(cred));
		}
		printf("%ld ", (long)cred.pid);
		if (sizefile == NULL)
			fputs("- ", stdout);
		else if (stat(sizefile, &st) == -1) {
			fprintf(stderr, "notifyrecv: %s: %s\n", sizefile,
			    strerror(errno));
			return -1;
		} else
			printf("%lld ", (long long)st.st_size);
		print_text(text, mark_monotonic(text, (size_t)n,
		    sizeof(text)));
		putchar('\n');
		/* The test reads the file while this runs. */
		if (fflush(stdout) == EOF) {
			fprintf(stderr, "notifyrecv: stdout: %s\n",
			    strerror(errno));
			return -1;
		}
	}
}

/*
 * Receive until SIGTERM or SIGINT, or until the deadline (-t, default 60 s)
 * so that a forgotten one ends; either way print what is still queued and
 * exit 0.  "bound" on stderr says when senders may start.
 */
int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	struct pollfd		 pfd;
	struct timespec		 ts;
	sigset_t		 block, unblocked;
	const char		*sizefile = NULL;
	int64_t			 deadline, left;
	long			 seconds = 60;
	int			 ch, filled = -1;
	bool			 hold = false;

	while ((ch = getopt(argc, argv, "fs:t:")) != -1) {
		switch (ch) {
		case 'f':
			hold = true;
			break;
		case 's':
			sizefile = optarg;
			break;
		case 't':
			seconds = testutil_number("notifyrecv", optarg, 1,
			    3600);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();

	/* Blocked but for ppoll, so a signal cannot slip in before the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &block, &unblocked) == -1) {
		perror("notifyrecv: sigprocmask");
		return 1;
	}
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGUSR1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1) {
		perror("notifyrecv: sigaction");
		return 1;
	}
	sa.sa_handler = on_release;
	if (sigaction(SIGUSR1, &sa, NULL) == -1) {
		perror("notifyrecv: sigaction");
		return 1;
	}

	pfd.fd = bind_socket(argv[optind]);
	pfd.events = POLLIN;
	if (hold && (filled = fill(argv[optind])) == -1)
		return 1;
	fprintf(stderr, "notifyrecv: bound %s\n", argv[optind]);
	if (hold)
		fprintf(stderr, "notifyrecv: queue full after %d datagrams; "
		    "reading nothing until SIGUSR1\n", filled);
	deadline = testutil_now_ms() + seconds * 1000;
	while (!stopping && (left = deadline - testutil_now_ms()) > 0) {
		ts.tv_sec = left / 1000;
		ts.tv_nsec = left % 1000 * 1000000;
		/* Held: only a signal ends the wait. */
		if (ppoll(hold && !released ? NULL : &pfd, hold && !released ?
		    0 : 1, &ts, &unblocked) == -1 && errno != EINTR) {
			perror("notifyrecv: ppoll");
			return 1;
		}
		if ((!hold || released) && receive_all(pfd.fd, sizefile) == -1)
			return 1;
	}
	if (!stopping)
		fprintf(stderr, "notifyrecv: deadline passed\n");
	return receive_all(pfd.fd, sizefile) == -1 ? 1 : 0;
}
