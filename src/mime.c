/* mime.c: a file name's Content-Type, from its extension, for the common web types. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forkgroup.h"

#define MIME_DEFAULT	"application/octet-stream"

struct mime {
	const char	*ext;
	const char	*type;
};

static int	 by_ext(const void *, const void *);

/* Sorted by extension, for bsearch.  Text is declared UTF-8 so browsers do not guess. */
static const struct mime types[] = {
	{ "avif",	"image/avif" },
	{ "css",	"text/css; charset=utf-8" },
	{ "csv",	"text/csv; charset=utf-8" },
	{ "gif",	"image/gif" },
	{ "gz",		"application/gzip" },
	{ "htm",	"text/html; charset=utf-8" },
	{ "html",	"text/html; charset=utf-8" },
	{ "ico",	"image/vnd.microsoft.icon" },
	{ "jpeg",	"image/jpeg" },
	{ "jpg",	"image/jpeg" },
	{ "js",		"text/javascript; charset=utf-8" },
	{ "json",	"application/json" },
	{ "map",	"application/json" },
	{ "md",		"text/markdown; charset=utf-8" },
	{ "mjs",	"text/javascript; charset=utf-8" },
	{ "mp3",	"audio/mpeg" },
	{ "mp4",	"video/mp4" },
	{ "ogg",	"audio/ogg" },
	{ "otf",	"font/otf" },
	{ "pdf",	"application/pdf" },
	{ "png",	"image/png" },
	{ "svg",	"image/svg+xml" },
	{ "tar",	"application/x-tar" },
	{ "ttf",	"font/ttf" },
	{ "txt",	"text/plain; charset=utf-8" },
	{ "wasm",	"application/wasm" },
	{ "webm",	"video/webm" },
	{ "webp",	"image/webp" },
	{ "woff",	"font/woff" },
	{ "woff2",	"font/woff2" },
	{ "xml",	"application/xml" },
	{ "zip",	"application/zip" },
};

static int
by_ext(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct mime *)elem)->ext);
}

/*
 * The type for path's last segment, by what follows its last "." (any
 * case); application/octet-stream when there is no known extension.
 */
const char *
mime_type(const char *path)
{
	const char		*name, *dot;
	const struct mime	*m;

	name = strrchr(path, '/');
	name = name != NULL ? name + 1 : path;
	dot = strrchr(name, '.');
	if (dot == NULL || dot == name)
		return MIME_DEFAULT;
	m = bsearch(dot + 1, types, sizeof(types) / sizeof(types[0]),
	    sizeof(types[0]), by_ext);
	return m != NULL ? m->type : MIME_DEFAULT;
}
