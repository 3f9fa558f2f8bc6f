/* fuzz_framing.c: libFuzzer target: any bytes as a connection's stream through framing.c, whole and cut where the input says, which must frame alike and keep its promises. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Small limits, so that inputs reach them. */
#define MAX_HEAD	512
#define MAX_BODY	256
#define EVENTS_MAX	256

/* What one reading said: its events but edits, where each came, and the bytes after the rewrites. */
struct reading {
	char	 trace[EVENTS_MAX];
	size_t	 n;
	uint64_t at[EVENTS_MAX];
	uint8_t	*bytes;
	int	 status;
};

static void	 frame(const uint8_t *, size_t, size_t, struct reading *);

/*
 * Feed the stream in pieces of step bytes (0: whole), applying each
 * rewrite as conn.c does, checking each promise of framing_feed.
 */
static void
frame(const uint8_t *data, size_t size, size_t step, struct reading *r)
{
	struct framing		f;
	enum framing_event	ev;
	size_t			off = 0, o, n, used;

	memset(r->trace, 0, sizeof(r->trace));
	r->n = 0;
	r->status = 0;
	if ((r->bytes = malloc(size + 1)) == NULL)
		abort();
	memcpy(r->bytes, data, size);
	framing_init(&f, MAX_HEAD, MAX_BODY);
	if (step == 0)
		step = size;
	while (off < size) {
		n = size - off < step ? size - off : step;
		for (o = 0; o < n; o += used) {
			ev = framing_feed(&f, (char *)r->bytes + off + o, n - o,
			    &used);
			FUZZ_CHECK(used <= n - o);
			FUZZ_CHECK(f.at == off + o + used);
			FUZZ_CHECK(ev == FRAMING_MORE ? used == n - o :
			    ev == FRAMING_REJECT || used > 0);
			if (ev == FRAMING_MORE)
				continue;
			/* Edits come in as many pieces as the reads: their bytes are compared. */
			if (ev != FRAMING_EDIT && r->n < EVENTS_MAX) {
				r->trace[r->n] = (char)('0' + ev);
				/*
				 * A limit is checked once a read, so a refusal
				 * may come a few bytes later in a longer read.
				 */
				r->at[r->n++] = ev == FRAMING_REJECT ? 0 : f.at;
			}
			switch (ev) {
			case FRAMING_HEAD:
				/* What evhttp is given: a version it answers, one framing. */
				FUZZ_CHECK(f.head.minor == 0 || f.head.minor == 1);
				FUZZ_CHECK(!(f.head.chunked &&
				    f.head.length > 0));
				FUZZ_CHECK(f.head.length <= MAX_BODY);
				FUZZ_CHECK(f.head_bytes <= MAX_HEAD);
				break;
			case FRAMING_EDIT:
				/* Bytes already read, and only spaces or a '1'. */
				FUZZ_CHECK(f.edit_len > 0 &&
				    f.edit_at + f.edit_len <= f.at);
				FUZZ_CHECK(f.edit_byte == ' ' ||
				    f.edit_byte == '1');
				memset(r->bytes + f.edit_at, f.edit_byte,
				    f.edit_len);
				break;
			case FRAMING_REJECT:
				FUZZ_CHECK(f.status >= 400 && f.status < 600);
				FUZZ_CHECK(f.reason != NULL &&
				    f.reason[0] != '\0');
				r->status = f.status;
				ev = framing_feed(&f, "GET", 3, &used);
				FUZZ_CHECK(ev == FRAMING_REJECT && used == 0);
				return;
			default:
				break;
			}
		}
		off += n;
	}
}

/*
 * The first byte chooses where to cut the rest; however it is cut, the
 * rest must give the same events at the same places, the same refusal,
 * and (unless refused) the same bytes to evhttp.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reading	whole, cut, bytewise;

	if (size < 1)
		return 0;
	frame(data + 1, size - 1, 0, &whole);
	frame(data + 1, size - 1, (size_t)data[0] % 17 + 1, &cut);
	frame(data + 1, size - 1, 1, &bytewise);
	FUZZ_CHECK(whole.status == cut.status &&
	    whole.status == bytewise.status);
	FUZZ_CHECK(strcmp(whole.trace, cut.trace) == 0 &&
	    strcmp(whole.trace, bytewise.trace) == 0);
	FUZZ_CHECK(memcmp(whole.at, cut.at, whole.n * sizeof(*whole.at)) == 0);
	if (whole.status == 0)
		FUZZ_CHECK(memcmp(whole.bytes, cut.bytes, size - 1) == 0 &&
		    memcmp(whole.bytes, bytewise.bytes, size - 1) == 0);
	free(whole.bytes);
	free(cut.bytes);
	free(bytewise.bytes);
	return 0;
}
