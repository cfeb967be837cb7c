/* session — one live lesson: the run (lab + processes), the captures on the
 * lab's links, the trace the views read, and the recording (run folder).
 * The headless report and the TUI both drive a session; neither touches
 * pcap or the lab directly. */
#ifndef DOORWAY_SESSION_H
#define DOORWAY_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev;
struct run;
struct scenario;
struct trace;
struct session;
struct run_event;
struct fault_cfg;
struct switch_net;

enum session_what {
	SESSION_CHANGED,  /* new events in the trace */
	SESSION_END,      /* every process has ended (or the run was stopped) */
};

typedef void session_fn(struct session *s, enum session_what what, void *arg);

struct session_opts {
	bool gated;                 /* release one call at a time */
	bool auto_step;             /* gated: release the next as soon as the lab settles */
	bool record;                /* write a run folder */
	const char *record_dir;     /* NULL: $XDG_STATE_HOME/doorway/runs/<time>-<lesson> */
	void (*child_setup)(void);  /* in each lab process, first */
	void (*observe)(const struct run_event *e, void *arg); /* sees every run event (streaming report) */
	void *observe_arg;
	bool hold;                  /* switch mode: start in hold mode (session_set_hold) */
};

struct session *session_start(const struct scenario *sc, const char *scenario_path, struct ev *ev,
			      const struct session_opts *o, session_fn *fn, void *arg, char *err);
struct trace *session_trace(struct session *s);
struct run *session_run(struct session *s);
/* Gated: release the next call if the lab has settled. 1 released, 0 not. */
int session_step(struct session *s);
bool session_over(const struct session *s);
/* 0 when every process ended as the scenario says, 1 otherwise. */
int session_status(const struct session *s);
/* Stop every process now (timeouts, Ctrl-C). */
void session_abort(struct session *s);
/* The run folder ("" when not recording) and a warning if recording failed. */
const char *session_record_dir(const struct session *s);
const char *session_record_warning(const struct session *s);
/* ---- switch mode (the scenario says network switch or has faults) ----
 * Each returns -1 / 0 / NULL in bridge mode. */
struct switch_net *session_switch(struct session *s);  /* held packets, faults, stats (switch.h) */
/* Hold mode: every packet waits in the middle of the network until
 * session_release_packet. Headless auto-stepping runs release the oldest as
 * soon as the lab has otherwise settled; the TUI releases them itself. */
void session_set_hold(struct session *s, bool on);
/* Release held packet id (0: the oldest). 1 released, 0 none. */
int session_release_packet(struct session *s, uint64_t id);
/* Change the faults of the packets host sends (-1: every host), live. */
int session_set_fault(struct session *s, int host, const struct fault_cfg *f);
/* One-shot: the next packet host sends (-1: any host) is lost. */
int session_drop_next(struct session *s, int host);
/* "captured 42 packets on 2 links, 0 dropped" */
void session_capture_summary(struct session *s, char *out, size_t outlen, bool *dropped);
void session_free(struct session *s);

#endif
