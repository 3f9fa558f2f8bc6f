/* http.c: a child's routes: /, /ping, /healthz, /status, /delay and POST /shutdown, then the static root. */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "forkgroup.h"

#define DELAY_MAX_MS		60000

#define METHODS_READ	(EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)

/*
 * A route's path as urlpath_parse gives it: percent-decoded, without its
 * leading "/", "." for "/".  Routes are matched on that, as nginx matches
 * locations on the normalised path, so that "/%70ing" and "//ping" cannot
 * reach a file the route "/ping" hides.
 */
struct route {
	const char	*path;
	int		 methods;
	const char	*allow;		/* the Allow header for a 405 */
	void		(*serve)(struct exchange *);
};

static void	 respond(struct exchange *, int, const char *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 respond_text(struct exchange *, int, const char *,
		    const char *);
static void	 finish(struct exchange *, int, const char *);
static const char *request_path(struct evhttp_request *, size_t *);
static void	 serve_error(struct exchange *, int);
static void	 serve_static(struct exchange *, const struct urlpath *);
static void	 serve_root(struct exchange *);
static void	 serve_ping(struct exchange *);
static void	 serve_healthz(struct exchange *);
static void	 serve_status(struct exchange *);
static void	 serve_delay(struct exchange *);
static void	 delay_done(evutil_socket_t, short, void *);
static void	 serve_shutdown(struct exchange *);
static void	 route(struct exchange *);
static void	 dispatch(struct evhttp_request *, void *);

/* What POST /shutdown does to the process: child.c's to say. */
static void	(*on_shutdown)(struct child *);

static const struct route routes[] = {
	{ ".",		METHODS_READ,		"GET, HEAD",	serve_root },
	{ "ping",	METHODS_READ,		"GET, HEAD",	serve_ping },
	{ "healthz",	METHODS_READ,		"GET, HEAD",	serve_healthz },
	{ "status",	METHODS_READ,		"GET, HEAD",	serve_status },
	{ "delay",	METHODS_READ,		"GET, HEAD",	serve_delay },
	{ "shutdown",	EVHTTP_REQ_POST,	"POST",		serve_shutdown },
};

/* A complete answer; HEAD gets the same headers and no body. */
static void
respond(struct exchange *x, int code, const char *type, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (evbuffer_add_vprintf(evhttp_request_get_output_buffer(x->req), fmt,
	    ap) == -1)
		log_warnx("cannot build a response body");
	va_end(ap);
	finish(x, code, type);
}

/* A fixed body: no formatting on the hot path (/ping). */
static void
respond_text(struct exchange *x, int code, const char *type, const char *text)
{
	if (evbuffer_add(evhttp_request_get_output_buffer(x->req), text,
	    strlen(text)) == -1)
		log_warnx("cannot build a response body");
	finish(x, code, type);
}

static void
finish(struct exchange *x, int code, const char *type)
{
	struct evhttp_request	*req = x->req;
	struct evkeyvalq	*headers = evhttp_request_get_output_headers(req);
	struct evbuffer		*body = evhttp_request_get_output_buffer(req);
	char			 length[SIZE_TEXT_MAX];

	evhttp_add_header(headers, "Content-Type", type);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		evhttp_add_header(headers, "Content-Length",
		    size_text(evbuffer_get_length(body), length));
		evbuffer_drain(body, evbuffer_get_length(body));
	}
	exchange_reply(x, code);
}

/*
 * The path of the request target, which ends at "?" or "#": taken from the
 * request line itself, since evhttp reads "//a/b" as host "a" and path
 * "/b"; from evhttp's parse for the absolute form "http://host/path".
 */
static const char *
request_path(struct evhttp_request *req, size_t *len)
{
	const char	*path = evhttp_request_get_uri(req);

	if (path[0] != '/') {
		path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
		if (path == NULL || *path == '\0')
			path = "/";
	}
	*len = strcspn(path, "?#");
	return path;
}

/* An error status with its reason phrase as a short text body. */
static void
serve_error(struct exchange *x, int code)
{
	respond(x, code, "text/plain", "%s\n", exchange_reason(code));
}

/* The root's files; an error static.c returns gets a short text body. */
static void
serve_static(struct exchange *x, const struct urlpath *up)
{
	int	code;

	if ((code = static_serve(x, up)) != 0)
		serve_error(x, code);
}

/* Without a root: a page naming the listener (with one, "/" is a file). */
static void
serve_root(struct exchange *x)
{
	struct child	*c = x->child;

	respond(x, HTTP_OK, "text/html; charset=utf-8",
	    "<!DOCTYPE html>\n<title>forkgroup: %s</title>\n"
	    "<h1>forkgroup</h1>\n<p>Listener <b>%s</b> on %s, pid %ld.</p>\n",
	    c->conf->name, c->conf->name, c->conf->addr_text, (long)c->pid);
}

static void
serve_ping(struct exchange *x)
{
	respond_text(x, HTTP_OK, "text/plain", "pong");
}

static void
serve_healthz(struct exchange *x)
{
	if (x->child->state == CHILD_SERVING)
		respond_text(x, HTTP_OK, "text/plain", "ok\n");
	else
		respond_text(x, HTTP_SERVUNAVAIL, "text/plain", "draining\n");
}

/* Names are [A-Za-z0-9_-] and addresses are numeric: nothing needs escaping. */
static void
serve_status(struct exchange *x)
{
	struct child	*c = x->child;

	respond(x, HTTP_OK, "application/json",
	    "{\"listener\":\"%s\",\"worker\":%u,\"workers\":%u,"
	    "\"generation\":%u,\"pid\":%ld,\"address\":\"%s\","
	    "\"uptime_ms\":%lld,\"requests\":%llu,\"in_flight\":%u,"
	    "\"state\":\"%s\"}\n", c->conf->name, c->worker,
	    c->conf->workers, c->generation, (long)c->pid,
	    c->conf->addr_text, (long long)(clock_ms() - c->started_ms),
	    (unsigned long long)exchange_count(), exchange_in_flight(),
	    c->state == CHILD_SERVING ? "serving" : "draining");
}

/* The seeds' slow "business" request: answered by a timer, so it is in flight meanwhile. */
static void
serve_delay(struct exchange *x)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(x->req);
	struct timeval		 tv;

	if (query_number(evhttp_uri_get_query(uri), "ms", DELAY_MAX_MS,
	    &x->delay_ms) == -1) {
		respond(x, HTTP_BADREQUEST, "text/plain",
		    "usage: /delay?ms=N with N from 0 to %d\n", DELAY_MAX_MS);
		return;
	}
	tv = clock_timeval(x->delay_ms);
	if ((x->timer = evtimer_new(x->child->base, delay_done, x)) == NULL ||
	    evtimer_add(x->timer, &tv) == -1) {
		respond_text(x, HTTP_SERVUNAVAIL, "text/plain", "cannot arm a timer\n");
		return;
	}
}

static void
delay_done(evutil_socket_t fd, short what, void *arg)
{
	struct exchange	*x = arg;

	(void)fd;
	(void)what;
	respond(x, HTTP_OK, "text/plain", "waited %lld ms\n",
	    (long long)x->delay_ms);
}

/* Ends this child with status 1 once the reply is out: the group follows. */
static void
serve_shutdown(struct exchange *x)
{
	if (!address_is_loopback(evhttp_connection_get_addr(
	    evhttp_request_get_connection(x->req)))) {
		respond_text(x, 403, "text/plain",
		    "shutdown is only allowed from loopback\n");
		return;
	}
	respond_text(x, HTTP_OK, "text/plain", "bye\n");
	on_shutdown(x->child);
}

static void
route(struct exchange *x)
{
	struct evhttp_request	*req = x->req;
	struct child		*c = x->child;
	const struct route	*r;
	const char		*path;
	struct urlpath		 up;
	size_t			 i, len;
	int			 code;
	int			 method = evhttp_request_get_command(req);

	path = request_path(req, &len);
	if ((code = urlpath_parse(path, len, &up)) != 0) {
		serve_error(x, code);
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = &routes[i];
		/* "/ping/" is not "/ping"; "/" always ends with "/". */
		if (strcmp(up.rel, r->path) != 0 ||
		    (up.dir && r->serve != serve_root))
			continue;
		if ((r->serve == serve_shutdown && !c->conf->shutdown) ||
		    (r->serve == serve_root && c->root_fd != -1))
			break;
		if ((method & r->methods) == 0) {
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Allow", r->allow);
			respond_text(x, HTTP_BADMETHOD, "text/plain", "method not allowed\n");
			return;
		}
		r->serve(x);
		return;
	}
	if (c->root_fd == -1)
		respond_text(x, HTTP_NOTFOUND, "text/plain",
		    "not found\n");
	else if ((method & METHODS_READ) == 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		respond_text(x, HTTP_BADMETHOD, "text/plain",
		    "method not allowed\n");
	} else
		serve_static(x, &up);
}

static void
dispatch(struct evhttp_request *req, void *arg)
{
	struct exchange	*x;

	(void)arg;
	if ((x = exchange_begin(req)) == NULL) {
		evhttp_send_error(req, HTTP_SERVUNAVAIL, NULL);
		return;
	}
	route(x);
}

void
http_setup(struct child *c, void (*shutdown)(struct child *))
{
	struct timeval	tv = clock_timeval(c->conf->read_timeout_ms);

	on_shutdown = shutdown;
	/*
	 * Every method reaches dispatch, which answers 405 with Allow, as
	 * nginx does, not evhttp's 501.  A method evhttp does not know has a
	 * bit of its own (EVHTTP_REQ_UNKNOWN_ in libevent 2.1's private
	 * header), which allowing every bit takes in too.
	 */
	evhttp_set_allowed_methods(c->http, UINT16_MAX);
	evhttp_set_max_headers_size(c->http, c->conf->max_header_size);
	evhttp_set_max_body_size(c->http, c->conf->max_body_size);
	/*
	 * libevent 2.1 has one inactivity timeout per connection, for reads
	 * and writes.  A new connection gets read_timeout; once a reply is
	 * written, conn.c sets idle_timeout for the wait for the next one.
	 * conn.c bounds each request as a whole.
	 */
	evhttp_set_timeout_tv(c->http, &tv);
	evhttp_set_gencb(c->http, dispatch, NULL);
}
