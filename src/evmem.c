/* evmem.c: memory for libevent in a child: free lists of a few block sizes instead of malloc's general path. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forkgroup.h"

#ifdef FG_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n)		((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n)	((void)(p), (void)(n))
#endif

/*
 * Every request makes evhttp allocate and free a couple of dozen blocks:
 * header names and values, the request, evbuffer chains of 1 KiB and
 * more.  glibc's thread cache stops short of the chains, which take
 * malloc's general path each time (bins, coalescing, consolidation) and
 * cost more than the rest of the request's user time together.  A child
 * is one thread, so blocks are kept on plain free lists, one per power of
 * two from 16 bytes to 8 KiB, each holding at most EVMEM_KEEP_BYTES: a
 * burst of traffic leaves a bounded cache, not a high-water mark.
 * Anything larger goes to malloc as it is.
 *
 * Under AddressSanitizer a block's bytes beyond those asked for, and the
 * whole of a block on a free list, are poisoned: an overflow into the
 * rounding is caught, and so is a use after libevent freed a block while
 * the block waits on its list.  The lists hand the last block freed out
 * first and keep no quarantine, as malloc's does: a use after the block
 * went out again goes unseen.
 */
#define EVMEM_MIN_SHIFT		4		/* 16 bytes */
#define EVMEM_CLASSES		10		/* .. 8 KiB */
#define EVMEM_KEEP_BYTES	(256 * 1024)
#define EVMEM_LARGE		UINT32_MAX

/* Before each block; its size keeps the alignment malloc gives. */
struct evmem_head {
	_Alignas(max_align_t) uint32_t	cls;	/* or EVMEM_LARGE */
	size_t				size;	/* usable bytes */
};

struct evmem_free {
	struct evmem_free	*next;
};

static struct {
	struct evmem_free	*head;
	size_t			 count;
} evmem_list[EVMEM_CLASSES];

static size_t
evmem_class_size(uint32_t cls)
{
	return (size_t)1 << (cls + EVMEM_MIN_SHIFT);
}

/* The smallest class that holds size bytes: its power of two, less 4. */
static uint32_t
evmem_class(size_t size)
{
	uint32_t	bits;

	if (size <= evmem_class_size(0))
		return 0;
	bits = (uint32_t)(sizeof(unsigned long long) * CHAR_BIT) -
	    (uint32_t)__builtin_clzll((unsigned long long)(size - 1));
	return bits - EVMEM_MIN_SHIFT < EVMEM_CLASSES ?
	    bits - EVMEM_MIN_SHIFT : EVMEM_LARGE;
}

static struct evmem_head *
evmem_head(void *p)
{
	return (struct evmem_head *)p - 1;
}

/* Lend size bytes of a block that holds have (no-op without AddressSanitizer). */
static void
evmem_lend(void *p, size_t size, size_t have)
{
	ASAN_UNPOISON_MEMORY_REGION(p, size);
	ASAN_POISON_MEMORY_REGION((char *)p + size, have - size);
}

void *
evmem_malloc(size_t size)
{
	struct evmem_head	*h;
	struct evmem_free	*f;
	uint32_t		 cls = evmem_class(size);
	size_t			 have = size;

	if (cls != EVMEM_LARGE && (f = evmem_list[cls].head) != NULL) {
		ASAN_UNPOISON_MEMORY_REGION(f, sizeof(*f));
		evmem_list[cls].head = f->next;
		evmem_list[cls].count--;
		evmem_lend(f, size, evmem_class_size(cls));
		return f;
	}
	if (cls != EVMEM_LARGE)
		have = evmem_class_size(cls);
	if (have > SIZE_MAX - sizeof(*h) || (h = malloc(sizeof(*h) + have)) ==
	    NULL)
		return NULL;
	h->cls = cls;
	h->size = have;
	evmem_lend(h + 1, size, have);
	return h + 1;
}

void
evmem_free(void *p)
{
	struct evmem_head	*h;
	struct evmem_free	*f;
	uint32_t		 cls;

	if (p == NULL)
		return;
	h = evmem_head(p);
	cls = h->cls;
	if (cls == EVMEM_LARGE || (evmem_list[cls].count + 1) *
	    evmem_class_size(cls) > EVMEM_KEEP_BYTES) {
		free(h);
		return;
	}
	/* The link lives in the block: the smallest holds a pointer. */
	f = p;
	ASAN_UNPOISON_MEMORY_REGION(f, sizeof(*f));
	f->next = evmem_list[cls].head;
	evmem_list[cls].head = f;
	evmem_list[cls].count++;
	ASAN_POISON_MEMORY_REGION(p, evmem_class_size(cls));
}

void *
evmem_realloc(void *p, size_t size)
{
	void	*q;
	size_t	 have;

	if (p == NULL)
		return evmem_malloc(size);
	have = evmem_head(p)->size;
	if (size <= have) {
		evmem_lend(p, size, have);
		return p;
	}
	if ((q = evmem_malloc(size)) == NULL)
		return NULL;
	/* The whole block, since how much of it was lent is not kept. */
	ASAN_UNPOISON_MEMORY_REGION(p, have);
	memcpy(q, p, have);
	evmem_free(p);
	return q;
}

/* Blocks on the free lists, and the bytes they hold; for tests. */
size_t
evmem_cached(size_t *bytes)
{
	size_t		n = 0, b = 0;
	uint32_t	cls;

	for (cls = 0; cls < EVMEM_CLASSES; cls++) {
		n += evmem_list[cls].count;
		b += evmem_list[cls].count * evmem_class_size(cls);
	}
	if (bytes != NULL)
		*bytes = b;
	return n;
}

/* Give the free lists back to malloc (the tests start each case empty). */
void
evmem_release(void)
{
	struct evmem_free	*f;
	uint32_t		 cls;

	for (cls = 0; cls < EVMEM_CLASSES; cls++) {
		while ((f = evmem_list[cls].head) != NULL) {
			ASAN_UNPOISON_MEMORY_REGION(f, sizeof(*f));
			evmem_list[cls].head = f->next;
			free(evmem_head(f));
		}
		evmem_list[cls].count = 0;
	}
}
