/* SPDX-License-Identifier: MIT */
/*
 * dmae/swdma.h - the software copy engine (an embedded default provider).
 *
 * Included by applications that instantiate the engine (board setup code,
 * the dmae tool, tests).  Clients then find its channels through the
 * client API like any other provider's.
 *
 * The "hardware" is a set of worker threads.  Each channel has a hardware
 * queue; a worker takes a channel with work, copies its descriptors in
 * bursts (so residue is real and terminate/pause take effect between
 * bursts), and raises the device's interrupt when a descriptor that asked
 * for one (DMAE_PREP_INTERRUPT) finishes.  The IRQ handler completes the
 * finished descriptors through the vchan layer.
 */
#ifndef DMAE_SWDMA_H
#define DMAE_SWDMA_H

#include <dmae/dmae.h>

DMAE_BEGIN_DECLS

struct dmae_swdma;

struct dmae_swdma_config {
	const char *name;	/* provider name; NULL: "swdma<N>" */
	uint32_t nr_chans;	/* 0: 4 (max 256) */
	uint32_t nr_workers;	/* 0: 1 (max 64) */
	/*
	 * Bytes per burst: a longer transfer moves burst by burst, its
	 * position published after each (residue), pause and terminate
	 * taking effect between two.  0: 65536, where the checks between
	 * bursts cost a large copy nothing measurable (docs/performance.md).
	 * Min 64.
	 */
	uint32_t burst;
	uint32_t max_sg;	/* sg entries per descriptor; 0: 64 */
	uint32_t pool_size;	/* default descriptors per channel; 0: 64 */

	/*
	 * Fast path and tuning; docs/performance.md has the measurements
	 * behind the defaults.  0 means the default; DMAE_SWDMA_OFF turns a
	 * phase or feature off.
	 */
	uint32_t fp_ring;	/* fast path ring entries per channel, a power
				 * of two 64..65536; 0: 1024 */
	/*
	 * Idle policy of a worker that found no work: spin (cpu_relax) for
	 * spin_ns, then sched_yield for yield_ns, then sleep until a doorbell.
	 * Spinning keeps the latency of the next doorbell low; sleeping gives
	 * the core back.  0: 20000 ns spin, 200000 ns yield.
	 */
	uint32_t spin_ns;
	uint32_t yield_ns;
	/*
	 * A fast path copy or fill of at least split_min bytes is cut into
	 * split_chunk pieces that idle workers help with, so one channel can
	 * use several workers; a run of such ops (up to 16, or 4 MiB) is
	 * one job, stopped by a DMAE_FP_FENCE op.  0: 256 KiB and 64 KiB;
	 * needs nr_workers > 1.
	 */
	uint32_t split_min;
	uint32_t split_chunk;
	/*
	 * Fast path operations and descriptors of at least nt_min bytes
	 * are written with non-temporal (cache-bypassing) stores, x86-64
	 * only.  0 (the default): auto, those of 64 KiB or more use the kind
	 * each worker measures faster now and again (see
	 * docs/performance.md); DMAE_SWDMA_OFF: never.
	 */
	uint32_t nt_min;
	/*
	 * Interrupt moderation: while a channel keeps running, the engine
	 * raises its interrupt once irq_coalesce entries have completed since
	 * the first unsignalled DMAE_PREP_INTERRUPT one, or
	 * DMAE_SWDMA_COALESCE_BYTES have moved since, or before an entry
	 * longer than a burst that would take the bytes moved since past
	 * that, not once per batch.  It never holds an interrupt back when
	 * the queue pauses or is terminated.  0: 64;
	 * DMAE_SWDMA_OFF or 1: no moderation at all (no hold-off either).
	 * Max 65536.
	 */
	uint32_t irq_coalesce;
	/*
	 * When a queue drains after a run of at least 16 entries -- a client
	 * streaming bursts -- the interrupt is held for up to irq_holdoff_ns:
	 * the client's next dmae_chan_issue_pending() collects the
	 * completions on its own thread, where the descriptors are cached.
	 * Held past that, it is raised, and the next 1, 2, 4, ... (up to
	 * 1024) such drains raise at once, until the client collects again.
	 * A drain after a shorter run (a client waiting for each transfer)
	 * always raises at once.  0: 5000 ns; DMAE_SWDMA_OFF: never hold.
	 * Max 1000000000 (1 s).
	 */
	uint32_t irq_holdoff_ns;
	/*
	 * Behind an IOMMU: the workers check every access against the
	 * client's mappings (dmae_dma_map) and fail what is not mapped with
	 * a read or write error, touching nothing, instead of crashing on a
	 * bad address.  A check per op: off by default.
	 */
	bool iommu;
};

#define DMAE_SWDMA_OFF UINT32_MAX
/* Interrupt moderation's byte budget (irq_coalesce). */
#define DMAE_SWDMA_COALESCE_BYTES (256u << 10)

/*
 * Create and register an engine.  cfg may be NULL (defaults).  Task
 * context.  Returns 0, -EINVAL (out of range), -ENOMEM, -EAGAIN (threads),
 * -EEXIST (name taken), -ESHUTDOWN (dmae_init() not called).
 */
DMAE_API int dmae_swdma_create(const struct dmae_swdma_config *cfg,
			       struct dmae_swdma **out);

/*
 * Remove the engine, even while its channels are held: holders are told
 * and their channels revoked (dmae_provider_unregister()); the engine's
 * threads and memory go when the last holder has released.  sw is invalid
 * afterwards.  Task context.  Returns 0, -EINVAL.
 */
DMAE_API int dmae_swdma_destroy(struct dmae_swdma *sw);

/* The engine's provider name.  Any context. */
DMAE_API const char *dmae_swdma_name(const struct dmae_swdma *sw);

DMAE_END_DECLS

#endif /* DMAE_SWDMA_H */
