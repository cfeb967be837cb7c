#include "ui-help.h"

#include <stdio.h>
#include <string.h>

#include "ui-keys.h"
#include "ui-term.h"
#include "ui-text.h"

/* Writes the help's lines from the top line on, counting them all. */
struct ui_hl {
	struct ui_win *w;
	int x, y0, h, w_cols, kw;
	int top, line;
};

static void ui_help_entry(struct ui_hl *hl, enum ui_role kr, const char *key, enum ui_role tr, const char *text)
{
	struct ui_span sp[8];
	int width = hl->w_cols - hl->kw;
	int n = ui_text_wrap(text, width > 10 ? width : 10, sp, 8);
	if (n == 0)
		n = 1, sp[0].off = 0, sp[0].len = 0;
	for (int i = 0; i < n && i < 8; i++, hl->line++) {
		if (hl->line < hl->top || hl->line - hl->top >= hl->h)
			continue;
		int y = hl->y0 + hl->line - hl->top;
		if (i == 0 && key[0])
			ui_win_put(hl->w, y, hl->x, kr, key, hl->kw - 1);
		char part[400];
		snprintf(part, sizeof part, "%.*s", (int)sp[i].len, text + sp[i].off);
		ui_win_put(hl->w, y, hl->x + hl->kw, tr, part, width);
	}
}

int ui_help_draw(struct ui_win *w, int top)
{
	struct ui_rect r = ui_win_rect(w);
	struct ui_term *tm = ui_win_term(w);
	ui_win_clear(w, UI_R_OVERLAY);
	int bw = r.w < 100 ? r.w - 2 : 98;
	int bx = (r.w - bw) / 2;
	int bh = r.h - 1 < 40 ? r.h - 1 : 40;
	int by = (r.h - bh) / 2;
	struct ui_rect box = { by, bx, bh, bw };
	ui_win_box(w, box, UI_R_OVERLAY_EDGE);
	ui_win_put(w, by, bx + 2, UI_R_OVERLAY_EDGE, " doorway: every key ", bw - 4);
	int kw = 10;
	for (size_t i = 0; i < ui_nkeys; i++)
		if (ui_text_width(ui_keys[i].label) + 2 > kw)
			kw = ui_text_width(ui_keys[i].label) + 2;
	struct ui_hl hl = { .w = w, .x = bx + 2, .y0 = by + 1, .h = bh - 2, .w_cols = bw - 4, .kw = kw, .top = top };
	ui_help_entry(&hl, UI_R_CAPTION, "", UI_R_CAPTION, "A process is a house; its socket is the door.");
	ui_help_entry(&hl, UI_R_DIM, "", UI_R_DIM,
		      "Each step is one socket call, or a packet leaving or entering a door.");
	hl.line++;
	for (size_t i = 0; i < ui_nkeys; i++)
		ui_help_entry(&hl, UI_R_HELP_KEY, ui_keys[i].label, UI_R_OVERLAY, ui_keys[i].help);
	ui_help_entry(&hl, UI_R_HELP_KEY, "mouse", UI_R_OVERLAY, ui_mouse_help);
	hl.line++;
	ui_help_entry(&hl, UI_R_DIM, "legend", UI_R_DIM,
		      ui_term_ascii(tm) ? "# door   @ envelope   * call   z waiting   ^ house   > current step"
					: "▐ door   ✉ envelope   ● call   ⧖ waiting   ⌂ house   ▸ current step");
	char foot[64];
	bool more = hl.line - top > hl.h;
	snprintf(foot, sizeof foot, " %s? or Esc closes ", more ? "↓ PgDn more   " : top > 0 ? "↑ PgUp back   " : "");
	int fw = ui_text_width(foot);
	ui_win_put(w, by + bh - 1, bx + bw - fw - 2, UI_R_OVERLAY_EDGE, foot, fw);
	ui_win_show(w);
	return hl.line;
}
