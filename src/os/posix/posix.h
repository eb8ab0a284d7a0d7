/* SPDX-License-Identifier: MIT */
/* os/posix/posix.h - shared inside the POSIX port.  Internal. */
#ifndef DMAE_OS_POSIX_H
#define DMAE_OS_POSIX_H

int dmae_os_bh_start(void);
void dmae_os_bh_stop(void);
int dmae_os_wq_start(unsigned int nthreads);
void dmae_os_wq_stop(void);

#endif /* DMAE_OS_POSIX_H */
