/* Tests for nl against the real kernel: the process enters its own user +
 * network namespace (works unprivileged), builds a two-host lab the way the
 * lab module will — bridge dw0, veths h-a/h-b whose peers are born as eth0
 * inside host namespaces A and B — and checks that datagrams cross it.
 *
 *   lab ns:   dw0 ── h-a ┄┄ eth0 (ns A) 192.0.2.1/24 2001:db8::1/64
 *                 └─ h-b ┄┄ eth0 (ns B) 192.0.2.2/24 2001:db8::2/64
 *
 * The tests run in order and share the lab built by the group setup. */
#include "nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util.h"

#define NHOSTS 2

struct lab {
	bool skip;
	int lab_fd;            /* the lab's network namespace */
	int host_fd[NHOSTS];   /* each host's network namespace */
	struct nl *lab;        /* socket in the lab namespace */
	struct nl *host[NHOSTS];
};

static const char *const veth_name[NHOSTS] = { "h-a", "h-b" };

static void ok(int rc, const char *err)
{
	if (rc != 0)
		fail_msg("%s", err);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (util_write_all(fd, s, strlen(s)) < 0)
		fail_msg("write %s to %s: %s", s, path, strerror(errno));
	close(fd);
}

/* Contents of a small file (first line or so), "" if absent. */
static void read_file(const char *path, char *out, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static int open_netns_self(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open /proc/self/ns/net: %s", strerror(errno));
	return fd;
}

static void enter(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET) < 0)
		fail_msg("setns: %s", strerror(errno));
}

/* A socket created inside namespace nsfd; it stays there after we return to
 * the lab namespace. */
static int socket_in(struct lab *t, int nsfd, int family)
{
	enter(nsfd);
	int s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int e = errno;
	enter(t->lab_fd);
	if (s < 0)
		fail_msg("socket: %s", strerror(e));
	return s;
}

static void sa_make(struct sockaddr_storage *ss, socklen_t *len, int family,
		    const char *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		assert_int_equal(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, addr, &sin6->sin6_addr), 1);
		*len = sizeof(*sin6);
	}
}

/* ---- the lab, built once ---------------------------------------------- */

static int enter_userns(struct lab *t)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		if (errno == EPERM || errno == ENOSPC || errno == EINVAL) {
			print_message("skipping nl tests: unshare(CLONE_NEWUSER|CLONE_NEWNET): %s"
				      " (user namespaces disabled? see"
				      " kernel.unprivileged_userns_clone, user.max_user_namespaces)\n",
				      strerror(errno));
			t->skip = true;
			return 0;
		}
		fail_msg("unshare(CLONE_NEWUSER|CLONE_NEWNET): %s", strerror(errno));
	}
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	return 0;
}

/* Add an address to eth0 of host i. For IPv6, nl_addr_add promises the
 * kernel answers neighbour solicitations for it when it returns: the
 * solicited-node group must be in the host's /proc/net/igmp6 right now. */
static void addr_add(struct lab *t, int i, int family, const char *addr, int prefix)
{
	uint8_t a[16];
	char err[UTIL_ERRLEN], buf[4096], group[64];

	assert_int_equal(inet_pton(family, addr, a), 1);
	ok(nl_addr_add(t->host[i], "eth0", family, a, prefix, err), err);
	if (family != AF_INET6)
		return;
	enter(t->host_fd[i]);
	read_file("/proc/net/igmp6", buf, sizeof(buf));
	enter(t->lab_fd);
	snprintf(group, sizeof(group), "eth0            ff0200000000000000000001ff%02x%02x%02x",
		 a[13], a[14], a[15]);
	if (!strstr(buf, group))
		fail_msg("host %d has not joined the solicited-node group of %s:\n%s", i, addr, buf);
}

static int group_setup(void **state)
{
	struct lab *t = calloc(1, sizeof(*t));
	char err[UTIL_ERRLEN];

	assert_non_null(t);
	*state = t;
	t->lab_fd = -1;
	for (int i = 0; i < NHOSTS; i++)
		t->host_fd[i] = -1;
	enter_userns(t);
	if (t->skip)
		return 0;
	t->lab_fd = open_netns_self();

	/* Host namespaces: a netlink socket opened inside each, lo up. */
	for (int i = 0; i < NHOSTS; i++) {
		if (unshare(CLONE_NEWNET) < 0)
			fail_msg("unshare(CLONE_NEWNET): %s", strerror(errno));
		t->host_fd[i] = open_netns_self();
		t->host[i] = nl_open(err);
		if (!t->host[i])
			fail_msg("%s", err);
		ok(nl_link_up(t->host[i], "lo", err), err);
		enter(t->lab_fd);
	}

	/* The lab side. */
	t->lab = nl_open(err);
	if (!t->lab)
		fail_msg("%s", err);
	ok(nl_bridge_add(t->lab, "dw0", err), err);
	ok(nl_link_up(t->lab, "dw0", err), err);
	for (int i = 0; i < NHOSTS; i++) {
		ok(nl_veth_add(t->lab, veth_name[i], "eth0", t->host_fd[i], err), err);
		ok(nl_set_master(t->lab, veth_name[i], "dw0", err), err);
		ok(nl_link_up(t->lab, veth_name[i], err), err);
	}

	/* Inside the hosts, through their sockets, from the lab namespace. */
	for (int i = 0; i < NHOSTS; i++)
		ok(nl_link_up(t->host[i], "eth0", err), err);
	addr_add(t, 0, AF_INET, "192.0.2.1", 24);
	addr_add(t, 1, AF_INET, "192.0.2.2", 24);
	addr_add(t, 0, AF_INET6, "2001:db8::1", 64);
	addr_add(t, 1, AF_INET6, "2001:db8::2", 64);
	return 0;
}

static int group_teardown(void **state)
{
	struct lab *t = *state;

	if (!t)
		return 0;
	nl_close(t->lab);
	for (int i = 0; i < NHOSTS; i++) {
		nl_close(t->host[i]);
		if (t->host_fd[i] >= 0)
			close(t->host_fd[i]);
	}
	if (t->lab_fd >= 0)
		close(t->lab_fd);
	free(t);
	return 0;
}

static struct lab *lab_of(void **state)
{
	struct lab *t = *state;
	if (t->skip)
		skip();
	return t;
}

/* ---- reading a link back (RTM_GETLINK) ------------------------------- */

struct linkinfo {
	bool is_bridge;
	bool have_stp, have_fd;
	uint32_t stp_state, forward_delay;
	unsigned master;
};

static int br_data_attr(const struct nlattr *a, void *arg)
{
	struct linkinfo *li = arg;

	if (mnl_attr_get_type(a) == IFLA_BR_STP_STATE &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		li->have_stp = true;
		li->stp_state = mnl_attr_get_u32(a);
	} else if (mnl_attr_get_type(a) == IFLA_BR_FORWARD_DELAY &&
		   mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		li->have_fd = true;
		li->forward_delay = mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

static int linkinfo_attr(const struct nlattr *a, void *arg)
{
	struct linkinfo *li = arg;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
		li->is_bridge = strncmp(mnl_attr_get_str(a), "bridge",
					mnl_attr_get_payload_len(a)) == 0;
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, br_data_attr, li);
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *a, void *arg)
{
	struct linkinfo *li = arg;

	if (mnl_attr_get_type(a) == IFLA_LINKINFO)
		mnl_attr_parse_nested(a, linkinfo_attr, li);
	else if (mnl_attr_get_type(a) == IFLA_MASTER &&
		 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		li->master = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* The lab's namespace is the current one here, so a fresh socket sees it. */
static void link_get(const char *name, struct linkinfo *li)
{
	_Alignas(8) char buf[16384];
	struct mnl_socket *s = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	memset(li, 0, sizeof(*li));
	assert_non_null(s);
	assert_int_equal(mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID), 0);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	assert_true(mnl_socket_sendto(s, nlh, nlh->nlmsg_len) > 0);
	ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));
	assert_true(n > 0);
	nlh = (struct nlmsghdr *)buf;
	assert_true(mnl_nlmsg_ok(nlh, (int)n));
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(mnl_attr_parse(nlh, sizeof(*ifm), link_attr, li), MNL_CB_OK);
	mnl_socket_close(s);
}

/* ---- tests ------------------------------------------------------------ */

/* A socket answers for its own namespace, not for the caller's. */
static void test_ifindex_per_namespace(void **state)
{
	struct lab *t = lab_of(state);

	for (int i = 0; i < NHOSTS; i++) {
		assert_true(nl_ifindex(t->host[i], "eth0") > 0);
		assert_int_equal(nl_ifindex(t->host[i], "lo"), 1);
		assert_int_equal(nl_ifindex(t->host[i], "dw0"), 0);
		assert_int_equal(nl_ifindex(t->host[i], veth_name[i]), 0);
		assert_true(nl_ifindex(t->lab, veth_name[i]) > 0);
	}
	assert_int_equal(nl_ifindex(t->lab, "eth0"), 0);
	assert_true(nl_ifindex(t->lab, "dw0") > 0);
	assert_int_equal(nl_ifindex(t->lab, "nosuch0"), 0);
	assert_int_equal(nl_ifindex(t->lab, "a-name-far-too-long-for-linux"), 0);
	/* ... while if_nametoindex answers for the current (lab) namespace. */
	assert_int_equal(if_nametoindex("eth0"), 0);
	assert_int_equal(if_nametoindex("dw0"), nl_ifindex(t->lab, "dw0"));
}

static void test_bridge_settings(void **state)
{
	struct lab *t = lab_of(state);
	struct linkinfo li;
	char buf[4096], path[128];
	unsigned dw0 = nl_ifindex(t->lab, "dw0");

	link_get("dw0", &li);
	assert_true(li.is_bridge);
	assert_true(li.have_stp);
	assert_int_equal(li.stp_state, 0);
	assert_true(li.have_fd);
	assert_int_equal(li.forward_delay, 0);
	for (int i = 0; i < NHOSTS; i++) {
		link_get(veth_name[i], &li);
		assert_int_equal(li.master, dw0);
	}

	/* No IPv6 address generation on the lab side: no link-local at all.
	 * /proc/sys/net and /proc/net follow the current (lab) namespace. */
	const char *names[] = { "dw0", "h-a", "h-b" };
	for (size_t i = 0; i < UTIL_ARRAY_LEN(names); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/addr_gen_mode", names[i]);
		read_file(path, buf, sizeof(buf));
		assert_string_equal(buf, "1\n"); /* IN6_ADDR_GEN_MODE_NONE */
	}
	read_file("/proc/net/if_inet6", buf, sizeof(buf));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(names); i++) {
		char needle[32];
		snprintf(needle, sizeof(needle), " %s\n", names[i]);
		if (strstr(buf, needle))
			fail_msg("%s has an IPv6 address:\n%s", names[i], buf);
	}
}

/* host A → host B across the bridge; returns once the datagram arrived. */
static void udp_across(struct lab *t, int family, const char *src, const char *dst,
		       uint16_t port)
{
	struct sockaddr_storage to, bind_to, from;
	socklen_t tolen, bindlen, fromlen = sizeof(from);
	char any[INET6_ADDRSTRLEN], got[64], fromstr[INET6_ADDRSTRLEN];
	const char msg[] = "hello through doorway";

	int rx = socket_in(t, t->host_fd[1], family);
	int tx = socket_in(t, t->host_fd[0], family);
	snprintf(any, sizeof(any), "%s", family == AF_INET ? "0.0.0.0" : "::");
	sa_make(&bind_to, &bindlen, family, any, port);
	if (bind(rx, (struct sockaddr *)&bind_to, bindlen) < 0)
		fail_msg("bind in host B: %s", strerror(errno));
	sa_make(&to, &tolen, family, dst, port);
	if (sendto(tx, msg, sizeof(msg), 0, (struct sockaddr *)&to, tolen) < 0)
		fail_msg("sendto %s from host A: %s", dst, strerror(errno));

	/* ARP / neighbour discovery take well under a millisecond here; a
	 * tentative (DAD) address would stall for 1-2 s and lose the packet. */
	struct pollfd p = { .fd = rx, .events = POLLIN };
	int n = poll(&p, 1, 1000);
	if (n <= 0)
		fail_msg("no datagram from host A to %s within 1 s", dst);
	ssize_t r = recvfrom(rx, got, sizeof(got), 0, (struct sockaddr *)&from, &fromlen);
	assert_int_equal(r, sizeof(msg));
	assert_memory_equal(got, msg, sizeof(msg));
	const void *fa = family == AF_INET ? (const void *)&((struct sockaddr_in *)&from)->sin_addr
					   : (const void *)&((struct sockaddr_in6 *)&from)->sin6_addr;
	assert_non_null(inet_ntop(family, fa, fromstr, sizeof(fromstr)));
	assert_string_equal(fromstr, src);
	close(rx);
	close(tx);
}

static void test_udp_ipv4(void **state)
{
	udp_across(lab_of(state), AF_INET, "192.0.2.1", "192.0.2.2", 9000);
}

static void test_udp_ipv6_no_dad(void **state)
{
	struct lab *t = lab_of(state);
	char buf[4096];

	udp_across(t, AF_INET6, "2001:db8::1", "2001:db8::2", 9000);

	/* The address is flagged nodad (0x02) and not tentative (0x40):
	 * "20010db8000000000000000000000001 <ifindex> 40 00 02 eth0". */
	enter(t->host_fd[0]);
	read_file("/proc/net/if_inet6", buf, sizeof(buf));
	enter(t->lab_fd);
	char *line = strstr(buf, "20010db8000000000000000000000001 ");
	assert_non_null(line);
	unsigned idx, plen, scope, flags;
	char dev[IFNAMSIZ + 1];
	assert_int_equal(sscanf(line + 33, "%x %x %x %x %16s", &idx, &plen, &scope, &flags, dev), 5);
	assert_int_equal(plen, 64);
	assert_string_equal(dev, "eth0");
	assert_true(flags & 0x02);
	assert_false(flags & 0x40);
}

/* connect() on a UDP socket is only a route lookup: 0 or -errno. */
static int connect_from(struct lab *t, int nsfd, int family, const char *dst)
{
	struct sockaddr_storage to;
	socklen_t tolen;
	int s = socket_in(t, nsfd, family);

	sa_make(&to, &tolen, family, dst, 53);
	int rc = connect(s, (struct sockaddr *)&to, tolen) < 0 ? -errno : 0;
	close(s);
	return rc;
}

static void test_no_route_out(void **state)
{
	struct lab *t = lab_of(state);

	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET, "198.51.100.77"), -ENETUNREACH);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET, "8.8.8.8"), -ENETUNREACH);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET6, "2001:db8:1::5"), -ENETUNREACH);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET, "192.0.2.2"), 0);
}

static void test_route_add(void **state)
{
	struct lab *t = lab_of(state);
	char err[UTIL_ERRLEN];
	uint8_t net4[4], net6[16], bad[4];

	assert_int_equal(inet_pton(AF_INET, "198.51.100.0", net4), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::", net6), 1);
	assert_int_equal(inet_pton(AF_INET, "198.51.100.1", bad), 1);

	ok(nl_route_add(t->host[0], "eth0", AF_INET, net4, 24, err), err);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET, "198.51.100.77"), 0);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET, "8.8.8.8"), -ENETUNREACH);
	assert_int_equal(connect_from(t, t->host_fd[1], AF_INET, "198.51.100.77"), -ENETUNREACH);

	ok(nl_route_add(t->host[0], "eth0", AF_INET6, net6, 64, err), err);
	assert_int_equal(connect_from(t, t->host_fd[0], AF_INET6, "2001:db8:1::5"), 0);

	/* NLM_F_EXCL: the same route twice is an error. */
	assert_int_equal(nl_route_add(t->host[0], "eth0", AF_INET, net4, 24, err), -1);
	assert_non_null(strstr(err, "add route 198.51.100.0/24 via eth0: File exists"));
	/* Host bits set: the kernel refuses, and says why. */
	assert_int_equal(nl_route_add(t->host[0], "eth0", AF_INET, bad, 24, err), -1);
	assert_non_null(strstr(err, "add route 198.51.100.1/24 via eth0: Invalid argument"));
	print_message("kernel says: %s\n", err);
	assert_int_equal(nl_route_add(t->host[0], "eth0", AF_INET, net4, 33, err), -1);
	assert_non_null(strstr(err, "invalid prefix length"));
	assert_int_equal(nl_route_add(t->host[0], "nosuch0", AF_INET, net4, 24, err), -1);
	assert_non_null(strstr(err, "add route 198.51.100.0/24 via nosuch0: No such device"));
}

static void test_errors(void **state)
{
	struct lab *t = lab_of(state);
	char err[UTIL_ERRLEN];
	uint8_t a[4];

	assert_int_equal(nl_bridge_add(t->lab, "dw0", err), -1);
	assert_non_null(strstr(err, "create bridge dw0: File exists"));
	assert_int_equal(nl_veth_add(t->lab, "h-a", "eth1", t->host_fd[1], err), -1);
	assert_non_null(strstr(err, "create veth h-a"));
	assert_non_null(strstr(err, "File exists"));
	/* The peer name is taken in host A: nothing is created in the lab either. */
	assert_int_equal(nl_veth_add(t->lab, "h-c", "eth0", t->host_fd[0], err), -1);
	assert_non_null(strstr(err, "File exists"));
	assert_int_equal(nl_ifindex(t->lab, "h-c"), 0);

	assert_int_equal(nl_link_up(t->lab, "nosuch0", err), -1);
	assert_non_null(strstr(err, "bring nosuch0 up: No such device"));
	assert_int_equal(nl_set_master(t->lab, "h-a", "nosuch0", err), -1);
	assert_non_null(strstr(err, "attach h-a to nosuch0"));
	assert_non_null(strstr(err, "No such device"));
	assert_int_equal(nl_set_master(t->lab, "nosuch0", "dw0", err), -1);
	assert_non_null(strstr(err, "attach nosuch0 to dw0: No such device"));
	assert_int_equal(nl_addr_gen_none(t->lab, "nosuch0", err), -1);
	assert_non_null(strstr(err, "nosuch0: No such device"));

	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", a), 1);
	assert_int_equal(nl_addr_add(t->host[0], "eth0", AF_INET, a, 24, err), -1);
	assert_non_null(strstr(err, "add address 192.0.2.1/24 to eth0: File exists"));
	assert_int_equal(nl_addr_add(t->lab, "eth0", AF_INET, a, 24, err), -1);
	assert_non_null(strstr(err, "add address 192.0.2.1/24 to eth0: No such device"));
	assert_int_equal(nl_addr_add(t->host[0], "eth0", AF_PACKET, a, 24, err), -1);
	assert_non_null(strstr(err, "unsupported address family"));

	assert_int_equal(nl_bridge_add(t->lab, "a-name-far-too-long", err), -1);
	assert_non_null(strstr(err, "create bridge a-name-far-too-long: invalid interface name"));
	assert_int_equal(nl_veth_add(t->lab, "h-d", "eth0", -1, err), -1);
	assert_non_null(strstr(err, "create veth h-d"));
	int notns = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(notns >= 0);
	assert_int_equal(nl_veth_add(t->lab, "h-d", "eth0", notns, err), -1);
	close(notns);
	print_message("kernel says: %s\n", err);
	assert_non_null(strstr(err, "create veth h-d (peer eth0): "));
	assert_int_equal(nl_ifindex(t->lab, "h-d"), 0);
}

static void test_link_del(void **state)
{
	struct lab *t = lab_of(state);
	char err[UTIL_ERRLEN];

	ok(nl_veth_add(t->lab, "h-x", "eth9", t->host_fd[0], err), err);
	assert_true(nl_ifindex(t->lab, "h-x") > 0);
	assert_true(nl_ifindex(t->host[0], "eth9") > 0);
	ok(nl_link_del(t->lab, "h-x", err), err);
	assert_int_equal(nl_ifindex(t->lab, "h-x"), 0);
	assert_int_equal(nl_ifindex(t->host[0], "eth9"), 0); /* the peer went too */

	assert_int_equal(nl_link_del(t->lab, "h-x", err), -1);
	assert_non_null(strstr(err, "delete link h-x: No such device"));

	/* The lab still works without it (another port: a failed test
	 * above may have left its socket bound). */
	udp_across(t, AF_INET, "192.0.2.1", "192.0.2.2", 9001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifindex_per_namespace),
		cmocka_unit_test(test_bridge_settings),
		cmocka_unit_test(test_udp_ipv4),
		cmocka_unit_test(test_udp_ipv6_no_dad),
		cmocka_unit_test(test_no_route_out),
		cmocka_unit_test(test_route_add),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_link_del),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
