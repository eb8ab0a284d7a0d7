/* SPDX-License-Identifier: MIT */
/*
 * swdma - the software copy engine.
 *
 * The "hardware" is a set of worker threads.  Each channel has a hardware
 * queue: a ring of 32-byte entries that the driver fills under the vchan
 * lock and that one worker at a time consumes (a worker claims a channel,
 * runs a batch, lets go).  An entry describes a one-segment copy or fill
 * by itself; any other descriptor (sg, interleaved) is run from the
 * driver's descriptor, which the worker only reads.
 *
 * The worker never writes to descriptors or entries: everything it
 * reports lives in the channel's worker lines -- "done" (entries before it
 * finished, published once per batch with the batch's timestamp), one
 * result byte per ring slot with a count of the failed ones (the reaper
 * reads the bytes only when the count moved), and the position inside a
 * long entry (for residue, under a sequence count).  So a descriptor's
 * cache lines go to the worker once, read-only, and never come back dirty:
 * the client that completes and reuses it touches only lines it owns
 * (docs/performance.md).
 *
 * Ring indices are free-running 32-bit counters:
 *
 *   reaped <= done <= head <= tail,   abort_upto <= tail
 *   (driver) (worker) (worker) (driver)
 *
 *   head        next entry the worker runs (claim holder)
 *   done        entries before it are finished (published per batch)
 *   tail        next free slot (written by the driver, vc->lock held)
 *   abort_upto  entries before it are dead (terminate sets it to tail)
 *
 * The driver reaps entries in order (the vchan's active descriptors are
 * in ring order: entry reaped + i is active descriptor i) and reuses a
 * slot only once both the worker and the reaper are past it.  Terminate marks the queue dead instead of touching the
 * worker's state; synchronize waits until no worker is inside a dead
 * entry.  A worker publishes busy/busy_idx before it checks abort_upto
 * and touches the entry, and terminate publishes abort_upto before
 * synchronize reads busy: with sequentially consistent atomics one of
 * them sees the other.
 *
 * Interrupts.  The engine's "hardware" runs on host threads, so the worker
 * that finishes an interrupt-flagged entry takes the interrupt itself
 * (dmae_irq_raise_local: handler, hard-IRQ callbacks and BHs on the
 * worker, as on the CPU the line is routed to), falling back to the IRQ
 * thread when it cannot.  A third runnable thread between engine and
 * client cost more than the handler's work on two CPUs.  While a channel
 * stays busy the raise is moderated, and when a streaming client's queue
 * drains or reaches the moderation limit it is held for the client's next
 * dmae_chan_issue_pending() to collect on its own CPU (irq_must_raise());
 * a hold that expires goes to the IRQ thread (irq_raise()).  That client
 * collects through the poll op (swdma_poll), which reads the channel's
 * done and nothing else the worker writes; the status word the handler
 * scans is set for raises only (irq_flag()).  Reapers reap in chunks so
 * that the client's prep and submit, which take the same vchan lock, wait
 * for at most one chunk.
 */
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define SWDMA_HAVE_NT 1
#else
#define SWDMA_HAVE_NT 0
#endif

#include <dmae/driver.h>
#include <dmae/fastpath.h>
#include <dmae/swdma.h>

#include "os/os.h"
#include "providers/swdma/swdma_internal.h"

#define SWDMA_RING 1024u
#define SWDMA_PAIR 128			/* adjacent-line prefetch unit */
#define SWDMA_BATCH 16u
#define SWDMA_PUSH_PREFETCH 32u		/* ring entries asked for ahead at each push */
#define SWDMA_REAP_CHUNK 64u		/* completions per vc->lock hold in the handler */
#define SWDMA_COALESCE_BYTES (256u << 10)	/* an owed IRQ waits for at most this */
#define SWDMA_DEF_IRQ_COALESCE 64u
#define SWDMA_DEF_IRQ_HOLDOFF_NS 5000u
#define SWDMA_MAX_IRQ_HOLDOFF_NS 1000000000u
#define SWDMA_HOLD_BACKOFF_MAX 1024u	/* drains raised at once after uncollected holds */
#define SWDMA_FP_BATCH 256u		/* fast path ops per claim of a channel */
#define SWDMA_FP_PUBLISH 32u		/* ... with completions published every 32 ops */
#define SWDMA_FP_PUBLISH_BYTES (256u << 10)	/* or every 256 KiB */
#define SWDMA_JOB_OPS 16u		/* fast path ops per split job at most ... */
#define SWDMA_JOB_BYTES (4u << 20)	/* ... and bytes, past its first op */
#define SWDMA_MAX_CHANS 256u
#define SWDMA_MAX_SEG_LEN (UINT64_C(1) << 30)	/* bytes per segment: 1 GiB */
#define SWDMA_MAX_WORKERS 64u
#define SWDMA_DEF_SPIN_NS 20000u
#define SWDMA_DEF_YIELD_NS 200000u
#define SWDMA_DEF_FP_RING 1024u
#define SWDMA_DEF_SPLIT_MIN (256u << 10)
#define SWDMA_DEF_SPLIT_CHUNK (64u << 10)
#define SWDMA_NT_AUTO 0u			/* nt_min: measure (struct swdma_tune) */
#define SWDMA_TUNE_MIN (64u << 10)	/* auto: moves this large are measured ... */
#define SWDMA_TUNE_MEASURE (16u << 20)	/* ... timed over this many bytes per kind ... */
#define SWDMA_TUNE_SETTLE (32u << 20)	/* ... the other kind after this many untimed ... */
#define SWDMA_TUNE_PERIOD (256u << 20)	/* ... every this many bytes at first ... */
#define SWDMA_TUNE_PERIOD_MAX (2048u << 20) /* ... up to this while the kind holds */

/* A piece of work: an sg pair, or an interleaved chunk and its gaps. */
struct swdma_seg {
	uint64_t dst;		/* address, or destination gap after the chunk */
	uint64_t src;		/* address, or source gap after the chunk */
	uint64_t len;
};

/*
 * The driver's descriptor.  Prep builds its hardware entry (struct
 * swdma_hw but the length, which is d.len) in the rest of the core
 * descriptor's third cache line (see struct dmae_desc): push copies it to
 * the ring as it is, and a one-segment copy or fill spreads over three
 * lines.  The segments of an sg or interleaved descriptor follow (nseg and
 * seg[] are read only through an SWDMA_HW_DESC entry), and an interleaved
 * template's addresses and flags are kept behind them (desc_il()).
 */
struct swdma_desc {
	struct dmae_desc d;
	uint64_t hw_dst;		/* the entry, built at prep */
	uint64_t hw_src;
	uintptr_t hw_desc;
	uint32_t nseg;
	struct swdma_seg seg[];
};
_Static_assert(offsetof(struct swdma_desc, nseg) <= 3 * 64,
	       "the entry shares the core descriptor's third cache line");

/*
 * A hardware queue entry.  One-segment copies and fills are described by
 * the entry alone; SWDMA_HW_DESC says "run the descriptor at desc".  The
 * flags live in the low bits of the descriptor pointer (pool descriptors
 * are 64-byte aligned).
 */
struct swdma_hw {
	uint64_t dst;
	uint64_t src;			/* source, or the fill value */
	uint64_t len;			/* bytes in all */
	uintptr_t desc;			/* struct swdma_desc * | SWDMA_HW_* */
};
_Static_assert(sizeof(struct swdma_hw) == 32, "two entries per cache line");

#define SWDMA_HW_IRQ 1u			/* raise the IRQ when done */
#define SWDMA_HW_FILL 2u		/* a fill of len bytes of (uint8_t)src */
#define SWDMA_HW_DESC 4u		/* run the descriptor (sg, interleaved) */
#define SWDMA_HW_FLAGS 7u

static inline struct swdma_desc *hw_desc(const struct swdma_hw *e)
{
	return (struct swdma_desc *)(e->desc & ~(uintptr_t)SWDMA_HW_FLAGS);
}

/*
 * The fast path: one single-producer/single-consumer ring per channel.
 * The client writes entries and publishes them with the doorbell; the
 * worker that holds the channel's claim runs them in order and publishes
 * "done" once per batch; the client frees a slot when it reports its
 * completion.  Indices are free-running 32-bit counters:
 *
 *   read <= done <= doorbell <= tail <= read + size
 *   (client)  (worker)  (client)  (client)
 *
 *   slot:  empty --enqueue--> pending --doorbell--> running --worker-->
 *          completed --dmae_fp_completed()--> empty
 *
 * Each side writes its own cache lines: the client line (tail, read and
 * its caches), the doorbell line, the worker's published line (done,
 * errors) and its private line (head, the terminate handshake), so a
 * client polling "done" never stalls the worker's other stores.  The
 * entries' result codes live in an array of their own (status[]), written
 * by the worker only when an operation fails and reset by the client when
 * it reports that failure, so in the common case an entry's line never
 * travels back to the client.
 */
enum { SWDMA_FP_COPY = 0, SWDMA_FP_FILL = 1 };

/*
 * A ring entry is 16 bytes, four to a cache line.  Why: at small sizes
 * the fast path is bounded by moving entries from the client's cache to
 * the worker's (docs/performance.md), and 32-byte entries cost one line
 * transfer per two operations.  To fit, the length goes into the upper
 * bits of the two address words: user-space addresses fit in 48 bits on
 * x86-64 and aarch64, and an enqueue refuses (-EINVAL) an address that
 * does not.
 *
 *            a (bits 63..48 | 47..0)     b (bits 63..48 | 47..0)
 *   copy:    len[15:0]      | dst        len[31:16]     | src
 *   fill:    0              | dst        0 | len << 8 | value
 *
 * A copy has a length of at least 1, so length bits in neither upper half
 * mark a fill.  (A zero-length copy, outside the API's contract, is
 * stored as a zero-length fill: both do nothing.)  DMAE_FP_FENCE needs no
 * bit (see swdma_fp_copy) and DMAE_FP_SUBMIT is acted on at enqueue.
 */
struct swdma_fp_op {
	uint64_t a;
	uint64_t b;
};
_Static_assert(sizeof(struct swdma_fp_op) == 16, "four ring entries per cache line");

#define SWDMA_FP_ADDR_MAX ((UINT64_C(1) << 48) - 1)

/* Pack an operation into an entry; dst and src (copy) are <= SWDMA_FP_ADDR_MAX. */
static inline struct swdma_fp_op fp_pack(int op, uint64_t dst, uint64_t src, uint32_t len)
{
	struct swdma_fp_op e;

	if (op == SWDMA_FP_COPY && len) {
		e.a = dst | (uint64_t)(len & 0xffffu) << 48;
		e.b = src | (uint64_t)(len >> 16) << 48;
	} else {
		e.a = dst;
		e.b = (uint64_t)len << 8 | (uint8_t)src;
	}
	return e;
}

/* Unpack an entry: *src receives the source address, or a fill's value. */
static inline int fp_unpack(const struct swdma_fp_op *e, uint64_t *dst, uint64_t *src,
			    uint64_t *len)
{
	uint64_t a = e->a, b = e->b;

	*dst = a & SWDMA_FP_ADDR_MAX;
	*len = a >> 48 | (b >> 48) << 16;
	if (*len) {
		*src = b & SWDMA_FP_ADDR_MAX;
		return SWDMA_FP_COPY;
	}
	*src = b & 0xffu;
	*len = (uint32_t)(b >> 8);
	return SWDMA_FP_FILL;
}

struct swdma_fp {
	/* client line: written by the client only */
	_Alignas(64) uint32_t read;	/* next completion to report */
	uint32_t done_seen;		/* last value of done read */
	uint32_t err_seen;		/* failures reported */
	uint32_t mask;
	atomic_uint tail;		/* next enqueue (relaxed; terminate reads it) */
	struct swdma_fp_op *ring;
	uint8_t *status;		/* per slot: enum dmae_result_code (see above) */
	struct swdma_chan *ch;
	uint32_t fence_last;		/* the newest DMAE_FP_FENCE op ... */
	uint32_t fence_pub;		/* ... and its index last stored in fence */
	/* the doorbell: written by the client, read by workers */
	_Alignas(64) atomic_uint doorbell;
	atomic_uint fence;		/* the newest fenced op before doorbell (see split_run) */
	/* a client asleep in dmae_fp_wait() until done reaches wait_for */
	atomic_uint waiting;		/* 0 or 1 (a uint: TSan's RMW, fp_waiter_seen) */
	atomic_uint wait_for;
	/* published by the worker holding the channel's claim, read by the client */
	_Alignas(64) atomic_uint done;	/* entries before it have finished */
	atomic_uint errors;		/* failed entries so far */
	/* worker-private (terminate/synchronize look at it, rarely) */
	_Alignas(64) uint32_t head;	/* next to run (claim holder only) */
	atomic_uint abort_upto;		/* entries before it are aborted */
	atomic_uint busy_idx;		/* first entry of the running batch */
	atomic_bool busy;
};

struct swdma_chan {
	struct dmae_vchan vc;
	/*
	 * Each group below is written by one side and sits in a 128-byte pair
	 * of lines of its own: the L2 prefetcher fetches lines in pairs, so a
	 * line shared with the other side's group would still be pulled away.
	 *
	 * Constant after create: both sides only read it.
	 */
	_Alignas(SWDMA_PAIR) struct dmae_swdma *sw;
	unsigned int index;		/* vc.chan.index */
	/* driver side, read by the worker: written under vc->lock */
	_Alignas(SWDMA_PAIR) atomic_uint tail;
	atomic_uint abort_upto;
	atomic_bool paused;
	atomic_bool starved;		/* issued descriptors wait for ring room */
	/*
	 * driver side: a line a worker reads only while an interrupt is owed
	 * (collected), at most once per batch
	 */
	_Alignas(SWDMA_PAIR) uint32_t reaped;	/* next entry to complete (vc->lock) */
	uint32_t done_seen;	/* done when the driver last read it (vc->lock) */
	uint32_t failed_seen;	/* failed when every failure was reaped (vc->lock) */
	atomic_uint collected;	/* the done the driver last reaped up to (vc->lock) */
	/* published by the worker holding the claim, read by the driver */
	_Alignas(SWDMA_PAIR) atomic_uint done;	/* entries before it finished */
	atomic_uint_fast64_t done_ns;	/* when done was last published */
	/*
	 * Failed entries so far, and the index after the newest: written
	 * before the done that covers them, so a reaper that finds the count
	 * unchanged completes a run without reading status[] (swdma_reap).
	 */
	atomic_uint failed;
	atomic_uint failed_upto;
	/* the worker's position in a long entry, for residue (pos_read) */
	_Alignas(SWDMA_PAIR) atomic_uint pos_seq;	/* odd while pos_* change */
	atomic_uint pos_idx;
	atomic_uint_fast64_t pos_bytes;
	/* the claim holder's (other workers and synchronize only look) */
	_Alignas(SWDMA_PAIR) atomic_uint head;
	uint64_t resume;		/* bytes of entry head moved before a pause */
	atomic_bool busy;
	atomic_uint busy_idx;
	atomic_bool claimed;
	uint32_t owed;			/* entries done since an unsignalled IRQ one */
	uint32_t owed_from;		/* ... which is this one (see irq_collected()) */
	uint64_t owed_bytes;		/* ... and their bytes after the first */
	uint32_t run;			/* entries done since the queue last drained */
	uint32_t hold_skip;		/* drains to raise at once (irq_must_raise) */
	uint32_t hold_backoff;		/* hold_skip after the next expired hold */
	uint64_t hold_until;		/* a held interrupt is raised at this time */
	bool hold_expired;		/* ... and that time has passed */
	atomic_bool holding;		/* an owed interrupt is held (any worker reads) */
	atomic_uint fail_count;		/* test hook: fail the next n ops */
	atomic_uint fail_code;
	_Atomic(struct swdma_fp *) fp;	/* allocated once, kept until destroy */
	/* per slot: enum dmae_result_code.  The driver clears a slot when it
	 * fills the entry, the worker writes it only when the entry fails and
	 * the reaper reads it once "done" covers it: in the common case the
	 * line never leaves the driver's cache. */
	_Alignas(SWDMA_PAIR) uint8_t status[SWDMA_RING];
	_Alignas(SWDMA_PAIR) struct swdma_hw ring[SWDMA_RING];	/* written under vc->lock */
};

/*
 * A split job: a run of large fast path ops that the worker holding their
 * channel posts in its job slot, cut into chunk-sized pieces that idle
 * workers take.  ticket = generation << 32 | op << 20 | piece of that op
 * (a piece number fits 20 bits: ops are below 4 GiB, chunks at least
 * 4 KiB).  The owner bumps the generation to retire the job, so a helper
 * whose CAS on ticket succeeds read the parameters of the live job.
 */
struct swdma_job_op {
	atomic_uint_fast64_t dst;
	atomic_uint_fast64_t src;	/* or the fill value */
	atomic_uint len;
	atomic_int op;			/* SWDMA_FP_COPY or SWDMA_FP_FILL */
};

struct swdma_job {
	_Alignas(64) atomic_uint_fast64_t ticket;	/* odd generation: live */
	atomic_uint nops;
	atomic_uint chunk;
	struct swdma_job_op ops[SWDMA_JOB_OPS];
	_Alignas(64) atomic_uint pieces_done;
};

/*
 * Non-temporal stores or not, when nt_min is auto.  They win when both
 * sides are in DRAM (the copy no longer reads the destination lines it
 * overwrites) and lose badly when the data would have stayed in the
 * caches: on the machine of docs/performance.md, +10 to +25 % at 256 KiB
 * to 4 MiB from DRAM, but 0.4x to 0.7x on a cache-resident 1 MiB buffer.
 * An op does not say which case it is in, so each worker measures its
 * moves of at least SWDMA_TUNE_MIN now and again (a probe):
 *
 *   RUN --period bytes--> OWN --MEASURE bytes--> OTHER --SETTLE + MEASURE--> RUN
 *
 * OWN times the kind in use, from its steady state.  OTHER switches kind
 * and times it only after SETTLE bytes: a switch leaves the last level
 * cache full of the old kind's dirty lines, whose write-backs the new
 * kind pays for, and a temporal copy defers its own write-backs past a
 * short window -- probes of 16 moves measured temporal copies 25 % faster
 * where they were 10 % slower.  The worker keeps the kind that moved more
 * bytes per second, switching only for a margin of more than 1/16; the
 * period doubles (up to SWDMA_TUNE_PERIOD_MAX) while the kind holds, so a
 * settled stream pays for few probes.  Private to its worker: no locking.
 */
enum swdma_tune_phase {
	SWDMA_TUNE_RUN = 0,		/* moving with the kind in use */
	SWDMA_TUNE_OWN,			/* probe: timing the kind in use */
	SWDMA_TUNE_OTHER,		/* probe: settling, then timing the other kind */
};

struct swdma_tune {
	bool nt;			/* the kind in use */
	uint8_t phase;			/* enum swdma_tune_phase */
	uint64_t left;			/* bytes before the next probe, or of this phase */
	uint64_t period;		/* bytes between probes now; 0: not yet set */
	uint64_t ns[2], bytes[2];	/* the probe's timed moves, [nt] */
};

struct swdma_worker {
	struct dmae_swdma *sw;
	unsigned int id;
	struct dmae_os_thread *thread;
	struct swdma_tune tune;		/* this worker's only */
	struct swdma_job job;
};

struct dmae_swdma {
	struct dmae_provider p;
	struct dmae_swdma_config cfg;
	struct dmae_irq *irq;
	size_t il_off;				/* see desc_il() */
	_Alignas(64) atomic_uint doorbell;	/* bumped to wake sleeping workers */
	atomic_uint sleepers;
	atomic_uint jobs;			/* posted split jobs */
	atomic_bool stop;
	atomic_bool test_irq_hold;		/* test hook: holds never expire */
	bool nt_wide;				/* AVX2 non-temporal stores */
	atomic_uint_fast64_t *irq_status;	/* one bit per channel */
	struct swdma_worker *workers;
	struct swdma_chan *chans;
};

static inline struct swdma_chan *to_swdma_chan(struct dmae_chan *chan)
{
	return dmae_container_of(dmae_to_vchan(chan), struct swdma_chan, vc);
}

static inline struct swdma_desc *to_swdma_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct swdma_desc, d);
}

/* The interleaved template of sd, behind its segments. */
static inline struct dmae_interleaved *desc_il(const struct dmae_swdma *sw,
					       const struct swdma_desc *sd)
{
	return (struct dmae_interleaved *)(void *)((char *)(uintptr_t)sd + sw->il_off);
}

/* Is ring index a before b (modulo 2^32)? */
static inline bool idx_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* ---- the hardware: moving bytes ---------------------------------------------- */

#if SWDMA_HAVE_NT
/*
 * Copy or fill with non-temporal stores, dst aligned to 64 first.  Two
 * bodies: SSE2 (every x86-64) and AVX2, chosen at run time: the 32-byte
 * stores moved about 10 % more in a two-thread DRAM copy on the machine
 * of docs/performance.md.
 */
#define SWDMA_NT_BODY(vec, load, splat, stream)                                 \
	uint64_t head = (64 - ((uintptr_t)dst & 63)) & 63;                       \
	const vec pat = splat((char)v);                                          \
                                                                                 \
	if (head > len)                                                          \
		head = len;                                                      \
	if (fill)                                                                \
		memset(dst, v, head);                                            \
	else                                                                     \
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
	if (fill)                                                                \
		memset(dst, v, len);                                             \
	else                                                                     \
		memcpy(dst, src, len);                                           \
	_mm_sfence()

static void nt_move_sse2(uint8_t *dst, const uint8_t *src, uint64_t len, bool fill, uint8_t v)
{
	SWDMA_NT_BODY(__m128i, _mm_loadu_si128, _mm_set1_epi8, _mm_stream_si128);
}

__attribute__((target("avx2"))) static void nt_move_avx2(uint8_t *dst, const uint8_t *src,
							 uint64_t len, bool fill, uint8_t v)
{
	SWDMA_NT_BODY(__m256i, _mm256_loadu_si256, _mm256_set1_epi8, _mm256_stream_si256);
}
#undef SWDMA_NT_BODY
#endif

/* Move len bytes, with non-temporal stores or not. */
static inline void move_kind(const struct dmae_swdma *sw, bool nt, int op, uint64_t dst,
			     uint64_t src, uint64_t len)
{
#if SWDMA_HAVE_NT
	if (nt) {
		(sw->nt_wide ? nt_move_avx2 : nt_move_sse2)((uint8_t *)(uintptr_t)dst,
							     (const uint8_t *)(uintptr_t)src, len,
							     op == SWDMA_FP_FILL, (uint8_t)src);
		return;
	}
#else
	(void)sw, (void)nt;
#endif
	if (op == SWDMA_FP_FILL)
		memset((void *)(uintptr_t)dst, (int)(uint8_t)src, len);
	else
		memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, len);
}

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

/* A move of nt_min auto by the worker that owns t (see struct swdma_tune). */
static void tuned_move(const struct dmae_swdma *sw, struct swdma_tune *t, int op, uint64_t dst,
		       uint64_t src, uint64_t len)
{
	uint64_t t0;
	bool nt;

	if (t->phase == SWDMA_TUNE_RUN) {
		if (t->left > len) {
			t->left -= len;
			move_kind(sw, t->nt, op, dst, src, len);
			return;
		}
		if (!t->period)		/* a new worker: probe at once */
			t->period = SWDMA_TUNE_PERIOD / 2;
		t->phase = SWDMA_TUNE_OWN;
		t->left = SWDMA_TUNE_MEASURE;
		t->ns[0] = t->ns[1] = t->bytes[0] = t->bytes[1] = 0;
	}
	nt = t->phase == SWDMA_TUNE_OWN ? t->nt : !t->nt;
	t0 = dmae_os_time_ns();
	move_kind(sw, nt, op, dst, src, len);
	if (t->phase == SWDMA_TUNE_OWN || t->left <= SWDMA_TUNE_MEASURE) {
		t->ns[nt] += dmae_os_time_ns() - t0;
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

/*
 * Move len bytes: the one place the engine touches memory.  t: the
 * calling worker's tuning, or NULL where nt_min auto means never.
 */
static inline void hw_move(const struct dmae_swdma *sw, struct swdma_tune *t, int op,
			   uint64_t dst, uint64_t src, uint64_t len)
{
	uint32_t nt_min = sw->cfg.nt_min;

	if (nt_min == SWDMA_NT_AUTO) {
		if (SWDMA_HAVE_NT && t && len >= SWDMA_TUNE_MIN) {
			tuned_move(sw, t, op, dst, src, len);
			return;
		}
		nt_min = DMAE_SWDMA_OFF;
	}
	move_kind(sw, nt_min != DMAE_SWDMA_OFF && len >= nt_min, op, dst, src, len);
}

/* Take one injected fault, if any: its result code, else OK. */
static inline uint8_t take_fault(struct swdma_chan *ch)
{
	unsigned int n = atomic_load_explicit(&ch->fail_count, memory_order_relaxed);

	while (n) {
		if (atomic_compare_exchange_weak(&ch->fail_count, &n, n - 1))
			return (uint8_t)atomic_load(&ch->fail_code);
	}
	return DMAE_RESULT_OK;
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

#if defined(__SANITIZE_THREAD__)
#define SWDMA_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SWDMA_TSAN 1
#endif
#endif

/*
 * The sleep/wake handshake.  A producer publishes work, then looks at
 * sleepers; a worker going to sleep counts itself in sleepers, then looks
 * for work.  A seq_cst fence on each side, between its store and its
 * load, makes one of them see the other.  The producer's side must not be
 * a read-modify-write of sleepers: that would take the line from every
 * worker that reads it on each doorbell.  ThreadSanitizer does not model
 * fences (and GCC warns about them), so under it both sides use an RMW on
 * sleepers, which orders the same way.  handshake_seen() is the looking
 * side, also of the fast path's waiter handshake (fp_waiter_seen).
 */
static inline bool handshake_seen(atomic_uint *v)
{
#ifdef SWDMA_TSAN
	return atomic_fetch_add(v, 0) != 0;
#else
	atomic_thread_fence(memory_order_seq_cst);
	return atomic_load_explicit(v, memory_order_relaxed) != 0;
#endif
}

static inline bool sleepers_seen(struct dmae_swdma *sw)
{
	return handshake_seen(&sw->sleepers);
}

static inline void sleeper_add(struct dmae_swdma *sw)
{
	atomic_fetch_add(&sw->sleepers, 1);
#ifndef SWDMA_TSAN
	atomic_thread_fence(memory_order_seq_cst);
#endif
}

/* The work was published before this call. */
static void workers_wake(struct dmae_swdma *sw, int n)
{
	if (sleepers_seen(sw)) {
		atomic_fetch_add(&sw->doorbell, 1);
		dmae_os_wake(&sw->doorbell, n);
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
static uint32_t split_run(struct swdma_worker *w, struct swdma_fp *f,
			  uint32_t head, uint32_t end, uint64_t split, uint64_t *moved)
{
	struct dmae_swdma *sw = w->sw;
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

		if (nops && (!join || idx_before(i, atomic_load(&f->abort_upto))))
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
	workers_wake(sw, (int)sw->cfg.nr_workers);
	job_work(w, job);
	while (atomic_load_explicit(&job->pieces_done, memory_order_acquire) < npieces)
		dmae_os_cpu_relax();
	atomic_fetch_sub(&sw->jobs, 1);
	atomic_store_explicit(&job->ticket, (gen + 1) << 32, memory_order_release);
	*moved = total;
	return nops;
}

/* Help any posted job.  True if a piece was run. */
static bool jobs_help(struct swdma_worker *self)
{
	struct dmae_swdma *sw = self->sw;
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

/* ---- the hardware: descriptors ------------------------------------------------------ */

enum run_result { RUN_DONE, RUN_ABORTED, RUN_PAUSED };

static bool entry_dead(struct swdma_chan *ch, uint32_t idx)
{
	return idx_before(idx, atomic_load(&ch->abort_upto));
}

/*
 * Publish the position inside long entry idx (for residue): a sequence
 * count, odd while the pair changes.  The release stores keep the odd
 * count ahead of the data and the data ahead of the even count, and are
 * plain stores on x86: this runs once per burst, where a full barrier
 * would wait for the burst's own stores.
 */
static void pos_publish(struct swdma_chan *ch, uint32_t idx, uint64_t bytes)
{
	unsigned int s = atomic_load_explicit(&ch->pos_seq, memory_order_relaxed);

	atomic_store_explicit(&ch->pos_seq, s + 1, memory_order_relaxed);
	atomic_store_explicit(&ch->pos_idx, idx, memory_order_release);
	atomic_store_explicit(&ch->pos_bytes, bytes, memory_order_release);
	atomic_store_explicit(&ch->pos_seq, s + 2, memory_order_release);
}

/*
 * Where the worker says it is: entry *idx, *bytes moved.  The acquire
 * loads keep the data between the two reads of the count: a pair being
 * rewritten shows as a changed count.  Any context.
 */
static void pos_read(struct swdma_chan *ch, uint32_t *idx, uint64_t *bytes)
{
	unsigned int s;

	do {
		while ((s = atomic_load_explicit(&ch->pos_seq, memory_order_acquire)) & 1)
			dmae_os_cpu_relax();
		*idx = atomic_load_explicit(&ch->pos_idx, memory_order_acquire);
		*bytes = atomic_load_explicit(&ch->pos_bytes, memory_order_acquire);
	} while (atomic_load_explicit(&ch->pos_seq, memory_order_relaxed) != s);
}

/* What the worker needs to know while it moves one entry. */
struct run {
	struct swdma_chan *ch;
	uint32_t idx;
	bool fill;
	uint8_t value;
	bool publish;		/* a long entry: publish the position per burst */
	uint64_t pos;		/* bytes of the entry before the current piece */
	uint64_t done;		/* bytes of the entry moved */
};

/* Move one piece of len bytes, resuming at r->done. */
static enum run_result run_piece(struct run *r, uint64_t dst, uint64_t src, uint64_t len)
{
	struct swdma_chan *ch = r->ch;
	uint64_t burst = ch->sw->cfg.burst;
	uint64_t off;

	if (r->pos + len <= r->done) {
		r->pos += len;
		return RUN_DONE;
	}
	off = r->done - r->pos;
	while (off < len) {
		uint64_t n = len - off < burst ? len - off : burst;

		if (r->publish) {
			if (entry_dead(ch, r->idx))
				return RUN_ABORTED;
			if (atomic_load(&ch->paused)) {	/* seq_cst: see swdma_pause() */
				ch->resume = r->done;
				return RUN_PAUSED;
			}
		}
		if (r->fill)
			hw_move(ch->sw, NULL, SWDMA_FP_FILL, dst + off, r->value, n);
		else
			hw_move(ch->sw, NULL, SWDMA_FP_COPY, dst + off, src + off, n);
		off += n;
		r->done += n;
		if (r->publish)
			pos_publish(ch, r->idx, r->done);
	}
	r->pos += len;
	return RUN_DONE;
}

/* Run a descriptor's segments (sg) or frames (interleaved). */
static enum run_result run_segments(struct run *r, const struct swdma_desc *sd)
{
	enum run_result res = RUN_DONE;
	uint32_t i;

	if (sd->d.op != DMAE_OP_INTERLEAVED) {
		for (i = 0; res == RUN_DONE && i < sd->nseg; i++)
			res = run_piece(r, sd->seg[i].dst, sd->seg[i].src, sd->seg[i].len);
		return res;
	}

	const struct dmae_interleaved *il = desc_il(r->ch->sw, sd);
	uint64_t src = il->src, dst = il->dst, f;

	for (f = 0; res == RUN_DONE && f < il->numf; f++) {
		for (i = 0; res == RUN_DONE && i < sd->nseg; i++) {
			const struct swdma_seg *c = &sd->seg[i];

			res = run_piece(r, dst, src, c->len);
			if (il->src_inc)
				src += c->len + (il->src_sgl ? c->src : 0);
			if (il->dst_inc)
				dst += c->len + (il->dst_sgl ? c->dst : 0);
		}
	}
	return res;
}

/* Run entry idx; a failure goes to status[]. */
static enum run_result run_entry(struct swdma_chan *ch, uint32_t idx)
{
	const struct swdma_hw *e = &ch->ring[idx % SWDMA_RING];
	struct run r = { .ch = ch, .idx = idx, .done = ch->resume };
	enum run_result res;
	uint8_t code = DMAE_RESULT_OK;

	if (!r.done && atomic_load_explicit(&ch->fail_count, memory_order_relaxed))
		code = take_fault(ch);
	if (code != DMAE_RESULT_OK) {
		ch->status[idx % SWDMA_RING] = code;
		atomic_store_explicit(&ch->failed_upto, idx + 1, memory_order_relaxed);
		atomic_store_explicit(&ch->failed, atomic_load_explicit(&ch->failed,
									memory_order_relaxed) + 1,
				      memory_order_release);
		return RUN_DONE;
	}
	r.publish = e->len > ch->sw->cfg.burst;
	if (e->desc & SWDMA_HW_DESC) {
		res = run_segments(&r, hw_desc(e));
	} else {
		r.fill = e->desc & SWDMA_HW_FILL;
		r.value = (uint8_t)e->src;
		res = run_piece(&r, e->dst, e->src, e->len);
	}
	return res;
}

/*
 * Mark ch in the status word the handler scans.  Only a raise sets it: a
 * client collecting its own channel (swdma_poll) never reads the word, so
 * a streaming channel's completions move no line but done's.  Set before
 * the raise and after done (seq_cst), so the handler, which clears the
 * word and then reads done, finds what the raise is for.
 */
static void irq_flag(struct swdma_chan *ch)
{
	struct dmae_swdma *sw = ch->sw;
	unsigned int i = ch->index;
	uint64_t bit = UINT64_C(1) << (i % 64);

	if (!(atomic_load(&sw->irq_status[i / 64]) & bit))
		atomic_fetch_or(&sw->irq_status[i / 64], bit);
}

/* Raise the interrupt now: nothing stays owed or held.  Claim holder only. */
static void irq_raise(struct swdma_chan *ch)
{
	irq_flag(ch);
	ch->owed = 0;
	atomic_store_explicit(&ch->holding, false, memory_order_relaxed);
	/*
	 * A hold that expired: the client did not come back for its
	 * completions, typically because it waits for room.  Its CPU is then
	 * the idle one, so the line's IRQ thread takes the work there, and
	 * this worker goes on copying instead of completing descriptors whose
	 * lines are in the client's cache.
	 */
	if (ch->hold_expired) {
		ch->hold_expired = false;
		dmae_irq_raise(ch->sw->irq);
		return;
	}
	dmae_irq_raise_local(ch->sw->irq);	/* "Interrupts", at the top */
}

/*
 * Tell the driver: entries before head are done; raise the IRQ if one is
 * owed and may not wait (see desc_run()).
 *
 * done is stored, and starved then read, with sequentially consistent
 * atomics, and the driver does the mirror image (sets starved, then reads
 * done): a store-then-load on both sides, so either this worker sees
 * starved or the driver sees the new done.  With weaker orderings both
 * could read the old values and issued descriptors would wait for ring
 * room forever.
 */
static void desc_publish(struct swdma_chan *ch, uint32_t head, uint64_t now, bool irq)
{
	atomic_store_explicit(&ch->done_ns, now, memory_order_relaxed);
	atomic_store(&ch->done, head);
	if (atomic_load(&ch->starved) && atomic_exchange(&ch->starved, false))
		irq = true;
	if (irq)
		irq_raise(ch);
}

/* The hold-off of a held interrupt has passed (the test hook stops it). */
static bool irq_hold_expired(struct swdma_chan *ch, uint64_t now)
{
	if (now < ch->hold_until || atomic_load_explicit(&ch->sw->test_irq_hold, memory_order_relaxed))
		return false;
	ch->hold_expired = true;
	ch->hold_skip = ch->hold_backoff ? ch->hold_backoff : 1;
	ch->hold_backoff = ch->hold_skip < SWDMA_HOLD_BACKOFF_MAX ? 2 * ch->hold_skip
								  : SWDMA_HOLD_BACKOFF_MAX;
	return true;
}

/*
 * Interrupt moderation.  An entry that asked for the IRQ makes one owed;
 * while the queue keeps running short entries the raise waits until
 * cfg.irq_coalesce entries or SWDMA_COALESCE_BYTES have completed since
 * the first owed one, so a busy channel interrupts once per many
 * completions instead of once per batch.  It never waits past a paused or
 * dead queue, or in front of a long entry.
 *
 * When the queue drains, or reaches the limit while still running, after
 * a run of at least a batch, the client is streaming bursts, and its next
 * dmae_chan_issue_pending() collects the completions on its own CPU
 * (dmae_irq_poll_local), where the descriptors' lines are: the raise is
 * held for up to cfg.irq_holdoff_ns.  A drain after a shorter run -- a
 * client waiting for each transfer -- raises at once.  A hold that nobody
 * collected is raised when it expires, through the IRQ thread (see
 * irq_raise()), and the next eligible raises happen at once: 1, then 2,
 * 4, ... up to SWDMA_HOLD_BACKOFF_MAX after each further expiry, back to
 * none as soon as the client collects.  A client that waits for its bursts so pays the
 * hold-off about log2(bursts) times; a streaming client that was late
 * once (preempted, say) is held again after one drain.
 *
 *   idle --IRQ entry done--> owed --drain/limit, run >= batch--> holding
 *                              |                                    |
 *                              +--short run, pause, ...--+          +--collected--> idle
 *                                                        v          |
 *                                                      raise <------+ expired
 *
 * "Collected": a reaper (swdma_poll(), the handler) has taken every owed
 * entry; one that took only some leaves the rest owed and a hold running
 * (irq_collected()).  Claim holder only; now is the batch's timestamp.
 */
static bool irq_must_raise(struct swdma_chan *ch, uint32_t head, uint64_t now)
{
	const struct dmae_swdma_config *cfg = &ch->sw->cfg;
	uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);

	if (!ch->owed)
		return false;
	if (atomic_load_explicit(&ch->paused, memory_order_relaxed) ||
	    idx_before(head, atomic_load(&ch->abort_upto)))
		return true;
	/* The entry at head is the driver's until tail passes it. */
	if (head != tail && ch->ring[head % SWDMA_RING].len > cfg->burst)
		return true;
	if (atomic_load_explicit(&ch->holding, memory_order_relaxed))
		return irq_hold_expired(ch, now);
	if (head != tail && ch->owed < cfg->irq_coalesce &&
	    ch->owed_bytes < SWDMA_COALESCE_BYTES)
		return false;
	if (ch->run < SWDMA_BATCH || cfg->irq_holdoff_ns == DMAE_SWDMA_OFF)
		return true;
	if (ch->hold_skip) {
		ch->hold_skip--;
		return true;
	}
	ch->hold_until = now + cfg->irq_holdoff_ns;
	atomic_store_explicit(&ch->holding, true, memory_order_relaxed);
	return false;
}

/*
 * Has a reaper taken the first owed entry?  Entries before collected had
 * their completions handled; what it has not taken yet stays owed, counted
 * from collected as if each asked for the IRQ (an extra raise at worst).
 * A streaming client's collection usually trails the worker's latest
 * publish, so "all taken" alone would rarely be seen while it streams.
 * True if it took any: the client is collecting, so the hold backoff
 * ends, and a hold ends if nothing is owed or else starts again from the
 * latest publish.  Claim holder only.
 */
static bool irq_collected(struct swdma_chan *ch)
{
	uint32_t c;

	if (!ch->owed)
		return false;
	c = atomic_load_explicit(&ch->collected, memory_order_relaxed);
	if (!idx_before(ch->owed_from, c))
		return false;
	ch->owed = atomic_load_explicit(&ch->done, memory_order_relaxed) - c;
	ch->owed_from = c;
	ch->owed_bytes = 0;
	ch->hold_skip = 0;
	ch->hold_backoff = 0;
	if (!ch->owed)
		atomic_store_explicit(&ch->holding, false, memory_order_relaxed);
	else
		ch->hold_until = atomic_load_explicit(&ch->done_ns, memory_order_relaxed) +
				 ch->sw->cfg.irq_holdoff_ns;
	return true;
}

/*
 * A drained channel holding its interrupt: raise it if the hold-off has
 * passed and no one collected all of it.  Claim holder only.  True if it
 * raised.
 */
static bool irq_hold_check(struct swdma_chan *ch)
{
	irq_collected(ch);
	if (!ch->owed || !irq_hold_expired(ch, dmae_os_time_ns()))
		return false;
	irq_raise(ch);
	return true;
}

/* Run up to SWDMA_BATCH entries of a claimed channel.  True if it did work. */
static bool desc_run(struct swdma_chan *ch)
{
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed), start = head;
	unsigned int n;
	uint64_t now;
	bool raise;

	if (head == atomic_load_explicit(&ch->tail, memory_order_acquire))
		return atomic_load_explicit(&ch->holding, memory_order_relaxed) &&
		       irq_hold_check(ch);
	irq_collected(ch);
	/* Once per batch: every entry is checked for death after this. */
	atomic_store(&ch->busy_idx, head);
	atomic_store(&ch->busy, true);
	for (n = 0; n < SWDMA_BATCH; n++) {
		uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);
		uint32_t upto = atomic_load(&ch->abort_upto);
		const struct swdma_hw *e = &ch->ring[head % SWDMA_RING];
		enum run_result r;

		if (head == tail)
			break;
		if (idx_before(head, upto)) {	/* terminated: retire unrun */
			head = upto;
			ch->resume = 0;
			continue;
		}
		if (atomic_load(&ch->paused))	/* seq_cst: see swdma_pause() */
			break;
		/*
		 * A long entry: first publish what is finished.  The raise may
		 * run the handler here, which takes vc->lock: not busy meanwhile
		 * (a pause waiting under that lock for busy to clear would wait
		 * forever).  The long entry looks at paused again per burst.
		 */
		if (e->len > ch->sw->cfg.burst && head != start) {
			atomic_store_explicit(&ch->head, head, memory_order_release);
			atomic_store(&ch->busy, false);
			desc_publish(ch, head, dmae_os_time_ns(), ch->owed != 0);
			atomic_store(&ch->busy, true);
			start = head;
		}
		r = run_entry(ch, head);
		if (r == RUN_PAUSED)
			break;
		if (r == RUN_DONE) {
			if (ch->owed || (e->desc & SWDMA_HW_IRQ)) {
				if (!ch->owed)
					ch->owed_from = head;
				ch->owed++;
				ch->owed_bytes = ch->owed > 1 ? ch->owed_bytes + e->len : 0;
			}
			head++;
			ch->run++;
			ch->resume = 0;
		}
	}
	atomic_store(&ch->busy, false);
	if (head == start)
		return false;
	atomic_store_explicit(&ch->head, head, memory_order_release);
	now = dmae_os_time_ns();
	raise = irq_must_raise(ch, head, now);
	if (head == atomic_load_explicit(&ch->tail, memory_order_relaxed))
		ch->run = 0;
	desc_publish(ch, head, now, raise);
	return true;
}

/* ---- the hardware: the fast path ring ---------------------------------------------- */

/*
 * Is a client asleep in swdma_fp_wait()?  Called after done was stored:
 * the same store-fence-load handshake as sleepers_seen(), with the
 * client's side in swdma_fp_wait().
 */
static inline bool fp_waiter_seen(struct swdma_fp *f)
{
	return handshake_seen(&f->waiting);
}

/*
 * Completions up to head (and errors more failures) are visible to the
 * client; wake it if it sleeps for them, or for news of a failure.
 */
static inline void fp_publish(struct swdma_fp *f, uint32_t head, uint32_t errors)
{
	if (errors)
		atomic_fetch_add_explicit(&f->errors, errors, memory_order_relaxed);
	atomic_store_explicit(&f->done, head, memory_order_release);
	if (fp_waiter_seen(f) &&
	    (errors || !idx_before(head, atomic_load_explicit(&f->wait_for, memory_order_relaxed))))
		dmae_os_wake(&f->done, 1);
}

/*
 * Run up to SWDMA_FP_BATCH doorbelled fast path ops of a claimed channel,
 * publishing completions every SWDMA_FP_PUBLISH ops or bytes.  The busy
 * handshake with terminate is once per batch: its stores are full
 * barriers, which wait for every store the copies left in flight.
 */
static bool fp_run(struct swdma_worker *w, struct swdma_chan *ch, struct swdma_fp *f)
{
	struct dmae_swdma *sw = ch->sw;
	uint32_t db = atomic_load_explicit(&f->doorbell, memory_order_acquire);
	uint32_t head = f->head, end, errors = 0, ops = 0;
	uint64_t split = sw->cfg.nr_workers > 1 && sw->cfg.split_min != DMAE_SWDMA_OFF ?
				 sw->cfg.split_min : UINT64_MAX;
	uint64_t bytes = 0;

	if (head == db || atomic_load_explicit(&ch->paused, memory_order_acquire))
		return false;
	end = db - head > SWDMA_FP_BATCH ? head + SWDMA_FP_BATCH : db;
	/* The client just wrote these lines: fetch the first ones at once... */
	for (uint32_t i = head & ~3u; i != (head & ~3u) + 32 && idx_before(i, end); i += 4)
		__builtin_prefetch(&f->ring[i & f->mask]);
	atomic_store(&f->busy_idx, head);
	atomic_store(&f->busy, true);
	for (; head != end; head++) {
		uint8_t code = DMAE_RESULT_OK;
		uint64_t dst, src, len;
		int op;

		/* ... and the rest ahead of use. */
		if (!(head & 3) && idx_before(head + 32, end))
			__builtin_prefetch(&f->ring[(head + 32) & f->mask]);
		if (idx_before(head, atomic_load(&f->abort_upto)))
			code = DMAE_RESULT_ABORTED;
		else if (atomic_load_explicit(&ch->fail_count, memory_order_relaxed))
			code = take_fault(ch);
		if (code != DMAE_RESULT_OK) {
			f->status[head & f->mask] = code;
			errors++;
		} else {
			op = fp_unpack(&f->ring[head & f->mask], &dst, &src, &len);
			if (len >= split) {
				uint32_t n = split_run(w, f, head, end, split, &len);

				head += n - 1;
				ops += n - 1;
			} else {
				hw_move(sw, &w->tune, op, dst, src, len);
			}
			bytes += len;
		}
		if (++ops >= SWDMA_FP_PUBLISH || bytes >= SWDMA_FP_PUBLISH_BYTES) {
			fp_publish(f, head + 1, errors);
			ops = errors = 0;
			bytes = 0;
		}
	}
	f->head = head;
	if (ops)
		fp_publish(f, head, errors);
	atomic_store(&f->busy, false);
	return true;
}

static bool chan_has_work(struct swdma_chan *ch)
{
	uint32_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);
	struct swdma_fp *f = atomic_load_explicit(&ch->fp, memory_order_acquire);

	if (atomic_load_explicit(&ch->holding, memory_order_relaxed))
		return true;	/* a worker must stay up to raise it */
	if (f && atomic_load_explicit(&f->doorbell, memory_order_acquire) !=
			 atomic_load_explicit(&f->done, memory_order_relaxed) &&
	    !atomic_load_explicit(&ch->paused, memory_order_relaxed))
		return true;
	if (head == atomic_load_explicit(&ch->tail, memory_order_acquire))
		return false;
	return !atomic_load_explicit(&ch->paused, memory_order_relaxed) ||
	       entry_dead(ch, head);
}

static bool any_work(struct dmae_swdma *sw)
{
	uint32_t i;

	if (atomic_load(&sw->jobs))
		return true;
	for (i = 0; i < sw->cfg.nr_chans; i++) {
		if (chan_has_work(&sw->chans[i]))
			return true;
	}
	return false;
}

/*
 * Idle policy: spin for cfg.spin_ns after the last work, then yield for
 * cfg.yield_ns, then sleep on the doorbell.  Producers publish work, then
 * (seq_cst fence) look at sleepers; a worker going to sleep counts itself
 * in sleepers, then (seq_cst) looks for work: one of them sees the other.
 */
static void worker_main(void *arg)
{
	struct swdma_worker *w = arg;
	struct dmae_swdma *sw = w->sw;
	uint32_t nchans = sw->cfg.nr_chans;
	uint64_t spin = sw->cfg.spin_ns == DMAE_SWDMA_OFF ? 0 : sw->cfg.spin_ns;
	uint64_t yield = spin + (sw->cfg.yield_ns == DMAE_SWDMA_OFF ? 0 : sw->cfg.yield_ns);
	uint32_t start = w->id, polls = 0;
	uint64_t idle_since = 0, idle = 0;

	while (!atomic_load_explicit(&sw->stop, memory_order_relaxed)) {
		unsigned int seq = atomic_load(&sw->doorbell);
		bool did = jobs_help(w);
		uint32_t i;

		for (i = 0; i < nchans; i++) {
			struct swdma_chan *ch = &sw->chans[(start + i) % nchans];
			struct swdma_fp *f;

			if (!chan_has_work(ch) ||
			    atomic_load_explicit(&ch->claimed, memory_order_relaxed) ||
			    atomic_exchange(&ch->claimed, true))
				continue;
			did |= desc_run(ch);
			f = atomic_load_explicit(&ch->fp, memory_order_acquire);
			if (f)
				did |= fp_run(w, ch, f);
			atomic_store(&ch->claimed, false);
		}
		if (nchans > 1)
			start++;
		if (did) {
			idle_since = 0;
			continue;
		}
		/* Reading the clock costs more than a scan: look every 16th time. */
		if (!idle_since) {
			idle_since = dmae_os_time_ns();
			idle = 0;
			polls = 0;
		} else if (!(++polls % 16)) {
			idle = dmae_os_time_ns() - idle_since;
		}
		if (idle < spin) {
			dmae_os_cpu_relax();
			continue;
		}
		if (idle < yield) {
			dmae_os_yield();
			continue;
		}
		sleeper_add(sw);	/* pairs with workers_wake() */
		if (!any_work(sw) && !atomic_load(&sw->stop))
			dmae_os_wait(&sw->doorbell, seq, DMAE_OS_FOREVER);
		atomic_fetch_sub(&sw->sleepers, 1);
		idle_since = 0;
	}
}

static void doorbell_ring(struct dmae_swdma *sw)
{
	workers_wake(sw, 1);
}

/* ---- the driver ------------------------------------------------------------------- */

/*
 * Build sd's entry at prep: kind is 0 (a copy from src), SWDMA_HW_FILL (src
 * is the value) or SWDMA_HW_DESC (run sd's segments).
 */
static void hw_build(struct swdma_desc *sd, uint64_t dst, uint64_t src, uintptr_t kind)
{
	sd->hw_dst = dst;
	sd->hw_src = src;
	sd->hw_desc = (uintptr_t)sd | kind |
		      (sd->d.flags & DMAE_PREP_INTERRUPT ? SWDMA_HW_IRQ : 0);
}

/*
 * Hand issued descriptors to the ring while it has room.  vc->lock held.
 * If some must wait, say so (starved): the worker raises the IRQ when it
 * next publishes, and the handler pushes again.  If the worker has already
 * finished entries that were not reaped yet, raise it now instead: it may
 * have nothing more to publish.  (See desc_publish() for the ordering.)
 */
static uint32_t ring_live(struct swdma_chan *ch)
{
	/* A slot is free once the worker and the reaper are both past it. */
	return idx_before(ch->done_seen, ch->reaped) ? ch->done_seen : ch->reaped;
}

static void swdma_push(struct swdma_chan *ch)
{
	uint32_t tail = atomic_load_explicit(&ch->tail, memory_order_relaxed);
	uint32_t live = ring_live(ch);
	struct swdma_desc *sd;
	struct dmae_desc *d;
	bool pushed = false;

	for (;;) {
		/*
		 * done_seen lags done, so this may find the ring full when it
		 * is not: only then read done, a line the worker writes.
		 */
		if (tail - live >= SWDMA_RING) {
			ch->done_seen = atomic_load(&ch->done);
			live = ring_live(ch);
			if (tail - live >= SWDMA_RING)
				break;
		}
		d = dmae_vchan_start_next(&ch->vc);
		if (!d)
			break;
		sd = to_swdma_desc(d);
		ch->ring[tail % SWDMA_RING] = (struct swdma_hw){
			.dst = sd->hw_dst, .src = sd->hw_src, .len = d->len, .desc = sd->hw_desc
		};
		ch->status[tail % SWDMA_RING] = DMAE_RESULT_OK;
		tail++;
		pushed = true;
	}
	if (pushed) {
		atomic_store_explicit(&ch->tail, tail, memory_order_release);
		/*
		 * Ask now for the lines the next burst will write: the worker
		 * read them a ring ago, and the doorbell's fence would otherwise
		 * wait for their invalidation (measured: far placement, 64 B
		 * polled 23 -> 31 Mops/s; docs/performance.md).  Only free
		 * slots, which no worker reads until tail passes them.
		 */
		for (uint32_t i = 0; i < SWDMA_PUSH_PREFETCH && tail + i - live < SWDMA_RING; i += 2)
			__builtin_prefetch(&ch->ring[(tail + i) % SWDMA_RING], 1);
		doorbell_ring(ch->sw);
	}
	if (dmae_vchan_has_issued(&ch->vc)) {
		atomic_store(&ch->starved, true);
		if (idx_before(ch->reaped, atomic_load(&ch->done))) {
			irq_flag(ch);
			dmae_irq_raise(ch->sw->irq);
		}
	}
}

static int swdma_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, dmae_addr_t src, uint64_t len)
{
	(void)chan;
	(void)len;
	hw_build(to_swdma_desc(d), dst, src, 0);
	return 0;
}

static int swdma_prep_memset(struct dmae_chan *chan, struct dmae_desc *d,
			     dmae_addr_t dst, uint8_t value, uint64_t len)
{
	(void)chan;
	(void)len;
	hw_build(to_swdma_desc(d), dst, value, SWDMA_HW_FILL);
	return 0;
}

/* Merge both lists into pieces contiguous on both sides (<= ndst + nsrc - 1). */
static int swdma_prep_sg(struct dmae_chan *chan, struct dmae_desc *d,
			 const struct dmae_sg *dst, unsigned int ndst,
			 const struct dmae_sg *src, unsigned int nsrc)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	unsigned int i = 0, j = 0, n = 0;
	uint64_t doff = 0, soff = 0;

	(void)chan;
	while (i < ndst && j < nsrc) {
		uint64_t dl = dst[i].len - doff, sl = src[j].len - soff;
		uint64_t len = dl < sl ? dl : sl;

		sd->seg[n++] = (struct swdma_seg){ dst[i].addr + doff, src[j].addr + soff, len };
		doff += len;
		soff += len;
		if (doff == dst[i].len) {
			i++;
			doff = 0;
		}
		if (soff == src[j].len) {
			j++;
			soff = 0;
		}
	}
	sd->nseg = n;
	if (n == 1)
		hw_build(sd, sd->seg[0].dst, sd->seg[0].src, 0);
	else
		hw_build(sd, 0, 0, SWDMA_HW_DESC);
	return 0;
}

static int swdma_prep_interleaved(struct dmae_chan *chan, struct dmae_desc *d,
				  const struct dmae_interleaved *t)
{
	struct swdma_desc *sd = to_swdma_desc(d);
	uint32_t i;
	struct dmae_interleaved *il = desc_il(chan->provider->drvdata, sd);

	sd->nseg = t->frame_size;
	*il = *t;
	il->chunks = NULL;	/* the client's array; copied below */
	for (i = 0; i < t->frame_size; i++)
		sd->seg[i] = (struct swdma_seg){ t->chunks[i].dst_icg, t->chunks[i].src_icg,
						 t->chunks[i].size };
	hw_build(sd, 0, 0, SWDMA_HW_DESC);
	return 0;
}

static void swdma_issue_pending(struct dmae_chan *chan)
{
	swdma_push(to_swdma_chan(chan));
}

/*
 * Fast path ops enqueued so far complete as ABORTED, doorbell or not: the
 * doorbell moves up to them, so the worker retires them and the client
 * finds them reported.  Only ever forward: the client, which may be
 * ringing at the same time, never stores less than the tail read here.
 */
static void fp_abort_enqueued(struct swdma_fp *f)
{
	uint32_t tail = atomic_load(&f->tail);
	uint32_t db = atomic_load(&f->doorbell);

	atomic_store(&f->abort_upto, tail);
	while (idx_before(db, tail) && !atomic_compare_exchange_weak(&f->doorbell, &db, tail))
		;
}

static void swdma_terminate(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	struct swdma_fp *f = atomic_load(&ch->fp);

	atomic_store(&ch->abort_upto, atomic_load(&ch->tail));
	ch->reaped = atomic_load(&ch->tail);	/* the vchan layer takes the active ones */
	if (f)
		fp_abort_enqueued(f);
	atomic_store(&ch->paused, false);
	doorbell_ring(ch->sw);	/* let a worker drain the dead entries */
}

static void swdma_synchronize(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	unsigned int spins = 0;

	struct swdma_fp *f = atomic_load(&ch->fp);

	while ((atomic_load(&ch->busy) &&
		idx_before(atomic_load(&ch->busy_idx), atomic_load(&ch->abort_upto))) ||
	       (f && atomic_load(&f->busy) &&
		idx_before(atomic_load(&f->busy_idx), atomic_load(&f->abort_upto)))) {
		if (++spins < 64)
			dmae_os_yield();
		else
			dmae_os_sleep_ns(10000);
	}
}

static uint64_t swdma_residue(struct dmae_chan *chan, struct dmae_desc *d)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	/* active descriptor k is entry reaped + k (see "Ring indices") */
	uint32_t idx = ch->reaped + dmae_vchan_active_pos(&ch->vc, d), at;
	uint64_t bytes;

	if (idx_before(idx, atomic_load_explicit(&ch->done, memory_order_acquire)))
		return 0;
	pos_read(ch, &at, &bytes);
	return at == idx ? d->len - bytes : d->len;
}

/*
 * The pause takes effect before this returns, as HALT does on a
 * controller: a worker in the middle of a burst of this channel finishes
 * it, and no byte moves after that.  The worker looks at paused before
 * every entry and every burst of a long one, after it published busy;
 * paused is stored before busy is read (all seq_cst), so either the worker
 * sees paused before it moves anything or this sees busy and waits for
 * the batch to end, which the worker ends at its next look.  vc->lock
 * held: the wait spins, and the worker never takes vc->lock while busy.
 */
static int swdma_pause(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	unsigned int spins = 0;

	atomic_store(&ch->paused, true);
	while (atomic_load(&ch->busy)) {
		if (++spins < 64)
			dmae_os_cpu_relax();
		else
			dmae_os_yield();
	}
	return 0;
}

static int swdma_resume(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);

	atomic_store(&ch->paused, false);
	doorbell_ring(ch->sw);
	return 0;
}

/*
 * Complete up to SWDMA_REAP_CHUNK descriptors whose entries finished
 * before done, in ring order: runs without a failure in one call, a failed
 * entry on its own.  The result bytes and the timestamp come from the
 * channel's worker lines: the descriptors themselves were never written
 * by the worker.  vc->lock held.  True if finished entries remain.
 *
 * status[] is read only while a failure may be among them: "failed" is
 * published before the done that covers it (and done was read first), so
 * an unchanged count means none.  Once the reaper is past the newest
 * failure, the count is taken as seen.
 */
static bool swdma_reap(struct swdma_chan *ch, uint32_t done, uint64_t ts)
{
	struct dmae_vchan *vc = &ch->vc;
	uint32_t failed = atomic_load_explicit(&ch->failed, memory_order_acquire);
	uint32_t n = 0, ok;

	if (idx_before(ch->done_seen, done))
		ch->done_seen = done;
	if (idx_before(ch->reaped, done))
		n = done - ch->reaped;
	if (n > SWDMA_REAP_CHUNK)
		n = SWDMA_REAP_CHUNK;
	if (n > dmae_vchan_nr_active(vc))
		n = dmae_vchan_nr_active(vc);	/* one entry per active descriptor */
	while (n) {
		if (failed == ch->failed_seen)
			ok = n;
		else
			for (ok = 0; ok < n && !ch->status[(ch->reaped + ok) % SWDMA_RING]; ok++)
				;
		if (ok) {
			dmae_vchan_complete_ok(vc, ok, ts);
			ch->reaped += ok;
			n -= ok;
		}
		if (n) {
			struct dmae_desc *d = dmae_vchan_first_active(vc);
			uint8_t code = ch->status[ch->reaped % SWDMA_RING];

			d->done_ns = ts;
			dmae_vchan_complete(d, code, d->len);
			ch->reaped++;
			n--;
		}
	}
	if (failed != ch->failed_seen &&
	    !idx_before(ch->reaped, atomic_load_explicit(&ch->failed_upto, memory_order_relaxed)))
		ch->failed_seen = failed;
	if (dmae_vchan_nr_active(vc))
		return idx_before(ch->reaped, done);
	ch->reaped = atomic_load_explicit(&ch->tail, memory_order_relaxed);
	return false;
}

/*
 * Complete ch's entries before done and refill its ring; tell the worker
 * (collected).  The lock is dropped between chunks: a coalesced interrupt
 * may find hundreds of finished entries, and the client's prep and submit
 * need the same lock.
 */
static void swdma_collect(struct swdma_chan *ch, uint32_t done)
{
	uint64_t ts = atomic_load_explicit(&ch->done_ns, memory_order_relaxed);
	dmae_irqflags_t f;
	bool more;

	do {
		dmae_vchan_lock(&ch->vc, &f);
		more = swdma_reap(ch, done, ts);
		if (!more) {
			swdma_push(ch);
			atomic_store_explicit(&ch->collected, done, memory_order_relaxed);
		}
		dmae_vchan_unlock(&ch->vc, f);
	} while (more);
}

/* The interrupt: every channel flagged in the status words (irq_flag()). */
static enum dmae_irqreturn swdma_irq(void *arg)
{
	struct dmae_swdma *sw = arg;
	uint32_t words = (sw->cfg.nr_chans + 63) / 64, w;
	bool handled = false;

	for (w = 0; w < words; w++) {
		uint64_t bits = atomic_load(&sw->irq_status[w]);

		if (bits)
			bits = atomic_exchange(&sw->irq_status[w], 0);
		while (bits) {
			struct swdma_chan *ch = &sw->chans[w * 64 + (uint32_t)__builtin_ctzll(bits)];

			bits &= bits - 1;
			handled = true;
			swdma_collect(ch, atomic_load(&ch->done));	/* after the bit: irq_flag() */
		}
	}
	return handled ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
}

/*
 * The client looks for its own channel's completions (provider op poll):
 * done, a line the worker writes anyway, and nothing of the status word.
 * Unlocked, collected is exact: only reapers write it, and they are
 * serialised with this call (the handler lock).
 */
static enum dmae_irqreturn swdma_poll(struct dmae_chan *chan)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	uint32_t done = atomic_load(&ch->done);

	if (done == atomic_load_explicit(&ch->collected, memory_order_relaxed))
		return DMAE_IRQ_NONE;
	swdma_collect(ch, done);
	return DMAE_IRQ_HANDLED;
}

/* ---- the fast path: the client side ------------------------------------------------- */

/* Start the ops before tail, with the newest fenced one among them (split_run). */
static inline void fp_doorbell(struct swdma_fp *f, uint32_t tail)
{
	if (__builtin_expect(f->fence_last != f->fence_pub, 0)) {
		atomic_store_explicit(&f->fence, f->fence_last, memory_order_relaxed);
		f->fence_pub = f->fence_last;
	}
	atomic_store_explicit(&f->doorbell, tail, memory_order_release);
	workers_wake(f->ch->sw, 1);
}

static inline int fp_enqueue(struct swdma_fp *f, int op, uint64_t dst, uint64_t src,
			     uint32_t len, unsigned int flags)
{
	uint32_t tail = atomic_load_explicit(&f->tail, memory_order_relaxed);

	if (tail - f->read > f->mask)
		return -ENOSPC;
	f->ring[tail & f->mask] = fp_pack(op, dst, src, len);
	atomic_store_explicit(&f->tail, tail + 1, memory_order_relaxed);
	if (flags) {
		if (flags & DMAE_FP_FENCE)
			f->fence_last = tail;
		if (flags & DMAE_FP_SUBMIT)
			fp_doorbell(f, tail + 1);
	}
	return (int)(tail & 0xffffu);
}

/* An address above 48 bits does not fit in a ring entry (see fp_pack). */
static int fp_too_wide(struct swdma_fp *f, const char *fn, uint64_t addr)
{
#ifdef DMAE_DEBUG
	return dmae_fail(EINVAL, "%s: %s: address 0x%llx above 48 bits", fn,
			 f->ch->vc.chan.name, (unsigned long long)addr);
#else
	(void)f, (void)fn, (void)addr;
	return -EINVAL;
#endif
}

/*
 * DMAE_FP_FENCE needs no bit in the entry: the worker holding a channel's
 * claim runs its ops one after the other, except the large ops a split
 * job runs together, and a job takes none after a fenced op (split_run).
 */
static int swdma_fp_copy(void *ctx, dmae_addr_t dst, dmae_addr_t src, uint32_t len,
			 unsigned int flags)
{
	if (__builtin_expect((dst | src) > SWDMA_FP_ADDR_MAX, 0))
		return fp_too_wide(ctx, "dmae_fp_copy", dst | src);
	return fp_enqueue(ctx, SWDMA_FP_COPY, dst, src, len, flags);
}

static int swdma_fp_fill(void *ctx, dmae_addr_t dst, uint8_t value, uint32_t len,
			 unsigned int flags)
{
	if (__builtin_expect(dst > SWDMA_FP_ADDR_MAX, 0))
		return fp_too_wide(ctx, "dmae_fp_fill", dst);
	return fp_enqueue(ctx, SWDMA_FP_FILL, dst, value, len, flags);
}

static int swdma_fp_submit(void *ctx)
{
	struct swdma_fp *f = ctx;
	uint32_t tail = atomic_load_explicit(&f->tail, memory_order_relaxed);

	if (atomic_load_explicit(&f->doorbell, memory_order_relaxed) != tail)
		fp_doorbell(f, tail);
	return 0;
}

/* Completions available to report, at most max. */
static inline uint32_t fp_ready(struct swdma_fp *f, uint16_t max)
{
	uint32_t n = f->done_seen - f->read;

	if (n < max) {
		f->done_seen = atomic_load_explicit(&f->done, memory_order_acquire);
		n = f->done_seen - f->read;
	}
	return n < max ? n : max;
}

static uint16_t swdma_fp_completed(void *ctx, uint16_t max, uint16_t *last_idx,
				   bool *has_error)
{
	struct swdma_fp *f = ctx;
	uint32_t n = fp_ready(f, max), i;
	bool err = false;

	if (n && atomic_load_explicit(&f->errors, memory_order_relaxed) != f->err_seen) {
		for (i = 0; i < n; i++) {
			if (f->status[(f->read + i) & f->mask] != DMAE_RESULT_OK) {
				n = i;
				err = true;
				break;
			}
		}
	}
	f->read += n;
	if (n && last_idx)
		*last_idx = (uint16_t)(f->read - 1);
	if (has_error)
		*has_error = err;
	return (uint16_t)n;
}

static uint16_t swdma_fp_completed_status(void *ctx, uint16_t max, uint16_t *last_idx,
					  enum dmae_result_code *codes)
{
	struct swdma_fp *f = ctx;
	uint32_t n = fp_ready(f, max), i;

	for (i = 0; i < n; i++) {
		uint8_t *st = &f->status[(f->read + i) & f->mask];

		codes[i] = *st;
		if (codes[i] != DMAE_RESULT_OK) {
			f->err_seen++;
			*st = DMAE_RESULT_OK;	/* the slot is free again */
		}
	}
	f->read += n;
	if (n && last_idx)
		*last_idx = (uint16_t)(f->read - 1);
	return (uint16_t)n;
}

static uint16_t swdma_fp_capacity(void *ctx)
{
	struct swdma_fp *f = ctx;
	uint32_t room = f->mask + 1 - (atomic_load_explicit(&f->tail, memory_order_relaxed) - f->read);

	return (uint16_t)(room > 0xffffu ? 0xffffu : room);
}

/*
 * Is an op before done failed and not reported yet?  The failure count
 * may be ahead of the done the caller read, so look at the slots done
 * covers (their status was written before done was published).
 */
static bool fp_failed_before(struct swdma_fp *f, uint32_t done)
{
	uint32_t i;

	if (atomic_load_explicit(&f->errors, memory_order_relaxed) == f->err_seen)
		return false;
	for (i = f->read; i != done; i++) {
		if (f->status[i & f->mask] != DMAE_RESULT_OK)
			return true;
	}
	return false;
}

/*
 * dmae_fp_wait(): sleep on done until it reaches the wanted index.  The
 * client says it waits, then (seq_cst) looks at done; fp_publish() stores
 * done, then (seq_cst) looks at waiting: one of them sees the other.
 * Under ThreadSanitizer both sides are read-modify-writes of waiting.
 */
static int swdma_fp_wait(void *ctx, uint16_t count, uint64_t timeout_ns)
{
	struct swdma_fp *f = ctx;
	uint32_t db = atomic_load_explicit(&f->doorbell, memory_order_relaxed);
	uint32_t want = db - f->read < count ? db : f->read + count;
	uint64_t now = dmae_os_time_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	int ret = 0;

	atomic_store_explicit(&f->wait_for, want, memory_order_relaxed);
#ifdef SWDMA_TSAN
	atomic_exchange(&f->waiting, 1);
#else
	atomic_store_explicit(&f->waiting, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
#endif
	for (;;) {
		uint32_t done = atomic_load_explicit(&f->done, memory_order_acquire);

		if (!idx_before(done, want) || fp_failed_before(f, done))
			break;
		if (now >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		dmae_os_wait(&f->done, done,
			     deadline == UINT64_MAX ? DMAE_OS_FOREVER : deadline - now);
		now = dmae_os_time_ns();
	}
	atomic_store_explicit(&f->waiting, 0, memory_order_relaxed);
	return ret;
}

/* Take the channel's claim: no worker runs it while we hold it.  Task context. */
static void chan_claim(struct swdma_chan *ch)
{
	while (atomic_exchange(&ch->claimed, true))
		dmae_os_yield();
}

static int swdma_fp_init(struct dmae_chan *chan, struct dmae_fp *fp)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	struct swdma_fp *f = atomic_load(&ch->fp);
	uint32_t size = ch->sw->cfg.fp_ring;

	if (!f) {
		f = dmae_mem_zalloc_aligned(sizeof(*f));
		if (!f)
			return -ENOMEM;
		f->ring = dmae_mem_zalloc_aligned(sizeof(*f->ring) * size);
		f->status = dmae_mem_zalloc_aligned(size);
		if (!f->ring || !f->status) {
			dmae_mem_free(f->status);
			dmae_mem_free(f->ring);
			dmae_mem_free(f);
			return -ENOMEM;
		}
		f->ch = ch;
		f->mask = size - 1;
		atomic_store_explicit(&ch->fp, f, memory_order_release);
	}
	fp->ctx = f;
	fp->copy = swdma_fp_copy;
	fp->fill = swdma_fp_fill;
	fp->submit = swdma_fp_submit;
	fp->completed = swdma_fp_completed;
	fp->completed_status = swdma_fp_completed_status;
	fp->capacity = swdma_fp_capacity;
	fp->wait = swdma_fp_wait;
	fp->impl = "swdma";
	fp->ring_size = size;
	fp->priv = f;
	return 0;
}

/*
 * At release, after terminate + synchronize: the ring stays allocated
 * (a worker may still look at ch->fp) and starts again from index 0.
 */
static void swdma_fp_fini(struct dmae_chan *chan, struct dmae_fp *fp)
{
	struct swdma_chan *ch = to_swdma_chan(chan);
	struct swdma_fp *f = fp->priv;

	/* Let a worker retire the aborted entries, then reset under the claim. */
	atomic_store(&f->doorbell, atomic_load(&f->tail));
	doorbell_ring(ch->sw);
	while (atomic_load(&f->done) != atomic_load(&f->doorbell))
		dmae_os_yield();
	chan_claim(ch);
	f->read = f->done_seen = f->err_seen = 0;
	f->fence_last = f->fence_pub = 0;
	f->head = 0;
	memset(f->status, DMAE_RESULT_OK, f->mask + 1);	/* aborts never reported */
	atomic_store(&f->tail, 0);
	atomic_store(&f->doorbell, 0);
	atomic_store(&f->done, 0);
	atomic_store(&f->errors, 0);
	atomic_store(&f->abort_upto, 0);
	atomic_store(&f->fence, 0);
	atomic_store(&ch->claimed, false);
}

int dmae__swdma_fail_next(struct dmae_chan *chan, uint32_t n, enum dmae_result_code code)
{
	struct swdma_chan *ch;

	if (!chan || chan->provider->ops->prep_memcpy != swdma_prep_memcpy)
		return -EINVAL;
	ch = to_swdma_chan(chan);
	atomic_store(&ch->fail_code, (unsigned int)code);
	atomic_store(&ch->fail_count, n);
	return 0;
}

uint64_t dmae__swdma_irq_count(const struct dmae_swdma *sw)
{
	return dmae_irq_count(sw->irq);
}

void dmae__swdma_irq_hold(struct dmae_swdma *sw, bool forever)
{
	atomic_store(&sw->test_irq_hold, forever);
}

static const struct dmae_provider_ops swdma_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.prep_memcpy = swdma_prep_memcpy,
	.prep_memset = swdma_prep_memset,
	.prep_sg = swdma_prep_sg,
	.prep_interleaved = swdma_prep_interleaved,
	.issue_pending = swdma_issue_pending,
	.terminate = swdma_terminate,
	.synchronize = swdma_synchronize,
	.residue = swdma_residue,
	.pause = swdma_pause,
	.resume = swdma_resume,
	.fp_init = swdma_fp_init,
	.fp_fini = swdma_fp_fini,
	.poll = swdma_poll,
};

/* ---- instantiation ------------------------------------------------------------------- */

static int swdma_config(const struct dmae_swdma_config *in, struct dmae_swdma_config *c)
{
	static const char fn[] = "dmae_swdma_create";

	*c = in ? *in : (struct dmae_swdma_config){ 0 };
	c->nr_chans = c->nr_chans ? c->nr_chans : 4;
	c->nr_workers = c->nr_workers ? c->nr_workers : 1;
	c->burst = c->burst ? c->burst : 4096;
	c->max_sg = c->max_sg ? c->max_sg : 64;
	c->fp_ring = c->fp_ring ? c->fp_ring : SWDMA_DEF_FP_RING;
	c->spin_ns = c->spin_ns ? c->spin_ns : SWDMA_DEF_SPIN_NS;
	c->yield_ns = c->yield_ns ? c->yield_ns : SWDMA_DEF_YIELD_NS;
	c->split_min = c->split_min ? c->split_min : SWDMA_DEF_SPLIT_MIN;
	c->split_chunk = c->split_chunk ? c->split_chunk : SWDMA_DEF_SPLIT_CHUNK;
	/* nt_min 0 stays 0: SWDMA_NT_AUTO */
	c->irq_coalesce = c->irq_coalesce ? c->irq_coalesce : SWDMA_DEF_IRQ_COALESCE;
	c->irq_holdoff_ns = c->irq_holdoff_ns ? c->irq_holdoff_ns : SWDMA_DEF_IRQ_HOLDOFF_NS;
	if (c->irq_coalesce == DMAE_SWDMA_OFF)
		c->irq_coalesce = 1;
	if (c->fp_ring < 64 || c->fp_ring > 65536 || (c->fp_ring & (c->fp_ring - 1)))
		return dmae_fail(EINVAL, "%s: fast path ring of %u entries (a power of two "
				 "64..65536)", fn, c->fp_ring);
	if (c->irq_coalesce > 65536)
		return dmae_fail(EINVAL, "%s: irq_coalesce of %u entries (max 65536)", fn,
				 c->irq_coalesce);
	if (c->irq_holdoff_ns > SWDMA_MAX_IRQ_HOLDOFF_NS && c->irq_holdoff_ns != DMAE_SWDMA_OFF)
		return dmae_fail(EINVAL, "%s: irq_holdoff_ns of %u (max %u)", fn,
				 c->irq_holdoff_ns, SWDMA_MAX_IRQ_HOLDOFF_NS);
	if (c->split_chunk < 4096 || c->split_chunk == DMAE_SWDMA_OFF)
		return dmae_fail(EINVAL, "%s: split chunk of %u bytes (min 4096)", fn,
				 c->split_chunk);
	if (c->nr_chans > SWDMA_MAX_CHANS)
		return dmae_fail(EINVAL, "%s: %u channels (max %u)", fn, c->nr_chans,
				 SWDMA_MAX_CHANS);
	if (c->nr_workers > SWDMA_MAX_WORKERS)
		return dmae_fail(EINVAL, "%s: %u workers (max %u)", fn, c->nr_workers,
				 SWDMA_MAX_WORKERS);
	if (c->burst < 64)
		return dmae_fail(EINVAL, "%s: burst of %u bytes (min 64)", fn, c->burst);
	if (c->max_sg > 4096)
		return dmae_fail(EINVAL, "%s: max_sg %u (max 4096)", fn, c->max_sg);
	if (c->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %u (max %u)", fn, c->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (c->name && (!c->name[0] || strlen(c->name) >= sizeof(((struct dmae_provider *)0)->name)))
		return dmae_fail(EINVAL, "%s: bad name", fn);
	return 0;
}

static void swdma_stop_workers(struct dmae_swdma *sw, uint32_t n)
{
	uint32_t i;

	atomic_store(&sw->stop, true);
	atomic_fetch_add(&sw->doorbell, 1);
	dmae_os_wake(&sw->doorbell, (int)n);
	for (i = 0; i < n; i++)
		dmae_os_thread_join(sw->workers[i].thread);
}

static void swdma_free(struct dmae_swdma *sw)
{
	uint32_t i;

	for (i = 0; sw->chans && i < sw->cfg.nr_chans; i++) {
		struct swdma_fp *f = atomic_load(&sw->chans[i].fp);

		if (f) {
			dmae_mem_free(f->status);
			dmae_mem_free(f->ring);
			dmae_mem_free(f);
		}
	}
	dmae_mem_free(sw->workers);
	dmae_mem_free(sw->irq_status);
	dmae_mem_free(sw->chans);
	dmae_mem_free(sw);
}

int dmae_swdma_create(const struct dmae_swdma_config *cfg, struct dmae_swdma **out)
{
	static atomic_uint instances;
	struct dmae_swdma *sw;
	struct dmae_provider *p;
	uint32_t i, nworkers = 0;
	char tname[24];
	int ret;

	dmae_might_sleep();
	if (!out)
		return dmae_fail(EINVAL, "dmae_swdma_create: NULL out-pointer");
	if (!dmae_initialised())
		return dmae_fail(ESHUTDOWN, "dmae_swdma_create: dmae_init() not called");
	sw = dmae_mem_zalloc_aligned(sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	ret = swdma_config(cfg, &sw->cfg);
	if (ret)
		goto err_free;
#if SWDMA_HAVE_NT
	sw->nt_wide = __builtin_cpu_supports("avx2");
#endif
	ret = -ENOMEM;
	sw->chans = dmae_mem_zalloc_aligned(sizeof(*sw->chans) * sw->cfg.nr_chans);
	sw->irq_status = dmae_mem_zalloc(sizeof(*sw->irq_status) * ((sw->cfg.nr_chans + 63) / 64));
	sw->workers = dmae_mem_zalloc_aligned(sizeof(*sw->workers) * sw->cfg.nr_workers);
	if (!sw->chans || !sw->irq_status || !sw->workers)
		goto err_free;

	p = &sw->p;
	dmae_provider_init(p);
	if (sw->cfg.name)
		snprintf(p->name, sizeof(p->name), "%s", sw->cfg.name);
	else
		snprintf(p->name, sizeof(p->name), "swdma%u", atomic_fetch_add(&instances, 1));
	sw->cfg.name = NULL;	/* the caller's string; p->name holds the copy */
	p->ops = &swdma_ops;
	p->caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY | DMAE_CAP_MEMSET | DMAE_CAP_SG | DMAE_CAP_INTERLEAVED,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 0xf,	/* 1, 2, 4, 8 bytes */
		.min_burst = 1,
		.max_burst = sw->cfg.burst,
		.max_sg = sw->cfg.max_sg,
		.max_seg_len = SWDMA_MAX_SEG_LEN,
		.residue = DMAE_RESIDUE_BURST,
		.desc_reuse = true,
		.pause = true,
		.terminate = true,
	};
	sw->il_off = sizeof(struct swdma_desc) + sizeof(struct swdma_seg) * 2 * sw->cfg.max_sg;
	p->desc_size = sw->il_off + sizeof(struct dmae_interleaved);
	p->default_pool_size = sw->cfg.pool_size;
	p->drvdata = sw;
	for (i = 0; i < sw->cfg.nr_chans; i++) {
		sw->chans[i].sw = sw;
		sw->chans[i].index = i;
		dmae_vchan_init(&sw->chans[i].vc, p, i);
	}

	ret = dmae_irq_request(p->name, swdma_irq, sw, &sw->irq);
	if (ret)
		goto err_free;
	p->irq = sw->irq;

	for (nworkers = 0; nworkers < sw->cfg.nr_workers; nworkers++) {
		struct swdma_worker *w = &sw->workers[nworkers];

		w->sw = sw;
		w->id = nworkers;
		snprintf(tname, sizeof(tname), "%.8s/w%u", p->name, nworkers % SWDMA_MAX_WORKERS);
		ret = dmae_os_thread_start(&w->thread, tname, worker_main, w);
		if (ret)
			goto err_workers;
	}

	ret = dmae_provider_register(p);
	if (ret)
		goto err_workers;
	*out = sw;
	return 0;

err_workers:
	swdma_stop_workers(sw, nworkers);
	dmae_irq_free(sw->irq);
err_free:
	swdma_free(sw);
	return ret;
}

int dmae_swdma_destroy(struct dmae_swdma *sw)
{
	int ret;

	dmae_might_sleep();
	if (!sw)
		return dmae_fail(EINVAL, "dmae_swdma_destroy: NULL engine");
	ret = dmae_provider_unregister(&sw->p);
	if (ret)
		return ret;
	swdma_stop_workers(sw, sw->cfg.nr_workers);
	dmae_irq_free(sw->irq);
	swdma_free(sw);
	return 0;
}

const char *dmae_swdma_name(const struct dmae_swdma *sw)
{
	return sw ? sw->p.name : "(null)";
}
