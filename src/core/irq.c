/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines (dmae/provider.h) over the OS seam's lines.
 *
 * The port owns the line -- what raises it, where it runs, the handler
 * lock (src/os/os.h) -- and calls irq_entry() to run it.  The core owns
 * what a run does: enter hard-IRQ context with the thread's IRQs masked,
 * run the handler or the part of its work a poll names, count, run the
 * hard-IRQ callbacks the handler completed (dmae__hardirq_exit), leave.
 * The core also decides whether the calling thread may take an interrupt
 * now, from its per-thread context state, before it asks the port.
 */
#include <limits.h>
#include <stdio.h>

#include "core/core.h"

struct dmae_irq {
	struct dmae_os_irq *line;
	dmae_irq_handler_fn fn;
	void *arg;
	/* only the handler lock's holder writes the counts: no locked instruction */
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t unhandled;
	/* the device whose line it is, when it has runtime PM (dmae__irq_set_pm_dev) */
	_Atomic(struct dmae_dev *) pm_dev;
	char name[32];
};

/* A part of the handler's work, run instead of it: a poll's fn(arg). */
struct irq_part {
	dmae_irq_handler_fn fn;
	void *arg;
};

/*
 * The handler of a device that is not ACTIVE does not run: an unclocked
 * controller has nothing pending (its suspend quiesced it) and its status
 * registers cannot be read.  The core's polls of a part check the channel
 * themselves.
 */
static enum dmae_irqreturn irq_run(struct dmae_irq *irq, const struct irq_part *p)
{
	struct dmae_dev *dev = atomic_load_explicit(&irq->pm_dev, memory_order_acquire);
	enum dmae_irqreturn r;

	if (p)
		return p->fn(p->arg);
	if (!dev)
		return irq->fn(irq->arg);
	if (dmae_dev_pm_get_if_active(dev) != 1)
		return DMAE_IRQ_NONE;
	r = irq->fn(irq->arg);
	dmae_dev_pm_put_autosuspend(dev);
	return r;
}

void dmae__irq_set_pm_dev(struct dmae_irq *irq, struct dmae_dev *dev)
{
	atomic_store_explicit(&irq->pm_dev, dev, memory_order_release);
	if (!dev)
		dmae_irq_synchronize(irq);
}

static void irq_entry(void *owner, void *part)
{
	struct dmae_irq *irq = owner;
	const struct irq_part *p = part;
	dmae_irqflags_t f;

	dmae_local_irq_save(&f);
	dmae__ctx.hardirq++;
	if (irq_run(irq, p) == DMAE_IRQ_NONE)
		dmae__stat_add(&irq->unhandled, 1);
	dmae__stat_add(&irq->count, 1);
	dmae__hardirq_exit();
	dmae__ctx.hardirq--;
	dmae_local_irq_restore(f);
}

static int irq_request(const char *fname, const char *name, int hwirq,
		       dmae_irq_handler_fn fn, void *arg, struct dmae_irq **out)
{
	struct dmae_irq *irq;
	int ret;

	dmae_might_sleep();
	if (!name || !fn || !out)
		return dmae_fail(EINVAL, "%s: NULL %s", fname,
				 !name ? "name" : !fn ? "handler" : "out");
	irq = dmae__zalloc(sizeof(*irq));
	if (!irq)
		return -ENOMEM;
	snprintf(irq->name, sizeof(irq->name), "%s", name);
	irq->fn = fn;
	irq->arg = arg;
	ret = dmae_os_irq_create(irq->name, hwirq, irq_entry, irq, &irq->line);
	if (ret) {
		dmae__free(irq);
		if (hwirq < 0)
			return ret;
		return dmae_fail(-ret, "%s: %s: hardware interrupt %d: %s", fname, name,
				 hwirq, ret == -EOPNOTSUPP ? "this platform has none" :
				 dmae_strerror(ret));
	}
	*out = irq;
	return 0;
}

int dmae_irq_request(const char *name, dmae_irq_handler_fn fn, void *arg,
		     struct dmae_irq **out)
{
	return irq_request("dmae_irq_request", name, -1, fn, arg, out);
}

int dmae_irq_request_hw(const char *name, unsigned int hwirq, dmae_irq_handler_fn fn,
			void *arg, struct dmae_irq **out)
{
	if (hwirq > INT_MAX)
		return dmae_fail(EINVAL, "dmae_irq_request_hw: %s: interrupt %u out of range",
				 name ? name : "(null)", hwirq);
	return irq_request("dmae_irq_request_hw", name, (int)hwirq, fn, arg, out);
}

void dmae_irq_free(struct dmae_irq *irq)
{
	dmae_might_sleep();
	if (!irq)
		return;
	dmae_os_irq_destroy(irq->line);
	dmae__free(irq);
}

void dmae_irq_raise(struct dmae_irq *irq)
{
	dmae_os_irq_raise(irq->line);
}

/* Taking an interrupt here needs task context, no spinlock, IRQs unmasked. */
static bool irq_take_local(struct dmae_irq *irq, struct irq_part *part)
{
	if (dmae__ctx.irqoff || dmae__ctx.hardirq || dmae__ctx.bh || dmae__ctx.spin)
		return false;
	return dmae_os_irq_take_local(irq->line, part);
}

/*
 * The raising thread takes the interrupt itself: no wake-up, no third
 * thread between the device and the client.  When it cannot, this is a
 * plain raise, handled by the line's own context as usual.
 */
void dmae_irq_raise_local(struct dmae_irq *irq)
{
	if (!irq_take_local(irq, NULL))
		dmae_os_irq_raise(irq->line);
}

/*
 * Nothing is raised: the handler looks at the device and finds what is
 * there.  When the handler is busy elsewhere that run, or the device's
 * own interrupt, covers whatever this one would have found.
 */
bool dmae_irq_poll_local(struct dmae_irq *irq)
{
	return irq_take_local(irq, NULL);
}

bool dmae__irq_poll_local_fn(struct dmae_irq *irq, dmae_irq_handler_fn fn, void *arg)
{
	struct irq_part part = { fn, arg };

	return irq_take_local(irq, fn ? &part : NULL);
}

bool dmae__irq_poll_fn(struct dmae_irq *irq, bool wait, dmae_irq_handler_fn fn, void *arg)
{
	struct irq_part part = { fn, arg };

	/* With this thread's IRQs masked (hard-IRQ context, irqsave lock
	 * held) no handler may run here, exactly as on a real CPU. */
	if (dmae__ctx.irqoff)
		return false;
	if (wait)
		dmae_might_sleep();
	return dmae_os_irq_poll(irq->line, wait, fn ? &part : NULL);
}

bool dmae_irq_poll(struct dmae_irq *irq, bool wait)
{
	return dmae__irq_poll_fn(irq, wait, NULL, NULL);
}

void dmae_irq_mask(struct dmae_irq *irq)
{
	dmae_os_irq_mask(irq->line);
}

void dmae_irq_unmask(struct dmae_irq *irq)
{
	if (dmae_os_irq_unmask(irq->line))
		dmae_err("dmae_irq_unmask: %s: line is not masked", irq->name);
}

void dmae_irq_synchronize(struct dmae_irq *irq)
{
	dmae_might_sleep();
	dmae_os_irq_synchronize(irq->line);
}

uint64_t dmae_irq_count(const struct dmae_irq *irq)
{
	return atomic_load_explicit(&irq->count, memory_order_relaxed);
}
