/* SPDX-License-Identifier: MIT */
/*
 * dmae/fastpath.h - the polled burst fast path.
 *
 * Included by clients.  The fast path moves data with no descriptor
 * object: an enqueue returns a ring index, a doorbell starts what was
 * enqueued, and one poll says "completed up to here, any error?".  It is
 * what DPDK's dmadev offers (rte_dma_copy / rte_dma_submit /
 * rte_dma_completed), on any dmae channel:
 *
 *   struct dmae_fp *fp;
 *   dmae_chan_fp_get(chan, &fp);                 task context, once
 *   for (i = 0; i < 32; i++)
 *       dmae_fp_copy(fp, dst[i], src[i], 64, 0); ring index, or -ENOSPC
 *   dmae_fp_submit(fp);                          the doorbell
 *   n = dmae_fp_completed(fp, 32, &last, &err);  poll, in order
 *
 * The calls below are static inline over a per-channel function table
 * stored in struct dmae_fp itself (no lookup, one indirect call).  A
 * provider with the optional fp_init op installs its own table (swdma: a
 * lock-free ring per channel); any other provider gets the core's generic
 * implementation built on its descriptor ops.  Argument checks are
 * compiled in only when DMAE_DEBUG is defined; otherwise the caller
 * guarantees what the comments say.
 *
 * Semantics (docs/fastpath.md puts them next to the descriptor API's):
 *   - nothing starts before the doorbell (dmae_fp_submit, or an enqueue
 *     with DMAE_FP_SUBMIT);
 *   - operations complete, and are reported, in enqueue order;
 *   - dmae_fp_completed() stops at the first failed operation and sets
 *     *has_error; dmae_fp_completed_status() then reports it (and those
 *     after it) with their result codes;
 *   - a ring slot is free again once its completion has been reported.
 *
 * Threading: a fast path has one user at a time (the calls on one struct
 * dmae_fp are not thread-safe with each other; use one channel per
 * thread).  Every call here but dmae_chan_fp_get() and dmae_fp_wait() may
 * be made from any context: none of them sleeps or allocates.  The
 * descriptor API stays usable on the same channel; see docs/fastpath.md
 * for the ordering between the two.
 */
#ifndef DMAE_FASTPATH_H
#define DMAE_FASTPATH_H

#include <dmae/dmae.h>

DMAE_BEGIN_DECLS

/* Enqueue flags. */
#define DMAE_FP_FENCE (1u << 0)	 /* start after every earlier fast path op completed */
#define DMAE_FP_SUBMIT (1u << 1) /* ring the doorbell with this enqueue */
#define DMAE_FP_FLAGS_ALL (DMAE_FP_FENCE | DMAE_FP_SUBMIT)

/*
 * The per-channel fast path object.  The first part is what the inline
 * calls use: a context pointer and the implementation's functions, read
 * together from one cache line.  Implementations fill it in
 * dmae_provider_ops.fp_init (or the core does, for the generic one).
 */
struct dmae_fp {
	void *ctx;
	int (*copy)(void *ctx, dmae_addr_t dst, dmae_addr_t src, uint32_t len,
		    unsigned int flags);
	int (*fill)(void *ctx, dmae_addr_t dst, uint8_t value, uint32_t len,
		    unsigned int flags);
	int (*submit)(void *ctx);
	uint16_t (*completed)(void *ctx, uint16_t max, uint16_t *last_idx,
			      bool *has_error);
	uint16_t (*completed_status)(void *ctx, uint16_t max, uint16_t *last_idx,
				     enum dmae_result_code *codes);
	uint16_t (*capacity)(void *ctx);

	/* not on the hot path */
	int (*wait)(void *ctx, uint16_t count, uint64_t timeout_ns);	/* optional */
	struct dmae_chan *chan;
	const char *impl;	/* "swdma", "generic": for reports */
	uint32_t ring_size;	/* operations in flight at most */
	void *priv;		/* the implementation's own state */
};

/*
 * Enable the fast path of a held channel (exclusive or public; it then has
 * one user at a time) and return it.  A second call returns the same
 * object.  It lives until the channel is released.  Task context (may
 * allocate).  Returns 0, -EINVAL (NULL argument), -EBADF (channel not
 * held), -EOPNOTSUPP (the channel can neither memcpy nor memset), -ENOMEM.
 */
DMAE_API int dmae_chan_fp_get(struct dmae_chan *chan, struct dmae_fp **out);

/* Internal: the debug-build argument checks of the inline calls. */
DMAE_API int dmae__fp_check(const struct dmae_fp *fp, const char *fn,
			    dmae_addr_t dst, bool need_src, dmae_addr_t src,
			    uint32_t len, unsigned int flags);
#ifdef DMAE_DEBUG
#define DMAE__FP_CHECK(fp, fn, dst, need_src, src, len, flags)                \
	do {                                                                  \
		int dmae__e = dmae__fp_check(fp, fn, dst, need_src, src, len, \
					     flags);                          \
		if (dmae__e)                                                  \
			return dmae__e;                                       \
	} while (0)
#else
#define DMAE__FP_CHECK(fp, fn, dst, need_src, src, len, flags) ((void)0)
#endif

/*
 * Enqueue a copy of len bytes (1 .. UINT32_MAX) from src to dst.
 * Returns the operation's ring index (0 .. 65535, the count of enqueued
 * operations modulo 2^16), or -ENOSPC (ring full: poll completions
 * first), -EINVAL (debug builds: NULL fp or address, zero length, unknown
 * flags; every build, swdma: an address wider than 48 bits), -EBADF (the
 * channel was released), -ENODEV (with DMAE_FP_SUBMIT: the channel was
 * revoked; what is enqueued then never runs).
 */
static inline int dmae_fp_copy(struct dmae_fp *fp, dmae_addr_t dst,
			       dmae_addr_t src, uint32_t len, unsigned int flags)
{
	DMAE__FP_CHECK(fp, "dmae_fp_copy", dst, true, src, len, flags);
	return fp->copy(fp->ctx, dst, src, len, flags);
}

/* Enqueue filling len bytes at dst with value.  Returns as dmae_fp_copy(). */
static inline int dmae_fp_fill(struct dmae_fp *fp, dmae_addr_t dst,
			       uint8_t value, uint32_t len, unsigned int flags)
{
	DMAE__FP_CHECK(fp, "dmae_fp_fill", dst, false, 0, len, flags);
	return fp->fill(fp->ctx, dst, value, len, flags);
}

/*
 * The doorbell: start every enqueued operation.  Returns 0, -EINVAL
 * (debug builds: NULL fp), -EBADF (the channel was released), -ENODEV
 * (the channel was revoked: nothing enqueued runs any more; release it).
 */
static inline int dmae_fp_submit(struct dmae_fp *fp)
{
#ifdef DMAE_DEBUG
	if (!fp)
		return -EINVAL;
#endif
	return fp->submit(fp->ctx);
}

/*
 * Report up to max completed operations, oldest first, and free their
 * slots.  Returns how many completed successfully; *last_idx (optional)
 * receives the ring index of the last one reported.  If the next
 * operation failed, *has_error (optional) is set to true and the count
 * stops before it: dmae_fp_completed_status() reports it.  Never blocks.
 */
static inline uint16_t dmae_fp_completed(struct dmae_fp *fp, uint16_t max,
					 uint16_t *last_idx, bool *has_error)
{
	return fp->completed(fp->ctx, max, last_idx, has_error);
}

/*
 * Report up to max completed operations, failed or not, with their
 * result codes in codes[0 .. n-1] (DMAE_RESULT_OK, ..._READ_FAILED,
 * ..._WRITE_FAILED, ..._ABORTED for operations a terminate dropped).
 * Returns n; *last_idx as dmae_fp_completed().
 */
static inline uint16_t dmae_fp_completed_status(struct dmae_fp *fp, uint16_t max,
						uint16_t *last_idx,
						enum dmae_result_code *codes)
{
	return fp->completed_status(fp->ctx, max, last_idx, codes);
}

/*
 * Sleep until the oldest count operations not yet reported (of those the
 * doorbell started; fewer if fewer are outstanding) have completed, so
 * that a client moving large buffers need not spin on dmae_fp_completed()
 * and take a CPU from the engine.  It also returns as soon as a completed
 * operation failed and is not reported yet, the rest of the count done or
 * not: dmae_fp_completed() then sets *has_error.  Reports nothing itself:
 * dmae_fp_completed() does, after it.  timeout_ns: UINT64_MAX waits
 * without limit.
 * Returns 0 (the completions are ready; also at once when nothing is
 * outstanding), -ETIMEDOUT (timeout_ns passed first, e.g. on a paused
 * channel), -EINVAL (NULL fp, count 0), -EPERM (atomic context),
 * -EOPNOTSUPP (an implementation without a completion event: the generic
 * one, whose operations raise no interrupt; poll instead).
 * Task context only: sleeps.  Not a hot-path call (not inline).
 */
DMAE_API int dmae_fp_wait(struct dmae_fp *fp, uint16_t count, uint64_t timeout_ns);

/* Operations that can be enqueued now without -ENOSPC. */
static inline uint16_t dmae_fp_capacity(struct dmae_fp *fp)
{
	return fp->capacity(fp->ctx);
}

DMAE_END_DECLS

#endif /* DMAE_FASTPATH_H */
