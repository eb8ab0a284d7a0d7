/* SPDX-License-Identifier: MIT */
/*
 * Devices and device links (core/dev.h).
 *
 * A device's memory is reference counted: the list of devices holds one
 * reference until the device is destroyed, and a PM runner or a removal
 * notice holds one while it uses the device without a lock.  Links hang
 * on both ends; a link whose supplier went first stays on its consumer,
 * dead, so that the handle a client keeps stays valid (dmae/dmae.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/dev.h"

static struct dmae_mutex dev_mutex = DMAE_MUTEX_INIT;
struct dmae_list dmae__devs = DMAE_LIST_INIT(dmae__devs);

void dmae__dev_lock(void)
{
	dmae_mutex_lock(&dev_mutex);
}

void dmae__dev_unlock(void)
{
	dmae_mutex_unlock(&dev_mutex);
}

void dmae__dev_get_locked(struct dmae_dev *dev)
{
	dev->refs++;
}

void dmae__dev_put_locked(struct dmae_dev *dev)
{
	if (--dev->refs)
		return;
	dmae__free(dev);
}

static struct dmae_dev *dev_alloc(const char *name, enum dmae_dev_kind kind,
				  struct dmae_dev *parent, enum dmae_pm_state initial,
				  uint64_t autosuspend_ns)
{
	struct dmae_dev *dev = dmae__zalloc(sizeof(*dev));

	if (!dev)
		return NULL;
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->kind = kind;
	dev->parent = parent;
	dev->refs = 1;
	dmae_list_init(&dev->holds);
	dmae_list_init(&dev->suppliers);
	dmae_list_init(&dev->consumers);
	dmae__pm_init(&dev->pm, initial, autosuspend_ns);
	return dev;
}

static struct dmae_dev *dev_find(const char *name)
{
	struct dmae_list *pos;

	dmae_list_for_each(pos, &dmae__devs) {
		struct dmae_dev *dev = dmae_container_of(pos, struct dmae_dev, node);

		if (dev->kind == DMAE_DEV_CONSUMER && !strcmp(dev->name, name))
			return dev;
	}
	return NULL;
}

/* Gone: written under dev_lock and pm.lock, so readers may hold either. */
static void dev_mark_gone(struct dmae_dev *dev)
{
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	dev->gone = true;
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
}

/* ---- consumer devices (route entries match their names) ------------------------------------------------------------ */

static int check_name(const char *fn, const char *name, size_t max)
{
	if (!name || !name[0])
		return dmae_fail(EINVAL, "%s: %s name", fn, name ? "empty" : "NULL");
	if (strlen(name) >= max)
		return dmae_fail(EINVAL, "%s: name \"%s\" longer than %lu characters", fn, name,
				 (unsigned long)(max - 1));
	return 0;
}

int dmae_dev_create_child(const char *name, struct dmae_dev *parent, struct dmae_dev **out)
{
	static const char fn[] = "dmae_dev_create";
	struct dmae_dev *dev;
	int ret;

	dmae_might_sleep();
	ret = check_name(fn, name, sizeof(dev->name));
	if (ret)
		return ret;
	if (!out)
		return dmae_fail(EINVAL, "%s: NULL out-pointer", fn);
	/* A consumer is not known to be active until it says so (pm_get). */
	dev = dev_alloc(name, DMAE_DEV_CONSUMER, parent, DMAE_PM_SUSPENDED,
			DMAE_PM_AUTOSUSPEND_NS);
	if (!dev)
		return -ENOMEM;
	dmae__dev_lock();
	if (parent && parent->gone) {
		dmae__dev_unlock();
		dmae__free(dev);
		return dmae_fail(ENODEV, "%s: %s: parent %s is gone", fn, name, parent->name);
	}
	if (dev_find(name)) {
		dmae__dev_unlock();
		dmae__free(dev);
		return dmae_fail(EEXIST, "%s: a device named \"%s\" exists; route entries could "
				 "not tell them apart", fn, name);
	}
	if (parent)
		dmae__dev_get_locked(parent);
	dmae_list_add_tail(&dev->node, &dmae__devs);
	dmae__dev_unlock();
	*out = dev;
	return 0;
}

int dmae_dev_create(const char *name, struct dmae_dev **out)
{
	return dmae_dev_create_child(name, NULL, out);
}

/* Free link l (dev_lock held): drop the supplier count it holds. */
static void link_free(struct dmae_dev_link *l)
{
	dmae_list_del(&l->consumer_node);
	if (l->supplier) {
		dmae_list_del(&l->supplier_node);
		if (l->rpm_held)
			dmae_dev_pm_put_autosuspend(l->supplier);
		dmae__dev_put_locked(l->supplier);
	}
	dmae__dev_put_locked(l->consumer);
	dmae__free(l);
}

/* Why dev cannot go yet, or NULL.  Registry and dev_lock held. */
static const char *dev_busy(struct dmae_dev *dev)
{
	struct dmae_list *pos;

	if (!dmae_list_empty(&dev->holds))
		return "it still holds channels; release them first";
	dmae_list_for_each(pos, &dev->suppliers) {
		struct dmae_dev_link *l = dmae_container_of(pos, struct dmae_dev_link,
							    consumer_node);

		if (l->flags & DMAE_LINK_STATELESS)
			return "a stateless link of it exists; delete it first";
	}
	dmae_list_for_each(pos, &dmae__devs) {
		if (dmae_container_of(pos, struct dmae_dev, node)->parent == dev)
			return "it is the parent of another device";
	}
	return NULL;
}

/* Unlink dev from everything (dev_lock held). */
static void dev_unlink_all(struct dmae_dev *dev)
{
	struct dmae_list *pos, *tmp;

	dmae_list_for_each_safe(pos, tmp, &dev->suppliers)
		link_free(dmae_container_of(pos, struct dmae_dev_link, consumer_node));
	dmae_list_for_each_safe(pos, tmp, &dev->consumers) {
		struct dmae_dev_link *l = dmae_container_of(pos, struct dmae_dev_link,
							    supplier_node);

		if (l->flags & DMAE_LINK_AUTOREMOVE_SUPPLIER) {
			link_free(l);
			continue;
		}
		/* dead: no effect any more, the consumer's handle still valid */
		dmae_list_del(&l->supplier_node);
		if (l->rpm_held)
			dmae_dev_pm_put_autosuspend(dev);
		l->rpm_held = false;
		l->supplier = NULL;
		dmae__dev_put_locked(dev);
	}
}

int dmae_dev_destroy(struct dmae_dev *dev)
{
	const char *busy;
	int ret;

	dmae_might_sleep();
	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_destroy: NULL device");
	if (dev->kind != DMAE_DEV_CONSUMER)
		return dmae_fail(EINVAL, "dmae_dev_destroy: %s is a provider's device", dev->name);
	ret = dmae__registry_enter("dmae_dev_destroy");
	if (ret)
		return ret;
	dmae__dev_lock();
	busy = dev_busy(dev);
	if (busy) {
		dmae__dev_unlock();
		dmae__registry_unlock();
		return dmae_fail(EBUSY, "dmae_dev_destroy: %s: %s", dev->name, busy);
	}
	dev_unlink_all(dev);
	dmae_list_del(&dev->node);
	dev_mark_gone(dev);
	dmae__dev_unlock();
	dmae__registry_unlock();
	dmae__pm_fini(dev);
	dmae__dev_lock();
	if (dev->parent)
		dmae__dev_put_locked(dev->parent);
	dmae__dev_put_locked(dev);
	dmae__dev_unlock();
	return 0;
}

const char *dmae_dev_name(const struct dmae_dev *dev)
{
	return dev ? dev->name : "(null)";
}

struct dmae_dev *dmae_dev_parent(const struct dmae_dev *dev)
{
	return dev ? dev->parent : NULL;
}

int dmae_dev_set_remove_cb(struct dmae_dev *dev, dmae_dev_remove_fn fn, void *arg)
{
	dmae_might_sleep();
	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_set_remove_cb: NULL device");
	dmae__dev_lock();
	dev->remove_fn = fn;
	dev->remove_arg = arg;
	dmae__dev_unlock();
	return 0;
}

int dmae_dev_set_pm_ops(struct dmae_dev *dev, const struct dmae_dev_pm_ops *ops, void *arg)
{
	dmae_might_sleep();
	if (!dev || dev->kind != DMAE_DEV_CONSUMER)
		return dmae_fail(EINVAL, "dmae_dev_set_pm_ops: %s", !dev ? "NULL device" :
				 "not a consumer device: its provider's ops rule it");
	dmae__dev_lock();
	dev->pm_ops = ops;
	dev->pm_arg = arg;
	dmae__dev_unlock();
	return 0;
}

/* ---- provider and channel devices ---------------------------------------------------- */

struct dmae_dev *dmae__dev_new(const char *name, enum dmae_dev_kind kind,
			       struct dmae_dev *parent)
{
	struct dmae_dev *dev = dev_alloc(name, kind, parent, DMAE_PM_ACTIVE, 0);

	if (!dev)
		return NULL;
	dmae__dev_lock();
	if (parent) {
		dmae__dev_get_locked(parent);
		/* active from the start, so it holds its parent active */
		dmae__pm_get_noresume(parent);
		dev->pm.holds_suppliers = true;
	}
	dmae_list_add_tail(&dev->node, &dmae__devs);
	dmae__dev_unlock();
	return dev;
}

void dmae__dev_remove(struct dmae_dev *dev)
{
	dmae__dev_lock();
	dev_unlink_all(dev);
	dmae_list_del(&dev->node);
	dev_mark_gone(dev);
	dmae__dev_unlock();
	dmae__pm_fini(dev);
	dmae__dev_lock();
	if (dev->parent)
		dmae__dev_put_locked(dev->parent);
	dmae__dev_put_locked(dev);
	dmae__dev_unlock();
}

/* ---- links --------------------------------------------------------------------------- */

/* Does dev depend on target, through parents and links?  dev_lock held. */
static bool depends_on(const struct dmae_dev *dev, const struct dmae_dev *target,
		       unsigned int depth)
{
	struct dmae_list *pos;

	if (dev == target)
		return true;
	if (depth > 64)
		return true;	/* deeper than any sane graph: refuse */
	if (dev->parent && depends_on(dev->parent, target, depth + 1))
		return true;
	dmae_list_for_each(pos, &dev->suppliers) {
		const struct dmae_dev_link *l =
			dmae_container_of(pos, struct dmae_dev_link, consumer_node);

		if (l->supplier && depends_on(l->supplier, target, depth + 1))
			return true;
	}
	return false;
}

static int link_check(struct dmae_dev *consumer, struct dmae_dev *supplier, unsigned int flags,
		      const void *out)
{
	static const char fn[] = "dmae_dev_link_add";

	if (!consumer || !supplier || !out)
		return dmae_fail(EINVAL, "%s: NULL %s", fn, !consumer ? "consumer" :
				 !supplier ? "supplier" : "out-pointer");
	if (flags & ~DMAE_LINK_FLAGS_ALL)
		return dmae_fail(EINVAL, "%s: unknown flags 0x%x", fn, flags & ~DMAE_LINK_FLAGS_ALL);
	if ((flags & DMAE_LINK_STATELESS) &&
	    (flags & (DMAE_LINK_AUTOREMOVE_CONSUMER | DMAE_LINK_AUTOREMOVE_SUPPLIER)))
		return dmae_fail(EINVAL, "%s: %s -> %s: a stateless link is the caller's to delete; "
				 "it cannot be removed automatically too", fn, consumer->name,
				 supplier->name);
	if ((flags & DMAE_LINK_RPM_ACTIVE) && !(flags & DMAE_LINK_PM_RUNTIME))
		return dmae_fail(EINVAL, "%s: %s -> %s: RPM_ACTIVE without PM_RUNTIME", fn,
				 consumer->name, supplier->name);
	if (consumer == supplier)
		return dmae_fail(EINVAL, "%s: %s linked to itself", fn, consumer->name);
	return 0;
}

/* Make the checked link (dev_lock held): 0, -EEXIST or -EINVAL (cycle, gone). */
static int link_insert(struct dmae_dev_link *l)
{
	static const char fn[] = "dmae_dev_link_add";
	struct dmae_dev *c = l->consumer, *s = l->supplier;
	struct dmae_list *pos;

	if (c->gone || s->gone)
		return dmae_fail(EINVAL, "%s: %s is gone", fn, c->gone ? c->name : s->name);
	dmae_list_for_each(pos, &c->suppliers) {
		if (dmae_container_of(pos, struct dmae_dev_link, consumer_node)->supplier == s)
			return dmae_fail(EEXIST, "%s: %s -> %s exists", fn, c->name, s->name);
	}
	if (depends_on(s, c, 0))
		return dmae_fail(EINVAL, "%s: %s -> %s would close a cycle: %s depends on %s", fn,
				 c->name, s->name, s->name, c->name);
	dmae_list_add_tail(&l->consumer_node, &c->suppliers);
	dmae_list_add_tail(&l->supplier_node, &s->consumers);
	dmae__dev_get_locked(c);
	dmae__dev_get_locked(s);
	return 0;
}

int dmae_dev_link_add(struct dmae_dev *consumer, struct dmae_dev *supplier, unsigned int flags,
		      struct dmae_dev_link **out)
{
	struct dmae_dev_link *l;
	int ret;

	dmae_might_sleep();
	ret = link_check(consumer, supplier, flags, out);
	if (ret)
		return ret;
	if ((flags & DMAE_LINK_RPM_ACTIVE)) {
		ret = dmae_dev_pm_get_sync(supplier);
		if (ret)
			return ret;
	}
	l = dmae__zalloc(sizeof(*l));
	if (!l) {
		ret = -ENOMEM;
		goto undo;
	}
	l->consumer = consumer;
	l->supplier = supplier;
	l->flags = flags;
	dmae__dev_lock();
	ret = link_insert(l);
	/* the supplier count RPM_ACTIVE took is the link's from now on */
	l->rpm_held = !ret && (flags & DMAE_LINK_RPM_ACTIVE);
	dmae__dev_unlock();
	if (!ret) {
		*out = l;
		return 0;
	}
	dmae__free(l);
undo:
	if (flags & DMAE_LINK_RPM_ACTIVE)
		dmae_dev_pm_put_autosuspend(supplier);
	return ret;
}

int dmae_dev_link_del(struct dmae_dev_link *l)
{
	dmae_might_sleep();
	if (!l)
		return dmae_fail(EINVAL, "dmae_dev_link_del: NULL link");
	dmae__dev_lock();
	link_free(l);
	dmae__dev_unlock();
	return 0;
}

/* ---- enumeration ---------------------------------------------------------------------- */

int dmae_dev_list(struct dmae_dev_info *info, unsigned int max)
{
	struct dmae_list *pos;
	unsigned int n = 0;

	dmae_might_sleep();
	if (!info && max)
		return dmae_fail(EINVAL, "dmae_dev_list: NULL info with max %u", max);
	dmae__dev_lock();
	dmae_list_for_each(pos, &dmae__devs) {
		struct dmae_dev *dev = dmae_container_of(pos, struct dmae_dev, node);

		if (n < max) {
			memset(&info[n], 0, sizeof(info[n]));
			snprintf(info[n].name, sizeof(info[n].name), "%s", dev->name);
			if (dev->parent)
				snprintf(info[n].parent, sizeof(info[n].parent), "%s",
					 dev->parent->name);
			info[n].kind = dev->kind;
			dmae_dev_pm_info_get(dev, &info[n].pm);
		}
		n++;
	}
	dmae__dev_unlock();
	return (int)n;
}

int dmae_dev_link_list(struct dmae_dev_link_info *info, unsigned int max)
{
	struct dmae_list *pos, *lp;
	unsigned int n = 0;

	dmae_might_sleep();
	if (!info && max)
		return dmae_fail(EINVAL, "dmae_dev_link_list: NULL info with max %u", max);
	dmae__dev_lock();
	dmae_list_for_each(pos, &dmae__devs) {
		struct dmae_dev *dev = dmae_container_of(pos, struct dmae_dev, node);

		dmae_list_for_each(lp, &dev->suppliers) {
			const struct dmae_dev_link *l =
				dmae_container_of(lp, struct dmae_dev_link, consumer_node);

			if (!l->supplier)
				continue;
			if (n < max) {
				memset(&info[n], 0, sizeof(info[n]));
				snprintf(info[n].consumer, sizeof(info[n].consumer), "%s",
					 dev->name);
				snprintf(info[n].supplier, sizeof(info[n].supplier), "%s",
					 l->supplier->name);
				info[n].flags = l->flags;
				info[n].rpm_held = l->rpm_held;
			}
			n++;
		}
	}
	dmae__dev_unlock();
	return (int)n;
}
