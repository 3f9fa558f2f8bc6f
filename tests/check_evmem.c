/* check_evmem.c: unit tests of evmem.c: the block cache libevent allocates from, its size classes and bound, and (under AddressSanitizer) its poisoning. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"

#ifdef FG_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* evmem: Check forks each test (CK_FORK), so every one starts with empty lists. */

START_TEST(evmem_reuses_a_freed_block)
{
	char	*a, *b;

	a = evmem_malloc(100);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq((uintptr_t)a % 16, 0);
	memset(a, 'x', 100);
	evmem_free(a);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	/* 65..128 bytes share a class: the same block comes back. */
	b = evmem_malloc(128);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
	/* Another class does not take it. */
	evmem_free(b);
	a = evmem_malloc(129);
	ck_assert_ptr_ne(a, b);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	evmem_free(a);
	evmem_release();
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST

START_TEST(evmem_sizes_at_class_edges)
{
	static const size_t	 sizes[] = { 0, 1, 15, 16, 17, 1023, 1024,
				    1025, 4096, 8191, 8192 };
	char			*p;
	size_t			 i, bytes;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = evmem_malloc(sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		memset(p, 0xa5, sizes[i]);
		evmem_free(p);
		ck_assert_uint_eq(evmem_cached(&bytes), 1);
		/* Cached in the smallest power of two that holds it. */
		ck_assert_uint_ge(bytes, sizes[i]);
		ck_assert_uint_le(bytes, sizes[i] < 16 ? 16 : 2 * sizes[i] - 1);
		evmem_release();
	}
}
END_TEST

START_TEST(evmem_large_blocks_are_not_kept)
{
	char	*p = evmem_malloc(8193);

	ck_assert_ptr_nonnull(p);
	memset(p, 1, 8193);
	evmem_free(p);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
	evmem_free(NULL);
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST

START_TEST(evmem_keeps_a_bounded_cache)
{
	char	*p[1000];
	size_t	 i, bytes;

	for (i = 0; i < 1000; i++)
		ck_assert_ptr_nonnull(p[i] = evmem_malloc(1024));
	for (i = 0; i < 1000; i++)
		evmem_free(p[i]);
	ck_assert_uint_eq(evmem_cached(&bytes), 256);
	ck_assert_uint_eq(bytes, 256 * 1024);
	evmem_release();
}
END_TEST

START_TEST(evmem_realloc_keeps_contents)
{
	char	*p, *q;
	size_t	 i;

	ck_assert_ptr_nonnull(p = evmem_realloc(NULL, 20));
	memcpy(p, "0123456789abcdefghi", 20);
	/* Still fits its 32-byte block: no move, either way. */
	ck_assert_ptr_eq(evmem_realloc(p, 32), p);
	ck_assert_ptr_eq(evmem_realloc(p, 20), p);
	ck_assert_str_eq(p, "0123456789abcdefghi");
	/* Grows into another class, then past the largest. */
	ck_assert_ptr_nonnull(q = evmem_realloc(p, 3000));
	ck_assert_str_eq(q, "0123456789abcdefghi");
	ck_assert_uint_eq(evmem_cached(NULL), 1);	/* the old block */
	for (i = 20; i < 3000; i++)
		q[i] = (char)i;
	ck_assert_ptr_nonnull(p = evmem_realloc(q, 100000));
	ck_assert_str_eq(p, "0123456789abcdefghi");
	for (i = 20; i < 3000; i++)
		ck_assert_int_eq(p[i], (char)i);
	ck_assert_ptr_eq(evmem_realloc(p, 50000), p);
	evmem_free(p);
	evmem_release();
}
END_TEST

#ifdef FG_ASAN
/* Only the bytes asked for may be used, and nothing of a block on a free list. */
START_TEST(evmem_poisons_what_is_not_lent)
{
	char	*p, *q;
	size_t	 i;

	p = evmem_malloc(100);
	ck_assert_ptr_null(__asan_region_is_poisoned(p, 100));
	ck_assert_int_eq(__asan_address_is_poisoned(p + 100), 1);
	ck_assert_int_eq(__asan_address_is_poisoned(p + 127), 1);
	memset(p, 'x', 100);
	evmem_free(p);
	ck_assert_uint_eq(evmem_cached(NULL), 1);
	for (i = 0; i < 128; i++)
		ck_assert_int_eq(__asan_address_is_poisoned(p + i), 1);
	/* Lent again, to a bigger request of the same class. */
	q = evmem_malloc(120);
	ck_assert_ptr_eq(q, p);
	ck_assert_ptr_null(__asan_region_is_poisoned(q, 120));
	ck_assert_int_eq(__asan_address_is_poisoned(q + 120), 1);
	/* A realloc in place moves the line both ways. */
	ck_assert_ptr_eq(evmem_realloc(q, 128), q);
	ck_assert_ptr_null(__asan_region_is_poisoned(q, 128));
	ck_assert_ptr_eq(evmem_realloc(q, 10), q);
	ck_assert_int_eq(__asan_address_is_poisoned(q + 10), 1);
	/* Growing copies the old block, lent or not, without a report. */
	ck_assert_ptr_nonnull(p = evmem_realloc(q, 1000));
	ck_assert_int_eq(__asan_address_is_poisoned(q), 1);
	evmem_free(p);
	evmem_release();
	ck_assert_uint_eq(evmem_cached(NULL), 0);
}
END_TEST
#endif

Suite *
evmem_suite(void)
{
	Suite	*s = suite_create("evmem");
	TCase	*tc;

	tc = tcase_create("blocks");
	tcase_add_test(tc, evmem_reuses_a_freed_block);
	tcase_add_test(tc, evmem_sizes_at_class_edges);
	tcase_add_test(tc, evmem_large_blocks_are_not_kept);
	tcase_add_test(tc, evmem_keeps_a_bounded_cache);
	tcase_add_test(tc, evmem_realloc_keeps_contents);
	suite_add_tcase(s, tc);
	/* Only AddressSanitizer has poison to look at: make check-sanitizers. */
#ifdef FG_ASAN
	tc = tcase_create("poison");
	tcase_add_test(tc, evmem_poisons_what_is_not_lent);
	suite_add_tcase(s, tc);
#else
	printf("evmem: poisoning not checked: not an AddressSanitizer build "
	    "(make check-sanitizers checks it)\n");
#endif
	return s;
}
