/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/memdma.h - a fake memcpy provider for tests of the core's
 * own rules (lifetimes, revocation, runtime PM).
 *
 * Its channels are vchans whose "hardware" copies in the IRQ handler,
 * which issue_pending raises, and its release op frees everything, as a
 * driver's does.  What a suite needs on top it sets before registering:
 *
 *   hold       the hardware completes nothing (what is in flight when the
 *              provider goes is then known exactly)
 *   released   counts release ops
 *   reg        called at every access to a channel's "registers" (an op,
 *              or the handler for its channel)
 *
 * A suite that adds provider ops (runtime PM) embeds struct memdma first
 * in its own struct and builds its ops table on MEMDMA_OPS_INIT.
 */
#ifndef DMAE_TEST_MEMDMA_H
#define DMAE_TEST_MEMDMA_H

#include <dmae/provider.h>
#include <dmae/vchan.h>

#include "test.h"

#define MEMDMA_MAX_CHANS 4u

struct memdma {
	struct dmae_provider p;
	struct dmae_vchan vc[MEMDMA_MAX_CHANS];
	unsigned int nr_chans;
	struct dmae_irq *irq;
	atomic_bool hold;		/* the hardware completes nothing */
	atomic_uint *released;		/* bumped by the release op, or NULL */
	void (*reg)(struct memdma *m, struct dmae_chan *chan);	/* or NULL */
};

static inline struct memdma *memdma_of(struct dmae_chan *chan)
{
	return dmae_container_of(chan->provider, struct memdma, p);
}

int memdma_prep_memcpy(struct dmae_chan *chan, struct dmae_desc *d, dmae_addr_t dst,
		       dmae_addr_t src, uint64_t len);
void memdma_issue_pending(struct dmae_chan *chan);
void memdma_terminate(struct dmae_chan *chan);
void memdma_synchronize(struct dmae_chan *chan);
void memdma_release(struct dmae_provider *p);

#define MEMDMA_OPS_INIT                                                         \
	.size = sizeof(struct dmae_provider_ops),                              \
	.prep_memcpy = memdma_prep_memcpy,                                     \
	.issue_pending = memdma_issue_pending,                                 \
	.terminate = memdma_terminate,                                         \
	.synchronize = memdma_synchronize,                                     \
	.release = memdma_release

/* The plain provider's ops. */
extern const struct dmae_provider_ops memdma_ops;

/*
 * A provider named name with nr_chans channels and ops, in a zeroed
 * allocation of size bytes (a suite's struct, struct memdma first), not
 * registered yet.  Fails the test on error.
 */
struct memdma *memdma_alloc(size_t size, const char *name, unsigned int nr_chans,
			    const struct dmae_provider_ops *ops);
/* Request its interrupt and register it.  Fails the test on error. */
void memdma_register(struct memdma *m);

/* The first free channel of the provider named name, for env's consumer. */
struct dmae_chan *memdma_chan(struct test_env *env, const char *name);
/* Is chan one of the provider named by arg's?  A request filter. */
bool memdma_filter(struct dmae_chan *chan, void *name);

#endif /* DMAE_TEST_MEMDMA_H */
