#include "outbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ev.h"
#include "util.h"

struct outbuf {
	struct ev *ev;
	int fd;
	bool own_fd;    /* a non-blocking descriptor of our own for fd's pipe or terminal */
	bool sock;      /* send() with MSG_DONTWAIT */
	bool guarded;   /* a blocking pipe or terminal: poll first, then PIPE_BUF at most */
	bool watching;  /* EV_WRITE registered with the loop */
	char *buf;      /* bytes [off, len) wait */
	size_t off, len, cap;
	uint64_t deadline_ns;
	FILE *f;
	enum outbuf_state state;
	int err;
	char msg[UTIL_ERRLEN];
	void (*on_fail)(void *arg);
	void *arg;
};

static void outbuf_on_writable(struct ev *ev, int fd, int events, void *arg);

static void outbuf_watch(struct outbuf *o)
{
	bool want = o->state == OUTBUF_OK && o->off < o->len && o->ev;
	if (want == o->watching)
		return;
	o->watching = want;
	if (want)
		ev_add_fd(o->ev, o->fd, EV_WRITE, outbuf_on_writable, o);
	else
		ev_del_fd(o->ev, o->fd);
}

static void outbuf_fail(struct outbuf *o, enum outbuf_state st, int err)
{
	if (o->state != OUTBUF_OK)
		return;
	o->state = st;
	o->err = err;
	size_t left = o->len - o->off;
	switch (st) {
	case OUTBUF_ERROR:
		if (err == EPIPE)
			snprintf(o->msg, sizeof o->msg, "standard output: the reader has gone (%s)", strerror(err));
		else
			snprintf(o->msg, sizeof o->msg, "standard output: %s", strerror(err));
		break;
	case OUTBUF_INTERRUPTED:
		snprintf(o->msg, sizeof o->msg, "standard output: interrupted while nobody read it (%zu bytes not written)",
			 left);
		break;
	case OUTBUF_TIMEDOUT:
		snprintf(o->msg, sizeof o->msg, "standard output: nobody reads it (%zu bytes not written)", left);
		break;
	case OUTBUF_OK:
		break;
	}
	o->off = o->len = 0;
	outbuf_watch(o);
	if (o->on_fail)
		o->on_fail(o->arg);
}

/* Write what waits, as much as the descriptor takes without blocking. */
static void outbuf_try(struct outbuf *o)
{
	while (o->state == OUTBUF_OK && o->off < o->len) {
		size_t n = o->len - o->off;
		ssize_t w;
		if (o->sock) {
			w = send(o->fd, o->buf + o->off, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		} else {
			if (o->guarded) {
				struct pollfd p = { .fd = o->fd, .events = POLLOUT };
				if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLOUT | POLLERR | POLLHUP)))
					break;
				if (n > PIPE_BUF)
					n = PIPE_BUF; /* what a pipe that polls writable takes at once */
			}
			w = write(o->fd, o->buf + o->off, n);
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			outbuf_fail(o, OUTBUF_ERROR, errno);
			return;
		}
		o->off += (size_t)w;
	}
	if (o->off == o->len)
		o->off = o->len = 0;
	outbuf_watch(o);
}

static void outbuf_on_writable(struct ev *ev, int fd, int events, void *arg)
{
	outbuf_try(arg);
}

/* Wait (poll, outside the loop) until at most target bytes wait, the
 * output fails, a stop signal is pending or the deadline passes. */
static void outbuf_wait(struct outbuf *o, size_t target)
{
	outbuf_try(o);
	if (o->state != OUTBUF_OK || o->len - o->off <= target)
		return;
	int sfd = util_stop_signal_fd();
	while (o->state == OUTBUF_OK && o->len - o->off > target) {
		int ms = -1;
		if (o->deadline_ns) {
			uint64_t now = util_now_mono_ns();
			if (now >= o->deadline_ns) {
				outbuf_fail(o, OUTBUF_TIMEDOUT, 0);
				break;
			}
			uint64_t left = (o->deadline_ns - now + 999999) / 1000000;
			ms = left > INT_MAX ? INT_MAX : (int)left;
		}
		struct pollfd p[2] = { { .fd = o->fd, .events = POLLOUT }, { .fd = sfd, .events = POLLIN } };
		int r = poll(p, sfd >= 0 ? 2 : 1, ms);
		if (r < 0 && errno != EINTR) {
			outbuf_fail(o, OUTBUF_ERROR, errno);
			break;
		}
		if (sfd >= 0 && (p[1].revents & POLLIN)) {
			outbuf_fail(o, OUTBUF_INTERRUPTED, 0);
			break;
		}
		if (r > 0 && p[0].revents) {
			if (p[0].revents & POLLNVAL) {
				outbuf_fail(o, OUTBUF_ERROR, EBADF);
				break;
			}
			outbuf_try(o);
		}
	}
	if (sfd >= 0)
		close(sfd);
}

static ssize_t outbuf_cookie_write(void *cookie, const char *p, size_t n)
{
	struct outbuf *o = cookie;
	if (o->state != OUTBUF_OK) {
		errno = o->err ? o->err : EIO;
		return 0; /* an error for stdio: sets the FILE's error flag */
	}
	if (o->off && o->off >= o->len / 2) {
		memmove(o->buf, o->buf + o->off, o->len - o->off);
		o->len -= o->off;
		o->off = 0;
	}
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 8192;
		while (cap < o->len + n)
			cap *= 2;
		o->buf = xreallocarray(o->buf, cap, 1);
		o->cap = cap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	outbuf_try(o);
	if (o->state == OUTBUF_OK && o->len - o->off > OUTBUF_MAX)
		outbuf_wait(o, OUTBUF_MAX / 2);
	if (o->state != OUTBUF_OK) {
		errno = o->err ? o->err : EIO;
		return 0;
	}
	return (ssize_t)n;
}

struct outbuf *outbuf_new(int fd, struct ev *ev, void (*on_fail)(void *arg), void *arg)
{
	struct outbuf *o = xcalloc(1, sizeof *o);
	o->ev = ev;
	o->fd = fd;
	o->on_fail = on_fail;
	o->arg = arg;
	struct stat st;
	if (fstat(fd, &st) == 0) {
		if (S_ISSOCK(st.st_mode)) {
			o->sock = true;
		} else if (S_ISFIFO(st.st_mode) || isatty(fd)) {
			/* the same pipe or terminal, opened anew: O_NONBLOCK on
			 * it leaves the shell's shared description alone */
			char path[64];
			snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
			int nfd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			if (nfd >= 0) {
				o->fd = nfd;
				o->own_fd = true;
			} else {
				o->guarded = true;
			}
		}
	}
	static const cookie_io_functions_t io = { .write = outbuf_cookie_write };
	o->f = fopencookie(o, "w", io);
	if (!o->f)
		fatal("fopencookie");
	return o;
}

FILE *outbuf_file(struct outbuf *o) { return o->f; }

void outbuf_set_deadline(struct outbuf *o, uint64_t mono_ns) { o->deadline_ns = mono_ns; }

int outbuf_drain(struct outbuf *o)
{
	fflush(o->f);
	outbuf_wait(o, 0);
	return o->state == OUTBUF_OK ? 0 : -1;
}

enum outbuf_state outbuf_state(const struct outbuf *o) { return o->state; }
int outbuf_errno(const struct outbuf *o) { return o->err; }
size_t outbuf_pending(const struct outbuf *o) { return o->len - o->off; }
const char *outbuf_error(const struct outbuf *o) { return o->msg; }

void outbuf_free(struct outbuf *o)
{
	if (!o)
		return;
	o->state = o->state == OUTBUF_OK ? OUTBUF_ERROR : o->state; /* fclose flushes: nothing more */
	o->on_fail = NULL;
	if (o->watching && o->ev)
		ev_del_fd(o->ev, o->fd);
	fclose(o->f);
	if (o->own_fd)
		close(o->fd);
	free(o->buf);
	free(o);
}
