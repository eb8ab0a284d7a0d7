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

/* DPDK 22.11 dma_skeleton, 64 B copies, burst 32: the fast path's reference. */
#define DPDK_SKELETON_MOPS 34.0

static const char *const api_names[PERF_API_COUNT] = { "cpu", "fp", "desc-poll", "desc-bh" };
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

struct target {
	const char *what;
	double value;
	double goal;
	bool higher;	/* value must be >= goal (else <=) */
	bool present;
};

static unsigned int targets(const struct perf_report *r, struct target *t)
{
	const struct perf_case *fp = find(r, "fp-1w", 64, -1);
	const struct perf_case *bh = find(r, "desc-bh-1w", 64, -1);
	const struct perf_case *poll = find(r, "desc-poll-1w", 64, -1);
	const struct perf_case *bh_mt = find(r, "desc-bh-mt-1w", 64, -1);
	const struct perf_case *poll_mt = find(r, "desc-poll-mt-1w", 64, -1);
	const struct perf_case *fp64 = find(r, "fp-64ch", 64, -1);
	static const uint64_t large[] = { 262144, 1048576, 4194304 };
	static char names[6][64];
	unsigned int n = 0, i;

	t[n++] = (struct target){ "fp 64B burst 32, 1 worker: x DPDK skeleton (34 Mops/s)",
				  fp ? fp->mops / DPDK_SKELETON_MOPS : 0, 1.5, true, fp != NULL };
	t[n++] = (struct target){ "desc BH callbacks 64B, one submitter: x fast path",
				  fp && bh ? bh->mops / fp->mops : 0, 0.4, true, fp && bh };
	t[n++] = (struct target){ "desc polled status 64B, one submitter: x fast path",
				  fp && poll ? poll->mops / fp->mops : 0, 0.6, true, fp && poll };
	t[n++] = (struct target){ "desc BH callbacks 64B, any-thread chan: x fast path",
				  fp && bh_mt ? bh_mt->mops / fp->mops : 0, 0.4, true, fp && bh_mt };
	t[n++] = (struct target){ "desc polled status 64B, any-thread chan: x fast path",
				  fp && poll_mt ? poll_mt->mops / fp->mops : 0, 0.6, true,
				  fp && poll_mt };
	t[n++] = (struct target){ "submit ns/op 64B, 64 channels / 1 channel",
				  fp && fp64 && fp->submit_ns > 0 ? fp64->submit_ns / fp->submit_ns : 0,
				  1.1, false, fp && fp64 };
	for (i = 0; i < 3; i++) {
		const struct perf_case *w1 = find(r, "fp-1w", large[i], 1);
		const struct perf_case *w2 = find(r, "fp-2w", large[i], 1);
		char sz[24];

		fmt_size(sz, sizeof(sz), large[i]);
		snprintf(names[2 * i], sizeof(names[0]), "fp %s DRAM, 1 worker: x memcpy", sz);
		snprintf(names[2 * i + 1], sizeof(names[0]), "fp %s DRAM, 2 workers: x memcpy", sz);
		t[n++] = (struct target){ names[2 * i], w1 ? w1->ratio : 0, 0.9, true, w1 != NULL };
		t[n++] = (struct target){ names[2 * i + 1], w2 ? w2->ratio : 0, 1.0, true, w2 != NULL };
	}
	return n;
}

/* ---- text ---------------------------------------------------------------------------- */

void perf_print_table(FILE *out, const struct perf_report *r)
{
	struct target t[16];
	unsigned int i, n;

	fprintf(out, "dmae perf on %s; median of %u repetitions\n", r->machine, r->reps);
	fprintf(out, "thread-to-thread cache line round trip: %.0f ns before, %.0f ns after "
		"(see docs/performance.md, \"Placement\")\n\n", r->rtt_before_ns, r->rtt_after_ns);
	fprintf(out, "%-15s %-5s %5s %4s %3s %2s %5s %4s %8s %7s %7s %7s %8s %8s %9s %6s %s\n",
		"mode", "op", "size", "ws", "ch", "w", "burst", "qd", "Mops/s", "GB/s",
		"sub-ns", "cpu-ns", "p50-us", "p99-us", "max-us", "xcpu", "ok");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];
		char sz[24];

		fmt_size(sz, sizeof(sz), c->size);
		fprintf(out, "%-15s %-5s %5s %4s %3u %2u %5u %4u %8.2f %7.2f %7.1f %7.1f "
			     "%8.2f %8.2f %9.1f %6.2f %s\n",
			c->name, op_names[c->op], sz, c->cold ? "dram" : "hot", c->chans, c->workers,
			c->burst, c->api == PERF_CPU ? 0 : c->qd, c->mops, c->gbs, c->submit_ns,
			c->cpu_ns, c->p50_ns / 1e3, c->p99_ns / 1e3, c->max_ns / 1e3, c->ratio,
			c->verified ? "yes" : "NO");
	}
	n = targets(r, t);
	fprintf(out, "\ntargets, ratios within this run:\n");
	for (i = 0; i < n; i++) {
		if (!t[i].present)
			continue;
		fprintf(out, "  %-56s %6.2f  (%s %.2f) %s\n", t[i].what, t[i].value,
			t[i].higher ? ">=" : "<=", t[i].goal,
			(t[i].higher ? t[i].value >= t[i].goal : t[i].value <= t[i].goal) ? "met"
											   : "NOT met");
	}
}

void perf_print_latency(FILE *out, const struct perf_report *r)
{
	unsigned int i;

	fprintf(out, "\ncompletion latency, engine timestamp -> observer, one 64 B copy in flight\n");
	fprintf(out, "%-11s %-7s %8s %9s %9s %9s %9s\n", "route", "cpus", "n", "p50-us", "p99-us",
		"max-us", "mean-us");
	for (i = 0; i < r->nlat; i++) {
		const struct perf_lat_row *l = &r->lat[i];

		fprintf(out, "%-11s %-7s %8" PRIu64 " %9.2f %9.2f %9.1f %9.2f\n", l->mode,
			l->loaded ? "loaded" : "idle", l->n, l->p50_ns / 1e3, l->p99_ns / 1e3,
			l->max_ns / 1e3, l->mean_ns / 1e3);
	}
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
	struct target t[16];
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
			   ", \"ratio_to_cpu\": %.3f, \"verified\": %s}%s\n",
			c->name, api_names[c->api], op_names[c->op], c->size, c->cold ? "dram" : "hot",
			c->ws, c->chans, c->workers, c->burst, c->qd, c->ops, c->mops, c->gbs,
			c->submit_ns, c->cpu_ns, c->p50_ns, c->p99_ns, c->max_ns, c->ratio,
			c->verified ? "true" : "false", i + 1 < r->ncases ? "," : "");
	}
	fprintf(f, "  ],\n  \"targets\": [\n");
	n = targets(r, t);
	for (i = 0; i < n; i++) {
		fprintf(f, "    {\"what\": ");
		tool_json_str(f, t[i].what);
		fprintf(f, ", \"present\": %s, \"value\": %.3f, \"goal\": %.2f, \"goal_is\": \"%s\""
			   ", \"met\": %s}%s\n",
			t[i].present ? "true" : "false", t[i].value, t[i].goal,
			t[i].higher ? "min" : "max",
			t[i].present && (t[i].higher ? t[i].value >= t[i].goal : t[i].value <= t[i].goal)
				? "true" : "false",
			i + 1 < n ? "," : "");
	}
	fprintf(f, "  ],\n  \"latency\": [\n");
	for (i = 0; i < r->nlat; i++) {
		const struct perf_lat_row *l = &r->lat[i];

		fprintf(f, "    {\"route\": \"%s\", \"cpus\": \"%s\", \"n\": %" PRIu64
			   ", \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"max_ns\": %.0f, \"mean_ns\": %.0f}%s\n",
			l->mode, l->loaded ? "loaded" : "idle", l->n, l->p50_ns, l->p99_ns, l->max_ns,
			l->mean_ns, i + 1 < r->nlat ? "," : "");
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
		   "submit_ns_per_op,cpu_ns_per_op,p50_ns,p99_ns,max_ns,ratio_to_cpu,verified\n");
	for (i = 0; i < r->ncases; i++) {
		const struct perf_case *c = &r->cases[i];

		fprintf(f, "%s,%s,%s,%" PRIu64 ",%s,%u,%u,%u,%u,%" PRIu64
			   ",%.3f,%.3f,%.2f,%.2f,%.0f,%.0f,%.0f,%.3f,%d\n",
			c->name, api_names[c->api], op_names[c->op], c->size, c->cold ? "dram" : "hot",
			c->chans, c->workers, c->burst, c->qd, c->ops, c->mops, c->gbs, c->submit_ns,
			c->cpu_ns, c->p50_ns, c->p99_ns, c->max_ns, c->ratio, c->verified);
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
