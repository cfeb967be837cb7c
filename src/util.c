#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static void (*util_teardown_fn)(void);

void util_set_teardown(void (*fn)(void)) { util_teardown_fn = fn; }

void util_run_teardown(void)
{
	void (*fn)(void) = util_teardown_fn;
	util_teardown_fn = NULL; /* at most once, even if it fails itself */
	if (fn)
		fn();
}

int util_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: this one */
		int n = open("/dev/null", O_RDWR);
		if (n != fd) {
			if (n >= 0)
				close(n);
			return -1;
		}
	}
	return 0;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatalx("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		fatalx("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		fatalx("allocation overflow: %zu x %zu bytes", nmemb, size);
	size_t n = nmemb * size;
	void *q = realloc(p, n ? n : 1);
	if (!q)
		fatalx("out of memory allocating %zu x %zu bytes", nmemb, size);
	return q;
}

char *xstrdup(const char *s) { return xmemdup(s, strlen(s) + 1); }

char *xstrndup(const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *d = xmalloc(l + 1);
	memcpy(d, s, l);
	d[l] = '\0';
	return d;
}

void *xmemdup(const void *p, size_t n)
{
	void *d = xmalloc(n);
	if (n)
		memcpy(d, p, n);
	return d;
}

int xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("out of memory formatting a string");
	return n;
}

__attribute__((noreturn)) static void util_vfatal(int errnum, const char *fmt, va_list ap)
{
	util_run_teardown();
	fputs("doorway: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
	exit(1);
}

void fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	util_vfatal(e, fmt, ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	util_vfatal(0, fmt, ap);
}

int util_err(char *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, UTIL_ERRLEN, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static uint64_t util_clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t util_now_mono_ns(void) { return util_clock_ns(CLOCK_MONOTONIC); }
uint64_t util_now_real_ns(void) { return util_clock_ns(CLOCK_REALTIME); }

int util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int util_stop_signal_fd(void)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t blocked, want;
	if (sigprocmask(SIG_BLOCK, NULL, &blocked) < 0)
		return -1;
	sigemptyset(&want);
	bool any = false;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(stops); i++)
		if (sigismember(&blocked, stops[i]) == 1) {
			sigaddset(&want, stops[i]);
			any = true;
		}
	return any ? signalfd(-1, &want, SFD_NONBLOCK | SFD_CLOEXEC) : -1;
}

size_t util_escape(char *out, size_t outlen, const uint8_t *p, size_t n)
{
	size_t o = 0;
	if (!outlen)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[8];
		uint8_t c = p[i];
		size_t tl = 2;
		switch (c) {
		case '\n': memcpy(tmp, "\\n", 2); break;
		case '\r': memcpy(tmp, "\\r", 2); break;
		case '\t': memcpy(tmp, "\\t", 2); break;
		case '\\': memcpy(tmp, "\\\\", 2); break;
		case '"': memcpy(tmp, "\\\"", 2); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				tmp[0] = (char)c;
				tl = 1;
			} else {
				static const char hex[] = "0123456789abcdef";
				tmp[0] = '\\';
				tmp[1] = 'x';
				tmp[2] = hex[c >> 4];
				tmp[3] = hex[c & 15];
				tl = 4;
			}
		}
		/* keep room for "..." unless this is the last byte */
		size_t need = tl + (i + 1 < n ? 3 : 0);
		if (o + need >= outlen) {
			if (o + 3 < outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, tl);
		o += tl;
	}
	out[o] = '\0';
	return o;
}

/* Characters a terminal must not be handed as they are: controls (C0, DEL
 * and C1, which a terminal may take as the start of an escape sequence
 * even when UTF-8 encoded: U+009B is CSI, U+009D OSC) and characters that
 * show nothing or reorder the text around them (zero-width, bidi
 * overrides and isolates, line separators, the BOM, soft hyphen). */
static bool util_cp_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad || cp == 0x34f || cp == 0x61c ||
	       cp == 0x115f || cp == 0x1160 || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0x3164 ||
	       cp == 0xfeff || cp == 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

size_t util_printable_next(struct buf *b, const char *s, size_t n, bool *escaped)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t l = util_utf8_seq(p, n);
	uint32_t cp = l == 1 ? p[0] : l ? p[0] & (0x7fu >> l) : 0; /* well-formed: decode it */
	for (size_t i = 1; i < l; i++)
		cp = cp << 6 | (p[i] & 0x3fu);
	bool esc = !l || util_cp_hidden(cp);
	if (!l)
		l = n ? 1 : 0; /* a byte that is not UTF-8: itself, escaped */
	if (escaped)
		*escaped = esc;
	if (esc)
		for (size_t i = 0; i < l; i++)
			buf_printf(b, "\\x%02x", p[i]);
	else
		buf_add(b, s, l);
	return l;
}

char *util_printable(const char *s)
{
	struct buf b = { 0 };
	size_t n = strlen(s);
	for (size_t i = 0; i < n;)
		i += util_printable_next(&b, s + i, n - i, NULL);
	if (!b.p)
		return xstrdup("");
	return b.p;
}

static void buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_addstr(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_add_i64(struct buf *b, int64_t v)
{
	char d[24];
	size_t i = sizeof d;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		d[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		d[--i] = '-';
	buf_add(b, d + i, sizeof d - i);
}

void buf_add_u64(struct buf *b, uint64_t v)
{
	char d[24];
	size_t i = sizeof d;
	do
		d[--i] = (char)('0' + v % 10);
	while (v /= 10);
	buf_add(b, d + i, sizeof d - i);
}

/* Formatted straight into the buffer's room (a second time when it was
 * too small): no allocation per call, which --json of a large capture
 * makes millions of. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	buf_reserve(b, 63);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	if (n < 0)
		fatalx("cannot format a string");
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

size_t util_utf8_seq(const void *s, size_t n)
{
	const unsigned char *p = s;
	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	/* RFC 3629 section 4: the second byte's range depends on the first
	 * (no overlongs, no surrogates, nothing above U+10FFFF) */
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] == 0xe0)
		len = 3, lo = 0xa0;
	else if (p[0] == 0xed)
		len = 3, hi = 0x9f;
	else if (p[0] >= 0xe1 && p[0] <= 0xef)
		len = 3;
	else if (p[0] == 0xf0)
		len = 4, lo = 0x90;
	else if (p[0] >= 0xf1 && p[0] <= 0xf3)
		len = 4;
	else if (p[0] == 0xf4)
		len = 4, hi = 0x8f;
	else
		return 0; /* 80-C1 (continuations, overlong leads), F5-FF */
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void buf_json_str(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_addstr(b, "\\\""); break;
		case '\\': buf_addstr(b, "\\\\"); break;
		case '\n': buf_addstr(b, "\\n"); break;
		case '\r': buf_addstr(b, "\\r"); break;
		case '\t': buf_addstr(b, "\\t"); break;
		default:
			if (c >= 0x80) {
				/* valid UTF-8 stays as it is; any other byte becomes \u00XX */
				size_t l = util_utf8_seq(s + i, n - i);
				if (l) {
					buf_add(b, s + i, l);
					i += l - 1;
				} else {
					buf_printf(b, "\\u%04x", c);
				}
			} else if (c < 0x20 || c == 0x7f) {
				buf_printf(b, "\\u%04x", c);
			} else {
				buf_addc(b, (char)c);
			}
		}
	}
	buf_addc(b, '"');
}

void buf_json_field(struct buf *b, const char *key, const char *value)
{
	buf_add(b, ",\"", 2);
	buf_addstr(b, key);
	buf_add(b, "\":", 2);
	buf_json_str(b, value, strlen(value));
}
