/* test-regress — every input that once crashed a fuzz harness (or broke one
 * of its invariants) is kept in tests/fuzz/regress/<harness>/ and replayed
 * here through the very harness code (tests/fuzz/fuzz-<harness>.c, built
 * without libFuzzer). A replay that crashes, or aborts on an invariant,
 * fails the test; under `make check-asan` ASan and UBSan watch it too.
 * Also here: regression tests for bugs found by other means (named after
 * what they check). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_REPLAY
#include "fuzz/fuzz.h"
#include "fuzz/common.c"
#include "fuzz/fuzz-decode.c"
#include "fuzz/fuzz-json.c"
#include "fuzz/fuzz-pcapfile.c"
#include "fuzz/fuzz-record.c"
#include "fuzz/fuzz-scenario.c"
#include "fuzz/fuzz-trace.c"

static int regress_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every file of fuzz/regress/<name>/ (run from tests/) through fn. */
static void regress_replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "fuzz/regress/%s", name);
	DIR *d = opendir(dir);
	if (!d) {
		assert_int_equal(errno, ENOENT); /* nothing saved yet */
		return;
	}
	char **files = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README"))
			continue;
		files = realloc(files, (n + 1) * sizeof *files);
		assert_non_null(files);
		files[n] = strdup(de->d_name);
		assert_non_null(files[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(files, n, sizeof *files, regress_cmp);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX + 256];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		struct stat st;
		assert_int_equal(fstat(fd, &st), 0);
		uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
		assert_non_null(buf);
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
			assert_true(r > 0);
			got += (size_t)r;
		}
		close(fd);
		fprintf(stderr, "  replay %s\n", path);
		/* the harness aborts on a broken invariant: cmocka reports the signal */
		assert_int_equal(fn(buf, got), 0);
		free(buf);
		free(files[i]);
	}
	free(files);
}

static void test_regress_scenario(void **state) { regress_replay("scenario", fuzz_scenario); }
static void test_regress_decode(void **state) { regress_replay("decode", fuzz_decode); }
static void test_regress_pcapfile(void **state) { regress_replay("pcapfile", fuzz_pcapfile); }
static void test_regress_trace(void **state) { regress_replay("trace", fuzz_trace); }
static void test_regress_record(void **state) { regress_replay("record", fuzz_record); }
static void test_regress_json(void **state) { regress_replay("json", fuzz_json); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regress_scenario),
		cmocka_unit_test(test_regress_decode),
		cmocka_unit_test(test_regress_pcapfile),
		cmocka_unit_test(test_regress_trace),
		cmocka_unit_test(test_regress_record),
		cmocka_unit_test(test_regress_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
