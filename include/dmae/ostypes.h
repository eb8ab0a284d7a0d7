/* SPDX-License-Identifier: MIT */
/*
 * dmae/ostypes.h - the run-queue entries of bottom halves and work items.
 *
 * Plain data types, no functions: included by dmae/context.h and
 * dmae/provider.h, which embed them in public structures, and by an OS
 * port (src/os/os.h), whose BH and task runners queue them.  Nobody else
 * includes it directly.  Every field belongs to the port's runner.
 */
#ifndef DMAE_OSTYPES_H
#define DMAE_OSTYPES_H

#include <stdint.h>

/*
 * The words inside locks, completions and work items are atomics that
 * only the library touches.  C++ before C++23 has no atomic_uint; there
 * they are std::atomic<unsigned int>, which GCC and Clang lay out exactly
 * as C's atomic_uint (same size and alignment), so C and C++ code share
 * these structs and the C ABI does not change.
 */
#ifdef __cplusplus
#include <atomic>
typedef std::atomic<unsigned int> dmae_atomic_uint_t;
#else
#include <stdatomic.h>
typedef atomic_uint dmae_atomic_uint_t;
#endif


/* A bottom half: fn runs in BH context, never concurrently with itself. */
struct dmae__bh {
	void (*fn)(struct dmae__bh *bh);
	struct dmae__bh *next;	/* on one BH run queue */
	dmae_atomic_uint_t state;	/* the runner's state bits (src/os/posix/bh.c) */
};

struct dmae_work;
typedef void (*dmae_work_fn)(struct dmae_work *w);

/* A work item (dmae/context.h): fn runs in task context on a runner thread. */
struct dmae_work {
	dmae_work_fn fn;
	struct dmae_work *next;	/* on the task runner's queue */
	dmae_atomic_uint_t state;	/* the runner's state bits (src/os/posix/workqueue.c) */
	uint64_t due_ns;	/* queued with a delay: when it becomes runnable */
};

#endif /* DMAE_OSTYPES_H */
