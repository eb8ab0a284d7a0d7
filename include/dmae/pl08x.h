/* SPDX-License-Identifier: MIT */
/*
 * dmae/pl08x.h - the driver for the ARM PrimeCell DMA controllers PL080
 * (8 channels) and PL081 (2 channels).
 *
 * Included by board setup code: the program that knows where the
 * controller's registers are and how its interrupts are wired creates the
 * provider, and clients then use the client API (dmae/dmae.h) as with any
 * provider:
 *
 *   struct dmae_pl08x_config cfg = DMAE_PL08X_CONFIG_INIT;
 *   cfg.base = 0x50110000;          (mps2-an505 dma0, secure alias)
 *   cfg.irq_tc = 57; cfg.irq_err = 56;
 *   dmae_pl08x_create(&cfg, &dmac);
 *   dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan);
 *
 * Slave channels are requested through routes (dmae_route_add) whose spec
 * is { request line, flags }: spec[0] is the peripheral's request line
 * (0..15), spec[1] (optional) DMAE_PL08X_SPEC_PERIPH_FLOW when the
 * peripheral, not the controller, ends each list item.  docs/pl08x.md
 * reads the driver next to ARM's technical reference manuals.
 */
#ifndef DMAE_PL08X_H
#define DMAE_PL08X_H

#include <dmae/dmae.h>

DMAE_BEGIN_DECLS

struct dmae_pl08x;

enum dmae_pl08x_variant {
	DMAE_PL08X_AUTO = 0,	/* read the PeriphID registers */
	DMAE_PL08X_PL080,	/* 8 channels */
	DMAE_PL08X_PL081,	/* 2 channels */
};

/* Request lines of the controller (DMACBREQ/DMACSREQ[15:0]). */
#define DMAE_PL08X_NR_REQ_LINES 16u
/* Route spec[1]: the peripheral is the flow controller (TRM FlowCntrl 5, 6). */
#define DMAE_PL08X_SPEC_PERIPH_FLOW 0x1u
/* An interrupt input not wired: cfg.irq, irq_tc, irq_err. */
#define DMAE_PL08X_NO_IRQ (-1)

struct dmae_pl08x_config {
	const char *name;	/* provider name; NULL: "pl080@<base>" or "pl081@<base>" */
	uintptr_t base;		/* CPU address of the register block */
	enum dmae_pl08x_variant variant;	/* checked against PeriphID */
	/*
	 * Hardware interrupt numbers (dmae_irq_request_hw): either the
	 * combined DMACINTR in irq, or DMACINTTC in irq_tc and DMACINTERR
	 * in irq_err; DMAE_PL08X_NO_IRQ for an input not used.
	 */
	int irq;
	int irq_tc;
	int irq_err;
	uint32_t max_lli;	/* list items per descriptor; 0: 32 (4..4096) */
	uint32_t max_sg;	/* sg entries per descriptor; 0: 16 (2 * max_sg - 1 <= max_lli) */
	uint32_t pool_size;	/* default descriptors per channel; 0: 16 */
	bool runtime_pm;	/* clear DMACConfiguration.E while idle */
};

#define DMAE_PL08X_CONFIG_INIT                                               \
	{ .irq = DMAE_PL08X_NO_IRQ, .irq_tc = DMAE_PL08X_NO_IRQ,              \
	  .irq_err = DMAE_PL08X_NO_IRQ }

/*
 * Probe the controller at cfg->base (PeriphID and PCellID must name a
 * PL080 or PL081, and the variant asked for), request its interrupts and
 * register one channel per hardware channel.  Task context.  Returns 0,
 * -EINVAL (NULL argument, base 0, no interrupt or both forms given, a
 * value out of range), -ENODEV (no PL08x at base, or another variant),
 * -ENOMEM, -EBUSY (an interrupt requested already), -EOPNOTSUPP (the
 * platform has no hardware interrupts: a POSIX process), -EEXIST (name
 * taken), -ESHUTDOWN (dmae_init() not called).
 */
DMAE_API int dmae_pl08x_create(const struct dmae_pl08x_config *cfg, struct dmae_pl08x **out);

/*
 * Remove the driver, even while its channels are held: holders are told
 * and their channels revoked (dmae_provider_unregister); the controller
 * is disabled and the driver's memory freed once the last holder has
 * released.  d is invalid afterwards.  Task context.  Returns 0, -EINVAL
 * (NULL).
 */
DMAE_API int dmae_pl08x_destroy(struct dmae_pl08x *d);

/* The provider name.  Any context. */
DMAE_API const char *dmae_pl08x_name(const struct dmae_pl08x *d);

/* Channels of the controller: 8 (PL080) or 2 (PL081).  Any context. */
DMAE_API unsigned int dmae_pl08x_nr_chans(const struct dmae_pl08x *d);

DMAE_END_DECLS

#endif /* DMAE_PL08X_H */
