/* exchange.c: one request's life in a child, from evhttp handing it over until its answer is written or its client is gone: the headers every answer gets, the access log line, the 503 sweep at the end, and the reason phrase of each status. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "forkgroup.h"

/*
 * An exchange goes from ROUTING (a route has it) to WRITING (its answer is
 * with evhttp), or to GONE when its client leaves first, and ends when the
 * answer is written or, once its client is gone, when it is answered (the
 * route's timer may still be running): every path calls exchange_end once.
 * Ended exchanges are kept for reuse, so a request allocates nothing here.
 */

/* One child per process: its requests, and who hears of each end. */
static struct child	*owner;
static void		(*on_ended)(struct child *);
static struct exchanges	 in_flight = TAILQ_HEAD_INITIALIZER(in_flight);
static struct exchanges	 spare = TAILQ_HEAD_INITIALIZER(spare);
static unsigned		 nin_flight;
static uint64_t		 nrequests;
static int64_t		 last_begun_ms = -1;
static time_t		 date_sec;	/* date holds this second */
static char		 date[HTTPDATE_MAX];

static void	 exchange_end(struct exchange *);
static void	 on_written(struct evhttp_request *, void *);

/* ended runs after each exchange ends, for the drain's sake. */
void
exchange_setup(struct child *c, void (*ended)(struct child *))
{
	owner = c;
	on_ended = ended;
}

unsigned
exchange_in_flight(void)
{
	return nin_flight;
}

uint64_t
exchange_count(void)
{
	return nrequests;
}

/* When the last request was handed over; -1: none yet. */
int64_t
exchange_last_ms(void)
{
	return last_begun_ms;
}

/* The reason phrase of each status a child answers with. */
const char *
exchange_reason(int code)
{
	switch (code) {
	case HTTP_OK:
		return "OK";
	case 206:
		return "Partial Content";
	case HTTP_MOVEPERM:
		return "Moved Permanently";
	case HTTP_NOTMODIFIED:
		return "Not Modified";
	case HTTP_BADREQUEST:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case HTTP_NOTFOUND:
		return "Not Found";
	case HTTP_BADMETHOD:
		return "Method Not Allowed";
	case HTTP_ENTITYTOOLARGE:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 416:
		return "Range Not Satisfiable";
	case 431:
		return "Request Header Fields Too Large";
	case HTTP_NOTIMPLEMENTED:
		return "Not Implemented";
	case HTTP_SERVUNAVAIL:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Internal Server Error";
	}
}

/* The Date header's value, formatted once a second; *now gets the second. */
const char *
exchange_date(time_t *now)
{
	time_t	t = time(NULL);

	if (date_sec != t && httpdate_format(t, date, sizeof(date)) == 0)
		date_sec = t;
	if (now != NULL)
		*now = date_sec;
	return date;
}

/* NULL when there is no memory for it, or the connection is to be closed. */
struct exchange *
exchange_begin(struct evhttp_request *req)
{
	struct exchange	*x;

	if ((x = TAILQ_FIRST(&spare)) != NULL)
		TAILQ_REMOVE(&spare, x, entry);
	else if ((x = malloc(sizeof(*x))) == NULL)
		return NULL;
	memset(x, 0, sizeof(*x));
	x->child = owner;
	x->req = req;
	x->state = EXCHANGE_ROUTING;
	TAILQ_INSERT_TAIL(&in_flight, x, entry);
	nin_flight++;
	nrequests++;
	last_begun_ms = clock_ms();
	log_debug("request %llu: %s", (unsigned long long)nrequests,
	    evhttp_request_get_uri(req));
	if (conn_begin(x) == -1) {
		exchange_end(x);
		return NULL;
	}
	return x;
}

/*
 * Send what the route put in the request's output buffer, with code and
 * its reason phrase.  Every answer gets a Date and, unless it has no body
 * by definition, a Content-Length: evhttp adds them only for HTTP/1.1 or
 * keep-alive clients.  The access log line is written here, when status
 * and size are known.
 */
void
exchange_reply(struct exchange *x, int code)
{
	struct evhttp_request	 *req = x->req;
	struct evhttp_connection *conn;
	struct evkeyvalq	 *headers;
	size_t			  bytes;
	time_t			  now;
	char			  text[SIZE_TEXT_MAX];

	headers = evhttp_request_get_output_headers(req);
	bytes = evbuffer_get_length(evhttp_request_get_output_buffer(req));
	evhttp_add_header(headers, "Date", exchange_date(&now));
	if (code >= 200 && code != HTTP_NOCONTENT && code != HTTP_NOTMODIFIED &&
	    evhttp_find_header(headers, "Content-Length") == NULL)
		evhttp_add_header(headers, "Content-Length",
		    size_text(bytes, text));
	accesslog_request(owner->log, req, code, bytes, now);
	if (owner->state != CHILD_SERVING || conn_closes(x))
		evhttp_add_header(headers, "Connection", "close");
	log_debug("%d for %s", code, evhttp_request_get_uri(req));
	if (x->state == EXCHANGE_GONE) {
		evhttp_send_reply(req, code, exchange_reason(code), NULL);	/* frees req */
		exchange_end(x);
		return;
	}
	x->state = EXCHANGE_WRITING;
	conn = evhttp_request_get_connection(req);
	evhttp_request_set_on_complete_cb(req, on_written, x);
	evhttp_send_reply(req, code, exchange_reason(code), NULL);
	replyflush(conn);	/* may free req and x */
}

/* The answer is written: the exchange is over; conn.c turns to the next request. */
static void
on_written(struct evhttp_request *req, void *arg)
{
	struct exchange	*x = arg;

	(void)req;
	conn_next(x);
	exchange_end(x);
}

/*
 * evhttp frees the connection: before the answer was made (the request is
 * then detached and freed when answered) or while writing it.
 */
void
exchange_client_gone(struct exchange *x)
{
	if (x->state == EXCHANGE_WRITING)
		exchange_end(x);
	else
		x->state = EXCHANGE_GONE;
}

static void
exchange_end(struct exchange *x)
{
	conn_end(x);
	TAILQ_REMOVE(&in_flight, x, entry);
	if (x->timer != NULL)
		event_free(x->timer);
	TAILQ_INSERT_HEAD(&spare, x, entry);
	nin_flight--;
	if (on_ended != NULL)
		on_ended(owner);
}

/*
 * Answer what is still waiting for its route (drain_timeout, exit_after)
 * with 503, then run the loop until those answers are written, for at most
 * flush_ms: evhttp only queues an answer, and evhttp_free would drop it
 * unsent, leaving the client with an empty reply.
 */
void
exchange_abandon(struct event_base *base, int64_t flush_ms)
{
	struct exchange	*x, *next;
	struct timeval	 tv = clock_timeval(flush_ms);

	for (x = TAILQ_FIRST(&in_flight); x != NULL; x = next) {
		next = TAILQ_NEXT(x, entry);
		if (x->state == EXCHANGE_WRITING)
			continue;
		/* Its route must not answer it a second time. */
		if (x->timer != NULL) {
			event_free(x->timer);
			x->timer = NULL;
		}
		evhttp_add_header(evhttp_request_get_output_headers(x->req),
		    "Content-Type", "text/plain");
		evbuffer_add_printf(evhttp_request_get_output_buffer(x->req),
		    "shutting down\n");
		exchange_reply(x, HTTP_SERVUNAVAIL);
	}
	if (nin_flight > 0 && event_base_loopexit(base, &tv) == 0 &&
	    event_base_dispatch(base) == -1)
		log_warnx("event loop failed while answering 503");
}

/*
 * Before evhttp_free: what exchange_abandon could not flush, or what
 * arrived meanwhile, goes unanswered; evhttp_send_error still frees a
 * request whose client is gone.
 */
void
exchange_teardown(void)
{
	struct exchange	*x;

	on_ended = NULL;
	while ((x = TAILQ_FIRST(&in_flight)) != NULL) {
		conn_end(x);
		if (x->state != EXCHANGE_WRITING)
			evhttp_send_error(x->req, HTTP_SERVUNAVAIL,
			    exchange_reason(HTTP_SERVUNAVAIL));
		TAILQ_REMOVE(&in_flight, x, entry);
		if (x->timer != NULL)
			event_free(x->timer);
		free(x);
	}
	nin_flight = 0;
	while ((x = TAILQ_FIRST(&spare)) != NULL) {
		TAILQ_REMOVE(&spare, x, entry);
		free(x);
	}
}
