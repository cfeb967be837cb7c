/* outbuf — a headless run's standard output, which never stops the loop.
 *
 * What the report and the trace print goes through a FILE * (outbuf_file)
 * into memory and out to the descriptor whenever it takes bytes: at once
 * if it can, otherwise when the loop sees it writable (POLLOUT). A pipe or
 * terminal is written through a non-blocking descriptor of its own (the
 * shell's shared one is left as it was), a socket with MSG_DONTWAIT, a
 * regular file or device directly. So a reader that stalls (`| sleep 60`)
 * never blocks doorway in write() with its signals held: the timeout,
 * Ctrl-C and SIGTERM still act.
 *
 * The memory is bounded: past OUTBUF_MAX bytes waiting, a write waits for
 * the reader, for SIGINT/SIGTERM/SIGHUP (left pending for the loop) or for
 * the deadline, whichever comes first; the last two abandon the output.
 * Any failure (a write error, a reader gone, abandoned) is final: later
 * writes are dropped, the FILE's error flag is set, and on_fail is called
 * once (from inside a write: it must only note it, or schedule work). */
#ifndef DOORWAY_OUTBUF_H
#define DOORWAY_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ev;
struct outbuf;

#define OUTBUF_MAX (4u << 20)

enum outbuf_state {
	OUTBUF_OK,
	OUTBUF_ERROR,       /* write() failed (outbuf_errno: EPIPE when the reader is gone) */
	OUTBUF_INTERRUPTED, /* a stop signal arrived while waiting for the reader */
	OUTBUF_TIMEDOUT,    /* the deadline passed while waiting for the reader */
};

struct outbuf *outbuf_new(int fd, struct ev *ev, void (*on_fail)(void *arg), void *arg);
FILE *outbuf_file(struct outbuf *o);
/* Monotonic ns after which waiting for the reader gives up (0: never;
 * a time already past: no waiting at all). */
void outbuf_set_deadline(struct outbuf *o, uint64_t mono_ns);
/* Flush the FILE and write out everything, waiting as described above.
 * 0, or -1 (see outbuf_state). */
int outbuf_drain(struct outbuf *o);
enum outbuf_state outbuf_state(const struct outbuf *o);
int outbuf_errno(const struct outbuf *o);
size_t outbuf_pending(const struct outbuf *o);
/* "standard output: No space left on device", "" when all is well. */
const char *outbuf_error(const struct outbuf *o);
/* Closes the FILE and the descriptor of its own (not fd). */
void outbuf_free(struct outbuf *o);

#endif
