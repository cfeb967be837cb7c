#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pcapfile.h"
#include "hmap.h"
#include "record.h"
#include "report.h"
#include "run.h"
#include "scenario.h"
#include "util.h"

struct tr_point {
	char *name;         /* whole, as the capture names it (owned) */
	int host;
	bool loopback;
	int linktype;
};

/* What attribution needs of a packet, decoded once per update. */
struct tr_pinfo {
	uint8_t family, proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;
	uint32_t paylen;
	bool ports;
	bool icmp_unreach;          /* ICMP(v6) port unreachable quoting a datagram */
	bool icmp_host;             /* ICMP(v6) echo or error: between hosts, no door */
	bool arp;                   /* ARP (Ethernet/IPv4): src and dst are its sender and target */
	struct dec_inner inner;
};

/* Per-door linking state (rebuilt with the links). */
struct trace_dstate {
	bool have_isn;
	uint32_t isn;
	uint64_t sent_hi;      /* TCP: highest relative byte seen leaving */
	uint64_t send_off;     /* TCP: bytes handed to send() */
	uint64_t recv_off;     /* TCP: bytes of the peer's stream taken by recv() */
	int *msgs;             /* messages from this door, in stream order */
	int nmsgs, capmsgs;
	int udp_depart, udp_arrive; /* UDP: first message not yet departed / arrived */
	bool syn_sent, fin_sent;    /* TCP: a SYN / a FIN (at fin_seq) left already */
	uint32_t fin_seq;
	int last_msg;          /* opened files: the connection's latest message */
};

struct trace {
	char *title, *about;
	struct tr_host *hosts;
	int nhosts;
	struct tr_proc *procs;
	int nprocs;
	const struct scenario *sc;  /* live: borrowed; opened: owned_sc */
	struct scenario *owned_sc;
	struct tr_door *doors;
	int ndoors, capdoors;
	struct tr_event *ev;
	size_t nev, capev;
	struct tr_call *calls;
	size_t ncalls, capcalls;
	struct tr_msg *msgs;
	int nmsgs, capmsgs;
	struct tr_point *points;
	int npoints;
	/* packet bytes: live runs keep them here; opened files read them back */
	struct buf arena;
	struct pcapfile *pf;
	int *pointlink;             /* opened files: linktype per interface */
	bool dirty;
	char warning[UTIL_ERRLEN];
	/* lookups rebuilt by trace_link: host by address, door by port or connection */
	struct hmap hostmap, portmap, connmap;
	struct hmap owners;         /* (host, proto, family, port) -> process, from the kernel */
	struct hmap progslots;      /* (process, traced socket) -> open door, rebuilt on update */
	struct trace_dstate *ds;    /* per door, parallel to doors */
	int *hostdoor;              /* per host: its host-level door, -1 (rebuilt with the links) */
	int caphostdoor;
	/* per-process step state while receiving live events */
	int *open_sock_door;        /* nprocs * SC_MAX_SOCKS, rebuilt on update */
	int *wait_step;             /* per process: the step whose call reported that it blocks, -1 */
};

static void trace_index_hosts(struct trace *t);
static int trace_guess_proc(const struct trace *t, int h);
static void trace_port_key(uint8_t key[HMAP_KEY], uint8_t proto, int h, int family, uint16_t port);

struct trace *trace_new(void)
{
	struct trace *t = xcalloc(1, sizeof *t);
	return t;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncalls; i++)
		free(t->calls[i].caption);
	free(t->title);
	free(t->about);
	free(t->hosts);
	free(t->procs);
	free(t->doors);
	free(t->ev);
	free(t->calls);
	free(t->msgs);
	for (int i = 0; i < t->npoints; i++)
		free(t->points[i].name);
	free(t->points);
	free(t->pointlink);
	free(t->open_sock_door);
	free(t->hostdoor);
	free(t->wait_step);
	hmap_free(&t->hostmap);
	hmap_free(&t->owners);
	hmap_free(&t->progslots);
	hmap_free(&t->portmap);
	hmap_free(&t->connmap);
	for (int d = 0; d < t->capdoors && t->ds; d++)
		free(t->ds[d].msgs);
	free(t->ds);
	if (t->pf)
		pcapfile_close(t->pf);
	buf_free(&t->arena);
	scenario_free(t->owned_sc);
	free(t);
}

/* ---- building ------------------------------------------------------------ */

void trace_set_scenario(struct trace *t, const struct scenario *sc)
{
	t->sc = sc;
	free(t->title);
	free(t->about);
	/* a stranger's file must not drive the terminal: no raw control bytes */
	t->title = util_printable(sc->title ? sc->title : "");
	t->about = util_printable(sc->about ? sc->about : "");
	t->nhosts = sc->nhosts;
	t->hosts = xcalloc((size_t)sc->nhosts, sizeof *t->hosts);
	for (int h = 0; h < sc->nhosts; h++) {
		const struct sc_host *s = &sc->hosts[h];
		struct tr_host *th = &t->hosts[h];
		snprintf(th->name, sizeof th->name, "%s", s->name);
		th->has4 = s->has4;
		th->has6 = s->has6;
		memcpy(th->addr4, s->addr4.bytes, 4);
		memcpy(th->addr6, s->addr6.bytes, 16);
	}
	t->nprocs = sc->nprocs;
	t->procs = xcalloc((size_t)sc->nprocs, sizeof *t->procs);
	for (int p = 0; p < sc->nprocs; p++) {
		const struct sc_proc *s = &sc->procs[p];
		struct tr_proc *tp = &t->procs[p];
		snprintf(tp->name, sizeof tp->name, "%s", s->name);
		tp->host = s->host;
		tp->is_exec = s->is_exec;
		if (s->is_exec)
			snprintf(tp->program, sizeof tp->program, "%s", s->steps[s->nsteps - 1].argv[0]);
	}
	t->open_sock_door = xreallocarray(NULL, (size_t)sc->nprocs * SC_MAX_SOCKS, sizeof(int));
	t->wait_step = xreallocarray(NULL, (size_t)(sc->nprocs ? sc->nprocs : 1), sizeof(int));
	for (int p = 0; p < sc->nprocs; p++)
		t->wait_step[p] = -1;
	trace_index_hosts(t);
	t->dirty = true;
}

void trace_own_scenario(struct trace *t, struct scenario *sc)
{
	trace_set_scenario(t, sc);
	t->owned_sc = sc;
}

int trace_add_point(struct trace *t, const char *name, int host, bool loopback, int linktype)
{
	t->points = xreallocarray(t->points, (size_t)t->npoints + 1, sizeof *t->points);
	struct tr_point *pt = &t->points[t->npoints];
	pt->name = xstrdup(name);
	pt->host = host;
	pt->loopback = loopback;
	pt->linktype = linktype;
	return t->npoints++;
}

static struct tr_event *trace_push(struct trace *t)
{
	if (t->nev == t->capev) {
		t->capev = t->capev ? t->capev * 2 : 256;
		t->ev = xreallocarray(t->ev, t->capev, sizeof *t->ev);
	}
	struct tr_event *e = &t->ev[t->nev++];
	memset(e, 0, sizeof *e);
	e->proc = e->door = e->peer = e->msg = -1;
	t->dirty = true;
	return e;
}

static size_t trace_push_call(struct trace *t, const struct ctl_msg *m)
{
	if (t->ncalls == t->capcalls) {
		t->capcalls = t->capcalls ? t->capcalls * 2 : 64;
		t->calls = xreallocarray(t->calls, t->capcalls, sizeof *t->calls);
	}
	struct tr_call *c = &t->calls[t->ncalls];
	memset(c, 0, sizeof *c);
	c->m = *m;
	return t->ncalls++;
}

/* Calls that start something (a send) are placed at their start, so the
 * packets they cause come after them; calls that wait for something (recv,
 * accept) at their return, after the packets that woke them. A TCP
 * connect() does both: it starts a handshake and waits for its answer, so
 * it is two events, its start (a wait, at the call's start) and its result
 * (at its return, after the SYN and the answer). */
static bool trace_op_waits(int op)
{
	return op == SC_RECV || op == SC_RECVFROM || op == SC_ACCEPT;
}

/* What tells a call's WAITING report and its DONE report belong together:
 * an agent's step, or a traced program's socket (a thread waits in one call
 * at a time; -2 and below, apart from steps and -1). */
static int trace_call_key(const struct ctl_msg *m)
{
	return m->call ? -2 - (m->sock >= 0 ? m->sock : 0) : m->step;
}

static bool trace_step_handshakes(const struct trace *t, int proc, const struct ctl_msg *m)
{
	if (m->call) /* a traced program's TCP connect (a non-blocking one returns before its handshake) */
		return m->call - 1 == SC_CONNECT && (m->flags & CTL_F_TCP) && !(m->flags & CTL_F_NONBLOCK);
	if (!t->sc || proc < 0 || proc >= t->sc->nprocs || m->step < 0 || m->step >= t->sc->procs[proc].nsteps)
		return false;
	const struct sc_step *s = &t->sc->procs[proc].steps[m->step];
	return s->op == SC_CONNECT && s->sock >= 0 && t->sc->procs[proc].socks[s->sock].proto == SC_TCP;
}

static void trace_fill_call(struct trace *t, struct tr_call *c, int proc)
{
	const struct sc_proc *sp = &t->sc->procs[proc];
	const struct ctl_msg *m = &c->m;
	if (m->call) { /* a traced program's call */
		if (m->call - 1 > SC_SETSOCKOPT) {
			c->op = -1;
			return;
		}
		c->op = m->call - 1;
		report_call_text(t->sc, proc, m, c->text, sizeof c->text);
		if (m->type == CTL_DONE)
			report_result_text(t->sc, proc, m, c->result, sizeof c->result);
		else if (m->type == CTL_WAITING)
			snprintf(c->result, sizeof c->result, "... waiting");
		return;
	}
	if (m->step < 0 || m->step >= sp->nsteps) {
		c->op = -1;
		return;
	}
	const struct sc_step *s = &sp->steps[m->step];
	c->op = (int)s->op;
	report_call_text(t->sc, proc, m, c->text, sizeof c->text);
	if (m->type == CTL_DONE)
		report_result_text(t->sc, proc, m, c->result, sizeof c->result);
	else if (m->type == CTL_WAITING)
		snprintf(c->result, sizeof c->result, "... waiting");
	c->failed = m->type == CTL_DONE && (m->result < 0 ? m->err != s->expect_errno : s->expect_errno != 0);
	if (s->op == SC_SAY && s->text)
		c->caption = util_printable(s->text);
}

void trace_add_run_event(struct trace *t, const struct run_event *e)
{
	if (e->kind == RUN_EV_END)
		return;
	struct tr_event *te;
	switch (e->kind) {
	case RUN_EV_SPAWN:
		te = trace_push(t);
		te->kind = TR_SPAWN;
		te->t_ns = e->t_ns;
		te->proc = e->proc;
		t->procs[e->proc].pid = e->pid;
		break;
	case RUN_EV_CALL:
	case RUN_EV_WAIT:
	case RUN_EV_EXEC: {
		if (e->kind == RUN_EV_EXEC && (e->msg->flags & CTL_F_TRACED))
			t->procs[e->proc].traced = true;
		bool hs = e->kind != RUN_EV_EXEC && trace_step_handshakes(t, e->proc, e->msg);
		if (e->kind == RUN_EV_CALL && hs && t->wait_step[e->proc] != trace_call_key(e->msg) && e->msg->t_begin_ns) {
			/* a connect() that did not report waiting (its answer came
			 * within the call): its start, before its packets */
			struct ctl_msg w = *e->msg;
			w.type = CTL_WAITING;
			w.t_ns = w.t_begin_ns;
			size_t wi = trace_push_call(t, &w);
			trace_fill_call(t, &t->calls[wi], e->proc);
			te = trace_push(t);
			te->kind = TR_WAIT;
			te->proc = e->proc;
			te->ref = wi;
			te->t_ns = w.t_ns;
		}
		size_t ci = trace_push_call(t, e->msg);
		trace_fill_call(t, &t->calls[ci], e->proc);
		te = trace_push(t);
		te->kind = e->kind == RUN_EV_CALL ? TR_CALL : e->kind == RUN_EV_WAIT ? TR_WAIT : TR_EXEC;
		te->proc = e->proc;
		te->ref = ci;
		te->t_ns = e->msg->t_ns;
		if (e->kind == RUN_EV_CALL && !hs && !trace_op_waits(t->calls[ci].op) && e->msg->t_begin_ns)
			te->t_ns = e->msg->t_begin_ns;
		if (e->kind == RUN_EV_WAIT && hs && e->msg->t_begin_ns)
			te->t_ns = e->msg->t_begin_ns; /* the handshake starts with the call */
		if (e->kind != RUN_EV_EXEC)
			t->wait_step[e->proc] = e->kind == RUN_EV_WAIT ? trace_call_key(e->msg) : -1;
		break;
	}
	case RUN_EV_OUTPUT: {
		struct ctl_msg m;
		memset(&m, 0, sizeof m);
		m.step = -1;
		size_t ci = trace_push_call(t, &m);
		struct tr_call *c = &t->calls[ci];
		c->op = -1;
		util_escape(c->text, sizeof c->text, (const uint8_t *)e->text, e->len);
		te = trace_push(t);
		te->kind = TR_OUTPUT;
		te->proc = e->proc;
		te->ref = ci;
		te->t_ns = e->t_ns;
		break;
	}
	case RUN_EV_EXIT: {
		struct ctl_msg m;
		memset(&m, 0, sizeof m);
		m.step = -1;
		m.status = e->status;
		size_t ci = trace_push_call(t, &m);
		struct tr_call *c = &t->calls[ci];
		c->op = -1;
		c->failed = e->failed;
		snprintf(c->text, sizeof c->text, "%.*s", (int)e->len, e->text ? e->text : "");
		te = trace_push(t);
		te->kind = TR_EXIT;
		te->proc = e->proc;
		te->ref = ci;
		te->t_ns = e->t_ns;
		t->procs[e->proc].ended = true;
		break;
	}
	default:
		break;
	}
}

static uint64_t trace_ref(uint64_t off, uint32_t caplen);

void trace_add_packet(struct trace *t, int point, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t wirelen)
{
	struct tr_event *e = trace_push(t);
	e->kind = TR_PACKET;
	e->t_ns = ts_ns;
	e->point = (uint16_t)point;
	if (caplen > PCAPFILE_MAX_CAPLEN)
		caplen = PCAPFILE_MAX_CAPLEN; /* the capture's snap length: never more */
	e->ref = trace_ref(t->arena.len, caplen);
	buf_add(&t->arena, &wirelen, sizeof wirelen);
	buf_add(&t->arena, data, caplen);
}

/* ---- packet access ------------------------------------------------------- */

/* A packet's ref holds its offset (file or memory, below 2^45 = 32 TiB) and
 * its captured length (at most PCAPFILE_MAX_CAPLEN = 2^18, 19 bits) above it. */
#define TR_REF_OFF_BITS 45

static uint64_t trace_ref(uint64_t off, uint32_t caplen)
{
	return (uint64_t)caplen << TR_REF_OFF_BITS | (off & ((1ull << TR_REF_OFF_BITS) - 1));
}

static uint64_t trace_ref_off(const struct tr_event *e)
{
	return e->ref & ((1ull << TR_REF_OFF_BITS) - 1);
}

uint32_t trace_event_caplen(const struct tr_event *e)
{
	return e->kind == TR_PACKET ? (uint32_t)(e->ref >> TR_REF_OFF_BITS) : 0;
}

const uint8_t *trace_packet_bytes(struct trace *t, const struct tr_event *e, uint32_t *caplen,
				  uint32_t *wirelen, int *linktype)
{
	if (e->kind != TR_PACKET)
		return NULL;
	uint64_t off = trace_ref_off(e);
	*caplen = trace_event_caplen(e);
	*linktype = e->point < t->npoints ? t->points[e->point].linktype : DEC_DLT_EN10MB;
	if (t->pf) {
		*wirelen = *caplen;
		return pcapfile_data_at(t->pf, off, *caplen);
	}
	if (off + sizeof(uint32_t) + *caplen > t->arena.len)
		return NULL;
	memcpy(wirelen, t->arena.p + off, sizeof *wirelen);
	return (const uint8_t *)t->arena.p + off + sizeof(uint32_t);
}

enum dec_status trace_packet_decode(struct trace *t, const struct tr_event *e, struct dec_pkt *out)
{
	uint32_t caplen, wirelen;
	int lt;
	const uint8_t *p = trace_packet_bytes(t, e, &caplen, &wirelen, &lt);
	if (!p) {
		memset(out, 0, sizeof *out);
		out->status = DEC_TRUNC;
		snprintf(out->why, sizeof out->why, "packet bytes unavailable");
		return DEC_TRUNC;
	}
	return decode_packet(lt, p, caplen, wirelen, out);
}

/* ICMP messages that go between hosts rather than between doors: echo
 * and its reply, and the errors (RFC 792, RFC 4443); not router or
 * neighbour discovery, which is the network's own housekeeping. */
static bool trace_icmp_between_hosts(int family, uint8_t type)
{
	if (family == AF_INET)
		return type == 0 || type == 8 || type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
	return (type >= 1 && type <= 4) || type == 128 || type == 129;
}

static bool trace_pinfo_of(const struct dec_pkt *d, struct tr_pinfo *pi)
{
	memset(pi, 0, sizeof *pi);
	if (d->is_arp) {
		if (!d->arp_eth_ip)
			return false;
		pi->arp = true;
		pi->family = AF_INET;
		memcpy(pi->src, d->arp_spa, 4);
		memcpy(pi->dst, d->arp_tpa, 4);
		return true;
	}
	if (!d->family)
		return false;
	pi->family = (uint8_t)d->family;
	pi->proto = d->proto;
	memcpy(pi->src, d->src, 16);
	memcpy(pi->dst, d->dst, 16);
	pi->ports = d->has_ports;
	pi->sport = d->sport;
	pi->dport = d->dport;
	pi->seq = d->seq;
	pi->ack = d->ack;
	pi->flags = d->tcp_flags;
	pi->paylen = d->payload_wirelen;
	if (d->is_icmp && d->has_inner && d->inner.has_ports &&
	    ((d->family == AF_INET && d->icmp_type == 3) || (d->family == AF_INET6 && d->icmp_type == 1))) {
		pi->icmp_unreach = true;
		pi->inner = d->inner;
	}
	if (d->is_icmp && d->tp_len > 0 && !pi->icmp_unreach && trace_icmp_between_hosts(d->family, d->icmp_type))
		pi->icmp_host = true;
	return true;
}

static bool trace_pinfo(struct trace *t, const struct tr_event *e, struct tr_pinfo *pi)
{
	struct dec_pkt d;
	trace_packet_decode(t, e, &d);
	return trace_pinfo_of(&d, pi);
}

/* ---- attribution --------------------------------------------------------- */

static void trace_host_key(uint8_t key[HMAP_KEY], int family, const uint8_t *a)
{
	memset(key, 0, HMAP_KEY);
	key[0] = 1;
	key[1] = (uint8_t)family;
	memcpy(key + 2, a, family == AF_INET ? 4 : 16);
}

static int trace_host_of(const struct trace *t, int family, const uint8_t *a)
{
	uint8_t key[HMAP_KEY];
	trace_host_key(key, family, a);
	return hmap_get(&t->hostmap, key);
}

static void trace_index_hosts(struct trace *t)
{
	uint8_t key[HMAP_KEY];
	hmap_clear(&t->hostmap);
	for (int h = 0; h < t->nhosts; h++) {
		if (t->hosts[h].has4) {
			trace_host_key(key, AF_INET, t->hosts[h].addr4);
			hmap_put(&t->hostmap, key, h);
		}
		if (t->hosts[h].has6) {
			trace_host_key(key, AF_INET6, t->hosts[h].addr6);
			hmap_put(&t->hostmap, key, h);
		}
	}
}

static bool trace_addr_any(const struct tr_addr *a)
{
	static const uint8_t zero[16];
	return a->family == 0 || !memcmp(a->bytes, zero, a->family == AF_INET ? 4 : 16);
}

static bool trace_addr_eq(const struct tr_addr *a, int family, const uint8_t *ip, uint16_t port)
{
	return a->family == family && a->port == port && !memcmp(a->bytes, ip, family == AF_INET ? 4 : 16);
}

static void trace_from_sockaddr(struct tr_addr *a, const struct sockaddr_storage *ss)
{
	memset(a, 0, sizeof *a);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
		a->family = AF_INET;
		memcpy(a->bytes, &s->sin_addr, 4);
		a->port = ntohs(s->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
		a->family = AF_INET6;
		memcpy(a->bytes, &s->sin6_addr, 16);
		a->port = ntohs(s->sin6_port);
	}
}

static bool trace_is_loopback(int family, const uint8_t *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	return family == AF_INET ? a[0] == 127 : !memcmp(a, lo6, 16);
}

static int trace_new_door(struct trace *t)
{
	if (t->ndoors == t->capdoors) {
		int old = t->capdoors;
		t->capdoors = t->capdoors ? t->capdoors * 2 : 16;
		t->doors = xreallocarray(t->doors, (size_t)t->capdoors, sizeof *t->doors);
		t->ds = xreallocarray(t->ds, (size_t)t->capdoors, sizeof *t->ds);
		memset(t->ds + old, 0, (size_t)(t->capdoors - old) * sizeof *t->ds);
	}
	struct trace_dstate *st = &t->ds[t->ndoors];
	int *keep = st->msgs;
	int cap = st->capmsgs;
	memset(st, 0, sizeof *st);
	st->msgs = keep;  /* reuse the list's memory across updates */
	st->capmsgs = cap;
	st->last_msg = -1;
	struct tr_door *d = &t->doors[t->ndoors];
	memset(d, 0, sizeof *d);
	d->proc = d->sock = d->parent = -1;
	d->host = -1;
	d->first_ev = d->last_ev = -1;
	return t->ndoors++;
}

/* Doors are found per packet in constant time: a connected TCP door by its
 * connection (host, both addresses and ports), any other by (host, protocol,
 * port). When two doors share a key the later one wins. */
static void trace_port_key(uint8_t key[HMAP_KEY], uint8_t proto, int h, int family, uint16_t port)
{
	memset(key, 0, HMAP_KEY);
	key[0] = 2;
	key[1] = proto;
	key[2] = (uint8_t)family;
	memcpy(key + 4, &h, sizeof h);
	memcpy(key + 8, &port, sizeof port);
}

static void trace_conn_key(uint8_t key[HMAP_KEY], uint8_t proto, int h, int family, const uint8_t *ip,
			   uint16_t port, const uint8_t *rip, uint16_t rport)
{
	size_t n = family == AF_INET ? 4 : 16;
	memset(key, 0, HMAP_KEY);
	key[0] = 3;
	key[1] = proto;
	key[2] = (uint8_t)family;
	key[3] = (uint8_t)h;
	memcpy(key + 4, ip, n);
	memcpy(key + 20, rip, n);
	memcpy(key + 36, &port, 2);
	memcpy(key + 38, &rport, 2);
}

static void trace_register_door(struct trace *t, int d)
{
	const struct tr_door *door = &t->doors[d];
	uint8_t key[HMAP_KEY];
	if (door->host < 0)
		return;
	if (door->proto == IPPROTO_TCP && door->remote.family && !trace_addr_any(&door->local)) {
		trace_conn_key(key, door->proto, door->host, door->local.family, door->local.bytes, door->local.port,
			       door->remote.bytes, door->remote.port);
		hmap_put(&t->connmap, key, d);
		return;
	}
	/* an unconnected door listens on every family its socket has */
	trace_port_key(key, door->proto, door->host, door->local.family, door->local.port);
	hmap_put(&t->portmap, key, d);
}

static int trace_find_door(const struct trace *t, uint8_t proto, int h, int family, const uint8_t *ip,
			   uint16_t port, const uint8_t *rip, uint16_t rport)
{
	uint8_t key[HMAP_KEY];
	if (proto == IPPROTO_TCP) {
		trace_conn_key(key, proto, h, family, ip, port, rip, rport);
		int d = hmap_get(&t->connmap, key);
		if (d >= 0)
			return d;
	}
	trace_port_key(key, proto, h, family, port);
	return hmap_get(&t->portmap, key);
}

void trace_set_owner(struct trace *t, int host, int proto, int family, uint16_t port, int proc)
{
	uint8_t key[HMAP_KEY];
	trace_port_key(key, (uint8_t)proto, host, family, port);
	hmap_put(&t->owners, key, proc);
	t->dirty = true;
}

static bool trace_host_runs_programs(const struct trace *t, int h)
{
	for (int p = 0; p < t->nprocs; p++)
		if (t->procs[p].host == h && t->procs[p].is_exec && !t->procs[p].traced)
			return true;
	return false;
}

/* The process a socket seen only in packets belongs to: as the kernel told
 * (trace_set_owner), else the one exec'd program on that host if there is
 * exactly one. */
static int trace_owner(const struct trace *t, int h, int proto, int family, uint16_t port)
{
	uint8_t key[HMAP_KEY];
	trace_port_key(key, (uint8_t)proto, h, family, port);
	int p = hmap_get(&t->owners, key);
	if (p >= 0)
		return p;
	return trace_guess_proc(t, h);
}

static int trace_guess_proc(const struct trace *t, int h)
{
	int found = -1;
	for (int p = 0; p < t->nprocs; p++) {
		if (t->procs[p].host != h || !t->procs[p].is_exec || t->procs[p].traced)
			continue;
		if (found >= 0)
			return -1;
		found = p;
	}
	return found;
}

/* A door seen only in packets, at (ip, port) on host h; connected ones
 * also know their remote end. The caller registers it. */
static int trace_packet_door(struct trace *t, const struct tr_pinfo *pi, int h, const uint8_t *ip, uint16_t port,
			     const uint8_t *rip, uint16_t rport, bool connected, long i)
{
	int d = trace_new_door(t);
	struct tr_door *nd = &t->doors[d];
	nd->proto = pi->proto;
	nd->host = h;
	nd->proc = trace_owner(t, h, pi->proto, pi->family, port);
	nd->local.family = pi->family;
	memcpy(nd->local.bytes, ip, 16);
	nd->local.port = port;
	if (connected) {
		nd->remote.family = pi->family;
		memcpy(nd->remote.bytes, rip, 16);
		nd->remote.port = rport;
	}
	nd->first_ev = i;
	return d;
}

/* A SYN from a door whose port its connect() did not report (a refused
 * connect: the port is gone when the call returns): the open, unnumbered
 * TCP door on that host whose connect() points where the SYN goes. */
static int trace_claim_connect_door(struct trace *t, const struct tr_pinfo *pi, int h, long i)
{
	for (int d = 0; d < t->ndoors; d++) {
		struct tr_door *door = &t->doors[d];
		if (door->proc < 0 || door->host != h || door->proto != IPPROTO_TCP || door->local.port ||
		    door->nobody || door->listening || (door->first_ev >= 0 && door->first_ev > i) ||
		    (door->last_ev >= 0 && door->last_ev < i) ||
		    !trace_addr_eq(&door->remote, pi->family, pi->dst, pi->dport))
			continue;
		door->local.family = pi->family;
		memcpy(door->local.bytes, pi->src, 16);
		door->local.port = pi->sport;
		trace_register_door(t, d);
		return d;
	}
	return -1;
}

static int trace_door_for_packet_end(struct trace *t, const struct tr_pinfo *pi, bool src, int h, long i)
{
	const uint8_t *ip = src ? pi->src : pi->dst;
	const uint8_t *rip = src ? pi->dst : pi->src;
	uint16_t port = src ? pi->sport : pi->dport, rport = src ? pi->dport : pi->sport;
	if (h < 0)
		return -1;
	int d = trace_find_door(t, pi->proto, h, pi->family, ip, port, rip, rport);
	if (d >= 0)
		return d;
	/* (only processes' doors wait for their connection's ports: none in
	 * an opened capture, where the scan would cost O(doors) a SYN) */
	if (t->sc && src && pi->proto == IPPROTO_TCP && (pi->flags & (DEC_TCP_SYN | DEC_TCP_ACK)) == DEC_TCP_SYN) {
		d = trace_claim_connect_door(t, pi, h, i);
		if (d >= 0)
			return d;
	}
	/* A socket no agent reported: a real program's (or, in an opened
	 * file, anybody's). Make a door for it. In a live run, a host with no
	 * real program has no such sockets: the kernel itself answered. */
	if (t->sc && !trace_host_runs_programs(t, h)) {
		/* The sender's own door is an agent's, reported when its call
		 * returns (a SYN leaves before connect() does): not known yet. */
		if (src)
			return -1;
		/* a closed door: drawn so the class sees where the knock went */
		d = trace_packet_door(t, pi, h, ip, port, rip, rport, pi->proto == IPPROTO_TCP, i);
		t->doors[d].nobody = true;
		t->doors[d].proc = -1;
		trace_register_door(t, d);
		return d;
	}
	int w = -1;
	if (pi->proto == IPPROTO_TCP && !src && (pi->flags & (DEC_TCP_SYN | DEC_TCP_ACK)) == DEC_TCP_SYN) {
		/* a connection request to an unknown door: a welcoming door */
		w = trace_packet_door(t, pi, h, ip, port, rip, rport, false, i);
		t->doors[w].listening = true;
		trace_register_door(t, w);
	}
	uint8_t key[HMAP_KEY];
	trace_port_key(key, pi->proto, h, pi->family, port);
	int known = hmap_get(&t->portmap, key);
	if (pi->proto == IPPROTO_TCP && !(pi->flags & DEC_TCP_SYN) && !src && known >= 0 && t->doors[known].listening)
		w = known; /* data to an unknown connection of a welcoming door: its child */
	if (pi->proto == IPPROTO_TCP && (pi->flags & DEC_TCP_RST) && src && w < 0 && known < 0)
		return -1; /* a RST from a port nobody listens on comes from the kernel, not a door */
	d = trace_packet_door(t, pi, h, ip, port, rip, rport, pi->proto == IPPROTO_TCP, i);
	if (w >= 0) {
		t->doors[d].parent = w;
		t->doors[d].proc = t->doors[w].proc;
	}
	trace_register_door(t, d);
	return d;
}

/* Host h's own door (created at event i when it has none yet): where
 * packets that no socket sends, ICMP echo and errors and ARP, start and end. */
static int trace_host_door(struct trace *t, int h, int family, const uint8_t *addr, long i)
{
	if (h < 0)
		return -1;
	if (h >= t->caphostdoor) {
		int old = t->caphostdoor;
		t->caphostdoor = h + 1 > 2 * old ? h + 1 : 2 * old;
		t->hostdoor = xreallocarray(t->hostdoor, (size_t)t->caphostdoor, sizeof *t->hostdoor);
		for (int k = old; k < t->caphostdoor; k++)
			t->hostdoor[k] = -1;
	}
	if (t->hostdoor[h] >= 0)
		return t->hostdoor[h];
	int d = trace_new_door(t);
	struct tr_door *nd = &t->doors[d];
	nd->host = h;
	nd->host_level = true;
	nd->local.family = (uint8_t)family;
	memcpy(nd->local.bytes, addr, family == AF_INET ? 4 : 16);
	nd->first_ev = i;
	t->hostdoor[h] = d;
	return d;
}

/* Hosts of a plain capture: every address that sends or receives IP.
 * Returns the host, or -1 for addresses that are no house. */
static int trace_note_host(struct trace *t, int family, const uint8_t *a)
{
	static const uint8_t zero[16];
	int h = trace_host_of(t, family, a);
	if (h >= 0 || t->nhosts >= 65536)
		return h;
	if (!memcmp(a, zero, family == AF_INET ? 4 : 16) || (family == AF_INET && a[0] >= 224) ||
	    (family == AF_INET6 && a[0] == 0xff))
		return -1; /* unspecified, multicast, broadcast: no house */
	t->hosts = xreallocarray(t->hosts, (size_t)t->nhosts + 1, sizeof *t->hosts);
	struct tr_host *th = &t->hosts[t->nhosts];
	memset(th, 0, sizeof *th);
	inet_ntop(family, a, th->name, sizeof th->name);
	if (family == AF_INET) {
		th->has4 = true;
		memcpy(th->addr4, a, 4);
	} else {
		th->has6 = true;
		memcpy(th->addr6, a, 16);
	}
	uint8_t key[HMAP_KEY];
	trace_host_key(key, family, a);
	hmap_put(&t->hostmap, key, t->nhosts);
	return t->nhosts++;
}

/* ---- update: order, doors, messages -------------------------------------- */

static int trace_cmp_ev(const void *a, const void *b)
{
	const struct tr_event *x = a, *y = b;
	if (x->t_ns != y->t_ns)
		return x->t_ns < y->t_ns ? -1 : 1;
	return 0;
}

/* Stable merge sort by time (qsort is not stable, and equal stamps keep
 * their arrival order). */
static void trace_sort(struct trace *t)
{
	size_t n = t->nev;
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		if (t->ev[i - 1].t_ns > t->ev[i].t_ns)
			sorted = false;
	if (sorted)
		return;
	struct tr_event *tmp = xreallocarray(NULL, n, sizeof *tmp);
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = trace_cmp_ev(&t->ev[b], &t->ev[a]) < 0 ? t->ev[b++] : t->ev[a++];
			while (a < mid)
				tmp[k++] = t->ev[a++];
			while (b < hi)
				tmp[k++] = t->ev[b++];
		}
		memcpy(t->ev, tmp, n * sizeof *tmp);
	}
	free(tmp);
}

static int trace_new_msg(struct trace *t)
{
	if (t->nmsgs == t->capmsgs) {
		t->capmsgs = t->capmsgs ? t->capmsgs * 2 : 32;
		t->msgs = xreallocarray(t->msgs, (size_t)t->capmsgs, sizeof *t->msgs);
	}
	struct tr_msg *m = &t->msgs[t->nmsgs];
	memset(m, 0, sizeof *m);
	m->from = m->to = -1;
	m->send_ev = m->first_pkt = m->last_pkt = m->first_recv = m->last_recv = -1;
	return t->nmsgs++;
}

/* The open door of socket sock of process proc: agents' sockets by their
 * scenario index, traced programs' sockets (any number) by key. */
static int *trace_slot(struct trace *t, int proc, int sock, bool traced, int *tmp)
{
	if (sock < 0)
		return NULL;
	if (!traced)
		return sock < SC_MAX_SOCKS ? &t->open_sock_door[proc * SC_MAX_SOCKS + sock] : NULL;
	uint8_t key[HMAP_KEY] = { 4 };
	memcpy(key + 4, &proc, sizeof proc);
	memcpy(key + 8, &sock, sizeof sock);
	*tmp = hmap_get(&t->progslots, key);
	return tmp;
}

static void trace_slot_set(struct trace *t, int proc, int sock, bool traced, int d)
{
	int tmp;
	if (!traced) {
		int *s = trace_slot(t, proc, sock, false, &tmp);
		if (s)
			*s = d;
		return;
	}
	uint8_t key[HMAP_KEY] = { 4 };
	memcpy(key + 4, &proc, sizeof proc);
	memcpy(key + 8, &sock, sizeof sock);
	hmap_put(&t->progslots, key, d);
}

/* Doors from the agents' and the traced programs' calls, in time order. */
static void trace_doors_from_calls(struct trace *t)
{
	if (!t->sc)
		return;
	for (int i = 0; i < t->nprocs * SC_MAX_SOCKS; i++)
		t->open_sock_door[i] = -1;
	hmap_clear(&t->progslots);
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_CALL && e->kind != TR_WAIT)
			continue;
		struct tr_call *c = &t->calls[e->ref];
		const struct ctl_msg *m = &c->m;
		if (c->op < 0)
			continue;
		bool traced = m->call != 0;
		int op = c->op, sock, new_sock;
		const struct sc_proc *sp = &t->sc->procs[e->proc];
		if (traced) {
			sock = m->sock;
			new_sock = m->new_sock;
		} else {
			sock = sp->steps[m->step].sock;
			new_sock = sp->steps[m->step].new_sock;
		}
		int tmp;
		if (e->kind == TR_CALL && m->result >= 0 && new_sock >= 0 && (op == SC_SOCKET || op == SC_ACCEPT)) {
			int d = trace_new_door(t);
			struct tr_door *door = &t->doors[d];
			door->proc = e->proc;
			door->host = t->procs[e->proc].host;
			door->sock = new_sock;
			door->first_ev = (long)i;
			if (traced) {
				snprintf(door->name, sizeof door->name, "fd%d", m->new_fd);
				door->proto = m->flags & CTL_F_TCP ? IPPROTO_TCP : IPPROTO_UDP;
				door->local.family = (uint8_t)(m->local.ss_family ? m->local.ss_family : AF_INET);
			} else {
				const struct sc_sock *ss = &sp->socks[new_sock];
				snprintf(door->name, sizeof door->name, "%s", ss->name);
				door->proto = ss->proto == SC_TCP ? IPPROTO_TCP : IPPROTO_UDP;
				door->local.family = (uint8_t)ss->family;
			}
			if (op == SC_ACCEPT) {
				trace_from_sockaddr(&door->local, &m->local);
				trace_from_sockaddr(&door->remote, &m->remote);
				int *ps = trace_slot(t, e->proc, sock, traced, &tmp);
				door->parent = ps ? *ps : -1;
				e->peer = d;
			}
			trace_slot_set(t, e->proc, new_sock, traced, d);
		}
		int *ds = trace_slot(t, e->proc, sock >= 0 ? sock : (op == SC_SOCKET ? new_sock : -1), traced, &tmp);
		int d = ds ? *ds : -1;
		e->door = d;
		if (d < 0 || op == SC_ACCEPT || e->kind != TR_CALL)
			continue;
		struct tr_door *door = &t->doors[d];
		if (m->local.ss_family && m->result >= 0) {
			struct tr_addr l;
			trace_from_sockaddr(&l, &m->local);
			/* keep a concrete address once seen; take the port always */
			if (trace_addr_any(&door->local) || !trace_addr_any(&l))
				door->local = l;
			else
				door->local.port = l.port;
		}
		if (op == SC_CONNECT && door->proto == IPPROTO_TCP) {
			if (m->result >= 0) {
				trace_from_sockaddr(&door->remote, &m->remote);
			} else if (traced && m->remote.ss_family) {
				/* refused: the door knocked there all the same */
				trace_from_sockaddr(&door->remote, &m->remote);
			} else if (!traced) {
				const struct sc_step *s = &sp->steps[m->step];
				if (!s->ep.peer && !s->ep.any_addr && s->ep.addr.family) {
					/* refused: the door knocked there all the same (its SYN
					 * shows it, and the answer comes back to it) */
					memset(&door->remote, 0, sizeof door->remote);
					door->remote.family = (uint8_t)s->ep.addr.family;
					memcpy(door->remote.bytes, s->ep.addr.bytes, 16);
					door->remote.port = s->ep.port;
				}
			}
		}
		if (op == SC_LISTEN && m->result >= 0)
			door->listening = true;
		if (op == SC_CLOSE && !(m->flags & CTL_F_SHARED)) {
			door->last_ev = (long)i;
			trace_slot_set(t, e->proc, sock, traced, -1);
		}
	}
}

static int trace_peer_door(const struct trace *t, int d)
{
	const struct tr_door *a = &t->doors[d];
	if (a->proto != IPPROTO_TCP || !a->remote.family)
		return -1;
	for (int k = 0; k < t->ndoors; k++) {
		const struct tr_door *b = &t->doors[k];
		if (k != d && b->proto == IPPROTO_TCP && b->remote.family &&
		    trace_addr_eq(&b->local, a->remote.family, a->remote.bytes, a->remote.port) &&
		    b->remote.port == a->local.port)
			return k;
	}
	return -1;
}

static void trace_msg_add_pkt(struct tr_msg *m, long i, const struct tr_event *e, bool retrans, bool counted)
{
	if (e->dir == TR_DIR_DEPART || e->dir == TR_DIR_LOCAL || e->dir == TR_DIR_NONE) {
		if (m->first_pkt < 0)
			m->first_pkt = i;
		if (!counted) {
			m->npkts++;
			if (retrans)
				m->nretrans++;
		}
	}
	if (e->dir == TR_DIR_ARRIVE || e->dir == TR_DIR_LOCAL || e->dir == TR_DIR_NONE)
		m->last_pkt = i;
	if (m->first_pkt < 0)
		m->first_pkt = i;
}

static int trace_door_msg(struct trace *t, int door, int from, int to, uint8_t proto, uint64_t off, uint64_t bytes)
{
	int m = trace_new_msg(t);
	struct tr_msg *msg = &t->msgs[m];
	msg->from = from;
	msg->to = to;
	msg->proto = proto;
	msg->stream_off = off;
	msg->bytes = bytes;
	struct trace_dstate *st = &t->ds[door];
	if (st->nmsgs == st->capmsgs) {
		st->capmsgs = st->capmsgs ? st->capmsgs * 2 : 8;
		st->msgs = xreallocarray(st->msgs, (size_t)st->capmsgs, sizeof *st->msgs);
	}
	st->msgs[st->nmsgs++] = m;
	return m;
}

/* The first message of door d whose bytes end after stream offset rel
 * (messages of a door are in stream order: binary search). */
static int trace_first_overlap(const struct trace *t, int d, uint64_t rel)
{
	const struct trace_dstate *st = &t->ds[d];
	int lo = 0, hi = st->nmsgs;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const struct tr_msg *m = &t->msgs[st->msgs[mid]];
		if (m->stream_off + m->bytes <= rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A TCP segment with data: link it to every message whose bytes it carries. */
static void trace_link_tcp(struct trace *t, long i, struct tr_event *e, const struct tr_pinfo *pi)
{
	struct trace_dstate *st = &t->ds[e->door];
	if ((pi->flags & DEC_TCP_SYN) && !st->have_isn) {
		st->have_isn = true;
		st->isn = pi->seq;
	}
	bool departing = e->dir != TR_DIR_ARRIVE;
	if (departing && (pi->flags & DEC_TCP_SYN)) {
		if (st->syn_sent && pi->seq == st->isn)
			e->mark |= TR_MARK_RESENT;
		st->syn_sent = true;
	}
	if (departing && (pi->flags & DEC_TCP_FIN)) {
		if (st->fin_sent && pi->seq == st->fin_seq && !pi->paylen)
			e->mark |= TR_MARK_RESENT;
		st->fin_sent = true;
		st->fin_seq = pi->seq;
	}
	if (!st->have_isn || pi->paylen == 0)
		return;
	uint64_t rel = (uint32_t)(pi->seq - st->isn - 1);
	bool retrans = departing && rel + pi->paylen <= st->sent_hi;
	if (retrans)
		e->mark |= TR_MARK_RESENT;
	if (departing && rel + pi->paylen > st->sent_hi)
		st->sent_hi = rel + pi->paylen;
	if (t->sc) {
		for (int k = trace_first_overlap(t, e->door, rel); k < st->nmsgs; k++) {
			struct tr_msg *msg = &t->msgs[st->msgs[k]];
			if (msg->stream_off >= rel + pi->paylen)
				break;
			if (e->msg < 0)
				e->msg = st->msgs[k];
			if (msg->to < 0)
				msg->to = e->peer;
			trace_msg_add_pkt(msg, i, e, retrans, false);
		}
		return;
	}
	/* opened files: a run of one direction's data is one message */
	int last = st->last_msg;
	if (last >= 0 && t->msgs[last].from == e->door) {
		struct tr_msg *msg = &t->msgs[last];
		if (rel + pi->paylen > msg->stream_off + msg->bytes && rel >= msg->stream_off)
			msg->bytes = rel + pi->paylen - msg->stream_off;
		e->msg = last;
		trace_msg_add_pkt(msg, i, e, retrans, false);
		return;
	}
	if (retrans && last >= 0)
		return; /* an old segment sent again after the other side spoke */
	int m = trace_door_msg(t, e->door, e->door, e->peer, IPPROTO_TCP, rel, pi->paylen);
	e->msg = m;
	trace_msg_add_pkt(&t->msgs[m], i, e, retrans, false);
	st->last_msg = m;
	if (e->peer >= 0)
		t->ds[e->peer].last_msg = m;
}

/* Two sightings of one frame (a departure and its arrival): bridges and
 * doorway's switch forward frames unchanged, so their bytes are equal. */
static bool trace_same_packet(struct trace *t, const struct tr_event *a, const struct tr_event *b)
{
	if (trace_event_caplen(a) != trace_event_caplen(b))
		return false;
	uint32_t ca, cb, wa, wb;
	int la, lb;
	const uint8_t *pa = trace_packet_bytes(t, a, &ca, &wa, &la);
	if (!pa)
		return false;
	uint8_t first[256];
	uint32_t n = ca < sizeof first ? ca : (uint32_t)sizeof first;
	memcpy(first, pa, n); /* file reads may reuse one buffer */
	const uint8_t *pb = trace_packet_bytes(t, b, &cb, &wb, &lb);
	return pb && la == lb && !memcmp(first, pb, n);
}

/* A UDP datagram: its departure takes the door's oldest unsent message of
 * that size, its arrival the departed one whose frame it is (so a lost
 * datagram leaves its message without an arrival). */
static void trace_link_udp(struct trace *t, long i, struct tr_event *e, const struct tr_pinfo *pi)
{
	if (pi->paylen == 0)
		return;
	struct trace_dstate *st = &t->ds[e->door];
	if (!t->sc) {
		int m = trace_door_msg(t, e->door, e->door, e->peer, IPPROTO_UDP, 0, pi->paylen);
		e->msg = m;
		trace_msg_add_pkt(&t->msgs[m], i, e, false, false);
		return;
	}
	bool arrive = e->dir == TR_DIR_ARRIVE;
	int *cur = arrive ? &st->udp_arrive : &st->udp_depart;
	for (int k = *cur; k < st->nmsgs && k < *cur + 16; k++) {
		struct tr_msg *msg = &t->msgs[st->msgs[k]];
		if (msg->bytes != pi->paylen)
			continue;
		if (!arrive && msg->first_pkt >= 0)
			continue;
		if (arrive && (msg->first_pkt < 0 || msg->last_pkt >= 0))
			continue;
		if (arrive && !trace_same_packet(t, &t->ev[msg->first_pkt], e))
			continue; /* that one was lost on the way: try the next */
		e->msg = st->msgs[k];
		if (msg->to < 0)
			msg->to = e->peer;
		trace_msg_add_pkt(msg, i, e, false, arrive);
		if (k == *cur)
			(*cur)++;
		return;
	}
}

/* The last conversation seen, so a burst of packets skips the lookups. */
struct trace_flow {
	bool valid;
	uint16_t point;
	uint8_t proto, family;
	int hs, hd;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
	int door, peer;
};

/* Roles: who listens or answers is a server, who connects or speaks first a client. */
static void trace_roles(struct trace *t)
{
	for (int d = 0; d < t->ndoors; d++) {
		struct tr_door *door = &t->doors[d];
		door->role = door->listening || door->parent >= 0 ? TR_ROLE_SERVER :
			     door->proto == IPPROTO_TCP && door->remote.family ? TR_ROLE_CLIENT : TR_ROLE_UNKNOWN;
	}
	for (int m = 0; m < t->nmsgs; m++) {
		const struct tr_msg *msg = &t->msgs[m];
		if (msg->from < 0 || msg->to < 0)
			continue;
		struct tr_door *a = &t->doors[msg->from], *b = &t->doors[msg->to];
		if (a->role == TR_ROLE_UNKNOWN && b->role == TR_ROLE_UNKNOWN) {
			a->role = TR_ROLE_CLIENT;
			b->role = TR_ROLE_SERVER;
		}
	}
	for (int p = 0; p < t->nprocs; p++)
		t->procs[p].role = TR_ROLE_UNKNOWN;
	for (int d = 0; d < t->ndoors; d++) {
		const struct tr_door *door = &t->doors[d];
		if (door->proc < 0)
			continue;
		if (door->listening)
			t->procs[door->proc].role = TR_ROLE_SERVER;
	}
	for (int m = 0; m < t->nmsgs; m++) {
		const struct tr_msg *msg = &t->msgs[m];
		if (msg->from < 0 || msg->to < 0)
			continue;
		int pf = t->doors[msg->from].proc, pt = t->doors[msg->to].proc;
		if (pf >= 0 && t->procs[pf].role == TR_ROLE_UNKNOWN)
			t->procs[pf].role = TR_ROLE_CLIENT;
		if (pt >= 0 && t->procs[pt].role == TR_ROLE_UNKNOWN)
			t->procs[pt].role = TR_ROLE_SERVER;
	}
	/* no message of its own known (a real program's bytes are not its
	 * calls): its doors tell, a connecting door makes a client */
	for (int d = 0; d < t->ndoors; d++) {
		const struct tr_door *door = &t->doors[d];
		if (door->proc >= 0 && door->role != TR_ROLE_UNKNOWN && t->procs[door->proc].role == TR_ROLE_UNKNOWN)
			t->procs[door->proc].role = door->role;
	}
}

/* Attribute packet event i (decoded as pi): direction, doors, messages.
 * flow remembers the last conversation between calls. */
static void trace_link_packet(struct trace *t, size_t i, const struct tr_pinfo *pip, struct trace_flow *flowp)
{
	struct tr_event *e = &t->ev[i];
	struct tr_pinfo pi = *pip;
	const struct tr_point *pt = e->point < t->npoints ? &t->points[e->point] : NULL;
	if (pi.arp && t->sc)
		return; /* a lesson's ARP is the network's housekeeping */
	/* packets come in bursts of one conversation: the last one seen
	 * answers the lookups for the next (either direction) */
	int match = 0;
	if (flowp->valid && flowp->point == e->point && flowp->proto == pi.proto && flowp->family == pi.family) {
		if (flowp->sport == pi.sport && flowp->dport == pi.dport && !memcmp(flowp->src, pi.src, 16) &&
		    !memcmp(flowp->dst, pi.dst, 16))
			match = 1;
		else if (flowp->sport == pi.dport && flowp->dport == pi.sport && !memcmp(flowp->src, pi.dst, 16) &&
			 !memcmp(flowp->dst, pi.src, 16))
			match = -1;
	}
	int hs, hd;
	if (match) {
		hs = match > 0 ? flowp->hs : flowp->hd;
		hd = match > 0 ? flowp->hd : flowp->hs;
	} else {
		if (!t->sc && (pi.ports || pi.icmp_unreach || pi.icmp_host || pi.arp)) {
			hs = trace_note_host(t, pi.family, pi.src);
			hd = trace_note_host(t, pi.family, pi.dst);
		} else {
			hs = trace_host_of(t, pi.family, pi.src);
			hd = trace_host_of(t, pi.family, pi.dst);
		}
		if (pt && pt->loopback) {
			if (trace_is_loopback(pi.family, pi.src) || hs == pt->host)
				hs = pt->host;
			if (trace_is_loopback(pi.family, pi.dst) || hd == pt->host)
				hd = pt->host;
		}
	}
	if (pt && pt->loopback)
		e->dir = TR_DIR_LOCAL;
	else if (pt && pt->host >= 0)
		e->dir = pt->host == hs ? TR_DIR_DEPART : pt->host == hd ? TR_DIR_ARRIVE : TR_DIR_NONE;
	else
		e->dir = TR_DIR_NONE;
	if (pi.icmp_unreach) {
		/* an error about a datagram: from the kernel of hs, to the door that sent it */
		int h2 = trace_host_of(t, pi.inner.family, pi.inner.src);
		if (pt && pt->loopback)
			h2 = pt->host;
		e->peer = h2 >= 0 ? trace_find_door(t, pi.inner.proto, h2, pi.inner.family, pi.inner.src,
						    pi.inner.sport, pi.inner.dst, pi.inner.dport) : -1;
		/* from the door the datagram knocked on (a closed one), if drawn */
		e->door = hs >= 0 ? trace_find_door(t, pi.inner.proto, hs, pi.inner.family, pi.inner.dst,
						    pi.inner.dport, pi.inner.src, pi.inner.sport) : -1;
		if (e->door < 0 && e->peer < 0) {
			/* neither door drawn: from host to host */
			e->door = trace_host_door(t, hs, pi.family, pi.src, (long)i);
			e->peer = hd != hs ? trace_host_door(t, hd, pi.family, pi.dst, (long)i) : -1;
		}
		return;
	}
	if (pi.icmp_host || pi.arp) {
		/* between the hosts themselves: echo, errors, address resolution */
		e->door = trace_host_door(t, hs, pi.family, pi.src, (long)i);
		e->peer = hd != hs ? trace_host_door(t, hd, pi.family, pi.dst, (long)i) : -1;
		return;
	}
	if (!pi.ports || (pi.proto != IPPROTO_UDP && pi.proto != IPPROTO_TCP))
		return;
	if (match && flowp->door >= 0 && flowp->peer >= 0 && !(pi.flags & (DEC_TCP_SYN | DEC_TCP_RST))) {
		e->door = match > 0 ? flowp->door : flowp->peer;
		e->peer = match > 0 ? flowp->peer : flowp->door;
	} else {
		e->door = trace_door_for_packet_end(t, &pi, true, hs, (long)i);
		e->peer = trace_door_for_packet_end(t, &pi, false, hd, (long)i);
	}
	*flowp = (struct trace_flow){ .valid = true, .point = e->point, .proto = pi.proto,
				    .family = pi.family, .hs = hs, .hd = hd, .sport = pi.sport,
				    .dport = pi.dport, .door = e->door, .peer = e->peer };
	memcpy(flowp->src, pi.src, 16);
	memcpy(flowp->dst, pi.dst, 16);
	if (e->door < 0)
		return;
	/* a wildcard door shows its real address once a packet leaves it */
	struct tr_door *sd = &t->doors[e->door];
	if (trace_addr_any(&sd->local) && !trace_is_loopback(pi.family, pi.src)) {
		sd->local.family = pi.family;
		memcpy(sd->local.bytes, pi.src, 16);
	}
	if (pi.proto == IPPROTO_UDP)
		trace_link_udp(t, (long)i, e, &pi);
	else
		trace_link_tcp(t, (long)i, e, &pi);
}

#define TR_PAIR_WINDOW 256 /* events searched back for an arrival's departure */

/* Each arrival to its departure (the same frame: a switch forwards it
 * unchanged): a departure without one is lost when a later packet reached
 * the same door (the network still delivers: this one will not come); an
 * arrival whose departure had arrived already is a duplicate; an arrival
 * of a segment sent again is marked so too. */
static void trace_mark_fates(struct trace *t)
{
	if (!t->nev)
		return;
	uint8_t *paired = xcalloc(t->nev, 1);
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_PACKET || e->dir != TR_DIR_ARRIVE || (e->door < 0 && e->peer < 0))
			continue;
		bool again = false;
		size_t stop = i > TR_PAIR_WINDOW ? i - TR_PAIR_WINDOW : 0;
		for (size_t k = i; k-- > stop;) {
			const struct tr_event *d = &t->ev[k];
			if (d->kind != TR_PACKET || d->dir != TR_DIR_DEPART || d->door != e->door || d->peer != e->peer ||
			    !trace_same_packet(t, d, e))
				continue;
			if (paired[k]) {
				again = true;
				continue;
			}
			paired[k] = 1;
			e->mark |= d->mark & TR_MARK_RESENT;
			again = false;
			break;
		}
		if (again)
			e->mark |= TR_MARK_DUP;
	}
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_PACKET || e->dir != TR_DIR_DEPART || paired[i] || e->peer < 0 || e->door < 0 ||
		    t->doors[e->peer].host == t->doors[e->door].host)
			continue;
		for (size_t k = i + 1; k < t->nev && k <= i + 4 * TR_PAIR_WINDOW; k++) {
			const struct tr_event *a = &t->ev[k];
			if (a->kind == TR_PACKET && a->dir == TR_DIR_ARRIVE && a->peer == e->peer) {
				e->mark |= TR_MARK_LOST;
				break;
			}
		}
	}
	free(paired);
}

static void trace_link(struct trace *t)
{
	if (!t->ds && t->capdoors) /* compacted before: per-door state again */
		t->ds = xcalloc((size_t)t->capdoors, sizeof *t->ds);
	t->ndoors = 0;
	t->nmsgs = 0;
	for (int h = 0; h < t->caphostdoor; h++)
		t->hostdoor[h] = -1;
	hmap_clear(&t->portmap);
	hmap_clear(&t->connmap);
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		e->msg = -1;
		e->peer = -1;
		e->mark = 0;
		if (e->kind != TR_CALL && e->kind != TR_WAIT)
			e->door = -1;
	}
	trace_doors_from_calls(t);
	for (int d = 0; d < t->ndoors; d++)
		trace_register_door(t, d);

	/* messages from send calls */
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_CALL || e->door < 0)
			continue;
		const struct tr_call *c = &t->calls[e->ref];
		if ((c->op != SC_SEND && c->op != SC_SENDTO) || c->m.result <= 0)
			continue;
		uint8_t proto = t->doors[e->door].proto;
		struct trace_dstate *st = &t->ds[e->door];
		int m = trace_door_msg(t, e->door, e->door, -1, proto,
				       proto == IPPROTO_TCP ? st->send_off : 0, (uint64_t)c->m.result);
		if (proto == IPPROTO_TCP) {
			st->send_off += (uint64_t)c->m.result;
			t->msgs[m].to = trace_peer_door(t, e->door);
		}
		t->msgs[m].send_ev = (long)i;
		e->msg = m;
	}

	/* packets: direction, doors, messages */
	struct trace_flow flow = { .valid = false };
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_PACKET)
			continue;
		struct tr_pinfo pi;
		if (trace_pinfo(t, e, &pi))
			trace_link_packet(t, i, &pi, &flow);
	}

	trace_mark_fates(t);

	/* recv calls take messages in order */
	for (size_t i = 0; i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_CALL || e->door < 0)
			continue;
		const struct tr_call *c = &t->calls[e->ref];
		if ((c->op != SC_RECV && c->op != SC_RECVFROM) || c->m.result <= 0)
			continue;
		const struct tr_door *rd = &t->doors[e->door];
		if (rd->proto == IPPROTO_UDP) {
			struct tr_addr from;
			trace_from_sockaddr(&from, &c->m.remote);
			for (int m = 0; m < t->nmsgs; m++) {
				struct tr_msg *msg = &t->msgs[m];
				if (msg->proto != IPPROTO_UDP || msg->first_recv >= 0 || msg->bytes != (uint64_t)c->m.result)
					continue;
				if (msg->to != e->door && !(msg->to < 0 && msg->from >= 0 &&
							   t->doors[msg->from].local.port == from.port))
					continue;
				if (msg->send_ev > (long)i)
					continue;
				if (msg->first_pkt >= 0 && (msg->last_pkt < 0 || msg->last_pkt > (long)i))
					continue; /* seen leaving but never arriving (lost): not this one */
				if (msg->send_ev >= 0) {
					const struct ctl_msg *sm = &t->calls[t->ev[msg->send_ev].ref].m;
					uint32_t n = sm->datalen < c->m.datalen ? sm->datalen : c->m.datalen;
					if (memcmp(sm->data, c->m.data, n))
						continue; /* other bytes: another datagram */
				}
				msg->first_recv = msg->last_recv = (long)i;
				msg->nrecv = 1;
				msg->to = e->door;
				e->msg = m;
				break;
			}
			continue;
		}
		int pd = trace_peer_door(t, e->door);
		if (pd < 0)
			continue;
		struct trace_dstate *st = &t->ds[pd];
		uint64_t lo = st->recv_off, hi = lo + (uint64_t)c->m.result;
		st->recv_off = hi;
		for (int k = trace_first_overlap(t, pd, lo); k < st->nmsgs; k++) {
			struct tr_msg *msg = &t->msgs[st->msgs[k]];
			if (msg->stream_off >= hi)
				break;
			if (msg->first_recv < 0)
				msg->first_recv = (long)i;
			msg->last_recv = (long)i;
			msg->nrecv++;
			msg->to = e->door;
			if (e->msg < 0)
				e->msg = st->msgs[k];
		}
	}

	trace_roles(t);
}

/* A TCP connect()'s result comes when its handshake's answer arrives (the
 * SYN,ACK, or a RST): placed right after that packet rather than at the
 * moment the process got round to report it, which races with the other
 * side's accept(). True when an event moved. */
static bool trace_place_connects(struct trace *t)
{
	bool moved = false;
	for (size_t i = 0; t->sc && i < t->nev; i++) {
		struct tr_event *e = &t->ev[i];
		if (e->kind != TR_CALL || e->proc < 0)
			continue;
		const struct tr_call *c = &t->calls[e->ref];
		if (c->op != SC_CONNECT || !c->m.t_begin_ns || !trace_step_handshakes(t, e->proc, &c->m))
			continue;
		/* a lesson's own step names where it connects; a traced
		 * program's call (m.call set) is no step of the lesson */
		const struct sc_step *s = c->m.call ? NULL : &t->sc->procs[e->proc].steps[c->m.step];
		struct tr_addr remote, local;
		trace_from_sockaddr(&remote, &c->m.remote);
		trace_from_sockaddr(&local, &c->m.local);
		if (c->m.result < 0 && s && !s->ep.peer && !s->ep.any_addr) {
			memset(&remote, 0, sizeof remote);
			remote.family = (uint8_t)s->ep.addr.family;
			memcpy(remote.bytes, s->ep.addr.bytes, 16);
			remote.port = s->ep.port;
		}
		int h = t->procs[e->proc].host;
		uint64_t at = c->m.t_ns;
		/* the first answer between the call's start and its return */
		size_t k = i;
		while (k > 0 && t->ev[k - 1].t_ns >= c->m.t_begin_ns)
			k--;
		for (; k < t->nev && t->ev[k].t_ns <= c->m.t_ns; k++) {
			const struct tr_event *p = &t->ev[k];
			struct tr_pinfo pi;
			/* seen on the client's host (dir is not linked yet) */
			if (p->kind != TR_PACKET || p->point >= t->npoints || t->points[p->point].host != h ||
			    !trace_pinfo(t, p, &pi) || pi.proto != IPPROTO_TCP ||
			    !trace_addr_eq(&remote, pi.family, pi.src, pi.sport))
				continue;
			bool answer = c->m.result >= 0 ? (pi.flags & (DEC_TCP_SYN | DEC_TCP_ACK)) == (DEC_TCP_SYN | DEC_TCP_ACK) &&
							 trace_addr_eq(&local, pi.family, pi.dst, pi.dport)
						       : (pi.flags & DEC_TCP_RST) &&
							 (trace_host_of(t, pi.family, pi.dst) == h || trace_is_loopback(pi.family, pi.dst));
			if (answer) {
				at = p->t_ns + 1;
				break;
			}
		}
		if (e->t_ns != at) {
			e->t_ns = at;
			moved = true;
		}
	}
	return moved;
}

void trace_update(struct trace *t)
{
	if (!t->dirty)
		return;
	t->dirty = false;
	trace_sort(t);
	if (trace_place_connects(t))
		trace_sort(t);
	trace_link(t);
}

/* ---- reading ------------------------------------------------------------- */

size_t trace_nevents(const struct trace *t) { return t->nev; }
const struct tr_event *trace_event(const struct trace *t, size_t i) { return i < t->nev ? &t->ev[i] : NULL; }
const struct tr_call *trace_call(const struct trace *t, const struct tr_event *e)
{
	return e && e->kind != TR_PACKET && e->ref < t->ncalls ? &t->calls[e->ref] : NULL;
}
int trace_nhosts(const struct trace *t) { return t->nhosts; }
const struct tr_host *trace_host(const struct trace *t, int h) { return h >= 0 && h < t->nhosts ? &t->hosts[h] : NULL; }
int trace_nprocs(const struct trace *t) { return t->nprocs; }
const struct tr_proc *trace_proc(const struct trace *t, int p) { return p >= 0 && p < t->nprocs ? &t->procs[p] : NULL; }
int trace_ndoors(const struct trace *t) { return t->ndoors; }
const struct tr_door *trace_door(const struct trace *t, int d) { return d >= 0 && d < t->ndoors ? &t->doors[d] : NULL; }
int trace_nmsgs(const struct trace *t) { return t->nmsgs; }
const struct tr_msg *trace_msg(const struct trace *t, int m) { return m >= 0 && m < t->nmsgs ? &t->msgs[m] : NULL; }
int trace_npoints(const struct trace *t) { return t->npoints; }
const char *trace_point_name(const struct trace *t, int point) { return point >= 0 && point < t->npoints ? t->points[point].name : "?"; }
const char *trace_title(const struct trace *t) { return t->title ? t->title : ""; }
const char *trace_about(const struct trace *t) { return t->about ? t->about : ""; }

static void trace_addr_text(const struct tr_addr *a, char *out, size_t outlen)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	if (a->family)
		inet_ntop(a->family, a->bytes, ip, sizeof ip);
	snprintf(out, outlen, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, a->port);
}

void trace_door_label(const struct trace *t, int d, char *out, size_t outlen)
{
	const struct tr_door *door = trace_door(t, d);
	if (!door) {
		snprintf(out, outlen, "?");
		return;
	}
	char a[64];
	if (door->host_level) {
		char ip[INET6_ADDRSTRLEN] = "?";
		if (door->local.family)
			inet_ntop(door->local.family, door->local.bytes, ip, sizeof ip);
		snprintf(out, outlen, "host %s", ip);
		return;
	}
	trace_addr_text(&door->local, a, sizeof a);
	snprintf(out, outlen, "%s %s", door->proto == IPPROTO_TCP ? "tcp" : "udp", a);
}

static const char *trace_door_owner(const struct trace *t, int d)
{
	const struct tr_door *door = trace_door(t, d);
	if (!door)
		return "?";
	if (door->nobody)
		return "nobody";
	if (door->proc >= 0)
		return t->procs[door->proc].name;
	if (door->host >= 0)
		return t->hosts[door->host].name;
	return "?";
}

void trace_packet_label(struct trace *t, const struct tr_event *e, unsigned flags, char *out, size_t outlen)
{
	struct dec_pkt d;
	uint32_t caplen, wirelen;
	int lt;
	trace_packet_decode(t, e, &d);
	const uint8_t *p = trace_packet_bytes(t, e, &caplen, &wirelen, &lt);
	decode_label(&d, p && caplen >= d.caplen ? p : NULL, flags, out, outlen);
}

void trace_event_text(struct trace *t, size_t i, char *out, size_t outlen)
{
	const struct tr_event *e = trace_event(t, i);
	if (!e) {
		snprintf(out, outlen, "?");
		return;
	}
	const struct tr_call *c = trace_call(t, e);
	const char *who = e->proc >= 0 ? t->procs[e->proc].name : "";
	switch (e->kind) {
	case TR_SPAWN:
		snprintf(out, outlen, "%s starts (pid %d)", who, (int)t->procs[e->proc].pid);
		break;
	case TR_CALL:
	case TR_WAIT:
	case TR_EXEC:
		if (c->caption) /* a say step: its whole text */
			snprintf(out, outlen, "%s says: %s", who, c->caption);
		else
			snprintf(out, outlen, "%s: %s%s%s", who, c->text, c->result[0] ? " " : "", c->result);
		break;
	case TR_OUTPUT:
		snprintf(out, outlen, "%s prints: %s", who, c->text);
		break;
	case TR_EXIT:
		snprintf(out, outlen, "%s ends: %s", who, c->text);
		break;
	case TR_PACKET: {
		char lab[128];
		trace_packet_label(t, e, 0, lab, sizeof lab);
		static const char *dirs[] = { "seen", "leaves", "arrives", "on loopback" };
		/* "%s %s at %s", put together without printf (--json writes one
		 * per packet), cut at outlen like snprintf */
		const char *part[] = { lab, " ", dirs[e->dir < 4 ? e->dir : 0], " at ", trace_point_name(t, e->point) };
		size_t o = 0;
		for (size_t k = 0; k < UTIL_ARRAY_LEN(part) && outlen; k++) {
			size_t l = strlen(part[k]);
			if (l > outlen - 1 - o)
				l = outlen - 1 - o;
			memcpy(out + o, part[k], l);
			o += l;
		}
		if (outlen)
			out[o] = '\0';
		break;
	}
	}
}

static void trace_caption_packet(struct trace *t, const struct tr_event *e, const char *lab, char *out,
				 size_t outlen);
static void trace_packet_ends(struct trace *t, const struct tr_event *e, char *a, char *b, size_t n);

/* A packet's label in a sentence: its byte count said as one ("TCP ACK
 * 488 \"0123\"" reads like an acknowledgement number): "TCP ACK with 488
 * bytes \"0123\"", "UDP datagram with 1 byte \"1\"". */
static void trace_label_words(const char *lab, char *out, size_t outlen)
{
	const char *p = NULL;
	int head = 0;
	if (!strncmp(lab, "TCP ", 4)) {
		const char *sp = strchr(lab + 4, ' ');
		if (sp) {
			p = sp + 1;
			head = (int)(sp - lab);
		}
	} else if (!strncmp(lab, "UDP ", 4)) {
		p = lab + 4;
		head = 3;
	}
	size_t nd = p ? strspn(p, "0123456789") : 0;
	if (!p || !nd || (p[nd] != ' ' && p[nd] != '\0')) {
		snprintf(out, outlen, "%s", lab);
		return;
	}
	bool one = nd == 1 && p[0] == '1';
	snprintf(out, outlen, "%.*s%s with %.*s %s%s", head, lab, lab[0] == 'U' ? " datagram" : "", (int)nd, p,
		 one ? "byte" : "bytes", p + nd);
}

void trace_caption(struct trace *t, size_t i, char *out, size_t outlen)
{
	const struct tr_event *e = trace_event(t, i);
	out[0] = '\0';
	if (!e)
		return;
	/* the say text the process's script put right before this step */
	if ((e->kind == TR_CALL || e->kind == TR_WAIT) && e->proc >= 0) {
		/* a say step shows its text, and lends it to the call that
		 * follows it in its process (lessons say what comes next) */
		const struct tr_call *c = trace_call(t, e);
		if (c->caption) {
			snprintf(out, outlen, "%s", c->caption);
			return;
		}
		/* only right after it: a say does not stay up under other
		 * events that came between */
		for (size_t k = i; k-- > 0;) {
			const struct tr_event *b = &t->ev[k];
			if (b->proc != e->proc || (b->kind != TR_CALL && b->kind != TR_WAIT)) {
				if (trace_is_step(t, k))
					break;
				continue;
			}
			const struct tr_call *bc = trace_call(t, b);
			if (bc->caption)
				snprintf(out, outlen, "%s", bc->caption);
			break;
		}
		if (out[0])
			return;
	}
	char a[64], b[64];
	const struct tr_call *c = trace_call(t, e);
	switch (e->kind) {
	case TR_CALL: {
		const char *who = t->procs[e->proc].name;
		trace_door_label(t, e->door, a, sizeof a);
		const struct tr_msg *m = trace_msg(t, e->msg);
		if (c->failed || (c->m.result < 0 && c->op >= 0)) {
			snprintf(out, outlen, "%s's %s fails: %s.", who, c->text, c->result);
		} else if ((c->op == SC_SEND || c->op == SC_SENDTO) && m) {
			char to[128] = "its destination";
			if (m->to >= 0) {
				char ign[64];
				/* the address its packet carries (a bind to 0.0.0.0 is reached at one) */
				if (trace_addr_any(&t->doors[m->to].local) && m->first_pkt >= 0)
					trace_packet_ends(t, &t->ev[m->first_pkt], ign, b, sizeof b);
				else
					trace_door_label(t, m->to, b, sizeof b);
				snprintf(to, sizeof to, "%s's door %s", trace_door_owner(t, m->to), b);
			}
			snprintf(out, outlen, "%s's door %s shoves %llu %s out; the transport layer carries %s to %s.",
				 who, a, (unsigned long long)m->bytes, m->bytes == 1 ? "byte" : "bytes",
				 m->bytes == 1 ? "it" : "them", to);
		} else if (c->op == SC_RECV || c->op == SC_RECVFROM) {
			snprintf(out, outlen, "%s takes %lld %s in through its door %s.", who, (long long)c->m.result,
				 c->m.result == 1 ? "byte" : "bytes", a);
		} else if (c->op == SC_ACCEPT) {
			trace_door_label(t, e->peer, b, sizeof b);
			snprintf(out, outlen, "%s's welcoming door hands the connection a door of its own: %s.", who, b);
		} else if (c->op == SC_CONNECT) {
			snprintf(out, outlen, "%s's door %s is now connected.", who, a);
		} else if (c->op == SC_SOCKET) {
			snprintf(out, outlen, "%s opens a door (a %s socket).", who,
				 t->doors[e->door].proto == IPPROTO_TCP ? "TCP" : "UDP");
		} else if (c->op == SC_BIND) {
			snprintf(out, outlen, "%s gives its door a number: %s.", who, a);
		} else if (c->op == SC_LISTEN) {
			snprintf(out, outlen, "%s's door %s becomes a welcoming door: it listens for connections.", who, a);
		} else if (c->op == SC_CLOSE) {
			snprintf(out, outlen, "%s closes its door %s.", who, a);
		} else {
			snprintf(out, outlen, "%s: %s %s", who, c->text, c->result);
		}
		break;
	}
	case TR_WAIT:
		if (c->op == SC_CONNECT)
			snprintf(out, outlen, "%s calls %s: its door asks for a connection (a SYN goes out), and the "
				 "call waits for the answer.", t->procs[e->proc].name, c->text);
		else
			snprintf(out, outlen, "%s waits at its door in %s: nothing has arrived yet.",
				 t->procs[e->proc].name, c->text);
		break;
	case TR_EXEC:
		snprintf(out, outlen, "%s becomes a real program: %s.", t->procs[e->proc].name, c->text);
		break;
	case TR_EXIT:
		snprintf(out, outlen, "%s ends: %s.", t->procs[e->proc].name, c->text);
		break;
	case TR_OUTPUT:
		snprintf(out, outlen, "%s prints: %s", t->procs[e->proc].name, c->text);
		break;
	case TR_SPAWN:
		snprintf(out, outlen, "%s starts: a process on %s.", t->procs[e->proc].name,
			 t->hosts[t->procs[e->proc].host].name);
		break;
	case TR_PACKET: {
		char raw[128], lab[160];
		trace_packet_label(t, e, 0, raw, sizeof raw);
		trace_label_words(raw, lab, sizeof lab);
		long cause = e->msg < 0 ? trace_packet_cause(t, i) : -1;
		trace_caption_packet(t, e, lab, out, outlen);
		if (cause >= 0) {
			const struct tr_event *ce = &t->ev[cause];
			size_t l = strlen(out);
			snprintf(out + l, outlen - l, " It follows from %s's %s.", t->procs[ce->proc].name,
				 trace_call(t, ce)->text);
		}
		break;
	}
	}
}

/* A packet's two ends as its headers show them ("udp 192.0.2.2:9000"):
 * the address a door was reached at, where its bind said 0.0.0.0; the
 * doors' labels when the packet has no ports. */
static void trace_packet_ends(struct trace *t, const struct tr_event *e, char *a, char *b, size_t n)
{
	struct tr_pinfo pi;
	if (!trace_pinfo(t, e, &pi) || !pi.ports || (pi.proto != IPPROTO_TCP && pi.proto != IPPROTO_UDP)) {
		trace_door_label(t, e->door, a, n);
		trace_door_label(t, e->peer, b, n);
		return;
	}
	struct tr_addr src = { .family = pi.family, .port = pi.sport }, dst = { .family = pi.family, .port = pi.dport };
	memcpy(src.bytes, pi.src, 16);
	memcpy(dst.bytes, pi.dst, 16);
	const char *proto = pi.proto == IPPROTO_TCP ? "tcp " : "udp ";
	snprintf(a, n, "%s", proto);
	snprintf(b, n, "%s", proto);
	trace_addr_text(&src, a + 4, n - 4);
	trace_addr_text(&dst, b + 4, n - 4);
}

/* Two doors on one end system: one host, or both on loopback addresses. */
static bool trace_same_end_system(const struct trace *t, int a, int b)
{
	const struct tr_door *x = &t->doors[a], *y = &t->doors[b];
	if (x->host >= 0 && x->host == y->host)
		return true;
	return x->local.family && y->local.family && trace_is_loopback(x->local.family, x->local.bytes) &&
	       trace_is_loopback(y->local.family, y->local.bytes);
}

/* What a packet does, in plain words. */
static void trace_caption_packet(struct trace *t, const struct tr_event *e, const char *lab, char *out, size_t outlen)
{
	char a[64], b[64];
	const struct tr_door *from_door = e->door >= 0 ? &t->doors[e->door] : NULL;
	const struct tr_door *to_door = e->peer >= 0 ? &t->doors[e->peer] : NULL;
	if ((from_door && from_door->host_level) || (to_door && to_door->host_level)) {
		/* echo, errors, address resolution: host to host, no process's door */
		const char *hf = from_door ? trace_door_owner(t, e->door) : "?";
		const char *ht = to_door ? trace_door_owner(t, e->peer) : NULL;
		if (ht)
			snprintf(out, outlen, "%s goes from host %s to host %s: the hosts' network layers speak, "
				 "not a process's door.", lab, hf, ht);
		else
			snprintf(out, outlen, "%s from host %s: the host's network layer speaks, not a process's door.",
				 lab, hf);
		return;
	}
	if (e->door >= 0 && e->peer >= 0 && t->doors[e->door].nobody) {
		trace_door_label(t, e->door, a, sizeof a);
		trace_door_label(t, e->peer, b, sizeof b);
		snprintf(out, outlen, "%s: no process has door %s open, so %s's kernel answers door %s itself.", lab, a,
			 t->hosts[t->doors[e->door].host].name, b);
	} else if (e->door >= 0 && e->peer >= 0 && t->doors[e->peer].nobody) {
		trace_door_label(t, e->door, a, sizeof a);
		trace_door_label(t, e->peer, b, sizeof b);
		snprintf(out, outlen, "%s from door %s knocks on %s, where no process listens.", lab, a, b);
	} else if (e->door >= 0 && e->peer >= 0) {
		trace_packet_ends(t, e, a, b, sizeof a);
		const char *from = trace_door_owner(t, e->door), *to = trace_door_owner(t, e->peer);
		/* what became of it first: a two-line caption keeps that */
		if (e->dir == TR_DIR_DEPART && (e->mark & TR_MARK_LOST))
			snprintf(out, outlen, "%s is lost on the way: it leaves %s's door %s for %s's door %s and never "
				 "arrives.", lab, from, a, to, b);
		else if (e->dir == TR_DIR_DEPART && (e->mark & TR_MARK_RESENT))
			snprintf(out, outlen, "%s is sent again (no acknowledgement of it came back in time): it leaves "
				 "%s's door %s for %s's door %s.", lab, from, a, to, b);
		else if (e->dir == TR_DIR_ARRIVE && (e->mark & TR_MARK_DUP))
			snprintf(out, outlen, "A second copy of %s, made on the way, arrives from %s's door %s at %s's door "
				 "%s.", lab, from, a, to, b);
		else if (e->dir == TR_DIR_ARRIVE && (e->mark & TR_MARK_RESENT))
			snprintf(out, outlen, "%s, sent again, arrives from %s's door %s at the house of %s, at its door %s.",
				 lab, from, a, to, b);
		else if (e->dir == TR_DIR_DEPART)
			snprintf(out, outlen, "%s leaves the house of %s through its door %s, addressed to %s's door %s.",
				 lab, from, a, to, b);
		else if (e->dir == TR_DIR_ARRIVE)
			snprintf(out, outlen, "%s from %s's door %s arrives at the house of %s, at its door %s.", lab,
				 from, a, to, b);
		else if (e->dir == TR_DIR_LOCAL || trace_same_end_system(t, e->door, e->peer))
			snprintf(out, outlen, "%s goes from %s's door %s over the loopback, on the same end system, "
				 "to %s's door %s.", lab, from, a, to, b);
		else /* seen between the hosts, on neither's link (an opened capture) */
			snprintf(out, outlen, "%s goes from %s's door %s to %s's door %s.", lab, from, a, to, b);
	} else if (e->peer >= 0) {
		trace_door_label(t, e->peer, b, sizeof b);
		snprintf(out, outlen, "%s: the network tells door %s that nobody is at that door.", lab, b);
	} else {
		snprintf(out, outlen, "%s (network housekeeping, not a message of any process).", lab);
	}
}

enum tr_where trace_msg_where(const struct trace *t, int mi, size_t i)
{
	const struct tr_msg *m = trace_msg(t, mi);
	if (!m)
		return TR_NOT_YET;
	long at = (long)i;
	long start = m->send_ev >= 0 ? m->send_ev : m->first_pkt;
	if (start < 0 || at < start)
		return TR_NOT_YET;
	if (m->last_recv >= 0 && at >= m->last_recv)
		return TR_DELIVERED;
	if (m->first_pkt < 0 || at < m->first_pkt)
		return TR_IN_DOOR;
	if (m->last_pkt < 0 || at < m->last_pkt)
		return TR_ON_WIRE;
	return m->first_recv >= 0 || m->send_ev >= 0 ? TR_AT_DOOR : TR_DELIVERED;
}

/* The latest call of door d before event i among ops (bounded look-back). */
static long trace_last_call(const struct trace *t, size_t i, int d, const int *ops, int nops)
{
	size_t stop = i > 100000 ? i - 100000 : 0;
	for (size_t k = i; k-- > stop;) {
		const struct tr_event *e = &t->ev[k];
		if ((e->kind != TR_CALL && e->kind != TR_WAIT) || e->door != d)
			continue;
		const struct tr_call *c = &t->calls[e->ref];
		for (int j = 0; j < nops; j++)
			if (c->op == ops[j])
				return (long)k;
	}
	return -1;
}

long trace_packet_cause(struct trace *t, size_t i)
{
	const struct tr_event *e = trace_event(t, i);
	if (!e || e->kind != TR_PACKET || !t->sc)
		return -1;
	struct tr_pinfo pi;
	if (!trace_pinfo(t, e, &pi))
		return -1;
	if (pi.icmp_unreach) {
		static const int sends[] = { SC_SENDTO, SC_SEND };
		return e->peer >= 0 ? trace_last_call(t, i, e->peer, sends, 2) : -1;
	}
	if (pi.proto != IPPROTO_TCP)
		return -1;
	if ((pi.flags & DEC_TCP_RST) && (e->door < 0 || t->doors[e->door].nobody) && e->peer >= 0) {
		/* the kernel's answer to a knock on a closed port */
		static const int ops[] = { SC_CONNECT, SC_SEND };
		return trace_last_call(t, i, e->peer, ops, 2);
	}
	if (e->door < 0)
		return -1;
	if ((pi.flags & (DEC_TCP_SYN | DEC_TCP_ACK)) == DEC_TCP_SYN) {
		static const int ops[] = { SC_CONNECT };
		return trace_last_call(t, i, e->door, ops, 1);
	}
	if (pi.flags & DEC_TCP_SYN) { /* SYN-ACK: the welcoming door's listen() answers */
		int w = t->doors[e->door].parent;
		static const int ops[] = { SC_LISTEN };
		return w >= 0 ? trace_last_call(t, i, w, ops, 1) : -1;
	}
	if (pi.flags & (DEC_TCP_FIN | DEC_TCP_RST)) {
		static const int ops[] = { SC_CLOSE, SC_SHUTDOWN };
		return trace_last_call(t, i, e->door, ops, 2);
	}
	return -1;
}

bool trace_is_step(const struct trace *t, size_t i)
{
	const struct tr_event *e = trace_event(t, i);
	if (!e)
		return false;
	switch (e->kind) {
	case TR_CALL:
	case TR_WAIT:
	case TR_EXEC:
	case TR_EXIT:
		return true;
	case TR_PACKET:
		return e->door >= 0 || e->peer >= 0;
	default:
		return false;
	}
}

size_t trace_next_step(const struct trace *t, size_t i)
{
	for (size_t k = i + 1; k < t->nev; k++)
		if (trace_is_step(t, k))
			return k;
	return i;
}

size_t trace_prev_step(const struct trace *t, size_t i)
{
	for (size_t k = i; k-- > 0;)
		if (trace_is_step(t, k))
			return k;
	return i;
}

/* ---- output -------------------------------------------------------------- */

#define LADDER_COLW 24

struct trace_ladder_busy {
	int door;
	long events;
	int pos;  /* column in the full order */
};

static int trace_cmp_busy(const void *a, const void *b)
{
	const struct trace_ladder_busy *x = a, *y = b;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return x->pos - y->pos;
}

/* Columns of the ladder: doors in order of appearance, accepted doors
 * beside their welcoming door. When they do not all fit in maxcol columns,
 * the busiest maxcol - 1 doors keep their place (chosen once, in that same
 * order) and the others share the last column: col[d] = the number of door
 * columns for them, *others how many they are. Returns the number of door
 * columns (the others' column excluded). */
static int trace_ladder_columns(const struct trace *t, int maxcol, int *col, int *order, int *others)
{
	int n = t->ndoors, ncol = 0;
	for (int d = 0; d < n; d++)
		col[d] = -1;
	for (int d = 0; d < n; d++) {
		if (col[d] >= 0 || t->doors[d].parent >= 0)
			continue;
		order[ncol] = d;
		col[d] = ncol++;
		for (int k = 0; k < n; k++)
			if (t->doors[k].parent == d && col[k] < 0) {
				order[ncol] = k;
				col[k] = ncol++;
			}
	}
	for (int d = 0; d < n; d++)
		if (col[d] < 0) {
			order[ncol] = d;
			col[d] = ncol++;
		}
	*others = 0;
	if (ncol <= maxcol)
		return ncol;
	struct trace_ladder_busy *b = xcalloc((size_t)n, sizeof *b);
	for (int c = 0; c < ncol; c++)
		b[c] = (struct trace_ladder_busy){ .door = order[c], .pos = c };
	for (size_t i = 0; i < t->nev; i++) {
		const struct tr_event *e = &t->ev[i];
		if (e->door >= 0)
			b[col[e->door]].events++;
		if (e->peer >= 0 && e->peer != e->door)
			b[col[e->peer]].events++;
	}
	int keep = maxcol - 1;
	qsort(b, (size_t)ncol, sizeof *b, trace_cmp_busy);
	for (int d = 0; d < n; d++)
		col[d] = -2; /* not kept */
	for (int k = 0; k < keep; k++)
		col[b[k].door] = -1;
	int m = 0;
	for (int c = 0; c < ncol; c++)
		if (col[order[c]] == -1) {
			col[order[c]] = m;
			order[m++] = order[c];
		}
	for (int d = 0; d < n; d++)
		if (col[d] == -2)
			col[d] = m;
	*others = n - m;
	free(b);
	return m;
}

void trace_print_ladder(struct trace *t, FILE *out, int width)
{
	trace_update(t);
	int n = t->ndoors;
	int *col = xcalloc((size_t)(n ? n : 1), sizeof *col);
	int *order = xcalloc((size_t)(n ? n : 1), sizeof *order);
	if (width <= 0)
		width = TRACE_LADDER_WIDTH;
	int maxcol = (width - 11) / LADDER_COLW;
	if (maxcol < 2)
		maxcol = 2;
	int nothers;
	int ncol = trace_ladder_columns(t, maxcol, col, order, &nothers);

	fprintf(out, "%s\n", trace_title(t));
	if (t->about && t->about[0])
		fprintf(out, "%s\n", t->about);
	fputc('\n', out);
	/* header: owner, then door label; the others column says how many */
	int cols = ncol + (nothers > 0);
	char cell[LADDER_COLW + 1];
	fprintf(out, "%10s ", "");
	for (int c = 0; c < ncol; c++) {
		const struct tr_door *d = &t->doors[order[c]];
		char who[64];
		if (d->nobody)
			snprintf(who, sizeof who, "%s: nobody", t->hosts[d->host].name);
		else
			snprintf(who, sizeof who, "%s%s%s", trace_door_owner(t, order[c]), d->name[0] ? " " : "", d->name);
		snprintf(cell, sizeof cell, "%-*.*s", LADDER_COLW, LADDER_COLW - 1, who);
		fputs(cell, out);
	}
	if (nothers > 0) {
		char who[64];
		snprintf(who, sizeof who, "+%d other doors", nothers);
		snprintf(cell, sizeof cell, "%-*.*s", LADDER_COLW, LADDER_COLW - 1, who);
		fputs(cell, out);
	}
	fputc('\n', out);
	fprintf(out, "%10s ", "");
	for (int c = 0; c < ncol; c++) {
		char lab[64];
		trace_door_label(t, order[c], lab, sizeof lab);
		snprintf(cell, sizeof cell, "%-*.*s", LADDER_COLW, LADDER_COLW - 1, lab);
		fputs(cell, out);
	}
	if (nothers > 0)
		fputs("named on their rows", out);
	fputc('\n', out);

	uint64_t t0 = t->nev ? t->ev[0].t_ns : 0;
	int lwidth = cols * LADDER_COLW;
	char *line = xmalloc((size_t)lwidth + 2);
	for (size_t i = 0; i < t->nev; i++) {
		const struct tr_event *e = &t->ev[i];
		if (!trace_is_step(t, i) && e->kind != TR_OUTPUT)
			continue;
		/* one arrow per packet: its departure (or its only sighting) */
		if (e->kind == TR_PACKET && e->dir == TR_DIR_ARRIVE && !(e->mark & TR_MARK_DUP)) {
			bool seen = false;
			for (size_t k = i; k-- > 0 && t->ev[k].t_ns + 1000000000ull > e->t_ns;)
				if (t->ev[k].kind == TR_PACKET && t->ev[k].dir == TR_DIR_DEPART &&
				    t->ev[k].door == e->door && t->ev[k].peer == e->peer && trace_same_packet(t, &t->ev[k], e)) {
					seen = true;
					break;
				}
			if (seen)
				continue;
		}
		memset(line, ' ', (size_t)lwidth);
		line[lwidth] = '\0';
		for (int c = 0; c < ncol; c++) {
			const struct tr_door *d = &t->doors[order[c]];
			bool alive = (d->first_ev < 0 || (long)i >= d->first_ev) && (d->last_ev < 0 || (long)i <= d->last_ev);
			line[c * LADDER_COLW + 1] = alive ? '|' : ' ';
		}
		if (nothers > 0)
			line[ncol * LADDER_COLW + 1] = ':';
		char label[200] = "";
		if (e->kind == TR_PACKET) {
			trace_packet_label(t, e, 0, label, sizeof label);
			if (e->mark & (TR_MARK_RESENT | TR_MARK_DUP)) {
				size_t l = strlen(label);
				snprintf(label + l, sizeof label - l, "%s", e->mark & TR_MARK_DUP ? " again: duplicated on the way" :
									   " sent again");
			}
			int a = e->door >= 0 ? col[e->door] : -1, b = e->peer >= 0 ? col[e->peer] : -1;
			if (a >= 0 && b >= 0 && a != b) {
				int x0 = a * LADDER_COLW + 1, x1 = b * LADDER_COLW + 1;
				int lo = x0 < x1 ? x0 : x1, hi = x0 < x1 ? x1 : x0;
				for (int x = lo + 1; x < hi; x++)
					line[x] = '-';
				line[x1 < x0 ? lo + 1 : hi - 1] = x1 < x0 ? '<' : '>';
				if (e->dir == TR_DIR_DEPART && (e->mark & TR_MARK_LOST)) {
					/* it left and never arrived: the arrow stops midway */
					int mid = (lo + hi) / 2;
					for (int x = x1 < x0 ? lo + 1 : mid + 1; x < (x1 < x0 ? mid : hi); x++)
						line[x] = ' ';
					line[mid] = 'X';
					size_t l = strlen(label);
					snprintf(label + l, sizeof label - l, "%slost on the way", l ? " " : "");
				}
				/* the label rides on the arrow when it fits */
				int room = hi - lo - 4;
				int ll = (int)strlen(label);
				if (ll <= room) {
					memcpy(line + lo + 2 + (room - ll) / 2 + 1, label, (size_t)ll);
					label[0] = '\0';
				}
			} else if (a >= 0 || b >= 0) {
				int x = (a >= 0 ? a : b) * LADDER_COLW + 1;
				line[x] = a >= 0 ? '>' : '<';
			}
		} else if (e->door >= 0) {
			line[col[e->door] * LADDER_COLW + 1] = e->kind == TR_WAIT ? 'z' : '*';
		}
		/* trim */
		int end = lwidth;
		while (end > 0 && line[end - 1] == ' ')
			end--;
		line[end] = '\0';
		char text[1024];
		if (e->kind == TR_PACKET)
			snprintf(text, sizeof text, "%s", label);
		else
			trace_event_text(t, i, text, sizeof text);
		/* a door of the others column is named on its row */
		bool hid_a = e->door >= 0 && col[e->door] == ncol, hid_b = e->peer >= 0 && col[e->peer] == ncol;
		if (hid_a || hid_b) {
			char la[64] = "", lb[64] = "";
			if (hid_a)
				trace_door_label(t, e->door, la, sizeof la);
			if (hid_b)
				trace_door_label(t, e->peer, lb, sizeof lb);
			size_t l = strlen(text);
			if (e->kind != TR_PACKET)
				snprintf(text + l, sizeof text - l, "%s[door %s]", l ? " " : "", la);
			else
				snprintf(text + l, sizeof text - l, "%s[%s%s%s]", l ? " " : "", hid_a ? la : "",
					 hid_a && hid_b ? " -> " : hid_a ? " ->" : "-> ", lb);
		}
		fprintf(out, "%10.6f %s%s%s\n", (double)(e->t_ns - t0) / 1e9, line, text[0] ? "   " : "", text);
	}
	fprintf(out, "\nlegend: * call   z waiting   --label--> packet from door to door   | open door%s\n",
		nothers > 0 ? "   : other doors" : "");
	free(line);
	free(order);
	free(col);
}

static void trace_json_addr(struct buf *b, const char *key, const struct tr_addr *a)
{
	char s[64];
	trace_addr_text(a, s, sizeof s);
	buf_json_field(b, key, s);
}

/* printf's "%.6f" of ns / 1e9, without printf when the result is certain:
 * the double's error is below 0.2 ns up to 10^15 ns, so rounding the
 * integer to microseconds gives the same digits unless it is a tie. */
static void trace_json_seconds(struct buf *b, uint64_t ns)
{
	if (ns >= 1000000000000000ull || ns % 1000 == 500) {
		buf_printf(b, "%.6f", (double)ns / 1e9);
		return;
	}
	uint64_t us = (ns + 500) / 1000;
	buf_add_u64(b, us / 1000000);
	char f[8];
	uint64_t frac = us % 1000000;
	f[0] = '.';
	for (int k = 6; k >= 1; k--, frac /= 10)
		f[k] = (char)('0' + frac % 10);
	buf_add(b, f, 7);
}

void trace_print_json(struct trace *t, FILE *out)
{
	trace_update(t);
	static const char *kinds[] = { "spawn", "call", "wait", "exec", "output", "exit", "packet" };
	static const char *dirs[] = { "none", "depart", "arrive", "local" };
	struct buf b = { 0 };
	for (int d = 0; d < t->ndoors; d++) {
		const struct tr_door *door = &t->doors[d];
		b.len = 0;
		buf_printf(&b, "{\"event\":\"door\",\"door\":%d", d);
		buf_json_field(&b, "proto", door->host_level ? "host" : door->proto == IPPROTO_TCP ? "tcp" : "udp");
		if (door->proc >= 0) {
			buf_addstr(&b, ",\"process\":");
			buf_json_str(&b, t->procs[door->proc].name, strlen(t->procs[door->proc].name));
		}
		if (door->host >= 0) {
			buf_addstr(&b, ",\"host\":");
			buf_json_str(&b, t->hosts[door->host].name, strlen(t->hosts[door->host].name));
		}
		if (door->name[0]) {
			buf_addstr(&b, ",\"socket\":");
			buf_json_str(&b, door->name, strlen(door->name));
		}
		if (door->host_level) {
			char ip[INET6_ADDRSTRLEN] = "?";
			inet_ntop(door->local.family, door->local.bytes, ip, sizeof ip);
			buf_json_field(&b, "local", ip);
		} else {
			trace_json_addr(&b, "local", &door->local);
		}
		if (door->remote.family)
			trace_json_addr(&b, "remote", &door->remote);
		buf_printf(&b, ",\"listening\":%s,\"parent\":%d}\n", door->listening ? "true" : "false", door->parent);
		fwrite(b.p, 1, b.len, out);
	}
	uint64_t t0 = t->nev ? t->ev[0].t_ns : 0;
	for (size_t i = 0; i < t->nev; i++) {
		const struct tr_event *e = &t->ev[i];
		char text[300];
		trace_event_text(t, i, text, sizeof text);
		b.len = 0;
		buf_add(&b, "{\"t\":", 5);
		trace_json_seconds(&b, e->t_ns - t0);
		buf_add(&b, ",\"time_ns\":", 11);
		buf_add_u64(&b, e->t_ns);
		buf_json_field(&b, "event", kinds[e->kind < 7 ? e->kind : 0]);
		const struct tr_call *c = trace_call(t, e);
		if (e->proc >= 0 && t->sc) {
			/* the same fields as the streaming report */
			static const enum run_ev_kind rk[] = { RUN_EV_SPAWN, RUN_EV_CALL, RUN_EV_WAIT, RUN_EV_EXEC,
							       RUN_EV_OUTPUT, RUN_EV_EXIT };
			struct run_event re = { .kind = rk[e->kind], .t_ns = e->t_ns, .proc = e->proc,
						.pid = t->procs[e->proc].pid, .step = -1 };
			if (c && (e->kind == TR_CALL || e->kind == TR_WAIT || e->kind == TR_EXEC)) {
				re.msg = &c->m;
				re.step = c->m.step;
				if (c->m.call && c->m.pid > 0)
					re.pid = c->m.pid; /* a traced call: the process that made it (a fork) */
			}
			if (c && (e->kind == TR_OUTPUT || e->kind == TR_EXIT)) {
				re.text = c->text;
				re.len = strlen(c->text);
				re.status = c->m.status;
				re.failed = c->failed;
			}
			report_json_fields(&b, t->sc, &re);
		} else if (e->proc >= 0) {
			buf_addstr(&b, ",\"process\":");
			buf_json_str(&b, t->procs[e->proc].name, strlen(t->procs[e->proc].name));
		}
		if (e->kind == TR_PACKET) {
			buf_json_field(&b, "point", trace_point_name(t, e->point));
			buf_json_field(&b, "dir", dirs[e->dir < 4 ? e->dir : 0]);
			buf_add(&b, ",\"caplen\":", 10);
			buf_add_u64(&b, trace_event_caplen(e));
			buf_addstr(&b, ",\"summary\":");
			buf_json_str(&b, text, strlen(text));
		}
		if (e->door >= 0) {
			buf_add(&b, ",\"door\":", 8);
			buf_add_i64(&b, e->door);
		}
		if (e->peer >= 0) {
			buf_add(&b, ",\"peer\":", 8);
			buf_add_i64(&b, e->peer);
		}
		if (e->msg >= 0) {
			buf_add(&b, ",\"msg\":", 7);
			buf_add_i64(&b, e->msg);
		}
		if (e->kind == TR_PACKET && e->msg < 0) {
			long cause = trace_packet_cause(t, i);
			if (cause >= 0) {
				buf_add(&b, ",\"cause\":", 9);
				buf_add_i64(&b, cause);
			}
		}
		buf_add(&b, "}\n", 2);
		fwrite(b.p, 1, b.len, out);
	}
	for (int m = 0; m < t->nmsgs; m++) {
		const struct tr_msg *msg = &t->msgs[m];
		b.len = 0;
		buf_printf(&b, "{\"event\":\"message\",\"msg\":%d", m);
		buf_json_field(&b, "proto", msg->proto == IPPROTO_TCP ? "tcp" : "udp");
		buf_printf(&b, ",\"from\":%d,\"to\":%d,\"bytes\":%llu,"
			   "\"send\":%ld,\"packets\":%d,\"retransmitted\":%d,\"recvs\":%d,\"first_packet\":%ld,"
			   "\"last_packet\":%ld,\"first_recv\":%ld,\"last_recv\":%ld}\n",
			   msg->from, msg->to,
			   (unsigned long long)msg->bytes, msg->send_ev, msg->npkts, msg->nretrans, msg->nrecv,
			   msg->first_pkt, msg->last_pkt, msg->first_recv, msg->last_recv);
		fwrite(b.p, 1, b.len, out);
	}
	buf_free(&b);
}

const char *trace_warning(const struct trace *t) { return t->warning; }

void trace_set_warning(struct trace *t, const char *text)
{
	snprintf(t->warning, sizeof t->warning, "%s", text);
}

size_t trace_index_bytes(const struct trace *t)
{
	size_t n = t->capev * sizeof *t->ev + (size_t)t->capdoors * sizeof *t->doors +
		   (size_t)t->capmsgs * sizeof *t->msgs + t->capcalls * sizeof *t->calls +
		   (size_t)t->nhosts * sizeof *t->hosts + (size_t)t->nprocs * sizeof *t->procs + t->arena.cap +
		   (t->hostmap.cap + t->portmap.cap + t->connmap.cap) * sizeof(struct hmap_slot);
	if (t->ds) {
		n += (size_t)t->capdoors * sizeof *t->ds;
		for (int d = 0; d < t->capdoors; d++)
			n += (size_t)t->ds[d].capmsgs * sizeof(int);
	}
	return n;
}

/* A trace of a file never changes: drop what only linking needed and give
 * back the spare room of the arrays. */
static void trace_compact(struct trace *t)
{
	hmap_free(&t->portmap);
	hmap_free(&t->connmap);
	for (int d = 0; d < t->capdoors && t->ds; d++)
		free(t->ds[d].msgs);
	free(t->ds);
	t->ds = NULL;
	if (t->ndoors < t->capdoors && t->ndoors > 0) {
		t->capdoors = t->ndoors;
		t->doors = xreallocarray(t->doors, (size_t)t->capdoors, sizeof *t->doors);
	}
	if (t->nmsgs < t->capmsgs && t->nmsgs > 0) {
		t->capmsgs = t->nmsgs;
		t->msgs = xreallocarray(t->msgs, (size_t)t->capmsgs, sizeof *t->msgs);
	}
}
bool trace_has_processes(const struct trace *t) { return t->sc != NULL; }

static struct trace *trace_open_capture(const char *path, char *err)
{
	struct pcapfile *pf = pcapfile_open(path, err);
	if (!pf)
		return NULL;
	struct trace *t = trace_new();
	t->pf = pf;
	const char *slash = strrchr(path, '/');
	t->title = xstrdup(slash ? slash + 1 : path);
	xasprintf(&t->about, "A capture opened from %s: each host (IP address) is a house, each port a door; "
		  "who connected or spoke first is taken for the client.", path);
	/* room for the smallest possible packets up front (untouched pages
	 * cost nothing), trimmed to what was found afterwards: no copying */
	uint64_t fsize = pcapfile_size(pf);
	if (fsize / 58 > 1024 && fsize / 58 < (uint64_t)SIZE_MAX / sizeof *t->ev) {
		t->capev = (size_t)(fsize / 58);
		t->ev = xreallocarray(NULL, t->capev, sizeof *t->ev);
	}
	struct pcapfile_pkt k;
	int rc;
	/* a point per interface description: the sections of concatenated
	 * captures that describe their interfaces alike share the points */
	uint16_t *pointof = NULL;
	uint32_t npoint = 0, cappoint = 0;
	bool sorted = true;
	uint64_t last_ts = 0;
	struct trace_flow flow = { .valid = false };
	while ((rc = pcapfile_next(pf, &k)) == 1) {
		while (npoint < pcapfile_if_count(pf)) {
			uint32_t first = pcapfile_if_first(pf, npoint);
			int pt;
			if (first < npoint) {
				pt = pointof[first];
			} else {
				const char *name = pcapfile_if_name(pf, npoint);
				pt = trace_add_point(t, name && name[0] ? name : "capture", -1, false,
						     pcapfile_if_linktype(pf, npoint));
			}
			if (npoint == cappoint) {
				cappoint = cappoint ? cappoint * 2 : 8;
				pointof = xreallocarray(pointof, cappoint, sizeof *pointof);
			}
			pointof[npoint++] = (uint16_t)pt; /* at most PCAPFILE_MAX_IFDESC points */
		}
		struct tr_event *e = trace_push(t);
		e->kind = TR_PACKET;
		e->t_ns = k.ts_ns;
		e->point = k.ifindex < npoint ? pointof[k.ifindex] : 0;
		e->ref = trace_ref(k.offset, k.caplen);
		/* link it now, while its bytes are in the cache: one pass over
		 * the file (a file out of time order is linked again below) */
		sorted = sorted && k.ts_ns >= last_ts;
		last_ts = k.ts_ns;
		struct dec_pkt d;
		struct tr_pinfo pi;
		decode_packet(k.linktype, k.data, k.caplen, k.wirelen, &d);
		if (sorted && trace_pinfo_of(&d, &pi))
			trace_link_packet(t, t->nev - 1, &pi, &flow);
	}
	free(pointof);
	if (rc < 0) {
		/* a broken file is an error unless packets came before the damage */
		if (t->nev == 0) {
			util_err(err, "%s", pcapfile_error(pf));
			trace_free(t);
			return NULL;
		}
		snprintf(t->warning, sizeof t->warning, "%s (showing the %zu packets before it)",
			 pcapfile_error(pf), t->nev);
	} else if (pcapfile_warning(pf) && pcapfile_warning(pf)[0]) {
		snprintf(t->warning, sizeof t->warning, "%s", pcapfile_warning(pf));
	}
	if (t->nev == 0) {
		util_err(err, "%s: no packets in this capture", path);
		trace_free(t);
		return NULL;
	}
	if (t->capev > t->nev) {
		t->capev = t->nev;
		t->ev = xreallocarray(t->ev, t->capev, sizeof *t->ev);
	}
	if (sorted) {
		trace_roles(t);
		t->dirty = false;
	}
	trace_update(t);
	trace_compact(t);
	return t;
}

struct trace *trace_open(const char *path, char *err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return util_err(err, "cannot open %s: %s", path, strerror(errno)), NULL;
	if (S_ISDIR(st.st_mode))
		return record_load(path, err);
	return trace_open_capture(path, err);
}
