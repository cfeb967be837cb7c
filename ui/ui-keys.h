/* ui-keys — every key of the TUI in one const table {keys, action, help},
 * from which the help screen and the README's key table are generated. */
#ifndef DOORWAY_UI_KEYS_H
#define DOORWAY_UI_KEYS_H

#include <stddef.h>

struct buf;

enum ui_action {
	UI_A_NONE,
	UI_A_NEXT,
	UI_A_BACK,
	UI_A_PLAY,
	UI_A_FASTER,
	UI_A_SLOWER,
	UI_A_FIRST,
	UI_A_LAST,
	UI_A_PANE,
	UI_A_PANE_BACK,
	UI_A_UP,
	UI_A_DOWN,
	UI_A_PGUP,
	UI_A_PGDN,
	UI_A_GOTO,
	UI_A_LATER,
	UI_A_PACE,
	UI_A_ACKS,
	UI_A_LAYERS,
	UI_A_LAYER,
	UI_A_RESTART,
	UI_A_HOLD,
	UI_A_DROP,
	UI_A_FAULTS,
	UI_A_OPEN,
	UI_A_HELP,
	UI_A_REDRAW,
	UI_A_QUIT,
};

#define UI_KEYS_PER_ACTION 4

struct ui_keydef {
	int keys[UI_KEYS_PER_ACTION]; /* characters or UI_KEY_* (0 ends) */
	enum ui_action action;
	const char *label;            /* how the help spells the keys */
	const char *help;
};

extern const struct ui_keydef ui_keys[];
extern const size_t ui_nkeys;

/* The action bound to key, UI_A_NONE. */
enum ui_action ui_key_action(int key);
/* The table as Markdown (for the README). */
void ui_keys_markdown(struct buf *b);
/* What the mouse does, one line. */
extern const char ui_mouse_help[];

#endif
