/* ui-help — the help screen, generated from the key table (ui-keys.c). */
#ifndef DOORWAY_UI_HELP_H
#define DOORWAY_UI_HELP_H

struct ui_win;

/* Draw the help over the whole terminal (rows x cols), from line top;
 * returns the number of lines it has. */
int ui_help_draw(struct ui_win *w, int top);

#endif
