/* SPDX-License-Identifier: MIT */
/*
 * hw/swdma/engine.h - the software copy engine: its "registers" and
 * in-memory formats.  Internal.
 *
 * The engine is hardware: worker threads that move bytes, described by
 * what a driver writes (ring entries, descriptor lists, the fast path
 * ring, a few control words) and what the engine writes back (done
 * counts, result bytes, positions, an interrupt status word and an
 * interrupt output).  It knows nothing of dmae: it is written on the host
 * interface of hw/hw.h, and its interrupt output is a function the driver
 * gives it.  The driver is src/providers/swdma/ (swdma.c for descriptors,
 * fastpath.c for the fast path ring).
 *
 * Each channel has a hardware queue: a ring of 32-byte entries that the
 * driver fills and that one worker at a time consumes (a worker claims a
 * channel, runs a batch, lets go).  An entry describes a one-segment copy
 * or fill by itself; any other transfer (sg, interleaved) is run from a
 * descriptor list (struct swdma_list) in the driver's memory, which the
 * worker only reads.
 *
 * The worker never writes to lists or entries: everything it reports
 * lives in the channel's worker lines -- "done" (entries before it
 * finished, published once per batch with the batch's timestamp), one
 * result byte per ring slot with a count of the failed ones (the reaper
 * reads the bytes only when the count moved), and the position inside a
 * long entry (for residue, under a sequence count).  So a descriptor's
 * cache lines go to the worker once, read-only, and never come back dirty
 * (docs/performance.md).
 *
 * Ring indices are free-running 32-bit counters:
 *
 *   reaped <= done <= head <= tail,   abort index <= tail
 *   (driver) (worker) (worker) (driver)
 *
 *   head        next entry the worker runs (claim holder)
 *   done        entries before it are finished (published per batch)
 *   tail        next free slot (written by the driver)
 *   abort       entries before its index are dead (swdma_hw_abort sets
 *               the index to tail; struct swdma_abort)
 *
 * The driver reaps entries in order and reuses a slot only once both the
 * worker and the reaper are past it.  Abort marks the queue dead instead
 * of touching the worker's state; swdma_hw_quiesce() waits until no
 * worker is inside a dead entry.  A worker publishes busy/busy_idx before
 * it checks the abort mark and touches the entry, and abort publishes
 * the mark before quiesce reads busy: with sequentially consistent
 * atomics one of them sees the other.
 *
 * Interrupts.  The engine's "hardware" runs on host threads, so the
 * worker that finishes an interrupt-flagged entry asks for the interrupt
 * to be taken on its own thread (the irq output's local argument), except
 * when a held interrupt expired (see irq_raise() in engine.c).  While a
 * channel stays busy the raise is moderated, and when a streaming
 * client's queue drains or reaches the moderation limit it is held for
 * the client's next collection on its own CPU (irq_must_raise()).  The
 * status word the handler scans is set for raises only (swdma_hw_irq_flag).
 */
#ifndef DMAE_HW_SWDMA_ENGINE_H
#define DMAE_HW_SWDMA_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/hw.h"

#define SWDMA_RING 1024u
#define SWDMA_COALESCE_BYTES (256u << 10)	/* an owed IRQ waits for at most this */
#define SWDMA_PAIR 128			/* adjacent-line prefetch unit */
#define SWDMA_BATCH 16u
#define SWDMA_JOB_OPS 16u		/* fast path ops per split job at most ... */
#define SWDMA_JOB_BYTES (4u << 20)	/* ... and bytes, past its first op */
#define SWDMA_MAX_CHANS 256u
#define SWDMA_MAX_WORKERS 64u
#define SWDMA_OFF UINT32_MAX		/* a phase or feature turned off */
#define SWDMA_NT_AUTO 0u		/* nt_min: measure (struct swdma_tune) */

/* Result bytes (status[]): the values of dmae's enum dmae_result_code. */
enum swdma_status {
	SWDMA_ST_OK = 0,
	SWDMA_ST_READ_FAILED,
	SWDMA_ST_WRITE_FAILED,
	SWDMA_ST_ABORTED,
};

/* How the engine is built: fixed at create. */
struct swdma_hw_config {
	const char *name;		/* worker threads are "<name>/w<i>" */
	uint32_t nr_chans;		/* 1..SWDMA_MAX_CHANS */
	uint32_t nr_workers;		/* 1..SWDMA_MAX_WORKERS */
	uint32_t burst;			/* bytes per burst, >= 64 */
	uint32_t spin_ns;		/* idle policy (SWDMA_OFF: none) */
	uint32_t yield_ns;
	uint32_t split_min;		/* fast path split jobs (SWDMA_OFF: none) */
	uint32_t split_chunk;
	uint32_t nt_min;		/* SWDMA_NT_AUTO, SWDMA_OFF or bytes */
	uint32_t irq_coalesce;		/* >= 1 */
	uint32_t irq_holdoff_ns;	/* SWDMA_OFF: never hold */
	/*
	 * The interrupt output, called by a worker from its own thread.
	 * local: the worker can take the interrupt itself (a CPU the line is
	 * routed to); false: leave it to the line's own context.
	 */
	void (*irq)(void *ctx, bool local);
	void *irq_ctx;
	/*
	 * The IOMMU (NULL: none): may the engine access [addr, addr + len),
	 * as a destination if write?  An access it refuses fails the entry
	 * with SWDMA_ST_READ_FAILED / _WRITE_FAILED and touches nothing.
	 * Called from the workers; never sleeps.
	 */
	bool (*bus_check)(void *ctx, uint64_t addr, uint64_t len, bool write);
	void *bus_ctx;
};

/* A piece of work: an sg pair, or an interleaved chunk and its gaps. */
struct swdma_seg {
	uint64_t dst;		/* address, or destination gap after the chunk */
	uint64_t src;		/* address, or source gap after the chunk */
	uint64_t len;
};

/* An interleaved transfer's frame: numf frames of the list's chunks. */
struct swdma_frame {
	uint64_t src;
	uint64_t dst;
	uint64_t numf;
	bool src_inc;
	bool dst_inc;
	bool src_sgl;		/* the chunks' src gaps apply */
	bool dst_sgl;
};

/*
 * A descriptor list in memory, run by an SWDMA_HW_DESC entry: nseg
 * pieces, once (frame NULL: scatter-gather) or per frame (interleaved).
 * 8-byte aligned: the entry keeps its flags in the pointer's low bits.
 */
struct swdma_list {
	const struct swdma_frame *frame;
	uint32_t nseg;
	struct swdma_seg seg[];
};

/*
 * A hardware queue entry.  One-segment copies and fills are described by
 * the entry alone; SWDMA_HW_DESC says "run the list at desc".  The flags
 * live in the low bits of the list pointer.
 */
struct swdma_entry {
	uint64_t dst;
	uint64_t src;			/* source, or the fill value */
	uint64_t len;			/* bytes in all */
	uintptr_t desc;			/* struct swdma_list * | SWDMA_HW_* */
};
_Static_assert(sizeof(struct swdma_entry) == 32, "two entries per cache line");

#define SWDMA_HW_IRQ 1u			/* raise the IRQ when done */
#define SWDMA_HW_FILL 2u		/* a fill of len bytes of (uint8_t)src */
#define SWDMA_HW_DESC 4u		/* run the list (sg, interleaved) */
#define SWDMA_HW_FLAGS 7u

static inline const struct swdma_list *entry_list(const struct swdma_entry *e)
{
	return (const struct swdma_list *)(e->desc & ~(uintptr_t)SWDMA_HW_FLAGS);
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
 *          completed --reported by the client--> empty
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
 * bit (see fastpath.c) and a submit is acted on at enqueue.
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

/*
 * The newest abort of a queue: mark is (generation << 32) | index, stored
 * by the driver's abort; passed is the generation whose index the claim
 * holder has run past (engine.c, abort_pass()).  Zero: no abort.
 */
struct swdma_abort {
	_Atomic uint64_t mark;
	atomic_uint passed;
};

struct swdma_fp {
	/* client line: written by the client only */
	_Alignas(64) uint32_t read;	/* next completion to report */
	uint32_t done_seen;		/* last value of done read */
	uint32_t err_seen;		/* failures reported */
	uint32_t mask;
	atomic_uint tail;		/* next enqueue (relaxed; terminate reads it) */
	struct swdma_fp_op *ring;
	uint8_t *status;		/* per slot: enum swdma_status (see above) */
	struct swdma_hwchan *ch;
	void *drv;			/* the driver's channel (opaque here) */
	uint32_t fence_last;		/* the newest fenced op ... */
	uint32_t fence_pub;		/* ... and its index last stored in fence */
	/* the doorbell: written by the client, read by workers */
	_Alignas(64) atomic_uint doorbell;
	atomic_uint fence;		/* the newest fenced op before doorbell (see swdma_split_run) */
	/* a client asleep in its wait until done reaches wait_for */
	atomic_uint waiting;		/* 0 or 1 (a uint: TSan's RMW, fp_waiter_seen) */
	atomic_uint wait_for;
	/* published by the worker holding the channel's claim, read by the client */
	_Alignas(64) atomic_uint done;	/* entries before it have finished */
	atomic_uint errors;		/* failed entries so far */
	/* worker-private (terminate/synchronize look at it, rarely) */
	_Alignas(64) uint32_t head;	/* next to run (claim holder only) */
	struct swdma_abort abort;	/* ops before its index are aborted */
	atomic_uint busy_idx;		/* first entry of the running batch */
	atomic_bool busy;
};

struct swdma_hwchan {
	/*
	 * Each group below is written by one side and sits in a 128-byte pair
	 * of lines of its own: the L2 prefetcher fetches lines in pairs, so a
	 * line shared with the other side's group would still be pulled away.
	 *
	 * Constant after create: both sides only read it.
	 */
	_Alignas(SWDMA_PAIR) struct swdma_engine *sw;
	unsigned int index;
	/* driver side, read by the worker: written by the driver's one writer */
	_Alignas(SWDMA_PAIR) atomic_uint tail;
	struct swdma_abort abort;	/* entries before its index are dead */
	atomic_bool paused;
	atomic_uint starved;		/* issued descriptors wait for ring room
					 * (nonzero; swdma_hw_starve()) */
	/*
	 * driver side: a word a worker reads only while an interrupt is owed,
	 * at most once per batch: the done the driver last reaped up to
	 */
	_Alignas(SWDMA_PAIR) atomic_uint collected;
	/* published by the worker holding the claim, read by the driver */
	_Alignas(SWDMA_PAIR) atomic_uint done;	/* entries before it finished */
	atomic_uint_fast64_t done_ns;	/* when done was last published */
	/*
	 * The desc word of entry done - 1, as a controller's "current
	 * descriptor" register: lets a handler ask for that descriptor's
	 * memory before it needs it.  A hint only, never dereferenced here.
	 */
	atomic_uintptr_t done_desc;
	/*
	 * Failed entries so far, and the index after the newest: written
	 * before the done that covers them, so a reaper that finds the count
	 * unchanged completes a run without reading status[].
	 */
	atomic_uint failed;
	atomic_uint failed_upto;
	/* the worker's position in a long entry, for residue (swdma_hw_pos_read) */
	_Alignas(SWDMA_PAIR) atomic_uint pos_seq;	/* odd while pos_* change */
	atomic_uint pos_idx;
	atomic_uint_fast64_t pos_bytes;
	/* the claim holder's (other workers and quiesce only look) */
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
	/* per slot: enum swdma_status.  The driver clears a slot when it
	 * fills the entry, the worker writes it only when the entry fails and
	 * the reaper reads it once "done" covers it: in the common case the
	 * line never leaves the driver's cache. */
	_Alignas(SWDMA_PAIR) uint8_t status[SWDMA_RING];
	_Alignas(SWDMA_PAIR) struct swdma_entry ring[SWDMA_RING];	/* written by the driver */
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
	struct swdma_engine *sw;
	unsigned int id;
	struct hw_thread *thread;
	struct swdma_tune tune;		/* this worker's only */
	struct swdma_job job;
};

struct swdma_engine {
	struct swdma_hw_config cfg;
	_Alignas(64) atomic_uint doorbell;	/* bumped to wake sleeping workers */
	atomic_uint sleepers;
	atomic_uint jobs;			/* posted split jobs */
	atomic_bool stop;
	atomic_bool test_irq_hold;		/* test hook: holds never expire */
	bool asym_fence;			/* fence.c: the handshakes' barrier */
	bool nt_wide;				/* AVX2 non-temporal stores */
	atomic_uint_fast64_t *irq_status;	/* one bit per channel */
	struct swdma_worker *workers;
	struct swdma_hwchan *chans;
};

/* Is ring index a before b (modulo 2^32)? */
static inline bool idx_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/*
 * Is idx dead, before the index of an abort the claim holder has not yet
 * run past?  Comparing with the index alone would call every entry dead
 * once the free-running indices are 2^31 past it; a mark that the worker
 * has passed is never looked at again.  Any side; the load of the mark is
 * seq_cst (the busy handshake), that of passed acquire: a quiesce that
 * finds the abort passed sees every byte the batch before it moved.  A
 * reader without the claim may see an older passed generation: it then
 * thinks an entry dead that is not, and only waits or looks again.
 */
static inline bool swdma_abort_covers(const struct swdma_abort *a, uint32_t idx)
{
	uint64_t m = atomic_load(&a->mark);

	return (uint32_t)(m >> 32) != atomic_load_explicit(&a->passed, memory_order_acquire) &&
	       idx_before(idx, (uint32_t)m);
}

/* The index of the newest abort. */
static inline uint32_t swdma_abort_index(const struct swdma_abort *a)
{
	return (uint32_t)atomic_load(&a->mark);
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
 * for work.  A full barrier on each side, between its store and its load,
 * makes one of them see the other.
 *
 * The barrier is asymmetric where the host has one (fence.c): the side
 * that runs on every operation -- the producer's doorbell, the worker's
 * publish looking for a waiting client -- orders with a compiler barrier
 * only, and the rare side -- a worker about to sleep, a client about to
 * wait -- makes every other thread of the process execute a full barrier
 * (Linux membarrier).  A full fence right after the doorbell's store
 * waits for the doorbell's cache line to come back from the worker that
 * polls it: one line transfer, the largest cost of a single operation.
 * Without the host's help both sides take a seq_cst fence.
 *
 * The producer's side must not be a read-modify-write of sleepers: that
 * would take the line from every worker that reads it on each doorbell.
 * ThreadSanitizer does not model fences (and GCC warns about them), so
 * under it both sides use an RMW on the word, which orders the same way.
 * handshake_seen() is the frequent side, handshake_enter() the rare one.
 */
struct swdma_engine;
/* Make every thread of the process execute a full barrier (fence.c). */
void swdma_hw_fence_heavy(const struct swdma_engine *sw);
/* Can the heavy side be the host's (true), or is it a fence on both sides? */
bool swdma_hw_fence_init(void);

static inline bool handshake_seen(const struct swdma_engine *sw, atomic_uint *v)
{
#ifdef SWDMA_TSAN
	(void)sw;
	return atomic_fetch_add(v, 0) != 0;
#else
	if (sw->asym_fence)
		atomic_signal_fence(memory_order_seq_cst);
	else
		atomic_thread_fence(memory_order_seq_cst);
	return atomic_load_explicit(v, memory_order_relaxed) != 0;
#endif
}

/* The rare side: *v becomes nonzero (add 1), then a full barrier. */
static inline void handshake_enter(const struct swdma_engine *sw, atomic_uint *v)
{
#ifdef SWDMA_TSAN
	(void)sw;
	atomic_fetch_add(v, 1);
#else
	atomic_fetch_add_explicit(v, 1, memory_order_relaxed);
	swdma_hw_fence_heavy(sw);
#endif
}

static inline bool sleepers_seen(struct swdma_engine *sw)
{
	return handshake_seen(sw, &sw->sleepers);
}

static inline void sleeper_add(struct swdma_engine *sw)
{
	handshake_enter(sw, &sw->sleepers);
}

/* Wake n sleeping workers; the work was published before this call. */
static inline void swdma_hw_wake(struct swdma_engine *sw, int n)
{
	if (sleepers_seen(sw)) {
		atomic_fetch_add(&sw->doorbell, 1);
		hw_wake(&sw->doorbell, n);
	}
}


/* ---- the engine's operations (engine.c) ------------------------------------ */

/* Build and start an engine (cfg checked by the caller).  Task context.
 * 0, -ENOMEM or -EAGAIN. */
int swdma_hw_create(const struct swdma_hw_config *cfg, struct swdma_engine **out);
/* Stop the workers: the engine moves and raises nothing after this.
 * Task context. */
void swdma_hw_stop(struct swdma_engine *sw);
/* Free a stopped engine (NULL: nothing), fast path rings included.
 * Task context. */
void swdma_hw_free(struct swdma_engine *sw);

/* New work was published: wake a sleeping worker.  Any thread. */
static inline void swdma_hw_doorbell(struct swdma_engine *sw)
{
	swdma_hw_wake(sw, 1);
}

/*
 * Issued descriptors wait for room in ch's ring: the worker raises the
 * interrupt when it next publishes.  The driver reads done after this
 * returns: with the worker's publish, a store-barrier-load on each side,
 * the worker's half the cheap one of the handshake (handshake_seen()).
 * Any thread, rare: a ring of SWDMA_RING entries is full.
 */
void swdma_hw_starve(struct swdma_hwchan *ch);

/* Set ch in the interrupt status word (before raising).  Any thread. */
void swdma_hw_irq_flag(struct swdma_hwchan *ch);
/* Take (read and clear) status word w.  Any thread. */
uint64_t swdma_hw_irq_take(struct swdma_engine *sw, uint32_t w);
/*
 * Stop ch: the entries and fast path ops before the tails now are dead
 * (fast path ops not rung yet are rung, to be reported ABORTED), a pause
 * is lifted.  The driver's one writer.
 */
void swdma_hw_abort(struct swdma_hwchan *ch);
/* Wait until no worker is inside a dead entry of ch.  Task context. */
void swdma_hw_quiesce(struct swdma_hwchan *ch);
/*
 * Pause ch; returns once no byte of it moves any more (a burst under way
 * finishes first).  Never sleeps: any thread that does not hold what a
 * worker's interrupt output takes.
 */
void swdma_hw_pause(struct swdma_hwchan *ch);
void swdma_hw_resume(struct swdma_hwchan *ch);
/* Where the worker is in a long entry: entry *idx, *bytes moved.  Any thread. */
void swdma_hw_pos_read(struct swdma_hwchan *ch, uint32_t *idx, uint64_t *bytes);
/* The fast path ring of ch, allocated with size entries (a power of two)
 * on first use and kept until destroy.  Task context.  NULL: no memory. */
struct swdma_fp *swdma_hw_fp_ring(struct swdma_hwchan *ch, uint32_t size);
/* Abort every op enqueued on f, rung or not, let a worker retire them,
 * then reset f to index 0.  Task context, nothing enqueued meanwhile. */
void swdma_hw_fp_reset(struct swdma_hwchan *ch, struct swdma_fp *f);
/*
 * Test hook: every index of ch's descriptor ring and of its fast path ring
 * becomes idx, as if that many entries had run.  Nothing may be in flight
 * on either.  Task context.
 */
void swdma_hw_rebase(struct swdma_hwchan *ch, uint32_t idx);
/* Test hooks: fail the next n ops of ch with code; never let a hold expire. */
void swdma_hw_fail_next(struct swdma_hwchan *ch, uint32_t n, enum swdma_status code);
void swdma_hw_irq_hold(struct swdma_engine *sw, bool forever);

#endif /* DMAE_HW_SWDMA_ENGINE_H */
