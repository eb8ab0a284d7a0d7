/* SPDX-License-Identifier: MIT */
/*
 * memcpy_offload - copy a large buffer through a shared ("public") DMA
 * channel, keeping as many transfers in flight as the channel's
 * descriptor pool holds.
 *
 * Each transfer copies one block.  Its completion callback runs in BH
 * context (the default): it checks the result, counts the block and
 * signals a counting completion object, "slots", once per finished
 * transfer.  The descriptor is back in the pool before its callback
 * runs (DMAE_PREP_ACK), so the main thread, after consuming one slot
 * signal, can always prepare the next block, unless another user of the
 * shared channel took the descriptor first: then prep returns -ENOSPC
 * and the main thread waits for the next slot.  At the end the whole
 * destination is compared with the source and one line is printed.
 *
 * Where the callbacks run: on the engine's side, or on the main thread
 * itself, inside a dmae_chan_issue_pending() that finds earlier blocks
 * finished (docs/contexts.md, "Where callbacks run").  So block_done
 * shares only atomics and completion objects with main(), and main()
 * holds no lock across issue_pending that a callback could want.
 *
 * Run with no arguments; exits 0 when every byte arrived.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/swdma.h>

#define BLOCK (8u * 1024)
#define NBLOCKS 2048u		/* 16 MiB in all */
#define BATCH 8u		/* submits per doorbell */

struct offload {
	struct dmae_completion slots;	/* one signal per finished transfer */
	struct dmae_completion all_done;
	atomic_uint done;
	atomic_uint errors;		/* failed result or wrong context */
};

/* BH context: never sleeps, never takes a lock the main thread holds. */
static void block_done(void *arg, const struct dmae_result *res)
{
	struct offload *o = arg;

	if (res->code != DMAE_RESULT_OK || res->residue || dmae_ctx_current() != DMAE_CTX_BH)
		atomic_fetch_add(&o->errors, 1);
	dmae_completion_done(&o->slots);
	if (atomic_fetch_add(&o->done, 1) + 1 == NBLOCKS)
		dmae_completion_done(&o->all_done);
}

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "memcpy_offload: %s: %s (%s)\n", what, dmae_strerror(ret),
			dmae_errname(ret));
		exit(1);
	}
}

int main(void)
{
	const struct dmae_swdma_config cfg = { .name = "offload-dma", .nr_chans = 2,
					       .nr_workers = 2 };
	struct offload o = { DMAE_COMPLETION_INIT, DMAE_COMPLETION_INIT, 0, 0 };
	struct dmae_chan_stats st;
	struct dmae_swdma *sw;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	unsigned char *src, *dst;
	unsigned int i, window, unissued = 0;
	uint64_t t0, ns;
	size_t k;
	int ok;

	src = malloc((size_t)BLOCK * NBLOCKS);
	dst = calloc(NBLOCKS, BLOCK);
	if (!src || !dst)
		return 1;
	for (k = 0; k < (size_t)BLOCK * NBLOCKS; k++)
		src[k] = (unsigned char)(k * 131 + (k >> 13));

	check(dmae_init(), "dmae_init");
	check(dmae_swdma_create(&cfg, &sw), "dmae_swdma_create");
	check(dmae_dev_create("offload", &dev), "dmae_dev_create");
	check(dmae_chan_get_public(dev, DMAE_CAP_MEMCPY, &chan), "dmae_chan_get_public");
	check(dmae_chan_stats_get(chan, &st), "dmae_chan_stats_get");
	window = st.pool_size;	/* as many in flight as there are descriptors */

	t0 = dmae_time_ns();
	for (i = 0; i < NBLOCKS; i++) {
		struct dmae_desc *desc;
		int ret;

		if (i >= window) {
			/* Pool exhausted by our own transfers: wait for one to finish. */
			check(dmae_chan_issue_pending(chan), "issue_pending");
			unissued = 0;
			dmae_completion_wait(&o.slots);
		}
		while ((ret = dmae_chan_prep_memcpy(chan, dmae_addr_of(dst + (size_t)i * BLOCK),
						    dmae_addr_of(src + (size_t)i * BLOCK), BLOCK,
						    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK,
						    &desc)) == -ENOSPC) {
			/* Another user of the shared channel holds descriptors. */
			check(dmae_chan_issue_pending(chan), "issue_pending");
			unissued = 0;
			dmae_completion_wait(&o.slots);
		}
		check(ret, "dmae_chan_prep_memcpy");
		check(dmae_desc_set_callback(desc, block_done, &o, DMAE_CB_BH), "set_callback");
		check(dmae_desc_submit(desc), "dmae_desc_submit");
		if (++unissued == BATCH) {
			check(dmae_chan_issue_pending(chan), "issue_pending");
			unissued = 0;
		}
	}
	check(dmae_chan_issue_pending(chan), "issue_pending");
	if (dmae_completion_wait_timeout(&o.all_done, UINT64_C(10000000000))) {
		fprintf(stderr, "memcpy_offload: only %u of %u transfers completed\n",
			atomic_load(&o.done), NBLOCKS);
		return 1;
	}
	ns = dmae_time_ns() - t0;

	ok = atomic_load(&o.errors) == 0 && memcmp(dst, src, (size_t)BLOCK * NBLOCKS) == 0;
	printf("memcpy_offload: %s (public): %u copies of %u bytes, %u in flight, "
	       "%.1f MiB in %.1f ms (%.0f MiB/s): %s\n",
	       dmae_chan_name(chan), NBLOCKS, BLOCK, window,
	       (double)BLOCK * NBLOCKS / (1024 * 1024), (double)ns / 1e6,
	       (double)BLOCK * NBLOCKS / (1024 * 1024) / ((double)ns / 1e9),
	       ok ? "verified" : "DATA MISMATCH");

	check(dmae_chan_put_public(dev, chan), "dmae_chan_put_public");
	check(dmae_dev_destroy(dev), "dmae_dev_destroy");
	check(dmae_swdma_destroy(sw), "dmae_swdma_destroy");
	dmae_exit();
	free(src);
	free(dst);
	return ok ? 0 : 1;
}
