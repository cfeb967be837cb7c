/* decode-icmp6 — ICMPv6, RFC 4443, with Neighbor Discovery (RFC 4861)
 * and Multicast Listener Discovery (RFC 2710, MLDv2 RFC 3810).
 *
 * type (1), code (1), checksum (2), then by type:
 *   1 destination unreachable, 3 time exceeded: unused (4);
 *   2 packet too big: MTU (4); 4 parameter problem: pointer (4);
 *     each followed by as much of the offending packet as fits;
 *   128/129 echo request/reply: identifier (2), sequence (2), data;
 *   130-132 MLDv1 query/report/done, 143 MLDv2 report: reserved (2),
 *     number of records (2), records (recognised, not decoded);
 *   133 router solicitation: reserved (4), options;
 *   134 router advertisement: cur hop limit (1), flags M O (1), router
 *     lifetime (2), reachable time (4), retrans timer (4), options;
 *   135 neighbor solicitation: reserved (4), target (16), options;
 *   136 neighbor advertisement: flags R S O (top 3 bits) and reserved (4),
 *     target (16), options;
 *   137 redirect: reserved (4), target (16), destination (16), options.
 * ND options (RFC 4861 4.6): type (1), length (1, in 8-byte units, 0 is
 * invalid), data: 1 source / 2 target link-layer address, 3 prefix
 * information, 5 MTU. */
#include "decode.h"

#include <sys/socket.h>

#include "rd.h"

#define ICMP6_HDR_LEN 4

static enum dec_status nd_options(struct rd *r, struct dec_pkt *pk)
{
	while (rd_left(r) > 0) {
		uint32_t off = rd_off(r);
		size_t avail = rd_left(r);
		uint8_t type = rd_u8(r);
		uint8_t len = rd_u8(r);
		struct rd o;

		if (r->bad)
			return decode_fail(pk, decode_cut(pk, r), "ND option: %zu of 2 bytes", avail);
		if (len == 0)
			return decode_fail(pk, DEC_INVALID, "ND option %u length 0", type);
		o = rd_sub(r, (size_t)len * 8 - 2);
		if (r->bad)
			return decode_fail(pk, decode_cut(pk, r), "ND option %u: %zu of %u bytes", type,
			    avail, len * 8);
		if (pk->nd_nopts < DEC_MAX_NDOPT) {
			pk->nd_opt[pk->nd_nopts].kind = type;
			pk->nd_opt[pk->nd_nopts].len = len;
			pk->nd_opt[pk->nd_nopts].off = off;
		}
		if (pk->nd_nopts < 255)
			pk->nd_nopts++;
		switch (type) {
		case 1: /* source link-layer address */
		case 2: /* target link-layer address */
			if (len == 1) { /* Ethernet */
				rd_bytes(&o, type == 1 ? pk->nd_sll : pk->nd_tll, 6);
				if (type == 1)
					pk->has_nd_sll = true;
				else
					pk->has_nd_tll = true;
			}
			break;
		case 3: /* prefix information */
			if (len != 4)
				return decode_fail(pk, DEC_INVALID, "ND prefix option length %u", len);
			pk->nd_prefix_len = rd_u8(&o);
			rd_skip(&o, 1 + 4 + 4 + 4);
			rd_bytes(&o, pk->nd_prefix, 16);
			pk->has_nd_prefix = true;
			break;
		case 5: /* MTU */
			if (len != 1)
				return decode_fail(pk, DEC_INVALID, "ND MTU option length %u", len);
			rd_skip(&o, 2);
			pk->nd_mtu = rd_be32(&o);
			pk->has_nd_mtu = true;
			break;
		default:
			break;
		}
	}
	return DEC_OK;
}

enum dec_status decode_icmp6(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint32_t start = rd_off(r);
	size_t fixed;
	bool nd = false, quoted = false;
	uint32_t rest;

	pk->is_icmp = true;
	pk->tp_off = start;
	pk->icmp_type = rd_u8(r);
	pk->icmp_code = rd_u8(r);
	pk->icmp_sum = rd_be16(r);
	rest = rd_be32(r);
	fixed = 8;
	switch (pk->icmp_type) {
	case 1:
	case 3:
		quoted = true;
		break;
	case 2:
		pk->icmp_mtu = rest;
		quoted = true;
		break;
	case 4:
		pk->icmp_extra = rest;
		quoted = true;
		break;
	case 128:
	case 129:
		pk->icmp_id = (uint16_t)(rest >> 16);
		pk->icmp_seq = (uint16_t)rest;
		break;
	case 143:
		pk->mld_nrec = (uint16_t)rest;
		break;
	case 133:
		nd = true;
		break;
	case 134:
		pk->ra_hop_limit = (uint8_t)(rest >> 24);
		pk->nd_flags = (uint8_t)(rest >> 16);
		pk->ra_lifetime = (uint16_t)rest;
		rd_skip(r, 8); /* reachable time, retrans timer */
		fixed = 16;
		nd = true;
		break;
	case 135:
	case 136:
	case 137:
		pk->nd_flags = pk->icmp_type == 136 ? (uint8_t)(rest >> 24) : 0;
		rd_bytes(r, pk->nd_target, 16);
		fixed = 24;
		if (pk->icmp_type == 137) {
			rd_skip(r, 16); /* destination */
			fixed = 40;
		}
		if (!r->bad)
			pk->has_nd_target = true;
		nd = true;
		break;
	default:
		break;
	}
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "ICMPv6 type %u: %zu of %zu bytes",
		    pk->icmp_type, avail, fixed);
	pk->tp_len = fixed;

	if (nd) {
		/* The options are part of the message, not payload. */
		nd_options(r, pk);
		return pk->status;
	}
	decode_set_payload(r, pk,
	    pk->ip_payload_len > fixed ? pk->ip_payload_len - (uint32_t)fixed : 0);
	if (quoted)
		decode_quoted(r, pk, AF_INET6);
	return pk->status;
}
