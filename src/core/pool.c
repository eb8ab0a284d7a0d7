/* SPDX-License-Identifier: MIT */
/*
 * Per-channel descriptor pools.
 *
 * A channel's descriptors are carved out of chunks allocated when it is
 * requested (and when the client grows the pool), so prep never touches
 * the heap and can run in any context.  Each descriptor keeps its chan
 * pointer for its whole life; a free descriptor is in DMAE_DESC_FREE state
 * on chan->pool_free_list (taken by prep) or chan->pool_returned (given
 * back by completions, moved to the free list when it runs dry).
 */
#include <string.h>

#include "core/core.h"

int dmae__pool_grow(struct dmae_chan *chan, uint32_t n)
{
	void **chunks;
	char *mem;
	dmae_irqflags_t f;
	uint32_t i;

	if (!n || n > DMAE_MAX_POOL_SIZE || chan->pool_size + n > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool of %u + %u descriptors is out of range (max %u)",
				 chan->name, chan->pool_size, n, DMAE_MAX_POOL_SIZE);
	chunks = dmae__zalloc(sizeof(*chunks) * (chan->pool_nchunks + 1));
	if (!chunks)
		return -ENOMEM;
	mem = dmae__aligned_zalloc(chan->desc_stride * n);
	if (!mem) {
		dmae__free(chunks);
		return -ENOMEM;
	}
	if (chan->pool_nchunks)
		memcpy(chunks, chan->pool_chunks, sizeof(*chunks) * chan->pool_nchunks);
	chunks[chan->pool_nchunks] = mem;
	dmae__free(chan->pool_chunks);
	chan->pool_chunks = chunks;
	chan->pool_nchunks++;

	for (i = 0; i < n; i++) {
		struct dmae_desc *d = (struct dmae_desc *)(void *)(mem + chan->desc_stride * i);

		d->chan = chan;
		d->state = DMAE_DESC_FREE;
		dmae_list_init(&d->node);
	}
	dmae_spin_lock_irqsave(&chan->pool_lock, &f);
	for (i = 0; i < n; i++) {
		struct dmae_desc *d = (struct dmae_desc *)(void *)(mem + chan->desc_stride * i);

		d->pool_next = chan->pool_free_list;
		chan->pool_free_list = d;
	}
	chan->pool_size += n;
	dmae_spin_unlock_irqrestore(&chan->pool_lock, f);
	return 0;
}

int dmae__pool_create(struct dmae_chan *chan, uint32_t n)
{
	size_t sz = chan->provider->desc_size;

	chan->desc_stride = (sz + 63) & ~(size_t)63;
	chan->pool_size = 0;
	chan->pool_free_list = NULL;
	atomic_store(&chan->pool_returned, NULL);
	atomic_store(&chan->pool_taken, 0);
	atomic_store(&chan->pool_given, 0);
	return dmae__pool_grow(chan, n);
}

void dmae__pool_destroy(struct dmae_chan *chan)
{
	uint32_t i;

	for (i = 0; i < chan->pool_nchunks; i++)
		dmae__free(chan->pool_chunks[i]);
	dmae__free(chan->pool_chunks);
	chan->pool_chunks = NULL;
	chan->pool_nchunks = 0;
	chan->pool_free_list = NULL;
	atomic_store(&chan->pool_returned, NULL);
	chan->pool_size = 0;
	atomic_store(&chan->pool_taken, 0);
	atomic_store(&chan->pool_given, 0);
}

/* Prep side: the free list, refilled from the returned stack in one go. */
struct dmae_desc *dmae__pool_get(struct dmae_chan *chan)
{
	struct dmae_desc *d;
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&chan->pool_lock, &f);
	d = chan->pool_free_list;
	if (!d)
		d = atomic_exchange_explicit(&chan->pool_returned, NULL, memory_order_acquire);
	if (d) {
		chan->pool_free_list = d->pool_next;
		atomic_store_explicit(&chan->pool_taken,
				      atomic_load_explicit(&chan->pool_taken, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	}
	dmae_spin_unlock_irqrestore(&chan->pool_lock, f);
	return d;
}

/*
 * Completion side: push on the returned stack.  Only push (CAS) and
 * take-all (exchange) touch it, so the classic ABA problem of a lock-free
 * pop cannot arise.
 */
void dmae__pool_put(struct dmae_desc *d)
{
	struct dmae_chan *chan = d->chan;
	struct dmae_desc *head = atomic_load_explicit(&chan->pool_returned, memory_order_relaxed);

	d->state = DMAE_DESC_FREE;
	do {
		d->pool_next = head;
	} while (!atomic_compare_exchange_weak_explicit(&chan->pool_returned, &head, d,
							memory_order_release,
							memory_order_relaxed));
	atomic_fetch_add_explicit(&chan->pool_given, 1, memory_order_relaxed);
}

uint32_t dmae__pool_free(const struct dmae_chan *chan)
{
	uint32_t taken = atomic_load_explicit(&chan->pool_taken, memory_order_relaxed);
	uint32_t given = atomic_load_explicit(&chan->pool_given, memory_order_relaxed);

	return chan->pool_size - (taken - given);
}
