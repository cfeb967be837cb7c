/* decode-link — link layers other than Ethernet.
 *
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113), as documented at
 * tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: packet type (2), ARPHRD_
 * type (2), address length (2), address (8, zero-padded), protocol (2).
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): protocol (2),
 * reserved (2), interface index (4), ARPHRD_ type (2), packet type (1),
 * address length (1), address (8). The protocol is an ethertype unless it
 * is below 0x0600 (802.3/802.2 frames) or the device is netlink.
 *
 * Raw IP (LINKTYPE_RAW 101; DLT_RAW 12 or 14; LINKTYPE_IPV4 228 and
 * LINKTYPE_IPV6 229): no header, the IP version nibble tells IPv4 from IPv6.
 *
 * BSD loopback (DLT_NULL 0: a 4-byte AF_ value in the capturing host's byte
 * order; DLT_LOOP 108: the same in network byte order). AF_INET is 2
 * everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (Darwin)
 * or 10 (Linux). */
#include "decode.h"

#include "rd.h"

#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772
#define ARPHRD_NETLINK 824

static uint16_t sll_ethertype(struct dec_pkt *pk, uint16_t proto)
{
	if (pk->sll_hatype == ARPHRD_NETLINK || proto < 0x0600)
		return 0;
	return proto;
}

static enum dec_status sll_finish(struct rd *r, struct dec_pkt *pk, const uint8_t addr[8],
    uint16_t proto)
{
	uint16_t type = sll_ethertype(pk, proto);
	enum dec_status st;

	pk->has_sll = true;
	if ((pk->sll_hatype == ARPHRD_ETHER || pk->sll_hatype == ARPHRD_LOOPBACK) &&
	    pk->sll_halen == 6) {
		memcpy(pk->src_mac, addr, 6);
		pk->has_src_mac = true;
	}
	/* A VLAN tag left in the frame follows the cooked header. */
	st = decode_vlan_tags(r, pk, &type);
	pk->link_len = (rd_off(r) - pk->link_off);
	if (st != DEC_OK)
		return st;
	pk->ethertype = type;
	return DEC_OK;
}

enum dec_status decode_sll(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint16_t pkttype, halen, proto;
	uint8_t addr[8];

	pk->link_off = rd_off(r);
	pkttype = rd_be16(r);
	pk->sll_hatype = rd_be16(r);
	halen = rd_be16(r);
	rd_bytes(r, addr, sizeof addr);
	proto = rd_be16(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "Linux cooked header: %zu of %d bytes",
		    avail, SLL_HDR_LEN);
	pk->sll_pkttype = pkttype > 255 ? 255 : (uint8_t)pkttype;
	pk->sll_halen = halen > 255 ? 255 : (uint8_t)halen;
	return sll_finish(r, pk, addr, proto);
}

enum dec_status decode_sll2(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint16_t proto;
	uint8_t addr[8];

	pk->link_off = rd_off(r);
	proto = rd_be16(r);
	rd_skip(r, 2);
	pk->sll_ifindex = rd_be32(r);
	pk->sll_hatype = rd_be16(r);
	pk->sll_pkttype = rd_u8(r);
	pk->sll_halen = rd_u8(r);
	rd_bytes(r, addr, sizeof addr);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r),
		    "Linux cooked v2 header: %zu of %d bytes", avail, SLL2_HDR_LEN);
	return sll_finish(r, pk, addr, proto);
}

enum dec_status decode_raw(struct rd *r, struct dec_pkt *pk)
{
	unsigned version;

	pk->link_off = rd_off(r);
	pk->link_len = 0;
	if (!rd_has(r, 1))
		return decode_fail(pk, decode_cut(pk, r), "raw IP: empty packet");
	version = rd_peek_u8(r) >> 4;
	if (pk->linktype == DEC_DLT_IPV4 || (pk->linktype != DEC_DLT_IPV6 && version == 4))
		pk->ethertype = DEC_ETH_IPV4;
	else if (pk->linktype == DEC_DLT_IPV6 || version == 6)
		pk->ethertype = DEC_ETH_IPV6;
	else
		return decode_fail(pk, DEC_INVALID, "raw IP: version %u", version);
	return DEC_OK;
}

static enum dec_status null_family(struct dec_pkt *pk, uint32_t family)
{
	pk->null_family = family;
	switch (family) {
	case 2:
		pk->ethertype = DEC_ETH_IPV4;
		break;
	case 10: /* Linux */
	case 24: /* NetBSD, OpenBSD, BSD/OS */
	case 28: /* FreeBSD, DragonFly BSD */
	case 30: /* Darwin */
		pk->ethertype = DEC_ETH_IPV6;
		break;
	default:
		pk->ethertype = 0; /* OSI, IPX...: not decoded */
		break;
	}
	return DEC_OK;
}

enum dec_status decode_null(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint32_t family;

	pk->link_off = rd_off(r);
	family = rd_le32(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "loopback header: %zu of 4 bytes", avail);
	pk->link_len = 4;
	/* Host byte order of whoever captured: AF_ values fit in 16 bits, so
	 * a value in the upper half was written big-endian. */
	if ((family & 0xffff0000u) != 0)
		family = (family >> 24) | (family >> 8 & 0xff00u) | (family << 8 & 0xff0000u) |
		    family << 24;
	return null_family(pk, family);
}

enum dec_status decode_loop(struct rd *r, struct dec_pkt *pk)
{
	size_t avail = rd_left(r);
	uint32_t family;

	pk->link_off = rd_off(r);
	family = rd_be32(r);
	if (r->bad)
		return decode_fail(pk, decode_cut(pk, r), "loopback header: %zu of 4 bytes", avail);
	pk->link_len = 4;
	return null_family(pk, family);
}
