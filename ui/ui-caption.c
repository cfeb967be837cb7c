/* The title line (lesson, mode, step, player), the caption (this step's
 * event and its plain-words explanation or the lesson's say text), the
 * status line (keys, messages) and the "terminal too small" screen. */
#include "ui-view.h"

#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "ui-keys.h"
#include "ui-term.h"
#include "ui-text.h"

static void ui_speed_text(double s, char *out, size_t n, const struct ui_term *tm)
{
	snprintf(out, n, "%g%s", s, ui_term_ascii(tm) ? "x" : "\xc3\x97");
}

void ui_title_draw(struct ui_win *w, const struct ui_view *v)
{
	if (!ui_win_visible(w))
		return;
	struct ui_term *tm = ui_win_term(w);
	struct ui_rect r = ui_win_rect(w);
	ui_win_clear(w, UI_R_TITLE);
	int x = ui_win_put(w, 0, 0, UI_R_TITLE, " doorway ", r.w);
	x += ui_win_glyph(w, 0, x, UI_R_TITLE_DIM, UI_G_SEP);
	/* right side first: it must stay whole */
	char right[200], sp[16], step[64];
	ui_speed_text(v->speed, sp, sizeof sp, tm);
	size_t no = ui_pace_step_no(v->pace, v->cursor);
	if (v->live && !v->over)
		snprintf(step, sizeof step, "step %zu of %zu so far", no, v->pace->nsteps);
	else
		snprintf(step, sizeof step, "step %zu of %zu", no, v->pace->nsteps);
	const char *state = v->pending ? "running the next call" : v->playing ? "playing" : "paused";
	char held[32] = "";
	if (v->held >= 0)
		snprintf(held, sizeof held, " %s holding %d", ui_glyph(tm, UI_G_BULLET), v->held);
	snprintf(right, sizeof right, " %s %s %s %s %s %s %s%s ", v->source, ui_glyph(tm, UI_G_BULLET), step,
		 ui_glyph(tm, UI_G_BULLET), ui_glyph(tm, v->playing ? UI_G_PLAY : UI_G_PAUSE), state, sp, held);
	int rw = ui_text_width(right);
	int tw = ui_text_width(v->title);
	if (x + 1 + (tw < 30 ? tw : 30) + rw > r.w) {
		/* room for the title first: a shorter right side */
		snprintf(step, sizeof step, "step %zu of %zu", no, v->pace->nsteps);
		snprintf(right, sizeof right, " %s %s %s %s %s %s%s ", v->live ? "live" : v->source,
			 ui_glyph(tm, UI_G_BULLET), step, ui_glyph(tm, UI_G_BULLET),
			 ui_glyph(tm, v->playing ? UI_G_PLAY : UI_G_PAUSE), sp, held);
		rw = ui_text_width(right);
	}
	if (rw > r.w - 20) {
		snprintf(right, sizeof right, " %s %s %s%s ", step, ui_glyph(tm, v->playing ? UI_G_PLAY : UI_G_PAUSE), sp, held);
		rw = ui_text_width(right);
	}
	char title[200];
	ui_text_clip(title, sizeof title, v->title, r.w - x - rw - 2, ui_glyph(tm, UI_G_ELLIPSIS));
	x += ui_win_put(w, 0, x, UI_R_TITLE, " ", 1);
	ui_win_put(w, 0, x, UI_R_TITLE, title, r.w - x - rw);
	ui_win_put(w, 0, r.w - rw, UI_R_TITLE, right, rw);
	ui_win_show(w);
}

void ui_caption_draw(struct ui_win *w, const struct ui_view *v)
{
	if (!ui_win_visible(w))
		return;
	struct ui_term *tm = ui_win_term(w);
	struct ui_rect r = ui_win_rect(w);
	ui_win_clear(w, UI_R_NORMAL);
	ui_win_hline(w, 0, 0, r.w, UI_R_PANE, UI_G_HLINE);
	struct trace *t = v->m->t;
	char ev[600], cap[1200];
	enum ui_role cr = UI_R_CAPTION;
	if (v->cursor < 0) {
		snprintf(ev, sizeof ev, " %s ", v->live ? "the lab is ready: nothing has happened yet" : "before the first step");
		const char *about = trace_about(t);
		if (about[0])
			snprintf(cap, sizeof cap, "%s", about);
		else
			snprintf(cap, sizeof cap, "Press Space to step, p to play, ? for every key.");
		cr = UI_R_SAY;
	} else {
		char text[500];
		trace_event_text(t, (size_t)v->cursor, text, sizeof text);
		snprintf(ev, sizeof ev, " step %zu: %s ", ui_pace_step_no(v->pace, v->cursor), text);
		trace_caption(t, (size_t)v->cursor, cap, sizeof cap);
		const struct tr_event *e = trace_event(t, (size_t)v->cursor);
		const struct tr_call *c = trace_call(t, e);
		/* the lesson's own words look different from generated ones */
		if (e && e->kind != TR_PACKET && c && c->caption)
			cr = UI_R_SAY;
	}
	char clip[600];
	ui_text_clip(clip, sizeof clip, ev, r.w - 4, ui_glyph(tm, UI_G_ELLIPSIS));
	ui_win_put(w, 0, 2, UI_R_EVENT, clip, r.w - 4);
	struct ui_span sp[8];
	int rows = r.h - 1;
	int n = ui_text_wrap(cap, r.w - 4, sp, 8);
	for (int i = 0; i < n && i < rows && i < 8; i++) {
		char line[600];
		bool last = i == rows - 1 && n > rows;
		snprintf(line, sizeof line, "%.*s", (int)sp[i].len, cap + sp[i].off);
		if (last) {
			char c2[620];
			snprintf(c2, sizeof c2, "%s%s", line, ui_glyph(tm, UI_G_ELLIPSIS));
			ui_text_clip(line, sizeof line, c2, r.w - 4, ui_glyph(tm, UI_G_ELLIPSIS));
		}
		ui_win_put(w, 1 + i, 2, cr, line, r.w - 4);
	}
	ui_win_show(w);
}

void ui_status_draw(struct ui_win *w, const struct ui_view *v)
{
	if (!ui_win_visible(w))
		return;
	struct ui_rect r = ui_win_rect(w);
	ui_win_clear(w, UI_R_STATUS);
	if (v->prompt) {
		/* label, the text typed so far (its end, when long), then the
		 * keys, or what is wrong with the line */
		const char *keys = "Enter apply  Esc cancel ";
		bool err = v->message && v->message[0] && v->message_error;
		char clipped[400];
		if (err) {
			ui_text_clip(clipped, sizeof clipped, v->message, r.w * 2 / 3,
				     ui_glyph(ui_win_term(w), UI_G_ELLIPSIS));
			keys = clipped;
		}
		int kw = ui_text_width(keys), x = 1;
		x += ui_win_put(w, 0, x, UI_R_STATUS_KEY, v->prompt, r.w - x);
		x += ui_win_put(w, 0, x, UI_R_STATUS, ": ", r.w - x);
		int room = r.w - x - kw - 2;
		if (room < 8)
			room = r.w - x - 1;
		const char *t = ui_text_tail(v->prompt_text, room);
		int tx = x;
		x += ui_win_put(w, 0, x, UI_R_STATUS, t, room);
		if (x + kw + 1 < r.w)
			ui_win_put(w, 0, r.w - kw - (err ? 1 : 0), err ? UI_R_ERROR : UI_R_STATUS, keys, kw);
		ui_win_show(w);
		ui_term_cursor(ui_win_term(w), w, 0, tx + ui_text_width(t));
		return;
	}
	if (v->message && v->message[0]) {
		enum ui_role role = v->message_error ? UI_R_ERROR : UI_R_STATUS;
		ui_win_fill(w, (struct ui_rect){ 0, 0, 1, r.w }, role);
		char m[400];
		snprintf(m, sizeof m, " %s", v->message);
		ui_win_put(w, 0, 0, role, m, r.w);
		ui_win_show(w);
		return;
	}
	/* the keys a class needs most; ? shows the rest */
	static const struct {
		const char *key, *what;
	} hints[] = {
		{ "Space", "next" }, { "\xe2\x86\x90", "back" }, { "p", "play" }, { "?", "help" },
		{ "q", "quit" },     { "Tab", "pane" },           { "+/-", "speed" }, { "o", "open" },
	};
	/* on the right: how big a step is (s, a), a live lab's state and the
	 * switch's faults; the hints give way to it, the least needed first */
	char pace[64] = "", st[160] = "";
	if (v->pace)
		ui_pace_describe(v->pace, pace, sizeof pace);
	if (v->live)
		snprintf(st, sizeof st, "%s%s%s", pace, pace[0] ? " \xc2\xb7 " : "",
			 v->over ? "the lab has ended" : v->gated ? "gated" : "free run");
	else
		snprintf(st, sizeof st, "%s", pace);
	int keep = st[0] ? ui_text_width(st) + 3 : 0;
	int x = 1;
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		int need = ui_text_width(hints[i].key) + 1 + ui_text_width(hints[i].what) + 2;
		if (x + need > r.w - keep && i >= 2)
			break;
		x += ui_win_put(w, 0, x, UI_R_STATUS_KEY, hints[i].key, r.w - x);
		x += ui_win_put(w, 0, x, UI_R_STATUS, " ", 1);
		x += ui_win_put(w, 0, x, UI_R_STATUS, hints[i].what, r.w - x);
		x += ui_win_put(w, 0, x, UI_R_STATUS, "  ", 2);
	}
	const char *s = st;
	char both[300];
	if (v->net && v->net[0]) {
		snprintf(both, sizeof both, "%s  %s", v->net, st);
		if (x + ui_text_width(both) + 1 < r.w)
			s = both;
		else if (x + ui_text_width(v->net) + 1 < r.w)
			s = v->net;
	}
	int sw = ui_text_width(s);
	if (s[0] && x + sw + 1 < r.w)
		ui_win_put(w, 0, r.w - sw - 1, UI_R_STATUS, s, sw);
	ui_win_show(w);
}

void ui_small_draw(struct ui_win *w, int rows, int cols)
{
	if (!ui_win_visible(w))
		return;
	struct ui_term *tm = ui_win_term(w);
	ui_win_clear(w, UI_R_NORMAL);
	const char *x = ui_term_ascii(tm) ? "x" : "×";
	char a[80], b[80];
	snprintf(a, sizeof a, "enlarge the terminal to %d%s%d", UI_MIN_COLS, x, UI_MIN_ROWS);
	snprintf(b, sizeof b, "(it is %d%s%d; q quits)", cols, x, rows);
	int y = rows / 2 - 1;
	if (y < 0)
		y = 0;
	int aw = ui_text_width(a), bw = ui_text_width(b);
	ui_win_put(w, y, aw < cols ? (cols - aw) / 2 : 0, UI_R_CAPTION, a, cols);
	if (y + 1 < rows)
		ui_win_put(w, y + 1, bw < cols ? (cols - bw) / 2 : 0, UI_R_DIM, b, cols);
	ui_win_show(w);
}
