/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/test.c - "dmae test": a data integrity tester in the spirit
 * of Linux's dmatest.
 *
 * Every test thread owns a source and a destination buffer of --size
 * bytes.  Per iteration it picks an operation, a length and offsets,
 * fills both buffers with patterns in which every byte says where it
 * belongs, runs one transfer and checks every byte of both buffers:
 *
 *   src byte i   PAT_SRC | (PAT_COPY if i is in the source window) | ~i
 *   dst byte i   (PAT_OVERWRITE if i is in the destination window) | ~i
 *                (the low 5 bits, PAT_COUNT, hold ~i)
 *
 * After a memcpy/sg the destination window must hold the source window's
 * bytes (PAT_SRC | PAT_COPY | ~(src_off + k)), after a memset the value
 * (which always has PAT_SRC set, so it never looks like a dst byte); the
 * rest of dst and all of src must be unchanged.  A wrong byte in the
 * window still holding its dst pattern was "not copied", one carrying
 * PAT_SRC came from the wrong place ("misplaced"), anything else is
 * "corrupted".
 *
 * Channels are requested by the main thread, one consumer device per
 * channel ("dmatest0", ...), before the test threads start: with
 * --threads > 1 the threads of a channel share its struct dmae_chan
 * (prep, submit and issue are thread-safe), as Linux dmatest runs several
 * threads per channel.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define PAT_SRC 0x80		/* a source byte */
#define PAT_COPY 0x40		/* a source byte inside the copy window */
#define PAT_OVERWRITE 0x20	/* a dst byte inside the window */
#define PAT_COUNT 0x1f		/* ~position, low bits */

#define TEST_MAX_SG 8		/* segments per side of an sg transfer */
#define TEST_ENOSPC_SLEEP_NS 100000ull
#define TEST_PREP_FLAGS (DMAE_PREP_INTERRUPT | DMAE_PREP_ACK)

/* The operations the tester knows, in rotation order. */
static const enum dmae_op test_ops[] = {
	DMAE_OP_MEMCPY,
	DMAE_OP_MEMSET,
	DMAE_OP_SG,
};

#define NR_TEST_OPS (sizeof(test_ops) / sizeof(test_ops[0]))
#define TEST_OPS_MASK (DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET | DMAE_CAP_SG)

struct test_cfg {
	const char **names;	/* --channel values */
	unsigned int nnames;
	bool all_channels;
	uint32_t threads;	/* per channel */
	uint64_t iterations;	/* 0: until the duration ends */
	uint64_t duration_ns;	/* 0: no time limit */
	uint64_t size;
	uint32_t ops;		/* DMAE_CAP_* to test */
	const char *op_name;	/* "all", "memcpy", ... */
	bool fixed;
	uint64_t align;		/* 0: from the channel's caps, per op */
	uint64_t seed;
	uint64_t max_shown;	/* failure lines per thread */
	uint64_t timeout_ns;
	bool verbose;
	bool info;		/* print "dmae info" of the engine at the end */
	const char *json;	/* --json FILE, or NULL */
};

/* A channel under test. */
struct test_chan {
	char name[32];
	struct dmae_dev *dev;	/* "dmatest<i>", the exclusive owner */
	struct dmae_chan *chan;
	struct dmae_caps caps;
	enum dmae_op ops[NR_TEST_OPS];	/* rotation */
	unsigned int nops;
	uint64_t buf_align;	/* of the thread buffers */
};

struct test_run {
	const struct test_cfg *cfg;
	atomic_bool abort;	/* stop every thread (a thread failed to start) */
};

struct test_thread {
	struct test_run *run;
	struct test_chan *tc;
	char name[48];		/* "dma0chan0-t0" */
	unsigned int index;
	pthread_t tid;
	bool started;

	uint64_t rng;
	uint8_t *src;
	uint8_t *dst;
	struct dmae_completion comp;

	/* results, read by the main thread after join */
	uint64_t tests;
	uint64_t failures;
	uint64_t bytes;		/* moved by transfers that completed */
	uint64_t enospc;	/* prep retries on -ENOSPC */
	uint64_t shown;		/* failure lines printed */
	uint64_t suppressed;	/* failure lines over --max-failures-shown */
	uint64_t start_ns;
	uint64_t end_ns;
	uint64_t other_ns;	/* filling and verifying, not counted in rates */
};

/* One iteration's transfer. */
struct test_xfer {
	uint64_t n;		/* result number, from 1 */
	enum dmae_op op;
	size_t src_off;
	size_t dst_off;
	size_t len;
	uint8_t value;		/* memset */
	unsigned int nsrc;
	unsigned int ndst;
	struct dmae_sg src_sg[TEST_MAX_SG];
	struct dmae_sg dst_sg[TEST_MAX_SG];
};

/* ---- random numbers: splitmix64 seeds a xorshift64* stream ----------- */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rnd(struct test_thread *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

/* Uniform enough in [0, n) for n > 0. */
static uint64_t rnd_below(struct test_thread *t, uint64_t n)
{
	return rnd(t) % n;
}

/* ---- patterns --------------------------------------------------------- */

static uint8_t src_pat(size_t i, bool in_window)
{
	return (uint8_t)(PAT_SRC | (in_window ? PAT_COPY : 0) |
			 (~i & PAT_COUNT));
}

static uint8_t dst_pat(size_t i, bool in_window)
{
	return (uint8_t)((in_window ? PAT_OVERWRITE : 0) | (~i & PAT_COUNT));
}

static bool op_reads_src(enum dmae_op op)
{
	return op != DMAE_OP_MEMSET;
}

static void fill_buffers(struct test_thread *t, const struct test_xfer *x)
{
	size_t size = (size_t)t->run->cfg->size, i;
	size_t s0 = x->src_off, s1 = x->src_off + x->len;
	size_t d0 = x->dst_off, d1 = x->dst_off + x->len;
	bool reads = op_reads_src(x->op);

	for (i = 0; i < size; i++)
		t->src[i] = src_pat(i, reads && i >= s0 && i < s1);
	for (i = 0; i < size; i++)
		t->dst[i] = dst_pat(i, i >= d0 && i < d1);
}

/* ---- reporting -------------------------------------------------------- */

static const char *op_name(enum dmae_op op)
{
	return dmae_op_to_string(op);
}

static void describe_xfer(const struct test_xfer *x, char *buf, size_t size)
{
	switch (x->op) {
	case DMAE_OP_MEMSET:
		snprintf(buf, size, "op=memset value=0x%02x dst_off=0x%zx len=0x%zx",
			 x->value, x->dst_off, x->len);
		break;
	case DMAE_OP_SG:
		snprintf(buf, size, "op=sg src_off=0x%zx dst_off=0x%zx len=0x%zx "
			 "nsrc=%u ndst=%u", x->src_off, x->dst_off, x->len,
			 x->nsrc, x->ndst);
		break;
	default:
		snprintf(buf, size, "op=%s src_off=0x%zx dst_off=0x%zx len=0x%zx",
			 op_name(x->op), x->src_off, x->dst_off, x->len);
		break;
	}
}

/*
 * Print one result line, unless the thread already printed
 * --max-failures-shown failure lines.  what is dmatest's word for the
 * outcome ('data error', 'timeout', ...); passed lines are not capped.
 */
__attribute__((format(printf, 4, 5)))
static void result_line(struct test_thread *t, const struct test_xfer *x,
			const char *what, const char *fmt, ...)
{
	char xfer[160], detail[256];
	bool failure = strcmp(what, "passed") != 0;
	va_list ap;

	if (failure) {
		if (t->shown >= t->run->cfg->max_shown) {
			t->suppressed++;
			return;
		}
		t->shown++;
	}
	describe_xfer(x, xfer, sizeof(xfer));
	detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	/* one printf per line: stdio locks the stream, lines never mix */
	fprintf(tool_report, "%s: result #%" PRIu64 ": '%s' with %s%s%s%s\n", t->name, x->n,
	       what, xfer, detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
}

static const char *result_name(enum dmae_result_code code)
{
	if ((unsigned int)code <= DMAE_RESULT_ABORTED)
		return dmae_result_to_string(code);
	return "no result written";
}

static const char *status_name(int status)
{
	if (status < 0)
		return dmae_errname(status);
	if (status <= DMAE_ERROR)
		return dmae_status_to_string((enum dmae_status)status);
	return "unknown status";
}

/* ---- verification ----------------------------------------------------- */

enum mis_kind {
	MIS_NOT_COPIED,		/* dst still holds its own pattern */
	MIS_MISPLACED,		/* a source byte, from the wrong position */
	MIS_OUTSIDE,		/* source data outside the dst window */
	MIS_CORRUPTED,		/* anything else */
	MIS_COUNT
};

static const char *const mis_names[MIS_COUNT] = {
	[MIS_NOT_COPIED] = "not copied",
	[MIS_MISPLACED] = "misplaced",
	[MIS_OUTSIDE] = "copied outside the window",
	[MIS_CORRUPTED] = "corrupted",
};

/* The mismatches of one region of one buffer. */
struct mismatch {
	uint64_t count;
	uint64_t kinds[MIS_COUNT];
	size_t first;
	uint8_t expected;
	uint8_t got;
	enum mis_kind first_kind;
};

static void mis_add(struct mismatch *m, size_t i, uint8_t expected, uint8_t got,
		    enum mis_kind kind)
{
	if (!m->count) {
		m->first = i;
		m->expected = expected;
		m->got = got;
		m->first_kind = kind;
	}
	m->count++;
	m->kinds[kind]++;
}

static void mis_report(struct test_thread *t, const struct test_xfer *x,
		       const char *what, const char *buf,
		       const struct mismatch *m)
{
	char more[160] = "";
	unsigned int k, nkinds = 0;
	size_t pos;

	for (k = 0; k < MIS_COUNT; k++)
		nkinds += m->kinds[k] != 0;
	if (nkinds > 1) {
		pos = 0;
		for (k = 0; k < MIS_COUNT && pos < sizeof(more); k++) {
			if (!m->kinds[k])
				continue;
			pos += (size_t)snprintf(more + pos, sizeof(more) - pos,
						"%s%" PRIu64 " %s",
						pos ? ", " : "; ", m->kinds[k],
						mis_names[k]);
		}
	}
	result_line(t, x, what, "%" PRIu64 " byte%s: first at %s+0x%zx: "
		    "expected 0x%02x got 0x%02x [%s]%s", m->count,
		    m->count == 1 ? "" : "s", buf, m->first, m->expected,
		    m->got, mis_names[m->first_kind], more);
}

/* Check every byte of both buffers; report and return false on mismatch. */
static bool verify(struct test_thread *t, const struct test_xfer *x)
{
	size_t size = (size_t)t->run->cfg->size, i;
	size_t s0 = x->src_off, s1 = x->src_off + x->len;
	size_t d0 = x->dst_off, d1 = x->dst_off + x->len;
	bool reads = op_reads_src(x->op);
	struct mismatch src = { 0 }, out = { 0 }, win = { 0 };
	uint8_t exp, got;

	for (i = 0; i < size; i++) {
		exp = src_pat(i, reads && i >= s0 && i < s1);
		if (t->src[i] != exp)
			mis_add(&src, i, exp, t->src[i],
				t->src[i] & PAT_SRC ? MIS_MISPLACED :
						      MIS_CORRUPTED);
	}

	for (i = 0; i < size; i++) {
		got = t->dst[i];
		if (i >= d0 && i < d1) {
			exp = reads ? src_pat(s0 + (i - d0), true) : x->value;
			if (got == exp)
				continue;
			if (got == dst_pat(i, true))
				mis_add(&win, i, exp, got, MIS_NOT_COPIED);
			else if (reads && (got & PAT_SRC))
				mis_add(&win, i, exp, got, MIS_MISPLACED);
			else
				mis_add(&win, i, exp, got, MIS_CORRUPTED);
		} else {
			exp = dst_pat(i, false);
			if (got == exp)
				continue;
			/* a memset value also has PAT_SRC set */
			mis_add(&out, i, exp, got,
				got & PAT_SRC ? MIS_OUTSIDE : MIS_CORRUPTED);
		}
	}

	if (win.count)
		mis_report(t, x, "data error", "dst", &win);
	if (out.count)
		mis_report(t, x, "dst overwritten", "dst", &out);
	if (src.count)
		mis_report(t, x, "src overwritten", "src", &src);
	return !win.count && !out.count && !src.count;
}

/* ---- one iteration ---------------------------------------------------- */

static uint64_t op_align(const struct test_thread *t, enum dmae_op op)
{
	const struct test_cfg *cfg = t->run->cfg;

	if (cfg->align)
		return cfg->align;
	return 1ull << t->tc->caps.align_shift[op];
}

/* The longest transfer of op that fits the buffer and the channel. */
static uint64_t op_max_len(const struct test_cfg *cfg,
			   const struct dmae_caps *caps, uint64_t align)
{
	uint64_t len = cfg->size & ~(align - 1);

	if (caps->max_seg_len && len > caps->max_seg_len)
		len = caps->max_seg_len & ~(align - 1);
	return len;
}

/* n - 1 distinct sorted cut points in (0, units), in units. */
static void pick_cuts(struct test_thread *t, uint64_t units, unsigned int n,
		      uint64_t *cuts)
{
	unsigned int have = 0, i, j;
	uint64_t c;

	while (have < n - 1) {
		c = 1 + rnd_below(t, units - 1);
		for (i = 0; i < have && cuts[i] < c; i++)
			;
		if (i < have && cuts[i] == c)
			continue;
		for (j = have; j > i; j--)
			cuts[j] = cuts[j - 1];
		cuts[i] = c;
		have++;
	}
}

static unsigned int build_sg(struct test_thread *t, struct dmae_sg *sg,
			     unsigned int n, uint8_t *base, size_t len,
			     uint64_t align)
{
	uint64_t cuts[TEST_MAX_SG + 1];
	uint64_t units = len / align, prev = 0;
	unsigned int i;

	pick_cuts(t, units, n, cuts);
	cuts[n - 1] = units;
	for (i = 0; i < n; i++) {
		sg[i].addr = dmae_addr_of(base + prev * align);
		sg[i].len = (cuts[i] - prev) * align;
		prev = cuts[i];
	}
	return n;
}

static void choose_xfer(struct test_thread *t, uint64_t n, struct test_xfer *x)
{
	const struct test_cfg *cfg = t->run->cfg;
	const struct test_chan *tc = t->tc;
	uint64_t align, units, len_units, max_sg, nmax;

	memset(x, 0, sizeof(*x));
	x->n = n;
	/* each thread starts the rotation at its own place */
	x->op = tc->ops[(n - 1 + t->index) % tc->nops];
	align = op_align(t, x->op);
	units = cfg->size / align;
	len_units = op_max_len(cfg, &tc->caps, align) / align;

	if (cfg->fixed) {
		x->len = (size_t)(len_units * align);
	} else {
		len_units = 1 + rnd_below(t, len_units);
		x->len = (size_t)(len_units * align);
		x->src_off = (size_t)(rnd_below(t, units - len_units + 1) * align);
		x->dst_off = (size_t)(rnd_below(t, units - len_units + 1) * align);
	}

	switch (x->op) {
	case DMAE_OP_MEMSET:
		x->src_off = 0;
		/* PAT_SRC set: a memset byte never looks like a dst byte */
		x->value = (uint8_t)(PAT_SRC | rnd_below(t, 0x80));
		break;
	case DMAE_OP_SG:
		max_sg = tc->caps.max_sg ? tc->caps.max_sg : 1;
		nmax = TEST_MAX_SG;
		if (nmax > max_sg)
			nmax = max_sg;
		if (nmax > x->len / align)
			nmax = x->len / align;
		x->nsrc = build_sg(t, x->src_sg, 1 + (unsigned int)rnd_below(t, nmax),
				   t->src + x->src_off, x->len, align);
		x->ndst = build_sg(t, x->dst_sg, 1 + (unsigned int)rnd_below(t, nmax),
				   t->dst + x->dst_off, x->len, align);
		break;
	default:
		break;
	}
}

static int prep(struct test_thread *t, const struct test_xfer *x,
		struct dmae_desc **desc, const char **call)
{
	struct dmae_chan *chan = t->tc->chan;

	switch (x->op) {
	case DMAE_OP_MEMSET:
		*call = "dmae_chan_prep_memset";
		return dmae_chan_prep_memset(chan, dmae_addr_of(t->dst + x->dst_off),
					     x->value, x->len, TEST_PREP_FLAGS,
					     desc);
	case DMAE_OP_SG:
		*call = "dmae_chan_prep_sg";
		return dmae_chan_prep_sg(chan, x->dst_sg, x->ndst, x->src_sg,
					 x->nsrc, TEST_PREP_FLAGS, desc);
	default:
		*call = "dmae_chan_prep_memcpy";
		return dmae_chan_prep_memcpy(chan, dmae_addr_of(t->dst + x->dst_off),
					     dmae_addr_of(t->src + x->src_off),
					     x->len, TEST_PREP_FLAGS, desc);
	}
}

/*
 * After a timeout or a half-done submission: stop the channel (every
 * thread sharing it loses its transfer too and times out in turn) and
 * forget a completion that may have fired meanwhile.
 */
static void recover(struct test_thread *t, const struct test_xfer *x)
{
	int err = dmae_chan_terminate_sync(t->tc->chan);

	if (err)
		result_line(t, x, "terminate error", "dmae_chan_terminate_sync: %s",
			    dmae_errname(err));
	dmae_completion_reinit(&t->comp);
}

/*
 * Prepare x, retrying while the pool is empty (other threads' transfers
 * return descriptors) for at most the completion timeout, and ask for
 * its completion in *res.  Returns the descriptor, or NULL after
 * printing the failure.
 */
static struct dmae_desc *prep_xfer(struct test_thread *t, const struct test_xfer *x,
				   struct dmae_result *res)
{
	struct dmae_desc *desc = NULL;
	const char *call;
	uint64_t give_up = 0;
	int err;

	for (;;) {
		err = prep(t, x, &desc, &call);
		if (err != -ENOSPC)
			break;
		t->enospc++;
		if (!give_up)
			give_up = dmae_time_ns() + t->run->cfg->timeout_ns;
		else if (dmae_time_ns() > give_up)
			break;
		dmae_sleep_ns(TEST_ENOSPC_SLEEP_NS);
	}
	if (err) {
		result_line(t, x, "prep error", "%s: %s%s", call, dmae_errname(err),
			    err == -ENOSPC ? " for the whole timeout" : "");
		return NULL;
	}
	/* an impossible code: shows a completion that wrote no result */
	memset(res, 0xff, sizeof(*res));
	err = dmae_desc_set_completion(desc, &t->comp, res);
	if (err) {
		result_line(t, x, "prep error", "dmae_desc_set_completion: %s",
			    dmae_errname(err));
		dmae_desc_free(desc);
		return NULL;
	}
	return desc;
}

/* Wait for x's completion; false (reported, channel recovered) if none. */
static bool wait_xfer(struct test_thread *t, const struct test_xfer *x, dmae_cookie_t cookie)
{
	const struct test_cfg *cfg = t->run->cfg;
	struct dmae_tx_state st;
	int err, status;

	err = dmae_completion_wait_timeout(&t->comp, cfg->timeout_ns);
	if (!err)
		return true;
	memset(&st, 0, sizeof(st));
	status = dmae_chan_status(t->tc->chan, cookie, &st);
	if (err == -ETIMEDOUT)
		result_line(t, x, "timeout", "no completion after %" PRIu64
			    " ms; cookie %" PRId32 " %s, residue 0x%" PRIx64
			    "; channel terminated",
			    cfg->timeout_ns / 1000000, cookie,
			    status_name(status), st.residue);
	else
		result_line(t, x, "wait error", "dmae_completion_wait_timeout: %s",
			    dmae_errname(err));
	recover(t, x);
	return false;
}

/* The result and the channel's status agree that x completed cleanly. */
static bool check_result(struct test_thread *t, const struct test_xfer *x,
			 const struct dmae_result *res, dmae_cookie_t cookie)
{
	int status;

	if (res->code != DMAE_RESULT_OK || res->residue) {
		result_line(t, x, "completion error", "result %s, residue 0x%" PRIx64,
			    result_name(res->code), res->residue);
		return false;
	}
	t->bytes += x->len;
	if (res->cookie != cookie) {
		result_line(t, x, "completion error", "result for cookie %" PRId32
			    ", submitted cookie %" PRId32, res->cookie, cookie);
		return false;
	}
	status = dmae_chan_status(t->tc->chan, cookie, NULL);
	if (status != DMAE_COMPLETE) {
		result_line(t, x, "status error", "dmae_chan_status: %s after the "
			    "completion, expected complete", status_name(status));
		return false;
	}
	return true;
}

/*
 * Prepare, submit, issue and wait for x.  Returns true when the transfer
 * completed cleanly and its data may be checked.
 */
static bool run_xfer(struct test_thread *t, const struct test_xfer *x)
{
	struct dmae_desc *desc;
	struct dmae_result res;
	dmae_cookie_t cookie;
	int err;

	desc = prep_xfer(t, x, &res);
	if (!desc)
		return false;
	cookie = dmae_desc_submit(desc);
	if (cookie <= 0) {
		result_line(t, x, "submit error", "dmae_desc_submit: %s",
			    cookie ? dmae_errname(cookie) : "returned cookie 0");
		dmae_desc_free(desc);
		return false;
	}
	err = dmae_chan_issue_pending(t->tc->chan);
	if (err < 0) {
		result_line(t, x, "issue error", "dmae_chan_issue_pending: %s",
			    dmae_errname(err));
		recover(t, x);
		return false;
	}
	return wait_xfer(t, x, cookie) && check_result(t, x, &res, cookie);
}

static bool test_one(struct test_thread *t, uint64_t n)
{
	struct test_xfer x;
	uint64_t t0, t1;
	bool ok;

	choose_xfer(t, n, &x);
	t0 = dmae_time_ns();
	fill_buffers(t, &x);
	t->other_ns += dmae_time_ns() - t0;

	if (!run_xfer(t, &x))
		return false;

	t0 = dmae_time_ns();
	ok = verify(t, &x);
	t1 = dmae_time_ns();
	t->other_ns += t1 - t0;

	if (ok && t->run->cfg->verbose)
		result_line(t, &x, "passed", NULL);
	return ok;
}

static void *test_thread_main(void *arg)
{
	struct test_thread *t = arg;
	const struct test_cfg *cfg = t->run->cfg;
	uint64_t n, deadline = 0;

	dmae_thread_set_name(t->name);
	t->start_ns = dmae_time_ns();
	if (cfg->duration_ns)
		deadline = t->start_ns + cfg->duration_ns;

	for (n = 1; !cfg->iterations || n <= cfg->iterations; n++) {
		if (deadline && dmae_time_ns() >= deadline)
			break;
		if (atomic_load_explicit(&t->run->abort, memory_order_relaxed))
			break;
		t->tests++;
		if (!test_one(t, n))
			t->failures++;
	}
	t->end_ns = dmae_time_ns();
	return NULL;
}

/* ---- setup and teardown --------------------------------------------------- */

static bool filter_by_name(struct dmae_chan *chan, void *arg)
{
	return !strcmp(dmae_chan_name(chan), (const char *)arg);
}

/* The --channel names, each known and given once; count or -TOOL_EXIT_*. */
static int chans_by_name(struct tool_args *a, const struct test_cfg *cfg,
			 const struct dmae_chan_info *info, unsigned int n, struct test_chan *tcs)
{
	unsigned int i, j, k;

	for (i = 0; i < cfg->nnames; i++) {
		for (k = 0; k < n && strcmp(info[k].name, cfg->names[i]); k++)
			;
		a->opt = "--channel";
		if (k == n) {
			tool_usage_error(a, "no channel named '%s' (try 'dmae info')",
					 cfg->names[i]);
			return -TOOL_EXIT_USAGE;
		}
		for (j = 0; j < i && strcmp(cfg->names[j], cfg->names[i]); j++)
			;
		if (j < i) {
			tool_usage_error(a, "'%s' given twice (use --threads for more threads)",
					 cfg->names[i]);
			return -TOOL_EXIT_USAGE;
		}
		snprintf(tcs[i].name, sizeof(tcs->name), "%s", info[k].name);
		tcs[i].caps = info[k].caps;
	}
	a->opt = NULL;
	return (int)cfg->nnames;
}

/* Every channel of the tool's swdma and simdmac; count or -TOOL_EXIT_*. */
static int chans_of_engine(struct tool_args *a, const struct tool_engine *eng,
			   const struct dmae_chan_info *info, unsigned int n,
			   struct test_chan *tcs)
{
	unsigned int j, count = 0;

	for (j = 0; j < n; j++) {
		if (strcmp(info[j].provider, dmae_swdma_name(eng->sw)) &&
		    strcmp(info[j].provider, dmae_simdmac_name(eng->soc)))
			continue;
		snprintf(tcs[count].name, sizeof(tcs->name), "%s", info[j].name);
		tcs[count++].caps = info[j].caps;
	}
	if (!count) {
		fprintf(stderr, "%s: the engine has no channels\n", a->cmd);
		return -TOOL_EXIT_FAIL;
	}
	return (int)count;
}

/*
 * The channels to test: --channel names (checked against the registry)
 * or every channel of both engines.  Returns the count, or -TOOL_EXIT_* .
 */
static int select_chans(struct tool_args *a, const struct test_cfg *cfg,
			struct tool_engine *eng, struct test_chan **out)
{
	struct dmae_chan_info *info = NULL;
	struct test_chan *tcs = NULL;
	unsigned int n, count;
	int ret;

	ret = dmae_chan_list(NULL, 0);
	if (ret < 0) {
		tool_call_error(a->cmd, "dmae_chan_list", ret);
		return -TOOL_EXIT_FAIL;
	}
	n = (unsigned int)ret;
	info = calloc(n ? n : 1, sizeof(*info));
	tcs = calloc(n ? n : 1, sizeof(*tcs));
	if (!info || !tcs)
		goto nomem;
	ret = dmae_chan_list(info, n);
	if (ret < 0) {
		tool_call_error(a->cmd, "dmae_chan_list", ret);
		ret = -TOOL_EXIT_FAIL;
		goto out;
	}
	if ((unsigned int)ret < n)
		n = (unsigned int)ret;

	if (cfg->nnames)
		ret = chans_by_name(a, cfg, info, n, tcs);
	else
		ret = chans_of_engine(a, eng, info, n, tcs);
	if (ret < 0)
		goto out;
	count = (unsigned int)ret;
	free(info);
	*out = tcs;
	return (int)count;

nomem:
	fprintf(stderr, "%s: out of memory\n", a->cmd);
	ret = -TOOL_EXIT_FAIL;
out:
	free(info);
	free(tcs);
	return ret;
}

/*
 * Request tc's channel for a consumer device of its own and work out the
 * operations to rotate over.  Returns 0 or TOOL_EXIT_*.
 */
static int setup_chan(struct tool_args *a, const struct test_cfg *cfg,
		      struct test_chan *tc, unsigned int index)
{
	char devname[32];
	uint32_t want;
	uint64_t align;
	unsigned int i;
	int err;

	/* tc->caps come from the registry until the channel is ours */
	want = cfg->ops & tc->caps.ops;
	if (cfg->ops != TEST_OPS_MASK && want != cfg->ops) {
		a->opt = "--op";
		tool_usage_error(a, "%s does not support %s", tc->name,
				 cfg->op_name);
		return TOOL_EXIT_USAGE;
	}
	if (!want) {
		fprintf(stderr, "%s: %s supports none of memcpy, memset, sg\n",
			a->cmd, tc->name);
		return TOOL_EXIT_FAIL;
	}

	snprintf(devname, sizeof(devname), "dmatest%u", index);
	err = dmae_dev_create(devname, &tc->dev);
	if (err) {
		tool_call_error(a->cmd, "dmae_dev_create", err);
		return TOOL_EXIT_FAIL;
	}

	/* exclusive, for the operations under test; the filter picks by name */
	err = dmae_chan_request_caps(tc->dev, want, filter_by_name, tc->name,
				     NULL, &tc->chan);
	if (err) {
		fprintf(stderr, "%s: dmae_chan_request_caps(%s): %s (%s)\n",
			a->cmd, tc->name, dmae_errname(err), dmae_strerror(err));
		return TOOL_EXIT_FAIL;
	}
	err = dmae_chan_get_caps(tc->chan, &tc->caps);
	if (err) {
		tool_call_error(a->cmd, "dmae_chan_get_caps", err);
		return TOOL_EXIT_FAIL;
	}
	if (strcmp(dmae_chan_name(tc->chan), tc->name)) {
		fprintf(stderr, "%s: asked for %s, dmae_chan_request_caps gave "
			"%s\n", a->cmd, tc->name, dmae_chan_name(tc->chan));
		return TOOL_EXIT_FAIL;
	}
	want &= tc->caps.ops;

	tc->buf_align = 64;
	for (i = 0; i < NR_TEST_OPS; i++) {
		if (!(want & DMAE_OP_BIT(test_ops[i])))
			continue;
		tc->ops[tc->nops++] = test_ops[i];
		align = cfg->align ? cfg->align :
				     1ull << tc->caps.align_shift[test_ops[i]];
		if (align > tc->buf_align)
			tc->buf_align = align;
		if (!op_max_len(cfg, &tc->caps, align)) {
			a->opt = "--size";
			tool_usage_error(a, "%" PRIu64 " bytes cannot hold one "
					 "%s transfer on %s (needs %" PRIu64
					 "-byte alignment)", cfg->size,
					 op_name(test_ops[i]), tc->name, align);
			return TOOL_EXIT_USAGE;
		}
	}
	return 0;
}

static int alloc_thread(struct tool_args *a, struct test_run *run,
			struct test_thread *t, struct test_chan *tc,
			unsigned int chan_index, unsigned int index)
{
	const struct test_cfg *cfg = run->cfg;
	void *p;

	t->run = run;
	t->tc = tc;
	t->index = index;
	snprintf(t->name, sizeof(t->name), "%s-t%u", tc->name, index);
	t->rng = splitmix64(cfg->seed ^ splitmix64(((uint64_t)chan_index << 32) |
						    index));
	if (!t->rng)
		t->rng = 1;
	dmae_completion_init(&t->comp);

	if (posix_memalign(&p, (size_t)tc->buf_align, (size_t)cfg->size))
		goto nomem;
	t->src = p;
	if (posix_memalign(&p, (size_t)tc->buf_align, (size_t)cfg->size))
		goto nomem;
	t->dst = p;
	return 0;
nomem:
	fprintf(stderr, "%s: cannot allocate 2 x %" PRIu64 " bytes of buffers\n",
		a->cmd, cfg->size);
	return -1;
}

/* ---- the command -------------------------------------------------------- */

enum {
	OPT_CHANNEL = 1,
	OPT_ALL_CHANNELS,
	OPT_THREADS,
	OPT_ITERATIONS,
	OPT_DURATION,
	OPT_SIZE,
	OPT_OP,
	OPT_FIXED,
	OPT_ALIGN,
	OPT_SEED,
	OPT_MAX_SHOWN,
	OPT_TIMEOUT,
	OPT_VERBOSE,
	OPT_INFO,
	OPT_JSON,
};

static const struct tool_opt test_opts[] = {
	{ "channel", OPT_CHANNEL, "NAME",
	  "test this channel (\"dma0chan1\"); repeatable" },
	{ "all-channels", OPT_ALL_CHANNELS, NULL,
	  "test every channel of swdma and simdmac (the default)" },
	{ "threads", OPT_THREADS, "N",
	  "threads per channel, sharing it (1..256, default 1)" },
	{ "iterations", OPT_ITERATIONS, "N",
	  "transfers per thread (default 1000; unlimited\n"
	  "with --duration alone)" },
	{ "duration", OPT_DURATION, "SECONDS",
	  "stop after this time (with --iterations: at\n"
	  "whichever limit comes first)" },
	{ "size", OPT_SIZE, "BYTES",
	  "source and destination buffer size per thread,\n"
	  "K/M suffixes allowed (default 16384)" },
	{ "op", OPT_OP, "OP",
	  "memcpy, memset, sg or all (default: all, rotating\n"
	  "over the operations the channel supports)" },
	{ "fixed", OPT_FIXED, NULL,
	  "whole buffers (offset 0, full length) instead of\n"
	  "random offsets and lengths" },
	{ "align", OPT_ALIGN, "N",
	  "round offsets, lengths, sg segments to N (a power\n"
	  "of two; default: the channel's alignment for the\n"
	  "operation; less than that makes prep fail)" },
	{ "seed", OPT_SEED, "N",
	  "random seed (default: from the clock; printed)" },
	{ "max-failures-shown", OPT_MAX_SHOWN, "N",
	  "failure lines printed per thread (default 10)" },
	{ "timeout", OPT_TIMEOUT, "MS",
	  "completion timeout (default 5000); on timeout\n"
	  "the channel is terminated" },
	{ "verbose", OPT_VERBOSE, NULL,
	  "a line per passed transfer; library debug logs" },
	{ "info", OPT_INFO, NULL,
	  "after the run, print what \"dmae info\" prints for\n"
	  "this engine: owners, statistics, pools" },
	{ "json", OPT_JSON, "FILE",
	  "write the configuration and each thread's and the\n"
	  "total's figures as JSON (-: standard output, the\n"
	  "report then goes to standard error)" },
	TOOL_ENGINE_OPTS,
	{ 0 },
};

static const char test_description[] =
	"Run transfers on DMA channels of the software copy engine (swdma) and\n"
	"the simulated controller (simdmac) and check every byte, like Linux's\n"
	"dmatest.  Each thread fills its source and destination buffers with\n"
	"patterns that encode each byte's position, runs one transfer (memcpy,\n"
	"memset or scatter-gather, with 1..8 segments split differently on\n"
	"each side), waits for its completion and checks that the window was\n"
	"copied, that nothing outside it was written and that the source is\n"
	"unchanged.  Failures are printed as\n"
	"\"<chan>-t<thread>: result #N: '<error>' with <transfer> (<detail>)\".\n"
	"\n"
	"Channels are requested exclusively before the threads start, one\n"
	"consumer device (\"dmatest<i>\") per channel; with --threads N the N\n"
	"threads of a channel share it.  A timeout terminates the channel, so\n"
	"the other threads of that channel fail their current transfer too.\n"
	"\n"
	"The run ends with one summary line per thread and a total:\n"
	"  summary <tests> tests, <failures> failures, <iops> iops, <KB/s> KB/s\n"
	"Rates leave out the time spent filling and checking buffers; the\n"
	"total rates are the sums over the threads, which run concurrently.\n"
	"Exit status: 0 when every test passed, 1 on failures, 2 usage error.";

static int parse_op(struct tool_args *a, const char *val, struct test_cfg *cfg)
{
	static const struct {
		const char *name;
		uint32_t ops;
	} ops[] = {
		{ "memcpy", DMAE_CAP_MEMCPY },
		{ "memset", DMAE_CAP_MEMSET },
		{ "sg", DMAE_CAP_SG },
		{ "all", TEST_OPS_MASK },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(val, ops[i].name)) {
			cfg->ops = ops[i].ops;
			cfg->op_name = ops[i].name;
			return 0;
		}
	}
	tool_usage_error(a, "expected memcpy, memset, sg or all, got '%s'", val);
	return -1;
}

/* A numeric option; 0, or -1 after a usage error. */
static int parse_number(struct tool_args *a, struct test_cfg *cfg, int key, const char *val)
{
	uint64_t v;

	switch (key) {
	case OPT_THREADS:
		if (tool_parse_u64(a, val, 1, 256, &v))
			return -1;
		cfg->threads = (uint32_t)v;
		return 0;
	case OPT_ITERATIONS:
		return tool_parse_u64(a, val, 1, UINT64_MAX, &cfg->iterations);
	case OPT_DURATION:
		return tool_parse_seconds(a, val, &cfg->duration_ns);
	case OPT_SIZE:
		return tool_parse_size(a, val, 1, 1ull << 30, &cfg->size);
	case OPT_ALIGN:
		if (tool_parse_size(a, val, 1, 1ull << 20, &v))
			return -1;
		if (v & (v - 1))
			return tool_usage_error(a, "expected a power of two, got '%s'", val), -1;
		cfg->align = v;
		return 0;
	case OPT_SEED:
		return tool_parse_u64(a, val, 0, UINT64_MAX, &cfg->seed);
	case OPT_MAX_SHOWN:
		return tool_parse_u64(a, val, 0, UINT64_MAX, &cfg->max_shown);
	case OPT_TIMEOUT:
		if (tool_parse_u64(a, val, 1, 3600000, &v))
			return -1;
		cfg->timeout_ns = v * 1000000;
		return 0;
	default:
		return -1;
	}
}

/* One option other than --help; 0, or -1 after a usage error. */
static int parse_opt(struct tool_args *a, struct test_cfg *cfg, struct tool_engine_cfg *ecfg,
		     int key, const char *val)
{
	switch (key) {
	case OPT_CHANNEL:
		if (!val[0])
			return tool_usage_error(a, "expected a channel name"), -1;
		cfg->names[cfg->nnames++] = val;
		return 0;
	case OPT_ALL_CHANNELS:
		cfg->all_channels = true;
		return 0;
	case OPT_OP:
		return parse_op(a, val, cfg);
	case OPT_FIXED:
		cfg->fixed = true;
		return 0;
	case OPT_VERBOSE:
		cfg->verbose = true;
		return 0;
	case OPT_INFO:
		cfg->info = true;
		return 0;
	case OPT_JSON:
		cfg->json = val;
		tool_output_path(val);
		return 0;
	case TOOL_OPT_CHANS:
	case TOOL_OPT_WORKERS:
		return tool_engine_opt(a, ecfg, key, val);
	default:
		return parse_number(a, cfg, key, val);
	}
}

/* Parse argv into cfg; returns -1 (usage error), 0, or 1 (--help shown). */
static int parse_test_args(struct tool_args *a, struct test_cfg *cfg,
			   struct tool_engine_cfg *ecfg)
{
	bool iterations_given = false;
	const char *val;
	int key;

	while ((key = tool_args_next(a, &val)) > 0) {
		if (key == TOOL_OPT_HELP) {
			tool_args_help(a);
			return 1;
		}
		if (parse_opt(a, cfg, ecfg, key, val))
			return -1;
		iterations_given |= key == OPT_ITERATIONS;
	}
	if (key < 0)
		return -1;

	a->opt = NULL;
	if (cfg->all_channels && cfg->nnames) {
		tool_usage_error(a, "--all-channels and --channel exclude each other");
		return -1;
	}
	if (cfg->duration_ns && !iterations_given)
		cfg->iterations = 0;
	if (cfg->align && cfg->align > cfg->size) {
		a->opt = "--align";
		tool_usage_error(a, "%" PRIu64 " is larger than --size %" PRIu64,
				 cfg->align, cfg->size);
		return -1;
	}
	return 0;
}

static void print_header(const struct test_cfg *cfg, unsigned int nchans)
{
	char iters[64] = "", dur[64] = "";

	if (cfg->iterations)
		snprintf(iters, sizeof(iters), "%" PRIu64 " iterations",
			 cfg->iterations);
	if (cfg->duration_ns)
		snprintf(dur, sizeof(dur), "%s%.3g s", cfg->iterations ?
			 " or " : "", (double)cfg->duration_ns / 1e9);
	fprintf(tool_report, "dmae test: %u channel%s x %" PRIu32 " thread%s, %s%s, size %"
	       PRIu64 ", op %s, %s, align %s, seed %" PRIu64 "\n", nchans,
	       nchans == 1 ? "" : "s", cfg->threads,
	       cfg->threads == 1 ? "" : "s", iters, dur, cfg->size,
	       cfg->op_name, cfg->fixed ? "fixed" : "random offsets",
	       cfg->align ? "given" : "from caps", cfg->seed);
	if (cfg->align)
		fprintf(tool_report, "dmae test: alignment %" PRIu64 "\n", cfg->align);
	fflush(tool_report);
}

/* Rates of one thread, without the fill and verify time. */
static void thread_rates(const struct test_thread *t, double *iops,
			 double *kbps)
{
	uint64_t busy = t->end_ns - t->start_ns;
	double s;

	busy = busy > t->other_ns ? busy - t->other_ns : 0;
	s = (double)busy / 1e9;
	*iops = s > 0 ? (double)t->tests / s : 0;
	*kbps = s > 0 ? (double)t->bytes / 1024.0 / s : 0;
}

/* The configuration, each thread's figures and the totals, as JSON. */
static int write_json(const struct test_cfg *cfg, const struct test_thread *threads,
		      unsigned int nthreads, uint64_t tests, uint64_t failures, double iops,
		      double kbps)
{
	FILE *f = tool_out_open("dmae test", cfg->json);
	unsigned int i;
	double ti, tk;
	bool first = true;

	if (!f)
		return -1;
	fprintf(f, "{\n  \"command\": \"dmae test\", \"version\": ");
	tool_json_str(f, dmae_version());
	fprintf(f, ",\n  \"size\": %" PRIu64 ", \"op\": ", cfg->size);
	tool_json_str(f, cfg->op_name);
	fprintf(f, ", \"fixed\": %s, \"align\": %" PRIu64 ", \"seed\": %" PRIu64
		   ", \"threads_per_channel\": %u,\n  \"threads\": [\n",
		cfg->fixed ? "true" : "false", cfg->align, cfg->seed, cfg->threads);
	for (i = 0; i < nthreads; i++) {
		const struct test_thread *t = &threads[i];

		if (!t->started)
			continue;
		thread_rates(t, &ti, &tk);
		fprintf(f, "%s    {\"name\": ", first ? "" : ",\n");
		tool_json_str(f, t->name);
		fprintf(f, ", \"channel\": ");
		tool_json_str(f, t->tc->name);
		fprintf(f, ", \"tests\": %" PRIu64 ", \"failures\": %" PRIu64 ", \"bytes\": %"
			   PRIu64 ", \"enospc_retries\": %" PRIu64 ", \"iops\": %.2f"
			   ", \"kbps\": %.2f}", t->tests, t->failures, t->bytes, t->enospc, ti, tk);
		first = false;
	}
	fprintf(f, "\n  ],\n  \"tests\": %" PRIu64 ", \"failures\": %" PRIu64
		   ", \"iops\": %.2f, \"kbps\": %.2f\n}\n", tests, failures, iops, kbps);
	return tool_out_close("dmae test", f, cfg->json);
}

static int report(const struct test_cfg *cfg, const struct test_thread *threads,
		  unsigned int nthreads)
{
	uint64_t tests = 0, failures = 0;
	double iops = 0, kbps = 0, ti, tk;
	unsigned int i;

	for (i = 0; i < nthreads; i++) {
		const struct test_thread *t = &threads[i];

		if (!t->started)
			continue;
		if (t->suppressed)
			fprintf(tool_report, "%s: %" PRIu64 " more failure line%s not shown "
			       "(--max-failures-shown)\n", t->name, t->suppressed,
			       t->suppressed == 1 ? "" : "s");
		if (t->enospc)
			fprintf(tool_report, "%s: %" PRIu64 " prep retr%s on ENOSPC (descriptor "
			       "pool empty)\n", t->name, t->enospc,
			       t->enospc == 1 ? "y" : "ies");
		thread_rates(t, &ti, &tk);
		fprintf(tool_report, "%s: summary %" PRIu64 " tests, %" PRIu64 " failures, "
		       "%.2f iops, %.2f KB/s\n", t->name, t->tests, t->failures,
		       ti, tk);
		tests += t->tests;
		failures += t->failures;
		iops += ti;
		kbps += tk;
	}
	fprintf(tool_report, "summary %" PRIu64 " tests, %" PRIu64 " failures, %.2f iops, "
	       "%.2f KB/s\n", tests, failures, iops, kbps);
	fflush(tool_report);
	if (cfg->json && write_json(cfg, threads, nthreads, tests, failures, iops, kbps))
		return TOOL_EXIT_FAIL;
	return failures == 0 && tests > 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAIL;
}

static void log_to_stderr(enum dmae_log_level level, const char *line,
			  void *arg)
{
	(void)level;
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

static void free_threads(struct test_thread *threads, unsigned int nthreads)
{
	for (unsigned int i = 0; i < nthreads && threads; i++) {
		free(threads[i].src);
		free(threads[i].dst);
	}
	free(threads);
}

/* Buffers and seeds of every thread; NULL after printing the failure. */
static struct test_thread *alloc_threads(struct tool_args *a, struct test_run *run,
					 struct test_chan *tcs, unsigned int nchans)
{
	uint32_t per = run->cfg->threads;
	struct test_thread *threads = calloc((size_t)nchans * per, sizeof(*threads));
	unsigned int i, j;

	if (!threads) {
		fprintf(stderr, "%s: out of memory\n", a->cmd);
		return NULL;
	}
	for (i = 0; i < nchans; i++) {
		for (j = 0; j < per; j++) {
			if (alloc_thread(a, run, &threads[i * per + j], &tcs[i], i, j)) {
				free_threads(threads, nchans * per);
				return NULL;
			}
		}
	}
	return threads;
}

/* Start every thread and join them; TOOL_EXIT_FAIL if one did not start. */
static int run_threads(const char *cmd, struct test_run *run, struct test_thread *threads,
		       unsigned int nthreads)
{
	int ret = TOOL_EXIT_OK, err;
	unsigned int i;

	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&threads[i].tid, NULL, test_thread_main, &threads[i]);
		if (err) {
			fprintf(stderr, "%s: pthread_create: %s\n", cmd, strerror(err));
			atomic_store(&run->abort, true);
			ret = TOOL_EXIT_FAIL;
			break;
		}
		threads[i].started = true;
	}
	for (i = 0; i < nthreads; i++) {
		if (threads[i].started)
			pthread_join(threads[i].tid, NULL);
	}
	return ret;
}

/* Threads on the channels set up, the report, "dmae info" if asked. */
static int run_on_chans(struct tool_args *a, const struct test_cfg *cfg, struct test_chan *tcs,
			unsigned int nchans)
{
	unsigned int nthreads = nchans * cfg->threads;
	struct test_thread *threads;
	struct test_run run;
	int ret;

	memset(&run, 0, sizeof(run));
	run.cfg = cfg;
	atomic_init(&run.abort, false);
	threads = alloc_threads(a, &run, tcs, nchans);
	if (!threads)
		return TOOL_EXIT_FAIL;
	print_header(cfg, nchans);
	ret = run_threads(a->cmd, &run, threads, nthreads);
	if (report(cfg, threads, nthreads))
		ret = TOOL_EXIT_FAIL;
	if (cfg->info) {
		fprintf(tool_report, "\n");
		if (tool_info_print(a->cmd))
			ret = TOOL_EXIT_FAIL;
	}
	free_threads(threads, nthreads);
	return ret;
}

/* Release the channels and their consumer devices; TOOL_EXIT_* */
static int release_chans(const char *cmd, struct test_chan *tcs, unsigned int nchans)
{
	int ret = TOOL_EXIT_OK, err;

	for (unsigned int i = 0; i < nchans; i++) {
		err = tcs[i].chan ? dmae_chan_release(tcs[i].chan) : 0;
		if (err) {
			tool_call_error(cmd, "dmae_chan_release", err);
			ret = TOOL_EXIT_FAIL;
		}
		err = tcs[i].dev ? dmae_dev_destroy(tcs[i].dev) : 0;
		if (err) {
			tool_call_error(cmd, "dmae_dev_destroy", err);
			ret = TOOL_EXIT_FAIL;
		}
	}
	free(tcs);
	return ret;
}

/* With the engine up: pick and set up the channels, test, release. */
static int run_test(struct tool_args *a, const struct test_cfg *cfg, struct tool_engine *eng)
{
	struct test_chan *tcs = NULL;
	unsigned int nchans, i;
	int ret;

	ret = select_chans(a, cfg, eng, &tcs);
	if (ret < 0)
		return -ret;
	nchans = (unsigned int)ret;
	ret = TOOL_EXIT_OK;
	for (i = 0; i < nchans && !ret; i++)
		ret = setup_chan(a, cfg, &tcs[i], i);
	if (!ret)
		ret = run_on_chans(a, cfg, tcs, nchans);
	if (release_chans(a->cmd, tcs, nchans))
		ret = TOOL_EXIT_FAIL;
	return ret;
}

int cmd_test(int argc, char **argv)
{
	struct tool_engine_cfg ecfg = TOOL_ENGINE_CFG_DEFAULT;
	struct test_cfg cfg = {
		.threads = 1,
		.iterations = 1000,
		.size = 16384,
		.ops = TEST_OPS_MASK,
		.op_name = "all",
		.max_shown = 10,
		.timeout_ns = 5000000000ull,
	};
	struct tool_engine eng;
	struct tool_args args;
	int ret;

	cfg.names = calloc((size_t)argc + 1, sizeof(*cfg.names));
	if (!cfg.names) {
		fprintf(stderr, "dmae test: out of memory\n");
		return TOOL_EXIT_FAIL;
	}
	cfg.seed = splitmix64(dmae_time_ns()) & 0xffffffffull;

	tool_args_init(&args, "dmae test", argc, argv, test_opts);
	args.description = test_description;
	ret = parse_test_args(&args, &cfg, &ecfg);
	if (ret) {
		free(cfg.names);
		return ret < 0 ? TOOL_EXIT_USAGE : TOOL_EXIT_OK;
	}
	if (cfg.verbose)
		dmae_log_set_handler(log_to_stderr, NULL, DMAE_LOG_DEBUG);

	if (tool_engine_open(&eng, args.cmd, &ecfg)) {
		free(cfg.names);
		return TOOL_EXIT_FAIL;
	}
	ret = run_test(&args, &cfg, &eng);
	if (tool_engine_close(&eng))
		ret = TOOL_EXIT_FAIL;
	free(cfg.names);
	return ret;
}
