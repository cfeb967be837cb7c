/* capture — libpcap handles on the lab's links, read inside doorway's poll
 * loop: immediate mode, non-blocking, a large buffer so a burst loses
 * nothing, drops counted and reported (pcap_stats), never hidden. */
#ifndef DOORWAY_CAPTURE_H
#define DOORWAY_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

struct ev;

#define CAPTURE_SNAPLEN 262144
#define CAPTURE_BUFFER (32 << 20)

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
int capture_open(struct capture *c, const char *ifname, char *err);
int capture_count(const struct capture *c);
int capture_linktype(const struct capture *c, int point);
const char *capture_ifname(const struct capture *c, int point);
/* Read everything the kernel has buffered (end of a run). */
void capture_drain(struct capture *c);
/* Packets received and dropped (by the kernel or libpcap) on point. */
void capture_stats(struct capture *c, int point, uint64_t *seen, uint64_t *dropped);
void capture_free(struct capture *c);

#endif
