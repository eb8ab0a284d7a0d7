/* SPDX-License-Identifier: MIT */
/*
 * os/os.h - the seam between the portable core and an OS port.
 *
 * Internal; never installed.  The core includes no OS header: everything
 * it needs from the platform is declared here and implemented under
 * src/os/<port>/.  The dependency is one way: a port includes this file,
 * its platform's headers and nothing else of dmae (dmae/ostypes.h, which
 * this file includes, holds plain data types only).  docs/porting.md
 * describes every function with its contexts, for writing a new port.
 *
 * A port provides: library threads and their start/stop (init/exit),
 * time, sleeping waits on an address, threads, symbolizing a code address,
 * interrupt lines, and the BH and task runners.  The core keeps the
 * per-thread context state (hard-IRQ, BH, spinlocks, masked IRQs): the
 * port reports what it runs through the hooks at the end of this file and
 * through the entry function of each interrupt line.
 */
#ifndef DMAE_OS_OS_H
#define DMAE_OS_OS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dmae/ostypes.h>

/*
 * The port's inline part, from its own directory (src/os/<port>/ is on the
 * include path of a build for that port).  It defines:
 *
 *   DMAE_OS_THREAD_LOCAL   the storage class of the core's per-thread
 *                          state: _Thread_local where there are threads;
 *                          nothing on a single CPU without them, where the
 *                          "thread" is the CPU and its exceptions nest
 *   dmae_os_local_irq_disable() / dmae_os_local_irq_enable()
 *                          called when the core's local IRQ mask of this
 *                          thread goes from 0 to 1 / back to 0: where
 *                          interrupts preempt the thread that masks them
 *                          (a real CPU), they mask them; where interrupt
 *                          lines are threads of their own (POSIX), they
 *                          do nothing.  Any context.
 */
#include "os_port.h"

#define DMAE_OS_FOREVER UINT64_MAX

/* ---- the library's threads ------------------------------------------------ */

/*
 * Start the BH and task runners.  Task context, once per dmae_init() that
 * starts the library.  0, -ENOMEM or -EAGAIN.
 */
int dmae_os_init(void);
/* Stop them (their queues are empty).  Task context. */
void dmae_os_exit(void);

/* ---- time and scheduling ----------------------------------------------------- */

/* Monotonic nanoseconds.  Any context. */
uint64_t dmae_os_time_ns(void);
/* Sleep at least ns.  Task context. */
void dmae_os_sleep_ns(uint64_t ns);
/* Let another thread run; never sleeps.  Any context. */
void dmae_os_yield(void);

/* A spin-wait hint.  Any context. */
static inline void dmae_os_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * Sleep while *addr == expected, at most timeout_ns (DMAE_OS_FOREVER).
 * May return early for no reason: callers re-check.  Returns 0 or
 * -ETIMEDOUT.  Task context.  dmae_os_wake() (any context) may be given
 * the address of memory that has been freed since; it only uses the
 * address as a key.
 */
int dmae_os_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns);
void dmae_os_wake(atomic_uint *addr, int nwaiters);

/* ---- threads --------------------------------------------------------------------- */

struct dmae_os_thread;
/*
 * Start fn(arg) on a new thread named name (at most 15 characters kept),
 * in task context; the thread calls dmae__ctx_thread_init(name) first.
 * Task context.  0, -ENOMEM or -EAGAIN.
 */
int dmae_os_thread_start(struct dmae_os_thread **out, const char *name,
			 void (*fn)(void *arg), void *arg);
/* Wait for the thread's function to return, then free it.  Task context. */
void dmae_os_thread_join(struct dmae_os_thread *t);
/*
 * The platform's name of the calling thread (a NUL-terminated string of
 * at most len - 1 characters, "" if it has none), for a thread that dmae
 * did not start or name: a hardware model's, the application's.  Any
 * context.
 */
void dmae_os_thread_name(char *buf, size_t len);

/* "symbol+0x12 (object)" for a code address, best effort.  Any context. */
void dmae_os_symbolize(const void *addr, char *buf, size_t len);

/* ---- interrupt lines ----------------------------------------------------------------- */

/*
 * A line: something that can be raised from any context and then runs the
 * core's entry function in hard-IRQ context, never twice at once (the
 * handler lock).  The port owns struct dmae_os_irq; the core owns what the
 * entry runs (struct dmae_irq in src/core/irq.c).
 *
 * entry(owner, part) is called by the port with the handler lock held;
 * part is the value given to the poll that runs it (NULL for a raise).
 * The core's entry enters hard-IRQ context, runs the handler (or the part
 * of its work that part names), runs the hard-IRQ callbacks and leaves.
 * Afterwards, still on that thread and in the order they were scheduled,
 * the port runs the BHs that entry scheduled there (a budget of them; the
 * rest go to the BH runner), in BH context (dmae__ctx_bh_enter/exit).
 */
struct dmae_os_irq;
typedef void (*dmae_os_irq_entry_fn)(void *owner, void *part);

/*
 * Create a line.  hwirq < 0: a software line, raised only by
 * dmae_os_irq_raise() (on POSIX a thread standing for the CPU it is routed
 * to; on a CPU, an interrupt the port picks and pends).  hwirq >= 0: the
 * hardware interrupt of that number as the platform numbers it (an NVIC
 * line on Cortex-M), which also runs entry when the device asserts it.
 * Task context.  0, -ENOMEM, -EAGAIN, -EBUSY (hwirq taken), -EINVAL
 * (hwirq out of range) or -EOPNOTSUPP (a port without hardware
 * interrupts).
 */
int dmae_os_irq_create(const char *name, int hwirq, dmae_os_irq_entry_fn entry,
		       void *owner, struct dmae_os_irq **out);
/* Stop and free it; waits for a running entry.  Task context. */
void dmae_os_irq_destroy(struct dmae_os_irq *line);
/*
 * Assert the line: entry runs once after this, on the line's own context.
 * A raise while entry runs or the line is masked is remembered, never
 * lost; raises before entry runs coalesce.  Any context.
 */
void dmae_os_irq_raise(struct dmae_os_irq *line);
/*
 * Run entry(owner, part) now on the calling thread, as an interrupt taken
 * here, then the BHs it scheduled here.  False, with nothing run, if the
 * line is masked, its entry runs elsewhere, or this thread is inside a
 * line's entry already.  A NULL part consumes a pending raise.  Called by
 * the core only where the calling thread may take an interrupt (task
 * context, no spinlock held, IRQs unmasked).
 */
bool dmae_os_irq_take_local(struct dmae_os_irq *line, void *part);
/*
 * Run entry(owner, part) now on the calling thread, serialised with the
 * line's own runs; no BHs are run here (they go to the BH runner).  If
 * entry runs elsewhere: wait for it when wait (task context), else return
 * false.  False also when this thread is inside this line's entry.  A
 * NULL part consumes a pending raise.  Called by the core only where the
 * calling thread's IRQs are not masked.
 */
bool dmae_os_irq_poll(struct dmae_os_irq *line, bool wait, void *part);
/* Mask (nestable) / unmask.  Any context.  Unmask: 0, or -EINVAL if the
 * line is not masked (nothing changes). */
void dmae_os_irq_mask(struct dmae_os_irq *line);
int dmae_os_irq_unmask(struct dmae_os_irq *line);
/* Wait until entry runs nowhere (returns at once inside it).  Task context. */
void dmae_os_irq_synchronize(struct dmae_os_irq *line);

/* ---- the BH runner --------------------------------------------------------------------- */

/*
 * Queue bh to run in BH context: on this thread when the entry or BH it
 * is called from returns, if it is called from a line's entry or a BH
 * that the port runs there; else on the BH runner.  A BH never runs
 * concurrently with itself; scheduling it while it runs makes it run once
 * more.  Any context.
 */
void dmae_os_bh_schedule(struct dmae__bh *bh);
/* Wait until bh is neither scheduled nor running.  Task context. */
void dmae_os_bh_kill(struct dmae__bh *bh);
/*
 * Scheduled and not yet picked by a runner (a runner clears the mark
 * before it calls the function)?  A relaxed snapshot, so it may be stale;
 * see vchan_kick() for when that is enough.  Any context.
 */
bool dmae_os_bh_is_scheduled(const struct dmae__bh *bh);

/* ---- the task runner ----------------------------------------------------------------------- */

/*
 * Queue w to run w->fn(w) in task context on a runner thread.  Never runs
 * concurrently with itself; queueing it while it runs makes it run once
 * more.  Any context.  False if it was queued already.  w->fn is set by
 * the core; the other fields are the runner's (zero: idle).
 */
bool dmae_os_work_queue(struct dmae_work *w);
/* Unqueue w and wait for a running instance (not when called from w
 * itself).  Task context.  True if it was queued. */
bool dmae_os_work_cancel_sync(struct dmae_work *w);
/* Wait until w is neither queued nor running.  Task context.  0, or
 * -EDEADLK (nothing waited for) when called from w itself. */
int dmae_os_work_flush(struct dmae_work *w);
/* The work item the calling thread runs, or NULL.  Any context. */
struct dmae_work *dmae_os_work_current(void);
/* Queued and not yet picked?  A relaxed snapshot.  Any context. */
bool dmae_os_work_is_pending(const struct dmae_work *w);
/*
 * Queue w to run once delay_ns has passed (a timer).  Any context.  False,
 * with nothing changed, if it is queued already, with or without a delay.
 * dmae_work_queue() on a delayed item makes it runnable at once;
 * dmae_work_cancel_sync() cancels the delay.
 */
bool dmae_os_work_queue_after(struct dmae_work *w, uint64_t delay_ns);

/* ---- hooks the core implements for the port ---------------------------------------------- */

/* First call on every thread the port starts (task context). */
void dmae__ctx_thread_init(const char *name);
/* Around each BH function the port runs: the thread is in BH context. */
void dmae__ctx_bh_enter(void);
void dmae__ctx_bh_exit(void);

#endif /* DMAE_OS_OS_H */
