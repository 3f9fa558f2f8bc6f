/* floor.c: the benchmark's floor: the least a fork-per-listener group can do (bind, fork, blocking accept, kill, reap), to time forkgroup's cascade and start-up against. */
/* sigwaitinfo, kill: POSIX, which -std=c11 hides without this. */
#define _POSIX_C_SOURCE 200809L

#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tests/testutil.h"

/*
 * No event loop, no logging, no drain: a child answers /ping from a
 * blocking accept loop and dies of SIGTERM's default action; the parent
 * sleeps in sigwaitinfo.  Whatever forkgroup spends beyond this on a
 * cascade or a start-up is its own; what this spends is the kernel's.
 */

#define MAX_LISTENERS	1024

static const char pong[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
    "Content-Length: 4\r\nConnection: close\r\n\r\npong";

static int	 bind_port(const char *);
static _Noreturn void serve(int);

static int
bind_port(const char *text)
{
	struct sockaddr_in	sin;
	int			fd, on = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((in_port_t)testutil_number("floor", text, 1, 65535));
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 511) == -1)
		err(71, "127.0.0.1:%s", text);
	return fd;
}

/* One request per connection is all the benchmark's probes send. */
static _Noreturn void
serve(int lfd)
{
	char	buf[1024];
	int	fd;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		if (read(fd, buf, sizeof(buf)) > 0 &&
		    write(fd, pong, sizeof(pong) - 1) == -1) {
			/* The client is gone: nothing to tell it. */
		}
		close(fd);
	}
}

int
main(int argc, char *argv[])
{
	static pid_t	kids[MAX_LISTENERS];
	static int	fds[MAX_LISTENERS];
	sigset_t	set;
	int		i, j, n = argc - 1;

	if (n < 1 || n > MAX_LISTENERS)
		errx(64, "usage: floor port ...");
	for (i = 0; i < n; i++)
		fds[i] = bind_port(argv[i + 1]);
	/* Blocked before fork, so a signal that comes early waits for sigwaitinfo. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1)
			err(71, "fork");
		if (kids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			for (j = 0; j < n; j++)
				if (j != i)
					close(fds[j]);
			serve(fds[i]);
		}
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	/* The first child's end or SIGTERM: SIGTERM to all, then reap all. */
	while (sigwaitinfo(&set, NULL) == -1 && errno == EINTR)
		;
	for (i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
