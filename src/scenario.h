/* scenario — the .lab language: lexer, parser, checks and the parsed model.
 *
 * A scenario names hosts (each with one IPv4 and/or one IPv6 address),
 * processes on those hosts, and each process's steps, which mirror the socket
 * API one line per call. Parsing never stops at the first mistake: every error
 * is collected as a diagnostic with file:line:col and a hint. */
#ifndef DOORWAY_SCENARIO_H
#define DOORWAY_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fault.h"

#define SC_MAX_HOSTS 64        /* hosts per scenario */
#define SC_MAX_PROCS 64        /* processes per scenario */
#define SC_MAX_STEPS 1024      /* steps per process */
#define SC_MAX_SOCKS 64        /* named sockets per process */
#define SC_MAX_PAYLOAD (1u << 20) /* bytes in one send (1 MiB) */
#define SC_MAX_NAME 31         /* host, process and socket names */
#define SC_MAX_DIAGS 100       /* diagnostics kept (the count keeps going) */
#define SC_MAX_LINE 4096       /* bytes in one line, newline excluded */
#define SC_MAX_TOTAL_PAYLOAD (16u << 20) /* all payloads of a scenario together */
#define SC_MAX_SLEEP_MS 60000  /* longest sleep step */
#define SC_MAX_FILE (1u << 20) /* bytes in a .lab file */
#define SC_MAX_ENV 32          /* env statements */
#define SC_MAX_ENV_NAME 63     /* bytes in an env name */
#define SC_MAX_ENV_VALUE 1024  /* bytes in an env value */
#define SC_MAX_SHARES 16       /* share statements */

enum sc_proto { SC_UDP, SC_TCP };

enum sc_op {
	SC_SOCKET,     /* s = socket udp|tcp [ipv4|ipv6] */
	SC_BIND,       /* bind s [HOST|ADDR:]PORT */
	SC_LISTEN,     /* listen s [BACKLOG] */
	SC_ACCEPT,     /* c = accept s */
	SC_CONNECT,    /* connect s HOST:PORT */
	SC_SEND,       /* send s PAYLOAD */
	SC_SENDTO,     /* sendto s HOST:PORT|peer PAYLOAD */
	SC_RECV,       /* recv s [N] */
	SC_RECVFROM,   /* recvfrom s [N] */
	SC_SHUTDOWN,   /* shutdown s read|write|both */
	SC_CLOSE,      /* close s */
	SC_SETSOCKOPT, /* setsockopt s sndbuf|rcvbuf|mss|nodelay VALUE */
	SC_SLEEP,      /* sleep 200ms | 2s */
	SC_SAY,        /* say "caption" */
	SC_EXEC,       /* exec PROGRAM ARGS... (last step of its process) */
	SC_AWAIT,      /* await [tcp|udp] HOST:PORT: until a door with that port is open on HOST */
};

enum sc_sockopt { SC_OPT_SNDBUF, SC_OPT_RCVBUF, SC_OPT_MSS, SC_OPT_NODELAY };

/* An IP address. family is AF_INET (4 bytes used) or AF_INET6 (16 bytes). */
struct sc_addr {
	int family;
	uint8_t bytes[16];
};

/* Where a bind/connect/sendto points. */
struct sc_endpoint {
	bool peer;          /* sendto ... peer: the sender of the last recvfrom */
	bool any_addr;      /* bind s 9000: no address given (wildcard) */
	int host;           /* host index when written as a host name, else -1 */
	struct sc_addr addr; /* resolved for the socket's family (unless peer/any_addr) */
	uint16_t port;
};

struct sc_step {
	enum sc_op op;
	int line, col;       /* of the step's first token (1-based) */
	int sock;            /* socket operated on (index into proc->socks), -1 if none */
	int new_sock;        /* socket created by socket/accept, else -1 */
	enum sc_proto proto; /* socket */
	int family;          /* socket: AF_INET or AF_INET6 */
	struct sc_endpoint ep;  /* bind, connect, sendto */
	uint8_t *data;       /* send/sendto payload (owned) */
	size_t len;          /* payload length */
	bool generated;      /* payload written as "N bytes" */
	size_t count;        /* recv/recvfrom buffer size (default SC_RECV_DEFAULT) */
	int backlog;         /* listen (default 16) */
	int how;             /* shutdown: SHUT_RD, SHUT_WR, SHUT_RDWR */
	enum sc_sockopt opt; /* setsockopt */
	int value;           /* setsockopt value (bytes, or 0/1 for nodelay) */
	unsigned ms;         /* sleep */
	char *text;          /* say (owned) */
	char **argv;         /* exec: NULL-terminated (owned) */
	int argc;
	int expect_errno;    /* "expect ECONNREFUSED": the call is meant to fail so; 0 = must succeed */
};

#define SC_RECV_DEFAULT 65536

struct sc_sock {
	char name[SC_MAX_NAME + 1];
	enum sc_proto proto;
	int family;
	int line, col;       /* where it was created */
};

struct sc_proc {
	char name[SC_MAX_NAME + 1];
	int host;            /* index into scenario->hosts */
	int line, col;
	bool background;     /* "process web on bob background": stopped when the rest end */
	bool untraced;       /* "... untraced": its exec'd program's socket calls are not traced */
	bool is_exec;        /* its last step is exec */
	struct sc_step *steps;
	int nsteps;
	struct sc_sock socks[SC_MAX_SOCKS];
	int nsocks;
};

struct sc_host {
	char name[SC_MAX_NAME + 1];
	int line, col;
	bool has4, has6;
	struct sc_addr addr4, addr6;
	int prefix4, prefix6; /* written as ADDR/PREFIX, default 24 and 64 */
};

/* "limit KIND VALUE": what a lab process may use (confine.h applies them). */
enum sc_limit {
	SC_LIMIT_MEMORY,     /* bytes of address space (RLIMIT_AS) */
	SC_LIMIT_PROCESSES,  /* processes of the lab's user at once (RLIMIT_NPROC) */
	SC_LIMIT_FILES,      /* bytes in one file it writes (RLIMIT_FSIZE) */
	SC_LIMIT_FDS,        /* open file descriptors (RLIMIT_NOFILE) */
	SC_LIMIT_CPU,        /* seconds of CPU time (RLIMIT_CPU) */
	SC_LIMIT_COUNT
};

/* "env NAME=VALUE": added to every lab program's environment. */
struct sc_env {
	char name[SC_MAX_ENV_NAME + 1];
	char *value;         /* owned */
	int line;
};

struct scenario {
	char *path;          /* as given */
	char *title;
	char *about;
	struct sc_host hosts[SC_MAX_HOSTS];
	int nhosts;
	struct sc_proc procs[SC_MAX_PROCS];
	int nprocs;
	bool switch_mode;    /* "network switch" (default: "network bridge"); faults imply it */
	/* Faults (switch mode): "fault loss 10% delay 50ms" for every link,
	 * "link alice loss 10%" for the packets host alice sends (its fields
	 * replace the whole lab's), "seed 42" for their generator. */
	struct fault_cfg fault;
	struct fault_cfg link_fault[SC_MAX_HOSTS];
	uint64_t seed;       /* FAULT_DEFAULT_SEED unless "seed N" */
	/* Confinement (confine.h): env statements in order, limits (0: the
	 * class default), folders shown read-only (absolute, resolved) */
	struct sc_env env[SC_MAX_ENV];
	int nenv;
	uint64_t limit[SC_LIMIT_COUNT];
	char *share[SC_MAX_SHARES];
	int nshares;
};

struct sc_diag {
	int line, col;
	char msg[160];
	char hint[160];      /* may be empty */
};

struct sc_diags {
	struct sc_diag d[SC_MAX_DIAGS];
	int n;               /* kept */
	int total;           /* found (may exceed n) */
};

/* Parse text (len bytes, need not be NUL-terminated) named path. Returns a
 * scenario when there were no errors, else NULL with every error in diags. */
struct scenario *scenario_parse(const char *path, const char *text, size_t len,
				struct sc_diags *diags);
/* Read and parse a file. A file that cannot be read is one diagnostic at 0:0. */
struct scenario *scenario_load(const char *path, struct sc_diags *diags);
/* The same with flags: SC_PARSE_RECORDED, the copy in a run folder (it
 * replays, runs nothing: exec's programs are not looked for, a lesson's
 * own programs are not beside the copy). */
#define SC_PARSE_RECORDED 1u
struct scenario *scenario_parse_opts(const char *path, const char *text, size_t len,
				     struct sc_diags *diags, unsigned flags);
struct scenario *scenario_load_opts(const char *path, struct sc_diags *diags, unsigned flags);
void scenario_free(struct scenario *sc);
/* Read a whole .lab file (at most SC_MAX_FILE bytes) for scenario_parse and
 * scenario_print_diags. Returns a NUL-terminated copy (free() it) and its
 * length, or NULL with diags holding one diagnostic at 0:0. */
char *scenario_read_file(const char *path, size_t *len, struct sc_diags *diags);

/* Print diagnostics as "path:line:col: error: msg" + "  hint: ..." lines,
 * with the offending source line and a caret when text is given. */
void scenario_print_diags(FILE *f, const char *path, const char *text, size_t len,
			  const struct sc_diags *diags);

/* Helpers shared with the runtime. */
/* A fault line typed while a lab runs (the TUI's n key), in the scenario's
 * words: "loss 10% delay 200ms" (or "fault ...") for every link, "link
 * HOST loss 5%" for the packets HOST sends, "link HOST none" (every field
 * set, to nothing), "none" or "" for no faults anywhere.
 * 0 with *host (-1: every link) and *out; -1 with the first problem in *d
 * (line 1, col in text). */
int scenario_parse_faults(const struct scenario *sc, const char *text, int *host, struct fault_cfg *out,
			  struct sc_diag *d);
const char *sc_op_name(enum sc_op op);       /* "sendto" */
const char *sc_limit_name(enum sc_limit l);  /* "memory" */
const char *sc_proto_name(enum sc_proto p);  /* "udp" */
/* Format an address ("192.0.2.1", "2001:db8::1") into out (>= 46 bytes). */
void sc_addr_format(const struct sc_addr *a, char *out, size_t outlen);
/* The address of host h for a socket family; NULL if the host has none. */
const struct sc_addr *sc_host_addr(const struct scenario *sc, int h, int family);
/* "ECONNREFUSED" for an errno value that "expect" knows; NULL otherwise. */
const char *sc_errno_name(int err);

#endif
