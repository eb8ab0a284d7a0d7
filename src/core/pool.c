/* SPDX-License-Identifier: MIT */
/*
 * Per-channel descriptor pools.
 *
 * A channel's descriptors are carved out of chunks allocated when it is
 * requested (and when the client grows the pool), so prep never touches
 * the heap and can run in any context.  Each descriptor keeps its chan
 * pointer for its whole life; a free descriptor is in DMAE_DESC_FREE state
 * on chan->pool_free_list.
 *
 * The chunks stay with the channel when it is released and serve its next
 * holder: a descriptor pointer a client kept past its release still points
 * at a descriptor (FREE, or a later holder's), never at freed memory.  They
 * are freed when the provider itself is released (dmae__pool_destroy).
 *
 * The free list is protected by the vchan lock.  Every place that gives a
 * descriptor back (completion, terminate, free, ack) holds that lock
 * already, so only prep takes it for the pool: one uncontended lock per
 * descriptor instead of a pool lock plus an atomic stack (measured in
 * docs/performance.md).  The list is LIFO so that the descriptor prep
 * gets is the one most recently completed, still in this CPU's cache.
 *
 * A channel with one submitter (DMAE_CHAN_OPT_ONE_SUBMITTER) does without
 * even that lock: prep pops chan->pool_own, a stack only the submitter
 * touches, and when it is empty takes the whole shared list at once under
 * the lock.  Descriptors on it are free and counted so: the counts are
 * "taken by prep" and "returned", each with a single writer at a time.
 */
#include <inttypes.h>
#include <string.h>

#include "core/core.h"

/* One allocation of n descriptors, desc_stride bytes apart. */
struct dmae__pool_chunk {
	char *mem;
	uint32_t n;
};

static struct dmae_desc *chunk_desc(const struct dmae_chan *chan,
				    const struct dmae__pool_chunk *c, uint32_t i)
{
	return (struct dmae_desc *)(void *)(c->mem + chan->desc_stride * i);
}

/* Make the chunks hold at least n descriptors in all.  Task context. */
static int pool_reserve(struct dmae_chan *chan, uint32_t n)
{
	struct dmae__pool_chunk *chunks;
	uint32_t add, i;
	char *mem;

	if (chan->pool_cap >= n)
		return 0;
	add = n - chan->pool_cap;
	chunks = dmae__zalloc(sizeof(*chunks) * (chan->pool_nchunks + 1));
	if (!chunks)
		return -ENOMEM;
	mem = dmae__aligned_zalloc(chan->desc_stride * add);
	if (!mem) {
		dmae__free(chunks);
		return -ENOMEM;
	}
	if (chan->pool_nchunks)
		memcpy(chunks, chan->pool_chunks, sizeof(*chunks) * chan->pool_nchunks);
	chunks[chan->pool_nchunks] = (struct dmae__pool_chunk){ mem, add };
	dmae__free(chan->pool_chunks);
	chan->pool_chunks = chunks;
	chan->pool_nchunks++;
	chan->pool_cap += add;
	for (i = 0; i < add; i++) {
		struct dmae_desc *d = chunk_desc(chan, &chunks[chan->pool_nchunks - 1], i);

		d->chan = chan;
		d->state = DMAE_DESC_FREE;
	}
	return 0;
}

/* Put descriptors [from, from + n) of the chunks on the free list.  vc->lock held. */
static void pool_carve(struct dmae_chan *chan, uint32_t from, uint32_t n)
{
	uint32_t k, base = 0;

	for (k = 0; k < chan->pool_nchunks && n; k++) {
		const struct dmae__pool_chunk *c = &chan->pool_chunks[k];

		for (; from < base + c->n && n; from++, n--) {
			struct dmae_desc *d = chunk_desc(chan, c, from - base);

			d->pool_next = chan->pool_free_list;
			chan->pool_free_list = d;
		}
		base += c->n;
	}
}

int dmae__pool_grow(struct dmae_chan *chan, uint32_t n)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_irqflags_t f;

	if (!n || n > DMAE_MAX_POOL_SIZE || chan->pool_size + n > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool of %" PRIu32 " + %" PRIu32 " descriptors is out of range (max %u)",
				 chan->name, chan->pool_size, n, DMAE_MAX_POOL_SIZE);
	/* Every descriptor may sit on the queue at once. */
	if (dmae__vchan_queue_reserve(vc, chan->pool_size + n) ||
	    pool_reserve(chan, chan->pool_size + n))
		return -ENOMEM;
	dmae__vchan_lock(vc, &f);
	pool_carve(chan, chan->pool_size, n);
	chan->pool_size += n;
	dmae__vchan_unlock(vc, f);
	return 0;
}

int dmae__pool_create(struct dmae_chan *chan, uint32_t n)
{
	size_t sz = chan->provider->desc_size;
	int ret;

	chan->desc_stride = (sz + 63) & ~(size_t)63;
	chan->pool_size = 0;
	chan->pool_free_list = NULL;
	chan->pool_own = NULL;
	atomic_store(&chan->pool_taken, 0);
	atomic_store(&chan->pool_returned, 0);
	ret = dmae__pool_grow(chan, n);
	if (ret)
		dmae__vchan_queue_free(dmae_to_vchan(chan));
	return ret;
}

void dmae__pool_retire(struct dmae_chan *chan)
{
	uint32_t k, i;

	for (k = 0; k < chan->pool_nchunks; k++) {
		for (i = 0; i < chan->pool_chunks[k].n; i++) {
			struct dmae_desc *d = chunk_desc(chan, &chan->pool_chunks[k], i);

			d->cb = NULL;
			d->comp = NULL;
			d->state = DMAE_DESC_FREE;
		}
	}
	chan->pool_free_list = NULL;
	chan->pool_own = NULL;
	chan->pool_size = 0;
	atomic_store(&chan->pool_taken, 0);
	atomic_store(&chan->pool_returned, 0);
	dmae__vchan_queue_free(dmae_to_vchan(chan));
}

void dmae__pool_destroy(struct dmae_chan *chan)
{
	uint32_t k;

	dmae__pool_retire(chan);
	for (k = 0; k < chan->pool_nchunks; k++)
		dmae__free(chan->pool_chunks[k].mem);
	dmae__free(chan->pool_chunks);
	chan->pool_chunks = NULL;
	chan->pool_nchunks = 0;
	chan->pool_cap = 0;
}
struct dmae_desc *dmae__pool_take_locked(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	struct dmae_desc **stack = &chan->pool_free_list, *d;
	dmae_irqflags_t f;

	dmae__vchan_lock(vc, &f);
	if (chan->opts.flags & DMAE_CHAN_OPT_ONE_SUBMITTER) {
		/* the submitter's stack is empty: it takes the whole shared list */
		chan->pool_own = chan->pool_free_list;
		chan->pool_free_list = NULL;
		stack = &chan->pool_own;
	}
	d = *stack;
	if (d) {
		*stack = d->pool_next;
		dmae__count_add(&chan->pool_taken, 1);
	}
	dmae__vchan_unlock(vc, f);
	return d;
}

/* Free descriptors now; a snapshot.  Any context. */
uint32_t dmae__pool_free(const struct dmae_chan *chan)
{
	int32_t used = (int32_t)(atomic_load_explicit(&chan->pool_taken, memory_order_relaxed) -
				 atomic_load_explicit(&chan->pool_returned, memory_order_relaxed));

	/* the two counts are read apart: keep the difference in range */
	if (used < 0)
		used = 0;
	return used > (int32_t)chan->pool_size ? 0 : chan->pool_size - (uint32_t)used;
}
