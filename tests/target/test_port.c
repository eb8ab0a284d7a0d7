/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal port's own paths on the board: configuration refused,
 * hardware interrupt lines (range, taken, raised by software and by the
 * device), masking that keeps a raise pending, software lines until the
 * board's spare interrupts run out, and delayed work running from a
 * sleeping wait.
 */
#include <stdlib.h>

#include <dmae/baremetal.h>
#include <dmae/driver.h>

#include "board.h"
#include "os/os.h"		/* dmae_os_work_queue_after(): the port's timer */
#include "test.h"

struct line_state {
	atomic_uint runs;
	enum dmae_ctx ctx;
};

static enum dmae_irqreturn count_handler(void *arg)
{
	struct line_state *s = arg;

	s->ctx = dmae_ctx_current();
	atomic_fetch_add(&s->runs, 1);
	return DMAE_IRQ_HANDLED;
}

DMAE_TEST(configure_refused)
{
	static const uint8_t bad_soft[] = { 200 };
	struct dmae_baremetal_config cfg = { .cpu_hz = BOARD_CPU_HZ, .nr_irqs = BOARD_NR_IRQS };

	uint32_t hz = cfg.cpu_hz;

	/* the board configured the port at reset; a valid second one is refused */
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EALREADY);
	ASSERT_ERR(dmae_baremetal_configure(NULL), -EINVAL);
	cfg.cpu_hz = 1000;
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EINVAL);
	cfg.cpu_hz = hz;
	cfg.nr_irqs = 0;
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EINVAL);
	cfg.nr_irqs = BOARD_NR_IRQS;
	cfg.nr_soft_irqs = 1;	/* and no array */
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EINVAL);
	cfg.soft_irqs = bad_soft;	/* beyond nr_irqs */
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EINVAL);
	cfg.nr_soft_irqs = 33;
	ASSERT_ERR(dmae_baremetal_configure(&cfg), -EINVAL);
}

DMAE_TEST(hardware_line_range_and_taken)
{
	struct line_state s = { 0 };
	struct dmae_irq *a = NULL, *b = NULL;

	ASSERT_OK(dmae_init());
	ASSERT_ERR(dmae_irq_request_hw("far", BOARD_NR_IRQS, count_handler, &s, &a), -EINVAL);
	ASSERT_NULL(a);
	/* 70: an AN505 interrupt no device of the model drives */
	ASSERT_OK(dmae_irq_request_hw("hw70", 70, count_handler, &s, &a));
	ASSERT_ERR(dmae_irq_request_hw("again", 70, count_handler, &s, &b), -EBUSY);
	ASSERT_NULL(b);
	dmae_irq_raise(a);	/* pends NVIC 70: the handler runs at once */
	ASSERT_EQ(atomic_load(&s.runs), 1u);
	ASSERT_EQ(s.ctx, DMAE_CTX_HARDIRQ);
	ASSERT_EQ(dmae_irq_count(a), 1u);
	dmae_irq_free(a);
	/* free gives the number back */
	ASSERT_OK(dmae_irq_request_hw("hw70", 70, count_handler, &s, &a));
	dmae_irq_free(a);
	dmae_exit();
}

DMAE_TEST(masked_line_keeps_its_raise)
{
	struct line_state s = { 0 };
	struct dmae_irq *irq;

	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_irq_request("soft", count_handler, &s, &irq));
	dmae_irq_mask(irq);
	dmae_irq_raise(irq);
	dmae_irq_raise(irq);	/* coalesces */
	ASSERT_EQ(atomic_load(&s.runs), 0u);
	dmae_irq_unmask(irq);
	ASSERT_EQ(atomic_load(&s.runs), 1u);
	dmae_irq_free(irq);
	dmae_exit();
}

DMAE_TEST(software_lines_run_out)
{
	struct line_state s = { 0 };
	struct dmae_irq *irq[16];
	unsigned int n = 0;
	int ret;

	ASSERT_OK(dmae_init());
	while (n < TEST_ARRAY_SIZE(irq) &&
	       !(ret = dmae_irq_request("soft", count_handler, &s, &irq[n])))
		n++;
	ASSERT_LT(n, TEST_ARRAY_SIZE(irq));	/* the board has fewer spare ones */
	ASSERT_GT(n, 0u);
	ASSERT_ERR(ret, -EAGAIN);
	while (n)
		dmae_irq_free(irq[--n]);
	ASSERT_OK(dmae_irq_request("soft", count_handler, &s, &irq[0]));
	dmae_irq_free(irq[0]);
	dmae_exit();
}

/* newlib's aligned_alloc() rests on the port's posix_memalign(). */
DMAE_TEST(posix_memalign_refuses_bad_alignment)
{
	int posix_memalign(void **out, size_t align, size_t size);
	void *p = NULL;

	ASSERT_EQ(posix_memalign(&p, 3, 64), EINVAL);
	ASSERT_EQ(posix_memalign(&p, 2, 64), EINVAL);	/* below sizeof(void *) */
	ASSERT_NULL(p);
	ASSERT_EQ(posix_memalign(&p, 64, 1u << 30), ENOMEM);
	ASSERT_NULL(p);
	ASSERT_EQ(posix_memalign(&p, 64, 100), 0);
	ASSERT_EQ((uintptr_t)p % 64, 0u);
	free(p);
}

struct delayed {
	struct dmae_work w;
	struct dmae_completion done;
	enum dmae_ctx ctx;
};

static void delayed_fn(struct dmae_work *w)
{
	struct delayed *d = dmae_container_of(w, struct delayed, w);

	d->ctx = dmae_ctx_current();
	dmae_completion_done(&d->done);
}

/* Thread mode waits, and the wait is what runs the timer's work item. */
DMAE_TEST(delayed_work_runs_from_a_wait)
{
	struct delayed d;
	uint64_t t0;

	ASSERT_OK(dmae_init());
	dmae_completion_init(&d.done);
	dmae_work_init(&d.w, delayed_fn);
	t0 = dmae_time_ns();
	ASSERT_TRUE(dmae_os_work_queue_after(&d.w, 3000000));
	ASSERT_FALSE(dmae_os_work_queue_after(&d.w, 3000000));	/* queued already */
	ASSERT_OK(dmae_completion_wait_timeout(&d.done, 120000000000ull));
	ASSERT_GE(dmae_time_ns() - t0, 3000000u);
	ASSERT_EQ(d.ctx, DMAE_CTX_TASK);
	dmae_exit();
}
