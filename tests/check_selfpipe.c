/* check_selfpipe.c: unit tests of selfpipe.c: signals handed out in the order they came, coalesced until taken, and the old actions restored. */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "check_suites.h"

/*
 * selfpipe: raise(3) runs the handler before it returns, as a signal that
 * comes while the parent sleeps in its loop or in a system call does.
 * Each test is a process of its own (CK_FORK): its handlers die with it.
 */
static const int selfpipe_test_signals[] = { SIGTERM, SIGINT, SIGCHLD,
    SIGHUP, SIGUSR1 };

static void
selfpipe_setup(void)
{
	ck_assert_int_ne(selfpipe_open(selfpipe_test_signals,
	    sizeof(selfpipe_test_signals) / sizeof(selfpipe_test_signals[0])),
	    -1);
}

/* A child's end before a SIGTERM: handed out in that order, not by number. */
START_TEST(selfpipe_arrival_order)
{
	selfpipe_setup();
	ck_assert_int_eq(raise(SIGCHLD), 0);
	ck_assert_int_eq(raise(SIGTERM), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGHUP), 0);
	ck_assert_int_eq(selfpipe_take(), SIGCHLD);
	ck_assert_int_eq(selfpipe_take(), SIGTERM);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), SIGHUP);
	ck_assert_int_eq(selfpipe_take(), 0);
	selfpipe_close();
}
END_TEST

/* Not yet handed out: a signal again is the same one, as in the kernel. */
START_TEST(selfpipe_coalesces_until_taken)
{
	int	i;

	selfpipe_setup();
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGCHLD), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), SIGCHLD);
	ck_assert_int_eq(selfpipe_take(), 0);
	/* Once taken, the next one is new. */
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_take(), SIGUSR1);
	ck_assert_int_eq(selfpipe_take(), 0);
	selfpipe_close();
}
END_TEST

/* Closed, the actions from before are back: here SIGUSR1's default, ignored for the test. */
START_TEST(selfpipe_close_restores)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	selfpipe_setup();
	selfpipe_close();
	ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
	ck_assert_ptr_eq((void *)sa.sa_handler, (void *)SIG_IGN);
	ck_assert_int_eq(raise(SIGUSR1), 0);
}
END_TEST

Suite *
selfpipe_suite(void)
{
	Suite	*s = suite_create("selfpipe");
	TCase	*tc;

	tc = tcase_create("order");
	tcase_add_test(tc, selfpipe_arrival_order);
	tcase_add_test(tc, selfpipe_coalesces_until_taken);
	tcase_add_test(tc, selfpipe_close_restores);
	suite_add_tcase(s, tc);
	return s;
}
