/* SPDX-License-Identifier: MIT */
/*
 * tests/test_fastpath.c - the polled burst fast path (dmae/fastpath.h):
 * swdma's native ring and the core's generic implementation (over a fake
 * provider defined here that can fail a chosen operation), ordering,
 * ring full, error indexing, terminate, and interleaving with the
 * descriptor API on one channel.
 *
 * No timing assertions: every wait polls until a condition holds, with a
 * deadlock guard far above what a correct run needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/fastpath.h>
#include <dmae/vchan.h>

#include "core/core.h"
#include "providers/swdma/swdma_internal.h"
#include "test.h"

#define GUARD_NS (UINT64_C(60) * 1000000000u)

static struct dmae_chan *request(struct test_env *env, struct dmae_provider *only);

/* Poll until n operations were reported OK; returns the last index. */
static uint16_t reap(struct dmae_fp *fp, unsigned int n)
{
	uint64_t t0 = test_now_ns();
	uint16_t last = 0xffff;

	while (n) {
		bool err = true;
		uint16_t got = dmae_fp_completed(fp, (uint16_t)(n > 0xffff ? 0xffff : n), &last, &err);

		ASSERT_FALSE(err);
		ASSERT_LE(got, n);
		n -= got;
		if (test_now_ns() - t0 > GUARD_NS)
			TEST_FAIL("fast path completions stuck, %u missing", n);
	}
	return last;
}

/* ---- a fake provider without fp_init: exercises the generic path ---------- */

struct fake_desc {
	struct dmae_desc d;
	bool fill;
	uint8_t value;
	dmae_addr_t dst, src;
};

static struct {
	struct dmae_provider p;
	struct dmae_vchan vc;
	struct dmae_irq *irq;
	atomic_uint ran;	/* operations run so far */
	atomic_int fail_at;	/* run number that fails, -1: none */
} fake;

static int fake_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
			    dmae_addr_t src, uint64_t len)
{
	struct fake_desc *fd = (struct fake_desc *)d;

	(void)chan;
	(void)len;
	fd->fill = false;
	fd->dst = dst;
	fd->src = src;
	return 0;
}

static int fake_prep_memset(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
			    uint8_t value, uint64_t len)
{
	struct fake_desc *fd = (struct fake_desc *)d;

	(void)chan;
	(void)len;
	fd->fill = true;
	fd->value = value;
	fd->dst = dst;
	return 0;
}

/* The "hardware" starts everything issued; the IRQ handler runs it. */
static void fake_issue_pending(struct dmae_chan *chan)
{
	while (dmae_vchan_start_next(dmae_to_vchan(chan)))
		;
	dmae_irq_raise(fake.irq);
}

static void fake_terminate(struct dmae_chan *chan)
{
	(void)chan;
}

static void fake_synchronize(struct dmae_chan *chan)
{
	(void)chan;
}

static enum dmae_irqreturn fake_irq(void *arg)
{
	struct dmae_desc *d;
	dmae_irqflags_t f;

	(void)arg;
	dmae_vchan_lock(&fake.vc, &f);
	while (dmae_vchan_start_next(&fake.vc) || (d = dmae_vchan_first_active(&fake.vc))) {
		d = dmae_vchan_first_active(&fake.vc);
		struct fake_desc *fd = (struct fake_desc *)d;
		int run = (int)atomic_fetch_add(&fake.ran, 1);

		if (run == atomic_load(&fake.fail_at)) {
			dmae_vchan_complete(d, DMAE_RESULT_WRITE_FAILED, d->len);
			continue;
		}
		if (fd->fill)
			memset((void *)(uintptr_t)fd->dst, fd->value, d->len);
		else
			memcpy((void *)(uintptr_t)fd->dst, (const void *)(uintptr_t)fd->src, d->len);
		dmae_vchan_complete(d, DMAE_RESULT_OK, 0);
	}
	dmae_vchan_unlock(&fake.vc, f);
	return DMAE_IRQ_HANDLED;
}

/* Deliberately the size of the ops table without the fast path ops' use. */
static const struct dmae_provider_ops fake_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.prep_memcpy = fake_prep_memcpy,
	.prep_memset = fake_prep_memset,
	.issue_pending = fake_issue_pending,
	.terminate = fake_terminate,
	.synchronize = fake_synchronize,
};

static void fake_setup(struct test_env *env, uint32_t pool)
{
	test_swdma_setup(env, NULL);
	memset(&fake, 0, sizeof(fake));
	atomic_store(&fake.fail_at, -1);
	dmae_provider_init(&fake.p);
	snprintf(fake.p.name, sizeof(fake.p.name), "fake-fp");
	fake.p.ops = &fake_ops;
	fake.p.caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 1,
		.min_burst = 1,
		.max_burst = 1,
		.residue = DMAE_RESIDUE_DESCRIPTOR,
		.terminate = true,
	};
	fake.p.desc_size = sizeof(struct fake_desc);
	fake.p.default_pool_size = pool;
	dmae_vchan_init(&fake.vc, &fake.p, 0);
	ASSERT_OK(dmae_irq_request("fake-fp", fake_irq, NULL, &fake.irq));
	fake.p.irq = fake.irq;
	ASSERT_OK(dmae_provider_register(&fake.p));
}

static void fake_teardown(struct test_env *env)
{
	ASSERT_OK(dmae_provider_unregister(&fake.p));
	dmae_irq_free(fake.irq);
	test_swdma_teardown(env);
}

static bool filter_provider(struct dmae_chan *chan, void *arg)
{
	return chan->provider == arg;
}

static struct dmae_chan *request(struct test_env *env, struct dmae_provider *only)
{
	struct dmae_chan *c;

	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, filter_provider, only,
					 NULL, &c));
	return c;
}

static struct dmae_provider *swdma_provider(struct test_env *env)
{
	struct dmae_chan *c;
	struct dmae_provider *p;

	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	p = c->provider;
	ASSERT_OK(dmae_chan_release(c));
	return p;
}

/* ---- shared bodies, run on swdma and on the generic path ------------------------ */

/* n copies of 64 bytes, in order, indices 0.., data checked. */
static void body_copy_in_order(struct dmae_fp *fp, unsigned int n)
{
	uint8_t *src = malloc((size_t)n * 64), *dst = calloc(n, 64);
	unsigned int i;
	int base = -1;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, (size_t)n * 64, 7);
	for (i = 0; i < n; i++) {
		int idx;

		while ((idx = dmae_fp_copy(fp, dmae_addr_of(dst + i * 64),
					   dmae_addr_of(src + i * 64), 64,
					   i % 16 == 15 ? DMAE_FP_SUBMIT : 0)) == -ENOSPC) {
			ASSERT_OK(dmae_fp_submit(fp));
			reap(fp, 1);
		}
		if (base < 0)
			base = idx;
		ASSERT_EQ(idx, (int)((base + i) & 0xffff));
	}
	ASSERT_OK(dmae_fp_submit(fp));
	/* whatever was not reaped above is reaped now, the last index is n - 1 */
	{
		uint64_t t0 = test_now_ns();
		uint16_t last = 0;
		bool err;

		for (;;) {
			uint16_t got = dmae_fp_completed(fp, 64, &last, &err);

			ASSERT_FALSE(err);
			if (!got && dmae_fp_capacity(fp) == fp->ring_size)
				break;
			ASSERT_LT(test_now_ns() - t0, GUARD_NS);
		}
		ASSERT_EQ(last, (uint16_t)(base + n - 1));
	}
	ASSERT_MEM_EQ(dst, src, (size_t)n * 64);
	free(src);
	free(dst);
}

/* Ring (or pool) full: -ENOSPC, capacity 0, and recovery after reaping. */
static void body_ring_full(struct dmae_fp *fp)
{
	static uint8_t src[64], dst[64];
	unsigned int n = 0, cap = dmae_fp_capacity(fp);
	int ret, prev = -1;

	ASSERT_GT(cap, 0u);
	while ((ret = dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, 0)) >= 0) {
		if (prev >= 0)
			ASSERT_EQ(ret, (prev + 1) & 0xffff);
		prev = ret;
		n++;
	}
	ASSERT_EQ(ret, -ENOSPC);
	ASSERT_EQ(n, cap);
	ASSERT_EQ(dmae_fp_capacity(fp), 0u);
	ASSERT_ERR(dmae_fp_fill(fp, dmae_addr_of(dst), 1, 64, 0), -ENOSPC);
	ASSERT_OK(dmae_fp_submit(fp));
	reap(fp, n);
	ASSERT_EQ(dmae_fp_capacity(fp), cap);
	ret = dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT);
	ASSERT_EQ(ret, (prev + 1) & 0xffff);
	reap(fp, 1);
}

/* Nothing starts before the doorbell. */
static void body_doorbell(struct dmae_fp *fp)
{
	static uint8_t dst[256];
	uint16_t last;
	bool err;

	memset(dst, 0, sizeof(dst));
	ASSERT_NOERR(dmae_fp_fill(fp, dmae_addr_of(dst), 0xa5, 128, 0));
	ASSERT_NOERR(dmae_fp_fill(fp, dmae_addr_of(dst + 128), 0x5a, 128, DMAE_FP_FENCE));
	test_sleep_ms(20);
	ASSERT_EQ(dmae_fp_completed(fp, 8, &last, &err), 0u);
	ASSERT_EQ(dst[0], 0u);
	ASSERT_EQ(dst[255], 0u);
	ASSERT_OK(dmae_fp_submit(fp));
	reap(fp, 2);
	ASSERT_EQ(dst[0], 0xa5u);
	ASSERT_EQ(dst[127], 0xa5u);
	ASSERT_EQ(dst[128], 0x5au);
	ASSERT_EQ(dst[255], 0x5au);
}

/*
 * Ops 0..4 succeed, op fail_idx fails, the rest succeed: completed()
 * stops right before it, completed_status() reports it with its code.
 */
static void body_error_index(struct dmae_fp *fp, void (*arm)(void), unsigned int fail_idx)
{
	static uint8_t src[16][64], dst[16][64];
	enum dmae_result_code codes[16];
	unsigned int i, got = 0;
	uint64_t t0 = test_now_ns();
	uint16_t last = 0;
	bool err = false;

	memset(dst, 0, sizeof(dst));
	memset(src, 0x33, sizeof(src));
	for (i = 0; i < fail_idx; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), 64, 0));
	ASSERT_OK(dmae_fp_submit(fp));
	ASSERT_EQ(reap(fp, fail_idx), (uint16_t)(fail_idx - 1));
	arm();
	for (i = fail_idx; i < 16; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), 64, 0));
	ASSERT_OK(dmae_fp_submit(fp));
	/* completed() never goes past the failed op */
	while (!err) {
		ASSERT_EQ(dmae_fp_completed(fp, 16, &last, &err), 0u);
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	}
	ASSERT_EQ(dmae_fp_completed(fp, 16, &last, &err), 0u);
	ASSERT_TRUE(err);
	while (got < 16 - fail_idx) {
		uint16_t n = dmae_fp_completed_status(fp, 16, &last, codes + got);

		got += n;
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	}
	ASSERT_EQ(last, 15u);
	ASSERT_EQ(codes[0], DMAE_RESULT_WRITE_FAILED);
	for (i = 1; i < 16 - fail_idx; i++)
		ASSERT_EQ(codes[i], DMAE_RESULT_OK);
	ASSERT_EQ(dst[fail_idx][0], 0u);
	for (i = 0; i < 16; i++) {
		if (i != fail_idx)
			ASSERT_EQ(dst[i][63], 0x33u);
	}
	/* and the error is consumed: the next op is clean */
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst[0]), dmae_addr_of(src[0]), 64,
				  DMAE_FP_SUBMIT));
	reap(fp, 1);
}

/*
 * The descriptor API and the fast path on one channel: a dependency chain
 * that alternates between them (each step waits for the previous one),
 * then both used at once: all data right, each API in its own order.
 */
static void body_interleave(struct dmae_chan *chan, struct dmae_fp *fp)
{
	enum { STEPS = 64, N = 200 };
	static uint8_t buf[STEPS + 1][256];
	static uint8_t s[2 * N][64], d[2 * N][64];
	dmae_cookie_t cookies[N];
	unsigned int i, nfp = 0, ndesc = 0;
	struct dmae_tx_state st;
	uint64_t t0;

	test_fill_pattern(buf[0], sizeof(buf[0]), 99);
	for (i = 0; i < STEPS; i++) {
		if (i % 2) {
			ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(buf[i + 1]), dmae_addr_of(buf[i]),
						  256, DMAE_FP_SUBMIT));
			reap(fp, 1);
		} else {
			struct dmae_desc *desc;
			dmae_cookie_t c;

			ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(buf[i + 1]),
							dmae_addr_of(buf[i]), 256, DMAE_PREP_ACK,
							&desc));
			c = dmae_desc_submit(desc);
			ASSERT_GT(c, 0);
			ASSERT_NOERR(dmae_chan_issue_pending(chan));
			t0 = test_now_ns();
			while (dmae_chan_status(chan, c, NULL) != DMAE_COMPLETE)
				ASSERT_LT(test_now_ns() - t0, GUARD_NS);
		}
	}
	ASSERT_PATTERN(buf[STEPS], 256, 99);

	/* both at once: alternate enqueues, doorbells of both kinds */
	for (i = 0; i < 2 * N; i++)
		test_fill_pattern(s[i], 64, 1000 + i);
	memset(d, 0, sizeof(d));
	for (i = 0; i < 2 * N; i++) {
		if (i % 2) {
			int idx;

			while ((idx = dmae_fp_copy(fp, dmae_addr_of(d[i]), dmae_addr_of(s[i]), 64,
						   DMAE_FP_SUBMIT)) == -ENOSPC)
				reap(fp, 1);
			ASSERT_GE(idx, 0);
			nfp++;
		} else {
			struct dmae_desc *desc;
			int ret;

			t0 = test_now_ns();
			while ((ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(d[i]), dmae_addr_of(s[i]),
							    64, DMAE_PREP_ACK, &desc)) == -ENOSPC) {
				dmae_chan_status(chan, cookies[ndesc - 1], NULL);
				dmae_fp_completed(fp, 1, NULL, NULL);	/* shared pool */
				nfp--;
				ASSERT_LT(test_now_ns() - t0, GUARD_NS);
			}
			ASSERT_OK(ret);
			cookies[ndesc] = dmae_desc_submit(desc);
			ASSERT_GT(cookies[ndesc], 0);
			if (ndesc)	/* the generic fast path takes cookies too */
				ASSERT_GT(cookies[ndesc], cookies[ndesc - 1]);
			ndesc++;
			ASSERT_NOERR(dmae_chan_issue_pending(chan));
		}
	}
	t0 = test_now_ns();
	while (dmae_chan_status(chan, cookies[ndesc - 1], &st) != DMAE_COMPLETE)
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	/* descriptor completion is in order: every earlier cookie is complete */
	for (i = 0; i < ndesc; i++)
		ASSERT_EQ(dmae_chan_status(chan, cookies[i], NULL), DMAE_COMPLETE);
	while (dmae_fp_capacity(fp) != fp->ring_size) {
		bool err;

		dmae_fp_completed(fp, 64, NULL, &err);
		ASSERT_FALSE(err);
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	}
	(void)nfp;
	for (i = 0; i < 2 * N; i++)
		ASSERT_PATTERN(d[i], 64, 1000 + i);
}

/* ---- swdma ----------------------------------------------------------------------- */

DMAE_TEST(swdma_copy_in_order)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp, *again;

	test_swdma_setup(&env, NULL);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_OK(dmae_chan_fp_get(c, &again));
	ASSERT_PTR_EQ(fp, again);
	ASSERT_STR_EQ(fp->impl, "swdma");
	ASSERT_EQ(fp->ring_size, 1024u);
	ASSERT_EQ(dmae_fp_capacity(fp), 1024u);
	body_copy_in_order(fp, 70000);	/* wraps the 16-bit index */
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

DMAE_TEST(swdma_ring_full)
{
	struct dmae_swdma_config cfg = { .fp_ring = 64 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	test_swdma_setup(&env, &cfg);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_EQ(dmae_fp_capacity(fp), 64u);
	body_ring_full(fp);
	body_ring_full(fp);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* swdma packs the length into the addresses' upper bits: wider ones are refused. */
DMAE_TEST(swdma_address_too_wide)
{
	static unsigned char src[64], dst[64];
	const dmae_addr_t wide = UINT64_C(1) << 50;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	int idx;

	test_swdma_setup(&env, NULL);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_ERR(dmae_fp_copy(fp, dmae_addr_of(dst) | wide, dmae_addr_of(src), 64, 0), -EINVAL);
	ASSERT_ERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src) | wide, 64, 0), -EINVAL);
	ASSERT_ERR(dmae_fp_fill(fp, dmae_addr_of(dst) | wide, 7, 64, 0), -EINVAL);
	/* nothing was enqueued; the ring still works */
	memset(dst, 0, sizeof(dst));
	memset(src, 9, sizeof(src));
	idx = dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT);
	ASSERT_EQ(idx, 0);	/* the refused ones took no index */
	ASSERT_EQ(reap(fp, 1), idx);
	ASSERT_MEM_EQ(dst, src, sizeof(dst));
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

DMAE_TEST(swdma_doorbell)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	test_swdma_setup(&env, NULL);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_doorbell(fp);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

static struct dmae_chan *armed_chan;

static void swdma_arm(void)
{
	ASSERT_OK(dmae__swdma_fail_next(armed_chan, 1, DMAE_RESULT_WRITE_FAILED));
}

DMAE_TEST(swdma_error_index)
{
	struct test_env env;
	struct dmae_fp *fp;

	test_swdma_setup(&env, NULL);
	armed_chan = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(armed_chan, &fp));
	body_error_index(fp, swdma_arm, 5);
	ASSERT_OK(dmae_chan_release(armed_chan));
	test_swdma_teardown(&env);
}

DMAE_TEST(swdma_interleave_with_descriptors)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	test_swdma_setup(&env, NULL);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_interleave(c, fp);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* Large ops split among workers land right. */
DMAE_TEST(swdma_split_copy)
{
	struct dmae_swdma_config cfg = { .nr_workers = 3, .split_min = 64 << 10,
					 .split_chunk = 4096 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	size_t len = (1u << 20) + 123;
	uint8_t *src = malloc(len), *dst = calloc(1, len), *fil = malloc(len);
	unsigned int round;

	test_swdma_setup(&env, &cfg);
	c = request(&env, swdma_provider(&env));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	for (round = 0; round < 20; round++) {
		test_fill_pattern(src, len, round);
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), (uint32_t)len, 0));
		ASSERT_NOERR(dmae_fp_fill(fp, dmae_addr_of(fil), (uint8_t)round, (uint32_t)len,
					  DMAE_FP_SUBMIT));
		reap(fp, 2);
		ASSERT_PATTERN(dst, len, round);
		ASSERT_EQ(fil[0], round);
		ASSERT_EQ(fil[len - 1], round);
		ASSERT_EQ(fil[len / 2], round);
	}
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
	free(fil);
}

/*
 * Terminate with fast path ops in flight: every op enqueued before it is
 * reported (done, or ABORTED), none is lost; the ring works afterwards;
 * a released and re-requested channel starts again at index 0.
 */
DMAE_TEST(swdma_terminate)
{
	enum { N = 512 };
	struct test_env env;
	struct dmae_provider *p;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	enum dmae_result_code codes[N];
	size_t len = 256 << 10;
	uint8_t *src = calloc(1, len), *dst = calloc(1, len);
	unsigned int i, got = 0, aborted = 0;
	uint64_t t0;

	test_swdma_setup(&env, NULL);
	p = swdma_provider(&env);
	c = request(&env, p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	for (i = 0; i < N; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), (uint32_t)len,
					  i == N / 2 ? DMAE_FP_SUBMIT : 0));
	ASSERT_OK(dmae_chan_terminate_sync(c));
	ASSERT_OK(dmae_fp_submit(fp));
	t0 = test_now_ns();
	while (got < N) {
		got += dmae_fp_completed_status(fp, N, NULL, codes + got);
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	}
	for (i = 0; i < N; i++) {
		if (codes[i] == DMAE_RESULT_ABORTED)
			aborted++;
		else
			ASSERT_EQ(aborted, 0u);	/* aborted ones are a suffix */
		ASSERT_TRUE(codes[i] == DMAE_RESULT_OK || codes[i] == DMAE_RESULT_ABORTED);
	}
	ASSERT_GE(aborted, (unsigned int)N / 2);
	body_copy_in_order(fp, 100);
	ASSERT_OK(dmae_chan_release(c));

	c = request(&env, p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_EQ(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT), 0);
	reap(fp, 1);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

DMAE_TEST(debug_argument_checks)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	static uint8_t buf[64];

	if (!dmae_debug_enabled())
		TEST_SKIP("argument checks are compiled in debug builds only");
	test_swdma_setup(&env, NULL);
	c = request(&env, swdma_provider(&env));
	ASSERT_ERR(dmae_chan_fp_get(NULL, &fp), -EINVAL);
	ASSERT_ERR(dmae_chan_fp_get(c, NULL), -EINVAL);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	test_log_capture_start();
	ASSERT_ERR(dmae_fp_copy(fp, 0, dmae_addr_of(buf), 64, 0), -EINVAL);
	ASSERT_ERR(dmae_fp_copy(fp, dmae_addr_of(buf), 0, 64, 0), -EINVAL);
	ASSERT_ERR(dmae_fp_copy(fp, dmae_addr_of(buf), dmae_addr_of(buf), 0, 0), -EINVAL);
	ASSERT_ERR(dmae_fp_fill(fp, dmae_addr_of(buf), 0, 64, 0x80), -EINVAL);
	ASSERT_ERR(dmae_fp_copy(NULL, dmae_addr_of(buf), dmae_addr_of(buf), 64, 0), -EINVAL);
	ASSERT_LOGGED("zero length");
	test_log_capture_stop();
	ASSERT_EQ(dmae_fp_capacity(fp), fp->ring_size);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_ERR(dmae_chan_fp_get(c, &fp), -EBADF);
	test_swdma_teardown(&env);
}

/* ---- the generic implementation ------------------------------------------------------ */

DMAE_TEST(generic_copy_in_order)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	fake_setup(&env, 128);
	c = request(&env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_STR_EQ(fp->impl, "generic");
	ASSERT_EQ(fp->ring_size, 128u);
	body_copy_in_order(fp, 70000);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

DMAE_TEST(generic_ring_full)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	struct dmae_desc *d;

	fake_setup(&env, 16);
	c = request(&env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_ring_full(fp);
	/* the pool is shared with descriptor users: one held descriptor less */
	ASSERT_OK(dmae_chan_prep_memcpy(c, 0x1000, 0x2000, 64, 0, &d));
	ASSERT_EQ(dmae_fp_capacity(fp), 15u);
	body_ring_full(fp);
	ASSERT_OK(dmae_desc_free(d));
	ASSERT_EQ(dmae_fp_capacity(fp), 16u);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

DMAE_TEST(generic_doorbell)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	fake_setup(&env, 64);
	c = request(&env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_doorbell(fp);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

static void fake_arm(void)
{
	atomic_store(&fake.fail_at, (int)atomic_load(&fake.ran));
}

DMAE_TEST(generic_error_index)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	fake_setup(&env, 64);
	c = request(&env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_error_index(fp, fake_arm, 5);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

DMAE_TEST(generic_interleave_with_descriptors)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	fake_setup(&env, 64);
	c = request(&env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	body_interleave(c, fp);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}
