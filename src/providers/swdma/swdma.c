/* SPDX-License-Identifier: MIT */
/*
 * swdma - the driver of the software copy engine (src/hw/swdma/).
 *
 * A virt-channel driver like any other: prep builds a ring entry in the
 * descriptor (and, for sg and interleaved, a descriptor list the engine
 * reads), issue_pending copies entries into the channel's hardware ring
 * and rings the doorbell, and the interrupt handler -- or the poll op,
 * when the client collects its own channel -- reaps finished entries in
 * ring order and completes their descriptors.  Terminate marks the ring
 * dead, synchronize waits for the engine to leave it.  The fast path ops
 * are in fastpath.c.
 *
 * The vchan's active descriptors are in ring order: active descriptor k
 * is entry reaped + k.  Everything the driver owns is under vc->lock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "providers/swdma/swdma_drv.h"
#include "providers/swdma/swdma_internal.h"

#define SWDMA_PUSH_PREFETCH 32u		/* ring entries asked for ahead at each push */
#define SWDMA_REAP_CHUNK 64u		/* completions per vc->lock hold in the handler */
#define SWDMA_DEF_IRQ_COALESCE 64u
#define SWDMA_DEF_IRQ_HOLDOFF_NS 5000u
#define SWDMA_MAX_IRQ_HOLDOFF_NS 1000000000u
#define SWDMA_MAX_SEG_LEN (UINT64_C(1) << 30)	/* bytes per segment: 1 GiB */
#define SWDMA_DEF_SPIN_NS 20000u
#define SWDMA_DEF_YIELD_NS 200000u
#define SWDMA_DEF_FP_RING 1024u
#define SWDMA_DEF_SPLIT_MIN (256u << 10)
#define SWDMA_DEF_SPLIT_CHUNK (64u << 10)

_Static_assert(DMAE_SWDMA_OFF == SWDMA_OFF, "the engine's 'off' is the API's");
_Static_assert(DMAE_SWDMA_COALESCE_BYTES == SWDMA_COALESCE_BYTES,
	       "the engine's coalescing budget is the API's");
_Static_assert((int)SWDMA_ST_OK == (int)DMAE_RESULT_OK &&
	       (int)SWDMA_ST_READ_FAILED == (int)DMAE_RESULT_READ_FAILED &&
	       (int)SWDMA_ST_WRITE_FAILED == (int)DMAE_RESULT_WRITE_FAILED &&
	       (int)SWDMA_ST_ABORTED == (int)DMAE_RESULT_ABORTED,
	       "the engine's result bytes are dmae's result codes");

/* The list of an sg or interleaved descriptor, behind it. */
static inline struct swdma_list *desc_list(struct swdma_desc *sd)
{
	return (struct swdma_list *)(void *)(sd + 1);
}

/* The interleaved frame of sd, behind its list's segments. */
static inline struct swdma_frame *desc_frame(const struct dmae_swdma *sw, struct swdma_desc *sd)
{
	return (struct swdma_frame *)(void *)((char *)sd + sw->frame_off);
}

/*
 * Build sd's entry at prep: kind is 0 (a copy from src), SWDMA_HW_FILL (src
 * is the value) or SWDMA_HW_DESC (run sd's list).
 */
static void hw_build(struct swdma_desc *sd, uint64_t dst, uint64_t src, uintptr_t kind)
{
	sd->hw_dst = dst;
	sd->hw_src = src;
	sd->hw_desc = (uintptr_t)desc_list(sd) | kind |
		      (sd->d.flags & DMAE_PREP_INTERRUPT ? SWDMA_HW_IRQ : 0);
}

/*
 * Hand issued descriptors to the ring while it has room.  vc->lock held.
 * If some must wait, say so (starved): the worker raises the IRQ when it
 * next publishes, and the handler pushes again.  If the worker has already
 * finished entries that were not reaped yet, raise it now instead: it may
 * have nothing more to publish.  (desc_publish() in src/hw/swdma/engine.c
 * has the ordering.)
 */
static uint32_t ring_live(struct swdma_chan *ch)
{
	/* A slot is free once the worker and the reaper are both past it. */
	return idx_before(ch->done_seen, ch->reaped) ? ch->done_seen : ch->reaped;
}

static void swdma_push(struct swdma_chan *ch)
{
	uint32_t tail = atomic_load_explicit(&ch->hw->tail, memory_order_relaxed);
	uint32_t live = ch->push_live;
	struct swdma_desc *sd;
	struct dmae_desc *d;
	bool pushed = false;

	for (;;) {
		/*
		 * push_live and done_seen lag, so this may find the ring full
		 * when it is not: only then read the reaper's line and done,
		 * a line the worker writes.
		 */
		if (tail - live >= SWDMA_RING) {
			ch->done_seen = atomic_load(&ch->hw->done);
			live = ch->push_live = ring_live(ch);
			if (tail - live >= SWDMA_RING)
				break;
		}
		d = dmae_vchan_start_next(&ch->vc);
		if (!d)
			break;
		sd = to_swdma_desc(d);
		ch->hw->ring[tail % SWDMA_RING] = (struct swdma_entry){
			.dst = sd->hw_dst, .src = sd->hw_src, .len = d->len, .desc = sd->hw_desc
		};
		ch->hw->status[tail % SWDMA_RING] = SWDMA_ST_OK;
		tail++;
		pushed = true;
	}
	if (pushed) {
		atomic_store_explicit(&ch->hw->tail, tail, memory_order_release);
		/*
		 * Ask now for the lines the next burst will write: the worker
		 * read them a ring ago, and the doorbell's fence would otherwise
		 * wait for their invalidation (measured: far placement, 64 B
		 * polled 23 -> 31 Mops/s; docs/performance.md).  Only free
		 * slots, which no worker reads until tail passes them.
		 */
		for (uint32_t i = 0; i < SWDMA_PUSH_PREFETCH && tail + i - live < SWDMA_RING; i += 2)
			__builtin_prefetch(&ch->hw->ring[(tail + i) % SWDMA_RING], 1);
		swdma_hw_doorbell(ch->hw->sw);
	}
	if (dmae_vchan_has_issued(&ch->vc)) {
		swdma_hw_starve(ch->hw);
		if (idx_before(ch->reaped, atomic_load(&ch->hw->done))) {
			swdma_hw_irq_flag(ch->hw);
			dmae_irq_raise(ch->sw->irq);
		}
	}
}

static int swdma_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	(void)chan;
	(void)len;
	hw_build(to_swdma_desc(d), dst, src, 0);
	return 0;
}

static int swdma_prep_memset(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, uint8_t value, uint64_t len)
{
	(void)chan;
	(void)len;
	hw_build(to_swdma_desc(d), dst, value, SWDMA_HW_FILL);
	return 0;
}

/* Merge both lists into pieces contiguous on both sides (<= ndst + nsrc - 1). */
static int swdma_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			 const struct dmae_sg *dst, unsigned int ndst,
			 const struct dmae_sg *src, unsigned int nsrc)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	struct swdma_list *l = desc_list(sd);
	unsigned int i = 0, j = 0, n = 0;
	uint64_t doff = 0, soff = 0;

	(void)chan;
	while (i < ndst && j < nsrc) {
		uint64_t dl = dst[i].len - doff, sl = src[j].len - soff;
		uint64_t len = dl < sl ? dl : sl;

		l->seg[n++] = (struct swdma_seg){ dst[i].addr + doff, src[j].addr + soff, len };
		doff += len;
		soff += len;
		if (doff == dst[i].len) {
			i++;
			doff = 0;
		}
		if (soff == src[j].len) {
			j++;
			soff = 0;
		}
	}
	l->frame = NULL;
	l->nseg = n;
	if (n == 1)
		hw_build(sd, l->seg[0].dst, l->seg[0].src, 0);
	else
		hw_build(sd, 0, 0, SWDMA_HW_DESC);
	return 0;
}

static int swdma_prep_interleaved(struct dmae_chan *chan, struct dmae_desc *d,
				  const struct dmae_interleaved *t)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	struct swdma_list *l = desc_list(sd);
	struct swdma_frame *fr = desc_frame(chan->provider->drvdata, sd);
	uint32_t i;

	*fr = (struct swdma_frame){ .src = t->src, .dst = t->dst, .numf = t->numf,
				    .src_inc = t->src_inc, .dst_inc = t->dst_inc,
				    .src_sgl = t->src_sgl, .dst_sgl = t->dst_sgl };
	l->frame = fr;
	l->nseg = t->frame_size;
	for (i = 0; i < t->frame_size; i++)
		l->seg[i] = (struct swdma_seg){ t->chunks[i].dst_icg, t->chunks[i].src_icg,
						t->chunks[i].size };
	hw_build(sd, 0, 0, SWDMA_HW_DESC);
	return 0;
}


static void swdma_issue_pending(struct dmae_chan *chan)
{
	swdma_push(to_swdma_chan(chan));
}

/* Fast path ops enqueued so far complete as ABORTED, doorbell or not. */
static void swdma_terminate(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);

	ch->reaped = atomic_load(&ch->hw->tail);	/* the vchan layer takes the active ones */
	swdma_hw_abort(ch->hw);
}

static void swdma_synchronize(struct dmae_chan *chan)
{
	swdma_hw_quiesce(to_swdma_chan(chan)->hw);
}

static uint64_t swdma_residue(struct dmae_chan *chan, struct dmae_desc *d)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	/* active descriptor k is entry reaped + k */
	uint32_t idx = ch->reaped + dmae_vchan_active_pos(&ch->vc, d), at;
	uint64_t bytes;

	if (idx_before(idx, atomic_load_explicit(&ch->hw->done, memory_order_acquire)))
		return 0;
	swdma_hw_pos_read(ch->hw, &at, &bytes);
	return at == idx ? d->len - bytes : d->len;
}

/*
 * Takes effect before it returns (swdma_hw_pause: a burst under way
 * finishes, nothing moves after).  vc->lock held: the engine's wait never
 * sleeps, and no worker waits for vc->lock while it moves bytes.
 *
 * What finished before the pause is delivered now: the worker may hold
 * or moderate its interrupt for work still queued, and a paused queue
 * runs no batch that would raise it.  The handler runs once the caller
 * drops the lock.
 */
static int swdma_pause(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);

	swdma_hw_pause(ch->hw);
	if (idx_before(ch->reaped, atomic_load(&ch->hw->done))) {
		swdma_hw_irq_flag(ch->hw);
		dmae_irq_raise(ch->sw->irq);
	}
	return 0;
}

static int swdma_resume(struct dmae_chan *chan)
{
	swdma_hw_resume(to_swdma_chan(chan)->hw);
	return 0;
}


/*
 * Complete up to SWDMA_REAP_CHUNK descriptors whose entries finished
 * before done, in ring order: runs without a failure in one call, a failed
 * entry on its own.  The result bytes and the timestamp come from the
 * channel's worker lines: the descriptors themselves were never written
 * by the worker.  vc->lock held.  True if finished entries remain.
 *
 * status[] is read only while a failure may be among them: "failed" is
 * published before the done that covers it (and done was read first), so
 * an unchanged count means none.  Once the reaper is past the newest
 * failure, the count is taken as seen.
 */
static bool swdma_reap(struct swdma_chan *ch, uint32_t done, uint64_t ts)
{
	struct dmae_vchan *vc = &ch->vc;
	uint32_t failed = atomic_load_explicit(&ch->hw->failed, memory_order_acquire);
	uint32_t n = 0, ok;

	if (idx_before(ch->done_seen, done))
		ch->done_seen = done;
	if (idx_before(ch->reaped, done))
		n = done - ch->reaped;
	if (n > SWDMA_REAP_CHUNK)
		n = SWDMA_REAP_CHUNK;
	if (n > dmae_vchan_nr_active(vc))
		n = dmae_vchan_nr_active(vc);	/* one entry per active descriptor */
	while (n) {
		if (failed == ch->failed_seen)
			ok = n;
		else
			for (ok = 0; ok < n && !ch->hw->status[(ch->reaped + ok) % SWDMA_RING]; ok++)
				;
		if (ok) {
			dmae_vchan_complete_ok(vc, ok, ts);
			ch->reaped += ok;
			n -= ok;
		}
		if (n) {
			struct dmae_desc *d = dmae_vchan_first_active(vc);
			uint8_t code = ch->hw->status[ch->reaped % SWDMA_RING];

			d->done_ns = ts;
			dmae_vchan_complete(d, code, d->len);
			ch->reaped++;
			n--;
		}
	}
	if (failed != ch->failed_seen &&
	    !idx_before(ch->reaped, atomic_load_explicit(&ch->hw->failed_upto, memory_order_relaxed)))
		ch->failed_seen = failed;
	if (dmae_vchan_nr_active(vc))
		return idx_before(ch->reaped, done);
	ch->reaped = atomic_load_explicit(&ch->hw->tail, memory_order_relaxed);
	return false;
}

/*
 * Complete ch's entries before done and refill its ring; tell the worker
 * (collected).  The lock is dropped between chunks: a coalesced interrupt
 * may find hundreds of finished entries, and the client's prep and submit
 * need the same lock.
 */
static void swdma_collect(struct swdma_chan *ch, uint32_t done)
{
	uint64_t ts = atomic_load_explicit(&ch->hw->done_ns, memory_order_relaxed);
	uintptr_t last = atomic_load_explicit(&ch->hw->done_desc, memory_order_relaxed);
	dmae_irqflags_t f;
	bool more;

	/*
	 * The client wrote the lock's line and the newest finished
	 * descriptor last.  Taken as the reap reaches them, they cost a line
	 * round trip each; asked for now, they come together.
	 */
	__builtin_prefetch(&ch->vc.lock, 1);
	if (last) {
		struct swdma_desc *sd = (struct swdma_desc *)(last & ~(uintptr_t)SWDMA_HW_FLAGS) - 1;

		__builtin_prefetch(&sd->d, 1);
		__builtin_prefetch((char *)&sd->d + 64, 1);
	}
	do {
		dmae_vchan_lock(&ch->vc, &f);
		more = swdma_reap(ch, done, ts);
		if (!more) {
			swdma_push(ch);
			atomic_store_explicit(&ch->hw->collected, done, memory_order_relaxed);
		}
		dmae_vchan_unlock(&ch->vc, f);
	} while (more);
}

/* The interrupt: every channel flagged in the status words (swdma_hw_irq_flag). */
static enum dmae_irqreturn swdma_irq(void *arg)
{
	struct dmae_swdma *sw = arg;
	uint32_t words = (sw->cfg.nr_chans + 63) / 64, w;
	bool handled = false;

	for (w = 0; w < words; w++) {
		uint64_t bits = swdma_hw_irq_take(sw->hw, w);

		while (bits) {
			struct swdma_chan *ch = &sw->chans[w * 64 + (uint32_t)__builtin_ctzll(bits)];

			bits &= bits - 1;
			handled = true;
			swdma_collect(ch, atomic_load(&ch->hw->done));	/* after the bit */
		}
	}
	return handled ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
}

/*
 * The client looks for its own channel's completions (provider op poll):
 * done, a line the worker writes anyway, and nothing of the status word.
 * Unlocked, collected is exact: only reapers write it, and they are
 * serialised with this call (the handler lock).
 */
static enum dmae_irqreturn swdma_poll(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	uint32_t done = atomic_load(&ch->hw->done);

	if (done == atomic_load_explicit(&ch->hw->collected, memory_order_relaxed))
		return DMAE_IRQ_NONE;
	swdma_collect(ch, done);
	return DMAE_IRQ_HANDLED;
}

int dmae__swdma_fail_next(struct dmae_chan *chan, uint32_t n, enum dmae_result_code code)
{
	if (!chan || chan->provider->ops->prep_memcpy != swdma_prep_memcpy)
		return -EINVAL;
	swdma_hw_fail_next(to_swdma_chan(chan)->hw, n, (enum swdma_status)code);
	return 0;
}

uint64_t dmae__swdma_irq_count(const struct dmae_swdma *sw)
{
	return dmae_irq_count(sw->irq);
}

void dmae__swdma_irq_hold(struct dmae_swdma *sw, bool forever)
{
	swdma_hw_irq_hold(sw->hw, forever);
}

int dmae__swdma_rebase(struct dmae_chan *chan, uint32_t idx)
{
	struct swdma_chan *ch;
	dmae_irqflags_t f;

	if (!chan || chan->provider->ops->prep_memcpy != swdma_prep_memcpy)
		return -EINVAL;
	ch = to_swdma_chan(chan);
	dmae_vchan_lock(&ch->vc, &f);
	swdma_hw_rebase(ch->hw, idx);
	ch->reaped = ch->done_seen = ch->push_live = idx;
	dmae_vchan_unlock(&ch->vc, f);
	return 0;
}

uint32_t dmae__swdma_done(struct dmae_chan *chan)
{
	return atomic_load_explicit(&to_swdma_chan(chan)->hw->done, memory_order_acquire);
}

static void swdma_free(struct dmae_swdma *sw);

/* No channel is held any more (the core calls it): the engine goes. */
static void swdma_release(struct dmae_provider *p)
{
	struct dmae_swdma *sw = p->drvdata;

	swdma_hw_stop(sw->hw);
	dmae_irq_free(sw->irq);	/* the handler reads the engine's words */
	swdma_hw_free(sw->hw);
	swdma_free(sw);
}

static const struct dmae_provider_ops swdma_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.prep_memcpy = swdma_prep_memcpy,
	.prep_memset = swdma_prep_memset,
	.prep_sg = swdma_prep_sg,
	.prep_interleaved = swdma_prep_interleaved,
	.issue_pending = swdma_issue_pending,
	.terminate = swdma_terminate,
	.synchronize = swdma_synchronize,
	.residue = swdma_residue,
	.pause = swdma_pause,
	.resume = swdma_resume,
	.fp_init = swdma_fp_init,
	.fp_fini = swdma_fp_fini,
	.poll = swdma_poll,
	.release = swdma_release,
};

/* ---- instantiation ------------------------------------------------------------------- */

/*
 * The engine's interrupt output: a worker asks for the interrupt on its
 * own thread (it runs the handler there when it can) or on the line's.
 */
static void swdma_irq_out(void *ctx, bool local)
{
	struct dmae_swdma *sw = ctx;

	if (local)
		dmae_irq_raise_local(sw->irq);
	else
		dmae_irq_raise(sw->irq);
}

static int swdma_config(const struct dmae_swdma_config *in, struct dmae_swdma_config *c)
{
	static const char fn[] = "dmae_swdma_create";

	*c = in ? *in : (struct dmae_swdma_config){ 0 };
	c->nr_chans = c->nr_chans ? c->nr_chans : 4;
	c->nr_workers = c->nr_workers ? c->nr_workers : 1;
	c->burst = c->burst ? c->burst : 65536;
	c->max_sg = c->max_sg ? c->max_sg : 64;
	c->fp_ring = c->fp_ring ? c->fp_ring : SWDMA_DEF_FP_RING;
	c->spin_ns = c->spin_ns ? c->spin_ns : SWDMA_DEF_SPIN_NS;
	c->yield_ns = c->yield_ns ? c->yield_ns : SWDMA_DEF_YIELD_NS;
	c->split_min = c->split_min ? c->split_min : SWDMA_DEF_SPLIT_MIN;
	c->split_chunk = c->split_chunk ? c->split_chunk : SWDMA_DEF_SPLIT_CHUNK;
	/* nt_min 0 stays 0: SWDMA_NT_AUTO */
	c->irq_coalesce = c->irq_coalesce ? c->irq_coalesce : SWDMA_DEF_IRQ_COALESCE;
	c->irq_holdoff_ns = c->irq_holdoff_ns ? c->irq_holdoff_ns : SWDMA_DEF_IRQ_HOLDOFF_NS;
	if (c->irq_coalesce == DMAE_SWDMA_OFF)
		c->irq_coalesce = 1;
	if (c->fp_ring < 64 || c->fp_ring > 65536 || (c->fp_ring & (c->fp_ring - 1)))
		return dmae_fail(EINVAL, "%s: fast path ring of %" PRIu32 " entries (a power of two "
				 "64..65536)", fn, c->fp_ring);
	if (c->irq_coalesce > 65536)
		return dmae_fail(EINVAL, "%s: irq_coalesce of %" PRIu32 " entries (max 65536)", fn,
				 c->irq_coalesce);
	if (c->irq_holdoff_ns > SWDMA_MAX_IRQ_HOLDOFF_NS && c->irq_holdoff_ns != DMAE_SWDMA_OFF)
		return dmae_fail(EINVAL, "%s: irq_holdoff_ns of %" PRIu32 " (max %u)", fn,
				 c->irq_holdoff_ns, SWDMA_MAX_IRQ_HOLDOFF_NS);
	if (c->split_chunk < 4096 || c->split_chunk == DMAE_SWDMA_OFF)
		return dmae_fail(EINVAL, "%s: split chunk of %" PRIu32 " bytes (min 4096)", fn,
				 c->split_chunk);
	if (c->nr_chans > SWDMA_MAX_CHANS)
		return dmae_fail(EINVAL, "%s: %" PRIu32 " channels (max %u)", fn, c->nr_chans,
				 SWDMA_MAX_CHANS);
	if (c->nr_workers > SWDMA_MAX_WORKERS)
		return dmae_fail(EINVAL, "%s: %" PRIu32 " workers (max %u)", fn, c->nr_workers,
				 SWDMA_MAX_WORKERS);
	if (c->burst < 64)
		return dmae_fail(EINVAL, "%s: burst of %" PRIu32 " bytes (min 64)", fn, c->burst);
	if (c->max_sg > 4096)
		return dmae_fail(EINVAL, "%s: max_sg %" PRIu32 " (max 4096)", fn, c->max_sg);
	if (c->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %" PRIu32 " (max %u)", fn, c->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (c->name && (!c->name[0] || strlen(c->name) >= sizeof(((struct dmae_provider *)0)->name)))
		return dmae_fail(EINVAL, "%s: bad name", fn);
	return 0;
}

static void swdma_free(struct dmae_swdma *sw)
{
	dmae_mem_free(sw->chans);
	dmae_mem_free(sw);
}

/* Provider fields and channels; the engine and the interrupt line exist. */
static void swdma_provider_setup(struct dmae_swdma *sw)
{
	struct dmae_provider *p = &sw->p;
	uint32_t i;

	p->ops = &swdma_ops;
	p->caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET | DMAE_CAP_SG | DMAE_CAP_INTERLEAVED,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 0xf,	/* 1, 2, 4, 8 bytes */
		.min_burst = 1,
		.max_burst = sw->cfg.burst,
		.max_sg = sw->cfg.max_sg,
		.max_seg_len = SWDMA_MAX_SEG_LEN,
		.residue = DMAE_RESIDUE_BURST,
		.desc_reuse = true,
		.pause = true,
		.terminate = true,
	};
	/* sg merges two lists into at most ndst + nsrc - 1 pieces */
	sw->frame_off = sizeof(struct swdma_desc) + sizeof(struct swdma_list) +
			sizeof(struct swdma_seg) * 2 * sw->cfg.max_sg;
	p->desc_size = sw->frame_off + sizeof(struct swdma_frame);
	p->default_pool_size = sw->cfg.pool_size;
	p->drvdata = sw;
	p->irq = sw->irq;
	p->iommu = sw->cfg.iommu;
	p->issue_lags = true;	/* a worker must see the doorbell first */
	for (i = 0; i < sw->cfg.nr_chans; i++) {
		sw->chans[i].sw = sw;
		sw->chans[i].hw = &sw->hw->chans[i];
		dmae_vchan_init(&sw->chans[i].vc, p, i);
	}
}

/* The engine's IOMMU: the client's mappings of this provider. */
static bool swdma_bus_check(void *ctx, uint64_t addr, uint64_t len, bool write)
{
	return dmae_dma_allowed(&((struct dmae_swdma *)ctx)->p, addr, len, write);
}

int dmae_swdma_create(const struct dmae_swdma_config *cfg, struct dmae_swdma **out)
{
	static atomic_uint instances;
	struct dmae_swdma *sw;
	struct dmae_provider *p;
	int ret;

	dmae_might_sleep();
	if (!out)
		return dmae_fail(EINVAL, "dmae_swdma_create: NULL out-pointer");
	if (!dmae_initialised())
		return dmae_fail(ESHUTDOWN, "dmae_swdma_create: dmae_init() not called");
	sw = dmae_mem_zalloc_aligned(sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	ret = swdma_config(cfg, &sw->cfg);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	sw->chans = dmae_mem_zalloc_aligned(sizeof(*sw->chans) * sw->cfg.nr_chans);
	if (!sw->chans)
		goto err_free;
	p = &sw->p;
	dmae_provider_init(p);
	if (sw->cfg.name)
		snprintf(p->name, sizeof(p->name), "%s", sw->cfg.name);
	else
		snprintf(p->name, sizeof(p->name), "swdma%u", atomic_fetch_add(&instances, 1));
	sw->cfg.name = NULL;	/* the caller's string; p->name holds the copy */

	ret = dmae_irq_request(p->name, swdma_irq, sw, &sw->irq);
	if (ret)
		goto err_free;
	ret = swdma_hw_create(&(struct swdma_hw_config){
		.name = p->name, .nr_chans = sw->cfg.nr_chans, .nr_workers = sw->cfg.nr_workers,
		.burst = sw->cfg.burst, .spin_ns = sw->cfg.spin_ns, .yield_ns = sw->cfg.yield_ns,
		.split_min = sw->cfg.split_min, .split_chunk = sw->cfg.split_chunk,
		.nt_min = sw->cfg.nt_min, .irq_coalesce = sw->cfg.irq_coalesce,
		.irq_holdoff_ns = sw->cfg.irq_holdoff_ns, .irq = swdma_irq_out, .irq_ctx = sw,
		.bus_check = sw->cfg.iommu ? swdma_bus_check : NULL, .bus_ctx = sw,
	}, &sw->hw);
	if (ret)
		goto err_irq;
	swdma_provider_setup(sw);
	ret = dmae_provider_register(p);
	if (ret)
		goto err_hw;
	*out = sw;
	return 0;

err_hw:
	swdma_hw_stop(sw->hw);
err_irq:
	dmae_irq_free(sw->irq);	/* before the engine's words go: the handler reads them */
	swdma_hw_free(sw->hw);
err_free:
	swdma_free(sw);
	return ret;
}

int dmae_swdma_destroy(struct dmae_swdma *sw)
{
	dmae_might_sleep();
	if (!sw)
		return dmae_fail(EINVAL, "dmae_swdma_destroy: NULL engine");
	return dmae_provider_unregister(&sw->p);
}

const char *dmae_swdma_name(const struct dmae_swdma *sw)
{
	return sw ? sw->p.name : "(null)";
}
