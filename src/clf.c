/* clf.c: one access log line in the Combined Log Format, with anything a log reader could trip on escaped. */
#include <inttypes.h>
#include <stdlib.h>

#include <event2/buffer.h>

#include "forkgroup.h"

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static bool	 plain(unsigned char);
static int	 add_escaped(struct evbuffer *, const char *);

/* Bytes written as they are; every other byte becomes \xNN. */
static bool
plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* s, with '"', '\', control and high bytes as \xNN; "-" if NULL or "". */
static int
add_escaped(struct evbuffer *out, const char *s)
{
	const char	*run;

	if (s == NULL || *s == '\0')
		return evbuffer_add(out, "-", 1);
	while (*s != '\0') {
		for (run = s; plain((unsigned char)*s); s++)
			continue;
		if (s > run && evbuffer_add(out, run, (size_t)(s - run)) == -1)
			return -1;
		if (*s != '\0' && evbuffer_add_printf(out, "\\x%02X",
		    (unsigned char)*s++) == -1)
			return -1;
	}
	return 0;
}

/*
 * Append e as one line, as in
 *   ::1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 2326 "-" "curl"
 * The time is e->tm as given (local time, with its UTC offset); a body of 0
 * bytes is "-".  Returns -1 if out of memory.
 */
int
clf_format(struct evbuffer *out, const struct clf_entry *e)
{
	long	off = e->tm->tm_gmtoff;

	if (add_escaped(out, e->host) == -1 ||
	    evbuffer_add_printf(out, " - - [%02d/%s/%04d:%02d:%02d:%02d "
	    "%c%02ld%02ld] \"",
	    e->tm->tm_mday, months[e->tm->tm_mon], e->tm->tm_year + 1900,
	    e->tm->tm_hour, e->tm->tm_min, e->tm->tm_sec, off < 0 ? '-' : '+',
	    labs(off) / 3600, labs(off) % 3600 / 60) == -1 ||
	    add_escaped(out, e->method) == -1 ||
	    evbuffer_add(out, " ", 1) == -1 ||
	    add_escaped(out, e->uri) == -1 ||
	    evbuffer_add_printf(out, " HTTP/%d.%d\" %d ", e->major, e->minor,
	    e->status) == -1)
		return -1;
	if ((e->bytes > 0 ? evbuffer_add_printf(out, "%" PRId64, e->bytes) :
	    evbuffer_add(out, "-", 1)) == -1 ||
	    evbuffer_add(out, " \"", 2) == -1 ||
	    add_escaped(out, e->referer) == -1 ||
	    evbuffer_add(out, "\" \"", 3) == -1 ||
	    add_escaped(out, e->user_agent) == -1 ||
	    evbuffer_add(out, "\"\n", 2) == -1)
		return -1;
	return 0;
}
