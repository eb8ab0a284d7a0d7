/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/memdma.c - the fake memcpy provider of memdma.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memdma.h"

struct memdma_desc {
	struct dmae_desc d;
	dmae_addr_t dst, src;
	uint64_t len;
};

static void reg_access(struct memdma *m, struct dmae_chan *chan)
{
	if (m->reg)
		m->reg(m, chan);
}

int memdma_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
		       dmae_addr_t src, uint64_t len)
{
	struct memdma_desc *md = dmae_container_of(d, struct memdma_desc, d);

	(void)chan;
	md->dst = dst;
	md->src = src;
	md->len = len;
	return 0;
}

void memdma_issue_pending(struct dmae_chan *chan)
{
	struct memdma *m = memdma_of(chan);

	reg_access(m, chan);
	while (dmae_vchan_start_next(dmae_to_vchan(chan)))
		;
	dmae_irq_raise(m->irq);
}

/* The core collects what was in flight. */
void memdma_terminate(struct dmae_chan *chan)
{
	reg_access(memdma_of(chan), chan);
}

/* The core synchronizes the IRQ line. */
void memdma_synchronize(struct dmae_chan *chan)
{
	reg_access(memdma_of(chan), chan);
}

/* Copy and complete every active descriptor of every channel. */
static enum dmae_irqreturn memdma_irq(void *arg)
{
	struct memdma *m = arg;
	struct dmae_desc *d;
	dmae_irqflags_t f;
	unsigned int i;

	if (atomic_load(&m->hold))
		return DMAE_IRQ_NONE;
	for (i = 0; i < m->nr_chans; i++) {
		dmae_vchan_lock(&m->vc[i], &f);
		while ((d = dmae_vchan_first_active(&m->vc[i]))) {
			struct memdma_desc *md = dmae_container_of(d, struct memdma_desc, d);

			reg_access(m, &m->vc[i].chan);
			memcpy((void *)(uintptr_t)md->dst, (const void *)(uintptr_t)md->src,
			       md->len);
			dmae_vchan_complete(d, DMAE_RESULT_OK, 0);
			while (dmae_vchan_start_next(&m->vc[i]))
				;
		}
		dmae_vchan_unlock(&m->vc[i], f);
	}
	return DMAE_IRQ_HANDLED;
}

/* Nothing is held any more: free everything, as a driver's release does. */
void memdma_release(struct dmae_provider *p)
{
	struct memdma *m = dmae_container_of(p, struct memdma, p);

	if (m->released)
		atomic_fetch_add(m->released, 1);
	dmae_irq_free(m->irq);
	free(m);
}

const struct dmae_provider_ops memdma_ops = { MEMDMA_OPS_INIT };

struct memdma *memdma_alloc(size_t size, const char *name, unsigned int nr_chans,
			    const struct dmae_provider_ops *ops)
{
	struct memdma *m = calloc(1, size);
	unsigned int i;

	ASSERT_NOT_NULL(m);
	ASSERT_LE(nr_chans, MEMDMA_MAX_CHANS);
	dmae_provider_init(&m->p);
	snprintf(m->p.name, sizeof(m->p.name), "%s", name);
	m->p.ops = ops;
	m->p.caps = (struct dmae_caps){
		.ops = DMAE_CAP_MEMCPY,
		.directions = DMAE_DIR_BIT(DMAE_MEM_TO_MEM),
		.addr_widths = 1u << 0,
		.min_burst = 1,
		.max_burst = 1,
		.max_seg_len = 1u << 20,
		.residue = DMAE_RESIDUE_DESCRIPTOR,
		.terminate = true,
	};
	m->p.desc_size = sizeof(struct memdma_desc);
	m->p.default_pool_size = 16;
	m->p.drvdata = m;
	m->nr_chans = nr_chans;
	for (i = 0; i < nr_chans; i++)
		dmae_vchan_init(&m->vc[i], &m->p, i);
	return m;
}

void memdma_register(struct memdma *m)
{
	ASSERT_OK(dmae_irq_request(m->p.name, memdma_irq, m, &m->irq));
	m->p.irq = m->irq;
	ASSERT_OK(dmae_provider_register(&m->p));
}

bool memdma_filter(struct dmae_chan *chan, void *name)
{
	return !strcmp(chan->provider->name, name);
}

struct dmae_chan *memdma_chan(struct test_env *env, const char *name)
{
	struct dmae_chan *c = NULL;

	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, memdma_filter,
					 (void *)name, NULL, &c));
	return c;
}
