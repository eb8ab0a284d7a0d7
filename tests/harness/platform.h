/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/platform.h - what the portable harness (harness.c) asks
 * of the platform's runner: main.c on POSIX (a process per test),
 * target.c on a board (every test in one program).
 */
#ifndef DMAE_TEST_PLATFORM_H
#define DMAE_TEST_PLATFORM_H

#include <stdbool.h>

#include "test.h"

/* End the running test: 0 passed, 1 failed, 77 skipped.  Any thread. */
__attribute__((noreturn)) void test_platform_end(int code);

/* The simdmac configuration a fixture uses: NULL for the defaults, or one
 * that fits a board's memory. */
const struct dmae_simdmac_config *test_platform_simdmac_config(void);

/* The provider a driver-agnostic suite uses without DMAE_TEST_PROVIDER. */
const char *test_platform_default_provider(void);

/*
 * Create the platform's own provider called name into env->platform
 * (dmae_init() done); false if the platform has none of that name.
 */
bool test_platform_provider_create(const char *name, struct test_env *env);
/* Destroy it: 0 or a negative errno. */
int test_platform_provider_destroy(struct test_env *env);

/* Forget the random seed (harness.c): the next test seeds afresh. */
void dmae__test_reset(void);
/* Destroy, without assertions, the fixture a failed test left (harness.c). */
void dmae__test_cleanup(void);

#endif /* DMAE_TEST_PLATFORM_H */
