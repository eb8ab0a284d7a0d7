/* SPDX-License-Identifier: MIT */
/*
 * The registry: library init, providers, consumer devices, routes, and
 * who holds which channel.
 *
 * Channel ownership (chan->state, written under the registry lock, or by
 * the one thread that set chan->busy):
 *
 *          request / request_caps            release
 *   FREE ---------------------------> EXCLUSIVE -------> FREE
 *     |        get_public                 |        put (last user)
 *     +---------------------------> PUBLIC -----------------------> FREE
 *     ^                              |    ^ get_public / put (users > 1)
 *     |                              |    +--+
 *     |   release / last put         v  provider removed (either held state)
 *     +-------------------------- REVOKED
 *
 * Only the requested channel changes state: its siblings on the same
 * provider stay available, exclusive or public.  Each holder has a link
 * on its consumer device, so a device cannot be destroyed while it holds
 * channels, and a public channel knows its users.
 *
 * Lifetimes.  A channel's memory is its provider's.  The provider stays
 * allocated until it is unregistered and no channel of it is held; then
 * the core frees what it kept per channel (pool chunks, fast path) and
 * calls ops->release.  So every handle a client holds, and every handle
 * of a channel it released, points at live memory while the provider
 * exists; the channel state says whether it is still the client's.
 *
 * Releases and revocations sleep (they synchronize with callbacks, which
 * may call into the registry), so they run without the registry lock and
 * mark the channel busy meanwhile; anyone else who wants to change it
 * waits for the mark to clear (wait_not_busy).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/dev.h"

/* A consumer's hold on a channel: on dev->holds. */
struct dmae_link {
	struct dmae_list dev_node;
	struct dmae_chan *chan;
};

extern struct dmae_list dmae__devs;	/* src/core/dev.c; dev_lock */

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
	struct dmae_list routes;
	unsigned int next_id;
	unsigned int public_cursor;
	atomic_uint settled;		/* bumped each time a busy mark clears */
} reg = { DMAE_MUTEX_INIT, 0, DMAE_LIST_INIT(reg.providers), DMAE_LIST_INIT(reg.routes),
	  0, 0, 0 };

/* Set while this thread runs a request filter, which holds the registry lock. */
static DMAE_OS_THREAD_LOCAL bool in_filter;

void dmae__registry_lock(void)
{
	dmae_mutex_lock(&reg.lock);
}

void dmae__registry_unlock(void)
{
	dmae_mutex_unlock(&reg.lock);
}

int dmae__registry_enter(const char *fn)
{
	if (in_filter) {
		dmae_err("%s: called from a request filter, which runs with the registry "
			 "locked; a filter may only look at the channel it is given", fn);
		return -EDEADLK;
	}
	dmae__registry_lock();
	return 0;
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

#define for_each_chan dmae__for_each_chan

int dmae__registry_users(void)
{
	return reg.users;
}

/* ---- library ----------------------------------------------------------------- */

int dmae_init(void)
{
	int ret;

	dmae_might_sleep();
	ret = dmae__registry_enter("dmae_init");
	if (ret)
		return ret;
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
	if (dmae__registry_enter("dmae_exit"))
		return;
	if (reg.users == 0) {
		dmae__registry_unlock();
		dmae_err("dmae_exit: called more often than dmae_init");
		return;
	}
	if (--reg.users == 0) {
		if (!dmae_list_empty(&reg.providers) || !dmae_list_empty(&dmae__devs))
			dmae_warn("dmae_exit: providers or devices still registered");
		dmae_os_exit();
	}
	dmae__registry_unlock();
}

static int check_name(const char *fn, const char *what, const char *name, size_t max)
{
	if (!name || !name[0])
		return dmae_fail(EINVAL, "%s: %s %s", fn, name ? "empty" : "NULL", what);
	if (strlen(name) >= max)
		return dmae_fail(EINVAL, "%s: %s \"%s\" longer than %lu characters", fn,
				 what, name, (unsigned long)(max - 1));
	return 0;
}

/* ---- telling holders of a removal ------------------------------------------------------ */

/* One (device, channel) hold to tell about a removal. */
struct notice {
	struct dmae_dev *dev;
	struct dmae_chan *chan;
};

/* Collect the holds on p's channels whose device has a callback; refs taken. */
static unsigned int notices_collect(struct dmae_provider *p, struct notice *out, unsigned int max)
{
	struct dmae_list *dpos, *lpos;
	unsigned int n = 0;

	dmae_list_for_each(dpos, &dmae__devs) {
		struct dmae_dev *dev = dmae_container_of(dpos, struct dmae_dev, node);

		if (!dev->remove_fn)
			continue;
		dmae_list_for_each(lpos, &dev->holds) {
			struct dmae_link *l = dmae_container_of(lpos, struct dmae_link, dev_node);

			if (l->chan->provider != p)
				continue;
			if (out && n < max) {
				out[n].dev = dev;
				out[n].chan = l->chan;
				dmae__dev_get_locked(dev);
			}
			n++;
		}
	}
	return n;
}

static struct dmae_link *link_find(struct dmae_dev *dev, struct dmae_chan *chan);

/*
 * Tell each holder of one of p's channels (its device's remove callback).
 * The callbacks run with no lock held and may release channels or destroy
 * their device: each is looked up again before it is called, and skipped
 * for a device that went or a channel it no longer holds.
 */
void dmae__holders_notify(struct dmae_provider *p)
{
	struct notice *todo = NULL;
	unsigned int n, i;

	dmae__registry_lock();
	dmae__dev_lock();
	n = notices_collect(p, NULL, 0);
	if (n) {
		todo = dmae__zalloc(sizeof(*todo) * n);
		if (!todo)
			dmae_err("%s: no memory to tell %u holders of the removal; their calls "
				 "return -ENODEV", p->name, n);
		else
			n = notices_collect(p, todo, n);
	}
	dmae__dev_unlock();
	dmae__registry_unlock();
	for (i = 0; todo && i < n; i++) {
		dmae_dev_remove_fn fn = NULL;
		void *arg = NULL;

		dmae__registry_lock();
		dmae__dev_lock();
		if (!todo[i].dev->gone && link_find(todo[i].dev, todo[i].chan)) {
			fn = todo[i].dev->remove_fn;
			arg = todo[i].dev->remove_arg;
		}
		dmae__dev_unlock();
		dmae__registry_unlock();
		if (fn)
			fn(todo[i].dev, todo[i].chan, arg);
	}
	dmae__dev_lock();
	for (i = 0; todo && i < n; i++)
		dmae__dev_put_locked(todo[i].dev);
	dmae__dev_unlock();
	dmae__free(todo);
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
	ret = dmae__registry_enter(fn);
	if (ret) {
		dmae__free(e);
		return ret;
	}
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
	int ret;

	dmae_might_sleep();
	if (!consumer || !name)
		return dmae_fail(EINVAL, "dmae_route_remove: NULL %s", !consumer ? "consumer" : "name");
	ret = dmae__registry_enter("dmae_route_remove");
	if (ret)
		return ret;
	r = route_find(consumer, name);
	if (r)
		dmae_list_del(&r->node);
	dmae__registry_unlock();
	if (!r)
		return dmae_fail(ENOENT, "dmae_route_remove: no route %s/%s", consumer, name);
	dmae__free(r);
	return 0;
}

/* ---- the provider list (src/core/provider.c registers and removes) ------------------- */

struct dmae_provider *dmae__provider_find(const char *name)
{
	struct dmae_provider *p;

	for_each_provider(p) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

unsigned int dmae__provider_next_id(void)
{
	return reg.next_id++;
}

void dmae__provider_add(struct dmae_provider *p)
{
	dmae_list_add_tail(&p->node, &reg.providers);
}

void dmae__provider_del(struct dmae_provider *p)
{
	dmae_list_del(&p->node);
}

/* Requests only find providers taking them: not those being removed. */
static struct dmae_provider *provider_live(const char *name)
{
	struct dmae_provider *p = dmae__provider_find(name);

	return p && p->state == DMAE_PROVIDER_LIVE ? p : NULL;
}

/* ---- holding channels (registry lock held) ---------------------------------------------- */

static int link_add(struct dmae_dev *dev, struct dmae_chan *chan)
{
	struct dmae_link *l = dmae__zalloc(sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->chan = chan;
	dmae_list_add_tail(&l->dev_node, &dev->holds);
	return 0;
}

static struct dmae_link *link_find(struct dmae_dev *dev, struct dmae_chan *chan)
{
	struct dmae_list *pos;

	dmae_list_for_each(pos, &dev->holds) {
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

bool dmae__chan_wait_idle(struct dmae_chan *chan)
{
	bool waited = false;

	while (chan->busy) {
		unsigned int gen = atomic_load(&reg.settled);

		dmae__registry_unlock();
		dmae_os_wait(&reg.settled, gen, DMAE_OS_FOREVER);
		dmae__registry_lock();
		waited = true;
	}
	return waited;
}

void dmae__chan_settle(struct dmae_chan *chan)
{
	chan->busy = false;
	atomic_fetch_add(&reg.settled, 1);
	dmae_os_wake(&reg.settled, INT_MAX);
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
		return dmae_fail(EINVAL, "%s: operation mask 0x%" PRIx32 " is empty or unknown", fn, op_mask);
	if (!consumer)
		return dmae_fail(EINVAL, "%s: NULL consumer device", fn);
	if (!out)
		return dmae_fail(EINVAL, "%s: NULL out-pointer", fn);
	if (opts && opts->pool_size > DMAE_MAX_POOL_SIZE)
		return dmae_fail(EINVAL, "%s: pool size %" PRIu32 " (max %u)", fn, opts->pool_size,
				 DMAE_MAX_POOL_SIZE);
	if (opts && (opts->flags & ~DMAE_CHAN_OPTS_ALL))
		return dmae_fail(EINVAL, "%s: unknown option flags 0x%" PRIx32, fn,
				 (uint32_t)(opts->flags & ~DMAE_CHAN_OPTS_ALL));
	return dmae__registry_enter(fn);
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

/*
 * The end of a request: chan is claimed and marked busy (claim_and_unlock),
 * so that neither a release (say from the consumer's remove callback, if
 * the provider is going meanwhile) nor a revocation touches it before the
 * request has linked the consumer to it (unless the request opted out)
 * and handed it out.  A consumer that is runtime-active gets its channel
 * resumed now.  No lock held (the link may resume).
 */
static int chan_link(struct dmae_dev *consumer, struct dmae_chan *chan,
		     const struct dmae_chan_opts *opts, struct dmae_chan **out)
{
	unsigned int flags = DMAE_LINK_PM_RUNTIME | DMAE_LINK_AUTOREMOVE_CONSUMER;
	struct dmae_dev_pm_info pi;
	struct dmae_dev_link *l = NULL;
	int ret = 0;

	if (!(opts && (opts->flags & DMAE_CHAN_OPT_NO_LINK))) {
		dmae_dev_pm_info_get(consumer, &pi);
		if (pi.state == DMAE_PM_ACTIVE)
			flags |= DMAE_LINK_RPM_ACTIVE;
		ret = dmae_dev_link_add(consumer, chan->dev, flags, &l);
	}
	dmae__registry_lock();
	chan->hold_link = l;
	dmae__chan_settle(chan);
	dmae__registry_unlock();
	if (ret) {
		dmae_chan_release(chan);
		return ret;
	}
	*out = chan;
	return 0;
}

/* Claim chan for consumer; if that worked, mark it busy for chan_link(). */
static int claim_and_unlock(struct dmae_dev *consumer, struct dmae_chan *chan,
			    const struct dmae_chan_opts *opts)
{
	int ret = chan_claim(consumer, chan, opts, DMAE_CHAN_EXCLUSIVE);

	if (!ret)
		chan->busy = true;
	dmae__registry_unlock();
	return ret;
}

/* Is chan free for a new holder? */
static bool chan_takeable(const struct dmae_chan *chan)
{
	return !chan->busy && atomic_load(&chan->state) == DMAE_CHAN_FREE;
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
	if (!name)
		return dmae_fail(EINVAL, "%s: NULL channel name", fn);
	ret = check_request(fn, consumer, out, opts, 0, false);
	if (ret)
		return ret;
	r = route_find(consumer->name, name);
	if (!r) {
		ret = dmae_fail(ENOENT, "%s: no route for %s/%s", fn, consumer->name, name);
		goto out;
	}
	p = provider_live(r->provider);
	if (!p) {
		ret = dmae_fail(ENODEV, "%s: %s/%s: provider %s is not registered (or is being "
				"removed)", fn, consumer->name, name, r->provider);
		goto out;
	}
	ret = translate(p, r, &chan);
	if (ret) {
		ret = dmae_fail(ENODEV, "%s: %s/%s: %s has no channel for this spec", fn,
				consumer->name, name, p->name);
		goto out;
	}
	if (!chan_takeable(chan)) {
		ret = dmae_fail(EBUSY, "%s: %s/%s: %s is %s", fn, consumer->name, name,
				chan->name, chan->busy ? "being released" :
				dmae_chan_state_to_string(atomic_load(&chan->state)));
		goto out;
	}
	ret = claim_and_unlock(consumer, chan, opts);
	return ret ? ret : chan_link(consumer, chan, opts, out);
out:
	dmae__registry_unlock();
	return ret;
}

/* The filter runs with the registry locked: calls back in get -EDEADLK. */
static bool filter_accepts(dmae_filter_fn filter, struct dmae_chan *chan, void *arg)
{
	bool ok;

	if (!filter)
		return true;
	in_filter = true;
	ok = filter(chan, arg);
	in_filter = false;
	return ok;
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
	for_each_provider(p) {
		if (p->state != DMAE_PROVIDER_LIVE || (p->caps.ops & op_mask) != op_mask)
			continue;
		for_each_chan(p, chan) {
			if (!chan_takeable(chan) || !filter_accepts(filter, chan, filter_arg))
				continue;
			ret = claim_and_unlock(consumer, chan, opts);
			return ret ? ret : chan_link(consumer, chan, opts, out);
		}
	}
	dmae__registry_unlock();
	return dmae_fail(ENODEV, "%s: no free channel supports 0x%" PRIx32 "%s", fn, op_mask,
			 filter ? " and passes the filter" : "");
}

/*
 * Close chan, whose last holder is gone: without the registry lock, since
 * closing waits for its callbacks, which may call into the registry.
 * Returns true if that released the provider's last hold: the caller
 * calls dmae__provider_release() once it has dropped the lock.
 */
static bool chan_close_unlocked(struct dmae_chan *chan)
{
	chan->busy = true;
	dmae__registry_unlock();
	dmae__chan_close(chan);
	dmae__registry_lock();
	chan->owner = NULL;
	chan->users = 0;
	atomic_store_explicit(&chan->state, DMAE_CHAN_FREE, memory_order_release);
	dmae__chan_settle(chan);
	return dmae__provider_put(chan->provider);
}

static int check_not_own_callback(struct dmae_chan *chan, const char *fn)
{
	if (dmae_work_current() == &dmae_to_vchan(chan)->task_work)
		return dmae_fail(EDEADLK, "%s: %s: called from one of the channel's own "
				 "task callbacks", fn, chan->name);
	return 0;
}

/* Unlock, and release the provider if chan's close was its last hold. */
static void unlock_and_put(struct dmae_provider *p, bool last)
{
	dmae__registry_unlock();
	if (last)
		dmae__provider_release(p);
}

int dmae_chan_release(struct dmae_chan *chan)
{
	static const char fn[] = "dmae_chan_release";
	enum dmae_chan_state s;
	int ret;

	dmae_might_sleep();
	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	ret = check_not_own_callback(chan, fn);
	if (!ret)
		ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	dmae__chan_wait_idle(chan);
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s != DMAE_CHAN_EXCLUSIVE && !(s == DMAE_CHAN_REVOKED && chan->owner)) {
		dmae__registry_unlock();
		return dmae_fail(EBADF, "%s: %s is %s%s", fn, chan->name,
				 dmae_chan_state_to_string(s),
				 s == DMAE_CHAN_FREE ? " (released twice?)" :
				 " (use dmae_chan_put_public)");
	}
	link_del(link_find(chan->owner, chan));
	/* before the channel is free again: its next holder links anew */
	if (chan->hold_link)
		dmae_dev_link_del(chan->hold_link);
	chan->hold_link = NULL;
	unlock_and_put(chan->provider, chan_close_unlocked(chan));
	return 0;
}

/* May a new user share chan? */
static bool chan_shareable(const struct dmae_chan *chan)
{
	enum dmae_chan_state s = (enum dmae_chan_state)atomic_load(&chan->state);

	return !chan->busy && (s == DMAE_CHAN_FREE || s == DMAE_CHAN_PUBLIC);
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
	/* Least users wins; among equals, the first after the last one given. */
	for_each_provider(p) {
		if (p->state != DMAE_PROVIDER_LIVE || (p->caps.ops & op_mask) != op_mask)
			continue;
		for_each_chan(p, chan) {
			bool after = ++seen > reg.public_cursor;

			if (!chan_shareable(chan))
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
		return dmae_fail(ENODEV, "%s: no shareable channel supports 0x%" PRIx32, fn, op_mask);
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
	static const char fn[] = "dmae_chan_put_public";
	struct dmae_link *l = NULL;
	enum dmae_chan_state s;
	int ret;

	dmae_might_sleep();
	if (!consumer || !chan)
		return dmae_fail(EINVAL, "%s: NULL %s", fn, !consumer ? "consumer" : "channel");
	ret = check_not_own_callback(chan, fn);
	if (!ret)
		ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	dmae__chan_wait_idle(chan);
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s == DMAE_CHAN_PUBLIC || (s == DMAE_CHAN_REVOKED && !chan->owner))
		l = link_find(consumer, chan);
	if (!l) {
		dmae__registry_unlock();
		return dmae_fail(ENOENT, "%s: %s does not hold public channel %s", fn,
				 consumer->name, chan->name);
	}
	link_del(l);
	if (--chan->users == 0)
		unlock_and_put(chan->provider, chan_close_unlocked(chan));
	else
		dmae__registry_unlock();
	return 0;
}

int dmae_chan_pool_grow(struct dmae_chan *chan, uint32_t extra)
{
	static const char fn[] = "dmae_chan_pool_grow";
	enum dmae_chan_state s;
	int ret;

	dmae_might_sleep();
	if (!chan)
		return dmae_fail(EINVAL, "%s: NULL channel", fn);
	if (!extra)
		return dmae_fail(EINVAL, "%s: %s: zero descriptors", fn, chan->name);
	ret = dmae__registry_enter(fn);
	if (ret)
		return ret;
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s == DMAE_CHAN_FREE || chan->busy)
		ret = dmae_fail(EBADF, "%s: %s is not requested", fn, chan->name);
	else if (s == DMAE_CHAN_REVOKED)
		ret = dmae_fail(ENODEV, "%s: %s is revoked: its provider was removed", fn,
				chan->name);
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
	if (dmae__registry_enter("dmae_issue_pending_all"))
		return;
	for_each_provider(p) {
		for_each_chan(p, chan) {
			if (atomic_load(&chan->state) == DMAE_CHAN_PUBLIC && !chan->busy)
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
	int ret;

	dmae_might_sleep();
	if (!info && max)
		return dmae_fail(EINVAL, "dmae_chan_list: NULL info with max %u", max);
	ret = dmae__registry_enter("dmae_chan_list");
	if (ret)
		return ret;
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
	if (dmae__registry_enter("dmae_dump"))
		return;
	for_each_provider(p) {
		fprintf(out, "provider %s: %u channels, irq count %llu\n", p->name, p->nr_chans,
			p->irq ? (unsigned long long)dmae_irq_count(p->irq) : 0ull);
		for_each_chan(p, chan) {
			struct dmae_chan_info i;

			chan_info(chan, &i);
			fprintf(out,
				"  %-12s %-9s owner=%-12s users=%" PRIu32 " submitted=%llu completed=%llu "
				"errors=%llu terminated=%llu bytes=%llu pool=%" PRIu32 "/%" PRIu32 "\n",
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
	dmae__dev_lock();
	dmae_list_for_each(pos, &dmae__devs) {
		struct dmae_dev *dev = dmae_container_of(pos, struct dmae_dev, node);
		struct dmae_list *lp;

		if (dev->kind != DMAE_DEV_CONSUMER)
			continue;
		fprintf(out, "device %s:", dev->name);
		dmae_list_for_each(lp, &dev->holds)
			fprintf(out, " %s",
				dmae_container_of(lp, struct dmae_link, dev_node)->chan->name);
		fprintf(out, "\n");
	}
	dmae__dev_unlock();
	dmae__registry_unlock();
}
