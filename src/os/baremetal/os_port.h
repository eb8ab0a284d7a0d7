/* SPDX-License-Identifier: MIT */
/*
 * os/baremetal/os_port.h - the bare-metal port's inline part of the seam.
 *
 * One CPU and no threads: the "thread" whose state the core keeps is the
 * CPU, and the exceptions that preempt each other on it restore that
 * state before they return (every enter has its exit), so one copy of it
 * is right.  Interrupts preempt the code that masks them, so the core's
 * local mask is the CPU's: PRIMASK.
 */
#ifndef DMAE_OS_BAREMETAL_OS_PORT_H
#define DMAE_OS_BAREMETAL_OS_PORT_H

#define DMAE_OS_THREAD_LOCAL

static inline void dmae_os_local_irq_disable(void)
{
	__asm__ __volatile__("cpsid i" ::: "memory");
}

static inline void dmae_os_local_irq_enable(void)
{
	__asm__ __volatile__("cpsie i" ::: "memory");
}

#endif /* DMAE_OS_BAREMETAL_OS_PORT_H */
