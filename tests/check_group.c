/* check_group.c: unit tests of group.c: the supervisor's decisions as a state machine: first cause, orders, deadlines, exit status, generations and reloads. */
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"

static void		 members_make(struct member *, size_t, const char *,
			    pid_t);
static void		 group_setup(size_t);
static void		 group_running(size_t);
static struct generation *reload_start(struct member *, size_t);
static void		 reload_serve(struct member *, size_t);
static char		*describe(int);
static void		 assert_marked(const struct member *, size_t, bool, bool);

/* group.c */

#define GROUP_STOP	(GROUP_ACT_TERM_ALL | GROUP_ACT_ARM_DEADLINE)
#define EXITED(n)	W_EXITCODE(n, 0)
#define KILLED(s)	W_EXITCODE(0, s)

static struct forkgroup		g;
static struct generation	gen0, gen1, gen2;
static struct member		m[4];	/* gen0: the first generation */
static struct member		m1[4];	/* gen1: the first reload's */
static struct member		m2[4];	/* gen2: the second reload's */

/* n members named after names, with pids from pid on. */
static void
members_make(struct member *list, size_t n, const char *suffix, pid_t pid)
{
	static const char	*names[] = { "api", "web", "admin", "metrics" };
	size_t			 i;

	ck_assert_uint_le(n, 4);
	memset(list, 0, 4 * sizeof(*list));
	for (i = 0; i < n; i++) {
		snprintf(list[i].name, sizeof(list[i].name), "%s%s", names[i],
		    suffix);
		list[i].pid = pid + (pid_t)i;
	}
}

static void
group_setup(size_t n)
{
	group_init(&g);
	members_make(m, n, "", 4242);
	memset(&gen0, 0, sizeof(gen0));
	group_gen_add(&g, &gen0, 0, m, n);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_ptr_null(g.starting);
	ck_assert_uint_eq(g.nlive, n);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
}

/* All members ready, the group running. */
static void
group_running(size_t n)
{
	size_t	i;

	group_setup(n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(group_child_ready(&g, &m[i]),
		    i == n - 1 ? GROUP_ACT_READY : 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(gen0.state, GEN_SERVING);
}

/* A SIGHUP, and the n members of its generation forked. */
static struct generation *
reload_start(struct member *list, size_t n)
{
	struct generation	*gen = list == m1 ? &gen1 : &gen2;

	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert(g.reloading);
	members_make(list, n, list == m1 ? "#r" : "#q",
	    list == m1 ? 5000 : 6000);
	memset(gen, 0, sizeof(*gen));
	group_gen_add(&g, gen, g.reloads, list, n);
	ck_assert_ptr_eq(g.starting, gen);
	ck_assert_int_eq(gen->state, GEN_STARTING);
	return gen;
}

/* ... and each of them ready: the new generation serves. */
static void
reload_serve(struct member *list, size_t n)
{
	struct generation	*old = g.serving, *gen;
	size_t			 i;

	gen = reload_start(list, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(group_child_ready(&g, &list[i]),
		    i == n - 1 ? GROUP_ACT_RELOADED : 0);
	ck_assert_ptr_eq(g.serving, gen);
	ck_assert_int_eq(gen->state, GEN_SERVING);
	ck_assert_int_eq(old->state, GEN_RETIRING);
	ck_assert_ptr_eq(g.subject, old);
	ck_assert_ptr_null(g.starting);
	ck_assert(!g.reloading);
}

static char *
describe(int wstatus)
{
	static char	buf[128];

	group_describe_status(wstatus, buf, sizeof(buf));
	return buf;
}

static void
assert_marked(const struct member *list, size_t n, bool drain, bool kill)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (list[i].ended)
			continue;
		ck_assert_msg(list[i].drain == drain, "%s: drain %d",
		    list[i].name, list[i].drain);
		ck_assert_msg(list[i].kill == kill, "%s: kill %d",
		    list[i].name, list[i].kill);
	}
}

START_TEST(group_ready_all)
{
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert(m[1].ready);
	/* Saying ready twice must not count twice. */
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_uint_eq(gen0.nready, 1);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), GROUP_ACT_READY);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_uint_eq(gen0.nready, 3);
	/* Announced once only. */
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

START_TEST(group_ready_single)
{
	group_setup(1);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), GROUP_ACT_READY);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

START_TEST(group_ready_after_stop)
{
	/* A child that says ready once the stop began never makes it READY. */
	group_setup(2);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);

	/* Nor does a dead one, nor the rest once one died. */
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
	ck_assert(!m[1].ready);
	ck_assert_uint_eq(group_child_ready(&g, &m[2]), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
}
END_TEST

START_TEST(group_end_during_start)
{
	group_setup(3);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(78)), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web");
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_int_eq(g.cause.child.wstatus, EXITED(78));
	ck_assert(g.cause.during_start);
	ck_assert(m[1].ended);
	ck_assert_int_eq(m[1].wstatus, EXITED(78));
	ck_assert_uint_eq(g.nlive, 2);
	/* The others are to be told to drain; none to be killed yet. */
	assert_marked(m, 3, true, false);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_end_while_running)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGKILL)),
	    GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(g.cause.child.pid, 4244);
	ck_assert(!g.cause.during_start);
	ck_assert_uint_eq(g.nlive, 2);
	ck_assert_uint_eq(g.stopped, 2);
	/* A clean exit is a cause too: the group lives and dies together. */
	group_running(2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_later_ends)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(3)), GROUP_STOP);
	/* The rest end as asked, or on their own: no new action, same cause. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGSEGV)), 0);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_uint_eq(g.nlive, 1);
	/* Reaped twice is ended once. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), 0);
	ck_assert_uint_eq(g.nlive, 1);
	ck_assert_int_eq(m[0].wstatus, KILLED(SIGSEGV));
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGTERM)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(g.nlive, 0);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(g.cause.child.pid, 4243);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_single_member)
{
	/* Nobody is left to stop: exit at once, no TERM, no deadline. */
	group_running(1);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "api");
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);

	group_setup(1);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)),
	    GROUP_ACT_EXIT);
	ck_assert(g.cause.during_start);
	ck_assert_int_eq(g.state, GROUP_DONE);
}
END_TEST

START_TEST(group_signal_stop)
{
	group_running(3);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_int_eq(g.cause.signo, SIGTERM);
	assert_marked(m, 3, true, false);
	/* Children ending as asked change nothing until the last. */
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], EXITED(0)), 0);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_signal_during_start)
{
	group_setup(2);
	ck_assert_uint_eq(group_stop_signal(&g, SIGINT), GROUP_STOP);
	ck_assert_int_eq(g.state, GROUP_STOPPING);
	ck_assert_int_eq(g.cause.kind, CAUSE_SIGNAL);
	ck_assert_int_eq(g.cause.signo, SIGINT);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_second_signal)
{
	group_running(2);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(group_stop_signal(&g, SIGINT), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	assert_marked(m, 2, true, true);
	/* The first signal stays the cause. */
	ck_assert_int_eq(g.cause.signo, SIGTERM);
	/* A third has nothing left to escalate to, nor has the deadline. */
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), 0);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), 0);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_signal_after_child)
{
	/* A signal during a stop a child caused kills, and does not succeed. */
	group_running(2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_empty)
{
	group_setup(0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

START_TEST(group_deadline_stopping)
{
	group_running(3);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)), 0);
	ck_assert_uint_eq(group_deadline(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	ck_assert(m[2].kill);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[2], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.state, GROUP_DONE);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_DONE);
}
END_TEST

START_TEST(group_deadline_elsewhere)
{
	/* A late timer from nowhere must not kill a healthy group. */
	group_setup(2);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_STARTING);
	group_running(2);
	ck_assert_uint_eq(group_deadline(&g), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	assert_marked(m, 2, false, false);
}
END_TEST

START_TEST(group_exit_status_none)
{
	/* No recorded cause is a failure, never a success. */
	group_setup(2);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
	g.cause.kind = CAUSE_SIGNAL;
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
	g.cause.kind = CAUSE_CHILD;
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_find_pid)
{
	group_setup(3);
	ck_assert_ptr_eq(group_find(&g, 4242), &m[0]);
	ck_assert_ptr_eq(group_find(&g, 4244), &m[2]);
	ck_assert_ptr_null(group_find(&g, 4245));
	ck_assert_ptr_null(group_find(&g, 1));
	/* Once reaped, its pid may be reused by anyone. */
	group_child_ended(&g, &m[2], EXITED(0));
	ck_assert_ptr_null(group_find(&g, 4244));
	ck_assert_ptr_eq(group_find(&g, 4243), &m[1]);

	/* Across generations. */
	group_running(2);
	reload_start(m1, 2);
	ck_assert_ptr_eq(group_find(&g, 4243), &m[1]);
	ck_assert_ptr_eq(group_find(&g, 5001), &m1[1]);
	ck_assert_ptr_eq(m1[1].gen, &gen1);
	ck_assert_ptr_eq(m[1].gen, &gen0);
}
END_TEST

START_TEST(group_killed_count)
{
	group_running(4);
	ck_assert_uint_eq(g.nkilled, 0);
	group_stop_signal(&g, SIGTERM);
	group_deadline(&g);
	/* Sent SIGKILL and died of it: counted. */
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	/* Sent SIGKILL, but had exited already. */
	m[1].sent_kill = true;
	group_child_ended(&g, &m[1], EXITED(0));
	/* Killed by hand, not by the parent. */
	group_child_ended(&g, &m[2], KILLED(SIGKILL));
	/* Sent SIGKILL, died of the earlier SIGTERM. */
	m[3].sent_kill = true;
	ck_assert_uint_eq(g.nkilled, 1);
	/* Not reaped yet: a stale status must not count. */
	m[3].wstatus = KILLED(SIGKILL);
	ck_assert_uint_eq(g.nkilled, 1);
	group_child_ended(&g, &m[3], KILLED(SIGTERM));
	ck_assert_uint_eq(g.nkilled, 1);

	group_running(2);
	group_stop_signal(&g, SIGTERM);
	group_deadline(&g);
	m[0].sent_kill = m[1].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], KILLED(SIGKILL) | WCOREFLAG);
	ck_assert_uint_eq(g.nkilled, 2);

	/* Killed by a retiring generation's own deadline: not the stop's. */
	group_running(2);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), GROUP_ACT_GEN_KILL);
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	ck_assert_uint_eq(g.nkilled, 0);
}
END_TEST

START_TEST(group_abandoned)
{
	/* The supervisor gave up: kill all; what it reaps is not a cause. */
	group_running(2);
	ck_assert_uint_eq(group_abandon(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.state, GROUP_KILLING);
	assert_marked(m, 2, false, true);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGKILL)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
	ck_assert_uint_eq(g.stopped, 2);

	/* Mid-stop, the cause and the count stay. */
	group_running(3);
	group_child_ended(&g, &m[0], EXITED(1));
	ck_assert_uint_eq(group_abandon(&g), GROUP_ACT_KILL_ALL);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_uint_eq(g.stopped, 2);
}
END_TEST

/* A reload: the new generation serves once all are ready; the old drains. */
START_TEST(group_reload_serves)
{
	group_running(2);
	reload_serve(m1, 3);
	ck_assert_uint_eq(g.reloads, 1);
	ck_assert_uint_eq(gen1.id, 1);
	/* The old generation is to drain; the new one is left alone. */
	assert_marked(m, 2, true, false);
	assert_marked(m1, 3, false, false);
	ck_assert_uint_eq(g.nlive, 5);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

/* A retiring child's end is not a first cause. */
START_TEST(group_retiring_end)
{
	group_running(2);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], KILLED(SIGKILL)), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	/* With its last member, the generation is to be forgotten. */
	ck_assert_uint_eq(group_child_ended(&g, &m[1], EXITED(0)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen0);
	group_gen_remove(&g, &gen0);
	ck_assert_ptr_null(g.subject);
	ck_assert_ptr_eq(TAILQ_FIRST(&g.gens), &gen1);
	ck_assert_ptr_null(TAILQ_NEXT(&gen1, entry));
	/* The new generation's members are full members. */
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(1)), GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web#r");
	ck_assert(!g.cause.during_start);
	ck_assert_uint_eq(g.stopped, 1);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

/* A starting generation's child dying before ready fails the reload only. */
START_TEST(group_reload_child_dies)
{
	group_running(2);
	reload_start(m1, 3);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(1)),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	ck_assert_int_eq(g.cause.kind, CAUSE_NONE);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_int_eq(gen0.state, GEN_SERVING);
	ck_assert_int_eq(gen1.state, GEN_FAILED);
	ck_assert_ptr_eq(g.subject, &gen1);
	ck_assert_ptr_null(g.starting);
	ck_assert(!g.reloading);
	ck_assert_int_eq(g.failure.kind, FAILURE_CHILD);
	ck_assert_uint_eq(g.failure.reload, 1);
	ck_assert_str_eq(g.failure.child.name, "web#r");
	/* Its other members drain; the serving ones are left alone. */
	assert_marked(m1, 3, true, false);
	assert_marked(m, 2, false, false);
	/* Ready too late: nothing. */
	ck_assert_uint_eq(group_child_ready(&g, &m1[2]), 0);
	ck_assert_ptr_eq(g.serving, &gen0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[2], EXITED(0)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen1);
	group_gen_remove(&g, &gen1);
	/* The next SIGHUP is a new reload. */
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 2);
	/* And a serving member's end is still the cause. */
	ck_assert_uint_eq(group_reload_fail(&g, "x"), GROUP_ACT_RELOAD_FAILED);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(0)), GROUP_STOP);
	ck_assert_int_eq(g.cause.child.pid, 4242);
}
END_TEST

START_TEST(group_reload_times_out)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	reload_start(m1, 2);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	ck_assert_uint_eq(group_reload_timeout(&g), GROUP_ACT_RELOAD_FAILED);
	ck_assert_int_eq(g.failure.kind, FAILURE_TIMEOUT);
	ck_assert_int_eq(gen1.state, GEN_FAILED);
	assert_marked(m1, 2, true, false);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	/* Its stop_timeout: the members still draining are killed. */
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), GROUP_ACT_GEN_KILL);
	ck_assert_ptr_eq(g.subject, &gen1);
	ck_assert(m1[1].kill);
	assert_marked(m, 2, false, false);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], KILLED(SIGKILL)),
	    GROUP_ACT_GEN_ENDED);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), 0);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
}
END_TEST

/* The file, a socket or a fork failed: no generation, or part of one. */
START_TEST(group_reload_fails)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_fail(&g, "2 errors"), 0);
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(group_reload_fail(&g, "2 errors in a.conf"),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_ptr_null(g.subject);
	ck_assert_int_eq(g.failure.kind, FAILURE_SUPERVISOR);
	ck_assert_str_eq(g.failure.why, "2 errors in a.conf");
	ck_assert(!g.reloading);
	ck_assert_uint_eq(group_reload_fail(&g, "again"), 0);

	/* One of two forks failed: the one forked drains. */
	reload_start(m1, 1);
	ck_assert_uint_eq(group_reload_fail(&g, "fork: x"),
	    GROUP_ACT_RELOAD_FAILED);
	ck_assert_ptr_eq(g.subject, &gen1);
	assert_marked(m1, 1, true, false);

	/* None forked: nothing to wait for. */
	reload_start(m2, 0);
	ck_assert_uint_eq(group_reload_fail(&g, "fork: y"),
	    GROUP_ACT_RELOAD_FAILED | GROUP_ACT_GEN_ENDED);
	ck_assert_ptr_eq(g.subject, &gen2);
	ck_assert_uint_eq(g.failure.reload, 3);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	assert_marked(m, 2, false, false);
}
END_TEST

/* A SIGHUP during a reload is queued once. */
START_TEST(group_reload_queued)
{
	group_running(2);
	ck_assert_uint_eq(group_reload_signal(&g), GROUP_ACT_RELOAD);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(g.reload_queued);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(g.reloads, 1);
	members_make(m1, 2, "#r", 5000);
	group_gen_add(&g, &gen1, 1, m1, 2);
	ck_assert_uint_eq(group_child_ready(&g, &m1[0]), 0);
	/* Served: the queued one starts at once, the one and only. */
	ck_assert_uint_eq(group_child_ready(&g, &m1[1]),
	    GROUP_ACT_RELOADED | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 2);
	ck_assert(g.reloading);
	ck_assert(!g.reload_queued);
	/* Likewise after a failure. */
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_reload_fail(&g, "x"),
	    GROUP_ACT_RELOAD_FAILED | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.failure.reload, 2);
	ck_assert_uint_eq(g.reloads, 3);
	ck_assert_uint_eq(group_reload_fail(&g, "y"), GROUP_ACT_RELOAD_FAILED);
	ck_assert(!g.reloading);
}
END_TEST

/* During start-up a SIGHUP waits until the group serves. */
START_TEST(group_reload_during_start)
{
	group_setup(2);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(g.reload_queued);
	ck_assert(!g.reloading);
	ck_assert_uint_eq(group_child_ready(&g, &m[0]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]),
	    GROUP_ACT_READY | GROUP_ACT_RELOAD);
	ck_assert_uint_eq(g.reloads, 1);

	/* A start-up that fails forgets it. */
	group_setup(2);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m[0], EXITED(1)), GROUP_STOP);
	ck_assert(!g.reload_queued);
	ck_assert_uint_eq(group_child_ready(&g, &m[1]), 0);
}
END_TEST

START_TEST(group_reload_while_stopping)
{
	group_running(2);
	group_stop_signal(&g, SIGTERM);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert(!g.reloading);
	ck_assert(!g.reload_queued);
	ck_assert_uint_eq(g.reloads, 0);
}
END_TEST

/* SIGTERM during a reload stops every generation and exits 0. */
START_TEST(group_stop_during_reload)
{
	size_t	i;

	group_running(2);
	reload_serve(m1, 2);
	reload_start(m2, 3);
	ck_assert_uint_eq(group_child_ready(&g, &m2[0]), 0);
	ck_assert_uint_eq(group_reload_signal(&g), 0);
	ck_assert_uint_eq(group_stop_signal(&g, SIGTERM), GROUP_STOP);
	ck_assert_uint_eq(g.stopped, 7);
	ck_assert(!g.reloading);
	ck_assert(!g.reload_queued);
	ck_assert_ptr_null(g.starting);
	ck_assert_int_eq(gen2.state, GEN_FAILED);
	assert_marked(m, 2, true, false);
	assert_marked(m1, 2, true, false);
	assert_marked(m2, 3, true, false);
	/* The rest of the reload comes to nothing. */
	ck_assert_uint_eq(group_child_ready(&g, &m2[1]), 0);
	ck_assert_uint_eq(group_child_ready(&g, &m2[2]), 0);
	ck_assert_ptr_eq(g.serving, &gen1);
	ck_assert_uint_eq(group_reload_timeout(&g), 0);
	for (i = 0; i < 2; i++)
		group_child_ended(&g, &m[i], EXITED(0));
	for (i = 0; i < 3; i++)
		group_child_ended(&g, &m2[i], EXITED(0));
	ck_assert_uint_eq(group_child_ended(&g, &m1[0], EXITED(0)), 0);
	ck_assert_uint_eq(group_child_ended(&g, &m1[1], EXITED(0)),
	    GROUP_ACT_EXIT);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_STOPPED);
}
END_TEST

/* A serving member's end during a reload stops everything: a cause. */
START_TEST(group_serving_end_during_reload)
{
	group_running(2);
	reload_start(m1, 2);
	ck_assert_uint_eq(group_child_ended(&g, &m[1], KILLED(SIGSEGV)),
	    GROUP_STOP);
	ck_assert_int_eq(g.cause.kind, CAUSE_CHILD);
	ck_assert_str_eq(g.cause.child.name, "web");
	assert_marked(m1, 2, true, false);
	ck_assert_uint_eq(g.stopped, 3);
	ck_assert_int_eq(group_exit_status(&g), FG_EXIT_CHILD);
}
END_TEST

START_TEST(group_retired_deadline)
{
	group_running(2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), 0);
	reload_serve(m1, 2);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen1), 0);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), GROUP_ACT_GEN_KILL);
	assert_marked(m, 2, true, true);
	assert_marked(m1, 2, false, false);
	ck_assert_int_eq(g.state, GROUP_RUNNING);
	/* While killing everything, there is nothing more to do. */
	group_stop_signal(&g, SIGTERM);
	group_stop_signal(&g, SIGTERM);
	ck_assert_uint_eq(group_gen_deadline(&g, &gen0), 0);
}
END_TEST

START_TEST(group_status_text)
{
	ck_assert_str_eq(describe(EXITED(0)), "exited with status 0");
	ck_assert_str_eq(describe(EXITED(1)), "exited with status 1");
	ck_assert_str_eq(describe(EXITED(255)), "exited with status 255");
	ck_assert_str_eq(describe(3 << 8), "exited with status 3");
	ck_assert_str_eq(describe(KILLED(SIGKILL)),
	    "killed by signal 9 (Killed)");
	ck_assert_str_eq(describe(SIGTERM), "killed by signal 15 (Terminated)");
	ck_assert_str_eq(describe(KILLED(SIGSEGV) | WCOREFLAG),
	    "killed by signal 11 (Segmentation fault), core dumped");
	ck_assert_str_eq(describe(KILLED(SIGABRT) | WCOREFLAG),
	    "killed by signal 6 (Aborted), core dumped");
	ck_assert_str_eq(describe(W_STOPCODE(SIGSTOP)),
	    "ended with wait status 0x137f");
	ck_assert_str_eq(describe(0xffff), "ended with wait status 0xffff");
}
END_TEST

START_TEST(group_status_truncated)
{
	char	buf[8];

	memset(buf, 'x', sizeof(buf));
	group_describe_status(EXITED(1), buf, sizeof(buf));
	ck_assert_str_eq(buf, "exited ");
}
END_TEST

START_TEST(group_cause_text)
{
	char	buf[256];

	group_setup(2);
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "the supervisor failed");
	group_stop_signal(&g, SIGINT);
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "received SIGINT");

	group_setup(2);
	group_child_ended(&g, &m[1], EXITED(78));
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "listener \"web\" (pid 4243) exited with status 78 during start-up");

	group_running(2);
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_describe_cause(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "listener \"api\" (pid 4242) killed by signal 9 (Killed)");
}
END_TEST

START_TEST(group_failure_text)
{
	char	buf[256];

	group_running(2);
	reload_start(m1, 2);
	group_child_ended(&g, &m1[1], EXITED(1));
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "listener \"web#r\" (pid 5001) exited with "
	    "status 1 before its generation served");
	reload_start(m2, 1);
	group_reload_timeout(&g);
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "its children were not all ready within reload_timeout");
	group_reload_signal(&g);
	group_reload_fail(&g, "cannot bind 127.0.0.1:80: Permission denied");
	group_describe_failure(&g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "cannot bind 127.0.0.1:80: Permission denied");
	ck_assert_uint_eq(g.failure.reload, 3);
}
END_TEST

START_TEST(group_summary_child)
{
	char	buf[512];

	/* The example of DESIGN.md, to the letter. */
	group_running(3);
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], EXITED(0));
	group_child_ended(&g, &m[2], EXITED(0));
	group_summary(&g, 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"api\" (pid 4242) killed by "
	    "signal 9 (Killed); stopped 2 others in 12 ms (0 killed)");

	group_setup(2);
	group_child_ended(&g, &m[1], EXITED(2));
	group_deadline(&g);
	m[0].sent_kill = true;
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_summary(&g, 5001, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"web\" (pid 4243) exited with "
	    "status 2 during start-up; stopped 1 other in 5001 ms (1 killed)");

	group_running(1);
	group_child_ended(&g, &m[0], EXITED(0));
	group_summary(&g, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: listener \"api\" (pid 4242) exited with "
	    "status 0; stopped 0 others in 0 ms (0 killed)");
}
END_TEST

START_TEST(group_summary_signal)
{
	char	buf[512];

	group_running(4);
	group_stop_signal(&g, SIGTERM);
	group_stop_signal(&g, SIGTERM);
	m[0].sent_kill = m[1].sent_kill = m[2].sent_kill = true;
	group_child_ended(&g, &m[3], EXITED(0));
	group_child_ended(&g, &m[0], KILLED(SIGKILL));
	group_child_ended(&g, &m[1], KILLED(SIGKILL));
	group_child_ended(&g, &m[2], EXITED(0));
	group_summary(&g, 37, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 0: received SIGTERM; stopped 4 children "
	    "in 37 ms (2 killed)");

	group_running(1);
	group_stop_signal(&g, SIGINT);
	group_child_ended(&g, &m[0], EXITED(0));
	group_summary(&g, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "exit 0: received SIGINT; stopped 1 child in 3 ms (0 killed)");

	group_running(2);
	group_abandon(&g);
	group_summary(&g, 7, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 1: the supervisor failed; stopped 2 "
	    "children in 7 ms (0 killed)");

	/* Every generation alive when the stop began is counted; no other. */
	group_running(2);
	reload_serve(m1, 3);
	group_child_ended(&g, &m[0], EXITED(0));
	group_stop_signal(&g, SIGTERM);
	group_summary(&g, 9, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit 0: received SIGTERM; stopped 4 children "
	    "in 9 ms (0 killed)");
}
END_TEST

Suite *
group_suite(void)
{
	Suite	*s = suite_create("group");
	TCase	*tc;

	tc = tcase_create("start");
	tcase_add_test(tc, group_ready_all);
	tcase_add_test(tc, group_ready_single);
	tcase_add_test(tc, group_ready_after_stop);
	suite_add_tcase(s, tc);
	tc = tcase_create("child ends");
	tcase_add_test(tc, group_end_during_start);
	tcase_add_test(tc, group_end_while_running);
	tcase_add_test(tc, group_later_ends);
	tcase_add_test(tc, group_single_member);
	suite_add_tcase(s, tc);
	tc = tcase_create("stop signal");
	tcase_add_test(tc, group_signal_stop);
	tcase_add_test(tc, group_signal_during_start);
	tcase_add_test(tc, group_second_signal);
	tcase_add_test(tc, group_signal_after_child);
	tcase_add_test(tc, group_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("deadline");
	tcase_add_test(tc, group_deadline_stopping);
	tcase_add_test(tc, group_deadline_elsewhere);
	suite_add_tcase(s, tc);
	tc = tcase_create("reload");
	tcase_add_test(tc, group_reload_serves);
	tcase_add_test(tc, group_retiring_end);
	tcase_add_test(tc, group_reload_child_dies);
	tcase_add_test(tc, group_reload_times_out);
	tcase_add_test(tc, group_reload_fails);
	tcase_add_test(tc, group_reload_queued);
	tcase_add_test(tc, group_reload_during_start);
	tcase_add_test(tc, group_reload_while_stopping);
	tcase_add_test(tc, group_stop_during_reload);
	tcase_add_test(tc, group_serving_end_during_reload);
	tcase_add_test(tc, group_retired_deadline);
	suite_add_tcase(s, tc);
	tc = tcase_create("outcome");
	tcase_add_test(tc, group_exit_status_none);
	tcase_add_test(tc, group_find_pid);
	tcase_add_test(tc, group_killed_count);
	tcase_add_test(tc, group_abandoned);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, group_status_text);
	tcase_add_test(tc, group_status_truncated);
	tcase_add_test(tc, group_cause_text);
	tcase_add_test(tc, group_failure_text);
	tcase_add_test(tc, group_summary_child);
	tcase_add_test(tc, group_summary_signal);
	suite_add_tcase(s, tc);
	return s;
}
