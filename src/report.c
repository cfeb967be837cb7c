#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "util.h"

struct report {
	FILE *out;
	const struct scenario *sc;
	enum report_fmt fmt;
	uint64_t t0;
	int whost, wproc, wsock;
};

struct report *report_new(FILE *out, const struct scenario *sc, enum report_fmt fmt)
{
	struct report *rep = xcalloc(1, sizeof *rep);
	rep->out = out;
	rep->sc = sc;
	rep->fmt = fmt;
	rep->whost = 4;
	rep->wproc = 7;
	rep->wsock = 6;
	for (int h = 0; h < sc->nhosts; h++)
		if ((int)strlen(sc->hosts[h].name) > rep->whost)
			rep->whost = (int)strlen(sc->hosts[h].name);
	for (int p = 0; p < sc->nprocs; p++) {
		const struct sc_proc *sp = &sc->procs[p];
		if ((int)strlen(sp->name) > rep->wproc)
			rep->wproc = (int)strlen(sp->name);
		for (int s = 0; s < sp->nsocks; s++)
			if ((int)strlen(sp->socks[s].name) > rep->wsock)
				rep->wsock = (int)strlen(sp->socks[s].name);
	}
	if (fmt == REPORT_TEXT) {
		char *title = util_printable(sc->title);
		fprintf(out, "# %s\n", title);
		free(title);
		fprintf(out, "# %*s  %-*s %-*s %-*s %s\n", 9, "time", rep->whost, "host",
			rep->wproc, "process", rep->wsock, "socket", "call = result");
	}
	return rep;
}

void report_free(struct report *rep) { free(rep); }

static const char *report_errno_name(int e)
{
	const char *n = sc_errno_name(e);
	return n ? n : "E?";
}

static void report_payload(char *out, size_t outlen, const struct ctl_msg *m, int64_t total)
{
	char esc[96];
	util_escape(esc, sizeof esc, m->data, m->datalen);
	if (total > (int64_t)m->datalen && strlen(esc) + 4 < sizeof esc && !strstr(esc, "..."))
		strcat(esc, "...");
	snprintf(out, outlen, "\"%s\"", esc);
}

const char *report_syscall_name(int nr)
{
	switch (nr) {
	case __NR_socket: return "socket";
	case __NR_bind: return "bind";
	case __NR_listen: return "listen";
	case __NR_accept: return "accept";
	case __NR_accept4: return "accept4";
	case __NR_connect: return "connect";
	case __NR_sendto: return "sendto";
	case __NR_sendmsg: return "sendmsg";
	case __NR_recvfrom: return "recvfrom";
	case __NR_recvmsg: return "recvmsg";
	case __NR_read: return "read";
	case __NR_write: return "write";
	case __NR_readv: return "readv";
	case __NR_writev: return "writev";
	case __NR_shutdown: return "shutdown";
	case __NR_close: return "close";
	case __NR_setsockopt: return "setsockopt";
	case __NR_getsockopt: return "getsockopt";
	}
	return "?";
}

static const char *const report_opt_names[] = { "SO_SNDBUF", "SO_RCVBUF", "TCP_MAXSEG", "TCP_NODELAY" };

/* A traced program's call, as its source would write it: the system call
 * made (send and recv are sendto and recvfrom underneath, and shown so). */
static void report_traced_call_text(const struct ctl_msg *m, char *out, size_t outlen)
{
	int op = m->call - 1;
	const char *name = report_syscall_name(m->sysno);
	/* as the source wrote it: libc's send/recv are sendto/recvfrom
	 * without an address, accept is accept4 underneath */
	if (op == SC_SEND && m->sysno == __NR_sendto)
		name = "send";
	else if (op == SC_RECV && m->sysno == __NR_recvfrom)
		name = "recv";
	else if (op == SC_ACCEPT)
		name = "accept";
	char addr[80], pay[112];
	ctl_format_sockaddr(&m->remote, addr, sizeof addr);
	switch (op) {
	case SC_SOCKET:
		snprintf(out, outlen, "socket(%s%s)", m->flags & CTL_F_TCP ? "tcp" : "udp",
			 m->local.ss_family == AF_INET6 ? ", ipv6" : "");
		break;
	case SC_BIND:
		ctl_format_sockaddr(&m->local, addr, sizeof addr);
		snprintf(out, outlen, "bind(%s)", addr);
		break;
	case SC_LISTEN: snprintf(out, outlen, "listen(%u)", m->arg); break;
	case SC_ACCEPT: snprintf(out, outlen, "%s()", name); break;
	case SC_CONNECT: snprintf(out, outlen, "connect(%s)", addr); break;
	case SC_SEND:
		report_payload(pay, sizeof pay, m, (int64_t)m->arg);
		snprintf(out, outlen, "%s(%s)", name, pay);
		break;
	case SC_SENDTO:
		report_payload(pay, sizeof pay, m, (int64_t)m->arg);
		snprintf(out, outlen, "%s(%s, %s)", name, addr, pay);
		break;
	case SC_RECV:
	case SC_RECVFROM:
		snprintf(out, outlen, "%s(%u)", name, m->arg);
		break;
	case SC_SHUTDOWN:
		snprintf(out, outlen, "shutdown(%s)", m->arg == 0 ? "read" : m->arg == 1 ? "write" : "both");
		break;
	case SC_CLOSE: snprintf(out, outlen, "close()"); break;
	case SC_SETSOCKOPT: {
		const char *o = m->status >= 0 && m->status < 4 ? report_opt_names[m->status] : "?";
		if (m->sysno == __NR_getsockopt)
			snprintf(out, outlen, "getsockopt(%s)", o);
		else
			snprintf(out, outlen, "setsockopt(%s, %d)", o, (int)m->arg);
		break;
	}
	default:
		snprintf(out, outlen, "%s()", name);
	}
}

void report_call_text(const struct scenario *sc, int proc, const struct ctl_msg *m,
		      char *out, size_t outlen)
{
	if (m->call) {
		report_traced_call_text(m, out, outlen);
		return;
	}
	const struct sc_proc *sp = &sc->procs[proc];
	if (m->step < 0 || m->step >= sp->nsteps) {
		snprintf(out, outlen, "?");
		return;
	}
	const struct sc_step *s = &sp->steps[m->step];
	char addr[80], pay[112];
	ctl_format_sockaddr(&m->remote, addr, sizeof addr);
	switch (s->op) {
	case SC_SOCKET:
		snprintf(out, outlen, "socket(%s%s)", sc_proto_name(s->proto),
			 s->family == AF_INET6 ? ", ipv6" : "");
		break;
	case SC_BIND:
		ctl_format_sockaddr(&m->local, addr, sizeof addr);
		snprintf(out, outlen, "bind(%s)", s->ep.any_addr ? "" : addr);
		if (s->ep.any_addr)
			snprintf(out, outlen, "bind(port %u)", s->ep.port);
		break;
	case SC_LISTEN: snprintf(out, outlen, "listen(%d)", s->backlog); break;
	case SC_ACCEPT: snprintf(out, outlen, "accept()"); break;
	case SC_CONNECT: {
		char a[64];
		sc_addr_format(&s->ep.addr, a, sizeof a);
		snprintf(out, outlen, s->ep.addr.family == AF_INET6 ? "connect([%s]:%u)" : "connect(%s:%u)",
			 a, s->ep.port);
		break;
	}
	case SC_SEND:
		if (s->generated)
			snprintf(out, outlen, "send(%zu bytes)", s->len);
		else {
			report_payload(pay, sizeof pay, m, (int64_t)s->len);
			snprintf(out, outlen, "send(%s)", pay);
		}
		break;
	case SC_SENDTO:
		if (s->generated)
			snprintf(pay, sizeof pay, "%zu bytes", s->len);
		else
			report_payload(pay, sizeof pay, m, (int64_t)s->len);
		snprintf(out, outlen, "sendto(%s, %s)", addr, pay);
		break;
	case SC_RECV: snprintf(out, outlen, "recv(%zu)", s->count); break;
	case SC_RECVFROM: snprintf(out, outlen, "recvfrom(%zu)", s->count); break;
	case SC_SHUTDOWN:
		snprintf(out, outlen, "shutdown(%s)", s->how == 0 ? "read" : s->how == 1 ? "write" : "both");
		break;
	case SC_CLOSE: snprintf(out, outlen, "close()"); break;
	case SC_SETSOCKOPT:
		snprintf(out, outlen, "setsockopt(%s, %d)", report_opt_names[s->opt], s->value);
		break;
	case SC_SLEEP: snprintf(out, outlen, "sleep(%ums)", s->ms); break;
	case SC_AWAIT:
		snprintf(out, outlen, "await %s %s:%u (a door open there)", s->proto == SC_TCP ? "tcp" : "udp",
			 sc->hosts[s->ep.host].name, s->ep.port);
		break;
	case SC_SAY: {
		char *t = util_printable(s->text);
		snprintf(out, outlen, "say \"%s\"", t);
		free(t);
		break;
	}
	case SC_EXEC: {
		struct buf b = { 0 };
		buf_addstr(&b, "exec");
		for (int i = 0; i < s->argc; i++) {
			/* as it would be typed: quoted and escaped where needed */
			const char *arg = s->argv[i];
			bool plain = arg[0] != '\0';
			for (const char *c = arg; *c; c++)
				if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
				      strchr("-_./:=,+%@", *c)))
					plain = false;
			buf_addc(&b, ' ');
			if (plain) {
				buf_addstr(&b, arg);
			} else {
				char esc[512];
				util_escape(esc, sizeof esc, (const uint8_t *)arg, strlen(arg));
				buf_printf(&b, "\"%s\"", esc);
			}
		}
		snprintf(out, outlen, "%s", b.p);
		buf_free(&b);
		break;
	}
	}
}

void report_result_text(const struct scenario *sc, int proc, const struct ctl_msg *m,
			char *out, size_t outlen)
{
	int op, expect = 0;
	if (m->call) {
		op = m->call - 1;
	} else {
		const struct sc_step *s = &sc->procs[proc].steps[m->step];
		op = (int)s->op;
		expect = s->expect_errno;
	}
	if (op == SC_SAY || op == SC_SLEEP || op == SC_EXEC || op == SC_AWAIT) {
		if (m->result < 0)
			snprintf(out, outlen, "failed: %s", strerror(m->err));
		else
			out[0] = '\0';
		return;
	}
	if (m->result < 0) {
		snprintf(out, outlen, "= -1 %s (%s)%s", report_errno_name(m->err), strerror(m->err),
			 expect && expect == m->err ? ", as expected" : "");
		return;
	}
	char local[80], remote[80], pay[112];
	ctl_format_sockaddr(&m->local, local, sizeof local);
	ctl_format_sockaddr(&m->remote, remote, sizeof remote);
	switch (op) {
	case SC_SOCKET:
		snprintf(out, outlen, "= %lld", (long long)m->result);
		break;
	case SC_ACCEPT:
		snprintf(out, outlen, "= %lld, new door %s, from %s", (long long)m->result, local, remote);
		break;
	case SC_BIND:
	case SC_CONNECT:
		if (op == SC_CONNECT)
			snprintf(out, outlen, "= 0, door %s -> %s", local, remote);
		else
			snprintf(out, outlen, "= 0, door %s", local);
		break;
	case SC_SEND:
	case SC_SENDTO:
		snprintf(out, outlen, "= %lld, from door %s", (long long)m->result, local);
		break;
	case SC_RECV:
	case SC_RECVFROM:
		if (m->result == 0 && (m->flags & CTL_F_TCP || !m->call) && op == SC_RECV) {
			snprintf(out, outlen, "= 0 (the other side closed)");
			break;
		}
		report_payload(pay, sizeof pay, m, m->result);
		if (op == SC_RECVFROM)
			snprintf(out, outlen, "= %lld %s from %s", (long long)m->result, pay, remote);
		else
			snprintf(out, outlen, "= %lld %s", (long long)m->result, pay);
		break;
	case SC_CLOSE:
		snprintf(out, outlen, "= %lld%s", (long long)m->result,
			 m->flags & CTL_F_SHARED ? " (another process of the program still holds the door: it stays open)" : "");
		break;
	case SC_SETSOCKOPT:
		if (m->call && m->sysno == __NR_getsockopt)
			snprintf(out, outlen, "= 0, value %d", (int)m->arg);
		else
			snprintf(out, outlen, "= %lld", (long long)m->result);
		break;
	default:
		snprintf(out, outlen, "= %lld", (long long)m->result);
	}
	if (expect) {
		size_t l = strlen(out);
		snprintf(out + l, outlen - l, " (expected %s!)", report_errno_name(expect));
	}
}

static double report_t(struct report *rep, uint64_t t)
{
	if (!rep->t0)
		rep->t0 = t;
	return t >= rep->t0 ? (double)(t - rep->t0) / 1e9 : 0.0;
}

static void report_text(struct report *rep, const struct run_event *e)
{
	const struct scenario *sc = rep->sc;
	double t = report_t(rep, e->t_ns);
	if (e->kind == RUN_EV_END)
		return;
	const struct sc_proc *sp = &sc->procs[e->proc];
	const char *host = sc->hosts[sp->host].name;
	const char *sock = "";
	char fdname[24];
	if (e->msg && e->msg->call) {
		snprintf(fdname, sizeof fdname, "fd%d", e->msg->fd);
		sock = fdname;
	} else if (e->msg && e->step >= 0 && e->step < sp->nsteps) {
		const struct sc_step *s = &sp->steps[e->step];
		int si = s->sock >= 0 ? s->sock : s->new_sock;
		if (si >= 0)
			sock = sp->socks[si].name;
	}
	char call[256], res[256];
	fprintf(rep->out, "%11.6f  %-*s %-*s %-*s ", t, rep->whost, host, rep->wproc, sp->name,
		rep->wsock, sock);
	switch (e->kind) {
	case RUN_EV_SPAWN:
		fprintf(rep->out, "process starts, pid %d\n", (int)e->pid);
		break;
	case RUN_EV_CALL:
		report_call_text(sc, e->proc, e->msg, call, sizeof call);
		report_result_text(sc, e->proc, e->msg, res, sizeof res);
		fprintf(rep->out, "%s%s%s\n", call, res[0] ? " " : "", res);
		break;
	case RUN_EV_WAIT:
		report_call_text(sc, e->proc, e->msg, call, sizeof call);
		fprintf(rep->out, "%s ... waiting\n", call);
		break;
	case RUN_EV_EXEC:
		report_call_text(sc, e->proc, e->msg, call, sizeof call);
		fprintf(rep->out, "%s\n", call);
		break;
	case RUN_EV_OUTPUT: {
		char esc[512];
		util_escape(esc, sizeof esc, (const uint8_t *)e->text, e->len);
		fprintf(rep->out, "| %s\n", esc);
		break;
	}
	case RUN_EV_EXIT:
		fprintf(rep->out, "process ends: %.*s%s\n", (int)e->len, e->text,
			e->failed ? " (failed)" : "");
		break;
	case RUN_EV_END:
		break;
	}
	fflush(rep->out);
}

static const char *report_kind_name(enum run_ev_kind k)
{
	switch (k) {
	case RUN_EV_SPAWN: return "spawn";
	case RUN_EV_CALL: return "call";
	case RUN_EV_WAIT: return "wait";
	case RUN_EV_EXEC: return "exec";
	case RUN_EV_OUTPUT: return "output";
	case RUN_EV_EXIT: return "exit";
	case RUN_EV_END: return "end";
	}
	return "?";
}

static void report_json_addr(struct buf *b, const char *key, const struct sockaddr_storage *ss)
{
	char a[80];
	if (!ss->ss_family)
		return;
	ctl_format_sockaddr(ss, a, sizeof a);
	buf_json_field(b, key, a);
}

/* A traced program's call: the fields of an agent's call (no step or line:
 * the program has no script), plus the system call made. */
static void report_json_traced(struct buf *b, const struct scenario *sc, const struct run_event *e)
{
	const struct ctl_msg *m = e->msg;
	int op = m->call - 1;
	char name[24], call[256];
	buf_printf(b, ",\"call\":\"%s\",\"syscall\":\"%s\"", op == SC_SETSOCKOPT && m->sysno == __NR_getsockopt ?
		   "getsockopt" : sc_op_name(op), report_syscall_name(m->sysno));
	if (m->sock >= 0 || op == SC_SOCKET) {
		snprintf(name, sizeof name, "fd%d", m->fd);
		buf_addstr(b, ",\"socket\":");
		buf_json_str(b, name, strlen(name));
		buf_printf(b, ",\"fd\":%d", m->fd);
	}
	if (op == SC_ACCEPT && m->new_fd >= 0) {
		snprintf(name, sizeof name, "fd%d", m->new_fd);
		buf_addstr(b, ",\"new_socket\":");
		buf_json_str(b, name, strlen(name));
		buf_printf(b, ",\"new_fd\":%d", m->new_fd);
	}
	report_call_text(sc, e->proc, m, call, sizeof call);
	buf_addstr(b, ",\"text\":");
	buf_json_str(b, call, strlen(call));
	if (e->kind == RUN_EV_CALL) {
		buf_printf(b, ",\"result\":%lld", (long long)m->result);
		if (m->result < 0)
			buf_printf(b, ",\"errno\":\"%s\",\"expected\":false", report_errno_name(m->err));
		if (m->t_begin_ns)
			buf_printf(b, ",\"duration_ns\":%llu", (unsigned long long)(m->t_ns - m->t_begin_ns));
	}
	report_json_addr(b, "local", &m->local);
	report_json_addr(b, "remote", &m->remote);
	if (m->datalen && (op == SC_SEND || op == SC_SENDTO || op == SC_RECV || op == SC_RECVFROM) &&
	    e->kind == RUN_EV_CALL) {
		buf_addstr(b, ",\"data\":");
		buf_json_str(b, (const char *)m->data, m->datalen);
	}
}

void report_json_fields(struct buf *b, const struct scenario *sc, const struct run_event *e)
{
	if (e->proc < 0)
		return;
	const struct sc_proc *sp = &sc->procs[e->proc];
	buf_addstr(b, ",\"host\":");
	buf_json_str(b, sc->hosts[sp->host].name, strlen(sc->hosts[sp->host].name));
	buf_addstr(b, ",\"process\":");
	buf_json_str(b, sp->name, strlen(sp->name));
	buf_printf(b, ",\"pid\":%d", (int)e->pid);
	if (e->msg && e->msg->call && (e->kind == RUN_EV_CALL || e->kind == RUN_EV_WAIT)) {
		report_json_traced(b, sc, e);
	} else if (e->msg && e->step >= 0 && e->step < sp->nsteps) {
		const struct sc_step *s = &sp->steps[e->step];
		const struct ctl_msg *m = e->msg;
		buf_printf(b, ",\"step\":%d,\"line\":%d", e->step, s->line);
		buf_json_field(b, "call", sc_op_name(s->op));
		if (s->sock >= 0) {
			buf_addstr(b, ",\"socket\":");
			buf_json_str(b, sp->socks[s->sock].name, strlen(sp->socks[s->sock].name));
			buf_printf(b, ",\"fd\":%d", m->fd);
		}
		if (s->new_sock >= 0) {
			buf_addstr(b, ",\"new_socket\":");
			buf_json_str(b, sp->socks[s->new_sock].name, strlen(sp->socks[s->new_sock].name));
			if (m->new_fd >= 0)
				buf_printf(b, ",\"new_fd\":%d", m->new_fd);
		}
		char call[256];
		report_call_text(sc, e->proc, m, call, sizeof call);
		buf_addstr(b, ",\"text\":");
		buf_json_str(b, call, strlen(call));
		if (e->kind == RUN_EV_CALL) {
			buf_printf(b, ",\"result\":%lld", (long long)m->result);
			if (m->result < 0) {
				buf_json_field(b, "errno", report_errno_name(m->err));
				buf_printf(b, ",\"expected\":%s", s->expect_errno == m->err ? "true" : "false");
			}
			if (m->t_begin_ns)
				buf_printf(b, ",\"duration_ns\":%llu",
					   (unsigned long long)(m->t_ns - m->t_begin_ns));
		}
		report_json_addr(b, "local", &m->local);
		report_json_addr(b, "remote", &m->remote);
		if (m->datalen && (s->op == SC_SEND || s->op == SC_SENDTO || s->op == SC_RECV ||
				   s->op == SC_RECVFROM) && e->kind == RUN_EV_CALL) {
			buf_addstr(b, ",\"data\":");
			buf_json_str(b, (const char *)m->data, m->datalen);
		}
	}
	if (e->kind == RUN_EV_OUTPUT || e->kind == RUN_EV_EXIT) {
		buf_addstr(b, ",\"text\":");
		buf_json_str(b, e->text ? e->text : "", e->text ? e->len : 0);
	}
	if (e->kind == RUN_EV_EXIT)
		buf_printf(b, ",\"status\":%d,\"failed\":%s", e->status, e->failed ? "true" : "false");
}

static void report_json(struct report *rep, const struct run_event *e)
{
	struct buf b = { 0 };
	buf_printf(&b, "{\"t\":%.6f", report_t(rep, e->t_ns));
	buf_json_field(&b, "event", report_kind_name(e->kind));
	buf_printf(&b, ",\"time_ns\":%llu", (unsigned long long)e->t_ns);
	report_json_fields(&b, rep->sc, e);
	buf_addstr(&b, "}\n");
	fputs(b.p, rep->out);
	fflush(rep->out);
	buf_free(&b);
}

void report_event(const struct run_event *e, void *arg)
{
	struct report *rep = arg;
	if (rep->fmt == REPORT_JSON)
		report_json(rep, e);
	else
		report_text(rep, e);
}

void report_note(struct report *rep, const char *text)
{
	if (rep->fmt == REPORT_JSON) {
		struct buf b = { 0 };
		buf_addstr(&b, "{\"event\":\"note\",\"text\":");
		buf_json_str(&b, text, strlen(text));
		buf_addstr(&b, "}\n");
		fputs(b.p, rep->out);
		buf_free(&b);
	} else {
		fprintf(rep->out, "# %s\n", text);
	}
	fflush(rep->out);
}
