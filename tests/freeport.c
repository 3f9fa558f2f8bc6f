/* freeport.c: print a TCP port on 127.0.0.1 that is free right now, or (-c PORT) tell whether PORT can be bound now, for the integration tests. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	 listen_on(in_port_t, struct sockaddr_in *);
static int	 check(const char *);
static int	 pick(void);

/*
 * Bind and listen as forkgroup does (SO_REUSEADDR): a port whose only users
 * are TIME_WAIT leftovers of closed connections counts as free, one that a
 * process still listens on does not.
 */
static int
listen_on(in_port_t port, struct sockaddr_in *sin)
{
	int	fd, on = 1;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    listen(fd, 1) == -1) {
		int saved_errno = errno;

		close(fd);
		errno = saved_errno;
		return -1;
	}
	return fd;
}

/* Exit 0 if 127.0.0.1:port can be bound now, 1 if it is in use, 2 on any other error. */
static int
check(const char *text)
{
	struct sockaddr_in	 sin;
	char			*end;
	long			 port;
	int			 fd;

	errno = 0;
	port = strtol(text, &end, 10);
	if (errno != 0 || *text == '\0' || *end != '\0' || port < 1 ||
	    port > 65535) {
		fprintf(stderr, "freeport: bad port \"%s\"\n", text);
		return 2;
	}
	if ((fd = listen_on((in_port_t)port, &sin)) == -1) {
		if (errno == EADDRINUSE)
			return 1;
		perror("freeport");
		return 2;
	}
	close(fd);
	return 0;
}

static int
pick(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd;

	if ((fd = listen_on(0, &sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		perror("freeport");
		return 1;
	}
	printf("%u\n", ntohs(sin.sin_port));
	close(fd);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		return check(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: freeport [-c port]\n");
		return 2;
	}
	return pick();
}
