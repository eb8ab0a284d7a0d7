/* SPDX-License-Identifier: MIT */
/*
 * tests/test_api_provider.c - client API paths a swdma channel never
 * takes, through a fake minimal provider: unsupported operations and
 * features (-EOPNOTSUPP), alignment the caps demand (-EINVAL), and the
 * validation dmae_provider_register() does on a provider.
 *
 * The fake ("fakedma") advertises memcpy only, with 4-byte alignment, no
 * pause and no descriptor reuse.  Its issue_pending starts every issued
 * descriptor and raises its interrupt line; the handler copies each
 * active descriptor with the CPU and completes it.
 */
#include <stdlib.h>
#include <string.h>

#include <dmae/provider.h>
#include <dmae/vchan.h>

#include "test.h"

#define FAKE_CHANS 2
#define WAIT_NS (120ull * 1000000000ull)

struct fake_desc {
	struct dmae_desc d;
	dmae_addr_t dst, src;
	uint64_t len;
};

struct fake {
	struct dmae_provider p;
	struct dmae_provider_ops ops;	/* a copy per instance: tests break it */
	struct dmae_vchan vc[FAKE_CHANS];
	struct dmae_irq *irq;
	bool quiet;			/* issue_pending raises no interrupt */
	atomic_bool poll_idle;		/* the poll op finds nothing to do */
	atomic_uint polls;		/* poll op runs */
	atomic_uint handler_runs;
	int chan_alloc_ret;		/* what the chan_alloc op returns */
	unsigned int chan_allocs, chan_frees;
};

static struct fake *fake_of(struct dmae_chan *chan)
{
	return chan->provider->drvdata;
}

static int fake_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
			    dmae_addr_t src, uint64_t len)
{
	struct fake_desc *fd = dmae_container_of(d, struct fake_desc, d);

	(void)chan;
	fd->dst = dst;
	fd->src = src;
	fd->len = len;
	return 0;
}

/* Never called: only there so that a provider advertising sg has a prep op. */
static int fake_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			const struct dmae_sg *dst, unsigned int ndst,
			const struct dmae_sg *src, unsigned int nsrc)
{
	(void)chan;
	(void)d;
	(void)dst;
	(void)ndst;
	(void)src;
	(void)nsrc;
	return -EIO;
}

/* The same for slave scatter-gather. */
static int fake_prep_slave_sg(struct dmae_chan *chan, struct dmae_desc *d,
			      const struct dmae_sg *sg, unsigned int nsg)
{
	(void)chan;
	(void)d;
	(void)sg;
	(void)nsg;
	return -EIO;
}

/* Per-channel set-up and teardown that count; set-up fails as told. */
static int fake_chan_alloc(struct dmae_chan *chan)
{
	fake_of(chan)->chan_allocs++;
	return fake_of(chan)->chan_alloc_ret;
}

static void fake_chan_free(struct dmae_chan *chan)
{
	fake_of(chan)->chan_frees++;
}

/* The same for interleaved. */
static int fake_prep_interleaved(struct dmae_chan *chan, struct dmae_desc *d,
				 const struct dmae_interleaved *t)
{
	(void)chan;
	(void)d;
	(void)t;
	return -EIO;
}

/* Start what can start (fences wait for the active ones). vc->lock held. */
static bool fake_start(struct dmae_vchan *vc)
{
	bool any = false;

	while (dmae_vchan_start_next(vc))
		any = true;
	return any;
}

static void fake_issue_pending(struct dmae_chan *chan)
{
	if (fake_start(dmae_to_vchan(chan)) && !fake_of(chan)->quiet)
		dmae_irq_raise(fake_of(chan)->irq);
}

static void fake_terminate(struct dmae_chan *chan)
{
	(void)chan;	/* the core collects the descriptors; nothing in flight */
}

static void fake_synchronize(struct dmae_chan *chan)
{
	(void)chan;	/* the core synchronizes the IRQ line */
}

static int fake_pause(struct dmae_chan *chan)
{
	(void)chan;
	return 0;
}

/* The "hardware" runs vc's active descriptors now.  True if it ran any. */
static bool fake_run(struct dmae_vchan *vc)
{
	struct dmae_desc *d;
	dmae_irqflags_t fl;
	bool handled = false;

	dmae_vchan_lock(vc, &fl);
	do {
		while ((d = dmae_vchan_first_active(vc))) {
			struct fake_desc *fd = dmae_container_of(d, struct fake_desc, d);

			memcpy((void *)(uintptr_t)fd->dst, (const void *)(uintptr_t)fd->src,
			       fd->len);
			dmae_vchan_complete(d, DMAE_RESULT_OK, 0);
			handled = true;
		}
	} while (fake_start(vc));
	dmae_vchan_unlock(vc, fl);
	return handled;
}

static enum dmae_irqreturn fake_irq(void *arg)
{
	struct fake *f = arg;
	bool handled = false;
	int i;

	atomic_fetch_add(&f->handler_runs, 1);
	for (i = 0; i < FAKE_CHANS; i++)
		handled |= fake_run(&f->vc[i]);
	return handled ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
}

/* The poll op: one channel's part of fake_irq() (unless told to find nothing). */
static enum dmae_irqreturn fake_poll(struct dmae_chan *chan)
{
	struct fake *f = fake_of(chan);

	atomic_fetch_add(&f->polls, 1);
	if (atomic_load(&f->poll_idle) || !fake_run(dmae_to_vchan(chan)))
		return DMAE_IRQ_NONE;
	return DMAE_IRQ_HANDLED;
}

static const struct dmae_provider_ops fake_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.prep_memcpy = fake_prep_memcpy,
	.issue_pending = fake_issue_pending,
	.terminate = fake_terminate,
	.synchronize = fake_synchronize,
};

/* Fill a valid fake (not registered); nchans 0 makes one without channels. */
static struct fake *fake_new(const char *name, unsigned int nchans)
{
	struct fake *f = calloc(1, sizeof(*f));
	unsigned int i;

	ASSERT_NOT_NULL(f);
	dmae_provider_init(&f->p);
	snprintf(f->p.name, sizeof(f->p.name), "%s", name);
	f->ops = fake_ops;
	f->p.ops = &f->ops;
	f->p.caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 1u << 2,
		.min_burst = 1,
		.max_burst = 16,
		.align_shift = { [DMAE_OP_MEMCPY] = 2 },
		.residue = DMAE_RESIDUE_DESCRIPTOR,
		.terminate = true,
	};
	f->p.desc_size = sizeof(struct fake_desc);
	f->p.default_pool_size = 8;
	f->p.drvdata = f;
	for (i = 0; i < nchans; i++)
		dmae_vchan_init(&f->vc[i], &f->p, i);
	return f;
}

static void fake_start_irq(struct fake *f)
{
	ASSERT_OK(dmae_irq_request(f->p.name, fake_irq, f, &f->irq));
	f->p.irq = f->irq;
}

static void fake_free(struct fake *f)
{
	if (f->irq)
		dmae_irq_free(f->irq);
	free(f);
}

static bool filter_provider(struct dmae_chan *chan, void *arg)
{
	return chan->provider == arg;
}

/* A consumer, plus f registered with one of its channels held. */
static void fake_up(struct test_env *env, struct fake *f, struct dmae_chan **chan)
{
	test_consumer_setup(env);
	fake_start_irq(f);
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					 chan));
}

static void fake_down(struct test_env *env, struct fake *f, struct dmae_chan *chan)
{
	ASSERT_OK(dmae_chan_release(chan));
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);
	test_swdma_teardown(env);
}

/* ---- unsupported operations and features ---------------------------------------- */

DMAE_TEST(fake_unsupported_ops_and_features)
{
	struct test_env env;
	struct fake *f;
	struct dmae_chan *chan, *x = NULL;
	struct dmae_caps caps;
	static uint32_t src[64], dst[64];
	struct dmae_sg sg = { dmae_addr_of(src), 64 }, dsg = { dmae_addr_of(dst), 64 };
	struct dmae_chunk ch = { 16, 0, 0 };
	struct dmae_interleaved t = { .src = dmae_addr_of(src), .dst = dmae_addr_of(dst),
				      .src_inc = true, .dst_inc = true, .numf = 1,
				      .frame_size = 1, .chunks = &ch };
	struct dmae_desc *d = NULL;

	test_consumer_setup(&env);
	f = fake_new("fakedma", FAKE_CHANS);
	fake_start_irq(f);
	ASSERT_OK(dmae_provider_register(&f->p));
	/* only memcpy: a request for more never lands on the fake */
	ASSERT_ERR(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMSET, filter_provider, &f->p, NULL,
					  &x), -ENODEV);
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					 &chan));
	ASSERT_OK(dmae_chan_get_caps(chan, &caps));
	ASSERT_EQ(caps.ops, DMAE_CAP_MEMCPY);

	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_memset(chan, dmae_addr_of(dst), 0, 64, DMAE_PREP_ACK, &d),
		   -EOPNOTSUPP);
	ASSERT_LOGGED("does not support memset");
	ASSERT_ERR(dmae_chan_prep_sg(chan, &dsg, 1, &sg, 1, DMAE_PREP_ACK, &d), -EOPNOTSUPP);
	ASSERT_ERR(dmae_chan_prep_interleaved(chan, &t, DMAE_PREP_ACK, &d), -EOPNOTSUPP);
	ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), 64,
					 DMAE_PREP_ACK | DMAE_PREP_REUSE, &d), -EOPNOTSUPP);
	ASSERT_LOGGED("does not support descriptor reuse");
	ASSERT_NULL(d);
	ASSERT_ERR(dmae_chan_pause(chan), -EOPNOTSUPP);
	ASSERT_LOGGED("cannot pause");
	ASSERT_ERR(dmae_chan_resume(chan), -EOPNOTSUPP);
	test_log_capture_stop();

	/* what it does support works, through the same client API */
	{
		struct dmae_completion comp;
		struct dmae_result res;
		dmae_cookie_t ck;
		int i;

		for (i = 0; i < 64; i++)
			src[i] = 0x01020304u * (uint32_t)(i + 1);
		memset(dst, 0, sizeof(dst));
		dmae_completion_init(&comp);
		ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src),
						sizeof(src), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK,
						&d));
		ASSERT_OK(dmae_desc_set_completion(d, &comp, &res));
		ck = dmae_desc_submit(d);
		ASSERT_GT(ck, 0);
		ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
		ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
		ASSERT_EQ(res.code, DMAE_RESULT_OK);
		ASSERT_EQ(dmae_chan_status(chan, ck, NULL), DMAE_COMPLETE);
		ASSERT_MEM_EQ(dst, src, sizeof(src));
	}
	/* terminate works without a pause op */
	ASSERT_OK(dmae_chan_terminate_sync(chan));

	ASSERT_OK(dmae_chan_release(chan));
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);
	test_swdma_teardown(&env);
}

/* A slave transfer in a direction the channel's caps do not list is refused. */
DMAE_TEST(fake_slave_direction_not_supported)
{
	static uint32_t buf[16];
	struct dmae_sg sg = { dmae_addr_of(buf), sizeof(buf) };
	struct dmae_slave_config sc = { .src_addr = 0x4000, .src_width = 4, .src_burst = 1,
					.dst_addr = 0x4000, .dst_width = 4, .dst_burst = 1 };
	struct dmae_chan *chan = NULL;
	struct dmae_desc *d = NULL;
	struct test_env env;
	struct fake *f;

	test_consumer_setup(&env);
	f = fake_new("txonly", 1);
	f->p.caps.ops |= DMAE_CAP_SLAVE_SG;
	f->p.caps.directions |= DMAE_DIR_BIT(DMAE_MEM_TO_DEV);
	f->p.caps.max_sg = 4;
	f->ops.prep_slave_sg = fake_prep_slave_sg;
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_SLAVE_SG, filter_provider, &f->p, NULL,
					 &chan));
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_slave_sg(chan, &sg, 1, DMAE_DEV_TO_MEM, &sc, 0, &d), -EINVAL);
	ASSERT_LOGGED("does not support dev-to-mem");
	test_log_capture_stop();
	ASSERT_NULL(d);
	fake_down(&env, f, chan);
}

DMAE_TEST(fake_alignment_from_caps)
{
	struct test_env env;
	struct fake *f;
	struct dmae_chan *chan;
	static uint32_t srcw[32], dstw[32];
	unsigned char *src = (unsigned char *)srcw, *dst = (unsigned char *)dstw;
	struct dmae_desc *d, *sentinel = (struct dmae_desc *)(uintptr_t)0x1;
	struct dmae_chan_stats st;
	struct dmae_completion comp;
	int i;

	f = fake_new("fakedma", FAKE_CHANS);
	fake_up(&env, f, &chan);
	d = sentinel;
	test_log_capture_start();
	for (i = 1; i < 4; i++) {
		ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + i), dmae_addr_of(src), 64,
						 DMAE_PREP_ACK, &d), -EINVAL);
		ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src + i), 64,
						 DMAE_PREP_ACK, &d), -EINVAL);
		ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src),
						 (uint64_t)(64 + i), DMAE_PREP_ACK, &d), -EINVAL);
	}
	ASSERT_LOGGED("is not 4-byte aligned");
	ASSERT_LOGGED("length 0x41 is not 4-byte aligned");
	test_log_capture_stop();
	ASSERT_PTR_EQ(d, sentinel);
	st = (struct dmae_chan_stats){ 0 };
	ASSERT_OK(dmae_chan_stats_get(chan, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);

	/* aligned: accepted and copied */
	for (i = 0; i < 32; i++)
		srcw[i] = 0xdead0000u + (uint32_t)i;
	memset(dstw, 0, sizeof(dstw));
	dmae_completion_init(&comp);
	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + 4), dmae_addr_of(src + 8), 60,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, NULL));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	ASSERT_MEM_EQ(dst + 4, src + 8, 60);
	ASSERT_EQ(dstw[0], 0);
	ASSERT_EQ(dstw[16], 0);

	fake_down(&env, f, chan);
}

/* A copy longer than the caps allow is refused with the limit in the log
 * line; exactly the limit is accepted. */
DMAE_TEST(fake_max_seg_len_from_caps)
{
	static uint32_t srcw[32], dstw[32];
	struct test_env env;
	struct fake *f = fake_new("fakedma", FAKE_CHANS);
	struct dmae_chan *chan;
	struct dmae_desc *d = NULL;

	f->p.caps.max_seg_len = 64;
	fake_up(&env, f, &chan);
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dstw), dmae_addr_of(srcw), 68,
					 DMAE_PREP_ACK, &d), -EINVAL);
	ASSERT_LOGGED("segment of 68 bytes exceeds the 64-byte maximum");
	test_log_capture_stop();
	ASSERT_NULL(d);
	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dstw), dmae_addr_of(srcw), 64,
					DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_free(d));
	fake_down(&env, f, chan);
}

/*
 * Totals that overflow 64 bits.  Only a provider without a segment limit
 * (max_seg_len 0, as the fake) lets segments be that large; each refusal
 * names the overflow.
 */
DMAE_TEST(fake_totals_that_overflow)
{
	const uint64_t half = UINT64_C(1) << 63;
	struct dmae_sg big[2] = { { 0x1000, half }, { 0x2000, half } };
	struct dmae_sg one = { 0x1000, 64 };
	struct dmae_chunk huge[2] = { { .size = half }, { .size = half } };
	struct dmae_chunk gap = { .size = 64, .src_icg = UINT64_MAX - 32 };
	struct dmae_interleaved t = { .dst = 0x100000, .src = 0x200000, .src_inc = true,
				      .dst_inc = true, .numf = 1 };
	struct dmae_chan *chan = NULL;
	struct dmae_desc *d = NULL;
	struct test_env env;
	struct fake *f;

	test_consumer_setup(&env);
	f = fake_new("huge", 1);
	f->p.caps.ops |= DMAE_CAP_SG | DMAE_CAP_INTERLEAVED;
	f->ops.prep_sg = fake_prep_sg;
	f->ops.prep_interleaved = fake_prep_interleaved;
	f->p.caps.max_sg = 4;
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_SG, filter_provider, &f->p, NULL,
					 &chan));
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_sg(chan, &one, 1, big, 2, 0, &d), -EINVAL);
	ASSERT_LOGGED("the source list's total length overflows");
	t.chunks = huge;
	t.frame_size = 2;
	ASSERT_ERR(dmae_chan_prep_interleaved(chan, &t, 0, &d), -EINVAL);
	ASSERT_LOGGED("frame size overflows");
	t.chunks = &gap;
	t.frame_size = 1;
	t.src_sgl = true;
	ASSERT_ERR(dmae_chan_prep_interleaved(chan, &t, 0, &d), -EINVAL);
	ASSERT_LOGGED("the gaps make the transfer's extent overflow");
	test_log_capture_stop();
	ASSERT_NULL(d);
	fake_down(&env, f, chan);
}

/* ---- provider registration ------------------------------------------------------------ */

/* Register f, expect -EINVAL and a log line containing why; free it. */
static void expect_rejected(struct fake *f, const char *why)
{
	test_log_capture_clear();
	ASSERT_ERR(dmae_provider_register(&f->p), -EINVAL);
	ASSERT_LOGGED(why);
	ASSERT_EQ(f->p.state, DMAE_PROVIDER_UNREGISTERED);
	fake_free(f);
}

DMAE_TEST(provider_register_validation)
{
	struct test_env env;
	struct fake *f;

	test_consumer_setup(&env);
	test_log_capture_start();

	ASSERT_ERR(dmae_provider_register(NULL), -EINVAL);

	f = fake_new("", 1);
	expect_rejected(f, "provider has no name");

	f = fake_new("bad", 1);
	f->p.ops = NULL;
	expect_rejected(f, "no ops table");

	f = fake_new("bad", 1);
	f->ops.size = 8;
	expect_rejected(f, "ops table size 8");

	f = fake_new("bad", 1);
	f->ops.size = sizeof(struct dmae_provider_ops) + sizeof(void *);
	expect_rejected(f, "ops table size");

	/* A table from an older header (fewer optional ops) is accepted. */
	f = fake_new("older", 1);
	f->ops.size = offsetof(struct dmae_provider_ops, synchronize) + sizeof(void *);
	f->ops.residue = (void *)1;	/* beyond its size: must not be seen */
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_NULL(f->p.ops->residue);
	/* registering it again is refused and leaves its table whole */
	ASSERT_ERR(dmae_provider_register(&f->p), -EEXIST);
	ASSERT_PTR_EQ(f->p.ops->issue_pending, fake_issue_pending);
	ASSERT_OK(dmae_provider_unregister(&f->p));
	/* and after an unregister it registers again */
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_PTR_EQ(f->p.ops->issue_pending, fake_issue_pending);
	ASSERT_NULL(f->p.ops->residue);
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);

	f = fake_new("bad", 1);
	f->ops.issue_pending = NULL;
	expect_rejected(f, "mandatory op issue_pending missing");

	f = fake_new("bad", 1);
	f->ops.terminate = NULL;
	expect_rejected(f, "mandatory op terminate missing");

	f = fake_new("bad", 1);
	f->ops.synchronize = NULL;
	expect_rejected(f, "mandatory op synchronize missing");

	f = fake_new("bad", 1);
	f->ops.poll = fake_poll;	/* the fake has no interrupt line */
	expect_rejected(f, "poll op without an interrupt line");

	f = fake_new("bad", 1);
	f->p.caps.ops = 0;
	expect_rejected(f, "operation mask 0x0 is empty or unknown");

	f = fake_new("bad", 1);
	f->p.caps.ops |= 1u << 20;
	expect_rejected(f, "is empty or unknown");

	f = fake_new("bad", 1);
	f->p.caps.ops |= DMAE_CAP_MEMSET;	/* no prep_memset */
	expect_rejected(f, "advertises memset without its prep op");

	f = fake_new("bad", 1);
	f->ops.prep_memcpy = NULL;
	expect_rejected(f, "advertises memcpy without its prep op");

	f = fake_new("bad", 1);
	f->p.caps.ops |= DMAE_CAP_SG;
	f->ops.prep_sg = fake_prep_sg;
	f->p.caps.max_sg = 0;
	expect_rejected(f, "without max_sg");

	f = fake_new("bad", 1);
	f->p.caps.align_shift[DMAE_OP_MEMCPY] = 13;
	expect_rejected(f, "alignment 2^13 is not sensible");

	f = fake_new("bad", 1);
	f->p.caps.ops |= DMAE_CAP_SLAVE_SG;	/* the fake moves memory to memory only */
	f->ops.prep_slave_sg = (void *)1;	/* refused before it could be called */
	f->p.caps.max_sg = 4;
	expect_rejected(f, "slave operations without a device direction");

	f = fake_new("bad", 1);
	f->p.caps.directions = 0;
	expect_rejected(f, "direction mask 0x0");

	f = fake_new("bad", 1);
	f->p.caps.addr_widths = 0;
	expect_rejected(f, "no address width");

	f = fake_new("bad", 1);
	f->p.caps.min_burst = 32;	/* > max_burst 16 */
	expect_rejected(f, "burst range 32..16");

	f = fake_new("bad", 1);
	f->p.caps.min_burst = 0;
	expect_rejected(f, "burst range 0..16");

	f = fake_new("bad", 1);
	f->p.caps.residue = (enum dmae_residue_gran)(DMAE_RESIDUE_BURST + 1);
	f->ops.residue = (void *)1;
	expect_rejected(f, "unknown residue granularity");

	f = fake_new("bad", 1);
	f->p.caps.pause = true;		/* no pause/resume ops */
	expect_rejected(f, "caps.pause without pause/resume ops");

	f = fake_new("bad", 1);
	f->p.caps.pause = true;
	f->ops.pause = fake_pause;	/* resume still missing */
	expect_rejected(f, "caps.pause without pause/resume ops");

	f = fake_new("bad", 1);
	f->p.caps.terminate = false;
	expect_rejected(f, "must support terminate");

	f = fake_new("bad", 1);
	f->p.caps.residue = DMAE_RESIDUE_BURST;	/* no residue op */
	expect_rejected(f, "residue without a residue op");

	f = fake_new("bad", 1);
	f->p.desc_size = sizeof(struct dmae_desc) - 1;
	expect_rejected(f, "smaller than struct dmae_desc");

	f = fake_new("bad", 0);
	expect_rejected(f, "no channels");

	f = fake_new("bad", 1);
	f->p.default_pool_size = DMAE_MAX_POOL_SIZE + 1;
	expect_rejected(f, "default pool size");

	test_log_capture_stop();

	/* the fake as built is fine (proves each case failed for its one reason) */
	f = fake_new("good", 1);
	ASSERT_OK(dmae_provider_register(&f->p));
	/* its devices are the core's: a client cannot destroy them */
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_destroy(f->p.dev), -EINVAL);
	ASSERT_LOGGED("is a provider's device");
	ASSERT_ERR(dmae_dev_destroy(f->vc[0].chan.dev), -EINVAL);
	test_log_capture_stop();
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);
	test_swdma_teardown(&env);
}

DMAE_TEST(provider_register_duplicate_and_unregister_busy)
{
	struct test_env env;
	struct fake *f, *g;
	struct dmae_chan *chan;

	test_swdma_setup(&env, NULL);
	f = fake_new("fakedma", FAKE_CHANS);
	fake_start_irq(f);
	ASSERT_OK(dmae_provider_register(&f->p));
	test_log_capture_start();
	ASSERT_ERR(dmae_provider_register(&f->p), -EEXIST);		/* same one twice */
	ASSERT_LOGGED("fakedma already registered");
	g = fake_new("fakedma", 1);
	ASSERT_ERR(dmae_provider_register(&g->p), -EEXIST);		/* name taken */
	fake_free(g);
	g = fake_new(dmae_swdma_name(env.sw), 1);
	ASSERT_ERR(dmae_provider_register(&g->p), -EEXIST);		/* swdma's name */
	fake_free(g);

	/* unregister with a held channel: refused, nothing changed */
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					 &chan));
	ASSERT_ERR(dmae_provider_unregister(&f->p), -EBUSY);
	ASSERT_LOGGED("is still held");
	ASSERT_ERR(dmae_provider_unregister(NULL), -EINVAL);
	test_log_capture_stop();
	ASSERT_EQ(f->p.state, DMAE_PROVIDER_GOING);	/* fenced, still listed */
	ASSERT_EQ(dmae_chan_list(NULL, 0), 4 + FAKE_CHANS);
	ASSERT_OK(dmae_chan_release(chan));
	/* swdma has a release op: it goes while one of its channels is held */
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMSET, NULL, NULL, NULL, &chan));
	ASSERT_OK(dmae_swdma_destroy(env.sw));
	env.sw = NULL;
	ASSERT_EQ(dmae_chan_list(NULL, 0), FAKE_CHANS);
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_issue_pending(chan), -ENODEV);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(chan));	/* now the engine goes */

	ASSERT_OK(dmae_provider_unregister(&f->p));
	ASSERT_EQ(f->p.state, DMAE_PROVIDER_UNREGISTERED);
	ASSERT_ERR(dmae_provider_unregister(&f->p), -EINVAL);	/* not registered */
	ASSERT_EQ(dmae_chan_list(NULL, 0), 0);
	/* gone: its channels cannot be requested */
	ASSERT_ERR(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					  &chan), -ENODEV);
	/* and it may register again */
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);
	test_swdma_teardown(&env);
}

/* ---- the vchan completion contract --------------------------------------------------- */

/*
 * A channel completes in the order it started: dmae_vchan_complete() on
 * any descriptor but the oldest active one is refused with a log line and
 * changes nothing, and dmae_vchan_complete_ok() completes no more than are
 * active.  The fake's line is masked, so only the test completes.  The run
 * completed at once mixes plain descriptors with one that has a completion
 * object: that one gets its result, the others go back to the pool.
 */
DMAE_TEST(vchan_completes_in_start_order)
{
	static uint32_t src[16], dst[16];
	struct test_env env;
	struct fake *f;
	struct dmae_chan *chan;
	struct dmae_vchan *vc;
	struct dmae_desc *d[3];
	dmae_cookie_t ck[3];
	struct dmae_completion comp;
	struct dmae_result res = { 0 };
	struct dmae_chan_stats st;
	dmae_irqflags_t fl;
	unsigned int i;

	f = fake_new("fakedma", FAKE_CHANS);
	fake_up(&env, f, &chan);
	vc = dmae_to_vchan(chan);
	dmae_completion_init(&comp);
	for (i = 0; i < 3; i++) {
		src[i] = 0x1000 + i;
		ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(&dst[i]), dmae_addr_of(&src[i]), 4,
						DMAE_PREP_ACK | (i == 1 ? DMAE_PREP_INTERRUPT : 0),
						&d[i]));
	}
	ASSERT_OK(dmae_desc_set_completion(d[1], &comp, &res));
	for (i = 0; i < 3; i++) {
		ck[i] = dmae_desc_submit(d[i]);
		ASSERT_TRUE(ck[i] > 0);
	}
	dmae_irq_mask(f->irq);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 3);

	test_log_capture_start();
	dmae_vchan_lock(vc, &fl);
	ASSERT_EQ(dmae_vchan_nr_active(vc), 3);
	ASSERT_TRUE(dmae_vchan_first_active(vc) == d[0]);
	dmae_vchan_complete(d[1], DMAE_RESULT_OK, 0);		/* not the oldest */
	ASSERT_EQ(dmae_vchan_nr_active(vc), 3);
	ASSERT_EQ(d[1]->state, DMAE_DESC_ACTIVE);
	ASSERT_EQ(dmae_vchan_complete_ok(vc, 5, 0), 3);	/* only 3 are active */
	ASSERT_EQ(dmae_vchan_nr_active(vc), 0);
	ASSERT_TRUE(dmae_vchan_first_active(vc) == NULL);
	ASSERT_EQ(dmae_vchan_complete_ok(vc, 0, 0), 0);
	dmae_vchan_unlock(vc, fl);
	ASSERT_LOGGED("is not the oldest active descriptor");
	ASSERT_LOGGED("5 descriptors reported, 3 active");
	test_log_capture_stop();
	dmae_irq_unmask(f->irq);

	ASSERT_TRUE(dmae_completion_try(&comp));
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_EQ(res.cookie, ck[1]);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(dmae_chan_status(chan, ck[i], NULL), DMAE_COMPLETE);
	ASSERT_OK(dmae_chan_stats_get(chan, &st));
	ASSERT_EQ(st.completed, 3);
	ASSERT_EQ(st.bytes, 12);
	ASSERT_EQ(st.pool_free, st.pool_size);
	fake_down(&env, f, chan);
}

/*
 * The poll op: issue_pending and status collect through it, not the
 * handler; and, being one channel's part of the handler's work, it
 * consumes no raise that is pending for the line.
 */
DMAE_TEST(provider_poll_op)
{
	static uint32_t src[2] = { 0x5a5a0001, 0x5a5a0002 }, dst[2];
	struct test_env env;
	struct fake *f;
	struct dmae_chan *chan;
	struct dmae_desc *d;
	dmae_cookie_t ck;
	uint64_t t0;
	int s;

	f = fake_new("polldma", FAKE_CHANS);
	f->ops.poll = fake_poll;
	f->quiet = true;
	fake_up(&env, f, &chan);

	/* No interrupt at all: the issuer's own poll completes the copy. */
	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(&dst[0]), dmae_addr_of(&src[0]), 4,
					DMAE_PREP_ACK, &d));
	ck = dmae_desc_submit(d);
	ASSERT_TRUE(ck > 0);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	ASSERT_EQ(atomic_load(&f->polls), 1);
	ASSERT_EQ(dmae_chan_status(chan, ck, NULL), DMAE_COMPLETE);
	ASSERT_EQ(dst[0], src[0]);
	ASSERT_EQ(atomic_load(&f->handler_runs), 0);

	/*
	 * A raise pending on a masked line, a poll that finds nothing: the
	 * raise must survive it, or the copy would never complete.
	 */
	f->quiet = false;
	atomic_store(&f->poll_idle, true);
	dmae_irq_mask(f->irq);
	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(&dst[1]), dmae_addr_of(&src[1]), 4,
					DMAE_PREP_ACK, &d));
	ck = dmae_desc_submit(d);
	ASSERT_TRUE(ck > 0);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);	/* raises; masked, no local poll */
	ASSERT_EQ(atomic_load(&f->polls), 1);
	ASSERT_EQ(dmae_chan_status(chan, ck, NULL), DMAE_IN_PROGRESS);
	ASSERT_EQ(atomic_load(&f->polls), 2);
	dmae_irq_unmask(f->irq);
	t0 = dmae_time_ns();
	while ((s = dmae_chan_status(chan, ck, NULL)) != DMAE_COMPLETE &&
	       dmae_time_ns() - t0 < WAIT_NS)
		test_sleep_ms(1);
	ASSERT_EQ(s, DMAE_COMPLETE);
	ASSERT_EQ(dst[1], src[1]);
	ASSERT_GE(atomic_load(&f->handler_runs), 1);
	fake_down(&env, f, chan);
}

/*
 * A provider whose hardware lags the doorbell (issue_lags) is polled by
 * issue_pending only when earlier work is still in flight: on an idle
 * channel the poll could find nothing but the work just issued.
 */
DMAE_TEST(provider_issue_lags_polls_only_behind_earlier_work)
{
	static uint32_t src[2] = { 0x5a5a0003, 0x5a5a0004 }, dst[2];
	struct test_env env;
	struct fake *f;
	struct dmae_chan *chan;
	struct dmae_desc *d;
	dmae_cookie_t ck[2];
	int i;

	f = fake_new("lagdma", FAKE_CHANS);
	f->ops.poll = fake_poll;
	f->quiet = true;
	f->p.issue_lags = true;
	fake_up(&env, f, &chan);
	atomic_store(&f->poll_idle, true);	/* the "hardware" still runs both */
	for (i = 0; i < 2; i++) {
		ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(&dst[i]),
						dmae_addr_of(&src[i]), 4, DMAE_PREP_ACK, &d));
		ck[i] = dmae_desc_submit(d);
		ASSERT_TRUE(ck[i] > 0);
		ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
		/* the first finds the channel idle: no poll; the second polls */
		ASSERT_EQ(atomic_load(&f->polls), (unsigned int)i);
	}
	ASSERT_EQ(dmae_chan_status(chan, ck[1], NULL), DMAE_IN_PROGRESS);
	atomic_store(&f->poll_idle, false);
	ASSERT_EQ(dmae_chan_status(chan, ck[1], NULL), DMAE_COMPLETE);
	ASSERT_EQ(dst[0], src[0]);
	ASSERT_EQ(dst[1], src[1]);
	fake_down(&env, f, chan);
}

/*
 * A chan_alloc op that fails fails the request with its error; the channel
 * stays free, and the next request sets it up and gets it.  chan_free
 * pairs with a chan_alloc that succeeded only.
 */
DMAE_TEST(provider_chan_alloc_failure)
{
	struct dmae_chan *chan = NULL;
	struct test_env env;
	struct fake *f;

	test_consumer_setup(&env);
	f = fake_new("setup", 1);
	f->ops.chan_alloc = fake_chan_alloc;
	f->ops.chan_free = fake_chan_free;
	f->chan_alloc_ret = -EIO;
	ASSERT_OK(dmae_provider_register(&f->p));
	ASSERT_ERR(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					  &chan), -EIO);
	ASSERT_NULL(chan);
	ASSERT_EQ(f->chan_allocs, 1);
	ASSERT_EQ(f->chan_frees, 0);
	f->chan_alloc_ret = 0;
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_provider, &f->p, NULL,
					 &chan));
	ASSERT_EQ(f->chan_allocs, 2);
	ASSERT_OK(dmae_chan_release(chan));
	ASSERT_EQ(f->chan_frees, 1);
	ASSERT_OK(dmae_provider_unregister(&f->p));
	fake_free(f);
	test_swdma_teardown(&env);
}

DMAE_TEST(provider_register_needs_init)
{
	struct fake *f = fake_new("early", 1);

	test_log_capture_start();
	ASSERT_ERR(dmae_provider_register(&f->p), -ESHUTDOWN);
	ASSERT_LOGGED("dmae_init() not called");
	test_log_capture_stop();
	fake_free(f);
}

/*
 * One dmae_exit() too many is refused with a log line and changes
 * nothing; exiting with a provider still registered warns.
 */
DMAE_TEST(exit_more_often_than_init)
{
	struct fake *f = fake_new("left", 1);

	test_log_capture_start();
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_provider_register(&f->p));
	dmae_exit();
	ASSERT_LOGGED("providers or devices still registered");
	dmae_exit();
	ASSERT_LOGGED("called more often than dmae_init");
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_provider_unregister(&f->p));
	dmae_exit();
	test_log_capture_stop();
	fake_free(f);
}

static bool never_stopped(struct dmae_vchan *vc)
{
	(void)vc;
	return false;
}

static bool always_stopped(struct dmae_vchan *vc)
{
	(void)vc;
	return true;
}

/*
 * A driver's synchronize through dmae_vchan_wait_stopped(): hardware that
 * never stops is given up on with -ETIMEDOUT and a log line, the flag
 * left set; stopped hardware, or nothing stopping, returns 0 at once.
 */
DMAE_TEST(vchan_wait_stopped)
{
	struct test_env env;
	struct fake *f = fake_new("stopdma", 1);
	struct dmae_chan *chan;
	struct dmae_vchan *vc;
	bool stopping = true;

	fake_up(&env, f, &chan);
	vc = dmae_to_vchan(chan);
	test_log_capture_start();
	ASSERT_ERR(dmae_vchan_wait_stopped(vc, &stopping, never_stopped, 1000000), -ETIMEDOUT);
	ASSERT_TRUE(stopping);
	ASSERT_LOGGED("channel did not stop");
	ASSERT_OK(dmae_vchan_wait_stopped(vc, &stopping, always_stopped, 1000000));
	ASSERT_FALSE(stopping);
	ASSERT_OK(dmae_vchan_wait_stopped(vc, &stopping, never_stopped, 1000000));
	test_log_capture_stop();
	fake_down(&env, f, chan);
}
