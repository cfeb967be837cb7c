/* decode-dump — print what decode_packet() makes of each packet of a pcap
 * file, for comparison with tshark (tests/e2e/decode-vs-tshark).
 *
 *   decode-dump -f          the tshark field names, one a line
 *   decode-dump FILE        one tab-separated line per packet, in the same
 *                           order and format as tshark -T fields prints
 *                           them (several occurrences joined by commas:
 *                           the outer header, then the ICMP-quoted one)
 *   decode-dump -s FILE     one summary line per packet, "status<TAB>text"
 */
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../prog.h"
#include "decode.h"
#include "util.h"

struct col {
	struct buf *b;
	int n; /* occurrences so far */
};

static void add(struct col *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct col *c, const char *fmt, ...)
{
	va_list ap;

	if (c->n++ > 0)
		buf_addc(c->b, ',');
	va_start(ap, fmt);
	buf_vprintf(c->b, fmt, ap);
	va_end(ap);
}

static void add_mac(struct col *c, const uint8_t *m)
{
	char s[24];

	decode_mac(m, s, sizeof s);
	add(c, "%s", s);
}

static void add_addr(struct col *c, int family, const uint8_t *a)
{
	char s[64];

	decode_addr(family, a, s, sizeof s);
	add(c, "%s", s);
}

#define P const struct dec_pkt *pk
#define IN (&pk->inner)
#define V4 (pk->family == AF_INET && pk->net_len > 0)
#define V6 (pk->family == AF_INET6 && pk->net_len > 0)
#define IN4 (pk->has_inner && IN->family == AF_INET)
#define IN6 (pk->has_inner && IN->family == AF_INET6)
#define ETH (pk->linktype == 1)
#define SLL (pk->has_sll)
#define TCP (pk->is_tcp && pk->tp_len > 0)
#define UDP (pk->is_udp && pk->tp_len > 0)
#define ICMP4 (pk->is_icmp && pk->family == AF_INET && pk->tp_len > 0)
#define ICMP6 (pk->is_icmp && pk->family == AF_INET6 && pk->tp_len > 0)
#define ICMP6_T(t) (ICMP6 && pk->icmp_type == (t))

static void f_eth_src(struct col *c, P) { if (ETH && pk->has_src_mac) add_mac(c, pk->src_mac); }
static void f_eth_dst(struct col *c, P) { if (ETH && pk->has_dst_mac) add_mac(c, pk->dst_mac); }
static void f_eth_type(struct col *c, P)
{
	if (ETH && pk->link_len > 0)
		add(c, "0x%04x", pk->nvlan > 0 ? pk->vlan_tpid[0] : pk->ethertype);
}
static void f_vlan_id(struct col *c, P)
{
	for (int i = 0; i < pk->nvlan; i++)
		if (pk->vlan_tpid[i] != DEC_ETH_QINQ)
			add(c, "%u", pk->vlan[i]);
}
static void f_vlan_pri(struct col *c, P)
{
	for (int i = 0; i < pk->nvlan; i++)
		if (pk->vlan_tpid[i] != DEC_ETH_QINQ)
			add(c, "%u", pk->vlan_pcp[i]);
}
static void f_qinq_id(struct col *c, P)
{
	for (int i = 0; i < pk->nvlan; i++)
		if (pk->vlan_tpid[i] == DEC_ETH_QINQ)
			add(c, "%u", pk->vlan[i]);
}
static void f_sll_pkttype(struct col *c, P) { if (SLL) add(c, "%u", pk->sll_pkttype); }
static void f_sll_hatype(struct col *c, P) { if (SLL) add(c, "%u", pk->sll_hatype); }
static void f_sll_halen(struct col *c, P) { if (SLL) add(c, "%u", pk->sll_halen); }
static void f_sll_ifindex(struct col *c, P) { if (SLL && pk->linktype == 276) add(c, "%u", pk->sll_ifindex); }
static void f_sll_src(struct col *c, P) { if (SLL && pk->has_src_mac) add_mac(c, pk->src_mac); }
static void f_sll_etype(struct col *c, P) { if (SLL && pk->ethertype) add(c, "0x%04x", pk->nvlan ? pk->vlan_tpid[0] : pk->ethertype); }
static void f_null_family(struct col *c, P) { if ((pk->linktype == 0 || pk->linktype == 108) && pk->link_len) add(c, "%u", pk->null_family); }
static void f_arp_op(struct col *c, P) { if (pk->is_arp && pk->net_len) add(c, "%u", pk->arp_op); }
static void f_arp_sha(struct col *c, P) { if (pk->arp_eth_ip) add_mac(c, pk->arp_sha); }
static void f_arp_spa(struct col *c, P) { if (pk->arp_eth_ip) add_addr(c, AF_INET, pk->arp_spa); }
static void f_arp_tha(struct col *c, P) { if (pk->arp_eth_ip) add_mac(c, pk->arp_tha); }
static void f_arp_tpa(struct col *c, P) { if (pk->arp_eth_ip) add_addr(c, AF_INET, pk->arp_tpa); }
static void f_ip_src(struct col *c, P)
{
	if (V4) add_addr(c, AF_INET, pk->src);
	if (IN4) add_addr(c, AF_INET, IN->src);
}
static void f_ip_dst(struct col *c, P)
{
	if (V4) add_addr(c, AF_INET, pk->dst);
	if (IN4) add_addr(c, AF_INET, IN->dst);
}
static void f_ip_hdr_len(struct col *c, P) { if (V4) add(c, "%u", pk->net_len); if (IN4) add(c, "%u", IN->hdr_len); }
static void f_ip_len(struct col *c, P) { if (V4) add(c, "%u", pk->ip_total_len); if (IN4) add(c, "%u", IN->ip_total_len); }
static void f_ip_id(struct col *c, P) { if (V4) add(c, "0x%04x", pk->ip_id); if (IN4) add(c, "0x%04x", IN->ip_id); }
static void f_ip_df(struct col *c, P) { if (V4) add(c, "%d", pk->df); if (IN4) add(c, "%d", IN->df); }
static void f_ip_mf(struct col *c, P) { if (V4) add(c, "%d", pk->mf); if (IN4) add(c, "%d", IN->mf); }
static void f_ip_frag(struct col *c, P) { if (V4) add(c, "%u", pk->frag_off / 8); if (IN4) add(c, "%u", IN->frag_off / 8); }
static void f_ip_ttl(struct col *c, P) { if (V4) add(c, "%u", pk->ttl); if (IN4) add(c, "%u", IN->ttl); }
static void f_ip_proto(struct col *c, P) { if (V4) add(c, "%u", pk->proto); if (IN4) add(c, "%u", IN->proto); }
static void f_ip6_src(struct col *c, P) { if (V6) add_addr(c, AF_INET6, pk->src); if (IN6) add_addr(c, AF_INET6, IN->src); }
static void f_ip6_dst(struct col *c, P) { if (V6) add_addr(c, AF_INET6, pk->dst); if (IN6) add_addr(c, AF_INET6, IN->dst); }
static void f_ip6_flow(struct col *c, P) { if (V6) add(c, "0x%06x", pk->flow_label); if (IN6) add(c, "0x%06x", IN->flow_label); }
static void f_ip6_plen(struct col *c, P) { if (V6) add(c, "%u", pk->ip_total_len - 40u); if (IN6) add(c, "%u", IN->ip_total_len - 40u); }
static void f_ip6_nxt(struct col *c, P)
{
	if (V6) add(c, "%u", pk->ext_hdrs > 0 ? pk->ext[0].kind : pk->proto);
	if (IN6) add(c, "%u", IN->next_hdr);
}
static void f_ip6_hlim(struct col *c, P) { if (V6) add(c, "%u", pk->ttl); if (IN6) add(c, "%u", IN->ttl); }
static bool v6_frag(P)
{
	for (int i = 0; V6 && i < pk->ext_hdrs; i++)
		if (pk->ext[i].kind == DEC_IP_FRAGMENT)
			return true;
	return false;
}
static void f_ip6_frag_off(struct col *c, P) { if (v6_frag(pk)) add(c, "%u", pk->frag_off / 8); }
static void f_ip6_frag_more(struct col *c, P) { if (v6_frag(pk)) add(c, "%d", pk->mf); }
static void f_ip6_frag_id(struct col *c, P) { if (v6_frag(pk)) add(c, "0x%08x", pk->ip_id); }
static bool in_icmp(P, int family) { return pk->has_inner && IN->family == family && IN->has_icmp; }
static bool echo4(uint8_t t) { return t == 0 || t == 8 || (t >= 13 && t <= 16); }
static void f_icmp_type(struct col *c, P)
{
	if (ICMP4) add(c, "%u", pk->icmp_type);
	if (in_icmp(pk, AF_INET)) add(c, "%u", IN->icmp_type);
}
static void f_icmp_code(struct col *c, P)
{
	if (ICMP4) add(c, "%u", pk->icmp_code);
	if (in_icmp(pk, AF_INET)) add(c, "%u", IN->icmp_code);
}
static void f_icmp_ident(struct col *c, P)
{
	if (ICMP4 && echo4(pk->icmp_type)) add(c, "%u", pk->icmp_id);
	if (in_icmp(pk, AF_INET) && echo4(IN->icmp_type)) add(c, "%u", IN->icmp_id);
}
static void f_icmp_seq(struct col *c, P)
{
	if (ICMP4 && echo4(pk->icmp_type)) add(c, "%u", pk->icmp_seq);
	if (in_icmp(pk, AF_INET) && echo4(IN->icmp_type)) add(c, "%u", IN->icmp_seq);
}
static void f_icmp_mtu(struct col *c, P) { if (ICMP4 && pk->icmp_type == 3 && pk->icmp_code == 4) add(c, "%u", pk->icmp_mtu); }
static bool echo6(uint8_t t) { return t == 128 || t == 129; }
static void f_icmp6_type(struct col *c, P)
{
	if (ICMP6) add(c, "%u", pk->icmp_type);
	if (in_icmp(pk, AF_INET6)) add(c, "%u", IN->icmp_type);
}
static void f_icmp6_code(struct col *c, P)
{
	if (ICMP6) add(c, "%u", pk->icmp_code);
	if (in_icmp(pk, AF_INET6)) add(c, "%u", IN->icmp_code);
}
static void f_icmp6_id(struct col *c, P)
{
	if (ICMP6 && echo6(pk->icmp_type)) add(c, "%u", pk->icmp_id);
	if (in_icmp(pk, AF_INET6) && echo6(IN->icmp_type)) add(c, "%u", IN->icmp_id);
}
static void f_icmp6_seq(struct col *c, P)
{
	if (ICMP6 && echo6(pk->icmp_type)) add(c, "%u", pk->icmp_seq);
	if (in_icmp(pk, AF_INET6) && echo6(IN->icmp_type)) add(c, "%u", IN->icmp_seq);
}
static void f_icmp6_mtu(struct col *c, P) { if (ICMP6_T(2)) add(c, "%u", pk->icmp_mtu); }
static void f_ns_target(struct col *c, P) { if (ICMP6_T(135) && pk->has_nd_target) add_addr(c, AF_INET6, pk->nd_target); }
static void f_na_target(struct col *c, P) { if (ICMP6_T(136) && pk->has_nd_target) add_addr(c, AF_INET6, pk->nd_target); }
static void f_na_flag_s(struct col *c, P) { if (ICMP6_T(136)) add(c, "%d", (pk->nd_flags & 0x40) != 0); }
static void f_nd_linkaddr(struct col *c, P)
{
	for (int i = 0; ICMP6 && i < pk->nd_nopts && i < DEC_MAX_NDOPT; i++)
		if ((pk->nd_opt[i].kind == 1 || pk->nd_opt[i].kind == 2) && pk->nd_opt[i].len == 1)
			add_mac(c, pk->nd_opt[i].kind == 1 ? pk->nd_sll : pk->nd_tll);
}
static void f_mld_nrec(struct col *c, P) { if (ICMP6_T(143)) add(c, "%u", pk->mld_nrec); }
static bool in_l4(P, uint8_t proto) { return pk->has_inner && IN->has_ports && IN->proto == proto; }
static void f_udp_sport(struct col *c, P) { if (UDP) add(c, "%u", pk->sport); if (in_l4(pk, 17)) add(c, "%u", IN->sport); }
static void f_udp_dport(struct col *c, P) { if (UDP) add(c, "%u", pk->dport); if (in_l4(pk, 17)) add(c, "%u", IN->dport); }
static void f_udp_len(struct col *c, P) { if (UDP) add(c, "%u", pk->udp_len); if (in_l4(pk, 17)) add(c, "%u", IN->udp_len); }
static void f_tcp_sport(struct col *c, P) { if (TCP) add(c, "%u", pk->sport); if (in_l4(pk, 6)) add(c, "%u", IN->sport); }
static void f_tcp_dport(struct col *c, P) { if (TCP) add(c, "%u", pk->dport); if (in_l4(pk, 6)) add(c, "%u", IN->dport); }
static void f_tcp_seq(struct col *c, P) { if (TCP) add(c, "%u", pk->seq); if (pk->has_inner && IN->has_seq) add(c, "%u", IN->seq); }
static void f_tcp_ack(struct col *c, P) { if (TCP) add(c, "%u", pk->ack); }
static void f_tcp_hlen(struct col *c, P) { if (TCP) add(c, "%u", pk->data_off * 4u); }
static void f_tcp_flags(struct col *c, P) { if (TCP) add(c, "0x%04x", pk->tcp_flags); }
static void f_tcp_len(struct col *c, P) { if (TCP) add(c, "%u", pk->payload_wirelen); }
static void f_tcp_win(struct col *c, P) { if (TCP) add(c, "%u", pk->window); }
static void f_tcp_kinds(struct col *c, P) { for (int i = 0; TCP && i < pk->ntcpopt; i++) add(c, "%u", pk->tcpopt[i].kind); }
static void f_tcp_mss(struct col *c, P) { if (TCP && pk->has_mss) add(c, "%u", pk->mss); }
static void f_tcp_ws(struct col *c, P) { if (TCP && pk->has_wscale) add(c, "%u", pk->wscale); }
static void f_tcp_tsval(struct col *c, P) { if (TCP && pk->has_ts) add(c, "%u", pk->ts_val); }
static void f_tcp_tsecr(struct col *c, P) { if (TCP && pk->has_ts) add(c, "%u", pk->ts_ecr); }
static void f_tcp_sack_le(struct col *c, P) { for (int i = 0; TCP && i < pk->nsack; i++) add(c, "%u", pk->sack[i][0]); }
static void f_tcp_sack_re(struct col *c, P) { for (int i = 0; TCP && i < pk->nsack; i++) add(c, "%u", pk->sack[i][1]); }

static const struct {
	const char *name;
	void (*fn)(struct col *, const struct dec_pkt *);
} fields[] = {
	{ "eth.src", f_eth_src }, { "eth.dst", f_eth_dst }, { "eth.type", f_eth_type },
	{ "vlan.id", f_vlan_id }, { "vlan.priority", f_vlan_pri }, { "ieee8021ad.id", f_qinq_id },
	{ "sll.pkttype", f_sll_pkttype }, { "sll.hatype", f_sll_hatype },
	{ "sll.halen", f_sll_halen }, { "sll.ifindex", f_sll_ifindex },
	{ "sll.src.eth", f_sll_src }, { "sll.etype", f_sll_etype },
	{ "null.family", f_null_family },
	{ "arp.opcode", f_arp_op }, { "arp.src.hw_mac", f_arp_sha },
	{ "arp.src.proto_ipv4", f_arp_spa }, { "arp.dst.hw_mac", f_arp_tha },
	{ "arp.dst.proto_ipv4", f_arp_tpa },
	{ "ip.src", f_ip_src }, { "ip.dst", f_ip_dst }, { "ip.hdr_len", f_ip_hdr_len },
	{ "ip.len", f_ip_len }, { "ip.id", f_ip_id }, { "ip.flags.df", f_ip_df },
	{ "ip.flags.mf", f_ip_mf }, { "ip.frag_offset", f_ip_frag }, { "ip.ttl", f_ip_ttl },
	{ "ip.proto", f_ip_proto },
	{ "ipv6.src", f_ip6_src }, { "ipv6.dst", f_ip6_dst }, { "ipv6.flow", f_ip6_flow },
	{ "ipv6.plen", f_ip6_plen }, { "ipv6.nxt", f_ip6_nxt }, { "ipv6.hlim", f_ip6_hlim },
	{ "ipv6.fraghdr.offset", f_ip6_frag_off }, { "ipv6.fraghdr.more", f_ip6_frag_more },
	{ "ipv6.fraghdr.ident", f_ip6_frag_id },
	{ "icmp.type", f_icmp_type }, { "icmp.code", f_icmp_code }, { "icmp.ident", f_icmp_ident },
	{ "icmp.seq", f_icmp_seq }, { "icmp.mtu", f_icmp_mtu },
	{ "icmpv6.type", f_icmp6_type }, { "icmpv6.code", f_icmp6_code },
	{ "icmpv6.echo.identifier", f_icmp6_id }, { "icmpv6.echo.sequence_number", f_icmp6_seq },
	{ "icmpv6.mtu", f_icmp6_mtu }, { "icmpv6.nd.ns.target_address", f_ns_target },
	{ "icmpv6.nd.na.target_address", f_na_target }, { "icmpv6.nd.na.flag.s", f_na_flag_s },
	{ "icmpv6.opt.linkaddr", f_nd_linkaddr }, { "icmpv6.mldr.nb_mcast_records", f_mld_nrec },
	{ "udp.srcport", f_udp_sport }, { "udp.dstport", f_udp_dport }, { "udp.length", f_udp_len },
	{ "tcp.srcport", f_tcp_sport }, { "tcp.dstport", f_tcp_dport },
	{ "tcp.seq_raw", f_tcp_seq }, { "tcp.ack_raw", f_tcp_ack }, { "tcp.hdr_len", f_tcp_hlen },
	{ "tcp.flags", f_tcp_flags }, { "tcp.len", f_tcp_len },
	{ "tcp.window_size_value", f_tcp_win }, { "tcp.option_kind", f_tcp_kinds },
	{ "tcp.options.mss_val", f_tcp_mss }, { "tcp.options.wscale.shift", f_tcp_ws },
	{ "tcp.options.timestamp.tsval", f_tcp_tsval },
	{ "tcp.options.timestamp.tsecr", f_tcp_tsecr },
	{ "tcp.options.sack_le", f_tcp_sack_le }, { "tcp.options.sack_re", f_tcp_sack_re },
};

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct dec_pkt pk;
	struct buf b = { 0 };
	bool summary = false;
	pcap_t *p;
	int opt, rc, dlt;
	size_t i;

	static const char *const opts[] = { "-f", "-s", NULL };
	prog_args(argc, argv, "decode-dump", "decode-dump -f | [-s] FILE",
		  "What decode_packet() makes of each packet of a pcap (-s: summaries; -f: the field names).", opts);
	while ((opt = getopt(argc, argv, "fs")) != -1) {
		switch (opt) {
		case 'f':
			for (i = 0; i < UTIL_ARRAY_LEN(fields); i++)
				printf("%s\n", fields[i].name);
			return 0;
		case 's':
			summary = true;
			break;
		default:
			fprintf(stderr, "usage: decode-dump -f | [-s] FILE\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: decode-dump -f | [-s] FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[optind], err);
	if (p == NULL) {
		fprintf(stderr, "decode-dump: %s\n", err);
		return 1;
	}
	dlt = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		decode_packet(dlt, data, h->caplen, h->len, &pk);
		b.len = 0;
		if (summary) {
			char line[512];

			decode_summary(&pk, line, sizeof line);
			buf_printf(&b, "%s\t%s", decode_status_name(pk.status), line);
		} else {
			for (i = 0; i < UTIL_ARRAY_LEN(fields); i++) {
				struct col c = { &b, 0 };

				if (i > 0)
					buf_addc(&b, '\t');
				fields[i].fn(&c, &pk);
			}
		}
		printf("%.*s\n", (int)b.len, b.p != NULL ? b.p : "");
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "decode-dump: %s: %s\n", argv[optind], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	buf_free(&b);
	return 0;
}
