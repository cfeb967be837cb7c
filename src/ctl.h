/* ctl — the control channel between doorway and the processes of a lab.
 *
 * Every agent (and the lab's init process) holds one end of an
 * AF_UNIX/SOCK_SEQPACKET socketpair; each message is one struct ctl_msg,
 * optionally with one file descriptor attached (SCM_RIGHTS): an agent that is
 * about to wait inside a call (recv with no data, accept with no pending
 * connection, connect in progress, send into a full buffer) hands doorway a
 * copy of the socket so doorway can tell "blocked" from "about to wake". */
#ifndef DOORWAY_CTL_H
#define DOORWAY_CTL_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define CTL_DATA_MAX 256 /* bytes of a message's payload carried for display */

enum ctl_type {
	/* agent -> doorway */
	CTL_HELLO = 1,  /* started: pid */
	CTL_READY,      /* step is next; waits for CTL_GO */
	CTL_WAITING,    /* step's call blocks; fd attached; wait_events POLLIN/POLLOUT */
	CTL_DONE,       /* step finished: result, err, addresses, data */
	CTL_WOKE,       /* the blocked call's socket became ready (sent before consuming it) */
	CTL_EXEC,       /* about to execve (EOF on the channel then means it succeeded) */
	/* doorway -> agent */
	CTL_GO,         /* perform step */
	/* init -> doorway */
	CTL_SPAWNED,    /* proc started with pid */
	CTL_EXITED,     /* proc's process ended: status as from waitpid; result its CPU
			 * time (ns), err its peak resident memory (KiB) */
	/* doorway -> init */
	CTL_KILL,       /* send signal `status` to proc's process group */
};

struct ctl_msg {
	uint16_t type;
	uint16_t proc;         /* process index in the scenario */
	int32_t step;          /* step index, -1 if none */
	int32_t pid;           /* in the lab's pid namespace */
	int32_t sock;          /* socket index the step used, -1 */
	int32_t new_sock;      /* socket index created (socket/accept), -1 */
	int32_t fd;            /* the process's fd number for that socket */
	int32_t new_fd;
	/* A traced program's call (sctrace): these four bytes and `arg` fill
	 * what was padding, so the message keeps its size and layout and
	 * recordings made before stay readable (zero: an agent's step). */
	uint8_t call;          /* enum sc_op + 1 of a traced call; 0: the step says which */
	uint8_t flags;         /* CTL_F_* */
	uint16_t sysno;        /* traced: the system call made (read, sendto, accept4...) */
	int64_t result;        /* the call's return value (bytes, fd, 0), -1 on error */
	int32_t err;           /* errno when result < 0 */
	int32_t status;        /* CTL_EXITED: wait status; CTL_KILL: signal; CTL_WAITING: poll events;
				* a traced setsockopt/getsockopt: enum sc_sockopt */
	uint64_t t_ns;         /* CLOCK_REALTIME when the call returned (or blocked) */
	uint64_t t_begin_ns;   /* CLOCK_REALTIME when the call began */
	struct sockaddr_storage local;   /* getsockname after the call (ss_family 0 if none) */
	struct sockaddr_storage remote;  /* peer: getpeername, sendto's destination, recvfrom's source */
	uint32_t datalen;      /* bytes in data[] */
	uint8_t data[CTL_DATA_MAX];
	uint32_t arg;          /* traced: buffer size (recv, read), backlog (listen), how
				* (shutdown), option value (setsockopt), SOCK_* type (socket) */
};

_Static_assert(sizeof(struct ctl_msg) == 584, "ctl_msg is recorded byte for byte: keep its size");

/* ctl_msg.flags */
#define CTL_F_TRACED   0x01 /* CTL_EXEC: the program's socket calls are traced (sctrace) */
#define CTL_F_TCP      0x02 /* traced socket/accept: a TCP socket (else UDP) */
#define CTL_F_SHARED   0x04 /* traced close: another process of the program still holds the socket */
#define CTL_F_NONBLOCK 0x08 /* traced: the descriptor is non-blocking (the call does not wait) */

/* Send one message, with fd attached unless fd < 0. 0 or -1 (errno). */
int ctl_send(int sock, const struct ctl_msg *m, int fd);
/* Receive one message; *fd gets an attached descriptor or -1.
 * Returns 1 message, 0 EOF, -1 error (EAGAIN when non-blocking and empty). */
int ctl_recv(int sock, struct ctl_msg *m, int *fd);

/* "192.0.2.1:9000", "[2001:db8::1]:9000", "-" for none. out >= 64 bytes. */
void ctl_format_sockaddr(const struct sockaddr_storage *ss, char *out, size_t outlen);

#endif
