/* SPDX-License-Identifier: MIT */
/*
 * boards/mps2-an505/board.h - what programs for this board share.
 *
 * QEMU's mps2-an505: a Cortex-M33 at 20 MHz (the FPGA's SYSCLK, which
 * clocks SysTick), the SSE-200's NVIC with 96 external interrupts, the
 * AN505 peripherals at their secure aliases (the CPU runs secure).
 */
#ifndef BOARD_MPS2_AN505_H
#define BOARD_MPS2_AN505_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_NAME "mps2-an505"
#define BOARD_CPU_HZ 20000000u
#define BOARD_NR_IRQS 96

/* The four PL081 DMA controllers (AN505 application note, table 3-5). */
#define BOARD_DMA_BASE(n) (0x50110000u + 0x1000u * (n))
#define BOARD_DMA_IRQ_ERR(n) (56u + 3u * (n))	/* DMACINTERR */
#define BOARD_DMA_IRQ_TC(n) (57u + 3u * (n))	/* DMACINTTC */
#define BOARD_DMA_IRQ_ALL(n) (58u + 3u * (n))	/* DMACINTR: both */

/* The spare interrupt the hardware models run in (src/hw/host/baremetal.h). */
#define BOARD_MODEL_IRQ 91u

/* UART0 (CMSDK APB UART), QEMU's first serial port. */
#define BOARD_UART0_BASE 0x50200000u

/* Bring the board up: the port's clock and interrupts, UART0.  Reset does it. */
void board_init(void);
/* Write len bytes to UART0 (polled). */
void board_uart_write(const void *buf, size_t len);
/* The SysTick vector: dmae's clock and the models' host. */
void board_systick_handler(void);

#endif /* BOARD_MPS2_AN505_H */
