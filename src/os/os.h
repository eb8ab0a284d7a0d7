/* SPDX-License-Identifier: MIT */
/*
 * os/os.h - the seam between the portable core and an OS port.
 *
 * Internal; never installed.  The core (src/core, src/providers) includes
 * no OS header: everything it needs from the platform is declared here and
 * implemented under src/os/<port>/.  The POSIX port (src/os/posix) also
 * implements the emulated IRQ lines, BH run queues and the workqueue
 * declared in the public headers, because on a real target those are the
 * platform's interrupt and thread machinery.
 */
#ifndef DMAE_OS_OS_H
#define DMAE_OS_OS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <dmae/provider.h>

#define DMAE_OS_FOREVER UINT64_MAX

/* Library threads (BH thread, workqueue).  Task context. */
int dmae_os_init(void);
void dmae_os_exit(void);

/* ---- time and scheduling ---------------------------------------------- */
uint64_t dmae_os_time_ns(void);
void dmae_os_sleep_ns(uint64_t ns);
void dmae_os_yield(void);

static inline void dmae_os_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * Sleep while *addr == expected, at most timeout_ns (DMAE_OS_FOREVER).
 * May return early for no reason: callers re-check.  Returns 0 or
 * -ETIMEDOUT.  dmae_os_wake() may be given the address of memory that has
 * been freed since; it only uses the address as a key.
 */
int dmae_os_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns);
void dmae_os_wake(atomic_uint *addr, int nwaiters);

/* ---- threads ------------------------------------------------------------- */
struct dmae_os_thread;
/* Start fn(arg) on a new thread named name (task context inside). */
int dmae_os_thread_start(struct dmae_os_thread **out, const char *name,
			 void (*fn)(void *arg), void *arg);
void dmae_os_thread_join(struct dmae_os_thread *t);

/* "symbol+0x12 (object)" for a code address, best effort. */
void dmae_os_symbolize(const void *addr, char *buf, size_t len);

/* ---- BH run queues --------------------------------------------------------- */
/*
 * Queue bh to run in BH context: on this IRQ thread when its handler
 * returns if called from there, else on the BH thread.  A BH never runs
 * concurrently with itself; scheduling it while it runs makes it run once
 * more.
 */
void dmae_os_bh_schedule(struct dmae__bh *bh);
/* Wait until bh is neither scheduled nor running.  Task context. */
void dmae_os_bh_kill(struct dmae__bh *bh);
/* Run BHs queued on this thread, within a budget (IRQ-exit path). */
void dmae_os_bh_run_local(void);
/*
 * Scheduled and not yet picked by a runner (a runner clears the mark
 * before it calls the function)?  A relaxed snapshot, so it may be stale;
 * see vchan_kick() for when that is enough.  Any context.
 */
bool dmae_os_bh_is_scheduled(const struct dmae__bh *bh);
/* The same for a work item: queued and not yet picked.  Any context. */
bool dmae_os_work_is_pending(const struct dmae_work *w);
/*
 * Queue w to run once delay_ns has passed (a timer).  Any context.  False,
 * with nothing changed, if it is queued already, with or without a delay.
 * dmae_work_queue() on a delayed item makes it runnable at once;
 * dmae_work_cancel_sync() cancels the delay.
 */
bool dmae_os_work_queue_after(struct dmae_work *w, uint64_t delay_ns);

/* ---- hooks the core implements for the port ---------------------------------- */
/* Called by the port right after an IRQ handler returns, still in hard-IRQ context. */
void dmae__hardirq_exit(void);

#endif /* DMAE_OS_OS_H */
