/* notify.c: systemd's readiness protocol spoken directly: one datagram per state change to $NOTIFY_SOCKET, never waiting for its reader. */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "forkgroup.h"

/*
 * A datagram to a receiver whose queue is full (a stuck systemd) would
 * block the parent in sendto(2).  It is kept instead, with any later ones
 * appended (systemd reads newline-separated assignments in order), and
 * sent again every NOTIFY_RETRY_MS from the loop, and at exit for at
 * most NOTIFY_CLOSE_MS.
 */
#define NOTIFY_RETRY_MS		100
#define NOTIFY_CLOSE_MS		100
#define NOTIFY_MSG_MAX		512

static int			notify_fd = -1;
static struct sockaddr_un	notify_addr;
static socklen_t		notify_len;
static char			notify_pending[2 * NOTIFY_MSG_MAX];
static size_t			notify_npending;
static struct event		*notify_retry;

static int	 notify_flush(void);
static const char *one_line(char *, size_t);
static void	 on_retry(evutil_socket_t, short, void *);

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

/* For the log: the assignments on one line, in place (len <= the buffer's size - 1). */
static const char *
one_line(char *text, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			text[i] = ' ';
	text[len] = '\0';
	return text;
}

/*
 * Send what waits: 0 once sent (or dropped after an error, which is
 * logged), 1 while the receiver's queue is full.
 */
static int
notify_flush(void)
{
	struct timeval	tv = clock_timeval(NOTIFY_RETRY_MS);

	if (notify_npending == 0)
		return 0;
	if (sendto(notify_fd, notify_pending, notify_npending, MSG_DONTWAIT |
	    MSG_NOSIGNAL, (struct sockaddr *)&notify_addr, notify_len) == -1) {
		if (errno == EAGAIN) {
			if (notify_retry != NULL &&
			    evtimer_add(notify_retry, &tv) == -1)
				log_warnx("NOTIFY_SOCKET: cannot arm the retry");
			return 1;
		}
		log_warn("NOTIFY_SOCKET: sendto");
	}
	notify_npending = 0;
	return 0;
}

static void
on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	(void)notify_flush();
}

/* Newline-separated assignments, e.g. "READY=1\nSTATUS=3/3 listeners serving". */
void
notify_send(const char *fmt, ...)
{
	char	msg[NOTIFY_MSG_MAX];
	va_list	ap;
	int	n;
	size_t	len;

	if (notify_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	if (notify_npending > 0) {
		if (notify_npending + 1 + len >= sizeof(notify_pending)) {
			log_warnx("NOTIFY_SOCKET: still full; not sent: "
			    "\"%s\"", one_line(msg, len));
			return;
		}
		notify_pending[notify_npending++] = '\n';
	}
	memcpy(notify_pending + notify_npending, msg, len);
	notify_npending += len;
	if (notify_flush() == 1 && notify_npending == len)
		log_warnx("NOTIFY_SOCKET: the receiver's queue is full; "
		    "trying again every %d ms", NOTIFY_RETRY_MS);
}

/* The parent's loop retries what the receiver could not take. */
void
notify_attach(struct event_base *base)
{
	if (notify_fd != -1 &&
	    (notify_retry = evtimer_new(base, on_retry, NULL)) == NULL)
		log_warnx("NOTIFY_SOCKET: cannot create the retry timer");
}

void
notify_detach(void)
{
	if (notify_retry != NULL)
		event_free(notify_retry);
	notify_retry = NULL;
}

/* The parent's last word is said (within NOTIFY_CLOSE_MS); leave no descriptor open at exit. */
void
notify_close(void)
{
	struct timespec	ts = { 0, 10 * 1000000 };
	int64_t		end = clock_ms() + NOTIFY_CLOSE_MS;

	notify_detach();
	while (notify_fd != -1 && notify_flush() == 1 && clock_ms() < end)
		(void)nanosleep(&ts, NULL);
	if (notify_npending > 0)
		log_warnx("NOTIFY_SOCKET: still full at exit; not sent: "
		    "\"%s\"", one_line(notify_pending, notify_npending));
	notify_npending = 0;
	if (notify_fd != -1 && close(notify_fd) == -1)
		log_warn("NOTIFY_SOCKET: close");
	notify_fd = -1;
}
