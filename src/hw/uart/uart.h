/* SPDX-License-Identifier: MIT */
/*
 * hw/uart/uart.h - a simulated UART with DMA request lines.  Internal.
 *
 * Included by board code and tests.  The UART has a TX and an RX FIFO and
 * one data register, a byte FIFO port: an access of width w moves w
 * bytes.  Its DMA port (hw/hw.h) asks for TX data while the TX FIFO has
 * room and offers RX data while the RX FIFO holds some.  The line side is
 * the host: what the UART shifts out lands in a sink ring the test reads
 * (uart_host_read), and bytes the test injects (uart_host_write) are
 * shifted in, both at the baud rate (bytes per second; 0: at once).
 */
#ifndef DMAE_HW_UART_UART_H
#define DMAE_HW_UART_UART_H

#include <stddef.h>
#include <stdint.h>

#include "hw/hw.h"

struct uart_model;

struct uart_config {
	uint32_t fifo;		/* bytes per FIFO, 1..4096 */
	uint32_t baud;		/* bytes per second each way; 0: unlimited */
	uint32_t sink;		/* bytes the host-side sink holds */
	uint32_t source;	/* bytes the host-side source holds */
};

struct uart_stats {
	uint64_t tx_bytes;	/* shifted out to the sink */
	uint64_t rx_bytes;	/* shifted in to the RX FIFO */
};

/* 0, -EINVAL, -ENOMEM, -EAGAIN. */
int uart_create(const struct uart_config *cfg, struct uart_model **out);
void uart_destroy(struct uart_model *u);
struct hw_dma_port *uart_dma_port(struct uart_model *u);
/* Host side.  Any context; never sleep. */
size_t uart_host_read(struct uart_model *u, void *buf, size_t len);
size_t uart_host_write(struct uart_model *u, const void *buf, size_t len);
void uart_get_stats(struct uart_model *u, struct uart_stats *st);

#endif /* DMAE_HW_UART_UART_H */
