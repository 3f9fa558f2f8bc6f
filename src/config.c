/* config.c: read the INI file with inih into a struct config, collecting every error as "file:line: message"; every key is a row of config_keys. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "forkgroup.h"

#define G(field)	offsetof(struct config, field)
#define L(field)	offsetof(struct listener_conf, field)

/*
 * Every key, one row each: parsing, bounds, defaults and messages all come
 * from here.  A default is spelled as the file would spell it and parsed
 * like the file's own value, so forkgroup.conf(5) can quote it as it is
 * (check_config.c holds the page to these rows).
 */
const struct config_key config_keys[] = {
	{ "stop_timeout", false, CONFIG_DURATION, G(stop_timeout_ms), "5s",
	    1, CONFIG_TIMEOUT_MAX_MS, "at most 60m" },
	{ "drain_timeout", false, CONFIG_DURATION, G(drain_timeout_ms), "3s",
	    1, CONFIG_TIMEOUT_MAX_MS, "at most 60m" },
	{ "reload_timeout", false, CONFIG_DURATION, G(reload_timeout_ms), "10s",
	    1, CONFIG_TIMEOUT_MAX_MS, "at most 60m" },
	{ "user", false, CONFIG_ACCOUNT, G(user), NULL, 0, 0, NULL },
	{ "group", false, CONFIG_ACCOUNT, G(group), NULL, 0, 0, NULL },
	{ "listen", true, CONFIG_ADDRESS, L(addr), NULL, 0, 0, NULL },
	{ "workers", true, CONFIG_COUNT, L(workers), "1", 1, FG_WORKERS_MAX,
	    NULL },
	{ "shutdown", true, CONFIG_BOOL, L(shutdown), "no", 0, 0, NULL },
	{ "exit_after", true, CONFIG_DURATION, L(exit_after_ms), NULL, 0,
	    CONFIG_EXIT_AFTER_MAX_MS, NULL },
	{ "root", true, CONFIG_PATH, L(root), NULL, 0, 0, NULL },
	{ "access_log", true, CONFIG_ACCESS_LOG, L(access_log), "off", 0, 0,
	    NULL },
	{ "read_timeout", true, CONFIG_DURATION, L(read_timeout_ms), "30s",
	    1, CONFIG_TIMEOUT_MAX_MS, "at most 60m" },
	{ "idle_timeout", true, CONFIG_DURATION, L(idle_timeout_ms), "60s",
	    1, CONFIG_TIMEOUT_MAX_MS, "at most 60m" },
	{ "max_header_size", true, CONFIG_SIZE, L(max_header_size), "8k",
	    CONFIG_MAX_HEADER_SIZE_MIN, CONFIG_MAX_HEADER_SIZE_MAX,
	    "from 1k to 1m" },
	/* No route reads a body. */
	{ "max_body_size", true, CONFIG_SIZE, L(max_body_size), "0", 0,
	    CONFIG_MAX_BODY_SIZE_MAX, "from 0 to 1g" },
};
#define NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))
const size_t config_nkeys = NKEYS;

enum section {
	SECTION_NONE,		/* before the first header */
	SECTION_GLOBAL,		/* [forkgroup] */
	SECTION_LISTENER,	/* [listener NAME] */
	SECTION_UNKNOWN		/* reported once at its header */
};

/*
 * Where each key of a section was first set, by row, to name it in
 * "duplicate key" errors; 0: unset; -line: set, but refused.
 */
struct key_lines {
	int	at[NKEYS];
};

struct parse {
	FILE			*fp;
	const char		*file;
	int			 line;
	enum section		 section;
	struct config		*cfg;
	struct config_errors	*errs;
	struct key_lines	 global;
	struct key_lines	*listener_keys;	/* parallel to cfg->listeners */
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
static size_t	 key_row(const char *);
static int	 key_line(const struct key_lines *, const char *);
static int	 parse_bool(const char *, bool *);
static int	 parse_count(const char *, int64_t, int64_t, unsigned *);
static bool	 valid_account(const char *);
static bool	 key_value(struct parse *, const struct config_key *,
		    const char *, void *);
static void	 key_defaults(struct parse *, bool, void *);
static void	 section_key(struct parse *, bool, const char *, const char *);
static int	 on_key(void *, const char *, const char *, const char *);
static void	 timeouts_follow(struct parse *);
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
	l->line = p->line;
	cfg->nlisteners++;
	p->section = SECTION_LISTENER;
	key_defaults(p, true, l);
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

/* The row of a key, or NKEYS. */
static size_t
key_row(const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			break;
	return i;
}

/* Where a section set the key: 0 unset, -line refused. */
static int
key_line(const struct key_lines *lines, const char *name)
{
	return lines->at[key_row(name)];
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

/* A plain decimal count: no sign, no unit, no leading zero. */
static int
parse_count(const char *value, int64_t min, int64_t max, unsigned *count)
{
	char	*end;
	long	 n;

	if (value[0] < '1' || value[0] > '9')
		return -1;
	errno = 0;
	n = strtol(value, &end, 10);
	if (*end != '\0' || errno == ERANGE || n < min || n > max)
		return -1;
	*count = (unsigned)n;
	return 0;
}

/* user = NAME, group = NAME: resolved at start-up, not here, so -t works anywhere. */
static bool
valid_account(const char *value)
{
	return *value != '\0' && strlen(value) <= 32 &&
	    strspn(value, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(value);
}

/*
 * Parse value as row k says into its field of base (a struct config or a
 * struct listener_conf).  Paths are absolute, so their meaning does not
 * depend on the directory forkgroup was started in; whether a root exists
 * is checked at start-up, so -t works anywhere.  Returns false, the error
 * collected, when the value is refused.
 */
static bool
key_value(struct parse *p, const struct config_key *k, const char *value,
    void *base)
{
	void		*field = (char *)base + k->offset;
	const char	*why;
	char		**text = field;
	int64_t		 n;

	switch (k->type) {
	case CONFIG_DURATION:
		if (duration_parse(value, k->max, &n, &why) == -1) {
			error_at(p, p->line, "%s: %s: \"%s\"%s%s%s", k->name,
			    why, value, k->bounds != NULL ? " (" : "",
			    k->bounds != NULL ? k->bounds : "",
			    k->bounds != NULL ? ")" : "");
			return false;
		}
		if (n < k->min) {
			error_at(p, p->line, "%s: must be longer than 0",
			    k->name);
			return false;
		}
		*(int64_t *)field = n;
		return true;
	case CONFIG_SIZE:
		if (size_parse(value, k->min, k->max, &n, &why) == -1) {
			error_at(p, p->line, "%s: %s: \"%s\" (%s)", k->name,
			    why, value, k->bounds);
			return false;
		}
		*(int64_t *)field = n;
		return true;
	case CONFIG_COUNT:
		if (parse_count(value, k->min, k->max, field) == -1) {
			error_at(p, p->line, "%s: expected a number from %lld "
			    "to %lld, not \"%s\"", k->name, (long long)k->min,
			    (long long)k->max, value);
			return false;
		}
		return true;
	case CONFIG_BOOL:
		if (parse_bool(value, field) == -1) {
			error_at(p, p->line, "%s: expected yes or no, not "
			    "\"%s\"", k->name, value);
			return false;
		}
		return true;
	case CONFIG_ADDRESS:
		if (address_parse(value, field, &why) == -1) {
			error_at(p, p->line, "%s: %s: \"%s\"", k->name, why,
			    value);
			return false;
		}
		return true;
	case CONFIG_ACCOUNT:
		if (!valid_account(value)) {
			error_at(p, p->line, "%s: invalid name \"%s\"",
			    k->name, value);
			return false;
		}
		break;
	case CONFIG_ACCESS_LOG:
		free(*text);
		*text = NULL;
		if (strcmp(value, "off") == 0)
			return true;
		if (strcmp(value, "stderr") == 0)
			break;
		if (value[0] != '/') {
			error_at(p, p->line, "%s: expected off, stderr or an "
			    "absolute path, not \"%s\"", k->name, value);
			return false;
		}
		/* FALLTHROUGH */
	case CONFIG_PATH:
		if (value[0] != '/' || strlen(value) >= URLPATH_MAX) {
			error_at(p, p->line, "%s: expected an absolute path, "
			    "not \"%s\"", k->name, value);
			return false;
		}
		break;
	}
	free(*text);
	if ((*text = strdup(value)) == NULL) {
		error_at(p, p->line, "out of memory");
		return false;
	}
	return true;
}

/*
 * A section's defaults, parsed from the rows' own text.  A duration with
 * no default is -1: never.
 */
static void
key_defaults(struct parse *p, bool listener, void *base)
{
	const struct config_key	*k;

	for (k = config_keys; k < config_keys + NKEYS; k++) {
		if (k->listener != listener)
			continue;
		if (k->def != NULL)
			key_value(p, k, k->def, base);
		else if (k->type == CONFIG_DURATION)
			*(int64_t *)((char *)base + k->offset) = -1;
	}
}

static void
section_key(struct parse *p, bool listener, const char *key,
    const char *value)
{
	struct listener_conf	*l = NULL;
	struct key_lines	*lines = &p->global;
	const struct config_key	*k;
	size_t			 row = key_row(key);
	void			*base = p->cfg;

	if (listener) {
		l = &p->cfg->listeners[p->cfg->nlisteners - 1];
		lines = &p->listener_keys[p->cfg->nlisteners - 1];
		base = l;
	}
	if (row == NKEYS || config_keys[row].listener != listener) {
		if (listener)
			error_at(p, p->line, "%s: unknown key in [listener %s]",
			    key, l->name);
		else
			error_at(p, p->line, "%s: unknown key in [forkgroup]",
			    key);
		return;
	}
	k = &config_keys[row];
	if (lines->at[row] != 0) {
		error_at(p, p->line, "%s: duplicate key (first at line %d)",
		    key, abs(lines->at[row]));
		return;
	}
	lines->at[row] = key_value(p, k, value, base) ? p->line : -p->line;
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
		section_key(p, false, key, value);
		break;
	case SECTION_LISTENER:
		section_key(p, true, key, value);
		break;
	case SECTION_UNKNOWN:
		break;
	}
	return 1;	/* errors are collected, never inih's */
}

/*
 * stop_timeout and drain_timeout keep the defaults' 5:3 when the file sets
 * only one of them, so a default never contradicts what the file says: the
 * drain always ends before the SIGKILL.  Both set and contradicting is the
 * file's own error, which validate reports.
 */
static void
timeouts_follow(struct parse *p)
{
	struct config	*cfg = p->cfg;
	int		 stop = key_line(&p->global, "stop_timeout");
	int		 drain = key_line(&p->global, "drain_timeout");

	if (stop > 0 && drain == 0)
		cfg->drain_timeout_ms = cfg->stop_timeout_ms * 3 / 5;
	else if (stop == 0 && drain > 0 &&
	    cfg->drain_timeout_ms >= cfg->stop_timeout_ms)
		cfg->stop_timeout_ms = cfg->drain_timeout_ms * 5 / 3;
}

static void
validate(struct parse *p)
{
	struct config	*cfg = p->cfg;
	size_t		 i, j;
	/* Looked up once: the loop below compares every pair of listeners. */
	const size_t	 listen_row = key_row("listen");
	const size_t	 workers_row = key_row("workers");
	const size_t	 root_row = key_row("root");
	int		 stop, drain;

	if (!p->listener_seen)
		error_at(p, p->line > 0 ? p->line : 1,
		    "no listeners: add a [listener NAME] section");
	for (i = 0; i < cfg->nlisteners; i++) {
		struct listener_conf *l = &cfg->listeners[i];
		const struct key_lines *keys = &p->listener_keys[i];
		int line = keys->at[listen_row];
		int workers_line = keys->at[workers_row];

		l->root_line = keys->at[root_row];
		/* Said once, at the listener that goes past the bound. */
		if (cfg->nchildren <= FG_CHILDREN_MAX &&
		    cfg->nchildren + l->workers > FG_CHILDREN_MAX)
			error_at(p, workers_line > 0 ? workers_line : l->line,
			    "too many children: [listener %s] makes %zu, at "
			    "most %d in all", l->name, cfg->nchildren + l->workers,
			    FG_CHILDREN_MAX);
		cfg->nchildren += l->workers;

		if (line == 0) {
			error_at(p, l->line, "[listener %s] has no listen "
			    "address", l->name);
			continue;
		}
		if (line < 0)
			continue;
		address_format(&l->addr, l->addr_text, sizeof(l->addr_text));
		for (j = 0; j < i; j++) {
			struct listener_conf *o = &cfg->listeners[j];
			int oline = p->listener_keys[j].at[listen_row];

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
	cfg->user_line = key_line(&p->global, "user");
	cfg->group_line = key_line(&p->global, "group");
	if (cfg->group != NULL && cfg->user == NULL)
		error_at(p, cfg->group_line, "group: needs user as well");
	timeouts_follow(p);
	stop = key_line(&p->global, "stop_timeout");
	drain = key_line(&p->global, "drain_timeout");
	if (stop > 0 && drain > 0 &&
	    cfg->drain_timeout_ms >= cfg->stop_timeout_ms)
		error_at(p, drain, "drain_timeout (%lld ms) must be shorter "
		    "than stop_timeout (%lld ms), or children are killed "
		    "mid-drain", (long long)cfg->drain_timeout_ms,
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
	if ((cfg->path = strdup(file)) == NULL)
		error_at(&p, 0, "out of memory");
	key_defaults(&p, false, cfg);
	if (ini_parse_stream(read_line, &p, on_key, &p) == -2)
		error_at(&p, p.line, "out of memory");
	if (ferror(fp))
		error_at(&p, p.line, "read error: %s", strerror(errno));
	validate(&p);
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
