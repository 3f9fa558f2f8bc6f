/* accesslog.c: a child's access log: one Combined Log Format line per request, buffered, written with write(2), reopened on SIGUSR1. */
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
#define ACCESSLOG_ERRORS	8	/* distinct errnos reported per file */
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
	unsigned long	 lost;		/* dropped since the last good write */
	int		 reported[ACCESSLOG_ERRORS];
	size_t		 nreported;
	time_t		 tm_at;		/* tm is this second, local time */
	struct tm	 tm;
};

static const char *name_of(const struct accesslog *);
static const char *method_name(enum evhttp_cmd_type);
static void	 write_failed(struct accesslog *, int);
static size_t	 count_lines(const unsigned char *, size_t);
static void	 flush(struct accesslog *);
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
	if ((al->line = evbuffer_new()) == NULL ||
	    (al->buf = evbuffer_new()) == NULL ||
	    (al->timer = evtimer_new(base, on_timer, al)) == NULL) {
		log_warnx("access log %s: out of memory", name_of(al));
		accesslog_close(al);
		return NULL;
	}
	return al;
}

/*
 * Drop what is buffered, and say so once per kind of error and file: a full
 * disk must neither kill the child nor fill its log, nor make it retry in
 * a loop.
 */
static void
write_failed(struct accesslog *al, int err)
{
	size_t	i;

	al->lost += al->lines;
	al->lines = 0;
	(void)evbuffer_drain(al->buf, evbuffer_get_length(al->buf));
	for (i = 0; i < al->nreported; i++)
		if (al->reported[i] == err)
			return;
	if (al->nreported == ACCESSLOG_ERRORS)
		return;
	al->reported[al->nreported++] = err;
	errno = err;
	log_warn("access log %s: write failed, lines dropped (reported once)",
	    name_of(al));
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
 * journald) no line is split by another process's.
 */
static void
flush(struct accesslog *al)
{
	struct evbuffer_ptr	 eol;
	unsigned char		*p, *nl;
	size_t			 len, n;
	ssize_t			 w;
	bool			 wrote = false;

	if (evtimer_del(al->timer) == -1)
		log_warnx("access log %s: cannot stop its timer", name_of(al));
	while ((len = evbuffer_get_length(al->buf)) > 0) {
		n = len < PIPE_BUF ? len : PIPE_BUF;
		if ((p = evbuffer_pullup(al->buf, (ev_ssize_t)n)) == NULL) {
			write_failed(al, ENOMEM);
			return;
		}
		if ((nl = memrchr(p, '\n', n)) != NULL)
			n = (size_t)(nl - p) + 1;
		else if (n < len) {
			/* One line longer than PIPE_BUF: write it whole. */
			eol = evbuffer_search(al->buf, "\n", 1, NULL);
			n = eol.pos == -1 ? len : (size_t)eol.pos + 1;
			if ((p = evbuffer_pullup(al->buf, (ev_ssize_t)n)) ==
			    NULL) {
				write_failed(al, ENOMEM);
				return;
			}
		}
		if ((w = write(al->fd, p, n)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			write_failed(al, w == 0 ? EIO : errno);
			return;
		}
		n = count_lines(p, (size_t)w);
		al->lines -= n < al->lines ? n : al->lines;
		(void)evbuffer_drain(al->buf, (size_t)w);
		wrote = true;
	}
	/* Only a write that worked says so: at exit the buffer may be empty. */
	if (wrote && al->lost > 0) {
		log_info("access log %s: writing again; %lu line%s lost",
		    name_of(al), al->lost, al->lost == 1 ? " was" : "s were");
		al->lost = 0;
	}
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	flush(arg);
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
		flush(al);
	else if (!evtimer_pending(al->timer, NULL) &&
	    evtimer_add(al->timer, &tv) == -1)
		flush(al);
}

/*
 * SIGUSR1, after logrotate renamed the file: write what is buffered to the
 * old file, then open the path anew.  If that fails, go on with the old one.
 */
void
accesslog_reopen(struct accesslog *al)
{
	int	fd;

	flush(al);
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
	al->nreported = 0;
	log_info("access log %s reopened", al->path);
}

/* At exit: write what is buffered and free al (NULL is fine). */
void
accesslog_close(struct accesslog *al)
{
	if (al == NULL)
		return;
	if (al->buf != NULL && al->timer != NULL)
		flush(al);
	if (al->lost > 0)
		log_warnx("access log %s: %lu line%s lost", name_of(al),
		    al->lost, al->lost == 1 ? " was" : "s were");
	if (al->path != NULL && al->fd != -1 && close(al->fd) == -1)
		log_warn("access log %s: close", al->path);
	if (al->timer != NULL)
		event_free(al->timer);
	if (al->buf != NULL)
		evbuffer_free(al->buf);
	if (al->line != NULL)
		evbuffer_free(al->line);
	free(al->path);
	free(al);
}
