#include "ui-model.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "scenario.h"
#include "trace.h"
#include "util.h"

#define UI_PAIR_WINDOW 64     /* events searched for a packet's other sighting */
#define UI_PROC_LOOKBACK 50000 /* events searched back for a process's last call */

/* Who connects or speaks first is a client; who listens, or waits to be
 * spoken to, serves. A bind() alone decides nothing (a client may bind a
 * door for later, as no-boundaries' receiver does). */
static int ui_model_script_role(const struct sc_proc *sp)
{
	for (int k = 0; k < sp->nsteps; k++) {
		switch (sp->steps[k].op) {
		case SC_LISTEN:
		case SC_ACCEPT:
		case SC_RECV:
		case SC_RECVFROM:
			return TR_ROLE_SERVER;
		case SC_CONNECT:
		case SC_SEND:
		case SC_SENDTO:
			return TR_ROLE_CLIENT;
		default:
			break;
		}
	}
	return TR_ROLE_UNKNOWN;
}

void ui_model_init(struct ui_model *m, struct trace *t, const struct scenario *sc)
{
	memset(m, 0, sizeof *m);
	m->t = t;
	m->nev = (size_t)-1;
	m->ndoors = -1;
	int np = trace_nprocs(t);
	m->sock_slots = xcalloc((size_t)(np > 0 ? np : 1), sizeof *m->sock_slots);
	m->role_hint = xcalloc((size_t)(np > 0 ? np : 1), sizeof *m->role_hint);
	m->hints = sc != NULL;
	for (int p = 0; sc && p < np && p < sc->nprocs; p++) {
		const struct sc_proc *sp = &sc->procs[p];
		m->sock_slots[p] = sp->nsocks;
		if (sp->nsocks > 0) {
			if (!m->slot_names) {
				m->slot_names = xcalloc((size_t)np, sizeof *m->slot_names);
				m->nslot_names = np;
			}
			m->slot_names[p] = xcalloc((size_t)sp->nsocks, SC_MAX_NAME + 1);
			for (int k = 0; k < sp->nsocks; k++)
				memcpy(m->slot_names[p] + k * (SC_MAX_NAME + 1), sp->socks[k].name, SC_MAX_NAME + 1);
		}
		m->role_hint[p] = ui_model_script_role(sp);
	}
	ui_model_sync(m);
}

void ui_model_free(struct ui_model *m)
{
	free(m->steps);
	free(m->rows);
	free(m->col_of_door);
	free(m->door_of_col);
	free(m->numbered);
	free(m->door_host);
	free(m->door_house);
	free(m->door_slot);
	free(m->hosts);
	for (int p = 0; p < m->nslot_names; p++)
		free(m->slot_names[p]);
	free(m->slot_names);
	free(m->sock_slots);
	free(m->role_hint);
	memset(m, 0, sizeof *m);
}

static void ui_push(uint32_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = (uint32_t)x;
}

/* Two sightings of the same frame: same doors and length, same first bytes. */
static bool ui_same_packet(const struct ui_model *m, const struct tr_event *a, const struct tr_event *b)
{
	if (a->door != b->door || a->peer != b->peer || trace_event_caplen(a) != trace_event_caplen(b))
		return false;
	if (m->capture)
		return true;
	uint8_t first[128];
	uint32_t cl, wl;
	int lt;
	const uint8_t *p = trace_packet_bytes(m->t, a, &cl, &wl, &lt);
	if (!p)
		return true;
	size_t n = cl < sizeof first ? cl : sizeof first;
	memcpy(first, p, n);
	const uint8_t *q = trace_packet_bytes(m->t, b, &cl, &wl, &lt);
	if (!q)
		return true;
	return cl >= n && !memcmp(first, q, n);
}

long ui_model_pair(const struct ui_model *m, long ev)
{
	const struct tr_event *e = trace_event(m->t, (size_t)ev);
	if (ev < 0 || !e || e->kind != TR_PACKET || (e->door < 0 && e->peer < 0))
		return -1;
	long n = (long)trace_nevents(m->t);
	if (e->dir == TR_DIR_DEPART) {
		for (long k = ev + 1; k < n && k <= ev + UI_PAIR_WINDOW; k++) {
			const struct tr_event *f = trace_event(m->t, (size_t)k);
			if (f->kind == TR_PACKET && f->dir == TR_DIR_ARRIVE && ui_same_packet(m, e, f))
				return k;
		}
	} else if (e->dir == TR_DIR_ARRIVE) {
		for (long k = ev - 1; k >= 0 && k >= ev - UI_PAIR_WINDOW; k--) {
			const struct tr_event *f = trace_event(m->t, (size_t)k);
			if (f->kind == TR_PACKET && f->dir == TR_DIR_DEPART && ui_same_packet(m, f, e))
				return k;
		}
	}
	return -1;
}

static void ui_model_columns(struct ui_model *m)
{
	int n = m->ndoors;
	m->col_of_door = xreallocarray(m->col_of_door, (size_t)(n ? n : 1), sizeof(int));
	m->door_of_col = xreallocarray(m->door_of_col, (size_t)(n ? n : 1), sizeof(int));
	/* children of each welcoming door, as linked lists in door order */
	int *first = xmalloc((size_t)(n ? n : 1) * sizeof(int)), *next = xmalloc((size_t)(n ? n : 1) * sizeof(int));
	int *last = xmalloc((size_t)(n ? n : 1) * sizeof(int));
	for (int d = 0; d < n; d++) {
		m->col_of_door[d] = first[d] = next[d] = last[d] = -1;
	}
	for (int d = 0; d < n; d++) {
		int p = trace_door(m->t, d)->parent;
		if (p < 0 || p >= n)
			continue;
		if (last[p] < 0)
			first[p] = d;
		else
			next[last[p]] = d;
		last[p] = d;
	}
	int nc = 0;
	for (int d = 0; d < n; d++) {
		if (m->col_of_door[d] >= 0 || trace_door(m->t, d)->parent >= 0)
			continue;
		m->door_of_col[nc] = d;
		m->col_of_door[d] = nc++;
		for (int k = first[d]; k >= 0; k = next[k])
			if (m->col_of_door[k] < 0) {
				m->door_of_col[nc] = k;
				m->col_of_door[k] = nc++;
			}
	}
	for (int d = 0; d < n; d++)
		if (m->col_of_door[d] < 0) {
			m->door_of_col[nc] = d;
			m->col_of_door[d] = nc++;
		}
	m->ncols = nc;
	free(first);
	free(next);
	free(last);
}

static bool ui_op_numbers(int op)
{
	return op == SC_BIND || op == SC_CONNECT || op == SC_SEND || op == SC_SENDTO || op == SC_LISTEN;
}

static void ui_model_houses(struct ui_model *m)
{
	struct trace *t = m->t;
	int nh = trace_nhosts(t), np = trace_nprocs(t), nd = m->ndoors;
	m->nhosts = nh;
	m->hosts = xreallocarray(m->hosts, (size_t)(nh ? nh : 1), sizeof *m->hosts);
	memset(m->hosts, 0, (size_t)(nh ? nh : 1) * sizeof *m->hosts);
	/* a house per process, in the order the lesson declares them */
	int *house_of_proc = xcalloc((size_t)(np ? np : 1), sizeof *house_of_proc);
	for (int p = 0; p < np; p++) {
		const struct tr_proc *pr = trace_proc(t, p);
		house_of_proc[p] = -1;
		if (pr->host < 0 || pr->host >= nh)
			continue;
		struct ui_mhost *h = &m->hosts[pr->host];
		if (h->nhouses >= UI_MAX_HOUSES)
			continue;
		house_of_proc[p] = h->nhouses;
		h->house[h->nhouses++] = (struct ui_house){ .proc = p, .nslots = m->sock_slots[p] };
	}
	/* doors without a process live in the host's own house */
	int *anon = xcalloc((size_t)(nh ? nh : 1), sizeof *anon);
	for (int h = 0; h < nh; h++)
		anon[h] = -1;
	m->door_host = xreallocarray(m->door_host, (size_t)(nd ? nd : 1), sizeof(int));
	m->door_house = xreallocarray(m->door_house, (size_t)(nd ? nd : 1), sizeof(int));
	m->door_slot = xreallocarray(m->door_slot, (size_t)(nd ? nd : 1), sizeof(int));
	/* first the doors with a scenario socket (their slot is the socket's) */
	for (int pass = 0; pass < 2; pass++) {
		for (int d = 0; d < nd; d++) {
			const struct tr_door *door = trace_door(t, d);
			bool by_sock = door->proc >= 0 && door->proc < np && door->sock >= 0;
			if (pass == 0) {
				m->door_host[d] = door->host;
				m->door_house[d] = m->door_slot[d] = -1;
			}
			if ((pass == 0) != by_sock)
				continue;
			if (door->nobody)
				continue; /* a port nobody has open: no house, the host's kernel answers */
			int h = door->host;
			if (door->proc >= 0 && door->proc < np)
				h = trace_proc(t, door->proc)->host;
			if (h < 0 || h >= nh)
				continue;
			m->door_host[d] = h;
			struct ui_mhost *mh = &m->hosts[h];
			int k;
			if (door->proc >= 0 && door->proc < np) {
				k = house_of_proc[door->proc];
			} else {
				if (anon[h] < 0 && mh->nhouses < UI_MAX_HOUSES) {
					anon[h] = mh->nhouses;
					mh->house[mh->nhouses++] = (struct ui_house){ .proc = -1, .nslots = 0 };
				}
				k = anon[h];
			}
			if (k < 0)
				continue;
			struct ui_house *hs = &mh->house[k];
			int slot;
			if (by_sock) {
				slot = door->sock;
				if (slot + 1 > hs->nslots)
					hs->nslots = slot + 1;
			} else {
				slot = hs->nslots++;
			}
			m->door_house[d] = k;
			m->door_slot[d] = slot;
		}
	}
	/* every host shows at least one house */
	for (int h = 0; h < nh; h++)
		if (m->hosts[h].nhouses == 0)
			m->hosts[h].house[m->hosts[h].nhouses++] = (struct ui_house){ .proc = -1, .nslots = 0 };
	free(anon);
	free(house_of_proc);
}

bool ui_model_sync(struct ui_model *m)
{
	struct trace *t = m->t;
	trace_update(t);
	size_t n = trace_nevents(t);
	int nd = trace_ndoors(t);
	if (n == m->nev && nd == m->ndoors)
		return false;
	m->nev = n;
	m->ndoors = nd;
	m->capture = !trace_has_processes(t);
	m->nsteps = m->nrows = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tr_event *e = trace_event(t, i);
		bool step = trace_is_step(t, i);
		if (step)
			ui_push(&m->steps, &m->nsteps, &m->capsteps, i);
		if (!step && e->kind != TR_OUTPUT)
			continue;
		/* an arrival is drawn with its departure; a duplicate has a row of its own */
		if (e->kind == TR_PACKET && e->dir == TR_DIR_ARRIVE && !(e->mark & TR_MARK_DUP) &&
		    ui_model_pair(m, (long)i) >= 0)
			continue;
		ui_push(&m->rows, &m->nrows, &m->caprows, i);
	}
	ui_model_columns(m);
	m->numbered = xreallocarray(m->numbered, (size_t)(nd ? nd : 1), sizeof(long));
	for (int d = 0; d < nd; d++)
		m->numbered[d] = -1;
	for (size_t i = 0; i < n; i++) {
		const struct tr_event *e = trace_event(t, i);
		if (e->kind == TR_PACKET) {
			if (e->door >= 0 && e->door < nd && m->numbered[e->door] < 0)
				m->numbered[e->door] = (long)i;
			if (e->peer >= 0 && e->peer < nd && m->numbered[e->peer] < 0)
				m->numbered[e->peer] = (long)i;
		} else if (e->kind == TR_CALL) {
			const struct tr_call *c = trace_call(t, e);
			if (!c)
				continue;
			if (c->op == SC_ACCEPT && e->peer >= 0 && e->peer < nd && m->numbered[e->peer] < 0)
				m->numbered[e->peer] = (long)i;
			if (e->door >= 0 && e->door < nd && m->numbered[e->door] < 0 && ui_op_numbers(c->op) &&
			    c->m.result >= 0)
				m->numbered[e->door] = (long)i;
		}
	}
	for (int d = 0; d < nd; d++) {
		const struct tr_door *door = trace_door(t, d);
		/* doors no call made (captures, programs' sockets) have their number from the start */
		if (door->sock < 0 && (m->numbered[d] < 0 || door->first_ev < m->numbered[d]))
			m->numbered[d] = door->first_ev;
	}
	ui_model_houses(m);
	return true;
}

/* ---- steps --------------------------------------------------------------- */

/* Index of the first step event > ev (binary search). */
static size_t ui_upper(const uint32_t *v, size_t n, long ev)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((long)v[mid] <= ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long ui_model_next(const struct ui_model *m, long cur)
{
	size_t k = ui_upper(m->steps, m->nsteps, cur);
	return k < m->nsteps ? (long)m->steps[k] : cur;
}

long ui_model_prev(const struct ui_model *m, long cur)
{
	size_t k = ui_upper(m->steps, m->nsteps, cur - 1); /* steps < cur */
	return k > 0 ? (long)m->steps[k - 1] : -1;
}

long ui_model_first(const struct ui_model *m) { return m->nsteps ? (long)m->steps[0] : -1; }
long ui_model_last(const struct ui_model *m) { return m->nsteps ? (long)m->steps[m->nsteps - 1] : -1; }

size_t ui_model_step_no(const struct ui_model *m, long cur)
{
	return cur < 0 ? 0 : ui_upper(m->steps, m->nsteps, cur);
}

struct ui_mark ui_model_mark(const struct ui_model *m, long ev)
{
	struct ui_mark k = { 0 };
	const struct tr_event *e = ev >= 0 ? trace_event(m->t, (size_t)ev) : NULL;
	if (!e)
		return k;
	k.t_ns = e->t_ns;
	k.ref = e->ref;
	k.kind = e->kind;
	k.proc = e->proc;
	k.valid = true;
	return k;
}

static bool ui_mark_is(const struct ui_model *m, const struct ui_mark *k, long ev)
{
	const struct tr_event *e = ev >= 0 ? trace_event(m->t, (size_t)ev) : NULL;
	return e && e->t_ns == k->t_ns && e->ref == k->ref && e->kind == k->kind && e->proc == k->proc;
}

long ui_model_find(const struct ui_model *m, const struct ui_mark *k, long hint)
{
	if (!k->valid)
		return -1;
	if (ui_mark_is(m, k, hint))
		return hint;
	long n = (long)trace_nevents(m->t);
	/* events arrive late and sort in before it: look forward first */
	for (long d = 1; d < 4096; d++) {
		if (hint + d < n && ui_mark_is(m, k, hint + d))
			return hint + d;
		if (hint - d >= 0 && hint - d < n && ui_mark_is(m, k, hint - d))
			return hint - d;
		if (hint + d >= n && hint - d < 0)
			break;
	}
	/* the last step at or before its time */
	long best = -1;
	size_t lo = 0, hi = m->nsteps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (trace_event(m->t, m->steps[mid])->t_ns <= k->t_ns) {
			best = (long)m->steps[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return best;
}

/* ---- packets ------------------------------------------------------------- */

void ui_model_packet_label(const struct ui_model *m, long ev, char *out, size_t outlen)
{
	out[0] = '\0';
	const struct tr_event *e = ev >= 0 ? trace_event(m->t, (size_t)ev) : NULL;
	if (!e || e->kind != TR_PACKET)
		return;
	trace_packet_label(m->t, e, DEC_LABEL_SHORT, out, outlen);
}

int ui_model_host_of(const struct ui_model *m, int family, const uint8_t *addr)
{
	int nh = trace_nhosts(m->t);
	for (int h = 0; h < nh; h++) {
		const struct tr_host *th = trace_host(m->t, h);
		if (family == AF_INET && th->has4 && !memcmp(th->addr4, addr, 4))
			return h;
		if (family == AF_INET6 && th->has6 && !memcmp(th->addr6, addr, 16))
			return h;
	}
	return -1;
}

void ui_model_packet_hosts(const struct ui_model *m, long ev, int *from, int *to)
{
	*from = *to = -1;
	const struct tr_event *e = ev >= 0 ? trace_event(m->t, (size_t)ev) : NULL;
	if (!e || e->kind != TR_PACKET)
		return;
	struct dec_pkt d;
	trace_packet_decode(m->t, e, &d);
	if (d.family != AF_INET && d.family != AF_INET6)
		return;
	*from = ui_model_host_of(m, d.family, d.src);
	*to = ui_model_host_of(m, d.family, d.dst);
}

/* ---- ladder -------------------------------------------------------------- */

long ui_model_row_of(const struct ui_model *m, long ev)
{
	if (ev < 0)
		return -1;
	const struct tr_event *e = trace_event(m->t, (size_t)ev);
	if (e && e->kind == TR_PACKET && e->dir == TR_DIR_ARRIVE && !(e->mark & TR_MARK_DUP)) {
		long d = ui_model_pair(m, ev);
		if (d >= 0)
			ev = d;
	}
	size_t k = ui_upper(m->rows, m->nrows, ev);
	return (long)k - 1;
}

/* ---- doors and processes ------------------------------------------------- */

enum ui_door_state ui_model_door_state(const struct ui_model *m, int d, long cur)
{
	const struct tr_door *door = trace_door(m->t, d);
	if (!door)
		return UI_DOOR_ABSENT;
	if (door->first_ev >= 0 && cur < door->first_ev)
		return UI_DOOR_ABSENT;
	if (door->last_ev >= 0 && cur >= door->last_ev)
		return UI_DOOR_CLOSED;
	return UI_DOOR_OPEN;
}

int ui_model_door_shown(const struct ui_model *m, int d, long cur)
{
	const struct tr_door *door = trace_door(m->t, d);
	if (!door || ui_model_door_state(m, d, cur) != UI_DOOR_ABSENT || door->parent < 0)
		return d;
	return ui_model_door_state(m, door->parent, cur) != UI_DOOR_ABSENT ? door->parent : d;
}

bool ui_model_door_numbered(const struct ui_model *m, int d, long cur)
{
	if (d < 0 || d >= m->ndoors)
		return false;
	return m->numbered[d] >= 0 && cur >= m->numbered[d];
}

void ui_model_proc_at(const struct ui_model *m, int p, long cur, struct ui_proc_now *o)
{
	memset(o, 0, sizeof *o);
	o->last = -1;
	for (long k = cur; k >= 0 && k > cur - UI_PROC_LOOKBACK; k--) {
		const struct tr_event *e = trace_event(m->t, (size_t)k);
		if (!e || e->proc != p)
			continue;
		if (e->kind == TR_SPAWN) {
			o->started = true;
			break;
		}
		if (e->kind != TR_CALL && e->kind != TR_WAIT && e->kind != TR_EXIT && e->kind != TR_EXEC)
			continue;
		const struct tr_call *c = trace_call(m->t, e);
		if (e->kind == TR_CALL && c && c->caption)
			continue; /* a say step: the caption shows it */
		o->last = k;
		o->started = true;
		o->waiting = e->kind == TR_WAIT;
		o->ended = e->kind == TR_EXIT;
		break;
	}
}

const char *ui_model_slot_name(const struct ui_model *m, int p, int s)
{
	if (p < 0 || p >= m->nslot_names || !m->slot_names[p] || s < 0 || s >= m->sock_slots[p])
		return "";
	return m->slot_names[p] + s * (SC_MAX_NAME + 1);
}

int ui_model_role(const struct ui_model *m, int p)
{
	const struct tr_proc *pr = trace_proc(m->t, p);
	if (!pr)
		return TR_ROLE_UNKNOWN;
	if (m->hints && m->role_hint[p] != TR_ROLE_UNKNOWN)
		return m->role_hint[p];
	return pr->role;
}

void ui_model_stage_req(const struct ui_model *m, struct ui_stage_req *req)
{
	memset(req, 0, sizeof *req);
	req->nhosts = m->nhosts;
	for (int h = 0; h < m->nhosts && h < UI_MAX_HOSTS; h++) {
		req->nhouses[h] = m->hosts[h].nhouses;
		bool server = false, client = false;
		for (int k = 0; k < m->hosts[h].nhouses; k++) {
			req->ndoors[h][k] = m->hosts[h].house[k].nslots;
			int p = m->hosts[h].house[k].proc;
			if (p < 0)
				continue;
			enum tr_role r = (enum tr_role)ui_model_role(m, p);

			server = server || r == TR_ROLE_SERVER;
			client = client || r == TR_ROLE_CLIENT;
		}
		/* a capture: its doors' roles (final once the file is read) */
		if (!m->hints && !server && !client)
			for (int d = 0; d < m->ndoors; d++)
				if (m->door_host[d] == h) {
					const struct tr_door *door = trace_door(m->t, d);
					server = server || door->role == TR_ROLE_SERVER || door->listening;
					client = client || door->role == TR_ROLE_CLIENT;
				}
		req->side[h] = server ? 2 : client ? 1 : 0;
	}
}
