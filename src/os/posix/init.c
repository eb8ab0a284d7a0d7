/* SPDX-License-Identifier: MIT */
/* POSIX port: start and stop the library's threads. */
#include "core/core.h"
#include "os/posix/posix.h"

#define WQ_THREADS 2

int dmae_os_init(void)
{
	int ret = dmae_os_bh_start();

	if (ret)
		return ret;
	ret = dmae_os_wq_start(WQ_THREADS);
	if (ret)
		dmae_os_bh_stop();
	return ret;
}

void dmae_os_exit(void)
{
	dmae_os_wq_stop();
	dmae_os_bh_stop();
}
