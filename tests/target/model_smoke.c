/* SPDX-License-Identifier: MIT */
/*
 * model_smoke: the simulated SoC (dmae/simdmac.h) on the board, its
 * models run by the bare-metal host (src/hw/host/baremetal.c).
 *
 *   memcpy     one copy on an unlimited bus: the callback runs once, in
 *              the context asked for, with OK and no residue; the bytes
 *              are there
 *   bandwidth  a 32 KiB copy on a 16 bytes/us bus, so that the engine
 *              yields and sleeps on time; every descriptor's callback
 *   uart       256 bytes to a UART at 20000 bytes/s: its shift clock
 *              thread sleeps on time; every byte reaches the line
 *   destroy    both SoCs go (their threads joined), and a third is
 *              created and destroyed after them
 *
 * Exit status 0 if every check passed, 1 otherwise; each check prints a
 * line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>

#define TIMEOUT_NS 10000000000ull	/* 10 s: QEMU on a loaded machine */

static unsigned int failures;

static void check(bool ok, const char *what, long long got)
{
	printf("%s: %s (%lld)\n", ok ? "ok" : "FAIL", what, got);
	if (!ok)
		failures++;
}

struct cb_rec {
	struct dmae_completion done;
	atomic_uint calls;
	enum dmae_result_code code;
	uint64_t residue;
	enum dmae_ctx ctx;
};

static void on_done(void *arg, const struct dmae_result *res)
{
	struct cb_rec *r = arg;

	r->code = res->code;
	r->residue = res->residue;
	r->ctx = dmae_ctx_current();
	atomic_fetch_add(&r->calls, 1);
	dmae_completion_done(&r->done);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31u + seed);
}

/* Copy n bytes in nd descriptors, each with its callback in ctx; check all. */
static void copy(struct dmae_chan *chan, size_t n, unsigned int nd, enum dmae_cb_ctx ctx,
		 enum dmae_ctx want, const char *what)
{
	static unsigned char src[32768], dst[32768];
	static struct cb_rec rec[8];
	size_t part = n / nd;
	bool ok = true;
	int ret = 0;

	fill(src, n, nd);
	memset(dst, 0, n);
	for (unsigned int i = 0; i < nd && !ret; i++) {
		struct dmae_desc *d;

		rec[i] = (struct cb_rec){ .done = DMAE_COMPLETION_INIT };
		ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + i * part),
					    dmae_addr_of(src + i * part), part,
					    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
		if (!ret)
			ret = dmae_desc_set_callback(d, on_done, &rec[i], ctx);
		if (!ret && (ret = dmae_desc_submit(d)) > 0)
			ret = 0;
	}
	if (!ret)
		ret = dmae_chan_issue_pending(chan);	/* how many it issued */
	ret = ret < 0 ? ret : 0;
	check(ret == 0, "prep, submit, issue", ret);
	if (ret)
		return;
	for (unsigned int i = 0; i < nd; i++) {
		ret = dmae_completion_wait_timeout(&rec[i].done, TIMEOUT_NS);
		ok &= ret == 0 && atomic_load(&rec[i].calls) == 1 &&
		      rec[i].code == DMAE_RESULT_OK && rec[i].residue == 0 && rec[i].ctx == want;
	}
	check(ok, what, (long long)nd);
	check(memcmp(src, dst, n) == 0, "the bytes arrived", (long long)n);
}

/* A memcpy channel of soc's (the board has other providers: filter). */
static bool on_soc(struct dmae_chan *chan, void *arg)
{
	return dmae_simdmac_chan_index(arg, chan) >= 0;
}

static struct dmae_chan *memcpy_chan(struct dmae_dev *dev, struct dmae_simdmac *soc)
{
	struct dmae_chan *chan = NULL;
	int ret = dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, on_soc, soc, NULL, &chan);

	check(ret == 0 && dmae_simdmac_chan_index(soc, chan) >= 0, "memcpy channel", ret);
	return ret ? NULL : chan;
}

/* 256 bytes through the slow UART's TX line; read the line until they are out. */
static void uart_tx(struct dmae_simdmac *soc, struct dmae_dev *uart)
{
	static unsigned char msg[256], line[256];
	struct dmae_slave_config sc = { .dst_addr = dmae_simdmac_uart_data_addr(soc),
					.dst_width = 1, .dst_burst = 8 };
	struct dmae_sg sg = { dmae_addr_of(msg), sizeof(msg) };
	struct cb_rec rec = { .done = DMAE_COMPLETION_INIT };
	struct dmae_chan *chan = NULL;
	struct dmae_desc *d;
	uint64_t end = dmae_time_ns() + TIMEOUT_NS;
	size_t got = 0;
	int ret;

	fill(msg, sizeof(msg), 7);
	ret = dmae_chan_request(uart, "tx", NULL, &chan);
	if (!ret)
		ret = dmae_chan_prep_slave_sg(chan, &sg, 1, DMAE_MEM_TO_DEV, &sc,
					      DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (!ret)
		ret = dmae_desc_set_callback(d, on_done, &rec, DMAE_CB_TASK);
	if (!ret && (ret = dmae_desc_submit(d)) > 0)
		ret = dmae_chan_issue_pending(chan);
	ret = ret < 0 ? ret : 0;
	check(ret == 0, "uart: request, prep, submit, issue", ret);
	if (ret)
		goto out;
	ret = dmae_completion_wait_timeout(&rec.done, TIMEOUT_NS);
	check(ret == 0 && rec.code == DMAE_RESULT_OK && rec.ctx == DMAE_CTX_TASK,
	      "uart: the callback, in task context", ret);
	while (got < sizeof(line) && dmae_time_ns() < end) {
		got += dmae_simdmac_uart_read(soc, line + got, sizeof(line) - got);
		dmae_sleep_ns(1000000);
	}
	check(got == sizeof(line) && memcmp(msg, line, sizeof(line)) == 0,
	      "uart: every byte on the line", (long long)got);
out:
	if (chan)
		check(dmae_chan_release(chan) == 0, "uart: release", 0);
}

int main(void)
{
	struct dmae_simdmac *fast = NULL, *slow = NULL, *again = NULL;
	struct dmae_dev *dev = NULL, *uart = NULL;
	struct dmae_chan *chan;
	uint64_t t0;
	int ret;

	check(dmae_init() == 0, "dmae_init", 0);
	ret = dmae_simdmac_create(NULL, &fast);
	check(ret == 0, "dmae_simdmac_create: defaults", ret);
	ret = dmae_simdmac_create(&(struct dmae_simdmac_config){ .name = "slow",
								  .bandwidth = 16,
								  .uart_name = "uart1",
								  .uart_baud = 20000,
								  .uart_sink = 4096,
								  .i2s_name = "i2s1" },
				  &slow);
	check(ret == 0, "dmae_simdmac_create: 16 bytes/us, a 20000 bytes/s UART", ret);
	if (!fast || !slow)
		return 1;
	check(dmae_dev_create("smoke", &dev) == 0, "dmae_dev_create", 0);

	chan = memcpy_chan(dev, fast);
	if (chan) {
		copy(chan, 4096, 1, DMAE_CB_BH, DMAE_CTX_BH, "memcpy: the callback, in a BH");
		copy(chan, 4096, 1, DMAE_CB_HARDIRQ, DMAE_CTX_HARDIRQ,
		     "memcpy: the callback, in hard-IRQ context");
		check(dmae_chan_release(chan) == 0, "release", 0);
	}
	/* the first SoC is taken: its channels are held no more, so destroy it first */
	check(dmae_simdmac_destroy(fast) == 0, "dmae_simdmac_destroy: defaults", 0);

	chan = memcpy_chan(dev, slow);
	if (chan) {
		t0 = dmae_time_ns();
		copy(chan, 32768, 8, DMAE_CB_BH, DMAE_CTX_BH,
		     "bandwidth: 8 descriptors, 8 callbacks");
		/* 32 KiB at 16 bytes/us is 2 ms of bus time, less the bus's 1 ms of slack */
		check(dmae_time_ns() - t0 >= 1000000, "bandwidth: the bus took its time (ns)",
		      (long long)(dmae_time_ns() - t0));
		check(dmae_chan_release(chan) == 0, "release", 0);
	}
	check(dmae_dev_create("uart1", &uart) == 0, "dmae_dev_create uart1", 0);
	if (uart) {
		uart_tx(slow, uart);
		check(dmae_dev_destroy(uart) == 0, "dmae_dev_destroy uart1", 0);
	}
	check(dmae_simdmac_destroy(slow) == 0, "dmae_simdmac_destroy: slow", 0);

	ret = dmae_simdmac_create(NULL, &again);
	check(ret == 0, "dmae_simdmac_create after both went", ret);
	if (!ret)
		check(dmae_simdmac_destroy(again) == 0, "dmae_simdmac_destroy", 0);
	check(dmae_dev_destroy(dev) == 0, "dmae_dev_destroy", 0);
	dmae_exit();
	printf("model_smoke: %u failure(s)\n", failures);
	return failures ? 1 : 0;
}
