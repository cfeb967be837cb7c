/* decode-udp — User Datagram Protocol, RFC 768.
 *
 * source port (2), destination port (2), length (2: header and data,
 * >= 8), checksum (2). The length must fit in the IP payload; bytes past
 * it are not payload. In a first fragment the length covers the whole
 * datagram, so it is not checked against this fragment. */
#include "decode.h"

#include "rd.h"

#define UDP_HDR_LEN 8

enum dec_status decode_udp(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint32_t wire;
	struct rd body;

	pk->is_udp = true;
	pk->tp_off = rd_off(r);
	pk->sport = rd_be16(r);
	pk->dport = rd_be16(r);
	pk->has_ports = !r->bad;
	pk->udp_len = rd_be16(r);
	pk->udp_sum = rd_be16(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "UDP header: %zu of %d bytes", avail,
		    UDP_HDR_LEN);
	pk->tp_len = UDP_HDR_LEN;

	wire = pk->ip_payload_len > UDP_HDR_LEN ? pk->ip_payload_len - UDP_HDR_LEN : 0;
	if (pk->udp_len < UDP_HDR_LEN) {
		decode_fail(pk, DEC_INVALID, "UDP length %u < %d", pk->udp_len, UDP_HDR_LEN);
	} else if (pk->nest == 0 && !pk->is_fragment && pk->udp_len > pk->ip_payload_len) {
		decode_fail(pk, DEC_INVALID, "UDP length %u > IP payload %u", pk->udp_len,
		    pk->ip_payload_len);
	} else {
		wire = pk->udp_len - UDP_HDR_LEN;
	}
	body = rd_sub(r, wire);
	decode_set_payload(&body, pk, wire);
	return pk->status;
}
