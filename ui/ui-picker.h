/* ui-picker — choose what to open: the installed lessons (title and
 * about), the latest recorded runs, or any path typed in (a .lab file, a
 * run folder, a .pcap/.pcapng). */
#ifndef DOORWAY_UI_PICKER_H
#define DOORWAY_UI_PICKER_H

#include <limits.h>
#include <stdbool.h>

struct ui_win;
struct ui_input;

struct ui_pick_item {
	char *path;
	char *name;        /* file or folder name */
	char *title;
	char *about;
	bool is_run;       /* a recorded run folder */
};

struct ui_picker {
	struct ui_pick_item *items;
	int n;
	int nlessons;
	int sel, top;
	bool typing;       /* a path is being typed */
	char input[PATH_MAX];
	char err[256];
	bool can_cancel;   /* opened with 'o' from a lesson: Esc goes back */
};

enum ui_pick_result { UI_PICK_NONE, UI_PICK_OPEN, UI_PICK_CANCEL, UI_PICK_QUIT, UI_PICK_HELP };

/* Lessons from dirs (the first of a name wins), runs from the state folder. */
void ui_picker_load(struct ui_picker *p, const char *const *dirs, int ndirs);
void ui_picker_free(struct ui_picker *p);
void ui_picker_draw(struct ui_win *w, struct ui_picker *p);
/* Handle a key; UI_PICK_OPEN sets *path (owned by the picker). */
enum ui_pick_result ui_picker_key(struct ui_picker *p, const struct ui_input *in, const char **path);

#endif
