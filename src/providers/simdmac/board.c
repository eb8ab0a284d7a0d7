/* SPDX-License-Identifier: MIT */
/*
 * The simulated SoC: board code that builds the hardware models, wires
 * them together (request lines, the interrupt line), probes the driver
 * and adds the routes.  This is what a device tree and a platform bus do
 * on a real system; the driver (simdmac.c) knows none of it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <dmae/driver.h>
#include <dmae/simdmac.h>

#include "hw/i2s/i2s.h"
#include "hw/uart/uart.h"
#include "providers/simdmac/simdmac_drv.h"

struct dmae_simdmac {
	struct dmae_simdmac_config cfg;
	char name[32];
	char uart_name[32];
	char i2s_name[32];
	struct simdmac_hw *hw;
	struct uart_model *uart;
	struct i2s_model *i2s;
	struct simdmac_drv *drv;
	struct dmae_irq *_Atomic irq;	/* the controller's interrupt wire */
	unsigned int nroutes;
};

static const struct {
	bool i2s;
	const char *name;
	uint32_t line;
} board_routes[] = {
	{ false, "tx", DMAE_SIMDMAC_LINE_UART_TX },
	{ false, "rx", DMAE_SIMDMAC_LINE_UART_RX },
	{ true, "tx", DMAE_SIMDMAC_LINE_I2S_TX },
};

#define NR_ROUTES (sizeof(board_routes) / sizeof(board_routes[0]))

/* The interrupt controller: the DMA controller's output to the driver's line. */
static void board_irq(void *arg)
{
	struct dmae_simdmac *s = arg;
	struct dmae_irq *irq = atomic_load(&s->irq);

	if (irq)
		dmae_irq_raise(irq);
}

static int board_config(const struct dmae_simdmac_config *in, struct dmae_simdmac_config *c)
{
	static const char fn[] = "dmae_simdmac_create";

	*c = in ? *in : (struct dmae_simdmac_config){ 0 };
	c->nr_chans = c->nr_chans ? c->nr_chans : 8;
	c->max_sg = c->max_sg ? c->max_sg : 64;
	c->uart_fifo = c->uart_fifo ? c->uart_fifo : 16;
	c->uart_sink = c->uart_sink ? c->uart_sink : 1u << 20;
	c->i2s_rate = c->i2s_rate ? c->i2s_rate : 48000;
	c->i2s_frame = c->i2s_frame ? c->i2s_frame : 4;
	c->i2s_fifo = c->i2s_fifo ? c->i2s_fifo : 1024;
	c->i2s_capture = c->i2s_capture ? c->i2s_capture : 256u << 10;
	if (c->nr_chans > SIMDMAC_MAX_CHANS)
		return dmae_fail(EINVAL, "%s: %" PRIu32 " channels (max %u)", fn, c->nr_chans,
				 SIMDMAC_MAX_CHANS);
	if (c->max_sg > 4096)
		return dmae_fail(EINVAL, "%s: max_sg %" PRIu32 " (max 4096)", fn, c->max_sg);
	if (c->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %" PRIu32 " (max %u)", fn, c->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (c->uart_fifo > 4096 || c->i2s_frame > 64 || c->i2s_fifo < c->i2s_frame ||
	    c->i2s_rate > 384000)
		return dmae_fail(EINVAL, "%s: peripheral settings out of range", fn);
	if ((c->name && (!c->name[0] || strlen(c->name) >= 32)) ||
	    (c->uart_name && (!c->uart_name[0] || strlen(c->uart_name) >= 32)) ||
	    (c->i2s_name && (!c->i2s_name[0] || strlen(c->i2s_name) >= 32)))
		return dmae_fail(EINVAL, "%s: bad name", fn);
	return 0;
}

static void board_routes_remove(struct dmae_simdmac *s)
{
	while (s->nroutes) {
		s->nroutes--;
		dmae_route_remove(board_routes[s->nroutes].i2s ? s->i2s_name : s->uart_name,
				  board_routes[s->nroutes].name);
	}
}

static void board_power_off(struct dmae_simdmac *s)
{
	/* peripherals first: their threads may still poke the controller */
	i2s_destroy(s->i2s);
	uart_destroy(s->uart);
	simdmac_hw_destroy(s->hw);
	dmae_mem_free(s);
}

/*
 * The SoC's IOMMU: the client's mappings of the controller.  No transfer
 * runs before the driver is probed, so s->drv is set by then.
 */
static bool board_iommu(void *arg, uint64_t addr, uint64_t len, bool write)
{
	struct dmae_simdmac *s = arg;

	return dmae_dma_allowed(simdmac_drv_provider(s->drv), addr, len, write);
}

/* The driver let go of the controller (its release): the board goes. */
static void board_released(void *arg)
{
	board_power_off(arg);
}

/* The board's names, copied: the configuration's strings are the caller's. */
static void board_names(struct dmae_simdmac *s)
{
	static atomic_uint instances;

	if (s->cfg.name)
		snprintf(s->name, sizeof(s->name), "%s", s->cfg.name);
	else
		snprintf(s->name, sizeof(s->name), "simdmac%u", atomic_fetch_add(&instances, 1));
	snprintf(s->uart_name, sizeof(s->uart_name), "%s",
		 s->cfg.uart_name ? s->cfg.uart_name : "uart0");
	snprintf(s->i2s_name, sizeof(s->i2s_name), "%s",
		 s->cfg.i2s_name ? s->cfg.i2s_name : "i2s0");
	s->cfg.name = s->cfg.uart_name = s->cfg.i2s_name = NULL;
}

/* Power the silicon on: the controller, the UART, the I2S and their wiring. */
static int board_power_on(struct dmae_simdmac *s)
{
	int ret;

	ret = simdmac_hw_create(&(struct simdmac_hw_config){
					.nr_chans = s->cfg.nr_chans,
					.bandwidth = s->cfg.bandwidth,
					.irq = board_irq, .irq_arg = s,
					.bus_check = s->cfg.iommu ? board_iommu : NULL,
					.bus_arg = s },
				&s->hw);
	if (!ret)
		ret = uart_create(&(struct uart_config){ .fifo = s->cfg.uart_fifo,
							 .baud = s->cfg.uart_baud,
							 .sink = s->cfg.uart_sink,
							 .source = s->cfg.uart_sink },
				  &s->uart);
	if (!ret)
		ret = i2s_create(&(struct i2s_config){ .rate = s->cfg.i2s_rate,
						       .frame = s->cfg.i2s_frame,
						       .fifo = s->cfg.i2s_fifo,
						       .capture = s->cfg.i2s_capture },
				 &s->i2s);
	if (!ret)
		ret = simdmac_hw_connect(s->hw, DMAE_SIMDMAC_LINE_UART_TX, uart_dma_port(s->uart),
					 HW_DMA_TO_DEV);
	if (!ret)
		ret = simdmac_hw_connect(s->hw, DMAE_SIMDMAC_LINE_UART_RX, uart_dma_port(s->uart),
					 HW_DMA_FROM_DEV);
	if (!ret)
		ret = simdmac_hw_connect(s->hw, DMAE_SIMDMAC_LINE_I2S_TX, i2s_dma_port(s->i2s),
					 HW_DMA_TO_DEV);
	return ret;
}

/* The routes of the board's peripherals to the request lines they are wired to. */
static int board_routes_add(struct dmae_simdmac *s)
{
	for (s->nroutes = 0; s->nroutes < NR_ROUTES; s->nroutes++) {
		struct dmae_route r = {
			.consumer = board_routes[s->nroutes].i2s ? s->i2s_name : s->uart_name,
			.name = board_routes[s->nroutes].name,
			.provider = s->name,
			.spec = { board_routes[s->nroutes].line },
			.nspec = 1,
		};
		int ret = dmae_route_add(&r);

		if (ret)
			return ret;
	}
	return 0;
}

int dmae_simdmac_create(const struct dmae_simdmac_config *cfg, struct dmae_simdmac **out)
{
	struct dmae_simdmac *s;
	int ret;

	dmae_might_sleep();
	if (!out)
		return dmae_fail(EINVAL, "dmae_simdmac_create: NULL out-pointer");
	if (!dmae_initialised())
		return dmae_fail(ESHUTDOWN, "dmae_simdmac_create: dmae_init() not called");
	s = dmae_mem_zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = board_config(cfg, &s->cfg);
	if (ret) {
		dmae_mem_free(s);
		return ret;
	}
	board_names(s);
	ret = board_power_on(s);
	if (ret)
		goto err_power;
	ret = simdmac_drv_probe(s->hw, &s->irq,
				&(struct simdmac_drv_config){ .name = s->name,
							      .max_sg = s->cfg.max_sg,
							      .pool_size = s->cfg.pool_size,
							      .iommu = s->cfg.iommu,
							      .released = board_released,
							      .released_arg = s },
				&s->drv);
	if (ret)
		goto err_power;
	ret = board_routes_add(s);
	if (ret)
		goto err_routes;
	*out = s;
	return 0;

err_routes:
	board_routes_remove(s);
	simdmac_drv_remove(s->drv);	/* powers the board off when released */
	return ret;
err_power:
	board_power_off(s);
	return ret;
}

int dmae_simdmac_destroy(struct dmae_simdmac *s)
{
	dmae_might_sleep();
	if (!s)
		return dmae_fail(EINVAL, "dmae_simdmac_destroy: NULL SoC");
	board_routes_remove(s);
	return simdmac_drv_remove(s->drv);	/* board_released() powers off */
}

uint64_t dmae_simdmac_gated_accesses(const struct dmae_simdmac *s)
{
	struct simdmac_hw_stats st;

	if (!s)
		return 0;
	simdmac_hw_stats(s->hw, &st);
	return st.gated_accesses;
}

const char *dmae_simdmac_name(const struct dmae_simdmac *s)
{
	return s ? s->name : "(null)";
}

dmae_addr_t dmae_simdmac_uart_data_addr(const struct dmae_simdmac *s)
{
	return s ? uart_dma_port(s->uart)->addr : 0;
}

size_t dmae_simdmac_uart_read(struct dmae_simdmac *s, void *buf, size_t len)
{
	return s && buf ? uart_host_read(s->uart, buf, len) : 0;
}

size_t dmae_simdmac_uart_inject(struct dmae_simdmac *s, const void *buf, size_t len)
{
	return s && buf ? uart_host_write(s->uart, buf, len) : 0;
}

dmae_addr_t dmae_simdmac_i2s_data_addr(const struct dmae_simdmac *s)
{
	return s ? i2s_dma_port(s->i2s)->addr : 0;
}

int dmae_simdmac_i2s_get_stats(struct dmae_simdmac *s, struct dmae_simdmac_i2s_stats *st)
{
	struct i2s_stats hs;

	if (!s || !st)
		return dmae_fail(EINVAL, "dmae_simdmac_i2s_get_stats: NULL argument");
	i2s_get_stats(s->i2s, &hs);
	st->frames_played = hs.frames_played;
	st->frames_starved = hs.frames_starved;
	st->underruns = hs.underruns;
	st->capture_dropped = hs.capture_dropped;
	st->start_ns = hs.start_ns;
	st->starts = hs.starts;
	return 0;
}

size_t dmae_simdmac_i2s_read(struct dmae_simdmac *s, void *buf, size_t len)
{
	return s && buf ? i2s_host_read(s->i2s, buf, len) : 0;
}

int dmae_simdmac_chan_index(const struct dmae_simdmac *s, const struct dmae_chan *chan)
{
	if (!s || !chan || chan->provider != simdmac_drv_provider(s->drv))
		return -EINVAL;
	return (int)chan->index;
}

int dmae_simdmac_fault_inject(struct dmae_simdmac *s, const struct dmae_simdmac_fault *f)
{
	static const enum simdmac_fault_kind kinds[] = {
		[DMAE_SIMDMAC_FAULT_READ] = SIMDMAC_FAULT_READ,
		[DMAE_SIMDMAC_FAULT_WRITE] = SIMDMAC_FAULT_WRITE,
		[DMAE_SIMDMAC_FAULT_DESC_FETCH] = SIMDMAC_FAULT_FETCH,
		[DMAE_SIMDMAC_FAULT_LOST_IRQ] = SIMDMAC_FAULT_LOST_IRQ,
		[DMAE_SIMDMAC_FAULT_SPURIOUS_IRQ] = SIMDMAC_FAULT_SPURIOUS_IRQ,
		[DMAE_SIMDMAC_FAULT_STALL] = SIMDMAC_FAULT_STALL,
	};
	int idx = 0;

	if (!s || !f || f->kind < DMAE_SIMDMAC_FAULT_READ || f->kind > DMAE_SIMDMAC_FAULT_STALL)
		return dmae_fail(EINVAL, "dmae_simdmac_fault_inject: NULL or unknown fault");
	if (f->kind != DMAE_SIMDMAC_FAULT_LOST_IRQ && f->kind != DMAE_SIMDMAC_FAULT_SPURIOUS_IRQ) {
		idx = dmae_simdmac_chan_index(s, f->chan);
		if (idx < 0)
			return dmae_fail(EINVAL, "dmae_simdmac_fault_inject: not a channel of %s",
					 s->name);
	}
	return simdmac_hw_fault(s->hw, kinds[f->kind], (unsigned int)idx, f->addr, f->after);
}

void dmae_simdmac_fault_clear(struct dmae_simdmac *s)
{
	if (s)
		simdmac_hw_fault_clear(s->hw);
}

uint32_t dmae_simdmac_reg_read(struct dmae_simdmac *s, uint32_t off)
{
	return s ? simdmac_hw_peek(s->hw, off) : 0;
}
