/* decode-ipv6 — Internet Protocol version 6, RFC 8200.
 *
 * Fixed header (40 bytes): version (4 bits, = 6), traffic class (8),
 * flow label (20), payload length (2), next header (1), hop limit (1),
 * source (16), destination (16). Extension headers (section 4) are
 * followed by their own length fields: hop-by-hop options (0, only first),
 * routing (43), destination options (60), and mobility (135, RFC 6275),
 * HIP (139, RFC 7401), shim6 (140, RFC 5533) are 8 + 8 * len bytes;
 * fragment (44) is 8 bytes: next, reserved, offset (13 bits, 8-byte units)
 * with M in bit 0, identification (4); authentication header (51,
 * RFC 4302) is 4 * (len + 2) bytes. No next header (59) and ESP (50) end
 * the chain. At most DEC_MAX_EXT headers are followed. A payload length of
 * 0 with a hop-by-hop header is a jumbogram (RFC 2675): the capture bounds
 * it. */
#include "decode.h"

#include <sys/socket.h>

#include "rd.h"

#define IPV6_HDR_LEN 40

static bool ipv6_is_ext(uint8_t nh)
{
	switch (nh) {
	case DEC_IP_HOPOPTS:
	case DEC_IP_ROUTING:
	case DEC_IP_FRAGMENT:
	case DEC_IP_AH:
	case DEC_IP_DSTOPTS:
	case 135:
	case 139:
	case 140:
		return true;
	default:
		return false;
	}
}

/* Follow the extension headers in body; returns false when the transport
 * header is not to be decoded (non-first fragment, error). */
static bool ipv6_ext_chain(struct rd *body, struct dec_pkt *pk, uint8_t *nh)
{
	while (ipv6_is_ext(*nh)) {
		uint32_t off = rd_off(body);
		size_t avail = rd_left(body);
		uint8_t type = *nh, next, len8;
		size_t len;

		if (pk->ext_hdrs == DEC_MAX_EXT) {
			decode_fail(pk, DEC_INVALID, "more than %d IPv6 extension headers",
			    DEC_MAX_EXT);
			return false;
		}
		if (type == DEC_IP_HOPOPTS && pk->ext_hdrs != 0)
			decode_fail(pk, DEC_INVALID, "IPv6 hop-by-hop header not first");
		next = rd_u8(body);
		len8 = rd_u8(body);
		if (body->bad) {
			decode_fail(pk, decode_cut(pk, body), "IPv6 extension header %u: %zu of 2 bytes",
			    type, avail);
			return false;
		}
		if (type == DEC_IP_FRAGMENT)
			len = 8;
		else if (type == DEC_IP_AH)
			len = 4 * ((size_t)len8 + 2);
		else
			len = 8 * ((size_t)len8 + 1);
		pk->ext[pk->ext_hdrs].kind = type;
		pk->ext[pk->ext_hdrs].len = (uint8_t)(len / 8 > 255 ? 255 : len / 8);
		pk->ext[pk->ext_hdrs].off = off;
		pk->ext_hdrs++;
		if (type == DEC_IP_FRAGMENT) {
			uint16_t fo = rd_be16(body);

			pk->ip_id = rd_be32(body);
			pk->frag_off = fo & 0xfff8;
			pk->mf = (fo & 1) != 0;
			pk->is_fragment = true;
		} else {
			rd_skip(body, len - 2);
		}
		if (body->bad) {
			decode_fail(pk, decode_cut(pk, body), "IPv6 extension header %u: %zu of %zu bytes",
			    type, avail, len);
			return false;
		}
		*nh = next;
		pk->proto = next;
		pk->net_len = (rd_off(body) - pk->net_off);
		if (pk->ip_payload_len < len) { /* cannot happen: body is bounded */
			pk->ip_payload_len = 0;
			return false;
		}
		pk->ip_payload_len -= (uint32_t)len;
		if (type == DEC_IP_FRAGMENT && pk->frag_off != 0)
			return false;
	}
	return true;
}

enum dec_status decode_ipv6(struct rd *r, struct dec_pkt *pk)
{
	uint32_t off = rd_off(r);
	size_t avail = rd_left(r);
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh;
	struct rd body;

	vtf = rd_be32(r);
	plen = rd_be16(r);
	nh = rd_u8(r);
	pk->ttl = rd_u8(r);
	rd_bytes(r, pk->src, 16);
	rd_bytes(r, pk->dst, 16);
	pk->family = AF_INET6;
	pk->net_off = off;
	pk->tos = (uint8_t)(vtf >> 20);
	pk->flow_label = vtf & 0xfffff;
	pk->proto = nh;
	pk->ip_total_len = (uint32_t)plen + IPV6_HDR_LEN;
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "IPv6 header: %zu of %d bytes", avail,
		    IPV6_HDR_LEN);
	if (vtf >> 28 != 6)
		return decode_fail(pk, DEC_INVALID, "IPv6 version %u", vtf >> 28);
	pk->net_len = IPV6_HDR_LEN;
	pk->ip_payload_len = plen;

	if (plen == 0 && nh == DEC_IP_HOPOPTS) {
		pk->ip_payload_len = (uint32_t)rd_left(r);
	} else if (pk->nest == 0 && (uint64_t)off + IPV6_HDR_LEN + plen > pk->wirelen) {
		decode_fail(pk, DEC_INVALID, "IPv6 payload length %u > %u bytes in frame", plen,
		    pk->wirelen - off - IPV6_HDR_LEN);
	}

	body = rd_sub(r, pk->ip_payload_len);
	if (!ipv6_ext_chain(&body, pk, &nh)) {
		if (pk->frag_off != 0)
			decode_set_payload(&body, pk, pk->ip_payload_len);
		return pk->status;
	}
	return decode_transport(&body, pk);
}
