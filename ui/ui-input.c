/* ui-input — keys and the mouse: the key table's actions, the overlays'
 * own keys (help, picker, quit question, the faults prompt), and clicks on
 * the stage and the ladder. */
#include "ui-app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "fault.h"
#include "scenario.h"
#include "session.h"
#include "switch.h"
#include "trace.h"
#include "ui-help.h"
#include "ui-keys.h"
#include "ui-term.h"
#include "ui-text.h"
#include "ui-view.h"

/* ---- input ---------------------------------------------------------------- */

static void ui_select_step(struct ui *u, int delta)
{
	long nrows = u->show_later ? (long)u->pace.nrows : ui_pace_row_of(&u->pace, &u->m, u->cursor) + 1;
	if (nrows <= 0)
		return;
	long row = ui_pace_row_of(&u->pace, &u->m, u->sel >= 0 ? u->sel : u->cursor);
	row += delta;
	if (row < 0)
		row = 0;
	if (row >= nrows)
		row = nrows - 1;
	u->sel = (long)u->pace.rows[row];
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
	case UI_A_FIRST: u->pending = false; ui_go(u, ui_pace_first(&u->pace)); break;
	case UI_A_LAST: u->pending = false; ui_go(u, ui_pace_last(&u->pace)); break;
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
			ev = ui_pace_at(&u->pace, ev);
			u->pending = false;
			ui_go(u, ev);
		}
		break;
	case UI_A_LATER:
		u->show_later = !u->show_later;
		ui_keep_in_view(u);
		ui_msg(u, false, u->show_later ? "the ladder shows every step" : "the ladder shows the steps up to the current one");
		break;
	case UI_A_PACE:
	case UI_A_ACKS: {
		enum ui_pace_mode mode = u->pace.mode;
		bool acks = u->pace.hide_acks;
		if (a == UI_A_PACE)
			mode = (enum ui_pace_mode)((mode + 1) % UI_NPACES);
		else
			acks = !acks;
		ui_pace_set(&u->pace, mode, acks);
		if (u->have) {
			ui_pace_sync(&u->pace, &u->m);
			/* the step the cursor is in, at the new pace */
			u->pending = false;
			long c = ui_pace_at(&u->pace, u->cursor);
			if (c != u->cursor)
				ui_go(u, c);
			ui_keep_in_view(u);
		}
		char d[64];
		ui_pace_describe(&u->pace, d, sizeof d);
		ui_msg(u, false, "%s", d);
		break;
	}
	case UI_A_LAYERS:
	case UI_A_LAYER: {
		int now = u->detail_open >= 0 ? u->detail_open : u->scr.lay.detail.h - 1 >= 24 ? 0xf : 0;
		if (a == UI_A_LAYERS)
			u->detail_open = now == 0xf ? 0 : 0xf;
		else
			u->detail_open = now ^ (1 << ((u->key - '1') & 3));
		/* the detail is where this shows: bring it up at 80x24 */
		if (u->scr.lay.detail.h == 0 && u->focus != UI_PANE_DETAIL) {
			u->focus = UI_PANE_DETAIL;
			u->relayout = true;
		}
		break;
	}
	case UI_A_RESTART:
		/* a live run under way ends: ask first, as q does */
		if (u->s && !u->over && u->stepped) {
			u->overlay = UI_OV_CONFIRM;
			u->confirm_restart = true;
		} else {
			ui_restart(u);
		}
		break;
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
		if (u->s && !u->over && u->stepped) {
			u->overlay = UI_OV_CONFIRM;
			u->confirm_restart = false;
		} else {
			ui_quit(u);
		}
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
void ui_door_msg(struct ui *u, int d)
{
	const struct tr_door *door = trace_door(u->t, d);
	char lab[96];
	trace_door_label(u->t, d, lab, sizeof lab);
	const struct tr_proc *p = trace_proc(u->t, door->proc);
	const struct tr_host *h = trace_host(u->t, door->host);
	ui_msg(u, false, "door %s%s%s of %s on %s%s; opened at step %zu", door->name, door->name[0] ? ": " : "", lab,
	       p ? p->name : "the host", h ? h->name : "?",
	       door->listening ? ", a welcoming door" : door->parent >= 0 ? ", a connection's door" : "",
	       ui_pace_step_no(&u->pace, door->first_ev));
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
			long n = u->show_later ? (long)u->pace.nrows : ui_pace_row_of(&u->pace, &u->m, u->cursor) + 1;
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
	int ei = ui_rect_has(st, in->my, in->mx) ? ui_stage_env_at(u->scr.stage, &v, in->my - st.y, in->mx - st.x) : -1;
	if (ei >= 0) {
		/* an envelope: its packet (or message) in the detail, as in a
		 * packet tracer */
		long ev = ui_env_event(&u->m, &u->frame.v[ei], u->cursor);
		if (ev >= 0) {
			u->sel = ev;
			u->sel_door = -1;
			u->detail_top = 0;
			u->focus = UI_PANE_DETAIL;
			u->relayout = true;
			ui_keep_in_view(u);
			char lab[96];
			snprintf(lab, sizeof lab, "%s", u->frame.v[ei].label);
			ui_msg(u, false, "the envelope %s: its packet in the detail (Tab: the other panes)", lab);
		}
	} else if (ui_rect_has(st, in->my, in->mx)) {
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

void ui_key(struct ui *u, const struct ui_input *in)
{
	if (in->key == 0)
		return;
	u->dirty = true;
	/* any key (or click) ends an animation under way first */
	if (in->key != UI_KEY_MOUSE || in->click)
		ui_anim_finish(u);
	if (u->scr.lay.too_small) {
		if (in->key == 'q' || in->key == 3)
			ui_quit(u);
		return;
	}
	switch (u->overlay) {
	case UI_OV_HELP: {
		/* lines and pages; the last page ends on the last line */
		int vis = (u->scr.rows - 1 < 40 ? u->scr.rows - 1 : 40) - 2; /* the help box's lines (ui-help.c) */
		int page = vis - 1 > 1 ? vis - 1 : 1, most = u->help_lines - vis;
		int to = u->help_top;
		bool moved = true;
		if (in->key == UI_KEY_DOWN || in->key == 'j' || (in->key == UI_KEY_MOUSE && in->wheel_down))
			to++;
		else if (in->key == UI_KEY_UP || in->key == 'k' || (in->key == UI_KEY_MOUSE && in->wheel_up))
			to--;
		else if (in->key == UI_KEY_PGDN || in->key == ' ')
			to += page;
		else if (in->key == UI_KEY_PGUP || in->key == 'b')
			to -= page;
		else if (in->key == UI_KEY_HOME || in->key == 'g')
			to = 0;
		else if (in->key == UI_KEY_END || in->key == 'G')
			to = most;
		else
			moved = false;
		if (moved) {
			u->help_top = to > most ? most : to;
			if (u->help_top < 0)
				u->help_top = 0;
			return;
		}
		if (in->key == 'q' && !u->have)
			ui_quit(u);
		else if (in->key != UI_KEY_MOUSE || in->click) {
			u->overlay = u->have ? UI_OV_NONE : UI_OV_PICKER;
			u->relayout = true;
		}
		return;
	}
	case UI_OV_FAULTS:
		ui_fault_key(u, in->key);
		return;
	case UI_OV_CONFIRM:
		if (in->key == 'y' || in->key == 'Y' || in->key == UI_KEY_ENTER ||
		    in->key == (u->confirm_restart ? 'r' : 'q')) {
			u->overlay = UI_OV_NONE;
			if (u->confirm_restart)
				ui_restart(u);
			else
				ui_quit(u);
		} else {
			u->overlay = UI_OV_NONE;
		}
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
				u->confirm_restart = false;
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
	u->key = in->key;
	ui_action(u, ui_key_action(in->key));
}

