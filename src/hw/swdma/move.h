/* SPDX-License-Identifier: MIT */
/*
 * hw/swdma/move.h - how the engine's workers move bytes: copy and fill
 * kernels, non-temporal stores and their tuning, split jobs.  Internal to
 * the engine (engine.c, copy.c).
 */
#ifndef DMAE_HW_SWDMA_MOVE_H
#define DMAE_HW_SWDMA_MOVE_H

#include <string.h>

#include "hw/swdma/engine.h"

#if defined(__x86_64__) && defined(__SSE2__)
#define SWDMA_HAVE_NT 1
#else
#define SWDMA_HAVE_NT 0
#endif

#define SWDMA_TUNE_MIN (64u << 10)	/* auto: moves this large are measured */

#if SWDMA_HAVE_NT
/*
 * Copy (fill false) or fill with non-temporal stores (copy.c); fence: a
 * store fence after them, without which they are not ordered before the
 * caller's later stores (see move_store_fence()).
 */
void swdma_nt_move_sse2(uint8_t *dst, const uint8_t *src, uint64_t len, bool fill, uint8_t v,
			bool fence);
void swdma_nt_move_avx2(uint8_t *dst, const uint8_t *src, uint64_t len, bool fill, uint8_t v,
			bool fence);
#endif
/*
 * nt_min auto, for a move of len bytes made in pieces (a descriptor's
 * long entry, burst by burst): swdma_tune_pick() says which kind to use
 * and whether to time the move; if so, swdma_tune_account() takes the
 * time of the whole move once it is done.  An unfinished move (paused,
 * aborted) is not accounted.
 */
bool swdma_tune_pick(struct swdma_tune *t, uint64_t len, bool *timed);
void swdma_tune_account(struct swdma_tune *t, bool nt, uint64_t len, uint64_t ns);
/* A move of nt_min auto by the worker that owns t (see struct swdma_tune). */
void swdma_tuned_move(const struct swdma_engine *sw, struct swdma_tune *t, int op,
		      uint64_t dst, uint64_t src, uint64_t len);

/*
 * Move len bytes, with non-temporal stores or not; with fence false the
 * non-temporal stores may still be in flight when it returns: the caller
 * issues move_store_fence() before it says the bytes are there.
 */
static inline void move_kind_fenced(const struct swdma_engine *sw, bool nt, int op,
				    uint64_t dst, uint64_t src, uint64_t len, bool fence)
{
#if SWDMA_HAVE_NT
	if (nt) {
		(sw->nt_wide ? swdma_nt_move_avx2 : swdma_nt_move_sse2)((uint8_t *)(uintptr_t)dst,
							     (const uint8_t *)(uintptr_t)src, len,
							     op == SWDMA_FP_FILL, (uint8_t)src,
							     fence);
		return;
	}
#else
	(void)sw, (void)nt, (void)fence;
#endif
	if (op == SWDMA_FP_FILL)
		memset((void *)(uintptr_t)dst, (int)(uint8_t)src, len);
	else
		memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, len);
}

/* Move len bytes, with non-temporal stores or not, all visible when it returns. */
static inline void move_kind(const struct swdma_engine *sw, bool nt, int op, uint64_t dst,
			     uint64_t src, uint64_t len)
{
	move_kind_fenced(sw, nt, op, dst, src, len, true);
}

/* Order the non-temporal stores of move_kind_fenced(..., false) before later stores. */
static inline void move_store_fence(void)
{
#if SWDMA_HAVE_NT
	__builtin_ia32_sfence();
#endif
}

/*
 * Move len bytes: the one place the engine touches memory.  t: the
 * calling worker's tuning, or NULL where nt_min auto means never.
 */
static inline void hw_move(const struct swdma_engine *sw, struct swdma_tune *t, int op,
			   uint64_t dst, uint64_t src, uint64_t len)
{
	uint32_t nt_min = sw->cfg.nt_min;

	if (nt_min == SWDMA_NT_AUTO) {
		if (SWDMA_HAVE_NT && t && len >= SWDMA_TUNE_MIN) {
			swdma_tuned_move(sw, t, op, dst, src, len);
			return;
		}
		nt_min = SWDMA_OFF;
	}
	move_kind(sw, nt_min != SWDMA_OFF && len >= nt_min, op, dst, src, len);
}

/*
 * Split jobs (copy.c).  swdma_split_run(): run the op at head of f (at
 * least split bytes, its result OK) and the large ops after it as one job
 * with the idle workers; returns the ops run, *moved their bytes.
 * swdma_jobs_help(): help any posted job; true if a piece was run.
 */
uint32_t swdma_split_run(struct swdma_worker *w, struct swdma_fp *f, uint32_t head,
			 uint32_t end, uint64_t split, uint64_t *moved);
bool swdma_jobs_help(struct swdma_worker *self);

#endif /* DMAE_HW_SWDMA_MOVE_H */
