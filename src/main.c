/* main.c: command line, configuration, binding; then the supervisor takes over. */
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

static void	 usage(FILE *);
static void	 ensure_stdio(void);
static void	 raise_nofile(void);
static int	 start(const struct config *, bool, bool);

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: forkgroup [-hrtvV] [-f file]\n"
	    "  -f file  configuration file (default %s)\n"
	    "  -t       check the configuration and that every address can be "
	    "bound, then exit\n"
	    "  -r       with -t: the file is for a running group's reload; an "
	    "address\n"
	    "           in use is not an error\n"
	    "  -v       log debug lines too: the supervisor's decisions, drains,\n"
	    "           connection deadlines and requests\n"
	    "  -V       print the version and exit\n"
	    "  -h       print this help and exit\n", FORKGROUP_CONF);
}

/*
 * With fd 0, 1 or 2 closed, a listening socket could become "stderr" and
 * receive log lines.  Fill the holes with /dev/null first.
 */
static void
ensure_stdio(void)
{
	int	fd;

	do {
		if ((fd = open("/dev/null", O_RDWR)) == -1) {
			/* Nowhere to log either; exit before doing harm. */
			exit(FG_EXIT_OSERR);
		}
	} while (fd <= STDERR_FILENO);
	if (close(fd) == -1)
		exit(FG_EXIT_OSERR);
}

/*
 * Every connection costs a child a descriptor: take all the hard limit
 * allows, so that many idle or slow clients exhaust it later, not sooner.
 */
static void
raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit RLIMIT_NOFILE");
		return;
	}
	if (rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			log_warn("setrlimit RLIMIT_NOFILE to %llu",
			    (unsigned long long)rl.rlim_max);
			if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
				return;
		}
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		log_info("open files limit: unlimited");
	else
		log_info("open files limit: %llu",
		    (unsigned long long)rl.rlim_cur);
}

/*
 * Everything up to the fork, in the order that fails cheapest first.  With
 * test, stop before dropping privileges and report; with beside (-r), an
 * address in use is only noted.  Returns an exit status.
 */
static int
start(const struct config *cfg, bool test, bool beside)
{
	struct account	 acct;
	struct sockets	 ss = { NULL, 0 };
	char		 err[256];
	int		 status;

	/* Both, so that one run reports every mistake. */
	status = privdrop_check(cfg, &acct);
	if (static_check_roots(cfg) == -1 || status == -1)
		return FG_EXIT_CONFIG;
	if (!test) {
		raise_nofile();
		notify_init();
	}
	if (!test && activation_take(cfg, &ss) == -1)
		status = FG_EXIT_CONFIG;
	else if (listener_open(&ss, cfg, beside, err, sizeof(err)) == -1)
		status = FG_EXIT_OSERR;
	else if (test) {
		fprintf(stderr, "forkgroup: configuration %s ok\n", cfg->path);
		status = 0;
	} else if (privdrop_apply(cfg, &acct) == -1)
		status = FG_EXIT_OSERR;
	else {
		log_nonblocking();
		status = supervisor_run(cfg, &ss);
	}
	listener_close_all(&ss);
	notify_close();
	return status;
}

int
main(int argc, char *argv[])
{
	struct config		 cfg;
	struct config_errors	 errs;
	const char		*path = FORKGROUP_CONF;
	bool			 test = false, beside = false;
	int			 ch, status, blocked;
	size_t			 i;
	sigset_t		 mask;

	/* Before anything that takes time: a stop asked for now is kept. */
	blocked = supervisor_block_signals(&mask);
	ensure_stdio();
	log_init("forkgroup");
	if (blocked == -1) {
		log_warn("cannot block signals");
		return FG_EXIT_OSERR;
	}
	/* Without titles ps shows every child as the parent's command line. */
	if (proctitle_init(argc, argv) == -1)
		log_warn("cannot make room for process titles");
	while ((ch = getopt(argc, argv, "f:hrtvV")) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'r':
			beside = true;
			break;
		case 't':
			test = true;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'V':
			printf("forkgroup %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return FG_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "forkgroup: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		return FG_EXIT_USAGE;
	}
	if (beside && !test) {
		fprintf(stderr, "forkgroup: -r goes with -t\n");
		usage(stderr);
		return FG_EXIT_USAGE;
	}
	/* A check starts no group: Ctrl-C ends it, even while it reads a FIFO. */
	if (test && sigprocmask(SIG_SETMASK, &mask, NULL) == -1) {
		log_warn("sigprocmask");
		return FG_EXIT_OSERR;
	}

	if (config_load(path, &cfg, &errs) > 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "forkgroup: %s\n", errs.list[i].msg !=
			    NULL ? errs.list[i].msg : "out of memory");
		fprintf(stderr, "forkgroup: %zu error%s in %s\n", errs.n,
		    errs.n == 1 ? "" : "s", path);
		config_errors_free(&errs);
		config_free(&cfg);
		return FG_EXIT_CONFIG;
	}
	status = start(&cfg, test, beside);
	config_free(&cfg);
	return status;
}
