/* selfpipe.c: the parent's signals as bytes on a pipe, handed out in the order their handlers ran. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

#define SELFPIPE_SIGNALS_MAX	8

/*
 * libevent's evsignal is a self-pipe too, but it counts the bytes it reads
 * and runs the callbacks by signal number: a SIGCHLD (17) and a SIGTERM
 * (15) read in one pass come out SIGTERM first, whichever came first, and
 * the first cause decides the exit status.  Here the bytes are handed out
 * as they were written.
 *
 * queued[signo] is set from a handler's write until its byte is handed
 * out; meanwhile the same signal writes nothing more, as the kernel keeps a
 * pending standard signal once.  So the pipe holds at most one byte per
 * signal: it never fills, and no signal is lost to a full pipe.
 */
static int			 selfpipe_fds[2] = { -1, -1 };
static volatile sig_atomic_t	 selfpipe_queued[NSIG];
static int			 selfpipe_signals[SELFPIPE_SIGNALS_MAX];
static struct sigaction		 selfpipe_old[SELFPIPE_SIGNALS_MAX];
static size_t			 selfpipe_n;
static unsigned char		 selfpipe_buf[SELFPIPE_SIGNALS_MAX];
static size_t			 selfpipe_pos, selfpipe_len;

static void	 selfpipe_handler(int);

/* Async-signal-safe: a flag, one write(2), errno kept. */
static void
selfpipe_handler(int signo)
{
	int		saved_errno = errno;
	unsigned char	byte = (unsigned char)signo;

	if (!selfpipe_queued[signo] && selfpipe_fds[1] != -1) {
		selfpipe_queued[signo] = 1;
		(void)!write(selfpipe_fds[1], &byte, 1);
	}
	errno = saved_errno;
}

/*
 * Catch the n signals in signals; returns the read end to watch, or -1
 * (logged).  While one handler runs the others are blocked, so that a
 * later signal cannot write its byte before an earlier one's.
 */
int
selfpipe_open(const int *signals, size_t n)
{
	struct sigaction	sa;
	size_t			i;

	if (n > SELFPIPE_SIGNALS_MAX) {
		log_warnx("selfpipe: too many signals");
		return -1;
	}
	if (pipe2(selfpipe_fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("selfpipe: pipe");
		selfpipe_fds[0] = selfpipe_fds[1] = -1;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = selfpipe_handler;
	sa.sa_flags = SA_RESTART;
	if (sigemptyset(&sa.sa_mask) == -1) {
		log_warn("selfpipe: sigemptyset");
		selfpipe_close();
		return -1;
	}
	for (i = 0; i < n; i++)
		if (sigaddset(&sa.sa_mask, signals[i]) == -1) {
			log_warn("selfpipe: sigaddset %d", signals[i]);
			selfpipe_close();
			return -1;
		}
	for (i = 0; i < n; i++) {
		selfpipe_queued[signals[i]] = 0;
		if (sigaction(signals[i], &sa, &selfpipe_old[i]) == -1) {
			log_warn("selfpipe: sigaction SIG%s",
			    sigabbrev_np(signals[i]));
			selfpipe_close();
			return -1;
		}
		selfpipe_signals[selfpipe_n++] = signals[i];
	}
	return selfpipe_fds[0];
}

/* The next signal caught, in order; 0 when there is none now. */
int
selfpipe_take(void)
{
	ssize_t	n;
	int	signo;

	if (selfpipe_pos == selfpipe_len) {
		selfpipe_pos = selfpipe_len = 0;
		while ((n = read(selfpipe_fds[0], selfpipe_buf,
		    sizeof(selfpipe_buf))) == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN)
				log_warn("selfpipe: read");
			return 0;
		}
		selfpipe_len = (size_t)n;
	}
	signo = selfpipe_buf[selfpipe_pos++];
	/* Before the caller acts: a signal from now on needs a new byte. */
	selfpipe_queued[signo] = 0;
	return signo;
}

/* Put the old actions back and close the pipe; with the signals blocked. */
void
selfpipe_close(void)
{
	size_t	i;

	for (i = 0; i < selfpipe_n; i++)
		if (sigaction(selfpipe_signals[i], &selfpipe_old[i], NULL) ==
		    -1)
			log_warn("selfpipe: sigaction SIG%s",
			    sigabbrev_np(selfpipe_signals[i]));
	selfpipe_n = 0;
	for (i = 0; i < 2; i++) {
		if (selfpipe_fds[i] != -1 && close(selfpipe_fds[i]) == -1)
			log_warn("selfpipe: close");
		selfpipe_fds[i] = -1;
	}
	selfpipe_pos = selfpipe_len = 0;
}
