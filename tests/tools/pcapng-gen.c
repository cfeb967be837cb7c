/* pcapng-gen — write a known pcapng file with doorway's writer, or print
 * what doorway's reader sees in any capture file, for tests/e2e/pcapfile-vs-tshark.
 *
 *   pcapng-gen FILE N   write N Ethernet/IPv4/UDP packets over 2 interfaces
 *                       (veth-alice, veth-bob), a comment on every third
 *   pcapng-gen -H FILE HOSTS [ROUNDS [BYTES]]
 *                       many hosts: HOSTS clients (10.0.0.1, 10.0.0.2, ...)
 *                       each send ROUNDS (default 1) UDP datagrams of BYTES
 *                       (default 32) to 192.0.2.1:53 and get as many answers;
 *                       FILE "-" writes to standard output
 *   pcapng-gen -r FILE  one line per packet, tab-separated, in the shape of
 *                       tshark -T fields -e frame.time_epoch -e frame.cap_len
 *                       -e frame.len -e frame.interface_id -e frame.comment
 *   pcapng-gen -i FILE  one line per interface: index, name, description,
 *                       link type, snapshot length
 *   pcapng-gen -d FILE  frames for the decoders' comparison with tshark
 *                       (tests/e2e/decode-vs-tshark): ARP operations 1, 2,
 *                       8 and 9, RARP (ethertype 0x8035, operations 3 and
 *                       4), TCP with ECE and CWR, IPv4 total length 0 as
 *                       segmentation offload captures show it, and a
 *                       100000-byte BIG TCP frame
 *   pcapng-gen -n FILE NAME...  one interface per NAME (any bytes), each
 *                       with one packet of gen_frame's kind whose UDP
 *                       payload is the interface's NAME
 *
 * Exit status of -r/-i: 0, 1 on error, 3 when the file ends in the middle of
 * a record (the packets before are printed, the warning goes to stderr). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../prog.h"
#include "pcapfile.h"
#include "util.h"

#define GEN_TS0 1700000000000000000ull

static uint16_t gen_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet II, IPv4 192.0.2.1 -> 198.51.100.2, UDP 49152+i -> 50999 (ports no dissector claims). */
static size_t gen_frame(uint8_t *f, unsigned i)
{
	char payload[64];
	int plen = snprintf(payload, sizeof payload, "doorway packet %u%*s", i, (int)(i % 17), "");
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	memcpy(f, eth, 14);
	uint8_t *ip = f + 14, *udp = ip + 20;
	size_t iplen = 20 + 8 + (size_t)plen;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(iplen >> 8);
	ip[3] = (uint8_t)iplen;
	ip[4] = (uint8_t)(i >> 8);
	ip[5] = (uint8_t)i;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(ip + 16, (const uint8_t[]){ 198, 51, 100, 2 }, 4);
	uint16_t c = gen_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	uint16_t sport = (uint16_t)(49152 + i % 1000), ulen = (uint16_t)(8 + plen);
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = 50999 >> 8;
	udp[3] = 50999 & 0xff;
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
	udp[6] = udp[7] = 0; /* no checksum */
	memcpy(udp + 8, payload, (size_t)plen);
	return 14 + iplen;
}

/* Ethernet II, IPv4 src -> dst, UDP sport -> dport, plen payload bytes. */
static size_t gen_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, size_t plen)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	memcpy(f, eth, 14);
	uint8_t *ip = f + 14, *udp = ip + 20;
	size_t iplen = 20 + 8 + plen;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(iplen >> 8);
	ip[3] = (uint8_t)iplen;
	ip[8] = 64;
	ip[9] = 17;
	for (int k = 0; k < 4; k++) {
		ip[12 + k] = (uint8_t)(src >> (24 - 8 * k));
		ip[16 + k] = (uint8_t)(dst >> (24 - 8 * k));
	}
	uint16_t c = gen_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	uint16_t ulen = (uint16_t)(8 + plen);
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
	udp[6] = udp[7] = 0;
	for (size_t k = 0; k < plen; k++)
		udp[8 + k] = (uint8_t)('a' + k % 26);
	return 14 + iplen;
}

static int gen_hosts(const char *path, unsigned hosts, unsigned rounds, unsigned bytes)
{
	char err[UTIL_ERRLEN];
	if (bytes > 1472 || hosts == 0 || hosts > 0xfffffe) {
		fprintf(stderr, "pcapng-gen: -H takes 1 to 16777214 hosts and at most 1472 bytes\n");
		return 2;
	}
	struct pcapng_writer *w = !strcmp(path, "-") ? pcapng_writer_open_fd(1, "standard output", err)
						     : pcapng_writer_open(path, err);
	if (!w) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	pcapng_writer_set_hold(w, 1 << 20);
	if (pcapng_writer_add_if(w, "lab", "many hosts", 1, 262144) < 0)
		goto fail;
	uint64_t ts = GEN_TS0;
	uint8_t f[1600];
	for (unsigned r = 0; r < rounds; r++)
		for (unsigned i = 0; i < hosts; i++) {
			uint32_t cli = 0x0a000000u + i + 1, srv = 0xc0000201u;
			uint16_t port = (uint16_t)(40000 + i % 20000);
			size_t len = gen_udp(f, cli, srv, port, 53, bytes);
			if (pcapng_writer_packet(w, 0, ts += 1000, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
				goto fail;
			len = gen_udp(f, srv, cli, 53, port, bytes);
			if (pcapng_writer_packet(w, 0, ts += 1000, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
				goto fail;
		}
	if (pcapng_writer_close(w, err) < 0) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "pcapng-gen: %s\n", pcapng_writer_error(w));
	pcapng_writer_close(w, NULL);
	return 1;
}

static int gen_write(const char *path, unsigned n)
{
	char err[UTIL_ERRLEN];
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	if (!w) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	if (pcapng_writer_add_if(w, "veth-alice", "alice's side of the link", 1, 262144) < 0 ||
	    pcapng_writer_add_if(w, "veth-bob", "bob's side of the link", 1, 262144) < 0)
		goto fail;
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[128];
		size_t len = gen_frame(f, i);
		uint32_t caplen = i % 7 == 6 ? 40 : (uint32_t)len; /* some cut by a snaplen */
		char comment[80];
		const char *c = NULL;
		if (i % 3 == 0) {
			snprintf(comment, sizeof comment, i % 9 == 0 ? "packet %u, héllo wörld" : "packet %u", i);
			c = comment;
		}
		uint64_t ts = GEN_TS0 + (uint64_t)i * 1234567ull + i % 2;
		if (pcapng_writer_packet(w, i % 2, ts, f, caplen, (uint32_t)len, c) < 0)
			goto fail;
	}
	if (pcapng_writer_close(w, err) < 0) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "pcapng-gen: %s\n", pcapng_writer_error(w));
	pcapng_writer_close(w, NULL);
	return 1;
}

static size_t put16(uint8_t *p, size_t o, unsigned v)
{
	p[o] = (uint8_t)(v >> 8);
	p[o + 1] = (uint8_t)v;
	return o + 2;
}

/* Ethernet + ARP (or RARP) of operation op between 192.0.2.1 and .2 */
static size_t gen_arp(uint8_t *f, uint16_t ethertype, unsigned op)
{
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t ip1[4] = { 192, 0, 2, 1 }, ip2[4] = { 192, 0, 2, 2 };
	memset(f, 0xff, 6);
	memcpy(f + 6, m1, 6);
	size_t o = put16(f, 12, ethertype);
	o = put16(f, o, 1);
	o = put16(f, o, 0x0800);
	f[o++] = 6;
	f[o++] = 4;
	o = put16(f, o, op);
	memcpy(f + o, op == 2 || op == 4 ? m2 : m1, 6);
	memcpy(f + o + 6, op == 2 || op == 4 ? ip2 : ip1, 4);
	memcpy(f + o + 10, op == 1 ? (const uint8_t[6]){ 0 } : op == 3 ? m1 : m1, 6);
	memcpy(f + o + 16, op == 3 ? (const uint8_t[4]){ 0 } : op == 2 || op == 4 ? ip1 : ip2, 4);
	o += 20;
	memset(f + o, 0, 60 - o); /* padded to the minimum frame */
	return 60;
}

/* Ethernet + IPv4 (total length ip_len, 0 for offload) + TCP with flags and
 * payload bytes of a pattern. */
static size_t gen_tcp(uint8_t *f, unsigned flags, size_t payload, bool len0)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	memcpy(f, eth, 14);
	uint8_t *ip = f + 14, *tcp = ip + 20;
	size_t iplen = 20 + 20 + payload;
	memset(ip, 0, 40);
	ip[0] = 0x45;
	if (!len0)
		put16(ip, 2, (unsigned)iplen);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(ip + 16, (const uint8_t[]){ 192, 0, 2, 2 }, 4);
	uint16_t c = gen_csum(ip, 20);
	put16(ip, 10, c);
	put16(tcp, 0, 40000);
	put16(tcp, 2, 50998);
	tcp[7] = 1;  /* seq 1 */
	tcp[11] = 1; /* ack 1 */
	put16(tcp, 12, 5u << 12 | flags);
	put16(tcp, 14, 512);
	for (size_t i = 0; i < payload; i++)
		tcp[20 + i] = (uint8_t)('a' + i % 26);
	return 14 + iplen;
}

static int gen_decode(const char *path)
{
	char err[UTIL_ERRLEN];
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	if (!w) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	if (pcapng_writer_add_if(w, "veth-gen", NULL, 1, 262144) < 0)
		goto fail;
	static uint8_t f[100000];
	struct { size_t len; } pk[12];
	unsigned n = 0;
	uint64_t ts = GEN_TS0;
	static const unsigned ops[] = { 1, 2, 8, 9 };
	for (size_t i = 0; i < 4; i++) {
		size_t len = gen_arp(f, 0x0806, ops[i]);
		if (pcapng_writer_packet(w, 0, ts + n++, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
			goto fail;
	}
	for (unsigned op = 3; op <= 4; op++) {
		size_t len = gen_arp(f, 0x8035, op);
		if (pcapng_writer_packet(w, 0, ts + n++, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
			goto fail;
	}
	size_t len = gen_tcp(f, 0x0c2, 0, false); /* SYN, ECE, CWR */
	if (pcapng_writer_packet(w, 0, ts + n++, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
		goto fail;
	len = gen_tcp(f, 0x050, 1448, true); /* ACK, ECE: offload, length 0 */
	if (pcapng_writer_packet(w, 0, ts + n++, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
		goto fail;
	len = gen_tcp(f, 0x018, sizeof f - 54, true); /* BIG TCP: 100000 bytes */
	if (pcapng_writer_packet(w, 0, ts + n++, f, (uint32_t)len, (uint32_t)len, NULL) < 0)
		goto fail;
	(void)pk;
	if (pcapng_writer_close(w, err) < 0) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "pcapng-gen: %s\n", pcapng_writer_error(w));
	pcapng_writer_close(w, NULL);
	return 1;
}

/* One interface per name, one packet on each carrying the name. */
static int gen_names(const char *path, char **names, int n)
{
	char err[UTIL_ERRLEN];
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	if (!w) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (pcapng_writer_add_if(w, names[i], names[i], 1, 262144) < 0)
			goto fail;
	for (int i = 0; i < n; i++) {
		uint8_t f[14 + 20 + 8 + 256];
		size_t len = gen_frame(f, (unsigned)i);
		size_t nl = strlen(names[i]) < 256 ? strlen(names[i]) : 256;
		/* the payload is the name: fix the IP and UDP lengths (no checksums) */
		memcpy(f + 14 + 20 + 8, names[i], nl);
		len = 14 + 20 + 8 + nl;
		f[16] = (uint8_t)((len - 14) >> 8);
		f[17] = (uint8_t)(len - 14);
		f[24] = f[25] = 0;
		uint16_t c = gen_csum(f + 14, 20);
		f[24] = (uint8_t)(c >> 8);
		f[25] = (uint8_t)c;
		f[38] = (uint8_t)((8 + nl) >> 8);
		f[39] = (uint8_t)(8 + nl);
		if (pcapng_writer_packet(w, (uint32_t)i, GEN_TS0 + (uint64_t)i * 1000, f, (uint32_t)len,
					 (uint32_t)len, names[i]) < 0)
			goto fail;
	}
	if (pcapng_writer_close(w, err) < 0) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "pcapng-gen: %s\n", pcapng_writer_error(w));
	pcapng_writer_close(w, NULL);
	return 1;
}

static int gen_read(const char *path, bool ifaces)
{
	char err[UTIL_ERRLEN];
	struct pcapfile *pf = pcapfile_open(path, err);
	if (!pf) {
		fprintf(stderr, "pcapng-gen: %s\n", err);
		return 1;
	}
	struct pcapfile_pkt pkt;
	int r;
	while ((r = pcapfile_next(pf, &pkt)) > 0) {
		if (ifaces)
			continue;
		printf("%llu.%09llu\t%u\t%u\t", (unsigned long long)(pkt.ts_ns / 1000000000ull),
		       (unsigned long long)(pkt.ts_ns % 1000000000ull), pkt.caplen, pkt.wirelen);
		if (pcapfile_format(pf) == PCAPFILE_PCAPNG)
			printf("%u", pkt.ifindex);
		putchar('\t');
		if (pkt.comment)
			fwrite(pkt.comment, 1, pkt.comment_len, stdout);
		putchar('\n');
	}
	if (ifaces)
		for (uint32_t i = 0; i < pcapfile_if_count(pf); i++)
			printf("%u\t%s\t%s\t%d\t%u\n", i, pcapfile_if_name(pf, i),
			       pcapfile_if_description(pf, i), pcapfile_if_linktype(pf, i),
			       pcapfile_if_snaplen(pf, i));
	int rc = 0;
	if (r < 0) {
		fprintf(stderr, "pcapng-gen: %s\n", pcapfile_error(pf));
		rc = 1;
	} else if (pcapfile_warning(pf)) {
		fprintf(stderr, "pcapng-gen: warning: %s\n", pcapfile_warning(pf));
		rc = 3;
	}
	pcapfile_close(pf);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const opts[] = { "-r", "-i", "-d", "-n", "-H", NULL };
	const char *usage = "pcapng-gen FILE N | -H FILE HOSTS [ROUNDS [BYTES]] | -r FILE | -i FILE | -d FILE | -n FILE NAME...";
	prog_args(argc, argv, "pcapng-gen", usage, "Write a known pcapng file with doorway's writer, or print what the reader makes of one.", opts);
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return gen_read(argv[2], false);
	if (argc == 3 && !strcmp(argv[1], "-i"))
		return gen_read(argv[2], true);
	if (argc == 3 && !strcmp(argv[1], "-d"))
		return gen_decode(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "-n"))
		return gen_names(argv[2], argv + 3, argc - 3);
	if (argc >= 4 && argc <= 6 && !strcmp(argv[1], "-H"))
		return gen_hosts(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
				 argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 1,
				 argc > 5 ? (unsigned)strtoul(argv[5], NULL, 10) : 32);
	if (argc == 3 && argv[1][0] != '-')
		return gen_write(argv[1], (unsigned)strtoul(argv[2], NULL, 10));
	prog_usage_error("pcapng-gen", usage, NULL);
}
