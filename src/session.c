#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "decode.h"
#include "diag.h"
#include "hmap.h"
#include "ev.h"
#include "lab.h"
#include "pcapfile.h"
#include "record.h"
#include "run.h"
#include "scenario.h"
#include "switch.h"
#include "trace.h"
#include "util.h"

struct session {
	const struct scenario *sc;
	struct ev *ev;
	struct session_opts o;
	session_fn *fn;
	void *arg;
	struct run *run;
	struct capture *cap;
	struct switch_net *sw;      /* switch mode: doorway's switch joins the hosts' links */
	int *cap_point;             /* capture index -> trace point */
	struct trace *trace;
	struct record *rec;
	long long flush_timer;      /* writes the recording's held packets */
	int *point_host;            /* capture point -> host */
	int npoints;
	bool over;
	char warning[UTIL_ERRLEN + 32];
	/* packets seen while a released call has not reported back: they join
	 * the trace together with its report, so a view never steps past the
	 * call that caused them before the call is there (its report comes
	 * after them, but sorts before them) */
	struct buf pending;
	struct session_held *held;
	int nheld, capheld;
	/* real programs' sockets: conversations already asked about */
	bool programs;
	struct hmap flows;
};

struct session_find {
	int proto, family;
	const uint8_t *lip, *rip;
	uint16_t lport, rport;
	int listen_ok;
	uint32_t inode;
};

static int session_find_in_ns(void *arg)
{
	struct session_find *f = arg;
	return diag_find_socket(f->proto, f->family, f->lip, f->lport, f->rip, f->rport, f->listen_ok, &f->inode);
}

/* Does process pid (or one of its children) hold the socket with inode? */
static bool session_pid_has(pid_t pid, uint32_t inode, int depth)
{
	char path[64], want[32], link[64];
	snprintf(want, sizeof want, "socket:[%u]", inode);
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		bool found = false;
		while (!found && (de = readdir(d))) {
			char fdp[64 + 256 + 2];
			snprintf(fdp, sizeof fdp, "%s/%s", path, de->d_name);
			ssize_t n = readlink(fdp, link, sizeof link - 1);
			if (n > 0) {
				link[n] = '\0';
				found = !strcmp(link, want);
			}
		}
		closedir(d);
		if (found)
			return true;
	}
	if (depth <= 0)
		return false;
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	int child;
	bool found = false;
	while (!found && fscanf(f, "%d", &child) == 1)
		found = session_pid_has(child, inode, depth - 1);
	fclose(f);
	return found;
}

/* The first packet of a conversation of a real program: ask the kernel of
 * each end's host which socket it is, and which program holds it. */
static void session_attribute(struct session *s, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
			      int linktype)
{
	struct dec_pkt d;
	decode_packet(linktype, data, caplen, wirelen, &d);
	if (!d.family || !d.has_ports || (!d.is_tcp && !d.is_udp))
		return;
	size_t n = d.family == AF_INET ? 4 : 16;
	/* one key for both directions */
	uint8_t key[HMAP_KEY] = { 0 };
	bool fwd = memcmp(d.src, d.dst, n) < 0 || (!memcmp(d.src, d.dst, n) && d.sport < d.dport);
	key[0] = d.proto;
	key[1] = (uint8_t)d.family;
	memcpy(key + 2, fwd ? d.src : d.dst, n);
	memcpy(key + 18, fwd ? d.dst : d.src, n);
	uint16_t pa = fwd ? d.sport : d.dport, pb = fwd ? d.dport : d.sport;
	memcpy(key + 34, &pa, 2);
	memcpy(key + 36, &pb, 2);
	if (hmap_get(&s->flows, key) >= 0)
		return;
	hmap_put(&s->flows, key, 1);
	struct lab *lab = run_lab(s->run);
	struct trace *t = s->trace;
	for (int end = 0; end < 2 && lab; end++) {
		const uint8_t *ip = end ? d.dst : d.src, *rip = end ? d.src : d.dst;
		uint16_t port = end ? d.dport : d.sport, rport = end ? d.sport : d.dport;
		int h = -1;
		for (int k = 0; k < s->sc->nhosts; k++) {
			const struct sc_addr *a = sc_host_addr(s->sc, k, d.family);
			if (a && !memcmp(a->bytes, ip, n))
				h = k;
		}
		/* traced programs' doors come from their calls: only programs
		 * that could not be traced are looked for */
		bool programs = false;
		for (int p = 0; p < s->sc->nprocs; p++)
			programs |= s->sc->procs[p].host == h && s->sc->procs[p].is_exec &&
				    !run_proc_traced(s->run, p);
		if (h < 0 || !programs)
			continue;
		struct session_find f = { d.proto, d.family, ip, rip, port, rport,
					  end == 1 && d.is_tcp && (d.tcp_flags & DEC_TCP_SYN), 0 };
		char err[UTIL_ERRLEN];
		/* a program that already closed it (answered and ended before
		 * this packet was read) is not found: the door stays the host's */
		if (lab_in_netns(lab, h, session_find_in_ns, &f, err) != 1)
			continue;
		for (int p = 0; p < s->sc->nprocs; p++) {
			pid_t pid = run_proc_pid(s->run, p); /* the run knows it before the trace does */
			if (s->sc->procs[p].host == h && s->sc->procs[p].is_exec && !run_proc_traced(s->run, p) && pid > 0 &&
			    session_pid_has(pid, f.inode, 2)) {
				trace_set_owner(t, h, d.proto, d.family, port, p);
				if (s->rec)
					record_owner(s->rec, h, d.proto, d.family, port, p);
				break;
			}
		}
	}
}

/* A run event held back while a released call has not reported: what
 * trace_add_run_event needs of it, copied. */
struct session_held {
	struct run_event e;
	struct ctl_msg m;
	char *text;
};

struct session_pending {
	uint64_t ts_ns;
	int point;
	uint32_t caplen, wirelen;
};

static void session_flush(struct session *s)
{
	for (int i = 0; i < s->nheld; i++) {
		trace_add_run_event(s->trace, &s->held[i].e);
		free(s->held[i].text);
	}
	s->nheld = 0;
	size_t off = 0;
	while (off + sizeof(struct session_pending) <= s->pending.len) {
		struct session_pending h;
		memcpy(&h, s->pending.p + off, sizeof h);
		off += sizeof h;
		trace_add_packet(s->trace, h.point, h.ts_ns, (const uint8_t *)s->pending.p + off, h.caplen, h.wirelen);
		off += h.caplen;
	}
	s->pending.len = 0;
}

static int64_t session_on_flush(struct ev *ev, long long id, void *arg)
{
	struct session *s = arg;
	s->flush_timer = 0;
	record_flush(s->rec);
	return EV_NOMORE;
}

/* Every packet, captured or read and written by the switch, enters the
 * trace and the recording here. */
static void session_packet(struct session *s, int point, uint64_t ts_ns, const uint8_t *data, uint32_t caplen,
			   uint32_t wirelen, int linktype)
{
	if (s->programs && s->run && !s->over)
		session_attribute(s, data, caplen, wirelen, linktype);
	if (s->run && !s->over && run_busy(s->run)) {
		struct session_pending h = { ts_ns, point, caplen, wirelen };
		buf_add(&s->pending, &h, sizeof h);
		buf_add(&s->pending, data, caplen);
	} else {
		session_flush(s);
		trace_add_packet(s->trace, point, ts_ns, data, caplen, wirelen);
	}
	if (s->rec) {
		record_packet(s->rec, s->sc, point, ts_ns, data, caplen, wirelen, linktype);
		/* written soon, in one go with the ones that follow */
		if (!s->flush_timer && record_pending(s->rec))
			s->flush_timer = ev_add_timer(s->ev, RECORD_FLUSH_MS, session_on_flush, s);
	}
}

static void session_on_packet(const struct capture_pkt *k, void *arg)
{
	struct session *s = arg;
	session_packet(s, s->cap_point[k->point], k->ts_ns, k->data, k->caplen, k->wirelen, k->linktype);
}

/* The switch's port h is host h's link, trace point h: frames it reads
 * leave host h, frames it writes arrive at host h. */
static void session_on_switch_pkt(const struct switch_pkt *k, void *arg)
{
	struct session *s = arg;
	session_packet(s, k->port, k->ts_ns, k->data, k->len, k->len, DLT_EN10MB);
}

static void session_on_switch_idle(void *arg)
{
	struct session *s = arg;
	if (s->run && !s->over)
		run_poke(s->run);
}

static bool session_net_busy(void *arg)
{
	struct session *s = arg;
	return s->sw && switch_busy(s->sw);
}

/* The lab has settled: a held packet goes on first (headless auto-step;
 * the TUI releases them itself). */
static int session_net_settled(void *arg)
{
	struct session *s = arg;
	return s->sw && s->o.auto_step && switch_nheld(s->sw) > 0 ? switch_release(s->sw, 0) : 0;
}

static void session_calls_running(void *arg, bool running)
{
	struct session *s = arg;
	if (s->sw)
		switch_set_gate(s->sw, running);
}

static int session_add_capture(struct session *s, int pt, int point)
{
	if (pt < 0)
		return -1;
	s->cap_point = xreallocarray(s->cap_point, (size_t)pt + 1, sizeof *s->cap_point);
	s->cap_point[pt] = point;
	return 0;
}

struct session_lo {
	struct session *s;
	char *err;
};

static int session_open_lo(void *arg)
{
	struct session_lo *l = arg;
	/* a loopback's frames are as large as the snapshot length: a quarter
	 * of the largest ring holds a burst of them */
	size_t size = capture_ring_start_size(l->s->sc->nhosts);
	return capture_open(l->s->cap, "lo", size < CAPTURE_RING_MAX / 4 ? CAPTURE_RING_MAX / 4 : size, l->err);
}

/* Captures on every host's link (lab side of its veth: each packet is seen
 * leaving one host and arriving at another), and on the loopback of hosts
 * with several processes (they may talk to each other there). */
static int session_on_lab(struct lab *lab, void *arg, char *err)
{
	struct session *s = arg;
	const struct scenario *sc = s->sc;
	size_t ring = capture_ring_start_size(sc->nhosts);
	int n = sc->nhosts;
	const char **ifname = xcalloc((size_t)(n > 0 ? n : 1), sizeof *ifname);
	for (int h = 0; h < n; h++)
		ifname[h] = lab->hosts[h].ifname;
	int first;
	if (s->sw) {
		struct fault_cfg *f = xcalloc((size_t)(n > 0 ? n : 1), sizeof *f);
		for (int h = 0; h < n; h++)
			fault_merge(&f[h], &sc->fault, &sc->link_fault[h]);
		first = switch_add_ports(s->sw, n, ifname, f, ring, err);
		free(f);
	} else {
		first = capture_open_links(s->cap, n, ifname, ring, err);
		for (int h = 0; h < n && first >= 0; h++)
			session_add_capture(s, first + h, h);
	}
	free(ifname);
	if (first < 0)
		return -1;
	for (int h = 0; h < n; h++) {
		int linktype = s->sw ? DLT_EN10MB : capture_linktype(s->cap, first + h);
		trace_add_point(s->trace, sc->hosts[h].name, h, false, linktype);
		if (s->rec)
			record_add_point(s->rec, sc->hosts[h].name, lab->hosts[h].ifname, linktype);
	}
	for (int h = 0; h < sc->nhosts; h++) {
		int nproc = 0;
		for (int p = 0; p < sc->nprocs; p++)
			nproc += sc->procs[p].host == h;
		if (nproc < 2)
			continue;
		struct session_lo l = { s, err };
		int pt = lab_in_netns(lab, h, session_open_lo, &l, err);
		if (session_add_capture(s, pt, trace_npoints(s->trace)) < 0)
			return -1;
		char name[64];
		snprintf(name, sizeof name, "%s lo", sc->hosts[h].name);
		trace_add_point(s->trace, name, h, true, capture_linktype(s->cap, pt));
		if (s->rec)
			record_add_point(s->rec, name, "lo", capture_linktype(s->cap, pt));
	}
	return 0;
}

static void session_on_run(const struct run_event *e, void *arg)
{
	struct session *s = arg;
	if (s->o.observe)
		s->o.observe(e, s->o.observe_arg);
	if (e->kind == RUN_EV_END) {
		/* the last packets are already in the kernel's buffers: take them */
		capture_drain(s->cap);
		if (s->sw)
			switch_drain(s->sw);
		s->over = true;
		session_flush(s);
		trace_update(s->trace);
		if (s->rec)
			record_finish(s->rec, s->trace);
		s->fn(s, SESSION_END, s->arg);
		return;
	}
	if (s->rec)
		record_run_event(s->rec, e);
	if (run_busy(s->run)) {
		/* another process's report while a released call has not
		 * reported back: hold it, so the views get both together (the
		 * released call sorts first but may be read last) */
		if (s->nheld == s->capheld) {
			s->capheld = s->capheld ? s->capheld * 2 : 8;
			s->held = xreallocarray(s->held, (size_t)s->capheld, sizeof *s->held);
		}
		struct session_held *h = &s->held[s->nheld++];
		h->e = *e;
		if (e->msg) {
			h->m = *e->msg;
			h->e.msg = &h->m;
		}
		h->text = e->text ? xstrndup(e->text, e->len) : NULL;
		h->e.text = h->text;
		return;
	}
	trace_add_run_event(s->trace, e);
	session_flush(s);
	s->fn(s, SESSION_CHANGED, s->arg);
}

struct session *session_start(const struct scenario *sc, const char *scenario_path, struct ev *ev,
			      const struct session_opts *o, session_fn *fn, void *arg, char *err)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->sc = sc;
	s->ev = ev;
	s->o = *o;
	s->fn = fn;
	s->arg = arg;
	s->trace = trace_new();
	for (int p = 0; p < sc->nprocs; p++)
		s->programs |= sc->procs[p].is_exec;
	trace_set_scenario(s->trace, sc);
	s->cap = capture_new(ev, session_on_packet, s);
	if (sc->switch_mode) {
		s->sw = switch_new(ev, sc->seed, session_on_switch_pkt, session_on_switch_idle, s);
		switch_set_hold(s->sw, o->hold);
	}
	if (o->record) {
		char rerr[UTIL_ERRLEN];
		s->rec = record_open(o->record_dir, scenario_path, rerr);
		if (!s->rec) {
			if (o->record_dir) { /* asked for: a hard error */
				util_err(err, "%s", rerr);
				session_free(s);
				return NULL;
			}
			snprintf(s->warning, sizeof s->warning, "not recording: %s", rerr);
		}
	}
	struct run_opts ro = { .gated = o->gated, .auto_step = o->auto_step, .child_setup = o->child_setup,
			       .run_dir = s->rec ? record_dir(s->rec) : NULL,
			       .on_lab = session_on_lab, .on_lab_arg = s,
			       .net_busy = sc->switch_mode ? session_net_busy : NULL,
			       .net_settled = sc->switch_mode ? session_net_settled : NULL,
			       .calls_running = sc->switch_mode ? session_calls_running : NULL };
	s->run = run_start(sc, ev, &ro, session_on_run, s, err);
	if (!s->run) {
		if (s->rec)
			record_discard(s->rec);
		s->rec = NULL;
		session_free(s);
		return NULL;
	}
	return s;
}

struct trace *session_trace(struct session *s) { return s->trace; }
struct run *session_run(struct session *s) { return s->run; }
int session_step(struct session *s) { return run_step(s->run); }
bool session_over(const struct session *s) { return s->over; }
int session_status(const struct session *s) { return run_status(s->run); }
void session_abort(struct session *s) { run_abort(s->run); }
const char *session_record_dir(const struct session *s) { return s->rec ? record_dir(s->rec) : ""; }
const char *session_record_warning(const struct session *s) { return s->warning; }

struct switch_net *session_switch(struct session *s) { return s->sw; }

void session_set_hold(struct session *s, bool on)
{
	if (s->sw)
		switch_set_hold(s->sw, on);
}

int session_release_packet(struct session *s, uint64_t id)
{
	return s->sw ? switch_release(s->sw, id) : 0;
}

int session_set_fault(struct session *s, int host, const struct fault_cfg *f)
{
	if (!s->sw)
		return -1;
	switch_set_fault(s->sw, host, f);
	return 0;
}

int session_drop_next(struct session *s, int host)
{
	if (!s->sw)
		return -1;
	switch_drop_next(s->sw, host);
	return 0;
}

void session_capture_summary(struct session *s, char *out, size_t outlen, bool *dropped)
{
	uint64_t seen = 0, drop = 0, ring = 0;
	for (int i = 0; i < capture_count(s->cap); i++) {
		uint64_t a, b;
		capture_stats(s->cap, i, &a, &b);
		seen += a;
		drop += b;
		ring += capture_size(s->cap, i);
	}
	int links = capture_count(s->cap);
	if (s->sw) {
		struct switch_stats st;
		switch_stats(s->sw, &st);
		seen += st.read + st.written;
		drop += st.dropped;
		links += switch_nports(s->sw);
		ring += switch_ring_bytes(s->sw);
	}
	snprintf(out, outlen, "captured %llu packets on %d links, %llu dropped (capture rings %.1f MiB)",
		 (unsigned long long)seen, links, (unsigned long long)drop, (double)ring / (1 << 20));
	if (dropped)
		*dropped = drop > 0;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	run_free(s->run);
	s->run = NULL;
	switch_free(s->sw);
	capture_free(s->cap);
	free(s->cap_point);
	if (s->flush_timer)
		ev_del_timer(s->ev, s->flush_timer);
	if (s->rec)
		record_close(s->rec);
	trace_free(s->trace);
	buf_free(&s->pending);
	for (int i = 0; i < s->nheld; i++)
		free(s->held[i].text);
	free(s->held);
	hmap_free(&s->flows);
	free(s->point_host);
	free(s);
}
