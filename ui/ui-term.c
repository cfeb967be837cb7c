/* The only file of doorway that includes curses. */
#include "ui-term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui-text.h"
#include "util.h"

struct ui_term {
	SCREEN *scr;
	bool open;            /* curses is running (between open and restore) */
	bool ascii, color;
	pid_t owner;          /* only this process restores the terminal */
	int saved_stderr;     /* the real stderr while curses runs, -1 */
	int err_rd;           /* read end of the pipe that replaced it, -1 */
	attr_t attr[UI_NROLES];
	short pair[UI_NROLES];
	int rows, cols;
	FILE *null_out, *null_in; /* ui_term_open_null */
};

struct ui_win {
	struct ui_term *tm;
	WINDOW *w;            /* NULL while hidden */
	struct ui_rect r;
};

static const char *const ui_glyph_utf8[UI_NGLYPHS] = {
#define UI_GLYPH_U(name, u, a) u,
	UI_GLYPHS(UI_GLYPH_U)
#undef UI_GLYPH_U
};
static const char *const ui_glyph_ascii[UI_NGLYPHS] = {
#define UI_GLYPH_A(name, u, a) a,
	UI_GLYPHS(UI_GLYPH_A)
#undef UI_GLYPH_A
};

struct ui_role_def {
	short fg, bg;
	int color_attrs, mono_attrs;
};
static const struct ui_role_def ui_role_defs[UI_NROLES] = {
#define UI_ROLE_DEF(name, fg, bg, a, m) { fg, bg, a, m },
	UI_ROLES(UI_ROLE_DEF)
#undef UI_ROLE_DEF
};

/* The crash handler and atexit can only find the terminal through here. */
static struct ui_term *ui_term_active;

static attr_t ui_attrs(int a)
{
	attr_t r = A_NORMAL;
	if (a & UI_BOLD)
		r |= A_BOLD;
	if (a & UI_REVERSE)
		r |= A_REVERSE;
	if (a & UI_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & UI_DIM)
		r |= A_DIM;
	return r;
}

static void ui_term_stderr_back(struct ui_term *tm)
{
	if (tm->saved_stderr < 0)
		return;
	dup2(tm->saved_stderr, STDERR_FILENO);
	close(tm->saved_stderr);
	tm->saved_stderr = -1;
	/* what was written meanwhile is not lost: pass it on */
	if (tm->err_rd >= 0) {
		char buf[4096];
		ssize_t n;
		while ((n = read(tm->err_rd, buf, sizeof buf)) > 0)
			if (util_write_all(STDERR_FILENO, buf, (size_t)n) < 0)
				break;
		close(tm->err_rd);
		tm->err_rd = -1;
	}
}

static void ui_term_atexit(void)
{
	if (ui_term_active)
		ui_term_restore(ui_term_active);
}

/* Modes, colours and roles of a new screen. */
static void ui_term_setup(struct ui_term *tm, bool no_color)
{
	set_term(tm->scr);
	tm->open = true;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	tm->color = !no_color && has_colors();
	if (tm->color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UI_NROLES; i++) {
		const struct ui_role_def *d = &ui_role_defs[i];
		if (tm->color) {
			init_pair((short)(i + 1), d->fg, d->bg);
			tm->pair[i] = (short)(i + 1);
			tm->attr[i] = ui_attrs(d->color_attrs);
		} else {
			tm->pair[i] = 0;
			tm->attr[i] = ui_attrs(d->mono_attrs);
		}
	}
	getmaxyx(stdscr, tm->rows, tm->cols);
}

struct ui_term *ui_term_open(bool ascii, bool no_color, char *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		util_err(err, "the TUI needs a terminal; for a report use --text, --json or --calls");
		return NULL;
	}
	const char *term = getenv("TERM");
	if (!term || !*term || !strcmp(term, "dumb")) {
		util_err(err, "TERM is %s: the TUI needs a real terminal type (e.g. TERM=xterm-256color)",
			 term && *term ? term : "not set");
		return NULL;
	}
	/* the character set only: numbers keep printing as C prints them */
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	struct ui_term *tm = xcalloc(1, sizeof *tm);
	tm->ascii = ascii || !cs || strcmp(cs, "UTF-8") != 0;
	tm->saved_stderr = tm->err_rd = -1;
	tm->owner = getpid();
	tm->scr = newterm(NULL, stdout, stdin);
	if (!tm->scr) {
		util_err(err, "cannot use the terminal '%s' (no terminfo entry?)", term);
		free(tm);
		return NULL;
	}
	ui_term_active = tm;
	atexit(ui_term_atexit);
	ui_term_setup(tm, no_color);
	/* nothing may write on the screen behind curses' back: stderr goes to
	 * a pipe the loop reads (and shows in the status line) */
	int p[2];
	tm->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (tm->saved_stderr >= 0 && pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[1]);
		tm->err_rd = p[0];
	} else if (tm->saved_stderr >= 0) {
		close(tm->saved_stderr);
		tm->saved_stderr = -1;
	}
	return tm;
}

struct ui_term *ui_term_open_null(int rows, int cols, bool ascii, bool no_color, char *err)
{
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	struct ui_term *tm = xcalloc(1, sizeof *tm);
	tm->ascii = ascii || !cs || strcmp(cs, "UTF-8") != 0;
	tm->saved_stderr = tm->err_rd = -1;
	tm->owner = getpid();
	tm->null_out = fopen("/dev/null", "w");
	tm->null_in = fopen("/dev/null", "r");
	if (tm->null_out && tm->null_in)
		tm->scr = newterm("xterm", tm->null_out, tm->null_in);
	if (!tm->scr) {
		util_err(err, "no terminfo entry for xterm");
		if (tm->null_out)
			fclose(tm->null_out);
		if (tm->null_in)
			fclose(tm->null_in);
		free(tm);
		return NULL;
	}
	ui_term_setup(tm, no_color);
	resizeterm(rows, cols);
	getmaxyx(stdscr, tm->rows, tm->cols);
	return tm;
}

void ui_term_restore(struct ui_term *tm)
{
	if (!tm || !tm->open || getpid() != tm->owner)
		return;
	tm->open = false;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	fflush(stdout);
	ui_term_stderr_back(tm);
}

void ui_term_free(struct ui_term *tm)
{
	if (!tm)
		return;
	ui_term_restore(tm);
	if (getpid() == tm->owner && tm->scr)
		delscreen(tm->scr);
	if (tm->null_out)
		fclose(tm->null_out);
	if (tm->null_in)
		fclose(tm->null_in);
	if (ui_term_active == tm)
		ui_term_active = NULL;
	free(tm);
}

static void ui_term_crash(int sig)
{
	struct ui_term *tm = ui_term_active;
	if (tm && tm->open && getpid() == tm->owner) {
		tm->open = false;
		endwin();
		if (tm->saved_stderr >= 0)
			dup2(tm->saved_stderr, STDERR_FILENO);
		static const char msg[] = "\ndoorway: crashed; the terminal was restored and the lab goes with doorway\n";
		ssize_t r = write(STDERR_FILENO, msg, sizeof msg - 1);
		(void)r;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void ui_term_crash_handlers(struct ui_term *tm)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_term_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

bool ui_term_ascii(const struct ui_term *tm) { return tm->ascii; }
bool ui_term_color(const struct ui_term *tm) { return tm->color; }
int ui_term_stderr_fd(const struct ui_term *tm) { return tm->err_rd; }

void ui_term_resize(struct ui_term *tm)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, tm->rows, tm->cols);
	/* stdscr is never drawn on; settle it now so reading a key does not
	 * repaint it over the panes */
	werase(stdscr);
	wnoutrefresh(stdscr);
	clearok(curscr, TRUE);
}

void ui_term_resize_to(struct ui_term *tm, int rows, int cols)
{
	resizeterm(rows, cols);
	getmaxyx(stdscr, tm->rows, tm->cols);
	werase(stdscr);
	wnoutrefresh(stdscr);
}

void ui_term_size(const struct ui_term *tm, int *rows, int *cols)
{
	*rows = tm->rows;
	*cols = tm->cols;
}

void ui_term_repaint(struct ui_term *tm)
{
	clearok(curscr, TRUE);
}

const char *ui_glyph(const struct ui_term *tm, enum ui_glyph g)
{
	if ((unsigned)g >= UI_NGLYPHS)
		return "?";
	return tm->ascii ? ui_glyph_ascii[g] : ui_glyph_utf8[g];
}

/* ---- windows ------------------------------------------------------------- */

struct ui_win *ui_win_new(struct ui_term *tm, struct ui_rect r)
{
	struct ui_win *w = xcalloc(1, sizeof *w);
	w->tm = tm;
	ui_win_place(w, r);
	return w;
}

void ui_win_place(struct ui_win *w, struct ui_rect r)
{
	if (w->w && w->r.y == r.y && w->r.x == r.x && w->r.h == r.h && w->r.w == r.w)
		return;
	if (w->w)
		delwin(w->w);
	w->w = NULL;
	w->r = r;
	if (r.h > 0 && r.w > 0 && r.y + r.h <= w->tm->rows && r.x + r.w <= w->tm->cols) {
		w->w = newwin(r.h, r.w, r.y, r.x);
		if (w->w)
			leaveok(w->w, TRUE);
	}
}

void ui_win_free(struct ui_win *w)
{
	if (!w)
		return;
	if (w->w)
		delwin(w->w);
	free(w);
}

struct ui_rect ui_win_rect(const struct ui_win *w) { return w->r; }
bool ui_win_visible(const struct ui_win *w) { return w && w->w; }
struct ui_term *ui_win_term(const struct ui_win *w) { return w->tm; }

static void ui_win_set(struct ui_win *w, enum ui_role role)
{
	wattr_set(w->w, w->tm->attr[role], w->tm->pair[role], NULL);
}

void ui_win_clear(struct ui_win *w, enum ui_role role)
{
	if (!w->w)
		return;
	wbkgdset(w->w, (chtype)' ' | w->tm->attr[role] | (chtype)COLOR_PAIR(w->tm->pair[role]));
	werase(w->w);
}

int ui_win_put(struct ui_win *w, int y, int x, enum ui_role role, const char *s, int maxw)
{
	if (!w->w || y < 0 || y >= w->r.h || x >= w->r.w || maxw <= 0)
		return 0;
	/* columns left of the window are skipped */
	size_t n = strlen(s);
	while (x < 0 && n) {
		uint32_t cp;
		size_t l = ui_utf8_next(s, n, &cp);
		x += ui_cp_width(cp);
		maxw -= ui_cp_width(cp);
		s += l;
		n -= l;
	}
	if (x < 0 || maxw <= 0)
		return 0;
	if (maxw > w->r.w - x)
		maxw = w->r.w - x;
	ui_win_set(w, role);
	wmove(w->w, y, x);
	int cols = 0;
	while (n && cols < maxw) {
		uint32_t cp;
		size_t l = ui_utf8_next(s, n, &cp);
		int cw = ui_cp_width(cp);
		if (cp < 0x20 || cp == 0x7f) {
			waddch(w->w, '?');
			cols++;
		} else if (w->tm->ascii && cp >= 0x80) {
			char buf[8];
			const char *a = ui_cp_ascii(cp, buf);
			for (; *a && cols < maxw; a++, cols++)
				waddch(w->w, (chtype)(unsigned char)*a);
		} else if (cw > 0) {
			if (cols + cw > maxw)
				break;
			waddnstr(w->w, s, (int)l);
			cols += cw;
		}
		s += l;
		n -= l;
	}
	return cols;
}

int ui_win_glyph(struct ui_win *w, int y, int x, enum ui_role role, enum ui_glyph g)
{
	if (!w->w || y < 0 || y >= w->r.h || x < 0 || x >= w->r.w)
		return 0;
	ui_win_set(w, role);
	mvwaddstr(w->w, y, x, ui_glyph(w->tm, g));
	return 1;
}

void ui_win_hline(struct ui_win *w, int y, int x, int n, enum ui_role role, enum ui_glyph g)
{
	for (int i = 0; i < n; i++)
		ui_win_glyph(w, y, x + i, role, g);
}

void ui_win_vline(struct ui_win *w, int y, int x, int n, enum ui_role role, enum ui_glyph g)
{
	for (int i = 0; i < n; i++)
		ui_win_glyph(w, y + i, x, role, g);
}

void ui_win_box(struct ui_win *w, struct ui_rect r, enum ui_role role)
{
	if (r.h < 2 || r.w < 2)
		return;
	ui_win_glyph(w, r.y, r.x, role, UI_G_TL);
	ui_win_glyph(w, r.y, r.x + r.w - 1, role, UI_G_TR);
	ui_win_glyph(w, r.y + r.h - 1, r.x, role, UI_G_BL);
	ui_win_glyph(w, r.y + r.h - 1, r.x + r.w - 1, role, UI_G_BR);
	ui_win_hline(w, r.y, r.x + 1, r.w - 2, role, UI_G_HLINE);
	ui_win_hline(w, r.y + r.h - 1, r.x + 1, r.w - 2, role, UI_G_HLINE);
	ui_win_vline(w, r.y + 1, r.x, r.h - 2, role, UI_G_VLINE);
	ui_win_vline(w, r.y + 1, r.x + r.w - 1, r.h - 2, role, UI_G_VLINE);
}

void ui_win_fill(struct ui_win *w, struct ui_rect r, enum ui_role role)
{
	if (!w->w)
		return;
	ui_win_set(w, role);
	for (int y = r.y; y < r.y + r.h; y++) {
		if (y < 0 || y >= w->r.h)
			continue;
		for (int x = r.x; x < r.x + r.w; x++)
			if (x >= 0 && x < w->r.w)
				mvwaddch(w->w, y, x, ' ');
	}
}

void ui_win_recolor(struct ui_win *w, int y, int x, int n, enum ui_role role)
{
	if (!w->w || y < 0 || y >= w->r.h)
		return;
	if (x < 0) {
		n += x;
		x = 0;
	}
	if (x + n > w->r.w)
		n = w->r.w - x;
	if (n <= 0)
		return;
	mvwchgat(w->w, y, x, n, w->tm->attr[role], w->tm->pair[role], NULL);
}

void ui_win_show(struct ui_win *w)
{
	if (w->w)
		wnoutrefresh(w->w);
}

void ui_term_cursor(struct ui_term *tm, struct ui_win *w, int y, int x)
{
	if (!w || !w->w) {
		curs_set(0);
		return;
	}
	leaveok(w->w, FALSE);
	wmove(w->w, y, x);
	wnoutrefresh(w->w);
	curs_set(1);
}

void ui_term_flush(struct ui_term *tm)
{
	doupdate();
}

/* ---- input --------------------------------------------------------------- */

bool ui_term_read(struct ui_term *tm, struct ui_input *in)
{
	memset(in, 0, sizeof *in);
	wint_t ch;
	int r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP: in->key = UI_KEY_UP; break;
		case KEY_DOWN: in->key = UI_KEY_DOWN; break;
		case KEY_LEFT: in->key = UI_KEY_LEFT; break;
		case KEY_RIGHT: in->key = UI_KEY_RIGHT; break;
		case KEY_HOME: in->key = UI_KEY_HOME; break;
		case KEY_END: in->key = UI_KEY_END; break;
		case KEY_PPAGE: in->key = UI_KEY_PGUP; break;
		case KEY_NPAGE: in->key = UI_KEY_PGDN; break;
		case KEY_ENTER: in->key = UI_KEY_ENTER; break;
		case KEY_BTAB: in->key = UI_KEY_BTAB; break;
		case KEY_BACKSPACE: in->key = UI_KEY_BACKSPACE; break;
		case KEY_DC: in->key = UI_KEY_DELETE; break;
		case KEY_F(1): in->key = UI_KEY_F1; break;
		case KEY_RESIZE: in->key = UI_KEY_RESIZE; break;
		case KEY_MOUSE: {
			MEVENT me;
			if (getmouse(&me) != OK)
				return true; /* key 0: ignore */
			/* a click counts when the button comes up (terminals report
			 * press and release; some only the release) */
			if (!(me.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED)))
				return true; /* a press: key 0, ignored */
			in->key = UI_KEY_MOUSE;
			in->my = me.y;
			in->mx = me.x;
			in->click = (me.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) != 0;
			in->wheel_up = (me.bstate & BUTTON4_PRESSED) != 0;
#ifdef BUTTON5_PRESSED
			in->wheel_down = (me.bstate & BUTTON5_PRESSED) != 0;
#endif
			break;
		}
		default:
			return true; /* an unknown key: ignored */
		}
		return true;
	}
	switch (ch) {
	case '\r':
	case '\n': in->key = UI_KEY_ENTER; break;
	case 27: in->key = UI_KEY_ESC; break;
	case 127:
	case 8: in->key = UI_KEY_BACKSPACE; break;
	default: in->key = (int)ch; break;
	}
	return true;
}
