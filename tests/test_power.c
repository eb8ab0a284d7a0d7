/* SPDX-License-Identifier: MIT */
/*
 * tests/test_power.c - devices, device links and runtime PM.
 *
 * Consumer devices with ops that record what ran, and "pmdma", the fake
 * provider of tests/harness/memdma.h with runtime PM ops for its
 * controller and each channel.  Its "registers" are unclocked while the
 * controller or the channel is suspended: an op that touches them then
 * counts a gated access, which must never happen because the core drives
 * PM.  Waits poll the state with a generous timeout: no timing is
 * asserted.
 */
#include <pthread.h>
#include <string.h>

#include <dmae/provider.h>

#include "memdma.h"
#include "test.h"

#define WAIT_NS (120ull * 1000000000ull)
#define PM_CHANS 2

/* ---- consumer devices that record their transitions ------------------------------ */

struct rec {
	char log[256];		/* "+name" resume, "-name" suspend, in order */
	atomic_int fail_resumes;	/* resumes still to fail */
	atomic_int fail_suspends;	/* suspends still to fail */
	atomic_uint suspend_calls;
	struct dmae_completion *_Atomic suspend_block;	/* a suspend waits for it */
	struct dmae_completion *block;	/* a resume waits for it */
};

static struct rec rec;
static dmae_spinlock_t rec_lock;

static void rec_add(char sign, struct dmae_dev *dev)
{
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&rec_lock, &f);
	snprintf(rec.log + strlen(rec.log), sizeof(rec.log) - strlen(rec.log), "%c%s ", sign,
		 dmae_dev_name(dev));
	dmae_spin_unlock_irqrestore(&rec_lock, f);
}

static int rec_resume(struct dmae_dev *dev, void *arg)
{
	(void)arg;
	if (rec.block)
		dmae_completion_wait(rec.block);
	if (atomic_load(&rec.fail_resumes) > 0) {
		atomic_fetch_sub(&rec.fail_resumes, 1);
		return -EIO;
	}
	rec_add('+', dev);
	return 0;
}

static int rec_suspend(struct dmae_dev *dev, void *arg)
{
	struct dmae_completion *block = atomic_load(&rec.suspend_block);

	(void)arg;
	if (block)
		dmae_completion_wait(block);
	atomic_fetch_add(&rec.suspend_calls, 1);
	if (atomic_load(&rec.fail_suspends) > 0) {
		atomic_fetch_sub(&rec.fail_suspends, 1);
		return -EBUSY;
	}
	rec_add('-', dev);
	return 0;
}

static const struct dmae_dev_pm_ops rec_ops = { rec_suspend, rec_resume };

static void rec_reset(void)
{
	memset(&rec, 0, sizeof(rec));
	dmae_spin_init(&rec_lock);
}

static enum dmae_pm_state pm_state(struct dmae_dev *dev)
{
	struct dmae_dev_pm_info i;

	ASSERT_OK(dmae_dev_pm_info_get(dev, &i));
	return i.state;
}

/* Wait (polling) until dev is in state s; fails after WAIT_NS. */
static void wait_state(struct dmae_dev *dev, enum dmae_pm_state s)
{
	uint64_t end = test_now_ns() + WAIT_NS;

	while (pm_state(dev) != s) {
		if (test_now_ns() > end)
			TEST_FAIL("%s: still %s, want %s", dmae_dev_name(dev),
				  dmae_pm_state_to_string(pm_state(dev)), dmae_pm_state_to_string(s));
		test_sleep_ms(1);
	}
}

static struct dmae_dev *rec_dev(const char *name, struct dmae_dev *parent)
{
	struct dmae_dev *d;

	ASSERT_OK(dmae_dev_create_child(name, parent, &d));
	ASSERT_OK(dmae_dev_set_pm_ops(d, &rec_ops, NULL));
	ASSERT_OK(dmae_dev_pm_set_autosuspend_delay(d, 0));
	return d;
}

DMAE_TEST(pm_get_put_and_states)
{
	struct dmae_dev_pm_info i;
	struct dmae_dev *d;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-a", NULL);
	ASSERT_EQ(pm_state(d), DMAE_PM_SUSPENDED);	/* not known to be active */
	ASSERT_EQ(dmae_dev_pm_get_if_active(d), 0);
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	ASSERT_EQ(pm_state(d), DMAE_PM_ACTIVE);
	ASSERT_EQ(dmae_dev_pm_get_if_active(d), 1);
	ASSERT_EQ(dmae_dev_pm_get(d), 1);
	ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	ASSERT_EQ(i.usage, 3);
	ASSERT_OK(dmae_dev_pm_put(d));
	ASSERT_OK(dmae_dev_pm_put(d));
	ASSERT_EQ(pm_state(d), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_STR_EQ(rec.log, "+pm-a -pm-a ");
	ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	ASSERT_EQ(i.resumes, 1);
	ASSERT_EQ(i.suspends, 1);

	/* errors */
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_pm_put(d), -EINVAL);
	ASSERT_LOGGED("more puts than gets");
	ASSERT_ERR(dmae_dev_pm_get(NULL), -EINVAL);
	ASSERT_ERR(dmae_dev_pm_get_sync(NULL), -EINVAL);
	ASSERT_ERR(dmae_dev_pm_put_autosuspend(NULL), -EINVAL);
	ASSERT_ERR(dmae_dev_pm_info_get(d, NULL), -EINVAL);
	ASSERT_ERR(dmae_dev_pm_get_if_active(NULL), -EINVAL);
	ASSERT_LOGGED("NULL device");
	ASSERT_ERR(dmae_dev_pm_set_autosuspend_delay(NULL, 0), -EINVAL);
	ASSERT_ERR(dmae_dev_set_pm_ops(NULL, &rec_ops, NULL), -EINVAL);
	ASSERT_ERR(dmae_dev_set_remove_cb(NULL, NULL, NULL), -EINVAL);
	test_log_capture_stop();
	ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	ASSERT_EQ(i.usage, 0);
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

/*
 * A suspend that fails leaves the device active, with the error on record
 * and one log line, and is not retried in a loop: the device stays active
 * until its next get and put, which suspend it.  (Checked after a pause:
 * a retrying loop would have called the op many times by then; a correct
 * core calls it once however long the pause.)
 */
DMAE_TEST(pm_suspend_fails_once)
{
	struct dmae_dev_pm_info i;
	struct dmae_dev *d;
	uint64_t end;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-f", NULL);
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	atomic_store(&rec.fail_suspends, 1000);
	test_log_capture_start();
	ASSERT_OK(dmae_dev_pm_put(d));
	end = test_now_ns() + WAIT_NS;
	do {
		ASSERT_LT(test_now_ns(), end);
		test_sleep_ms(1);
		ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	} while (!i.last_error || i.state != DMAE_PM_ACTIVE);
	ASSERT_EQ(i.last_error, -EBUSY);
	test_sleep_ms(50);
	ASSERT_EQ(atomic_load(&rec.suspend_calls), 1);
	ASSERT_EQ(test_log_count("runtime suspend failed"), 1);
	ASSERT_EQ(pm_state(d), DMAE_PM_ACTIVE);
	test_log_capture_stop();

	atomic_store(&rec.fail_suspends, 0);
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_STR_EQ(rec.log, "+pm-f -pm-f ");
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

/*
 * A get that comes while a suspend fails counts as use: once the device
 * is idle again the suspend is tried again, and this time it succeeds.
 */
DMAE_TEST(pm_get_during_a_failing_suspend_retries)
{
	struct dmae_completion gate;
	struct dmae_dev *d;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-g", NULL);
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	dmae_completion_init(&gate);
	atomic_store(&rec.suspend_block, &gate);
	atomic_store(&rec.fail_suspends, 1);
	test_log_capture_start();
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDING);
	ASSERT_EQ(dmae_dev_pm_get(d), 0);	/* the suspend is under way */
	ASSERT_OK(dmae_dev_pm_put(d));
	atomic_store(&rec.suspend_block, NULL);
	dmae_completion_done(&gate);
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_LOGGED("runtime suspend failed");
	test_log_capture_stop();
	ASSERT_EQ(atomic_load(&rec.suspend_calls), 2);
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

/*
 * A child destroyed while it is active lets go of its parent: the parent,
 * unused, suspends.
 */
DMAE_TEST(destroying_an_active_child_lets_the_parent_suspend)
{
	struct dmae_dev_pm_info i;
	struct dmae_dev *p, *c;

	ASSERT_OK(dmae_init());
	rec_reset();
	p = rec_dev("pm-parent", NULL);
	c = rec_dev("pm-child", p);
	ASSERT_OK(dmae_dev_pm_set_autosuspend_delay(c, UINT64_C(3600) * 1000000000u));
	ASSERT_OK(dmae_dev_pm_get_sync(c));
	ASSERT_EQ(pm_state(p), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put_autosuspend(c));
	ASSERT_EQ(pm_state(c), DMAE_PM_ACTIVE);	/* an hour to go */
	ASSERT_OK(dmae_dev_destroy(c));
	wait_state(p, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_pm_info_get(p, &i));
	ASSERT_EQ(i.usage, 0);
	ASSERT_OK(dmae_dev_destroy(p));
	dmae_exit();
}

/*
 * An autosuspend delay as long as it can be means never: the delay does
 * not wrap around into "at once".  (Checked after a pause: a device that
 * suspended at once would have by then.)
 */
DMAE_TEST(pm_longest_autosuspend_delay_never_expires)
{
	struct dmae_dev *d;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-never", NULL);
	ASSERT_OK(dmae_dev_pm_set_autosuspend_delay(d, UINT64_MAX));
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	ASSERT_OK(dmae_dev_pm_put_autosuspend(d));
	test_sleep_ms(50);
	ASSERT_EQ(pm_state(d), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_set_autosuspend_delay(d, 0));
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

static atomic_int sleep_reports;

static void count_report(const struct dmae_sleep_report *r)
{
	(void)r;
	atomic_fetch_add(&sleep_reports, 1);
}

DMAE_TEST(pm_get_sync_refused_in_atomic_context)
{
	dmae_sleep_report_fn old;
	dmae_spinlock_t l;
	dmae_irqflags_t f;
	struct dmae_dev *d;
	int ret;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-atomic", NULL);
	dmae_spin_init(&l);
	old = dmae_sleep_report_set_hook(count_report);
	test_log_capture_start();
	dmae_spin_lock_irqsave(&l, &f);
	ret = dmae_dev_pm_get_sync(d);
	dmae_spin_unlock_irqrestore(&l, f);
	test_log_capture_stop();
	dmae_sleep_report_set_hook(old);
	ASSERT_EQ(ret, -EPERM);
	if (dmae_debug_enabled())
		ASSERT_EQ(atomic_load(&sleep_reports), 1);
	/* the asynchronous get is the one for atomic context */
	dmae_spin_lock_irqsave(&l, &f);
	ret = dmae_dev_pm_get(d);
	dmae_spin_unlock_irqrestore(&l, f);
	ASSERT_EQ(ret, 0);
	wait_state(d, DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

DMAE_TEST(pm_parent_resumes_first_suspends_last)
{
	struct dmae_dev *parent, *child;

	ASSERT_OK(dmae_init());
	rec_reset();
	parent = rec_dev("pm-p", NULL);
	child = rec_dev("pm-c", parent);
	ASSERT_PTR_EQ(dmae_dev_parent(child), parent);
	ASSERT_OK(dmae_dev_pm_get_sync(child));
	ASSERT_EQ(pm_state(parent), DMAE_PM_ACTIVE);
	ASSERT_STR_EQ(rec.log, "+pm-p +pm-c ");
	ASSERT_OK(dmae_dev_pm_put(child));
	wait_state(parent, DMAE_PM_SUSPENDED);
	ASSERT_STR_EQ(rec.log, "+pm-p +pm-c -pm-c -pm-p ");
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_destroy(parent), -EBUSY);	/* it has a child */
	ASSERT_LOGGED("parent of another device");
	test_log_capture_stop();
	ASSERT_OK(dmae_dev_destroy(child));
	ASSERT_OK(dmae_dev_destroy(parent));
	dmae_exit();
}

/* A resume that fails once, then succeeds: ERROR, no count kept, then ACTIVE. */
DMAE_TEST(pm_resume_fails_once)
{
	struct dmae_dev_pm_info i;
	struct dmae_dev *d;

	ASSERT_OK(dmae_init());
	rec_reset();
	d = rec_dev("pm-fail", NULL);
	atomic_store(&rec.fail_resumes, 1);
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_pm_get_sync(d), -EIO);
	ASSERT_LOGGED("runtime resume failed");
	test_log_capture_stop();
	ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	ASSERT_EQ(i.state, DMAE_PM_ERROR);
	ASSERT_EQ(i.usage, 0);
	ASSERT_EQ(i.resume_errors, 1);
	ASSERT_OK(dmae_dev_pm_get_sync(d));
	ASSERT_EQ(pm_state(d), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put(d));
	wait_state(d, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

/* A resume that does not finish in DMAE_PM_RESUME_TIMEOUT_NS: -ETIMEDOUT, no hang. */
DMAE_TEST(pm_resume_times_out)
{
	struct dmae_completion gate;
	struct dmae_dev_pm_info i;
	struct dmae_dev *d;

	ASSERT_OK(dmae_init());
	rec_reset();
	dmae_completion_init(&gate);
	rec.block = &gate;
	d = rec_dev("pm-slow", NULL);
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_pm_get_sync(d), -ETIMEDOUT);
	ASSERT_LOGGED("no resume within");
	test_log_capture_stop();
	ASSERT_OK(dmae_dev_pm_info_get(d, &i));
	ASSERT_EQ(i.usage, 0);
	ASSERT_EQ(i.state, DMAE_PM_RESUMING);
	dmae_completion_done(&gate);
	/* the resume finishes late; unused, the device then suspends again */
	wait_state(d, DMAE_PM_SUSPENDED);
	rec.block = NULL;
	ASSERT_OK(dmae_dev_destroy(d));
	dmae_exit();
}

/* ---- links ---------------------------------------------------------------------------- */

DMAE_TEST(link_flag_matrix)
{
	static const unsigned int bad[] = {
		DMAE_LINK_STATELESS | DMAE_LINK_AUTOREMOVE_CONSUMER,
		DMAE_LINK_STATELESS | DMAE_LINK_AUTOREMOVE_SUPPLIER,
		DMAE_LINK_STATELESS | DMAE_LINK_AUTOREMOVE_CONSUMER | DMAE_LINK_PM_RUNTIME,
		DMAE_LINK_RPM_ACTIVE,
		DMAE_LINK_FLAGS_ALL + 1,
	};
	static const unsigned int good[] = {
		0,
		DMAE_LINK_PM_RUNTIME,
		DMAE_LINK_PM_RUNTIME | DMAE_LINK_RPM_ACTIVE,
		DMAE_LINK_AUTOREMOVE_CONSUMER,
		DMAE_LINK_AUTOREMOVE_SUPPLIER,
		DMAE_LINK_AUTOREMOVE_CONSUMER | DMAE_LINK_AUTOREMOVE_SUPPLIER,
		DMAE_LINK_STATELESS,
		DMAE_LINK_STATELESS | DMAE_LINK_PM_RUNTIME,
	};
	struct dmae_dev *a, *b, *child;
	struct dmae_dev_link *l = NULL, *l2;
	unsigned int i;

	ASSERT_OK(dmae_init());
	rec_reset();
	a = rec_dev("link-a", NULL);
	b = rec_dev("link-b", NULL);
	child = rec_dev("link-child", a);
	test_log_capture_start();
	for (i = 0; i < TEST_ARRAY_SIZE(bad); i++)
		ASSERT_ERR(dmae_dev_link_add(a, b, bad[i], &l), -EINVAL);
	ASSERT_LOGGED("stateless link");
	ASSERT_LOGGED("RPM_ACTIVE without PM_RUNTIME");
	ASSERT_LOGGED("unknown flags");
	ASSERT_ERR(dmae_dev_link_add(a, a, 0, &l), -EINVAL);
	ASSERT_LOGGED("linked to itself");
	ASSERT_ERR(dmae_dev_link_add(NULL, a, 0, &l), -EINVAL);
	ASSERT_ERR(dmae_dev_link_add(a, b, 0, NULL), -EINVAL);
	/* a parent cannot use its child: the child depends on it */
	ASSERT_ERR(dmae_dev_link_add(a, child, 0, &l), -EINVAL);
	ASSERT_LOGGED("would close a cycle");
	ASSERT_NULL(l);
	test_log_capture_stop();

	for (i = 0; i < TEST_ARRAY_SIZE(good); i++) {
		ASSERT_OK(dmae_dev_link_add(a, b, good[i], &l));
		test_log_capture_start();
		ASSERT_ERR(dmae_dev_link_add(a, b, good[i], &l2), -EEXIST);
		/* b -> a closes a cycle */
		ASSERT_ERR(dmae_dev_link_add(b, a, 0, &l2), -EINVAL);
		/* and so does one through a's child */
		ASSERT_ERR(dmae_dev_link_add(b, child, 0, &l2), -EINVAL);
		test_log_capture_stop();
		ASSERT_OK(dmae_dev_link_del(l));
	}
	ASSERT_ERR(dmae_dev_link_del(NULL), -EINVAL);

	/* a stateless link is the caller's: the consumer cannot go before it */
	ASSERT_OK(dmae_dev_link_add(b, a, DMAE_LINK_STATELESS, &l));
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_destroy(b), -EBUSY);
	ASSERT_LOGGED("stateless link");
	test_log_capture_stop();
	ASSERT_OK(dmae_dev_link_del(l));
	/* a managed one goes with it */
	ASSERT_OK(dmae_dev_link_add(b, a, DMAE_LINK_AUTOREMOVE_CONSUMER, &l));
	ASSERT_OK(dmae_dev_destroy(b));
	ASSERT_OK(dmae_dev_destroy(child));
	ASSERT_OK(dmae_dev_destroy(a));
	dmae_exit();
}

/*
 * A supplier destroyed while consumers link to it: its AUTOREMOVE_SUPPLIER
 * link goes with it, any other stays as a dead handle that its consumer
 * deletes, and a consumer whose link held the supplier active goes on
 * without it.
 */
DMAE_TEST(supplier_destroyed_under_its_links)
{
	struct dmae_dev_link *gone, *kept;
	struct dmae_dev *s, *c1, *c2;

	ASSERT_OK(dmae_init());
	rec_reset();
	s = rec_dev("sup", NULL);
	c1 = rec_dev("con-1", NULL);
	c2 = rec_dev("con-2", NULL);
	ASSERT_OK(dmae_dev_link_add(c1, s, DMAE_LINK_AUTOREMOVE_SUPPLIER, &gone));
	ASSERT_OK(dmae_dev_pm_get_sync(c2));
	ASSERT_OK(dmae_dev_link_add(c2, s, DMAE_LINK_PM_RUNTIME | DMAE_LINK_RPM_ACTIVE, &kept));
	ASSERT_EQ(pm_state(s), DMAE_PM_ACTIVE);
	ASSERT_EQ(dmae_dev_link_list(NULL, 0), 2);

	ASSERT_OK(dmae_dev_destroy(s));
	ASSERT_EQ(dmae_dev_link_list(NULL, 0), 0);
	ASSERT_EQ(pm_state(c2), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put(c2));
	wait_state(c2, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_pm_get_sync(c2));	/* no supplier to resume any more */
	ASSERT_OK(dmae_dev_pm_put(c2));
	ASSERT_OK(dmae_dev_link_del(kept));
	ASSERT_OK(dmae_dev_destroy(c1));
	ASSERT_OK(dmae_dev_destroy(c2));
	dmae_exit();
}

/* PM_RUNTIME: the supplier resumes before its consumer and suspends after it. */
DMAE_TEST(link_pm_follows_consumer)
{
	struct dmae_dev *cons, *sup;
	struct dmae_dev_link *l;

	ASSERT_OK(dmae_init());
	rec_reset();
	cons = rec_dev("pm-cons", NULL);
	sup = rec_dev("pm-sup", NULL);
	ASSERT_OK(dmae_dev_link_add(cons, sup, DMAE_LINK_PM_RUNTIME, &l));
	ASSERT_EQ(pm_state(sup), DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_pm_get_sync(cons));
	ASSERT_EQ(pm_state(sup), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_pm_put(cons));
	wait_state(sup, DMAE_PM_SUSPENDED);
	ASSERT_STR_EQ(rec.log, "+pm-sup +pm-cons -pm-cons -pm-sup ");
	ASSERT_OK(dmae_dev_link_del(l));

	/* RPM_ACTIVE: the supplier is resumed at creation and held by the link */
	rec_reset();
	ASSERT_OK(dmae_dev_link_add(cons, sup, DMAE_LINK_PM_RUNTIME | DMAE_LINK_RPM_ACTIVE, &l));
	ASSERT_EQ(pm_state(sup), DMAE_PM_ACTIVE);
	ASSERT_OK(dmae_dev_link_del(l));
	wait_state(sup, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_destroy(cons));
	ASSERT_OK(dmae_dev_destroy(sup));
	dmae_exit();
}

/* ---- pmdma: channel PM driven by the core ---------------------------------------------- */

/* memdma's channels, with registers that are unclocked while suspended */
struct pmdma {
	struct memdma md;		/* first: memdma frees the whole */
	atomic_bool ctrl_on;
	atomic_bool chan_on[PM_CHANS];
	atomic_uint regs;		/* register accesses */
	atomic_uint gated;		/* ... of them while unclocked */
	atomic_int fail_chan_resume;	/* channel resumes still to fail */
	atomic_int fail_chan_suspend;	/* channel suspends still to fail */
	struct dmae_completion *_Atomic chan_suspend_block;	/* a suspend waits */
	struct dmae_completion *_Atomic chan_resume_block;	/* a resume waits */
	atomic_uint resumes, suspends;
};

static struct pmdma *pm_of(struct dmae_chan *chan)
{
	return dmae_container_of(memdma_of(chan), struct pmdma, md);
}

/* memdma's hook: an access to chan's registers. */
static void pm_reg(struct memdma *md, struct dmae_chan *chan)
{
	struct pmdma *m = dmae_container_of(md, struct pmdma, md);

	atomic_fetch_add(&m->regs, 1);
	if (!atomic_load(&m->ctrl_on) || !atomic_load(&m->chan_on[chan->index]))
		atomic_fetch_add(&m->gated, 1);
}

static int pm_ctrl_suspend(struct dmae_provider *p)
{
	struct pmdma *m = dmae_container_of(p, struct pmdma, md.p);
	unsigned int i;

	for (i = 0; i < PM_CHANS; i++) {
		if (atomic_load(&m->chan_on[i]))
			atomic_fetch_add(&m->gated, 1);	/* a child still on: wrong order */
	}
	atomic_store(&m->ctrl_on, false);
	return 0;
}

static int pm_ctrl_resume(struct dmae_provider *p)
{
	atomic_store(&dmae_container_of(p, struct pmdma, md.p)->ctrl_on, true);
	return 0;
}

static int pm_chan_suspend(struct dmae_chan *chan)
{
	struct pmdma *m = pm_of(chan);
	struct dmae_completion *block = atomic_load(&m->chan_suspend_block);

	if (block)
		dmae_completion_wait(block);
	if (atomic_load(&m->fail_chan_suspend) > 0) {
		atomic_fetch_sub(&m->fail_chan_suspend, 1);
		return -EBUSY;
	}
	atomic_store(&pm_of(chan)->chan_on[chan->index], false);
	atomic_fetch_add(&pm_of(chan)->suspends, 1);
	return 0;
}

static int pm_chan_resume(struct dmae_chan *chan)
{
	struct pmdma *m = pm_of(chan);
	struct dmae_completion *block = atomic_load(&m->chan_resume_block);

	if (block)
		dmae_completion_wait(block);
	if (!atomic_load(&m->ctrl_on))
		atomic_fetch_add(&m->gated, 1);		/* the parent must come first */
	if (atomic_load(&m->fail_chan_resume) > 0) {
		atomic_fetch_sub(&m->fail_chan_resume, 1);
		return -EIO;
	}
	atomic_store(&m->chan_on[chan->index], true);
	atomic_fetch_add(&m->resumes, 1);
	return 0;
}

static const struct dmae_provider_ops pm_ops = {
	MEMDMA_OPS_INIT,
	.runtime_suspend = pm_ctrl_suspend,
	.runtime_resume = pm_ctrl_resume,
	.chan_runtime_suspend = pm_chan_suspend,
	.chan_runtime_resume = pm_chan_resume,
};

static struct pmdma *pmdma_up(void)
{
	struct memdma *md = memdma_alloc(sizeof(struct pmdma), "pmdma", PM_CHANS, &pm_ops);
	struct pmdma *m = dmae_container_of(md, struct pmdma, md);
	unsigned int i;

	m->md.reg = pm_reg;
	m->md.p.autosuspend_ns = 1;	/* suspend as soon as idle */
	atomic_store(&m->ctrl_on, true);
	for (i = 0; i < PM_CHANS; i++)
		atomic_store(&m->chan_on[i], true);
	memdma_register(&m->md);
	return m;
}

/* The fixture, pmdma, and a pmdma channel for env's consumer, once idle (suspended). */
static struct dmae_chan *pm_idle_chan(struct test_env *env, struct pmdma **m)
{
	struct dmae_chan *c;

	test_swdma_setup(env, NULL);
	*m = pmdma_up();
	c = memdma_chan(env, "pmdma");
	wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDED);
	return c;
}

/* One memcpy on c; returns its result code. */
static enum dmae_result_code pm_copy(struct dmae_chan *c, unsigned char *dst,
				     const unsigned char *src, size_t len)
{
	struct dmae_completion done;
	struct dmae_result res;
	struct dmae_desc *d;

	dmae_completion_init(&done);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), len,
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_GE(dmae_chan_issue_pending(c), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&done, WAIT_NS));
	return res.code;
}

/*
 * A channel with no work suspends (the controller after it); work resumes
 * it (the controller first) without the client doing anything, and no
 * register is touched unclocked.
 */
DMAE_TEST(chan_suspends_when_idle_and_resumes_for_work)
{
	static unsigned char src[512], dst[512];
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;
	int round;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	c = memdma_chan(&env, "pmdma");
	for (round = 0; round < 3; round++) {
		wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDED);
		wait_state(m->md.p.dev, DMAE_PM_SUSPENDED);
		test_fill_pattern(src, sizeof(src), (uint8_t)round);
		ASSERT_EQ(pm_copy(c, dst, src, sizeof(src)), DMAE_RESULT_OK);
		ASSERT_PATTERN(dst, sizeof(dst), (uint8_t)round);
	}
	wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDED);
	ASSERT_GE(atomic_load(&m->resumes), 3);
	ASSERT_GE(atomic_load(&m->regs), 2 * 3);	/* issue and the handler, per copy */
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

/* The check above can fail: a register access on a suspended channel counts. */
DMAE_TEST(unclocked_access_is_counted)
{
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;

	c = pm_idle_chan(&env, &m);
	pm_reg(&m->md, c);
	ASSERT_EQ(atomic_load(&m->gated), 1);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

/* A runtime-active consumer keeps its channel powered through the request's link. */
DMAE_TEST(active_consumer_keeps_chan_powered)
{
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	ASSERT_OK(dmae_dev_pm_get_sync(env.dev));
	c = memdma_chan(&env, "pmdma");
	ASSERT_EQ(pm_state(dmae_chan_dev(c)), DMAE_PM_ACTIVE);	/* RPM_ACTIVE link */
	ASSERT_OK(dmae_dev_pm_put(env.dev));
	wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDED);
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

/* A failed channel resume fails the transfers waiting for it; the next one works. */
DMAE_TEST(chan_resume_failure_fails_waiting_transfers)
{
	static unsigned char src[64], dst[64];
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;

	c = pm_idle_chan(&env, &m);
	atomic_store(&m->fail_chan_resume, 1);
	test_log_capture_start();
	ASSERT_EQ(pm_copy(c, dst, src, sizeof(src)), DMAE_RESULT_POWER_FAILED);
	ASSERT_LOGGED("runtime resume failed");
	test_log_capture_stop();
	ASSERT_EQ(pm_state(dmae_chan_dev(c)), DMAE_PM_ERROR);
	test_fill_pattern(src, sizeof(src), 9);
	ASSERT_EQ(pm_copy(c, dst, src, sizeof(src)), DMAE_RESULT_OK);
	ASSERT_PATTERN(dst, sizeof(dst), 9);
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

struct irq_issue {
	struct dmae_chan *target;
	unsigned char src[128], dst[128];
	struct dmae_completion done;
	struct dmae_result res;
	int prep, issue;
	struct dmae_completion cb_done;	/* the callback returned */
};

/*
 * A transfer issued while its channel's suspend runs waits for it; when
 * the suspend fails, the channel is still powered and the transfer runs
 * at once, not when the resume watchdog gives up.
 */
DMAE_TEST(transfer_during_a_failing_chan_suspend_runs)
{
	static unsigned char src[256], dst[256];
	struct dmae_completion gate, done;
	struct dmae_result res;
	struct test_env env;
	struct dmae_chan *c;
	struct dmae_desc *d;
	struct pmdma *m;
	unsigned int i;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	c = memdma_chan(&env, "pmdma");
	for (i = 0; i < PM_CHANS; i++)		/* only c's next suspend meets the gate */
		wait_state(m->md.vc[i].chan.dev, DMAE_PM_SUSPENDED);
	dmae_completion_init(&gate);
	atomic_store(&m->chan_suspend_block, &gate);
	atomic_store(&m->fail_chan_suspend, 1);
	test_fill_pattern(src, sizeof(src), 31);
	ASSERT_EQ(pm_copy(c, dst, src, sizeof(src)), DMAE_RESULT_OK);
	wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDING);	/* idle: its suspend waits */

	test_fill_pattern(src, sizeof(src), 32);
	dmae_completion_init(&done);
	ASSERT_OK(dmae_chan_prep_memcpy(c, dmae_addr_of(dst), dmae_addr_of(src), sizeof(src),
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_completion(d, &done, &res));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_GE(dmae_chan_issue_pending(c), 0);
	test_log_capture_start();
	atomic_store(&m->chan_suspend_block, NULL);
	dmae_completion_done(&gate);
	ASSERT_OK(dmae_completion_wait_timeout(&done, WAIT_NS));
	ASSERT_LOGGED("runtime suspend failed");
	ASSERT_NOT_LOGGED("not resumed within");
	test_log_capture_stop();
	ASSERT_EQ(res.code, DMAE_RESULT_OK);
	ASSERT_PATTERN(dst, sizeof(dst), 32);
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

/* A request on its own thread; and a remove callback that releases. */
struct racing_request {
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	int ret;
};

static void *request_thread(void *arg)
{
	struct racing_request *r = arg;

	r->ret = dmae_chan_request_caps(r->dev, DMAE_CAP_MEMCPY, memdma_filter, "pmdma", NULL,
					&r->chan);
	return NULL;
}

static void *unregister_thread(void *arg)
{
	ASSERT_OK(dmae_provider_unregister(arg));
	return NULL;
}

static void release_on_remove(struct dmae_dev *dev, struct dmae_chan *chan, void *arg)
{
	(void)dev;
	(void)arg;
	ASSERT_OK(dmae_chan_release(chan));
}

/*
 * The provider goes while a request is still linking its consumer to the
 * channel (the link resumes the channel, and the resume is held back),
 * and the consumer's remove callback releases that channel: the release
 * waits for the request to finish with the channel, the request succeeds,
 * and the provider is freed only after both (ASan would see it otherwise).
 */
DMAE_TEST(removal_during_a_request_waits_for_it)
{
	struct racing_request r = { 0 };
	struct dmae_completion gate;
	pthread_t req, unreg;
	struct test_env env;
	struct pmdma *m;
	unsigned int i;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	for (i = 0; i < PM_CHANS; i++)
		wait_state(m->md.vc[i].chan.dev, DMAE_PM_SUSPENDED);
	ASSERT_OK(dmae_dev_create("racer", &r.dev));
	ASSERT_OK(dmae_dev_set_remove_cb(r.dev, release_on_remove, NULL));
	ASSERT_OK(dmae_dev_pm_get_sync(r.dev));		/* active: the link resumes */
	dmae_completion_init(&gate);
	atomic_store(&m->chan_resume_block, &gate);
	ASSERT_EQ(pthread_create(&req, NULL, request_thread, &r), 0);
	wait_state(m->md.vc[0].chan.dev, DMAE_PM_RESUMING);	/* the request is linking */
	ASSERT_EQ(pthread_create(&unreg, NULL, unregister_thread, &m->md.p), 0);
	test_sleep_ms(20);	/* let the removal reach the callback's release */
	atomic_store(&m->chan_resume_block, NULL);
	dmae_completion_done(&gate);
	ASSERT_EQ(pthread_join(req, NULL), 0);
	ASSERT_EQ(pthread_join(unreg, NULL), 0);
	ASSERT_OK(r.ret);	/* its channel is gone now, released by the callback */
	ASSERT_OK(dmae_dev_pm_put(r.dev));
	ASSERT_OK(dmae_dev_destroy(r.dev));
	test_swdma_teardown(&env);
}

/*
 * A provider removed while a held channel of it is suspended: revoking
 * the channel touches none of its unclocked registers (it is idle).
 */
DMAE_TEST(revoking_a_suspended_chan_touches_no_register)
{
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;

	c = pm_idle_chan(&env, &m);
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(c));	/* the provider goes with it */
	test_swdma_teardown(&env);
}

/* A hard-IRQ callback starting work on a suspended channel. */
static void issue_from_hardirq(void *arg, const struct dmae_result *r)
{
	struct irq_issue *x = arg;
	struct dmae_desc *d;

	(void)r;
	x->prep = dmae_chan_prep_memcpy(x->target, dmae_addr_of(x->dst), dmae_addr_of(x->src),
					sizeof(x->src), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d);
	if (!x->prep) {
		dmae_desc_set_completion(d, &x->done, &x->res);
		dmae_desc_submit(d);
		x->issue = dmae_chan_issue_pending(x->target);
	}
	dmae_completion_done(&x->cb_done);
}

DMAE_TEST(issue_from_hardirq_on_suspended_chan)
{
	static unsigned char src[64], dst[64];
	static struct irq_issue x;
	struct test_env env;
	struct dmae_chan *c, *sw;
	struct dmae_desc *d;
	struct pmdma *m;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	c = memdma_chan(&env, "pmdma");
	sw = test_chan_memcpy(&env, 0);
	wait_state(dmae_chan_dev(c), DMAE_PM_SUSPENDED);
	memset(&x, 0, sizeof(x));
	x.target = c;
	test_fill_pattern(x.src, sizeof(x.src), 21);
	dmae_completion_init(&x.done);
	dmae_completion_init(&x.cb_done);
	ASSERT_OK(dmae_chan_prep_memcpy(sw, dmae_addr_of(dst), dmae_addr_of(src), sizeof(src),
					DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &d));
	ASSERT_OK(dmae_desc_set_callback(d, issue_from_hardirq, &x, DMAE_CB_HARDIRQ));
	ASSERT_GT(dmae_desc_submit(d), 0);
	ASSERT_GE(dmae_chan_issue_pending(sw), 0);
	ASSERT_OK(dmae_completion_wait_timeout(&x.cb_done, WAIT_NS));
	ASSERT_OK(x.prep);
	ASSERT_OK(dmae_completion_wait_timeout(&x.done, WAIT_NS));
	ASSERT_EQ(x.issue, 1);
	ASSERT_EQ(x.res.code, DMAE_RESULT_OK);
	ASSERT_PATTERN(x.dst, sizeof(x.dst), 21);
	ASSERT_EQ(atomic_load(&m->gated), 0);
	ASSERT_OK(dmae_chan_release(sw));
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}

/* The device tree and the links as dmae info shows them. */
DMAE_TEST(dev_and_link_lists)
{
	struct dmae_dev_info di[64];
	struct dmae_dev_link_info li[16];
	struct test_env env;
	struct dmae_chan *c;
	struct pmdma *m;
	int n, i, found = 0;

	test_swdma_setup(&env, NULL);
	m = pmdma_up();
	c = memdma_chan(&env, "pmdma");
	n = dmae_dev_list(di, 64);
	ASSERT_GT(n, 0);
	ASSERT_LE(n, 64);
	for (i = 0; i < n; i++) {
		if (!strcmp(di[i].name, dmae_chan_name(c))) {
			ASSERT_EQ(di[i].kind, DMAE_DEV_CHANNEL);
			ASSERT_STR_EQ(di[i].parent, "pmdma");
			found++;
		}
		if (!strcmp(di[i].name, TEST_CONSUMER)) {
			ASSERT_EQ(di[i].kind, DMAE_DEV_CONSUMER);
			found++;
		}
	}
	ASSERT_EQ(found, 2);
	n = dmae_dev_link_list(li, 16);
	ASSERT_EQ(n, 1);	/* the request's link */
	ASSERT_STR_EQ(li[0].consumer, TEST_CONSUMER);
	ASSERT_STR_EQ(li[0].supplier, dmae_chan_name(c));
	ASSERT_TRUE(li[0].flags & DMAE_LINK_PM_RUNTIME);
	test_log_capture_start();
	ASSERT_ERR(dmae_dev_list(NULL, 1), -EINVAL);
	ASSERT_ERR(dmae_dev_link_list(NULL, 1), -EINVAL);
	test_log_capture_stop();
	ASSERT_STR_EQ(dmae_dev_kind_to_string(DMAE_DEV_PROVIDER), "provider");
	ASSERT_OK(dmae_chan_release(c));
	ASSERT_EQ(dmae_dev_link_list(NULL, 0), 0);	/* released: the link went */
	ASSERT_OK(dmae_provider_unregister(&m->md.p));
	test_swdma_teardown(&env);
}
