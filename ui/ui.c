/* ui — the TUI's loop: turns keys, mouse clicks, the lab's events,
 * signals and animation frames into one redraw per loop pass (the
 * before-poll hook). The player is in ui-player.c, opening in ui-open.c,
 * keys and the mouse in ui-input.c; drawing is in the ui-*.c panes;
 * curses only in ui-term.c. */
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
#include "ui-app.h"
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

const double ui_speeds[UI_NSPEEDS] = { 0.25, 0.5, 1, 2, 4, 8 };

struct ui *ui_active;

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

void ui_child_setup(void)
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

void ui_msg(struct ui *u, bool err, const char *fmt, ...)
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
void ui_net_text(const struct ui *u, char *out, size_t outlen)
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

void ui_view_fill(struct ui *u, struct ui_view *v)
{
	memset(v, 0, sizeof *v);
	v->m = &u->m;
	v->pace = &u->pace;
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
	v->detail_open = u->detail_open;
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

void ui_keep_in_view(struct ui *u)
{
	if (!u->have)
		return;
	struct ui_view v;
	ui_view_fill(u, &v);
	int h = u->scr.lay.ladder.h;
	if (h <= 0)
		h = 8;
	long keep = ui_pace_row_of(&u->pace, &u->m, u->sel >= 0 ? u->sel : u->cursor);
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
	static const char r[] = " A live lesson is under way. Stop its lab and start again on a fresh one? y/r: yes   n/Esc: no ";
	u->detail_lines = ui_screen_draw(sc, &v, u->overlay != UI_OV_CONFIRM ? NULL : u->confirm_restart ? r : q);
}

void ui_quit(struct ui *u)
{
	ev_stop(u->ev);
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
void ui_sync(struct ui *u)
{
	if (u->have && ui_model_sync(&u->m)) {
		ui_pace_sync(&u->pace, &u->m);
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
	u->detail_open = -1;
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
	ui_pace_free(&u->pace);
	ev_free(u->ev);
	free(u->path);
	int status = u->signo ? 128 + u->signo : 0;
	ui_active = NULL;
	free(u);
	return status;
}
