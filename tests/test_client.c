/* SPDX-License-Identifier: MIT */
/*
 * tests/test_client.c - the client API as any client sees it, on whatever
 * provider runs it: copies of many lengths and alignments inside guard
 * bytes, scatter-gather with differing split points, fences, cookies and
 * status, callbacks in each context, completion objects, terminate from
 * a callback, pool exhaustion and the sleeping-call checker.
 *
 * dmae-test-providers: swdma simdmac pl081
 *
 * The same file runs on POSIX and in a board's test image, so it asks the
 * channel's caps for anything beyond memcpy and skips, saying why, when
 * the provider lacks it.  It makes no assumption about how fast the
 * hardware is: a copy may finish inside the register write that starts
 * it (QEMU's PL081 does), so nothing is asserted to be in progress once it
 * was issued.  Waits are completions with a timeout that only catches a
 * hang; polling loops call test_yield().  Lengths and offsets come from
 * test_rand().  Buffers stay small (a board has a few MiB of heap) and
 * each test frees what it allocates.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define WAIT_NS (120ull * 1000000000ull)	/* a hang, not a timing assert */
#define GUARD 0xa5u
#define SLACK 32u				/* guard bytes around a destination */
#define FLAGS_IA (DMAE_PREP_INTERRUPT | DMAE_PREP_ACK)
#define KiB 1024u

/* ---- helpers ---------------------------------------------------------------- */

static void *buf_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	ASSERT_NOT_NULL(p);
	return p;
}

static struct dmae_caps caps_of(struct dmae_chan *chan)
{
	struct dmae_caps c;

	ASSERT_OK(dmae_chan_get_caps(chan, &c));
	return c;
}

static struct dmae_chan_stats stats_of(struct dmae_chan *chan)
{
	struct dmae_chan_stats st;

	ASSERT_OK(dmae_chan_stats_get(chan, &st));
	return st;
}

static void wait_done(struct dmae_completion *c)
{
	ASSERT_OK(dmae_completion_wait_timeout(c, WAIT_NS));
}

/* Bytes an address or length of op must be a multiple of. */
static uint64_t align_of(const struct dmae_caps *c, enum dmae_op op)
{
	return UINT64_C(1) << c->align_shift[op];
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* Longest segment the channel takes, capped at want. */
static uint64_t seg_cap(const struct dmae_caps *c, uint64_t want)
{
	return c->max_seg_len && c->max_seg_len < want ? c->max_seg_len : want;
}

/* Every byte of buf[from, to) is still the guard byte. */
static void assert_guard(const uint8_t *buf, size_t from, size_t to, const char *where)
{
	for (size_t i = from; i < to; i++)
		if (buf[i] != GUARD)
			TEST_FAIL("guard byte %lu %s the destination changed to 0x%02x",
				  (unsigned long)i, where, buf[i]);
}

/* Prep a memcpy, hang comp/res on it when given, submit; the cookie. */
static dmae_cookie_t submit_copy(struct dmae_chan *chan, void *dst, const void *src,
				 uint64_t len, unsigned int flags,
				 struct dmae_completion *comp, struct dmae_result *res)
{
	struct dmae_desc *d;
	dmae_cookie_t cookie;

	ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), len,
					flags, &d));
	if (comp)
		ASSERT_OK(dmae_desc_set_completion(d, comp, res));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	return cookie;
}

/* The result a completion object delivered for cookie: all done, nothing left. */
static void assert_result_ok(const struct dmae_result *res, dmae_cookie_t cookie)
{
	ASSERT_EQ(res->code, DMAE_RESULT_OK);
	ASSERT_EQ(res->cookie, cookie);
	ASSERT_EQ(res->residue, 0);
}

/* Poll (test_yield between looks) until cookie is no longer in progress. */
static int poll_status(struct dmae_chan *chan, dmae_cookie_t cookie, struct dmae_tx_state *st)
{
	uint64_t deadline = test_now_ns() + WAIT_NS;
	int s;

	while ((s = dmae_chan_status(chan, cookie, st)) == DMAE_IN_PROGRESS) {
		if (test_now_ns() > deadline)
			TEST_FAIL("cookie %d still in progress after %lu s", (int)cookie,
				  (unsigned long)(WAIT_NS / 1000000000ull));
		test_yield();
	}
	return s;
}

/* One copy through chan with a completion object: it works. */
static void assert_copy_works(struct dmae_chan *chan, size_t len, uint64_t seed)
{
	uint8_t *src = buf_alloc(len), *dst = buf_alloc(len);
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	dmae_cookie_t cookie;

	test_fill_pattern(src, len, seed);
	memset(dst, 0, len);
	cookie = submit_copy(chan, dst, src, len, FLAGS_IA, &comp, &res);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	wait_done(&comp);
	assert_result_ok(&res, cookie);
	ASSERT_PATTERN(dst, len, seed);
	free(src);
	free(dst);
}

/* ---- copies: lengths, alignments, guard bytes ------------------------------- */

#define COPY_MAX (48u * KiB)

/*
 * Copy len bytes from src + soff to dst + SLACK + doff and check that the
 * copy landed and that no byte around it changed.
 */
static void guarded_copy(struct dmae_chan *chan, uint8_t *src, uint8_t *dst, size_t soff,
			 size_t doff, size_t len, uint64_t seed)
{
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	size_t end = SLACK + doff + len + SLACK;
	dmae_cookie_t cookie;

	test_fill_pattern(src + soff, len, seed);
	memset(dst, GUARD, end);
	cookie = submit_copy(chan, dst + SLACK + doff, src + soff, len, FLAGS_IA, &comp, &res);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	wait_done(&comp);
	assert_result_ok(&res, cookie);
	assert_guard(dst, 0, SLACK + doff, "before");
	ASSERT_PATTERN(dst + SLACK + doff, len, seed);
	assert_guard(dst, SLACK + doff + len, end, "after");
	ASSERT_PATTERN(src + soff, len, seed);	/* the source is only read */
}

DMAE_TEST(memcpy_lengths_alignments_guarded)
{
	static const size_t edges[] = { 255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097,
					8191, 8192, 8193, 4095 * 4 - 4, 4095 * 4, 4095 * 4 + 4,
					16383, 16384, 16385, 32768, COPY_MAX };
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_caps caps;
	uint64_t a, max;
	uint8_t *src, *dst;
	size_t len, i, n = 0;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 0);
	caps = caps_of(chan);
	a = align_of(&caps, DMAE_OP_MEMCPY);
	max = seg_cap(&caps, COPY_MAX);
	src = buf_alloc(COPY_MAX + 64);
	dst = buf_alloc(COPY_MAX + 64 + 2 * SLACK);

	/* every short length, every small offset pair the channel allows */
	for (len = a; len <= 72; len += a, n++)
		guarded_copy(chan, src, dst, (n * a) % 8, ((n / 8) * a) % 8, len, n);
	for (i = 0; i < TEST_ARRAY_SIZE(edges); i++, n++)
		if (edges[i] <= max && edges[i] % a == 0)
			guarded_copy(chan, src, dst, test_rand_below(8) / a * a,
				     test_rand_below(8) / a * a, edges[i], n);
	for (i = 0; i < 40; i++, n++) {
		len = (size_t)round_up(1 + test_rand_below(max), a);
		if (len > max)
			len -= (size_t)a;
		guarded_copy(chan, src, dst, test_rand_below(64) / a * a,
			     test_rand_below(64) / a * a, len, n);
	}
	ASSERT_EQ(stats_of(chan).completed, n);
	ASSERT_EQ(stats_of(chan).errors, 0);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

#define BATCH 8u
#define SLOT (4u * KiB + 2 * SLACK + 8)

/*
 * Several copies behind one doorbell, each into its own guarded slot:
 * issue_pending hands them all over, every one completes and lands.
 */
DMAE_TEST(memcpy_batch_one_doorbell)
{
	struct dmae_completion comp[BATCH];
	struct dmae_result res[BATCH];
	dmae_cookie_t cookie[BATCH];
	size_t len[BATCH], doff[BATCH];
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_caps caps;
	uint64_t a, bytes = 0;
	uint8_t *src, *dst;
	unsigned int i, round;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 2 * BATCH);
	caps = caps_of(chan);
	a = align_of(&caps, DMAE_OP_MEMCPY);
	src = buf_alloc(BATCH * SLOT);
	dst = buf_alloc(BATCH * SLOT);
	for (round = 0; round < 10; round++) {
		memset(dst, GUARD, BATCH * SLOT);
		for (i = 0; i < BATCH; i++) {
			len[i] = (size_t)round_up(1 + test_rand_below(4 * KiB - 8), a);
			doff[i] = SLACK + test_rand_below(8) / a * a;
			test_fill_pattern(src + i * SLOT, len[i], round * BATCH + i);
			dmae_completion_init(&comp[i]);
			cookie[i] = submit_copy(chan, dst + i * SLOT + doff[i], src + i * SLOT,
						len[i], FLAGS_IA, &comp[i], &res[i]);
			if (i)
				ASSERT_EQ(cookie[i], cookie[i - 1] + 1);
			bytes += len[i];
		}
		ASSERT_EQ(dmae_chan_issue_pending(chan), BATCH);
		for (i = 0; i < BATCH; i++) {
			uint8_t *slot = dst + i * SLOT;

			wait_done(&comp[i]);
			assert_result_ok(&res[i], cookie[i]);
			assert_guard(slot, 0, doff[i], "before");
			ASSERT_PATTERN(slot + doff[i], len[i], round * BATCH + i);
			assert_guard(slot, doff[i] + len[i], SLOT, "after");
		}
	}
	ASSERT_EQ(stats_of(chan).completed, 10 * BATCH);
	ASSERT_EQ(stats_of(chan).bytes, bytes);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- scatter-gather ---------------------------------------------------------- */

#define SG_TOTAL (12u * KiB)
#define SG_MAX 16u

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Cut [0, total) into at most n pieces at random multiples of a; fills len[], returns how many. */
static unsigned int split(uint64_t total, unsigned int n, uint64_t a, uint64_t *len)
{
	uint64_t cut[SG_MAX], prev = 0, units = total / a;
	unsigned int k = 0, m = 0, i;

	for (i = 0; i + 1 < n && units > 1; i++)
		cut[k++] = a * (1 + test_rand_below(units - 1));	/* in [a, total - a] */
	cut[k++] = total;
	qsort(cut, k, sizeof(cut[0]), cmp_u64);
	for (i = 0; i < k; i++) {
		if (cut[i] == prev)
			continue;	/* two equal cuts: one piece fewer */
		len[m++] = cut[i] - prev;
		prev = cut[i];
	}
	return m;
}

/* Lay pieces out in buf with gap bytes before each; fill sg[]; the bytes used. */
static size_t lay_out(uint8_t *buf, const uint64_t *len, unsigned int n, size_t gap,
		      struct dmae_sg *sg, size_t *off)
{
	size_t at = 0;

	for (unsigned int i = 0; i < n; i++) {
		at += gap;
		off[i] = at;
		sg[i].addr = dmae_addr_of(buf + at);
		sg[i].len = len[i];
		at += (size_t)len[i];
	}
	return at + gap;
}

/* One sg copy of total bytes: ns source pieces, nd destination pieces. */
static void sg_round(struct dmae_chan *chan, const struct dmae_caps *caps, uint8_t *stream,
		     uint8_t *src, uint8_t *dst, uint64_t total, unsigned int ns,
		     unsigned int nd, uint64_t seed)
{
	uint64_t a = align_of(caps, DMAE_OP_SG);
	uint64_t slen[SG_MAX], dlen[SG_MAX];
	struct dmae_sg ssg[SG_MAX], dsg[SG_MAX];
	size_t soff[SG_MAX], doff[SG_MAX], dend, pos = 0;
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	unsigned int i;
	int ret;

	ns = split(total, ns, a, slen);
	nd = split(total, nd, a, dlen);
	test_fill_pattern(stream, (size_t)total, seed);
	lay_out(src, slen, ns, (size_t)a, ssg, soff);
	for (i = 0; i < ns; pos += (size_t)slen[i], i++)
		memcpy(src + soff[i], stream + pos, (size_t)slen[i]);
	dend = lay_out(dst, dlen, nd, SLACK, dsg, doff);
	memset(dst, GUARD, dend);

	ret = dmae_chan_prep_sg(chan, dsg, nd, ssg, ns, FLAGS_IA, &d);
	if (ret)	/* within the caps: the shape says what the provider refused */
		TEST_FAIL("prep_sg of %lu bytes, %u source entries (first at +%lu), %u "
			  "destination entries (first at +%lu), max_sg %lu: %s",
			  (unsigned long)total, ns, (unsigned long)(ssg[0].addr & 3), nd,
			  (unsigned long)(dsg[0].addr & 3), (unsigned long)caps->max_sg,
			  dmae_errname(ret));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, &res));
	cookie = dmae_desc_submit(d);
	ASSERT_GT(cookie, 0);
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	wait_done(&comp);
	assert_result_ok(&res, cookie);
	for (i = 0, pos = 0; i < nd; pos += (size_t)dlen[i], i++) {
		assert_guard(dst, i ? doff[i - 1] + (size_t)dlen[i - 1] : 0, doff[i], "between");
		ASSERT_MEM_EQ(dst + doff[i], stream + pos, (size_t)dlen[i]);
	}
	assert_guard(dst, doff[nd - 1] + (size_t)dlen[nd - 1], dend, "after");
}

/* An sg channel for env's consumer with its caps; skips when there is none. */
static struct dmae_chan *sg_chan(struct test_env *env, struct dmae_caps *caps)
{
	struct dmae_chan *chan;

	test_provider_setup(env);
	chan = test_chan_memcpy(env, 0);
	*caps = caps_of(chan);
	if (!(caps->ops & DMAE_CAP_SG)) {
		ASSERT_OK(dmae_chan_release(chan));
		test_provider_teardown(env);
		TEST_SKIP("the channel has no scatter-gather (caps.ops lacks DMAE_CAP_SG)");
	}
	return chan;
}

/*
 * rounds sg copies of random lengths with 1..most entries on each side,
 * cut at unrelated points; fixed shapes first: one entry against most,
 * most against one, most against most.
 */
static void sg_rounds(unsigned int most, unsigned int rounds)
{
	struct test_env env;
	struct dmae_caps caps;
	struct dmae_chan *chan = sg_chan(&env, &caps);
	uint8_t *stream, *src, *dst;
	uint64_t a = align_of(&caps, DMAE_OP_SG);
	uint64_t max = seg_cap(&caps, SG_TOTAL) / a * a;	/* then no piece is too long */
	unsigned int r;

	most = most < caps.max_sg ? most : caps.max_sg;
	stream = buf_alloc(SG_TOTAL);
	src = buf_alloc(SG_TOTAL + (SG_MAX + 1) * (size_t)a);
	dst = buf_alloc(SG_TOTAL + (SG_MAX + 1) * SLACK);
	sg_round(chan, &caps, stream, src, dst, max / 4 / a * a, 1, most, 1);
	sg_round(chan, &caps, stream, src, dst, max / 4 / a * a, most, 1, 2);
	sg_round(chan, &caps, stream, src, dst, max, most, most, 3);
	for (r = 0; r < rounds; r++)
		sg_round(chan, &caps, stream, src, dst, a * (1 + test_rand_below(max / a)),
			 1 + (unsigned int)test_rand_below(most),
			 1 + (unsigned int)test_rand_below(most), 10 + r);
	ASSERT_EQ(stats_of(chan).completed, 3 + rounds);
	ASSERT_EQ(stats_of(chan).errors, 0);
	free(stream);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* Up to 4 entries a side: the shapes clients use most. */
DMAE_TEST(sg_differing_split_points)
{
	sg_rounds(4, 40);
}

/*
 * As many entries on each side as caps.max_sg allows (up to SG_MAX),
 * cut at unaligned points: a channel takes every sg its caps admit.
 */
DMAE_TEST(sg_max_entries_each_side)
{
	sg_rounds(SG_MAX, 10);
}

/* ---- fences ------------------------------------------------------------------- */

#define HOPS 4u
#define FENCE_MAX (8u * KiB)

/*
 * A chain of copies, each reading what the one before wrote
 * (buf[0] -> buf[1] -> ... -> buf[HOPS]), all behind one doorbell: every
 * copy after the first carries DMAE_PREP_FENCE, so each starts only after
 * the one it depends on completed and the data arrives whole at the end.
 */
DMAE_TEST(fence_orders_dependent_copies)
{
	struct dmae_completion comp[HOPS];
	struct dmae_result res[HOPS];
	dmae_cookie_t cookie[HOPS];
	uint8_t *buf[HOPS + 1];
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_desc *d;
	struct dmae_caps caps;
	unsigned int i, round;
	uint64_t a;
	size_t len;
	int ret;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 2 * HOPS);
	caps = caps_of(chan);
	a = align_of(&caps, DMAE_OP_MEMCPY);
	for (i = 0; i <= HOPS; i++)
		buf[i] = buf_alloc(FENCE_MAX);
	ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(buf[1]), dmae_addr_of(buf[0]), a,
				    DMAE_PREP_FENCE | DMAE_PREP_ACK, &d);
	if (ret == -EOPNOTSUPP) {
		for (i = 0; i <= HOPS; i++)
			free(buf[i]);
		ASSERT_OK(dmae_chan_release(chan));
		test_provider_teardown(&env);
		TEST_SKIP("the channel refuses DMAE_PREP_FENCE (-EOPNOTSUPP)");
	}
	ASSERT_OK(ret);
	ASSERT_OK(dmae_desc_free(d));

	for (round = 0; round < 20; round++) {
		len = (size_t)round_up(1 + test_rand_below(FENCE_MAX), a);
		if (len > FENCE_MAX)
			len -= (size_t)a;
		test_fill_pattern(buf[0], len, round);
		for (i = 1; i <= HOPS; i++)	/* stale bytes a copy started early would carry */
			memset(buf[i], (int)(round * HOPS + i), len);
		for (i = 0; i < HOPS; i++) {
			dmae_completion_init(&comp[i]);
			cookie[i] = submit_copy(chan, buf[i + 1], buf[i], len,
						FLAGS_IA | (i ? DMAE_PREP_FENCE : 0u),
						&comp[i], &res[i]);
		}
		ASSERT_EQ(dmae_chan_issue_pending(chan), HOPS);
		for (i = 0; i < HOPS; i++) {
			wait_done(&comp[i]);
			assert_result_ok(&res[i], cookie[i]);
		}
		for (i = 1; i <= HOPS; i++)
			ASSERT_PATTERN(buf[i], len, round);
	}
	for (i = 0; i <= HOPS; i++)
		free(buf[i]);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- cookies and status ------------------------------------------------------- */

#define NCOOKIE 6u

/*
 * Cookies rise by one per submit.  Before the doorbell every transfer is
 * IN_PROGRESS with its whole length as residue; after it each is COMPLETE
 * with residue 0, those without DMAE_PREP_INTERRUPT seen by polling the
 * status.  Cookies the channel never returned are refused.
 */
DMAE_TEST(cookies_monotonic_and_status)
{
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res[NCOOKIE];
	dmae_cookie_t cookie[NCOOKIE], next;
	size_t len[NCOOKIE], off = 0;
	struct dmae_tx_state st;
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_caps caps;
	uint8_t *src, *dst;
	unsigned int i;
	uint64_t a;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 2 * NCOOKIE);
	caps = caps_of(chan);
	a = align_of(&caps, DMAE_OP_MEMCPY);
	src = buf_alloc(NCOOKIE * 2 * KiB);
	dst = buf_alloc(NCOOKIE * 2 * KiB);
	test_fill_pattern(src, NCOOKIE * 2 * KiB, 7);
	memset(dst, 0, NCOOKIE * 2 * KiB);
	for (i = 0; i < NCOOKIE; off += 2 * KiB, i++) {
		len[i] = (size_t)round_up(1 + test_rand_below(2 * KiB - a), a);
		/* the even ones complete silently: seen through the status only */
		cookie[i] = submit_copy(chan, dst + off, src + off, len[i],
					i % 2 ? FLAGS_IA : DMAE_PREP_ACK,
					i % 2 ? &comp : NULL, &res[i]);
		if (i)
			ASSERT_EQ(cookie[i], cookie[i - 1] + 1);
	}
	for (i = 0; i < NCOOKIE; i++) {	/* never issued: nothing can have started */
		ASSERT_EQ(dmae_chan_status(chan, cookie[i], &st), DMAE_IN_PROGRESS);
		ASSERT_EQ(st.residue, len[i]);
		ASSERT_EQ(st.used, cookie[NCOOKIE - 1]);
	}
	ASSERT_ERR(dmae_chan_status(chan, 0, NULL), -EINVAL);
	ASSERT_ERR(dmae_chan_status(chan, -1, NULL), -EINVAL);
	ASSERT_ERR(dmae_chan_status(chan, cookie[NCOOKIE - 1] + 1, NULL), -EINVAL);

	ASSERT_EQ(dmae_chan_issue_pending(chan), NCOOKIE);
	for (i = 1; i < NCOOKIE; i += 2)
		wait_done(&comp);
	for (i = 0; i < NCOOKIE; i++) {
		ASSERT_EQ(poll_status(chan, cookie[i], &st), DMAE_COMPLETE);
		ASSERT_EQ(st.residue, 0);
		if (i % 2)
			assert_result_ok(&res[i], cookie[i]);
	}
	ASSERT_EQ(st.last, cookie[NCOOKIE - 1]);
	ASSERT_EQ(st.used, cookie[NCOOKIE - 1]);
	for (i = 0, off = 0; i < NCOOKIE; off += 2 * KiB, i++)
		ASSERT_MEM_EQ(dst + off, src + off, len[i]);
	ASSERT_FALSE(dmae_completion_try(&comp));	/* one signal per interrupting copy */

	next = submit_copy(chan, dst, src, a, FLAGS_IA, &comp, &res[0]);
	ASSERT_EQ(next, cookie[NCOOKIE - 1] + 1);	/* still rising after the doorbell */
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	wait_done(&comp);
	assert_result_ok(&res[0], next);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- callbacks in each context ------------------------------------------------- */

#define NCB 4u

static const enum dmae_cb_ctx cb_ctxs[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };

static enum dmae_ctx ctx_of(enum dmae_cb_ctx c)
{
	return c == DMAE_CB_HARDIRQ ? DMAE_CTX_HARDIRQ : c == DMAE_CB_BH ? DMAE_CTX_BH
									  : DMAE_CTX_TASK;
}

/* What the callbacks of one batch saw. */
struct cb_log {
	enum dmae_ctx want;
	struct dmae_result comp_res[NCB];	/* filled by the completion objects */
	atomic_int order[NCB];		/* cookies in the order the callbacks ran */
	atomic_uint n;
	atomic_uint bad_ctx, bad_atomic, bad_result, comp_late;
	struct dmae_completion comp;	/* the completion objects' */
	struct dmae_completion done;	/* the callbacks' */
};

struct cb_arg {
	struct cb_log *log;
	unsigned int i;
};

static void log_cb(void *arg, const struct dmae_result *res)
{
	struct cb_arg *c = arg;
	struct cb_log *l = c->log;
	unsigned int at = atomic_fetch_add(&l->n, 1);

	if (dmae_ctx_current() != l->want)
		atomic_fetch_add(&l->bad_ctx, 1);
	if (dmae_in_atomic() != (l->want != DMAE_CTX_TASK))
		atomic_fetch_add(&l->bad_atomic, 1);
	if (res->code != DMAE_RESULT_OK || res->residue)
		atomic_fetch_add(&l->bad_result, 1);
	/* the completion object is signalled, its result written, before the callback */
	if (l->comp_res[c->i].cookie != res->cookie)
		atomic_fetch_add(&l->comp_late, 1);
	if (at < NCB)
		atomic_store(&l->order[at], res->cookie);
	dmae_completion_done(&l->done);
}

/* NCB copies with a callback in cx and a completion object each, one doorbell. */
static void callbacks_in(struct dmae_chan *chan, enum dmae_cb_ctx cx, uint8_t *src, uint8_t *dst)
{
	static struct cb_log log;
	struct cb_arg arg[NCB];
	dmae_cookie_t cookie[NCB];
	struct dmae_desc *d;
	unsigned int i;

	memset(&log, 0, sizeof(log));
	log.want = ctx_of(cx);
	dmae_completion_init(&log.comp);
	dmae_completion_init(&log.done);
	test_fill_pattern(src, NCB * KiB, cx);
	memset(dst, 0, NCB * KiB);
	for (i = 0; i < NCB; i++) {
		arg[i] = (struct cb_arg){ .log = &log, .i = i };
		ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + i * KiB),
						dmae_addr_of(src + i * KiB), KiB, FLAGS_IA, &d));
		ASSERT_OK(dmae_desc_set_callback(d, log_cb, &arg[i], cx));
		ASSERT_OK(dmae_desc_set_completion(d, &log.comp, &log.comp_res[i]));
		cookie[i] = dmae_desc_submit(d);
		ASSERT_GT(cookie[i], 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(chan), NCB);
	for (i = 0; i < NCB; i++) {
		wait_done(&log.done);
		wait_done(&log.comp);
	}
	ASSERT_OK(dmae_chan_synchronize(chan));	/* no callback runs any more */
	ASSERT_EQ(atomic_load(&log.n), NCB);	/* each ran once */
	ASSERT_EQ(atomic_load(&log.bad_ctx), 0);
	ASSERT_EQ(atomic_load(&log.bad_atomic), 0);
	ASSERT_EQ(atomic_load(&log.bad_result), 0);
	ASSERT_EQ(atomic_load(&log.comp_late), 0);
	for (i = 0; i < NCB; i++) {
		ASSERT_EQ(atomic_load(&log.order[i]), cookie[i]);	/* one context: in order */
		assert_result_ok(&log.comp_res[i], cookie[i]);
	}
	ASSERT_MEM_EQ(dst, src, NCB * KiB);
	ASSERT_FALSE(dmae_completion_try(&log.comp));
	ASSERT_FALSE(dmae_completion_try(&log.done));
}

DMAE_TEST(callbacks_in_each_context)
{
	struct test_env env;
	struct dmae_chan *chan;
	uint8_t *src, *dst;
	unsigned int i;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 2 * NCB);
	src = buf_alloc(NCB * KiB);
	dst = buf_alloc(NCB * KiB);
	for (i = 0; i < TEST_ARRAY_SIZE(cb_ctxs); i++)
		callbacks_in(chan, cb_ctxs[i], src, dst);
	ASSERT_EQ(stats_of(chan).pool_free, stats_of(chan).pool_size);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- completion objects -------------------------------------------------------- */

/*
 * A completion object with no callback: a wait with a timeout gives up on
 * a transfer that was never issued, and returns once it is; one object
 * shared by several transfers counts one signal per transfer.
 */
DMAE_TEST(completion_object_wait_timeout)
{
	struct dmae_completion comp = DMAE_COMPLETION_INIT;
	struct dmae_result res[NCB];
	dmae_cookie_t cookie[NCB];
	struct test_env env;
	struct dmae_chan *chan;
	uint8_t *src, *dst;
	unsigned int i;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, 2 * NCB);
	src = buf_alloc(NCB * KiB);
	dst = buf_alloc(NCB * KiB);
	test_fill_pattern(src, NCB * KiB, 5);
	memset(dst, 0, NCB * KiB);

	cookie[0] = submit_copy(chan, dst, src, KiB, FLAGS_IA, &comp, &res[0]);
	ASSERT_ERR(dmae_completion_wait_timeout(&comp, 1000000), -ETIMEDOUT);	/* not issued */
	ASSERT_FALSE(dmae_completion_try(&comp));
	ASSERT_EQ(dmae_chan_issue_pending(chan), 1);
	wait_done(&comp);
	assert_result_ok(&res[0], cookie[0]);
	ASSERT_FALSE(dmae_completion_try(&comp));	/* the wait consumed the one signal */

	for (i = 0; i < NCB; i++)
		cookie[i] = submit_copy(chan, dst + i * KiB, src + i * KiB, KiB, FLAGS_IA, &comp,
					&res[i]);
	ASSERT_EQ(dmae_chan_issue_pending(chan), NCB);
	for (i = 0; i < NCB; i++)
		wait_done(&comp);
	ASSERT_FALSE(dmae_completion_try(&comp));
	for (i = 0; i < NCB; i++)
		assert_result_ok(&res[i], cookie[i]);
	ASSERT_MEM_EQ(dst, src, NCB * KiB);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- terminate from a callback -------------------------------------------------- */

#define NLATE 4u	/* submitted by the callback, then terminated */
#define NRUN 3u		/* issued with the first: complete or dropped, either way once */

struct term {
	struct dmae_chan *chan;
	enum dmae_ctx want;
	uint8_t *src, *dst;
	atomic_uint calls, bad, late_calls;
	atomic_uint run_calls[NRUN];
	atomic_int term_ret;
	dmae_cookie_t late[NLATE];
	struct dmae_completion late_comp;	/* the terminated ones': never signalled */
	struct dmae_completion done;
};

static void late_cb(void *arg, const struct dmae_result *res)
{
	struct term *t = arg;

	(void)res;
	atomic_fetch_add(&t->late_calls, 1);
}

struct run_arg {
	struct term *t;
	unsigned int i;
};

static void run_cb(void *arg, const struct dmae_result *res)
{
	struct run_arg *r = arg;

	if (res->code != DMAE_RESULT_OK)
		atomic_fetch_add(&r->t->bad, 1);
	atomic_fetch_add(&r->t->run_calls[r->i], 1);
}

/* The first transfer's callback: queue more work, then terminate it all. */
static void terminating_cb(void *arg, const struct dmae_result *res)
{
	struct term *t = arg;
	struct dmae_desc *d;
	unsigned int i;

	(void)res;
	if (atomic_fetch_add(&t->calls, 1))
		return;
	if (dmae_ctx_current() != t->want)
		atomic_fetch_add(&t->bad, 1);
	for (i = 0; i < NLATE; i++) {
		t->late[i] = -1;
		if (dmae_chan_prep_memcpy(t->chan, dmae_addr_of(t->dst + i * 256),
					  dmae_addr_of(t->src), 256, FLAGS_IA, &d) ||
		    dmae_desc_set_callback(d, late_cb, t, DMAE_CB_BH) ||
		    dmae_desc_set_completion(d, &t->late_comp, NULL)) {
			atomic_fetch_add(&t->bad, 1);
			continue;
		}
		t->late[i] = dmae_desc_submit(d);
	}
	atomic_store(&t->term_ret, dmae_chan_terminate_async(t->chan));
	dmae_completion_done(&t->done);
}

/* What terminate left: the late ones dropped, the rest complete or dropped, once. */
static void check_terminated(struct term *t, const dmae_cookie_t *run)
{
	struct dmae_chan_stats st = stats_of(t->chan);
	unsigned int i;

	ASSERT_OK(atomic_load(&t->term_ret));
	ASSERT_EQ(atomic_load(&t->bad), 0);
	ASSERT_EQ(atomic_load(&t->calls), 1);
	ASSERT_EQ(atomic_load(&t->late_calls), 0);
	ASSERT_FALSE(dmae_completion_try(&t->late_comp));
	for (i = 0; i < NLATE; i++) {
		ASSERT_GT(t->late[i], 0);
		ASSERT_EQ(dmae_chan_status(t->chan, t->late[i], NULL), DMAE_ERROR);
	}
	for (i = 0; i < NRUN; i++) {
		int s = dmae_chan_status(t->chan, run[i], NULL);

		ASSERT_LE(atomic_load(&t->run_calls[i]), 1);
		ASSERT_TRUE(s == DMAE_COMPLETE || s == DMAE_ERROR);
		if (atomic_load(&t->run_calls[i]))
			ASSERT_EQ(s, DMAE_COMPLETE);
	}
	ASSERT_EQ(st.submitted, 1 + NRUN + NLATE);
	ASSERT_GE(st.terminated, NLATE);
	ASSERT_EQ(st.completed + st.terminated, st.submitted);
	ASSERT_EQ(st.pool_free, st.pool_size);
}

/*
 * terminate_async from a hard-IRQ or BH callback, synchronize from task
 * context.  What the callback submitted before terminating is dropped
 * for certain: DMAE_ERROR, no callback, no completion signal.  What was
 * issued with the first transfer may have completed first; whichever it
 * did, no callback runs twice.  The channel works afterwards.
 */
static void terminate_from(enum dmae_cb_ctx cx)
{
	static struct term t;
	struct run_arg ra[NRUN];
	dmae_cookie_t first, run[NRUN];
	struct test_env env;
	struct dmae_desc *d;
	unsigned int i;

	test_provider_setup(&env);
	memset(&t, 0, sizeof(t));
	t.chan = test_chan_memcpy(&env, 2 * (1 + NRUN + NLATE));
	ASSERT_TRUE(caps_of(t.chan).terminate);	/* registration requires it */
	t.want = ctx_of(cx);
	t.src = buf_alloc(KiB);
	t.dst = buf_alloc((NLATE + NRUN + 1) * KiB);
	dmae_completion_init(&t.late_comp);
	dmae_completion_init(&t.done);
	test_fill_pattern(t.src, KiB, cx);

	ASSERT_OK(dmae_chan_prep_memcpy(t.chan, dmae_addr_of(t.dst + NLATE * KiB),
					dmae_addr_of(t.src), 64, FLAGS_IA, &d));
	ASSERT_OK(dmae_desc_set_callback(d, terminating_cb, &t, cx));
	first = dmae_desc_submit(d);
	ASSERT_GT(first, 0);
	for (i = 0; i < NRUN; i++) {
		ra[i] = (struct run_arg){ .t = &t, .i = i };
		ASSERT_OK(dmae_chan_prep_memcpy(t.chan,
						dmae_addr_of(t.dst + (NLATE + 1 + i) * KiB),
						dmae_addr_of(t.src), KiB, FLAGS_IA, &d));
		ASSERT_OK(dmae_desc_set_callback(d, run_cb, &ra[i], DMAE_CB_BH));
		run[i] = dmae_desc_submit(d);
		ASSERT_GT(run[i], 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(t.chan), 1 + NRUN);
	wait_done(&t.done);
	ASSERT_OK(dmae_chan_synchronize(t.chan));
	ASSERT_EQ(dmae_chan_status(t.chan, first, NULL), DMAE_COMPLETE);
	check_terminated(&t, run);
	ASSERT_EQ(dmae_chan_issue_pending(t.chan), 0);	/* nothing left to issue */
	assert_copy_works(t.chan, 3 * KiB, 99);
	free(t.src);
	free(t.dst);
	ASSERT_OK(dmae_chan_release(t.chan));
	test_provider_teardown(&env);
}

DMAE_TEST(terminate_from_hardirq_callback)
{
	terminate_from(DMAE_CB_HARDIRQ);
}

DMAE_TEST(terminate_from_bh_callback)
{
	terminate_from(DMAE_CB_BH);
}

/* ---- pool exhaustion ---------------------------------------------------------- */

#define POOL 4u

struct pool_wait {
	struct dmae_completion done;
};

static void pool_cb(void *arg, const struct dmae_result *res)
{
	(void)res;
	dmae_completion_done(&((struct pool_wait *)arg)->done);	/* the descriptor is back */
}

/* Prep POOL copies, none submitted; the next prep finds the pool empty. */
static void fill_pool(struct dmae_chan *chan, uint8_t *src, uint8_t *dst, unsigned int flags,
		      struct dmae_desc **d)
{
	unsigned int i;

	for (i = 0; i < POOL; i++)
		ASSERT_OK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + i * KiB),
						dmae_addr_of(src + i * KiB), KiB, flags, &d[i]));
	ASSERT_EQ(stats_of(chan).pool_free, 0);
	ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), KiB, flags,
					 &d[POOL]), -ENOSPC);
}

/*
 * A pool of POOL descriptors: prep returns -ENOSPC once all are taken, and
 * works again when they come back: acknowledged ones on completion (before
 * their callback runs), unacknowledged ones at dmae_desc_ack(), unsubmitted
 * ones at dmae_desc_free().
 */
DMAE_TEST(pool_exhaustion_enospc_then_recovers)
{
	struct pool_wait w;
	struct dmae_desc *d[POOL + 1];
	struct test_env env;
	struct dmae_chan *chan;
	uint8_t *src, *dst;
	unsigned int i;

	test_provider_setup(&env);
	chan = test_chan_memcpy(&env, POOL);
	ASSERT_EQ(stats_of(chan).pool_size, POOL);
	src = buf_alloc(POOL * KiB);
	dst = buf_alloc(POOL * KiB);
	test_fill_pattern(src, POOL * KiB, 3);
	dmae_completion_init(&w.done);

	fill_pool(chan, src, dst, FLAGS_IA, d);
	for (i = 0; i < POOL; i++) {
		ASSERT_OK(dmae_desc_set_callback(d[i], pool_cb, &w, DMAE_CB_BH));
		ASSERT_GT(dmae_desc_submit(d[i]), 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(chan), POOL);
	for (i = 0; i < POOL; i++)
		wait_done(&w.done);
	ASSERT_EQ(stats_of(chan).pool_free, POOL);
	ASSERT_MEM_EQ(dst, src, POOL * KiB);

	/* without DMAE_PREP_ACK a completed descriptor stays out until acked */
	fill_pool(chan, src, dst, DMAE_PREP_INTERRUPT, d);
	for (i = 0; i < POOL; i++) {
		ASSERT_OK(dmae_desc_set_callback(d[i], pool_cb, &w, DMAE_CB_BH));
		ASSERT_GT(dmae_desc_submit(d[i]), 0);
	}
	ASSERT_EQ(dmae_chan_issue_pending(chan), POOL);
	for (i = 0; i < POOL; i++)
		wait_done(&w.done);
	ASSERT_ERR(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), KiB,
					 FLAGS_IA, &d[POOL]), -ENOSPC);
	for (i = 0; i < POOL; i++)
		ASSERT_OK(dmae_desc_ack(d[i]));
	ASSERT_EQ(stats_of(chan).pool_free, POOL);

	/* unsubmitted ones go back with dmae_desc_free() */
	fill_pool(chan, src, dst, FLAGS_IA, d);
	for (i = 0; i < POOL; i++)
		ASSERT_OK(dmae_desc_free(d[i]));
	ASSERT_EQ(stats_of(chan).pool_free, POOL);
	assert_copy_works(chan, KiB, 4);
	free(src);
	free(dst);
	ASSERT_OK(dmae_chan_release(chan));
	test_provider_teardown(&env);
}

/* ---- the sleeping-call checker -------------------------------------------------- */

static struct {
	atomic_uint n;
	char func[64];
	char ctx[32];
} reports;

/* Record a report and return: the call goes on, and is refused. */
static void report_hook(const struct dmae_sleep_report *r)
{
	if (atomic_fetch_add(&reports.n, 1) == 0) {
		snprintf(reports.func, sizeof(reports.func), "%s", r->func);
		snprintf(reports.ctx, sizeof(reports.ctx), "%s", r->ctx);
	}
}

struct sleeper {
	struct dmae_chan *chan;
	atomic_int ret;
	struct dmae_completion done;
};

/* dmae_chan_synchronize() may sleep: from an interrupt it is a bug. */
static void sleeping_cb(void *arg, const struct dmae_result *res)
{
	struct sleeper *s = arg;

	(void)res;
	atomic_store(&s->ret, dmae_chan_synchronize(s->chan));
	dmae_completion_done(&s->done);
}

/*
 * A callback in cx calls a function that may sleep.  With a report hook
 * installed the checker logs the call with its context and the call is
 * refused with -EPERM; from task context nothing is reported.
 */
static void sleeping_call_reported(enum dmae_cb_ctx cx, const char *ctx_name)
{
	char line[128];
	struct sleeper s;
	struct test_env env;
	struct dmae_desc *d;
	dmae_sleep_report_fn old;
	uint8_t src[64] = { 0 }, dst[64];

	if (!dmae_debug_enabled())
		TEST_SKIP("library built without DMAE_DEBUG: no sleeping-call checker");
	test_provider_setup(&env);
	s.chan = test_chan_memcpy(&env, 0);
	atomic_init(&s.ret, 1);
	dmae_completion_init(&s.done);
	atomic_store(&reports.n, 0);
	test_log_capture_start();
	old = dmae_sleep_report_set_hook(report_hook);

	ASSERT_OK(dmae_chan_prep_memcpy(s.chan, dmae_addr_of(dst), dmae_addr_of(src),
					sizeof(dst), FLAGS_IA, &d));
	ASSERT_OK(dmae_desc_set_callback(d, sleeping_cb, &s, cx));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_EQ(dmae_chan_issue_pending(s.chan), 1);
	wait_done(&s.done);
	dmae_sleep_report_set_hook(old);

	ASSERT_EQ(atomic_load(&reports.n), 1);
	ASSERT_STR_EQ(reports.func, "dmae_chan_synchronize");
	ASSERT_STR_EQ(reports.ctx, ctx_name);
	snprintf(line, sizeof(line), "BUG: sleeping function called from %s context: "
		 "dmae_chan_synchronize()", ctx_name);
	ASSERT_LOGGED(line);
	ASSERT_ERR(atomic_load(&s.ret), -EPERM);

	test_log_capture_clear();
	old = dmae_sleep_report_set_hook(report_hook);
	ASSERT_OK(dmae_chan_synchronize(s.chan));	/* task context: fine */
	dmae_sleep_report_set_hook(old);
	ASSERT_EQ(atomic_load(&reports.n), 1);
	ASSERT_NOT_LOGGED("BUG: sleeping function");
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(s.chan));
	test_provider_teardown(&env);
}

DMAE_TEST(sleeping_call_from_hardirq_reported)
{
	sleeping_call_reported(DMAE_CB_HARDIRQ, "hard-IRQ");
}

DMAE_TEST(sleeping_call_from_bh_reported)
{
	sleeping_call_reported(DMAE_CB_BH, "BH");
}
