/* SPDX-License-Identifier: MIT */
/*
 * dmae/list.h - intrusive doubly linked lists.
 *
 * Included by providers (through provider.h) and by the core.  The lists
 * carry no lock: each list head says which lock protects it.
 */
#ifndef DMAE_LIST_H
#define DMAE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct dmae_list {
	struct dmae_list *next;
	struct dmae_list *prev;
};

#define DMAE_LIST_INIT(name) { &(name), &(name) }

#define dmae_container_of(ptr, type, member)                                  \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static inline void dmae_list_init(struct dmae_list *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool dmae_list_empty(const struct dmae_list *h)
{
	return h->next == h;
}

static inline void dmae_list__insert(struct dmae_list *n, struct dmae_list *prev,
				     struct dmae_list *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void dmae_list_add_tail(struct dmae_list *n, struct dmae_list *h)
{
	dmae_list__insert(n, h->prev, h);
}

static inline void dmae_list_add(struct dmae_list *n, struct dmae_list *h)
{
	dmae_list__insert(n, h, h->next);
}

static inline void dmae_list_del(struct dmae_list *n)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	n->next = n;
	n->prev = n;
}

/* Move every entry of from to the tail of to; from becomes empty. */
static inline void dmae_list_splice_tail(struct dmae_list *from,
					 struct dmae_list *to)
{
	if (dmae_list_empty(from))
		return;
	from->next->prev = to->prev;
	to->prev->next = from->next;
	from->prev->next = to;
	to->prev = from->prev;
	dmae_list_init(from);
}

#define dmae_list_first(h, type, member)                                      \
	(dmae_list_empty(h) ? NULL : dmae_container_of((h)->next, type, member))

#define dmae_list_for_each(pos, h) for (pos = (h)->next; pos != (h); pos = pos->next)

#define dmae_list_for_each_safe(pos, tmp, h)                                  \
	for (pos = (h)->next, tmp = pos->next; pos != (h); pos = tmp, tmp = pos->next)

#endif /* DMAE_LIST_H */
