/* SPDX-License-Identifier: MIT */
/* os/posix/posix.h - shared inside the POSIX port.  Internal. */
#ifndef DMAE_OS_POSIX_H
#define DMAE_OS_POSIX_H

#include "os/os.h"

/* A queue of BHs, FIFO; owned by one thread or under a lock. */
struct posix_bhq {
	struct dmae__bh *head;
	struct dmae__bh *tail;
};

/*
 * The calling thread's BH state: the local queue BHs scheduled from an
 * entry or a BH run here go to (an IRQ thread's, or a local take's), and
 * how many entries and BHs the port runs on this thread now.
 */
struct posix_thread_bh {
	struct posix_bhq *q;
	unsigned int nest;
};

extern _Thread_local struct posix_thread_bh posix_bh_local;

/* Run the BHs queued on this thread, within a budget (IRQ-exit path). */
void posix_bh_run_local(void);

int posix_bh_start(void);
void posix_bh_stop(void);
int posix_wq_start(unsigned int nthreads);
void posix_wq_stop(void);

#endif /* DMAE_OS_POSIX_H */
