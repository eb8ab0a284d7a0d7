/* SPDX-License-Identifier: MIT */
/*
 * dmae/baremetal.h - dmae on a Cortex-M without an OS (src/os/baremetal).
 *
 * Installed with a bare-metal build only.  The board's startup code
 * routes three kinds of exception to the port and configures it before
 * dmae_init(); the application's main loop gives it the CPU between
 * interrupts.  How the contexts map onto the CPU:
 *
 *   hard-IRQ   the interrupt's handler (an NVIC exception), with the CPU's
 *              interrupts masked while dmae runs it
 *   BH         PendSV at the lowest priority: after every interrupt, before
 *              thread mode resumes
 *   task       thread mode: work items run from dmae_baremetal_run(), from
 *              dmae_baremetal_idle() and inside every sleeping wait
 *
 * Sleeping waits (dmae_completion_wait(), dmae_chan_synchronize(), ...)
 * run due work items and otherwise sleep in WFI until an interrupt.  The
 * port's clock is SysTick at 1 kHz, read to the CPU cycle.
 */
#ifndef DMAE_BAREMETAL_H
#define DMAE_BAREMETAL_H

#include <stdint.h>

#include <dmae/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the port needs to know about the board. */
struct dmae_baremetal_config {
	uint32_t cpu_hz;		/* SysTick's clock (CLKSOURCE = processor) */
	unsigned int nr_irqs;		/* external interrupts the NVIC has */
	/*
	 * Interrupts no device raises, for software lines (dmae_irq_request():
	 * a device model's, a test's): the port pends them itself.  At most 32.
	 */
	const uint8_t *soft_irqs;
	unsigned int nr_soft_irqs;
};

/*
 * Configure the port and start its clock.  Once, before dmae_init(), in
 * thread mode with interrupts enabled.  Returns 0, -EINVAL (NULL, a clock
 * under 1 MHz, no or more than 240 interrupts, more than 32 soft lines or
 * none listed, a soft line beyond nr_irqs or that the NVIC does not
 * implement), -ENOMEM (its table of lines) or -EALREADY (configured
 * already).
 */
DMAE_API int dmae_baremetal_configure(const struct dmae_baremetal_config *cfg);

/*
 * Run the work items that are due, in task context, and return how many
 * ran.  Thread mode only (task context).
 */
DMAE_API unsigned int dmae_baremetal_run(void);

/*
 * dmae_baremetal_run(), and if nothing was due, sleep (WFI) until the next
 * interrupt or clock tick.  A main loop's idle step.  Thread mode only.
 */
DMAE_API void dmae_baremetal_idle(void);

/* The exception handlers the board's vector table points at. */
DMAE_API void dmae_baremetal_irq_handler(void);	/* every external interrupt */
DMAE_API void dmae_baremetal_pendsv_handler(void);	/* PendSV: the BH runner */
DMAE_API void dmae_baremetal_systick_handler(void);	/* SysTick: the clock */

#ifdef __cplusplus
}
#endif

#endif /* DMAE_BAREMETAL_H */
