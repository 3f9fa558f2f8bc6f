/* sockopt.c: print whether each TCP socket of a process has TCP_NODELAY, by taking a copy of the descriptor with pidfd_getfd (root, or the same user with ptrace allowed). */
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

int
main(int argc, char *argv[])
{
	char		 path[64];
	struct dirent	*de;
	DIR		*dir;
	socklen_t	 len;
	int		 pidfd, fd, target, type, listening, nodelay, status = 0;
	pid_t		 pid;

	if (argc != 2) {
		fprintf(stderr, "usage: sockopt PID\n"
		    "  prints \"FD listen|conn nodelay=0|1\" for each TCP socket\n");
		return 2;
	}
	pid = (pid_t)testutil_number("sockopt", argv[1], 1, 1 << 22);
	if ((pidfd = pidfd_open(pid, 0)) == -1) {
		perror("sockopt: pidfd_open");
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	if ((dir = opendir(path)) == NULL) {
		perror("sockopt: opendir");
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		target = atoi(de->d_name);
		if ((fd = pidfd_getfd(pidfd, target, 0)) == -1) {
			if (errno == EBADF)
				continue;	/* closed meanwhile */
			perror("sockopt: pidfd_getfd");
			status = 1;
			break;
		}
		len = sizeof(type);
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &type, &len) == 0 &&
		    type == IPPROTO_TCP) {
			len = sizeof(listening);
			if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
			    &len) == -1)
				listening = 0;
			len = sizeof(nodelay);
			if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
			    &len) == -1) {
				perror("sockopt: TCP_NODELAY");
				status = 1;
			} else
				printf("%d %s nodelay=%d\n", target,
				    listening ? "listen" : "conn", nodelay != 0);
		}
		close(fd);
	}
	closedir(dir);
	close(pidfd);
	return status;
}
