/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_lat.c - "dmae perf --latency": how long after the engine
 * finished a descriptor its client learns about it, per completion route.
 *
 * One 64-byte copy in flight at a time on one swdma channel (one worker).
 * The engine stamps each descriptor when it finishes (the result's
 * timestamp_ns, dmae_tx_state.done_ns; dmae_time_ns clock); the sample is
 * the observer's dmae_time_ns() minus that stamp, taken
 *
 * In every route but poll the client sleeps while it waits (a callback
 * takes its sample, then signals a completion object the client waits
 * on), so the routes compete for the CPUs the same way.
 *
 *   hardirq     first thing in a DMAE_CB_HARDIRQ callback
 *   bh          first thing in a DMAE_CB_BH callback
 *   task        first thing in a DMAE_CB_TASK callback
 *   completion  right after dmae_completion_wait() returns in the client
 *   comp-try    the same completion object, the client spinning on
 *               dmae_completion_try() instead of sleeping
 *   poll        when dmae_chan_status() (spun on by the client; it runs
 *               the IRQ handler inline) first reports the cookie complete
 *
 * "loaded": one extra thread, not pinned, spins for the whole row, so the
 * client, the worker, the IRQ thread and the BH/work threads compete with
 * it for the two CPUs of the reference machine.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf.h"

enum lat_mode {
	LAT_HARDIRQ, LAT_BH, LAT_TASK, LAT_COMPLETION, LAT_COMPLETION_TRY, LAT_POLL, LAT_COUNT
};

static const char *const lat_names[LAT_COUNT] = { "hardirq", "bh", "task", "completion",
						  "comp-try", "poll" };

static uint64_t cb_sample;	/* written before cb_done is signalled */
static struct dmae_completion cb_done;
static atomic_bool load_stop;

/* The sample is taken first; waking the client is not part of it. */
static void lat_cb(void *arg, const struct dmae_result *res)
{
	uint64_t t = dmae_time_ns();

	(void)arg;
	cb_sample = t - res->timestamp_ns;
	dmae_completion_done(&cb_done);
}

static void *load_thread(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	while (!atomic_load_explicit(&load_stop, memory_order_relaxed))
		x++;
	return NULL;
}

static pthread_t load_tid;

int perf_load_start(void)
{
	atomic_store(&load_stop, false);
	return pthread_create(&load_tid, NULL, load_thread, NULL) ? -1 : 0;
}

void perf_load_stop(void)
{
	atomic_store(&load_stop, true);
	pthread_join(load_tid, NULL);
}

/* Submit one 64 B copy on chan, observed the way mode says. */
static int lat_submit(struct dmae_chan *chan, enum lat_mode mode, struct dmae_completion *comp,
		      struct dmae_result *res, dmae_cookie_t *ck)
{
	static uint8_t src[64], dst[64];
	unsigned int flags = DMAE_PREP_ACK | (mode == LAT_POLL ? 0 : DMAE_PREP_INTERRUPT);
	struct dmae_desc *d;
	int ret;

	ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), 64, flags, &d);
	if (ret)
		return ret;
	if (mode == LAT_COMPLETION || mode == LAT_COMPLETION_TRY)
		ret = dmae_desc_set_completion(d, comp, res);
	else if (mode != LAT_POLL)
		ret = dmae_desc_set_callback(d, lat_cb, NULL,
					     mode == LAT_HARDIRQ ? DMAE_CB_HARDIRQ :
					     mode == LAT_BH ? DMAE_CB_BH : DMAE_CB_TASK);
	if (ret)
		return ret;
	*ck = dmae_desc_submit(d);
	if (*ck < 0)
		return *ck;
	dmae_chan_issue_pending(chan);
	return 0;
}

/* Wait for copy ck the way mode says; its latency in *ns. */
static int lat_observe(struct dmae_chan *chan, enum lat_mode mode, struct dmae_completion *comp,
		       const struct dmae_result *res, dmae_cookie_t ck, uint64_t *ns)
{
	struct dmae_tx_state st;

	switch (mode) {
	case LAT_COMPLETION:
		dmae_completion_wait(comp);
		*ns = dmae_time_ns() - res->timestamp_ns;
		return 0;
	case LAT_COMPLETION_TRY:
		while (!dmae_completion_try(comp))
			;
		*ns = dmae_time_ns() - res->timestamp_ns;
		return 0;
	case LAT_POLL:
		for (;;) {
			int s = dmae_chan_status(chan, ck, &st);

			if (s == DMAE_COMPLETE && st.last == ck) {
				*ns = dmae_time_ns() - st.done_ns;
				return 0;
			}
			if (s < 0 || s == DMAE_ERROR)
				return s < 0 ? s : -EIO;
		}
	default:
		/* the client sleeps, as with a completion object */
		dmae_completion_wait(&cb_done);
		*ns = cb_sample;
		return 0;
	}
}

static int lat_row(struct dmae_dev *dev, enum lat_mode mode, uint64_t n, uint64_t *v,
		   struct perf_lat_row *row)
{
	struct dmae_swdma_config cfg = { .nr_chans = 1, .nr_workers = 1 };
	struct dmae_completion comp;
	struct dmae_result res;
	struct dmae_swdma *sw;
	struct dmae_chan *chan;
	dmae_cookie_t ck;
	uint64_t i, sum = 0;
	int ret;

	ret = dmae_swdma_create(&cfg, &sw);
	if (ret) {
		tool_call_error("dmae perf", "dmae_swdma_create", ret);
		return -1;
	}
	ret = dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan);
	if (ret) {
		tool_call_error("dmae perf", "dmae_chan_request_caps", ret);
		dmae_swdma_destroy(sw);
		return -1;
	}
	dmae_completion_init(&comp);
	dmae_completion_init(&cb_done);
	for (i = 0; i < n && !ret; i++) {
		ret = lat_submit(chan, mode, &comp, &res, &ck);
		if (!ret)
			ret = lat_observe(chan, mode, &comp, &res, ck, &v[i]);
		if (!ret)
			sum += v[i];
	}
	dmae_chan_release(chan);
	dmae_swdma_destroy(sw);
	if (ret) {
		tool_call_error("dmae perf", lat_names[mode], ret);
		return -1;
	}
	row->mode = lat_names[mode];
	row->n = n;
	row->mean_ns = (double)sum / (double)n;
	perf_percentiles(v, n, &row->p50_ns, &row->p99_ns, &row->max_ns);
	return 0;
}

int perf_latency_run(struct perf_report *r, uint64_t count, bool idle, bool loaded,
		     uint32_t spin_ns)
{
	struct dmae_dev *dev;
	uint64_t *v = malloc(sizeof(*v) * count);
	int pass, ret = 0;
	enum lat_mode m;

	(void)spin_ns;
	r->lat = calloc(2 * LAT_COUNT, sizeof(*r->lat));
	if (!v || !r->lat || dmae_dev_create("dmae-perf-lat", &dev)) {
		free(v);
		fprintf(stderr, "dmae perf: --latency: setup failed\n");
		return -1;
	}
	for (pass = 0; pass < 2 && !ret; pass++) {
		if ((pass == 0 && !idle) || (pass == 1 && !loaded))
			continue;
		if (pass && perf_load_start()) {
			ret = -1;
			break;
		}
		for (m = 0; m < LAT_COUNT && !ret; m++) {
			struct perf_lat_row *row = &r->lat[r->nlat];

			if (lat_row(dev, m, count, v, row)) {
				ret = -1;
				r->failures++;
			} else {
				row->loaded = pass;
				r->nlat++;
			}
		}
		if (pass)
			perf_load_stop();
	}
	dmae_dev_destroy(dev);
	free(v);
	return ret;
}
