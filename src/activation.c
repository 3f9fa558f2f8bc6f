/* activation.c: listening sockets passed by systemd (LISTEN_FDS), matched to listeners by FileDescriptorName=. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

#define LISTEN_FDS_START	3

static int	 env_number(const char *, long, long *);
static int	 take(const struct config *, int, const char *, int *);
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

/* Check that fd is a listening TCP socket on the address of listener name. */
static int
take(const struct config *cfg, int fd, const char *name, int *fds)
{
	const struct listener_conf	*l = NULL;
	struct address			 addr;
	char				 text[FG_ADDRSTRLEN];
	int				 type, listening;
	socklen_t			 len;
	size_t				 i;

	for (i = 0; i < cfg->nlisteners; i++)
		if (strcmp(cfg->listeners[i].name, name) == 0)
			l = &cfg->listeners[i];
	if (l == NULL) {
		log_warnx("socket \"%s\" (fd %d) passed by systemd matches no "
		    "listener of %s", name, fd, cfg->path);
		return -1;
	}
	i = (size_t)(l - cfg->listeners);
	if (fds[i] != -1) {
		log_warnx("listener \"%s\": more than one socket passed; give "
		    "each ListenStream= its own FileDescriptorName=", name);
		return -1;
	}
	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_STREAM) {
		log_warnx("listener \"%s\": fd %d is not a stream socket",
		    name, fd);
		return -1;
	}
	len = sizeof(listening);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == -1 ||
	    !listening) {
		log_warnx("listener \"%s\": fd %d is not listening", name, fd);
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.len = sizeof(addr.ss);
	if (getsockname(fd, (struct sockaddr *)&addr.ss, &addr.len) == -1) {
		log_warn("listener \"%s\": getsockname fd %d", name, fd);
		return -1;
	}
	if (!address_equal(&addr, &l->addr)) {
		address_format(&addr, text, sizeof(text));
		log_warnx("listener \"%s\": the passed socket is bound to %s, "
		    "but [listener %s] (%s:%d) has listen = %s", name, text,
		    name, cfg->path, l->line, l->addr_text);
		return -1;
	}
	/*
	 * listen() again sets our backlog: a drain shrinks it to 0 before
	 * closing, and a group SIGKILLed mid-drain leaves systemd's socket so.
	 */
	if (listen(fd, FG_LISTEN_BACKLOG) == -1) {
		log_warn("listener \"%s\": listen on fd %d", name, fd);
		return -1;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_warn("listener \"%s\": fcntl", name);
		return -1;
	}
	fds[i] = fd;
	log_info("listener \"%s\": using the socket on %s passed by systemd",
	    name, l->addr_text);
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
 * fds[i] becomes the passed socket of listener i, or stays -1 for binding.
 * Returns -1 (reason logged) when a passed socket does not fit the config.
 */
int
activation_take(const struct config *cfg, int *fds)
{
	const char	*names_env;
	char		*names, *name, *save = NULL;
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
	name = strtok_r(names, ":", &save);
	for (k = 0; k < n && rc == 0; k++) {
		if (name == NULL) {
			log_warnx("LISTEN_FDNAMES names fewer than LISTEN_FDS=%ld "
			    "sockets; set FileDescriptorName= to the listener's "
			    "name", n);
			rc = -1;
			break;
		}
		rc = take(cfg, LISTEN_FDS_START + (int)k, name, fds);
		name = strtok_r(NULL, ":", &save);
	}
	free(names);
	forget_env();
	return rc;
}
