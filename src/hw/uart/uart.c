/* SPDX-License-Identifier: MIT */
/*
 * The simulated UART.  See uart.h.
 *
 * State (rings and counters) is protected by u->lock.  Data moves between
 * the FIFOs and the host rings in uart_pump(): with an unlimited baud rate
 * at once, from whoever changed something (a DMA access, a host call);
 * otherwise from the UART's own "shift clock" thread, which wakes every
 * UART_TICK_NS while there is traffic and moves as many bytes as the baud
 * rate allows for the time that passed.  Whenever a FIFO level changes the
 * DMA port is notified (the request line may have changed).
 */
#include <errno.h>
#include <stdlib.h>

#include "hw/ring.h"
#include "hw/uart/uart.h"

#define UART_TICK_NS 200000ull

struct uart_model {
	struct uart_config cfg;
	struct hw_lock lock;
	struct hw_ring tx, rx;		/* the FIFOs */
	struct hw_ring sink, source;	/* the host side of the line */
	uint64_t last_ns;		/* shift clock: time accounted for */
	uint64_t tx_bytes, rx_bytes;
	uint32_t dr;			/* the data register: its address is the port */
	struct hw_dma_port port;

	atomic_uint wake;		/* bumped when there may be traffic */
	atomic_bool stop;
	struct hw_thread *thread;
};

/* Move up to budget bytes each way.  Lock held.  True if a FIFO changed. */
static bool uart_pump(struct uart_model *u, uint64_t budget)
{
	size_t t = hw_ring_move(&u->sink, &u->tx, budget);
	size_t r = hw_ring_move(&u->rx, &u->source, budget);

	u->tx_bytes += t;
	u->rx_bytes += r;
	return t || r;
}

static bool uart_busy(struct uart_model *u)
{
	return (hw_ring_count(&u->tx) && hw_ring_room(&u->sink)) ||
	       (hw_ring_count(&u->source) && hw_ring_room(&u->rx));
}

/* After a change: move data now (unlimited baud) or wake the shift clock. */
static void uart_changed(struct uart_model *u)
{
	if (!u->cfg.baud) {
		uart_pump(u, SIZE_MAX);
		return;
	}
	atomic_fetch_add(&u->wake, 1);
	hw_wake(&u->wake, 1);
}

static void uart_thread(void *arg)
{
	struct uart_model *u = arg;

	while (!atomic_load(&u->stop)) {
		unsigned int seq = atomic_load(&u->wake);
		uint64_t now = hw_time_ns(), n;
		bool moved, busy;

		hw_lock(&u->lock);
		busy = uart_busy(u);
		if (!busy) {
			u->last_ns = now;	/* an idle line saves no credit */
		} else {
			n = (now - u->last_ns) * u->cfg.baud / 1000000000ull;
			if (n > u->cfg.fifo)	/* late wake-up: catch up, in reason */
				n = u->cfg.fifo;
			if (n) {
				u->last_ns = now;
				moved = uart_pump(u, n);
				if (moved)
					busy = uart_busy(u);
				hw_unlock(&u->lock);
				if (moved)
					hw_dma_port_notify(&u->port);
				if (busy)
					hw_sleep_ns(UART_TICK_NS);
				continue;
			}
		}
		hw_unlock(&u->lock);
		hw_wait(&u->wake, seq, busy ? UART_TICK_NS : HW_FOREVER);
	}
}

/* ---- the DMA port ---------------------------------------------------------------- */

static uint32_t uart_level(void *ctx, enum hw_dma_dir dir)
{
	struct uart_model *u = ctx;
	size_t n;

	hw_lock(&u->lock);
	n = dir == HW_DMA_TO_DEV ? hw_ring_room(&u->tx) : hw_ring_count(&u->rx);
	hw_unlock(&u->lock);
	return (uint32_t)n;
}

static int uart_write(void *ctx, uint64_t addr, const void *buf, uint32_t n, uint32_t width)
{
	struct uart_model *u = ctx;
	size_t put;

	(void)width;
	if (addr != u->port.addr)
		return HW_BUS_ERROR;
	hw_lock(&u->lock);
	put = hw_ring_put(&u->tx, buf, n);	/* a full FIFO drops, like silicon */
	uart_changed(u);
	hw_unlock(&u->lock);
	(void)put;
	return HW_BUS_OK;
}

static int uart_read(void *ctx, uint64_t addr, void *buf, uint32_t n, uint32_t width)
{
	struct uart_model *u = ctx;
	size_t got;
	bool refill;

	(void)width;
	if (addr != u->port.addr)
		return HW_BUS_ERROR;
	hw_lock(&u->lock);
	got = hw_ring_get(&u->rx, buf, n);
	for (; got < n; got++)		/* an empty FIFO reads as zero */
		((unsigned char *)buf)[got] = 0;
	uart_changed(u);
	refill = !u->cfg.baud && hw_ring_count(&u->rx);
	hw_unlock(&u->lock);
	if (refill)
		hw_dma_port_notify(&u->port);
	return HW_BUS_OK;
}

/* ---- host side, life cycle ---------------------------------------------------------- */

size_t uart_host_read(struct uart_model *u, void *buf, size_t len)
{
	size_t n;

	hw_lock(&u->lock);
	n = hw_ring_get(&u->sink, buf, len);
	if (n)
		uart_changed(u);	/* room in the sink: the line moves again */
	hw_unlock(&u->lock);
	if (n && !u->cfg.baud)
		hw_dma_port_notify(&u->port);
	return n;
}

size_t uart_host_write(struct uart_model *u, const void *buf, size_t len)
{
	size_t n;

	hw_lock(&u->lock);
	n = hw_ring_put(&u->source, buf, len);
	uart_changed(u);
	hw_unlock(&u->lock);
	if (n && !u->cfg.baud)
		hw_dma_port_notify(&u->port);
	return n;
}

void uart_get_stats(struct uart_model *u, struct uart_stats *st)
{
	hw_lock(&u->lock);
	st->tx_bytes = u->tx_bytes;
	st->rx_bytes = u->rx_bytes;
	hw_unlock(&u->lock);
}

struct hw_dma_port *uart_dma_port(struct uart_model *u)
{
	return &u->port;
}

int uart_create(const struct uart_config *cfg, struct uart_model **out)
{
	struct uart_model *u;
	int ret = -ENOMEM;

	if (!cfg || !out || !cfg->fifo || cfg->fifo > 4096 || !cfg->sink || !cfg->source)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->cfg = *cfg;
	hw_lock_init(&u->lock);
	if (hw_ring_init(&u->tx, cfg->fifo) || hw_ring_init(&u->rx, cfg->fifo) ||
	    hw_ring_init(&u->sink, cfg->sink) || hw_ring_init(&u->source, cfg->source))
		goto err;
	u->port = (struct hw_dma_port){
		.ctx = u,
		.addr = (uint64_t)(uintptr_t)&u->dr,
		.level = uart_level,
		.write = uart_write,
		.read = uart_read,
	};
	u->last_ns = hw_time_ns();
	if (cfg->baud) {
		ret = hw_thread_start(&u->thread, "uart", uart_thread, u);
		if (ret)
			goto err;
	}
	*out = u;
	return 0;
err:
	hw_ring_free(&u->tx);
	hw_ring_free(&u->rx);
	hw_ring_free(&u->sink);
	hw_ring_free(&u->source);
	free(u);
	return ret;
}

void uart_destroy(struct uart_model *u)
{
	if (!u)
		return;
	if (u->thread) {
		atomic_store(&u->stop, true);
		atomic_fetch_add(&u->wake, 1);
		hw_wake(&u->wake, 1);
		hw_thread_join(u->thread);
	}
	hw_ring_free(&u->tx);
	hw_ring_free(&u->rx);
	hw_ring_free(&u->sink);
	hw_ring_free(&u->source);
	free(u);
}
