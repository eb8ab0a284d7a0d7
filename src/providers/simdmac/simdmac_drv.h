/* SPDX-License-Identifier: MIT */
/*
 * providers/simdmac/simdmac_drv.h - the simdmac driver's probe/remove
 * seam and descriptor layout.  Internal.
 *
 * Included by simdmac.c (the driver), board.c (which instantiates the
 * simulated SoC and probes the driver on it) and white-box tests.
 */
#ifndef DMAE_PROVIDERS_SIMDMAC_DRV_H
#define DMAE_PROVIDERS_SIMDMAC_DRV_H

#include <dmae/driver.h>

#include "hw/simdmac/simdmac.h"

/* A descriptor: the core part, then the hardware list it runs. */
struct simdmac_desc {
	struct dmae_desc d;
	uint64_t fill;			/* memset: the word the controller reads */
	uint32_t nlli;
	struct simdmac_lli lli[];	/* caps.max_sg * 2 reserved per descriptor */
};

static inline struct simdmac_desc *to_simdmac_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct simdmac_desc, d);
}

struct simdmac_drv;

struct simdmac_drv_config {
	const char *name;	/* provider name */
	uint32_t max_sg;
	uint32_t pool_size;
	bool iommu;		/* the bus checks accesses: dmae_dma_allowed() */
	/* called once the driver let go of the controller for good (task context) */
	void (*released)(void *arg);
	void *released_arg;
};

/*
 * Probe the controller at hw: check its ID, register one channel per
 * hardware channel.  The driver requests its interrupt line and stores it
 * in *irq_line, which the board's interrupt wiring raises.  Task context.
 * Returns 0, -ENODEV (no simdmac there), -ENOMEM, -EAGAIN, -EINVAL, -EEXIST.
 */
int simdmac_drv_probe(struct simdmac_hw *hw, struct dmae_irq *_Atomic *irq_line,
		      const struct simdmac_drv_config *cfg, struct simdmac_drv **out);
/*
 * Remove the driver, even while its channels are held (they are revoked).
 * The controller is quiesced, the driver's memory freed and cfg->released
 * called once the last holder released.  Task context.  0.
 */
int simdmac_drv_remove(struct simdmac_drv *drv);
struct dmae_provider *simdmac_drv_provider(struct simdmac_drv *drv);

#endif /* DMAE_PROVIDERS_SIMDMAC_DRV_H */
