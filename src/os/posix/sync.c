/* SPDX-License-Identifier: MIT */
/*
 * POSIX port: time, wait/wake on an address, threads, symbols.
 *
 * Wait/wake uses the Linux futex; every blocking primitive of the core
 * (mutex, completion, IRQ and worker sleep) is built on these two calls.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "os/os.h"

#ifndef __linux__
#error "the POSIX port needs the Linux futex for dmae_os_wait(); port src/os/posix/sync.c"
#endif

uint64_t dmae_os_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void dmae_os_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void dmae_os_yield(void)
{
	sched_yield();
}

int dmae_os_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns)
{
	struct timespec ts, *tsp = NULL;
	long r;

	if (timeout_ns != DMAE_OS_FOREVER) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000u);
		ts.tv_nsec = (long)(timeout_ns % 1000000000u);
		tsp = &ts;
	}
	r = syscall(SYS_futex, (unsigned int *)addr, FUTEX_WAIT_PRIVATE, expected,
		    tsp, NULL, 0);
	if (r < 0 && errno == ETIMEDOUT)
		return -ETIMEDOUT;
	return 0;
}

void dmae_os_wake(atomic_uint *addr, int nwaiters)
{
	syscall(SYS_futex, (unsigned int *)addr, FUTEX_WAKE_PRIVATE, nwaiters,
		NULL, NULL, 0);
}

struct dmae_os_thread {
	pthread_t tid;
	void (*fn)(void *arg);
	void *arg;
	char name[16];
};

static void *thread_main(void *p)
{
	struct dmae_os_thread *t = p;

	dmae__ctx_thread_init(t->name);
	pthread_setname_np(pthread_self(), t->name);
	t->fn(t->arg);
	return NULL;
}

int dmae_os_thread_start(struct dmae_os_thread **out, const char *name,
			 void (*fn)(void *arg), void *arg)
{
	struct dmae_os_thread *t = calloc(1, sizeof(*t));

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

void dmae_os_thread_join(struct dmae_os_thread *t)
{
	pthread_join(t->tid, NULL);
	free(t);
}

void dmae_os_thread_name(char *buf, size_t len)
{
	if (pthread_getname_np(pthread_self(), buf, len))
		buf[0] = '\0';
}

void dmae_os_symbolize(const void *addr, char *buf, size_t len)
{
	Dl_info info;

	if (addr && dladdr(addr, &info) && info.dli_fname) {
		const char *obj = strrchr(info.dli_fname, '/');

		obj = obj ? obj + 1 : info.dli_fname;
		if (info.dli_sname)
			snprintf(buf, len, "%s+0x%zx (%s)", info.dli_sname,
				 (size_t)((const char *)addr - (const char *)info.dli_saddr),
				 obj);
		else
			snprintf(buf, len, "%s+0x%zx", obj,
				 (size_t)((const char *)addr - (const char *)info.dli_fbase));
		return;
	}
	snprintf(buf, len, "%p", addr);
}
