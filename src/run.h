/* run — the controller of a live lab: starts the lab and its processes,
 * listens to every agent, releases steps (gated) or lets them run (free),
 * collects programs' output and exits, and reports it all as events.
 *
 * Gated release rule: a step is released only when the lab has settled (no
 * released call still running; every blocked call's socket is not ready;
 * a process in a `sleep` step counts as settled: it is busy on its own and
 * the others go on meanwhile; in switch mode, no frame is in flight in
 * doorway's switch), and then the earliest-declared process that
 * is ready goes first. */
#ifndef DOORWAY_RUN_H
#define DOORWAY_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl.h"
#include "scenario.h"

struct ev;
struct lab;

enum run_ev_kind {
	RUN_EV_SPAWN,   /* a process started (pid) */
	RUN_EV_CALL,    /* a step finished (msg: the call and its result) */
	RUN_EV_WAIT,    /* a call blocks (msg) */
	RUN_EV_EXEC,    /* a process became a real program */
	RUN_EV_OUTPUT,  /* one line a program printed (text) */
	RUN_EV_EXIT,    /* a process ended (status, text: how) */
	RUN_EV_END,     /* the run is over */
};

struct run_event {
	enum run_ev_kind kind;
	uint64_t t_ns;              /* CLOCK_REALTIME */
	int proc;                   /* -1 for END */
	int step;                   /* -1 if none */
	pid_t pid;
	const struct ctl_msg *msg;  /* CALL, WAIT, EXEC */
	const char *text;           /* OUTPUT line, EXIT description */
	size_t len;
	int status;                 /* EXIT: wait status */
	bool failed;                /* EXIT: counts as a failure */
};

typedef void run_event_fn(const struct run_event *e, void *arg);

enum run_pstate { RUN_P_STARTING, RUN_P_READY, RUN_P_RUNNING, RUN_P_WAITING, RUN_P_SLEEPING, RUN_P_AWAITING,
		  RUN_P_PROGRAM, RUN_P_STOPPING, RUN_P_EXITED };

struct run_opts {
	bool gated;       /* release steps one at a time */
	bool auto_step;   /* gated: release the next step as soon as the lab settles */
	void (*child_setup)(void); /* runs in each lab process before its steps */
	const char *run_dir;       /* the run folder: the hosts' homes go in its hosts/ (NULL: tmpfs homes) */
	/* runs once the network is up and before any process starts (start
	 * captures here); non-zero with err aborts the run */
	int (*on_lab)(struct lab *lab, void *arg, char *err);
	void *on_lab_arg;
	/* switch mode (arg: on_lab_arg): frames in flight in doorway's switch
	 * keep the lab from settling */
	bool (*net_busy)(void *arg);
	/* the lab has settled: return 1 if the network did something instead
	 * of a step being released now (a held packet released) */
	int (*net_settled)(void *arg);
	/* gated: told whether a released call is running now (the switch
	 * forwards nothing meanwhile, so a call always meets the network in
	 * the same state: a connect always waits for its handshake) */
	void (*calls_running)(void *arg, bool running);
};

struct run;

struct run *run_start(const struct scenario *sc, struct ev *ev, const struct run_opts *o,
		      run_event_fn *fn, void *arg, char *err);
/* Gated: release the next step now if the lab has settled. 1 released, 0 not. */
int run_step(struct run *r);
bool run_settled(struct run *r);
/* A released call has not reported back yet (cheap: no system call). */
bool run_busy(const struct run *r);
/* Something outside the controller changed (the switch forwarded frames):
 * look again whether the next step can go (auto-step). */
void run_poke(struct run *r);
bool run_over(const struct run *r);
/* 0 when every process ended as the scenario says, 1 otherwise. */
int run_status(const struct run *r);
/* Describe what each unfinished process is doing ("waiting in recvfrom on s"). */
void run_describe_stuck(struct run *r, void (*line)(const char *text, void *arg), void *arg);
/* Stop every process and end the run now (timeouts, Ctrl-C); emits END. */
void run_abort(struct run *r);
void run_free(struct run *r);

enum run_pstate run_proc_state(const struct run *r, int p);
/* Process p's pid as ps shows it (0 until it said hello). */
pid_t run_proc_pid(const struct run *r, int p);
struct lab *run_lab(struct run *r);
/* Process p is a real program whose socket calls are traced (sctrace). */
bool run_proc_traced(const struct run *r, int p);

#endif
