/* SPDX-License-Identifier: MIT */
/*
 * Heap allocation.  Only task-context paths (request, pool growth,
 * registration) allocate; the counter lets tests prove the hot paths
 * never do.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static atomic_uint_fast64_t alloc_calls;

void *dmae_mem_zalloc(size_t size)
{
	atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
	return calloc(1, size);
}

void *dmae_mem_zalloc_aligned(size_t size)
{
	void *p;

	atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
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
