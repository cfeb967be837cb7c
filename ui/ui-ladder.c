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

struct ui_lcols {
	int n;                     /* visible columns */
	int door[UI_LADDER_MAXCOLS];
	int col_of_door_max;
};

/* Rows shown: all of them, or up to the cursor's. */
static long ui_ladder_nrows(const struct ui_view *v)
{
	if (v->show_later)
		return (long)v->m->nrows;
	long r = ui_model_row_of(v->m, v->cursor);
	return r + 1;
}

static int ui_ladder_header_rows(int h)
{
	return h >= 10 ? 2 : 1;
}

/* Door columns shown: the doors open at some row in view. */
static void ui_ladder_cols(const struct ui_view *v, int h, struct ui_lcols *c)
{
	const struct ui_model *m = v->m;
	long nrows = ui_ladder_nrows(v);
	int body = h - 1 - ui_ladder_header_rows(h);
	long r0 = v->ladder_top, r1 = v->ladder_top + (body > 0 ? body : 1) - 1;
	if (r1 >= nrows)
		r1 = nrows - 1;
	long lo = r0 >= 0 && r0 < nrows ? (long)m->rows[r0] : -1;
	long hi = r1 >= 0 ? (long)m->rows[r1] : -1;
	/* an arrival shares its departure's row: the row's doors reach that far */
	if (v->cursor > hi && r1 == ui_model_row_of(m, v->cursor))
		hi = v->cursor;
	c->n = 0;
	for (int k = 0; k < m->ncols && c->n < UI_LADDER_MAXCOLS; k++) {
		int d = m->door_of_col[k];
		const struct tr_door *door = trace_door(m->t, d);
		if (door->first_ev >= 0 && door->first_ev > hi)
			continue;
		if (door->last_ev >= 0 && door->last_ev < lo)
			continue;
		c->door[c->n++] = d;
	}
}

static int ui_lcol_of(const struct ui_lcols *c, int d)
{
	for (int i = 0; i < c->n; i++)
		if (c->door[i] == d)
			return i;
	return -1;
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
	return (long)v->m->rows[row];
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
		*a = ui_lcol_of(c, ui_model_door_shown(v->m, e->door, sel));
	if (e->peer >= 0)
		*b = ui_lcol_of(c, ui_model_door_shown(v->m, e->peer, sel));
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
			return c.door[k];
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

static void ui_ladder_header(struct ui_win *w, const struct ui_view *v, const struct ui_lcols *c,
			     const struct ui_ladder_geo *g, int hdr)
{
	struct trace *t = v->m->t;
	if (g->time_w)
		ui_win_put(w, 1, 0, UI_R_DIM, "  seconds", g->time_w);
	for (int k = g->first; k < g->first + g->ncols && k < c->n; k++) {
		int d = c->door[k];
		const struct tr_door *door = trace_door(t, d);
		int x = ui_ladder_col_x(g, k) - 1;
		char who[80], lab[80], clip[80];
		const struct tr_proc *p = trace_proc(t, door->proc);
		const struct tr_host *hst = trace_host(t, door->host);
		snprintf(who, sizeof who, "%s%s%s", p ? p->name : hst ? hst->name : "?", door->name[0] ? " " : "",
			 door->name);
		enum ui_role r = d == v->sel_door ? UI_R_DOOR_SEL : UI_R_LADDER_HEAD;
		ui_text_clip(clip, sizeof clip, who, g->col_w - 1, ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
		ui_win_put(w, 1, x, r, clip, g->col_w - 1);
		if (hdr >= 2) {
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

static bool ui_door_alive(const struct ui_model *m, int d, long ev)
{
	const struct tr_door *door = trace_door(m->t, d);
	return (door->first_ev < 0 || ev >= door->first_ev) && (door->last_ev < 0 || ev <= door->last_ev);
}

static void ui_ladder_row(struct ui_win *w, const struct ui_view *v, const struct ui_lcols *c,
			  const struct ui_ladder_geo *g, int y, long ev, uint64_t t0)
{
	struct trace *t = v->m->t;
	struct ui_term *tm = ui_win_term(w);
	const struct tr_event *e = trace_event(t, (size_t)ev);
	struct ui_rect r = ui_win_rect(w);
	long cur_row_ev = -1;
	long cr = ui_model_row_of(v->m, v->cursor);
	if (cr >= 0 && cr < (long)v->m->nrows)
		cur_row_ev = (long)v->m->rows[cr];
	bool is_now = ev == cur_row_ev;
	bool later = ev > v->cursor && !is_now;
	long sel = v->sel;
	bool is_sel = sel >= 0 && (ev == sel || ui_model_row_of(v->m, sel) == ui_model_row_of(v->m, ev));
	enum ui_role base = later ? UI_R_LADDER_LATER : UI_R_NORMAL;
	if (g->time_w) {
		char tbuf[32];
		snprintf(tbuf, sizeof tbuf, " %9.6f", (double)(e->t_ns - t0) / 1e9);
		ui_win_put(w, y, 0, later ? UI_R_LADDER_LATER : UI_R_DIM, tbuf, g->time_w - 1);
	}
	/* the doors' lines */
	for (int k = g->first; k < g->first + g->ncols && k < c->n; k++)
		if (ui_door_alive(v->m, c->door[k], ev))
			ui_win_glyph(w, y, ui_ladder_col_x(g, k), later ? UI_R_LADDER_LATER : UI_R_LADDER_LINE,
				     UI_G_VLINE);
	char text[512] = "";
	if (e->kind == TR_PACKET) {
		char label[64];
		ui_model_packet_label(v->m, ev, label, sizeof label);
		struct dec_pkt d;
		trace_packet_decode(t, e, &d);
		bool data = d.payload_wirelen > 0 && (d.is_tcp || d.is_udp);
		enum ui_role ar = later ? UI_R_LADDER_LATER : data ? UI_R_ARROW_DATA : d.is_icmp || (d.is_tcp && (d.tcp_flags & DEC_TCP_RST)) ? UI_R_FAILED : UI_R_ARROW;
		/* a knock before accept() returns goes to the welcoming door */
		int a = e->door >= 0 ? ui_lcol_of(c, ui_model_door_shown(v->m, e->door, ev)) : -1;
		int b = e->peer >= 0 ? ui_lcol_of(c, ui_model_door_shown(v->m, e->peer, ev)) : -1;
		int xa = a >= 0 ? ui_ladder_col_x(g, a) : -1, xb = b >= 0 ? ui_ladder_col_x(g, b) : -1;
		if (a >= 0 && b >= 0 && xa >= 0 && xb >= 0 && xa != xb) {
			int lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
			ui_win_hline(w, y, lo + 1, hi - lo - 1, ar, UI_G_HLINE);
			ui_win_glyph(w, y, xb < xa ? lo + 1 : hi - 1, ar, xb < xa ? UI_G_ARROW_L : UI_G_ARROW_R);
			int room = hi - lo - 5;
			int lw = ui_text_width(label);
			if (lw <= room) {
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
		int x = e->door >= 0 ? ui_lcol_of(c, e->door) : -1;
		x = x >= 0 ? ui_ladder_col_x(g, x) : -1;
		if (x >= 0 && (e->kind == TR_CALL || e->kind == TR_WAIT) && !(call && call->caption)) {
			enum ui_glyph gl = e->kind == TR_WAIT ? UI_G_WAIT : call && call->failed ? UI_G_FAIL : UI_G_CALL;
			ui_win_glyph(w, y, x, later ? UI_R_LADDER_LATER : call && call->failed ? UI_R_FAILED :
					       e->kind == TR_WAIT ? UI_R_WAIT : UI_R_CALL_NOW, gl);
		}
		/* accept: the new door starts here */
		if (e->kind == TR_CALL && e->peer >= 0) {
			int nx = ui_lcol_of(c, e->peer);
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
	snprintf(extra, sizeof extra, "%ld of %zu rows%s", n, v->m->nrows, v->show_later ? "" : " (f: all)");
	ui_pane_rule(w, 0, "ladder", extra, v->focus == UI_PANE_LADDER);
	int wa, wb;
	ui_ladder_want(v, &c, &wa, &wb);
	struct ui_ladder_geo g;
	ui_ladder_layout(r.w, c.n, wa, wb, &g);
	int hdr = ui_ladder_header_rows(r.h);
	ui_ladder_header(w, v, &c, &g, hdr);
	uint64_t t0 = trace_nevents(v->m->t) ? trace_event(v->m->t, 0)->t_ns : 0;
	int y = 1 + hdr;
	for (long row = v->ladder_top; row < n && y < r.h; row++, y++)
		ui_ladder_row(w, v, &c, &g, y, (long)v->m->rows[row], t0);
	if (n == 0)
		ui_win_put(w, 1 + hdr, 2, UI_R_DIM,
			   v->live ? "nothing yet: press Space to release the first socket call" : "no steps", r.w - 4);
	ui_win_show(w);
}
