/* nosyscall.c: run a command where openat2(2) fails with a given errno, as under a kernel before 5.6 or a seccomp profile that does not know it, for the tests of the resolve fallback. */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The tests run native binaries only: the filter knows one ABI. */
#if defined(__x86_64__) && !defined(__ILP32__)
#define NOSYSCALL_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NOSYSCALL_ARCH	AUDIT_ARCH_AARCH64
#endif

/* automake's exit statuses: the test skips on 77, stops on 99. */
#define EXIT_SKIP	77
#define EXIT_HARD	99

static int	 errno_named(const char *);
static int	 deny_openat2(int);
static void	 usage(void) __attribute__((noreturn));

static int
errno_named(const char *name)
{
	if (strcmp(name, "ENOSYS") == 0)
		return ENOSYS;
	if (strcmp(name, "EPERM") == 0)
		return EPERM;
	return -1;
}

/* Returns 0 once the filter is in place, else the exit status. */
static int
deny_openat2(int err)
{
#if defined(NOSYSCALL_ARCH) && defined(SYS_openat2)
	struct sock_filter	insns[] = {
		/*
		 * A system call of another ABI (i386 on x86_64) has other
		 * numbers: kill rather than let it through unchecked.
		 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NOSYSCALL_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO |
		    ((unsigned)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog	prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	/* Without CAP_SYS_ADMIN, a filter needs no_new_privs. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		perror("nosyscall: PR_SET_NO_NEW_PRIVS");
		return EXIT_SKIP;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		perror("nosyscall: PR_SET_SECCOMP");
		return errno == EINVAL ? EXIT_SKIP : EXIT_HARD;
	}
	return 0;
#else
	(void)err;
	fprintf(stderr, "nosyscall: no seccomp filter for this machine\n");
	return EXIT_SKIP;
#endif
}

static void
usage(void)
{
	fprintf(stderr, "usage: nosyscall ENOSYS|EPERM command [arg ...]\n");
	exit(EXIT_HARD);
}

int
main(int argc, char *argv[])
{
	int	err, status;

	if (argc < 3 || (err = errno_named(argv[1])) == -1)
		usage();
	if ((status = deny_openat2(err)) != 0)
		return status;
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nosyscall: %s: %s\n", argv[2], strerror(errno));
	return EXIT_HARD;
}
