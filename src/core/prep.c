/* SPDX-License-Identifier: MIT */
/*
 * Preparing descriptors: every dmae_chan_prep_*() and the slave
 * configuration.
 *
 * Each prep validates its arguments against the channel's caps -- null
 * addresses, lengths, alignment, ranges that wrap or overlap, totals that
 * overflow -- logs what is wrong and returns a negative errno before the
 * provider's prep op is called.  Prep never sleeps and never allocates:
 * the descriptor comes from the channel's pool.
 */
#include <inttypes.h>
#include <string.h>

#include "core/core.h"

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

	if (!dmae__chan_live(chan))
		return dmae__chan_refuse(chan, fn);
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
		dmae_dbg("%s: %s: descriptor pool empty (%" PRIu32 " descriptors)", fn,
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
		return dmae_fail(EINVAL, "%s: %s: %u %s entries (allowed 1..%" PRIu32 ")", fn,
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
		return dmae_fail(EINVAL, "%s: %s: %" PRIu32 " chunks per frame (allowed 1..%" PRIu32 ")%s",
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
		return dmae_fail(EINVAL, "%s: %s: bus width %" PRIu32 " not supported (mask 0x%" PRIx32 ")", fn,
				 chan->name, width, caps->addr_widths);
	if (burst < caps->min_burst || burst > caps->max_burst)
		return dmae_fail(EINVAL, "%s: %s: burst %" PRIu32 " outside %" PRIu32 "..%" PRIu32 "", fn, chan->name,
				 burst, caps->min_burst, caps->max_burst);
	return 0;
}

/* Validate a configuration as a whole, for each direction it sets up. */
int dmae_chan_config(struct dmae_chan *chan, const struct dmae_slave_config *cfg)
{
	static const char fn[] = "dmae_chan_config";
	dmae_irqflags_t f;
	int ret = 0;

	DMAE__CHECK_CHAN(chan, fn);
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
					 "multiple of the %" PRIu32 "-byte bus width", fn, chan->name, i,
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
		return dmae_fail(EINVAL, "%s: %s: %llu periods (max %" PRIu32 ")", fn, chan->name,
				 (unsigned long long)(buf_len / period_len),
				 chan->provider->caps.max_sg);
	ret = check_seg_len(chan, fn, period_len);
	if (ret)
		return ret;
	if ((buf | period_len) & (width - 1))
		return dmae_fail(EINVAL, "%s: %s: buffer or period not a multiple of the %" PRIu32 "-byte "
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
