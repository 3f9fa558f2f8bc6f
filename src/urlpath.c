/* urlpath.c: a request's path, percent-decoded once and checked, as a path relative to the static root. */
#include <string.h>

#include "forkgroup.h"

static int	 hex_value(int);

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Turn the first len bytes of a request's raw path ("/a//b%20c/") into
 * up->rel ("a/b c"),
 * for opening beneath the root; "." stands for the root itself.  The path is
 * decoded exactly once, so "%252e" is the name "%2e", never "."; a decoded
 * "%2f" separates segments like "/" does, and empty segments ("//") are
 * dropped.  up->dir tells that the path ends with "/" (or is the root).
 * Returns 0, or the HTTP status to answer:
 *   400  no leading "/", a malformed %-escape, or a NUL byte ("%00");
 *   404  a segment starting with ".": "..", "." and every dotfile;
 *   414  longer than URLPATH_MAX once decoded.
 */
int
urlpath_parse(const char *raw, size_t rawlen, struct urlpath *up)
{
	char		 dec[URLPATH_MAX];
	const char	*s, *seg, *end, *stop = raw + rawlen;
	size_t		 n = 0, len, out = 0;
	int		 hi, lo;

	if (rawlen == 0 || raw[0] != '/')
		return 400;
	for (s = raw; s < stop; s++) {
		if (n == sizeof(dec) - 1)
			return 414;
		if (*s != '%') {
			dec[n++] = *s;
			continue;
		}
		if (stop - s < 3 ||
		    (hi = hex_value((unsigned char)s[1])) == -1 ||
		    (lo = hex_value((unsigned char)s[2])) == -1)
			return 400;
		if (hi == 0 && lo == 0)
			return 400;
		dec[n++] = (char)(hi << 4 | lo);
		s += 2;
	}
	dec[n] = '\0';

	for (seg = dec; *seg != '\0'; seg = *end == '\0' ? end : end + 1) {
		end = seg + strcspn(seg, "/");
		len = (size_t)(end - seg);
		if (len == 0)
			continue;
		if (seg[0] == '.')
			return 404;
		if (out > 0)
			up->rel[out++] = '/';
		memcpy(up->rel + out, seg, len);
		out += len;
	}
	if (out == 0)
		up->rel[out++] = '.';
	up->rel[out] = '\0';
	up->dir = n > 0 && dec[n - 1] == '/';
	return 0;
}

/*
 * The absolute, percent-encoded path of up's directory with a trailing "/",
 * for the Location of a redirect: only unreserved characters and "/" are
 * left as they are.  Returns -1 if it does not fit.
 */
int
urlpath_dir_location(const struct urlpath *up, char *buf, size_t size)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;
	size_t			 n = 0;
	bool			 plain;

	if (size < 2)
		return -1;
	buf[n++] = '/';
	if (strcmp(up->rel, ".") != 0) {
		for (s = (const unsigned char *)up->rel; *s != '\0'; s++) {
			plain = (*s >= 'A' && *s <= 'Z') ||
			    (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			    strchr("-._~/", *s) != NULL;
			/* This byte, then room for the final "/" and NUL. */
			if (size - n < (plain ? 1 : 3) + 2)
				return -1;
			if (plain)
				buf[n++] = (char)*s;
			else {
				buf[n++] = '%';
				buf[n++] = hex[*s >> 4];
				buf[n++] = hex[*s & 0xf];
			}
		}
		buf[n++] = '/';
	}
	buf[n] = '\0';
	return 0;
}
