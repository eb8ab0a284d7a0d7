/* SPDX-License-Identifier: MIT */
/*
 * tests/test_context.c - execution contexts, the sleeping-call checker,
 * spinlocks, mutexes, completion objects, the workqueue and the emulated
 * interrupt lines (dmae/context.h, dmae/provider.h).
 *
 * Everything is synchronised with completions and atomics; the only
 * timeouts are deadlock guards far above anything a correct run needs.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <dmae/provider.h>

#include "test.h"

/* Rounds for race tests: fewer under TSan, never below ~1000. */
#define ROUNDS(normal, tsan) (UNDER_TSAN ? (tsan) : (normal))

/* Deadlock guard for waits that a correct library satisfies at once. */
#define GUARD_NS (UINT64_C(60) * 1000000000u)

static void wait_guarded(struct dmae_completion *c)
{
	ASSERT_OK(dmae_completion_wait_timeout(c, GUARD_NS));
}

/* ---- sleeping-call reports ------------------------------------------------- */

#define MAX_REPORTS 64

struct report_copy {
	char func[64];
	char ctx[32];
	char thread[16];
	int line;
	bool has_file;
};

static struct report_copy reports[MAX_REPORTS];
static atomic_uint nreports;

/* The hook runs in atomic context: no lock, a slot per report. */
static void report_hook(const struct dmae_sleep_report *r)
{
	unsigned int i = atomic_fetch_add(&nreports, 1);

	if (i >= MAX_REPORTS)
		return;
	snprintf(reports[i].func, sizeof(reports[i].func), "%s", r->func ? r->func : "");
	snprintf(reports[i].ctx, sizeof(reports[i].ctx), "%s", r->ctx ? r->ctx : "");
	snprintf(reports[i].thread, sizeof(reports[i].thread), "%s",
		 r->thread ? r->thread : "");
	reports[i].line = r->line;
	reports[i].has_file = r->file && r->file[0];
}

static void reports_reset(void)
{
	atomic_store(&nreports, 0);
	memset(reports, 0, sizeof(reports));
}

static void require_checker(void)
{
	if (!dmae_debug_enabled())
		TEST_SKIP("library built without DMAE_DEBUG: no sleeping-call checker");
}

/* Index of the first report at or after 'from' naming func, or -1. */
static int report_find(unsigned int from, const char *func)
{
	unsigned int i, n = atomic_load(&nreports);

	if (n > MAX_REPORTS)
		n = MAX_REPORTS;
	for (i = from; i < n; i++)
		if (!strcmp(reports[i].func, func))
			return (int)i;
	return -1;
}

static void assert_reported(const char *func, const char *ctx, const char *thread)
{
	int i = report_find(0, func);

	if (i < 0)
		TEST_FAIL("no sleeping-call report for %s() (%u reports)", func,
			  atomic_load(&nreports));
	ASSERT_STR_EQ(reports[i].ctx, ctx);
	ASSERT_STR_EQ(reports[i].thread, thread);
	ASSERT_GT(reports[i].line, 0);
	ASSERT_TRUE(reports[i].has_file);
}

/*
 * The four sleeping calls, made so that none of them actually blocks:
 * an uncontended mutex, a completion already signalled, an idle channel.
 */
struct sleepers {
	struct dmae_mutex m;
	struct dmae_completion ready;
	struct dmae_chan *idle_chan;
};

static void sleepers_init(struct sleepers *s, struct dmae_chan *idle_chan)
{
	dmae_mutex_init(&s->m);
	dmae_completion_init(&s->ready);
	dmae_completion_done(&s->ready);
	s->idle_chan = idle_chan;
}

static void call_sleepers(struct sleepers *s)
{
	dmae_mutex_lock(&s->m);
	dmae_mutex_unlock(&s->m);
	dmae_completion_wait(&s->ready);
	dmae_completion_done(&s->ready);	/* ready for the next caller */
	if (s->idle_chan)	/* reported, then refused: it must not wait here */
		ASSERT_ERR(dmae_chan_synchronize(s->idle_chan),
			   dmae_in_atomic() ? -EPERM : 0);
	dmae_sleep_ns(1000);
}

static void assert_sleepers_reported(const char *ctx, const char *thread)
{
	assert_reported("dmae_mutex_lock", ctx, thread);
	assert_reported("dmae_completion_wait", ctx, thread);
	assert_reported("dmae_chan_synchronize", ctx, thread);
	assert_reported("dmae_sleep_ns", ctx, thread);
}

/* ---- channels -------------------------------------------------------------- */

static struct dmae_chan *get_chan(struct test_env *env)
{
	struct dmae_chan *c = NULL;

	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	ASSERT_NOT_NULL(c);
	return c;
}

/* A small memcpy with a callback, issued. */
static void copy_with_cb(struct dmae_chan *c, void *dst, const void *src, size_t len,
			 dmae_callback_fn fn, void *arg, enum dmae_cb_ctx ctx)
{
	struct dmae_desc *d;

	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, fn, arg, ctx));
	ASSERT_NOERR(dmae_desc_submit(d));
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
}

/* ---- context queries ------------------------------------------------------- */

struct ctx_seen {
	enum dmae_ctx ctx;
	bool in_irq, in_bh, in_atomic;
	char describe[32];
	char thread[16];
	struct dmae_work *work;
	struct dmae_completion done;
};

static void ctx_record(struct ctx_seen *s)
{
	s->ctx = dmae_ctx_current();
	s->in_irq = dmae_in_irq();
	s->in_bh = dmae_in_bh();
	s->in_atomic = dmae_in_atomic();
	snprintf(s->describe, sizeof(s->describe), "%s", dmae_ctx_describe());
	snprintf(s->thread, sizeof(s->thread), "%s", dmae_thread_name());
	s->work = dmae_work_current();
}

static void assert_task_ctx(void)
{
	ASSERT_EQ(dmae_ctx_current(), DMAE_CTX_TASK);
	ASSERT_FALSE(dmae_in_irq());
	ASSERT_FALSE(dmae_in_bh());
	ASSERT_FALSE(dmae_in_atomic());
	ASSERT_STR_EQ(dmae_ctx_describe(), "task");
}

DMAE_TEST(task_context)
{
	assert_task_ctx();
	ASSERT_NULL(dmae_work_current());
	ASSERT_STR_EQ(dmae_ctx_to_string(DMAE_CTX_TASK), "task");
	ASSERT_STR_EQ(dmae_ctx_to_string(DMAE_CTX_BH), "BH");
	ASSERT_STR_EQ(dmae_ctx_to_string(DMAE_CTX_HARDIRQ), "hard-IRQ");

	dmae_thread_set_name("ctx-main");
	ASSERT_STR_EQ(dmae_thread_name(), "ctx-main");
	dmae_thread_set_name("a-name-longer-than-fifteen");
	ASSERT_EQ(strlen(dmae_thread_name()), 15);
}

DMAE_TEST(spinlock_context)
{
	dmae_spinlock_t a = DMAE_SPINLOCK_INIT, b;
	dmae_irqflags_t f, g;

	dmae_spin_init(&b);
	dmae_spin_lock(&a);
	ASSERT_EQ(dmae_ctx_current(), DMAE_CTX_TASK);	/* still task, but atomic */
	ASSERT_FALSE(dmae_in_irq());
	ASSERT_FALSE(dmae_in_bh());
	ASSERT_TRUE(dmae_in_atomic());
	ASSERT_STR_EQ(dmae_ctx_describe(), "atomic (spinlock held)");
	ASSERT_TRUE(dmae_spin_trylock(&b));		/* nested */
	dmae_spin_unlock(&b);
	ASSERT_TRUE(dmae_in_atomic());			/* a still held */
	dmae_spin_unlock(&a);
	assert_task_ctx();

	dmae_spin_lock_irqsave(&a, &f);
	ASSERT_TRUE(dmae_in_atomic());
	ASSERT_STR_EQ(dmae_ctx_describe(), "atomic (spinlock held)");
	dmae_spin_lock_irqsave(&b, &g);			/* nested irqsave */
	ASSERT_TRUE(dmae_in_atomic());
	dmae_spin_unlock_irqrestore(&b, g);
	ASSERT_TRUE(dmae_in_atomic());
	dmae_spin_unlock_irqrestore(&a, f);
	assert_task_ctx();

	dmae_local_irq_save(&f);
	ASSERT_TRUE(dmae_in_atomic());
	ASSERT_STR_EQ(dmae_ctx_describe(), "atomic (IRQs masked)");
	dmae_local_irq_restore(f);
	assert_task_ctx();

	/* A failed trylock leaves the context as it was. */
	dmae_spin_lock(&a);
	ASSERT_FALSE(dmae_spin_trylock(&a));
	dmae_spin_unlock(&a);
	assert_task_ctx();
}

struct irq_ctx_state {
	struct ctx_seen outer;		/* on entry */
	struct ctx_seen locked;		/* with a spinlock held inside */
	dmae_spinlock_t lock;
	struct dmae_completion done;
};

static enum dmae_irqreturn irq_ctx_handler(void *arg)
{
	struct irq_ctx_state *s = arg;
	dmae_irqflags_t f;

	ctx_record(&s->outer);
	dmae_spin_lock_irqsave(&s->lock, &f);
	ctx_record(&s->locked);
	dmae_spin_unlock_irqrestore(&s->lock, f);
	dmae_completion_done(&s->done);
	return DMAE_IRQ_HANDLED;
}

DMAE_TEST(irq_handler_context)
{
	struct irq_ctx_state s;
	struct dmae_irq *irq;

	memset(&s, 0, sizeof(s));
	dmae_spin_init(&s.lock);
	dmae_completion_init(&s.done);
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_irq_request("ctxirq", irq_ctx_handler, &s, &irq));
	dmae_irq_raise(irq);
	wait_guarded(&s.done);
	dmae_irq_synchronize(irq);

	ASSERT_EQ(s.outer.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_TRUE(s.outer.in_irq);
	ASSERT_FALSE(s.outer.in_bh);
	ASSERT_TRUE(s.outer.in_atomic);
	ASSERT_STR_EQ(s.outer.describe, "hard-IRQ");
	ASSERT_STR_EQ(s.outer.thread, "irq/ctxirq");
	ASSERT_NULL(s.outer.work);
	/* A spinlock inside the handler does not change what it says. */
	ASSERT_EQ(s.locked.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_STR_EQ(s.locked.describe, "hard-IRQ");
	ASSERT_TRUE(s.locked.in_atomic);

	/* A poll runs the handler on the caller's thread, in hard-IRQ context. */
	dmae_thread_set_name("ctx-poller");
	ASSERT_TRUE(dmae_irq_poll(irq, true));
	wait_guarded(&s.done);
	ASSERT_EQ(s.outer.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_STR_EQ(s.outer.describe, "hard-IRQ");
	ASSERT_STR_EQ(s.outer.thread, "ctx-poller");
	assert_task_ctx();	/* and back to task afterwards */

	dmae_irq_free(irq);
	dmae_exit();
}

static void bh_ctx_cb(void *arg, const struct dmae_result *res)
{
	struct ctx_seen *s = arg;

	(void)res;
	ctx_record(s);
	dmae_completion_done(&s->done);
}

DMAE_TEST(bh_context)
{
	static char src[256], dst[256];
	struct test_env env;
	struct ctx_seen s;
	struct dmae_chan *c;

	memset(&s, 0, sizeof(s));
	dmae_completion_init(&s.done);
	test_swdma_setup(&env, NULL);
	c = get_chan(&env);
	copy_with_cb(c, dst, src, sizeof(dst), bh_ctx_cb, &s, DMAE_CB_BH);
	wait_guarded(&s.done);
	ASSERT_OK(dmae_chan_synchronize(c));

	ASSERT_EQ(s.ctx, DMAE_CTX_BH);
	ASSERT_TRUE(s.in_bh);
	ASSERT_FALSE(s.in_irq);
	ASSERT_TRUE(s.in_atomic);
	ASSERT_STR_EQ(s.describe, "BH");
	ASSERT_NULL(s.work);
	/* At the exit of an interrupt: taken by the line's IRQ thread, or by
	 * the swdma worker that raised it (dmae_irq_raise_local); or on the
	 * BH thread.  Never on the client's thread. */
	ASSERT_TRUE(!strncmp(s.thread, "irq/", 4) || !strcmp(s.thread, "dmae-bh") ||
		    !strncmp(s.thread, "swdma", 5));

	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

struct work_ctx {
	struct dmae_work w;
	struct ctx_seen seen;
};

static void work_ctx_record(struct dmae_work *w)
{
	struct work_ctx *wc = dmae_container_of(w, struct work_ctx, w);

	ctx_record(&wc->seen);
	dmae_completion_done(&wc->seen.done);
}

DMAE_TEST(work_context)
{
	struct work_ctx wc;

	memset(&wc, 0, sizeof(wc));
	dmae_completion_init(&wc.seen.done);
	ASSERT_OK(dmae_init());
	dmae_work_init(&wc.w, work_ctx_record);
	ASSERT_TRUE(dmae_work_queue(&wc.w));
	wait_guarded(&wc.seen.done);
	dmae_work_flush(&wc.w);

	ASSERT_EQ(wc.seen.ctx, DMAE_CTX_TASK);
	ASSERT_FALSE(wc.seen.in_irq);
	ASSERT_FALSE(wc.seen.in_bh);
	ASSERT_FALSE(wc.seen.in_atomic);
	ASSERT_STR_EQ(wc.seen.describe, "task");
	ASSERT_PTR_EQ(wc.seen.work, &wc.w);
	ASSERT_TRUE(!strncmp(wc.seen.thread, "dmae-wq/", 8));
	ASSERT_NULL(dmae_work_current());
	dmae_exit();
}

/* ---- the sleeping-call checker --------------------------------------------- */

struct irq_sleep_state {
	struct sleepers sl;
	char thread[16];
	struct dmae_completion done;
};

static enum dmae_irqreturn irq_sleep_handler(void *arg)
{
	struct irq_sleep_state *s = arg;

	snprintf(s->thread, sizeof(s->thread), "%s", dmae_thread_name());
	call_sleepers(&s->sl);
	dmae_completion_done(&s->done);
	return DMAE_IRQ_HANDLED;
}

DMAE_TEST(might_sleep_in_hardirq)
{
	struct irq_sleep_state s;
	struct test_env env;
	struct dmae_irq *irq;
	struct dmae_chan *c;

	require_checker();
	test_swdma_setup(&env, NULL);
	c = get_chan(&env);
	memset(&s, 0, sizeof(s));
	sleepers_init(&s.sl, c);
	dmae_completion_init(&s.done);
	reports_reset();
	dmae_sleep_report_set_hook(report_hook);
	test_log_capture_start();

	ASSERT_OK(dmae_irq_request("sleepirq", irq_sleep_handler, &s, &irq));
	dmae_irq_raise(irq);
	wait_guarded(&s.done);
	dmae_irq_synchronize(irq);
	dmae_irq_free(irq);

	ASSERT_STR_EQ(s.thread, "irq/sleepirq");
	assert_sleepers_reported("hard-IRQ", "irq/sleepirq");
	ASSERT_LOGGED("sleeping function called from");
	ASSERT_LOGGED("BUG: sleeping function called from hard-IRQ context: dmae_sleep_ns()");

	dmae_sleep_report_set_hook(NULL);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

static void bh_sleep_cb(void *arg, const struct dmae_result *res)
{
	struct irq_sleep_state *s = arg;

	(void)res;
	snprintf(s->thread, sizeof(s->thread), "%s", dmae_thread_name());
	call_sleepers(&s->sl);
	dmae_completion_done(&s->done);
}

DMAE_TEST(might_sleep_in_bh)
{
	static char src[128], dst[128];
	struct irq_sleep_state s;
	struct test_env env;
	struct dmae_chan *c, *idle;

	require_checker();
	test_swdma_setup(&env, NULL);
	c = get_chan(&env);
	idle = get_chan(&env);
	memset(&s, 0, sizeof(s));
	sleepers_init(&s.sl, idle);	/* never synchronize a channel from its own BH */
	dmae_completion_init(&s.done);
	reports_reset();
	dmae_sleep_report_set_hook(report_hook);
	test_log_capture_start();

	copy_with_cb(c, dst, src, sizeof(dst), bh_sleep_cb, &s, DMAE_CB_BH);
	wait_guarded(&s.done);
	ASSERT_OK(dmae_chan_synchronize(c));

	ASSERT_TRUE(s.thread[0] != '\0');
	assert_sleepers_reported("BH", s.thread);
	ASSERT_LOGGED("sleeping function called from");
	ASSERT_LOGGED("BUG: sleeping function called from BH context: dmae_mutex_lock()");

	dmae_sleep_report_set_hook(NULL);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_chan_release(idle));
	test_swdma_teardown(&env);
}

DMAE_TEST(might_sleep_under_spinlock)
{
	dmae_spinlock_t lock = DMAE_SPINLOCK_INIT;
	struct sleepers sl;
	struct test_env env;
	struct dmae_chan *c;
	dmae_irqflags_t f;
	unsigned int n;

	require_checker();
	test_swdma_setup(&env, NULL);
	c = get_chan(&env);
	sleepers_init(&sl, c);
	reports_reset();
	dmae_sleep_report_set_hook(report_hook);
	test_log_capture_start();
	dmae_thread_set_name("ctx-main");

	dmae_spin_lock(&lock);
	call_sleepers(&sl);
	dmae_spin_unlock(&lock);

	assert_sleepers_reported("atomic (spinlock held)", "ctx-main");
	ASSERT_LOGGED("sleeping function called from");
	ASSERT_LOGGED("BUG: sleeping function called from atomic (spinlock held) context: "
		      "dmae_completion_wait()");

	/* The irqsave form and a bare local IRQ mask are atomic too. */
	reports_reset();
	dmae_spin_lock_irqsave(&lock, &f);
	dmae_sleep_ns(1);
	dmae_spin_unlock_irqrestore(&lock, f);
	ASSERT_EQ(atomic_load(&nreports), 1);
	assert_reported("dmae_sleep_ns", "atomic (spinlock held)", "ctx-main");
	reports_reset();
	dmae_local_irq_save(&f);
	dmae_sleep_ns(1);
	dmae_local_irq_restore(f);
	ASSERT_EQ(atomic_load(&nreports), 1);
	assert_reported("dmae_sleep_ns", "atomic (IRQs masked)", "ctx-main");

	/* Back in task context: nothing more is reported. */
	n = atomic_load(&nreports);
	call_sleepers(&sl);
	ASSERT_EQ(atomic_load(&nreports), n);

	dmae_sleep_report_set_hook(NULL);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

struct sleepy_work {
	struct dmae_work w;
	struct sleepers *sl;
	atomic_uint runs;
};

static void sleepy_work_fn(struct dmae_work *w)
{
	struct sleepy_work *sw = dmae_container_of(w, struct sleepy_work, w);
	struct dmae_completion c;

	call_sleepers(sw->sl);
	dmae_completion_init(&c);
	ASSERT_ERR(dmae_completion_wait_timeout(&c, 1000), -ETIMEDOUT);
	dmae_sleep_ns(100000);
	atomic_fetch_add(&sw->runs, 1);
}

DMAE_TEST(might_sleep_task_no_report)
{
	struct sleepy_work sw;
	struct sleepers sl;
	struct test_env env;
	struct dmae_chan *c;

	require_checker();
	test_swdma_setup(&env, NULL);
	c = get_chan(&env);
	sleepers_init(&sl, c);
	reports_reset();
	dmae_sleep_report_set_hook(report_hook);
	test_log_capture_start();

	call_sleepers(&sl);			/* plain task context */

	memset(&sw, 0, sizeof(sw));
	sw.sl = &sl;
	dmae_work_init(&sw.w, sleepy_work_fn);	/* a work item may sleep */
	ASSERT_TRUE(dmae_work_queue(&sw.w));
	dmae_work_flush(&sw.w);
	ASSERT_EQ(atomic_load(&sw.runs), 1);

	ASSERT_EQ(atomic_load(&nreports), 0);
	ASSERT_NOT_LOGGED("sleeping function called from");

	dmae_sleep_report_set_hook(NULL);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

DMAE_CHILD_TEST(child_sleep_under_spinlock)
{
	dmae_spinlock_t lock = DMAE_SPINLOCK_INIT;

	dmae_sleep_report_set_hook(NULL);	/* the default: log and abort */
	dmae_spin_lock(&lock);
	dmae_sleep_ns(1);
	dmae_spin_unlock(&lock);
	/* not reached with the checker; returning makes the parent fail */
}

DMAE_TEST(might_sleep_aborts_without_hook)
{
	require_checker();
	ASSERT_CHILD_ABORTS("child_sleep_under_spinlock",
			    "BUG: sleeping function called from atomic (spinlock held) "
			    "context: dmae_sleep_ns()");
}

/* ---- spinlocks and mutexes ------------------------------------------------- */

#define LOCK_THREADS 4

enum lock_kind { LK_SPIN, LK_SPIN_IRQSAVE, LK_MUTEX };

struct lock_test {
	enum lock_kind kind;
	dmae_spinlock_t spin;
	struct dmae_mutex mutex;
	unsigned long counter;		/* plain: protected by the lock under test */
	unsigned int rounds;
	atomic_uint inside;
	atomic_uint violations;
};

static void *lock_thread(void *arg)
{
	struct lock_test *t = arg;
	dmae_irqflags_t f;
	unsigned int i;

	for (i = 0; i < t->rounds; i++) {
		switch (t->kind) {
		case LK_SPIN:
			dmae_spin_lock(&t->spin);
			break;
		case LK_SPIN_IRQSAVE:
			dmae_spin_lock_irqsave(&t->spin, &f);
			break;
		case LK_MUTEX:
			dmae_mutex_lock(&t->mutex);
			break;
		}
		if (atomic_fetch_add_explicit(&t->inside, 1, memory_order_relaxed))
			atomic_fetch_add(&t->violations, 1);
		t->counter++;
		atomic_fetch_sub_explicit(&t->inside, 1, memory_order_relaxed);
		switch (t->kind) {
		case LK_SPIN:
			dmae_spin_unlock(&t->spin);
			break;
		case LK_SPIN_IRQSAVE:
			dmae_spin_unlock_irqrestore(&t->spin, f);
			break;
		case LK_MUTEX:
			dmae_mutex_unlock(&t->mutex);
			break;
		}
	}
	return NULL;
}

static void run_lock_test(enum lock_kind kind)
{
	static struct lock_test t;
	pthread_t th[LOCK_THREADS];
	unsigned int i;

	memset(&t, 0, sizeof(t));
	t.kind = kind;
	t.rounds = ROUNDS(200000, 20000);
	dmae_spin_init(&t.spin);
	dmae_mutex_init(&t.mutex);
	for (i = 0; i < LOCK_THREADS; i++)
		ASSERT_OK(pthread_create(&th[i], NULL, lock_thread, &t));
	for (i = 0; i < LOCK_THREADS; i++)
		ASSERT_OK(pthread_join(th[i], NULL));
	ASSERT_EQ(atomic_load(&t.violations), 0);
	ASSERT_EQ(t.counter, (unsigned long)t.rounds * LOCK_THREADS);
	assert_task_ctx();
}

DMAE_TEST(spinlock_mutual_exclusion)
{
	run_lock_test(LK_SPIN);
	run_lock_test(LK_SPIN_IRQSAVE);
}

DMAE_TEST(mutex_mutual_exclusion)
{
	run_lock_test(LK_MUTEX);
}

struct trylock_arg {
	dmae_spinlock_t *spin;
	struct dmae_mutex *mutex;
	bool spin_got, mutex_got;
};

static void *trylock_thread(void *arg)
{
	struct trylock_arg *a = arg;

	a->spin_got = dmae_spin_trylock(a->spin);
	if (a->spin_got)
		dmae_spin_unlock(a->spin);
	a->mutex_got = dmae_mutex_trylock(a->mutex);
	if (a->mutex_got)
		dmae_mutex_unlock(a->mutex);
	return NULL;
}

DMAE_TEST(trylock)
{
	dmae_spinlock_t s = DMAE_SPINLOCK_INIT;
	struct dmae_mutex m = DMAE_MUTEX_INIT;
	struct trylock_arg a = { &s, &m, true, true };
	pthread_t th;

	/* Free: both succeed. */
	ASSERT_TRUE(dmae_spin_trylock(&s));
	ASSERT_TRUE(dmae_in_atomic());
	ASSERT_TRUE(dmae_mutex_trylock(&m));
	ASSERT_FALSE(dmae_mutex_trylock(&m));	/* not recursive */
	ASSERT_FALSE(dmae_spin_trylock(&s));

	/* Held: another thread fails on both without blocking. */
	ASSERT_OK(pthread_create(&th, NULL, trylock_thread, &a));
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_FALSE(a.spin_got);
	ASSERT_FALSE(a.mutex_got);

	dmae_spin_unlock(&s);
	dmae_mutex_unlock(&m);
	assert_task_ctx();

	/* Released: it succeeds. */
	ASSERT_OK(pthread_create(&th, NULL, trylock_thread, &a));
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_TRUE(a.spin_got);
	ASSERT_TRUE(a.mutex_got);
}

/* A mutex holder may sleep while others wait for it. */
struct mutex_sleep {
	struct dmae_mutex m;
	struct dmae_completion locked;
	atomic_bool released;
	bool saw_released;
};

static void *mutex_waiter(void *arg)
{
	struct mutex_sleep *ms = arg;

	wait_guarded(&ms->locked);
	dmae_mutex_lock(&ms->m);
	ms->saw_released = atomic_load(&ms->released);
	dmae_mutex_unlock(&ms->m);
	return NULL;
}

DMAE_TEST(mutex_blocks_until_unlock)
{
	static struct mutex_sleep ms;
	pthread_t th;

	dmae_mutex_init(&ms.m);
	dmae_completion_init(&ms.locked);
	ASSERT_OK(pthread_create(&th, NULL, mutex_waiter, &ms));
	dmae_mutex_lock(&ms.m);
	dmae_completion_done(&ms.locked);
	dmae_sleep_ns(2000000);		/* let the waiter block on it */
	atomic_store(&ms.released, true);
	dmae_mutex_unlock(&ms.m);
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_TRUE(ms.saw_released);
}

/* ---- completion objects ------------------------------------------------------ */

static unsigned int comp_waiters(struct dmae_completion *c)
{
	return atomic_load(&c->state) >> 24;	/* bits 24-31, see context.h */
}

DMAE_TEST(completion_done_before_wait)
{
	struct dmae_completion c = DMAE_COMPLETION_INIT;

	dmae_completion_done(&c);
	dmae_completion_wait(&c);		/* returns at once */
	ASSERT_FALSE(dmae_completion_try(&c));	/* consumed */
	dmae_completion_done(&c);
	ASSERT_OK(dmae_completion_wait_timeout(&c, 0));
}

struct comp_thread {
	struct dmae_completion *c;
	unsigned int want_waiters;
	atomic_uint *woken;
};

static void *comp_signal_after_wait(void *arg)
{
	struct comp_thread *t = arg;

	while (comp_waiters(t->c) < t->want_waiters)	/* the main thread sleeps in wait */
		sched_yield();
	dmae_completion_done(t->c);
	return NULL;
}

DMAE_TEST(completion_wait_then_done)
{
	static struct dmae_completion c;
	struct comp_thread t = { &c, 1, NULL };
	pthread_t th;

	dmae_completion_init(&c);
	ASSERT_OK(pthread_create(&th, NULL, comp_signal_after_wait, &t));
	dmae_completion_wait(&c);
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_EQ(comp_waiters(&c), 0);
	ASSERT_FALSE(dmae_completion_try(&c));
}

static void *comp_waiter(void *arg)
{
	struct comp_thread *t = arg;

	dmae_completion_wait(t->c);
	atomic_fetch_add(t->woken, 1);
	return NULL;
}

DMAE_TEST(completion_done_all)
{
	static struct dmae_completion c;
	static atomic_uint woken;
	struct comp_thread t = { &c, 0, &woken };
	pthread_t th[3];
	unsigned int i;

	dmae_completion_init(&c);
	for (i = 0; i < 3; i++)
		ASSERT_OK(pthread_create(&th[i], NULL, comp_waiter, &t));
	while (comp_waiters(&c) < 3)
		sched_yield();
	ASSERT_EQ(atomic_load(&woken), 0);
	dmae_completion_done_all(&c);
	for (i = 0; i < 3; i++)
		ASSERT_OK(pthread_join(th[i], NULL));
	ASSERT_EQ(atomic_load(&woken), 3);
	/* done_all also releases every future waiter */
	dmae_completion_wait(&c);
	ASSERT_TRUE(dmae_completion_try(&c));
	ASSERT_OK(dmae_completion_wait_timeout(&c, 1000));
	/* until reinit */
	dmae_completion_reinit(&c);
	ASSERT_FALSE(dmae_completion_try(&c));
}

DMAE_TEST(completion_wait_timeout)
{
	struct dmae_completion c = DMAE_COMPLETION_INIT;

	ASSERT_ERR(dmae_completion_wait_timeout(&c, 1000000), -ETIMEDOUT);
	ASSERT_ERR(dmae_completion_wait_timeout(&c, 0), -ETIMEDOUT);
	ASSERT_EQ(comp_waiters(&c), 0);		/* the timed-out waiter left */
	dmae_completion_done(&c);
	ASSERT_OK(dmae_completion_wait_timeout(&c, 1000000));
	ASSERT_ERR(dmae_completion_wait_timeout(&c, 1000), -ETIMEDOUT);
}

DMAE_TEST(completion_try_and_count)
{
	struct dmae_completion c;
	int i;

	dmae_completion_init(&c);
	ASSERT_FALSE(dmae_completion_try(&c));
	dmae_completion_done(&c);
	ASSERT_TRUE(dmae_completion_try(&c));
	ASSERT_FALSE(dmae_completion_try(&c));

	for (i = 0; i < 3; i++)
		dmae_completion_done(&c);
	for (i = 0; i < 3; i++)
		dmae_completion_wait(&c);
	ASSERT_FALSE(dmae_completion_try(&c));
	ASSERT_ERR(dmae_completion_wait_timeout(&c, 1000), -ETIMEDOUT);
}

/* Many signallers, many waiters: every done is consumed exactly once. */
struct comp_race {
	struct dmae_completion c;
	unsigned int per_thread;
	atomic_uint consumed;
};

static void *comp_race_signal(void *arg)
{
	struct comp_race *r = arg;
	unsigned int i;

	for (i = 0; i < r->per_thread; i++)
		dmae_completion_done(&r->c);
	return NULL;
}

static void *comp_race_wait(void *arg)
{
	struct comp_race *r = arg;
	unsigned int i;

	for (i = 0; i < r->per_thread; i++) {
		wait_guarded(&r->c);
		atomic_fetch_add(&r->consumed, 1);
	}
	return NULL;
}

DMAE_TEST(completion_counting_race)
{
	static struct comp_race r;
	pthread_t s[2], w[2];
	unsigned int i;

	dmae_completion_init(&r.c);
	r.per_thread = ROUNDS(50000, 5000);
	for (i = 0; i < 2; i++) {
		ASSERT_OK(pthread_create(&w[i], NULL, comp_race_wait, &r));
		ASSERT_OK(pthread_create(&s[i], NULL, comp_race_signal, &r));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_OK(pthread_join(s[i], NULL));
		ASSERT_OK(pthread_join(w[i], NULL));
	}
	ASSERT_EQ(atomic_load(&r.consumed), 2 * r.per_thread);
	ASSERT_FALSE(dmae_completion_try(&r.c));
	ASSERT_EQ(comp_waiters(&r.c), 0);
}

/* ---- the workqueue ------------------------------------------------------------- */

struct gated_work {
	struct dmae_work w;
	struct dmae_completion *gate;	/* waited on inside, if set */
	struct dmae_completion started;
	atomic_uint runs;
};

static void gated_work_fn(struct dmae_work *w)
{
	struct gated_work *g = dmae_container_of(w, struct gated_work, w);

	atomic_fetch_add(&g->runs, 1);
	dmae_completion_done(&g->started);
	if (g->gate)
		wait_guarded(g->gate);
}

static void gated_init(struct gated_work *g, struct dmae_completion *gate)
{
	memset(g, 0, sizeof(*g));
	dmae_work_init(&g->w, gated_work_fn);
	dmae_completion_init(&g->started);
	g->gate = gate;
}

DMAE_TEST(work_queue_pending)
{
	struct dmae_completion gate = DMAE_COMPLETION_INIT;
	struct gated_work g;

	ASSERT_OK(dmae_init());
	gated_init(&g, &gate);
	ASSERT_TRUE(dmae_work_queue(&g.w));
	wait_guarded(&g.started);		/* running, blocked on the gate */
	ASSERT_TRUE(dmae_work_queue(&g.w));	/* queued again while it runs */
	ASSERT_FALSE(dmae_work_queue(&g.w));	/* already pending */
	ASSERT_FALSE(dmae_work_queue(&g.w));
	dmae_completion_done_all(&gate);
	dmae_work_flush(&g.w);
	ASSERT_EQ(atomic_load(&g.runs), 2);	/* once more after it ran, not three */
	ASSERT_TRUE(dmae_work_queue(&g.w));	/* idle again: queueable */
	dmae_work_flush(&g.w);
	ASSERT_EQ(atomic_load(&g.runs), 3);
	dmae_exit();
}

struct excl_work {
	struct dmae_work w;
	atomic_uint inside;
	atomic_uint violations;
	atomic_uint runs;
	unsigned int per_thread;
};

static void excl_work_fn(struct dmae_work *w)
{
	struct excl_work *e = dmae_container_of(w, struct excl_work, w);
	volatile unsigned int spin;

	if (atomic_fetch_add(&e->inside, 1))
		atomic_fetch_add(&e->violations, 1);
	for (spin = 0; spin < 200; spin++)
		;
	atomic_fetch_add(&e->runs, 1);
	atomic_fetch_sub(&e->inside, 1);
}

static void *excl_queuer(void *arg)
{
	struct excl_work *e = arg;
	unsigned int i;

	for (i = 0; i < e->per_thread; i++)
		dmae_work_queue(&e->w);
	return NULL;
}

DMAE_TEST(work_never_concurrent_with_itself)
{
	static struct excl_work e;
	pthread_t th[4];
	unsigned int i;

	ASSERT_OK(dmae_init());
	memset(&e, 0, sizeof(e));
	dmae_work_init(&e.w, excl_work_fn);
	e.per_thread = ROUNDS(50000, 5000);
	for (i = 0; i < TEST_ARRAY_SIZE(th); i++)
		ASSERT_OK(pthread_create(&th[i], NULL, excl_queuer, &e));
	for (i = 0; i < TEST_ARRAY_SIZE(th); i++)
		ASSERT_OK(pthread_join(th[i], NULL));
	dmae_work_flush(&e.w);
	ASSERT_EQ(atomic_load(&e.violations), 0);
	ASSERT_GE(atomic_load(&e.runs), 1);
	ASSERT_LE(atomic_load(&e.runs), 4 * e.per_thread);
	ASSERT_EQ(atomic_load(&e.inside), 0);
	dmae_exit();
}

struct flush_work {
	struct dmae_work w;
	atomic_bool finished;
};

static void flush_work_fn(struct dmae_work *w)
{
	struct flush_work *f = dmae_container_of(w, struct flush_work, w);

	dmae_sleep_ns(5000000);
	atomic_store(&f->finished, true);
}

DMAE_TEST(work_flush_waits)
{
	struct flush_work f;
	int i;

	ASSERT_OK(dmae_init());
	dmae_work_init(&f.w, flush_work_fn);
	for (i = 0; i < 3; i++) {
		atomic_init(&f.finished, false);
		ASSERT_TRUE(dmae_work_queue(&f.w));
		dmae_work_flush(&f.w);
		ASSERT_TRUE(atomic_load(&f.finished));
	}
	dmae_work_flush(&f.w);		/* idle: returns at once */
	dmae_exit();
}

struct self_flush {
	struct dmae_work w;
	struct dmae_completion done;
};

/* Waiting for itself would never end: the flush refuses and says so. */
static void self_flush_fn(struct dmae_work *w)
{
	struct self_flush *s = dmae_container_of(w, struct self_flush, w);

	dmae_work_flush(w);
	dmae_completion_done(&s->done);
}

DMAE_TEST(work_flush_from_itself_refused)
{
	struct self_flush s;

	ASSERT_OK(dmae_init());
	dmae_work_init(&s.w, self_flush_fn);
	dmae_completion_init(&s.done);
	test_log_capture_start();
	ASSERT_TRUE(dmae_work_queue(&s.w));
	ASSERT_OK(dmae_completion_wait_timeout(&s.done, GUARD_NS));
	dmae_work_flush(&s.w);
	ASSERT_LOGGED("dmae_work_flush: called from the work item itself");
	test_log_capture_stop();
	dmae_exit();
}

/*
 * The workqueue is FIFO with at most 8 workers: with 8 blocked items
 * queued first, an item queued after them cannot start until the gate
 * opens, so it is certainly pending (not running) when it is cancelled.
 */
#define NBLOCKERS 8

DMAE_TEST(work_cancel_pending)
{
	static struct gated_work blockers[NBLOCKERS], victim;
	struct dmae_completion gate = DMAE_COMPLETION_INIT;
	unsigned int i;

	ASSERT_OK(dmae_init());
	for (i = 0; i < NBLOCKERS; i++) {
		gated_init(&blockers[i], &gate);
		ASSERT_TRUE(dmae_work_queue(&blockers[i].w));
	}
	gated_init(&victim, NULL);
	ASSERT_TRUE(dmae_work_queue(&victim.w));
	ASSERT_TRUE(dmae_work_cancel_sync(&victim.w));
	ASSERT_FALSE(dmae_work_cancel_sync(&victim.w));	/* no longer pending */

	dmae_completion_done_all(&gate);
	for (i = 0; i < NBLOCKERS; i++) {
		dmae_work_flush(&blockers[i].w);
		ASSERT_EQ(atomic_load(&blockers[i].runs), 1);
	}
	dmae_work_flush(&victim.w);
	ASSERT_EQ(atomic_load(&victim.runs), 0);

	/* A cancelled item can be queued again and runs. */
	ASSERT_TRUE(dmae_work_queue(&victim.w));
	dmae_work_flush(&victim.w);
	ASSERT_EQ(atomic_load(&victim.runs), 1);
	dmae_exit();
}

struct cancel_running {
	struct dmae_work w;
	struct dmae_completion started;
	struct dmae_completion gate;
	atomic_uint runs;
	atomic_bool finished;
};

static void cancel_running_fn(struct dmae_work *w)
{
	struct cancel_running *c = dmae_container_of(w, struct cancel_running, w);

	atomic_fetch_add(&c->runs, 1);
	dmae_completion_done(&c->started);
	wait_guarded(&c->gate);
	atomic_store(&c->finished, true);
}

static void *open_gate_later(void *arg)
{
	struct cancel_running *c = arg;

	dmae_sleep_ns(2000000);
	dmae_completion_done_all(&c->gate);
	return NULL;
}

DMAE_TEST(work_cancel_running_waits)
{
	static struct cancel_running c;
	pthread_t th;

	ASSERT_OK(dmae_init());
	memset(&c, 0, sizeof(c));
	dmae_work_init(&c.w, cancel_running_fn);
	dmae_completion_init(&c.started);
	dmae_completion_init(&c.gate);
	ASSERT_TRUE(dmae_work_queue(&c.w));
	wait_guarded(&c.started);
	ASSERT_OK(pthread_create(&th, NULL, open_gate_later, &c));
	/* Running, not pending: false, and it returns after the run ended. */
	ASSERT_FALSE(dmae_work_cancel_sync(&c.w));
	ASSERT_TRUE(atomic_load(&c.finished));
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_EQ(atomic_load(&c.runs), 1);
	dmae_exit();
}

/* ---- emulated interrupt lines ---------------------------------------------------- */

static void busy_wait(unsigned int n)
{
	volatile unsigned int i;

	for (i = 0; i < n; i++)
		;
}

struct lost_state {
	atomic_uint gen;		/* bumped by the raiser before each raise */
	atomic_uint seen;		/* highest gen the handler saw */
	atomic_uint runs;
	unsigned int target;
	atomic_bool signalled;
	atomic_bool bad_ctx;
	struct dmae_completion done;
	struct dmae_irq *irq;
};

static enum dmae_irqreturn lost_handler(void *arg)
{
	struct lost_state *s = arg;
	unsigned int g = atomic_load(&s->gen);

	if (!dmae_in_irq())
		atomic_store(&s->bad_ctx, true);
	atomic_fetch_add(&s->runs, 1);
	busy_wait(2000);			/* slow-ish: raises pile up */
	if (g > atomic_load(&s->seen))
		atomic_store(&s->seen, g);	/* only the handler writes it */
	if (g == s->target && !atomic_exchange(&s->signalled, true))
		dmae_completion_done(&s->done);
	return DMAE_IRQ_HANDLED;
}

static void *lost_raiser(void *arg)
{
	struct lost_state *s = arg;
	unsigned int i;

	for (i = 1; i <= s->target; i++) {
		atomic_store(&s->gen, i);
		dmae_irq_raise(s->irq);
		if (!(i % 64))
			sched_yield();
	}
	return NULL;
}

DMAE_TEST(irq_raise_never_lost)
{
	static struct lost_state s;
	pthread_t th;
	int round;

	ASSERT_OK(dmae_init());
	for (round = 0; round < 3; round++) {
		memset(&s, 0, sizeof(s));
		dmae_completion_init(&s.done);
		s.target = ROUNDS(20000, 2000);
		ASSERT_OK(dmae_irq_request("lost", lost_handler, &s, &s.irq));
		ASSERT_OK(pthread_create(&th, NULL, lost_raiser, &s));
		ASSERT_OK(pthread_join(th, NULL));
		/* The last raise happened after gen reached target: it is seen. */
		wait_guarded(&s.done);
		dmae_irq_synchronize(s.irq);
		ASSERT_EQ(atomic_load(&s.seen), s.target);
		ASSERT_GE(atomic_load(&s.runs), 1);
		ASSERT_LE(atomic_load(&s.runs), s.target);	/* raises coalesce */
		ASSERT_FALSE(atomic_load(&s.bad_ctx));
		dmae_irq_free(s.irq);
	}
	dmae_exit();
}

struct excl_irq {
	struct dmae_irq *irq;
	atomic_uint inside;
	atomic_uint violations;
	atomic_uint runs;
	atomic_uint polled;
	atomic_bool bad_ctx;
	unsigned int rounds;
};

static enum dmae_irqreturn excl_handler(void *arg)
{
	struct excl_irq *e = arg;

	if (atomic_fetch_add(&e->inside, 1))
		atomic_fetch_add(&e->violations, 1);
	if (dmae_ctx_current() != DMAE_CTX_HARDIRQ || !dmae_in_atomic())
		atomic_store(&e->bad_ctx, true);
	busy_wait(300);
	atomic_fetch_add(&e->runs, 1);
	atomic_fetch_sub(&e->inside, 1);
	return DMAE_IRQ_HANDLED;
}

static void *excl_raiser(void *arg)
{
	struct excl_irq *e = arg;
	unsigned int i;

	for (i = 0; i < e->rounds; i++)
		dmae_irq_raise(e->irq);
	return NULL;
}

static void *excl_poller_wait(void *arg)
{
	struct excl_irq *e = arg;
	unsigned int i;

	for (i = 0; i < e->rounds; i++) {
		if (!dmae_irq_poll(e->irq, true))
			atomic_store(&e->bad_ctx, true);	/* wait=true always runs */
		atomic_fetch_add(&e->polled, 1);
	}
	return NULL;
}

static void *excl_poller_nowait(void *arg)
{
	struct excl_irq *e = arg;
	unsigned int i;

	for (i = 0; i < e->rounds; i++)
		if (dmae_irq_poll(e->irq, false))
			atomic_fetch_add(&e->polled, 1);
	return NULL;
}

DMAE_TEST(irq_handler_never_concurrent)
{
	static struct excl_irq e;
	pthread_t th[4];
	unsigned int i;
	uint64_t count;

	ASSERT_OK(dmae_init());
	memset(&e, 0, sizeof(e));
	e.rounds = ROUNDS(20000, 2000);
	ASSERT_OK(dmae_irq_request("excl", excl_handler, &e, &e.irq));
	ASSERT_OK(pthread_create(&th[0], NULL, excl_raiser, &e));
	ASSERT_OK(pthread_create(&th[1], NULL, excl_raiser, &e));
	ASSERT_OK(pthread_create(&th[2], NULL, excl_poller_wait, &e));
	ASSERT_OK(pthread_create(&th[3], NULL, excl_poller_nowait, &e));
	for (i = 0; i < TEST_ARRAY_SIZE(th); i++)
		ASSERT_OK(pthread_join(th[i], NULL));
	dmae_irq_synchronize(e.irq);
	count = dmae_irq_count(e.irq);
	ASSERT_EQ(atomic_load(&e.violations), 0);
	ASSERT_FALSE(atomic_load(&e.bad_ctx));
	ASSERT_GE(atomic_load(&e.runs), atomic_load(&e.polled));
	ASSERT_GE(count, atomic_load(&e.polled));
	ASSERT_LE(count, atomic_load(&e.runs));
	dmae_irq_free(e.irq);
	dmae_exit();
}

struct simple_irq {
	atomic_uint runs;
	struct dmae_completion ran;
	atomic_bool gate_open;
	atomic_bool use_gate;
	atomic_bool finished;
};

static enum dmae_irqreturn simple_handler(void *arg)
{
	struct simple_irq *s = arg;

	atomic_fetch_add(&s->runs, 1);
	dmae_completion_done(&s->ran);
	if (atomic_load(&s->use_gate)) {
		while (!atomic_load(&s->gate_open))	/* hard-IRQ: spin, never sleep */
			sched_yield();
	}
	atomic_store(&s->finished, true);
	return DMAE_IRQ_HANDLED;
}

static void simple_init(struct simple_irq *s)
{
	memset(s, 0, sizeof(*s));
	dmae_completion_init(&s->ran);
}

DMAE_TEST(irq_count_and_poll)
{
	static struct simple_irq s;
	struct dmae_irq *irq;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	ASSERT_OK(dmae_irq_request("count", simple_handler, &s, &irq));
	ASSERT_EQ(dmae_irq_count(irq), 0);
	dmae_irq_raise(irq);
	wait_guarded(&s.ran);
	dmae_irq_synchronize(irq);
	ASSERT_EQ(dmae_irq_count(irq), 1);
	ASSERT_EQ(atomic_load(&s.runs), 1);

	ASSERT_TRUE(dmae_irq_poll(irq, true));	/* runs here, synchronously */
	ASSERT_EQ(atomic_load(&s.runs), 2);
	ASSERT_EQ(dmae_irq_count(irq), 2);
	ASSERT_TRUE(dmae_irq_poll(irq, false));	/* idle line: runs too */
	ASSERT_EQ(dmae_irq_count(irq), 3);
	dmae_irq_free(irq);
	dmae_exit();
}

struct sync_arg {
	struct dmae_irq *irq;
	struct simple_irq *s;
	bool finished_at_return;
};

static void *sync_thread(void *arg)
{
	struct sync_arg *a = arg;

	dmae_irq_synchronize(a->irq);
	a->finished_at_return = atomic_load(&a->s->finished);
	return NULL;
}

DMAE_TEST(irq_synchronize)
{
	static struct simple_irq s;
	struct sync_arg a;
	struct dmae_irq *irq;
	pthread_t th;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	atomic_store(&s.use_gate, true);
	ASSERT_OK(dmae_irq_request("sync", simple_handler, &s, &irq));
	dmae_irq_raise(irq);
	wait_guarded(&s.ran);			/* the handler is inside, held */
	a.irq = irq;
	a.s = &s;
	a.finished_at_return = false;
	ASSERT_OK(pthread_create(&th, NULL, sync_thread, &a));
	ASSERT_FALSE(dmae_irq_poll(irq, false));	/* busy on the IRQ thread */
	dmae_sleep_ns(2000000);
	ASSERT_FALSE(atomic_load(&s.finished));
	atomic_store(&s.gate_open, true);
	ASSERT_OK(pthread_join(th, NULL));
	ASSERT_TRUE(a.finished_at_return);
	dmae_irq_synchronize(irq);		/* idle: returns at once */
	dmae_irq_free(irq);
	dmae_exit();
}

DMAE_TEST(irq_mask_unmask)
{
	static struct simple_irq s;
	struct dmae_irq *irq;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	ASSERT_OK(dmae_irq_request("mask", simple_handler, &s, &irq));

	dmae_irq_mask(irq);
	dmae_irq_raise(irq);
	dmae_irq_raise(irq);
	dmae_sleep_ns(10000000);
	ASSERT_EQ(atomic_load(&s.runs), 0);	/* held while masked */
	dmae_irq_mask(irq);			/* nested */
	dmae_irq_unmask(irq);
	dmae_sleep_ns(5000000);
	ASSERT_EQ(atomic_load(&s.runs), 0);	/* still masked once */
	ASSERT_EQ(dmae_irq_count(irq), 0);
	dmae_irq_unmask(irq);
	wait_guarded(&s.ran);			/* delivered on unmask */
	dmae_irq_synchronize(irq);
	ASSERT_EQ(atomic_load(&s.runs), 1);	/* two raises coalesced */
	ASSERT_EQ(dmae_irq_count(irq), 1);

	/* Unmasked again: a raise runs it at once. */
	dmae_irq_raise(irq);
	wait_guarded(&s.ran);
	dmae_irq_free(irq);
	dmae_exit();
}

DMAE_TEST(irq_unbalanced_unmask)
{
	static struct simple_irq s;
	struct dmae_irq *irq;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	ASSERT_OK(dmae_irq_request("unbal", simple_handler, &s, &irq));
	test_log_capture_start();
	dmae_irq_unmask(irq);
	ASSERT_LOGGED("dmae_irq_unmask: unbal: line is not masked");
	test_log_capture_stop();

	/* The mask depth was not corrupted: raise runs, mask holds. */
	dmae_irq_raise(irq);
	wait_guarded(&s.ran);
	dmae_irq_synchronize(irq);
	dmae_irq_mask(irq);
	dmae_irq_raise(irq);
	dmae_sleep_ns(5000000);
	ASSERT_EQ(atomic_load(&s.runs), 1);
	dmae_irq_unmask(irq);
	wait_guarded(&s.ran);
	dmae_irq_synchronize(irq);
	ASSERT_EQ(atomic_load(&s.runs), 2);
	dmae_irq_free(irq);
	dmae_exit();
}

/* Raises race with mask/unmask from another thread: still none is lost. */
struct toggler {
	struct dmae_irq *irq;
	atomic_bool stop;
	atomic_uint toggles;
};

static void *mask_toggler(void *arg)
{
	struct toggler *t = arg;

	while (!atomic_load(&t->stop)) {
		dmae_irq_mask(t->irq);
		if (atomic_fetch_add(&t->toggles, 1) % 4 == 0)
			sched_yield();
		dmae_irq_unmask(t->irq);
	}
	return NULL;
}

DMAE_TEST(irq_raise_never_lost_while_masking)
{
	static struct lost_state s;
	static struct toggler t;
	pthread_t raiser, toggler;
	int round;

	ASSERT_OK(dmae_init());
	for (round = 0; round < 3; round++) {
		memset(&s, 0, sizeof(s));
		memset(&t, 0, sizeof(t));
		dmae_completion_init(&s.done);
		s.target = ROUNDS(20000, 2000);
		ASSERT_OK(dmae_irq_request("lostmask", lost_handler, &s, &s.irq));
		t.irq = s.irq;
		ASSERT_OK(pthread_create(&toggler, NULL, mask_toggler, &t));
		ASSERT_OK(pthread_create(&raiser, NULL, lost_raiser, &s));
		ASSERT_OK(pthread_join(raiser, NULL));
		atomic_store(&t.stop, true);
		ASSERT_OK(pthread_join(toggler, NULL));	/* the line ends unmasked */
		wait_guarded(&s.done);
		dmae_irq_synchronize(s.irq);
		ASSERT_EQ(atomic_load(&s.seen), s.target);
		ASSERT_LE(atomic_load(&s.runs), s.target);
		ASSERT_FALSE(atomic_load(&s.bad_ctx));
		dmae_irq_free(s.irq);
	}
	dmae_exit();
}

/*
 * With the calling thread's emulated IRQs masked (local_irq_save, an
 * irqsave lock, or inside another line's handler) a poll does not run
 * the handler: on a real CPU it could not, and a handler taking the same
 * lock would deadlock.
 */
struct poll_from_irq {
	struct dmae_irq *other;
	atomic_int polled;		/* -1: not yet */
	struct dmae_completion done;
};

static enum dmae_irqreturn poll_other_handler(void *arg)
{
	struct poll_from_irq *p = arg;

	atomic_store(&p->polled, dmae_irq_poll(p->other, false));
	dmae_completion_done(&p->done);
	return DMAE_IRQ_HANDLED;
}

/* ---- dmae_irq_raise_local --------------------------------------------------- */

/* dmae_init(), a line named line whose handler records its context in s,
 * and this thread named thread (the handler checks where it ran). */
static void irq_ctx_setup(struct irq_ctx_state *s, const char *line, const char *thread,
			  struct dmae_irq **irq)
{
	memset(s, 0, sizeof(*s));
	dmae_spin_init(&s->lock);
	dmae_completion_init(&s->done);
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_irq_request(line, irq_ctx_handler, s, irq));
	dmae_thread_set_name(thread);
}

DMAE_TEST(irq_raise_local_runs_on_the_caller)
{
	struct irq_ctx_state s;
	dmae_spinlock_t other = DMAE_SPINLOCK_INIT;
	struct dmae_irq *irq;
	dmae_irqflags_t f;

	irq_ctx_setup(&s, "local", "ctx-raiser", &irq);

	/* Taken here and now, in hard-IRQ context, and back to task after. */
	dmae_irq_raise_local(irq);
	ASSERT_TRUE(dmae_completion_try(&s.done));
	ASSERT_EQ(dmae_irq_count(irq), 1);
	ASSERT_EQ(s.outer.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_TRUE(s.outer.in_atomic);
	ASSERT_STR_EQ(s.outer.thread, "ctx-raiser");
	assert_task_ctx();

	/* Masked line: held, then delivered by the line's thread on unmask. */
	dmae_completion_reinit(&s.done);
	dmae_irq_mask(irq);
	dmae_irq_raise_local(irq);
	ASSERT_FALSE(dmae_completion_try(&s.done));
	ASSERT_EQ(dmae_irq_count(irq), 1);
	dmae_irq_unmask(irq);
	wait_guarded(&s.done);
	dmae_irq_synchronize(irq);
	ASSERT_STR_EQ(s.outer.thread, "irq/local");

	/* This thread cannot take an interrupt (irqsave lock, or any spinlock
	 * the handler might want): a plain raise. */
	dmae_completion_reinit(&s.done);
	dmae_spin_lock_irqsave(&other, &f);
	dmae_irq_raise_local(irq);
	dmae_spin_unlock_irqrestore(&other, f);
	wait_guarded(&s.done);
	dmae_irq_synchronize(irq);
	ASSERT_STR_EQ(s.outer.thread, "irq/local");
	dmae_completion_reinit(&s.done);
	dmae_spin_lock(&other);
	dmae_irq_raise_local(irq);
	dmae_spin_unlock(&other);
	wait_guarded(&s.done);
	dmae_irq_synchronize(irq);
	ASSERT_STR_EQ(s.outer.thread, "irq/local");
	ASSERT_EQ(dmae_irq_count(irq), 4);

	dmae_irq_free(irq);
	dmae_exit();
}

static void *poll_gated(void *arg)
{
	ASSERT_TRUE(dmae_irq_poll(arg, true));
	return NULL;
}

/* The handler busy on another thread: the raise is remembered, not lost,
 * and the caller does not wait for the handler. */
DMAE_TEST(irq_raise_local_handler_busy_elsewhere)
{
	static struct simple_irq s;
	struct dmae_irq *irq;
	pthread_t poller;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	atomic_store(&s.use_gate, true);
	ASSERT_OK(dmae_irq_request("busy", simple_handler, &s, &irq));
	ASSERT_EQ(pthread_create(&poller, NULL, poll_gated, irq), 0);
	wait_guarded(&s.ran);			/* the poller is inside the handler */
	dmae_irq_raise_local(irq);		/* returns: it cannot run it here */
	ASSERT_EQ(atomic_load(&s.runs), 1);
	dmae_completion_reinit(&s.ran);
	atomic_store(&s.gate_open, true);
	ASSERT_EQ(pthread_join(poller, NULL), 0);
	wait_guarded(&s.ran);			/* the IRQ thread runs it again */
	dmae_irq_synchronize(irq);
	ASSERT_EQ(atomic_load(&s.runs), 2);
	ASSERT_EQ(dmae_irq_count(irq), 2);
	dmae_irq_free(irq);
	dmae_exit();
}

/* ---- dmae_irq_poll_local ------------------------------------------------------ */

/*
 * A local poll runs the handler, and its callbacks, on the caller when the
 * caller can take an interrupt; otherwise it runs nothing and, unlike
 * dmae_irq_raise_local(), asks no other thread to: the device's own
 * interrupt is what delivers then.
 */
DMAE_TEST(irq_poll_local_runs_here_or_not_at_all)
{
	static struct simple_irq busy;
	struct irq_ctx_state s;
	dmae_spinlock_t other = DMAE_SPINLOCK_INIT;
	struct dmae_irq *irq, *busy_irq;
	pthread_t poller;
	dmae_irqflags_t f;

	irq_ctx_setup(&s, "plocal", "ctx-poller", &irq);

	ASSERT_TRUE(dmae_irq_poll_local(irq));
	ASSERT_TRUE(dmae_completion_try(&s.done));
	ASSERT_EQ(dmae_irq_count(irq), 1);
	ASSERT_EQ(s.outer.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_STR_EQ(s.outer.thread, "ctx-poller");
	assert_task_ctx();

	dmae_completion_reinit(&s.done);
	dmae_irq_mask(irq);
	ASSERT_FALSE(dmae_irq_poll_local(irq));
	dmae_irq_unmask(irq);
	dmae_local_irq_save(&f);
	ASSERT_FALSE(dmae_irq_poll_local(irq));
	dmae_local_irq_restore(f);
	dmae_spin_lock(&other);
	ASSERT_FALSE(dmae_irq_poll_local(irq));
	dmae_spin_unlock(&other);
	dmae_irq_synchronize(irq);
	ASSERT_FALSE(dmae_completion_try(&s.done));
	ASSERT_EQ(dmae_irq_count(irq), 1);

	/* Busy elsewhere: returns at once, nothing queued behind it. */
	simple_init(&busy);
	atomic_store(&busy.use_gate, true);
	ASSERT_OK(dmae_irq_request("pbusy", simple_handler, &busy, &busy_irq));
	ASSERT_EQ(pthread_create(&poller, NULL, poll_gated, busy_irq), 0);
	wait_guarded(&busy.ran);
	ASSERT_FALSE(dmae_irq_poll_local(busy_irq));
	atomic_store(&busy.gate_open, true);
	ASSERT_EQ(pthread_join(poller, NULL), 0);
	dmae_irq_synchronize(busy_irq);
	ASSERT_EQ(atomic_load(&busy.runs), 1);
	ASSERT_EQ(dmae_irq_count(busy_irq), 1);

	dmae_irq_free(busy_irq);
	dmae_irq_free(irq);
	dmae_exit();
}

DMAE_TEST(irq_poll_respects_local_mask)
{
	static struct simple_irq s;
	static struct poll_from_irq p;
	dmae_spinlock_t lock = DMAE_SPINLOCK_INIT;
	struct dmae_irq *irq, *outer;
	dmae_irqflags_t f;

	ASSERT_OK(dmae_init());
	simple_init(&s);
	ASSERT_OK(dmae_irq_request("pmask", simple_handler, &s, &irq));

	dmae_local_irq_save(&f);
	ASSERT_FALSE(dmae_irq_poll(irq, false));
	dmae_local_irq_restore(f);
	dmae_spin_lock_irqsave(&lock, &f);
	ASSERT_FALSE(dmae_irq_poll(irq, false));
	dmae_spin_unlock_irqrestore(&lock, f);
	ASSERT_EQ(atomic_load(&s.runs), 0);
	ASSERT_EQ(dmae_irq_count(irq), 0);

	/* From another line's handler (hard-IRQ, IRQs masked): refused too. */
	memset(&p, 0, sizeof(p));
	atomic_store(&p.polled, -1);
	p.other = irq;
	dmae_completion_init(&p.done);
	ASSERT_OK(dmae_irq_request("pouter", poll_other_handler, &p, &outer));
	dmae_irq_raise(outer);
	wait_guarded(&p.done);
	ASSERT_EQ(atomic_load(&p.polled), 0);
	ASSERT_EQ(atomic_load(&s.runs), 0);

	/* A plain spinlock does not mask IRQs: the poll runs. */
	dmae_spin_lock(&lock);
	ASSERT_TRUE(dmae_irq_poll(irq, false));
	dmae_spin_unlock(&lock);
	ASSERT_EQ(atomic_load(&s.runs), 1);
	ASSERT_TRUE(dmae_irq_poll(irq, true));
	ASSERT_EQ(atomic_load(&s.runs), 2);

	dmae_irq_free(outer);
	dmae_irq_free(irq);
	dmae_exit();
}

/*
 * A process has no hardware interrupts: dmae_irq_request_hw() says so,
 * with a log line, and refuses bad arguments first.
 */
DMAE_TEST(irq_request_hw_refused_on_posix)
{
	struct dmae_irq *irq = NULL;

	ASSERT_OK(dmae_init());
	test_log_capture_start();
	ASSERT_ERR(dmae_irq_request_hw("dev", 57, irq_ctx_handler, NULL, &irq), -EOPNOTSUPP);
	ASSERT_LOGGED("hardware interrupt 57: this platform has none");
	ASSERT_ERR(dmae_irq_request_hw(NULL, 57, irq_ctx_handler, NULL, &irq), -EINVAL);
	ASSERT_ERR(dmae_irq_request_hw("dev", 57, NULL, NULL, &irq), -EINVAL);
	ASSERT_ERR(dmae_irq_request_hw("dev", 57, irq_ctx_handler, NULL, NULL), -EINVAL);
	ASSERT_ERR(dmae_irq_request_hw("dev", 0x80000000u, irq_ctx_handler, NULL, &irq),
		   -EINVAL);
	ASSERT_LOGGED("interrupt 2147483648 out of range");
	ASSERT_NULL(irq);
	test_log_capture_stop();
	dmae_exit();
}
