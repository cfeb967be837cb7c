/* test-trace-packets — what the trace makes of packets that are not a
 * door's UDP or TCP: ping and ARP between hosts (host-level doors, in the
 * ladder, the JSON and the steps the TUI walks), captions of opened
 * captures (loopback wording only for loopback), segmentation-offload
 * frames, and the largest captured length. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "pcapfile.h"
#include "trace.h"
#include "util.h"

static const uint8_t MAC_A[6] = { 2, 0, 0, 0, 0, 1 }, MAC_B[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct frame {
	uint8_t b[2048];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put16(struct frame *f, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, b, 2);
}

static void eth(struct frame *f, const uint8_t *dst, const uint8_t *src, unsigned type)
{
	f->n = 0;
	put(f, dst, 6);
	put(f, src, 6);
	put16(f, type);
}

static void arp(struct frame *f, unsigned op, const uint8_t *sha, const char *spa, const char *tpa)
{
	uint8_t a[4];
	eth(f, op == 1 ? BCAST : MAC_A, sha, 0x0806);
	put16(f, 1), put16(f, 0x0800);
	put(f, (const uint8_t[]){ 6, 4 }, 2);
	put16(f, op);
	put(f, sha, 6);
	inet_pton(AF_INET, spa, a), put(f, a, 4);
	put(f, op == 1 ? (const uint8_t[6]){ 0 } : MAC_A, 6);
	inet_pton(AF_INET, tpa, a), put(f, a, 4);
}

/* IPv4 from src to dst of protocol proto; len 0: leave the total length 0 */
static size_t ip4(struct frame *f, const uint8_t *dmac, const uint8_t *smac, unsigned proto, const char *src,
		  const char *dst)
{
	uint8_t a[4];
	eth(f, dmac, smac, 0x0800);
	size_t at = f->n;
	put(f, (const uint8_t[]){ 0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, (uint8_t)proto, 0, 0 }, 12);
	inet_pton(AF_INET, src, a), put(f, a, 4);
	inet_pton(AF_INET, dst, a), put(f, a, 4);
	return at;
}

static void ip4_done(struct frame *f, size_t at)
{
	f->b[at + 2] = (uint8_t)((f->n - at) >> 8);
	f->b[at + 3] = (uint8_t)(f->n - at);
}

static void ping(struct frame *f, bool reply, unsigned seq)
{
	size_t at = ip4(f, reply ? MAC_A : MAC_B, reply ? MAC_B : MAC_A, 1, reply ? "192.0.2.2" : "192.0.2.1",
			reply ? "192.0.2.1" : "192.0.2.2");
	put(f, (const uint8_t[]){ reply ? 0 : 8, 0, 0, 0, 0, 7 }, 6);
	put16(f, seq);
	put(f, "ping", 4);
	ip4_done(f, at);
}

static void udp(struct frame *f, const char *src, const char *dst, const char *data)
{
	size_t at = ip4(f, MAC_B, MAC_A, 17, src, dst);
	put16(f, 40000), put16(f, 9000), put16(f, 8 + strlen(data)), put16(f, 0);
	put(f, data, strlen(data));
	ip4_done(f, at);
}

/* A pcapng file of the frames, opened as a trace. */
static struct trace *open_frames(const struct frame *fs, size_t n)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	snprintf(path, sizeof path, "%s/doorway-test-trace-%d.pcapng", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid());
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	assert_non_null(w);
	assert_int_equal(pcapng_writer_add_if(w, "veth0", NULL, DEC_DLT_EN10MB, 262144), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pcapng_writer_packet(w, 0, 1700000000000000000ull + i * 1000, fs[i].b,
						      (uint32_t)fs[i].n, (uint32_t)fs[i].n, NULL), 0);
	assert_int_equal(pcapng_writer_close(w, err), 0);
	struct trace *t = trace_open(path, err);
	if (!t)
		fail_msg("%s", err);
	unlink(path);
	return t;
}

static char *ladder(struct trace *t)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	trace_print_ladder(t, f, 0);
	assert_int_equal(fclose(f), 0);
	return out;
}

static char *json(struct trace *t)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	trace_print_json(t, f);
	assert_int_equal(fclose(f), 0);
	return out;
}

#define assert_contains(hay, needle)                                                          \
	do {                                                                                  \
		if (!strstr((hay), (needle)))                                                 \
			fail_msg("\"%s\" not in:\n%s", (needle), (hay));                     \
	} while (0)

/* A capture of nothing but ping and ARP: two hosts, every packet a step
 * between them, in the ladder and the JSON. */
static void test_ping_and_arp_only(void **state)
{
	struct frame fs[4];
	arp(&fs[0], 1, MAC_A, "192.0.2.1", "192.0.2.2");
	arp(&fs[1], 2, MAC_B, "192.0.2.2", "192.0.2.1");
	ping(&fs[2], false, 1);
	ping(&fs[3], true, 1);
	struct trace *t = open_frames(fs, 4);
	assert_int_equal(trace_nhosts(t), 2);
	assert_int_equal(trace_ndoors(t), 2);
	for (int d = 0; d < 2; d++)
		assert_true(trace_door(t, d)->host_level);
	char lab[64];
	trace_door_label(t, 0, lab, sizeof lab);
	assert_string_equal(lab, "host 192.0.2.1");
	for (size_t i = 0; i < 4; i++) {
		const struct tr_event *e = trace_event(t, i);
		assert_true(trace_is_step(t, i));
		/* from the sender's house to the other one */
		assert_int_equal(e->door, i == 1 || i == 3 ? 1 : 0);
		assert_int_equal(e->peer, i == 1 || i == 3 ? 0 : 1);
	}
	char cap[512];
	trace_caption(t, 2, cap, sizeof cap);
	assert_contains(cap, "ICMP echo request seq=1 goes from host 192.0.2.1 to host 192.0.2.2");
	char *l = ladder(t);
	assert_contains(l, "ARP who-has 192.0.2.2 tell 192.0.2.1");
	assert_contains(l, "ARP 192.0.2.2 is-at 02:00:00:00:00:02");
	assert_contains(l, "ICMP echo request seq=1");
	assert_contains(l, "ICMP echo reply seq=1");
	assert_contains(l, "host 192.0.2.1");
	free(l);
	char *j = json(t);
	assert_contains(j, "{\"event\":\"door\",\"door\":0,\"proto\":\"host\",\"host\":\"192.0.2.1\",\"local\":\"192.0.2.1\"");
	assert_contains(j, "\"summary\":\"ICMP echo reply seq=1 seen at veth0\",\"door\":1,\"peer\":0");
	free(j);
	trace_free(t);
}

/* ICMP among UDP: every packet shows, and captions of packets seen between
 * two hosts do not speak of a loopback, while loopback packets do. */
static void test_mixed_and_loopback_wording(void **state)
{
	struct frame fs[5];
	udp(&fs[0], "192.0.2.1", "192.0.2.2", "hello");
	ping(&fs[1], false, 5);
	ping(&fs[2], true, 5);
	udp(&fs[3], "127.0.0.1", "127.0.0.1", "self");
	/* an error about a datagram to a port nobody has open, from .2 */
	size_t at = ip4(&fs[4], MAC_A, MAC_B, 1, "192.0.2.2", "192.0.2.1");
	put(&fs[4], (const uint8_t[]){ 3, 3, 0, 0, 0, 0, 0, 0 }, 8);
	struct frame q;
	udp(&q, "192.0.2.1", "192.0.2.2", "x");
	put(&fs[4], q.b + 14, q.n - 14);
	ip4_done(&fs[4], at);
	struct trace *t = open_frames(fs, 5);
	for (size_t i = 0; i < 5; i++)
		if (!trace_is_step(t, i))
			fail_msg("packet %zu is no step", i);
	char *l = ladder(t);
	assert_contains(l, "ICMP echo request seq=5");
	assert_contains(l, "ICMP echo reply seq=5");
	free(l);
	char cap[512];
	trace_caption(t, 0, cap, sizeof cap);
	assert_null(strstr(cap, "loopback"));
	assert_contains(cap, "goes from 192.0.2.1's door udp 192.0.2.1:40000 to 192.0.2.2's door udp 192.0.2.2:9000.");
	trace_caption(t, 3, cap, sizeof cap);
	assert_contains(cap, "over the loopback, on the same end system");
	trace_free(t);
}

/* A segmentation-offload capture (IPv4 total length 0) still has its
 * doors; the largest captured length is kept. */
static void test_offload_and_caplen(void **state)
{
	struct frame fs[1];
	ip4(&fs[0], MAC_B, MAC_A, 6, "192.0.2.1", "192.0.2.2");
	put16(&fs[0], 40000), put16(&fs[0], 443);
	put(&fs[0], (const uint8_t[]){ 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 2, 0, 0, 0, 0, 0 }, 16);
	put(&fs[0], "0123456789", 10); /* total length left 0 */
	struct trace *t = open_frames(fs, 1);
	const struct tr_event *e = trace_event(t, 0);
	assert_true(e->door >= 0 && e->peer >= 0);
	assert_int_equal(trace_door(t, e->peer)->local.port, 443);
	char text[256];
	trace_event_text(t, 0, text, sizeof text);
	assert_string_equal(text, "TCP ACK 10 \"0123456789\" seen at veth0");
	trace_free(t);

	/* 256 KiB, the largest captured length, reads back whole */
	uint8_t *big = calloc(1, PCAPFILE_MAX_CAPLEN);
	assert_non_null(big);
	t = trace_new();
	int pt = trace_add_point(t, "big", -1, false, DEC_DLT_EN10MB);
	trace_add_packet(t, pt, 1, big, PCAPFILE_MAX_CAPLEN, PCAPFILE_MAX_CAPLEN);
	assert_int_equal(trace_event_caplen(trace_event(t, 0)), PCAPFILE_MAX_CAPLEN);
	uint32_t caplen, wirelen;
	int lt;
	assert_non_null(trace_packet_bytes(t, trace_event(t, 0), &caplen, &wirelen, &lt));
	assert_int_equal(caplen, PCAPFILE_MAX_CAPLEN);
	trace_free(t);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_and_arp_only),
		cmocka_unit_test(test_mixed_and_loopback_wording),
		cmocka_unit_test(test_offload_and_caplen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
