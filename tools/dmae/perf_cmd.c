/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_cmd.c - "dmae perf": its options, and the order of a
 * run (perf.c runs the cases, perf_lat.c and perf_audio.c the latency and
 * audio tables, perf_out.c writes the results).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "line_rtt.h"
#include "perf.h"

enum {
	OPT_TIME = 1, OPT_REPS, OPT_BURST, OPT_SIZES, OPT_QUICK, OPT_LATENCY, OPT_LAT_ONLY,
	OPT_LAT_COUNT, OPT_JSON, OPT_CSV, OPT_SVG, OPT_NT_MIN, OPT_SPIN_NS, OPT_YIELD_NS,
	OPT_SPLIT_MIN, OPT_AUDIO, OPT_MODES, OPT_QD, OPT_IRQ_COALESCE, OPT_IRQ_HOLDOFF,
	OPT_SPIN, OPT_PIN, OPT_WS, OPT_AUDIO_STALL,
};

static const struct tool_opt perf_opts_table[] = {
	{ "time", OPT_TIME, "SECONDS", "duration of one repetition (default 0.06)" },
	{ "reps", OPT_REPS, "N", "timed repetitions per case, median reported\n(3..15, default 5)" },
	{ "burst", OPT_BURST, "N", "operations per doorbell (1..1024, default 32)" },
	{ "qd", OPT_QD, "N", "operations in flight per channel (2..1024,\ndefault 1024; capped at 16 MiB in flight)" },
	{ "sizes", OPT_SIZES, "LIST", "comma-separated transfer sizes (64..4M);\nonly the size sweep runs" },
	{ "modes", OPT_MODES, "LIST", "comma-separated modes to run (memcpy, memset,\ncpu-nt, cpu-2t, fp-1w, fp-2w, fp-64ch,\nfp-fill-1w, fp-fill-2w, desc-poll-1w, desc-bh-1w,\ndesc-poll-mt-1w, desc-bh-mt-1w, desc-sg-1w,\nfp-1w-b1, desc-irq-1w-b1)" },
	{ "ws", OPT_WS, "SET", "working set of every size: hot (64 KiB per\nside) or dram (64 MiB per side); default: hot\nbelow 64 KiB, dram from 64 KiB" },
	{ "spin", OPT_SPIN, NULL, "the client polls without ever yielding or\nsleeping, as a DPDK lcore does" },
	{ "pin", OPT_PIN, "CPU", "run the client thread on this CPU only" },
	{ "quick", OPT_QUICK, NULL, "descriptor API rows only up to 4 KiB" },
	{ "latency", OPT_LATENCY, NULL, "also measure completion latency per\ncallback context (idle and loaded)" },
	{ "latency-only", OPT_LAT_ONLY, NULL, "only the latency table" },
	{ "lat-count", OPT_LAT_COUNT, "N", "descriptors per latency row\n(default 100000)" },
	{ "audio", OPT_AUDIO, "MS", "only the audio table: cyclic playback to the\nsimulated I2S per callback context, MS per row" },
	{ "audio-stall", OPT_AUDIO_STALL, "MS", "with --audio: one callback per row spins this\nlong before its refill (shows what late looks\nlike)" },
	{ "json", OPT_JSON, "FILE", "write every figure as JSON (-: standard\noutput, the table then goes to standard error)" },
	{ "csv", OPT_CSV, "FILE", "write the throughput table as CSV (-: standard\noutput)" },
	{ "svg", OPT_SVG, "FILE", "draw GB/s against transfer size per mode\n(-: standard output)" },
	{ "nt-min", OPT_NT_MIN, "BYTES", "swdma nt_min: non-temporal stores from this\nsize (default: auto, measured by each worker;\n4294967295: never)" },
	{ "spin-ns", OPT_SPIN_NS, "NS", "swdma spin_ns (idle spin before yielding)" },
	{ "yield-ns", OPT_YIELD_NS, "NS", "swdma yield_ns (yielding before sleeping)" },
	{ "split-min", OPT_SPLIT_MIN, "BYTES", "swdma split_min (ops split among workers)" },
	{ "irq-coalesce", OPT_IRQ_COALESCE, "N", "swdma irq_coalesce (completions per interrupt\nwhile busy; 1: none, default 64)" },
	{ "irq-holdoff", OPT_IRQ_HOLDOFF, "NS", "swdma irq_holdoff_ns (how long a drained\nstream's interrupt waits for the client to\ncollect; default 5000)" },
	{ "help", TOOL_OPT_HELP, NULL, "show this help and exit" },
	{ NULL, 0, NULL, NULL },
};

static const char perf_description[] =
	"Measure the software engine (swdma) through each API path: the fast\n"
	"path (dmae/fastpath.h), descriptors polled with dmae_chan_status, and\n"
	"descriptors with BH or hard-IRQ callbacks, against CPU copies on the\n"
	"same buffers in the same run (glibc, one thread with non-temporal\n"
	"stores, two threads); every ratio is between figures of the run, or a\n"
	"figure and the cache line round trip it measured.  Every case: a\n"
	"warm-up, then --reps timed repetitions, each after an untimed settle\n"
	"run; the median is reported.  The baselines and the modes compared\n"
	"with them run their repetitions in turns.  Destinations are verified\n"
	"after each run; wrong data fails the run (exit 1).  See\n"
	"docs/performance.md.";

/*
 * Copy a comma-separated option value into buf, or fail with a usage
 * error: nothing of it may be cut off or skipped unnoticed.
 */
static int list_copy(struct tool_args *a, const char *val, char *buf, size_t size)
{
	size_t n = strlen(val);

	if (n >= size)
		return tool_usage_error(a, "'%s': %zu characters, at most %zu", val, n, size - 1), -1;
	if (!n || val[0] == ',' || val[n - 1] == ',' || strstr(val, ",,"))
		return tool_usage_error(a, "empty item in '%s'", val), -1;
	memcpy(buf, val, n + 1);
	return 0;
}

static int parse_sizes(struct tool_args *a, const char *val, struct perf_opts *o)
{
	char buf[256], *tok, *save = NULL;

	if (list_copy(a, val, buf, sizeof(buf)))
		return -1;
	o->nsizes = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (o->nsizes == PERF_MAX_SIZES)
			return tool_usage_error(a, "at most %u sizes", PERF_MAX_SIZES), -1;
		if (tool_parse_size(a, tok, 64, 4u << 20, &o->sizes[o->nsizes++]))
			return -1;
	}
	return o->nsizes ? 0 : (tool_usage_error(a, "no size given"), -1);
}

static int parse_modes(struct tool_args *a, const char *val)
{
	char buf[256], *tok, *save = NULL;

	if (list_copy(a, val, buf, sizeof(buf)))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!perf_mode_known(tok))
			return tool_usage_error(a, "unknown mode '%s'", tok), -1;
	}
	return 0;
}

/* The swdma knobs: a number of bytes, ns or completions, 1..2^32-1. */
static int parse_knob(struct tool_args *a, struct perf_opts *o, int key, const char *val)
{
	uint64_t v;

	if (tool_parse_size(a, val, 1, UINT32_MAX, &v))
		return -1;
	if (key == OPT_NT_MIN)
		o->knobs.nt_min = (uint32_t)v;
	else if (key == OPT_SPIN_NS)
		o->knobs.spin_ns = (uint32_t)v;
	else if (key == OPT_YIELD_NS)
		o->knobs.yield_ns = (uint32_t)v;
	else if (key == OPT_IRQ_COALESCE)
		o->knobs.irq_coalesce = (uint32_t)v;
	else if (key == OPT_IRQ_HOLDOFF)
		o->knobs.irq_holdoff_ns = (uint32_t)v;
	else
		o->knobs.split_min = (uint32_t)v;
	return 0;
}

/* An option with a number; 0, or -1 after a usage error. */
static int parse_number(struct tool_args *a, struct perf_opts *o, int key, const char *val)
{
	uint64_t v;

	switch (key) {
	case OPT_TIME:
		return tool_parse_seconds(a, val, &o->time_ns);
	case OPT_REPS:
		if (tool_parse_u64(a, val, 3, PERF_MAX_REPS, &v))
			return -1;
		o->reps = (uint32_t)v;
		return 0;
	case OPT_BURST:
		if (tool_parse_u64(a, val, 1, PERF_QMAX, &v))
			return -1;
		o->burst = (uint32_t)v;
		return 0;
	case OPT_QD:
		if (tool_parse_u64(a, val, 2, PERF_QMAX, &v))
			return -1;
		o->qd = (uint32_t)v;
		return 0;
	case OPT_AUDIO:
		if (tool_parse_u64(a, val, 100, 60000, &v))
			return -1;
		o->audio_ms = (uint32_t)v;
		return 0;
	case OPT_AUDIO_STALL:
		if (tool_parse_u64(a, val, 1, 1000, &v))
			return -1;
		o->audio_stall_ms = (uint32_t)v;
		return 0;
	case OPT_LAT_COUNT:
		return tool_parse_u64(a, val, 100, 100000000, &o->lat_count);
	case OPT_PIN:
		if (tool_parse_u64(a, val, 0, CPU_SETSIZE - 1, &v))
			return -1;
		o->pin = (int)v;
		return 0;
	default:
		return parse_knob(a, o, key, val);
	}
}

/* One option; 0, or -1 after a usage error. */
static int parse_opt(struct tool_args *a, struct perf_opts *o, int key, const char *val)
{
	switch (key) {
	case OPT_SIZES:
		return parse_sizes(a, val, o);
	case OPT_MODES:
		o->modes = val;
		return parse_modes(a, val);
	case OPT_QUICK:
		o->quick = true;
		return 0;
	case OPT_SPIN:
		o->spin = true;
		return 0;
	case OPT_WS:
		if (strcmp(val, "hot") && strcmp(val, "dram"))
			return tool_usage_error(a, "--ws '%s': hot or dram", val), -1;
		o->ws = strcmp(val, "hot") ? 2 : 1;
		return 0;
	case OPT_LATENCY:
		o->latency = true;
		return 0;
	case OPT_LAT_ONLY:
		o->latency = o->lat_only = true;
		return 0;
	case OPT_JSON:
	case OPT_CSV:
	case OPT_SVG:
		*(key == OPT_JSON ? &o->json : key == OPT_CSV ? &o->csv : &o->svg) = val;
		tool_output_path(val);
		return 0;
	default:
		return parse_number(a, o, key, val);
	}
}

/* Parse argv into *o: 0, 1 after --help, -1 after a usage error. */
static int parse_args(struct tool_args *a, struct perf_opts *o)
{
	const char *val;
	int key;

	a->description = perf_description;
	while ((key = tool_args_next(a, &val)) > 0) {
		if (key == TOOL_OPT_HELP) {
			tool_args_help(a);
			return 1;
		}
		if (parse_opt(a, o, key, val))
			return -1;
	}
	if (key >= 0 && o->audio_stall_ms && !o->audio_ms)
		return tool_usage_error(a, "--audio-stall '%u': only with --audio",
					 o->audio_stall_ms), -1;
	return key < 0 ? -1 : 0;
}

static void describe_machine(struct perf_report *r)
{
	char model[128] = "unknown CPU", line[256];
	struct utsname u;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *p = strchr(line, ':');

			if (p) {
				snprintf(model, sizeof(model), "%s", p + 2);
				model[strcspn(model, "\n")] = 0;
			}
			break;
		}
	}
	if (f)
		fclose(f);
	uname(&u);
	r->cpus = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(r->machine, sizeof(r->machine), "%s, %u CPUs, Linux %s", model, r->cpus,
		 u.release);
}

/* The command line, the machine and the cases: the report before the run. */
static int report_init(struct perf_report *r, const struct perf_opts *o, struct tool_args *a,
		       int argc, char **argv)
{
	size_t off = 0;
	int i;

	for (i = 0; i < argc && off < sizeof(r->command) - 2; i++)
		off += (size_t)snprintf(r->command + off, sizeof(r->command) - off, "%s%s",
					i ? " " : "dmae ", argv[i]);
	r->cases = calloc(PERF_MAX_CASES, sizeof(*r->cases));
	if (!r->cases) {
		fprintf(stderr, "dmae perf: out of memory\n");
		return TOOL_EXIT_FAIL;
	}
	if (!o->lat_only && !o->audio_ms) {
		perf_build_cases(r, o);
		if (!r->ncases)
			return tool_usage_error(a, "--modes '%s': no case at these sizes (fp-64ch: "
						"64 only; memset, fp-fill-*, desc-sg-1w: default "
						"sweep only)",
						o->modes);
	}
	describe_machine(r);
	r->reps = o->reps;
	return TOOL_EXIT_OK;
}

/* The files asked for; TOOL_EXIT_OK or TOOL_EXIT_FAIL. */
static int write_files(const struct perf_report *r, const struct perf_opts *o)
{
	int ret = TOOL_EXIT_OK;

	if (o->json && perf_write_json(o->json, r))
		ret = TOOL_EXIT_FAIL;
	if (o->csv && perf_write_csv(o->csv, r))
		ret = TOOL_EXIT_FAIL;
	if (o->svg && perf_write_svg(o->svg, r))
		ret = TOOL_EXIT_FAIL;
	return ret;
}

/* Round trips per route when only the single-operation targets want them. */
#define PERF_SINGLE_COUNT 20000u

/* Does the sweep hold the single-operation cases (64 B, one per doorbell)? */
static bool single_wanted(const struct perf_report *r)
{
	for (unsigned int i = 0; i < r->ncases; i++) {
		if (perf_case_single(&r->cases[i]))
			return true;
	}
	return false;
}

/*
 * The throughput and latency tables, the targets, the summary line and
 * the files; the run's seconds count from t0, taken before the library
 * came up.
 */
static int run_tables(struct perf_report *r, const struct perf_opts *o, struct dmae_dev *dev,
		      uint64_t t0)
{
	int ret = TOOL_EXIT_OK;

	r->rtt_before_ns = line_rtt_ns();
	if (!o->lat_only) {
		r->failures = perf_run_cases(r, o, dev);
		if (r->failures)
			ret = TOOL_EXIT_FAIL;
		perf_set_ratios(r);
		r->rtt_after_ns = line_rtt_ns();
		perf_print_table(tool_report, r);
	}
	if (o->latency || single_wanted(r)) {
		/* without --latency: the single-operation round trips of the targets */
		if (perf_latency_run(r, o->latency ? o->lat_count : PERF_SINGLE_COUNT, true,
				     o->latency, !o->latency))
			ret = TOOL_EXIT_FAIL;
		perf_print_latency(tool_report, r);
	}
	perf_print_targets(tool_report, r);
	r->seconds = (double)(dmae_time_ns() - t0) / 1e9;
	fprintf(tool_report, "\n%u cases, %u failed, %.1f s%s\n", r->ncases, r->failures,
		r->seconds, r->failures ? "" : ", all destinations verified");
	fflush(tool_report);
	if (write_files(r, o))
		ret = TOOL_EXIT_FAIL;
	return ret;
}

/* With the library up: buffers, then the audio table or the others. */
static int run(struct perf_report *r, const struct perf_opts *o, uint64_t t0)
{
	struct dmae_dev *dev = NULL;
	int ret;

	if (dmae_dev_create("dmae-perf", &dev))
		return TOOL_EXIT_FAIL;
	if (perf_buffers_alloc()) {
		fprintf(stderr, "dmae perf: out of memory\n");
		ret = TOOL_EXIT_FAIL;
	} else if (o->audio_ms) {
		ret = perf_audio_run(tool_report, o->audio_ms, o->audio_stall_ms) ? TOOL_EXIT_FAIL
										    : TOOL_EXIT_OK;
	} else {
		ret = run_tables(r, o, dev, t0);
	}
	perf_buffers_free();
	dmae_dev_destroy(dev);
	return ret;
}

int cmd_perf(int argc, char **argv)
{
	struct perf_opts o = { .time_ns = 60000000, .reps = 5, .burst = 32, .qd = PERF_QMAX,
			       .lat_count = 100000, .pin = -1 };
	struct perf_report r = { 0 };
	struct tool_args a;
	uint64_t t0;
	int ret;

	tool_args_init(&a, "dmae perf", argc, argv, perf_opts_table);
	ret = parse_args(&a, &o);
	if (ret)
		return ret < 0 ? TOOL_EXIT_USAGE : TOOL_EXIT_OK;
	ret = report_init(&r, &o, &a, argc, argv);
	t0 = dmae_time_ns();
	if (ret == TOOL_EXIT_OK) {
		if (dmae_init()) {
			fprintf(stderr, "dmae perf: dmae_init failed\n");
			ret = TOOL_EXIT_FAIL;
		} else {
			ret = run(&r, &o, t0);
			dmae_exit();
		}
	}
	free(r.cases);
	free(r.lat);
	return ret;
}
