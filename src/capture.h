/* capture — libpcap handles on the lab's links, read inside doorway's poll
 * loop: immediate mode, non-blocking, drops counted and reported
 * (pcap_stats), never hidden.
 *
 * Each link's ring (struct capture_ring, also the switch's ports) starts
 * at the lesson's share of CAPTURE_RING_BUDGET and grows under load:
 * libpcap cannot resize an active handle, so when a read finds the ring
 * half full a ring four times larger is opened on the same link, in a
 * fanout group with the old one whose program sends every packet to the
 * newer socket; the old ring is read to its last frame (the kernel's
 * count of frames put in it says when) and closed. Packets keep their
 * order and none is lost or seen twice. An idle 64-host lesson keeps 1 MiB
 * per link instead of 32. */
#ifndef DOORWAY_CAPTURE_H
#define DOORWAY_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "ev.h"

#define CAPTURE_SNAPLEN 262144
#define CAPTURE_RING_MIN (1u << 20)     /* a ring never starts smaller */
#define CAPTURE_RING_MAX (32u << 20)    /* nor grows larger */
#define CAPTURE_RING_BUDGET (128u << 20) /* shared by a lesson's links at the start */

/* Start size of each ring when a lesson has nlinks of them. */
size_t capture_ring_start_size(int nlinks);

struct capture_ring;
typedef void capture_ring_fn(void *arg, uint64_t ts_ns, uint32_t caplen, uint32_t wirelen, const uint8_t *data);

/* The one libpcap open sequence: create, snaplen, immediate mode, buffer,
 * ns timestamps, activate, (in_only: the frames the host sends only),
 * non-blocking, selectable fd added to ev with ev_fn(ev_arg); fn(arg) gets
 * each packet. ifname in the caller's current network namespace (kept, to
 * open a larger ring there later). NULL and err on failure. */
struct capture_ring *capture_ring_open(struct ev *ev, const char *ifname, size_t size, bool in_only,
				       capture_ring_fn *fn, void *arg, ev_fd_fn *ev_fn, void *ev_arg, char *err);
/* The same for n links at once (their setups overlap): out[i] with arg[i]
 * and ev_arg[i]. 0, or -1 and err (the first failure) with none opened. */
int capture_rings_open(struct ev *ev, int n, const char *const *ifname, size_t size, bool in_only,
		       capture_ring_fn *fn, void *const *arg, ev_fd_fn *ev_fn, void *const *ev_arg,
		       struct capture_ring **out, char *err);
/* Read what the ring holds (from its ev callback); grows the ring when it
 * was half full. The descriptor may change: compare with capture_ring_fd. */
int capture_ring_read(struct capture_ring *r);
/* Read everything the link has given so far (end of a run), finishing a
 * growth under way first. */
void capture_ring_drain(struct capture_ring *r);
int capture_ring_fd(const struct capture_ring *r);
int capture_ring_linktype(const struct capture_ring *r);
size_t capture_ring_size(const struct capture_ring *r);
/* Write a frame on the link. 0 or -1. */
int capture_ring_inject(struct capture_ring *r, const uint8_t *data, uint32_t len);
/* Frames the kernel dropped (ring full), over every ring of this link. */
uint64_t capture_ring_dropped(struct capture_ring *r);
void capture_ring_close(struct capture_ring *r);
/* Close n rings (NULL ones skipped) at once: each close waits for the
 * kernel (an RCU grace period), a few threads wait together. */
void capture_rings_close(struct capture_ring **r, int n);

/* One captured packet. ts_ns is CLOCK_REALTIME like the agents' reports. */
struct capture_pkt {
	int point;
	uint64_t ts_ns;
	uint32_t caplen, wirelen;
	int linktype;
	const uint8_t *data;
};

typedef void capture_fn(const struct capture_pkt *pkt, void *arg);

struct capture;

struct capture *capture_new(struct ev *ev, capture_fn *fn, void *arg);
/* Open ifname in the caller's current network namespace (the caller enters
 * the right one first; the handle stays bound to it). Returns the point's
 * index or -1 with err. */
int capture_open(struct capture *c, const char *ifname, size_t size, char *err);
/* n links at once (capture_rings_open): the first one's index, the others
 * following, or -1 with err and none opened. */
int capture_open_links(struct capture *c, int n, const char *const *ifname, size_t size, char *err);
int capture_count(const struct capture *c);
int capture_linktype(const struct capture *c, int point);
const char *capture_ifname(const struct capture *c, int point);
/* Bytes of the point's ring now. */
size_t capture_size(const struct capture *c, int point);
/* Read everything the kernel has buffered (end of a run). */
void capture_drain(struct capture *c);
/* Packets received and dropped (by the kernel or libpcap) on point. */
void capture_stats(struct capture *c, int point, uint64_t *seen, uint64_t *dropped);
void capture_free(struct capture *c);

#endif
