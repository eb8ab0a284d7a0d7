/* SPDX-License-Identifier: MIT */
/*
 * tests/target/providers.c - the providers of the mps2-an505 test image:
 * the board's PL081 dma0 and the simdmac model.  A driver-agnostic suite
 * runs on both.
 */
#include <string.h>

#include <dmae/pl08x.h>

#include "board.h"
#include "platform.h"
#include "target.h"
#include "test.h"

const char *const test_target_providers[] = { "pl081", "simdmac", NULL };

/* The defaults' 2 MiB of UART buffers and 256 KiB of I2S capture do not
 * belong beside the tests' buffers in the board's 16 MiB. */
const struct dmae_simdmac_config *test_platform_simdmac_config(void)
{
	static const struct dmae_simdmac_config cfg = {
		.uart_sink = 16384,
		.i2s_capture = 16384,
	};

	return &cfg;
}

bool test_platform_provider_create(const char *name, struct test_env *env)
{
	struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;
	struct dmae_pl08x *dmac = NULL;

	if (strcmp(name, "pl081"))
		return false;
	cfg.base = BOARD_DMA_BASE(0);
	cfg.irq_tc = BOARD_DMA_IRQ_TC(0);
	cfg.irq_err = BOARD_DMA_IRQ_ERR(0);
	cfg.variant = DMAE_PL08X_PL081;
	ASSERT_OK(dmae_pl08x_create(&cfg, &dmac));
	env->platform = dmac;
	return true;
}

int test_platform_provider_destroy(struct test_env *env)
{
	return dmae_pl08x_destroy(env->platform);
}
