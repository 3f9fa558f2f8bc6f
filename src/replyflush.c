/* replyflush.c: write replies at the end of the loop's pass, so that a keep-alive exchange costs no epoll_ctl. */
#include <stdbool.h>
#include <stdlib.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "forkgroup.h"

/*
 * evhttp_send_reply only queues a reply: it turns the connection's
 * EV_WRITE on, the kernel is told (epoll_ctl) before the next poll, the
 * poll reports the socket writable, the reply is written, and evhttp turns
 * EV_WRITE off and EV_READ back on (a second epoll_ctl).  A socket with
 * room for a small reply is writable at once, so that round trip is pure
 * cost, and it holds every reply of a pass back until the next one.
 * Instead the reply is written here at once, and an event that runs after
 * the pass's other callbacks tells each bufferevent that its output is
 * written (bufferevent_trigger), as its own write callback would.  evhttp
 * then turns EV_WRITE off again before libevent's changelist has reached
 * the kernel, and the two changes cancel out.  A reply that does not fit,
 * or a write that fails, stays in the bufferevent, whose EV_WRITE is
 * still on: libevent's usual path takes over and reports the error.
 */
struct replyflush {
	struct event		 *ev;
	struct bufferevent	**bev;
	size_t			  n, cap;
};

static void	on_flush(evutil_socket_t, short, void *);

struct replyflush *
replyflush_new(struct event_base *base)
{
	struct replyflush	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->ev = event_new(base, -1, 0, on_flush, f)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

/*
 * Write what the bufferevent holds now; true if all of it went.  A socket
 * bufferevent freezes its output's front to all but itself.
 */
static bool
write_now(struct bufferevent *bev)
{
	struct evbuffer	*out = bufferevent_get_output(bev);
	int		 written;

	evbuffer_unfreeze(out, 1);
	written = evbuffer_write(out, bufferevent_getfd(bev));
	evbuffer_freeze(out, 1);
	return written > 0 && evbuffer_get_length(out) == 0;
}

/*
 * Call right after evhttp_send_reply.  The reply is written at once, so
 * the client has it while the loop goes on with other connections; only
 * telling evhttp waits for the end of the pass, since evhttp does not
 * expect a reply to be finished inside the callback that sends it.
 */
void
replyflush_add(struct replyflush *f, struct evhttp_connection *conn)
{
	struct bufferevent	**grown, *bev;
	size_t			  cap;

	if (conn == NULL || (bev = evhttp_connection_get_bufferevent(conn)) ==
	    NULL || !write_now(bev))
		return;		/* libevent's usual path writes the rest */
	if (f->n == f->cap) {
		cap = f->cap == 0 ? 64 : f->cap * 2;
		if ((grown = reallocarray(f->bev, cap, sizeof(*grown))) == NULL)
			return;		/* its EV_WRITE reports it written */
		f->bev = grown;
		f->cap = cap;
	}
	/* Held until then: evhttp may free the connection meanwhile. */
	bufferevent_incref(bev);
	f->bev[f->n++] = bev;
	if (f->n == 1)
		event_active(f->ev, 0, 0);
}

static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	struct replyflush	*f = arg;
	bufferevent_data_cb	 writecb;
	struct bufferevent	*bev;
	size_t			 i;

	(void)fd;
	(void)what;
	/* A callback may queue another reply: re-read n. */
	for (i = 0; i < f->n; i++) {
		bev = f->bev[i];
		/* bufferevent_free clears the callbacks: evhttp let go of it. */
		bufferevent_getcb(bev, NULL, &writecb, NULL, NULL);
		if (writecb != NULL && (bufferevent_get_enabled(bev) & EV_WRITE) &&
		    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			bufferevent_trigger(bev, EV_WRITE, 0);
		bufferevent_decref(bev);
	}
	f->n = 0;
}

void
replyflush_free(struct replyflush *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		bufferevent_decref(f->bev[i]);
	event_free(f->ev);
	free(f->bev);
	free(f);
}
