/* log.c: one line per event on stderr, "role[pid]: message", each written with a single write(2). */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/* syslog(3) priorities, which journald reads from a "<N>" line prefix. */
#define PRI_ERR		3
#define PRI_WARNING	4
#define PRI_INFO	6

static char	 log_role[FG_WORKER_NAME_MAX] = "forkgroup";
static pid_t	 log_pid;
static pid_t	 log_first_pid;		/* the parent: first to call log_init */
static bool	 log_to_journal;

static bool	 stderr_is_journal(void);

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
	}
}

/* One write per line keeps lines from different processes whole. */
static void
vlog(int pri, const char *suffix, const char *fmt, va_list ap)
{
	char	line[1024];
	int	n, saved_errno = errno;
	size_t	len = 0;

	if (log_to_journal)
		len = (size_t)snprintf(line, sizeof(line), "<%d>", pri);
	/* The journal already names the parent's stream "forkgroup[pid]". */
	if (!log_to_journal || log_pid != log_first_pid) {
		n = snprintf(line + len, sizeof(line) - len, "%s[%ld]: ",
		    log_role, (long)log_pid);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (len < sizeof(line)) {
		n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (suffix != NULL && len < sizeof(line)) {
		n = snprintf(line + len, sizeof(line) - len, ": %s", suffix);
		len = n < 0 ? len : len + (size_t)n;
	}
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	/* A lost log line is not worth dying for: stderr may be gone. */
	(void)!write(STDERR_FILENO, line, len);
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
