/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_out.c - what "dmae perf" prints and writes: the aligned
 * tables, the target summary, JSON (every figure), CSV (the throughput
 * table) and an SVG chart of GB/s against transfer size per mode.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"

static const char *const api_names[PERF_API_COUNT] = { "cpu", "fp", "desc-poll", "desc-bh",
						       "desc-irq" };
static const char *const op_names[] = { "copy", "fill", "sg" };

static void fmt_size(char *buf, size_t len, uint64_t s)
{
	if (s >= (1u << 20) && !(s % (1u << 20)))
		snprintf(buf, len, "%" PRIu64 "M", s >> 20);
	else if (s >= 1024 && !(s % 1024))
		snprintf(buf, len, "%" PRIu64 "K", s >> 10);
	else
		snprintf(buf, len, "%" PRIu64, s);
}

static const struct perf_case *find(const struct perf_report *r, const char *name,
				    uint64_t size, int cold)
{
	unsigned int i;

	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		if (!strcmp(c->name, name) && c->size == size && (cold < 0 || c->cold == cold))
			return c;
	}
	return NULL;
}

/* ---- targets ------------------------------------------------------------------------ */

/*
 * Every target is a ratio of two figures of this run: two cases, a case
 * and the line round trip measured in the run, or a client cost in ns
 * beside that round trip.
 */
struct target {
	const char *what;
	double value;
	double goal;
	bool higher;	/* value must be >= goal (else <=) */
	bool present;
	bool moved;	/* the placement changed while its figures ran */
};

#define PERF_MAX_TARGETS 32

static char target_names[PERF_MAX_TARGETS][80];

static void add_target(struct target *t, unsigned int *n, double value, double goal, bool higher,
		       bool present, const char *fmt, const char *arg)
{
	if (*n == PERF_MAX_TARGETS)
		return;
	snprintf(target_names[*n], sizeof(target_names[0]), fmt, arg);
	t[*n] = (struct target){ target_names[*n], present ? value : 0, goal, higher, present,
				 false };
	(*n)++;
}

/* Throughput of a against b (perf_ratio()), both 64 B hot; "present" only with both. */
static void mops_target(struct target *t, unsigned int *n, const struct perf_case *a,
			const struct perf_case *b, double goal, const char *what)
{
	add_target(t, n, perf_ratio(a, b), goal, true, a && b, "%s", what);
}

static const struct perf_lat_row *lat_find(const struct perf_report *r, const char *mode)
{
	for (unsigned int i = 0; i < r->nlat; i++) {
		if (!strcmp(r->lat[i].mode, mode) && !r->lat[i].loaded)
			return &r->lat[i];
	}
	return NULL;
}

/* Large copies: engine against the CPU limits, descriptors against the fast path. */
static void large_targets(const struct perf_report *r, struct target *t, unsigned int *n)
{
	static const uint64_t large[] = { 65536, 262144, 1048576, 4194304 };

	for (unsigned int i = 0; i < sizeof(large) / sizeof(large[0]); i++) {
		const struct perf_case *w1 = find(r, "fp-1w", large[i], 1);
		const struct perf_case *w2 = find(r, "fp-2w", large[i], 1);
		const struct perf_case *dp = find(r, "desc-poll-1w", large[i], 1);
		const struct perf_case *db = find(r, "desc-bh-1w", large[i], 1);
		char sz[24];

		fmt_size(sz, sizeof(sz), large[i]);
		add_target(t, n, w1 ? w1->ratio_best : 0, 0.9, true, w1 && w1->ratio_best > 0,
			   "fp %s DRAM, 1 worker: x best 1-thread CPU copy", sz);
		add_target(t, n, w2 ? w2->ratio_2t : 0, 0.9, true, w2 && w2->ratio_2t > 0,
			   "fp %s DRAM, 2 workers: x 2-thread CPU copy", sz);
		add_target(t, n, perf_ratio(dp, w1), 0.95, true, dp && w1,
			   "desc polled %s DRAM: x fast path (1 worker)", sz);
		add_target(t, n, perf_ratio(db, w1), 0.95, true, db && w1,
			   "desc BH %s DRAM: x fast path (1 worker)", sz);
	}
}

/*
 * Single operations: client CPU per operation at one per doorbell (goal
 * 150 ns), shown beside the line round trip, and the round trip of one
 * operation in flight in line round trips (goal 2).
 */
/* A ratio to a baseline of this run, or "-" when the run measured none. */
static void fmt_ratio(char *buf, size_t len, double v)
{
	if (v > 0)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "-");
}

/*
 * Did the vCPUs' placement change between the line round trips measured
 * right before and right after a figure?  Then its ratio to the one before
 * describes neither placement.
 */
static bool placement_moved(double before, double after)
{
	return before > 0 && after > 0 && (before > 1.5 * after || after > 1.5 * before);
}

static bool case_moved(const struct perf_case *c)
{
	return c && placement_moved(c->rtt_ns, c->rtt_after_ns);
}

static bool row_moved(const struct perf_lat_row *l)
{
	return l && placement_moved(l->rtt_ns, l->rtt_after_ns);
}

static void single_targets(const struct perf_report *r, struct target *t, unsigned int *n)
{
	const struct perf_case *fb = find(r, "fp-1w-b1", 64, -1);
	const struct perf_case *ib = find(r, "desc-irq-1w-b1", 64, -1);
	const struct perf_lat_row *lf = lat_find(r, "fp");
	const struct perf_lat_row *lh = lat_find(r, "hardirq");

	add_target(t, n, fb ? fb->cpu_ns : 0, 150, false, fb != NULL,
		   "%s", "fp 64B burst 1: client CPU ns per op");
	t[*n - 1].moved = case_moved(fb);
	add_target(t, n, ib ? ib->cpu_ns : 0, 150, false, ib != NULL,
		   "%s", "desc hard-IRQ cb 64B burst 1: client CPU ns per op");
	t[*n - 1].moved = case_moved(ib);
	add_target(t, n, lf && lf->rtt_ns > 0 ? lf->p50_ns / lf->rtt_ns : 0, 2, false,
		   lf && lf->rtt_ns > 0, "%s", "fp 64B one in flight: round trip p50 / line RTT");
	t[*n - 1].moved = row_moved(lf);
	add_target(t, n, lh && lh->rtt_ns > 0 ? lh->p50_ns / lh->rtt_ns : 0, 2, false,
		   lh && lh->rtt_ns > 0, "%s", "desc hard-IRQ cb one in flight: p50 / line RTT");
	t[*n - 1].moved = row_moved(lh);
}

static unsigned int targets(const struct perf_report *r, struct target *t)
{
	const struct perf_case *fp = find(r, "fp-1w", 64, -1);
	const struct perf_case *fp64 = find(r, "fp-64ch", 64, -1);
	unsigned int n = 0;

	mops_target(t, &n, find(r, "desc-bh-1w", 64, -1), fp, 0.4,
		    "desc BH callbacks 64B, one submitter: x fast path");
	mops_target(t, &n, find(r, "desc-poll-1w", 64, -1), fp, 0.6,
		    "desc polled status 64B, one submitter: x fast path");
	mops_target(t, &n, find(r, "desc-bh-mt-1w", 64, -1), fp, 0.4,
		    "desc BH callbacks 64B, any-thread chan: x fast path");
	mops_target(t, &n, find(r, "desc-poll-mt-1w", 64, -1), fp, 0.6,
		    "desc polled status 64B, any-thread chan: x fast path");
	add_target(t, &n, fp && fp64 && fp->submit_ns > 0 ? fp64->submit_ns / fp->submit_ns : 0,
		   1.1, false, fp && fp64, "%s", "submit ns/op 64B, 64 channels / 1 channel");
	large_targets(r, t, &n);
	single_targets(r, t, &n);
	return n;
}

static bool target_met(const struct target *t)
{
	return t->present && (t->higher ? t->value >= t->goal : t->value <= t->goal);
}

/* ---- text ---------------------------------------------------------------------------- */

void perf_print_table(FILE *out, const struct perf_report *r)
{
	unsigned int i;

	fprintf(out, "dmae perf on %s; median of %u repetitions\n", r->machine, r->reps);
	fprintf(out, "thread-to-thread cache line round trip: %.0f ns before, %.0f ns after "
		"(see docs/performance.md, \"Placement\")\n\n", r->rtt_before_ns, r->rtt_after_ns);
	fprintf(out, "%-15s %-5s %5s %4s %3s %2s %5s %4s %8s %7s %8s %8s %8s %8s %9s %6s %6s %6s "
		     "%s\n",
		"mode", "op", "size", "ws", "ch", "w", "burst", "qd", "Mops/s", "GB/s",
		"sub-ns", "cpu-ns", "p50-us", "p99-us", "max-us", "xlibc", "xbest", "x2t", "ok");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];
		char sz[24], xlibc[16], xbest[16], x2t[16];

		fmt_size(sz, sizeof(sz), c->size);
		fmt_ratio(xlibc, sizeof(xlibc), c->ratio);
		fmt_ratio(xbest, sizeof(xbest), c->ratio_best);
		fmt_ratio(x2t, sizeof(x2t), c->ratio_2t);
		fprintf(out, "%-15s %-5s %5s %4s %3u %2u %5u %4u %8.2f %7.2f %8.1f %8.1f "
			     "%8.2f %8.2f %9.1f %6s %6s %6s %s\n",
			c->name, op_names[c->op], sz, c->cold ? "dram" : "hot", c->chans,
			c->api == PERF_CPU && c->cpu == PERF_CPU_2T ? 2 : c->workers,
			c->burst, c->api == PERF_CPU ? 0 : c->qd, c->mops, c->gbs, c->submit_ns,
			c->cpu_ns, c->p50_ns / 1e3, c->p99_ns / 1e3, c->max_ns / 1e3, xlibc,
			xbest, x2t, c->verified ? "yes" : "NO");
	}
	fprintf(out, "\nxlibc: GB/s / glibc memcpy (memset); xbest: / the faster of glibc and a "
		     "non-temporal copy (cpu-nt),\none thread; x2t: / two threads copying "
		     "(cpu-2t); same operation, size and working set, this run;\n"
		     "-: no such baseline in this run (--modes left it out)\n");
}

/* Single operations: client CPU and round trip, in ns and in line round trips. */
static void print_single(FILE *out, const struct perf_report *r)
{
	static const char *const modes[2][2] = { { "fp-1w-b1", "fp" },
						 { "desc-irq-1w-b1", "hardirq" } };
	bool head = false;

	for (unsigned int i = 0; i < 2; i++) {
		const struct perf_case *c = find(r, modes[i][0], 64, -1);
		const struct perf_lat_row *l = lat_find(r, modes[i][1]);

		if (!c || !l || !(c->rtt_ns > 0) || !(l->rtt_ns > 0))
			continue;
		if (!head)
			fprintf(out, "\nsingle operations, 64 B, one per doorbell (each beside the line "
				     "round trip measured right before it):\n");
		head = true;
		fprintf(out, "  %-15s client CPU %6.1f ns/op = %5.2f x %.0f ns; one in flight: "
			     "round trip p50 %6.0f ns = %5.2f x %.0f ns\n",
			c->name, c->cpu_ns, c->cpu_ns / c->rtt_ns, c->rtt_ns, l->p50_ns,
			l->p50_ns / l->rtt_ns, l->rtt_ns);
		if (case_moved(c) || row_moved(l))
			fprintf(out, "  %-15s the placement changed meanwhile: line round trip %.0f ns "
				     "after the case, %.0f ns after the row\n",
				"", c->rtt_after_ns, l->rtt_after_ns);
	}
}

void perf_print_targets(FILE *out, const struct perf_report *r)
{
	struct target t[PERF_MAX_TARGETS];
	unsigned int i, n = targets(r, t), shown = 0;

	print_single(out, r);
	for (i = 0; i < n; i++) {
		if (!t[i].present)
			continue;
		if (!shown++)
			fprintf(out, "\ntargets, figures of this run only:\n");
		fprintf(out, "  %-58s %7.2f  (%s %g) %s%s\n", t[i].what, t[i].value,
			t[i].higher ? ">=" : "<=", t[i].goal, target_met(&t[i]) ? "met" : "NOT met",
			t[i].moved ? " (the placement changed meanwhile)" : "");
	}
}

void perf_print_latency(FILE *out, const struct perf_report *r)
{
	unsigned int i;

	fprintf(out, "\nlatency per context: one 64 B copy in flight, submit on the client "
		     "thread -> result observed on it\n");
	fprintf(out, "%-11s %-7s %8s %8s %8s %8s %9s %8s %7s %7s\n", "route", "cpus", "n",
		"p50-us", "p99-us", "p999-us", "max-us", "rtt-ns", "p50/rtt", "p99/rtt");
	for (i = 0; i < r->nlat; i++) {
		const struct perf_lat_row *l = &r->lat[i];
		double q = l->rtt_ns > 0 ? l->rtt_ns : 1;

		fprintf(out, "%-11s %-7s %8" PRIu64 " %8.2f %8.2f %8.2f %9.1f %8.0f %7.2f %7.2f\n",
			l->mode, l->loaded ? "loaded" : "idle", l->n, l->p50_ns / 1e3,
			l->p99_ns / 1e3, l->p999_ns / 1e3, l->max_ns / 1e3, l->rtt_ns,
			l->p50_ns / q, l->p99_ns / q);
	}
	fprintf(out, "rtt-ns: the thread-to-thread cache line round trip measured before the "
		     "row (loaded: before the hog started)\n");
}

/* ---- files ----------------------------------------------------------------------------- */

static FILE *open_out(const char *path)
{
	return tool_out_open("dmae perf", path);
}

static int close_out(FILE *f, const char *path)
{
	return tool_out_close("dmae perf", f, path);
}

int perf_write_json(const char *path, const struct perf_report *r)
{
	FILE *f = open_out(path);
	struct target t[PERF_MAX_TARGETS];
	unsigned int i, n;

	if (!f)
		return -1;
	fprintf(f, "{\n  \"machine\": ");
	tool_json_str(f, r->machine);
	fprintf(f, ",\n  \"command\": ");
	tool_json_str(f, r->command);
	fprintf(f, ",\n  \"repetitions\": %u,\n  \"seconds\": %.1f,\n  \"failures\": %u,\n",
		r->reps, r->seconds, r->failures);
	fprintf(f, "  \"line_rtt_ns_before\": %.1f,\n  \"line_rtt_ns_after\": %.1f,\n",
		r->rtt_before_ns, r->rtt_after_ns);
	fprintf(f, "  \"cases\": [\n");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		fprintf(f, "    {\"mode\": \"%s\", \"api\": \"%s\", \"op\": \"%s\", \"size\": %" PRIu64
			   ", \"working_set\": \"%s\", \"working_set_bytes\": %" PRIu64
			   ", \"channels\": %u, \"workers\": %u, \"burst\": %u, \"queue_depth\": %u"
			   ", \"ops\": %" PRIu64 ", \"mops\": %.3f, \"gbs\": %.3f"
			   ", \"submit_ns_per_op\": %.2f, \"cpu_ns_per_op\": %.2f"
			   ", \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"max_ns\": %.0f"
			   ", \"ratio_to_cpu\": %.3f, \"ratio_to_best_cpu\": %.3f"
			   ", \"ratio_to_cpu_2t\": %.3f, \"verified\": %s, \"line_rtt_ns\": %.1f"
			   ", \"line_rtt_after_ns\": %.1f, \"rep_gbs\": [",
			c->name, api_names[c->api], op_names[c->op], c->size, c->cold ? "dram" : "hot",
			c->ws, c->chans, c->workers, c->burst, c->qd, c->ops, c->mops, c->gbs,
			c->submit_ns, c->cpu_ns, c->p50_ns, c->p99_ns, c->max_ns, c->ratio,
			c->ratio_best, c->ratio_2t, c->verified ? "true" : "false", c->rtt_ns,
			c->rtt_after_ns);
		for (uint32_t k = 0; k < c->nreps; k++)
			fprintf(f, "%s%.3f", k ? ", " : "", c->rep_gbs[k]);
		fprintf(f, "]}%s\n", i + 1 < r->ncases ? "," : "");
	}
	fprintf(f, "  ],\n  \"targets\": [\n");
	n = targets(r, t);
	for (i = 0; i < n; i++) {
		fprintf(f, "    {\"what\": ");
		tool_json_str(f, t[i].what);
		fprintf(f, ", \"present\": %s, \"value\": %.3f, \"goal\": %.2f, \"goal_is\": \"%s\""
			   ", \"met\": %s, \"placement_changed\": %s}%s\n",
			t[i].present ? "true" : "false", t[i].value, t[i].goal,
			t[i].higher ? "min" : "max", target_met(&t[i]) ? "true" : "false",
			t[i].moved ? "true" : "false", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ],\n  \"latency\": [\n");
	for (i = 0; i < r->nlat; i++) {
		const struct perf_lat_row *l = &r->lat[i];

		fprintf(f, "    {\"route\": \"%s\", \"cpus\": \"%s\", \"n\": %" PRIu64
			   ", \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"p999_ns\": %.0f, \"max_ns\": %.0f"
			   ", \"mean_ns\": %.0f, \"line_rtt_ns\": %.1f, \"line_rtt_after_ns\": %.1f}%s\n",
			l->mode, l->loaded ? "loaded" : "idle", l->n, l->p50_ns, l->p99_ns, l->p999_ns,
			l->max_ns, l->mean_ns, l->rtt_ns, l->rtt_after_ns, i + 1 < r->nlat ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return close_out(f, path);
}

int perf_write_csv(const char *path, const struct perf_report *r)
{
	FILE *f = open_out(path);
	unsigned int i;

	if (!f)
		return -1;
	fprintf(f, "mode,api,op,size,working_set,channels,workers,burst,queue_depth,ops,mops,gbs,"
		   "submit_ns_per_op,cpu_ns_per_op,p50_ns,p99_ns,max_ns,ratio_to_cpu,"
		   "ratio_to_best_cpu,ratio_to_cpu_2t,verified\n");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		fprintf(f, "%s,%s,%s,%" PRIu64 ",%s,%u,%u,%u,%u,%" PRIu64
			   ",%.3f,%.3f,%.2f,%.2f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,%d\n",
			c->name, api_names[c->api], op_names[c->op], c->size, c->cold ? "dram" : "hot",
			c->chans, c->workers, c->burst, c->qd, c->ops, c->mops, c->gbs, c->submit_ns,
			c->cpu_ns, c->p50_ns, c->p99_ns, c->max_ns, c->ratio, c->ratio_best,
			c->ratio_2t, c->verified);
	}
	return close_out(f, path);
}

/* log2, exact for powers of two, linear in between (no libm). */
static double lg(uint64_t s)
{
	double v = 0, x = (double)s;

	while (x >= 2) {
		x /= 2;
		v++;
	}
	return v + (x - 1);
}

static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* ---- SVG ------------------------------------------------------------------------------- */

/* The size sweep: copies, cache-resident below 64 KiB, DRAM from 64 KiB. */
static bool in_sweep(const struct perf_case *c)
{
	return c->op == PERF_COPY && c->cold == (c->size >= 65536) && c->chans <= 1;
}

/* The chart's frame, in pixels, and its scales. */
enum { SVG_W = 900, SVG_H = 540, SVG_L = 70, SVG_R = 200, SVG_T = 50, SVG_B = 60 };

struct plot {
	double xmin, xmax;	/* log2 of the sizes */
	double ymax, step;	/* GB/s */
};

static double px(const struct plot *p, double v)
{
	return SVG_L + (v - p->xmin) / (p->xmax - p->xmin) * (SVG_W - SVG_L - SVG_R);
}

static double py(const struct plot *p, double v)
{
	return SVG_H - SVG_B - v / p->ymax * (SVG_H - SVG_T - SVG_B);
}

/* The sweep's series names (at most 8) and the scales that fit them. */
static unsigned int svg_series(const struct perf_report *r, const char **series, struct plot *p)
{
	unsigned int ns = 0, i, j;

	p->xmin = 1e30;
	p->xmax = p->ymax = 0;
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		if (!in_sweep(c))
			continue;
		for (j = 0; j < ns && strcmp(series[j], c->name); j++)
			;
		if (j == ns && ns < 8)
			series[ns++] = c->name;
		p->xmin = dmin(p->xmin, lg(c->size));
		p->xmax = dmax(p->xmax, lg(c->size));
		p->ymax = dmax(p->ymax, c->gbs);
	}
	if (!ns || p->xmax <= p->xmin)
		p->xmax = p->xmin + 1;
	p->step = p->ymax > 40 ? 10 : p->ymax > 20 ? 5 : p->ymax > 8 ? 2 : 1;
	p->ymax = (double)((long long)(p->ymax / p->step) + 1) * p->step;
	if (p->ymax <= 0)
		p->ymax = 1;
	return ns;
}

/* Title, grid, tick labels, axis titles and the frame. */
static void svg_axes(FILE *f, const struct perf_report *r, const struct plot *p)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "font-family=\"sans-serif\" font-size=\"12\">\n", SVG_W, SVG_H);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"15\">dmae perf: throughput against "
		   "transfer size (copies; hot &lt; 64 KiB, DRAM from 64 KiB)</text>\n", SVG_L);
	fprintf(f, "<text x=\"%d\" y=\"40\" font-size=\"10\" fill=\"#555\">", SVG_L);
	for (const char *c = r->machine; *c; c++)
		fputs(*c == '&' ? "&amp;" : *c == '<' ? "&lt;" : (char[2]){ *c, 0 }, f);
	fprintf(f, "; median of %u</text>\n", r->reps);
	for (double y = 0; y <= p->ymax + 1e-9; y += p->step) {
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			SVG_L, SVG_W - SVG_R, py(p, y), py(p, y));
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", SVG_L - 6,
			py(p, y) + 4, y);
	}
	for (double x = p->xmin; x <= p->xmax + 1e-9; x += 1) {
		char sz[24];

		if (((int)x) % 2)
			continue;
		fmt_size(sz, sizeof(sz), (uint64_t)1 << (int)x);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n",
			px(p, x), px(p, x), SVG_T, SVG_H - SVG_B);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", px(p, x),
			SVG_H - SVG_B + 16, sz);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">transfer size (bytes, log "
		   "scale)</text>\n", (SVG_L + SVG_W - SVG_R) / 2, SVG_H - 18);
	fprintf(f, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">"
		   "GB/s</text>\n", (SVG_T + SVG_H - SVG_B) / 2);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		   "stroke=\"#333\"/>\n", SVG_L, SVG_T, SVG_W - SVG_L - SVG_R, SVG_H - SVG_T - SVG_B);
}

/* Series k: its curve (dashed for a CPU baseline), points and legend line. */
static void svg_curve(FILE *f, const struct perf_report *r, const struct plot *p,
		      const char *name, unsigned int k)
{
	static const char *const colors[] = { "#000000", "#d62728", "#1f77b4", "#2ca02c",
					      "#ff7f0e", "#9467bd", "#8c564b" };
	const char *col = colors[k % 7];
	int ly = SVG_T + 10 + 20 * (int)k;
	bool cpu = false;
	unsigned int i;

	for (i = 0; i < r->ncases; i++) {
		if (in_sweep(&r->cases[i]) && !strcmp(r->cases[i].name, name))
			cpu = r->cases[i].api == PERF_CPU;
	}
	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", col,
		cpu ? " stroke-dasharray=\"6 4\"" : "");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		if (in_sweep(c) && !strcmp(c->name, name))
			fprintf(f, "%.1f,%.1f ", px(p, lg(c->size)), py(p, c->gbs));
	}
	fprintf(f, "\"/>\n");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		if (in_sweep(c) && !strcmp(c->name, name))
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
				px(p, lg(c->size)), py(p, c->gbs), col);
	}
	fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
		   "stroke-width=\"2\"%s/>\n", SVG_W - SVG_R + 15, SVG_W - SVG_R + 45, ly, ly, col,
		cpu ? " stroke-dasharray=\"6 4\"" : "");
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", SVG_W - SVG_R + 52, ly + 4, name);
}

int perf_write_svg(const char *path, const struct perf_report *r)
{
	const char *series[8];
	struct plot p;
	unsigned int ns, k;
	FILE *f;

	ns = svg_series(r, series, &p);
	f = open_out(path);
	if (!f)
		return -1;
	svg_axes(f, r, &p);
	for (k = 0; k < ns; k++)
		svg_curve(f, r, &p, series[k], k);
	fprintf(f, "</svg>\n");
	return close_out(f, path);
}
