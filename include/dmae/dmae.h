/* SPDX-License-Identifier: MIT */
/*
 * dmae/dmae.h - the client API.
 *
 * Included by clients: code that moves data through DMA channels.
 * Providers (controller drivers) include dmae/provider.h instead.
 *
 * The life of a transfer:
 *
 *   dmae_chan_request()          get a channel for a consumer device
 *   dmae_chan_prep_memcpy() ...  prepare a descriptor (from the channel's pool)
 *   dmae_desc_set_callback()     optional: callback and its context
 *   dmae_desc_submit()           queue it, get a cookie; nothing starts yet
 *   dmae_chan_issue_pending()    the doorbell: start what was submitted
 *   callback / completion / dmae_chan_status()
 *   dmae_chan_terminate_sync()   stop everything, wait for the hardware
 *   dmae_chan_release()
 *
 * Every function says the contexts it may be called from (docs/contexts.md
 * has the table).  "Any context" functions never sleep and never allocate.
 * Errors are negative errno values (dmae/error.h).  Every call on a channel
 * or on one of its descriptors may also return -EBADF (the channel is not
 * held: released, or never requested) and -ENODEV (the channel is revoked:
 * its provider was removed; release it).
 */
#ifndef DMAE_DMAE_H
#define DMAE_DMAE_H

#include <stdio.h>

#include <dmae/context.h>
#include <dmae/error.h>
#include <dmae/export.h>
#include <dmae/types.h>
#include <dmae/version.h>

DMAE_BEGIN_DECLS

struct dmae_dev;	/* a device: a consumer of channels */
struct dmae_chan;	/* a DMA channel */
struct dmae_desc;	/* a prepared transfer */

/* ---- library --------------------------------------------------------- */

/*
 * Start the library's threads (BH thread, workqueue).  Reference counted:
 * each successful dmae_init() needs a dmae_exit().  Task context.
 * Returns 0, -ENOMEM or -EAGAIN (thread creation failed).
 */
DMAE_API int dmae_init(void);
/* Drop one reference; the last stops the threads.  Task context. */
DMAE_API void dmae_exit(void);

enum dmae_log_level {
	DMAE_LOG_ERR = 0,
	DMAE_LOG_WARN,
	DMAE_LOG_INFO,
	DMAE_LOG_DEBUG,
};

typedef void (*dmae_log_fn)(enum dmae_log_level level, const char *line,
			    void *arg);

/*
 * Send log lines to fn (NULL: stderr, the default) and drop those above
 * max_level.  The hook may be called from any context and must not sleep.
 * Context: any.
 */
DMAE_API void dmae_log_set_handler(dmae_log_fn fn, void *arg,
				   enum dmae_log_level max_level);

/* ---- consumer devices ---------------------------------------------- */

/*
 * Create a consumer device.  The name (copied, at most 31 characters) is
 * what route table entries match, so it is unique.  Task context (may
 * sleep).  Returns 0, -EINVAL (NULL/empty/too long name), -EEXIST (a
 * device of that name exists), -ENOMEM.
 */
DMAE_API int dmae_dev_create(const char *name, struct dmae_dev **out);
/*
 * Destroy a consumer device.  Task context.  Returns 0, -EINVAL (NULL),
 * -EBUSY (it still holds channels; release them first).
 */
DMAE_API int dmae_dev_destroy(struct dmae_dev *dev);
/* Any context. */
DMAE_API const char *dmae_dev_name(const struct dmae_dev *dev);

/*
 * Told that the provider of chan, a channel dev holds, is being removed
 * (dmae_provider_unregister).  Runs in task context on the removing thread,
 * before the channel is revoked, with no dmae lock held: it may stop its
 * users and release the channel (dmae_chan_release / _put_public), or let
 * them see -ENODEV and release later.
 */
typedef void (*dmae_dev_remove_fn)(struct dmae_dev *dev, struct dmae_chan *chan,
				   void *arg);

/*
 * Set (fn NULL: clear) dev's removal callback.  Task context.
 * Returns 0, -EINVAL (NULL dev).
 */
DMAE_API int dmae_dev_set_remove_cb(struct dmae_dev *dev, dmae_dev_remove_fn fn,
				    void *arg);

/* ---- runtime power management ------------------------------------------ */

/*
 * Runtime PM state of a device (docs/power.md):
 *
 *            get (usage 0 -> 1)                 ops done
 *   SUSPENDED ------------------> RESUMING -----------------> ACTIVE
 *       ^                            | resume op failed         |
 *       |                            v                          | usage 0 and the
 *       |                          ERROR --get: retry-------->  | autosuspend delay
 *       |                                     (RESUMING)        | passed
 *       +------------------------ SUSPENDING <------------------+
 *                suspended            | suspend op failed: back to ACTIVE
 *
 * A device that is not SUSPENDED or ERROR keeps its parent and the
 * suppliers of its DMAE_LINK_PM_RUNTIME links from suspending.
 */
enum dmae_pm_state {
	DMAE_PM_ACTIVE = 0,
	DMAE_PM_SUSPENDING,
	DMAE_PM_SUSPENDED,
	DMAE_PM_RESUMING,
	DMAE_PM_ERROR,
};

/* Any context. */
DMAE_API const char *dmae_pm_state_to_string(enum dmae_pm_state s);

/*
 * A consumer device's own power operations (optional).  Task context: they
 * may sleep.  0, or a negative errno: a failed resume leaves the device in
 * ERROR, a failed suspend leaves it ACTIVE until a get and the next idle
 * period.
 */
struct dmae_dev_pm_ops {
	int (*runtime_suspend)(struct dmae_dev *dev, void *arg);
	int (*runtime_resume)(struct dmae_dev *dev, void *arg);
};

/* How long dmae_dev_pm_get_sync() waits for a resume, and a channel's
 * transfers for their channel's, before giving up with an error. */
#define DMAE_PM_RESUME_TIMEOUT_NS (5000ull * 1000000ull)
/* Autosuspend delay of new devices. */
#define DMAE_PM_AUTOSUSPEND_NS (1000ull * 1000ull)

/* Set (ops NULL: clear) a consumer device's power ops.  Task context.
 * Returns 0, -EINVAL (NULL dev, or not a consumer device). */
DMAE_API int dmae_dev_set_pm_ops(struct dmae_dev *dev, const struct dmae_dev_pm_ops *ops,
				 void *arg);

/*
 * Take a usage count and resume the device (its parent and suppliers
 * first) before returning.  Task context only: from atomic context it is
 * reported by the checker and returns -EPERM.  Returns 0 (active), -EINVAL,
 * -ENODEV (the device is gone), -EIO or the resume op's error (the device
 * is in ERROR), -ETIMEDOUT (the resume took longer than
 * DMAE_PM_RESUME_TIMEOUT_NS).  On error no usage count is kept.
 */
DMAE_API int dmae_dev_pm_get_sync(struct dmae_dev *dev);
/*
 * Take a usage count; if the device is not active, queue its resume and
 * return at once.  Any context.  Returns 1 (active now), 0 (resume queued),
 * -EINVAL, -ENODEV.
 */
DMAE_API int dmae_dev_pm_get(struct dmae_dev *dev);
/* Take a usage count only if the device is ACTIVE.  Any context.
 * Returns 1 (taken), 0 (not active: nothing taken), -EINVAL. */
DMAE_API int dmae_dev_pm_get_if_active(struct dmae_dev *dev);
/*
 * Drop a usage count; at 0 the device suspends at once (put) or once its
 * autosuspend delay has passed without use (put_autosuspend), from task
 * context on the library's workqueue.  Any context.  Returns 0, -EINVAL
 * (NULL, or more puts than gets: nothing changes).
 */
DMAE_API int dmae_dev_pm_put(struct dmae_dev *dev);
DMAE_API int dmae_dev_pm_put_autosuspend(struct dmae_dev *dev);
/* Any context.  Returns 0 or -EINVAL. */
DMAE_API int dmae_dev_pm_set_autosuspend_delay(struct dmae_dev *dev, uint64_t ns);

struct dmae_dev_pm_info {
	enum dmae_pm_state state;
	int usage;
	uint64_t autosuspend_ns;
	uint64_t suspended_ns;		/* time spent SUSPENDED so far */
	uint64_t resumes, suspends;	/* transitions completed */
	uint64_t resume_errors;
	int last_error;			/* of the last failed transition, or 0 */
};

/* A snapshot.  Any context.  Returns 0 or -EINVAL. */
DMAE_API int dmae_dev_pm_info_get(const struct dmae_dev *dev, struct dmae_dev_pm_info *info);

/* ---- device links ------------------------------------------------------- */

/*
 * A link says that consumer uses supplier.  Flags:
 *   DMAE_LINK_PM_RUNTIME           the supplier is resumed whenever the
 *                                  consumer is (not SUSPENDED), and may
 *                                  suspend only after it
 *   DMAE_LINK_RPM_ACTIVE           with PM_RUNTIME: resume the supplier
 *                                  now and count the consumer as active
 *   DMAE_LINK_AUTOREMOVE_CONSUMER  freed when the consumer is destroyed
 *                                  (the default for a managed link)
 *   DMAE_LINK_AUTOREMOVE_SUPPLIER  freed when the supplier goes, too
 *   DMAE_LINK_STATELESS            the caller deletes it (dmae_dev_link_del)
 *                                  before destroying the consumer
 * When the supplier goes first (its provider is removed) a link that is
 * not freed with it stays as a dead link with no effect, so that its
 * handle is still valid.
 */
#define DMAE_LINK_PM_RUNTIME (1u << 0)
#define DMAE_LINK_RPM_ACTIVE (1u << 1)
#define DMAE_LINK_AUTOREMOVE_CONSUMER (1u << 2)
#define DMAE_LINK_AUTOREMOVE_SUPPLIER (1u << 3)
#define DMAE_LINK_STATELESS (1u << 4)
#define DMAE_LINK_FLAGS_ALL 0x1fu

struct dmae_dev_link;

/*
 * Link consumer to supplier.  Task context (RPM_ACTIVE resumes the
 * supplier).  Returns 0, -EINVAL (NULL, unknown flags, STATELESS with an
 * AUTOREMOVE flag, RPM_ACTIVE without PM_RUNTIME, a link to itself, a link
 * that would close a cycle of dependencies through links and parents),
 * -EEXIST (the two are linked already), -ENOMEM, or the supplier's resume
 * error (RPM_ACTIVE).  Each refusal is logged.
 */
DMAE_API int dmae_dev_link_add(struct dmae_dev *consumer, struct dmae_dev *supplier,
			       unsigned int flags, struct dmae_dev_link **out);
/* Delete a link (dead or not).  Task context.  Returns 0, -EINVAL. */
DMAE_API int dmae_dev_link_del(struct dmae_dev_link *link);

/* ---- the device tree ---------------------------------------------------------- */

enum dmae_dev_kind {
	DMAE_DEV_CONSUMER = 0,	/* a client's (dmae_dev_create) */
	DMAE_DEV_PROVIDER,	/* a controller's */
	DMAE_DEV_CHANNEL,	/* a channel's, a child of its controller's */
};

/* Any context. */
DMAE_API const char *dmae_dev_kind_to_string(enum dmae_dev_kind k);

struct dmae_dev_info {
	char name[32];
	char parent[32];	/* "" when it has none */
	enum dmae_dev_kind kind;
	struct dmae_dev_pm_info pm;
};

/*
 * Fill up to max entries describing every device, in creation order.
 * Returns the total number of devices (which may exceed max), or -EINVAL
 * (info NULL with max > 0).  Task context.
 */
DMAE_API int dmae_dev_list(struct dmae_dev_info *info, unsigned int max);

struct dmae_dev_link_info {
	char consumer[32];
	char supplier[32];
	unsigned int flags;	/* DMAE_LINK_* */
	bool rpm_held;		/* the consumer holds the supplier active through it */
};

/*
 * The same for every device link whose supplier still exists.  Returns the
 * total, or -EINVAL.  Task context.
 */
DMAE_API int dmae_dev_link_list(struct dmae_dev_link_info *info, unsigned int max);

/* ---- devices of channels --------------------------------------------------- */

/* The channel's own device (a child of its provider's).  Any context;
 * NULL for a NULL channel. */
DMAE_API struct dmae_dev *dmae_chan_dev(const struct dmae_chan *chan);
/* The parent of a device, or NULL.  Any context. */
DMAE_API struct dmae_dev *dmae_dev_parent(const struct dmae_dev *dev);

/*
 * Create a consumer device with a parent (NULL: none), which resumes
 * before it and suspends after it.  Task context (may sleep).  Returns as
 * dmae_dev_create(), and -ENODEV (the parent is destroyed).
 */
DMAE_API int dmae_dev_create_child(const char *name, struct dmae_dev *parent,
				   struct dmae_dev **out);

/* ---- route table ------------------------------------------------------ */

#define DMAE_ROUTE_SPEC_MAX 4

/*
 * A route binds (consumer device name, channel name) to a provider and a
 * provider-specific spec (request line, channel number, ...) that only
 * the provider interprets, as a device tree "dmas" entry does.
 */
struct dmae_route {
	const char *consumer;	/* "uart0" */
	const char *name;	/* "tx" */
	const char *provider;	/* "swdma0" */
	uint32_t spec[DMAE_ROUTE_SPEC_MAX];
	unsigned int nspec;
};

/*
 * Add a route (strings are copied).  Task context.
 * Returns 0, -EINVAL (missing field, nspec too large), -EEXIST, -ENOMEM.
 */
DMAE_API int dmae_route_add(const struct dmae_route *r);
/* Remove a route.  Task context.  Returns 0, -EINVAL, -ENOENT. */
DMAE_API int dmae_route_remove(const char *consumer, const char *name);

/* ---- channels -------------------------------------------------------- */

/* Per-request options; NULL means all defaults. */
struct dmae_chan_opts {
	uint32_t pool_size;	/* descriptors in the pool; 0: provider default */
	uint32_t flags;		/* DMAE_CHAN_OPT_* */
};

/*
 * DMAE_CHAN_OPT_ONE_SUBMITTER: a promise that the calls which take
 * descriptors from the pool and queue them -- dmae_chan_prep_*(),
 * dmae_desc_submit() and dmae_chan_pool_grow() -- are never made on this
 * channel by two threads at once: one thread makes them, or the client
 * serialises them itself (a callback that prepares the next transfer
 * counts as a caller).  In return prep and submit take no lock, which
 * makes a descriptor's trip about 10 ns cheaper (docs/performance.md).
 * Every other call keeps its contexts: issue_pending, status, terminate,
 * pause, free and ack may come from any thread, as on any channel.
 * Breaking the promise corrupts the channel's queue; it is not detected.
 */
#define DMAE_CHAN_OPT_ONE_SUBMITTER (1u << 0)
/*
 * DMAE_CHAN_OPT_NO_LINK: do not link the consumer to the channel's device.
 * By default a request links them (DMAE_LINK_PM_RUNTIME, removed at
 * release), so that while the consumer is runtime-active its channel is
 * powered and prep, submit and issue never wait for a resume.
 */
#define DMAE_CHAN_OPT_NO_LINK (1u << 1)
#define DMAE_CHAN_OPTS_ALL (DMAE_CHAN_OPT_ONE_SUBMITTER | DMAE_CHAN_OPT_NO_LINK)

/* Decides whether a candidate channel is acceptable.  Task context. */
typedef bool (*dmae_filter_fn)(struct dmae_chan *chan, void *arg);

/*
 * Request an exclusive channel for consumer through the route table entry
 * (consumer's name, name).  Task context (may sleep: allocates the pool).
 * Returns 0 with *out set, or -EINVAL (NULL argument), -ENOENT (no route),
 * -ENODEV (provider not registered or spec rejected), -EBUSY (channel
 * owned), -ENOMEM.
 */
DMAE_API int dmae_chan_request(struct dmae_dev *consumer, const char *name,
			       const struct dmae_chan_opts *opts,
			       struct dmae_chan **out);

/*
 * Request an exclusive channel that supports every operation in op_mask
 * (DMAE_CAP_*) and that filter (optional) accepts.  Only the chosen
 * channel becomes private; its siblings stay available.  Task context.
 * Returns 0, -EINVAL, -ENODEV (no free matching channel), -ENOMEM.
 */
DMAE_API int dmae_chan_request_caps(struct dmae_dev *consumer, uint32_t op_mask,
				    dmae_filter_fn filter, void *filter_arg,
				    const struct dmae_chan_opts *opts,
				    struct dmae_chan **out);

/*
 * Release an exclusive channel, revoked or not: terminates and
 * synchronizes it and gives its descriptors back.  Handles work like file
 * descriptors: after the release, calls with the channel, its descriptors
 * or its fast path return -EBADF, until the channel is handed out again
 * (then they act on the new holder's objects: drop them at release).  The
 * memory they point at stays valid while the provider exists.
 * Task context.  Returns 0, -EINVAL (NULL), -EBADF (not held exclusively:
 * never requested, already released, or public), -EDEADLK (called from one
 * of the channel's own task-context callbacks).
 */
DMAE_API int dmae_chan_release(struct dmae_chan *chan);

/*
 * Get a shared ("public") channel supporting op_mask for memcpy-style
 * offload.  Several consumers share it; successive gets spread over the
 * least used matching channels; a consumer may hold the same channel more
 * than once (one put per get).  Task context.
 * Returns 0, -EINVAL, -ENODEV (no matching channel that is not held
 * exclusively, nor being closed by its last user's put or a release),
 * -ENOMEM.
 */
DMAE_API int dmae_chan_get_public(struct dmae_dev *consumer, uint32_t op_mask,
				  struct dmae_chan **out);
/*
 * Drop consumer's share of a public channel; the last user's put
 * terminates and synchronizes it and returns every descriptor to its
 * pool (the pool's memory stays with the channel).  Task context.
 * Returns 0, -EINVAL, -ENOENT (consumer does not hold it).
 */
DMAE_API int dmae_chan_put_public(struct dmae_dev *consumer,
				  struct dmae_chan *chan);

/* "dma0chan1".  Any context. */
DMAE_API const char *dmae_chan_name(const struct dmae_chan *chan);
/* Capabilities of the channel.  Any context.  Returns 0 or -EINVAL. */
DMAE_API int dmae_chan_get_caps(const struct dmae_chan *chan,
				struct dmae_caps *caps);

/*
 * Grow the descriptor pool of a held channel by extra descriptors.
 * Task context (allocates).  Returns 0, -EINVAL, -EBADF, -ENOMEM.
 */
DMAE_API int dmae_chan_pool_grow(struct dmae_chan *chan, uint32_t extra);

/* ---- DMA mapping ----------------------------------------------------------- */

/*
 * Memory a client hands to a controller is mapped for it first, as with
 * Linux's dma_map_single(): the mapping says what the controller may read
 * (DMAE_DMA_TO_DEVICE), write (DMAE_DMA_FROM_DEVICE) or both, and returns
 * the address the controller uses.  In user space that address is the CPU
 * address.  A controller behind an IOMMU (a provider with iommu set, e.g.
 * swdma or simdmac created with .iommu) checks every access against its
 * mappings: an access outside them fails the transfer with
 * DMAE_RESULT_READ_FAILED or DMAE_RESULT_WRITE_FAILED, as a bus error or
 * an IOMMU fault does, instead of touching the memory.  On a controller
 * without one, mapping is optional and only records the region.
 */
#define DMAE_DMA_TO_DEVICE (1u << 0)
#define DMAE_DMA_FROM_DEVICE (1u << 1)
#define DMAE_DMA_BIDIRECTIONAL (DMAE_DMA_TO_DEVICE | DMAE_DMA_FROM_DEVICE)

/*
 * Map [cpu, cpu + len) for chan's controller.  Task context (allocates).
 * Returns 0 with *out set, -EINVAL (NULL, zero length, a range that wraps,
 * no or unknown direction), -EBADF, -ENODEV, -EEXIST (it overlaps a mapping
 * of that controller), -ENOMEM.
 */
DMAE_API int dmae_dma_map(struct dmae_chan *chan, const void *cpu, size_t len,
			  unsigned int dir, dmae_addr_t *out);
/*
 * Unmap what dmae_dma_map() returned (addr and len as mapped).  Transfers
 * using it must be complete.  Task context.  Returns 0, -EINVAL, -ENOENT
 * (no such mapping).
 */
DMAE_API int dmae_dma_unmap(struct dmae_chan *chan, dmae_addr_t addr, size_t len);

/* ---- preparing descriptors (any context; never sleep or allocate) ---- */

/*
 * Each prep call validates its arguments against the channel's caps and
 * takes a descriptor from the channel's pool.  On success it returns 0
 * and stores the descriptor in *out; on failure *out is untouched and the
 * error is one of:
 *   -EINVAL      NULL pointer, zero length, bad flags, misaligned address
 *                or length (caps.align_shift), segment too long, too many
 *                sg entries / chunks, sg totals that differ, a range that
 *                wraps past the end of the address space, a total length
 *                that overflows, source and destination ranges that overlap
 *   -EOPNOTSUPP  the channel does not support the operation or flag
 *   -EBADF       the channel is not held
 *   -ENODEV      the channel is revoked
 *   -ENOSPC      the pool is empty: wait for completions, or grow it
 */
DMAE_API int dmae_chan_prep_memcpy(struct dmae_chan *chan, dmae_addr_t dst,
				   dmae_addr_t src, uint64_t len,
				   unsigned int flags, struct dmae_desc **out);
DMAE_API int dmae_chan_prep_memset(struct dmae_chan *chan, dmae_addr_t dst,
				   uint8_t value, uint64_t len,
				   unsigned int flags, struct dmae_desc **out);
DMAE_API int dmae_chan_prep_sg(struct dmae_chan *chan,
			       const struct dmae_sg *dst, unsigned int ndst,
			       const struct dmae_sg *src, unsigned int nsrc,
			       unsigned int flags, struct dmae_desc **out);
DMAE_API int dmae_chan_prep_interleaved(struct dmae_chan *chan,
					const struct dmae_interleaved *t,
					unsigned int flags,
					struct dmae_desc **out);

/*
 * Set the channel's slave configuration, used by slave preps that pass no
 * configuration of their own.  Validated against the caps (direction,
 * widths, burst range).  Any context.  Returns 0, -EINVAL, -EBADF,
 * -EOPNOTSUPP (the channel does no slave transfers).
 */
DMAE_API int dmae_chan_config(struct dmae_chan *chan,
			      const struct dmae_slave_config *cfg);

/*
 * Prepare a transfer between the memory described by sg and the device.
 * dir is DMAE_MEM_TO_DEV or DMAE_DEV_TO_MEM.  cfg (optional) is the slave
 * configuration for this descriptor only: configuration and preparation
 * are then one atomic step, and concurrent callers with different
 * configurations never mix.  With cfg NULL the descriptor captures the
 * channel's configuration (dmae_chan_config) as it is at this moment.
 * Lengths and addresses must be multiples of the access width.
 * Errors as for the other preps, plus -EINVAL for a direction, width or
 * burst the caps do not allow, or no configured device address.
 */
DMAE_API int dmae_chan_prep_slave_sg(struct dmae_chan *chan,
				     const struct dmae_sg *sg, unsigned int nsg,
				     enum dmae_dir dir,
				     const struct dmae_slave_config *cfg,
				     unsigned int flags, struct dmae_desc **out);

/*
 * Prepare a cyclic transfer over the ring buffer [buf, buf + buf_len) in
 * periods of period_len bytes (buf_len a multiple of it, at most max_sg
 * periods).  It runs until terminated; with DMAE_PREP_INTERRUPT the
 * callback runs (and the completion object fires) once per period, in
 * the context chosen for the descriptor.  Residue is what is left of the
 * current pass over the buffer.  Errors as dmae_chan_prep_slave_sg().
 */
DMAE_API int dmae_chan_prep_cyclic(struct dmae_chan *chan, dmae_addr_t buf,
				   uint64_t buf_len, uint64_t period_len,
				   enum dmae_dir dir,
				   const struct dmae_slave_config *cfg,
				   unsigned int flags, struct dmae_desc **out);

/* ---- descriptors (any context) --------------------------------------- */

/*
 * Set the completion callback and the context it runs in.  Call between
 * prep and submit.  fn NULL removes it.  Returns 0, -EINVAL (NULL desc,
 * unknown ctx, descriptor prepared without DMAE_PREP_INTERRUPT), -EBUSY
 * (already submitted).
 */
DMAE_API int dmae_desc_set_callback(struct dmae_desc *desc, dmae_callback_fn fn,
				    void *arg, enum dmae_cb_ctx ctx);

/*
 * Signal comp directly from the completing interrupt, with no callback and
 * no deferral; res (optional) receives the result before the signal.
 * Returns 0, -EINVAL (NULL desc or comp, no DMAE_PREP_INTERRUPT), -EBUSY.
 */
DMAE_API int dmae_desc_set_completion(struct dmae_desc *desc,
				      struct dmae_completion *comp,
				      struct dmae_result *res);

/*
 * Queue a prepared descriptor.  Returns its cookie (> 0), or -EINVAL (NULL),
 * -EBUSY (already submitted and not yet complete), -EBADF (not a prepared
 * descriptor of a held channel), -ENODEV (the channel is revoked; the
 * descriptor stays prepared: free it).  Nothing starts before issue_pending.
 */
DMAE_API dmae_cookie_t dmae_desc_submit(struct dmae_desc *desc);

/*
 * Return a descriptor that will not be submitted (prepared, or a completed
 * DMAE_PREP_REUSE one) to the pool.  Returns 0, -EINVAL, -EBUSY (submitted
 * and not complete), -EALREADY (already back in the pool), -EBADF (its
 * channel is not held).  Allowed on a revoked channel.
 */
DMAE_API int dmae_desc_free(struct dmae_desc *desc);

/*
 * Acknowledge a descriptor prepared without DMAE_PREP_ACK: once complete
 * it returns to the pool (at once if already complete).  Returns 0,
 * -EINVAL, -EALREADY (already acknowledged), -EBADF (its channel is not
 * held).  Allowed on a revoked channel.
 */
DMAE_API int dmae_desc_ack(struct dmae_desc *desc);

/* ---- running and observing (any context unless stated) ---------------- */

/*
 * The doorbell: hand every submitted descriptor to the hardware.  Returns
 * how many were issued (0 when nothing was submitted), or -EINVAL, -EBADF.
 *
 * Then, if the calling thread can take an interrupt -- task context, no
 * dmae spinlock held, emulated IRQs not masked -- it looks at the
 * provider's interrupt itself, as dmae_irq_poll_local() does (for this
 * channel only when the provider has a poll op): finished descriptors
 * are completed and their hard-IRQ and BH callbacks may run on this
 * thread before the call returns, as softirqs run at local_bh_enable() in
 * Linux.  A client streaming bursts so completes its descriptors on its
 * own CPU.  A provider whose hardware is not expected to finish work
 * before this call returns (swdma: a worker thread must see the doorbell
 * first) is not polled when nothing issued earlier is still in flight.
 * To keep callbacks out of a section that calls issue_pending, hold a
 * dmae spinlock or mask local IRQs (dmae_local_irq_save) around it
 * (docs/contexts.md, "Where callbacks run").
 */
DMAE_API int dmae_chan_issue_pending(struct dmae_chan *chan);

/*
 * Issue pending work on every public channel (dmae_chan_get_public).
 * Exclusive channels are left alone: what their owner submitted starts
 * when the owner says so.  Task context.
 */
DMAE_API void dmae_issue_pending_all(void);

struct dmae_tx_state {
	dmae_cookie_t last;	/* last completed cookie */
	dmae_cookie_t used;	/* last submitted cookie */
	uint64_t residue;	/* bytes left of the queried transfer */
	uint64_t done_ns;	/* when the engine finished 'last' (dmae_time_ns) */
};

/*
 * Status of a cookie: a non-negative enum dmae_status, or -EINVAL (NULL
 * channel, cookie <= 0, or a cookie this channel never returned), -EBADF.
 * st (optional) receives the residue at the channel's granularity.
 * DMAE_ERROR is reported for the most recent failed cookie.
 */
DMAE_API int dmae_chan_status(struct dmae_chan *chan, dmae_cookie_t cookie,
			      struct dmae_tx_state *st);

/*
 * Stop the channel and drop every submitted, issued or completed-but-not-
 * yet-called-back descriptor; their callbacks never run.  Prepared but
 * unsubmitted descriptors stay the client's.  The hardware may still touch
 * memory until dmae_chan_synchronize() returns.  Any context, including
 * callbacks.  Returns 0, -EINVAL, -EBADF, -ENODEV (revoked).
 */
DMAE_API int dmae_chan_terminate_async(struct dmae_chan *chan);

/*
 * Wait until no callback of terminated descriptors runs or will run, no
 * hardware touches memory for them, and they are finished: back in the
 * pool, or (DMAE_PREP_REUSE) prepared again, or (no DMAE_PREP_ACK) waiting
 * for dmae_desc_ack().
 * Task context only (may sleep).  Returns 0, -EINVAL, -EBADF, -EDEADLK
 * (called from one of this channel's own task-context callbacks), -EPERM
 * (called from atomic context: also reported by the checker in debug
 * builds, which aborts by default).
 */
DMAE_API int dmae_chan_synchronize(struct dmae_chan *chan);

/* terminate_async + synchronize.  Task context; errors as both (from
 * atomic context -EPERM, and nothing is terminated). */
DMAE_API int dmae_chan_terminate_sync(struct dmae_chan *chan);

/*
 * Pause / resume the channel's current transfer.  Any context.
 * Returns 0, -EINVAL, -EBADF, -EOPNOTSUPP (caps.pause false).
 */
DMAE_API int dmae_chan_pause(struct dmae_chan *chan);
DMAE_API int dmae_chan_resume(struct dmae_chan *chan);

/* Copy the channel's statistics.  Any context.  Returns 0 or -EINVAL. */
DMAE_API int dmae_chan_stats_get(const struct dmae_chan *chan,
				 struct dmae_chan_stats *st);

/* ---- enumeration and dump --------------------------------------------- */

enum dmae_chan_state {
	DMAE_CHAN_FREE = 0,	/* nobody holds it */
	DMAE_CHAN_EXCLUSIVE,	/* held by one consumer */
	DMAE_CHAN_PUBLIC,	/* shared by one or more consumers */
	DMAE_CHAN_REVOKED,	/* held, but its provider is gone: calls fail
				 * with -ENODEV until the holders release it */
};

DMAE_API const char *dmae_chan_state_to_string(enum dmae_chan_state s);

struct dmae_chan_info {
	char name[32];		/* "dma0chan1" */
	char provider[32];	/* "swdma0" */
	char owner[32];		/* consumer name, "" when free or public */
	enum dmae_chan_state state;
	uint32_t users;		/* consumers holding it */
	struct dmae_caps caps;
	struct dmae_chan_stats stats;
};

/*
 * Fill up to max entries describing every registered channel, in
 * registration order.  Returns the total number of channels (which may
 * exceed max), or -EINVAL (info NULL with max > 0).  Task context.
 */
DMAE_API int dmae_chan_list(struct dmae_chan_info *info, unsigned int max);

/* Print providers, channels, owners, states and statistics.  Task context. */
DMAE_API void dmae_dump(FILE *out);

DMAE_END_DECLS

#endif /* DMAE_DMAE_H */
