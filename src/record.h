/* record — run folders: every live run writes scenario.lab (a copy),
 * capture.pcapng (one interface per capture point, each packet once per
 * point, comments naming the hosts) and trace.jsonl (every socket call and
 * process event as it happened, then the messages). record_load reads a run
 * folder back into the same trace model, so a replay shows exactly the run. */
#ifndef DOORWAY_RECORD_H
#define DOORWAY_RECORD_H

#include <stdbool.h>
#include <stdint.h>

struct record;
struct run_event;
struct scenario;
struct trace;

/* dir NULL: $XDG_STATE_HOME/doorway/runs/<date>-<time>-<lesson> (or
 * ~/.local/state/...). Copies the scenario file there. */
struct record *record_open(const char *dir, const char *scenario_path, char *err);
void record_add_point(struct record *r, const char *name, const char *ifname, int linktype);
/* Packets wait in memory (at most RECORD_HOLD_BYTES) until record_flush,
 * which the caller does soon after (doorway: within RECORD_FLUSH_MS), or
 * record_finish / record_close. */
#define RECORD_HOLD_BYTES (256u << 10)
#define RECORD_FLUSH_MS 20
void record_packet(struct record *r, const struct scenario *sc, int point, uint64_t ts_ns,
		   const uint8_t *data, uint32_t caplen, uint32_t wirelen, int linktype);
bool record_pending(const struct record *r);
void record_flush(struct record *r);
void record_run_event(struct record *r, const struct run_event *e);
/* A real program's socket found through the kernel (trace_set_owner). */
void record_owner(struct record *r, int host, int proto, int family, unsigned port, int proc);
/* Append the messages (for readers of the file; replay recomputes them). */
void record_finish(struct record *r, struct trace *t);
const char *record_dir(const struct record *r);
/* The run never started: remove what was written. */
void record_discard(struct record *r);
void record_close(struct record *r);

/* Read a run folder into a trace. NULL with err. */
struct trace *record_load(const char *dir, char *err);

#endif
