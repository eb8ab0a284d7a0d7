/* SPDX-License-Identifier: MIT */
/*
 * POSIX port: the workqueue, a small pool of task-context threads.
 *
 * work->state bits (protected by wq.lock):
 *
 *   PENDING  queued, or to be re-queued when the running instance ends
 *   RUNNING  its function runs on a worker
 *   DELAYED  (with PENDING) on the timer list until w->due_ns
 *
 *   idle --queue--> PENDING --picked--> RUNNING --done--> idle
 *                      ^                   |
 *                      +---- queue --------+ (PENDING|RUNNING: re-queued
 *                                             when it ends, never run twice
 *                                             at once)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "os/posix/posix.h"

#define WORK_PENDING 1u
#define WORK_RUNNING 2u
#define WORK_DELAYED 4u
#define WQ_MAX_THREADS 8
/* The longest a runner sleeps for a timer: a later one is looked at again. */
#define WQ_WAIT_MAX_NS (UINT64_C(3600) * 1000000000u)

static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* work queued or stop */
	pthread_cond_t done;		/* a work item finished or was unqueued */
	struct dmae_work *head;		/* protected by lock */
	struct dmae_work *tail;
	struct dmae_work *timers;	/* DELAYED items, unordered; lock */
	bool stop;
	unsigned int nthreads;
	struct dmae_os_thread *threads[WQ_MAX_THREADS];
} wq = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	 PTHREAD_COND_INITIALIZER, NULL, NULL, NULL, false, 0, { NULL } };

/* The work item the calling thread runs. */
static _Thread_local struct dmae_work *wq_current;

static void wq_append(struct dmae_work *w)
{
	w->next = NULL;
	if (wq.tail)
		wq.tail->next = w;
	else
		wq.head = w;
	wq.tail = w;
	pthread_cond_signal(&wq.more);
}

static void timer_unlink(struct dmae_work *w)
{
	struct dmae_work **pp;

	for (pp = &wq.timers; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

/* Move the timers that are due to the run queue; the earliest still to come, or 0. */
static uint64_t timers_run_due(void)
{
	uint64_t now = dmae_os_time_ns(), next = 0;
	struct dmae_work **pp = &wq.timers, *w;

	while ((w = *pp)) {
		if (w->due_ns <= now) {
			*pp = w->next;
			atomic_fetch_and_explicit(&w->state, ~WORK_DELAYED, memory_order_relaxed);
			if (!(atomic_load_explicit(&w->state, memory_order_relaxed) & WORK_RUNNING))
				wq_append(w);
			continue;
		}
		if (!next || w->due_ns < next)
			next = w->due_ns;
		pp = &w->next;
	}
	return next;
}

static bool wq_unlink(struct dmae_work *w)
{
	struct dmae_work **pp, *prev = NULL;

	for (pp = &wq.head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (wq.tail == w)
				wq.tail = prev;
			return true;
		}
	}
	return false;
}

bool dmae_os_work_is_pending(const struct dmae_work *w)
{
	return atomic_load_explicit(&w->state, memory_order_relaxed) & WORK_PENDING;
}

bool dmae_os_work_queue(struct dmae_work *w)
{
	unsigned int s;

	pthread_mutex_lock(&wq.lock);
	s = atomic_load_explicit(&w->state, memory_order_relaxed);
	if (s & WORK_DELAYED) {
		/* due now */
		timer_unlink(w);
		atomic_store_explicit(&w->state, s & ~WORK_DELAYED, memory_order_relaxed);
		if (!(s & WORK_RUNNING))
			wq_append(w);
		pthread_mutex_unlock(&wq.lock);
		return true;
	}
	if (s & WORK_PENDING) {
		pthread_mutex_unlock(&wq.lock);
		return false;
	}
	atomic_store_explicit(&w->state, s | WORK_PENDING, memory_order_relaxed);
	if (!(s & WORK_RUNNING))
		wq_append(w);
	pthread_mutex_unlock(&wq.lock);
	return true;
}

bool dmae_os_work_queue_after(struct dmae_work *w, uint64_t delay_ns)
{
	uint64_t now;
	unsigned int s;

	pthread_mutex_lock(&wq.lock);
	s = atomic_load_explicit(&w->state, memory_order_relaxed);
	if (s & WORK_PENDING) {
		pthread_mutex_unlock(&wq.lock);
		return false;
	}
	now = dmae_os_time_ns();
	w->due_ns = delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns;	/* or never */
	atomic_store_explicit(&w->state, s | WORK_PENDING | WORK_DELAYED, memory_order_relaxed);
	w->next = wq.timers;
	wq.timers = w;
	pthread_cond_signal(&wq.more);
	pthread_mutex_unlock(&wq.lock);
	return true;
}

bool dmae_os_work_cancel_sync(struct dmae_work *w)
{
	bool was_pending;
	unsigned int s;

	pthread_mutex_lock(&wq.lock);
	s = atomic_load_explicit(&w->state, memory_order_relaxed);
	was_pending = s & WORK_PENDING;
	if (s & WORK_DELAYED)
		timer_unlink(w);
	else if (was_pending && !(s & WORK_RUNNING))
		wq_unlink(w);
	atomic_store_explicit(&w->state, s & ~(WORK_PENDING | WORK_DELAYED), memory_order_relaxed);
	if (wq_current != w) {
		while (atomic_load_explicit(&w->state, memory_order_relaxed) & WORK_RUNNING)
			pthread_cond_wait(&wq.done, &wq.lock);
	}
	pthread_mutex_unlock(&wq.lock);
	return was_pending;
}

int dmae_os_work_flush(struct dmae_work *w)
{
	if (wq_current == w)
		return -EDEADLK;
	pthread_mutex_lock(&wq.lock);
	while (atomic_load_explicit(&w->state, memory_order_relaxed))
		pthread_cond_wait(&wq.done, &wq.lock);
	pthread_mutex_unlock(&wq.lock);
	return 0;
}

struct dmae_work *dmae_os_work_current(void)
{
	return wq_current;
}

/* Wait on wq.more (lock held) at most until the monotonic time due. */
static void wq_wait_until(uint64_t due)
{
	uint64_t now = dmae_os_time_ns(), left = due > now ? due - now : 0;
	struct timespec ts;

	if (left > WQ_WAIT_MAX_NS)	/* a far timer: look again later */
		left = WQ_WAIT_MAX_NS;
	clock_gettime(CLOCK_REALTIME, &ts);
	left += (uint64_t)ts.tv_nsec;
	ts.tv_sec += (time_t)(left / 1000000000u);
	ts.tv_nsec = (long)(left % 1000000000u);
	pthread_cond_timedwait(&wq.more, &wq.lock, &ts);
}

static void wq_thread(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&wq.lock);
	for (;;) {
		uint64_t next = wq.timers ? timers_run_due() : 0;
		struct dmae_work *w = wq.head;
		unsigned int s;

		if (!w) {
			if (wq.stop)
				break;
			if (next)
				wq_wait_until(next);
			else
				pthread_cond_wait(&wq.more, &wq.lock);
			continue;
		}
		wq.head = w->next;
		if (!wq.head)
			wq.tail = NULL;
		atomic_store_explicit(&w->state, WORK_RUNNING, memory_order_relaxed);
		pthread_mutex_unlock(&wq.lock);

		wq_current = w;
		w->fn(w);
		wq_current = NULL;

		pthread_mutex_lock(&wq.lock);
		s = atomic_load_explicit(&w->state, memory_order_relaxed) & ~WORK_RUNNING;
		atomic_store_explicit(&w->state, s, memory_order_relaxed);
		if ((s & WORK_PENDING) && !(s & WORK_DELAYED))	/* a timer stays on its list */
			wq_append(w);
		pthread_cond_broadcast(&wq.done);
	}
	pthread_mutex_unlock(&wq.lock);
}

int posix_wq_start(unsigned int nthreads)
{
	unsigned int i;
	char name[16];
	int ret;

	if (nthreads > WQ_MAX_THREADS)
		nthreads = WQ_MAX_THREADS;
	wq.stop = false;
	for (i = 0; i < nthreads; i++) {
		snprintf(name, sizeof(name), "dmae-wq/%u", i % WQ_MAX_THREADS);
		ret = dmae_os_thread_start(&wq.threads[i], name, wq_thread, NULL);
		if (ret) {
			wq.nthreads = i;
			posix_wq_stop();
			return ret;
		}
	}
	wq.nthreads = nthreads;
	return 0;
}

void posix_wq_stop(void)
{
	unsigned int i;

	pthread_mutex_lock(&wq.lock);
	wq.stop = true;
	pthread_cond_broadcast(&wq.more);
	pthread_mutex_unlock(&wq.lock);
	for (i = 0; i < wq.nthreads; i++)
		dmae_os_thread_join(wq.threads[i]);
	wq.nthreads = 0;
	/* Their owners cancel timers before they go; forget any left. */
	while (wq.timers) {
		atomic_store(&wq.timers->state, 0);
		wq.timers = wq.timers->next;
	}
}
