/* SPDX-License-Identifier: MIT */
/*
 * simdmac - the driver for the simulated DMA controller, and the
 * tutorial for writing a dmae driver.
 *
 * THE HARDWARE (src/hw/simdmac/simdmac_regs.h is its datasheet)
 *
 * A memory-mapped controller with up to 32 channels.  A channel executes
 * a linked list of items (struct simdmac_lli: source, destination,
 * length, control word, next) that it fetches from memory by itself: the
 * driver writes the address of the first item to the channel's LLP
 * register and sets CHCTL.EN.  The control word says which way data flows
 * (memory to memory, or to/from a peripheral paced by a request line),
 * whether each address increments, the bus width, the burst length and
 * whether the item raises the transfer-complete (TC) interrupt when it
 * is done.  A list whose last item points at the first runs forever: that
 * is a cyclic transfer.  While a channel runs, CUR says which item it
 * executes and PROGRESS how many bytes of it are done, in whole bursts.
 * Errors stop the channel, latch a cause in STATUS and raise the error
 * interrupt.  All channels share one interrupt line; TC/ERR status
 * registers say which channels want attention.
 *
 * THE SHAPE OF A DMAE DRIVER
 *
 * A driver does only the hardware part; the core checks every client
 * argument against the caps before an op is called, and the virt-channel
 * layer (dmae/vchan.h) owns the descriptor lists, cookies, callbacks and
 * the safety of termination.  What is left:
 *
 *   1. Three nested structs, each with one container_of accessor: the
 *      device embeds struct dmae_provider, the channel embeds struct
 *      dmae_vchan, the descriptor embeds struct dmae_desc and ends in the
 *      hardware's own descriptor format (here an array of LLIs).
 *
 *   2. prep ops turn a client request into hardware descriptors, in the
 *      memory the pool reserved for the descriptor (provider.desc_size).
 *      They run in any context: no allocation, no lock, no sleeping.
 *
 *   3. issue_pending: if the channel is idle, take the next descriptor
 *      (dmae_vchan_start_next) and program the hardware.
 *
 *   4. The IRQ handler: read and clear the status, and per channel,
 *      under the vchan lock, report what finished (dmae_vchan_complete,
 *      or dmae_vchan_cyclic_period for a cyclic one) and start the next
 *      descriptor right there, so the hardware never waits for a thread.
 *
 *   5. terminate / synchronize / pause / resume / residue: register
 *      writes and reads.  terminate runs under the vchan lock, so it
 *      only tells the hardware to stop; synchronize, in task context,
 *      waits until the hardware says it stopped.
 *
 * This driver keeps one descriptor at a time in the hardware (ch->running):
 * its list ends with an item that raises TC, and the handler starts the
 * next descriptor.  Chaining descriptors in hardware would save that one
 * handler round trip per descriptor at the price of patching lists that
 * the controller may be reading; starting from the handler is the simpler
 * rule and costs no scheduling gap (the handler runs in hard-IRQ context).
 *
 * Locking: everything a channel owns is protected by its vchan lock
 * (vc->lock), which every op except prep and synchronize already holds.
 * Register accesses never sleep, so they are allowed under it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <dmae/driver.h>

#include "providers/simdmac/simdmac_drv.h"

/* The largest 64-byte multiple the 32-bit LEN field of an item holds */
#define SIMDMAC_MAX_SEG_LEN ((uint64_t)UINT32_MAX & ~UINT64_C(63))
#define SIMDMAC_M2M_BURST 64u			/* words per memory burst */
#define SIMDMAC_SYNC_TIMEOUT_NS 1000000000ull

struct simdmac_chan {
	struct dmae_vchan vc;
	struct simdmac_drv *drv;
	int req_line;			/* -1: none; set by translate (registry lock) */
	struct simdmac_desc *running;	/* in the hardware; vc->lock */
	uint32_t cyc_item;		/* cyclic: item running at the last IRQ; vc->lock */
	bool stopping;			/* aborted, not yet seen idle; vc->lock */
};

struct simdmac_drv {
	struct dmae_provider p;
	struct simdmac_hw *hw;		/* our "MMIO window" */
	struct dmae_irq *_Atomic *irq_line;
	void (*released)(void *arg);
	void *released_arg;
	uint32_t nr_chans;
	struct simdmac_chan chans[];
};

static inline struct simdmac_chan *to_simdmac_chan(struct dmae_chan *chan)
{
	return dmae_container_of(dmae_to_vchan(chan), struct simdmac_chan, vc);
}

/* ---- register access: the only way the driver touches the hardware ---------- */

static inline uint32_t ch_reg(const struct simdmac_chan *ch, uint32_t reg)
{
	return SIMDMAC_CH_BASE(ch->vc.chan.index) + reg;
}

static inline uint32_t ch_readl(struct simdmac_chan *ch, uint32_t reg)
{
	return simdmac_readl(ch->drv->hw, ch_reg(ch, reg));
}

static inline void ch_writel(struct simdmac_chan *ch, uint32_t reg, uint32_t val)
{
	simdmac_writel(ch->drv->hw, ch_reg(ch, reg), val);
}

static inline uint64_t ch_readq(struct simdmac_chan *ch, uint32_t reg)
{
	return simdmac_readq(ch->drv->hw, ch_reg(ch, reg));
}

static inline void ch_writeq(struct simdmac_chan *ch, uint32_t reg, uint64_t val)
{
	simdmac_writeq(ch->drv->hw, ch_reg(ch, reg), val);
}

static inline uint32_t ch_state(struct simdmac_chan *ch)
{
	return SIMDMAC_STATUS_STATE(ch_readl(ch, SIMDMAC_CH_STATUS));
}

/* ---- building hardware lists (prep ops: any context, no lock) --------------- */

static inline uint64_t lli_addr(const struct simdmac_desc *sd, uint32_t i)
{
	return dmae_addr_of(&sd->lli[i]);
}

/* log2 of the widest bus width (8 bytes at most) that divides every value. */
static uint32_t width_log2(uint64_t bits)
{
	uint32_t w = 3;

	while (w && (bits & ((UINT64_C(1) << w) - 1)))
		w--;
	return w;
}

/* A memory-to-memory control word for the given addresses and length. */
static uint32_t ctrl_m2m(uint64_t align_bits, bool src_inc, bool dst_inc)
{
	return SIMDMAC_CTRL_FLOW(SIMDMAC_FLOW_M2M) | SIMDMAC_CTRL_WIDTH(width_log2(align_bits)) |
	       SIMDMAC_CTRL_BURST(SIMDMAC_M2M_BURST) | (src_inc ? SIMDMAC_CTRL_SRC_INC : 0) |
	       (dst_inc ? SIMDMAC_CTRL_DST_INC : 0);
}

static void lli_set(struct simdmac_desc *sd, uint32_t i, uint64_t src, uint64_t dst,
		    uint64_t len, uint32_t ctrl)
{
	sd->lli[i] = (struct simdmac_lli){ .src = src, .dst = dst, .len = (uint32_t)len,
					   .ctrl = ctrl };
}

/*
 * Chain items 0..n-1.  The last raises TC (the driver must hear about the
 * end to start the next descriptor) and, for a cyclic list, points back
 * at the first.
 */
static void lli_link(struct simdmac_desc *sd, uint32_t n, bool cyclic)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i++)
		sd->lli[i].next = lli_addr(sd, i + 1);
	sd->lli[n - 1].next = cyclic ? lli_addr(sd, 0) : 0;
	sd->lli[n - 1].ctrl |= SIMDMAC_CTRL_IE;
	sd->nlli = n;
}

static uint32_t lli_capacity(const struct dmae_chan *chan)
{
	return chan->provider->caps.max_sg * 2;
}

static int simdmac_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d,
			       dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);

	(void)chan;
	lli_set(sd, 0, src, dst, len, ctrl_m2m(src | dst | len, true, true));
	lli_link(sd, 1, false);
	return 0;
}

/* The controller has no fill mode: it reads a fixed word over and over. */
static int simdmac_prep_memset(struct dmae_chan *chan, struct dmae_desc *d,
			       dmae_addr_t dst, uint8_t value, uint64_t len)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);

	(void)chan;
	sd->fill = value * UINT64_C(0x0101010101010101);
	lli_set(sd, 0, dmae_addr_of(&sd->fill), dst, len, ctrl_m2m(dst | len, false, true));
	lli_link(sd, 1, false);
	return 0;
}

/* One item per piece contiguous on both sides: at most ndst + nsrc - 1. */
static int simdmac_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			   const struct dmae_sg *dst, unsigned int ndst,
			   const struct dmae_sg *src, unsigned int nsrc)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);
	unsigned int i = 0, j = 0;
	uint64_t doff = 0, soff = 0;
	uint32_t n = 0;

	(void)chan;
	while (i < ndst && j < nsrc) {
		uint64_t dl = dst[i].len - doff, sl = src[j].len - soff;
		uint64_t len = dl < sl ? dl : sl;
		uint64_t da = dst[i].addr + doff, sa = src[j].addr + soff;

		lli_set(sd, n++, sa, da, len, ctrl_m2m(sa | da | len, true, true));
		doff += len;
		soff += len;
		if (doff == dst[i].len) {
			i++;
			doff = 0;
		}
		if (soff == src[j].len) {
			j++;
			soff = 0;
		}
	}
	lli_link(sd, n, false);
	return 0;
}

/*
 * The LLI format has no 2D stride, so an interleaved template becomes one
 * item per chunk per frame, as long as they fit in the descriptor.
 */
static int simdmac_prep_interleaved(struct dmae_chan *chan, struct dmae_desc *d,
				    const struct dmae_interleaved *t)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);
	uint64_t src = t->src, dst = t->dst, f;
	uint32_t i, n = 0;

	if (t->numf * t->frame_size > lli_capacity(chan))
		return dmae_fail(EINVAL, "simdmac: %s: %llu frames of %" PRIu32 " chunks need more than "
				 "%" PRIu32 " list items", chan->name, (unsigned long long)t->numf,
				 t->frame_size, lli_capacity(chan));
	for (f = 0; f < t->numf; f++) {
		for (i = 0; i < t->frame_size; i++) {
			const struct dmae_chunk *c = &t->chunks[i];

			/* A chunk is contiguous; *_inc only says whether the
			 * next chunk starts further on. */
			lli_set(sd, n++, src, dst, c->size,
				ctrl_m2m(src | dst | c->size, true, true));
			if (t->src_inc)
				src += c->size + (t->src_sgl ? c->src_icg : 0);
			if (t->dst_inc)
				dst += c->size + (t->dst_sgl ? c->dst_icg : 0);
		}
	}
	lli_link(sd, n, false);
	return 0;
}

/* The control word of a slave transfer, from the descriptor's own config. */
static int slave_ctrl(struct dmae_chan *chan, const struct dmae_desc *d, uint32_t *ctrl)
{
	const struct dmae_slave_config *c = &d->cfg;
	int line = to_simdmac_chan(chan)->req_line;
	bool tx = d->dir == DMAE_MEM_TO_DEV;
	uint32_t width = tx ? c->dst_width : c->src_width;

	if (line < 0)
		return dmae_fail(EINVAL, "simdmac: %s has no request line: request slave "
				 "channels through a route", chan->name);
	*ctrl = SIMDMAC_CTRL_FLOW(tx ? SIMDMAC_FLOW_M2P : SIMDMAC_FLOW_P2M) |
		(tx ? SIMDMAC_CTRL_SRC_INC : SIMDMAC_CTRL_DST_INC) |
		SIMDMAC_CTRL_WIDTH(width_log2(width)) |
		SIMDMAC_CTRL_BURST(tx ? c->dst_burst : c->src_burst) | SIMDMAC_CTRL_REQ(line);
	return 0;
}

static void slave_item(struct simdmac_desc *sd, uint32_t i, uint64_t mem, uint64_t len,
		       uint32_t ctrl)
{
	const struct dmae_desc *d = &sd->d;

	if (d->dir == DMAE_MEM_TO_DEV)
		lli_set(sd, i, mem, d->cfg.dst_addr, len, ctrl);
	else
		lli_set(sd, i, d->cfg.src_addr, mem, len, ctrl);
}

static int simdmac_prep_slave_sg(struct dmae_chan *chan, struct dmae_desc *d,
				 const struct dmae_sg *sg, unsigned int nsg)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);
	uint32_t ctrl, i;
	int ret = slave_ctrl(chan, d, &ctrl);

	if (ret)
		return ret;
	for (i = 0; i < nsg; i++)
		slave_item(sd, i, sg[i].addr, sg[i].len, ctrl);
	lli_link(sd, nsg, false);
	return 0;
}

/* One item per period, each raising TC, the last pointing at the first. */
static int simdmac_prep_cyclic(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t buf)
{
	struct simdmac_desc *sd = to_simdmac_desc(d);
	uint32_t ctrl, i, n = (uint32_t)(d->len / d->period_len);
	int ret = slave_ctrl(chan, d, &ctrl);

	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		slave_item(sd, i, buf + i * d->period_len, d->period_len,
			   ctrl | SIMDMAC_CTRL_IE);
	lli_link(sd, n, true);
	return 0;
}

/* ---- running descriptors (vc->lock held) --------------------------------------- */

/* If the channel is free, hand the next issued descriptor to the hardware. */
static void simdmac_start(struct simdmac_chan *ch)
{
	struct dmae_desc *d;

	if (ch->running || ch->vc.paused)
		return;
	d = dmae_vchan_start_next(&ch->vc);
	if (!d)
		return;
	ch->running = to_simdmac_desc(d);
	ch->cyc_item = 0;
	ch->stopping = false;
	ch_writeq(ch, SIMDMAC_CH_LLP, lli_addr(ch->running, 0));
	ch_writel(ch, SIMDMAC_CH_CHCTL, SIMDMAC_CHCTL_EN);
}

/* Index of the item the channel executes, or nlli if it fetched none of sd's. */
static uint32_t running_item(const struct simdmac_desc *sd, uint64_t cur)
{
	uint64_t base = lli_addr(sd, 0);

	if (cur < base || (cur - base) % sizeof(struct simdmac_lli) ||
	    (cur - base) / sizeof(struct simdmac_lli) >= sd->nlli)
		return sd->nlli;
	return (uint32_t)((cur - base) / sizeof(struct simdmac_lli));
}

/*
 * Bytes left of the running descriptor (of the current pass, for cyclic):
 * the items after the current one, plus what the current one has left.
 * CUR and PROGRESS are two registers: read CUR again to be sure the
 * channel did not move on in between.
 */
static uint64_t hw_residue(struct simdmac_chan *ch, struct simdmac_desc *sd)
{
	uint64_t cur, left = 0;
	uint32_t progress, i, item;

	do {
		cur = ch_readq(ch, SIMDMAC_CH_CUR);
		progress = ch_readl(ch, SIMDMAC_CH_PROGRESS);
	} while (cur != ch_readq(ch, SIMDMAC_CH_CUR));
	item = running_item(sd, cur);
	if (item == sd->nlli)
		return sd->d.len;	/* not fetched yet */
	for (i = item; i < sd->nlli; i++)
		left += sd->lli[i].len;
	return left - progress;
}

static uint64_t simdmac_residue(struct dmae_chan *chan, struct dmae_desc *d)
{
	struct simdmac_chan *ch = to_simdmac_chan(chan);
	struct simdmac_desc *sd = to_simdmac_desc(d);

	return ch->running == sd ? hw_residue(ch, sd) : d->len;
}

static void simdmac_issue_pending(struct dmae_chan *chan)
{
	simdmac_start(to_simdmac_chan(chan));
}

static enum dmae_result_code error_code(uint32_t cause)
{
	switch (cause) {
	case SIMDMAC_ERR_READ:
	case SIMDMAC_ERR_FETCH:		/* the list itself could not be read */
		return DMAE_RESULT_READ_FAILED;
	case SIMDMAC_ERR_WRITE:
		return DMAE_RESULT_WRITE_FAILED;
	default:
		return DMAE_RESULT_ABORTED;
	}
}

/* Report the periods a cyclic descriptor finished since the last IRQ. */
static void cyclic_periods(struct simdmac_chan *ch, struct simdmac_desc *sd, bool tc)
{
	uint32_t item = running_item(sd, ch_readq(ch, SIMDMAC_CH_CUR)), n;

	if (item == sd->nlli)
		return;
	if (sd->nlli == 1) {
		n = tc;		/* the position never moves: count interrupts */
	} else {
		/* a TC raised after we read CUR last time was already counted */
		n = (item + sd->nlli - ch->cyc_item) % sd->nlli;
		ch->cyc_item = item;
	}
	while (n--)
		dmae_vchan_cyclic_period(&sd->d);
}

/* One channel's share of an interrupt.  vc->lock held. */
static void chan_irq(struct simdmac_chan *ch, bool tc, bool err)
{
	struct simdmac_desc *sd = ch->running;
	uint32_t status;

	if (!sd)
		return;		/* terminated since the hardware raised it */
	status = ch_readl(ch, SIMDMAC_CH_STATUS);
	switch (SIMDMAC_STATUS_STATE(status)) {
	case SIMDMAC_ST_ERROR:
		ch->running = NULL;
		dmae_vchan_complete(&sd->d, error_code(SIMDMAC_STATUS_CAUSE(status)),
				    hw_residue(ch, sd));
		break;
	case SIMDMAC_ST_IDLE:
		if (sd->d.op == DMAE_OP_CYCLIC)
			return;	/* aborted */
		ch->running = NULL;
		dmae_vchan_complete(&sd->d, DMAE_RESULT_OK, 0);
		break;
	default:	/* RUNNING or PAUSED */
		if (sd->d.op == DMAE_OP_CYCLIC)
			cyclic_periods(ch, sd, tc);
		return;	/* otherwise a stale TC: the list is not done */
	}
	(void)err;
	simdmac_start(ch);
}

static enum dmae_irqreturn simdmac_irq(void *arg)
{
	struct simdmac_drv *drv = arg;
	uint32_t tc = simdmac_readl(drv->hw, SIMDMAC_TC_STATUS);
	uint32_t err = simdmac_readl(drv->hw, SIMDMAC_ERR_STATUS);
	uint32_t pending = tc | err;

	if (!pending)
		return DMAE_IRQ_NONE;	/* spurious, or another device's */
	/* Clear first: an event after this raises the line again. */
	simdmac_writel(drv->hw, SIMDMAC_TC_CLEAR, tc);
	simdmac_writel(drv->hw, SIMDMAC_ERR_CLEAR, err);
	while (pending) {
		uint32_t n = (uint32_t)__builtin_ctz(pending);
		struct simdmac_chan *ch = &drv->chans[n];
		dmae_irqflags_t f;

		pending &= pending - 1;
		if (n >= drv->nr_chans)
			continue;
		dmae_vchan_lock(&ch->vc, &f);
		chan_irq(ch, tc & (1u << n), err & (1u << n));
		dmae_vchan_unlock(&ch->vc, f);
	}
	return DMAE_IRQ_HANDLED;
}

/* ---- control ---------------------------------------------------------------------- */

/* Abort takes effect at a burst boundary; synchronize waits for IDLE. */
static void simdmac_terminate(struct dmae_chan *chan)
{
	struct simdmac_chan *ch = to_simdmac_chan(chan);
	uint32_t bit = 1u << chan->index;

	ch_writel(ch, SIMDMAC_CH_CHCTL, 0);
	simdmac_writel(ch->drv->hw, SIMDMAC_TC_CLEAR, bit);
	simdmac_writel(ch->drv->hw, SIMDMAC_ERR_CLEAR, bit);
	ch->running = NULL;
	ch->stopping = true;
}

/* Quiet (not running or paused), or restarted by a new issue.  vc->lock held. */
static bool simdmac_stopped(struct dmae_vchan *vc)
{
	struct simdmac_chan *ch = to_simdmac_chan(&vc->chan);
	uint32_t st = ch_state(ch);

	return ch->running || (st != SIMDMAC_ST_RUNNING && st != SIMDMAC_ST_PAUSED);
}

static void simdmac_synchronize(struct dmae_chan *chan)
{
	struct simdmac_chan *ch = to_simdmac_chan(chan);

	dmae_vchan_wait_stopped(&ch->vc, &ch->stopping, simdmac_stopped,
				SIMDMAC_SYNC_TIMEOUT_NS);
}

/*
 * HALT takes effect at a burst boundary, before the write returns; we
 * still read STATUS back, as a driver for real silicon must.  A channel
 * that already finished is left alone: its IRQ completes it, and the core
 * keeps the next one from starting while paused.
 */
static int simdmac_pause(struct dmae_chan *chan)
{
	struct simdmac_chan *ch = to_simdmac_chan(chan);
	unsigned int tries;

	if (!ch->running || ch_state(ch) != SIMDMAC_ST_RUNNING)
		return 0;
	ch_writel(ch, SIMDMAC_CH_CHCTL, SIMDMAC_CHCTL_EN | SIMDMAC_CHCTL_HALT);
	for (tries = 0; tries < 1000000; tries++) {
		if (ch_state(ch) != SIMDMAC_ST_RUNNING)
			return 0;
		dmae_cpu_relax();
	}
	return dmae_fail(EBUSY, "simdmac: %s: channel did not halt", chan->name);
}

static int simdmac_resume(struct dmae_chan *chan)
{
	struct simdmac_chan *ch = to_simdmac_chan(chan);

	if (ch->running && ch_state(ch) == SIMDMAC_ST_PAUSED)
		ch_writel(ch, SIMDMAC_CH_CHCTL, SIMDMAC_CHCTL_EN);
	return 0;
}

/* spec[0] is a request line: bind it to the first free channel. */
static int simdmac_translate(struct dmae_provider *p, const uint32_t *spec, unsigned int nspec,
			     struct dmae_chan **out)
{
	struct simdmac_drv *drv = p->drvdata;
	uint32_t i;

	if (nspec < 1 || spec[0] >= SIMDMAC_NR_LINES)
		return -ENODEV;
	for (i = 0; i < drv->nr_chans; i++) {
		struct simdmac_chan *ch = &drv->chans[i];

		if (atomic_load(&ch->vc.chan.state) == DMAE_CHAN_FREE) {
			ch->req_line = (int)spec[0];
			*out = &ch->vc.chan;
			return 0;
		}
	}
	return -ENODEV;
}

static void simdmac_chan_free(struct dmae_chan *chan)
{
	to_simdmac_chan(chan)->req_line = -1;
}

/* ---- power: the core decides when; the driver only gates its clocks ---------------- */

static int simdmac_runtime_suspend(struct dmae_provider *p)
{
	return simdmac_hw_clock(((struct simdmac_drv *)p->drvdata)->hw, -1, false);
}

static int simdmac_runtime_resume(struct dmae_provider *p)
{
	return simdmac_hw_clock(((struct simdmac_drv *)p->drvdata)->hw, -1, true);
}

static int simdmac_chan_runtime_suspend(struct dmae_chan *chan)
{
	return simdmac_hw_clock(to_simdmac_chan(chan)->drv->hw, (int)chan->index, false);
}

static int simdmac_chan_runtime_resume(struct dmae_chan *chan)
{
	return simdmac_hw_clock(to_simdmac_chan(chan)->drv->hw, (int)chan->index, true);
}

static void simdmac_release(struct dmae_provider *p);

static const struct dmae_provider_ops simdmac_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.chan_free = simdmac_chan_free,
	.prep_memcpy = simdmac_prep_memcpy,
	.prep_memset = simdmac_prep_memset,
	.prep_sg = simdmac_prep_sg,
	.prep_interleaved = simdmac_prep_interleaved,
	.prep_slave_sg = simdmac_prep_slave_sg,
	.prep_cyclic = simdmac_prep_cyclic,
	.issue_pending = simdmac_issue_pending,
	.terminate = simdmac_terminate,
	.synchronize = simdmac_synchronize,
	.residue = simdmac_residue,
	.pause = simdmac_pause,
	.resume = simdmac_resume,
	.translate = simdmac_translate,
	.release = simdmac_release,
	.runtime_suspend = simdmac_runtime_suspend,
	.runtime_resume = simdmac_runtime_resume,
	.chan_runtime_suspend = simdmac_chan_runtime_suspend,
	.chan_runtime_resume = simdmac_chan_runtime_resume,
};

/* ---- probe and remove -------------------------------------------------------------- */

int simdmac_drv_probe(struct simdmac_hw *hw, struct dmae_irq *_Atomic *irq_line,
		      const struct simdmac_drv_config *cfg, struct simdmac_drv **out)
{
	struct simdmac_drv *drv;
	struct dmae_provider *p;
	struct dmae_irq *irq;
	uint32_t n, i, all;
	int ret;

	dmae_might_sleep();
	if (simdmac_readl(hw, SIMDMAC_ID) != SIMDMAC_ID_VALUE)
		return dmae_fail(ENODEV, "simdmac: no controller (ID 0x%08" PRIx32 ")",
				 simdmac_readl(hw, SIMDMAC_ID));
	n = SIMDMAC_CFG_CHANS(simdmac_readl(hw, SIMDMAC_CFG));
	if (!n || n > SIMDMAC_MAX_CHANS)
		return dmae_fail(ENODEV, "simdmac: controller reports %" PRIu32 " channels", n);
	drv = dmae_mem_zalloc_aligned(sizeof(*drv) + sizeof(drv->chans[0]) * n);
	if (!drv)
		return -ENOMEM;
	drv->hw = hw;
	drv->irq_line = irq_line;
	drv->released = cfg->released;
	drv->released_arg = cfg->released_arg;
	drv->nr_chans = n;

	p = &drv->p;
	dmae_provider_init(p);
	snprintf(p->name, sizeof(p->name), "%s", cfg->name);
	p->ops = &simdmac_ops;
	p->iommu = cfg->iommu;
	p->caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET | DMAE_CAP_SG | DMAE_CAP_INTERLEAVED |
		       DMAE_CAP_SLAVE_SG | DMAE_CAP_CYCLIC,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM) | DMAE_DIR_BIT(DMAE_MEM_TO_DEV) |
			      DMAE_DIR_BIT(DMAE_DEV_TO_MEM),
		.addr_widths = 0xf,	/* 1, 2, 4, 8 bytes */
		.min_burst = 1,
		.max_burst = SIMDMAC_MAX_BURST,
		.max_sg = cfg->max_sg,
		.max_seg_len = SIMDMAC_MAX_SEG_LEN,
		.residue = DMAE_RESIDUE_BURST,
		.desc_reuse = true,
		.pause = true,
		.terminate = true,
	};
	p->desc_size = sizeof(struct simdmac_desc) +
		       sizeof(struct simdmac_lli) * 2 * (size_t)cfg->max_sg;
	p->default_pool_size = cfg->pool_size;
	p->drvdata = drv;
	for (i = 0; i < n; i++) {
		drv->chans[i].drv = drv;
		drv->chans[i].req_line = -1;
		dmae_vchan_init(&drv->chans[i].vc, p, i);
	}

	ret = dmae_irq_request(p->name, simdmac_irq, drv, &irq);
	if (ret)
		goto err_free;
	p->irq = irq;
	atomic_store(irq_line, irq);

	/* quiet the controller, then let it interrupt us */
	for (i = 0; i < n; i++)
		simdmac_writel(hw, SIMDMAC_CH_BASE(i) + SIMDMAC_CH_CHCTL, 0);
	all = n == 32 ? ~0u : (1u << n) - 1;
	simdmac_writel(hw, SIMDMAC_TC_CLEAR, all);
	simdmac_writel(hw, SIMDMAC_ERR_CLEAR, all);
	simdmac_writel(hw, SIMDMAC_TC_MASK, all);
	simdmac_writel(hw, SIMDMAC_ERR_MASK, all);
	simdmac_writel(hw, SIMDMAC_CTRL, SIMDMAC_CTRL_EN);

	ret = dmae_provider_register(p);
	if (ret)
		goto err_irq;
	*out = drv;
	return 0;

err_irq:
	simdmac_writel(hw, SIMDMAC_CTRL, 0);
	simdmac_writel(hw, SIMDMAC_TC_MASK, 0);
	simdmac_writel(hw, SIMDMAC_ERR_MASK, 0);
	atomic_store(irq_line, NULL);
	dmae_irq_free(irq);
err_free:
	dmae_mem_free(drv);
	return ret;
}

int simdmac_drv_remove(struct simdmac_drv *drv)
{
	dmae_might_sleep();
	return dmae_provider_unregister(&drv->p);
}

/*
 * Nothing is held any more (the core calls it).  The controller may be
 * clock-gated: this is the driver's own teardown, so it ungates the clocks
 * it is about to write through, as a driver's remove enables its clock.
 */
static void simdmac_release(struct dmae_provider *p)
{
	struct simdmac_drv *drv = p->drvdata;
	void (*released)(void *arg) = drv->released;
	void *arg = drv->released_arg;
	uint32_t i;

	simdmac_hw_clock(drv->hw, -1, true);
	for (i = 0; i < drv->nr_chans; i++)
		simdmac_hw_clock(drv->hw, (int)i, true);
	simdmac_writel(drv->hw, SIMDMAC_TC_MASK, 0);
	simdmac_writel(drv->hw, SIMDMAC_ERR_MASK, 0);
	simdmac_writel(drv->hw, SIMDMAC_CTRL, 0);
	atomic_store(drv->irq_line, NULL);
	dmae_irq_free(drv->p.irq);
	dmae_mem_free(drv);
	if (released)
		released(arg);
}

struct dmae_provider *simdmac_drv_provider(struct simdmac_drv *drv)
{
	return &drv->p;
}
