/* SPDX-License-Identifier: MIT */
/*
 * simdmac_regs.h - the "datasheet" of the simulated DMA controller.
 *
 * Shared by the hardware model (src/hw/simdmac) and its driver
 * (src/providers/simdmac); tests include it to peek at registers.  Every
 * register is 32 bits wide; 64-bit addresses are two registers, _LO at
 * the lower offset, which may also be accessed as one 64-bit register
 * (simdmac_readq / simdmac_writeq).
 *
 * Global registers
 *
 *   0x000 ID          RO  SIMDMAC_ID_VALUE
 *   0x004 CFG         RO  [7:0] number of channels, [15:8] request lines
 *   0x008 CTRL        RW  bit 0 EN: the controller runs channels only when set
 *   0x010 TC_RAW      RO  per channel: an item with CTRL_IE completed
 *   0x014 ERR_RAW     RO  per channel: the channel stopped on an error
 *   0x018 TC_MASK     RW  per channel: 1 = TC raises the interrupt
 *   0x01c ERR_MASK    RW  per channel: 1 = ERR raises the interrupt
 *   0x020 TC_CLEAR    WO  write 1s to clear TC_RAW bits
 *   0x024 ERR_CLEAR   WO  write 1s to clear ERR_RAW bits
 *   0x028 TC_STATUS   RO  TC_RAW & TC_MASK
 *   0x02c ERR_STATUS  RO  ERR_RAW & ERR_MASK
 *
 * The interrupt line is raised whenever a bit becomes set in TC_STATUS or
 * ERR_STATUS; it is an edge, so a handler clears what it reads and then
 * processes it (a later event raises the line again).
 *
 * Channel registers, at SIMDMAC_CH_BASE(n) + offset
 *
 *   0x00 SRC       RW  64-bit source address of the current item
 *   0x08 DST       RW  64-bit destination address of the current item
 *   0x10 LEN       RW  bytes of the current item
 *   0x14 CTRL      RW  control word of the current item (SIMDMAC_CTRL_*)
 *   0x18 LLP       RW  64-bit address of the next linked-list item, 0: none
 *   0x20 CHCTL     RW  bit 0 EN, bit 1 HALT (see below)
 *   0x24 STATUS    RO  [2:0] state (SIMDMAC_ST_*), [11:8] error cause
 *   0x28 PROGRESS  RO  bytes of the current item done (whole bursts)
 *   0x30 CUR       RO  64-bit address of the item being executed, 0: none
 *   0x38 ERRADDR   RO  64-bit bus address of the access that failed
 *
 * Starting a channel: write LLP with the address of the first item and
 * CHCTL = EN.  The controller fetches that item (loading SRC, DST, LEN,
 * CTRL and LLP from it, CUR = its address) and runs it; with LLP = 0 it
 * runs the item already in SRC/DST/LEN/CTRL.  When an item is done it
 * raises TC if the item's CTRL_IE is set, then fetches the item at LLP,
 * or, with LLP = 0, goes IDLE and clears CHCTL.EN.  A list whose last
 * item points back at the first never ends (cyclic).
 *
 * Control takes effect at a burst boundary, before the register write
 * returns: after CHCTL = 0 (abort) the channel is IDLE and no longer
 * touches memory; after CHCTL = EN | HALT it is PAUSED (PROGRESS frozen),
 * and CHCTL = EN resumes it.  EN on an IDLE or ERROR channel starts it;
 * EN | HALT on a stopped channel does nothing (it never starts one).
 *
 * Errors stop the channel in state ERROR with a cause, ERRADDR set, and
 * ERR_RAW set (whatever the item's CTRL_IE says).
 */
#ifndef DMAE_HW_SIMDMAC_REGS_H
#define DMAE_HW_SIMDMAC_REGS_H

#include <stdint.h>

#define SIMDMAC_ID_VALUE 0x51d3ac01u
#define SIMDMAC_MAX_CHANS 32u
#define SIMDMAC_NR_LINES 16u

/* global registers */
#define SIMDMAC_ID 0x000u
#define SIMDMAC_CFG 0x004u
#define SIMDMAC_CTRL 0x008u
#define SIMDMAC_TC_RAW 0x010u
#define SIMDMAC_ERR_RAW 0x014u
#define SIMDMAC_TC_MASK 0x018u
#define SIMDMAC_ERR_MASK 0x01cu
#define SIMDMAC_TC_CLEAR 0x020u
#define SIMDMAC_ERR_CLEAR 0x024u
#define SIMDMAC_TC_STATUS 0x028u
#define SIMDMAC_ERR_STATUS 0x02cu

#define SIMDMAC_CTRL_EN (1u << 0)
#define SIMDMAC_CFG_CHANS(v) ((v) & 0xffu)
#define SIMDMAC_CFG_LINES(v) (((v) >> 8) & 0xffu)

/* channel registers */
#define SIMDMAC_CH_BASE(n) (0x100u + (uint32_t)(n) * 0x40u)
#define SIMDMAC_CH_SRC 0x00u
#define SIMDMAC_CH_DST 0x08u
#define SIMDMAC_CH_LEN 0x10u
#define SIMDMAC_CH_CTRL 0x14u
#define SIMDMAC_CH_LLP 0x18u
#define SIMDMAC_CH_CHCTL 0x20u
#define SIMDMAC_CH_STATUS 0x24u
#define SIMDMAC_CH_PROGRESS 0x28u
#define SIMDMAC_CH_CUR 0x30u
#define SIMDMAC_CH_ERRADDR 0x38u
#define SIMDMAC_REG_END SIMDMAC_CH_BASE(SIMDMAC_MAX_CHANS)

/* 64-bit registers: low word at the offset, high word at offset + 4 */
#define SIMDMAC_LO(off) (off)
#define SIMDMAC_HI(off) ((off) + 4u)

#define SIMDMAC_CHCTL_EN (1u << 0)
#define SIMDMAC_CHCTL_HALT (1u << 1)

/* STATUS */
#define SIMDMAC_ST_IDLE 0u
#define SIMDMAC_ST_RUNNING 1u
#define SIMDMAC_ST_PAUSED 2u
#define SIMDMAC_ST_ERROR 3u
#define SIMDMAC_STATUS_STATE(v) ((v) & 0x7u)
#define SIMDMAC_STATUS_CAUSE(v) (((v) >> 8) & 0xfu)

/* error causes */
#define SIMDMAC_ERR_NONE 0u
#define SIMDMAC_ERR_READ 1u	/* bus error reading the source */
#define SIMDMAC_ERR_WRITE 2u	/* bus error writing the destination */
#define SIMDMAC_ERR_FETCH 3u	/* bus error fetching a linked-list item */
#define SIMDMAC_ERR_CONFIG 4u	/* bad CTRL: width, alignment, no peripheral */

/*
 * CTRL, in the channel register and in every linked-list item:
 *
 *   [1:0]   FLOW     0 memory to memory (free running), 1 memory to
 *                    peripheral, 2 peripheral to memory (flow controlled
 *                    by the request line)
 *   [2]     SRC_INC  source address increments (else: a fixed register)
 *   [3]     DST_INC  destination address increments
 *   [6:4]   WIDTH    bus width, log2 bytes (0..3: 1, 2, 4, 8); SRC, DST
 *                    and LEN must be multiples of it
 *   [15:8]  BURST    words per burst minus one (1..256 words)
 *   [16]    IE       raise TC when this item completes
 *   [23:20] REQ      request line of the peripheral (FLOW 1 and 2)
 */
#define SIMDMAC_FLOW_M2M 0u
#define SIMDMAC_FLOW_M2P 1u
#define SIMDMAC_FLOW_P2M 2u
#define SIMDMAC_CTRL_FLOW(f) ((uint32_t)(f) & 0x3u)
#define SIMDMAC_CTRL_SRC_INC (1u << 2)
#define SIMDMAC_CTRL_DST_INC (1u << 3)
#define SIMDMAC_CTRL_WIDTH(log2) (((uint32_t)(log2) & 0x7u) << 4)
#define SIMDMAC_CTRL_BURST(words) ((((uint32_t)(words) - 1u) & 0xffu) << 8)
#define SIMDMAC_CTRL_IE (1u << 16)
#define SIMDMAC_CTRL_REQ(line) (((uint32_t)(line) & 0xfu) << 20)

#define SIMDMAC_CTRL_GET_FLOW(c) ((c) & 0x3u)
#define SIMDMAC_CTRL_GET_WIDTH(c) (((c) >> 4) & 0x7u)
#define SIMDMAC_CTRL_GET_BURST(c) ((((c) >> 8) & 0xffu) + 1u)
#define SIMDMAC_CTRL_GET_REQ(c) (((c) >> 20) & 0xfu)

#define SIMDMAC_MAX_BURST 256u
#define SIMDMAC_MAX_ITEM_LEN 0xffffffffu

/*
 * A linked-list item, in memory, 8-byte aligned, host byte order.  The
 * controller reads it with one 32-byte bus read when it follows LLP.
 */
struct simdmac_lli {
	uint64_t src;
	uint64_t dst;
	uint32_t len;
	uint32_t ctrl;		/* SIMDMAC_CTRL_* */
	uint64_t next;		/* bus address of the next item, 0: last */
};

#endif /* DMAE_HW_SIMDMAC_REGS_H */
