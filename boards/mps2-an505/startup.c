/* SPDX-License-Identifier: MIT */
/*
 * mps2-an505 startup: the vector table, reset, and faults.
 *
 * Reset copies .data, clears .bss, runs the C library's constructors
 * (newlib, with semihosting I/O from librdimon: stdout, stderr and the
 * exit status reach the host through the debugger channel QEMU's
 * -semihosting serves), brings the board up and calls main().  Every
 * external interrupt enters dmae's bare-metal port, which finds the line
 * by the active exception number, except BOARD_MODEL_IRQ, in which the
 * hardware models run (src/hw/host/baremetal.c); PendSV runs dmae's
 * bottom halves and SysTick is its clock and the models'.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmae/baremetal.h>

#include "board.h"
#include "hw/host/baremetal.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __tdata_load[], __tdata_start[], __tdata_end[];
extern uint32_t __tbss_start[], __tbss_end[];
extern uint32_t __stack_top[];

extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);
int main(void);

void board_reset(void);

/* __libc_init_array() calls these around the init arrays; crti.o, which
 * has them, is a start file we do not link. */
void _init(void);
void _fini(void);

void _init(void)
{
}

void _fini(void)
{
}

/*
 * Thread-local storage, for C code that has some (_Thread_local): one
 * CPU, one block.  The ARM ABI's thread pointer points 8 bytes (the
 * thread control block) before it, and __aeabi_read_tp() may change r0
 * alone, so it is written in assembly.
 */
__attribute__((naked, used)) void __aeabi_read_tp(void);
void __aeabi_read_tp(void)
{
	__asm__ __volatile__("ldr r0, =__tdata_start - 8\n\t"
			     "bx lr\n\t"
			     ".ltorg");
}

/* A fault ends the program: there is nothing to return to. */
__attribute__((used)) static void board_fault_report(const uint32_t *frame)
{
	uint32_t ipsr, cfsr = *(volatile uint32_t *)0xE000ED28u;
	uint32_t bfar = *(volatile uint32_t *)0xE000ED38u;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	fflush(stdout);
	fprintf(stderr, "board: fault, exception %lu, CFSR 0x%08lx, BFAR 0x%08lx, "
		"PC 0x%08lx, LR 0x%08lx\n", (unsigned long)(ipsr & 0x1ff),
		(unsigned long)cfsr, (unsigned long)bfar, (unsigned long)frame[6],
		(unsigned long)frame[5]);
	_exit(3);
}

/* The stacked frame is on the main stack: nothing here uses the process one. */
__attribute__((naked)) static void board_fault(void)
{
	__asm__ volatile("mrs r0, msp\n\t"
			 "b board_fault_report");
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16 + BOARD_NR_IRQS])(void) = {
	[0] = (void (*)(void))__stack_top,
	[1] = board_reset,
	[2] = board_fault,		/* NMI */
	[3] = board_fault,		/* HardFault */
	[4] = board_fault,		/* MemManage */
	[5] = board_fault,		/* BusFault */
	[6] = board_fault,		/* UsageFault */
	[7] = board_fault,		/* SecureFault */
	[11] = board_fault,		/* SVCall: unused */
	[12] = board_fault,		/* DebugMonitor */
	[14] = dmae_baremetal_pendsv_handler,
	[15] = board_systick_handler,
	[16 ... 16 + BOARD_MODEL_IRQ - 1] = dmae_baremetal_irq_handler,
	[16 + BOARD_MODEL_IRQ] = hw_host_model_irq_handler,
	[16 + BOARD_MODEL_IRQ + 1 ... 16 + BOARD_NR_IRQS - 1] = dmae_baremetal_irq_handler,
};

void board_reset(void)
{
	memcpy(__data_start, __data_load,
	       (size_t)((char *)__data_end - (char *)__data_start));
	memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
	memcpy(__tdata_start, __tdata_load,
	       (size_t)((char *)__tdata_end - (char *)__tdata_start));
	memset(__tbss_start, 0, (size_t)((char *)__tbss_end - (char *)__tbss_start));
	/* usage, bus and memory faults get their own vectors */
	*(volatile uint32_t *)0xE000ED24u |= 7u << 16;
	initialise_monitor_handles();
	__libc_init_array();
	board_init();
	exit(main());
}
