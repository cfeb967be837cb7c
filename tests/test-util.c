/* test-util — the terminal escaper every text goes through (titles,
 * captions, diagnostics): controls C0, DEL and C1 (raw or UTF-8 encoded),
 * invisible and reordering characters and bytes that are not UTF-8 come
 * out as \xHH; other UTF-8 stays. And the standard descriptors made valid
 * at start. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void expect_printable(const char *in, const char *want)
{
	char *got = util_printable(in);
	if (strcmp(got, want))
		fail_msg("util_printable(\"%s\"): got \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void test_printable_keeps_text(void **state)
{
	expect_printable("", "");
	expect_printable("UDP hello: \"x\" \\ 100%", "UDP hello: \"x\" \\ 100%");
	expect_printable("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80");
	expect_printable("\xc2\xa0nbsp \xc2\xa9", "\xc2\xa0nbsp \xc2\xa9"); /* U+00A0, first after C1 */
}

static void test_printable_escapes_controls(void **state)
{
	expect_printable("a\x1b]0;x\x07z", "a\\x1b]0;x\\x07z");
	expect_printable("tab\tnl\ndel\x7f", "tab\\x09nl\\x0adel\\x7f");
	/* C1 as UTF-8: U+0080, U+009B CSI, U+009D OSC, U+009F */
	expect_printable("a\xc2\x80" "b\xc2\x9b" "2Jc\xc2\x9d" "0;t\xc2\x9f", "a\\xc2\\x80b\\xc2\\x9b2Jc\\xc2\\x9d0;t\\xc2\\x9f");
	/* C1 as a raw byte (not UTF-8) */
	expect_printable("x\x9b" "2J", "x\\x9b2J");
	expect_printable("\x9d", "\\x9d");
}

static void test_printable_escapes_invisible_and_reordering(void **state)
{
	expect_printable("\xef\xbb\xbftitle", "\\xef\\xbb\\xbftitle");          /* BOM */
	expect_printable("a\xe2\x80\x8b" "b", "a\\xe2\\x80\\x8bb");             /* zero width space */
	expect_printable("a\xe2\x80\x8d" "b", "a\\xe2\\x80\\x8db");             /* zero width joiner */
	expect_printable("x\xe2\x80\xae" "cba", "x\\xe2\\x80\\xaecba");         /* right-to-left override */
	expect_printable("x\xe2\x81\xa6" "y", "x\\xe2\\x81\\xa6y");             /* left-to-right isolate */
	expect_printable("l\xe2\x80\xa8" "m", "l\\xe2\\x80\\xa8m");             /* line separator */
	expect_printable("soft\xc2\xad" "hy", "soft\\xc2\\xadhy");              /* soft hyphen */
	expect_printable("\xf3\xa0\x80\x81", "\\xf3\\xa0\\x80\\x81");           /* a tag character */
}

static void test_printable_escapes_what_is_not_utf8(void **state)
{
	expect_printable("\xc0\xaf", "\\xc0\\xaf");                 /* overlong '/' */
	expect_printable("\xe0\x80\xaf", "\\xe0\\x80\\xaf");         /* overlong */
	expect_printable("\xed\xa0\x80", "\\xed\\xa0\\x80");         /* a surrogate */
	expect_printable("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	expect_printable("end\xe2\x80", "end\\xe2\\x80");            /* cut short */
	expect_printable("\xe2\x80" "a", "\\xe2\\x80a");
	expect_printable("\xff\xfe", "\\xff\\xfe");
}

static void test_printable_next_says_what_it_took(void **state)
{
	struct buf b = { 0 };
	bool esc = true;
	assert_int_equal(util_printable_next(&b, "\xc3\xa9x", 3, &esc), 2);
	assert_false(esc);
	assert_int_equal(util_printable_next(&b, "\xc2\x9bx", 3, &esc), 2);
	assert_true(esc);
	assert_int_equal(util_printable_next(&b, "\x9bx", 2, &esc), 1);
	assert_true(esc);
	assert_int_equal(util_printable_next(&b, "\xe2\x80\x8b", 2, &esc), 1); /* only 2 of 3 bytes there */
	assert_true(esc);
	assert_string_equal(b.p, "\xc3\xa9\\xc2\\x9b\\x9b\\xe2");
	buf_free(&b);
}

/* In a child with descriptor fd closed: util_std_fds makes it valid, and
 * the next file opened gets a number above 2. */
static void test_std_fds_made_valid(void **state)
{
	for (int fd = 0; fd <= 2; fd++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fd);
			if (fd == 0)
				close(1); /* two at once */
			if (util_std_fds() < 0)
				_exit(1);
			for (int k = 0; k <= 2; k++)
				if (fcntl(k, F_GETFD) < 0)
					_exit(2);
			int n = open("/dev/null", O_RDONLY);
			_exit(n > 2 ? 0 : 3);
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	/* nothing closed: nothing opened */
	int before = open("/dev/null", O_RDONLY);
	close(before);
	assert_int_equal(util_std_fds(), 0);
	int after = open("/dev/null", O_RDONLY);
	close(after);
	assert_int_equal(after, before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_keeps_text),
		cmocka_unit_test(test_printable_escapes_controls),
		cmocka_unit_test(test_printable_escapes_invisible_and_reordering),
		cmocka_unit_test(test_printable_escapes_what_is_not_utf8),
		cmocka_unit_test(test_printable_next_says_what_it_took),
		cmocka_unit_test(test_std_fds_made_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
