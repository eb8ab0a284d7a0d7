/* SPDX-License-Identifier: MIT */
/*
 * hw/host/posix_port.h - the inline part of the POSIX host (hw/hw.h).
 * Internal; included by hw/hw.h only.
 *
 * The model's threads are real threads: a spinning hw_lock waiter lets
 * the holder run by yielding, so a lock needs no help from the host.
 */
#ifndef DMAE_HW_HOST_POSIX_PORT_H
#define DMAE_HW_HOST_POSIX_PORT_H

static inline unsigned int hw_host_lock_enter(void)
{
	return 0;
}

static inline void hw_host_lock_exit(unsigned int host)
{
	(void)host;
}

#endif /* DMAE_HW_HOST_POSIX_PORT_H */
