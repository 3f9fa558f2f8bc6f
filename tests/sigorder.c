/* sigorder.c: run a command under ptrace and, when it first gets signal HOLD, send it signal SEND before letting HOLD through: both come before its event loop can run, HOLD first, for the first-cause test. */
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void	 usage(void);
static int	 parse_signal(const char *);
static int	 is_pending(pid_t, int);

static void
usage(void)
{
	fprintf(stderr, "usage: sigorder HOLD SEND command [arg...]\n");
	exit(2);
}

static int
parse_signal(const char *name)
{
	const char	*abbrev;
	int		 signo;

	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (signo = 1; signo < NSIG; signo++)
		if ((abbrev = sigabbrev_np(signo)) != NULL &&
		    strcmp(abbrev, name) == 0)
			return signo;
	fprintf(stderr, "sigorder: unknown signal \"%s\"\n", name);
	exit(2);
}

/* signo is pending for the process pid (ShdPnd: sent with kill(2)). */
static int
is_pending(pid_t pid, int signo)
{
	char			 path[64], line[256];
	unsigned long long	 mask;
	FILE			*fp;
	int			 found = 0;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "ShdPnd: %llx", &mask) == 1)
			found = (mask >> (signo - 1)) & 1;
	fclose(fp);
	return found;
}

/*
 * A traced process stops at each signal it is about to take; a signal
 * sent while it is held there stays pending, and is taken next, once the
 * handler of the held one has run.  Exits as the command did (128 + the
 * signal if one killed it).  Once HOLD is let go, the command runs untraced.
 */
int
main(int argc, char *argv[])
{
	int	 hold, send, status, sig, held = 0;
	pid_t	 pid;

	if (argc < 4)
		usage();
	hold = parse_signal(argv[1]);
	send = parse_signal(argv[2]);
	switch (pid = fork()) {
	case -1:
		perror("sigorder: fork");
		return 2;
	case 0:
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1) {
			perror("sigorder: PTRACE_TRACEME");
			_exit(2);
		}
		execvp(argv[3], argv + 3);
		perror("sigorder: exec");
		_exit(2);
	}
	for (;;) {
		if (waitpid(pid, &status, 0) == -1) {
			if (errno == EINTR)
				continue;
			perror("sigorder: waitpid");
			return 2;
		}
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		if (sig == SIGTRAP) {
			/* After the exec: a dying tracer takes the command along. */
			if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
			    (void *)PTRACE_O_EXITKILL) == -1) {
				perror("sigorder: PTRACE_SETOPTIONS");
				return 2;
			}
			sig = 0;
		} else if (sig == hold && !held) {
			held = 1;
			if (kill(pid, send) == -1 || !is_pending(pid, send)) {
				fprintf(stderr, "sigorder: SIG%s is not pending "
				    "in pid %ld\n", sigabbrev_np(send), (long)pid);
				return 2;
			}
			/*
			 * Done: let it go with HOLD, untraced from here on
			 * (LeakSanitizer cannot check a traced process).
			 */
			if (ptrace(PTRACE_DETACH, pid, NULL,
			    (void *)(long)sig) == -1) {
				perror("sigorder: PTRACE_DETACH");
				return 2;
			}
			continue;
		}
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) == -1) {
			perror("sigorder: PTRACE_CONT");
			return 2;
		}
	}
}
