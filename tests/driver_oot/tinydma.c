/* SPDX-License-Identifier: MIT */
/*
 * tinydma - a complete memcpy driver written against the installed driver
 * API (<dmae/driver.h>) alone, and a client that runs a copy through it.
 *
 * The "hardware" copies when issue_pending starts a descriptor and then
 * asserts the interrupt line; the handler completes what is active.  That
 * is the whole shape of a driver: prep fills the descriptor, issue starts
 * it, the interrupt handler reports it, terminate forgets it.
 */
#include <stdio.h>
#include <string.h>

#include <dmae/driver.h>

struct tiny_desc {
	struct dmae_desc d;
	dmae_addr_t dst, src;
};

struct tiny_dev {
	struct dmae_provider p;
	struct dmae_irq *irq;
	struct dmae_vchan vc;	/* one channel; a driver with state per channel embeds it */
};

static struct tiny_desc *to_tiny_desc(struct dmae_desc *d)
{
	return dmae_container_of(d, struct tiny_desc, d);
}

static int tiny_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
			    dmae_addr_t src, uint64_t len)
{
	struct tiny_desc *td = to_tiny_desc(d);

	(void)chan;
	(void)len;	/* d->len, already set and checked against caps */
	td->dst = dst;
	td->src = src;
	return 0;
}

/* vc->lock held: start everything issued; the copy "finishes" at once. */
static void tiny_issue_pending(struct dmae_chan *chan)
{
	struct tiny_dev *dev = chan->provider->drvdata;
	struct dmae_desc *d;
	bool started = false;

	while ((d = dmae_vchan_start_next(dmae_to_vchan(chan)))) {
		struct tiny_desc *td = to_tiny_desc(d);

		memcpy((void *)(uintptr_t)td->dst, (const void *)(uintptr_t)td->src, d->len);
		started = true;
	}
	if (started)
		dmae_irq_raise(dev->irq);
}

static void tiny_terminate(struct dmae_chan *chan)
{
	(void)chan;	/* the copies are done already: nothing to stop */
}

static void tiny_synchronize(struct dmae_chan *chan)
{
	(void)chan;
}

static enum dmae_irqreturn tiny_irq(void *arg)
{
	struct tiny_dev *dev = arg;
	struct dmae_vchan *vc = &dev->vc;
	dmae_irqflags_t f;
	unsigned int n;

	dmae_vchan_lock(vc, &f);
	n = dmae_vchan_nr_active(vc);
	if (n)
		dmae_vchan_complete_ok(vc, n, 0);
	dmae_vchan_unlock(vc, f);
	return n ? DMAE_IRQ_HANDLED : DMAE_IRQ_NONE;
}

static const struct dmae_provider_ops tiny_ops = {
	.size = sizeof(struct dmae_provider_ops),
	.prep_memcpy = tiny_prep_memcpy,
	.issue_pending = tiny_issue_pending,
	.terminate = tiny_terminate,
	.synchronize = tiny_synchronize,
};

static int tiny_create(struct tiny_dev **out)
{
	struct tiny_dev *dev;
	int ret;

	if (!out)
		return dmae_fail(EINVAL, "tiny_create: NULL out-pointer");
	if (!dmae_initialised())
		return dmae_fail(ESHUTDOWN, "tiny_create: dmae_init() not called");
	dev = dmae_mem_zalloc_aligned(sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dmae_provider_init(&dev->p);
	snprintf(dev->p.name, sizeof(dev->p.name), "tiny0");
	dev->p.ops = &tiny_ops;
	dev->p.caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 0xf,
		.min_burst = 1,
		.max_burst = 16,
		.max_seg_len = 1u << 20,
		.terminate = true,
	};
	dev->p.desc_size = sizeof(struct tiny_desc);
	dev->p.drvdata = dev;
	dmae_vchan_init(&dev->vc, &dev->p, 0);
	ret = dmae_irq_request("tiny0", tiny_irq, dev, &dev->irq);
	if (ret)
		goto err_free;
	dev->p.irq = dev->irq;
	ret = dmae_provider_register(&dev->p);
	if (ret)
		goto err_irq;
	*out = dev;
	return 0;

err_irq:
	dmae_irq_free(dev->irq);
err_free:
	dmae_mem_free(dev);
	return ret;
}

static int tiny_destroy(struct tiny_dev *dev)
{
	int ret = dmae_provider_unregister(&dev->p);

	if (ret)
		return ret;
	dmae_irq_free(dev->irq);
	dmae_mem_free(dev);
	return 0;
}

#define CHECK(expr)                                                            \
	do {                                                                   \
		int ret_ = (expr);                                             \
		if (ret_ < 0) {                                                \
			fprintf(stderr, "%s: %s\n", #expr, dmae_strerror(ret_)); \
			return 1;                                              \
		}                                                              \
	} while (0)

int main(void)
{
	static char src[4096], dst[4096];
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res;
	struct tiny_dev *dev;
	struct dmae_dev *client;
	struct dmae_chan *chan;
	struct dmae_desc *desc;
	unsigned int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	if (tiny_create(&dev) != -ESHUTDOWN) {	/* before dmae_init() */
		fprintf(stderr, "tiny_create before dmae_init did not fail\n");
		return 1;
	}
	CHECK(dmae_init());
	if (tiny_create(NULL) != -EINVAL) {
		fprintf(stderr, "tiny_create(NULL) did not fail\n");
		return 1;
	}
	CHECK(tiny_create(&dev));
	CHECK(dmae_dev_create("tinyclient", &client));
	CHECK(dmae_chan_request_caps(client, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan));
	CHECK(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), sizeof(src),
				    DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &desc));
	CHECK(dmae_desc_set_completion(desc, &done, &res));
	CHECK(dmae_desc_submit(desc));
	CHECK(dmae_chan_issue_pending(chan));
	dmae_completion_wait(&done);
	if (res.code != DMAE_RESULT_OK || memcmp(dst, src, sizeof(src)) != 0) {
		fprintf(stderr, "copy through %s: %s\n", dmae_chan_name(chan),
			dmae_result_to_string(res.code));
		return 1;
	}
	if (dmae_chan_prep_memcpy(chan, dmae_addr_of(dst), dmae_addr_of(src), (1u << 20) + 1,
				  0, &desc) != -EINVAL) {
		fprintf(stderr, "a segment over max_seg_len was accepted\n");
		return 1;
	}
	CHECK(dmae_chan_release(chan));
	CHECK(dmae_dev_destroy(client));
	CHECK(tiny_destroy(dev));
	dmae_exit();
	printf("tinydma: copied and verified through the installed driver API\n");
	return 0;
}
