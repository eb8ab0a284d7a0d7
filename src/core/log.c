/* SPDX-License-Identifier: MIT */
/*
 * Logging.  Lines are formatted on the stack and handed to one sink, so
 * logging works from any context and never allocates.
 */
#include <stdio.h>

#include "core/core.h"

struct log_sink {
	dmae_log_fn fn;
	void *arg;
	enum dmae_log_level max;
};

/* Readers copy the sink under the lock; the lock is never held while logging. */
static dmae_spinlock_t sink_lock = DMAE_SPINLOCK_INIT;
static struct log_sink sink = { NULL, NULL, DMAE_LOG_WARN };

static const char *const level_names[] = { "error", "warning", "info", "debug" };

void dmae_log_set_handler(dmae_log_fn fn, void *arg, enum dmae_log_level max_level)
{
	dmae_irqflags_t f;

	dmae_spin_lock_irqsave(&sink_lock, &f);
	sink.fn = fn;
	sink.arg = arg;
	sink.max = max_level;
	dmae_spin_unlock_irqrestore(&sink_lock, f);
}

void dmae_log_write(enum dmae_log_level level, const char *fmt, ...)
{
	struct log_sink s;
	dmae_irqflags_t f;
	char line[512];
	va_list ap;

	dmae_spin_lock_irqsave(&sink_lock, &f);
	s = sink;
	dmae_spin_unlock_irqrestore(&sink_lock, f);
	if (level > s.max)
		return;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (s.fn)
		s.fn(level, line, s.arg);
	else
		fprintf(stderr, "dmae: %s: %s\n", level_names[level], line);
}
