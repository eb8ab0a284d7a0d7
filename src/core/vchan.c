/* SPDX-License-Identifier: MIT */
/*
 * Virt-channel helpers: descriptor lists, completion routing and safe
 * termination.  See dmae/vchan.h for the lists and their order.
 *
 * Completion routing.  dmae_vchan_complete() runs in the provider's IRQ
 * handler with vc->lock held.  It signals a completion object at once
 * (signalling never sleeps), then files the descriptor by the context its
 * client chose:
 *
 *   hard-IRQ  cb_hardirq; the vchan goes on the IRQ thread's pending list
 *             and dmae__hardirq_exit() runs the callbacks right after the
 *             handler returns, still in hard-IRQ context, lock dropped
 *   BH        cb_bh; the channel's BH runs them (dmae_chan_bh_schedule)
 *   task      cb_task; the channel's work item runs them
 *   none      finished at once (pool, parked until acked, or reusable)
 *
 * Each runner splices its list under the lock and invokes callbacks with
 * no lock held, one at a time, in completion order, so a callback may
 * prep, submit, issue or terminate on the same channel.  terminate bumps
 * vc->term_gen; a runner that sees it change drops the rest of its batch
 * without calling back.  The descriptor goes back to the pool before its
 * callback runs, so a callback always finds room to prepare the next.
 *
 * A cyclic descriptor never completes: each period the driver calls
 * dmae_vchan_cyclic_period(), which signals the completion object and
 * counts a period for the runner of the descriptor's context, which calls
 * back once per period counted.
 */
#include "core/core.h"

static void vchan_bh(struct dmae_chan *chan);
static void vchan_task_work(struct dmae_work *w);
static void vchan_pm_watchdog(struct dmae_work *w);

void dmae_vchan_init(struct dmae_vchan *vc, struct dmae_provider *p,
		     unsigned int index)
{
	struct dmae_chan *chan = &vc->chan;

	chan->provider = p;
	chan->index = index;
	atomic_init(&chan->state, DMAE_CHAN_FREE);
	dmae_spin_init(&chan->cfg_lock);
	dmae_spin_init(&vc->lock);
	vc->queue = NULL;
	vc->queue_mask = 0;
	vc->q_head = 0;
	vc->q_start = 0;
	vc->q_issued = 0;
	atomic_init(&vc->q_tail, 0);
	dmae_list_init(&vc->cb_hardirq);
	dmae_list_init(&vc->cb_bh);
	dmae_list_init(&vc->cb_task);
	dmae_list_init(&vc->terminated);
	atomic_init(&vc->term_gen, 0);
	atomic_init(&vc->hardirq_queued, false);
	dmae_chan_bh_init(chan, vchan_bh);
	dmae_work_init(&vc->task_work, vchan_task_work);
	dmae_work_init(&chan->pm_watchdog, vchan_pm_watchdog);
	chan->dev = NULL;
	chan->pm_busy = false;
	chan->pm_wait = false;
	chan->hold_link = NULL;
	dmae_list_add_tail(&chan->provider_node, &p->chans);
	p->nr_chans++;
}

/* ---- the queue ------------------------------------------------------------------ */

static inline struct dmae_desc *queue_at(const struct dmae_vchan *vc, uint32_t i)
{
	return atomic_load_explicit(&vc->queue[i & vc->queue_mask], memory_order_relaxed);
}

int dmae__vchan_queue_reserve(struct dmae_vchan *vc, uint32_t n)
{
	_Atomic(struct dmae_desc *) *q, *old;
	uint32_t size = 1, i, tail;
	dmae_irqflags_t f;

	while (size < n)
		size <<= 1;
	if (vc->queue && size <= vc->queue_mask + 1)
		return 0;
	q = dmae__zalloc(sizeof(*q) * size);
	if (!q)
		return -ENOMEM;
	dmae__vchan_lock(vc, &f);
	tail = atomic_load_explicit(&vc->q_tail, memory_order_acquire);
	for (i = vc->q_head; i != tail; i++)
		atomic_init(&q[i & (size - 1)], queue_at(vc, i));
	old = vc->queue;
	vc->queue = q;
	vc->queue_mask = size - 1;
	dmae__vchan_unlock(vc, f);
	dmae__free((void *)old);
	return 0;
}

void dmae__vchan_queue_free(struct dmae_vchan *vc)
{
	dmae__free((void *)vc->queue);
	vc->queue = NULL;
	vc->queue_mask = 0;
}

unsigned int dmae__vchan_issue(struct dmae_vchan *vc)
{
	uint32_t tail = atomic_load_explicit(&vc->q_tail, memory_order_acquire);
	unsigned int n = tail - vc->q_issued;

	vc->q_issued = tail;
	return n;
}

void dmae__desc_finish(struct dmae_desc *d)
{
	if (d->flags & DMAE_PREP_REUSE)
		d->state = DMAE_DESC_PREPARED;
	else if (!(d->flags & DMAE_PREP_ACK))
		d->state = DMAE_DESC_DONE;	/* parked until dmae_desc_ack() */
	else
		dmae__pool_put(d);
}

/*
 * Make the runner of context ctx look at vc.  Caller holds vc->lock and
 * has just filed descriptors (or a period) on the runner's list.
 *
 * It first looks whether the runner is already due, without an atomic
 * read-modify-write.  Every runner clears its "due" mark before it takes
 * vc->lock to splice its list.  So a mark seen set here, even a stale one,
 * means that splice has not happened yet and will find what the caller
 * just filed.
 */
static void vchan_kick(struct dmae_vchan *vc, enum dmae_cb_ctx ctx)
{
	switch (ctx) {
	case DMAE_CB_HARDIRQ:
		if (!dmae__ctx.hardirq)
			dmae_err("%s: completion reported outside the IRQ handler; "
				 "hard-IRQ callbacks would be lost", vc->chan.name);
		/* written under vc->lock only: this read is exact */
		if (atomic_load_explicit(&vc->hardirq_queued, memory_order_relaxed))
			break;
		atomic_store_explicit(&vc->hardirq_queued, true, memory_order_relaxed);
		vc->hardirq_next = dmae__ctx.hardirq_pending;
		dmae__ctx.hardirq_pending = vc;
		break;
	case DMAE_CB_TASK:
		if (!dmae_os_work_is_pending(&vc->task_work))
			dmae_work_queue(&vc->task_work);
		break;
	case DMAE_CB_BH:
		if (!dmae_os_bh_is_scheduled(&vc->chan.bh))
			dmae_chan_bh_schedule(&vc->chan);
		break;
	}
}

/* vchan_kick() each context whose bit (1u << ctx) is set in ctxs. */
static void vchan_kick_ctxs(struct dmae_vchan *vc, unsigned int ctxs)
{
	while (ctxs) {
		enum dmae_cb_ctx ctx = (enum dmae_cb_ctx)__builtin_ctz(ctxs);

		ctxs &= ctxs - 1;
		vchan_kick(vc, ctx);
	}
}

/* Nobody waits for d, and nobody may look at it again once complete. */
static inline bool desc_plain(const struct dmae_desc *d)
{
	return (d->flags & (DMAE_PREP_ACK | DMAE_PREP_REUSE)) == DMAE_PREP_ACK && !d->cb &&
	       !d->comp;
}

/*
 * Finish d, just retired from the queue with result res, and wake whoever
 * waits for it.  vc->lock held.  Returns the context whose runner must be
 * kicked, as a bit (1u << ctx), or 0: the caller kicks once per run, not
 * once per descriptor (vchan_kick_ctxs).
 *
 * The descriptor is finished (back in the pool if acknowledged) or filed
 * for its callback before the completion object fires, so a woken waiter
 * finds it already given back.  Callbacks still run after the signal:
 * their runners need vc->lock, which the caller holds.
 */
static inline unsigned int desc_route(struct dmae_vchan *vc, struct dmae_desc *d,
				      const struct dmae_result *res)
{
	struct dmae_completion *comp = d->comp;
	struct dmae_result *comp_res = d->comp_res;
	unsigned int kick = 0;

	if (desc_plain(d)) {
		dmae__pool_put(d);
		return 0;
	}
	d->result = *res;
	d->state = DMAE_DESC_CALLBACK;
	if (!d->cb) {
		dmae__desc_finish(d);
	} else {
		switch (d->cb_ctx) {
		case DMAE_CB_HARDIRQ:
			dmae_list_add_tail(&d->node, &vc->cb_hardirq);
			break;
		case DMAE_CB_TASK:
			dmae_list_add_tail(&d->node, &vc->cb_task);
			break;
		case DMAE_CB_BH:
			dmae_list_add_tail(&d->node, &vc->cb_bh);
			break;
		}
		kick = 1u << d->cb_ctx;
	}
	if (comp) {
		if (comp_res)
			*comp_res = *res;
		dmae_completion_done(comp);
	}
	return kick;
}

/*
 * n more completed, of bytes in all, the last with res.  vc->lock held.
 * Once the cookies come round to the last failed run again, that run is
 * history: its values now name new transfers (dmae_chan_status()).
 */
static void run_account(struct dmae_chan *chan, const struct dmae_result *res,
			unsigned int n, uint64_t bytes)
{
	dmae_cookie_t done = atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed);

	if (chan->err_lo &&
	    dmae__cookie_in_range(chan->err_lo, dmae__cookie_next(done), res->cookie))
		chan->err_lo = chan->err_hi = 0;
	atomic_store_explicit(&chan->completed_cookie, res->cookie, memory_order_relaxed);
	chan->last_done_ns = res->timestamp_ns;
	dmae__stat_add(&chan->st_completed, n);
	dmae__stat_add(&chan->st_bytes, bytes);
}

void dmae_vchan_complete(struct dmae_desc *d, enum dmae_result_code code,
			 uint64_t residue)
{
	struct dmae_chan *chan = d->chan;
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	struct dmae_result res;

	if (d != dmae_vchan_first_active(vc)) {
		dmae_err("%s: dmae_vchan_complete: cookie %d is not the oldest active "
			 "descriptor; a channel completes in the order it started",
			 chan->name, (int)d->cookie);
		return;
	}
	vc->q_head++;
	/* Built here and stored once (desc_route): reading d->result back
	 * right after writing it field by field stalls on store forwarding. */
	res = (struct dmae_result){
		.code = code,
		.cookie = d->cookie,
		.residue = residue,
		.timestamp_ns = d->done_ns ? d->done_ns : dmae_time_ns(),
	};
	run_account(chan, &res, 1, d->len - residue);
	if (code != DMAE_RESULT_OK) {
		dmae__stat_add(&chan->st_errors, 1);
		chan->err_lo = res.cookie;
		chan->err_hi = res.cookie;
	}
	vchan_kick_ctxs(vc, desc_route(vc, d, &res));
	dmae__vchan_pm_idle(vc);
}

/* Put the *n descriptors chained from *chain on the pool's free list. */
static inline void pool_put_chain(struct dmae_chan *chan, struct dmae_desc **chain,
				  struct dmae_desc ***link, unsigned int *n)
{
	if (!*n)
		return;
	**link = chan->pool_free_list;
	chan->pool_free_list = *chain;
	dmae__count_add(&chan->pool_returned, *n);
	*chain = NULL;
	*link = chain;
	*n = 0;
}

unsigned int dmae_vchan_complete_ok(struct dmae_vchan *vc, unsigned int n, uint64_t done_ns)
{
	struct dmae_chan *chan = &vc->chan;
	struct dmae_result res = { .code = DMAE_RESULT_OK };
	struct dmae_desc *chain = NULL, **link = &chain;
	unsigned int i, freed = 0, counted = 0, kicks = 0;
	uint64_t bytes = 0;

	if (n > dmae_vchan_nr_active(vc)) {
		dmae_err("%s: dmae_vchan_complete_ok: %u descriptors reported, %u active",
			 chan->name, n, dmae_vchan_nr_active(vc));
		n = dmae_vchan_nr_active(vc);
	}
	if (!n)
		return 0;
	res.timestamp_ns = done_ns ? done_ns : dmae_time_ns();
	for (i = 0; i < n; i++) {
		struct dmae_desc *d = queue_at(vc, vc->q_head + i);

		bytes += d->len;
		res.cookie = d->cookie;
		if (desc_plain(d)) {
			/* chained, and given back to the pool at once below */
			d->state = DMAE_DESC_FREE;
			*link = d;
			link = &d->pool_next;
			freed++;
			continue;
		}
		/*
		 * A completion object fires in desc_route(): its waiter finds
		 * the pool, the cookie and the statistics up to here, as after
		 * dmae_vchan_complete().  Callbacks run after the lock is
		 * dropped, when all of the run is accounted for.
		 */
		pool_put_chain(chan, &chain, &link, &freed);
		if (d->comp) {
			run_account(chan, &res, i + 1 - counted, bytes);
			counted = i + 1;
			bytes = 0;
		}
		kicks |= desc_route(vc, d, &res);
	}
	pool_put_chain(chan, &chain, &link, &freed);
	vc->q_head += n;
	if (counted != n)
		run_account(chan, &res, n - counted, bytes);
	vchan_kick_ctxs(vc, kicks);
	dmae__vchan_pm_idle(vc);
	return n;
}

void dmae_vchan_cyclic_period(struct dmae_desc *d)
{
	struct dmae_chan *chan = d->chan;
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	vc->cyclic = d;
	d->result.code = DMAE_RESULT_OK;
	d->result.cookie = d->cookie;
	d->result.residue = 0;
	d->result.timestamp_ns = d->done_ns ? d->done_ns : dmae_time_ns();
	dmae__stat_add(&chan->st_bytes, d->period_len);
	if (d->comp) {
		if (d->comp_res)
			*d->comp_res = d->result;
		dmae_completion_done(d->comp);
	}
	if (!d->cb)
		return;
	vc->cyclic_periods++;
	vchan_kick(vc, d->cb_ctx);
}

/*
 * Callbacks of descriptors spliced from one cb_* list are made in chunks
 * of up to CB_CHUNK: under one lock acquisition the chunk's descriptors
 * are finished (acknowledged ones back to the pool in one splice) and what
 * their callbacks need is copied; then the callbacks are made with no lock
 * held.  A terminate since the splice (gen changed) drops the callbacks
 * not yet made.
 */
#define CB_CHUNK 64

struct cb_todo {
	dmae_callback_fn cb;
	void *arg;
	struct dmae_result res;
};

/*
 * Take up to CB_CHUNK descriptors off the front of batch, this runner's
 * own list: walk it without unlinking each entry and cut the walked part
 * off once.  vc->lock held.  Returns how many were taken.
 */
static unsigned int cb_take_chunk(struct dmae_vchan *vc, struct dmae_list *batch,
				  struct cb_todo *todo)
{
	struct dmae_desc *chain = NULL, **link = &chain;
	struct dmae_list *pos = batch->next;
	unsigned int n = 0, freed = 0;

	while (n < CB_CHUNK && pos != batch) {
		struct dmae_desc *d = dmae_container_of(pos, struct dmae_desc, node);

		/* finishing d reuses d->node (pool_next): read its successor first */
		pos = pos->next;
		todo[n].cb = d->cb;
		todo[n].arg = d->cb_arg;
		todo[n].res = d->result;
		n++;
		if ((d->flags & (DMAE_PREP_ACK | DMAE_PREP_REUSE)) == DMAE_PREP_ACK) {
			/* as dmae__pool_put(), with one splice for the chunk */
			d->cb = NULL;
			d->comp = NULL;
			d->state = DMAE_DESC_FREE;
			*link = d;
			link = &d->pool_next;
			freed++;
		} else {
			dmae__desc_finish(d);
		}
	}
	batch->next = pos;
	pos->prev = batch;
	pool_put_chain(&vc->chan, &chain, &link, &freed);
	return n;
}

/* Make a chunk's callbacks, no lock held, unless a terminate came since gen. */
static void cb_call_chunk(struct dmae_vchan *vc, const struct cb_todo *todo, unsigned int n,
			  unsigned int gen)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (atomic_load(&vc->term_gen) != gen)
			break;
		todo[i].cb(todo[i].arg, &todo[i].res);
	}
}

/*
 * Run the callbacks waiting for context ctx on list, cyclic periods first.
 * The splice and the first chunk share one lock acquisition: a BH of a
 * streaming client runs once per burst, and each locked instruction waits
 * for the burst's stores to drain (docs/performance.md).
 */
static void vchan_flush(struct dmae_vchan *vc, struct dmae_list *list, enum dmae_cb_ctx ctx)
{
	struct cb_todo todo[CB_CHUNK];
	struct dmae_result res = { 0 };
	dmae_callback_fn cyc_cb = NULL;
	void *cyc_arg = NULL;
	unsigned int periods = 0, gen, n;
	struct dmae_list batch;
	dmae_irqflags_t f;

	dmae_list_init(&batch);
	dmae__vchan_lock(vc, &f);
	dmae_list_splice_tail(list, &batch);
	gen = atomic_load(&vc->term_gen);
	if (ctx == DMAE_CB_HARDIRQ)
		atomic_store_explicit(&vc->hardirq_queued, false, memory_order_relaxed);
	if (vc->cyclic && vc->cyclic->cb_ctx == ctx && vc->cyclic_periods) {
		periods = vc->cyclic_periods;
		vc->cyclic_periods = 0;
		cyc_cb = vc->cyclic->cb;
		cyc_arg = vc->cyclic->cb_arg;
		res = vc->cyclic->result;
	}
	n = cb_take_chunk(vc, &batch, todo);
	dmae__vchan_unlock(vc, f);
	while (periods-- && atomic_load(&vc->term_gen) == gen)
		cyc_cb(cyc_arg, &res);
	cb_call_chunk(vc, todo, n, gen);
	while (!dmae_list_empty(&batch)) {
		dmae__vchan_lock(vc, &f);
		n = cb_take_chunk(vc, &batch, todo);
		dmae__vchan_unlock(vc, f);
		cb_call_chunk(vc, todo, n, gen);
	}
}

void dmae__hardirq_exit(void)
{
	struct dmae_vchan *vc;

	while ((vc = dmae__ctx.hardirq_pending)) {
		dmae__ctx.hardirq_pending = vc->hardirq_next;
		vchan_flush(vc, &vc->cb_hardirq, DMAE_CB_HARDIRQ);
	}
}

static void vchan_bh(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	vchan_flush(vc, &vc->cb_bh, DMAE_CB_BH);
}

/* ---- revocation -------------------------------------------------------------- */

/*
 * Complete the queued descriptors up to index end -- active, issued, and
 * with end q_tail only submitted -- with code, oldest first, as the
 * interrupt handler would: completion objects fire, callbacks go to their
 * runners.  A running cyclic descriptor ends too (its periods not yet
 * called back are dropped).  vc->lock held, hard-IRQ context.
 */
static void vchan_fail(struct dmae_vchan *vc, enum dmae_result_code code, uint32_t end)
{
	struct dmae_chan *chan = &vc->chan;
	struct dmae_result res = { .code = code, .timestamp_ns = dmae_time_ns() };
	unsigned int n = 0, kicks = 0;

	if (vc->q_head == end)
		return;
	vc->cyclic = NULL;
	vc->cyclic_periods = 0;
	chan->err_lo = dmae__cookie_next(atomic_load_explicit(&chan->completed_cookie,
							      memory_order_relaxed));
	for (; vc->q_head != end; vc->q_head++, n++) {
		struct dmae_desc *d = queue_at(vc, vc->q_head);

		res.cookie = d->cookie;
		res.residue = d->len;
		kicks |= desc_route(vc, d, &res);
	}
	if ((int32_t)(vc->q_start - end) < 0)
		vc->q_start = end;
	if ((int32_t)(vc->q_issued - end) < 0)
		vc->q_issued = end;
	chan->err_hi = res.cookie;
	atomic_store_explicit(&chan->completed_cookie, res.cookie, memory_order_relaxed);
	chan->last_done_ns = res.timestamp_ns;
	if (code == DMAE_RESULT_ABORTED)
		dmae__stat_add(&chan->st_terminated, n);
	else
		dmae__stat_add(&chan->st_errors, n);
	vchan_kick_ctxs(vc, kicks);
}

static void vchan_abort(struct dmae_vchan *vc)
{
	vchan_fail(vc, DMAE_RESULT_ABORTED, atomic_load_explicit(&vc->q_tail,
								 memory_order_acquire));
	dmae__vchan_pm_idle(vc);
}

/*
 * Run vchan_abort() (after fn, if any) as an interrupt taken on this
 * task-context thread: hard-IRQ context, then its hard-IRQ callbacks, as
 * the port does around a handler.
 */
static void vchan_abort_as_irq(struct dmae_vchan *vc, void (*fn)(struct dmae_vchan *vc))
{
	dmae_irqflags_t irq, f;

	dmae_local_irq_save(&irq);
	dmae__ctx.hardirq++;
	dmae__vchan_lock(vc, &f);
	if (fn)
		fn(vc);
	vchan_abort(vc);
	dmae__vchan_unlock(vc, f);
	dmae__hardirq_exit();
	dmae__ctx.hardirq--;
	dmae_local_irq_restore(irq);
}

/* An unpowered channel is idle: its registers are not touched. */
static void revoke_locked(struct dmae_vchan *vc)
{
	struct dmae_chan *chan = &vc->chan;

	atomic_store_explicit(&chan->state, DMAE_CHAN_REVOKED, memory_order_release);
	if (dmae__chan_hw_get(chan)) {
		chan->provider->ops->terminate(chan);
		dmae__chan_hw_put(chan);
	}
	vc->paused = false;
}

void dmae__vchan_revoke(struct dmae_vchan *vc)
{
	vchan_abort_as_irq(vc, revoke_locked);
}

/* ---- runtime PM ------------------------------------------------------------------ */

/*
 * What waits for the resume fails; vc->lock held, hard-IRQ context.  With
 * timeout, only what has waited DMAE_PM_RESUME_TIMEOUT_NS: the watchdog
 * armed for an earlier wait may fire early for a later one, and re-arms.
 * False if nothing failed.
 */
static bool power_fail_locked(struct dmae_vchan *vc, bool timeout)
{
	struct dmae_chan *chan = &vc->chan;
	uint64_t waited;

	if (!chan->pm_wait)
		return false;
	waited = dmae_time_ns() - chan->pm_wait_ns;
	if (timeout && waited < DMAE_PM_RESUME_TIMEOUT_NS) {
		dmae_os_work_queue_after(&chan->pm_watchdog, DMAE_PM_RESUME_TIMEOUT_NS - waited);
		return false;
	}
	chan->pm_wait = false;
	vchan_fail(vc, DMAE_RESULT_POWER_FAILED, vc->q_issued);
	if (chan->pm_busy) {
		chan->pm_busy = false;
		dmae_dev_pm_put_autosuspend(chan->dev);
	}
	return true;
}

struct power_fail {
	struct dmae_vchan *vc;
	bool timeout, failed;
};

static enum dmae_irqreturn power_fail_part(void *arg)
{
	struct power_fail *pf = arg;
	dmae_irqflags_t f;

	dmae__vchan_lock(pf->vc, &f);
	pf->failed = power_fail_locked(pf->vc, pf->timeout);
	dmae__vchan_unlock(pf->vc, f);
	return pf->failed ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
}

/*
 * Runs as a part of the provider's interrupt handler where it has one, so
 * that its hard-IRQ callbacks are serialised with the handler's and
 * dmae_chan_synchronize() waits for them (dmae_irq_synchronize()); on
 * this thread, as an interrupt, otherwise.  Task context (the PM work,
 * the watchdog), or inside that handler.
 */
bool dmae__vchan_power_fail(struct dmae_vchan *vc, bool timeout)
{
	struct power_fail pf = { vc, timeout, false };
	struct dmae_irq *line = vc->chan.provider->irq;
	dmae_irqflags_t irq;

	if (line && dmae__irq_poll_fn(line, true, power_fail_part, &pf))
		return pf.failed;
	dmae_local_irq_save(&irq);
	dmae__ctx.hardirq++;
	power_fail_part(&pf);
	dmae__hardirq_exit();
	dmae__ctx.hardirq--;
	dmae_local_irq_restore(irq);
	return pf.failed;
}

/* The resume took too long: what waits for it fails (dmae/dmae.h). */
static void vchan_pm_watchdog(struct dmae_work *w)
{
	struct dmae_chan *chan = dmae_container_of(w, struct dmae_chan, pm_watchdog);

	if (dmae__vchan_power_fail(dmae_to_vchan(chan), true))
		dmae_err("%s: not resumed within %llu ms: the transfers waiting for it failed",
			 chan->name, (unsigned long long)(DMAE_PM_RESUME_TIMEOUT_NS / 1000000));
}

static void vchan_task_work(struct dmae_work *w)
{
	struct dmae_vchan *vc = dmae_container_of(w, struct dmae_vchan, task_work);

	/* what a lock-free submitter queued after the revocation (issue_refuse) */
	if (atomic_load(&vc->chan.state) == DMAE_CHAN_REVOKED)
		vchan_abort_as_irq(vc, NULL);
	vchan_flush(vc, &vc->cb_task, DMAE_CB_TASK);
}

static void move_all(struct dmae_list *from, struct dmae_list *to)
{
	struct dmae_list *pos;

	dmae_list_for_each(pos, from)
		dmae_container_of(pos, struct dmae_desc, node)->state = DMAE_DESC_TERMINATED;
	dmae_list_splice_tail(from, to);
}

unsigned int dmae__vchan_collect_terminated(struct dmae_vchan *vc, dmae_cookie_t *newest)
{
	uint32_t tail = atomic_load_explicit(&vc->q_tail, memory_order_acquire);
	struct dmae_desc *last = NULL;
	unsigned int n = 0;

	for (; vc->q_head != tail; vc->q_head++, n++) {
		last = queue_at(vc, vc->q_head);
		last->state = DMAE_DESC_TERMINATED;
		dmae_list_add_tail(&last->node, &vc->terminated);
	}
	vc->q_start = vc->q_issued = tail;
	*newest = last ? last->cookie : 0;
	/* These completed (and were counted so): only their callbacks go. */
	move_all(&vc->cb_hardirq, &vc->terminated);
	move_all(&vc->cb_bh, &vc->terminated);
	move_all(&vc->cb_task, &vc->terminated);
	vc->cyclic = NULL;
	vc->cyclic_periods = 0;
	atomic_fetch_add(&vc->term_gen, 1);
	dmae__vchan_pm_idle(vc);
	return n;
}

void dmae__vchan_free_terminated(struct dmae_vchan *vc)
{
	struct dmae_list *pos, *tmp;
	dmae_irqflags_t f;

	dmae__vchan_lock(vc, &f);
	dmae_list_for_each_safe(pos, tmp, &vc->terminated) {
		struct dmae_desc *d = dmae_container_of(pos, struct dmae_desc, node);

		dmae_list_del(&d->node);
		dmae__desc_finish(d);
	}
	dmae__vchan_unlock(vc, f);
}

struct dmae_desc *dmae__vchan_find(struct dmae_vchan *vc, dmae_cookie_t cookie)
{
	uint32_t tail = atomic_load_explicit(&vc->q_tail, memory_order_acquire), i;

	for (i = vc->q_head; i != tail; i++) {
		struct dmae_desc *d = queue_at(vc, i);

		if (d->cookie == cookie)
			return d;
	}
	return NULL;
}

/* ---- per-channel BH helpers -------------------------------------------------- */

static void chan_bh_entry(struct dmae__bh *bh)
{
	struct dmae_chan *chan = dmae_container_of(bh, struct dmae_chan, bh);

	chan->bh_fn(chan);
}

void dmae_chan_bh_init(struct dmae_chan *chan, void (*fn)(struct dmae_chan *chan))
{
	chan->bh_fn = fn;
	chan->bh.fn = chan_bh_entry;
	chan->bh.next = NULL;
	atomic_init(&chan->bh.state, 0);
}

void dmae_chan_bh_schedule(struct dmae_chan *chan)
{
	dmae_os_bh_schedule(&chan->bh);
}

void dmae_chan_bh_kill(struct dmae_chan *chan)
{
	dmae_might_sleep();
	dmae_os_bh_kill(&chan->bh);
}

int dmae_vchan_wait_stopped(struct dmae_vchan *vc, bool *stopping,
			    bool (*stopped)(struct dmae_vchan *vc), uint64_t timeout_ns)
{
	uint64_t deadline = dmae_time_ns() + timeout_ns;
	dmae_irqflags_t f;

	dmae_might_sleep();
	dmae__vchan_lock(vc, &f);
	while (*stopping && !stopped(vc)) {
		dmae__vchan_unlock(vc, f);
		if (dmae_time_ns() > deadline)
			return dmae_fail(ETIMEDOUT, "%s: channel did not stop", vc->chan.name);
		dmae_sleep_ns(10000);
		dmae__vchan_lock(vc, &f);
	}
	*stopping = false;
	dmae__vchan_unlock(vc, f);
	return 0;
}
