/* SPDX-License-Identifier: MIT */
/*
 * The PL08x driver on the emulated board: PL081 dma0 of the mps2-an505.
 *
 * What QEMU's model of the controller does, and so what these tests can
 * and cannot see: it runs a memory-to-memory list to its end inside the
 * register write that enables the channel (so nothing is ever caught in
 * the middle of a copy); it honours Halt and never sets Active; it has no
 * inputs for peripheral request lines, so a channel waiting for its
 * peripheral waits for ever, which is how the tests below hold a transfer
 * in flight to pause, resume, read the residue of and terminate; it
 * reports no AHB error; and it stops the emulator if a channel selects
 * the peripheral as flow controller, which no test does.  docs/pl08x.md
 * lists the same.
 */
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/pl08x.h>

#include "board.h"
#include "test.h"

#define WAIT_NS 2000000000ull	/* far more than any copy here takes */
#define GUARD 0xa5
#define SLACK 16		/* guard bytes on each side of a destination */
#define BUF 40000

static _Alignas(4) uint8_t src_buf[BUF + 2 * SLACK];
static _Alignas(4) uint8_t dst_buf[BUF + 2 * SLACK];
static uint32_t dev_word;	/* stands in for a peripheral's data register */

/* env.platform is the controller: a failed test's fixture is cleaned up */
struct fixture {
	struct test_env env;
	struct dmae_pl08x *dmac;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
};

static void setup(struct fixture *f, uint32_t max_lli)
{
	struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;

	cfg.name = "pl081";
	cfg.base = BOARD_DMA_BASE(0);
	cfg.irq_tc = (int)BOARD_DMA_IRQ_TC(0);
	cfg.irq_err = (int)BOARD_DMA_IRQ_ERR(0);
	cfg.max_lli = max_lli;
	test_consumer_setup(&f->env);
	ASSERT_OK(dmae_pl08x_create(&cfg, &f->dmac));
	f->env.platform = f->dmac;
	ASSERT_EQ(dmae_pl08x_nr_chans(f->dmac), 2u);
	f->dev = f->env.dev;
	f->chan = NULL;
}

static void request_memcpy(struct fixture *f)
{
	ASSERT_OK(dmae_chan_request_caps(f->dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &f->chan));
}

static void teardown(struct fixture *f)
{
	if (f->chan)
		ASSERT_OK(dmae_chan_release(f->chan));
	test_provider_teardown(&f->env);
}

static void fill_src(void)
{
	size_t i;

	for (i = 0; i < sizeof(src_buf); i++)
		src_buf[i] = (uint8_t)(i * 7 + (i >> 8) + 1);
	memset(dst_buf, GUARD, sizeof(dst_buf));
}

/* The copy landed, and nothing around it changed. */
static void check_copy(size_t doff, size_t soff, size_t len)
{
	size_t i;

	ASSERT_MEM_EQ(dst_buf + doff, src_buf + soff, len);
	for (i = 0; i < doff; i++)
		ASSERT_EQ(dst_buf[i], GUARD);
	for (i = doff + len; i < sizeof(dst_buf); i++)
		ASSERT_EQ(dst_buf[i], GUARD);
}

/* Prep, submit, issue, wait for the completion object; the result. */
static struct dmae_result run(struct dmae_chan *chan, struct dmae_desc *d)
{
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	dmae_cookie_t cookie;
	struct dmae_tx_state st;

	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	cookie = dmae_desc_submit(d);
	ASSERT_NOERR(cookie);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	ASSERT_OK(dmae_completion_wait_timeout(&done, WAIT_NS));
	ASSERT_EQ(res.cookie, cookie);
	if (res.code == DMAE_RESULT_OK) {
		ASSERT_EQ(dmae_chan_status(chan, cookie, &st), DMAE_COMPLETE);
		ASSERT_EQ(st.residue, 0u);
	}
	return res;
}

static void copy(struct dmae_chan *chan, size_t doff, size_t soff, size_t len)
{
	struct dmae_desc *d;
	struct dmae_result res;

	fill_src();
	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst_buf + doff),
					dmae_addr_of(src_buf + soff), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	res = run(chan, d);
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_EQ(res.residue, 0u);
	check_copy(doff, soff, len);
}

/*
 * An item moves at most 4095 transfers: a word-aligned copy of 40000
 * bytes takes three items, an unaligned one of 12000 bytes three items of
 * bytes.  Both must land whole, with the guards around them untouched.
 */
DMAE_TEST(copy_longer_than_one_item)
{
	struct fixture f;
	struct dmae_caps caps;

	setup(&f, 0);
	request_memcpy(&f);
	ASSERT_OK(dmae_chan_get_caps(f.chan, &caps));
	ASSERT_EQ(caps.max_seg_len, 32u * 4095u);	/* worst case: byte transfers */
	copy(f.chan, SLACK, SLACK, BUF);
	copy(f.chan, SLACK + 1, SLACK + 2, 12000);
	copy(f.chan, SLACK + 3, SLACK + 3, 3 * 4095 + 5);	/* shared misalignment */
	teardown(&f);
}

/* Every combination of source and destination offset over lengths around
 * the width and item boundaries. */
DMAE_TEST(copy_lengths_and_alignments)
{
	static const size_t lens[] = { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 255, 4094, 4095,
				       4096, 8190, 8191, 16380, 16381, 16384 };
	struct fixture f;
	size_t s, d, l;

	setup(&f, 0);
	request_memcpy(&f);
	for (l = 0; l < TEST_ARRAY_SIZE(lens); l++)
		for (s = 0; s < 4; s++)
			for (d = 0; d < 4; d++)
				copy(f.chan, SLACK + d, SLACK + s, lens[l]);
	teardown(&f);
}

/* Scatter-gather: pieces of odd sizes and offsets on both sides. */
DMAE_TEST(sg_copy)
{
	static const size_t dlen[] = { 5000, 3, 13001, 1 };
	static const size_t slen[] = { 7, 4096, 13000, 2, 900 };
	struct dmae_sg dsg[4], ssg[5];
	struct fixture f;
	struct dmae_desc *desc;
	struct dmae_result res;
	size_t i, off, total = 0;

	setup(&f, 0);
	ASSERT_OK(dmae_chan_request_caps(f.dev, DMAE_CAP_SG, NULL, NULL, NULL, &f.chan));
	fill_src();
	for (i = 0, off = SLACK + 1; i < 4; i++) {
		dsg[i] = (struct dmae_sg){ dmae_addr_of(dst_buf + off), dlen[i] };
		total += dlen[i];
		off += dlen[i];
	}
	for (i = 0, off = SLACK + 2; i < 5; i++) {
		ssg[i] = (struct dmae_sg){ dmae_addr_of(src_buf + off), slen[i] };
		off += slen[i];
	}
	ASSERT_EQ(total, 7u + 4096u + 13000u + 2u + 900u);
	ASSERT_OK(dmae_chan_prep_sg(f.chan, dsg, 4, ssg, 5, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK,
				    &desc));
	res = run(f.chan, desc);
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	check_copy(SLACK + 1, SLACK + 2, total);
	teardown(&f);
}

/*
 * What a descriptor's list items cannot hold is refused at prep with
 * -EINVAL (and the descriptor goes back to the pool): with 4 items, an sg
 * of 5 pieces; and nothing above the 32-bit bus.
 */
DMAE_TEST(prep_refuses_what_the_hardware_cannot_do)
{
	struct dmae_sg dsg[5], ssg = { dmae_addr_of(src_buf), 50 };
	struct fixture f;
	struct dmae_desc *d = NULL;
	struct dmae_chan_stats st;
	size_t i;

	setup(&f, 4);
	ASSERT_OK(dmae_chan_request_caps(f.dev, DMAE_CAP_SG, NULL, NULL, NULL, &f.chan));
	for (i = 0; i < 5; i++)		/* at least one item per piece */
		dsg[i] = (struct dmae_sg){ dmae_addr_of(dst_buf + 100 * i), 10 };
	ASSERT_ERR(dmae_chan_prep_sg(f.chan, dsg, 5, &ssg, 1, 0, &d), -EINVAL);
	ASSERT_ERR(dmae_chan_prep_memcpy(f.chan, UINT64_C(1) << 32, dmae_addr_of(src_buf), 4, 0,
					 &d), -EINVAL);
	ASSERT_ERR(dmae_chan_prep_memcpy(f.chan, dmae_addr_of(dst_buf), UINT64_C(0xfffffffe),
					 4, 0, &d), -EINVAL);
	ASSERT_NULL(d);
	ASSERT_OK(dmae_chan_stats_get(f.chan, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);
	/* 4 items of 4095 bytes: the largest unaligned copy still fits */
	copy(f.chan, SLACK + 1, SLACK, 4 * 4095);
	teardown(&f);
}

static void request_slave(struct fixture *f, uint32_t line)
{
	struct dmae_route r = { .consumer = TEST_CONSUMER, .name = "tx", .provider = "pl081",
				.spec = { line }, .nspec = 1 };

	ASSERT_OK(dmae_route_add(&r));
	ASSERT_OK(dmae_chan_request(f->dev, "tx", NULL, &f->chan));
}

static int slave_prep(struct dmae_chan *chan, unsigned int n, struct dmae_desc **d)
{
	struct dmae_slave_config cfg = { .dst_addr = dmae_addr_of(&dev_word), .dst_width = 4,
					 .dst_burst = 4 };
	struct dmae_sg sg[3];
	unsigned int i;

	for (i = 0; i < n; i++)
		sg[i] = (struct dmae_sg){ dmae_addr_of(src_buf + 4096 * i), 4 * 4095 + 8 };
	return dmae_chan_prep_slave_sg(chan, sg, n, DMAE_MEM_TO_DEV, &cfg, DMAE_PREP_INTERRUPT,
				       d);
}

static void cb_count(void *arg, const struct dmae_result *res)
{
	(void)res;
	(*(unsigned int *)arg)++;
}

/*
 * A transfer to a peripheral whose request line never rises (the emulator
 * wires none) stays in flight at its first item: pause halts it, its
 * residue is all of it, resume lets it wait again, terminate drops it
 * without its callback and synchronize returns, with the "peripheral"
 * never written.
 */
DMAE_TEST(slave_in_flight_pause_residue_terminate)
{
	struct fixture f;
	struct dmae_desc *d;
	struct dmae_tx_state st;
	dmae_cookie_t cookie;
	unsigned int calls = 0;
	uint64_t len = 3 * (4 * 4095 + 8);

	setup(&f, 0);
	request_slave(&f, 3);
	dev_word = 0x12345678;
	ASSERT_OK(slave_prep(f.chan, 3, &d));
	ASSERT_OK(dmae_desc_set_callback(d, cb_count, &calls, DMAE_CB_BH));
	cookie = dmae_desc_submit(d);
	ASSERT_NOERR(cookie);
	ASSERT_EQ(dmae_chan_issue_pending(f.chan), 1);
	ASSERT_EQ(dmae_chan_status(f.chan, cookie, &st), DMAE_IN_PROGRESS);
	ASSERT_EQ(st.residue, len);

	ASSERT_OK(dmae_chan_pause(f.chan));
	ASSERT_EQ(dmae_chan_status(f.chan, cookie, &st), DMAE_PAUSED);
	ASSERT_EQ(st.residue, len);
	ASSERT_OK(dmae_chan_resume(f.chan));
	ASSERT_EQ(dmae_chan_status(f.chan, cookie, &st), DMAE_IN_PROGRESS);

	ASSERT_OK(dmae_chan_terminate_sync(f.chan));
	ASSERT_EQ(calls, 0u);
	ASSERT_EQ(dev_word, 0x12345678u);
	ASSERT_EQ(dmae_chan_status(f.chan, cookie, &st), DMAE_ERROR);

	/* the channel is usable again: a second one is refused nothing */
	ASSERT_OK(slave_prep(f.chan, 1, &d));
	ASSERT_NOERR(dmae_desc_submit(d));
	ASSERT_OK(dmae_chan_terminate_sync(f.chan));
	ASSERT_OK(dmae_route_remove(TEST_CONSUMER, "tx"));
	teardown(&f);
}

/* Slave preps check what the core cannot know: that the channel has a
 * request line (a route's), and that the device is on the 32-bit bus. */
DMAE_TEST(slave_prep_refusals)
{
	struct dmae_slave_config cfg = { .dst_addr = dmae_addr_of(&dev_word), .dst_width = 4,
					 .dst_burst = 1 };
	struct dmae_sg sg = { dmae_addr_of(src_buf), 8 };
	struct dmae_route bad = { .consumer = TEST_CONSUMER, .name = "bad", .provider = "pl081",
				  .spec = { 16 }, .nspec = 1 };
	struct fixture f;
	struct dmae_chan *c = NULL;
	struct dmae_desc *d = NULL;

	setup(&f, 0);
	ASSERT_OK(dmae_chan_request_caps(f.dev, DMAE_CAP_SLAVE_SG, NULL, NULL, NULL, &f.chan));
	/* requested by capability: no request line */
	ASSERT_ERR(dmae_chan_prep_slave_sg(f.chan, &sg, 1, DMAE_MEM_TO_DEV, &cfg, 0, &d), -EINVAL);
	ASSERT_OK(dmae_chan_release(f.chan));
	f.chan = NULL;
	ASSERT_OK(dmae_route_add(&bad));	/* line 16 does not exist */
	ASSERT_ERR(dmae_chan_request(f.dev, "bad", NULL, &c), -ENODEV);
	request_slave(&f, 0);
	cfg.dst_addr = UINT64_C(1) << 32;
	ASSERT_ERR(dmae_chan_prep_slave_sg(f.chan, &sg, 1, DMAE_MEM_TO_DEV, &cfg, 0, &d), -EINVAL);
	ASSERT_NULL(d);
	cfg.dst_addr = dmae_addr_of(&dev_word);
	ASSERT_OK(dmae_chan_prep_slave_sg(f.chan, &sg, 1, DMAE_MEM_TO_DEV, &cfg, 0, &d));
	ASSERT_OK(dmae_desc_free(d));
	ASSERT_OK(dmae_route_remove(TEST_CONSUMER, "tx"));
	ASSERT_OK(dmae_route_remove(TEST_CONSUMER, "bad"));
	teardown(&f);
}

/*
 * A copy from an address nothing answers at.  On silicon the controller
 * takes an AHB error response, disables the channel and raises the error
 * interrupt, and the driver completes the descriptor ABORTED.  The
 * emulator ignores bus errors, so there the copy "succeeds": the test
 * says so and skips rather than pass on what it could not see.
 */
DMAE_TEST(error_response_on_bad_address)
{
	struct fixture f;
	struct dmae_desc *d;
	struct dmae_result res;

	setup(&f, 0);
	request_memcpy(&f);
	memset(dst_buf, GUARD, sizeof(dst_buf));
	ASSERT_OK(dmae_chan_prep_memcpy(f.chan, dmae_addr_of(dst_buf + SLACK),
					UINT64_C(0x0f000000), 64,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	res = run(f.chan, d);
	if (res.code == DMAE_RESULT_OK) {
		teardown(&f);
		TEST_SKIP("the emulated PL081 answers no AHB error response");
	}
	ASSERT_EQ(res.code, DMAE_RESULT_ABORTED);
	ASSERT_LE(res.residue, 64u);
	teardown(&f);
}

/*
 * Removal while in use: the held channel is revoked (-ENODEV), the
 * driver's memory stays until the holder releases it.
 */
DMAE_TEST(destroy_while_held)
{
	struct fixture f;
	struct dmae_desc *d;

	setup(&f, 0);
	request_memcpy(&f);
	copy(f.chan, SLACK, SLACK, 100);
	ASSERT_OK(dmae_pl08x_destroy(f.dmac));
	ASSERT_ERR(dmae_chan_prep_memcpy(f.chan, dmae_addr_of(dst_buf), dmae_addr_of(src_buf),
					 4, 0, &d), -ENODEV);
	ASSERT_OK(dmae_chan_release(f.chan));
	ASSERT_OK(dmae_dev_destroy(f.dev));
	dmae_exit();
}
