/* SPDX-License-Identifier: MIT */
/*
 * Cookie arithmetic.
 *
 * Cookies run 1..DMAE_COOKIE_MAX and wrap to 1.  A channel completes in
 * submission order, so its cookies fall in three runs, modulo the wrap:
 *
 *       ... done ... | completed_cookie | ... pending ... | cookie (last used) | future
 *
 * Before the first wrap, cookies below first_cookie were never issued by
 * this channel (first_cookie is scrambled per request so that a cookie of
 * another channel is very likely outside the range).  After a wrap every
 * value has been issued once; a value more than half the space ahead of
 * the last one is treated as from the future.
 */
#include "core/core.h"

#define SPACE ((int64_t)DMAE_COOKIE_MAX)

/*
 * Steps from a forward to b, in [0, SPACE).  Both are valid cookies (in
 * [DMAE_COOKIE_MIN, DMAE_COOKIE_MAX]), so b - a is within one SPACE and no
 * division is needed: status() classifies twice per call.
 */
static int64_t dist(dmae_cookie_t a, dmae_cookie_t b)
{
	int64_t d = (int64_t)b - a;

	return d < 0 ? d + SPACE : d;
}

bool dmae__cookie_in_range(dmae_cookie_t c, dmae_cookie_t lo, dmae_cookie_t hi)
{
	return dist(lo, c) <= dist(lo, hi);
}

/* c is between the last completed and the last used cookie. */
static bool pending(const struct dmae_chan *chan, dmae_cookie_t c, dmae_cookie_t used)
{
	dmae_cookie_t done = atomic_load_explicit(&chan->completed_cookie, memory_order_relaxed);

	return c != done && dmae__cookie_in_range(c, done, used);
}

bool dmae__cookie_maybe_pending(const struct dmae_chan *chan, dmae_cookie_t c)
{
	return c >= DMAE_COOKIE_MIN &&
	       pending(chan, c, atomic_load_explicit(&chan->cookie, memory_order_relaxed));
}

enum dmae__cookie_class dmae__cookie_classify(const struct dmae_chan *chan,
					      dmae_cookie_t c)
{
	dmae_cookie_t used = atomic_load_explicit(&chan->cookie, memory_order_relaxed);

	if (c < DMAE_COOKIE_MIN)
		return DMAE__COOKIE_INVALID;
	if (!atomic_load_explicit(&chan->cookie_wrapped, memory_order_relaxed)) {
		if (c < chan->first_cookie || c > used)
			return DMAE__COOKIE_INVALID;
	} else if (dist(c, used) >= SPACE / 2) {
		return DMAE__COOKIE_INVALID;
	}
	if (pending(chan, c, used))
		return DMAE__COOKIE_PENDING;
	return DMAE__COOKIE_DONE;
}
