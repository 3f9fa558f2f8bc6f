/* activation.c: listening sockets passed by systemd (LISTEN_FDS), matched to listeners by name or by address. */
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

#define LISTEN_FDS_START	3

static int	 env_number(const char *, long, long *);
static const struct listener_conf *match(const struct config *, const char *,
		    const struct address *, int, const char **);
static bool	 dual_stack(const struct address *, int);
static int	 take(const struct config *, int, const char *, struct sockets *);
static void	 forget_env(void);

static int
env_number(const char *name, long max, long *out)
{
	const char	*s = getenv(name);
	char		*end;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out < 0 || *out > max)
		return -1;
	return 0;
}

/*
 * The listener named name, whose address must then be addr's; else the one
 * listening on addr.  By name first because FileDescriptorName= is what the
 * user wrote for one listener; by address because it names every socket of
 * a unit alike, so one unit with a ListenStream= per listener can only be
 * told apart by address.  *how says which; NULL, with the reason logged,
 * when none fits.
 */
static const struct listener_conf *
match(const struct config *cfg, const char *name, const struct address *addr,
    int fd, const char **how)
{
	const struct listener_conf	*l;
	char				 text[FG_ADDRSTRLEN];
	size_t				 i;

	address_format(addr, text, sizeof(text));
	for (i = 0; i < cfg->nlisteners; i++) {
		l = &cfg->listeners[i];
		if (strcmp(l->name, name) != 0)
			continue;
		if (address_equal(addr, &l->addr)) {
			*how = "name";
			return l;
		}
		log_warnx("listener \"%s\": the passed socket is bound to %s, "
		    "but [listener %s] (%s:%d) has listen = %s", name, text,
		    name, cfg->path, l->line, l->addr_text);
		return NULL;
	}
	for (i = 0; i < cfg->nlisteners; i++) {
		l = &cfg->listeners[i];
		if (address_equal(addr, &l->addr)) {
			*how = "address";
			return l;
		}
	}
	log_warnx("socket \"%s\" on %s (fd %d) passed by systemd matches no "
	    "listener of %s, by name or by address", name, text, fd, cfg->path);
	return NULL;
}

/*
 * A [::] socket that is not IPv6-only also takes every IPv4 address's
 * port: it would collide with a *:port listener (address_overlap assumes
 * IPv6-only sockets), and serve what the configuration does not say.
 */
static bool
dual_stack(const struct address *addr, int fd)
{
	int		v6only = 1;
	socklen_t	len = sizeof(v6only);

	if (addr->ss.ss_family != AF_INET6 || !address_is_wildcard(addr))
		return false;
	if (getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len) == -1)
		return true;	/* unknown: refused as the worse case */
	return v6only == 0;
}

/* Check that fd is a listening TCP socket and give it to its listener. */
static int
take(const struct config *cfg, int fd, const char *name, struct sockets *ss)
{
	const struct listener_conf	*l;
	const struct lsock		*other;
	struct address			 addr;
	const char			*how;
	int				 type, listening;
	socklen_t			 len;

	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_STREAM) {
		log_warnx("socket \"%s\" (fd %d) passed by systemd is not a "
		    "stream socket", name, fd);
		return -1;
	}
	len = sizeof(listening);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == -1 ||
	    !listening) {
		log_warnx("socket \"%s\" (fd %d) passed by systemd is not "
		    "listening", name, fd);
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.len = sizeof(addr.ss);
	if (getsockname(fd, (struct sockaddr *)&addr.ss, &addr.len) == -1) {
		log_warn("socket \"%s\" (fd %d) passed by systemd: getsockname",
		    name, fd);
		return -1;
	}
	if (addr.ss.ss_family != AF_INET && addr.ss.ss_family != AF_INET6) {
		log_warnx("socket \"%s\" (fd %d) passed by systemd is not an "
		    "IPv4 or IPv6 socket", name, fd);
		return -1;
	}
	if ((l = match(cfg, name, &addr, fd, &how)) == NULL)
		return -1;
	if (dual_stack(&addr, fd)) {
		log_warnx("listener \"%s\": the socket on %s passed by systemd "
		    "takes IPv4 connections too; set BindIPv6Only=ipv6-only in "
		    "its .socket unit, as forkgroup's own IPv6 sockets are",
		    l->name, l->addr_text);
		return -1;
	}
	/* Two sockets on a listener's address are two for that listener. */
	if ((other = listener_find(ss, &l->addr)) != NULL) {
		log_warnx("listener \"%s\": systemd passed two sockets for it "
		    "(fd %d and fd %d)", l->name, other->fd, fd);
		return -1;
	}
	/*
	 * listen() again sets the backlog forkgroup's own sockets have
	 * (systemd's Backlog= defaults to 4096), and undoes the 0 that a drain
	 * of an older forkgroup, SIGKILLed midway, may have left on it.
	 */
	if (listen(fd, FG_LISTEN_BACKLOG) == -1) {
		log_warn("listener \"%s\": listen on fd %d", l->name, fd);
		return -1;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_warn("listener \"%s\": fcntl", l->name);
		return -1;
	}
	if (listener_adopt(ss, &l->addr, fd) == -1)
		return -1;
	log_info("listener \"%s\": using the socket on %s passed by systemd, "
	    "matched by %s", l->name, l->addr_text, how);
	return 0;
}

static void
forget_env(void)
{
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
}

/*
 * Each passed socket goes into ss, for the listener on its address; the
 * listeners without one are bound later.  Returns -1 (reason logged) when a
 * passed socket does not fit the config.
 */
int
activation_take(const struct config *cfg, struct sockets *ss)
{
	const char	*names_env, *name;
	char		*names, *rest;
	long		 pid, n, k;
	int		 rc = 0;

	if (env_number("LISTEN_PID", 0x7fffffffL, &pid) == -1 ||
	    pid != (long)getpid()) {
		forget_env();	/* absent, or meant for another process */
		return 0;
	}
	if (env_number("LISTEN_FDS", FG_LISTENERS_MAX, &n) == -1) {
		log_warnx("LISTEN_FDS is not a number from 0 to %d",
		    FG_LISTENERS_MAX);
		forget_env();
		return -1;
	}
	names_env = getenv("LISTEN_FDNAMES");
	if ((names = strdup(names_env != NULL ? names_env : "")) == NULL) {
		log_warn("strdup");
		forget_env();
		return -1;
	}
	rest = names;
	for (k = 0; k < n && rc == 0; k++) {
		/* A socket without a name (fewer names than sockets): by address. */
		name = rest != NULL ? strsep(&rest, ":") : "";
		rc = take(cfg, LISTEN_FDS_START + (int)k, name, ss);
	}
	free(names);
	forget_env();
	return rc;
}
