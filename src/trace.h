/* trace — the story of a run, as the views tell it: houses (processes on
 * hosts), doors (sockets), and one time-ordered list of events: socket calls,
 * packets leaving and arriving, programs' output, exits. Messages link each
 * send() to the packets that carried its bytes and to the recv() calls that
 * delivered them.
 *
 * A trace is filled from a live run (trace_add_run_event + trace_add_packet)
 * or from a recording / any pcap file, and answers the views' questions:
 * which door sent this packet, where is each message now, what to say about
 * this step. The trace never touches curses, sockets or pcap handles; packet
 * bytes are kept in memory for live runs and read back from the capture file
 * on demand for opened files. */
#ifndef DOORWAY_TRACE_H
#define DOORWAY_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ctl.h"
#include "decode.h"

struct scenario;
struct run_event;
struct pcapfile;

#define TR_NAME 32

enum tr_kind {
	TR_SPAWN,   /* a process starts */
	TR_CALL,    /* a socket call returned (or a say/sleep step) */
	TR_WAIT,    /* a call blocks */
	TR_EXEC,    /* a process becomes a real program */
	TR_OUTPUT,  /* a line a program printed */
	TR_EXIT,    /* a process ended */
	TR_PACKET,  /* a packet seen at a capture point */
};

/* Where a packet was seen, relative to the hosts it goes between. */
enum tr_dir {
	TR_DIR_NONE,    /* not between two known hosts (broadcast, unknown) */
	TR_DIR_DEPART,  /* on the sending host's link: it left the door's house */
	TR_DIR_ARRIVE,  /* on the receiving host's link: about to enter the door */
	TR_DIR_LOCAL,   /* on a host's loopback: same end system */
};

enum tr_role { TR_ROLE_UNKNOWN, TR_ROLE_CLIENT, TR_ROLE_SERVER };

struct tr_addr {
	uint8_t family;     /* AF_INET, AF_INET6, 0 = none */
	uint8_t bytes[16];
	uint16_t port;
};

struct tr_host {
	char name[TR_NAME];
	bool has4, has6;
	uint8_t addr4[4], addr6[16];
};

struct tr_proc {
	char name[TR_NAME];
	int host;
	pid_t pid;          /* 0 until known */
	bool is_exec;
	char program[64];   /* exec: argv[0] */
	bool traced;        /* exec: its socket calls are traced (doors come from them) */
	enum tr_role role;  /* who spoke first / connected (client) or bound+listened (server) */
	bool ended;
};

struct tr_door {
	int proc;           /* -1 when no process is known (opened pcaps: the house is the host) */
	int host;
	int sock;           /* scenario socket index, -1 */
	char name[TR_NAME]; /* socket name ("s", "conn") or "" */
	uint8_t proto;      /* IPPROTO_UDP / IPPROTO_TCP, 0 for a host-level door */
	struct tr_addr local;   /* as the packets show it (a wildcard bind becomes the host's address once seen) */
	struct tr_addr remote;  /* connected doors */
	bool listening;     /* a welcoming door */
	int parent;         /* an accepted door: its welcoming door, else -1 */
	enum tr_role role;  /* connected or spoke first: client; listened or answered: server */
	bool nobody;        /* a port no process has open: the host's kernel answers (RST, ICMP) */
	bool host_level;    /* no socket: the host's own column, for packets between hosts
	                     * that no door sends (ICMP echo and errors; ARP in opened
	                     * captures); proto 0, local is the host's address, port 0 */
	long first_ev, last_ev; /* events where the door appears and is closed (-1: still open) */
};

/* One event; 36 bytes, so a 1M-packet file stays small in memory. */
struct __attribute__((packed, aligned(4))) tr_event {
	uint64_t t_ns;      /* CLOCK_REALTIME; calls that start something count from their start */
	uint64_t ref;       /* TR_PACKET: where its bytes are and how many (trace_event_caplen); else index into calls */
	int32_t proc;       /* process, -1 (packets: -1) */
	int32_t door;       /* calls: their socket's door; packets: the sending door (-1 unknown) */
	int32_t peer;       /* packets: the receiving door (-1 unknown); accept: the new door */
	int32_t msg;        /* message (first one for a segment carrying several), -1 */
	uint8_t kind;       /* enum tr_kind */
	uint8_t dir : 3;    /* enum tr_dir (packets) */
	uint8_t mark : 5;   /* TR_MARK_* (packets): what became of it on the way */
	uint16_t point;     /* capture point (packets) */
};

/* What became of a packet on the way, as the sightings show it. */
#define TR_MARK_LOST   0x1 /* a departure never seen arriving, while later ones to that door were */
#define TR_MARK_RESENT 0x2 /* TCP: bytes (or a SYN, a FIN) its door had sent already, sent again */
#define TR_MARK_DUP    0x4 /* an arrival of a frame that had arrived already (duplicated on the way) */

/* A packet event's captured length. */
uint32_t trace_event_caplen(const struct tr_event *e);

/* A message: the bytes of one send()/sendto() (live), or one datagram / one
 * run of a TCP direction's data (opened files). */
struct tr_msg {
	int from, to;       /* doors */
	uint8_t proto;
	uint64_t bytes;
	long send_ev;       /* the send call's event, -1 */
	long first_pkt, last_pkt;   /* first departure and last arrival event of the packets carrying it, -1 */
	int npkts;          /* distinct segments/datagrams that carried any of its bytes (retransmissions counted once) */
	int nretrans;       /* of which retransmitted */
	long first_recv, last_recv; /* the recv calls that delivered its bytes, -1 */
	int nrecv;
	uint64_t stream_off; /* TCP: offset of its first byte in the direction's stream */
};

enum tr_where {
	TR_NOT_YET,        /* not sent yet at this step */
	TR_IN_DOOR,        /* handed to the sender's door, no packet left yet */
	TR_ON_WIRE,        /* a packet left; not all have arrived */
	TR_AT_DOOR,        /* arrived at the receiver's door, not (all) delivered */
	TR_DELIVERED,      /* a recv() took all its bytes */
};

/* A call event's details (the agent's report). */
struct tr_call {
	struct ctl_msg m;
	char text[256];     /* "sendto(192.0.2.2:9000, \"hello\")" */
	char result[256];   /* "= 5, from door ..." */
	int op;             /* enum sc_op */
	bool failed;        /* returned -1 other than the step's expect */
	char *caption;      /* say text, or NULL (owned) */
};

struct trace;

struct trace *trace_new(void);
void trace_free(struct trace *t);

/* ---- building ------------------------------------------------------------ */

/* Hosts and processes from the scenario (live runs and recordings). */
void trace_set_scenario(struct trace *t, const struct scenario *sc);
/* The trace frees sc with itself (opened recordings). */
void trace_own_scenario(struct trace *t, struct scenario *sc);
/* Name a capture point: "alice" (host's link) or "alice lo"; host index or -1. */
int trace_add_point(struct trace *t, const char *name, int host, bool loopback, int linktype);
/* From a live run. */
void trace_add_run_event(struct trace *t, const struct run_event *e);
/* A real program's socket, found through the kernel: the door with that
 * local port on host h belongs to process proc. */
void trace_set_owner(struct trace *t, int host, int proto, int family, uint16_t port, int proc);
/* A captured packet; bytes are copied (live) unless the trace reads from a file. */
void trace_add_packet(struct trace *t, int point, uint64_t ts_ns, const uint8_t *data,
		      uint32_t caplen, uint32_t wirelen);
/* Bring ordering, doors and messages up to date (cheap when nothing changed). */
void trace_update(struct trace *t);

/* Open a run folder (scenario.lab + trace.jsonl + capture.pcapng) or any
 * pcap/pcapng file. NULL with err on failure. */
struct trace *trace_open(const char *path, char *err);

/* ---- reading ------------------------------------------------------------- */

size_t trace_nevents(const struct trace *t);
const struct tr_event *trace_event(const struct trace *t, size_t i);
const struct tr_call *trace_call(const struct trace *t, const struct tr_event *e);
int trace_nhosts(const struct trace *t);
const struct tr_host *trace_host(const struct trace *t, int h);
int trace_nprocs(const struct trace *t);
const struct tr_proc *trace_proc(const struct trace *t, int p);
int trace_ndoors(const struct trace *t);
const struct tr_door *trace_door(const struct trace *t, int d);
int trace_nmsgs(const struct trace *t);
const struct tr_msg *trace_msg(const struct trace *t, int m);
int trace_npoints(const struct trace *t);
const char *trace_point_name(const struct trace *t, int point);
const char *trace_title(const struct trace *t);
const char *trace_about(const struct trace *t);
/* A problem met while opening a file that still left a usable trace
 * ("capture cut short after packet 17"), or "". */
const char *trace_warning(const struct trace *t);
void trace_set_warning(struct trace *t, const char *text);
/* True for a live run or a recording (processes known), false for a plain capture. */
bool trace_has_processes(const struct trace *t);

/* Bytes held per trace (events, doors, messages, hosts; not packet bytes
 * read back from a file). */
size_t trace_index_bytes(const struct trace *t);

/* A packet event's bytes (live: kept; opened: read from the file). Returns
 * NULL when unavailable. *caplen, *wirelen, *linktype filled. */
const uint8_t *trace_packet_bytes(struct trace *t, const struct tr_event *e, uint32_t *caplen,
				  uint32_t *wirelen, int *linktype);
/* Decode a packet event (on demand). */
enum dec_status trace_packet_decode(struct trace *t, const struct tr_event *e, struct dec_pkt *out);

/* A packet event's label, by decode_label (flags: DEC_LABEL_SHORT for the
 * stage): "TCP SYN,ACK", "UDP 5 \"hello\"", "ICMP echo request seq=1". */
void trace_packet_label(struct trace *t, const struct tr_event *e, unsigned flags, char *out, size_t outlen);
/* "udp 192.0.2.2:9000" */
void trace_door_label(const struct trace *t, int d, char *out, size_t outlen);
/* One line for an event: the call with its result, or the packet summary. */
void trace_event_text(struct trace *t, size_t i, char *out, size_t outlen);
/* The caption for the step at event i: the latest say of that process at or
 * before i, else a generated plain-words explanation of the event. */
void trace_caption(struct trace *t, size_t i, char *out, size_t outlen);
/* Where message m is when the cursor is at event i. */
enum tr_where trace_msg_where(const struct trace *t, int m, size_t i);
/* The call that caused a control packet (event i): connect() for a SYN,
 * accept()'s listen for a SYN-ACK, close()/shutdown() for a FIN or RST, the
 * send()/sendto() whose datagram an ICMP error quotes. -1 when none is
 * known (data segments belong to messages instead: e->msg). */
long trace_packet_cause(struct trace *t, size_t i);

/* Steps: events a class steps over (calls, waits, packets departing and
 * arriving, exits); spawns, outputs and duplicates are skipped. Returns the
 * next/previous step index from i, or i itself at the ends. */
bool trace_is_step(const struct trace *t, size_t i);
size_t trace_next_step(const struct trace *t, size_t i);
size_t trace_prev_step(const struct trace *t, size_t i);

/* ---- output -------------------------------------------------------------- */

/* The ASCII ladder: one column per door, one row per step. Its columns fit
 * in width characters (<= 0: TRACE_LADDER_WIDTH): when the doors do not
 * all fit, the busiest keep a column each and the others share one, their
 * doors named on each row, so the output is O(rows) whatever the number of
 * doors. The text of a row follows its columns. */
#define TRACE_LADDER_WIDTH 200
void trace_print_ladder(struct trace *t, FILE *out, int width);
/* One JSON object per event. */
void trace_print_json(struct trace *t, FILE *out);

#endif
