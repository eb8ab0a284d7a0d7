/* SPDX-License-Identifier: MIT */
/* The README example: one memcpy through the software copy engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/swdma.h>

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", what, dmae_strerror(ret));
		exit(1);
	}
}

int main(void)
{
	static char src[4096] = "hello, DMA", dst[4096];
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct dmae_swdma *sw;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	struct dmae_desc *desc;
	int ok;

	check(dmae_init(), "dmae_init");
	check(dmae_swdma_create(NULL, &sw), "dmae_swdma_create");
	check(dmae_dev_create("readme", &dev), "dmae_dev_create");
	check(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan),
	      "dmae_chan_request_caps");

	check(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), sizeof(src),
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &desc), "prep");
	check(dmae_desc_set_completion(desc, &done, &res), "set_completion");
	check(dmae_desc_submit(desc), "submit");	/* queued, not started */
	check(dmae_chan_issue_pending(chan), "issue_pending");	/* the doorbell */
	dmae_completion_wait(&done);

	ok = res.code == DMAE_RESULT_OK && memcmp(dst, src, sizeof(src)) == 0;
	printf("%s: %s\n", dmae_chan_name(chan), ok ? "copied and verified" : "FAILED");

	check(dmae_chan_release(chan), "dmae_chan_release");
	check(dmae_dev_destroy(dev), "dmae_dev_destroy");
	check(dmae_swdma_destroy(sw), "dmae_swdma_destroy");
	dmae_exit();
	return ok ? 0 : 1;
}
