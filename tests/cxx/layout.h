/* SPDX-License-Identifier: MIT */
/* Size and alignment of the atomic-holding client structs as C sees them. */
#ifndef DMAE_CXX_LAYOUT_H
#define DMAE_CXX_LAYOUT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* { sizeof, alignof } of each type, compiled as C (layout.c) */
extern const size_t dmae_cxx_layout_spinlock[2];
extern const size_t dmae_cxx_layout_mutex[2];
extern const size_t dmae_cxx_layout_completion[2];
extern const size_t dmae_cxx_layout_work[2];

#ifdef __cplusplus
}
#endif

#endif /* DMAE_CXX_LAYOUT_H */
