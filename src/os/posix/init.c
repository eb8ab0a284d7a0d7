/* SPDX-License-Identifier: MIT */
/* POSIX port: start and stop the library's threads. */
#include "os/posix/posix.h"

#define WQ_THREADS 2

int dmae_os_init(void)
{
	int ret = posix_bh_start();

	if (ret)
		return ret;
	ret = posix_wq_start(WQ_THREADS);
	if (ret)
		posix_bh_stop();
	return ret;
}

void dmae_os_exit(void)
{
	posix_wq_stop();
	posix_bh_stop();
}
