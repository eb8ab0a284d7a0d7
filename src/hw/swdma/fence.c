/* SPDX-License-Identifier: MIT */
/*
 * The heavy side of the engine's asymmetric handshakes (engine.h, "The
 * sleep/wake handshake"): make every other running thread of the process
 * execute a full memory barrier, so that the frequent side needs none.
 *
 * On Linux this is membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which
 * interrupts the CPUs running this process's threads (about 0.4 us on the
 * machine of docs/performance.md; a worker pays it when it goes to sleep,
 * a client when it waits).  Elsewhere, or when the kernel refuses to
 * register, the engine falls back to a seq_cst fence on both sides.
 */
#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "hw/swdma/engine.h"

#if defined(__linux__) && defined(__NR_membarrier) && !defined(SWDMA_TSAN)
static long membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* Registered once per process; every engine then uses the barrier. */
static bool fence_register(void)
{
	static atomic_int state;	/* 0 unknown, 1 usable, -1 not */
	int s = atomic_load_explicit(&state, memory_order_acquire);
	long cmds;

	if (s)
		return s > 0;
	cmds = membarrier(MEMBARRIER_CMD_QUERY);
	s = cmds >= 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	    !membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) ? 1 : -1;
	atomic_store_explicit(&state, s, memory_order_release);
	return s > 0;
}

/* Once registered, the command does not fail (membarrier(2)). */
void swdma_hw_fence_heavy(const struct swdma_engine *sw)
{
	if (sw->asym_fence)
		(void)membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
	else
		atomic_thread_fence(memory_order_seq_cst);
}
#else
static bool fence_register(void)
{
	return false;
}

void swdma_hw_fence_heavy(const struct swdma_engine *sw)
{
	(void)sw;
	atomic_thread_fence(memory_order_seq_cst);
}
#endif

bool swdma_hw_fence_init(void)
{
	return fence_register();
}
