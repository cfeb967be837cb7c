/* ui-pace — how coarse a step is: every event (each socket call and each
 * packet leaving or arriving), socket calls only (the packets happen during
 * the step), or messages only (the sends and the recvs that take them);
 * and, on request, no steps for bare TCP ACKs. The pace picks its steps
 * and ladder rows from the model's (ui-model.c), so the scene at a step is
 * still the model's at that event. No curses. */
#ifndef DOORWAY_UI_PACE_H
#define DOORWAY_UI_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui_model;

enum ui_pace_mode { UI_PACE_EVENT, UI_PACE_CALL, UI_PACE_MESSAGE, UI_NPACES };

struct ui_pace {
	enum ui_pace_mode mode;
	bool hide_acks;
	uint32_t *steps, *rows;   /* event indices */
	size_t nsteps, nrows, capsteps, caprows;
	size_t seen_steps, seen_rows; /* the model's, when last picked */
	bool stale;
};

void ui_pace_free(struct ui_pace *p);
/* Pick again when the model or the mode changed. */
void ui_pace_sync(struct ui_pace *p, const struct ui_model *m);
/* Change the mode or the ACK filter (picked at the next sync). */
void ui_pace_set(struct ui_pace *p, enum ui_pace_mode mode, bool hide_acks);
/* "steps: every event", "steps: socket calls", "steps: messages", then
 * ", no bare ACKs" when they are hidden (no step, no ladder row). */
void ui_pace_describe(const struct ui_pace *p, char *out, size_t outlen);

/* As ui_model_next &c, over the pace's steps. */
long ui_pace_next(const struct ui_pace *p, long cur);
long ui_pace_prev(const struct ui_pace *p, long cur);
long ui_pace_first(const struct ui_pace *p);
long ui_pace_last(const struct ui_pace *p);
size_t ui_pace_step_no(const struct ui_pace *p, long cur);
/* The step at or before ev (-1 before the first). */
long ui_pace_at(const struct ui_pace *p, long ev);
/* Row of an event among the pace's ladder rows (an arrival: its
 * departure's), the row at or before it otherwise; -1 before the first. */
long ui_pace_row_of(const struct ui_pace *p, const struct ui_model *m, long ev);

#endif
