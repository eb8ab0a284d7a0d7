/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf.h - what the files of "dmae perf" share.
 *
 * Private to tools/dmae/perf*.c.  perf_cmd.c parses the options and runs
 * the command, perf.c builds and runs the throughput cases, perf_lat.c the
 * completion latency cases (--latency), perf_audio.c the audio underrun
 * table (--audio), perf_ratio.c pairs two cases' rounds into a ratio,
 * perf_out.c writes the table, JSON, CSV and SVG.
 */
#ifndef DMAE_TOOL_PERF_H
#define DMAE_TOOL_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tool.h"

#define PERF_QMAX 1024u			/* per-channel in-flight bound */
#define PERF_MAX_REPS 15u
#define PERF_MAX_SIZES 32u		/* --sizes */
/* perf_build_cases(): at most 12 cases per size, 18 more in the default sweep */
#define PERF_MAX_CASES (PERF_MAX_SIZES * 12 + 18)

/* What the command line asked for. */
struct perf_opts {
	uint64_t time_ns;	/* per repetition */
	uint32_t reps;
	uint32_t burst;
	uint32_t qd;		/* operations in flight per channel */
	bool quick;
	bool latency;
	uint32_t audio_ms;	/* --audio: only the audio table */
	uint32_t audio_stall_ms;	/* --audio-stall */
	bool lat_only;
	uint64_t lat_count;
	const char *json, *csv, *svg;
	const char *modes;	/* --modes: comma-separated mode names, or NULL */
	bool spin;		/* --spin: the client never yields nor sleeps */
	int pin;		/* --pin: the client's CPU, or -1 */
	int ws;			/* --ws: 0 by size, 1 hot, 2 DRAM */
	uint64_t sizes[PERF_MAX_SIZES];
	unsigned int nsizes;
	struct dmae_swdma_config knobs;	/* --nt-min, --spin-ns, ... (0: default) */
};

/* How a case moves data. */
enum perf_api {
	PERF_CPU = 0,		/* plain memcpy/memset on the client thread */
	PERF_FP,		/* the fast path (dmae/fastpath.h) */
	PERF_DESC_POLL,		/* descriptors without interrupt, dmae_chan_status */
	PERF_DESC_BH,		/* descriptors with a BH callback */
	PERF_DESC_IRQ,		/* descriptors with a hard-IRQ callback */
	PERF_API_COUNT
};

enum perf_op { PERF_COPY = 0, PERF_FILL, PERF_SG };

/* How a CPU baseline moves data. */
enum perf_cpu {
	PERF_CPU_LIBC = 0,	/* glibc memcpy/memset */
	PERF_CPU_NT,		/* one thread, non-temporal stores (cpu_copy.c) */
	PERF_CPU_2T,		/* two threads, each every other operation */
};

/* One measured case and its results (medians over the repetitions). */
struct perf_case {
	char name[40];		/* series name: "fp-copy-1w", "memcpy", ... */
	enum perf_api api;
	enum perf_op op;
	enum perf_cpu cpu;	/* PERF_CPU: which baseline */
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
	/* GB/s of each timed repetition, in the order of the rounds: a case's
	 * repetition i ran in the same round as the other cases' of its group */
	double rep_gbs[PERF_MAX_REPS];
	uint32_t nreps;
	/* ratios to another case of the group: per-round, median (perf_ratio()) */
	double ratio;		/* GB/s / memcpy GB/s of the same size and set */
	double ratio_best;	/* GB/s / the faster of memcpy and cpu-nt */
	double ratio_2t;	/* 2-worker rows: GB/s / cpu-2t GB/s (else 0) */
	bool verified;
	/* single-operation cases (64 B, burst 1): the line round trip measured
	 * right before their group ran and right after it (the vCPUs'
	 * placement may change during a run); else 0 */
	double rtt_ns, rtt_after_ns;
};

struct perf_lat_row {
	const char *mode;	/* "hardirq", "bh", "task", "completion", "poll", ... */
	bool loaded;		/* a busy-loop thread competes for the CPUs */
	uint64_t n;
	double p50_ns, p99_ns, p999_ns, max_ns, mean_ns;
	double rtt_ns;		/* cache-line round trip measured right before */
	double rtt_after_ns;	/* ... and right after (idle rows; else 0) */
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

/*
 * perf_ratio.c: a's throughput over b's, two cases of one group: the
 * median of their ratios round by round, so that the machine's drift
 * from one round to the next, which both see, cancels (rounds in which b
 * moved nothing left out); 0 if there is no such round.
 */
double perf_ratio(const struct perf_case *a, const struct perf_case *b);

/* A single-operation case: an engine mode, 64 B, one per doorbell. */
static inline bool perf_case_single(const struct perf_case *c)
{
	return c->size == 64 && c->burst == 1 && c->api != PERF_CPU;
}

/* perf.c: is name one of the modes --modes knows? */
bool perf_mode_known(const char *name);

/* perf.c: fill r->cases from the options (none when --modes excludes all). */
void perf_build_cases(struct perf_report *r, const struct perf_opts *o);

/* perf.c: the buffers and channel states the cases share; 0 or -1 (ENOMEM). */
int perf_buffers_alloc(void);
void perf_buffers_free(void);

/* perf.c: run every case, group by group; returns how many failed. */
unsigned int perf_run_cases(struct perf_report *r, const struct perf_opts *o,
			    struct dmae_dev *dev);

/* perf.c: each case's GB/s against the CPU baseline of its group. */
void perf_set_ratios(struct perf_report *r);

/* perf_lat.c: run the latency table; returns 0 or -1 (failure printed).
 * single: only the idle fast path and hard-IRQ rows (the single-operation
 * round trip of the summary). */
int perf_latency_run(struct perf_report *r, uint64_t count, bool idle, bool loaded,
		     bool single);

/* perf_lat.c: one busy-loop thread competing for the CPUs ("loaded"). */
int perf_load_start(void);
void perf_load_stop(void);

/* perf_audio.c: cyclic playback to the simulated I2S per callback context
 * (--audio); prints its table; returns 0, or -1 if a run failed. */
int perf_audio_run(FILE *out, uint32_t ms, uint32_t stall_ms);

/* perf_out.c */
void perf_print_table(FILE *out, const struct perf_report *r);
void perf_print_latency(FILE *out, const struct perf_report *r);
/* The targets: ratios of this run's figures, met or not. */
void perf_print_targets(FILE *out, const struct perf_report *r);
int perf_write_json(const char *path, const struct perf_report *r);
int perf_write_csv(const char *path, const struct perf_report *r);
int perf_write_svg(const char *path, const struct perf_report *r);

/* Percentiles of n samples (sorted in place). */
void perf_percentiles(uint64_t *v, uint64_t n, double *p50, double *p99, double *max);
/* The 99.9th percentile of n samples sorted by perf_percentiles(). */
double perf_p999(const uint64_t *v, uint64_t n);

#endif /* DMAE_TOOL_PERF_H */
