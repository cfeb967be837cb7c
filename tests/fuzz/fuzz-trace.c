/* Fuzz `doorway open FILE`: a capture from anywhere becomes a trace
 * (houses, doors, messages guessed from the packets), then everything the
 * views and the headless output ask of it. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"
#include "util.h"

int fuzz_trace(const uint8_t *data, size_t size)
{
	int fd = fuzz_memfd(data, size);
	FUZZ_CHECK(fd >= 0);
	char path[64], err[UTIL_ERRLEN] = "";
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct trace *t = trace_open(path, err);
	close(fd);
	if (!t) {
		FUZZ_CHECK(err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(!trace_has_processes(t));
	FUZZ_CHECK(trace_nevents(t) > 0);
	fuzz_exercise_trace(t);
	trace_free(t);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_trace(data, size);
}
#endif
