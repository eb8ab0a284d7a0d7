/* SPDX-License-Identifier: MIT */
/*
 * The PL08x driver on the host.  A POSIX process has no hardware
 * interrupts, so dmae_pl08x_create() can go only as far as requesting
 * them: these tests check every refusal before that point, against a
 * block of memory standing in for the register file (the identification
 * registers are all the driver reads before it asks for an interrupt),
 * and that the -EOPNOTSUPP of the interrupt request unwinds cleanly.
 * tests/target/test_pl08x.c runs transfers on the emulated board.
 */
#include <string.h>

#include <dmae/pl08x.h>

#include "test.h"

/* A register file: PeriphID0..3 at 0xfe0, PCellID0..3 at 0xff0. */
static _Alignas(4096) uint32_t regs[1024];

static void fake_controller(uint32_t part, uint32_t designer)
{
	static const uint8_t cell[4] = { 0x0d, 0xf0, 0x05, 0xb1 };
	unsigned int i;

	memset(regs, 0, sizeof(regs));
	regs[0xfe0 / 4] = part & 0xff;
	regs[0xfe4 / 4] = (part >> 8 & 0xf) | (designer & 0xf) << 4;
	regs[0xfe8 / 4] = 0x04 | (designer >> 4 & 0xf);	/* revision 0 */
	regs[0xfec / 4] = 0x0a;
	for (i = 0; i < 4; i++)
		regs[0xff0 / 4 + i] = cell[i];
}

static struct dmae_pl08x_config pl081_config(void)
{
	struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;

	cfg.base = (uintptr_t)regs;
	cfg.irq_tc = 57;
	cfg.irq_err = 56;
	return cfg;
}

static void expect_einval(const struct dmae_pl08x_config *cfg, const char *logged)
{
	struct dmae_pl08x *d = NULL;

	test_log_capture_clear();
	ASSERT_ERR(dmae_pl08x_create(cfg, &d), -EINVAL);
	ASSERT_NULL(d);
	ASSERT_LOGGED(logged);
}

DMAE_TEST(create_refuses_bad_config)
{
	struct dmae_pl08x_config cfg = pl081_config();
	struct dmae_pl08x *d = NULL;

	ASSERT_OK(dmae_init());
	fake_controller(0x081, 0x41);
	test_log_capture_start();
	ASSERT_ERR(dmae_pl08x_create(NULL, &d), -EINVAL);
	ASSERT_ERR(dmae_pl08x_create(&cfg, NULL), -EINVAL);
	ASSERT_LOGGED("NULL argument");

	cfg = pl081_config();
	cfg.base = 0;
	expect_einval(&cfg, "base address 0");

	cfg = pl081_config();
	cfg.irq_tc = cfg.irq_err = DMAE_PL08X_NO_IRQ;
	expect_einval(&cfg, "combined interrupt or both");
	cfg = pl081_config();
	cfg.irq = 58;				/* both forms */
	expect_einval(&cfg, "combined interrupt or both");
	cfg = pl081_config();
	cfg.irq_err = DMAE_PL08X_NO_IRQ;	/* TC without error */
	expect_einval(&cfg, "combined interrupt or both");
	cfg = pl081_config();
	cfg.irq_tc = -5;
	expect_einval(&cfg, "negative");

	cfg = pl081_config();
	cfg.variant = (enum dmae_pl08x_variant)7;
	expect_einval(&cfg, "unknown variant");
	cfg = pl081_config();
	cfg.max_lli = 3;
	expect_einval(&cfg, "max_lli 3");
	cfg.max_lli = 4097;
	expect_einval(&cfg, "max_lli 4097");
	cfg = pl081_config();
	cfg.max_sg = 17;			/* 33 pieces; default max_lli is 32 */
	expect_einval(&cfg, "max_sg 17");
	cfg = pl081_config();
	cfg.pool_size = (1u << 20) + 1;	/* DMAE_MAX_POOL_SIZE + 1 */
	expect_einval(&cfg, "pool_size");

	ASSERT_ERR(dmae_pl08x_destroy(NULL), -EINVAL);
	ASSERT_STR_EQ(dmae_pl08x_name(NULL), "?");
	ASSERT_EQ(dmae_pl08x_nr_chans(NULL), 0u);
	test_log_capture_stop();
	dmae_exit();
}

DMAE_TEST(create_before_init_is_eshutdown)
{
	struct dmae_pl08x_config cfg = pl081_config();
	struct dmae_pl08x *d = NULL;

	fake_controller(0x081, 0x41);
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ESHUTDOWN);
	ASSERT_NULL(d);
}

/* Identification: PCellID, designer, part number and the variant asked for. */
DMAE_TEST(create_checks_identification)
{
	struct dmae_pl08x_config cfg = pl081_config();
	struct dmae_pl08x *d = NULL;

	ASSERT_OK(dmae_init());
	test_log_capture_start();

	memset(regs, 0, sizeof(regs));		/* nothing there */
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ENODEV);
	ASSERT_LOGGED("no PrimeCell");

	fake_controller(0x081, 0x42);		/* not ARM's */
	test_log_capture_clear();
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ENODEV);
	ASSERT_LOGGED("designer 0x42");

	fake_controller(0x011, 0x41);		/* a PL011 UART */
	test_log_capture_clear();
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ENODEV);
	ASSERT_LOGGED("part 0x011");

	fake_controller(0x081, 0x41);
	cfg.variant = DMAE_PL08X_PL080;		/* a PL080 asked, a PL081 found */
	test_log_capture_clear();
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ENODEV);
	ASSERT_LOGGED("part 0x081");

	fake_controller(0x080, 0x41);
	cfg.variant = DMAE_PL08X_PL081;
	test_log_capture_clear();
	ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -ENODEV);
	ASSERT_LOGGED("part 0x080");
	ASSERT_NULL(d);
	test_log_capture_stop();
	dmae_exit();
}

/*
 * A controller that identifies itself gets as far as its interrupts, which
 * a POSIX process does not have: -EOPNOTSUPP, nothing registered, nothing
 * leaked (the sanitizer trees check), the controller left disabled with
 * its channels off and its interrupts cleared.
 */
DMAE_TEST(create_on_posix_is_eopnotsupp)
{
	static const uint32_t parts[] = { 0x080, 0x081 };
	struct dmae_chan *chan = NULL;
	struct dmae_dev *dev;
	unsigned int i;

	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_dev_create(TEST_CONSUMER, &dev));
	for (i = 0; i < TEST_ARRAY_SIZE(parts); i++) {
		struct dmae_pl08x_config cfg = pl081_config();
		struct dmae_pl08x *d = NULL;

		if (i == 0) {		/* the combined line */
			cfg.irq_tc = cfg.irq_err = DMAE_PL08X_NO_IRQ;
			cfg.irq = 58;
		}
		fake_controller(parts[i], 0x41);
		regs[(0x100 + 0x10) / 4] = 1;	/* channel 0 enabled from before */
		ASSERT_ERR(dmae_pl08x_create(&cfg, &d), -EOPNOTSUPP);
		ASSERT_NULL(d);
		ASSERT_EQ(regs[(0x100 + 0x10) / 4], 0u);	/* quiesced */
		ASSERT_EQ(regs[0x008 / 4], (parts[i] == 0x080 ? 0xffu : 0x3u));
		ASSERT_EQ(regs[0x030 / 4], 0u);		/* DMACConfiguration.E off */
	}
	/* nothing was registered: no channel to be had */
	ASSERT_ERR(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan),
		   -ENODEV);
	ASSERT_NULL(chan);
	ASSERT_OK(dmae_dev_destroy(dev));
	dmae_exit();
}
