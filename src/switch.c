#include "switch.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "ev.h"
#include "util.h"

#define SWITCH_MACS 256          /* learned addresses (a lab has at most 64 hosts) */

struct switch_frame {
	struct switch_frame *next;
	uint64_t due_ns;             /* CLOCK_MONOTONIC (delay queue) */
	struct switch_held h;
	uint8_t data[];
};

/* What a port's ring hands its packets to (a ring may be read outside
 * switch_dispatch: when a larger one replaces it). */
struct switch_ref {
	struct switch_net *s;
	int port;
};

struct switch_port {
	struct capture_ring *r;
	struct switch_ref *ref;
	char ifname[32];
	struct fault_cfg f;
	bool faulty;                 /* fault_any(&f) */
	bool drop_next;
	uint64_t nfault;             /* frames faults applied to so far */
	uint64_t busy_until;         /* rate limit: monotonic ns */
};

struct switch_mac {
	uint8_t mac[6];
	int port;
};

struct switch_net {
	struct ev *ev;
	uint64_t seed;
	switch_pkt_fn *fn;
	switch_idle_fn *idle;
	void *arg;
	struct switch_port *port;
	int nports;
	struct switch_mac mac[SWITCH_MACS];
	int nmacs;
	bool drop_next_any;
	bool hold;
	bool draining;
	struct switch_frame *queue;  /* delay queue, by due time */
	long long timer;             /* armed while the queue is not empty */
	struct switch_frame *held, **held_tail;
	bool gate_closed;
	struct switch_frame *gated, **gated_tail; /* behind the closed gate, in order */
	int nheld;
	uint64_t next_id;
	struct switch_stats st;
};

static uint64_t switch_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct switch_net *switch_new(struct ev *ev, uint64_t seed, switch_pkt_fn *fn, switch_idle_fn *idle,
			      void *arg)
{
	struct switch_net *s = xcalloc(1, sizeof *s);
	s->ev = ev;
	s->seed = seed;
	s->fn = fn;
	s->idle = idle;
	s->arg = arg;
	s->held_tail = &s->held;
	s->gated_tail = &s->gated;
	return s;
}

static void switch_learn(struct switch_net *s, const uint8_t *src, int port)
{
	if (src[0] & 1)
		return; /* a group address is never a source */
	for (int i = 0; i < s->nmacs; i++) {
		if (!memcmp(s->mac[i].mac, src, 6)) {
			s->mac[i].port = port; /* a host that moved */
			return;
		}
	}
	if (s->nmacs < SWITCH_MACS) {
		memcpy(s->mac[s->nmacs].mac, src, 6);
		s->mac[s->nmacs++].port = port;
	}
}

static int switch_lookup(const struct switch_net *s, const uint8_t *dst)
{
	if (dst[0] & 1)
		return -1;
	for (int i = 0; i < s->nmacs; i++)
		if (!memcmp(s->mac[i].mac, dst, 6))
			return s->mac[i].port;
	return -1;
}

static void switch_write(struct switch_net *s, int port, const uint8_t *data, uint32_t len)
{
	struct switch_port *pt = &s->port[port];
	struct switch_pkt k = { .port = port, .out = true, .ts_ns = util_now_real_ns(), .len = len,
				.data = data };
	if (capture_ring_inject(pt->r, data, len) < 0) {
		s->st.dropped++;
		return;
	}
	s->st.written++;
	s->fn(&k, s->arg);
}

/* To the destination's link, or every other link (broadcast, multicast,
 * an address not learned yet). */
static struct switch_frame *switch_frame_new(struct switch_net *s, int port, uint64_t id, uint64_t ts,
					     const uint8_t *data, uint32_t len);

static void switch_forward(struct switch_net *s, int in, const uint8_t *data, uint32_t len)
{
	if (len < 14 || s->draining)
		return;
	if (s->gate_closed) {
		struct switch_frame *f = switch_frame_new(s, in, 0, 0, data, len);
		*s->gated_tail = f;
		s->gated_tail = &f->next;
		return;
	}
	int out = switch_lookup(s, data);
	if (out == in)
		return; /* for a host on the link it came from: the link had it already */
	if (out >= 0) {
		switch_write(s, out, data, len);
		return;
	}
	for (int p = 0; p < s->nports; p++)
		if (p != in)
			switch_write(s, p, data, len);
}

static struct switch_frame *switch_frame_new(struct switch_net *s, int port, uint64_t id, uint64_t ts,
					     const uint8_t *data, uint32_t len)
{
	struct switch_frame *f = xmalloc(sizeof *f + len);
	memset(f, 0, sizeof *f);
	memcpy(f->data, data, len);
	f->h.id = id;
	f->h.port = port;
	f->h.since_ns = ts;
	f->h.len = len;
	f->h.data = f->data;
	return f;
}

static int64_t switch_on_timer(struct ev *ev, long long id, void *arg);

static void switch_arm(struct switch_net *s)
{
	if (s->timer) {
		ev_del_timer(s->ev, s->timer);
		s->timer = 0;
	}
	if (!s->queue)
		return;
	uint64_t now = switch_mono_ns();
	uint64_t wait = s->queue->due_ns > now ? s->queue->due_ns - now : 0;
	s->timer = ev_add_timer(s->ev, (int64_t)((wait + 999999) / 1000000), switch_on_timer, s);
}

static void switch_enqueue(struct switch_net *s, struct switch_frame *f)
{
	struct switch_frame **pp = &s->queue;
	while (*pp && (*pp)->due_ns <= f->due_ns)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	if (s->queue == f)
		switch_arm(s);
}

/* Forward the frames that are due; returns ms to the next one, or EV_NOMORE. */
static int64_t switch_run_queue(struct switch_net *s)
{
	uint64_t now = switch_mono_ns();
	while (s->queue && s->queue->due_ns <= now + 500000) { /* within half a tick */
		struct switch_frame *f = s->queue;
		s->queue = f->next;
		switch_forward(s, f->h.port, f->data, f->h.len);
		free(f);
	}
	if (!s->queue)
		return EV_NOMORE;
	now = switch_mono_ns();
	uint64_t wait = s->queue->due_ns > now ? s->queue->due_ns - now : 0;
	return (int64_t)((wait + 999999) / 1000000);
}

static int64_t switch_on_timer(struct ev *ev, long long id, void *arg)
{
	struct switch_net *s = arg;
	int64_t next = switch_run_queue(s);
	if (next == EV_NOMORE)
		s->timer = 0;
	if (s->idle)
		s->idle(s->arg);
	return next;
}

/* Through the port's faults: lost, or forwarded now, or queued. */
static void switch_apply_faults(struct switch_net *s, int in, uint64_t id, uint64_t ts, const uint8_t *data,
				uint32_t len)
{
	struct switch_port *pt = &s->port[in];
	uint64_t n = ++pt->nfault;
	struct fault_verdict v;
	fault_decide(&pt->f, s->seed, (unsigned)in, n, &v);
	if (pt->drop_next || s->drop_next_any) {
		pt->drop_next = s->drop_next_any = false;
		v.drop = true;
	}
	if (v.drop) {
		s->st.lost++;
		return;
	}
	uint64_t now = switch_mono_ns(), due = now;
	if (pt->f.rate_bps) {
		uint64_t start = pt->busy_until > now ? pt->busy_until : now;
		due = pt->busy_until = start + fault_tx_ns(pt->f.rate_bps, len);
	}
	due += v.delay_ns;
	s->st.delayed += v.delay_ns > 0;
	s->st.reordered += v.reordered;
	for (int copy = 0; copy < (v.dup ? 2 : 1); copy++) {
		s->st.duplicated += copy;
		if (due <= now && !s->queue) {
			switch_forward(s, in, data, len);
			continue;
		}
		struct switch_frame *f = switch_frame_new(s, in, id, ts, data, len);
		f->due_ns = due;
		switch_enqueue(s, f);
	}
}

static void switch_on_pkt(void *arg, uint64_t ts, uint32_t caplen, uint32_t wirelen, const uint8_t *data)
{
	const struct switch_ref *ref = arg;
	struct switch_net *s = ref->s;
	int in = ref->port;
	struct switch_port *pt = &s->port[in];
	struct switch_pkt k = { .port = in, .out = false, .ts_ns = ts, .len = caplen, .data = data };
	s->st.read++;
	uint64_t id = ++s->next_id;
	s->fn(&k, s->arg);
	if (caplen < 14 || caplen != wirelen)
		return; /* cut short: cannot be forwarded whole */
	switch_learn(s, data + 6, in);
	if (s->draining)
		return;
	bool applies = fault_applies(data, caplen);
	if (applies && s->hold) {
		struct switch_frame *f = switch_frame_new(s, in, id, ts, data, caplen);
		*s->held_tail = f;
		s->held_tail = &f->next;
		s->nheld++;
		s->st.held++;
		return;
	}
	if (applies && (pt->faulty || pt->drop_next || s->drop_next_any))
		switch_apply_faults(s, in, id, ts, data, caplen);
	else
		switch_forward(s, in, data, caplen);
}

static int switch_dispatch(struct switch_net *s, int port)
{
	return capture_ring_read(s->port[port].r);
}

static void switch_on_fd(struct ev *ev, int fd, int events, void *arg)
{
	struct switch_net *s = arg;
	for (int i = 0; i < s->nports; i++)
		if (capture_ring_fd(s->port[i].r) == fd)
			switch_dispatch(s, i);
	if (s->idle)
		s->idle(s->arg);
}

int switch_add_ports(struct switch_net *s, int n, const char *const *ifname, const struct fault_cfg *f,
		     size_t ring, char *err)
{
	struct switch_ref **ref = xcalloc((size_t)(n > 0 ? n : 1), sizeof *ref);
	void **args = xcalloc((size_t)(n > 0 ? n : 1), sizeof *args), **ev_args = xcalloc((size_t)(n > 0 ? n : 1), sizeof *ev_args);
	struct capture_ring **r = xcalloc((size_t)(n > 0 ? n : 1), sizeof *r);
	for (int i = 0; i < n; i++) {
		ref[i] = xmalloc(sizeof **ref);
		*ref[i] = (struct switch_ref){ s, s->nports + i };
		args[i] = ref[i];
		ev_args[i] = s;
	}
	/* only what the host sends: the frames the switch writes are not read back */
	int first = -1;
	if (capture_rings_open(s->ev, n, ifname, ring, true, switch_on_pkt, args, switch_on_fd, ev_args, r, err) == 0) {
		s->port = xreallocarray(s->port, (size_t)s->nports + (size_t)n, sizeof *s->port);
		for (int i = 0; i < n; i++) {
			struct switch_port *pt = &s->port[s->nports + i];
			memset(pt, 0, sizeof *pt);
			pt->r = r[i];
			pt->ref = ref[i];
			snprintf(pt->ifname, sizeof pt->ifname, "%s", ifname[i]);
		}
		first = s->nports;
		s->nports += n;
		for (int i = 0; i < n; i++)
			switch_set_fault(s, first + i, &f[i]);
	} else {
		for (int i = 0; i < n; i++)
			free(ref[i]);
	}
	free(ref);
	free(args);
	free(ev_args);
	free(r);
	return first;
}

int switch_add_port(struct switch_net *s, const char *ifname, const struct fault_cfg *f, size_t ring, char *err)
{
	static const struct fault_cfg none;
	return switch_add_ports(s, 1, &ifname, f ? f : &none, ring, err);
}

int switch_nports(const struct switch_net *s) { return s->nports; }

size_t switch_ring_bytes(const struct switch_net *s)
{
	size_t n = 0;
	for (int i = 0; i < s->nports; i++)
		n += capture_ring_size(s->port[i].r);
	return n;
}

void switch_set_fault(struct switch_net *s, int port, const struct fault_cfg *f)
{
	static const struct fault_cfg none;
	for (int p = port < 0 ? 0 : port; p < (port < 0 ? s->nports : port + 1); p++) {
		s->port[p].f = f ? *f : none;
		s->port[p].faulty = fault_any(&s->port[p].f);
	}
}

const struct fault_cfg *switch_fault(const struct switch_net *s, int port) { return &s->port[port].f; }

void switch_drop_next(struct switch_net *s, int port)
{
	if (port < 0)
		s->drop_next_any = true;
	else if (port < s->nports)
		s->port[port].drop_next = true;
}

void switch_set_hold(struct switch_net *s, bool on) { s->hold = on; }
bool switch_holding(const struct switch_net *s) { return s->hold; }
int switch_nheld(const struct switch_net *s) { return s->nheld; }

const struct switch_held *switch_held(const struct switch_net *s, int i)
{
	const struct switch_frame *f = s->held;
	while (f && i-- > 0)
		f = f->next;
	return f ? &f->h : NULL;
}

int switch_release(struct switch_net *s, uint64_t id)
{
	struct switch_frame **pp = &s->held;
	while (*pp && id && (*pp)->h.id != id)
		pp = &(*pp)->next;
	struct switch_frame *f = *pp;
	if (!f)
		return 0;
	*pp = f->next;
	if (!*pp)
		s->held_tail = pp;
	s->nheld--;
	f->next = NULL;
	const struct switch_held h = f->h;
	struct switch_port *pt = &s->port[h.port];
	if (pt->faulty || pt->drop_next || s->drop_next_any)
		switch_apply_faults(s, h.port, h.id, h.since_ns, f->data, h.len);
	else
		switch_forward(s, h.port, f->data, h.len);
	free(f);
	return 1;
}

void switch_set_gate(struct switch_net *s, bool closed)
{
	s->gate_closed = closed;
	if (closed)
		return;
	struct switch_frame *f = s->gated;
	s->gated = NULL;
	s->gated_tail = &s->gated;
	while (f) {
		struct switch_frame *n = f->next;
		switch_forward(s, f->h.port, f->data, f->h.len);
		free(f);
		f = n;
	}
}

bool switch_busy(struct switch_net *s)
{
	if (s->queue || s->gated)
		return true;
	struct pollfd pf[64];
	for (int i = 0; i < s->nports; i += 64) {
		int n = s->nports - i < 64 ? s->nports - i : 64;
		for (int j = 0; j < n; j++)
			pf[j] = (struct pollfd){ capture_ring_fd(s->port[i + j].r), POLLIN, 0 };
		if (poll(pf, (nfds_t)n, 0) > 0)
			return true;
	}
	return false;
}

void switch_drain(struct switch_net *s)
{
	s->draining = true;
	for (int i = 0; i < s->nports; i++)
		capture_ring_drain(s->port[i].r);
}

void switch_stats(struct switch_net *s, struct switch_stats *st)
{
	*st = s->st;
	for (int i = 0; i < s->nports; i++)
		st->dropped += capture_ring_dropped(s->port[i].r);
}

static void switch_free_list(struct switch_frame *f)
{
	while (f) {
		struct switch_frame *n = f->next;
		free(f);
		f = n;
	}
}

void switch_free(struct switch_net *s)
{
	if (!s)
		return;
	if (s->timer)
		ev_del_timer(s->ev, s->timer);
	struct capture_ring **r = xcalloc((size_t)(s->nports > 0 ? s->nports : 1), sizeof *r);
	for (int i = 0; i < s->nports; i++) {
		r[i] = s->port[i].r;
		free(s->port[i].ref);
	}
	capture_rings_close(r, s->nports);
	free(r);
	switch_free_list(s->queue);
	switch_free_list(s->held);
	switch_free_list(s->gated);
	free(s->port);
	free(s);
}
