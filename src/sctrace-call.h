/* sctrace-call — one stopped system call of a traced program: what it is
 * (decoded from its number and arguments) and performing it.
 *
 * doorway performs the call itself, on its own copy of the program's socket
 * (pidfd_getfd), with the program's arguments read from its memory, then
 * writes what the call returns into the program's memory and answers the
 * notification with the exact result (bytes, errno). So the result is known
 * without a second stop, a call that would block never blocks doorway (it is
 * tried without waiting, and tried again when the socket is ready), and the
 * sockets doorway creates (socket, accept) are placed at the descriptor
 * numbers the filter watches (SECCOMP_IOCTL_NOTIF_ADDFD).
 *
 * doorway's copy is closed as soon as the call is over: holding it would
 * keep a socket the program closed alive (no FIN would leave). */
#ifndef DOORWAY_SCTRACE_CALL_H
#define DOORWAY_SCTRACE_CALL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/seccomp.h>
#include <sys/types.h>

#include "ctl.h"

struct lab;

/* The sockets a program has had, by inode: a door's number (sock id) stays
 * the same across dup, fork and threads. */
struct sctrace_sock {
	uint64_t ino;
	int id;
	bool tcp;
	int family;
	bool closed;
};

struct sctrace_socks {
	struct sctrace_sock *v;
	int n, cap;
};

/* What a call needs of its program. */
struct sctrace_env {
	int listener;
	struct lab *lab;
	int host;
	int proc;
	pid_t root;             /* the program's first process (doorway's pid namespace) */
	struct sctrace_socks *socks;
};

struct sctrace_call {
	struct seccomp_notif n;
	pid_t tgid;             /* the calling process (n.pid is the thread) */
	int op;                 /* enum sc_op */
	int fd;                 /* the program's descriptor (arg 0), -1 for socket() */
	int dup;                /* doorway's copy of the socket, -1 */
	int sock;               /* index into env->socks, -1 */
	bool nonblock;          /* the call must not wait (O_NONBLOCK or MSG_DONTWAIT) */
	bool waited;            /* a WAITING report was made */
	short wait_ev;          /* SCTRACE_WAIT: POLLIN or POLLOUT on dup */
	size_t done;            /* bytes sent or received so far */
	uint8_t *buf;           /* bytes to send / room to receive */
	size_t len;
	int flags;              /* send/recv flags */
	struct sockaddr_storage to; /* sendto/connect/bind address */
	socklen_t tolen;
	struct ctl_msg m;       /* the report */
	struct sctrace_call *next;
};

enum sctrace_state {
	SCTRACE_PASS,   /* not a call to show: it ran as is (answered CONTINUE) */
	SCTRACE_DONE,   /* performed and answered; c->m is the report */
	SCTRACE_WAIT,   /* blocks until c->dup is ready for c->wait_ev (c->m: the WAITING report) */
};

/* Decode a received notification into c (allocated by the caller, zeroed).
 * PASS answers it at once (a file in the sockets' range, an option not
 * shown); DONE is never returned; WAIT means: show it, perform on release. */
enum sctrace_state sctrace_call_decode(struct sctrace_call *c, const struct sctrace_env *env);
/* Perform it (first time or after a wait). */
enum sctrace_state sctrace_call_run(struct sctrace_call *c, const struct sctrace_env *env);
/* The program went away: give the notification up. */
void sctrace_call_free(struct sctrace_call *c);

/* Answer a notification: let the call run as it is. */
void sctrace_call_continue(int listener, uint64_t id);

#endif
