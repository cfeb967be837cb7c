#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"
#include "util.h"

#ifndef PACKET_FANOUT_FLAG_IGNORE_OUTGOING
#define PACKET_FANOUT_FLAG_IGNORE_OUTGOING 0x4000 /* Linux 6.5 */
#endif

/* ---- one link's ring ------------------------------------------------------ */

enum capture_grow {
	CAPTURE_STEADY,    /* not growing */
	CAPTURE_OPENING,   /* the worker opens the new ring */
	CAPTURE_SWITCHING, /* packets go to the new ring; the old one is read soon */
	CAPTURE_CLOSING,   /* the new ring in use; the worker closes the old one */
};

struct capture_ring {
	struct ev *ev;
	ev_fd_fn *ev_fn;
	void *ev_arg;
	capture_ring_fn *fn;
	void *arg;
	pcap_t *p;
	int fd;
	int linktype;
	int netns;            /* the namespace the link lives in (to open a larger ring) */
	char ifname[IFNAMSIZ];
	bool in_only;
	bool userspace_dir;   /* libpcap filters the direction: frames it skips are not counted */
	size_t size;          /* bytes of the current ring */
	unsigned frames;      /* frames it holds (estimated as libpcap lays them out) */
	int fanout;           /* fanout group id, -1: the ring cannot grow */
	uint64_t read;        /* frames read from the current handle */
	uint64_t win_start;   /* the rate window: since (monotonic ns) ... */
	uint64_t win_pkts;    /* ... so many packets */
	uint64_t dropped;     /* by handles closed since */
	unsigned grown;
	/* growing (see capture_ring_grow) */
	enum capture_grow step;
	pthread_t worker;     /* opens the new ring, closes the old one */
	int worker_fd;        /* eventfd: the worker is done */
	size_t next_size;
	pcap_t *next;         /* the new ring (CAPTURE_OPENING: the worker's) */
	uint64_t next_thrown; /* frames of next thrown away (copies of old ones) */
	pcap_t *old;          /* CAPTURE_CLOSING: the worker's */
	long long swap_timer; /* CAPTURE_SWITCHING */
};

/* Frames of a ring of size bytes as libpcap 1.10 lays out its TPACKET_V2
 * ring (immediate mode): one fixed frame per packet, 68 bytes of headers
 * plus the link's MTU + 18 (64 KiB when the link has offloads, as lo
 * has; doorway turns them off on the lab's links), rounded to 16; frames
 * packed into blocks of a power-of-two number of pages. */
static unsigned capture_ring_frames(int fd, const char *ifname, size_t size)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	size_t mtu = ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0 ? (size_t)ifr.ifr_mtu : 65535;
	if (mtu > 9000 && mtu < 65535)
		mtu = 65535;
	size_t frame = (68 + mtu + 18 + 15) & ~(size_t)15;
	size_t block = 4096;
	while (block < frame)
		block *= 2;
	size_t per_block = block / frame;
	size_t nr = (size + frame - 1) / frame;
	return (unsigned)(nr / per_block * per_block);
}

static pcap_t *capture_pcap_open(const char *ifname, size_t size, bool in_only, bool *userspace_dir, char *err)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(ifname, perr);
	if (!p)
		return util_err(err, "capture on %s: %s", ifname, perr), NULL;
	int r;
	if ((r = pcap_set_snaplen(p, CAPTURE_SNAPLEN)) != 0 || (r = pcap_set_immediate_mode(p, 1)) != 0 ||
	    (r = pcap_set_buffer_size(p, (int)size)) != 0 ||
	    (r = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO)) != 0) {
		util_err(err, "capture on %s: %s", ifname, pcap_statustostr(r));
		pcap_close(p);
		return NULL;
	}
	r = pcap_activate(p);
	if (r < 0) {
		util_err(err, "capture on %s: %s (%s)", ifname, pcap_statustostr(r), pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	/* r > 0 is a warning (e.g. promiscuous mode not supported): go on */
	*userspace_dir = false;
	if (in_only) {
		/* only what the host sends: the kernel leaves out what is sent on
		 * the link (the switch's own writes); libpcap filters otherwise */
		int one = 1;
		if (setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0) {
			if (pcap_setdirection(p, PCAP_D_IN) < 0) {
				util_err(err, "capture on %s: setdirection: %s", ifname, pcap_geterr(p));
				pcap_close(p);
				return NULL;
			}
			*userspace_dir = true;
		}
	}
	if (pcap_setnonblock(p, 1, perr) < 0) {
		util_err(err, "capture on %s: setnonblock: %s", ifname, perr);
		pcap_close(p);
		return NULL;
	}
	if (pcap_get_selectable_fd(p) < 0) {
		util_err(err, "capture on %s: no selectable descriptor", ifname);
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* The fanout group's program: every packet to member k (modulo the
 * number of members). */
static int capture_fanout_send_to(pcap_t *p, unsigned k)
{
	struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, k);
	struct sock_fprog prog = { .len = 1, .filter = &ret };
	return setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_FANOUT_DATA, &prog, sizeof prog);
}

/* Each ring is in a fanout group of its own (a new group when id < 0),
 * whose program sends every packet to one member: the ring in use (member
 * 0) until a larger one has joined and is ready (member 1). Returns the
 * group's id or -1. */
static int capture_fanout_join(pcap_t *p, int id, bool in_only)
{
	int fd = pcap_fileno(p);
	uint32_t flags = PACKET_FANOUT_CBPF | (id < 0 ? PACKET_FANOUT_FLAG_UNIQUEID : 0) |
			 (in_only ? PACKET_FANOUT_FLAG_IGNORE_OUTGOING : 0);
	uint32_t arg = (uint32_t)(id < 0 ? 0 : id) | flags << 16;
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) < 0)
		return -1;
	if (id >= 0)
		return id;
	socklen_t len = sizeof arg;
	if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) < 0 || capture_fanout_send_to(p, 0) < 0)
		return -1;
	return (int)(arg & 0xffff);
}

size_t capture_ring_start_size(int nlinks)
{
	size_t s = CAPTURE_RING_BUDGET / (size_t)(nlinks > 0 ? nlinks : 1);
	return s < CAPTURE_RING_MIN ? CAPTURE_RING_MIN : s > CAPTURE_RING_MAX ? CAPTURE_RING_MAX : s;
}

/* One ring, not yet in the loop (may run in a thread of its own). */
static struct capture_ring *capture_ring_new(const char *ifname, size_t size, bool in_only, char *err)
{
	bool udir;
	pcap_t *p = capture_pcap_open(ifname, size, in_only, &udir, err);
	if (!p)
		return NULL;
	struct capture_ring *r = xcalloc(1, sizeof *r);
	r->worker_fd = -1;
	r->p = p;
	r->fd = pcap_get_selectable_fd(p);
	r->linktype = pcap_datalink(p);
	r->in_only = in_only;
	r->userspace_dir = udir;
	r->size = size;
	snprintf(r->ifname, sizeof r->ifname, "%s", ifname);
	r->frames = capture_ring_frames(r->fd, ifname, size);
	/* where to open a larger ring later: this thread's namespace now */
	r->netns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	r->fanout = r->netns >= 0 && size < CAPTURE_RING_MAX ? capture_fanout_join(p, -1, in_only) : -1;
	if (r->fanout < 0 && size < CAPTURE_RING_MAX) {
		/* no fanout here (an old kernel): this ring cannot grow, so it
		 * starts as large as it may become */
		pcap_close(p);
		r->p = capture_pcap_open(ifname, CAPTURE_RING_MAX, in_only, &r->userspace_dir, err);
		if (!r->p) {
			capture_ring_close(r);
			return NULL;
		}
		r->fd = pcap_get_selectable_fd(r->p);
		r->size = CAPTURE_RING_MAX;
		r->frames = capture_ring_frames(r->fd, ifname, r->size);
	}
	return r;
}

/* Setting up a ring waits for the kernel (an RCU grace period, 10-30 ms
 * here): a lesson's rings are opened by a few threads at once, whose waits
 * overlap (64 links: a quarter of a second less). Each thread starts in
 * the caller's network namespace. */
#define CAPTURE_OPENERS 16

struct capture_opener {
	const char *const *ifname;
	int n, from, step;
	size_t size;
	bool in_only;
	struct capture_ring **out;
	char (*err)[UTIL_ERRLEN];
	pthread_t th;
};

static void *capture_opener_main(void *arg)
{
	struct capture_opener *o = arg;
	for (int i = o->from; i < o->n; i += o->step)
		o->out[i] = capture_ring_new(o->ifname[i], o->size, o->in_only, o->err[i]);
	return NULL;
}

int capture_rings_open(struct ev *ev, int n, const char *const *ifname, size_t size, bool in_only,
		       capture_ring_fn *fn, void *const *arg, ev_fd_fn *ev_fn, void *const *ev_arg,
		       struct capture_ring **out, char *err)
{
	char (*errs)[UTIL_ERRLEN] = xcalloc((size_t)(n > 0 ? n : 1), sizeof *errs);
	int nth = n < CAPTURE_OPENERS ? n : CAPTURE_OPENERS;
	struct capture_opener o[CAPTURE_OPENERS];
	unsigned started = 0;
	for (int k = 0; k < nth; k++) {
		o[k] = (struct capture_opener){ ifname, n, k, nth, size, in_only, out, errs, 0 };
		if (n > 1 && pthread_create(&o[k].th, NULL, capture_opener_main, &o[k]) == 0)
			started |= 1u << k;
		else
			capture_opener_main(&o[k]);
	}
	for (int k = 0; k < nth; k++)
		if (started & (1u << k))
			pthread_join(o[k].th, NULL);
	int bad = -1;
	for (int i = 0; i < n && bad < 0; i++)
		if (!out[i])
			bad = i;
	if (bad >= 0) {
		util_err(err, "%s", errs[bad]);
		capture_rings_close(out, n);
		memset(out, 0, (size_t)n * sizeof *out);
		free(errs);
		return -1;
	}
	free(errs);
	for (int i = 0; i < n; i++) {
		struct capture_ring *r = out[i];
		r->ev = ev;
		r->ev_fn = ev_fn;
		r->ev_arg = ev_arg[i];
		r->fn = fn;
		r->arg = arg[i];
		if (ev)
			ev_add_fd(ev, r->fd, EV_READ, ev_fn, r->ev_arg);
	}
	return 0;
}

struct capture_ring *capture_ring_open(struct ev *ev, const char *ifname, size_t size, bool in_only,
				       capture_ring_fn *fn, void *arg, ev_fd_fn *ev_fn, void *ev_arg, char *err)
{
	struct capture_ring *r;
	return capture_rings_open(ev, 1, &ifname, size, in_only, fn, &arg, ev_fn, &ev_arg, &r, err) < 0 ? NULL : r;
}

static void capture_ring_on_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture_ring *r = (struct capture_ring *)user;
	r->read++;
	/* nanosecond timestamps were asked for at activation */
	r->fn(r->arg, (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec, h->caplen, h->len, data);
}

static uint64_t capture_ring_drops(pcap_t *p, uint64_t *in_ring)
{
	struct pcap_stat st;
	if (pcap_stats(p, &st) != 0) {
		*in_ring = 0;
		return 0;
	}
	/* ps_recv counts every frame the kernel put in the ring plus the drops */
	*in_ring = st.ps_recv >= st.ps_drop ? st.ps_recv - st.ps_drop : 0;
	return (uint64_t)st.ps_drop + st.ps_ifdrop;
}

static void capture_ring_discard(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(*(uint64_t *)user)++;
}

/* Read p until every frame the kernel put in its ring was read (the
 * kernel counts a frame when it takes it, before the copy ends), handing
 * them to fn; *count counts them. The drops p had, or -1 when p cannot say. */
#define CAPTURE_EMPTY_MAX_MS 5

static int64_t capture_ring_empty(pcap_t *p, pcap_handler fn, u_char *user, const uint64_t *count,
				  bool counted)
{
	uint64_t t0 = util_now_mono_ns();
	for (;;) {
		while (pcap_dispatch(p, -1, fn, user) > 0)
			;
		uint64_t in_ring;
		uint64_t d = capture_ring_drops(p, &in_ring);
		if (!counted || *count >= in_ring)
			return (int64_t)d;
		/* a frame being copied is there within microseconds */
		if (util_now_mono_ns() - t0 > CAPTURE_EMPTY_MAX_MS * 1000000ull)
			return -1;
		sched_yield();
	}
}

/* Growing, in four steps, none of which stops the loop for long: the
 * kernel takes tens of milliseconds to allocate a large ring (2 ms per MiB
 * here) and to close one (an RCU grace period), during which a loop that
 * waited would let the other links' rings fill. A worker thread does
 * those two, on the same link in the link's namespace (setns changes the
 * calling thread only), while the loop goes on reading.
 *
 * 1. OPENING (worker): the new socket gets every packet the old one gets
 *    from its activation: it rejects them all (a socket filter) until it
 *    has joined the old ring's fanout group, whose program still sends
 *    every packet to the old ring; then it lets them in, and what it took
 *    before (copies of the old ring's packets) is thrown away.
 * 2. SWITCHING (loop): the group's program sends every packet to the new
 *    ring; two milliseconds later (a packet already on its way to the old
 *    ring is in it by then) the old ring is read to its last frame and the
 *    loop reads the new one from then on, so the order is kept.
 * 3. CLOSING (worker): the old ring is closed; then the program sends to
 *    member 0 again (the new ring, alone), ready for the next growth. */
static void capture_ring_signal(struct capture_ring *r)
{
	uint64_t one = 1;
	if (write(r->worker_fd, &one, sizeof one) < 0) {
		/* an eventfd write only fails on overflow: cannot happen */
	}
}

static void *capture_ring_opener(void *arg)
{
	struct capture_ring *r = arg;
	char err[UTIL_ERRLEN];
	pcap_t *np = NULL;
	bool udir = false;
	if (setns(r->netns, CLONE_NEWNET) == 0)
		np = capture_pcap_open(r->ifname, r->next_size, r->in_only, &udir, err);
	struct sock_filter ret0 = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog none = { .len = 1, .filter = &ret0 };
	int dummy = 0;
	if (np && (udir != r->userspace_dir ||
		   setsockopt(pcap_fileno(np), SOL_SOCKET, SO_ATTACH_FILTER, &none, sizeof none) < 0 ||
		   capture_fanout_join(np, r->fanout, r->in_only) < 0)) {
		pcap_close(np);
		np = NULL;
	}
	if (np) {
		/* a packet that passed the socket's own hook before it joined is
		 * through the filter within microseconds */
		struct timespec ms2 = { 0, 2000000 };
		nanosleep(&ms2, NULL);
		uint64_t thrown = 0;
		if (setsockopt(pcap_fileno(np), SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof dummy) < 0 ||
		    capture_ring_empty(np, capture_ring_discard, (u_char *)&thrown, &thrown, !udir) < 0) {
			pcap_close(np);
			np = NULL;
		}
		r->next_thrown = thrown; /* frames its kernel count includes */
	}
	r->next = np;
	capture_ring_signal(r);
	return NULL;
}

static void *capture_ring_closer(void *arg)
{
	struct capture_ring *r = arg;
	pcap_close(r->old);
	r->old = NULL;
	capture_ring_signal(r);
	return NULL;
}

static void capture_ring_on_worker(struct ev *ev, int fd, int events, void *arg);

static int capture_ring_start_worker(struct capture_ring *r, void *(*fn)(void *))
{
	uint64_t v;
	if (read(r->worker_fd, &v, sizeof v) < 0) {
		/* nothing signalled yet: fine */
	}
	return pthread_create(&r->worker, NULL, fn, r) == 0 ? 0 : -1;
}

static void capture_ring_grow(struct capture_ring *r, double want_frames)
{
	if (r->step != CAPTURE_STEADY)
		return;
	if (r->worker_fd < 0) {
		r->worker_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (r->worker_fd < 0) {
			r->fanout = -1; /* stays as it is */
			return;
		}
		if (r->ev)
			ev_add_fd(r->ev, r->worker_fd, EV_READ, capture_ring_on_worker, r);
	}
	/* four times larger, or as large as the rate asks at once */
	size_t size = r->size * 4;
	while (size < CAPTURE_RING_MAX && r->frames && (double)size / r->size * r->frames < want_frames)
		size *= 4;
	r->next_size = size > CAPTURE_RING_MAX ? CAPTURE_RING_MAX : size;
	r->next = NULL;
	if (capture_ring_start_worker(r, capture_ring_opener) < 0) {
		r->fanout = -1;
		return;
	}
	r->step = CAPTURE_OPENING;
}

/* Step 2's end: the old ring read to its end, the new one in use, the
 * old one handed to the worker (or closed here when wait). */
static void capture_ring_swap(struct capture_ring *r, bool wait)
{
	int64_t d = capture_ring_empty(r->p, capture_ring_on_pkt, (u_char *)r, &r->read, !r->userspace_dir);
	r->dropped += d > 0 ? (uint64_t)d : 0;
	if (r->ev)
		ev_del_fd(r->ev, r->fd);
	r->old = r->p;
	r->p = r->next;
	r->next = NULL;
	r->fd = pcap_get_selectable_fd(r->p);
	r->size = r->next_size;
	r->frames = capture_ring_frames(r->fd, r->ifname, r->size);
	r->read = r->next_thrown;
	r->win_start = util_now_mono_ns();
	r->win_pkts = 0;
	r->grown++;
	if (r->ev)
		ev_add_fd(r->ev, r->fd, EV_READ, r->ev_fn, r->ev_arg);
	r->step = CAPTURE_CLOSING;
	if (wait || capture_ring_start_worker(r, capture_ring_closer) < 0) {
		capture_ring_closer(r);
		r->step = CAPTURE_STEADY;
		if (capture_fanout_send_to(r->p, 0) < 0)
			r->fanout = -1;
	}
}

static int64_t capture_ring_on_swap(struct ev *ev, long long id, void *arg)
{
	struct capture_ring *r = arg;
	r->swap_timer = 0;
	capture_ring_swap(r, false);
	return EV_NOMORE;
}

/* The worker is done: the next step. wait: do everything now (end of a
 * run, or no loop). */
static void capture_ring_step(struct capture_ring *r, bool wait)
{
	pthread_join(r->worker, NULL);
	if (r->step == CAPTURE_CLOSING) {
		r->step = CAPTURE_STEADY;
		if (capture_fanout_send_to(r->p, 0) < 0)
			r->fanout = -1;
		return;
	}
	/* CAPTURE_OPENING */
	if (!r->next || capture_fanout_send_to(r->next, 1) < 0) {
		if (r->next)
			pcap_close(r->next);
		r->next = NULL;
		r->step = CAPTURE_STEADY;
		r->fanout = -1; /* it cannot grow here: stays as it is */
		return;
	}
	r->step = CAPTURE_SWITCHING;
	if (r->ev && !wait) {
		r->swap_timer = ev_add_timer(r->ev, 2, capture_ring_on_swap, r);
		return;
	}
	struct timespec ms2 = { 0, 2000000 };
	nanosleep(&ms2, NULL);
	capture_ring_swap(r, wait);
}

static void capture_ring_on_worker(struct ev *ev, int fd, int events, void *arg)
{
	struct capture_ring *r = arg;
	uint64_t v;
	if (fd != r->worker_fd || read(r->worker_fd, &v, sizeof v) != sizeof v)
		return;
	if (r->step == CAPTURE_OPENING || r->step == CAPTURE_CLOSING)
		capture_ring_step(r, false);
}

/* Finish a growth under way, at once. */
static void capture_ring_settle(struct capture_ring *r)
{
	if (r->step == CAPTURE_OPENING || r->step == CAPTURE_CLOSING)
		capture_ring_step(r, true);
	if (r->step == CAPTURE_SWITCHING) {
		if (r->swap_timer)
			ev_del_timer(r->ev, r->swap_timer);
		r->swap_timer = 0;
		capture_ring_swap(r, true);
	}
	if (r->step == CAPTURE_CLOSING)
		capture_ring_step(r, true);
}

/* Grow when a read finds the ring a quarter full, or when the rate of the
 * last CAPTURE_RATE_WINDOW_MS would fill it in less than
 * CAPTURE_FILL_MIN_MS: a busy link grows early, while its ring is still
 * nearly empty. */
#define CAPTURE_RATE_WINDOW_MS 10
#define CAPTURE_FILL_MIN_MS 250

int capture_ring_read(struct capture_ring *r)
{
	int n = pcap_dispatch(r->p, -1, capture_ring_on_pkt, (u_char *)r);
	if (n <= 0 || r->fanout < 0 || r->size >= CAPTURE_RING_MAX || r->step != CAPTURE_STEADY)
		return n;
	double want = (unsigned)n >= r->frames / 4 ? 4.0 * n : 0;
	uint64_t now = util_now_mono_ns();
	r->win_pkts += (uint64_t)n;
	if (now - r->win_start >= CAPTURE_RATE_WINDOW_MS * 1000000ull) {
		/* the frames CAPTURE_FILL_MIN_MS of this rate need */
		if (now - r->win_start < 1000000000ull) {
			double need = (double)r->win_pkts * CAPTURE_FILL_MIN_MS * 1e6 / (double)(now - r->win_start);
			want = need > want ? need : want;
		}
		r->win_start = now;
		r->win_pkts = 0;
	}
	if (want > r->frames)
		capture_ring_grow(r, want);
	return n;
}

void capture_ring_drain(struct capture_ring *r)
{
	capture_ring_settle(r);
	while (pcap_dispatch(r->p, -1, capture_ring_on_pkt, (u_char *)r) > 0)
		;
}

int capture_ring_fd(const struct capture_ring *r) { return r->fd; }
int capture_ring_linktype(const struct capture_ring *r) { return r->linktype; }
size_t capture_ring_size(const struct capture_ring *r) { return r->size; }

int capture_ring_inject(struct capture_ring *r, const uint8_t *data, uint32_t len)
{
	return pcap_inject(r->p, data, len) == (int)len ? 0 : -1;
}

uint64_t capture_ring_dropped(struct capture_ring *r)
{
	uint64_t in_ring;
	return r->dropped + capture_ring_drops(r->p, &in_ring);
}

/* Everything but the handle's close, which the caller does. */
static pcap_t *capture_ring_release(struct capture_ring *r)
{
	if (r->step == CAPTURE_OPENING || r->step == CAPTURE_CLOSING)
		pthread_join(r->worker, NULL);
	if (r->swap_timer)
		ev_del_timer(r->ev, r->swap_timer);
	if (r->next)
		pcap_close(r->next);
	if (r->old)
		pcap_close(r->old);
	if (r->worker_fd >= 0) {
		if (r->ev)
			ev_del_fd(r->ev, r->worker_fd);
		close(r->worker_fd);
	}
	if (r->p && r->ev)
		ev_del_fd(r->ev, r->fd);
	if (r->netns >= 0)
		close(r->netns);
	pcap_t *p = r->p;
	free(r);
	return p;
}

void capture_ring_close(struct capture_ring *r)
{
	if (!r)
		return;
	pcap_t *p = capture_ring_release(r);
	if (p)
		pcap_close(p);
}

/* Closing a ring waits for an RCU grace period (10-40 ms here): a lesson's
 * rings are closed by a few threads at once, whose waits overlap. */
#define CAPTURE_CLOSERS 16

struct capture_closer {
	pcap_t **p;
	int n, from, step;
	pthread_t th;
};

static void *capture_closer_main(void *arg)
{
	struct capture_closer *c = arg;
	for (int i = c->from; i < c->n; i += c->step)
		if (c->p[i])
			pcap_close(c->p[i]);
	return NULL;
}

void capture_rings_close(struct capture_ring **r, int n)
{
	pcap_t **p = xcalloc((size_t)(n > 0 ? n : 1), sizeof *p);
	for (int i = 0; i < n; i++)
		p[i] = r[i] ? capture_ring_release(r[i]) : NULL;
	int nth = n < CAPTURE_CLOSERS ? n : CAPTURE_CLOSERS;
	struct capture_closer c[CAPTURE_CLOSERS];
	int started = 0;
	for (int k = 0; k < nth; k++) {
		c[k] = (struct capture_closer){ p, n, k, nth, 0 };
		if (n > 1 && pthread_create(&c[k].th, NULL, capture_closer_main, &c[k]) == 0)
			started |= 1 << k;
		else
			capture_closer_main(&c[k]);
	}
	for (int k = 0; k < nth; k++)
		if (started & (1 << k))
			pthread_join(c[k].th, NULL);
	free(p);
}

/* ---- the capture points of a live run ------------------------------------- */

struct capture_point {
	struct capture *c;
	int index;
	struct capture_ring *r;
	char ifname[32];
	uint64_t seen;
};

struct capture {
	struct ev *ev;
	capture_fn *fn;
	void *arg;
	struct capture_point **pt;
	int n;
};

struct capture *capture_new(struct ev *ev, capture_fn *fn, void *arg)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->ev = ev;
	c->fn = fn;
	c->arg = arg;
	return c;
}

static void capture_on_pkt(void *arg, uint64_t ts_ns, uint32_t caplen, uint32_t wirelen, const uint8_t *data)
{
	struct capture_point *pt = arg;
	pt->seen++;
	struct capture_pkt k = {
		.point = pt->index,
		.ts_ns = ts_ns,
		.caplen = caplen,
		.wirelen = wirelen,
		.linktype = capture_ring_linktype(pt->r),
		.data = data,
	};
	pt->c->fn(&k, pt->c->arg);
}

static void capture_on_fd(struct ev *ev, int fd, int events, void *arg)
{
	struct capture_point *pt = arg;
	if (capture_ring_fd(pt->r) == fd)
		capture_ring_read(pt->r);
}

int capture_open_links(struct capture *c, int n, const char *const *ifname, size_t size, char *err)
{
	struct capture_point **pt = xcalloc((size_t)(n > 0 ? n : 1), sizeof *pt);
	void **args = xcalloc((size_t)(n > 0 ? n : 1), sizeof *args);
	struct capture_ring **r = xcalloc((size_t)(n > 0 ? n : 1), sizeof *r);
	for (int i = 0; i < n; i++) {
		pt[i] = xcalloc(1, sizeof **pt);
		pt[i]->c = c;
		pt[i]->index = c->n + i;
		snprintf(pt[i]->ifname, sizeof pt[i]->ifname, "%s", ifname[i]);
		args[i] = pt[i];
	}
	int first = -1;
	if (capture_rings_open(c->ev, n, ifname, size, false, capture_on_pkt, args, capture_on_fd, args, r, err) == 0) {
		c->pt = xreallocarray(c->pt, (size_t)c->n + (size_t)n, sizeof *c->pt);
		for (int i = 0; i < n; i++) {
			pt[i]->r = r[i];
			c->pt[c->n + i] = pt[i];
		}
		first = c->n;
		c->n += n;
	} else {
		for (int i = 0; i < n; i++)
			free(pt[i]);
	}
	free(pt);
	free(args);
	free(r);
	return first;
}

int capture_open(struct capture *c, const char *ifname, size_t size, char *err)
{
	return capture_open_links(c, 1, &ifname, size, err);
}

int capture_count(const struct capture *c) { return c->n; }
int capture_linktype(const struct capture *c, int point) { return capture_ring_linktype(c->pt[point]->r); }
const char *capture_ifname(const struct capture *c, int point) { return c->pt[point]->ifname; }
size_t capture_size(const struct capture *c, int point) { return capture_ring_size(c->pt[point]->r); }

void capture_drain(struct capture *c)
{
	for (int i = 0; i < c->n; i++)
		capture_ring_drain(c->pt[i]->r);
}

void capture_stats(struct capture *c, int point, uint64_t *seen, uint64_t *dropped)
{
	*seen = c->pt[point]->seen;
	*dropped = capture_ring_dropped(c->pt[point]->r);
}

void capture_free(struct capture *c)
{
	if (!c)
		return;
	struct capture_ring **r = xcalloc((size_t)(c->n > 0 ? c->n : 1), sizeof *r);
	for (int i = 0; i < c->n; i++) {
		r[i] = c->pt[i]->r;
		free(c->pt[i]);
	}
	capture_rings_close(r, c->n);
	free(r);
	free(c->pt);
	free(c);
}
