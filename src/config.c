/* config.c: read the INI file with inih into a struct config, collecting every error as "file:line: message". */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "forkgroup.h"

enum section {
	SECTION_NONE,		/* before the first header */
	SECTION_GLOBAL,		/* [forkgroup] */
	SECTION_LISTENER,	/* [listener NAME] */
	SECTION_UNKNOWN		/* reported once at its header */
};

/* Where each key was first set, to name it in "duplicate key" errors. */
struct key_lines {
	int	listen;
	int	shutdown;
	int	exit_after;
	int	root;
	int	access_log;
	int	read_timeout;
	int	idle_timeout;
	int	max_header_size;
	int	max_body_size;
	int	workers;
};

struct parse {
	FILE			*fp;
	const char		*file;
	int			 line;
	enum section		 section;
	struct config		*cfg;
	struct config_errors	*errs;
	struct key_lines	*listener_keys;	/* parallel to cfg->listeners */
	int			 stop_timeout_line;
	int			 drain_timeout_line;
	int			 reload_timeout_line;
	int			 user_line;
	int			 group_line;
	/* A listener header, even a refused one: not "no listeners". */
	bool			 listener_seen;
};

static void	 error_at(struct parse *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 by_line(const void *, const void *);
static char	*trim(char *);
static bool	 valid_name(const char *);
static bool	 names_listener(const char *);
static void	 section_begin(struct parse *, char *);
static bool	 has_key(const char *);
static bool	 classify_line(struct parse *, char *);
static char	*read_line(char *, int, void *);
static bool	 set_once(struct parse *, int *, const char *);
static int	 parse_bool(const char *, bool *);
static void	 account_key(struct parse *, const char *, const char *, int *,
		    char **);
static void	 global_key(struct parse *, const char *, const char *);
static void	 path_key(struct parse *, const char *, const char *, char **);
static void	 timeout_key(struct parse *, const char *, const char *,
		    int64_t *);
static void	 size_key(struct parse *, const char *, const char *, int64_t,
		    int64_t, const char *, int64_t *);
static void	 workers_key(struct parse *, const char *, unsigned *);
static void	 listener_key(struct parse *, const char *, const char *);
static int	 on_key(void *, const char *, const char *, const char *);
static void	 validate(struct parse *);
static bool	 same_name(const char *, const char *);
static void	 account_kept(struct parse *, const char *, const char *,
		    const char *, int);

static void
error_at(struct parse *p, int line, const char *fmt, ...)
{
	struct config_error	*grown;
	char			*msg, *full;
	va_list			 ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL || (line > 0 ? asprintf(&full, "%s:%d: %s", p->file,
	    line, msg) : asprintf(&full, "%s: %s", p->file, msg)) == -1)
		full = NULL;
	free(msg);
	grown = reallocarray(p->errs->list, p->errs->n + 1, sizeof(*grown));
	if (grown == NULL) {
		free(full);
		return;
	}
	p->errs->list = grown;
	/* A message lost to ENOMEM still counts, so the load still fails. */
	grown[p->errs->n] = (struct config_error){ line, p->errs->n, full };
	p->errs->n++;
}

static int
by_line(const void *a, const void *b)
{
	const struct config_error *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static char *
trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool
valid_name(const char *name)
{
	size_t	len = strlen(name);

	if (len == 0 || len > FG_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == len;
}

/*
 * Whether a header (the text after "[") is meant as a listener section,
 * however broken: its own error then says all, and "no listeners" would
 * only repeat it.
 */
static bool
names_listener(const char *header)
{
	while (isspace((unsigned char)*header))
		header++;
	return strncmp(header, "listener", 8) == 0 &&
	    (header[8] == '\0' || header[8] == ']' ||
	    isspace((unsigned char)header[8]));
}

/* header is the text between the brackets. */
static void
section_begin(struct parse *p, char *header)
{
	struct config		*cfg = p->cfg;
	struct listener_conf	*l, *grown;
	struct key_lines	*keys;
	char			*name;
	size_t			 i;

	header = trim(header);
	p->section = SECTION_UNKNOWN;
	if (strcmp(header, "forkgroup") == 0) {
		p->section = SECTION_GLOBAL;
		return;
	}
	if (!names_listener(header)) {
		error_at(p, p->line, "unknown section [%s]", header);
		return;
	}
	name = trim(header + 8);
	if (*name == '\0') {
		error_at(p, p->line, "listener section needs a name: "
		    "[listener NAME]");
		return;
	}
	if (!valid_name(name)) {
		error_at(p, p->line, "invalid listener name \"%s\" (1 to %d of "
		    "A-Z a-z 0-9 _ -)", name, FG_NAME_MAX);
		return;
	}
	for (i = 0; i < cfg->nlisteners; i++) {
		if (strcmp(cfg->listeners[i].name, name) == 0) {
			error_at(p, p->line, "duplicate listener name \"%s\" "
			    "(first at line %d)", name, cfg->listeners[i].line);
			return;
		}
	}
	if (cfg->nlisteners == FG_LISTENERS_MAX) {
		error_at(p, p->line, "too many listeners (at most %d)",
		    FG_LISTENERS_MAX);
		return;
	}
	grown = reallocarray(cfg->listeners, cfg->nlisteners + 1,
	    sizeof(*grown));
	if (grown == NULL) {
		error_at(p, p->line, "out of memory");
		return;
	}
	cfg->listeners = grown;
	keys = reallocarray(p->listener_keys, cfg->nlisteners + 1,
	    sizeof(*keys));
	if (keys == NULL) {
		error_at(p, p->line, "out of memory");
		return;
	}
	p->listener_keys = keys;
	l = &cfg->listeners[cfg->nlisteners];
	memset(l, 0, sizeof(*l));
	memset(&keys[cfg->nlisteners], 0, sizeof(*keys));
	if ((l->name = strdup(name)) == NULL) {
		error_at(p, p->line, "out of memory");
		return;
	}
	l->exit_after_ms = -1;
	l->read_timeout_ms = CONFIG_READ_TIMEOUT_MS;
	l->idle_timeout_ms = CONFIG_IDLE_TIMEOUT_MS;
	l->max_header_size = CONFIG_MAX_HEADER_SIZE;
	l->max_body_size = CONFIG_MAX_BODY_SIZE;
	l->workers = 1;
	l->line = p->line;
	cfg->nlisteners++;
	p->section = SECTION_LISTENER;
}

/*
 * Whether inih finds a key in line: a name, then "=" or ":", before any
 * " ;" comment, which inih cuts off first.  Otherwise inih drops the line
 * without a call to the handler, and the mistake would go unreported.
 */
static bool
has_key(const char *line)
{
	const char	*s;

	for (s = line; *s != '\0'; s++) {
		if (*s == '=' || *s == ':')
			return s > line;
		if (*s == ';' && s > line && isspace((unsigned char)s[-1]))
			return false;
	}
	return false;
}

/*
 * Check one line's shape before inih sees it.  inih reports only the first
 * malformed line and calls no handler for section headers; doing this here
 * reports every bad line and sees empty sections too.  Returns false when
 * the line must be hidden from inih.
 */
static bool
classify_line(struct parse *p, char *line)
{
	char	*close, *rest;

	if (*line == '\0' || *line == ';' || *line == '#')
		return true;
	if (*line != '[') {
		if (has_key(line))
			return true;
		error_at(p, p->line, "expected key = value");
		return false;
	}
	if (names_listener(line + 1))
		p->listener_seen = true;
	/* A refused header still ends the section before it. */
	close = strchr(line, ']');
	if (close == NULL) {
		error_at(p, p->line, "unterminated section header");
		p->section = SECTION_UNKNOWN;
		return false;
	}
	rest = trim(close + 1);
	if (*rest != '\0' && *rest != ';' && *rest != '#') {
		error_at(p, p->line, "unexpected text after section header");
		p->section = SECTION_UNKNOWN;
		return false;
	}
	*close = '\0';
	section_begin(p, line + 1);
	*close = ']';
	return true;
}

/*
 * inih's fgets-like reader: counts lines (inih's handler gets no line
 * number), refuses lines longer than inih's buffer and NUL bytes instead of
 * letting inih split or cut them, and strips leading blanks so an indented
 * key is never taken for a multi-line continuation.
 */
static char *
read_line(char *buf, int size, void *arg)
{
	struct parse	*p = arg;
	size_t		 n = 0, max = (size_t)size - 2;
	bool		 too_long = false, nul = false;
	int		 c;
	char		*line;

	while ((c = getc(p->fp)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		else if (n < max)
			buf[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == EOF && n == 0 && !too_long && !nul)
		return NULL;
	buf[n] = '\0';
	p->line++;
	if (too_long || nul) {
		if (too_long)
			error_at(p, p->line, "line too long (at most %zu "
			    "characters)", max);
		else
			error_at(p, p->line, "NUL byte in line");
		strcpy(buf, "\n");
		return buf;
	}
	line = buf;
	if (p->line == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	line = trim(line);
	memmove(buf, line, strlen(line) + 1);
	if (!classify_line(p, buf))
		buf[0] = '\0';
	strcat(buf, "\n");
	return buf;
}

static bool
set_once(struct parse *p, int *line, const char *key)
{
	if (*line != 0) {
		/* A refused listen is kept as -line: set, but unusable. */
		error_at(p, p->line, "%s: duplicate key (first at line %d)",
		    key, abs(*line));
		return false;
	}
	*line = p->line;
	return true;
}

static int
parse_bool(const char *value, bool *b)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t		 i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*b = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*b = false;
			return 0;
		}
	}
	return -1;
}

/* user = NAME, group = NAME: resolved at start-up, not here, so -t works anywhere. */
static void
account_key(struct parse *p, const char *key, const char *value, int *line,
    char **slot)
{
	if (!set_once(p, line, key))
		return;
	if (*value == '\0' || strlen(value) > 32 ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(value)) {
		error_at(p, p->line, "%s: invalid name \"%s\"", key, value);
		return;
	}
	if ((*slot = strdup(value)) == NULL)
		error_at(p, p->line, "out of memory");
}

static void
global_key(struct parse *p, const char *key, const char *value)
{
	int64_t		*ms;
	int		*line;

	if (strcmp(key, "user") == 0) {
		account_key(p, key, value, &p->user_line, &p->cfg->user);
		return;
	}
	if (strcmp(key, "group") == 0) {
		account_key(p, key, value, &p->group_line, &p->cfg->group);
		return;
	}
	if (strcmp(key, "stop_timeout") == 0) {
		ms = &p->cfg->stop_timeout_ms;
		line = &p->stop_timeout_line;
	} else if (strcmp(key, "drain_timeout") == 0) {
		ms = &p->cfg->drain_timeout_ms;
		line = &p->drain_timeout_line;
	} else if (strcmp(key, "reload_timeout") == 0) {
		ms = &p->cfg->reload_timeout_ms;
		line = &p->reload_timeout_line;
	} else {
		error_at(p, p->line, "%s: unknown key in [forkgroup]", key);
		return;
	}
	if (set_once(p, line, key))
		timeout_key(p, key, value, ms);
}

/*
 * root = /srv/www, access_log = /var/log/...: absolute, so the meaning does
 * not depend on the directory forkgroup was started in.  Whether the root
 * exists is checked at start-up, not here, so -t works anywhere.
 */
static void
path_key(struct parse *p, const char *key, const char *value, char **slot)
{
	if (value[0] != '/' || strlen(value) >= URLPATH_MAX) {
		error_at(p, p->line, "%s: expected an absolute path, not \"%s\"",
		    key, value);
		return;
	}
	if ((*slot = strdup(value)) == NULL)
		error_at(p, p->line, "out of memory");
}

static void
timeout_key(struct parse *p, const char *key, const char *value,
    int64_t *ms)
{
	const char	*why;

	if (duration_parse(value, CONFIG_TIMEOUT_MAX_MS, ms, &why) == -1)
		error_at(p, p->line, "%s: %s: \"%s\" (at most 60m)", key, why,
		    value);
	else if (*ms == 0)
		error_at(p, p->line, "%s: must be longer than 0", key);
}

/* bounds: min and max as the file would spell them, for the message */
static void
size_key(struct parse *p, const char *key, const char *value, int64_t min,
    int64_t max, const char *bounds, int64_t *bytes)
{
	const char	*why;

	if (size_parse(value, min, max, bytes, &why) == -1)
		error_at(p, p->line, "%s: %s: \"%s\" (%s)", key, why, value,
		    bounds);
}

/* A plain decimal count: no sign, no unit, no leading zero. */
static void
workers_key(struct parse *p, const char *value, unsigned *workers)
{
	char	*end;
	long	 n;

	if (value[0] < '1' || value[0] > '9') {
		error_at(p, p->line, "workers: expected a number from 1 to %d, "
		    "not \"%s\"", FG_WORKERS_MAX, value);
		return;
	}
	errno = 0;
	n = strtol(value, &end, 10);
	if (*end != '\0' || errno == ERANGE || n > FG_WORKERS_MAX) {
		error_at(p, p->line, "workers: expected a number from 1 to %d, "
		    "not \"%s\"", FG_WORKERS_MAX, value);
		return;
	}
	*workers = (unsigned)n;
}

static void
listener_key(struct parse *p, const char *key, const char *value)
{
	struct listener_conf	*l = &p->cfg->listeners[p->cfg->nlisteners - 1];
	struct key_lines	*keys = &p->listener_keys[p->cfg->nlisteners - 1];
	const char		*why;

	if (strcmp(key, "listen") == 0) {
		if (!set_once(p, &keys->listen, key))
			return;
		if (address_parse(value, &l->addr, &why) == -1) {
			error_at(p, p->line, "listen: %s: \"%s\"", why, value);
			keys->listen = -p->line;	/* set, but unusable */
			return;
		}
		address_format(&l->addr, l->addr_text, sizeof(l->addr_text));
	} else if (strcmp(key, "shutdown") == 0) {
		if (set_once(p, &keys->shutdown, key) &&
		    parse_bool(value, &l->shutdown) == -1)
			error_at(p, p->line, "shutdown: expected yes or no, "
			    "not \"%s\"", value);
	} else if (strcmp(key, "exit_after") == 0) {
		if (set_once(p, &keys->exit_after, key) &&
		    duration_parse(value, CONFIG_EXIT_AFTER_MAX_MS,
		    &l->exit_after_ms, &why) == -1)
			error_at(p, p->line, "exit_after: %s: \"%s\"", why,
			    value);
	} else if (strcmp(key, "root") == 0) {
		if (set_once(p, &keys->root, key)) {
			l->root_line = p->line;
			path_key(p, key, value, &l->root);
		}
	} else if (strcmp(key, "access_log") == 0) {
		if (!set_once(p, &keys->access_log, key) ||
		    strcmp(value, "off") == 0)
			return;
		if (strcmp(value, "stderr") == 0) {
			if ((l->access_log = strdup(value)) == NULL)
				error_at(p, p->line, "out of memory");
		} else if (value[0] == '/')
			path_key(p, key, value, &l->access_log);
		else
			error_at(p, p->line, "access_log: expected off, stderr "
			    "or an absolute path, not \"%s\"", value);
	} else if (strcmp(key, "read_timeout") == 0) {
		if (set_once(p, &keys->read_timeout, key))
			timeout_key(p, key, value, &l->read_timeout_ms);
	} else if (strcmp(key, "idle_timeout") == 0) {
		if (set_once(p, &keys->idle_timeout, key))
			timeout_key(p, key, value, &l->idle_timeout_ms);
	} else if (strcmp(key, "max_header_size") == 0) {
		if (set_once(p, &keys->max_header_size, key))
			size_key(p, key, value, CONFIG_MAX_HEADER_SIZE_MIN,
			    CONFIG_MAX_HEADER_SIZE_MAX, "from 1k to 1m",
			    &l->max_header_size);
	} else if (strcmp(key, "max_body_size") == 0) {
		if (set_once(p, &keys->max_body_size, key))
			size_key(p, key, value, 0, CONFIG_MAX_BODY_SIZE_MAX,
			    "from 0 to 1g", &l->max_body_size);
	} else if (strcmp(key, "workers") == 0) {
		if (set_once(p, &keys->workers, key))
			workers_key(p, value, &l->workers);
	} else
		error_at(p, p->line, "%s: unknown key in [listener %s]", key,
		    l->name);
}

static int
on_key(void *arg, const char *section, const char *key, const char *value)
{
	struct parse	*p = arg;

	(void)section;	/* read_line tracked it, with its line */
	switch (p->section) {
	case SECTION_NONE:
		error_at(p, p->line, "%s: key outside any section", key);
		break;
	case SECTION_GLOBAL:
		global_key(p, key, value);
		break;
	case SECTION_LISTENER:
		listener_key(p, key, value);
		break;
	case SECTION_UNKNOWN:
		break;
	}
	return 1;	/* errors are collected, never inih's */
}

static void
validate(struct parse *p)
{
	struct config	*cfg = p->cfg;
	size_t		 i, j;

	if (!p->listener_seen)
		error_at(p, p->line > 0 ? p->line : 1,
		    "no listeners: add a [listener NAME] section");
	for (i = 0; i < cfg->nlisteners; i++) {
		struct listener_conf *l = &cfg->listeners[i];
		int line = p->listener_keys[i].listen;

		/* Said once, at the listener that goes past the bound. */
		if (cfg->nchildren <= FG_CHILDREN_MAX &&
		    cfg->nchildren + l->workers > FG_CHILDREN_MAX)
			error_at(p, p->listener_keys[i].workers > 0 ?
			    p->listener_keys[i].workers : l->line, "too many "
			    "children: [listener %s] makes %zu, at most %d in "
			    "all", l->name, cfg->nchildren + l->workers,
			    FG_CHILDREN_MAX);
		cfg->nchildren += l->workers;

		if (line == 0) {
			error_at(p, l->line, "[listener %s] has no listen "
			    "address", l->name);
			continue;
		}
		if (line < 0)
			continue;
		for (j = 0; j < i; j++) {
			struct listener_conf *o = &cfg->listeners[j];
			int oline = p->listener_keys[j].listen;

			if (oline <= 0)
				continue;
			if (address_equal(&o->addr, &l->addr))
				error_at(p, line, "listen: %s is already used "
				    "by [listener %s] (line %d)", l->addr_text,
				    o->name, oline);
			else if (address_overlap(&o->addr, &l->addr))
				error_at(p, line, "listen: %s overlaps %s of "
				    "[listener %s] (line %d): a wildcard takes "
				    "the port on every address of its family",
				    l->addr_text, o->addr_text, o->name, oline);
		}
	}
	if (cfg->group != NULL && cfg->user == NULL)
		error_at(p, p->group_line, "group: needs user as well");
	if (cfg->drain_timeout_ms >= cfg->stop_timeout_ms &&
	    (p->stop_timeout_line > 0 || p->drain_timeout_line > 0))
		error_at(p, p->drain_timeout_line > 0 ? p->drain_timeout_line :
		    p->stop_timeout_line, "drain_timeout (%lld ms) must be "
		    "shorter than stop_timeout (%lld ms), or children are "
		    "killed mid-drain", (long long)cfg->drain_timeout_ms,
		    (long long)cfg->stop_timeout_ms);
}

/* Parse an open stream; file names it in messages.  Returns the error count. */
size_t
config_parse(FILE *fp, const char *file, struct config *cfg,
    struct config_errors *errs)
{
	struct parse	p;

	memset(cfg, 0, sizeof(*cfg));
	memset(errs, 0, sizeof(*errs));
	memset(&p, 0, sizeof(p));
	p.fp = fp;
	p.file = file;
	p.cfg = cfg;
	p.errs = errs;
	cfg->stop_timeout_ms = CONFIG_STOP_TIMEOUT_MS;
	cfg->drain_timeout_ms = CONFIG_DRAIN_TIMEOUT_MS;
	cfg->reload_timeout_ms = CONFIG_RELOAD_TIMEOUT_MS;
	if ((cfg->path = strdup(file)) == NULL)
		error_at(&p, 0, "out of memory");
	if (ini_parse_stream(read_line, &p, on_key, &p) == -2)
		error_at(&p, p.line, "out of memory");
	if (ferror(fp))
		error_at(&p, p.line, "read error: %s", strerror(errno));
	validate(&p);
	cfg->user_line = p.user_line;
	cfg->group_line = p.group_line;
	free(p.listener_keys);
	if (errs->n > 1)
		qsort(errs->list, errs->n, sizeof(*errs->list), by_line);
	return errs->n;
}

size_t
config_load(const char *path, struct config *cfg, struct config_errors *errs)
{
	struct parse	 p;
	FILE		*fp;
	size_t		 n;

	if ((fp = fopen(path, "re")) == NULL) {
		memset(cfg, 0, sizeof(*cfg));
		memset(errs, 0, sizeof(*errs));
		memset(&p, 0, sizeof(p));
		p.file = path;
		p.errs = errs;
		error_at(&p, 0, "%s", strerror(errno));
		return errs->n;
	}
	n = config_parse(fp, path, cfg, errs);
	fclose(fp);
	return n;
}

static bool
same_name(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
account_kept(struct parse *p, const char *key, const char *was,
    const char *now, int line)
{
	if (!same_name(was, now))
		error_at(p, line, "%s: was %s%s%s, is %s%s%s: a reload cannot "
		    "change the account; restart forkgroup", key,
		    was != NULL ? "\"" : "", was != NULL ? was : "unset",
		    was != NULL ? "\"" : "", now != NULL ? "\"" : "",
		    now != NULL ? now : "unset", now != NULL ? "\"" : "");
}

/*
 * What the running group cannot take from a new file: the account its
 * children run as (the parent has dropped the privileges to change it).
 * Adds to errs, in line order; returns how many errors errs holds now.
 */
size_t
config_reload_check(const struct config *old, const struct config *new,
    struct config_errors *errs)
{
	struct parse	p;

	memset(&p, 0, sizeof(p));
	p.file = new->path != NULL ? new->path : old->path;
	p.errs = errs;
	account_kept(&p, "user", old->user, new->user, new->user_line);
	account_kept(&p, "group", old->group, new->group, new->group_line);
	if (errs->n > 1)
		qsort(errs->list, errs->n, sizeof(*errs->list), by_line);
	return errs->n;
}

/* The worker's name in titles, logs and /status: "web", or "web#2" of several. */
void
config_worker_name(const struct listener_conf *l, unsigned worker, char *buf,
    size_t len)
{
	if (l->workers == 1)
		snprintf(buf, len, "%s", l->name);
	else
		snprintf(buf, len, "%s#%u", l->name, worker);
}

void
config_free(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nlisteners; i++) {
		free(cfg->listeners[i].name);
		free(cfg->listeners[i].root);
		free(cfg->listeners[i].access_log);
	}
	free(cfg->listeners);
	free(cfg->path);
	free(cfg->user);
	free(cfg->group);
	memset(cfg, 0, sizeof(*cfg));
}

void
config_errors_free(struct config_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		free(errs->list[i].msg);
	free(errs->list);
	memset(errs, 0, sizeof(*errs));
}
