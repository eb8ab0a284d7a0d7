/* SPDX-License-Identifier: MIT */
/*
 * tests/target/icount.c - the instructions one memcpy descriptor costs on
 * the Cortex-M33, from prep to its callback, counted by the emulator.
 *
 * For each callback context (hard-IRQ, BH) the program runs one copy to
 * warm the paths, then REPS copies of 64 bytes through the board's PL081,
 * each between icount_begin() and icount_end(): prep, submit,
 * issue_pending, the controller's interrupt, the driver's handler, the
 * core's completion and, for BH, PendSV, up to the first instruction of
 * the client's callback, which calls icount_end().  SysTick is stopped
 * around each copy so that no clock tick lands in it.
 * scripts/icount-arm.sh runs it in QEMU with one instruction per
 * translation block and the execution log on, and counts the log lines
 * between the two marks: every instruction the CPU executed, whatever the
 * host machine does meanwhile.
 */
#include <stdio.h>

#include <dmae/baremetal.h>
#include <dmae/dmae.h>
#include <dmae/pl08x.h>

#include "board.h"

#define REPS 5
#define LEN 64
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)

static _Alignas(4) uint8_t src[LEN], dst[LEN];
static volatile unsigned int done;

/* The marks the script finds by symbol: never inlined, never merged. */
__attribute__((noinline, used)) void icount_begin(void)
{
	__asm__ __volatile__("" ::: "memory");
}

__attribute__((noinline, used)) void icount_end(void)
{
	__asm__ __volatile__("nop" ::: "memory");
}

static void on_done(void *arg, const struct dmae_result *res)
{
	(void)arg;
	(void)res;
	icount_end();
	done++;
}

static int one_copy(struct dmae_chan *chan, enum dmae_cb_ctx ctx, bool marked)
{
	struct dmae_desc *d;
	unsigned int want = done + 1;
	int ret;

	SYST_CSR &= ~1u;
	if (marked)
		icount_begin();
	ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), LEN,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (ret)
		return ret;
	dmae_desc_set_callback(d, on_done, NULL, ctx);
	if (dmae_desc_submit(d) < 0)
		return -EIO;
	dmae_chan_issue_pending(chan);
	SYST_CSR |= 1u;
	while (done != want)
		dmae_baremetal_idle();
	return 0;
}

int main(void)
{
	struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;
	static const enum dmae_cb_ctx ctxs[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH };
	struct dmae_pl08x *dmac;
	struct dmae_chan *chan;
	struct dmae_dev *dev;

	cfg.base = BOARD_DMA_BASE(0);
	cfg.irq_tc = BOARD_DMA_IRQ_TC(0);
	cfg.irq_err = BOARD_DMA_IRQ_ERR(0);
	if (dmae_init() || dmae_pl08x_create(&cfg, &dmac) || dmae_dev_create("icount", &dev) ||
	    dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan)) {
		fprintf(stderr, "icount: setting up the PL081 failed\n");
		return 1;
	}
	for (unsigned int c = 0; c < 2; c++) {
		printf("icount: context %s\n", dmae_cb_ctx_to_string(ctxs[c]));
		fflush(stdout);
		for (unsigned int i = 0; i <= REPS; i++)
			if (one_copy(chan, ctxs[c], i > 0))
				return 1;
	}
	dmae_chan_release(chan);
	dmae_dev_destroy(dev);
	dmae_pl08x_destroy(dmac);
	dmae_exit();
	return 0;
}
