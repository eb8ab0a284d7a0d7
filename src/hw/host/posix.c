/* SPDX-License-Identifier: MIT */
/*
 * The host interface of the hardware models (hw/hw.h) on POSIX threads
 * and the Linux futex.  Plain C: nothing of the framework, so a model
 * runs wherever this file is ported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "hw/hw.h"

uint64_t hw_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void hw_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void hw_yield(void)
{
	sched_yield();
}

static long membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* The process registers once for the expedited private barrier. */
bool hw_barrier_all_init(void)
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

/* Interrupts the CPUs running this process's threads; once registered it
 * does not fail (membarrier(2)). */
void hw_barrier_all(void)
{
	(void)membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
}

void hw_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ns != HW_FOREVER) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000u);
		ts.tv_nsec = (long)(timeout_ns % 1000000000u);
		tsp = &ts;
	}
	syscall(SYS_futex, (unsigned int *)addr, FUTEX_WAIT_PRIVATE, expected, tsp, NULL, 0);
}

void hw_wake(atomic_uint *addr, int nwaiters)
{
	syscall(SYS_futex, (unsigned int *)addr, FUTEX_WAKE_PRIVATE, nwaiters, NULL, NULL, 0);
}

struct hw_thread {
	pthread_t tid;
	void (*fn)(void *arg);
	void *arg;
	char name[16];
};

static void *thread_main(void *p)
{
	struct hw_thread *t = p;

	pthread_setname_np(pthread_self(), t->name);
	t->fn(t->arg);
	return NULL;
}

int hw_thread_start(struct hw_thread **out, const char *name, void (*fn)(void *arg), void *arg)
{
	struct hw_thread *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (pthread_create(&t->tid, NULL, thread_main, t)) {
		free(t);
		return -EAGAIN;
	}
	*out = t;
	return 0;
}

void hw_thread_join(struct hw_thread *t)
{
	pthread_join(t->tid, NULL);
	free(t);
}
