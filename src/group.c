/* group.c: the supervisor's decisions as a pure state machine: which event moves the group where, what to do, what exit status. */
#include <sys/wait.h>

#include <signal.h>
#include <string.h>

#include "forkgroup.h"

static unsigned	 begin_stop(struct forkgroup *);

void
group_init(struct forkgroup *g, struct member *members, size_t n)
{
	memset(g, 0, sizeof(*g));
	g->state = GROUP_STARTING;
	g->members = members;
	g->n = n;
	g->nlive = n;
}

struct member *
group_find(struct forkgroup *g, pid_t pid)
{
	size_t	i;

	for (i = 0; i < g->n; i++)
		if (g->members[i].pid == pid && !g->members[i].ended)
			return &g->members[i];
	return NULL;
}

static unsigned
begin_stop(struct forkgroup *g)
{
	g->state = GROUP_STOPPING;
	if (g->nlive == 0) {
		g->state = GROUP_DONE;
		return GROUP_ACT_EXIT;
	}
	return GROUP_ACT_TERM_ALL | GROUP_ACT_ARM_DEADLINE;
}

unsigned
group_child_ready(struct forkgroup *g, struct member *m)
{
	if (m->ready || m->ended)
		return 0;
	m->ready = true;
	g->nready++;
	if (g->state == GROUP_STARTING && g->nready == g->n) {
		g->state = GROUP_RUNNING;
		return GROUP_ACT_READY;
	}
	return 0;
}

/* The first child to end is the cause; later ends are only counted. */
unsigned
group_child_ended(struct forkgroup *g, struct member *m, int wstatus)
{
	if (m->ended)
		return 0;
	m->ended = true;
	m->wstatus = wstatus;
	g->nlive--;
	switch (g->state) {
	case GROUP_STARTING:
	case GROUP_RUNNING:
		g->cause.kind = CAUSE_CHILD;
		g->cause.member = (size_t)(m - g->members);
		g->cause.during_start = g->state == GROUP_STARTING;
		return begin_stop(g);
	case GROUP_STOPPING:
	case GROUP_KILLING:
		if (g->nlive > 0)
			return 0;
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
	return GROUP_ACT_KILL_ALL;
}

/* Only a stop that was asked for is a success; anything else is a failure. */
int
group_exit_status(const struct forkgroup *g)
{
	return g->cause.kind == CAUSE_SIGNAL ? FG_EXIT_STOPPED : FG_EXIT_CHILD;
}

/* Children that the parent's SIGKILL ended. */
size_t
group_count_killed(const struct forkgroup *g)
{
	size_t	i, n = 0;

	for (i = 0; i < g->n; i++) {
		const struct member *m = &g->members[i];

		if (m->sent_kill && m->ended && WIFSIGNALED(m->wstatus) &&
		    WTERMSIG(m->wstatus) == SIGKILL)
			n++;
	}
	return n;
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
	const struct member	*m;
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
		m = &g->members[g->cause.member];
		group_describe_status(m->wstatus, how, sizeof(how));
		snprintf(buf, len, "listener \"%s\" (pid %ld) %s%s", m->name,
		    (long)m->pid, how,
		    g->cause.during_start ? " during start-up" : "");
		break;
	}
}

/* The last log line: the cause, and how the rest of the group ended. */
void
group_summary(const struct forkgroup *g, int64_t stop_ms, char *buf, size_t len)
{
	char	cause[256];
	size_t	others = g->n - (g->cause.kind == CAUSE_CHILD ? 1 : 0);

	group_describe_cause(g, cause, sizeof(cause));
	snprintf(buf, len, "exit %d: %s; stopped %zu %s in %lld ms "
	    "(%zu killed)", group_exit_status(g), cause, others,
	    g->cause.kind == CAUSE_CHILD ? (others == 1 ? "other" : "others") :
	    (others == 1 ? "child" : "children"), (long long)stop_ms,
	    group_count_killed(g));
}
