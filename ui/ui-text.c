#include "ui-text.h"

#include <stdio.h>
#include <string.h>

size_t ui_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (n == 0) {
		*cp = 0;
		return 0;
	}
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = 0xfffd;
		return len;
	}
	*cp = v;
	return len;
}

int ui_cp_width(uint32_t cp)
{
	if (cp == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	    (cp >= 0x20d0 && cp <= 0x20ff))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
	    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

int ui_text_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s);
	while (n) {
		uint32_t cp;
		size_t l = ui_utf8_next(s, n, &cp);
		w += ui_cp_width(cp);
		s += l;
		n -= l;
	}
	return w;
}

size_t ui_text_fit(const char *s, int maxw, int *wout)
{
	int w = 0;
	size_t n = strlen(s), off = 0;
	while (off < n) {
		uint32_t cp;
		size_t l = ui_utf8_next(s + off, n - off, &cp);
		int cw = ui_cp_width(cp);
		if (w + cw > maxw)
			break;
		w += cw;
		off += l;
	}
	if (wout)
		*wout = w;
	return off;
}

void ui_text_clip(char *out, size_t outlen, const char *s, int maxw, const char *ell)
{
	if (!outlen)
		return;
	out[0] = '\0';
	if (maxw <= 0)
		return;
	if (ui_text_width(s) <= maxw) {
		snprintf(out, outlen, "%s", s);
		return;
	}
	int ew = ui_text_width(ell);
	size_t keep = ui_text_fit(s, maxw - ew > 0 ? maxw - ew : 0, NULL);
	snprintf(out, outlen, "%.*s%s", (int)keep, s, maxw > ew ? ell : "");
}

int ui_text_wrap(const char *s, int width, struct ui_span *lines, int max)
{
	if (width < 1)
		width = 1;
	int nl = 0;
	size_t n = strlen(s), off = 0;
	while (off < n) {
		/* skip the spaces a line would start with */
		while (off < n && s[off] == ' ')
			off++;
		if (off >= n)
			break;
		size_t start = off, last_break = 0, pos = off;
		int w = 0;
		bool broke = false;
		while (pos < n) {
			if (s[pos] == '\n') {
				last_break = pos;
				broke = true;
				break;
			}
			uint32_t cp;
			size_t l = ui_utf8_next(s + pos, n - pos, &cp);
			int cw = ui_cp_width(cp);
			if (w + cw > width)
				break;
			if (cp == ' ')
				last_break = pos;
			w += cw;
			pos += l;
		}
		size_t end;
		if (broke) {
			end = last_break;
		} else if (pos >= n) {
			end = n;
		} else if (s[pos] == ' ') {
			end = pos;
		} else if (last_break > start) {
			end = last_break;
		} else {
			end = pos > start ? pos : start + 1; /* a word longer than the line: cut it */
		}
		if (nl < max && lines) {
			size_t e = end;
			while (e > start && s[e - 1] == ' ')
				e--;
			lines[nl].off = start;
			lines[nl].len = e - start;
		}
		nl++;
		off = end;
		if (broke)
			off++;
	}
	return nl;
}

size_t ui_strlcpy(char *out, const char *s, size_t outlen)
{
	size_t n = strlen(s);
	if (outlen) {
		size_t c = n < outlen - 1 ? n : outlen - 1;
		memcpy(out, s, c);
		out[c] = '\0';
	}
	return n;
}

const char *ui_cp_ascii(uint32_t cp, char buf[8])
{
	static const struct {
		uint32_t cp;
		const char *s;
	} map[] = {
		{ 0x2014, "--" }, { 0x2013, "-" },  { 0x2018, "'" },  { 0x2019, "'" },  { 0x201c, "\"" },
		{ 0x201d, "\"" }, { 0x2026, "..." }, { 0x2192, "->" }, { 0x2190, "<-" }, { 0x2194, "<->" },
		{ 0x00b7, "." },  { 0x00d7, "x" },  { 0x2022, "*" },  { 0x00a0, " " },  { 0x2260, "!=" },
		{ 0x2264, "<=" }, { 0x2265, ">=" }, { 0x21c4, "<->" },
	};
	if (cp < 0x80) {
		buf[0] = (char)cp;
		buf[1] = '\0';
		return buf;
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].cp == cp)
			return map[i].s;
	return "?";
}

void ui_line_backspace(char *buf)
{
	size_t l = strlen(buf);
	while (l > 0 && ((unsigned char)buf[l - 1] & 0xc0) == 0x80)
		buf[--l] = '\0';
	if (l > 0)
		buf[--l] = '\0';
}

bool ui_line_append(char *buf, size_t size, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return false;
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	size_t l = strlen(buf);
	if (l + n >= size)
		return false;
	memcpy(buf + l, u, n);
	buf[l + n] = '\0';
	return true;
}

const char *ui_text_tail(const char *s, int maxw)
{
	size_t n = strlen(s);
	int w = ui_text_width(s);
	while (*s && w > maxw) {
		uint32_t cp;
		size_t k = ui_utf8_next(s, n, &cp);
		w -= ui_cp_width(cp);
		s += k;
		n -= k;
	}
	return s;
}
