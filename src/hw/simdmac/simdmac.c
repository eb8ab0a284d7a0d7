/* SPDX-License-Identifier: MIT */
/*
 * The simulated DMA controller: register file, linked-list engine,
 * request-line flow control, bus bandwidth, interrupts and faults.
 *
 * This file is "silicon", not software: it knows nothing of dmae.  A
 * driver sees it only through simdmac_readl/writel (simdmac_regs.h is the
 * datasheet), exactly as it would see a memory-mapped controller.
 *
 * Each channel is a small state machine:
 *
 *            CHCTL=EN              item done, LLP = 0
 *     IDLE -----------> RUNNING -------------------------> IDLE
 *      ^  ^   abort      |   ^  \
 *      |  +--------------+   |   \ bus error / fetch error / bad CTRL
 *      |        HALT |  | EN |    v
 *      |             v  |    |   ERROR --(CHCTL=EN: restart)--> RUNNING
 *      +--- abort -- PAUSED -+
 *
 * One engine thread serves all channels round-robin, one burst per
 * channel per round.  A burst is min(width * burst words, what is left of
 * the item) bytes.  Memory-to-memory channels run freely; a channel that
 * moves data to or from a peripheral performs a burst only when the
 * peripheral's request is asserted for that many bytes (its FIFO level,
 * see hw/hw.h).  With a bandwidth set, the bus is a token bucket: each
 * burst costs bytes / bandwidth of bus time.
 *
 * Locking: every channel has a hw_lock held by the engine for the whole
 * of one burst and by control writes (CHCTL), so that control takes
 * effect at a burst boundary before the write returns.  Registers are
 * atomics, so reads never wait.  Interrupt status bits are atomics too.
 * The engine may call a peripheral (its port lock nests inside the
 * channel lock) and the interrupt callback (which must not sleep).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/simdmac/simdmac.h"

#define BUS_SLACK_NS 1000000ull	/* bandwidth: how far the bus may lag behind */

struct hw_fault {
	bool armed;
	uint64_t addr;		/* 0: count bytes instead */
	uint64_t left;		/* bytes that may still pass */
};

struct hw_chan {
	struct hw_lock lock;	/* a burst, control writes, faults */
	unsigned int idx;
	atomic_bool clk_off;	/* the channel's clock is gated */

	/* registers */
	atomic_uint_fast64_t src, dst, llp, cur, erraddr;
	atomic_uint len, ctrl, chctl, status, progress;

	/* engine state: lock held */
	bool fetch_pending;	/* fetch the item at LLP before the next burst */
	bool stalled;
	struct hw_fault rd, wr;
	bool fetch_fault;
};

struct hw_line {
	struct hw_dma_port *port;
	enum hw_dma_dir dir;
};

struct simdmac_hw {
	struct simdmac_hw_config cfg;
	atomic_uint ctrl;
	atomic_uint tc_raw, err_raw, tc_mask, err_mask;
	atomic_uint lost_irqs;		/* SIMDMAC_FAULT_LOST_IRQ: edges to drop */
	struct hw_line lines[SIMDMAC_NR_LINES];

	atomic_uint doorbell;		/* bumped by anything that may unblock a channel */
	atomic_uint sleepers;
	atomic_bool stop;
	struct hw_thread *engine;
	atomic_uint_fast64_t bus_time;	/* when the bus is free again */

	atomic_uint_fast64_t st_irqs, st_lost, st_bursts, st_bytes;
	atomic_bool clk_off;		/* the controller's clock is gated */
	atomic_uint_fast64_t st_gated;	/* register accesses while gated */
	struct hw_chan ch[];
};

/* ---- interrupts ------------------------------------------------------------ */

static void irq_edge(struct simdmac_hw *hw)
{
	unsigned int n = atomic_load(&hw->lost_irqs);

	while (n && !atomic_compare_exchange_weak(&hw->lost_irqs, &n, n - 1))
		;
	if (n) {
		atomic_fetch_add_explicit(&hw->st_lost, 1, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&hw->st_irqs, 1, memory_order_relaxed);
	hw->cfg.irq(hw->cfg.irq_arg);
}

/* Set a raw status bit; an unmasked bit raises the line. */
static void irq_set(struct simdmac_hw *hw, atomic_uint *raw, atomic_uint *mask, uint32_t bit)
{
	atomic_fetch_or(raw, bit);
	if (atomic_load(mask) & bit)
		irq_edge(hw);
}

static void kick(struct simdmac_hw *hw)
{
	atomic_fetch_add(&hw->doorbell, 1);
	if (atomic_load(&hw->sleepers))
		hw_wake(&hw->doorbell, 1);
}

/*
 * Set while this thread runs a burst (a channel lock held, so that a host
 * whose threads share one CPU sees it set by the holder only): a request
 * from inside a burst only kicks.
 */
static _Thread_local bool in_step;

enum step { STEP_IDLE, STEP_WAIT_BUS, STEP_DID };

static enum step chan_step(struct simdmac_hw *hw, struct hw_chan *c, uint64_t now);

/*
 * A peripheral's request changed.  Serve the channels waiting on it right
 * here, on the peripheral's thread, as silicon would serve them within a
 * few bus cycles instead of whenever the engine thread gets a CPU; then
 * kick the engine for anything left.
 */
static void port_notify(void *arg)
{
	struct simdmac_hw *hw = arg;
	uint32_t i, n;

	if (!in_step && (atomic_load(&hw->ctrl) & SIMDMAC_CTRL_EN)) {
		for (i = 0; i < hw->cfg.nr_chans; i++) {
			struct hw_chan *c = &hw->ch[i];

			if (SIMDMAC_CTRL_GET_FLOW(atomic_load(&c->ctrl)) == SIMDMAC_FLOW_M2M)
				continue;
			for (n = 0; n < 64 && chan_step(hw, c, hw_time_ns()) == STEP_DID; n++)
				;
		}
	}
	kick(hw);
}

/* ---- the engine (channel lock held) ----------------------------------------- */

static void chan_error(struct simdmac_hw *hw, struct hw_chan *c, uint32_t cause, uint64_t addr)
{
	atomic_store(&c->erraddr, addr);
	atomic_store(&c->status, SIMDMAC_ST_ERROR | cause << 8);
	atomic_store(&c->chctl, 0);
	c->fetch_pending = false;
	irq_set(hw, &hw->err_raw, &hw->err_mask, 1u << c->idx);
}

/* Load the item at addr into the registers.  False on a fetch error. */
static bool chan_fetch(struct simdmac_hw *hw, struct hw_chan *c, uint64_t addr)
{
	struct simdmac_lli lli;

	c->fetch_pending = false;
	if (c->fetch_fault || !addr || (addr & 7)) {
		c->fetch_fault = false;
		chan_error(hw, c, SIMDMAC_ERR_FETCH, addr);
		return false;
	}
	memcpy(&lli, (const void *)(uintptr_t)addr, sizeof(lli));
	atomic_store(&c->src, lli.src);
	atomic_store(&c->dst, lli.dst);
	atomic_store(&c->len, lli.len);
	atomic_store(&c->ctrl, lli.ctrl);
	atomic_store(&c->llp, lli.next);
	atomic_store(&c->progress, 0);
	atomic_store(&c->cur, addr);
	return true;
}

/* The current item finished: raise TC if asked, follow LLP or go idle. */
static void chan_item_done(struct simdmac_hw *hw, struct hw_chan *c)
{
	uint32_t ctrl = atomic_load(&c->ctrl);
	uint64_t next = atomic_load(&c->llp);

	if (next) {
		if (!chan_fetch(hw, c, next))
			return;
	} else {
		atomic_store(&c->chctl, 0);
		atomic_store(&c->status, SIMDMAC_ST_IDLE);
	}
	if (ctrl & SIMDMAC_CTRL_IE)
		irq_set(hw, &hw->tc_raw, &hw->tc_mask, 1u << c->idx);
}

/* Does the armed fault f fire for an access of n bytes at addr? */
static bool fault_hits(struct hw_fault *f, uint64_t addr, uint64_t span, uint64_t n)
{
	if (!f->armed)
		return false;
	if (f->addr) {
		if (f->addr < addr || f->addr - addr >= span)
			return false;
	} else if (n <= f->left) {
		f->left -= n;
		return false;
	}
	f->armed = false;
	return true;
}

/* Does the IOMMU, if any, let a burst access this memory? */
static bool bus_ok(const struct simdmac_hw *hw, uint64_t addr, uint64_t len, bool write)
{
	return !hw->cfg.bus_check || hw->cfg.bus_check(hw->cfg.bus_arg, addr, len, write);
}

static void mem_read(uint64_t addr, bool inc, uint32_t width, void *buf, uint32_t n)
{
	uint32_t i;

	if (inc) {
		memcpy(buf, (const void *)(uintptr_t)addr, n);
		return;
	}
	for (i = 0; i < n; i += width)
		memcpy((char *)buf + i, (const void *)(uintptr_t)addr, width);
}

static void mem_write(uint64_t addr, bool inc, uint32_t width, const void *buf, uint32_t n)
{
	uint32_t i;

	if (inc) {
		memcpy((void *)(uintptr_t)addr, buf, n);
		return;
	}
	for (i = 0; i < n; i += width)
		memcpy((void *)(uintptr_t)addr, (const char *)buf + i, width);
}

/* One burst (or one item fetch) of channel c.  Any thread. */
static enum step chan_burst(struct simdmac_hw *hw, struct hw_chan *c, uint64_t now);

static enum step chan_step(struct simdmac_hw *hw, struct hw_chan *c, uint64_t now)
{
	enum step ret;

	if (atomic_load_explicit(&c->status, memory_order_relaxed) != SIMDMAC_ST_RUNNING)
		return STEP_IDLE;
	hw_lock(&c->lock);
	in_step = true;
	ret = chan_burst(hw, c, now);
	in_step = false;
	hw_unlock(&c->lock);
	return ret;
}

/* What one burst moves, decoded from the channel's registers. */
struct burst {
	uint32_t flow, width, n;
	uint32_t done, len;		/* the item's progress before it, its length */
	uint64_t saddr, daddr;
	bool sinc, dinc;
	struct hw_dma_port *port;	/* the peripheral's side, or NULL (M2M) */
	unsigned char buf[SIMDMAC_MAX_BURST * 8];
};

/*
 * Decode the next burst of c into b.  True if it can move now; else *ret
 * says what happened instead: an item fetched or finished, a
 * configuration error raised, or a wait for the request line or the bus.
 */
static bool burst_setup(struct simdmac_hw *hw, struct hw_chan *c, uint64_t now,
			struct burst *b, enum step *ret)
{
	uint32_t ctrl = atomic_load(&c->ctrl), len = atomic_load(&c->len);
	uint32_t done = atomic_load(&c->progress);
	uint64_t src = atomic_load(&c->src), dst = atomic_load(&c->dst);

	*ret = STEP_DID;
	if (c->fetch_pending) {
		chan_fetch(hw, c, atomic_load(&c->llp));
		return false;
	}
	if (done >= len) {
		chan_item_done(hw, c);
		return false;
	}
	b->flow = SIMDMAC_CTRL_GET_FLOW(ctrl);
	b->width = 1u << SIMDMAC_CTRL_GET_WIDTH(ctrl);
	if (SIMDMAC_CTRL_GET_WIDTH(ctrl) > 3 || b->flow > SIMDMAC_FLOW_P2M ||
	    ((src | dst | len) & (b->width - 1))) {
		chan_error(hw, c, SIMDMAC_ERR_CONFIG, atomic_load(&c->cur));
		return false;
	}
	b->n = SIMDMAC_CTRL_GET_BURST(ctrl) * b->width;
	if (b->n > len - done)
		b->n = len - done;
	b->done = done;
	b->len = len;
	b->port = NULL;
	if (b->flow != SIMDMAC_FLOW_M2M) {
		struct hw_line *line = &hw->lines[SIMDMAC_CTRL_GET_REQ(ctrl)];
		enum hw_dma_dir dir = b->flow == SIMDMAC_FLOW_M2P ? HW_DMA_TO_DEV : HW_DMA_FROM_DEV;

		b->port = line->port;
		if (!b->port || line->dir != dir) {
			chan_error(hw, c, SIMDMAC_ERR_CONFIG, atomic_load(&c->cur));
			return false;
		}
		*ret = STEP_IDLE;	/* request not asserted: the port notifies */
		if (b->port->level(b->port->ctx, line->dir) < b->n)
			return false;
	}
	*ret = STEP_WAIT_BUS;
	if (hw->cfg.bandwidth && atomic_load(&hw->bus_time) > now)
		return false;
	b->sinc = ctrl & SIMDMAC_CTRL_SRC_INC;
	b->dinc = ctrl & SIMDMAC_CTRL_DST_INC;
	b->saddr = src + (b->sinc ? done : 0);
	b->daddr = dst + (b->dinc ? done : 0);
	return true;
}

/* The read side of b into b->buf.  False after raising the error. */
static bool burst_read(struct simdmac_hw *hw, struct hw_chan *c, struct burst *b)
{
	uint64_t span = b->sinc ? b->n : b->width;

	if (fault_hits(&c->rd, b->saddr, span, b->n)) {
		chan_error(hw, c, SIMDMAC_ERR_READ, c->rd.addr ? c->rd.addr : b->saddr);
		return false;
	}
	if (b->flow == SIMDMAC_FLOW_P2M) {
		if (b->port->read(b->port->ctx, b->saddr, b->buf, b->n, b->width) == HW_BUS_OK)
			return true;
	} else if (bus_ok(hw, b->saddr, span, false)) {
		mem_read(b->saddr, b->sinc, b->width, b->buf, b->n);
		return true;
	}
	chan_error(hw, c, SIMDMAC_ERR_READ, b->saddr);
	return false;
}

/* The write side of b from b->buf.  False after raising the error. */
static bool burst_write(struct simdmac_hw *hw, struct hw_chan *c, const struct burst *b)
{
	uint64_t span = b->dinc ? b->n : b->width;

	if (fault_hits(&c->wr, b->daddr, span, b->n)) {
		chan_error(hw, c, SIMDMAC_ERR_WRITE, c->wr.addr ? c->wr.addr : b->daddr);
		return false;
	}
	if (b->flow == SIMDMAC_FLOW_M2P) {
		if (b->port->write(b->port->ctx, b->daddr, b->buf, b->n, b->width) == HW_BUS_OK)
			return true;
	} else if (bus_ok(hw, b->daddr, span, true)) {
		mem_write(b->daddr, b->dinc, b->width, b->buf, b->n);
		return true;
	}
	chan_error(hw, c, SIMDMAC_ERR_WRITE, b->daddr);
	return false;
}

/* The bus is busy for n bytes' time from now (or from when it frees). */
static void bus_occupy(struct simdmac_hw *hw, uint32_t n, uint64_t now)
{
	uint64_t bus = atomic_load(&hw->bus_time);

	while (!atomic_compare_exchange_weak(&hw->bus_time, &bus,
			(bus + BUS_SLACK_NS < now ? now - BUS_SLACK_NS : bus) +
			(uint64_t)n * 1000u / hw->cfg.bandwidth))
		;
}

/* The body of chan_step(), channel lock held. */
static enum step chan_burst(struct simdmac_hw *hw, struct hw_chan *c, uint64_t now)
{
	struct burst b;
	enum step ret;

	if (atomic_load(&c->status) != SIMDMAC_ST_RUNNING || c->stalled)
		return STEP_IDLE;
	if (!burst_setup(hw, c, now, &b, &ret))
		return ret;
	if (!burst_read(hw, c, &b) || !burst_write(hw, c, &b))
		return STEP_DID;
	atomic_store(&c->progress, b.done + b.n);
	atomic_fetch_add_explicit(&hw->st_bursts, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hw->st_bytes, b.n, memory_order_relaxed);
	if (hw->cfg.bandwidth)
		bus_occupy(hw, b.n, now);
	if (b.done + b.n == b.len)
		chan_item_done(hw, c);
	return STEP_DID;
}

static void engine_main(void *arg)
{
	struct simdmac_hw *hw = arg;
	uint32_t nch = hw->cfg.nr_chans, start = 0, i;

	while (!atomic_load(&hw->stop)) {
		unsigned int seq = atomic_load(&hw->doorbell);
		uint64_t now = hw_time_ns(), timeout = HW_FOREVER;
		bool did = false, wait_bus = false;

		if ((atomic_load(&hw->ctrl) & SIMDMAC_CTRL_EN) && !atomic_load(&hw->clk_off)) {
			for (i = 0; i < nch; i++) {
				struct hw_chan *c = &hw->ch[(start + i) % nch];
				enum step s;

				if (atomic_load_explicit(&c->clk_off, memory_order_relaxed))
					continue;	/* unclocked: frozen */
				s = chan_step(hw, c, now);

				did |= s == STEP_DID;
				wait_bus |= s == STEP_WAIT_BUS;
			}
			start++;
		}
		if (did)
			continue;
		if (wait_bus) {
			timeout = atomic_load(&hw->bus_time) - now;
			if (timeout < 20000) {	/* too short to sleep */
				hw_yield();
				continue;
			}
		}
		atomic_fetch_add(&hw->sleepers, 1);
		if (atomic_load(&hw->doorbell) == seq && !atomic_load(&hw->stop))
			hw_wait(&hw->doorbell, seq, timeout);
		atomic_fetch_sub(&hw->sleepers, 1);
	}
}

/* ---- the register file ---------------------------------------------------------- */

static struct hw_chan *reg_chan(struct simdmac_hw *hw, uint32_t off, uint32_t *reg)
{
	uint32_t n;

	if (off < SIMDMAC_CH_BASE(0))
		return NULL;
	n = (off - SIMDMAC_CH_BASE(0)) / 0x40u;
	if (n >= hw->cfg.nr_chans)
		return NULL;
	*reg = (off - SIMDMAC_CH_BASE(0)) % 0x40u;
	return &hw->ch[n];
}

static atomic_uint_fast64_t *reg64(struct hw_chan *c, uint32_t reg)
{
	switch (reg & ~4u) {
	case SIMDMAC_CH_SRC:
		return &c->src;
	case SIMDMAC_CH_DST:
		return &c->dst;
	case SIMDMAC_CH_LLP:
		return &c->llp;
	case SIMDMAC_CH_CUR:
		return &c->cur;
	case SIMDMAC_CH_ERRADDR:
		return &c->erraddr;
	}
	return NULL;
}

uint64_t simdmac_readq(struct simdmac_hw *hw, uint32_t off)
{
	uint32_t reg;
	struct hw_chan *c = reg_chan(hw, off, &reg);
	atomic_uint_fast64_t *r = c ? reg64(c, reg) : NULL;

	if (!r || (reg & 4))
		return (uint64_t)simdmac_readl(hw, off + 4) << 32 | simdmac_readl(hw, off);
	return atomic_load(r);
}

/*
 * A register access with the controller's clock, or the addressed
 * channel's, gated is a bus fault: reads return 0, writes are lost, and
 * the model counts it (simdmac_hw_stats).
 */
static bool gated(struct simdmac_hw *hw, uint32_t off)
{
	uint32_t reg;
	struct hw_chan *c;

	if (atomic_load_explicit(&hw->clk_off, memory_order_acquire))
		goto fault;
	c = reg_chan(hw, off, &reg);
	if (c && atomic_load_explicit(&c->clk_off, memory_order_acquire))
		goto fault;
	return false;
fault:
	atomic_fetch_add_explicit(&hw->st_gated, 1, memory_order_relaxed);
	return true;
}

uint32_t simdmac_readl(struct simdmac_hw *hw, uint32_t off)
{
	return gated(hw, off) ? 0 : simdmac_hw_peek(hw, off);
}

uint32_t simdmac_hw_peek(struct simdmac_hw *hw, uint32_t off)
{
	uint32_t reg;
	struct hw_chan *c;
	atomic_uint_fast64_t *r;

	switch (off) {
	case SIMDMAC_ID:
		return SIMDMAC_ID_VALUE;
	case SIMDMAC_CFG:
		return hw->cfg.nr_chans | SIMDMAC_NR_LINES << 8;
	case SIMDMAC_CTRL:
		return atomic_load(&hw->ctrl);
	case SIMDMAC_TC_RAW:
		return atomic_load(&hw->tc_raw);
	case SIMDMAC_ERR_RAW:
		return atomic_load(&hw->err_raw);
	case SIMDMAC_TC_MASK:
		return atomic_load(&hw->tc_mask);
	case SIMDMAC_ERR_MASK:
		return atomic_load(&hw->err_mask);
	case SIMDMAC_TC_STATUS:
		return atomic_load(&hw->tc_raw) & atomic_load(&hw->tc_mask);
	case SIMDMAC_ERR_STATUS:
		return atomic_load(&hw->err_raw) & atomic_load(&hw->err_mask);
	}
	c = reg_chan(hw, off, &reg);
	if (!c)
		return 0;
	r = reg64(c, reg);
	if (r)
		return (uint32_t)(atomic_load(r) >> (reg & 4 ? 32 : 0));
	switch (reg) {
	case SIMDMAC_CH_LEN:
		return atomic_load(&c->len);
	case SIMDMAC_CH_CTRL:
		return atomic_load(&c->ctrl);
	case SIMDMAC_CH_CHCTL:
		return atomic_load(&c->chctl);
	case SIMDMAC_CH_STATUS:
		return atomic_load(&c->status);
	case SIMDMAC_CH_PROGRESS:
		return atomic_load(&c->progress);
	}
	return 0;
}

/* CHCTL: start, halt, resume, abort.  Takes effect at a burst boundary. */
static void chan_control(struct simdmac_hw *hw, struct hw_chan *c, uint32_t val)
{
	uint32_t state;

	hw_lock(&c->lock);
	state = SIMDMAC_STATUS_STATE(atomic_load(&c->status));
	if (!(val & SIMDMAC_CHCTL_EN)) {
		/* abort: stop now, forget the item */
		c->stalled = false;
		c->fetch_pending = false;
		atomic_store(&c->chctl, 0);
		if (state == SIMDMAC_ST_RUNNING || state == SIMDMAC_ST_PAUSED)
			atomic_store(&c->status, SIMDMAC_ST_IDLE);
	} else if (state == SIMDMAC_ST_IDLE || state == SIMDMAC_ST_ERROR) {
		uint64_t llp = atomic_load(&c->llp);

		if (val & SIMDMAC_CHCTL_HALT) {
			hw_unlock(&c->lock);	/* halting a stopped channel: no-op */
			return;
		}

		atomic_store(&c->erraddr, 0);
		atomic_store(&c->progress, 0);
		atomic_store(&c->cur, 0);
		c->fetch_pending = llp != 0;
		atomic_store(&c->chctl, SIMDMAC_CHCTL_EN);
		atomic_store(&c->status, SIMDMAC_ST_RUNNING);
	} else {
		atomic_store(&c->chctl, val & (SIMDMAC_CHCTL_EN | SIMDMAC_CHCTL_HALT));
		atomic_store(&c->status, val & SIMDMAC_CHCTL_HALT ? SIMDMAC_ST_PAUSED
								  : SIMDMAC_ST_RUNNING);
	}
	hw_unlock(&c->lock);
	kick(hw);
}

static void mask_write(struct simdmac_hw *hw, atomic_uint *mask, atomic_uint *raw, uint32_t val)
{
	uint32_t old = atomic_exchange(mask, val);

	if (val & ~old & atomic_load(raw))
		irq_edge(hw);	/* unmasking a pending cause raises the line */
}

void simdmac_writel(struct simdmac_hw *hw, uint32_t off, uint32_t val)
{
	uint32_t reg;
	struct hw_chan *c;
	atomic_uint_fast64_t *r;

	if (gated(hw, off))
		return;
	switch (off) {
	case SIMDMAC_CTRL:
		atomic_store(&hw->ctrl, val & SIMDMAC_CTRL_EN);
		kick(hw);
		return;
	case SIMDMAC_TC_MASK:
		mask_write(hw, &hw->tc_mask, &hw->tc_raw, val);
		return;
	case SIMDMAC_ERR_MASK:
		mask_write(hw, &hw->err_mask, &hw->err_raw, val);
		return;
	case SIMDMAC_TC_CLEAR:
		atomic_fetch_and(&hw->tc_raw, ~val);
		return;
	case SIMDMAC_ERR_CLEAR:
		atomic_fetch_and(&hw->err_raw, ~val);
		return;
	}
	c = reg_chan(hw, off, &reg);
	if (!c)
		return;
	r = reg64(c, reg);
	if (r) {
		if (reg == SIMDMAC_CH_CUR || reg == SIMDMAC_CH_ERRADDR ||
		    reg == SIMDMAC_CH_CUR + 4 || reg == SIMDMAC_CH_ERRADDR + 4)
			return;	/* read-only */
		if (reg & 4)
			atomic_store(r, (atomic_load(r) & 0xffffffffu) | (uint64_t)val << 32);
		else
			atomic_store(r, (atomic_load(r) & ~(uint64_t)0xffffffffu) | val);
		return;
	}
	switch (reg) {
	case SIMDMAC_CH_LEN:
		atomic_store(&c->len, val);
		break;
	case SIMDMAC_CH_CTRL:
		atomic_store(&c->ctrl, val);
		break;
	case SIMDMAC_CH_CHCTL:
		chan_control(hw, c, val);
		break;
	}
}

void simdmac_writeq(struct simdmac_hw *hw, uint32_t off, uint64_t val)
{
	uint32_t reg;
	struct hw_chan *c = reg_chan(hw, off, &reg);
	atomic_uint_fast64_t *r = c ? reg64(c, reg) : NULL;

	if (r && !(reg & 4) && reg != SIMDMAC_CH_CUR && reg != SIMDMAC_CH_ERRADDR) {
		atomic_store(r, val);
		return;
	}
	simdmac_writel(hw, off, (uint32_t)val);
	simdmac_writel(hw, off + 4, (uint32_t)(val >> 32));
}

/* ---- power, wiring, faults ---------------------------------------------------------- */

int simdmac_hw_create(const struct simdmac_hw_config *cfg, struct simdmac_hw **out)
{
	struct simdmac_hw *hw;
	uint32_t i;
	int ret;

	if (!cfg || !out || !cfg->irq || !cfg->nr_chans || cfg->nr_chans > SIMDMAC_MAX_CHANS)
		return -EINVAL;
	hw = calloc(1, sizeof(*hw) + sizeof(hw->ch[0]) * cfg->nr_chans);
	if (!hw)
		return -ENOMEM;
	hw->cfg = *cfg;
	for (i = 0; i < cfg->nr_chans; i++) {
		hw_lock_init(&hw->ch[i].lock);
		hw->ch[i].idx = i;
	}
	ret = hw_thread_start(&hw->engine, "simdmac", engine_main, hw);
	if (ret) {
		free(hw);
		return ret;
	}
	*out = hw;
	return 0;
}

void simdmac_hw_destroy(struct simdmac_hw *hw)
{
	if (!hw)
		return;
	atomic_store(&hw->stop, true);
	kick(hw);
	hw_wake(&hw->doorbell, 1);
	hw_thread_join(hw->engine);
	free(hw);
}

int simdmac_hw_connect(struct simdmac_hw *hw, unsigned int line, struct hw_dma_port *port,
		       enum hw_dma_dir dir)
{
	if (!hw || !port || line >= SIMDMAC_NR_LINES || hw->lines[line].port)
		return -EINVAL;
	hw->lines[line].port = port;
	hw->lines[line].dir = dir;
	port->nctx = hw;
	atomic_store_explicit(&port->notify, port_notify, memory_order_release);
	return 0;
}

int simdmac_hw_fault(struct simdmac_hw *hw, enum simdmac_fault_kind kind, unsigned int chan,
		     uint64_t addr, uint64_t after)
{
	struct hw_chan *c = chan < hw->cfg.nr_chans ? &hw->ch[chan] : NULL;

	switch (kind) {
	case SIMDMAC_FAULT_LOST_IRQ:
		atomic_fetch_add(&hw->lost_irqs, 1);
		return 0;
	case SIMDMAC_FAULT_SPURIOUS_IRQ:
		irq_edge(hw);
		return 0;
	case SIMDMAC_FAULT_READ:
	case SIMDMAC_FAULT_WRITE:
	case SIMDMAC_FAULT_FETCH:
	case SIMDMAC_FAULT_STALL:
		break;
	default:
		return -EINVAL;
	}
	if (!c)
		return -EINVAL;
	hw_lock(&c->lock);
	if (kind == SIMDMAC_FAULT_STALL)
		c->stalled = true;
	else if (kind == SIMDMAC_FAULT_FETCH)
		c->fetch_fault = true;
	else
		*(kind == SIMDMAC_FAULT_READ ? &c->rd : &c->wr) =
			(struct hw_fault){ .armed = true, .addr = addr, .left = after };
	hw_unlock(&c->lock);
	return 0;
}

void simdmac_hw_fault_clear(struct simdmac_hw *hw)
{
	uint32_t i;

	atomic_store(&hw->lost_irqs, 0);
	for (i = 0; i < hw->cfg.nr_chans; i++) {
		struct hw_chan *c = &hw->ch[i];

		hw_lock(&c->lock);
		c->rd.armed = false;
		c->wr.armed = false;
		c->fetch_fault = false;
		hw_unlock(&c->lock);
	}
}

int simdmac_hw_clock(struct simdmac_hw *hw, int chan, bool on)
{
	if (chan >= (int)hw->cfg.nr_chans || chan < -1)
		return -EINVAL;
	atomic_store_explicit(chan < 0 ? &hw->clk_off : &hw->ch[chan].clk_off, !on,
			      memory_order_release);
	if (on)
		kick(hw);	/* a channel frozen mid-transfer goes on */
	return 0;
}

void simdmac_hw_stats(struct simdmac_hw *hw, struct simdmac_hw_stats *st)
{
	st->gated_accesses = atomic_load(&hw->st_gated);
	st->irqs_raised = atomic_load(&hw->st_irqs);
	st->irqs_lost = atomic_load(&hw->st_lost);
	st->bursts = atomic_load(&hw->st_bursts);
	st->bytes = atomic_load(&hw->st_bytes);
}
