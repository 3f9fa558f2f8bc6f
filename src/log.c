/* log.c: one line per event on stderr, "role[pid]: message", each in a single write(2) that never blocks; what cannot be written yet waits in a bounded backlog. */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "forkgroup.h"

/* syslog(3) priorities, which journald reads from a "<N>" line prefix. */
#define PRI_ERR		3
#define PRI_WARNING	4
#define PRI_INFO	6
#define PRI_DEBUG	7

/* -v: the debug lines too; set before the first fork, for every process. */
bool		 log_verbose;

static char	 log_role[FG_WORKER_NAME_MAX] = "forkgroup";
static pid_t	 log_pid;
static pid_t	 log_first_pid;		/* the parent: first to call log_init */
static bool	 log_to_journal;
static bool	 log_to_socket;		/* send(2) with MSG_DONTWAIT */
static struct backlog	 log_backlog;
static struct event	*log_ev;	/* stderr writable, while lines wait */
/* A child's copy of the parent's; volatile: kept though never read. */
static struct event	*volatile log_parent_ev;

static bool	 stderr_is_journal(void);
static size_t	 format(char *, int, const char *, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));
static size_t	 format_line(char *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static ssize_t	 put(const char *, size_t);
static void	 emit(const char *, size_t);
static int	 log_flush(void);
static void	 on_writable(evutil_socket_t, short, void *);
static void	 vlog(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/*
 * systemd sets JOURNAL_STREAM to the "device:inode" of the stream it gave
 * us; an inherited value that does not match stderr is someone else's.
 */
static bool
stderr_is_journal(void)
{
	const char		*env = getenv("JOURNAL_STREAM");
	struct stat		 st;
	unsigned long long	 dev, ino;

	if (env == NULL || sscanf(env, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return false;
	return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

/* Called again in each child, so its lines carry its own name and pid. */
void
log_init(const char *role)
{
	snprintf(log_role, sizeof(log_role), "%s", role);
	log_pid = getpid();
	if (log_first_pid == 0) {
		log_first_pid = log_pid;
		log_to_journal = stderr_is_journal();
	} else {
		/* The parent's lines that were waiting are the parent's to write. */
		log_backlog.len = log_backlog.torn = 0;
		log_backlog.dropped = 0;
		/*
		 * Its event is in the parent's base, which a child neither
		 * uses nor frees (that would touch the parent's epoll): kept
		 * where it can be found, not leaked.
		 */
		log_parent_ev = log_ev;
		log_ev = NULL;
	}
}

/*
 * Before the first fork: from here on no write to stderr may wait for its
 * reader (a stuck journald, a pipe nobody reads), in the parent or in the
 * children that share it.  Setting O_NONBLOCK on fd 2 would change the
 * open file description shared with whoever started us (a shell and its
 * terminal); a pipe, FIFO or terminal is opened anew instead, which gives
 * this process and its children a description of their own.  A socket
 * (journald's stream) cannot be opened so: each send says MSG_DONTWAIT.
 * Writes to regular files and block devices do not wait for anyone.
 */
void
log_nonblocking(void)
{
	struct stat	st;
	int		fd, flags;

	if (fstat(STDERR_FILENO, &st) == -1) {
		log_warn("fstat stderr");
		return;
	}
	if (S_ISSOCK(st.st_mode))
		log_to_socket = true;
	else if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return;
	else if ((flags = fcntl(STDERR_FILENO, F_GETFL)) == -1) {
		log_warn("fcntl stderr");
		return;
	} else if ((flags & O_NONBLOCK) == 0) {
		if ((fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK |
		    O_NOCTTY | O_CLOEXEC)) == -1) {
			log_warn("cannot reopen stderr non-blocking: a reader "
			    "that stops reading will stop the supervisor too");
			return;
		}
		if (dup2(fd, STDERR_FILENO) == -1)
			log_warn("dup2 stderr");
		if (close(fd) == -1)
			log_warn("close");
	}
	if (atexit(log_flush_exit) != 0)
		log_warnx("atexit: the log's backlog may be lost at exit");
}

/* The event loop writes the backlog as soon as stderr takes more. */
void
log_attach(struct event_base *base)
{
	if ((log_ev = event_new(base, STDERR_FILENO, EV_WRITE, on_writable,
	    NULL)) == NULL)
		return;		/* then each new line tries first */
	if (log_backlog.len > 0 || log_backlog.dropped > 0)
		(void)log_flush();
}

/* Before the event base goes; lines still wait for the next or for exit. */
void
log_detach(void)
{
	if (log_ev != NULL)
		event_free(log_ev);
	log_ev = NULL;
}

/*
 * At exit: a last chance for the backlog, bounded by LOG_EXIT_FLUSH_MS
 * once (a child calls it, then its exit handlers may again).
 */
void
log_flush_exit(void)
{
	static bool	waited;
	struct pollfd	pfd = { .fd = STDERR_FILENO, .events = POLLOUT };
	int64_t		end = clock_ms() + (waited ? 0 : LOG_EXIT_FLUSH_MS), left;
	int		saved_errno = errno;

	waited = true;
	while (log_flush() == 1 && (left = end - clock_ms()) > 0)
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			break;
	errno = saved_errno;
}

/* A line of at most LOG_LINE_MAX bytes, its newline included, in buf. */
static size_t
format(char *buf, int pri, const char *suffix, const char *fmt, va_list ap)
{
	int	n;
	size_t	len = 0;

	if (log_to_journal)
		len = (size_t)snprintf(buf, LOG_LINE_MAX, "<%d>", pri);
	/* The journal already names the parent's stream "forkgroup[pid]". */
	if (!log_to_journal || log_pid != log_first_pid) {
		n = snprintf(buf + len, LOG_LINE_MAX - len, "%s[%ld]: ",
		    log_role, (long)log_pid);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (len < LOG_LINE_MAX) {
		n = vsnprintf(buf + len, LOG_LINE_MAX - len, fmt, ap);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (suffix != NULL && len < LOG_LINE_MAX) {
		n = snprintf(buf + len, LOG_LINE_MAX - len, ": %s", suffix);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (len > LOG_LINE_MAX - 2)
		len = LOG_LINE_MAX - 2;
	buf[len++] = '\n';
	return len;
}

static size_t
format_line(char *buf, int pri, const char *fmt, ...)
{
	va_list	ap;
	size_t	len;

	va_start(ap, fmt);
	len = format(buf, pri, NULL, fmt, ap);
	va_end(ap);
	return len;
}

/* One write(2), or send(2) for a socket; never waits for the reader. */
static ssize_t
put(const char *p, size_t n)
{
	ssize_t	w;

	do {
		w = log_to_socket ? send(STDERR_FILENO, p, n, MSG_DONTWAIT |
		    MSG_NOSIGNAL) : write(STDERR_FILENO, p, n);
	} while (w == -1 && errno == EINTR);
	if (w == 0 && n > 0) {
		errno = EAGAIN;
		return -1;
	}
	return w;
}

/*
 * Write the backlog: the rest of a line cut short first, then how many
 * lines were dropped (where they were), then the lines.  Returns 0 once
 * all is out, 1 while stderr is full (the loop is told to call again),
 * -1 if it failed otherwise: what waited counts as dropped, to be
 * reported if it works again (a disk with room again, say).
 */
static int
log_flush(void)
{
	struct backlog	*bl = &log_backlog;
	const char	*p;
	char		 notice[LOG_LINE_MAX];
	size_t		 n;
	ssize_t		 w;

	for (;;) {
		if (bl->torn == 0 && bl->dropped > 0) {
			n = format_line(notice, PRI_WARNING, "stderr was not "
			    "writable: %lu log line%s dropped", bl->dropped,
			    bl->dropped == 1 ? "" : "s");
			if ((w = put(notice, n)) == -1)
				break;
			bl->dropped = 0;
			if ((size_t)w < n)
				backlog_add_torn(bl, notice + w, n - (size_t)w);
			continue;
		}
		if ((n = backlog_next(bl, PIPE_BUF, &p)) == 0)
			return 0;
		if ((w = put(p, n)) == -1)
			break;
		backlog_written(bl, (size_t)w);
	}
	if (errno != EAGAIN) {
		backlog_drop_all(bl);
		return -1;
	}
	if (log_ev != NULL && !event_pending(log_ev, EV_WRITE, NULL))
		(void)event_add(log_ev, NULL);	/* else the next line tries */
	return 1;
}

static void
on_writable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	(void)log_flush();
}

/*
 * In order: once lines wait, a new one waits behind them.  A pipe takes a
 * write of at most PIPE_BUF whole or not at all, so lines from different
 * processes never mix; a terminal or socket may take part of one, and its
 * rest then goes first.
 */
static void
emit(const char *line, size_t len)
{
	ssize_t	w;

	if ((log_backlog.len > 0 || log_backlog.dropped > 0) && log_flush() != 0) {
		backlog_add(&log_backlog, line, len);
		return;
	}
	if ((w = put(line, len)) == (ssize_t)len)
		return;
	if (w >= 0)
		backlog_add_torn(&log_backlog, line + w, len - (size_t)w);
	else if (errno == EAGAIN)
		backlog_add(&log_backlog, line, len);
	else {
		/* stderr failed: said so if it works again. */
		log_backlog.dropped++;
		return;
	}
	(void)log_flush();	/* arms the event, or finds room already */
}

static void
vlog(int pri, const char *suffix, const char *fmt, va_list ap)
{
	char	line[LOG_LINE_MAX];
	int	saved_errno = errno;

	emit(line, format(line, pri, suffix, fmt, ap));
	errno = saved_errno;
}

/*
 * log_debug's: the line prefixed with the function it comes from, as
 * OpenBSD httpd's log_debug lines are.
 */
void
log_debug_in(const char *func, const char *fmt, ...)
{
	char	line[LOG_LINE_MAX], where[LOG_LINE_MAX];
	va_list	ap;
	int	saved_errno = errno;

	va_start(ap, fmt);
	(void)vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	emit(line, format_line(line, PRI_DEBUG, "%s: %s", func, where));
	errno = saved_errno;
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(PRI_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(PRI_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	char	why[128];

	const char *reason = strerror_r(errno, why, sizeof(why));

	va_start(ap, fmt);
	vlog(PRI_WARNING, reason, fmt, ap);
	va_end(ap);
}

/* Only for processes that own no children: the parent never calls these after forking. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	char	why[128];

	const char *reason = strerror_r(errno, why, sizeof(why));

	va_start(ap, fmt);
	vlog(PRI_ERR, reason, fmt, ap);
	va_end(ap);
	exit(FG_EXIT_OSERR);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(PRI_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(FG_EXIT_OSERR);
}
