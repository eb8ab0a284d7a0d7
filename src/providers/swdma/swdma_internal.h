/* SPDX-License-Identifier: MIT */
/*
 * providers/swdma/swdma_internal.h - test hooks of the software engine.
 * Internal; tests only.
 */
#ifndef DMAE_SWDMA_INTERNAL_H
#define DMAE_SWDMA_INTERNAL_H

#include <dmae/swdma.h>

/*
 * Make the next n operations the engine starts on chan (fast path ops and
 * descriptors alike) fail with code without moving data, as a bus error
 * would.  n = 0 cancels.  Any context.  Returns 0 or -EINVAL.
 */
int dmae__swdma_fail_next(struct dmae_chan *chan, uint32_t n,
			  enum dmae_result_code code);

/* Times the engine's interrupt handler ran (dmae_irq_count).  Any context. */
uint64_t dmae__swdma_irq_count(const struct dmae_swdma *sw);

/*
 * While forever is true, an interrupt the engine holds for the client to
 * collect (irq_holdoff_ns) is never raised: only the client's own
 * dmae_chan_issue_pending() or a poll completes it.  Any context.
 */
void dmae__swdma_irq_hold(struct dmae_swdma *sw, bool forever);

/*
 * Start every ring index of chan (descriptors and fast path) at idx, as
 * if that many entries had run: how a test reaches the wrap of the 32-bit
 * indices.  Nothing may be in flight on chan.  Task context.  Returns 0
 * or -EINVAL (not a swdma channel).
 */
int dmae__swdma_rebase(struct dmae_chan *chan, uint32_t idx);

/*
 * The engine's count of finished entries on chan's ring, as the worker
 * publishes it (acquire: what it moved for them is visible).  chan is a
 * swdma channel.  Any context.
 */
uint32_t dmae__swdma_done(struct dmae_chan *chan);

#endif /* DMAE_SWDMA_INTERNAL_H */
