/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_audio.c - "dmae perf --audio": does cyclic playback keep
 * up, per callback context?
 *
 * A cyclic descriptor plays a ring of NPERIODS periods to the simulated
 * I2S output (48 kHz, 16-bit stereo) of a simdmac; after each period its
 * callback, run in the context under test, refills the period just
 * played with the audio NPERIODS periods ahead.  Every frame carries its
 * own number, so the played stream read back from the I2S model tells:
 *
 *   underruns  the I2S FIFO was empty when a frame was due (the DMA did
 *              not keep up; counted by the model, one per starved run)
 *   late       periods in which a frame played before its refill (the
 *              callback came later than the (NPERIODS - 1) periods of
 *              audio still buffered allow)
 *
 * Each row plays for a fixed time, idle and with one busy-loop thread
 * competing for the CPUs.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/simdmac.h>

#include "perf.h"

#define RATE 48000u
#define FRAME 4u
#define NPERIODS 4u

struct player {
	uint32_t *ring;			/* one uint32 per frame: its number */
	uint32_t period_frames;
	atomic_uint periods;
	atomic_uint bad;		/* wrong context or result */
	enum dmae_ctx want;
};

static void fill_period(struct player *pl, uint32_t p)
{
	uint32_t *dst = pl->ring + (p % NPERIODS) * pl->period_frames, i;

	for (i = 0; i < pl->period_frames; i++)
		dst[i] = p * pl->period_frames + i;
}

static void period_done(void *arg, const struct dmae_result *res)
{
	struct player *pl = arg;
	uint32_t done = atomic_fetch_add(&pl->periods, 1);

	if (res->code != DMAE_RESULT_OK || dmae_ctx_current() != pl->want)
		atomic_fetch_add(&pl->bad, 1);
	fill_period(pl, done + NPERIODS);
}

/* Read back what played; count the periods holding an out-of-order frame. */
static uint64_t check_played(struct dmae_simdmac *soc, struct player *pl,
			     uint32_t *expect, uint64_t *late_last)
{
	uint32_t buf[1024];
	uint64_t late = 0;
	size_t n, i;

	while ((n = dmae_simdmac_i2s_read(soc, buf, sizeof(buf)) / FRAME)) {
		for (i = 0; i < n; i++) {
			uint64_t period = *expect / pl->period_frames;

			if (buf[i] != *expect && period + 1 != *late_last) {
				late++;
				*late_last = period + 1;
			}
			*expect = buf[i] + 1;
		}
	}
	return late;
}

struct audio_row {
	enum dmae_cb_ctx ctx;
	uint32_t period_ms;
	bool loaded;
	uint32_t periods;
	uint64_t underruns;
	uint64_t late;
	uint32_t bad;
};

static int audio_row(struct audio_row *row, uint32_t ms)
{
	static const enum dmae_ctx want[] = { [DMAE_CB_BH] = DMAE_CTX_BH,
					      [DMAE_CB_HARDIRQ] = DMAE_CTX_HARDIRQ,
					      [DMAE_CB_TASK] = DMAE_CTX_TASK };
	struct dmae_slave_config sc = { .dst_width = 4, .dst_burst = 8 };
	struct dmae_simdmac_config cfg = { .name = "perf-soc", .uart_name = "perf-uart",
					   .i2s_name = "perf-i2s", .i2s_rate = RATE,
					   .i2s_frame = FRAME };
	struct player pl = { .period_frames = RATE / 1000u * row->period_ms,
			     .want = want[row->ctx] };
	struct dmae_simdmac_i2s_stats st;
	struct dmae_simdmac *soc = NULL;
	struct dmae_chan *chan = NULL;
	struct dmae_dev *dev = NULL;
	struct dmae_desc *d;
	uint64_t t0, late_last = 0;
	uint32_t expect = 0, p;
	int ret;

	pl.ring = aligned_alloc(64, (size_t)pl.period_frames * NPERIODS * FRAME);
	if (!pl.ring)
		return -1;
	for (p = 0; p < NPERIODS; p++)
		fill_period(&pl, p);
	ret = dmae_simdmac_create(&cfg, &soc);
	if (!ret)
		ret = dmae_dev_create("perf-i2s", &dev);
	if (!ret)
		ret = dmae_chan_request(dev, "tx", NULL, &chan);
	if (ret)
		goto out;
	sc.dst_addr = dmae_simdmac_i2s_data_addr(soc);
	ret = dmae_chan_prep_cyclic(chan, dmae_addr_of(pl.ring),
				    (uint64_t)pl.period_frames * NPERIODS * FRAME,
				    (uint64_t)pl.period_frames * FRAME, DMAE_MEM_TO_DEV, &sc,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (!ret)
		ret = dmae_desc_set_callback(d, period_done, &pl, row->ctx);
	if (!ret) {
		dmae_cookie_t c = dmae_desc_submit(d);

		ret = c < 0 ? c : dmae_chan_issue_pending(chan);
	}
	if (ret < 0)
		goto out;
	if (row->loaded && perf_load_start()) {
		ret = -1;
		goto out;
	}
	t0 = dmae_time_ns();
	while (dmae_time_ns() - t0 < (uint64_t)ms * 1000000u) {
		dmae_sleep_ns(2000000);
		row->late += check_played(soc, &pl, &expect, &late_last);
	}
	if (row->loaded)
		perf_load_stop();
	ret = dmae_simdmac_i2s_get_stats(soc, &st);
	if (!ret)
		ret = dmae_chan_terminate_sync(chan);
	row->late += check_played(soc, &pl, &expect, &late_last);
	row->underruns = st.underruns;
	row->periods = atomic_load(&pl.periods);
	row->bad = atomic_load(&pl.bad);
out:
	if (ret < 0)
		fprintf(stderr, "dmae perf: --audio: %s (%s)\n", dmae_strerror(ret),
			dmae_errname(ret));
	if (chan)
		dmae_chan_release(chan);
	if (dev)
		dmae_dev_destroy(dev);
	if (soc)
		dmae_simdmac_destroy(soc);
	free(pl.ring);
	return ret < 0 ? -1 : 0;
}

int perf_audio_run(FILE *out, uint32_t ms)
{
	static const enum dmae_cb_ctx ctxs[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };
	static const uint32_t periods_ms[] = { 1, 2, 5 };
	unsigned int c, p, l;
	int ret = 0;

	fprintf(out, "\naudio: cyclic playback to the simulated I2S, 48 kHz 16-bit stereo, "
		     "%u periods, %u ms per row\n", NPERIODS, ms);
	fprintf(out, "%-9s %7s %-7s %8s %10s %6s %4s\n", "context", "period", "load",
		"periods", "underruns", "late", "bad");
	for (c = 0; c < sizeof(ctxs) / sizeof(ctxs[0]); c++) {
		for (p = 0; p < sizeof(periods_ms) / sizeof(periods_ms[0]); p++) {
			for (l = 0; l < 2; l++) {
				struct audio_row row = { .ctx = ctxs[c], .period_ms = periods_ms[p],
							 .loaded = l };

				if (audio_row(&row, ms)) {
					ret = -1;
					continue;
				}
				fprintf(out, "%-9s %5u ms %-7s %8u %10" PRIu64 " %6" PRIu64 " %4u\n",
					dmae_cb_ctx_to_string(row.ctx), row.period_ms,
					row.loaded ? "loaded" : "idle", row.periods, row.underruns,
					row.late, row.bad);
				if (row.bad)
					ret = -1;
			}
		}
	}
	return ret;
}
