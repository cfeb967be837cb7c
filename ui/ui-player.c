/* ui-player — the cursor's moves: a step forward (in a live lesson, the
 * next call released to the lab and waited for), a step back, play at a
 * speed, and the animation from the scene before a step to the scene
 * after it. */
#include "ui-app.h"

#include <string.h>

#include "ev.h"
#include "run.h"
#include "session.h"
#include "switch.h"
#include "trace.h"
#include "ui-text.h"
#include "ui-view.h"

/* ---- animation ------------------------------------------------------------ */

static double ui_ease(double p)
{
	return p * p * (3 - 2 * p);
}

static int64_t ui_on_frame(struct ev *ev, long long id, void *arg);

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

/* An animation under way ends now: the stage shows the cursor's scene. */
void ui_anim_finish(struct ui *u)
{
	if (!u->frame_timer)
		return;
	ev_del_timer(u->ev, u->frame_timer);
	u->frame_timer = 0;
	ui_scene_mix(&u->to, &u->to, 1, &u->frame);
	ui_play_schedule(u);
	u->dirty = true;
}

/* Move the cursor to ev, animating from what is on the stage now. */
void ui_go(struct ui *u, long ev)
{
	if (!u->have)
		return;
	/* from: the scene at the cursor, never a frame (a step taken during
	 * an animation starts where that animation ends), so what is on the
	 * stage is always a mix of the scenes of two neighbouring cursors */
	ui_anim_finish(u);
	ui_scene_build(&u->m, u->cursor, &u->from);
	long from_ev = u->cursor;
	u->cursor = ev;
	u->mark = ui_model_mark(&u->m, ev);
	ui_scene_build(&u->m, ev, &u->to);
	u->sel = -1;
	u->detail_top = 0;
	/* a jump of many steps moves quickly */
	long steps = (long)ui_pace_step_no(&u->pace, ev) - (long)ui_pace_step_no(&u->pace, from_ev);
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
void ui_settle(struct ui *u)
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

void ui_play_schedule(struct ui *u)
{
	if (!u->playing || u->play_timer || u->frame_timer || u->pending)
		return;
	u->play_timer = ev_add_timer(u->ev, (int64_t)(UI_DWELL_MS / ui_speeds[u->speed]), ui_on_play, u);
}

void ui_play_stop(struct ui *u)
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

void ui_try_advance(struct ui *u)
{
	if (!u->pending)
		return;
	long n = ui_pace_next(&u->pace, u->cursor);
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
	/* (stepping by calls or messages, packets are no steps: no need to
	 * wait for the capture to see them before the next release) */
	uint64_t wait_ms = u->pace.mode == UI_PACE_EVENT ? UI_RELEASE_WAIT_MS : UI_RELEASE_WAIT_CALLS_MS;
	bool waiting = u->released_ns && now - u->released_ns < wait_ms * 1000000u;
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

static int64_t ui_on_retry(struct ev *ev, long long id, void *arg)
{
	struct ui *u = arg;
	u->retry_timer = 0;
	ui_sync(u);
	ui_try_advance(u);
	return EV_NOMORE;
}

void ui_forward(struct ui *u)
{
	if (!u->have)
		return;
	long n = ui_pace_next(&u->pace, u->cursor);
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

void ui_back(struct ui *u)
{
	if (!u->have)
		return;
	u->pending = false;
	if (u->cursor < 0) {
		ui_msg(u, false, "this is the start");
		return;
	}
	ui_go(u, ui_pace_prev(&u->pace, u->cursor));
}

