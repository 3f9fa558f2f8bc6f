/* sigstorm.c: send a seeded random mix of signals to one process, spread evenly over a duration, for the signal storm test. */
#include <sys/syscall.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define SIGNALS_MAX	16
#define FIRST		SIGNALS_MAX	/* the slot of -f's signal in kinds */

struct kind {
	int		 signo;
	const char	*name;
	unsigned long	 sent;
};

static void	 usage(void);
static int	 parse_signal(const char *);
static int	 open_target(pid_t, const char *);

static void
usage(void)
{
	fprintf(stderr, "usage: sigstorm [-n count] [-d ms] [-s seed] "
	    "[-f first] [-t starttime] -k SIG,SIG,... pid\n");
	exit(2);
}

static int
parse_signal(const char *name)
{
	static const struct {
		const char	*name;
		int		 signo;
	} known[] = {
		{ "TERM", SIGTERM }, { "INT", SIGINT }, { "CHLD", SIGCHLD },
		{ "HUP", SIGHUP }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	};
	size_t	i;

	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i].name) == 0)
			return known[i].signo;
	fprintf(stderr, "sigstorm: unknown signal \"%s\"\n", name);
	exit(2);
}


/*
 * A pidfd names the process itself, not its number: once the target has
 * been reaped, and the shell that started it reaps at once, its pid may go
 * to another process, which must never get the rest of the storm.  With
 * start (field 22 of /proc/PID/stat), the pid is checked to still be the
 * process the caller meant when the pidfd was taken.
 */
static int
open_target(pid_t pid, const char *start)
{
	char	 path[64], line[1024], *p, *tok, *save;
	FILE	*fp;
	int	 fd, field;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1) {
		fprintf(stderr, "sigstorm: pidfd_open %ld: %s\n", (long)pid,
		    strerror(errno));
		exit(2);
	}
	if (start == NULL)
		return fd;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fp = fopen(path, "r")) == NULL || fgets(line, sizeof(line),
	    fp) == NULL || (p = strrchr(line, ')')) == NULL) {
		fprintf(stderr, "sigstorm: cannot read %s\n", path);
		exit(2);
	}
	fclose(fp);
	/* Field 3, the state, follows ") "; the start time is field 22. */
	for (field = 3, tok = strtok_r(p + 2, " ", &save); tok != NULL &&
	    field < 22; field++)
		tok = strtok_r(NULL, " ", &save);
	if (tok == NULL || strcmp(tok, start) != 0) {
		fprintf(stderr, "sigstorm: pid %ld is not the process that "
		    "started at %s\n", (long)pid, start);
		exit(2);
	}
	return fd;
}

/*
 * Signal i goes out at start + i * duration / count: a storm that keeps its
 * rate however the scheduler treats us.  A target that has ended does not
 * stop the storm: ESRCH is counted, never fatal.
 */
int
main(int argc, char *argv[])
{
	struct kind	 kinds[SIGNALS_MAX + 1];
	struct timespec	 ts;
	uint64_t	 state;
	int64_t		 start, due, wait_ns, spent;
	unsigned long	 failed = 0;
	size_t		 nkinds = 0, k;
	long		 count = 1000, duration_ms = 1000, i;
	char		*list = NULL, *start_time = NULL, *tok, *save;
	pid_t		 pid;
	int		 ch, first = 0, pidfd;

	state = 1;
	while ((ch = getopt(argc, argv, "d:f:k:n:s:t:")) != -1) {
		switch (ch) {
		case 'd':
			duration_ms = testutil_number("sigstorm", optarg, 0, 600000);
			break;
		case 'f':
			first = parse_signal(optarg);
			kinds[FIRST].signo = first;
			kinds[FIRST].name = optarg;
			kinds[FIRST].sent = 0;
			break;
		case 'k':
			list = optarg;
			break;
		case 'n':
			count = testutil_number("sigstorm", optarg, 1, 10000000);
			break;
		case 's':
			/* Odd: distinct seeds stay distinct and non-zero. */
			state = (uint64_t)testutil_number("sigstorm", optarg, 0,
			    LONG_MAX - 1) + 1;
			state *= 0x9E3779B97F4A7C15ULL;
			break;
		case 't':
			start_time = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || list == NULL)
		usage();
	pid = (pid_t)testutil_number("sigstorm", argv[optind], 2, LONG_MAX);
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (nkinds == SIGNALS_MAX)
			usage();
		kinds[nkinds].signo = parse_signal(tok);
		kinds[nkinds].name = tok;
		kinds[nkinds].sent = 0;
		nkinds++;
	}
	if (nkinds == 0)
		usage();
	pidfd = open_target(pid, start_time);

	start = testutil_now_ns();
	for (i = 0; i < count; i++) {
		due = start + (int64_t)i * duration_ms * 1000000 / count;
		if ((wait_ns = due - testutil_now_ns()) > 0) {
			ts.tv_sec = wait_ns / 1000000000;
			ts.tv_nsec = wait_ns % 1000000000;
			nanosleep(&ts, NULL);
		}
		k = i == 0 && first != 0 ? FIRST :
		    (size_t)(testutil_random(&state) % nkinds);
		if (syscall(SYS_pidfd_send_signal, pidfd, kinds[k].signo, NULL,
		    0) == -1) {
			if (errno != ESRCH) {
				perror("sigstorm: pidfd_send_signal");
				return 1;
			}
			failed++;
		} else
			kinds[k].sent++;
	}
	spent = (testutil_now_ns() - start) / 1000000;
	printf("sent");
	if (first != 0)
		printf(" first %s=%lu", kinds[FIRST].name, kinds[FIRST].sent);
	for (k = 0; k < nkinds; k++)
		printf(" %s=%lu", kinds[k].name, kinds[k].sent);
	printf(" in %lld ms; esrch=%lu\n", (long long)spent, failed);
	return 0;
}
