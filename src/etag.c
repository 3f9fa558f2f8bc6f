/* etag.c: a static file's entity tag, from its size and modification time, and matching it against If-None-Match and If-Range. */
#include <inttypes.h>
#include <string.h>

#include "forkgroup.h"

static const char *skip_list_blanks(const char *);

/*
 * A strong tag, "size-seconds.nanoseconds" in hex with its quotes: it
 * changes when the file is rewritten, even within one second.  Returns -1
 * if buf is too small (ETAG_MAX is always enough).
 */
int
etag_format(char *buf, size_t size, int64_t bytes, int64_t mtime_s,
    long mtime_ns)
{
	int	n;

	n = snprintf(buf, size, "\"%" PRIx64 "-%" PRIx64 ".%lx\"",
	    (uint64_t)bytes, (uint64_t)mtime_s, (unsigned long)mtime_ns);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static const char *
skip_list_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	return s;
}

/*
 * Whether list (an If-None-Match value: "*" or entity tags separated by
 * commas) names etag.  With strong (If-Range), a weak tag W/"..." never
 * matches and "*" is not allowed; otherwise the W/ prefix is ignored, as
 * the weak comparison of RFC 9110 does.  A malformed list matches nothing
 * from the point where it goes wrong.
 */
bool
etag_match(const char *list, const char *etag, bool strong)
{
	const char	*s, *end;
	size_t		 len = strlen(etag);
	bool		 weak;

	s = skip_list_blanks(list);
	if (!strong && s[0] == '*' && *skip_list_blanks(s + 1) == '\0')
		return true;
	while (*s != '\0') {
		weak = strncmp(s, "W/", 2) == 0;
		if (weak)
			s += 2;
		if (*s != '"' || (end = strchr(s + 1, '"')) == NULL)
			return false;
		end++;
		if ((size_t)(end - s) == len && strncmp(s, etag, len) == 0 &&
		    !(strong && weak))
			return true;
		s = skip_list_blanks(end);
	}
	return false;
}
