/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/perf_ratio.c - the paired ratio every "x" column of
 * "dmae perf" prints (perf.h says what it is).  On its own so that
 * tests/test_perf_ratio.c checks its rules without running a benchmark.
 */
#include <stdlib.h>

#include "perf.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double perf_ratio(const struct perf_case *a, const struct perf_case *b)
{
	double v[PERF_MAX_REPS];
	uint32_t i, n = 0, reps = 0;

	/* rounds pair up only between cases of one group, run alike */
	if (a && b && a->nreps == b->nreps && a->nreps <= PERF_MAX_REPS)
		reps = a->nreps;
	/* a round in which b moved nothing (descheduled throughout) has no ratio */
	for (i = 0; i < reps; i++) {
		if (b->rep_gbs[i] > 0)
			v[n++] = a->rep_gbs[i] / b->rep_gbs[i];
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
