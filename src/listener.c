/* listener.c: the parent's listening sockets, open for the group's life and matched to listeners by address at each reload. */
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/*
 * The parent holds every listening socket until the group stops, so that
 * a reload's generation serves on the very socket the one before it did:
 * one accept queue, nothing in it refused or reset.  A listener is given
 * the socket open on its address (kept from the generation before, or
 * passed by systemd), else one bound now; the sockets that no listener of
 * the serving configuration has any more are closed.
 */

static int	 add(struct sockets *, const struct address *, int, bool);

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

static int
add(struct sockets *ss, const struct address *addr, int fd, bool passed)
{
	struct lsock	*grown;

	grown = reallocarray(ss->list, ss->n + 1, sizeof(*grown));
	if (grown == NULL)
		return -1;
	ss->list = grown;
	grown[ss->n].addr = *addr;
	grown[ss->n].fd = fd;
	grown[ss->n].passed = passed;
	ss->n++;
	return 0;
}

const struct lsock *
listener_find(const struct sockets *ss, const struct address *addr)
{
	size_t	i;

	for (i = 0; i < ss->n; i++)
		if (address_equal(&ss->list[i].addr, addr))
			return &ss->list[i];
	return NULL;
}

/* A socket systemd passed for addr (activation.c checked it). */
int
listener_adopt(struct sockets *ss, const struct address *addr, int fd)
{
	if (add(ss, addr, fd, true) == -1) {
		log_warn("listener socket table");
		return -1;
	}
	return 0;
}

/*
 * Give every listener of cfg a socket.  All or nothing: on failure the
 * sockets this call bound are closed again, the reason is logged and put
 * in err, and -1 is returned.  With in_use_ok (forkgroup -t -r, beside the
 * running group), an address in use is noted, not an error.  Returns how
 * many sockets were bound.
 */
int
listener_open(struct sockets *ss, const struct config *cfg, bool in_use_ok,
    char *err, size_t errlen)
{
	const struct listener_conf	*l;
	size_t				 i, before = ss->n;
	int				 fd;

	for (i = 0; i < cfg->nlisteners; i++) {
		l = &cfg->listeners[i];
		if (listener_find(ss, &l->addr) != NULL)
			continue;
		if ((fd = listener_bind(l, err, errlen)) == -1 &&
		    errno == EADDRINUSE && in_use_ok) {
			log_info("listener \"%s\": %s is in use, by the running "
			    "group if it listens there: a reload keeps its "
			    "socket", l->name, l->addr_text);
			continue;
		}
		if (fd == -1 || add(ss, &l->addr, fd, false) == -1) {
			if (fd != -1) {
				snprintf(err, errlen, "listener \"%s\": out of "
				    "memory", l->name);
				close(fd);
			}
			log_warnx("%s", err);
			while (ss->n > before)
				if (close(ss->list[--ss->n].fd) == -1)
					log_warn("close listener");
			return -1;
		}
	}
	return (int)(ss->n - before);
}

/* Close the sockets on addresses no listener of cfg has; returns how many. */
size_t
listener_retain(struct sockets *ss, const struct config *cfg)
{
	size_t	i, j, kept = 0, closed = 0;
	bool	used;

	for (i = 0; i < ss->n; i++) {
		used = false;
		for (j = 0; j < cfg->nlisteners && !used; j++)
			used = address_equal(&ss->list[i].addr,
			    &cfg->listeners[j].addr);
		if (used) {
			ss->list[kept++] = ss->list[i];
			continue;
		}
		if (close(ss->list[i].fd) == -1)
			log_warn("close listener");
		closed++;
	}
	ss->n = kept;
	return closed;
}

void
listener_close_all(struct sockets *ss)
{
	size_t	i;

	for (i = 0; i < ss->n; i++)
		if (close(ss->list[i].fd) == -1)
			log_warn("close listener");
	free(ss->list);
	ss->list = NULL;
	ss->n = 0;
}
