/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/cpu_copy.c - the CPU copies "dmae perf" holds the engine to:
 * a streaming copy or fill with non-temporal stores (AVX2 where the CPU
 * has it, else SSE2; x86-64 only), the fastest single-thread copy of
 * large buffers a CPU can do, and which glibc's memcpy does not use below
 * a size of the order of the last-level cache.
 */
#include <stdint.h>
#include <string.h>

#include "cpu_copy.h"

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>

/*
 * dst aligned to 64 with ordinary stores first; then whole lines with
 * streaming stores, the tail with ordinary ones, and a store fence so
 * that the data is visible to other threads when this returns.
 */
#define CPU_NT_BODY(vec, load, splat, stream)                                   \
	uint64_t head = (64 - ((uintptr_t)dst & 63)) & 63;                       \
	const vec pat = splat((char)v);                                          \
                                                                                 \
	if (head > len)                                                          \
		head = len;                                                      \
	if (fill)                                                                \
		memset(dst, v, head);                                            \
	else                                                                     \
		memcpy(dst, src, head);                                          \
	dst += head;                                                             \
	src += fill ? 0 : head;                                                  \
	len -= head;                                                             \
	for (; len >= 64; len -= 64, dst += 64, src += fill ? 0 : 64) {          \
		vec x[64 / sizeof(vec)];                                         \
                                                                                 \
		for (unsigned int k = 0; k < 64 / sizeof(vec); k++)              \
			x[k] = fill ? pat : load((const void *)(src + k * sizeof(vec))); \
		for (unsigned int k = 0; k < 64 / sizeof(vec); k++)              \
			stream((void *)(dst + k * sizeof(vec)), x[k]);           \
	}                                                                        \
	if (fill)                                                                \
		memset(dst, v, len);                                             \
	else                                                                     \
		memcpy(dst, src, len);                                           \
	_mm_sfence()

static void nt_sse2(uint8_t *dst, const uint8_t *src, uint64_t len, int fill, uint8_t v)
{
	CPU_NT_BODY(__m128i, _mm_loadu_si128, _mm_set1_epi8, _mm_stream_si128);
}

__attribute__((target("avx2"))) static void nt_avx2(uint8_t *dst, const uint8_t *src,
						    uint64_t len, int fill, uint8_t v)
{
	CPU_NT_BODY(__m256i, _mm256_loadu_si256, _mm256_set1_epi8, _mm256_stream_si256);
}
#undef CPU_NT_BODY

static int wide = -1;

const char *cpu_nt_kind(void)
{
	if (wide < 0)
		wide = __builtin_cpu_supports("avx2") ? 1 : 0;
	return wide ? "avx2" : "sse2";
}

void cpu_nt_move(void *dst, const void *src, uint64_t len, int fill, uint8_t value)
{
	if (wide < 0)
		cpu_nt_kind();
	(wide ? nt_avx2 : nt_sse2)(dst, src, len, fill, value);
}
#else
const char *cpu_nt_kind(void)
{
	return NULL;
}

void cpu_nt_move(void *dst, const void *src, uint64_t len, int fill, uint8_t value)
{
	if (fill)
		memset(dst, value, len);
	else
		memcpy(dst, src, len);
}
#endif
