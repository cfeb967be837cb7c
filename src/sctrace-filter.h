/* sctrace-filter — the seccomp filter a lab process installs on itself just
 * before it becomes a real program (exec step), so that the program's socket
 * calls stop and wait for doorway (SECCOMP_RET_USER_NOTIF) while every other
 * system call runs untouched.
 *
 * A filter sees numbers, not descriptors: it cannot tell a socket from a
 * file. So doorway places every socket it hands the program (socket,
 * accept) at a descriptor number >= SCTRACE_FD_BASE, and the filter stops
 * read/write/close/send/recv... only for descriptors in that range: a
 * program reading files (low numbers) never stops. socket() stops only for
 * AF_INET and AF_INET6 (a resolver's AF_UNIX or netlink socket passes).
 *
 * Filters stack: this one can be installed after any other filter of the
 * launch path (the other filters' verdicts still apply); it must be the only
 * one with a listener. */
#ifndef DOORWAY_SCTRACE_FILTER_H
#define DOORWAY_SCTRACE_FILTER_H

/* Sockets of a traced program live at SCTRACE_FD_BASE..SCTRACE_FD_MAX
 * (below FD_SETSIZE, so select() still works on them). */
#define SCTRACE_FD_BASE 600
#define SCTRACE_FD_MAX 1023

/* PR_SET_NO_NEW_PRIVS, then install the filter with a user-notification
 * listener. Returns the listener fd (close-on-exec), or -1 with errno. */
int sctrace_filter_install(void);

/* Is system call nr (of this architecture) one the filter may stop? */
int sctrace_filter_stops(long nr);

#endif
