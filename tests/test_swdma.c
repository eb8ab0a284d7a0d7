/* SPDX-License-Identifier: MIT */
/*
 * The software engine's own behaviour: configuration limits, interrupt
 * moderation (irq_coalesce, irq_holdoff_ns) and how failed entries reach
 * their descriptors.  What any provider must do is in test_api.c.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/fastpath.h>
#include <dmae/provider.h>

#include "providers/swdma/swdma_internal.h"
#include "test.h"

#define GUARD_NS (UINT64_C(120) * 1000000000u)
#define RUN 1000u		/* < the 1024-entry hardware queue: one push */
#define LEN 64u

struct counted {
	atomic_uint calls;
	unsigned int want;
	struct dmae_completion all;
};

static void count_cb(void *arg, const struct dmae_result *res)
{
	struct counted *c = arg;

	ASSERT_EQ(res->code, DMAE_RESULT_OK);
	if (atomic_fetch_add(&c->calls, 1) + 1 == c->want)
		dmae_completion_done(&c->all);
}

/* Submit one interrupt-flagged copy with BH callback fn(arg). */
static void submit_cb(struct dmae_chan *c, void *dst, const void *src, size_t len,
		      dmae_callback_fn fn, void *arg)
{
	struct dmae_desc *d;

	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, fn, arg, DMAE_CB_BH));
	ASSERT_GT(dmae_desc_submit(d), 0);
}

static void submit_copy(struct dmae_chan *c, void *dst, const void *src, size_t len,
			struct counted *cnt)
{
	submit_cb(c, dst, src, len, count_cb, cnt);
}

DMAE_TEST(config_out_of_range)
{
	static const struct {
		struct dmae_swdma_config cfg;
		const char *log;
	} bad[] = {
		{ { .irq_coalesce = 65537 }, "irq_coalesce of 65537 entries (max 65536)" },
		{ { .irq_holdoff_ns = 1000000001 }, "irq_holdoff_ns of 1000000001 (max 1000000000)" },
		{ { .fp_ring = 100 }, "fast path ring of 100 entries" },
		{ { .burst = 32 }, "burst of 32 bytes (min 64)" },
		{ { .nr_chans = 257 }, "257 channels (max 256)" },
		{ { .split_chunk = 1024 }, "split chunk of 1024 bytes (min 4096)" },
		{ { .nr_workers = 65 }, "65 workers (max 64)" },
		{ { .max_sg = 4097 }, "max_sg 4097 (max 4096)" },
		{ { .pool_size = DMAE_MAX_POOL_SIZE + 1 }, "pool size" },
		{ { .name = "" }, "bad name" },
		{ { .name = "a-provider-name-longer-than-its-field" }, "bad name" },
	};
	struct dmae_swdma *sw = NULL;
	size_t i;

	test_log_capture_start();
	ASSERT_ERR(dmae_swdma_create(NULL, &sw), -ESHUTDOWN);
	ASSERT_LOGGED("dmae_init() not called");
	test_log_capture_stop();
	ASSERT_OK(dmae_init());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		test_log_capture_start();
		ASSERT_ERR(dmae_swdma_create(&bad[i].cfg, &sw), -EINVAL);
		ASSERT_LOGGED(bad[i].log);
		test_log_capture_stop();
		ASSERT_NULL(sw);
	}
	test_log_capture_start();
	ASSERT_ERR(dmae_swdma_create(NULL, NULL), -EINVAL);
	ASSERT_LOGGED("NULL out-pointer");
	ASSERT_ERR(dmae_swdma_destroy(NULL), -EINVAL);
	ASSERT_LOGGED("NULL engine");
	test_log_capture_stop();
	dmae_exit();
}

/*
 * Issue with this thread's IRQs masked: issue_pending then leaves the
 * completions to the engine's interrupt instead of collecting them here.
 */
static int issue_masked(struct dmae_chan *c)
{
	dmae_irqflags_t f;
	int n;

	dmae_local_irq_save(&f);
	n = dmae_chan_issue_pending(c);
	dmae_local_irq_restore(f);
	return n;
}

/*
 * RUN copies that each ask for an interrupt, pushed to the hardware queue
 * at once (one issue_pending, fewer than the queue holds, the caller not
 * collecting): the worker sees them all queued and only the drained queue
 * forces a raise, so with moderation the handler runs a number of times
 * fixed by irq_coalesce, not by timing.  The hold-off is off: a held
 * raise would end by timing (its own tests are below).  Every callback
 * still comes.  Returns the handler runs.
 */
static uint64_t queued_run(uint32_t coalesce)
{
	struct dmae_swdma_config cfg = { .irq_coalesce = coalesce,
					 .irq_holdoff_ns = DMAE_SWDMA_OFF };
	unsigned char *src = malloc(RUN * LEN), *dst = malloc(RUN * LEN);
	struct counted cnt = { .want = RUN };
	struct test_env env;
	struct dmae_chan *c;
	uint64_t before, runs;
	unsigned int i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, RUN * LEN, coalesce);
	memset(dst, 0, RUN * LEN);
	dmae_completion_init(&cnt.all);
	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, RUN);
	for (i = 0; i < RUN; i++)
		submit_copy(c, dst + i * LEN, src + i * LEN, LEN, &cnt);
	before = dmae__swdma_irq_count(env.sw);
	ASSERT_EQ(issue_masked(c), (int)RUN);
	ASSERT_OK(dmae_completion_wait_timeout(&cnt.all, GUARD_NS));
	ASSERT_OK(dmae_chan_synchronize(c));
	runs = dmae__swdma_irq_count(env.sw) - before;
	ASSERT_EQ(atomic_load(&cnt.calls), RUN);
	ASSERT_PATTERN(dst, RUN * LEN, coalesce);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
	return runs;
}

DMAE_TEST(irq_coalesce_queued_run)
{
	/* No limit reached before the queue drains: one interrupt for all. */
	ASSERT_EQ(queued_run(65536), 1);
	/* A raise each 64 completions (the worker runs 16 per batch), then
	 * the drained queue's: 1000 / 64 = 15 full, plus one. */
	ASSERT_EQ(queued_run(64), RUN / 64 + 1);
	/* Moderation off: a raise per batch of 16 with an owed interrupt. */
	ASSERT_EQ(queued_run(DMAE_SWDMA_OFF), (RUN + 15) / 16);
}

/*
 * A long entry behind short ones: the interrupt the short ones owe is
 * raised before the long one starts, so their callbacks run while its
 * destination is still untouched -- with a limit that the run could never
 * reach.  The worker that raised the interrupt takes it (nothing else
 * holds the handler here), so "before" is program order on that thread.
 */
struct before_long {
	struct counted shorts;
	const unsigned char *long_end;	/* the long copy's last destination byte */
	atomic_bool untouched;
};

static void short_cb(void *arg, const struct dmae_result *res)
{
	struct before_long *b = arg;

	if (atomic_load(&b->shorts.calls) + 1 == b->shorts.want)
		atomic_store(&b->untouched, *b->long_end == 0);
	count_cb(&b->shorts, res);
}

DMAE_TEST(irq_coalesce_never_waits_for_a_long_entry)
{
	struct dmae_swdma_config cfg = { .irq_coalesce = 65536 };
	size_t big = 16u << 20;
	unsigned char *src = malloc(big), *dst = malloc(big);
	struct before_long b = { .shorts = { .want = 8 } };
	struct counted longc = { .want = 1 };
	struct test_env env;
	struct dmae_chan *c;
	unsigned int i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, big, 5);
	src[big - 1] = 0xff;
	memset(dst, 0, big);
	b.long_end = dst + big - 1;
	dmae_completion_init(&b.shorts.all);
	dmae_completion_init(&longc.all);
	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, 16);
	for (i = 0; i < 8; i++)
		submit_cb(c, dst + i * LEN, src + i * LEN, LEN, short_cb, &b);
	submit_copy(c, dst + 8 * LEN, src + 8 * LEN, big - 8 * LEN, &longc);
	ASSERT_EQ(issue_masked(c), 9);
	ASSERT_OK(dmae_completion_wait_timeout(&b.shorts.all, GUARD_NS));
	ASSERT_OK(dmae_completion_wait_timeout(&longc.all, GUARD_NS));
	ASSERT_OK(dmae_chan_synchronize(c));
	ASSERT_TRUE(atomic_load(&b.untouched));
	ASSERT_EQ(atomic_load(&b.shorts.calls), 8);
	ASSERT_EQ(atomic_load(&longc.calls), 1);
	ASSERT_EQ(memcmp(dst, src, big), 0);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/*
 * A queue of long entries that each ask for an interrupt, all queued at
 * once: the owed interrupt waits for the next long entry while the bytes
 * moved since the first owed one stay under the budget, so the handler
 * runs once per DMAE_SWDMA_COALESCE_BYTES, not once per entry.  16 entries
 * of an eighth of the budget (one batch): a raise before the tenth, whose
 * move would take the first one's wait past the budget, and the drained
 * queue's.
 */
DMAE_TEST(irq_coalesce_budget_spans_long_entries)
{
	struct dmae_swdma_config cfg = { .burst = 4096, .irq_coalesce = 65536,
					 .irq_holdoff_ns = DMAE_SWDMA_OFF };
	const size_t len = DMAE_SWDMA_COALESCE_BYTES / 8, n = 16;
	unsigned char *src = malloc(n * len), *dst = malloc(n * len);
	struct counted cnt = { .want = 16 };
	struct test_env env;
	struct dmae_chan *c;
	uint64_t before;
	size_t i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, n * len, 9);
	memset(dst, 0, n * len);
	dmae_completion_init(&cnt.all);
	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, 16);
	for (i = 0; i < n; i++)
		submit_copy(c, dst + i * len, src + i * len, len, &cnt);
	before = dmae__swdma_irq_count(env.sw);
	ASSERT_EQ(issue_masked(c), 16);
	ASSERT_OK(dmae_completion_wait_timeout(&cnt.all, GUARD_NS));
	ASSERT_OK(dmae_chan_synchronize(c));
	ASSERT_EQ(dmae__swdma_irq_count(env.sw) - before, 2);
	ASSERT_EQ(atomic_load(&cnt.calls), 16);
	ASSERT_PATTERN(dst, n * len, 9);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/*
 * Three rings' worth of copies issued at once, only the last asking for
 * an interrupt, the caller not collecting: the driver finds the hardware
 * queue full, says so (swdma_hw_starve()) and leaves the rest issued; the
 * worker's next publish sees that and raises, though nothing it finished
 * asked for the interrupt, and the handler refills the queue.  A lost
 * handshake leaves copies issued forever: the wait times out.
 */
DMAE_TEST(ring_full_refilled_by_the_interrupt)
{
	const unsigned int n = 3 * 1024;
	unsigned char *src = malloc(n * LEN), *dst = malloc(n * LEN);
	struct counted last = { .want = 1 };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d;
	unsigned int i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, n * LEN, 11);
	memset(dst, 0, n * LEN);
	dmae_completion_init(&last.all);
	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, n);
	for (i = 0; i + 1 < n; i++) {
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst + i * LEN),
						dmae_addr_of(src + i * LEN), LEN, DMAE_PREP_ACK, &d));
		ASSERT_GT(dmae_desc_submit(d), 0);
	}
	submit_copy(c, dst + i * LEN, src + i * LEN, LEN, &last);
	ASSERT_EQ(issue_masked(c), (int)n);
	ASSERT_OK(dmae_completion_wait_timeout(&last.all, GUARD_NS));
	ASSERT_OK(dmae_chan_synchronize(c));
	ASSERT_EQ(atomic_load(&last.calls), 1);
	ASSERT_PATTERN(dst, n * LEN, 11);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/* ---- completions collected by the client (irq_holdoff_ns) ------------------ */

static _Thread_local bool on_test_thread;
static atomic_bool in_issue;

struct where {
	struct counted cnt;
	atomic_uint in_caller;		/* in BH context, inside our issue_pending */
	atomic_uint elsewhere;
};

static void where_cb(void *arg, const struct dmae_result *res)
{
	struct where *w = arg;

	if (on_test_thread && atomic_load(&in_issue) && dmae_in_bh())
		atomic_fetch_add(&w->in_caller, 1);
	else if (!on_test_thread)
		atomic_fetch_add(&w->elsewhere, 1);
	count_cb(&w->cnt, res);
}

/* n interrupt-flagged copies with where_cb, issued without collecting. */
static void where_run(struct dmae_chan *c, unsigned char *dst, const unsigned char *src,
		      unsigned int n, struct where *w)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->cnt.want = n;
	dmae_completion_init(&w->cnt.all);
	for (i = 0; i < n; i++)
		submit_cb(c, dst + i * LEN, src + i * LEN, LEN, where_cb, w);
	ASSERT_EQ(issue_masked(c), (int)n);
}

/* Call issue_pending (nothing new to issue) until every callback ran. */
static void collect_here(struct dmae_chan *c, struct where *w)
{
	uint64_t end = dmae_time_ns() + GUARD_NS;

	while (!dmae_completion_try(&w->cnt.all)) {
		ASSERT_LT(dmae_time_ns(), end);
		atomic_store(&in_issue, true);
		ASSERT_EQ(dmae_chan_issue_pending(c), 0);
		atomic_store(&in_issue, false);
		sched_yield();
	}
}

/*
 * A streaming client collects its own completions: with the engine's
 * interrupt held for good (test hook), every BH callback runs on the
 * caller, in BH context, inside its dmae_chan_issue_pending().
 */
DMAE_TEST(issue_pending_collects_on_the_caller)
{
	struct dmae_swdma_config cfg = { .irq_coalesce = 65536 };
	unsigned char *src = malloc(RUN * LEN), *dst = malloc(RUN * LEN);
	struct test_env env;
	struct dmae_chan *c;
	uint64_t before;
	struct where w;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	on_test_thread = true;
	test_fill_pattern(src, RUN * LEN, 11);
	memset(dst, 0, RUN * LEN);
	test_swdma_setup(&env, &cfg);
	dmae__swdma_irq_hold(env.sw, true);
	c = test_chan_memcpy(&env, RUN);
	before = dmae__swdma_irq_count(env.sw);
	where_run(c, dst, src, RUN, &w);
	collect_here(c, &w);
	ASSERT_EQ(atomic_load(&w.in_caller), RUN);
	ASSERT_EQ(atomic_load(&w.elsewhere), 0);
	ASSERT_GE(dmae__swdma_irq_count(env.sw) - before, 1);
	ASSERT_PATTERN(dst, RUN * LEN, 11);
	dmae__swdma_irq_hold(env.sw, false);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/* Wait for a run the engine delivers itself; its callbacks ran elsewhere. */
static void wait_delivered(struct where *w, unsigned int n)
{
	ASSERT_OK(dmae_completion_wait_timeout(&w->cnt.all, GUARD_NS));
	ASSERT_EQ(atomic_load(&w->elsewhere), n);
}

/*
 * A client that waits instead of calling in: the held interrupt is raised
 * when the hold-off passes (one handler run, on the engine's side), and
 * the next eligible drains raise at once -- one after the first expiry,
 * two after the second.  With the hook making every hold last for good,
 * those runs complete only because they are not held; the one after them
 * is held, and only the client's own issue_pending completes it, which
 * also ends the backoff: the next run is held again.
 */
DMAE_TEST(irq_hold_expires_then_backs_off)
{
	struct dmae_swdma_config cfg = { .irq_coalesce = 65536 };
	unsigned char *src = malloc(32 * LEN), *dst = malloc(32 * LEN);
	struct test_env env;
	struct dmae_chan *c;
	uint64_t before;
	struct where w;
	unsigned int i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	on_test_thread = true;
	test_fill_pattern(src, 32 * LEN, 12);
	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, 64);

	before = dmae__swdma_irq_count(env.sw);
	where_run(c, dst, src, 32, &w);		/* held, expires */
	wait_delivered(&w, 32);
	where_run(c, dst, src, 32, &w);		/* backoff 1: at once */
	wait_delivered(&w, 32);
	where_run(c, dst, src, 32, &w);		/* held, expires */
	wait_delivered(&w, 32);
	ASSERT_OK(dmae_chan_synchronize(c));
	ASSERT_EQ(dmae__swdma_irq_count(env.sw) - before, 3);

	dmae__swdma_irq_hold(env.sw, true);
	for (i = 0; i < 2; i++) {		/* backoff 2: at once */
		memset(dst, 0, 32 * LEN);
		where_run(c, dst, src, 32, &w);
		wait_delivered(&w, 32);
		ASSERT_PATTERN(dst, 32 * LEN, 12);
	}
	for (i = 0; i < 2; i++) {		/* held; collected here */
		memset(dst, 0, 32 * LEN);
		where_run(c, dst, src, 32, &w);
		collect_here(c, &w);
		ASSERT_EQ(atomic_load(&w.in_caller), 32);
		ASSERT_PATTERN(dst, 32 * LEN, 12);
	}

	dmae__swdma_irq_hold(env.sw, false);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/* Wait until the engine has finished n entries of c's ring after from. */
static void wait_engine_done(struct dmae_chan *c, uint32_t from, uint32_t n)
{
	uint64_t end = dmae_time_ns() + GUARD_NS;

	while (dmae__swdma_done(c) - from < n) {
		ASSERT_LT(dmae_time_ns(), end);
		sched_yield();
	}
}

/*
 * A pause delivers what finished before it: the engine ran 32 copies and
 * holds their interrupt for the client (for good, with the hook), then
 * the channel pauses with one more queued behind the pause.  The 32
 * callbacks run on the engine's side without the client calling in; the
 * queued one runs after the resume.
 */
DMAE_TEST(pause_delivers_what_finished)
{
	struct dmae_swdma_config cfg = { .irq_coalesce = 65536 };
	unsigned char *src = malloc(33 * LEN), *dst = malloc(33 * LEN);
	struct counted last = { .want = 1 };
	struct test_env env;
	struct dmae_chan *c;
	struct where w;
	uint32_t from;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	on_test_thread = true;
	test_fill_pattern(src, 33 * LEN, 13);
	memset(dst, 0, 33 * LEN);
	dmae_completion_init(&last.all);
	test_swdma_setup(&env, &cfg);
	dmae__swdma_irq_hold(env.sw, true);
	c = test_chan_memcpy(&env, 64);
	from = dmae__swdma_done(c);
	where_run(c, dst, src, 32, &w);
	wait_engine_done(c, from, 32);
	ASSERT_OK(dmae_chan_pause(c));
	submit_cb(c, dst + 32 * LEN, src + 32 * LEN, LEN, count_cb, &last);
	ASSERT_EQ(issue_masked(c), 1);
	wait_delivered(&w, 32);
	ASSERT_EQ(atomic_load(&last.calls), 0);
	ASSERT_OK(dmae_chan_resume(c));
	ASSERT_OK(dmae_completion_wait_timeout(&last.all, GUARD_NS));
	ASSERT_PATTERN(dst, 33 * LEN, 13);
	dmae__swdma_irq_hold(env.sw, false);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/*
 * The ring indices are free-running 32-bit counters.  Started just below
 * 2^31, and then just below 2^32, a channel with no abort behind it runs
 * across the points where comparing an index with the last abort's (0)
 * would call the entry dead: descriptors and fast path ops alike complete
 * OK with their bytes.  A terminate there is still obeyed.
 */
DMAE_TEST(ring_indices_wrap)
{
	static const uint32_t starts[] = { 0x7ffffff0u, 0xfffffff0u };
	enum { N = 40 };
	static unsigned char src[N][LEN], dst[N][LEN];
	static const unsigned char zero[LEN];
	struct counted cnt;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int s, i, got;
	uint64_t end;
	bool err;

	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 64);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	test_fill_pattern(src, sizeof(src), 21);
	for (s = 0; s < TEST_ARRAY_SIZE(starts); s++) {
		ASSERT_OK(dmae__swdma_rebase(c, starts[s]));
		memset(dst, 0, sizeof(dst));
		memset(&cnt, 0, sizeof(cnt));
		cnt.want = N;
		dmae_completion_init(&cnt.all);
		for (i = 0; i < N; i++)
			submit_copy(c, dst[i], src[i], LEN, &cnt);
		ASSERT_EQ(issue_masked(c), N);
		ASSERT_OK(dmae_completion_wait_timeout(&cnt.all, GUARD_NS));
		ASSERT_MEM_EQ(dst, src, sizeof(dst));

		memset(dst, 0, sizeof(dst));
		for (i = 0; i < N; i++)
			ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
						  i == N - 1 ? DMAE_FP_SUBMIT : 0));
		end = dmae_time_ns() + GUARD_NS;
		for (got = 0, err = false; got < N && !err;) {
			ASSERT_LT(dmae_time_ns(), end);
			got += dmae_fp_completed(fp, N, NULL, &err);
		}
		ASSERT_FALSE(err);
		ASSERT_MEM_EQ(dst, src, sizeof(dst));
	}

	/* entries terminated across 2^31 are dropped; those after them run */
	ASSERT_OK(dmae__swdma_rebase(c, 0x7ffffffcu));
	memset(dst, 0, sizeof(dst));
	ASSERT_OK(dmae_chan_pause(c));
	for (i = 0; i < 8; i++)
		submit_copy(c, dst[i], src[i], LEN, &cnt);
	ASSERT_EQ(issue_masked(c), 8);
	ASSERT_OK(dmae_chan_terminate_sync(c));
	ASSERT_OK(dmae_chan_resume(c));
	memset(&cnt, 0, sizeof(cnt));
	cnt.want = 8;
	dmae_completion_init(&cnt.all);
	for (i = 8; i < 16; i++)
		submit_copy(c, dst[i], src[i], LEN, &cnt);
	ASSERT_EQ(issue_masked(c), 8);
	ASSERT_OK(dmae_completion_wait_timeout(&cnt.all, GUARD_NS));
	for (i = 0; i < 8; i++)
		ASSERT_MEM_EQ(dst[i], zero, LEN);
	ASSERT_MEM_EQ(dst[8], src[8], 8 * LEN);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
}

/*
 * The holder of a revoked channel may still enqueue fast path ops without
 * ringing (only the doorbell is refused): its release aborts them, and
 * none of them moves a byte.  The release lets the provider go, whose
 * workers have stopped when it returns.
 */
DMAE_TEST(fp_ops_enqueued_after_revocation_never_run)
{
	static unsigned char src[4][LEN], dst[4][LEN];
	static const unsigned char zero[LEN];
	struct dmae_swdma *sw;
	struct dmae_dev *dev;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int i;

	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_swdma_create(NULL, &sw));
	ASSERT_OK(dmae_dev_create("fp-holder", &dev));
	ASSERT_OK(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c));
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	test_fill_pattern(src, sizeof(src), 41);
	memset(dst, 0, sizeof(dst));
	ASSERT_OK(dmae_swdma_destroy(sw));	/* revokes the held channel */
	test_log_capture_start();
	for (i = 0; i < 4; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN, 0));
	ASSERT_ERR(dmae_fp_submit(fp), -ENODEV);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(c));
	for (i = 0; i < 4; i++)
		ASSERT_MEM_EQ(dst[i], zero, LEN);
	ASSERT_OK(dmae_dev_destroy(dev));
	dmae_exit();
}

/*
 * A pause stops the fast path as it stops descriptors: once
 * dmae_chan_pause() returns, no op completes until the resume, however
 * long the wait (checked after a pause in the middle of a long stream,
 * one batch of which a worker is running); after the resume all do.
 */
DMAE_TEST(pause_stops_the_fast_path)
{
	enum { N = 512, SZ = 65536 };
	unsigned char *src = malloc((size_t)N * SZ), *dst = malloc((size_t)N * SZ);
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	unsigned int i, got = 0;
	uint64_t end;
	bool err = false;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	test_fill_pattern(src, (size_t)N * SZ, 43);
	memset(dst, 0, (size_t)N * SZ);
	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, 0);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	for (i = 0; i < N; i++)
		ASSERT_NOERR(dmae_fp_copy(fp, dmae_addr_of(dst + (size_t)i * SZ),
					  dmae_addr_of(src + (size_t)i * SZ), SZ,
					  i == N - 1 ? DMAE_FP_SUBMIT : 0));
	end = dmae_time_ns() + GUARD_NS;
	while (!got) {
		ASSERT_LT(dmae_time_ns(), end);
		got += dmae_fp_completed(fp, N, NULL, &err);
	}
	ASSERT_OK(dmae_chan_pause(c));
	got += dmae_fp_completed(fp, N, NULL, &err);
	test_sleep_ms(20);
	ASSERT_EQ(dmae_fp_completed(fp, N, NULL, &err), 0);
	ASSERT_OK(dmae_chan_resume(c));
	while (got < N) {
		ASSERT_LT(dmae_time_ns(), end);
		got += dmae_fp_completed(fp, N, NULL, &err);
	}
	ASSERT_FALSE(err);
	ASSERT_PATTERN(dst, (size_t)N * SZ, 43);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(src);
	free(dst);
}

/* ---- failed entries on the descriptor path ------------------------------------------ */

#define FAIL_N 640u			/* > SWDMA_REAP_CHUNK: several reaps */

struct outcome {
	atomic_uint calls;
	unsigned int want;
	struct dmae_completion all;
	uint8_t code[FAIL_N];
};

struct slot {
	struct outcome *o;
	unsigned int i;
};

static void outcome_cb(void *arg, const struct dmae_result *res)
{
	struct slot *s = arg;

	s->o->code[s->i] = (uint8_t)res->code;
	if (atomic_fetch_add(&s->o->calls, 1) + 1 == s->o->want)
		dmae_completion_done(&s->o->all);
}

/*
 * Copies first .. first + n - 1 with callbacks; the engine is idle (the
 * previous batch was waited for), so the next `fail` entries it runs are
 * this batch's first ones.
 */
static void fail_batch(struct dmae_chan *c, struct outcome *o, struct slot *slots,
		       unsigned char *dst, const unsigned char *src, unsigned int first,
		       unsigned int n, unsigned int fail)
{
	unsigned int i;

	dmae_completion_reinit(&o->all);
	atomic_store(&o->calls, 0);
	o->want = n;
	if (fail)
		ASSERT_OK(dmae__swdma_fail_next(c, fail, DMAE_RESULT_WRITE_FAILED));
	for (i = first; i < first + n; i++) {
		slots[i] = (struct slot){ o, i };
		submit_cb(c, dst + i * LEN, src + i * LEN, LEN, outcome_cb, &slots[i]);
	}
	ASSERT_GE(dmae_chan_issue_pending(c), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&o->all, GUARD_NS));
}

/*
 * A failed entry completes its own descriptor, with the engine's code,
 * and only that one: the reaper reads the per-entry results only while a
 * failure may be among the finished entries, and goes back to completing
 * whole runs once it is past the newest.  Failed copies move no data.
 */
DMAE_TEST(descriptor_failures_at_their_cookies)
{
	/* batches: first entry, size, entries failed at its start */
	static const unsigned int batch[][3] = {
		{ 0, 8, 0 }, { 8, 8, 1 }, { 16, 600, 0 }, { 616, 4, 2 }, { 620, 20, 0 },
	};
	unsigned char *src = malloc(FAIL_N * LEN), *dst = calloc(FAIL_N, LEN);
	struct slot *slots = calloc(FAIL_N, sizeof(*slots));
	struct outcome *o = calloc(1, sizeof(*o));
	struct dmae_chan_stats st;
	struct test_env env;
	struct dmae_chan *c;
	unsigned int b, i;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	ASSERT_NOT_NULL(slots);
	ASSERT_NOT_NULL(o);
	dmae_completion_init(&o->all);
	test_fill_pattern(src, FAIL_N * LEN, 13);
	test_swdma_setup(&env, NULL);
	c = test_chan_memcpy(&env, FAIL_N);
	for (b = 0; b < sizeof(batch) / sizeof(batch[0]); b++)
		fail_batch(c, o, slots, dst, src, batch[b][0], batch[b][1], batch[b][2]);
	for (i = 0; i < FAIL_N; i++) {
		bool failed = i == 8 || i == 616 || i == 617;
		static const unsigned char zero[LEN];

		ASSERT_EQ(o->code[i], failed ? DMAE_RESULT_WRITE_FAILED : DMAE_RESULT_OK);
		if (failed)
			ASSERT_MEM_EQ(dst + i * LEN, zero, LEN);
		else
			ASSERT_MEM_EQ(dst + i * LEN, src + i * LEN, LEN);
	}
	ASSERT_OK(dmae_chan_stats_get(c, &st));
	ASSERT_EQ(st.completed, FAIL_N);
	ASSERT_EQ(st.errors, 3);
	ASSERT_EQ(st.bytes, (FAIL_N - 3) * LEN);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(o);
	free(slots);
	free(src);
	free(dst);
}

/*
 * dmae_chan_pause() takes effect before it returns: once it has returned,
 * no byte of the paused transfer is written until the resume.  One copy
 * of 32 MiB in 8 MiB bursts is paused as soon as its residue shows the
 * first burst done, in the middle of the second; a sample of every page
 * of the destination taken when pause returns must still hold a while
 * later.  The destination is read only after pause returned (the engine
 * writes it before), so the test itself races with nothing.  Then the
 * resumed copy completes and is intact.
 */
#define PAUSE_LEN (32u << 20)
#define PAUSE_BURST (8u << 20)
#define PAUSE_PAGE 4096u

DMAE_TEST(pause_stops_writes_before_returning)
{
	struct dmae_swdma_config cfg = { .nr_chans = 1, .nr_workers = 1, .burst = PAUSE_BURST };
	unsigned char *src = malloc(PAUSE_LEN), *dst = calloc(1, PAUSE_LEN);
	unsigned char *seen = malloc(PAUSE_LEN / PAUSE_PAGE);
	volatile unsigned char *vdst = dst;
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_tx_state st = { 0 };
	struct dmae_result res;
	struct dmae_desc *d;
	struct test_env env;
	struct dmae_chan *c;
	dmae_cookie_t cookie;
	unsigned int i;
	uint64_t t0;

	ASSERT_NOT_NULL(src);
	ASSERT_NOT_NULL(dst);
	ASSERT_NOT_NULL(seen);
	memset(src, 0xa5, PAUSE_LEN);
	test_swdma_setup(&env, &cfg);
	c = test_chan_memcpy(&env, 0);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), PAUSE_LEN,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	ASSERT_NOERR(dmae_chan_issue_pending(c));
	t0 = test_now_ns();
	do {
		ASSERT_NOERR(dmae_chan_status(c, cookie, &st));
		ASSERT_LT(test_now_ns() - t0, GUARD_NS);
	} while (st.residue == PAUSE_LEN);
	ASSERT_OK(dmae_chan_pause(c));
	for (i = 0; i < PAUSE_LEN / PAUSE_PAGE; i++)
		seen[i] = vdst[(size_t)i * PAUSE_PAGE + PAUSE_PAGE - 1];
	test_sleep_ms(100);
	for (i = 0; i < PAUSE_LEN / PAUSE_PAGE; i++) {
		if (seen[i] != vdst[(size_t)i * PAUSE_PAGE + PAUSE_PAGE - 1])
			TEST_FAIL("byte %zu written after dmae_chan_pause() returned",
				  (size_t)i * PAUSE_PAGE + PAUSE_PAGE - 1);
	}
	ASSERT_EQ(dmae_chan_status(c, cookie, NULL), DMAE_PAUSED);
	ASSERT_OK(dmae_chan_resume(c));
	dmae_completion_wait(&done);
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_MEM_EQ(dst, src, PAUSE_LEN);
	ASSERT_OK(dmae_chan_release(c));
	test_swdma_teardown(&env);
	free(seen);
	free(src);
	free(dst);
}
