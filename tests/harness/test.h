/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/test.h - the dmae test harness.
 *
 * Included by tests/test_*.c only.  Each test file becomes one executable
 * linked with the harness runner (main.c) and the static library, so a
 * test may also call internal dmae__ functions ("core/core.h" etc.).
 *
 *   DMAE_TEST(name) { ... }        a test; CMake finds it with the regex
 *                                  ^DMAE_TEST\(([a-z0-9_]+)\) and registers
 *                                  "<file-stem>.<name>" with CTest, so
 *                                  write it at the start of a line
 *   DMAE_CHILD_TEST(name) { ... }  runnable by name but not registered:
 *                                  the child process of a death test
 *
 * Names starting with stress_ or soak_ get a 600 s timeout and the CTest
 * label "stress"; others get 120 s.
 *
 * A test passes by returning.  An ASSERT_* that fails prints its
 * expression, both values and file:line, then ends the process with
 * exit code 1 (from any thread).  TEST_SKIP() ends it with 77.
 *
 * The runner:
 *   ./test_foo --list   registered tests, one per line
 *   ./test_foo NAME     run one test in this process
 *   ./test_foo          run every test, each in its own child process
 *
 * Environment: DMAE_TEST_SEED (seed for test_rand), DMAE_TEST_TIMEOUT
 * (seconds per test when running all, default 120), DMAE_TEST_VERBOSE
 * (echo captured log lines to stderr).
 */
#ifndef DMAE_TEST_H
#define DMAE_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>
#include <dmae/swdma.h>

/* ---- defining tests -------------------------------------------------- */

struct dmae_test {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	bool child;		/* DMAE_CHILD_TEST: not listed, not run by "all" */
	/* "swdma simdmac ...": the providers its file's "dmae-test-providers:"
	 * line names (a board runs the test on those it has); NULL: none */
	const char *providers;
};

/* Set by a board's build for a file with a "dmae-test-providers:" line. */
#ifndef DMAE_TEST_PROVIDERS
#define DMAE_TEST_PROVIDERS NULL
#endif

void dmae__test_register(struct dmae_test *t);

#define DMAE__TEST_DEFINE(tname, is_child)                                     \
	static void dmae__test_fn_##tname(void);                              \
	static struct dmae_test dmae__test_##tname = {                        \
		.name = #tname,                                               \
		.fn = dmae__test_fn_##tname,                                  \
		.file = __FILE__,                                             \
		.line = __LINE__,                                             \
		.child = (is_child),                                          \
		.providers = DMAE_TEST_PROVIDERS,                             \
	};                                                                    \
	__attribute__((constructor)) static void dmae__test_reg_##tname(void) \
	{                                                                     \
		dmae__test_register(&dmae__test_##tname);                     \
	}                                                                     \
	static void dmae__test_fn_##tname(void)

#define DMAE_TEST(name) DMAE__TEST_DEFINE(name, false)
#define DMAE_CHILD_TEST(name) DMAE__TEST_DEFINE(name, true)

/* Name of the test running in this process ("" before one starts). */
const char *test_name(void);

/* ---- failing and skipping ----------------------------------------------- */

/* Print "file:line: <printf message>", then "FAIL <test>", exit(1). */
__attribute__((noreturn, format(printf, 3, 4)))
void dmae__test_fail(const char *file, int line, const char *fmt, ...);

__attribute__((noreturn))
void dmae__test_skip(const char *file, int line, const char *reason);

/* Print "SKIP <test>: reason" and exit with 77 (CTest SKIP_RETURN_CODE). */
#define TEST_SKIP(reason) dmae__test_skip(__FILE__, __LINE__, (reason))

/* Fail with a message of one's own. */
#define TEST_FAIL(...) dmae__test_fail(__FILE__, __LINE__, __VA_ARGS__)

/* ---- assertions --------------------------------------------------------- */

#define ASSERT_TRUE(x)                                                        \
	do {                                                                  \
		if (!(x))                                                     \
			dmae__test_fail(__FILE__, __LINE__,                   \
					"ASSERT_TRUE(%s) failed", #x);        \
	} while (0)

#define ASSERT_FALSE(x)                                                       \
	do {                                                                  \
		if (x)                                                        \
			dmae__test_fail(__FILE__, __LINE__,                   \
					"ASSERT_FALSE(%s) failed", #x);       \
	} while (0)

/*
 * Integer comparisons.  Each operand is evaluated once and compared by
 * its mathematical value: a negative signed value is less than any
 * unsigned one, so ASSERT_LT(-1, 0u) holds (plain C would say otherwise).
 */
#define DMAE__IS_SIGNED(x)                                                    \
	_Generic((x) + 0,                                                     \
		unsigned int: 0,                                              \
		unsigned long: 0,                                             \
		unsigned long long: 0,                                        \
		default: 1)

int dmae__test_int_cmp(unsigned long long a, int a_signed,
		       unsigned long long b, int b_signed);
__attribute__((noreturn))
void dmae__test_int_fail(const char *file, int line, const char *macro,
			 const char *sa, const char *sb,
			 unsigned long long a, int a_signed,
			 unsigned long long b, int b_signed);

#define DMAE__ASSERT_INT(macro, a, op, b, sa, sb)                             \
	do {                                                                  \
		const unsigned long long dmae__a = (unsigned long long)(a);   \
		const unsigned long long dmae__b = (unsigned long long)(b);   \
		const int dmae__as = DMAE__IS_SIGNED(a);                      \
		const int dmae__bs = DMAE__IS_SIGNED(b);                      \
		if (!(dmae__test_int_cmp(dmae__a, dmae__as, dmae__b,          \
					 dmae__bs) op 0))                     \
			dmae__test_int_fail(__FILE__, __LINE__, macro, sa,    \
					    sb, dmae__a, dmae__as, dmae__b,   \
					    dmae__bs);                        \
	} while (0)

#define ASSERT_EQ(a, b) DMAE__ASSERT_INT("ASSERT_EQ", a, ==, b, #a, #b)
#define ASSERT_NE(a, b) DMAE__ASSERT_INT("ASSERT_NE", a, !=, b, #a, #b)
#define ASSERT_LT(a, b) DMAE__ASSERT_INT("ASSERT_LT", a, <, b, #a, #b)
#define ASSERT_LE(a, b) DMAE__ASSERT_INT("ASSERT_LE", a, <=, b, #a, #b)
#define ASSERT_GT(a, b) DMAE__ASSERT_INT("ASSERT_GT", a, >, b, #a, #b)
#define ASSERT_GE(a, b) DMAE__ASSERT_INT("ASSERT_GE", a, >=, b, #a, #b)

__attribute__((noreturn))
void dmae__test_ptr_fail(const char *file, int line, const char *macro,
			 const char *sa, const char *sb, const void *a,
			 const void *b);

#define DMAE__ASSERT_PTR(macro, a, op, b, sa, sb)                             \
	do {                                                                  \
		const void *dmae__pa = (const void *)(a);                     \
		const void *dmae__pb = (const void *)(b);                     \
		if (!(dmae__pa op dmae__pb))                                  \
			dmae__test_ptr_fail(__FILE__, __LINE__, macro, sa,    \
					    sb, dmae__pa, dmae__pb);          \
	} while (0)

#define ASSERT_PTR_EQ(a, b) DMAE__ASSERT_PTR("ASSERT_PTR_EQ", a, ==, b, #a, #b)
#define ASSERT_PTR_NE(a, b) DMAE__ASSERT_PTR("ASSERT_PTR_NE", a, !=, b, #a, #b)
#define ASSERT_NULL(p) DMAE__ASSERT_PTR("ASSERT_NULL", p, ==, NULL, #p, NULL)
#define ASSERT_NOT_NULL(p)                                                    \
	DMAE__ASSERT_PTR("ASSERT_NOT_NULL", p, !=, NULL, #p, NULL)

/* Strings; NULL is allowed and equals only NULL. */
void dmae__test_str_eq(const char *file, int line, const char *sa,
		       const char *sb, const char *a, const char *b);
#define ASSERT_STR_EQ(a, b)                                                   \
	dmae__test_str_eq(__FILE__, __LINE__, #a, #b, (a), (b))

/* haystack contains needle. */
void dmae__test_str_contains(const char *file, int line, const char *sh,
			     const char *haystack, const char *needle);
#define ASSERT_STR_CONTAINS(haystack, needle)                                 \
	dmae__test_str_contains(__FILE__, __LINE__, #haystack, (haystack),    \
				(needle))

/* n bytes equal; prints the first differing offset and both bytes. */
void dmae__test_mem_eq(const char *file, int line, const char *sa,
		       const char *sb, const void *a, const void *b, size_t n);
#define ASSERT_MEM_EQ(a, b, n)                                                \
	dmae__test_mem_eq(__FILE__, __LINE__, #a, #b, (a), (b), (n))

/*
 * Error codes: ASSERT_ERR(dmae_dev_create(NULL, &d), -EINVAL) prints the
 * errno names of both sides on failure.  ASSERT_OK(expr) expects 0;
 * ASSERT_NOERR(expr) expects >= 0 (a count or a cookie).
 */
__attribute__((noreturn))
void dmae__test_err_fail(const char *file, int line, const char *macro,
			 const char *sexpr, long long got, long long want);

/* want for ASSERT_NOERR: "any value >= 0". */
#define DMAE__TEST_NONNEG (-1LL - 0x7fffffffffffffffLL)

#define DMAE__ASSERT_ERR(macro, expr, sexpr, want, ok)                        \
	do {                                                                  \
		const long long dmae__got = (long long)(expr);                \
		if (!(ok))                                                    \
			dmae__test_err_fail(__FILE__, __LINE__, macro, sexpr, \
					    dmae__got, (long long)(want));    \
	} while (0)

#define ASSERT_ERR(expr, err)                                                 \
	DMAE__ASSERT_ERR("ASSERT_ERR", expr, #expr, err,                      \
			 dmae__got == (long long)(err))
#define ASSERT_OK(expr)                                                       \
	DMAE__ASSERT_ERR("ASSERT_OK", expr, #expr, 0, dmae__got == 0)
#define ASSERT_NOERR(expr)                                                    \
	DMAE__ASSERT_ERR("ASSERT_NOERR", expr, #expr, DMAE__TEST_NONNEG,      \
			 dmae__got >= 0)

/* ---- log capture -------------------------------------------------------- */

/*
 * Capture dmae log lines (every level) in a ring buffer of the last
 * TEST_LOG_LINES lines.  The handler runs in any context and never sleeps.
 * stop() restores the default stderr handler.
 */
#define TEST_LOG_LINES 256
#define TEST_LOG_LINE_MAX 256

void test_log_capture_start(void);
void test_log_capture_stop(void);
void test_log_capture_clear(void);
/* Captured lines (still in the ring) that contain substr. */
unsigned int test_log_count(const char *substr);
/* Print the captured lines to stderr (done for you when ASSERT_LOGGED fails). */
void test_log_dump(void);

void dmae__test_logged(const char *file, int line, const char *substr,
		       bool want);
#define ASSERT_LOGGED(substr) dmae__test_logged(__FILE__, __LINE__, (substr), true)
#define ASSERT_NOT_LOGGED(substr)                                             \
	dmae__test_logged(__FILE__, __LINE__, (substr), false)

/* ---- child processes (death tests) -------------------------------------- */

/*
 * Run DMAE_CHILD_TEST child_test in a new process (this binary, spawned,
 * no fork), collect its stdout and stderr into out (NUL-terminated,
 * truncated to outlen - 1), wait for it (killing it after 60 s) and
 * return its wait status, also stored in *status when not NULL.  Fails
 * the test if the child cannot be spawned.
 */
int test_run_child(const char *child_test, int *status, char *out,
		   size_t outlen);

void dmae__test_child_aborts(const char *file, int line, const char *child,
			     const char *substr);
/*
 * The child must die from SIGABRT (or, under a sanitizer that turns the
 * abort into an error exit, exit non-zero) and print substr.
 */
#define ASSERT_CHILD_ABORTS(child, substr)                                    \
	dmae__test_child_aborts(__FILE__, __LINE__, (child), (substr))

/* ---- deterministic random numbers --------------------------------------- */

/*
 * xorshift64*.  The seed is DMAE_TEST_SEED when set, else a hash of the
 * test name; it is printed on first use so a failure can be replayed.
 * test_rand() is thread-safe (but then the sequence per thread depends on
 * scheduling); test_rand_r() uses caller-owned state.
 */
uint64_t test_rand_seed(void);
uint64_t test_rand(void);
uint64_t test_rand_r(uint64_t *state);
/* Uniform in [0, n); n > 0. */
uint64_t test_rand_below(uint64_t n);

/* Fill buf with a byte stream determined by seed. */
void test_fill_pattern(void *buf, size_t len, uint64_t seed);
/* Offset of the first byte that differs from the stream, or -1. */
long long test_check_pattern(const void *buf, size_t len, uint64_t seed);

void dmae__test_pattern(const char *file, int line, const char *sbuf,
			const void *buf, size_t len, uint64_t seed);
#define ASSERT_PATTERN(buf, len, seed)                                        \
	dmae__test_pattern(__FILE__, __LINE__, #buf, (buf), (len), (seed))

/* ---- fixture: a software engine and a consumer ---------------------------- */

struct test_env {
	struct dmae_swdma *sw;		/* one of these three is set */
	struct dmae_simdmac *soc;
	void *platform;			/* a platform's own provider (a board's DMAC) */
	struct dmae_dev *dev;	/* named TEST_CONSUMER */
};

#define TEST_CONSUMER "test-consumer"

/* dmae_init() and dmae_dev_create(TEST_CONSUMER): a test's own providers. */
void test_consumer_setup(struct test_env *env);
/* dmae_init(), dmae_swdma_create(cfg), dmae_dev_create(TEST_CONSUMER). */
void test_swdma_setup(struct test_env *env, const struct dmae_swdma_config *cfg);
/*
 * The same with the provider a driver-agnostic suite runs on: the one
 * named by the environment variable DMAE_TEST_PROVIDER ("swdma", the
 * default on POSIX, "simdmac", or a platform's own, such as a board's
 * "pl081"), with its default configuration.  A test file whose source
 * holds the line
 *     dmae-test-providers: swdma simdmac
 * is registered with CTest once per provider (<file>@<provider>.<test>);
 * a board's test image runs it once per provider of the board.  On a
 * platform without threads, test_swdma_setup() skips the test.
 */
void test_provider_setup(struct test_env *env);
/* The provider test_provider_setup() uses: "swdma", "simdmac", "pl081", ... */
const char *test_provider_name(void);
/* A memcpy channel for env's consumer (pool_size 0: the default). */
struct dmae_chan *test_chan_memcpy(struct test_env *env, uint32_t pool_size);
/* Destroy what the setup created (asserting success) and dmae_exit(). */
void test_swdma_teardown(struct test_env *env);
#define test_provider_teardown test_swdma_teardown

/* ---- sanitizers: scale iteration counts down under them ----------------- */

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* ---- small helpers ------------------------------------------------------ */

/* dmae_time_ns(). */
uint64_t test_now_ns(void);
/* dmae_sleep_ns() (task context). */
void test_sleep_ms(unsigned int ms);
/*
 * The length of a transfer meant to be long (to pause or terminate it in
 * flight), as large as the platform's memory allows: host_len on POSIX,
 * at most 1 MiB on a board.
 */
size_t test_big_len(size_t host_len);
/* Let what the test waits for progress, in a polling loop (task context):
 * other threads, or on a board without them, the due work items. */
void test_yield(void);

#define TEST_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* DMAE_TEST_H */
