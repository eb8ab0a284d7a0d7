/* SPDX-License-Identifier: MIT */
/*
 * The client API on a held channel: prep, submit, issue, status, control.
 *
 * Every entry point validates its arguments and the channel state, logs
 * what is wrong and returns a negative errno before any provider op is
 * called.  prep/submit/issue/status/terminate_async never sleep and never
 * allocate: descriptors come from the channel's pool and the only lock is
 * the vchan spinlock.
 */
#include <string.h>

#include "core/dev.h"

static bool chan_live(const struct dmae_chan *chan)
{
	enum dmae_chan_state s = (enum dmae_chan_state)atomic_load_explicit(&chan->state,
									  memory_order_acquire);

	return s == DMAE_CHAN_EXCLUSIVE || s == DMAE_CHAN_PUBLIC;
}

/* Why a call on chan, found not live, is refused: -EBADF or -ENODEV. */
static int chan_refuse(const struct dmae_chan *chan, const char *fn)
{
	if (atomic_load(&chan->state) == DMAE_CHAN_REVOKED)
		return dmae_fail(ENODEV, "%s: %s is revoked: its provider was removed; release it",
				 fn, chan->name);
	return dmae_fail(EBADF, "%s: %s is not requested", fn, chan->name);
}

/* Common checks of every call on a channel. */
#define CHECK_CHAN(chan, fn)                                                  \
	do {                                                                  \
		if (!(chan))                                                  \
			return dmae_fail(EINVAL, "%s: NULL channel", fn);     \
		if (!chan_live(chan))                                         \
			return chan_refuse(chan, fn);                         \
	} while (0)

/* ---- runtime PM --------------------------------------------------------------- */

/*
 * May an op that touches the hardware run now?  On a provider with runtime
 * PM only while the channel's device is ACTIVE: a suspended channel is
 * idle, and its registers may be unclocked.  Takes a usage count that
 * chan_hw_put() drops.  Any context.
 */
static bool chan_hw_get(struct dmae_chan *chan)
{
	return !chan->provider->pm || dmae_dev_pm_get_if_active(chan->dev) == 1;
}

static void chan_hw_put(struct dmae_chan *chan)
{
	if (chan->provider->pm)
		dmae_dev_pm_put_autosuspend(chan->dev);
}

/* The same for task-context ops (chan_alloc, chan_free): resume if needed. */
static bool chan_hw_get_sync(struct dmae_chan *chan)
{
	return !chan->provider->pm || !dmae_dev_pm_get_sync(chan->dev);
}

/*
 * Work came to chan: hold its device active until the channel is idle
 * again (dmae__vchan_pm_idle).  If it is not active yet, issued work waits
 * (pm_wait) until dmae__chan_pm_resumed() starts it.  vc->lock held.
 */
static void chan_pm_busy(struct dmae_chan *chan)
{
	if (chan->pm_busy)
		return;
	chan->pm_busy = true;
	if (dmae_dev_pm_get(chan->dev) != 1) {
		chan->pm_wait = true;
		chan->pm_wait_ns = dmae_time_ns();
		dmae_os_work_queue_after(&chan->pm_watchdog, DMAE_PM_RESUME_TIMEOUT_NS);
	}
}

void dmae__chan_pm_resumed(struct dmae_chan *chan, int err)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_irqflags_t f;

	if (err) {
		dmae__vchan_power_fail(vc, false);
		return;
	}
	dmae__vchan_lock(vc, &f);
	if (chan->pm_wait) {
		chan->pm_wait = false;
		if (chan_live(chan) && !vc->paused && dmae_vchan_has_issued(vc))
			chan->provider->ops->issue_pending(chan);
	}
	dmae__vchan_unlock(vc, f);
}

/* ---- open / close (registry lock held, task context) --------------------- */

/* Scramble the first cookie so cookies of different channels differ. */
static dmae_cookie_t first_cookie_for(const struct dmae_chan *chan)
{
	static atomic_uint seq;
	uint32_t x = (atomic_fetch_add(&seq, 1) + 1) * 0x9e3779b1u ^
		     (chan->provider->id * 0x85ebca6bu + chan->index * 0xc2b2ae35u);

	return (dmae_cookie_t)(2 + (x & 0x3fffffffu));
}

int dmae__chan_open(struct dmae_chan *chan, const struct dmae_chan_opts *opts)
{
	struct dmae_provider *p = chan->provider;
	uint32_t n;
	int ret;

	chan->opts = opts ? *opts : (struct dmae_chan_opts){ 0 };
	n = chan->opts.pool_size ? chan->opts.pool_size : p->default_pool_size;
	ret = dmae__pool_create(chan, n);
	if (ret)
		return ret;
	if (p->ops->chan_alloc) {
		bool powered = chan_hw_get_sync(chan);

		ret = powered ? p->ops->chan_alloc(chan) : -EIO;
		if (powered)
			chan_hw_put(chan);
		if (ret) {
			dmae__pool_retire(chan);
			return ret;
		}
	}
	chan->first_cookie = first_cookie_for(chan);
	atomic_store(&chan->cookie, chan->first_cookie - 1);
	atomic_store(&chan->cookie_wrapped, false);
	atomic_store(&chan->completed_cookie, chan->first_cookie - 1);
	chan->err_lo = 0;
	chan->err_hi = 0;
	chan->last_done_ns = 0;
	memset(&chan->slave_cfg, 0, sizeof(chan->slave_cfg));
	atomic_store(&chan->st_submitted, 0);
	atomic_store(&chan->st_completed, 0);
	atomic_store(&chan->st_errors, 0);
	atomic_store(&chan->st_terminated, 0);
	atomic_store(&chan->st_bytes, 0);
	return 0;
}

/*
 * Close a revoked channel as terminate_sync does, but without the driver,
 * which let go of it at revocation.  First the callbacks still owed run:
 * the aborts the task work made of what a lock-free submitter queued late
 * (issue_refuse) have theirs pending on the runners.  What is queued and
 * was never issued is then dropped, as a release drops it.
 */
static void chan_close_revoked(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_cookie_t newest;
	dmae_irqflags_t f;

	dmae_work_flush(&vc->task_work);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_lock(vc, &f);
	dmae__vchan_collect_terminated(vc, &newest);
	dmae__vchan_unlock(vc, f);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_free_terminated(vc);
}

/* The driver's chan_free, on a powered channel. */
static void chan_free_powered(struct dmae_chan *chan)
{
	bool powered = chan_hw_get_sync(chan);

	if (!powered)
		dmae_warn("%s: cannot resume it to free it: chan_free runs on it unpowered",
			  chan->name);
	chan->provider->ops->chan_free(chan);
	if (powered)
		chan_hw_put(chan);
}

void dmae__chan_close(struct dmae_chan *chan)
{
	bool revoked = atomic_load(&chan->state) == DMAE_CHAN_REVOKED;

	if (revoked)
		chan_close_revoked(chan);
	else
		dmae_chan_terminate_sync(chan);
	dmae__fp_release(chan);
	dmae_work_cancel_sync(&chan->pm_watchdog);
	if (!revoked && chan->provider->ops->chan_free)
		chan_free_powered(chan);
	dmae__pool_retire(chan);
}

void dmae__chan_revoke(struct dmae_chan *chan)
{
	const struct dmae_provider_ops *ops = chan->provider->ops;
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	dmae__vchan_revoke(vc);
	dmae_work_cancel_sync(&chan->pm_watchdog);
	if (chan_hw_get(chan)) {
		ops->synchronize(chan);
		chan_hw_put(chan);
	}
	if (chan->provider->irq)
		dmae_irq_synchronize(chan->provider->irq);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_free_terminated(vc);
	if (ops->chan_free)
		chan_free_powered(chan);
}

int dmae__chan_set_cookie(struct dmae_chan *chan, dmae_cookie_t value)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_irqflags_t f;
	int ret = 0;

	if (value < DMAE_COOKIE_MIN)
		return -EINVAL;
	dmae__vchan_lock(vc, &f);
	if (atomic_load_explicit(&chan->cookie, memory_order_relaxed) !=
	    atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed)) {
		ret = -EBUSY;
	} else {
		atomic_store_explicit(&chan->cookie, value, memory_order_relaxed);
		atomic_store_explicit(&chan->cookie_wrapped, false, memory_order_relaxed);
		atomic_store_explicit(&chan->completed_cookie, value, memory_order_relaxed);
		chan->first_cookie = dmae__cookie_next(value);
	}
	dmae__vchan_unlock(vc, f);
	return ret;
}

/* ---- preparation ----------------------------------------------------------- */

static int check_aligned(const struct dmae_chan *chan, enum dmae_op op,
			 const char *fn, const char *what, uint64_t v)
{
	unsigned int shift = chan->provider->caps.align_shift[op];

	if (v & ((UINT64_C(1) << shift) - 1))
		return dmae_fail(EINVAL, "%s: %s: %s 0x%llx is not %u-byte aligned",
				 fn, chan->name, what, (unsigned long long)v, 1u << shift);
	return 0;
}

static int check_seg_len(const struct dmae_chan *chan, const char *fn, uint64_t len)
{
	uint64_t max = chan->provider->caps.max_seg_len;

	if (!len)
		return dmae_fail(EINVAL, "%s: %s: zero length", fn, chan->name);
	if (max && len > max)
		return dmae_fail(EINVAL, "%s: %s: segment of %llu bytes exceeds the %llu-byte maximum",
				 fn, chan->name, (unsigned long long)len,
				 (unsigned long long)max);
	return 0;
}

/* Does [a, a + len) run past the end of the address space?  len > 0. */
static inline bool range_wraps(dmae_addr_t a, uint64_t len)
{
	return len - 1 > UINT64_MAX - a;
}

/* Do [a, a + len) and [b, b + len) share a byte?  Neither wraps. */
static inline bool ranges_overlap(dmae_addr_t a, uint64_t alen, dmae_addr_t b, uint64_t blen)
{
	return a >= b ? a - b < blen : b - a < alen;
}

static int check_range(const struct dmae_chan *chan, const char *fn, const char *what,
		       dmae_addr_t a, uint64_t len)
{
	if (range_wraps(a, len))
		return dmae_fail(EINVAL, "%s: %s: %s 0x%llx + %llu bytes wraps past the end of "
				 "the address space", fn, chan->name, what,
				 (unsigned long long)a, (unsigned long long)len);
	return 0;
}

static int check_disjoint(const struct dmae_chan *chan, const char *fn, dmae_addr_t dst,
			  uint64_t dlen, dmae_addr_t src, uint64_t slen)
{
	if (ranges_overlap(dst, dlen, src, slen))
		return dmae_fail(EINVAL, "%s: %s: destination 0x%llx (%llu bytes) overlaps source "
				 "0x%llx (%llu bytes)", fn, chan->name, (unsigned long long)dst,
				 (unsigned long long)dlen, (unsigned long long)src,
				 (unsigned long long)slen);
	return 0;
}

/*
 * A one-segment copy (src != 0) or fill (src == 0): non-NULL addresses, a
 * length in 1..max_seg_len, all three aligned, no range wrapping past the
 * end of the address space, a copy's ranges apart.  Few tests in the
 * common case; one_seg_refuse() finds and logs the first problem.
 */
static inline bool one_seg_ok(const struct dmae_chan *chan, enum dmae_op op,
			      dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	const struct dmae_caps *caps = &chan->provider->caps;
	uint64_t mask = (UINT64_C(1) << caps->align_shift[op]) - 1;
	uint64_t max = caps->max_seg_len ? caps->max_seg_len : UINT64_MAX;

	if (!dst || len - 1 >= max || ((dst | src | len) & mask) || range_wraps(dst, len))
		return false;
	if (op == DMAE_OP_MEMSET)
		return true;
	return src && !range_wraps(src, len) && !ranges_overlap(dst, len, src, len);
}

static int one_seg_refuse(const struct dmae_chan *chan, enum dmae_op op, const char *fn,
			  dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	int ret;

	if (!dst || (!src && op == DMAE_OP_MEMCPY))
		return dmae_fail(EINVAL, "%s: %s: NULL %s address", fn, chan->name,
				 !dst ? "destination" : "source");
	ret = check_seg_len(chan, fn, len);
	if (!ret)
		ret = check_aligned(chan, op, fn, "destination", dst);
	if (!ret && op == DMAE_OP_MEMCPY)
		ret = check_aligned(chan, op, fn, "source", src);
	if (!ret)
		ret = check_aligned(chan, op, fn, "length", len);
	if (!ret)
		ret = check_range(chan, fn, "destination", dst, len);
	if (!ret && op == DMAE_OP_MEMCPY)
		ret = check_range(chan, fn, "source", src, len);
	if (!ret && op == DMAE_OP_MEMCPY)
		ret = check_disjoint(chan, fn, dst, len, src, len);
	return ret;
}

/* Validate what every prep shares; the caller checked chan is non-NULL. */
static int prep_check(struct dmae_chan *chan, enum dmae_op op, unsigned int flags,
		      const void *out, const char *fn)
{
	const struct dmae_caps *caps = &chan->provider->caps;

	if (!chan_live(chan))
		return chan_refuse(chan, fn);
	if (!out)
		return dmae_fail(EINVAL, "%s: NULL descriptor out-pointer", fn);
	if (!(caps->ops & DMAE_OP_BIT(op)))
		return dmae_fail(EOPNOTSUPP, "%s: %s does not support %s", fn,
				 chan->name, dmae_op_to_string(op));
	if (flags & ~DMAE_PREP_FLAGS_ALL)
		return dmae_fail(EINVAL, "%s: unknown flags 0x%x", fn,
				 flags & ~DMAE_PREP_FLAGS_ALL);
	if ((flags & DMAE_PREP_REUSE) && !caps->desc_reuse)
		return dmae_fail(EOPNOTSUPP, "%s: %s does not support descriptor reuse",
				 fn, chan->name);
	return 0;
}

/* Inline: the descriptor path pays a call per descriptor for nothing else. */
static inline __attribute__((always_inline)) int
prep_alloc(struct dmae_chan *chan, enum dmae_op op, unsigned int flags, uint64_t len,
	   const char *fn, struct dmae_desc **out)
{
	struct dmae_desc *d = dmae__pool_take(chan);

	if (!d) {
		dmae_dbg("%s: %s: descriptor pool empty (%u descriptors)", fn,
			 chan->name, chan->pool_size);
		return -ENOSPC;
	}
	/*
	 * Only what is read before it is set again, in as few stores as can
	 * be: prep is bound by them.  The pool hands out cb and comp NULL;
	 * cb_arg, cb_ctx and comp_res are read only with one of them set,
	 * the cookie is set by submit, period_len is read only for a cyclic
	 * descriptor and the result only once it completed.  The descriptor
	 * is the caller's alone until prep returns it, so it is PREPARED
	 * from here on (state and op share one store).
	 */
	d->state = DMAE_DESC_PREPARED;
	d->op = op;
	d->flags = flags;
	d->len = len;
	d->dir = DMAE_MEM_TO_MEM;
	*out = d;
	return 0;
}

/* The driver filled d, or failed: then d goes back unused. */
static int prep_finish(struct dmae_desc *d, int ret, struct dmae_desc **out)
{
	if (ret) {
		struct dmae_vchan *vc = dmae_to_vchan(d->chan);
		dmae_irqflags_t f;

		dmae__vchan_lock(vc, &f);
		dmae__pool_put(d);
		dmae__vchan_unlock(vc, f);
		return ret;
	}
	*out = d;
	return 0;
}

int dmae_chan_prep_memcpy(struct dmae_chan *chan, dmae_addr_t dst, dmae_addr_t src,
			  uint64_t len, unsigned int flags, struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_memcpy";
	struct dmae_desc *d;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_MEMCPY, flags, out, fn);
	if (!ret && !one_seg_ok(chan, DMAE_OP_MEMCPY, dst, src, len))
		ret = one_seg_refuse(chan, DMAE_OP_MEMCPY, fn, dst, src, len);
	if (!ret)
		ret = prep_alloc(chan, DMAE_OP_MEMCPY, flags, len, fn, &d);
	if (ret)
		return ret;
	ret = chan->provider->ops->prep_memcpy(chan, d, dst, src, len);
	return prep_finish(d, ret, out);
}

int dmae_chan_prep_memset(struct dmae_chan *chan, dmae_addr_t dst, uint8_t value,
			  uint64_t len, unsigned int flags, struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_memset";
	struct dmae_desc *d;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_MEMSET, flags, out, fn);
	if (!ret && !one_seg_ok(chan, DMAE_OP_MEMSET, dst, 0, len))
		ret = one_seg_refuse(chan, DMAE_OP_MEMSET, fn, dst, 0, len);
	if (!ret)
		ret = prep_alloc(chan, DMAE_OP_MEMSET, flags, len, fn, &d);
	if (ret)
		return ret;
	ret = chan->provider->ops->prep_memset(chan, d, dst, value, len);
	return prep_finish(d, ret, out);
}

/* Validate one sg list and sum its length. */
static int check_sg(struct dmae_chan *chan, enum dmae_op op, const char *fn,
		    const char *side, const struct dmae_sg *sg, unsigned int n,
		    uint64_t *total)
{
	const struct dmae_caps *caps = &chan->provider->caps;
	unsigned int i;
	int ret;

	if (!sg)
		return dmae_fail(EINVAL, "%s: %s: NULL %s list", fn, chan->name, side);
	if (!n || n > caps->max_sg)
		return dmae_fail(EINVAL, "%s: %s: %u %s entries (allowed 1..%u)", fn,
				 chan->name, n, side, caps->max_sg);
	*total = 0;
	for (i = 0; i < n; i++) {
		if (!sg[i].addr)
			return dmae_fail(EINVAL, "%s: %s: %s entry %u has a NULL address",
					 fn, chan->name, side, i);
		ret = check_seg_len(chan, fn, sg[i].len);
		if (!ret)
			ret = check_aligned(chan, op, fn, side, sg[i].addr);
		if (!ret)
			ret = check_aligned(chan, op, fn, "length", sg[i].len);
		if (!ret)
			ret = check_range(chan, fn, side, sg[i].addr, sg[i].len);
		if (ret)
			return ret;
		if (sg[i].len > UINT64_MAX - *total)
			return dmae_fail(EINVAL, "%s: %s: the %s list's total length overflows",
					 fn, chan->name, side);
		*total += sg[i].len;
	}
	return 0;
}

/* No destination entry may share a byte with a source entry. */
static int check_sg_disjoint(const struct dmae_chan *chan, const char *fn,
			     const struct dmae_sg *dst, unsigned int ndst,
			     const struct dmae_sg *src, unsigned int nsrc)
{
	unsigned int i, j;
	int ret = 0;

	for (i = 0; i < ndst && !ret; i++) {
		for (j = 0; j < nsrc && !ret; j++)
			ret = check_disjoint(chan, fn, dst[i].addr, dst[i].len, src[j].addr,
					     src[j].len);
	}
	return ret;
}

int dmae_chan_prep_sg(struct dmae_chan *chan, const struct dmae_sg *dst,
		      unsigned int ndst, const struct dmae_sg *src, unsigned int nsrc,
		      unsigned int flags, struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_sg";
	uint64_t dlen = 0, slen = 0;
	struct dmae_desc *d;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_SG, flags, out, fn);
	if (!ret)
		ret = check_sg(chan, DMAE_OP_SG, fn, "destination", dst, ndst, &dlen);
	if (!ret)
		ret = check_sg(chan, DMAE_OP_SG, fn, "source", src, nsrc, &slen);
	if (!ret && dlen != slen)
		ret = dmae_fail(EINVAL, "%s: %s: destination list holds %llu bytes, source %llu",
				fn, chan->name, (unsigned long long)dlen,
				(unsigned long long)slen);
	if (!ret)
		ret = check_sg_disjoint(chan, fn, dst, ndst, src, nsrc);
	if (!ret)
		ret = prep_alloc(chan, DMAE_OP_SG, flags, dlen, fn, &d);
	if (ret)
		return ret;
	ret = chan->provider->ops->prep_sg(chan, d, dst, ndst, src, nsrc);
	return prep_finish(d, ret, out);
}

/*
 * Bytes from the first to the last that one side of t touches: each frame
 * is its chunks, with the gaps after them where that side is scattered
 * (the last gap counted too: conservative).  false if that overflows.
 */
static bool interleaved_extent(const struct dmae_interleaved *t, bool src, uint64_t *out)
{
	bool gaps = src ? t->src_sgl : t->dst_sgl;
	uint64_t frame = 0;
	unsigned int i;

	if (!(src ? t->src_inc : t->dst_inc)) {
		/* every chunk is at the same place: the largest one */
		for (i = 0, *out = 0; i < t->frame_size; i++)
			*out = t->chunks[i].size > *out ? t->chunks[i].size : *out;
		return true;
	}
	for (i = 0; i < t->frame_size; i++) {
		uint64_t step = t->chunks[i].size, icg = src ? t->chunks[i].src_icg
							       : t->chunks[i].dst_icg;

		if (gaps && icg > UINT64_MAX - step)
			return false;
		step += gaps ? icg : 0;
		if (step > UINT64_MAX - frame)
			return false;
		frame += step;
	}
	if (frame > UINT64_MAX / t->numf)
		return false;
	*out = frame * t->numf;
	return true;
}

/* Neither side wraps; they do not overlap (their extents, conservatively). */
static int check_interleaved_extents(const struct dmae_chan *chan, const char *fn,
				     const struct dmae_interleaved *t)
{
	uint64_t dext, sext;
	int ret;

	if (!interleaved_extent(t, false, &dext) || !interleaved_extent(t, true, &sext))
		return dmae_fail(EINVAL, "%s: %s: the gaps make the transfer's extent overflow",
				 fn, chan->name);
	ret = check_range(chan, fn, "destination", t->dst, dext);
	if (!ret)
		ret = check_range(chan, fn, "source", t->src, sext);
	if (!ret)
		ret = check_disjoint(chan, fn, t->dst, dext, t->src, sext);
	return ret;
}

int dmae_chan_prep_interleaved(struct dmae_chan *chan, const struct dmae_interleaved *t,
			       unsigned int flags, struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_interleaved";
	const struct dmae_caps *caps;
	uint64_t frame = 0;
	struct dmae_desc *d;
	unsigned int i;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_INTERLEAVED, flags, out, fn);
	if (ret)
		return ret;
	caps = &chan->provider->caps;
	if (!t)
		return dmae_fail(EINVAL, "%s: NULL template", fn);
	if (!t->src || !t->dst)
		return dmae_fail(EINVAL, "%s: %s: NULL %s address", fn, chan->name,
				 !t->dst ? "destination" : "source");
	if (!t->chunks || !t->frame_size || t->frame_size > caps->max_sg)
		return dmae_fail(EINVAL, "%s: %s: %u chunks per frame (allowed 1..%u)%s",
				 fn, chan->name, t->frame_size, caps->max_sg,
				 t->chunks ? "" : ", NULL chunk array");
	if (!t->numf)
		return dmae_fail(EINVAL, "%s: %s: zero frames", fn, chan->name);
	ret = check_aligned(chan, DMAE_OP_INTERLEAVED, fn, "destination", t->dst);
	if (!ret)
		ret = check_aligned(chan, DMAE_OP_INTERLEAVED, fn, "source", t->src);
	for (i = 0; !ret && i < t->frame_size; i++) {
		const struct dmae_chunk *c = &t->chunks[i];

		ret = check_seg_len(chan, fn, c->size);
		if (!ret)
			ret = check_aligned(chan, DMAE_OP_INTERLEAVED, fn, "chunk size",
					    c->size | (t->src_sgl ? c->src_icg : 0) |
						    (t->dst_sgl ? c->dst_icg : 0));
		if (!ret && c->size > UINT64_MAX - frame)
			ret = dmae_fail(EINVAL, "%s: %s: frame size overflows", fn, chan->name);
		frame += c->size;
	}
	if (!ret && frame > UINT64_MAX / t->numf)
		ret = dmae_fail(EINVAL, "%s: %s: transfer size overflows", fn, chan->name);
	if (!ret)
		ret = check_interleaved_extents(chan, fn, t);
	if (!ret)
		ret = prep_alloc(chan, DMAE_OP_INTERLEAVED, flags, frame * t->numf, fn, &d);
	if (ret)
		return ret;
	ret = chan->provider->ops->prep_interleaved(chan, d, t);
	return prep_finish(d, ret, out);
}

/* ---- slave transfers ---------------------------------------------------------------- */

/* Is cfg usable for dir on chan?  Logs the first problem. */
static int check_slave_cfg(const struct dmae_chan *chan, enum dmae_dir dir,
			   const struct dmae_slave_config *cfg, const char *fn)
{
	const struct dmae_caps *caps = &chan->provider->caps;
	bool to_dev = dir == DMAE_MEM_TO_DEV;
	uint32_t width = to_dev ? cfg->dst_width : cfg->src_width;
	uint32_t burst = to_dev ? cfg->dst_burst : cfg->src_burst;

	if (dir != DMAE_MEM_TO_DEV && dir != DMAE_DEV_TO_MEM)
		return dmae_fail(EINVAL, "%s: %s: direction %s is not a slave direction", fn,
				 chan->name, dmae_dir_to_string(dir));
	if (!(caps->directions & DMAE_DIR_BIT(dir)))
		return dmae_fail(EINVAL, "%s: %s does not support %s", fn, chan->name,
				 dmae_dir_to_string(dir));
	if (!(to_dev ? cfg->dst_addr : cfg->src_addr))
		return dmae_fail(EINVAL, "%s: %s: no device address configured for %s", fn,
				 chan->name, dmae_dir_to_string(dir));
	if (!width || (width & (width - 1)) || width > 128 ||
	    !(caps->addr_widths & (uint32_t)width))
		return dmae_fail(EINVAL, "%s: %s: bus width %u not supported (mask 0x%x)", fn,
				 chan->name, width, caps->addr_widths);
	if (burst < caps->min_burst || burst > caps->max_burst)
		return dmae_fail(EINVAL, "%s: %s: burst %u outside %u..%u", fn, chan->name,
				 burst, caps->min_burst, caps->max_burst);
	return 0;
}

/* Validate a configuration as a whole, for each direction it sets up. */
int dmae_chan_config(struct dmae_chan *chan, const struct dmae_slave_config *cfg)
{
	static const char fn[] = "dmae_chan_config";
	dmae_irqflags_t f;
	int ret = 0;

	CHECK_CHAN(chan, fn);
	if (!cfg)
		return dmae_fail(EINVAL, "%s: NULL configuration", fn);
	if (!(chan->provider->caps.ops & (DMAE_CAP_SLAVE_SG | DMAE_CAP_CYCLIC)))
		return dmae_fail(EOPNOTSUPP, "%s: %s does no slave transfers", fn, chan->name);
	if (!cfg->src_addr && !cfg->dst_addr)
		return dmae_fail(EINVAL, "%s: %s: no device address", fn, chan->name);
	if (cfg->dst_addr)
		ret = check_slave_cfg(chan, DMAE_MEM_TO_DEV, cfg, fn);
	if (!ret && cfg->src_addr)
		ret = check_slave_cfg(chan, DMAE_DEV_TO_MEM, cfg, fn);
	if (ret)
		return ret;
	dmae_spin_lock_irqsave(&chan->cfg_lock, &f);
	chan->slave_cfg = *cfg;
	dmae_spin_unlock_irqrestore(&chan->cfg_lock, f);
	return 0;
}

/* Snapshot the configuration a slave prep uses and check it for dir. */
static int slave_cfg_take(struct dmae_chan *chan, enum dmae_dir dir,
			  const struct dmae_slave_config *cfg,
			  struct dmae_slave_config *snap, const char *fn)
{
	dmae_irqflags_t f;

	if (cfg) {
		*snap = *cfg;
	} else {
		dmae_spin_lock_irqsave(&chan->cfg_lock, &f);
		*snap = chan->slave_cfg;
		dmae_spin_unlock_irqrestore(&chan->cfg_lock, f);
	}
	return check_slave_cfg(chan, dir, snap, fn);
}

static uint32_t slave_width(const struct dmae_slave_config *c, enum dmae_dir dir)
{
	return dir == DMAE_MEM_TO_DEV ? c->dst_width : c->src_width;
}

int dmae_chan_prep_slave_sg(struct dmae_chan *chan, const struct dmae_sg *sg,
			    unsigned int nsg, enum dmae_dir dir,
			    const struct dmae_slave_config *cfg, unsigned int flags,
			    struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_slave_sg";
	struct dmae_slave_config snap;
	uint64_t total = 0;
	struct dmae_desc *d;
	uint32_t width;
	unsigned int i;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_SLAVE_SG, flags, out, fn);
	if (!ret)
		ret = slave_cfg_take(chan, dir, cfg, &snap, fn);
	if (!ret)
		ret = check_sg(chan, DMAE_OP_SLAVE_SG, fn, "memory", sg, nsg, &total);
	if (ret)
		return ret;
	width = slave_width(&snap, dir);
	for (i = 0; i < nsg; i++) {
		if ((sg[i].addr | sg[i].len) & (width - 1))
			return dmae_fail(EINVAL, "%s: %s: entry %u (0x%llx, %llu bytes) is not a "
					 "multiple of the %u-byte bus width", fn, chan->name, i,
					 (unsigned long long)sg[i].addr,
					 (unsigned long long)sg[i].len, width);
	}
	ret = prep_alloc(chan, DMAE_OP_SLAVE_SG, flags, total, fn, &d);
	if (ret)
		return ret;
	d->dir = dir;
	d->cfg = snap;
	ret = chan->provider->ops->prep_slave_sg(chan, d, sg, nsg);
	return prep_finish(d, ret, out);
}

int dmae_chan_prep_cyclic(struct dmae_chan *chan, dmae_addr_t buf, uint64_t buf_len,
			  uint64_t period_len, enum dmae_dir dir,
			  const struct dmae_slave_config *cfg, unsigned int flags,
			  struct dmae_desc **out)
{
	static const char fn[] = "dmae_chan_prep_cyclic";
	struct dmae_slave_config snap;
	struct dmae_desc *d;
	uint32_t width;
	int ret;

	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = prep_check(chan, DMAE_OP_CYCLIC, flags, out, fn);
	if (!ret)
		ret = slave_cfg_take(chan, dir, cfg, &snap, fn);
	if (ret)
		return ret;
	if (flags & DMAE_PREP_REUSE)
		return dmae_fail(EINVAL, "%s: %s: a cyclic descriptor cannot be reused", fn,
				 chan->name);
	width = slave_width(&snap, dir);
	if (!buf)
		return dmae_fail(EINVAL, "%s: %s: NULL buffer", fn, chan->name);
	if (!period_len || !buf_len || buf_len % period_len)
		return dmae_fail(EINVAL, "%s: %s: buffer of %llu bytes is not a whole number of "
				 "%llu-byte periods", fn, chan->name, (unsigned long long)buf_len,
				 (unsigned long long)period_len);
	if (buf_len / period_len > chan->provider->caps.max_sg)
		return dmae_fail(EINVAL, "%s: %s: %llu periods (max %u)", fn, chan->name,
				 (unsigned long long)(buf_len / period_len),
				 chan->provider->caps.max_sg);
	ret = check_seg_len(chan, fn, period_len);
	if (ret)
		return ret;
	if ((buf | period_len) & (width - 1))
		return dmae_fail(EINVAL, "%s: %s: buffer or period not a multiple of the %u-byte "
				 "bus width", fn, chan->name, width);
	ret = check_range(chan, fn, "buffer", buf, buf_len);
	if (ret)
		return ret;
	ret = prep_alloc(chan, DMAE_OP_CYCLIC, flags, buf_len, fn, &d);
	if (ret)
		return ret;
	d->dir = dir;
	d->cfg = snap;
	d->period_len = period_len;
	ret = chan->provider->ops->prep_cyclic(chan, d, buf);
	return prep_finish(d, ret, out);
}

/* ---- descriptors ---------------------------------------------------------------- */

/* Are chan's descriptors its holder's (held, revoked or not)? */
static bool chan_holds_descs(const struct dmae_chan *chan)
{
	return atomic_load_explicit(&chan->state, memory_order_acquire) != DMAE_CHAN_FREE;
}

static int desc_check_prepared(struct dmae_desc *d, const char *fn)
{
	if (!d)
		return dmae_fail(EINVAL, "%s: NULL descriptor", fn);
	if (!chan_holds_descs(d->chan))
		return chan_refuse(d->chan, fn);
	if (d->state != DMAE_DESC_PREPARED)
		return dmae_fail(EBUSY, "%s: descriptor is %s, not prepared", fn,
				 dmae_desc_state_to_string(d->state));
	return 0;
}

int dmae_desc_set_callback(struct dmae_desc *d, dmae_callback_fn fn, void *arg,
			   enum dmae_cb_ctx ctx)
{
	int ret = desc_check_prepared(d, "dmae_desc_set_callback");

	if (ret)
		return ret;
	if (ctx != DMAE_CB_BH && ctx != DMAE_CB_HARDIRQ && ctx != DMAE_CB_TASK)
		return dmae_fail(EINVAL, "dmae_desc_set_callback: unknown context %d", (int)ctx);
	if (fn && !(d->flags & DMAE_PREP_INTERRUPT))
		return dmae_fail(EINVAL, "dmae_desc_set_callback: %s: descriptor was prepared "
				 "without DMAE_PREP_INTERRUPT; its callback could never run",
				 d->chan->name);
	d->cb = fn;
	d->cb_arg = arg;
	d->cb_ctx = ctx;
	return 0;
}

int dmae_desc_set_completion(struct dmae_desc *d, struct dmae_completion *comp,
			     struct dmae_result *res)
{
	int ret = desc_check_prepared(d, "dmae_desc_set_completion");

	if (ret)
		return ret;
	if (!comp)
		return dmae_fail(EINVAL, "dmae_desc_set_completion: NULL completion");
	if (!(d->flags & DMAE_PREP_INTERRUPT))
		return dmae_fail(EINVAL, "dmae_desc_set_completion: %s: descriptor was prepared "
				 "without DMAE_PREP_INTERRUPT", d->chan->name);
	d->comp = comp;
	d->comp_res = res;
	return 0;
}

/* Why d cannot be submitted; the caller found it not PREPARED. */
static dmae_cookie_t submit_refuse(struct dmae_desc *d, enum dmae_desc_state s)
{
	bool busy = s == DMAE_DESC_SUBMITTED || s == DMAE_DESC_ACTIVE;

	return dmae_fail(busy ? EBUSY : EBADF,
			 "dmae_desc_submit: %s: descriptor is %s, not prepared%s",
			 d->chan->name, dmae_desc_state_to_string(s),
			 busy ? " (submitted twice?)" : "");
}

dmae_cookie_t dmae_desc_submit(struct dmae_desc *d)
{
	struct dmae_chan *chan;
	struct dmae_vchan *vc;
	enum dmae_desc_state s;
	dmae_irqflags_t f;
	dmae_cookie_t cookie;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_submit: NULL descriptor");
	chan = d->chan;
	if (!chan_live(chan))
		return chan_refuse(chan, "dmae_desc_submit");
	vc = dmae_to_vchan(chan);
	if (chan->opts.flags & DMAE_CHAN_OPT_ONE_SUBMITTER) {
		/*
		 * The caller is the only one queueing: no lock (dmae/dmae.h).
		 * A revocation racing with this is cleaned up by the next
		 * issue_pending (which aborts it) or by the release.
		 */
		if (d->state != DMAE_DESC_PREPARED)
			return submit_refuse(d, d->state);
		return dmae__vchan_queue_add(vc, d);
	}
	dmae__vchan_lock(vc, &f);
	s = d->state;
	cookie = s == DMAE_DESC_PREPARED && chan_live(chan) ? dmae__vchan_queue_add(vc, d) : 0;
	dmae__vchan_unlock(vc, f);
	if (s == DMAE_DESC_PREPARED && !cookie)
		return chan_refuse(chan, "dmae_desc_submit");
	return cookie ? cookie : submit_refuse(d, s);
}

int dmae_desc_free(struct dmae_desc *d)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret = 0;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_free: NULL descriptor");
	if (!chan_holds_descs(d->chan))
		return chan_refuse(d->chan, "dmae_desc_free");
	vc = dmae_to_vchan(d->chan);
	dmae__vchan_lock(vc, &f);
	if (d->state == DMAE_DESC_PREPARED || d->state == DMAE_DESC_DONE)
		dmae__pool_put(d);
	else
		ret = d->state == DMAE_DESC_FREE ? -EALREADY : -EBUSY;
	dmae__vchan_unlock(vc, f);
	if (ret)
		dmae_err("dmae_desc_free: %s: descriptor is %s", d->chan->name,
			 dmae_desc_state_to_string(d->state));
	return ret;
}

int dmae_desc_ack(struct dmae_desc *d)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret = 0;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_ack: NULL descriptor");
	if (!chan_holds_descs(d->chan))
		return dmae_fail(EBADF, "dmae_desc_ack: %s is not requested", d->chan->name);
	vc = dmae_to_vchan(d->chan);
	dmae__vchan_lock(vc, &f);
	if ((d->flags & DMAE_PREP_ACK) || d->state == DMAE_DESC_FREE) {
		ret = -EALREADY;
	} else {
		d->flags |= DMAE_PREP_ACK;
		if (d->state == DMAE_DESC_DONE)
			dmae__pool_put(d);
	}
	dmae__vchan_unlock(vc, f);
	if (ret)
		dmae_err("dmae_desc_ack: %s: descriptor already acknowledged", d->chan->name);
	return ret;
}

/* ---- running ------------------------------------------------------------------------ */

static enum dmae_irqreturn chan_poll_fn(void *arg)
{
	struct dmae_chan *chan = arg;

	return chan->provider->ops->poll(chan);
}

/*
 * Collect chan's finished work on this thread: the provider's poll op if
 * it has one (only this channel's part of the handler), else the handler.
 * local: as an interrupt taken here (dmae_irq_poll_local), BHs included;
 * else as dmae_irq_poll(irq, wait).
 */
static void chan_poll(struct dmae_chan *chan, struct dmae_irq *irq, bool local, bool wait)
{
	dmae_irq_handler_fn fn = chan->provider->ops->poll ? chan_poll_fn : NULL;

	if (local)
		dmae__irq_poll_local_fn(irq, fn, chan);
	else
		dmae__irq_poll_fn(irq, wait, fn, chan);
}

/*
 * issue_pending on a channel that is not live.  On a revoked one, what a
 * lock-free submitter queued while it was revoked still completes, aborted:
 * the channel's task work does that (vchan_task_work), from any context.
 */
static int issue_refuse(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	if (atomic_load(&chan->state) == DMAE_CHAN_REVOKED &&
	    !dmae_os_work_is_pending(&vc->task_work))
		dmae_work_queue(&vc->task_work);
	return chan_refuse(chan, "dmae_chan_issue_pending");
}

int dmae_chan_issue_pending(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	bool poll;
	int n;

	if (!chan)
		return dmae_fail(EINVAL, "dmae_chan_issue_pending: NULL channel");
	vc = dmae_to_vchan(chan);
	if (!chan_live(chan))
		return issue_refuse(chan);
	dmae__vchan_lock(vc, &f);
	if (!chan_live(chan)) {
		dmae__vchan_unlock(vc, f);
		return issue_refuse(chan);
	}
	n = (int)dmae__vchan_issue(vc);
	if (chan->provider->pm && dmae_vchan_has_issued(vc))
		chan_pm_busy(chan);
	if (!vc->paused && dmae_vchan_has_issued(vc) && !chan->pm_wait)
		chan->provider->ops->issue_pending(chan);
	/* With runtime PM, a channel without work may be unclocked: no poll. */
	poll = chan->provider->irq && (!chan->provider->pm || (chan->pm_busy && !chan->pm_wait));
	dmae__vchan_unlock(vc, f);
	/* Completions follow the submitter: see dmae/dmae.h. */
	if (poll)
		chan_poll(chan, chan->provider->irq, true, false);
	return n;
}

int dmae_chan_status(struct dmae_chan *chan, dmae_cookie_t cookie,
		     struct dmae_tx_state *st)
{
	struct dmae_vchan *vc;
	struct dmae_irq *irq;
	enum dmae__cookie_class cls;
	struct dmae_desc *d;
	dmae_irqflags_t f;
	uint64_t residue = 0;
	int status;

	CHECK_CHAN(chan, "dmae_chan_status");
	vc = dmae_to_vchan(chan);
	irq = chan->provider->irq;
	/* Polled mode: let the handler collect finished work first. */
	if (irq && dmae__cookie_maybe_pending(chan, cookie) && chan_hw_get(chan)) {
		chan_poll(chan, irq, false, !dmae_in_atomic());
		chan_hw_put(chan);
	}
	dmae__vchan_lock(vc, &f);
	cls = dmae__cookie_classify(chan, cookie);
	switch (cls) {
	case DMAE__COOKIE_INVALID:
		dmae__vchan_unlock(vc, f);
		return dmae_fail(EINVAL, "dmae_chan_status: %s: cookie %d was not issued by this channel",
				 chan->name, cookie);
	case DMAE__COOKIE_DONE:
		status = chan->err_lo && dmae__cookie_in_range(cookie, chan->err_lo, chan->err_hi)
				 ? DMAE_ERROR : DMAE_COMPLETE;
		break;
	case DMAE__COOKIE_PENDING:
	default:
		status = vc->paused ? DMAE_PAUSED : DMAE_IN_PROGRESS;
		d = dmae__vchan_find(vc, cookie);
		if (d) {
			residue = d->len;
			if (d->state == DMAE_DESC_ACTIVE && chan->provider->ops->residue)
				residue = chan->provider->ops->residue(chan, d);
		}
		break;
	}
	if (st) {
		st->last = atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed);
		st->used = atomic_load_explicit(&chan->cookie, memory_order_relaxed);
		st->residue = residue;
		st->done_ns = chan->last_done_ns;
	}
	dmae__vchan_unlock(vc, f);
	return status;
}

/* ---- control -------------------------------------------------------------------------- */

int dmae_chan_terminate_async(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;
	dmae_cookie_t newest;
	dmae_irqflags_t f;
	unsigned int n;

	CHECK_CHAN(chan, "dmae_chan_terminate_async");
	if (!chan->provider->caps.terminate)
		return dmae_fail(EOPNOTSUPP, "dmae_chan_terminate_async: %s cannot terminate",
				 chan->name);
	vc = dmae_to_vchan(chan);
	dmae__vchan_lock(vc, &f);
	if (chan_hw_get(chan)) {
		chan->provider->ops->terminate(chan);
		chan_hw_put(chan);
	}
	/*
	 * What was pending ends in error up to the newest descriptor taken
	 * off the channel, not up to chan->cookie: a one-submitter channel's
	 * submitter may be between assigning a cookie and queueing it.
	 */
	n = dmae__vchan_collect_terminated(vc, &newest);
	if (n) {
		chan->err_lo = dmae__cookie_next(atomic_load_explicit(&chan->completed_cookie,
								      memory_order_relaxed));
		chan->err_hi = newest;
		atomic_store_explicit(&chan->completed_cookie, newest, memory_order_relaxed);
	}
	vc->paused = false;
	dmae__stat_add(&chan->st_terminated, n);
	dmae__vchan_unlock(vc, f);
	return 0;
}

int dmae_chan_synchronize(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;

	dmae_might_sleep();
	CHECK_CHAN(chan, "dmae_chan_synchronize");
	/* Waiting here from atomic context could wait for ourselves: refuse
	 * even in builds without the checker. */
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "dmae_chan_synchronize: %s: called from %s context",
				 chan->name, dmae_ctx_describe());
	vc = dmae_to_vchan(chan);
	if (dmae_work_current() == &vc->task_work)
		return dmae_fail(EDEADLK, "dmae_chan_synchronize: %s: called from one of the "
				 "channel's own task callbacks", chan->name);
	if (chan_hw_get(chan)) {
		chan->provider->ops->synchronize(chan);
		chan_hw_put(chan);
	}
	if (chan->provider->irq)
		dmae_irq_synchronize(chan->provider->irq);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_free_terminated(vc);
	return 0;
}

int dmae_chan_terminate_sync(struct dmae_chan *chan)
{
	int ret;

	dmae_might_sleep();
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "dmae_chan_terminate_sync: %s: called from %s context",
				 dmae_chan_name(chan), dmae_ctx_describe());
	ret = dmae_chan_terminate_async(chan);
	return ret ? ret : dmae_chan_synchronize(chan);
}

static int chan_pause_resume(struct dmae_chan *chan, bool pause, const char *fn)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret;

	CHECK_CHAN(chan, fn);
	if (!chan->provider->caps.pause)
		return dmae_fail(EOPNOTSUPP, "%s: %s cannot pause", fn, chan->name);
	vc = dmae_to_vchan(chan);
	dmae__vchan_lock(vc, &f);
	if (vc->paused == pause) {
		ret = 0;
	} else if (!chan_hw_get(chan)) {
		/* unpowered, so nothing runs: the flag is all there is to change */
		vc->paused = pause;
		ret = 0;
	} else if (pause) {
		ret = chan->provider->ops->pause(chan);
		if (!ret)
			vc->paused = true;
		chan_hw_put(chan);
	} else {
		ret = chan->provider->ops->resume(chan);
		if (!ret) {
			vc->paused = false;
			if (dmae_vchan_has_issued(vc) && !chan->pm_wait)
				chan->provider->ops->issue_pending(chan);
		}
		chan_hw_put(chan);
	}
	dmae__vchan_unlock(vc, f);
	return ret;
}

int dmae_chan_pause(struct dmae_chan *chan)
{
	return chan_pause_resume(chan, true, "dmae_chan_pause");
}

int dmae_chan_resume(struct dmae_chan *chan)
{
	return chan_pause_resume(chan, false, "dmae_chan_resume");
}

int dmae_chan_stats_get(const struct dmae_chan *chan, struct dmae_chan_stats *st)
{
	if (!chan || !st)
		return dmae_fail(EINVAL, "dmae_chan_stats_get: NULL %s", !chan ? "channel" : "stats");
	st->submitted = atomic_load_explicit(&chan->st_submitted, memory_order_relaxed);
	st->completed = atomic_load_explicit(&chan->st_completed, memory_order_relaxed);
	st->errors = atomic_load_explicit(&chan->st_errors, memory_order_relaxed);
	st->terminated = atomic_load_explicit(&chan->st_terminated, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&chan->st_bytes, memory_order_relaxed);
	st->pool_size = chan->pool_size;
	st->pool_free = dmae__pool_free(chan);
	return 0;
}

struct dmae_dev *dmae_chan_dev(const struct dmae_chan *chan)
{
	return chan ? chan->dev : NULL;
}

const char *dmae_chan_name(const struct dmae_chan *chan)
{
	return chan ? chan->name : "(null)";
}

int dmae_chan_get_caps(const struct dmae_chan *chan, struct dmae_caps *caps)
{
	if (!chan || !caps)
		return dmae_fail(EINVAL, "dmae_chan_get_caps: NULL %s", !chan ? "channel" : "caps");
	*caps = chan->provider->caps;
	return 0;
}
