/* SPDX-License-Identifier: MIT */
/*
 * The heavy side of the engine's asymmetric handshakes (engine.h, "The
 * sleep/wake handshake"): make every other running thread execute a full
 * memory barrier, so that the frequent side needs none.  The host does it
 * (hw_barrier_all(): membarrier on Linux, about 0.4 us on the machine of
 * docs/performance.md; a worker pays it when it goes to sleep, a client
 * when it waits, a driver when its ring is full).  Where the host cannot, and under TSan, which does not
 * see such a barrier, the engine fences on both sides instead.
 */
#include "hw/swdma/engine.h"

bool swdma_hw_fence_init(void)
{
#ifdef SWDMA_TSAN
	return false;
#else
	return hw_barrier_all_init();
#endif
}

void swdma_hw_fence_heavy(const struct swdma_engine *sw)
{
	if (sw->asym_fence)
		hw_barrier_all();
	else
		atomic_thread_fence(memory_order_seq_cst);
}
