/* fuzz — libFuzzer harnesses for the parts of doorway that read files from
 * strangers: the scenario parser, the packet decoders, the pcap/pcapng
 * reader, the trace built from a capture and the run-folder loader.
 *
 * Each harness is a plain function over one input so that the regression
 * test (tests/test-regress.c) replays saved inputs through the very same
 * code without libFuzzer: fuzz-<name>.c defines fuzz_<name>() and, unless
 * FUZZ_REPLAY is defined, the libFuzzer entry point calling it. A harness
 * calls abort() when an invariant of the API it drives does not hold, so a
 * wrong answer is reported like a crash. */
#ifndef DOORWAY_FUZZ_H
#define DOORWAY_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct trace;
struct buf;

int fuzz_scenario(const uint8_t *data, size_t size);
int fuzz_decode(const uint8_t *data, size_t size);
int fuzz_pcapfile(const uint8_t *data, size_t size);
int fuzz_trace(const uint8_t *data, size_t size);
int fuzz_record(const uint8_t *data, size_t size);
int fuzz_json(const uint8_t *data, size_t size);

/* fuzz-json.c's strict JSON validator (RFC 8259, RFC 3629): true when s
 * (n bytes) is exactly one JSON value with optional white space. */
bool fuzz_json_valid(const char *s, size_t n);
/* The value of the JSON string literal that is exactly s (n bytes), with
 * escaped code points up to U+00FF as single bytes, into out; false when
 * invalid. */
bool fuzz_json_unquote(const char *s, size_t n, struct buf *out);

/* libFuzzer's entry point (one per harness binary). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- shared helpers (common.c) ---- */

/* A FILE on /dev/null, opened once. */
FILE *fuzz_devnull(void);
/* An anonymous in-memory file holding the input, offset 0; -1 on failure. */
int fuzz_memfd(const uint8_t *data, size_t size);
/* Write a whole file (create/truncate); 0 or -1. */
int fuzz_write_file(const char *path, const void *data, size_t size);
/* Ask a trace every question the views ask: texts, captions, steps,
 * messages, doors, packet decodes, the ladder and the JSON. Aborts when an
 * answer is out of range. */
void fuzz_exercise_trace(struct trace *t);
/* abort() with a message when cond is false (works without assert()). */
#define FUZZ_CHECK(cond)                                                            \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,  \
				__LINE__, #cond);                                   \
			abort();                                                    \
		}                                                                   \
	} while (0)

#endif
