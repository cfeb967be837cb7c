/* ui — the TUI's loop: opens a lesson (a live gated session), a recording
 * or a capture, keeps the cursor, the selection and the player, and turns
 * keys, mouse clicks, the lab's events, signals and animation frames into
 * one redraw per loop pass (the before-poll hook). Drawing is in the
 * ui-*.c panes; curses only in ui-term.c. */
#include "ui.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ev.h"
#include "scenario.h"
#include "run.h"
#include "session.h"
#include "switch.h"
#include "trace.h"
#include "ui-help.h"
#include "ui-keys.h"
#include "ui-layout.h"
#include "ui-model.h"
#include "ui-picker.h"
#include "ui-scene.h"
#include "ui-screen.h"
#include "ui-term.h"
#include "ui-text.h"
#include "ui-view.h"
#include "util.h"

#define UI_FRAME_MS 33          /* animation frames: ~30 per second, only while something moves */
#define UI_ANIM_MS 900          /* one step's animation at speed 1 */
#define UI_DWELL_MS 900         /* play: pause between steps at speed 1 */
#define UI_RETRY_MS 25          /* live: ask again whether the lab has settled */
#define UI_RELEASE_WAIT_MS 400  /* live: after a release, wait this long for its events */
#define UI_DCLICK_MS 400
#define UI_STUCK_MS 2000        /* live: a forward step waiting this long says who waits */
#define UI_STUCK_RETRY_MS 500   /*   and asks the lab again only this often */
#define UI_EXIT_NO_TERMINAL 2

static const double ui_speeds[] = { 0.25, 0.5, 1, 2, 4, 8 };
#define UI_SPEED_NORMAL 2

enum ui_overlay { UI_OV_NONE, UI_OV_HELP, UI_OV_PICKER, UI_OV_CONFIRM, UI_OV_FAULTS };

struct ui {
	const struct ui_opts *o;
	struct ev *ev;
	struct ui_term *tm;
	struct ui_screen scr;
	/* what is open */
	char *path;
	char *title;
	struct scenario *sc;        /* live: outlives the session */
	struct session *s;          /* live */
	struct trace *replay;       /* an opened recording or capture */
	struct trace *t;            /* the one shown */
	struct ui_model m;
	bool have;
	bool over;
	/* cursor, selection */
	long cursor;
	struct ui_mark mark;
	long sel;
	int sel_door;
	enum ui_pane focus;
	bool show_later;
	long ladder_top;
	int detail_top, detail_lines;
	/* animation */
	struct ui_scene from, to, frame;
	uint64_t anim_t0;
	int anim_ms;
	long long frame_timer;
	/* the player */
	int speed;
	bool playing;
	long long play_timer;
	bool pending;               /* a forward step waits for the live lab */
	uint64_t released_ns;       /* when the last call was released */
	uint64_t pending_ns;        /* when the forward step started waiting */
	long long retry_timer;
	bool stepped;               /* went forward in this live run */
	bool hold;                  /* switch hold mode: packets wait in the network */
	bool stuck_said;            /* the status line said who waits */
	char stuck[256];
	/* overlays */
	enum ui_overlay overlay;
	struct ui_picker picker;
	int help_top, help_lines;
	char fault_in[200];         /* the fault line being typed (n) */
	char net[240];              /* the switch's faults, said on the status line */
	/* status line */
	char msg[UTIL_ERRLEN + 64];
	bool msg_err;
	long long msg_timer;
	/* mouse */
	uint64_t click_ns;
	int click_y, click_x;
	/* loop */
	bool dirty, relayout;
	int signo;
	int status;
};

/* The fatal-error path and the lab's children can only find the UI here. */
static struct ui *ui_active;

static void ui_msg(struct ui *u, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ui_forward(struct ui *u);
static void ui_door_msg(struct ui *u, int d);

/* ---- tear-down ------------------------------------------------------------ */

static void ui_teardown(void)
{
	struct ui *u = ui_active;
	if (!u)
		return;
	if (u->tm)
		ui_term_restore(u->tm);
	if (u->s)
		session_abort(u->s);
}

static void ui_child_setup(void)
{
	/* a lab process is a fork of doorway: never touch the terminal there */
	util_set_teardown(NULL);
	if (ui_active && ui_active->o->child_setup)
		ui_active->o->child_setup();
}

/* ---- status messages ------------------------------------------------------ */

static int64_t ui_msg_expire(struct ev *ev, long long id, void *arg)
{
	struct ui *u = arg;
	u->msg[0] = '\0';
	u->msg_timer = 0;
	u->dirty = true;
	return EV_NOMORE;
}

static void ui_msg(struct ui *u, bool err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_err = err;
	u->dirty = true;
	if (u->msg_timer)
		ev_del_timer(u->ev, u->msg_timer);
	u->msg_timer = ev_add_timer(u->ev, err ? 8000 : 5000, ui_msg_expire, u);
}

/* ---- the view ------------------------------------------------------------- */

/* The switch's faults in words: "switch: loss 10%" when every link has
 * the same, else link by link; "" on the kernel's bridge or a replay. */
static void ui_net_text(const struct ui *u, char *out, size_t outlen)
{
	out[0] = '\0';
	struct switch_net *sw = u->s && !u->over ? session_switch(u->s) : NULL;
	if (!sw || !u->sc)
		return;
	int n = switch_nports(sw);
	/* the same in words is the same (which fields a line set does not show) */
	char d[160], first[160] = "";
	bool same = true;
	for (int p = 0; p < n; p++) {
		fault_describe(switch_fault(sw, p), d, sizeof d);
		if (p == 0)
			snprintf(first, sizeof first, "%s", d);
		same &= !strcmp(d, first);
	}
	if (same) {
		snprintf(out, outlen, "switch: %s", first[0] ? first : "no faults");
		return;
	}
	size_t o = (size_t)snprintf(out, outlen, "switch:");
	for (int p = 0; p < n && p < u->sc->nhosts && o + 1 < outlen; p++) {
		fault_describe(switch_fault(sw, p), d, sizeof d);
		int k = snprintf(out + o, outlen - o, "%s %s %s", p ? ";" : "", u->sc->hosts[p].name, d[0] ? d : "none");
		o += k > 0 && (size_t)k < outlen - o ? (size_t)k : outlen - o - 1;
	}
}

static void ui_view_fill(struct ui *u, struct ui_view *v)
{
	memset(v, 0, sizeof *v);
	v->m = &u->m;
	v->cursor = u->cursor;
	v->sel = u->sel;
	v->sel_door = u->sel_door;
	v->focus = u->focus;
	v->show_later = u->show_later;
	v->frame = &u->frame;
	v->geo = &u->scr.geo;
	v->title = u->title ? u->title : "";
	v->live = u->s != NULL;
	v->source = u->s ? "live lab" : u->m.capture ? "capture" : "recording";
	v->gated = u->o->gated;
	v->over = u->over;
	v->playing = u->playing;
	v->pending = u->pending;
	v->speed = ui_speeds[u->speed];
	v->held = u->hold && u->s && session_switch(u->s) ? switch_nheld(session_switch(u->s)) : -1;
	v->ladder_top = u->ladder_top;
	v->detail_top = u->detail_top;
	v->message = u->msg;
	v->message_error = u->msg_err;
	ui_net_text(u, u->net, sizeof u->net);
	v->net = u->net;
	if (u->overlay == UI_OV_FAULTS) {
		v->prompt = "faults";
		v->prompt_text = u->fault_in;
	}
}

static void ui_layout_now(struct ui *u)
{
	bool full = u->overlay == UI_OV_HELP || u->overlay == UI_OV_PICKER || !u->have;
	ui_screen_layout(&u->scr, u->have ? &u->m : NULL, u->focus, full);
	u->relayout = false;
	u->dirty = true;
}

static void ui_keep_in_view(struct ui *u)
{
	if (!u->have)
		return;
	struct ui_view v;
	ui_view_fill(u, &v);
	int h = u->scr.lay.ladder.h;
	if (h <= 0)
		h = 8;
	long keep = ui_model_row_of(&u->m, u->sel >= 0 ? u->sel : u->cursor);
	u->ladder_top = ui_ladder_scroll(&v, h, u->ladder_top, keep);
}

static void ui_draw(struct ui *u)
{
	struct ui_screen *sc = &u->scr;
	if (sc->lay.too_small) {
		ui_small_draw(sc->full, sc->rows, sc->cols);
		ui_term_cursor(u->tm, NULL, 0, 0);
		ui_term_flush(u->tm);
		return;
	}
	if (u->overlay == UI_OV_HELP) {
		u->help_lines = ui_help_draw(sc->full, u->help_top);
		ui_term_cursor(u->tm, NULL, 0, 0);
		ui_term_flush(u->tm);
		return;
	}
	if (u->overlay == UI_OV_PICKER || !u->have) {
		ui_picker_draw(sc->full, &u->picker);
		ui_term_flush(u->tm);
		return;
	}
	struct ui_view v;
	ui_view_fill(u, &v);
	static const char q[] = " A live lesson is under way. Quit and stop its lab? y/q: yes   n/Esc: no ";
	u->detail_lines = ui_screen_draw(sc, &v, u->overlay == UI_OV_CONFIRM ? q : NULL);
}

/* ---- animation ------------------------------------------------------------ */

static double ui_ease(double p)
{
	return p * p * (3 - 2 * p);
}

static int64_t ui_on_frame(struct ev *ev, long long id, void *arg);

static void ui_play_schedule(struct ui *u);

static void ui_anim_step(struct ui *u)
{
	double p = u->anim_ms > 0 ? (double)(util_now_mono_ns() - u->anim_t0) / 1e6 / u->anim_ms : 1;
	if (p >= 1) {
		ui_scene_mix(&u->to, &u->to, 1, &u->frame);
		if (u->frame_timer)
			ev_del_timer(u->ev, u->frame_timer);
		u->frame_timer = 0;
		ui_play_schedule(u);
	} else {
		ui_scene_mix(&u->from, &u->to, ui_ease(p), &u->frame);
	}
	u->dirty = true;
}

static int64_t ui_on_frame(struct ev *ev, long long id, void *arg)
{
	struct ui *u = arg;
	ui_anim_step(u);
	return u->frame_timer ? UI_FRAME_MS : EV_NOMORE;
}

/* Move the cursor to ev, animating from what is on the stage now. */
static void ui_go(struct ui *u, long ev)
{
	if (!u->have)
		return;
	/* from: the frame on the stage mid-animation, else the scene at the
	 * cursor as the trace is now (it may know more than when drawn) */
	if (u->frame_timer) {
		struct ui_scene tmp = u->from;
		u->from = u->frame;
		u->frame = tmp;
		u->from.cursor = u->cursor;
	} else {
		ui_scene_build(&u->m, u->cursor, &u->from);
	}
	long from_ev = u->cursor;
	u->cursor = ev;
	u->mark = ui_model_mark(&u->m, ev);
	ui_scene_build(&u->m, ev, &u->to);
	u->sel = -1;
	u->detail_top = 0;
	/* a jump of many steps moves quickly */
	long steps = (long)ui_model_step_no(&u->m, ev) - (long)ui_model_step_no(&u->m, from_ev);
	if (steps < 0)
		steps = -steps;
	u->anim_ms = (int)(UI_ANIM_MS / ui_speeds[u->speed]);
	if (steps > 1)
		u->anim_ms /= 2;
	u->anim_t0 = util_now_mono_ns();
	ui_scene_mix(&u->from, &u->to, 0, &u->frame);
	if (!u->frame_timer)
		u->frame_timer = ev_add_timer(u->ev, UI_FRAME_MS, ui_on_frame, u);
	ui_keep_in_view(u);
	u->dirty = true;
}

/* The stage at rest at the cursor (after new events, a resize). */
static void ui_settle(struct ui *u)
{
	if (u->frame_timer)
		return;
	ui_scene_build(&u->m, u->cursor, &u->to);
	ui_scene_mix(&u->to, &u->to, 1, &u->frame);
}

/* ---- the player ----------------------------------------------------------- */

static int64_t ui_on_play(struct ev *ev, long long id, void *arg)
{
	struct ui *u = arg;
	u->play_timer = 0;
	if (u->playing)
		ui_forward(u);
	return EV_NOMORE;
}

static void ui_play_schedule(struct ui *u)
{
	if (!u->playing || u->play_timer || u->frame_timer || u->pending)
		return;
	u->play_timer = ev_add_timer(u->ev, (int64_t)(UI_DWELL_MS / ui_speeds[u->speed]), ui_on_play, u);
}

static void ui_play_stop(struct ui *u)
{
	u->playing = false;
	if (u->play_timer)
		ev_del_timer(u->ev, u->play_timer);
	u->play_timer = 0;
	u->dirty = true;
}

static int64_t ui_on_retry(struct ev *ev, long long id, void *arg);

static void ui_stuck_line(const char *text, void *arg)
{
	struct ui *u = arg;
	if (!u->stuck[0]) /* the first who waits says enough on one line */
		ui_strlcpy(u->stuck, text, sizeof u->stuck);
}

static void ui_try_advance(struct ui *u)
{
	if (!u->pending)
		return;
	long n = ui_model_next(&u->m, u->cursor);
	if (n != u->cursor && n > u->cursor) {
		u->pending = false;
		if (u->retry_timer)
			ev_del_timer(u->ev, u->retry_timer);
		u->retry_timer = 0;
		ui_go(u, n);
		return;
	}
	if (!u->s || u->over) {
		u->pending = false;
		if (u->playing)
			ui_play_stop(u);
		ui_msg(u, false, "the lesson has ended: %s", u->s ? "← steps back, r runs it again" : "r starts it again");
		return;
	}
	/* a call released a moment ago: give its events time to come */
	uint64_t now = util_now_mono_ns();
	bool waiting = u->released_ns && now - u->released_ns < (uint64_t)UI_RELEASE_WAIT_MS * 1000000u;
	/* hold mode: a packet waiting in the network goes first */
	struct switch_net *sw = session_switch(u->s);
	if (!waiting && u->hold && sw && switch_nheld(sw) > 0) {
		if (session_release_packet(u->s, 0) == 1)
			u->released_ns = now;
	} else if (!waiting && session_step(u->s) == 1) {
		u->released_ns = now;
	}
	/* nothing to release and nothing moving for a while: every process
	 * waits for something that will not come (or a program takes its
	 * time); say who waits, and ask again only now and then */
	int64_t again = UI_RETRY_MS;
	if (now - u->pending_ns > (uint64_t)UI_STUCK_MS * 1000000u && run_settled(session_run(u->s))) {
		again = UI_STUCK_RETRY_MS;
		if (!u->stuck_said) {
			u->stuck_said = true;
			u->stuck[0] = '\0';
			run_describe_stuck(session_run(u->s), ui_stuck_line, u);
			ui_msg(u, true, "nothing can happen yet: %s", u->stuck[0] ? u->stuck : "every process waits");
		}
	}
	if (!u->retry_timer)
		u->retry_timer = ev_add_timer(u->ev, again, ui_on_retry, u);
	u->dirty = true;
}

static void ui_sync(struct ui *u);

static int64_t ui_on_retry(struct ev *ev, long long id, void *arg)
{
	struct ui *u = arg;
	u->retry_timer = 0;
	ui_sync(u);
	ui_try_advance(u);
	return EV_NOMORE;
}

static void ui_forward(struct ui *u)
{
	if (!u->have)
		return;
	long n = ui_model_next(&u->m, u->cursor);
	if (n != u->cursor && n > u->cursor) {
		ui_go(u, n);
		if (u->s)
			u->stepped = true;
		return;
	}
	if (u->s && !u->over && u->o->gated) {
		u->pending = true;
		u->stepped = true;
		u->released_ns = 0;
		u->pending_ns = util_now_mono_ns();
		u->stuck_said = false;
		ui_try_advance(u);
		return;
	}
	if (u->playing)
		ui_play_stop(u);
	if (u->s && !u->over)
		ui_msg(u, false, "the lab is running on its own (--free): its next step has not happened yet");
	else
		ui_msg(u, false, "this is the last step%s", u->s ? "; r runs the lesson again" : "");
}

static void ui_back(struct ui *u)
{
	if (!u->have)
		return;
	u->pending = false;
	if (u->cursor < 0) {
		ui_msg(u, false, "this is the start");
		return;
	}
	ui_go(u, ui_model_prev(&u->m, u->cursor));
}

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

static void ui_close(struct ui *u)
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

static int ui_open(struct ui *u, const char *path, char *err)
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

static void ui_restart(struct ui *u)
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

static void ui_quit(struct ui *u)
{
	ev_stop(u->ev);
}

/* ---- input ---------------------------------------------------------------- */

static void ui_select_step(struct ui *u, int delta)
{
	long nrows = u->show_later ? (long)u->m.nrows : ui_model_row_of(&u->m, u->cursor) + 1;
	if (nrows <= 0)
		return;
	long row = ui_model_row_of(&u->m, u->sel >= 0 ? u->sel : u->cursor);
	row += delta;
	if (row < 0)
		row = 0;
	if (row >= nrows)
		row = nrows - 1;
	u->sel = (long)u->m.rows[row];
	u->detail_top = 0;
	ui_keep_in_view(u);
}

/* The doors on the stage at the cursor, in order; pick the next one. */
static void ui_select_door(struct ui *u, int delta)
{
	int nd = u->m.ndoors, best = -1;
	if (nd <= 0)
		return;
	int start = u->sel_door;
	for (int k = 1; k <= nd; k++) {
		int d = ((start < 0 ? (delta > 0 ? -1 : 0) : start) + delta * k + nd * 4) % nd;
		if (ui_model_door_state(&u->m, d, u->cursor) != UI_DOOR_ABSENT) {
			best = d;
			break;
		}
	}
	u->sel_door = best;
}

static void ui_scroll_detail(struct ui *u, int delta)
{
	u->detail_top += delta;
	int h = u->scr.lay.detail.h > 1 ? u->scr.lay.detail.h - 1 : 1;
	if (u->detail_top > u->detail_lines - h)
		u->detail_top = u->detail_lines - h;
	if (u->detail_top < 0)
		u->detail_top = 0;
}

static void ui_action(struct ui *u, enum ui_action a)
{
	switch (a) {
	case UI_A_NEXT: ui_forward(u); break;
	case UI_A_BACK: ui_back(u); break;
	case UI_A_PLAY:
		if (u->playing) {
			ui_play_stop(u);
		} else {
			u->playing = true;
			ui_forward(u);
		}
		break;
	case UI_A_FASTER:
	case UI_A_SLOWER: {
		int n = (int)UTIL_ARRAY_LEN(ui_speeds);
		u->speed += a == UI_A_FASTER ? 1 : -1;
		if (u->speed < 0)
			u->speed = 0;
		if (u->speed >= n)
			u->speed = n - 1;
		ui_msg(u, false, "speed %gx", ui_speeds[u->speed]);
		break;
	}
	case UI_A_FIRST: u->pending = false; ui_go(u, ui_model_first(&u->m)); break;
	case UI_A_LAST: u->pending = false; ui_go(u, ui_model_last(&u->m)); break;
	case UI_A_PANE:
	case UI_A_PANE_BACK: {
		u->focus = (enum ui_pane)((u->focus + (a == UI_A_PANE ? 1 : UI_NPANES - 1)) % UI_NPANES);
		u->relayout = true; /* at 80x24 the ladder and the detail take turns */
		break;
	}
	case UI_A_UP:
	case UI_A_DOWN: {
		int d = a == UI_A_UP ? -1 : 1;
		if (u->focus == UI_PANE_STAGE) {
			ui_select_door(u, d);
			if (u->sel_door >= 0)
				ui_door_msg(u, u->sel_door);
		}
		else if (u->focus == UI_PANE_LADDER)
			ui_select_step(u, d);
		else
			ui_scroll_detail(u, d);
		break;
	}
	case UI_A_PGUP:
	case UI_A_PGDN: {
		int d = a == UI_A_PGUP ? -1 : 1;
		if (u->focus == UI_PANE_DETAIL)
			ui_scroll_detail(u, d * (u->scr.lay.detail.h > 2 ? u->scr.lay.detail.h - 2 : 1));
		else
			ui_select_step(u, d * (u->scr.lay.ladder.h > 4 ? u->scr.lay.ladder.h - 4 : 1));
		break;
	}
	case UI_A_GOTO:
		if (u->sel >= 0) {
			long ev = u->sel;
			if (!trace_is_step(u->t, (size_t)ev))
				ev = ui_model_prev(&u->m, ev);
			u->pending = false;
			ui_go(u, ev);
		}
		break;
	case UI_A_LATER:
		u->show_later = !u->show_later;
		ui_keep_in_view(u);
		ui_msg(u, false, u->show_later ? "the ladder shows every step" : "the ladder shows the steps up to the current one");
		break;
	case UI_A_RESTART: ui_restart(u); break;
	case UI_A_HOLD:
	case UI_A_DROP:
	case UI_A_FAULTS:
		if (!u->s || u->over || !session_switch(u->s)) {
			ui_msg(u, true, "%s", !u->s || u->over ? "only in a live lesson"
				: "this lesson runs on the kernel's bridge: 'network switch' in the lesson, or doorway --switch");
			break;
		}
		if (a == UI_A_FAULTS) {
			/* start from what every link has now (when they agree) */
			struct switch_net *sw = session_switch(u->s);
			u->fault_in[0] = '\0';
			if (!strchr(u->net, ';') && switch_nports(sw) > 0)
				fault_describe(switch_fault(sw, 0), u->fault_in, sizeof u->fault_in);
			ui_play_stop(u);
			u->overlay = UI_OV_FAULTS;
			u->msg[0] = '\0';
			break;
		}
		if (a == UI_A_DROP) {
			session_drop_next(u->s, -1);
			ui_msg(u, false, "the next packet sent will be lost on the way");
			break;
		}
		u->hold = !u->hold;
		u->m.hold = u->hold;
		session_set_hold(u->s, u->hold);
		if (!u->hold) /* what waited goes on its way */
			while (session_release_packet(u->s, 0) == 1)
				;
		ui_msg(u, false, u->hold ? "packets wait in the middle of the network: each step lets one through"
					 : "packets cross the network at once");
		break;
	case UI_A_OPEN:
		ui_play_stop(u);
		u->overlay = UI_OV_PICKER;
		u->picker.can_cancel = true;
		ui_picker_load(&u->picker, u->o->lesson_dirs, u->o->nlesson_dirs);
		u->relayout = true;
		break;
	case UI_A_HELP:
		u->overlay = UI_OV_HELP;
		u->help_top = 0;
		u->relayout = true;
		break;
	case UI_A_REDRAW:
		ui_term_repaint(u->tm);
		u->relayout = true;
		break;
	case UI_A_QUIT:
		if (u->s && !u->over && u->stepped)
			u->overlay = UI_OV_CONFIRM;
		else
			ui_quit(u);
		break;
	case UI_A_NONE: break;
	}
	u->dirty = true;
}

/* The fault prompt (n): edit the line; Enter applies it to the switch,
 * or says what is wrong and stays open. */
static void ui_fault_key(struct ui *u, int key)
{
	struct switch_net *sw = u->s && !u->over ? session_switch(u->s) : NULL;
	if (key == UI_KEY_ESC || !sw) {
		u->overlay = UI_OV_NONE;
		u->msg[0] = '\0'; /* what was said about the line goes with it */
		return;
	}
	if (key == UI_KEY_BACKSPACE) {
		ui_line_backspace(u->fault_in);
	} else if (key == 0x15) { /* Ctrl-U: start again */
		u->fault_in[0] = '\0';
	} else if (key == UI_KEY_ENTER) {
		int host;
		struct fault_cfg f;
		struct sc_diag d;
		if (scenario_parse_faults(u->sc, u->fault_in, &host, &f, &d) < 0) {
			ui_msg(u, true, "col %d: %s%s%s", d.col, d.msg, d.hint[0] ? " - " : "", d.hint);
			return;
		}
		if (host >= 0) {
			/* the link's own fields over what the others have */
			struct fault_cfg lab = *switch_fault(sw, host), eff;
			lab.set = 0;
			fault_merge(&eff, &lab, &f);
			session_set_fault(u->s, host, &eff);
		} else {
			session_set_fault(u->s, -1, &f);
		}
		u->overlay = UI_OV_NONE;
		ui_net_text(u, u->net, sizeof u->net);
		ui_msg(u, false, "%s", u->net);
		return;
	} else if (key >= 0x20 && key < UI_KEY_BASE) {
		ui_line_append(u->fault_in, sizeof u->fault_in, (uint32_t)key);
	}
	u->msg[0] = '\0'; /* an error said about the line goes when it changes */
}

/* A selected door in words, on the status line (the detail may be hidden). */
static void ui_door_msg(struct ui *u, int d)
{
	const struct tr_door *door = trace_door(u->t, d);
	char lab[96];
	trace_door_label(u->t, d, lab, sizeof lab);
	const struct tr_proc *p = trace_proc(u->t, door->proc);
	const struct tr_host *h = trace_host(u->t, door->host);
	ui_msg(u, false, "door %s%s%s of %s on %s%s; opened at step %zu", door->name, door->name[0] ? ": " : "", lab,
	       p ? p->name : "the host", h ? h->name : "?",
	       door->listening ? ", a welcoming door" : door->parent >= 0 ? ", a connection's door" : "",
	       ui_model_step_no(&u->m, door->first_ev));
}

static void ui_mouse(struct ui *u, const struct ui_input *in)
{

	struct ui_view v;
	ui_view_fill(u, &v);
	if (in->wheel_up || in->wheel_down) {
		int d = in->wheel_up ? -3 : 3;
		if (ui_rect_has(u->scr.lay.detail, in->my, in->mx))
			ui_scroll_detail(u, d);
		else {
			long n = u->show_later ? (long)u->m.nrows : ui_model_row_of(&u->m, u->cursor) + 1;
			u->ladder_top += d;
			if (u->ladder_top > n - 1)
				u->ladder_top = n - 1;
			if (u->ladder_top < 0)
				u->ladder_top = 0;
		}
		return;
	}
	if (!in->click)
		return;
	uint64_t now = util_now_mono_ns();
	bool again = now - u->click_ns < (uint64_t)UI_DCLICK_MS * 1000000u && in->my == u->click_y && in->mx == u->click_x;
	u->click_ns = now;
	u->click_y = in->my;
	u->click_x = in->mx;
	struct ui_rect st = u->scr.lay.stage, la = u->scr.lay.ladder;
	if (ui_rect_has(st, in->my, in->mx)) {
		int d = ui_stage_door_at(&v, in->my - st.y, in->mx - st.x);
		u->focus = UI_PANE_STAGE;
		u->sel_door = d;
		u->relayout = true;
		if (d >= 0)
			ui_door_msg(u, d);
	} else if (ui_rect_has(la, in->my, in->mx)) {
		long ev = ui_ladder_event_at(&v, la.h, in->my - la.y);
		u->focus = UI_PANE_LADDER;
		if (ev < 0) {
			u->sel_door = ui_ladder_door_at(&v, la.h, la.w, in->mx - la.x);
		} else if (again || ev == u->sel) {
			u->sel = ev;
			ui_action(u, UI_A_GOTO);
		} else {
			u->sel = ev;
			u->detail_top = 0;
		}
		u->relayout = true;
	} else if (ui_rect_has(u->scr.lay.detail, in->my, in->mx)) {
		u->focus = UI_PANE_DETAIL;
		u->relayout = true;
	}
}

static void ui_key(struct ui *u, const struct ui_input *in)
{
	if (in->key == 0)
		return;
	u->dirty = true;
	if (u->scr.lay.too_small) {
		if (in->key == 'q' || in->key == 3)
			ui_quit(u);
		return;
	}
	switch (u->overlay) {
	case UI_OV_HELP:
		if (in->key == UI_KEY_DOWN || in->key == 'j' || in->key == ' ' || (in->key == UI_KEY_MOUSE && in->wheel_down))
			u->help_top = u->help_top + 1 + (u->scr.rows - 4) < u->help_lines ? u->help_top + 1 : u->help_top;
		else if (in->key == UI_KEY_UP || in->key == 'k' || (in->key == UI_KEY_MOUSE && in->wheel_up))
			u->help_top = u->help_top > 0 ? u->help_top - 1 : 0;
		else if (in->key == 'q' && !u->have)
			ui_quit(u);
		else if (in->key != UI_KEY_MOUSE || in->click) {
			u->overlay = u->have ? UI_OV_NONE : UI_OV_PICKER;
			u->relayout = true;
		}
		return;
	case UI_OV_FAULTS:
		ui_fault_key(u, in->key);
		return;
	case UI_OV_CONFIRM:
		if (in->key == 'y' || in->key == 'Y' || in->key == 'q' || in->key == UI_KEY_ENTER)
			ui_quit(u);
		else
			u->overlay = UI_OV_NONE;
		return;
	case UI_OV_PICKER: {
		const char *path = NULL;
		switch (ui_picker_key(&u->picker, in, &path)) {
		case UI_PICK_OPEN: {
			char err[UTIL_ERRLEN] = "";
			char *p = xstrdup(path);
			if (ui_open(u, p, err) < 0) {
				snprintf(u->picker.err, sizeof u->picker.err, "%s", err);
			} else {
				u->overlay = UI_OV_NONE;
				u->picker.typing = false;
			}
			free(p);
			u->relayout = true;
			break;
		}
		case UI_PICK_CANCEL:
			if (u->have) {
				u->overlay = UI_OV_NONE;
				u->relayout = true;
			}
			break;
		case UI_PICK_QUIT:
			if (u->s && !u->over && u->stepped) {
				u->overlay = UI_OV_CONFIRM;
				u->relayout = true;
			} else {
				ui_quit(u);
			}
			break;
		case UI_PICK_HELP:
			u->overlay = UI_OV_HELP;
			u->help_top = 0;
			u->relayout = true;
			break;
		default:
			break;
		}
		return;
	}
	default:
		break;
	}
	if (in->key == UI_KEY_MOUSE) {
		ui_mouse(u, in);
		return;
	}
	if (in->key == UI_KEY_ESC) {
		u->sel = -1;
		u->sel_door = -1;
		return;
	}
	ui_action(u, ui_key_action(in->key));
}

static void ui_on_stdin(struct ev *ev, int fd, int events, void *arg)
{
	struct ui *u = arg;
	struct ui_input in;
	while (ui_term_read(u->tm, &in))
		ui_key(u, &in);
}

/* Whatever was written to stderr while curses runs: the status line. */
static void ui_on_stderr(struct ev *ev, int fd, int events, void *arg)
{
	struct ui *u = arg;
	char buf[1024];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			ev_del_fd(ev, fd);
		return;
	}
	buf[n] = '\0';
	/* the last complete line */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	char *line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	if (line[0])
		ui_msg(u, true, "%s", line);
}

static void ui_on_signal(struct ev *ev, int signo, void *arg)
{
	struct ui *u = arg;
	if (signo == SIGWINCH) {
		ui_term_resize(u->tm);
		u->relayout = true;
		return;
	}
	if (signo == SIGPIPE)
		return;
	u->signo = signo;
	ui_quit(u);
}

/* New events in the trace: index them, find the cursor's event again (it
 * may have moved when late events sorted in before it), and go on with a
 * forward step that waits for the lab. */
static void ui_sync(struct ui *u)
{
	if (u->have && ui_model_sync(&u->m)) {
		long c = ui_model_find(&u->m, &u->mark, u->cursor);
		if (u->mark.valid && c != u->cursor)
			u->cursor = c;
		if (ui_screen_stale(&u->scr, &u->m))
			u->relayout = true;
		ui_settle(u);
		ui_try_advance(u);
		ui_keep_in_view(u);
		u->dirty = true;
	}
}

/* The one redraw point: once per loop pass, when something changed. */
static void ui_before_poll(struct ev *ev, void *arg)
{
	struct ui *u = arg;
	ui_sync(u);
	if (u->relayout)
		ui_layout_now(u);
	if (!u->dirty)
		return;
	u->dirty = false;
	ui_draw(u);
}

/* ---- main ----------------------------------------------------------------- */

int ui_main(const struct ui_opts *o)
{
	struct ui *u = xcalloc(1, sizeof *u);
	u->o = o;
	u->speed = UI_SPEED_NORMAL;
	u->cursor = -1;
	u->sel = -1;
	u->sel_door = -1;
	u->ev = ev_new();
	ui_active = u;
	char err[UTIL_ERRLEN] = "";
	/* signals first: the lab's processes start with them blocked, then restore them */
	ev_add_signal(u->ev, SIGINT, ui_on_signal, u);
	ev_add_signal(u->ev, SIGTERM, ui_on_signal, u);
	ev_add_signal(u->ev, SIGHUP, ui_on_signal, u);
	ev_add_signal(u->ev, SIGWINCH, ui_on_signal, u);
	ev_add_signal(u->ev, SIGPIPE, ui_on_signal, u);
	/* what was asked for opens before the terminal is taken: its errors print plainly */
	if (o->path && ui_open(u, o->path, err) < 0) {
		fprintf(stderr, "doorway: %s\n", err);
		ui_close(u);
		ev_free(u->ev);
		ui_active = NULL;
		free(u);
		return 2;
	}
	u->tm = ui_term_open(o->ascii, o->no_color, err);
	if (!u->tm) {
		ui_close(u);
		ev_free(u->ev);
		ui_active = NULL;
		free(u);
		fprintf(stderr, "doorway: %s\n", err);
		return UI_EXIT_NO_TERMINAL;
	}
	util_set_teardown(ui_teardown);
	ui_term_crash_handlers(u->tm);
	ui_screen_init(&u->scr, u->tm);
	if (!o->path) {
		ui_picker_load(&u->picker, o->lesson_dirs, o->nlesson_dirs);
		u->overlay = UI_OV_PICKER;
	}
	ev_add_fd(u->ev, STDIN_FILENO, EV_READ, ui_on_stdin, u);
	if (ui_term_stderr_fd(u->tm) >= 0)
		ev_add_fd(u->ev, ui_term_stderr_fd(u->tm), EV_READ, ui_on_stderr, u);
	ev_set_before_poll(u->ev, ui_before_poll, u);
	u->relayout = true;
	if (ev_run(u->ev) < 0)
		fatal("poll");
	/* the lab goes first (SIGKILL to its init), then the terminal */
	ui_close(u);
	ui_picker_free(&u->picker);
	util_set_teardown(NULL);
	ui_screen_free(&u->scr);
	ui_term_free(u->tm);
	ui_scene_free(&u->from);
	ui_scene_free(&u->to);
	ui_scene_free(&u->frame);
	ev_free(u->ev);
	free(u->path);
	int status = u->signo ? 128 + u->signo : 0;
	ui_active = NULL;
	free(u);
	return status;
}
