/* SPDX-License-Identifier: MIT */
/*
 * tests/test_perf_ratio.c - the paired ratio behind every "x" column of
 * "dmae perf" (tools/dmae/perf_ratio.c): the median of round-by-round
 * ratios, rounds in which the baseline moved nothing left out, and no
 * ratio at all (0) where the two cases cannot be paired.
 *
 * Every figure below is exact in binary, so the comparisons are exact.
 */
#include <string.h>

#include "perf.h"
#include "test.h"

static struct perf_case run_of(uint32_t n, const double *gbs)
{
	struct perf_case c;

	memset(&c, 0, sizeof(c));
	c.nreps = n;
	memcpy(c.rep_gbs, gbs, n * sizeof(gbs[0]));
	return c;
}

/* The median of the per-round ratios, not the ratio of the medians. */
DMAE_TEST(median_of_round_ratios)
{
	/* rounds: 4/2 = 2, 3/4 = 0.75, 8/2 = 4; medians 4 and 2 would say 2 */
	struct perf_case a = run_of(3, (const double[]){ 4, 3, 8 });
	struct perf_case b = run_of(3, (const double[]){ 2, 4, 2 });

	ASSERT_TRUE(perf_ratio(&a, &b) == 2.0);
	ASSERT_TRUE(perf_ratio(&b, &a) == 0.5);
}

DMAE_TEST(even_rounds_average_the_middle_two)
{
	struct perf_case a = run_of(4, (const double[]){ 1, 3, 5, 8 });
	struct perf_case b = run_of(4, (const double[]){ 1, 1, 1, 1 });

	ASSERT_TRUE(perf_ratio(&a, &b) == 4.0);
}

/* A round in which the baseline moved nothing is left out, not divided by. */
DMAE_TEST(zero_baseline_round_left_out)
{
	struct perf_case a = run_of(3, (const double[]){ 6, 5, 3 });
	struct perf_case b = run_of(3, (const double[]){ 2, 0, 2 });

	/* rounds 3 and 1.5 remain: their median is 2.25 */
	ASSERT_TRUE(perf_ratio(&a, &b) == 2.25);
}

DMAE_TEST(zero_baseline_everywhere_has_no_ratio)
{
	struct perf_case a = run_of(3, (const double[]){ 6, 5, 3 });
	struct perf_case b = run_of(3, (const double[]){ 0, 0, 0 });

	ASSERT_TRUE(perf_ratio(&a, &b) == 0.0);
}

/* The measured case moving nothing is a real figure: 0. */
DMAE_TEST(zero_measured_round_counts)
{
	struct perf_case a = run_of(3, (const double[]){ 0, 0, 4 });
	struct perf_case b = run_of(3, (const double[]){ 2, 2, 2 });

	ASSERT_TRUE(perf_ratio(&a, &b) == 0.0);
	a = run_of(3, (const double[]){ 0, 4, 4 });
	ASSERT_TRUE(perf_ratio(&a, &b) == 2.0);
}

/* Cases that did not run the same rounds, or are absent, do not pair. */
DMAE_TEST(unpaired_cases_have_no_ratio)
{
	struct perf_case a = run_of(3, (const double[]){ 2, 2, 2 });
	struct perf_case b = run_of(4, (const double[]){ 1, 1, 1, 1 });
	struct perf_case none = run_of(0, (const double[]){ 0 });

	ASSERT_TRUE(perf_ratio(&a, &b) == 0.0);
	ASSERT_TRUE(perf_ratio(&a, NULL) == 0.0);
	ASSERT_TRUE(perf_ratio(NULL, &b) == 0.0);
	ASSERT_TRUE(perf_ratio(&none, &none) == 0.0);
	a.nreps = b.nreps = PERF_MAX_REPS + 1;
	ASSERT_TRUE(perf_ratio(&a, &b) == 0.0);
}
