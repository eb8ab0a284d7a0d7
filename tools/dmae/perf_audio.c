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
 *   late       periods whose data was not in place when it was due: a
 *              frame of the period played with the audio of NPERIODS
 *              periods before (the DMA fetched the slot before the
 *              callback refilled it).  This is what a listener hears.
 *
 * The model also gives each frame slot's deadline (its stream's start and
 * rate): for every refilled period read back, the table shows the
 * smallest margin between the refill and the slot its first frame played
 * in ("min slack"), and how many refills came after it ("missed").  A
 * period can be late with a positive slack: the DMA fetches the data
 * ahead of play by the I2S FIFO's depth.
 *
 * Each row plays for a fixed time, idle and with one busy-loop thread
 * competing for the CPUs.  --audio-stall makes the callback of one period
 * per row spin for that long first: the late and missed counts must then
 * show it (a check of the counters, tools/CMakeLists.txt).
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

#define STALL_PERIOD 50u		/* the period whose callback --audio-stall stalls */

struct player {
	uint32_t *ring;			/* one uint32 per frame: its number */
	uint32_t period_frames;
	atomic_uint periods;
	atomic_uint bad;		/* wrong context or result */
	enum dmae_ctx want;
	uint64_t stall_ns;		/* --audio-stall */
	uint64_t *refill_ns;		/* [period]: when its data was written */
	uint32_t nrefill;		/* entries of refill_ns */
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
	if (done == STALL_PERIOD && pl->stall_ns) {
		uint64_t t0 = dmae_time_ns();

		while (dmae_time_ns() - t0 < pl->stall_ns)
			;
	}
	fill_period(pl, done + NPERIODS);
	if (done + NPERIODS < pl->nrefill)
		pl->refill_ns[done + NPERIODS] = dmae_time_ns();
}

/* What reading the played stream back found so far. */
struct play_check {
	uint32_t expect;	/* the frame number due next */
	uint64_t late_last;	/* 1 + the period last counted late */
	uint64_t late;
	uint64_t slot;		/* frame slots read back since the stream started */
	uint64_t missed;	/* periods whose refill came after their play deadline */
	int64_t min_slack_ns;	/* INT64_MAX: none measured */
};

/*
 * The first frame of a refilled period q played in slot c->slot: its
 * deadline is the model's (stream start + slot / rate); its margin, the
 * time from the refill to it.
 */
static void check_deadline(const struct player *pl, struct play_check *c, uint32_t frame,
			   uint64_t start_ns)
{
	uint32_t q = frame / pl->period_frames;
	uint64_t due;
	int64_t slack;

	if (frame % pl->period_frames || q < NPERIODS || q >= pl->nrefill || !pl->refill_ns[q])
		return;
	due = start_ns + c->slot * 1000000000ull / RATE;
	slack = (int64_t)(due - pl->refill_ns[q]);
	if (slack < c->min_slack_ns)
		c->min_slack_ns = slack;
	c->missed += slack < 0;
}

/*
 * Read back what played: count the periods holding an out-of-order frame
 * (late), and the deadlines of the refilled periods (check_deadline(); only
 * while the stream has never restarted, which would move them).
 */
static void check_played(struct dmae_simdmac *soc, const struct player *pl,
			 struct play_check *c)
{
	struct dmae_simdmac_i2s_stats st;
	uint32_t buf[1024];
	size_t n, i;
	bool timed = !dmae_simdmac_i2s_get_stats(soc, &st) && st.starts == 1 &&
		     !st.frames_starved;

	while ((n = dmae_simdmac_i2s_read(soc, buf, sizeof(buf)) / FRAME)) {
		for (i = 0; i < n; i++, c->slot++) {
			uint64_t period = c->expect / pl->period_frames;

			if (buf[i] != c->expect && period + 1 != c->late_last) {
				c->late++;
				c->late_last = period + 1;
			}
			c->expect = buf[i] + 1;
			if (timed)
				check_deadline(pl, c, buf[i], st.start_ns);
		}
	}
}

struct audio_row {
	enum dmae_cb_ctx ctx;
	uint32_t period_ms;
	bool loaded;
	uint32_t periods;
	uint64_t underruns;
	uint64_t late;
	uint64_t missed;	/* refills after their period's play deadline */
	int64_t min_slack_ns;	/* INT64_MAX: no deadline known (stream restarted) */
	uint32_t bad;
};

/* The cyclic descriptor over pl's ring to the I2S, its callback in ctx. */
static int play_start(struct dmae_simdmac *soc, struct dmae_chan *chan, struct player *pl,
		      enum dmae_cb_ctx ctx)
{
	struct dmae_slave_config sc = { .dst_width = 4, .dst_burst = 8,
					.dst_addr = dmae_simdmac_i2s_data_addr(soc) };
	struct dmae_desc *d;
	int ret;

	ret = dmae_chan_prep_cyclic(chan, dmae_addr_of(pl->ring),
				    (uint64_t)pl->period_frames * NPERIODS * FRAME,
				    (uint64_t)pl->period_frames * FRAME, DMAE_MEM_TO_DEV, &sc,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (!ret)
		ret = dmae_desc_set_callback(d, period_done, pl, ctx);
	if (!ret) {
		dmae_cookie_t c = dmae_desc_submit(d);

		ret = c < 0 ? c : dmae_chan_issue_pending(chan);
	}
	return ret < 0 ? ret : 0;
}

static int audio_row(struct audio_row *row, uint32_t ms, uint64_t stall_ns)
{
	static const enum dmae_ctx want[] = { [DMAE_CB_BH] = DMAE_CTX_BH,
					      [DMAE_CB_HARDIRQ] = DMAE_CTX_HARDIRQ,
					      [DMAE_CB_TASK] = DMAE_CTX_TASK };
	struct dmae_simdmac_config cfg = { .name = "perf-soc", .uart_name = "perf-uart",
					   .i2s_name = "perf-i2s", .i2s_rate = RATE,
					   .i2s_frame = FRAME };
	struct player pl = { .period_frames = RATE / 1000u * row->period_ms,
			     .want = want[row->ctx], .stall_ns = stall_ns,
			     .nrefill = ms / row->period_ms + 4 * NPERIODS + 64 };
	struct dmae_simdmac_i2s_stats st;
	struct dmae_simdmac *soc = NULL;
	struct dmae_chan *chan = NULL;
	struct dmae_dev *dev = NULL;
	struct play_check chk = { .min_slack_ns = INT64_MAX };
	uint64_t t0;
	uint32_t p;
	int ret;

	pl.ring = aligned_alloc(64, (size_t)pl.period_frames * NPERIODS * FRAME);
	pl.refill_ns = calloc(pl.nrefill, sizeof(*pl.refill_ns));
	if (!pl.ring || !pl.refill_ns) {
		free(pl.ring);
		free(pl.refill_ns);
		return -1;
	}
	for (p = 0; p < NPERIODS; p++)
		fill_period(&pl, p);
	ret = dmae_simdmac_create(&cfg, &soc);
	if (!ret)
		ret = dmae_dev_create("perf-i2s", &dev);
	if (!ret)
		ret = dmae_chan_request(dev, "tx", NULL, &chan);
	if (ret)
		goto out;
	ret = play_start(soc, chan, &pl, row->ctx);
	if (ret < 0)
		goto out;
	if (row->loaded && perf_load_start()) {
		ret = -1;
		goto out;
	}
	t0 = dmae_time_ns();
	while (dmae_time_ns() - t0 < (uint64_t)ms * 1000000u) {
		dmae_sleep_ns(2000000);
		check_played(soc, &pl, &chk);
	}
	if (row->loaded)
		perf_load_stop();
	ret = dmae_simdmac_i2s_get_stats(soc, &st);
	if (!ret)
		ret = dmae_chan_terminate_sync(chan);
	check_played(soc, &pl, &chk);
	row->late = chk.late;
	row->missed = chk.missed;
	row->min_slack_ns = chk.min_slack_ns;
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
	free(pl.refill_ns);
	return ret < 0 ? -1 : 0;
}

static void print_row(FILE *out, const struct audio_row *row)
{
	char slack[24] = "-";

	if (row->min_slack_ns != INT64_MAX)
		snprintf(slack, sizeof(slack), "%.2f", (double)row->min_slack_ns / 1e6);
	fprintf(out, "%-9s %5u ms %-7s %8u %10" PRIu64 " %6" PRIu64 " %7" PRIu64 " %14s %4u\n",
		dmae_cb_ctx_to_string(row->ctx), row->period_ms, row->loaded ? "loaded" : "idle",
		row->periods, row->underruns, row->late, row->missed, slack, row->bad);
}

int perf_audio_run(FILE *out, uint32_t ms, uint32_t stall_ms)
{
	static const enum dmae_cb_ctx ctxs[] = { DMAE_CB_HARDIRQ, DMAE_CB_BH, DMAE_CB_TASK };
	static const uint32_t periods_ms[] = { 1, 2, 5 };
	unsigned int c, p, l;
	int ret = 0;

	fprintf(out, "\naudio: cyclic playback to the simulated I2S, 48 kHz 16-bit stereo, "
		     "%u periods, %u ms per row", NPERIODS, ms);
	if (stall_ms)
		fprintf(out, ", period %u's callback stalled %u ms", STALL_PERIOD, stall_ms);
	fprintf(out, "\n%-9s %7s %-7s %8s %10s %6s %7s %14s %4s\n", "context", "period", "load",
		"periods", "underruns", "late", "missed", "min-slack-ms", "bad");
	for (c = 0; c < sizeof(ctxs) / sizeof(ctxs[0]); c++) {
		for (p = 0; p < sizeof(periods_ms) / sizeof(periods_ms[0]); p++) {
			for (l = 0; l < 2; l++) {
				struct audio_row row = { .ctx = ctxs[c], .period_ms = periods_ms[p],
							 .loaded = l };

				if (audio_row(&row, ms, (uint64_t)stall_ms * 1000000u)) {
					ret = -1;
					continue;
				}
				print_row(out, &row);
				if (row.bad)
					ret = -1;
			}
		}
	}
	fprintf(out, "late: periods that played stale audio (data not in place when due); "
		     "missed: refills after the\nperiod's play deadline; min-slack: the "
		     "smallest margin of a refill before it (the I2S model's clock)\n");
	return ret;
}
