/* SPDX-License-Identifier: MIT */
/*
 * audio_playback - cyclic DMA to the I2S output of the simulated SoC.
 *
 * The ring buffer holds NPERIODS periods of PERIOD_MS of 48 kHz 16-bit
 * stereo.  The cyclic descriptor plays it round and round; after each
 * period its callback refills the period just played with the next
 * audio, in the context given on the command line:
 *
 *   audio_playback [--ctx bh|hardirq|task] [--ms N]
 *
 * (default bh, 1000 ms).  Every frame carries its own number, so the
 * played stream, read back from the I2S model, shows two kinds of
 * trouble:
 *
 *   underruns     the I2S FIFO was empty when a frame was due: the DMA
 *                 did not keep up (counted by the I2S model)
 *   stale frames  a frame played before the callback refilled it: the
 *                 callback was late by more than the buffered periods
 *
 * Exits 0 when there were neither, which a comfortable period size
 * (8 x 10 ms: a callback may be up to 70 ms late) gives on an idle
 * machine.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>

#define RATE 48000u
#define FRAME 4u				/* 16-bit stereo */
#define PERIOD_MS 10u
#define NPERIODS 8u
#define PERIOD_FRAMES (RATE / 1000u * PERIOD_MS)
#define PERIOD_BYTES (PERIOD_FRAMES * FRAME)
#define RING_BYTES (PERIOD_BYTES * NPERIODS)

struct player {
	uint32_t ring[PERIOD_FRAMES * NPERIODS];	/* one uint32 per frame: its number */
	atomic_uint periods;				/* callbacks so far */
	atomic_uint bad;				/* wrong context or result */
	enum dmae_cb_ctx ctx;
};

/* "Decode" period p of the stream into ring slot p % NPERIODS. */
static void fill_period(struct player *pl, uint32_t p)
{
	uint32_t *dst = pl->ring + (p % NPERIODS) * PERIOD_FRAMES, i;

	for (i = 0; i < PERIOD_FRAMES; i++)
		dst[i] = p * PERIOD_FRAMES + i;
}

/* One period played: the slot it used gets the audio NPERIODS ahead. */
static void period_done(void *arg, const struct dmae_result *res)
{
	struct player *pl = arg;
	uint32_t done = atomic_fetch_add(&pl->periods, 1);

	if (res->code != DMAE_RESULT_OK || (int)dmae_ctx_current() != (int)(pl->ctx == DMAE_CB_BH ?
			DMAE_CTX_BH : pl->ctx == DMAE_CB_HARDIRQ ? DMAE_CTX_HARDIRQ : DMAE_CTX_TASK))
		atomic_fetch_add(&pl->bad, 1);
	fill_period(pl, done + NPERIODS);
}

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "audio_playback: %s: %s (%s)\n", what, dmae_strerror(ret),
			dmae_errname(ret));
		exit(1);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: audio_playback [--ctx bh|hardirq|task] [--ms N]\n");
	exit(2);
}

/* Check the played frames: each must be the previous one plus one. */
static uint64_t check_played(struct dmae_simdmac *soc, uint32_t *expect, uint64_t *frames)
{
	uint32_t buf[1024];
	uint64_t stale = 0;
	size_t n, i;

	while ((n = dmae_simdmac_i2s_read(soc, buf, sizeof(buf)) / FRAME)) {
		for (i = 0; i < n; i++) {
			if (buf[i] != *expect)
				stale++;
			*expect = buf[i] + 1;
		}
		*frames += n;
	}
	return stale;
}

int main(int argc, char **argv)
{
	static struct player pl;
	struct dmae_slave_config sc = { .dst_width = 4, .dst_burst = 8 };
	struct dmae_simdmac_i2s_stats st;
	struct dmae_simdmac *soc;
	struct dmae_chan *chan;
	struct dmae_dev *i2s;
	struct dmae_desc *d;
	uint64_t t0, frames = 0, stale = 0;
	unsigned int ms = 1000;
	uint32_t expect = 0, p;
	const char *ctxname = "bh";
	int i;

	pl.ctx = DMAE_CB_BH;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ctx") && i + 1 < argc) {
			ctxname = argv[++i];
			if (!strcmp(ctxname, "bh"))
				pl.ctx = DMAE_CB_BH;
			else if (!strcmp(ctxname, "hardirq"))
				pl.ctx = DMAE_CB_HARDIRQ;
			else if (!strcmp(ctxname, "task"))
				pl.ctx = DMAE_CB_TASK;
			else
				usage();
		} else if (!strcmp(argv[i], "--ms") && i + 1 < argc) {
			ms = (unsigned int)strtoul(argv[++i], NULL, 10);
			if (!ms || ms > 600000)
				usage();
		} else {
			usage();
		}
	}

	check(dmae_init(), "dmae_init");
	check(dmae_simdmac_create(&(struct dmae_simdmac_config){ .i2s_rate = RATE,
								  .i2s_frame = FRAME },
				  &soc), "dmae_simdmac_create");
	check(dmae_dev_create("i2s0", &i2s), "dmae_dev_create");
	check(dmae_chan_request(i2s, "tx", NULL, &chan), "dmae_chan_request");
	sc.dst_addr = dmae_simdmac_i2s_data_addr(soc);

	for (p = 0; p < NPERIODS; p++)
		fill_period(&pl, p);
	check(dmae_chan_prep_cyclic(chan, dmae_addr_of(pl.ring), RING_BYTES, PERIOD_BYTES,
				    DMAE_MEM_TO_DEV, &sc, DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d),
	      "dmae_chan_prep_cyclic");
	check(dmae_desc_set_callback(d, period_done, &pl, pl.ctx), "dmae_desc_set_callback");
	check(dmae_desc_submit(d), "dmae_desc_submit");
	check(dmae_chan_issue_pending(chan), "dmae_chan_issue_pending");

	t0 = dmae_time_ns();
	while (dmae_time_ns() - t0 < (uint64_t)ms * 1000000u) {
		dmae_sleep_ns(5000000);
		stale += check_played(soc, &expect, &frames);
	}
	check(dmae_simdmac_i2s_get_stats(soc, &st), "dmae_simdmac_i2s_get_stats");
	check(dmae_chan_terminate_sync(chan), "dmae_chan_terminate_sync");
	stale += check_played(soc, &expect, &frames);

	printf("audio_playback: ctx %s, %u periods of %u ms, %" PRIu64 " frames played, "
	       "%" PRIu64 " underruns (%" PRIu64 " frames starved), %" PRIu64 " stale frames, "
	       "%u bad callbacks\n", ctxname, atomic_load(&pl.periods), PERIOD_MS, frames,
	       st.underruns, st.frames_starved, stale, atomic_load(&pl.bad));
	check(dmae_chan_release(chan), "dmae_chan_release");
	check(dmae_dev_destroy(i2s), "dmae_dev_destroy");
	check(dmae_simdmac_destroy(soc), "dmae_simdmac_destroy");
	dmae_exit();
	if (!frames || st.underruns || stale || atomic_load(&pl.bad) || st.capture_dropped) {
		fprintf(stderr, "audio_playback: FAILED\n");
		return 1;
	}
	return 0;
}
