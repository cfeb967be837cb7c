/* agent — the process that performs one scenario process's steps with real
 * system calls, inside its host's network namespace.
 *
 * Before each step it reports CTL_READY and waits for CTL_GO; it reports
 * CTL_WAITING (with a copy of the socket) when a call is about to block and
 * CTL_DONE with the result, errno, local and remote addresses after it. A
 * call that fails other than as the step's `expect` says ends the process
 * with status 1. An exec step reports CTL_EXEC and becomes the program. */
#ifndef DOORWAY_AGENT_H
#define DOORWAY_AGENT_H

#include <sys/types.h>

struct confine;
struct scenario;

#define AGENT_EXIT_FAILED 1     /* a call failed unexpectedly */
#define AGENT_EXIT_EXEC 127     /* exec failed */
#define AGENT_EXIT_CONTROL 125  /* the control channel broke */

/* Runs steps of process proc over control socket ctl; never returns. pid:
 * its pid as ps outside the lab shows it. An exec step puts the program in
 * cf's last walls (confine_exec) first. */
__attribute__((noreturn)) void agent_main(const struct scenario *sc, int proc, int ctl, pid_t pid,
					  const struct confine *cf);

#endif
