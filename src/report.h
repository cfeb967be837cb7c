/* report — headless output of a run: one text line or one JSON object per
 * event (socket calls, waits, programs' output, exits). */
#ifndef DOORWAY_REPORT_H
#define DOORWAY_REPORT_H

#include <stdio.h>

#include "run.h"
#include "scenario.h"

enum report_fmt { REPORT_TEXT, REPORT_JSON };

struct report;

struct report *report_new(FILE *out, const struct scenario *sc, enum report_fmt fmt);
void report_free(struct report *rep);
/* A run_event_fn: arg is the struct report. */
void report_event(const struct run_event *e, void *arg);
/* A free-form note ("timeout: ..."), as a text line or a {"event":"note"} object. */
void report_note(struct report *rep, const char *text);

/* The call as a student would write it: sendto(192.0.2.2:9000, "hello").
 * Shared with the trace and the TUI. */
void report_call_text(const struct scenario *sc, int proc, const struct ctl_msg *m,
		      char *out, size_t outlen);
/* The result: "= 5", "= -1 ECONNREFUSED (Connection refused)". */
void report_result_text(const struct scenario *sc, int proc, const struct ctl_msg *m,
			char *out, size_t outlen);

/* "read", "sendto": a traced program's system call by number. */
const char *report_syscall_name(int nr);

/* The JSON fields of a run event (",\"host\":..." without braces), shared
 * by the streaming report and the trace's JSON. */
struct buf;
void report_json_fields(struct buf *b, const struct scenario *sc, const struct run_event *e);

#endif
