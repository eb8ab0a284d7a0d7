/* SPDX-License-Identifier: MIT */
/*
 * fastpath_bulk_copy - copy a large buffer in 256 KiB pieces through the
 * polled burst fast path (dmae/fastpath.h) of a two-worker software
 * engine, sleeping in dmae_fp_wait() instead of polling.
 *
 * The main thread keeps QD pieces in flight: it enqueues a burst,
 * rings the doorbell, and when nothing more fits it sleeps until the
 * oldest half of the queue has completed, then collects those with
 * dmae_fp_completed().  On a machine with two CPUs a polling client
 * would take one from the engine's two workers (docs/performance.md,
 * "Large copies").  A failed piece stops the copy: its result code is
 * printed.  At the end the destination is compared with the source and
 * one line is printed.
 *
 * Run with no arguments; exits 0 when every byte arrived.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/fastpath.h>
#include <dmae/swdma.h>

#define PIECE (256u * 1024)
#define NPIECES 64u		/* 16 MiB in all */
#define QD 16u			/* pieces in flight */
#define BURST 8u		/* enqueues per doorbell */
#define WAIT_NS UINT64_C(10000000000)

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "fastpath_bulk_copy: %s: %s (%s)\n", what, dmae_strerror(ret),
			dmae_errname(ret));
		exit(1);
	}
}

/* Collect completions; returns how many, exits on a failed piece. */
static unsigned int collect(struct dmae_fp *fp, unsigned int max)
{
	bool err = false;
	uint16_t n = dmae_fp_completed(fp, (uint16_t)max, NULL, &err), last;
	enum dmae_result_code code;

	if (err && dmae_fp_completed_status(fp, 1, &last, &code) == 1) {
		fprintf(stderr, "fastpath_bulk_copy: piece at ring index %u failed: %s\n",
			(unsigned int)last, dmae_result_to_string(code));
		exit(1);
	}
	return n;
}

int main(void)
{
	const struct dmae_swdma_config cfg = { .name = "bulk-dma", .nr_chans = 1,
					       .nr_workers = 2 };
	const size_t total = (size_t)PIECE * NPIECES;
	unsigned char *src = malloc(total), *dst = calloc(1, total);
	unsigned int sent = 0, done = 0;
	struct dmae_swdma *sw;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	struct dmae_fp *fp;
	uint64_t t0, ns;
	size_t k;
	bool ok;

	if (!src || !dst) {
		fprintf(stderr, "fastpath_bulk_copy: out of memory\n");
		return 1;
	}
	for (k = 0; k < total; k++)
		src[k] = (unsigned char)(k * 131 + (k >> 13));

	check(dmae_init(), "dmae_init");
	check(dmae_swdma_create(&cfg, &sw), "dmae_swdma_create");
	check(dmae_dev_create("bulk", &dev), "dmae_dev_create");
	check(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan),
	      "dmae_chan_request_caps");
	check(dmae_chan_fp_get(chan, &fp), "dmae_chan_fp_get");

	t0 = dmae_time_ns();
	while (done < NPIECES) {
		unsigned int n = 0;

		while (sent < NPIECES && sent - done < QD && n < BURST) {
			size_t off = (size_t)sent * PIECE;

			check(dmae_fp_copy(fp, dmae_addr_of(dst + off), dmae_addr_of(src + off),
					   PIECE, 0), "dmae_fp_copy");
			sent++;
			n++;
		}
		if (n)
			check(dmae_fp_submit(fp), "dmae_fp_submit");
		if (sent < NPIECES && sent - done < QD)
			continue;	/* room for another burst */
		/* Full (or all sent): sleep until the older half is done. */
		check(dmae_fp_wait(fp, QD / 2, WAIT_NS), "dmae_fp_wait");
		done += collect(fp, QD);
	}
	ns = dmae_time_ns() - t0;

	ok = memcmp(dst, src, total) == 0;
	printf("fastpath_bulk_copy: %s (%s fast path, 2 workers): %u copies of %u KiB, "
	       "%u in flight, %.1f MiB in %.1f ms (%.0f MiB/s): %s\n",
	       dmae_chan_name(chan), fp->impl, NPIECES, PIECE / 1024, QD,
	       (double)total / (1024 * 1024), (double)ns / 1e6,
	       (double)total / (1024 * 1024) / ((double)ns / 1e9),
	       ok ? "verified" : "DATA MISMATCH");

	check(dmae_chan_release(chan), "dmae_chan_release");
	check(dmae_dev_destroy(dev), "dmae_dev_destroy");
	check(dmae_swdma_destroy(sw), "dmae_swdma_destroy");
	dmae_exit();
	free(src);
	free(dst);
	return ok ? 0 : 1;
}
