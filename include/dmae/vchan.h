/* SPDX-License-Identifier: MIT */
/*
 * dmae/vchan.h - virt-channel helpers.
 *
 * Included by providers.  Every dmae channel is a virt channel: the
 * driver's channel struct embeds struct dmae_vchan, and this layer keeps
 * the descriptor lists, assigns and completes cookies, routes completions
 * to the context each client chose, and makes termination safe.  A driver
 * built on it writes three things: build a hardware descriptor (prep op),
 * start the next one (dmae_vchan_start_next() from issue_pending and from
 * its IRQ handler), and report completion (dmae_vchan_complete() or
 * dmae_vchan_complete_ok() from its IRQ handler).
 *
 * Where descriptors are, in the order they move:
 *
 *   queue: submitted --issue--> issued --start_next--> active
 *   active --complete--> cb_hardirq, cb_bh, cb_task, or finished
 *   any of them --terminate--> terminated --synchronize--> pool
 *
 * The queue is a ring of pointers in cookie order, with room for the whole
 * pool so that it never fills.  Four free-running indices cut it:
 *
 *   q_head .. active .. q_start .. issued .. q_issued .. submitted .. q_tail
 *
 * submit appends at q_tail, issue_pending moves q_issued up to q_tail,
 * start_next hands the descriptor at q_start to the hardware, and
 * completion retires the one at q_head: a channel completes in the order
 * it started (its cookies say so), so no descriptor is relinked until it
 * has completed.  The cb_* and terminated lists are doubly linked through
 * desc->node.
 */
#ifndef DMAE_VCHAN_H
#define DMAE_VCHAN_H

#include <dmae/provider.h>

DMAE_BEGIN_DECLS

struct dmae_vchan {
	struct dmae_chan chan;

	/*
	 * Read by every submit, by lock holders, and by the one submitter
	 * (DMAE_CHAN_OPT_ONE_SUBMITTER) without the lock; written only when
	 * the pool grows.  On a line of its own, so that a submit does not
	 * pull the lock's line away from a handler, nor the reverse.
	 */
	_Alignas(64) _Atomic(struct dmae_desc *) *queue;	/* queue_mask + 1 slots; see above */
	uint32_t queue_mask;		/* resized under lock, in task context */

	_Alignas(64) dmae_spinlock_t lock;	/* taken with the irqsave form */
	uint32_t q_head;		/* oldest active; lock */
	uint32_t q_start;		/* next to start; lock */
	uint32_t q_issued;		/* end of the issued part; lock */
	struct dmae_list cb_hardirq;	/* done, callback in hard-IRQ; lock */
	struct dmae_list cb_bh;		/* done, callback in BH; lock */
	struct dmae_list cb_task;	/* done, callback in task; lock */
	struct dmae_list terminated;	/* protected by lock */
	bool paused;			/* protected by lock */
	struct dmae_desc *cyclic;	/* running cyclic descriptor; lock */
	unsigned int cyclic_periods;	/* periods not yet called back; lock */

	/* bumped by terminate: callbacks spliced before it are dropped */
	atomic_uint term_gen;

	/* pending hard-IRQ callbacks: vc is on the current thread's flush
	 * list; hardirq_queued is written under lock */
	atomic_bool hardirq_queued;
	struct dmae_vchan *hardirq_next;

	struct dmae_work task_work;	/* runs cb_task */

	/*
	 * End of the submitted part.  Written by dmae_desc_submit(): under
	 * lock, or by the channel's one submitter without it
	 * (DMAE_CHAN_OPT_ONE_SUBMITTER), with release order, after the slot;
	 * lock holders read it with acquire order.  On a line of its own so
	 * that a submitter does not pull the lock holders' fields away.
	 */
	_Alignas(64) atomic_uint q_tail;
};

static inline struct dmae_vchan *dmae_to_vchan(struct dmae_chan *chan)
{
	return dmae_container_of(chan, struct dmae_vchan, chan);
}

/*
 * Initialise vc as channel index of p and add it to p's channels.  Call
 * after dmae_provider_init() and before dmae_provider_register().
 * Task context.
 */
DMAE_API void dmae_vchan_init(struct dmae_vchan *vc, struct dmae_provider *p,
			      unsigned int index);

/* Lock helpers for IRQ handlers (ops are already called locked). */
static inline void dmae_vchan_lock(struct dmae_vchan *vc, dmae_irqflags_t *f)
{
	dmae_spin_lock_irqsave(&vc->lock, f);
}

static inline void dmae_vchan_unlock(struct dmae_vchan *vc, dmae_irqflags_t f)
{
	dmae_spin_unlock_irqrestore(&vc->lock, f);
}

/*
 * Move the first issued descriptor to the active part and return it, or
 * NULL if none is issued or the first is fenced (DMAE_PREP_FENCE) behind
 * active ones.  Caller holds vc->lock.  Inline: a driver calls it once
 * per descriptor it hands to the hardware.
 */
static inline struct dmae_desc *dmae_vchan_start_next(struct dmae_vchan *vc)
{
	struct dmae_desc *d;

	if (vc->q_start == vc->q_issued)
		return NULL;
	d = atomic_load_explicit(&vc->queue[vc->q_start & vc->queue_mask],
				 memory_order_relaxed);
	if ((d->flags & DMAE_PREP_FENCE) && vc->q_head != vc->q_start)
		return NULL;
	vc->q_start++;
	d->state = DMAE_DESC_ACTIVE;
	return d;
}

/* Are issued descriptors waiting to be started?  Caller holds vc->lock. */
static inline bool dmae_vchan_has_issued(const struct dmae_vchan *vc)
{
	return vc->q_start != vc->q_issued;
}

/* Descriptors started and not yet completed.  Caller holds vc->lock. */
static inline unsigned int dmae_vchan_nr_active(const struct dmae_vchan *vc)
{
	return vc->q_start - vc->q_head;
}

/* First active descriptor (the oldest in hardware), or NULL.  Caller holds vc->lock. */
static inline struct dmae_desc *dmae_vchan_first_active(struct dmae_vchan *vc)
{
	if (vc->q_head == vc->q_start)
		return NULL;
	return atomic_load_explicit(&vc->queue[vc->q_head & vc->queue_mask],
				    memory_order_relaxed);
}

/*
 * Place of the active descriptor d among the active ones, 0 for the
 * oldest: they are started in cookie order, and cookies go up by one.
 * Caller holds vc->lock.
 */
static inline uint32_t dmae_vchan_active_pos(struct dmae_vchan *vc,
					     const struct dmae_desc *d)
{
	int64_t k = (int64_t)d->cookie - dmae_vchan_first_active(vc)->cookie;

	return (uint32_t)(k < 0 ? k + DMAE_COOKIE_MAX : k);
}

/*
 * Report the oldest active descriptor finished: completes its cookie,
 * updates the statistics and routes it to its completion object / callback
 * context / the pool.  residue is what was not transferred (0 on success).
 * Any other descriptor is refused with a log line: a channel completes in
 * the order it started.
 * Caller holds vc->lock and runs in the channel's IRQ handler (hard-IRQ
 * context); hard-IRQ callbacks run after the handler returns.
 */
DMAE_API void dmae_vchan_complete(struct dmae_desc *desc,
				  enum dmae_result_code code, uint64_t residue);

/*
 * Report the n oldest active descriptors finished without error, as n
 * calls of dmae_vchan_complete(d, DMAE_RESULT_OK, 0) would, with one
 * update of the cookie and the statistics.  done_ns is the engine's
 * timestamp for all of them (0: now).  Returns how many were completed:
 * n, or fewer (with a log line) if fewer are active.
 * Same context as dmae_vchan_complete().
 */
DMAE_API unsigned int dmae_vchan_complete_ok(struct dmae_vchan *vc, unsigned int n,
					     uint64_t done_ns);

/*
 * Report one period of the running cyclic descriptor done: its completion
 * object fires now, its callback runs in its context.  Caller holds
 * vc->lock, in the channel's IRQ handler.
 */
DMAE_API void dmae_vchan_cyclic_period(struct dmae_desc *desc);

/*
 * For a driver's synchronize op: wait until the hardware channel that its
 * terminate op told to stop has stopped.  *stopping is the driver's flag,
 * set by terminate, read and cleared under vc->lock; stopped(vc), called
 * with vc->lock held, says whether the channel is quiet (or was restarted
 * by a new issue, which counts as stopped).  Looks every 10 us; after
 * timeout_ns it logs "<channel>: channel did not stop" once and returns
 * -ETIMEDOUT, else 0 with *stopping cleared.  Task context.
 */
DMAE_API int dmae_vchan_wait_stopped(struct dmae_vchan *vc, bool *stopping,
				     bool (*stopped)(struct dmae_vchan *vc),
				     uint64_t timeout_ns);

DMAE_END_DECLS

#endif /* DMAE_VCHAN_H */
