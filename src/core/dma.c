/* SPDX-License-Identifier: MIT */
/*
 * DMA mappings (dmae_dma_map): per provider, the regions its hardware may
 * touch.  A provider with an IOMMU checks each access with
 * dmae_dma_allowed(), from its hardware's threads; the table is a sorted
 * array under a spinlock, so a check is a binary search and never sleeps.
 * Mapping and unmapping allocate: task context.
 */
#include <string.h>

#include "core/core.h"

struct dma_map {
	uint64_t addr;
	uint64_t len;
	unsigned int dir;
};

struct dmae__dma_maps {
	dmae_spinlock_t lock;		/* everything below */
	struct dma_map *v;		/* sorted by addr, disjoint */
	uint32_t n, cap;
};

/*
 * The index of the first mapping whose last byte is at or after addr
 * (a mapping may end at the top of the address space).  Lock held.
 */
static uint32_t maps_find(const struct dmae__dma_maps *m, uint64_t addr)
{
	uint32_t lo = 0, hi = m->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].addr + (m->v[mid].len - 1) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool dmae_dma_allowed(struct dmae_provider *p, uint64_t addr, uint64_t len, bool write)
{
	struct dmae__dma_maps *m = atomic_load_explicit(&p->maps, memory_order_acquire);
	dmae_irqflags_t f;
	bool ok = false;
	uint32_t i;

	if (!p->iommu)
		return true;
	if (!m || !len || len - 1 > UINT64_MAX - addr)
		return false;
	dmae_spin_lock_irqsave(&m->lock, &f);
	i = maps_find(m, addr);
	if (i < m->n) {
		const struct dma_map *r = &m->v[i];

		ok = r->addr <= addr && addr + len - 1 <= r->addr + r->len - 1 &&
		     (r->dir & (write ? DMAE_DMA_FROM_DEVICE : DMAE_DMA_TO_DEVICE));
	}
	dmae_spin_unlock_irqrestore(&m->lock, f);
	return ok;
}

static int map_check(struct dmae_chan *chan, const void *cpu, size_t len, unsigned int dir,
		     const void *out)
{
	static const char fn[] = "dmae_dma_map";
	enum dmae_chan_state s;

	if (!chan || !cpu || !out)
		return dmae_fail(EINVAL, "%s: NULL %s", fn, !chan ? "channel" :
				 !cpu ? "address" : "out-pointer");
	s = (enum dmae_chan_state)atomic_load(&chan->state);
	if (s == DMAE_CHAN_REVOKED)
		return dmae_fail(ENODEV, "%s: %s is revoked", fn, chan->name);
	if (s == DMAE_CHAN_FREE)
		return dmae_fail(EBADF, "%s: %s is not requested", fn, chan->name);
	if (!len || len - 1 > UINTPTR_MAX - (uintptr_t)cpu)
		return dmae_fail(EINVAL, "%s: %s: %lu bytes at %p: empty or wrapping", fn,
				 chan->name, (unsigned long)len, cpu);
	if (!dir || (dir & ~DMAE_DMA_BIDIRECTIONAL))
		return dmae_fail(EINVAL, "%s: %s: direction 0x%x", fn, chan->name, dir);
	return 0;
}

/* The provider's table, created on first use.  Registry lock held. */
static struct dmae__dma_maps *maps_of(struct dmae_provider *p)
{
	struct dmae__dma_maps *m = atomic_load_explicit(&p->maps, memory_order_relaxed);

	if (!m) {
		m = dmae__zalloc(sizeof(*m));
		if (!m)
			return NULL;
		dmae_spin_init(&m->lock);
		/* the controller's threads read it: publish it initialised */
		atomic_store_explicit(&p->maps, m, memory_order_release);
	}
	return m;
}

/* Insert r (space reserved).  Lock held.  -EEXIST if it overlaps. */
static int maps_insert(struct dmae__dma_maps *m, const struct dma_map *r)
{
	uint32_t i = maps_find(m, r->addr);

	if (i < m->n && m->v[i].addr <= r->addr + r->len - 1)
		return -EEXIST;
	if (i < m->n)
		memmove(&m->v[i + 1], &m->v[i], sizeof(*m->v) * (m->n - i));
	m->v[i] = *r;
	m->n++;
	return 0;
}

int dmae_dma_map(struct dmae_chan *chan, const void *cpu, size_t len, unsigned int dir,
		 dmae_addr_t *out)
{
	struct dma_map r = { (uint64_t)(uintptr_t)cpu, len, dir };
	struct dmae__dma_maps *m;
	struct dma_map *grown = NULL, *old = NULL;
	dmae_irqflags_t f;
	int ret;

	dmae_might_sleep();
	ret = map_check(chan, cpu, len, dir, out);
	if (!ret)
		ret = dmae__registry_enter("dmae_dma_map");
	if (ret)
		return ret;
	m = maps_of(chan->provider);
	if (m && m->n == m->cap)
		grown = dmae__zalloc(sizeof(*grown) * (m->cap ? m->cap * 2 : 16));
	if (!m || (m->n == m->cap && !grown)) {
		dmae__registry_unlock();
		return -ENOMEM;
	}
	dmae_spin_lock_irqsave(&m->lock, &f);
	if (grown) {
		if (m->n)
			memcpy(grown, m->v, sizeof(*m->v) * m->n);
		old = m->v;
		m->v = grown;
		m->cap = m->cap ? m->cap * 2 : 16;
	}
	ret = maps_insert(m, &r);
	dmae_spin_unlock_irqrestore(&m->lock, f);
	dmae__registry_unlock();
	dmae__free(old);
	if (ret)
		return dmae_fail(EEXIST, "dmae_dma_map: %s: %lu bytes at %p overlap a mapping",
				 chan->name, (unsigned long)len, cpu);
	*out = r.addr;
	return 0;
}

int dmae_dma_unmap(struct dmae_chan *chan, dmae_addr_t addr, size_t len)
{
	struct dmae__dma_maps *m;
	dmae_irqflags_t f;
	uint32_t i;
	int ret;

	dmae_might_sleep();
	if (!chan)
		return dmae_fail(EINVAL, "dmae_dma_unmap: NULL channel");
	ret = dmae__registry_enter("dmae_dma_unmap");
	if (ret)
		return ret;
	m = chan->provider->maps;
	ret = -ENOENT;
	if (m) {
		dmae_spin_lock_irqsave(&m->lock, &f);
		i = maps_find(m, addr);
		if (i < m->n && m->v[i].addr == addr && m->v[i].len == len) {
			if (i + 1 < m->n)
				memmove(&m->v[i], &m->v[i + 1], sizeof(*m->v) * (m->n - i - 1));
			m->n--;
			ret = 0;
		}
		dmae_spin_unlock_irqrestore(&m->lock, f);
	}
	dmae__registry_unlock();
	if (ret)
		return dmae_fail(ENOENT, "dmae_dma_unmap: %s: no mapping of %lu bytes at 0x%llx",
				 chan->name, (unsigned long)len, (unsigned long long)addr);
	return 0;
}

void dmae__dma_maps_free(struct dmae_provider *p)
{
	if (!p->maps)
		return;
	dmae__free(p->maps->v);
	dmae__free(p->maps);
	p->maps = NULL;
}
