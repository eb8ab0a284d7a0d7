/* SPDX-License-Identifier: MIT */
/*
 * swdma's fast path (dmae/fastpath.h): the client's side of the engine's
 * fast path ring (struct swdma_fp in hw/swdma/engine.h).  The client
 * packs ops into the ring, rings the doorbell, and reports completions
 * from the done count the engine publishes; no lock, no descriptor.
 */
#include <string.h>

#include "providers/swdma/swdma_drv.h"

/* Start the ops before tail, with the newest fenced one among them (swdma_split_run). */
static inline void fp_doorbell(struct swdma_fp *f, uint32_t tail)
{
	if (__builtin_expect(f->fence_last != f->fence_pub, 0)) {
		atomic_store_explicit(&f->fence, f->fence_last, memory_order_relaxed);
		f->fence_pub = f->fence_last;
	}
	atomic_store_explicit(&f->doorbell, tail, memory_order_release);
	swdma_hw_doorbell(f->ch->sw);
}

/*
 * Is the channel revoked (its provider removed)?  Then the doorbell is
 * refused with -ENODEV: the core stopped the channel, and nothing may
 * start it again.  Read at each doorbell, never per op.
 */
static inline bool fp_revoked(const struct swdma_fp *f)
{
	const struct swdma_chan *ch = f->drv;

	return atomic_load_explicit(&ch->vc.chan.state, memory_order_relaxed) ==
	       DMAE_CHAN_REVOKED;
}

static inline int fp_enqueue(struct swdma_fp *f, int op, uint64_t dst, uint64_t src,
			     uint32_t len, unsigned int flags)
{
	uint32_t tail = atomic_load_explicit(&f->tail, memory_order_relaxed);

	if ((flags & DMAE_FP_SUBMIT) && fp_revoked(f))
		return -ENODEV;
	if (tail - f->read > f->mask)
		return -ENOSPC;
	f->ring[tail & f->mask] = fp_pack(op, dst, src, len);
	atomic_store_explicit(&f->tail, tail + 1, memory_order_relaxed);
	if (flags) {
		if (flags & DMAE_FP_FENCE)
			f->fence_last = tail;
		if (flags & DMAE_FP_SUBMIT)
			fp_doorbell(f, tail + 1);
	}
	return (int)(tail & 0xffffu);
}

/* An address above 48 bits does not fit in a ring entry (see fp_pack). */
static int fp_too_wide(struct swdma_fp *f, const char *fn, uint64_t addr)
{
#ifdef DMAE_DEBUG
	return dmae_fail(EINVAL, "%s: %s: address 0x%llx above 48 bits", fn,
			 ((struct swdma_chan *)f->drv)->vc.chan.name, (unsigned long long)addr);
#else
	(void)f, (void)fn, (void)addr;
	return -EINVAL;
#endif
}

/*
 * DMAE_FP_FENCE needs no bit in the entry: the worker holding a channel's
 * claim runs its ops one after the other, except the large ops a split
 * job runs together, and a job takes none after a fenced op (swdma_split_run).
 */
static int swdma_fp_copy(void *ctx, dmae_addr_t dst, dmae_addr_t src, uint32_t len,
			 unsigned int flags)
{
	if (__builtin_expect((dst | src) > SWDMA_FP_ADDR_MAX, 0))
		return fp_too_wide(ctx, "dmae_fp_copy", dst | src);
	return fp_enqueue(ctx, SWDMA_FP_COPY, dst, src, len, flags);
}

static int swdma_fp_fill(void *ctx, dmae_addr_t dst, uint8_t value, uint32_t len,
			 unsigned int flags)
{
	if (__builtin_expect(dst > SWDMA_FP_ADDR_MAX, 0))
		return fp_too_wide(ctx, "dmae_fp_fill", dst);
	return fp_enqueue(ctx, SWDMA_FP_FILL, dst, value, len, flags);
}

static int swdma_fp_submit(void *ctx)
{
	struct swdma_fp *f = ctx;
	uint32_t tail = atomic_load_explicit(&f->tail, memory_order_relaxed);

	if (fp_revoked(f))
		return -ENODEV;
	if (atomic_load_explicit(&f->doorbell, memory_order_relaxed) != tail)
		fp_doorbell(f, tail);
	return 0;
}

/* Completions available to report, at most max. */
static inline uint32_t fp_ready(struct swdma_fp *f, uint16_t max)
{
	uint32_t n = f->done_seen - f->read;

	if (n < max) {
		f->done_seen = atomic_load_explicit(&f->done, memory_order_acquire);
		n = f->done_seen - f->read;
	}
	return n < max ? n : max;
}

static uint16_t swdma_fp_completed(void *ctx, uint16_t max, uint16_t *last_idx,
				   bool *has_error)
{
	struct swdma_fp *f = ctx;
	uint32_t n = fp_ready(f, max), i;
	bool err = false;

	if (n && atomic_load_explicit(&f->errors, memory_order_relaxed) != f->err_seen) {
		for (i = 0; i < n; i++) {
			if (f->status[(f->read + i) & f->mask] != DMAE_RESULT_OK) {
				n = i;
				err = true;
				break;
			}
		}
	}
	f->read += n;
	if (n && last_idx)
		*last_idx = (uint16_t)(f->read - 1);
	if (has_error)
		*has_error = err;
	return (uint16_t)n;
}

static uint16_t swdma_fp_completed_status(void *ctx, uint16_t max, uint16_t *last_idx,
					  enum dmae_result_code *codes)
{
	struct swdma_fp *f = ctx;
	uint32_t n = fp_ready(f, max), i;

	for (i = 0; i < n; i++) {
		uint8_t *st = &f->status[(f->read + i) & f->mask];

		codes[i] = *st;
		if (codes[i] != DMAE_RESULT_OK) {
			f->err_seen++;
			*st = DMAE_RESULT_OK;	/* the slot is free again */
		}
	}
	f->read += n;
	if (n && last_idx)
		*last_idx = (uint16_t)(f->read - 1);
	return (uint16_t)n;
}

static uint16_t swdma_fp_capacity(void *ctx)
{
	struct swdma_fp *f = ctx;
	uint32_t room = f->mask + 1 - (atomic_load_explicit(&f->tail, memory_order_relaxed) - f->read);

	return (uint16_t)(room > 0xffffu ? 0xffffu : room);
}

/*
 * Is an op before done failed and not reported yet?  The failure count
 * may be ahead of the done the caller read, so look at the slots done
 * covers (their status was written before done was published).
 */
static bool fp_failed_before(struct swdma_fp *f, uint32_t done)
{
	uint32_t i;

	if (atomic_load_explicit(&f->errors, memory_order_relaxed) == f->err_seen)
		return false;
	for (i = f->read; i != done; i++) {
		if (f->status[i & f->mask] != DMAE_RESULT_OK)
			return true;
	}
	return false;
}

/*
 * dmae_fp_wait(): sleep on done until it reaches the wanted index.  The
 * client says it waits, then (the heavy barrier) looks at done;
 * fp_publish() stores done, then looks at waiting: one of them sees the
 * other (engine.h, "The sleep/wake handshake").
 */
static int swdma_fp_wait(void *ctx, uint16_t count, uint64_t timeout_ns)
{
	struct swdma_fp *f = ctx;
	uint32_t db = atomic_load_explicit(&f->doorbell, memory_order_relaxed);
	uint32_t want = db - f->read < count ? db : f->read + count;
	uint64_t now = dmae_time_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	int ret = 0;

	atomic_store_explicit(&f->wait_for, want, memory_order_relaxed);
	handshake_enter(f->ch->sw, &f->waiting);
	for (;;) {
		uint32_t done = atomic_load_explicit(&f->done, memory_order_acquire);

		if (!idx_before(done, want) || fp_failed_before(f, done))
			break;
		if (now >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		hw_wait(&f->done, done, deadline == UINT64_MAX ? HW_FOREVER : deadline - now);
		now = dmae_time_ns();
	}
	atomic_store_explicit(&f->waiting, 0, memory_order_relaxed);
	return ret;
}

int swdma_fp_init(struct dmae_chan *chan, struct dmae_fp *fp)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	uint32_t size = ch->sw->cfg.fp_ring;
	struct swdma_fp *f = swdma_hw_fp_ring(ch->hw, size);

	if (!f)
		return -ENOMEM;
	f->drv = ch;
	fp->ctx = f;
	fp->copy = swdma_fp_copy;
	fp->fill = swdma_fp_fill;
	fp->submit = swdma_fp_submit;
	fp->completed = swdma_fp_completed;
	fp->completed_status = swdma_fp_completed_status;
	fp->capacity = swdma_fp_capacity;
	fp->wait = swdma_fp_wait;
	fp->impl = "swdma";
	fp->ring_size = size;
	fp->priv = f;
	return 0;
}

/*
 * At release, after terminate + synchronize: the ring stays allocated
 * (a worker may still look at it) and starts again from index 0.
 */
void swdma_fp_fini(struct dmae_chan *chan, struct dmae_fp *fp)
{
	swdma_hw_fp_reset(to_swdma_chan(chan)->hw, fp->priv);
}
