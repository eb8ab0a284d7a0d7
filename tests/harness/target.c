/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/target.c - the test runner on a board without an OS.
 *
 * One program runs every test, one after the other: no processes, so a
 * test that fails or skips in thread mode returns to the runner with
 * longjmp(), and the runner puts the CPU's context state back.  A test
 * that fails inside an interrupt handler cannot return there; the runner
 * prints the totals so far and ends the program.  A file with a
 * "dmae-test-providers:" line runs once per provider it names that the
 * board has (test_target_providers[]), as <file>@<provider>.<test>.  Output: one
 * line per test (PASS, FAIL or SKIP), then "N passed, N failed, N
 * skipped"; the exit status is 0 only if nothing failed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/baremetal.h>
#include <dmae/driver.h>

#include "core/core.h"		/* dmae__ctx, to reset after a failed test */
#include "os/baremetal/bm.h"	/* bm_ipsr(): which exception runs */
#include "platform.h"
#include "test.h"
#include "target.h"

#define MAX_TESTS 512

static struct dmae_test *tests[MAX_TESTS];
static unsigned int nr_tests;
static char current[96];
static jmp_buf test_jmp;
static unsigned int passed, failed, skipped;

void dmae__test_register(struct dmae_test *t)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "harness: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[nr_tests++] = t;
}

const char *test_name(void)
{
	return current;
}

static void totals(void)
{
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	fflush(stdout);
}

/*
 * A failed or skipped test may have left a lock or the IRQ mask held, its fixture
 * and the library initialised: the next test starts from none of that
 * (what it allocated itself stays allocated).
 */
static void context_reset(void)
{
	memset(&dmae__ctx, 0, sizeof(dmae__ctx));
	__asm__ __volatile__("cpsie i" ::: "memory");
	dmae_log_set_handler(NULL, NULL, DMAE_LOG_WARN);
	dmae__test_cleanup();
	while (dmae_initialised())
		dmae_exit();
}

void test_platform_end(int code)
{
	if (bm_ipsr()) {
		printf("FAIL %s (in exception %lu: the program ends here)\n", current,
		       (unsigned long)bm_ipsr());
		failed++;
		totals();
		_Exit(1);
	}
	/* the test's frame, where its fixture lives, is still there */
	context_reset();
	longjmp(test_jmp, code == 0 ? 100 : code);
}

size_t test_big_len(size_t host_len)
{
	return host_len < (1u << 20) ? host_len : (1u << 20);
}

void test_yield(void)
{
	dmae_baremetal_run();
}

const char *test_platform_default_provider(void)
{
	return test_target_providers[0];
}

int test_run_child(const char *child_test, int *status, char *out, size_t outlen)
{
	(void)child_test;
	(void)status;
	(void)out;
	(void)outlen;
	TEST_SKIP("death tests need processes, which this platform lacks");
}

void dmae__test_child_aborts(const char *file, int line, const char *child,
			     const char *substr)
{
	(void)child;
	(void)substr;
	dmae__test_skip(file, line, "death tests need processes, which this platform lacks");
}

static const char *stem(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

/* Does the space-separated list name word? */
static bool names(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void run(struct dmae_test *t, const char *provider)
{
	volatile int r;
	int n = (int)strcspn(stem(t->file), ".");

	if (provider)
		snprintf(current, sizeof(current), "%.*s@%s.%s", n, stem(t->file), provider,
			 t->name);
	else
		snprintf(current, sizeof(current), "%.*s.%s", n, stem(t->file), t->name);
	dmae__test_reset();
	r = setjmp(test_jmp);
	if (r == 0) {
		t->fn();
		r = 100;
	}
	if (r == 100) {
		printf("PASS %s\n", current);
		passed++;
	} else if (r == 77) {
		skipped++;	/* dmae__test_skip() printed the reason */
	} else {
		failed++;	/* dmae__test_fail() printed FAIL */
	}
	fflush(stdout);
}

int main(void)
{
	for (unsigned int i = 0; i < nr_tests; i++) {
		struct dmae_test *t = tests[i];

		if (t->child)
			continue;
		if (!t->providers) {
			run(t, NULL);
			continue;
		}
		for (const char *const *p = test_target_providers; *p; p++) {
			if (!names(t->providers, *p))
				continue;
			setenv("DMAE_TEST_PROVIDER", *p, 1);
			run(t, *p);
		}
		unsetenv("DMAE_TEST_PROVIDER");
	}
	totals();
	return failed ? 1 : 0;
}
