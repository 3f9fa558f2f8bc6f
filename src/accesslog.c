/* accesslog.c: a child's access log: one Combined Log Format line per request, buffered, written with write(2) in whole lines, reopened on SIGUSR1; its failures reported by episode. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>

#include "forkgroup.h"

/* Write once more than this is buffered, or this long after the first line. */
#define ACCESSLOG_FLUSH_BYTES	4096
#define ACCESSLOG_FLUSH_MS	1000
/* A failure and a recovery are each reported, but one report at most so often. */
#define ACCESSLOG_REPORT_EVERY_MS	10000
#define ACCESSLOG_MODE		0640	/* client addresses: not for all */
/*
 * A FIFO without a reader fails instead of blocking the loop; O_APPEND
 * keeps the lines of children sharing a file whole.
 */
#define ACCESSLOG_FLAGS		(O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | \
				    O_NOCTTY | O_NONBLOCK)

struct accesslog {
	char		*path;		/* NULL: standard error */
	int		 fd;
	struct evbuffer	*line;		/* the line being formatted */
	struct evbuffer	*buf;		/* whole lines waiting for write(2) */
	size_t		 lines;		/* in buf */
	struct event	*timer;
	bool		 torn;		/* it ends inside a line: newline first */
	bool		 failing;	/* the last write failed */
	int		 error;		/* and why */
	unsigned long	 lost;		/* lines dropped since the last report */
	unsigned	 failures;	/* begun since the last report */
	unsigned	 recoveries;	/* ended since the last report */
	int64_t		 reported_ms;
	struct event	*report_timer;
	time_t		 tm_at;		/* tm is this second, local time */
	struct tm	 tm;
};

static const char *name_of(const struct accesslog *);
static const char *method_name(enum evhttp_cmd_type);
static void	 write_failed(struct accesslog *, int);
static void	 write_worked(struct accesslog *);
static void	 report(struct accesslog *, bool);
static void	 accesslog_on_report(evutil_socket_t, short, void *);
static void	 cut_fragment(struct accesslog *, size_t);
static size_t	 count_lines(const unsigned char *, size_t);
static void	 accesslog_flush(struct accesslog *);
static void	 on_timer(evutil_socket_t, short, void *);

static const char *
name_of(const struct accesslog *al)
{
	return al->path != NULL ? al->path : "on stderr";
}

static const char *
method_name(enum evhttp_cmd_type method)
{
	switch (method) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "-";
}

/*
 * Standard error, or the file at spec, created if need be.  NULL (logged)
 * if it cannot be opened: the caller fails its start.
 */
struct accesslog *
accesslog_open(struct event_base *base, const char *spec)
{
	struct accesslog	*al;

	if ((al = calloc(1, sizeof(*al))) == NULL) {
		log_warn("access log");
		return NULL;
	}
	al->fd = STDERR_FILENO;
	if (strcmp(spec, "stderr") != 0) {
		if ((al->path = strdup(spec)) == NULL || (al->fd = open(spec,
		    ACCESSLOG_FLAGS, ACCESSLOG_MODE)) == -1) {
			log_warn("access log %s", spec);
			free(al->path);
			free(al);
			return NULL;
		}
	}
	al->reported_ms = clock_ms() - ACCESSLOG_REPORT_EVERY_MS;
	if ((al->line = evbuffer_new()) == NULL ||
	    (al->buf = evbuffer_new()) == NULL ||
	    (al->timer = evtimer_new(base, on_timer, al)) == NULL ||
	    (al->report_timer = evtimer_new(base, accesslog_on_report, al)) == NULL) {
		log_warnx("access log %s: out of memory", name_of(al));
		accesslog_close(al);
		return NULL;
	}
	return al;
}

/*
 * Drop what is buffered: a full disk must neither kill the child nor make
 * it retry in a loop.  Each failure is an episode, reported when it
 * begins and when it ends (with the lines lost), as often as disks fill
 * and empty, but rate-limited: not to fill the log with it either.
 */
static void
write_failed(struct accesslog *al, int err)
{
	al->lost += al->lines;
	al->lines = 0;
	(void)evbuffer_drain(al->buf, evbuffer_get_length(al->buf));
	al->error = err;
	if (!al->failing) {
		al->failing = true;
		al->failures++;
		report(al, false);
	}
}

static void
write_worked(struct accesslog *al)
{
	if (!al->failing)
		return;
	al->failing = false;
	al->recoveries++;
	report(al, false);
}

/*
 * Say what changed since the last report, now, or when
 * ACCESSLOG_REPORT_EVERY_MS have passed since it (force: now, at exit).
 * The counts of lines lost add up over the reports.
 */
static void
report(struct accesslog *al, bool force)
{
	struct timeval	 tv;
	int64_t		 now = clock_ms();
	char		 why[128];
	const char	*err;

	if (al->failures == 0 && al->recoveries == 0)
		return;
	if (!force && now - al->reported_ms < ACCESSLOG_REPORT_EVERY_MS) {
		tv = clock_timeval(al->reported_ms + ACCESSLOG_REPORT_EVERY_MS -
		    now);
		if (!evtimer_pending(al->report_timer, NULL) &&
		    evtimer_add(al->report_timer, &tv) == -1)
			log_warnx("access log %s: cannot arm its report timer",
			    name_of(al));
		return;
	}
	err = strerror_r(al->error, why, sizeof(why));
	if (al->failing)
		log_warnx("access log %s: write failed: %s; dropping lines "
		    "until it works again (%lu line%s lost since the last "
		    "report%s; reported at most every %d s)", name_of(al),
		    err, al->lost, al->lost == 1 ? "" : "s", al->recoveries > 0 ?
		    ", it worked for a while in between" : "",
		    ACCESSLOG_REPORT_EVERY_MS / 1000);
	else if (al->failures == 0)
		log_info("access log %s: writing again; %lu line%s lost since the last report",
		    name_of(al), al->lost, al->lost == 1 ? " was" : "s were");
	else if (al->failures == 1)
		log_info("access log %s: write failed (%s), and works again; "
		    "%lu line%s lost", name_of(al), err, al->lost,
		    al->lost == 1 ? " was" : "s were");
	else
		log_info("access log %s: write failed %u times (last: %s), and "
		    "works again; %lu line%s lost", name_of(al), al->failures,
		    err, al->lost, al->lost == 1 ? " was" : "s were");
	al->reported_ms = now;
	al->failures = al->recoveries = 0;
	al->lost = 0;
}

static void
accesslog_on_report(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	report(arg, false);
}

/*
 * A write that stopped inside a line (RLIMIT_FSIZE, a disk that filled)
 * left its first frag bytes at the end of the file, and the next line
 * would be glued onto them.  If the file still ends with them, cut them
 * off: at that moment another child's append to the same file fails as
 * well (the same limit, the same full disk), so none is cut with them.
 * Else (a pipe, an append-only file, or another writer came after), end
 * the fragment with a newline before the next line: one broken line, but
 * the next are whole.
 */
static void
cut_fragment(struct accesslog *al, size_t frag)
{
	struct stat	st;
	off_t		end;

	if (al->path != NULL && fstat(al->fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && (end = lseek(al->fd, 0, SEEK_CUR)) != -1 &&
	    st.st_size == end && end >= (off_t)frag &&
	    ftruncate(al->fd, end - (off_t)frag) == 0)
		return;
	al->torn = true;
}

static size_t
count_lines(const unsigned char *p, size_t len)
{
	const unsigned char	*end = p + len;
	size_t			 n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Write every buffered line.  Each write(2) holds whole lines and at most
 * PIPE_BUF bytes when it can, so that on a pipe (standard error under
 * journald) no line is split by another process's.  A write cut short
 * (a file size limit, a full disk) is followed by one for the rest, which
 * says why it failed; the line begun is then lost, and none of it stays.
 */
static void
accesslog_flush(struct accesslog *al)
{
	struct evbuffer_ptr	 eol;
	unsigned char		*p, *nl;
	size_t			 len, n, whole, frag = 0;
	ssize_t			 w;
	int			 err;

	if (evtimer_del(al->timer) == -1)
		log_warnx("access log %s: cannot stop its timer", name_of(al));
	while ((len = evbuffer_get_length(al->buf)) > 0) {
		if (al->torn) {
			if ((w = write(al->fd, "\n", 1)) == -1 && errno == EINTR)
				continue;
			if (w != 1) {
				write_failed(al, w == 0 ? EIO : errno);
				return;
			}
			al->torn = false;
		}
		n = len < PIPE_BUF ? len : PIPE_BUF;
		if ((p = evbuffer_pullup(al->buf, (ev_ssize_t)n)) == NULL) {
			err = ENOMEM;
			goto failed;
		}
		if ((nl = memrchr(p, '\n', n)) != NULL)
			n = (size_t)(nl - p) + 1;
		else if (n < len) {
			/* One line longer than PIPE_BUF: write it whole. */
			eol = evbuffer_search(al->buf, "\n", 1, NULL);
			n = eol.pos == -1 ? len : (size_t)eol.pos + 1;
			if ((p = evbuffer_pullup(al->buf, (ev_ssize_t)n)) ==
			    NULL) {
				err = ENOMEM;
				goto failed;
			}
		}
		if ((w = write(al->fd, p, n)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w == 0 ? EIO : errno;
			goto failed;
		}
		whole = count_lines(p, (size_t)w);
		al->lines -= whole < al->lines ? whole : al->lines;
		if (p[w - 1] == '\n')
			frag = 0;
		else if (whole > 0)
			frag = (size_t)(p + w - (unsigned char *)memrchr(p, '\n',
			    (size_t)w)) - 1;
		else
			frag += (size_t)w;
		(void)evbuffer_drain(al->buf, (size_t)w);
		if (whole > 0)
			write_worked(al);
	}
	return;
failed:
	if (frag > 0)
		cut_fragment(al, frag);
	write_failed(al, err);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	accesslog_flush(arg);
}

/*
 * Log req, answered at now with code and a body of bytes (0 for none), as
 * it is handed to evhttp.  al may be NULL: no access log.
 */
void
accesslog_request(struct accesslog *al, struct evhttp_request *req, int code,
    size_t bytes, time_t now)
{
	struct evkeyvalq	*in;
	struct clf_entry	 e;
	struct timeval		 tv = clock_timeval(ACCESSLOG_FLUSH_MS);

	if (al == NULL)
		return;
	/* Converted once a second, not once a request. */
	if (now != al->tm_at) {
		if (localtime_r(&now, &al->tm) == NULL) {
			al->lost++;
			return;
		}
		al->tm_at = now;
	}
	in = evhttp_request_get_input_headers(req);
	memset(&e, 0, sizeof(e));
	e.host = req->remote_host;
	e.tm = &al->tm;
	e.method = method_name(evhttp_request_get_command(req));
	e.uri = evhttp_request_get_uri(req);
	e.major = req->major;
	e.minor = req->minor;
	e.status = code;
	e.bytes = (int64_t)bytes;
	e.referer = evhttp_find_header(in, "Referer");
	e.user_agent = evhttp_find_header(in, "User-Agent");
	if (clf_format(al->line, &e) == -1 ||
	    evbuffer_add_buffer(al->buf, al->line) == -1) {
		(void)evbuffer_drain(al->line, evbuffer_get_length(al->line));
		al->lost++;
		return;
	}
	al->lines++;
	if (evbuffer_get_length(al->buf) > ACCESSLOG_FLUSH_BYTES)
		accesslog_flush(al);
	else if (!evtimer_pending(al->timer, NULL) &&
	    evtimer_add(al->timer, &tv) == -1)
		accesslog_flush(al);
}

/*
 * SIGUSR1, after logrotate renamed the file: write what is buffered to the
 * old file, then open the path anew.  If that fails, go on with the old one.
 */
void
accesslog_reopen(struct accesslog *al)
{
	int	fd;

	accesslog_flush(al);
	if (al->path == NULL) {
		log_info("access log on stderr: nothing to reopen");
		return;
	}
	if ((fd = open(al->path, ACCESSLOG_FLAGS, ACCESSLOG_MODE)) == -1) {
		log_warn("access log %s: cannot reopen, still writing to the "
		    "old file", al->path);
		return;
	}
	if (close(al->fd) == -1)
		log_warn("access log %s: close", al->path);
	al->fd = fd;
	al->torn = false;
	log_info("access log %s reopened", al->path);
}

/* At exit: write what is buffered and free al (NULL is fine). */
void
accesslog_close(struct accesslog *al)
{
	if (al == NULL)
		return;
	if (al->buf != NULL && al->timer != NULL)
		accesslog_flush(al);
	if (al->report_timer != NULL)
		report(al, true);
	if (al->lost > 0)
		log_warnx("access log %s: %lu line%s lost", name_of(al),
		    al->lost, al->lost == 1 ? " was" : "s were");
	if (al->path != NULL && al->fd != -1 && close(al->fd) == -1)
		log_warn("access log %s: close", al->path);
	if (al->timer != NULL)
		event_free(al->timer);
	if (al->report_timer != NULL)
		event_free(al->report_timer);
	if (al->buf != NULL)
		evbuffer_free(al->buf);
	if (al->line != NULL)
		evbuffer_free(al->line);
	free(al->path);
	free(al);
}
