/* ui-text — UTF-8 text for the terminal's cells: display width, the prefix
 * that fits a number of columns, word wrap, and an ASCII rendering. Pure
 * (no curses, no locale): unit-tested. */
#ifndef DOORWAY_UI_TEXT_H
#define DOORWAY_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 character at s (n bytes left): its code point (U+FFFD
 * for a bad sequence) and its length in bytes (at least 1). */
size_t ui_utf8_next(const char *s, size_t n, uint32_t *cp);
/* Columns a code point takes: 0 (controls, combining marks), 1, or 2
 * (East Asian wide). */
int ui_cp_width(uint32_t cp);
/* Columns a string takes. */
int ui_text_width(const char *s);
/* Bytes of the longest prefix of s that fits in maxw columns; its width in
 * *w (may be NULL). */
size_t ui_text_fit(const char *s, int maxw, int *w);
/* The longest end of s that fits in maxw columns, starting on a whole
 * character (the end of a line being typed, when it is too long). */
const char *ui_text_tail(const char *s, int maxw);
/* s clipped to maxw columns, ending in ell ("…" or "~") when cut. */
void ui_text_clip(char *out, size_t outlen, const char *s, int maxw, const char *ell);
/* Word-wrap s into lines of at most width columns. Fills up to max
 * (offset, length) pairs and returns the number of lines needed (may be
 * more than max). */
struct ui_span {
	size_t off, len;
};
int ui_text_wrap(const char *s, int width, struct ui_span *lines, int max);
/* Copy s into out (outlen bytes, NUL-terminated, cut when too long). */
size_t ui_strlcpy(char *out, const char *s, size_t outlen);
/* Line editing in a NUL-terminated buffer of size bytes: remove the last
 * whole UTF-8 character; append code point cp as UTF-8 (false when it
 * does not fit or is a control character). */
void ui_line_backspace(char *buf);
bool ui_line_append(char *buf, size_t size, uint32_t cp);
/* An ASCII spelling of a code point ("->" for an arrow, "..." for an
 * ellipsis, "?" when there is none). */
const char *ui_cp_ascii(uint32_t cp, char buf[8]);

#endif
