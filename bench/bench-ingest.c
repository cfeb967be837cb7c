/* bench-ingest — opening a 1M-packet capture (issue 3 goals):
 *   doorway's ingest (read + decode + trace index) <= 2x a bare pcap_next_ex loop,
 *   >= 10x faster than `tcpdump -nr FILE > /dev/null`,
 *   <= 48 bytes of index per packet, first stepable view < 0.5 s.
 * The file is generated here: TCP connections (handshake, 1448-byte data
 * segments and ACKs, teardown) and UDP query/answer pairs between 200 hosts. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/prog.h"
#include "trace.h"
#include "util.h"

#define NPKTS 1000000

struct gen {
	FILE *f;
	uint64_t t_us;
	long n;
	uint8_t buf[1600];
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

static void gen_pkt(struct gen *g, uint32_t src, uint32_t dst, int proto, uint16_t sp, uint16_t dp,
		    uint32_t seq, uint32_t ack, uint8_t flags, uint32_t paylen)
{
	uint8_t *p = g->buf;
	uint32_t l4 = proto == 6 ? 20 : 8;
	uint32_t len = 14 + 20 + l4 + paylen;
	memset(p, 0, len);
	p[0] = 2; p[5] = (uint8_t)dst; p[6] = 2; p[11] = (uint8_t)src;
	put16(p + 12, 0x0800);
	uint8_t *ip = p + 14;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4 + paylen));
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	uint8_t *t = ip + 20;
	put16(t, sp);
	put16(t + 2, dp);
	if (proto == 6) {
		put32(t + 4, seq);
		put32(t + 8, ack);
		t[12] = 5 << 4;
		t[13] = flags;
		put16(t + 14, 65535);
	} else {
		put16(t + 4, (uint16_t)(8 + paylen));
	}
	for (uint32_t i = 0; i < paylen; i++)
		t[l4 + i] = (uint8_t)('a' + i % 26);
	uint32_t hdr[4] = { (uint32_t)(g->t_us / 1000000), (uint32_t)(g->t_us % 1000000), len, len };
	fwrite(hdr, sizeof hdr, 1, g->f);
	fwrite(p, len, 1, g->f);
	g->t_us += 7;
	g->n++;
}

static void gen_file(const char *path)
{
	struct gen g = { .f = fopen(path, "wb"), .t_us = 1700000000ull * 1000000ull };
	if (!g.f)
		fatal("create %s", path);
	uint32_t ghdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	fwrite(ghdr, sizeof ghdr, 1, g.f);
	unsigned r = 1;
	for (int c = 0; g.n < NPKTS; c++) {
		r = r * 1103515245u + 12345u;
		uint32_t cli = 0xc0000200u + 1 + (r >> 8) % 100, srv = 0xc6336400u + 1 + (r >> 16) % 100;
		uint16_t cp = (uint16_t)(32768 + c % 28000);
		if (c % 4 == 3) { /* UDP query/answer */
			gen_pkt(&g, cli, srv, 17, cp, 53, 0, 0, 0, 40);
			gen_pkt(&g, srv, cli, 17, 53, cp, 0, 0, 0, 120);
			continue;
		}
		uint32_t a = r, b = r * 7;
		gen_pkt(&g, cli, srv, 6, cp, 80, a, 0, 0x02, 0);
		gen_pkt(&g, srv, cli, 6, 80, cp, b, a + 1, 0x12, 0);
		gen_pkt(&g, cli, srv, 6, cp, 80, a + 1, b + 1, 0x10, 0);
		gen_pkt(&g, cli, srv, 6, cp, 80, a + 1, b + 1, 0x18, 300);
		gen_pkt(&g, srv, cli, 6, 80, cp, b + 1, a + 301, 0x10, 0);
		uint32_t off = 0;
		int nseg = 4 + (int)(r % 20);
		for (int s = 0; s < nseg && g.n < NPKTS; s++, off += 1448) {
			gen_pkt(&g, srv, cli, 6, 80, cp, b + 1 + off, a + 301, 0x10, 1448);
			if (s % 2)
				gen_pkt(&g, cli, srv, 6, cp, 80, a + 301, b + 1 + off + 1448, 0x10, 0);
		}
		gen_pkt(&g, cli, srv, 6, cp, 80, a + 301, b + 1 + off, 0x11, 0);
		gen_pkt(&g, srv, cli, 6, 80, cp, b + 1 + off, a + 302, 0x11, 0);
		gen_pkt(&g, cli, srv, 6, cp, 80, a + 302, b + 2 + off, 0x10, 0);
	}
	fclose(g.f);
}

static double now_s(void) { return (double)util_now_mono_ns() / 1e9; }

static double bench_bare(const char *path, long *count)
{
	char e[PCAP_ERRBUF_SIZE];
	double t0 = now_s();
	pcap_t *p = pcap_open_offline(path, e);
	if (!p)
		fatalx("pcap_open_offline: %s", e);
	struct pcap_pkthdr *h;
	const u_char *d;
	long n = 0;
	unsigned sum = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		sum += d[0];
	}
	pcap_close(p);
	*count = n + (sum & 0); /* keep the loop honest */
	return now_s() - t0;
}

static double bench_tcpdump(const char *path)
{
	double t0 = now_s();
	pid_t pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execlp("tcpdump", "tcpdump", "-nr", path, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return now_s() - t0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *usage = "bench-ingest [FILE]   (default /tmp/doorway-bench-1m.pcap, generated when missing)";
	prog_args(argc, argv, "bench-ingest", usage, "Opening a 1M-packet capture, against a bare libpcap loop and tcpdump -nr.", NULL);
	if (argc > 2)
		prog_usage_error("bench-ingest", usage, "one file at most");
	const char *path = argc > 1 ? argv[1] : "/tmp/doorway-bench-1m.pcap";
	struct stat st;
	if (stat(path, &st) < 0) {
		printf("generating %s (%d packets)...\n", path, NPKTS);
		gen_file(path);
	}
	/* warm the page cache, then take medians of 3 */
	long n = 0;
	bench_bare(path, &n);
	double bare[3], ing[3], first[3];
	size_t index_bytes = 0, nev = 0;
	for (int k = 0; k < 3; k++) {
		bare[k] = bench_bare(path, &n);
		char err[UTIL_ERRLEN];
		double t0 = now_s();
		struct trace *t = trace_open(path, err);
		if (!t)
			fatalx("trace_open: %s", err);
		ing[k] = now_s() - t0;
		size_t s = trace_next_step(t, 0); /* the first step a class would see */
		(void)s;
		first[k] = now_s() - t0;
		index_bytes = trace_index_bytes(t);
		nev = trace_nevents(t);
		trace_free(t);
	}
	qsort(bare, 3, sizeof *bare, cmp_d);
	qsort(ing, 3, sizeof *ing, cmp_d);
	qsort(first, 3, sizeof *first, cmp_d);
	double td = bench_tcpdump(path);
	printf("packets: %ld (trace events %zu)\n", n, nev);
	printf("bare pcap_next_ex loop:  %8.1f ms (baseline)\n", bare[1] * 1e3);
	printf("doorway ingest:          %8.1f ms = %.2fx baseline (goal <= 2x)\n", ing[1] * 1e3, ing[1] / bare[1]);
	if (td > 0)
		printf("tcpdump -nr > /dev/null: %8.1f ms: doorway is %.1fx faster (goal >= 10x)\n", td * 1e3, td / ing[1]);
	else
		printf("tcpdump -nr: not available\n");
	printf("index: %.1f bytes per packet (goal <= 48)\n", (double)index_bytes / (double)n);
	printf("first stepable view: %.1f ms (goal < 500 ms)\n", first[1] * 1e3);
	return 0;
}
