/* SPDX-License-Identifier: MIT */
/*
 * The host interface of the hardware models (hw/hw.h) on POSIX threads
 * and the Linux futex.  Plain C: nothing of the framework, so a model
 * runs wherever this file is ported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
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
