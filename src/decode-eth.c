/* decode-eth — Ethernet II framing with 802.1Q VLAN tags and 802.1ad QinQ.
 *
 * IEEE 802.3 clause 3.1.1: destination (6), source (6), length/type (2);
 * a value >= 0x0600 is an ethertype, <= 1500 a length (802.2 LLC follows,
 * not decoded). IEEE 802.1Q clause 9.6: a tag is a TPID (0x8100 C-tag,
 * 0x88a8 S-tag, 0x9100 pre-standard QinQ) followed by the TCI: PCP (3
 * bits), DEI (1), VID (12), then the next length/type. The capture holds no
 * FCS; short frames may carry padding, bounded later by IP's own lengths. */
#include "decode.h"

#include "rd.h"

static bool eth_is_tpid(uint16_t type)
{
	return type == DEC_ETH_VLAN || type == DEC_ETH_QINQ || type == DEC_ETH_QINQ_OLD;
}

enum dec_status decode_vlan_tags(struct rd *r, struct dec_pkt *pk, uint16_t *type)
{
	while (eth_is_tpid(*type)) {
		uint16_t tpid = *type;
		size_t avail = rd_left(r);
		uint16_t tci = rd_be16(r);
		uint16_t next = rd_be16(r);

		if (r->bad)
			return decode_fail(pk, decode_cut(pk, r),
			    "VLAN tag: %zu of 4 bytes", avail);
		if (pk->nvlan == DEC_MAX_VLAN)
			return decode_fail(pk, DEC_INVALID, "more than %d VLAN tags",
			    DEC_MAX_VLAN);
		pk->vlan_tpid[pk->nvlan] = tpid;
		pk->vlan_pcp[pk->nvlan] = (uint8_t)(tci >> 13);
		pk->vlan[pk->nvlan] = tci & 0x0fff;
		pk->nvlan++;
		pk->has_vlan = true;
		*type = next;
	}
	return DEC_OK;
}

enum dec_status decode_eth(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint16_t type;
	enum dec_status st;

	pk->link_off = rd_off(r);
	rd_bytes(r, pk->dst_mac, 6);
	rd_bytes(r, pk->src_mac, 6);
	type = rd_be16(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "Ethernet header: %zu of 14 bytes",
		    avail);
	pk->has_src_mac = pk->has_dst_mac = true;
	st = decode_vlan_tags(r, pk, &type);
	pk->link_len = (rd_off(r) - pk->link_off);
	if (st != DEC_OK)
		return st;
	/* A length field means 802.2 LLC: no ethertype to follow. */
	pk->ethertype = type >= 0x0600 ? type : 0;
	return DEC_OK;
}
