/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/harness.c - assertions, log capture, random numbers and
 * the provider fixtures: what runs the same on every platform.  The
 * runner, ending a test and child processes are the platform's
 * (main.c on POSIX, target.c on a board without an OS).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "test.h"

/* The fixture set up and not torn down yet: what a failed test left. */
static struct test_env *env_live;

/* Level the library logs at when no handler is installed. */
#define TEST_LOG_DEFAULT_LEVEL DMAE_LOG_WARN	/* src/core/log.c */

/* ---- failing ------------------------------------------------------------ */

static const char *base(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

void dmae__test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s:%d: ", base(file), line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nFAIL %s\n", test_name());
	fflush(stdout);
	fflush(stderr);
	test_platform_end(1);
}

void dmae__test_skip(const char *file, int line, const char *reason)
{
	printf("SKIP %s: %s (%s:%d)\n", test_name(), reason ? reason : "",
	       base(file), line);
	fflush(stdout);
	test_platform_end(77);
}

/* ---- integers ------------------------------------------------------------ */

int dmae__test_int_cmp(unsigned long long a, int a_signed,
		       unsigned long long b, int b_signed)
{
	const long long sa = (long long)a, sb = (long long)b;

	if (a_signed && b_signed)
		return (sa > sb) - (sa < sb);
	if (a_signed && sa < 0)
		return -1;	/* negative < any unsigned */
	if (b_signed && sb < 0)
		return 1;
	return (a > b) - (a < b);
}

static void int_format(char *buf, size_t len, unsigned long long v, int sgn)
{
	if (sgn) {
		long long s = (long long)v;

		/* name errnos; -1 is more often a sentinel than EPERM */
		if (s < -1 && s >= -4095 && strcmp(dmae_errname((int)s), "E?"))
			snprintf(buf, len, "%lld (%s)", s, dmae_errname((int)s));
		else
			snprintf(buf, len, "%lld", s);
	} else if (v > 9) {
		snprintf(buf, len, "%llu (0x%llx)", v, v);
	} else {
		snprintf(buf, len, "%llu", v);
	}
}

void dmae__test_int_fail(const char *file, int line, const char *macro,
			 const char *sa, const char *sb,
			 unsigned long long a, int a_signed,
			 unsigned long long b, int b_signed)
{
	char va[64], vb[64];

	int_format(va, sizeof(va), a, a_signed);
	int_format(vb, sizeof(vb), b, b_signed);
	dmae__test_fail(file, line, "%s(%s, %s) failed: %s = %s, %s = %s",
			macro, sa, sb, sa, va, sb, vb);
}

void dmae__test_ptr_fail(const char *file, int line, const char *macro,
			 const char *sa, const char *sb, const void *a,
			 const void *b)
{
	if (!sb)	/* ASSERT_NULL / ASSERT_NOT_NULL */
		dmae__test_fail(file, line, "%s(%s) failed: %s = %p", macro,
				sa, sa, a);
	dmae__test_fail(file, line, "%s(%s, %s) failed: %s = %p, %s = %p",
			macro, sa, sb, sa, a, sb, b);
}

/* ---- errors -------------------------------------------------------------- */

static void err_format(char *buf, size_t len, long long v)
{
	if (v < 0 && v >= -4095)
		snprintf(buf, len, "%lld (%s: %s)", v, dmae_errname((int)v),
			 dmae_strerror((int)v));
	else
		snprintf(buf, len, "%lld", v);
}

void dmae__test_err_fail(const char *file, int line, const char *macro,
			 const char *sexpr, long long got, long long want)
{
	char vg[128], vw[128];

	err_format(vg, sizeof(vg), got);
	if (want == DMAE__TEST_NONNEG)
		snprintf(vw, sizeof(vw), ">= 0");
	else
		err_format(vw, sizeof(vw), want);
	dmae__test_fail(file, line, "%s(%s) failed: got %s, want %s", macro,
			sexpr, vg, vw);
}

/* ---- strings and memory ------------------------------------------------- */

void dmae__test_str_eq(const char *file, int line, const char *sa,
		       const char *sb, const char *a, const char *b)
{
	size_t i;

	if (a == b || (a && b && strcmp(a, b) == 0))
		return;
	if (!a || !b)
		dmae__test_fail(file, line,
				"ASSERT_STR_EQ(%s, %s) failed: %s = %s%s%s, "
				"%s = %s%s%s", sa, sb,
				sa, a ? "\"" : "", a ? a : "NULL", a ? "\"" : "",
				sb, b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
	for (i = 0; a[i] && a[i] == b[i]; i++)
		;
	dmae__test_fail(file, line,
			"ASSERT_STR_EQ(%s, %s) failed at index %lu: "
			"%s = \"%s\", %s = \"%s\"", sa, sb, (unsigned long)i, sa, a, sb, b);
}

void dmae__test_str_contains(const char *file, int line, const char *sh,
			     const char *haystack, const char *needle)
{
	if (haystack && needle && strstr(haystack, needle))
		return;
	dmae__test_fail(file, line,
			"ASSERT_STR_CONTAINS(%s, \"%s\") failed: %s = \"%s\"",
			sh, needle ? needle : "(null)", sh,
			haystack ? haystack : "(null)");
}

void dmae__test_mem_eq(const char *file, int line, const char *sa,
		       const char *sb, const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;
	size_t i, ndiff = 0, first = 0;

	if (n && (!a || !b))
		dmae__test_fail(file, line,
				"ASSERT_MEM_EQ(%s, %s, %lu): NULL buffer "
				"(%p, %p)", sa, sb, (unsigned long)n, a, b);
	if (n == 0 || memcmp(a, b, n) == 0)
		return;
	for (i = 0; i < n; i++) {
		if (pa[i] != pb[i]) {
			if (!ndiff)
				first = i;
			ndiff++;
		}
	}
	dmae__test_fail(file, line,
			"ASSERT_MEM_EQ(%s, %s, %lu) failed: first difference "
			"at offset %lu: %s[%lu] = 0x%02x, %s[%lu] = 0x%02x "
			"(%lu bytes differ)", sa, sb, (unsigned long)n, (unsigned long)first, sa,
			(unsigned long)first, pa[first], sb, (unsigned long)first, pb[first],
			(unsigned long)ndiff);
}

/* ---- log capture ----------------------------------------------------------- */

/*
 * The handler may run in any context (hard-IRQ emulation threads
 * included) and must not sleep: a test-and-set spinlock guards the ring.
 */
static struct {
	atomic_flag lock;
	unsigned long long head;	/* lines ever captured; protected by lock */
	char line[TEST_LOG_LINES][TEST_LOG_LINE_MAX];
	atomic_bool echo;
} cap = { .lock = ATOMIC_FLAG_INIT };

static void cap_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&cap.lock, memory_order_acquire))
		;
}

static void cap_unlock(void)
{
	atomic_flag_clear_explicit(&cap.lock, memory_order_release);
}

static void cap_handler(enum dmae_log_level level, const char *line, void *arg)
{
	char *slot;
	size_t n;

	(void)level;
	(void)arg;
	if (!line)
		return;
	cap_lock();
	slot = cap.line[cap.head % TEST_LOG_LINES];
	n = strlen(line);
	if (n >= TEST_LOG_LINE_MAX)
		n = TEST_LOG_LINE_MAX - 1;
	memcpy(slot, line, n);
	while (n && slot[n - 1] == '\n')
		n--;
	slot[n] = '\0';
	cap.head++;
	cap_unlock();
	if (atomic_load_explicit(&cap.echo, memory_order_relaxed))
		fprintf(stderr, "[log] %s%s", line,
			n && line[strlen(line) - 1] == '\n' ? "" : "\n");
}

void test_log_capture_start(void)
{
	const char *v = getenv("DMAE_TEST_VERBOSE");

	atomic_store(&cap.echo, v && *v && strcmp(v, "0") != 0);
	test_log_capture_clear();
	dmae_log_set_handler(cap_handler, NULL, DMAE_LOG_DEBUG);
}

void test_log_capture_stop(void)
{
	dmae_log_set_handler(NULL, NULL, TEST_LOG_DEFAULT_LEVEL);
}

void test_log_capture_clear(void)
{
	cap_lock();
	cap.head = 0;
	cap_unlock();
}

/* Copy the ring out (oldest first) so that nothing is printed under the lock. */
static unsigned int cap_snapshot(char (*out)[TEST_LOG_LINE_MAX])
{
	unsigned long long first, i;
	unsigned int n = 0;

	cap_lock();
	first = cap.head > TEST_LOG_LINES ? cap.head - TEST_LOG_LINES : 0;
	for (i = first; i < cap.head; i++)
		memcpy(out[n++], cap.line[i % TEST_LOG_LINES], TEST_LOG_LINE_MAX);
	cap_unlock();
	return n;
}

unsigned int test_log_count(const char *substr)
{
	char (*lines)[TEST_LOG_LINE_MAX] = malloc(sizeof(cap.line));
	unsigned int i, n, hits = 0;

	if (!lines)
		TEST_FAIL("test_log_count: out of memory");
	n = cap_snapshot(lines);
	for (i = 0; i < n; i++)
		if (strstr(lines[i], substr))
			hits++;
	free(lines);
	return hits;
}

void test_log_dump(void)
{
	char (*lines)[TEST_LOG_LINE_MAX] = malloc(sizeof(cap.line));
	unsigned int i, n;

	if (!lines)
		return;
	n = cap_snapshot(lines);
	fprintf(stderr, "captured log (%u lines):\n", n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  | %s\n", lines[i]);
	free(lines);
}

void dmae__test_logged(const char *file, int line, const char *substr,
		       bool want)
{
	unsigned int hits = test_log_count(substr);

	if ((hits > 0) == want)
		return;
	fflush(stdout);
	test_log_dump();
	dmae__test_fail(file, line, "%s(\"%s\") failed: %u matching lines",
			want ? "ASSERT_LOGGED" : "ASSERT_NOT_LOGGED", substr,
			hits);
}

/* ---- random numbers ------------------------------------------------------- */

static uint64_t seed;
static _Atomic uint64_t rand_state;
/* 0: not seeded, 1: seeding, 2: seeded (a once that needs no threads) */
static atomic_uint seed_once;

static uint64_t xorshift64s(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static void seed_init(void)
{
	const char *env = getenv("DMAE_TEST_SEED");
	const char *p;

	if (env && *env) {
		seed = strtoull(env, NULL, 0);
	} else {
		seed = 0xcbf29ce484222325ull;	/* FNV-1a of the test name */
		for (p = test_name(); *p; p++)
			seed = (seed ^ (unsigned char)*p) * 0x100000001b3ull;
	}
	atomic_store(&rand_state, seed ? seed : 1);
	printf("seed: DMAE_TEST_SEED=0x%016llx\n", (unsigned long long)seed);
	fflush(stdout);
}

static void seed_get(void)
{
	unsigned int st = 0;

	if (atomic_compare_exchange_strong(&seed_once, &st, 1)) {
		seed_init();
		atomic_store(&seed_once, 2);
	}
	while (atomic_load(&seed_once) != 2)
		;
}

void dmae__test_reset(void)
{
	env_live = NULL;
	atomic_store(&seed_once, 0);
}

uint64_t test_rand_seed(void)
{
	seed_get();
	return seed;
}

uint64_t test_rand(void)
{
	uint64_t old, next, out;

	seed_get();
	old = atomic_load(&rand_state);
	do {
		next = old;
		out = xorshift64s(&next);
	} while (!atomic_compare_exchange_weak(&rand_state, &old, next));
	return out;
}

uint64_t test_rand_r(uint64_t *state)
{
	if (!*state)
		*state = 1;
	return xorshift64s(state);
}

uint64_t test_rand_below(uint64_t n)
{
	if (n == 0)
		TEST_FAIL("test_rand_below(0)");
	return test_rand() % n;
}

static uint64_t pattern_state(uint64_t s)
{
	s ^= 0x9e3779b97f4a7c15ull;
	return s ? s : 1;
}

void test_fill_pattern(void *buf, size_t len, uint64_t s)
{
	unsigned char *p = buf;
	uint64_t st = pattern_state(s), v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i & 7) == 0)
			v = xorshift64s(&st);
		p[i] = (unsigned char)(v >> ((i & 7) * 8));
	}
}

/* Byte i of the stream for seed s. */
static unsigned char pattern_byte(uint64_t s, size_t i)
{
	uint64_t st = pattern_state(s), v = 0;
	size_t k;

	for (k = 0; k <= i / 8; k++)
		v = xorshift64s(&st);
	return (unsigned char)(v >> ((i & 7) * 8));
}

long long test_check_pattern(const void *buf, size_t len, uint64_t s)
{
	const unsigned char *p = buf;
	uint64_t st = pattern_state(s), v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i & 7) == 0)
			v = xorshift64s(&st);
		if (p[i] != (unsigned char)(v >> ((i & 7) * 8)))
			return (long long)i;
	}
	return -1;
}

void dmae__test_pattern(const char *file, int line, const char *sbuf,
			const void *buf, size_t len, uint64_t s)
{
	long long off = test_check_pattern(buf, len, s);

	if (off < 0)
		return;
	dmae__test_fail(file, line,
			"ASSERT_PATTERN(%s, %lu, 0x%llx) failed at "
			"offset %lld: got 0x%02x, want 0x%02x", sbuf, (unsigned long)len,
			(unsigned long long)s,
			off, ((const unsigned char *)buf)[off],
			pattern_byte(s, (size_t)off));
}

/* ---- fixture -------------------------------------------------------------- */


static void cleanup_release(struct dmae_dev *dev, struct dmae_chan *chan, void *arg)
{
	(void)dev;
	(void)arg;
	dmae_chan_release(chan);
}

/*
 * Undo what a failed test left of its fixture, without assertions: the
 * providers' removal revokes the channels it held, which the remove
 * callback releases, then the consumer goes.
 */
void dmae__test_cleanup(void)
{
	struct test_env *env = env_live;

	env_live = NULL;
	if (!env)
		return;
	if (env->dev)
		dmae_dev_set_remove_cb(env->dev, cleanup_release, NULL);
	if (env->sw)
		dmae_swdma_destroy(env->sw);
	if (env->soc)
		dmae_simdmac_destroy(env->soc);
	if (env->platform)
		test_platform_provider_destroy(env);
	if (env->dev)
		dmae_dev_destroy(env->dev);
}

void test_swdma_setup(struct test_env *env, const struct dmae_swdma_config *cfg)
{
	int ret;

	memset(env, 0, sizeof(*env));
	env_live = env;
	ASSERT_OK(dmae_init());
	ret = dmae_swdma_create(cfg, &env->sw);
	if (ret == -EOPNOTSUPP) {	/* its workers are threads */
		dmae_exit();
		TEST_SKIP("swdma needs threads, which this platform lacks");
	}
	ASSERT_OK(ret);
	ASSERT_NOT_NULL(env->sw);
	ASSERT_OK(dmae_dev_create(TEST_CONSUMER, &env->dev));
	ASSERT_NOT_NULL(env->dev);
}

void test_consumer_setup(struct test_env *env)
{
	memset(env, 0, sizeof(*env));
	env_live = env;
	ASSERT_OK(dmae_init());
	ASSERT_OK(dmae_dev_create(TEST_CONSUMER, &env->dev));
	ASSERT_NOT_NULL(env->dev);
}

const char *test_provider_name(void)
{
	const char *p = getenv("DMAE_TEST_PROVIDER");

	return p && *p ? p : test_platform_default_provider();
}

void test_provider_setup(struct test_env *env)
{
	const char *p = test_provider_name();

	if (!strcmp(p, "swdma")) {
		test_swdma_setup(env, NULL);
		return;
	}
	memset(env, 0, sizeof(*env));
	env_live = env;
	ASSERT_OK(dmae_init());
	if (!strcmp(p, "simdmac"))
		ASSERT_OK(dmae_simdmac_create(test_platform_simdmac_config(), &env->soc));
	else if (!test_platform_provider_create(p, env))
		TEST_FAIL("DMAE_TEST_PROVIDER=%s: not a provider of this platform", p);
	ASSERT_OK(dmae_dev_create(TEST_CONSUMER, &env->dev));
}

struct dmae_chan *test_chan_memcpy(struct test_env *env, uint32_t pool_size)
{
	struct dmae_chan_opts o = { .pool_size = pool_size };
	struct dmae_chan *c = NULL;

	ASSERT_OK(dmae_chan_request_caps(env->dev, DMAE_CAP_MEMCPY, NULL, NULL, &o, &c));
	ASSERT_NOT_NULL(c);
	return c;
}

void test_swdma_teardown(struct test_env *env)
{
	if (env->dev)
		ASSERT_OK(dmae_dev_destroy(env->dev));
	if (env->sw)
		ASSERT_OK(dmae_swdma_destroy(env->sw));
	if (env->soc) {
		/* the core drives runtime PM: no register is touched unclocked */
		ASSERT_EQ(dmae_simdmac_gated_accesses(env->soc), 0);
		ASSERT_OK(dmae_simdmac_destroy(env->soc));
	}
	if (env->platform)
		ASSERT_OK(test_platform_provider_destroy(env));
	env_live = NULL;
	env->dev = NULL;
	env->sw = NULL;
	env->soc = NULL;
	env->platform = NULL;
	dmae_exit();
}

/* ---- time: dmae's clock, the same on every platform ------------------------ */

uint64_t test_now_ns(void)
{
	return dmae_time_ns();
}

void test_sleep_ms(unsigned int ms)
{
	dmae_sleep_ns((uint64_t)ms * 1000000u);
}
