/* SPDX-License-Identifier: MIT */
/*
 * core/dev.h - devices, device links and runtime PM.  Internal.
 *
 * Three kinds of device share one structure: consumer devices (clients
 * create them), one device per provider and one per channel, a child of
 * its provider's (both created by dmae_provider_register()).
 *
 * Locks, outermost first: the registry lock; dev_lock (dmae__dev_lock():
 * the device list, parents, links and each link's rpm_held); a device's
 * pm.lock (a spinlock: any context).  A PM runner sleeps with none held.
 */
#ifndef DMAE_CORE_DEV_H
#define DMAE_CORE_DEV_H

#include "core/core.h"

/*
 * Runtime PM of one device.  Each field is protected by lock.
 *
 * While a device is not SUSPENDED (nor ERROR) it holds one usage count on
 * each of its suppliers: its parent, and the supplier of each link with
 * DMAE_LINK_PM_RUNTIME.  So a parent resumes before its children and
 * suspends after them, and a supplier follows its consumers.
 */
struct dmae__pm {
	dmae_spinlock_t lock;
	enum dmae_pm_state state;
	int usage;			/* gets minus puts */
	bool holds_suppliers;		/* the counts above are taken */
	bool runner;			/* a thread runs a transition now */
	/* the last suspend failed and no get came since it began: no idle
	 * suspend is tried until one does (the driver said no; asking again
	 * at once would only spin) */
	bool suspend_failed;
	unsigned int gets;		/* gets so far (wraps): see suspend_failed */
	uint64_t autosuspend_ns;
	uint64_t idle_since_ns;		/* usage last dropped to 0 */
	uint64_t suspended_since_ns;	/* when it last became SUSPENDED */
	uint64_t suspended_total_ns;	/* before that */
	uint64_t resumes, suspends, resume_errors;
	int last_error;
	atomic_uint settled;		/* bumped when a transition ends (waiters) */
	struct dmae_work work;		/* runs transitions asynchronously */
};

struct dmae_dev {
	char name[32];
	enum dmae_dev_kind kind;
	struct dmae_dev *parent;
	struct dmae_list node;		/* all devices; dev_lock */
	struct dmae_list holds;		/* consumer: channels held; registry lock */
	struct dmae_list suppliers;	/* links where this is the consumer; dev_lock */
	struct dmae_list consumers;	/* links where this is the supplier; dev_lock */
	unsigned int refs;		/* dev_lock; the device is freed at 0 */
	bool gone;			/* destroyed (dev_lock and pm.lock); freed at refs 0 */

	/* consumer devices: the client's; registry lock */
	dmae_dev_remove_fn remove_fn;
	void *remove_arg;
	const struct dmae_dev_pm_ops *pm_ops;
	void *pm_arg;

	/* provider and channel devices: whose ops run the transitions */
	struct dmae_provider *provider;
	struct dmae_chan *chan;

	struct dmae__pm pm;
};

struct dmae_dev_link {
	struct dmae_dev *consumer;
	struct dmae_dev *supplier;	/* NULL once the supplier is gone (dead link) */
	struct dmae_list consumer_node;	/* consumer->suppliers */
	struct dmae_list supplier_node;	/* supplier->consumers */
	unsigned int flags;		/* DMAE_LINK_* */
	bool rpm_held;			/* holds a usage count on the supplier; dev_lock */
};

void dmae__dev_lock(void);
void dmae__dev_unlock(void);

/* Create a device of kind (not a consumer), a child of parent.  Task context. */
struct dmae_dev *dmae__dev_new(const char *name, enum dmae_dev_kind kind,
			       struct dmae_dev *parent);
/*
 * Destroy a provider or channel device: its links go (dead for consumers
 * that keep a handle), and its memory when the last reference does.
 */
void dmae__dev_remove(struct dmae_dev *dev);
/* References that keep a device's memory (dev_lock held). */
void dmae__dev_get_locked(struct dmae_dev *dev);
void dmae__dev_put_locked(struct dmae_dev *dev);

/* ---- runtime PM (src/core/pm.c) ---- */

void dmae__pm_init(struct dmae__pm *pm, enum dmae_pm_state initial, uint64_t autosuspend_ns);
/* Stop the device's PM work for good (task context); it must be unused. */
void dmae__pm_fini(struct dmae_dev *dev);
/* Take a usage count without resuming.  Any context. */
void dmae__pm_get_noresume(struct dmae_dev *dev);
/*
 * The hooks through which a channel device's transitions reach its
 * channel: after a resume (err 0, or why it failed) and before a suspend.
 * src/core/chan.c implements them.
 */
void dmae__chan_pm_resumed(struct dmae_chan *chan, int err);

#endif /* DMAE_CORE_DEV_H */
