/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: the BH runner is PendSV.
 *
 * Scheduling a BH queues it and pends PendSV, whose priority is below
 * every interrupt: the BHs run once the interrupts that scheduled them
 * have returned, before thread mode resumes -- the place of irq_exit's
 * softirqs.  PendSV does not preempt itself, so a BH never runs
 * concurrently with itself or with another BH.
 *
 * bh->state (PRIMASK held to change it):
 *
 *   0 --schedule--> SCHEDULED --PendSV picks--> RUNNING --fn returns--> 0
 *                                                  |  schedule
 *                                                  v
 *                                       RUNNING|SCHEDULED (queued again)
 */
#include "os/baremetal/bm.h"

#define BH_SCHEDULED 1u
#define BH_RUNNING 2u

/* FIFO; PRIMASK held to touch it. */
static struct dmae__bh *bhq_head, *bhq_tail;

void dmae_os_bh_schedule(struct dmae__bh *bh)
{
	uint32_t primask = bm_irq_save();
	unsigned int st = atomic_load_explicit(&bh->state, memory_order_relaxed);

	if (!(st & BH_SCHEDULED)) {
		atomic_store_explicit(&bh->state, st | BH_SCHEDULED, memory_order_relaxed);
		bh->next = NULL;
		if (bhq_tail)
			bhq_tail->next = bh;
		else
			bhq_head = bh;
		bhq_tail = bh;
		BM_ICSR = BM_ICSR_PENDSVSET;
	}
	bm_irq_restore(primask);
}

static struct dmae__bh *bhq_pop(void)
{
	uint32_t primask = bm_irq_save();
	struct dmae__bh *bh = bhq_head;

	if (bh) {
		bhq_head = bh->next;
		if (!bhq_head)
			bhq_tail = NULL;
		atomic_store_explicit(&bh->state, BH_RUNNING, memory_order_relaxed);
	}
	bm_irq_restore(primask);
	return bh;
}

void dmae_baremetal_pendsv_handler(void)
{
	struct dmae__bh *bh;

	while ((bh = bhq_pop())) {
		dmae__ctx_bh_enter();
		bh->fn(bh);
		dmae__ctx_bh_exit();
		atomic_fetch_and_explicit(&bh->state, ~BH_RUNNING, memory_order_relaxed);
	}
}

/*
 * Task context is thread mode, below PendSV: a scheduled BH has run before
 * thread mode gets the CPU back, unless the caller masks interrupts, which
 * a sleeping call may not.  Pend PendSV until the queue has let it go.
 */
void dmae_os_bh_kill(struct dmae__bh *bh)
{
	while (atomic_load_explicit(&bh->state, memory_order_relaxed)) {
		BM_ICSR = BM_ICSR_PENDSVSET;
		bm_barrier();
	}
}

bool dmae_os_bh_is_scheduled(const struct dmae__bh *bh)
{
	return atomic_load_explicit(&bh->state, memory_order_relaxed) & BH_SCHEDULED;
}
