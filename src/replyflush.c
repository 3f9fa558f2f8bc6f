/* replyflush.c: write a reply as soon as it is made, so that a keep-alive exchange costs no EV_WRITE round trip. */
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
 * cost, and it holds every reply of a pass of the loop back until the
 * next one.  Instead, right after evhttp_send_reply, the reply is written
 * here and the bufferevent is told that its output is written
 * (bufferevent_trigger), as its own write callback would be.  evhttp then
 * finishes the request and turns EV_WRITE off again before libevent's
 * changelist has reached the kernel, and the two changes cancel out.
 *
 * libevent 2.1's server side touches neither the request nor the
 * connection after the callback that answers returns (http.c:
 * evhttp_handle_request, evhttp_connection_done for an incoming
 * connection), so finishing the request inside that callback is safe;
 * bufferevent_trigger holds a reference on the bufferevent while evhttp
 * frees the connection of a "Connection: close" reply.  A reply that does
 * not fit, or a write that fails, stays in the bufferevent, whose EV_WRITE
 * is still on: libevent's usual path takes over and reports the error.
 */
void
replyflush(struct evhttp_connection *conn)
{
	struct bufferevent	*bev;

	if (conn == NULL || (bev = evhttp_connection_get_bufferevent(conn)) ==
	    NULL)
		return;
	replyflush_write(bev);
	/* Runs the write callback only once nothing is left (low watermark 0). */
	bufferevent_trigger(bev, EV_WRITE, 0);
}

/* Write what bev's output holds now, as much as the socket takes. */
void
replyflush_write(struct bufferevent *bev)
{
	struct evbuffer	*out = bufferevent_get_output(bev);

	/* A socket bufferevent freezes its output's front to all but itself. */
	evbuffer_unfreeze(out, 1);
	(void)evbuffer_write(out, bufferevent_getfd(bev));
	evbuffer_freeze(out, 1);
}
