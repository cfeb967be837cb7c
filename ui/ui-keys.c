#include "ui-keys.h"

#include <string.h>

#include "ui-term.h"
#include "util.h"

#define CTRL(c) ((c) & 0x1f)

const struct ui_keydef ui_keys[] = {
	{ { ' ', UI_KEY_RIGHT, 'l' }, UI_A_NEXT, "Space → l",
	  "next step; in a live lesson it releases the next socket call of the real processes" },
	{ { UI_KEY_LEFT, 'h', 'b' }, UI_A_BACK, "← h b",
	  "step back (the envelopes go back; a live lab stays paused meanwhile)" },
	{ { 'p', UI_KEY_ENTER }, UI_A_PLAY, "p Enter", "play / pause: one step after another at the chosen speed" },
	{ { '+', '=' }, UI_A_FASTER, "+", "faster (animation and play)" },
	{ { '-', '_' }, UI_A_SLOWER, "-", "slower" },
	{ { 'g', UI_KEY_HOME }, UI_A_FIRST, "g Home", "go to the first step" },
	{ { 'G', UI_KEY_END }, UI_A_LAST, "G End", "go to the last step known so far" },
	{ { '\t' }, UI_A_PANE, "Tab", "next pane: stage, ladder, detail" },
	{ { UI_KEY_BTAB }, UI_A_PANE_BACK, "Shift-Tab", "previous pane" },
	{ { UI_KEY_UP, 'k' }, UI_A_UP, "↑ k",
	  "select: the previous door (stage) or step (ladder); scroll the detail" },
	{ { UI_KEY_DOWN, 'j' }, UI_A_DOWN, "↓ j", "select: the next door or step; scroll the detail" },
	{ { UI_KEY_PGUP }, UI_A_PGUP, "PgUp", "a page up in the ladder or the detail" },
	{ { UI_KEY_PGDN }, UI_A_PGDN, "PgDn", "a page down" },
	{ { '.' }, UI_A_GOTO, ".", "go to the step selected in the ladder" },
	{ { 'f' }, UI_A_LATER, "f", "show or hide the steps after the current one in the ladder" },
	{ { 's' }, UI_A_PACE, "s",
	  "how big a step is, in turn: every event (each call, each packet leaving or arriving), socket calls "
	  "(the packets happen during the step), messages (the sends and the recvs that take them); the "
	  "status line says which" },
	{ { 'a' }, UI_A_ACKS, "a", "hide or show the bare TCP ACKs (no data): no step and no ladder row for them" },
	{ { 'e' }, UI_A_LAYERS, "e",
	  "detail: open every layer of the packet (a field a line), or close them (each layer's fields in a few "
	  "wrapped lines)" },
	{ { '1', '2', '3', '4' }, UI_A_LAYER, "1 2 3 4",
	  "detail: open or close one layer: 1 link, 2 network, 3 transport, 4 application" },
	{ { 'r' }, UI_A_RESTART, "r", "restart: a fresh lab for a live lesson (asks first while it is under way), the first step for a replay" },
	{ { 'w' }, UI_A_HOLD, "w",
	  "switch mode: hold every packet in the middle of the network, each step lets one through "
	  "(a TCP sender's timer still runs: held too long, a segment is sent again)" },
	{ { 'x' }, UI_A_DROP, "x", "switch mode: the next packet sent is lost on the way" },
	{ { 'n' }, UI_A_FAULTS, "n",
	  "switch mode: change the network's faults, typed as in a lesson: loss 10% delay 200ms (every link), "
	  "link alice loss 5% (what alice sends), or none" },
	{ { 'o' }, UI_A_OPEN, "o", "open another lesson, run folder or capture" },
	{ { '?', UI_KEY_F1 }, UI_A_HELP, "? F1", "this help" },
	{ { CTRL('l') }, UI_A_REDRAW, "Ctrl-L", "redraw the screen" },
	{ { 'q' }, UI_A_QUIT, "q", "quit (asks first while a live lesson is under way)" },
};
const size_t ui_nkeys = UTIL_ARRAY_LEN(ui_keys);

const char ui_mouse_help[] =
	"click an envelope on the stage to open its packet in the detail; click a door on the stage, or a step "
	"or packet in the ladder, to select it; click it again to go to that step; the wheel scrolls the ladder";

enum ui_action ui_key_action(int key)
{
	if (!key)
		return UI_A_NONE;
	for (size_t i = 0; i < ui_nkeys; i++)
		for (int k = 0; k < UI_KEYS_PER_ACTION && ui_keys[i].keys[k]; k++)
			if (ui_keys[i].keys[k] == key)
				return ui_keys[i].action;
	return UI_A_NONE;
}

void ui_keys_markdown(struct buf *b)
{
	buf_addstr(b, "| key | what it does |\n|---|---|\n");
	for (size_t i = 0; i < ui_nkeys; i++) {
		buf_addstr(b, "| ");
		/* each key of the label in backquotes */
		const char *s = ui_keys[i].label;
		while (*s) {
			size_t n = strcspn(s, " ");
			buf_printf(b, "`%.*s`", (int)n, s);
			s += n;
			if (*s) {
				buf_addc(b, ' ');
				s++;
			}
		}
		buf_printf(b, " | %s |\n", ui_keys[i].help);
	}
	buf_printf(b, "| mouse | %s |\n", ui_mouse_help);
}
