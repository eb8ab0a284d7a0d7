/* SPDX-License-Identifier: MIT */
/*
 * POSIX port: interrupt lines.
 *
 * Each line has its own IRQ thread, standing for the CPU its interrupt is
 * routed to.  A raise sets PENDING in the line's state word and wakes the
 * thread if it sleeps; the thread clears PENDING and then runs the core's
 * entry, so a raise during the entry runs it once more and no raise is
 * ever lost.  The handler lock serialises the thread with polls and lets
 * dmae_os_irq_synchronize() wait for a running entry.  After the entry
 * (which runs the handler and the hard-IRQ callbacks in hard-IRQ context)
 * the thread runs the BHs the entry scheduled (like irq_exit), within a
 * budget.
 *
 * state word:  bit 0 PENDING, bit 1 SLEEPING, bit 2 STOP, bits 8.. mask depth
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "os/posix/posix.h"

#define IRQ_PENDING 1u
#define IRQ_SLEEPING 2u
#define IRQ_STOP 4u
#define IRQ_MASK_ONE 256u

struct dmae_os_irq {
	dmae_os_irq_entry_fn entry;
	void *owner;
	atomic_uint state;
	atomic_bool handler_busy;	/* the handler lock: see handler_trylock() */
	struct dmae_os_thread *thread;
	struct posix_bhq bhq;		/* owned by the IRQ thread */
};

/* The line whose entry the calling thread is running, if any. */
static _Thread_local struct dmae_os_irq *irq_running;

/*
 * The handler lock.  A client streaming bursts takes it twice per burst
 * (issue_pending and status poll the line), so it is a flag whose release
 * is a plain store, not a mutex whose unlock is a locked instruction.  It
 * is held for one entry run, which never sleeps: a waiter spins a little,
 * then yields.
 */
static bool handler_trylock(struct dmae_os_irq *irq)
{
	return !atomic_load_explicit(&irq->handler_busy, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&irq->handler_busy, true, memory_order_acquire);
}

static void handler_lock(struct dmae_os_irq *irq)
{
	unsigned int spins = 0;

	while (!handler_trylock(irq)) {
		if (++spins < 64)
			dmae_os_cpu_relax();
		else
			dmae_os_yield();
	}
}

static void handler_unlock(struct dmae_os_irq *irq)
{
	atomic_store_explicit(&irq->handler_busy, false, memory_order_release);
}

/* Handler lock held.  The core's entry: handler (or part), hard-IRQ callbacks. */
static void irq_run(struct dmae_os_irq *irq, void *part)
{
	posix_bh_local.nest++;
	irq_running = irq;
	irq->entry(irq->owner, part);
	irq_running = NULL;
	posix_bh_local.nest--;
}

static void irq_thread(void *p)
{
	struct dmae_os_irq *irq = p;

	posix_bh_local.q = &irq->bhq;
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
		irq_run(irq, NULL);
		handler_unlock(irq);
		posix_bh_run_local();
	}
	posix_bh_local.q = NULL;
}

/* A process has no hardware interrupts: only software lines. */
int dmae_os_irq_create(const char *name, int hwirq, dmae_os_irq_entry_fn entry,
		       void *owner, struct dmae_os_irq **out)
{
	struct dmae_os_irq *irq;
	char tname[16];
	int ret;

	if (hwirq >= 0)
		return -EOPNOTSUPP;
	irq = calloc(1, sizeof(*irq));
	if (!irq)
		return -ENOMEM;
	irq->entry = entry;
	irq->owner = owner;
	atomic_init(&irq->handler_busy, false);
	snprintf(tname, sizeof(tname), "irq/%s", name);
	ret = dmae_os_thread_start(&irq->thread, tname, irq_thread, irq);
	if (ret) {
		free(irq);
		return ret;
	}
	*out = irq;
	return 0;
}

void dmae_os_irq_destroy(struct dmae_os_irq *irq)
{
	atomic_fetch_or(&irq->state, IRQ_STOP);
	dmae_os_wake(&irq->state, 1);
	dmae_os_thread_join(irq->thread);
	free(irq);
}

/*
 * Only the raise that sets PENDING on a sleeping line wakes the thread:
 * the thread clears both bits together, so a raise that finds PENDING
 * already set is covered by the one that set it (and by the entry run
 * that follows, which clears PENDING before it looks at the device).
 * Hardware that raises once per batch would otherwise pay a futex wake
 * per batch while the thread is still waking up.
 */
void dmae_os_irq_raise(struct dmae_os_irq *irq)
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
static void irq_consume_pending(struct dmae_os_irq *irq)
{
	if (atomic_load_explicit(&irq->state, memory_order_relaxed) & IRQ_PENDING)
		atomic_fetch_and(&irq->state, ~IRQ_PENDING);
}

/*
 * The interrupt taken on the calling thread, as a CPU it is routed to
 * would: the entry, then the BHs it scheduled here (over budget, the rest
 * go to the BH thread).  The core has checked that this thread may take
 * an interrupt.
 */
bool dmae_os_irq_take_local(struct dmae_os_irq *irq, void *part)
{
	struct posix_bhq q = { NULL, NULL }, *saved = posix_bh_local.q;

	if (irq_running || atomic_load(&irq->state) >= IRQ_MASK_ONE || !handler_trylock(irq))
		return false;
	if (!part)	/* consumes a raise pending now, as a poll does */
		irq_consume_pending(irq);
	if (!saved)
		posix_bh_local.q = &q;
	irq_run(irq, part);
	handler_unlock(irq);
	posix_bh_run_local();
	posix_bh_local.q = saved;
	return true;
}

bool dmae_os_irq_poll(struct dmae_os_irq *irq, bool wait, void *part)
{
	if (irq_running == irq)
		return false;
	if (wait)
		handler_lock(irq);
	else if (!handler_trylock(irq))
		return false;
	/*
	 * The handler's run consumes a raise that is pending now; a later one
	 * re-runs.  A part of its work may not have looked where the raise was
	 * for: it consumes none.
	 */
	if (!part)
		irq_consume_pending(irq);
	irq_run(irq, part);
	handler_unlock(irq);
	return true;
}

void dmae_os_irq_mask(struct dmae_os_irq *irq)
{
	atomic_fetch_add(&irq->state, IRQ_MASK_ONE);
}

int dmae_os_irq_unmask(struct dmae_os_irq *irq)
{
	unsigned int old = atomic_fetch_sub(&irq->state, IRQ_MASK_ONE);

	if (old < IRQ_MASK_ONE) {
		atomic_fetch_add(&irq->state, IRQ_MASK_ONE);
		return -EINVAL;
	}
	if (old & IRQ_SLEEPING)
		dmae_os_wake(&irq->state, 1);
	return 0;
}

void dmae_os_irq_synchronize(struct dmae_os_irq *irq)
{
	if (irq_running == irq)
		return;
	handler_lock(irq);
	handler_unlock(irq);
}
