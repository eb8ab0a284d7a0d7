/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/cpu_copy.h - the CPU baselines' streaming copy (cpu_copy.c).
 */
#ifndef DMAE_TOOL_CPU_COPY_H
#define DMAE_TOOL_CPU_COPY_H

#include <stdint.h>

/* "avx2" or "sse2": the non-temporal stores this CPU has; NULL: none. */
const char *cpu_nt_kind(void);

/*
 * Copy len bytes from src to dst (fill 0), or fill them with value
 * (fill 1), with non-temporal stores; ordinary stores where the CPU has
 * none (cpu_nt_kind() NULL).  The stores are fenced before it returns.
 */
void cpu_nt_move(void *dst, const void *src, uint64_t len, int fill, uint8_t value);

#endif /* DMAE_TOOL_CPU_COPY_H */
