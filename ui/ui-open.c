/* ui-open — what is shown: a lesson opened live (a gated session on a
 * fresh lab), a recorded run or a capture; closing it, and starting it
 * again. */
#include "ui-app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ev.h"
#include "scenario.h"
#include "session.h"
#include "trace.h"

/* ---- opening lessons ------------------------------------------------------ */

static void ui_on_session(struct session *s, enum session_what what, void *arg)
{
	struct ui *u = arg;
	if (what == SESSION_END) {
		u->over = true;
		const char *dir = session_record_dir(s);
		if (session_status(s))
			ui_msg(u, true, "the lab has ended; a process failed or was stopped%s%s", dir[0] ? "; recorded in " : "", dir);
		else if (dir[0])
			ui_msg(u, false, "the lab has ended; recorded in %s", dir);
	}
	u->dirty = true;
}

void ui_close(struct ui *u)
{
	ui_play_stop(u);
	if (u->frame_timer)
		ev_del_timer(u->ev, u->frame_timer);
	if (u->retry_timer)
		ev_del_timer(u->ev, u->retry_timer);
	u->frame_timer = u->retry_timer = 0;
	if (u->have)
		ui_model_free(&u->m);
	u->have = false;
	session_free(u->s);
	u->s = NULL;
	trace_free(u->replay);
	u->replay = NULL;
	scenario_free(u->sc);
	u->sc = NULL;
	u->t = NULL;
	free(u->title);
	u->title = NULL;
	u->pending = u->stepped = u->over = u->hold = false;
}

static bool ui_is_lab(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return false;
	size_t l = strlen(path);
	return l > 4 && !strcmp(path + l - 4, ".lab");
}

/* A scenario's first error as one line. */
static void ui_diag_line(const char *path, const struct sc_diags *d, char *err)
{
	if (d->n > 0)
		util_err(err, "%s:%d:%d: error: %s (doorway --check %s shows all %d)", path, d->d[0].line, d->d[0].col,
			 d->d[0].msg, path, d->total);
	else
		util_err(err, "%s: cannot be read", path);
}

int ui_open(struct ui *u, const char *path, char *err)
{
	struct scenario *sc = NULL;
	struct trace *replay = NULL;
	if (ui_is_lab(path)) {
		struct sc_diags *d = xcalloc(1, sizeof *d);
		sc = scenario_load(path, d);
		if (!sc)
			ui_diag_line(path, d, err);
		free(d);
		if (!sc)
			return -1;
		if (u->o->switch_mode)
			sc->switch_mode = true; /* doorway's switch instead of the kernel's bridge */
	} else {
		replay = trace_open(path, err);
		if (!replay)
			return -1;
	}
	char *p = xstrdup(path);
	ui_close(u);
	u->path = (free(u->path), p);
	u->sc = sc;
	u->replay = replay;
	if (sc) {
		struct session_opts so = { .gated = u->o->gated, .auto_step = !u->o->gated, .record = !u->o->no_record,
					   .record_dir = u->o->record_dir, .child_setup = ui_child_setup };
		u->s = session_start(sc, path, u->ev, &so, ui_on_session, u, err);
		if (!u->s) {
			scenario_free(sc);
			u->sc = NULL;
			return -1;
		}
		u->t = session_trace(u->s);
		if (session_record_warning(u->s)[0])
			ui_msg(u, true, "%s", session_record_warning(u->s));
	} else {
		u->t = replay;
		if (trace_warning(replay)[0])
			ui_msg(u, true, "%s", trace_warning(replay));
	}
	const char *title = trace_title(u->t);
	if (!title[0]) {
		const char *slash = strrchr(path, '/');
		title = slash && slash[1] ? slash + 1 : path;
	}
	u->title = xstrdup(title);
	ui_model_init(&u->m, u->t, sc);
	ui_pace_set(&u->pace, u->pace.mode, u->pace.hide_acks);
	ui_pace_sync(&u->pace, &u->m);
	u->have = true;
	u->cursor = -1;
	u->mark = (struct ui_mark){ 0 };
	u->sel = -1;
	u->sel_door = -1;
	u->ladder_top = 0;
	u->detail_top = 0;
	u->focus = UI_PANE_STAGE;
	u->show_later = u->m.capture;
	u->over = u->s == NULL;
	ui_settle(u);
	u->relayout = true;
	return 0;
}

void ui_restart(struct ui *u)
{
	if (!u->have)
		return;
	if (!u->s) {
		ui_play_stop(u);
		ui_go(u, -1);
		ui_msg(u, false, "back to the start");
		return;
	}
	char err[UTIL_ERRLEN] = "";
	char *path = xstrdup(u->path);
	if (ui_open(u, path, err) < 0)
		ui_msg(u, true, "%s", err);
	else
		ui_msg(u, false, "a fresh lab: the lesson starts again");
	free(path);
}

