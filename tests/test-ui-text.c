/* test-ui-text — UTF-8 widths, clipping and word wrap for the TUI's cells. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ui-text.h"

static void test_width(void **state)
{
	assert_int_equal(ui_text_width(""), 0);
	assert_int_equal(ui_text_width("udp :9000"), 9);
	assert_int_equal(ui_text_width("✉ \"hi\""), 6);         /* the envelope is one column */
	assert_int_equal(ui_text_width("80×24"), 5);
	assert_int_equal(ui_text_width("门"), 2);               /* East Asian wide */
	assert_int_equal(ui_text_width("e\xcc\x81"), 1);        /* combining accent */
	assert_int_equal(ui_text_width("\xff\xfe"), 2);         /* bad bytes: one replacement each */
	uint32_t cp;
	assert_int_equal(ui_utf8_next("\xe2\x96\x90", 3, &cp), 3);
	assert_int_equal(cp, 0x2590);
	assert_int_equal(ui_utf8_next("\xe2\x96", 2, &cp), 1);  /* cut short */
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(ui_utf8_next("\xc0\x80", 2, &cp), 2);  /* overlong */
	assert_int_equal(cp, 0xfffd);
}

static void test_fit_and_clip(void **state)
{
	int w;
	assert_int_equal(ui_text_fit("tcp 192.0.2.2:8000", 9, &w), 9);
	assert_int_equal(w, 9);
	/* a wide character never splits */
	assert_int_equal(ui_text_fit("a门b", 2, &w), 1);
	assert_int_equal(w, 1);
	char out[64];
	ui_text_clip(out, sizeof out, "conn: tcp 192.0.2.2:8000", 10, "…");
	assert_string_equal(out, "conn: tcp…");
	assert_int_equal(ui_text_width(out), 10);
	ui_text_clip(out, sizeof out, "short", 10, "…");
	assert_string_equal(out, "short");
	ui_text_clip(out, sizeof out, "abcdef", 3, "~");
	assert_string_equal(out, "ab~");
	ui_text_clip(out, sizeof out, "abcdef", 0, "~");
	assert_string_equal(out, "");
	char small[4];
	assert_int_equal(ui_strlcpy(small, "abcdef", sizeof small), 6);
	assert_string_equal(small, "abc");
}

static void test_wrap(void **state)
{
	struct ui_span l[8];
	const char *s = "The client process opens its own door. It never picks a port.";
	int n = ui_text_wrap(s, 20, l, 8);
	assert_true(n >= 3);
	for (int i = 0; i < n; i++) {
		assert_true(l[i].len <= 20);
		assert_true(s[l[i].off] != ' ');
	}
	/* nothing lost but spaces */
	size_t letters = 0;
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < l[i].len; k++)
			letters += s[l[i].off + k] != ' ';
	size_t want = 0;
	for (const char *p = s; *p; p++)
		want += *p != ' ';
	assert_int_equal(letters, want);
	/* a word longer than the line is cut */
	n = ui_text_wrap("abcdefghij", 4, l, 8);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].len, 4);
	/* newlines break */
	n = ui_text_wrap("one\ntwo", 40, l, 8);
	assert_int_equal(n, 2);
	assert_int_equal(l[1].off, 4);
	/* more lines than room: counted */
	n = ui_text_wrap("a b c d e f g h i j k l", 1, l, 2);
	assert_int_equal(n, 12);
	assert_int_equal(ui_text_wrap("", 10, l, 8), 0);
}

/* The typed line of the picker and the fault prompt: whole characters in
 * and out, never past the buffer, no control characters. */
static void test_line_edit(void **state)
{
	(void)state;
	char b[8] = "";
	assert_true(ui_line_append(b, sizeof b, 'a'));
	assert_true(ui_line_append(b, sizeof b, 0xe9));    /* é: 2 bytes */
	assert_true(ui_line_append(b, sizeof b, 0x2192));  /* →: 3 bytes */
	assert_string_equal(b, "a\xc3\xa9\xe2\x86\x92");
	assert_false(ui_line_append(b, sizeof b, 0x1f600)); /* 4 more bytes do not fit in 8 */
	assert_true(ui_line_append(b, sizeof b, 'z'));
	assert_false(ui_line_append(b, sizeof b, 'y'));     /* full: 7 bytes and the NUL */
	assert_false(ui_line_append(b, sizeof b, '\n'));
	assert_false(ui_line_append(b, sizeof b, 0x1b));
	ui_line_backspace(b);
	assert_string_equal(b, "a\xc3\xa9\xe2\x86\x92");
	ui_line_backspace(b);
	assert_string_equal(b, "a\xc3\xa9");
	ui_line_backspace(b);
	ui_line_backspace(b);
	assert_string_equal(b, "");
	ui_line_backspace(b); /* empty stays empty */
	assert_string_equal(b, "");
	char e[16] = "";
	assert_true(ui_line_append(e, sizeof e, 0x1f600));
	assert_int_equal(strlen(e), 4);
	assert_int_equal(ui_text_width(e), 2);
	/* the end that fits starts on a whole character */
	assert_string_equal(ui_text_tail("a\xc3\xa9\xe2\x86\x92z", 2), "\xe2\x86\x92z");
	assert_string_equal(ui_text_tail("ab", 5), "ab");
	assert_string_equal(ui_text_tail("ab\xf0\x9f\x98\x80", 1), "");
}

static void test_ascii(void **state)
{
	char b[8];
	assert_string_equal(ui_cp_ascii('x', b), "x");
	assert_string_equal(ui_cp_ascii(0x2192, b), "->");
	assert_string_equal(ui_cp_ascii(0x2026, b), "...");
	assert_string_equal(ui_cp_ascii(0x2709, b), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit_and_clip),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_line_edit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
