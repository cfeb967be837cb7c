#include "ui-picker.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario.h"
#include "ui-term.h"
#include "ui-text.h"
#include "util.h"

#define UI_PICK_RUNS 8 /* latest recorded runs listed */

static void ui_pick_add(struct ui_picker *p, const char *path, const char *name, const char *title,
			const char *about, bool run)
{
	p->items = xreallocarray(p->items, (size_t)p->n + 1, sizeof *p->items);
	struct ui_pick_item *it = &p->items[p->n++];
	it->path = xstrdup(path);
	it->name = xstrdup(name);
	it->title = xstrdup(title ? title : "");
	it->about = xstrdup(about ? about : "");
	it->is_run = run;
}

static int ui_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ui_cmp_str_rev(const void *a, const void *b)
{
	return -ui_cmp_str(a, b);
}

static char **ui_list_dir(const char *dir, bool dirs, const char *suffix, size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t l = strlen(de->d_name), sl = suffix ? strlen(suffix) : 0;
		if (suffix && (l <= sl || strcmp(de->d_name + l - sl, suffix)))
			continue;
		if (dirs) {
			char *full;
			xasprintf(&full, "%s/%s", dir, de->d_name);
			struct stat st;
			bool isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
			free(full);
			if (!isdir)
				continue;
		}
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	return names;
}

/* The lessons of a folder in the order of its course file ("course": one
 * lesson name a line, # comments), those it does not list after them in
 * the order they have. */
static void ui_pick_course(const char *dir, char **names, size_t n)
{
	char *path;
	xasprintf(&path, "%s/course", dir);
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return;
	size_t placed = 0;
	char line[256];
	while (placed < n && fgets(line, sizeof line, f)) {
		char *h = strchr(line, '#');
		if (h)
			*h = '\0';
		char *a = line + strspn(line, " \t");
		size_t l = strcspn(a, " \t\r\n");
		a[l] = '\0';
		if (!l)
			continue;
		for (size_t k = placed; k < n; k++) {
			size_t nl = strlen(names[k]);
			if (nl == l + 4 && !strncmp(names[k], a, l) && !strcmp(names[k] + l, ".lab")) {
				/* move it to the next place, keeping the others' order */
				char *t = names[k];
				memmove(&names[placed + 1], &names[placed], (k - placed) * sizeof *names);
				names[placed++] = t;
				break;
			}
		}
	}
	fclose(f);
}

void ui_picker_load(struct ui_picker *p, const char *const *dirs, int ndirs)
{
	ui_picker_free(p);
	for (int i = 0; i < ndirs; i++) {
		size_t n;
		char **names = ui_list_dir(dirs[i], false, ".lab", &n);
		if (!names)
			continue;
		qsort(names, n, sizeof *names, ui_cmp_str);
		ui_pick_course(dirs[i], names, n);
		for (size_t k = 0; k < n; k++) {
			char base[256];
			snprintf(base, sizeof base, "%.*s", (int)strlen(names[k]) - 4, names[k]);
			bool dup = false;
			for (int j = 0; j < p->n; j++)
				dup = dup || !strcmp(p->items[j].name, base);
			if (!dup) {
				char *path;
				xasprintf(&path, "%s/%s", dirs[i], names[k]);
				struct sc_diags *dg = xcalloc(1, sizeof *dg);
				struct scenario *sc = scenario_load(path, dg);
				ui_pick_add(p, path, base, sc ? sc->title : "(has errors: doorway --check shows them)",
					    sc && sc->about ? sc->about : "", false);
				scenario_free(sc);
				free(dg);
				free(path);
			}
			free(names[k]);
		}
		free(names);
	}
	p->nlessons = p->n;
	/* the latest recorded runs */
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char runs[PATH_MAX];
	if (xdg && xdg[0])
		snprintf(runs, sizeof runs, "%s/doorway/runs", xdg);
	else if (home)
		snprintf(runs, sizeof runs, "%s/.local/state/doorway/runs", home);
	else
		runs[0] = '\0';
	size_t n = 0;
	char **names = runs[0] ? ui_list_dir(runs, true, NULL, &n) : NULL;
	if (names) {
		qsort(names, n, sizeof *names, ui_cmp_str_rev);
		for (size_t k = 0; k < n; k++) {
			if (k < UI_PICK_RUNS) {
				char *path, title[96];
				xasprintf(&path, "%s/%s", runs, names[k]);
				/* DATE-TIME-LESSON: the lesson's name, then when it ran */
				const char *nm = names[k], *lesson = nm;
				int y, mo, d, hh, mi, ss, used = 0;
				if (sscanf(nm, "%4d%2d%2d-%2d%2d%2d-%n", &y, &mo, &d, &hh, &mi, &ss, &used) == 6 && used > 0 &&
				    nm[used]) {
					lesson = nm + used;
					snprintf(title, sizeof title, "a recorded run of %s, %04d-%02d-%02d %02d:%02d:%02d", lesson,
						 y, mo, d, hh, mi, ss);
				} else {
					snprintf(title, sizeof title, "a recorded run");
				}
				ui_pick_add(p, path, lesson, title, path, true);
				free(path);
			}
			free(names[k]);
		}
		free(names);
	}
}

void ui_picker_free(struct ui_picker *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->items[i].path);
		free(p->items[i].name);
		free(p->items[i].title);
		free(p->items[i].about);
	}
	free(p->items);
	p->items = NULL;
	p->n = p->nlessons = p->sel = p->top = 0;
}

void ui_picker_draw(struct ui_win *w, struct ui_picker *p)
{
	struct ui_rect r = ui_win_rect(w);
	struct ui_term *tm = ui_win_term(w);
	ui_win_clear(w, UI_R_NORMAL);
	ui_win_fill(w, (struct ui_rect){ 0, 0, 1, r.w }, UI_R_TITLE);
	ui_win_put(w, 0, 0, UI_R_TITLE, " doorway ", r.w);
	ui_win_put(w, 0, 10, UI_R_TITLE, "pick a lesson: a process is a house, its socket the door", r.w - 11);
	/* the list, then the chosen one's about, then the path line */
	int about_h = r.h >= 30 ? 6 : 4;
	int list_y = 2, list_h = r.h - list_y - about_h - 3;
	if (list_h < 3)
		list_h = 3;
	if (p->sel < p->top)
		p->top = p->sel;
	/* a heading takes a line where the runs start */
	if (p->sel >= p->top + list_h - 1)
		p->top = p->sel - list_h + 2;
	if (p->top < 0)
		p->top = 0;
	int y = list_y;
	int namew = 18;
	for (int i = p->top; i < p->n && y < list_y + list_h; i++) {
		if (i == p->nlessons && y < list_y + list_h) {
			ui_win_put(w, y++, 2, UI_R_PANE_FOCUS, "recorded runs (replay exactly as they happened)", r.w - 4);
			if (y >= list_y + list_h)
				break;
		}
		const struct ui_pick_item *it = &p->items[i];
		bool sel = i == p->sel && !p->typing;
		char line[512], name[64];
		ui_text_clip(name, sizeof name, it->name, namew, ui_glyph(tm, UI_G_ELLIPSIS));
		char title[400];
		ui_text_clip(title, sizeof title, it->title, r.w - namew - 7, ui_glyph(tm, UI_G_ELLIPSIS));
		snprintf(line, sizeof line, " %s %-*s %s", sel ? ui_glyph(tm, UI_G_POINT) : " ", namew, name, title);
		if (sel)
			ui_win_fill(w, (struct ui_rect){ y, 1, 1, r.w - 2 }, UI_R_PICK_SEL);
		ui_win_put(w, y, 1, sel ? UI_R_PICK_SEL : UI_R_NORMAL, line, r.w - 2);
		y++;
	}
	if (p->n == 0)
		ui_win_put(w, list_y, 2, UI_R_DIM, "no lessons found: type a path with /", r.w - 4);
	/* about */
	int ay = r.h - about_h - 3;
	ui_win_hline(w, ay, 0, r.w, UI_R_PANE, UI_G_HLINE);
	if (p->sel >= 0 && p->sel < p->n) {
		const char *about = p->items[p->sel].about;
		struct ui_span sp[8];
		int n = ui_text_wrap(about, r.w - 4, sp, 8);
		for (int i = 0; i < n && i < about_h; i++) {
			char line[600];
			snprintf(line, sizeof line, "%.*s", (int)sp[i].len, about + sp[i].off);
			ui_win_put(w, ay + 1 + i, 2, UI_R_SAY, line, r.w - 4);
		}
	}
	/* path line and keys */
	int py = r.h - 2;
	ui_win_hline(w, py - 1, 0, r.w, UI_R_PANE, UI_G_HLINE);
	if (p->typing) {
		ui_win_put(w, py, 1, UI_R_HELP_KEY, "open:", 6);
		char shown[PATH_MAX];
		int room = r.w - 9;
		const char *s = ui_text_tail(p->input, room);
		snprintf(shown, sizeof shown, "%s", s);
		ui_win_put(w, py, 7, UI_R_NORMAL, shown, room);
	} else if (p->err[0]) {
		ui_win_put(w, py, 1, UI_R_FAILED, p->err, r.w - 2);
	} else {
		ui_win_put(w, py, 1, UI_R_DIM, "/ type a path: a .lab file, a run folder, a .pcap or .pcapng", r.w - 2);
	}
	ui_win_fill(w, (struct ui_rect){ r.h - 1, 0, 1, r.w }, UI_R_STATUS);
	ui_win_put(w, r.h - 1, 1, UI_R_STATUS,
		   p->typing ? "Enter open   Esc back to the list" :
		   p->can_cancel ? "↑↓ choose   Enter open   / a path   Esc back to the lesson   q quit" :
				   "↑↓ choose   Enter open   / a path   q quit",
		   r.w - 2);
	ui_win_show(w);
	if (p->typing)
		ui_term_cursor(tm, w, py, 7 + (ui_text_width(p->input) < r.w - 9 ? ui_text_width(p->input) : r.w - 9));
	else
		ui_term_cursor(tm, NULL, 0, 0);
}

enum ui_pick_result ui_picker_key(struct ui_picker *p, const struct ui_input *in, const char **path)
{
	int k = in->key;
	if (p->typing) {
		size_t l = strlen(p->input);
		if (k == UI_KEY_ESC) {
			p->typing = false;
		} else if (k == UI_KEY_ENTER) {
			if (l) {
				*path = p->input;
				return UI_PICK_OPEN;
			}
			p->typing = false;
		} else if (k == UI_KEY_BACKSPACE) {
			ui_line_backspace(p->input);
		} else if (k >= 0x20 && k < UI_KEY_BASE) {
			ui_line_append(p->input, sizeof p->input, (uint32_t)k);
		}
		return UI_PICK_NONE;
	}
	p->err[0] = '\0';
	switch (k) {
	case UI_KEY_UP:
	case 'k':
		if (p->sel > 0)
			p->sel--;
		break;
	case UI_KEY_DOWN:
	case 'j':
		if (p->sel < p->n - 1)
			p->sel++;
		break;
	case UI_KEY_PGUP:
		p->sel = p->sel > 10 ? p->sel - 10 : 0;
		break;
	case UI_KEY_PGDN:
		p->sel = p->sel + 10 < p->n ? p->sel + 10 : p->n - 1;
		break;
	case UI_KEY_HOME:
	case 'g':
		p->sel = 0;
		break;
	case UI_KEY_END:
	case 'G':
		p->sel = p->n - 1;
		break;
	case UI_KEY_ENTER:
	case ' ':
	case UI_KEY_RIGHT:
	case 'l':
		if (p->sel >= 0 && p->sel < p->n) {
			*path = p->items[p->sel].path;
			return UI_PICK_OPEN;
		}
		break;
	case '/':
	case 'o':
		p->typing = true;
		break;
	case '?':
	case UI_KEY_F1:
		return UI_PICK_HELP;
	case UI_KEY_ESC:
		return p->can_cancel ? UI_PICK_CANCEL : UI_PICK_NONE;
	case 'q':
		return UI_PICK_QUIT;
	case UI_KEY_MOUSE:
		if (in->wheel_up && p->sel > 0)
			p->sel--;
		if (in->wheel_down && p->sel < p->n - 1)
			p->sel++;
		break;
	default:
		break;
	}
	if (p->sel < 0)
		p->sel = 0;
	return UI_PICK_NONE;
}
