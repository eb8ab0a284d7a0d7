/* SPDX-License-Identifier: MIT */
/*
 * tests/test_dma_map.c - DMA mappings and the IOMMU check: a bad address
 * fails the transfer with a bus error instead of killing the process.
 *
 * Both engines are created with .iommu: their workers (swdma) or bus
 * (simdmac) check every access against the client's mappings.
 */
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/fastpath.h>
#include <dmae/simdmac.h>
#include <dmae/swdma.h>

#include "test.h"

#define WAIT_NS (120ull * 1000000000ull)

struct iommu_env {
	struct dmae_swdma *sw;
	struct dmae_simdmac *soc;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
};

static void iommu_up(struct iommu_env *e, bool simdmac)
{
	memset(e, 0, sizeof(*e));
	ASSERT_OK(dmae_init());
	if (simdmac)
		ASSERT_OK(dmae_simdmac_create(&(struct dmae_simdmac_config){ .iommu = true },
					      &e->soc));
	else
		ASSERT_OK(dmae_swdma_create(&(struct dmae_swdma_config){ .iommu = true }, &e->sw));
	ASSERT_OK(dmae_dev_create("iommu-client", &e->dev));
	ASSERT_OK(dmae_chan_request_caps(e->dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &e->chan));
}

static void iommu_down(struct iommu_env *e)
{
	ASSERT_OK(dmae_chan_release(e->chan));
	ASSERT_OK(dmae_dev_destroy(e->dev));
	if (e->soc) {
		ASSERT_EQ(dmae_simdmac_gated_accesses(e->soc), 0);
		ASSERT_OK(dmae_simdmac_destroy(e->soc));
	} else {
		ASSERT_OK(dmae_swdma_destroy(e->sw));
	}
	dmae_exit();
}

/* One memcpy; its result code. */
static enum dmae_result_code copy(struct dmae_chan *c, dmae_addr_t dst, dmae_addr_t src,
				  uint64_t len)
{
	struct dmae_completion done;
	struct dmae_result res;
	struct dmae_desc *d;

	dmae_completion_init(&done);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dst, src, len, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_GE(dmae_chan_issue_pending(c), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&done, WAIT_NS));
	return res.code;
}

/* Buffers apart from each other, so that a range past one is not in the next. */
static struct {
	_Alignas(64) unsigned char src[4096];
	unsigned char gap1[4096];
	unsigned char dst[4096];
	unsigned char gap2[4096];
	unsigned char ro[4096];
} mem;

static void bus_errors(bool simdmac)
{
	unsigned char *src = mem.src, *dst = mem.dst, *ro = mem.ro;
	const size_t size = sizeof(mem.src);
	struct iommu_env e;
	dmae_addr_t s, d, r;

	iommu_up(&e, simdmac);
	test_fill_pattern(src, size, 5);
	memset(dst, 0x77, size);
	/* nothing mapped yet: refused, nothing written */
	ASSERT_EQ(copy(e.chan, dmae_addr_of(dst), dmae_addr_of(src), 512), DMAE_RESULT_READ_FAILED);
	ASSERT_OK(dmae_dma_map(e.chan, src, size, DMAE_DMA_TO_DEVICE, &s));
	ASSERT_EQ(copy(e.chan, dmae_addr_of(dst), s, 512), DMAE_RESULT_WRITE_FAILED);
	ASSERT_OK(dmae_dma_map(e.chan, dst, size, DMAE_DMA_FROM_DEVICE, &d));
	ASSERT_OK(dmae_dma_map(e.chan, ro, size, DMAE_DMA_TO_DEVICE, &r));
	for (size_t i = 0; i < size; i++)
		ASSERT_EQ(dst[i], 0x77);
	/* mapped: it works */
	ASSERT_EQ(copy(e.chan, d, s, size), DMAE_RESULT_OK);
	ASSERT_PATTERN(dst, size, 5);
	/* a read-only mapping as the destination, a source past its mapping */
	ASSERT_EQ(copy(e.chan, r, s, 256), DMAE_RESULT_WRITE_FAILED);
	ASSERT_EQ(copy(e.chan, d, s + size - 128, 256), DMAE_RESULT_READ_FAILED);
	/* a wild, non-NULL address: a bus error, not a crash */
	ASSERT_EQ(copy(e.chan, d, 0x1000, 64), DMAE_RESULT_READ_FAILED);
	ASSERT_EQ(copy(e.chan, 0x1000, s, 64), DMAE_RESULT_WRITE_FAILED);
	/* unmapped again: refused again */
	ASSERT_OK(dmae_dma_unmap(e.chan, d, size));
	ASSERT_EQ(copy(e.chan, d, s, 64), DMAE_RESULT_WRITE_FAILED);
	ASSERT_OK(dmae_dma_unmap(e.chan, s, size));
	ASSERT_OK(dmae_dma_unmap(e.chan, r, size));
	iommu_down(&e);
}

DMAE_TEST(swdma_iommu_bus_errors)
{
	bus_errors(false);
}

DMAE_TEST(simdmac_iommu_bus_errors)
{
	bus_errors(true);
}

/* The fast path reports an unmapped op as failed, and the ops after it run. */
static void fp_bus_error(bool simdmac)
{
	static _Alignas(64) unsigned char src[256], dst[256];
	enum dmae_result_code codes[3];
	uint64_t end = test_now_ns() + WAIT_NS;
	struct iommu_env e;
	struct dmae_fp *fp;
	dmae_addr_t s, d;
	uint16_t n = 0;

	iommu_up(&e, simdmac);
	test_fill_pattern(src, sizeof(src), 8);
	ASSERT_OK(dmae_dma_map(e.chan, src, sizeof(src), DMAE_DMA_TO_DEVICE, &s));
	ASSERT_OK(dmae_dma_map(e.chan, dst, sizeof(dst), DMAE_DMA_FROM_DEVICE, &d));
	ASSERT_OK(dmae_chan_fp_get(e.chan, &fp));
	ASSERT_GE(dmae_fp_copy(fp, d, s, 64, 0), 0);
	ASSERT_GE(dmae_fp_copy(fp, d + 64, 0x2000, 64, 0), 0);
	ASSERT_GE(dmae_fp_copy(fp, d + 128, s + 128, 128, DMAE_FP_SUBMIT), 0);
	while (n < 3) {
		n += dmae_fp_completed_status(fp, (uint16_t)(3 - n), NULL, codes + n);
		ASSERT_LT(test_now_ns(), end);
	}
	ASSERT_EQ(codes[0], DMAE_RESULT_OK);
	ASSERT_EQ(codes[1], DMAE_RESULT_READ_FAILED);
	ASSERT_EQ(codes[2], DMAE_RESULT_OK);
	ASSERT_MEM_EQ(dst, src, 64);
	ASSERT_MEM_EQ(dst + 128, src + 128, 128);
	iommu_down(&e);
}

DMAE_TEST(swdma_iommu_fastpath)
{
	fp_bus_error(false);
}

DMAE_TEST(simdmac_iommu_fastpath)
{
	fp_bus_error(true);
}

DMAE_TEST(dma_map_bad_input)
{
	static unsigned char a[256];
	struct test_env env;
	struct dmae_chan *c;
	dmae_addr_t x;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	test_log_capture_start();
	ASSERT_ERR(dmae_dma_map(NULL, a, 16, DMAE_DMA_TO_DEVICE, &x), -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, NULL, 16, DMAE_DMA_TO_DEVICE, &x), -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, a, 16, DMAE_DMA_TO_DEVICE, NULL), -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, a, 0, DMAE_DMA_TO_DEVICE, &x), -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, (void *)(UINTPTR_MAX - 7), 16, DMAE_DMA_TO_DEVICE, &x),
		   -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, a, 16, 0, &x), -EINVAL);
	ASSERT_ERR(dmae_dma_map(c, a, 16, 8, &x), -EINVAL);
	ASSERT_OK(dmae_dma_map(c, a, 128, DMAE_DMA_BIDIRECTIONAL, &x));
	ASSERT_EQ(x, dmae_addr_of(a));
	ASSERT_ERR(dmae_dma_map(c, a + 64, 128, DMAE_DMA_TO_DEVICE, &x), -EEXIST);
	ASSERT_LOGGED("overlap a mapping");
	ASSERT_OK(dmae_dma_map(c, a + 128, 128, DMAE_DMA_TO_DEVICE, &x));	/* touching */
	ASSERT_ERR(dmae_dma_unmap(c, dmae_addr_of(a), 64), -ENOENT);
	ASSERT_ERR(dmae_dma_unmap(NULL, dmae_addr_of(a), 128), -EINVAL);
	ASSERT_OK(dmae_dma_unmap(c, dmae_addr_of(a), 128));
	ASSERT_ERR(dmae_dma_unmap(c, dmae_addr_of(a), 128), -ENOENT);
	ASSERT_OK(dmae_dma_unmap(c, dmae_addr_of(a) + 128, 128));
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_ERR(dmae_dma_map(c, a, 16, DMAE_DMA_TO_DEVICE, &x), -EBADF);
	test_log_capture_stop();
	test_swdma_teardown(&env);
}

/*
 * Many mappings, made from the highest address down: each goes in front
 * of the others (the sorted table moves up), and the table grows twice.
 * Every mapping is then found -- by the controller's check, through a
 * copy into it, and by unmap -- and one that overlaps any is refused;
 * so is a mapping that ends at the top of the address space.
 */
DMAE_TEST(many_mappings_in_any_order)
{
	enum { N = 40, STEP = 64, LEN = 32 };
	static _Alignas(64) unsigned char area[N * STEP];
	static unsigned char src[LEN];
	dmae_addr_t a[N], s, x;
	struct iommu_env e;
	const void *top;
	int i;

	iommu_up(&e, false);
	test_fill_pattern(src, LEN, 9);
	ASSERT_OK(dmae_dma_map(e.chan, src, LEN, DMAE_DMA_TO_DEVICE, &s));
	for (i = N - 1; i >= 0; i--)
		ASSERT_OK(dmae_dma_map(e.chan, area + i * STEP, LEN, DMAE_DMA_FROM_DEVICE, &a[i]));
	test_log_capture_start();
	for (i = 0; i < N; i++) {
		memset(area + i * STEP, 0, LEN);
		ASSERT_EQ(copy(e.chan, a[i], s, LEN), DMAE_RESULT_OK);
		ASSERT_PATTERN(area + i * STEP, LEN, 9);
		/* the gap after each mapping is not mapped */
		ASSERT_EQ(copy(e.chan, a[i] + LEN, s, 1), DMAE_RESULT_WRITE_FAILED);
		ASSERT_ERR(dmae_dma_map(e.chan, area + i * STEP + LEN - 1, 2, DMAE_DMA_FROM_DEVICE,
					&x), -EEXIST);
	}
	/* a mapping may end at the top of the address space, and is found */
	top = (const void *)(UINTPTR_MAX - 4095);
	ASSERT_OK(dmae_dma_map(e.chan, top, 4096, DMAE_DMA_TO_DEVICE, &x));
	ASSERT_ERR(dmae_dma_map(e.chan, (const char *)top - 4096, 8192, DMAE_DMA_TO_DEVICE, &x),
		   -EEXIST);
	ASSERT_ERR(dmae_dma_map(e.chan, (const char *)top + 4000, 96, DMAE_DMA_TO_DEVICE, &x),
		   -EEXIST);
	test_log_capture_stop();
	ASSERT_OK(dmae_dma_unmap(e.chan, (dmae_addr_t)(uintptr_t)top, 4096));
	for (i = 0; i < N; i++)
		ASSERT_OK(dmae_dma_unmap(e.chan, a[i], LEN));
	ASSERT_OK(dmae_dma_unmap(e.chan, s, LEN));
	iommu_down(&e);
}
