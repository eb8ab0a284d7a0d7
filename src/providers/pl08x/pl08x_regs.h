/* SPDX-License-Identifier: MIT */
/*
 * providers/pl08x/pl08x_regs.h - the register map of the ARM PrimeCell
 * DMA controllers PL080 and PL081, as their technical reference manuals
 * (ARM DDI 0196, DDI 0218) define it.  Internal: included by pl08x.c.
 *
 * The two differ only in the number of channels (8 and 2) and in
 * PeriphID0; each channel's five registers sit at 0x100 + 0x20 * n.
 */
#ifndef DMAE_PROVIDERS_PL08X_REGS_H
#define DMAE_PROVIDERS_PL08X_REGS_H

#include <stdint.h>

/* ---- global registers (offsets from the base) ---- */
#define PL08X_INT_STATUS	0x000u	/* TC or error, masked, per channel */
#define PL08X_INT_TC_STATUS	0x004u	/* terminal count, masked */
#define PL08X_INT_TC_CLEAR	0x008u	/* write 1s: clear TC */
#define PL08X_INT_ERR_STATUS	0x00cu	/* error, masked */
#define PL08X_INT_ERR_CLEAR	0x010u	/* write 1s: clear error */
#define PL08X_RAW_TC_STATUS	0x014u
#define PL08X_RAW_ERR_STATUS	0x018u
#define PL08X_ENBLD_CHNS	0x01cu	/* channel n enabled: bit n */
#define PL08X_SOFT_BREQ		0x020u	/* software burst request, per line */
#define PL08X_SOFT_SREQ		0x024u	/* software single request */
#define PL08X_SOFT_LBREQ	0x028u	/* software last burst request */
#define PL08X_SOFT_LSREQ	0x02cu	/* software last single request */
#define PL08X_CONFIG		0x030u
#define PL08X_SYNC		0x034u	/* 1: request line n not synchronised */

/* DMACConfiguration */
#define PL08X_CONFIG_E		(1u << 0)	/* controller enable */
#define PL08X_CONFIG_M1		(1u << 1)	/* AHB master 1 big-endian */
#define PL08X_CONFIG_M2		(1u << 2)	/* AHB master 2 big-endian */

/* ---- channel registers ---- */
#define PL08X_CH_BASE(n)	(0x100u + 0x20u * (n))
#define PL08X_CH_SRC		0x00u	/* DMACCxSrcAddr */
#define PL08X_CH_DST		0x04u	/* DMACCxDestAddr */
#define PL08X_CH_LLI		0x08u	/* DMACCxLLI: next item, 0 ends */
#define PL08X_CH_CONTROL	0x0cu	/* DMACCxControl */
#define PL08X_CH_CONFIG		0x10u	/* DMACCxConfiguration */

/* DMACCxLLI: bits [31:2] the next item's address, bit 0 the AHB master */
#define PL08X_LLI_LM		(1u << 0)
#define PL08X_LLI_ADDR_MASK	0xfffffffcu

/* DMACCxControl, also word 3 of a list item */
#define PL08X_CTRL_SIZE_MASK	0xfffu		/* TransferSize, in source widths */
#define PL08X_CTRL_SIZE_MAX	0xfffu
#define PL08X_CTRL_SBSIZE(v)	((uint32_t)(v) << 12)	/* burst code, below */
#define PL08X_CTRL_DBSIZE(v)	((uint32_t)(v) << 15)
#define PL08X_CTRL_SWIDTH(v)	((uint32_t)(v) << 18)	/* 0 byte, 1 half, 2 word */
#define PL08X_CTRL_DWIDTH(v)	((uint32_t)(v) << 21)
#define PL08X_CTRL_SWIDTH_OF(c)	(((c) >> 18) & 7u)
#define PL08X_CTRL_S		(1u << 24)	/* source on AHB master 2 */
#define PL08X_CTRL_D		(1u << 25)	/* destination on AHB master 2 */
#define PL08X_CTRL_SI		(1u << 26)	/* source increments */
#define PL08X_CTRL_DI		(1u << 27)	/* destination increments */
#define PL08X_CTRL_PROT_PRIV	(1u << 28)	/* HPROT[1]: privileged */
#define PL08X_CTRL_PROT_BUF	(1u << 29)	/* HPROT[2]: bufferable */
#define PL08X_CTRL_PROT_CACHE	(1u << 30)	/* HPROT[3]: cacheable */
#define PL08X_CTRL_I		(1u << 31)	/* TC interrupt at the item's end */

/* Burst size codes: 1, 4, 8, 16, 32, 64, 128, 256 transfers */
#define PL08X_BURST_CODES	8u

/* DMACCxConfiguration */
#define PL08X_CCFG_E		(1u << 0)	/* channel enable */
#define PL08X_CCFG_SRC_PERIPH(n) ((uint32_t)(n) << 1)	/* [4:1] */
#define PL08X_CCFG_DST_PERIPH(n) ((uint32_t)(n) << 6)	/* [9:6] */
#define PL08X_CCFG_FLOW(f)	((uint32_t)(f) << 11)	/* [13:11] */
#define PL08X_CCFG_IE		(1u << 14)	/* error interrupt unmasked */
#define PL08X_CCFG_ITC		(1u << 15)	/* TC interrupt unmasked */
#define PL08X_CCFG_L		(1u << 16)	/* locked transfers */
#define PL08X_CCFG_A		(1u << 17)	/* active: data in the FIFO (RO) */
#define PL08X_CCFG_H		(1u << 18)	/* halt: ignore further requests */

/* FlowCntrl: transfer type and flow controller */
enum pl08x_flow {
	PL08X_FLOW_M2M = 0,		/* DMAC */
	PL08X_FLOW_M2P = 1,		/* DMAC */
	PL08X_FLOW_P2M = 2,		/* DMAC */
	PL08X_FLOW_P2P = 3,		/* DMAC */
	PL08X_FLOW_P2P_DST = 4,		/* destination peripheral */
	PL08X_FLOW_M2P_PERIPH = 5,	/* destination peripheral */
	PL08X_FLOW_P2M_PERIPH = 6,	/* source peripheral */
	PL08X_FLOW_P2P_SRC = 7,		/* source peripheral */
};

/* ---- identification (PrimeCell registers) ---- */
#define PL08X_PERIPH_ID(i)	(0xfe0u + 4u * (i))	/* bits [7:0] each */
#define PL08X_PCELL_ID(i)	(0xff0u + 4u * (i))
#define PL08X_PART_PL080	0x080u	/* PartNumber, PeriphID1[3:0]:PeriphID0 */
#define PL08X_PART_PL081	0x081u
#define PL08X_DESIGNER_ARM	0x41u	/* PeriphID2[3:0]:PeriphID1[7:4] */
#define PL08X_PCELL_ID_VALUE	0xb105f00du	/* PCellID3..0 */

/* A list item in memory, word aligned (TRM: scatter/gather) */
struct pl08x_lli {
	uint32_t src;
	uint32_t dst;
	uint32_t next;		/* DMACCxLLI of the next item; 0 ends the list */
	uint32_t ctrl;		/* DMACCxControl */
};

#endif /* DMAE_PROVIDERS_PL08X_REGS_H */
