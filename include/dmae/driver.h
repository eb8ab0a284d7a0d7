/* SPDX-License-Identifier: MIT */
/*
 * dmae/driver.h - everything a controller driver includes.
 *
 * Included by providers (drivers) only; clients include dmae/dmae.h.  It
 * brings in the provider API (dmae/provider.h: registration, ops,
 * interrupt lines), the virt-channel helpers (dmae/vchan.h) and the
 * driver services below: counted allocation, logging with the errno
 * convention, time, busy-wait relaxing and 32-bit register access.  A
 * driver needs nothing else from dmae.  docs/provider.md walks through a
 * complete driver, the simulated controller's (src/providers/simdmac/).
 */
#ifndef DMAE_DRIVER_H
#define DMAE_DRIVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <dmae/provider.h>
#include <dmae/vchan.h>

DMAE_BEGIN_DECLS

/* ---- memory (task context) ------------------------------------------- */

/*
 * Zeroed heap memory, or NULL.  Task context: drivers allocate when they
 * are created and when a channel is requested, never on the descriptor
 * path (the library counts these calls, and its tests prove prep, submit,
 * issue and completion make none).
 */
DMAE_API void *dmae_mem_zalloc(size_t size);
/* The same, 64-byte aligned (size rounded up to 64): cache-line owned data. */
DMAE_API void *dmae_mem_zalloc_aligned(size_t size);
/* Free memory from either allocator; NULL is ignored.  Task context. */
DMAE_API void dmae_mem_free(void *p);

/* ---- logging (any context; never allocates, never sleeps) ------------ */

/*
 * Format one line and hand it to the log sink (dmae_log_set_handler();
 * stderr by default) if level is enabled.  Any context, including
 * hard-IRQ: the line is formatted on the stack (at most 511 characters).
 */
DMAE_API void dmae_log_write(enum dmae_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define dmae_log_err(...) dmae_log_write(DMAE_LOG_ERR, __VA_ARGS__)
#define dmae_log_warn(...) dmae_log_write(DMAE_LOG_WARN, __VA_ARGS__)
#define dmae_log_info(...) dmae_log_write(DMAE_LOG_INFO, __VA_ARGS__)
#define dmae_log_dbg(...) dmae_log_write(DMAE_LOG_DEBUG, __VA_ARGS__)

/*
 * Log one error line and evaluate to -err: the shape of every argument
 * check, "return dmae_fail(EINVAL, "mydrv_create: NULL out-pointer");".
 * Any context.
 */
#define dmae_fail(err, ...) (dmae_log_err(__VA_ARGS__), -(err))

/* ---- library state and time ------------------------------------------ */

/*
 * True between a successful dmae_init() and the matching last
 * dmae_exit().  A driver's create function refuses with -ESHUTDOWN when
 * false: its interrupt line needs the library's threads.  Any context.
 */
DMAE_API bool dmae_initialised(void);

/*
 * dmae_time_ns() (monotonic nanoseconds, any context) and dmae_sleep_ns()
 * (task context) come from dmae/context.h.  A driver that polls a
 * register in atomic context relaxes the CPU between reads:
 */
static inline void dmae_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield");
#endif
}

/* ---- memory-mapped registers (any context; never sleep) ------------- */

/*
 * Read / write the 32-bit device register at addr, a CPU address: one
 * access of exactly 32 bits that the compiler neither merges, splits nor
 * moves across other memory accesses.  A write is ordered after every
 * store before it, so a list a driver wrote to memory is complete before
 * the register write that starts the DMA; a read is ordered before every
 * load after it, so memory a finished DMA wrote is read after the status
 * that says so.  They are for a CPU with no data cache in front of DMA
 * memory (a Cortex-M33, say); where there is one, buffers go through
 * dmae_dma_map() and the port keeps them coherent.  Any context, any
 * thread: hard-IRQ, BH, task, with spinlocks held.
 */
/*
 * The order between memory and a device register: on Arm a DMB (a device
 * register is Device memory, a DMA buffer Normal memory, which the CPU
 * may otherwise reorder); elsewhere (x86: stores stay in order, and
 * uncached device accesses are not reordered with memory ones) a compiler
 * barrier.  Not a thread fence: there is no second CPU in it.
 */
static inline void dmae__mmio_fence(void)
{
#if defined(__arm__) || defined(__aarch64__)
	__asm__ __volatile__("dmb sy" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static inline uint32_t dmae_mmio_read32(const volatile void *addr)
{
	uint32_t v = *(const volatile uint32_t *)addr;

	dmae__mmio_fence();
	return v;
}

static inline void dmae_mmio_write32(volatile void *addr, uint32_t v)
{
	dmae__mmio_fence();
	*(volatile uint32_t *)addr = v;
}

DMAE_END_DECLS

#endif /* DMAE_DRIVER_H */
