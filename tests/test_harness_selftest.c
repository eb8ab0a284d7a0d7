/* SPDX-License-Identifier: MIT */
/*
 * tests/test_harness_selftest.c - the harness tests itself.
 *
 * Passing assertions run in-process; each failing assertion runs as a
 * DMAE_CHILD_TEST in its own process, and the parent checks the exit
 * status and the message (both values, file:line, errno names).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/core.h"	/* dmae_log_write(): tests may use internals */
#include "test.h"

/* ---- assertions that hold ------------------------------------------------ */

DMAE_TEST(assert_ints)
{
	size_t len = 4096;
	unsigned char uc = 200;
	long long big = -5;
	uint64_t u64 = UINT64_MAX;
	enum dmae_log_level lvl = DMAE_LOG_WARN;

	ASSERT_TRUE(1);
	ASSERT_FALSE(0);
	ASSERT_EQ(len, 4096);
	ASSERT_EQ(4096, len);
	ASSERT_NE(len, 0);
	ASSERT_EQ(uc, 200);
	ASSERT_EQ(lvl, DMAE_LOG_WARN);
	ASSERT_LT(big, 0);
	ASSERT_LT(-1, 0u);		/* by value, not by C conversion */
	ASSERT_GT(0u, -1);
	ASSERT_GT(u64, big);
	ASSERT_GT(u64, 0);
	ASSERT_LE(3, 3);
	ASSERT_GE(3u, 3);
	ASSERT_NE(-1, UINT64_MAX);	/* different values, same bits */
}

DMAE_TEST(assert_ptrs_strings_memory)
{
	char a[16] = "hello", b[16] = "hello";
	int x;

	ASSERT_PTR_EQ(&x, &x);
	ASSERT_PTR_NE(a, b);
	ASSERT_NULL(NULL);
	ASSERT_NOT_NULL(a);
	ASSERT_STR_EQ(a, b);
	ASSERT_STR_EQ((const char *)NULL, (const char *)NULL);
	ASSERT_STR_CONTAINS("dma0chan1", "chan");
	ASSERT_MEM_EQ(a, b, sizeof(a));
	ASSERT_MEM_EQ(NULL, NULL, 0);
}

static int returns(int v)
{
	return v;
}

DMAE_TEST(assert_errors)
{
	ASSERT_OK(returns(0));
	ASSERT_ERR(returns(-EINVAL), -EINVAL);
	ASSERT_ERR(returns(-ENOSPC), -ENOSPC);
	ASSERT_NOERR(returns(7));
	ASSERT_STR_EQ(dmae_errname(-EINVAL), "EINVAL");
	ASSERT_STR_EQ(dmae_errname(EBUSY), "EBUSY");
}

/* ---- assertions that fail, each in a child --------------------------------- */

DMAE_CHILD_TEST(child_fail_eq)
{
	int ret = -EINVAL;

	ASSERT_EQ(ret, 0);
}

DMAE_CHILD_TEST(child_fail_lt_unsigned)
{
	ASSERT_LT(UINT64_MAX, -1);
}

DMAE_CHILD_TEST(child_fail_err)
{
	ASSERT_ERR(returns(-EBUSY), -EINVAL);
}

DMAE_CHILD_TEST(child_fail_ok)
{
	ASSERT_OK(returns(-ENOMEM));
}

DMAE_CHILD_TEST(child_fail_str)
{
	ASSERT_STR_EQ("dma0chan1", "dma0chan2");
}

DMAE_CHILD_TEST(child_fail_mem)
{
	unsigned char a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	unsigned char b[8] = { 1, 2, 3, 4, 0xee, 6, 7, 0 };

	ASSERT_MEM_EQ(a, b, sizeof(a));
}

DMAE_CHILD_TEST(child_fail_null)
{
	ASSERT_NULL((void *)0x1000);
}

static void *fail_in_thread(void *arg)
{
	(void)arg;
	ASSERT_TRUE(0 == 1);
	return NULL;
}

DMAE_CHILD_TEST(child_fail_thread)
{
	pthread_t t;

	ASSERT_EQ(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
	pthread_join(t, NULL);
	TEST_FAIL("not reached");
}

DMAE_CHILD_TEST(child_skip)
{
	TEST_SKIP("nothing to see");
}

DMAE_CHILD_TEST(child_pass)
{
	printf("hello from the child\n");
}

static void expect_child(const char *child, int code, const char *substr)
{
	char out[4096];
	int st;

	ASSERT_EQ(test_run_child(child, &st, out, sizeof(out)), st);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		fprintf(stderr, "--- %s ---\n%s--- end ---\n", child, out);
		TEST_FAIL("%s: wait status 0x%x, want exit %d", child, st, code);
	}
	ASSERT_STR_CONTAINS(out, substr);
}

DMAE_TEST(failures_report_values)
{
	expect_child("child_fail_eq", 1,
		     "ASSERT_EQ(ret, 0) failed: ret = -22 (EINVAL), 0 = 0");
	expect_child("child_fail_eq", 1, "test_harness_selftest.c:");
	expect_child("child_fail_eq", 1, "FAIL child_fail_eq");
	expect_child("child_fail_lt_unsigned", 1, "18446744073709551615");
	expect_child("child_fail_err", 1, "got -16 (EBUSY");
	expect_child("child_fail_err", 1, "want -22 (EINVAL");
	expect_child("child_fail_ok", 1, "got -12 (ENOMEM");
	expect_child("child_fail_str", 1, "failed at index 8");
	expect_child("child_fail_mem", 1, "first difference at offset 4");
	expect_child("child_fail_mem", 1, "= 0x05");
	expect_child("child_fail_mem", 1, "= 0xee");
	expect_child("child_fail_mem", 1, "(2 bytes differ)");
	expect_child("child_fail_null", 1, "0x1000");
	expect_child("child_fail_thread", 1, "ASSERT_TRUE(0 == 1) failed");
	expect_child("child_skip", 77, "SKIP child_skip: nothing to see");
	expect_child("child_pass", 0, "hello from the child\nPASS child_pass");
}

/* ---- death tests ------------------------------------------------------------ */

DMAE_CHILD_TEST(child_abort)
{
	fprintf(stderr, "dmae: BUG: something impossible happened\n");
	abort();
}

DMAE_TEST(death_test_sees_abort)
{
	ASSERT_CHILD_ABORTS("child_abort", "something impossible");
}

/* ---- random numbers and patterns --------------------------------------- */

DMAE_TEST(rand_is_deterministic)
{
	uint64_t s1 = 42, s2 = 42, a, b;
	unsigned char buf[1000];
	int i;

	for (i = 0; i < 100; i++) {
		a = test_rand_r(&s1);
		b = test_rand_r(&s2);
		ASSERT_EQ(a, b);
	}
	ASSERT_EQ(test_rand_seed(), test_rand_seed());
	ASSERT_NE(test_rand(), test_rand());
	ASSERT_LT(test_rand_below(10), 10);

	test_fill_pattern(buf, sizeof(buf), 7);
	ASSERT_PATTERN(buf, sizeof(buf), 7);
	ASSERT_EQ(test_check_pattern(buf, sizeof(buf), 8), 0);
	buf[777] ^= 1;
	ASSERT_EQ(test_check_pattern(buf, sizeof(buf), 7), 777);
}

DMAE_CHILD_TEST(child_fail_pattern)
{
	unsigned char buf[64];

	test_fill_pattern(buf, sizeof(buf), 1);
	buf[13] = (unsigned char)~buf[13];
	ASSERT_PATTERN(buf, sizeof(buf), 1);
}

DMAE_TEST(pattern_failure_names_offset)
{
	expect_child("child_fail_pattern", 1, "failed at offset 13");
}

/* ---- log capture (needs the library) ------------------------------------ */

#define LOG_THREADS 4
#define LOG_LINES 500

static void *log_from_thread(void *arg)
{
	int i;

	for (i = 0; i < LOG_LINES; i++)
		dmae_log_write(DMAE_LOG_DEBUG, "thread %d line %d",
			  (int)(intptr_t)arg, i);
	return NULL;
}

DMAE_TEST(log_capture)
{
	pthread_t t[LOG_THREADS];
	int i;

	test_log_capture_start();
	dmae_log_write(DMAE_LOG_WARN, "channel %s: bad length %d", "dma0chan3", 0);
	ASSERT_LOGGED("bad length 0");
	ASSERT_NOT_LOGGED("bad length 1");
	ASSERT_EQ(test_log_count("dma0chan3"), 1);

	test_log_capture_clear();
	ASSERT_NOT_LOGGED("bad length");

	/* many threads at once: the ring keeps the last TEST_LOG_LINES */
	for (i = 0; i < LOG_THREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, log_from_thread,
					 (void *)(intptr_t)i), 0);
	for (i = 0; i < LOG_THREADS; i++)
		pthread_join(t[i], NULL);
	ASSERT_EQ(test_log_count("thread "), TEST_LOG_LINES);
	ASSERT_LOGGED("line 499");

	test_log_capture_stop();
	test_log_capture_clear();
	dmae_log_write(DMAE_LOG_DEBUG, "after stop");	/* below the default level */
	ASSERT_NOT_LOGGED("after stop");
}

DMAE_CHILD_TEST(child_fail_logged)
{
	test_log_capture_start();
	dmae_log_write(DMAE_LOG_ERR, "the line that was logged");
	ASSERT_LOGGED("a line that was not");
}

DMAE_TEST(log_failure_dumps_lines)
{
	expect_child("child_fail_logged", 1, "| the line that was logged");
	expect_child("child_fail_logged", 1,
		     "ASSERT_LOGGED(\"a line that was not\") failed");
}
