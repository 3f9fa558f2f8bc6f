/* conn.c: a child's client connections: the deadline for a whole request, the exchange each one is answering, and a close after CONNECT. */
#include <stdlib.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/util.h>

#include "forkgroup.h"

/*
 * libevent's connection timeouts measure inactivity: a client that sends
 * its request a byte at a time, a little faster than read_timeout, would
 * hold its connection, and a descriptor, for as long as it liked.  So a
 * request must also be whole, headers and body, within read_timeout of its
 * first byte (nginx's client_header_timeout bounds the headers alike), or
 * its connection is closed.  Per request, only the time of its first byte is
 * noted; the connection's one timer, armed at its first request, looks
 * when it fires and is armed again for what is left, if anything.  A
 * keep-alive connection so costs one timer event per read_timeout, not
 * two per request.
 */
#define CONN_WARN_EVERY_MS	10000

struct conn {
	struct evhttp_connection *evcon;
	struct event		*deadline;
	struct exchange		*x;	/* being answered; NULL: reading */
	int64_t			 begun_ms;	/* -1: no request being read */
	int			 fd;
	bool			 close_after;	/* the timer closes it */
};

/* One child per process; evhttp's callbacks reach it from here. */
static struct child		*owner;
static struct conn		**conns;	/* by descriptor */
static size_t			 nconns;
static unsigned			 expired;	/* not logged yet */
static int64_t			 warned_ms;
static struct event		*ev_report;	/* logs what was held back */

static struct bufferevent *on_new_connection(struct event_base *, void *);
static void	 on_first_input(struct evbuffer *,
		    const struct evbuffer_cb_info *, void *);
static void	 on_next_input(struct evbuffer *,
		    const struct evbuffer_cb_info *, void *);
static void	 request_begins(struct conn *);
static struct conn *conn_get(struct evhttp_connection *);
static void	 arm(struct conn *, int64_t);
static bool	 asks_close(struct evhttp_request *);
static void	 on_deadline(evutil_socket_t, short, void *);
static void	 report_expired(int64_t);
static void	 on_report(evutil_socket_t, short, void *);
static void	 on_close(struct evhttp_connection *, void *);

void
conn_setup(struct child *c)
{
	owner = c;
	warned_ms = clock_ms() - CONN_WARN_EVERY_MS;
	if ((ev_report = evtimer_new(c->base, on_report, NULL)) == NULL)
		fatalx("cannot create the read_timeout report timer");
	evhttp_set_bevcb(c->http, on_new_connection, NULL);
}

/*
 * The bufferevent evhttp would make itself, plus a watch on what arrives;
 * and the time, for a drain, which waits for this connection's request.
 */
static struct bufferevent *
on_new_connection(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;

	(void)arg;
	owner->last_accept_ms = clock_ms();
	if ((bev = bufferevent_socket_new(base, -1, 0)) == NULL) {
		log_warnx("a connection without a request deadline");
		return NULL;	/* evhttp makes one, or drops the connection */
	}
	if (evbuffer_add_cb(bufferevent_get_input(bev), on_first_input,
	    bev) == NULL)
		log_warnx("a connection without a request deadline");
	return bev;
}

/* The connection's first bytes: make its record; its first request begins. */
static void
on_first_input(struct evbuffer *in, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct bufferevent	*bev = arg;
	struct conn		*conn;
	void			*cbarg;

	if (info->n_added == 0)
		return;
	/* libevent has stepped past this entry in its list already. */
	evbuffer_remove_cb(in, on_first_input, bev);
	/* evhttp's callback argument is its connection. */
	bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
	if (cbarg == NULL || (conn = conn_get(cbarg)) == NULL) {
		log_warnx("a connection without a request deadline");
		return;
	}
	request_begins(conn);
}

/*
 * Watched only from an answer to the next request's first byte: a
 * buffer's callbacks also run for every header line evhttp takes out of
 * it, which cost more than the rest of this file per request.
 */
static void
on_next_input(struct evbuffer *in, const struct evbuffer_cb_info *info,
    void *arg)
{
	if (info->n_added == 0)
		return;
	evbuffer_remove_cb(in, on_next_input, arg);
	request_begins(arg);
}

static void
request_begins(struct conn *conn)
{
	conn->begun_ms = clock_ms();
	if (!evtimer_pending(conn->deadline, NULL))
		arm(conn, owner->conf->read_timeout_ms);
}

static void
arm(struct conn *conn, int64_t ms)
{
	struct timeval	tv = clock_timeval(ms);

	if (evtimer_add(conn->deadline, &tv) == -1)
		log_warnx("a connection without a request deadline");
}

/* The connection's record, made on first use and freed when it closes. */
static struct conn *
conn_get(struct evhttp_connection *evcon)
{
	struct conn	*conn, **grown;
	size_t		 n;
	int		 fd;

	fd = bufferevent_getfd(evhttp_connection_get_bufferevent(evcon));
	if (fd < 0)
		return NULL;
	if ((size_t)fd < nconns && conns[fd] != NULL)
		return conns[fd];
	if ((size_t)fd >= nconns) {
		n = nconns * 2 > (size_t)fd ? nconns * 2 : (size_t)fd + 64;
		if ((grown = realloc(conns, n * sizeof(*conns))) == NULL)
			return NULL;
		while (nconns < n)
			grown[nconns++] = NULL;
		conns = grown;
	}
	if ((conn = calloc(1, sizeof(*conn))) == NULL)
		return NULL;
	if ((conn->deadline = evtimer_new(owner->base, on_deadline,
	    conn)) == NULL) {
		free(conn);
		return NULL;
	}
	conn->evcon = evcon;
	conn->begun_ms = -1;
	conn->fd = fd;
	evhttp_connection_set_closecb(evcon, on_close, conn);
	conns[fd] = conn;
	return conn;
}

/*
 * evhttp has read a whole request and hands it over: no deadline until
 * the next one.  -1 when there is no memory for the record, or when the
 * connection is to be closed (a request sent after a CONNECT that asked
 * for that).
 */
int
conn_begin(struct exchange *x)
{
	struct conn	*conn;

	if ((conn = conn_get(evhttp_request_get_connection(x->req))) == NULL ||
	    conn->close_after)
		return -1;
	conn->begun_ms = -1;
	conn->x = x;
	x->conn = conn;
	return 0;
}

/* The same test evhttp makes of a request's Connection header. */
static bool
asks_close(struct evhttp_request *req)
{
	const char	*value;

	value = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Connection");
	return value != NULL && evutil_ascii_strcasecmp(value, "close") == 0;
}

/*
 * The answer is written and the connection kept: the next request begins
 * with its first byte, which may have come already.  Except after CONNECT,
 * which evhttp never closes, whatever the request or the answer said (a
 * tunnel would follow, http.c: evhttp_is_request_connection_close): no
 * route opens one, so the timer closes it at once when the client asked
 * so or the child is draining, as evhttp closes after the other methods,
 * and what the client sent after it is dropped, as evhttp drops it then.
 */
void
conn_next(struct exchange *x)
{
	struct conn	*conn = x->conn;
	struct evbuffer	*in;

	if (conn == NULL)
		return;
	in = bufferevent_get_input(evhttp_connection_get_bufferevent(
	    conn->evcon));
	if (evhttp_request_get_command(x->req) == EVHTTP_REQ_CONNECT &&
	    (asks_close(x->req) || x->child->state != CHILD_SERVING)) {
		evbuffer_drain(in, evbuffer_get_length(in));
		conn->close_after = true;
		arm(conn, 0);
		return;
	}
	if (evbuffer_get_length(in) > 0)
		request_begins(conn);
	else if (evbuffer_add_cb(in, on_next_input, conn) == NULL)
		log_warnx("a request without a deadline");
}

/* The exchange is over, or forgotten (teardown). */
void
conn_end(struct exchange *x)
{
	if (x->conn == NULL)
		return;
	x->conn->x = NULL;
	x->conn = NULL;
}

/*
 * Nothing to do while no request is being read (the next one arms the
 * timer again); otherwise wait for what is left of its time, or close.
 * Freeing the connection ends it as a timeout would: the half-read
 * request was never handed over, so only evhttp knew of it.
 */
static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*conn = arg;
	int64_t		 now = clock_ms(), left;

	(void)fd;
	(void)what;
	if (conn->close_after) {
		evhttp_connection_free(conn->evcon);	/* runs on_close */
		return;
	}
	if (conn->begun_ms < 0)
		return;
	left = conn->begun_ms + owner->conf->read_timeout_ms - now;
	if (left > 0) {
		arm(conn, left);
		return;
	}
	expired++;
	report_expired(now);
	evhttp_connection_free(conn->evcon);	/* runs on_close */
}

/*
 * One line at most every CONN_WARN_EVERY_MS; what is held back is logged
 * when that time is up (or at teardown), not at the next expiry.
 */
static void
report_expired(int64_t now)
{
	struct timeval	tv;

	if (expired == 0)
		return;
	if (now - warned_ms < CONN_WARN_EVERY_MS) {
		tv = clock_timeval(warned_ms + CONN_WARN_EVERY_MS - now);
		if (!evtimer_pending(ev_report, NULL) &&
		    evtimer_add(ev_report, &tv) == -1)
			log_warnx("cannot arm the read_timeout report timer");
		return;
	}
	log_warnx("read_timeout: closed %u connection%s whose request was "
	    "not whole %lld ms after its first byte (logged at most every "
	    "%d s)", expired, expired == 1 ? "" : "s",
	    (long long)owner->conf->read_timeout_ms, CONN_WARN_EVERY_MS / 1000);
	warned_ms = now;
	expired = 0;
}

static void
on_report(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	report_expired(clock_ms());
}

/* evhttp frees the connection, its request answered or not. */
static void
on_close(struct evhttp_connection *evcon, void *arg)
{
	struct conn	*conn = arg;
	struct exchange	*x = conn->x;

	/* Not watched after this, whatever else libevent does with it. */
	evbuffer_remove_cb(bufferevent_get_input(
	    evhttp_connection_get_bufferevent(evcon)), on_next_input, conn);
	if (x != NULL) {
		x->conn = NULL;
		exchange_client_gone(x);
	}
	conns[conn->fd] = NULL;
	event_free(conn->deadline);
	free(conn);
}

/* After evhttp_free, which closed every connection. */
void
conn_teardown(void)
{
	warned_ms = clock_ms() - CONN_WARN_EVERY_MS;
	report_expired(clock_ms());
	event_free(ev_report);
	free(conns);
	conns = NULL;
	nconns = 0;
}
