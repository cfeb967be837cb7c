/* test-ui-keys — the key table: every action reachable, no key bound twice,
 * and the README's key table is the one generated from it.
 *   UI_KEYS_MARKDOWN=1 build/tests/test-ui-keys   prints the table */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-keys.h"
#include "ui-term.h"
#include "util.h"

static void test_table(void **state)
{
	for (size_t i = 0; i < ui_nkeys; i++) {
		assert_true(ui_keys[i].keys[0] != 0);
		assert_true(ui_keys[i].help[0] && ui_keys[i].label[0]);
		for (int k = 0; k < UI_KEYS_PER_ACTION && ui_keys[i].keys[k]; k++) {
			/* the first entry that has the key is this one */
			assert_int_equal(ui_key_action(ui_keys[i].keys[k]), ui_keys[i].action);
			for (size_t j = i + 1; j < ui_nkeys; j++)
				for (int m = 0; m < UI_KEYS_PER_ACTION && ui_keys[j].keys[m]; m++)
					assert_int_not_equal(ui_keys[i].keys[k], ui_keys[j].keys[m]);
		}
	}
	/* the keys */
	assert_int_equal(ui_key_action(' '), UI_A_NEXT);
	assert_int_equal(ui_key_action(UI_KEY_RIGHT), UI_A_NEXT);
	assert_int_equal(ui_key_action('l'), UI_A_NEXT);
	assert_int_equal(ui_key_action(UI_KEY_LEFT), UI_A_BACK);
	assert_int_equal(ui_key_action('h'), UI_A_BACK);
	assert_int_equal(ui_key_action('b'), UI_A_BACK);
	assert_int_equal(ui_key_action('p'), UI_A_PLAY);
	assert_int_equal(ui_key_action(UI_KEY_ENTER), UI_A_PLAY);
	assert_int_equal(ui_key_action('+'), UI_A_FASTER);
	assert_int_equal(ui_key_action('-'), UI_A_SLOWER);
	assert_int_equal(ui_key_action('g'), UI_A_FIRST);
	assert_int_equal(ui_key_action('G'), UI_A_LAST);
	assert_int_equal(ui_key_action('\t'), UI_A_PANE);
	assert_int_equal(ui_key_action(UI_KEY_UP), UI_A_UP);
	assert_int_equal(ui_key_action('k'), UI_A_UP);
	assert_int_equal(ui_key_action(UI_KEY_DOWN), UI_A_DOWN);
	assert_int_equal(ui_key_action('j'), UI_A_DOWN);
	assert_int_equal(ui_key_action('r'), UI_A_RESTART);
	assert_int_equal(ui_key_action('o'), UI_A_OPEN);
	assert_int_equal(ui_key_action('?'), UI_A_HELP);
	assert_int_equal(ui_key_action('q'), UI_A_QUIT);
	assert_int_equal(ui_key_action('Z'), UI_A_NONE);
	assert_int_equal(ui_key_action(0), UI_A_NONE);
}

static void test_readme(void **state)
{
	struct buf b = { 0 };
	ui_keys_markdown(&b);
	buf_addc(&b, '\0');
	FILE *f = fopen("../README.md", "r");
	assert_non_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *tui = strstr(text, "\n## The TUI");
	assert_non_null(tui);
	if (!strstr(tui, b.p)) {
		fprintf(stderr, "README.md's key table differs from ui/ui-keys.c; the table is:\n%s", b.p);
		fail();
	}
	buf_free(&b);
}

int main(void)
{
	if (getenv("UI_KEYS_MARKDOWN")) {
		struct buf b = { 0 };
		ui_keys_markdown(&b);
		fwrite(b.p, 1, b.len, stdout);
		buf_free(&b);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_readme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
