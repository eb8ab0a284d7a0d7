/* SPDX-License-Identifier: MIT */
/*
 * pl08x - the driver for the ARM PrimeCell DMA controllers PL080 (8
 * channels) and PL081 (2 channels), written from their technical
 * reference manuals (ARM DDI 0196, DDI 0218).  docs/pl08x.md reads it
 * next to them, register by register.
 *
 * THE HARDWARE (pl08x_regs.h has the register map)
 *
 * A channel runs a linked list of items, each four words in memory
 * (source, destination, next item, control word).  The driver loads the
 * first item into the channel's registers itself and enables the
 * channel; the controller fetches the rest.  The control word's
 * TransferSize (12 bits) counts source-width transfers, so one item moves
 * at most 4095 bytes, halfwords or words; a longer copy is a list.  The
 * item whose control word has I set raises the terminal count (TC)
 * interrupt when it is done, the channel then disables itself.  An AHB
 * error response disables the channel and raises the error interrupt.
 * The Halt bit stops the channel taking further requests; the Active bit
 * says whether data is still in its FIFO.
 *
 * THE DRIVER
 *
 * It follows the simdmac driver's shape (docs/provider.md): one
 * descriptor in a channel at a time (ch->running), whose list ends with
 * the only item that raises TC; the handler completes it and starts the
 * next one.  List items live in the descriptor, in the memory the pool
 * reserved when the channel was requested (provider.desc_size), so prep
 * never allocates.  Bus addresses are 32 bits: prep refuses anything
 * above 4 GiB.
 *
 * Locking: everything a channel owns is protected by its vchan lock
 * (vc->lock), which every op but prep and synchronize already holds; the
 * handler takes it per channel.  Register accesses never sleep.  The
 * global clear registers are written under the lock of the channel whose
 * bit is cleared, so two runs of the handler (the TC and error lines, or
 * a line and a poll) never both act on one event.
 */
#include <stdio.h>
#include <string.h>

#include <dmae/driver.h>
#include <dmae/pl08x.h>

#include "providers/pl08x/pl08x_regs.h"

#define PL08X_DEF_MAX_LLI 32u
#define PL08X_MIN_MAX_LLI 4u	/* a copy's head and tail items fit beside its body */
#define PL08X_MAX_MAX_LLI 4096u
#define PL08X_DEF_MAX_SG 16u
#define PL08X_DEF_POOL 16u
#define PL08X_M2M_BURST_CODE 1u	/* 4 transfers: the channel FIFO holds 4 words */
#define PL08X_SYNC_TIMEOUT_NS 1000000000ull
#define PL08X_HALT_TRIES 1000000u
#define PL08X_ADDR_LIMIT (UINT64_C(1) << 32)

struct pl08x_desc {
	struct dmae_desc d;
	uint32_t ccfg;			/* channel configuration: flow, request lines */
	uint32_t nlli;
	bool periph_flow;		/* the peripheral ends each item */
	struct pl08x_lli lli[];		/* provider max_lli; 4-byte aligned (TRM) */
};

_Static_assert(_Alignof(struct pl08x_lli) >= 4, "list items must be word aligned");

struct pl08x_chan {
	struct dmae_vchan vc;
	struct dmae_pl08x *drv;
	int req_line;			/* -1: none; translate (registry lock) */
	uint32_t spec_flags;		/* DMAE_PL08X_SPEC_*; translate */
	struct pl08x_desc *running;	/* in the hardware; vc->lock */
	bool stopping;			/* terminated, not yet seen stopped; vc->lock */
};

struct dmae_pl08x {
	struct dmae_provider p;
	volatile uint8_t *base;		/* the register block */
	struct dmae_irq *irq2;		/* DMACINTERR when TC and error are split */
	uint32_t nr_chans;
	uint32_t max_lli;
	struct pl08x_chan chans[];
};

static inline struct pl08x_chan *to_pl08x_chan(struct dmae_chan *chan)
{
	return dmae_container_of(dmae_to_vchan(chan), struct pl08x_chan, vc);
}

static inline struct pl08x_desc *to_pl08x_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct pl08x_desc, d);
}

/* ---- register access ------------------------------------------------------- */

static inline uint32_t rd(struct dmae_pl08x *drv, uint32_t off)
{
	return dmae_mmio_read32(drv->base + off);
}

static inline void wr(struct dmae_pl08x *drv, uint32_t off, uint32_t v)
{
	dmae_mmio_write32(drv->base + off, v);
}

static inline uint32_t ch_rd(struct pl08x_chan *ch, uint32_t reg)
{
	return rd(ch->drv, PL08X_CH_BASE(ch->vc.chan.index) + reg);
}

static inline void ch_wr(struct pl08x_chan *ch, uint32_t reg, uint32_t v)
{
	wr(ch->drv, PL08X_CH_BASE(ch->vc.chan.index) + reg, v);
}

static inline uint32_t ch_bit(const struct pl08x_chan *ch)
{
	return 1u << ch->vc.chan.index;
}

/* ---- building lists (prep ops: any context, no lock) ------------------------- */

/* The widest transfer, in bytes (4, 2 or 1), that every value's alignment allows. */
static uint32_t widest(uint64_t bits)
{
	return !(bits & 3) ? 4 : !(bits & 1) ? 2 : 1;
}

/* TRM width code: 0 byte, 1 halfword, 2 word */
static uint32_t width_code(uint32_t bytes)
{
	return bytes == 4 ? 2 : bytes == 2 ? 1 : 0;
}

/* The largest burst code (1, 4, 8, ... 256 transfers) not above words. */
static uint32_t burst_code(uint32_t words)
{
	uint32_t code = 0;

	while (code + 1 < PL08X_BURST_CODES && (2u << (code + 1)) <= words)
		code++;
	return code;
}

static uint64_t item_len(const struct pl08x_lli *l)
{
	return (uint64_t)(l->ctrl & PL08X_CTRL_SIZE_MASK) << PL08X_CTRL_SWIDTH_OF(l->ctrl);
}

static int check_range(struct dmae_chan *chan, uint64_t addr, uint64_t len)
{
	if (addr >= PL08X_ADDR_LIMIT || len > PL08X_ADDR_LIMIT - addr)
		return dmae_fail(EINVAL, "pl08x: %s: [0x%llx, +%llu) is beyond the 32-bit bus",
				 chan->name, (unsigned long long)addr, (unsigned long long)len);
	return 0;
}

static void desc_begin(struct pl08x_desc *pd, uint32_t ccfg, bool periph_flow)
{
	pd->ccfg = ccfg;
	pd->nlli = 0;
	pd->periph_flow = periph_flow;
}

static int lli_add(struct pl08x_desc *pd, uint32_t cap, uint64_t src, uint64_t dst,
		   uint32_t ctrl)
{
	if (pd->nlli == cap)
		return -ENOSPC;
	pd->lli[pd->nlli++] = (struct pl08x_lli){ .src = (uint32_t)src, .dst = (uint32_t)dst,
						  .ctrl = ctrl };
	return 0;
}

/*
 * Items copying len bytes from src to dst, both incrementing.  The
 * emulated controller mishandles items whose source and destination
 * widths differ, so both sides use one width: the widest both addresses
 * allow.  When they share a misalignment, a short first item reaches the
 * next boundary so that the rest moves in wider units.  -ENOSPC if the
 * descriptor holds fewer than the items needed.
 */
static int lli_copy(struct pl08x_desc *pd, uint32_t cap, uint64_t src, uint64_t dst,
		    uint64_t len)
{
	while (len) {
		uint32_t w = widest(src | dst), best = widest(src ^ dst);
		uint64_t n;

		while (w > len)
			w >>= 1;
		n = len / w;
		if (n > PL08X_CTRL_SIZE_MAX)
			n = PL08X_CTRL_SIZE_MAX;
		if (best > w && (src & (best - 1))) {
			uint64_t to_boundary = (best - (src & (best - 1))) / w;

			if (n > to_boundary)
				n = to_boundary;
		}
		if (lli_add(pd, cap, src, dst,
			    PL08X_CTRL_SWIDTH(width_code(w)) | PL08X_CTRL_DWIDTH(width_code(w)) |
			    PL08X_CTRL_SBSIZE(PL08X_M2M_BURST_CODE) |
			    PL08X_CTRL_DBSIZE(PL08X_M2M_BURST_CODE) | PL08X_CTRL_SI |
			    PL08X_CTRL_DI | (uint32_t)n))
			return -ENOSPC;
		src += n * w;
		dst += n * w;
		len -= n * w;
	}
	return 0;
}

/* One item for len bytes (at most 4095), in the widest unit all allow. */
static int lli_one(struct pl08x_desc *pd, uint32_t cap, uint64_t src, uint64_t dst,
		   uint64_t len)
{
	uint32_t w = widest(src | dst | len);

	return lli_add(pd, cap, src, dst,
		       PL08X_CTRL_SWIDTH(width_code(w)) | PL08X_CTRL_DWIDTH(width_code(w)) |
		       PL08X_CTRL_SBSIZE(PL08X_M2M_BURST_CODE) |
		       PL08X_CTRL_DBSIZE(PL08X_M2M_BURST_CODE) | PL08X_CTRL_SI | PL08X_CTRL_DI |
		       (uint32_t)(len / w));
}

/* Chain the items (each word aligned); only the last raises TC. */
static void lli_link(struct pl08x_desc *pd)
{
	uint32_t i;

	for (i = 0; i + 1 < pd->nlli; i++)
		pd->lli[i].next = (uint32_t)dmae_addr_of(&pd->lli[i + 1]) & PL08X_LLI_ADDR_MASK;
	pd->lli[pd->nlli - 1].next = 0;
	pd->lli[pd->nlli - 1].ctrl |= PL08X_CTRL_I;
}

static int too_long(struct dmae_chan *chan)
{
	struct dmae_pl08x *drv = to_pl08x_chan(chan)->drv;

	return dmae_fail(EINVAL, "pl08x: %s: the transfer needs more than the %u list items "
			 "of a descriptor", chan->name, (unsigned int)drv->max_lli);
}

static int pl08x_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	struct pl08x_desc *pd = to_pl08x_desc(d);
	int ret = check_range(chan, src, len);

	if (!ret)
		ret = check_range(chan, dst, len);
	if (ret)
		return ret;
	desc_begin(pd, PL08X_CCFG_FLOW(PL08X_FLOW_M2M), false);
	if (lli_copy(pd, to_pl08x_chan(chan)->drv->max_lli, src, dst, len))
		return too_long(chan);	/* not reached: max_seg_len fits the worst case */
	lli_link(pd);
	return 0;
}

static int check_sg(struct dmae_chan *chan, const struct dmae_sg *sg, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = check_range(chan, sg[i].addr, sg[i].len);
	return ret;
}

/*
 * Pieces contiguous on both sides.  A piece of at most 4095 bytes is one
 * item, in the widest unit its addresses and length share, so that
 * max_sg entries a side (at most 2 * max_sg - 1 pieces) fit the
 * descriptor when no entry is longer than that; a longer piece is split
 * as a memcpy is.
 */
static int pl08x_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			 const struct dmae_sg *dst, unsigned int ndst,
			 const struct dmae_sg *src, unsigned int nsrc)
{
	struct pl08x_desc *pd = to_pl08x_desc(d);
	uint32_t cap = to_pl08x_chan(chan)->drv->max_lli;
	unsigned int di = 0, si = 0;
	uint64_t doff = 0, soff = 0;
	int ret = check_sg(chan, dst, ndst);

	if (!ret)
		ret = check_sg(chan, src, nsrc);
	if (ret)
		return ret;
	desc_begin(pd, PL08X_CCFG_FLOW(PL08X_FLOW_M2M), false);
	while (di < ndst && si < nsrc) {
		uint64_t dl = dst[di].len - doff, sl = src[si].len - soff;
		uint64_t len = dl < sl ? dl : sl;

		if (len <= PL08X_CTRL_SIZE_MAX)
			ret = lli_one(pd, cap, src[si].addr + soff, dst[di].addr + doff, len);
		else
			ret = lli_copy(pd, cap, src[si].addr + soff, dst[di].addr + doff, len);
		if (ret)
			return too_long(chan);
		doff += len;
		soff += len;
		if (doff == dst[di].len) {
			di++;
			doff = 0;
		}
		if (soff == src[si].len) {
			si++;
			soff = 0;
		}
	}
	lli_link(pd);
	return 0;
}

/*
 * Flow and request line of a slave descriptor (TRM FlowCntrl): the DMAC
 * controls the flow unless the route said the peripheral does.
 */
static uint32_t slave_ccfg(const struct pl08x_chan *ch, bool tx)
{
	bool pf = ch->spec_flags & DMAE_PL08X_SPEC_PERIPH_FLOW;
	uint32_t line = (uint32_t)ch->req_line;

	if (tx)
		return PL08X_CCFG_FLOW(pf ? PL08X_FLOW_M2P_PERIPH : PL08X_FLOW_M2P) |
		       PL08X_CCFG_DST_PERIPH(line);
	return PL08X_CCFG_FLOW(pf ? PL08X_FLOW_P2M_PERIPH : PL08X_FLOW_P2M) |
	       PL08X_CCFG_SRC_PERIPH(line);
}

static int slave_items(struct dmae_chan *chan, struct pl08x_desc *pd, const struct dmae_sg *sg,
		       uint32_t ctrl, uint32_t w, uint64_t dev, bool tx)
{
	uint32_t cap = to_pl08x_chan(chan)->drv->max_lli;
	uint64_t mem = sg->addr, len = sg->len;

	while (len) {	/* the core checked mem and len are multiples of w */
		uint64_t n = len / w;

		if (n > PL08X_CTRL_SIZE_MAX)
			n = PL08X_CTRL_SIZE_MAX;
		if (lli_add(pd, cap, tx ? mem : dev, tx ? dev : mem, ctrl | (uint32_t)n))
			return too_long(chan);
		mem += n * w;
		len -= n * w;
	}
	return 0;
}

static int pl08x_prep_slave_sg(struct dmae_chan *chan, struct dmae_desc *d,
			       const struct dmae_sg *sg, unsigned int nsg)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);
	struct pl08x_desc *pd = to_pl08x_desc(d);
	bool tx = d->dir == DMAE_MEM_TO_DEV;
	uint32_t w = tx ? d->cfg.dst_width : d->cfg.src_width;
	uint32_t burst = burst_code(tx ? d->cfg.dst_burst : d->cfg.src_burst);
	uint64_t dev = tx ? d->cfg.dst_addr : d->cfg.src_addr;
	uint32_t ctrl, i;
	int ret;

	if (ch->req_line < 0)
		return dmae_fail(EINVAL, "pl08x: %s has no request line: request slave channels "
				 "through a route", chan->name);
	ret = check_range(chan, dev, w);
	if (!ret)
		ret = check_sg(chan, sg, nsg);
	if (ret)
		return ret;
	ctrl = PL08X_CTRL_SWIDTH(width_code(w)) | PL08X_CTRL_DWIDTH(width_code(w)) |
	       PL08X_CTRL_SBSIZE(burst) | PL08X_CTRL_DBSIZE(burst) |
	       (tx ? PL08X_CTRL_SI : PL08X_CTRL_DI);
	desc_begin(pd, slave_ccfg(ch, tx), ch->spec_flags & DMAE_PL08X_SPEC_PERIPH_FLOW);
	for (i = 0; i < nsg; i++) {
		ret = slave_items(chan, pd, &sg[i], ctrl, w, dev, tx);
		if (ret)
			return ret;
	}
	lli_link(pd);
	return 0;
}

/* ---- running descriptors (vc->lock held) ------------------------------------ */

/* If the channel is free, load the next issued descriptor and enable it. */
static void pl08x_start(struct pl08x_chan *ch)
{
	struct dmae_pl08x *drv = ch->drv;
	struct pl08x_desc *pd;
	struct dmae_desc *d;

	if (ch->running || ch->vc.paused)
		return;
	d = dmae_vchan_start_next(&ch->vc);
	if (!d)
		return;
	pd = to_pl08x_desc(d);
	ch->running = pd;
	ch->stopping = false;
	/* TRM programming order: clear the channel's interrupts, load the
	 * first item into the registers, then enable. */
	wr(drv, PL08X_INT_TC_CLEAR, ch_bit(ch));
	wr(drv, PL08X_INT_ERR_CLEAR, ch_bit(ch));
	ch_wr(ch, PL08X_CH_SRC, pd->lli[0].src);
	ch_wr(ch, PL08X_CH_DST, pd->lli[0].dst);
	ch_wr(ch, PL08X_CH_LLI, pd->lli[0].next);
	ch_wr(ch, PL08X_CH_CONTROL, pd->lli[0].ctrl);
	ch_wr(ch, PL08X_CH_CONFIG, pd->ccfg | PL08X_CCFG_IE | PL08X_CCFG_ITC | PL08X_CCFG_E);
	/*
	 * A no-op on silicon.  QEMU's model runs the whole transfer inside
	 * the write above but re-evaluates its interrupt outputs only after
	 * a write to a global register: without this write the TC interrupt
	 * would stay low until some later one.
	 */
	wr(drv, PL08X_INT_TC_CLEAR, 0);
}

/* Index of the item whose address the LLI register holds, or nlli. */
static uint32_t item_at(const struct pl08x_desc *pd, uint32_t next)
{
	uint64_t base = dmae_addr_of(&pd->lli[0]) & PL08X_LLI_ADDR_MASK;
	uint64_t at = next & PL08X_LLI_ADDR_MASK;

	if (at < base || (at - base) % sizeof(struct pl08x_lli))
		return pd->nlli;
	at = (at - base) / sizeof(struct pl08x_lli);
	return at < pd->nlli ? (uint32_t)at : pd->nlli;
}

/*
 * Bytes left of the running descriptor: what the channel's TransferSize
 * says is left of the current item, plus the items after it.  The
 * current item is the one before the item the LLI register points at (the
 * last one when it holds 0).  LLI and Control are two registers: read LLI
 * again to be sure the channel did not load an item in between.  With the
 * peripheral as flow controller TransferSize says nothing: the current
 * item counts whole.
 */
static uint64_t hw_residue(struct pl08x_chan *ch, struct pl08x_desc *pd)
{
	uint32_t next, ctrl, cur, i;
	uint64_t left;

	do {
		next = ch_rd(ch, PL08X_CH_LLI);
		ctrl = ch_rd(ch, PL08X_CH_CONTROL);
	} while (next != ch_rd(ch, PL08X_CH_LLI));
	if (!(next & PL08X_LLI_ADDR_MASK)) {
		cur = pd->nlli - 1;
	} else {
		cur = item_at(pd, next);
		if (cur == 0 || cur == pd->nlli)
			return pd->d.len;	/* not ours: nothing known */
		cur--;
	}
	left = pd->periph_flow ? item_len(&pd->lli[cur])
			       : (uint64_t)(ctrl & PL08X_CTRL_SIZE_MASK) << PL08X_CTRL_SWIDTH_OF(ctrl);
	for (i = cur + 1; i < pd->nlli; i++)
		left += item_len(&pd->lli[i]);
	return left < pd->d.len ? left : pd->d.len;
}

static uint64_t pl08x_residue(struct dmae_chan *chan, struct dmae_desc *d)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);
	struct pl08x_desc *pd = to_pl08x_desc(d);

	return ch->running == pd ? hw_residue(ch, pd) : d->len;
}

static void pl08x_issue_pending(struct dmae_chan *chan)
{
	pl08x_start(to_pl08x_chan(chan));
}

/*
 * One channel's share of an interrupt.  vc->lock held.  The status bits
 * are read and cleared here, under the lock, so that of two handler runs
 * only one sees an event.  Only the last item raises TC, and an error
 * disables the channel: either ends the running descriptor.  The TRM's
 * error interrupt does not say which side failed, so an error completes
 * the descriptor ABORTED with what was left.
 */
static void chan_irq(struct pl08x_chan *ch)
{
	struct dmae_pl08x *drv = ch->drv;
	uint32_t bit = ch_bit(ch);
	uint32_t tc = rd(drv, PL08X_INT_TC_STATUS) & bit;
	uint32_t err = rd(drv, PL08X_INT_ERR_STATUS) & bit;
	struct pl08x_desc *pd = ch->running;

	if (err)
		wr(drv, PL08X_INT_ERR_CLEAR, bit);
	if (tc)
		wr(drv, PL08X_INT_TC_CLEAR, bit);
	if (!pd)
		return;		/* terminated since the controller raised it */
	if (err) {
		uint64_t residue = hw_residue(ch, pd);

		ch_wr(ch, PL08X_CH_CONFIG, ch_rd(ch, PL08X_CH_CONFIG) & ~PL08X_CCFG_E);
		ch->running = NULL;
		dmae_vchan_complete(&pd->d, DMAE_RESULT_ABORTED, residue);
	} else if (tc || !(rd(drv, PL08X_ENBLD_CHNS) & bit)) {
		ch->running = NULL;
		dmae_vchan_complete(&pd->d, DMAE_RESULT_OK, 0);
	} else {
		return;
	}
	pl08x_start(ch);
}

/* The combined line, or either of the split ones: the same work. */
static enum dmae_irqreturn pl08x_irq(void *arg)
{
	struct dmae_pl08x *drv = arg;
	uint32_t pending = rd(drv, PL08X_INT_STATUS) & ((1u << drv->nr_chans) - 1);

	if (!pending)
		return DMAE_IRQ_NONE;
	while (pending) {
		struct pl08x_chan *ch = &drv->chans[__builtin_ctz(pending)];
		dmae_irqflags_t f;

		pending &= pending - 1;
		dmae_vchan_lock(&ch->vc, &f);
		chan_irq(ch);
		dmae_vchan_unlock(&ch->vc, f);
	}
	return DMAE_IRQ_HANDLED;
}

/* ---- control ------------------------------------------------------------------ */

/*
 * Clearing Enable stops the channel at once; data in its FIFO is lost,
 * which is what terminate means.  The channel's pending interrupts are
 * cleared with it.
 */
static void pl08x_terminate(struct dmae_chan *chan)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);

	ch_wr(ch, PL08X_CH_CONFIG,
	      ch_rd(ch, PL08X_CH_CONFIG) & ~(PL08X_CCFG_E | PL08X_CCFG_H));
	wr(ch->drv, PL08X_INT_TC_CLEAR, ch_bit(ch));
	wr(ch->drv, PL08X_INT_ERR_CLEAR, ch_bit(ch));
	ch->running = NULL;
	ch->stopping = true;
}

static bool chan_busy(struct pl08x_chan *ch)
{
	return (rd(ch->drv, PL08X_ENBLD_CHNS) & ch_bit(ch)) ||
	       (ch_rd(ch, PL08X_CH_CONFIG) & PL08X_CCFG_A);
}

/* Quiet (disabled, FIFO empty), or restarted by a new issue.  vc->lock held. */
static bool pl08x_stopped(struct dmae_vchan *vc)
{
	struct pl08x_chan *ch = to_pl08x_chan(&vc->chan);

	return ch->running || !chan_busy(ch);
}

static void pl08x_synchronize(struct dmae_chan *chan)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);

	dmae_vchan_wait_stopped(&ch->vc, &ch->stopping, pl08x_stopped, PL08X_SYNC_TIMEOUT_NS);
}

/*
 * TRM: set Halt, then wait for Active to clear; the channel then moves no
 * data until Halt is cleared.  A channel that already finished is left
 * alone: its interrupt completes it, and the core keeps the next one from
 * starting while paused.
 */
static int pl08x_pause(struct dmae_chan *chan)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);
	uint32_t cfg;
	unsigned int tries;

	if (!ch->running)
		return 0;
	cfg = ch_rd(ch, PL08X_CH_CONFIG);
	if (!(cfg & PL08X_CCFG_E))
		return 0;
	ch_wr(ch, PL08X_CH_CONFIG, cfg | PL08X_CCFG_H);
	for (tries = 0; tries < PL08X_HALT_TRIES; tries++) {
		if (!(ch_rd(ch, PL08X_CH_CONFIG) & PL08X_CCFG_A))
			return 0;
		dmae_cpu_relax();
	}
	ch_wr(ch, PL08X_CH_CONFIG, ch_rd(ch, PL08X_CH_CONFIG) & ~PL08X_CCFG_H);
	return dmae_fail(EBUSY, "pl08x: %s: channel stayed active after halt", chan->name);
}

static int pl08x_resume(struct dmae_chan *chan)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);
	uint32_t cfg;

	if (!ch->running)
		return 0;
	cfg = ch_rd(ch, PL08X_CH_CONFIG);
	if (cfg & PL08X_CCFG_H)
		ch_wr(ch, PL08X_CH_CONFIG, cfg & ~PL08X_CCFG_H);
	return 0;
}

/* spec[0] a request line, spec[1] flags: bind them to the first free channel. */
static int pl08x_translate(struct dmae_provider *p, const uint32_t *spec, unsigned int nspec,
			   struct dmae_chan **out)
{
	struct dmae_pl08x *drv = p->drvdata;
	uint32_t flags = nspec > 1 ? spec[1] : 0, i;

	if (nspec < 1 || spec[0] >= DMAE_PL08X_NR_REQ_LINES ||
	    (flags & ~DMAE_PL08X_SPEC_PERIPH_FLOW))
		return -ENODEV;
	for (i = 0; i < drv->nr_chans; i++) {
		struct pl08x_chan *ch = &drv->chans[i];

		if (atomic_load(&ch->vc.chan.state) == DMAE_CHAN_FREE) {
			ch->req_line = (int)spec[0];
			ch->spec_flags = flags;
			*out = &ch->vc.chan;
			return 0;
		}
	}
	return -ENODEV;
}

static void pl08x_chan_free(struct dmae_chan *chan)
{
	struct pl08x_chan *ch = to_pl08x_chan(chan);

	ch->req_line = -1;
	ch->spec_flags = 0;
}

/* ---- power: DMACConfiguration.E gates the whole controller -------------------- */

static int pl08x_runtime_suspend(struct dmae_provider *p)
{
	struct dmae_pl08x *drv = p->drvdata;

	if (rd(drv, PL08X_ENBLD_CHNS))
		return -EBUSY;	/* TRM: disable every channel before the controller */
	wr(drv, PL08X_CONFIG, 0);
	return 0;
}

static int pl08x_runtime_resume(struct dmae_provider *p)
{
	wr(p->drvdata, PL08X_CONFIG, PL08X_CONFIG_E);
	return 0;
}

static void pl08x_release(struct dmae_provider *p);

#define PL08X_OPS                                                                  \
	.size = sizeof(struct dmae_provider_ops), .chan_free = pl08x_chan_free,   \
	.prep_memcpy = pl08x_prep_memcpy, .prep_sg = pl08x_prep_sg,               \
	.prep_slave_sg = pl08x_prep_slave_sg, .issue_pending = pl08x_issue_pending, \
	.terminate = pl08x_terminate, .synchronize = pl08x_synchronize,           \
	.residue = pl08x_residue, .pause = pl08x_pause, .resume = pl08x_resume,   \
	.translate = pl08x_translate, .release = pl08x_release

static const struct dmae_provider_ops pl08x_ops = { PL08X_OPS };

static const struct dmae_provider_ops pl08x_pm_ops = {
	PL08X_OPS,
	.runtime_suspend = pl08x_runtime_suspend,
	.runtime_resume = pl08x_runtime_resume,
};

/* ---- probe and remove ---------------------------------------------------------- */

static bool irq_valid(int irq)
{
	return irq >= 0 || irq == DMAE_PL08X_NO_IRQ;
}

static int check_config(const struct dmae_pl08x_config *cfg)
{
	bool combined = cfg->irq >= 0;
	bool split = cfg->irq_tc >= 0 || cfg->irq_err >= 0;

	if (!cfg->base)
		return dmae_fail(EINVAL, "dmae_pl08x_create: base address 0");
	if (!irq_valid(cfg->irq) || !irq_valid(cfg->irq_tc) || !irq_valid(cfg->irq_err))
		return dmae_fail(EINVAL, "dmae_pl08x_create: an interrupt number is negative "
				 "(DMAE_PL08X_NO_IRQ for none)");
	if (combined == split || (split && (cfg->irq_tc < 0 || cfg->irq_err < 0)))
		return dmae_fail(EINVAL, "dmae_pl08x_create: give the combined interrupt or "
				 "both the TC and error interrupts");
	if (cfg->variant > DMAE_PL08X_PL081)
		return dmae_fail(EINVAL, "dmae_pl08x_create: unknown variant %d",
				 (int)cfg->variant);
	if (cfg->max_lli && (cfg->max_lli < PL08X_MIN_MAX_LLI ||
			     cfg->max_lli > PL08X_MAX_MAX_LLI))
		return dmae_fail(EINVAL, "dmae_pl08x_create: max_lli %u out of %u..%u",
				 (unsigned int)cfg->max_lli, PL08X_MIN_MAX_LLI, PL08X_MAX_MAX_LLI);
	if (cfg->max_sg && 2 * cfg->max_sg - 1 > (cfg->max_lli ? cfg->max_lli : PL08X_DEF_MAX_LLI))
		return dmae_fail(EINVAL, "dmae_pl08x_create: max_sg %u: 2 * max_sg - 1 pieces "
				 "exceed max_lli", (unsigned int)cfg->max_sg);
	if (cfg->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "dmae_pl08x_create: pool_size %u above %u",
				 (unsigned int)cfg->pool_size, DMAE_MAX_POOL_SIZE);
	return 0;
}

/* Channels of the controller at base, from its identification registers, or 0. */
static uint32_t identify(volatile uint8_t *base, enum dmae_pl08x_variant want)
{
	uint32_t id[4], cell = 0, part, designer, i;

	for (i = 0; i < 4; i++) {
		id[i] = dmae_mmio_read32(base + PL08X_PERIPH_ID(i)) & 0xffu;
		cell |= (dmae_mmio_read32(base + PL08X_PCELL_ID(i)) & 0xffu) << (8 * i);
	}
	part = id[0] | (id[1] & 0xfu) << 8;
	designer = id[1] >> 4 | (id[2] & 0xfu) << 4;
	if (cell != PL08X_PCELL_ID_VALUE || designer != PL08X_DESIGNER_ARM) {
		dmae_log_err("dmae_pl08x_create: no PrimeCell at %p (PCellID 0x%08x, "
			     "designer 0x%02x)", (void *)base, (unsigned int)cell,
			     (unsigned int)designer);
		return 0;
	}
	if (part == PL08X_PART_PL080 && want != DMAE_PL08X_PL081)
		return 8;
	if (part == PL08X_PART_PL081 && want != DMAE_PL08X_PL080)
		return 2;
	dmae_log_err("dmae_pl08x_create: part 0x%03x at %p is not the PL08x asked for",
		     (unsigned int)part, (void *)base);
	return 0;
}

static void fill_provider(struct dmae_pl08x *drv, const struct dmae_pl08x_config *cfg)
{
	struct dmae_provider *p = &drv->p;

	dmae_provider_init(p);
	if (cfg->name)
		snprintf(p->name, sizeof(p->name), "%s", cfg->name);
	else
		snprintf(p->name, sizeof(p->name), "pl08%u@%lx", drv->nr_chans == 8 ? 0u : 1u,
			 (unsigned long)cfg->base);
	p->ops = cfg->runtime_pm ? &pl08x_pm_ops : &pl08x_ops;
	p->caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_SG | DMAE_CAP_SLAVE_SG,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM) | DMAE_DIR_BIT(DMAE_MEM_TO_DEV) |
			      DMAE_DIR_BIT(DMAE_DEV_TO_MEM),
		.addr_widths = 0x7,	/* 1, 2, 4 bytes: the AHB masters are 32 bits wide */
		.min_burst = 1,
		.max_burst = 256,
		/* by default as many as max_lli items always hold (see pl08x_prep_sg) */
		.max_sg = cfg->max_sg ? cfg->max_sg :
			  (drv->max_lli + 1) / 2 < PL08X_DEF_MAX_SG ? (drv->max_lli + 1) / 2 :
			  PL08X_DEF_MAX_SG,
		/* the worst case, byte transfers: 4095 bytes per item */
		.max_seg_len = (uint64_t)drv->max_lli * PL08X_CTRL_SIZE_MAX,
		.residue = DMAE_RESIDUE_BURST,
		.desc_reuse = true,
		.pause = true,
		.terminate = true,
	};
	p->desc_size = sizeof(struct pl08x_desc) + sizeof(struct pl08x_lli) * drv->max_lli;
	p->default_pool_size = cfg->pool_size ? cfg->pool_size : PL08X_DEF_POOL;
	p->drvdata = drv;
}

/* Every channel disabled, every interrupt cleared (the TRM's start-up state). */
static void quiesce(struct dmae_pl08x *drv)
{
	uint32_t i, all = (1u << drv->nr_chans) - 1;

	for (i = 0; i < drv->nr_chans; i++)
		wr(drv, PL08X_CH_BASE(i) + PL08X_CH_CONFIG, 0);
	wr(drv, PL08X_INT_TC_CLEAR, all);
	wr(drv, PL08X_INT_ERR_CLEAR, all);
}

static int request_irqs(struct dmae_pl08x *drv, const struct dmae_pl08x_config *cfg)
{
	struct dmae_irq *irq;
	int ret;

	ret = dmae_irq_request_hw(drv->p.name, (unsigned int)(cfg->irq >= 0 ? cfg->irq : cfg->irq_tc),
				  pl08x_irq, drv, &irq);
	if (ret)
		return ret;
	drv->p.irq = irq;
	if (cfg->irq >= 0)
		return 0;
	ret = dmae_irq_request_hw(drv->p.name, (unsigned int)cfg->irq_err, pl08x_irq, drv,
				  &drv->irq2);
	if (ret) {
		dmae_irq_free(irq);
		drv->p.irq = NULL;
	}
	return ret;
}

static void free_irqs(struct dmae_pl08x *drv)
{
	if (drv->irq2)
		dmae_irq_free(drv->irq2);
	dmae_irq_free(drv->p.irq);
}

int dmae_pl08x_create(const struct dmae_pl08x_config *cfg, struct dmae_pl08x **out)
{
	struct dmae_pl08x *drv;
	uint32_t n, i;
	int ret;

	dmae_might_sleep();
	if (!cfg || !out)
		return dmae_fail(EINVAL, "dmae_pl08x_create: NULL argument");
	ret = check_config(cfg);
	if (ret)
		return ret;
	if (!dmae_initialised())
		return dmae_fail(ESHUTDOWN, "dmae_pl08x_create: dmae_init() not called");
	n = identify((volatile uint8_t *)cfg->base, cfg->variant);
	if (!n)
		return -ENODEV;
	drv = dmae_mem_zalloc_aligned(sizeof(*drv) + sizeof(drv->chans[0]) * n);
	if (!drv)
		return -ENOMEM;
	drv->base = (volatile uint8_t *)cfg->base;
	drv->nr_chans = n;
	drv->max_lli = cfg->max_lli ? cfg->max_lli : PL08X_DEF_MAX_LLI;
	fill_provider(drv, cfg);
	for (i = 0; i < n; i++) {
		drv->chans[i].drv = drv;
		drv->chans[i].req_line = -1;
		dmae_vchan_init(&drv->chans[i].vc, &drv->p, i);
	}
	quiesce(drv);
	ret = request_irqs(drv, cfg);
	if (ret)
		goto err_free;
	wr(drv, PL08X_CONFIG, PL08X_CONFIG_E);	/* little-endian masters, enabled */
	ret = dmae_provider_register(&drv->p);
	if (ret)
		goto err_irq;
	*out = drv;
	return 0;

err_irq:
	wr(drv, PL08X_CONFIG, 0);
	free_irqs(drv);
err_free:
	dmae_mem_free(drv);
	return ret;
}

int dmae_pl08x_destroy(struct dmae_pl08x *drv)
{
	dmae_might_sleep();
	if (!drv)
		return dmae_fail(EINVAL, "dmae_pl08x_destroy: NULL");
	return dmae_provider_unregister(&drv->p);
}

/* Nothing is held any more (the core calls it): stop the controller for good. */
static void pl08x_release(struct dmae_provider *p)
{
	struct dmae_pl08x *drv = p->drvdata;

	quiesce(drv);
	wr(drv, PL08X_CONFIG, 0);
	free_irqs(drv);
	dmae_mem_free(drv);
}

const char *dmae_pl08x_name(const struct dmae_pl08x *drv)
{
	return drv ? drv->p.name : "?";
}

unsigned int dmae_pl08x_nr_chans(const struct dmae_pl08x *drv)
{
	return drv ? drv->nr_chans : 0;
}
