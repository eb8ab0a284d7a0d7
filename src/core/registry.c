/* SPDX-License-Identifier: MIT */
/*
 * The registry: library init, providers, consumer devices, routes, and
 * who holds which channel.
 *
 * Channel ownership (chan->state, written under the registry lock):
 *
 *          request / request_caps            release
 *   FREE ---------------------------> EXCLUSIVE -------> FREE
 *     |        get_public                          put (last user)
 *     +---------------------------> PUBLIC -----------------------> FREE
 *                                    |  ^ get_public / put (users > 1)
 *                                    +--+
 *
 * Only the requested channel changes state: its siblings on the same
 * provider stay available, exclusive or public.  Each holder has a link
 * on its consumer device, so a device cannot be destroyed while it holds
 * channels, and a public channel knows its users.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

struct dmae_dev {
	char name[32];
	struct dmae_list node;		/* reg.devs */
	struct dmae_list links;		/* struct dmae_link.dev_node */
};

/* A consumer's hold on a channel. */
struct dmae_link {
	struct dmae_list dev_node;
	struct dmae_chan *chan;
};

struct route {
	struct dmae_list node;
	char consumer[32];
	char name[32];
	char provider[32];
	uint32_t spec[DMAE_ROUTE_SPEC_MAX];
	unsigned int nspec;
};

static struct {
	struct dmae_mutex lock;		/* everything below */
	int users;			/* dmae_init() references */
	struct dmae_list providers;
	struct dmae_list devs;
	struct dmae_list routes;
	unsigned int next_id;
	unsigned int public_cursor;
} reg = { DMAE_MUTEX_INIT, 0, DMAE_LIST_INIT(reg.providers), DMAE_LIST_INIT(reg.devs),
	  DMAE_LIST_INIT(reg.routes), 0, 0 };

void dmae__registry_lock(void)
{
	dmae_mutex_lock(&reg.lock);
}

void dmae__registry_unlock(void)
{
	dmae_mutex_unlock(&reg.lock);
}

bool dmae__initialised(void)
{
	bool r;

	dmae__registry_lock();
	r = reg.users > 0;
	dmae__registry_unlock();
	return r;
}

#define for_each_provider(p)                                                  \
	for (struct dmae_list *p##_pos = reg.providers.next;                  \
	     p##_pos != &reg.providers &&                                     \
	     ((p) = dmae_container_of(p##_pos, struct dmae_provider, node), 1); \
	     p##_pos = p##_pos->next)

#define for_each_chan(p, c)                                                   \
	for (struct dmae_list *c##_pos = (p)->chans.next;                     \
	     c##_pos != &(p)->chans &&                                        \
	     ((c) = dmae_container_of(c##_pos, struct dmae_chan, provider_node), 1); \
	     c##_pos = c##_pos->next)

/* ---- library ----------------------------------------------------------------- */

int dmae_init(void)
{
	int ret = 0;

	dmae_might_sleep();
	dmae__registry_lock();
	if (reg.users == 0)
		ret = dmae_os_init();
	if (!ret)
		reg.users++;
	dmae__registry_unlock();
	return ret;
}

void dmae_exit(void)
{
	dmae_might_sleep();
	dmae__registry_lock();
	if (reg.users == 0) {
		dmae__registry_unlock();
		dmae_err("dmae_exit: called more often than dmae_init");
		return;
	}
	if (--reg.users == 0) {
		if (!dmae_list_empty(&reg.providers) || !dmae_list_empty(&reg.devs))
			dmae_warn("dmae_exit: providers or devices still registered");
		dmae_os_exit();
	}
	dmae__registry_unlock();
}

/* ---- consumer devices ------------------------------------------------------------ */

static int check_name(const char *fn, const char *what, const char *name, size_t max)
{
	if (!name || !name[0])
		return dmae_fail(EINVAL, "%s: %s %s", fn, name ? "empty" : "NULL", what);
	if (strlen(name) >= max)
		return dmae_fail(EINVAL, "%s: %s \"%s\" longer than %zu characters", fn,
				 what, name, max - 1);
	return 0;
}

int dmae_dev_create(const char *name, struct dmae_dev **out)
{
	struct dmae_dev *dev;
	int ret;

	dmae_might_sleep();
	ret = check_name("dmae_dev_create", "name", name, sizeof(dev->name));
	if (ret)
		return ret;
	if (!out)
		return dmae_fail(EINVAL, "dmae_dev_create: NULL out-pointer");
	dev = dmae__zalloc(sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	strcpy(dev->name, name);
	dmae_list_init(&dev->links);
	dmae__registry_lock();
	dmae_list_add_tail(&dev->node, &reg.devs);
	dmae__registry_unlock();
	*out = dev;
	return 0;
}

int dmae_dev_destroy(struct dmae_dev *dev)
{
	dmae_might_sleep();
	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_destroy: NULL device");
	dmae__registry_lock();
	if (!dmae_list_empty(&dev->links)) {
		dmae__registry_unlock();
		return dmae_fail(EBUSY, "dmae_dev_destroy: %s still holds channels", dev->name);
	}
	dmae_list_del(&dev->node);
	dmae__registry_unlock();
	dmae__free(dev);
	return 0;
}

const char *dmae_dev_name(const struct dmae_dev *dev)
{
	return dev ? dev->name : "(null)";
}

/* ---- routes ------------------------------------------------------------------------ */

static struct route *route_find(const char *consumer, const char *name)
{
	struct dmae_list *pos;

	dmae_list_for_each(pos, &reg.routes) {
		struct route *r = dmae_container_of(pos, struct route, node);

		if (!strcmp(r->consumer, consumer) && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

int dmae_route_add(const struct dmae_route *r)
{
	static const char fn[] = "dmae_route_add";
	struct route *e;
	int ret;

	dmae_might_sleep();
	if (!r)
		return dmae_fail(EINVAL, "%s: NULL route", fn);
	ret = check_name(fn, "consumer", r->consumer, sizeof(e->consumer));
	if (!ret)
		ret = check_name(fn, "channel name", r->name, sizeof(e->name));
	if (!ret)
		ret = check_name(fn, "provider", r->provider, sizeof(e->provider));
	if (ret)
		return ret;
	if (r->nspec > DMAE_ROUTE_SPEC_MAX)
		return dmae_fail(EINVAL, "%s: %u spec cells (max %u)", fn, r->nspec,
				 DMAE_ROUTE_SPEC_MAX);
	e = dmae__zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	strcpy(e->consumer, r->consumer);
	strcpy(e->name, r->name);
	strcpy(e->provider, r->provider);
	memcpy(e->spec, r->spec, sizeof(e->spec));
	e->nspec = r->nspec;
	dmae__registry_lock();
	if (route_find(e->consumer, e->name)) {
		dmae__registry_unlock();
		dmae__free(e);
		return dmae_fail(EEXIST, "%s: route %s/%s exists", fn, r->consumer, r->name);
	}
	dmae_list_add_tail(&e->node, &reg.routes);
	dmae__registry_unlock();
	return 0;
}

int dmae_route_remove(const char *consumer, const char *name)
{
	struct route *r;

	dmae_might_sleep();
	if (!consumer || !name)
		return dmae_fail(EINVAL, "dmae_route_remove: NULL %s", !consumer ? "consumer" : "name");
	dmae__registry_lock();
	r = route_find(consumer, name);
	if (r)
		dmae_list_del(&r->node);
	dmae__registry_unlock();
	if (!r)
		return dmae_fail(ENOENT, "dmae_route_remove: no route %s/%s", consumer, name);
	dmae__free(r);
	return 0;
}

/* ---- providers ------------------------------------------------------------------------ */

void dmae_provider_init(struct dmae_provider *p)
{
	dmae_list_init(&p->chans);
	dmae_list_init(&p->node);
	p->nr_chans = 0;
	p->id = 0;
	p->registered = false;
}

static struct dmae_provider *provider_find(const char *name)
{
	struct dmae_provider *p;

	for_each_provider(p) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* A table must reach as far as the last mandatory op. */
#define OPS_MIN_SIZE (offsetof(struct dmae_provider_ops, synchronize) + sizeof(void (*)(void)))

/* Does p hold together?  Logs the first problem. */
static int provider_validate(const struct dmae_provider *p)
{
	static const char fn[] = "dmae_provider_register";
	const struct dmae_provider_ops *ops = p->ops;
	const struct dmae_caps *c = &p->caps;
	unsigned int op;

	if (!p->name[0])
		return dmae_fail(EINVAL, "%s: provider has no name", fn);
	if (!ops)
		return dmae_fail(EINVAL, "%s: %s: no ops table", fn, p->name);
	if (ops->size < OPS_MIN_SIZE || ops->size > sizeof(*ops))
		return dmae_fail(EINVAL, "%s: %s: ops table size %zu; this core takes %zu..%zu bytes",
				 fn, p->name, ops->size, OPS_MIN_SIZE, sizeof(*ops));
	if (!ops->issue_pending || !ops->terminate || !ops->synchronize)
		return dmae_fail(EINVAL, "%s: %s: mandatory op %s missing", fn, p->name,
				 !ops->issue_pending ? "issue_pending" :
				 !ops->terminate ? "terminate" : "synchronize");
	if (ops->size >= offsetof(struct dmae_provider_ops, poll) + sizeof(ops->poll) &&
	    ops->poll && !p->irq)
		return dmae_fail(EINVAL, "%s: %s: poll op without an interrupt line", fn, p->name);
	if (!c->ops || (c->ops & ~DMAE_CAP_ALL_OPS))
		return dmae_fail(EINVAL, "%s: %s: operation mask 0x%x is empty or unknown", fn,
				 p->name, c->ops);
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
			return dmae_fail(EINVAL, "%s: %s: advertises %s without its prep op", fn,
					 p->name, dmae_op_to_string((enum dmae_op)op));
		if (c->align_shift[op] > 12)
			return dmae_fail(EINVAL, "%s: %s: %s alignment 2^%u is not sensible", fn,
					 p->name, dmae_op_to_string((enum dmae_op)op),
					 c->align_shift[op]);
	}
	if ((c->ops & (DMAE_CAP_SG | DMAE_CAP_INTERLEAVED | DMAE_CAP_SLAVE_SG |
		       DMAE_CAP_CYCLIC)) && !c->max_sg)
		return dmae_fail(EINVAL, "%s: %s: sg/interleaved/slave/cyclic without max_sg", fn,
				 p->name);
	if ((c->ops & (DMAE_CAP_SLAVE_SG | DMAE_CAP_CYCLIC)) &&
	    !(c->directions & (DMAE_DIR_BIT(DMAE_MEM_TO_DEV) | DMAE_DIR_BIT(DMAE_DEV_TO_MEM))))
		return dmae_fail(EINVAL, "%s: %s: slave operations without a device direction", fn,
				 p->name);
	if (!c->directions || (c->directions & ~(DMAE_DIR_BIT(DMAE_DIR_COUNT) - 1)))
		return dmae_fail(EINVAL, "%s: %s: direction mask 0x%x is empty or unknown", fn,
				 p->name, c->directions);
	if (!c->addr_widths)
		return dmae_fail(EINVAL, "%s: %s: no address width", fn, p->name);
	if (!c->min_burst || c->min_burst > c->max_burst)
		return dmae_fail(EINVAL, "%s: %s: burst range %u..%u", fn, p->name,
				 c->min_burst, c->max_burst);
	if (c->residue > DMAE_RESIDUE_BURST)
		return dmae_fail(EINVAL, "%s: %s: unknown residue granularity %d", fn, p->name,
				 (int)c->residue);
	if (c->pause && (!ops->pause || !ops->resume))
		return dmae_fail(EINVAL, "%s: %s: caps.pause without pause/resume ops", fn,
				 p->name);
	if (!c->terminate)
		return dmae_fail(EINVAL, "%s: %s: every channel must support terminate", fn,
				 p->name);
	if (c->residue != DMAE_RESIDUE_DESCRIPTOR && !ops->residue)
		return dmae_fail(EINVAL, "%s: %s: %s residue without a residue op", fn, p->name,
				 dmae_residue_gran_to_string(c->residue));
	if (p->desc_size < sizeof(struct dmae_desc))
		return dmae_fail(EINVAL, "%s: %s: desc_size %zu smaller than struct dmae_desc", fn,
				 p->name, p->desc_size);
	if (!p->nr_chans)
		return dmae_fail(EINVAL, "%s: %s: no channels (dmae_vchan_init)", fn, p->name);
	if (p->default_pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: %s: default pool size %u (max %u)", fn, p->name,
				 p->default_pool_size, DMAE_MAX_POOL_SIZE);
	return 0;
}

int dmae_provider_register(struct dmae_provider *p)
{
	struct dmae_chan *chan;
	int ret;

	dmae_might_sleep();
	if (!p)
		return dmae_fail(EINVAL, "dmae_provider_register: NULL provider");
	if (p->ops && p->ops->size >= OPS_MIN_SIZE && p->ops->size < sizeof(*p->ops)) {
		/* Older driver: the ops it does not know about are NULL. */
		memset(&p->ops_copy, 0, sizeof(p->ops_copy));
		memcpy(&p->ops_copy, p->ops, p->ops->size);
		p->ops = &p->ops_copy;
	}
	ret = provider_validate(p);
	if (ret)
		return ret;
	dmae__registry_lock();
	if (!reg.users) {
		dmae__registry_unlock();
		return dmae_fail(ESHUTDOWN, "dmae_provider_register: %s: dmae_init() not called",
				 p->name);
	}
	if (p->registered || provider_find(p->name)) {
		dmae__registry_unlock();
		return dmae_fail(EEXIST, "dmae_provider_register: %s already registered", p->name);
	}
	if (!p->default_pool_size)
		p->default_pool_size = DMAE_DEFAULT_POOL_SIZE;
	p->id = reg.next_id++;
	for_each_chan(p, chan) {
		snprintf(chan->name, sizeof(chan->name), "dma%uchan%u", p->id, chan->index);
		atomic_store(&chan->state, DMAE_CHAN_FREE);
		chan->owner = NULL;
		chan->users = 0;
	}
	p->registered = true;
	dmae_list_add_tail(&p->node, &reg.providers);
	dmae__registry_unlock();
	dmae_info("%s: registered %u channels", p->name, p->nr_chans);
	return 0;
}

int dmae_provider_unregister(struct dmae_provider *p)
{
	struct dmae_chan *chan;

	dmae_might_sleep();
	if (!p)
		return dmae_fail(EINVAL, "dmae_provider_unregister: NULL provider");
	dmae__registry_lock();
	if (!p->registered) {
		dmae__registry_unlock();
		return dmae_fail(EINVAL, "dmae_provider_unregister: %s is not registered", p->name);
	}
	for_each_chan(p, chan) {
		if (atomic_load(&chan->state) != DMAE_CHAN_FREE) {
			dmae__registry_unlock();
			return dmae_fail(EBUSY, "dmae_provider_unregister: %s: %s is still held",
					 p->name, chan->name);
		}
	}
	dmae_list_del(&p->node);
	p->registered = false;
	dmae__registry_unlock();
	return 0;
}

/* ---- holding channels (registry lock held) ---------------------------------------------- */

static int link_add(struct dmae_dev *dev, struct dmae_chan *chan)
{
	struct dmae_link *l = dmae__zalloc(sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->chan = chan;
	dmae_list_add_tail(&l->dev_node, &dev->links);
	return 0;
}

static struct dmae_link *link_find(struct dmae_dev *dev, struct dmae_chan *chan)
{
	struct dmae_list *pos;

	dmae_list_for_each(pos, &dev->links) {
		struct dmae_link *l = dmae_container_of(pos, struct dmae_link, dev_node);

		if (l->chan == chan)
			return l;
	}
	return NULL;
}

static void link_del(struct dmae_link *l)
{
	dmae_list_del(&l->dev_node);
	dmae__free(l);
}

/* Take a FREE channel for dev; state becomes 'state'. */
static int chan_claim(struct dmae_dev *dev, struct dmae_chan *chan,
		      const struct dmae_chan_opts *opts, enum dmae_chan_state state)
{
	int ret = link_add(dev, chan);

	if (ret)
		return ret;
	ret = dmae__chan_open(chan, opts);
	if (ret) {
		link_del(link_find(dev, chan));
		return ret;
	}
	chan->owner = state == DMAE_CHAN_EXCLUSIVE ? dev : NULL;
	chan->users = 1;
	atomic_store_explicit(&chan->state, state, memory_order_release);
	return 0;
}

/* op_mask: the operations asked for, or 0 for a request by name. */
static int check_request(const char *fn, struct dmae_dev *consumer, const void *out,
			 const struct dmae_chan_opts *opts, uint32_t op_mask, bool by_caps)
{
	if (by_caps && (!op_mask || (op_mask & ~DMAE_CAP_ALL_OPS)))
		return dmae_fail(EINVAL, "%s: operation mask 0x%x is empty or unknown", fn, op_mask);
	if (!consumer)
		return dmae_fail(EINVAL, "%s: NULL consumer device", fn);
	if (!out)
		return dmae_fail(EINVAL, "%s: NULL out-pointer", fn);
	if (opts && opts->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %u (max %u)", fn, opts->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (opts && (opts->flags & ~DMAE_CHAN_OPTS_ALL))
		return dmae_fail(EINVAL, "%s: unknown option flags 0x%x", fn,
				 opts->flags & ~DMAE_CHAN_OPTS_ALL);
	return 0;
}

static int translate(struct dmae_provider *p, const struct route *r, struct dmae_chan **out)
{
	struct dmae_chan *chan;

	if (p->ops->translate)
		return p->ops->translate(p, r->spec, r->nspec, out);
	if (r->nspec < 1)
		return -ENODEV;
	for_each_chan(p, chan) {
		if (chan->index == r->spec[0]) {
			*out = chan;
			return 0;
		}
	}
	return -ENODEV;
}

int dmae_chan_request(struct dmae_dev *consumer, const char *name,
		      const struct dmae_chan_opts *opts, struct dmae_chan **out)
{
	static const char fn[] = "dmae_chan_request";
	struct dmae_provider *p;
	struct dmae_chan *chan = NULL;
	struct route *r;
	int ret;

	dmae_might_sleep();
	ret = check_request(fn, consumer, out, opts, 0, false);
	if (ret)
		return ret;
	if (!name)
		return dmae_fail(EINVAL, "%s: NULL channel name", fn);
	dmae__registry_lock();
	r = route_find(consumer->name, name);
	if (!r) {
		ret = dmae_fail(ENOENT, "%s: no route for %s/%s", fn, consumer->name, name);
		goto out;
	}
	p = provider_find(r->provider);
	if (!p) {
		ret = dmae_fail(ENODEV, "%s: %s/%s: provider %s is not registered", fn,
				consumer->name, name, r->provider);
		goto out;
	}
	ret = translate(p, r, &chan);
	if (ret) {
		ret = dmae_fail(ENODEV, "%s: %s/%s: %s has no channel for this spec", fn,
				consumer->name, name, p->name);
		goto out;
	}
	if (atomic_load(&chan->state) != DMAE_CHAN_FREE) {
		ret = dmae_fail(EBUSY, "%s: %s/%s: %s is %s", fn, consumer->name, name,
				chan->name,
				dmae_chan_state_to_string(atomic_load(&chan->state)));
		goto out;
	}
	ret = chan_claim(consumer, chan, opts, DMAE_CHAN_EXCLUSIVE);
	if (!ret)
		*out = chan;
out:
	dmae__registry_unlock();
	return ret;
}

int dmae_chan_request_caps(struct dmae_dev *consumer, uint32_t op_mask,
			   dmae_filter_fn filter, void *filter_arg,
			   const struct dmae_chan_opts *opts, struct dmae_chan **out)
{
	static const char fn[] = "dmae_chan_request_caps";
	struct dmae_provider *p;
	struct dmae_chan *chan;
	int ret;

	dmae_might_sleep();
	ret = check_request(fn, consumer, out, opts, op_mask, true);
	if (ret)
		return ret;
	dmae__registry_lock();
	for_each_provider(p) {
		if ((p->caps.ops & op_mask) != op_mask)
			continue;
		for_each_chan(p, chan) {
			if (atomic_load(&chan->state) != DMAE_CHAN_FREE)
				continue;
			if (filter && !filter(chan, filter_arg))
				continue;
			ret = chan_claim(consumer, chan, opts, DMAE_CHAN_EXCLUSIVE);
			if (!ret)
				*out = chan;
			dmae__registry_unlock();
			return ret;
		}
	}
	dmae__registry_unlock();
	return dmae_fail(ENODEV, "%s: no free channel supports 0x%x%s", fn, op_mask,
			 filter ? " and passes the filter" : "");
}

/*
 * Closing a channel waits for its callbacks, which may themselves call
 * into the registry: it runs without the registry lock.  'closing' keeps
 * the channel out of everyone's hands meanwhile.
 */
static void chan_close_unlocked(struct dmae_chan *chan)
{
	chan->closing = true;
	dmae__registry_unlock();
	dmae__chan_close(chan);
	dmae__registry_lock();
	chan->closing = false;
	chan->owner = NULL;
	chan->users = 0;
	atomic_store_explicit(&chan->state, DMAE_CHAN_FREE, memory_order_release);
}

static int check_not_own_callback(struct dmae_chan *chan, const char *fn)
{
	if (dmae_work_current() == &dmae_to_vchan(chan)->task_work)
		return dmae_fail(EDEADLK, "%s: %s: called from one of the channel's own "
				 "task callbacks", fn, chan->name);
	return 0;
}

int dmae_chan_release(struct dmae_chan *chan)
{
	enum dmae_chan_state s;
	int ret;

	dmae_might_sleep();
	if (!chan)
		return dmae_fail(EINVAL, "dmae_chan_release: NULL channel");
	ret = check_not_own_callback(chan, "dmae_chan_release");
	if (ret)
		return ret;
	dmae__registry_lock();
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s != DMAE_CHAN_EXCLUSIVE || chan->closing) {
		dmae__registry_unlock();
		return dmae_fail(EBADF, "dmae_chan_release: %s is %s%s", chan->name,
				 chan->closing ? "being released" : dmae_chan_state_to_string(s),
				 s == DMAE_CHAN_FREE || chan->closing ? " (released twice?)" :
				 s == DMAE_CHAN_PUBLIC ? " (use dmae_chan_put_public)" : "");
	}
	link_del(link_find(chan->owner, chan));
	chan_close_unlocked(chan);
	dmae__registry_unlock();
	return 0;
}

int dmae_chan_get_public(struct dmae_dev *consumer, uint32_t op_mask, struct dmae_chan **out)
{
	static const char fn[] = "dmae_chan_get_public";
	struct dmae_chan *best = NULL, *chan;
	struct dmae_provider *p;
	unsigned int seen = 0, best_seen = 0;
	bool best_after = false;
	int ret;

	dmae_might_sleep();
	ret = check_request(fn, consumer, out, NULL, op_mask, true);
	if (ret)
		return ret;
	dmae__registry_lock();
	/* Least users wins; among equals, the first after the last one given. */
	for_each_provider(p) {
		if ((p->caps.ops & op_mask) != op_mask)
			continue;
		for_each_chan(p, chan) {
			bool after = ++seen > reg.public_cursor;

			if (atomic_load(&chan->state) == DMAE_CHAN_EXCLUSIVE || chan->closing)
				continue;
			if (!best || chan->users < best->users ||
			    (chan->users == best->users && after && !best_after)) {
				best = chan;
				best_seen = seen;
				best_after = after;
			}
		}
	}
	if (!best) {
		dmae__registry_unlock();
		return dmae_fail(ENODEV, "%s: no shareable channel supports 0x%x", fn, op_mask);
	}
	if (atomic_load(&best->state) == DMAE_CHAN_FREE) {
		ret = chan_claim(consumer, best, NULL, DMAE_CHAN_PUBLIC);
	} else {
		ret = link_add(consumer, best);
		if (!ret)
			best->users++;
	}
	if (!ret) {
		reg.public_cursor = best_seen;
		*out = best;
	}
	dmae__registry_unlock();
	return ret;
}

int dmae_chan_put_public(struct dmae_dev *consumer, struct dmae_chan *chan)
{
	struct dmae_link *l;
	int ret;

	dmae_might_sleep();
	if (!consumer || !chan)
		return dmae_fail(EINVAL, "dmae_chan_put_public: NULL %s",
				 !consumer ? "consumer" : "channel");
	ret = check_not_own_callback(chan, "dmae_chan_put_public");
	if (ret)
		return ret;
	dmae__registry_lock();
	l = atomic_load(&chan->state) == DMAE_CHAN_PUBLIC && !chan->closing ?
		    link_find(consumer, chan) : NULL;
	if (!l) {
		dmae__registry_unlock();
		return dmae_fail(ENOENT, "dmae_chan_put_public: %s does not hold public channel %s",
				 consumer->name, chan->name);
	}
	link_del(l);
	if (--chan->users == 0)
		chan_close_unlocked(chan);
	dmae__registry_unlock();
	return 0;
}

int dmae_chan_pool_grow(struct dmae_chan *chan, uint32_t extra)
{
	int ret;

	dmae_might_sleep();
	if (!chan)
		return dmae_fail(EINVAL, "dmae_chan_pool_grow: NULL channel");
	if (!extra)
		return dmae_fail(EINVAL, "dmae_chan_pool_grow: %s: zero descriptors", chan->name);
	dmae__registry_lock();
	if (atomic_load(&chan->state) == DMAE_CHAN_FREE)
		ret = dmae_fail(EBADF, "dmae_chan_pool_grow: %s is not requested", chan->name);
	else
		ret = dmae__pool_grow(chan, extra);
	dmae__registry_unlock();
	return ret;
}

void dmae_issue_pending_all(void)
{
	struct dmae_provider *p;
	struct dmae_chan *chan;

	dmae_might_sleep();
	dmae__registry_lock();
	for_each_provider(p) {
		for_each_chan(p, chan) {
			if (atomic_load(&chan->state) != DMAE_CHAN_FREE)
				dmae_chan_issue_pending(chan);
		}
	}
	dmae__registry_unlock();
}

/* ---- enumeration ------------------------------------------------------------------------- */

static void chan_info(struct dmae_chan *chan, struct dmae_chan_info *i)
{
	memset(i, 0, sizeof(*i));
	snprintf(i->name, sizeof(i->name), "%s", chan->name);
	snprintf(i->provider, sizeof(i->provider), "%s", chan->provider->name);
	if (chan->owner)
		snprintf(i->owner, sizeof(i->owner), "%s", chan->owner->name);
	i->state = (enum dmae_chan_state)atomic_load(&chan->state);
	i->users = chan->users;
	i->caps = chan->provider->caps;
	dmae_chan_stats_get(chan, &i->stats);
}

int dmae_chan_list(struct dmae_chan_info *info, unsigned int max)
{
	struct dmae_provider *p;
	struct dmae_chan *chan;
	unsigned int n = 0;

	dmae_might_sleep();
	if (!info && max)
		return dmae_fail(EINVAL, "dmae_chan_list: NULL info with max %u", max);
	dmae__registry_lock();
	for_each_provider(p) {
		for_each_chan(p, chan) {
			if (n < max)
				chan_info(chan, &info[n]);
			n++;
		}
	}
	dmae__registry_unlock();
	return (int)n;
}

void dmae_dump(FILE *out)
{
	struct dmae_provider *p;
	struct dmae_chan *chan;
	struct dmae_list *pos;

	dmae_might_sleep();
	dmae__registry_lock();
	for_each_provider(p) {
		fprintf(out, "provider %s: %u channels, irq count %llu\n", p->name, p->nr_chans,
			p->irq ? (unsigned long long)dmae_irq_count(p->irq) : 0ull);
		for_each_chan(p, chan) {
			struct dmae_chan_info i;

			chan_info(chan, &i);
			fprintf(out,
				"  %-12s %-9s owner=%-12s users=%u submitted=%llu completed=%llu "
				"errors=%llu terminated=%llu bytes=%llu pool=%u/%u\n",
				i.name, dmae_chan_state_to_string(i.state),
				i.owner[0] ? i.owner : "-", i.users,
				(unsigned long long)i.stats.submitted,
				(unsigned long long)i.stats.completed,
				(unsigned long long)i.stats.errors,
				(unsigned long long)i.stats.terminated,
				(unsigned long long)i.stats.bytes, i.stats.pool_free,
				i.stats.pool_size);
		}
	}
	dmae_list_for_each(pos, &reg.devs) {
		struct dmae_dev *dev = dmae_container_of(pos, struct dmae_dev, node);
		struct dmae_list *lp;

		fprintf(out, "device %s:", dev->name);
		dmae_list_for_each(lp, &dev->links)
			fprintf(out, " %s",
				dmae_container_of(lp, struct dmae_link, dev_node)->chan->name);
		fprintf(out, "\n");
	}
	dmae__registry_unlock();
}
