/* SPDX-License-Identifier: MIT */
/*
 * tests/test_callbacks.c - completion callbacks run in the context each
 * descriptor asked for (hard-IRQ, BH, task) or signal a completion
 * object; order, sleeping rules, chains of callbacks that submit the next
 * transfer, termination from a callback, and polled mode.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* Deadlock guard for waits that a correct library satisfies quickly. */
#define GUARD_NS (UINT64_C(120) * 1000000000u)

static void wait_guarded(struct dmae_completion *c)
{
	ASSERT_OK(dmae_completion_wait_timeout(c, GUARD_NS));
}

static const enum dmae_cb_ctx all_ctx[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };

static enum dmae_ctx expected_ctx(enum dmae_cb_ctx c)
{
	switch (c) {
	case DMAE_CB_HARDIRQ:
		return DMAE_CTX_HARDIRQ;
	case DMAE_CB_BH:
		return DMAE_CTX_BH;
	case DMAE_CB_TASK:
		break;
	}
	return DMAE_CTX_TASK;
}

/* Prep a memcpy with INTERRUPT|ACK and a callback; submit; return the cookie. */
static dmae_cookie_t submit_cb(struct dmae_chan *c, void *dst, const void *src,
			       size_t len, dmae_callback_fn fn, void *arg,
			       enum dmae_cb_ctx ctx)
{
	struct dmae_desc *d;
	dmae_cookie_t cookie;

	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, fn, arg, ctx));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	return cookie;
}

static void assert_pool_full(struct dmae_chan *c)
{
	struct dmae_chan_stats st;

	ASSERT_OK(dmae_chan_stats_get(c, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);
}

/* ---- the context a callback runs in ------------------------------------------ */

struct ctx_cb {
	atomic_int ctx;			/* enum dmae_ctx seen inside */
	atomic_bool atomic_ctx;		/* dmae_in_atomic() inside */
	atomic_int code;
	atomic_int cookie;
	atomic_uint_fast64_t residue;
	atomic_uint calls;
	struct dmae_completion done;
};

static void ctx_cb_fn(void *arg, const struct dmae_result *res)
{
	struct ctx_cb *s = arg;

	atomic_store(&s->ctx, (int)dmae_ctx_current());
	atomic_store(&s->atomic_ctx, dmae_in_atomic());
	atomic_store(&s->code, (int)res->code);
	atomic_store(&s->cookie, res->cookie);
	atomic_store(&s->residue, res->residue);
	atomic_fetch_add(&s->calls, 1);
	dmae_completion_done(&s->done);
}

static void run_ctx_test(enum dmae_cb_ctx cbctx)
{
	static uint8_t src[8192], dst[8192];
	struct test_env env;
	struct ctx_cb s;
	struct dmae_chan *c;
	dmae_cookie_t cookie;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	memset(&s, 0, sizeof(s));
	atomic_store(&s.ctx, -1);
	atomic_store(&s.code, -1);
	dmae_completion_init(&s.done);
	test_fill_pattern(src, sizeof(src), cbctx + 1);
	memset(dst, 0, sizeof(dst));

	cookie = submit_cb(c, dst, src, sizeof(dst), ctx_cb_fn, &s, cbctx);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	wait_guarded(&s.done);
	ASSERT_OK(dmae_chan_synchronize(c));

	ASSERT_EQ(atomic_load(&s.ctx), (int)expected_ctx(cbctx));
	ASSERT_EQ(atomic_load(&s.atomic_ctx), cbctx != DMAE_CB_TASK);
	ASSERT_EQ(atomic_load(&s.code), DMAE_RESULT_OK);
	ASSERT_EQ(atomic_load(&s.cookie), cookie);
	ASSERT_EQ(atomic_load(&s.residue), 0);
	ASSERT_EQ(atomic_load(&s.calls), 1);
	ASSERT_PATTERN(dst, sizeof(dst), cbctx + 1);
	ASSERT_EQ(dmae_chan_status(c, cookie, NULL), DMAE_COMPLETE);
	assert_pool_full(c);

	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

DMAE_TEST(callback_in_hardirq)
{
	run_ctx_test(DMAE_CB_HARDIRQ);
}

DMAE_TEST(callback_in_bh)
{
	run_ctx_test(DMAE_CB_BH);
}

DMAE_TEST(callback_in_task)
{
	run_ctx_test(DMAE_CB_TASK);
}

DMAE_TEST(completion_object)
{
	static uint8_t src[4096], dst[4096];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	int i;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	for (i = 0; i < 3; i++) {
		test_fill_pattern(src, sizeof(src), 100 + i);
		memset(&res, 0xa5, sizeof(res));
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src),
						sizeof(dst), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK,
						&d));
		ASSERT_ERR(dmae_desc_set_completion(d, NULL, &res), -EINVAL);
		ASSERT_OK(dmae_desc_set_completion(d, &comp, i == 2 ? NULL : &res));
		cookie = dmae_desc_submit(d);
		ASSERT_GT(cookie, 0);
		ASSERT_ERR(dmae_desc_set_completion(d, &comp, &res), -EBUSY);
		ASSERT_EQ(dmae_chan_issue_pending(c), 1);
		wait_guarded(&comp);
		ASSERT_PATTERN(dst, sizeof(dst), 100 + i);
		if (i != 2) {
			ASSERT_EQ(res.code, DMAE_RESULT_OK);
			ASSERT_EQ(res.cookie, cookie);
			ASSERT_EQ(res.residue, 0);
		}
		ASSERT_EQ(dmae_chan_status(c, cookie, NULL), DMAE_COMPLETE);
	}
	ASSERT_FALSE(dmae_completion_try(&comp));	/* one signal per descriptor */
	ASSERT_OK(dmae_chan_synchronize(c));
	assert_pool_full(c);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* A descriptor with both: the object is signalled, the callback runs too. */
DMAE_TEST(completion_object_and_callback)
{
	static uint8_t src[512], dst[512];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d;
	struct ctx_cb s;
	dmae_cookie_t cookie;
	size_t i;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	for (i = 0; i < TEST_ARRAY_SIZE(all_ctx); i++) {
		memset(&s, 0, sizeof(s));
		dmae_completion_init(&s.done);
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src),
						sizeof(dst), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK,
						&d));
		ASSERT_OK(dmae_desc_set_callback(d, ctx_cb_fn, &s, all_ctx[i]));
		ASSERT_OK(dmae_desc_set_completion(d, &comp, &res));
		cookie = dmae_desc_submit(d);
		ASSERT_GT(cookie, 0);
		ASSERT_EQ(dmae_chan_issue_pending(c), 1);
		wait_guarded(&comp);
		wait_guarded(&s.done);
		ASSERT_EQ(res.cookie, cookie);
		ASSERT_EQ(res.code, DMAE_RESULT_OK);
		ASSERT_EQ(atomic_load(&s.cookie), cookie);
		ASSERT_EQ(atomic_load(&s.ctx), (int)expected_ctx(all_ctx[i]));
	}
	ASSERT_OK(dmae_chan_synchronize(c));
	assert_pool_full(c);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* ---- order ------------------------------------------------------------------- */

#define ORDER_N 1000

struct order_log {
	atomic_int cookies[ORDER_N];
	atomic_uint n;
	atomic_uint bad_ctx;
	enum dmae_ctx want;
};

struct order_state {
	struct order_log log[3];	/* by enum dmae_cb_ctx */
	atomic_uint total;
	unsigned int expect;
	struct dmae_completion all_done;
};

struct order_arg {
	struct order_state *st;
	enum dmae_cb_ctx ctx;
};

static void order_cb(void *arg, const struct dmae_result *res)
{
	struct order_arg *a = arg;
	struct order_log *l = &a->st->log[a->ctx];
	unsigned int i = atomic_fetch_add(&l->n, 1);

	if (dmae_ctx_current() != l->want)
		atomic_fetch_add(&l->bad_ctx, 1);
	if (i < ORDER_N)
		atomic_store_explicit(&l->cookies[i], res->cookie, memory_order_relaxed);
	if (atomic_fetch_add(&a->st->total, 1) + 1 == a->st->expect)
		dmae_completion_done(&a->st->all_done);
}

static void assert_order(struct order_log *l, unsigned int n)
{
	unsigned int i;

	ASSERT_EQ(atomic_load(&l->n), n);
	ASSERT_EQ(atomic_load(&l->bad_ctx), 0);
	for (i = 1; i < n; i++) {
		int prev = atomic_load(&l->cookies[i - 1]);
		int cur = atomic_load(&l->cookies[i]);

		if (cur <= prev)
			TEST_FAIL("callback %u: cookie %d after %d (not increasing)", i, cur,
				  prev);
	}
}

/*
 * n descriptors; descriptor i uses ctx_of(i).  Submitted and issued in
 * bursts so that completions of several contexts interleave.
 */
static void run_order(struct order_state *st, unsigned int n, bool mixed,
		      enum dmae_cb_ctx single, bool poll)
{
	dmae_cookie_t last = 0;
	static uint8_t src[64], dst[64];
	struct order_arg args[3];
	struct test_env env;
	struct dmae_chan *c;
	unsigned int i, k;

	memset(st, 0, sizeof(*st));
	for (k = 0; k < 3; k++) {
		args[k].st = st;
		args[k].ctx = (enum dmae_cb_ctx)k;
		st->log[k].want = expected_ctx((enum dmae_cb_ctx)k);
	}
	st->expect = n;
	dmae_completion_init(&st->all_done);

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, n + 8);
	for (i = 0; i < n; i++) {
		enum dmae_cb_ctx cx = mixed ? all_ctx[(i * 7 / 3) % 3] : single;

		last = submit_cb(c, dst, src, sizeof(dst), order_cb, &args[cx], cx);
		if (i % 37 == 36) {
			ASSERT_NOERR(dmae_chan_issue_pending(c));
			if (poll)	/* run the handler here too, racing the IRQ thread */
				ASSERT_NOERR(dmae_chan_status(c, last, NULL));
		}
	}
	ASSERT_NOERR(dmae_chan_issue_pending(c));
	while (poll && dmae_chan_status(c, last, NULL) != DMAE_COMPLETE)
		;	/* bounded: the transfers finish */
	wait_guarded(&st->all_done);
	ASSERT_OK(dmae_chan_synchronize(c));
	assert_pool_full(c);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

static void run_order_single(enum dmae_cb_ctx cx)
{
	static struct order_state st;

	run_order(&st, ORDER_N, false, cx, false);
	assert_order(&st.log[cx], ORDER_N);
}

DMAE_TEST(order_hardirq)
{
	run_order_single(DMAE_CB_HARDIRQ);
}

DMAE_TEST(order_bh)
{
	run_order_single(DMAE_CB_BH);
}

DMAE_TEST(order_task)
{
	run_order_single(DMAE_CB_TASK);
}

DMAE_TEST(order_mixed)
{
	static struct order_state st;
	unsigned int k, sum = 0;

	run_order(&st, ORDER_N, true, DMAE_CB_BH, false);
	for (k = 0; k < 3; k++) {
		unsigned int n = atomic_load(&st.log[k].n);

		ASSERT_GT(n, 0);
		assert_order(&st.log[k], n);
		sum += n;
	}
	ASSERT_EQ(sum, ORDER_N);
}

/* The client polls dmae_chan_status() meanwhile: handler runs move threads. */
DMAE_TEST(order_mixed_polled)
{
	static struct order_state st;
	unsigned int k, sum = 0, round;

	for (round = 0; round < 5; round++) {
		run_order(&st, ORDER_N, true, DMAE_CB_BH, true);
		for (k = 0, sum = 0; k < 3; k++) {
			unsigned int n = atomic_load(&st.log[k].n);

			assert_order(&st.log[k], n);
			sum += n;
		}
		ASSERT_EQ(sum, ORDER_N);
	}
}

/* More channels with BH work in one interrupt than the IRQ-exit BH budget. */
#define MANY_CHANS 80

struct many_state {
	atomic_uint calls;
	atomic_uint bad_ctx;
	struct dmae_completion done;
};

static void many_cb(void *arg, const struct dmae_result *res)
{
	struct many_state *m = arg;

	if (dmae_ctx_current() != DMAE_CTX_BH || res->code != DMAE_RESULT_OK)
		atomic_fetch_add(&m->bad_ctx, 1);
	if (atomic_fetch_add(&m->calls, 1) + 1 == MANY_CHANS * 4)
		dmae_completion_done(&m->done);
}

DMAE_TEST(bh_many_channels)
{
	static uint8_t src[MANY_CHANS][256], dst[MANY_CHANS][256];
	struct dmae_swdma_config cfg = { .nr_chans = MANY_CHANS, .nr_workers = 2 };
	static struct dmae_chan *chans[MANY_CHANS];
	struct many_state m;
	struct test_env env;
	unsigned int i, j;

	memset(&m, 0, sizeof(m));
	dmae_completion_init(&m.done);
	test_swdma_setup(&env, &cfg);
	for (i = 0; i < MANY_CHANS; i++) {
		chans[i] = test_chan_memcpy(&env, 8);
		test_fill_pattern(src[i], sizeof(src[i]), i);
	}
	for (j = 0; j < 4; j++)
		for (i = 0; i < MANY_CHANS; i++)
			submit_cb(chans[i], dst[i], src[i], sizeof(dst[i]), many_cb, &m,
				  DMAE_CB_BH);
	for (i = 0; i < MANY_CHANS; i++)
		ASSERT_EQ(dmae_chan_issue_pending(chans[i]), 4);
	wait_guarded(&m.done);
	ASSERT_EQ(atomic_load(&m.bad_ctx), 0);
	for (i = 0; i < MANY_CHANS; i++) {
		ASSERT_OK(dmae_chan_synchronize(chans[i]));
		ASSERT_PATTERN(dst[i], sizeof(dst[i]), i);
		assert_pool_full(chans[i]);
		ASSERT_OK(dmae_chan_release(chans[i]));
	}
	ASSERT_EQ(atomic_load(&m.calls), MANY_CHANS * 4);
	test_swdma_teardown(&env);
}

/* ---- sleeping in callbacks ---------------------------------------------------- */

static atomic_uint sleep_reports;
static char sleep_report_ctx[32];
static char sleep_report_func[64];

static void sleep_hook(const struct dmae_sleep_report *r)
{
	if (atomic_fetch_add(&sleep_reports, 1) == 0) {
		snprintf(sleep_report_ctx, sizeof(sleep_report_ctx), "%s", r->ctx);
		snprintf(sleep_report_func, sizeof(sleep_report_func), "%s", r->func);
	}
}

struct sleepy_cb {
	struct dmae_mutex m;
	struct dmae_completion ready;
	struct dmae_completion done;
};

static void sleepy_cb_fn(void *arg, const struct dmae_result *res)
{
	struct sleepy_cb *s = arg;

	(void)res;
	dmae_sleep_ns(200000);
	dmae_mutex_lock(&s->m);
	dmae_mutex_unlock(&s->m);
	dmae_completion_wait(&s->ready);	/* signalled beforehand */
	dmae_completion_done(&s->done);
}

static void run_sleepy(enum dmae_cb_ctx cx)
{
	static uint8_t src[256], dst[256];
	struct test_env env;
	struct sleepy_cb s;
	struct dmae_chan *c;

	if (!dmae_debug_enabled())
		TEST_SKIP("library built without DMAE_DEBUG: no sleeping-call checker");
	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	dmae_mutex_init(&s.m);
	dmae_completion_init(&s.ready);
	dmae_completion_init(&s.done);
	dmae_completion_done(&s.ready);
	atomic_store(&sleep_reports, 0);
	dmae_sleep_report_set_hook(sleep_hook);
	test_log_capture_start();

	submit_cb(c, dst, src, sizeof(dst), sleepy_cb_fn, &s, cx);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	wait_guarded(&s.done);
	ASSERT_OK(dmae_chan_synchronize(c));

	if (cx == DMAE_CB_TASK) {
		ASSERT_EQ(atomic_load(&sleep_reports), 0);
		ASSERT_NOT_LOGGED("sleeping function called from");
	} else {
		ASSERT_EQ(atomic_load(&sleep_reports), 3);	/* sleep, lock, wait */
		ASSERT_STR_EQ(sleep_report_ctx, cx == DMAE_CB_HARDIRQ ? "hard-IRQ" : "BH");
		ASSERT_STR_EQ(sleep_report_func, "dmae_sleep_ns");
		ASSERT_LOGGED("sleeping function called from");
	}
	dmae_sleep_report_set_hook(NULL);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

DMAE_TEST(task_callback_may_sleep)
{
	run_sleepy(DMAE_CB_TASK);
}

DMAE_TEST(hardirq_callback_sleep_reported)
{
	run_sleepy(DMAE_CB_HARDIRQ);
}

DMAE_TEST(bh_callback_sleep_reported)
{
	run_sleepy(DMAE_CB_BH);
}

/* ---- chains: each callback submits the next transfer ------------------------------ */

struct chain {
	struct dmae_chan *chan;
	enum dmae_cb_ctx ctx;
	enum dmae_ctx want;
	atomic_uint left;
	atomic_uint runs;
	atomic_int err;
	atomic_uint bad_ctx;
	uint8_t src[64], dst[64];
	struct dmae_completion done;
};

static void chain_cb(void *arg, const struct dmae_result *res)
{
	struct chain *ch = arg;
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	int ret;

	atomic_fetch_add(&ch->runs, 1);
	if (dmae_ctx_current() != ch->want)
		atomic_fetch_add(&ch->bad_ctx, 1);
	if (res->code != DMAE_RESULT_OK)
		atomic_store(&ch->err, -EIO);
	if (atomic_fetch_sub(&ch->left, 1) == 1) {
		dmae_completion_done(&ch->done);
		return;
	}
	ret = dmae_chan_prep_memcpy(ch->chan, dmae_addr_of(ch->dst), dmae_addr_of(ch->src),
				    sizeof(ch->dst), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (!ret)
		ret = dmae_desc_set_callback(d, chain_cb, ch, ch->ctx);
	if (!ret) {
		cookie = dmae_desc_submit(d);
		ret = cookie < 0 ? cookie : 0;
	}
	if (!ret) {
		ret = dmae_chan_issue_pending(ch->chan);
		ret = ret == 1 ? 0 : ret < 0 ? ret : -EPROTO;
	}
	if (ret) {
		atomic_store(&ch->err, ret);
		dmae_completion_done(&ch->done);	/* stop, do not hang */
	}
}

static void run_chain(enum dmae_cb_ctx cx, unsigned int n)
{
	static struct chain ch;
	struct test_env env;
	struct dmae_chan_stats st;

	test_swdma_setup(&env, NULL);
	memset(&ch, 0, sizeof(ch));
	ch.chan = test_chan_memcpy(&env, 4);	/* one in flight at a time: a tiny pool is enough */
	ch.ctx = cx;
	ch.want = expected_ctx(cx);
	atomic_store(&ch.left, n);
	dmae_completion_init(&ch.done);

	submit_cb(ch.chan, ch.dst, ch.src, sizeof(ch.dst), chain_cb, &ch, cx);
	ASSERT_EQ(dmae_chan_issue_pending(ch.chan), 1);
	wait_guarded(&ch.done);
	ASSERT_OK(atomic_load(&ch.err));
	ASSERT_OK(dmae_chan_synchronize(ch.chan));
	ASSERT_EQ(atomic_load(&ch.runs), n);
	ASSERT_EQ(atomic_load(&ch.bad_ctx), 0);
	ASSERT_OK(dmae_chan_stats_get(ch.chan, &st));
	ASSERT_EQ(st.submitted, n);
	ASSERT_EQ(st.completed, n);
	ASSERT_EQ(st.errors, 0);
	ASSERT_EQ(st.pool_free, st.pool_size);
	ASSERT_OK(dmae_chan_release(ch.chan));
	test_swdma_teardown(&env);
}

DMAE_TEST(chain_hardirq)
{
	run_chain(DMAE_CB_HARDIRQ, UNDER_TSAN ? 20000 : UNDER_ASAN ? 50000 : 100000);
}

DMAE_TEST(chain_bh)
{
	run_chain(DMAE_CB_BH, UNDER_TSAN ? 5000 : 10000);
}

DMAE_TEST(chain_task)
{
	run_chain(DMAE_CB_TASK, UNDER_TSAN ? 5000 : 10000);
}

/* ---- terminate from a callback ---------------------------------------------------- */

#define TERM_N 200

struct term_state {
	struct dmae_chan *chan;
	enum dmae_ctx want;
	atomic_uint calls;
	atomic_bool terminated;		/* set once terminate_async returned */
	atomic_uint after;		/* callbacks that ran after it: must stay 0 */
	atomic_int term_ret;
	atomic_int sync_ret;
	atomic_uint bad_ctx;
	struct dmae_completion done;
};

static void term_cb(void *arg, const struct dmae_result *res)
{
	struct term_state *t = arg;

	(void)res;
	if (atomic_load(&t->terminated))
		atomic_fetch_add(&t->after, 1);
	if (dmae_ctx_current() != t->want)
		atomic_fetch_add(&t->bad_ctx, 1);
	if (atomic_fetch_add(&t->calls, 1))
		return;
	atomic_store(&t->term_ret, dmae_chan_terminate_async(t->chan));
	atomic_store(&t->terminated, true);
	if (t->want == DMAE_CTX_TASK)	/* waiting for itself: refused */
		atomic_store(&t->sync_ret, dmae_chan_synchronize(t->chan));
	dmae_completion_done(&t->done);
}

static void run_term(enum dmae_cb_ctx cx)
{
	static uint8_t src[TERM_N][1024], dst[TERM_N][1024];
	static struct term_state t;
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct test_env env;
	struct dmae_chan_stats st;
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	unsigned int i, round;

	test_swdma_setup(&env, NULL);
	for (round = 0; round < 20; round++) {
		memset(&t, 0, sizeof(t));
		t.chan = test_chan_memcpy(&env, TERM_N);
		t.want = expected_ctx(cx);
		dmae_completion_init(&t.done);
		for (i = 0; i < TERM_N; i++)
			submit_cb(t.chan, dst[i], src[i], sizeof(dst[i]), term_cb, &t, cx);
		ASSERT_EQ(dmae_chan_issue_pending(t.chan), TERM_N);
		wait_guarded(&t.done);
		ASSERT_OK(atomic_load(&t.term_ret));
		if (cx == DMAE_CB_TASK)
			ASSERT_ERR(atomic_load(&t.sync_ret), -EDEADLK);
		ASSERT_OK(dmae_chan_synchronize(t.chan));
		ASSERT_EQ(atomic_load(&t.after), 0);
		ASSERT_EQ(atomic_load(&t.calls), 1);
		ASSERT_EQ(atomic_load(&t.bad_ctx), 0);
		ASSERT_OK(dmae_chan_stats_get(t.chan, &st));
		ASSERT_EQ(st.pool_free, st.pool_size);
		/* each descriptor counts once: completed, or dropped in flight */
		ASSERT_EQ(st.completed + st.terminated, st.submitted);
		ASSERT_EQ(st.submitted, TERM_N);

		/* The channel still works. */
		test_fill_pattern(src[0], sizeof(src[0]), round);
		ASSERT_OK(dmae_chan_prep_memcpy(t.chan, dmae_addr_of(dst[0]),
						dmae_addr_of(src[0]), sizeof(dst[0]),
						DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
		ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
		cookie = dmae_desc_submit(d);
		ASSERT_GT(cookie, 0);
		ASSERT_EQ(dmae_chan_issue_pending(t.chan), 1);
		wait_guarded(&comp);
		ASSERT_PATTERN(dst[0], sizeof(dst[0]), round);
		ASSERT_EQ(dmae_chan_status(t.chan, cookie, NULL), DMAE_COMPLETE);
		ASSERT_OK(dmae_chan_release(t.chan));
	}
	test_swdma_teardown(&env);
}

DMAE_TEST(terminate_from_hardirq_callback)
{
	run_term(DMAE_CB_HARDIRQ);
}

DMAE_TEST(terminate_from_bh_callback)
{
	run_term(DMAE_CB_BH);
}

DMAE_TEST(terminate_from_task_callback)
{
	run_term(DMAE_CB_TASK);
}

/* ---- polled mode -------------------------------------------------------------------- */

#define POLL_N 50

static void never_cb(void *arg, const struct dmae_result *res)
{
	(void)arg;
	(void)res;
	TEST_FAIL("a callback that could not be set ran");
}

DMAE_TEST(polled_mode)
{
	static uint8_t src[POLL_N][2048], dst[POLL_N][2048];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d;
	dmae_cookie_t cookies[POLL_N];
	struct dmae_tx_state ts;
	unsigned long spins;
	unsigned int i;
	int status = -1;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, POLL_N);
	for (i = 0; i < POLL_N; i++) {
		test_fill_pattern(src[i], sizeof(src[i]), 1000 + i);
		memset(dst[i], 0, sizeof(dst[i]));
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i]), dmae_addr_of(src[i]),
						sizeof(dst[i]), DMAE_PREP_ACK, &d));
		/* no interrupt: no callback, no completion object */
		ASSERT_ERR(dmae_desc_set_callback(d, never_cb, NULL,
						  DMAE_CB_BH), -EINVAL);
		ASSERT_ERR(dmae_desc_set_callback(d, never_cb, NULL,
						  DMAE_CB_TASK), -EINVAL);
		ASSERT_ERR(dmae_desc_set_completion(d, &comp, NULL), -EINVAL);
		ASSERT_OK(dmae_desc_set_callback(d, NULL, NULL, DMAE_CB_BH)); /* removing is fine */
		cookies[i] = dmae_desc_submit(d);
		ASSERT_GT(cookies[i], 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(c), POLL_N);

	/* Poll the last cookie until complete (bounded). */
	for (spins = 0; spins < 100000000ul; spins++) {
		status = dmae_chan_status(c, cookies[POLL_N - 1], &ts);
		ASSERT_NOERR(status);
		if (status == DMAE_COMPLETE)
			break;
		ASSERT_EQ(status, DMAE_IN_PROGRESS);
		sched_yield();
	}
	ASSERT_EQ(status, DMAE_COMPLETE);
	ASSERT_EQ(ts.last, cookies[POLL_N - 1]);
	ASSERT_EQ(ts.used, cookies[POLL_N - 1]);
	for (i = 0; i < POLL_N; i++) {
		ASSERT_EQ(dmae_chan_status(c, cookies[i], NULL), DMAE_COMPLETE);
		ASSERT_PATTERN(dst[i], sizeof(dst[i]), 1000 + i);
	}
	ASSERT_FALSE(dmae_completion_try(&comp));
	assert_pool_full(c);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* ---- descriptors handled from their own callback -------------------------------------- */

struct reuse_state {
	struct dmae_desc *d;
	struct dmae_chan *chan;
	enum dmae_ctx want;
	unsigned int left;		/* touched by the callbacks only, one at a time */
	atomic_int err;
	atomic_uint bad_ctx;
	struct dmae_completion done;
};

/* A DMAE_PREP_REUSE descriptor submits itself again from its callback. */
static void reuse_cb(void *arg, const struct dmae_result *res)
{
	struct reuse_state *r = arg;
	dmae_cookie_t cookie;
	int ret;

	if (dmae_ctx_current() != r->want)
		atomic_fetch_add(&r->bad_ctx, 1);
	if (res->code != DMAE_RESULT_OK)
		atomic_store(&r->err, -EIO);
	if (--r->left == 0) {
		dmae_completion_done(&r->done);
		return;
	}
	cookie = dmae_desc_submit(r->d);
	ret = cookie < 0 ? cookie : dmae_chan_issue_pending(r->chan);
	if (ret < 0) {
		atomic_store(&r->err, ret);
		dmae_completion_done(&r->done);
	}
}

DMAE_TEST(reuse_resubmit_from_callback)
{
	static uint8_t src[1024], dst[1024];
	static struct reuse_state r;
	struct test_env env;
	struct dmae_chan *c;
	size_t i;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 4);
	for (i = 0; i < TEST_ARRAY_SIZE(all_ctx); i++) {
		memset(&r, 0, sizeof(r));
		r.want = expected_ctx(all_ctx[i]);
		r.chan = c;
		r.left = UNDER_TSAN ? 1000 : 3000;
		dmae_completion_init(&r.done);
		test_fill_pattern(src, sizeof(src), i);
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src),
						sizeof(dst),
						DMAE_PREP_INTERRUPT | DMAE_PREP_REUSE | DMAE_PREP_ACK,
						&r.d));
		ASSERT_OK(dmae_desc_set_callback(r.d, reuse_cb, &r, all_ctx[i]));
		ASSERT_GT(dmae_desc_submit(r.d), 0);
		ASSERT_EQ(dmae_chan_issue_pending(c), 1);
		wait_guarded(&r.done);
		ASSERT_OK(atomic_load(&r.err));
		ASSERT_EQ(atomic_load(&r.bad_ctx), 0);
		ASSERT_OK(dmae_chan_synchronize(c));
		ASSERT_PATTERN(dst, sizeof(dst), i);
		ASSERT_OK(dmae_desc_free(r.d));		/* survives completion until freed */
		assert_pool_full(c);
	}
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* A descriptor prepared without DMAE_PREP_ACK is acknowledged by its callback. */
struct ack_state {
	struct dmae_desc *descs[32];
	atomic_uint acked;
	atomic_int err;
	struct dmae_completion done;
};

struct ack_arg {
	struct ack_state *s;
	unsigned int idx;
};

static void ack_cb(void *arg, const struct dmae_result *res)
{
	struct ack_arg *a = arg;
	int ret = dmae_desc_ack(a->s->descs[a->idx]);

	(void)res;
	if (ret)
		atomic_store(&a->s->err, ret);
	if (atomic_fetch_add(&a->s->acked, 1) + 1 == TEST_ARRAY_SIZE(a->s->descs))
		dmae_completion_done(&a->s->done);
}

DMAE_TEST(ack_from_callback)
{
	static uint8_t src[256], dst[32][256];
	static struct ack_state s;
	static struct ack_arg args[32];
	struct test_env env;
	struct dmae_chan *c;
	unsigned int i;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 32);
	memset(&s, 0, sizeof(s));
	dmae_completion_init(&s.done);
	for (i = 0; i < 32; i++) {
		args[i].s = &s;
		args[i].idx = i;
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i]), dmae_addr_of(src),
						sizeof(src), DMAE_PREP_INTERRUPT, &s.descs[i]));
		ASSERT_OK(dmae_desc_set_callback(s.descs[i], ack_cb, &args[i],
						 all_ctx[i % 3]));
		ASSERT_GT(dmae_desc_submit(s.descs[i]), 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(c), 32);
	wait_guarded(&s.done);
	ASSERT_OK(atomic_load(&s.err));
	ASSERT_OK(dmae_chan_synchronize(c));
	assert_pool_full(c);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}
