/* fuzz_urlpath.c: libFuzzer target: a request path through urlpath_parse and urlpath_dir_location, then opened beneath a real root by resolve_openat2 and resolve_walk, which must never reach outside it. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* As static.c opens files: a FIFO must not block the open. */
#define OPEN_FLAGS	(O_RDONLY | O_NONBLOCK | O_NOCTTY)

/*
 * TREE/root is the static root, TREE/outside what it must never serve.  The
 * symlinks stay inside (link_in, sub/link_up) or point out in every way:
 * up, absolute, through a directory, and /proc's magic links.
 */
static const char *tree_dirs[] = {
	"root", "root/sub", "root/sub/deeper", "outside"
};
static const char *tree_files[] = {
	"root/a.txt", "root/sub/index.html", "root/sub/deeper/x",
	"outside/secret"
};
static const struct {
	const char	*path;
	const char	*target;
} tree_links[] = {
	{ "root/link_in", "a.txt" },
	{ "root/sub/link_up", "../a.txt" },
	{ "root/link_out", "../outside/secret" },
	{ "root/dir_out", "../outside" },
	{ "root/sub/up_out", "../../outside/secret" },
	{ "root/link_abs", "/etc/passwd" },
	{ "root/magic", "/proc/self/root" }
};
/* Whatever an open beneath the root may return: these and nothing else. */
static const char *tree_inside[] = {
	"root", "root/sub", "root/sub/deeper", "root/a.txt",
	"root/sub/index.html", "root/sub/deeper/x"
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static char		 tree[PATH_MAX];
static int		 treefd = -1;
static int		 rootfd = -1;
static struct stat	 inside[NITEMS(tree_inside)];

static void	 tree_make(void);
static void	 tree_remove(void);
static bool	 is_inside(int);
static int	 lowest_free_fd(void);
static void	 check_rel(const struct urlpath *);
static void	 check_location(const struct urlpath *);
static void	 check_open(int (*)(int, const char *, int), const char *);

static void
tree_make(void)
{
	const char	*tmp = getenv("TMPDIR");
	size_t		 i;
	int		 fd;

	snprintf(tree, sizeof(tree), "%s/fuzz_urlpath.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tree) == NULL ||
	    (treefd = open(tree, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		perror(tree);
		abort();
	}
	atexit(tree_remove);
	for (i = 0; i < NITEMS(tree_dirs); i++)
		if (mkdirat(treefd, tree_dirs[i], 0755) == -1)
			abort();
	for (i = 0; i < NITEMS(tree_files); i++) {
		if ((fd = openat(treefd, tree_files[i],
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1)
			abort();
		close(fd);
	}
	for (i = 0; i < NITEMS(tree_links); i++)
		if (symlinkat(tree_links[i].target, treefd,
		    tree_links[i].path) == -1)
			abort();
	for (i = 0; i < NITEMS(tree_inside); i++)
		if (fstatat(treefd, tree_inside[i], &inside[i],
		    AT_SYMLINK_NOFOLLOW) == -1)
			abort();
	if ((rootfd = openat(treefd, "root", O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		abort();
}

/* At exit, deepest first; what is already gone does not matter. */
static void
tree_remove(void)
{
	size_t	i;

	for (i = NITEMS(tree_links); i-- > 0;)
		unlinkat(treefd, tree_links[i].path, 0);
	for (i = NITEMS(tree_files); i-- > 0;)
		unlinkat(treefd, tree_files[i], 0);
	for (i = NITEMS(tree_dirs); i-- > 0;)
		unlinkat(treefd, tree_dirs[i], AT_REMOVEDIR);
	rmdir(tree);
}

static bool
is_inside(int fd)
{
	struct stat	st;
	size_t		i;

	if (fstat(fd, &st) == -1)
		abort();
	for (i = 0; i < NITEMS(inside); i++)
		if (st.st_dev == inside[i].st_dev &&
		    st.st_ino == inside[i].st_ino)
			return true;
	return false;
}

static int
lowest_free_fd(void)
{
	int	fd;

	if ((fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0)) == -1)
		abort();
	close(fd);
	return fd;
}

/* What resolve and the file name checks rely on. */
static void
check_rel(const struct urlpath *up)
{
	const char	*seg, *end;
	size_t		 len = strlen(up->rel);

	FUZZ_CHECK(len > 0 && len < URLPATH_MAX);
	if (strcmp(up->rel, ".") == 0)
		return;
	for (seg = up->rel; ; seg = end + 1) {
		end = seg + strcspn(seg, "/");
		/* No empty segment, no "..", ".", nor any dotfile. */
		FUZZ_CHECK(end > seg && seg[0] != '.');
		if (*end == '\0')
			break;
	}
}

/* The redirect's Location leads back to the same directory. */
static void
check_location(const struct urlpath *up)
{
	struct urlpath	 again;
	char		 location[3 * URLPATH_MAX + 2];	/* as static.c */

	FUZZ_CHECK(urlpath_dir_location(up, location, sizeof(location)) == 0);
	FUZZ_CHECK(location[0] == '/' &&
	    location[strlen(location) - 1] == '/');
	/* The two added "/" may take it past the longest path taken. */
	if (strlen(up->rel) + 2 >= URLPATH_MAX)
		return;
	FUZZ_CHECK(urlpath_parse(location, strlen(location), &again) == 0);
	FUZZ_CHECK(strcmp(again.rel, up->rel) == 0 && again.dir);
}

static void
check_open(int (*how)(int, const char *, int), const char *rel)
{
	int	fd;

	if ((fd = how(rootfd, rel, OPEN_FLAGS)) == -1)
		return;
	FUZZ_CHECK(is_inside(fd));
	FUZZ_CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	close(fd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	tree_make();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct urlpath	 up;
	char		*path = fuzz_text(data, size);
	int		 status, fd = lowest_free_fd();

	/* http.c hands over the path without its query and fragment. */
	status = urlpath_parse(path, strcspn(path, "?#"), &up);
	if (status == 0) {
		check_rel(&up);
		check_location(&up);
		check_open(resolve_openat2, up.rel);
		check_open(resolve_walk, up.rel);
	} else
		FUZZ_CHECK(status == 400 || status == 404 || status == 414);
	/* Nothing opened on the way is left open. */
	FUZZ_CHECK(lowest_free_fd() == fd);
	free(path);
	return 0;
}
