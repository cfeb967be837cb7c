#include "ui-help.h"

#include <stdio.h>
#include <string.h>

#include "ui-keys.h"
#include "ui-term.h"
#include "ui-text.h"

int ui_help_draw(struct ui_win *w, int top)
{
	struct ui_rect r = ui_win_rect(w);
	struct ui_term *tm = ui_win_term(w);
	ui_win_clear(w, UI_R_OVERLAY);
	int bw = r.w < 96 ? r.w - 2 : 94;
	int bx = (r.w - bw) / 2;
	int lines = (int)ui_nkeys + 7;
	int bh = lines + 2 < r.h - 1 ? lines + 2 : r.h - 1;
	int by = (r.h - bh) / 2;
	struct ui_rect box = { by, bx, bh, bw };
	ui_win_box(w, box, UI_R_OVERLAY_EDGE);
	ui_win_put(w, by, bx + 2, UI_R_OVERLAY_EDGE, " doorway: every key ", bw - 4);
	ui_win_put(w, by + bh - 1, bx + bw - 26, UI_R_DIM, " ? or Esc closes ", 20);
	int body = bh - 2;
	int kw = 12;
	for (size_t i = 0; i < ui_nkeys; i++)
		if (ui_text_width(ui_keys[i].label) + 2 > kw)
			kw = ui_text_width(ui_keys[i].label) + 2;
	int line = 0, y = by + 1;
	char buf[400];
#define UI_HELP_LINE(keyrole, key, role, text)                                                         \
	do {                                                                                           \
		if (line >= top && y < by + 1 + body) {                                                \
			ui_win_put(w, y, bx + 2, keyrole, key, kw);                                    \
			ui_text_clip(buf, sizeof buf, text, bw - kw - 5, ui_glyph(tm, UI_G_ELLIPSIS)); \
			ui_win_put(w, y, bx + 2 + kw, role, buf, bw - kw - 4);                         \
			y++;                                                                           \
		}                                                                                      \
		line++;                                                                                \
	} while (0)
	UI_HELP_LINE(UI_R_CAPTION, "", UI_R_CAPTION, "A process is a house; its socket is the door.");
	UI_HELP_LINE(UI_R_DIM, "", UI_R_DIM, "Each step is one socket call, or a packet leaving or entering a door.");
	UI_HELP_LINE(UI_R_DIM, "", UI_R_DIM, "");
	for (size_t i = 0; i < ui_nkeys; i++)
		UI_HELP_LINE(UI_R_HELP_KEY, ui_keys[i].label, UI_R_OVERLAY, ui_keys[i].help);
	/* the mouse line, wrapped */
	struct ui_span sp[4];
	int n = ui_text_wrap(ui_mouse_help, bw - kw - 5, sp, 4);
	for (int i = 0; i < n && i < 4; i++) {
		char part[300];
		snprintf(part, sizeof part, "%.*s", (int)sp[i].len, ui_mouse_help + sp[i].off);
		UI_HELP_LINE(UI_R_HELP_KEY, i == 0 ? "mouse" : "", UI_R_OVERLAY, part);
	}
	UI_HELP_LINE(UI_R_DIM, "", UI_R_DIM, "");
	UI_HELP_LINE(UI_R_DIM, "legend", UI_R_DIM,
		     ui_term_ascii(tm) ? "# door  @ envelope  * call  z waiting  ^ house" : "▐ door  ✉ envelope  ● call  ⧖ waiting  ⌂ house");
#undef UI_HELP_LINE
	ui_win_show(w);
	return line;
}
