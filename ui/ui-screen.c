#include "ui-screen.h"

#include <string.h>

#include "ui-model.h"
#include "ui-term.h"
#include "ui-view.h"

void ui_screen_init(struct ui_screen *s, struct ui_term *tm)
{
	memset(s, 0, sizeof *s);
	s->tm = tm;
	struct ui_rect none = { 0, 0, 0, 0 };
	s->title = ui_win_new(tm, none);
	s->stage = ui_win_new(tm, none);
	s->ladder = ui_win_new(tm, none);
	s->detail = ui_win_new(tm, none);
	s->caption = ui_win_new(tm, none);
	s->status = ui_win_new(tm, none);
	s->full = ui_win_new(tm, none);
}

void ui_screen_free(struct ui_screen *s)
{
	ui_win_free(s->title);
	ui_win_free(s->stage);
	ui_win_free(s->ladder);
	ui_win_free(s->detail);
	ui_win_free(s->caption);
	ui_win_free(s->status);
	ui_win_free(s->full);
	memset(s, 0, sizeof *s);
}

void ui_screen_layout(struct ui_screen *s, const struct ui_model *m, enum ui_pane focus, bool full)
{
	ui_term_size(s->tm, &s->rows, &s->cols);
	if (m)
		ui_model_stage_req(m, &s->req);
	else
		memset(&s->req, 0, sizeof s->req);
	int want = ui_stage_want(s->cols, &s->req);
	ui_layout(s->rows, s->cols, focus, want, &s->lay);
	struct ui_rect none = { 0, 0, 0, 0 };
	full = full || s->lay.too_small;
	ui_win_place(s->title, full ? none : s->lay.title);
	ui_win_place(s->stage, full ? none : s->lay.stage);
	ui_win_place(s->ladder, full ? none : s->lay.ladder);
	ui_win_place(s->detail, full ? none : s->lay.detail);
	ui_win_place(s->caption, full ? none : s->lay.caption);
	ui_win_place(s->status, full ? none : s->lay.status);
	ui_win_place(s->full, full ? (struct ui_rect){ 0, 0, s->rows, s->cols } : none);
	if (!s->lay.too_small)
		ui_stage_layout(s->lay.stage.h, s->lay.stage.w, &s->req, &s->geo);
	else
		memset(&s->geo, 0, sizeof s->geo);
}

bool ui_screen_stale(const struct ui_screen *s, const struct ui_model *m)
{
	struct ui_stage_req req;
	ui_model_stage_req(m, &req);
	return memcmp(&req, &s->req, sizeof req) != 0;
}

int ui_screen_draw(struct ui_screen *s, struct ui_view *v, const char *confirm)
{
	v->geo = &s->geo;
	ui_title_draw(s->title, v);
	ui_stage_draw(s->stage, v);
	ui_ladder_draw(s->ladder, v);
	int lines = ui_detail_draw(s->detail, v);
	ui_caption_draw(s->caption, v);
	if (confirm) {
		v->message = confirm;
		v->message_error = true;
	}
	ui_term_cursor(s->tm, NULL, 0, 0);
	ui_status_draw(s->status, v); /* a prompt puts the cursor back */
	ui_term_flush(s->tm);
	return lines;
}
