/* SPDX-License-Identifier: MIT */
/*
 * Providers: validation, registration and removal.
 *
 * Removal while in use (dmae_provider_unregister), in order:
 *   1. fence: the provider leaves the registry (state GONE), so no new
 *      request finds its channels;
 *   2. tell: every consumer holding one of its channels gets its removal
 *      callback, on this thread, with no lock held;
 *   3. revoke: each channel still held is stopped as by terminate, but
 *      what was in flight completes with DMAE_RESULT_ABORTED and its
 *      callback runs once; the driver's synchronize and chan_free follow,
 *      and from then on every call on the channel returns -ENODEV;
 *   4. release: when no channel is held any more -- at once, or at the
 *      holders' dmae_chan_release() -- the core frees what it kept per
 *      channel and calls ops->release, which frees the driver's memory.
 * The provider state machine is drawn in dmae/provider.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/dev.h"

void dmae_provider_init(struct dmae_provider *p)
{
	dmae_list_init(&p->chans);
	dmae_list_init(&p->node);
	p->nr_chans = 0;
	p->id = 0;
	p->state = DMAE_PROVIDER_UNREGISTERED;
	p->removing = false;
	p->busy_logged = false;
	p->maps = NULL;
}

/* A table must reach as far as the last mandatory op. */
#define OPS_MIN_SIZE (offsetof(struct dmae_provider_ops, synchronize) + sizeof(void (*)(void)))

static const char reg_fn[] = "dmae_provider_register";

/* The ops table: its size, the mandatory ops, a prep op per operation. */
static int ops_validate(const struct dmae_provider *p)
{
	const struct dmae_provider_ops *ops = p->ops;
	const struct dmae_caps *c = &p->caps;
	unsigned int op;

	if (ops->size < OPS_MIN_SIZE || ops->size > sizeof(*ops))
		return dmae_fail(EINVAL, "%s: %s: ops table size %lu; this core takes %lu..%lu bytes",
				 reg_fn, p->name, (unsigned long)ops->size,
				 (unsigned long)OPS_MIN_SIZE, (unsigned long)sizeof(*ops));
	if (!ops->issue_pending || !ops->terminate || !ops->synchronize)
		return dmae_fail(EINVAL, "%s: %s: mandatory op %s missing", reg_fn, p->name,
				 !ops->issue_pending ? "issue_pending" :
				 !ops->terminate ? "terminate" : "synchronize");
	if (ops->size >= offsetof(struct dmae_provider_ops, poll) + sizeof(ops->poll) &&
	    ops->poll && !p->irq)
		return dmae_fail(EINVAL, "%s: %s: poll op without an interrupt line", reg_fn,
				 p->name);
	for (op = 0; op < DMAE_OP_COUNT; op++) {
		static const size_t off[DMAE_OP_COUNT] = {
			offsetof(struct dmae_provider_ops, prep_memcpy),
			offsetof(struct dmae_provider_ops, prep_memset),
			offsetof(struct dmae_provider_ops, prep_sg),
			offsetof(struct dmae_provider_ops, prep_interleaved),
			offsetof(struct dmae_provider_ops, prep_slave_sg),
			offsetof(struct dmae_provider_ops, prep_cyclic),
		};
		const void *fp;

		memcpy(&fp, (const char *)ops + off[op], sizeof(fp));
		if ((c->ops & DMAE_OP_BIT(op)) && !fp)
			return dmae_fail(EINVAL, "%s: %s: advertises %s without its prep op", reg_fn,
					 p->name, dmae_op_to_string((enum dmae_op)op));
	}
	return 0;
}

/* The capabilities: masks, alignments, ranges, and the ops they call for. */
static int caps_validate(const struct dmae_provider *p)
{
	const struct dmae_provider_ops *ops = p->ops;
	const struct dmae_caps *c = &p->caps;
	unsigned int op;

	if (!c->ops || (c->ops & ~DMAE_CAP_ALL_OPS))
		return dmae_fail(EINVAL, "%s: %s: operation mask 0x%" PRIx32 " is empty or unknown",
				 reg_fn, p->name, c->ops);
	for (op = 0; op < DMAE_OP_COUNT; op++) {
		if (c->align_shift[op] > 12)
			return dmae_fail(EINVAL, "%s: %s: %s alignment 2^%u is not sensible", reg_fn,
					 p->name, dmae_op_to_string((enum dmae_op)op),
					 c->align_shift[op]);
	}
	if ((c->ops & (DMAE_CAP_SG | DMAE_CAP_INTERLEAVED | DMAE_CAP_SLAVE_SG |
		       DMAE_CAP_CYCLIC)) && !c->max_sg)
		return dmae_fail(EINVAL, "%s: %s: sg/interleaved/slave/cyclic without max_sg",
				 reg_fn, p->name);
	if ((c->ops & (DMAE_CAP_SLAVE_SG | DMAE_CAP_CYCLIC)) &&
	    !(c->directions & (DMAE_DIR_BIT(DMAE_MEM_TO_DEV) | DMAE_DIR_BIT(DMAE_DEV_TO_MEM))))
		return dmae_fail(EINVAL, "%s: %s: slave operations without a device direction",
				 reg_fn, p->name);
	if (!c->directions || (c->directions & ~(DMAE_DIR_BIT(DMAE_DIR_COUNT) - 1)))
		return dmae_fail(EINVAL, "%s: %s: direction mask 0x%" PRIx32 " is empty or unknown",
				 reg_fn, p->name, c->directions);
	if (!c->addr_widths)
		return dmae_fail(EINVAL, "%s: %s: no address width", reg_fn, p->name);
	if (!c->min_burst || c->min_burst > c->max_burst)
		return dmae_fail(EINVAL, "%s: %s: burst range %" PRIu32 "..%" PRIu32 "", reg_fn,
				 p->name, c->min_burst, c->max_burst);
	if (c->residue > DMAE_RESIDUE_BURST)
		return dmae_fail(EINVAL, "%s: %s: unknown residue granularity %d", reg_fn, p->name,
				 (int)c->residue);
	if (c->pause && (!ops->pause || !ops->resume))
		return dmae_fail(EINVAL, "%s: %s: caps.pause without pause/resume ops", reg_fn,
				 p->name);
	if (!c->terminate)
		return dmae_fail(EINVAL, "%s: %s: every channel must support terminate", reg_fn,
				 p->name);
	if (c->residue != DMAE_RESIDUE_DESCRIPTOR && !ops->residue)
		return dmae_fail(EINVAL, "%s: %s: %s residue without a residue op", reg_fn,
				 p->name, dmae_residue_gran_to_string(c->residue));
	return 0;
}

/* Does p hold together?  Logs the first problem. */
static int provider_validate(const struct dmae_provider *p)
{
	int ret;

	if (!p->name[0])
		return dmae_fail(EINVAL, "%s: provider has no name", reg_fn);
	if (!p->ops)
		return dmae_fail(EINVAL, "%s: %s: no ops table", reg_fn, p->name);
	ret = ops_validate(p);
	if (!ret)
		ret = caps_validate(p);
	if (ret)
		return ret;
	if (p->desc_size < sizeof(struct dmae_desc))
		return dmae_fail(EINVAL, "%s: %s: desc_size %lu smaller than struct dmae_desc",
				 reg_fn, p->name, (unsigned long)p->desc_size);
	if (!p->nr_chans)
		return dmae_fail(EINVAL, "%s: %s: no channels (dmae_vchan_init)", reg_fn, p->name);
	if (p->default_pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: %s: default pool size %" PRIu32 " (max %u)", reg_fn,
				 p->name, p->default_pool_size, DMAE_MAX_POOL_SIZE);
	return 0;
}

#define HAS_OP(ops, op) \
	((ops)->size >= offsetof(struct dmae_provider_ops, op) + sizeof((ops)->op) && (ops)->op)

static bool has_pm(const struct dmae_provider_ops *ops)
{
	return HAS_OP(ops, runtime_suspend) || HAS_OP(ops, runtime_resume) ||
	       HAS_OP(ops, chan_runtime_suspend) || HAS_OP(ops, chan_runtime_resume);
}

static void provider_devs_remove(struct dmae_provider *p)
{
	struct dmae_chan *chan;

	if (p->pm && p->irq)
		dmae__irq_set_pm_dev(p->irq, NULL);
	dmae__for_each_chan(p, chan) {
		if (chan->dev)
			dmae__dev_remove(chan->dev);
		chan->dev = NULL;
	}
	if (p->dev)
		dmae__dev_remove(p->dev);
	p->dev = NULL;
}

/*
 * The controller's device and one per channel, its children.  They start
 * ACTIVE (the driver just set the hardware up) and, with PM ops, suspend
 * once their autosuspend delay passes unused.  Task context.
 */
static int provider_devs_add(struct dmae_provider *p)
{
	uint64_t delay = p->autosuspend_ns ? p->autosuspend_ns : DMAE_PM_AUTOSUSPEND_NS;
	struct dmae_chan *chan;

	p->pm = has_pm(p->ops);
	p->dev = dmae__dev_new(p->name, DMAE_DEV_PROVIDER, NULL);
	if (!p->dev)
		return -ENOMEM;
	p->dev->provider = p;
	p->dev->pm.autosuspend_ns = delay;
	dmae__for_each_chan(p, chan) {
		chan->dev = dmae__dev_new(chan->name, DMAE_DEV_CHANNEL, p->dev);
		if (!chan->dev) {
			provider_devs_remove(p);
			return -ENOMEM;
		}
		chan->dev->provider = p;
		chan->dev->chan = chan;
		chan->dev->pm.autosuspend_ns = delay;
		chan->pm = p->pm;
		chan->pm_busy = false;
		chan->pm_wait = false;
	}
	if (p->pm) {
		if (p->irq)
			dmae__irq_set_pm_dev(p->irq, p->dev);
		/* unused from the start: let them autosuspend */
		dmae__for_each_chan(p, chan) {
			dmae__pm_get_noresume(chan->dev);
			dmae_dev_pm_put_autosuspend(chan->dev);
		}
		dmae__pm_get_noresume(p->dev);
		dmae_dev_pm_put_autosuspend(p->dev);
	}
	return 0;
}

static bool has_release(const struct dmae_provider_ops *ops)
{
	return ops->size >= offsetof(struct dmae_provider_ops, release) + sizeof(ops->release) &&
	       ops->release;
}

int dmae_provider_register(struct dmae_provider *p)
{
	static const char fn[] = "dmae_provider_register";
	struct dmae_chan *chan;
	int ret;

	dmae_might_sleep();
	if (!p)
		return dmae_fail(EINVAL, "%s: NULL provider", fn);
	if (p->ops && p->ops != &p->ops_copy && p->ops->size >= OPS_MIN_SIZE &&
	    p->ops->size < sizeof(*p->ops)) {
		/* Older driver: the ops it does not know about are NULL.  Once. */
		memset(&p->ops_copy, 0, sizeof(p->ops_copy));
		memcpy(&p->ops_copy, p->ops, p->ops->size);
		p->ops = &p->ops_copy;
	}
	ret = provider_validate(p);
	if (!ret)
		ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	if (!dmae__registry_users()) {
		dmae__registry_unlock();
		return dmae_fail(ESHUTDOWN, "%s: %s: dmae_init() not called", fn, p->name);
	}
	if (p->state != DMAE_PROVIDER_UNREGISTERED || dmae__provider_find(p->name)) {
		dmae__registry_unlock();
		return dmae_fail(EEXIST, "%s: %s already registered", fn, p->name);
	}
	if (!p->default_pool_size)
		p->default_pool_size = DMAE_DEFAULT_POOL_SIZE;
	p->id = dmae__provider_next_id();
	dmae__for_each_chan(p, chan)
		snprintf(chan->name, sizeof(chan->name), "dma%uchan%u", p->id, chan->index);
	ret = provider_devs_add(p);
	if (ret) {
		dmae__registry_unlock();
		return ret;
	}
	dmae__provider_add(p);
	dmae__for_each_chan(p, chan) {
		atomic_store(&chan->state, DMAE_CHAN_FREE);
		chan->owner = NULL;
		chan->users = 0;
		chan->busy = false;
	}
	p->state = DMAE_PROVIDER_LIVE;
	p->busy_logged = false;
	dmae__registry_unlock();
	dmae_info("%s: registered %u channels", p->name, p->nr_chans);
	return 0;
}

/* Is a channel of p held, or being released or revoked?  Registry lock held. */
static struct dmae_chan *provider_held(struct dmae_provider *p)
{
	struct dmae_chan *chan;

	dmae__for_each_chan(p, chan) {
		if (chan->busy || atomic_load(&chan->state) != DMAE_CHAN_FREE)
			return chan;
	}
	return NULL;
}

bool dmae__provider_put(struct dmae_provider *p)
{
	if (p->state != DMAE_PROVIDER_GONE || p->removing || provider_held(p))
		return false;
	p->state = DMAE_PROVIDER_UNREGISTERED;
	return true;
}

void dmae__provider_release(struct dmae_provider *p)
{
	struct dmae_chan *chan;

	dmae__for_each_chan(p, chan) {
		dmae__fp_destroy(chan);
		dmae__pool_destroy(chan);
	}
	provider_devs_remove(p);
	dmae__dma_maps_free(p);
	dmae_info("%s: released", p->name);
	if (has_release(p->ops))
		p->ops->release(p);
}

/*
 * Revoke every held channel of p, one at a time.  No lock held; p is GONE,
 * so the set of held channels only shrinks.
 */
static void provider_revoke(struct dmae_provider *p)
{
	struct dmae_chan *chan, *next;

	dmae__registry_lock();
	for (;;) {
		next = NULL;
		dmae__for_each_chan(p, chan) {
			enum dmae_chan_state s = (enum dmae_chan_state)atomic_load(&chan->state);

			if (s == DMAE_CHAN_EXCLUSIVE || s == DMAE_CHAN_PUBLIC) {
				next = chan;
				break;
			}
		}
		if (!next)
			break;
		if (dmae__chan_wait_idle(next))
			continue;	/* it changed meanwhile: look again */
		next->busy = true;
		dmae__registry_unlock();
		dmae__chan_revoke(next);
		dmae__registry_lock();
		dmae__chan_settle(next);
	}
	dmae__registry_unlock();
}

static int provider_remove(struct dmae_provider *p, bool revoke, const char *fn)
{
	struct dmae_chan *held;
	bool last;
	int ret;

	dmae_might_sleep();
	if (!p)
		return dmae_fail(EINVAL, "%s: NULL provider", fn);
	ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	if (p->state != DMAE_PROVIDER_LIVE && p->state != DMAE_PROVIDER_GOING) {
		dmae__registry_unlock();
		return dmae_fail(EINVAL, "%s: %s is not registered", fn, p->name);
	}
	held = provider_held(p);
	if (held && (!revoke || !has_release(p->ops))) {
		bool log = !p->busy_logged;

		/* Fenced from here on: holders cannot starve the removal. */
		p->state = DMAE_PROVIDER_GOING;
		p->busy_logged = true;
		dmae__registry_unlock();
		if (log)
			dmae_err("%s: %s: %s is still held%s; new requests are refused", fn,
				 p->name, held->name,
				 revoke ? " and the provider has no release op" : "");
		return -EBUSY;
	}
	p->state = DMAE_PROVIDER_GONE;
	p->removing = true;
	dmae__provider_del(p);
	dmae__registry_unlock();
	if (held) {
		dmae_info("%s: removed while in use: revoking its channels", p->name);
		dmae__holders_notify(p);
		provider_revoke(p);
	}
	dmae__registry_lock();
	p->removing = false;
	last = dmae__provider_put(p);
	dmae__registry_unlock();
	if (last)
		dmae__provider_release(p);
	return 0;
}

int dmae_provider_unregister(struct dmae_provider *p)
{
	return provider_remove(p, true, "dmae_provider_unregister");
}

int dmae_provider_unregister_idle(struct dmae_provider *p)
{
	return provider_remove(p, false, "dmae_provider_unregister_idle");
}
