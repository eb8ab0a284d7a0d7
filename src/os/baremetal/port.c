/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: configuration, the main loop's entry points, sleeping
 * waits, and what a CPU without threads answers for threads.
 */
#include <errno.h>
#include <stdio.h>

#include "os/baremetal/bm.h"

struct dmae_baremetal_config bm_cfg;

/* Does the NVIC implement interrupt n?  (Enable bits of absent ones read 0.) */
static bool nvic_has(unsigned int n)
{
	uint32_t was = BM_NVIC_ISER(n) & BM_NVIC_BIT(n);
	bool has;

	BM_NVIC_ISER(n) = BM_NVIC_BIT(n);
	has = BM_NVIC_ISER(n) & BM_NVIC_BIT(n);
	if (!was)
		BM_NVIC_ICER(n) = BM_NVIC_BIT(n);
	return has;
}

int dmae_baremetal_configure(const struct dmae_baremetal_config *cfg)
{
	if (!cfg || cfg->cpu_hz < 1000000u || !cfg->nr_irqs || cfg->nr_irqs > 240u ||
	    cfg->nr_soft_irqs > 32u || (cfg->nr_soft_irqs && !cfg->soft_irqs))
		return -EINVAL;
	for (unsigned int i = 0; i < cfg->nr_soft_irqs; i++)
		if (cfg->soft_irqs[i] >= cfg->nr_irqs || !nvic_has(cfg->soft_irqs[i]))
			return -EINVAL;
	if (bm_cfg.cpu_hz)
		return -EALREADY;
	if (bm_lines_alloc(cfg->nr_irqs))
		return -ENOMEM;
	bm_cfg = *cfg;
	BM_SHPR3 = (BM_SHPR3 & 0xff00ffffu) | (BM_PRIO_PENDSV << 16);
	bm_clock_start(cfg->cpu_hz);
	return 0;
}

int dmae_os_init(void)
{
	return bm_cfg.cpu_hz ? 0 : -ENODEV;
}

void dmae_os_exit(void)
{
}

unsigned int dmae_baremetal_run(void)
{
	return bm_work_run();
}

/* WFI with interrupts masked still wakes on one, which then runs. */
void dmae_baremetal_idle(void)
{
	uint32_t primask;

	if (bm_work_run())
		return;
	primask = bm_irq_save();
	if (!bm_work_due())
		__asm__ __volatile__("wfi" ::: "memory");
	bm_irq_restore(primask);
}

/*
 * Task context is thread mode: while the word is unchanged, run due work
 * (which may be what changes it), else sleep until an interrupt or the
 * clock's tick, then look again.
 */
int dmae_os_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns)
{
	uint64_t end = timeout_ns == DMAE_OS_FOREVER ? UINT64_MAX :
		       dmae_os_time_ns() + timeout_ns;
	uint32_t primask;

	for (;;) {
		if (atomic_load_explicit(addr, memory_order_acquire) != expected)
			return 0;
		if (dmae_os_time_ns() >= end)
			return -ETIMEDOUT;
		if (bm_work_run())
			continue;
		primask = bm_irq_save();
		if (atomic_load_explicit(addr, memory_order_relaxed) == expected &&
		    !bm_work_due())
			__asm__ __volatile__("wfi" ::: "memory");
		bm_irq_restore(primask);
	}
}

/* A waiter looks again after every interrupt: nothing to do. */
void dmae_os_wake(atomic_uint *addr, int nwaiters)
{
	(void)addr;
	(void)nwaiters;
}

int dmae_os_thread_start(struct dmae_os_thread **out, const char *name,
			 void (*fn)(void *arg), void *arg)
{
	(void)out;
	(void)name;
	(void)fn;
	(void)arg;
	return -EOPNOTSUPP;
}

void dmae_os_thread_join(struct dmae_os_thread *t)
{
	(void)t;
}

/* What runs: thread mode, PendSV (BHs) or interrupt n. */
void dmae_os_thread_name(char *buf, size_t len)
{
	uint32_t e = bm_ipsr();

	if (e == 0)
		snprintf(buf, len, "thread");
	else if (e == 14)
		snprintf(buf, len, "pendsv");
	else if (e >= 16)
		snprintf(buf, len, "irq%lu", (unsigned long)(e - 16u));
	else
		snprintf(buf, len, "exc%lu", (unsigned long)e);
}

void dmae_os_symbolize(const void *addr, char *buf, size_t len)
{
	snprintf(buf, len, "%p", addr);
}

/*
 * newlib's allocator is not reentrant: an allocation in an interrupt
 * handler would meet one it preempted.  Its lock hooks mask interrupts
 * (nestable: the allocator takes the lock recursively).
 */
static uint32_t malloc_primask;
static unsigned int malloc_depth;

struct _reent;
void __malloc_lock(struct _reent *r);
void __malloc_unlock(struct _reent *r);

void __malloc_lock(struct _reent *r)
{
	uint32_t primask = bm_irq_save();

	(void)r;
	if (malloc_depth++ == 0)
		malloc_primask = primask;
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	if (--malloc_depth == 0)
		bm_irq_restore(malloc_primask);
}

/*
 * newlib's aligned_alloc() calls posix_memalign(), which this newlib does
 * not build; its memalign() does the same.
 */
void *memalign(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
