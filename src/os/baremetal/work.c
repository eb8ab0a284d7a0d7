/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: the task runner is thread mode.
 *
 * Work items queue on one FIFO (and, with a delay, on a list of timers
 * that the runner moves to the FIFO when they fall due).  Thread mode
 * runs them: the application's main loop through dmae_baremetal_run() or
 * _idle(), and every sleeping wait while it waits, so a thread-mode
 * caller that waits for work (a completion signalled from a task-context
 * callback) sees it done.  A wait inside a work item runs other items, so
 * items nest on the one stack; an item never runs inside itself (one that
 * is RUNNING further down stays queued until it returns).
 *
 * w->state (PRIMASK held to change it):
 *
 *   0 --queue--> QUEUED --runner picks--> RUNNING --fn returns--> 0
 *   0 --queue_after--> QUEUED|DELAYED --due--> QUEUED
 *   RUNNING --queue--> RUNNING|QUEUED (runs once more after it returns)
 */
#include <errno.h>

#include "os/baremetal/bm.h"

#define W_QUEUED 1u
#define W_RUNNING 2u
#define W_DELAYED 4u

/* Both lists and every item's state: PRIMASK held. */
static struct dmae_work *ready_head, *ready_tail;
static struct dmae_work *timers;	/* unsorted: a handful at most */
static struct dmae_work *current;	/* the innermost item running */

static unsigned int state(const struct dmae_work *w)
{
	return atomic_load_explicit(&w->state, memory_order_relaxed);
}

static void set_state(struct dmae_work *w, unsigned int s)
{
	atomic_store_explicit(&w->state, s, memory_order_relaxed);
}

static void ready_add(struct dmae_work *w)
{
	w->next = NULL;
	if (ready_tail)
		ready_tail->next = w;
	else
		ready_head = w;
	ready_tail = w;
}

/* Unlink w from the list at *head (tail: the FIFO's tail, or NULL). */
static bool list_del(struct dmae_work **head, struct dmae_work **tail, struct dmae_work *w)
{
	struct dmae_work *prev = NULL;

	for (struct dmae_work *it = *head; it; prev = it, it = it->next) {
		if (it != w)
			continue;
		if (prev)
			prev->next = w->next;
		else
			*head = w->next;
		if (tail && *tail == w)
			*tail = prev;
		return true;
	}
	return false;
}

bool dmae_os_work_queue(struct dmae_work *w)
{
	uint32_t primask = bm_irq_save();
	unsigned int s = state(w);
	bool queued = !(s & W_QUEUED);

	if (queued) {
		set_state(w, s | W_QUEUED);
		ready_add(w);
	} else if (s & W_DELAYED) {
		list_del(&timers, NULL, w);
		set_state(w, s & ~W_DELAYED);
		ready_add(w);
	}
	bm_irq_restore(primask);
	return queued;
}

bool dmae_os_work_queue_after(struct dmae_work *w, uint64_t delay_ns)
{
	uint64_t now = dmae_os_time_ns();
	uint64_t due = delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns;	/* never */
	uint32_t primask = bm_irq_save();
	unsigned int s = state(w);

	if (s & W_QUEUED) {
		bm_irq_restore(primask);
		return false;
	}
	w->due_ns = due;
	w->next = timers;
	timers = w;
	set_state(w, s | W_QUEUED | W_DELAYED);
	bm_irq_restore(primask);
	return true;
}

/* Move due timers to the FIFO.  PRIMASK held. */
static void timers_expire(uint64_t now)
{
	struct dmae_work *w = timers, *next;

	for (; w; w = next) {
		next = w->next;
		if (w->due_ns <= now) {
			list_del(&timers, NULL, w);
			set_state(w, state(w) & ~W_DELAYED);
			ready_add(w);
		}
	}
}

/* The first queued item not running further down, unlinked.  PRIMASK held. */
static struct dmae_work *ready_take(void)
{
	for (struct dmae_work *w = ready_head; w; w = w->next) {
		if (state(w) & W_RUNNING)
			continue;
		list_del(&ready_head, &ready_tail, w);
		set_state(w, (state(w) & ~W_QUEUED) | W_RUNNING);
		return w;
	}
	return NULL;
}

unsigned int bm_work_run(void)
{
	uint64_t now = dmae_os_time_ns();
	unsigned int n = 0;
	struct dmae_work *w, *outer;
	uint32_t primask;

	for (;;) {
		primask = bm_irq_save();
		timers_expire(now);
		w = ready_take();
		bm_irq_restore(primask);
		if (!w)
			return n;
		outer = current;
		current = w;
		w->fn(w);
		current = outer;
		primask = bm_irq_save();
		set_state(w, state(w) & ~W_RUNNING);
		bm_irq_restore(primask);
		n++;
	}
}

bool bm_work_due(void)
{
	uint64_t now = dmae_os_time_ns();
	uint32_t primask = bm_irq_save();
	bool due = false;

	for (struct dmae_work *w = ready_head; w && !due; w = w->next)
		due = !(state(w) & W_RUNNING);
	for (struct dmae_work *w = timers; w && !due; w = w->next)
		due = w->due_ns <= now;
	bm_irq_restore(primask);
	return due;
}

/* An item running further down the stack cannot be waited for here. */
bool dmae_os_work_cancel_sync(struct dmae_work *w)
{
	uint32_t primask = bm_irq_save();
	unsigned int s = state(w);
	bool was = s & W_QUEUED;

	if (s & W_DELAYED)
		list_del(&timers, NULL, w);
	else if (was)
		list_del(&ready_head, &ready_tail, w);
	set_state(w, s & W_RUNNING);
	bm_irq_restore(primask);
	return was;
}

int dmae_os_work_flush(struct dmae_work *w)
{
	if (state(w) & W_RUNNING)
		return -EDEADLK;	/* it runs further down this stack */
	while (state(w) & W_QUEUED) {
		if (state(w) & W_DELAYED)
			dmae_os_work_queue(w);	/* flushing runs it now */
		bm_work_run();
	}
	return 0;
}

struct dmae_work *dmae_os_work_current(void)
{
	return current;
}

bool dmae_os_work_is_pending(const struct dmae_work *w)
{
	return state(w) & W_QUEUED;
}
