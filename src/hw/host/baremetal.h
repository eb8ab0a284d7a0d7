/* SPDX-License-Identifier: MIT */
/*
 * hw/host/baremetal.h - between the bare-metal host of the hardware
 * models (hw/host/baremetal.c) and the board.  Internal.
 *
 * Included by board code.  The host runs each model thread as a coroutine
 * in one NVIC interrupt that the board gives it (and takes out of dmae's
 * spare lines), at HW_HOST_PRIO: below dmae's device interrupts and
 * SysTick, above PendSV (dmae's BHs) and thread mode.  The host knows
 * nothing of dmae, so the board also gives it the time, and tells it
 * when the clock ticks.
 */
#ifndef DMAE_HW_HOST_BAREMETAL_H
#define DMAE_HW_HOST_BAREMETAL_H

#include <stdint.h>

/* The model interrupt's NVIC priority (dmae's devices: 0x40, PendSV: 0xe0). */
#define HW_HOST_PRIO 0x80u

/* Each model thread's stack; a device interrupt may nest on it too. */
#ifndef HW_HOST_STACK_SIZE
#define HW_HOST_STACK_SIZE 8192u
#endif

/* ---- the board gives ------------------------------------------------------ */

/* Monotonic nanoseconds, the clock dmae_time_ns() reads.  Any context. */
uint64_t hw_board_time_ns(void);
/* The NVIC interrupt the host runs the models in; nothing else uses it. */
extern const unsigned int hw_board_model_irq;

/* ---- the board calls ----------------------------------------------------- */

/* The handler the vector table has for hw_board_model_irq. */
void hw_host_model_irq_handler(void);
/* On every clock tick (its SysTick handler): threads whose time is due run. */
void hw_host_tick(void);

#endif /* DMAE_HW_HOST_BAREMETAL_H */
