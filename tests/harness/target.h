/* SPDX-License-Identifier: MIT */
/* tests/harness/target.h - what a board's test image tells the runner. */
#ifndef DMAE_TEST_TARGET_H
#define DMAE_TEST_TARGET_H

/* The providers a driver-agnostic suite runs on, NULL-terminated; the
 * first is the default. */
extern const char *const test_target_providers[];

#endif /* DMAE_TEST_TARGET_H */
