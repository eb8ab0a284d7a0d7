/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/line_rtt.h - the cache-line round trip of line_rtt.c.
 */
#ifndef DMAE_TOOL_LINE_RTT_H
#define DMAE_TOOL_LINE_RTT_H

/*
 * Median ns of a cache-line round trip between this thread and one it
 * starts (two line transfers): ~100 ns when the two vCPUs are near,
 * ~500 ns when far (docs/performance.md, "Placement").  Bounded in time
 * also when the two threads share one CPU.  0 if no thread could start.
 */
double line_rtt_ns(void);

#endif /* DMAE_TOOL_LINE_RTT_H */
