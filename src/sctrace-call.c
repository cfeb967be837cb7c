#include "sctrace-call.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab.h"
#include "scenario.h"
#include "sctrace-filter.h"
#include "sctrace-mem.h"
#include "util.h"

#define SCTRACE_CALL_MAX (1u << 20) /* bytes moved per send/recv (a shorter count is a legal result) */

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

void sctrace_call_continue(int listener, uint64_t id)
{
	struct seccomp_notif_resp r;
	memset(&r, 0, sizeof r);
	r.id = id;
	r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r); /* ENOENT: it went away meanwhile */
}

static void sctrace_call_answer(int listener, uint64_t id, long long val, int err)
{
	struct seccomp_notif_resp r;
	memset(&r, 0, sizeof r);
	r.id = id;
	r.val = err ? -1 : val;
	r.error = err ? -err : 0;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

void sctrace_call_free(struct sctrace_call *c)
{
	if (!c)
		return;
	if (c->dup >= 0)
		close(c->dup);
	free(c->buf);
	free(c);
}

/* The thread group of thread tid (pidfd_getfd and /proc/PID/fd want it). */
static pid_t sctrace_call_tgid(pid_t tid)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return tid;
	pid_t tgid = tid;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Tgid:", 5)) {
			tgid = (pid_t)atoi(line + 5);
			break;
		}
	fclose(f);
	return tgid;
}

/* doorway's copy of the program's descriptor fd, or -1. */
static int sctrace_call_getfd(pid_t tgid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pfd < 0)
		return -1;
	int d = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (d >= 0)
		fcntl(d, F_SETFD, FD_CLOEXEC);
	return d;
}

static int sctrace_socks_find(struct sctrace_socks *s, uint64_t ino)
{
	for (int i = s->n - 1; i >= 0; i--)
		if (s->v[i].ino == ino && !s->v[i].closed)
			return i;
	return -1;
}

static int sctrace_socks_add(struct sctrace_socks *s, uint64_t ino, int sockfd)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, (size_t)s->cap, sizeof *s->v);
	}
	struct sctrace_sock *k = &s->v[s->n];
	memset(k, 0, sizeof *k);
	k->ino = ino;
	k->id = s->n;
	int v = 0;
	socklen_t l = sizeof v;
	if (getsockopt(sockfd, SOL_SOCKET, SO_PROTOCOL, &v, &l) == 0)
		k->tcp = v == IPPROTO_TCP;
	l = sizeof v;
	if (getsockopt(sockfd, SOL_SOCKET, SO_DOMAIN, &v, &l) == 0)
		k->family = v;
	return s->n++;
}

/* The socket's entry, registered on first sight (a socket the program got
 * some other way than through a traced call). */
static int sctrace_socks_of(struct sctrace_socks *s, int sockfd)
{
	struct stat st;
	if (fstat(sockfd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -1;
	int i = sctrace_socks_find(s, (uint64_t)st.st_ino);
	return i >= 0 ? i : sctrace_socks_add(s, (uint64_t)st.st_ino, sockfd);
}

static int sctrace_call_sysop(const struct sctrace_call *c)
{
	const __u64 *a = c->n.data.args;
	switch (c->n.data.nr) {
	case __NR_socket: return SC_SOCKET;
	case __NR_bind: return SC_BIND;
	case __NR_listen: return SC_LISTEN;
	case __NR_accept: case __NR_accept4: return SC_ACCEPT;
	case __NR_connect: return SC_CONNECT;
	case __NR_sendto: return a[4] ? SC_SENDTO : SC_SEND;
	case __NR_write: case __NR_writev: case __NR_sendmsg: return SC_SEND;
	case __NR_recvfrom: return a[4] ? SC_RECVFROM : SC_RECV;
	case __NR_read: case __NR_readv: case __NR_recvmsg: return SC_RECV;
	case __NR_shutdown: return SC_SHUTDOWN;
	case __NR_close: return SC_CLOSE;
	case __NR_setsockopt: case __NR_getsockopt: return SC_SETSOCKOPT;
	}
	return -1;
}

/* setsockopt/getsockopt options shown (the scenario language's four). */
static int sctrace_call_opt(uint64_t level, uint64_t name)
{
	if (level == SOL_SOCKET && name == SO_SNDBUF) return SC_OPT_SNDBUF;
	if (level == SOL_SOCKET && name == SO_RCVBUF) return SC_OPT_RCVBUF;
	if (level == IPPROTO_TCP && name == TCP_MAXSEG) return SC_OPT_MSS;
	if (level == IPPROTO_TCP && name == TCP_NODELAY) return SC_OPT_NODELAY;
	return -1;
}

static void sctrace_call_names(int fd, struct ctl_msg *m, bool peer)
{
	socklen_t l = sizeof m->local;
	if (getsockname(fd, (struct sockaddr *)&m->local, &l) < 0)
		m->local.ss_family = 0;
	if (peer) {
		l = sizeof m->remote;
		if (getpeername(fd, (struct sockaddr *)&m->remote, &l) < 0)
			m->remote.ss_family = 0;
	}
}

static int sctrace_call_read_addr(struct sctrace_call *c, uint64_t addr, uint64_t len)
{
	memset(&c->to, 0, sizeof c->to);
	c->tolen = len > sizeof c->to ? (socklen_t)sizeof c->to : (socklen_t)len;
	return addr && c->tolen ? sctrace_mem_read(c->n.pid, addr, &c->to, c->tolen) : 0;
}

enum sctrace_state sctrace_call_decode(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	c->dup = -1;
	c->sock = -1;
	c->fd = -1;
	c->op = sctrace_call_sysop(c);
	c->tgid = sctrace_call_tgid((pid_t)c->n.pid);
	struct ctl_msg *m = &c->m;
	memset(m, 0, sizeof *m);
	m->proc = (uint16_t)env->proc;
	m->step = -1;
	m->pid = c->tgid;
	m->sock = m->new_sock = m->fd = m->new_fd = -1;
	m->sysno = (uint16_t)c->n.data.nr;
	m->call = (uint8_t)(c->op + 1);
	if (c->op < 0)
		goto pass;
	if (c->op == SC_SOCKET) {
		int type = (int)a[1] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (type != SOCK_STREAM && type != SOCK_DGRAM)
			goto pass; /* raw and other sockets: not doors of this lab */
		m->arg = (uint32_t)a[1];
		if (type == SOCK_STREAM)
			m->flags |= CTL_F_TCP;
		return SCTRACE_WAIT;
	}
	c->fd = (int)a[0];
	m->fd = c->fd;
	c->dup = sctrace_call_getfd(c->tgid, c->fd);
	if (c->dup < 0)
		goto pass;
	c->sock = sctrace_socks_of(env->socks, c->dup);
	if (c->sock < 0)
		goto pass; /* a file at a number in the sockets' range */
	struct sctrace_sock *k = &env->socks->v[c->sock];
	m->sock = k->id;
	if (k->tcp)
		m->flags |= CTL_F_TCP;
	if (c->op == SC_SETSOCKOPT) {
		int o = sctrace_call_opt(a[1], a[2]);
		if (o < 0)
			goto pass;
		m->status = o;
		if (c->n.data.nr == __NR_setsockopt) {
			int v = 0;
			if (a[4] >= sizeof v && sctrace_mem_read(c->n.pid, a[3], &v, sizeof v) == 0)
				m->arg = (uint32_t)v;
		}
	}
	if ((c->n.data.nr == __NR_sendmsg || c->n.data.nr == __NR_recvmsg)) {
		struct msghdr mh;
		if (sctrace_mem_read(c->n.pid, a[1], &mh, sizeof mh) < 0)
			goto pass;
		if (mh.msg_controllen && c->n.data.nr == __NR_sendmsg)
			goto pass; /* ancillary data (descriptors...): not shown, runs as is */
		if (mh.msg_name)
			c->op = c->n.data.nr == __NR_sendmsg ? SC_SENDTO : SC_RECVFROM;
		m->call = (uint8_t)(c->op + 1);
	}
	int fl = fcntl(c->dup, F_GETFL);
	c->nonblock = fl >= 0 && (fl & O_NONBLOCK);
	if (c->nonblock)
		m->flags |= CTL_F_NONBLOCK;
	return SCTRACE_WAIT;
pass:
	sctrace_call_continue(env->listener, c->n.id);
	return SCTRACE_PASS;
}

/* ---- performing ----------------------------------------------------------- */

struct sctrace_mk {
	int domain, type, proto;
	int fd, err;
};

static int sctrace_call_mk(void *arg)
{
	struct sctrace_mk *k = arg;
	k->fd = socket(k->domain, k->type | SOCK_CLOEXEC, k->proto);
	k->err = k->fd < 0 ? errno : 0;
	return 0;
}

/* The lowest descriptor number >= SCTRACE_FD_BASE free in process tgid. */
static int sctrace_call_free_fd(pid_t tgid)
{
	for (int n = SCTRACE_FD_BASE; n <= SCTRACE_FD_MAX; n++) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tgid, n);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			return n;
	}
	return -1;
}

/* Give our socket fd to the program as the call's result (atomically:
 * SECCOMP_ADDFD_FLAG_SEND), at a number the filter watches when it can. */
static int sctrace_call_give(struct sctrace_call *c, const struct sctrace_env *env, int fd, bool cloexec)
{
	struct seccomp_notif_addfd ad;
	memset(&ad, 0, sizeof ad);
	ad.id = c->n.id;
	ad.srcfd = (uint32_t)fd;
	ad.newfd_flags = cloexec ? O_CLOEXEC : 0;
	int want = sctrace_call_free_fd(c->tgid);
	ad.flags = SECCOMP_ADDFD_FLAG_SEND | (want >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0);
	ad.newfd = want >= 0 ? (uint32_t)want : 0;
	int r = ioctl(env->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &ad);
	if (r < 0 && want >= 0 && (errno == EBADF || errno == EMFILE)) {
		/* its descriptor limit is below the range: anywhere (then its
		 * reads and writes on it are not seen) */
		ad.flags = SECCOMP_ADDFD_FLAG_SEND;
		ad.newfd = 0;
		r = ioctl(env->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &ad);
	}
	return r;
}

static void sctrace_call_preview(struct ctl_msg *m, const uint8_t *p, size_t n)
{
	m->datalen = (uint32_t)(n < CTL_DATA_MAX ? n : CTL_DATA_MAX);
	memcpy(m->data, p, m->datalen);
}

/* Run fn with O_NONBLOCK set on the (shared) file for the duration. */
static int sctrace_call_nb_begin(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	return fl;
}

static void sctrace_call_nb_end(int fd, int fl)
{
	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl);
}

static enum sctrace_state sctrace_call_wait(struct sctrace_call *c, short ev)
{
	c->wait_ev = ev;
	return SCTRACE_WAIT;
}

static enum sctrace_state sctrace_call_finish(struct sctrace_call *c, const struct sctrace_env *env,
					      long long r, int err)
{
	c->m.type = CTL_DONE;
	c->m.result = r < 0 ? -1 : r;
	c->m.err = r < 0 ? err : 0;
	c->m.t_ns = util_now_real_ns();
	sctrace_call_answer(env->listener, c->n.id, r, r < 0 ? err : 0);
	return SCTRACE_DONE;
}

static enum sctrace_state sctrace_call_socket(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	struct sctrace_mk k = { (int)a[0], (int)a[1] & ~SOCK_CLOEXEC, (int)a[2], -1, 0 };
	char err[UTIL_ERRLEN];
	if (lab_in_netns(env->lab, env->host, sctrace_call_mk, &k, err) < 0) {
		k.fd = -1;
		k.err = EACCES;
	}
	if (k.fd < 0)
		return sctrace_call_finish(c, env, -1, k.err);
	struct stat st;
	fstat(k.fd, &st);
	c->sock = sctrace_socks_add(env->socks, (uint64_t)st.st_ino, k.fd);
	c->m.new_sock = env->socks->v[c->sock].id;
	sctrace_call_names(k.fd, &c->m, false);
	int r = sctrace_call_give(c, env, k.fd, (a[1] & SOCK_CLOEXEC) != 0);
	int e = errno;
	close(k.fd);
	c->m.type = CTL_DONE;
	c->m.t_ns = util_now_real_ns();
	if (r < 0) {
		env->socks->v[c->sock].closed = true;
		sctrace_call_answer(env->listener, c->n.id, -1, e == EMFILE ? EMFILE : ENOBUFS);
		c->m.result = -1;
		c->m.err = e;
		return SCTRACE_DONE;
	}
	c->m.result = r;
	c->m.fd = c->m.new_fd = r;
	return SCTRACE_DONE;
}

static enum sctrace_state sctrace_call_accept(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	int aflags = c->n.data.nr == __NR_accept4 ? (int)a[3] : 0;
	struct pollfd pf = { c->dup, POLLIN, 0 };
	if (poll(&pf, 1, 0) == 0 && !c->nonblock)
		return sctrace_call_wait(c, POLLIN);
	int fl = sctrace_call_nb_begin(c->dup);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int nfd = accept4(c->dup, (struct sockaddr *)&ss, &sl, (aflags & SOCK_NONBLOCK) | SOCK_CLOEXEC);
	int e = errno;
	sctrace_call_nb_end(c->dup, fl);
	if (nfd < 0 && (e == EAGAIN || e == EWOULDBLOCK) && !c->nonblock)
		return sctrace_call_wait(c, POLLIN); /* another thread took it */
	if (nfd < 0)
		return sctrace_call_finish(c, env, -1, e);
	if (a[1] && a[2]) {
		socklen_t room = 0;
		if (sctrace_mem_read(c->n.pid, a[2], &room, sizeof room) == 0) {
			sctrace_mem_write(c->n.pid, a[1], &ss, room < sl ? room : sl);
			sctrace_mem_write(c->n.pid, a[2], &sl, sizeof sl);
		}
	}
	struct stat st;
	fstat(nfd, &st);
	int ns = sctrace_socks_add(env->socks, (uint64_t)st.st_ino, nfd);
	c->m.new_sock = env->socks->v[ns].id;
	sctrace_call_names(nfd, &c->m, true);
	int r = sctrace_call_give(c, env, nfd, (aflags & SOCK_CLOEXEC) != 0);
	e = errno;
	close(nfd);
	c->m.type = CTL_DONE;
	c->m.t_ns = util_now_real_ns();
	if (r < 0) {
		env->socks->v[ns].closed = true;
		sctrace_call_answer(env->listener, c->n.id, -1, ENOBUFS);
		c->m.result = -1;
		c->m.err = e;
		return SCTRACE_DONE;
	}
	c->m.result = r;
	c->m.new_fd = r;
	return SCTRACE_DONE;
}

static enum sctrace_state sctrace_call_connect(struct sctrace_call *c, const struct sctrace_env *env)
{
	if (c->wait_ev) { /* the handshake ended */
		int e = 0;
		socklen_t el = sizeof e;
		getsockopt(c->dup, SOL_SOCKET, SO_ERROR, &e, &el);
		sctrace_call_names(c->dup, &c->m, true);
		if (!c->m.remote.ss_family)
			c->m.remote = c->to; /* where it knocked, also when refused */
		return sctrace_call_finish(c, env, e ? -1 : 0, e);
	}
	const __u64 *a = c->n.data.args;
	if (sctrace_call_read_addr(c, a[1], a[2]) < 0)
		return sctrace_call_finish(c, env, -1, EFAULT);
	c->m.remote = c->to;
	int fl = sctrace_call_nb_begin(c->dup);
	int r = connect(c->dup, (struct sockaddr *)&c->to, c->tolen);
	int e = errno;
	sctrace_call_nb_end(c->dup, fl);
	if (r < 0 && e == EINPROGRESS && !c->nonblock) {
		/* the handshake often ends within the call (a lab's links are
		 * fast): then it does not wait */
		struct pollfd pf = { c->dup, POLLOUT, 0 };
		if (poll(&pf, 1, 0) > 0) {
			c->wait_ev = POLLOUT;
			return sctrace_call_connect(c, env);
		}
		return sctrace_call_wait(c, POLLOUT);
	}
	sctrace_call_names(c->dup, &c->m, r == 0);
	if (!c->m.remote.ss_family)
		c->m.remote = c->to;
	return sctrace_call_finish(c, env, r, e);
}

static enum sctrace_state sctrace_call_send(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	long nr = c->n.data.nr;
	if (!c->buf) { /* first time: the bytes and the destination */
		size_t total = 0;
		if (nr == __NR_writev || nr == __NR_sendmsg) {
			uint64_t iov = a[1], cnt = a[2];
			if (nr == __NR_sendmsg) {
				struct msghdr mh;
				if (sctrace_mem_read(c->n.pid, a[1], &mh, sizeof mh) < 0)
					return sctrace_call_finish(c, env, -1, EFAULT);
				iov = (uint64_t)(uintptr_t)mh.msg_iov;
				cnt = mh.msg_iovlen;
				c->flags = (int)a[2];
				if (mh.msg_name && sctrace_call_read_addr(c, (uint64_t)(uintptr_t)mh.msg_name,
									  mh.msg_namelen) < 0)
					return sctrace_call_finish(c, env, -1, EFAULT);
			}
			ssize_t tl = sctrace_mem_iovlen(c->n.pid, iov, cnt);
			if (tl < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			c->len = (size_t)tl < SCTRACE_CALL_MAX ? (size_t)tl : SCTRACE_CALL_MAX;
			c->buf = xmalloc(c->len + 1);
			ssize_t got = sctrace_mem_gather(c->n.pid, iov, cnt, c->buf, c->len, &total);
			if (got < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			c->len = (size_t)got;
		} else {
			c->len = a[2] < SCTRACE_CALL_MAX ? (size_t)a[2] : SCTRACE_CALL_MAX;
			c->buf = xmalloc(c->len + 1);
			if (sctrace_mem_read(c->n.pid, a[1], c->buf, c->len) < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			if (nr == __NR_sendto) {
				c->flags = (int)a[3];
				if (a[4] && sctrace_call_read_addr(c, a[4], a[5]) < 0)
					return sctrace_call_finish(c, env, -1, EFAULT);
			}
		}
		if (c->flags & MSG_DONTWAIT)
			c->nonblock = true;
		c->m.arg = (uint32_t)c->len;
		sctrace_call_preview(&c->m, c->buf, c->len);
		if (c->tolen)
			c->m.remote = c->to;
	}
	int e = 0;
	bool tcp = c->m.flags & CTL_F_TCP;
	for (;;) {
		ssize_t n = sendto(c->dup, c->buf + c->done, c->len - c->done,
				   (c->flags & ~MSG_DONTWAIT) | MSG_DONTWAIT | MSG_NOSIGNAL,
				   c->tolen ? (struct sockaddr *)&c->to : NULL, c->tolen);
		if (n >= 0) {
			c->done += (size_t)n;
			e = 0;
			if (tcp && c->done < c->len)
				continue; /* a blocking send queues every byte */
			break;
		}
		e = errno;
		if (e == EINTR)
			continue;
		if ((e == EAGAIN || e == EWOULDBLOCK) && !c->nonblock)
			return sctrace_call_wait(c, POLLOUT);
		break;
	}
	if (c->done == 0 && e == EPIPE && !(c->flags & MSG_NOSIGNAL))
		syscall(SYS_tgkill, c->tgid, (pid_t)c->n.pid, SIGPIPE); /* as the kernel would */
	struct sockaddr_storage keep = c->m.remote;
	sctrace_call_names(c->dup, &c->m, true);
	if (!c->m.remote.ss_family)
		c->m.remote = keep;
	return sctrace_call_finish(c, env, c->done || e == 0 ? (long long)c->done : -1, e);
}

static enum sctrace_state sctrace_call_recv(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	long nr = c->n.data.nr;
	uint64_t iov = 0, cnt = 0;
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	if (nr == __NR_recvmsg) {
		if (sctrace_mem_read(c->n.pid, a[1], &mh, sizeof mh) < 0)
			return sctrace_call_finish(c, env, -1, EFAULT);
		iov = (uint64_t)(uintptr_t)mh.msg_iov;
		cnt = mh.msg_iovlen;
	} else if (nr == __NR_readv) {
		iov = a[1];
		cnt = a[2];
	}
	if (!c->buf) {
		size_t want = a[2];
		if (iov) {
			ssize_t tl = sctrace_mem_iovlen(c->n.pid, iov, cnt);
			if (tl < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			want = (size_t)tl;
		}
		if (nr == __NR_recvfrom || nr == __NR_recvmsg)
			c->flags = (int)(nr == __NR_recvmsg ? a[2] : a[3]);
		if (c->flags & MSG_DONTWAIT)
			c->nonblock = true;
		c->m.arg = (uint32_t)(want < UINT32_MAX ? want : UINT32_MAX);
		c->len = want < SCTRACE_CALL_MAX ? want : SCTRACE_CALL_MAX;
		c->buf = xmalloc(c->len + 1);
	}
	struct sockaddr_storage from;
	socklen_t fl = sizeof from;
	memset(&from, 0, sizeof from);
	int e = 0;
	ssize_t n = 0;
	bool waitall = (c->flags & MSG_WAITALL) && (c->m.flags & CTL_F_TCP);
	for (;;) {
		fl = sizeof from;
		n = recvfrom(c->dup, c->buf + c->done, c->len - c->done,
			     (c->flags & ~(MSG_DONTWAIT | MSG_WAITALL)) | MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		e = errno;
		if (n < 0 && e == EINTR)
			continue;
		if (n > 0) {
			c->done += (size_t)n;
			if (waitall && c->done < c->len)
				continue;
		}
		break;
	}
	if (n < 0 && (e == EAGAIN || e == EWOULDBLOCK) && !c->nonblock && c->len > 0)
		return sctrace_call_wait(c, POLLIN);
	if (c->done > 0 || n >= 0) {
		n = (ssize_t)c->done;
		if (iov)
			sctrace_mem_scatter(c->n.pid, iov, cnt, c->buf, c->done);
		else
			sctrace_mem_write(c->n.pid, a[1], c->buf, c->done);
		sctrace_call_preview(&c->m, c->buf, c->done);
		uint64_t name = nr == __NR_recvfrom ? a[4] : (uint64_t)(uintptr_t)mh.msg_name;
		if (name && from.ss_family) {
			c->m.remote = from;
			if (nr == __NR_recvfrom) {
				socklen_t room = 0;
				if (a[5] && sctrace_mem_read(c->n.pid, a[5], &room, sizeof room) == 0) {
					sctrace_mem_write(c->n.pid, a[4], &from, room < fl ? room : fl);
					sctrace_mem_write(c->n.pid, a[5], &fl, sizeof fl);
				}
			} else {
				sctrace_mem_write(c->n.pid, name, &from, mh.msg_namelen < fl ? mh.msg_namelen : fl);
				sctrace_mem_write(c->n.pid, a[1] + offsetof(struct msghdr, msg_namelen), &fl, sizeof fl);
			}
		}
		if (nr == __NR_recvmsg) {
			int mflags = 0;
			size_t zero = 0;
			sctrace_mem_write(c->n.pid, a[1] + offsetof(struct msghdr, msg_flags), &mflags, sizeof mflags);
			sctrace_mem_write(c->n.pid, a[1] + offsetof(struct msghdr, msg_controllen), &zero, sizeof zero);
		}
	}
	struct sockaddr_storage keep = c->m.remote;
	sctrace_call_names(c->dup, &c->m, true);
	if (!c->m.remote.ss_family)
		c->m.remote = keep;
	return sctrace_call_finish(c, env, n, e);
}

/* Does another descriptor of the program's processes hold this socket? */
static bool sctrace_call_shared(const struct sctrace_call *c, const struct sctrace_env *env, uint64_t ino)
{
	char want[48];
	snprintf(want, sizeof want, "socket:[%llu]", (unsigned long long)ino);
	/* every process of the lab's pid namespace that runs this program
	 * shows in /proc; walk the program's tree from its first process */
	pid_t stack[256];
	int sp = 0, seen = 0;
	stack[sp++] = env->root;
	while (sp > 0 && seen < 256) {
		pid_t pid = stack[--sp];
		seen++;
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
		DIR *d = opendir(path);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d))) {
				if (de->d_name[0] == '.')
					continue;
				if (pid == c->tgid && atoi(de->d_name) == c->fd)
					continue;
				char fp[64 + 256 + 2], link[64];
				snprintf(fp, sizeof fp, "%s/%s", path, de->d_name);
				ssize_t l = readlink(fp, link, sizeof link - 1);
				if (l > 0) {
					link[l] = '\0';
					if (!strcmp(link, want)) {
						closedir(d);
						return true;
					}
				}
			}
			closedir(d);
		}
		snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
		FILE *f = fopen(path, "re");
		if (f) {
			int ch;
			while (sp < 256 && fscanf(f, "%d", &ch) == 1)
				stack[sp++] = ch;
			fclose(f);
		}
	}
	return false;
}

enum sctrace_state sctrace_call_run(struct sctrace_call *c, const struct sctrace_env *env)
{
	const __u64 *a = c->n.data.args;
	if (!c->m.t_begin_ns)
		c->m.t_begin_ns = util_now_real_ns();
	c->m.type = CTL_WAITING;
	switch (c->op) {
	case SC_SOCKET:
		return sctrace_call_socket(c, env);
	case SC_BIND: {
		if (sctrace_call_read_addr(c, a[1], a[2]) < 0)
			return sctrace_call_finish(c, env, -1, EFAULT);
		int r = bind(c->dup, (struct sockaddr *)&c->to, c->tolen);
		int e = errno;
		sctrace_call_names(c->dup, &c->m, false);
		return sctrace_call_finish(c, env, r, e);
	}
	case SC_LISTEN: {
		c->m.arg = (uint32_t)a[1];
		int r = listen(c->dup, (int)a[1]);
		int e = errno;
		sctrace_call_names(c->dup, &c->m, false);
		return sctrace_call_finish(c, env, r, e);
	}
	case SC_ACCEPT:
		return sctrace_call_accept(c, env);
	case SC_CONNECT:
		return sctrace_call_connect(c, env);
	case SC_SEND:
	case SC_SENDTO:
		return sctrace_call_send(c, env);
	case SC_RECV:
	case SC_RECVFROM:
		return sctrace_call_recv(c, env);
	case SC_SHUTDOWN: {
		c->m.arg = (uint32_t)a[1];
		int r = shutdown(c->dup, (int)a[1]);
		int e = errno;
		sctrace_call_names(c->dup, &c->m, true);
		return sctrace_call_finish(c, env, r, e);
	}
	case SC_SETSOCKOPT: {
		int r, e;
		if (c->n.data.nr == __NR_setsockopt) {
			uint8_t v[64];
			socklen_t l = a[4] < sizeof v ? (socklen_t)a[4] : (socklen_t)sizeof v;
			if (sctrace_mem_read(c->n.pid, a[3], v, l) < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			r = setsockopt(c->dup, (int)a[1], (int)a[2], v, l);
			e = errno;
		} else {
			uint8_t v[64];
			socklen_t l = 0;
			if (sctrace_mem_read(c->n.pid, a[4], &l, sizeof l) < 0)
				return sctrace_call_finish(c, env, -1, EFAULT);
			if (l > sizeof v)
				l = sizeof v;
			r = getsockopt(c->dup, (int)a[1], (int)a[2], v, &l);
			e = errno;
			if (r == 0) {
				int iv = 0;
				memcpy(&iv, v, l < sizeof iv ? l : sizeof iv);
				c->m.arg = (uint32_t)iv;
				sctrace_mem_write(c->n.pid, a[3], v, l);
				sctrace_mem_write(c->n.pid, a[4], &l, sizeof l);
			}
		}
		return sctrace_call_finish(c, env, r, e);
	}
	case SC_CLOSE: {
		/* the door as it was; the program's own close runs as is (its
		 * result is 0 for an open descriptor) */
		sctrace_call_names(c->dup, &c->m, true);
		struct sctrace_sock *k = &env->socks->v[c->sock];
		if (sctrace_call_shared(c, env, k->ino))
			c->m.flags |= CTL_F_SHARED;
		else
			k->closed = true;
		close(c->dup);
		c->dup = -1;
		c->m.type = CTL_DONE;
		c->m.t_ns = util_now_real_ns();
		sctrace_call_continue(env->listener, c->n.id);
		return SCTRACE_DONE;
	}
	}
	sctrace_call_continue(env->listener, c->n.id);
	return SCTRACE_PASS;
}
