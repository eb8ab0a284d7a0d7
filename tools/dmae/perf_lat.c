/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_lat.c - "dmae perf --latency": how long one operation
 * takes end to end, per completion route: from the client thread's clock
 * before it prepares a 64-byte copy to the moment the same thread sees the
 * result.  One copy in flight at a time on one swdma channel (one worker).
 *
 *   hardirq     a DMAE_CB_HARDIRQ callback sets a flag the client spins on
 *   bh          the same with a DMAE_CB_BH callback
 *   task        the same with a DMAE_CB_TASK callback
 *   completion  a completion object; the client sleeps in
 *               dmae_completion_wait()
 *   comp-try    the same object, the client spinning on dmae_completion_try()
 *   poll        no interrupt; the client spins on dmae_chan_status()
 *   fp          the fast path: dmae_fp_copy(DMAE_FP_SUBMIT), the client
 *               spinning on dmae_fp_completed()
 *
 * A spinning client yields the CPU after LAT_SPINS empty looks, so that a
 * thread the route needs can run on a busy machine.  Before each idle row
 * (and once before the loaded ones: with the hog running, a ping-pong
 * measures the scheduler) the cache line round trip between two threads
 * is measured: it is the floor
 * of any route whose completion crosses from one CPU to another (the
 * worker's to the client's), and the table shows each route in units of it.
 *
 * "loaded": one extra thread, not pinned, spins for the whole row, so the
 * client, the worker, the IRQ thread and the BH/work threads compete with
 * it for the CPUs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sched.h>

#include <dmae/fastpath.h>

#include "line_rtt.h"
#include "perf.h"

#define LAT_SPINS 4096u

enum lat_mode {
	LAT_HARDIRQ, LAT_BH, LAT_TASK, LAT_COMPLETION, LAT_COMPLETION_TRY, LAT_POLL, LAT_FP,
	LAT_COUNT
};

static const char *const lat_names[LAT_COUNT] = { "hardirq", "bh", "task", "completion",
						  "comp-try", "poll", "fp" };

/*
 * Each on lines of its own, as a client would place them: the engine
 * writes cb_flag and the destination, the client spins on the one and
 * writes nothing near either (128: the pair of lines x86 prefetches).
 */
static _Alignas(128) atomic_uint cb_flag;	/* set by the callback routes' callback */
static _Alignas(128) atomic_bool load_stop;

static void lat_cb(void *arg, const struct dmae_result *res)
{
	(void)arg, (void)res;
	atomic_store_explicit(&cb_flag, 1, memory_order_release);
}

/* Spin-wait politely: yield after LAT_SPINS looks. */
static void lat_relax(unsigned int *spins)
{
	if (++*spins < LAT_SPINS) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
		return;
	}
	*spins = 0;
	sched_yield();
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

static _Alignas(128) uint8_t lat_src[64];
static _Alignas(128) uint8_t lat_dst[64];

/* Submit one 64 B copy on chan, observed the way mode says. */
static int lat_submit(struct dmae_chan *chan, struct dmae_fp *fp, enum lat_mode mode,
		      struct dmae_completion *comp, struct dmae_result *res, dmae_cookie_t *ck)
{
	unsigned int flags = DMAE_PREP_ACK | (mode == LAT_POLL ? 0 : DMAE_PREP_INTERRUPT);
	struct dmae_desc *d;
	int ret;

	if (mode == LAT_FP) {
		ret = dmae_fp_copy(fp, dmae_addr_of(lat_dst), dmae_addr_of(lat_src), 64,
				   DMAE_FP_SUBMIT);
		return ret < 0 ? ret : 0;
	}
	ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(lat_dst), dmae_addr_of(lat_src), 64, flags,
				    &d);
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
	ret = dmae_chan_issue_pending(chan);
	return ret < 0 ? ret : 0;
}

/* Wait on the client thread until the copy is seen complete the way mode says. */
static int lat_observe(struct dmae_chan *chan, struct dmae_fp *fp, enum lat_mode mode,
		       struct dmae_completion *comp, const struct dmae_result *res,
		       dmae_cookie_t ck)
{
	struct dmae_tx_state st;
	unsigned int spins = 0;
	bool err = false;

	switch (mode) {
	case LAT_COMPLETION:
		dmae_completion_wait(comp);
		return res->code == DMAE_RESULT_OK ? 0 : -EIO;
	case LAT_COMPLETION_TRY:
		while (!dmae_completion_try(comp))
			lat_relax(&spins);
		return res->code == DMAE_RESULT_OK ? 0 : -EIO;
	case LAT_POLL:
		for (;;) {
			int s = dmae_chan_status(chan, ck, &st);

			if (s == DMAE_COMPLETE)
				return 0;
			if (s < 0 || s == DMAE_ERROR)
				return s < 0 ? s : -EIO;
			lat_relax(&spins);
		}
	case LAT_FP:
		while (!dmae_fp_completed(fp, 1, NULL, &err)) {
			if (err)
				return -EIO;
			lat_relax(&spins);
		}
		return 0;
	default:
		while (!atomic_load_explicit(&cb_flag, memory_order_acquire))
			lat_relax(&spins);
		atomic_store_explicit(&cb_flag, 0, memory_order_relaxed);
		return 0;
	}
}

/* n round trips of one route; v receives them, sorted. */
static int lat_loop(struct dmae_chan *chan, struct dmae_fp *fp, enum lat_mode mode, uint64_t n,
		    uint64_t *v, uint64_t *sum)
{
	struct dmae_completion comp;
	struct dmae_result res;
	dmae_cookie_t ck = 0;
	uint64_t i;
	int ret = 0;

	atomic_store(&cb_flag, 0);
	for (i = 0; i < n && !ret; i++) {
		uint64_t t0;

		dmae_completion_init(&comp);
		t0 = dmae_time_ns();
		ret = lat_submit(chan, fp, mode, &comp, &res, &ck);
		if (!ret)
			ret = lat_observe(chan, fp, mode, &comp, &res, ck);
		v[i] = dmae_time_ns() - t0;
		*sum += v[i];
	}
	return ret;
}

/* rtt: the line round trip to show; 0: measure it now. */
static int lat_row(struct dmae_dev *dev, enum lat_mode mode, uint64_t n, uint64_t *v,
		   struct perf_lat_row *row, double rtt)
{
	struct dmae_swdma_config cfg = { .nr_chans = 1, .nr_workers = 1 };
	struct dmae_chan_opts opts = { .flags = DMAE_CHAN_OPT_ONE_SUBMITTER };
	struct dmae_fp *fp = NULL;
	struct dmae_swdma *sw;
	struct dmae_chan *chan;
	uint64_t sum = 0;
	int ret;

	ret = dmae_swdma_create(&cfg, &sw);
	if (ret) {
		tool_call_error("dmae perf", "dmae_swdma_create", ret);
		return -1;
	}
	ret = dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, &opts, &chan);
	if (ret) {
		tool_call_error("dmae perf", "dmae_chan_request_caps", ret);
		dmae_swdma_destroy(sw);
		return -1;
	}
	if (mode == LAT_FP)
		ret = dmae_chan_fp_get(chan, &fp);
	row->rtt_ns = rtt > 0 ? rtt : line_rtt_ns();
	if (!ret)
		ret = lat_loop(chan, fp, mode, n, v, &sum);
	/* with the hog running, a ping-pong would measure the scheduler */
	row->rtt_after_ns = rtt > 0 || ret ? 0 : line_rtt_ns();
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
	row->p999_ns = perf_p999(v, n);
	return 0;
}

int perf_latency_run(struct perf_report *r, uint64_t count, bool idle, bool loaded,
		     bool single)
{
	struct dmae_dev *dev;
	uint64_t *v = malloc(sizeof(*v) * count);
	int pass, ret = 0;
	enum lat_mode m;

	free(r->lat);
	r->nlat = 0;
	r->lat = calloc(2 * LAT_COUNT, sizeof(*r->lat));
	if (!v || !r->lat || dmae_dev_create("dmae-perf-lat", &dev)) {
		free(v);
		fprintf(stderr, "dmae perf: --latency: setup failed\n");
		return -1;
	}
	for (pass = 0; pass < 2 && !ret; pass++) {
		double rtt = 0;

		if ((pass == 0 && !idle) || (pass == 1 && !loaded))
			continue;
		/* with the hog running, a ping-pong measures the scheduler */
		if (pass)
			rtt = line_rtt_ns();
		if (pass && perf_load_start()) {
			ret = -1;
			break;
		}
		for (m = 0; m < LAT_COUNT && !ret; m++) {
			struct perf_lat_row *row = &r->lat[r->nlat];

			if (single && m != LAT_FP && m != LAT_HARDIRQ)
				continue;
			if (lat_row(dev, m, count, v, row, rtt)) {
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
