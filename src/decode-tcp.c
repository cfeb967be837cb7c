/* decode-tcp — Transmission Control Protocol, RFC 9293.
 *
 * source port (2), destination port (2), sequence number (4),
 * acknowledgment number (4), data offset (4 bits, header length in 32-bit
 * words, >= 5), reserved (3) and flags (9: AE, CWR, ECE (RFC 3168), URG,
 * ACK, PSH, RST, SYN, FIN), window (2), checksum (2), urgent pointer (2),
 * options up to the data offset. Options (RFC 9293 3.2): EOL (0) ends the
 * list, NOP (1) pads; every other option is kind, length (>= 2, counting
 * both), data: MSS (2, length 4; RFC 9293), window scale (3, length 3;
 * RFC 7323), SACK permitted (4, length 2) and SACK blocks (5, length
 * 2 + 8n; RFC 2018), timestamps (8, length 10; RFC 7323). A malformed
 * option makes the packet INVALID; the options before it are kept. */
#include "decode.h"

#include "rd.h"

#define TCP_HDR_LEN 20

/* short: the status for an option running past the end of o. */
static enum dec_status tcp_options(struct rd *o, enum dec_status short_st, struct dec_pkt *pk)
{
	while (rd_left(o) > 0 && pk->ntcpopt < DEC_MAX_TCPOPT) {
		struct dec_opt *opt = &pk->tcpopt[pk->ntcpopt];
		uint8_t kind, len;
		struct rd d;

		opt->off = rd_off(o);
		opt->kind = kind = rd_u8(o);
		opt->len = 1;
		if (kind == 0 || kind == 1) {
			pk->ntcpopt++;
			if (kind == 0) /* EOL: the rest is padding */
				break;
			continue;
		}
		if (!rd_has(o, 1))
			return decode_fail(pk, short_st,
			    "TCP option %u: no length byte", kind);
		len = rd_u8(o);
		if (len < 2)
			return decode_fail(pk, DEC_INVALID, "TCP option %u length %u < 2", kind, len);
		if (!rd_has(o, (size_t)len - 2))
			return decode_fail(pk, short_st,
			    "TCP option %u length %u > %zu bytes left", kind, len, rd_left(o) + 2);
		d = rd_sub(o, (size_t)len - 2);
		opt->len = len;
		switch (kind) {
		case 2:
			if (len != 4)
				return decode_fail(pk, DEC_INVALID, "TCP MSS option length %u", len);
			pk->mss = rd_be16(&d);
			pk->has_mss = true;
			break;
		case 3:
			if (len != 3)
				return decode_fail(pk, DEC_INVALID, "TCP window scale option length %u",
				    len);
			pk->wscale = rd_u8(&d);
			pk->has_wscale = true;
			break;
		case 4:
			if (len != 2)
				return decode_fail(pk, DEC_INVALID, "TCP SACK-permitted option length %u",
				    len);
			pk->sack_perm = true;
			break;
		case 5:
			if (len < 10 || (len - 2) % 8 != 0)
				return decode_fail(pk, DEC_INVALID, "TCP SACK option length %u", len);
			while (rd_left(&d) >= 8 && pk->nsack < 4) {
				pk->sack[pk->nsack][0] = rd_be32(&d);
				pk->sack[pk->nsack][1] = rd_be32(&d);
				pk->nsack++;
			}
			break;
		case 8:
			if (len != 10)
				return decode_fail(pk, DEC_INVALID, "TCP timestamps option length %u",
				    len);
			pk->ts_val = rd_be32(&d);
			pk->ts_ecr = rd_be32(&d);
			pk->has_ts = true;
			break;
		default: /* MPTCP, TFO, MD5, AO...: skipped by length */
			break;
		}
		pk->ntcpopt++;
	}
	return DEC_OK;
}

enum dec_status decode_tcp(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint16_t offflags;
	uint32_t hlen;
	struct rd opts;
	bool cut;

	pk->is_tcp = true;
	pk->tp_off = rd_off(r);
	pk->sport = rd_be16(r);
	pk->dport = rd_be16(r);
	pk->has_ports = !r->bad;
	pk->seq = rd_be32(r);
	pk->ack = rd_be32(r);
	offflags = rd_be16(r);
	pk->window = rd_be16(r);
	pk->tcp_sum = rd_be16(r);
	pk->urg_ptr = rd_be16(r);
	pk->data_off = (uint8_t)(offflags >> 12);
	pk->tcp_flags = offflags & 0x0fff;
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "TCP header: %zu of %d bytes", avail,
		    TCP_HDR_LEN);
	hlen = pk->data_off * 4u;
	pk->tp_len = TCP_HDR_LEN;
	if (pk->data_off < 5)
		return decode_fail(pk, DEC_INVALID, "TCP data offset %u < 5", pk->data_off);
	if (pk->nest == 0 && !pk->is_fragment && hlen > pk->ip_payload_len)
		return decode_fail(pk, DEC_INVALID, "TCP header length %u > IP payload %u", hlen,
		    pk->ip_payload_len);
	pk->tp_len = hlen;

	opts = rd_sub(r, hlen - TCP_HDR_LEN);
	cut = r->bad;
	tcp_options(&opts, cut ? decode_cut(pk, r) : DEC_INVALID, pk);
	if (cut)
		return decode_fail(pk, decode_cut(pk, r), "TCP options: %zu of %u bytes",
		    avail - TCP_HDR_LEN, hlen - TCP_HDR_LEN);
	decode_set_payload(r, pk, pk->ip_payload_len > hlen ? pk->ip_payload_len - hlen : 0);
	return pk->status;
}
