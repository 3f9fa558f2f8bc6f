/* listener.c: the parent's listening sockets, all created before any child is forked. */
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/*
 * Create, bind and listen on l's address.  Returns the fd, or -1 with the
 * reason (listener, address and errno text) written into err.
 */
int
listener_bind(const struct listener_conf *l, char *err, size_t errlen)
{
	const char	*step;
	int		 fd, on = 1, saved_errno;

	fd = socket(l->addr.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		step = "socket";
		goto fail;
	}
	step = "setsockopt";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	/* [::]:80 must not take 0.0.0.0:80 from another listener. */
	if (l->addr.ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	step = "bind";
	if (bind(fd, (const struct sockaddr *)&l->addr.ss, l->addr.len) == -1)
		goto fail;
	step = "listen";
	if (listen(fd, FG_LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;

fail:
	saved_errno = errno;
	snprintf(err, errlen, "listener \"%s\": cannot %s %s: %s", l->name,
	    step, l->addr_text, strerror(saved_errno));
	if (fd != -1)
		close(fd);
	errno = saved_errno;
	return -1;
}

/*
 * Bind every listener that has no socket yet (fds[i] == -1; systemd may
 * have passed some).  All or nothing: on failure, logs why and closes all.
 */
int
listener_bind_all(const struct config *cfg, int *fds)
{
	char	err[256];
	size_t	i;

	for (i = 0; i < cfg->nlisteners; i++) {
		if (fds[i] != -1)
			continue;
		fds[i] = listener_bind(&cfg->listeners[i], err, sizeof(err));
		if (fds[i] == -1) {
			log_warnx("%s", err);
			listener_close_all(fds, cfg->nlisteners);
			return -1;
		}
	}
	return 0;
}

void
listener_close_all(int *fds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (fds[i] != -1 && close(fds[i]) == -1)
			log_warn("close listener %zu", i);
		fds[i] = -1;
	}
}
