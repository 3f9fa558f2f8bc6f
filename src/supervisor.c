/* supervisor.c: the parent after binding: fork each generation's children, reap, cascade, reload on SIGHUP, and decide the exit status. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "forkgroup.h"

/* A child as the parent holds it, beside its member in group.c. */
struct slot {
	struct supervisor		*sv;
	struct batch			*batch;
	struct member			*member;
	const struct listener_conf	*conf;
	int				 lifeline;
	struct event			*ev;
};

/* A generation as the parent holds it: its configuration and children. */
struct batch {
	struct generation	 gen;
	struct supervisor	*sv;
	const struct config	*cfg;
	struct config		*owned;		/* a reload's; NULL: main's */
	struct member		*members;
	struct slot		*slots;
	struct event		*deadline;	/* the stop_timeout of its drain */
};

struct supervisor {
	const char		*path;		/* read again on SIGHUP */
	struct event_base	*base;
	struct forkgroup	 group;
	struct sockets		*sockets;
	struct event		*ev_signals;	/* the self-pipe */
	struct event		*deadline;
	struct event		*reload_timer;
	int64_t			 stop_began_ms;
	bool			 told_stopping;	/* STOPPING=1 sent */
};

static const int parent_signals[] = { SIGTERM, SIGINT, SIGCHLD, SIGHUP, SIGUSR1 };
#define NPARENT_SIGNALS	(sizeof(parent_signals) / sizeof(parent_signals[0]))

static const struct config *serving_cfg(const struct supervisor *);
static void	 serving_text(const struct config *, char *, size_t);
static void	 member_signal(const struct member *, int);
static void	 signal_live(struct supervisor *, int);
static void	 order_drain(struct supervisor *, struct slot *);
static void	 give_orders(struct supervisor *);
static void	 arm_batch_deadline(struct supervisor *, struct batch *);
static void	 apply(struct supervisor *, unsigned);
static void	 handle_signal(struct supervisor *, int);
static void	 on_signals(evutil_socket_t, short, void *);
static void	 supervisor_on_deadline(evutil_socket_t, short, void *);
static void	 on_reload_timeout(evutil_socket_t, short, void *);
static void	 on_batch_deadline(evutil_socket_t, short, void *);
static void	 supervisor_on_lifeline(evutil_socket_t, short, void *);
static void	 lifeline_close(struct slot *);
static void	 reap(struct supervisor *);
static int	 fork_child(struct supervisor *, struct batch *, size_t,
		    const struct listener_conf *, unsigned);
static struct batch *batch_spawn(struct supervisor *, const struct config *,
		    struct config *, unsigned);
static void	 batch_free(struct batch *);
static void	 reload(struct supervisor *);
static int	 reload_config(struct supervisor *, struct config *, char *,
		    size_t);
static void	 kill_and_reap(struct supervisor *);
static int	 setup_events(struct supervisor *);
static void	 supervisor_teardown(struct supervisor *);
static int	 parent_signal_set(sigset_t *);


static const struct config *
serving_cfg(const struct supervisor *sv)
{
	return ((const struct batch *)sv->group.serving->arg)->cfg;
}

/* "3/3 listeners serving", and the children when workers make more. */
static void
serving_text(const struct config *cfg, char *buf, size_t len)
{
	if (cfg->nchildren == cfg->nlisteners)
		snprintf(buf, len, "%zu/%zu listeners serving",
		    cfg->nlisteners, cfg->nlisteners);
	else
		snprintf(buf, len, "%zu/%zu listeners serving (%zu children)",
		    cfg->nlisteners, cfg->nlisteners, cfg->nchildren);
}

/*
 * The one kill(2) of the parent.  Never a pid of 0 or less: kill(0, ...)
 * would signal the whole process group, kill(-1, ...) every process.
 */
static void
member_signal(const struct member *m, int signo)
{
	if (m->ended || m->pid <= 0)
		return;
	/* ESRCH: dead but not yet reaped; SIGCHLD will tell. */
	if (kill(m->pid, signo) == -1 && errno != ESRCH)
		log_warn("kill %s (pid %ld)", m->name, (long)m->pid);
}

/* Every live child of every generation: SIGUSR1 reaches the retiring too. */
static void
signal_live(struct supervisor *sv, int signo)
{
	struct generation	*gen;
	size_t			 i;

	TAILQ_FOREACH(gen, &sv->group.gens, entry)
		for (i = 0; i < gen->n; i++)
			member_signal(&gen->members[i], signo);
}

/*
 * While the parent still holds the child's socket, others serve on it: a
 * handover on the lifeline, and the child drains without holding any
 * connection back (see child_drain).  Otherwise SIGTERM.
 */
static void
order_drain(struct supervisor *sv, struct slot *s)
{
	const char	 handover = LIFELINE_HANDOVER;
	struct member	*m = s->member;

	if (listener_find(sv->sockets, &s->conf->addr) != NULL &&
	    s->lifeline != -1 &&
	    send(s->lifeline, &handover, 1, MSG_NOSIGNAL) == 1)
		return;
	member_signal(m, SIGTERM);
}

/* What group.c marked: each order given once. */
static void
give_orders(struct supervisor *sv)
{
	struct generation	*gen;
	struct batch		*b;
	struct member		*m;
	size_t			 i;

	TAILQ_FOREACH(gen, &sv->group.gens, entry) {
		b = gen->arg;
		for (i = 0; i < gen->n; i++) {
			m = &gen->members[i];
			if (m->ended || m->pid <= 0)
				continue;
			if (m->kill && !m->sent_kill) {
				m->sent_kill = true;
				member_signal(m, SIGKILL);
			} else if (m->drain && !m->told && !m->sent_kill) {
				m->told = true;
				order_drain(sv, &b->slots[i]);
			}
		}
	}
}

/* A retiring or failed generation drains for its own stop_timeout. */
static void
arm_batch_deadline(struct supervisor *sv, struct batch *b)
{
	struct timeval	tv = clock_timeval(b->cfg->stop_timeout_ms);

	if ((b->deadline != NULL || (b->deadline = evtimer_new(sv->base,
	    on_batch_deadline, b)) != NULL) &&
	    evtimer_add(b->deadline, &tv) == 0)
		return;
	/* Unbounded is worse than short. */
	log_warnx("generation %u: cannot arm its stop timer; killing now",
	    b->gen.id);
	apply(sv, group_gen_deadline(&sv->group, &b->gen));
}

static void
apply(struct supervisor *sv, unsigned act)
{
	struct forkgroup	*g = &sv->group;
	struct batch		*b;
	char			 cause[256], text[128];
	size_t			 closed;

	static const char *const states[] = {
		"starting", "running", "stopping", "killing", "done"
	};

	if (act != 0)
		log_debug("%s%s%s%s%s%s%s%s%s%s(group %s, %zu live)",
		    act & GROUP_ACT_READY ? "ready " : "",
		    act & GROUP_ACT_TERM_ALL ? "stop " : "",
		    act & GROUP_ACT_ARM_DEADLINE ? "arm-deadline " : "",
		    act & GROUP_ACT_KILL_ALL ? "kill " : "",
		    act & GROUP_ACT_EXIT ? "exit " : "",
		    act & GROUP_ACT_RELOAD ? "reload " : "",
		    act & GROUP_ACT_RELOADED ? "reloaded " : "",
		    act & GROUP_ACT_RELOAD_FAILED ? "reload-failed " : "",
		    act & GROUP_ACT_GEN_KILL ? "generation-kill " : "",
		    act & GROUP_ACT_GEN_ENDED ? "generation-ended " : "",
		    states[g->state], g->nlive);
	if ((act & (GROUP_ACT_TERM_ALL | GROUP_ACT_EXIT)) &&
	    sv->stop_began_ms < 0)
		sv->stop_began_ms = clock_ms();
	if ((act & (GROUP_ACT_TERM_ALL | GROUP_ACT_EXIT)) &&
	    g->cause.kind != CAUSE_NONE && !sv->told_stopping) {
		sv->told_stopping = true;
		group_describe_cause(g, cause, sizeof(cause));
		notify_send("STOPPING=1\nSTATUS=stopping: %s", cause);
	}
	if (act & GROUP_ACT_READY) {
		serving_text(serving_cfg(sv), text, sizeof(text));
		log_info("%s", text);
		notify_send("READY=1\nSTATUS=%s", text);
	}
	if (act & GROUP_ACT_TERM_ALL) {
		/*
		 * Closed first, so that each child may be the last holder of
		 * its socket and is told so (SIGTERM): the group refuses new
		 * connections while it drains, and resets none it queued.
		 */
		listener_close_all(sv->sockets);
		evtimer_del(sv->reload_timer);
		group_describe_cause(g, cause, sizeof(cause));
		log_info("stopping %zu %s: %s", g->nlive,
		    g->nlive == 1 ? "child" : "children", cause);
	}
	if (act & GROUP_ACT_ARM_DEADLINE) {
		struct timeval tv = clock_timeval(serving_cfg(sv)->stop_timeout_ms);

		if (evtimer_add(sv->deadline, &tv) == -1) {
			/* No bound on the stop is worse than a short one. */
			log_warnx("cannot arm the stop timer; killing now");
			act |= group_deadline(g);
		}
	}
	if (act & GROUP_ACT_KILL_ALL)
		log_info("killing %zu %s still alive after %lld ms",
		    g->nlive, g->nlive == 1 ? "child" : "children",
		    (long long)(clock_ms() - sv->stop_began_ms));
	if (act & GROUP_ACT_RELOADED) {
		b = g->subject->arg;
		evtimer_del(sv->reload_timer);
		/* Before the orders: a retired address's children get SIGTERM. */
		closed = listener_retain(sv->sockets, serving_cfg(sv));
		serving_text(serving_cfg(sv), text, sizeof(text));
		log_info("reload %u: %s; generation %u drains its %zu %s; "
		    "%zu %s closed", g->serving->id, text, b->gen.id,
		    b->gen.nlive, b->gen.nlive == 1 ? "child" : "children",
		    closed, closed == 1 ? "socket taken out of the file" :
		    "sockets taken out of the file");
		notify_send("READY=1\nSTATUS=reload %u: %s", g->serving->id,
		    text);
		arm_batch_deadline(sv, b);
	}
	if (act & GROUP_ACT_RELOAD_FAILED) {
		evtimer_del(sv->reload_timer);
		listener_retain(sv->sockets, serving_cfg(sv));
		group_describe_failure(g, cause, sizeof(cause));
		log_warnx("reload %u failed: %s; generation %u serves on",
		    g->failure.reload, cause, g->serving->id);
		notify_send("READY=1\nSTATUS=reload %u failed: %s",
		    g->failure.reload, cause);
		if (g->subject != NULL && g->subject->nlive > 0)
			arm_batch_deadline(sv, g->subject->arg);
	}
	if (act & GROUP_ACT_GEN_KILL) {
		b = g->subject->arg;
		log_info("generation %u: killing %zu %s still draining after "
		    "%lld ms", b->gen.id, b->gen.nlive,
		    b->gen.nlive == 1 ? "child" : "children",
		    (long long)b->cfg->stop_timeout_ms);
	}
	if (act & (GROUP_ACT_TERM_ALL | GROUP_ACT_KILL_ALL |
	    GROUP_ACT_RELOADED | GROUP_ACT_RELOAD_FAILED | GROUP_ACT_GEN_KILL))
		give_orders(sv);
	if (act & GROUP_ACT_GEN_ENDED) {
		b = g->subject->arg;
		log_info("generation %u: every child reaped", b->gen.id);
		group_gen_remove(g, &b->gen);
		batch_free(b);
	}
	/* loopexit, not loopbreak: it also holds when called before dispatch. */
	if (act & GROUP_ACT_EXIT)
		event_base_loopexit(sv->base, NULL);
	if (act & GROUP_ACT_RELOAD)
		reload(sv);
}

static void
handle_signal(struct supervisor *sv, int signo)
{
	struct forkgroup	*g = &sv->group;

	switch (signo) {
	case SIGCHLD:
		reap(sv);
		break;
	case SIGTERM:
	case SIGINT:
		if (g->state == GROUP_STOPPING)
			log_info("received SIG%s again: killing now",
			    sigabbrev_np(signo));
		else if (g->state == GROUP_KILLING)
			log_info("received SIG%s: already killing",
			    sigabbrev_np(signo));
		apply(sv, group_stop_signal(g, signo));
		break;
	case SIGHUP:
		if (g->state == GROUP_STARTING)
			log_info("received SIGHUP: reloading once every child "
			    "serves");
		else if (g->state != GROUP_RUNNING)
			log_info("received SIGHUP while stopping: ignored");
		else if (g->reloading)
			log_info("received SIGHUP during reload %u: %s",
			    g->reloads, g->reload_queued ? "one is queued "
			    "already" : "reloading again once it is over");
		apply(sv, group_reload_signal(g));
		break;
	case SIGUSR1:
		log_info("received SIGUSR1: forwarding to every child");
		signal_live(sv, SIGUSR1);
		break;
	}
}

/* In the order the signals came: the first cause must be the first event. */
static void
on_signals(evutil_socket_t fd, short what, void *arg)
{
	int	signo;

	(void)fd;
	(void)what;
	while ((signo = selfpipe_take()) > 0)
		handle_signal(arg, signo);
}

static void
supervisor_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct supervisor	*sv = arg;

	(void)fd;
	(void)what;
	apply(sv, group_deadline(&sv->group));
}

static void
on_reload_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct supervisor	*sv = arg;

	(void)fd;
	(void)what;
	apply(sv, group_reload_timeout(&sv->group));
}

static void
on_batch_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct batch	*b = arg;

	(void)fd;
	(void)what;
	apply(b->sv, group_gen_deadline(&b->sv->group, &b->gen));
}

static void
lifeline_close(struct slot *s)
{
	if (s->ev != NULL) {
		event_free(s->ev);
		s->ev = NULL;
	}
	if (s->lifeline != -1 && close(s->lifeline) == -1)
		log_warn("close lifeline of %s", s->member->name);
	s->lifeline = -1;
}

/* Ready bytes, or EOF when the child is gone; its status comes with SIGCHLD. */
static void
supervisor_on_lifeline(evutil_socket_t fd, short what, void *arg)
{
	struct slot	*s = arg;
	char		 buf[16];
	ssize_t		 n;

	(void)what;
	n = read(fd, buf, sizeof(buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (n == -1)
			log_warn("lifeline of %s", s->member->name);
		lifeline_close(s);
		return;
	}
	if (memchr(buf, LIFELINE_READY, (size_t)n) != NULL)
		apply(s->sv, group_child_ready(&s->sv->group, s->member));
}

/* Reap until nothing is left to reap: one SIGCHLD may stand for many. */
static void
reap(struct supervisor *sv)
{
	struct forkgroup	*g = &sv->group;
	struct member		*m;
	char			 how[128], which[64];
	pid_t			 pid;
	int			 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((m = group_find(g, pid)) == NULL) {
			log_warnx("reaped unknown pid %ld", (long)pid);
			continue;
		}
		group_describe_status(status, how, sizeof(how));
		which[0] = '\0';
		if (m->gen->state == GEN_RETIRING)
			snprintf(which, sizeof(which), " (generation %u, "
			    "retired)", m->gen->id);
		else if (m->gen->state == GEN_FAILED)
			snprintf(which, sizeof(which), " (generation %u, "
			    "not serving)", m->gen->id);
		else if (m->gen->state == GEN_STARTING && m->gen->id > 0)
			snprintf(which, sizeof(which), " (generation %u, "
			    "starting)", m->gen->id);
		log_info("%s (pid %ld) %s%s", m->name, (long)pid, how, which);
		apply(sv, group_child_ended(g, m, status));
	}
	if (pid == -1 && errno != ECHILD)
		log_warn("waitpid");
}

/*
 * Fork member k of batch b: worker of listener l.  -1 (logged) if the
 * child could not be forked, or was but its lifeline cannot be watched
 * (m->pid is then set: it is a member, to be killed and reaped).
 */
static int
fork_child(struct supervisor *sv, struct batch *b, size_t k,
    const struct listener_conf *l, unsigned worker)
{
	const struct lsock	*ls = listener_find(sv->sockets, &l->addr);
	struct slot		*s = &b->slots[k];
	struct member		*m = &b->members[k];
	struct child_spec	 spec;
	int			 pair[2];
	pid_t			 pid;

	config_worker_name(l, worker, m->name, sizeof(m->name));
	s->sv = sv;
	s->batch = b;
	s->member = m;
	s->conf = l;
	s->lifeline = -1;
	if (ls == NULL) {
		log_warnx("listener \"%s\": no socket for %s", m->name,
		    l->addr_text);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1) {
		log_warn("listener \"%s\": socketpair", m->name);
		return -1;
	}
	spec = (struct child_spec){ b->cfg, l, worker, b->gen.id, ls->fd,
	    pair[1], getpid(), ls->passed };
	switch (pid = fork()) {
	case -1:
		log_warn("listener \"%s\": fork", m->name);
		close(pair[0]);
		close(pair[1]);
		return -1;
	case 0:
		close(pair[0]);
		child_main(&spec);
	}
	if (close(pair[1]) == -1)
		log_warn("close");
	m->pid = pid;
	s->lifeline = pair[0];
	if (fcntl(s->lifeline, F_SETFL, O_NONBLOCK) == -1 ||
	    (s->ev = event_new(sv->base, s->lifeline, EV_READ | EV_PERSIST,
	    supervisor_on_lifeline, s)) == NULL || event_add(s->ev, NULL) == -1) {
		log_warn("lifeline of %s", m->name);
		return -1;
	}
	return 0;
}

/*
 * Fork the children of a new generation, each listener's workers on its
 * socket, and add it to the group with those forked: all of them, or
 * fewer when a fork failed (logged).  Every signal is blocked meanwhile, so
 * that one sent to a new child before it set up its own handlers stays
 * pending.  NULL, with nothing forked, when there is no memory for it.
 */
static struct batch *
batch_spawn(struct supervisor *sv, const struct config *cfg,
    struct config *owned, unsigned id)
{
	struct batch	*b;
	sigset_t	 all, old;
	size_t		 i, k = 0;
	unsigned	 w;

	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->members = calloc(cfg->nchildren, sizeof(*b->members))) ==
	    NULL || (b->slots = calloc(cfg->nchildren, sizeof(*b->slots))) ==
	    NULL) {
		log_warn("calloc");
		if (b != NULL)
			free(b->members);
		free(b);
		return NULL;
	}
	b->sv = sv;
	b->cfg = cfg;
	b->owned = owned;
	b->gen.id = id;		/* for the children; group_gen_add sets it too */
	b->gen.arg = b;
	if (sigfillset(&all) == -1 || sigprocmask(SIG_BLOCK, &all, &old) == -1) {
		log_warn("sigprocmask");
		free(b->slots);
		free(b->members);
		free(b);
		return NULL;
	}
	for (i = 0; i < cfg->nlisteners; i++)
		for (w = 1; w <= cfg->listeners[i].workers; w++, k++)
			if (fork_child(sv, b, k, &cfg->listeners[i], w) == -1) {
				if (b->members[k].pid > 0)
					k++;
				goto forked;
			}
forked:
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		log_warn("sigprocmask");
	group_gen_add(&sv->group, &b->gen, id, b->members, k);
	return b;
}

/* With its generation out of the group. */
static void
batch_free(struct batch *b)
{
	size_t	i;

	for (i = 0; i < b->gen.n; i++)
		lifeline_close(&b->slots[i]);
	if (b->deadline != NULL)
		event_free(b->deadline);
	if (b->owned != NULL) {
		config_free(b->owned);
		free(b->owned);
	}
	free(b->slots);
	free(b->members);
	free(b);
}

/*
 * SIGHUP: read the file again, give each new address a socket (a kept one
 * keeps its own, untouched), and fork the new generation on them.  Any
 * failure before the fork leaves the serving generation as it was.  The
 * group's account cannot change: the parent dropped the privileges to do
 * that, and so reads the file, binds and checks the roots as that user.
 */
static void
reload(struct supervisor *sv)
{
	struct forkgroup	*g = &sv->group;
	struct config		*cfg;
	struct batch		*b;
	struct timeval		 tv;
	char			 why[256];
	unsigned		 n = g->reloads;
	int			 bound;

	notify_send("RELOADING=1\nMONOTONIC_USEC=%lld\nSTATUS=reload %u: "
	    "reading %s", (long long)clock_us(), n, sv->path);
	log_info("reload %u: reading %s", n, sv->path);
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		log_warn("calloc");
		apply(sv, group_reload_fail(g, "out of memory"));
		return;
	}
	if (reload_config(sv, cfg, why, sizeof(why)) == -1 ||
	    (bound = listener_open(sv->sockets, cfg, false, why,
	    sizeof(why))) == -1) {
		config_free(cfg);
		free(cfg);
		apply(sv, group_reload_fail(g, why));
		return;
	}
	log_info("reload %u: %zu %s, %d on a new address; forking %zu %s", n,
	    cfg->nlisteners, cfg->nlisteners == 1 ? "listener" : "listeners",
	    bound, cfg->nchildren, cfg->nchildren == 1 ? "child" : "children");
	if ((b = batch_spawn(sv, cfg, cfg, n)) == NULL) {
		config_free(cfg);
		free(cfg);
		apply(sv, group_reload_fail(g, "out of memory"));
		return;
	}
	if (b->gen.n < cfg->nchildren) {
		snprintf(why, sizeof(why), "forked %zu of %zu children",
		    b->gen.n, cfg->nchildren);
		apply(sv, group_reload_fail(g, why));
		return;
	}
	tv = clock_timeval(cfg->reload_timeout_ms);
	if (evtimer_add(sv->reload_timer, &tv) == -1)
		apply(sv, group_reload_fail(g, "cannot arm the reload timer"));
}

/*
 * The new file, whole and checked as at start-up, every error logged as
 * file:line; -1 with a summary in why.
 */
static int
reload_config(struct supervisor *sv, struct config *cfg, char *why,
    size_t len)
{
	struct config_errors	 errs;
	size_t			 i, n;

	n = config_load(sv->path, cfg, &errs);
	if (n == 0)
		n = config_reload_check(serving_cfg(sv), cfg, &errs);
	for (i = 0; i < errs.n; i++)
		log_warnx("%s", errs.list[i].msg != NULL ? errs.list[i].msg :
		    "out of memory");
	config_errors_free(&errs);
	if (n > 0) {
		snprintf(why, len, "%zu error%s in %s", n, n == 1 ? "" : "s",
		    sv->path);
		return -1;
	}
	if (static_check_roots(cfg) == -1) {
		snprintf(why, len, "a root cannot be served (see above)");
		return -1;
	}
	return 0;
}

/*
 * The last resort when the event loop cannot go on (start-up failed, or
 * the loop broke): SIGKILL and reap every child, so that nothing is left
 * behind, still recording how each ended.
 */
static void
kill_and_reap(struct supervisor *sv)
{
	struct generation	*gen;
	struct member		*m;
	size_t			 i;
	pid_t			 pid;
	int			 status;

	group_abandon(&sv->group);
	give_orders(sv);
	TAILQ_FOREACH(gen, &sv->group.gens, entry)
		for (i = 0; i < gen->n; i++) {
			m = &gen->members[i];
			if (m->ended || m->pid <= 0)
				continue;
			while ((pid = waitpid(m->pid, &status, 0)) == -1 &&
			    errno == EINTR)
				continue;
			/* Then there is no wait status to record, and none is made up. */
			if (pid == -1) {
				log_warn("waitpid %s (pid %ld)", m->name,
				    (long)m->pid);
				continue;
			}
			group_child_ended(&sv->group, m, status);
		}
}

static int
setup_events(struct supervisor *sv)
{
	struct sigaction	 sa;
	int			 fd;

	if ((sv->base = event_base_new()) == NULL) {
		log_warnx("cannot create the event base");
		return -1;
	}
	log_attach(sv->base);
	notify_attach(sv->base);
	/* A log write must not kill the supervisor: it fails, EPIPE or EFBIG. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1 ||
	    sigaction(SIGXFSZ, &sa, NULL) == -1) {
		log_warn("sigaction SIGPIPE, SIGXFSZ");
		return -1;
	}
	if ((fd = selfpipe_open(parent_signals, NPARENT_SIGNALS)) == -1)
		return -1;
	if ((sv->ev_signals = event_new(sv->base, fd, EV_READ | EV_PERSIST,
	    on_signals, sv)) == NULL || event_add(sv->ev_signals, NULL) == -1) {
		log_warnx("cannot watch the signals");
		return -1;
	}
	if ((sv->deadline = evtimer_new(sv->base, supervisor_on_deadline, sv)) == NULL ||
	    (sv->reload_timer = evtimer_new(sv->base, on_reload_timeout,
	    sv)) == NULL) {
		log_warnx("cannot create the timers");
		return -1;
	}
	return 0;
}

static void
supervisor_teardown(struct supervisor *sv)
{
	struct generation	*gen;

	while ((gen = TAILQ_FIRST(&sv->group.gens)) != NULL) {
		group_gen_remove(&sv->group, gen);
		batch_free(gen->arg);
	}
	if (sv->ev_signals != NULL)
		event_free(sv->ev_signals);
	selfpipe_close();
	if (sv->deadline != NULL)
		event_free(sv->deadline);
	if (sv->reload_timer != NULL)
		event_free(sv->reload_timer);
	log_detach();
	notify_detach();
	if (sv->base != NULL)
		event_base_free(sv->base);
	listener_close_all(sv->sockets);
}

static int
parent_signal_set(sigset_t *set)
{
	size_t	i;

	if (sigemptyset(set) == -1)
		return -1;
	for (i = 0; i < NPARENT_SIGNALS; i++)
		if (sigaddset(set, parent_signals[i]) == -1)
			return -1;
	return 0;
}

/*
 * First thing in main, before the supervisor has its handlers: until then
 * these signals would take their default action, which kills the parent
 * half-started, or for PID 1 of a pid namespace discards them (a SIGTERM
 * lost: the group would start and serve).  Blocked, they stay pending, and
 * supervisor_run acts on them once its handlers are in place.  old gets
 * the mask from before.
 */
int
supervisor_block_signals(sigset_t *old)
{
	sigset_t	set;

	if (parent_signal_set(&set) == -1)
		return -1;
	return sigprocmask(SIG_BLOCK, &set, old);
}

/*
 * Run the group on the sockets of ss (the supervisor's from here on, and
 * closed when the group stops) and return the parent's exit status.  The
 * event base is made before the first fork, as it must be before any
 * later one: a child closes every descriptor it was not given and resets
 * every signal action before it unblocks the signals, and never touches
 * the parent's base.
 */
int
supervisor_run(const struct config *cfg, struct sockets *ss)
{
	struct supervisor	 sv;
	struct batch		*b;
	sigset_t		 all, set;
	char			 summary[512];
	int			 status;

	memset(&sv, 0, sizeof(sv));
	sv.path = cfg->path;
	sv.sockets = ss;
	sv.stop_began_ms = -1;
	group_init(&sv.group);
	if (setup_events(&sv) == -1) {
		supervisor_teardown(&sv);
		return FG_EXIT_OSERR;
	}
	b = batch_spawn(&sv, cfg, NULL, 0);
	if (b == NULL || b->gen.n < cfg->nchildren) {
		log_warnx("start-up failed: killing %zu children",
		    b != NULL ? b->gen.n : 0);
		kill_and_reap(&sv);
		supervisor_teardown(&sv);
		return FG_EXIT_OSERR;
	}
	log_info("started %zu %s", b->gen.n, b->gen.n == 1 ? "child" :
	    "children");
	/* The handlers are in place: what supervisor_block_signals held comes now. */
	if (parent_signal_set(&set) == -1 ||
	    sigprocmask(SIG_UNBLOCK, &set, NULL) == -1)
		log_warn("sigprocmask");
	if (event_base_dispatch(sv.base) == -1)
		log_warnx("event loop failed");
	/*
	 * Nothing is handled from here on, and freeing the signal events in
	 * teardown restores the default actions: a late SIGHUP or SIGUSR1
	 * (logrotate, a storm) would kill the parent after its last log line,
	 * with a wait status other than the exit status it logged.
	 */
	if (sigfillset(&all) == -1 || sigprocmask(SIG_BLOCK, &all, NULL) == -1)
		log_warn("sigprocmask");
	if (sv.group.state != GROUP_DONE) {
		/* The loop broke with children alive: never leave one behind. */
		if (sv.stop_began_ms < 0)
			sv.stop_began_ms = clock_ms();
		kill_and_reap(&sv);
	}
	group_summary(&sv.group, clock_ms() - sv.stop_began_ms, summary,
	    sizeof(summary));
	log_info("%s", summary);
	status = group_exit_status(&sv.group);
	supervisor_teardown(&sv);
	return status;
}
