/* resolve.c: open a relative path beneath a directory descriptor and never outside it: openat2, or a walk refusing every symlink where openat2 cannot be used. */
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/* openat2 may ask for a retry when a rename raced with the lookup. */
#define OPENAT2_TRIES	3

static int	 close_keeping_errno(int, int);

/* Set once by resolve_probe; each child is its own process. */
static bool	 use_walk;

/*
 * Decide once how resolve_open works, on the directory it will serve:
 * openat2 if it can open dirfd itself, else the walk.  A kernel before 5.6
 * answers ENOSYS; a seccomp filter that does not know openat2 (container
 * runtimes, older libseccomp and systemd) answers EPERM or ENOSYS, and
 * would answer the same for every file.  Any failure on a directory just
 * opened means openat2 cannot be relied on, and the walk is never less
 * safe.  Returns 0 for openat2, or the errno that ruled it out.
 */
int
resolve_probe(int dirfd)
{
	int	fd;

	if ((fd = resolve_openat2(dirfd, ".", O_PATH | O_DIRECTORY)) != -1) {
		(void)close(fd);
		use_walk = false;
		return 0;
	}
	use_walk = true;
	return errno;
}

/*
 * Open rel beneath dirfd with flags (O_CLOEXEC is added), as resolve_probe
 * chose.  -1 with errno set: EXDEV or ELOOP for a path that would leave
 * dirfd, ENOENT, EACCES...
 */
int
resolve_open(int dirfd, const char *rel, int flags)
{
	if (use_walk)
		return resolve_walk(dirfd, rel, flags);
	return resolve_openat2(dirfd, rel, flags);
}

/*
 * The kernel resolves rel and refuses any step out of dirfd: "..", an
 * absolute symlink, a relative one pointing above dirfd (EXDEV), and
 * /proc's magic links (ELOOP).  Symlinks that stay beneath dirfd work.
 */
int
resolve_openat2(int dirfd, const char *rel, int flags)
{
	struct open_how	how;
	long		fd;
	int		try;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	for (try = 0; try < OPENAT2_TRIES; try++) {
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd != -1 || errno != EAGAIN)
			break;
	}
	return (int)fd;
}

static int
close_keeping_errno(int fd, int keep)
{
	int	saved_errno = errno;

	if (fd != keep)
		(void)close(fd);
	errno = saved_errno;
	return -1;
}

/*
 * One component at a time, each opened with O_NOFOLLOW: a symlink anywhere
 * fails (ELOOP or ENOTDIR), even one that stays beneath dirfd, and ".." is
 * refused (EXDEV), so nothing outside dirfd can be reached.  Stricter than
 * resolve_openat2, for where that cannot be used.
 */
int
resolve_walk(int dirfd, const char *rel, int flags)
{
	char		 name[NAME_MAX + 1];
	const char	*slash;
	size_t		 len;
	int		 cur = dirfd, next;

	for (;;) {
		slash = strchr(rel, '/');
		len = slash != NULL ? (size_t)(slash - rel) : strlen(rel);
		if (len == 0) {
			errno = ENOENT;
			return close_keeping_errno(cur, dirfd);
		}
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			return close_keeping_errno(cur, dirfd);
		}
		memcpy(name, rel, len);
		name[len] = '\0';
		if (strcmp(name, "..") == 0) {
			errno = EXDEV;
			return close_keeping_errno(cur, dirfd);
		}
		if (slash == NULL)
			break;
		next = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next == -1)
			return close_keeping_errno(cur, dirfd);
		if (cur != dirfd)
			(void)close(cur);
		cur = next;
		rel = slash + 1;
	}
	next = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (next == -1)
		return close_keeping_errno(cur, dirfd);
	if (cur != dirfd)
		(void)close(cur);
	return next;
}
