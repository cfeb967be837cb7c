/* nl — the few rtnetlink operations the lab needs, over libmnl.
 *
 * A struct nl is one NETLINK_ROUTE socket; a netlink socket belongs to the
 * network namespace it was created in, so the lab keeps one per namespace
 * (open it while the caller is inside that namespace). Every function returns
 * 0, or -1 with a message naming the operation and the object in err
 * (UTIL_ERRLEN bytes), e.g. "create veth h-alice: Operation not permitted". */
#ifndef DOORWAY_NL_H
#define DOORWAY_NL_H

#include <stdbool.h>
#include <stdint.h>

struct nl;

struct nl *nl_open(char *err);
void nl_close(struct nl *nl);

/* Interface index by name in this socket's namespace, 0 if absent. */
unsigned nl_ifindex(struct nl *nl, const char *name);

/* Create a bridge named name (STP off, forward delay 0), IPv6 address
 * generation off (no link-local, so no DAD/MLD noise on the lab side). */
int nl_bridge_add(struct nl *nl, const char *name, char *err);

/* Create a veth pair: name stays in this namespace, peer is created directly
 * inside the namespace given by peer_netns_fd (an open /proc/.../ns/net fd)
 * under the name peer_name. IPv6 address generation off on name. */
int nl_veth_add(struct nl *nl, const char *name, const char *peer_name,
		int peer_netns_fd, char *err);

/* Attach interface to a bridge (IFLA_MASTER). */
int nl_set_master(struct nl *nl, const char *ifname, const char *bridge, char *err);

/* Bring a link up (IFF_UP). */
int nl_link_up(struct nl *nl, const char *ifname, char *err);

/* Turn IPv6 link-local address generation off on a link
 * (IFLA_INET6_ADDR_GEN_MODE = IN6_ADDR_GEN_MODE_NONE). */
int nl_addr_gen_none(struct nl *nl, const char *ifname, char *err);

/* Add an address: family AF_INET (addr 4 bytes) or AF_INET6 (16 bytes),
 * with prefix length; IPv6 addresses are added with IFA_F_NODAD so they are
 * usable at once. For IPv6 it also waits (poll, at most a few seconds) until
 * the kernel has joined the address's solicited-node multicast group, which
 * it does later from deferred work: before that, neighbour solicitations for
 * the address go unanswered and the first packet to it is delayed by 1 s. */
int nl_addr_add(struct nl *nl, const char *ifname, int family,
		const uint8_t *addr, int prefix, char *err);

/* Add an on-link route to dst/prefix through ifname (scope link, no gateway). */
int nl_route_add(struct nl *nl, const char *ifname, int family,
		 const uint8_t *dst, int prefix, char *err);

/* Delete a link by name (the peer of a veth goes with it). */
int nl_link_del(struct nl *nl, const char *ifname, char *err);

#endif
