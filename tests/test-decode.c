/* test-decode — the packet decoders: hand-built packets for every link
 * type and protocol (good, truncated, with impossible lengths), the
 * committed captures in pcap/, a truncation sweep over every prefix of every
 * packet, a byte-corruption sweep, and the text formatting. Run from
 * tests/ (fixture paths are relative). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <glob.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "rd.h"
#include "util.h"

/* ---- packet builder -------------------------------------------------- */

struct pb {
	uint8_t b[2048];
	size_t n;
};

static void pb_bytes(struct pb *p, const void *d, size_t n)
{
	assert_true(p->n + n <= sizeof p->b);
	if (n == 0)
		return;
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

static void pb_u8(struct pb *p, unsigned v)
{
	uint8_t b = (uint8_t)v;

	pb_bytes(p, &b, 1);
}

static void pb_u16(struct pb *p, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	pb_bytes(p, b, 2);
}

static void pb_u32(struct pb *p, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	pb_bytes(p, b, 4);
}

static void pb_zero(struct pb *p, size_t n)
{
	assert_true(p->n + n <= sizeof p->b);
	memset(p->b + p->n, 0, n);
	p->n += n;
}

static void pb_set16(struct pb *p, size_t off, unsigned v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

static void pb_addr(struct pb *p, int family, const char *a)
{
	uint8_t b[16];

	assert_int_equal(inet_pton(family, a, b), 1);
	pb_bytes(p, b, family == AF_INET ? 4 : 16);
}

static const uint8_t MAC1[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC2[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static void pb_eth(struct pb *p, uint16_t type)
{
	pb_bytes(p, MAC2, 6);
	pb_bytes(p, MAC1, 6);
	pb_u16(p, type);
}

/* IPv4 header without options; total length set by pb_ipv4_done. */
static size_t pb_ipv4(struct pb *p, uint8_t proto, const char *src, const char *dst)
{
	size_t off = p->n;

	pb_u8(p, 0x45);
	pb_u8(p, 0);
	pb_u16(p, 0);
	pb_u16(p, 0x1234);
	pb_u16(p, 0x4000); /* DF */
	pb_u8(p, 64);
	pb_u8(p, proto);
	pb_u16(p, 0);
	pb_addr(p, AF_INET, src);
	pb_addr(p, AF_INET, dst);
	return off;
}

static void pb_ipv4_done(struct pb *p, size_t off)
{
	pb_set16(p, off + 2, (unsigned)(p->n - off));
}

static size_t pb_ipv6(struct pb *p, uint8_t nh, const char *src, const char *dst)
{
	size_t off = p->n;

	pb_u32(p, 0x60012345); /* flow label 0x12345 */
	pb_u16(p, 0);
	pb_u8(p, nh);
	pb_u8(p, 64);
	pb_addr(p, AF_INET6, src);
	pb_addr(p, AF_INET6, dst);
	return off;
}

static void pb_ipv6_done(struct pb *p, size_t off)
{
	pb_set16(p, off + 4, (unsigned)(p->n - off - 40));
}

static size_t pb_udp(struct pb *p, uint16_t sport, uint16_t dport)
{
	size_t off = p->n;

	pb_u16(p, sport);
	pb_u16(p, dport);
	pb_u16(p, 0);
	pb_u16(p, 0xabcd);
	return off;
}

static void pb_udp_done(struct pb *p, size_t off)
{
	pb_set16(p, off + 4, (unsigned)(p->n - off));
}

static void pb_tcp(struct pb *p, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    unsigned flags, const uint8_t *opts, size_t optlen)
{
	assert_int_equal(optlen % 4, 0);
	pb_u16(p, sport);
	pb_u16(p, dport);
	pb_u32(p, seq);
	pb_u32(p, ack);
	pb_u16(p, (unsigned)(((20 + optlen) / 4) << 12 | flags));
	pb_u16(p, 65535);
	pb_u16(p, 0x1111);
	pb_u16(p, 0);
	if (optlen > 0)
		pb_bytes(p, opts, optlen);
}

/* Ethernet + IPv4 + UDP 192.0.2.1:40000 → 192.0.2.2:9000 "hello". */
static void mk_udp4(struct pb *p)
{
	size_t ip, u;

	p->n = 0;
	pb_eth(p, DEC_ETH_IPV4);
	ip = pb_ipv4(p, DEC_IP_UDP, "192.0.2.1", "192.0.2.2");
	u = pb_udp(p, 40000, 9000);
	pb_bytes(p, "hello", 5);
	pb_udp_done(p, u);
	pb_ipv4_done(p, ip);
}

/* Ethernet + IPv4 + TCP SYN with MSS, SACK-permitted, timestamps, NOP,
 * window scale (as Linux sends them). */
static const uint8_t SYN_OPTS[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3,
	3, 7 };

static void mk_syn4(struct pb *p)
{
	size_t ip;

	p->n = 0;
	pb_eth(p, DEC_ETH_IPV4);
	ip = pb_ipv4(p, DEC_IP_TCP, "192.0.2.1", "192.0.2.2");
	pb_tcp(p, 40000, 9000, 1000, 0, DEC_TCP_SYN, SYN_OPTS, sizeof SYN_OPTS);
	pb_ipv4_done(p, ip);
}

/* Decode a built packet from an exact-size heap copy (so that ASan sees
 * any read past caplen), with wirelen = the full length. */
static struct dec_pkt dec_cut(int lt, const struct pb *p, size_t caplen)
{
	struct dec_pkt pk;
	uint8_t *copy = malloc(caplen > 0 ? caplen : 1);

	assert_non_null(copy);
	memcpy(copy, p->b, caplen);
	decode_packet(lt, copy, (uint32_t)caplen, (uint32_t)p->n, &pk);
	free(copy);
	return pk;
}

static struct dec_pkt dec(int lt, const struct pb *p)
{
	return dec_cut(lt, p, p->n);
}

static void assert_addr(int family, const uint8_t *a, const char *want)
{
	char s[64];

	decode_addr(family, a, s, sizeof s);
	assert_string_equal(s, want);
}

/* ---- rd --------------------------------------------------------------- */

static void test_rd(void **state)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	uint8_t out[4];
	struct rd r, s;

	rd_init(&r, b, sizeof b);
	assert_int_equal(rd_u8(&r), 1);
	assert_int_equal(rd_be16(&r), 0x0203);
	assert_int_equal(rd_le16(&r), 0x0504);
	assert_int_equal(rd_off(&r), 5);
	s = rd_sub(&r, 3);
	assert_int_equal(rd_left(&s), 3);
	assert_int_equal(rd_off(&s), 5);
	assert_int_equal(rd_be32(&s), 0); /* only 3 bytes: bad */
	assert_true(s.bad);
	assert_int_equal(rd_u8(&s), 0); /* sticky */
	assert_false(r.bad);
	assert_int_equal(rd_left(&r), 1);
	assert_int_equal(rd_u8(&r), 9);
	assert_false(r.bad);
	memset(out, 0xaa, sizeof out);
	rd_bytes(&r, out, 2);
	assert_true(r.bad);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0xaa);

	rd_init(&r, b, sizeof b);
	assert_int_equal(rd_le32(&r), 0x04030201);
	assert_int_equal(rd_be32(&r), 0x05060708);
	s = rd_sub(&r, 10); /* longer than what is left */
	assert_true(r.bad);
	assert_int_equal(rd_left(&s), 1);
	assert_false(s.bad);
	rd_skip(&s, 2);
	assert_true(s.bad);
	assert_int_equal(rd_peek_u8(&s), 0);
}

/* ---- Ethernet, VLAN, ARP ---------------------------------------------- */

static void test_eth_ipv4_udp(void **state)
{
	struct pb p;
	struct dec_pkt pk;

	mk_udp4(&p);
	/* Ethernet pads short frames to 60 bytes: not payload. */
	pb_zero(&p, 60 - p.n);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_memory_equal(pk.src_mac, MAC1, 6);
	assert_memory_equal(pk.dst_mac, MAC2, 6);
	assert_int_equal(pk.ethertype, DEC_ETH_IPV4);
	assert_int_equal(pk.link_len, 14);
	assert_int_equal(pk.family, AF_INET);
	assert_addr(AF_INET, pk.src, "192.0.2.1");
	assert_addr(AF_INET, pk.dst, "192.0.2.2");
	assert_int_equal(pk.ttl, 64);
	assert_true(pk.df);
	assert_false(pk.mf);
	assert_false(pk.is_fragment);
	assert_int_equal(pk.ip_id, 0x1234);
	assert_int_equal(pk.proto, DEC_IP_UDP);
	assert_int_equal(pk.net_off, 14);
	assert_int_equal(pk.net_len, 20);
	assert_int_equal(pk.ip_total_len, 33);
	assert_true(pk.is_udp);
	assert_int_equal(pk.sport, 40000);
	assert_int_equal(pk.dport, 9000);
	assert_int_equal(pk.udp_len, 13);
	assert_int_equal(pk.tp_off, 34);
	assert_int_equal(pk.tp_len, 8);
	assert_int_equal(pk.payload_off, 42);
	assert_int_equal(pk.payload_len, 5);
	assert_int_equal(pk.payload_wirelen, 5);
	assert_memory_equal(p.b + pk.payload_off, "hello", 5);
}

static void test_vlan(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip, u;

	/* 802.1Q, priority 3, VLAN 10 */
	pb_bytes(&p, MAC2, 6);
	pb_bytes(&p, MAC1, 6);
	pb_u16(&p, DEC_ETH_VLAN);
	pb_u16(&p, 3 << 13 | 10);
	pb_u16(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_UDP, "10.0.10.1", "10.0.10.2");
	u = pb_udp(&p, 1, 2);
	pb_udp_done(&p, u);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.has_vlan);
	assert_int_equal(pk.nvlan, 1);
	assert_int_equal(pk.vlan[0], 10);
	assert_int_equal(pk.vlan_pcp[0], 3);
	assert_int_equal(pk.link_len, 18);
	assert_int_equal(pk.ethertype, DEC_ETH_IPV4);
	assert_int_equal(pk.net_off, 18);
	assert_int_equal(pk.dport, 2);

	/* QinQ: 802.1ad S-tag 100, then C-tag 20 */
	p.n = 0;
	pb_bytes(&p, MAC2, 6);
	pb_bytes(&p, MAC1, 6);
	pb_u16(&p, DEC_ETH_QINQ);
	pb_u16(&p, 100);
	pb_u16(&p, DEC_ETH_VLAN);
	pb_u16(&p, 20);
	pb_u16(&p, DEC_ETH_ARP);
	pb_u16(&p, 1);
	pb_u16(&p, 0x0800);
	pb_u8(&p, 6);
	pb_u8(&p, 4);
	pb_u16(&p, 1);
	pb_bytes(&p, MAC1, 6);
	pb_addr(&p, AF_INET, "10.0.20.1");
	pb_zero(&p, 6);
	pb_addr(&p, AF_INET, "10.0.20.2");
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.nvlan, 2);
	assert_int_equal(pk.vlan[0], 100);
	assert_int_equal(pk.vlan_tpid[0], DEC_ETH_QINQ);
	assert_int_equal(pk.vlan[1], 20);
	assert_int_equal(pk.link_len, 22);
	assert_true(pk.is_arp);
	assert_true(pk.arp_eth_ip);

	/* Three tags: more than we follow. */
	p.n = 0;
	pb_bytes(&p, MAC2, 6);
	pb_bytes(&p, MAC1, 6);
	pb_u16(&p, DEC_ETH_QINQ);
	pb_u16(&p, 1);
	pb_u16(&p, DEC_ETH_VLAN);
	pb_u16(&p, 2);
	pb_u16(&p, DEC_ETH_VLAN);
	pb_u16(&p, 3);
	pb_u16(&p, DEC_ETH_IPV4);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "more than 2 VLAN tags");

	/* Tag cut by the snap length. */
	p.n = 0;
	pb_eth(&p, DEC_ETH_VLAN);
	pb_u16(&p, 10);
	pb_u16(&p, DEC_ETH_IPV4);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 16);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "VLAN tag: 2 of 4 bytes");
}

static void mk_arp(struct pb *p, uint16_t op)
{
	p->n = 0;
	pb_eth(p, DEC_ETH_ARP);
	pb_u16(p, 1);
	pb_u16(p, 0x0800);
	pb_u8(p, 6);
	pb_u8(p, 4);
	pb_u16(p, op);
	pb_bytes(p, MAC1, 6);
	pb_addr(p, AF_INET, "10.0.0.1");
	pb_bytes(p, op == 2 ? MAC2 : (const uint8_t[6]){ 0 }, 6);
	pb_addr(p, AF_INET, "10.0.0.2");
	pb_zero(p, 18); /* padding */
}

static void test_arp(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	char s[256];

	mk_arp(&p, 1);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_arp);
	assert_true(pk.arp_eth_ip);
	assert_int_equal(pk.arp_op, 1);
	assert_memory_equal(pk.arp_sha, MAC1, 6);
	assert_addr(AF_INET, pk.arp_spa, "10.0.0.1");
	assert_addr(AF_INET, pk.arp_tpa, "10.0.0.2");
	assert_int_equal(pk.payload_len, 0);
	assert_int_equal(pk.family, 0);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "ARP who has 10.0.0.2? tell 10.0.0.1");

	mk_arp(&p, 2);
	pk = dec(DEC_DLT_EN10MB, &p);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "ARP 10.0.0.1 is at 02:00:00:00:00:01");

	/* Cut by the snap length inside the addresses. */
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 8 + 10);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_false(pk.arp_eth_ip);
	assert_int_equal(pk.arp_op, 2);

	/* The whole frame is short: not truncation, a bad packet. */
	p.n = 14 + 8 + 10;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);

	/* Other hardware/protocol sizes are skipped by their lengths. */
	p.n = 0;
	pb_eth(&p, DEC_ETH_ARP);
	pb_u16(&p, 6);
	pb_u16(&p, 0x86dd);
	pb_u8(&p, 8);
	pb_u8(&p, 16);
	pb_u16(&p, 1);
	pb_zero(&p, 48);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_false(pk.arp_eth_ip);
	pk = dec_cut(DEC_DLT_EN10MB, &p, p.n - 1);
	assert_int_equal(pk.status, DEC_TRUNC);
}

static void label(const struct dec_pkt *pk, const struct pb *p, unsigned flags, char *s, size_t n)
{
	decode_label(pk, p->b, flags, s, n);
}

/* The one labeller: every label says what the decoder found, truncation
 * and impossible fields included. */
static void test_label(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	char s[256];
	size_t ip, u;

	/* ARP with its addresses; every operation by its own name */
	mk_arp(&p, 1);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ARP who-has 10.0.0.2 tell 10.0.0.1");
	mk_arp(&p, 2);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ARP 10.0.0.1 is-at 02:00:00:00:00:01");
	mk_arp(&p, 7);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ARP op 7");
	mk_arp(&p, 8);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "InARP request");
	/* RARP (RFC 903): ethertype 0x8035, who am I / you are */
	mk_arp(&p, 3);
	pb_set16(&p, 12, DEC_ETH_RARP);
	memcpy(p.b + 14 + 18, MAC1, 6); /* the target hardware address: the asker's own */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_arp && pk.arp_eth_ip);
	assert_int_equal(pk.arp_op, 3);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "RARP who-is 02:00:00:00:00:01 tell 02:00:00:00:00:01");
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "RARP who is 02:00:00:00:00:01? tell 02:00:00:00:00:01");
	p.b[14 + 7] = 4;
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "RARP 02:00:00:00:00:01 is-at 10.0.0.2");
	/* cut inside the addresses: no addresses made up, and said so */
	mk_arp(&p, 2);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 8 + 10);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ARP reply (truncated)");

	/* TCP: ECE and CWR shown; a header cut in its options says so */
	static const uint8_t opts[8] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 0 };
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_TCP, "192.0.2.1", "192.0.2.2");
	pb_tcp(&p, 40000, 9000, 1, 0, DEC_TCP_SYN | DEC_TCP_ECE | DEC_TCP_CWR, opts, sizeof opts);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP SYN,ECE,CWR");
	pk = dec_cut(DEC_DLT_EN10MB, &p, p.n - 2);
	assert_int_equal(pk.status, DEC_TRUNC);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP SYN,ECE,CWR (truncated)");
	/* an impossible header: invalid */
	pb_set16(&p, 14 + 20 + 12, 0x2000 | DEC_TCP_ACK | DEC_TCP_URG); /* data offset 2 words */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP ACK,URG (invalid)");
	/* cut before the flags: none made up */
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 10);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP (truncated)");

	/* data, long and short forms */
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_TCP, "192.0.2.1", "192.0.2.2");
	pb_tcp(&p, 40000, 9000, 1, 1, DEC_TCP_PSH | DEC_TCP_ACK, NULL, 0);
	pb_bytes(&p, "hello", 5);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP PSH,ACK 5 \"hello\"");
	label(&pk, &p, DEC_LABEL_SHORT, s, sizeof s);
	assert_string_equal(s, "ACK \"hello\"");
	decode_label(&pk, NULL, DEC_LABEL_SHORT, s, sizeof s);
	assert_string_equal(s, "ACK data");
	mk_udp4(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "UDP 5 \"hello\"");
	label(&pk, &p, DEC_LABEL_SHORT, s, sizeof s);
	assert_string_equal(s, "\"hello\"");

	/* ICMP and ICMPv6 by their own names */
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_ICMP, "192.0.2.1", "192.0.2.2");
	pb_u8(&p, 8), pb_u8(&p, 0), pb_u16(&p, 0), pb_u16(&p, 77), pb_u16(&p, 3);
	pb_bytes(&p, "ping", 4);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ICMP echo request seq=3");
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV6);
	ip = pb_ipv6(&p, DEC_IP_ICMPV6, "2001:db8::2", "2001:db8::1");
	pb_u8(&p, 1), pb_u8(&p, 4), pb_u16(&p, 0), pb_u32(&p, 0);
	size_t in = pb_ipv6(&p, DEC_IP_UDP, "2001:db8::1", "2001:db8::2");
	u = pb_udp(&p, 40000, 9999);
	pb_bytes(&p, "x", 1);
	pb_udp_done(&p, u);
	pb_ipv6_done(&p, in);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "ICMPv6 port unreachable");

	/* a label never overruns its buffer */
	char tiny[6];
	memset(tiny, 'x', sizeof tiny);
	label(&pk, &p, 0, tiny, sizeof tiny);
	assert_string_equal(tiny, "ICMPv");
}

/* IPv4 total length 0 (segmentation offload: TSO/LSO, BIG TCP) is read from
 * the frame as tshark does; frames over 64 KiB are decoded whole. */
static void test_ipv4_len0_and_big(void **state)
{
	static uint8_t big[100000];
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	char s[256];
	size_t ip;

	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_TCP, "192.0.2.1", "192.0.2.2");
	pb_tcp(&p, 40000, 9000, 1, 1, DEC_TCP_ACK, NULL, 0);
	pb_bytes(&p, "0123456789", 10);
	(void)ip; /* total length left 0 */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.ip_len_from_frame);
	assert_int_equal(pk.ip_total_len, 20 + 20 + 10);
	assert_true(pk.is_tcp && pk.has_ports);
	assert_int_equal(pk.dport, 9000);
	assert_int_equal(pk.payload_wirelen, 10);
	label(&pk, &p, 0, s, sizeof s);
	assert_string_equal(s, "TCP ACK 10 \"0123456789\"");
	/* cut by the snap length: the length on the wire counts */
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 20 + 4);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ip_total_len, 50);
	assert_int_equal(pk.payload_len, 4);
	assert_int_equal(pk.payload_wirelen, 10);
	struct dec_field f[64];
	size_t nf = decode_fields(&pk, p.b, f, 64);
	bool seen = false;
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].name, "Total length")) {
			assert_string_equal(f[i].value, "0: 50 from the frame (segmentation offload)");
			seen = true;
		}
	assert_true(seen);
	/* quoted in an ICMP error a length 0 stays what it says */

	/* a 100000-byte BIG TCP frame, captured whole */
	memcpy(big, p.b, 14 + 20 + 20);
	for (size_t i = 54; i < sizeof big; i++)
		big[i] = (uint8_t)('a' + i % 26);
	decode_packet(DEC_DLT_EN10MB, big, sizeof big, sizeof big, &pk);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.caplen, sizeof big);
	assert_int_equal(pk.ip_total_len, sizeof big - 14);
	assert_int_equal(pk.payload_off, 54);
	assert_int_equal(pk.payload_len, sizeof big - 54);
	assert_int_equal(pk.payload_wirelen, sizeof big - 54);
	/* the same over IPv6 with a payload length of 65535, and Ethernet
	 * padding past an IPv4 length that is not 0 is still no payload */
	pb_set16(&p, 14 + 2, 20 + 20 + 5);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_false(pk.ip_len_from_frame);
	assert_int_equal(pk.payload_wirelen, 5);
}

static void test_eth_other(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	char s[256];

	pb_eth(&p, 0x88cc); /* LLDP: not decoded, not an error */
	pb_zero(&p, 46);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ethertype, 0x88cc);
	assert_int_equal(pk.payload_off, 14);
	assert_int_equal(pk.payload_len, 46);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "02:00:00:00:00:01 → 02:00:00:00:00:02 LLDP (0x88cc) 46 bytes");

	pb_set16(&p, 12, 46); /* 802.3 length: LLC follows */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ethertype, 0);

	pk = dec_cut(DEC_DLT_EN10MB, &p, 13);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "Ethernet header: 13 of 14 bytes");
	pk = dec_cut(DEC_DLT_EN10MB, &p, 0);
	assert_int_equal(pk.status, DEC_TRUNC);
	decode_packet(DEC_DLT_EN10MB, NULL, 0, 0, &pk);
	assert_int_equal(pk.status, DEC_INVALID);
}

/* ---- IPv4 --------------------------------------------------------------- */

static void test_ipv4_bad(void **state)
{
	struct pb p;
	struct dec_pkt pk;

	mk_udp4(&p);
	p.b[14] = 0x43; /* IHL 3 */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv4 header length 3 < 5");
	assert_addr(AF_INET, pk.src, "192.0.2.1"); /* fields before are kept */
	assert_false(pk.is_udp);

	mk_udp4(&p);
	p.b[14] = 0x55;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv4 version 5");

	mk_udp4(&p);
	pb_set16(&p, 16, 19); /* total < header */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv4 total length 19 < header 20");

	mk_udp4(&p);
	pb_set16(&p, 16, 1000); /* longer than the frame */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv4 total length 1000 > 33 bytes in frame");
	assert_true(pk.is_udp); /* decoded as far as it goes */
	assert_int_equal(pk.payload_len, 5);

	/* The same length with the rest cut by the snap length is fine: the
	 * datagram was longer on the wire. */
	mk_udp4(&p);
	pb_set16(&p, 16, 1000);
	pb_set16(&p, 38, 980);
	{
		size_t full = p.n;

		p.n = 14 + 1000;
		pk = dec_cut(DEC_DLT_EN10MB, &p, full);
	}
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.payload_len, 5);
	assert_int_equal(pk.payload_wirelen, 972);

	mk_udp4(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 12);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "IPv4 header: 12 of 20 bytes");
	assert_int_equal(pk.ip_id, 0x1234);
}

static void test_ipv4_options(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip, u;

	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_UDP, "192.0.2.1", "192.0.2.2");
	p.b[ip] = 0x46;                                   /* IHL 6 */
	pb_bytes(&p, (const uint8_t[]){ 0x94, 4, 0, 0 }, 4); /* router alert */
	u = pb_udp(&p, 5, 6);
	pb_bytes(&p, "x", 1);
	pb_udp_done(&p, u);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.has_ip_options);
	assert_int_equal(pk.net_len, 24);
	assert_int_equal(pk.tp_off, 14 + 24);
	assert_int_equal(pk.sport, 5);

	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 22);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "IPv4 options: 2 of 4 bytes");
}

static void test_ipv4_fragments(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip, u;
	char s[256];

	/* First fragment: MF, offset 0, UDP length covers the whole datagram. */
	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_UDP, "192.0.2.1", "192.0.2.2");
	pb_set16(&p, ip + 6, 0x2000);
	u = pb_udp(&p, 40000, 9000);
	pb_zero(&p, 16);
	pb_ipv4_done(&p, ip);
	pb_set16(&p, u + 4, 3008);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_fragment);
	assert_true(pk.mf);
	assert_int_equal(pk.frag_off, 0);
	assert_true(pk.is_udp);
	assert_int_equal(pk.dport, 9000);
	assert_int_equal(pk.payload_len, 16);
	assert_int_equal(pk.payload_wirelen, 3000);

	/* A later fragment: no transport header. */
	pb_set16(&p, ip + 6, 185); /* offset 1480, last */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_fragment);
	assert_false(pk.mf);
	assert_int_equal(pk.frag_off, 1480);
	assert_false(pk.is_udp);
	assert_false(pk.has_ports);
	assert_int_equal(pk.payload_off, 34);
	assert_int_equal(pk.payload_len, 24);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.1 → 192.0.2.2 IPv4 UDP 24 bytes (fragment id=4660 offset=1480)");
}

static void test_ipv4_other_proto(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip;
	char s[256];

	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, 47, "192.0.2.1", "192.0.2.2");
	pb_zero(&p, 10);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.payload_len, 10);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.1 → 192.0.2.2 IPv4 GRE 10 bytes");
}

/* ---- UDP ---------------------------------------------------------------- */

static void test_udp(void **state)
{
	struct pb p;
	struct dec_pkt pk;

	mk_udp4(&p);
	pb_set16(&p, 38, 7);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "UDP length 7 < 8");
	assert_int_equal(pk.dport, 9000);

	mk_udp4(&p);
	pb_set16(&p, 38, 14);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "UDP length 14 > IP payload 13");
	assert_int_equal(pk.payload_len, 5);

	/* A UDP length shorter than the IP payload bounds the payload. */
	mk_udp4(&p);
	pb_set16(&p, 38, 10);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.payload_len, 2);

	/* Payload cut by the snap length: still OK, lengths tell. */
	mk_udp4(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, p.n - 3);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.payload_len, 2);
	assert_int_equal(pk.payload_wirelen, 5);

	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 3);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "UDP header: 3 of 8 bytes");
	assert_false(pk.has_ports);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 4);
	assert_true(pk.has_ports);
	assert_int_equal(pk.sport, 40000);

	/* IP says there are 4 bytes: the UDP header cannot fit. */
	mk_udp4(&p);
	pb_set16(&p, 16, 24);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "UDP header: 4 of 8 bytes");
}

/* ---- TCP ---------------------------------------------------------------- */

static void test_tcp_syn(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	char s[256];

	mk_syn4(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_tcp);
	assert_int_equal(pk.seq, 1000);
	assert_int_equal(pk.tcp_flags, DEC_TCP_SYN);
	assert_int_equal(pk.data_off, 10);
	assert_int_equal(pk.tp_len, 40);
	assert_int_equal(pk.window, 65535);
	assert_true(pk.has_mss);
	assert_int_equal(pk.mss, 1460);
	assert_true(pk.sack_perm);
	assert_true(pk.has_ts);
	assert_int_equal(pk.ts_val, 1);
	assert_int_equal(pk.ts_ecr, 0);
	assert_true(pk.has_wscale);
	assert_int_equal(pk.wscale, 7);
	assert_int_equal(pk.ntcpopt, 5);
	assert_int_equal(pk.tcpopt[3].kind, 1);
	assert_int_equal(pk.tcpopt[4].off, 14 + 20 + 20 + 17);
	assert_int_equal(pk.payload_len, 0);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.1:40000 → 192.0.2.2:9000 TCP [SYN] seq=1000 win=65535 "
			       "mss=1460 ws=7 sackOK ts=1/0");
}

static void test_tcp_flags_sack(void **state)
{
	static const uint8_t opts[] = { 1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0,
		0, 40, 0, 0, 0, 0 };
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip;
	char s[64];

	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_TCP, "192.0.2.1", "192.0.2.2");
	pb_tcp(&p, 1, 2, 5, 6, 0x1ff, opts, sizeof opts);
	pb_bytes(&p, "data", 4);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.tcp_flags, 0x1ff);
	decode_tcp_flags(pk.tcp_flags, ", ", s, sizeof s);
	assert_string_equal(s, "SYN, FIN, RST, PSH, ACK, URG, ECE, CWR, AE");
	assert_int_equal(pk.nsack, 2);
	assert_int_equal(pk.sack[0][0], 10);
	assert_int_equal(pk.sack[0][1], 20);
	assert_int_equal(pk.sack[1][0], 30);
	assert_int_equal(pk.sack[1][1], 40);
	/* EOL ends the list; the rest is padding. */
	assert_int_equal(pk.ntcpopt, 4);
	assert_int_equal(pk.tcpopt[3].kind, 0);
	assert_int_equal(pk.payload_len, 4);
	assert_int_equal(pk.payload_off, 14 + 20 + 44);
	decode_tcp_flags(DEC_TCP_PSH | DEC_TCP_ACK, ",", s, sizeof s);
	assert_string_equal(s, "PSH,ACK");
	decode_tcp_flags(0, ",", s, sizeof s);
	assert_string_equal(s, "");
}

static void test_tcp_bad(void **state)
{
	struct pb p;
	struct dec_pkt pk;

	/* An option length of 1 after a good MSS: INVALID, MSS kept. */
	mk_syn4(&p);
	p.b[14 + 20 + 20 + 4 + 1] = 1; /* SACK-permitted length 1 */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "TCP option 4 length 1 < 2");
	assert_true(pk.has_mss);
	assert_int_equal(pk.mss, 1460);
	assert_false(pk.has_ts);
	assert_int_equal(pk.seq, 1000);

	/* An option running past the header. */
	mk_syn4(&p);
	p.b[14 + 20 + 20 + 18] = 9; /* window scale length 9 */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "TCP option 3 length 9 > 3 bytes left");
	assert_true(pk.has_ts);
	assert_false(pk.has_wscale);

	/* A known option with the wrong length. */
	mk_syn4(&p);
	p.b[14 + 20 + 20 + 1] = 3; /* MSS length 3: then "0x05" is read as data */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "TCP MSS option length 3");

	mk_syn4(&p);
	p.b[14 + 20 + 12] = 4 << 4; /* data offset 4 */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "TCP data offset 4 < 5");

	mk_syn4(&p);
	p.b[14 + 20 + 12] = 15 << 4; /* 60 bytes > the 40 there are */
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "TCP header length 60 > IP payload 40");

	/* Cut inside the options by the snap length. */
	mk_syn4(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 20 + 9);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "TCP option 8 length 10 > 3 bytes left");
	assert_true(pk.sack_perm);
	assert_false(pk.has_ts);

	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 10);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "TCP header: 10 of 20 bytes");
	assert_true(pk.has_ports);
	assert_int_equal(pk.dport, 9000);
	assert_int_equal(pk.seq, 1000);
}

/* ---- IPv6 --------------------------------------------------------------- */

static void mk_udp6(struct pb *p, const uint8_t *ext, size_t extlen, uint8_t first)
{
	size_t ip, u;

	p->n = 0;
	pb_eth(p, DEC_ETH_IPV6);
	ip = pb_ipv6(p, extlen > 0 ? first : DEC_IP_UDP, "2001:db8::1", "2001:db8::2");
	if (extlen > 0)
		pb_bytes(p, ext, extlen);
	u = pb_udp(p, 40000, 9000);
	pb_bytes(p, "hello", 5);
	pb_udp_done(p, u);
	pb_ipv6_done(p, ip);
}

static void test_ipv6_udp(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	char s[256];

	mk_udp6(&p, NULL, 0, 0);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.family, AF_INET6);
	assert_addr(AF_INET6, pk.src, "2001:db8::1");
	assert_addr(AF_INET6, pk.dst, "2001:db8::2");
	assert_int_equal(pk.flow_label, 0x12345);
	assert_int_equal(pk.ttl, 64);
	assert_int_equal(pk.ip_total_len, 53);
	assert_int_equal(pk.net_len, 40);
	assert_int_equal(pk.proto, DEC_IP_UDP);
	assert_int_equal(pk.payload_len, 5);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "[2001:db8::1]:40000 → [2001:db8::2]:9000 UDP 5 bytes");

	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 39);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "IPv6 header: 39 of 40 bytes");

	p.b[14] = 0x40;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv6 version 4");

	mk_udp6(&p, NULL, 0, 0);
	pb_set16(&p, 14 + 4, 14);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv6 payload length 14 > 13 bytes in frame");
}

static void test_ipv6_ext(void **state)
{
	/* hop-by-hop (8, PadN), destination options (16), routing (type 0
	 * segments left 0, 8 bytes) then UDP */
	static const uint8_t ext[] = {
		DEC_IP_DSTOPTS, 0, 1, 4, 0, 0, 0, 0,                   /* HBH */
		DEC_IP_ROUTING, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* dstopts */
		DEC_IP_UDP, 0, 0, 0, 0, 0, 0, 0,                       /* routing */
	};
	struct pb p;
	struct dec_pkt pk;
	uint8_t many[8 * 9];
	size_t i;

	mk_udp6(&p, ext, sizeof ext, DEC_IP_HOPOPTS);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ext_hdrs, 3);
	assert_int_equal(pk.ext[0].kind, DEC_IP_HOPOPTS);
	assert_int_equal(pk.ext[1].kind, DEC_IP_DSTOPTS);
	assert_int_equal(pk.ext[1].off, 14 + 40 + 8);
	assert_int_equal(pk.ext[1].len, 2);
	assert_int_equal(pk.ext[2].kind, DEC_IP_ROUTING);
	assert_int_equal(pk.proto, DEC_IP_UDP);
	assert_int_equal(pk.net_len, 40 + 32);
	assert_int_equal(pk.ip_payload_len, 13);
	assert_true(pk.is_udp);
	assert_int_equal(pk.tp_off, 14 + 72);
	assert_int_equal(pk.payload_len, 5);

	/* Cut inside the destination options. */
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 40 + 8 + 10);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "IPv6 extension header 60: 10 of 16 bytes");
	assert_false(pk.is_udp);

	/* An extension header longer than the payload length says. */
	mk_udp6(&p, ext, sizeof ext, DEC_IP_HOPOPTS);
	p.b[14 + 40 + 8 + 1] = 9;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);

	/* Hop-by-hop not first. */
	mk_udp6(&p, ext, sizeof ext, DEC_IP_DSTOPTS);
	p.b[14 + 40] = DEC_IP_HOPOPTS;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "IPv6 hop-by-hop header not first");

	/* Nine destination options headers: more than we follow. */
	memset(many, 0, sizeof many);
	for (i = 0; i < 9; i++)
		many[i * 8] = i < 8 ? DEC_IP_DSTOPTS : DEC_IP_UDP;
	mk_udp6(&p, many, sizeof many, DEC_IP_DSTOPTS);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "more than 8 IPv6 extension headers");
	assert_int_equal(pk.ext_hdrs, DEC_MAX_EXT);
	assert_false(pk.is_udp);

	/* No next header: the chain ends, nothing to decode. */
	mk_udp6(&p, NULL, 0, 0);
	p.b[14 + 6] = DEC_IP_NONE;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.proto, DEC_IP_NONE);
	assert_false(pk.is_udp);
}

static void test_ipv6_fragment(void **state)
{
	uint8_t frag[8] = { DEC_IP_UDP, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef }; /* offset 0, M */
	struct pb p;
	struct dec_pkt pk;

	mk_udp6(&p, frag, sizeof frag, DEC_IP_FRAGMENT);
	pb_set16(&p, 14 + 48 + 4, 3008);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_fragment);
	assert_true(pk.mf);
	assert_int_equal(pk.ip_id, 0xdeadbeef);
	assert_int_equal(pk.frag_off, 0);
	assert_true(pk.is_udp);
	assert_int_equal(pk.payload_wirelen, 3000);

	frag[2] = 0x05;
	frag[3] = 0xa8; /* offset 181 * 8 = 1448, last */
	mk_udp6(&p, frag, sizeof frag, DEC_IP_FRAGMENT);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.frag_off, 1448);
	assert_false(pk.mf);
	assert_false(pk.is_udp);
	assert_int_equal(pk.proto, DEC_IP_UDP);
	assert_int_equal(pk.payload_off, 14 + 48);
	assert_int_equal(pk.payload_len, 13);
}

/* ---- ICMP --------------------------------------------------------------- */

static void mk_icmp_unreach(struct pb *p)
{
	size_t ip, inner, u;

	p->n = 0;
	pb_eth(p, DEC_ETH_IPV4);
	ip = pb_ipv4(p, DEC_IP_ICMP, "192.0.2.2", "192.0.2.1");
	pb_u8(p, 3);
	pb_u8(p, 3);
	pb_u16(p, 0xfc00);
	pb_u32(p, 0);
	inner = pb_ipv4(p, DEC_IP_UDP, "192.0.2.1", "192.0.2.2");
	p->b[inner + 8] = 1; /* TTL 1 */
	u = pb_udp(p, 40000, 9999);
	pb_bytes(p, "anyone?", 7);
	pb_udp_done(p, u);
	pb_ipv4_done(p, inner);
	pb_ipv4_done(p, ip);
}

static void test_icmp_unreach(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	char s[256];

	mk_icmp_unreach(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_icmp);
	assert_false(pk.is_udp);
	assert_int_equal(pk.icmp_type, 3);
	assert_int_equal(pk.icmp_code, 3);
	assert_true(pk.has_inner);
	assert_int_equal(pk.inner.family, AF_INET);
	assert_addr(AF_INET, pk.inner.src, "192.0.2.1");
	assert_addr(AF_INET, pk.inner.dst, "192.0.2.2");
	assert_int_equal(pk.inner.proto, DEC_IP_UDP);
	assert_true(pk.inner.has_ports);
	assert_int_equal(pk.inner.sport, 40000);
	assert_int_equal(pk.inner.dport, 9999);
	assert_int_equal(pk.inner.udp_len, 15);
	assert_int_equal(pk.inner.ttl, 1);
	assert_int_equal(pk.inner.off, 14 + 28);
	assert_int_equal(pk.inner.len, 35);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.2 → 192.0.2.1 ICMP port unreachable "
			       "(UDP 192.0.2.1:40000 → 192.0.2.2:9999)");

	/* Only the IP header and 8 bytes quoted (RFC 792 minimum), and the
	 * quoted total length is the original's: fine. */
	p.n = 14 + 20 + 8 + 20 + 8;
	pb_set16(&p, 16, 20 + 8 + 28);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.inner.dport, 9999);

	/* Quoted header cut short on the wire. */
	p.n = 14 + 20 + 8 + 12;
	pb_set16(&p, 16, 20 + 8 + 12);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "ICMP quoted datagram: IPv4 header: 12 of 20 bytes");
	assert_false(pk.has_inner);

	mk_icmp_unreach(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 8 + 12);
	assert_int_equal(pk.status, DEC_TRUNC);

	mk_icmp_unreach(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 6);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "ICMP header: 6 of 8 bytes");
	assert_int_equal(pk.icmp_type, 3);
}

static void test_icmp_echo_and_errors(void **state)
{
	struct pb p = { .n = 0 };
	struct dec_pkt pk;
	size_t ip, inner;
	char s[256];

	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_ICMP, "192.0.2.1", "192.0.2.2");
	pb_u8(&p, 8);
	pb_u8(&p, 0);
	pb_u16(&p, 0);
	pb_u16(&p, 0x1234);
	pb_u16(&p, 7);
	pb_bytes(&p, "ping", 4);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.icmp_id, 0x1234);
	assert_int_equal(pk.icmp_seq, 7);
	assert_int_equal(pk.payload_len, 4);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.1 → 192.0.2.2 ICMP echo request id=4660 seq=7");

	/* Time exceeded quoting that echo request (a traceroute hop). */
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV4);
	ip = pb_ipv4(&p, DEC_IP_ICMP, "198.51.100.1", "192.0.2.1");
	pb_u8(&p, 11);
	pb_u8(&p, 0);
	pb_u16(&p, 0);
	pb_u32(&p, 0);
	inner = pb_ipv4(&p, DEC_IP_ICMP, "192.0.2.1", "203.0.113.9");
	pb_bytes(&p, (const uint8_t[]){ 8, 0, 0, 0, 0x12, 0x34, 0, 7 }, 8);
	pb_ipv4_done(&p, inner);
	pb_ipv4_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.has_inner);
	assert_true(pk.inner.has_icmp);
	assert_int_equal(pk.inner.icmp_type, 8);
	assert_int_equal(pk.inner.icmp_seq, 7);
	assert_false(pk.inner.has_ports);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "198.51.100.1 → 192.0.2.1 ICMP time exceeded in transit "
			       "(ICMP 192.0.2.1 → 203.0.113.9 echo id=4660 seq=7)");

	/* Fragmentation needed carries the next-hop MTU. */
	p.b[14 + 20] = 3;
	p.b[14 + 20 + 1] = 4;
	pb_set16(&p, 14 + 20 + 6, 1400);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.icmp_mtu, 1400);
	decode_summary(&pk, s, sizeof s);
	assert_non_null(strstr(s, "ICMP fragmentation needed mtu=1400 ("));

	/* An error quoting an error is decoded one level deep only. */
	p.b[14 + 20 + 8 + 20] = 3;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.inner.has_icmp);
	assert_int_equal(pk.inner.icmp_type, 3);
}

/* ---- ICMPv6 -------------------------------------------------------------- */

static size_t mk_icmp6(struct pb *p, const char *src, const char *dst, uint8_t type,
    uint8_t code)
{
	size_t ip;

	p->n = 0;
	pb_eth(p, DEC_ETH_IPV6);
	ip = pb_ipv6(p, DEC_IP_ICMPV6, src, dst);
	pb_u8(p, type);
	pb_u8(p, code);
	pb_u16(p, 0x5555);
	return ip;
}

static void test_icmp6_echo_unreach(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	size_t ip, inner, u;
	char s[256];

	ip = mk_icmp6(&p, "2001:db8::1", "2001:db8::2", 128, 0);
	pb_u16(&p, 1);
	pb_u16(&p, 2);
	pb_bytes(&p, "ping", 4);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.is_icmp);
	assert_int_equal(pk.icmp_type, 128);
	assert_int_equal(pk.icmp_id, 1);
	assert_int_equal(pk.icmp_seq, 2);
	assert_int_equal(pk.payload_len, 4);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "2001:db8::1 → 2001:db8::2 ICMPv6 echo request id=1 seq=2");

	ip = mk_icmp6(&p, "2001:db8::2", "2001:db8::1", 1, 4);
	pb_u32(&p, 0);
	inner = pb_ipv6(&p, DEC_IP_UDP, "2001:db8::1", "2001:db8::2");
	u = pb_udp(&p, 40000, 9999);
	pb_bytes(&p, "anyone?", 7);
	pb_udp_done(&p, u);
	pb_ipv6_done(&p, inner);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.has_inner);
	assert_int_equal(pk.inner.family, AF_INET6);
	assert_int_equal(pk.inner.sport, 40000);
	assert_int_equal(pk.inner.dport, 9999);
	assert_int_equal(pk.inner.proto, DEC_IP_UDP);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "2001:db8::2 → 2001:db8::1 ICMPv6 port unreachable "
			       "(UDP [2001:db8::1]:40000 → [2001:db8::2]:9999)");

	/* Packet too big: the MTU. */
	p.b[14 + 40] = 2;
	p.b[14 + 40 + 1] = 0;
	pb_set16(&p, 14 + 40 + 6, 1280);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.icmp_mtu, 1280);
	assert_true(pk.has_inner);
}

static void test_icmp6_nd(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	size_t ip;
	char s[256];

	/* Neighbor solicitation with a source link-layer address option. */
	ip = mk_icmp6(&p, "fe80::1", "ff02::1:ff00:2", 135, 0);
	pb_u32(&p, 0);
	pb_addr(&p, AF_INET6, "fe80::2");
	pb_u8(&p, 1);
	pb_u8(&p, 1);
	pb_bytes(&p, MAC1, 6);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_true(pk.has_nd_target);
	assert_addr(AF_INET6, pk.nd_target, "fe80::2");
	assert_true(pk.has_nd_sll);
	assert_memory_equal(pk.nd_sll, MAC1, 6);
	assert_int_equal(pk.nd_nopts, 1);
	assert_int_equal(pk.nd_opt[0].off, 14 + 40 + 24);
	assert_int_equal(pk.tp_len, 24);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "fe80::1 → ff02::1:ff00:2 ICMPv6 neighbor solicitation who has "
			       "fe80::2 from 02:00:00:00:00:01");

	/* ND option length 0 is invalid (RFC 4861 4.6). */
	p.b[14 + 40 + 24 + 1] = 0;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "ND option 1 length 0");
	assert_true(pk.has_nd_target);

	/* Option longer than the message. */
	p.b[14 + 40 + 24 + 1] = 2;
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_INVALID);

	/* Neighbor advertisement: solicited, override, target link-layer. */
	ip = mk_icmp6(&p, "fe80::2", "fe80::1", 136, 0);
	pb_u32(&p, 0x60000000);
	pb_addr(&p, AF_INET6, "fe80::2");
	pb_u8(&p, 2);
	pb_u8(&p, 1);
	pb_bytes(&p, MAC2, 6);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.nd_flags, 0x60);
	assert_true(pk.has_nd_tll);
	assert_memory_equal(pk.nd_tll, MAC2, 6);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "fe80::2 → fe80::1 ICMPv6 neighbor advertisement fe80::2 is at "
			       "02:00:00:00:00:02 [SO]");

	/* Router solicitation. */
	ip = mk_icmp6(&p, "fe80::1", "ff02::2", 133, 0);
	pb_u32(&p, 0);
	pb_u8(&p, 1);
	pb_u8(&p, 1);
	pb_bytes(&p, MAC1, 6);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.icmp_type, 133);
	assert_true(pk.has_nd_sll);

	/* Router advertisement with prefix information and MTU options. */
	ip = mk_icmp6(&p, "fe80::1", "ff02::1", 134, 0);
	pb_u8(&p, 64);
	pb_u8(&p, 0x40);
	pb_u16(&p, 1800);
	pb_u32(&p, 0);
	pb_u32(&p, 0);
	pb_u8(&p, 3);
	pb_u8(&p, 4);
	pb_u8(&p, 64);
	pb_u8(&p, 0xc0);
	pb_u32(&p, 86400);
	pb_u32(&p, 14400);
	pb_u32(&p, 0);
	pb_addr(&p, AF_INET6, "2001:db8:1::");
	pb_u8(&p, 5);
	pb_u8(&p, 1);
	pb_u16(&p, 0);
	pb_u32(&p, 1500);
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ra_hop_limit, 64);
	assert_int_equal(pk.ra_lifetime, 1800);
	assert_int_equal(pk.nd_flags, 0x40);
	assert_true(pk.has_nd_prefix);
	assert_int_equal(pk.nd_prefix_len, 64);
	assert_addr(AF_INET6, pk.nd_prefix, "2001:db8:1::");
	assert_true(pk.has_nd_mtu);
	assert_int_equal(pk.nd_mtu, 1500);
	assert_int_equal(pk.nd_nopts, 2);

	/* MLDv2 report, recognised by type (after a hop-by-hop header). */
	p.n = 0;
	pb_eth(&p, DEC_ETH_IPV6);
	ip = pb_ipv6(&p, DEC_IP_HOPOPTS, "fe80::1", "ff02::16");
	pb_bytes(&p, (const uint8_t[]){ DEC_IP_ICMPV6, 0, 5, 2, 0, 0, 1, 0 }, 8);
	pb_u8(&p, 143);
	pb_u8(&p, 0);
	pb_u16(&p, 0);
	pb_u16(&p, 0);
	pb_u16(&p, 1);
	pb_bytes(&p, (const uint8_t[]){ 4, 0, 0, 0 }, 4);
	pb_addr(&p, AF_INET6, "ff02::1:ff00:1");
	pb_ipv6_done(&p, ip);
	pk = dec(DEC_DLT_EN10MB, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.proto, DEC_IP_ICMPV6);
	assert_int_equal(pk.icmp_type, 143);
	assert_int_equal(pk.mld_nrec, 1);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "fe80::1 → ff02::16 ICMPv6 multicast listener report v2 1 records");

	/* Cut inside the target. */
	ip = mk_icmp6(&p, "fe80::1", "ff02::1:ff00:2", 135, 0);
	pb_u32(&p, 0);
	pb_addr(&p, AF_INET6, "fe80::2");
	pb_ipv6_done(&p, ip);
	pk = dec_cut(DEC_DLT_EN10MB, &p, p.n - 1);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "ICMPv6 type 135: 23 of 24 bytes");
	assert_false(pk.has_nd_target);
}

/* ---- other link types ----------------------------------------------------- */

/* The IPv4/UDP packet of mk_udp4 without its Ethernet header. */
static void ip_only(struct pb *out, const uint8_t *hdr, size_t hdrlen)
{
	struct pb p;

	mk_udp4(&p);
	out->n = 0;
	pb_bytes(out, hdr, hdrlen);
	pb_bytes(out, p.b + 14, p.n - 14);
}

static void check_udp4(const struct dec_pkt *pk, uint16_t net_off)
{
	assert_int_equal(pk->status, DEC_OK);
	assert_int_equal(pk->family, AF_INET);
	assert_int_equal(pk->net_off, net_off);
	assert_int_equal(pk->sport, 40000);
	assert_int_equal(pk->payload_len, 5);
}

static void test_link_sll(void **state)
{
	static const uint8_t sll[16] = { 0, 4, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0, 0x08, 0x00 };
	static const uint8_t sll2[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6,
		0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	static const uint8_t sll_vlan[20] = { 0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0, 0x81,
		0x00, 0, 42, 0x08, 0x00 };
	static const uint8_t sll_netlink[16] = { 0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0 };
	struct pb p;
	struct dec_pkt pk;

	ip_only(&p, sll, sizeof sll);
	pk = dec(DEC_DLT_LINUX_SLL, &p);
	check_udp4(&pk, 16);
	assert_true(pk.has_sll);
	assert_int_equal(pk.sll_pkttype, 4);
	assert_int_equal(pk.sll_hatype, 1);
	assert_true(pk.has_src_mac);
	assert_false(pk.has_dst_mac);
	assert_memory_equal(pk.src_mac, MAC1, 6);
	pk = dec_cut(DEC_DLT_LINUX_SLL, &p, 15);
	assert_int_equal(pk.status, DEC_TRUNC);
	assert_string_equal(pk.why, "Linux cooked header: 15 of 16 bytes");

	ip_only(&p, sll2, sizeof sll2);
	pk = dec(DEC_DLT_LINUX_SLL2, &p);
	check_udp4(&pk, 20);
	assert_int_equal(pk.sll_ifindex, 7);
	assert_int_equal(pk.sll_pkttype, 0);
	assert_true(pk.has_src_mac);
	pk = dec_cut(DEC_DLT_LINUX_SLL2, &p, 19);
	assert_int_equal(pk.status, DEC_TRUNC);

	ip_only(&p, sll_vlan, sizeof sll_vlan);
	pk = dec(DEC_DLT_LINUX_SLL, &p);
	check_udp4(&pk, 20);
	assert_int_equal(pk.vlan[0], 42);

	ip_only(&p, sll_netlink, sizeof sll_netlink);
	pk = dec(DEC_DLT_LINUX_SLL, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.ethertype, 0);
	assert_int_equal(pk.family, 0);
	assert_int_equal(pk.payload_off, 16);
}

static void test_link_raw_null(void **state)
{
	static const uint8_t null_le[4] = { 2, 0, 0, 0 };
	static const uint8_t null_be[4] = { 0, 0, 0, 2 };
	static const uint8_t null_v6[4] = { 30, 0, 0, 0 };
	static const uint8_t loop_v4[4] = { 0, 0, 0, 2 };
	static const uint8_t loop_other[4] = { 0, 0, 0, 7 };
	static const int raws[] = { DEC_DLT_RAW, DEC_DLT_RAW_BSD, DEC_DLT_RAW_OPENBSD,
		DEC_DLT_IPV4 };
	struct pb p, q;
	struct dec_pkt pk;
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(raws); i++) {
		ip_only(&p, NULL, 0);
		pk = dec(raws[i], &p);
		check_udp4(&pk, 0);
		assert_int_equal(pk.link_len, 0);
	}
	mk_udp6(&q, NULL, 0, 0);
	p.n = 0;
	pb_bytes(&p, q.b + 14, q.n - 14);
	pk = dec(DEC_DLT_RAW, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.family, AF_INET6);
	assert_int_equal(pk.dport, 9000);
	pk = dec(DEC_DLT_IPV6, &p);
	assert_int_equal(pk.family, AF_INET6);
	p.b[0] = 0x50;
	pk = dec(DEC_DLT_RAW, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "raw IP: version 5");
	pk = dec_cut(DEC_DLT_RAW, &p, 0);
	assert_int_equal(pk.status, DEC_TRUNC);

	ip_only(&p, null_le, 4);
	pk = dec(DEC_DLT_NULL, &p);
	check_udp4(&pk, 4);
	assert_int_equal(pk.null_family, 2);
	ip_only(&p, null_be, 4); /* written by a big-endian host */
	pk = dec(DEC_DLT_NULL, &p);
	check_udp4(&pk, 4);
	assert_int_equal(pk.null_family, 2);
	ip_only(&p, loop_v4, 4);
	pk = dec(DEC_DLT_LOOP, &p);
	check_udp4(&pk, 4);
	pk = dec_cut(DEC_DLT_LOOP, &p, 3);
	assert_int_equal(pk.status, DEC_TRUNC);
	ip_only(&p, loop_other, 4);
	pk = dec(DEC_DLT_LOOP, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.family, 0);

	p.n = 0;
	pb_bytes(&p, null_v6, 4);
	pb_bytes(&p, q.b + 14, q.n - 14);
	pk = dec(DEC_DLT_NULL, &p);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.family, AF_INET6);
	assert_int_equal(pk.null_family, 30);

	pk = dec(147, &p);
	assert_int_equal(pk.status, DEC_INVALID);
	assert_string_equal(pk.why, "link type 147 not supported");
	assert_false(decode_linktype_ok(147));
	assert_true(decode_linktype_ok(DEC_DLT_LINUX_SLL2));
}

/* ---- formatting ----------------------------------------------------------- */

static const struct dec_field *find_field(const struct dec_field *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

static void test_fields(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	struct dec_field f[64];
	const struct dec_field *x;
	size_t n, i;

	mk_udp4(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	n = decode_fields(&pk, p.b, f, UTIL_ARRAY_LEN(f));
	assert_true(n > 10);
	x = find_field(f, n, "Source");
	assert_non_null(x);
	assert_int_equal(x->layer, DEC_LAYER_LINK);
	assert_string_equal(x->value, "02:00:00:00:00:01");
	assert_int_equal(x->off, 6);
	assert_int_equal(x->len, 6);
	x = find_field(f, n, "Type");
	assert_string_equal(x->value, "0x0800 (IPv4)");
	x = find_field(f, n, "TTL");
	assert_int_equal(x->layer, DEC_LAYER_NET);
	assert_string_equal(x->value, "64");
	assert_int_equal(x->off, 14 + 8);
	x = find_field(f, n, "Destination port");
	assert_int_equal(x->layer, DEC_LAYER_TRANSPORT);
	assert_string_equal(x->value, "9000");
	assert_int_equal(x->off, 36);
	assert_int_equal(x->len, 2);
	x = find_field(f, n, "Data");
	assert_int_equal(x->layer, DEC_LAYER_APP);
	assert_string_equal(x->value, "5 bytes: \"hello\"");
	assert_int_equal(x->off, 42);
	for (i = 0; i < n; i++)
		assert_true(f[i].off + f[i].len <= p.n);

	/* A small max is respected. */
	assert_int_equal(decode_fields(&pk, p.b, f, 3), 3);

	/* Truncated: no field past the capture, and a note. */
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 3);
	n = decode_fields(&pk, p.b, f, UTIL_ARRAY_LEN(f));
	x = find_field(f, n, "Source port"); /* its 2 bytes were captured */
	assert_non_null(x);
	assert_string_equal(x->value, "40000");
	assert_null(find_field(f, n, "Destination port"));
	x = find_field(f, n, "Truncated");
	assert_non_null(x);
	assert_string_equal(x->value, "UDP header: 3 of 8 bytes");
	for (i = 0; i < n; i++)
		assert_true(f[i].off + f[i].len <= 14 + 20 + 3);

	mk_syn4(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	n = decode_fields(&pk, p.b, f, UTIL_ARRAY_LEN(f));
	x = find_field(f, n, "MSS");
	assert_string_equal(x->value, "1460");
	assert_int_equal(x->off, 54);
	assert_int_equal(x->len, 4);
	x = find_field(f, n, "Flags");
	assert_string_equal(x->value, "0x002 [SYN]");
	x = find_field(f, n, "Window scale");
	assert_string_equal(x->value, "7 (x128)");
	x = find_field(f, n, "Timestamps");
	assert_string_equal(x->value, "val 1, ecr 0");

	mk_icmp_unreach(&p);
	pk = dec(DEC_DLT_EN10MB, &p);
	n = decode_fields(&pk, p.b, f, UTIL_ARRAY_LEN(f));
	x = find_field(f, n, "Code");
	assert_string_equal(x->value, "3 (port unreachable)");
	x = find_field(f, n, "Quoted datagram");
	assert_non_null(x);
	assert_string_equal(x->value, "UDP 192.0.2.1:40000 → 192.0.2.2:9999");
	assert_int_equal(x->off, 42);
	assert_null(find_field(f, n, "Data"));
}

static void test_summary_status(void **state)
{
	struct pb p;
	struct dec_pkt pk;
	char s[256], tiny[8];

	mk_udp4(&p);
	pk = dec_cut(DEC_DLT_EN10MB, &p, 14 + 20 + 3);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "192.0.2.1 → 192.0.2.2 UDP [truncated: UDP header: 3 of 8 bytes]");
	decode_summary(&pk, tiny, sizeof tiny);
	assert_int_equal(strlen(tiny), 7);
	assert_string_equal(decode_status_name(DEC_INVALID), "invalid");
	assert_string_equal(decode_icmp_name(AF_INET6, 2, 0), "packet too big");
	assert_string_equal(decode_proto_name(DEC_IP_TCP), "TCP");
	assert_null(decode_proto_name(253));
}

/* ---- captures --------------------------------------------------------------- */

struct cap_pkt {
	int linktype;
	uint32_t caplen, wirelen;
	uint8_t *data;
};

struct capfile {
	struct cap_pkt *p;
	size_t n;
};

static void cap_load(const char *path, struct capfile *cf)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc = pcap_open_offline(path, err);
	int lt;

	if (pc == NULL)
		fail_msg("%s: %s", path, err);
	lt = pcap_datalink(pc);
	cf->p = NULL;
	cf->n = 0;
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct cap_pkt *k;

		cf->p = xreallocarray(cf->p, cf->n + 1, sizeof *cf->p);
		k = &cf->p[cf->n++];
		k->linktype = lt;
		k->caplen = h->caplen;
		k->wirelen = h->len;
		k->data = xmemdup(data, h->caplen);
	}
	pcap_close(pc);
}

static void cap_free(struct capfile *cf)
{
	size_t i;

	for (i = 0; i < cf->n; i++)
		free(cf->p[i].data);
	free(cf->p);
}

static void test_capture_udp4(void **state)
{
	struct capfile cf;
	struct dec_pkt pk, err;
	char s[256];
	size_t i;

	cap_load("pcap/lo-udp4.pcap", &cf);
	assert_int_equal(cf.n, 8);
	for (i = 0; i < cf.n; i++) {
		decode_packet(cf.p[i].linktype, cf.p[i].data, cf.p[i].caplen, cf.p[i].wirelen, &pk);
		assert_int_equal(pk.status, DEC_OK);
	}
	decode_packet(cf.p[0].linktype, cf.p[0].data, cf.p[0].caplen, cf.p[0].wirelen, &pk);
	decode_summary(&pk, s, sizeof s);
	assert_string_equal(s, "127.0.0.1:40000 → 127.0.0.1:9000 UDP 5 bytes");
	/* The port unreachable quotes the datagram before it. */
	decode_packet(cf.p[2].linktype, cf.p[2].data, cf.p[2].caplen, cf.p[2].wirelen, &pk);
	decode_packet(cf.p[3].linktype, cf.p[3].data, cf.p[3].caplen, cf.p[3].wirelen, &err);
	assert_true(err.is_icmp);
	assert_int_equal(err.icmp_type, 3);
	assert_int_equal(err.icmp_code, 3);
	assert_true(err.has_inner);
	assert_int_equal(err.inner.sport, pk.sport);
	assert_int_equal(err.inner.dport, pk.dport);
	assert_int_equal(err.inner.dport, 9999);
	assert_int_equal(err.inner.ip_id, pk.ip_id);
	assert_memory_equal(err.inner.src, pk.src, 4);
	cap_free(&cf);
}

static void test_capture_tcp4(void **state)
{
	struct capfile cf;
	struct dec_pkt pk;

	cap_load("pcap/lo-tcp4.pcap", &cf);
	assert_true(cf.n >= 3);
	decode_packet(cf.p[0].linktype, cf.p[0].data, cf.p[0].caplen, cf.p[0].wirelen, &pk);
	assert_int_equal(pk.status, DEC_OK);
	assert_int_equal(pk.tcp_flags, DEC_TCP_SYN);
	assert_true(pk.has_mss);
	assert_true(pk.sack_perm);
	assert_true(pk.has_ts);
	assert_true(pk.has_wscale);
	assert_int_equal(pk.ts_ecr, 0);
	decode_packet(cf.p[1].linktype, cf.p[1].data, cf.p[1].caplen, cf.p[1].wirelen, &pk);
	assert_int_equal(pk.tcp_flags, DEC_TCP_SYN | DEC_TCP_ACK);
	cap_free(&cf);
}

static void test_capture_arp_nd(void **state)
{
	struct capfile cf;
	struct dec_pkt pk;
	size_t i, arp = 0, ns = 0, na = 0, mld = 0, rs = 0;

	cap_load("pcap/veth-arp-nd.pcap", &cf);
	for (i = 0; i < cf.n; i++) {
		decode_packet(cf.p[i].linktype, cf.p[i].data, cf.p[i].caplen, cf.p[i].wirelen, &pk);
		assert_int_equal(pk.status, DEC_OK);
		arp += pk.is_arp && pk.arp_eth_ip;
		ns += pk.is_icmp && pk.icmp_type == 135 && pk.has_nd_target;
		na += pk.is_icmp && pk.icmp_type == 136 && pk.has_nd_tll;
		mld += pk.is_icmp && pk.icmp_type == 143 && pk.ext_hdrs == 1;
		rs += pk.is_icmp && pk.icmp_type == 133;
	}
	assert_int_equal(arp, 2);
	assert_true(ns >= 1 && na >= 1 && mld >= 1 && rs >= 1);
	cap_free(&cf);
}

/* ---- sweeps ------------------------------------------------------------------ */

static void check_sane(const struct dec_pkt *pk, const uint8_t *data, uint32_t caplen)
{
	struct dec_field f[128];
	char s[512];
	size_t n, i;

	assert_true(pk->payload_off <= caplen);
	assert_true((uint64_t)pk->payload_off + pk->payload_len <= caplen);
	assert_true(pk->payload_len <= pk->payload_wirelen);
	assert_true(pk->status == DEC_OK || pk->why[0] != '\0');
	decode_summary(pk, s, sizeof s);
	assert_true(strlen(s) > 0);
	n = decode_fields(pk, data, f, UTIL_ARRAY_LEN(f));
	for (i = 0; i < n; i++)
		assert_true((uint64_t)f[i].off + f[i].len <= caplen);
}

/* Every prefix of a packet, from an exact-size heap copy. */
static void sweep_prefixes(int lt, const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	struct dec_pkt pk;
	uint32_t n;

	for (n = 0; n <= caplen; n++) {
		uint8_t *copy = malloc(n > 0 ? n : 1);

		assert_non_null(copy);
		memcpy(copy, data, n);
		decode_packet(lt, copy, n, wirelen, &pk);
		check_sane(&pk, copy, n);
		/* The same bytes as a whole frame: never TRUNC. */
		decode_packet(lt, copy, n, n, &pk);
		assert_true(pk.status != DEC_TRUNC);
		check_sane(&pk, copy, n);
		free(copy);
	}
}

/* Every byte of a packet set to a few values. */
static void sweep_corrupt(int lt, const uint8_t *data, uint32_t caplen)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x05, 0x3f, 0x45, 0x60, 0x80, 0xff };
	struct dec_pkt pk;
	uint8_t *copy = xmemdup(data, caplen > 0 ? caplen : 1);
	uint32_t i;
	size_t v;

	for (i = 0; i < caplen; i++) {
		for (v = 0; v < sizeof vals; v++) {
			copy[i] = vals[v];
			decode_packet(lt, copy, caplen, caplen, &pk);
			check_sane(&pk, copy, caplen);
		}
		copy[i] = data[i];
	}
	free(copy);
}

static void test_sweep_captures(void **state)
{
	glob_t g;
	size_t i, j, total = 0;

	assert_int_equal(glob("pcap/*.pcap", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 8);
	for (i = 0; i < g.gl_pathc; i++) {
		struct capfile cf;

		cap_load(g.gl_pathv[i], &cf);
		for (j = 0; j < cf.n; j++) {
			/* Large fragments: the first 200 bytes hold every header. */
			uint32_t len = cf.p[j].caplen > 200 ? 200 : cf.p[j].caplen;

			sweep_prefixes(cf.p[j].linktype, cf.p[j].data, len, cf.p[j].wirelen);
			sweep_corrupt(cf.p[j].linktype, cf.p[j].data, len);
			total++;
		}
		cap_free(&cf);
	}
	globfree(&g);
	assert_true(total > 50);
}

static void test_sweep_built(void **state)
{
	static const uint8_t frag_ext[8] = { DEC_IP_UDP, 0, 0, 1, 1, 2, 3, 4 };
	void (*mk[])(struct pb *) = { mk_udp4, mk_syn4, mk_icmp_unreach };
	struct pb p;
	size_t i;
	static const int lts[] = { DEC_DLT_NULL, DEC_DLT_EN10MB, DEC_DLT_RAW, DEC_DLT_LOOP,
		DEC_DLT_LINUX_SLL, DEC_DLT_LINUX_SLL2, DEC_DLT_IPV6 };

	for (i = 0; i < UTIL_ARRAY_LEN(mk); i++) {
		mk[i](&p);
		sweep_prefixes(DEC_DLT_EN10MB, p.b, (uint32_t)p.n, (uint32_t)p.n);
		sweep_corrupt(DEC_DLT_EN10MB, p.b, (uint32_t)p.n);
	}
	mk_udp6(&p, frag_ext, sizeof frag_ext, DEC_IP_FRAGMENT);
	sweep_prefixes(DEC_DLT_EN10MB, p.b, (uint32_t)p.n, (uint32_t)p.n);
	sweep_corrupt(DEC_DLT_EN10MB, p.b, (uint32_t)p.n);
	mk_arp(&p, 1);
	sweep_prefixes(DEC_DLT_EN10MB, p.b, (uint32_t)p.n, (uint32_t)p.n);
	/* The same bytes under every link type. */
	mk_icmp_unreach(&p);
	for (i = 0; i < UTIL_ARRAY_LEN(lts); i++) {
		sweep_prefixes(lts[i], p.b, (uint32_t)p.n, (uint32_t)p.n);
		sweep_corrupt(lts[i], p.b, (uint32_t)p.n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rd),
		cmocka_unit_test(test_eth_ipv4_udp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_eth_other),
		cmocka_unit_test(test_ipv4_bad),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_other_proto),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_tcp_syn),
		cmocka_unit_test(test_tcp_flags_sack),
		cmocka_unit_test(test_tcp_bad),
		cmocka_unit_test(test_ipv6_udp),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_ipv6_fragment),
		cmocka_unit_test(test_icmp_unreach),
		cmocka_unit_test(test_icmp_echo_and_errors),
		cmocka_unit_test(test_icmp6_echo_unreach),
		cmocka_unit_test(test_icmp6_nd),
		cmocka_unit_test(test_link_sll),
		cmocka_unit_test(test_link_raw_null),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_summary_status),
		cmocka_unit_test(test_capture_udp4),
		cmocka_unit_test(test_capture_tcp4),
		cmocka_unit_test(test_capture_arp_nd),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_ipv4_len0_and_big),
		cmocka_unit_test(test_sweep_built),
		cmocka_unit_test(test_sweep_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
