/* decode — the entry point, dispatch tables and text formatting.
 *
 * decode_packet() picks the link decoder by link type, then the network
 * decoder by ethertype; network decoders call decode_transport() to pick
 * the transport decoder by IP protocol. Formatting (decode_summary,
 * decode_fields) only reads a struct dec_pkt and, for payload bytes, the
 * captured data. */
#include "decode.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "rd.h"
#include "util.h"

/* ---- status ---------------------------------------------------------- */

enum dec_status decode_fail(struct dec_pkt *pk, enum dec_status st, const char *fmt, ...)
{
	va_list ap;

	if (st > pk->status || pk->why[0] == '\0') {
		if (st > pk->status)
			pk->status = st;
		if (st != DEC_OK) {
			va_start(ap, fmt);
			vsnprintf(pk->why, sizeof pk->why, fmt, ap);
			va_end(ap);
		}
	}
	return st;
}

enum dec_status decode_cut(const struct dec_pkt *pk, const struct rd *r)
{
	if (r->end == r->base + pk->caplen && pk->caplen < pk->wirelen)
		return DEC_TRUNC;
	return DEC_INVALID;
}

void decode_set_payload(const struct rd *r, struct dec_pkt *pk, uint32_t wirelen)
{
	size_t left = rd_left(r);

	pk->payload_off = rd_off(r);
	pk->payload_len = left < wirelen ? (uint32_t)left : wirelen;
	pk->payload_wirelen = wirelen;
}

/* ---- dispatch -------------------------------------------------------- */

struct dec_link {
	int linktype;
	const char *name;
	enum dec_status (*decode)(struct rd *, struct dec_pkt *);
};

static const struct dec_link dec_links[] = {
	{ DEC_DLT_NULL, "BSD loopback", decode_null },
	{ DEC_DLT_EN10MB, "Ethernet", decode_eth },
	{ DEC_DLT_RAW_BSD, "raw IP", decode_raw },
	{ DEC_DLT_RAW_OPENBSD, "raw IP", decode_raw },
	{ DEC_DLT_RAW, "raw IP", decode_raw },
	{ DEC_DLT_LOOP, "OpenBSD loopback", decode_loop },
	{ DEC_DLT_LINUX_SLL, "Linux cooked", decode_sll },
	{ DEC_DLT_IPV4, "raw IPv4", decode_raw },
	{ DEC_DLT_IPV6, "raw IPv6", decode_raw },
	{ DEC_DLT_LINUX_SLL2, "Linux cooked v2", decode_sll2 },
};

struct dec_net {
	uint16_t ethertype;
	const char *name;
	enum dec_status (*decode)(struct rd *, struct dec_pkt *);
};

static const struct dec_net dec_nets[] = {
	{ DEC_ETH_IPV4, "IPv4", decode_ipv4 },
	{ DEC_ETH_ARP, "ARP", decode_arp },
	{ DEC_ETH_IPV6, "IPv6", decode_ipv6 },
	{ DEC_ETH_VLAN, "802.1Q", NULL },
	{ DEC_ETH_QINQ, "802.1ad", NULL },
	{ DEC_ETH_RARP, "RARP", decode_arp },
	{ 0x8809, "slow protocols", NULL },
	{ 0x888e, "EAPOL", NULL },
	{ 0x88cc, "LLDP", NULL },
	{ 0x8847, "MPLS", NULL },
	{ 0x8863, "PPPoE discovery", NULL },
	{ 0x8864, "PPPoE session", NULL },
	{ 0x88f7, "PTP", NULL },
};

struct dec_proto {
	uint8_t proto;
	const char *name;
	enum dec_status (*decode)(struct rd *, struct dec_pkt *);
};

static const struct dec_proto dec_protos[] = {
	{ DEC_IP_HOPOPTS, "hop-by-hop", NULL },
	{ DEC_IP_ICMP, "ICMP", decode_icmp },
	{ 2, "IGMP", NULL },
	{ 4, "IPIP", NULL },
	{ DEC_IP_TCP, "TCP", decode_tcp },
	{ DEC_IP_UDP, "UDP", decode_udp },
	{ 41, "IPv6", NULL },
	{ DEC_IP_ROUTING, "routing", NULL },
	{ DEC_IP_FRAGMENT, "fragment", NULL },
	{ 47, "GRE", NULL },
	{ DEC_IP_ESP, "ESP", NULL },
	{ DEC_IP_AH, "AH", NULL },
	{ DEC_IP_ICMPV6, "ICMPv6", decode_icmp6 },
	{ DEC_IP_NONE, "no next header", NULL },
	{ DEC_IP_DSTOPTS, "destination options", NULL },
	{ 89, "OSPF", NULL },
	{ 103, "PIM", NULL },
	{ 112, "VRRP", NULL },
	{ 132, "SCTP", NULL },
	{ 135, "mobility", NULL },
	{ 136, "UDP-Lite", NULL },
};

static const struct dec_link *dec_link_find(int linktype)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(dec_links); i++)
		if (dec_links[i].linktype == linktype)
			return &dec_links[i];
	return NULL;
}

static const struct dec_net *dec_net_find(uint16_t ethertype)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(dec_nets); i++)
		if (dec_nets[i].ethertype == ethertype)
			return &dec_nets[i];
	return NULL;
}

static const struct dec_proto *dec_proto_find(uint8_t proto)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(dec_protos); i++)
		if (dec_protos[i].proto == proto)
			return &dec_protos[i];
	return NULL;
}

bool decode_linktype_ok(int linktype)
{
	return dec_link_find(linktype) != NULL;
}

enum dec_status decode_ethertype(struct rd *r, struct dec_pkt *pk)
{
	const struct dec_net *n = dec_net_find(pk->ethertype);
	uint32_t off = rd_off(r);

	if (n != NULL && n->decode != NULL)
		return n->decode(r, pk);
	decode_set_payload(r, pk, pk->wirelen > off ? pk->wirelen - off : 0);
	return pk->status;
}

enum dec_status decode_transport(struct rd *r, struct dec_pkt *pk)
{
	const struct dec_proto *p = dec_proto_find(pk->proto);

	if (p != NULL && p->decode != NULL)
		return p->decode(r, pk);
	decode_set_payload(r, pk, pk->ip_payload_len);
	return pk->status;
}

enum dec_status decode_packet(int linktype, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen, struct dec_pkt *out)
{
	static const uint8_t none[1];
	const struct dec_link *l;
	struct rd r;

	memset(out, 0, offsetof(struct dec_pkt, why));
	out->why[0] = '\0';
	if (data == NULL)
		caplen = 0;
	if (wirelen < caplen)
		wirelen = caplen;
	out->caplen = caplen;
	out->wirelen = wirelen;
	out->linktype = linktype;
	rd_init(&r, data != NULL ? data : none, caplen);

	l = dec_link_find(linktype);
	if (l == NULL)
		return decode_fail(out, DEC_INVALID, "link type %d not supported", linktype);
	if (l->decode(&r, out) != DEC_OK)
		return out->status;
	decode_ethertype(&r, out);
	return out->status;
}

/* ---- names ----------------------------------------------------------- */

const char *decode_status_name(enum dec_status st)
{
	switch (st) {
	case DEC_OK:
		return "ok";
	case DEC_TRUNC:
		return "truncated";
	case DEC_INVALID:
		return "invalid";
	}
	return "?";
}

const char *decode_linktype_name(int linktype)
{
	const struct dec_link *l = dec_link_find(linktype);

	return l != NULL ? l->name : "unknown link type";
}

const char *decode_ethertype_name(uint16_t ethertype)
{
	const struct dec_net *n = dec_net_find(ethertype);

	return n != NULL ? n->name : NULL;
}

const char *decode_proto_name(uint8_t proto)
{
	const struct dec_proto *p = dec_proto_find(proto);

	return p != NULL ? p->name : NULL;
}

struct dec_icmp_name {
	int family;
	int type, code; /* code -1: any */
	const char *name;
};

static const struct dec_icmp_name dec_icmp_names[] = {
	{ AF_INET, 0, -1, "echo reply" },
	{ AF_INET, 3, 0, "net unreachable" },
	{ AF_INET, 3, 1, "host unreachable" },
	{ AF_INET, 3, 2, "protocol unreachable" },
	{ AF_INET, 3, 3, "port unreachable" },
	{ AF_INET, 3, 4, "fragmentation needed" },
	{ AF_INET, 3, 5, "source route failed" },
	{ AF_INET, 3, 6, "destination net unknown" },
	{ AF_INET, 3, 7, "destination host unknown" },
	{ AF_INET, 3, 9, "net administratively prohibited" },
	{ AF_INET, 3, 10, "host administratively prohibited" },
	{ AF_INET, 3, 13, "communication administratively prohibited" },
	{ AF_INET, 3, -1, "destination unreachable" },
	{ AF_INET, 4, -1, "source quench" },
	{ AF_INET, 5, -1, "redirect" },
	{ AF_INET, 8, -1, "echo request" },
	{ AF_INET, 9, -1, "router advertisement" },
	{ AF_INET, 10, -1, "router solicitation" },
	{ AF_INET, 11, 0, "time exceeded in transit" },
	{ AF_INET, 11, 1, "fragment reassembly time exceeded" },
	{ AF_INET, 11, -1, "time exceeded" },
	{ AF_INET, 12, -1, "parameter problem" },
	{ AF_INET, 13, -1, "timestamp request" },
	{ AF_INET, 14, -1, "timestamp reply" },
	{ AF_INET6, 1, 0, "no route to destination" },
	{ AF_INET6, 1, 1, "administratively prohibited" },
	{ AF_INET6, 1, 3, "address unreachable" },
	{ AF_INET6, 1, 4, "port unreachable" },
	{ AF_INET6, 1, -1, "destination unreachable" },
	{ AF_INET6, 2, -1, "packet too big" },
	{ AF_INET6, 3, 0, "hop limit exceeded" },
	{ AF_INET6, 3, 1, "fragment reassembly time exceeded" },
	{ AF_INET6, 3, -1, "time exceeded" },
	{ AF_INET6, 4, -1, "parameter problem" },
	{ AF_INET6, 128, -1, "echo request" },
	{ AF_INET6, 129, -1, "echo reply" },
	{ AF_INET6, 130, -1, "multicast listener query" },
	{ AF_INET6, 131, -1, "multicast listener report" },
	{ AF_INET6, 132, -1, "multicast listener done" },
	{ AF_INET6, 133, -1, "router solicitation" },
	{ AF_INET6, 134, -1, "router advertisement" },
	{ AF_INET6, 135, -1, "neighbor solicitation" },
	{ AF_INET6, 136, -1, "neighbor advertisement" },
	{ AF_INET6, 137, -1, "redirect" },
	{ AF_INET6, 143, -1, "multicast listener report v2" },
};

const char *decode_icmp_name(int family, uint8_t type, uint8_t code)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(dec_icmp_names); i++) {
		const struct dec_icmp_name *n = &dec_icmp_names[i];

		if (n->family == family && n->type == type && (n->code == -1 || n->code == code))
			return n->name;
	}
	return family == AF_INET6 ? "ICMPv6 message" : "ICMP message";
}

void decode_tcp_flags(uint16_t flags, const char *sep, char *out, size_t outlen)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {
		{ DEC_TCP_SYN, "SYN" }, { DEC_TCP_FIN, "FIN" }, { DEC_TCP_RST, "RST" },
		{ DEC_TCP_PSH, "PSH" }, { DEC_TCP_ACK, "ACK" }, { DEC_TCP_URG, "URG" },
		{ DEC_TCP_ECE, "ECE" }, { DEC_TCP_CWR, "CWR" }, { DEC_TCP_AE, "AE" },
	};
	size_t i, n = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < UTIL_ARRAY_LEN(names) && n < outlen; i++) {
		if ((flags & names[i].bit) == 0)
			continue;
		n += (size_t)snprintf(out + n, outlen - n, "%s%s", n > 0 ? sep : "", names[i].name);
	}
}

const char *decode_arp_op_name(uint16_t op)
{
	switch (op) {
	case 1: return "request";
	case 2: return "reply";
	case 3: return "reverse request";
	case 4: return "reverse reply";
	case 8: return "InARP request";
	case 9: return "InARP reply";
	default: return NULL;
	}
}

void decode_addr(int family, const uint8_t *addr, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	if ((family != AF_INET && family != AF_INET6) ||
	    inet_ntop(family, addr, out, (socklen_t)outlen) == NULL)
		snprintf(out, outlen, "?");
}

void decode_mac(const uint8_t mac[6], char *out, size_t outlen)
{
	snprintf(out, outlen, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5]);
}

/* ---- summary --------------------------------------------------------- */

static void endpoint(struct buf *b, int family, const uint8_t *addr, bool port, uint16_t p)
{
	char a[INET6_ADDRSTRLEN];

	decode_addr(family, addr, a, sizeof a);
	if (!port)
		buf_addstr(b, a);
	else if (family == AF_INET6)
		buf_printf(b, "[%s]:%u", a, p);
	else
		buf_printf(b, "%s:%u", a, p);
}

static void summary_inner(struct buf *b, const struct dec_pkt *pk)
{
	const struct dec_inner *in = &pk->inner;
	const char *pn = decode_proto_name(in->proto);

	buf_addstr(b, " (");
	if (pn != NULL)
		buf_printf(b, "%s ", pn);
	else
		buf_printf(b, "proto %u ", in->proto);
	endpoint(b, in->family, in->src, in->has_ports, in->sport);
	buf_addstr(b, " → ");
	endpoint(b, in->family, in->dst, in->has_ports, in->dport);
	if (in->has_icmp && (in->icmp_type == 8 || in->icmp_type == 128))
		buf_printf(b, " echo id=%u seq=%u", in->icmp_id, in->icmp_seq);
	buf_addstr(b, ")");
}

static void summary_icmp(struct buf *b, const struct dec_pkt *pk)
{
	char a[INET6_ADDRSTRLEN], m[24];
	bool v6 = pk->family == AF_INET6;

	buf_printf(b, " %s %s", v6 ? "ICMPv6" : "ICMP",
	    decode_icmp_name(pk->family, pk->icmp_type, pk->icmp_code));
	if ((!v6 && (pk->icmp_type == 0 || pk->icmp_type == 8)) ||
	    (v6 && (pk->icmp_type == 128 || pk->icmp_type == 129)))
		buf_printf(b, " id=%u seq=%u", pk->icmp_id, pk->icmp_seq);
	if ((!v6 && pk->icmp_type == 3 && pk->icmp_code == 4) || (v6 && pk->icmp_type == 2))
		buf_printf(b, " mtu=%u", pk->icmp_mtu);
	if (pk->has_nd_target) {
		decode_addr(AF_INET6, pk->nd_target, a, sizeof a);
		if (pk->icmp_type == 135)
			buf_printf(b, " who has %s", a);
		else
			buf_printf(b, " %s", a);
	}
	if (pk->icmp_type == 136 && pk->has_nd_tll) {
		decode_mac(pk->nd_tll, m, sizeof m);
		buf_printf(b, " is at %s", m);
	}
	if (v6 && pk->icmp_type == 136)
		buf_printf(b, " [%s%s%s]", pk->nd_flags & 0x80 ? "R" : "",
		    pk->nd_flags & 0x40 ? "S" : "", pk->nd_flags & 0x20 ? "O" : "");
	if (v6 && pk->icmp_type == 135 && pk->has_nd_sll) {
		decode_mac(pk->nd_sll, m, sizeof m);
		buf_printf(b, " from %s", m);
	}
	if (v6 && pk->icmp_type == 143)
		buf_printf(b, " %u records", pk->mld_nrec);
	if (pk->has_inner)
		summary_inner(b, pk);
}

static void summary_arp(struct buf *b, const struct dec_pkt *pk)
{
	char s[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN], m[24], tm[24];
	const char *what = pk->ethertype == DEC_ETH_RARP ? "RARP" : "ARP";
	const char *opn = decode_arp_op_name(pk->arp_op);

	if (!pk->arp_eth_ip) {
		buf_printf(b, "%s op %u%s%s%s (hardware %u, protocol 0x%04x)", what, pk->arp_op,
		    opn ? " (" : "", opn ? opn : "", opn ? ")" : "", pk->arp_htype, pk->arp_ptype);
		return;
	}
	decode_addr(AF_INET, pk->arp_spa, s, sizeof s);
	decode_addr(AF_INET, pk->arp_tpa, t, sizeof t);
	decode_mac(pk->arp_sha, m, sizeof m);
	decode_mac(pk->arp_tha, tm, sizeof tm);
	if (pk->arp_op == 1)
		buf_printf(b, "%s who has %s? tell %s", what, t, s);
	else if (pk->arp_op == 2)
		buf_printf(b, "%s %s is at %s", what, s, m);
	else if (pk->arp_op == 3) /* RFC 903: who am I (the target's hardware address)? */
		buf_printf(b, "%s who is %s? tell %s", what, tm, m);
	else if (pk->arp_op == 4)
		buf_printf(b, "%s %s is at %s", what, tm, t);
	else
		buf_printf(b, "%s op %u%s%s%s %s → %s", what, pk->arp_op, opn ? " (" : "",
		    opn ? opn : "", opn ? ")" : "", s, t);
}

static void summary_link(struct buf *b, const struct dec_pkt *pk)
{
	char m[24];
	const char *n = decode_ethertype_name(pk->ethertype);

	if (pk->has_src_mac) {
		decode_mac(pk->src_mac, m, sizeof m);
		buf_addstr(b, m);
		if (pk->has_dst_mac) {
			decode_mac(pk->dst_mac, m, sizeof m);
			buf_printf(b, " → %s", m);
		}
		buf_addstr(b, " ");
	}
	if (pk->link_len == 0 && pk->ethertype == 0)
		buf_addstr(b, decode_linktype_name(pk->linktype));
	else if (pk->ethertype == 0)
		buf_printf(b, "%s, no ethertype", decode_linktype_name(pk->linktype));
	else if (n != NULL)
		buf_printf(b, "%s (0x%04x)", n, pk->ethertype);
	else
		buf_printf(b, "ethertype 0x%04x", pk->ethertype);
	if (pk->payload_wirelen > 0)
		buf_printf(b, " %u bytes", pk->payload_wirelen);
}

void decode_summary(const struct dec_pkt *pk, char *out, size_t outlen)
{
	struct buf b = { 0 };
	bool ports = pk->has_ports && (pk->is_udp || pk->is_tcp);
	char fl[48];
	uint8_t i;

	if (outlen == 0)
		return;
	if (pk->is_arp) {
		summary_arp(&b, pk);
	} else if (pk->family != 0) {
		endpoint(&b, pk->family, pk->src, ports, pk->sport);
		buf_addstr(&b, " → ");
		endpoint(&b, pk->family, pk->dst, ports, pk->dport);
		if ((pk->is_udp || pk->is_tcp || pk->is_icmp) && pk->tp_len == 0) {
			/* header cut short: the status says why */
			buf_printf(&b, " %s", pk->is_udp ? "UDP" : pk->is_tcp ? "TCP" :
			    pk->family == AF_INET6 ? "ICMPv6" : "ICMP");
		} else if (pk->is_udp) {
			buf_printf(&b, " UDP %u bytes", pk->payload_wirelen);
		} else if (pk->is_tcp) {
			decode_tcp_flags(pk->tcp_flags, ", ", fl, sizeof fl);
			buf_printf(&b, " TCP [%s] seq=%u", fl, pk->seq);
			if (pk->tcp_flags & DEC_TCP_ACK)
				buf_printf(&b, " ack=%u", pk->ack);
			buf_printf(&b, " win=%u", pk->window);
			if (pk->has_mss)
				buf_printf(&b, " mss=%u", pk->mss);
			if (pk->has_wscale)
				buf_printf(&b, " ws=%u", pk->wscale);
			if (pk->sack_perm)
				buf_addstr(&b, " sackOK");
			for (i = 0; i < pk->nsack; i++)
				buf_printf(&b, " sack=%u-%u", pk->sack[i][0], pk->sack[i][1]);
			if (pk->has_ts)
				buf_printf(&b, " ts=%u/%u", pk->ts_val, pk->ts_ecr);
			if (pk->payload_wirelen > 0)
				buf_printf(&b, " %u bytes", pk->payload_wirelen);
		} else if (pk->is_icmp) {
			summary_icmp(&b, pk);
		} else {
			const char *n = decode_proto_name(pk->proto);

			buf_printf(&b, " %s", pk->family == AF_INET6 ? "IPv6" : "IPv4");
			if (n != NULL)
				buf_printf(&b, " %s", n);
			else
				buf_printf(&b, " proto %u", pk->proto);
			if (pk->payload_wirelen > 0)
				buf_printf(&b, " %u bytes", pk->payload_wirelen);
		}
		if (pk->is_fragment)
			buf_printf(&b, " (fragment id=%u offset=%u%s)", pk->ip_id, pk->frag_off,
			    pk->mf ? " MF" : "");
	} else {
		summary_link(&b, pk);
	}
	if (pk->has_vlan) {
		buf_printf(&b, " (vlan %u", pk->vlan[0]);
		for (i = 1; i < pk->nvlan; i++)
			buf_printf(&b, ", %u", pk->vlan[i]);
		buf_addstr(&b, ")");
	}
	if (pk->status != DEC_OK)
		buf_printf(&b, " [%s: %s]", decode_status_name(pk->status), pk->why);
	buf_addc(&b, '\0');
	snprintf(out, outlen, "%s", b.p);
	buf_free(&b);
}

/* ---- label ----------------------------------------------------------- */

static void label_arp(struct buf *b, const struct dec_pkt *pk)
{
	char s[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN], m[24], tm[24];
	const char *what = pk->ethertype == DEC_ETH_RARP || pk->arp_op == 3 || pk->arp_op == 4 ?
	    "RARP" : pk->arp_op == 8 || pk->arp_op == 9 ? "InARP" : "ARP";

	if (!pk->arp_eth_ip || pk->arp_op < 1 || pk->arp_op > 4) {
		const char *opn = decode_arp_op_name(pk->arp_op);

		if (pk->net_len == 0) /* not even the operation was read */
			buf_addstr(b, what);
		else if (opn != NULL && pk->arp_op >= 8)
			buf_printf(b, "%s", opn);
		else if (opn != NULL)
			buf_printf(b, "%s %s", what, opn);
		else
			buf_printf(b, "%s op %u", what, pk->arp_op);
		return;
	}
	decode_addr(AF_INET, pk->arp_spa, s, sizeof s);
	decode_addr(AF_INET, pk->arp_tpa, t, sizeof t);
	decode_mac(pk->arp_sha, m, sizeof m);
	decode_mac(pk->arp_tha, tm, sizeof tm);
	switch (pk->arp_op) {
	case 1:
		buf_printf(b, "%s who-has %s tell %s", what, t, s);
		break;
	case 2:
		buf_printf(b, "%s %s is-at %s", what, s, m);
		break;
	case 3:
		buf_printf(b, "%s who-is %s tell %s", what, tm, m);
		break;
	default:
		buf_printf(b, "%s %s is-at %s", what, tm, t);
		break;
	}
}

void decode_label(const struct dec_pkt *pk, const uint8_t *data, unsigned flags, char *out,
    size_t outlen)
{
	bool is_short = (flags & DEC_LABEL_SHORT) != 0;
	struct buf b = { 0 };
	char pay[64] = "", fl[64];

	if (outlen == 0)
		return;
	if (data != NULL && pk->payload_len > 0 &&
	    (uint64_t)pk->payload_off + pk->payload_len <= pk->caplen) {
		char esc[40];

		util_escape(esc, is_short ? 32 : sizeof esc, data + pk->payload_off, pk->payload_len);
		snprintf(pay, sizeof pay, "\"%s\"", esc);
	}
	if (pk->is_arp) {
		label_arp(&b, pk);
	} else if (pk->is_tcp) {
		bool hdr = pk->tp_len > 0;

		/* the stage's envelope has no room for PSH, which every data
		 * segment of a small write carries */
		decode_tcp_flags(hdr ? pk->tcp_flags & (is_short ? ~DEC_TCP_PSH : 0xffff) : 0, ",", fl,
		    sizeof fl);
		if (!is_short)
			buf_addstr(&b, "TCP");
		if (fl[0] != '\0')
			buf_printf(&b, "%s%s", b.len ? " " : "", fl);
		if (hdr && pk->payload_wirelen > 0) {
			if (!is_short)
				buf_printf(&b, " %u", pk->payload_wirelen);
			if (pay[0] != '\0' || is_short)
				buf_printf(&b, "%s%s", b.len ? " " : "", pay[0] ? pay : "data");
		}
		if (b.len == 0)
			buf_addstr(&b, "TCP");
	} else if (pk->is_udp) {
		bool hdr = pk->tp_len > 0;

		if (!is_short || !hdr || pay[0] == '\0')
			buf_addstr(&b, "UDP");
		if (hdr && !is_short)
			buf_printf(&b, " %u", pk->payload_wirelen);
		if (hdr && pay[0] != '\0')
			buf_printf(&b, "%s%s", b.len ? " " : "", pay);
	} else if (pk->is_icmp) {
		bool v6 = pk->family == AF_INET6;

		buf_addstr(&b, v6 ? "ICMPv6" : "ICMP");
		if (pk->tp_len > 0) {
			buf_printf(&b, " %s", decode_icmp_name(pk->family, pk->icmp_type, pk->icmp_code));
			if (!is_short && ((!v6 && (pk->icmp_type == 0 || pk->icmp_type == 8)) ||
			    (v6 && (pk->icmp_type == 128 || pk->icmp_type == 129))))
				buf_printf(&b, " seq=%u", pk->icmp_seq);
		}
	} else {
		char sum[256];

		decode_summary(pk, sum, sizeof sum);
		buf_addstr(&b, sum);
		/* the summary says what was wrong in its own words */
		buf_addc(&b, '\0');
		snprintf(out, outlen, "%s", b.p);
		buf_free(&b);
		return;
	}
	if (pk->status != DEC_OK)
		buf_printf(&b, " (%s)", decode_status_name(pk->status));
	buf_addc(&b, '\0');
	snprintf(out, outlen, "%s", b.p);
	buf_free(&b);
}

/* ---- fields ---------------------------------------------------------- */

struct fb {
	struct dec_field *f;
	size_t n, max;
	uint32_t caplen;
};

static void fld(struct fb *b, int layer, uint32_t off, uint32_t len, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void fld(struct fb *b, int layer, uint32_t off, uint32_t len, const char *name,
    const char *fmt, ...)
{
	struct dec_field *f;
	va_list ap;

	if (b->n >= b->max || (uint64_t)off + len > b->caplen)
		return;
	f = &b->f[b->n++];
	f->layer = layer;
	f->off = off;
	f->len = len;
	snprintf(f->name, sizeof f->name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof f->value, fmt, ap);
	va_end(ap);
}

static const char *sll_pkttype_name(uint8_t t)
{
	static const char *const names[] = { "to us", "broadcast", "multicast", "to another host",
		"sent by us" };

	return t < UTIL_ARRAY_LEN(names) ? names[t] : "other";
}

static void fld_type(struct fb *b, uint32_t off, uint16_t type)
{
	const char *n = decode_ethertype_name(type);

	if (n != NULL)
		fld(b, DEC_LAYER_LINK, off, 2, "Type", "0x%04x (%s)", type, n);
	else if (type < 0x0600)
		fld(b, DEC_LAYER_LINK, off, 2, "Type", "%u (length or protocol)", type);
	else
		fld(b, DEC_LAYER_LINK, off, 2, "Type", "0x%04x", type);
}

static void fields_link(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->link_off;
	char m[24];
	const char *n = decode_ethertype_name(pk->ethertype);
	uint32_t type_off = 0;
	uint8_t i;

	switch (pk->linktype) {
	case DEC_DLT_EN10MB:
		decode_mac(pk->dst_mac, m, sizeof m);
		fld(b, DEC_LAYER_LINK, o, 6, "Destination", "%s", m);
		decode_mac(pk->src_mac, m, sizeof m);
		fld(b, DEC_LAYER_LINK, o + 6, 6, "Source", "%s", m);
		type_off = o + 12;
		break;
	case DEC_DLT_LINUX_SLL:
		fld(b, DEC_LAYER_LINK, o, 2, "Packet type", "%u (%s)", pk->sll_pkttype,
		    sll_pkttype_name(pk->sll_pkttype));
		fld(b, DEC_LAYER_LINK, o + 2, 2, "Link type", "ARPHRD %u", pk->sll_hatype);
		fld(b, DEC_LAYER_LINK, o + 4, 2, "Address length", "%u", pk->sll_halen);
		if (pk->has_src_mac) {
			decode_mac(pk->src_mac, m, sizeof m);
			fld(b, DEC_LAYER_LINK, o + 6, 6, "Source", "%s", m);
		}
		type_off = o + 14;
		break;
	case DEC_DLT_LINUX_SLL2:
		type_off = o;
		fld(b, DEC_LAYER_LINK, o + 4, 4, "Interface index", "%u", pk->sll_ifindex);
		fld(b, DEC_LAYER_LINK, o + 8, 2, "Link type", "ARPHRD %u", pk->sll_hatype);
		fld(b, DEC_LAYER_LINK, o + 10, 1, "Packet type", "%u (%s)", pk->sll_pkttype,
		    sll_pkttype_name(pk->sll_pkttype));
		fld(b, DEC_LAYER_LINK, o + 11, 1, "Address length", "%u", pk->sll_halen);
		if (pk->has_src_mac) {
			decode_mac(pk->src_mac, m, sizeof m);
			fld(b, DEC_LAYER_LINK, o + 12, 6, "Source", "%s", m);
		}
		break;
	case DEC_DLT_NULL:
	case DEC_DLT_LOOP:
		fld(b, DEC_LAYER_LINK, o, 4, "Family", "%u (%s)", pk->null_family,
		    n != NULL ? n : "unknown");
		return;
	default:
		fld(b, DEC_LAYER_LINK, o, 0, "Link", "%s", decode_linktype_name(pk->linktype));
		return;
	}
	fld_type(b, type_off, pk->nvlan > 0 ? pk->vlan_tpid[0] : pk->ethertype);
	for (i = 0; i < pk->nvlan; i++) {
		uint32_t tci = pk->linktype == DEC_DLT_LINUX_SLL2 ? o + 20 + 4u * i :
		    type_off + 2 + 4u * i;

		fld(b, DEC_LAYER_LINK, tci, 2, "VLAN", "id %u priority %u", pk->vlan[i],
		    pk->vlan_pcp[i]);
		fld_type(b, tci + 2, i + 1 < pk->nvlan ? pk->vlan_tpid[i + 1] : pk->ethertype);
	}
}

static void fields_arp(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->net_off;
	char a[INET6_ADDRSTRLEN], m[24];

	fld(b, DEC_LAYER_NET, o, 2, "Hardware type", "%u%s", pk->arp_htype,
	    pk->arp_htype == 1 ? " (Ethernet)" : "");
	fld(b, DEC_LAYER_NET, o + 2, 2, "Protocol type", "0x%04x%s", pk->arp_ptype,
	    pk->arp_ptype == DEC_ETH_IPV4 ? " (IPv4)" : "");
	fld(b, DEC_LAYER_NET, o + 4, 1, "Hardware size", "%u", pk->arp_hlen);
	fld(b, DEC_LAYER_NET, o + 5, 1, "Protocol size", "%u", pk->arp_plen);
	const char *opn = decode_arp_op_name(pk->arp_op);

	fld(b, DEC_LAYER_NET, o + 6, 2, "Operation", "%u%s%s%s", pk->arp_op, opn ? " (" : "",
	    opn ? opn : "", opn ? ")" : "");
	if (!pk->arp_eth_ip)
		return;
	decode_mac(pk->arp_sha, m, sizeof m);
	fld(b, DEC_LAYER_NET, o + 8, 6, "Sender MAC", "%s", m);
	decode_addr(AF_INET, pk->arp_spa, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 14, 4, "Sender IP", "%s", a);
	decode_mac(pk->arp_tha, m, sizeof m);
	fld(b, DEC_LAYER_NET, o + 18, 6, "Target MAC", "%s", m);
	decode_addr(AF_INET, pk->arp_tpa, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 24, 4, "Target IP", "%s", a);
}

static void fld_proto(struct fb *b, uint32_t off, const char *name, uint8_t proto)
{
	const char *n = decode_proto_name(proto);

	fld(b, DEC_LAYER_NET, off, 1, name, "%u%s%s%s", proto, n != NULL ? " (" : "",
	    n != NULL ? n : "", n != NULL ? ")" : "");
}

static void fields_ipv4(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->net_off;
	char a[INET6_ADDRSTRLEN];

	if (pk->net_len > 0)
		fld(b, DEC_LAYER_NET, o, 1, "Version", "4, header %u bytes", pk->net_len);
	else
		fld(b, DEC_LAYER_NET, o, 1, "Version", "4");
	fld(b, DEC_LAYER_NET, o + 1, 1, "DSCP / ECN", "%u / %u", pk->tos >> 2, pk->tos & 3);
	if (pk->ip_len_from_frame)
		fld(b, DEC_LAYER_NET, o + 2, 2, "Total length",
		    "0: %u from the frame (segmentation offload)", pk->ip_total_len);
	else
		fld(b, DEC_LAYER_NET, o + 2, 2, "Total length", "%u", pk->ip_total_len);
	fld(b, DEC_LAYER_NET, o + 4, 2, "Identification", "%u (0x%04x)", pk->ip_id, pk->ip_id);
	fld(b, DEC_LAYER_NET, o + 6, 2, "Flags / offset", "%s%s%s, offset %u",
	    pk->df ? "DF" : "", pk->df && pk->mf ? " " : "", pk->mf ? "MF" : "", pk->frag_off);
	fld(b, DEC_LAYER_NET, o + 8, 1, "TTL", "%u", pk->ttl);
	fld_proto(b, o + 9, "Protocol", pk->proto);
	fld(b, DEC_LAYER_NET, o + 10, 2, "Checksum", "0x%04x", pk->ip_sum);
	decode_addr(AF_INET, pk->src, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 12, 4, "Source", "%s", a);
	decode_addr(AF_INET, pk->dst, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 16, 4, "Destination", "%s", a);
	if (pk->has_ip_options && pk->net_len > 20)
		fld(b, DEC_LAYER_NET, o + 20, pk->net_len - 20u, "Options", "%u bytes",
		    pk->net_len - 20u);
}

static const char *ext_name(uint8_t type)
{
	switch (type) {
	case DEC_IP_HOPOPTS:
		return "Hop-by-hop";
	case DEC_IP_ROUTING:
		return "Routing";
	case DEC_IP_FRAGMENT:
		return "Fragment";
	case DEC_IP_AH:
		return "Authentication";
	case DEC_IP_DSTOPTS:
		return "Destination opts";
	default:
		return "Extension header";
	}
}

static void fields_ipv6(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->net_off;
	char a[INET6_ADDRSTRLEN];
	uint8_t i;

	fld(b, DEC_LAYER_NET, o, 4, "Version / class / flow", "6, class 0x%02x, flow 0x%05x",
	    pk->tos, pk->flow_label);
	fld(b, DEC_LAYER_NET, o + 4, 2, "Payload length", "%u", pk->ip_total_len - 40u);
	fld_proto(b, o + 6, "Next header", pk->ext_hdrs > 0 ? pk->ext[0].kind : pk->proto);
	fld(b, DEC_LAYER_NET, o + 7, 1, "Hop limit", "%u", pk->ttl);
	decode_addr(AF_INET6, pk->src, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 8, 16, "Source", "%s", a);
	decode_addr(AF_INET6, pk->dst, a, sizeof a);
	fld(b, DEC_LAYER_NET, o + 24, 16, "Destination", "%s", a);
	for (i = 0; i < pk->ext_hdrs; i++) {
		const struct dec_opt *e = &pk->ext[i];
		uint8_t next = i + 1 < pk->ext_hdrs ? pk->ext[i + 1].kind : pk->proto;
		uint32_t len = e->kind == DEC_IP_FRAGMENT ? 8u : e->len * 8u;

		if (e->kind == DEC_IP_FRAGMENT && i + 1 == pk->ext_hdrs)
			fld(b, DEC_LAYER_NET, e->off, len, "Fragment",
			    "next %u, offset %u%s, id 0x%08x", next, pk->frag_off, pk->mf ? " MF" : "",
			    pk->ip_id);
		else
			fld(b, DEC_LAYER_NET, e->off, len, ext_name(e->kind), "next %u, %u bytes",
			    next, len);
	}
}

static void fields_icmp(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->tp_off;
	bool v6 = pk->family == AF_INET6;
	char a[INET6_ADDRSTRLEN], m[24];
	uint8_t i, t = pk->icmp_type;

	fld(b, DEC_LAYER_TRANSPORT, o, 1, "Type", "%u (%s)", t,
	    decode_icmp_name(pk->family, t, 255));
	if (strcmp(decode_icmp_name(pk->family, t, pk->icmp_code),
	    decode_icmp_name(pk->family, t, 255)) != 0)
		fld(b, DEC_LAYER_TRANSPORT, o + 1, 1, "Code", "%u (%s)", pk->icmp_code,
		    decode_icmp_name(pk->family, t, pk->icmp_code));
	else /* no name of its own */
		fld(b, DEC_LAYER_TRANSPORT, o + 1, 1, "Code", "%u", pk->icmp_code);
	fld(b, DEC_LAYER_TRANSPORT, o + 2, 2, "Checksum", "0x%04x", pk->icmp_sum);
	if ((!v6 && (t == 0 || t == 8 || (t >= 13 && t <= 16))) || (v6 && (t == 128 || t == 129))) {
		fld(b, DEC_LAYER_TRANSPORT, o + 4, 2, "Identifier", "%u", pk->icmp_id);
		fld(b, DEC_LAYER_TRANSPORT, o + 6, 2, "Sequence", "%u", pk->icmp_seq);
	}
	if (!v6 && t == 3 && pk->icmp_code == 4)
		fld(b, DEC_LAYER_TRANSPORT, o + 6, 2, "Next-hop MTU", "%u", pk->icmp_mtu);
	if (v6 && t == 2)
		fld(b, DEC_LAYER_TRANSPORT, o + 4, 4, "MTU", "%u", pk->icmp_mtu);
	if (!v6 && t == 5) {
		uint8_t g[4] = { (uint8_t)(pk->icmp_extra >> 24), (uint8_t)(pk->icmp_extra >> 16),
			(uint8_t)(pk->icmp_extra >> 8), (uint8_t)pk->icmp_extra };

		decode_addr(AF_INET, g, a, sizeof a);
		fld(b, DEC_LAYER_TRANSPORT, o + 4, 4, "Gateway", "%s", a);
	}
	if (t == (v6 ? 4 : 12))
		fld(b, DEC_LAYER_TRANSPORT, o + 4, v6 ? 4 : 1, "Pointer", "%u", pk->icmp_extra);
	if (v6 && t == 134) {
		fld(b, DEC_LAYER_TRANSPORT, o + 4, 1, "Hop limit", "%u", pk->ra_hop_limit);
		fld(b, DEC_LAYER_TRANSPORT, o + 5, 1, "Flags", "0x%02x%s%s", pk->nd_flags,
		    pk->nd_flags & 0x80 ? " M" : "", pk->nd_flags & 0x40 ? " O" : "");
		fld(b, DEC_LAYER_TRANSPORT, o + 6, 2, "Router lifetime", "%u s", pk->ra_lifetime);
	}
	if (v6 && t == 136)
		fld(b, DEC_LAYER_TRANSPORT, o + 4, 1, "Flags", "0x%02x%s%s%s", pk->nd_flags,
		    pk->nd_flags & 0x80 ? " router" : "", pk->nd_flags & 0x40 ? " solicited" : "",
		    pk->nd_flags & 0x20 ? " override" : "");
	if (v6 && t == 143)
		fld(b, DEC_LAYER_TRANSPORT, o + 6, 2, "Records", "%u", pk->mld_nrec);
	if (pk->has_nd_target) {
		decode_addr(AF_INET6, pk->nd_target, a, sizeof a);
		fld(b, DEC_LAYER_TRANSPORT, o + 8, 16, "Target", "%s", a);
	}
	for (i = 0; i < pk->nd_nopts && i < DEC_MAX_NDOPT; i++) {
		const struct dec_opt *op = &pk->nd_opt[i];
		uint32_t len = op->len * 8u;

		switch (op->kind) {
		case 1:
		case 2:
			if (op->len == 1) {
				decode_mac(op->kind == 1 ? pk->nd_sll : pk->nd_tll, m, sizeof m);
				fld(b, DEC_LAYER_TRANSPORT, op->off, len,
				    op->kind == 1 ? "Source link address" : "Target link address", "%s",
				    m);
				break;
			}
			fld(b, DEC_LAYER_TRANSPORT, op->off, len, "Link address", "%u bytes", len);
			break;
		case 3:
			decode_addr(AF_INET6, pk->nd_prefix, a, sizeof a);
			fld(b, DEC_LAYER_TRANSPORT, op->off, len, "Prefix", "%s/%u", a,
			    pk->nd_prefix_len);
			break;
		case 5:
			fld(b, DEC_LAYER_TRANSPORT, op->off, len, "MTU option", "%u", pk->nd_mtu);
			break;
		default:
			fld(b, DEC_LAYER_TRANSPORT, op->off, len, "ND option", "type %u, %u bytes",
			    op->kind, len);
			break;
		}
	}
	if (pk->has_inner) {
		const struct dec_inner *in = &pk->inner;
		struct buf q = { 0 };

		summary_inner(&q, pk);
		buf_addc(&q, '\0');
		/* summary_inner writes " (...)": drop the brackets here. */
		q.p[q.len - 2] = '\0';
		fld(b, DEC_LAYER_TRANSPORT, in->off, in->len, "Quoted datagram", "%s", q.p + 2);
		buf_free(&q);
	}
}

static void fields_udp(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->tp_off;

	fld(b, DEC_LAYER_TRANSPORT, o, 2, "Source port", "%u", pk->sport);
	fld(b, DEC_LAYER_TRANSPORT, o + 2, 2, "Destination port", "%u", pk->dport);
	fld(b, DEC_LAYER_TRANSPORT, o + 4, 2, "Length", "%u", pk->udp_len);
	fld(b, DEC_LAYER_TRANSPORT, o + 6, 2, "Checksum", "0x%04x", pk->udp_sum);
}

static void fields_tcp(struct fb *b, const struct dec_pkt *pk)
{
	uint32_t o = pk->tp_off;
	char fl[48];
	uint8_t i, s = 0;

	fld(b, DEC_LAYER_TRANSPORT, o, 2, "Source port", "%u", pk->sport);
	fld(b, DEC_LAYER_TRANSPORT, o + 2, 2, "Destination port", "%u", pk->dport);
	fld(b, DEC_LAYER_TRANSPORT, o + 4, 4, "Sequence", "%u", pk->seq);
	fld(b, DEC_LAYER_TRANSPORT, o + 8, 4, "Acknowledgment", "%u", pk->ack);
	fld(b, DEC_LAYER_TRANSPORT, o + 12, 1, "Header length", "%u bytes", pk->data_off * 4u);
	decode_tcp_flags(pk->tcp_flags, ", ", fl, sizeof fl);
	fld(b, DEC_LAYER_TRANSPORT, o + 12, 2, "Flags", "0x%03x [%s]", pk->tcp_flags, fl);
	fld(b, DEC_LAYER_TRANSPORT, o + 14, 2, "Window", "%u", pk->window);
	fld(b, DEC_LAYER_TRANSPORT, o + 16, 2, "Checksum", "0x%04x", pk->tcp_sum);
	fld(b, DEC_LAYER_TRANSPORT, o + 18, 2, "Urgent pointer", "%u", pk->urg_ptr);
	for (i = 0; i < pk->ntcpopt; i++) {
		const struct dec_opt *op = &pk->tcpopt[i];

		switch (op->kind) {
		case 0:
			fld(b, DEC_LAYER_TRANSPORT, op->off, 1, "End of options", "EOL");
			break;
		case 1:
			fld(b, DEC_LAYER_TRANSPORT, op->off, 1, "No-operation", "NOP");
			break;
		case 2:
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "MSS", "%u", pk->mss);
			break;
		case 3:
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "Window scale", "%u (x%lu)",
			    pk->wscale, 1ul << (pk->wscale > 14 ? 14 : pk->wscale));
			break;
		case 4:
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "SACK permitted", "yes");
			break;
		case 5: {
			char v[96] = "";
			size_t n = 0;
			uint8_t k = (uint8_t)((op->len - 2) / 8);

			for (; k > 0 && s < pk->nsack && n < sizeof v; k--, s++)
				n += (size_t)snprintf(v + n, sizeof v - n, "%s%u-%u", n ? " " : "",
				    pk->sack[s][0], pk->sack[s][1]);
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "SACK", "%s", v);
			break;
		}
		case 8:
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "Timestamps", "val %u, ecr %u",
			    pk->ts_val, pk->ts_ecr);
			break;
		default:
			fld(b, DEC_LAYER_TRANSPORT, op->off, op->len, "Option", "kind %u, %u bytes",
			    op->kind, op->len);
			break;
		}
	}
}

static void fields_payload(struct fb *b, const struct dec_pkt *pk, const uint8_t *data)
{
	char esc[80];

	if (pk->payload_len == 0 && pk->payload_wirelen == 0)
		return;
	if (pk->is_icmp && pk->has_inner)
		return; /* shown as the quoted datagram */
	if (data != NULL)
		util_escape(esc, sizeof esc, data + pk->payload_off, pk->payload_len);
	else
		esc[0] = '\0';
	if (pk->payload_len < pk->payload_wirelen)
		fld(b, DEC_LAYER_APP, pk->payload_off, pk->payload_len, "Data",
		    "%u of %u bytes: \"%s\"", pk->payload_len, pk->payload_wirelen, esc);
	else
		fld(b, DEC_LAYER_APP, pk->payload_off, pk->payload_len, "Data", "%u bytes: \"%s\"",
		    pk->payload_len, esc);
}

size_t decode_fields(const struct dec_pkt *pk, const uint8_t *data, struct dec_field *out,
    size_t max)
{
	struct fb b = { out, 0, max, data != NULL ? pk->caplen : 0 };

	fields_link(&b, pk);
	if (pk->is_arp)
		fields_arp(&b, pk);
	else if (pk->family == AF_INET)
		fields_ipv4(&b, pk);
	else if (pk->family == AF_INET6)
		fields_ipv6(&b, pk);
	if (pk->is_icmp)
		fields_icmp(&b, pk);
	else if (pk->is_udp)
		fields_udp(&b, pk);
	else if (pk->is_tcp)
		fields_tcp(&b, pk);
	fields_payload(&b, pk, data);
	if (pk->status != DEC_OK)
		fld(&b, DEC_LAYER_APP, 0, 0, pk->status == DEC_TRUNC ? "Truncated" : "Invalid", "%s",
		    pk->why);
	return b.n;
}
