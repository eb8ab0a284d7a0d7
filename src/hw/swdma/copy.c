/* SPDX-License-Identifier: MIT */
/*
 * The software copy engine's data movers: non-temporal copy and fill
 * kernels, the per-worker measurement that picks them (struct
 * swdma_tune), and split jobs, which let idle workers help with a run of
 * large fast path ops.
 */
#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#endif

#include "hw/swdma/move.h"

#define SWDMA_TUNE_MEASURE (16u << 20)	/* auto: timed over this many bytes per kind ... */
#define SWDMA_TUNE_SETTLE (32u << 20)	/* ... the other kind after this many untimed ... */
#define SWDMA_TUNE_PERIOD (256u << 20)	/* ... every this many bytes at first ... */
#define SWDMA_TUNE_PERIOD_MAX (2048u << 20) /* ... up to this while the kind holds */

#if SWDMA_HAVE_NT
/*
 * Copy or fill with non-temporal stores, dst aligned to 64 first, and
 * with fence, a store fence after them: non-temporal stores are weakly
 * ordered, and the fence makes them visible before what follows (a done
 * index, a piece count).  Two bodies: SSE2 (every x86-64) and AVX2, chosen at run time: the 32-byte
 * stores moved about 10 % more in a two-thread DRAM copy on the machine
 * of docs/performance.md.
 */
#define SWDMA_NT_BODY(vec, load, splat, stream)                                 \
	uint64_t head = (64 - ((uintptr_t)dst & 63)) & 63;                       \
	const vec pat = splat((char)v);                                          \
                                                                                 \
	if (head > len)                                                          \
		head = len;                                                      \
	if (head && fill)                                                        \
		memset(dst, v, head);                                            \
	else if (head)                                                           \
		memcpy(dst, src, head);                                          \
	dst += head;                                                             \
	src += head;                                                             \
	len -= head;                                                             \
	for (; len >= 64; len -= 64, dst += 64, src += 64) {                     \
		vec x[64 / sizeof(vec)];                                         \
                                                                                 \
		for (unsigned int k = 0; k < 64 / sizeof(vec); k++)              \
			x[k] = fill ? pat : load((const void *)(src + k * sizeof(vec))); \
		for (unsigned int k = 0; k < 64 / sizeof(vec); k++)              \
			stream((void *)(dst + k * sizeof(vec)), x[k]);           \
	}                                                                        \
	if (len && fill)                                                         \
		memset(dst, v, len);                                             \
	else if (len)                                                            \
		memcpy(dst, src, len);                                           \
	if (fence)                                                               \
		_mm_sfence()

void swdma_nt_move_sse2(uint8_t *dst, const uint8_t *src, uint64_t len, bool fill, uint8_t v,
			bool fence)
{
	SWDMA_NT_BODY(__m128i, _mm_loadu_si128, _mm_set1_epi8, _mm_stream_si128);
}

__attribute__((target("avx2"))) void swdma_nt_move_avx2(uint8_t *dst, const uint8_t *src,
							uint64_t len, bool fill, uint8_t v,
							bool fence)
{
	SWDMA_NT_BODY(__m256i, _mm256_loadu_si256, _mm256_set1_epi8, _mm256_stream_si256);
}
#undef SWDMA_NT_BODY
#endif

/* The end of a probe: the faster kind, and when to look again. */
static void tune_decide(struct swdma_tune *t)
{
	bool keep = true;

	if (t->ns[0] && t->ns[1]) {
		double rate[2] = { (double)t->bytes[0] / (double)t->ns[0],
				   (double)t->bytes[1] / (double)t->ns[1] };

		keep = rate[!t->nt] <= rate[t->nt] * (1.0 + 1.0 / 16);
	}
	if (keep) {
		t->period = t->period * 2 > SWDMA_TUNE_PERIOD_MAX ? SWDMA_TUNE_PERIOD_MAX
								  : t->period * 2;
	} else {
		t->nt = !t->nt;
		t->period = SWDMA_TUNE_PERIOD;
	}
	t->phase = SWDMA_TUNE_RUN;
	t->left = t->period;
}

bool swdma_tune_pick(struct swdma_tune *t, uint64_t len, bool *timed)
{
	if (t->phase == SWDMA_TUNE_RUN) {
		if (t->left > len) {
			t->left -= len;
			*timed = false;
			return t->nt;
		}
		if (!t->period)		/* a new worker: probe at once */
			t->period = SWDMA_TUNE_PERIOD / 2;
		t->phase = SWDMA_TUNE_OWN;
		t->left = SWDMA_TUNE_MEASURE;
		t->ns[0] = t->ns[1] = t->bytes[0] = t->bytes[1] = 0;
	}
	*timed = true;
	return t->phase == SWDMA_TUNE_OWN ? t->nt : !t->nt;
}

void swdma_tune_account(struct swdma_tune *t, bool nt, uint64_t len, uint64_t ns)
{
	if (t->phase == SWDMA_TUNE_OWN || t->left <= SWDMA_TUNE_MEASURE) {
		t->ns[nt] += ns;
		t->bytes[nt] += len;
	}
	if (t->left > len) {
		t->left -= len;
	} else if (t->phase == SWDMA_TUNE_OWN) {
		t->phase = SWDMA_TUNE_OTHER;
		t->left = SWDMA_TUNE_SETTLE + SWDMA_TUNE_MEASURE;
	} else {
		tune_decide(t);
	}
}

/* A move of nt_min auto by the worker that owns t (see struct swdma_tune). */
void swdma_tuned_move(const struct swdma_engine *sw, struct swdma_tune *t, int op,
		      uint64_t dst, uint64_t src, uint64_t len)
{
	uint64_t t0;
	bool timed, nt = swdma_tune_pick(t, len, &timed);

	if (!timed) {
		move_kind(sw, nt, op, dst, src, len);
		return;
	}
	t0 = hw_time_ns();
	move_kind(sw, nt, op, dst, src, len);
	swdma_tune_account(t, nt, len, hw_time_ns() - t0);
}

/* ---- split jobs ------------------------------------------------------------------ */

/* Run pieces of job while there are some.  Returns the pieces run. */
static unsigned int job_work(struct swdma_worker *w, struct swdma_job *job)
{
	unsigned int ran = 0;

	for (;;) {
		uint64_t t = atomic_load_explicit(&job->ticket, memory_order_acquire), next;
		uint32_t i = (uint32_t)t >> 20, piece = (uint32_t)t & 0xfffffu;
		uint64_t dst, src, chunk, off, n, len;
		int op;

		if (!((t >> 32) & 1) || i >= atomic_load_explicit(&job->nops, memory_order_relaxed))
			return ran;
		dst = atomic_load_explicit(&job->ops[i].dst, memory_order_relaxed);
		src = atomic_load_explicit(&job->ops[i].src, memory_order_relaxed);
		len = atomic_load_explicit(&job->ops[i].len, memory_order_relaxed);
		op = atomic_load_explicit(&job->ops[i].op, memory_order_relaxed);
		chunk = atomic_load_explicit(&job->chunk, memory_order_relaxed);
		off = (uint64_t)piece * chunk;
		n = len - off < chunk ? len - off : chunk;
		next = off + n < len ? t + 1 : (t >> 32) << 32 | (uint64_t)(i + 1) << 20;
		if (!atomic_compare_exchange_weak(&job->ticket, &t, next))
			continue;
		hw_move(w->sw, &w->tune, op, dst + off, op == SWDMA_FP_FILL ? src : src + off, n);
		atomic_fetch_add_explicit(&job->pieces_done, 1, memory_order_release);
		ran++;
	}
}

/*
 * Run the op at head (len >= split, its result OK) and the large ops after
 * it as one split job with the idle workers; return when all are done.
 * Its ops have started: a fault the test hook arms meanwhile fails the
 * op after the job, a terminate that lands before an op is taken aborts
 * it.
 * One job for a run of ops, not one per op: each job costs its helpers a
 * few cache line transfers to start and its owner a wait for the slowest
 * piece, on a machine where that is a fair share of a 256 KiB copy.  The
 * ops after head join while they are at least split bytes, are not
 * aborted, the job stays within SWDMA_JOB_OPS and SWDMA_JOB_BYTES,
 * and no DMAE_FP_FENCE op lies after head (the client publishes its
 * newest fenced op with the doorbell: fence; one within a ring's length
 * after head may be among them, and they would no longer start in order).
 * Returns the ops run; *moved receives their bytes.
 */
uint32_t swdma_split_run(struct swdma_worker *w, struct swdma_fp *f, uint32_t head,
			 uint32_t end, uint64_t split, uint64_t *moved)
{
	struct swdma_engine *sw = w->sw;
	struct swdma_job *job = &w->job;
	uint32_t chunk = sw->cfg.split_chunk, nops = 0, npieces = 0, i;
	uint32_t fence = atomic_load_explicit(&f->fence, memory_order_relaxed);
	bool join = fence - head - 1 > f->mask;	/* no fenced op in (head, head + ring] */
	uint64_t t = atomic_load_explicit(&job->ticket, memory_order_relaxed);
	uint64_t gen = (t >> 32) + 1;	/* odd: live */
	uint64_t total = 0;

	for (i = head; i != end && nops < SWDMA_JOB_OPS; i++) {
		uint64_t dst, src, len;
		int op;

		/* with an IOMMU, fp_run() checked only head: no other op joins */
		if (nops && (!join || sw->cfg.bus_check || swdma_abort_covers(&f->abort, i)))
			break;
		op = fp_unpack(&f->ring[i & f->mask], &dst, &src, &len);
		if (nops && (len < split || total + len > SWDMA_JOB_BYTES))
			break;
		atomic_store_explicit(&job->ops[nops].dst, dst, memory_order_relaxed);
		atomic_store_explicit(&job->ops[nops].src, src, memory_order_relaxed);
		atomic_store_explicit(&job->ops[nops].len, (uint32_t)len, memory_order_relaxed);
		atomic_store_explicit(&job->ops[nops].op, op, memory_order_relaxed);
		npieces += (uint32_t)((len + chunk - 1) / chunk);
		total += len;
		nops++;
	}
	atomic_store_explicit(&job->nops, nops, memory_order_relaxed);
	atomic_store_explicit(&job->chunk, chunk, memory_order_relaxed);
	atomic_store_explicit(&job->pieces_done, 0, memory_order_relaxed);
	atomic_store_explicit(&job->ticket, gen << 32, memory_order_release);
	atomic_fetch_add(&sw->jobs, 1);
	swdma_hw_wake(sw, (int)sw->cfg.nr_workers);
	job_work(w, job);
	while (atomic_load_explicit(&job->pieces_done, memory_order_acquire) < npieces)
		hw_cpu_relax();
	atomic_fetch_sub(&sw->jobs, 1);
	atomic_store_explicit(&job->ticket, (gen + 1) << 32, memory_order_release);
	*moved = total;
	return nops;
}

/* Help any posted job.  True if a piece was run. */
bool swdma_jobs_help(struct swdma_worker *self)
{
	struct swdma_engine *sw = self->sw;
	bool did = false;
	uint32_t i;

	if (!atomic_load_explicit(&sw->jobs, memory_order_relaxed))
		return false;
	for (i = 0; i < sw->cfg.nr_workers; i++) {
		if (&sw->workers[i] != self && job_work(self, &sw->workers[i].job))
			did = true;
	}
	return did;
}
