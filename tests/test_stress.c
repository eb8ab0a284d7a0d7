/* SPDX-License-Identifier: MIT */
/*
 * tests/test_stress.c - long-running races: terminate against callbacks
 * of every kind, a million descriptors over several channels and client
 * threads, and callbacks that keep submitting work from every context.
 *
 * Iteration counts shrink under ASan/TSan (see ROUNDS) so that each test
 * stays within seconds there; the race loops never go below ~1000 rounds.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

/* normal, ASan, TSan */
#define ROUNDS(n, a, t) (UNDER_TSAN ? (t) : UNDER_ASAN ? (a) : (n))

/* Deadlock guard: a correct run never comes close. */
#define GUARD_NS (UINT64_C(300) * 1000000000u)

static void wait_guarded(struct dmae_completion *c)
{
	ASSERT_OK(dmae_completion_wait_timeout(c, GUARD_NS));
}

static const enum dmae_cb_ctx all_ctx[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };

static void busy_wait(unsigned int n)
{
	volatile unsigned int i;

	for (i = 0; i < n; i++)
		;
}

/* ---- terminate against callbacks of all four kinds ----------------------------- */

#define TR_BURST_MAX 32
#define TR_BUF 16384
#define TR_POOL 64
#define TR_VERIFY_EVERY 50

struct tr_state {
	atomic_bool quiet;		/* set after terminate_sync returned */
	atomic_uint violations;		/* callbacks that ran while quiet */
	atomic_uint_fast64_t calls;
	atomic_uint_fast64_t total_calls;
	struct dmae_completion comp;	/* the completion-object descriptors' */
};

static void tr_cb(void *arg, const struct dmae_result *res)
{
	struct tr_state *s = arg;

	(void)res;
	if (atomic_load(&s->quiet))
		atomic_fetch_add(&s->violations, 1);
	atomic_fetch_add_explicit(&s->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->total_calls, 1, memory_order_relaxed);
}

/* One memcpy waited for through a completion object; checks the data. */
static void verify_copy(struct dmae_chan *c, uint8_t *dst, uint8_t *src, size_t len,
			uint64_t seed)
{
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct dmae_desc *d;
	dmae_cookie_t cookie;

	test_fill_pattern(src, len, seed);
	memset(dst, 0, len);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	wait_guarded(&done);
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_EQ(res.cookie, cookie);
	ASSERT_PATTERN(dst, len, seed);
}

DMAE_TEST(stress_terminate_race)
{
	static uint8_t src[TR_BURST_MAX][TR_BUF], dst[TR_BURST_MAX][TR_BUF];
	static struct tr_state s;
	struct dmae_swdma_config cfg = { .nr_chans = 2, .nr_workers = 2, .burst = 1024 };
	unsigned int rounds = ROUNDS(20000, 10000, 5000);
	unsigned int round, i, late = 0;
	uint64_t rng = test_rand_seed() | 1;
	struct dmae_chan_stats st;
	struct test_env env;
	struct dmae_chan *c;

	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, TR_POOL);
	memset(&s, 0, sizeof(s));
	dmae_completion_init(&s.comp);

	for (round = 0; round < rounds; round++) {
		unsigned int burst = 1 + (unsigned int)(test_rand_r(&rng) % TR_BURST_MAX);
		unsigned int when = (unsigned int)(test_rand_r(&rng) % 8);
		struct dmae_desc *d;

		/* A completion signalled since the last synchronize came late. */
		while (dmae_completion_try(&s.comp))
			late++;
		atomic_store(&s.quiet, false);

		for (i = 0; i < burst; i++) {
			uint64_t len = 64 * (1 + test_rand_r(&rng) % (TR_BUF / 64));
			unsigned int kind = (round + i) % 4;

			ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i]),
							dmae_addr_of(src[i]), len,
							DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
			if (kind == 3)
				ASSERT_OK(dmae_desc_set_completion(d, &s.comp, NULL));
			else
				ASSERT_OK(dmae_desc_set_callback(d, tr_cb, &s, all_ctx[kind]));
			ASSERT_GT(dmae_desc_submit(d), 0);
			if (when == 1 && i == burst / 2)
				ASSERT_NOERR(dmae_chan_issue_pending(c));
		}
		switch (when) {
		case 0:		/* before anything was issued */
		case 1:		/* half issued */
			break;
		case 2:		/* right after issue */
			ASSERT_EQ(dmae_chan_issue_pending(c), burst);
			break;
		case 3:		/* while it runs */
			ASSERT_EQ(dmae_chan_issue_pending(c), burst);
			busy_wait((unsigned int)(test_rand_r(&rng) % 50000));
			break;
		default: {	/* after k completions: probably while callbacks run */
			unsigned int k = 1 + (unsigned int)(test_rand_r(&rng) % burst);
			unsigned int seen = 0;

			atomic_store(&s.calls, 0);
			ASSERT_EQ(dmae_chan_issue_pending(c), burst);
			while (atomic_load_explicit(&s.calls, memory_order_relaxed) + seen < k) {
				if (dmae_completion_try(&s.comp))
					seen++;
				else
					sched_yield();
			}
			break;
		}
		}
		ASSERT_OK(dmae_chan_terminate_sync(c));
		atomic_store(&s.quiet, true);
		while (dmae_completion_try(&s.comp))
			;	/* signalled before synchronize returned: fine */

		ASSERT_OK(dmae_chan_stats_get(c, &st));
		if (st.pool_free != st.pool_size)
			TEST_FAIL("round %u: %u of %u descriptors free after terminate_sync",
				  round, st.pool_free, st.pool_size);
		if (round % TR_VERIFY_EVERY == 0)
			verify_copy(c, dst[0], src[0], TR_BUF, round);
	}
	while (dmae_completion_try(&s.comp))
		late++;
	ASSERT_OK(dmae_chan_stats_get(c, &st));
	printf("stress_terminate_race: %u rounds, %llu callbacks, %llu descriptors "
	       "terminated\n", rounds, (unsigned long long)atomic_load(&s.total_calls),
	       (unsigned long long)st.terminated);
	ASSERT_EQ(atomic_load(&s.violations), 0);
	ASSERT_EQ(late, 0);
	ASSERT_EQ(st.errors, 0);
	ASSERT_EQ(st.pool_free, st.pool_size);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* ---- a million descriptors ----------------------------------------------------- */

#define SOAK_CHANS 4
#define SOAK_THREADS 4
#define SOAK_LEN 64
#define SOAK_BATCH 16

struct soak {
	struct dmae_chan *chans[SOAK_CHANS];
	atomic_uint_fast64_t cb_count[SOAK_CHANS];
	atomic_uint_fast64_t sub_count[SOAK_CHANS];
	atomic_uint_fast64_t total_cb;
	atomic_uint_fast64_t enospc;
	atomic_uint bad;
	uint64_t target;
	uint64_t per_thread;
	struct dmae_completion all_done;
	uint8_t src[SOAK_LEN];
	uint8_t dst[SOAK_THREADS][SOAK_CHANS][SOAK_LEN];
};

struct soak_cb_arg {
	struct soak *s;
	unsigned int chan;
};

static struct soak_cb_arg soak_args[SOAK_CHANS];

static void soak_cb(void *arg, const struct dmae_result *res)
{
	struct soak_cb_arg *a = arg;
	struct soak *s = a->s;

	if (res->code != DMAE_RESULT_OK || dmae_ctx_current() != DMAE_CTX_BH)
		atomic_fetch_add(&s->bad, 1);
	atomic_fetch_add_explicit(&s->cb_count[a->chan], 1, memory_order_relaxed);
	if (atomic_fetch_add(&s->total_cb, 1) + 1 == s->target)
		dmae_completion_done(&s->all_done);
}

struct soak_thread {
	struct soak *s;
	unsigned int id;
};

static void *soak_client(void *arg)
{
	struct soak_thread *t = arg;
	struct soak *s = t->s;
	uint64_t n;
	unsigned int k = t->id % SOAK_CHANS;
	unsigned int in_batch = 0;

	for (n = 0; n < s->per_thread; n++) {
		struct dmae_chan *c = s->chans[k];
		struct dmae_desc *d;
		int ret;

		for (;;) {
			ret = dmae_chan_prep_memcpy(c, dmae_addr_of(s->dst[t->id][k]),
						    dmae_addr_of(s->src), SOAK_LEN,
						    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
			if (ret != -ENOSPC)
				break;
			/* back-pressure: kick what we have and let completions drain */
			atomic_fetch_add_explicit(&s->enospc, 1, memory_order_relaxed);
			ASSERT_NOERR(dmae_chan_issue_pending(c));
			sched_yield();
		}
		ASSERT_OK(ret);
		ASSERT_OK(dmae_desc_set_callback(d, soak_cb, &soak_args[k], DMAE_CB_BH));
		ASSERT_GT(dmae_desc_submit(d), 0);
		atomic_fetch_add_explicit(&s->sub_count[k], 1, memory_order_relaxed);
		if (++in_batch == SOAK_BATCH) {
			ASSERT_NOERR(dmae_chan_issue_pending(c));
			in_batch = 0;
			k = (k + 1) % SOAK_CHANS;	/* next batch on the next channel */
		}
	}
	ASSERT_NOERR(dmae_chan_issue_pending(s->chans[k]));
	return NULL;
}

DMAE_TEST(soak_million)
{
	static struct soak s;
	struct dmae_swdma_config cfg = { .nr_chans = SOAK_CHANS, .nr_workers = 2 };
	struct soak_thread th[SOAK_THREADS];
	pthread_t tid[SOAK_THREADS];
	struct dmae_chan_stats st;
	struct test_env env;
	uint64_t total = 0;
	unsigned int i, k;

	memset(&s, 0, sizeof(s));
	s.per_thread = ROUNDS(1000000, 1000000, 200000) / SOAK_THREADS;
	s.target = s.per_thread * SOAK_THREADS;
	dmae_completion_init(&s.all_done);
	test_fill_pattern(s.src, sizeof(s.src), 42);

	test_swdma_setup(&env, &cfg);
	for (k = 0; k < SOAK_CHANS; k++) {
		s.chans[k] = test_chan_memcpy(&env, 128);
		soak_args[k].s = &s;
		soak_args[k].chan = k;
	}
	for (i = 0; i < SOAK_THREADS; i++) {
		th[i].s = &s;
		th[i].id = i;
		ASSERT_OK(pthread_create(&tid[i], NULL, soak_client, &th[i]));
	}
	for (i = 0; i < SOAK_THREADS; i++)
		ASSERT_OK(pthread_join(tid[i], NULL));
	wait_guarded(&s.all_done);

	for (k = 0; k < SOAK_CHANS; k++) {
		ASSERT_OK(dmae_chan_synchronize(s.chans[k]));
		ASSERT_OK(dmae_chan_stats_get(s.chans[k], &st));
		ASSERT_EQ(st.submitted, atomic_load(&s.sub_count[k]));
		ASSERT_EQ(st.completed, st.submitted);
		ASSERT_EQ(st.completed, atomic_load(&s.cb_count[k]));
		ASSERT_EQ(st.errors, 0);
		ASSERT_EQ(st.terminated, 0);
		ASSERT_EQ(st.bytes, st.completed * SOAK_LEN);
		ASSERT_EQ(st.pool_free, st.pool_size);
		ASSERT_GT(st.completed, 0);
		total += st.completed;
	}
	ASSERT_EQ(total, s.target);
	ASSERT_EQ(atomic_load(&s.total_cb), s.target);
	ASSERT_EQ(atomic_load(&s.bad), 0);
	for (i = 0; i < SOAK_THREADS; i++)
		for (k = 0; k < SOAK_CHANS; k++)
			ASSERT_MEM_EQ(s.dst[i][k], s.src, SOAK_LEN);
	printf("soak_million: %llu descriptors, %llu -ENOSPC retries\n",
	       (unsigned long long)s.target, (unsigned long long)atomic_load(&s.enospc));

	for (k = 0; k < SOAK_CHANS; k++)
		ASSERT_OK(dmae_chan_release(s.chans[k]));
	test_swdma_teardown(&env);
}

/* ---- callbacks that keep submitting, from every context, across channels ------- */

#define RS_CHANS 4
#define RS_CHAINS_PER 6			/* per channel: 2 per context */
#define RS_CHAINS (RS_CHANS * RS_CHAINS_PER)
#define RS_BUF 8192
#define RS_VERIFY_EVERY 4

struct rs_state;

struct rs_chain {
	struct rs_state *s;
	unsigned int id;
	unsigned int step;		/* only the chain's current callback touches it */
	unsigned int chan;
	uint64_t len;
	uint64_t rng;
	uint8_t src[RS_BUF];
	uint8_t dst[RS_BUF];
};

struct rs_state {
	struct dmae_chan *chans[RS_CHANS];
	struct rs_chain chains[RS_CHAINS];
	unsigned int steps;
	atomic_uint finished;
	atomic_uint verified;
	atomic_uint bad_data;
	atomic_uint bad_ctx;
	atomic_int err;
	atomic_uint_fast64_t transfers;
	struct dmae_completion all_done;
};

static enum dmae_cb_ctx rs_ctx(const struct rs_chain *ch)
{
	return all_ctx[(ch->id + ch->step) % 3];
}

static uint64_t rs_seed(const struct rs_chain *ch)
{
	return ((uint64_t)ch->id << 32) | ch->step;
}

static void rs_cb(void *arg, const struct dmae_result *res);

/* Fill the source for the chain's current step and submit it. */
static int rs_submit(struct rs_chain *ch)
{
	struct dmae_chan *c = ch->s->chans[ch->chan];
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	int ret;

	ch->len = 64 * (1 + test_rand_r(&ch->rng) % (RS_BUF / 64));
	if (ch->step % RS_VERIFY_EVERY == 0)
		test_fill_pattern(ch->src, ch->len, rs_seed(ch));
	ret = dmae_chan_prep_memcpy(c, dmae_addr_of(ch->dst), dmae_addr_of(ch->src), ch->len,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (ret)
		return ret;
	ret = dmae_desc_set_callback(d, rs_cb, ch, rs_ctx(ch));
	if (ret)
		return ret;
	cookie = dmae_desc_submit(d);
	if (cookie < 0)
		return cookie;
	ret = dmae_chan_issue_pending(c);
	return ret < 0 ? ret : 0;
}

static void rs_cb(void *arg, const struct dmae_result *res)
{
	struct rs_chain *ch = arg;
	struct rs_state *s = ch->s;
	int ret;

	atomic_fetch_add_explicit(&s->transfers, 1, memory_order_relaxed);
	if (res->code != DMAE_RESULT_OK || res->residue)
		atomic_store(&s->err, -EIO);
	if (dmae_ctx_current() !=
	    (rs_ctx(ch) == DMAE_CB_HARDIRQ ? DMAE_CTX_HARDIRQ
	     : rs_ctx(ch) == DMAE_CB_BH    ? DMAE_CTX_BH
					   : DMAE_CTX_TASK))
		atomic_fetch_add(&s->bad_ctx, 1);
	if (ch->step % RS_VERIFY_EVERY == 0) {
		if (test_check_pattern(ch->dst, ch->len, rs_seed(ch)) >= 0)
			atomic_fetch_add(&s->bad_data, 1);
		atomic_fetch_add(&s->verified, 1);
	}
	if (++ch->step == s->steps) {
		if (atomic_fetch_add(&s->finished, 1) + 1 == RS_CHAINS)
			dmae_completion_done(&s->all_done);
		return;
	}
	ch->chan = (ch->chan + 1) % RS_CHANS;	/* the next one on another channel */
	ret = rs_submit(ch);
	if (ret) {
		atomic_store(&s->err, ret);
		if (atomic_fetch_add(&s->finished, 1) + 1 == RS_CHAINS)
			dmae_completion_done(&s->all_done);
	}
}

DMAE_TEST(stress_callback_resubmit)
{
	static struct rs_state s;
	struct dmae_swdma_config cfg = { .nr_chans = RS_CHANS, .nr_workers = 2, .burst = 2048 };
	struct dmae_chan_stats st;
	struct test_env env;
	uint64_t completed = 0;
	unsigned int i, k;

	memset(&s, 0, sizeof(s));
	s.steps = ROUNDS(5000, 4000, 2000);
	dmae_completion_init(&s.all_done);
	test_swdma_setup(&env, &cfg);
	for (k = 0; k < RS_CHANS; k++)
		s.chans[k] = test_chan_memcpy(&env, RS_CHAINS + 8);	/* room for every chain */
	for (i = 0; i < RS_CHAINS; i++) {
		struct rs_chain *ch = &s.chains[i];

		ch->s = &s;
		ch->id = i;
		ch->chan = i % RS_CHANS;
		ch->rng = (test_rand_seed() ^ (0x9e3779b97f4a7c15ull * (i + 1))) | 1;
	}
	for (i = 0; i < RS_CHAINS; i++)
		ASSERT_OK(rs_submit(&s.chains[i]));
	wait_guarded(&s.all_done);

	ASSERT_OK(atomic_load(&s.err));
	ASSERT_EQ(atomic_load(&s.bad_ctx), 0);
	ASSERT_EQ(atomic_load(&s.bad_data), 0);
	ASSERT_GT(atomic_load(&s.verified), 0);
	ASSERT_EQ(atomic_load(&s.transfers), (uint64_t)RS_CHAINS * s.steps);
	for (k = 0; k < RS_CHANS; k++) {
		ASSERT_OK(dmae_chan_synchronize(s.chans[k]));
		ASSERT_OK(dmae_chan_stats_get(s.chans[k], &st));
		ASSERT_EQ(st.completed, st.submitted);
		ASSERT_EQ(st.errors, 0);
		ASSERT_EQ(st.pool_free, st.pool_size);
		completed += st.completed;
	}
	ASSERT_EQ(completed, (uint64_t)RS_CHAINS * s.steps);
	for (k = 0; k < RS_CHANS; k++)
		ASSERT_OK(dmae_chan_release(s.chans[k]));
	test_swdma_teardown(&env);
}

/* ---- a one-submitter channel against every other caller ------------------------ */

#define OS_POOL 64
#define OS_LEN 256

struct one_sub {
	struct dmae_chan *chan;
	atomic_int newest;		/* a cookie the submitter got back */
	atomic_bool stop;
	atomic_uint_fast64_t callbacks;
	atomic_uint terminates;
};

static void os_cb(void *arg, const struct dmae_result *res)
{
	struct one_sub *o = arg;

	(void)res;
	atomic_fetch_add(&o->callbacks, 1);
}

/*
 * Any thread but the submitter: status on a cookie the submitter was
 * given (never -EINVAL: it was issued by this channel), statistics, the
 * doorbell and, now and then, terminate_sync (which gives the terminated
 * descriptors back to the pool) -- all while the submitter preps
 * and submits without the lock.
 */
static void *os_other(void *arg)
{
	struct one_sub *o = arg;
	struct dmae_chan_stats st;
	struct dmae_tx_state ts;
	unsigned int i = 0;

	while (!atomic_load(&o->stop)) {
		dmae_cookie_t ck = atomic_load(&o->newest);

		if (ck)
			ASSERT_GE(dmae_chan_status(o->chan, ck, &ts), 0);
		ASSERT_OK(dmae_chan_stats_get(o->chan, &st));
		ASSERT_LE(st.pool_free, st.pool_size);
		ASSERT_NOERR(dmae_chan_issue_pending(o->chan));
		if (++i % 256 == 0) {
			ASSERT_OK(dmae_chan_terminate_sync(o->chan));
			atomic_fetch_add(&o->terminates, 1);
		}
		sched_yield();
	}
	return NULL;
}

DMAE_TEST(one_submitter_against_other_threads)
{
	struct dmae_chan_opts opts = { .pool_size = OS_POOL, .flags = DMAE_CHAN_OPT_ONE_SUBMITTER };
	struct dmae_swdma_config cfg = { 0 };
	uint64_t n, total = ROUNDS(200000, 50000, 20000);
	static uint8_t src[OS_LEN], dst[OS_POOL][OS_LEN];
	struct dmae_chan_stats st;
	struct one_sub o = { 0 };
	struct test_env env;
	pthread_t other;

	test_swdma_setup(&env, &cfg);
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, NULL, NULL, &opts, &o.chan));
	ASSERT_EQ(pthread_create(&other, NULL, os_other, &o), 0);
	for (n = 0; n < total; n++) {
		struct dmae_desc *d;
		dmae_cookie_t ck;
		int ret;

		while ((ret = dmae_chan_prep_memcpy(o.chan, dmae_addr_of(dst[n % OS_POOL]),
						    dmae_addr_of(src), OS_LEN,
						    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d)) == -ENOSPC) {
			ASSERT_NOERR(dmae_chan_issue_pending(o.chan));
			sched_yield();
		}
		ASSERT_OK(ret);
		ASSERT_OK(dmae_desc_set_callback(d, os_cb, &o, all_ctx[n % 3]));
		ck = dmae_desc_submit(d);
		ASSERT_GT(ck, 0);
		atomic_store(&o.newest, ck);
		if (n % 16 == 15)
			ASSERT_NOERR(dmae_chan_issue_pending(o.chan));
		/* make sure the run overlaps at least one terminate */
		while (n == total / 2 && !atomic_load(&o.terminates))
			sched_yield();
	}
	atomic_store(&o.stop, true);
	ASSERT_EQ(pthread_join(other, NULL), 0);
	ASSERT_OK(dmae_chan_terminate_sync(o.chan));
	ASSERT_OK(dmae_chan_stats_get(o.chan, &st));
	/* every descriptor either completed or was terminated, and came back */
	ASSERT_EQ(st.submitted, total);
	ASSERT_EQ(st.completed + st.terminated, total);
	ASSERT_LE(atomic_load(&o.callbacks), st.completed);
	ASSERT_EQ(st.pool_free, OS_POOL);
	ASSERT_GT(atomic_load(&o.terminates), 0);
	ASSERT_OK(dmae_chan_release(o.chan));
	test_swdma_teardown(&env);
}
