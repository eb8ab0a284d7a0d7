/* SPDX-License-Identifier: MIT */
/*
 * os/posix/os_port.h - the POSIX port's inline part of the seam (os/os.h).
 *
 * Threads are real, so the core's per-thread state is thread-local.  An
 * interrupt line is a thread of its own and never preempts the thread that
 * masks it: the core's per-thread mask (which keeps this thread from
 * taking a line locally) is all there is to masking, and the hooks below
 * are empty.
 */
#ifndef DMAE_OS_POSIX_OS_PORT_H
#define DMAE_OS_POSIX_OS_PORT_H

#define DMAE_OS_THREAD_LOCAL _Thread_local

static inline void dmae_os_local_irq_disable(void)
{
}

static inline void dmae_os_local_irq_enable(void)
{
}

#endif /* DMAE_OS_POSIX_OS_PORT_H */
