/* sctrace — the supervisor of traced real programs: every process a lesson
 * starts with `exec` (and every process and thread it starts) runs under a
 * seccomp filter (sctrace-filter) whose listener doorway polls in its one
 * loop. Each socket call of the program stops there; sctrace turns it into
 * the same report an agent makes (struct ctl_msg: the call, its exact
 * result, the door's addresses after it), holds it until it is released
 * (gated runs: by the same rule as the agents' steps), performs it
 * (sctrace-call), and tells a call that blocks as waiting.
 *
 * Settled: a traced program counts as settled when none of its threads is
 * running (each is asleep in the kernel: stopped in a call doorway holds, in
 * a call doorway is performing and that still waits for its socket, or in
 * anything else that sleeps, like a sleep or a poll doorway does not trace)
 * and no call it made is waiting to be read. */
#ifndef DOORWAY_SCTRACE_H
#define DOORWAY_SCTRACE_H

#include <stdbool.h>
#include <sys/types.h>

#include "ctl.h"

struct ev;
struct lab;
struct scenario;
struct sctrace;

struct sctrace_cbs {
	/* a call's report: m->type CTL_WAITING (it blocks) or CTL_DONE */
	void (*report)(void *arg, int proc, const struct ctl_msg *m);
	/* a call is about to be performed: what the program printed before
	 * it should be taken first (its pipe is read now) */
	void (*before)(void *arg, int proc);
	/* something changed (a call arrived, a wait ended): look again */
	void (*changed)(void *arg);
};

struct sctrace *sctrace_new(struct ev *ev, const struct scenario *sc, struct lab *lab, bool gated,
			    const struct sctrace_cbs *cbs, void *arg);
void sctrace_free(struct sctrace *t);

/* Process proc became a traced program (pid: doorway's pid namespace);
 * takes the listener fd. */
void sctrace_add(struct sctrace *t, int proc, pid_t pid, int listener);
bool sctrace_traced(const struct sctrace *t, int proc);
/* A call of proc's program waits for release. */
bool sctrace_pending(struct sctrace *t, int proc);
/* Release (perform) proc's oldest held call. 1 released, 0 none. */
int sctrace_release(struct sctrace *t, int proc);
/* See the definition at the top. Untraced processes are settled. */
bool sctrace_settled(struct sctrace *t, int proc);
/* Some call of proc's program is blocked in doorway's hands (waiting). */
bool sctrace_waiting(const struct sctrace *t, int proc);
/* Process proc ended: drop what was held. */
void sctrace_end(struct sctrace *t, int proc);

#endif
