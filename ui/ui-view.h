/* ui-view — everything a pane needs to draw one frame, gathered by ui.c:
 * the model at the cursor, the selection, the envelopes of this frame, the
 * stage's geometry, and the player's state. Drawing reads it and changes
 * neither it nor the trace. */
#ifndef DOORWAY_UI_VIEW_H
#define DOORWAY_UI_VIEW_H

#include <stdbool.h>

#include "ui-layout.h"
#include "ui-model.h"
#include "ui-pace.h"
#include "ui-scene.h"

struct ui_win;

struct ui_view {
	struct ui_model *m;
	const struct ui_pace *pace; /* the steps and ladder rows */
	long cursor;                /* the current step (event index), -1 before the first */
	long sel;                   /* the event selected in the ladder / shown in the detail, -1: the cursor's */
	int sel_door;               /* the door selected on the stage, -1 */
	enum ui_pane focus;
	bool show_later;            /* the ladder shows the steps after the cursor too */
	const struct ui_scene *frame; /* envelopes to draw now */
	const struct ui_stage_geo *geo;
	const char *title;          /* the lesson's title or the file's name */
	const char *source;         /* "live lab", "recording", "capture" */
	bool live, gated, over, playing, pending, failed;
	double speed;               /* 1 = normal */
	int held;                   /* packets held in the network (switch hold mode), -1: not holding */
	long ladder_top;            /* first ladder row drawn */
	int detail_top;             /* first detail line drawn */
	int detail_open;            /* packet layers shown field by field: bit L for layer L
				     * (link 0 .. application 3); -1: as the pane's size suggests */
	const char *message;        /* status line message ("" none) */
	bool message_error;
	const char *net;            /* switch mode: "switch: loss 10%" for the status line, "" none */
	const char *prompt;         /* a line being typed on the status line ("faults"), NULL none */
	const char *prompt_text;
};

/* The event the detail pane shows (the selection, else the cursor). */
static inline long ui_view_detail_ev(const struct ui_view *v)
{
	return v->sel >= 0 ? v->sel : v->cursor;
}

/* Stage (ui-stage.c). */
void ui_stage_draw(struct ui_win *w, const struct ui_view *v);
/* The envelope of v->frame drawn at (y, x) of the stage w, -1. */
int ui_stage_env_at(struct ui_win *w, const struct ui_view *v, int y, int x);
/* The door drawn at (y, x) of the stage, -1. */
int ui_stage_door_at(const struct ui_view *v, int y, int x);
/* The stage's request from the model (for the layout). */

/* Ladder (ui-ladder.c). */
void ui_ladder_draw(struct ui_win *w, const struct ui_view *v);
/* The first row to draw so that row `keep` is in view (h rows). */
long ui_ladder_scroll(const struct ui_view *v, int h, long top, long keep);
/* The event of the ladder row drawn at window line y, -1. */
long ui_ladder_event_at(const struct ui_view *v, int h, int y);
/* Door column at window x, -1. */
int ui_ladder_door_at(const struct ui_view *v, int h, int w, int x);

/* Detail (ui-detail.c). Returns the lines the detail has (for scrolling). */
int ui_detail_draw(struct ui_win *w, const struct ui_view *v);

/* Title, caption and status lines (ui-caption.c). */
void ui_title_draw(struct ui_win *w, const struct ui_view *v);
void ui_caption_draw(struct ui_win *w, const struct ui_view *v);
void ui_status_draw(struct ui_win *w, const struct ui_view *v);
/* "enlarge the terminal to 80x24" on the whole screen. */
void ui_small_draw(struct ui_win *w, int rows, int cols);

/* A pane's top rule with its name; focus is shown by a marker, not colour. */
void ui_pane_rule(struct ui_win *w, int y, const char *name, const char *extra, bool focus);

#endif
