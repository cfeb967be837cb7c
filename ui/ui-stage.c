/* The stage: hosts as boxes, processes as houses inside them, sockets as
 * doors on the houses' walls, the network between the hosts, and the
 * envelopes travelling from door to door. */
#include "ui-view.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "trace.h"
#include "ui-term.h"
#include "ui-text.h"

/* The door shown in each slot of each house at the cursor. */
struct ui_slots {
	int door[UI_MAX_HOSTS][UI_MAX_HOUSES][UI_MAX_DOORS];
	/* cells kept free at the inner end of a door's label for an envelope
	 * inside the house (going out or coming in), so it never covers the
	 * label; 0 none */
	int keep[UI_MAX_HOSTS][UI_MAX_HOUSES][UI_MAX_DOORS];
};

#define UI_ENV_INSIDE(pos) ((pos) <= 0.5 || (pos) >= 3.5)

static void ui_stage_slots(const struct ui_view *v, struct ui_slots *sl)
{
	const struct ui_model *m = v->m;
	for (int h = 0; h < UI_MAX_HOSTS; h++)
		for (int k = 0; k < UI_MAX_HOUSES; k++)
			for (int s = 0; s < UI_MAX_DOORS; s++) {
				sl->door[h][k][s] = -1;
				sl->keep[h][k][s] = 0;
			}
	for (int d = 0; d < m->ndoors; d++) {
		int h = m->door_host[d], k = m->door_house[d], s = m->door_slot[d];
		if (h < 0 || h >= v->geo->nhosts || k < 0 || k >= v->geo->host[h].nhouses || s < 0 ||
		    s >= v->geo->host[h].house[k].ndoors)
			continue;
		enum ui_door_state st = ui_model_door_state(m, d, v->cursor);
		if (st == UI_DOOR_ABSENT)
			continue;
		int cur = sl->door[h][k][s];
		/* an open door wins over a closed one; the latest closed otherwise */
		if (cur < 0 || st == UI_DOOR_OPEN || ui_model_door_state(m, cur, v->cursor) != UI_DOOR_OPEN)
			sl->door[h][k][s] = d;
	}
}

static const struct ui_geo_door *ui_door_geo(const struct ui_view *v, int d, int *host)
{
	const struct ui_model *m = v->m;
	*host = -1;
	if (d < 0 || d >= m->ndoors)
		return NULL;
	int h = m->door_host[d], k = m->door_house[d], s = m->door_slot[d];
	*host = h < v->geo->nhosts ? h : -1;
	if (h < 0 || h >= v->geo->nhosts || k < 0 || k >= v->geo->host[h].nhouses || s < 0 ||
	    s >= v->geo->host[h].house[k].ndoors)
		return NULL;
	return &v->geo->host[h].house[k].door[s];
}

/* Where door d sits on the stage: host, house and slot drawn; false when
 * it is not drawn. */
static bool ui_door_place(const struct ui_view *v, int d, int *h, int *k, int *s)
{
	const struct ui_model *m = v->m;
	if (d < 0 || d >= m->ndoors)
		return false;
	*h = m->door_host[d], *k = m->door_house[d], *s = m->door_slot[d];
	return *h >= 0 && *h < v->geo->nhosts && *k >= 0 && *k < v->geo->host[*h].nhouses && *s >= 0 &&
	       *s < v->geo->host[*h].house[*k].ndoors;
}

/* An envelope's words: its label, "+N" when it stands for several. */
static void ui_env_text(const struct ui_env *e, char *out, size_t outlen)
{
	if (e->count > 1)
		snprintf(out, outlen, "%s +%d", e->label, e->count - 1);
	else
		snprintf(out, outlen, "%s", e->label);
}

/* The door an envelope inside a house is at (the sender's going out, the
 * receiver's coming in), as drawn at the frame's cursor. */
static int ui_env_inside_door(const struct ui_view *v, const struct ui_env *e)
{
	long c = v->frame ? v->frame->cursor : v->cursor;
	int d = e->pos <= 0.5 ? e->from : e->to;
	return d >= 0 ? ui_model_door_shown(v->m, d, c) : -1;
}

/* Room kept beside each door's label for the envelopes inside its house. */
static void ui_stage_keep(const struct ui_view *v, struct ui_win *w, struct ui_slots *sl)
{
	const struct ui_scene *f = v->frame;
	for (int i = 0; f && i < f->n; i++) {
		const struct ui_env *e = &f->v[i];
		int h, k, s;
		if (!e->visible || !UI_ENV_INSIDE(e->pos) || !ui_door_place(v, ui_env_inside_door(v, e), &h, &k, &s))
			continue;
		char text[96];
		ui_env_text(e, text, sizeof text);
		int want = 2 + ui_text_width(text);
		int lw = v->geo->host[h].house[k].door[s].label_w - 1;
		/* the door keeps a short label ("s: udp :9000") */
		int most = lw - 14 > 6 ? lw - 14 : lw / 2;
		if (want > most)
			want = most;
		if (want > 30)
			want = 30;
		if (want > sl->keep[h][k][s])
			sl->keep[h][k][s] = want;
	}
	(void)w;
}

static void ui_addr(const struct tr_addr *a, bool short_form, char *out, size_t outlen)
{
	char ip[INET6_ADDRSTRLEN] = "";
	bool any = true;
	for (int i = 0; i < (a->family == AF_INET6 ? 16 : 4); i++)
		if (a->bytes[i])
			any = false;
	if (a->family && !any)
		inet_ntop(a->family, a->bytes, ip, sizeof ip);
	if (short_form || !ip[0])
		snprintf(out, outlen, ":%u", a->port);
	else
		snprintf(out, outlen, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, a->port);
}

/* The longest of a door's labels that fits in w columns. */
static void ui_door_label(const struct ui_view *v, int d, int w, char *out, size_t outlen)
{
	const struct tr_door *door = trace_door(v->m->t, d);
	if (door->host_level) { /* no port: the host's own column (ICMP, ARP) */
		char lab[64];
		trace_door_label(v->m->t, d, lab, sizeof lab);
		ui_text_clip(out, outlen, ui_text_width(lab) <= w ? lab : "host", w, "");
		return;
	}
	const char *proto = door->proto == IPPROTO_TCP ? "tcp" : "udp";
	bool closed = ui_model_door_state(v->m, d, v->cursor) == UI_DOOR_CLOSED;
	bool numbered = ui_model_door_numbered(v->m, d, v->cursor) && door->local.port;
	char full[64], brief[16], remote[64] = "";
	if (numbered) {
		ui_addr(&door->local, false, full, sizeof full);
		ui_addr(&door->local, true, brief, sizeof brief);
	} else {
		snprintf(full, sizeof full, "no port yet");
		snprintf(brief, sizeof brief, "no port");
	}
	if (door->remote.family && door->remote.port && numbered)
		ui_addr(&door->remote, false, remote, sizeof remote);
	const char *extra = closed ? "closed" : door->nobody ? "nobody home" : door->listening ? "welcoming" : "";
	char name[TR_NAME + 2] = "";
	if (door->name[0])
		snprintf(name, sizeof name, "%s: ", door->name);
	char cand[6][256];
	int nc = 0;
	const char *sep = extra[0] ? " " : "";
	if (remote[0] && !door->listening) {
		snprintf(cand[nc++], sizeof cand[0], "%s%s %s%s%s %s %s", name, proto, full, sep, extra,
			 door->parent >= 0 ? "from" : "to", remote);
	}
	snprintf(cand[nc++], sizeof cand[0], "%s%s %s%s%s", name, proto, full, sep, extra);
	snprintf(cand[nc++], sizeof cand[0], "%s%s %s%s%s", name, proto, brief, sep, extra);
	snprintf(cand[nc++], sizeof cand[0], "%s %s%s%s", proto, brief, sep, extra);
	snprintf(cand[nc++], sizeof cand[0], "%s %s", proto, brief);
	snprintf(cand[nc++], sizeof cand[0], "%s", brief);
	for (int i = 0; i < nc; i++)
		if (ui_text_width(cand[i]) <= w) {
			ui_strlcpy(out, cand[i], outlen);
			return;
		}
	ui_text_clip(out, outlen, cand[nc - 1], w, "");
}

static const char *ui_role_name(enum tr_role r)
{
	return r == TR_ROLE_CLIENT ? "client" : r == TR_ROLE_SERVER ? "server" : "";
}

/* The process whose step the cursor is on (a packet: its sender's, or on
 * arrival its receiver's). */
static int ui_active_proc(const struct ui_view *v)
{
	const struct tr_event *e = v->cursor >= 0 ? trace_event(v->m->t, (size_t)v->cursor) : NULL;
	if (!e)
		return -1;
	if (e->kind != TR_PACKET)
		return e->proc;
	int d = e->dir == TR_DIR_ARRIVE ? e->peer : e->door;
	const struct tr_door *door = trace_door(v->m->t, d);
	return door ? door->proc : -1;
}

/* "server · server · pid 4243" */
static void ui_house_title(const struct ui_view *v, const struct ui_house *hs, bool ended, bool with_role, char *out,
			   size_t outlen)
{
	struct trace *t = v->m->t;
	if (hs->proc < 0) {
		snprintf(out, outlen, "%s", v->m->capture ? "processes unknown (a capture)" : "no process here");
		return;
	}
	const struct tr_proc *p = trace_proc(t, hs->proc);
	char pid[24] = "pid ...";
	if (p->pid)
		snprintf(pid, sizeof pid, "pid %d", (int)p->pid);
	const char *role = with_role ? ui_role_name((enum tr_role)ui_model_role(v->m, hs->proc)) : "";
	if (!strcmp(role, p->name))
		role = ""; /* "server · server" says it twice */
	/* the role before the pid: it is what a narrow house keeps */
	/* an ended process has no pid any more: "ended" in its place, before
	 * the role (the end of a narrow house's title is cut) */
	if (ended)
		snprintf(out, outlen, "%s \xc2\xb7 ended%s%s", p->name, role[0] ? " \xc2\xb7 " : "", role);
	else
		snprintf(out, outlen, "%s%s%s %s %s%s%s", p->name, role[0] ? " \xc2\xb7 " : "", role, "\xc2\xb7", pid,
			 p->is_exec && p->program[0] ? " \xc2\xb7 " : "", p->is_exec ? p->program : "");
}

/* The line under a house's title: what its process is doing. */
static enum ui_role ui_house_info(const struct ui_view *v, int proc, const struct ui_proc_now *pn, char *out,
				  size_t outlen, enum ui_glyph *g)
{
	struct trace *t = v->m->t;
	*g = UI_NGLYPHS;
	out[0] = '\0';
	if (pn->last < 0) {
		snprintf(out, outlen, "%s", pn->started || trace_proc(t, proc)->pid ? "ready: no call yet" : "starting");
		return UI_R_DIM;
	}
	const struct tr_event *e = trace_event(t, (size_t)pn->last);
	const struct tr_call *c = trace_call(t, e);
	bool now = pn->last == v->cursor;
	switch (e->kind) {
	case TR_WAIT:
		*g = UI_G_WAIT;
		snprintf(out, outlen, "waits in %s", c ? c->text : "a call");
		return UI_R_WAIT;
	case TR_EXIT:
		*g = UI_G_EXIT;
		snprintf(out, outlen, "ended: %s", c ? c->text : "");
		return c && c->failed ? UI_R_FAILED : UI_R_DIM;
	case TR_EXEC:
		snprintf(out, outlen, "runs %s", c ? (strncmp(c->text, "exec ", 5) ? c->text : c->text + 5) : "a program");
		return now ? UI_R_CALL_NOW : UI_R_CALL;
	default:
		if (c && c->failed) {
			*g = UI_G_FAIL;
			snprintf(out, outlen, "%s %s", c->text, c->result);
			return UI_R_FAILED;
		}
		if (now)
			*g = UI_G_POINT;
		/* the call and what it returned; the rest of the result ("from
		 * door ...") is on the door and in the caption */
		char res[256] = "";
		if (c) {
			ui_strlcpy(res, c->result, sizeof res);
			char *cut = strstr(res, ", ");
			if (cut)
				*cut = '\0';
		}
		snprintf(out, outlen, "%s %s", c ? c->text : "", res);
		return now ? UI_R_CALL_NOW : UI_R_CALL;
	}
}

static int ui_draw_host_title(struct ui_win *w, const struct ui_view *v, int h, int y, int x, int maxw)
{
	const struct tr_host *th = trace_host(v->m->t, h);
	char a4[INET_ADDRSTRLEN] = "", a6[INET6_ADDRSTRLEN] = "", t[160];
	if (th->has4)
		inet_ntop(AF_INET, th->addr4, a4, sizeof a4);
	if (th->has6)
		inet_ntop(AF_INET6, th->addr6, a6, sizeof a6);
	bool named = strcmp(th->name, a4) && strcmp(th->name, a6);
	snprintf(t, sizeof t, " %s%s%s%s%s ", named ? th->name : "", named && (a4[0] || a6[0]) ? " " : "", a4,
		 a4[0] && a6[0] ? " " : "", a6);
	if (ui_text_width(t) > maxw && a6[0]) /* the IPv6 address goes first */
		snprintf(t, sizeof t, " %s%s%s ", named ? th->name : "", named && a4[0] ? " " : "", a4[0] ? a4 : a6);
	return ui_win_put(w, y, x, UI_R_HOST_NAME, t, maxw);
}

static void ui_draw_house(struct ui_win *w, const struct ui_view *v, int h, const struct ui_geo_host *gh, int k,
			  const struct ui_slots *sl, int active, int title_used)
{
	const struct ui_model *m = v->m;
	const struct ui_house *hs = &m->hosts[h].house[k];
	const struct ui_geo_house *gs = &gh->house[k];
	struct ui_proc_now pn = { .last = -1 };
	if (hs->proc >= 0)
		ui_model_proc_at(m, hs->proc, v->cursor, &pn);
	bool is_active = hs->proc >= 0 && hs->proc == active;
	enum ui_level lv = v->geo->level;
	enum ui_role edge = is_active ? UI_R_HOUSE_ACTIVE : pn.ended ? UI_R_DIM : UI_R_HOUSE;
	if (lv == UI_LEVEL_FULL && gs->r.h >= 2)
		ui_win_box(w, gs->r, edge);
	/* title: a house, its process, pid, role; the active one is marked */
	char title[160];
	ui_house_title(v, hs, pn.ended, lv != UI_LEVEL_FULL, title, sizeof title);
	/* FULL: the role on the house's bottom edge */
	if (lv == UI_LEVEL_FULL && hs->proc >= 0 && gs->r.h >= 3) {
		enum tr_role rr = (enum tr_role)ui_model_role(m, hs->proc);
		const char *role = ui_role_name(rr);
		if (role[0]) {
			char rt[48];
			snprintf(rt, sizeof rt, " role: %s ", role);
			int rw = ui_text_width(rt);
			ui_win_put(w, gs->r.y + gs->r.h - 1, gs->r.x + gs->r.w - rw - 2,
				   rr == TR_ROLE_CLIENT ? UI_R_ROLE_CLIENT : UI_R_ROLE_SERVER, rt, rw);
		}
	}
	int tx = gs->title_x, tw = gs->title_w;
	if (lv == UI_LEVEL_MIN && gh->nhouses == 1) { /* shares the host's title line */
		tx += title_used + 1;
		tw -= title_used + 1;
	}
	int x = tx;
	if (lv == UI_LEVEL_FULL)
		x += ui_win_put(w, gs->title_y, x, edge, " ", 1);
	if (is_active)
		x += ui_win_glyph(w, gs->title_y, x, UI_R_HOUSE_ACTIVE, UI_G_POINT);
	else
		x += ui_win_glyph(w, gs->title_y, x, edge, UI_G_HOUSE);
	x += ui_win_put(w, gs->title_y, x, edge, " ", 1);
	char clipped[160];
	ui_text_clip(clipped, sizeof clipped, title, tx + tw - x - (lv == UI_LEVEL_FULL ? 1 : 0), ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
	/* the name bold, the role underlined through its role colour */
	x += ui_win_put(w, gs->title_y, x, is_active ? UI_R_HOUSE_ACTIVE : UI_R_HOUSE_NAME, clipped,
			tx + tw - x);
	if (lv == UI_LEVEL_FULL)
		ui_win_put(w, gs->title_y, x, edge, " ", 1);
	if (gs->more_doors > 0) {
		char more[32];
		snprintf(more, sizeof more, " +%d doors ", gs->more_doors);
		int mw = ui_text_width(more);
		ui_win_put(w, gs->r.y + gs->r.h - 1, gs->r.x + 1, UI_R_DIM, more, mw);
	}
	/* the call line */
	if (gs->info_y >= 0 && hs->proc >= 0) {
		char info[640];
		enum ui_glyph g;
		enum ui_role r = ui_house_info(v, hs->proc, &pn, info, sizeof info, &g);
		int ix = gs->r.x + 2, iw = gs->r.w - 4;
		if (g != UI_NGLYPHS) {
			ui_win_glyph(w, gs->info_y, ix, r, g);
			ix += 2;
			iw -= 2;
		}
		char c2[640];
		ui_text_clip(c2, sizeof c2, info, iw, ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
		ui_win_put(w, gs->info_y, ix, r, c2, iw);
	}
	/* doors */
	const struct tr_event *we = pn.waiting && pn.last >= 0 ? trace_event(m->t, (size_t)pn.last) : NULL;
	for (int s = 0; s < gs->ndoors; s++) {
		const struct ui_geo_door *gd = &gs->door[s];
		int d = sl->door[h][k][s];
		if (d < 0)
			continue;
		const struct tr_door *door = trace_door(m->t, d);
		bool closed = ui_model_door_state(m, d, v->cursor) == UI_DOOR_CLOSED;
		enum ui_role dr = closed ? UI_R_DOOR_CLOSED : door->listening ? UI_R_DOOR_WELCOME : UI_R_DOOR;
		if (closed)
			ui_win_glyph(w, gd->y, gd->x, dr, UI_G_SHUT);
		else
			ui_win_glyph(w, gd->y, gd->x, dr, gd->dir > 0 ? UI_G_DOOR_R : UI_G_DOOR_L);
		bool waiting_here = we && we->door == d;
		int lw = gd->label_w - 1 - (sl->keep[h][k][s] ? sl->keep[h][k][s] + 1 : 0);
		char wait_txt[32] = "";
		char label[160];
		if (waiting_here) {
			/* "waiting" when the full label leaves room for it, else the glyph */
			ui_door_label(v, d, lw, label, sizeof label);
			snprintf(wait_txt, sizeof wait_txt, "%s waiting", ui_glyph(ui_win_term(w), UI_G_WAIT));
			if (lw - ui_text_width(label) < ui_text_width(wait_txt) + 2)
				snprintf(wait_txt, sizeof wait_txt, "%s", ui_glyph(ui_win_term(w), UI_G_WAIT));
			lw -= ui_text_width(wait_txt) + 1;
		}
		ui_door_label(v, d, lw, label, sizeof label);
		int lwid = ui_text_width(label), ww = ui_text_width(wait_txt);
		enum ui_role lr = d == v->sel_door ? UI_R_DOOR_SEL : dr;
		if (waiting_here && !closed)
			ui_win_glyph(w, gd->y, gd->x, UI_R_WAIT, gd->dir > 0 ? UI_G_DOOR_R : UI_G_DOOR_L);
		if (gd->dir > 0) {
			int lx = gd->x - 1 - lwid;
			ui_win_put(w, gd->y, lx, lr, label, lwid);
			if (ww)
				ui_win_put(w, gd->y, lx - ww - 1, UI_R_WAIT, wait_txt, ww);
		} else {
			int lx = gd->x + 2;
			ui_win_put(w, gd->y, lx, lr, label, lwid);
			if (ww)
				ui_win_put(w, gd->y, lx + lwid + 1, UI_R_WAIT, wait_txt, ww);
		}
	}
}

static void ui_draw_hosts(struct ui_win *w, const struct ui_view *v, const struct ui_slots *sl)
{
	const struct ui_stage_geo *g = v->geo;
	int active = ui_active_proc(v);
	for (int h = 0; h < g->nhosts; h++) {
		const struct ui_geo_host *gh = &g->host[h];
		int used;
		if (g->level != UI_LEVEL_MIN) {
			ui_win_box(w, gh->r, UI_R_HOST);
			used = ui_draw_host_title(w, v, h, gh->r.y, gh->r.x + 2, gh->r.w - 4);
		} else {
			used = ui_draw_host_title(w, v, h, gh->r.y, gh->r.x, gh->r.w);
		}
		if (gh->lane_x >= 0 && g->level != UI_LEVEL_MIN) {
			const char *lo = gh->lane_x1 - gh->lane_x0 >= 14 ? " lo: loopback " : "lo";
			int lw = ui_text_width(lo);
			ui_win_put(w, gh->r.y + gh->r.h - 1, (gh->lane_x0 + gh->lane_x1 + 1 - lw) / 2, UI_R_NET, lo, lw);
		}
		for (int k = 0; k < gh->nhouses && k < v->m->hosts[h].nhouses; k++)
			ui_draw_house(w, v, h, gh, k, sl, active, used);
	}
	if (g->more_hosts > 0) {
		char more[48];
		snprintf(more, sizeof more, "+%d more hosts", g->more_hosts);
		struct ui_rect r = ui_win_rect(w);
		ui_win_put(w, r.h - 1, r.w - ui_text_width(more) - 1, UI_R_DIM, more, r.w);
	}
}

static void ui_draw_bus(struct ui_win *w, const struct ui_view *v)
{
	const struct ui_stage_geo *g = v->geo;
	if (g->bus_x < 0 || g->nhosts < 2)
		return;
	ui_win_vline(w, g->bus_y0, g->bus_x, g->bus_y1 - g->bus_y0 + 1, UI_R_NET, UI_G_DOTS_V);
	const char *name = "network";
	int nw = (int)strlen(name);
	/* on the top line, in the gap between the columns */
	int x = g->bus_x - nw / 2;
	bool clear = true;
	for (int h = 0; h < g->nhosts; h++)
		if (g->host[h].r.y <= 0 && x < g->host[h].r.x + g->host[h].r.w && x + nw > g->host[h].r.x)
			clear = false;
	if (clear)
		ui_win_put(w, 0, x, UI_R_NET, name, nw);
	/* switch mode: the faults in force, on the network's last row when no
	 * host box is there (the status line says them too, when it has room) */
	struct ui_rect r = ui_win_rect(w);
	int y = r.h - 1;
	if (!v->net || !v->net[0] || g->more_hosts > 0 || y <= g->bus_y0)
		return;
	for (int h = 0; h < g->nhosts; h++)
		if (y >= g->host[h].r.y && y < g->host[h].r.y + g->host[h].r.h)
			return;
	char text[240];
	ui_text_clip(text, sizeof text, v->net, r.w - 2, ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
	int tw = ui_text_width(text);
	x = g->bus_x - tw / 2;
	if (x < 1)
		x = 1;
	if (x + tw > r.w - 1)
		x = r.w - 1 - tw;
	ui_win_put(w, y, x, UI_R_NET, text, tw);
}

/* Route of an envelope, from its door (or host) to the other. */
static int ui_env_route(const struct ui_view *v, const struct ui_env *e, struct ui_point *pts)
{
	int ha, hb;
	/* a knock on a connection's door before accept() returns: the welcoming door's */
	long c = v->frame ? v->frame->cursor : v->cursor;
	const struct ui_geo_door *a = ui_door_geo(v, e->from >= 0 ? ui_model_door_shown(v->m, e->from, c) : -1, &ha);
	const struct ui_geo_door *b = ui_door_geo(v, e->to >= 0 ? ui_model_door_shown(v->m, e->to, c) : -1, &hb);
	if (ha < 0)
		ha = e->from_host;
	if (hb < 0)
		hb = e->to_host;
	if (ha >= v->geo->nhosts)
		ha = -1;
	if (hb >= v->geo->nhosts)
		hb = -1;
	return ui_route(v->geo, ha, a, hb, b, pts);
}

static void ui_draw_route(struct ui_win *w, const struct ui_view *v, const struct ui_env *e)
{
	struct ui_point pts[UI_ROUTE_MAX];
	int n = ui_env_route(v, e, pts);
	if (n < 4)
		return;
	/* from the sender's door to the receiver's: the wire part */
	for (int i = 2; i < n - 1; i++) {
		struct ui_point a = pts[i - 1], b = pts[i];
		if (a.y == b.y) {
			int lo = a.x < b.x ? a.x : b.x, hi = a.x < b.x ? b.x : a.x;
			ui_win_hline(w, a.y, lo, hi - lo + 1, UI_R_ROUTE, UI_G_DOTS_H);
		} else {
			int lo = a.y < b.y ? a.y : b.y, hi = a.y < b.y ? b.y : a.y;
			ui_win_vline(w, lo, a.x, hi - lo + 1, UI_R_ROUTE, UI_G_DOTS_V);
		}
	}
	/* an arrowhead where it goes in */
	struct ui_point end = pts[n - 2], before = pts[n - 3];
	enum ui_glyph head = end.x > before.x ? UI_G_ARROW_R : end.x < before.x ? UI_G_ARROW_L :
			     end.y > before.y ? UI_G_ARROW_D : UI_G_ARROW_U;
	ui_win_glyph(w, end.y, end.x, UI_R_ROUTE, head);
}

/* Cells already taken by envelope labels, so that two do not overwrite
 * each other. */
#define UI_MAX_SPANS 64
struct ui_spans {
	int n;
	struct {
		int y, x0, x1;
	} s[UI_MAX_SPANS];
};

static bool ui_spans_free(const struct ui_spans *sp, int y, int x0, int x1)
{
	for (int i = 0; i < sp->n; i++)
		if (sp->s[i].y == y && x0 <= sp->s[i].x1 && x1 >= sp->s[i].x0)
			return false;
	return true;
}

/* Cells x0..x1 of row y fall on a host's box (moved off its route, an
 * envelope must not land on a wall or another door's row). */
static bool ui_over_host(const struct ui_stage_geo *g, int y, int x0, int x1)
{
	for (int h = 0; h < g->nhosts; h++) {
		struct ui_rect r = g->host[h].r;
		if (y >= r.y && y < r.y + r.h && x0 < r.x + r.w && x1 >= r.x)
			return true;
	}
	return false;
}

/* Where an envelope is drawn: its row, first column, text and colour. */
struct ui_env_spot {
	int y, x, w;
	char text[128];
	enum ui_role role;
};

static bool ui_env_place(struct ui_win *w, const struct ui_view *v, const struct ui_env *e, const struct ui_slots *sl,
			 struct ui_spans *sp, struct ui_env_spot *out)
{
	struct ui_term *tm = ui_win_term(w);
	char text[96];
	ui_env_text(e, text, sizeof text);
	/* inside a house: in the room kept at the inner end of its door's
	 * label, on the door's row, never over the label or the house's walls */
	int dh, dk, ds;
	if (UI_ENV_INSIDE(e->pos) && ui_door_place(v, ui_env_inside_door(v, e), &dh, &dk, &ds) &&
	    sl->keep[dh][dk][ds] > 0) {
		const struct ui_geo_door *gd = &v->geo->host[dh].house[dk].door[ds];
		int keep = sl->keep[dh][dk][ds];
		int x0 = gd->dir > 0 ? gd->label_x : gd->label_x + gd->label_w - keep;
		char clipped[96], full[128];
		ui_text_clip(clipped, sizeof clipped, text, keep - 2, ui_glyph(tm, UI_G_ELLIPSIS));
		snprintf(full, sizeof full, "%s%s%s", ui_glyph(tm, UI_G_ENVELOPE), keep > 2 ? " " : "", keep > 2 ? clipped : "");
		int fw = ui_text_width(full);
		if (gd->dir > 0)
			x0 += keep - fw; /* next to the label, towards the door */
		out->role = e->kind == UI_ENV_DATA ? (e->now ? UI_R_ENVELOPE_NOW : UI_R_ENVELOPE) :
			    e->kind == UI_ENV_ERROR ? UI_R_ERROR : UI_R_ENVELOPE_CTL;
		out->y = gd->y, out->x = x0, out->w = fw;
		ui_strlcpy(out->text, full, sizeof out->text);
		return true;
	}
	struct ui_point pts[UI_ROUTE_MAX];
	int n = ui_env_route(v, e, pts);
	if (n < 4)
		return false;
	/* half-way in or out of the house it waits at the door */
	double pos = e->pos < 1 && e->pos > 0.5 ? 1 : e->pos > 3 && e->pos < 3.5 ? 3 : e->pos;
	struct ui_point p = ui_route_station(pts, n, pos);
	/* where its label goes: into the house inside it; outside, it slides
	 * from reading away from the sender's door to reading towards the
	 * receiver's, so that it never jumps on the way */
	struct ui_point a = pts[1], b = pts[n - 2];
	int adir = a.x >= pts[0].x ? 1 : -1, bdir = b.x >= pts[n - 1].x ? 1 : -1;
	double lead; /* 0: the label starts at the point, 1: it ends there */
	if (pos < UI_AT_DOOR_FROM)
		lead = adir > 0 ? 1 : 0;
	else if (pos > UI_AT_DOOR_TO)
		lead = bdir > 0 ? 1 : 0;
	else if (b.x > a.x)
		lead = (pos - UI_AT_DOOR_FROM) / 2;
	else if (b.x < a.x)
		lead = 1 - (pos - UI_AT_DOOR_FROM) / 2;
	else
		lead = adir > 0 ? 0 : 1;
	/* on the wire the label keeps to the gap between the hosts */
	const struct ui_stage_geo *g = v->geo;
	int gapw = g->gap_x1 - g->gap_x0 + 1;
	bool in_gap = p.x >= g->gap_x0 && p.x <= g->gap_x1 && g->nhosts > 1;
	/* in a host's loopback lane: the lane is its corridor */
	int cx0 = g->gap_x0, cx1 = g->gap_x1;
	for (int h = 0; h < g->nhosts; h++) {
		const struct ui_geo_host *gh = &g->host[h];
		if (gh->lane_x0 >= 0 && p.x >= gh->lane_x0 && p.x <= gh->lane_x1 && p.y > gh->r.y &&
		    p.y < gh->r.y + gh->r.h - 1 && gh->lane_x1 - gh->lane_x0 >= 8) {
			in_gap = true;
			cx0 = gh->lane_x0;
			cx1 = gh->lane_x1;
			gapw = cx1 - cx0 + 1;
		}
	}
	int maxw = in_gap && gapw >= 8 ? gapw - 2 : 28;
	if (maxw > 28)
		maxw = 28;
	char clipped[96];
	ui_text_clip(clipped, sizeof clipped, text, maxw, ui_glyph(tm, UI_G_ELLIPSIS));
	char full[128];
	snprintf(full, sizeof full, "%s %s", ui_glyph(tm, e->lost ? UI_G_FAIL : UI_G_ENVELOPE), clipped);
	int fw = ui_text_width(full);
	int x = p.x - (int)(lead * (fw - 1) + 0.5);
	if (in_gap && gapw >= fw) {
		if (x < cx0)
			x = cx0;
		if (x + fw - 1 > cx1)
			x = cx1 - fw + 1;
	}
	struct ui_rect r = ui_win_rect(w);
	if (x + fw > r.w)
		x = r.w - fw;
	if (x < 0)
		x = 0;
	/* another label there already: one line up or down */
	int y = p.y;
	static const int dy[] = { 0, 1, -1, 2, -2 };
	for (size_t i = 0; i < sizeof dy / sizeof dy[0]; i++) {
		int yy = p.y + dy[i];
		if (yy >= 0 && yy < r.h && ui_spans_free(sp, yy, x, x + fw - 1) &&
		    (dy[i] == 0 || !ui_over_host(g, yy, x, x + fw - 1))) {
			y = yy;
			break;
		}
	}
	if (sp->n < UI_MAX_SPANS) {
		sp->s[sp->n].y = y;
		sp->s[sp->n].x0 = x;
		sp->s[sp->n].x1 = x + fw - 1;
		sp->n++;
	}
	out->role = e->kind == UI_ENV_DATA ? UI_R_ENVELOPE : e->kind == UI_ENV_ERROR ? UI_R_ERROR : UI_R_ENVELOPE_CTL;
	if (e->now && e->kind == UI_ENV_DATA)
		out->role = UI_R_ENVELOPE_NOW;
	out->y = y, out->x = x, out->w = fw;
	ui_strlcpy(out->text, full, sizeof out->text);
	return true;
}

/* Every visible envelope of the frame, in drawing order (waiting ones
 * first: they keep their place; moving ones after); each calls fn with
 * its spot until fn returns true. Returns that envelope's index, -1. */
static int ui_stage_envelopes(struct ui_win *w, const struct ui_view *v, const struct ui_slots *sl,
			      bool (*fn)(struct ui_win *, const struct ui_env_spot *, void *), void *arg)
{
	const struct ui_scene *f = v->frame;
	struct ui_spans sp = { 0 };
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; f && i < f->n; i++) {
			const struct ui_env *e = &f->v[i];
			bool parked = e->pos == UI_AT_DOOR_FROM || e->pos == UI_AT_DOOR_TO;
			struct ui_env_spot spot;
			if (e->visible && parked == (pass == 0) && ui_env_place(w, v, e, sl, &sp, &spot) && fn(w, &spot, arg))
				return i;
		}
	return -1;
}

static bool ui_env_draw(struct ui_win *w, const struct ui_env_spot *spot, void *arg)
{
	(void)arg;
	ui_win_put(w, spot->y, spot->x, spot->role, spot->text, spot->w);
	return false;
}

struct ui_env_hit {
	int y, x;
};

static bool ui_env_hit(struct ui_win *w, const struct ui_env_spot *spot, void *arg)
{
	const struct ui_env_hit *h = arg;
	(void)w;
	return h->y == spot->y && h->x >= spot->x && h->x < spot->x + spot->w;
}

int ui_stage_env_at(struct ui_win *w, const struct ui_view *v, int y, int x)
{
	if (!v->frame || v->geo->nhosts == 0)
		return -1;
	struct ui_slots sl;
	ui_stage_slots(v, &sl);
	ui_stage_keep(v, w, &sl);
	struct ui_env_hit h = { y, x };
	return ui_stage_envelopes(w, v, &sl, ui_env_hit, &h);
}

static void ui_stage_legend(struct ui_win *w, const struct ui_view *v)
{
	struct ui_term *tm = ui_win_term(w);
	struct ui_rect r = ui_win_rect(w);
	const struct ui_stage_geo *g = v->geo;
	char longer[160], shorter[96];
	snprintf(longer, sizeof longer, "%s house = a process   %s door = a socket   %s envelope = a message",
		 ui_glyph(tm, UI_G_HOUSE), ui_glyph(tm, UI_G_DOOR_R), ui_glyph(tm, UI_G_ENVELOPE));
	snprintf(shorter, sizeof shorter, "%s process  %s socket  %s message", ui_glyph(tm, UI_G_HOUSE),
		 ui_glyph(tm, UI_G_DOOR_R), ui_glyph(tm, UI_G_ENVELOPE));
	const char *texts[] = { longer, shorter };
	for (int y = r.h - 1; y >= 1; y--)
		for (size_t i = 0; i < 2; i++) {
			int tw = ui_text_width(texts[i]);
			if (tw + 2 > r.w)
				continue;
			int x = (r.w - tw) / 2;
			if (ui_over_host(g, y, x - 1, x + tw))
				continue;
			ui_win_put(w, y, x - 1, UI_R_NORMAL, " ", 1);
			ui_win_put(w, y, x, UI_R_DIM, texts[i], tw);
			ui_win_put(w, y, x + tw, UI_R_NORMAL, " ", 1);
			return;
		}
}

void ui_stage_draw(struct ui_win *w, const struct ui_view *v)
{
	if (!ui_win_visible(w))
		return;
	ui_win_clear(w, UI_R_NORMAL);
	struct ui_rect r = ui_win_rect(w);
	if (v->geo->nhosts == 0) {
		const char *t = v->live ? "starting the lab..." : "no hosts in this trace";
		ui_win_put(w, r.h / 2, (r.w - ui_text_width(t)) / 2, UI_R_DIM, t, r.w);
		ui_win_show(w);
		return;
	}
	struct ui_slots sl;
	ui_stage_slots(v, &sl);
	ui_stage_keep(v, w, &sl);
	ui_draw_bus(w, v);
	ui_draw_hosts(w, v, &sl);
	/* the legend on the stage itself, under what moves: before the first
	 * step, and always on a tall stage, on the lowest row no host is on */
	if (v->cursor < 0 || r.h >= 20)
		ui_stage_legend(w, v);
	const struct ui_scene *f = v->frame;
	/* routes under the envelopes: every envelope on the wire */
	for (int i = 0; f && i < f->n; i++) {
		const struct ui_env *e = &f->v[i];
		if (e->visible && !e->is_msg && !e->lost && e->pos > UI_AT_DOOR_FROM && e->pos < UI_AT_DOOR_TO + 0.001)
			ui_draw_route(w, v, e);
	}
	ui_stage_envelopes(w, v, &sl, ui_env_draw, NULL);
	ui_win_show(w);
}

int ui_stage_door_at(const struct ui_view *v, int y, int x)
{
	const struct ui_model *m = v->m;
	struct ui_slots sl;
	ui_stage_slots(v, &sl);
	for (int h = 0; h < v->geo->nhosts; h++) {
		const struct ui_geo_host *gh = &v->geo->host[h];
		for (int k = 0; k < gh->nhouses && k < m->hosts[h].nhouses; k++) {
			const struct ui_geo_house *gs = &gh->house[k];
			for (int s = 0; s < gs->ndoors; s++) {
				const struct ui_geo_door *gd = &gs->door[s];
				if (gd->y != y || sl.door[h][k][s] < 0)
					continue;
				int lo = gd->dir > 0 ? gd->label_x : gd->x, hi = gd->dir > 0 ? gd->x : gd->label_x + gd->label_w;
				if (x >= lo && x <= hi)
					return sl.door[h][k][s];
			}
		}
	}
	return -1;
}
