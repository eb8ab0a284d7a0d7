/* SPDX-License-Identifier: MIT */
/*
 * core/core.h - declarations shared inside the core.  Internal.
 */
#ifndef DMAE_CORE_CORE_H
#define DMAE_CORE_CORE_H

#include <stdarg.h>

#include <dmae/driver.h>

#include "os/os.h"

/* ---- per-thread context state ------------------------------------------ */

/*
 * Everything here is the calling thread's own: no lock.  The core writes
 * it; the OS port reports what it runs through the hooks of os/os.h
 * (dmae__ctx_bh_enter(), ...) and the entry of each interrupt line.
 */
struct dmae__ctx_state {
	unsigned int hardirq;		/* hard-IRQ nesting */
	unsigned int bh;		/* BH nesting */
	unsigned int spin;		/* spinlocks held */
	unsigned int irqoff;		/* local emulated IRQ mask depth */
	struct dmae_vchan *hardirq_pending;	/* vchans with hard-IRQ callbacks */
	char name[16];
};

extern DMAE_OS_THREAD_LOCAL struct dmae__ctx_state dmae__ctx;

/* Run the hard-IRQ callbacks the handler completed (src/core/vchan.c);
 * at the end of an interrupt line's run, still in hard-IRQ context. */
void dmae__hardirq_exit(void);

/* ---- interrupt lines (src/core/irq.c) ------------------------------------- */
/*
 * dmae_irq_poll() and dmae_irq_poll_local() running fn(arg) instead of the
 * line's handler: a part of the handler's work (a provider's poll op, one
 * channel), in the same context, serialised with the handler the same way,
 * and consuming no pending raise.  fn NULL: the line's handler, as those.
 */
bool dmae__irq_poll_fn(struct dmae_irq *irq, bool wait, dmae_irq_handler_fn fn, void *arg);
bool dmae__irq_poll_local_fn(struct dmae_irq *irq, dmae_irq_handler_fn fn, void *arg);

/*
 * Run irq's handler only while dev is ACTIVE (a provider with runtime PM);
 * NULL: always, and wait for a run in progress.  Task context.
 */
void dmae__irq_set_pm_dev(struct dmae_irq *irq, struct dmae_dev *dev);

/* ---- spinlocks, inlined on the core's hot paths ------------------------------ */
/*
 * The same operations as dmae_spin_lock_irqsave() / _unlock_irqrestore()
 * (which call these): prep, submit, issue and completion take the vchan
 * lock once per descriptor, and the call overhead was a measurable part
 * of the descriptor path (docs/performance.md).
 */
void dmae__spin_lock_wait(dmae_spinlock_t *l);

static inline void dmae__spin_lock(dmae_spinlock_t *l)
{
	dmae__ctx.spin++;
	if (__builtin_expect(atomic_exchange_explicit(&l->locked, 1, memory_order_acquire), 0))
		dmae__spin_lock_wait(l);
}

static inline void dmae__spin_unlock(dmae_spinlock_t *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
	dmae__ctx.spin--;
}

/*
 * The local IRQ mask: a depth per thread, which the checker reads.  The
 * port masks the CPU's interrupts at the outermost level (os/os.h), before
 * the depth says so: an interrupt taken between the two finds the depth
 * it would have found before, and restores it.
 */
static inline void dmae__irq_save(dmae_irqflags_t *f)
{
	if (!dmae__ctx.irqoff)
		dmae_os_local_irq_disable();
	*f = dmae__ctx.irqoff++;
}

static inline void dmae__irq_restore(dmae_irqflags_t f)
{
	dmae__ctx.irqoff = (unsigned int)f;
	if (!f)
		dmae_os_local_irq_enable();
}

static inline void dmae__vchan_lock(struct dmae_vchan *vc, dmae_irqflags_t *f)
{
	dmae__irq_save(f);
	dmae__spin_lock(&vc->lock);
}

static inline void dmae__vchan_unlock(struct dmae_vchan *vc, dmae_irqflags_t f)
{
	dmae__spin_unlock(&vc->lock);
	dmae__irq_restore(f);
}

/* ---- the driver API's logging, in the core's short spellings ----------- */

#define dmae_err dmae_log_err
#define dmae_warn dmae_log_warn
#define dmae_info dmae_log_info
#define dmae_dbg dmae_log_dbg

/*
 * Add to a channel statistic.  Every writer holds vc->lock, so a relaxed
 * load and store do (no locked read-modify-write on the hot path); readers
 * load them relaxed, without the lock.
 */
static inline void dmae__stat_add(atomic_uint_fast64_t *stat, uint64_t n)
{
	atomic_store_explicit(stat, atomic_load_explicit(stat, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* ---- allocation: the driver API's, in the core's short spellings -------- */

#define dmae__zalloc dmae_mem_zalloc
#define dmae__aligned_zalloc dmae_mem_zalloc_aligned
#define dmae__free dmae_mem_free
/* Number of dmae_mem_*alloc calls so far. */
uint64_t dmae__alloc_count(void);
/*
 * Tests: let the next n allocations succeed and fail every one after them
 * (NULL, as an exhausted heap); UINT64_MAX lets all succeed again.
 */
void dmae__alloc_fail_after(uint64_t n);

/* ---- registry (src/core/registry.c) ----------------------------------------- */

/* The registry lock: providers, channels' ownership, devices, routes. */
void dmae__registry_lock(void);
void dmae__registry_unlock(void);
/*
 * Lock the registry for public entry point fn, or return -EDEADLK (with a
 * log line) if this thread runs a request filter and so holds it already.
 */
int dmae__registry_enter(const char *fn);
bool dmae__initialised(void);
int dmae__registry_users(void);		/* dmae_init() references; lock held */

#define dmae__for_each_chan(p, c)                                             \
	for (struct dmae_list *c##_pos = (p)->chans.next;                     \
	     c##_pos != &(p)->chans &&                                        \
	     ((c) = dmae_container_of(c##_pos, struct dmae_chan, provider_node), 1); \
	     c##_pos = c##_pos->next)

/* The provider list; registry lock held. */
struct dmae_provider *dmae__provider_find(const char *name);
unsigned int dmae__provider_next_id(void);
void dmae__provider_add(struct dmae_provider *p);
void dmae__provider_del(struct dmae_provider *p);
/*
 * A hold on p ended, or its removal did: true if p is GONE and nothing
 * holds it any more, in which case it is now UNREGISTERED and the caller
 * must call dmae__provider_release(p) once it has dropped the lock.
 */
bool dmae__provider_put(struct dmae_provider *p);
/* The provider's DMA mappings go with it (src/core/dma.c). */
void dmae__dma_maps_free(struct dmae_provider *p);
/* Free what the core kept per channel, then ops->release.  Task context, no lock. */
void dmae__provider_release(struct dmae_provider *p);
/* Call the removal callback of every device holding a channel of p.  No lock held. */
void dmae__holders_notify(struct dmae_provider *p);

/*
 * chan->busy: a release or revocation runs without the registry lock.
 * wait_idle waits (lock held, dropped while sleeping) until it clears and
 * returns true if it had to wait; settle clears it and wakes the waiters.
 */
bool dmae__chan_wait_idle(struct dmae_chan *chan);
void dmae__chan_settle(struct dmae_chan *chan);

/*
 * May an op that touches the hardware run now?  On a provider with runtime
 * PM only while the channel's device is ACTIVE: a suspended channel is
 * idle, and its registers may be unclocked.  Takes a usage count that
 * dmae__chan_hw_put() drops.  Any context.
 */
static inline bool dmae__chan_hw_get(struct dmae_chan *chan)
{
	return !chan->pm || dmae_dev_pm_get_if_active(chan->dev) == 1;
}

static inline void dmae__chan_hw_put(struct dmae_chan *chan)
{
	if (chan->pm)
		dmae_dev_pm_put_autosuspend(chan->dev);
}

/* ---- channels (src/core/chan.c) ------------------------------------------ */

/* Held by a client and not revoked: calls on it may proceed.  Any context. */
static inline bool dmae__chan_live(const struct dmae_chan *chan)
{
	enum dmae_chan_state s = (enum dmae_chan_state)atomic_load_explicit(&chan->state,
									  memory_order_acquire);

	return s == DMAE_CHAN_EXCLUSIVE || s == DMAE_CHAN_PUBLIC;
}

/* Why a call on chan, found not live, is refused: logs, returns -EBADF or -ENODEV. */
int dmae__chan_refuse(const struct dmae_chan *chan, const char *fn);

/* Common checks of every call on a channel: return from the caller if it fails. */
#define DMAE__CHECK_CHAN(chan, fn)                                            \
	do {                                                                  \
		if (!(chan))                                                  \
			return dmae_fail(EINVAL, "%s: NULL channel", fn);     \
		if (!dmae__chan_live(chan))                                   \
			return dmae__chan_refuse(chan, fn);                   \
	} while (0)

/* Claim setup (registry lock held) and teardown (chan->busy set, no lock) of a
 * channel, revoked or not.  Task context. */
int dmae__chan_open(struct dmae_chan *chan, const struct dmae_chan_opts *opts);
void dmae__chan_close(struct dmae_chan *chan);
/*
 * Revoke a held channel (chan->busy set, no lock, task context): from now
 * on calls on it return -ENODEV; what was in flight completes aborted,
 * callbacks run once; the driver's synchronize and chan_free are called.
 */
void dmae__chan_revoke(struct dmae_chan *chan);

/* The fast path (src/core/fastpath.c).  At close: undo the implementation's
 * setup and leave functions that return -EBADF.  With the provider: free it. */
void dmae__fp_release(struct dmae_chan *chan);
void dmae__fp_destroy(struct dmae_chan *chan);

/* Test hook: make the next cookie value + 1 (no descriptor in flight). */
int dmae__chan_set_cookie(struct dmae_chan *chan, dmae_cookie_t value);

/* ---- pools (src/core/pool.c) ---------------------------------------------- */

int dmae__pool_create(struct dmae_chan *chan, uint32_t n);
int dmae__pool_grow(struct dmae_chan *chan, uint32_t n);
/* At release: every descriptor FREE, the pool empty, the chunks kept. */
void dmae__pool_retire(struct dmae_chan *chan);
/* With the provider: the chunks freed too. */
void dmae__pool_destroy(struct dmae_chan *chan);
/* Add to a count that has one writer at a time: no locked instruction. */
static inline void dmae__count_add(atomic_uint *c, unsigned int n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* dmae__pool_take() when the submitter's own stack cannot serve. */
struct dmae_desc *dmae__pool_take_locked(struct dmae_chan *chan);

/*
 * Take a free descriptor, or NULL when none.  The channel's one submitter
 * pops its own stack; anyone else, or an empty stack, takes vc->lock.
 * Inline: prep calls it once per descriptor.
 */
static inline struct dmae_desc *dmae__pool_take(struct dmae_chan *chan)
{
	struct dmae_desc *d = chan->pool_own;

	if (!d || !(chan->opts.flags & DMAE_CHAN_OPT_ONE_SUBMITTER))
		return dmae__pool_take_locked(chan);
	chan->pool_own = d->pool_next;
	dmae__count_add(&chan->pool_taken, 1);
	/*
	 * Ask now for lines that completion, on another CPU, wrote last:
	 * the next prep's descriptor and the lock that the issue after this
	 * prep takes.  They travel while the caller fills this descriptor.
	 */
	if (d->pool_next) {
		__builtin_prefetch(d->pool_next, 1);
		__builtin_prefetch((char *)d->pool_next + 64, 1);
	}
	__builtin_prefetch(&dmae_to_vchan(chan)->lock, 1);
	return d;
}

/*
 * Give a descriptor back.  vc->lock held.  A free descriptor has cb and
 * comp NULL (prep relies on it; see struct dmae_desc).
 */
static inline void dmae__pool_put(struct dmae_desc *d)
{
	struct dmae_chan *chan = d->chan;

	d->cb = NULL;
	d->comp = NULL;
	d->state = DMAE_DESC_FREE;
	d->pool_next = chan->pool_free_list;
	chan->pool_free_list = d;
	dmae__count_add(&chan->pool_returned, 1);
}
/* Descriptors free now (a snapshot).  Any context. */
uint32_t dmae__pool_free(const struct dmae_chan *chan);

/* ---- vchan (src/core/vchan.c) ----------------------------------------------- */

/* Give a finished descriptor back: reuse, park until acked, or pool.
 * Caller holds vc->lock. */
void dmae__desc_finish(struct dmae_desc *desc);
/* Make the queue hold n descriptors (the pool size).  Task context; the
 * channel's submitter is not running.  0 or -ENOMEM. */
int dmae__vchan_queue_reserve(struct dmae_vchan *vc, uint32_t n);
void dmae__vchan_queue_free(struct dmae_vchan *vc);
/* Issue everything submitted; returns how many that was.  vc->lock held. */
unsigned int dmae__vchan_issue(struct dmae_vchan *vc);
/* Move every in-flight descriptor, and every completed one whose callback
 * has not run, to vc->terminated.  Caller holds vc->lock.  Returns how many
 * had not completed (completed + terminated never exceeds submitted), and
 * in *newest the cookie of the newest of those (0 if none). */
unsigned int dmae__vchan_collect_terminated(struct dmae_vchan *vc, dmae_cookie_t *newest);
/*
 * Revocation, under vc->lock as an interrupt taken on this thread: mark the
 * channel REVOKED, stop the hardware (ops->terminate) and complete what is
 * queued with DMAE_RESULT_ABORTED.  Task context.
 */
void dmae__vchan_revoke(struct dmae_vchan *vc);
/* Release vc->terminated (synchronize).  Task context. */
void dmae__vchan_free_terminated(struct dmae_vchan *vc);
/* Find a submitted/issued/active descriptor by cookie.  Caller holds vc->lock. */
struct dmae_desc *dmae__vchan_find(struct dmae_vchan *vc, dmae_cookie_t cookie);

/*
 * The channel has no work left: drop the usage count the core took on its
 * device when work came (chan->pm_busy).  vc->lock held; any context.  A
 * branch on a false flag for providers without runtime PM.
 */
static inline void dmae__vchan_pm_idle(struct dmae_vchan *vc)
{
	struct dmae_chan *chan = &vc->chan;

	if (__builtin_expect(chan->pm_busy, 0) &&
	    vc->q_head == atomic_load_explicit(&vc->q_tail, memory_order_relaxed)) {
		chan->pm_busy = false;
		chan->pm_wait = false;
		dmae_dev_pm_put_autosuspend(chan->dev);
	}
}
/*
 * Fail what waits for the channel's resume (DMAE_RESULT_POWER_FAILED) and
 * drop its usage count; with timeout, only once it has waited
 * DMAE_PM_RESUME_TIMEOUT_NS.  Task context, no lock held.  False if
 * nothing failed.
 */
bool dmae__vchan_power_fail(struct dmae_vchan *vc, bool timeout);

/* ---- cookies (src/core/cookie.c) --------------------------------------------- */

enum dmae__cookie_class {
	DMAE__COOKIE_INVALID = 0,	/* never issued by this channel */
	DMAE__COOKIE_DONE,
	DMAE__COOKIE_PENDING,
};

/*
 * Does c look pending (completed_cookie < c <= last used)?  Without the
 * lock, so only a hint: completion moves on meanwhile.  Any context.
 */
bool dmae__cookie_maybe_pending(const struct dmae_chan *chan, dmae_cookie_t c);
/* Caller holds vc->lock. */
enum dmae__cookie_class dmae__cookie_classify(const struct dmae_chan *chan,
					      dmae_cookie_t c);
/* Is c in the inclusive modular range [lo, hi]? */
bool dmae__cookie_in_range(dmae_cookie_t c, dmae_cookie_t lo, dmae_cookie_t hi);

/* ---- submit: the cookie and the queue, inline for the descriptor path ------- */

static inline dmae_cookie_t dmae__cookie_next(dmae_cookie_t c)
{
	return c >= DMAE_COOKIE_MAX ? DMAE_COOKIE_MIN : c + 1;
}

/*
 * Give d the next cookie and append it to the queue.  Caller is the
 * channel's only submitter at this time: it holds vc->lock, or the channel
 * has DMAE_CHAN_OPT_ONE_SUBMITTER.  The release store of q_tail publishes
 * the slot and the descriptor to lock holders (see struct dmae_vchan).
 */
static inline dmae_cookie_t dmae__vchan_queue_add(struct dmae_vchan *vc, struct dmae_desc *d)
{
	struct dmae_chan *chan = &vc->chan;
	uint32_t tail = atomic_load_explicit(&vc->q_tail, memory_order_relaxed);
	dmae_cookie_t c = dmae__cookie_next(atomic_load_explicit(&chan->cookie,
								 memory_order_relaxed));

	if (c == DMAE_COOKIE_MIN)
		atomic_store_explicit(&chan->cookie_wrapped, true, memory_order_relaxed);
	atomic_store_explicit(&chan->cookie, c, memory_order_relaxed);
	d->cookie = c;
	d->done_ns = 0;
	d->state = DMAE_DESC_SUBMITTED;
	atomic_store_explicit(&vc->queue[tail & vc->queue_mask], d, memory_order_relaxed);
	atomic_store_explicit(&vc->q_tail, tail + 1, memory_order_release);
	dmae__stat_add(&chan->st_submitted, 1);
	return c;
}

#endif /* DMAE_CORE_CORE_H */
