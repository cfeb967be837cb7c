/* decode-ipv4 — Internet Protocol version 4, RFC 791.
 *
 * version (4 bits, = 4), IHL (4 bits, header length in 32-bit words, >= 5),
 * type of service (DSCP and ECN, RFC 2474 / RFC 3168), total length (2,
 * >= header), identification (2), flags (3: reserved, DF, MF) and fragment
 * offset (13 bits, in 8-byte units), TTL, protocol, header checksum,
 * source, destination, options (IHL > 5). The total length bounds the
 * payload: Ethernet padding past it is not payload. Only a first fragment
 * (offset 0) carries the transport header.
 *
 * A total length of 0 is what a capture shows of a segment handed to the
 * card for segmentation offload (TSO/LSO, Linux BIG TCP above 64 KiB): the
 * card fills it in. As tshark does, the length is then the frame's from
 * the IP header on (the length on the wire, not only what was captured). */
#include "decode.h"

#include <sys/socket.h>

#include "rd.h"

#define IPV4_MIN_HDR 20

enum dec_status decode_ipv4(struct rd *r, struct dec_pkt *pk)
{
	uint32_t off = rd_off(r);
	size_t avail = rd_left(r);
	uint8_t vihl, version, ihl;
	uint16_t frag, hlen;
	uint32_t total;
	struct rd body;

	vihl = rd_u8(r);
	pk->tos = rd_u8(r);
	total = rd_be16(r);
	pk->ip_id = rd_be16(r);
	frag = rd_be16(r);
	pk->ttl = rd_u8(r);
	pk->proto = rd_u8(r);
	pk->ip_sum = rd_be16(r);
	rd_bytes(r, pk->src, 4);
	rd_bytes(r, pk->dst, 4);
	pk->family = AF_INET;
	pk->net_off = off;
	if (total == 0 && pk->nest == 0 && !r->bad) {
		total = pk->wirelen > off ? pk->wirelen - off : 0;
		pk->ip_len_from_frame = true;
	}
	pk->ip_total_len = total;
	pk->df = (frag & 0x4000) != 0;
	pk->mf = (frag & 0x2000) != 0;
	pk->frag_off = (uint16_t)((frag & 0x1fff) * 8);
	pk->is_fragment = pk->mf || pk->frag_off != 0;
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "IPv4 header: %zu of %d bytes", avail,
		    IPV4_MIN_HDR);

	version = vihl >> 4;
	ihl = vihl & 0x0f;
	hlen = (uint16_t)(ihl * 4);
	if (version != 4)
		return decode_fail(pk, DEC_INVALID, "IPv4 version %u", version);
	if (ihl < 5)
		return decode_fail(pk, DEC_INVALID, "IPv4 header length %u < 5", ihl);
	if (total < hlen)
		return decode_fail(pk, DEC_INVALID, "IPv4 total length %u < header %u", total,
		    hlen);
	pk->has_ip_options = ihl > 5;
	rd_skip(r, hlen - IPV4_MIN_HDR);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "IPv4 options: %zu of %u bytes",
		    avail - IPV4_MIN_HDR, hlen - IPV4_MIN_HDR);
	pk->net_len = hlen;
	pk->ip_payload_len = (uint32_t)(total - hlen);

	/* A quoted datagram (nest > 0) is cut short by design. */
	if (pk->nest == 0 && (uint64_t)off + total > pk->wirelen)
		decode_fail(pk, DEC_INVALID, "IPv4 total length %u > %u bytes in frame", total,
		    pk->wirelen - off);

	body = rd_sub(r, pk->ip_payload_len);
	if (pk->frag_off != 0) {
		decode_set_payload(&body, pk, pk->ip_payload_len);
		return pk->status;
	}
	return decode_transport(&body, pk);
}
