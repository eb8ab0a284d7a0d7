/* SPDX-License-Identifier: MIT */
/*
 * Heap allocation.  Only task-context paths (request, pool growth,
 * registration) allocate; the counter lets tests prove the hot paths
 * never do, and the failure point lets them take every allocation's
 * -ENOMEM path in turn.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static atomic_uint_fast64_t alloc_calls;
static atomic_uint_fast64_t fail_from = UINT64_MAX;	/* dmae__alloc_fail_after() */

/* Count a call; false if it must fail. */
static bool alloc_allowed(void)
{
	uint64_t n = atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);

	return n < atomic_load_explicit(&fail_from, memory_order_relaxed);
}

void *dmae_mem_zalloc(size_t size)
{
	return alloc_allowed() ? calloc(1, size) : NULL;
}

void *dmae_mem_zalloc_aligned(size_t size)
{
	void *p;

	if (!alloc_allowed())
		return NULL;
	size = (size + 63) & ~(size_t)63;
	p = aligned_alloc(64, size);
	if (p)
		memset(p, 0, size);
	return p;
}

void dmae_mem_free(void *p)
{
	free(p);
}

uint64_t dmae__alloc_count(void)
{
	return atomic_load_explicit(&alloc_calls, memory_order_relaxed);
}

void dmae__alloc_fail_after(uint64_t n)
{
	uint64_t now = atomic_load_explicit(&alloc_calls, memory_order_relaxed);
	uint64_t from = n > UINT64_MAX - now ? UINT64_MAX : now + n;

	atomic_store_explicit(&fail_from, from, memory_order_relaxed);
}
