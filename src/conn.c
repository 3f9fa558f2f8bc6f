/* conn.c: a child's client connections: every byte framed before evhttp reads it, malformed requests refused and closed, what a client may make the child hold bounded, a deadline for each whole request, and a close after CONNECT. */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/util.h>

#include "forkgroup.h"

/*
 * evhttp (libevent 2.1) frames requests more loosely than RFC 9112: it
 * reads "Content-Length : 5" as no length, takes the first of two
 * lengths, reads no body for HEAD, TRACE or a method it does not know,
 * and takes any line after a chunk's data as the next size.  Behind a
 * proxy that frames by the RFC, each is a request smuggled past it.  So
 * framing.c reads every byte first and evhttp only sees requests it has
 * found valid, and framed alike.
 *
 * The hook is a callback on the input buffer of the connection's
 * bufferevent, which is ours (evhttp_set_bevcb): a socket bufferevent
 * runs it as each read adds bytes, before it calls evhttp's read
 * callback, and it can veto a request by emptying the buffer.  A
 * filtering bufferevent would also do, but it runs its filter on every
 * evbuffer_add evhttp makes while writing an answer (several per answer),
 * and would stand between replyflush.c and the socket.  The callback also
 * runs for each line evhttp takes out of the buffer; it returns at once
 * then, after counting the bytes, which is how a stream offset maps to a
 * place in the buffer.
 *
 * A refused request gets its status and reason, with Connection: close,
 * after any answer still owed to a request before it; then the
 * connection is shut for writing and what the client still sends is read
 * and dropped until it closes or CONN_LINGER_MS pass, so that the answer
 * is not lost to a reset (a socket closed with unread bytes sends RST).
 *
 * A connection holds at most max_header_size + max_body_size of input,
 * and one read more: while an answer is owed, reading stops there until
 * evhttp takes the next request.  A client that pipelines requests and
 * reads no answers so fills its socket's buffers and then waits.  evhttp
 * needs room for one whole head line or one whole body, no more, and
 * framing.c refuses any larger.  (libevent's read high-water mark would
 * do it too, but it turns reading back on each time evhttp takes a line:
 * a tenth of the cost of a request.)
 *
 * libevent's connection timeouts measure inactivity: a client that sends
 * its request a byte at a time, a little faster than read_timeout, would
 * hold its connection, and a descriptor, for as long as it liked.  So a
 * request must also be whole, headers and body, within read_timeout of
 * its first byte (nginx's client_header_timeout bounds the headers
 * alike), or its connection is closed.  Per request, only the time of its
 * first byte is noted; the connection's one timer, armed at its first
 * request, looks when it fires and is armed again for what is left, if
 * anything.  A keep-alive connection so costs one timer event per
 * read_timeout, not two per request.
 */
#define CONN_LINGER_MS		2000
#define CONN_REPORT_MS		1000	/* a burst is counted this long */
#define CONN_WARN_EVERY_MS	10000
#define CONN_CLOCK_SLACK_MS	10	/* between two timers of one read */

enum conn_state {
	CONN_READING,		/* every byte is framed */
	CONN_REFUSING,		/* a request is refused once those before are answered */
	CONN_LINGERING,		/* refused: input is dropped until the close */
	CONN_CLOSING		/* answered, nothing after is read: evhttp or the timer closes */
};

struct conn {
	struct evhttp_connection *evcon;
	struct bufferevent	*bev;
	struct event		*deadline;
	struct exchange		*x;		/* being answered */
	enum conn_state		 state;
	struct framing		 framing;
	uint64_t		 front;		/* stream offset of the buffer's first byte */
	uint64_t		 answered;	/* requests whose answer is written */
	uint64_t		 last;		/* answer it with Connection: close; 0: none */
	size_t			 input_max;	/* what it may hold unread */
	int64_t			 begun_ms;	/* -1: no request being read */
	int			 fd;
	bool			 framed;	/* every byte: else nothing is served */
	bool			 close_after;	/* the timer closes it */
};

/* What is logged at most every CONN_WARN_EVERY_MS, counted meanwhile. */
struct report {
	unsigned	 count;
	int64_t		 warned_ms;
	struct event	*timer;
	void		(*say)(struct report *);
	int		 status;	/* the last refusal's */
	const char	*reason;
};

/* One child per process; evhttp's callbacks reach it from here. */
static struct child		*owner;
static struct conn		**conns;	/* by descriptor */
static size_t			 nconns;
static struct report		 expired, refused;
static void			(*on_ended)(struct child *);
static unsigned			 nopen;		/* records: connections that sent a byte */
static unsigned			 nunframed;	/* accepted, no byte yet */
static int64_t			 last_accept_ms = -1;

static struct bufferevent *on_new_connection(struct event_base *, void *);
static void	 on_first_input(struct evbuffer *,
		    const struct evbuffer_cb_info *, void *);
static void	 on_input(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);
static void	 frame(struct conn *, struct evbuffer *);
static bool	 frame_event(struct conn *, struct evbuffer *,
		    enum framing_event);
static void	 rewrite(struct evbuffer *, size_t, size_t, char);
static bool	 evhttp_reads_body(const char *);
static void	 refuse(struct conn *);
static void	 request_begins(struct conn *);
static struct conn *conn_get(struct evhttp_connection *);
static void	 arm(struct conn *, int64_t);
static bool	 asks_close(struct evhttp_request *);
static bool	 evhttp_closes(struct evhttp_request *);
static void	 conn_on_deadline(evutil_socket_t, short, void *);
static void	 report_init(struct report *, void (*)(struct report *));
static void	 report_count(struct report *);
static void	 report_flush(struct report *, int64_t);
static void	 conn_on_report(evutil_socket_t, short, void *);
static void	 say_expired(struct report *);
static void	 say_refused(struct report *);
static void	 on_close(struct evhttp_connection *, void *);

/* ended runs after each connection closes, for the drain's sake. */
void
conn_setup(struct child *c, void (*ended)(struct child *))
{
	owner = c;
	on_ended = ended;
	report_init(&expired, say_expired);
	report_init(&refused, say_refused);
	evhttp_set_bevcb(c->http, on_new_connection, NULL);
}

/*
 * The bufferevent evhttp would make itself, bounded, with a watch on what
 * arrives; and the time, for a drain, which waits for this connection's
 * request.
 */
static struct bufferevent *
on_new_connection(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;

	(void)arg;
	last_accept_ms = clock_ms();
	/*
	 * On failure evhttp makes a bufferevent of its own, or drops the
	 * connection; conn_begin serves no request of one left unframed.
	 */
	if ((bev = bufferevent_socket_new(base, -1, 0)) == NULL) {
		log_warnx("cannot make a connection's buffers");
		return NULL;
	}
	if (evbuffer_add_cb(bufferevent_get_input(bev), on_first_input,
	    bev) == NULL)
		log_warnx("cannot watch a connection's input");
	else
		nunframed++;
	return bev;
}

/* The connection's first bytes: make its record, then frame them. */
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
	nunframed--;
	/* evhttp's callback argument is its connection. */
	bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
	if (cbarg == NULL || (conn = conn_get(cbarg)) == NULL ||
	    evbuffer_add_cb(in, on_input, conn) == NULL) {
		/*
		 * Nothing may reach evhttp unframed: drop what came, and let
		 * the EOF that shutdown makes close the connection.
		 */
		log_warnx("cannot watch a connection's input: dropping it");
		evbuffer_drain(in, evbuffer_get_length(in));
		if (shutdown(bufferevent_getfd(bev), SHUT_RDWR) == -1)
			log_warn("shutdown");
		return;
	}
	conn->framed = true;
	frame(conn, in);
}

static void
on_input(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn	*conn = arg;

	conn->front += info->n_deleted;
	if (info->n_added == 0)
		return;
	switch (conn->state) {
	case CONN_READING:
		frame(conn, in);
		break;
	case CONN_LINGERING:
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	case CONN_REFUSING:
	case CONN_CLOSING:
		break;		/* held, within the bound */
	}
	/*
	 * While an answer is owed, evhttp reads only to notice a close (its
	 * read callback is off): stop reading at the bound.  It turns reading
	 * on again for the next request.  Not while evhttp reads a request:
	 * a disabled bufferevent would not call it for these very bytes.
	 */
	if (conn->x != NULL && evbuffer_get_length(in) >= conn->input_max)
		bufferevent_disable(conn->bev, EV_READ);
}

/*
 * Frame what was added since the last call, an extent of the buffer at a
 * time.  Rewrites are in place; a refusal empties the buffer, and framing
 * stops there.  A request left half-read has its deadline from now: the
 * read that brought its first byte.
 */
static void
frame(struct conn *conn, struct evbuffer *in)
{
	struct evbuffer_iovec	 vec;
	struct evbuffer_ptr	 ptr;
	enum framing_event	 ev;
	size_t			 at, off, used;

	do {
		at = (size_t)(conn->framing.at - conn->front);
		vec.iov_base = NULL;
		vec.iov_len = 0;
		if (at < evbuffer_get_length(in) &&
		    (evbuffer_ptr_set(in, &ptr, at, EVBUFFER_PTR_SET) == -1 ||
		    evbuffer_peek(in, -1, &ptr, &vec, 1) < 1))
			return;
		off = 0;
		while (off < vec.iov_len) {
			ev = framing_feed(&conn->framing,
			    (char *)vec.iov_base + off, vec.iov_len - off, &used);
			off += used;
			if (ev != FRAMING_MORE && !frame_event(conn, in, ev))
				return;
		}
	} while (vec.iov_len > 0);
	if (conn->begun_ms < 0 && !framing_idle(&conn->framing))
		request_begins(conn);
}

/* Returns false when framing stops: refused, or nothing after is read. */
static bool
frame_event(struct conn *conn, struct evbuffer *in, enum framing_event ev)
{
	struct framing	*f = &conn->framing;

	switch (ev) {
	case FRAMING_HEAD:
		/*
		 * evhttp reads no body for these methods, and would read
		 * one as the next request: answer this one, then close.
		 */
		if ((f->head.chunked || f->head.length > 0) &&
		    !evhttp_reads_body(f->head.method)) {
			conn->last = f->requests;
			conn->state = CONN_CLOSING;
			conn->begun_ms = -1;
			return false;
		}
		if (framing_idle(f))
			conn->begun_ms = -1;	/* no body: the request is whole */
		break;
	case FRAMING_END:
		conn->begun_ms = -1;
		break;
	case FRAMING_EDIT:
		rewrite(in, (size_t)(f->edit_at - conn->front), f->edit_len,
		    f->edit_byte);
		break;
	case FRAMING_REJECT:
		log_debug("connection %d: request %llu refused, %d: %s", conn->fd,
		    (unsigned long long)f->requests, f->status, f->reason);
		report_count(&refused);
		refused.status = f->status;
		refused.reason = f->reason;
		conn->state = CONN_REFUSING;
		if (conn->answered + 1 == f->requests)
			refuse(conn);
		return false;
	case FRAMING_MORE:
		break;
	}
	return true;
}

/*
 * framing.c's rewrites keep a length, so that nothing else in the buffer
 * moves: bytes not yet read by evhttp, changed in place.
 */
static void
rewrite(struct evbuffer *in, size_t at, size_t len, char byte)
{
	struct evbuffer_iovec	vec[4];
	struct evbuffer_ptr	ptr;
	size_t			k;
	int			i, n;

	while (len > 0) {
		if (evbuffer_ptr_set(in, &ptr, at, EVBUFFER_PTR_SET) == -1 ||
		    (n = evbuffer_peek(in, (ev_ssize_t)len, &ptr, vec, 4)) <= 0)
			return;
		for (i = 0; i < n && i < 4 && len > 0; i++) {
			k = vec[i].iov_len < len ? vec[i].iov_len : len;
			memset(vec[i].iov_base, byte, k);
			at += k;
			len -= k;
		}
	}
}

/* evhttp_method_may_have_body in libevent 2.1's http.c, by name. */
static bool
evhttp_reads_body(const char *method)
{
	static const char *const methods[] = {
		"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT"
	};
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(method, methods[i]) == 0)
			return true;
	return false;
}

/*
 * Answer the refused request and shut the connection for writing; what
 * evhttp has of it never becomes a request, since it never sees the rest.
 * The answer is written at once, not through the bufferevent: evhttp is
 * reading, and would take the end of a write for the end of its own.
 */
static void
refuse(struct conn *conn)
{
	struct framing		*f = &conn->framing;
	struct evbuffer		*in = bufferevent_get_input(conn->bev);
	struct evbuffer		*out = bufferevent_get_output(conn->bev);

	conn->state = CONN_LINGERING;
	conn->begun_ms = -1;
	evbuffer_drain(in, evbuffer_get_length(in));
	bufferevent_enable(conn->bev, EV_READ);	/* to drop what comes */
	if (evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s\n", f->status,
	    exchange_reason(f->status), exchange_date(NULL),
	    strlen(f->reason) + 1, f->reason) == -1)
		log_warnx("cannot build a %d answer", f->status);
	replyflush_write(conn->bev);
	/* Whatever did not fit is dropped: the connection is going. */
	evbuffer_drain(out, evbuffer_get_length(out));
	if (shutdown(conn->fd, SHUT_WR) == -1 && errno != ENOTCONN)
		log_warn("shutdown");
	conn->close_after = true;
	arm(conn, CONN_LINGER_MS);
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
	if ((conn->deadline = evtimer_new(owner->base, conn_on_deadline,
	    conn)) == NULL) {
		free(conn);
		return NULL;
	}
	conn->evcon = evcon;
	conn->bev = evhttp_connection_get_bufferevent(evcon);
	conn->begun_ms = -1;
	conn->fd = fd;
	framing_init(&conn->framing, (size_t)owner->conf->max_header_size,
	    (uint64_t)owner->conf->max_body_size);
	/* Room for the largest head line or body evhttp must hold whole. */
	conn->input_max = (size_t)owner->conf->max_header_size +
	    (size_t)owner->conf->max_body_size;
	evhttp_connection_set_closecb(evcon, on_close, conn);
	conns[fd] = conn;
	nopen++;
	return conn;
}

/*
 * evhttp has read a whole request and hands it over.  -1 when the
 * connection was not framed from its first byte (no memory for its
 * record), or is to be closed (a request sent after a CONNECT that asked
 * for that).
 */
int
conn_begin(struct exchange *x)
{
	struct conn	*conn;

	if ((conn = conn_get(evhttp_request_get_connection(x->req))) == NULL ||
	    !conn->framed || conn->close_after)
		return -1;
	conn->x = x;
	x->conn = conn;
	return 0;
}

/* The answer must say Connection: close: nothing after it is read. */
bool
conn_closes(const struct exchange *x)
{
	return x->conn != NULL && x->conn->last == x->conn->answered + 1;
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
 * Whether evhttp frees the connection once this answer is written
 * (http.c: evhttp_send_done); it takes an absolute-form request for a
 * proxy's, closed unless Proxy-Connection says keep-alive.
 */
static bool
evhttp_closes(struct evhttp_request *req)
{
	const char	*value;

	if (evhttp_request_get_command(req) == EVHTTP_REQ_CONNECT)
		return false;
	value = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Proxy-Connection");
	if ((req->flags & EVHTTP_PROXY_REQUEST) && (value == NULL ||
	    evutil_ascii_strcasecmp(value, "keep-alive") != 0))
		return true;
	value = evhttp_find_header(evhttp_request_get_output_headers(req),
	    "Connection");
	if (asks_close(req) || (value != NULL &&
	    evutil_ascii_strcasecmp(value, "close") == 0))
		return true;
	value = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Connection");
	return (req->major < 1 || (req->major == 1 && req->minor == 0)) &&
	    (value == NULL || evutil_ascii_strncasecmp(value, "keep-alive",
	    10) != 0);
}

/*
 * The answer is written.  A request refused after this one is answered
 * now, before evhttp reads on, unless evhttp closes the connection anyway.
 * After CONNECT, which evhttp never closes, whatever the request or the
 * answer said (a tunnel would follow, http.c:
 * evhttp_is_request_connection_close): no route opens one, so the timer
 * closes it at once when the client asked so or the child is draining, as
 * evhttp closes after the other methods, and what the client sent after it
 * is dropped, as evhttp drops it then.
 */
void
conn_next(struct exchange *x)
{
	struct conn	*conn = x->conn;
	struct evbuffer	*in;
	struct timeval	 tv;

	if (conn == NULL)
		return;
	/*
	 * From its first answer on, the connection waits for requests:
	 * evhttp's single inactivity timeout becomes idle_timeout
	 * (read_timeout was for the first).  Once: evhttp keeps it, and
	 * setting it costs a twentieth of a request.
	 */
	if (conn->answered++ == 0) {
		tv = clock_timeval(owner->conf->idle_timeout_ms);
		evhttp_connection_set_timeout_tv(conn->evcon, &tv);
	}
	in = bufferevent_get_input(conn->bev);
	if (evhttp_request_get_command(x->req) == EVHTTP_REQ_CONNECT &&
	    (asks_close(x->req) || x->child->state != CHILD_SERVING)) {
		conn->state = CONN_CLOSING;
		evbuffer_drain(in, evbuffer_get_length(in));
		conn->close_after = true;
		arm(conn, 0);
		return;
	}
	if (conn->state == CONN_REFUSING &&
	    conn->answered + 1 == conn->framing.requests) {
		if (evhttp_closes(x->req))
			evbuffer_drain(in, evbuffer_get_length(in));
		else
			refuse(conn);
	}
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
conn_on_deadline(evutil_socket_t fd, short what, void *arg)
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
	log_debug("connection %d: a request not whole after %lld ms: closing",
	    conn->fd, (long long)(now - conn->begun_ms));
	conn->begun_ms = -1;	/* counted here, not again in on_close */
	report_count(&expired);
	evhttp_connection_free(conn->evcon);	/* runs on_close */
}

static void
report_init(struct report *r, void (*say)(struct report *))
{
	memset(r, 0, sizeof(*r));
	r->say = say;
	r->warned_ms = clock_ms() - CONN_WARN_EVERY_MS;
	if ((r->timer = evtimer_new(owner->base, conn_on_report, r)) == NULL)
		fatalx("cannot create a report timer");
}

/*
 * One more to tell.  The first of a burst is told CONN_REPORT_MS later,
 * with all that came meanwhile; then at most one line every
 * CONN_WARN_EVERY_MS.
 */
static void
report_count(struct report *r)
{
	int64_t		now = clock_ms(), wait;
	struct timeval	tv;

	r->count++;
	if (evtimer_pending(r->timer, NULL))
		return;
	wait = r->warned_ms + CONN_WARN_EVERY_MS - now;
	if (wait < CONN_REPORT_MS)
		wait = CONN_REPORT_MS;
	tv = clock_timeval(wait);
	if (evtimer_add(r->timer, &tv) == -1)
		report_flush(r, now);
}

static void
report_flush(struct report *r, int64_t now)
{
	if (r->count == 0)
		return;
	r->say(r);
	r->warned_ms = now;
	r->count = 0;
}

static void
conn_on_report(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	report_flush(arg, clock_ms());
}

static void
say_expired(struct report *r)
{
	log_warnx("read_timeout: closed %u connection%s whose request was "
	    "not whole %lld ms after its first byte (logged at most every "
	    "%d s)", r->count, r->count == 1 ? "" : "s",
	    (long long)owner->conf->read_timeout_ms, CONN_WARN_EVERY_MS / 1000);
}

static void
say_refused(struct report *r)
{
	log_info("refused %u malformed request%s, the last with %d: %s "
	    "(logged at most every %d s)", r->count, r->count == 1 ? "" : "s",
	    r->status, r->reason, CONN_WARN_EVERY_MS / 1000);
}

/* evhttp frees the connection, its request answered or not. */
static void
on_close(struct evhttp_connection *evcon, void *arg)
{
	struct conn	*conn = arg;
	struct exchange	*x = conn->x;

	/* Not watched after this, whatever else libevent does with it. */
	evbuffer_remove_cb(bufferevent_get_input(
	    evhttp_connection_get_bufferevent(evcon)), on_input, conn);
	/*
	 * evhttp's own timeout (read_timeout too, for a new connection) may
	 * come first for a request half read: it is the same expiry, timed
	 * from the read a moment before the request's first byte was noted.
	 */
	if (conn->begun_ms >= 0 && clock_ms() - conn->begun_ms >=
	    owner->conf->read_timeout_ms - CONN_CLOCK_SLACK_MS) {
		log_debug("connection %d: a request not whole after %lld ms: "
		    "closed by evhttp's timeout", conn->fd,
		    (long long)(clock_ms() - conn->begun_ms));
		report_count(&expired);
	}
	if (x != NULL) {
		x->conn = NULL;
		exchange_client_gone(x);
	}
	conns[conn->fd] = NULL;
	event_free(conn->deadline);
	free(conn);
	nopen--;
	if (on_ended != NULL)
		on_ended(owner);
}

/*
 * Whether a client may still send a request: a connection is open, or one
 * was accepted that has not sent its first byte (or closed before it did:
 * those are counted until the drain's linger is over).
 */
bool
conn_may_send(void)
{
	return nopen > 0 || nunframed > 0;
}

/* When the last connection was accepted; -1: none yet. */
int64_t
conn_last_accept_ms(void)
{
	return last_accept_ms;
}

/* After evhttp_free, which closed every connection: say what is held back. */
void
conn_teardown(void)
{
	on_ended = NULL;
	report_flush(&expired, clock_ms());
	report_flush(&refused, clock_ms());
	event_free(expired.timer);
	event_free(refused.timer);
	free(conns);
	conns = NULL;
	nconns = 0;
}
