/* SPDX-License-Identifier: MIT */
/*
 * hw/simdmac/simdmac.h - the simulated DMA controller model.  Internal.
 *
 * Included by board code (src/providers/simdmac/board.c), the driver
 * (for the register accessors only) and tests.  The register map and the
 * linked-list item format are in simdmac_regs.h.  This header is the
 * model's "pins": create/destroy (power), the MMIO accessors, request
 * line inputs, the interrupt output (a callback) and fault injection, a
 * test-bench feature no real chip has.
 *
 * One engine thread runs every channel: it round-robins over RUNNING
 * channels, one burst per channel per round, within the configured bus
 * bandwidth, and sleeps when no channel can make progress (idle, paused,
 * stalled or waiting for a request) until a register write or a
 * peripheral's request wakes it.
 */
#ifndef DMAE_HW_SIMDMAC_SIMDMAC_H
#define DMAE_HW_SIMDMAC_SIMDMAC_H

#include <stdint.h>

#include "hw/hw.h"
#include "hw/simdmac/simdmac_regs.h"

struct simdmac_hw;

struct simdmac_hw_config {
	uint32_t nr_chans;		/* 1..SIMDMAC_MAX_CHANS */
	uint64_t bandwidth;		/* bus bytes per microsecond; 0: unlimited */
	void (*irq)(void *arg);		/* the interrupt output; any thread */
	void *irq_arg;
	/*
	 * The IOMMU between the controller and memory (NULL: none): may a
	 * burst access [addr, addr + len) of memory (write: as destination)?
	 * A refused burst is a bus error (SIMDMAC_ERR_READ / _WRITE).  The
	 * engine thread calls it; it never sleeps.  Item fetches are not
	 * checked: descriptor lists live in coherent memory the driver owns.
	 */
	bool (*bus_check)(void *arg, uint64_t addr, uint64_t len, bool write);
	void *bus_arg;
};

/* Power on: registers at reset values, engine thread started.  0 or -errno. */
int simdmac_hw_create(const struct simdmac_hw_config *cfg, struct simdmac_hw **out);
/*
 * Power off: stops the engine thread.  Nothing may access the model after;
 * connected peripherals must be gone already (their requests call into
 * the model), which is safe once CTRL.EN is clear or no channel runs.
 */
void simdmac_hw_destroy(struct simdmac_hw *hw);

/*
 * MMIO.  off is a register offset (simdmac_regs.h); unknown offsets read 0
 * and ignore writes.  Any context, never sleeps; a control write may spin
 * until the burst in flight on that channel ends.
 */
uint32_t simdmac_readl(struct simdmac_hw *hw, uint32_t off);
void simdmac_writel(struct simdmac_hw *hw, uint32_t off, uint32_t val);
uint64_t simdmac_readq(struct simdmac_hw *hw, uint32_t off);
/* A register's value as a debugger sees it: through any clock gate, not counted. */
uint32_t simdmac_hw_peek(struct simdmac_hw *hw, uint32_t off);
void simdmac_writeq(struct simdmac_hw *hw, uint32_t off, uint64_t val);

/*
 * Wire request line `line` to a peripheral's DMA port for one direction
 * (a UART uses two lines, TX and RX, on the same port).  Board setup,
 * before the line is used.  0 or -EINVAL.
 */
int simdmac_hw_connect(struct simdmac_hw *hw, unsigned int line, struct hw_dma_port *port,
		       enum hw_dma_dir dir);

/* ---- fault injection (the test bench) --------------------------------- */

enum simdmac_fault_kind {
	SIMDMAC_FAULT_READ = 1,		/* bus error on a source read */
	SIMDMAC_FAULT_WRITE,		/* bus error on a destination write */
	SIMDMAC_FAULT_FETCH,		/* bus error on the next LLI fetch */
	SIMDMAC_FAULT_LOST_IRQ,		/* the next interrupt is not delivered */
	SIMDMAC_FAULT_SPURIOUS_IRQ,	/* raise the interrupt now, no cause */
	SIMDMAC_FAULT_STALL,		/* the channel stops progressing */
};

/*
 * Arm one fault.  READ/WRITE fire once, on channel chan, at the first
 * burst that touches addr (addr != 0) or, with addr 0, at the first burst
 * that would move the channel past `after` bytes counted from now.  FETCH
 * fires at chan's next item fetch; STALL holds chan until it is aborted;
 * LOST_IRQ and SPURIOUS_IRQ ignore chan.  Any context.  0 or -EINVAL.
 */
int simdmac_hw_fault(struct simdmac_hw *hw, enum simdmac_fault_kind kind, unsigned int chan,
		     uint64_t addr, uint64_t after);
/* Disarm every fault that has not fired (stalls stay until abort). */
void simdmac_hw_fault_clear(struct simdmac_hw *hw);

/*
 * Gate (on false) or ungate the clock of the controller (chan -1) or of
 * one channel: what an SoC's clock controller does, outside the register
 * map.  Registers keep their values; a gated channel does not run, and a
 * register access while gated is a bus fault that the model counts.  Any
 * context.  0 or -EINVAL.
 */
int simdmac_hw_clock(struct simdmac_hw *hw, int chan, bool on);

/* Statistics of the model, for tests. */
struct simdmac_hw_stats {
	uint64_t gated_accesses;	/* register accesses while a clock was gated */
	uint64_t irqs_raised;		/* interrupt edges delivered */
	uint64_t irqs_lost;		/* edges dropped by SIMDMAC_FAULT_LOST_IRQ */
	uint64_t bursts;
	uint64_t bytes;
};

void simdmac_hw_stats(struct simdmac_hw *hw, struct simdmac_hw_stats *st);

#endif /* DMAE_HW_SIMDMAC_SIMDMAC_H */
