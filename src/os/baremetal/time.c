/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal port: time, from SysTick.
 *
 * SysTick counts the processor clock down from cpu_hz / 1000 - 1 and
 * interrupts at zero: a 1 kHz tick that the handler counts.  The time is
 * the ticks plus how far the counter is into the current one, so it
 * resolves to one CPU cycle.  The tick also wakes an idle CPU, which is
 * how delayed work and sleeping waits see time pass.
 */
#include "os/baremetal/bm.h"

static uint32_t reload;			/* cycles per tick - 1 */
/* ns per cycle in 32.32 fixed point: a multiply, not a 64-bit division
 * (a library call on this CPU) on every clock read */
static uint64_t ns_per_cycle_q32;
static volatile uint64_t ticks;		/* written by the SysTick handler only */

void bm_clock_start(uint32_t cpu_hz)
{
	reload = cpu_hz / 1000u - 1u;
	ns_per_cycle_q32 = (1000000ull << 32) / (reload + 1u);
	BM_SYST_CSR = 0;
	BM_SYST_RVR = reload;
	BM_SYST_CVR = 0;
	BM_SHPR3 = (BM_SHPR3 & 0x00ffffffu) | (BM_PRIO_IRQ << 24);
	BM_SYST_CSR = 7u;	/* processor clock, interrupt, enable */
}

void dmae_baremetal_systick_handler(void)
{
	ticks = ticks + 1;
}

uint64_t dmae_os_time_ns(void)
{
	uint32_t primask = bm_irq_save();
	uint64_t t = ticks;
	uint32_t cvr = BM_SYST_CVR;

	/* the counter wrapped and the handler has not counted it yet */
	if (BM_ICSR & BM_ICSR_PENDSTSET) {
		cvr = BM_SYST_CVR;
		t++;
	}
	bm_irq_restore(primask);
	return t * 1000000u + (((uint64_t)(reload - cvr) * ns_per_cycle_q32) >> 32);
}

void dmae_os_sleep_ns(uint64_t ns)
{
	uint64_t end = dmae_os_time_ns() + ns;

	while (dmae_os_time_ns() < end)
		dmae_baremetal_idle();
}

/* One CPU: nothing else to let run that an interrupt would not run anyway. */
void dmae_os_yield(void)
{
	dmae_os_cpu_relax();
}
