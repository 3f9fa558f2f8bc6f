/* check_framing.c: unit tests of framing.c: what each request line, field, length and chunk gives, the same however the bytes are split, the rewrites evhttp needs, and the limits. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"

#define MAX_HEAD	256
#define MAX_BODY	64
#define TRACE_MAX	1024
#define BYTES_MAX	4096

/* What framing.c said of a stream, as text, and the stream after its rewrites. */
struct run {
	char	trace[TRACE_MAX];
	char	bytes[BYTES_MAX];
	size_t	len;
	bool	idle;		/* between requests at the end */
};

static void	 run_stream(const char *, size_t, size_t, struct run *);
static void	 trace_add(struct run *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 frames_as(int, const char *, size_t, const char *);

#define FRAMES(s, want)	frames_as(__LINE__, s, sizeof(s) - 1, want)

static void
trace_add(struct run *r, const char *fmt, ...)
{
	size_t	used = strlen(r->trace);
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->trace + used, sizeof(r->trace) - used, fmt, ap);
	va_end(ap);
}

/*
 * Feed len bytes of s step bytes at a time (0: all at once), applying the
 * rewrites as conn.c does, and note every event: H(method minor body) for
 * a head, E for a body's end, R(status reason) for a refusal.
 */
static void
run_stream(const char *s, size_t len, size_t step, struct run *r)
{
	struct framing		f;
	enum framing_event	ev;
	size_t			off = 0, n, used, o;

	ck_assert_uint_le(len, sizeof(r->bytes));
	memset(r, 0, sizeof(*r));
	memcpy(r->bytes, s, len);
	r->len = len;
	framing_init(&f, MAX_HEAD, MAX_BODY);
	if (step == 0)
		step = len;
	while (off < len) {
		n = len - off < step ? len - off : step;
		for (o = 0; o < n; o += used) {
			ev = framing_feed(&f, r->bytes + off + o, n - o, &used);
			ck_assert_uint_le(used, n - o);
			switch (ev) {
			case FRAMING_MORE:
				ck_assert_uint_eq(used, n - o);
				break;
			case FRAMING_HEAD:
				trace_add(r, "H(%s 1.%d %s) ", f.head.method,
				    f.head.minor, f.head.chunked ? "chunked" :
				    f.head.length > 0 ? "length" : "none");
				break;
			case FRAMING_END:
				trace_add(r, "E ");
				break;
			case FRAMING_EDIT:
				ck_assert_uint_le(f.edit_at + f.edit_len,
				    f.at);
				memset(r->bytes + f.edit_at, f.edit_byte,
				    f.edit_len);
				break;
			case FRAMING_REJECT:
				trace_add(r, "R(%d %s)", f.status, f.reason);
				/* It stays refused, and reads nothing more. */
				ck_assert_int_eq(framing_feed(&f, "x", 1, &used),
				    FRAMING_REJECT);
				ck_assert_uint_eq(used, 0);
				return;
			}
		}
		off += n;
	}
	r->idle = framing_idle(&f);
}

/*
 * The trace of s must be want, whole, a byte at a time, and cut in two at
 * every place, with the same rewrites each time (but for a refused
 * stream, whose bytes are dropped).
 */
static void
frames_as(int at, const char *s, size_t len, const char *want)
{
	struct run	whole, part;
	char		trimmed[TRACE_MAX];
	size_t		cut;
	bool		refused;

	run_stream(s, len, 0, &whole);
	snprintf(trimmed, sizeof(trimmed), "%s", whole.trace);
	if (trimmed[0] != '\0' && trimmed[strlen(trimmed) - 1] == ' ')
		trimmed[strlen(trimmed) - 1] = '\0';
	ck_assert_msg(strcmp(trimmed, want) == 0,
	    "line %d: got \"%s\", expected \"%s\"", at, trimmed, want);
	refused = strstr(whole.trace, "R(") != NULL;
	run_stream(s, len, 1, &part);
	ck_assert_msg(strcmp(part.trace, whole.trace) == 0 &&
	    (refused || memcmp(part.bytes, whole.bytes, len) == 0),
	    "line %d: a byte at a time: \"%s\"", at, part.trace);
	for (cut = 1; cut < len; cut++) {
		struct framing		f;
		struct run		r;
		enum framing_event	ev;
		size_t			off, used, piece[2] = { cut, len - cut };
		size_t			start[2] = { 0, cut };
		int			i;

		memset(&r, 0, sizeof(r));
		memcpy(r.bytes, s, len);
		framing_init(&f, MAX_HEAD, MAX_BODY);
		for (i = 0; i < 2; i++)
			for (off = 0; off < piece[i]; off += used) {
				ev = framing_feed(&f, r.bytes + start[i] + off,
				    piece[i] - off, &used);
				if (ev == FRAMING_EDIT)
					memset(r.bytes + f.edit_at, f.edit_byte,
					    f.edit_len);
				else if (ev == FRAMING_HEAD)
					trace_add(&r, "H(%s 1.%d %s) ",
					    f.head.method, f.head.minor,
					    f.head.chunked ? "chunked" :
					    f.head.length > 0 ? "length" :
					    "none");
				else if (ev == FRAMING_END)
					trace_add(&r, "E ");
				else if (ev == FRAMING_REJECT) {
					trace_add(&r, "R(%d %s)", f.status,
					    f.reason);
					i = 2;
					break;
				}
			}
		ck_assert_msg(strcmp(r.trace, whole.trace) == 0 &&
		    (refused || memcmp(r.bytes, whole.bytes, len) == 0),
		    "line %d: cut at %zu: \"%s\"", at, cut, r.trace);
	}
}

START_TEST(framing_request_line)
{
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\n\r\n", "H(GET 1.1 none)");
	FRAMES("GET / HTTP/1.0\r\n\r\n", "H(GET 1.0 none)");
	FRAMES("get /x?a=b#c HTTP/1.1\r\nHost: t\r\n\r\n", "H(get 1.1 none)");
	FRAMES("M-SEARCH * HTTP/1.1\r\nHost: t\r\n\r\n", "H(M-SEARCH 1.1 none)");
	FRAMES("GET http://t/ HTTP/1.1\r\nHost: t\r\n\r\n", "H(GET 1.1 none)");
	FRAMES("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: t\r\n\r\n", "H(GET 1.1 none)");
	FRAMES("GE(T / HTTP/1.1\r\n", "R(400 invalid method)");
	FRAMES(" GET / HTTP/1.1\r\n", "R(400 invalid method)");
	FRAMES("\r\nGET / HTTP/1.1\r\n", "R(400 invalid method)");
	FRAMES("GET  / HTTP/1.1\r\n", "R(400 invalid request target)");
	FRAMES("GET\t/ HTTP/1.1\r\n", "R(400 invalid method)");
	FRAMES("GET /a\tb HTTP/1.1\r\n", "R(400 invalid request target)");
	FRAMES("GET /a\x7f HTTP/1.1\r\n", "R(400 invalid request target)");
	FRAMES("GET /a\0 HTTP/1.1\r\n", "R(400 invalid request target)");
	FRAMES("GET /a b HTTP/1.1\r\n", "R(400 invalid request line)");
	FRAMES("GET /\r\n\r\n", "R(400 invalid request target)");
	FRAMES("GET / http/1.1\r\n", "R(400 invalid request line)");
	FRAMES("GET / HTTP/1.10\r\n", "R(400 invalid HTTP version)");
	FRAMES("GET / HTTP/01.1\r\n", "R(400 invalid HTTP version)");
	FRAMES("GET / HTTP/1\r\n", "R(400 invalid HTTP version)");
	FRAMES("GET / HTTP/1.1 \r\n", "R(400 invalid HTTP version)");
	FRAMES("GET / HTTP/1.1\n", "R(400 line ending in a bare LF)");
	FRAMES("GET / HTTP/1.1\rX", "R(400 CR not followed by LF)");
	FRAMES("GET / HTTP/2.0\r\n", "R(505 HTTP version not supported)");
	FRAMES("GET / HTTP/0.9\r\n", "R(505 HTTP version not supported)");
}
END_TEST

/* HTTP/1.2 to 1.9 are HTTP/1.1, and said so to evhttp. */
START_TEST(framing_minor_version)
{
	const char	 s[] = "GET / HTTP/1.7\r\nHost: t\r\n\r\n";
	struct run	 r;
	size_t		 step;

	FRAMES("GET / HTTP/1.7\r\nHost: t\r\n\r\n", "H(GET 1.1 none)");
	for (step = 0; step < 3; step++) {
		run_stream(s, sizeof(s) - 1, step, &r);
		ck_assert_str_eq(r.bytes, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
	}
}
END_TEST

START_TEST(framing_fields)
{
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: \x80\xff\t!~\r\nB:\r\n\r\n",
	    "H(GET 1.1 none)");
	FRAMES("GET / HTTP/1.1\r\nHost : t\r\n\r\n",
	    "R(400 whitespace before a field's colon)");
	FRAMES("GET / HTTP/1.1\r\nHost\t: t\r\n\r\n",
	    "R(400 whitespace before a field's colon)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: b\r\n c\r\n\r\n",
	    "R(400 obsolete line folding)");
	FRAMES("GET / HTTP/1.1\r\n\tHost: t\r\n\r\n",
	    "R(400 obsolete line folding)");
	FRAMES("GET / HTTP/1.1\r\n: t\r\n\r\n", "R(400 invalid field name)");
	FRAMES("GET / HTTP/1.1\r\nA@B: t\r\n\r\n", "R(400 invalid field name)");
	FRAMES("GET / HTTP/1.1\r\nHost\r\n\r\n",
	    "R(400 field line without a colon)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: b\0c\r\n\r\n",
	    "R(400 NUL in a field value)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: b\x01\r\n\r\n",
	    "R(400 control character in a field value)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: b\x7f\r\n\r\n",
	    "R(400 control character in a field value)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\nA: b\rc\r\n\r\n",
	    "R(400 CR not followed by LF)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\nA: b\r\n\r\n",
	    "R(400 line ending in a bare LF)");
	FRAMES("GET / HTTP/1.1\r\nHost: t\r\n\n",
	    "R(400 line ending in a bare LF)");
}
END_TEST

/* An HTAB before a value becomes a space: evhttp skips spaces only. */
START_TEST(framing_tab_before_value)
{
	const char	 s[] = "POST / HTTP/1.1\r\nHost:\t \tt\r\n"
	    "Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n";
	struct run	 r;

	FRAMES("POST / HTTP/1.1\r\nHost:\t \tt\r\n"
	    "Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) E");
	run_stream(s, sizeof(s) - 1, 0, &r);
	ck_assert_str_eq(r.bytes, "POST / HTTP/1.1\r\nHost:   t\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}
END_TEST

START_TEST(framing_host)
{
	FRAMES("GET / HTTP/1.1\r\n\r\n", "R(400 HTTP/1.1 request without Host)");
	FRAMES("GET / HTTP/1.1\r\nHOST: t\r\nhost: t\r\n\r\n",
	    "R(400 more than one Host)");
	FRAMES("GET / HTTP/1.1\r\nHost: t t\r\n\r\n", "R(400 invalid Host)");
	FRAMES("GET / HTTP/1.1\r\nHost: a@t\r\n\r\n", "R(400 invalid Host)");
	FRAMES("GET / HTTP/1.1\r\nHost: t/\r\n\r\n", "R(400 invalid Host)");
	FRAMES("GET / HTTP/1.1\r\nHost: [::1]:8080  \r\n\r\n",
	    "H(GET 1.1 none)");
	FRAMES("GET / HTTP/1.1\r\nHost:\r\n\r\n", "H(GET 1.1 none)");
	FRAMES("GET / HTTP/1.0\r\n\r\n", "H(GET 1.0 none)");
	/* Named alike only: Hosts and Hos are other fields. */
	FRAMES("GET / HTTP/1.1\r\nHosts: a b\r\nHos: c d\r\nHost: t\r\n\r\n",
	    "H(GET 1.1 none)");
}
END_TEST

START_TEST(framing_content_length)
{
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
	    "GET / HTTP/1.0\r\n\r\n", "H(POST 1.1 length) E H(GET 1.0 none)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length:  007 \r\n\r\n"
	    "1234567", "H(POST 1.1 length) E");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\ncontent-length: 0\r\n\r\n",
	    "H(POST 1.1 none)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 64\r\n\r\n",
	    "H(POST 1.1 length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 65\r\n\r\n",
	    "R(413 body larger than max_body_size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\n"
	    "Content-Length: 99999999999999999999999999\r\n\r\n",
	    "R(413 body larger than max_body_size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\n"
	    "Content-Length: 18446744073709551616\r\n\r\n",
	    "R(413 body larger than max_body_size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n"
	    "Content-Length: 1\r\n\r\nx", "R(400 more than one Content-Length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: +1\r\n\r\nx",
	    "R(400 invalid Content-Length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1,1\r\n\r\nx",
	    "R(400 invalid Content-Length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1 1\r\n\r\nx",
	    "R(400 invalid Content-Length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0x1\r\n\r\nx",
	    "R(400 invalid Content-Length)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nContent-Length:\r\n\r\n",
	    "R(400 invalid Content-Length)");
	/* The body is counted, not read: a request in it is body. */
	FRAMES("HEAD / HTTP/1.1\r\nHost: t\r\nContent-Length: 18\r\n\r\n"
	    "GET / HTTP/1.0\r\n\r\n", "H(HEAD 1.1 length) E");
}
END_TEST

START_TEST(framing_transfer_encoding)
{
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\nGET / HTTP/1.0\r\n\r\n",
	    "H(POST 1.1 chunked) E H(GET 1.0 none)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ChUnKeD  \r\n"
	    "\r\n0\r\n\r\n", "H(POST 1.1 chunked) E");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n"
	    "\r\n", "R(501 unsupported transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunkedx\r\n"
	    "\r\n", "R(501 unsupported transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked"
	    "\r\n\r\n", "R(501 unsupported transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked;a=b"
	    "\r\n\r\n", "R(501 unsupported transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip"
	    "\r\n\r\n", "R(400 chunked is not the final transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: gzip\r\n\r\n",
	    "R(400 chunked is not the final transfer coding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked ,"
	    "chunked\r\n\r\n", "R(400 chunked applied twice)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", "R(400 chunked applied twice)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ,chunked\r\n"
	    "\r\n", "R(400 invalid Transfer-Encoding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked,\r\n"
	    "\r\n", "R(400 invalid Transfer-Encoding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:\r\n\r\n",
	    "R(400 invalid Transfer-Encoding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chun ked\r\n"
	    "\r\n", "R(400 invalid Transfer-Encoding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: \"chunked\"\r\n"
	    "\r\n", "R(400 invalid Transfer-Encoding)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 1\r\n\r\n",
	    "R(400 both Transfer-Encoding and Content-Length)");
	FRAMES("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	    "R(400 Transfer-Encoding in an HTTP/1.0 request)");
}
END_TEST

START_TEST(framing_chunks)
{
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\nA: 1\r\nB: 2\r\n\r\n", "H(POST 1.1 chunked) E");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0x5\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    " 5\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 line ending in a bare LF)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 chunk data not followed by CRLF)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhello\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 chunk data not followed by CRLF)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhello\r\r\n", "H(POST 1.1 chunked) R(400 CR not followed by LF)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "\r\n0\r\n\r\n", "H(POST 1.1 chunked) R(400 invalid chunk size)");
	/* max_body_size counts every chunk; sizes saturate, never wrap. */
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "20\r\n01234567890123456789012345678901\r\n20\r\n"
	    "01234567890123456789012345678901\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) E");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "20\r\n01234567890123456789012345678901\r\n21\r\n",
	    "H(POST 1.1 chunked) R(413 body larger than max_body_size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "10000000000000001\r\n",
	    "H(POST 1.1 chunked) R(413 body larger than max_body_size)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "00000000000000000000000000000005\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) E");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\nA : 1\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 whitespace before a field's colon)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\nA: 1\r\n 2\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 obsolete line folding)");
}
END_TEST

/* Extensions are checked, then blanked: evhttp takes "5 " as the size 5. */
START_TEST(framing_chunk_extensions)
{
	const char	 s[] = "5 ;a = \"b\\\"c\" ;d\r\nhello\r\n0;e=f\r\n\r\n";
	char		 stream[256];
	struct run	 r;
	size_t		 step, head;

	head = (size_t)snprintf(stream, sizeof(stream), "POST / HTTP/1.1\r\n"
	    "Host: t\r\nTransfer-Encoding: chunked\r\n\r\n%s", s);
	frames_as(__LINE__, stream, head, "H(POST 1.1 chunked) E");
	for (step = 0; step < 4; step++) {
		run_stream(stream, head, step, &r);
		ck_assert_str_eq(r.bytes + head - (sizeof(s) - 1),
		    "5               \r\nhello\r\n0    \r\n\r\n");
	}
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5;\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5 \r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5 x\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5;a=\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5;a=\"b\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5;a\nb\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
	FRAMES("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5;a b\r\nhello\r\n0\r\n\r\n",
	    "H(POST 1.1 chunked) R(400 invalid chunk extension)");
}
END_TEST

/* max_head (256 here) bounds the request line, the fields and the trailers together. */
START_TEST(framing_limits)
{
	char		 s[1024];
	struct run	 r;
	int		 pad;

	/* 16 + 9 + (3 + pad + 2) + 2 = 256 bytes of head: the most there may be. */
	pad = 256 - 16 - 9 - 5 - 2;
	snprintf(s, sizeof(s), "GET / HTTP/1.1\r\nHost: t\r\nA: %0*d\r\n\r\n",
	    pad, 0);
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace, "H(GET 1.1 none) ");
	snprintf(s, sizeof(s), "GET / HTTP/1.1\r\nHost: t\r\nA: %0*d\r\n\r\n",
	    pad + 1, 0);
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace, "R(431 header fields too large)");
	run_stream(s, strlen(s), 1, &r);
	ck_assert_str_eq(r.trace, "R(431 header fields too large)");
	snprintf(s, sizeof(s), "GET /%0300d HTTP/1.1\r\n", 0);
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace, "R(414 request target too long)");
	run_stream(s, strlen(s), 7, &r);
	ck_assert_str_eq(r.trace, "R(414 request target too long)");
	memset(s, 'G', 300);
	s[300] = '\0';
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace, "R(400 request line too long)");
	snprintf(s, sizeof(s), "POST / HTTP/1.1\r\nHost: t\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n0\r\nA: %0200d\r\n\r\n", 0);
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace,
	    "H(POST 1.1 chunked) R(431 header fields too large)");
	snprintf(s, sizeof(s), "POST / HTTP/1.1\r\nHost: t\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n1;a=%0300d\r\n", 0);
	run_stream(s, strlen(s), 0, &r);
	ck_assert_str_eq(r.trace,
	    "H(POST 1.1 chunked) R(400 chunk size line too long)");
}
END_TEST

START_TEST(framing_idle_between_requests)
{
	struct framing	f;
	size_t		used;
	const char	*req = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

	framing_init(&f, MAX_HEAD, MAX_BODY);
	ck_assert(framing_idle(&f));
	ck_assert_int_eq(framing_feed(&f, req, 3, &used), FRAMING_MORE);
	ck_assert(!framing_idle(&f));
	ck_assert_uint_eq(f.requests, 1);
	ck_assert_int_eq(framing_feed(&f, req + 3, strlen(req) - 3, &used),
	    FRAMING_HEAD);
	ck_assert_uint_eq(used, strlen(req) - 3);
	ck_assert(framing_idle(&f));
	ck_assert_uint_eq(f.at, strlen(req));
}
END_TEST

Suite *
framing_suite(void)
{
	Suite	*s = suite_create("framing");
	TCase	*tc = tcase_create("framing");

	tcase_add_test(tc, framing_request_line);
	tcase_add_test(tc, framing_minor_version);
	tcase_add_test(tc, framing_fields);
	tcase_add_test(tc, framing_tab_before_value);
	tcase_add_test(tc, framing_host);
	tcase_add_test(tc, framing_content_length);
	tcase_add_test(tc, framing_transfer_encoding);
	tcase_add_test(tc, framing_chunks);
	tcase_add_test(tc, framing_chunk_extensions);
	tcase_add_test(tc, framing_limits);
	tcase_add_test(tc, framing_idle_between_requests);
	suite_add_tcase(s, tc);
	return s;
}
