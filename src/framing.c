/* framing.c: where each request on a connection begins and ends, as RFC 9112 frames it: heads read a byte at a time and checked, bodies counted, and what the RFC says must be refused, refused. */
#include <string.h>

#include "forkgroup.h"

/*
 * A pure reader of the bytes a client sends, fed in whatever pieces they
 * arrive in, that stops at each thing its caller must know: a request
 * begins, its head is whole, its body is whole, a byte must be rewritten, or
 * the request must be refused.  It decides nothing else: what evhttp does
 * with a valid request is conn.c's business.
 *
 * The grammar is RFC 9112's, strictly, with nginx's choices where the RFC
 * leaves one: a line ends in CRLF only (a bare LF is refused: a proxy that
 * does not end a line there would frame differently), obs-fold and
 * whitespace before a colon are refused, one Content-Length, one Host,
 * Transfer-Encoding only as the single coding "chunked" in HTTP/1.1.
 *
 * Three rewrites keep evhttp framing as this file does, each the same length
 * as what it replaces, so nothing moves: chunk extensions become spaces
 * (evhttp refuses any), an HTAB before a field value becomes a space (evhttp
 * skips only spaces, so "Transfer-Encoding:<TAB>chunked" would not be
 * chunked to it), and HTTP/1.2 to 1.9 become HTTP/1.1, the version
 * forkgroup answers with.
 */

enum {
	/* The request line. */
	S_START,		/* before a request's first byte */
	S_METHOD,
	S_TARGET,
	S_VERSION,		/* "HTTP/" DIGIT "." DIGIT, f->n bytes in */
	S_LINE_LF,		/* CR seen at the end of a line */
	/* Field lines, of the head or of the trailer section. */
	S_FIELD_START,
	S_NAME,
	S_VALUE_OWS,
	S_VALUE,
	S_FIELD_LF,
	S_END_LF,		/* the empty line's CR */
	/* Bodies. */
	S_BODY,			/* f->left bytes of Content-Length to go */
	S_CHUNK_SIZE_FIRST,
	S_CHUNK_SIZE,
	S_CHUNK_EXT,		/* f->sub says where in chunk-ext */
	S_CHUNK_SIZE_CR,	/* the CR after an extension */
	S_CHUNK_SIZE_LF,
	S_CHUNK_DATA,
	S_CHUNK_DATA_CR,
	S_CHUNK_DATA_LF,
	S_REJECTED
};

/* Where in a chunk extension (RFC 9112, 7.1.1); every byte is blanked. */
enum {
	EXT_BWS,		/* before ";" (or CR once one extension ended) */
	EXT_NAME_FIRST,		/* after ";" and BWS */
	EXT_NAME,
	EXT_AFTER_NAME,		/* BWS, then "=", ";" or CR */
	EXT_VALUE_FIRST,	/* after "=" and BWS */
	EXT_VALUE,
	EXT_QUOTED,
	EXT_QUOTED_PAIR
};

/* Where in a Transfer-Encoding value: #( token *( ";" parameter ) ). */
enum {
	TE_BEFORE,		/* before a coding: OWS, or "," of an empty one */
	TE_TOKEN,
	TE_AFTER,		/* OWS after a coding */
	TE_PARAMETER		/* after ";": refused as unsupported */
};

/* The fields whose values frame a request. */
enum {
	F_OTHER,
	F_CONTENT_LENGTH,
	F_TRANSFER_ENCODING,
	F_HOST
};

/* Byte classes. */
#define C_TCHAR		0x01	/* token */
#define C_FIELD		0x02	/* field-vchar: VCHAR, obs-text */
#define C_HEX		0x04
#define C_TARGET	0x08	/* request-target: VCHAR and, as nginx, obs-text */
#define C_HOST		0x10	/* uri-host ":" port, IP-literal included */
#define C_QDTEXT	0x20	/* quoted-string's text */
#define C_VALUE		0x40	/* field-vchar, SP, HTAB */

static unsigned char	cls[256];
static unsigned char	hex_value[256];	/* of a C_HEX byte */

static void	 classes_init(void);
static enum framing_event reject(struct framing *, int, const char *);
static int	 field_kind(const unsigned char *, size_t);
static bool	 name_is(const unsigned char *, const char *, size_t);
static const char *field_byte(struct framing *, int);
static const char *field_end(struct framing *);
static void	 te_token_end(struct framing *);
static const char *head_end(struct framing *, int *);
static const char *ext_byte(struct framing *, int);
static const char *head_grew(struct framing *, size_t, int *);
static bool	 over_limit(struct framing *, size_t, int *, const char **);

static void
classes_init(void)
{
	const char	*tchar_marks = "!#$%&'*+-.^_`|~";
	const char	*host_marks = "-._~%!$&'()*+,;=:[]";
	int		 c;

	for (c = 0; c < 256; c++) {
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' &&
		    c <= 'z') || (c >= 'A' && c <= 'Z');
		bool vchar = c > 0x20 && c < 0x7f;

		if (alnum || (c != 0 && strchr(tchar_marks, c) != NULL))
			cls[c] |= C_TCHAR;
		if (vchar || c >= 0x80)
			cls[c] |= C_FIELD | C_TARGET | C_VALUE;
		if (c == ' ' || c == '\t')
			cls[c] |= C_VALUE;
		if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'f')) {
			cls[c] |= C_HEX;
			hex_value[c] = (unsigned char)(c <= '9' ? c - '0' :
			    (c | 0x20) - 'a' + 10);
		}
		if (alnum || (c != 0 && strchr(host_marks, c) != NULL))
			cls[c] |= C_HOST;
		if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 &&
		    c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80)
			cls[c] |= C_QDTEXT;
	}
}

void
framing_init(struct framing *f, size_t max_head, uint64_t max_body)
{
	if (cls['a'] == 0)
		classes_init();
	memset(f, 0, sizeof(*f));
	f->max_head = max_head;
	f->max_body = max_body;
	f->state = S_START;
}

static enum framing_event
reject(struct framing *f, int status, const char *reason)
{
	f->state = S_REJECTED;
	f->status = status;
	f->reason = reason;
	return FRAMING_REJECT;
}

/* Which framing field a name (token bytes, any case) is. */
static int
field_kind(const unsigned char *name, size_t len)
{
	switch (len) {
	case 4:
		return name_is(name, "host", len) ? F_HOST : F_OTHER;
	case 14:
		return name_is(name, "content-length", len) ?
		    F_CONTENT_LENGTH : F_OTHER;
	case 17:
		return name_is(name, "transfer-encoding", len) ?
		    F_TRANSFER_ENCODING : F_OTHER;
	}
	return F_OTHER;
}

/* Token bytes against a lowercase name: OR 0x20 lowercases letters and keeps "-" and digits. */
static bool
name_is(const unsigned char *name, const char *lower, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((name[i] | 0x20) != (unsigned char)lower[i])
			return false;
	return true;
}

/*
 * One byte of a framing field's value, after its leading whitespace (SP
 * and HTAB alike).  Returns why the request must be refused, or NULL.
 * f->sub is 0 inside the value, 1 in whitespace after it.
 */
static const char *
field_byte(struct framing *f, int c)
{
	bool	ws = c == ' ' || c == '\t';

	switch (f->field) {
	case F_CONTENT_LENGTH:
		if (ws) {
			f->sub = 1;
			return NULL;
		}
		if (f->sub == 1 || c < '0' || c > '9')
			return "invalid Content-Length";
		/* Beyond max_body_size is refused anyway: saturate. */
		if (f->head.length <= UINT64_MAX / 10 - 1)
			f->head.length = f->head.length * 10 + (uint64_t)(c - '0');
		else
			f->head.length = UINT64_MAX;
		f->digits++;
		return NULL;
	case F_TRANSFER_ENCODING:
		switch (f->sub) {
		case TE_BEFORE:
			if (c == ',')
				f->te_empty = true;
			else if (cls[c] & C_TCHAR) {
				f->te_token[0] = (char)(c | 0x20);
				f->te_len = 1;
				f->sub = TE_TOKEN;
			} else if (!ws)
				return "invalid Transfer-Encoding";
			return NULL;
		case TE_TOKEN:
			if (cls[c] & C_TCHAR) {
				if (f->te_len < sizeof(f->te_token))
					f->te_token[f->te_len] = (char)(c | 0x20);
				f->te_len++;
				return NULL;
			}
			te_token_end(f);
			f->sub = TE_AFTER;
			/* FALLTHROUGH */
		case TE_AFTER:
			if (c == ',')
				f->sub = TE_BEFORE;
			else if (c == ';') {
				/* No coding forkgroup knows takes a parameter. */
				f->te_other = true;
				f->sub = TE_PARAMETER;
			} else if (!ws)
				return "invalid Transfer-Encoding";
			return NULL;
		}
		return NULL;
	case F_HOST:
		if (ws) {
			f->sub = 1;
			return NULL;
		}
		if (f->sub == 1 || (cls[c] & C_HOST) == 0)
			return "invalid Host";
		return NULL;
	}
	return NULL;
}

/* A coding's name is whole: the codings seen so far, in order. */
static void
te_token_end(struct framing *f)
{
	bool	chunked = f->te_len == 7 &&
	    memcmp(f->te_token, "chunked", 7) == 0;

	f->te_codings++;
	if (f->te_chunked_last && chunked)
		f->te_twice = true;
	else if (f->te_chunked_last || (f->te_chunked && !chunked))
		f->te_not_last = true;
	if (chunked)
		f->te_chunked = true;
	else
		f->te_other = true;
	f->te_chunked_last = chunked;
}

/* A framing field's line has ended (its CR). */
static const char *
field_end(struct framing *f)
{
	switch (f->field) {
	case F_CONTENT_LENGTH:
		if (f->digits == 0)
			return "invalid Content-Length";
		break;
	case F_TRANSFER_ENCODING:
		if (f->sub == TE_TOKEN)
			te_token_end(f);
		else if (f->sub == TE_BEFORE)
			f->te_empty = true;	/* "" or ending in "," */
		break;
	}
	return NULL;
}

/*
 * The empty line that ends a head: what the fields say together.  Sets
 * *status for a refusal; nginx's choices where the RFC has two.
 */
static const char *
head_end(struct framing *f, int *status)
{
	*status = 400;
	if (f->head.minor >= 1 && f->hosts == 0)
		return "HTTP/1.1 request without Host";
	if (f->te_fields > 0) {
		if (f->lengths > 0)
			return "both Transfer-Encoding and Content-Length";
		if (f->head.minor == 0)
			return "Transfer-Encoding in an HTTP/1.0 request";
		if (f->te_twice)
			return "chunked applied twice";
		if (f->te_not_last)
			return "chunked is not the final transfer coding";
		if (f->te_empty)
			return "invalid Transfer-Encoding";
		if (f->te_other) {
			*status = 501;
			return "unsupported transfer coding";
		}
		f->head.chunked = true;
	}
	if (f->head.length > f->max_body) {
		*status = 413;
		return "body larger than max_body_size";
	}
	return NULL;
}

/* One byte of a chunk extension, after the chunk size. */
static const char *
ext_byte(struct framing *f, int c)
{
	bool	ws = c == ' ' || c == '\t';

	switch (f->sub) {
	case EXT_BWS:
		if (c == ';')
			f->sub = EXT_NAME_FIRST;
		else if (!ws)
			return "invalid chunk extension";
		return NULL;
	case EXT_NAME_FIRST:
		if (cls[c] & C_TCHAR)
			f->sub = EXT_NAME;
		else if (!ws)
			return "invalid chunk extension";
		return NULL;
	case EXT_NAME:
	case EXT_AFTER_NAME:
		if (c == '=')
			f->sub = EXT_VALUE_FIRST;
		else if (c == ';')
			f->sub = EXT_NAME_FIRST;
		else if (ws)
			f->sub = EXT_AFTER_NAME;
		else if (f->sub != EXT_NAME || (cls[c] & C_TCHAR) == 0)
			return "invalid chunk extension";
		return NULL;
	case EXT_VALUE_FIRST:
		if (c == '"')
			f->sub = EXT_QUOTED;
		else if (cls[c] & C_TCHAR)
			f->sub = EXT_VALUE;
		else if (!ws)
			return "invalid chunk extension";
		return NULL;
	case EXT_VALUE:
		if (c == ';')
			f->sub = EXT_NAME_FIRST;
		else if (ws)
			f->sub = EXT_BWS;
		else if ((cls[c] & C_TCHAR) == 0)
			return "invalid chunk extension";
		return NULL;
	case EXT_QUOTED:
		if (c == '"')
			f->sub = EXT_BWS;
		else if (c == '\\')
			f->sub = EXT_QUOTED_PAIR;
		else if ((cls[c] & C_QDTEXT) == 0)
			return "invalid chunk extension";
		return NULL;
	case EXT_QUOTED_PAIR:
		if (!ws && (cls[c] & C_FIELD) == 0)
			return "invalid chunk extension";
		f->sub = EXT_QUOTED;
		return NULL;
	}
	return "invalid chunk extension";
}

/*
 * The head grew by k bytes; past max_head, the status says which part was
 * too long.  Checked at the end of each line and of each call, not per
 * byte: a call reads what one read(2) brought.
 */
static const char *
head_grew(struct framing *f, size_t k, int *status)
{
	f->head_bytes += k;
	if (f->head_bytes <= f->max_head)
		return NULL;
	if (f->state == S_TARGET) {
		*status = 414;
		return "request target too long";
	}
	if (f->state <= S_LINE_LF && !f->in_trailer) {
		*status = 400;
		return "request line too long";
	}
	*status = 431;
	return "header fields too large";
}

/* Between requests: the next byte, if any, begins one. */
bool
framing_idle(const struct framing *f)
{
	return f->state == S_START;
}

/* Whether k more bytes take the head past max_head; if so, *status and *why say so. */
static bool
over_limit(struct framing *f, size_t k, int *status, const char **why)
{
	const char	*limit;
	int		 limit_status;

	if ((limit = head_grew(f, k, &limit_status)) == NULL)
		return false;
	*status = limit_status;
	*why = limit;
	return true;
}

/*
 * Read up to len bytes of the connection's stream from buf, and stop at
 * the first event, with *used the bytes read up to it (the byte that caused
 * it included).  FRAMING_MORE: all len bytes were read.  After
 * FRAMING_REJECT, f->status and f->reason say why, and every later call
 * reads nothing and says so again.  The common bytes (a method, a target,
 * a name, a value) are read in loops of their own.
 */
enum framing_event
framing_feed(struct framing *f, const char *buf, size_t len, size_t *used)
{
	const unsigned char	*start = (const unsigned char *)buf;
	const unsigned char	*p = start, *end = start + len, *run = start;
	const unsigned char	*run_name;
	enum framing_event	 ev = FRAMING_MORE;
	const char		*why;
	uint64_t		 n;
	size_t			 k;
	int			 c, status;

/* The bytes of the head read since run: count them against max_head. */
#define HEAD_CHECK() do {						\
	why = head_grew(f, (size_t)(p - run), &status);			\
	run = p;							\
	if (why != NULL)						\
		REFUSE(status, why);					\
} while (0)
/* A chunk's size and extensions; evhttp reads the line whole. */
#define CHUNK_LINE_BYTE() do {						\
	if (++f->n > f->max_head)					\
		REFUSE(400, "chunk size line too long");		\
} while (0)
/*
 * A head past max_head is refused as such, whatever else is wrong with
 * it, so that the answer does not depend on how the reads cut it.
 */
#define REFUSE(status, reason) do {					\
	int		 limit_status = (status);			\
	const char	*limit_why = (reason);				\
									\
	if (f->state >= S_METHOD && f->state <= S_END_LF)		\
		(void)over_limit(f, (size_t)(p - run), &limit_status,	\
		    &limit_why);					\
	ev = reject(f, limit_status, limit_why);			\
	goto refused;							\
} while (0)

	while (p < end || f->state == S_REJECTED) {
		switch (f->state) {
		case S_START:
			memset(&f->head, 0, sizeof(f->head));
			f->head_bytes = 0;
			f->n = 0;
			f->hosts = f->lengths = f->te_fields = 0;
			f->te_codings = 0;
			f->te_chunked = f->te_chunked_last = f->te_other = false;
			f->te_twice = f->te_not_last = f->te_empty = false;
			f->in_trailer = false;
			f->requests++;
			f->state = S_METHOD;
			run = p;
			break;
		case S_METHOD:
			while (p < end && (cls[*p] & C_TCHAR)) {
				if (f->n < FRAMING_METHOD_MAX)
					f->head.method[f->n] = (char)*p;
				f->n++;
				p++;
			}
			if (p == end)
				break;
			if (*p != ' ' || f->n == 0)
				REFUSE(400, "invalid method");
			HEAD_CHECK();
			p++;
			if (f->n > FRAMING_METHOD_MAX)
				f->head.method[0] = '\0';
			f->n = 0;
			f->state = S_TARGET;
			break;
		case S_TARGET:
			run_name = p;
			while (p < end && (cls[*p] & C_TARGET))
				p++;
			f->n += (size_t)(p - run_name);
			if (p == end)
				break;
			if (*p != ' ' || f->n == 0)
				REFUSE(400, "invalid request target");
			HEAD_CHECK();
			p++;
			f->n = 0;
			f->state = S_VERSION;
			break;
		case S_VERSION:
			/* The common case at once, the rest a byte at a time. */
			if (f->n == 0 && end - p >= 9 &&
			    memcmp(p, "HTTP/1.1\r", 9) == 0) {
				p += 9;
				f->major = 1;
				f->head.minor = 1;
				f->state = S_LINE_LF;
				break;
			}
			c = *p++;
			if (f->n < 5) {
				if (c != "HTTP/"[f->n])
					REFUSE(400, "invalid request line");
			} else if (f->n == 5 || f->n == 7) {
				if (c < '0' || c > '9')
					REFUSE(400, "invalid HTTP version");
				if (f->n == 5)
					f->major = c - '0';
				else
					f->head.minor = c - '0';
			} else if (f->n == 6) {
				if (c != '.')
					REFUSE(400, "invalid HTTP version");
			} else if (c != '\r')
				REFUSE(400, c == '\n' ? "line ending in a bare LF" :
				    "invalid HTTP version");
			else if (f->major != 1)
				REFUSE(505, "HTTP version not supported");
			else {
				f->state = S_LINE_LF;
				if (f->head.minor > 1) {
					/* 1.x, x > 1, is read as 1.1 (RFC 9110, 2.5). */
					f->head.minor = 1;
					f->edit_at = f->at + (uint64_t)(p - start) - 2;
					f->edit_len = 1;
					f->edit_byte = '1';
					ev = FRAMING_EDIT;
					goto out;
				}
				break;
			}
			f->n++;
			break;
		case S_LINE_LF:
			if (*p++ != '\n')
				REFUSE(400, "CR not followed by LF");
			HEAD_CHECK();
			f->state = S_FIELD_START;
			break;
		case S_FIELD_START:
			c = *p;
			if (cls[c] & C_TCHAR) {
				f->n = 0;
				f->state = S_NAME;
				break;
			}
			p++;
			if (c == '\r')
				f->state = S_END_LF;
			else if (c == ' ' || c == '\t')
				REFUSE(400, "obsolete line folding");
			else if (c == '\n')
				REFUSE(400, "line ending in a bare LF");
			else
				REFUSE(400, "invalid field name");
			break;
		case S_NAME:
			run_name = p;
			while (p < end && (cls[*p] & C_TCHAR))
				p++;
			k = (size_t)(p - run_name);
			/* A name cut between reads is kept, as far as a framing one goes. */
			if (p == end || f->n > 0) {
				if (f->n + k <= sizeof(f->name))
					memcpy(f->name + f->n, run_name, k);
				f->n += k;
				run_name = (const unsigned char *)f->name;
				if (p == end)
					break;
			} else
				f->n = k;
			c = *p++;
			if (c == ' ' || c == '\t')
				REFUSE(400, "whitespace before a field's colon");
			if (c != ':')
				REFUSE(400, c == '\r' || c == '\n' ?
				    "field line without a colon" :
				    "invalid field name");
			f->field = f->in_trailer || f->n > sizeof(f->name) ?
			    F_OTHER : field_kind(run_name, f->n);
			f->sub = 0;
			f->digits = 0;
			switch (f->field) {
			case F_CONTENT_LENGTH:
				/* nginx's choice: a second one, even equal, is refused. */
				if (f->lengths++ > 0)
					REFUSE(400, "more than one Content-Length");
				break;
			case F_TRANSFER_ENCODING:
				f->te_fields++;
				break;
			case F_HOST:
				if (f->hosts++ > 0)
					REFUSE(400, "more than one Host");
				break;
			}
			f->state = S_VALUE_OWS;
			break;
		case S_VALUE_OWS:
			while (p < end && *p == ' ')
				p++;
			if (p == end)
				break;
			if (*p == '\t') {
				p++;
				f->edit_at = f->at + (uint64_t)(p - start) - 1;
				f->edit_len = 1;
				f->edit_byte = ' ';
				ev = FRAMING_EDIT;
				goto out;
			}
			f->state = S_VALUE;
			break;
		case S_VALUE:
			/* The common cases, read in a loop: a value of no interest, a host. */
			if (f->field == F_OTHER)
				while (p < end && (cls[*p] & C_VALUE))
					p++;
			else if (f->field == F_HOST && f->sub == 0)
				while (p < end && (cls[*p] & C_HOST))
					p++;
			if (p == end)
				break;
			c = *p++;
			if (c == '\r') {
				if ((why = field_end(f)) != NULL)
					REFUSE(400, why);
				f->state = S_FIELD_LF;
			} else if (c == '\n')
				REFUSE(400, "line ending in a bare LF");
			else if ((cls[c] & C_VALUE) == 0)
				REFUSE(400, c == 0 ? "NUL in a field value" :
				    "control character in a field value");
			else if ((why = field_byte(f, c)) != NULL)
				REFUSE(400, why);
			break;
		case S_FIELD_LF:
			if (*p++ != '\n')
				REFUSE(400, "CR not followed by LF");
			HEAD_CHECK();
			f->state = S_FIELD_START;
			break;
		case S_END_LF:
			if (*p++ != '\n')
				REFUSE(400, "CR not followed by LF");
			HEAD_CHECK();
			if (f->in_trailer) {
				f->state = S_START;
				ev = FRAMING_END;
				goto out;
			}
			if ((why = head_end(f, &status)) != NULL)
				REFUSE(status, why);
			if (f->head.chunked) {
				f->body = 0;
				f->state = S_CHUNK_SIZE_FIRST;
			} else if (f->head.length > 0) {
				f->left = f->head.length;
				f->state = S_BODY;
			} else
				f->state = S_START;	/* and the request ends */
			ev = FRAMING_HEAD;
			goto out;
		case S_BODY:
			n = (uint64_t)(end - p);
			if (n > f->left)
				n = f->left;
			p += n;
			f->left -= n;
			if (f->left == 0) {
				f->state = S_START;
				ev = FRAMING_END;
				goto out;
			}
			break;
		case S_CHUNK_SIZE_FIRST:
			f->n = 0;
			c = *p++;
			if ((cls[c] & C_HEX) == 0)
				REFUSE(400, "invalid chunk size");
			f->left = (uint64_t)hex_value[c];
			f->state = S_CHUNK_SIZE;
			break;
		case S_CHUNK_SIZE:
			c = *p;
			if (cls[c] & C_HEX) {
				p++;
				CHUNK_LINE_BYTE();
				/* Saturated, then refused against max_body_size. */
				if (f->left <= (UINT64_MAX >> 4))
					f->left = f->left << 4 | (uint64_t)hex_value[c];
				else
					f->left = UINT64_MAX;
				break;
			}
			if (f->left > f->max_body - f->body)
				REFUSE(413, "body larger than max_body_size");
			if (c == '\r') {
				p++;
				f->state = S_CHUNK_SIZE_LF;
			} else if (c == ';' || c == ' ' || c == '\t') {
				f->sub = EXT_BWS;
				f->ext_named = false;
				f->state = S_CHUNK_EXT;
			} else
				REFUSE(400, c == '\n' ? "line ending in a bare LF" :
				    "invalid chunk size");
			break;
		case S_CHUNK_EXT:
			/*
			 * Every byte up to the CR is checked and then blanked
			 * for evhttp: one edit for the run read in this call.
			 */
			run = p;
			while (p < end && *p != '\r') {
				c = *p++;
				CHUNK_LINE_BYTE();
				if ((why = ext_byte(f, c)) != NULL)
					REFUSE(400, why);
				if (f->sub != EXT_BWS)
					f->ext_named = true;
			}
			if (p < end) {
				/* CR: an extension may not be left half-made. */
				if (!f->ext_named || (f->sub != EXT_BWS &&
				    f->sub != EXT_NAME && f->sub != EXT_AFTER_NAME &&
				    f->sub != EXT_VALUE))
					REFUSE(400, "invalid chunk extension");
				f->state = S_CHUNK_SIZE_CR;
			}
			if (p > run) {
				f->edit_at = f->at + (uint64_t)(run - start);
				f->edit_len = (size_t)(p - run);
				f->edit_byte = ' ';
				ev = FRAMING_EDIT;
				goto out;
			}
			break;
		case S_CHUNK_SIZE_CR:
			p++;		/* the CR, seen by S_CHUNK_EXT */
			f->state = S_CHUNK_SIZE_LF;
			break;
		case S_CHUNK_SIZE_LF:
			c = *p++;
			if (c != '\n')
				REFUSE(400, "CR not followed by LF");
			if (f->left == 0) {
				/* The last chunk: the trailer section follows. */
				f->in_trailer = true;
				f->field = F_OTHER;
				f->state = S_FIELD_START;
				run = p;
			} else {
				f->body += f->left;
				f->state = S_CHUNK_DATA;
			}
			break;
		case S_CHUNK_DATA:
			n = (uint64_t)(end - p);
			if (n > f->left)
				n = f->left;
			p += n;
			f->left -= n;
			if (f->left == 0)
				f->state = S_CHUNK_DATA_CR;
			break;
		case S_CHUNK_DATA_CR:
			if (*p++ != '\r')
				REFUSE(400, "chunk data not followed by CRLF");
			f->state = S_CHUNK_DATA_LF;
			break;
		case S_CHUNK_DATA_LF:
			if (*p++ != '\n')
				REFUSE(400, "CR not followed by LF");
			f->state = S_CHUNK_SIZE_FIRST;
			break;
		case S_REJECTED:
			ev = FRAMING_REJECT;
			goto out;
		}
	}
out:
	/* What is left of a head line read in this call, against max_head. */
	if (f->state >= S_METHOD && f->state <= S_END_LF && p > run &&
	    (why = head_grew(f, (size_t)(p - run), &status)) != NULL)
		ev = reject(f, status, why);
refused:
	*used = (size_t)(p - start);
	f->at += *used;
	return ev;
#undef HEAD_CHECK
#undef CHUNK_LINE_BYTE
#undef REFUSE
}
