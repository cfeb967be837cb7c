#include "capture.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "util.h"

struct capture_point {
	pcap_t *p;
	int fd;
	int linktype;
	char ifname[32];
	uint64_t seen;
};

struct capture {
	struct ev *ev;
	capture_fn *fn;
	void *arg;
	struct capture_point *pt;
	int n;
	int cur; /* point being dispatched */
};

struct capture *capture_new(struct ev *ev, capture_fn *fn, void *arg)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->ev = ev;
	c->fn = fn;
	c->arg = arg;
	return c;
}

static void capture_on_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture *c = (struct capture *)user;
	struct capture_point *pt = &c->pt[c->cur];
	pt->seen++;
	/* nanosecond timestamps were asked for at activation */
	struct capture_pkt k = {
		.point = c->cur,
		.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec,
		.caplen = h->caplen,
		.wirelen = h->len,
		.linktype = pt->linktype,
		.data = data,
	};
	c->fn(&k, c->arg);
}

static int capture_dispatch(struct capture *c, int i)
{
	c->cur = i;
	return pcap_dispatch(c->pt[i].p, -1, capture_on_pkt, (u_char *)c);
}

static void capture_on_fd(struct ev *ev, int fd, int events, void *arg)
{
	struct capture *c = arg;
	for (int i = 0; i < c->n; i++)
		if (c->pt[i].fd == fd)
			capture_dispatch(c, i);
}

int capture_open(struct capture *c, const char *ifname, char *err)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(ifname, perr);
	if (!p)
		return util_err(err, "capture on %s: %s", ifname, perr);
	int r;
	if ((r = pcap_set_snaplen(p, CAPTURE_SNAPLEN)) != 0 ||
	    (r = pcap_set_immediate_mode(p, 1)) != 0 ||
	    (r = pcap_set_buffer_size(p, CAPTURE_BUFFER)) != 0 ||
	    (r = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO)) != 0) {
		util_err(err, "capture on %s: %s", ifname, pcap_statustostr(r));
		pcap_close(p);
		return -1;
	}
	r = pcap_activate(p);
	if (r < 0) {
		util_err(err, "capture on %s: %s (%s)", ifname, pcap_statustostr(r), pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	/* r > 0 is a warning (e.g. promiscuous mode not supported): go on */
	if (pcap_setnonblock(p, 1, perr) < 0) {
		util_err(err, "capture on %s: setnonblock: %s", ifname, perr);
		pcap_close(p);
		return -1;
	}
	int fd = pcap_get_selectable_fd(p);
	if (fd < 0) {
		util_err(err, "capture on %s: no selectable descriptor", ifname);
		pcap_close(p);
		return -1;
	}
	c->pt = xreallocarray(c->pt, (size_t)c->n + 1, sizeof *c->pt);
	struct capture_point *pt = &c->pt[c->n];
	memset(pt, 0, sizeof *pt);
	pt->p = p;
	pt->fd = fd;
	pt->linktype = pcap_datalink(p);
	snprintf(pt->ifname, sizeof pt->ifname, "%s", ifname);
	ev_add_fd(c->ev, fd, EV_READ, capture_on_fd, c);
	return c->n++;
}

int capture_count(const struct capture *c) { return c->n; }
int capture_linktype(const struct capture *c, int point) { return c->pt[point].linktype; }
const char *capture_ifname(const struct capture *c, int point) { return c->pt[point].ifname; }

void capture_drain(struct capture *c)
{
	for (int i = 0; i < c->n; i++)
		while (capture_dispatch(c, i) > 0)
			;
}

void capture_stats(struct capture *c, int point, uint64_t *seen, uint64_t *dropped)
{
	struct pcap_stat st;
	*seen = c->pt[point].seen;
	*dropped = 0;
	if (pcap_stats(c->pt[point].p, &st) == 0)
		*dropped = (uint64_t)st.ps_drop + st.ps_ifdrop;
}

void capture_free(struct capture *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		ev_del_fd(c->ev, c->pt[i].fd);
		pcap_close(c->pt[i].p);
	}
	free(c->pt);
	free(c);
}
