/* hmap — a small open-addressing hash map from fixed-size keys (up to
 * HMAP_KEY bytes, zero-padded by the caller) to int values. Used where the
 * trace must find a door or a host per packet in constant time. */
#ifndef DOORWAY_HMAP_H
#define DOORWAY_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_KEY 40

struct hmap_slot {
	uint8_t key[HMAP_KEY];
	int val;
	uint8_t used;
};

struct hmap {
	struct hmap_slot *s;
	size_t cap, n;
};

/* Insert or replace. */
void hmap_put(struct hmap *m, const void *key, int val);
/* The value, or -1. */
int hmap_get(const struct hmap *m, const void *key);
void hmap_clear(struct hmap *m);
void hmap_free(struct hmap *m);

#endif
