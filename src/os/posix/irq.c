/* SPDX-License-Identifier: MIT */
/*
 * POSIX port: emulated interrupt lines.
 *
 * Each line has its own IRQ thread, standing for the CPU its interrupt is
 * routed to.  A raise sets PENDING in the line's state word and wakes the
 * thread if it sleeps; the thread clears PENDING and then calls the
 * handler, so a raise during the handler runs it once more and no raise
 * is ever lost.  The handler lock serialises the thread with polls
 * (dmae_irq_poll) and lets dmae_irq_synchronize() wait for a running
 * handler.  After the handler, still in hard-IRQ context, the core runs
 * the hard-IRQ callbacks the handler completed (dmae__hardirq_exit); the
 * thread then drops to BH context and runs the BHs the handler scheduled
 * (like irq_exit), within a budget.
 *
 * state word:  bit 0 PENDING, bit 1 SLEEPING, bit 2 STOP, bits 8.. mask depth
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define IRQ_PENDING 1u
#define IRQ_SLEEPING 2u
#define IRQ_STOP 4u
#define IRQ_MASK_ONE 256u

struct dmae_irq {
	char name[32];
	dmae_irq_handler_fn fn;
	void *arg;
	atomic_uint state;
	atomic_bool handler_busy;	/* the handler lock: see handler_trylock() */
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t unhandled;
	struct dmae_os_thread *thread;
	struct dmae__bh_queue bhq;	/* owned by the IRQ thread */
};

/* The line whose handler the calling thread is running, if any. */
static _Thread_local struct dmae_irq *irq_running;

/*
 * The handler lock.  A client streaming bursts takes it twice per burst
 * (issue_pending and status poll the line), so it is a flag whose release
 * is a plain store, not a mutex whose unlock is a locked instruction.  It
 * is held for one handler run, which never sleeps: a waiter spins a
 * little, then yields.
 */
static bool handler_trylock(struct dmae_irq *irq)
{
	return !atomic_load_explicit(&irq->handler_busy, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&irq->handler_busy, true, memory_order_acquire);
}

static void handler_lock(struct dmae_irq *irq)
{
	unsigned int spins = 0;

	while (!handler_trylock(irq)) {
		if (++spins < 64)
			dmae_os_cpu_relax();
		else
			dmae_os_yield();
	}
}

static void handler_unlock(struct dmae_irq *irq)
{
	atomic_store_explicit(&irq->handler_busy, false, memory_order_release);
}

/*
 * Handler lock held.  Runs fn (a part of the handler's work:
 * dmae__irq_poll_fn), or the line's handler if fn is NULL, and then the
 * hard-IRQ callbacks.
 */
static void irq_run(struct dmae_irq *irq, dmae_irq_handler_fn fn, void *arg)
{
	dmae_irqflags_t f;

	dmae_local_irq_save(&f);
	dmae__ctx.hardirq++;
	irq_running = irq;
	/* only the handler lock's holder writes the counts: no locked instruction */
	if ((fn ? fn(arg) : irq->fn(irq->arg)) == DMAE_IRQ_NONE)
		dmae__stat_add(&irq->unhandled, 1);
	dmae__stat_add(&irq->count, 1);
	dmae__hardirq_exit();
	irq_running = NULL;
	dmae__ctx.hardirq--;
	dmae_local_irq_restore(f);
}

static void irq_thread(void *p)
{
	struct dmae_irq *irq = p;

	dmae__ctx.bhq = &irq->bhq;
	for (;;) {
		unsigned int v = atomic_load(&irq->state);

		if (v & IRQ_STOP)
			break;
		if (!(v & IRQ_PENDING) || v >= IRQ_MASK_ONE) {
			if (!(v & IRQ_SLEEPING)) {
				atomic_compare_exchange_weak(&irq->state, &v,
							     v | IRQ_SLEEPING);
				continue;
			}
			dmae_os_wait(&irq->state, v, DMAE_OS_FOREVER);
			continue;
		}
		atomic_fetch_and(&irq->state, ~(IRQ_PENDING | IRQ_SLEEPING));
		handler_lock(irq);
		irq_run(irq, NULL, NULL);
		handler_unlock(irq);
		dmae_os_bh_run_local();
	}
	dmae__ctx.bhq = NULL;
}

int dmae_irq_request(const char *name, dmae_irq_handler_fn fn, void *arg,
		     struct dmae_irq **out)
{
	struct dmae_irq *irq;
	char tname[16];
	int ret;

	dmae_might_sleep();
	if (!name || !fn || !out)
		return dmae_fail(EINVAL, "dmae_irq_request: NULL %s",
				 !name ? "name" : !fn ? "handler" : "out");
	irq = dmae__zalloc(sizeof(*irq));
	if (!irq)
		return -ENOMEM;
	snprintf(irq->name, sizeof(irq->name), "%s", name);
	irq->fn = fn;
	irq->arg = arg;
	atomic_init(&irq->handler_busy, false);
	snprintf(tname, sizeof(tname), "irq/%s", name);
	ret = dmae_os_thread_start(&irq->thread, tname, irq_thread, irq);
	if (ret) {
		dmae__free(irq);
		return ret;
	}
	*out = irq;
	return 0;
}

void dmae_irq_free(struct dmae_irq *irq)
{
	dmae_might_sleep();
	if (!irq)
		return;
	atomic_fetch_or(&irq->state, IRQ_STOP);
	dmae_os_wake(&irq->state, 1);
	dmae_os_thread_join(irq->thread);
	dmae__free(irq);
}

/*
 * Only the raise that sets PENDING on a sleeping line wakes the thread:
 * the thread clears both bits together, so a raise that finds PENDING
 * already set is covered by the one that set it (and by the handler run
 * that follows, which clears PENDING before it looks at the device).
 * Hardware that raises once per batch would otherwise pay a futex wake
 * per batch while the thread is still waking up.
 */
void dmae_irq_raise(struct dmae_irq *irq)
{
	unsigned int old;

	if (atomic_load(&irq->state) & IRQ_PENDING)
		return;
	old = atomic_fetch_or(&irq->state, IRQ_PENDING);
	if ((old & (IRQ_SLEEPING | IRQ_PENDING)) == IRQ_SLEEPING)
		dmae_os_wake(&irq->state, 1);
}

/*
 * A handler run about to start covers a raise pending now.  Polls mostly
 * find none: look before the locked read-modify-write.
 */
static void irq_consume_pending(struct dmae_irq *irq)
{
	if (atomic_load_explicit(&irq->state, memory_order_relaxed) & IRQ_PENDING)
		atomic_fetch_and(&irq->state, ~IRQ_PENDING);
}

/*
 * Take the line's interrupt on the calling thread, as a CPU it is routed
 * to would: the handler (or fn, a part of its work), its hard-IRQ
 * callbacks, then the BHs it scheduled here (dmae_os_bh_run_local; over
 * budget, the rest go to the BH thread).
 * False, with nothing run, if this thread cannot take an interrupt now,
 * the line is masked, or the handler is running elsewhere.
 */
static bool irq_take_local(struct dmae_irq *irq, dmae_irq_handler_fn fn, void *arg)
{
	struct dmae__bh_queue q = { NULL, NULL }, *saved = dmae__ctx.bhq;

	if (irq_running || dmae__ctx.irqoff || dmae__ctx.hardirq || dmae__ctx.bh ||
	    dmae__ctx.spin || atomic_load(&irq->state) >= IRQ_MASK_ONE ||
	    !handler_trylock(irq))
		return false;
	if (!fn)	/* consumes a raise pending now, as dmae__irq_poll_fn() does */
		irq_consume_pending(irq);
	if (!saved)
		dmae__ctx.bhq = &q;
	irq_run(irq, fn, arg);
	handler_unlock(irq);
	dmae_os_bh_run_local();
	dmae__ctx.bhq = saved;
	return true;
}

/*
 * The raising thread takes the interrupt itself: no wake-up, no third
 * thread between the device and the client.  When it cannot, this is a
 * plain raise, handled by the line's IRQ thread as usual.
 */
void dmae_irq_raise_local(struct dmae_irq *irq)
{
	if (!irq_take_local(irq, NULL, NULL))
		dmae_irq_raise(irq);
}

/*
 * Nothing is raised: the handler looks at the device and finds what is
 * there.  When the handler is busy elsewhere that run, or the device's
 * own interrupt, covers whatever this one would have found.
 */
bool dmae_irq_poll_local(struct dmae_irq *irq)
{
	return irq_take_local(irq, NULL, NULL);
}

bool dmae__irq_poll_local_fn(struct dmae_irq *irq, dmae_irq_handler_fn fn, void *arg)
{
	return irq_take_local(irq, fn, arg);
}

void dmae_irq_mask(struct dmae_irq *irq)
{
	atomic_fetch_add(&irq->state, IRQ_MASK_ONE);
}

void dmae_irq_unmask(struct dmae_irq *irq)
{
	unsigned int old = atomic_fetch_sub(&irq->state, IRQ_MASK_ONE);

	if (old < IRQ_MASK_ONE) {
		atomic_fetch_add(&irq->state, IRQ_MASK_ONE);
		dmae_err("dmae_irq_unmask: %s: line is not masked", irq->name);
		return;
	}
	if (old & IRQ_SLEEPING)
		dmae_os_wake(&irq->state, 1);
}

bool dmae__irq_poll_fn(struct dmae_irq *irq, bool wait, dmae_irq_handler_fn fn, void *arg)
{
	/* With this thread's IRQs masked (hard-IRQ context, irqsave lock
	 * held) no handler may run here, exactly as on a real CPU. */
	if (irq_running == irq || dmae__ctx.irqoff)
		return false;
	if (wait) {
		dmae_might_sleep();
		handler_lock(irq);
	} else if (!handler_trylock(irq)) {
		return false;
	}
	/*
	 * The handler's run consumes a raise that is pending now; a later one
	 * re-runs.  A part of its work may not have looked where the raise was
	 * for: it consumes none.
	 */
	if (!fn)
		irq_consume_pending(irq);
	irq_run(irq, fn, arg);
	handler_unlock(irq);
	return true;
}

bool dmae_irq_poll(struct dmae_irq *irq, bool wait)
{
	return dmae__irq_poll_fn(irq, wait, NULL, NULL);
}

void dmae_irq_synchronize(struct dmae_irq *irq)
{
	dmae_might_sleep();
	if (irq_running == irq)
		return;
	handler_lock(irq);
	handler_unlock(irq);
}

uint64_t dmae_irq_count(const struct dmae_irq *irq)
{
	return atomic_load_explicit(&irq->count, memory_order_relaxed);
}
