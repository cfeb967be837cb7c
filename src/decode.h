/* decode — packet decoders for the lab's captures.
 *
 * decode_packet() turns one captured frame into a struct dec_pkt: plain
 * data, no pointers, positions as offsets into the captured bytes. Each
 * layer has its own decoder (decode-<layer>.c) reading through the
 * bounds-checked cursor of rd.h; dispatch from link type to ethertype to
 * IP protocol goes through const tables. A decoder returns OK, TRUNC
 * (the capture ends inside a header) or INVALID (a field is impossible)
 * and fills what it could read before that. Lengths from the wire are
 * never trusted: what was captured bounds every read.
 *
 * Turning a dec_pkt into text (decode_summary, decode_fields, the name
 * helpers) is separate and lives in decode.c. */
#ifndef DOORWAY_DECODE_H
#define DOORWAY_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd;

enum dec_status {
	DEC_OK,    /* every header that was there decoded */
	DEC_TRUNC, /* the capture ends inside a header */
	DEC_INVALID /* a field is impossible (bad length, bad version...) */
};

/* Link types (pcap DLT_ / LINKTYPE_ numbers). */
#define DEC_DLT_NULL 0
#define DEC_DLT_EN10MB 1
#define DEC_DLT_RAW_BSD 12 /* DLT_RAW on Linux and most BSDs */
#define DEC_DLT_RAW_OPENBSD 14
#define DEC_DLT_RAW 101 /* LINKTYPE_RAW in files */
#define DEC_DLT_LOOP 108
#define DEC_DLT_LINUX_SLL 113
#define DEC_DLT_IPV4 228
#define DEC_DLT_IPV6 229
#define DEC_DLT_LINUX_SLL2 276

/* Ethertypes. */
#define DEC_ETH_IPV4 0x0800
#define DEC_ETH_ARP 0x0806
#define DEC_ETH_RARP 0x8035 /* RFC 903: ARP's format, operations 3 and 4 */
#define DEC_ETH_VLAN 0x8100 /* 802.1Q C-tag */
#define DEC_ETH_QINQ 0x88a8 /* 802.1ad S-tag */
#define DEC_ETH_QINQ_OLD 0x9100
#define DEC_ETH_IPV6 0x86dd

/* IP protocol numbers. */
#define DEC_IP_HOPOPTS 0
#define DEC_IP_ICMP 1
#define DEC_IP_TCP 6
#define DEC_IP_UDP 17
#define DEC_IP_ROUTING 43
#define DEC_IP_FRAGMENT 44
#define DEC_IP_ESP 50
#define DEC_IP_AH 51
#define DEC_IP_ICMPV6 58
#define DEC_IP_NONE 59
#define DEC_IP_DSTOPTS 60

/* TCP flags as in the header's low 12 bits (tcp_flags). */
#define DEC_TCP_FIN 0x001
#define DEC_TCP_SYN 0x002
#define DEC_TCP_RST 0x004
#define DEC_TCP_PSH 0x008
#define DEC_TCP_ACK 0x010
#define DEC_TCP_URG 0x020
#define DEC_TCP_ECE 0x040
#define DEC_TCP_CWR 0x080
#define DEC_TCP_AE 0x100 /* was NS (RFC 3540), now AccECN */

#define DEC_MAX_VLAN 2    /* QinQ: outer, inner */
#define DEC_MAX_EXT 8     /* IPv6 extension headers followed */
#define DEC_MAX_TCPOPT 40 /* 40 option bytes: at most 40 options */
#define DEC_MAX_NDOPT 8   /* ND options remembered */
#define DEC_WHYLEN 64

/* A remembered option or extension header: kind and where it is
 * (offsets in the captured packet). */
struct dec_opt {
	uint8_t kind;
	uint8_t len;
	uint32_t off;
};

/* The datagram quoted in an ICMP/ICMPv6 error, so that a "port
 * unreachable" can be matched to the datagram that caused it (and a
 * traceroute hop to its probe: the quoted TTL). */
struct dec_inner {
	int family;             /* AF_INET, AF_INET6 */
	uint8_t src[16], dst[16];
	uint8_t proto;          /* upper-layer protocol */
	uint8_t next_hdr;       /* IPv6: the fixed header's next header */
	uint8_t ttl, tos;
	uint8_t hdr_len;        /* IPv4 header length in bytes */
	uint32_t ip_total_len;  /* as quoted: the original datagram's */
	uint32_t ip_id;
	bool df, mf;
	uint16_t frag_off;
	uint32_t flow_label;
	bool has_ports;         /* quoted UDP/TCP ports */
	uint16_t sport, dport;
	uint16_t udp_len;
	bool has_seq;           /* TCP: the first 8 bytes carry the sequence number */
	uint32_t seq;
	bool has_icmp;          /* quoted ICMP header (e.g. an echo request) */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;
	uint32_t off, len;      /* quoted bytes in the packet */
};

struct dec_pkt {
	enum dec_status status; /* worst status of any layer */
	uint32_t caplen, wirelen;
	uint8_t nest;           /* >0 while decoding a quoted datagram */

	/* link */
	int linktype;
	uint32_t link_off, link_len; /* link header incl. VLAN tags */
	bool has_src_mac, has_dst_mac;   /* Ethernet: both; SLL: source only */
	uint8_t src_mac[6], dst_mac[6];
	bool has_vlan;
	uint8_t nvlan;
	uint16_t vlan[DEC_MAX_VLAN];     /* VLAN ids, outer first */
	uint8_t vlan_pcp[DEC_MAX_VLAN];
	uint16_t vlan_tpid[DEC_MAX_VLAN];
	uint16_t ethertype;              /* 0 when the link carries none */
	bool has_sll;                    /* Linux cooked: */
	uint8_t sll_pkttype;             /* 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing */
	uint16_t sll_hatype;             /* ARPHRD_ */
	uint8_t sll_halen;
	uint32_t sll_ifindex;            /* SLL2 only */
	uint32_t null_family;            /* NULL/LOOP: the AF_ value */

	/* ARP (RFC 826) */
	bool is_arp;
	uint16_t arp_htype, arp_ptype;
	uint8_t arp_hlen, arp_plen;
	uint16_t arp_op;
	bool arp_eth_ip;                 /* Ethernet/IPv4: the addresses below are set */
	uint8_t arp_sha[6], arp_tha[6];
	uint8_t arp_spa[4], arp_tpa[4];

	/* network */
	int family;                      /* 0, AF_INET, AF_INET6 */
	uint8_t src[16], dst[16];
	uint8_t ttl;                     /* TTL / hop limit */
	uint8_t tos;                     /* TOS / traffic class (DSCP << 2 | ECN) */
	uint32_t flow_label;
	uint32_t ip_id;                  /* IPv4 id, IPv6 fragment id */
	uint16_t ip_sum;
	bool df, mf;
	uint16_t frag_off;               /* in bytes */
	bool is_fragment;                /* MF or offset != 0 */
	bool has_ip_options;
	uint8_t proto;                   /* upper-layer protocol after IPv6 extension headers */
	uint32_t ip_total_len;           /* IPv4 total length, IPv6 40 + payload length */
	bool ip_len_from_frame;          /* IPv4 total length 0 (segmentation offload:
	                                  * TSO/LSO, BIG TCP): taken from the frame */
	uint32_t ip_payload_len;         /* what the IP header says follows it (and its ext. headers) */
	uint32_t net_off, net_len;       /* IP header incl. options and extension headers */
	uint8_t ext_hdrs;                /* IPv6 extension headers followed */

	/* ICMP / ICMPv6 */
	bool is_icmp;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_sum;
	uint16_t icmp_id, icmp_seq;      /* echo */
	uint32_t icmp_mtu;               /* frag needed / packet too big */
	uint32_t icmp_extra;             /* gateway (redirect), pointer (param. problem) */
	bool has_inner;
	bool has_nd_target;              /* NS, NA, redirect */
	uint8_t nd_target[16];
	uint8_t nd_flags;                /* NA: R S O in the top bits; RA: M O ... */
	uint8_t ra_hop_limit;
	uint16_t ra_lifetime;
	bool has_nd_sll, has_nd_tll;
	uint8_t nd_sll[6], nd_tll[6];
	bool has_nd_mtu;
	uint32_t nd_mtu;
	bool has_nd_prefix;
	uint8_t nd_prefix[16], nd_prefix_len;
	uint8_t nd_nopts;                /* options seen (first DEC_MAX_NDOPT kept) */
	uint16_t mld_nrec;               /* MLDv2 report: number of records */

	/* UDP and TCP */
	bool is_udp, is_tcp;
	bool has_ports;
	uint16_t sport, dport;
	uint16_t udp_len, udp_sum;
	uint32_t seq, ack;
	uint16_t tcp_flags;              /* DEC_TCP_* */
	uint16_t window, tcp_sum, urg_ptr;
	uint8_t data_off;                /* in 32-bit words, as on the wire */
	bool has_mss, has_wscale, sack_perm, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;
	uint8_t ntcpopt;

	/* transport header position */
	uint32_t tp_off, tp_len;

	/* payload: within the captured bytes; payload_len is what was
	 * captured, payload_wirelen what the headers say. Payload cut by the
	 * snap length alone leaves status OK. */
	uint32_t payload_off, payload_len;
	uint32_t payload_wirelen;

	/* Below: filled as far as their counts and flags say (why when
	 * status != DEC_OK, ext[] up to ext_hdrs, inner when has_inner,
	 * nd_opt[] up to nd_nopts, sack[] up to nsack, tcpopt[] up to
	 * ntcpopt); decode_packet does not clear them, so reading one packet
	 * costs what its headers cost, not the size of this struct. */
	char why[DEC_WHYLEN];   /* the first thing that was wrong */
	struct dec_opt ext[DEC_MAX_EXT]; /* kind = header type, len = bytes/8 capped at 255 */
	struct dec_inner inner;
	struct dec_opt nd_opt[DEC_MAX_NDOPT]; /* len in 8-byte units as on the wire */
	uint32_t sack[4][2];             /* left, right edges */
	struct dec_opt tcpopt[DEC_MAX_TCPOPT]; /* len as on the wire (1 for EOL/NOP) */
};

/* Decode one captured frame. data holds caplen bytes; wirelen is the
 * frame's length on the wire. Never reads outside data. */
enum dec_status decode_packet(int linktype, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen, struct dec_pkt *out);

/* True when decode_packet knows the link type. */
bool decode_linktype_ok(int linktype);

/* Per-layer decoders: read from the cursor, fill out, fold their status
 * into out->status (with the reason in out->why) and return the status so
 * far. Link decoders set ethertype; network decoders bound the cursor by
 * their length field and call decode_transport on the payload. Fields read
 * before a header was found cut or impossible are kept. */
enum dec_status decode_eth(struct rd *, struct dec_pkt *);
enum dec_status decode_sll(struct rd *, struct dec_pkt *);
enum dec_status decode_sll2(struct rd *, struct dec_pkt *);
enum dec_status decode_raw(struct rd *, struct dec_pkt *);
enum dec_status decode_null(struct rd *, struct dec_pkt *);
enum dec_status decode_loop(struct rd *, struct dec_pkt *);
enum dec_status decode_arp(struct rd *, struct dec_pkt *);
enum dec_status decode_ipv4(struct rd *, struct dec_pkt *);
enum dec_status decode_ipv6(struct rd *, struct dec_pkt *);
enum dec_status decode_icmp(struct rd *, struct dec_pkt *);
enum dec_status decode_icmp6(struct rd *, struct dec_pkt *);
enum dec_status decode_udp(struct rd *, struct dec_pkt *);
enum dec_status decode_tcp(struct rd *, struct dec_pkt *);

/* Dispatch tables (decode.c): by ethertype after the link header, by IP
 * protocol after the network header. Unknown values are not errors: the
 * rest becomes payload. */
enum dec_status decode_ethertype(struct rd *, struct dec_pkt *);
enum dec_status decode_transport(struct rd *, struct dec_pkt *);

/* Helpers for the decoders. */
/* Record a layer's status: the worst is kept, with the first reason given
 * for it; returns st. */
enum dec_status decode_fail(struct dec_pkt *, enum dec_status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The status for a header cut short in r: TRUNC when r ends where the
 * capture ends and the capture is shorter than the frame, else INVALID
 * (a length field of an outer header left no room for it). */
enum dec_status decode_cut(const struct dec_pkt *, const struct rd *);
/* The rest of r is payload of wirelen bytes as the headers say. */
void decode_set_payload(const struct rd *, struct dec_pkt *, uint32_t wirelen);
/* 802.1Q/802.1ad tags while *type is a TPID (decode-eth.c). */
enum dec_status decode_vlan_tags(struct rd *, struct dec_pkt *, uint16_t *type);
/* The datagram quoted by an ICMP(v6) error: the rest of r (decode-icmp.c). */
enum dec_status decode_quoted(struct rd *, struct dec_pkt *, int family);

/* Text. */
const char *decode_status_name(enum dec_status);
const char *decode_linktype_name(int linktype);
const char *decode_ethertype_name(uint16_t ethertype); /* NULL when unknown */
const char *decode_proto_name(uint8_t proto);          /* NULL when unknown */
const char *decode_icmp_name(int family, uint8_t type, uint8_t code);
/* The one TCP flag formatter: the names of the flags set, in the order SYN
 * FIN RST PSH ACK URG ECE CWR AE, joined by sep ("SYN,ACK" with ",";
 * decode_summary writes "[SYN, ACK]"), "" when none is set. */
void decode_tcp_flags(uint16_t flags, const char *sep, char *out, size_t outlen);
/* ARP operation: "request", "reply", "reverse request" (RARP, RFC 903),
 * "reverse reply", "InARP request" (RFC 2390), "InARP reply", NULL else. */
const char *decode_arp_op_name(uint16_t op);
/* Address text: "192.0.2.1", "2001:db8::1", "aa:bb:cc:dd:ee:ff". */
void decode_addr(int family, const uint8_t *addr, char *out, size_t outlen);
void decode_mac(const uint8_t mac[6], char *out, size_t outlen);

/* One line, e.g. "192.0.2.1:40000 → 192.0.2.2:9000 UDP 5 bytes",
 * "... TCP [SYN] seq=1 win=65495 mss=65495". */
void decode_summary(const struct dec_pkt *, char *out, size_t outlen);

/* The one packet labeller: a short label for ladders, the stage and the
 * JSON summary, made from a decoded packet and, for a quoted payload, its
 * captured bytes (data may be NULL):
 *   "TCP SYN,ACK", "TCP PSH,ACK 5 \"hello\"", "UDP 5 \"hello\"",
 *   "ICMP echo request seq=1", "ICMPv6 port unreachable",
 *   "ARP who-has 192.0.2.2 tell 192.0.2.1", "ARP 192.0.2.2 is-at MAC",
 *   "RARP who-is MAC tell MAC", "RARP MAC is-at 192.0.2.5", "ARP op 7".
 * A packet whose decoder found it cut short or impossible says so
 * ("TCP ACK,URG (truncated)"). DEC_LABEL_SHORT (the stage's envelopes):
 * TCP and UDP without their name and lengths, TCP without PSH ("SYN,ACK",
 * "\"hello\"", "ACK \"hello\"", "ACK data"). */
#define DEC_LABEL_SHORT 1u
void decode_label(const struct dec_pkt *, const uint8_t *data, unsigned flags, char *out,
    size_t outlen);

/* Layered detail for the packet-detail pane. */
enum dec_layer { DEC_LAYER_LINK, DEC_LAYER_NET, DEC_LAYER_TRANSPORT, DEC_LAYER_APP };
struct dec_field {
	int layer;       /* enum dec_layer */
	char name[24];
	char value[96];
	uint32_t off, len; /* bytes in the packet; len 0 for a note */
};
/* Fill at most max fields for a packet decoded from data (its caplen
 * bytes); returns how many. Fields whose bytes were not captured are left
 * out. */
size_t decode_fields(const struct dec_pkt *, const uint8_t *data, struct dec_field *out,
    size_t max);

#endif
