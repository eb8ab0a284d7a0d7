/* SPDX-License-Identifier: MIT */
/*
 * dmae/simdmac.h - a simulated SoC: a DMA controller, a UART and an I2S
 * output, with the controller's dmae driver on top.
 *
 * Included by board setup code: applications, the dmae tool, tests and
 * examples that want "real" hardware behaviour (request lines, FIFOs,
 * bus bandwidth, linked-list descriptors, interrupts, faults).  Clients
 * then use the client API (dmae/dmae.h) as with any provider:
 *
 *   dmae_simdmac_create(NULL, &soc);
 *   dmae_dev_create("uart0", &uart);
 *   dmae_chan_request(uart, "tx", NULL, &tx);      (route added by create)
 *   cfg.dst_addr = dmae_simdmac_uart_data_addr(soc); ...
 *
 * Routes added by dmae_simdmac_create() (consumer, name -> request line):
 *
 *   "uart0" "tx"  line 0      "uart0" "rx"  line 1      "i2s0" "tx"  line 2
 *
 * The channels also do memcpy, memset, sg and interleaved transfers for
 * clients that request them by capability.  docs/simdmac.md describes the
 * hardware and walks through the driver.
 */
#ifndef DMAE_SIMDMAC_H
#define DMAE_SIMDMAC_H

#include <dmae/dmae.h>

DMAE_BEGIN_DECLS

struct dmae_simdmac;

#define DMAE_SIMDMAC_LINE_UART_TX 0u
#define DMAE_SIMDMAC_LINE_UART_RX 1u
#define DMAE_SIMDMAC_LINE_I2S_TX 2u

struct dmae_simdmac_config {
	const char *name;	/* provider name; NULL: "simdmac<N>" */
	uint32_t nr_chans;	/* 0: 8 (max 32) */
	uint64_t bandwidth;	/* bus bytes per microsecond; 0: unlimited */
	uint32_t max_sg;	/* sg entries per descriptor; 0: 64 (max 4096) */
	uint32_t pool_size;	/* default descriptors per channel; 0: 64 */
	const char *uart_name;	/* consumer name of the UART; NULL: "uart0" */
	uint32_t uart_fifo;	/* bytes per UART FIFO; 0: 16 (max 4096) */
	uint32_t uart_baud;	/* UART bytes per second; 0: unlimited */
	uint32_t uart_sink;	/* host-side sink / source bytes; 0: 1 MiB */
	const char *i2s_name;	/* consumer name of the I2S output; NULL: "i2s0" */
	uint32_t i2s_rate;	/* frames per second; 0: 48000 */
	uint32_t i2s_frame;	/* bytes per frame; 0: 4 (16-bit stereo), max 64 */
	uint32_t i2s_fifo;	/* I2S FIFO bytes; 0: 1024 */
	uint32_t i2s_capture;	/* ring of played bytes for the host; 0: 256 KiB */
	bool iommu;		/* the bus checks each memory access against the
				 * client's mappings (dmae_dma_map): an unmapped
				 * one is a bus error, not a crash */
};

/*
 * Build the SoC, probe and register the driver, add the routes.  cfg may
 * be NULL (defaults).  Task context.  Returns 0, -EINVAL (out of range),
 * -ENOMEM, -EAGAIN (threads), -EEXIST (provider name or a route taken),
 * -ESHUTDOWN (dmae_init() not called).
 */
DMAE_API int dmae_simdmac_create(const struct dmae_simdmac_config *cfg,
				 struct dmae_simdmac **out);

/*
 * Remove the routes and the driver, even while its channels are held:
 * holders are told and their channels revoked (dmae_provider_unregister);
 * the SoC is powered off once the last holder has released.  s is
 * invalid afterwards.  Task context.  Returns 0, -EINVAL (NULL).
 */
DMAE_API int dmae_simdmac_destroy(struct dmae_simdmac *s);

/*
 * Register accesses the controller model saw while its clock, or the
 * channel's, was gated: each is a bus fault on real silicon.  The core
 * drives runtime PM, so that this stays 0.  Any context.
 */
DMAE_API uint64_t dmae_simdmac_gated_accesses(const struct dmae_simdmac *s);

/* The provider name.  Any context. */
DMAE_API const char *dmae_simdmac_name(const struct dmae_simdmac *s);

/* ---- peripherals -------------------------------------------------------- */

/* Bus address of the UART data register (slave config src/dst_addr).  Any context. */
DMAE_API dmae_addr_t dmae_simdmac_uart_data_addr(const struct dmae_simdmac *s);
/*
 * Take up to len bytes the UART has sent from the host-side sink.  Any
 * context (never sleeps).  Returns the number of bytes copied.
 */
DMAE_API size_t dmae_simdmac_uart_read(struct dmae_simdmac *s, void *buf, size_t len);
/*
 * Queue up to len bytes for the UART to receive (at its baud rate).  Any
 * context.  Returns how many fitted in the host-side source.
 */
DMAE_API size_t dmae_simdmac_uart_inject(struct dmae_simdmac *s, const void *buf,
					 size_t len);

/* Bus address of the I2S data register.  Any context. */
DMAE_API dmae_addr_t dmae_simdmac_i2s_data_addr(const struct dmae_simdmac *s);

/*
 * I2S counters.  A frame due while the FIFO holds less than one frame is
 * starved (silence plays in its slot); each run of consecutive starved
 * frames after a played one is one underrun.  The stream starts with the
 * first byte the DMA writes and stops after 100 ms of starvation.
 * Frame n of the current stream is due at start_ns + n * 10^9 / rate
 * (dmae_time_ns() clock): its deadline.
 */
struct dmae_simdmac_i2s_stats {
	uint64_t frames_played;
	uint64_t frames_starved;
	uint64_t underruns;
	uint64_t capture_dropped;	/* played bytes lost: capture ring full */
	uint64_t start_ns;		/* frame 0 of the current stream was due then */
	uint64_t starts;		/* streams started: 1 + restarts after starving */
};

/* Any context.  Returns 0 or -EINVAL. */
DMAE_API int dmae_simdmac_i2s_get_stats(struct dmae_simdmac *s,
					struct dmae_simdmac_i2s_stats *st);
/* Take up to len played bytes from the capture ring.  Any context. */
DMAE_API size_t dmae_simdmac_i2s_read(struct dmae_simdmac *s, void *buf, size_t len);

/* ---- test bench ------------------------------------------------------------ */

enum dmae_simdmac_fault_kind {
	DMAE_SIMDMAC_FAULT_READ = 1,	/* source bus error -> READ_FAILED */
	DMAE_SIMDMAC_FAULT_WRITE,	/* destination bus error -> WRITE_FAILED */
	DMAE_SIMDMAC_FAULT_DESC_FETCH,	/* next list item unreadable -> READ_FAILED */
	DMAE_SIMDMAC_FAULT_LOST_IRQ,	/* the next interrupt is not delivered */
	DMAE_SIMDMAC_FAULT_SPURIOUS_IRQ,/* an interrupt with no cause, now */
	DMAE_SIMDMAC_FAULT_STALL,	/* the channel stops progressing, no error */
};

struct dmae_simdmac_fault {
	enum dmae_simdmac_fault_kind kind;
	struct dmae_chan *chan;	/* READ, WRITE, DESC_FETCH, STALL */
	dmae_addr_t addr;	/* READ/WRITE: fail the burst touching addr, or */
	uint64_t after;		/* with addr 0: the burst going past after bytes */
};

/*
 * Arm one fault; each fires once (a stall lasts until the channel is
 * terminated).  Any context.  Returns 0, -EINVAL (NULL, unknown kind, a
 * channel of another provider).
 */
DMAE_API int dmae_simdmac_fault_inject(struct dmae_simdmac *s,
				       const struct dmae_simdmac_fault *f);
/* Disarm faults that have not fired.  Any context. */
DMAE_API void dmae_simdmac_fault_clear(struct dmae_simdmac *s);

/* Hardware channel number of chan, or -EINVAL (not one of s's).  Any context. */
DMAE_API int dmae_simdmac_chan_index(const struct dmae_simdmac *s,
				     const struct dmae_chan *chan);

/*
 * Read a controller register (offsets in docs/simdmac.md), as a debugger
 * would: the value it holds even while its clock is gated (not counted as
 * a gated access).  Any context.  Unknown offsets read 0.
 */
DMAE_API uint32_t dmae_simdmac_reg_read(struct dmae_simdmac *s, uint32_t off);

DMAE_END_DECLS

#endif /* DMAE_SIMDMAC_H */
