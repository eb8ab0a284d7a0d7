/* SPDX-License-Identifier: MIT */
/*
 * hw/ring.h - a byte ring for peripheral models (FIFOs, host-side sinks
 * and sources).  Internal.  Not thread-safe: the owner's lock protects it.
 */
#ifndef DMAE_HW_RING_H
#define DMAE_HW_RING_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct hw_ring {
	unsigned char *buf;
	size_t size;
	size_t head;		/* next byte to take; free-running */
	size_t tail;		/* next free slot; free-running */
};

static inline int hw_ring_init(struct hw_ring *r, size_t size)
{
	r->buf = malloc(size ? size : 1);
	r->size = size;
	r->head = r->tail = 0;
	return r->buf ? 0 : -1;
}

static inline void hw_ring_free(struct hw_ring *r)
{
	free(r->buf);
	r->buf = NULL;
}

static inline size_t hw_ring_count(const struct hw_ring *r)
{
	return r->tail - r->head;
}

static inline size_t hw_ring_room(const struct hw_ring *r)
{
	return r->size - hw_ring_count(r);
}

/* Append up to n bytes; returns how many fitted. */
static inline size_t hw_ring_put(struct hw_ring *r, const void *src, size_t n)
{
	const unsigned char *s = src;
	size_t i;

	if (n > hw_ring_room(r))
		n = hw_ring_room(r);
	for (i = 0; i < n; i++)
		r->buf[(r->tail + i) % r->size] = s[i];
	r->tail += n;
	return n;
}

/* Take up to n bytes (dst NULL: drop them); returns how many. */
static inline size_t hw_ring_get(struct hw_ring *r, void *dst, size_t n)
{
	unsigned char *d = dst;
	size_t i;

	if (n > hw_ring_count(r))
		n = hw_ring_count(r);
	for (i = 0; d && i < n; i++)
		d[i] = r->buf[(r->head + i) % r->size];
	r->head += n;
	return n;
}

/* Move up to n bytes from one ring to another; returns how many. */
static inline size_t hw_ring_move(struct hw_ring *to, struct hw_ring *from, size_t n)
{
	size_t i;

	if (n > hw_ring_count(from))
		n = hw_ring_count(from);
	if (n > hw_ring_room(to))
		n = hw_ring_room(to);
	for (i = 0; i < n; i++)
		to->buf[(to->tail + i) % to->size] = from->buf[(from->head + i) % from->size];
	to->tail += n;
	from->head += n;
	return n;
}

#endif /* DMAE_HW_RING_H */
