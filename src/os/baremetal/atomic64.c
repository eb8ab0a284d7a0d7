/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: 64-bit atomics.
 *
 * A 32-bit Cortex-M has no 64-bit exclusive access, so the compiler calls
 * these for atomic_uint_fast64_t and friends (the core's statistics and
 * byte counts), and the toolchain has no libatomic to provide them.  One
 * CPU: an operation with interrupts masked is atomic, and PRIMASK orders
 * it with everything else, whatever memory order was asked.
 */
#include <stdbool.h>
#include <stdint.h>

#include "os/baremetal/bm.h"

#define A64(p) (*(volatile uint64_t *)(p))

uint64_t __atomic_load_8(const volatile void *p, int order);
void __atomic_store_8(volatile void *p, uint64_t v, int order);
uint64_t __atomic_exchange_8(volatile void *p, uint64_t v, int order);
bool __atomic_compare_exchange_8(volatile void *p, void *expected, uint64_t desired,
				 bool weak, int success, int failure);
uint64_t __atomic_fetch_add_8(volatile void *p, uint64_t v, int order);
uint64_t __atomic_fetch_sub_8(volatile void *p, uint64_t v, int order);
uint64_t __atomic_fetch_and_8(volatile void *p, uint64_t v, int order);
uint64_t __atomic_fetch_or_8(volatile void *p, uint64_t v, int order);

uint64_t __atomic_load_8(const volatile void *p, int order)
{
	uint32_t primask = bm_irq_save();
	uint64_t v = *(const volatile uint64_t *)p;

	(void)order;
	bm_irq_restore(primask);
	return v;
}

void __atomic_store_8(volatile void *p, uint64_t v, int order)
{
	uint32_t primask = bm_irq_save();

	(void)order;
	A64(p) = v;
	bm_irq_restore(primask);
}

uint64_t __atomic_exchange_8(volatile void *p, uint64_t v, int order)
{
	uint32_t primask = bm_irq_save();
	uint64_t old = A64(p);

	(void)order;
	A64(p) = v;
	bm_irq_restore(primask);
	return old;
}

bool __atomic_compare_exchange_8(volatile void *p, void *expected, uint64_t desired,
				 bool weak, int success, int failure)
{
	uint32_t primask = bm_irq_save();
	uint64_t old = A64(p);
	bool ok = old == *(uint64_t *)expected;

	(void)weak;
	(void)success;
	(void)failure;
	if (ok)
		A64(p) = desired;
	else
		*(uint64_t *)expected = old;
	bm_irq_restore(primask);
	return ok;
}

#define FETCH_OP(name, op)                                                    \
	uint64_t __atomic_fetch_##name##_8(volatile void *p, uint64_t v, int order) \
	{                                                                     \
		uint32_t primask = bm_irq_save();                             \
		uint64_t old = A64(p);                                        \
                                                                              \
		(void)order;                                                  \
		A64(p) = old op v;                                            \
		bm_irq_restore(primask);                                      \
		return old;                                                   \
	}

FETCH_OP(add, +)
FETCH_OP(sub, -)
FETCH_OP(and, &)
FETCH_OP(or, |)
