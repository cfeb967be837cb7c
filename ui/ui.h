/* ui — the ncurses front end: the stage (houses and doors), the ladder, the
 * packet detail, the caption, the lesson picker and the help screen. It
 * reads the trace model (src/trace.h) and drives a live session
 * (src/session.h); it never touches pcap, sockets or the lab directly. */
#ifndef DOORWAY_UI_H
#define DOORWAY_UI_H

#include <stdbool.h>

struct ui_opts {
	const char *path;          /* a .lab lesson, a run folder, a .pcap/.pcapng; NULL: the picker */
	bool ascii;                /* ASCII instead of UTF-8 line drawing */
	bool no_color;             /* also when NO_COLOR is set */
	bool gated;                /* live lessons: release one call per step (default) */
	bool switch_mode;          /* live lessons: doorway's switch instead of the kernel's bridge (--switch) */
	bool no_record;
	const char *record_dir;
	void (*child_setup)(void); /* for lab processes (restores signals) */
	/* directories holding installed lessons, for the picker */
	const char *const *lesson_dirs;
	int nlesson_dirs;
};

/* Run the TUI until the user quits. Returns the exit status: 0, 128+N
 * when a signal stopped it, 2 when the file cannot be opened or the
 * terminal cannot be used (with a message on stderr). */
int ui_main(const struct ui_opts *o);

#endif
