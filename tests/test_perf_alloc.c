/* SPDX-License-Identifier: MIT */
/*
 * tests/test_perf_alloc.c - the hot paths never touch the heap.
 *
 * Every library allocation goes through dmae__zalloc/dmae__aligned_zalloc,
 * which count calls (src/core/alloc.c).  After a warm-up (the channel is
 * requested, its fast path enabled), the loops below must leave the
 * counter where it was: fast path enqueue / doorbell / completion polling,
 * and the descriptor API (prep, submit, issue, status; callbacks in each
 * context; completion objects).
 */
#include <string.h>

#include <dmae/fastpath.h>

#include "core/core.h"
#include "test.h"

#define GUARD_NS (UINT64_C(60) * 1000000000u)
#define ROUNDS 20000u

static uint8_t src[64][64], dst[64][64];

static void fp_loop(struct dmae_fp *fp)
{
	unsigned int sent = 0, done = 0;
	uint64_t t0 = test_now_ns();

	while (done < ROUNDS) {
		bool err = false;

		while (sent < ROUNDS && sent - done < 64) {
			int idx = dmae_fp_copy(fp, dmae_addr_of(dst[sent % 64]),
					       dmae_addr_of(src[sent % 64]), 64, 0);

			if (idx == -ENOSPC)
				break;
			ASSERT_NOERR(idx);
			sent++;
		}
		ASSERT_OK(dmae_fp_submit(fp));
		done += dmae_fp_completed(fp, 32, NULL, &err);
		ASSERT_FALSE(err);
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	}
}

static atomic_uint cb_count;

static void count_cb(void *arg, const struct dmae_result *res)
{
	(void)arg;
	(void)res;
	atomic_fetch_add(&cb_count, 1);
}

/* One descriptor at a time, routed as asked; waits for it. */
static void desc_loop(struct dmae_chan *c, int mode)
{
	struct dmae_completion comp;
	unsigned int i;

	dmae_completion_init(&comp);
	atomic_store(&cb_count, 0);
	for (i = 0; i < ROUNDS / 4; i++) {
		unsigned int flags = DMAE_PREP_ACK | (mode ? DMAE_PREP_INTERRUPT : 0);
		struct dmae_desc *d;
		dmae_cookie_t ck;
		uint64_t t0 = test_now_ns();

		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i % 64]),
						dmae_addr_of(src[i % 64]), 64, flags, &d));
		if (mode == 1)
			ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
		else if (mode >= 2)
			ASSERT_OK(dmae_desc_set_callback(d, count_cb, NULL,
							 (enum dmae_cb_ctx)(mode - 2)));
		ck = dmae_desc_submit(d);
		ASSERT_GT(ck, 0);
		ASSERT_NOERR(dmae_chan_issue_pending(c));
		if (mode == 1) {
			ASSERT_OK(dmae_completion_wait_timeout(&comp, GUARD_NS));
		} else if (mode >= 2) {
			while (atomic_load(&cb_count) != i + 1)
				ASSERT_LT(test_now_ns() - t0, GUARD_NS);
		} else {
			while (dmae_chan_status(c, ck, NULL) != DMAE_COMPLETE)
				ASSERT_LT(test_now_ns() - t0, GUARD_NS);
		}
	}
}

DMAE_TEST(hot_paths_do_not_allocate)
{
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	uint64_t before;
	int mode;

	test_swdma_setup(&env, NULL);
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	memset(src, 0x5c, sizeof(src));

	/* warm-up: lazily created per-thread state, if any */
	fp_loop(fp);
	for (mode = 0; mode <= 4; mode++)
		desc_loop(c, mode);

	before = dmae__alloc_count();
	fp_loop(fp);
	ASSERT_EQ(dmae__alloc_count(), before);
	for (mode = 0; mode <= 4; mode++) {
		desc_loop(c, mode);
		ASSERT_EQ(dmae__alloc_count(), before);
	}
	ASSERT_MEM_EQ(dst[0], src[0], 64);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}
