/* ui-screen — one frame of the TUI: the pane windows placed by the layout,
 * the stage's geometry, and the drawing of every pane for a view, flushed
 * with one doupdate. ui.c drives it; the render benchmark
 * (tests/test-ui-render.c) uses it on its own. */
#ifndef DOORWAY_UI_SCREEN_H
#define DOORWAY_UI_SCREEN_H

#include <stdbool.h>

#include "ui-layout.h"

struct ui_term;
struct ui_win;
struct ui_model;
struct ui_view;

struct ui_screen {
	struct ui_term *tm;
	struct ui_win *title, *stage, *ladder, *detail, *caption, *status;
	struct ui_win *full;        /* picker, help, "enlarge the terminal" */
	struct ui_layout lay;
	struct ui_stage_geo geo;
	struct ui_stage_req req;
	int rows, cols;
};

void ui_screen_init(struct ui_screen *s, struct ui_term *tm);
void ui_screen_free(struct ui_screen *s);
/* Lay out for the terminal's size now and the model's hosts (m may be
 * NULL); full: one window over the whole terminal instead of the panes. */
void ui_screen_layout(struct ui_screen *s, const struct ui_model *m, enum ui_pane focus, bool full);
/* True when the model's hosts, houses or doors ask for another layout. */
bool ui_screen_stale(const struct ui_screen *s, const struct ui_model *m);
/* Draw every pane for v (v->geo is set here) and flush; confirm, when not
 * NULL, replaces the status line. Returns the detail's number of lines. */
int ui_screen_draw(struct ui_screen *s, struct ui_view *v, const char *confirm);

#endif
