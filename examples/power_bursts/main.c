/* SPDX-License-Identifier: MIT */
/*
 * A consumer whose channel powers down between bursts.
 *
 * The simulated controller (simdmac) has clock gates for the controller
 * and each channel, and its driver only says how to gate them.  The client
 * below never calls a power function: it moves a burst of copies every
 * 20 ms.  The core takes a usage count on the channel's device when work
 * arrives, resumes it (the controller first) before the hardware sees the
 * work, and lets it suspend again once it has been idle for its
 * autosuspend delay.  Then the client says it is active for a second run
 * (dmae_dev_pm_get_sync on its device): the request's link keeps the
 * channel powered.  For both runs it prints the fraction of time the
 * channel spent suspended and the latency of the first copy of a burst,
 * which pays for the resume in the first run.  Exit status 0 only if every
 * copy verified and no register was touched while unclocked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>

#define BURSTS 10
#define COPIES 16
#define LEN 4096
#define GAP_NS (20ull * 1000000ull)

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", what, dmae_strerror(ret));
		exit(1);
	}
}

/* One burst: COPIES memcpys, the last one signalling done. */
static int burst(struct dmae_chan *chan, unsigned char (*src)[LEN], unsigned char (*dst)[LEN],
		 int round)
{
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res = { 0 };
	struct dmae_desc *d;
	int i;

	for (i = 0; i < COPIES; i++) {
		memset(src[i], round * COPIES + i, LEN);
		check(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst[i]), dmae_addr_of(src[i]), LEN,
					    DMAE_PREP_ACK | (i == COPIES - 1 ? DMAE_PREP_INTERRUPT : 0),
					    &d), "prep");
		if (i == COPIES - 1)
			check(dmae_desc_set_completion(d, &done, &res), "set_completion");
		check(dmae_desc_submit(d), "submit");
	}
	check(dmae_chan_issue_pending(chan), "issue_pending");
	dmae_completion_wait(&done);
	for (i = 0; i < COPIES; i++) {
		if (memcmp(dst[i], src[i], LEN))
			return -1;
	}
	return res.code == DMAE_RESULT_OK ? 0 : -1;
}

struct phase {
	const char *what;
	uint64_t first_ns;	/* sum of the first copy's latency per burst */
	double suspended;	/* fraction of the run */
	uint64_t resumes;
	int bad;
};

/*
 * BURSTS bursts GAP_NS apart.  Each starts with one copy on its own, timed
 * from submit to its completion: after a suspend that includes the resume.
 */
static void run_phase(struct dmae_chan *chan, unsigned char (*src)[LEN],
		      unsigned char (*dst)[LEN], struct phase *ph)
{
	struct dmae_dev_pm_info p0, p1;
	uint64_t t0 = dmae_time_ns(), t;
	int round;

	check(dmae_dev_pm_info_get(dmae_chan_dev(chan), &p0), "pm_info_get");
	for (round = 0; round < BURSTS; round++) {
		struct dmae_completion done = DMAE_COMPLETION_INIT;
		struct dmae_desc *d;

		t = dmae_time_ns();
		check(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst[0]), dmae_addr_of(src[0]), 64,
					    DMAE_PREP_ACK | DMAE_PREP_INTERRUPT, &d), "prep");
		check(dmae_desc_set_completion(d, &done, NULL), "set_completion");
		check(dmae_desc_submit(d), "submit");
		check(dmae_chan_issue_pending(chan), "issue_pending");
		dmae_completion_wait(&done);
		ph->first_ns += dmae_time_ns() - t;
		ph->bad |= burst(chan, src, dst, round);
		dmae_sleep_ns(GAP_NS);
	}
	check(dmae_dev_pm_info_get(dmae_chan_dev(chan), &p1), "pm_info_get");
	ph->suspended = (double)(p1.suspended_ns - p0.suspended_ns) / (double)(dmae_time_ns() - t0);
	ph->resumes = p1.resumes - p0.resumes;
}

int main(void)
{
	static unsigned char src[COPIES][LEN], dst[COPIES][LEN];
	struct phase ph[2] = { { .what = "idle client (channel suspends between bursts)" },
			       { .what = "active client (dmae_dev_pm_get_sync: never suspends)" } };
	struct dmae_simdmac *soc;
	struct dmae_dev *dev;
	struct dmae_chan *chan;
	uint64_t gated;
	int i;

	check(dmae_init(), "dmae_init");
	check(dmae_simdmac_create(NULL, &soc), "dmae_simdmac_create");
	check(dmae_dev_create("bursty", &dev), "dmae_dev_create");
	check(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, NULL, NULL, NULL, &chan), "request");
	run_phase(chan, src, dst, &ph[0]);
	/* the consumer says it is active: the request's link keeps the channel on */
	check(dmae_dev_pm_get_sync(dev), "pm_get_sync");
	run_phase(chan, src, dst, &ph[1]);
	check(dmae_dev_pm_put(dev), "pm_put");
	gated = dmae_simdmac_gated_accesses(soc);
	for (i = 0; i < 2; i++)
		printf("%s: %-54s %d bursts %s, %5.1f %% suspended, %2llu resumes, first copy "
		       "of a burst %7.1f us\n", dmae_chan_name(chan), ph[i].what, BURSTS,
		       ph[i].bad ? "FAILED" : "verified", 100.0 * ph[i].suspended,
		       (unsigned long long)ph[i].resumes,
		       (double)ph[i].first_ns / BURSTS / 1e3);
	printf("unclocked register accesses: %llu\n", (unsigned long long)gated);
	check(dmae_chan_release(chan), "release");
	check(dmae_dev_destroy(dev), "dmae_dev_destroy");
	check(dmae_simdmac_destroy(soc), "dmae_simdmac_destroy");
	dmae_exit();
	return ph[0].bad || ph[1].bad || gated ? 1 : 0;
}
