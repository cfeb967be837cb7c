/* switch — doorway's own switch in the lab namespace (switch mode): instead
 * of the kernel's bridge, doorway reads every frame a host sends on the lab
 * side of its veth and writes it to the link of the host it is for,
 * learning MAC addresses like a bridge and flooding broadcast and multicast
 * (ARP, neighbour discovery) and unknown destinations.
 *
 * Capture and forwarding are one code path: the frames the switch reads are
 * the departures, the frames it writes are the arrivals; both are handed to
 * the caller (the session feeds them to the trace and the recording).
 *
 * In the middle, faults (fault.h) may lose, duplicate, delay, reorder or
 * rate-limit frames, and hold mode keeps each frame until the caller
 * releases it (gated stepping: a packet is shown in the middle of the
 * network). Delayed frames wait in a queue drained by one ev timer, armed
 * only while frames wait. Time held is real time: a TCP sender whose segment
 * is held past its timer retransmits.
 *
 * capture.h's rings (TPACKET ring, immediate mode, only what the host sends,
 * non-blocking in the poll loop; grown under load) read, pcap_inject
 * writes: the ring's size is not capped by net.core.rmem_max the way an
 * AF_PACKET socket's buffer is for an unprivileged user, so a flood is
 * absorbed. */
#ifndef DOORWAY_SWITCH_H
#define DOORWAY_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"

struct ev;
struct switch_net;

/* A frame read from a host's link (out = false: it left that host) or
 * written to one (out = true: it arrives at that host). */
struct switch_pkt {
	int port;
	bool out;
	uint64_t ts_ns;        /* CLOCK_REALTIME */
	uint32_t len;
	const uint8_t *data;
};

typedef void switch_pkt_fn(const struct switch_pkt *k, void *arg);
/* After a batch of frames was read or released: the network may be quiet now. */
typedef void switch_idle_fn(void *arg);

/* A frame held in hold mode. */
struct switch_held {
	uint64_t id;           /* 1, 2, ... in the order frames were read */
	int port;              /* where it came from */
	uint64_t since_ns;     /* CLOCK_REALTIME when it was read */
	uint32_t len;
	const uint8_t *data;
};

struct switch_stats {
	uint64_t read, written;     /* frames */
	uint64_t lost, duplicated, delayed, reordered, held;  /* by faults / hold mode */
	uint64_t dropped;           /* by the kernel (ring full) or a failed write */
};

struct switch_net *switch_new(struct ev *ev, uint64_t seed, switch_pkt_fn *fn, switch_idle_fn *idle,
			      void *arg);
/* Open ifname (in the caller's current network namespace) as the next port,
 * with the faults of the packets sent from it, its ring starting at ring
 * bytes (capture.h: it grows under load). Returns the port or -1. */
int switch_add_port(struct switch_net *s, const char *ifname, const struct fault_cfg *f, size_t ring, char *err);
/* n ports at once (their rings are set up together), with faults f[i].
 * The first one's index, the others following, or -1 with none added. */
int switch_add_ports(struct switch_net *s, int n, const char *const *ifname, const struct fault_cfg *f,
		     size_t ring, char *err);
int switch_nports(const struct switch_net *s);
/* Bytes of the ports' capture rings now (they grow under load). */
size_t switch_ring_bytes(const struct switch_net *s);
/* Change a port's faults live (port -1: every port). */
void switch_set_fault(struct switch_net *s, int port, const struct fault_cfg *f);
const struct fault_cfg *switch_fault(const struct switch_net *s, int port);
/* One-shot: lose the next packet sent from port (-1: from any port). */
void switch_drop_next(struct switch_net *s, int port);

/* Hold mode: every packet (unicast IP) waits in the switch until released.
 * Turning it off releases nothing by itself. */
void switch_set_hold(struct switch_net *s, bool on);
bool switch_holding(const struct switch_net *s);
int switch_nheld(const struct switch_net *s);
/* The i-th held frame, oldest first (NULL past the end). */
const struct switch_held *switch_held(const struct switch_net *s, int i);
/* Release held frame id (0: the oldest) to its destination now, through
 * the frame's faults. 1 released, 0 no such frame. */
int switch_release(struct switch_net *s, uint64_t id);

/* Gate: while closed, frames due to be forwarded wait (in order) and go
 * when it opens. Gated runs close it while a released call runs. */
void switch_set_gate(struct switch_net *s, bool closed);

/* Frames in flight: waiting in a kernel ring to be read, in the delay
 * queue or behind the gate. Held frames do not count: they wait for the class. */
bool switch_busy(struct switch_net *s);
/* End of a run: read what the rings hold (departures), forward nothing more. */
void switch_drain(struct switch_net *s);
void switch_stats(struct switch_net *s, struct switch_stats *st);
void switch_free(struct switch_net *s);

#endif
