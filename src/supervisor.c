/* supervisor.c: the parent after binding: fork one child per listener, then reap, cascade and decide the exit status. */
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

/* A child's lifeline byte: its event loop serves. */
#define LIFELINE_READY	'R'

struct slot {
	struct supervisor	*sv;
	struct member		*member;
	int			 lifeline;
	struct event		*ev;
};

struct supervisor {
	const struct config	*cfg;
	struct event_base	*base;
	struct forkgroup		 group;
	struct member		*members;
	struct slot		*slots;
	struct event		*ev_signals;	/* the self-pipe */
	struct event		*deadline;
	int64_t			 stop_began_ms;
	bool			 told_stopping;	/* STOPPING=1 sent */
};

static const int parent_signals[] = { SIGTERM, SIGINT, SIGCHLD, SIGHUP, SIGUSR1 };
#define NPARENT_SIGNALS	(sizeof(parent_signals) / sizeof(parent_signals[0]))

static void	 signal_live(struct supervisor *, int);
static void	 apply(struct supervisor *, unsigned);
static void	 handle_signal(struct supervisor *, int);
static void	 on_signals(evutil_socket_t, short, void *);
static void	 on_deadline(evutil_socket_t, short, void *);
static void	 on_lifeline(evutil_socket_t, short, void *);
static void	 lifeline_close(struct slot *);
static void	 reap(struct supervisor *);
static int	 spawn(struct supervisor *, size_t, int *);
static void	 kill_and_reap(struct supervisor *, size_t);
static int	 setup_events(struct supervisor *);
static void	 teardown(struct supervisor *);


static void
signal_live(struct supervisor *sv, int signo)
{
	struct forkgroup	*g = &sv->group;
	size_t		 i;

	for (i = 0; i < g->n; i++) {
		struct member *m = &g->members[i];

		if (m->ended)
			continue;
		if (signo == SIGKILL)
			m->sent_kill = true;
		/* ESRCH: dead but not yet reaped; SIGCHLD will tell. */
		if (kill(m->pid, signo) == -1 && errno != ESRCH)
			log_warn("kill %s (pid %ld)", m->name, (long)m->pid);
	}
}

static void
apply(struct supervisor *sv, unsigned act)
{
	struct forkgroup	*g = &sv->group;
	char		 cause[256];

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
		log_info("%zu/%zu listeners serving", g->n, g->n);
		notify_send("READY=1\nSTATUS=%zu/%zu listeners serving", g->n,
		    g->n);
	}
	if (act & GROUP_ACT_TERM_ALL) {
		group_describe_cause(g, cause, sizeof(cause));
		log_info("stopping %zu %s: %s", g->nlive,
		    g->nlive == 1 ? "child" : "children", cause);
		signal_live(sv, SIGTERM);
	}
	if (act & GROUP_ACT_ARM_DEADLINE) {
		struct timeval tv = clock_timeval(sv->cfg->stop_timeout_ms);

		if (evtimer_add(sv->deadline, &tv) == -1) {
			/* No bound on the stop is worse than a short one. */
			log_warnx("cannot arm the stop timer; killing now");
			act |= GROUP_ACT_KILL_ALL;
			g->state = GROUP_KILLING;
		}
	}
	if (act & GROUP_ACT_KILL_ALL) {
		log_info("killing %zu %s still alive after %lld ms",
		    g->nlive, g->nlive == 1 ? "child" : "children",
		    (long long)(clock_ms() - sv->stop_began_ms));
		signal_live(sv, SIGKILL);
	}
	/* loopexit, not loopbreak: it also holds when called before dispatch. */
	if (act & GROUP_ACT_EXIT)
		event_base_loopexit(sv->base, NULL);
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
		log_info("received SIGHUP: ignored (reload is not supported)");
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
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct supervisor	*sv = arg;

	(void)fd;
	(void)what;
	apply(sv, group_deadline(&sv->group));
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
on_lifeline(evutil_socket_t fd, short what, void *arg)
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
	struct member	*m;
	char		 how[128];
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((m = group_find(g, pid)) == NULL) {
			log_warnx("reaped unknown pid %ld", (long)pid);
			continue;
		}
		group_describe_status(status, how, sizeof(how));
		log_info("%s (pid %ld) %s", m->name, (long)pid, how);
		apply(sv, group_child_ended(g, m, status));
	}
	if (pid == -1 && errno != ECHILD)
		log_warn("waitpid");
}

/*
 * Fork the child for listener i.  Signals are blocked by the caller, so one
 * sent to the new child before it set up its own handlers stays pending.
 */
static int
spawn(struct supervisor *sv, size_t i, int *fds)
{
	const struct listener_conf	*l = &sv->cfg->listeners[i];
	struct slot			*s = &sv->slots[i];
	int				 pair[2];
	pid_t				 pid, parent = getpid();

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1) {
		log_warn("listener \"%s\": socketpair", l->name);
		return -1;
	}
	switch (pid = fork()) {
	case -1:
		log_warn("listener \"%s\": fork", l->name);
		close(pair[0]);
		close(pair[1]);
		return -1;
	case 0:
		close(pair[0]);
		child_main(sv->cfg, l, fds[i], pair[1], parent);
	}
	if (close(pair[1]) == -1)
		log_warn("close");
	s->sv = sv;
	s->member = &sv->members[i];
	s->member->name = l->name;
	s->member->pid = pid;
	s->lifeline = pair[0];
	return 0;
}

/*
 * The last resort when the event loop cannot go on (start-up failed after n
 * forks, or the loop broke): SIGKILL and reap the first n children, so
 * nothing is left behind, still recording how each ended.
 */
static void
kill_and_reap(struct supervisor *sv, size_t n)
{
	struct member	*m;
	size_t		 i;
	pid_t		 pid;
	int		 status;

	for (i = 0; i < n; i++) {
		m = &sv->members[i];
		if (m->ended || m->pid <= 0)
			continue;
		m->sent_kill = true;
		if (kill(m->pid, SIGKILL) == -1 && errno != ESRCH)
			log_warn("kill %s (pid %ld)", m->name, (long)m->pid);
	}
	for (i = 0; i < n; i++) {
		m = &sv->members[i];
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

/*
 * The event base is made only after every fork, so that no child inherits
 * libevent's state (its signal pipe, its epoll instance).  Signals that came
 * meanwhile are still pending: blocked signals are never discarded.
 */
static int
setup_events(struct supervisor *sv)
{
	struct sigaction	 sa;
	struct slot		*s;
	size_t			 i;
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
	if ((sv->deadline = evtimer_new(sv->base, on_deadline, sv)) == NULL) {
		log_warnx("cannot create the stop timer");
		return -1;
	}
	for (i = 0; i < sv->cfg->nlisteners; i++) {
		s = &sv->slots[i];
		if (fcntl(s->lifeline, F_SETFL, O_NONBLOCK) == -1 ||
		    (s->ev = event_new(sv->base, s->lifeline,
		    EV_READ | EV_PERSIST, on_lifeline, s)) == NULL ||
		    event_add(s->ev, NULL) == -1) {
			log_warn("lifeline of %s", s->member->name);
			return -1;
		}
	}
	return 0;
}

static void
teardown(struct supervisor *sv)
{
	size_t	i;

	for (i = 0; sv->slots != NULL && i < sv->cfg->nlisteners; i++)
		lifeline_close(&sv->slots[i]);
	if (sv->ev_signals != NULL)
		event_free(sv->ev_signals);
	selfpipe_close();
	if (sv->deadline != NULL)
		event_free(sv->deadline);
	log_detach();
	notify_detach();
	if (sv->base != NULL)
		event_base_free(sv->base);
	free(sv->slots);
	free(sv->members);
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
	size_t		i;

	if (sigemptyset(&set) == -1)
		return -1;
	for (i = 0; i < NPARENT_SIGNALS; i++)
		if (sigaddset(&set, parent_signals[i]) == -1)
			return -1;
	return sigprocmask(SIG_BLOCK, &set, old);
}

/*
 * Run the group on the bound sockets fds (closed here once the children
 * have them) and return the parent's exit status.
 */
int
supervisor_run(const struct config *cfg, int *fds)
{
	struct supervisor	 sv;
	sigset_t		 all, old;
	char			 summary[512];
	size_t			 i, n = cfg->nlisteners;
	int			 status;

	memset(&sv, 0, sizeof(sv));
	sv.cfg = cfg;
	sv.stop_began_ms = -1;
	if ((sv.members = calloc(n, sizeof(*sv.members))) == NULL ||
	    (sv.slots = calloc(n, sizeof(*sv.slots))) == NULL) {
		log_warn("calloc");
		listener_close_all(fds, n);
		teardown(&sv);
		return FG_EXIT_OSERR;
	}
	for (i = 0; i < n; i++)
		sv.slots[i].lifeline = -1;
	group_init(&sv.group, sv.members, n);
	if (sigfillset(&all) == -1 || sigprocmask(SIG_BLOCK, &all, &old) == -1) {
		log_warn("sigprocmask");
		listener_close_all(fds, n);
		teardown(&sv);
		return FG_EXIT_OSERR;
	}
	for (i = 0; i < n; i++)
		if (spawn(&sv, i, fds) == -1)
			break;
	/* The children hold the sockets now; a port is free once they exit. */
	listener_close_all(fds, n);
	if (i < n || setup_events(&sv) == -1) {
		log_warnx("start-up failed: killing %zu children", i);
		kill_and_reap(&sv, n);
		teardown(&sv);
		return FG_EXIT_OSERR;
	}
	log_info("started %zu %s", n, n == 1 ? "child" : "children");
	/* The handlers are in place: what supervisor_block_signals held comes now. */
	for (i = 0; i < NPARENT_SIGNALS; i++)
		(void)sigdelset(&old, parent_signals[i]);
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		log_warn("sigprocmask");
	/* A child may have died before SIGCHLD had a handler. */
	reap(&sv);
	if (event_base_dispatch(sv.base) == -1)
		log_warnx("event loop failed");
	/*
	 * Nothing is handled from here on, and freeing the signal events in
	 * teardown restores the default actions: a late SIGHUP or SIGUSR1
	 * (logrotate, a storm) would kill the parent after its last log line,
	 * with a wait status other than the exit status it logged.
	 */
	if (sigprocmask(SIG_BLOCK, &all, NULL) == -1)
		log_warn("sigprocmask");
	if (sv.group.state != GROUP_DONE) {
		/* The loop broke with children alive: never leave one behind. */
		if (sv.stop_began_ms < 0)
			sv.stop_began_ms = clock_ms();
		kill_and_reap(&sv, n);
	}
	group_summary(&sv.group, clock_ms() - sv.stop_began_ms, summary,
	    sizeof(summary));
	log_info("%s", summary);
	status = group_exit_status(&sv.group);
	teardown(&sv);
	return status;
}
