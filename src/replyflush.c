/* replyflush.c: write replies at the end of the loop's pass, so that a keep-alive exchange costs no epoll_ctl. */
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
 * cost.  Instead, the connections answered during a pass of the loop are
 * queued here, and an event that runs after them in the same pass writes
 * each reply and tells the bufferevent it is written (bufferevent_trigger),
 * exactly as its own write callback would.  evhttp then turns EV_WRITE off
 * again before libevent's changelist has reached the kernel, and the two
 * changes cancel out.  A reply that does not fit, or a write that fails,
 * stays queued in the bufferevent, whose EV_WRITE is still on: libevent's
 * usual path takes over and reports the error.
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

/* Call right after evhttp_send_reply; a connection freed meanwhile is skipped. */
void
replyflush_add(struct replyflush *f, struct evhttp_connection *conn)
{
	struct bufferevent	**grown, *bev;
	size_t			  cap;

	if (conn == NULL || (bev = evhttp_connection_get_bufferevent(conn)) ==
	    NULL)
		return;
	if (f->n == f->cap) {
		cap = f->cap == 0 ? 64 : f->cap * 2;
		if ((grown = reallocarray(f->bev, cap, sizeof(*grown))) == NULL)
			return;		/* libevent's usual path writes it */
		f->bev = grown;
		f->cap = cap;
	}
	/* Held until written: evhttp may free the connection meanwhile. */
	bufferevent_incref(bev);
	f->bev[f->n++] = bev;
	if (f->n == 1)
		event_active(f->ev, 0, 0);
}

static void
flush_one(struct bufferevent *bev)
{
	bufferevent_data_cb	 writecb;
	struct evbuffer		*out = bufferevent_get_output(bev);
	int			 written;

	/* bufferevent_free clears the callbacks: evhttp let go of it. */
	bufferevent_getcb(bev, NULL, &writecb, NULL, NULL);
	if (writecb == NULL || !(bufferevent_get_enabled(bev) & EV_WRITE) ||
	    evbuffer_get_length(out) == 0)
		return;
	/* A socket bufferevent freezes its output's front to all but itself. */
	evbuffer_unfreeze(out, 1);
	written = evbuffer_write(out, bufferevent_getfd(bev));
	evbuffer_freeze(out, 1);
	if (written > 0 && evbuffer_get_length(out) == 0)
		bufferevent_trigger(bev, EV_WRITE, 0);
}

static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	struct replyflush	*f = arg;
	size_t			 i;

	(void)fd;
	(void)what;
	/* A trigger may answer a pipelined request and queue it: re-read n. */
	for (i = 0; i < f->n; i++) {
		flush_one(f->bev[i]);
		bufferevent_decref(f->bev[i]);
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
