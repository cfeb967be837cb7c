/* decode-icmp — Internet Control Message Protocol, RFC 792.
 *
 * type (1), code (1), checksum (2), then 4 bytes that depend on the type:
 * echo (8) / echo reply (0), timestamp (13/14), information (15/16):
 * identifier (2) and sequence number (2); destination unreachable (3):
 * unused, or with code 4 the next-hop MTU in the low 2 bytes (RFC 1191);
 * source quench (4), time exceeded (11): unused; redirect (5): gateway
 * address; parameter problem (12): pointer in the first byte. Errors
 * (3, 4, 5, 11, 12) then quote the IP header and at least the first 8
 * bytes of the datagram that caused them (RFC 1812 4.3.2.3 allows more):
 * decoded here for its addresses, protocol and ports, one level deep. */
#include "decode.h"

#include <string.h>
#include <sys/socket.h>

#include "rd.h"

#define ICMP_HDR_LEN 8

enum dec_status decode_quoted(struct rd *r, struct dec_pkt *pk, int family)
{
	uint32_t qoff = rd_off(r);
	size_t qlen = rd_left(r);
	struct rd q = rd_sub(r, qlen);
	struct dec_pkt in;
	struct dec_inner *d = &pk->inner;

	if (pk->nest > 0) /* an error quoting an error: not followed */
		return DEC_OK;
	memset(&in, 0, sizeof in);
	in.nest = (uint8_t)(pk->nest + 1);
	in.caplen = pk->caplen;
	in.wirelen = pk->wirelen;
	in.linktype = pk->linktype;
	if (family == AF_INET)
		decode_ipv4(&q, &in);
	else
		decode_ipv6(&q, &in);
	if (in.net_len == 0 || in.family != family)
		return decode_fail(pk, decode_cut(pk, r), "ICMP quoted datagram: %s", in.why);

	memset(d, 0, sizeof *d);
	pk->has_inner = true;
	d->family = in.family;
	memcpy(d->src, in.src, sizeof d->src);
	memcpy(d->dst, in.dst, sizeof d->dst);
	d->proto = in.proto;
	d->next_hdr = in.ext_hdrs > 0 ? in.ext[0].kind : in.proto;
	d->ttl = in.ttl;
	d->tos = in.tos;
	d->hdr_len = family == AF_INET ? (uint8_t)in.net_len : 0;
	d->ip_total_len = in.ip_total_len;
	d->ip_id = in.ip_id;
	d->df = in.df;
	d->mf = in.mf;
	d->frag_off = in.frag_off;
	d->flow_label = in.flow_label;
	d->off = qoff;
	d->len = (uint32_t)qlen;
	if ((in.is_udp || in.is_tcp) && in.has_ports) {
		d->has_ports = true;
		d->sport = in.sport;
		d->dport = in.dport;
	}
	if (in.is_udp && in.tp_len != 0)
		d->udp_len = in.udp_len;
	if (in.is_tcp && qoff + qlen >= (uint64_t)in.tp_off + 8) {
		d->has_seq = true;
		d->seq = in.seq;
	}
	if (in.is_icmp && in.tp_len != 0) {
		d->has_icmp = true;
		d->icmp_type = in.icmp_type;
		d->icmp_code = in.icmp_code;
		d->icmp_id = in.icmp_id;
		d->icmp_seq = in.icmp_seq;
	}
	return DEC_OK;
}

static bool icmp_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

enum dec_status decode_icmp(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint32_t rest;

	pk->is_icmp = true;
	pk->tp_off = rd_off(r);
	pk->icmp_type = rd_u8(r);
	pk->icmp_code = rd_u8(r);
	pk->icmp_sum = rd_be16(r);
	rest = rd_be32(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "ICMP header: %zu of %d bytes", avail,
		    ICMP_HDR_LEN);
	pk->tp_len = ICMP_HDR_LEN;

	switch (pk->icmp_type) {
	case 0:
	case 8:
	case 13:
	case 14:
	case 15:
	case 16:
		pk->icmp_id = (uint16_t)(rest >> 16);
		pk->icmp_seq = (uint16_t)rest;
		break;
	case 3:
		if (pk->icmp_code == 4)
			pk->icmp_mtu = rest & 0xffff;
		break;
	case 5:
		pk->icmp_extra = rest;
		break;
	case 12:
		pk->icmp_extra = rest >> 24;
		break;
	default:
		break;
	}

	decode_set_payload(r, pk,
	    pk->ip_payload_len > ICMP_HDR_LEN ? pk->ip_payload_len - ICMP_HDR_LEN : 0);
	if (icmp_is_error(pk->icmp_type))
		decode_quoted(r, pk, AF_INET);
	return pk->status;
}
