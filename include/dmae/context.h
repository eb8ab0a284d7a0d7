/* SPDX-License-Identifier: MIT */
/*
 * dmae/context.h - execution contexts, locks, completions, task work.
 *
 * Included by clients and providers (through dmae.h / provider.h).
 *
 * dmae code runs in one of these contexts, tracked per thread:
 *
 *   task      ordinary thread or workqueue item; may sleep
 *   BH        bottom half (softirq-like) after an IRQ handler; atomic
 *   hard-IRQ  an emulated interrupt handler; atomic, IRQs masked
 *   atomic    any of the above while a spinlock is held or the local
 *             emulated IRQ is masked
 *
 * Functions that can block call dmae_might_sleep().  In a debug build
 * (DMAE_DEBUG) a call from atomic context is reported with the function,
 * its caller and the context, and aborts.  See docs/contexts.md.
 */
#ifndef DMAE_CONTEXT_H
#define DMAE_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include <dmae/export.h>
#include <dmae/ostypes.h>

DMAE_BEGIN_DECLS

/* ---- context queries (any context) ---------------------------------- */

enum dmae_ctx {
	DMAE_CTX_TASK = 0,
	DMAE_CTX_BH,
	DMAE_CTX_HARDIRQ,
};

/* The innermost context of the calling thread. */
DMAE_API enum dmae_ctx dmae_ctx_current(void);
DMAE_API const char *dmae_ctx_to_string(enum dmae_ctx ctx);

/* True in hard-IRQ context. */
DMAE_API bool dmae_in_irq(void);
/* True in BH context (and not in hard-IRQ). */
DMAE_API bool dmae_in_bh(void);
/* True where sleeping is forbidden: IRQ, BH, spinlock held, IRQs masked. */
DMAE_API bool dmae_in_atomic(void);
/* "hard-IRQ", "BH", "atomic (spinlock held)" or "task": for log lines. */
DMAE_API const char *dmae_ctx_describe(void);
/*
 * Name of the calling thread ("irq/swdma0", "main"): the one dmae gave
 * it, else the platform's ("task" if neither).  Any context.
 */
DMAE_API const char *dmae_thread_name(void);
/* Name the calling thread for logs and reports (copied, 15 chars). */
DMAE_API void dmae_thread_set_name(const char *name);

/* ---- sleeping-call checker -------------------------------------------- */

/*
 * Called on entry by every function that may block.  Reports and aborts
 * when the caller is atomic (debug builds); compiles to nothing otherwise.
 */
DMAE_API void dmae__might_sleep(const char *func, const char *file, int line,
				const void *caller);
#ifdef DMAE_DEBUG
#define dmae_might_sleep()                                                    \
	dmae__might_sleep(__func__, __FILE__, __LINE__,                       \
			  __builtin_return_address(0))
#else
#define dmae_might_sleep() ((void)0)
#endif

/* What a report says; handed to a report hook (tests use one). */
struct dmae_sleep_report {
	const char *func;	/* the function that may sleep */
	const char *file;	/* where it checked */
	int line;
	const void *caller;	/* return address of its caller */
	const char *ctx;	/* dmae_ctx_describe() at the time */
	const char *thread;
};

typedef void (*dmae_sleep_report_fn)(const struct dmae_sleep_report *r);

/*
 * Replace the action taken on a report (default: log it and abort()).
 * NULL restores the default.  Returns the previous hook.  Context: any.
 */
DMAE_API dmae_sleep_report_fn dmae_sleep_report_set_hook(dmae_sleep_report_fn fn);

/* True when the library was built with the checker (DMAE_DEBUG).  Any context. */
DMAE_API bool dmae_debug_enabled(void);

/* ---- spinlocks (any context; the holder must not sleep) --------------- */

typedef struct dmae_spinlock {
	dmae_atomic_uint_t locked;
} dmae_spinlock_t;

#define DMAE_SPINLOCK_INIT { 0 }

/* The emulated IRQ mask state saved by the irqsave form. */
typedef unsigned long dmae_irqflags_t;

DMAE_API void dmae_spin_init(dmae_spinlock_t *l);
DMAE_API void dmae_spin_lock(dmae_spinlock_t *l);
DMAE_API bool dmae_spin_trylock(dmae_spinlock_t *l);
DMAE_API void dmae_spin_unlock(dmae_spinlock_t *l);
/*
 * Take the lock and mask the calling thread's emulated IRQ delivery.
 * Handlers run on their line's IRQ thread, which dispatches only with its
 * mask clear, and dmae_irq_poll() refuses to run a handler on a thread
 * whose mask is set: so an IRQ handler sharing the lock is never run on
 * this thread while it holds the lock, and the thread counts as atomic.
 */
DMAE_API void dmae_spin_lock_irqsave(dmae_spinlock_t *l, dmae_irqflags_t *flags);
DMAE_API void dmae_spin_unlock_irqrestore(dmae_spinlock_t *l, dmae_irqflags_t flags);

/* Mask / unmask the calling thread's emulated IRQs (nestable). */
DMAE_API void dmae_local_irq_save(dmae_irqflags_t *flags);
DMAE_API void dmae_local_irq_restore(dmae_irqflags_t flags);

/* ---- mutexes (task context only) -------------------------------------- */

struct dmae_mutex {
	dmae_atomic_uint_t state;	/* 0 free, 1 locked, 2 locked with waiters */
};

#define DMAE_MUTEX_INIT { 0 }

/* Any context (never sleeps). */
DMAE_API void dmae_mutex_init(struct dmae_mutex *m);
/* May sleep. */
DMAE_API void dmae_mutex_lock(struct dmae_mutex *m);
/* Any context (never sleeps). */
DMAE_API bool dmae_mutex_trylock(struct dmae_mutex *m);
/* Task context (the owner). */
DMAE_API void dmae_mutex_unlock(struct dmae_mutex *m);

/* ---- completion objects ---------------------------------------------- */

/*
 * A counting "done" event.  dmae_completion_done() never sleeps and may be
 * called from any context, including hard-IRQ; the waits may sleep.
 */
struct dmae_completion {
	/* bits 0-23: signals not consumed (all ones: done_all); 24-31: waiters */
	dmae_atomic_uint_t state;
};

#define DMAE_COMPLETION_INIT { 0 }

/* Any context. */
DMAE_API void dmae_completion_init(struct dmae_completion *c);
/* Forget past signals.  Task context, nobody waiting. */
DMAE_API void dmae_completion_reinit(struct dmae_completion *c);
/* Signal one waiter.  Any context. */
DMAE_API void dmae_completion_done(struct dmae_completion *c);
/* Release every present and future waiter.  Any context. */
DMAE_API void dmae_completion_done_all(struct dmae_completion *c);
/* Consume a signal if one is there.  Any context. */
DMAE_API bool dmae_completion_try(struct dmae_completion *c);
/* Wait for and consume a signal.  May sleep. */
DMAE_API void dmae_completion_wait(struct dmae_completion *c);
/* Same with a timeout: 0, or -ETIMEDOUT.  May sleep. */
DMAE_API int dmae_completion_wait_timeout(struct dmae_completion *c,
					  uint64_t timeout_ns);

/* ---- task work (the workqueue) ---------------------------------------- */

/*
 * A work item (struct dmae_work, defined in dmae/ostypes.h) runs fn on
 * one of the library's worker threads, in task context (it may sleep).
 * A work item never runs concurrently with itself; queueing it while it
 * runs makes it run once more afterwards.  Fields are private to the
 * workqueue.
 */

/* Any context, while the item is neither pending nor running. */
DMAE_API void dmae_work_init(struct dmae_work *w, dmae_work_fn fn);
/* Queue it.  Any context.  False if it was already pending. */
DMAE_API bool dmae_work_queue(struct dmae_work *w);
/* Unqueue it and wait for a running instance.  May sleep.  True if it was pending. */
DMAE_API bool dmae_work_cancel_sync(struct dmae_work *w);
/* Wait until it is neither pending nor running.  May sleep. */
DMAE_API void dmae_work_flush(struct dmae_work *w);
/* The work item the calling thread is running, or NULL.  Any context. */
DMAE_API struct dmae_work *dmae_work_current(void);

/* ---- time -------------------------------------------------------------- */

/* Monotonic nanoseconds.  Any context. */
DMAE_API uint64_t dmae_time_ns(void);
/* Sleep at least ns nanoseconds.  May sleep. */
DMAE_API void dmae_sleep_ns(uint64_t ns);

DMAE_END_DECLS

#endif /* DMAE_CONTEXT_H */
