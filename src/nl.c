/* nl — the few rtnetlink operations the lab needs, over libmnl.
 *
 * Namespaces: a NETLINK_ROUTE socket is bound, for its whole life, to the
 * network namespace that was current when socket() ran. Every request sent on
 * it acts on that namespace, whatever namespace the calling thread has entered
 * since. So nl_open() is the only function here that depends on the caller's
 * current namespace; everything else works on the socket's namespace, and the
 * lab keeps one struct nl per namespace it manages. This is also why
 * nl_ifindex() asks the kernel (RTM_GETLINK) instead of calling
 * if_nametoindex(), which answers for the caller's current namespace.
 *
 * Every request carries NLM_F_ACK; nl_talk() reads until the ACK (or error)
 * whose sequence number and port id match, so a failure is always reported
 * against the request that caused it. The socket asks for extended ACKs, and
 * the kernel's explanation, when it gives one, is appended to the message:
 *   "create veth h-alice: File exists"
 *   "add route 198.51.100.1/24 via eth0: Invalid argument (Invalid prefix for given prefix length)" */
#include "nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "util.h"

/* Requests are small (a name, a few attributes); replies to RTM_GETLINK of a
 * single link are a few kilobytes. */
#define NL_REQLEN 1024
#define NL_RBUFLEN 32768
/* How long nl_addr_add waits for the kernel to finish setting up an IPv6
 * address (normally well under a millisecond; it needs the RTNL lock). */
#define NL_ADDR_WAIT_MS 5000

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	unsigned long foreign; /* messages read that answered no request */
	char extack[UTIL_ERRLEN]; /* kernel's message for the last failure */
	_Alignas(8) char rbuf[NL_RBUFLEN];
};

struct nl_req {
	_Alignas(8) char buf[NL_REQLEN];
};

/* Called for every reply to a request other than its ACK. */
typedef void (*nl_reply_fn)(const struct nlmsghdr *nlh, void *arg);

struct nl *nl_open(char *err)
{
	struct nl *nl = xcalloc(1, sizeof(*nl));
	int one = 1;

	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock) {
		util_err(err, "open netlink socket: %s", strerror(errno));
		free(nl);
		return NULL;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		util_err(err, "bind netlink socket: %s", strerror(errno));
		nl_close(nl);
		return NULL;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Both options only improve error reports (kernel's text, shorter
	 * error messages): old kernels without them still work. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 &&
	    errno != ENOPROTOOPT) {
		util_err(err, "set NETLINK_EXT_ACK on netlink socket: %s", strerror(errno));
		nl_close(nl);
		return NULL;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one)) < 0 &&
	    errno != ENOPROTOOPT) {
		util_err(err, "set NETLINK_CAP_ACK on netlink socket: %s", strerror(errno));
		nl_close(nl);
		return NULL;
	}
	return nl;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

static int nl_extack_attr(const struct nlattr *a, void *arg)
{
	char *out = arg;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(out, UTIL_ERRLEN, "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* The NLMSGERR_ATTR_MSG text of an error message, if the kernel sent one.
 * The TLVs follow struct nlmsgerr, after the echoed request unless the echo
 * was capped to its header (NETLINK_CAP_ACK). */
static void nl_parse_extack(const struct nlmsghdr *nlh, char *out)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return;
		off += MNL_ALIGN(e->msg.nlmsg_len) - sizeof(struct nlmsghdr);
	}
	if (off >= len)
		return;
	mnl_attr_parse_payload((const char *)e + off, len - off, nl_extack_attr, out);
}

/* Send one request (NLM_F_ACK is added) and read until its ACK. Returns 0, or
 * -1 with errno set and the kernel's explanation, if any, in nl->extack. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_reply_fn fn, void *arg)
{
	unsigned seq = ++nl->seq;

	nl->extack[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0; /* to the kernel */
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, sizeof(nl->rbuf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		int left = (int)n;
		const struct nlmsghdr *m = (const struct nlmsghdr *)nl->rbuf;
		for (; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != nl->portid) {
				nl->foreign++; /* notification, or stale reply */
				continue;
			}
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);
				if (mnl_nlmsg_get_payload_len(m) < sizeof(*e)) {
					errno = EBADMSG;
					return -1;
				}
				if (e->error == 0)
					return 0;
				nl_parse_extack(m, nl->extack);
				errno = -e->error;
				return -1;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				/* The end of a dump carries its status. */
				int status = 0;
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(status))
					memcpy(&status, mnl_nlmsg_get_payload(m), sizeof(status));
				if (status < 0) {
					errno = -status;
					return -1;
				}
				return 0;
			}
			if (m->nlmsg_type >= NLMSG_MIN_TYPE && fn)
				fn(m, arg);
		}
	}
}

/* Fill err with "<operation and object>: <strerror(errno)> (<kernel's text>)". */
__attribute__((format(printf, 3, 4)))
static int nl_fail(struct nl *nl, char *err, const char *fmt, ...)
{
	int errnum = errno;
	char what[UTIL_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (nl && nl->extack[0])
		return util_err(err, "%s: %s (%s)", what, strerror(errnum), nl->extack);
	return util_err(err, "%s: %s", what, strerror(errnum));
}

/* Interface names travel as NUL-terminated IFLA_IFNAME (at most IFNAMSIZ
 * bytes with the NUL); refuse longer ones here rather than let the kernel
 * truncate or reject them with a less helpful error. */
static bool nl_name_ok(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len < IFNAMSIZ;
}

static struct nlmsghdr *nl_link_msg(struct nl_req *r, uint16_t type, uint16_t flags,
				    struct ifinfomsg **ifm)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	*ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(**ifm));
	(*ifm)->ifi_family = AF_UNSPEC;
	return nlh;
}

static void nl_ifindex_reply(const struct nlmsghdr *nlh, void *arg)
{
	unsigned *index = arg;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifm) && ifm->ifi_index > 0)
		*index = (unsigned)ifm->ifi_index;
}

/* RTM_GETLINK by name. 0, or -1 with errno (ENODEV if there is no such link). */
static int nl_lookup(struct nl *nl, const char *name, unsigned *index)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_GETLINK, 0, &ifm);

	*index = 0;
	if (!nl_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nl_talk(nl, nlh, nl_ifindex_reply, index) < 0)
		return -1;
	if (*index == 0) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

unsigned nl_ifindex(struct nl *nl, const char *name)
{
	unsigned index;
	return nl_lookup(nl, name, &index) < 0 ? 0 : index;
}

/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE = NONE } }. */
static void nl_put_addr_gen_none(struct nlmsghdr *nlh)
{
	struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, spec);
}

int nl_addr_gen_none(struct nl *nl, const char *ifname, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_SETLINK, 0, &ifm);

	if (!nl_name_ok(ifname))
		return util_err(err, "set addr-gen-mode none on %s: invalid interface name", ifname);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	nl_put_addr_gen_none(nlh);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "set addr-gen-mode none on %s", ifname);
	return 0;
}

/* IPv6 address generation is switched off by a second request: the kernel
 * (6.x) refuses IFLA_AF_SPEC/AF_INET6 in a creating RTM_NEWLINK with
 * EAFNOSUPPORT, as the link's IPv6 state does not exist yet. The new link is
 * down until someone brings it up, so no link-local address exists before the
 * mode is set. */
int nl_bridge_add(struct nl *nl, const char *name, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm);

	if (!nl_name_ok(name))
		return util_err(err, "create bridge %s: invalid interface name", name);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* A forward delay under 2 s is accepted only while STP is off, which it
	 * is for a new bridge; say so anyway rather than rely on the default. */
	mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, 0);
	mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "create bridge %s", name);
	return nl_addr_gen_none(nl, name, err);
}

int nl_veth_add(struct nl *nl, const char *name, const char *peer_name,
		int peer_netns_fd, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm, *peer_ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm);

	if (!nl_name_ok(name))
		return util_err(err, "create veth %s: invalid interface name", name);
	if (!nl_name_ok(peer_name))
		return util_err(err, "create veth %s: invalid peer name %s", name, peer_name);
	if (peer_netns_fd < 0)
		return util_err(err, "create veth %s: no namespace for peer %s", name, peer_name);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds a whole link description: ifinfomsg, then attributes. */
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer_ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer_ifm));
	peer_ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "create veth %s (peer %s)", name, peer_name);
	return nl_addr_gen_none(nl, name, err);
}

int nl_set_master(struct nl *nl, const char *ifname, const char *bridge, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_SETLINK, 0, &ifm);
	unsigned br;

	if (!nl_name_ok(ifname))
		return util_err(err, "attach %s to %s: invalid interface name", ifname, bridge);
	if (nl_lookup(nl, bridge, &br) < 0)
		return nl_fail(nl, err, "attach %s to %s: bridge %s", ifname, bridge, bridge);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_MASTER, br);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "attach %s to %s", ifname, bridge);
	return 0;
}

int nl_link_up(struct nl *nl, const char *ifname, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_SETLINK, 0, &ifm);

	if (!nl_name_ok(ifname))
		return util_err(err, "bring %s up: invalid interface name", ifname);
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "bring %s up", ifname);
	return 0;
}

int nl_link_del(struct nl *nl, const char *ifname, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = nl_link_msg(&r, RTM_DELLINK, 0, &ifm);

	if (!nl_name_ok(ifname))
		return util_err(err, "delete link %s: invalid interface name", ifname);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "delete link %s", ifname);
	return 0;
}

/* Address length for family, 0 if unsupported. */
static size_t nl_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* "192.0.2.1/24" or "2001:db8::1/64" for messages. */
static void nl_fmt_prefix(char *out, size_t outlen, int family, const uint8_t *addr, int prefix)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(out, outlen, "%s/%d", a, prefix);
}

#ifndef RTM_NEWMULTICAST
#define RTM_NEWMULTICAST 56 /* linux/rtnetlink.h since 6.13 */
#endif

struct nl_mcast_find {
	unsigned index;
	uint8_t group[16];
	bool found;
};

static void nl_mcast_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_mcast_find *f = arg;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if ((nlh->nlmsg_type != RTM_GETMULTICAST && nlh->nlmsg_type != RTM_NEWMULTICAST) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) ||
	    ifa->ifa_family != AF_INET6 || ifa->ifa_index != f->index)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(a) == IFA_MULTICAST &&
		    mnl_attr_get_payload_len(a) == sizeof(f->group) &&
		    memcmp(mnl_attr_get_payload(a), f->group, sizeof(f->group)) == 0)
			f->found = true;
	}
}

/* Is f->group joined on f->index? One RTM_GETMULTICAST dump. */
static int nl_mcast_check(struct nl *nl, struct nl_mcast_find *f)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r.buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETMULTICAST;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	f->found = false;
	return nl_talk(nl, nlh, nl_mcast_reply, f);
}

/* The kernel answers neighbour solicitations for an IPv6 address only once it
 * has joined the address's solicited-node group (ff02::1:ffXX:XXXX, RFC 4291
 * 2.7.1). It does so from deferred work (addrconf_dad_work, which needs the
 * RTNL lock), even for IFA_F_NODAD addresses, which look ready at once: until
 * then solicitations for the address are dropped and the first packet sent to
 * it waits for a retransmission, a second later. So wait for the join: check
 * with a dump; if it has not happened, sleep in poll() until the kernel sends
 * an address notification (it does when that work completes), and check
 * again. Counting the notifications read by nl_talk closes the race between
 * a check and the poll. */
static int nl_wait_solicited(struct nl *nl, unsigned index, const uint8_t *addr)
{
	static const uint8_t prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff };
	struct nl_mcast_find f = { .index = index };
	uint64_t deadline = util_now_mono_ns() + NL_ADDR_WAIT_MS * UINT64_C(1000000);
	int group = RTNLGRP_IPV6_IFADDR, rc = -1, e;

	memcpy(f.group, prefix, sizeof(prefix));
	memcpy(f.group + sizeof(prefix), addr + sizeof(prefix), sizeof(f.group) - sizeof(prefix));
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return -1;
	for (;;) {
		unsigned long seen = nl->foreign;
		if (nl_mcast_check(nl, &f) < 0)
			break;
		if (f.found) {
			rc = 0;
			break;
		}
		uint64_t now = util_now_mono_ns();
		if (now >= deadline) {
			errno = ETIMEDOUT;
			break;
		}
		if (nl->foreign != seen)
			continue; /* a notification came during the dump */
		struct pollfd p = { .fd = mnl_socket_get_fd(nl->sock), .events = POLLIN };
		if (poll(&p, 1, (int)((deadline - now + 999999) / 1000000)) < 0 && errno != EINTR)
			break;
	}
	e = errno;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_DROP_MEMBERSHIP, &group, sizeof(group)) < 0 &&
	    rc == 0)
		return -1;
	errno = e;
	return rc;
}

int nl_addr_add(struct nl *nl, const char *ifname, int family,
		const uint8_t *addr, int prefix, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	size_t alen = nl_addr_len(family);
	char what[INET6_ADDRSTRLEN + 8];
	unsigned index;

	if (alen == 0)
		return util_err(err, "add address to %s: unsupported address family %d", ifname, family);
	nl_fmt_prefix(what, sizeof(what), family, addr, prefix);
	if (prefix < 0 || (size_t)prefix > alen * 8)
		return util_err(err, "add address %s to %s: invalid prefix length", what, ifname);
	if (nl_lookup(nl, ifname, &index) < 0)
		return nl_fail(nl, err, "add address %s to %s", what, ifname);

	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r.buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_flags = (uint8_t)flags; /* IFA_FLAGS wins where known */
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = index;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "add address %s to %s", what, ifname);
	if (family == AF_INET6 && nl_wait_solicited(nl, index, addr) < 0)
		return nl_fail(nl, err, "add address %s to %s: wait for its solicited-node group",
			       what, ifname);
	return 0;
}

int nl_route_add(struct nl *nl, const char *ifname, int family,
		 const uint8_t *dst, int prefix, char *err)
{
	struct nl_req r = { 0 }; /* padding bytes go to the kernel too */
	size_t alen = nl_addr_len(family);
	char what[INET6_ADDRSTRLEN + 8];
	unsigned index;

	if (alen == 0)
		return util_err(err, "add route via %s: unsupported address family %d", ifname, family);
	nl_fmt_prefix(what, sizeof(what), family, dst, prefix);
	if (prefix < 0 || (size_t)prefix > alen * 8)
		return util_err(err, "add route %s via %s: invalid prefix length", what, ifname);
	if (nl_lookup(nl, ifname, &index) < 0)
		return nl_fail(nl, err, "add route %s via %s", what, ifname);

	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r.buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC; /* set up by doorway, not by a daemon */
	rtm->rtm_scope = RT_SCOPE_LINK;    /* on-link: no gateway */
	rtm->rtm_type = RTN_UNICAST;
	if (prefix > 0)
		mnl_attr_put(nlh, RTA_DST, alen, dst);
	mnl_attr_put_u32(nlh, RTA_OIF, index);
	if (nl_talk(nl, nlh, NULL, NULL) < 0)
		return nl_fail(nl, err, "add route %s via %s", what, ifname);
	return 0;
}
