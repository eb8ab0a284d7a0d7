/* SPDX-License-Identifier: MIT */
/* The C side of the C++ client's layout comparison. */
#include <dmae/context.h>

#include "layout.h"

#define LAYOUT(type) { sizeof(type), _Alignof(type) }

const size_t dmae_cxx_layout_spinlock[2] = LAYOUT(dmae_spinlock_t);
const size_t dmae_cxx_layout_mutex[2] = LAYOUT(struct dmae_mutex);
const size_t dmae_cxx_layout_completion[2] = LAYOUT(struct dmae_completion);
const size_t dmae_cxx_layout_work[2] = LAYOUT(struct dmae_work);
