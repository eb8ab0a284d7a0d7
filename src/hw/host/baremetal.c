/* SPDX-License-Identifier: MIT */
/*
 * The host interface of the hardware models (hw/hw.h) on a Cortex-M
 * (ARMv8-M mainline) without an OS.  Plain C and a few instructions:
 * nothing of the framework, so the models run unchanged.
 *
 * A model is silicon beside the CPU; here it gets the CPU in one NVIC
 * interrupt of its own (the board's, hw/host/baremetal.h), below every
 * device interrupt and above dmae's BHs and thread mode.  Each model
 * thread is a coroutine with its own stack, and the interrupt's handler
 * is the scheduler: one pass resumes every thread that may run, each
 * until it waits, sleeps, yields or returns.  A wake or a thread started
 * pends the interrupt; the board's clock tick pends it when a sleep or a
 * timeout falls due, so waits on time resolve to the tick.
 *
 * A thread's state (PRIMASK held to change it, since hw_wake() comes from
 * any context):
 *
 *   start --> READY --pass--> RUNNING --fn returns--> DONE --join--> freed
 *               ^               |   |
 *               | wake or due   |   +--hw_yield--> YIELDED --next pass--+
 *               +-- WAITING <---+ hw_wait, hw_sleep_ns                   |
 *                                        RUNNING <-----------------------+
 *
 * The interrupt re-pends itself only for a READY thread, never for a
 * YIELDED one: a model that yields waits for something else to happen or
 * for the tick, so thread mode always gets the CPU between ticks.
 *
 * A switch saves r4-r11, LR and MSPLIM on the stack it leaves and loads
 * the other side's; MSPLIM is the running thread's stack base, so an
 * overflow (a device interrupt nests on that stack too) is a UsageFault,
 * not corrupted memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw/host/baremetal.h"
#include "hw/hw.h"

#if defined(__ARM_FP)
#error "the coroutine switch saves no FP registers: build with -mfloat-abi=soft"
#endif

#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define NVIC_ISER(n) REG(0xE000E100u + 4u * ((n) / 32u))
#define NVIC_ISPR(n) REG(0xE000E200u + 4u * ((n) / 32u))
#define NVIC_ICPR(n) REG(0xE000E280u + 4u * ((n) / 32u))
#define NVIC_IPR(n) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))
#define NVIC_BIT(n) (1u << ((n) % 32u))

/* What a switch pushes: MSPLIM, r4-r11, the return address. */
#define FRAME_WORDS 10u

enum hw_thread_state {
	HT_READY,
	HT_RUNNING,
	HT_WAITING,
	HT_YIELDED,
	HT_DONE,
};

struct hw_thread {
	struct hw_thread *next;		/* on threads; PRIMASK held */
	uint32_t *sp;			/* saved while not running */
	uint32_t *stack;
	void (*fn)(void *arg);
	void *arg;
	volatile enum hw_thread_state state;
	atomic_uint *addr;		/* WAITING: the word (NULL: time only) */
	uint64_t due;			/* WAITING: deadline, UINT64_MAX none */
	char name[16];
};

static struct hw_thread *threads;	/* changed in thread mode, PRIMASK held */
static struct hw_thread *current;	/* the running one; the scheduler's */
static uint32_t *sched_sp;		/* the scheduler's while a thread runs */
static volatile uint64_t next_due = UINT64_MAX;	/* written PRIMASK held */
static bool irq_ready;

static const char *state_to_string(enum hw_thread_state s)
{
	static const char *const names[] = { "ready", "running", "waiting", "yielded",
					     "done" };

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static uint32_t irq_save(void)
{
	return hw_host_lock_enter();
}

static void irq_restore(uint32_t primask)
{
	hw_host_lock_exit(primask);
}

static uint32_t ipsr(void)
{
	uint32_t v;

	__asm__ __volatile__("mrs %0, ipsr" : "=r"(v));
	return v & 0x1ffu;
}

static void model_irq_pend(void)
{
	NVIC_ISPR(hw_board_model_irq) = NVIC_BIT(hw_board_model_irq);
	__asm__ __volatile__("dsb\n\tisb" ::: "memory");
}

/*
 * Push the callee-saved state on this stack, store SP in *save, resume
 * to's.  Naked: the body reads save and to from r0 and r1 itself.
 */
__attribute__((naked, noinline)) static void ctx_switch(uint32_t **save __attribute__((unused)),
							uint32_t *to __attribute__((unused)))
{
	__asm__ __volatile__("mrs r3, msplim\n\t"
			     "push {r3-r11, lr}\n\t"
			     "mov r2, sp\n\t"
			     "str r2, [r0]\n\t"
			     "ldr r3, [r1]\n\t"	/* the limit first: SP moves to its stack */
			     "msr msplim, r3\n\t"
			     "mov sp, r1\n\t"
			     "pop {r3-r11, pc}");
}

/* Back to the scheduler; returns when the scheduler resumes this thread. */
static void park(struct hw_thread *t)
{
	ctx_switch(&t->sp, sched_sp);
}

static void thread_entry(void)
{
	struct hw_thread *t = current;
	uint32_t primask;

	t->fn(t->arg);
	primask = irq_save();
	t->state = HT_DONE;
	irq_restore(primask);
	park(t);
	__builtin_unreachable();
}

/* ---- the scheduler: the model interrupt ------------------------------------ */

/* May t run now?  Then it is RUNNING. */
static bool take(struct hw_thread *t, uint64_t now)
{
	uint32_t primask = irq_save();
	bool run = t->state == HT_READY || t->state == HT_YIELDED ||
		   (t->state == HT_WAITING && t->due <= now);

	if (run)
		t->state = HT_RUNNING;
	irq_restore(primask);
	return run;
}

/* After a pass: when must the next one run?  Now (pend), at a tick, or later. */
static void arm(void)
{
	uint64_t due = UINT64_MAX;
	bool ready = false;
	uint32_t primask = irq_save();

	for (struct hw_thread *t = threads; t; t = t->next) {
		if (t->state == HT_READY)
			ready = true;
		else if (t->state == HT_YIELDED)
			due = 0;
		else if (t->state == HT_WAITING && t->due < due)
			due = t->due;
	}
	next_due = due;
	if (ready)
		model_irq_pend();
	irq_restore(primask);
}

void hw_host_model_irq_handler(void)
{
	uint64_t now = hw_board_time_ns();

	for (struct hw_thread *t = threads; t; t = t->next) {
		if (!take(t, now))
			continue;
		current = t;
		ctx_switch(&sched_sp, t->sp);
		current = NULL;
	}
	arm();
}

void hw_host_tick(void)
{
	if (hw_board_time_ns() >= next_due)
		model_irq_pend();
}

/* ---- the interface ----------------------------------------------------------- */

/*
 * One CPU: the model threads and the program interleave on it, so
 * another thread never runs while this one does, and each sees the
 * other's stores in program order once it runs.  A compiler barrier is
 * all the heavy side needs.
 */
bool hw_barrier_all_init(void)
{
	return true;
}

void hw_barrier_all(void)
{
	__asm__ __volatile__("" ::: "memory");
}

uint64_t hw_time_ns(void)
{
	return hw_board_time_ns();
}

/* Is the caller a model thread that may switch (not inside a hw_lock)? */
static struct hw_thread *switchable(void)
{
	uint32_t primask;

	if (!current || ipsr() != 16u + hw_board_model_irq)
		return NULL;
	__asm__ __volatile__("mrs %0, primask" : "=r"(primask));
	return primask ? NULL : current;
}

/* Park t as WAITING on addr (NULL: time only) unless *addr != expected. */
static void wait_until(struct hw_thread *t, atomic_uint *addr, unsigned int expected,
		       uint64_t due)
{
	uint32_t primask = irq_save();

	if (addr && atomic_load(addr) != expected) {
		irq_restore(primask);
		return;
	}
	t->addr = addr;
	t->due = due;
	t->state = HT_WAITING;
	irq_restore(primask);
	park(t);
}

static uint64_t deadline(uint64_t timeout_ns)
{
	uint64_t now = hw_board_time_ns();

	return timeout_ns == HW_FOREVER || timeout_ns > UINT64_MAX - now ? UINT64_MAX
									 : now + timeout_ns;
}

void hw_sleep_ns(uint64_t ns)
{
	uint64_t end = deadline(ns);
	struct hw_thread *t = switchable();

	while (hw_board_time_ns() < end) {
		if (t)
			wait_until(t, NULL, 0, end);
		else
			hw_cpu_relax();
	}
}

void hw_yield(void)
{
	struct hw_thread *t = switchable();
	uint32_t primask;

	if (!t) {
		hw_cpu_relax();
		return;
	}
	primask = irq_save();
	t->state = HT_YIELDED;
	irq_restore(primask);
	park(t);
}

/* Only a model thread can wait; anywhere else this returns at once (early). */
void hw_wait(atomic_uint *addr, unsigned int expected, uint64_t timeout_ns)
{
	struct hw_thread *t = switchable();

	if (t)
		wait_until(t, addr, expected, deadline(timeout_ns));
}

void hw_wake(atomic_uint *addr, int nwaiters)
{
	uint32_t primask = irq_save();
	int n = 0;

	for (struct hw_thread *t = threads; t && n < nwaiters; t = t->next) {
		if (t->state == HT_WAITING && t->addr == addr) {
			t->state = HT_READY;
			n++;
		}
	}
	if (n)
		model_irq_pend();
	irq_restore(primask);
}

/* The model interrupt's priority and enable, before its first thread. */
static void model_irq_setup(void)
{
	if (irq_ready)
		return;
	NVIC_IPR(hw_board_model_irq) = HW_HOST_PRIO;
	NVIC_ICPR(hw_board_model_irq) = NVIC_BIT(hw_board_model_irq);
	NVIC_ISER(hw_board_model_irq) = NVIC_BIT(hw_board_model_irq);
	irq_ready = true;
}

int hw_thread_start(struct hw_thread **out, const char *name, void (*fn)(void *arg), void *arg)
{
	struct hw_thread *t = calloc(1, sizeof(*t));
	uint32_t *top, primask;

	if (!t)
		return -ENOMEM;
	t->stack = malloc(HW_HOST_STACK_SIZE);
	if (!t->stack) {
		free(t);
		return -ENOMEM;
	}
	t->fn = fn;
	t->arg = arg;
	snprintf(t->name, sizeof(t->name), "%s", name);
	/* the frame ctx_switch() pops: MSPLIM, r4-r11 = 0, then thread_entry */
	top = (uint32_t *)((uintptr_t)(t->stack + HW_HOST_STACK_SIZE / 4u) & ~(uintptr_t)7);
	t->sp = top - FRAME_WORDS;
	t->sp[0] = (uint32_t)(uintptr_t)t->stack;
	for (unsigned int i = 1; i < FRAME_WORDS - 1u; i++)
		t->sp[i] = 0;
	t->sp[FRAME_WORDS - 1u] = (uint32_t)(uintptr_t)thread_entry;
	t->state = HT_READY;

	primask = irq_save();
	model_irq_setup();
	t->next = threads;
	threads = t;
	model_irq_pend();
	irq_restore(primask);
	*out = t;
	return 0;
}

/*
 * Task context (thread mode), as on every host: the model interrupt
 * preempts us to run the thread to its end; sleep until it has.
 */
void hw_thread_join(struct hw_thread *t)
{
	uint32_t primask;

	if (ipsr() != 0) {
		fprintf(stderr, "hw: join of model thread %s (%s) from exception %lu\n",
			t->name, state_to_string(t->state), (unsigned long)ipsr());
		abort();
	}
	for (;;) {
		primask = irq_save();
		if (t->state == HT_DONE)
			break;
		__asm__ __volatile__("wfi" ::: "memory");
		irq_restore(primask);
	}
	for (struct hw_thread **p = &threads; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	irq_restore(primask);
	free(t->stack);
	free(t);
}
