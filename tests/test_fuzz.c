/* SPDX-License-Identifier: MIT */
/*
 * tests/test_fuzz.c - a random API-sequence fuzzer with a reference model.
 *
 * dmae-test-providers: swdma simdmac
 *
 * A seeded random driver makes calls in random order on one memcpy channel
 * -- prep, submit, free, issue, status, wait, terminate, pause and resume,
 * release and request again, the fast path, and bad input (overlapping,
 * wrapping and zero-length ranges, handles used after release) -- and
 * checks each answer against a model of what must happen:
 *
 *   - each transfer copies into its own slot of a destination arena; a
 *     transfer that completed OK has exactly its source bytes there, and
 *     the bytes around every slot are never written;
 *   - every submitted transfer is called back exactly once, or never if a
 *     terminate dropped it, and never after terminate_sync returned;
 *   - bad input gets its errno and changes nothing.
 *
 * CTest runs a fixed number of operations per provider (under ASan+UBSan
 * and TSan too); `make fuzz` runs for as long as asked:
 *   DMAE_FUZZ_SECONDS=60 DMAE_FUZZ_SEED=1 build/asan/tests/test_fuzz fuzz_api
 */
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/fastpath.h>

#include "test.h"

#define SLOTS 32
#define SLOT 4096
#define MAXLEN 3000
#define GUARD 0xe5
#define WAIT_NS (120ull * 1000000000ull)

enum slot_state { S_FREE, S_PREPARED, S_SUBMITTED };

struct slot {
	enum slot_state state;
	struct dmae_desc *d;
	dmae_cookie_t cookie;
	uint32_t off, len;	/* where in the slot, how much */
	uint32_t src_off;
	atomic_uint calls;	/* callbacks made */
	atomic_int code;	/* their result */
};

struct fuzz {
	struct test_env env;
	struct dmae_chan *chan;
	uint64_t rng;
	unsigned char *src, *dst;	/* src: SLOT * 2, dst: SLOTS * SLOT */
	struct slot slot[SLOTS];
	unsigned long ops, copies_checked, errnos_checked;
};

static uint32_t rnd(struct fuzz *z, uint32_t n)
{
	return (uint32_t)(test_rand_r(&z->rng) % n);
}

static void fuzz_cb(void *arg, const struct dmae_result *res)
{
	struct slot *s = arg;

	atomic_store(&s->code, (int)res->code);
	atomic_fetch_add(&s->calls, 1);
}

/* The slot's destination: exactly the source bytes where it landed, guards around. */
static void check_slot(struct fuzz *z, unsigned int i, bool copied)
{
	struct slot *s = &z->slot[i];
	unsigned char *d = z->dst + (size_t)i * SLOT;
	uint32_t k;

	for (k = 0; k < SLOT; k++) {
		bool in = k >= s->off && k < s->off + s->len;

		if (!in && d[k] != GUARD)
			TEST_FAIL("slot %u byte %u outside the transfer written (0x%02x)", i, k, d[k]);
		if (in && copied && d[k] != z->src[s->src_off + k - s->off])
			TEST_FAIL("slot %u byte %u: 0x%02x, want 0x%02x", i, k, d[k],
				  z->src[s->src_off + k - s->off]);
	}
	memset(d, GUARD, SLOT);
	z->copies_checked += copied;
}

static void op_prep(struct fuzz *z)
{
	unsigned int i = rnd(z, SLOTS);
	struct slot *s = &z->slot[i];
	static const enum dmae_cb_ctx ctxs[3] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };
	int ret;

	if (s->state != S_FREE)
		return;
	s->len = 1 + rnd(z, MAXLEN);
	s->off = rnd(z, SLOT - s->len);
	s->src_off = rnd(z, SLOT);
	ret = dmae_chan_prep_memcpy(z->chan, dmae_addr_of(z->dst + (size_t)i * SLOT + s->off),
				    dmae_addr_of(z->src + s->src_off), s->len,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &s->d);
	if (ret == -ENOSPC)
		return;
	ASSERT_OK(ret);
	atomic_store(&s->calls, 0);
	ASSERT_OK(dmae_desc_set_callback(s->d, fuzz_cb, s, ctxs[rnd(z, 3)]));
	s->state = S_PREPARED;
}

static void op_submit_or_free(struct fuzz *z)
{
	unsigned int i = rnd(z, SLOTS);
	struct slot *s = &z->slot[i];

	if (s->state != S_PREPARED)
		return;
	if (rnd(z, 8) == 0) {
		ASSERT_OK(dmae_desc_free(s->d));
		s->state = S_FREE;
		check_slot(z, i, false);
		return;
	}
	s->cookie = dmae_desc_submit(s->d);
	ASSERT_GT(s->cookie, 0);
	s->state = S_SUBMITTED;
}

/* Wait for every submitted transfer (issuing first), check and free the slots. */
static void op_drain(struct fuzz *z)
{
	uint64_t end = test_now_ns() + WAIT_NS;
	unsigned int i;

	ASSERT_GE(dmae_chan_issue_pending(z->chan), 0);
	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &z->slot[i];

		if (s->state != S_SUBMITTED)
			continue;
		while (!atomic_load(&s->calls)) {
			if (test_now_ns() > end)
				TEST_FAIL("slot %u: cookie %d never called back", i, s->cookie);
			dmae_chan_status(z->chan, s->cookie, NULL);
			test_sleep_ms(0);
		}
		ASSERT_EQ(atomic_load(&s->code), DMAE_RESULT_OK);
		ASSERT_EQ(dmae_chan_status(z->chan, s->cookie, NULL), DMAE_COMPLETE);
		s->state = S_FREE;
		check_slot(z, i, true);
	}
	for (i = 0; i < SLOTS; i++)
		ASSERT_LE(atomic_load(&z->slot[i].calls), 1);
}

/* Drop everything submitted: called back at most once before, never after. */
static void op_terminate(struct fuzz *z)
{
	unsigned int i, before[SLOTS];

	ASSERT_OK(dmae_chan_terminate_sync(z->chan));
	for (i = 0; i < SLOTS; i++)
		before[i] = atomic_load(&z->slot[i].calls);
	ASSERT_GE(dmae_chan_issue_pending(z->chan), 0);	/* nothing left to start */
	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &z->slot[i];

		ASSERT_LE(before[i], 1);
		ASSERT_EQ(atomic_load(&s->calls), before[i]);
		if (s->state != S_SUBMITTED)
			continue;
		if (before[i])
			ASSERT_EQ(atomic_load(&s->code), DMAE_RESULT_OK);
		s->state = S_FREE;
		check_slot(z, i, before[i] == 1);
	}
}

/* Bad input: its errno, and nothing changes. */
static void op_bad(struct fuzz *z)
{
	dmae_addr_t a = dmae_addr_of(z->dst);
	struct dmae_desc *d = NULL;

	switch (rnd(z, 4)) {
	case 0:
		ASSERT_ERR(dmae_chan_prep_memcpy(z->chan, a + 16, a, 64, 0, &d), -EINVAL);
		break;
	case 1:
		ASSERT_ERR(dmae_chan_prep_memcpy(z->chan, UINT64_MAX - 32, a, 64, 0, &d), -EINVAL);
		break;
	case 2:
		ASSERT_ERR(dmae_chan_prep_memcpy(z->chan, a, dmae_addr_of(z->src), 0, 0, &d),
			   -EINVAL);
		break;
	default:
		ASSERT_ERR(dmae_chan_status(z->chan, -1, NULL), -EINVAL);
		break;
	}
	ASSERT_NULL(d);
	z->errnos_checked++;
}

/* Release with work queued, use the stale handles, request again. */
static void op_release(struct fuzz *z)
{
	struct dmae_desc *stale = NULL;
	struct dmae_chan *old = z->chan;
	unsigned int i;

	for (i = 0; i < SLOTS; i++) {
		if (z->slot[i].state == S_PREPARED && !stale)
			stale = z->slot[i].d;
	}
	op_terminate(z);	/* what is submitted goes as with a terminate */
	ASSERT_OK(dmae_chan_release(old));
	ASSERT_ERR(dmae_chan_issue_pending(old), -EBADF);
	if (stale)
		ASSERT_ERR(dmae_desc_submit(stale), -EBADF);
	for (i = 0; i < SLOTS; i++) {
		if (z->slot[i].state == S_PREPARED) {
			z->slot[i].state = S_FREE;
			check_slot(z, i, false);
		}
	}
	z->chan = test_chan_memcpy(&z->env, 8 + rnd(z, 24));
	z->errnos_checked++;
}

/* A fast path burst into free slots, polled to the end. */
static void op_fastpath(struct fuzz *z)
{
	uint64_t end = test_now_ns() + WAIT_NS;
	unsigned int i, n = 0, done = 0, want[8];
	struct dmae_fp *fp;
	bool err = false;

	ASSERT_OK(dmae_chan_fp_get(z->chan, &fp));
	for (i = 0; i < SLOTS && n < 8; i++) {
		struct slot *s = &z->slot[i];
		int idx;

		if (s->state != S_FREE)
			continue;
		s->len = 1 + rnd(z, MAXLEN);
		s->off = rnd(z, SLOT - s->len);
		s->src_off = rnd(z, SLOT);
		idx = dmae_fp_copy(fp, dmae_addr_of(z->dst + (size_t)i * SLOT + s->off),
				   dmae_addr_of(z->src + s->src_off), s->len, 0);
		if (idx == -ENOSPC)
			break;
		ASSERT_GE(idx, 0);
		want[n++] = i;
	}
	ASSERT_OK(dmae_fp_submit(fp));
	while (done < n) {
		done += dmae_fp_completed(fp, (uint16_t)(n - done), NULL, &err);
		ASSERT_FALSE(err);
		if (test_now_ns() > end)
			TEST_FAIL("fast path: %u of %u completed", done, n);
		if (done < n)
			test_sleep_ms(0);
	}
	for (i = 0; i < n; i++)
		check_slot(z, want[i], true);
}

static void op_pause(struct fuzz *z)
{
	struct dmae_caps caps;

	ASSERT_OK(dmae_chan_get_caps(z->chan, &caps));
	if (!caps.pause)
		return;
	ASSERT_OK(dmae_chan_pause(z->chan));
	ASSERT_OK(dmae_chan_resume(z->chan));
}

static void fuzz_step(struct fuzz *z)
{
	uint32_t r = rnd(z, 100);

	if (r < 35)
		op_prep(z);
	else if (r < 65)
		op_submit_or_free(z);
	else if (r < 75)
		ASSERT_GE(dmae_chan_issue_pending(z->chan), 0);
	else if (r < 84)
		op_drain(z);
	else if (r < 88)
		op_terminate(z);
	else if (r < 92)
		op_bad(z);
	else if (r < 94)
		op_release(z);
	else if (r < 97)
		op_fastpath(z);
	else
		op_pause(z);
	z->ops++;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

DMAE_TEST(fuzz_api)
{
	static struct fuzz z;
	uint64_t seed = env_u64("DMAE_FUZZ_SEED", test_rand_seed());
	uint64_t seconds = env_u64("DMAE_FUZZ_SECONDS", 0);
	uint64_t max_ops = seconds ? UINT64_MAX : env_u64("DMAE_FUZZ_OPS", 50000);
	uint64_t end = test_now_ns() + seconds * 1000000000ull;
	unsigned int i;

	memset(&z, 0, sizeof(z));
	z.rng = seed;
	z.src = malloc(SLOT * 2);
	z.dst = malloc((size_t)SLOTS * SLOT);
	ASSERT_NOT_NULL(z.src);
	ASSERT_NOT_NULL(z.dst);
	test_fill_pattern(z.src, SLOT * 2, seed);
	memset(z.dst, GUARD, (size_t)SLOTS * SLOT);
	test_provider_setup(&z.env);
	z.chan = test_chan_memcpy(&z.env, 16);
	test_log_capture_start();	/* bad input logs a line each: keep them out of the way */
	while (z.ops < max_ops && (!seconds || test_now_ns() < end)) {
		fuzz_step(&z);
		if (!(z.ops % 4096))
			test_log_capture_clear();
	}
	test_log_capture_stop();
	op_terminate(&z);
	for (i = 0; i < SLOTS; i++) {
		if (z.slot[i].state == S_PREPARED)
			ASSERT_OK(dmae_desc_free(z.slot[i].d));
	}
	ASSERT_OK(dmae_chan_release(z.chan));
	test_provider_teardown(&z.env);
	printf("fuzz: %s, seed %llu: %lu operations, %lu copies verified, %lu errnos checked\n",
	       test_provider_name(), (unsigned long long)seed, z.ops, z.copies_checked,
	       z.errnos_checked);
	free(z.src);
	free(z.dst);
}
