/* backlog.c: log lines that standard error could not take yet: a bounded queue of whole lines that gives up its oldest when full, counting them. */
#include <string.h>

#include "forkgroup.h"

static void	 drop_oldest(struct backlog *);
static bool	 make_room(struct backlog *, size_t);

/*
 * The oldest whole line after the torn rest, which must go out first: a
 * reader has its beginning.  The gap is always right after that rest, and
 * dropped says how many lines it stands for.
 */
static void
drop_oldest(struct backlog *bl)
{
	char	*from = bl->buf + bl->torn, *nl;
	size_t	 n;

	nl = memchr(from, '\n', bl->len - bl->torn);
	n = nl == NULL ? bl->len - bl->torn : (size_t)(nl - from) + 1;
	memmove(from, from + n, bl->len - bl->torn - n);
	bl->len -= n;
	bl->dropped++;
}

/* Room for len more bytes, the oldest lines dropped for it; false: it can never fit. */
static bool
make_room(struct backlog *bl, size_t len)
{
	if (len > BACKLOG_MAX - bl->torn) {
		bl->dropped++;
		return false;
	}
	while (bl->len + len > BACKLOG_MAX)
		drop_oldest(bl);
	return true;
}

/*
 * Queue line (len bytes, ending in a newline), making room by dropping
 * the oldest lines: when the reader comes back, what it has missed most
 * recently (the cause of a stop, the last state) is still there.
 */
void
backlog_add(struct backlog *bl, const char *line, size_t len)
{
	if (!make_room(bl, len))
		return;
	memcpy(bl->buf + bl->len, line, len);
	bl->len += len;
}

/*
 * Put the unwritten rest of a line (len bytes) in front of everything: it
 * goes out before the rest of the queue, and before any word of the lines
 * dropped, or the reader would see another line glued onto its beginning.
 */
void
backlog_add_torn(struct backlog *bl, const char *rest, size_t len)
{
	if (!make_room(bl, len))
		return;
	memmove(bl->buf + len, bl->buf, bl->len);
	memcpy(bl->buf, rest, len);
	bl->len += len;
	bl->torn += len;
}

/*
 * What to write next: the torn rest alone, else as many whole lines as fit
 * in max (so that a write of at most PIPE_BUF is never split by another
 * process's), else the first line whole.  0: nothing queued.
 */
size_t
backlog_next(const struct backlog *bl, size_t max, const char **p)
{
	const char	*nl;
	size_t		 n;

	*p = bl->buf;
	if (bl->torn > 0)
		return bl->torn;
	if (bl->len <= max)
		return bl->len;
	for (n = 0; (nl = memchr(bl->buf + n, '\n', bl->len - n)) != NULL;) {
		if ((size_t)(nl - bl->buf) + 1 > max)
			break;
		n = (size_t)(nl - bl->buf) + 1;
	}
	if (n > 0)
		return n;
	return nl == NULL ? bl->len : (size_t)(nl - bl->buf) + 1;
}

/* n bytes of what backlog_next gave were written; a line cut short is now torn. */
void
backlog_written(struct backlog *bl, size_t n)
{
	const char	*nl;
	bool		 cut;

	if (n > bl->len)
		n = bl->len;
	cut = n > 0 && bl->buf[n - 1] != '\n';
	memmove(bl->buf, bl->buf + n, bl->len - n);
	bl->len -= n;
	bl->torn = bl->torn > n ? bl->torn - n : 0;
	if (cut && bl->torn == 0 && bl->len > 0) {
		nl = memchr(bl->buf, '\n', bl->len);
		bl->torn = nl == NULL ? bl->len : (size_t)(nl - bl->buf) + 1;
	}
}

/* Nothing can be written any more: all of it counts as dropped. */
void
backlog_drop_all(struct backlog *bl)
{
	const char	*p = bl->buf, *end = bl->buf + bl->len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		bl->dropped++;
		p++;
	}
	bl->len = bl->torn = 0;
}
