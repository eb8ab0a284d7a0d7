/* SPDX-License-Identifier: MIT */
/*
 * os/baremetal/bm.h - shared inside the bare-metal port.  Internal.
 *
 * The Cortex-M registers the port uses (ARMv7-M and ARMv8-M mainline
 * architecture reference manuals: the System Control Space), its own
 * critical sections, and what one part of the port asks of another.
 */
#ifndef DMAE_OS_BAREMETAL_BM_H
#define DMAE_OS_BAREMETAL_BM_H

#include <stdbool.h>
#include <stdint.h>

#include <dmae/baremetal.h>

#include "os/os.h"

#define BM_REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

#define BM_ICSR BM_REG(0xE000ED04u)
#define BM_ICSR_PENDSVSET (1u << 28)
#define BM_ICSR_PENDSTSET (1u << 26)
#define BM_SHPR3 BM_REG(0xE000ED20u)	/* PendSV [23:16], SysTick [31:24] */
#define BM_SYST_CSR BM_REG(0xE000E010u)
#define BM_SYST_RVR BM_REG(0xE000E014u)
#define BM_SYST_CVR BM_REG(0xE000E018u)
#define BM_NVIC_ISER(n) BM_REG(0xE000E100u + 4u * ((n) / 32u))
#define BM_NVIC_ICER(n) BM_REG(0xE000E180u + 4u * ((n) / 32u))
#define BM_NVIC_ISPR(n) BM_REG(0xE000E200u + 4u * ((n) / 32u))
#define BM_NVIC_ICPR(n) BM_REG(0xE000E280u + 4u * ((n) / 32u))
#define BM_NVIC_IPR(n) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))
#define BM_NVIC_BIT(n) (1u << ((n) % 32u))

/*
 * Priorities (the high bits count; an NVIC implements at least 3): every
 * device interrupt and SysTick share one level, so no interrupt preempts
 * another and a line's handler never nests in itself; PendSV, the BH
 * runner, is below all of them.
 */
#define BM_PRIO_IRQ 0x40u
#define BM_PRIO_PENDSV 0xe0u

/* The active exception: 0 in thread mode, 14 PendSV, 16 + n interrupt n. */
static inline uint32_t bm_ipsr(void)
{
	uint32_t v;

	__asm__ __volatile__("mrs %0, ipsr" : "=r"(v));
	return v & 0x1ffu;
}

static inline void bm_barrier(void)
{
	__asm__ __volatile__("dsb\n\tisb" ::: "memory");
}

/* The port's own critical sections: nestable, any context. */
static inline uint32_t bm_irq_save(void)
{
	uint32_t primask;

	__asm__ __volatile__("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	return primask;
}

static inline void bm_irq_restore(uint32_t primask)
{
	__asm__ __volatile__("msr primask, %0" ::"r"(primask) : "memory");
}

/* Configured by dmae_baremetal_configure(). */
extern struct dmae_baremetal_config bm_cfg;

/* nvic.c: the table of lines, one slot per NVIC interrupt.  0 or -ENOMEM. */
int bm_lines_alloc(unsigned int nr_irqs);
/* time.c: start SysTick. */
void bm_clock_start(uint32_t cpu_hz);
/* work.c: run due work items (task context); how many ran. */
unsigned int bm_work_run(void);
/* work.c: is a work item runnable now (so an idle CPU must not sleep)? */
bool bm_work_due(void);

#endif /* DMAE_OS_BAREMETAL_BM_H */
