/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: interrupt lines are NVIC interrupts.
 *
 * A hardware line is the interrupt its device is wired to; a software
 * line borrows one of the board's spare interrupts, and a raise pends it
 * (NVIC ISPR), which is what a device asserting its line does too.  Every
 * external interrupt enters dmae_baremetal_irq_handler(), which finds the
 * line by the active exception number and runs the core's entry.  All
 * lines share one priority, so one handler never preempts another (the
 * handler lock is the priority level); only thread mode and PendSV (BHs)
 * are preempted.  BHs an entry schedules run from PendSV, after the last
 * interrupt returns.
 *
 * A poll or a local take runs the entry in thread mode or a BH with the
 * CPU's interrupts masked, so the line's own interrupt cannot run between
 * its start and end.  Masking a line disables it in the NVIC, where a
 * raise stays pending until the line is unmasked.
 */
#include <errno.h>
#include <stdlib.h>

#include "os/baremetal/bm.h"

struct dmae_os_irq {
	dmae_os_irq_entry_fn entry;
	void *owner;
	unsigned int n;			/* NVIC interrupt number */
	unsigned int mask;		/* nesting depth; PRIMASK held to change it */
	bool soft;
	volatile bool running;		/* entry runs (on this CPU, below us) */
};

/* Written in thread mode with interrupts masked; read by the handler. */
static struct dmae_os_irq **lines;	/* bm_cfg.nr_irqs of them */
static uint32_t soft_used;		/* bit i: bm_cfg.soft_irqs[i] taken */

static void nvic_enable(unsigned int n)
{
	BM_NVIC_ISER(n) = BM_NVIC_BIT(n);
}

static void nvic_disable(unsigned int n)
{
	BM_NVIC_ICER(n) = BM_NVIC_BIT(n);
	bm_barrier();
}

int bm_lines_alloc(unsigned int nr_irqs)
{
	lines = calloc(nr_irqs, sizeof(*lines));
	return lines ? 0 : -ENOMEM;
}

static int soft_pick(void)
{
	for (unsigned int i = 0; i < bm_cfg.nr_soft_irqs; i++) {
		if (!(soft_used & (1u << i))) {
			soft_used |= 1u << i;
			return bm_cfg.soft_irqs[i];
		}
	}
	return -EAGAIN;
}

static void soft_put(unsigned int n)
{
	for (unsigned int i = 0; i < bm_cfg.nr_soft_irqs; i++)
		if (bm_cfg.soft_irqs[i] == n)
			soft_used &= ~(1u << i);
}

int dmae_os_irq_create(const char *name, int hwirq, dmae_os_irq_entry_fn entry,
		       void *owner, struct dmae_os_irq **out)
{
	struct dmae_os_irq *irq;
	uint32_t primask;
	int n;

	(void)name;
	if (hwirq >= 0 && (unsigned int)hwirq >= bm_cfg.nr_irqs)
		return -EINVAL;
	irq = calloc(1, sizeof(*irq));
	if (!irq)
		return -ENOMEM;
	primask = bm_irq_save();
	n = hwirq >= 0 ? hwirq : soft_pick();
	if (n < 0 || lines[n]) {
		bm_irq_restore(primask);
		free(irq);
		return n < 0 ? n : -EBUSY;
	}
	irq->entry = entry;
	irq->owner = owner;
	irq->n = (unsigned int)n;
	irq->soft = hwirq < 0;
	lines[n] = irq;
	BM_NVIC_IPR(n) = BM_PRIO_IRQ;
	BM_NVIC_ICPR(n) = BM_NVIC_BIT(n);
	nvic_enable(irq->n);
	bm_irq_restore(primask);
	*out = irq;
	return 0;
}

void dmae_os_irq_destroy(struct dmae_os_irq *irq)
{
	uint32_t primask = bm_irq_save();

	nvic_disable(irq->n);
	BM_NVIC_ICPR(irq->n) = BM_NVIC_BIT(irq->n);
	lines[irq->n] = NULL;
	if (irq->soft)
		soft_put(irq->n);
	bm_irq_restore(primask);
	free(irq);
}

void dmae_os_irq_raise(struct dmae_os_irq *irq)
{
	BM_NVIC_ISPR(irq->n) = BM_NVIC_BIT(irq->n);
	bm_barrier();
}

void dmae_baremetal_irq_handler(void)
{
	unsigned int n = bm_ipsr() - 16u;
	struct dmae_os_irq *irq = n < bm_cfg.nr_irqs ? lines[n] : NULL;

	if (!irq) {	/* no line: keep it from firing again */
		nvic_disable(n);
		return;
	}
	irq->running = true;
	irq->entry(irq->owner, NULL);
	irq->running = false;
}

/*
 * Run entry here with interrupts masked; false if it runs below us, or
 * for a local take (not a poll), if the line is masked.
 */
static bool run_here(struct dmae_os_irq *irq, void *part, bool take)
{
	uint32_t primask = bm_irq_save();

	if ((take && irq->mask) || irq->running) {
		bm_irq_restore(primask);
		return false;
	}
	if (!part)
		BM_NVIC_ICPR(irq->n) = BM_NVIC_BIT(irq->n);
	irq->running = true;
	irq->entry(irq->owner, part);
	irq->running = false;
	bm_irq_restore(primask);
	return true;
}

bool dmae_os_irq_take_local(struct dmae_os_irq *irq, void *part)
{
	return run_here(irq, part, true);
}

/*
 * From an interrupt handler the line's own handler cannot run below us
 * (one priority), except when this is that handler: run_here() sees it
 * running.  wait has nothing to wait for.
 */
bool dmae_os_irq_poll(struct dmae_os_irq *irq, bool wait, void *part)
{
	(void)wait;
	return run_here(irq, part, false);
}

void dmae_os_irq_mask(struct dmae_os_irq *irq)
{
	uint32_t primask = bm_irq_save();

	if (irq->mask++ == 0)
		nvic_disable(irq->n);
	bm_irq_restore(primask);
}

int dmae_os_irq_unmask(struct dmae_os_irq *irq)
{
	uint32_t primask = bm_irq_save();
	int ret = 0;

	if (!irq->mask)
		ret = -EINVAL;
	else if (--irq->mask == 0)
		nvic_enable(irq->n);
	bm_irq_restore(primask);
	return ret;
}

/* A handler never runs beside thread mode: once we run, it has returned. */
void dmae_os_irq_synchronize(struct dmae_os_irq *irq)
{
	(void)irq;
}
