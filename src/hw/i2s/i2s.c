/* SPDX-License-Identifier: MIT */
/*
 * The simulated I2S output.  See i2s.h.
 *
 * The frame clock is a thread that wakes every I2S_TICK_NS while the
 * stream runs and plays every frame due since the stream started
 * (frames due = elapsed * rate), so a late wake-up plays the missed
 * frames at once instead of drifting; the FIFO must hold a few ticks of
 * audio for that to work, which is why it is larger than a real one.
 * State is protected by s->lock.
 */
#include <errno.h>
#include <stdlib.h>

#include "hw/i2s/i2s.h"
#include "hw/ring.h"

#define I2S_TICK_NS 1000000ull
#define I2S_IDLE_STOP_NS 100000000ull

struct i2s_model {
	struct i2s_config cfg;
	struct hw_lock lock;
	struct hw_ring fifo, capture;
	bool running, starving;
	uint64_t start_ns, frames_done, starve_since;
	struct i2s_stats st;
	uint32_t dr;
	struct hw_dma_port port;

	atomic_uint wake;
	atomic_bool stop;
	struct hw_thread *thread;
};

enum play { PLAY_CAUGHT_UP, PLAY_NEED_DATA };

/*
 * Play the frames due at now.  Lock held.  With starve false, stop at the
 * first frame the FIFO cannot supply (PLAY_NEED_DATA), so the caller can
 * raise the request and try again; with starve true that frame's slot is
 * lost.  *played counts the frames taken from the FIFO.
 */
static enum play i2s_clock(struct i2s_model *s, uint64_t now, bool starve, uint64_t *played)
{
	uint64_t due = (now - s->start_ns) * s->cfg.rate / 1000000000ull;
	unsigned char frame[64];

	while (s->running && s->frames_done < due) {
		if (hw_ring_count(&s->fifo) >= s->cfg.frame) {
			s->frames_done++;
			hw_ring_get(&s->fifo, frame, s->cfg.frame);
			if (s->capture.size)
				s->st.capture_dropped +=
					s->cfg.frame - hw_ring_put(&s->capture, frame, s->cfg.frame);
			s->st.frames_played++;
			s->starving = false;
			(*played)++;
			continue;
		}
		if (!starve)
			return PLAY_NEED_DATA;
		s->frames_done++;
		s->st.frames_starved++;
		if (!s->starving) {
			s->starving = true;
			s->st.underruns++;
			s->starve_since = now;
		} else if (now - s->starve_since > I2S_IDLE_STOP_NS) {
			s->running = false;	/* clock gated until new data */
		}
	}
	return PLAY_CAUGHT_UP;
}

/*
 * The frame clock.  Each tick plays what is due; when the FIFO runs dry
 * on the way it raises its request (notify) and, if the DMA delivered,
 * goes on: a late tick catches up instead of starving because the thread
 * itself was late.  Only a FIFO the DMA does not refill starves.
 */
static void i2s_thread(void *arg)
{
	struct i2s_model *s = arg;

	while (!atomic_load(&s->stop)) {
		unsigned int seq = atomic_load(&s->wake);
		uint64_t now = hw_time_ns(), played = 0;
		enum play r;
		bool running;

		for (;;) {
			hw_lock(&s->lock);
			r = i2s_clock(s, now, false, &played);
			hw_unlock(&s->lock);
			if (r == PLAY_CAUGHT_UP)
				break;
			hw_dma_port_notify(&s->port);	/* FIFO empty: request */
			hw_lock(&s->lock);
			r = hw_ring_count(&s->fifo) >= s->cfg.frame ? PLAY_NEED_DATA
								    : i2s_clock(s, now, true, &played);
			hw_unlock(&s->lock);
			if (r == PLAY_CAUGHT_UP)
				break;
		}
		hw_lock(&s->lock);
		running = s->running;
		hw_unlock(&s->lock);
		if (played)
			hw_dma_port_notify(&s->port);
		if (running)
			hw_sleep_ns(I2S_TICK_NS);
		else
			hw_wait(&s->wake, seq, HW_FOREVER);
	}
}

static uint32_t i2s_level(void *ctx, enum hw_dma_dir dir)
{
	struct i2s_model *s = ctx;
	size_t n = 0;

	if (dir != HW_DMA_TO_DEV)
		return 0;
	hw_lock(&s->lock);
	n = hw_ring_room(&s->fifo);
	hw_unlock(&s->lock);
	return (uint32_t)n;
}

static int i2s_write(void *ctx, uint64_t addr, const void *buf, uint32_t n, uint32_t width)
{
	struct i2s_model *s = ctx;
	bool start = false;

	(void)width;
	if (addr != s->port.addr)
		return HW_BUS_ERROR;
	hw_lock(&s->lock);
	hw_ring_put(&s->fifo, buf, n);
	if (!s->running) {
		s->running = true;
		s->starving = false;
		s->start_ns = hw_time_ns();
		s->frames_done = 0;
		s->st.start_ns = s->start_ns;
		s->st.starts++;
		start = true;
	}
	hw_unlock(&s->lock);
	if (start) {
		atomic_fetch_add(&s->wake, 1);
		hw_wake(&s->wake, 1);
	}
	return HW_BUS_OK;
}

static int i2s_read(void *ctx, uint64_t addr, void *buf, uint32_t n, uint32_t width)
{
	(void)ctx, (void)addr, (void)buf, (void)n, (void)width;
	return HW_BUS_ERROR;	/* an output: nothing to read */
}

size_t i2s_host_read(struct i2s_model *s, void *buf, size_t len)
{
	size_t n;

	hw_lock(&s->lock);
	n = hw_ring_get(&s->capture, buf, len);
	hw_unlock(&s->lock);
	return n;
}

void i2s_get_stats(struct i2s_model *s, struct i2s_stats *st)
{
	hw_lock(&s->lock);
	*st = s->st;
	hw_unlock(&s->lock);
}

struct hw_dma_port *i2s_dma_port(struct i2s_model *s)
{
	return &s->port;
}

int i2s_create(const struct i2s_config *cfg, struct i2s_model **out)
{
	struct i2s_model *s;
	int ret = -ENOMEM;

	if (!cfg || !out || !cfg->rate || cfg->rate > 384000 || !cfg->frame ||
	    cfg->frame > 64 || cfg->fifo < cfg->frame)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = *cfg;
	hw_lock_init(&s->lock);
	if (hw_ring_init(&s->fifo, cfg->fifo) || hw_ring_init(&s->capture, cfg->capture))
		goto err;
	s->port = (struct hw_dma_port){
		.ctx = s,
		.addr = (uint64_t)(uintptr_t)&s->dr,
		.level = i2s_level,
		.write = i2s_write,
		.read = i2s_read,
	};
	ret = hw_thread_start(&s->thread, "i2s", i2s_thread, s);
	if (ret)
		goto err;
	*out = s;
	return 0;
err:
	hw_ring_free(&s->fifo);
	hw_ring_free(&s->capture);
	free(s);
	return ret;
}

void i2s_destroy(struct i2s_model *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	atomic_fetch_add(&s->wake, 1);
	hw_wake(&s->wake, 1);
	hw_thread_join(s->thread);
	hw_ring_free(&s->fifo);
	hw_ring_free(&s->capture);
	free(s);
}
