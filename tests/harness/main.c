/* SPDX-License-Identifier: MIT */
/*
 * tests/harness/main.c - the test runner: registration, running one test
 * or all of them, and spawning this binary again for child processes.
 *
 * No fork(): children are started with posix_spawn() of /proc/self/exe,
 * which is safe with threads running (TSan objects to fork there).
 */
#define _GNU_SOURCE	/* pipe2() */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "test.h"

extern char **environ;

#define MAX_TESTS 1024
#define CHILD_TIMEOUT_S 60
#define DEFAULT_TIMEOUT_S 120
#define STRESS_TIMEOUT_S 600

static struct dmae_test *tests[MAX_TESTS];	/* in registration order */
static unsigned int nr_tests;
static const char *current = "";
static const char *self_argv0 = "test";

void dmae__test_register(struct dmae_test *t)
{
	unsigned int i;

	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "harness: more than %d tests\n", MAX_TESTS);
		abort();
	}
	for (i = 0; i < nr_tests; i++) {
		if (strcmp(tests[i]->name, t->name) == 0) {
			fprintf(stderr, "harness: test %s defined twice\n",
				t->name);
			abort();
		}
	}
	tests[nr_tests++] = t;
}

const char *test_name(void)
{
	return current;
}

/* Source order, whatever order the constructors ran in. */
static int test_cmp(const void *a, const void *b)
{
	const struct dmae_test *ta = *(struct dmae_test *const *)a;
	const struct dmae_test *tb = *(struct dmae_test *const *)b;
	int r = strcmp(ta->file, tb->file);

	if (r)
		return r;
	return (ta->line > tb->line) - (ta->line < tb->line);
}

static struct dmae_test *test_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_tests; i++)
		if (strcmp(tests[i]->name, name) == 0)
			return tests[i];
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGABRT: return "SIGABRT";
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	case SIGTRAP: return "SIGTRAP";
	default: return "signal";
	}
}

/*
 * Start this binary with argument name.  out_fd >= 0 becomes the child's
 * stdout and stderr.  Returns 0 or a positive errno.
 */
static int spawn_self(const char *name, int out_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char *argv[3];
	int err;

	argv[0] = (char *)self_argv0;
	argv[1] = (char *)name;
	argv[2] = NULL;

	err = posix_spawn_file_actions_init(&fa);
	if (err)
		return err;
	if (out_fd >= 0) {
		err = posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
		if (!err)
			err = posix_spawn_file_actions_adddup2(&fa, out_fd,
							       STDERR_FILENO);
	}
	if (!err) {
		fflush(NULL);
		err = posix_spawn(pid, "/proc/self/exe", &fa, NULL, argv,
				  environ);
	}
	posix_spawn_file_actions_destroy(&fa);
	return err;
}

/*
 * Wait for pid, reading its output from rfd (if >= 0) into out.  After
 * timeout_s the child is killed with SIGKILL and *timed_out set.
 * Returns the wait status.
 */
static int wait_child(pid_t pid, int rfd, char *out, size_t outlen,
		      unsigned int timeout_s, bool *timed_out)
{
	const uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000u;
	size_t used = 0;
	bool exited = false;
	long nap_us = 100;
	int status = 0;

	*timed_out = false;
	if (out && outlen)
		out[0] = '\0';

	for (;;) {
		if (!exited) {
			pid_t r = waitpid(pid, &status, WNOHANG);

			if (r == pid || (r < 0 && errno != EINTR))
				exited = true;
		}
		if (exited && rfd < 0)
			break;
		if (now_ns() > deadline) {
			if (!exited) {
				kill(pid, SIGKILL);
				while (waitpid(pid, &status, 0) < 0 &&
				       errno == EINTR)
					;
				exited = true;
				*timed_out = true;
			} else if (rfd >= 0) {
				/* a grandchild keeps the pipe open */
				close(rfd);
				rfd = -1;
			}
			continue;
		}
		if (rfd >= 0) {
			struct pollfd p = { .fd = rfd, .events = POLLIN };
			char scratch[4096];
			ssize_t n;

			if (poll(&p, 1, 20) <= 0)
				continue;
			n = read(rfd, scratch, sizeof(scratch));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(rfd);
				rfd = -1;
				continue;
			}
			if (out && outlen > used + 1) {
				size_t k = (size_t)n;

				if (k > outlen - used - 1)
					k = outlen - used - 1;
				memcpy(out + used, scratch, k);
				used += k;
				out[used] = '\0';
			}
		} else {
			struct timespec ts = { 0, nap_us * 1000 };

			nanosleep(&ts, NULL);
			if (nap_us < 20000)
				nap_us *= 2;
		}
	}
	return status;
}

int test_run_child(const char *child_test, int *status, char *out,
		   size_t outlen)
{
	bool timed_out;
	int fds[2];
	pid_t pid;
	int err, st;

	if (!test_find(child_test))
		TEST_FAIL("test_run_child: no test named '%s'", child_test);
	if (pipe2(fds, O_CLOEXEC) < 0)
		TEST_FAIL("test_run_child: pipe: %s", strerror(errno));
	err = spawn_self(child_test, fds[1], &pid);
	close(fds[1]);
	if (err) {
		close(fds[0]);
		TEST_FAIL("test_run_child(%s): posix_spawn: %s", child_test,
			  strerror(err));
	}
	st = wait_child(pid, fds[0], out, outlen, CHILD_TIMEOUT_S, &timed_out);
	if (timed_out)
		fprintf(stderr, "harness: child %s killed after %d s\n",
			child_test, CHILD_TIMEOUT_S);
	if (status)
		*status = st;
	return st;
}

/* ---- running --------------------------------------------------------- */

/* ---- what the portable harness asks of the platform ------------------------ */

/* Leave at once, from any thread, without running atexit handlers. */
void test_platform_end(int code)
{
	_exit(code);
}

size_t test_big_len(size_t host_len)
{
	return host_len;
}

void test_yield(void)
{
	sched_yield();
}

const struct dmae_simdmac_config *test_platform_simdmac_config(void)
{
	return NULL;
}

const char *test_platform_default_provider(void)
{
	return "swdma";
}

/* A process has no provider of its own beyond swdma and simdmac. */
bool test_platform_provider_create(const char *name, struct test_env *env)
{
	(void)name;
	(void)env;
	return false;
}

int test_platform_provider_destroy(struct test_env *env)
{
	(void)env;
	return -ENODEV;
}

/* ---- death tests ---------------------------------------------------------- */

void dmae__test_child_aborts(const char *file, int line, const char *child,
			     const char *substr)
{
	static char out[64 * 1024];
	int st;

	test_run_child(child, &st, out, sizeof(out));
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT) {
		/* the expected way */
	} else if (WIFSIGNALED(st)) {
		fprintf(stderr, "--- output of %s ---\n%s--- end ---\n", child,
			out);
		dmae__test_fail(file, line,
				"ASSERT_CHILD_ABORTS(%s): killed by signal %d, "
				"not SIGABRT", child, WTERMSIG(st));
	} else if (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 77) {
		/* a sanitizer may turn abort into an error exit; 0/77 never */
		fprintf(stderr, "--- output of %s ---\n%s--- end ---\n", child,
			out);
		dmae__test_fail(file, line,
				"ASSERT_CHILD_ABORTS(%s): exited with %d",
				child, WEXITSTATUS(st));
	}
	if (substr && !strstr(out, substr)) {
		fprintf(stderr, "--- output of %s ---\n%s--- end ---\n", child,
			out);
		dmae__test_fail(file, line,
				"ASSERT_CHILD_ABORTS(%s): output lacks \"%s\"",
				child, substr);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s              run every test, each in a child process\n"
		"       %s NAME         run one test in this process\n"
		"       %s --list       list the tests\n",
		self_argv0, self_argv0, self_argv0);
}

static int run_one(struct dmae_test *t)
{
	if (t->child) {
		/* expected to die: no core files */
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
	}
	current = t->name;
	t->fn();
	printf("PASS %s\n", t->name);
	fflush(stdout);
	return 0;
}

static unsigned int timeout_for(const struct dmae_test *t)
{
	const char *env = getenv("DMAE_TEST_TIMEOUT");

	if (env && atoi(env) > 0)
		return (unsigned int)atoi(env);
	if (strncmp(t->name, "stress_", 7) == 0 ||
	    strncmp(t->name, "soak_", 5) == 0)
		return STRESS_TIMEOUT_S;
	return DEFAULT_TIMEOUT_S;
}

static int run_all(void)
{
	unsigned int i, run = 0, passed = 0, failed = 0, skipped = 0;
	const char *failures[MAX_TESTS];
	const uint64_t t0 = now_ns();

	for (i = 0; i < nr_tests; i++) {
		struct dmae_test *t = tests[i];
		bool timed_out;
		pid_t pid;
		int err, st;

		if (t->child)
			continue;
		run++;
		err = spawn_self(t->name, -1, &pid);
		if (err) {
			printf("FAIL %s: posix_spawn: %s\n", t->name,
			       strerror(err));
			failures[failed++] = t->name;
			continue;
		}
		st = wait_child(pid, -1, NULL, 0, timeout_for(t), &timed_out);
		if (timed_out) {
			printf("FAIL %s: timed out after %u s\n", t->name,
			       timeout_for(t));
			failures[failed++] = t->name;
		} else if (WIFSIGNALED(st)) {
			printf("FAIL %s: killed by %s (%d)\n", t->name,
			       signame(WTERMSIG(st)), WTERMSIG(st));
			failures[failed++] = t->name;
		} else if (WEXITSTATUS(st) == 0) {
			passed++;
		} else if (WEXITSTATUS(st) == 77) {
			skipped++;
		} else {
			/* exit 1 printed its own FAIL; say other codes */
			if (WEXITSTATUS(st) != 1)
				printf("FAIL %s: exit code %d\n", t->name,
				       WEXITSTATUS(st));
			failures[failed++] = t->name;
		}
		fflush(stdout);
	}

	printf("\n%u tests: %u passed, %u failed, %u skipped (%.2f s)\n", run,
	       passed, failed, skipped, (double)(now_ns() - t0) / 1e9);
	for (i = 0; i < failed; i++)
		printf("  failed: %s\n", failures[i]);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct dmae_test *t;
	unsigned int i;

	/* keep stdout and stderr in order when both go to one pipe */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 0 && argv[0])
		self_argv0 = argv[0];
	qsort(tests, nr_tests, sizeof(tests[0]), test_cmp);

	if (argc == 1)
		return run_all();
	if (argc != 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc == 2 ? stdout : stderr);
		return argc == 2 ? 0 : 2;
	}
	if (strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < nr_tests; i++)
			if (!tests[i]->child)
				printf("%s\n", tests[i]->name);
		return 0;
	}
	t = test_find(argv[1]);
	if (!t) {
		fprintf(stderr, "%s: no test named '%s' (try --list)\n",
			self_argv0, argv[1]);
		return 2;
	}
	return run_one(t);
}
