/* proctitle.c: the process title ps shows, written over the strings of the command line and environment. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgroup.h"

/* Longer titles are cut: ps shows little more than a line anyway. */
#define PROCTITLE_MAX	256

static char	*title_base;	/* argv[0], where the kernel put it */
static size_t	 title_args;	/* from there to past the last argument */
static size_t	 title_size;	/* and on to past the last contiguous variable */

/*
 * The kernel laid the argument and environment strings end to end: once
 * they are copied to the heap, that whole space is free for a title.  Call
 * first thing in main(), before anything keeps a pointer into argv or the
 * environment.  On failure titles stay off.
 */
int
proctitle_init(int argc, char *argv[])
{
	char	**env = environ, *base, *end, *eq;
	size_t	  args, i;
	int	  rc;

	if (argc < 1 || argv[0] == NULL || env == NULL)
		return -1;
	base = end = argv[0];
	for (i = 0; i < (size_t)argc && argv[i] == end; i++)
		end += strlen(argv[i]) + 1;
	args = end - base;
	for (i = 0; env[i] != NULL && env[i] == end; i++)
		end += strlen(env[i]) + 1;

	/* A copy made before a failure is as good as the original. */
	for (i = 0; i < (size_t)argc; i++)
		if ((argv[i] = strdup(argv[i])) == NULL)
			return -1;
	/*
	 * setenv(3) copies each variable where the C library keeps track of
	 * it: unsetenv(3) and the end of the process then leak nothing.
	 */
	if (clearenv() != 0)
		return -1;
	for (i = 0; env[i] != NULL; i++) {
		if ((eq = strchr(env[i], '=')) == NULL || eq == env[i])
			continue;
		*eq = '\0';
		rc = setenv(env[i], eq + 1, 1);
		*eq = '=';
		if (rc == -1) {
			environ = env;
			return -1;
		}
	}
	/* err(3) and getopt(3) name the program through these. */
	program_invocation_name = argv[0];
	program_invocation_short_name = strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0];
	title_base = base;
	title_args = args;
	title_size = end - base;
	return 0;
}

/*
 * Linux shows the argument area as it is, NULs and all, while its last byte
 * is a NUL, and once that byte is not, the string at its start however far
 * it runs.  A title that ends before that byte sets it, past the title's own
 * NUL, so that /proc/PID/cmdline holds the title alone.  Set anywhere else
 * (libbsd's setproctitle marks the end of argv[0]), the mark itself shows:
 * "forkgroup: web 127.0.0.1:8080 ." whenever argv[0] was the longer.
 */
void
proctitle_set(const char *fmt, ...)
{
	char	 buf[PROCTITLE_MAX];
	va_list	 ap;
	size_t	 len;

	if (title_base == NULL)
		return;
	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		buf[0] = '\0';
	va_end(ap);
	len = strlen(buf);
	if (len > title_size - 1)
		len = title_size - 1;
	memset(title_base, 0, title_size);
	memcpy(title_base, buf, len);
	if (len + 1 < title_args)
		title_base[title_args - 1] = '.';
}
