/* SPDX-License-Identifier: MIT */
/*
 * swdma - the software copy engine.
 *
 * The "hardware" is a set of worker threads.  Each channel has a hardware
 * queue: a single-producer ring of descriptor pointers that the driver
 * fills under the vchan lock and that one worker at a time consumes (a
 * worker claims a channel, runs a batch, lets go).  A worker copies a
 * descriptor burst by burst, publishing its progress (the residue) after
 * each burst and checking between bursts whether the channel was paused
 * or its queue aborted.  When a descriptor is done it sets hw_done, flags
 * the channel in the interrupt status bitmap, and raises the device IRQ
 * if the descriptor asked for an interrupt.  The IRQ handler completes
 * the finished descriptors through the vchan layer and refills the ring.
 *
 * Ring indices are free-running 32-bit counters:
 *
 *   head        next entry the worker runs (written by the worker)
 *   tail        next free slot (written by the driver, vc->lock held)
 *   abort_upto  entries before it are dead (terminate sets it to tail)
 *
 * Terminate marks the queue dead instead of touching the worker's state;
 * synchronize waits until no worker is inside a dead entry.  A worker
 * publishes busy/busy_idx before it checks abort_upto and touches the
 * descriptor, and terminate publishes abort_upto before synchronize reads
 * busy: with sequentially consistent atomics one of them sees the other.
 */
#include <stdio.h>
#include <string.h>

#include <dmae/swdma.h>
#include <dmae/vchan.h>

#include "core/core.h"

#define SWDMA_RING 1024u
#define SWDMA_BATCH 16u
#define SWDMA_SPIN_NS 20000u
#define SWDMA_MAX_CHANS 256u
#define SWDMA_MAX_WORKERS 64u

/* A piece of work: an sg pair, or an interleaved chunk and its gaps. */
struct swdma_seg {
	uint64_t dst;		/* address, or destination gap after the chunk */
	uint64_t src;		/* address, or source gap after the chunk */
	uint64_t len;
};

struct swdma_desc {
	struct dmae_desc d;
	atomic_bool hw_done;
	atomic_uint_fast64_t progress;	/* bytes moved, for residue and resume */
	uint8_t fill;			/* memset value */
	struct dmae_interleaved il;	/* interleaved: addresses and flags */
	uint32_t nseg;
	struct swdma_seg seg[];
};

struct swdma_chan {
	struct dmae_vchan vc;
	struct dmae_swdma *sw;
	_Alignas(64) atomic_uint tail;	/* driver side */
	atomic_uint abort_upto;
	atomic_bool paused;
	_Alignas(64) atomic_uint head;	/* worker side */
	atomic_bool busy;
	atomic_uint busy_idx;
	atomic_bool claimed;
	struct swdma_desc *ring[SWDMA_RING];	/* slots written under vc->lock */
};

struct swdma_worker {
	struct dmae_swdma *sw;
	unsigned int id;
	struct dmae_os_thread *thread;
};

struct dmae_swdma {
	struct dmae_provider p;
	struct dmae_swdma_config cfg;
	struct dmae_irq *irq;
	atomic_uint doorbell;		/* bumped when work arrives */
	atomic_uint sleepers;
	atomic_bool stop;
	atomic_uint_fast64_t *irq_status;	/* one bit per channel */
	struct swdma_worker *workers;
	struct swdma_chan *chans;
};

static inline struct swdma_chan *to_swdma_chan(struct dmae_chan *chan)
{
	return dmae_container_of(dmae_to_vchan(chan), struct swdma_chan, vc);
}

static inline struct swdma_desc *to_swdma_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct swdma_desc, d);
}

/* Is ring index a before b (modulo 2^32)? */
static inline bool idx_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* ---- the hardware: workers ---------------------------------------------------- */

enum run_result { RUN_DONE, RUN_ABORTED, RUN_PAUSED };

static bool entry_dead(struct swdma_chan *ch, uint32_t idx)
{
	return idx_before(idx, atomic_load(&ch->abort_upto));
}

/* Move one piece of len bytes, resuming at *done; false if interrupted. */
static enum run_result run_piece(struct swdma_chan *ch, struct swdma_desc *sd,
				 uint32_t idx, uint64_t dst, uint64_t src, uint64_t len,
				 uint64_t *pos, uint64_t *done)
{
	uint64_t burst = ch->sw->cfg.burst;
	uint64_t off;

	if (*pos + len <= *done) {
		*pos += len;
		return RUN_DONE;
	}
	off = *done - *pos;
	while (off < len) {
		uint64_t n = len - off < burst ? len - off : burst;

		if (entry_dead(ch, idx))
			return RUN_ABORTED;
		if (atomic_load_explicit(&ch->paused, memory_order_acquire))
			return RUN_PAUSED;
		if (sd->d.op == DMAE_OP_MEMSET)
			memset((void *)(uintptr_t)(dst + off), sd->fill, n);
		else
			memcpy((void *)(uintptr_t)(dst + off),
			       (const void *)(uintptr_t)(src + off), n);
		off += n;
		*done += n;
		atomic_store_explicit(&sd->progress, *done, memory_order_release);
	}
	*pos += len;
	return RUN_DONE;
}

static enum run_result run_desc(struct swdma_chan *ch, struct swdma_desc *sd, uint32_t idx)
{
	uint64_t done = atomic_load_explicit(&sd->progress, memory_order_relaxed);
	uint64_t pos = 0;
	enum run_result r = RUN_DONE;
	uint32_t i;

	if (sd->d.op != DMAE_OP_INTERLEAVED) {
		for (i = 0; r == RUN_DONE && i < sd->nseg; i++)
			r = run_piece(ch, sd, idx, sd->seg[i].dst, sd->seg[i].src,
				      sd->seg[i].len, &pos, &done);
		return r;
	}

	uint64_t src = sd->il.src, dst = sd->il.dst, f;

	for (f = 0; r == RUN_DONE && f < sd->il.numf; f++) {
		for (i = 0; r == RUN_DONE && i < sd->nseg; i++) {
			const struct swdma_seg *c = &sd->seg[i];

			r = run_piece(ch, sd, idx, dst, src, c->len, &pos, &done);
			if (sd->il.src_inc)
				src += c->len + (sd->il.src_sgl ? c->src : 0);
			if (sd->il.dst_inc)
				dst += c->len + (sd->il.dst_sgl ? c->dst : 0);
		}
	}
	return r;
}

/* Run up to SWDMA_BATCH entries of a claimed channel.  True if it did work. */
static bool chan_run(struct swdma_chan *ch)
{
	struct dmae_swdma *sw = ch->sw;
	bool did = false, irq = false;
	unsigned int n;

	for (n = 0; n < SWDMA_BATCH; n++) {
		uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);
		uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);
		uint32_t upto = atomic_load(&ch->abort_upto);
		struct swdma_desc *sd;
		enum run_result r;

		if (head == tail)
			break;
		if (idx_before(head, upto)) {
			atomic_store_explicit(&ch->head, upto, memory_order_release);
			did = true;
			continue;
		}
		if (atomic_load_explicit(&ch->paused, memory_order_acquire))
			break;
		atomic_store(&ch->busy_idx, head);
		atomic_store(&ch->busy, true);
		if (entry_dead(ch, head)) {
			atomic_store(&ch->busy, false);
			continue;
		}
		sd = ch->ring[head % SWDMA_RING];
		r = run_desc(ch, sd, head);
		if (r == RUN_DONE) {
			/*
			 * Read the flags first: once hw_done is published a
			 * polled IRQ handler may complete sd and the client
			 * prepare it again.
			 */
			irq |= sd->d.flags & DMAE_PREP_INTERRUPT;
			sd->d.done_ns = dmae_os_time_ns();
			atomic_store_explicit(&sd->hw_done, true, memory_order_release);
			atomic_store_explicit(&ch->head, head + 1, memory_order_release);
			atomic_fetch_or(&sw->irq_status[ch->vc.chan.index / 64],
					UINT64_C(1) << (ch->vc.chan.index % 64));
		}
		atomic_store(&ch->busy, false);
		did = true;
		if (r == RUN_PAUSED)
			break;
	}
	if (irq)
		dmae_irq_raise(sw->irq);
	return did;
}

static bool chan_has_work(struct swdma_chan *ch)
{
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);

	if (head == atomic_load_explicit(&ch->tail, memory_order_acquire))
		return false;
	return !atomic_load_explicit(&ch->paused, memory_order_relaxed) ||
	       entry_dead(ch, head);
}

/* Idle policy: spin for SWDMA_SPIN_NS after the last work, then sleep. */
static void worker_main(void *arg)
{
	struct swdma_worker *w = arg;
	struct dmae_swdma *sw = w->sw;
	uint32_t nchans = sw->cfg.nr_chans;
	uint32_t start = w->id;
	uint64_t idle_since = 0;

	while (!atomic_load(&sw->stop)) {
		unsigned int seq = atomic_load(&sw->doorbell);
		bool did = false;
		uint32_t i;

		for (i = 0; i < nchans; i++) {
			struct swdma_chan *ch = &sw->chans[(start + i) % nchans];

			if (!chan_has_work(ch) || atomic_exchange(&ch->claimed, true))
				continue;
			did |= chan_run(ch);
			atomic_store(&ch->claimed, false);
		}
		start++;
		if (did) {
			idle_since = 0;
			continue;
		}
		if (!idle_since)
			idle_since = dmae_os_time_ns();
		if (dmae_os_time_ns() - idle_since < SWDMA_SPIN_NS) {
			dmae_os_cpu_relax();
			continue;
		}
		atomic_fetch_add(&sw->sleepers, 1);
		if (atomic_load(&sw->doorbell) == seq && !atomic_load(&sw->stop))
			dmae_os_wait(&sw->doorbell, seq, DMAE_OS_FOREVER);
		atomic_fetch_sub(&sw->sleepers, 1);
		idle_since = 0;
	}
}

static void doorbell_ring(struct dmae_swdma *sw)
{
	atomic_fetch_add(&sw->doorbell, 1);
	if (atomic_load(&sw->sleepers))
		dmae_os_wake(&sw->doorbell, 1);
}

/* ---- the driver ------------------------------------------------------------------- */

/* Hand issued descriptors to the ring while it has room.  vc->lock held. */
static void swdma_push(struct swdma_chan *ch)
{
	uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_acquire);
	uint32_t upto = atomic_load(&ch->abort_upto);
	uint32_t live = idx_before(head, upto) ? upto : head;
	struct dmae_desc *d;
	bool pushed = false;

	while (tail - live < SWDMA_RING && (d = dmae_vchan_start_next(&ch->vc))) {
		struct swdma_desc *sd = to_swdma_desc(d);

		/* A reused descriptor runs again from the start. */
		atomic_store_explicit(&sd->hw_done, false, memory_order_relaxed);
		atomic_store_explicit(&sd->progress, 0, memory_order_relaxed);
		ch->ring[tail % SWDMA_RING] = sd;
		tail++;
		pushed = true;
	}
	if (pushed) {
		atomic_store_explicit(&ch->tail, tail, memory_order_release);
		doorbell_ring(ch->sw);
	}
}

static void swdma_desc_reset(struct swdma_desc *sd, uint32_t nseg)
{
	atomic_store_explicit(&sd->progress, 0, memory_order_relaxed);
	sd->nseg = nseg;
}

static int swdma_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	struct swdma_desc *sd = to_swdma_desc(d);

	(void)chan;
	swdma_desc_reset(sd, 1);
	sd->seg[0] = (struct swdma_seg){ dst, src, len };
	return 0;
}

static int swdma_prep_memset(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, uint8_t value, uint64_t len)
{
	struct swdma_desc *sd = to_swdma_desc(d);

	(void)chan;
	swdma_desc_reset(sd, 1);
	sd->fill = value;
	sd->seg[0] = (struct swdma_seg){ dst, 0, len };
	return 0;
}

/* Merge both lists into pieces contiguous on both sides (<= ndst + nsrc - 1). */
static int swdma_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			 const struct dmae_sg *dst, unsigned int ndst,
			 const struct dmae_sg *src, unsigned int nsrc)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	unsigned int i = 0, j = 0, n = 0;
	uint64_t doff = 0, soff = 0;

	(void)chan;
	while (i < ndst && j < nsrc) {
		uint64_t dl = dst[i].len - doff, sl = src[j].len - soff;
		uint64_t len = dl < sl ? dl : sl;

		sd->seg[n++] = (struct swdma_seg){ dst[i].addr + doff, src[j].addr + soff, len };
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
	swdma_desc_reset(sd, n);
	return 0;
}

static int swdma_prep_interleaved(struct dmae_chan *chan, struct dmae_desc *d,
				  const struct dmae_interleaved *t)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	uint32_t i;

	(void)chan;
	swdma_desc_reset(sd, t->frame_size);
	sd->il = *t;
	sd->il.chunks = NULL;	/* the client's array; copied below */
	for (i = 0; i < t->frame_size; i++)
		sd->seg[i] = (struct swdma_seg){ t->chunks[i].dst_icg, t->chunks[i].src_icg,
						 t->chunks[i].size };
	return 0;
}

static void swdma_issue_pending(struct dmae_chan *chan)
{
	swdma_push(to_swdma_chan(chan));
}

static void swdma_terminate(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);

	atomic_store(&ch->abort_upto, atomic_load(&ch->tail));
	atomic_store(&ch->paused, false);
	doorbell_ring(ch->sw);	/* let a worker drain the dead entries */
}

static void swdma_synchronize(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	unsigned int spins = 0;

	while (atomic_load(&ch->busy) &&
	       idx_before(atomic_load(&ch->busy_idx), atomic_load(&ch->abort_upto))) {
		if (++spins < 64)
			dmae_os_yield();
		else
			dmae_os_sleep_ns(10000);
	}
}

static uint64_t swdma_residue(struct dmae_chan *chan, struct dmae_desc *d)
{
	(void)chan;
	return d->len - atomic_load_explicit(&to_swdma_desc(d)->progress, memory_order_acquire);
}

static int swdma_pause(struct dmae_chan *chan)
{
	atomic_store(&to_swdma_chan(chan)->paused, true);
	return 0;
}

static int swdma_resume(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);

	atomic_store(&ch->paused, false);
	doorbell_ring(ch->sw);
	return 0;
}

/* Complete what the workers finished, in order, and refill the rings. */
static enum dmae_irqreturn swdma_irq(void *arg)
{
	struct dmae_swdma *sw = arg;
	uint32_t words = (sw->cfg.nr_chans + 63) / 64, w;
	bool handled = false;

	for (w = 0; w < words; w++) {
		uint64_t bits = atomic_exchange(&sw->irq_status[w], 0);

		while (bits) {
			struct swdma_chan *ch = &sw->chans[w * 64 + (uint32_t)__builtin_ctzll(bits)];
			struct dmae_desc *d;
			dmae_irqflags_t f;

			bits &= bits - 1;
			handled = true;
			dmae_vchan_lock(&ch->vc, &f);
			while ((d = dmae_vchan_first_active(&ch->vc)) &&
			       atomic_load_explicit(&to_swdma_desc(d)->hw_done, memory_order_acquire))
				dmae_vchan_complete(d, DMAE_RESULT_OK, 0);
			swdma_push(ch);
			dmae_vchan_unlock(&ch->vc, f);
		}
	}
	return handled ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
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
};

/* ---- instantiation ------------------------------------------------------------------- */

static int swdma_config(const struct dmae_swdma_config *in, struct dmae_swdma_config *c)
{
	static const char fn[] = "dmae_swdma_create";

	*c = in ? *in : (struct dmae_swdma_config){ 0 };
	c->nr_chans = c->nr_chans ? c->nr_chans : 4;
	c->nr_workers = c->nr_workers ? c->nr_workers : 1;
	c->burst = c->burst ? c->burst : 4096;
	c->max_sg = c->max_sg ? c->max_sg : 64;
	if (c->nr_chans > SWDMA_MAX_CHANS)
		return dmae_fail(EINVAL, "%s: %u channels (max %u)", fn, c->nr_chans,
				 SWDMA_MAX_CHANS);
	if (c->nr_workers > SWDMA_MAX_WORKERS)
		return dmae_fail(EINVAL, "%s: %u workers (max %u)", fn, c->nr_workers,
				 SWDMA_MAX_WORKERS);
	if (c->burst < 64)
		return dmae_fail(EINVAL, "%s: burst of %u bytes (min 64)", fn, c->burst);
	if (c->max_sg > 4096)
		return dmae_fail(EINVAL, "%s: max_sg %u (max 4096)", fn, c->max_sg);
	if (c->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %u (max %u)", fn, c->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (c->name && (!c->name[0] || strlen(c->name) >= sizeof(((struct dmae_provider *)0)->name)))
		return dmae_fail(EINVAL, "%s: bad name", fn);
	return 0;
}

static void swdma_stop_workers(struct dmae_swdma *sw, uint32_t n)
{
	uint32_t i;

	atomic_store(&sw->stop, true);
	atomic_fetch_add(&sw->doorbell, 1);
	dmae_os_wake(&sw->doorbell, (int)n);
	for (i = 0; i < n; i++)
		dmae_os_thread_join(sw->workers[i].thread);
}

static void swdma_free(struct dmae_swdma *sw)
{
	dmae__free(sw->workers);
	dmae__free(sw->irq_status);
	dmae__free(sw->chans);
	dmae__free(sw);
}

int dmae_swdma_create(const struct dmae_swdma_config *cfg, struct dmae_swdma **out)
{
	static atomic_uint instances;
	struct dmae_swdma *sw;
	struct dmae_provider *p;
	uint32_t i, nworkers = 0;
	char tname[24];
	int ret;

	dmae_might_sleep();
	if (!out)
		return dmae_fail(EINVAL, "dmae_swdma_create: NULL out-pointer");
	if (!dmae__initialised())
		return dmae_fail(ESHUTDOWN, "dmae_swdma_create: dmae_init() not called");
	sw = dmae__aligned_zalloc(sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	ret = swdma_config(cfg, &sw->cfg);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	sw->chans = dmae__aligned_zalloc(sizeof(*sw->chans) * sw->cfg.nr_chans);
	sw->irq_status = dmae__zalloc(sizeof(*sw->irq_status) * ((sw->cfg.nr_chans + 63) / 64));
	sw->workers = dmae__zalloc(sizeof(*sw->workers) * sw->cfg.nr_workers);
	if (!sw->chans || !sw->irq_status || !sw->workers)
		goto err_free;

	p = &sw->p;
	dmae_provider_init(p);
	if (sw->cfg.name)
		snprintf(p->name, sizeof(p->name), "%s", sw->cfg.name);
	else
		snprintf(p->name, sizeof(p->name), "swdma%u", atomic_fetch_add(&instances, 1));
	sw->cfg.name = NULL;	/* the caller's string; p->name holds the copy */
	p->ops = &swdma_ops;
	p->caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET | DMAE_CAP_SG | DMAE_CAP_INTERLEAVED,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 0xf,	/* 1, 2, 4, 8 bytes */
		.min_burst = 1,
		.max_burst = sw->cfg.burst,
		.max_sg = sw->cfg.max_sg,
		.residue = DMAE_RESIDUE_BURST,
		.desc_reuse = true,
		.pause = true,
		.terminate = true,
	};
	p->desc_size = sizeof(struct swdma_desc) + sizeof(struct swdma_seg) * 2 * sw->cfg.max_sg;
	p->default_pool_size = sw->cfg.pool_size;
	p->drvdata = sw;
	for (i = 0; i < sw->cfg.nr_chans; i++) {
		sw->chans[i].sw = sw;
		dmae_vchan_init(&sw->chans[i].vc, p, i);
	}

	ret = dmae_irq_request(p->name, swdma_irq, sw, &sw->irq);
	if (ret)
		goto err_free;
	p->irq = sw->irq;

	for (nworkers = 0; nworkers < sw->cfg.nr_workers; nworkers++) {
		struct swdma_worker *w = &sw->workers[nworkers];

		w->sw = sw;
		w->id = nworkers;
		snprintf(tname, sizeof(tname), "%.8s/w%u", p->name, nworkers % SWDMA_MAX_WORKERS);
		ret = dmae_os_thread_start(&w->thread, tname, worker_main, w);
		if (ret)
			goto err_workers;
	}

	ret = dmae_provider_register(p);
	if (ret)
		goto err_workers;
	*out = sw;
	return 0;

err_workers:
	swdma_stop_workers(sw, nworkers);
	dmae_irq_free(sw->irq);
err_free:
	swdma_free(sw);
	return ret;
}

int dmae_swdma_destroy(struct dmae_swdma *sw)
{
	int ret;

	dmae_might_sleep();
	if (!sw)
		return dmae_fail(EINVAL, "dmae_swdma_destroy: NULL engine");
	ret = dmae_provider_unregister(&sw->p);
	if (ret)
		return ret;
	swdma_stop_workers(sw, sw->cfg.nr_workers);
	dmae_irq_free(sw->irq);
	swdma_free(sw);
	return 0;
}

const char *dmae_swdma_name(const struct dmae_swdma *sw)
{
	return sw ? sw->p.name : "(null)";
}
