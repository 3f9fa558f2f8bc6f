/* sockerr.c: run a command with its stderr a stream socket (as journald's is) with a small send buffer, copied to a file; SIGUSR1 stops and resumes the reading, for the stuck-stderr test. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 toggled;

static void	 on_usr1(int);
static int	 copy(int, int);

static void
on_usr1(int signo)
{
	(void)signo;
	toggled = 1;
}

/* What the socket holds now, to out; 1 at EOF, -1 on an error. */
static int
copy(int sock, int out)
{
	char	buf[65536];
	ssize_t	n;

	for (;;) {
		if ((n = read(sock, buf, sizeof(buf))) == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (n == 0)
			return 1;
		if (write(out, buf, (size_t)n) != n)
			return -1;
	}
}

/*
 * Reads while "reading", waits (the socket full, its writer's sends
 * refused or waiting) while "paused", and says each change on stderr.
 * Exits as the command did once every writer is gone and it is reaped.
 */
int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	struct pollfd		 pfd;
	sigset_t		 usr1, unblocked;
	int			 pair[2], out, sndbuf = 4096, status, rc = 0;
	int			 reading = 1;
	pid_t			 pid;

	if (argc < 3) {
		fprintf(stderr, "usage: sockerr file command [arg...]\n");
		return 2;
	}
	if ((out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0644)) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1 ||
	    setsockopt(pair[1], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == -1 ||
	    fcntl(pair[0], F_SETFL, O_NONBLOCK) == -1) {
		perror("sockerr");
		return 2;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, &unblocked) == -1) {
		perror("sockerr: sigprocmask");
		return 2;
	}
	switch (pid = fork()) {
	case -1:
		perror("sockerr: fork");
		return 2;
	case 0:
		if (sigprocmask(SIG_SETMASK, &unblocked, NULL) == -1 ||
		    dup2(pair[1], STDERR_FILENO) == -1)
			_exit(2);
		execvp(argv[2], argv + 2);
		_exit(2);
	}
	close(pair[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) == -1) {
		perror("sockerr: sigaction");
		return 2;
	}
	sigdelset(&unblocked, SIGUSR1);
	pfd.fd = pair[0];
	pfd.events = POLLIN;
	while (rc == 0) {
		if (toggled) {
			toggled = 0;
			reading = !reading;
			fprintf(stderr, "sockerr: %s\n", reading ? "reading" :
			    "paused");
		}
		if (reading && (rc = copy(pair[0], out)) != 0)
			break;
		if (ppoll(reading ? &pfd : NULL, reading ? 1 : 0, NULL,
		    &unblocked) == -1 && errno != EINTR) {
			perror("sockerr: ppoll");
			return 2;
		}
	}
	if (rc == -1) {
		perror("sockerr: copy");
		return 2;
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			perror("sockerr: waitpid");
			return 2;
		}
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}
