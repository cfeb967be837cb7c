/* ui-term — the one place that touches curses: terminal set-up and
 * tear-down (also on fatal errors and crash signals), colour roles with a
 * monochrome fallback, line-drawing glyphs with an ASCII fallback, one
 * window per pane (wnoutrefresh each, then one doupdate), and reading keys
 * and mouse clicks. The rest of ui/ draws through these functions and never
 * includes curses.h. */
#ifndef DOORWAY_UI_TERM_H
#define DOORWAY_UI_TERM_H

#include <stdbool.h>

#include "ui-layout.h"

/* Terminal colours (the palette's eight), -1 the terminal's default. */
#define UI_DEFAULT (-1)
#define UI_BLACK 0
#define UI_RED 1
#define UI_GREEN 2
#define UI_YELLOW 3
#define UI_BLUE 4
#define UI_MAGENTA 5
#define UI_CYAN 6
#define UI_WHITE 7

/* Attributes. */
#define UI_BOLD 1
#define UI_REVERSE 2
#define UI_UNDERLINE 4
#define UI_DIM 8

/* Colour roles: X(name, fg, bg, attributes with colour, attributes without).
 * Meaning never rests on colour alone: every role is also spelled out by a
 * label or a glyph where it is drawn; the monochrome column keeps the
 * emphasis readable without colour. */
#define UI_ROLES(X)                                                              \
	X(NORMAL,       UI_DEFAULT, UI_DEFAULT, 0, 0)                            \
	X(DIM,          UI_DEFAULT, UI_DEFAULT, UI_DIM, UI_DIM)                  \
	X(TITLE,        UI_WHITE,   UI_BLUE,    UI_BOLD, UI_REVERSE | UI_BOLD)   \
	X(TITLE_DIM,    UI_WHITE,   UI_BLUE,    0, UI_REVERSE)                   \
	X(STATUS,       UI_BLACK,   UI_WHITE,   0, UI_REVERSE)                   \
	X(STATUS_KEY,   UI_BLUE,    UI_WHITE,   UI_BOLD, UI_REVERSE | UI_BOLD)   \
	X(ERROR,        UI_WHITE,   UI_RED,     UI_BOLD, UI_REVERSE | UI_BOLD)   \
	X(PANE,         UI_BLUE,    UI_DEFAULT, 0, 0)                            \
	X(PANE_FOCUS,   UI_BLUE,    UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(HOST,         UI_BLUE,    UI_DEFAULT, 0, 0)                            \
	X(HOST_NAME,    UI_BLUE,    UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(HOUSE,        UI_DEFAULT, UI_DEFAULT, 0, 0)                            \
	X(HOUSE_ACTIVE, UI_YELLOW,  UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(HOUSE_NAME,   UI_DEFAULT, UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(ROLE_CLIENT,  UI_GREEN,   UI_DEFAULT, UI_BOLD, UI_UNDERLINE)           \
	X(ROLE_SERVER,  UI_MAGENTA, UI_DEFAULT, UI_BOLD, UI_UNDERLINE)           \
	X(DOOR,         UI_GREEN,   UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(DOOR_WELCOME, UI_CYAN,    UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(DOOR_CLOSED,  UI_DEFAULT, UI_DEFAULT, UI_DIM, UI_DIM)                  \
	X(DOOR_SEL,     UI_BLACK,   UI_GREEN,   0, UI_REVERSE)                   \
	X(WAIT,         UI_YELLOW,  UI_DEFAULT, 0, UI_UNDERLINE)                 \
	X(CALL,         UI_DEFAULT, UI_DEFAULT, 0, 0)                            \
	X(CALL_NOW,     UI_YELLOW,  UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(FAILED,       UI_RED,     UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(NET,          UI_CYAN,    UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(ROUTE,        UI_YELLOW,  UI_DEFAULT, 0, 0)                            \
	X(ENVELOPE,     UI_BLACK,   UI_YELLOW,  0, UI_REVERSE)                   \
	X(ENVELOPE_NOW, UI_BLACK,   UI_YELLOW,  UI_BOLD, UI_REVERSE | UI_BOLD)   \
	X(ENVELOPE_CTL, UI_BLACK,   UI_CYAN,    0, UI_REVERSE)                   \
	X(LADDER_HEAD,  UI_DEFAULT, UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(LADDER_LINE,  UI_DEFAULT, UI_DEFAULT, UI_DIM, 0)                       \
	X(LADDER_NOW,   UI_BLACK,   UI_YELLOW,  0, UI_REVERSE)                   \
	X(LADDER_SEL,   UI_DEFAULT, UI_DEFAULT, UI_UNDERLINE, UI_UNDERLINE)      \
	X(LADDER_LATER, UI_DEFAULT, UI_DEFAULT, UI_DIM, UI_DIM)                  \
	X(ARROW,        UI_CYAN,    UI_DEFAULT, 0, 0)                            \
	X(ARROW_DATA,   UI_YELLOW,  UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(LAYER_LINK,   UI_BLUE,    UI_DEFAULT, UI_BOLD, 0)                      \
	X(LAYER_NET,    UI_GREEN,   UI_DEFAULT, UI_BOLD, UI_UNDERLINE)           \
	X(LAYER_TP,     UI_MAGENTA, UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(LAYER_APP,    UI_BLACK,   UI_YELLOW,  0, UI_REVERSE)                   \
	X(CAPTION,      UI_DEFAULT, UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(SAY,          UI_CYAN,    UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(EVENT,        UI_DEFAULT, UI_DEFAULT, 0, 0)                            \
	X(HELP_KEY,     UI_YELLOW,  UI_DEFAULT, UI_BOLD, UI_BOLD)                \
	X(PICK_SEL,     UI_BLACK,   UI_CYAN,    0, UI_REVERSE)                   \
	X(OVERLAY,      UI_DEFAULT, UI_DEFAULT, 0, 0)                            \
	X(OVERLAY_EDGE, UI_CYAN,    UI_DEFAULT, UI_BOLD, UI_BOLD)

enum ui_role {
#define UI_ROLE_ENUM(name, fg, bg, a, m) UI_R_##name,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	UI_NROLES
};

/* Glyphs: X(name, UTF-8, ASCII). Every glyph is one column wide. */
#define UI_GLYPHS(X)                     \
	X(HLINE,    "─", "-")            \
	X(VLINE,    "│", "|")            \
	X(TL,       "┌", "+")            \
	X(TR,       "┐", "+")            \
	X(BL,       "└", "+")            \
	X(BR,       "┘", "+")            \
	X(TEE_L,    "├", "+")            \
	X(TEE_R,    "┤", "+")            \
	X(HEAVY_H,  "━", "=")            \
	X(DOTS_H,   "┄", ".")            \
	X(DOTS_V,   "┆", ":")            \
	X(DOOR_R,   "▐", "#")            \
	X(DOOR_L,   "▌", "#")            \
	X(SHUT,     "┃", "|")            \
	X(HOUSE,    "⌂", "^")            \
	X(ENVELOPE, "✉", "@")            \
	X(ARROW_R,  "▶", ">")            \
	X(ARROW_L,  "◀", "<")            \
	X(ARROW_U,  "▲", "^")            \
	X(ARROW_D,  "▼", "v")            \
	X(CALL,     "●", "*")            \
	X(FAIL,     "✗", "x")            \
	X(WAIT,     "⧖", "z")            \
	X(EXIT,     "■", "#")            \
	X(PLAY,     "▶", ">")            \
	X(PAUSE,    "‖", "=")            \
	X(POINT,    "▸", ">")            \
	X(ELLIPSIS, "…", "~")            \
	X(BULLET,   "·", ".")            \
	X(SEP,      "│", "|")

enum ui_glyph {
#define UI_GLYPH_ENUM(name, u, a) UI_G_##name,
	UI_GLYPHS(UI_GLYPH_ENUM)
#undef UI_GLYPH_ENUM
	UI_NGLYPHS
};

struct ui_term;
struct ui_win;

/* Open the terminal (initscr, cbreak, keypad, mouse, colours unless
 * no_color). stderr is routed to a pipe while curses runs (see
 * ui_term_stderr_fd). NULL with err when the terminal cannot be used. */
struct ui_term *ui_term_open(bool ascii, bool no_color, char *err);
/* A terminal of rows x cols that writes to /dev/null (TERM=xterm), for the
 * render benchmark and tests: everything but a real screen. */
struct ui_term *ui_term_open_null(int rows, int cols, bool ascii, bool no_color, char *err);
/* Restore the terminal (endwin, stderr back). Safe to call twice and from
 * the fatal-error path. */
void ui_term_restore(struct ui_term *tm);
void ui_term_free(struct ui_term *tm);
/* Install handlers for crash signals (SEGV, BUS, FPE, ILL, ABRT) that
 * restore the terminal first, then die of the signal. */
void ui_term_crash_handlers(struct ui_term *tm);
bool ui_term_ascii(const struct ui_term *tm);
bool ui_term_color(const struct ui_term *tm);

/* The terminal's size now (after a SIGWINCH: resize curses first). */
void ui_term_resize(struct ui_term *tm);
/* A given size (the /dev/null terminal of tests). */
void ui_term_resize_to(struct ui_term *tm, int rows, int cols);
void ui_term_size(const struct ui_term *tm, int *rows, int *cols);

/* The read end of the pipe that replaced stderr, or -1. */
int ui_term_stderr_fd(const struct ui_term *tm);

const char *ui_glyph(const struct ui_term *tm, enum ui_glyph g);

/* Windows: one per pane, placed by ui_layout. An empty rect hides it. */
struct ui_win *ui_win_new(struct ui_term *tm, struct ui_rect r);
void ui_win_place(struct ui_win *w, struct ui_rect r);
void ui_win_free(struct ui_win *w);
struct ui_rect ui_win_rect(const struct ui_win *w);
bool ui_win_visible(const struct ui_win *w);
struct ui_term *ui_win_term(const struct ui_win *w);

/* Fill the window with role's background. */
void ui_win_clear(struct ui_win *w, enum ui_role role);
/* Text at (y, x), clipped to maxw columns (and to the window); UTF-8 (in
 * ASCII mode non-ASCII characters are replaced). Returns columns drawn. */
int ui_win_put(struct ui_win *w, int y, int x, enum ui_role role, const char *s, int maxw);
/* A glyph; returns 1 (0 when outside). */
int ui_win_glyph(struct ui_win *w, int y, int x, enum ui_role role, enum ui_glyph g);
void ui_win_hline(struct ui_win *w, int y, int x, int n, enum ui_role role, enum ui_glyph g);
void ui_win_vline(struct ui_win *w, int y, int x, int n, enum ui_role role, enum ui_glyph g);
/* A box (its edges). */
void ui_win_box(struct ui_win *w, struct ui_rect r, enum ui_role role);
/* Re-colour n cells (keeps their characters). */
void ui_win_recolor(struct ui_win *w, int y, int x, int n, enum ui_role role);
void ui_win_fill(struct ui_win *w, struct ui_rect r, enum ui_role role);
/* Queue the window for the next flush (wnoutrefresh). */
void ui_win_show(struct ui_win *w);
/* Cursor visibility at (y, x) of w (text input), or hidden when w is NULL. */
void ui_term_cursor(struct ui_term *tm, struct ui_win *w, int y, int x);
/* One doupdate for everything queued. */
void ui_term_flush(struct ui_term *tm);
/* Clear and repaint everything at the next flush (Ctrl-L, resize). */
void ui_term_repaint(struct ui_term *tm);

/* Input. Keys are characters (ASCII/UTF-8 code points) or UI_KEY_*. */
enum {
	UI_KEY_NONE = 0,
	UI_KEY_BASE = 0x110000,
	UI_KEY_UP, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
	UI_KEY_HOME, UI_KEY_END, UI_KEY_PGUP, UI_KEY_PGDN,
	UI_KEY_ENTER, UI_KEY_BTAB, UI_KEY_BACKSPACE, UI_KEY_DELETE,
	UI_KEY_F1, UI_KEY_RESIZE, UI_KEY_MOUSE, UI_KEY_ESC,
};
struct ui_input {
	int key;                /* 0: nothing more to read */
	int my, mx;             /* UI_KEY_MOUSE: screen position */
	bool click, dclick, wheel_up, wheel_down;
};
/* Read one pending key without blocking; false when none. */
bool ui_term_read(struct ui_term *tm, struct ui_input *in);

#endif
