/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts, the sleeping-call checker, spinlocks, mutexes and
 * completion objects.  Portable: blocking goes through dmae_os_wait().
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

DMAE_OS_THREAD_LOCAL struct dmae__ctx_state dmae__ctx;

/* ---- context queries ------------------------------------------------------ */

enum dmae_ctx dmae_ctx_current(void)
{
	if (dmae__ctx.hardirq)
		return DMAE_CTX_HARDIRQ;
	if (dmae__ctx.bh)
		return DMAE_CTX_BH;
	return DMAE_CTX_TASK;
}

const char *dmae_ctx_to_string(enum dmae_ctx ctx)
{
	switch (ctx) {
	case DMAE_CTX_TASK:
		return "task";
	case DMAE_CTX_BH:
		return "BH";
	case DMAE_CTX_HARDIRQ:
		return "hard-IRQ";
	}
	return "?";
}

bool dmae_in_irq(void)
{
	return dmae__ctx.hardirq != 0;
}

bool dmae_in_bh(void)
{
	return dmae__ctx.bh != 0 && dmae__ctx.hardirq == 0;
}

bool dmae_in_atomic(void)
{
	return dmae__ctx.hardirq || dmae__ctx.bh || dmae__ctx.spin ||
	       dmae__ctx.irqoff;
}

const char *dmae_ctx_describe(void)
{
	if (dmae__ctx.hardirq)
		return "hard-IRQ";
	if (dmae__ctx.bh)
		return "BH";
	if (dmae__ctx.spin)
		return "atomic (spinlock held)";
	if (dmae__ctx.irqoff)
		return "atomic (IRQs masked)";
	return "task";
}

/* ---- hooks for the OS port (os/os.h) -------------------------------------- */

void dmae__ctx_thread_init(const char *name)
{
	dmae_thread_set_name(name);
}

void dmae__ctx_bh_enter(void)
{
	dmae__ctx.bh++;
}

void dmae__ctx_bh_exit(void)
{
	dmae__ctx.bh--;
}

/* A thread dmae did not name goes by the platform's name for it. */
const char *dmae_thread_name(void)
{
	if (!dmae__ctx.name[0])
		dmae_os_thread_name(dmae__ctx.name, sizeof(dmae__ctx.name));
	return dmae__ctx.name[0] ? dmae__ctx.name : "task";
}

void dmae_thread_set_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n >= sizeof(dmae__ctx.name))
		n = sizeof(dmae__ctx.name) - 1;
	if (n)
		memcpy(dmae__ctx.name, name, n);
	dmae__ctx.name[n] = '\0';
}

/* ---- sleeping-call checker --------------------------------------------------- */

static _Atomic(dmae_sleep_report_fn) sleep_report_hook;

dmae_sleep_report_fn dmae_sleep_report_set_hook(dmae_sleep_report_fn fn)
{
	return atomic_exchange(&sleep_report_hook, fn);
}

bool dmae_debug_enabled(void)
{
#ifdef DMAE_DEBUG
	return true;
#else
	return false;
#endif
}

void dmae__might_sleep(const char *func, const char *file, int line,
		       const void *caller)
{
	struct dmae_sleep_report r;
	dmae_sleep_report_fn hook;
	char sym[160];

	if (!dmae_in_atomic())
		return;

	r.func = func;
	r.file = file;
	r.line = line;
	r.caller = caller;
	r.ctx = dmae_ctx_describe();
	r.thread = dmae_thread_name();

	dmae_os_symbolize(caller, sym, sizeof(sym));
	dmae_err("BUG: sleeping function called from %s context: %s() at %s:%d, "
		 "called from %s, thread %s (hardirq=%u bh=%u spinlocks=%u irqoff=%u)",
		 r.ctx, func, file, line, sym, r.thread, dmae__ctx.hardirq,
		 dmae__ctx.bh, dmae__ctx.spin, dmae__ctx.irqoff);

	hook = atomic_load(&sleep_report_hook);
	if (hook) {
		hook(&r);
		return;
	}
	abort();
}

/* ---- spinlocks ------------------------------------------------------------------ */

/*
 * Test-and-test-and-set.  User space cannot disable preemption, so a
 * waiter yields after a short spin instead of burning a descheduled
 * holder's time slice.
 */
void dmae_spin_init(dmae_spinlock_t *l)
{
	atomic_init(&l->locked, 0);
}

/* The lock was taken when we tried: wait for it (spin, then yield). */
void dmae__spin_lock_wait(dmae_spinlock_t *l)
{
	unsigned int spins = 0;

	do {
		while (atomic_load_explicit(&l->locked, memory_order_relaxed)) {
			if (++spins < 128)
				dmae_os_cpu_relax();
			else
				dmae_os_yield();
		}
	} while (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire));
}

void dmae_spin_lock(dmae_spinlock_t *l)
{
	dmae__spin_lock(l);
}

bool dmae_spin_trylock(dmae_spinlock_t *l)
{
	dmae__ctx.spin++;
	if (!atomic_load_explicit(&l->locked, memory_order_relaxed) &&
	    !atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
		return true;
	dmae__ctx.spin--;
	return false;
}

void dmae_spin_unlock(dmae_spinlock_t *l)
{
	dmae__spin_unlock(l);
}

void dmae_local_irq_save(dmae_irqflags_t *flags)
{
	dmae__irq_save(flags);
}

void dmae_local_irq_restore(dmae_irqflags_t flags)
{
	dmae__irq_restore(flags);
}

void dmae_spin_lock_irqsave(dmae_spinlock_t *l, dmae_irqflags_t *flags)
{
	dmae_local_irq_save(flags);
	dmae_spin_lock(l);
}

void dmae_spin_unlock_irqrestore(dmae_spinlock_t *l, dmae_irqflags_t flags)
{
	dmae_spin_unlock(l);
	dmae_local_irq_restore(flags);
}

/* ---- mutexes ---------------------------------------------------------------------- */

/* state: 0 unlocked, 1 locked, 2 locked and someone may be waiting. */
void dmae_mutex_init(struct dmae_mutex *m)
{
	atomic_init(&m->state, 0);
}

bool dmae_mutex_trylock(struct dmae_mutex *m)
{
	unsigned int expected = 0;

	return atomic_compare_exchange_strong_explicit(&m->state, &expected, 1,
						       memory_order_acquire,
						       memory_order_relaxed);
}

void dmae_mutex_lock(struct dmae_mutex *m)
{
	dmae_might_sleep();
	if (dmae_mutex_trylock(m))
		return;
	while (atomic_exchange_explicit(&m->state, 2, memory_order_acquire) != 0)
		dmae_os_wait(&m->state, 2, DMAE_OS_FOREVER);
}

void dmae_mutex_unlock(struct dmae_mutex *m)
{
	if (atomic_exchange_explicit(&m->state, 0, memory_order_release) == 2)
		dmae_os_wake(&m->state, 1);
}

/* ---- completion objects ------------------------------------------------------------ */

/*
 * One word holds the unconsumed signals (low 24 bits, all ones meaning
 * "done for everybody") and the number of waiters (high 8 bits), so that
 * a signaller touches the object with a single atomic operation: once it
 * has signalled, the waiter may free the completion, and the wake-up only
 * uses its address.
 */
#define COMP_COUNT_MASK 0x00ffffffu
#define COMP_ALL COMP_COUNT_MASK
#define COMP_WAITER (1u << 24)

void dmae_completion_init(struct dmae_completion *c)
{
	atomic_init(&c->state, 0);
}

void dmae_completion_reinit(struct dmae_completion *c)
{
	atomic_store(&c->state, 0);
}

void dmae_completion_done(struct dmae_completion *c)
{
	unsigned int old = atomic_load_explicit(&c->state, memory_order_relaxed);
	unsigned int next;

	do {
		if ((old & COMP_COUNT_MASK) >= COMP_ALL - 1)
			next = old | COMP_ALL;	/* saturate: everybody */
		else
			next = old + 1;
	} while (!atomic_compare_exchange_weak_explicit(&c->state, &old, next,
							memory_order_seq_cst,
							memory_order_relaxed));
	if (old & ~COMP_COUNT_MASK)
		dmae_os_wake(&c->state, INT_MAX);
}

void dmae_completion_done_all(struct dmae_completion *c)
{
	unsigned int old = atomic_fetch_or(&c->state, COMP_ALL);

	if (old & ~COMP_COUNT_MASK)
		dmae_os_wake(&c->state, INT_MAX);
}

/* Consume a signal; 'unregister' also drops one waiter count. */
static bool completion_consume(struct dmae_completion *c, bool unregister)
{
	unsigned int old = atomic_load_explicit(&c->state, memory_order_relaxed);
	unsigned int next;

	do {
		unsigned int count = old & COMP_COUNT_MASK;

		if (!count)
			return false;
		next = old;
		if (count != COMP_ALL)
			next--;
		if (unregister)
			next -= COMP_WAITER;
	} while (!atomic_compare_exchange_weak_explicit(&c->state, &old, next,
							memory_order_acquire,
							memory_order_relaxed));
	return true;
}

bool dmae_completion_try(struct dmae_completion *c)
{
	return completion_consume(c, false);
}

static int completion_wait(struct dmae_completion *c, uint64_t timeout_ns)
{
	uint64_t deadline = 0;

	if (completion_consume(c, false))
		return 0;
	if (timeout_ns < (UINT64_C(1) << 62))
		deadline = dmae_os_time_ns() + timeout_ns;

	atomic_fetch_add(&c->state, COMP_WAITER);
	for (;;) {
		unsigned int v;
		uint64_t left = DMAE_OS_FOREVER;

		if (completion_consume(c, true))
			return 0;
		if (deadline) {
			uint64_t now = dmae_os_time_ns();

			if (now >= deadline) {
				atomic_fetch_sub(&c->state, COMP_WAITER);
				return -ETIMEDOUT;
			}
			left = deadline - now;
		}
		v = atomic_load(&c->state);
		if (!(v & COMP_COUNT_MASK))
			dmae_os_wait(&c->state, v, left);
	}
}

void dmae_completion_wait(struct dmae_completion *c)
{
	dmae_might_sleep();
	completion_wait(c, DMAE_OS_FOREVER);
}

int dmae_completion_wait_timeout(struct dmae_completion *c, uint64_t timeout_ns)
{
	dmae_might_sleep();
	return completion_wait(c, timeout_ns);
}

/* ---- task work: the port's task runner (os/os.h) ---------------------------------- */

void dmae_work_init(struct dmae_work *w, dmae_work_fn fn)
{
	w->fn = fn;
	w->next = NULL;
	w->due_ns = 0;
	atomic_init(&w->state, 0);
}

bool dmae_work_queue(struct dmae_work *w)
{
	return dmae_os_work_queue(w);
}

bool dmae_work_cancel_sync(struct dmae_work *w)
{
	dmae_might_sleep();
	return dmae_os_work_cancel_sync(w);
}

void dmae_work_flush(struct dmae_work *w)
{
	dmae_might_sleep();
	if (dmae_os_work_flush(w))
		dmae_err("dmae_work_flush: called from the work item itself");
}

struct dmae_work *dmae_work_current(void)
{
	return dmae_os_work_current();
}

/* ---- time -------------------------------------------------------------------------- */

uint64_t dmae_time_ns(void)
{
	return dmae_os_time_ns();
}

void dmae_sleep_ns(uint64_t ns)
{
	dmae_might_sleep();
	dmae_os_sleep_ns(ns);
}
