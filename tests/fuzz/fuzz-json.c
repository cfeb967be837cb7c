/* Fuzz the one JSON string writer (buf_json_str) and the JSON a capture
 * becomes (doorway open FILE --json), checked by a strict validator of its
 * own (RFC 8259 grammar, RFC 3629 UTF-8 decoded by code point: no
 * overlongs, no surrogates, nothing above U+10FFFF, no raw control
 * characters, \u escapes of surrogates only in pairs).
 *
 * Input: the bytes of a string. It is written as a JSON string, which must
 * be valid and must read back (with \u0000-\u00ff as bytes) to exactly the
 * input; then a pcapng capture whose interface is named by the input (up
 * to its first NUL) and that holds a UDP packet carrying the input is
 * opened, and every line trace_print_json writes must be one valid JSON
 * object whose "point" reads back to the name as the reader keeps it. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapfile.h"
#include "trace.h"
#include "util.h"

#define FJ_MAX_DEPTH 32

struct fj {
	const unsigned char *p, *end;
};

static void fj_ws(struct fj *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int fj_hex(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool fj_u4(struct fj *j, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		if (j->p >= j->end || fj_hex(*j->p) < 0)
			return false;
		*v = *v << 4 | (unsigned)fj_hex(*j->p++);
	}
	return true;
}

/* One UTF-8 character decoded by its bits (not by a table of ranges):
 * the code point, or -1 when the bytes are not well-formed UTF-8. */
static long fj_utf8(struct fj *j)
{
	unsigned c = *j->p;
	int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	static const long min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (!len || j->end - j->p < len)
		return -1;
	long cp = len == 1 ? (long)c : (long)(c & (0x7fu >> len));
	for (int k = 1; k < len; k++) {
		if ((j->p[k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (j->p[k] & 0x3f);
	}
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	j->p += len;
	return cp;
}

/* A string literal; when out is given, its value: characters written as
 * they are keep their bytes, escaped ones up to U+00FF become single bytes
 * and the rest UTF-8. */
static bool fj_string(struct fj *j, struct buf *out)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	for (;;) {
		if (j->p >= j->end)
			return false;
		unsigned char c = *j->p;
		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		long cp;
		if (c == '\\') {
			if (j->end - j->p < 2)
				return false;
			unsigned char e = j->p[1];
			j->p += 2;
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *k = e ? strchr(from, e) : NULL;
			if (k) {
				cp = (unsigned char)to[k - from];
			} else if (e == 'u') {
				unsigned v, w;
				if (!fj_u4(j, &v))
					return false;
				if (v >= 0xdc00 && v <= 0xdfff)
					return false; /* a low surrogate alone */
				if (v >= 0xd800 && v <= 0xdbff) {
					if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
						return false;
					j->p += 2;
					if (!fj_u4(j, &w) || w < 0xdc00 || w > 0xdfff)
						return false;
					v = 0x10000 + ((v - 0xd800) << 10) + (w - 0xdc00);
				}
				cp = (long)v;
			} else {
				return false;
			}
		} else {
			const unsigned char *start = j->p;
			if (fj_utf8(j) < 0)
				return false;
			if (out) /* a character as it is: its bytes */
				buf_add(out, start, (size_t)(j->p - start));
			continue;
		}
		if (!out)
			continue;
		if (cp < 0x100) {
			buf_addc(out, (char)cp);
		} else {
			char u[4];
			int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
			u[0] = (char)(n == 2 ? 0xc0 | cp >> 6 : n == 3 ? 0xe0 | cp >> 12 : 0xf0 | cp >> 18);
			for (int k = 1; k < n; k++)
				u[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3f));
			buf_add(out, u, (size_t)n);
		}
	}
}

static bool fj_number(struct fj *j)
{
	const unsigned char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end)
		return false;
	if (*j->p == '0') {
		j->p++;
	} else if (*j->p >= '1' && *j->p <= '9') {
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		return false;
	}
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

static bool fj_word(struct fj *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static bool fj_value(struct fj *j, int depth)
{
	fj_ws(j);
	if (j->p >= j->end || depth > FJ_MAX_DEPTH)
		return false;
	switch (*j->p) {
	case '{':
	case '[': {
		bool obj = *j->p == '{';
		unsigned char close = obj ? '}' : ']';
		j->p++;
		fj_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		for (;;) {
			if (obj) {
				fj_ws(j);
				if (!fj_string(j, NULL))
					return false;
				fj_ws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return false;
			}
			if (!fj_value(j, depth + 1))
				return false;
			fj_ws(j);
			if (j->p >= j->end)
				return false;
			if (*j->p == close) {
				j->p++;
				return true;
			}
			if (*j->p++ != ',')
				return false;
		}
	}
	case '"':
		return fj_string(j, NULL);
	case 't':
		return fj_word(j, "true");
	case 'f':
		return fj_word(j, "false");
	case 'n':
		return fj_word(j, "null");
	default:
		return fj_number(j);
	}
}

bool fuzz_json_valid(const char *s, size_t n)
{
	struct fj j = { (const unsigned char *)s, (const unsigned char *)s + n };
	if (!fj_value(&j, 0))
		return false;
	fj_ws(&j);
	return j.p == j.end;
}

bool fuzz_json_unquote(const char *s, size_t n, struct buf *out)
{
	struct fj j = { (const unsigned char *)s, (const unsigned char *)s + n };
	return fj_string(&j, out) && j.p == j.end;
}

/* The value of "key" in a flat JSON object line (the first occurrence at
 * object level is what our writers put there). */
static bool fuzz_json_member(const char *line, size_t n, const char *key, struct buf *out)
{
	struct fj j = { (const unsigned char *)line, (const unsigned char *)line + n };
	fj_ws(&j);
	if (j.p >= j.end || *j.p++ != '{')
		return false;
	for (;;) {
		fj_ws(&j);
		struct buf k = { 0 };
		bool ok = fj_string(&j, &k);
		bool match = ok && k.len == strlen(key) && !memcmp(k.p, key, k.len);
		buf_free(&k);
		if (!ok)
			return false;
		fj_ws(&j);
		if (j.p >= j.end || *j.p++ != ':')
			return false;
		fj_ws(&j);
		if (match)
			return fj_string(&j, out);
		if (!fj_value(&j, 1))
			return false;
		fj_ws(&j);
		if (j.p >= j.end || *j.p++ != ',')
			return false;
	}
}

/* A capture named by the input and carrying it, opened and printed as JSON. */
static void fuzz_json_capture(const uint8_t *data, size_t size)
{
	char name[PCAPFILE_MAX_IFSTR + 1];
	size_t nl = strnlen((const char *)data, size < PCAPFILE_MAX_IFSTR ? size : PCAPFILE_MAX_IFSTR);
	memcpy(name, data, nl);
	name[nl] = '\0';
	char err[UTIL_ERRLEN];
	int fd = fuzz_memfd(NULL, 0);
	FUZZ_CHECK(fd >= 0);
	struct pcapng_writer *w = pcapng_writer_open_fd(fd, "fuzz", err);
	FUZZ_CHECK(w != NULL);
	FUZZ_CHECK(pcapng_writer_add_if(w, name[0] ? name : NULL, name, DEC_DLT_EN10MB, 262144) == 0);
	/* Ethernet, IPv4 192.0.2.1 -> 192.0.2.2, UDP 40000 -> 9000, the input as payload */
	size_t pl = size < 1400 ? size : 1400;
	uint8_t f[14 + 20 + 8 + 1400];
	static const uint8_t hdr[14 + 20 + 8] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x9c, 0x40, 0x23, 0x28, 0, 0, 0, 0,
	};
	memcpy(f, hdr, sizeof hdr);
	f[16] = (uint8_t)((20 + 8 + pl) >> 8);
	f[17] = (uint8_t)(20 + 8 + pl);
	f[38] = (uint8_t)((8 + pl) >> 8);
	f[39] = (uint8_t)(8 + pl);
	memcpy(f + sizeof hdr, data, pl);
	uint32_t len = (uint32_t)(sizeof hdr + pl);
	FUZZ_CHECK(pcapng_writer_packet(w, 0, 1700000000000000000ull, f, len, len, name) == 0);
	FUZZ_CHECK(pcapng_writer_close(w, err) == 0);

	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct trace *t = trace_open(path, err);
	close(fd);
	FUZZ_CHECK(t != NULL);
	char *out = NULL;
	size_t outlen = 0;
	FILE *mf = open_memstream(&out, &outlen);
	FUZZ_CHECK(mf != NULL);
	trace_print_json(t, mf);
	FUZZ_CHECK(fclose(mf) == 0);
	const char *want = trace_point_name(t, 0);
	size_t npackets = 0;
	for (const char *l = out; l < out + outlen;) {
		const char *nlp = memchr(l, '\n', (size_t)(out + outlen - l));
		FUZZ_CHECK(nlp != NULL); /* every object ends its line */
		FUZZ_CHECK(fuzz_json_valid(l, (size_t)(nlp - l)));
		struct buf v = { 0 };
		if (fuzz_json_member(l, (size_t)(nlp - l), "point", &v)) {
			FUZZ_CHECK(v.len == strlen(want) && !memcmp(v.p, want, v.len));
			npackets++;
		}
		buf_free(&v);
		l = nlp + 1;
	}
	FUZZ_CHECK(npackets == 1);
	free(out);
	trace_free(t);
}

int fuzz_json(const uint8_t *data, size_t size)
{
	struct buf b = { 0 }, back = { 0 };
	buf_json_str(&b, (const char *)data, size);
	FUZZ_CHECK(b.p != NULL && fuzz_json_valid(b.p, b.len));
	FUZZ_CHECK(fuzz_json_unquote(b.p, b.len, &back));
	FUZZ_CHECK(back.len == size && (size == 0 || !memcmp(back.p, data, size)));
	buf_free(&back);
	buf_free(&b);
	fuzz_json_capture(data, size);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_json(data, size);
}
#endif
