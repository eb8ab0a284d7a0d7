/* SPDX-License-Identifier: MIT */
/*
 * tools/dpdk-compare/skel_perf.c - DPDK dmadev with its software engine
 * (dma_skeleton), driven the way DPDK's own test-dma-perf drives a device,
 * for a side-by-side with dmae's fast path ("dmae perf --modes fp-1w
 * --spin --pin CPU", the same loop).
 *
 * Optional side tool, not part of dmae: it links DPDK (Debian's
 * libdpdk-dev, see install-deps.sh), is built only by this directory's
 * Makefile and is run only by compare.sh.
 *
 * The client is one EAL lcore pinned to one CPU (--pin, default 0) that
 * never yields, as test-dma-perf's worker lcore: it keeps up to --inflight
 * operations in flight on a ring of --qd (1024); each turn of the loop
 * polls completions (rte_dma_completed, up to 0xffff), then enqueues
 * min(burst, room) copies (rte_dma_copy) and rings the doorbell once
 * (rte_dma_submit).  The skeleton's worker is an EAL control thread, which
 * the EAL places on the CPUs no lcore uses.  The loop is dmae perf's
 * run_engine() with --spin: same working sets ("hot": 64 KiB per side or
 * one operation; "dram": 64 MiB per side; slot k at (k mod slots) * size,
 * 4096-aligned buffers), same clock reads per turn, same latency sample
 * bookkeeping.  A warm-up of a third of --time, then --reps repetitions
 * of --time; the median repetition (by Mops/s) is reported.  Every
 * destination byte is checked afterwards: a mismatch or a completion
 * error exits 1.
 *
 * The thread-to-thread cache line round trip (a ping-pong, as dmae perf
 * measures it) is printed before and after, so that the vCPU placement
 * of the run is visible (docs/performance.md, "Placement").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_dmadev.h>

#include "line_rtt.h"

#define SP_HOT_WS (64u << 10)
#define SP_DRAM_WS (64u << 20)
#define SP_MAX_SIZE (4u << 20)
#define SP_QMAX 1024u
#define SP_MAX_REPS 15u
#define SP_MAX_SAMPLES (1u << 20)
#define SP_VDEV "dma_skeleton0"

struct sp_opts {
	uint64_t time_ns;
	unsigned int reps;
	unsigned int burst;
	unsigned int qd;
	unsigned int inflight;	/* operations in flight at most (<= qd) */
	unsigned int pin;	/* the lcore's CPU */
	uint32_t size;
	bool dram;		/* 64 MiB working set per side */
	bool verbose;
};

struct sp_rep {
	uint64_t ops;
	double secs;
	double submit_ns;	/* per op, enqueue + doorbell, every 16th turn */
	double cpu_ns;		/* client CPU time per op */
};

static int16_t dev_id = -1;
static uint8_t *src_buf, *dst_buf;
static uint64_t ws, nslots;
static uint64_t tsub[SP_QMAX];
static uint64_t *samples;
static uint64_t nsamples;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the threads of this process --------------------------------------------- */

struct sp_thread {
	int tid;
	char comm[32];
	char cpus[64];			/* Cpus_allowed_list */
	uint64_t cpu_ticks;		/* utime + stime */
	uint64_t vol_switches;		/* voluntary_ctxt_switches */
};

static void read_line_value(const char *path, const char *key, char *out, size_t len)
{
	char line[256];
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");

	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n)) {
			const char *p = line + n;

			while (*p == ' ' || *p == '\t')
				p++;
			snprintf(out, len, "%s", p);
			out[strcspn(out, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

static int thread_read(int tid, struct sp_thread *t)
{
	char path[96], buf[512], val[64], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	memset(t, 0, sizeof(*t));
	t->tid = tid;
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	read_line_value(path, "", t->comm, sizeof(t->comm));
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	read_line_value(path, "Cpus_allowed_list:", t->cpus, sizeof(t->cpus));
	read_line_value(path, "voluntary_ctxt_switches:", val, sizeof(val));
	t->vol_switches = strtoull(val, NULL, 10);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		/* fields after "(comm)": state is field 3, utime 14, stime 15 */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&ut, &st) == 2)
			t->cpu_ticks = ut + st;
	}
	fclose(f);
	return 0;
}

/* Print every thread with its CPU affinity; return the tid of the engine's. */
static int list_threads(FILE *out, const char *worker_prefix)
{
	struct sp_thread t;
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");
	int worker = -1;

	fprintf(out, "threads (name tid: allowed CPUs):");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || thread_read(atoi(e->d_name), &t))
			continue;
		fprintf(out, " %s %d: %s;", t.comm, t.tid, t.cpus);
		if (!strncmp(t.comm, worker_prefix, strlen(worker_prefix)))
			worker = t.tid;
	}
	if (d)
		closedir(d);
	fprintf(out, "\n");
	return worker;
}

/* ---- one repetition ---------------------------------------------------------- */

/*
 * Offset of the next slot, stepped as dmae perf steps it (no 64-bit
 * division per operation).
 */
static inline uint64_t slot_next(uint32_t size, uint64_t *off)
{
	uint64_t o = *off;

	*off = o + size > ws - size ? 0 : o + size;
	return o;
}

/* The loop of dmae perf's run_engine() for one fast path channel, with --spin. */
static int run_rep(const struct sp_opts *o, uint64_t dur_ns, struct sp_rep *rr)
{
	uint64_t t0 = now_ns(), c0 = cpu_ns(), end = t0 + dur_ns;
	uint64_t sent = 0, done = 0, submit_ns = 0, timed_ops = 0, next = 0;
	unsigned int it = 0;
	bool stopping = false;

	nsamples = 0;
	for (;;) {
		uint64_t t = now_ns(), k = 0;
		uint16_t n = 0;

		it++;
		if (done != sent) {
			bool err = false;

			n = rte_dma_completed(dev_id, 0, 0xffff, NULL, &err);
			if (err) {
				fprintf(stderr, "skel_perf: an operation failed\n");
				return -1;
			}
		}
		for (uint16_t i = 0; i < n; i++) {
			if (nsamples < SP_MAX_SAMPLES)
				samples[nsamples++] = t - tsub[(done + i) % SP_QMAX];
		}
		done += n;
		if (!stopping && t >= end)
			stopping = true;
		if (!stopping) {
			uint64_t room = o->inflight - (sent - done), ts = 0;
			bool timed = !(it & 15);

			k = room < o->burst ? room : o->burst;
			if (k && timed)
				ts = now_ns();
			for (uint64_t j = 0; j < k; j++) {
				uint64_t prev = next, off = slot_next(o->size, &next);
				rte_iova_t src = (rte_iova_t)(uintptr_t)(src_buf + off);
				rte_iova_t dst = (rte_iova_t)(uintptr_t)(dst_buf + off);
				int ret = rte_dma_copy(dev_id, 0, src, dst, o->size, 0);

				if (ret == -ENOSPC) {
					next = prev;
					k = j;
					break;
				}
				if (ret < 0) {
					fprintf(stderr, "skel_perf: rte_dma_copy: %s\n",
						strerror(-ret));
					return -1;
				}
				tsub[sent % SP_QMAX] = t;
				sent++;
			}
			if (k) {
				rte_dma_submit(dev_id, 0);
				if (timed) {
					submit_ns += now_ns() - ts;
					timed_ops += k;
				}
			}
		} else if (done == sent) {
			break;
		}
	}
	rr->ops = done;
	rr->secs = (double)(now_ns() - t0) / 1e9;
	rr->cpu_ns = done ? (double)(cpu_ns() - c0) / (double)done : 0;
	rr->submit_ns = timed_ops ? (double)submit_ns / (double)timed_ops : 0;
	return 0;
}

static int cmp_rep(const void *a, const void *b)
{
	const struct sp_rep *x = a, *y = b;
	double rx = (double)x->ops / x->secs, ry = (double)y->ops / y->secs;

	return rx < ry ? -1 : rx > ry;
}

/* ---- the device ----------------------------------------------------------------- */

static int dev_setup(const struct sp_opts *o)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = (uint16_t)o->qd,
	};
	struct rte_dma_info info;
	int ret;

	dev_id = (int16_t)rte_dma_get_dev_id_by_name(SP_VDEV);
	if (dev_id < 0) {
		fprintf(stderr, "skel_perf: no dmadev named %s (is librte_dma_skeleton loaded?)\n",
			SP_VDEV);
		return -1;
	}
	ret = rte_dma_info_get(dev_id, &info);
	if (!ret && (o->qd < info.min_desc || o->qd > info.max_desc)) {
		fprintf(stderr, "skel_perf: --qd %u outside the device's %u..%u\n", o->qd,
			info.min_desc, info.max_desc);
		return -1;
	}
	if (!ret)
		ret = rte_dma_configure(dev_id, &conf);
	if (!ret)
		ret = rte_dma_vchan_setup(dev_id, 0, &vconf);
	if (ret) {
		fprintf(stderr, "skel_perf: configuring %s: %s\n", SP_VDEV, strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * EAL arguments: no hugepages, no PCI scan, no shared files, IOVA = VA
 * (the skeleton copies with the CPU, so a plain malloc'd buffer's address
 * is its IOVA), the skeleton as a virtual device, and the one lcore pinned
 * to CPU pin, as test-dma-perf pins its lcores.
 */
static int eal_start(const char *prog, unsigned int pin, bool verbose)
{
	static char lcores[64], prefix[64];
	char *argv[16];
	int argc = 0, ret;

	snprintf(lcores, sizeof(lcores), "--lcores=0@%u", pin);
	snprintf(prefix, sizeof(prefix), "--file-prefix=skel_perf_%d", (int)getpid());

	argv[argc++] = (char *)prog;
	argv[argc++] = lcores;
	argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = "256";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--no-shconf";
	argv[argc++] = "--no-telemetry";
	argv[argc++] = "--iova-mode=va";
	argv[argc++] = prefix;
	argv[argc++] = "--vdev=" SP_VDEV;
	if (!verbose)
		argv[argc++] = "--log-level=*:error";
	argv[argc] = NULL;
	if (verbose) {
		for (int i = 0; i < argc; i++)
			fprintf(stderr, "%s%s", argv[i], i + 1 < argc ? " " : "\n");
	}
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "skel_perf: rte_eal_init failed: %s\n", strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* ---- command line ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: skel_perf [--time SECONDS] [--reps N] [--burst N] [--size BYTES]\n"
		"                 [--ws hot|dram] [--qd N] [--inflight N] [--pin CPU]\n"
		"                 [--verbose]\n"
		"\n"
		"DPDK dmadev + dma_skeleton, driven as DPDK's test-dma-perf drives it\n"
		"(one pinned lcore that spins) and as \"dmae perf --modes fp-1w --spin\"\n"
		"drives dmae: a warm-up, then --reps timed repetitions (median\n"
		"reported); destinations verified.\n"
		"\n"
		"  --time SECONDS  one repetition (default 0.06)\n"
		"  --reps N        repetitions, 3..15 (default 5)\n"
		"  --burst N       copies per doorbell, 1..1024 (default 32)\n"
		"  --size BYTES    copy size, 1..4194304 (default 64)\n"
		"  --ws SET        hot (64 KiB per side, default) or dram (64 MiB per side)\n"
		"  --qd N          ring size, a power of two (default 1024; the skeleton\n"
		"                  holds qd - 1)\n"
		"  --inflight N    operations in flight at most (default: qd)\n"
		"  --pin CPU       the lcore's CPU (default 0)\n"
		"  --verbose       EAL's own log messages and the EAL arguments\n");
}

static int parse_u(const char *s, unsigned long lo, unsigned long hi, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct sp_opts *o)
{
	const char *a = NULL;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned int u;
		double d;
		char *end;

		a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--verbose")) {
			o->verbose = true;
			continue;
		}
		if (!v)
			goto bad;
		i++;
		if (!strcmp(a, "--time")) {
			d = strtod(v, &end);
			if (end == v || *end || d < 0.001 || d > 60)
				goto bad;
			o->time_ns = (uint64_t)(d * 1e9);
		} else if (!strcmp(a, "--reps")) {
			if (parse_u(v, 3, SP_MAX_REPS, &o->reps))
				goto bad;
		} else if (!strcmp(a, "--burst")) {
			if (parse_u(v, 1, SP_QMAX, &o->burst))
				goto bad;
		} else if (!strcmp(a, "--size")) {
			if (parse_u(v, 1, SP_MAX_SIZE, &u))
				goto bad;
			o->size = u;
		} else if (!strcmp(a, "--ws")) {
			if (strcmp(v, "hot") && strcmp(v, "dram"))
				goto bad;
			o->dram = !strcmp(v, "dram");
		} else if (!strcmp(a, "--inflight")) {
			if (parse_u(v, 1, SP_QMAX, &o->inflight))
				goto bad;
		} else if (!strcmp(a, "--pin")) {
			if (parse_u(v, 0, CPU_SETSIZE - 1, &o->pin))
				goto bad;
		} else if (!strcmp(a, "--qd")) {
			if (parse_u(v, 32, SP_QMAX, &o->qd) || (o->qd & (o->qd - 1)))
				goto bad;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "skel_perf: bad or missing value, or unknown option: %s\n\n", a);
	usage(stderr);
	return -1;
}

/* ---- main ---------------------------------------------------------------------------- */

/* What a run measured, for the report. */
struct sp_run {
	struct sp_rep reps[SP_MAX_REPS];
	double mops[SP_MAX_REPS];
	uint64_t max_ops;
	int worker;			/* the skeleton's worker thread id, or -1 */
	struct sp_thread w0, w1;	/* its counters before and after the timed reps */
	double wall;			/* seconds of the timed reps */
	double rtt_before, rtt_after;
};

/* The source pattern, a cleared destination, the latency samples. */
static int bufs_alloc(const struct sp_opts *o)
{
	uint64_t i;

	ws = o->dram ? SP_DRAM_WS : o->size > SP_HOT_WS ? o->size : SP_HOT_WS;
	nslots = ws / o->size;
	src_buf = aligned_alloc(4096, ws);
	dst_buf = aligned_alloc(4096, ws);
	samples = malloc(sizeof(*samples) * SP_MAX_SAMPLES);
	if (!src_buf || !dst_buf || !samples) {
		fprintf(stderr, "skel_perf: out of memory\n");
		return -1;
	}
	for (i = 0; i < ws / 8; i++)
		((uint64_t *)(void *)src_buf)[i] = i * 0x9e3779b97f4a7c15ull;
	memset(dst_buf, 0, ws);
	return 0;
}

/* The warm-up (a third of --time, as dmae perf), then the timed repetitions. */
static int run_all(const struct sp_opts *o, struct sp_run *run)
{
	uint64_t t0, t1;
	unsigned int r;

	if (run_rep(o, o->time_ns / 3, &run->reps[0]))
		return -1;
	if (run->worker >= 0)
		thread_read(run->worker, &run->w0);
	t0 = now_ns();
	for (r = 0; r < o->reps; r++) {
		if (run_rep(o, o->time_ns, &run->reps[r]))
			return -1;
		run->mops[r] = (double)run->reps[r].ops / run->reps[r].secs / 1e6;
		if (run->reps[r].ops > run->max_ops)
			run->max_ops = run->reps[r].ops;
	}
	t1 = now_ns();
	if (run->worker >= 0)
		thread_read(run->worker, &run->w1);
	run->wall = (double)(t1 - t0) / 1e9;
	return 0;
}

/* The device counted every operation submitted as completed, none failed. */
static int check_stats(void)
{
	struct rte_dma_stats st;

	if (rte_dma_stats_get(dev_id, 0, &st) == 0 &&
	    (st.errors || st.completed != st.submitted)) {
		fprintf(stderr, "skel_perf: device stats: %" PRIu64 " submitted, %" PRIu64
			" completed, %" PRIu64 " errors\n", st.submitted, st.completed, st.errors);
		return -1;
	}
	return 0;
}

static void report(const struct sp_opts *o, struct sp_run *run)
{
	const struct sp_rep *m;
	unsigned int r;

	printf("thread-to-thread cache line round trip: %.0f ns before, %.0f ns after\n",
	       run->rtt_before, run->rtt_after);
	if (run->worker >= 0) {
		long hz = sysconf(_SC_CLK_TCK);
		double busy = (double)(run->w1.cpu_ticks - run->w0.cpu_ticks) / (double)hz;

		printf("skeleton worker %s (tid %d): CPUs %s; during the timed reps: %.0f%% of "
		       "one CPU, %" PRIu64 " voluntary context switches\n", run->w1.comm,
		       run->w1.tid, run->w1.cpus, 100.0 * busy / run->wall,
		       run->w1.vol_switches - run->w0.vol_switches);
	}
	qsort(run->reps, o->reps, sizeof(run->reps[0]), cmp_rep);
	m = &run->reps[o->reps / 2];
	printf("client per op: %.1f ns in enqueue + doorbell, %.1f ns CPU (median rep)\n",
	       m->submit_ns, m->cpu_ns);
	printf("dpdk-skeleton copy %u %s burst %u ring %u inflight %u: %.4f Mops/s, %.3f GB/s "
	       "(median of %u:", o->size, o->dram ? "dram" : "hot", o->burst, o->qd, o->inflight,
	       (double)m->ops / m->secs / 1e6, (double)m->ops * o->size / m->secs / 1e9, o->reps);
	for (r = 0; r < o->reps; r++)
		printf(" %.2f", run->mops[r]);
	printf("), all destinations verified\n");
}

int main(int argc, char **argv)
{
	struct sp_opts o = { .time_ns = 60000000, .reps = 5, .burst = 32, .qd = SP_QMAX,
			     .size = 64 };
	struct sp_run run = { .worker = -1 };
	bool started = false;
	int ret = 1;

	if (parse_args(argc, argv, &o))
		return 2;
	if (!o.inflight || o.inflight > o.qd)
		o.inflight = o.qd;
	if (o.burst > o.inflight)
		o.burst = o.inflight;
	if (bufs_alloc(&o) || eal_start(argv[0], o.pin, o.verbose))
		return 1;
	if (dev_setup(&o))
		goto out;
	run.rtt_before = line_rtt_ns();
	if (rte_dma_start(dev_id)) {
		fprintf(stderr, "skel_perf: rte_dma_start failed\n");
		goto out;
	}
	started = true;
	run.worker = list_threads(stdout, "dma_skel");
	if (run.worker < 0)
		printf("skeleton worker thread not found\n");
	if (run_all(&o, &run) || check_stats())
		goto out;
	rte_dma_stop(dev_id);
	started = false;
	run.rtt_after = line_rtt_ns();

	/* each repetition writes slots 0, 1, ... from the start */
	if (!run.max_ops ||
	    memcmp(dst_buf, src_buf, (run.max_ops < nslots ? run.max_ops : nslots) * o.size)) {
		fprintf(stderr, "skel_perf: destination data is wrong\n");
		goto out;
	}
	report(&o, &run);
	ret = 0;
out:
	if (started)
		rte_dma_stop(dev_id);
	if (dev_id >= 0)
		rte_dma_close(dev_id);
	rte_eal_cleanup();
	free(samples);
	free(src_buf);
	free(dst_buf);
	return ret;
}
