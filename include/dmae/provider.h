/* SPDX-License-Identifier: MIT */
/*
 * dmae/provider.h - the provider (controller driver) API.
 *
 * Included by providers only; clients never need it.  A provider fills a
 * struct dmae_provider with a static const ops table and its capabilities,
 * initialises one struct dmae_vchan per channel (dmae/vchan.h), requests
 * its interrupt line, and registers.  The core validates every client
 * argument and channel state before an op is called, so ops only deal
 * with hardware.  docs/provider.md walks through a complete driver, the
 * simulated controller's (src/providers/simdmac/simdmac.c).  Drivers
 * include dmae/driver.h, which includes this header.
 *
 * Structures here have a "driver" part, which the driver fills before
 * registration, and a "core" part, which only the core touches.
 */
#ifndef DMAE_PROVIDER_H
#define DMAE_PROVIDER_H

#include <dmae/context.h>
#include <dmae/dmae.h>
#include <dmae/list.h>
#include <dmae/types.h>

DMAE_BEGIN_DECLS

struct dmae_provider;
struct dmae_fp;
struct dmae__pool_chunk;
struct dmae__dma_maps;

/* ---- interrupt lines ----------------------------------------------------- */

struct dmae_irq;

enum dmae_irqreturn {
	DMAE_IRQ_NONE = 0,	/* not ours / nothing pending (spurious) */
	DMAE_IRQ_HANDLED,
};

/* Runs in hard-IRQ context; never concurrently with itself. */
typedef enum dmae_irqreturn (*dmae_irq_handler_fn)(void *arg);

/*
 * Request an interrupt line.  Each line has its own IRQ thread (one
 * emulated CPU per device): the handler runs there in hard-IRQ context,
 * then the hard-IRQ callbacks it completed, then BH work it scheduled.
 * Task context.  Returns 0, -EINVAL, -ENOMEM, -EAGAIN.
 */
DMAE_API int dmae_irq_request(const char *name, dmae_irq_handler_fn fn,
			      void *arg, struct dmae_irq **out);
/*
 * Request the hardware interrupt hwirq, as the platform numbers it (an
 * NVIC interrupt on Cortex-M: the exception number minus 16): the handler
 * runs in hard-IRQ context when the device asserts it (and on
 * dmae_irq_raise()), then the hard-IRQ callbacks it completed; the BH work
 * it scheduled runs after it.  Task context.  Returns 0, -EINVAL (NULL
 * argument, hwirq out of range), -EBUSY (hwirq requested already),
 * -ENOMEM, or -EOPNOTSUPP where the platform has no hardware interrupts
 * (a POSIX process).
 */
DMAE_API int dmae_irq_request_hw(const char *name, unsigned int hwirq,
				 dmae_irq_handler_fn fn, void *arg, struct dmae_irq **out);
/* Stop and free the line; waits for a running handler.  Task context. */
DMAE_API void dmae_irq_free(struct dmae_irq *irq);
/*
 * Assert the line (what the hardware does).  A raise while the handler
 * runs or while the line is masked is remembered, never lost; raises
 * before the handler runs coalesce into one call.  Any context.
 */
DMAE_API void dmae_irq_raise(struct dmae_irq *irq);
/*
 * Assert the line and take the interrupt on the calling thread, for a
 * device whose "hardware" runs on host threads (swdma's workers): the
 * handler runs here in hard-IRQ context, then its hard-IRQ callbacks,
 * then (within a budget) the BHs it scheduled; the rest go to the BH
 * thread.  Behaves as dmae_irq_raise() when this thread cannot take the
 * interrupt now (hard-IRQ or BH context, emulated IRQs masked, a spinlock
 * held), the line is masked, or the handler is running elsewhere.  Task
 * context with no lock held that the handler or a callback may take.
 */
DMAE_API void dmae_irq_raise_local(struct dmae_irq *irq);
/* Mask / unmask the line (nestable).  Any context. */
DMAE_API void dmae_irq_mask(struct dmae_irq *irq);
DMAE_API void dmae_irq_unmask(struct dmae_irq *irq);
/*
 * Run the handler now on the calling thread, in hard-IRQ context,
 * serialised with the IRQ thread (polled mode).  Any context; returns
 * false without running it if the calling thread has its emulated IRQs
 * masked (hard-IRQ context, an irqsave lock held) or runs this handler
 * already, or if the handler is busy on another thread and wait is false.
 */
DMAE_API bool dmae_irq_poll(struct dmae_irq *irq, bool wait);
/*
 * Look at the device now from the calling thread, as dmae_irq_raise_local()
 * takes an interrupt (handler, hard-IRQ callbacks, BHs on this thread),
 * but only if that is possible at once: returns false and runs nothing if
 * this thread cannot take an interrupt now, the line is masked or the
 * handler is running elsewhere.  Never raises, never waits.  The core
 * calls it from dmae_chan_issue_pending() (see dmae/dmae.h).  Any context.
 */
DMAE_API bool dmae_irq_poll_local(struct dmae_irq *irq);
/* Wait until the handler (and its callbacks) is not running.  Task context. */
DMAE_API void dmae_irq_synchronize(struct dmae_irq *irq);
/* Times the handler ran, for stats and tests.  Any context. */
DMAE_API uint64_t dmae_irq_count(const struct dmae_irq *irq);

/*
 * Bottom halves: struct dmae__bh (dmae/ostypes.h) is core-owned; drivers
 * use the per-channel helpers below.
 */

/* ---- descriptors -------------------------------------------------------- */

/*
 * Descriptor life cycle (enum dmae_desc_state):
 *
 *   FREE --prep--> PREPARED --submit--> SUBMITTED --issue, start_next--+
 *     ^  <--free--                    (on the queue)                  |
 *     |                                                               v
 *     +-- finish --- CALLBACK <----------- complete ---------------- ACTIVE
 *                    (callback pending; none: finished at once)
 *
 *   A SUBMITTED descriptor is issued once issue_pending has passed its
 *   place on the channel's queue (struct dmae_vchan); the descriptor
 *   itself is not touched for that.
 *
 *   SUBMITTED, ACTIVE, CALLBACK --terminate--> TERMINATED
 *   TERMINATED --synchronize--> finished, without its callback
 *
 * Finishing (src/core/vchan.c dmae__desc_finish): a DMAE_PREP_REUSE
 * descriptor becomes PREPARED again; an acknowledged one (DMAE_PREP_ACK or
 * dmae_desc_ack()) goes back to the pool, FREE; any other waits in DONE
 * until dmae_desc_ack() frees it.
 */
enum dmae_desc_state {
	DMAE_DESC_FREE = 0,
	DMAE_DESC_PREPARED,
	DMAE_DESC_SUBMITTED,	/* on the queue: submitted or issued */
	DMAE_DESC_ACTIVE,
	DMAE_DESC_CALLBACK,	/* complete, callback pending */
	DMAE_DESC_DONE,		/* complete, waiting for dmae_desc_ack() */
	DMAE_DESC_TERMINATED,
};

DMAE_API const char *dmae_desc_state_to_string(enum dmae_desc_state s);

/*
 * The core part of a descriptor.  A driver's descriptor embeds it as its
 * first member and may end in a flexible array of hardware segments; the
 * pool reserves provider->desc_size bytes per descriptor, 64-byte aligned.
 *
 * Laid out by use: the first cache line holds what prep, submit, issue
 * and completion all touch, the second the completion routing and the
 * result, the third the slave/cyclic capture, and a driver's own fields
 * follow in the rest of that line.  With a queue of a thousand in flight
 * every line a descriptor spreads over is a cache miss on each pass
 * (docs/performance.md).
 */
struct dmae_desc {
	/* line 0 */
	union {
		struct dmae_list node;		/* on one vchan list; vc->lock */
		struct dmae_desc *pool_next;	/* FREE: the pool's free list; vc->lock */
	};
	struct dmae_chan *chan;
	enum dmae_desc_state state;	/* vc->lock once submitted */
	enum dmae_op op;
	unsigned int flags;		/* DMAE_PREP_*; dmae_desc_ack() adds DMAE_PREP_ACK */
	dmae_cookie_t cookie;		/* set by submit */
	uint64_t len;			/* bytes the transfer moves (cyclic: buffer) */
	uint64_t done_ns;		/* driver: when the hardware finished; 0: now */
	enum dmae_dir dir;

	/*
	 * line 1: completion routing, set by the client before submit.  cb
	 * and comp are NULL in a free descriptor (the pool clears them), so
	 * a descriptor without either is never written on this line before
	 * it completes: prep and a polled client's completion skip it.
	 */
	dmae_callback_fn cb;
	void *cb_arg;
	struct dmae_completion *comp;
	struct dmae_result *comp_res;
	struct dmae_result result;	/* set on completion */
	enum dmae_cb_ctx cb_ctx;

	/* line 2: slave and cyclic transfers, captured at prep */
	uint64_t period_len;		/* cyclic */
	struct dmae_slave_config cfg;
};

/* ---- channels ----------------------------------------------------------- */

/* The core part of a channel; embedded in struct dmae_vchan. */
struct dmae_chan {
	/* driver, through dmae_vchan_init() */
	struct dmae_provider *provider;
	unsigned int index;		/* within the provider */

	/* core */
	char name[32];			/* "dma<provider id>chan<index>" */
	struct dmae_list provider_node;	/* provider->chans; registry lock */
	/*
	 * enum dmae_chan_state (src/core/registry.c has the diagram).
	 * Written under the registry lock, and under vc->lock too when it
	 * becomes REVOKED, so a call that checks it under vc->lock never
	 * starts hardware for a revoked channel.  Read by every call.
	 */
	atomic_int state;
	struct dmae_dev *owner;		/* exclusive owner; registry lock */
	bool busy;			/* a release or revocation runs; registry lock */
	bool pm;			/* provider->pm, here where every call looks */
	uint32_t users;			/* holders; registry lock */

	struct dmae_chan_opts opts;
	dmae_cookie_t first_cookie;	/* first assigned since request; vc->lock */

	/*
	 * Descriptor pool (src/core/pool.c): a LIFO free list under the
	 * channel's vchan lock, which completion holds anyway.  A channel
	 * with one submitter (DMAE_CHAN_OPT_ONE_SUBMITTER) also has a stack
	 * of its own that prep pops without the lock, refilled with the whole
	 * shared list under it.
	 */
	uint32_t pool_size;		/* vc->lock */
	size_t desc_stride;
	/* kept from one holder to the next; task context, registry lock */
	struct dmae__pool_chunk *pool_chunks;
	uint32_t pool_nchunks;
	uint32_t pool_cap;		/* descriptors in the chunks */

	/* default slave configuration: protected by cfg_lock */
	dmae_spinlock_t cfg_lock;
	struct dmae_slave_config slave_cfg;

	/*
	 * What the submitter writes, on a line of its own: completion may
	 * run on another CPU (swdma's workers, the IRQ thread) and writes the
	 * line below once per batch, the submitter this one per descriptor.
	 *
	 * Cookies (src/core/cookie.c).  cookie and cookie_wrapped are written
	 * by the submitter (see struct dmae_vchan's q_tail), completed_cookie
	 * and the error range under vc->lock; all are read under vc->lock, and
	 * cookie and completed_cookie also without it, relaxed, for
	 * dmae_chan_status()'s "is it pending?" hint.  Statistics are relaxed
	 * atomics, each with one writer at a time.
	 */
	_Alignas(64) _Atomic dmae_cookie_t cookie;	/* last assigned */
	atomic_bool cookie_wrapped;
	struct dmae_desc *pool_own;	/* the one submitter's */
	atomic_uint pool_taken;		/* written by prep (the submitter) */
	atomic_uint_fast64_t st_submitted;

	/* What completion writes, under vc->lock. */
	_Alignas(64) _Atomic dmae_cookie_t completed_cookie;	/* last completed or terminated */
	dmae_cookie_t err_lo;		/* most recent failed/terminated run, */
	dmae_cookie_t err_hi;		/* inclusive; 0 when none */
	uint64_t last_done_ns;		/* engine timestamp of completed_cookie */
	struct dmae_desc *pool_free_list;
	atomic_uint pool_returned;
	bool pm_busy;			/* runtime PM, see below */
	bool pm_wait;
	atomic_uint_fast64_t st_completed;
	atomic_uint_fast64_t st_errors;
	atomic_uint_fast64_t st_terminated;
	atomic_uint_fast64_t st_bytes;

	/* per-channel bottom half, core-owned: see dmae_chan_bh_*() */
	struct dmae__bh bh;
	void (*bh_fn)(struct dmae_chan *chan);

	/*
	 * Fast path (dmae/fastpath.h): allocated by the first
	 * dmae_chan_fp_get(), reset at release to functions that return -EBADF,
	 * freed with the provider.  Task context, registry lock.
	 */
	struct dmae_fp *fp;
	bool fp_live;			/* fp is set up for the current holder */

	/*
	 * Runtime PM: the channel's device, a child of the provider's.  With
	 * pm the core holds a usage count on it while the channel has work
	 * (pm_busy, above on completion's line: from issue to idle) and
	 * starts issued work only once it is ACTIVE (pm_wait: issued work
	 * waits for the resume).  pm_busy, pm_wait, pm_wait_ns: vc->lock.
	 */
	struct dmae_dev *dev;
	uint64_t pm_wait_ns;		/* when it began waiting; vc->lock */
	struct dmae_work pm_watchdog;	/* fails work that waits too long */
	struct dmae_dev_link *hold_link;	/* the request's link; registry lock */
};

/*
 * Per-channel BH helpers, the only way to defer work to BH context.  On a
 * virt channel (every channel built with dmae_vchan_init) the BH is the
 * callback runner the vchan layer installs: drivers schedule nothing on
 * it themselves; they report completions and the core defers.
 */
/* Set the function the channel's BH runs.  Task context, before use. */
DMAE_API void dmae_chan_bh_init(struct dmae_chan *chan,
				void (*fn)(struct dmae_chan *chan));
/*
 * Schedule the BH: from hard-IRQ it runs when the handler returns, on the
 * same thread; otherwise on the BH thread.  Any context.
 */
DMAE_API void dmae_chan_bh_schedule(struct dmae_chan *chan);
/* Wait until the BH is neither scheduled nor running.  Task context. */
DMAE_API void dmae_chan_bh_kill(struct dmae_chan *chan);

/* ---- the ops table -------------------------------------------------------- */

/*
 * "caller holds vc->lock" ops are called by the core with the channel's
 * vchan lock held (IRQs masked): atomic context, never sleep.
 */
struct dmae_provider_ops {
	/*
	 * sizeof(struct dmae_provider_ops) the driver was built against.  Ops
	 * are only ever appended: a table from an older, smaller header is
	 * accepted (as far as the mandatory ops) and the ops it lacks are NULL.
	 */
	size_t size;

	/* optional; task context; at request / release of a channel */
	int (*chan_alloc)(struct dmae_chan *chan);
	void (*chan_free)(struct dmae_chan *chan);

	/*
	 * Fill the driver part of desc (core part already set: state, op,
	 * flags, len, dir; the cookie is set by submit).  Mandatory for
	 * every operation in caps.ops.  Atomic context; no lock held;
	 * arguments already validated against caps.
	 */
	int (*prep_memcpy)(struct dmae_chan *chan, struct dmae_desc *desc,
			   dmae_addr_t dst, dmae_addr_t src, uint64_t len);
	int (*prep_memset)(struct dmae_chan *chan, struct dmae_desc *desc,
			   dmae_addr_t dst, uint8_t value, uint64_t len);
	int (*prep_sg)(struct dmae_chan *chan, struct dmae_desc *desc,
		       const struct dmae_sg *dst, unsigned int ndst,
		       const struct dmae_sg *src, unsigned int nsrc);
	int (*prep_interleaved)(struct dmae_chan *chan, struct dmae_desc *desc,
				const struct dmae_interleaved *t);
	/* desc->dir and desc->cfg hold the direction and slave configuration. */
	int (*prep_slave_sg)(struct dmae_chan *chan, struct dmae_desc *desc,
			     const struct dmae_sg *sg, unsigned int nsg);
	/* desc->len is the buffer, desc->period_len the period. */
	int (*prep_cyclic)(struct dmae_chan *chan, struct dmae_desc *desc,
			   dmae_addr_t buf);

	/* Mandatory.  Caller holds vc->lock.  Start hardware if idle. */
	void (*issue_pending)(struct dmae_chan *chan);
	/*
	 * Mandatory.  Caller holds vc->lock.  Stop the channel; forget every
	 * descriptor handed to the hardware.  It may still be finishing a
	 * burst: synchronize waits for that.
	 */
	void (*terminate)(struct dmae_chan *chan);
	/* Mandatory.  Task context.  Wait until the hardware is quiet. */
	void (*synchronize)(struct dmae_chan *chan);
	/*
	 * Optional.  Caller holds vc->lock.  Bytes left of an ACTIVE
	 * descriptor at caps.residue granularity; without it, ACTIVE
	 * descriptors report their full length.
	 */
	uint64_t (*residue)(struct dmae_chan *chan, struct dmae_desc *desc);
	/* Mandatory with caps.pause.  Caller holds vc->lock. */
	int (*pause)(struct dmae_chan *chan);
	int (*resume)(struct dmae_chan *chan);
	/*
	 * Optional.  Task context.  Turn a route spec into one of the
	 * provider's channels; without it spec[0] is the channel index.
	 * Returns 0 or -ENODEV.
	 */
	int (*translate)(struct dmae_provider *p, const uint32_t *spec,
			 unsigned int nspec, struct dmae_chan **out);

	/*
	 * Optional: a native fast path (dmae/fastpath.h).  Task context, on a
	 * held channel.  fp_init fills fp's ctx and functions (and may set
	 * fp->priv, fp->ring_size, fp->impl); without it the core installs
	 * its generic implementation over the descriptor ops.  fp_fini
	 * (optional) undoes fp_init at release, after terminate + synchronize.
	 * Returns 0 or a negative errno.
	 */
	int (*fp_init)(struct dmae_chan *chan, struct dmae_fp *fp);
	void (*fp_fini)(struct dmae_chan *chan, struct dmae_fp *fp);

	/*
	 * Optional, with p->irq.  The handler's work for chan alone: complete
	 * what the hardware finished on it and refill it.  Where a client
	 * looks for its own channel's completions -- after
	 * dmae_chan_issue_pending(), and in dmae_chan_status() -- the core
	 * runs this instead of the whole handler, in the same context and
	 * serialised with it the same way.  A driver whose handler finds its
	 * channels through a status word that the hardware sets can so leave
	 * that word to interrupts: a streaming client never touches it.
	 * Returns DMAE_IRQ_HANDLED if it found anything to do.
	 */
	enum dmae_irqreturn (*poll)(struct dmae_chan *chan);

	/*
	 * Optional.  Task context, no dmae lock held.  The provider was
	 * unregistered and none of its channels is held any more: free what
	 * was registered (channel structs, the provider) and stop the
	 * hardware for good.  Called once, from dmae_provider_unregister()
	 * when nothing is held, else from the release of the last held
	 * channel.  Until it is called the core may still call the other
	 * ops of revoked channels' holders (prep, fp_fini).  A provider
	 * without it cannot be removed while in use: unregister refuses
	 * with -EBUSY as dmae_provider_unregister_idle() does.
	 */
	void (*release)(struct dmae_provider *p);

	/*
	 * Optional runtime PM (docs/power.md): power the controller, or one
	 * channel, down and up.  Task context: they may sleep; no dmae lock
	 * held.  The core calls them -- a driver never calls a PM function:
	 * a channel is resumed before the core hands it work (the
	 * controller first) and suspended once it is idle and its autosuspend
	 * delay passed (the controller after its last channel).  0, or a
	 * negative errno: a failed resume fails the transfers waiting for it
	 * (DMAE_RESULT_POWER_FAILED), a failed suspend leaves it powered
	 * until it is used and idle again.
	 * A provider with one power domain leaves the chan_ ones NULL.
	 */
	int (*runtime_suspend)(struct dmae_provider *p);
	int (*runtime_resume)(struct dmae_provider *p);
	int (*chan_runtime_suspend)(struct dmae_chan *chan);
	int (*chan_runtime_resume)(struct dmae_chan *chan);
};

/* ---- providers ------------------------------------------------------------ */

/*
 * Provider life cycle (registry lock):
 *
 *   UNREGISTERED --register--> LIVE --unregister--> GOING --+--> UNREGISTERED
 *        ^                             (requests refused,   |    (nothing held;
 *        |                              holders told,       |     ops->release)
 *        |                              channels revoked)   v
 *        +------- last revoked channel released -------- GONE
 *
 * dmae_provider_unregister_idle(), or unregister without a release op,
 * stops in GOING with -EBUSY while a channel is held: no new holder can
 * come, so calling it again once the holders released succeeds.
 */
enum dmae_provider_state {
	DMAE_PROVIDER_UNREGISTERED = 0,
	DMAE_PROVIDER_LIVE,
	DMAE_PROVIDER_GOING,
	DMAE_PROVIDER_GONE,
};

/* Any context. */
DMAE_API const char *dmae_provider_state_to_string(enum dmae_provider_state s);

struct dmae_provider {
	/* driver */
	char name[32];				/* "swdma0" */
	const struct dmae_provider_ops *ops;
	struct dmae_caps caps;			/* for every channel */
	size_t desc_size;			/* >= sizeof(struct dmae_desc) */
	uint32_t default_pool_size;		/* 0: DMAE_DEFAULT_POOL_SIZE */
	struct dmae_irq *irq;			/* polled by dmae_chan_status() */
	void *drvdata;
	uint64_t autosuspend_ns;		/* its devices'; 0: DMAE_PM_AUTOSUSPEND_NS */
	bool iommu;				/* checks accesses: dmae_dma_allowed() */
	/*
	 * Work issued to an idle channel is not expected to finish before
	 * issue_pending returns (another thread or engine must first see the
	 * doorbell).  dmae_chan_issue_pending() then skips its poll, which
	 * would almost always find nothing yet cost the handler's cache
	 * lines; what finishes raises the interrupt as always.
	 */
	bool issue_lags;

	/* core: registry lock */
	struct dmae_provider_ops ops_copy;	/* an older driver's table, grown */
	struct dmae_list chans;
	unsigned int nr_chans;
	unsigned int id;
	struct dmae_list node;
	enum dmae_provider_state state;
	struct dmae_dev *dev;			/* the controller's device */
	/* dmae_dma_map()'s table (src/core/dma.c): set under the registry
	 * lock, read by the IOMMU check from the controller's threads */
	_Atomic(struct dmae__dma_maps *) maps;
	bool pm;				/* it has runtime PM ops */
	bool removing;				/* unregister runs: not released before it ends */
	bool busy_logged;			/* one -EBUSY log line per removal */
};

#define DMAE_DEFAULT_POOL_SIZE 64u
#define DMAE_MAX_POOL_SIZE (1u << 20)

/*
 * May p's hardware access [addr, addr + len) (write: as a destination)?
 * For a provider with iommu set, which gives it to its hardware as the
 * check an IOMMU makes: true only inside a mapping of that direction
 * (dmae_dma_map).  Any context, any thread; never sleeps.
 */
DMAE_API bool dmae_dma_allowed(struct dmae_provider *p, uint64_t addr, uint64_t len,
			       bool write);

/*
 * Prepare p for dmae_vchan_init() calls (clears the core part).  Any
 * context.
 */
DMAE_API void dmae_provider_init(struct dmae_provider *p);

/*
 * Validate and register: name set, ops->size sane, mandatory ops present,
 * every advertised operation has its prep op, caps coherent, at least one
 * channel.  Channels become visible to clients.  Task context.
 * Returns 0, -EINVAL (with a log line saying what is wrong), -EEXIST,
 * -ESHUTDOWN (dmae_init() not called).
 */
DMAE_API int dmae_provider_register(struct dmae_provider *p);

/*
 * Remove the provider, even while its channels are held.  In order:
 * new requests for its channels fail with -ENODEV; each consumer holding
 * one is told through its removal callback (dmae_dev_set_remove_cb, task
 * context, on this thread); each channel still held is then revoked: its
 * in-flight descriptors complete with DMAE_RESULT_ABORTED and their
 * callbacks run exactly once, after which every call on it returns
 * -ENODEV until its holder releases it.  ops->release() runs when the last
 * holder has released (at once if none holds a channel).  Task context;
 * not from a callback of the provider's channels.
 * Returns 0, -EINVAL (NULL, not registered), -EBUSY (the provider has no
 * release op and a channel is held: see dmae_provider_unregister_idle()).
 */
DMAE_API int dmae_provider_unregister(struct dmae_provider *p);

/*
 * Remove the provider only if none of its channels is held.  Requests
 * are refused from the first call on, so holders cannot starve it: once
 * they have released, a second call succeeds.  Task context.
 * Returns 0, -EINVAL, -EBUSY (a channel is held; logged once per removal).
 */
DMAE_API int dmae_provider_unregister_idle(struct dmae_provider *p);

DMAE_END_DECLS

#endif /* DMAE_PROVIDER_H */
