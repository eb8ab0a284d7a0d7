/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf.c - "dmae perf": throughput, client cost and latency of
 * the software engine through each API path, against CPU copies on the
 * same buffers in the same run -- glibc memcpy/memset, one thread with
 * non-temporal stores (cpu_copy.c), two threads -- in the spirit of
 * DPDK's dma-perf and SPDK's accel_perf.
 *
 * A case is (API path, operation, size, burst, queue depth, channels,
 * workers, working set).  Each runs on an engine of its own: a warm-up,
 * then --reps timed repetitions of --time each, each after an untimed
 * settle run a sixth as long; the figures are those of the median
 * repetition (by Mops/s).  The cases that share an operation,
 * size and working set -- the CPU baseline and the engine modes compared
 * with it -- form a group whose repetitions run in rounds, one of each
 * case per round, so that a ratio compares the same stretch of the host's
 * time (run_group()).  The client thread keeps up to qd
 * operations in flight, enqueues bursts, polls completions, and after 64
 * empty polls yields the CPU (or, on one fast path channel with ops of
 * 64 KiB or more, sleeps in dmae_fp_wait() until half the queue is done)
 * so that the engine's threads can run: two CPUs are shared by the
 * client, the workers and the IRQ thread.  Before each repetition the
 * destination is cleared, after it every slot written is compared with
 * its source (or fill value): a mismatch fails the run (exit 1).
 *
 * Working sets: "hot" reuses 64 KiB per side (or one slot of the
 * operation size when larger), cache resident; "cold" cycles through
 * 64 MiB per side, twice this machine class's 32 MiB LLC, so every
 * operation comes from and goes to DRAM.  The default sweep uses hot
 * below 64 KiB and cold from 64 KiB on.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <dmae/fastpath.h>

#include "cpu_copy.h"
#include "line_rtt.h"
#include "perf.h"

#define PERF_COLD_WS (64u << 20)
#define PERF_HOT_WS (64u << 10)
#define PERF_MAX_CHANS 128u		/* in one group */
#define PERF_GROUP_MAX 16u		/* cases measured in turns */
#define PERF_INFLIGHT_BYTES (16u << 20)	/* qd cap for large operations */
#define PERF_MAX_SAMPLES (1u << 20)
#define PERF_FILL_VALUE 0xa5
#define PERF_WAIT_MIN (64u << 10)	/* fast path ops this large: dmae_fp_wait() */
#define PERF_WAIT_NS 1000000u		/* ... for at most 1 ms, then poll again */
#define PERF_NAP_NS 20000u		/* descriptor ops this large: nap between polls */

static const char *const op_names[] = { "copy", "fill", "sg" };

/* the swdma knobs of every engine a case creates (perf_run_cases()) */
static struct dmae_swdma_config eng_knobs;
/* --spin, --ws: how the client waits, which working set (perf_run_cases()) */
static bool client_spins;
/* --pin: the client's CPU (-1: none), and the CPUs every other thread gets */
static int pin_cpu = -1;
static cpu_set_t all_cpus;

/*
 * Pin the client thread to pin_cpu (on) or give it all_cpus back (off).
 * A thread inherits its creator's CPUs: engines and helper threads are
 * created while the client is not pinned.
 */
static int client_pin(bool on)
{
	cpu_set_t one;
	int ret;

	if (pin_cpu < 0)
		return 0;
	CPU_ZERO(&one);
	CPU_SET(pin_cpu, &one);
	ret = pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), on ? &one : &all_cpus);
	if (ret)
		fprintf(stderr, "dmae perf: --pin %d: %s\n", pin_cpu, strerror(ret));
	return ret ? -1 : 0;
}

struct perf_bufs {
	uint8_t *src, *dst;
};

static struct perf_bufs bufs;

static uint64_t now_ns(void)
{
	return dmae_time_ns();
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void perf_percentiles(uint64_t *v, uint64_t n, double *p50, double *p99, double *max)
{
	if (!n) {
		*p50 = *p99 = *max = 0;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	*p50 = (double)v[n / 2];
	*p99 = (double)v[(n * 99) / 100];
	*max = (double)v[n - 1];
}

double perf_p999(const uint64_t *v, uint64_t n)
{
	return n ? (double)v[(n * 999) / 1000] : 0;
}

/* ---- one repetition ------------------------------------------------------------ */

struct rep_result {
	uint64_t ops;
	double secs;
	double submit_ns;
	double cpu_ns;
	uint64_t nsamples;
	bool failed;
};

struct chan_state {
	struct dmae_chan *chan;
	struct dmae_fp *fp;
	uint64_t sent, done;
	atomic_uint_fast64_t cb_done;
	uint64_t tsub[PERF_QMAX];
	dmae_cookie_t cookie[PERF_QMAX];
};

static struct chan_state *chan_states;	/* PERF_MAX_CHANS, split among a group's cases */
static uint64_t *samples;	/* the running repetition's latencies */

/*
 * A channel's BH callbacks never run concurrently (one BH, serialised), so
 * the count has one writer: a store, not a locked read-modify-write.
 */
static void bh_done(void *arg, const struct dmae_result *res)
{
	struct chan_state *c = arg;

	(void)res;
	atomic_store_explicit(&c->cb_done,
			      atomic_load_explicit(&c->cb_done, memory_order_relaxed) + 1,
			      memory_order_release);
}

/*
 * Hard-IRQ callbacks of a channel may run on whichever worker finished the
 * batch: an atomic add.
 */
static void irq_done(void *arg, const struct dmae_result *res)
{
	struct chan_state *c = arg;

	(void)res;
	atomic_fetch_add_explicit(&c->cb_done, 1, memory_order_release);
}

/*
 * Offset of the next slot of the working set.  Stepped, not computed as
 * k % slots: a 64-bit division costs about 2 ns, a fifth of a fast path
 * operation, and would be charged to every mode alike.
 */
static inline uint64_t slot_next(const struct perf_case *pc, uint64_t *off)
{
	uint64_t o = *off;

	*off = o + pc->size > pc->ws - pc->size ? 0 : o + pc->size;
	return o;
}

/* Enqueue one operation on channel c at offset off; 0, or a negative errno. */
static int issue_one(const struct perf_case *pc, struct chan_state *c, uint64_t off)
{
	dmae_addr_t dst = dmae_addr_of(bufs.dst + off), src = dmae_addr_of(bufs.src + off);
	struct dmae_desc *d;
	dmae_cookie_t ck;
	int ret;

	switch (pc->api) {
	case PERF_FP:
		ret = pc->op == PERF_FILL ? dmae_fp_fill(c->fp, dst, PERF_FILL_VALUE, (uint32_t)pc->size, 0)
					  : dmae_fp_copy(c->fp, dst, src, (uint32_t)pc->size, 0);
		return ret < 0 ? ret : 0;
	case PERF_DESC_POLL:
	case PERF_DESC_BH:
	case PERF_DESC_IRQ: {
		unsigned int flags = DMAE_PREP_ACK |
				     (pc->api != PERF_DESC_POLL ? DMAE_PREP_INTERRUPT : 0);

		if (pc->op == PERF_SG) {
			uint64_t q = pc->size / 4;
			struct dmae_sg s[4] = { { src, q }, { src + q, q }, { src + 2 * q, q },
						{ src + 3 * q, pc->size - 3 * q } };
			struct dmae_sg t[2] = { { dst, 2 * q }, { dst + 2 * q, pc->size - 2 * q } };

			ret = dmae_chan_prep_sg(c->chan, t, 2, s, 4, flags, &d);
		} else if (pc->op == PERF_FILL) {
			ret = dmae_chan_prep_memset(c->chan, dst, PERF_FILL_VALUE, pc->size, flags, &d);
		} else {
			ret = dmae_chan_prep_memcpy(c->chan, dst, src, pc->size, flags, &d);
		}
		if (ret)
			return ret;
		if (pc->api != PERF_DESC_POLL) {
			ret = pc->api == PERF_DESC_BH ? dmae_desc_set_callback(d, bh_done, c, DMAE_CB_BH)
						      : dmae_desc_set_callback(d, irq_done, c,
									       DMAE_CB_HARDIRQ);
			if (ret)
				return ret;
		}
		ck = dmae_desc_submit(d);
		if (ck < 0)
			return ck;
		c->cookie[c->sent % PERF_QMAX] = ck;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int doorbell(const struct perf_case *pc, struct chan_state *c)
{
	int ret = pc->api == PERF_FP ? dmae_fp_submit(c->fp) : dmae_chan_issue_pending(c->chan);

	return ret < 0 ? ret : 0;
}

/*
 * Steps from cookie a to cookie b, negative if b is behind: cookies run
 * from DMAE_COOKIE_MIN to DMAE_COOKIE_MAX and wrap, and the two are less
 * than half the space apart.
 */
static int64_t cookie_steps(dmae_cookie_t a, dmae_cookie_t b)
{
	int64_t d = (int64_t)b - a;

	if (d > DMAE_COOKIE_MAX / 2)
		d -= DMAE_COOKIE_MAX;
	else if (d < -(int64_t)(DMAE_COOKIE_MAX / 2))
		d += DMAE_COOKIE_MAX;
	return d;
}

/* Completions of channel c since the last poll (-1: error reported). */
static int64_t poll_done(const struct perf_case *pc, struct chan_state *c)
{
	struct dmae_tx_state st;
	uint64_t n = 0;
	int s;

	if (c->done == c->sent)
		return 0;
	switch (pc->api) {
	case PERF_FP: {
		bool err = false;

		n = dmae_fp_completed(c->fp, 0xffff, NULL, &err);
		if (err)
			return -1;
		return (int64_t)n;
	}
	case PERF_DESC_POLL: {
		/*
		 * Ask about the oldest outstanding cookie: st.last says how far
		 * completion got, and a pending cookie is found at the head of
		 * the channel's queue (asking about the newest walks it all).
		 * A channel's cookies go up by one per submit (dmae/types.h),
		 * so the distance from the oldest to st.last counts the done.
		 */
		dmae_cookie_t oldest = c->cookie[c->done % PERF_QMAX];
		int64_t ahead;

		s = dmae_chan_status(c->chan, oldest, &st);
		if (s < 0 || s == DMAE_ERROR)
			return -1;
		ahead = cookie_steps(oldest, st.last);
		n = ahead < 0 ? 0 : (uint64_t)ahead + 1;
		return (int64_t)(n < c->sent - c->done ? n : c->sent - c->done);
	}
	case PERF_DESC_BH:
	case PERF_DESC_IRQ:
		return (int64_t)(atomic_load_explicit(&c->cb_done, memory_order_acquire) - c->done);
	default:
		return 0;
	}
}

/* One thread of a CPU baseline: slots first .. first + nslots - 1, in turn. */
struct cpu_run {
	const struct perf_case *pc;
	uint64_t first, nslots, end;	/* slots; end: dmae_time_ns() */
	bool nt;			/* non-temporal stores */
	struct rep_result *rr;		/* latency samples (one thread only) */
	uint64_t ops;
};

static void *cpu_loop(void *arg)
{
	struct cpu_run *cr = arg;
	const struct perf_case *pc = cr->pc;
	uint64_t off = cr->first * pc->size, k = 0;
	uint64_t limit = (cr->first + cr->nslots) * pc->size;
	uint64_t t = now_ns();
	bool fill = pc->op == PERF_FILL;

	/* at least one operation: a thread descheduled past the end still
	 * gives the repetition a figure (its time is the one it took) */
	do {
		uint64_t t1;

		if (cr->nt)
			cpu_nt_move(bufs.dst + off, bufs.src + off, pc->size, fill, PERF_FILL_VALUE);
		else if (fill)
			memset(bufs.dst + off, PERF_FILL_VALUE, pc->size);
		else
			memcpy(bufs.dst + off, bufs.src + off, pc->size);
		off = off + 2 * pc->size > limit ? cr->first * pc->size : off + pc->size;
		k++;
		if (pc->size >= 4096 || !(k & 31)) {
			struct rep_result *rr = cr->rr;

			t1 = now_ns();
			if (rr && rr->nsamples < PERF_MAX_SAMPLES)
				samples[rr->nsamples++] = pc->size >= 4096 ? t1 - t : (t1 - t) / 32;
			t = t1;
		}
	} while (t < cr->end);
	cr->ops = k;
	return NULL;
}

/*
 * A CPU baseline: glibc on the client thread, a non-temporal copy on it,
 * or two threads (the client and one more) each copying its half of the
 * slots (halves, not every other slot: neighbouring lines written from
 * two CPUs would bounce between them), with non-temporal stores on the
 * DRAM working set.  *written: the operations of each thread, for
 * verify().
 */
static int run_cpu(const struct perf_case *pc, struct rep_result *rr, uint64_t written[2])
{
	uint64_t t0 = now_ns(), c0 = cpu_ns();
	uint64_t nslots = pc->ws / pc->size;
	struct cpu_run a = { .pc = pc, .first = 0, .nslots = nslots, .rr = rr,
			     .nt = pc->cpu == PERF_CPU_NT || (pc->cpu == PERF_CPU_2T && pc->cold) };
	struct cpu_run b = a;
	pthread_t tid;

	a.end = t0 + (uint64_t)(rr->secs * 1e9);
	b.end = a.end;
	written[1] = 0;
	if (pc->cpu == PERF_CPU_2T) {
		a.nslots = nslots / 2;
		b.first = a.nslots;
		b.nslots = nslots - a.nslots;
		b.rr = NULL;
		pthread_attr_t attr;
		int err = pthread_attr_init(&attr);

		if (!err && pin_cpu >= 0)
			err = pthread_attr_setaffinity_np(&attr, sizeof(cpu_set_t), &all_cpus);
		if (!err)
			err = pthread_create(&tid, &attr, cpu_loop, &b);
		pthread_attr_destroy(&attr);
		if (err) {
			fprintf(stderr, "dmae perf: %s: no second thread\n", pc->name);
			return -1;
		}
		cpu_loop(&a);
		pthread_join(tid, NULL);
		written[1] = b.ops;
	} else {
		cpu_loop(&a);
	}
	written[0] = a.ops;
	rr->ops = a.ops + b.ops * (pc->cpu == PERF_CPU_2T);
	rr->secs = (double)(now_ns() - t0) / 1e9;
	rr->cpu_ns = rr->ops ? (double)(cpu_ns() - c0) / (double)rr->ops : 0;
	rr->submit_ns = rr->cpu_ns;
	return 0;
}

/*
 * The client loop reads the clock only where it needs it: for every
 * PERF_LAT_EVERY-th operation of a channel (its latency sample) and every
 * 16th turn (the end of the run).  A clock read per operation would count
 * the benchmark's own cost in the client's CPU per operation: at one
 * operation per doorbell, about a tenth of it.
 */
#define PERF_LAT_EVERY 16u

struct loop_clock {
	uint64_t t;
	bool valid;
};

static uint64_t loop_now(struct loop_clock *lc)
{
	if (!lc->valid) {
		lc->t = now_ns();
		lc->valid = true;
	}
	return lc->t;
}

/* What run_engine() carries from one burst to the next. */
struct engine_run {
	uint64_t next;		/* offset of the next operation's slot */
	uint64_t submit_ns;	/* client time in timed bursts */
	uint64_t timed_ops;	/* operations in timed bursts */
};

/*
 * Enqueue up to a burst on c (fewer when its queue or the engine is full)
 * and ring the doorbell; a timed burst adds its client time to er.
 * Returns the number enqueued, or -1 after printing the failure.
 */
static int64_t enqueue_burst(const struct perf_case *pc, struct chan_state *c,
			     struct engine_run *er, struct loop_clock *lc, bool timed)
{
	uint64_t room = pc->qd - (c->sent - c->done), k, j, ts = 0;

	k = room < pc->burst ? room : pc->burst;
	if (k && timed)
		ts = now_ns();
	for (j = 0; j < k; j++) {
		uint64_t off = er->next;
		int ret = issue_one(pc, c, slot_next(pc, &er->next));

		if (ret == -ENOSPC) {
			er->next = off;
			k = j;
			break;
		}
		if (ret) {
			fprintf(stderr, "dmae perf: %s: enqueue: %s\n", pc->name, dmae_errname(ret));
			return -1;
		}
		if (!(c->sent % PERF_LAT_EVERY))
			c->tsub[c->sent % PERF_QMAX] = loop_now(lc);
		c->sent++;
	}
	if (k) {
		doorbell(pc, c);
		if (timed) {
			er->submit_ns += now_ns() - ts;
			er->timed_ops += k;
		}
	}
	return (int64_t)k;
}

/* Latency samples of the sampled ones of n operations of c seen complete now. */
static void record_done(struct chan_state *c, int64_t n, struct loop_clock *lc,
			struct rep_result *rr)
{
	uint64_t i = (c->done + PERF_LAT_EVERY - 1) / PERF_LAT_EVERY * PERF_LAT_EVERY;

	for (; i < c->done + (uint64_t)n; i += PERF_LAT_EVERY) {
		if (rr->nsamples < PERF_MAX_SAMPLES)
			samples[rr->nsamples++] = loop_now(lc) - c->tsub[i % PERF_QMAX];
	}
	c->done += (uint64_t)n;
}

static bool all_done(const struct perf_case *pc, const struct chan_state *cs)
{
	bool all = true;

	for (unsigned int ci = 0; ci < pc->chans; ci++)
		all &= cs[ci].done == cs[ci].sent;
	return all;
}

/*
 * After 64 empty polls, let the engine's threads run.  Spinning like a
 * DPDK lcore is faster on an idle machine but starves the workers when
 * the CPUs are shared (measured: 0.2 instead of 20 Mops/s at load 8 on 2
 * CPUs).  A large fast path op keeps the engine busy for microseconds:
 * the client sleeps until a burst has completed instead of polling, so
 * that it leaves both CPUs to two workers (docs/performance.md); it wakes
 * with half the queue still in flight, so the engine never drains.  A
 * descriptor client naps instead (the file's head says why), and with
 * --spin the client never lets go of its CPU, as a DPDK lcore.
 */
static void idle_wait(const struct perf_case *pc, struct chan_state *c)
{
	uint16_t wait_count = (uint16_t)(pc->burst < pc->qd / 2 ? pc->burst : pc->qd / 2);

	if (client_spins)
		return;
	if (pc->api == PERF_FP && pc->chans == 1 && pc->size >= PERF_WAIT_MIN)
		dmae_fp_wait(c->fp, wait_count, PERF_WAIT_NS);
	else if (pc->api != PERF_FP && pc->size >= PERF_WAIT_MIN)
		dmae_sleep_ns(PERF_NAP_NS);
	else
		sched_yield();
}

/*
 * The client loop: round robin over the case's channels, collect what
 * completed, enqueue a burst until the time is up, then drain.
 */
static void run_engine(const struct perf_case *pc, struct chan_state *cs, struct rep_result *rr)
{
	uint64_t t0 = now_ns(), c0 = cpu_ns(), end = t0 + (uint64_t)(rr->secs * 1e9);
	struct engine_run er = { 0 };
	uint64_t total = 0;
	unsigned int idle = 0, it = 0, ci;
	bool stopping = false;

	for (ci = 0; ci < pc->chans; ci++) {
		cs[ci].sent = cs[ci].done = 0;
		atomic_store(&cs[ci].cb_done, 0);
	}
	for (;;) {
		struct chan_state *c = &cs[it++ % pc->chans];
		struct loop_clock lc = { 0, false };
		int64_t n = poll_done(pc, c), k = 0;

		if (n < 0) {
			fprintf(stderr, "dmae perf: %s: an operation failed\n", pc->name);
			rr->failed = true;
			return;
		}
		record_done(c, n, &lc, rr);
		total += (uint64_t)n;
		if (!stopping && !(it & 15) && loop_now(&lc) >= end)
			stopping = true;
		if (!stopping) {
			k = enqueue_burst(pc, c, &er, &lc, !(it & 15));
			if (k < 0) {
				rr->failed = true;
				return;
			}
		} else if (all_done(pc, cs)) {
			break;
		}
		if (n || k) {
			idle = 0;
		} else if (++idle >= (pc->api != PERF_FP && pc->size >= PERF_WAIT_MIN ? 1u : 64u)) {
			idle_wait(pc, c);
			idle = 0;
		}
	}
	rr->ops = total;
	rr->secs = (double)(now_ns() - t0) / 1e9;
	rr->cpu_ns = total ? (double)(cpu_ns() - c0) / (double)total : 0;
	rr->submit_ns = er.timed_ops ? (double)er.submit_ns / (double)er.timed_ops : 0;
}

/* ---- one case -------------------------------------------------------------------- */

/*
 * The case's engine and its channels, taken right after it is created: the
 * engine has exactly pc->chans channels, and those of the group's other
 * engines are already held, so each request gets one of this engine's.
 */
static int engine_up(struct perf_case *pc, struct dmae_dev *dev, struct chan_state *cs,
		     struct dmae_swdma **sw)
{
	struct dmae_swdma_config cfg = eng_knobs;
	/* One thread drives each channel, as with the fast path. */
	struct dmae_chan_opts opts = { .pool_size = PERF_QMAX + 64,
				       .flags = pc->any_thread ? 0 : DMAE_CHAN_OPT_ONE_SUBMITTER };
	unsigned int i;
	int ret;

	cfg.nr_chans = pc->chans;
	cfg.nr_workers = pc->workers;
	ret = dmae_swdma_create(&cfg, sw);
	if (ret) {
		tool_call_error("dmae perf", "dmae_swdma_create", ret);
		return ret;
	}
	for (i = 0; i < pc->chans; i++) {
		ret = dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, &opts, &cs[i].chan);
		if (!ret && pc->api == PERF_FP)
			ret = dmae_chan_fp_get(cs[i].chan, &cs[i].fp);
		if (ret) {
			tool_call_error("dmae perf", "dmae_chan_request_caps/fp_get", ret);
			return ret;
		}
	}
	return 0;
}

static void engine_down(const struct perf_case *pc, struct chan_state *cs, struct dmae_swdma *sw)
{
	unsigned int i;

	for (i = 0; i < pc->chans; i++) {
		if (cs[i].chan)
			dmae_chan_release(cs[i].chan);
		cs[i].chan = NULL;
		cs[i].fp = NULL;
	}
	if (sw)
		dmae_swdma_destroy(sw);
}

/* Are the first n of the count slots from slot first of the destination right? */
static bool verify_slots(const struct perf_case *pc, uint64_t first, uint64_t count, uint64_t n)
{
	uint64_t k;

	for (k = first; n && k < first + count; k++, n--) {
		const uint8_t *d = bufs.dst + k * pc->size;

		if (pc->op == PERF_FILL) {
			for (uint64_t i = 0; i < pc->size; i++) {
				if (d[i] != PERF_FILL_VALUE)
					return false;
			}
		} else if (memcmp(d, bufs.src + k * pc->size, pc->size)) {
			return false;
		}
	}
	return true;
}

/* written[t]: operations of thread t (one thread but for cpu-2t). */
static bool verify(const struct perf_case *pc, const uint64_t written[2])
{
	uint64_t nslots = pc->ws / pc->size;

	if (pc->api == PERF_CPU && pc->cpu == PERF_CPU_2T)
		return verify_slots(pc, 0, nslots / 2, written[0]) &&
		       verify_slots(pc, nslots / 2, nslots - nslots / 2, written[1]);
	return verify_slots(pc, 0, nslots, written[0]);
}

static int cmp_rep(const void *a, const void *b)
{
	const struct rep_result *x = a, *y = b;
	double rx = x->ops / x->secs, ry = y->ops / y->secs;

	return rx < ry ? -1 : rx > ry;
}

/* A case of the running group, and its repetitions. */
struct case_run {
	struct perf_case *pc;
	struct dmae_swdma *sw;		/* the engine while it runs; NULL for the CPU baseline */
	struct chan_state *cs;		/* pc->chans entries of chan_states[] */
	struct rep_result reps[PERF_MAX_REPS];
	bool failed;			/* no more repetitions */
};

/* Release the case's channels and destroy its engine, if it has them. */
static void case_down(struct case_run *cr)
{
	engine_down(cr->pc, cr->cs, cr->sw);
	cr->sw = NULL;
}

/* Operation of the CPU baseline a case is compared with. */
static enum perf_op baseline_op(const struct perf_case *pc)
{
	return pc->op == PERF_FILL ? PERF_FILL : PERF_COPY;
}

static bool same_group(const struct perf_case *a, const struct perf_case *b)
{
	return baseline_op(a) == baseline_op(b) && a->size == b->size && a->cold == b->cold;
}

/* Working set, queue depth and burst of a case, before its first rep. */
static void case_shape(struct perf_case *pc)
{
	pc->ws = pc->cold ? PERF_COLD_WS : (pc->size > PERF_HOT_WS ? pc->size : PERF_HOT_WS);
	/* two threads need a slot each: one operation's set per thread */
	if (pc->api == PERF_CPU && pc->cpu == PERF_CPU_2T && pc->ws < 2 * pc->size)
		pc->ws = 2 * pc->size;
	if (pc->api != PERF_CPU) {
		uint64_t cap = PERF_INFLIGHT_BYTES / pc->size;

		if (pc->qd > cap)
			pc->qd = cap < 2 ? 2 : (uint32_t)cap;
		if (pc->burst > pc->qd)
			pc->burst = pc->qd;
	}
}

/*
 * One run of a case for secs, untimed or timed alike, its figures in *rr.
 * The destination is cleared first and checked after, every run: the
 * group's other cases write the same bytes to the same buffer, so a check
 * at the end could not tell whose bytes it saw.
 */
static int run_once(struct case_run *cr, struct rep_result *rr, uint64_t ns)
{
	struct perf_case *pc = cr->pc;
	uint64_t written[2] = { 0, 0 };

	memset(rr, 0, sizeof(*rr));
	rr->secs = (double)ns / 1e9;
	memset(bufs.dst, 0, (pc->ws / pc->size) * pc->size);
	if (pc->api == PERF_CPU) {
		if (run_cpu(pc, rr, written))
			return -1;
	} else {
		run_engine(pc, cr->cs, rr);
		written[0] = rr->ops;
	}
	if (rr->failed)
		return -1;
	if (!verify(pc, written)) {
		fprintf(stderr, "dmae perf: %s %s %" PRIu64 " B: destination data is wrong\n",
			pc->name, op_names[pc->op], pc->size);
		return -1;
	}
	return 0;
}

/*
 * Repetition r of a case (0: the warm-up, a third as long).  Each timed
 * repetition follows a settle run of a sixth of its length, untimed: in
 * turns, the other cases of the group ran since this one's last
 * repetition, and its engine's workers went to sleep and its descriptors
 * left the caches meanwhile.  Timing that restart penalised the engine
 * modes more than the baseline (docs/performance.md, "Method").
 */
static int run_rep(struct case_run *cr, const struct perf_opts *o, uint32_t r)
{
	struct perf_case *pc = cr->pc;
	struct rep_result *rr = &cr->reps[r ? r - 1 : 0];

	if (r && run_once(cr, rr, o->time_ns / 6))
		return -1;
	if (run_once(cr, rr, r ? o->time_ns : o->time_ns / 3))
		return -1;
	/* latency percentiles: those of the last repetition */
	if (r == o->reps)
		perf_percentiles(samples, rr->nsamples, &pc->p50_ns, &pc->p99_ns, &pc->max_ns);
	return 0;
}

/* The figures of the median repetition (by Mops/s). */
static void case_median(struct case_run *cr, const struct perf_opts *o)
{
	struct perf_case *pc = cr->pc;
	struct rep_result *m;

	for (uint32_t i = 0; i < o->reps; i++)
		pc->rep_gbs[i] = (double)cr->reps[i].ops * (double)pc->size / cr->reps[i].secs / 1e9;
	pc->nreps = o->reps;
	qsort(cr->reps, o->reps, sizeof(cr->reps[0]), cmp_rep);
	m = &cr->reps[o->reps / 2];
	pc->ops = m->ops;
	pc->mops = (double)m->ops / m->secs / 1e6;
	pc->gbs = (double)m->ops * (double)pc->size / m->secs / 1e9;
	pc->submit_ns = m->submit_ns;
	pc->cpu_ns = m->cpu_ns;
	pc->verified = true;
}

/*
 * The single-operation cases are shown beside the placement they ran on:
 * the line round trip measured right before their group (after: right
 * after it), once for the group.
 */
static void single_rtt(struct perf_case *pcs, unsigned int n, bool after)
{
	double rtt = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (!perf_case_single(&pcs[i]))
			continue;
		if (!(rtt > 0))
			rtt = line_rtt_ns();
		*(after ? &pcs[i].rtt_after_ns : &pcs[i].rtt_ns) = rtt;
	}
}

/*
 * Run n cases of one group in rounds: every case's warm-up, then round
 * after round one timed repetition of each.  The copy bandwidth of the
 * machine in docs/performance.md moves by ~10 % from one second to the
 * next; measuring the baseline a second before the engine let a ratio
 * move as much.  Idle engines cost nothing meanwhile: their workers sleep
 * after spin_ns + yield_ns.  Returns the number of cases that failed.
 */
static unsigned int run_group(struct perf_case *pcs, unsigned int n, const struct perf_opts *o,
			      struct dmae_dev *dev)
{
	struct case_run runs[PERF_GROUP_MAX];
	unsigned int i, chans = 0, failed = 0;
	uint32_t r;

	for (i = 0; i < n; i++) {
		struct case_run *cr = &runs[i];

		memset(cr, 0, sizeof(*cr));
		cr->pc = &pcs[i];
		cr->cs = &chan_states[chans];
		chans += pcs[i].chans;
		case_shape(cr->pc);
		if (cr->pc->api != PERF_CPU && engine_up(cr->pc, dev, cr->cs, &cr->sw)) {
			case_down(cr);
			cr->failed = true;
		}
	}
	single_rtt(pcs, n, false);
	if (client_pin(true)) {
		for (i = 0; i < n; i++)
			runs[i].failed = true;
	}
	for (r = 0; r <= o->reps; r++) {
		for (i = 0; i < n; i++) {
			struct case_run *cr = &runs[i];

			if (cr->failed)
				continue;
			if (run_rep(cr, o, r)) {
				/* now: a failed repetition may leave operations in flight */
				cr->failed = true;
				case_down(cr);
			}
		}
	}
	client_pin(false);
	single_rtt(pcs, n, true);
	for (i = 0; i < n; i++) {
		struct case_run *cr = &runs[i];

		case_down(cr);
		if (cr->failed)
			failed++;
		else
			case_median(cr, o);
	}
	return failed;
}

unsigned int perf_run_cases(struct perf_report *rep, const struct perf_opts *o,
			    struct dmae_dev *dev)
{
	unsigned int first = 0, failed = 0;

	eng_knobs = o->knobs;
	client_spins = o->spin;
	pin_cpu = o->pin;
	if (pin_cpu >= 0 && pthread_getaffinity_np(pthread_self(), sizeof(all_cpus), &all_cpus)) {
		fprintf(stderr, "dmae perf: --pin: cannot read the CPUs of this thread\n");
		return rep->ncases;
	}

	while (first < rep->ncases) {
		unsigned int n = 1, chans = rep->cases[first].chans;

		while (first + n < rep->ncases && n < PERF_GROUP_MAX &&
		       same_group(&rep->cases[first], &rep->cases[first + n]) &&
		       chans + rep->cases[first + n].chans <= PERF_MAX_CHANS)
			chans += rep->cases[first + n++].chans;
		failed += run_group(&rep->cases[first], n, o, dev);
		first += n;
	}
	return failed;
}

/* ---- the sweep -------------------------------------------------------------------- */

/* Is name one of the comma-separated modes (or are all modes wanted)? */
static bool mode_wanted(const char *modes, const char *name)
{
	size_t n = strlen(name);
	const char *p = modes;

	if (!modes)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == modes || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static const char *const mode_names[] = { "memcpy", "memset", "cpu-nt", "cpu-2t", "fp-1w",
					  "fp-2w", "fp-64ch", "fp-fill-1w", "fp-fill-2w",
					  "desc-poll-1w", "desc-bh-1w", "desc-poll-mt-1w",
					  "desc-bh-mt-1w", "desc-sg-1w", "fp-1w-b1",
					  "desc-irq-1w-b1" };

bool perf_mode_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(name, mode_names[i]))
			return true;
	}
	return false;
}

static struct perf_case *add_case(struct perf_report *r, const struct perf_opts *o,
				  const char *name, enum perf_api api, enum perf_op op,
				  uint64_t size, uint32_t burst, uint32_t chans, uint32_t workers,
				  bool cold)
{
	struct perf_case *pc;

	if (!mode_wanted(o->modes, name))
		return NULL;
	pc = &r->cases[r->ncases++];
	memset(pc, 0, sizeof(*pc));
	snprintf(pc->name, sizeof(pc->name), "%s", name);
	pc->api = api;
	pc->op = op;
	pc->size = size;
	pc->burst = burst;
	pc->qd = o->qd;
	pc->chans = chans;
	pc->workers = workers;
	pc->cold = cold;
	return pc;
}

/* The CPU baselines of one operation, size and working set. */
static void add_baselines(struct perf_report *r, const struct perf_opts *o, enum perf_op op,
			  uint64_t s, bool cold)
{
	struct perf_case *pc;

	add_case(r, o, op == PERF_FILL ? "memset" : "memcpy", PERF_CPU, op, s, 1, 0, 0, cold);
	if (cpu_nt_kind()) {
		pc = add_case(r, o, "cpu-nt", PERF_CPU, op, s, 1, 0, 0, cold);
		if (pc)
			pc->cpu = PERF_CPU_NT;
	}
	pc = add_case(r, o, "cpu-2t", PERF_CPU, op, s, 1, 0, 0, cold);
	if (pc)
		pc->cpu = PERF_CPU_2T;
}

/* The cases of one size of the sweep (or of --sizes). */
static void add_size(struct perf_report *r, const struct perf_opts *o, uint64_t s, bool cold)
{
	uint32_t b = o->burst;
	struct perf_case *pc;

	add_baselines(r, o, PERF_COPY, s, cold);
	add_case(r, o, "fp-1w", PERF_FP, PERF_COPY, s, b, 1, 1, cold);
	add_case(r, o, "fp-2w", PERF_FP, PERF_COPY, s, b, 1, 2, cold);
	if (o->quick && s > 4096)
		return;
	add_case(r, o, "desc-poll-1w", PERF_DESC_POLL, PERF_COPY, s, b, 1, 1, cold);
	add_case(r, o, "desc-bh-1w", PERF_DESC_BH, PERF_COPY, s, b, 1, 1, cold);
	if (s != 64)
		return;
	/*
	 * Channel scaling, in the 64 B turns: its target compares the
	 * client's cost per op with fp-1w's, and a vCPU placement that
	 * changed between them would show as a change of cost.
	 */
	add_case(r, o, "fp-64ch", PERF_FP, PERF_COPY, s, b, 64, 1, cold);
	/* the same on a channel any thread may submit to: the lock's cost */
	pc = add_case(r, o, "desc-poll-mt-1w", PERF_DESC_POLL, PERF_COPY, s, b, 1, 1, cold);
	if (pc)
		pc->any_thread = true;
	pc = add_case(r, o, "desc-bh-mt-1w", PERF_DESC_BH, PERF_COPY, s, b, 1, 1, cold);
	if (pc)
		pc->any_thread = true;
	/* single operations: one per doorbell */
	add_case(r, o, "fp-1w-b1", PERF_FP, PERF_COPY, s, 1, 1, 1, cold);
	add_case(r, o, "desc-irq-1w-b1", PERF_DESC_IRQ, PERF_COPY, s, 1, 1, 1, cold);
}

void perf_build_cases(struct perf_report *r, const struct perf_opts *o)
{
	static const uint64_t def_sizes[] = { 64, 256, 1024, 4096, 16384, 65536, 262144,
					      1048576, 4194304 };
	const uint64_t *sizes = o->nsizes ? o->sizes : def_sizes;
	unsigned int n = o->nsizes ? o->nsizes : sizeof(def_sizes) / sizeof(def_sizes[0]), i;
	uint32_t b = o->burst;

	for (i = 0; i < n; i++)
		add_size(r, o, sizes[i], o->ws ? o->ws == 2 : sizes[i] >= 65536);
	if (o->nsizes)
		return;
	/* the other operations, the other working set */
	add_baselines(r, o, PERF_FILL, 64, false);
	add_case(r, o, "fp-fill-1w", PERF_FP, PERF_FILL, 64, b, 1, 1, false);
	add_baselines(r, o, PERF_FILL, 1048576, true);
	add_case(r, o, "fp-fill-1w", PERF_FP, PERF_FILL, 1048576, b, 1, 1, true);
	add_case(r, o, "fp-fill-2w", PERF_FP, PERF_FILL, 1048576, b, 1, 2, true);
	add_case(r, o, "desc-sg-1w", PERF_DESC_POLL, PERF_SG, 4096, b, 1, 1, false);
	add_case(r, o, "desc-sg-1w", PERF_DESC_POLL, PERF_SG, 1048576, b, 1, 1, true);
	add_baselines(r, o, PERF_COPY, 1048576, false);
	add_case(r, o, "fp-1w", PERF_FP, PERF_COPY, 1048576, b, 1, 1, false);
	add_case(r, o, "fp-2w", PERF_FP, PERF_COPY, 1048576, b, 1, 2, false);
	add_case(r, o, "desc-poll-1w", PERF_DESC_POLL, PERF_COPY, 1048576, b, 1, 1, false);
	add_case(r, o, "desc-bh-1w", PERF_DESC_BH, PERF_COPY, 1048576, b, 1, 1, false);
}

/* The CPU baseline kind of op, size and working set of pc (NULL: none). */
static const struct perf_case *baseline(const struct perf_report *r, const struct perf_case *pc,
					enum perf_cpu kind)
{
	enum perf_op want = baseline_op(pc);
	unsigned int j;

	for (j = 0; j < r->ncases; j++) {
		const struct perf_case *b = &r->cases[j];

		if (b->api == PERF_CPU && b->cpu == kind && b->op == want &&
		    b->size == pc->size && b->cold == pc->cold && b->gbs > 0)
			return b;
	}
	return NULL;
}

/* The best one-thread CPU copy is the faster of glibc and cpu-nt, by their medians. */
void perf_set_ratios(struct perf_report *r)
{
	unsigned int i;

	for (i = 0; i < r->ncases; i++) {
		struct perf_case *pc = &r->cases[i];
		const struct perf_case *libc = baseline(r, pc, PERF_CPU_LIBC);
		const struct perf_case *nt = baseline(r, pc, PERF_CPU_NT);
		const struct perf_case *two = baseline(r, pc, PERF_CPU_2T);
		const struct perf_case *best = !nt || (libc && libc->gbs > nt->gbs) ? libc : nt;

		pc->ratio = perf_ratio(pc, libc);
		pc->ratio_best = perf_ratio(pc, best);
		pc->ratio_2t = pc->workers == 2 || (pc->api == PERF_CPU && pc->cpu == PERF_CPU_2T)
				       ? perf_ratio(pc, two) : 0;
	}
}

/* ---- buffers --------------------------------------------------------------------- */

int perf_buffers_alloc(void)
{
	uint64_t v;

	chan_states = aligned_alloc(64, sizeof(*chan_states) * PERF_MAX_CHANS);
	samples = malloc(sizeof(*samples) * PERF_MAX_SAMPLES);
	bufs.src = aligned_alloc(4096, PERF_COLD_WS);
	bufs.dst = aligned_alloc(4096, PERF_COLD_WS);
	if (!chan_states || !samples || !bufs.src || !bufs.dst)
		return -1;
	memset(chan_states, 0, sizeof(*chan_states) * PERF_MAX_CHANS);
	for (v = 0; v < PERF_COLD_WS / 8; v++)
		((uint64_t *)(void *)bufs.src)[v] = v * 0x9e3779b97f4a7c15ull;
	return 0;
}

void perf_buffers_free(void)
{
	free(bufs.src);
	free(bufs.dst);
	free(samples);
	free(chan_states);
	bufs.src = bufs.dst = NULL;
	samples = NULL;
	chan_states = NULL;
}
