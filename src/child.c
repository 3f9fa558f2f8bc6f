/* child.c: one listener worker's process: its own event loop and evhttp on the inherited socket, its signals, the lifeline, and the drain. */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "forkgroup.h"

/*
 * While a client can still send it a request, a draining child lingers
 * until no request has arrived, and no connection been accepted, for this
 * long: a kept-alive client may have sent its next request just as the
 * drain began, and a client whose connection was accepted just before it
 * is sending its first; each must get an answer (with Connection: close),
 * not a closed socket.  With no connection open it exits at once.
 */
#define DRAIN_QUIET_MS	100
/*
 * Closing the last copy of a listening socket resets the connections that
 * the kernel has completed but nobody accepted, requests and all.  So a
 * draining child that may hold that last copy first shrinks the backlog to
 * nothing: while the queue holds a connection, the kernel leaves new SYNs
 * unanswered (their clients retry, and are refused once it is closed).  It
 * then accepts and serves what is queued, and closes the listener once the
 * queue is empty, or after this long.
 */
#define DRAIN_ACCEPT_MS	50
/* How long abandoned requests' 503 answers may take to be written. */
#define CHILD_FLUSH_MS	250
/* Out of descriptors: stop accepting this long, so accept(2) does not spin. */
#define ACCEPT_PAUSE_MS		250
#define ACCEPT_WARN_EVERY_MS	10000

/* LeakSanitizer checks from an exit handler, gcov writes its counts from one. */
#if defined(FG_ASAN) && !defined(FG_CHILD_EXIT_HANDLERS)
#define FG_CHILD_EXIT_HANDLERS	1
#endif

/* evhttp keeps the listener's callback argument; a process has one child. */
static struct child	*accepting;

static void	 use_evmem(void);
static void	 reset_signals(void);
static void	 close_other_fds(int, int);
static struct event *timer_ms(struct child *, event_callback_fn, int64_t);
static void	 on_accept_error(struct evconnlistener *, void *);
static void	 on_accept_resume(evutil_socket_t, short, void *);
static void	 on_term(evutil_socket_t, short, void *);
static void	 on_usr1(evutil_socket_t, short, void *);
static void	 child_on_lifeline(evutil_socket_t, short, void *);
static void	 on_drain_timeout(evutil_socket_t, short, void *);
static void	 freeze_listener(struct child *);
static void	 close_listener(struct child *);
static void	 close_listener_now(struct child *);
static void	 on_close_listener(evutil_socket_t, short, void *);
static void	 drain_settle(struct child *);
static void	 on_quiet(evutil_socket_t, short, void *);
static void	 on_exit_after(evutil_socket_t, short, void *);
static void	 on_ready(evutil_socket_t, short, void *);
static void	 on_ended(struct child *);
static void	 on_shutdown(struct child *);
static void	 child_drain(struct child *, const char *, int);
static void	 setup(struct child *, int);
static void	 child_teardown(struct child *);
static void	 leave(int) __attribute__((noreturn));


/*
 * Before the child's first libevent call.  The parent's event base, made
 * with malloc, came across fork; the child never touches it (nor frees a
 * block of it), and libevent keeps no other global block that the child
 * would.  Under AddressSanitizer too, which sees a use of a
 * block on evmem's free lists by its poison.  libevent 2.1 itself
 * frees one block with plain free(): the scope copy in
 * evutil_inet_pton_scope, behind evutil_parse_sockaddr_port,
 * evutil_getaddrinfo and evhttp_bind_socket given "fe80::1%lo".  The child
 * must not call those; it is handed its socket ready-made.
 */
static void
use_evmem(void)
{
	event_set_mem_functions(evmem_malloc, evmem_realloc, evmem_free);
}

/* The parent's handlers and mask came across fork; start from the defaults. */
static void
reset_signals(void)
{
	struct sigaction	sa;
	int			signo;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (signo = 1; signo < NSIG; signo++) {
		if (signo == SIGKILL || signo == SIGSTOP)
			continue;
		/* EINVAL: one of the C library's reserved real-time signals. */
		if (sigaction(signo, &sa, NULL) == -1 && errno != EINVAL)
			fatal("sigaction %d", signo);
	}
	/*
	 * Ctrl-C and a terminal hang-up reach the whole process group; the
	 * parent owns them.  A write past RLIMIT_FSIZE (an access log grown to
	 * the limit) then fails with EFBIG, and is reported, instead of
	 * killing the child.
	 */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1 ||
	    sigaction(SIGPIPE, &sa, NULL) == -1 ||
	    sigaction(SIGXFSZ, &sa, NULL) == -1)
		fatal("sigaction");
}

/* Keep stdio, the listener and the lifeline; nothing else of the parent's. */
static void
close_other_fds(int a, int b)
{
	unsigned	keep[2], from = 3;
	size_t		i;

	keep[0] = (unsigned)(a < b ? a : b);
	keep[1] = (unsigned)(a < b ? b : a);
	for (i = 0; i < 2; i++) {
		if (keep[i] > from && close_range(from, keep[i] - 1, 0) == -1)
			fatal("close_range");
		from = keep[i] + 1;
	}
	if (close_range(from, ~0U, 0) == -1)
		fatal("close_range");
}


static struct event *
timer_ms(struct child *c, event_callback_fn cb, int64_t ms)
{
	struct timeval	 tv = clock_timeval(ms);
	struct event	*ev;

	if ((ev = evtimer_new(c->base, cb, c)) == NULL ||
	    evtimer_add(ev, &tv) == -1)
		fatalx("cannot arm a %lld ms timer", (long long)ms);
	return ev;
}

/*
 * Stop accepting and finish what is in flight; exit with status once idle or
 * at drain_timeout.  Idempotent: the first reason wins.
 *
 * Whether to hold new connections back first (hold_back) depends on who
 * else holds the socket.  On SIGTERM, or with the parent gone, the parent
 * has closed its copy (the group stops, or a reload took the address out
 * of the file) and this process, or a sibling worker, is the last holder:
 * hold back.  On a handover the socket serves on in the parent and its
 * serving generation, and a socket passed by systemd outlives the group:
 * closing this copy resets nothing, and shrinking the backlog would shrink
 * it for the others too, each SYN dropped costing its client a second.
 */
static void
child_drain(struct child *c, const char *why, int status)
{
	if (c->state != CHILD_SERVING)
		return;
	log_debug("%s: hold_back %d", why, c->hold_back);
	c->state = CHILD_DRAINING;
	c->exit_status = status;
	c->drain_began_ms = clock_ms();
	if (c->hold_back) {
		freeze_listener(c);
		close_listener(c);
	} else
		close_listener_now(c);
	log_info("%s: draining %u request%s in flight", why,
	    exchange_in_flight(), exchange_in_flight() == 1 ? "" : "s");
	c->ev_drain = timer_ms(c, on_drain_timeout, c->cfg->drain_timeout_ms);
	drain_settle(c);
}

/*
 * Let (next to) no new connection into the listener's queue.  Nothing to
 * put back: the socket ends with its last holder.
 */
static void
freeze_listener(struct child *c)
{
	if (c->bound != NULL &&
	    listen(evhttp_bound_socket_get_fd(c->bound), 0) == -1)
		log_warn("cannot hold new connections back while draining");
}

/*
 * Close the listening socket, or, while it has connections waiting to be
 * accepted, give the loop one more turn (where libevent accepts until
 * EAGAIN, before any timer runs) and look again.  Not while accepting is
 * paused for want of descriptors: nothing would be accepted.  The timer
 * is 1 us, not 0: libevent runs a zero timeout at once, without polling.
 */
static void
close_listener(struct child *c)
{
	struct pollfd	pfd;

	if (c->bound == NULL)
		return;
	pfd.fd = evhttp_bound_socket_get_fd(c->bound);
	pfd.events = POLLIN;
	if (clock_ms() - c->drain_began_ms < DRAIN_ACCEPT_MS &&
	    !evtimer_pending(c->ev_accept_pause, NULL) &&
	    poll(&pfd, 1, 0) == 1 && event_base_once(c->base, -1, EV_TIMEOUT,
	    on_close_listener, c, &(struct timeval){ 0, 1 }) == 0)
		return;
	close_listener_now(c);
}

static void
close_listener_now(struct child *c)
{
	if (c->bound == NULL)
		return;
	evhttp_del_accept_socket(c->http, c->bound);	/* closes it */
	c->bound = NULL;
}

static void
on_close_listener(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	if (c->state != CHILD_DRAINING)
		return;		/* flushing: child_teardown closed it */
	close_listener(c);
	drain_settle(c);
}

/*
 * Called whenever a draining child may be done: once the listener is
 * closed and nothing is in flight, it exits at once if no client can send
 * it another request (no connection open, none accepted that has not sent
 * its first byte), else once it has been quiet for DRAIN_QUIET_MS.
 */
static void
drain_settle(struct child *c)
{
	int64_t		last = exchange_last_ms(), quiet;
	struct timeval	tv;

	if (exchange_in_flight() > 0 ||
	    (c->state == CHILD_DRAINING && c->bound != NULL))
		return;
	if (conn_last_accept_ms() > last)
		last = conn_last_accept_ms();
	quiet = clock_ms() - last;
	if (c->state == CHILD_FLUSHING || !conn_may_send()) {
		log_debug("no request can come: exiting");
		event_base_loopexit(c->base, NULL);
		return;
	}
	if (quiet >= DRAIN_QUIET_MS) {
		log_debug("quiet for %lld ms: exiting", (long long)quiet);
		event_base_loopexit(c->base, NULL);
		return;
	}
	log_debug("a client may still send: lingering %lld ms",
	    (long long)(DRAIN_QUIET_MS - quiet));
	tv = clock_timeval(DRAIN_QUIET_MS - quiet);
	if (c->ev_quiet == NULL &&
	    (c->ev_quiet = evtimer_new(c->base, on_quiet, c)) == NULL) {
		event_base_loopexit(c->base, NULL);	/* no linger, no hang */
		return;
	}
	if (evtimer_add(c->ev_quiet, &tv) == -1)
		event_base_loopexit(c->base, NULL);
}

/* POST /shutdown, once answered: the child fails on purpose, and the group stops. */
static void
on_shutdown(struct child *c)
{
	child_drain(c, "POST /shutdown", 1);
}

/* An exchange or a connection ended: a draining child may be done. */
static void
on_ended(struct child *c)
{
	if (c->state != CHILD_SERVING)
		drain_settle(c);
}

static void
on_quiet(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	drain_settle(arg);
}

static void
on_term(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	/*
	 * Logged, not just ignored: the parent sends each child one SIGTERM,
	 * so a second one comes from elsewhere (systemd signals every process
	 * of the unit unless KillMode=mixed), and the log must show it.
	 */
	if (c->state != CHILD_SERVING) {
		log_info("received SIGTERM while %s: already stopping",
		    c->state == CHILD_DRAINING ? "draining" : "flushing");
		return;
	}
	child_drain(c, "received SIGTERM", 0);
}

/* logrotate's postrotate: the parent forwards its SIGUSR1 to every child. */
static void
on_usr1(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	if (c->log == NULL)
		log_info("received SIGUSR1: no access log to reopen");
	else
		accesslog_reopen(c->log);
}

/*
 * accept(2) failed, most likely EMFILE: the socket stays readable, and
 * libevent would call accept again at once, forever.  Pause instead; the
 * connections being served close meanwhile (read_timeout at the latest).
 */
static void
on_accept_error(struct evconnlistener *lev, void *arg)
{
	struct child	*c = accepting;
	struct timeval	 tv = clock_timeval(ACCEPT_PAUSE_MS);
	int		 err = EVUTIL_SOCKET_ERROR();
	int64_t		 now = clock_ms();

	(void)arg;
	if (evconnlistener_disable(lev) == -1 ||
	    evtimer_add(c->ev_accept_pause, &tv) == -1) {
		log_warnx("cannot pause accepting");
		return;
	}
	if (now - c->accept_warned_ms >= ACCEPT_WARN_EVERY_MS) {
		c->accept_warned_ms = now;
		log_warnx("accept: %s: pausing new connections for %d ms "
		    "(logged at most every %d s)", strerror(err),
		    ACCEPT_PAUSE_MS, ACCEPT_WARN_EVERY_MS / 1000);
	}
}

static void
on_accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	/* A drain may have closed the listener meanwhile. */
	if (c->bound != NULL && evconnlistener_enable(
	    evhttp_bound_socket_get_listener(c->bound)) == -1)
		log_warnx("cannot resume accepting");
}

/*
 * LIFELINE_HANDOVER: a reload is done with this generation (it retired, or
 * its reload failed) and the socket serves on without it.  EOF: the parent
 * is gone, and a child must never outlive its group.
 */
static void
child_on_lifeline(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;
	char		 buf[16];
	ssize_t		 n;

	(void)what;
	n = read(fd, buf, sizeof(buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		if (memchr(buf, LIFELINE_HANDOVER, (size_t)n) != NULL) {
			c->hold_back = false;
			child_drain(c, "handing the socket over", 0);
		}
		return;
	}
	event_del(c->ev_lifeline);
	child_drain(c, "parent is gone", 0);
}

static void
on_drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	log_warnx("drain_timeout: abandoning %u request%s",
	    exchange_in_flight(), exchange_in_flight() == 1 ? "" : "s");
	event_base_loopexit(c->base, NULL);
}

/* Fault injection: a service that fails after a while. */
static void
on_exit_after(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	(void)fd;
	(void)what;
	if (c->state != CHILD_SERVING)
		return;		/* already on its way out: let the drain finish */
	log_info("exit_after elapsed: exiting with status 1");
	c->exit_status = 1;
	event_base_loopexit(c->base, NULL);
}

/*
 * Runs from inside the loop, so "ready" means the loop really serves.
 * Logged before the parent hears of it, so that no log shows the group
 * serving (or READY=1 sent) before each child's "listening on".
 */
static void
on_ready(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;
	char		 ready = LIFELINE_READY;

	(void)fd;
	(void)what;
	log_info("listening on %s", c->conf->addr_text);
	if (write(c->lifeline, &ready, 1) != 1)
		log_warn("lifeline");
}

static void
setup(struct child *c, int listen_fd)
{
	struct event_config	*ec;

	if ((ec = event_config_new()) == NULL)
		fatalx("cannot create the event config");
	/*
	 * One process, one thread: libevent's locks are pure cost here.  The
	 * changelist folds each request's read-off/write-on/write-off/read-on
	 * into two epoll_ctl calls instead of four.
	 */
	if (event_config_set_flag(ec, EVENT_BASE_FLAG_NOLOCK |
	    EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) == -1)
		fatalx("event_config_set_flag");
	c->base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (c->base == NULL)
		fatalx("cannot create the event base");
	log_attach(c->base);
	if ((c->http = evhttp_new(c->base)) == NULL)
		fatalx("cannot create the HTTP server");
	if ((c->bound = evhttp_accept_socket_with_handle(c->http,
	    listen_fd)) == NULL)
		fatalx("cannot accept on %s", c->conf->addr_text);
	/*
	 * Accepted sockets inherit it (Linux): an answer written in two
	 * parts, headers then a file, must not wait for the client's
	 * delayed ACK of the first (40 ms per answer on keep-alive).
	 */
	if (setsockopt(listen_fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
	    sizeof(int)) == -1)
		log_warn("setsockopt TCP_NODELAY");
	accepting = c;
	c->accept_warned_ms = c->started_ms - ACCEPT_WARN_EVERY_MS;
	if ((c->ev_accept_pause = evtimer_new(c->base, on_accept_resume,
	    c)) == NULL)
		fatalx("cannot create the accept timer");
	evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(c->bound),
	    on_accept_error);
	/* A log that cannot be opened is a failed start, like a missing root. */
	if (c->conf->access_log != NULL &&
	    (c->log = accesslog_open(c->base, c->conf->access_log)) == NULL)
		exit(1);
	http_setup(c, on_shutdown);
	exchange_setup(c, on_ended);
	conn_setup(c, on_ended);
	if ((c->ev_term = evsignal_new(c->base, SIGTERM, on_term, c)) == NULL ||
	    evsignal_add(c->ev_term, NULL) == -1 ||
	    (c->ev_usr1 = evsignal_new(c->base, SIGUSR1, on_usr1, c)) == NULL ||
	    evsignal_add(c->ev_usr1, NULL) == -1)
		fatalx("cannot watch signals");
	if ((c->ev_lifeline = event_new(c->base, c->lifeline,
	    EV_READ | EV_PERSIST, child_on_lifeline, c)) == NULL ||
	    event_add(c->ev_lifeline, NULL) == -1)
		fatalx("cannot watch the lifeline");
	if (c->conf->exit_after_ms > 0)
		c->ev_exit_after = timer_ms(c, on_exit_after,
		    c->conf->exit_after_ms);
	if (event_base_once(c->base, -1, EV_TIMEOUT, on_ready, c,
	    &(struct timeval){ 0, 0 }) == -1)
		fatalx("event_base_once");
}

/*
 * What is still in flight (drain_timeout, exit_after) is answered 503, and
 * written for at most CHILD_FLUSH_MS; then everything goes.
 */
static void
child_teardown(struct child *c)
{
	c->state = CHILD_FLUSHING;
	close_listener_now(c);
	exchange_abandon(c->base, CHILD_FLUSH_MS);
	exchange_teardown();
	evhttp_free(c->http);
	conn_teardown();
	accesslog_close(c->log);
	event_free(c->ev_accept_pause);
	if (c->root_fd != -1 && close(c->root_fd) == -1)
		log_warn("close root");
	event_free(c->ev_term);
	event_free(c->ev_usr1);
	event_free(c->ev_lifeline);
	if (c->ev_drain != NULL)
		event_free(c->ev_drain);
	if (c->ev_quiet != NULL)
		event_free(c->ev_quiet);
	if (c->ev_exit_after != NULL)
		event_free(c->ev_exit_after);
	log_detach();
	event_base_free(c->base);
	close(c->lifeline);
}

/*
 * After a clean teardown, leave without the C library's exit handlers:
 * they only run the shared libraries' destructors, which fault in code
 * pages the child never used, and giving evmem's cached blocks back would
 * touch every one of them.  Both together were a sixth of the time a
 * cascade of 64 listeners takes.  Sanitizer and coverage builds need the
 * handlers; there the cache goes back first, so that the leak check sees
 * only what was lost.  The one handler that matters, the log's last
 * bounded flush, is called here.
 */
static void
leave(int status)
{
	log_flush_exit();
#ifdef FG_CHILD_EXIT_HANDLERS
	evmem_release();
	exit(status);
#else
	_exit(status);
#endif
}

/* Runs in the new child, with every signal blocked since before fork(). */
void
child_main(const struct child_spec *spec)
{
	const struct listener_conf	*l = spec->conf;
	struct child			 c;
	sigset_t			 none, all;

	memset(&c, 0, sizeof(c));
	config_worker_name(l, spec->worker, c.name, sizeof(c.name));
	log_init(c.name);
	reset_signals();
	/* The lifeline notices a dead parent too; this is the second path. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		fatal("prctl");
	close_other_fds(spec->listen_fd, spec->lifeline);
	proctitle_set("forkgroup: %s %s", c.name, l->addr_text);
	if (l->exit_after_ms == 0) {
		log_info("exit_after 0: failing at start-up");
		exit(1);
	}

	use_evmem();
	c.cfg = spec->cfg;
	c.conf = l;
	c.worker = spec->worker;
	c.generation = spec->generation;
	c.pid = getpid();
	c.lifeline = spec->lifeline;
	c.started_ms = clock_ms();
	c.root_fd = -1;
	c.hold_back = !spec->socket_passed;
	/* After close_other_fds, which would close it; logged if it fails. */
	if (l->root != NULL && (c.root_fd = static_open_root(l->root)) == -1)
		exit(1);
	setup(&c, spec->listen_fd);

	if (sigemptyset(&none) == -1 ||
	    sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		fatal("sigprocmask");
	/* The parent died before PR_SET_PDEATHSIG took hold. */
	if (getppid() != spec->parent)
		child_drain(&c, "parent is gone", 0);
	if (event_base_dispatch(c.base) == -1)
		fatalx("event loop failed");
	/*
	 * As in the parent: teardown restores the default actions, and a
	 * SIGUSR1 forwarded meanwhile would kill the child on its way out,
	 * reporting a signal instead of its exit status.
	 */
	if (sigfillset(&all) == -1 || sigprocmask(SIG_BLOCK, &all, NULL) == -1)
		log_warn("sigprocmask");
	child_teardown(&c);
	log_info("exiting with status %d", c.exit_status);
	leave(c.exit_status);
}
