/* SPDX-License-Identifier: MIT */
/*
 * The polled burst fast path (dmae/fastpath.h): enabling it on a channel,
 * its debug argument checks, and the generic implementation for providers
 * without a native one (no fp_init op).
 *
 * The generic implementation is the descriptor API underneath:
 *
 *   enqueue     prep (no DMAE_PREP_INTERRUPT, no DMAE_PREP_ACK) + submit;
 *               the descriptor goes in a ring at the returned index
 *   doorbell    dmae_chan_issue_pending()
 *   completed   dmae_chan_status() on the newest cookie (which runs the
 *               provider's IRQ handler inline: polled mode), then, under
 *               vc->lock, walk the ring from the oldest entry while its
 *               descriptor is DONE, read its result and put it back in
 *               the pool
 *
 * So it has the descriptor API's ordering and error semantics by
 * construction, and shares the channel's pool with descriptor users: an
 * empty pool is -ENOSPC for both.  A descriptor dropped by terminate ends
 * DONE without a result (result.cookie never set): reported ABORTED.
 */
#include <inttypes.h>
#include <string.h>

#include <dmae/fastpath.h>

#include "core/core.h"

#define GFP_MAX_RING 32768u

struct gfp {
	struct dmae_chan *chan;
	uint32_t cap;		/* operations in flight at most */
	uint32_t mask;
	uint32_t head;		/* oldest not yet reported */
	uint32_t tail;		/* next enqueue */
	struct dmae_desc **ring;
};

/* ---- generic implementation ------------------------------------------------ */

static int gfp_enqueue(struct gfp *g, struct dmae_desc *d, unsigned int flags)
{
	dmae_cookie_t c;
	uint32_t idx;

	d->result.cookie = 0;	/* until it completes: see gfp_reap() */
	c = dmae_desc_submit(d);
	if (c < 0) {
		dmae_desc_free(d);
		return c;
	}
	idx = g->tail++;
	g->ring[idx & g->mask] = d;
	if (flags & DMAE_FP_SUBMIT)
		dmae_chan_issue_pending(g->chan);
	return (int)(idx & 0xffffu);
}

static unsigned int gfp_prep_flags(unsigned int fp_flags)
{
	return fp_flags & DMAE_FP_FENCE ? DMAE_PREP_FENCE : 0;
}

static int gfp_copy(void *ctx, dmae_addr_t dst, dmae_addr_t src, uint32_t len,
		    unsigned int flags)
{
	struct gfp *g = ctx;
	struct dmae_desc *d;
	int ret;

	if (g->tail - g->head >= g->cap)
		return -ENOSPC;
	ret = dmae_chan_prep_memcpy(g->chan, dst, src, len, gfp_prep_flags(flags), &d);
	return ret ? ret : gfp_enqueue(g, d, flags);
}

static int gfp_fill(void *ctx, dmae_addr_t dst, uint8_t value, uint32_t len,
		    unsigned int flags)
{
	struct gfp *g = ctx;
	struct dmae_desc *d;
	int ret;

	if (g->tail - g->head >= g->cap)
		return -ENOSPC;
	ret = dmae_chan_prep_memset(g->chan, dst, value, len, gfp_prep_flags(flags), &d);
	return ret ? ret : gfp_enqueue(g, d, flags);
}

static int gfp_submit(void *ctx)
{
	struct gfp *g = ctx;
	int ret = dmae_chan_issue_pending(g->chan);

	return ret < 0 ? ret : 0;
}

/*
 * Report up to max finished operations.  With codes NULL stop before the
 * first failed one and set *has_error; else report it with its code.
 */
static uint16_t gfp_reap(struct gfp *g, uint16_t max, uint16_t *last_idx,
			 bool *has_error, enum dmae_result_code *codes)
{
	struct dmae_vchan *vc = dmae_to_vchan(g->chan);
	dmae_irqflags_t f;
	uint16_t n = 0;

	if (has_error)
		*has_error = false;
	if (g->head == g->tail || !max)
		return 0;
	/* Polled mode: let the provider's handler collect finished work. */
	dmae_chan_status(g->chan, g->ring[(g->tail - 1) & g->mask]->cookie, NULL);
	dmae__vchan_lock(vc, &f);
	while (n < max && g->head != g->tail) {
		struct dmae_desc *d = g->ring[g->head & g->mask];
		enum dmae_result_code code;

		if (d->state != DMAE_DESC_DONE)
			break;
		code = d->result.cookie == d->cookie ? d->result.code : DMAE_RESULT_ABORTED;
		if (code != DMAE_RESULT_OK && !codes) {
			if (has_error)
				*has_error = true;
			break;
		}
		if (codes)
			codes[n] = code;
		dmae__pool_put(d);
		g->head++;
		n++;
	}
	dmae__vchan_unlock(vc, f);
	if (n && last_idx)
		*last_idx = (uint16_t)(g->head - 1);
	return n;
}

static uint16_t gfp_completed(void *ctx, uint16_t max, uint16_t *last_idx, bool *has_error)
{
	return gfp_reap(ctx, max, last_idx, has_error, NULL);
}

static uint16_t gfp_completed_status(void *ctx, uint16_t max, uint16_t *last_idx,
				     enum dmae_result_code *codes)
{
	return gfp_reap(ctx, max, last_idx, NULL, codes);
}

static uint16_t gfp_capacity(void *ctx)
{
	struct gfp *g = ctx;
	uint32_t room = g->cap - (g->tail - g->head);
	uint32_t pool = dmae__pool_free(g->chan);

	if (pool < room)
		room = pool;
	return (uint16_t)(room > 0xffffu ? 0xffffu : room);
}

static int gfp_init(struct dmae_chan *chan, struct dmae_fp *fp)
{
	struct gfp *g;
	uint32_t size = 1;

	g = dmae__zalloc(sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->chan = chan;
	g->cap = chan->pool_size < GFP_MAX_RING ? chan->pool_size : GFP_MAX_RING;
	while (size < g->cap)
		size <<= 1;
	g->mask = size - 1;
	g->ring = dmae__zalloc(sizeof(*g->ring) * size);
	if (!g->ring) {
		dmae__free(g);
		return -ENOMEM;
	}
	fp->ctx = g;
	fp->copy = gfp_copy;
	fp->fill = gfp_fill;
	fp->submit = gfp_submit;
	fp->completed = gfp_completed;
	fp->completed_status = gfp_completed_status;
	fp->capacity = gfp_capacity;
	fp->impl = "generic";
	fp->ring_size = g->cap;
	fp->priv = g;
	return 0;
}

static void gfp_fini(struct dmae_fp *fp)
{
	struct gfp *g = fp->priv;

	/* Descriptors still in the ring are DONE; the pool is freed next. */
	dmae__free(g->ring);
	dmae__free(g);
}

/* ---- enabling -------------------------------------------------------------- */

static bool has_native_fp(const struct dmae_provider_ops *ops)
{
	return ops->size >= offsetof(struct dmae_provider_ops, fp_init) + sizeof(ops->fp_init) &&
	       ops->fp_init;
}

static bool has_fp_fini(const struct dmae_provider_ops *ops)
{
	return ops->size >= offsetof(struct dmae_provider_ops, fp_fini) + sizeof(ops->fp_fini) &&
	       ops->fp_fini;
}

/*
 * A released channel's fast path: the object stays (a client may still
 * hold it) and every call on it fails.  ctx is the object itself, for the
 * log line.
 */
static int released_enqueue(void *ctx)
{
	struct dmae_fp *fp = ctx;

	return dmae_fail(EBADF, "dmae_fp: %s: the channel of this fast path was released",
			 fp->chan->name);
}

static int released_copy(void *ctx, dmae_addr_t dst, dmae_addr_t src, uint32_t len,
		     unsigned int flags)
{
	(void)dst, (void)src, (void)len, (void)flags;
	return released_enqueue(ctx);
}

static int released_fill(void *ctx, dmae_addr_t dst, uint8_t value, uint32_t len,
		     unsigned int flags)
{
	(void)dst, (void)value, (void)len, (void)flags;
	return released_enqueue(ctx);
}

static uint16_t released_completed(void *ctx, uint16_t max, uint16_t *last_idx, bool *has_error)
{
	(void)ctx, (void)max, (void)last_idx;
	if (has_error)
		*has_error = false;
	return 0;
}

static uint16_t released_completed_status(void *ctx, uint16_t max, uint16_t *last_idx,
				      enum dmae_result_code *codes)
{
	(void)ctx, (void)max, (void)last_idx, (void)codes;
	return 0;
}

static uint16_t released_capacity(void *ctx)
{
	(void)ctx;
	return 0;
}

static int released_wait(void *ctx, uint16_t count, uint64_t timeout_ns)
{
	(void)count, (void)timeout_ns;
	return released_enqueue(ctx);
}

static void fp_set_released(struct dmae_fp *fp)
{
	struct dmae_chan *chan = fp->chan;

	memset(fp, 0, sizeof(*fp));
	fp->ctx = fp;
	fp->copy = released_copy;
	fp->fill = released_fill;
	fp->submit = released_enqueue;
	fp->completed = released_completed;
	fp->completed_status = released_completed_status;
	fp->capacity = released_capacity;
	fp->wait = released_wait;
	fp->chan = chan;
	fp->impl = "released";
}

int dmae_chan_fp_get(struct dmae_chan *chan, struct dmae_fp **out)
{
	static const char fn[] = "dmae_chan_fp_get";
	const struct dmae_provider_ops *ops;
	enum dmae_chan_state s;
	int ret;

	dmae_might_sleep();
	if (!chan || !out)
		return dmae_fail(EINVAL, "%s: NULL %s", fn, !chan ? "channel" : "out-pointer");
	ops = chan->provider->ops;
	if (!(chan->provider->caps.ops & (DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET)))
		return dmae_fail(EOPNOTSUPP, "%s: %s can neither memcpy nor memset", fn,
				 chan->name);
	ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s == DMAE_CHAN_FREE || s == DMAE_CHAN_REVOKED || chan->busy) {
		ret = s == DMAE_CHAN_REVOKED ? dmae_fail(ENODEV, "%s: %s is revoked", fn, chan->name)
					     : dmae_fail(EBADF, "%s: %s is not requested", fn,
							 chan->name);
		goto out;
	}
	if (chan->fp_live)
		goto done;
	if (!chan->fp) {
		chan->fp = dmae__aligned_zalloc(sizeof(*chan->fp));
		if (!chan->fp) {
			ret = -ENOMEM;
			goto out;
		}
	}
	memset(chan->fp, 0, sizeof(*chan->fp));
	chan->fp->chan = chan;
	ret = has_native_fp(ops) ? ops->fp_init(chan, chan->fp) : gfp_init(chan, chan->fp);
	if (ret) {
		fp_set_released(chan->fp);
		goto out;
	}
	chan->fp_live = true;
done:
	*out = chan->fp;
out:
	dmae__registry_unlock();
	return ret;
}

void dmae__fp_release(struct dmae_chan *chan)
{
	struct dmae_fp *fp = chan->fp;
	const struct dmae_provider_ops *ops = chan->provider->ops;

	if (!chan->fp_live)
		return;
	chan->fp_live = false;
	if (has_native_fp(ops)) {
		if (has_fp_fini(ops))
			ops->fp_fini(chan, fp);
	} else {
		gfp_fini(fp);
	}
	fp_set_released(fp);
}

void dmae__fp_destroy(struct dmae_chan *chan)
{
	dmae__free(chan->fp);
	chan->fp = NULL;
}

/* ---- waiting ----------------------------------------------------------------- */

int dmae_fp_wait(struct dmae_fp *fp, uint16_t count, uint64_t timeout_ns)
{
	static const char fn[] = "dmae_fp_wait";

	dmae_might_sleep();
	if (!fp)
		return dmae_fail(EINVAL, "%s: NULL fast path", fn);
	if (!count)
		return dmae_fail(EINVAL, "%s: %s: a count of 0", fn, fp->chan->name);
	/* The completion it waits for may need this CPU: refuse in every build. */
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "%s: %s: called from %s context", fn, fp->chan->name,
				 dmae_ctx_describe());
	if (!fp->wait)
		return dmae_fail(EOPNOTSUPP, "%s: %s: the %s fast path has no completion event "
				 "to sleep on; poll dmae_fp_completed()", fn, fp->chan->name,
				 fp->impl);
	return fp->wait(fp->ctx, count, timeout_ns);
}

/* ---- debug checks ------------------------------------------------------------ */

int dmae__fp_check(const struct dmae_fp *fp, const char *fn, dmae_addr_t dst,
		   bool need_src, dmae_addr_t src, uint32_t len, unsigned int flags)
{
	if (!fp)
		return dmae_fail(EINVAL, "%s: NULL fast path", fn);
	if (!dst || (need_src && !src))
		return dmae_fail(EINVAL, "%s: %s: NULL %s address", fn, fp->chan->name,
				 !dst ? "destination" : "source");
	if (!len)
		return dmae_fail(EINVAL, "%s: %s: zero length", fn, fp->chan->name);
	if (len - 1 > UINT64_MAX - dst || (need_src && len - 1 > UINT64_MAX - src))
		return dmae_fail(EINVAL, "%s: %s: %s range wraps past the end of the address space",
				 fn, fp->chan->name, len - 1 > UINT64_MAX - dst ? "destination" : "source");
	if (need_src && (dst >= src ? dst - src < len : src - dst < len))
		return dmae_fail(EINVAL, "%s: %s: destination 0x%llx and source 0x%llx overlap "
				 "(%" PRIu32 " bytes)", fn, fp->chan->name, (unsigned long long)dst,
				 (unsigned long long)src, len);
	if (flags & ~DMAE_FP_FLAGS_ALL)
		return dmae_fail(EINVAL, "%s: %s: unknown flags 0x%x", fn, fp->chan->name,
				 flags & ~DMAE_FP_FLAGS_ALL);
	return 0;
}
