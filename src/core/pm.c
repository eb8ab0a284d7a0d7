/* SPDX-License-Identifier: MIT */
/*
 * Runtime power management of devices (the state machine is drawn in
 * dmae/dmae.h; docs/power.md says why it is built so).
 *
 * One thread at a time runs a device's transition (pm.runner): the
 * device's work item for asynchronous requests and autosuspend, or the
 * runner of a consumer or child resuming it inline, since a supplier
 * resumes before its consumer.  Transitions sleep (the ops may), so they
 * run in task context with no lock held; everyone else reads the state
 * under pm.lock, a spinlock, so that gets and puts work in any context.
 *
 * dmae_dev_pm_get_sync() hands the resume to the work item and waits at
 * most DMAE_PM_RESUME_TIMEOUT_NS: an op that hangs cannot hang its caller.
 */
#include "core/dev.h"

static struct dmae_dev *pm_dev(struct dmae__pm *pm)
{
	return dmae_container_of(pm, struct dmae_dev, pm);
}

static void pm_work_fn(struct dmae_work *w);
static void suppliers_put(struct dmae_dev *dev);

void dmae__pm_init(struct dmae__pm *pm, enum dmae_pm_state initial, uint64_t autosuspend_ns)
{
	dmae_spin_init(&pm->lock);
	pm->state = initial;
	pm->autosuspend_ns = autosuspend_ns;
	pm->suspended_since_ns = dmae_time_ns();
	atomic_init(&pm->settled, 0);
	dmae_work_init(&pm->work, pm_work_fn);
}

/*
 * dev is gone (no transition starts any more): wait for the one under way,
 * the work item's or a consumer's inline resume, so that nothing reads
 * dev's parent or provider after the caller lets them go.  Task context.
 */
void dmae__pm_fini(struct dmae_dev *dev)
{
	dmae_irqflags_t f;
	unsigned int seq;
	bool running;

	dmae_work_cancel_sync(&dev->pm.work);
	for (;;) {
		dmae_spin_lock_irqsave(&dev->pm.lock, &f);
		running = dev->pm.runner;
		seq = atomic_load(&dev->pm.settled);
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		if (!running)
			break;
		dmae_os_wait(&dev->pm.settled, seq, DMAE_PM_RESUME_TIMEOUT_NS);
	}
	/* a device that goes while in use lets go of its parent's count */
	suppliers_put(dev);
}

/* ---- the ops ------------------------------------------------------------------------ */

#define HAS_OP(ops, op) \
	((ops)->size >= offsetof(struct dmae_provider_ops, op) + sizeof((ops)->op) && (ops)->op)

/* Run dev's resume or suspend op; a device without one succeeds at once. */
static int pm_op(struct dmae_dev *dev, bool resume)
{
	const struct dmae_provider_ops *ops = dev->provider ? dev->provider->ops : NULL;
	const struct dmae_dev_pm_ops *cops;
	void *arg;

	switch (dev->kind) {
	case DMAE_DEV_CONSUMER:
		dmae__dev_lock();
		cops = dev->pm_ops;
		arg = dev->pm_arg;
		dmae__dev_unlock();
		if (!cops)
			return 0;
		if (resume)
			return cops->runtime_resume ? cops->runtime_resume(dev, arg) : 0;
		return cops->runtime_suspend ? cops->runtime_suspend(dev, arg) : 0;
	case DMAE_DEV_PROVIDER:
		if (resume)
			return HAS_OP(ops, runtime_resume) ? ops->runtime_resume(dev->provider) : 0;
		return HAS_OP(ops, runtime_suspend) ? ops->runtime_suspend(dev->provider) : 0;
	case DMAE_DEV_CHANNEL:
		if (resume)
			return HAS_OP(ops, chan_runtime_resume) ? ops->chan_runtime_resume(dev->chan)
								 : 0;
		return HAS_OP(ops, chan_runtime_suspend) ? ops->chan_runtime_suspend(dev->chan)
							  : 0;
	}
	return 0;
}

/* ---- suppliers ------------------------------------------------------------------------ */

static int pm_resume_inline(struct dmae_dev *dev);

#define SUPPLIER_BATCH 8

/*
 * Up to SUPPLIER_BATCH of dev's suppliers that it holds no count on yet
 * (its parent, its PM_RUNTIME links): mark them held, take the count and a
 * reference, store them in todo.  dev_lock held.  Returns how many.
 */
static unsigned int suppliers_take(struct dmae_dev *dev, struct dmae_dev **todo)
{
	struct dmae_list *pos;
	unsigned int n = 0, i;

	if (dev->parent && !dev->pm.holds_suppliers)
		todo[n++] = dev->parent;
	dev->pm.holds_suppliers = true;
	dmae_list_for_each(pos, &dev->suppliers) {
		struct dmae_dev_link *l = dmae_container_of(pos, struct dmae_dev_link,
							    consumer_node);

		if (n == SUPPLIER_BATCH)
			break;
		if (l->supplier && (l->flags & DMAE_LINK_PM_RUNTIME) && !l->rpm_held) {
			l->rpm_held = true;
			todo[n++] = l->supplier;
		}
	}
	for (i = 0; i < n; i++) {
		dmae__pm_get_noresume(todo[i]);
		dmae__dev_get_locked(todo[i]);
	}
	return n;
}

/*
 * Take a count on each of dev's suppliers and resume them, parents first.
 * dev's runner, task context, no lock held.  Allocates nothing: a resume
 * may come from any transfer.
 */
static int suppliers_get(struct dmae_dev *dev)
{
	struct dmae_dev *todo[SUPPLIER_BATCH];
	unsigned int n, i;
	int ret = 0;

	do {
		dmae__dev_lock();
		n = suppliers_take(dev, todo);
		dmae__dev_unlock();
		for (i = 0; i < n && !ret; i++)
			ret = pm_resume_inline(todo[i]);
		dmae__dev_lock();
		for (i = 0; i < n; i++)
			dmae__dev_put_locked(todo[i]);
		dmae__dev_unlock();
	} while (n == SUPPLIER_BATCH && !ret);
	return ret;
}

/* Drop the counts suppliers_get() took.  No lock held. */
static void suppliers_put(struct dmae_dev *dev)
{
	struct dmae_list *pos;

	dmae__dev_lock();
	if (dev->parent && dev->pm.holds_suppliers)
		dmae_dev_pm_put_autosuspend(dev->parent);
	dev->pm.holds_suppliers = false;
	dmae_list_for_each(pos, &dev->suppliers) {
		struct dmae_dev_link *l = dmae_container_of(pos, struct dmae_dev_link,
							    consumer_node);

		if (l->rpm_held)
			dmae_dev_pm_put_autosuspend(l->supplier);
		l->rpm_held = false;
	}
	dmae__dev_unlock();
}

/* ---- transitions ------------------------------------------------------------------------ */

static void pm_kick_locked(struct dmae_dev *dev, bool retry);

/*
 * End a transition: pm.lock held; it is dropped and waiters are woken.
 * What came meanwhile (a get while it suspended, a put while it resumed)
 * queues the next one.
 */
static void pm_settle(struct dmae_dev *dev, dmae_irqflags_t f)
{
	dev->pm.runner = false;
	pm_kick_locked(dev, false);
	atomic_fetch_add(&dev->pm.settled, 1);
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	dmae_os_wake(&dev->pm.settled, 1 << 30);
}

/*
 * Does the device change state?  A consumer always; a provider's devices
 * only if the provider has PM ops: the others stay ACTIVE, so that no
 * transfer of theirs pays for a resume that does nothing.
 */
static bool pm_enabled(const struct dmae_dev *dev)
{
	return dev->kind == DMAE_DEV_CONSUMER || dev->provider->pm;
}

/*
 * Queue the work item when the device has something to do.  pm.lock held.
 * A device in ERROR is resumed again only for a new get (retry), never in
 * a loop of its own.
 */
static void pm_kick_locked(struct dmae_dev *dev, bool retry)
{
	struct dmae__pm *pm = &dev->pm;

	if (dev->gone || pm->runner || !pm_enabled(dev))
		return;
	if (pm->usage > 0 &&
	    (pm->state == DMAE_PM_SUSPENDED || (retry && pm->state == DMAE_PM_ERROR)))
		dmae_work_queue(&pm->work);
	else if (!pm->usage && pm->state == DMAE_PM_ACTIVE && !pm->suspend_failed)
		dmae_os_work_queue_after(&pm->work, pm->autosuspend_ns);
}

/* One more user: a suspend refused earlier may be tried again once idle. */
static void pm_usage_inc(struct dmae__pm *pm)
{
	pm->usage++;
	pm->gets++;
	pm->suspend_failed = false;
}

/*
 * Resume dev: pm.lock held (flags f), state SUSPENDED or ERROR, no runner.
 * Returns with the lock dropped: 0 or the error that left dev in ERROR.
 */
static int pm_run_resume(struct dmae_dev *dev, dmae_irqflags_t f)
{
	struct dmae__pm *pm = &dev->pm;
	bool was_suspended = pm->state == DMAE_PM_SUSPENDED;
	int ret;

	pm->runner = true;
	pm->state = DMAE_PM_RESUMING;
	dmae_spin_unlock_irqrestore(&pm->lock, f);
	ret = suppliers_get(dev);
	if (!ret)
		ret = pm_op(dev, true);
	if (ret) {
		suppliers_put(dev);
		/* logged before waiters wake: what they return is explained */
		dmae_err("%s: runtime resume failed: %s", dev->name, dmae_strerror(ret));
	}
	dmae_spin_lock_irqsave(&pm->lock, &f);
	if (ret) {
		pm->state = DMAE_PM_ERROR;
		pm->resume_errors++;
		pm->last_error = ret;
	} else {
		pm->state = DMAE_PM_ACTIVE;
		pm->resumes++;
		pm->idle_since_ns = dmae_time_ns();
	}
	if (was_suspended)
		pm->suspended_total_ns += dmae_time_ns() - pm->suspended_since_ns;
	pm_settle(dev, f);
	if (dev->kind == DMAE_DEV_CHANNEL)
		dmae__chan_pm_resumed(dev->chan, ret);
	return ret;
}

/*
 * Suspend dev: pm.lock held, ACTIVE, unused, no runner.  Returns unlocked.
 * A get while the op runs finds a runner and waits for it: if the op
 * fails, the device is still ACTIVE and a channel's waiting transfers
 * start at once, as after a resume.
 */
static void pm_run_suspend(struct dmae_dev *dev, dmae_irqflags_t f)
{
	struct dmae__pm *pm = &dev->pm;
	unsigned int gets = pm->gets;
	int ret;

	pm->runner = true;
	pm->state = DMAE_PM_SUSPENDING;
	dmae_spin_unlock_irqrestore(&pm->lock, f);
	ret = pm_op(dev, false);
	if (!ret)
		suppliers_put(dev);
	else
		dmae_warn("%s: runtime suspend failed (%s): it stays active", dev->name,
			  dmae_strerror(ret));
	dmae_spin_lock_irqsave(&pm->lock, &f);
	if (ret) {
		pm->state = DMAE_PM_ACTIVE;
		pm->last_error = ret;
		pm->suspend_failed = pm->gets == gets;
		pm->idle_since_ns = dmae_time_ns();
	} else {
		pm->state = DMAE_PM_SUSPENDED;
		pm->suspends++;
		pm->suspended_since_ns = dmae_time_ns();
	}
	pm_settle(dev, f);
	if (ret && dev->kind == DMAE_DEV_CHANNEL)
		dmae__chan_pm_resumed(dev->chan, 0);
}

/* Sleep until dev's transition settles or deadline passes.  -ETIMEDOUT or 0. */
static int pm_wait_settled(struct dmae_dev *dev, unsigned int seq, uint64_t deadline)
{
	uint64_t now = dmae_time_ns();

	if (now >= deadline)
		return -ETIMEDOUT;
	dmae_os_wait(&dev->pm.settled, seq, deadline - now);
	return 0;
}

/*
 * Make dev ACTIVE on this thread (a supplier of the caller's device, on
 * which the caller holds a count).  Task context, no lock held.
 */
static int pm_resume_inline(struct dmae_dev *dev)
{
	uint64_t deadline = dmae_time_ns() + DMAE_PM_RESUME_TIMEOUT_NS;
	dmae_irqflags_t f;
	unsigned int seq;

	for (;;) {
		dmae_spin_lock_irqsave(&dev->pm.lock, &f);
		/* gone: it is nobody's supplier any more, and its parent may be too */
		if ((dev->pm.state == DMAE_PM_ACTIVE && !dev->pm.runner) || dev->gone) {
			dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
			return 0;
		}
		if (!dev->pm.runner)	/* SUSPENDED or ERROR: transitions have runners */
			return pm_run_resume(dev, f);
		seq = atomic_load(&dev->pm.settled);
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		if (pm_wait_settled(dev, seq, deadline))
			return dmae_fail(ETIMEDOUT, "%s: resume did not finish in time", dev->name);
	}
}

static void pm_work_fn(struct dmae_work *w)
{
	struct dmae__pm *pm = dmae_container_of(w, struct dmae__pm, work);
	struct dmae_dev *dev = pm_dev(pm);
	uint64_t now = dmae_time_ns(), due;
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&pm->lock, &f);
	if (pm->runner || dev->gone || !pm_enabled(dev)) {
		dmae_spin_unlock_irqrestore(&pm->lock, f);
		return;
	}
	if (pm->usage > 0 && (pm->state == DMAE_PM_SUSPENDED || pm->state == DMAE_PM_ERROR)) {
		pm_run_resume(dev, f);
		return;
	}
	if (!pm->usage && pm->state == DMAE_PM_ACTIVE && !pm->suspend_failed) {
		due = pm->autosuspend_ns > UINT64_MAX - pm->idle_since_ns
			      ? UINT64_MAX	/* never */
			      : pm->idle_since_ns + pm->autosuspend_ns;
		if (now >= due) {
			pm_run_suspend(dev, f);
			return;
		}
		dmae_os_work_queue_after(&pm->work, due - now);
	}
	dmae_spin_unlock_irqrestore(&pm->lock, f);
}

/* ---- the API --------------------------------------------------------------------------- */

void dmae__pm_get_noresume(struct dmae_dev *dev)
{
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	pm_usage_inc(&dev->pm);
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
}

int dmae_dev_pm_get(struct dmae_dev *dev)
{
	dmae_irqflags_t f;
	int ret;

	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_pm_get: NULL device");
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	if (dev->gone) {
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		return dmae_fail(ENODEV, "dmae_dev_pm_get: %s is gone", dev->name);
	}
	pm_usage_inc(&dev->pm);
	ret = dev->pm.state == DMAE_PM_ACTIVE && !dev->pm.runner;
	if (!ret)
		pm_kick_locked(dev, true);
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	return ret;
}

int dmae_dev_pm_get_if_active(struct dmae_dev *dev)
{
	dmae_irqflags_t f;
	int ret;

	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_pm_get_if_active: NULL device");
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	ret = dev->pm.state == DMAE_PM_ACTIVE && !dev->pm.runner && !dev->gone;
	if (ret)
		pm_usage_inc(&dev->pm);
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	return ret;
}

static int pm_put(struct dmae_dev *dev, bool autosuspend, const char *fn)
{
	dmae_irqflags_t f;

	if (!dev)
		return dmae_fail(EINVAL, "%s: NULL device", fn);
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	if (dev->pm.usage <= 0) {
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		return dmae_fail(EINVAL, "%s: %s: more puts than gets", fn, dev->name);
	}
	if (--dev->pm.usage == 0) {
		dev->pm.idle_since_ns = dmae_time_ns();
		if (!autosuspend)
			dev->pm.idle_since_ns -= dev->pm.autosuspend_ns;
		if (!autosuspend && dev->pm.state == DMAE_PM_ACTIVE && !dev->pm.runner &&
		    pm_enabled(dev))
			dmae_work_queue(&dev->pm.work);
		else
			pm_kick_locked(dev, false);
	}
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	return 0;
}

int dmae_dev_pm_put(struct dmae_dev *dev)
{
	return pm_put(dev, false, "dmae_dev_pm_put");
}

int dmae_dev_pm_put_autosuspend(struct dmae_dev *dev)
{
	return pm_put(dev, true, "dmae_dev_pm_put_autosuspend");
}

/* get_sync's wait: the resume it queued, or any after it, settled. */
static int get_sync_wait(struct dmae_dev *dev, uint64_t resumes0, uint64_t errors0)
{
	uint64_t deadline = dmae_time_ns() + DMAE_PM_RESUME_TIMEOUT_NS;
	dmae_irqflags_t f;
	unsigned int seq;
	int ret;

	for (;;) {
		dmae_spin_lock_irqsave(&dev->pm.lock, &f);
		if (dev->pm.state == DMAE_PM_ACTIVE && !dev->pm.runner) {
			dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
			return 0;
		}
		if (dev->pm.state == DMAE_PM_ERROR && !dev->pm.runner &&
		    (dev->pm.resume_errors != errors0 || dev->pm.resumes != resumes0)) {
			ret = dev->pm.last_error ? dev->pm.last_error : -EIO;
			dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
			return ret;
		}
		seq = atomic_load(&dev->pm.settled);
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		if (pm_wait_settled(dev, seq, deadline))
			return dmae_fail(ETIMEDOUT, "dmae_dev_pm_get_sync: %s: no resume within "
					 "%llu ms", dev->name,
					 (unsigned long long)(DMAE_PM_RESUME_TIMEOUT_NS / 1000000));
	}
}

int dmae_dev_pm_get_sync(struct dmae_dev *dev)
{
	uint64_t resumes0, errors0;
	dmae_irqflags_t f;
	int ret;

	dmae_might_sleep();
	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_pm_get_sync: NULL device");
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "dmae_dev_pm_get_sync: %s: called from %s context; use "
				 "dmae_dev_pm_get()", dev->name, dmae_ctx_describe());
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	if (dev->gone) {
		dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
		return dmae_fail(ENODEV, "dmae_dev_pm_get_sync: %s is gone", dev->name);
	}
	pm_usage_inc(&dev->pm);
	resumes0 = dev->pm.resumes;
	errors0 = dev->pm.resume_errors;
	if (dev->pm.state != DMAE_PM_ACTIVE || dev->pm.runner)
		pm_kick_locked(dev, true);
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	ret = get_sync_wait(dev, resumes0, errors0);
	if (ret)
		pm_put(dev, true, "dmae_dev_pm_get_sync");
	return ret;
}

int dmae_dev_pm_set_autosuspend_delay(struct dmae_dev *dev, uint64_t ns)
{
	dmae_irqflags_t f;

	if (!dev)
		return dmae_fail(EINVAL, "dmae_dev_pm_set_autosuspend_delay: NULL device");
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	dev->pm.autosuspend_ns = ns;
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	return 0;
}

int dmae_dev_pm_info_get(const struct dmae_dev *cdev, struct dmae_dev_pm_info *info)
{
	struct dmae_dev *dev = (struct dmae_dev *)cdev;
	dmae_irqflags_t f;

	if (!dev || !info)
		return dmae_fail(EINVAL, "dmae_dev_pm_info_get: NULL %s", !dev ? "device" : "info");
	dmae_spin_lock_irqsave(&dev->pm.lock, &f);
	info->state = dev->pm.state;
	info->usage = dev->pm.usage;
	info->autosuspend_ns = dev->pm.autosuspend_ns;
	info->suspended_ns = dev->pm.suspended_total_ns;
	if (dev->pm.state == DMAE_PM_SUSPENDED)
		info->suspended_ns += dmae_time_ns() - dev->pm.suspended_since_ns;
	info->resumes = dev->pm.resumes;
	info->suspends = dev->pm.suspends;
	info->resume_errors = dev->pm.resume_errors;
	info->last_error = dev->pm.last_error;
	dmae_spin_unlock_irqrestore(&dev->pm.lock, f);
	return 0;
}
