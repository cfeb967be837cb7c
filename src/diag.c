#include "diag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DIAG_TCP_LISTEN 10 /* TCP_LISTEN in the kernel's state numbering */

typedef void diag_fn(const struct inet_diag_msg *m, void *arg);

/* Dump the current namespace's sockets of (family, proto) in the states
 * given, calling fn for each. 0, or -1 on error. */
static int diag_dump(int family, int proto, uint32_t states, diag_fn *fn, void *arg)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} q;
	memset(&q, 0, sizeof q);
	q.nlh.nlmsg_len = sizeof q;
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.nlh.nlmsg_seq = 1;
	q.req.sdiag_family = (uint8_t)family;
	q.req.sdiag_protocol = (uint8_t)proto;
	q.req.idiag_states = states;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int rc = -1;
	if (sendto(fd, &q, sizeof q, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		goto out;
	for (;;) {
		union {
			char buf[16384];
			struct nlmsghdr align;
		} u;
		ssize_t n = recv(fd, u.buf, sizeof u.buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (struct nlmsghdr *h = (struct nlmsghdr *)u.buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				fn(NLMSG_DATA(h), arg);
		}
	}
out:
	close(fd);
	return rc;
}

struct diag_port {
	uint16_t port;
	bool found;
};

static void diag_port_match(const struct inet_diag_msg *m, void *arg)
{
	struct diag_port *p = arg;
	if (ntohs(m->id.idiag_sport) == p->port)
		p->found = true;
}

int diag_port_open(int proto, uint16_t port)
{
	uint32_t states = proto == IPPROTO_TCP ? 1u << DIAG_TCP_LISTEN : ~0u;
	struct diag_port p = { port, false };
	if (diag_dump(AF_INET, proto, states, diag_port_match, &p) < 0)
		return -1;
	if (!p.found && diag_dump(AF_INET6, proto, states, diag_port_match, &p) < 0)
		return -1;
	return p.found;
}

struct diag_want {
	int family;
	const uint8_t *lip, *rip;
	uint16_t lport, rport;
	int listen_ok;
	uint32_t exact, listener;
};

static void diag_match(const struct inet_diag_msg *m, void *arg)
{
	struct diag_want *w = arg;
	size_t n = w->family == AF_INET ? 4 : 16;
	if (ntohs(m->id.idiag_sport) != w->lport)
		return;
	static const uint8_t zero[16];
	bool lany = !memcmp(m->id.idiag_src, zero, n);
	if (!lany && memcmp(m->id.idiag_src, w->lip, n))
		return;
	if (m->idiag_state == DIAG_TCP_LISTEN) {
		if (w->listen_ok)
			w->listener = m->idiag_inode;
		return;
	}
	if (w->rip && (ntohs(m->id.idiag_dport) != w->rport || memcmp(m->id.idiag_dst, w->rip, n)) &&
	    ntohs(m->id.idiag_dport) != 0)
		return;
	w->exact = m->idiag_inode;
}

int diag_find_socket(int proto, int family, const uint8_t *lip, uint16_t lport, const uint8_t *rip,
		     uint16_t rport, int listen_ok, uint32_t *inode)
{
	struct diag_want w = { family, lip, rip, lport, rport, listen_ok, 0, 0 };
	if (diag_dump(family, proto, ~0u, diag_match, &w) < 0)
		return -1;
	uint32_t found = w.exact ? w.exact : w.listener;
	if (found)
		*inode = found;
	return found != 0;
}
