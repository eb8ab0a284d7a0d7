/* SPDX-License-Identifier: MIT */
/*
 * tests/test_lifetime.c - the edges of object lifetimes: handles used after
 * their channel is released, a provider removed while its channels are held
 * (revocation), removal that holders cannot starve, re-entrant calls from a
 * request filter, and ranges that overlap or wrap.
 *
 * dmae-test-providers: swdma simdmac
 *
 * Removal runs on "lifedma", a fake provider (tests/harness/memdma.h)
 * whose release op counts and whose "hardware" completes nothing while it
 * is held back, so that what is in flight when the provider goes is known
 * exactly.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/fastpath.h>

#include "memdma.h"
#include "test.h"

#define LIFE_CHANS 3
#define WAIT_NS (120ull * 1000000000ull)

/* "lifedma": memdma's channels, and a release op that counts. */
static struct memdma *life_up(atomic_uint *released)
{
	struct memdma *l = memdma_alloc(sizeof(*l), "lifedma", LIFE_CHANS, &memdma_ops);

	l->released = released;
	memdma_register(l);
	return l;
}

/* ---- handles after release ------------------------------------------------------ */

/* A fast path kept past its channel's release answers -EBADF, on every build. */
DMAE_TEST(fp_after_release_is_ebadf)
{
	static unsigned char src[64], dst[64];
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_fp *fp;
	bool err = true;

	test_provider_setup(&env);
	c = test_chan_memcpy(&env, 0);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_OK(dmae_chan_release(c));
	test_log_capture_start();
	ASSERT_ERR(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, 0), -EBADF);
	ASSERT_LOGGED("was released");
	ASSERT_ERR(dmae_fp_fill(fp, dmae_addr_of(dst), 1, 64, DMAE_FP_SUBMIT), -EBADF);
	ASSERT_ERR(dmae_fp_submit(fp), -EBADF);
	ASSERT_EQ(dmae_fp_completed(fp, 8, NULL, &err), 0);
	ASSERT_FALSE(err);
	ASSERT_EQ(dmae_fp_capacity(fp), 0);
	ASSERT_ERR(dmae_fp_wait(fp, 1, 0), -EBADF);
	test_log_capture_stop();
	/* the next holder gets a working fast path again */
	c = test_chan_memcpy(&env, 0);
	ASSERT_OK(dmae_chan_fp_get(c, &fp));
	ASSERT_GE(dmae_fp_copy(fp, dmae_addr_of(dst), dmae_addr_of(src), 64, DMAE_FP_SUBMIT), 0);
	ASSERT_OK(dmae_chan_release(c));
	test_provider_teardown(&env);
}

/* Descriptors kept past their channel's release answer -EBADF, in every state. */
DMAE_TEST(desc_after_release_is_ebadf)
{
	static unsigned char src[64], dst[64];
	struct dmae_desc *prepared, *parked, *d;
	struct dmae_completion done;
	struct test_env env;
	struct dmae_chan *c;

	test_provider_setup(&env);
	c = test_chan_memcpy(&env, 4);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), 64, 0, &prepared));
	/* completed without DMAE_PREP_ACK: parked, still the client's */
	dmae_completion_init(&done);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), 64,
					DMAE_PREP_INTERRUPT, &parked));
	ASSERT_OK(dmae_desc_set_completion(parked, &done, NULL));
	ASSERT_GT(dmae_desc_submit(parked), 0);
	ASSERT_GE(dmae_chan_issue_pending(c), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&done, WAIT_NS));
	ASSERT_OK(dmae_chan_release(c));

	test_log_capture_start();
	ASSERT_ERR(dmae_desc_submit(prepared), -EBADF);
	ASSERT_LOGGED("is not requested");
	ASSERT_ERR(dmae_desc_free(prepared), -EBADF);
	ASSERT_ERR(dmae_desc_ack(parked), -EBADF);
	ASSERT_ERR(dmae_desc_set_callback(prepared, NULL, NULL, DMAE_CB_BH), -EBADF);
	ASSERT_ERR(dmae_desc_set_completion(prepared, &done, NULL), -EBADF);
	test_log_capture_stop();

	/* the next holder's pool is whole, and works */
	c = test_chan_memcpy(&env, 4);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), 64, 0, &d));
	ASSERT_OK(dmae_desc_free(d));
	ASSERT_OK(dmae_chan_release(c));
	test_provider_teardown(&env);
}

/* ---- ranges ----------------------------------------------------------------------- */

DMAE_TEST(overlapping_ranges_refused)
{
	static _Alignas(64) unsigned char buf[4096];
	dmae_addr_t a = dmae_addr_of(buf);
	struct dmae_sg dsg[2] = { { a, 512 }, { a + 1024, 512 } };
	struct dmae_sg ssg[2] = { { a + 2048, 512 }, { a + 1200, 512 } };
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d = NULL;
	int ret;

	test_provider_setup(&env);
	c = test_chan_memcpy(&env, 0);
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_memcpy(c, a + 64, a, 128, 0, &d), -EINVAL);
	ASSERT_LOGGED("overlaps source");
	ASSERT_ERR(dmae_chan_prep_memcpy(c, a, a + 64, 128, 0, &d), -EINVAL);
	ASSERT_ERR(dmae_chan_prep_memcpy(c, a, a, 64, 0, &d), -EINVAL);
	ret = dmae_chan_prep_sg(c, dsg, 2, ssg, 2, 0, &d);
	if (ret != -EOPNOTSUPP)
		ASSERT_EQ(ret, -EINVAL);
	test_log_capture_stop();
	ASSERT_NULL(d);
	/* touching is not overlapping */
	ASSERT_OK(dmae_chan_prep_memcpy(c, a + 128, a, 128, 0, &d));
	ASSERT_OK(dmae_desc_free(d));
	ASSERT_OK(dmae_chan_release(c));
	test_provider_teardown(&env);
}

DMAE_TEST(wrapping_ranges_refused)
{
	static _Alignas(64) unsigned char buf[4096];
	dmae_addr_t a = dmae_addr_of(buf), top = UINT64_MAX - 4095;
	struct dmae_caps caps;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d = NULL;

	test_provider_setup(&env);
	c = test_chan_memcpy(&env, 0);
	ASSERT_OK(dmae_chan_get_caps(c, &caps));
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_memcpy(c, top, a, 8192, 0, &d), -EINVAL);
	ASSERT_ERR(dmae_chan_prep_memcpy(c, a, top, 8192, 0, &d), -EINVAL);
	ASSERT_ERR(dmae_chan_prep_memcpy(c, a, a + 8192, UINT64_MAX, 0, &d), -EINVAL);
	if (caps.ops & DMAE_CAP_MEMSET)
		ASSERT_ERR(dmae_chan_prep_memset(c, top, 0, 8192, 0, &d), -EINVAL);
	test_log_capture_stop();
	ASSERT_NULL(d);
	ASSERT_OK(dmae_chan_release(c));
	test_provider_teardown(&env);
}

/* ---- the registry ------------------------------------------------------------------ */

/* What a filter that calls back into the registry got, on its first call. */
static struct {
	bool ran;
	struct dmae_chan *held;		/* a channel the test holds */
	int list, init, route_add, route_remove, grow;
} reent;

/*
 * A filter that calls back into the registry: each call is refused with
 * -EDEADLK and a log line (the void ones only log), not a deadlock.
 */
static bool filter_reentrant(struct dmae_chan *chan, void *arg)
{
	struct dmae_route r = { .consumer = "c", .name = "n", .provider = "p", .nspec = 0 };

	(void)chan;
	if (!reent.ran) {
		reent.ran = true;
		reent.list = dmae_chan_list(NULL, 0);
		reent.init = dmae_init();
		dmae_exit();
		reent.route_add = dmae_route_add(&r);
		reent.route_remove = dmae_route_remove("c", "n");
		reent.grow = dmae_chan_pool_grow(reent.held, 1);
		dmae_issue_pending_all();
		dmae_dump(NULL);
	}
	return arg != NULL;
}

DMAE_TEST(filter_calling_registry_gets_edeadlk)
{
	struct test_env env;
	struct dmae_chan *c = NULL;

	test_provider_setup(&env);
	reent.held = test_chan_memcpy(&env, 0);
	test_log_capture_start();
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, filter_reentrant, &env, NULL,
					 &c));
	ASSERT_TRUE(reent.ran);
	ASSERT_EQ(reent.list, -EDEADLK);
	ASSERT_EQ(reent.init, -EDEADLK);
	ASSERT_EQ(reent.route_add, -EDEADLK);
	ASSERT_EQ(reent.route_remove, -EDEADLK);
	ASSERT_EQ(reent.grow, -EDEADLK);
	ASSERT_EQ(test_log_count("called from a request filter"), 8);
	test_log_capture_stop();
	ASSERT_OK(dmae_chan_release(reent.held));
	/* outside a filter the same call works */
	ASSERT_GT(dmae_chan_list(NULL, 0), 0);
	ASSERT_OK(dmae_chan_release(c));
	test_provider_teardown(&env);
}

DMAE_TEST(duplicate_device_name_refused)
{
	struct test_env env;
	struct dmae_dev *d = NULL;

	test_provider_setup(&env);
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_create(TEST_CONSUMER, &d), -EEXIST);
	ASSERT_LOGGED("exists");
	test_log_capture_stop();
	ASSERT_NULL(d);
	test_provider_teardown(&env);
}

/* ---- removal ------------------------------------------------------------------------- */

struct churn {
	struct dmae_dev *dev;
	atomic_int last;	/* the request's result that ended the loop */
	atomic_ulong rounds;
};

/* A holder whose remove callback lets go of everything, its device included. */
struct self_destruct {
	struct dmae_chan *c[2];
	atomic_uint calls;
};

static void destroy_on_remove(struct dmae_dev *dev, struct dmae_chan *chan, void *arg)
{
	struct self_destruct *s = arg;

	(void)chan;
	atomic_fetch_add(&s->calls, 1);
	ASSERT_OK(dmae_chan_release(s->c[0]));
	ASSERT_OK(dmae_chan_release(s->c[1]));
	ASSERT_OK(dmae_dev_destroy(dev));
}

/*
 * A device holding two channels of a provider that goes, whose callback
 * for the first releases both and destroys the device: the callback runs
 * once, not again for a channel no longer held by a device that is gone.
 */
DMAE_TEST(remove_callback_that_destroys_its_device_runs_once)
{
	struct self_destruct s = { .calls = 0 };
	atomic_uint released = 0;
	struct test_env env;
	struct dmae_dev *x;
	struct memdma *l;
	unsigned int i;

	test_provider_setup(&env);
	l = life_up(&released);
	ASSERT_OK(dmae_dev_create("holder-x", &x));
	ASSERT_OK(dmae_dev_set_remove_cb(x, destroy_on_remove, &s));
	for (i = 0; i < 2; i++)
		ASSERT_OK(dmae_chan_request_caps(x, DMAE_CAP_MEMCPY, memdma_filter, "lifedma",
						 NULL, &s.c[i]));
	ASSERT_OK(dmae_provider_unregister(&l->p));
	ASSERT_EQ(atomic_load(&s.calls), 1);
	ASSERT_EQ(atomic_load(&released), 1);	/* nothing held: the provider went */
	test_provider_teardown(&env);
}

/* Request and release a lifedma channel until requests are refused. */
static void *churn_thread(void *arg)
{
	struct churn *ch = arg;
	struct dmae_chan *c;

	for (;;) {
		int ret = dmae_chan_request_caps(ch->dev, DMAE_CAP_MEMCPY, memdma_filter,
						 "lifedma", NULL, &c);

		if (ret) {
			atomic_store(&ch->last, ret);
			break;
		}
		atomic_fetch_add(&ch->rounds, 1);
		if (dmae_chan_release(c))
			break;
	}
	return NULL;
}

/*
 * A client requesting and releasing in a loop cannot starve the refusing
 * removal: its first call fences new requests, so the churn ends with
 * -ENODEV and a second call succeeds.  Logged once, not per try.
 */
DMAE_TEST(unregister_idle_not_starved)
{
	atomic_uint released = 0;
	struct churn ch = { 0 };
	struct test_env env;
	struct memdma *l;
	pthread_t t;
	int ret;

	test_provider_setup(&env);
	l = life_up(&released);
	ch.dev = env.dev;
	ASSERT_EQ(pthread_create(&t, NULL, churn_thread, &ch), 0);
	while (!atomic_load(&ch.rounds) && !atomic_load(&ch.last))
		test_sleep_ms(1);
	test_log_capture_start();
	ret = dmae_provider_unregister_idle(&l->p);
	ASSERT_TRUE(ret == 0 || ret == -EBUSY);
	pthread_join(t, NULL);
	ASSERT_EQ(atomic_load(&ch.last), -ENODEV);
	if (ret == -EBUSY) {
		ASSERT_OK(dmae_provider_unregister_idle(&l->p));
		ASSERT_LE(test_log_count("is still held"), 1);
	}
	test_log_capture_stop();
	ASSERT_EQ(atomic_load(&released), 1);
	test_provider_teardown(&env);
}

struct told {
	atomic_uint calls;
	int issue_ret;		/* what issue_pending said while being told */
	bool release;		/* release the channel from the callback */
};

static void on_remove(struct dmae_dev *dev, struct dmae_chan *chan, void *arg)
{
	struct told *t = arg;

	(void)dev;
	atomic_fetch_add(&t->calls, 1);
	t->issue_ret = dmae_chan_issue_pending(chan);
	if (t->release)
		ASSERT_OK(dmae_chan_release(chan));
}

struct cb_count {
	atomic_uint calls;
	atomic_uint aborted;
};

static void count_cb(void *arg, const struct dmae_result *res)
{
	struct cb_count *cc = arg;

	atomic_fetch_add(&cc->calls, 1);
	if (res->code == DMAE_RESULT_ABORTED)
		atomic_fetch_add(&cc->aborted, 1);
}

/*
 * Removal while in use: the holder is told first (its channel still works
 * then), everything in flight completes ABORTED with its callback called
 * once in the context it asked for, every later call is -ENODEV, and the
 * provider's memory goes only at the holder's release.
 */
DMAE_TEST(unregister_revokes_held_channel)
{
	static const enum dmae_cb_ctx ctxs[3] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };
	static unsigned char src[6][64], dst[6][64];
	struct dmae_completion comp;
	struct dmae_result cres;
	struct cb_count cc = { 0 };
	struct told told = { 0 };
	atomic_uint released = 0;
	struct test_env env;
	struct dmae_desc *d;
	struct dmae_chan *c;
	dmae_cookie_t last = 0;
	struct memdma *l;
	dmae_addr_t addr;
	unsigned int i;

	test_provider_setup(&env);
	l = life_up(&released);
	ASSERT_OK(dmae_dev_set_remove_cb(env.dev, on_remove, &told));
	c = memdma_chan(&env, "lifedma");
	atomic_store(&l->hold, true);
	for (i = 0; i < 3; i++) {
		ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), 64,
						DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
		ASSERT_OK(dmae_desc_set_callback(d, count_cb, &cc, ctxs[i]));
		ASSERT_GT(dmae_desc_submit(d), 0);
	}
	dmae_completion_init(&comp);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[3]), dmae_addr_of(src[3]), 64,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &comp, &cres));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_EQ(dmae_chan_issue_pending(c), 4);
	/* submitted, not issued */
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[4]), dmae_addr_of(src[4]), 64,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, count_cb, &cc, DMAE_CB_BH));
	last = dmae_desc_submit(d);
	ASSERT_GT(last, 0);

	ASSERT_OK(dmae_provider_unregister(&l->p));
	ASSERT_EQ(atomic_load(&told.calls), 1);
	ASSERT_EQ(told.issue_ret, 1);		/* still live while told */
	ASSERT_EQ(atomic_load(&cc.calls), 4);	/* synchronized: all ran */
	ASSERT_EQ(atomic_load(&cc.aborted), 4);
	ASSERT_OK(dmae_completion_wait_timeout(&comp, WAIT_NS));
	ASSERT_EQ(cres.code, DMAE_RESULT_ABORTED);
	ASSERT_EQ(atomic_load(&released), 0);	/* held: memory stays */

	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_memcpy(c, dmae_addr_of(dst[5]), dmae_addr_of(src[5]), 64, 0, &d),
		   -ENODEV);
	ASSERT_LOGGED("revoked");
	ASSERT_ERR(dmae_chan_issue_pending(c), -ENODEV);
	ASSERT_ERR(dmae_chan_status(c, last, NULL), -ENODEV);
	ASSERT_ERR(dmae_chan_terminate_sync(c), -ENODEV);
	ASSERT_ERR(dmae_chan_pool_grow(c, 1), -ENODEV);
	ASSERT_ERR(dmae_dma_map(c, src[5], 64, DMAE_DMA_TO_DEVICE, &addr), -ENODEV);
	ASSERT_LOGGED("is revoked");
	ASSERT_ERR(dmae_provider_unregister(&l->p), -EINVAL);
	test_log_capture_stop();
	ASSERT_EQ(atomic_load(&cc.calls), 4);	/* exactly once */

	ASSERT_OK(dmae_chan_release(c));
	ASSERT_EQ(atomic_load(&released), 1);
	ASSERT_OK(dmae_dev_set_remove_cb(env.dev, NULL, NULL));
	test_provider_teardown(&env);
}

/* A holder told of the removal may release at once: nothing is left to revoke. */
DMAE_TEST(unregister_holder_releases_when_told)
{
	struct told told = { .release = true };
	atomic_uint released = 0;
	struct test_env env;
	struct memdma *l;

	test_provider_setup(&env);
	l = life_up(&released);
	ASSERT_OK(dmae_dev_set_remove_cb(env.dev, on_remove, &told));
	memdma_chan(&env, "lifedma");
	ASSERT_OK(dmae_provider_unregister(&l->p));
	ASSERT_EQ(atomic_load(&told.calls), 1);
	ASSERT_EQ(atomic_load(&released), 1);
	ASSERT_OK(dmae_dev_set_remove_cb(env.dev, NULL, NULL));
	test_provider_teardown(&env);
}

/* ---- removal under load --------------------------------------------------------------- */

struct streamer {
	struct dmae_dev *dev;
	uint32_t opts;			/* DMAE_CHAN_OPT_* */
	atomic_uint submitted;		/* descriptors submit accepted */
	struct cb_count cc;
	atomic_int end;			/* the error that ended the stream */
	unsigned char src[256], dst[256];
};

/* One prep + callback + submit + issue; the error that stops the stream, or 0. */
static int stream_one(struct streamer *s, struct dmae_chan *c)
{
	struct dmae_desc *d;
	dmae_cookie_t k;
	int ret;

	ret = dmae_chan_prep_memcpy(c, dmae_addr_of(s->dst), dmae_addr_of(s->src),
				    sizeof(s->src), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (ret == -ENOSPC)
		return dmae_chan_issue_pending(c) < 0 ? -ENODEV : 0;
	if (ret)
		return ret;
	ASSERT_OK(dmae_desc_set_callback(d, count_cb, &s->cc, DMAE_CB_BH));
	k = dmae_desc_submit(d);
	if (k < 0) {
		ASSERT_OK(dmae_desc_free(d));
		return k;
	}
	atomic_fetch_add(&s->submitted, 1);
	ret = dmae_chan_issue_pending(c);
	return ret < 0 ? ret : 0;
}

/* Stream memcpys on a lifedma channel until it is revoked, then release it. */
static void *stream_thread(void *arg)
{
	struct streamer *s = arg;
	struct dmae_chan_opts o = { .pool_size = 8, .flags = s->opts };
	struct dmae_chan *c;
	int ret;

	ret = dmae_chan_request_caps(s->dev, DMAE_CAP_MEMCPY, memdma_filter, "lifedma", &o, &c);
	ASSERT_OK(ret);
	while (!(ret = stream_one(s, c)))
		;
	atomic_store(&s->end, ret);
	ASSERT_OK(dmae_chan_release(c));
	return NULL;
}

struct churner {
	struct dmae_dev *dev;
	atomic_int end;
};

/* Submit, terminate, release and request again until the provider is gone. */
static void *terminate_thread(void *arg)
{
	static unsigned char src[64], dst[64];
	struct churner *t = arg;
	struct dmae_chan *c;
	struct dmae_desc *d;
	int ret;

	for (;;) {
		ret = dmae_chan_request_caps(t->dev, DMAE_CAP_MEMCPY, memdma_filter, "lifedma",
					     NULL, &c);
		if (ret)
			break;
		ret = dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), 64,
					    DMAE_PREP_ACK, &d);
		if (!ret && dmae_desc_submit(d) < 0)
			ASSERT_OK(dmae_desc_free(d));
		if (!ret)
			dmae_chan_issue_pending(c);
		ret = dmae_chan_terminate_sync(c);
		ASSERT_TRUE(ret == 0 || ret == -ENODEV);
		ASSERT_OK(dmae_chan_release(c));
	}
	atomic_store(&t->end, ret);
	return NULL;
}

/*
 * Rounds of: a lifedma provider, two clients streaming (one of them a
 * lock-free one-submitter channel) and one terminating and re-requesting;
 * the provider is removed mid-stream.  Every descriptor whose submit was
 * accepted is called back exactly once, completed or aborted; the
 * provider's memory goes once everything is released (ASan, TSan).
 */
DMAE_TEST(stress_unregister_while_streaming)
{
	unsigned int rounds = 1000, r, i;
	struct test_env env;

	if (strcmp(test_provider_name(), "swdma"))
		TEST_SKIP("runs on lifedma; once is enough");
	test_provider_setup(&env);
	for (r = 0; r < rounds; r++) {
		struct streamer s[2] = { { .dev = env.dev },
					 { .dev = env.dev, .opts = DMAE_CHAN_OPT_ONE_SUBMITTER } };
		struct churner t = { .dev = env.dev };
		atomic_uint released = 0;
		pthread_t th[3];
		struct memdma *l = life_up(&released);

		for (i = 0; i < 2; i++)
			ASSERT_EQ(pthread_create(&th[i], NULL, stream_thread, &s[i]), 0);
		ASSERT_EQ(pthread_create(&th[2], NULL, terminate_thread, &t), 0);
		while (atomic_load(&s[0].submitted) < 4 || atomic_load(&s[1].submitted) < 4)
			test_sleep_ms(0);
		ASSERT_OK(dmae_provider_unregister(&l->p));
		for (i = 0; i < 3; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(atomic_load(&s[i].end), -ENODEV);
			ASSERT_EQ(atomic_load(&s[i].cc.calls), atomic_load(&s[i].submitted));
		}
		ASSERT_EQ(atomic_load(&t.end), -ENODEV);
		ASSERT_EQ(atomic_load(&released), 1);
	}
	test_provider_teardown(&env);
}
