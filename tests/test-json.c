/* test-json — the one JSON string writer (buf_json_str, util_utf8_seq) and
 * the JSON made from captures with hostile names, checked by the strict
 * validator of tests/fuzz/fuzz-json.c (which decodes UTF-8 by its bits, not
 * by the writer's table). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REPLAY
#include "fuzz/fuzz.h"
#include "fuzz/common.c"
#include "fuzz/fuzz-json.c"

#include "trace.h"
#include "util.h"

static const struct {
	const char *in;
	size_t n;       /* 0: strlen */
	const char *out; /* the exact JSON, or NULL: only valid and read back */
} json_cases[] = {
	{ "plain", 0, "\"plain\"" },
	{ "\\Device\\NPF_{4E273621-5161-46C8-895A-48D0E52A0B83}", 0,
	  "\"\\\\Device\\\\NPF_{4E273621-5161-46C8-895A-48D0E52A0B83}\"" },
	{ "eth0\",\"dir\":\"depart", 0, "\"eth0\\\",\\\"dir\\\":\\\"depart\"" },
	{ "\xff\x80\x80", 0, "\"\\u00ff\\u0080\\u0080\"" },     /* F5-FF are no lead bytes */
	{ "\xf5\x80\x80\x80", 0, "\"\\u00f5\\u0080\\u0080\\u0080\"" },
	{ "\xed\xa0\x80", 0, "\"\\u00ed\\u00a0\\u0080\"" },     /* a surrogate, U+D800 */
	{ "\xed\xbf\xbf", 0, "\"\\u00ed\\u00bf\\u00bf\"" },     /* U+DFFF */
	{ "\xc0\xaf", 0, "\"\\u00c0\\u00af\"" },                /* overlong '/' */
	{ "\xc1\xbf", 0, "\"\\u00c1\\u00bf\"" },
	{ "\xe0\x80\xaf", 0, "\"\\u00e0\\u0080\\u00af\"" },     /* overlong, 3 bytes */
	{ "\xf0\x80\x80\xaf", 0, "\"\\u00f0\\u0080\\u0080\\u00af\"" },
	{ "\xf4\x90\x80\x80", 0, "\"\\u00f4\\u0090\\u0080\\u0080\"" }, /* above U+10FFFF */
	{ "\xe2\x82", 0, "\"\\u00e2\\u0082\"" },                /* cut short */
	{ "\x80", 0, "\"\\u0080\"" },                           /* a lone continuation */
	{ "a\0b", 3, "\"a\\u0000b\"" },
	{ "\x01\x1f\x7f", 0, "\"\\u0001\\u001f\\u007f\"" },
	{ "tab\there\nline\r", 0, "\"tab\\there\\nline\\r\"" },
	{ "h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9d\x84\x9e", 0,
	  "\"h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9d\x84\x9e\"" },
	{ "\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf", 0,        /* U+D7FF U+E000 U+10FFFF */
	  "\"\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"" },
	{ "\xc2\x9b[31m", 0, NULL },                            /* C1 CSI: valid UTF-8 */
	{ "\xe2\x82\xac\xff\xe2\x82\xac", 0, "\"\xe2\x82\xac\\u00ff\xe2\x82\xac\"" },
};

static void test_json_hostile_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof json_cases / sizeof json_cases[0]; i++) {
		const char *in = json_cases[i].in;
		size_t n = json_cases[i].n ? json_cases[i].n : strlen(in);
		struct buf b = { 0 }, back = { 0 };
		buf_json_str(&b, in, n);
		if (!fuzz_json_valid(b.p, b.len))
			fail_msg("case %zu: invalid JSON %s", i, b.p);
		if (json_cases[i].out)
			assert_string_equal(b.p, json_cases[i].out);
		assert_true(fuzz_json_unquote(b.p, b.len, &back));
		assert_int_equal(back.len, n);
		assert_memory_equal(back.p, in, n);
		buf_free(&b);
		buf_free(&back);
		/* and as a capture's interface name and payload */
		assert_int_equal(fuzz_json((const uint8_t *)in, n), 0);
	}
}

/* The writer's UTF-8 check against a decoder working by bits, over every
 * first three bytes (and a fourth byte that continues, or does not). */
static void test_json_utf8_exhaustive(void **state)
{
	(void)state;
	unsigned char s[4];
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			for (unsigned c = 0; c < 256; c++)
				for (int k = 0; k < 2; k++) {
					s[0] = (unsigned char)a, s[1] = (unsigned char)b;
					s[2] = (unsigned char)c, s[3] = k ? 0x80 : 0x41;
					struct fj j = { s, s + 4 };
					size_t want = fj_utf8(&j) < 0 ? 0 : (size_t)(j.p - s);
					size_t got = util_utf8_seq(s, 4);
					if (got != want)
						fail_msg("%02x %02x %02x %02x: %zu, want %zu", a, b, c, s[3], got,
							 want);
				}
	/* and never past the end */
	s[0] = 0xe2, s[1] = 0x82, s[2] = 0xac;
	assert_int_equal(util_utf8_seq(s, 3), 3);
	assert_int_equal(util_utf8_seq(s, 2), 0);
	assert_int_equal(util_utf8_seq(s, 0), 0);
}

/* A capture point's name is kept whole (not cut at 47 bytes) and every
 * JSON line stays valid whatever it holds. */
static void test_json_point_names(void **state)
{
	(void)state;
	static const char *names[] = {
		"\\Device\\NPF_{4E273621-5161-46C8-895A-48D0E52A0B83} with a long tail past 47 bytes",
		"bad\"name\\\xff\xed\xa0\x80",
	};
	static const uint8_t frame[14 + 20 + 8 + 2] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 30, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x9c, 0x40, 0x23, 0x28, 0, 10, 0, 0, 0xff, 0x80,
	};
	struct trace *t = trace_new();
	for (size_t i = 0; i < 2; i++) {
		int pt = trace_add_point(t, names[i], -1, false, DEC_DLT_EN10MB);
		assert_string_equal(trace_point_name(t, pt), names[i]);
		trace_add_packet(t, pt, 1000 + i, frame, sizeof frame, sizeof frame);
	}
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	assert_non_null(f);
	trace_print_json(t, f);
	assert_int_equal(fclose(f), 0);
	size_t seen = 0;
	for (const char *l = out; l < out + outlen;) {
		const char *nl = memchr(l, '\n', (size_t)(out + outlen - l));
		assert_non_null(nl);
		if (!fuzz_json_valid(l, (size_t)(nl - l)))
			fail_msg("invalid JSON line: %.*s", (int)(nl - l), l);
		struct buf v = { 0 };
		if (fuzz_json_member(l, (size_t)(nl - l), "point", &v)) {
			assert_int_equal(v.len, strlen(names[seen]));
			assert_memory_equal(v.p, names[seen], v.len);
			seen++;
		}
		buf_free(&v);
		l = nl + 1;
	}
	assert_int_equal(seen, 2);
	free(out);
	trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_hostile_strings),
		cmocka_unit_test(test_json_utf8_exhaustive),
		cmocka_unit_test(test_json_point_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
