#include "fault.h"

#include <stdio.h>
#include <string.h>

#include "rd.h"

/* splitmix64's finaliser: a good 64-bit mix of its input. */
static uint64_t fault_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A uniform draw in [0, FAULT_PPM) for decision salt of frame n of link. */
static uint32_t fault_draw(uint64_t seed, unsigned link, uint64_t n, unsigned salt)
{
	uint64_t x = fault_mix(seed ^ fault_mix(((uint64_t)link << 40) ^ ((uint64_t)salt << 56) ^ n));
	return (uint32_t)((x >> 11) % FAULT_PPM);
}

bool fault_any(const struct fault_cfg *c)
{
	return c->loss_ppm || c->dup_ppm || c->reorder_ppm || c->delay_ms || c->jitter_ms ||
	       c->rate_bps || c->drop_nth || c->hold_nth;
}

void fault_merge(struct fault_cfg *out, const struct fault_cfg *lab, const struct fault_cfg *link)
{
	struct fault_cfg r = *lab;
	uint32_t s = link->set;
	if (s & FAULT_SET_LOSS)
		r.loss_ppm = link->loss_ppm;
	if (s & FAULT_SET_DELAY)
		r.delay_ms = link->delay_ms;
	if (s & FAULT_SET_JITTER)
		r.jitter_ms = link->jitter_ms;
	if (s & FAULT_SET_DUP)
		r.dup_ppm = link->dup_ppm;
	if (s & FAULT_SET_REORDER)
		r.reorder_ppm = link->reorder_ppm;
	if (s & FAULT_SET_RATE)
		r.rate_bps = link->rate_bps;
	if (s & FAULT_SET_DROP_NTH)
		r.drop_nth = link->drop_nth;
	if (s & FAULT_SET_HOLD_NTH) {
		r.hold_nth = link->hold_nth;
		r.hold_ms = link->hold_ms;
	}
	r.set = lab->set | s;
	*out = r;
}

enum { FAULT_SALT_LOSS = 1, FAULT_SALT_DUP, FAULT_SALT_REORDER, FAULT_SALT_JITTER };

void fault_decide(const struct fault_cfg *c, uint64_t seed, unsigned link, uint64_t n,
		  struct fault_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (c->drop_nth && n == c->drop_nth) {
		v->drop = true;
		return;
	}
	if (c->loss_ppm && fault_draw(seed, link, n, FAULT_SALT_LOSS) < c->loss_ppm) {
		v->drop = true;
		return;
	}
	uint64_t ms = c->delay_ms;
	if (c->jitter_ms) {
		/* uniform in [-jitter, +jitter], never below zero */
		uint32_t j = fault_draw(seed, link, n, FAULT_SALT_JITTER) % (2 * c->jitter_ms + 1);
		int64_t d = (int64_t)ms + (int64_t)j - (int64_t)c->jitter_ms;
		ms = d < 0 ? 0 : (uint64_t)d;
	}
	if (c->reorder_ppm && fault_draw(seed, link, n, FAULT_SALT_REORDER) < c->reorder_ppm) {
		v->reordered = true;
		ms += FAULT_REORDER_MS;
	}
	if (c->hold_nth && n == c->hold_nth)
		ms += c->hold_ms;
	v->delay_ns = ms * 1000000ull;
	v->dup = c->dup_ppm && fault_draw(seed, link, n, FAULT_SALT_DUP) < c->dup_ppm;
}

uint64_t fault_tx_ns(uint64_t rate_bps, size_t len)
{
	if (!rate_bps)
		return 0;
	/* the frame with preamble, start delimiter, FCS and gap: 24 bytes more */
	return ((uint64_t)len + 24) * 8ull * 1000000000ull / rate_bps;
}

bool fault_applies(const uint8_t *frame, size_t len)
{
	struct rd r;
	rd_init(&r, frame, len);
	uint8_t dst0 = rd_u8(&r);
	rd_skip(&r, 11);
	uint16_t type = rd_be16(&r);
	if (r.bad || (dst0 & 1))
		return false;
	if (type == 0x0800)
		return true;
	if (type != 0x86dd)
		return false;
	/* IPv6: neighbour discovery (ICMPv6 133-137 right after the fixed
	 * header) passes untouched */
	rd_skip(&r, 6);
	uint8_t next = rd_u8(&r);
	rd_skip(&r, 33);
	uint8_t icmp_type = rd_u8(&r);
	if (r.bad)
		return true;
	return !(next == 58 && icmp_type >= 133 && icmp_type <= 137);
}

static void fault_pct(char *out, size_t outlen, const char *name, uint32_t ppm)
{
	if (ppm % 10000 == 0)
		snprintf(out, outlen, " %s %u%%", name, ppm / 10000);
	else
		snprintf(out, outlen, " %s %u.%04u%%", name, ppm / 10000, ppm % 10000);
	/* drop trailing zeros of the fraction */
	char *pct = strrchr(out, '%');
	char *p = pct;
	while (p > out && p[-1] == '0' && strchr(out, '.'))
		p--;
	if (p > out && p[-1] == '.')
		p--;
	if (p != pct)
		memmove(p, pct, strlen(pct) + 1);
}

/* Append s to out (outlen bytes) at *o, cutting what does not fit. */
static void fault_cat(char *out, size_t outlen, size_t *o, const char *s)
{
	if (*o + 1 >= outlen)
		return;
	int n = snprintf(out + *o, outlen - *o, "%s", s);
	*o += (size_t)n < outlen - *o ? (size_t)n : outlen - *o - 1;
}

void fault_describe(const struct fault_cfg *c, char *out, size_t outlen)
{
	char b[64];
	size_t o = 0;
	out[0] = '\0';
#define FAULT_ADD(...) do { snprintf(b, sizeof b, __VA_ARGS__); fault_cat(out, outlen, &o, b); } while (0)
	if (c->loss_ppm) {
		fault_pct(b, sizeof b, "loss", c->loss_ppm);
		fault_cat(out, outlen, &o, b);
	}
	if (c->delay_ms)
		FAULT_ADD(" delay %ums", c->delay_ms);
	if (c->jitter_ms)
		FAULT_ADD(" jitter %ums", c->jitter_ms);
	if (c->dup_ppm) {
		fault_pct(b, sizeof b, "duplicate", c->dup_ppm);
		fault_cat(out, outlen, &o, b);
	}
	if (c->reorder_ppm) {
		fault_pct(b, sizeof b, "reorder", c->reorder_ppm);
		fault_cat(out, outlen, &o, b);
	}
	if (c->rate_bps) {
		/* in the largest unit that divides it, as a scenario would say it */
		static const struct { uint64_t div; const char *unit; } units[] = {
			{ 1000000000ull, "gbit" }, { 1000000ull, "mbit" }, { 1000ull, "kbit" }, { 1, "bit" } };
		size_t u = 0;
		while (c->rate_bps % units[u].div)
			u++;
		FAULT_ADD(" rate %llu%s", (unsigned long long)(c->rate_bps / units[u].div), units[u].unit);
	}
	if (c->drop_nth)
		FAULT_ADD(" drop packet %u", c->drop_nth);
	if (c->hold_nth)
		FAULT_ADD(" hold packet %u %ums", c->hold_nth, c->hold_ms);
#undef FAULT_ADD
	if (out[0] == ' ')
		memmove(out, out + 1, strlen(out));
}
