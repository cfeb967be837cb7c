/* fault — doorway's own network faults, applied by the switch (switch.c):
 * loss, delay, jitter, duplication, reordering, a rate limit, and one-shots
 * (drop packet N, hold packet N for a while, drop next).
 *
 * Decisions are a pure function of (seed, link, n): n counts the frames a
 * link has sent that faults apply to, and each decision draws from a
 * counter-based generator (splitmix64 of seed, link, n and a salt per
 * decision). The same seed and the same sequence of packets give the same
 * faults, without state to carry between packets (a decision can be made
 * again, for any n, in any order); a unit test checks the
 * rates over many packets. The rate limit is the only stateful fault: the
 * switch keeps each link's "busy until". */
#ifndef DOORWAY_FAULT_H
#define DOORWAY_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAULT_PPM 1000000u          /* probabilities in parts per million */
#define FAULT_REORDER_MS 20u        /* a reordered frame waits this long: later ones overtake it */
#define FAULT_MAX_DELAY_MS 60000u
#define FAULT_DEFAULT_SEED 1u

/* Which fields a scenario line set (a link's own setting replaces the whole
 * lab's, field by field). */
enum {
	FAULT_SET_LOSS = 1 << 0, FAULT_SET_DELAY = 1 << 1, FAULT_SET_JITTER = 1 << 2,
	FAULT_SET_DUP = 1 << 3, FAULT_SET_REORDER = 1 << 4, FAULT_SET_RATE = 1 << 5,
	FAULT_SET_DROP_NTH = 1 << 6, FAULT_SET_HOLD_NTH = 1 << 7,
};

struct fault_cfg {
	uint32_t set;           /* FAULT_SET_* */
	uint32_t loss_ppm;      /* loss 10% */
	uint32_t dup_ppm;       /* duplicate 1% */
	uint32_t reorder_ppm;   /* reorder 5% */
	uint32_t delay_ms;      /* delay 200ms */
	uint32_t jitter_ms;     /* jitter 20ms: delay +- up to this, uniform */
	uint64_t rate_bps;      /* rate 1mbit; 0 = unlimited */
	uint32_t drop_nth;      /* drop packet 3: the link's 3rd packet is lost (0 none) */
	uint32_t hold_nth;      /* hold packet 3 1500ms: the 3rd packet waits in the switch */
	uint32_t hold_ms;
};

struct fault_verdict {
	bool drop;
	bool dup;               /* deliver a second copy */
	uint64_t delay_ns;      /* delay + jitter + reorder wait + hold (not the rate limit) */
	bool reordered;
};

/* Anything configured at all? (no: the switch forwards at once) */
bool fault_any(const struct fault_cfg *c);
/* The link's effective faults: the whole lab's, with the link's own fields
 * replacing them where the link set them. */
void fault_merge(struct fault_cfg *out, const struct fault_cfg *lab, const struct fault_cfg *link);
/* The decision for the n-th (1-based) faultable frame of link. Pure. */
void fault_decide(const struct fault_cfg *c, uint64_t seed, unsigned link, uint64_t n,
		  struct fault_verdict *v);
/* Nanoseconds a frame of len bytes occupies a link of rate_bps. */
uint64_t fault_tx_ns(uint64_t rate_bps, size_t len);
/* Does a fault apply to this Ethernet frame? Unicast IPv4/IPv6 only:
 * address resolution (ARP, neighbour discovery) and multicast pass
 * untouched, so a lesson about lost datagrams stays about datagrams. */
bool fault_applies(const uint8_t *frame, size_t len);
/* "loss 10% delay 200ms" (empty when nothing is set). */
void fault_describe(const struct fault_cfg *c, char *out, size_t outlen);

#endif
