/* replay.c: a main for a libFuzzer target without libFuzzer: each file named, or in a directory named, goes through LLVMFuzzerTestOneInput once, so that make check replays the seeds and the regressions with any compiler. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Only some targets set up first; libFuzzer calls it where one is defined. */
#pragma weak LLVMFuzzerInitialize

static void	 replay_file(const char *);
static size_t	 replay_dir(const char *);
static void	 replay_die(const char *, const char *);

static const char	*prog = "replay";

static void
replay_die(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, what != NULL ? what :
	    strerror(errno));
	exit(2);
}

/*
 * A fresh allocation of the file's exact size, as libFuzzer passes it, so
 * that AddressSanitizer sees a read past the end.  Named first: a crash
 * ends the run without a word about which input it was.
 */
static void
replay_file(const char *path)
{
	struct stat	 st;
	uint8_t		*data;
	FILE		*f;
	size_t		 size;

	printf("%s: %s\n", prog, path);
	fflush(stdout);
	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1)
		replay_die(NULL, path);
	size = (size_t)st.st_size;
	if ((data = malloc(size > 0 ? size : 1)) == NULL)
		replay_die(NULL, path);
	if (fread(data, 1, size, f) != size || ferror(f))
		replay_die("short read", path);
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
}

/* Every regular file, in name order so that a failing run repeats. */
static size_t
replay_dir(const char *dir)
{
	struct dirent	**names;
	struct stat	  st;
	char		  path[4096];
	size_t		  n = 0;
	int		  i, count;

	if ((count = scandir(dir, &names, NULL, alphasort)) == -1)
		replay_die(NULL, dir);
	for (i = 0; i < count; i++) {
		if (names[i]->d_name[0] != '.') {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name) >= sizeof(path))
				replay_die("path too long", dir);
			if (stat(path, &st) == -1)
				replay_die(NULL, path);
			if (S_ISREG(st.st_mode)) {
				replay_file(path);
				n++;
			}
		}
		free(names[i]);
	}
	free(names);
	return n;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	size_t		 n;
	int		 i;

	if (argc > 0 && strrchr(argv[0], '/') != NULL)
		prog = strrchr(argv[0], '/') + 1;
	else if (argc > 0)
		prog = argv[0];
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", prog);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1)
			replay_die(NULL, argv[i]);
		if (!S_ISDIR(st.st_mode)) {
			replay_file(argv[i]);
			n = 1;
		} else if ((n = replay_dir(argv[i])) == 0)
			/* A wrong path would otherwise pass, having run nothing. */
			replay_die("no input in this directory", argv[i]);
		printf("%s: %zu input%s from %s\n", prog, n, n == 1 ? "" : "s",
		    argv[i]);
	}
	return 0;
}
