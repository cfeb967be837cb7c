/* Fuzz `doorway open RUN_DIR`: a run folder shared by someone else. The
 * input is the folder's three files, scenario.lab, trace.jsonl and
 * capture.pcapng, in that order, separated by lines "%%%%" (a missing part
 * is an empty file). The folder is written to a private directory on
 * /dev/shm, loaded with record_load, and the trace toured like any other. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "trace.h"
#include "util.h"

#define FUZZ_SEP "\n%%%%\n"

static char fuzz_dir_path[64];

static void fuzz_dir_remove(void)
{
	static const char *names[] = { "scenario.lab", "trace.jsonl", "capture.pcapng" };
	char path[128];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_dir_path, names[i]);
		unlink(path);
	}
	rmdir(fuzz_dir_path);
}

static const char *fuzz_dir(void)
{
	char *dir = fuzz_dir_path;
	if (!dir[0]) {
		snprintf(dir, sizeof fuzz_dir_path, "/dev/shm/doorway-fuzz-record.XXXXXX");
		if (!mkdtemp(dir)) {
			snprintf(dir, sizeof fuzz_dir_path, "/tmp/doorway-fuzz-record.XXXXXX");
			if (!mkdtemp(dir))
				abort();
		}
		atexit(fuzz_dir_remove);
	}
	return dir;
}

/* The next part of the input up to the separator (or the end). */
static const uint8_t *fuzz_part(const uint8_t **p, const uint8_t *end, size_t *len, bool last)
{
	const uint8_t *start = *p;
	const uint8_t *sep = last ? NULL : memmem(start, (size_t)(end - start), FUZZ_SEP, strlen(FUZZ_SEP));
	if (!sep) {
		*len = (size_t)(end - start);
		*p = end;
	} else {
		*len = (size_t)(sep - start);
		*p = sep + strlen(FUZZ_SEP);
	}
	return start;
}

int fuzz_record(const uint8_t *data, size_t size)
{
	static const char *names[] = { "scenario.lab", "trace.jsonl", "capture.pcapng" };
	const char *dir = fuzz_dir();
	const uint8_t *p = data, *end = data + size;
	char path[128];
	for (int i = 0; i < 3; i++) {
		size_t len;
		const uint8_t *part = fuzz_part(&p, end, &len, i == 2);
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FUZZ_CHECK(fuzz_write_file(path, part, len) == 0);
	}
	char err[UTIL_ERRLEN] = "";
	struct trace *t = trace_open(dir, err);
	if (!t) {
		FUZZ_CHECK(err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(trace_has_processes(t));
	fuzz_exercise_trace(t);
	trace_free(t);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(data, size);
}
#endif
