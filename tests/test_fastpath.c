/* SPDX-License-Identifier: MIT */
/*
 * tests/test_fastpath.c - the polled burst fast path (dmae/fastpath.h):
 * swdma's native ring and the core's generic implementation (over a fake
 * provider defined here that can fail a chosen operation), ordering,
 * ring full, error indexing, terminate, dmae_fp_wait(), split jobs
 * (fences and errors inside them), non-temporal and measured moves, and
 * interleaving with the descriptor API on one channel.
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

/*
 * Sleep until the oldest n ops completed, then report them with a single
 * dmae_fp_completed(): after dmae_fp_wait() they are all there.  Returns
 * the last index.
 */
static uint16_t wait_reap(struct dmae_fp *fp, uint16_t n)
{
	uint16_t last = 0xffff;
	bool err = true;

	ASSERT_OK(dmae_fp_wait(fp, n, GUARD_NS));
	ASSERT_EQ(dmae_fp_completed(fp, n, &last, &err), n);
	ASSERT_FALSE(err);
	return last;
}

/*
 * Report n ops with their result codes in codes[]: wait, report what is
 * there, again until all n are.  Each wait must have made progress.
 */
static uint16_t wait_status(struct dmae_fp *fp, uint16_t n, enum dmae_result_code *codes)
{
	uint16_t got = 0, last = 0xffff;

	while (got < n) {
		uint16_t k;

		ASSERT_OK(dmae_fp_wait(fp, (uint16_t)(n - got), GUARD_NS));
		k = dmae_fp_completed_status(fp, (uint16_t)(n - got), &last, codes + got);
		ASSERT_GT(k, 0u);
		got = (uint16_t)(got + k);
	}
	return last;
}

/* Offset of the first byte of p[0 .. len) other than v, or -1. */
static long long first_not(const uint8_t *p, size_t len, uint8_t v)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != v)
			return (long long)i;
	}
	return -1;
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

/* The fake provider with a pool of pool descriptors, its channel and its fast path. */
static struct dmae_chan *fake_open(struct test_env *env, uint32_t pool, struct dmae_fp **fp)
{
	struct dmae_chan *c;

	fake_setup(env, pool);
	c = request(env, &fake.p);
	ASSERT_OK(dmae_chan_fp_get(c, fp));
	return c;
}

/* A swdma engine configured by cfg (NULL: defaults), one of its channels and its fast path. */
static struct dmae_chan *swdma_open(struct test_env *env, const struct dmae_swdma_config *cfg,
				    struct dmae_fp **fp)
{
	struct dmae_chan *c;

	test_swdma_setup(env, cfg);
	c = request(env, swdma_provider(env));
	ASSERT_OK(dmae_chan_fp_get(c, fp));
	return c;
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

	c = swdma_open(&env, NULL, &fp);
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

	c = swdma_open(&env, &cfg, &fp);
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

	c = swdma_open(&env, NULL, &fp);
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

	c = swdma_open(&env, NULL, &fp);
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

	armed_chan = swdma_open(&env, NULL, &fp);
	body_error_index(fp, swdma_arm, 5);
	ASSERT_OK(dmae_chan_release(armed_chan));
	test_swdma_teardown(&env);
}

DMAE_TEST(swdma_interleave_with_descriptors)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	c = swdma_open(&env, NULL, &fp);
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

	c = swdma_open(&env, &cfg, &fp);
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

/*
 * Ops enqueued without a doorbell are reported too when the channel is
 * terminated: after dmae_chan_terminate_sync() the client, ringing
 * nothing, finds every one of them completed as ABORTED.
 */
DMAE_TEST(swdma_terminate_reports_unrung_ops)
{
	enum { N = 64 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	enum dmae_result_code codes[N];
	static uint8_t src[N][64], dst[N][64];
	unsigned int i, got = 0;
	uint64_t t0;

	c = swdma_open(&env, NULL, &fp);
	for (i = 0; i < N; i++)
		ASSERT_EQ(dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), 64, 0),
			  (int)i);
	ASSERT_OK(dmae_chan_terminate_sync(c));
	t0 = test_now_ns();
	while (got < N) {
		got += dmae_fp_completed_status(fp, N, NULL, codes + got);
		if (test_now_ns() - t0 > GUARD_NS)
			TEST_FAIL("%u of %u enqueued ops never reported after terminate", N - got,
				  (unsigned int)N);
	}
	for (i = 0; i < N; i++)
		ASSERT_EQ(codes[i], DMAE_RESULT_ABORTED);
	ASSERT_EQ(dmae_fp_capacity(fp), fp->ring_size);
	body_copy_in_order(fp, 100);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
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

/* ---- dmae_fp_wait() ------------------------------------------------------------------ */

/*
 * dmae_fp_wait() on swdma: when it returns, a single dmae_fp_completed()
 * (no polling loop) reports what it waited for.  A count above what the
 * doorbell started is capped; ops not doorbelled are not waited for.
 */
DMAE_TEST(swdma_wait)
{
	enum { N = 64, LEN = 64 << 10 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	uint8_t *src = malloc((size_t)N * LEN), *dst = malloc((size_t)N * LEN);
	unsigned int i, round, rounds = UNDER_TSAN ? 200 : 2000;
	uint16_t last = 0;
	bool err = true;
	int base = 0;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	c = swdma_open(&env, NULL, &fp);

	/* nothing outstanding: 0 at once, even with no time at all to wait */
	ASSERT_OK(dmae_fp_wait(fp, 1, 0));
	ASSERT_OK(dmae_fp_wait(fp, 0xffff, UINT64_MAX));

	/* N large copies: all at once, or 8 then the rest (count above it: capped) */
	for (round = 0; round < 4; round++) {
		test_fill_pattern(src, (size_t)N * LEN, 100 + round);
		memset(dst, 0, (size_t)N * LEN);
		for (i = 0; i < N; i++) {
			int idx = dmae_fp_copy(fp, dmae_addr_of(dst + (size_t)i * LEN),
					       dmae_addr_of(src + (size_t)i * LEN), LEN,
					       i == N - 1 ? DMAE_FP_SUBMIT : 0);

			ASSERT_GE(idx, 0);
			if (!i)
				base = idx;
		}
		if (round % 2) {
			ASSERT_OK(dmae_fp_wait(fp, N, UINT64_MAX));
			ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), (uint16_t)N);
		} else {
			ASSERT_OK(dmae_fp_wait(fp, 8, UINT64_MAX));
			ASSERT_EQ(dmae_fp_completed(fp, 8, &last, &err), 8u);
			ASSERT_FALSE(err);
			ASSERT_EQ(last, (uint16_t)(base + 7));
			ASSERT_OK(dmae_fp_wait(fp, N, UINT64_MAX));
			ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), (uint16_t)(N - 8));
		}
		ASSERT_FALSE(err);
		ASSERT_EQ(last, (uint16_t)(base + N - 1));
		ASSERT_MEM_EQ(dst, src, (size_t)N * LEN);
		ASSERT_EQ(dmae_fp_capacity(fp), fp->ring_size);
	}

	/* a count far above the 3 outstanding waits for those 3 */
	memset(dst, 0, 3 * LEN);
	for (i = 0; i < 3; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst + i * LEN),
					  dmae_addr_of(src + i * LEN), LEN,
					  i == 2 ? DMAE_FP_SUBMIT : 0));
	ASSERT_OK(dmae_fp_wait(fp, 60000, UINT64_MAX));
	ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), 3u);
	ASSERT_FALSE(err);
	ASSERT_MEM_EQ(dst, src, 3 * LEN);

	/* enqueued without the doorbell: nothing to wait for, nothing runs */
	memset(dst, 0, 2 * LEN);
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), LEN, 0));
	ASSERT_NOERR(dmae_fp_fill(fp, dmae_addr_of(dst + LEN), 0x77, LEN, 0));
	ASSERT_OK(dmae_fp_wait(fp, 2, 0));
	ASSERT_OK(dmae_fp_wait(fp, 2, UINT64_MAX));
	ASSERT_EQ(dmae_fp_completed(fp, 2, &last, &err), 0u);
	ASSERT_FALSE(err);
	ASSERT_EQ(first_not(dst, 2 * LEN, 0), -1);
	ASSERT_OK(dmae_fp_submit(fp));
	ASSERT_OK(dmae_fp_wait(fp, 2, UINT64_MAX));
	ASSERT_EQ(dmae_fp_completed(fp, 2, &last, &err), 2u);
	ASSERT_FALSE(err);
	ASSERT_MEM_EQ(dst, src, LEN);
	ASSERT_EQ(first_not(dst + LEN, LEN, 0x77), -1);

	/*
	 * One op per doorbell, 64 B to 64 KiB: the worker finishes before
	 * the client goes to sleep, or after -- the wake-up handshake both
	 * ways, many times (a lost wake-up is a -ETIMEDOUT after GUARD_NS).
	 */
	for (i = 0; i < rounds; i++) {
		uint32_t len = 64u << (i % 11);

		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src + i % 64), len,
					  DMAE_FP_SUBMIT));
		wait_reap(fp, 1);
		ASSERT_MEM_EQ(dst, src + i % 64, len);
	}
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/*
 * A paused channel runs no fast path op: the wait times out (the return
 * code is checked, not the time it took), and nothing was reported.
 * After resume the same wait returns 0 and the ops are all there.
 */
DMAE_TEST(swdma_wait_timeout_when_paused)
{
	enum { N = 8, LEN = 4096 };
	static uint8_t src[N][LEN], dst[N][LEN];
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int i;
	uint16_t last = 0;
	bool err = true;
	int base = 0;

	c = swdma_open(&env, NULL, &fp);
	test_fill_pattern(src, sizeof(src), 31);
	memset(dst, 0, sizeof(dst));
	ASSERT_OK(dmae_chan_pause(c));
	for (i = 0; i < N; i++) {
		int idx = dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
				       i == N - 1 ? DMAE_FP_SUBMIT : 0);

		ASSERT_GE(idx, 0);
		if (!i)
			base = idx;
	}
	ASSERT_ERR(dmae_fp_wait(fp, 1, 0), -ETIMEDOUT);
	ASSERT_ERR(dmae_fp_wait(fp, 1, 2000000), -ETIMEDOUT);
	ASSERT_ERR(dmae_fp_wait(fp, N, 2000000), -ETIMEDOUT);
	ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), 0u);
	ASSERT_FALSE(err);
	ASSERT_EQ(first_not(dst[0], sizeof(dst), 0), -1);
	ASSERT_OK(dmae_chan_resume(c));
	ASSERT_OK(dmae_fp_wait(fp, N, UINT64_MAX));
	ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), (uint16_t)N);
	ASSERT_FALSE(err);
	ASSERT_EQ(last, (uint16_t)(base + N - 1));
	ASSERT_MEM_EQ(dst, src, sizeof(dst));
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/*
 * A failed op counts as completed: dmae_fp_wait() returns 0, the next
 * dmae_fp_completed() stops right before the failed op with has_error
 * (everything before it is there), and dmae_fp_completed_status()
 * reports it at its index.  The failure lands at k = 0, 3, 6 of 8
 * unreported ops: the first k ran (and were waited for) before the fault
 * was armed, so it hits op k.
 */
DMAE_TEST(swdma_wait_wakes_on_failure)
{
	enum { N = 8, LEN = 4096 };
	static uint8_t src[N][LEN], dst[N][LEN];
	enum dmae_result_code codes[N];
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int i, k, got;
	int idx[N];
	uint16_t last = 0;
	bool err = false;

	c = swdma_open(&env, NULL, &fp);
	for (k = 0; k < N; k += 3) {
		test_fill_pattern(src, sizeof(src), 200 + k);
		memset(dst, 0, sizeof(dst));
		for (i = 0; i < k; i++) {
			idx[i] = dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
					      i == k - 1 ? DMAE_FP_SUBMIT : 0);
			ASSERT_GE(idx[i], 0);
		}
		if (k)
			ASSERT_OK(dmae_fp_wait(fp, (uint16_t)k, GUARD_NS));
		ASSERT_OK(dmae__swdma_fail_next(c, 1, DMAE_RESULT_WRITE_FAILED));
		for (i = k; i < N; i++) {
			idx[i] = dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
					      i == N - 1 ? DMAE_FP_SUBMIT : 0);
			ASSERT_GE(idx[i], 0);
		}
		ASSERT_OK(dmae_fp_wait(fp, N, UINT64_MAX));
		ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), (uint16_t)k);
		ASSERT_TRUE(err);
		if (k)
			ASSERT_EQ(last, (uint16_t)idx[k - 1]);
		/* the failed op is there; once it is reported, a wait is for the rest */
		got = dmae_fp_completed_status(fp, N - k, &last, codes);
		ASSERT_GE(got, 1u);
		ASSERT_EQ(codes[0], DMAE_RESULT_WRITE_FAILED);
		if (got < N - k)
			last = wait_status(fp, (uint16_t)(N - k - got), codes + got);
		ASSERT_EQ(last, (uint16_t)idx[N - 1]);
		for (i = 1; i < N - k; i++)
			ASSERT_EQ(codes[i], DMAE_RESULT_OK);
		for (i = 0; i < N; i++) {
			if (i == k)
				ASSERT_EQ(first_not(dst[i], LEN, 0), -1);
			else
				ASSERT_MEM_EQ(dst[i], src[i], LEN);
		}
		ASSERT_EQ(dmae_fp_capacity(fp), fp->ring_size);
	}
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

static struct {
	atomic_uint n;
	char func[64];
} fp_sleep_rep;

/* Count sleeping-call reports and return: the call is then refused. */
static void fp_sleep_hook(const struct dmae_sleep_report *r)
{
	if (atomic_fetch_add(&fp_sleep_rep.n, 1) == 0)
		snprintf(fp_sleep_rep.func, sizeof(fp_sleep_rep.func), "%s",
			 r->func ? r->func : "");
}

/*
 * NULL fast path, count 0, atomic caller.  The atomic caller is refused
 * in every build (the wait could be for this CPU); a debug build also
 * reports the sleeping call, which aborts unless a hook is installed.
 */
DMAE_TEST(wait_argument_errors)
{
	static uint8_t src[64], dst[64];
	dmae_spinlock_t lock = DMAE_SPINLOCK_INIT;
	dmae_sleep_report_fn old;
	dmae_irqflags_t f;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	char line[160];
	int ret1, ret2;

	c = swdma_open(&env, NULL, &fp);
	test_log_capture_start();
	ASSERT_ERR(dmae_fp_wait(NULL, 1, 0), -EINVAL);
	ASSERT_LOGGED("dmae_fp_wait: NULL fast path");
	ASSERT_ERR(dmae_fp_wait(fp, 0, UINT64_MAX), -EINVAL);
	ASSERT_LOGGED("a count of 0");

	/* an op outstanding, so that a wait let through would really wait */
	memset(src, 0x42, sizeof(src));
	memset(dst, 0, sizeof(dst));
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT));
	atomic_store(&fp_sleep_rep.n, 0);
	old = dmae_sleep_report_set_hook(fp_sleep_hook);
	dmae_spin_lock(&lock);
	ret1 = dmae_fp_wait(fp, 1, UINT64_MAX);
	dmae_spin_unlock(&lock);
	dmae_local_irq_save(&f);
	ret2 = dmae_fp_wait(fp, 1, UINT64_MAX);
	dmae_local_irq_restore(f);
	dmae_sleep_report_set_hook(old);
	ASSERT_ERR(ret1, -EPERM);
	ASSERT_ERR(ret2, -EPERM);
	snprintf(line, sizeof(line), "dmae_fp_wait: %s: called from atomic (spinlock held) context",
		 dmae_chan_name(c));
	ASSERT_LOGGED(line);
	snprintf(line, sizeof(line), "dmae_fp_wait: %s: called from atomic (IRQs masked) context",
		 dmae_chan_name(c));
	ASSERT_LOGGED(line);
	if (dmae_debug_enabled()) {
		ASSERT_EQ(atomic_load(&fp_sleep_rep.n), 2u);
		ASSERT_STR_EQ(fp_sleep_rep.func, "dmae_fp_wait");
		ASSERT_LOGGED("BUG: sleeping function called from atomic (spinlock held) context: "
			      "dmae_fp_wait()");
	} else {
		ASSERT_EQ(atomic_load(&fp_sleep_rep.n), 0u);	/* no checker compiled in */
	}
	test_log_capture_stop();
	/* refused, not consumed: from task context the same wait reports it */
	wait_reap(fp, 1);
	ASSERT_MEM_EQ(dst, src, sizeof(dst));
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/* ---- split jobs -------------------------------------------------------------------- */

/*
 * DMAE_FP_FENCE inside runs of large ops that one split job would gather.
 * The fenced op reads what the op before it writes, from that write's
 * last split_chunk on: without the fence its first piece would be taken
 * right after the other op's last piece and copied beside it (stale bytes,
 * in practice within the first rounds), not after it.
 *
 * a -> b (FL bytes), then fenced: b + FL - FCHUNK -> c (FTAIL bytes), and
 * in two-fence rounds also fenced: c + FTAIL - FCHUNK -> e.  The bytes
 * past each written region (b[FL..], c[FTAIL..]) hold the round's tail
 * value, so every byte checked changes from round to round.
 */
enum { FL = 1 << 20, FCHUNK = 4096, FTAIL = 64 << 10, FFILL = 128 << 10, NFILL = 14 };

struct fence_bufs {
	uint8_t *a, *b, *c, *e;
	uint8_t *x, *y;		/* NFILL fillers of FFILL bytes: x[i] -> y[i] */
	unsigned int nfill;	/* fillers enqueued this round */
};

static void fence_filler(struct dmae_fp *fp, struct fence_bufs *fb)
{
	size_t off = (size_t)fb->nfill++ * FFILL;

	ASSERT_LT(fb->nfill, NFILL + 1u);
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(fb->y + off), dmae_addr_of(fb->x + off),
				  FFILL, 0));
}

static void fence_link(struct dmae_fp *fp, uint8_t *dst, const uint8_t *src_end)
{
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src_end - FCHUNK), FTAIL,
				  DMAE_FP_FENCE));
}

DMAE_TEST(swdma_split_fence)
{
	struct dmae_swdma_config cfg = { .nr_workers = 3, .split_min = 64 << 10,
					 .split_chunk = FCHUNK };
	struct fence_bufs fb;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int round, i, nops;

	fb.a = malloc(FL);
	fb.b = malloc(FL + FTAIL);
	fb.c = malloc(2 * FTAIL);
	fb.e = malloc(FTAIL);
	fb.x = malloc((size_t)NFILL * FFILL);
	fb.y = malloc((size_t)NFILL * FFILL);
	ASSERT_TRUE(fb.a && fb.b && fb.c && fb.e && fb.x && fb.y);
	test_fill_pattern(fb.x, (size_t)NFILL * FFILL, 4242);
	memset(fb.b, 0, FL + FTAIL);
	memset(fb.c, 0, 2 * FTAIL);
	c = swdma_open(&env, &cfg, &fp);
	for (round = 0; round < 20; round++) {
		uint8_t tail = (uint8_t)(0x40 + round);
		bool two = round % 4 == 1;

		test_fill_pattern(fb.a, FL, 300 + round);
		memset(fb.b + FL, tail, FTAIL);
		memset(fb.c + FTAIL, tail, FTAIL);
		memset(fb.e, 0, FTAIL);
		memset(fb.y, 0, (size_t)NFILL * FFILL);
		fb.nfill = 0;
		if (round % 4 == 0) {
			/* the fenced op last of the longest run a job takes (16 ops) */
			for (i = 0; i < NFILL; i++)
				fence_filler(fp, &fb);
			ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(fb.b), dmae_addr_of(fb.a),
						  FL, 0));
			fence_link(fp, fb.c, fb.b + FL);
			nops = NFILL + 2;
		} else {
			/* large ops before, so a -> b is not where a job starts */
			for (i = 0; i < (two ? 2u : 3u); i++)
				fence_filler(fp, &fb);
			ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(fb.b), dmae_addr_of(fb.a),
						  FL, 0));
			fence_link(fp, fb.c, fb.b + FL);
			fence_filler(fp, &fb);
			nops = fb.nfill + 2;
			if (two) {
				/* a second fence in the doorbell, reading the first's output */
				fence_link(fp, fb.e, fb.c + FTAIL);
				fence_filler(fp, &fb);
				nops += 2;
			}
		}
		ASSERT_OK(dmae_fp_submit(fp));
		wait_reap(fp, (uint16_t)nops);
		ASSERT_PATTERN(fb.b, FL, 300 + round);
		ASSERT_MEM_EQ(fb.c, fb.a + FL - FCHUNK, FCHUNK);
		ASSERT_EQ(first_not(fb.c + FCHUNK, FTAIL - FCHUNK, tail), -1);
		ASSERT_EQ(first_not(fb.e, FTAIL, two ? tail : 0), -1);
		ASSERT_MEM_EQ(fb.y, fb.x, (size_t)fb.nfill * FFILL);
	}
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(fb.a);
	free(fb.b);
	free(fb.c);
	free(fb.e);
	free(fb.x);
	free(fb.y);
}

/*
 * Failures inside runs of large ops that split jobs run: each code at
 * its op's index, the other ops' data all there, the failed ones' not
 * written.  A fault hits the next op a worker runs, so the first k ops
 * run (and are waited for) before it is armed; the ops before and after
 * the failed ones run as split jobs.
 */
DMAE_TEST(swdma_split_errors_at_their_index)
{
	enum { N = 16, LEN = 128 << 10 };
	static const struct {
		unsigned int k, nfail;
		enum dmae_result_code code;
	} cases[] = {
		{ 0, 1, DMAE_RESULT_WRITE_FAILED }, { 1, 1, DMAE_RESULT_READ_FAILED },
		{ 7, 1, DMAE_RESULT_WRITE_FAILED }, { 15, 1, DMAE_RESULT_READ_FAILED },
		{ 5, 2, DMAE_RESULT_WRITE_FAILED }, { 14, 2, DMAE_RESULT_READ_FAILED },
		{ 0, 3, DMAE_RESULT_WRITE_FAILED },
	};
	struct dmae_swdma_config cfg = { .nr_workers = 2, .split_min = 64 << 10,
					 .split_chunk = 16 << 10 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	uint8_t *src = malloc((size_t)N * LEN), *dst = malloc((size_t)N * LEN);
	enum dmae_result_code codes[N];
	unsigned int t, i;
	int idx[N];
	uint16_t last = 0;
	bool err = false;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	c = swdma_open(&env, &cfg, &fp);
	for (t = 0; t < TEST_ARRAY_SIZE(cases); t++) {
		unsigned int k = cases[t].k, nfail = cases[t].nfail;

		test_fill_pattern(src, (size_t)N * LEN, 500 + t);
		memset(dst, 0, (size_t)N * LEN);
		for (i = 0; i < N; i++) {
			if (i == k) {
				if (k) {
					ASSERT_OK(dmae_fp_submit(fp));
					ASSERT_OK(dmae_fp_wait(fp, (uint16_t)k, GUARD_NS));
				}
				ASSERT_OK(dmae__swdma_fail_next(c, nfail, cases[t].code));
			}
			idx[i] = dmae_fp_copy(fp, dmae_addr_of(dst + (size_t)i * LEN),
					      dmae_addr_of(src + (size_t)i * LEN), LEN, 0);
			ASSERT_GE(idx[i], 0);
		}
		ASSERT_OK(dmae_fp_submit(fp));
		ASSERT_OK(dmae_fp_wait(fp, N, GUARD_NS));
		ASSERT_EQ(dmae_fp_completed(fp, N, &last, &err), (uint16_t)k);
		ASSERT_TRUE(err);
		if (k)
			ASSERT_EQ(last, (uint16_t)idx[k - 1]);
		ASSERT_EQ(wait_status(fp, (uint16_t)(N - k), codes), (uint16_t)idx[N - 1]);
		for (i = 0; i < N - k; i++)
			ASSERT_EQ(codes[i], i < nfail ? cases[t].code : DMAE_RESULT_OK);
		for (i = 0; i < N; i++) {
			const uint8_t *d = dst + (size_t)i * LEN;

			if (i >= k && i < k + nfail)
				ASSERT_EQ(first_not(d, LEN, 0), -1);
			else
				ASSERT_MEM_EQ(d, src + (size_t)i * LEN, LEN);
		}
	}
	/* every fault was taken: the next op is clean */
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), LEN, DMAE_FP_SUBMIT));
	wait_reap(fp, 1);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/* ---- the ways of moving bytes ---------------------------------------------------------- */

#define NT_GUARD 128u
#define NT_MAX ((1u << 20) + 123)

/*
 * One copy or fill of len bytes at buf + NT_GUARD + off; every byte of
 * the destination checked, and those of buf around it (untouched).
 */
static void nt_move_check(struct dmae_fp *fp, uint8_t *buf, uint8_t *src, uint32_t len,
			  unsigned int off, bool fill, uint64_t seed)
{
	uint8_t *d = buf + NT_GUARD + off;
	/* the source misaligned differently from the destination */
	uint8_t *s = src + (off * 7 + 5) % 64;
	uint8_t v = (uint8_t)(seed * 37 + 1);
	size_t total = NT_MAX + 2 * NT_GUARD + 64;

	if (v == 0xee)
		v = 0x11;
	memset(buf, 0xee, total);
	if (fill) {
		ASSERT_NOERR(dmae_fp_fill(fp, dmae_addr_of(d), v, len, DMAE_FP_SUBMIT));
	} else {
		test_fill_pattern(s, len, seed);
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(d), dmae_addr_of(s), len,
					  DMAE_FP_SUBMIT));
	}
	reap(fp, 1);
	ASSERT_EQ(first_not(buf, NT_GUARD + off, 0xee), -1);
	if (fill)
		ASSERT_EQ(first_not(d, len, v), -1);
	else
		ASSERT_PATTERN(d, len, seed);
	ASSERT_EQ(first_not(d + len, total - NT_GUARD - off - len, 0xee), -1);
}

/* Copies and fills of each size at each destination offset. */
static void nt_pass(struct dmae_fp *fp, uint8_t *buf, uint8_t *src, uint64_t *seed)
{
	static const uint32_t sizes[] = { 4096, 4096 + 1, (64 << 10) - 3, NT_MAX };
	static const unsigned int offs[] = { 0, 1, 63 };
	unsigned int si, oi;

	for (si = 0; si < TEST_ARRAY_SIZE(sizes); si++) {
		for (oi = 0; oi < TEST_ARRAY_SIZE(offs); oi++) {
			nt_move_check(fp, buf, src, sizes[si], offs[oi], false, (*seed)++);
			nt_move_check(fp, buf, src, sizes[si], offs[oi], true, (*seed)++);
		}
	}
}

/*
 * Moves with non-temporal stores (nt_min 4096: every size here), without
 * (DMAE_SWDMA_OFF), and measured (0, auto), on 1 worker and on 2 (split
 * among them): sizes around 4 KiB, below 64 KiB and above 1 MiB, at
 * destination offsets 0, 1 and 63 (unaligned heads and tails).  Auto
 * measures moves of 64 KiB and more in probes of 16 MiB of the kind in
 * use and 48 MiB of the other, so it runs enough of them for a worker to
 * use both; only the data is checked, not which kind ran.
 */
DMAE_TEST(swdma_nt_paths_move_right)
{
	static const uint32_t nt_mins[] = { 4096, DMAE_SWDMA_OFF, 0 };
	uint8_t *buf = malloc(NT_MAX + 2 * NT_GUARD + 64), *src = malloc(NT_MAX + 64);
	unsigned int w, n, pass;
	uint64_t seed = 1;

	ASSERT_NOT_NULL(buf);
	ASSERT_NOT_NULL(src);
	for (w = 1; w <= 2; w++) {
		for (n = 0; n < TEST_ARRAY_SIZE(nt_mins); n++) {
			struct dmae_swdma_config cfg = { .nr_workers = w, .nt_min = nt_mins[n] };
			/* auto: 6 MiB of moves of 1 MiB a pass (2 workers: pieces of
			 * 64 KiB, about half each); a worker's first probe ends
			 * after 64 MiB, so 12 passes a worker cross it */
			unsigned int passes = nt_mins[n] == 0 ? 12 * w : 1;
			struct test_env env;
			struct dmae_chan *c;
			struct dmae_fp *fp;

			c = swdma_open(&env, &cfg, &fp);
			for (pass = 0; pass < passes; pass++)
				nt_pass(fp, buf, src, &seed);
			ASSERT_OK(dmae_chan_release(c));
			test_swdma_teardown(&env);
		}
	}
	free(buf);
	free(src);
}

/* ---- the generic implementation ------------------------------------------------------ */

DMAE_TEST(generic_copy_in_order)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	c = fake_open(&env, 128, &fp);
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

	c = fake_open(&env, 16, &fp);
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

	c = fake_open(&env, 64, &fp);
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

	c = fake_open(&env, 64, &fp);
	body_error_index(fp, fake_arm, 5);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

DMAE_TEST(generic_interleave_with_descriptors)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	c = fake_open(&env, 64, &fp);
	body_interleave(c, fp);
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}

DMAE_TEST(generic_wait_unsupported)
{
	static uint8_t src[64], dst[64];
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;

	c = fake_open(&env, 64, &fp);
	test_log_capture_start();
	/* the argument checks come first */
	ASSERT_ERR(dmae_fp_wait(fp, 0, UINT64_MAX), -EINVAL);
	/* nothing outstanding, or an op outstanding: no event to sleep on */
	ASSERT_ERR(dmae_fp_wait(fp, 1, UINT64_MAX), -EOPNOTSUPP);
	memset(src, 0x24, sizeof(src));
	memset(dst, 0, sizeof(dst));
	ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT));
	ASSERT_ERR(dmae_fp_wait(fp, 1, UINT64_MAX), -EOPNOTSUPP);
	ASSERT_LOGGED("the generic fast path has no completion event");
	test_log_capture_stop();
	/* polling still works */
	reap(fp, 1);
	ASSERT_MEM_EQ(dst, src, sizeof(dst));
	ASSERT_OK(dmae_chan_release(c));
	fake_teardown(&env);
}
