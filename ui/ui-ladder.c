/* The ladder: a sequence diagram, one column per door, one row per step
 * (a packet's departure and arrival share a row: its arrow). Only the rows
 * in view are drawn, so a trace of a million packets costs no more. */
#include "ui-view.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "trace.h"
#include "ui-term.h"
#include "ui-text.h"

#define UI_LADDER_MAXCOLS 256

/* The ladder's columns. A lesson's are the stage's door slots, in the
 * stage's order from left to right (the hosts of its left column, then of
 * its right, each top to bottom), all of them for the whole lesson, so an
 * envelope that moves right on the stage is an arrow that points right and
 * no column moves or goes away. A capture's are its doors open at some row
 * in view (there may be thousands). */
struct ui_lcols {
	int n;
	bool slots;                /* columns are slots (a lesson) */
	int host[UI_LADDER_MAXCOLS], house[UI_LADDER_MAXCOLS], slot[UI_LADDER_MAXCOLS];
	int door[UI_LADDER_MAXCOLS]; /* a column of one door (captures, doors without a slot), else -1 */
};

/* Rows shown: all of them, or up to the cursor's. */
static long ui_ladder_nrows(const struct ui_view *v)
{
	if (v->show_later)
		return (long)v->pace->nrows;
	long r = ui_pace_row_of(v->pace, v->m, v->cursor);
	return r + 1;
}

static int ui_ladder_header_rows(int h)
{
	return h >= 10 ? 2 : 1;
}

/* Hosts in the stage's order: left column first, each top to bottom. */
static int ui_ladder_host_order(const struct ui_view *v, int *order)
{
	const struct ui_model *m = v->m;
	int n = 0;
	for (int side = 0; side < 2; side++)
		for (int h = 0; h < m->nhosts && h < v->geo->nhosts; h++)
			if (v->geo->host[h].side == side)
				order[n++] = h;
	/* by their rows within a side */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			const struct ui_geo_host *a = &v->geo->host[order[j - 1]], *b = &v->geo->host[order[j]];
			if (a->side != b->side || a->r.y <= b->r.y)
				break;
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (int h = v->geo->nhosts; h < m->nhosts && n < UI_LADDER_MAXCOLS; h++) /* not drawn: at the end */
		order[n++] = h;
	return n;
}

static void ui_ladder_cols(const struct ui_view *v, int h, struct ui_lcols *c)
{
	const struct ui_model *m = v->m;
	c->n = 0;
	c->slots = !m->capture;
	if (c->slots) {
		int order[UI_LADDER_MAXCOLS];
		int nh = ui_ladder_host_order(v, order);
		for (int i = 0; i < nh; i++) {
			const struct ui_mhost *mh = &m->hosts[order[i]];
			for (int k = 0; k < mh->nhouses; k++)
				for (int sl = 0; sl < mh->house[k].nslots && c->n < UI_LADDER_MAXCOLS; sl++) {
					c->host[c->n] = order[i];
					c->house[c->n] = k;
					c->slot[c->n] = sl;
					c->door[c->n++] = -1;
				}
		}
		/* doors without a slot: a column each, after the others */
		for (int d = 0; d < m->ndoors && c->n < UI_LADDER_MAXCOLS; d++)
			if (m->door_house[d] < 0 || m->door_slot[d] < 0) {
				c->host[c->n] = c->house[c->n] = c->slot[c->n] = -1;
				c->door[c->n++] = d;
			}
		return;
	}
	long nrows = ui_ladder_nrows(v);
	int body = h - 1 - ui_ladder_header_rows(h);
	long r0 = v->ladder_top, r1 = v->ladder_top + (body > 0 ? body : 1) - 1;
	if (r1 >= nrows)
		r1 = nrows - 1;
	long lo = r0 >= 0 && r0 < nrows ? (long)v->pace->rows[r0] : -1;
	long hi = r1 >= 0 ? (long)v->pace->rows[r1] : -1;
	/* an arrival shares its departure's row: the row's doors reach that far */
	if (v->cursor > hi && r1 == ui_pace_row_of(v->pace, m, v->cursor))
		hi = v->cursor;
	for (int k = 0; k < m->ncols && c->n < UI_LADDER_MAXCOLS; k++) {
		int d = m->door_of_col[k];
		const struct tr_door *door = trace_door(m->t, d);
		if (door->first_ev >= 0 && door->first_ev > hi)
			continue;
		if (door->last_ev >= 0 && door->last_ev < lo)
			continue;
		c->host[c->n] = c->house[c->n] = c->slot[c->n] = -1;
		c->door[c->n++] = d;
	}
}

static bool ui_lcol_has(const struct ui_model *m, const struct ui_lcols *c, int i, int d)
{
	if (c->door[i] >= 0)
		return c->door[i] == d;
	return m->door_host[d] == c->host[i] && m->door_house[d] == c->house[i] && m->door_slot[d] == c->slot[i];
}

static int ui_lcol_of(const struct ui_model *m, const struct ui_lcols *c, int d)
{
	if (d < 0 || d >= m->ndoors)
		return -1;
	for (int i = 0; i < c->n; i++)
		if (ui_lcol_has(m, c, i, d))
			return i;
	return -1;
}

static bool ui_door_alive(const struct ui_model *m, int d, long ev)
{
	const struct tr_door *door = trace_door(m->t, d);
	return (door->first_ev < 0 || ev >= door->first_ev) && (door->last_ev < 0 || ev <= door->last_ev);
}

/* A door of column i is open at event ev. */
static bool ui_lcol_alive(const struct ui_model *m, const struct ui_lcols *c, int i, long ev)
{
	if (c->door[i] >= 0)
		return ui_door_alive(m, c->door[i], ev);
	for (int d = 0; d < m->ndoors; d++)
		if (ui_lcol_has(m, c, i, d) && ui_door_alive(m, d, ev))
			return true;
	return false;
}

/* The door of column i at event ev: the one open then, else the latest
 * opened before, else the first one; -1 when the slot never has one. */
static int ui_lcol_door(const struct ui_model *m, const struct ui_lcols *c, int i, long ev)
{
	if (c->door[i] >= 0)
		return c->door[i];
	int best = -1, first = -1;
	for (int d = 0; d < m->ndoors; d++) {
		if (!ui_lcol_has(m, c, i, d))
			continue;
		if (first < 0)
			first = d;
		const struct tr_door *door = trace_door(m->t, d);
		if (ui_door_alive(m, d, ev))
			return d;
		if (door->first_ev >= 0 && door->first_ev <= ev)
			best = d;
	}
	return best >= 0 ? best : first;
}

long ui_ladder_scroll(const struct ui_view *v, int h, long top, long keep)
{
	int body = h - 1 - ui_ladder_header_rows(h);
	if (body < 1)
		body = 1;
	long n = ui_ladder_nrows(v);
	if (keep >= 0) {
		if (keep < top + 1)
			top = keep - 1;
		if (keep >= top + body - 1)
			top = keep - body + 2;
	}
	if (top > n - body)
		top = n - body;
	if (top < 0)
		top = 0;
	return top;
}

long ui_ladder_event_at(const struct ui_view *v, int h, int y)
{
	int hdr = 1 + ui_ladder_header_rows(h);
	if (y < hdr)
		return -1;
	long row = v->ladder_top + (y - hdr);
	if (row < 0 || row >= ui_ladder_nrows(v))
		return -1;
	return (long)v->pace->rows[row];
}

/* Columns kept in view: the selected event's doors. */
static void ui_ladder_want(const struct ui_view *v, const struct ui_lcols *c, int *a, int *b)
{
	long sel = ui_view_detail_ev(v);
	const struct tr_event *e = sel >= 0 ? trace_event(v->m->t, (size_t)sel) : NULL;
	*a = *b = -1;
	if (!e)
		return;
	if (e->door >= 0)
		*a = ui_lcol_of(v->m, c, ui_model_door_shown(v->m, e->door, sel));
	if (e->peer >= 0)
		*b = ui_lcol_of(v->m, c, ui_model_door_shown(v->m, e->peer, sel));
	if (*a < 0)
		*a = *b;
	if (*b < 0)
		*b = *a;
}

int ui_ladder_door_at(const struct ui_view *v, int h, int w, int x)
{
	struct ui_lcols c;
	ui_ladder_cols(v, h, &c);
	int wa, wb;
	ui_ladder_want(v, &c, &wa, &wb);
	struct ui_ladder_geo g;
	ui_ladder_layout(w, c.n, wa, wb, &g);
	for (int k = g.first; k < g.first + g.ncols && k < c.n; k++) {
		int cx = ui_ladder_col_x(&g, k);
		if (x >= cx - 1 && x < cx - 1 + g.col_w)
			return ui_lcol_door(v->m, &c, k, v->cursor);
	}
	return -1;
}

void ui_pane_rule(struct ui_win *w, int y, const char *name, const char *extra, bool focus)
{
	struct ui_rect r = ui_win_rect(w);
	struct ui_term *tm = ui_win_term(w);
	enum ui_role role = focus ? UI_R_PANE_FOCUS : UI_R_PANE;
	ui_win_hline(w, y, 0, r.w, role, focus ? UI_G_HEAVY_H : UI_G_HLINE);
	char t[160];
	snprintf(t, sizeof t, focus ? " %s %s " : " %s ", focus ? ui_glyph(tm, UI_G_POINT) : name, name);
	int x = 2 + ui_win_put(w, y, 2, role, t, r.w - 4);
	if (extra && extra[0]) {
		char e[200];
		snprintf(e, sizeof e, " %s ", extra);
		int ew = ui_text_width(e);
		if (x + ew < r.w - 1)
			ui_win_put(w, y, r.w - ew - 2, UI_R_DIM, e, ew);
	}
}

/* A column's name in w cells: "process door", the process's name cut
 * before the door's, or the door's name alone. */
static void ui_lcol_name(struct ui_win *w, const char *proc, const char *door, int width, char *out, size_t outlen)
{
	const char *ell = ui_glyph(ui_win_term(w), UI_G_ELLIPSIS);
	char full[160];
	snprintf(full, sizeof full, "%s%s%s", proc, door[0] ? " " : "", door);
	int dw = ui_text_width(door);
	if (ui_text_width(full) <= width || !door[0] || width - dw - 1 < 2) {
		ui_text_clip(out, outlen, ui_text_width(full) <= width || !door[0] ? full : door, width, ell);
		return;
	}
	char p[80];
	ui_text_clip(p, sizeof p, proc, width - dw - 1, ell);
	snprintf(full, sizeof full, "%s %s", p, door);
	ui_text_clip(out, outlen, full, width, ell);
}

static void ui_ladder_header(struct ui_win *w, const struct ui_view *v, const struct ui_lcols *c,
			     const struct ui_ladder_geo *g, int hdr)
{
	struct trace *t = v->m->t;
	/* milliseconds of lab time since the row before */
	ui_win_put(w, 1, 0, UI_R_DIM, "     +ms", g->time_w);
	for (int k = g->first; k < g->first + g->ncols && k < c->n; k++) {
		int d = ui_lcol_door(v->m, c, k, v->cursor);
		const struct tr_door *door = d >= 0 ? trace_door(t, d) : NULL;
		int x = ui_ladder_col_x(g, k) - 1;
		char lab[80], clip[80];
		const char *who = "?", *name = door ? door->name : "";
		if (door) {
			const struct tr_proc *p = trace_proc(t, door->proc);
			const struct tr_host *hst = trace_host(t, door->host);
			who = p ? p->name : hst ? hst->name : "?";
		} else if (c->host[k] >= 0) {
			/* a slot whose door is not open yet: the lesson's socket name */
			int pr = v->m->hosts[c->host[k]].house[c->house[k]].proc;
			const struct tr_proc *p = trace_proc(t, pr);
			who = p ? p->name : "";
			name = ui_model_slot_name(v->m, pr, c->slot[k]);
		}
		enum ui_role r = d >= 0 && d == v->sel_door ? UI_R_DOOR_SEL : UI_R_LADDER_HEAD;
		ui_lcol_name(w, who, name, g->col_w - 1, clip, sizeof clip);
		ui_win_put(w, 1, x, r, clip, g->col_w - 1);
		if (hdr >= 2 && door) {
			trace_door_label(t, d, lab, sizeof lab);
			if (door->listening)
				snprintf(lab + strlen(lab), sizeof lab - strlen(lab), " listen");
			ui_text_clip(clip, sizeof clip, lab, g->col_w - 1, ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
			ui_win_put(w, 2, x, d == v->sel_door ? UI_R_DOOR_SEL : UI_R_DIM, clip, g->col_w - 1);
		}
	}
	if (g->first > 0)
		ui_win_glyph(w, 1, g->time_w, UI_R_DIM, UI_G_ARROW_L);
	if (g->first + g->ncols < c->n)
		ui_win_glyph(w, 1, g->text_x - 1, UI_R_DIM, UI_G_ARROW_R);
}

/* Lab time from the row before to this one, in ns: a call released by a
 * step counts from its start, so the time the run was held (a teacher
 * talking between two steps) is not in it. */
static uint64_t ui_ladder_delta(const struct ui_view *v, long row)
{
	struct trace *t = v->m->t;
	if (row <= 0)
		return 0;
	const struct tr_event *e = trace_event(t, v->pace->rows[row]), *p = trace_event(t, v->pace->rows[row - 1]);
	uint64_t from = p->t_ns;
	const struct tr_call *c = e->kind == TR_CALL || e->kind == TR_WAIT ? trace_call(t, e) : NULL;
	if (c && c->m.t_begin_ns > from && c->m.t_begin_ns <= e->t_ns)
		from = c->m.t_begin_ns;
	return e->t_ns > from ? e->t_ns - from : 0;
}

static void ui_ladder_row(struct ui_win *w, const struct ui_view *v, const struct ui_lcols *c,
			  const struct ui_ladder_geo *g, int y, long row)
{
	long ev = (long)v->pace->rows[row];
	struct trace *t = v->m->t;
	struct ui_term *tm = ui_win_term(w);
	const struct tr_event *e = trace_event(t, (size_t)ev);
	struct ui_rect r = ui_win_rect(w);
	long cur_row_ev = -1;
	long cr = ui_pace_row_of(v->pace, v->m, v->cursor);
	if (cr >= 0 && cr < (long)v->pace->nrows)
		cur_row_ev = (long)v->pace->rows[cr];
	bool is_now = ev == cur_row_ev;
	bool later = ev > v->cursor && !is_now;
	long sel = v->sel;
	bool is_sel = sel >= 0 && (ev == sel || ui_pace_row_of(v->pace, v->m, sel) == ui_pace_row_of(v->pace, v->m, ev));
	enum ui_role base = later ? UI_R_LADDER_LATER : UI_R_NORMAL;
	{
		char tbuf[32];
		double ms = (double)ui_ladder_delta(v, row) / 1e6;
		if (ms < 1000)
			snprintf(tbuf, sizeof tbuf, " %*.3f", g->time_w - 2, ms);
		else
			snprintf(tbuf, sizeof tbuf, " %*.1fs", g->time_w - 3, ms / 1000);
		ui_win_put(w, y, 0, later ? UI_R_LADDER_LATER : UI_R_DIM, tbuf, g->time_w - 1);
	}
	/* the doors' lines */
	for (int k = g->first; k < g->first + g->ncols && k < c->n; k++)
		if (ui_lcol_alive(v->m, c, k, ev))
			ui_win_glyph(w, y, ui_ladder_col_x(g, k), later ? UI_R_LADDER_LATER : UI_R_LADDER_LINE,
				     UI_G_VLINE);
	char text[512] = "";
	if (e->kind == TR_PACKET) {
		char label[64];
		ui_model_packet_label(v->m, ev, label, sizeof label);
		/* what became of it: the trace's marks */
		bool lost = e->mark & TR_MARK_LOST;
		if (e->mark & (TR_MARK_RESENT | TR_MARK_DUP))
			snprintf(label + strlen(label), sizeof label - strlen(label), "%s",
				 e->mark & TR_MARK_DUP ? " again: duplicated" : " sent again");
		struct dec_pkt d;
		trace_packet_decode(t, e, &d);
		bool data = d.payload_wirelen > 0 && (d.is_tcp || d.is_udp);
		enum ui_role ar = later ? UI_R_LADDER_LATER : data ? UI_R_ARROW_DATA : d.is_icmp || (d.is_tcp && (d.tcp_flags & DEC_TCP_RST)) ? UI_R_FAILED : UI_R_ARROW;
		/* a knock before accept() returns goes to the welcoming door */
		int a = e->door >= 0 ? ui_lcol_of(v->m, c, ui_model_door_shown(v->m, e->door, ev)) : -1;
		int b = e->peer >= 0 ? ui_lcol_of(v->m, c, ui_model_door_shown(v->m, e->peer, ev)) : -1;
		int xa = a >= 0 ? ui_ladder_col_x(g, a) : -1, xb = b >= 0 ? ui_ladder_col_x(g, b) : -1;
		if (a >= 0 && b >= 0 && xa >= 0 && xb >= 0 && xa != xb) {
			int lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
			ui_win_hline(w, y, lo + 1, hi - lo - 1, ar, UI_G_HLINE);
			ui_win_glyph(w, y, xb < xa ? lo + 1 : hi - 1, ar, xb < xa ? UI_G_ARROW_L : UI_G_ARROW_R);
			int room = hi - lo - 5;
			int lw = ui_text_width(label);
			if (lost) {
				/* it left and never arrived: the arrow stops midway at ✗ */
				int mid = (lo + hi) / 2;
				if (xb > xa)
					ui_win_fill(w, (struct ui_rect){ y, mid + 1, 1, hi - mid - 1 }, base);
				else
					ui_win_fill(w, (struct ui_rect){ y, lo + 1, 1, mid - lo - 1 }, base);
				ui_win_glyph(w, y, mid, later ? UI_R_LADDER_LATER : UI_R_FAILED, UI_G_FAIL);
				snprintf(label + strlen(label), sizeof label - strlen(label), " lost on the way");
			} else if (lw <= room) {
				ui_win_put(w, y, lo + 2 + (room - lw) / 2 + 1, ar, label, lw);
				label[0] = '\0';
			}
		} else if (xa >= 0 || xb >= 0) {
			int x = xa >= 0 ? xa : xb;
			ui_win_glyph(w, y, x, ar, xa >= 0 ? UI_G_ARROW_R : UI_G_ARROW_L);
		}
		if (label[0])
			snprintf(text, sizeof text, "%s", label);
		if (is_now && v->cursor != ev) {
			const struct tr_event *ce = trace_event(t, (size_t)v->cursor);
			if (ce && ce->kind == TR_PACKET && ce->dir == TR_DIR_ARRIVE)
				snprintf(text + strlen(text), sizeof text - strlen(text), "%sarrives", text[0] ? ", " : "");
		}
		if (!text[0] && (a < 0 || b < 0)) /* no arrow to read it from */
			trace_event_text(t, (size_t)ev, text, sizeof text);
	} else {
		const struct tr_call *call = trace_call(t, e);
		int x = e->door >= 0 ? ui_lcol_of(v->m, c, e->door) : -1;
		x = x >= 0 ? ui_ladder_col_x(g, x) : -1;
		if (x >= 0 && (e->kind == TR_CALL || e->kind == TR_WAIT) && !(call && call->caption)) {
			enum ui_glyph gl = e->kind == TR_WAIT ? UI_G_WAIT : call && call->failed ? UI_G_FAIL : UI_G_CALL;
			ui_win_glyph(w, y, x, later ? UI_R_LADDER_LATER : call && call->failed ? UI_R_FAILED :
					       e->kind == TR_WAIT ? UI_R_WAIT : UI_R_CALL_NOW, gl);
		}
		/* accept: the new door starts here */
		if (e->kind == TR_CALL && e->peer >= 0) {
			int nx = ui_lcol_of(v->m, c, e->peer);
			nx = nx >= 0 ? ui_ladder_col_x(g, nx) : -1;
			if (nx >= 0)
				ui_win_glyph(w, y, nx, later ? UI_R_LADDER_LATER : UI_R_DOOR, UI_G_CALL);
		}
		trace_event_text(t, (size_t)ev, text, sizeof text);
	}
	if (text[0] && g->text_w > 2) {
		char clip[512];
		ui_text_clip(clip, sizeof clip, text, g->text_w - 1, ui_glyph(tm, UI_G_ELLIPSIS));
		enum ui_role tr = base;
		if (e->kind != TR_PACKET) {
			const struct tr_call *call = trace_call(t, e);
			if (call && call->caption)
				tr = later ? UI_R_LADDER_LATER : UI_R_SAY;
			else if (call && call->failed)
				tr = UI_R_FAILED;
		}
		ui_win_put(w, y, g->text_x + 1, tr, clip, g->text_w - 1);
	}
	if (is_now) {
		ui_win_recolor(w, y, 0, r.w, UI_R_LADDER_NOW);
		ui_win_glyph(w, y, 0, UI_R_LADDER_NOW, UI_G_PLAY);
	} else if (is_sel) {
		ui_win_recolor(w, y, 0, r.w, UI_R_LADDER_SEL);
		ui_win_glyph(w, y, 0, UI_R_LADDER_SEL, UI_G_POINT);
	}
}

void ui_ladder_draw(struct ui_win *w, const struct ui_view *v)
{
	if (!ui_win_visible(w))
		return;
	ui_win_clear(w, UI_R_NORMAL);
	struct ui_rect r = ui_win_rect(w);
	struct ui_lcols c;
	ui_ladder_cols(v, r.h, &c);
	long n = ui_ladder_nrows(v);
	char extra[96];
	snprintf(extra, sizeof extra, "%ld of %zu rows%s", n, v->pace->nrows, v->show_later ? "" : " (f: all)");
	ui_pane_rule(w, 0, "ladder", extra, v->focus == UI_PANE_LADDER);
	int wa, wb;
	ui_ladder_want(v, &c, &wa, &wb);
	struct ui_ladder_geo g;
	ui_ladder_layout(r.w, c.n, wa, wb, &g);
	int hdr = ui_ladder_header_rows(r.h);
	ui_ladder_header(w, v, &c, &g, hdr);
	int y = 1 + hdr;
	for (long row = v->ladder_top; row < n && y < r.h; row++, y++)
		ui_ladder_row(w, v, &c, &g, y, row);
	if (n == 0)
		ui_win_put(w, 1 + hdr, 2, UI_R_DIM,
			   v->live ? "nothing yet: press Space to release the first socket call" : "no steps", r.w - 4);
	ui_win_show(w);
}
