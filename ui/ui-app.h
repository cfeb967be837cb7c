/* ui-app — the TUI's state shared by its parts: the loop and drawing
 * (ui.c), the player and the animation (ui-player.c), opening and closing
 * what is shown (ui-open.c), and keys and the mouse (ui-input.c). Only
 * these files include it. */
#ifndef DOORWAY_UI_APP_H
#define DOORWAY_UI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "ui.h"
#include "ui-model.h"
#include "ui-pace.h"
#include "ui-picker.h"
#include "ui-scene.h"
#include "ui-screen.h"
#include "util.h"

struct ev;
struct scenario;
struct session;
struct trace;
struct ui_term;
struct ui_input;
struct ui_view;

#define UI_FRAME_MS 33          /* animation frames: ~30 per second, only while something moves */
#define UI_ANIM_MS 900          /* one step's animation at speed 1 */
#define UI_DWELL_MS 900         /* play: pause between steps at speed 1 */
#define UI_RETRY_MS 25          /* live: ask again whether the lab has settled */
#define UI_RELEASE_WAIT_MS 400  /* live: after a release, wait this long for its events */
#define UI_RELEASE_WAIT_CALLS_MS 60 /*   when packets are no steps (s: calls, messages) */
#define UI_DCLICK_MS 400
#define UI_STUCK_MS 2000        /* live: a forward step waiting this long says who waits */
#define UI_STUCK_RETRY_MS 500   /*   and asks the lab again only this often */
#define UI_EXIT_NO_TERMINAL 2

#define UI_NSPEEDS 6
extern const double ui_speeds[UI_NSPEEDS];

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
	struct ui_pace pace;         /* which events are steps */
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
	int detail_open;            /* see struct ui_view; -1 until a key chooses */
	int key;                    /* the key being handled */
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
	bool confirm_restart;       /* UI_OV_CONFIRM asks about r, not q */
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


/* The UI of this process (the fatal-error path and the lab's children). */
extern struct ui *ui_active;

/* ui.c */
void ui_msg(struct ui *u, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_net_text(const struct ui *u, char *out, size_t outlen);
void ui_view_fill(struct ui *u, struct ui_view *v);
void ui_keep_in_view(struct ui *u);
void ui_child_setup(void);
void ui_sync(struct ui *u);
void ui_quit(struct ui *u);

/* ui-player.c */
void ui_go(struct ui *u, long ev);
void ui_anim_finish(struct ui *u);
void ui_settle(struct ui *u);
void ui_play_schedule(struct ui *u);
void ui_play_stop(struct ui *u);
void ui_try_advance(struct ui *u);
void ui_forward(struct ui *u);
void ui_back(struct ui *u);

/* ui-open.c */
int ui_open(struct ui *u, const char *path, char *err);
void ui_close(struct ui *u);
void ui_restart(struct ui *u);

/* ui-input.c */
void ui_key(struct ui *u, const struct ui_input *in);
void ui_door_msg(struct ui *u, int d);

#endif
