/* SPDX-License-Identifier: MIT */
/*
 * The hardware models' host on a CPU without threads: not yet able to run
 * a model, so starting one's thread says -EOPNOTSUPP (and a simdmac or
 * swdma cannot be created).
 */
#include <errno.h>

#include "hw/hw.h"

uint64_t hw_time_ns(void)
{
	return 0;
}

void hw_sleep_ns(uint64_t ns)
{
	(void)ns;
}

void hw_yield(void)
{
}

void hw_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns)
{
	(void)addr;
	(void)expected;
	(void)timeout_ns;
}

void hw_wake(atomic_uint *addr, int nwaiters)
{
	(void)addr;
	(void)nwaiters;
}

int hw_thread_start(struct hw_thread **out, const char *name, void (*fn)(void *arg),
		    void *arg)
{
	(void)out;
	(void)name;
	(void)fn;
	(void)arg;
	return -EOPNOTSUPP;
}

void hw_thread_join(struct hw_thread *t)
{
	(void)t;
}
