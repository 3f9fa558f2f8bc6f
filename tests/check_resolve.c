/* check_resolve.c: unit tests of resolve.c: opening beneath the root against a real directory tree, every way out refused, and /proc. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"

static void		 make_tree(void);
static void		 remove_tree(void);
static int		 open_with(int (*)(int, const char *, int), const char *);

/* resolve_openat2, resolve_walk, resolve_open: on a real tree */

static char	tree[64];
static int	rootfd = -1;

/*
 * tree/outside.txt, tree/outside/secret and tree/root/ with index.html,
 * sub/file.txt and symlinks: link_in -> sub/file.txt (stays inside),
 * link_up -> ../outside.txt, link_abs -> TREE/outside.txt,
 * dir_out -> ../outside, sub/up -> ../../outside.txt, magic -> /proc/self/cwd.
 */
static void
make_tree(void)
{
	FILE	*fp;
	char	 abs[PATH_MAX + 32];

	/* Again each time: CK_FORK=no runs every test in one process. */
	snprintf(tree, sizeof(tree), "/tmp/check_resolve.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tree));
	ck_assert_int_eq(chdir(tree), 0);
	ck_assert_int_eq(mkdir("root", 0755), 0);
	ck_assert_int_eq(mkdir("root/sub", 0755), 0);
	ck_assert_int_eq(mkdir("outside", 0755), 0);
	ck_assert_ptr_nonnull(fp = fopen("outside.txt", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("outside/secret", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("root/index.html", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(fp = fopen("root/sub/file.txt", "w"));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(symlink("sub/file.txt", "root/link_in"), 0);
	ck_assert_int_eq(symlink("../outside.txt", "root/link_up"), 0);
	snprintf(abs, sizeof(abs), "%s/outside.txt", tree);
	ck_assert_int_eq(symlink(abs, "root/link_abs"), 0);
	ck_assert_int_eq(symlink("../outside", "root/dir_out"), 0);
	ck_assert_int_eq(symlink("../../outside.txt", "root/sub/up"), 0);
	ck_assert_int_eq(symlink("/proc/self/cwd", "root/magic"), 0);
	rootfd = open("root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(rootfd, -1);
}

static void
remove_tree(void)
{
	static const char *files[] = {
		"root/magic", "root/sub/up", "root/dir_out", "root/link_abs",
		"root/link_up", "root/link_in", "root/sub/file.txt",
		"root/index.html", "outside/secret", "outside.txt"
	};
	static const char *dirs[] = { "root/sub", "root", "outside" };
	size_t	i;

	if (rootfd != -1)
		close(rootfd);
	rootfd = -1;
	if (chdir(tree) != 0)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(dirs[i]);
	if (chdir("/") == 0)
		rmdir(tree);
}

/* 0 if rel opened, else the errno; the descriptor is checked and closed. */
static int
open_with(int (*how)(int, const char *, int), const char *rel)
{
	int	fd;

	errno = 0;
	if ((fd = how(rootfd, rel, O_RDONLY | O_NONBLOCK)) == -1)
		return errno;
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(close(fd), 0);
	return 0;
}

START_TEST(resolve_with_openat2)
{
	if (open_with(resolve_openat2, "index.html") == ENOSYS)
		return;		/* a kernel before 5.6: only the walk exists */
	ck_assert_int_eq(open_with(resolve_openat2, "index.html"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "."), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "link_in"), 0);
	ck_assert_int_eq(open_with(resolve_openat2, "link_up"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "link_abs"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "dir_out/secret"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/up"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "magic"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "../outside.txt"), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "sub/../../outside.txt"),
	    EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, tree), EXDEV);
	ck_assert_int_eq(open_with(resolve_openat2, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_openat2, "index.html/x"), ENOTDIR);
}
END_TEST

START_TEST(resolve_with_walk)
{
	ck_assert_int_eq(open_with(resolve_walk, "index.html"), 0);
	ck_assert_int_eq(open_with(resolve_walk, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_walk, "."), 0);
	/* No symlink at all, not even one that stays inside. */
	ck_assert_int_eq(open_with(resolve_walk, "link_in"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "link_up"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "link_abs"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "dir_out/secret"), ENOTDIR);
	ck_assert_int_eq(open_with(resolve_walk, "sub/up"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "magic"), ELOOP);
	ck_assert_int_eq(open_with(resolve_walk, "../outside.txt"), EXDEV);
	ck_assert_int_eq(open_with(resolve_walk, "sub/../../outside.txt"),
	    EXDEV);
	ck_assert_int_eq(open_with(resolve_walk, tree), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "sub//file.txt"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "nope/x"), ENOENT);
	ck_assert_int_eq(open_with(resolve_walk, "index.html/x"), ENOTDIR);
}
END_TEST

/* The walk closes what it opened on the way, on success and failure alike. */
START_TEST(resolve_walk_leaks_nothing)
{
	int	before, after, i;

	before = dup(0);
	ck_assert_int_ne(before, -1);
	close(before);
	for (i = 0; i < 100; i++) {
		open_with(resolve_walk, "sub/file.txt");
		open_with(resolve_walk, "sub/up");
		open_with(resolve_walk, "sub/nope/x");
	}
	after = dup(0);
	ck_assert_int_ne(after, -1);
	close(after);
	ck_assert_int_eq(after, before);
}
END_TEST

/* resolve_open does as resolve_probe chose: openat2 wherever it works. */
START_TEST(resolve_either)
{
	int	err = resolve_probe(rootfd);

	if (open_with(resolve_openat2, "index.html") != ENOSYS)
		ck_assert_int_eq(err, 0);
	ck_assert_int_eq(open_with(resolve_open, "sub/file.txt"), 0);
	ck_assert_int_eq(open_with(resolve_open, "nope"), ENOENT);
	ck_assert_int_eq(open_with(resolve_open, "link_in"), err == 0 ? 0 : ELOOP);
	ck_assert_int_ne(open_with(resolve_open, "link_up"), 0);
	ck_assert_int_ne(open_with(resolve_open, "dir_out/secret"), 0);
	ck_assert_int_ne(open_with(resolve_open, "../outside.txt"), 0);
}
END_TEST

/*
 * RESOLVE_NO_MAGICLINKS: /proc/self/cwd reached beneath /proc, by a
 * relative path, is refused as a magic link (ELOOP).  RESOLVE_BENEATH
 * alone would refuse it too, but with EXDEV: the errno tells which flag
 * did.  The tree's "magic" cannot tell, being an absolute symlink.
 */
START_TEST(resolve_no_magic_links)
{
	int	procfd, fd;

	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(procfd, -1);
	errno = 0;
	fd = resolve_openat2(procfd, "self/cwd", O_RDONLY | O_DIRECTORY);
	if (fd == -1 && errno == ENOSYS) {
		close(procfd);
		return;		/* a kernel before 5.6: only the walk exists */
	}
	ck_assert_int_eq(fd, -1);
	ck_assert_msg(errno == ELOOP, "self/cwd beneath /proc: %s, expected "
	    "ELOOP", strerror(errno));
	errno = 0;
	ck_assert_int_eq(resolve_walk(procfd, "self/cwd", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	close(procfd);
}
END_TEST

Suite *
resolve_suite(void)
{
	Suite	*s = suite_create("resolve");
	TCase	*tc;

	tc = tcase_create("beneath");
	tcase_add_checked_fixture(tc, make_tree, remove_tree);
	tcase_add_test(tc, resolve_with_openat2);
	tcase_add_test(tc, resolve_with_walk);
	tcase_add_test(tc, resolve_walk_leaks_nothing);
	tcase_add_test(tc, resolve_either);
	suite_add_tcase(s, tc);
	tc = tcase_create("proc");
	tcase_add_test(tc, resolve_no_magic_links);
	suite_add_tcase(s, tc);
	return s;
}
