/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/line_rtt.c - how far apart the two threads of a benchmark
 * run: a cache-line round trip between this thread and another.
 *
 * Shared by "dmae perf" and tools/dpdk-compare/skel_perf.c, so that both
 * report the placement of their run the same way.  Needs only C11,
 * pthreads and POSIX clocks: skel_perf does not link dmae.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "line_rtt.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Cache-line ping-pong: this thread writes i to one line, the other
 * answers on another.  A round trip is two line transfers, so this shows
 * how far apart the two vCPUs the scheduler gave us are.  Median of 9
 * rounds of up to 20 000.  Both sides yield after RTT_SPINS idle loads
 * and a round ends after RTT_ROUND_NS: when the two threads share one CPU
 * (a busy machine), each answer waits for a time slice, and 180 000 of
 * them took minutes.
 */
#define RTT_ROUNDS 9
#define RTT_ITERS 20000
#define RTT_SPINS (1u << 14)
#define RTT_ROUND_NS 20000000u

static struct {
	_Alignas(128) atomic_long ping;	/* -1: stop */
	_Alignas(128) atomic_long pong;
} rtt;

/* Wait until *line no longer holds old; returns what it holds then. */
static long rtt_wait(atomic_long *line, long old)
{
	unsigned int spins = 0;
	long v;

	while ((v = atomic_load_explicit(line, memory_order_acquire)) == old) {
		if (++spins == RTT_SPINS) {
			sched_yield();
			spins = 0;
		}
	}
	return v;
}

static void *rtt_thread(void *arg)
{
	long i = 0;

	(void)arg;
	while ((i = rtt_wait(&rtt.ping, i)) >= 0)
		atomic_store_explicit(&rtt.pong, i, memory_order_release);
	return NULL;
}

/*
 * The partner may run on any online CPU: a caller pinned to one CPU (a
 * DPDK lcore) would otherwise give it that CPU only, and time a round
 * trip through the scheduler.
 */
static int rtt_start(pthread_t *t)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_attr_t attr;
	cpu_set_t all;
	int ret;

	CPU_ZERO(&all);
	for (long c = 0; c < n && c < CPU_SETSIZE; c++)
		CPU_SET((int)c, &all);
	ret = pthread_attr_init(&attr);
	if (ret)
		return ret;
	if (pthread_attr_setaffinity_np(&attr, sizeof(all), &all) ||
	    (ret = pthread_create(t, &attr, rtt_thread, NULL)))
		ret = pthread_create(t, NULL, rtt_thread, NULL);
	pthread_attr_destroy(&attr);
	return ret;
}

double line_rtt_ns(void)
{
	uint64_t v[RTT_ROUNDS];
	pthread_t t;
	long i = 0;
	int r;

	atomic_store(&rtt.ping, 0);
	atomic_store(&rtt.pong, 0);
	if (rtt_start(&t))
		return 0;
	for (r = 0; r < RTT_ROUNDS; r++) {
		uint64_t t0 = now_ns(), n = 0;

		while (n < RTT_ITERS) {
			atomic_store_explicit(&rtt.ping, ++i, memory_order_release);
			rtt_wait(&rtt.pong, i - 1);
			if (!(++n & 255) && now_ns() - t0 > RTT_ROUND_NS)
				break;
		}
		v[r] = (now_ns() - t0) / n;
	}
	atomic_store_explicit(&rtt.ping, -1, memory_order_release);
	pthread_join(t, NULL);
	qsort(v, RTT_ROUNDS, sizeof(v[0]), cmp_u64);
	return (double)v[RTT_ROUNDS / 2];
}
