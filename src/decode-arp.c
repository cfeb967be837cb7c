/* decode-arp — Address Resolution Protocol, RFC 826.
 *
 * hardware type (2), protocol type (2), hardware length (1), protocol
 * length (1), operation (2; 1 request, 2 reply, RFC 903: 3/4 RARP,
 * RFC 2390: 8/9 InARP), then sender hardware, sender protocol, target
 * hardware, target protocol addresses of the given lengths. Only
 * Ethernet-sized (6) hardware and IPv4 (4) protocol addresses are kept;
 * other pairs are skipped by their lengths. */
#include "decode.h"

#include "rd.h"

enum dec_status decode_arp(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);

	pk->is_arp = true;
	pk->net_off = rd_off(r);
	pk->arp_htype = rd_be16(r);
	pk->arp_ptype = rd_be16(r);
	pk->arp_hlen = rd_u8(r);
	pk->arp_plen = rd_u8(r);
	pk->arp_op = rd_be16(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "ARP header: %zu of 8 bytes", avail);
	pk->net_len = (8 + 2 * (pk->arp_hlen + pk->arp_plen));
	if (pk->arp_hlen == 6 && pk->arp_plen == 4 && pk->arp_ptype == DEC_ETH_IPV4) {
		rd_bytes(r, pk->arp_sha, 6);
		rd_bytes(r, pk->arp_spa, 4);
		rd_bytes(r, pk->arp_tha, 6);
		rd_bytes(r, pk->arp_tpa, 4);
		if (!r->bad)
			pk->arp_eth_ip = true;
	} else {
		rd_skip(r, 2 * ((size_t)pk->arp_hlen + pk->arp_plen));
	}
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "ARP addresses: %zu of %u bytes",
		    avail, 8 + 2 * (pk->arp_hlen + pk->arp_plen));
	/* What follows is Ethernet padding, not payload. */
	return DEC_OK;
}
