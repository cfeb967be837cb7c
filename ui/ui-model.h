/* ui-model — what the views need of a trace, indexed once per change: the
 * steps (so stepping and "step 12 of 40" cost O(1) / O(log n)), the
 * ladder's rows and columns, the houses on each host and each door's slot
 * in its house, when each door got its number. Plus the questions asked at
 * a cursor: what a process is doing, whether a door is open, which packet
 * pairs with which. No curses here; the model never changes the trace. */
#ifndef DOORWAY_UI_MODEL_H
#define DOORWAY_UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui-layout.h"

struct trace;
struct scenario;

/* A house: a process, or the host itself (a capture, or a port nobody has
 * open: the kernel answers). */
struct ui_house {
	int proc;          /* -1: the host's own (no process) */
	int nslots;        /* door slots */
};

struct ui_mhost {
	int nhouses;
	struct ui_house house[UI_MAX_HOUSES];
};

struct ui_model {
	struct trace *t;
	size_t nev;        /* events when last indexed */
	int ndoors;
	bool capture;      /* a plain capture: no processes */
	/* steps: event indices of the events a class steps over */
	uint32_t *steps;
	size_t nsteps, capsteps;
	/* ladder rows: event indices (a departure stands for its arrival) */
	uint32_t *rows;
	size_t nrows, caprows;
	/* ladder columns: doors, accepted doors beside their welcoming door */
	int *col_of_door, *door_of_col;
	int ncols;
	/* per door */
	long *numbered;    /* event where it got its port, -1 unknown */
	int *door_host, *door_house, *door_slot;
	/* houses per host */
	int nhosts;
	struct ui_mhost *hosts;
	int *sock_slots;   /* per process: door slots the scenario declares */
	char **slot_names; /* per process: the scenario's socket names, one per slot (NULL: none) */
	int nslot_names;
	int *role_hint;    /* per process: enum tr_role the scenario's steps suggest */
	bool hints;        /* role_hint came from a scenario (live): it never changes */
	bool hold;         /* packets wait in the network (switch hold mode): a departure
			    * not seen arriving yet stays on the wire */
};

/* sc (may be NULL) tells how many doors each process will open, so the
 * houses keep their size as doors appear. */
void ui_model_init(struct ui_model *m, struct trace *t, const struct scenario *sc);
void ui_model_free(struct ui_model *m);
/* Re-index when the trace changed. True when it did. */
bool ui_model_sync(struct ui_model *m);

/* ---- steps --------------------------------------------------------------- */

/* The cursor is an event index, -1 before the first step. */
long ui_model_next(const struct ui_model *m, long cur);
long ui_model_prev(const struct ui_model *m, long cur);
long ui_model_first(const struct ui_model *m);
long ui_model_last(const struct ui_model *m);
/* 1-based step number of the cursor (0 before the first). */
size_t ui_model_step_no(const struct ui_model *m, long cur);

/* Where a cursor event went after the trace was re-sorted. */
struct ui_mark {
	uint64_t t_ns, ref;
	uint8_t kind;
	int32_t proc;
	bool valid;
};
struct ui_mark ui_model_mark(const struct ui_model *m, long ev);
long ui_model_find(const struct ui_model *m, const struct ui_mark *k, long hint);

/* ---- packets ------------------------------------------------------------- */

/* A departure's arrival, an arrival's departure, or -1. */
long ui_model_pair(const struct ui_model *m, long ev);
/* Short label: SYN, SYN,ACK, ACK "hello", "hello", ICMP unreachable. */
void ui_model_packet_label(const struct ui_model *m, long ev, char *out, size_t outlen);
/* Host index of an address (family AF_INET/AF_INET6), -1. */
int ui_model_host_of(const struct ui_model *m, int family, const uint8_t *addr);
/* The hosts a packet goes from and to (by its addresses), -1 when unknown. */
void ui_model_packet_hosts(const struct ui_model *m, long ev, int *from, int *to);

/* ---- ladder -------------------------------------------------------------- */

/* Row of an event (an arrival: its departure's row); the row at or before
 * it for events without a row; -1 before the first row. */
long ui_model_row_of(const struct ui_model *m, long ev);

/* ---- doors and processes at a cursor ------------------------------------- */

enum ui_door_state { UI_DOOR_ABSENT, UI_DOOR_OPEN, UI_DOOR_CLOSED };
enum ui_door_state ui_model_door_state(const struct ui_model *m, int d, long cur);
/* The door to draw for d at the cursor: d, or when d is not open yet (a
 * connection's door before accept() returns) its welcoming door. */
int ui_model_door_shown(const struct ui_model *m, int d, long cur);
/* Its port is known at the cursor (bound, or a packet left it). */
bool ui_model_door_numbered(const struct ui_model *m, int d, long cur);

struct ui_proc_now {
	long last;         /* the process's latest call/wait/exit event, -1 */
	bool waiting;      /* blocked in that call */
	bool ended;
	bool started;
};
void ui_model_proc_at(const struct ui_model *m, int p, long cur, struct ui_proc_now *out);

/* The scenario's name of process p's door slot s ("" unknown). */
const char *ui_model_slot_name(const struct ui_model *m, int p, int s);

/* A process's role: what its script suggests (live), else what the trace saw. */
int ui_model_role(const struct ui_model *m, int p);
/* The stage's request for ui_stage_layout. */
void ui_model_stage_req(const struct ui_model *m, struct ui_stage_req *req);

#endif
