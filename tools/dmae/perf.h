/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf.h - what the files of "dmae perf" share.
 *
 * Private to tools/dmae/perf*.c.  perf.c runs the throughput cases,
 * perf_lat.c the completion latency cases (--latency), perf_audio.c the
 * audio underrun table (--audio), perf_out.c writes
 * the table, JSON, CSV and SVG.
 */
#ifndef DMAE_TOOL_PERF_H
#define DMAE_TOOL_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tool.h"

/* How a case moves data. */
enum perf_api {
	PERF_CPU = 0,		/* plain memcpy/memset on the client thread */
	PERF_FP,		/* the fast path (dmae/fastpath.h) */
	PERF_DESC_POLL,		/* descriptors without interrupt, dmae_chan_status */
	PERF_DESC_BH,		/* descriptors with a BH callback */
	PERF_API_COUNT
};

enum perf_op { PERF_COPY = 0, PERF_FILL, PERF_SG };

/* One measured case and its results (medians over the repetitions). */
struct perf_case {
	char name[40];		/* series name: "fp-copy-1w", "memcpy", ... */
	enum perf_api api;
	enum perf_op op;
	uint64_t size;		/* bytes per operation */
	uint32_t burst;
	uint32_t qd;		/* operations in flight at most */
	uint32_t chans;
	uint32_t workers;
	bool cold;		/* working set larger than the LLC */
	bool any_thread;	/* descriptor modes: a channel without
				 * DMAE_CHAN_OPT_ONE_SUBMITTER */
	uint64_t ws;		/* working set per side, bytes */

	/* results */
	uint64_t ops;		/* operations in the median repetition */
	double mops;		/* million operations per second */
	double gbs;		/* GB/s (10^9 bytes) */
	double submit_ns;	/* client ns per op in enqueue + doorbell */
	double cpu_ns;		/* client thread CPU ns per op, all included */
	double p50_ns, p99_ns, max_ns;	/* enqueue -> completion observed */
	double ratio;		/* GB/s / memcpy GB/s of the same size and set */
	bool verified;
};

struct perf_lat_row {
	const char *mode;	/* "hardirq", "bh", "task", "completion", "poll" */
	bool loaded;		/* a busy-loop thread competes for the CPUs */
	uint64_t n;
	double p50_ns, p99_ns, max_ns, mean_ns;
};

struct perf_report {
	char machine[160];
	char command[512];
	unsigned int cpus;
	/* cache-line round trip between two threads, before and after the
	 * sweep: tells which vCPU placement the run had (docs/performance.md) */
	double rtt_before_ns, rtt_after_ns;
	uint32_t reps;
	double seconds;
	struct perf_case *cases;
	unsigned int ncases;
	struct perf_lat_row *lat;
	unsigned int nlat;
	unsigned int failures;
};

/* perf_lat.c: run the latency table; returns 0 or -1 (failure printed). */
int perf_latency_run(struct perf_report *r, uint64_t count, bool idle, bool loaded,
		     uint32_t spin_ns);

/* perf_lat.c: one busy-loop thread competing for the CPUs ("loaded"). */
int perf_load_start(void);
void perf_load_stop(void);

/* perf_audio.c: cyclic playback to the simulated I2S per callback context
 * (--audio); prints its table; returns 0, or -1 if a run failed. */
int perf_audio_run(FILE *out, uint32_t ms);

/* perf_out.c */
void perf_print_table(FILE *out, const struct perf_report *r);
void perf_print_latency(FILE *out, const struct perf_report *r);
int perf_write_json(const char *path, const struct perf_report *r);
int perf_write_csv(const char *path, const struct perf_report *r);
int perf_write_svg(const char *path, const struct perf_report *r);

/* Percentiles of n samples (sorted in place). */
void perf_percentiles(uint64_t *v, uint64_t n, double *p50, double *p99, double *max);

#endif /* DMAE_TOOL_PERF_H */
