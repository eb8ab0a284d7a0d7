/* SPDX-License-Identifier: MIT */
/*
 * pl081_bh_chain - a copy through the board's PL081, chained from BH
 * callbacks, with the result on UART0.
 *
 * The mps2-an505 board's dma0 copies a 16 KiB buffer in CHUNKS
 * descriptors.  main() starts the first; each descriptor's callback runs
 * in BH context (PendSV, after the controller's interrupt) and starts the
 * next, the way a driver keeps a device fed without a thread; the last
 * one signals a completion that main() sleeps on (WFI).  main() checks
 * every byte and prints the outcome over the UART.
 *
 *   make test-arm        builds it (build/arm/examples/mps2-an505/)
 *   scripts/run-arm.sh build/arm/examples/mps2-an505/pl081_bh_chain.elf
 */
#include <stdio.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/pl08x.h>

#include "board.h"

#define LEN 16384u
#define CHUNKS 8u
#define CHUNK (LEN / CHUNKS)

static _Alignas(4) uint8_t src[LEN], dst[LEN];

struct chain {
	struct dmae_chan *chan;
	unsigned int next;		/* the chunk to start next */
	unsigned int in_bh;		/* callbacks that ran in BH context */
	int error;
	struct dmae_completion done;
};

static void chunk_done(void *arg, const struct dmae_result *res);

/* Prep, submit and issue chunk i: callable from task and BH context alike. */
static int chunk_start(struct chain *c, unsigned int i)
{
	struct dmae_desc *d;
	int ret;

	ret = dmae_chan_prep_memcpy(c->chan, dmae_addr_of(dst + i * CHUNK),
				    dmae_addr_of(src + i * CHUNK), CHUNK,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (ret)
		return ret;
	ret = dmae_desc_set_callback(d, chunk_done, c, DMAE_CB_BH);
	if (ret) {
		dmae_desc_free(d);
		return ret;
	}
	ret = dmae_desc_submit(d);
	if (ret < 0)
		return ret;
	dmae_chan_issue_pending(c->chan);
	return 0;
}

static void chunk_done(void *arg, const struct dmae_result *res)
{
	struct chain *c = arg;

	if (dmae_in_bh())
		c->in_bh++;
	if (res->code != DMAE_RESULT_OK && !c->error)
		c->error = -EIO;
	if (!c->error && c->next < CHUNKS)
		c->error = chunk_start(c, c->next++);
	if (c->error || c->next == CHUNKS)
		dmae_completion_done(&c->done);
}

static void say(const char *msg)
{
	board_uart_write(msg, strlen(msg));
}

int main(void)
{
	struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;
	struct chain c = { .next = 1 };
	struct dmae_pl08x *dmac;
	struct dmae_dev *dev;
	char line[160];
	bool same;

	for (unsigned int i = 0; i < LEN; i++)
		src[i] = (uint8_t)(i * 131 + 7);
	cfg.base = BOARD_DMA_BASE(0);
	cfg.irq_tc = (int)BOARD_DMA_IRQ_TC(0);
	cfg.irq_err = (int)BOARD_DMA_IRQ_ERR(0);
	dmae_completion_init(&c.done);
	if (dmae_init() || dmae_pl08x_create(&cfg, &dmac) || dmae_dev_create("example", &dev) ||
	    dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &c.chan)) {
		say("pl081_bh_chain: setting up the PL081 failed\n");
		return 1;
	}
	c.error = chunk_start(&c, 0);
	if (!c.error)
		dmae_completion_wait(&c.done);
	/* the last callback may still be running its tail: wait for it */
	dmae_chan_synchronize(c.chan);
	same = !memcmp(src, dst, LEN);
	snprintf(line, sizeof(line),
		 "pl081_bh_chain: %u bytes in %u descriptors through %s, each started from "
		 "the last one's callback (%u in BH context): %s\n",
		 LEN, CHUNKS, dmae_pl08x_name(dmac), c.in_bh,
		 c.error ? dmae_strerror(c.error) : same ? "every byte arrived" : "DATA DIFFERS");
	say(line);
	dmae_chan_release(c.chan);
	dmae_dev_destroy(dev);
	dmae_pl08x_destroy(dmac);
	dmae_exit();
	return c.error || !same || c.in_bh != CHUNKS;
}
