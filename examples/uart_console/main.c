/* SPDX-License-Identifier: MIT */
/*
 * uart_console - a log console that sends its lines through the UART's
 * TX DMA channel of the simulated SoC (dmae/simdmac.h).
 *
 * The console owns NBUF buffers.  The writer appends lines to the buffer
 * being filled; a full buffer is queued.  One buffer at a time is on the
 * wire: its completion callback runs in hard-IRQ context
 * (DMAE_CB_HARDIRQ), straight from the DMA interrupt, and starts the next
 * queued buffer there, so the UART never waits for a thread to be
 * scheduled between two buffers.  That is why a console wants hard-IRQ
 * callbacks: the callback only does what is allowed there (prep, submit,
 * issue, signal a completion; never sleep) and uses a spinlock with the
 * irqsave form to share the queue with the writer.
 *
 * At the end every byte the UART shifted out (the host-side sink of the
 * UART model) is compared with what was logged.  Exits 0 when all of it
 * arrived in order.  No arguments.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>

#define NBUF 4
#define BUFSZ 256
#define NLINES 400
#define BAUD 2000000u		/* bytes per second */

struct console {
	dmae_spinlock_t lock;		/* the queue below; irqsave: shared with hard-IRQ */
	char buf[NBUF][BUFSZ];
	size_t len[NBUF];
	unsigned int head;		/* next buffer to send (or being sent) */
	unsigned int queued;		/* buffers full, including the one on the wire */
	bool busy;			/* a buffer is on the wire */
	struct dmae_completion room;	/* a buffer was sent */
	atomic_uint errors;
	struct dmae_chan *chan;
	dmae_addr_t uart_dr;
};

static void tx_done(void *arg, const struct dmae_result *res);

/* Put the head buffer on the wire.  Lock held; any context. */
static void console_kick(struct console *c)
{
	struct dmae_slave_config sc = { .dst_addr = c->uart_dr, .dst_width = 1, .dst_burst = 8 };
	unsigned int i = c->head % NBUF;
	struct dmae_sg sg;
	struct dmae_desc *d;

	c->busy = false;
	if (!c->queued)
		return;	/* buffer i is the writer's: do not look at it */
	sg = (struct dmae_sg){ dmae_addr_of(c->buf[i]), c->len[i] };
	if (dmae_chan_prep_slave_sg(c->chan, &sg, 1, DMAE_MEM_TO_DEV, &sc,
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d) ||
	    dmae_desc_set_callback(d, tx_done, c, DMAE_CB_HARDIRQ) ||
	    dmae_desc_submit(d) < 0 || dmae_chan_issue_pending(c->chan) < 0) {
		atomic_fetch_add(&c->errors, 1);
		return;
	}
	c->busy = true;
}

/* Hard-IRQ context: the buffer on the wire is out; send the next one. */
static void tx_done(void *arg, const struct dmae_result *res)
{
	struct console *c = arg;
	dmae_irqflags_t f;

	if (res->code != DMAE_RESULT_OK || dmae_ctx_current() != DMAE_CTX_HARDIRQ)
		atomic_fetch_add(&c->errors, 1);
	dmae_spin_lock_irqsave(&c->lock, &f);
	c->head++;
	c->queued--;
	console_kick(c);
	dmae_spin_unlock_irqrestore(&c->lock, f);
	dmae_completion_done(&c->room);
}

/* Queue the buffer being filled (if not empty).  Task context. */
static void console_flush(struct console *c, unsigned int *fill)
{
	dmae_irqflags_t f;

	if (!c->len[*fill % NBUF])
		return;
	for (;;) {
		dmae_spin_lock_irqsave(&c->lock, &f);
		if (c->queued < NBUF - 1)
			break;
		dmae_spin_unlock_irqrestore(&c->lock, f);
		dmae_completion_wait(&c->room);	/* all buffers in use */
	}
	c->queued++;
	if (!c->busy)
		console_kick(c);
	dmae_spin_unlock_irqrestore(&c->lock, f);
	(*fill)++;
	c->len[*fill % NBUF] = 0;
}

/* Append one line; the fill buffer is only ours until it is queued. */
static void console_write(struct console *c, unsigned int *fill, const char *line)
{
	size_t n = strlen(line);
	unsigned int i = *fill % NBUF;

	if (c->len[i] + n > BUFSZ) {
		console_flush(c, fill);
		i = *fill % NBUF;
	}
	memcpy(c->buf[i] + c->len[i], line, n);
	c->len[i] += n;
}

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "uart_console: %s: %s (%s)\n", what, dmae_strerror(ret),
			dmae_errname(ret));
		exit(1);
	}
}

int main(void)
{
	const struct dmae_simdmac_config cfg = { .uart_baud = BAUD };
	static struct console con;
	static char expect[NLINES * 80], got[NLINES * 80];
	struct dmae_simdmac *soc;
	struct dmae_dev *uart;
	size_t elen = 0, glen = 0;
	unsigned int i, fill = 0;
	dmae_irqflags_t f;
	uint64_t t0, deadline;
	bool idle;

	check(dmae_init(), "dmae_init");
	check(dmae_simdmac_create(&cfg, &soc), "dmae_simdmac_create");
	check(dmae_dev_create("uart0", &uart), "dmae_dev_create");
	check(dmae_chan_request(uart, "tx", NULL, &con.chan), "dmae_chan_request");
	dmae_spin_init(&con.lock);
	dmae_completion_init(&con.room);
	con.uart_dr = dmae_simdmac_uart_data_addr(soc);

	t0 = dmae_time_ns();
	for (i = 0; i < NLINES; i++) {
		char line[80];

		snprintf(line, sizeof(line), "[%6.3f] console: line %u of %u, %s\n",
			 (double)(dmae_time_ns() - t0) / 1e9, i + 1, NLINES,
			 i % 3 ? "all quiet" : "status report");
		memcpy(expect + elen, line, strlen(line));
		elen += strlen(line);
		console_write(&con, &fill, line);
	}
	console_flush(&con, &fill);

	/* drain: wait until the last buffer is out, collecting the sink */
	deadline = dmae_time_ns() + 10000000000ull;
	do {
		glen += dmae_simdmac_uart_read(soc, got + glen, sizeof(got) - glen);
		dmae_spin_lock_irqsave(&con.lock, &f);
		idle = !con.busy && !con.queued;
		dmae_spin_unlock_irqrestore(&con.lock, f);
		if (dmae_time_ns() > deadline)
			break;
		dmae_sleep_ns(1000000);
	} while (!idle || glen < elen);

	printf("uart_console: %u lines, %zu bytes logged, %zu bytes on the wire in %.1f ms, "
	       "%u errors\n", NLINES, elen, glen, (double)(dmae_time_ns() - t0) / 1e6,
	       atomic_load(&con.errors));
	check(dmae_chan_release(con.chan), "dmae_chan_release");
	check(dmae_dev_destroy(uart), "dmae_dev_destroy");
	check(dmae_simdmac_destroy(soc), "dmae_simdmac_destroy");
	dmae_exit();
	if (glen != elen || memcmp(got, expect, elen) || atomic_load(&con.errors)) {
		fprintf(stderr, "uart_console: FAILED: the UART did not send what was logged\n");
		return 1;
	}
	return 0;
}
