/* SPDX-License-Identifier: MIT */
/*
 * tests/test_alloc_fail.c - every allocation of the set-up paths may fail.
 *
 * A client's bring-up -- both embedded providers, devices and a link, a route, a channel by route and a public one, pool growth, DMA
 * mappings, the fast path -- runs with the heap failing from its k-th
 * allocation on (dmae__alloc_fail_after()), for k = 0, 1, 2, ... until
 * it completes untouched.  Each call must succeed or return -ENOMEM and
 * leave everything as it was: the failed step is then retried with the
 * heap back, the rest of the bring-up follows, and copies through the
 * descriptor API and the fast path must arrive.  Leaks show in the ASan
 * tree (every run tears everything down), races in the TSan tree.
 *
 * Removal allocates too (the list of holders to tell): without memory it
 * still revokes.
 */
#include <sched.h>
#include <string.h>

#include <dmae/fastpath.h>

#include "core/core.h"	/* dmae__alloc_fail_after() */
#include "test.h"

#define LEN 4096u
#define GUARD_NS (UINT64_C(120) * 1000000000u)
#define MAX_RUNS 4000u

struct bringup {
	struct dmae_swdma *sw;
	struct dmae_simdmac *sim;
	struct dmae_dev *client, *supplier;
	struct dmae_dev_link *link;
	bool route;
	struct dmae_chan *chan, *pub;
	dmae_addr_t src_dma, dst_dma;
	bool src_mapped, dst_mapped;
	struct dmae_fp *fp;
};

static unsigned char src[LEN], dst[LEN];

static int step_swdma(struct bringup *b)
{
	struct dmae_swdma_config cfg = { .name = "allocdma", .nr_chans = 2, .iommu = true };

	return dmae_swdma_create(&cfg, &b->sw);
}

static int step_simdmac(struct bringup *b)
{
	return dmae_simdmac_create(NULL, &b->sim);
}

static int step_devices(struct bringup *b)
{
	int ret;

	if (!b->client) {
		ret = dmae_dev_create("alloc-client", &b->client);
		if (ret)
			return ret;
	}
	return dmae_dev_create("alloc-supplier", &b->supplier);
}

static int step_link(struct bringup *b)
{
	return dmae_dev_link_add(b->client, b->supplier, DMAE_LINK_PM_RUNTIME, &b->link);
}

static int step_route(struct bringup *b)
{
	struct dmae_route r = { .consumer = "alloc-client", .name = "copy",
				.provider = "allocdma", .spec = { 1 }, .nspec = 1 };
	int ret = dmae_route_add(&r);

	b->route = !ret;
	return ret;
}

static int step_request(struct bringup *b)
{
	return dmae_chan_request(b->client, "copy", NULL, &b->chan);
}

static int step_public(struct bringup *b)
{
	return dmae_chan_get_public(b->client, DMAE_CAP_MEMCPY, &b->pub);
}

static int step_grow(struct bringup *b)
{
	return dmae_chan_pool_grow(b->chan, 64);
}

static int step_map(struct bringup *b)
{
	int ret;

	if (!b->src_mapped) {
		ret = dmae_dma_map(b->chan, src, LEN, DMAE_DMA_TO_DEVICE, &b->src_dma);
		if (ret)
			return ret;
		b->src_mapped = true;
	}
	ret = dmae_dma_map(b->chan, dst, LEN, DMAE_DMA_FROM_DEVICE, &b->dst_dma);
	b->dst_mapped = !ret;
	return ret;
}

static int step_fp(struct bringup *b)
{
	return dmae_chan_fp_get(b->chan, &b->fp);
}

static int (*const steps[])(struct bringup *b) = {
	step_swdma, step_simdmac, step_devices, step_link, step_route,
	step_request, step_public, step_grow, step_map, step_fp,
};
#define NR_STEPS (sizeof(steps) / sizeof(steps[0]))

/* One copy of src to dst through a descriptor, then one through the fast path. */
static void copies_arrive(struct bringup *b, uint8_t seed)
{
	struct dmae_completion done;
	struct dmae_desc *d;
	bool err = false;
	uint64_t end;

	test_fill_pattern(src, LEN, seed);
	memset(dst, 0, LEN);
	dmae_completion_init(&done);
	ASSERT_OK(dmae_chan_prep_memcpy(b->chan, b->dst_dma, b->src_dma, LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, NULL));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_GE(dmae_chan_issue_pending(b->chan), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&done, GUARD_NS));
	ASSERT_PATTERN(dst, LEN, seed);

	memset(dst, 0, LEN);
	ASSERT_NOERR(dmae_fp_copy(b->fp, b->dst_dma, b->src_dma, LEN, DMAE_FP_SUBMIT));
	end = dmae_time_ns() + GUARD_NS;
	while (!dmae_fp_completed(b->fp, 1, NULL, &err)) {
		ASSERT_LT(dmae_time_ns(), end);
		sched_yield();
	}
	ASSERT_FALSE(err);
	ASSERT_PATTERN(dst, LEN, seed);
}

static void teardown(struct bringup *b)
{
	if (b->dst_mapped)
		ASSERT_OK(dmae_dma_unmap(b->chan, b->dst_dma, LEN));
	if (b->src_mapped)
		ASSERT_OK(dmae_dma_unmap(b->chan, b->src_dma, LEN));
	ASSERT_OK(dmae_chan_put_public(b->client, b->pub));
	ASSERT_OK(dmae_chan_release(b->chan));
	ASSERT_OK(dmae_route_remove("alloc-client", "copy"));
	ASSERT_OK(dmae_dev_link_del(b->link));
	ASSERT_OK(dmae_dev_destroy(b->supplier));
	ASSERT_OK(dmae_dev_destroy(b->client));
	ASSERT_OK(dmae_simdmac_destroy(b->sim));
	ASSERT_OK(dmae_swdma_destroy(b->sw));
	dmae_exit();
}

/*
 * The bring-up with the heap failing from allocation k on.  Returns the
 * step that saw -ENOMEM, or NR_STEPS if none did.
 */
static unsigned int bringup_failing_at(uint64_t k)
{
	struct bringup b;
	unsigned int i, failed = NR_STEPS;
	int ret;

	memset(&b, 0, sizeof(b));
	ASSERT_OK(dmae_init());
	dmae__alloc_fail_after(k);
	for (i = 0; i < NR_STEPS; i++) {
		ret = steps[i](&b);
		if (ret == -ENOMEM) {
			failed = i;
			break;
		}
		ASSERT_OK(ret);
	}
	dmae__alloc_fail_after(UINT64_MAX);
	for (; i < NR_STEPS; i++)
		ASSERT_OK(steps[i](&b));
	copies_arrive(&b, (uint8_t)k);
	teardown(&b);
	return failed;
}

DMAE_TEST(every_setup_allocation_may_fail)
{
	unsigned int hits[NR_STEPS] = { 0 }, i, failed;
	uint64_t k;

	test_log_capture_start();
	for (k = 0; k < MAX_RUNS; k++) {
		failed = bringup_failing_at(k);
		if (failed == NR_STEPS)
			break;
		hits[failed]++;
		test_log_capture_clear();
	}
	test_log_capture_stop();
	ASSERT_LT(k, MAX_RUNS);		/* the bring-up allocates a bounded number of times */
	for (i = 0; i < NR_STEPS; i++)	/* every step allocates, so every one failed once */
		ASSERT_GT(hits[i], 0);
	ASSERT_EQ(bringup_failing_at(UINT64_MAX), NR_STEPS);
}

static atomic_uint told;

static void on_remove(struct dmae_dev *dev, struct dmae_chan *chan, void *arg)
{
	(void)dev;
	(void)chan;
	(void)arg;
	atomic_fetch_add(&told, 1);
}

/*
 * Removal while a channel is held, with no memory to list the holders to
 * tell: the removal still revokes the channel (later calls -ENODEV) and
 * says why the holder was not told.
 */
DMAE_TEST(removal_without_memory_to_tell_holders)
{
	struct dmae_swdma_config cfg = { .name = "gonedma", .nr_chans = 1 };
	struct dmae_swdma *sw;
	struct dmae_dev *client;
	struct dmae_chan *c;
	struct dmae_desc *d;

	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_swdma_create(&cfg, &sw));
	ASSERT_OK(dmae_dev_create("gone-client", &client));
	ASSERT_OK(dmae_dev_set_remove_cb(client, on_remove, NULL));
	ASSERT_OK(dmae_chan_request_caps(client, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	test_log_capture_start();
	dmae__alloc_fail_after(0);
	ASSERT_OK(dmae_swdma_destroy(sw));
	dmae__alloc_fail_after(UINT64_MAX);
	ASSERT_LOGGED("no memory to tell 1 holders of the removal");
	ASSERT_EQ(atomic_load(&told), 0);
	ASSERT_ERR(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), 64, 0, &d),
		   -ENODEV);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(client));
	dmae_exit();
}
