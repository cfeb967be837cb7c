/* util — allocation that never returns NULL, fatal errors that restore the
 * terminal and the lab first, small string helpers. */
#ifndef DOORWAY_UTIL_H
#define DOORWAY_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTIL_ERRLEN 256
#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Make descriptors 0, 1 and 2 valid (/dev/null for a closed one), so no
 * file doorway opens later becomes standard output by accident. Call it
 * first in main. 0, or -1 if /dev/null cannot be opened. */
int util_std_fds(void);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
int xasprintf(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Registered once by whoever owns the terminal / the lab: runs before any
 * fatal message is printed, at most once. */
void util_set_teardown(void (*fn)(void));
void util_run_teardown(void);

/* Print "doorway: <msg>: <strerror(errno)>" after tear-down and exit(1). */
__attribute__((noreturn, format(printf, 1, 2))) void fatal(const char *fmt, ...);
/* Same without errno. */
__attribute__((noreturn, format(printf, 1, 2))) void fatalx(const char *fmt, ...);

/* snprintf into a caller's err buffer (UTIL_ERRLEN), returns -1 for chaining:
 *   return util_err(err, "open %s: %s", path, strerror(errno)); */
int util_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Monotonic and wall clocks in nanoseconds. */
uint64_t util_now_mono_ns(void);
uint64_t util_now_real_ns(void);

/* Write all of buf to fd, retrying on EINTR/partial writes. 0 or -1. */
int util_write_all(int fd, const void *buf, size_t len);

/* A descriptor that polls readable while SIGINT, SIGTERM or SIGHUP is
 * pending, for those of them that are blocked (routed through the loop's
 * signalfd): a wait in poll() outside the loop ends on Ctrl-C without
 * taking the signal from the loop, which handles it next. -1 when none is
 * blocked (they then act by themselves). The caller closes it. */
int util_stop_signal_fd(void);

/* Escape bytes for display: printable ASCII as is, \n \r \t \\ \" and \xHH
 * otherwise. Writes at most outlen-1 chars plus NUL; returns chars written.
 * Stops early (appending "...") when the output would not fit. */
size_t util_escape(char *out, size_t outlen, const uint8_t *p, size_t n);

/* A copy of s safe to print on a terminal: valid UTF-8 stays as it is,
 * except controls (C0, DEL, C1 such as U+009B CSI) and characters that are
 * invisible or reorder text (zero-width, bidi controls, the BOM); those and
 * bytes that are not UTF-8 become \xHH, one per byte, as a scenario would
 * write them. The escaper of every text (titles, captions, diagnostics)
 * that reaches a terminal. */
char *util_printable(const char *s);

/* Growable byte/char buffer. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_add(struct buf *b, const void *p, size_t n);
/* One byte: inline, as the JSON string writer adds most bytes one by one. */
static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
	} else {
		buf_add(b, &c, 1);
	}
}
void buf_addstr(struct buf *b, const char *s);
/* A number in decimal, as printf's %lld / %llu writes it. */
void buf_add_i64(struct buf *b, int64_t v);
void buf_add_u64(struct buf *b, uint64_t v);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_free(struct buf *b);
/* util_printable for one character: append the first character of s (n
 * bytes available, n > 0) to b, as it is or escaped; the bytes it took
 * (>= 1). *escaped (if not NULL) says which. */
size_t util_printable_next(struct buf *b, const char *s, size_t n, bool *escaped);
/* Length of the well-formed UTF-8 sequence at s (at most n bytes; RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF), 1 for ASCII,
 * 0 when the bytes there are not UTF-8. */
size_t util_utf8_seq(const void *s, size_t n);

/* The one JSON string writer: every string of every JSON output (--json,
 * --calls --json, trace.jsonl) goes through it. A JSON string literal
 * (with quotes) of n bytes: well-formed UTF-8 is kept as it is, " and \
 * and control characters are escaped, and every byte that is not part of
 * well-formed UTF-8 becomes \u00XX (the byte's value as a code point: the
 * result is always valid JSON, and a reader that maps \u0000-\u00ff back
 * to bytes gets the original bytes). */
void buf_json_str(struct buf *b, const char *s, size_t n);
/* ,"key":"value" with value through buf_json_str (key is a literal). */
void buf_json_field(struct buf *b, const char *key, const char *value);

#endif
