/* SPDX-License-Identifier: MIT */
/*
 * The simulated controller and its driver: transfers of every kind, slave
 * transfers to the UART and I2S models, residue, pause/resume, faults.
 *
 * No timing asserts: waits are bounded (WAIT_NS) only to turn a hang into
 * a failure.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/simdmac.h>

#include "core/core.h"
#include "hw/simdmac/simdmac_regs.h"
#include "providers/simdmac/simdmac_drv.h"
#include "test.h"

#define WAIT_NS (10ull * 1000000000ull)

struct sim {
	struct dmae_simdmac *s;
	struct dmae_dev *dev;
};

static void sim_setup(struct sim *e, const struct dmae_simdmac_config *cfg)
{
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_simdmac_create(cfg, &e->s));
	ASSERT_OK(dmae_dev_create(TEST_CONSUMER, &e->dev));
}

static void sim_teardown(struct sim *e)
{
	ASSERT_OK(dmae_dev_destroy(e->dev));
	ASSERT_OK(dmae_simdmac_destroy(e->s));
	dmae_exit();
}

static struct dmae_chan *sim_memcpy_chan(struct sim *e)
{
	struct dmae_chan *c;

	ASSERT_OK(dmae_chan_request_caps(e->dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	return c;
}

/* Submit, issue, wait for the completion object; return the result. */
static struct dmae_result run(struct dmae_chan *c, struct dmae_desc *d)
{
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res = { 0 };

	ASSERT_OK(dmae_desc_set_completion(d, &comp, &res));
	ASSERT_NOERR(dmae_desc_submit(d));
	ASSERT_NOERR(dmae_chan_issue_pending(c));
	ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	return res;
}

static struct dmae_result memcpy_run(struct dmae_chan *c, void *dst, const void *src, size_t len)
{
	struct dmae_desc *d;

	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	return run(c, d);
}

static void check_memcpy(struct dmae_chan *c, size_t len, size_t soff, size_t doff)
{
	unsigned char *src = malloc(len + 16), *dst = calloc(1, len + 16);
	struct dmae_result r;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src + soff, len, len);
	r = memcpy_run(c, dst + doff, src + soff, len);
	ASSERT_EQ(r.code, DMAE_RESULT_OK);
	ASSERT_EQ(r.residue, 0);
	ASSERT_PATTERN(dst + doff, len, len);
	free(src);
	free(dst);
}

static uint32_t chreg(struct sim *e, struct dmae_chan *c, uint32_t reg)
{
	return dmae_simdmac_reg_read(e->s, SIMDMAC_CH_BASE(dmae_simdmac_chan_index(e->s, c)) + reg);
}

static void wait_progress(struct sim *e, struct dmae_chan *c)
{
	uint64_t end = test_now_ns() + WAIT_NS;

	while (!chreg(e, c, SIMDMAC_CH_PROGRESS)) {
		ASSERT_LT(test_now_ns(), end);
		test_sleep_ms(1);
	}
}

static void inject(struct sim *e, enum dmae_simdmac_fault_kind kind, struct dmae_chan *c,
		   dmae_addr_t addr, uint64_t after)
{
	struct dmae_simdmac_fault f = { .kind = kind, .chan = c, .addr = addr, .after = after };

	ASSERT_OK(dmae_simdmac_fault_inject(e->s, &f));
}

/* Every descriptor back in the pool (the core gives it back before the
 * completion object fires). */
static void assert_pool_full(struct dmae_chan *c)
{
	struct dmae_chan_stats st;

	ASSERT_OK(dmae_chan_stats_get(c, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);
}

/* After a failure: terminate, then the channel must work again. */
static void check_recovers(struct dmae_chan *c)
{

	ASSERT_OK(dmae_chan_terminate_sync(c));
	check_memcpy(c, 10000, 1, 3);
	assert_pool_full(c);
}

/* ---- memory to memory ------------------------------------------------------- */

DMAE_TEST(memcpy_sizes_and_alignments)
{
	static const size_t lens[] = { 1, 3, 8, 100, 4096, 65537, 1 << 20 };
	struct sim e;
	struct dmae_chan *c;
	size_t i;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	for (i = 0; i < TEST_ARRAY_SIZE(lens); i++) {
		check_memcpy(c, lens[i], 0, 0);
		check_memcpy(c, lens[i], 1, 5);
	}
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

DMAE_TEST(memset_sg_interleaved)
{
	unsigned char src[8192], dst[8192], want[8192];
	struct dmae_sg ssg[2] = { { dmae_addr_of(src), 3000 }, { dmae_addr_of(src + 4000), 1001 } };
	struct dmae_sg dsg[3] = { { dmae_addr_of(dst + 1), 7 },
				  { dmae_addr_of(dst + 100), 2994 },
				  { dmae_addr_of(dst + 5000), 1000 } };
	struct dmae_chunk chunks[2] = { { 16, 16, 0 }, { 8, 24, 8 } };
	struct dmae_interleaved il = { .src_inc = true, .dst_inc = true, .src_sgl = true,
				       .dst_sgl = true, .numf = 4, .frame_size = 2,
				       .chunks = chunks };
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;
	size_t i, k, off;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);

	memset(dst, 0, sizeof(dst));
	ASSERT_OK(dmae_chan_prep_memset(c, dmae_addr_of(dst + 3), 0xa5, 5001,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_EQ(run(c, d).code, DMAE_RESULT_OK);
	memset(want, 0, sizeof(want));
	memset(want + 3, 0xa5, 5001);
	ASSERT_MEM_EQ(dst, want, sizeof(dst));

	test_fill_pattern(src, sizeof(src), 7);
	memset(dst, 0, sizeof(dst));
	ASSERT_OK(dmae_chan_prep_sg(c, dsg, 3, ssg, 2, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_EQ(run(c, d).code, DMAE_RESULT_OK);
	memset(want, 0, sizeof(want));
	memcpy(want + 1, src, 7);
	memcpy(want + 100, src + 7, 2993);
	memcpy(want + 100 + 2993, src + 4000, 1);
	memcpy(want + 5000, src + 4001, 1000);
	ASSERT_MEM_EQ(dst, want, sizeof(dst));

	memset(dst, 0, sizeof(dst));
	il.src = dmae_addr_of(src);
	il.dst = dmae_addr_of(dst);
	ASSERT_OK(dmae_chan_prep_interleaved(c, &il, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_EQ(run(c, d).code, DMAE_RESULT_OK);
	memset(want, 0, sizeof(want));
	{
		size_t s = 0;

		off = 0;
		for (i = 0; i < 4; i++) {
			for (k = 0; k < 2; k++) {
				memcpy(want + off, src + s, chunks[k].size);
				s += chunks[k].size + chunks[k].src_icg;
				off += chunks[k].size + chunks[k].dst_icg;
			}
		}
	}
	ASSERT_MEM_EQ(dst, want, sizeof(dst));
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* Many descriptors in flight, callbacks in all contexts, then release. */
DMAE_TEST(memcpy_queue_all_contexts)
{
	enum { N = 48, LEN = 3000 };
	static unsigned char src[N][LEN], dst[N][LEN];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_chan_stats st;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;
	int i;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	for (i = 0; i < N; i++) {
		test_fill_pattern(src[i], LEN, (uint64_t)i);
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
						DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
		if (i % 3 == 0)
			ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
		else
			ASSERT_OK(dmae_desc_set_callback(d, (dmae_callback_fn)(void (*)(void))
							 dmae_completion_done, &comp,
							 i % 3 == 1 ? DMAE_CB_HARDIRQ : DMAE_CB_TASK));
		ASSERT_NOERR(dmae_desc_submit(d));
	}
	ASSERT_EQ(dmae_chan_issue_pending(c), N);
	for (i = 0; i < N; i++)
		ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	for (i = 0; i < N; i++)
		ASSERT_PATTERN(dst[i], LEN, (uint64_t)i);
	ASSERT_OK(dmae_chan_stats_get(c, &st));
	ASSERT_EQ(st.completed, N);
	ASSERT_EQ(st.errors, 0);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* ---- faults -------------------------------------------------------------------- */

DMAE_TEST(fault_read_error)
{
	enum { LEN = 65536 };
	unsigned char *src = calloc(1, LEN), *dst = calloc(1, LEN);
	struct dmae_tx_state ts;
	struct dmae_result r;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	struct sim e;
	struct dmae_chan *c;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	inject(&e, DMAE_SIMDMAC_FAULT_READ, c, 0, 4096);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	r = run(c, d);
	ck = r.cookie;
	ASSERT_EQ(r.code, DMAE_RESULT_READ_FAILED);
	ASSERT_EQ(r.residue, LEN - 4096);	/* 4096 is a whole number of bursts */
	ASSERT_EQ(dmae_chan_status(c, ck, &ts), DMAE_ERROR);
	check_recovers(c);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
	free(src);
	free(dst);
}

DMAE_TEST(fault_write_error_at_address)
{
	enum { LEN = 65536 };
	unsigned char *src = calloc(1, LEN), *dst = calloc(1, LEN);
	struct dmae_sg ssg = { dmae_addr_of(src), LEN };
	struct dmae_sg dsg[2] = { { dmae_addr_of(dst), LEN / 2 },
				  { dmae_addr_of(dst + LEN / 2), LEN / 2 } };
	struct dmae_result r;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	/* in the second item: the residue counts the first as done */
	inject(&e, DMAE_SIMDMAC_FAULT_WRITE, c, dmae_addr_of(dst + LEN / 2 + 1000), 0);
	ASSERT_OK(dmae_chan_prep_sg(c, dsg, 2, &ssg, 1, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	r = run(c, d);
	ASSERT_EQ(r.code, DMAE_RESULT_WRITE_FAILED);
	ASSERT_GT(r.residue, 0);
	ASSERT_LE(r.residue, LEN / 2 - 1000 + 1000);
	ASSERT_EQ(chreg(&e, c, SIMDMAC_CH_ERRADDR), (uint32_t)dmae_addr_of(dst + LEN / 2 + 1000));
	check_recovers(c);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
	free(src);
	free(dst);
}

/* A list item the controller cannot read: reported as READ_FAILED. */
DMAE_TEST(fault_desc_fetch)
{
	unsigned char src[4096], dst[4096];
	struct dmae_result r;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	inject(&e, DMAE_SIMDMAC_FAULT_DESC_FETCH, c, 0, 0);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), sizeof(src),
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	r = run(c, d);
	ASSERT_EQ(r.code, DMAE_RESULT_READ_FAILED);
	ASSERT_EQ(r.residue, sizeof(src));
	ASSERT_EQ(SIMDMAC_STATUS_CAUSE(chreg(&e, c, SIMDMAC_CH_STATUS)), SIMDMAC_ERR_FETCH);
	check_recovers(c);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* The interrupt never comes: polling the status runs the handler. */
DMAE_TEST(fault_lost_irq_polled_status)
{
	enum { LEN = 8192 };
	static unsigned char src[LEN], dst[LEN];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	dmae_irqflags_t f;
	uint64_t end;
	struct sim e;
	struct dmae_chan *c;
	int st;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	test_fill_pattern(src, LEN, 3);
	inject(&e, DMAE_SIMDMAC_FAULT_LOST_IRQ, NULL, 0, 0);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
	ck = dmae_desc_submit(d);
	ASSERT_NOERR(ck);
	/* IRQs masked: this issue_pending does not look at the device itself */
	dmae_local_irq_save(&f);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	dmae_local_irq_restore(f);
	/* the hardware finishes; its interrupt is dropped */
	end = test_now_ns() + WAIT_NS;
	while (SIMDMAC_STATUS_STATE(chreg(&e, c, SIMDMAC_CH_STATUS)) != SIMDMAC_ST_IDLE ||
	       chreg(&e, c, SIMDMAC_CH_PROGRESS) != LEN) {
		ASSERT_LT(test_now_ns(), end);
		test_sleep_ms(1);
	}
	ASSERT_FALSE(dmae_completion_try(&comp));
	ASSERT_NE(dmae_simdmac_reg_read(e.s, SIMDMAC_TC_STATUS), 0);
	st = dmae_chan_status(c, ck, NULL);	/* polled mode */
	ASSERT_EQ(st, DMAE_COMPLETE);
	ASSERT_TRUE(dmae_completion_try(&comp));
	ASSERT_PATTERN(dst, LEN, 3);
	check_recovers(c);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* An interrupt with no cause: the handler says "not mine", nothing breaks. */
DMAE_TEST(fault_spurious_irq)
{
	struct dmae_irq *irq;
	uint64_t before, end;
	struct sim e;
	struct dmae_chan *c;
	int i;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	irq = c->provider->irq;
	for (i = 0; i < 5; i++) {
		before = dmae_irq_count(irq);
		inject(&e, DMAE_SIMDMAC_FAULT_SPURIOUS_IRQ, NULL, 0, 0);
		end = test_now_ns() + WAIT_NS;
		while (dmae_irq_count(irq) == before) {
			ASSERT_LT(test_now_ns(), end);
			test_sleep_ms(1);
		}
		check_memcpy(c, 5000, 0, 0);
	}
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* A stalled channel: the wait times out, terminate_sync recovers it. */
DMAE_TEST(fault_stall_terminate_recovers)
{
	enum { LEN = 16384 };
	static unsigned char src[LEN], dst[LEN];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_tx_state ts;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	struct sim e;
	struct dmae_chan *c;

	sim_setup(&e, NULL);
	c = sim_memcpy_chan(&e);
	inject(&e, DMAE_SIMDMAC_FAULT_STALL, c, 0, 0);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
	ck = dmae_desc_submit(d);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	ASSERT_ERR(dmae_completion_wait_timeout(&comp, 100000000ull), -ETIMEDOUT);
	ASSERT_EQ(dmae_chan_status(c, ck, &ts), DMAE_IN_PROGRESS);
	ASSERT_EQ(ts.residue, LEN);
	ASSERT_EQ(SIMDMAC_STATUS_STATE(chreg(&e, c, SIMDMAC_CH_STATUS)), SIMDMAC_ST_RUNNING);
	check_recovers(c);
	ASSERT_EQ(dmae_chan_status(c, ck, NULL), DMAE_ERROR);	/* terminated */
	ASSERT_FALSE(dmae_completion_try(&comp));
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
}

/* ---- residue, pause, terminate ---------------------------------------------------- */

DMAE_TEST(residue_burst_granularity)
{
	enum { LEN = 1 << 20, BURST = 64 * 8 };
	const struct dmae_simdmac_config cfg = { .bandwidth = 16 };	/* ~65 ms */
	unsigned char *src = malloc(LEN), *dst = calloc(1, LEN);
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_tx_state ts;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	uint32_t progress;
	struct sim e;
	struct dmae_chan *c;
	int i;

	sim_setup(&e, &cfg);
	c = sim_memcpy_chan(&e);
	test_fill_pattern(src, LEN, 11);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
	ck = dmae_desc_submit(d);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	for (i = 0; i < 3; i++) {
		wait_progress(&e, c);
		ASSERT_OK(dmae_chan_pause(c));
		ASSERT_EQ(SIMDMAC_STATUS_STATE(chreg(&e, c, SIMDMAC_CH_STATUS)), SIMDMAC_ST_PAUSED);
		ASSERT_EQ(dmae_chan_status(c, ck, &ts), DMAE_PAUSED);
		progress = chreg(&e, c, SIMDMAC_CH_PROGRESS);
		ASSERT_EQ(ts.residue, LEN - progress);
		ASSERT_EQ(progress % BURST, 0);
		ASSERT_GT(ts.residue, 0);
		test_sleep_ms(2);	/* paused: nothing moves */
		ASSERT_EQ(chreg(&e, c, SIMDMAC_CH_PROGRESS), progress);
		ASSERT_OK(dmae_chan_resume(c));
	}
	ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	ASSERT_EQ(dmae_chan_status(c, ck, &ts), DMAE_COMPLETE);
	ASSERT_EQ(ts.residue, 0);
	ASSERT_PATTERN(dst, LEN, 11);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
	free(src);
	free(dst);
}

/* Pause and resume many times mid-transfer: nothing lost, nothing doubled. */
DMAE_TEST(pause_resume_integrity)
{
	enum { LEN = 4 << 20 };
	const struct dmae_simdmac_config cfg = { .bandwidth = 100 };	/* ~40 ms */
	unsigned char *src = malloc(LEN), *dst = calloc(1, LEN);
	struct dmae_sg ssg[4], dsg[4];
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_tx_state ts;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	uint64_t prev = LEN;
	struct sim e;
	struct dmae_chan *c;
	int i;

	sim_setup(&e, &cfg);
	c = sim_memcpy_chan(&e);
	test_fill_pattern(src, LEN, 5);
	for (i = 0; i < 4; i++) {
		ssg[i] = (struct dmae_sg){ dmae_addr_of(src + (size_t)i * (LEN / 4)), LEN / 4 };
		dsg[3 - i] = (struct dmae_sg){ dmae_addr_of(dst + (size_t)i * (LEN / 4)), LEN / 4 };
	}
	ASSERT_OK(dmae_chan_prep_sg(c, dsg, 4, ssg, 4, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
	ck = dmae_desc_submit(d);
	ASSERT_EQ(dmae_chan_issue_pending(c), 1);
	for (i = 0; i < 20 && !dmae_completion_try(&comp); i++) {
		ASSERT_OK(dmae_chan_pause(c));
		if (dmae_chan_status(c, ck, &ts) == DMAE_PAUSED) {
			ASSERT_LE(ts.residue, prev);	/* never goes back */
			prev = ts.residue;
		}
		test_sleep_ms(1);
		ASSERT_OK(dmae_chan_resume(c));
		test_sleep_ms(1);
		if (i == 19)
			ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	}
	for (i = 0; i < 4; i++)
		ASSERT_MEM_EQ(dst + (size_t)(3 - i) * (LEN / 4), src + (size_t)i * (LEN / 4),
			      LEN / 4);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
	free(src);
	free(dst);
}

/* Terminate with a queue in flight: every descriptor back in the pool. */
DMAE_TEST(terminate_queue_no_leak)
{
	enum { N = 16, LEN = 65536 };
	const struct dmae_simdmac_config cfg = { .bandwidth = 50 };
	unsigned char *src = calloc(1, LEN), *dst = calloc(1, LEN);
	struct dmae_chan_stats st;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;
	int i;

	sim_setup(&e, &cfg);
	c = sim_memcpy_chan(&e);
	for (i = 0; i < N; i++) {
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), LEN,
						DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
		ASSERT_NOERR(dmae_desc_submit(d));
	}
	ASSERT_EQ(dmae_chan_issue_pending(c), N);
	wait_progress(&e, c);
	ASSERT_OK(dmae_chan_terminate_sync(c));
	ASSERT_EQ(SIMDMAC_STATUS_STATE(chreg(&e, c, SIMDMAC_CH_STATUS)), SIMDMAC_ST_IDLE);
	ASSERT_OK(dmae_chan_stats_get(c, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);	/* synchronize returned them */
	ASSERT_GT(st.terminated, 0);
	check_recovers(c);
	ASSERT_OK(dmae_chan_release(c));
	sim_teardown(&e);
	free(src);
	free(dst);
}

/* ---- slave transfers ------------------------------------------------------------------- */

static struct dmae_chan *request(struct dmae_dev *dev, const char *name)
{
	struct dmae_chan *c;

	ASSERT_OK(dmae_chan_request(dev, name, NULL, &c));
	return c;
}

DMAE_TEST(uart_tx_slave_sg)
{
	enum { LEN = 3000 };
	const struct dmae_simdmac_config cfg = { .uart_baud = 2000000 };
	static unsigned char buf[LEN], got[LEN];
	struct dmae_sg sg[3] = { { dmae_addr_of(buf), 1000 }, { dmae_addr_of(buf + 1000), 999 },
				 { dmae_addr_of(buf + 1999), 1001 } };
	struct dmae_slave_config sc = { 0 };
	struct dmae_dev *uart;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c;
	size_t n = 0;
	uint64_t end;

	sim_setup(&e, &cfg);
	ASSERT_OK(dmae_dev_create("uart0", &uart));
	c = request(uart, "tx");
	sc.dst_addr = dmae_simdmac_uart_data_addr(e.s);
	sc.dst_width = 1;
	sc.dst_burst = 8;
	ASSERT_OK(dmae_chan_config(c, &sc));
	test_fill_pattern(buf, LEN, 21);
	ASSERT_OK(dmae_chan_prep_slave_sg(c, sg, 3, DMAE_MEM_TO_DEV, NULL,
					  DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_EQ(run(c, d).code, DMAE_RESULT_OK);
	end = test_now_ns() + WAIT_NS;
	while (n < LEN) {
		ASSERT_LT(test_now_ns(), end);
		n += dmae_simdmac_uart_read(e.s, got + n, LEN - n);
		if (n < LEN)
			test_sleep_ms(1);
	}
	ASSERT_PATTERN(got, LEN, 21);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(uart));
	sim_teardown(&e);
}

DMAE_TEST(uart_rx_slave_sg)
{
	enum { LEN = 4096 };
	const struct dmae_simdmac_config cfg = { .uart_baud = 1000000 };
	static unsigned char in[LEN], buf[LEN];
	struct dmae_sg sg[2] = { { dmae_addr_of(buf), 1024 }, { dmae_addr_of(buf + 1024), 3072 } };
	struct dmae_slave_config sc = { 0 };
	struct dmae_dev *uart;
	struct dmae_result r;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *rx, *tx;

	sim_setup(&e, &cfg);
	ASSERT_OK(dmae_dev_create("uart0", &uart));
	rx = request(uart, "rx");
	tx = request(uart, "tx");
	ASSERT_NE(dmae_simdmac_chan_index(e.s, rx), dmae_simdmac_chan_index(e.s, tx));
	sc.src_addr = dmae_simdmac_uart_data_addr(e.s);
	sc.src_width = 1;
	sc.src_burst = 4;
	ASSERT_OK(dmae_chan_prep_slave_sg(rx, sg, 2, DMAE_DEV_TO_MEM, &sc,
					  DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	test_fill_pattern(in, LEN, 9);
	ASSERT_EQ(dmae_simdmac_uart_inject(e.s, in, LEN), LEN);
	r = run(rx, d);
	ASSERT_EQ(r.code, DMAE_RESULT_OK);
	ASSERT_PATTERN(buf, LEN, 9);
	ASSERT_OK(dmae_chan_release(rx));
	ASSERT_OK(dmae_chan_release(tx));
	ASSERT_OK(dmae_dev_destroy(uart));
	sim_teardown(&e);
}

/* A wrong device address is a bus error on the device side. */
DMAE_TEST(slave_bad_device_address)
{
	static unsigned char buf[256];
	struct dmae_sg sg = { dmae_addr_of(buf), sizeof(buf) };
	struct dmae_slave_config sc = { .dst_width = 1, .dst_burst = 4 };
	struct dmae_dev *uart;
	struct dmae_desc *d;
	struct sim e;
	struct dmae_chan *c, *m;

	sim_setup(&e, NULL);
	ASSERT_OK(dmae_dev_create("uart0", &uart));
	c = request(uart, "tx");
	sc.dst_addr = dmae_simdmac_uart_data_addr(e.s) + 64;
	ASSERT_OK(dmae_chan_prep_slave_sg(c, &sg, 1, DMAE_MEM_TO_DEV, &sc,
					  DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_EQ(run(c, d).code, DMAE_RESULT_WRITE_FAILED);
	/* a channel requested by capability has no request line */
	m = sim_memcpy_chan(&e);
	sc.dst_addr -= 64;
	ASSERT_ERR(dmae_chan_prep_slave_sg(m, &sg, 1, DMAE_MEM_TO_DEV, &sc, 0, &d), -EINVAL);
	ASSERT_OK(dmae_chan_release(m));
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(uart));
	sim_teardown(&e);
}

struct cyc {
	struct dmae_chan *chan;
	dmae_cookie_t cookie;
	atomic_uint periods;
	uint64_t residue[64];
	atomic_uint nres;
	atomic_uint bad_ctx;
};

static void period_cb(void *arg, const struct dmae_result *res)
{
	struct cyc *y = arg;
	struct dmae_tx_state ts;
	unsigned int i;

	if (dmae_ctx_current() != DMAE_CTX_BH || res->code != DMAE_RESULT_OK)
		atomic_fetch_add(&y->bad_ctx, 1);
	if (dmae_chan_status(y->chan, y->cookie, &ts) >= 0) {
		i = atomic_load(&y->nres);
		if (i < 64) {
			y->residue[i] = ts.residue;
			atomic_store(&y->nres, i + 1);
		}
	}
	atomic_fetch_add(&y->periods, 1);
}

DMAE_TEST(cyclic_i2s_periods_and_residue)
{
	enum { PERIOD = 1920, NPER = 4, LEN = PERIOD * NPER };	/* 10 ms periods */
	static unsigned char ring[LEN];
	struct dmae_slave_config sc = { .dst_width = 4, .dst_burst = 16 };
	struct dmae_simdmac_i2s_stats is;
	struct dmae_tx_state ts;
	struct dmae_dev *i2s;
	struct dmae_desc *d;
	struct cyc y = { 0 };
	uint64_t end, cur, progress, expect;
	unsigned int i, wraps = 0, idx;
	struct sim e;

	sim_setup(&e, NULL);
	ASSERT_OK(dmae_dev_create("i2s0", &i2s));
	y.chan = request(i2s, "tx");
	sc.dst_addr = dmae_simdmac_i2s_data_addr(e.s);
	memset(ring, 0x11, sizeof(ring));
	ASSERT_OK(dmae_chan_prep_cyclic(y.chan, dmae_addr_of(ring), LEN, PERIOD, DMAE_MEM_TO_DEV,
					&sc, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, period_cb, &y, DMAE_CB_BH));
	y.cookie = dmae_desc_submit(d);
	ASSERT_NOERR(y.cookie);
	ASSERT_EQ(dmae_chan_issue_pending(y.chan), 1);
	end = test_now_ns() + WAIT_NS;
	while (atomic_load(&y.periods) < 12) {
		ASSERT_LT(test_now_ns(), end);
		test_sleep_ms(2);
	}
	/* residue: the register's view, at a paused moment */
	ASSERT_OK(dmae_chan_pause(y.chan));
	ASSERT_EQ(dmae_chan_status(y.chan, y.cookie, &ts), DMAE_PAUSED);
	cur = dmae_simdmac_reg_read(e.s, SIMDMAC_CH_BASE(dmae_simdmac_chan_index(e.s, y.chan)) +
					    SIMDMAC_CH_CUR) |
	      (uint64_t)chreg(&e, y.chan, SIMDMAC_CH_CUR + 4) << 32;
	progress = chreg(&e, y.chan, SIMDMAC_CH_PROGRESS);
	idx = (unsigned int)((cur - dmae_addr_of(&to_simdmac_desc(d)->lli[0])) /
			     sizeof(struct simdmac_lli));
	ASSERT_LT(idx, NPER);
	expect = LEN - idx * PERIOD - progress;
	ASSERT_EQ(ts.residue, expect);
	ASSERT_EQ(progress % (16 * 4), 0);
	ASSERT_OK(dmae_chan_resume(y.chan));
	ASSERT_OK(dmae_chan_terminate_sync(y.chan));

	ASSERT_EQ(atomic_load(&y.bad_ctx), 0);
	/* residues seen from the callbacks stay in range and wrap around */
	for (i = 0; i < atomic_load(&y.nres); i++) {
		ASSERT_LE(y.residue[i], LEN);
		if (i && y.residue[i] > y.residue[i - 1])
			wraps++;
	}
	ASSERT_GT(wraps, 0);
	ASSERT_OK(dmae_simdmac_i2s_get_stats(e.s, &is));
	ASSERT_GT(is.frames_played, 0);
	ASSERT_OK(dmae_chan_release(y.chan));
	ASSERT_OK(dmae_dev_destroy(i2s));
	sim_teardown(&e);
}

/*
 * A cyclic transfer with a completion object instead of a callback: the
 * object counts periods, and its result names the transfer.
 */
DMAE_TEST(cyclic_periods_signal_a_completion)
{
	enum { PERIOD = 1920, NPER = 4, LEN = PERIOD * NPER };	/* 10 ms periods */
	static unsigned char ring[LEN];
	struct dmae_slave_config sc = { .dst_width = 4, .dst_burst = 16 };
	struct dmae_completion periods;
	struct dmae_result res;
	struct dmae_chan *chan;
	dmae_cookie_t cookie;
	struct dmae_dev *i2s;
	struct dmae_desc *d;
	struct sim e;
	int i;

	sim_setup(&e, NULL);
	ASSERT_OK(dmae_dev_create("i2s0", &i2s));
	chan = request(i2s, "tx");
	sc.dst_addr = dmae_simdmac_i2s_data_addr(e.s);
	dmae_completion_init(&periods);
	ASSERT_OK(dmae_chan_prep_cyclic(chan, dmae_addr_of(ring), LEN, PERIOD, DMAE_MEM_TO_DEV,
					&sc, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &periods, &res));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	for (i = 0; i < 3; i++)
		ASSERT_OK(dmae_completion_wait_timeout(&periods, WAIT_NS));
	ASSERT_OK(dmae_chan_terminate_sync(chan));
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_EQ(res.cookie, cookie);
	ASSERT_OK(dmae_chan_release(chan));
	ASSERT_OK(dmae_dev_destroy(i2s));
	sim_teardown(&e);
}

/* ---- per-descriptor slave configuration under concurrency ----------------------------- */

struct prep_thread {
	struct dmae_chan *chan;
	struct dmae_slave_config cfg;
	uint32_t want_ctrl_mask;
	uint32_t want_ctrl;
	unsigned int bad;
};

static void *prep_worker(void *arg)
{
	struct prep_thread *t = arg;
	static unsigned char buf[4096];
	struct dmae_sg sg[2] = { { dmae_addr_of(buf), 1024 }, { dmae_addr_of(buf + 2048), 512 } };
	int i;

	for (i = 0; i < 2000; i++) {
		struct dmae_desc *d;
		struct simdmac_desc *sd;
		int ret = dmae_chan_prep_slave_sg(t->chan, sg, 2, DMAE_MEM_TO_DEV, &t->cfg, 0, &d);

		if (ret == -ENOSPC)
			continue;
		if (ret) {
			t->bad++;
			continue;
		}
		sd = to_simdmac_desc(d);
		if (sd->nlli != 2 || (sd->lli[0].ctrl & t->want_ctrl_mask) != t->want_ctrl ||
		    (sd->lli[1].ctrl & t->want_ctrl_mask) != t->want_ctrl ||
		    sd->lli[0].dst != t->cfg.dst_addr || d->cfg.dst_burst != t->cfg.dst_burst)
			t->bad++;
		dmae_desc_free(d);
	}
	return NULL;
}

DMAE_TEST(slave_config_per_descriptor_concurrent)
{
	const uint32_t mask = SIMDMAC_CTRL_WIDTH(7) | SIMDMAC_CTRL_BURST(256);
	struct prep_thread t[2];
	pthread_t th[2];
	struct dmae_dev *uart;
	struct sim e;
	struct dmae_chan *c;
	dmae_addr_t dr;
	int i;

	sim_setup(&e, NULL);
	ASSERT_OK(dmae_dev_create("uart0", &uart));
	c = request(uart, "tx");
	dr = dmae_simdmac_uart_data_addr(e.s);
	/* the channel default differs from both */
	ASSERT_OK(dmae_chan_config(c, &(struct dmae_slave_config){ .dst_addr = dr, .dst_width = 2,
								    .dst_burst = 2 }));
	t[0] = (struct prep_thread){ c, { .dst_addr = dr, .dst_width = 1, .dst_burst = 4 }, mask,
				     SIMDMAC_CTRL_WIDTH(0) | SIMDMAC_CTRL_BURST(4), 0 };
	t[1] = (struct prep_thread){ c, { .dst_addr = dr, .dst_width = 4, .dst_burst = 16 }, mask,
				     SIMDMAC_CTRL_WIDTH(2) | SIMDMAC_CTRL_BURST(16), 0 };
	for (i = 0; i < 2; i++)
		ASSERT_OK(pthread_create(&th[i], NULL, prep_worker, &t[i]));
	for (i = 0; i < 2; i++)
		ASSERT_OK(pthread_join(th[i], NULL));
	ASSERT_EQ(t[0].bad, 0);
	ASSERT_EQ(t[1].bad, 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(uart));
	sim_teardown(&e);
}

/* ---- setup API ---------------------------------------------------------------------- */

DMAE_TEST(create_destroy_errors)
{
	struct dmae_simdmac *s, *s2;
	struct dmae_dev *dev;
	struct dmae_chan *c;

	ASSERT_ERR(dmae_simdmac_create(NULL, &s), -ESHUTDOWN);
	ASSERT_OK(dmae_init());
	ASSERT_ERR(dmae_simdmac_create(NULL, NULL), -EINVAL);
	ASSERT_ERR(dmae_simdmac_create(&(struct dmae_simdmac_config){ .nr_chans = 33 }, &s),
		   -EINVAL);
	ASSERT_OK(dmae_simdmac_create(&(struct dmae_simdmac_config){ .name = "soc" }, &s));
	/* same peripheral names: routes collide */
	ASSERT_ERR(dmae_simdmac_create(NULL, &s2), -EEXIST);
	ASSERT_OK(dmae_simdmac_create(&(struct dmae_simdmac_config){ .uart_name = "uart1",
								      .i2s_name = "i2s1" },
				      &s2));
	ASSERT_OK(dmae_dev_create("uart1", &dev));
	ASSERT_OK(dmae_chan_request(dev, "rx", NULL, &c));
	ASSERT_EQ(dmae_simdmac_chan_index(s, c), -EINVAL);
	ASSERT_EQ(dmae_simdmac_chan_index(s2, c), 0);
	/* removed while in use: the channel is revoked, the SoC goes at its release */
	test_log_capture_start();
	ASSERT_OK(dmae_simdmac_destroy(s2));
	ASSERT_ERR(dmae_chan_terminate_sync(c), -ENODEV);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(dev));
	ASSERT_ERR(dmae_simdmac_fault_inject(s, NULL), -EINVAL);
	ASSERT_OK(dmae_simdmac_destroy(s));
	ASSERT_ERR(dmae_simdmac_destroy(NULL), -EINVAL);
	dmae_exit();
}

/*
 * The clock model catches a register access to a gated channel: here a
 * driver op called around the core while the channel is suspended.  The
 * core itself never does that (every test's teardown checks the count).
 */
DMAE_TEST(gated_access_counted_when_core_bypassed)
{
	struct dmae_dev_pm_info pi;
	struct dmae_simdmac *s;
	struct dmae_dev *dev;
	struct dmae_chan *c;
	uint64_t end;

	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_simdmac_create(NULL, &s));
	ASSERT_OK(dmae_dev_create("bypass", &dev));
	ASSERT_OK(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	end = test_now_ns() + 120ull * 1000000000ull;
	do {
		ASSERT_OK(dmae_dev_pm_info_get(dmae_chan_dev(c), &pi));
		ASSERT_LT(test_now_ns(), end);
		test_sleep_ms(1);
	} while (pi.state != DMAE_PM_SUSPENDED);
	ASSERT_EQ(dmae_simdmac_gated_accesses(s), 0);
	c->provider->ops->terminate(c);		/* not through dmae_chan_terminate_*() */
	ASSERT_GT(dmae_simdmac_gated_accesses(s), 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_dev_destroy(dev));
	ASSERT_OK(dmae_simdmac_destroy(s));
	dmae_exit();
}
