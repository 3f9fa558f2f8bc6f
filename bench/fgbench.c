/* fgbench.c: the benchmark's stopwatch: free ports, waiting for /ping, and timing a server's start-up and the end of its whole process tree. */
/* ppoll: a GNU extension, and -std=c11 hides POSIX without this. */
#define _GNU_SOURCE

#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tests/testutil.h"

/*
 * Ports are picked below the kernel's ephemeral range (32768 and up by
 * default), so that neither wrk's outgoing connections nor other programs'
 * port-0 listeners take one between the pick and the server's bind.
 */
#define PORT_LO		20000
#define PORT_HI		32000
#define MAX_PORTS	1024
#define MAX_PROCS	4096

/*
 * A refused port is retried every RETRY_US, and each sweep stops at its
 * first refusal: before the server binds, that is one connect() per tick
 * instead of one per port, so the probe does not eat the CPU the server
 * needs to start.  The end time is late by at most one tick.
 */
#define RETRY_US	250
#define REPLY_MAX	1024

static const char ping_request[] =
    "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

enum probe_state { PROBE_IDLE, PROBE_CONNECTING, PROBE_SENT, PROBE_DONE };

struct probe {
	in_port_t		 port;
	int			 fd;
	enum probe_state	 state;
	size_t			 got;
	char			 reply[REPLY_MAX];
};

static void	 sleep_us(int64_t);
static int	 pidfd_open(pid_t);
static size_t	 parse_ports(char *, in_port_t *);
static int	 listen_on(in_port_t);
static int	 cmd_ports(int, char **);
static void	 probe_reset(struct probe *);
static void	 probe_connect(struct probe *);
static void	 probe_io(struct probe *, short);
static int	 await_ping(struct probe *, size_t, int, int64_t);
static struct probe *probes_new(char *, size_t *);
static int	 cmd_wait(int, char **);
static size_t	 children_of(pid_t, pid_t *, size_t);
static void	 kill_tree(pid_t);
static pid_t	 launch(char **, const char *, const char *);
static int	 await_exit(int *, size_t, int64_t);
static int	 cmd_run(int, char **);
static _Noreturn void usage(void);

static void
sleep_us(int64_t us)
{
	struct timespec	ts = { .tv_sec = us / 1000000,
			    .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* glibc 2.36 declares no wrapper; the system call is all we need. */
static int
pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* "20001,20002,..." into ports; returns how many. */
static size_t
parse_ports(char *list, in_port_t *ports)
{
	char	*tok, *save = NULL;
	long	 p;
	size_t	 n = 0;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		p = testutil_number("fgbench", tok, 1, 65535);
		if (n == MAX_PORTS)
			errx(2, "more than %d ports", MAX_PORTS);
		ports[n++] = (in_port_t)p;
	}
	if (n == 0)
		errx(2, "no ports");
	return n;
}

/* Bound and listening as the servers will be (SO_REUSEADDR), or -1. */
static int
listen_on(in_port_t port)
{
	struct sockaddr_in	sin;
	int			fd, on = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 1) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * ports N: print N distinct free ports, comma-separated.  Each is held
 * until all are found, so that none is counted twice; from a random start
 * so that two runs at once rarely collide.
 */
static int
cmd_ports(int argc, char **argv)
{
	static int	 held[MAX_PORTS];
	const char	*sep = "";
	long		 want;
	int		 span = PORT_HI - PORT_LO, start, i, fd;
	size_t		 n = 0, k;

	if (argc != 2)
		usage();
	want = testutil_number("fgbench", argv[1], 1, MAX_PORTS);
	srand((unsigned)(testutil_now_us() ^ getpid()));
	start = rand() % span;
	for (i = 0; i < span && n < (size_t)want; i++) {
		in_port_t port = (in_port_t)(PORT_LO + (start + i) % span);

		if ((fd = listen_on(port)) == -1)
			continue;
		held[n++] = fd;
		printf("%s%u", sep, port);
		sep = ",";
	}
	printf("\n");
	for (k = 0; k < n; k++)
		close(held[k]);
	if (n < (size_t)want)
		errx(1, "only %zu free ports of %ld", n, want);
	return 0;
}

static void
probe_reset(struct probe *pr)
{
	if (pr->fd != -1)
		close(pr->fd);
	pr->fd = -1;
	pr->state = PROBE_IDLE;
	pr->got = 0;
	pr->reply[0] = '\0';
}

/*
 * A non-blocking connect: on loopback a closed port is refused at once,
 * and an open one is usually connected at once as well, since the kernel
 * queues it for accept() whether or not anybody accepts yet.
 */
static void
probe_connect(struct probe *pr)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(pr->port);
	if ((pr->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(pr->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS) {
		probe_reset(pr);
		return;
	}
	pr->state = PROBE_CONNECTING;
}

/* One step on a poll event: connected → send the request; readable → read the answer. */
static void
probe_io(struct probe *pr, short revents)
{
	socklen_t	len = sizeof(int);
	ssize_t		n;
	int		soerr = 0;

	if (pr->state == PROBE_CONNECTING) {
		if (getsockopt(pr->fd, SOL_SOCKET, SO_ERROR, &soerr,
		    &len) == -1 || soerr != 0) {
			probe_reset(pr);
			return;
		}
		/*
		 * Fits any socket buffer: one send or none.  MSG_NOSIGNAL, not
		 * an ignored SIGPIPE, which the server would inherit over exec.
		 */
		if (send(pr->fd, ping_request, sizeof(ping_request) - 1,
		    MSG_NOSIGNAL) != (ssize_t)sizeof(ping_request) - 1) {
			probe_reset(pr);
			return;
		}
		pr->state = PROBE_SENT;
		return;
	}
	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return;
	n = read(pr->fd, pr->reply + pr->got, sizeof(pr->reply) - 1 - pr->got);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n > 0) {
		pr->got += (size_t)n;
		pr->reply[pr->got] = '\0';
	}
	/* A whole 200 with the body "pong" is an answer; anything else is not yet. */
	if (strncmp(pr->reply, "HTTP/1.", 7) == 0 &&
	    strncmp(pr->reply + 8, " 200", 4) == 0 &&
	    strstr(pr->reply, "\r\n\r\npong") != NULL) {
		close(pr->fd);
		pr->fd = -1;
		pr->state = PROBE_DONE;
		return;
	}
	if (n <= 0 || pr->got == sizeof(pr->reply) - 1)
		probe_reset(pr);
}

/*
 * Wait until every port answers GET /ping with 200 "pong", all of them
 * probed at once.  pidfd, unless -1, is the server: its end fails the
 * wait.  Returns 0, or -1 at the deadline or when the server is gone.
 */
static int
await_ping(struct probe *pr, size_t n, int pidfd, int64_t deadline)
{
	static struct pollfd	 pfd[MAX_PORTS + 1];
	static struct probe	*owner[MAX_PORTS + 1];
	struct timespec		 ts;
	int64_t			 now, wait, next_sweep = 0;
	size_t			 i, npfd, left, idle;
	int			 r;

	for (;;) {
		now = testutil_now_us();
		if (now >= next_sweep) {
			for (i = 0; i < n; i++) {
				if (pr[i].state != PROBE_IDLE)
					continue;
				probe_connect(&pr[i]);
				if (pr[i].state == PROBE_IDLE)
					break;	/* refused: the rest wait a tick */
			}
			next_sweep = now + RETRY_US;
		}
		npfd = left = idle = 0;
		for (i = 0; i < n; i++) {
			if (pr[i].state == PROBE_DONE)
				continue;
			left++;
			if (pr[i].state == PROBE_IDLE) {
				idle++;
				continue;
			}
			pfd[npfd].fd = pr[i].fd;
			pfd[npfd].events = pr[i].state == PROBE_CONNECTING ?
			    POLLOUT : POLLIN;
			owner[npfd++] = &pr[i];
		}
		if (left == 0)
			return 0;
		if (pidfd != -1) {
			pfd[npfd].fd = pidfd;
			pfd[npfd].events = POLLIN;
			owner[npfd++] = NULL;
		}
		now = testutil_now_us();
		if (now >= deadline)
			return -1;
		wait = deadline - now;
		if (idle > 0 && next_sweep - now < wait)
			wait = next_sweep - now > 0 ? next_sweep - now : 0;
		ts.tv_sec = wait / 1000000;
		ts.tv_nsec = (wait % 1000000) * 1000;
		if ((r = ppoll(pfd, npfd, &ts, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "ppoll");
		}
		for (i = 0; r > 0 && i < npfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (owner[i] == NULL) {
				warnx("the server exited during start-up");
				return -1;
			}
			probe_io(owner[i], pfd[i].revents);
		}
	}
}

static struct probe *
probes_new(char *list, size_t *n)
{
	static in_port_t	 ports[MAX_PORTS];
	struct probe		*pr;
	size_t			 i;

	*n = parse_ports(list, ports);
	if ((pr = calloc(*n, sizeof(*pr))) == NULL)
		err(1, "calloc");
	for (i = 0; i < *n; i++) {
		pr[i].port = ports[i];
		pr[i].fd = -1;
	}
	return pr;
}

/* wait [-t ms] PORTS: until each answers /ping; prints the time it took. */
static int
cmd_wait(int argc, char **argv)
{
	struct probe	*pr;
	int64_t		 t0 = testutil_now_us(), timeout_ms = 10000;
	size_t		 n;
	int		 ch;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			usage();
		timeout_ms = testutil_number("fgbench", optarg, 1, 3600000);
	}
	if (argc - optind != 1)
		usage();
	pr = probes_new(argv[optind], &n);
	if (await_ping(pr, n, -1, t0 + timeout_ms * 1000) == -1) {
		warnx("not every port answers /ping after %lld ms",
		    (long long)timeout_ms);
		return 1;
	}
	printf("ready_ms=%.3f\n", (double)(testutil_now_us() - t0) / 1000);
	free(pr);
	return 0;
}

/* The process's children, as the kernel lists them for its main thread. */
static size_t
children_of(pid_t pid, pid_t *kids, size_t max)
{
	char	 path[64];
	FILE	*fp;
	long	 k;
	size_t	 n = 0;

	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children",
	    (long)pid, (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fscanf(fp, "%ld", &k) == 1)
		kids[n++] = (pid_t)k;
	fclose(fp);
	return n;
}

/* The failure path: SIGKILL what we started and its children, by pid, and reap it. */
static void
kill_tree(pid_t pid)
{
	static pid_t	kids[MAX_PROCS];
	size_t		i, n = children_of(pid, kids, MAX_PROCS);

	/* Children first: some servers' workers would outlive their master. */
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static pid_t
launch(char **argv, const char *user, const char *logfile)
{
	struct passwd	*pw = NULL;
	pid_t		 pid;
	int		 fd;

	/* Looked up before fork, so the clock runs over fork and exec only. */
	if (user != NULL && (pw = getpwnam(user)) == NULL)
		errx(1, "no user \"%s\"", user);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid > 0)
		return pid;
	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 0) == -1)
		err(127, "/dev/null");
	if (logfile != NULL) {
		if ((fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0644)) ==
		    -1 || dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
			err(127, "%s", logfile);
	}
	if (pw != NULL && (setgroups(0, NULL) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1))
		err(127, "cannot become %s", user);
	execvp(argv[0], argv);
	err(127, "%s", argv[0]);
}

/*
 * Poll every pidfd until each process has ended (a pidfd is readable from
 * the moment its process is a zombie), or the deadline.  Returns 0 or -1.
 */
static int
await_exit(int *fds, size_t n, int64_t deadline)
{
	static struct pollfd	pfd[MAX_PROCS];
	size_t			i, left = n;
	int64_t			wait;
	int			r;

	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	while (left > 0) {
		if ((wait = deadline - testutil_now_us()) <= 0)
			return -1;
		r = ppoll(pfd, n, &(struct timespec){ wait / 1000000,
		    (wait % 1000000) * 1000 }, NULL);
		if (r == -1 && errno != EINTR)
			err(1, "ppoll");
		for (i = 0; r > 0 && i < n; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			/* A negative fd is skipped by poll: done with this one. */
			pfd[i].fd = -1;
			left--;
		}
	}
	return 0;
}

/*
 * run [-k | -s SIG] [-c N] [-w ms] [-p] [-u user] [-l log] PORTS -- CMD...:
 * start CMD, time it until every port answers /ping, wait for its N
 * children, let it settle, then (-p) GET /ping on every port once more,
 * so that each has just served, then either SIGKILL its first child (-k)
 * or send SIG to it (-s), and time it until it and every child have ended.
 */
static int
cmd_run(int argc, char **argv)
{
	static pid_t	 kids[MAX_PROCS];
	static int	 fds[MAX_PROCS + 1];
	struct probe	*pr;
	const char	*user = NULL, *logfile = NULL;
	int64_t		 t0, t_ready, t_stop, t_end, deadline;
	long		 settle_ms = 200, want_kids = 0;
	size_t		 n, nkids = 0, i;
	pid_t		 pid, target;
	int		 ch, signo = SIGTERM, kill_child = 0, status, pidfd;
	int		 traffic = 0;

	while ((ch = getopt(argc, argv, "c:kl:ps:u:w:")) != -1) {
		switch (ch) {
		case 'c':
			want_kids = testutil_number("fgbench", optarg, 0,
			    MAX_PROCS);
			break;
		case 'k':
			kill_child = 1;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'p':
			traffic = 1;
			break;
		case 's':
			signo = (int)testutil_number("fgbench", optarg, 1,
			    NSIG - 1);
			break;
		case 'u':
			user = optarg;
			break;
		case 'w':
			settle_ms = testutil_number("fgbench", optarg, 0,
			    3600000);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2 || (kill_child && want_kids == 0))
		usage();
	pr = probes_new(argv[optind], &n);
	argv += optind + 1;

	t0 = testutil_now_us();
	pid = launch(argv, user, logfile);
	if ((pidfd = pidfd_open(pid)) == -1)
		err(1, "pidfd_open");
	if (await_ping(pr, n, pidfd, t0 + 30 * 1000000LL) == -1) {
		kill_tree(pid);
		errx(1, "%s: not every port answered /ping", argv[0]);
	}
	t_ready = testutil_now_us();

	/* A server may answer before it has forked every worker. */
	deadline = testutil_now_us() + 10 * 1000000LL;
	while ((nkids = children_of(pid, kids, MAX_PROCS)) <
	    (size_t)want_kids && testutil_now_us() < deadline)
		sleep_us(1000);
	if (nkids != (size_t)want_kids) {
		kill_tree(pid);
		errx(1, "%s: %zu children, expected %ld", argv[0], nkids,
		    want_kids);
	}
	/* Readiness messages, log lines and the like must not count as the stop. */
	sleep_us(settle_ms * 1000);
	/* Every port answered one Connection: close request just now. */
	if (traffic) {
		for (i = 0; i < n; i++)
			pr[i].state = PROBE_IDLE;
		if (await_ping(pr, n, pidfd, testutil_now_us() +
		    30 * 1000000LL) == -1) {
			kill_tree(pid);
			errx(1, "%s: not every port answered /ping again",
			    argv[0]);
		}
	}

	/* The children right before the signal: none can have been replaced. */
	nkids = children_of(pid, kids, MAX_PROCS);
	fds[0] = pidfd;
	for (i = 0; i < nkids; i++)
		if ((fds[i + 1] = pidfd_open(kids[i])) == -1)
			err(1, "pidfd_open %ld", (long)kids[i]);
	target = kill_child ? kids[0] : pid;
	if (kill_child)
		signo = SIGKILL;
	t_stop = testutil_now_us();
	if (kill(target, signo) == -1)
		err(1, "kill %ld", (long)target);
	if (await_exit(fds, nkids + 1, t_stop + 30 * 1000000LL) == -1) {
		kill_tree(pid);
		errx(1, "%s: still running 30 s after the signal", argv[0]);
	}
	t_end = testutil_now_us();
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	printf("start_ms=%.3f stop_ms=%.3f procs=%zu status=%d\n",
	    (double)(t_ready - t0) / 1000, (double)(t_end - t_stop) / 1000,
	    nkids + 1, WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
	for (i = 0; i <= nkids; i++)
		close(fds[i]);
	free(pr);
	return 0;
}

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: fgbench ports N\n"
	    "       fgbench wait [-t ms] PORT,...\n"
	    "       fgbench run [-k | -s signo] [-c children] [-w settle_ms] [-p]"
	    " [-u user] [-l log]\n"
	    "                   PORT,... -- command [arg ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "ports") == 0)
		return cmd_ports(argc - 1, argv + 1);
	if (strcmp(argv[1], "wait") == 0)
		return cmd_wait(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	usage();
}
