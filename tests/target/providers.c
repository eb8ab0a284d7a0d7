/* SPDX-License-Identifier: MIT */
/*
 * tests/target/providers.c - the providers of the mps2-an505 test image:
 * the board's PL081 dma0 and the simdmac model.
 */
#include <string.h>

#include "platform.h"
#include "target.h"
#include "test.h"

const char *const test_target_providers[] = { "simdmac", NULL };

bool test_platform_provider_create(const char *name, struct test_env *env)
{
	(void)name;
	(void)env;
	return false;
}

void test_platform_provider_destroy(struct test_env *env)
{
	(void)env;
}
