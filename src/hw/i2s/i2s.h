/* SPDX-License-Identifier: MIT */
/*
 * hw/i2s/i2s.h - a simulated I2S audio output with a DMA request line.
 * Internal.
 *
 * Included by board code and tests.  The output has a transmit FIFO fed
 * through its data register (a byte FIFO port, like the UART's) and a
 * frame clock: every 1/rate seconds it takes one frame (frame bytes)
 * from the FIFO and "plays" it: the bytes land in a capture ring the host
 * may read (i2s_host_read) to check what was played.
 *
 * The stream starts with the first byte written to the FIFO.  A frame
 * that is due while the FIFO holds less than a frame is starved: the
 * output plays silence in its slot (the frame is lost, the clock goes
 * on).  Counters:
 *
 *   frames_starved  every starved frame slot
 *   underruns       starved stretches: a run of consecutive starved frames
 *                   after a played one counts once
 *
 * After I2S_IDLE_STOP_NS of continuous starvation the stream stops (the
 * stretch stays counted) and restarts with the next byte written.
 *
 * Deadlines.  Frame n of a stream is due at start_ns + n * 10^9 / rate
 * (hw_time_ns clock), whatever the clock thread's wake-ups: the model
 * keeps the stream's start and counts its starts, so a client can tell
 * when each frame it supplies is due, and whether its deadlines hold (one
 * start: no restart moved them).
 */
#ifndef DMAE_HW_I2S_I2S_H
#define DMAE_HW_I2S_I2S_H

#include <stddef.h>
#include <stdint.h>

#include "hw/hw.h"

struct i2s_model;

struct i2s_config {
	uint32_t rate;		/* frames per second, 1..384000 */
	uint32_t frame;		/* bytes per frame, 1..64 */
	uint32_t fifo;		/* FIFO bytes, >= frame */
	uint32_t capture;	/* capture ring bytes (0: no capture) */
};

struct i2s_stats {
	uint64_t frames_played;
	uint64_t frames_starved;
	uint64_t underruns;
	uint64_t capture_dropped;	/* played bytes the full capture ring lost */
	uint64_t start_ns;		/* when frame 0 of the current stream was due */
	uint64_t starts;		/* streams started (1 + restarts) */
};

/* 0, -EINVAL, -ENOMEM, -EAGAIN. */
int i2s_create(const struct i2s_config *cfg, struct i2s_model **out);
void i2s_destroy(struct i2s_model *s);
struct hw_dma_port *i2s_dma_port(struct i2s_model *s);
/* Any context; never sleep. */
size_t i2s_host_read(struct i2s_model *s, void *buf, size_t len);
void i2s_get_stats(struct i2s_model *s, struct i2s_stats *st);

#endif /* DMAE_HW_I2S_I2S_H */
