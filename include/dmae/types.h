/* SPDX-License-Identifier: MIT */
/*
 * dmae/types.h - types shared by clients and providers.
 *
 * Included by clients and providers (through dmae.h / provider.h).
 */
#ifndef DMAE_TYPES_H
#define DMAE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dmae/export.h>

DMAE_BEGIN_DECLS

/*
 * A bus address as the DMA engine sees it.  In userspace with no IOMMU the
 * bus address of host memory is its virtual address: use dmae_addr_of().
 */
typedef uint64_t dmae_addr_t;

static inline dmae_addr_t dmae_addr_of(const void *p)
{
	return (dmae_addr_t)(uintptr_t)p;
}

/*
 * A cookie identifies a submitted descriptor on its channel.  Cookies are
 * always > 0, increase by one per submit and wrap from INT32_MAX to 1.
 * A negative value returned where a cookie is expected is an errno.
 */
typedef int32_t dmae_cookie_t;

#define DMAE_COOKIE_MIN 1
#define DMAE_COOKIE_MAX INT32_MAX

/* Operations a channel can perform (bit numbers of struct dmae_caps.ops). */
enum dmae_op {
	DMAE_OP_MEMCPY = 0,	/* memory to memory, one contiguous block */
	DMAE_OP_MEMSET,		/* fill memory with a byte value */
	DMAE_OP_SG,		/* memory to memory, scatter-gather lists */
	DMAE_OP_INTERLEAVED,	/* memory to memory, 2D template */
	DMAE_OP_SLAVE_SG,	/* memory <-> device FIFO, scatter-gather */
	DMAE_OP_CYCLIC,		/* memory <-> device, ring buffer, until terminated */
	DMAE_OP_COUNT
};

#define DMAE_OP_BIT(op) (1u << (op))
#define DMAE_CAP_MEMCPY DMAE_OP_BIT(DMAE_OP_MEMCPY)
#define DMAE_CAP_MEMSET DMAE_OP_BIT(DMAE_OP_MEMSET)
#define DMAE_CAP_SG DMAE_OP_BIT(DMAE_OP_SG)
#define DMAE_CAP_INTERLEAVED DMAE_OP_BIT(DMAE_OP_INTERLEAVED)
#define DMAE_CAP_SLAVE_SG DMAE_OP_BIT(DMAE_OP_SLAVE_SG)
#define DMAE_CAP_CYCLIC DMAE_OP_BIT(DMAE_OP_CYCLIC)
#define DMAE_CAP_ALL_OPS (DMAE_OP_BIT(DMAE_OP_COUNT) - 1u)

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_op_to_string(enum dmae_op op);

/* Transfer directions (bits of struct dmae_caps.directions). */
enum dmae_dir {
	DMAE_MEM_TO_MEM = 0,
	DMAE_MEM_TO_DEV,
	DMAE_DEV_TO_MEM,
	DMAE_DIR_COUNT
};

#define DMAE_DIR_BIT(dir) (1u << (dir))

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_dir_to_string(enum dmae_dir dir);

/* How finely a channel reports the residue of an unfinished transfer. */
enum dmae_residue_gran {
	DMAE_RESIDUE_DESCRIPTOR = 0,	/* only "all" or "nothing" left */
	DMAE_RESIDUE_SEGMENT,		/* updated after each sg segment */
	DMAE_RESIDUE_BURST,		/* updated after each burst */
};

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_residue_gran_to_string(enum dmae_residue_gran g);

/*
 * Capabilities of a channel, declared by its provider and checked by the
 * core before any request reaches the provider.
 */
struct dmae_caps {
	uint32_t ops;		/* DMAE_CAP_* mask */
	uint32_t directions;	/* DMAE_DIR_BIT() mask */
	uint32_t addr_widths;	/* supported bus widths in bytes, bit n = 2^n */
	uint32_t min_burst;	/* in bus words */
	uint32_t max_burst;
	/* log2 of the address/length alignment each operation needs */
	uint8_t align_shift[DMAE_OP_COUNT];
	uint32_t max_sg;	/* sg entries / interleaved chunks per descriptor */
	uint64_t max_seg_len;	/* bytes per segment (0: unlimited) */
	enum dmae_residue_gran residue;
	bool desc_reuse;	/* DMAE_PREP_REUSE supported */
	bool pause;		/* pause and resume supported */
	bool terminate;		/* terminate supported (mandatory today) */
};

/* Status of a cookie, as returned by dmae_chan_status(). */
enum dmae_status {
	DMAE_COMPLETE = 0,
	DMAE_IN_PROGRESS,
	DMAE_PAUSED,
	DMAE_ERROR,
};

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_status_to_string(enum dmae_status s);

/* Outcome of one transfer, handed to callbacks and completion objects. */
enum dmae_result_code {
	DMAE_RESULT_OK = 0,
	DMAE_RESULT_READ_FAILED,	/* source side bus error */
	DMAE_RESULT_WRITE_FAILED,	/* destination side bus error */
	DMAE_RESULT_ABORTED,		/* the engine aborted the transfer, or its
					 * provider was removed (revocation) */
	DMAE_RESULT_POWER_FAILED,	/* the channel could not be resumed */
};

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_result_to_string(enum dmae_result_code r);

struct dmae_result {
	enum dmae_result_code code;
	dmae_cookie_t cookie;
	uint64_t residue;	/* bytes not transferred */
	uint64_t timestamp_ns;	/* when the engine finished (dmae_time_ns clock) */
};

/*
 * Descriptor preparation flags (the "flags" argument of every prep call).
 *
 * DMAE_PREP_INTERRUPT  completion is signalled: the callback runs and the
 *                      completion object fires.  Without it the transfer
 *                      completes silently and is seen through
 *                      dmae_chan_status() only.
 * DMAE_PREP_ACK        the client will not touch the descriptor after
 *                      submit: it returns to the pool on completion.
 *                      Without it the client must call dmae_desc_ack().
 * DMAE_PREP_FENCE      this transfer starts only after every earlier one
 *                      on the channel has completed.
 * DMAE_PREP_REUSE      the descriptor survives completion and may be
 *                      submitted again; dmae_desc_free() releases it.
 */
#define DMAE_PREP_INTERRUPT (1u << 0)
#define DMAE_PREP_ACK (1u << 1)
#define DMAE_PREP_FENCE (1u << 2)
#define DMAE_PREP_REUSE (1u << 3)
#define DMAE_PREP_FLAGS_ALL                                                   \
	(DMAE_PREP_INTERRUPT | DMAE_PREP_ACK | DMAE_PREP_FENCE | DMAE_PREP_REUSE)

/* Where a descriptor's completion callback runs; see docs/contexts.md. */
enum dmae_cb_ctx {
	DMAE_CB_BH = 0,		/* default: after the IRQ handler, batched */
	DMAE_CB_HARDIRQ,	/* straight from the completing IRQ handler */
	DMAE_CB_TASK,		/* on a worker thread, may sleep */
};

/* The name, "?" if unknown.  Any context. */
DMAE_API const char *dmae_cb_ctx_to_string(enum dmae_cb_ctx c);

typedef void (*dmae_callback_fn)(void *arg, const struct dmae_result *res);

/* One scatter-gather entry. */
struct dmae_sg {
	dmae_addr_t addr;
	uint64_t len;
};

/* One chunk of an interleaved frame; gaps apply after the chunk. */
struct dmae_chunk {
	uint64_t size;
	uint64_t src_icg;	/* bytes skipped on the source after the chunk */
	uint64_t dst_icg;	/* bytes skipped on the destination */
};

/*
 * An interleaved (2D) transfer: numf frames, each made of frame_size chunks;
 * the bytes of one chunk are contiguous on both sides.  With src_inc false
 * the source does not advance from chunk to chunk (every chunk reads the
 * same bytes again); with src_sgl false the source inter-chunk gaps are
 * ignored.  Same for dst.
 */
struct dmae_interleaved {
	dmae_addr_t src;
	dmae_addr_t dst;
	bool src_inc;
	bool dst_inc;
	bool src_sgl;
	bool dst_sgl;
	uint64_t numf;
	uint32_t frame_size;
	const struct dmae_chunk *chunks;	/* frame_size entries */
};

/*
 * How a slave (device) transfer reaches its peripheral.  The device side
 * of a transfer is a fixed address (a FIFO or data register) accessed
 * width bytes at a time, burst words per request from the peripheral.
 * The memory side uses the same width.
 */
struct dmae_slave_config {
	dmae_addr_t src_addr;	/* device address read by DMAE_DEV_TO_MEM */
	dmae_addr_t dst_addr;	/* device address written by DMAE_MEM_TO_DEV */
	uint32_t src_width;	/* bytes per access, DEV_TO_MEM: 1, 2, 4 or 8 */
	uint32_t dst_width;	/* bytes per access, MEM_TO_DEV */
	uint32_t src_burst;	/* words per request, DEV_TO_MEM */
	uint32_t dst_burst;	/* words per request, MEM_TO_DEV */
};

/* Channel statistics, see dmae_chan_stats_get(). */
struct dmae_chan_stats {
	uint64_t submitted;	/* descriptors submitted */
	uint64_t completed;	/* descriptors completed (any result) */
	uint64_t errors;	/* completed with a result other than OK */
	uint64_t terminated;	/* dropped by terminate */
	uint64_t bytes;		/* bytes moved by completed descriptors */
	uint32_t pool_size;	/* descriptors in the pool */
	uint32_t pool_free;	/* descriptors currently free */
};

DMAE_END_DECLS

#endif /* DMAE_TYPES_H */
