/* static.c: GET and HEAD of the files under a listener's root: a lookup that cannot leave it, validators, one byte range, and the kernel copying the bytes. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "forkgroup.h"

/* Never block on a FIFO someone left in the root, never take a terminal. */
#define STATIC_OPEN_FLAGS	(O_RDONLY | O_NONBLOCK | O_NOCTTY)
#define STATIC_INDEX		"index.html"

struct file {
	int		 fd;
	struct stat	 st;
	const char	*type;		/* Content-Type */
};

static int	 errno_status(int);
static int	 open_file(int, const char *, struct file *);
static int	 lookup(struct exchange *, const struct urlpath *,
		    struct file *);
static bool	 not_modified(struct evkeyvalq *, const char *, time_t);
static bool	 if_range_holds(struct evkeyvalq *, const char *, time_t);
static int	 send_file(struct exchange *, struct file *);

/*
 * Before binding, in the parent: every configured root must be an existing
 * directory.  Returns -1 after logging each that is not, as file:line.
 */
int
static_check_roots(const struct config *cfg)
{
	const struct listener_conf	*l;
	struct stat			 st;
	size_t				 i;
	int				 rc = 0;

	for (i = 0; i < cfg->nlisteners; i++) {
		l = &cfg->listeners[i];
		if (l->root == NULL)
			continue;
		if (stat(l->root, &st) == -1) {
			log_warnx("%s:%d: root = %s: %s", cfg->path,
			    l->root_line, l->root, strerror(errno));
			rc = -1;
		} else if (!S_ISDIR(st.st_mode)) {
			log_warnx("%s:%d: root = %s: not a directory",
			    cfg->path, l->root_line, l->root);
			rc = -1;
		}
	}
	return rc;
}

/*
 * In the child, once: the directory every lookup starts from, and how
 * lookups are made beneath it, logged since it changes which symbolic links
 * are followed.  -1 if it cannot be opened (logged).
 */
int
static_open_root(const char *path)
{
	int	fd, err;

	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("root %s", path);
		return -1;
	}
	if ((err = resolve_probe(fd)) == 0)
		log_info("root %s: resolving paths with openat2", path);
	else
		log_info("root %s: openat2: %s: resolving paths one name at a "
		    "time, following no symbolic link", path, strerror(err));
	return fd;
}

/*
 * What a failed lookup tells the client: nothing about what lies outside
 * the root.  The path is not logged: the client chose its bytes.
 */
static int
errno_status(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case ELOOP:		/* a symlink the walk refuses, a magic link */
	case EXDEV:		/* a symlink out of the root */
	case ENAMETOOLONG:
	case ENXIO:
	case ENODEV:
		return HTTP_NOTFOUND;
	case EACCES:
	case EPERM:
		return 403;
	case EMFILE:
	case ENFILE:
	case ENOMEM:
		return HTTP_SERVUNAVAIL;
	default:
		errno = err;
		log_warn("open beneath the root");
		return HTTP_INTERNAL;
	}
}

/* Returns 0, or the status to answer. */
static int
open_file(int rootfd, const char *rel, struct file *f)
{
	if ((f->fd = resolve_open(rootfd, rel, STATIC_OPEN_FLAGS)) == -1)
		return errno_status(errno);
	if (fstat(f->fd, &f->st) == -1) {
		log_warn("fstat beneath the root");
		(void)close(f->fd);
		return HTTP_INTERNAL;
	}
	return 0;
}

/*
 * Find the regular file path names: a directory means its index.html, and
 * is first redirected to its name with a "/" so that relative links in the
 * page work.  Returns 0 with f open, or the status to answer.
 */
static int
lookup(struct exchange *x, const struct urlpath *up, struct file *f)
{
	char		 index[URLPATH_MAX + sizeof(STATIC_INDEX)];
	char		 location[3 * URLPATH_MAX + 2];
	int		 status;

	if ((status = open_file(x->child->root_fd, up->rel, f)) != 0)
		return status;
	f->type = mime_type(up->rel);
	if (S_ISDIR(f->st.st_mode)) {
		(void)close(f->fd);
		if (!up->dir) {
			if (urlpath_dir_location(up, location,
			    sizeof(location)) == -1)
				return 414;
			evhttp_add_header(evhttp_request_get_output_headers(
			    x->req), "Location", location);
			return HTTP_MOVEPERM;
		}
		if (strcmp(up->rel, ".") == 0)
			snprintf(index, sizeof(index), "%s", STATIC_INDEX);
		else
			snprintf(index, sizeof(index), "%s/%s", up->rel,
			    STATIC_INDEX);
		if ((status = open_file(x->child->root_fd, index, f)) != 0)
			return status;
		f->type = mime_type(STATIC_INDEX);
	} else if (up->dir) {
		/* "file.txt/" names a directory that does not exist. */
		(void)close(f->fd);
		return HTTP_NOTFOUND;
	}
	if (!S_ISREG(f->st.st_mode)) {
		(void)close(f->fd);
		return HTTP_NOTFOUND;
	}
	return 0;
}

/*
 * RFC 9110 13.2.2: If-None-Match decides when present; otherwise
 * If-Modified-Since, if it is a valid date, and only to the second.
 */
static bool
not_modified(struct evkeyvalq *in, const char *etag, time_t mtime)
{
	const char	*value;
	time_t		 since;

	if ((value = evhttp_find_header(in, "If-None-Match")) != NULL)
		return etag_match(value, etag, false);
	if ((value = evhttp_find_header(in, "If-Modified-Since")) != NULL &&
	    httpdate_parse(value, &since) == 0)
		return mtime <= since;
	return false;
}

/* If-Range: a range only of the version the client already has part of. */
static bool
if_range_holds(struct evkeyvalq *in, const char *etag, time_t mtime)
{
	const char	*value;
	time_t		 when;

	if ((value = evhttp_find_header(in, "If-Range")) == NULL)
		return true;
	if (value[0] == '"' || strncmp(value, "W/", 2) == 0)
		return etag_match(value, etag, true);
	return httpdate_parse(value, &when) == 0 && when == mtime;
}

/* Headers, then the file itself for GET, which evhttp hands to sendfile(2). */
static int
send_file(struct exchange *x, struct file *f)
{
	struct evhttp_request	*req = x->req;
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body = evhttp_request_get_output_buffer(req);
	const char		*value;
	char			 etag[ETAG_MAX], modified[HTTPDATE_MAX];
	char			 text[96], length[SIZE_TEXT_MAX];
	struct range		 r = { 0, f->st.st_size - 1 };
	int64_t			 size = f->st.st_size;
	bool			 get = evhttp_request_get_command(req) ==
				    EVHTTP_REQ_GET;
	int			 code = HTTP_OK;

	if (etag_format(etag, sizeof(etag), size, f->st.st_mtim.tv_sec,
	    f->st.st_mtim.tv_nsec) == -1 ||
	    httpdate_format(f->st.st_mtim.tv_sec, modified,
	    sizeof(modified)) == -1) {
		(void)close(f->fd);
		return HTTP_INTERNAL;
	}
	if (not_modified(in, etag, f->st.st_mtim.tv_sec)) {
		(void)close(f->fd);
		evhttp_add_header(out, "ETag", etag);
		evhttp_add_header(out, "Last-Modified", modified);
		exchange_reply(x, HTTP_NOTMODIFIED);
		return 0;
	}
	if (get && (value = evhttp_find_header(in, "Range")) != NULL &&
	    if_range_holds(in, etag, f->st.st_mtim.tv_sec)) {
		switch (range_parse(value, size, &r)) {
		case RANGE_OK:
			code = 206;
			snprintf(text, sizeof(text), "bytes %" PRId64 "-%"
			    PRId64 "/%" PRId64, r.first, r.last, size);
			evhttp_add_header(out, "Content-Range", text);
			break;
		case RANGE_UNSATISFIABLE:
			(void)close(f->fd);
			snprintf(text, sizeof(text), "bytes */%" PRId64, size);
			evhttp_add_header(out, "Content-Range", text);
			return 416;
		case RANGE_NONE:
			break;
		}
	}
	evhttp_add_header(out, "Content-Type", f->type);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", modified);
	evhttp_add_header(out, "Accept-Ranges", "bytes");
	evhttp_add_header(out, "Content-Length",
	    size_text((uint64_t)(r.last - r.first + 1), length));
	if (!get || size == 0)
		(void)close(f->fd);
	/*
	 * Without DRAINS_TO_FD libevent would mmap the whole file into the
	 * request's buffer, and the pages sent would count in the child's RSS;
	 * with it, the segment goes to the socket with sendfile(2).
	 */
	else if (evbuffer_set_flags(body, EVBUFFER_FLAG_DRAINS_TO_FD) == -1 ||
	    evbuffer_add_file(body, f->fd, r.first,
	    r.last - r.first + 1) == -1) {
		log_warnx("cannot queue a file for sending");
		(void)close(f->fd);
		evhttp_clear_headers(out);
		return HTTP_INTERNAL;
	}
	exchange_reply(x, code);
	return 0;
}

/*
 * GET or HEAD of the request's path, as urlpath_parse made it, beneath the
 * root.  Returns 0 once it has replied, or the error status for the caller
 * to answer (with any header that status needs, Location or Content-Range,
 * already set).
 */
int
static_serve(struct exchange *x, const struct urlpath *up)
{
	struct file	f;
	int		 status;

	if ((status = lookup(x, up, &f)) != 0)
		return status;
	return send_file(x, &f);
}
