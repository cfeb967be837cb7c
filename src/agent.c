#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "confine.h"
#include "ctl.h"
#include "scenario.h"
#include "sctrace-filter.h"
#include "util.h"

struct agent {
	const struct scenario *sc;
	const struct confine *cf;
	const struct sc_proc *p;
	int proc;
	int ctl;
	pid_t pid;          /* as `ps` outside the lab shows it */
	int fd[SC_MAX_SOCKS];
	struct sockaddr_storage peer[SC_MAX_SOCKS]; /* last recvfrom source */
	socklen_t peerlen[SC_MAX_SOCKS];
	uint8_t *rxbuf;
	size_t rxcap;
};

__attribute__((noreturn)) static void agent_exit(int status) { _exit(status); }

static void agent_send(struct agent *a, struct ctl_msg *m, int fd)
{
	m->proc = (uint16_t)a->proc;
	m->pid = a->pid;
	if (ctl_send(a->ctl, m, fd) < 0)
		agent_exit(AGENT_EXIT_CONTROL);
}

/* Wait for CTL_GO for step i. */
static void agent_wait_go(struct agent *a, int i)
{
	struct ctl_msg m;
	for (;;) {
		int fd;
		int r = ctl_recv(a->ctl, &m, &fd);
		if (fd >= 0)
			close(fd);
		if (r <= 0)
			agent_exit(AGENT_EXIT_CONTROL); /* doorway is gone */
		if (m.type == CTL_GO && m.step == i)
			return;
	}
}

static void agent_fill_sockaddr(const struct sc_endpoint *ep, int family,
				struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		s->sin_port = htons(ep->port);
		if (!ep->any_addr)
			memcpy(&s->sin_addr, ep->addr.bytes, 4);
		*len = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(ep->port);
		if (!ep->any_addr)
			memcpy(&s->sin6_addr, ep->addr.bytes, 16);
		*len = sizeof *s;
	}
}

static void agent_names(int fd, struct ctl_msg *m, bool want_peer)
{
	socklen_t l = sizeof m->local;
	if (getsockname(fd, (struct sockaddr *)&m->local, &l) < 0)
		m->local.ss_family = 0;
	if (want_peer) {
		l = sizeof m->remote;
		if (getpeername(fd, (struct sockaddr *)&m->remote, &l) < 0)
			m->remote.ss_family = 0;
	}
}

/* Report that the call blocks, then wait for the socket to become ready. */
static void agent_block(struct agent *a, struct ctl_msg *m, int fd, short events)
{
	/* a call that completed inside the kernel meanwhile (a connect whose
	 * handshake ran in the same system call) does not wait */
	struct pollfd now = { fd, events, 0 };
	if (poll(&now, 1, 0) > 0)
		return;
	struct ctl_msg w = *m;
	w.type = CTL_WAITING;
	w.status = events;
	w.t_ns = util_now_real_ns();
	agent_send(a, &w, fd);
	struct pollfd p[2] = { { fd, events, 0 }, { a->ctl, POLLIN, 0 } };
	for (;;) {
		int r = poll(p, 2, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			agent_exit(AGENT_EXIT_CONTROL);
		if (p[1].revents & (POLLHUP | POLLERR))
			agent_exit(AGENT_EXIT_CONTROL); /* doorway is gone: do not linger */
		if (p[0].revents) {
			/* Say so before touching the socket: at every instant
			 * doorway sees either a ready socket or this message. */
			w.type = CTL_WOKE;
			w.t_ns = util_now_real_ns();
			agent_send(a, &w, -1);
			return;
		}
	}
}

static void agent_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static void agent_preview(struct ctl_msg *m, const uint8_t *p, size_t n)
{
	m->datalen = (uint32_t)(n < CTL_DATA_MAX ? n : CTL_DATA_MAX);
	memcpy(m->data, p, m->datalen);
}

/* Send all len bytes; blocks (and reports it) only when the kernel buffer is full. */
static ssize_t agent_send_all(struct agent *a, struct ctl_msg *m, int fd, const uint8_t *p,
			      size_t len, const struct sockaddr *to, socklen_t tolen)
{
	size_t done = 0;
	do {
		ssize_t n = sendto(fd, p + done, len - done, MSG_DONTWAIT | MSG_NOSIGNAL, to, tolen);
		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return done ? (ssize_t)done : -1;
		/* every wait is reported: doorway must know the sender is
		 * blocked, or a gated run would never release the reader */
		agent_block(a, m, fd, POLLOUT);
	} while (done < len);
	return (ssize_t)done;
}

/* A lesson's programs are named relative to the lesson file
 * (`exec python3 programs/TCPServer.py`, `exec programs/tcpserver`) and the
 * program runs in its host's home: an argument that is a relative path with
 * a '/' naming a file beside the lesson (which the lab's view of the files
 * shows where it is) is given as that file's full path. Returns argv, or a
 * copy with those arguments made absolute. */
static char **agent_lesson_paths(const struct confine *cf, char **argv, int argc)
{
	if (!cf || !cf->lesson_dir)
		return argv;
	char **out = NULL;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '/' || !strchr(argv[i], '/'))
			continue;
		char *full;
		struct stat st;
		if (xasprintf(&full, "%s/%s", cf->lesson_dir, argv[i]) < 0)
			continue;
		if (stat(full, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(full);
			continue;
		}
		if (!out) {
			out = xcalloc((size_t)argc + 1, sizeof *out);
			memcpy(out, argv, (size_t)argc * sizeof *out);
		}
		out[i] = full;
	}
	return out ? out : argv;
}

/* Last thing before exec: the program's socket calls will stop for doorway
 * (sctrace-filter). Stacks on any filter installed before it. Returns the
 * listener to hand doorway (and marks e), or -1: the program then runs
 * untraced, seen only through its packets. */
static int agent_trace_program(struct ctl_msg *e)
{
	int listener = sctrace_filter_install();
	if (listener >= 0)
		e->flags |= CTL_F_TRACED;
	return listener;
}

static void agent_step(struct agent *a, int i)
{
	const struct sc_step *s = &a->p->steps[i];
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	m.type = CTL_DONE;
	m.step = i;
	m.sock = s->sock;
	m.new_sock = s->new_sock;
	m.fd = s->sock >= 0 ? a->fd[s->sock] : -1;
	m.new_fd = -1;
	m.t_begin_ns = util_now_real_ns();
	int fd = m.fd;
	long long r = 0;
	errno = 0;

	switch (s->op) {
	case SC_SAY:
	case SC_AWAIT: /* doorway released it once the door was open */
		break;
	case SC_SLEEP: {
		struct timespec ts = { s->ms / 1000, (long)(s->ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		break;
	}
	case SC_EXEC: {
		struct ctl_msg e = m;
		e.type = CTL_EXEC;
		e.t_ns = util_now_real_ns();
		int listener = a->p->untraced ? -1 : agent_trace_program(&e);
		agent_send(a, &e, listener);
		if (listener >= 0)
			close(listener);
		/* the channel closes on a successful exec: doorway reads EOF */
		fcntl(a->ctl, F_SETFD, FD_CLOEXEC);
		char why[UTIL_ERRLEN];
		/* beside the lesson first, then in doorway's folder; found
		 * before the confinement, whose memory limit comes last */
		char **argv = agent_lesson_paths(a->cf, s->argv, s->argc);
		const char *prog = argv[0] != s->argv[0] ? argv[0] : confine_program(a->cf, a->proc, s->argv[0]);
		if (confine_exec(a->cf, a->proc, why) == 0) {
			execvp(prog, argv);
			m.err = errno;
		} else {
			m.err = errno ? errno : EPERM;
			dprintf(2, "doorway: cannot confine %s: %s\n", a->p->name, why);
		}
		m.result = -1;
		m.t_ns = util_now_real_ns();
		agent_send(a, &m, -1);
		agent_exit(AGENT_EXIT_EXEC);
	}
	case SC_SOCKET:
		r = socket(s->family, (s->proto == SC_TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
		if (r >= 0) {
			a->fd[s->new_sock] = (int)r;
			m.new_fd = (int)r;
			m.fd = (int)r;
		}
		break;
	case SC_BIND: {
		struct sockaddr_storage ss;
		socklen_t l;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		agent_fill_sockaddr(&s->ep, a->p->socks[s->sock].family, &ss, &l);
		r = bind(fd, (struct sockaddr *)&ss, l);
		break;
	}
	case SC_LISTEN:
		r = listen(fd, s->backlog);
		break;
	case SC_ACCEPT:
		/* try without blocking first, so a wait is reported as one */
		agent_set_nonblock(fd, true);
		r = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			agent_block(a, &m, fd, POLLIN);
			do
				r = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
			while (r < 0 && errno == EINTR);
		}
		{
			int saved = errno;
			agent_set_nonblock(fd, false);
			errno = saved;
		}
		if (r >= 0) {
			a->fd[s->new_sock] = (int)r;
			m.new_fd = (int)r;
			agent_names((int)r, &m, true);
		}
		break;
	case SC_CONNECT: {
		struct sockaddr_storage ss;
		socklen_t l;
		agent_fill_sockaddr(&s->ep, a->p->socks[s->sock].family, &ss, &l);
		agent_set_nonblock(fd, true);
		r = connect(fd, (struct sockaddr *)&ss, l);
		if (r < 0 && errno == EINPROGRESS) {
			agent_block(a, &m, fd, POLLOUT);
			int e = 0;
			socklen_t el = sizeof e;
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
			r = e ? -1 : 0;
			errno = e;
		}
		int saved = errno;
		agent_set_nonblock(fd, false);
		errno = saved;
		break;
	}
	case SC_SEND:
		r = agent_send_all(a, &m, fd, s->data, s->len, NULL, 0);
		agent_preview(&m, s->data, s->len);
		break;
	case SC_SENDTO: {
		struct sockaddr_storage ss;
		socklen_t l;
		if (s->ep.peer) {
			ss = a->peer[s->sock];
			l = a->peerlen[s->sock];
		} else {
			agent_fill_sockaddr(&s->ep, a->p->socks[s->sock].family, &ss, &l);
		}
		r = agent_send_all(a, &m, fd, s->data, s->len, (struct sockaddr *)&ss, l);
		agent_preview(&m, s->data, s->len);
		m.remote = ss;
		break;
	}
	case SC_RECV:
	case SC_RECVFROM: {
		if (a->rxcap < s->count) {
			free(a->rxbuf);
			a->rxbuf = xmalloc(s->count);
			a->rxcap = s->count;
		}
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		memset(&from, 0, sizeof from);
		r = recvfrom(fd, a->rxbuf, s->count, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			agent_block(a, &m, fd, POLLIN);
			fl = sizeof from;
			do
				r = recvfrom(fd, a->rxbuf, s->count, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
			while (r < 0 && errno == EINTR);
		}
		if (r >= 0) {
			agent_preview(&m, a->rxbuf, (size_t)r);
			if (s->op == SC_RECVFROM) {
				a->peer[s->sock] = from;
				a->peerlen[s->sock] = fl;
				m.remote = from;
			}
		}
		break;
	}
	case SC_SHUTDOWN:
		r = shutdown(fd, s->how);
		break;
	case SC_CLOSE:
		agent_names(fd, &m, true); /* the door as it was, before it goes */
		r = close(fd);
		a->fd[s->sock] = -1;
		break;
	case SC_SETSOCKOPT: {
		int v = s->value;
		switch (s->opt) {
		case SC_OPT_SNDBUF: r = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof v); break;
		case SC_OPT_RCVBUF: r = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v); break;
		case SC_OPT_MSS: r = setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof v); break;
		case SC_OPT_NODELAY: r = setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v); break;
		}
		break;
	}
	}

	m.t_ns = util_now_real_ns();
	m.result = r;
	m.err = r < 0 ? errno : 0;
	if (s->op != SC_CLOSE && s->op != SC_SAY && s->op != SC_SLEEP) {
		int nfd = s->new_sock >= 0 && r >= 0 ? a->fd[s->new_sock] : fd;
		if (nfd >= 0 && s->op != SC_ACCEPT) {
			struct sockaddr_storage keep = m.remote;
			agent_names(nfd, &m, true);
			if (m.remote.ss_family == 0)
				m.remote = keep; /* unconnected UDP: keep sendto/recvfrom's address */
		}
	}
	agent_send(a, &m, -1);

	bool failed = r < 0 ? m.err != s->expect_errno : s->expect_errno != 0;
	if (failed)
		agent_exit(AGENT_EXIT_FAILED);
}

void agent_main(const struct scenario *sc, int proc, int ctl, pid_t pid, const struct confine *cf)
{
	struct agent a = { .sc = sc, .cf = cf, .p = &sc->procs[proc], .proc = proc, .ctl = ctl, .pid = pid };
	for (int i = 0; i < SC_MAX_SOCKS; i++)
		a.fd[i] = -1;
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	m.type = CTL_HELLO;
	m.step = -1;
	m.t_ns = util_now_real_ns();
	agent_send(&a, &m, -1);
	for (int i = 0; i < a.p->nsteps; i++) {
		memset(&m, 0, sizeof m);
		m.type = CTL_READY;
		m.step = i;
		m.t_ns = util_now_real_ns();
		agent_send(&a, &m, -1);
		agent_wait_go(&a, i);
		agent_step(&a, i);
	}
	agent_exit(0);
}
