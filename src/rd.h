/* rd — a bounds-checked byte cursor for reading packets.
 *
 * Every packet byte is read through these getters. A read past the end
 * returns zeros, moves nothing and sets the sticky flag `bad`; a decoder
 * reads a whole header and checks `bad` once. Packet memory is never cast
 * to a struct.
 *
 * `base` is the first byte of the whole packet: it is inherited by rd_sub()
 * so that rd_off() gives a position in the captured packet from any
 * sub-cursor (for field offsets shown in the packet-detail pane). */
#ifndef DOORWAY_RD_H
#define DOORWAY_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p, *end;
	bool bad;
	const uint8_t *base;
};

static inline void rd_init(struct rd *r, const uint8_t *p, size_t n)
{
	r->p = p;
	r->end = p + n;
	r->bad = false;
	r->base = p;
}

/* Bytes left to read. */
static inline size_t rd_left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

/* Offset of the cursor from the start of the packet. */
static inline uint32_t rd_off(const struct rd *r)
{
	return (uint32_t)(r->p - r->base);
}

/* True when n more bytes can be read. Does not set bad. */
static inline bool rd_has(const struct rd *r, size_t n)
{
	return rd_left(r) >= n;
}

/* The next byte without moving, 0 at the end. Does not set bad. */
static inline uint8_t rd_peek_u8(const struct rd *r)
{
	return !r->bad && r->p < r->end ? r->p[0] : 0;
}

/* Take n bytes or mark the cursor bad: returns the bytes' start or NULL. */
static inline const uint8_t *rd_take(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->bad || rd_left(r) < n) {
		r->bad = true;
		return NULL;
	}
	q = r->p;
	r->p += n;
	return q;
}

static inline uint8_t rd_u8(struct rd *r)
{
	const uint8_t *q = rd_take(r, 1);

	return q != NULL ? q[0] : 0;
}

static inline uint16_t rd_be16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);

	return q != NULL ? (uint16_t)((unsigned)q[0] << 8 | q[1]) : 0;
}

static inline uint32_t rd_be32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4);

	return q != NULL ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3] : 0;
}

static inline uint16_t rd_le16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);

	return q != NULL ? (uint16_t)((unsigned)q[1] << 8 | q[0]) : 0;
}

static inline uint32_t rd_le32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4);

	return q != NULL ? (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[1] << 8 | q[0] : 0;
}

/* Copy n bytes to dst; on a short read dst is zero-filled and bad set. */
static inline void rd_bytes(struct rd *r, void *dst, size_t n)
{
	const uint8_t *q = rd_take(r, n);

	if (q != NULL)
		memcpy(dst, q, n);
	else if (n > 0)
		memset(dst, 0, n);
}

static inline void rd_skip(struct rd *r, size_t n)
{
	(void)rd_take(r, n);
}

/* A cursor over the next n bytes, bounded by a length field. The parent
 * moves past them. When fewer than n are left the sub-cursor covers what
 * there is and the parent is marked bad (and moved to its end). */
static inline struct rd rd_sub(struct rd *r, size_t n)
{
	struct rd s;
	size_t left = r->bad ? 0 : rd_left(r);

	if (n > left) {
		n = left;
		r->bad = true;
	}
	s.p = r->p;
	s.end = r->p + n;
	s.bad = false;
	s.base = r->base;
	r->p += n;
	return s;
}

#endif
