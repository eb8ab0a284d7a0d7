/* SPDX-License-Identifier: MIT */
/*
 * hw/hw.h - what the simulated hardware models share.  Internal.
 *
 * Included by the models under src/hw/ and by board code that wires them
 * together.  Nothing here knows about dmae: a model is "silicon", written
 * in C11 on the small host interface below (threads, time, sleeping on an
 * address; src/hw/host/posix.c implements it on pthreads and the Linux
 * futex), so models include nothing of the framework and run wherever
 * that interface does.
 *
 * Besides the host interface, two things live here:
 *
 *   struct hw_lock      a tiny spinlock for model state.  Models are called
 *                       from drivers that hold spinlocks (a register write
 *                       in an IRQ handler), so they must never sleep.
 *
 *   struct hw_dma_port  the DMA-facing side of a peripheral: its data
 *                       register (a bus address the controller reads or
 *                       writes) and its request signal.  A DMA controller
 *                       model connects a port to one of its request lines
 *                       per direction.  The request is level-sensitive and
 *                       expressed as a FIFO level: the controller performs
 *                       a burst of n bytes only when level() >= n, i.e.
 *                       the peripheral's watermark equals the burst the
 *                       channel is programmed with.  When the level changes
 *                       the peripheral calls notify() (the request "edge"),
 *                       so that a waiting controller looks again.
 */
#ifndef DMAE_HW_HW_H
#define DMAE_HW_HW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- the host: what a model's own threads run on (src/hw/host/<port>.c)  */

#define HW_FOREVER UINT64_MAX

/* Monotonic nanoseconds, the same clock as dmae_time_ns().  Any thread. */
uint64_t hw_time_ns(void);
/* Sleep at least ns.  A model's own threads only. */
void hw_sleep_ns(uint64_t ns);
/* Let another thread run; never sleeps.  Any thread. */
void hw_yield(void);

static inline void hw_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * Sleep while *addr == expected, at most timeout_ns (HW_FOREVER); may
 * return early, callers re-check.  A model's own threads only.  hw_wake()
 * may be called from any thread, with the address of freed memory too.
 */
void hw_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns);
void hw_wake(atomic_uint *addr, int nwaiters);

/*
 * The heavy side of an asymmetric barrier: when hw_barrier_all() returns,
 * every other running thread of the program has executed a full memory
 * barrier, so the frequent side of a handshake needs only a compiler
 * barrier.  hw_barrier_all_init() (any thread, repeatable) says whether
 * the host can; if not, callers fence on both sides and never call
 * hw_barrier_all().
 */
bool hw_barrier_all_init(void);
void hw_barrier_all(void);

/* A model's thread, named for debuggers.  Start/join: task context.
 * hw_thread_start returns 0 or -ENOMEM / -EAGAIN. */
struct hw_thread;
int hw_thread_start(struct hw_thread **out, const char *name, void (*fn)(void *arg),
		    void *arg);
void hw_thread_join(struct hw_thread *t);

/* ---- model locks and DMA ports ------------------------------------------ */

/*
 * The host's inline part (hw/host/<port>_port.h):
 * hw_host_lock_enter()/_exit(), which bracket every hw_lock.  Where the
 * model's threads and the CPU's other contexts preempt each other by
 * priority on one CPU (bare metal), a spinner above the holder would spin
 * forever, so a held hw_lock keeps every other context out; with real
 * threads both are no-ops.
 */
#ifdef HW_HOST_BAREMETAL
#include "hw/host/baremetal_port.h"
#else
#include "hw/host/posix_port.h"
#endif

struct hw_lock {
	atomic_flag f;
	unsigned int host;	/* hw_host_lock_enter()'s result: the holder's */
};

#define HW_LOCK_INIT { ATOMIC_FLAG_INIT, 0 }

static inline void hw_lock_init(struct hw_lock *l)
{
	atomic_flag_clear(&l->f);
}

static inline void hw_lock(struct hw_lock *l)
{
	unsigned int host = hw_host_lock_enter(), spins = 0;

	while (atomic_flag_test_and_set_explicit(&l->f, memory_order_acquire)) {
		if (++spins < 64)
			hw_cpu_relax();
		else
			hw_yield();
	}
	l->host = host;
}

static inline void hw_unlock(struct hw_lock *l)
{
	unsigned int host = l->host;

	atomic_flag_clear_explicit(&l->f, memory_order_release);
	hw_host_lock_exit(host);
}

/* Which way data moves through a port. */
enum hw_dma_dir {
	HW_DMA_TO_DEV = 0,	/* TX: the controller writes the data register */
	HW_DMA_FROM_DEV,	/* RX: the controller reads it */
};

/* Bus access results. */
#define HW_BUS_OK 0
#define HW_BUS_ERROR (-1)	/* decode error / slave error on the bus */

struct hw_dma_port {
	void *ctx;
	uint64_t addr;		/* bus address of the data register */
	/* bytes the peripheral can take (TO_DEV) or give (FROM_DEV) now */
	uint32_t (*level)(void *ctx, enum hw_dma_dir dir);
	/* bus accesses of n bytes in width-byte words at addr; HW_BUS_* */
	int (*write)(void *ctx, uint64_t addr, const void *buf, uint32_t n, uint32_t width);
	int (*read)(void *ctx, uint64_t addr, void *buf, uint32_t n, uint32_t width);
	/*
	 * Set by the controller when it connects the port (nctx first, then
	 * notify with release), called by the peripheral from any context.
	 */
	void (*_Atomic notify)(void *nctx);
	void *nctx;
};

static inline void hw_dma_port_notify(struct hw_dma_port *p)
{
	void (*fn)(void *) = atomic_load_explicit(&p->notify, memory_order_acquire);

	if (fn)
		fn(p->nctx);
}

#endif /* DMAE_HW_HW_H */
