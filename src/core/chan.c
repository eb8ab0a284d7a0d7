/* SPDX-License-Identifier: MIT */
/*
 * The client API on a held channel: prep, submit, issue, status, control.
 *
 * Every entry point validates its arguments and the channel state, logs
 * what is wrong and returns a negative errno before any provider op is
 * called.  prep/submit/issue/status/terminate_async never sleep and never
 * allocate: descriptors come from the channel's pool and the only lock is
 * the vchan spinlock.
 */
#include <string.h>

#include "core/dev.h"


int dmae__chan_refuse(const struct dmae_chan *chan, const char *fn)
{
	if (atomic_load(&chan->state) == DMAE_CHAN_REVOKED)
		return dmae_fail(ENODEV, "%s: %s is revoked: its provider was removed; release it",
				 fn, chan->name);
	return dmae_fail(EBADF, "%s: %s is not requested", fn, chan->name);
}

/* ---- runtime PM --------------------------------------------------------------- */

/* dmae__chan_hw_get() (core.h) for task-context ops (chan_alloc, chan_free): resume if needed. */
static bool chan_hw_get_sync(struct dmae_chan *chan)
{
	return !chan->pm || !dmae_dev_pm_get_sync(chan->dev);
}

/*
 * Work came to chan: hold its device active until the channel is idle
 * again (dmae__vchan_pm_idle).  If it is not active yet, issued work waits
 * (pm_wait) until dmae__chan_pm_resumed() starts it.  vc->lock held.
 */
static void chan_pm_busy(struct dmae_chan *chan)
{
	if (chan->pm_busy)
		return;
	chan->pm_busy = true;
	if (dmae_dev_pm_get(chan->dev) != 1) {
		chan->pm_wait = true;
		chan->pm_wait_ns = dmae_time_ns();
		dmae_os_work_queue_after(&chan->pm_watchdog, DMAE_PM_RESUME_TIMEOUT_NS);
	}
}

void dmae__chan_pm_resumed(struct dmae_chan *chan, int err)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_irqflags_t f;

	if (err) {
		dmae__vchan_power_fail(vc, false);
		return;
	}
	dmae__vchan_lock(vc, &f);
	if (chan->pm_wait) {
		chan->pm_wait = false;
		if (dmae__chan_live(chan) && !vc->paused && dmae_vchan_has_issued(vc))
			chan->provider->ops->issue_pending(chan);
	}
	dmae__vchan_unlock(vc, f);
}

/*
 * After a terminate or a revocation: wait until the hardware is quiet
 * (unless unpowered: then it is) and no callback runs, and finish what was
 * terminated.  Task context.
 */
static void chan_quiesce(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	if (dmae__chan_hw_get(chan)) {
		chan->provider->ops->synchronize(chan);
		dmae__chan_hw_put(chan);
	}
	if (chan->provider->irq)
		dmae_irq_synchronize(chan->provider->irq);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_free_terminated(vc);
}

/* ---- open / close (registry lock held, task context) --------------------- */

/* Scramble the first cookie so cookies of different channels differ. */
static dmae_cookie_t first_cookie_for(const struct dmae_chan *chan)
{
	static atomic_uint seq;
	uint32_t x = (atomic_fetch_add(&seq, 1) + 1) * 0x9e3779b1u ^
		     (chan->provider->id * 0x85ebca6bu + chan->index * 0xc2b2ae35u);

	return (dmae_cookie_t)(2 + (x & 0x3fffffffu));
}

int dmae__chan_open(struct dmae_chan *chan, const struct dmae_chan_opts *opts)
{
	struct dmae_provider *p = chan->provider;
	uint32_t n;
	int ret;

	chan->opts = opts ? *opts : (struct dmae_chan_opts){ 0 };
	n = chan->opts.pool_size ? chan->opts.pool_size : p->default_pool_size;
	ret = dmae__pool_create(chan, n);
	if (ret)
		return ret;
	if (p->ops->chan_alloc) {
		bool powered = chan_hw_get_sync(chan);

		ret = powered ? p->ops->chan_alloc(chan) : -EIO;
		if (powered)
			dmae__chan_hw_put(chan);
		if (ret) {
			dmae__pool_retire(chan);
			return ret;
		}
	}
	chan->first_cookie = first_cookie_for(chan);
	atomic_store(&chan->cookie, chan->first_cookie - 1);
	atomic_store(&chan->cookie_wrapped, false);
	atomic_store(&chan->completed_cookie, chan->first_cookie - 1);
	chan->err_lo = 0;
	chan->err_hi = 0;
	chan->last_done_ns = 0;
	memset(&chan->slave_cfg, 0, sizeof(chan->slave_cfg));
	atomic_store(&chan->st_submitted, 0);
	atomic_store(&chan->st_completed, 0);
	atomic_store(&chan->st_errors, 0);
	atomic_store(&chan->st_terminated, 0);
	atomic_store(&chan->st_bytes, 0);
	return 0;
}

/*
 * Close a revoked channel as terminate_sync does, but without the driver,
 * which let go of it at revocation.  First the callbacks still owed run:
 * the aborts the task work made of what a lock-free submitter queued late
 * (issue_refuse) have theirs pending on the runners.  What is queued and
 * was never issued is then dropped, as a release drops it.
 */
static void chan_close_revoked(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_cookie_t newest;
	dmae_irqflags_t f;

	dmae_work_flush(&vc->task_work);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_lock(vc, &f);
	dmae__vchan_collect_terminated(vc, &newest);
	dmae__vchan_unlock(vc, f);
	dmae_chan_bh_kill(chan);
	dmae_work_flush(&vc->task_work);
	dmae__vchan_free_terminated(vc);
}

/* The driver's chan_free, on a powered channel. */
static void chan_free_powered(struct dmae_chan *chan)
{
	bool powered = chan_hw_get_sync(chan);

	if (!powered)
		dmae_warn("%s: cannot resume it to free it: chan_free runs on it unpowered",
			  chan->name);
	chan->provider->ops->chan_free(chan);
	if (powered)
		dmae__chan_hw_put(chan);
}

void dmae__chan_close(struct dmae_chan *chan)
{
	bool revoked = atomic_load(&chan->state) == DMAE_CHAN_REVOKED;

	if (revoked)
		chan_close_revoked(chan);
	else
		dmae_chan_terminate_sync(chan);
	dmae__fp_release(chan);
	dmae_work_cancel_sync(&chan->pm_watchdog);
	if (!revoked && chan->provider->ops->chan_free)
		chan_free_powered(chan);
	dmae__pool_retire(chan);
}

void dmae__chan_revoke(struct dmae_chan *chan)
{
	const struct dmae_provider_ops *ops = chan->provider->ops;
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	dmae__vchan_revoke(vc);
	dmae_work_cancel_sync(&chan->pm_watchdog);
	chan_quiesce(chan);
	if (ops->chan_free)
		chan_free_powered(chan);
}

int dmae__chan_set_cookie(struct dmae_chan *chan, dmae_cookie_t value)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);
	dmae_irqflags_t f;
	int ret = 0;

	if (value < DMAE_COOKIE_MIN)
		return -EINVAL;
	dmae__vchan_lock(vc, &f);
	if (atomic_load_explicit(&chan->cookie, memory_order_relaxed) !=
	    atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed)) {
		ret = -EBUSY;
	} else {
		atomic_store_explicit(&chan->cookie, value, memory_order_relaxed);
		atomic_store_explicit(&chan->cookie_wrapped, false, memory_order_relaxed);
		atomic_store_explicit(&chan->completed_cookie, value, memory_order_relaxed);
		chan->first_cookie = dmae__cookie_next(value);
	}
	dmae__vchan_unlock(vc, f);
	return ret;
}

/* ---- descriptors ---------------------------------------------------------------- */

/* Are chan's descriptors its holder's (held, revoked or not)? */
static bool chan_holds_descs(const struct dmae_chan *chan)
{
	return atomic_load_explicit(&chan->state, memory_order_acquire) != DMAE_CHAN_FREE;
}

static int desc_check_prepared(struct dmae_desc *d, const char *fn)
{
	if (!d)
		return dmae_fail(EINVAL, "%s: NULL descriptor", fn);
	if (!chan_holds_descs(d->chan))
		return dmae__chan_refuse(d->chan, fn);
	if (d->state != DMAE_DESC_PREPARED)
		return dmae_fail(EBUSY, "%s: descriptor is %s, not prepared", fn,
				 dmae_desc_state_to_string(d->state));
	return 0;
}

int dmae_desc_set_callback(struct dmae_desc *d, dmae_callback_fn fn, void *arg,
			   enum dmae_cb_ctx ctx)
{
	int ret = desc_check_prepared(d, "dmae_desc_set_callback");

	if (ret)
		return ret;
	if (ctx != DMAE_CB_BH && ctx != DMAE_CB_HARDIRQ && ctx != DMAE_CB_TASK)
		return dmae_fail(EINVAL, "dmae_desc_set_callback: unknown context %d", (int)ctx);
	if (fn && !(d->flags & DMAE_PREP_INTERRUPT))
		return dmae_fail(EINVAL, "dmae_desc_set_callback: %s: descriptor was prepared "
				 "without DMAE_PREP_INTERRUPT; its callback could never run",
				 d->chan->name);
	d->cb = fn;
	d->cb_arg = arg;
	d->cb_ctx = ctx;
	return 0;
}

int dmae_desc_set_completion(struct dmae_desc *d, struct dmae_completion *comp,
			     struct dmae_result *res)
{
	int ret = desc_check_prepared(d, "dmae_desc_set_completion");

	if (ret)
		return ret;
	if (!comp)
		return dmae_fail(EINVAL, "dmae_desc_set_completion: NULL completion");
	if (!(d->flags & DMAE_PREP_INTERRUPT))
		return dmae_fail(EINVAL, "dmae_desc_set_completion: %s: descriptor was prepared "
				 "without DMAE_PREP_INTERRUPT", d->chan->name);
	d->comp = comp;
	d->comp_res = res;
	return 0;
}

/* Why d cannot be submitted; the caller found it not PREPARED. */
static dmae_cookie_t submit_refuse(struct dmae_desc *d, enum dmae_desc_state s)
{
	bool busy = s == DMAE_DESC_SUBMITTED || s == DMAE_DESC_ACTIVE;

	return dmae_fail(busy ? EBUSY : EBADF,
			 "dmae_desc_submit: %s: descriptor is %s, not prepared%s",
			 d->chan->name, dmae_desc_state_to_string(s),
			 busy ? " (submitted twice?)" : "");
}

dmae_cookie_t dmae_desc_submit(struct dmae_desc *d)
{
	struct dmae_chan *chan;
	struct dmae_vchan *vc;
	enum dmae_desc_state s;
	dmae_irqflags_t f;
	dmae_cookie_t cookie;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_submit: NULL descriptor");
	chan = d->chan;
	if (!dmae__chan_live(chan))
		return dmae__chan_refuse(chan, "dmae_desc_submit");
	vc = dmae_to_vchan(chan);
	if (chan->opts.flags & DMAE_CHAN_OPT_ONE_SUBMITTER) {
		/*
		 * The caller is the only one queueing: no lock (dmae/dmae.h).
		 * A revocation racing with this is cleaned up by the next
		 * issue_pending (which aborts it) or by the release.
		 */
		if (d->state != DMAE_DESC_PREPARED)
			return submit_refuse(d, d->state);
		return dmae__vchan_queue_add(vc, d);
	}
	dmae__vchan_lock(vc, &f);
	s = d->state;
	cookie = s == DMAE_DESC_PREPARED && dmae__chan_live(chan) ? dmae__vchan_queue_add(vc, d) : 0;
	dmae__vchan_unlock(vc, f);
	if (s == DMAE_DESC_PREPARED && !cookie)
		return dmae__chan_refuse(chan, "dmae_desc_submit");
	return cookie ? cookie : submit_refuse(d, s);
}

int dmae_desc_free(struct dmae_desc *d)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret = 0;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_free: NULL descriptor");
	if (!chan_holds_descs(d->chan))
		return dmae__chan_refuse(d->chan, "dmae_desc_free");
	vc = dmae_to_vchan(d->chan);
	dmae__vchan_lock(vc, &f);
	if (d->state == DMAE_DESC_PREPARED || d->state == DMAE_DESC_DONE)
		dmae__pool_put(d);
	else
		ret = d->state == DMAE_DESC_FREE ? -EALREADY : -EBUSY;
	dmae__vchan_unlock(vc, f);
	if (ret)
		dmae_err("dmae_desc_free: %s: descriptor is %s", d->chan->name,
			 dmae_desc_state_to_string(d->state));
	return ret;
}

int dmae_desc_ack(struct dmae_desc *d)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret = 0;

	if (!d)
		return dmae_fail(EINVAL, "dmae_desc_ack: NULL descriptor");
	if (!chan_holds_descs(d->chan))
		return dmae_fail(EBADF, "dmae_desc_ack: %s is not requested", d->chan->name);
	vc = dmae_to_vchan(d->chan);
	dmae__vchan_lock(vc, &f);
	if ((d->flags & DMAE_PREP_ACK) || d->state == DMAE_DESC_FREE) {
		ret = -EALREADY;
	} else {
		d->flags |= DMAE_PREP_ACK;
		if (d->state == DMAE_DESC_DONE)
			dmae__pool_put(d);
	}
	dmae__vchan_unlock(vc, f);
	if (ret)
		dmae_err("dmae_desc_ack: %s: descriptor already acknowledged", d->chan->name);
	return ret;
}

/* ---- running ------------------------------------------------------------------------ */

static enum dmae_irqreturn chan_poll_fn(void *arg)
{
	struct dmae_chan *chan = arg;

	return chan->provider->ops->poll(chan);
}

/*
 * Collect chan's finished work on this thread: the provider's poll op if
 * it has one (only this channel's part of the handler), else the handler.
 * local: as an interrupt taken here (dmae_irq_poll_local), BHs included;
 * else as dmae_irq_poll(irq, wait).
 */
static void chan_poll(struct dmae_chan *chan, struct dmae_irq *irq, bool local, bool wait)
{
	dmae_irq_handler_fn fn = chan->provider->ops->poll ? chan_poll_fn : NULL;

	if (local)
		dmae__irq_poll_local_fn(irq, fn, chan);
	else
		dmae__irq_poll_fn(irq, wait, fn, chan);
}

/*
 * issue_pending on a channel that is not live.  On a revoked one, what a
 * lock-free submitter queued while it was revoked still completes, aborted:
 * the channel's task work does that (vchan_task_work), from any context.
 */
static int issue_refuse(struct dmae_chan *chan)
{
	struct dmae_vchan *vc = dmae_to_vchan(chan);

	if (atomic_load(&chan->state) == DMAE_CHAN_REVOKED &&
	    !dmae_os_work_is_pending(&vc->task_work))
		dmae_work_queue(&vc->task_work);
	return dmae__chan_refuse(chan, "dmae_chan_issue_pending");
}

int dmae_chan_issue_pending(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	bool poll, in_flight;
	int n;

	if (!chan)
		return dmae_fail(EINVAL, "dmae_chan_issue_pending: NULL channel");
	vc = dmae_to_vchan(chan);
	if (!dmae__chan_live(chan))
		return issue_refuse(chan);
	dmae__vchan_lock(vc, &f);
	if (!dmae__chan_live(chan)) {
		dmae__vchan_unlock(vc, f);
		return issue_refuse(chan);
	}
	in_flight = vc->q_issued != vc->q_head;	/* issued before this call */
	n = (int)dmae__vchan_issue(vc);
	if (chan->pm && dmae_vchan_has_issued(vc))
		chan_pm_busy(chan);
	/* pm_wait is on completion's line: read only where it can be set */
	if (!vc->paused && dmae_vchan_has_issued(vc) && !(chan->pm && chan->pm_wait))
		chan->provider->ops->issue_pending(chan);
	/*
	 * On hardware that lags the doorbell (issue_lags), only work issued
	 * before this call can have finished.  With runtime PM, a channel
	 * without work may be unclocked: no poll.
	 */
	poll = chan->provider->irq && (in_flight || !chan->provider->issue_lags) &&
	       (!chan->pm || (chan->pm_busy && !chan->pm_wait));
	dmae__vchan_unlock(vc, f);
	/* Completions follow the submitter: see dmae/dmae.h. */
	if (poll)
		chan_poll(chan, chan->provider->irq, true, false);
	return n;
}

int dmae_chan_status(struct dmae_chan *chan, dmae_cookie_t cookie,
		     struct dmae_tx_state *st)
{
	struct dmae_vchan *vc;
	struct dmae_irq *irq;
	enum dmae__cookie_class cls;
	struct dmae_desc *d;
	dmae_irqflags_t f;
	uint64_t residue = 0;
	int status;

	DMAE__CHECK_CHAN(chan, "dmae_chan_status");
	vc = dmae_to_vchan(chan);
	irq = chan->provider->irq;
	/* Polled mode: let the handler collect finished work first. */
	if (irq && dmae__cookie_maybe_pending(chan, cookie) && dmae__chan_hw_get(chan)) {
		chan_poll(chan, irq, false, !dmae_in_atomic());
		dmae__chan_hw_put(chan);
	}
	dmae__vchan_lock(vc, &f);
	cls = dmae__cookie_classify(chan, cookie);
	switch (cls) {
	case DMAE__COOKIE_INVALID:
		dmae__vchan_unlock(vc, f);
		return dmae_fail(EINVAL, "dmae_chan_status: %s: cookie %d was not issued by this channel",
				 chan->name, (int)cookie);
	case DMAE__COOKIE_DONE:
		status = chan->err_lo && dmae__cookie_in_range(cookie, chan->err_lo, chan->err_hi)
				 ? DMAE_ERROR : DMAE_COMPLETE;
		break;
	case DMAE__COOKIE_PENDING:
	default:
		status = vc->paused ? DMAE_PAUSED : DMAE_IN_PROGRESS;
		d = dmae__vchan_find(vc, cookie);
		if (d) {
			residue = d->len;
			if (d->state == DMAE_DESC_ACTIVE && chan->provider->ops->residue)
				residue = chan->provider->ops->residue(chan, d);
		}
		break;
	}
	if (st) {
		st->last = atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed);
		st->used = atomic_load_explicit(&chan->cookie, memory_order_relaxed);
		st->residue = residue;
		st->done_ns = chan->last_done_ns;
	}
	dmae__vchan_unlock(vc, f);
	return status;
}

/* ---- control -------------------------------------------------------------------------- */

int dmae_chan_terminate_async(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;
	dmae_cookie_t newest;
	dmae_irqflags_t f;
	unsigned int n;

	DMAE__CHECK_CHAN(chan, "dmae_chan_terminate_async");
	vc = dmae_to_vchan(chan);	/* every provider terminates: registration checks */
	dmae__vchan_lock(vc, &f);
	if (dmae__chan_hw_get(chan)) {
		chan->provider->ops->terminate(chan);
		dmae__chan_hw_put(chan);
	}
	/*
	 * What was pending ends in error up to the newest descriptor taken
	 * off the channel, not up to chan->cookie: a one-submitter channel's
	 * submitter may be between assigning a cookie and queueing it.
	 */
	n = dmae__vchan_collect_terminated(vc, &newest);
	if (n) {
		chan->err_lo = dmae__cookie_next(atomic_load_explicit(&chan->completed_cookie,
								      memory_order_relaxed));
		chan->err_hi = newest;
		atomic_store_explicit(&chan->completed_cookie, newest, memory_order_relaxed);
	}
	vc->paused = false;
	dmae__stat_add(&chan->st_terminated, n);
	dmae__vchan_unlock(vc, f);
	return 0;
}

int dmae_chan_synchronize(struct dmae_chan *chan)
{
	struct dmae_vchan *vc;

	dmae_might_sleep();
	DMAE__CHECK_CHAN(chan, "dmae_chan_synchronize");
	/* Waiting here from atomic context could wait for ourselves: refuse
	 * even in builds without the checker. */
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "dmae_chan_synchronize: %s: called from %s context",
				 chan->name, dmae_ctx_describe());
	vc = dmae_to_vchan(chan);
	if (dmae_work_current() == &vc->task_work)
		return dmae_fail(EDEADLK, "dmae_chan_synchronize: %s: called from one of the "
				 "channel's own task callbacks", chan->name);
	chan_quiesce(chan);
	return 0;
}

int dmae_chan_terminate_sync(struct dmae_chan *chan)
{
	int ret;

	dmae_might_sleep();
	if (dmae_in_atomic())
		return dmae_fail(EPERM, "dmae_chan_terminate_sync: %s: called from %s context",
				 dmae_chan_name(chan), dmae_ctx_describe());
	ret = dmae_chan_terminate_async(chan);
	return ret ? ret : dmae_chan_synchronize(chan);
}

static int chan_pause_resume(struct dmae_chan *chan, bool pause, const char *fn)
{
	struct dmae_vchan *vc;
	dmae_irqflags_t f;
	int ret;

	DMAE__CHECK_CHAN(chan, fn);
	if (!chan->provider->caps.pause)
		return dmae_fail(EOPNOTSUPP, "%s: %s cannot pause", fn, chan->name);
	vc = dmae_to_vchan(chan);
	dmae__vchan_lock(vc, &f);
	if (vc->paused == pause) {
		ret = 0;
	} else if (!dmae__chan_hw_get(chan)) {
		/* unpowered, so nothing runs: the flag is all there is to change */
		vc->paused = pause;
		ret = 0;
	} else if (pause) {
		ret = chan->provider->ops->pause(chan);
		if (!ret)
			vc->paused = true;
		dmae__chan_hw_put(chan);
	} else {
		ret = chan->provider->ops->resume(chan);
		if (!ret) {
			vc->paused = false;
			if (dmae_vchan_has_issued(vc) && !chan->pm_wait)
				chan->provider->ops->issue_pending(chan);
		}
		dmae__chan_hw_put(chan);
	}
	dmae__vchan_unlock(vc, f);
	return ret;
}

int dmae_chan_pause(struct dmae_chan *chan)
{
	return chan_pause_resume(chan, true, "dmae_chan_pause");
}

int dmae_chan_resume(struct dmae_chan *chan)
{
	return chan_pause_resume(chan, false, "dmae_chan_resume");
}

int dmae_chan_stats_get(const struct dmae_chan *chan, struct dmae_chan_stats *st)
{
	if (!chan || !st)
		return dmae_fail(EINVAL, "dmae_chan_stats_get: NULL %s", !chan ? "channel" : "stats");
	st->submitted = atomic_load_explicit(&chan->st_submitted, memory_order_relaxed);
	st->completed = atomic_load_explicit(&chan->st_completed, memory_order_relaxed);
	st->errors = atomic_load_explicit(&chan->st_errors, memory_order_relaxed);
	st->terminated = atomic_load_explicit(&chan->st_terminated, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&chan->st_bytes, memory_order_relaxed);
	st->pool_size = chan->pool_size;
	st->pool_free = dmae__pool_free(chan);
	return 0;
}

struct dmae_dev *dmae_chan_dev(const struct dmae_chan *chan)
{
	return chan ? chan->dev : NULL;
}

const char *dmae_chan_name(const struct dmae_chan *chan)
{
	return chan ? chan->name : "(null)";
}

int dmae_chan_get_caps(const struct dmae_chan *chan, struct dmae_caps *caps)
{
	if (!chan || !caps)
		return dmae_fail(EINVAL, "dmae_chan_get_caps: NULL %s", !chan ? "channel" : "caps");
	*caps = chan->provider->caps;
	return 0;
}
