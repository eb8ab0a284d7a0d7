/* SPDX-License-Identifier: MIT */
/*
 * tests/test_slave_args.c - every invalid-argument path of the slave
 * API (dmae_chan_config, dmae_chan_prep_slave_sg, dmae_chan_prep_cyclic)
 * on the simulated controller, and of the few control calls whose errors
 * need a particular context (put_public from the channel's own task
 * callback, terminate_sync from atomic context).
 */
#include <string.h>

#include "test.h"

#define FLAGS_IA (DMAE_PREP_INTERRUPT | DMAE_PREP_ACK)

struct sim {
	struct dmae_simdmac *soc;
	struct dmae_dev *uart;
	struct dmae_chan *tx;		/* "uart0" "tx": request line bound */
	struct dmae_slave_config cfg;	/* valid for MEM_TO_DEV */
};

static void sim_setup(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_simdmac_create(NULL, &s->soc));
	ASSERT_OK(dmae_dev_create("uart0", &s->uart));
	ASSERT_OK(dmae_chan_request(s->uart, "tx", NULL, &s->tx));
	s->cfg = (struct dmae_slave_config){
		.dst_addr = dmae_simdmac_uart_data_addr(s->soc),
		.dst_width = 1,
		.dst_burst = 4,
	};
}

static void sim_teardown(struct sim *s)
{
	ASSERT_OK(dmae_chan_release(s->tx));
	ASSERT_OK(dmae_dev_destroy(s->uart));
	ASSERT_OK(dmae_simdmac_destroy(s->soc));
	dmae_exit();
}

DMAE_TEST(config_rejects_what_the_caps_do_not_allow)
{
	struct dmae_slave_config c;
	struct sim s;

	sim_setup(&s);
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_config(NULL, &s.cfg), -EINVAL);
	ASSERT_ERR(dmae_chan_config(s.tx, NULL), -EINVAL);
	ASSERT_LOGGED("NULL configuration");

	c = (struct dmae_slave_config){ .dst_width = 1, .dst_burst = 4 };
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);
	ASSERT_LOGGED("no device address");

	c = s.cfg;
	c.dst_width = 3;
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);
	ASSERT_LOGGED("bus width 3 not supported");
	c.dst_width = 16;
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);

	c = s.cfg;
	c.dst_burst = 0;
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);
	ASSERT_LOGGED("burst 0 outside");
	c.dst_burst = 100000;
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);

	/* both directions are checked when both are set up */
	c = s.cfg;
	c.src_addr = c.dst_addr;
	c.src_width = 5;
	c.src_burst = 4;
	ASSERT_ERR(dmae_chan_config(s.tx, &c), -EINVAL);
	test_log_capture_stop();

	ASSERT_OK(dmae_chan_config(s.tx, &s.cfg));
	sim_teardown(&s);
}

DMAE_TEST(config_on_a_memcpy_only_engine_is_not_supported)
{
	struct dmae_slave_config c = { .dst_addr = 0x1000, .dst_width = 4, .dst_burst = 1 };
	struct dmae_sg sg = { 0x2000, 64 };
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_desc *d = NULL;

	test_swdma_setup(&env, NULL);
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan));
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_config(chan, &c), -EOPNOTSUPP);
	ASSERT_LOGGED("does no slave transfers");
	ASSERT_ERR(dmae_chan_prep_slave_sg(chan, &sg, 1, DMAE_MEM_TO_DEV, &c, 0, &d),
		   -EOPNOTSUPP);
	ASSERT_ERR(dmae_chan_prep_cyclic(chan, 0x2000, 256, 64, DMAE_MEM_TO_DEV, &c, 0, &d),
		   -EOPNOTSUPP);
	test_log_capture_stop();
	ASSERT_NULL(d);
	ASSERT_OK(dmae_chan_release(chan));
	test_swdma_teardown(&env);
}

DMAE_TEST(prep_slave_sg_rejects_bad_arguments)
{
	static uint32_t buf[64];
	struct dmae_sg sg = { dmae_addr_of(buf), sizeof(buf) };
	struct dmae_slave_config c;
	struct dmae_chan_stats st;
	struct dmae_desc *d = NULL;
	struct sim s;

	sim_setup(&s);
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_slave_sg(NULL, &sg, 1, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, NULL, 1, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 0, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_DEV, &s.cfg, 0, NULL),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_MEM, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("is not a slave direction");
	/* the configuration given has no source address for DEV_TO_MEM */
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_DEV_TO_MEM, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("no device address configured for dev-to-mem");
	/* no per-descriptor configuration and none set on the channel */
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_DEV, NULL, 0, &d),
		   -EINVAL);
	/* a length that is not a multiple of the bus width */
	c = s.cfg;
	c.dst_width = 4;
	sg.len = 6;
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_DEV, &c, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("is not a multiple of the 4-byte bus width");
	sg.len = sizeof(buf);
	ASSERT_ERR(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_DEV, &s.cfg, 1u << 9, &d),
		   -EINVAL);
	test_log_capture_stop();
	ASSERT_NULL(d);
	/* nothing was taken from the pool by the failed calls */
	ASSERT_OK(dmae_chan_stats_get(s.tx, &st));
	ASSERT_EQ(st.pool_free, st.pool_size);

	/* with the channel configured, a NULL configuration takes the channel's */
	ASSERT_OK(dmae_chan_config(s.tx, &s.cfg));
	ASSERT_OK(dmae_chan_prep_slave_sg(s.tx, &sg, 1, DMAE_MEM_TO_DEV, NULL, FLAGS_IA, &d));
	ASSERT_OK(dmae_desc_free(d));
	sim_teardown(&s);
}

DMAE_TEST(prep_cyclic_rejects_bad_arguments)
{
	static uint32_t ring[256];
	dmae_addr_t buf = dmae_addr_of(ring);
	struct dmae_slave_config wide;
	struct dmae_caps caps;
	struct dmae_desc *d = NULL;
	struct sim s;

	sim_setup(&s);
	ASSERT_OK(dmae_chan_get_caps(s.tx, &caps));
	test_log_capture_start();
	ASSERT_ERR(dmae_chan_prep_cyclic(NULL, buf, 1024, 256, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, 0, 1024, 256, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("NULL buffer");
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 1000, 256, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("not a whole number of");
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 1024, 0, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 0, 256, DMAE_MEM_TO_DEV, &s.cfg, 0, &d),
		   -EINVAL);
	/* more periods than the channel's lists can hold */
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, (uint64_t)(caps.max_sg + 1) * 4, 4,
					 DMAE_MEM_TO_DEV, &s.cfg, 0, &d), -EINVAL);
	ASSERT_LOGGED("periods (max");
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 1024, 256, DMAE_MEM_TO_DEV, &s.cfg,
					 DMAE_PREP_REUSE, &d), -EINVAL);
	ASSERT_LOGGED("cannot be reused");
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 1024, 256, DMAE_MEM_TO_MEM, &s.cfg, 0, &d),
		   -EINVAL);
	/* four 254-byte periods: whole, but not whole 4-byte bus words */
	wide = s.cfg;
	wide.dst_width = 4;
	ASSERT_ERR(dmae_chan_prep_cyclic(s.tx, buf, 1016, 254, DMAE_MEM_TO_DEV, &wide, 0, &d),
		   -EINVAL);
	ASSERT_LOGGED("not a multiple of the 4-byte bus width");
	test_log_capture_stop();
	ASSERT_NULL(d);
	ASSERT_OK(dmae_chan_prep_cyclic(s.tx, buf, 1024, 256, DMAE_MEM_TO_DEV, &s.cfg, FLAGS_IA,
					&d));
	ASSERT_OK(dmae_desc_free(d));
	sim_teardown(&s);
}

/* ---- control calls refused in the wrong context --------------------------------- */

struct own_cb {
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	atomic_int put_ret;
	atomic_int term_ret;
	struct dmae_completion done;
};

/* A task callback putting its own public channel would wait for itself. */
static void put_own_cb(void *arg, const struct dmae_result *res)
{
	struct own_cb *o = arg;

	(void)res;
	atomic_store(&o->put_ret, dmae_chan_put_public(o->dev, o->chan));
	dmae_completion_done(&o->done);
}

DMAE_TEST(put_public_from_own_task_callback_edeadlk)
{
	static unsigned char src[64], dst[64];
	struct test_env env;
	struct dmae_desc *d;
	struct own_cb o;

	test_swdma_setup(&env, NULL);
	memset(&o, 0, sizeof(o));
	o.dev = env.dev;
	dmae_completion_init(&o.done);
	atomic_init(&o.put_ret, 1);
	ASSERT_OK(dmae_chan_get_public(env.dev, DMAE_CAP_MEMCPY, &o.chan));
	ASSERT_OK(dmae_chan_prep_memcpy(o.chan, dmae_addr_of(dst), dmae_addr_of(src), 64,
					FLAGS_IA, &d));
	ASSERT_OK(dmae_desc_set_callback(d, put_own_cb, &o, DMAE_CB_TASK));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_EQ(dmae_chan_issue_pending(o.chan), 1);
	ASSERT_OK(dmae_completion_wait_timeout(&o.done, 60ull * 1000000000ull));
	ASSERT_ERR(atomic_load(&o.put_ret), -EDEADLK);
	ASSERT_OK(dmae_chan_put_public(env.dev, o.chan));	/* from task context: fine */
	test_swdma_teardown(&env);
}

static void sleep_report_ignore(const struct dmae_sleep_report *r)
{
	(void)r;
}

DMAE_TEST(terminate_sync_refused_in_atomic_context)
{
	struct test_env env;
	struct dmae_chan *chan;
	struct dmae_chan_stats st;
	dmae_sleep_report_fn old;
	dmae_spinlock_t lock = DMAE_SPINLOCK_INIT;
	int ret;

	test_swdma_setup(&env, NULL);
	ASSERT_OK(dmae_chan_request_caps(env.dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan));
	/* the checker reports it in debug builds; here it only records */
	old = dmae_sleep_report_set_hook(sleep_report_ignore);
	test_log_capture_start();
	dmae_spin_lock(&lock);
	ret = dmae_chan_terminate_sync(chan);
	dmae_spin_unlock(&lock);
	dmae_sleep_report_set_hook(old);
	ASSERT_ERR(ret, -EPERM);
	ASSERT_LOGGED("dmae_chan_terminate_sync");
	test_log_capture_stop();
	/* refused before anything was terminated */
	ASSERT_OK(dmae_chan_stats_get(chan, &st));
	ASSERT_EQ(st.terminated, 0);
	ASSERT_OK(dmae_chan_terminate_sync(chan));
	ASSERT_OK(dmae_chan_release(chan));
	test_swdma_teardown(&env);
}
