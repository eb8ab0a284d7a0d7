/* SPDX-License-Identifier: MIT */
/*
 * mps2-an505: bringing the board up for dmae and for the hardware models'
 * host (src/hw/host/baremetal.c), and its UART.
 */
#include <stdio.h>
#include <stdlib.h>

#include <dmae/baremetal.h>
#include <dmae/context.h>

#include "board.h"
#include "hw/host/baremetal.h"

/*
 * Interrupts nothing on the AN505 raises (its expansion interrupts end
 * with the DMA controllers' at 67), for dmae's software lines; the last
 * one, BOARD_MODEL_IRQ, is the hardware models' (src/hw/host).
 */
static const uint8_t soft_irqs[] = { 80, 81, 82, 83, 84, 85, 86, 87,
				     88, 89, 90 };

/* The models' host: its interrupt, and dmae's clock. */
const unsigned int hw_board_model_irq = BOARD_MODEL_IRQ;

uint64_t hw_board_time_ns(void)
{
	return dmae_time_ns();
}

/* SysTick: dmae's clock, then the models' sleeps and timeouts that fell due. */
void board_systick_handler(void)
{
	dmae_baremetal_systick_handler();
	hw_host_tick();
}

#define UART_DATA 0x00u
#define UART_STATE 0x04u	/* bit 0: TX buffer full */
#define UART_CTRL 0x08u		/* bit 0: TX enable */
#define UART_BAUDDIV 0x10u
#define UART_REG(off) (*(volatile uint32_t *)(uintptr_t)(BOARD_UART0_BASE + (off)))

void board_init(void)
{
	static const struct dmae_baremetal_config cfg = {
		.cpu_hz = BOARD_CPU_HZ,
		.nr_irqs = BOARD_NR_IRQS,
		.soft_irqs = soft_irqs,
		.nr_soft_irqs = sizeof(soft_irqs),
	};
	int ret = dmae_baremetal_configure(&cfg);

	if (ret) {
		fprintf(stderr, "board: dmae_baremetal_configure: %d\n", ret);
		exit(2);
	}
	UART_REG(UART_BAUDDIV) = BOARD_CPU_HZ / 115200u;
	UART_REG(UART_CTRL) = 1u;
}

void board_uart_write(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		while (UART_REG(UART_STATE) & 1u)
			;
		UART_REG(UART_DATA) = p[i];
	}
}
