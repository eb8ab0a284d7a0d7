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
 * its IRQ handler), and report completion (dmae_vchan_complete() from its
 * IRQ handler).
 *
 * Lists, all protected by vc->lock, in the order descriptors move:
 *
 *   submitted --issue--> issued --start_next--> active --complete--> cb_hardirq
 *                                                                    cb_bh
 *                                                                    cb_task
 *   any of them --terminate--> terminated --synchronize--> pool
 */
#ifndef DMAE_VCHAN_H
#define DMAE_VCHAN_H

#include <dmae/provider.h>

DMAE_BEGIN_DECLS

struct dmae_vchan {
	struct dmae_chan chan;

	dmae_spinlock_t lock;		/* taken with the irqsave form */
	struct dmae_list submitted;	/* protected by lock */
	unsigned int nr_submitted;	/* on submitted; lock */
	struct dmae_list issued;	/* protected by lock */
	struct dmae_list active;	/* handed to hardware; protected by lock */
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
 * Move the first issued descriptor to the active list and return it, or
 * NULL if none is issued or the first is fenced (DMAE_PREP_FENCE) behind
 * active ones.  Caller holds vc->lock.
 */
DMAE_API struct dmae_desc *dmae_vchan_start_next(struct dmae_vchan *vc);

/* First active descriptor (the oldest in hardware), or NULL.  Caller holds vc->lock. */
static inline struct dmae_desc *dmae_vchan_first_active(struct dmae_vchan *vc)
{
	return dmae_list_first(&vc->active, struct dmae_desc, node);
}

/*
 * Report an ACTIVE descriptor finished: completes its cookie, updates the
 * statistics and routes it to its completion object / callback context /
 * the pool.  residue is what was not transferred (0 on success).
 * Caller holds vc->lock and runs in the channel's IRQ handler (hard-IRQ
 * context); hard-IRQ callbacks run after the handler returns.
 */
DMAE_API void dmae_vchan_complete(struct dmae_desc *desc,
				  enum dmae_result_code code, uint64_t residue);

/*
 * Report one period of the running cyclic descriptor done: its completion
 * object fires now, its callback runs in its context.  Caller holds
 * vc->lock, in the channel's IRQ handler.
 */
DMAE_API void dmae_vchan_cyclic_period(struct dmae_desc *desc);

DMAE_END_DECLS

#endif /* DMAE_VCHAN_H */
