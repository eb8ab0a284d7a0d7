/* SPDX-License-Identifier: MIT */
/*
 * hw/host/baremetal_port.h - the inline part of the bare-metal host
 * (hw/hw.h).  Internal; included by hw/hw.h only.
 *
 * One CPU: the model's threads (coroutines in the model interrupt), the
 * device interrupts above them and thread mode below all share it, and a
 * context never waits for one it preempted.  A held hw_lock masks the
 * CPU's interrupts (PRIMASK), so its holder is never preempted and the
 * lock is never contended; a model interrupt raised under it is taken
 * when it is released, a few cycles late, as on silicon.
 *
 * The board's thread-local storage is one block, the CPU's: a model's
 * per-thread variable is written under a hw_lock only (simdmac.c's
 * in_step), which no other context interrupts, so one copy is right.
 */
#ifndef DMAE_HW_HOST_BAREMETAL_PORT_H
#define DMAE_HW_HOST_BAREMETAL_PORT_H

static inline unsigned int hw_host_lock_enter(void)
{
	unsigned int primask;

	__asm__ __volatile__("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	return primask;
}

static inline void hw_host_lock_exit(unsigned int primask)
{
	__asm__ __volatile__("msr primask, %0" ::"r"(primask) : "memory");
}

#endif /* DMAE_HW_HOST_BAREMETAL_PORT_H */
