/* notify.c: systemd's readiness protocol spoken directly: one datagram per state change to $NOTIFY_SOCKET. */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

static int			notify_fd = -1;
static struct sockaddr_un	notify_addr;
static socklen_t		notify_len;

/*
 * Take $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace) and
 * unset it, so nothing started later speaks for the service.  Without it
 * every notify_send() is a no-op.
 */
void
notify_init(void)
{
	const char	*path = getenv("NOTIFY_SOCKET");
	size_t		 len;

	if (path == NULL)
		return;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len < 2 ||
	    len >= sizeof(notify_addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET \"%s\" is not a socket path; "
		    "not notifying", path);
		unsetenv("NOTIFY_SOCKET");
		return;
	}
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, path, len);
	if (path[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if ((notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		log_warn("NOTIFY_SOCKET: socket");
	unsetenv("NOTIFY_SOCKET");
}

/* Newline-separated assignments, e.g. "READY=1\nSTATUS=3/3 listeners serving". */
void
notify_send(const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;
	int	n;

	if (notify_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (sendto(notify_fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (struct sockaddr *)&notify_addr, notify_len) == -1)
		log_warn("NOTIFY_SOCKET: sendto");
}

/* The parent's last word is said; leave no descriptor open at exit. */
void
notify_close(void)
{
	if (notify_fd != -1 && close(notify_fd) == -1)
		log_warn("NOTIFY_SOCKET: close");
	notify_fd = -1;
}
