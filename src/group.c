/* group.c: the supervisor's decisions as a pure state machine: generations of members, which event moves the group where, who is told what, what exit status. */
#include <sys/wait.h>

#include <signal.h>
#include <string.h>

#include "forkgroup.h"

/*
 * The members come in generations: the first is forked at start-up, and
 * each reload forks one more on the same sockets.  Only the serving
 * generation's members are full members: the end of one is the first
 * cause.  A reload's generation is starting until each of its members is
 * ready; then it serves and the one before it retires.  A starting
 * generation whose member ends, or that is not ready within reload_timeout,
 * has failed: the reload fails and the serving generation serves on.
 * Retiring and failed generations drain, bounded by their stop_timeout, and
 * are forgotten once every member is reaped.  group.c marks whom to tell
 * (drain) or kill; the supervisor gives each order once (told, sent_kill).
 */

static void	 end_record(struct ending *, const struct member *);
static void	 mark_drain(struct generation *);
static void	 mark_kill(struct generation *);
static void	 mark_kill_all(struct forkgroup *);
static unsigned	 begin_stop(struct forkgroup *);
static unsigned	 begin_reload(struct forkgroup *);
static unsigned	 fail_reload(struct forkgroup *, enum failure_kind,
		    const struct member *, const char *);
static unsigned	 gen_left(struct forkgroup *, struct generation *);

void
group_init(struct forkgroup *g)
{
	memset(g, 0, sizeof(*g));
	g->state = GROUP_STARTING;
	TAILQ_INIT(&g->gens);
}

/*
 * The first generation serves from the start (a child ending during
 * start-up is a cause); a reload's starts until each member is ready.
 */
void
group_gen_add(struct forkgroup *g, struct generation *gen, unsigned id,
    struct member *members, size_t n)
{
	size_t	i;

	gen->id = id;
	gen->state = GEN_STARTING;
	gen->members = members;
	gen->n = gen->nlive = n;
	gen->nready = 0;
	for (i = 0; i < n; i++)
		members[i].gen = gen;
	TAILQ_INSERT_TAIL(&g->gens, gen, entry);
	g->nlive += n;
	if (g->serving == NULL)
		g->serving = gen;
	else
		g->starting = gen;
}

/* After GROUP_ACT_GEN_ENDED: the supervisor frees it. */
void
group_gen_remove(struct forkgroup *g, struct generation *gen)
{
	TAILQ_REMOVE(&g->gens, gen, entry);
	if (g->subject == gen)
		g->subject = NULL;
	if (g->starting == gen)
		g->starting = NULL;
}

struct member *
group_find(struct forkgroup *g, pid_t pid)
{
	struct generation	*gen;
	size_t			 i;

	TAILQ_FOREACH(gen, &g->gens, entry)
		for (i = 0; i < gen->n; i++)
			if (gen->members[i].pid == pid &&
			    !gen->members[i].ended)
				return &gen->members[i];
	return NULL;
}

static void
end_record(struct ending *e, const struct member *m)
{
	memcpy(e->name, m->name, sizeof(e->name));
	e->pid = m->pid;
	e->wstatus = m->wstatus;
}

static void
mark_drain(struct generation *gen)
{
	size_t	i;

	for (i = 0; i < gen->n; i++)
		if (!gen->members[i].ended)
			gen->members[i].drain = true;
}

static void
mark_kill(struct generation *gen)
{
	size_t	i;

	for (i = 0; i < gen->n; i++)
		if (!gen->members[i].ended)
			gen->members[i].kill = true;
}

static void
mark_kill_all(struct forkgroup *g)
{
	struct generation	*gen;

	TAILQ_FOREACH(gen, &g->gens, entry)
		mark_kill(gen);
}

/* Every generation stops; a reload under way is given up. */
static unsigned
begin_stop(struct forkgroup *g)
{
	struct generation	*gen;

	g->state = GROUP_STOPPING;
	g->stopped = g->nlive;
	g->reloading = g->reload_queued = false;
	if (g->starting != NULL) {
		g->starting->state = GEN_FAILED;
		g->starting = NULL;
	}
	if (g->nlive == 0) {
		g->state = GROUP_DONE;
		return GROUP_ACT_EXIT;
	}
	TAILQ_FOREACH(gen, &g->gens, entry)
		mark_drain(gen);
	return GROUP_ACT_TERM_ALL | GROUP_ACT_ARM_DEADLINE;
}

static unsigned
begin_reload(struct forkgroup *g)
{
	g->reload_queued = false;
	g->reloading = true;
	g->reloads++;
	return GROUP_ACT_RELOAD;
}

/*
 * The reload under way failed: its generation, if it has one, drains; the
 * serving one serves on.  A SIGHUP that came meanwhile starts the next.
 */
static unsigned
fail_reload(struct forkgroup *g, enum failure_kind kind,
    const struct member *m, const char *why)
{
	struct generation	*gen = g->starting;
	unsigned		 act = GROUP_ACT_RELOAD_FAILED;

	memset(&g->failure, 0, sizeof(g->failure));
	g->failure.kind = kind;
	g->failure.reload = g->reloads;
	if (m != NULL)
		end_record(&g->failure.child, m);
	if (why != NULL)
		snprintf(g->failure.why, sizeof(g->failure.why), "%s", why);
	g->reloading = false;
	g->subject = gen;
	if (gen != NULL) {
		gen->state = GEN_FAILED;
		g->starting = NULL;
		mark_drain(gen);
		act |= gen_left(g, gen);
	}
	if (g->reload_queued)
		act |= begin_reload(g);
	return act;
}

/* A generation that no longer serves is forgotten with its last member. */
static unsigned
gen_left(struct forkgroup *g, struct generation *gen)
{
	if (gen == g->serving || gen == g->starting || gen->nlive > 0)
		return 0;
	g->subject = gen;
	return GROUP_ACT_GEN_ENDED;
}

unsigned
group_child_ready(struct forkgroup *g, struct member *m)
{
	struct generation	*gen = m->gen, *old;
	unsigned		 act;

	if (m->ready || m->ended)
		return 0;
	m->ready = true;
	gen->nready++;
	if (gen->state != GEN_STARTING || gen->nready < gen->n)
		return 0;
	if (g->state == GROUP_STARTING) {
		gen->state = GEN_SERVING;
		g->state = GROUP_RUNNING;
		/* A SIGHUP during start-up waited for this. */
		return GROUP_ACT_READY |
		    (g->reload_queued ? begin_reload(g) : 0);
	}
	if (g->state != GROUP_RUNNING || gen != g->starting)
		return 0;
	old = g->serving;
	old->state = GEN_RETIRING;
	mark_drain(old);
	gen->state = GEN_SERVING;
	g->serving = gen;
	g->starting = NULL;
	g->subject = old;
	g->reloading = false;
	act = GROUP_ACT_RELOADED;
	if (g->reload_queued)
		act |= begin_reload(g);
	return act;
}

/*
 * The first end of a serving member is the cause; a starting member's end
 * fails its reload; a retiring or failed member's end is only counted.
 */
unsigned
group_child_ended(struct forkgroup *g, struct member *m, int wstatus)
{
	struct generation	*gen = m->gen;
	bool			 stopping;

	if (m->ended)
		return 0;
	m->ended = true;
	m->wstatus = wstatus;
	gen->nlive--;
	g->nlive--;
	stopping = g->state == GROUP_STOPPING || g->state == GROUP_KILLING;
	if (stopping && m->sent_kill && WIFSIGNALED(wstatus) &&
	    WTERMSIG(wstatus) == SIGKILL)
		g->nkilled++;
	switch (g->state) {
	case GROUP_STARTING:
	case GROUP_RUNNING:
		if (gen == g->serving) {
			g->cause.kind = CAUSE_CHILD;
			end_record(&g->cause.child, m);
			g->cause.during_start = g->state == GROUP_STARTING;
			return begin_stop(g);
		}
		if (gen == g->starting)
			return fail_reload(g, FAILURE_CHILD, m, NULL);
		return gen_left(g, gen);
	case GROUP_STOPPING:
	case GROUP_KILLING:
		if (g->nlive > 0)
			return gen_left(g, gen);
		g->state = GROUP_DONE;
		return GROUP_ACT_EXIT;
	case GROUP_DONE:
		break;
	}
	return 0;
}

/* SIGTERM/SIGINT: the first one stops the group, a second one kills it now. */
unsigned
group_stop_signal(struct forkgroup *g, int signo)
{
	switch (g->state) {
	case GROUP_STARTING:
	case GROUP_RUNNING:
		g->cause.kind = CAUSE_SIGNAL;
		g->cause.signo = signo;
		return begin_stop(g);
	case GROUP_STOPPING:
		g->state = GROUP_KILLING;
		mark_kill_all(g);
		return GROUP_ACT_KILL_ALL;
	case GROUP_KILLING:
	case GROUP_DONE:
		break;
	}
	return 0;
}

/* stop_timeout elapsed. */
unsigned
group_deadline(struct forkgroup *g)
{
	if (g->state != GROUP_STOPPING)
		return 0;
	g->state = GROUP_KILLING;
	mark_kill_all(g);
	return GROUP_ACT_KILL_ALL;
}

/*
 * SIGHUP: a reload now, or once the one under way is over (queued once,
 * however many come), or once start-up is over; never while stopping.
 */
unsigned
group_reload_signal(struct forkgroup *g)
{
	switch (g->state) {
	case GROUP_STARTING:
		g->reload_queued = true;
		return 0;
	case GROUP_RUNNING:
		if (g->reloading) {
			g->reload_queued = true;
			return 0;
		}
		return begin_reload(g);
	case GROUP_STOPPING:
	case GROUP_KILLING:
	case GROUP_DONE:
		break;
	}
	return 0;
}

/* The supervisor could not make the new generation; why says what failed. */
unsigned
group_reload_fail(struct forkgroup *g, const char *why)
{
	if (!g->reloading)
		return 0;
	return fail_reload(g, FAILURE_SUPERVISOR, NULL, why);
}

/* reload_timeout elapsed. */
unsigned
group_reload_timeout(struct forkgroup *g)
{
	if (!g->reloading || g->starting == NULL)
		return 0;
	return fail_reload(g, FAILURE_TIMEOUT, NULL, NULL);
}

/* stop_timeout of a retiring or failed generation elapsed. */
unsigned
group_gen_deadline(struct forkgroup *g, struct generation *gen)
{
	if (g->state == GROUP_KILLING || g->state == GROUP_DONE ||
	    (gen->state != GEN_RETIRING && gen->state != GEN_FAILED) ||
	    gen->nlive == 0)
		return 0;
	mark_kill(gen);
	g->subject = gen;
	return GROUP_ACT_GEN_KILL;
}

/*
 * The supervisor cannot go on: kill every child, with no cause of its own,
 * so that the ends it reaps next are not taken for one.
 */
unsigned
group_abandon(struct forkgroup *g)
{
	if (g->state == GROUP_DONE)
		return 0;
	if (g->state == GROUP_STARTING || g->state == GROUP_RUNNING)
		g->stopped = g->nlive;
	g->state = GROUP_KILLING;
	g->reloading = g->reload_queued = false;
	g->starting = NULL;
	mark_kill_all(g);
	if (g->nlive == 0) {
		g->state = GROUP_DONE;
		return GROUP_ACT_EXIT;
	}
	return GROUP_ACT_KILL_ALL;
}

/* Only a stop that was asked for is a success; anything else is a failure. */
int
group_exit_status(const struct forkgroup *g)
{
	return g->cause.kind == CAUSE_SIGNAL ? FG_EXIT_STOPPED : FG_EXIT_CHILD;
}

void
group_describe_status(int wstatus, char *buf, size_t len)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by signal %d (%s)%s",
		    WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)),
		    WCOREDUMP(wstatus) ? ", core dumped" : "");
	else
		snprintf(buf, len, "ended with wait status %#x", wstatus);
}

void
group_describe_cause(const struct forkgroup *g, char *buf, size_t len)
{
	const struct ending	*e = &g->cause.child;
	char			 how[128];

	switch (g->cause.kind) {
	case CAUSE_NONE:
		snprintf(buf, len, "the supervisor failed");
		break;
	case CAUSE_SIGNAL:
		snprintf(buf, len, "received SIG%s",
		    sigabbrev_np(g->cause.signo));
		break;
	case CAUSE_CHILD:
		group_describe_status(e->wstatus, how, sizeof(how));
		snprintf(buf, len, "listener \"%s\" (pid %ld) %s%s", e->name,
		    (long)e->pid, how,
		    g->cause.during_start ? " during start-up" : "");
		break;
	}
}

/* Why the last reload failed, after "reload N failed: ". */
void
group_describe_failure(const struct forkgroup *g, char *buf, size_t len)
{
	const struct ending	*e = &g->failure.child;
	char			 how[128];

	switch (g->failure.kind) {
	case FAILURE_NONE:
		snprintf(buf, len, "no reason");
		break;
	case FAILURE_SUPERVISOR:
		snprintf(buf, len, "%s", g->failure.why);
		break;
	case FAILURE_CHILD:
		group_describe_status(e->wstatus, how, sizeof(how));
		snprintf(buf, len, "listener \"%s\" (pid %ld) %s before its "
		    "generation served", e->name, (long)e->pid, how);
		break;
	case FAILURE_TIMEOUT:
		snprintf(buf, len, "its children were not all ready within "
		    "reload_timeout");
		break;
	}
}

/* The last log line: the cause, and how the rest of the group ended. */
void
group_summary(const struct forkgroup *g, int64_t stop_ms, char *buf, size_t len)
{
	char	cause[256];
	size_t	others = g->stopped;

	group_describe_cause(g, cause, sizeof(cause));
	snprintf(buf, len, "exit %d: %s; stopped %zu %s in %lld ms "
	    "(%zu killed)", group_exit_status(g), cause, others,
	    g->cause.kind == CAUSE_CHILD ? (others == 1 ? "other" : "others") :
	    (others == 1 ? "child" : "children"), (long long)stop_ms,
	    g->nkilled);
}
