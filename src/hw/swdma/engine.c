/* SPDX-License-Identifier: MIT */
/*
 * The software copy engine: its workers, how they run a channel's
 * hardware queue and fast path ring, and interrupt moderation.  The
 * formats and the driver's side of every word are in hw/swdma/engine.h;
 * moving bytes is hw/swdma/move.h and copy.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw/swdma/move.h"

#define SWDMA_HOLD_BACKOFF_MAX 1024u	/* drains raised at once after uncollected holds */
#define SWDMA_FP_BATCH 256u		/* fast path ops per claim of a channel */
#define SWDMA_FP_PUBLISH 32u		/* ... with completions published every 32 ops */
#define SWDMA_FP_PUBLISH_BYTES (256u << 10)	/* or every 256 KiB */

/* Take one injected fault, if any: its result code, else OK. */
static inline uint8_t take_fault(struct swdma_hwchan *ch)
{
	unsigned int n = atomic_load_explicit(&ch->fail_count, memory_order_relaxed);

	while (n) {
		if (atomic_compare_exchange_weak(&ch->fail_count, &n, n - 1))
			return (uint8_t)atomic_load(&ch->fail_code);
	}
	return SWDMA_ST_OK;
}

/* ---- the hardware: descriptors ------------------------------------------------------ */

enum run_result { RUN_DONE, RUN_ABORTED, RUN_PAUSED, RUN_FAULT_READ, RUN_FAULT_WRITE };

static bool entry_dead(struct swdma_hwchan *ch, uint32_t idx)
{
	return swdma_abort_covers(&ch->abort, idx);
}

/*
 * Claim holder, after a batch: head has reached the newest abort's index,
 * so that abort is over (swdma_abort_covers()).  A newer abort stored
 * meanwhile has a newer generation and stays in force.
 */
static void abort_pass(struct swdma_abort *a, uint32_t head)
{
	uint64_t m = atomic_load(&a->mark);

	if (!idx_before(head, (uint32_t)m))	/* release: see swdma_abort_covers() */
		atomic_store_explicit(&a->passed, (uint32_t)(m >> 32), memory_order_release);
}

/* Driver side: entries before tail are dead, in a new generation. */
static void abort_mark(struct swdma_abort *a, uint32_t tail)
{
	uint64_t gen = (atomic_load(&a->mark) >> 32) + 1;

	atomic_store(&a->mark, gen << 32 | tail);	/* seq_cst: the busy handshake */
}

/*
 * Publish the position inside long entry idx (for residue): a sequence
 * count, odd while the pair changes.  The release stores keep the odd
 * count ahead of the data and the data ahead of the even count, and are
 * plain stores on x86: this runs once per burst, where a full barrier
 * would wait for the burst's own stores.
 */
static void pos_publish(struct swdma_hwchan *ch, uint32_t idx, uint64_t bytes)
{
	unsigned int s = atomic_load_explicit(&ch->pos_seq, memory_order_relaxed);

	atomic_store_explicit(&ch->pos_seq, s + 1, memory_order_relaxed);
	atomic_store_explicit(&ch->pos_idx, idx, memory_order_release);
	atomic_store_explicit(&ch->pos_bytes, bytes, memory_order_release);
	atomic_store_explicit(&ch->pos_seq, s + 2, memory_order_release);
}

/*
 * Where the worker says it is: entry *idx, *bytes moved.  The acquire
 * loads keep the data between the two reads of the count: a pair being
 * rewritten shows as a changed count.  Any context.
 */
void swdma_hw_pos_read(struct swdma_hwchan *ch, uint32_t *idx, uint64_t *bytes)
{
	unsigned int s;

	do {
		while ((s = atomic_load_explicit(&ch->pos_seq, memory_order_acquire)) & 1)
			hw_cpu_relax();
		*idx = atomic_load_explicit(&ch->pos_idx, memory_order_acquire);
		*bytes = atomic_load_explicit(&ch->pos_bytes, memory_order_acquire);
	} while (atomic_load_explicit(&ch->pos_seq, memory_order_relaxed) != s);
}

/* What the worker needs to know while it moves one entry. */
struct run {
	struct swdma_hwchan *ch;
	uint32_t idx;
	bool fill;
	uint8_t value;
	bool publish;		/* a long entry: publish the position per burst */
	bool nt;		/* non-temporal stores (run_kind()) */
	uint64_t pos;		/* bytes of the entry before the current piece */
	uint64_t done;		/* bytes of the entry moved */
};

/* The IOMMU's verdict on an op: RUN_DONE, or the fault it raises. */
static enum run_result bus_fault(const struct swdma_engine *sw, bool fill, uint64_t dst,
				 uint64_t src, uint64_t len)
{
	const struct swdma_hw_config *c = &sw->cfg;

	if (!c->bus_check)
		return RUN_DONE;
	if (!fill && !c->bus_check(c->bus_ctx, src, len, false))
		return RUN_FAULT_READ;
	if (!c->bus_check(c->bus_ctx, dst, len, true))
		return RUN_FAULT_WRITE;
	return RUN_DONE;
}

/* Move one piece of len bytes, resuming at r->done. */
static enum run_result run_piece(struct run *r, uint64_t dst, uint64_t src, uint64_t len)
{
	struct swdma_hwchan *ch = r->ch;
	uint64_t burst = ch->sw->cfg.burst;
	enum run_result fault;
	uint64_t off;

	if (r->pos + len <= r->done) {
		r->pos += len;
		return RUN_DONE;
	}
	off = r->done - r->pos;
	fault = bus_fault(ch->sw, r->fill, dst + off, src + off, len - off);
	if (fault != RUN_DONE)
		return fault;
	while (off < len) {
		uint64_t n = len - off < burst ? len - off : burst;

		if (r->publish) {
			if (entry_dead(ch, r->idx))
				return RUN_ABORTED;
			if (atomic_load(&ch->paused)) {	/* seq_cst: see swdma_pause() */
				ch->resume = r->done;
				return RUN_PAUSED;
			}
		}
		/* one store fence per entry, in run_entry(), not one per burst */
		if (r->fill)
			move_kind_fenced(ch->sw, r->nt, SWDMA_FP_FILL, dst + off, r->value, n, false);
		else
			move_kind_fenced(ch->sw, r->nt, SWDMA_FP_COPY, dst + off, src + off, n, false);
		off += n;
		r->done += n;
		if (r->publish)
			pos_publish(ch, r->idx, r->done);
	}
	r->pos += len;
	return RUN_DONE;
}

/* Run a list's segments (sg) or frames (interleaved). */
static enum run_result run_segments(struct run *r, const struct swdma_list *l)
{
	const struct swdma_frame *fr = l->frame;
	enum run_result res = RUN_DONE;
	uint64_t src, dst, f;
	uint32_t i;

	if (!fr) {
		for (i = 0; res == RUN_DONE && i < l->nseg; i++)
			res = run_piece(r, l->seg[i].dst, l->seg[i].src, l->seg[i].len);
		return res;
	}
	src = fr->src;
	dst = fr->dst;
	for (f = 0; res == RUN_DONE && f < fr->numf; f++) {
		for (i = 0; res == RUN_DONE && i < l->nseg; i++) {
			const struct swdma_seg *c = &l->seg[i];

			res = run_piece(r, dst, src, c->len);
			if (fr->src_inc)
				src += c->len + (fr->src_sgl ? c->src : 0);
			if (fr->dst_inc)
				dst += c->len + (fr->dst_sgl ? c->dst : 0);
		}
	}
	return res;
}

/*
 * The store kind of a whole entry, whatever its pieces and bursts: a long
 * copy through a descriptor moves as fast as the same copy through the
 * fast path.  nt_min auto: the worker's measurement (struct swdma_tune),
 * for entries of SWDMA_TUNE_MIN or more; *timed: time the entry for it.
 */
static bool run_kind(const struct swdma_engine *sw, struct swdma_tune *t, uint64_t len,
		     bool resumed, bool *timed)
{
	uint32_t nt_min = sw->cfg.nt_min;
	bool nt;

	*timed = false;
	if (nt_min == SWDMA_NT_AUTO) {
		if (!SWDMA_HAVE_NT || !t || len < SWDMA_TUNE_MIN)
			return false;
		nt = swdma_tune_pick(t, len, timed);
		*timed &= !resumed;
		return nt;
	}
	return SWDMA_HAVE_NT && nt_min != SWDMA_OFF && len >= nt_min;
}

/* Run entry idx with the worker's tuning t; a failure goes to status[]. */
static enum run_result run_entry(struct swdma_hwchan *ch, uint32_t idx, struct swdma_tune *t)
{
	const struct swdma_entry *e = &ch->ring[idx % SWDMA_RING];
	struct run r = { .ch = ch, .idx = idx, .done = ch->resume };
	enum run_result res;
	uint8_t code = SWDMA_ST_OK;
	uint64_t t0 = 0;
	bool timed;

	if (!r.done && atomic_load_explicit(&ch->fail_count, memory_order_relaxed))
		code = take_fault(ch);
	if (code == SWDMA_ST_OK) {
		r.publish = e->len > ch->sw->cfg.burst;
		r.nt = run_kind(ch->sw, t, e->len, r.done != 0, &timed);
		if (timed)
			t0 = hw_time_ns();
		if (e->desc & SWDMA_HW_DESC) {
			res = run_segments(&r, entry_list(e));
		} else {
			r.fill = e->desc & SWDMA_HW_FILL;
			r.value = (uint8_t)e->src;
			res = run_piece(&r, e->dst, e->src, e->len);
		}
		if (r.nt)
			move_store_fence();
		if (timed && res == RUN_DONE)
			swdma_tune_account(t, r.nt, e->len, hw_time_ns() - t0);
		if (res != RUN_FAULT_READ && res != RUN_FAULT_WRITE)
			return res;
		code = res == RUN_FAULT_READ ? SWDMA_ST_READ_FAILED : SWDMA_ST_WRITE_FAILED;
	}
	ch->status[idx % SWDMA_RING] = code;
	atomic_store_explicit(&ch->failed_upto, idx + 1, memory_order_relaxed);
	atomic_store_explicit(&ch->failed, atomic_load_explicit(&ch->failed,
								memory_order_relaxed) + 1,
			      memory_order_release);
	return RUN_DONE;
}

/*
 * Mark ch in the status word the handler scans.  Only a raise sets it: a
 * client collecting its own channel (swdma_poll) never reads the word, so
 * a streaming channel's completions move no line but done's.  Set before
 * the raise and after done (seq_cst), so the handler, which clears the
 * word and then reads done, finds what the raise is for.
 */
void swdma_hw_irq_flag(struct swdma_hwchan *ch)
{
	struct swdma_engine *sw = ch->sw;
	unsigned int i = ch->index;
	uint64_t bit = UINT64_C(1) << (i % 64);

	if (!(atomic_load(&sw->irq_status[i / 64]) & bit))
		atomic_fetch_or(&sw->irq_status[i / 64], bit);
}

/* Raise the interrupt now: nothing stays owed or held.  Claim holder only. */
static void irq_raise(struct swdma_hwchan *ch)
{
	swdma_hw_irq_flag(ch);
	ch->owed = 0;
	atomic_store_explicit(&ch->holding, false, memory_order_relaxed);
	/*
	 * A hold that expired: the client did not come back for its
	 * completions, typically because it waits for room.  Its CPU is then
	 * the idle one, so the line's IRQ thread takes the work there, and
	 * this worker goes on copying instead of completing descriptors whose
	 * lines are in the client's cache.
	 */
	if (ch->hold_expired) {
		ch->hold_expired = false;
		ch->sw->cfg.irq(ch->sw->cfg.irq_ctx, false);
		return;
	}
	ch->sw->cfg.irq(ch->sw->cfg.irq_ctx, true);	/* "Interrupts", in engine.h */
}

/*
 * Tell the driver: entries before head are done; raise the IRQ if one is
 * owed and may not wait (see desc_run()), or if the driver waits for ring
 * room.  busy: the worker has said it is busy (desc_run()); a raise may
 * run the handler here, which takes vc->lock, where a pause waits for
 * busy to clear: not busy meanwhile.
 *
 * The publish itself is a plain store: a full barrier here would wait for
 * done's line to come back from the client that polls it, once per long
 * entry.  The store-then-load against swdma_hw_starve() is the cheap side
 * of the handshake; without it both sides could read the old values and
 * issued descriptors would wait for ring room forever.  A raise fences
 * first, so the handler that finds the status bit finds this done.
 */
static void desc_publish(struct swdma_hwchan *ch, uint32_t head, uint64_t now, bool irq,
			 bool busy)
{
	atomic_store_explicit(&ch->done_ns, now, memory_order_relaxed);
	atomic_store_explicit(&ch->done_desc, ch->ring[(head - 1) % SWDMA_RING].desc,
			      memory_order_relaxed);
	atomic_store_explicit(&ch->done, head, memory_order_release);
	if (handshake_seen(ch->sw, &ch->starved) && atomic_exchange(&ch->starved, 0))
		irq = true;
	if (!irq)
		return;
	atomic_thread_fence(memory_order_seq_cst);
	if (busy)
		atomic_store(&ch->busy, false);
	irq_raise(ch);
	if (busy)
		atomic_store(&ch->busy, true);
}

void swdma_hw_starve(struct swdma_hwchan *ch)
{
	handshake_enter(ch->sw, &ch->starved);
}

/* The hold-off of a held interrupt has passed (the test hook stops it). */
static bool irq_hold_expired(struct swdma_hwchan *ch, uint64_t now)
{
	if (now < ch->hold_until || atomic_load_explicit(&ch->sw->test_irq_hold, memory_order_relaxed))
		return false;
	ch->hold_expired = true;
	ch->hold_skip = ch->hold_backoff ? ch->hold_backoff : 1;
	ch->hold_backoff = ch->hold_skip < SWDMA_HOLD_BACKOFF_MAX ? 2 * ch->hold_skip
								  : SWDMA_HOLD_BACKOFF_MAX;
	return true;
}

/*
 * An owed interrupt may not wait for a long entry of len bytes: the
 * entries after the first owed one and this one would pass the coalescing
 * budget.  (Short entries only count towards it: see irq_must_raise().)
 */
static bool irq_due_before(const struct swdma_hwchan *ch, uint64_t len)
{
	return ch->owed && (ch->owed >= ch->sw->cfg.irq_coalesce ||
			    ch->owed_bytes + len > SWDMA_COALESCE_BYTES);
}

/*
 * Interrupt moderation.  An entry that asked for the IRQ makes one owed;
 * while the queue keeps running short entries the raise waits until
 * cfg.irq_coalesce entries or SWDMA_COALESCE_BYTES have completed since
 * the first owed one, so a busy channel interrupts once per many
 * completions instead of once per batch.  It never waits past a paused or
 * dead queue, nor in front of an entry that would take it past the
 * budget (irq_due_before()): a queue of long entries interrupts once per
 * SWDMA_COALESCE_BYTES, the first of them waiting at most that long.
 *
 * When the queue drains, or reaches the limit while still running, after
 * a run of at least a batch, the client is streaming bursts, and its next
 * collection (the driver's, after its next issue) takes the completions
 * on its own CPU, where the descriptors' lines are: the raise is
 * held for up to cfg.irq_holdoff_ns.  A drain after a shorter run -- a
 * client waiting for each transfer -- raises at once.  A hold that nobody
 * collected is raised when it expires, through the IRQ thread (see
 * irq_raise()), and the next eligible raises happen at once: 1, then 2,
 * 4, ... up to SWDMA_HOLD_BACKOFF_MAX after each further expiry, back to
 * none as soon as the client collects.  A client that waits for its bursts so pays the
 * hold-off about log2(bursts) times; a streaming client that was late
 * once (preempted, say) is held again after one drain.
 *
 *   idle --IRQ entry done--> owed --drain/limit, run >= batch--> holding
 *                              |                                    |
 *                              +--short run, pause, ...--+          +--collected--> idle
 *                                                        v          |
 *                                                      raise <------+ expired
 *
 * "Collected": a reaper (swdma_poll(), the handler) has taken every owed
 * entry; one that took only some leaves the rest owed and a hold running
 * (irq_collected()).  Claim holder only; now is the batch's timestamp.
 */
static bool irq_must_raise(struct swdma_hwchan *ch, uint32_t head, uint64_t now)
{
	const struct swdma_hw_config *cfg = &ch->sw->cfg;
	uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);

	if (!ch->owed)
		return false;
	if (atomic_load_explicit(&ch->paused, memory_order_relaxed) || entry_dead(ch, head))
		return true;
	/* The entry at head is the driver's until tail passes it. */
	if (head != tail && ch->ring[head % SWDMA_RING].len > cfg->burst &&
	    irq_due_before(ch, ch->ring[head % SWDMA_RING].len))
		return true;
	if (atomic_load_explicit(&ch->holding, memory_order_relaxed))
		return irq_hold_expired(ch, now);
	if (head != tail && ch->owed < cfg->irq_coalesce &&
	    ch->owed_bytes < SWDMA_COALESCE_BYTES)
		return false;
	if (ch->run < SWDMA_BATCH || cfg->irq_holdoff_ns == SWDMA_OFF)
		return true;
	if (ch->hold_skip) {
		ch->hold_skip--;
		return true;
	}
	ch->hold_until = now + cfg->irq_holdoff_ns;
	atomic_store_explicit(&ch->holding, true, memory_order_relaxed);
	return false;
}

/*
 * Has a reaper taken the first owed entry?  Entries before collected had
 * their completions handled; what it has not taken yet stays owed, counted
 * from collected as if each asked for the IRQ (an extra raise at worst).
 * A streaming client's collection usually trails the worker's latest
 * publish, so "all taken" alone would rarely be seen while it streams.
 * True if it took any: the client is collecting, so the hold backoff
 * ends, and a hold ends if nothing is owed or else starts again from the
 * latest publish.  Claim holder only.
 */
static bool irq_collected(struct swdma_hwchan *ch)
{
	uint32_t c;

	if (!ch->owed)
		return false;
	c = atomic_load_explicit(&ch->collected, memory_order_relaxed);
	if (!idx_before(ch->owed_from, c))
		return false;
	ch->owed = atomic_load_explicit(&ch->done, memory_order_relaxed) - c;
	ch->owed_from = c;
	ch->owed_bytes = 0;
	ch->hold_skip = 0;
	ch->hold_backoff = 0;
	if (!ch->owed)
		atomic_store_explicit(&ch->holding, false, memory_order_relaxed);
	else
		ch->hold_until = atomic_load_explicit(&ch->done_ns, memory_order_relaxed) +
				 ch->sw->cfg.irq_holdoff_ns;
	return true;
}

/*
 * A drained channel holding its interrupt: raise it if the hold-off has
 * passed and no one collected all of it.  Claim holder only.  True if it
 * raised.
 */
static bool irq_hold_check(struct swdma_hwchan *ch)
{
	irq_collected(ch);
	if (!ch->owed || !irq_hold_expired(ch, hw_time_ns()))
		return false;
	irq_raise(ch);
	return true;
}

/*
 * Run up to SWDMA_BATCH entries of a claimed channel with the tuning of
 * worker w.  True if it did work.
 */
static bool desc_run(struct swdma_worker *w, struct swdma_hwchan *ch)
{
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed), start = head;
	unsigned int n;
	uint64_t now;
	bool raise;

	if (head == atomic_load_explicit(&ch->tail, memory_order_acquire))
		return atomic_load_explicit(&ch->holding, memory_order_relaxed) &&
		       irq_hold_check(ch);
	irq_collected(ch);
	/* Once per batch: every entry is checked for death after this. */
	atomic_store(&ch->busy_idx, head);
	atomic_store(&ch->busy, true);
	for (n = 0; n < SWDMA_BATCH; n++) {
		uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);
		const struct swdma_entry *e = &ch->ring[head % SWDMA_RING];
		enum run_result r;

		if (head == tail)
			break;
		if (entry_dead(ch, head)) {	/* terminated: retire unrun */
			head = swdma_abort_index(&ch->abort);
			ch->resume = 0;
			continue;
		}
		if (atomic_load(&ch->paused))	/* seq_cst: see swdma_pause() */
			break;
		/*
		 * A long entry: first publish what is finished (desc_publish()
		 * says why it is not busy while it raises).  The long entry
		 * looks at paused again per burst.
		 */
		if (e->len > ch->sw->cfg.burst && head != start) {
			atomic_store_explicit(&ch->head, head, memory_order_release);
			desc_publish(ch, head, hw_time_ns(), irq_due_before(ch, e->len), true);
			start = head;
		}
		r = run_entry(ch, head, &w->tune);
		if (r == RUN_PAUSED)
			break;
		if (r == RUN_DONE) {
			if (ch->owed || (e->desc & SWDMA_HW_IRQ)) {
				if (!ch->owed)
					ch->owed_from = head;
				ch->owed++;
				ch->owed_bytes = ch->owed > 1 ? ch->owed_bytes + e->len : 0;
			}
			head++;
			ch->run++;
			ch->resume = 0;
		}
	}
	abort_pass(&ch->abort, head);
	atomic_store(&ch->busy, false);
	if (head == start)
		return false;
	atomic_store_explicit(&ch->head, head, memory_order_release);
	now = hw_time_ns();
	raise = irq_must_raise(ch, head, now);
	if (head == atomic_load_explicit(&ch->tail, memory_order_relaxed))
		ch->run = 0;
	desc_publish(ch, head, now, raise, false);
	return true;
}

/* ---- the hardware: the fast path ring ---------------------------------------------- */

/*
 * Is a client asleep in its wait (fastpath.c)?  Called after done was stored:
 * the same store-fence-load handshake as sleepers_seen(), with the
 * client's side in the driver's wait.
 */
static inline bool fp_waiter_seen(struct swdma_fp *f)
{
	return handshake_seen(f->ch->sw, &f->waiting);
}

/*
 * Completions up to head (and errors more failures) are visible to the
 * client; wake it if it sleeps for them, or for news of a failure.
 */
static inline void fp_publish(struct swdma_fp *f, uint32_t head, uint32_t errors)
{
	if (errors)
		atomic_fetch_add_explicit(&f->errors, errors, memory_order_relaxed);
	atomic_store_explicit(&f->done, head, memory_order_release);
	if (fp_waiter_seen(f) &&
	    (errors || !idx_before(head, atomic_load_explicit(&f->wait_for, memory_order_relaxed))))
		hw_wake(&f->done, 1);
}

/*
 * Run up to SWDMA_FP_BATCH doorbelled fast path ops of a claimed channel,
 * publishing completions every SWDMA_FP_PUBLISH ops or bytes.  The busy
 * handshake with terminate is once per batch: its stores are full
 * barriers, which wait for every store the copies left in flight.
 */
static bool fp_run(struct swdma_worker *w, struct swdma_hwchan *ch, struct swdma_fp *f)
{
	struct swdma_engine *sw = ch->sw;
	uint32_t db = atomic_load_explicit(&f->doorbell, memory_order_acquire);
	uint32_t head = f->head, end, errors = 0, ops = 0;
	uint64_t split = sw->cfg.nr_workers > 1 && sw->cfg.split_min != SWDMA_OFF ?
				 sw->cfg.split_min : UINT64_MAX;
	uint64_t bytes = 0;

	if (head == db || atomic_load_explicit(&ch->paused, memory_order_acquire))
		return false;
	end = db - head > SWDMA_FP_BATCH ? head + SWDMA_FP_BATCH : db;
	/* The client just wrote these lines: fetch the first ones at once... */
	for (uint32_t i = head & ~3u; i != (head & ~3u) + 32 && idx_before(i, end); i += 4)
		__builtin_prefetch(&f->ring[i & f->mask]);
	atomic_store(&f->busy_idx, head);
	atomic_store(&f->busy, true);
	for (; head != end; head++) {
		uint8_t code = SWDMA_ST_OK;
		uint64_t dst, src, len;
		int op;

		if (atomic_load(&ch->paused))	/* seq_cst, after busy: see swdma_hw_pause() */
			break;
		/* ... and the rest ahead of use. */
		if (!(head & 3) && idx_before(head + 32, end))
			__builtin_prefetch(&f->ring[(head + 32) & f->mask]);
		if (swdma_abort_covers(&f->abort, head))
			code = SWDMA_ST_ABORTED;
		else if (atomic_load_explicit(&ch->fail_count, memory_order_relaxed))
			code = take_fault(ch);
		op = fp_unpack(&f->ring[head & f->mask], &dst, &src, &len);
		if (code == SWDMA_ST_OK && sw->cfg.bus_check) {
			enum run_result fault = bus_fault(sw, op == SWDMA_FP_FILL, dst, src, len);

			if (fault != RUN_DONE)
				code = fault == RUN_FAULT_READ ? SWDMA_ST_READ_FAILED
							       : SWDMA_ST_WRITE_FAILED;
		}
		if (code != SWDMA_ST_OK) {
			f->status[head & f->mask] = code;
			errors++;
		} else {
			if (len >= split) {
				uint32_t n = swdma_split_run(w, f, head, end, split, &len);

				head += n - 1;
				ops += n - 1;
			} else {
				hw_move(sw, &w->tune, op, dst, src, len);
			}
			bytes += len;
		}
		if (++ops >= SWDMA_FP_PUBLISH || bytes >= SWDMA_FP_PUBLISH_BYTES) {
			fp_publish(f, head + 1, errors);
			ops = errors = 0;
			bytes = 0;
		}
	}
	f->head = head;
	abort_pass(&f->abort, head);
	if (ops)
		fp_publish(f, head, errors);
	atomic_store(&f->busy, false);
	return true;
}

static bool chan_has_work(struct swdma_hwchan *ch)
{
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);
	struct swdma_fp *f = atomic_load_explicit(&ch->fp, memory_order_acquire);

	if (atomic_load_explicit(&ch->holding, memory_order_relaxed))
		return true;	/* a worker must stay up to raise it */
	if (f && atomic_load_explicit(&f->doorbell, memory_order_acquire) !=
			 atomic_load_explicit(&f->done, memory_order_relaxed) &&
	    !atomic_load_explicit(&ch->paused, memory_order_relaxed))
		return true;
	if (head == atomic_load_explicit(&ch->tail, memory_order_acquire))
		return false;
	return !atomic_load_explicit(&ch->paused, memory_order_relaxed) ||
	       entry_dead(ch, head);
}

static bool any_work(struct swdma_engine *sw)
{
	uint32_t i;

	if (atomic_load(&sw->jobs))
		return true;
	for (i = 0; i < sw->cfg.nr_chans; i++) {
		if (chan_has_work(&sw->chans[i]))
			return true;
	}
	return false;
}

/*
 * Idle policy: spin for cfg.spin_ns after the last work, then yield for
 * cfg.yield_ns, then sleep on the doorbell.  Producers publish work, then
 * look at sleepers; a worker going to sleep counts itself in sleepers,
 * then looks for work: one of them sees the other (engine.h, "The
 * sleep/wake handshake").
 */
static void worker_main(void *arg)
{
	struct swdma_worker *w = arg;
	struct swdma_engine *sw = w->sw;
	uint32_t nchans = sw->cfg.nr_chans;
	uint64_t spin = sw->cfg.spin_ns == SWDMA_OFF ? 0 : sw->cfg.spin_ns;
	uint64_t yield = spin + (sw->cfg.yield_ns == SWDMA_OFF ? 0 : sw->cfg.yield_ns);
	uint32_t start = w->id, polls = 0;
	uint64_t idle_since = 0, idle = 0;

	while (!atomic_load_explicit(&sw->stop, memory_order_relaxed)) {
		unsigned int seq = atomic_load(&sw->doorbell);
		bool did = swdma_jobs_help(w);
		uint32_t i;

		for (i = 0; i < nchans; i++) {
			struct swdma_hwchan *ch = &sw->chans[(start + i) % nchans];
			struct swdma_fp *f;

			if (!chan_has_work(ch) ||
			    atomic_load_explicit(&ch->claimed, memory_order_relaxed) ||
			    atomic_exchange(&ch->claimed, true))
				continue;
			did |= desc_run(w, ch);
			f = atomic_load_explicit(&ch->fp, memory_order_acquire);
			if (f)
				did |= fp_run(w, ch, f);
			atomic_store(&ch->claimed, false);
		}
		if (nchans > 1)
			start++;
		if (did) {
			idle_since = 0;
			continue;
		}
		/* Reading the clock costs more than a scan: look every 16th time. */
		if (!idle_since) {
			idle_since = hw_time_ns();
			idle = 0;
			polls = 0;
		} else if (!(++polls % 16)) {
			idle = hw_time_ns() - idle_since;
		}
		if (idle < spin) {
			hw_cpu_relax();
			continue;
		}
		if (idle < yield) {
			hw_yield();
			continue;
		}
		sleeper_add(sw);	/* pairs with swdma_hw_wake() */
		if (!any_work(sw) && !atomic_load(&sw->stop))
			hw_wait(&sw->doorbell, seq, HW_FOREVER);
		atomic_fetch_sub(&sw->sleepers, 1);
		idle_since = 0;
	}
}

/* ---- the driver's side of the control words ------------------------------------ */

uint64_t swdma_hw_irq_take(struct swdma_engine *sw, uint32_t w)
{
	uint64_t bits = atomic_load(&sw->irq_status[w]);

	return bits ? atomic_exchange(&sw->irq_status[w], 0) : 0;
}

/*
 * Fast path ops enqueued so far complete as ABORTED, doorbell or not: the
 * doorbell moves up to them, so a worker retires them and the client
 * finds them reported.  Only ever forward: the client, which may be
 * ringing at the same time, never stores less than the tail read here.
 */
static void fp_abort_enqueued(struct swdma_fp *f)
{
	uint32_t tail = atomic_load(&f->tail);
	uint32_t db = atomic_load(&f->doorbell);

	abort_mark(&f->abort, tail);
	while (idx_before(db, tail) && !atomic_compare_exchange_weak(&f->doorbell, &db, tail))
		;
}

void swdma_hw_abort(struct swdma_hwchan *ch)
{
	struct swdma_fp *f = atomic_load(&ch->fp);

	abort_mark(&ch->abort, atomic_load(&ch->tail));
	if (f)
		fp_abort_enqueued(f);
	atomic_store(&ch->paused, false);
	swdma_hw_doorbell(ch->sw);	/* let a worker drain the dead entries */
}

void swdma_hw_quiesce(struct swdma_hwchan *ch)
{
	struct swdma_fp *f = atomic_load(&ch->fp);
	unsigned int spins = 0;

	while ((atomic_load(&ch->busy) && entry_dead(ch, atomic_load(&ch->busy_idx))) ||
	       (f && atomic_load(&f->busy) &&
		swdma_abort_covers(&f->abort, atomic_load(&f->busy_idx)))) {
		if (++spins < 64)
			hw_yield();
		else
			hw_sleep_ns(10000);
	}
}

/*
 * The pause takes effect before this returns, as HALT does on a
 * controller: a worker in the middle of a burst of this channel finishes
 * it, and no byte moves after that.  The worker looks at paused before
 * every entry, every burst of a long one and every fast path op, after it
 * published busy (the descriptor ring's or the fast path's, both waited
 * for here); paused is stored before busy is read (all seq_cst), so
 * either the worker sees paused before it moves anything or this sees
 * busy and waits for the batch to end, which the worker ends at its next
 * look.  The worker
 * is never busy while it runs the interrupt output (desc_run()), so a
 * caller holding the lock the handler takes does not wait forever.
 */
void swdma_hw_pause(struct swdma_hwchan *ch)
{
	struct swdma_fp *f = atomic_load(&ch->fp);
	unsigned int spins = 0;

	atomic_store(&ch->paused, true);
	while (atomic_load(&ch->busy) || (f && atomic_load(&f->busy))) {
		if (++spins < 64)
			hw_cpu_relax();
		else
			hw_yield();
	}
}

void swdma_hw_resume(struct swdma_hwchan *ch)
{
	atomic_store(&ch->paused, false);
	swdma_hw_doorbell(ch->sw);
}

static void fp_free(struct swdma_fp *f)
{
	if (!f)
		return;
	free(f->status);
	free(f->ring);
	free(f);
}

static void *zalloc_aligned(size_t size)
{
	void *p;

	size = (size + 63) & ~(size_t)63;
	p = aligned_alloc(64, size);
	if (p)
		memset(p, 0, size);
	return p;
}

struct swdma_fp *swdma_hw_fp_ring(struct swdma_hwchan *ch, uint32_t size)
{
	struct swdma_fp *f = atomic_load(&ch->fp);

	if (f)
		return f;
	f = zalloc_aligned(sizeof(*f));
	if (!f)
		return NULL;
	f->ring = zalloc_aligned(sizeof(*f->ring) * size);
	f->status = zalloc_aligned(size);
	if (!f->ring || !f->status) {
		fp_free(f);
		return NULL;
	}
	f->ch = ch;
	f->mask = size - 1;
	atomic_store_explicit(&ch->fp, f, memory_order_release);
	return f;
}

/* Take the channel's claim: no worker runs it while we hold it. */
static void chan_claim(struct swdma_hwchan *ch)
{
	while (atomic_exchange(&ch->claimed, true))
		hw_yield();
}

void swdma_hw_fp_reset(struct swdma_hwchan *ch, struct swdma_fp *f)
{
	/*
	 * Abort what is enqueued -- a revoked channel's holder may still
	 * have enqueued ops without ringing, and no terminate runs at its
	 * release -- let a worker retire it all, then reset under the claim.
	 */
	fp_abort_enqueued(f);
	swdma_hw_doorbell(ch->sw);
	while (atomic_load(&f->done) != atomic_load(&f->doorbell))
		hw_yield();
	chan_claim(ch);
	f->read = f->done_seen = f->err_seen = 0;
	f->fence_last = f->fence_pub = 0;
	f->head = 0;
	memset(f->status, SWDMA_ST_OK, f->mask + 1);	/* aborts never reported */
	atomic_store(&f->tail, 0);
	atomic_store(&f->doorbell, 0);
	atomic_store(&f->done, 0);
	atomic_store(&f->errors, 0);
	atomic_store(&f->abort.mark, 0);
	atomic_store(&f->abort.passed, 0);
	atomic_store(&f->fence, 0);
	atomic_store(&ch->claimed, false);
}

void swdma_hw_rebase(struct swdma_hwchan *ch, uint32_t idx)
{
	struct swdma_fp *f = atomic_load(&ch->fp);

	chan_claim(ch);
	atomic_store(&ch->tail, idx);
	atomic_store(&ch->head, idx);
	atomic_store(&ch->done, idx);
	atomic_store(&ch->collected, idx);
	atomic_store(&ch->failed_upto, idx);
	if (f) {
		f->read = f->done_seen = f->fence_last = f->fence_pub = f->head = idx;
		atomic_store(&f->tail, idx);
		atomic_store(&f->doorbell, idx);
		atomic_store(&f->done, idx);
		atomic_store(&f->fence, idx);
	}
	atomic_store(&ch->claimed, false);
}

void swdma_hw_fail_next(struct swdma_hwchan *ch, uint32_t n, enum swdma_status code)
{
	atomic_store(&ch->fail_code, (unsigned int)code);
	atomic_store(&ch->fail_count, n);
}

void swdma_hw_irq_hold(struct swdma_engine *sw, bool forever)
{
	atomic_store(&sw->test_irq_hold, forever);
}

/* ---- create and destroy ------------------------------------------------------------ */

static void stop_workers(struct swdma_engine *sw, uint32_t n)
{
	uint32_t i;

	atomic_store(&sw->stop, true);
	atomic_fetch_add(&sw->doorbell, 1);
	hw_wake(&sw->doorbell, (int)n);
	for (i = 0; i < n; i++)
		hw_thread_join(sw->workers[i].thread);
}

static void engine_free(struct swdma_engine *sw)
{
	uint32_t i;

	for (i = 0; sw->chans && i < sw->cfg.nr_chans; i++)
		fp_free(atomic_load(&sw->chans[i].fp));
	free(sw->workers);
	free(sw->irq_status);
	free(sw->chans);
	free(sw);
}

int swdma_hw_create(const struct swdma_hw_config *cfg, struct swdma_engine **out)
{
	struct swdma_engine *sw = zalloc_aligned(sizeof(*sw));
	uint32_t i, n;
	char tname[24];
	int ret;

	if (!sw)
		return -ENOMEM;
	sw->cfg = *cfg;
	sw->asym_fence = swdma_hw_fence_init();
#if SWDMA_HAVE_NT
	sw->nt_wide = __builtin_cpu_supports("avx2");
#endif
	sw->chans = zalloc_aligned(sizeof(*sw->chans) * cfg->nr_chans);
	sw->irq_status = calloc((cfg->nr_chans + 63) / 64, sizeof(*sw->irq_status));
	sw->workers = zalloc_aligned(sizeof(*sw->workers) * cfg->nr_workers);
	if (!sw->chans || !sw->irq_status || !sw->workers) {
		engine_free(sw);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->nr_chans; i++) {
		sw->chans[i].sw = sw;
		sw->chans[i].index = i;
	}
	for (n = 0; n < cfg->nr_workers; n++) {
		struct swdma_worker *w = &sw->workers[n];

		w->sw = sw;
		w->id = n;
		snprintf(tname, sizeof(tname), "%.8s/w%u", cfg->name, (unsigned int)(n % SWDMA_MAX_WORKERS));
		ret = hw_thread_start(&w->thread, tname, worker_main, w);
		if (ret) {
			stop_workers(sw, n);
			engine_free(sw);
			return ret;
		}
	}
	*out = sw;
	return 0;
}

void swdma_hw_stop(struct swdma_engine *sw)
{
	stop_workers(sw, sw->cfg.nr_workers);
}

void swdma_hw_free(struct swdma_engine *sw)
{
	if (sw)
		engine_free(sw);
}
