/* SPDX-License-Identifier: MIT */
/*
 * POSIX port: bottom halves.
 *
 * A BH scheduled from hard-IRQ context goes on the IRQ thread's local
 * queue and runs when the handler returns, on that thread, in BH context
 * (the kernel's irq_exit).  At most BH_BUDGET run there per interrupt; the
 * rest, and every BH scheduled from elsewhere, go to the BH thread (the
 * kernel's ksoftirqd).
 *
 * bh->state bits:
 *
 *   SCHED  queued on exactly one run queue
 *   RUN    its function is running (on one thread)
 *
 *   idle --schedule--> SCHED --picked--> RUN --done--> idle
 *                        ^                |
 *                        +-- schedule ----+  (SCHED|RUN: runs once more)
 *
 * A runner that picks a BH already RUNning elsewhere hands it to the BH
 * thread instead, so a BH never runs concurrently with itself.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "os/posix/posix.h"

#define BH_SCHED 1u
#define BH_RUN 2u
#define BH_BUDGET 32

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct posix_bhq q;		/* protected by lock */
	bool stop;			/* protected by lock */
	struct dmae_os_thread *thread;
} bhd = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { NULL, NULL },
	  false, NULL };

_Thread_local struct posix_thread_bh posix_bh_local;

static void q_push(struct posix_bhq *q, struct dmae__bh *bh)
{
	bh->next = NULL;
	if (q->tail)
		q->tail->next = bh;
	else
		q->head = bh;
	q->tail = bh;
}

static struct dmae__bh *q_pop(struct posix_bhq *q)
{
	struct dmae__bh *bh = q->head;

	if (bh) {
		q->head = bh->next;
		if (!q->head)
			q->tail = NULL;
	}
	return bh;
}

static void bhd_push(struct dmae__bh *bh)
{
	pthread_mutex_lock(&bhd.lock);
	q_push(&bhd.q, bh);
	pthread_cond_signal(&bhd.cond);
	pthread_mutex_unlock(&bhd.lock);
}

void dmae_os_bh_schedule(struct dmae__bh *bh)
{
	if (atomic_fetch_or(&bh->state, BH_SCHED) & BH_SCHED)
		return;
	if (posix_bh_local.q && posix_bh_local.nest)
		q_push(posix_bh_local.q, bh);
	else
		bhd_push(bh);
}

bool dmae_os_bh_is_scheduled(const struct dmae__bh *bh)
{
	return atomic_load_explicit(&bh->state, memory_order_relaxed) & BH_SCHED;
}

/*
 * Run one dequeued BH (state has SCHED, and only its runner clears it).
 * Returns false if handed off.  SCHED -> RUN is one exchange: it fails
 * only when RUN is set, i.e. the BH is running elsewhere.
 */
static bool bh_run(struct dmae__bh *bh)
{
	unsigned int v = BH_SCHED;

	if (!atomic_compare_exchange_strong(&bh->state, &v, BH_RUN)) {
		bhd_push(bh);	/* running elsewhere: later, on the BH thread */
		return false;
	}
	posix_bh_local.nest++;
	dmae__ctx_bh_enter();
	bh->fn(bh);
	dmae__ctx_bh_exit();
	posix_bh_local.nest--;
	atomic_fetch_and(&bh->state, ~BH_RUN);
	return true;
}

void posix_bh_run_local(void)
{
	struct posix_bhq *q = posix_bh_local.q;
	struct dmae__bh *bh;
	int budget = BH_BUDGET;

	while (budget-- > 0 && (bh = q_pop(q)))
		bh_run(bh);
	while ((bh = q_pop(q)))
		bhd_push(bh);
}

static void bh_thread(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&bhd.lock);
	for (;;) {
		struct dmae__bh *bh = q_pop(&bhd.q);

		if (!bh) {
			if (bhd.stop)
				break;
			pthread_cond_wait(&bhd.cond, &bhd.lock);
			continue;
		}
		pthread_mutex_unlock(&bhd.lock);
		if (!bh_run(bh))
			dmae_os_yield();	/* let the other runner finish */
		pthread_mutex_lock(&bhd.lock);
	}
	pthread_mutex_unlock(&bhd.lock);
}

void dmae_os_bh_kill(struct dmae__bh *bh)
{
	unsigned int spins = 0;

	while (atomic_load(&bh->state)) {
		if (++spins < 64)
			dmae_os_yield();
		else
			dmae_os_sleep_ns(20000);
	}
}

int posix_bh_start(void)
{
	bhd.stop = false;
	return dmae_os_thread_start(&bhd.thread, "dmae-bh", bh_thread, NULL);
}

void posix_bh_stop(void)
{
	pthread_mutex_lock(&bhd.lock);
	bhd.stop = true;
	pthread_cond_broadcast(&bhd.cond);
	pthread_mutex_unlock(&bhd.lock);
	dmae_os_thread_join(bhd.thread);
	bhd.thread = NULL;
}
