#include "hmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t hmap_hash(const uint8_t *k)
{
	/* five 64-bit words, multiply-xorshift mixing */
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < HMAP_KEY; i += 8) {
		uint64_t w;
		memcpy(&w, k + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	return h;
}

static void hmap_grow(struct hmap *m)
{
	struct hmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->s = xcalloc(m->cap, sizeof *m->s);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.s[i].used)
			hmap_put(m, old.s[i].key, old.s[i].val);
	free(old.s);
}

void hmap_put(struct hmap *m, const void *key, int val)
{
	if ((m->n + 1) * 4 >= m->cap * 3)
		hmap_grow(m);
	size_t i = (size_t)hmap_hash(key) & (m->cap - 1);
	while (m->s[i].used && memcmp(m->s[i].key, key, HMAP_KEY))
		i = (i + 1) & (m->cap - 1);
	if (!m->s[i].used) {
		memcpy(m->s[i].key, key, HMAP_KEY);
		m->s[i].used = 1;
		m->n++;
	}
	m->s[i].val = val;
}

int hmap_get(const struct hmap *m, const void *key)
{
	if (!m->cap)
		return -1;
	size_t i = (size_t)hmap_hash(key) & (m->cap - 1);
	while (m->s[i].used) {
		if (!memcmp(m->s[i].key, key, HMAP_KEY))
			return m->s[i].val;
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

void hmap_clear(struct hmap *m)
{
	if (m->s)
		memset(m->s, 0, m->cap * sizeof *m->s);
	m->n = 0;
}

void hmap_free(struct hmap *m)
{
	free(m->s);
	m->s = NULL;
	m->cap = m->n = 0;
}
