/* SPDX-License-Identifier: MIT */
/*
 * providers/swdma/swdma_drv.h - the swdma driver's structures, shared by
 * its descriptor part (swdma.c) and its fast path (fastpath.c).  Internal.
 *
 * The engine itself -- the "hardware" -- is src/hw/swdma/; this driver
 * talks to it through hw/swdma/engine.h as a driver talks to registers
 * and in-memory descriptors.
 */
#ifndef DMAE_PROVIDERS_SWDMA_DRV_H
#define DMAE_PROVIDERS_SWDMA_DRV_H

#include <dmae/driver.h>
#include <dmae/fastpath.h>
#include <dmae/swdma.h>

#include "hw/swdma/engine.h"

/*
 * The driver's descriptor.  Prep builds its hardware entry (struct
 * swdma_entry but the length, which is d.len) in the rest of the core
 * descriptor's third cache line (see struct dmae_desc): push copies it to
 * the ring as it is, and a one-segment copy or fill spreads over three
 * lines.  An sg or interleaved descriptor's list (struct swdma_list, read
 * only through an SWDMA_HW_DESC entry) follows it (desc_list()), and an
 * interleaved frame behind the list's segments (desc_frame()).
 */
struct swdma_desc {
	struct dmae_desc d;
	uint64_t hw_dst;		/* the entry, built at prep */
	uint64_t hw_src;
	uintptr_t hw_desc;
};
_Static_assert(sizeof(struct swdma_desc) <= 3 * 64,
	       "the entry shares the core descriptor's third cache line");

struct swdma_chan {
	struct dmae_vchan vc;
	struct swdma_hwchan *hw;	/* the engine's channel */
	struct dmae_swdma *sw;
	/*
	 * The reaper's and the pusher's fields, each on a line of its own:
	 * the handler reaps on the worker's CPU, the client's issue pushes
	 * on its own.  All under vc->lock.
	 */
	_Alignas(64) uint32_t reaped;	/* next entry to complete */
	uint32_t done_seen;		/* done when the driver last read it */
	uint32_t failed_seen;		/* failed when every failure was reaped */
	/* ring_live() when a push last computed it: a lower bound, as slots
	 * only ever free up, refreshed when the ring looks full */
	_Alignas(64) uint32_t push_live;
};

struct dmae_swdma {
	struct dmae_provider p;
	struct dmae_swdma_config cfg;
	struct dmae_irq *irq;
	size_t frame_off;		/* see desc_frame() */
	struct swdma_engine *hw;
	struct swdma_chan *chans;
};

static inline struct swdma_chan *to_swdma_chan(struct dmae_chan *chan)
{
	return dmae_container_of(dmae_to_vchan(chan), struct swdma_chan, vc);
}

static inline struct swdma_desc *to_swdma_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct swdma_desc, d);
}

/* The fast path ops (fastpath.c). */
int swdma_fp_init(struct dmae_chan *chan, struct dmae_fp *fp);
void swdma_fp_fini(struct dmae_chan *chan, struct dmae_fp *fp);

#endif /* DMAE_PROVIDERS_SWDMA_DRV_H */
