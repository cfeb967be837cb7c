/* The detail pane: the selected packet layer by layer (link, network,
 * transport, application) as an encapsulation view with the bytes of each
 * layer, the socket calls that sent and took it; or the selected call, or
 * the selected door. */
#include "ui-view.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "scenario.h"
#include "trace.h"
#include "ui-term.h"
#include "ui-text.h"
#include "util.h"

/* Writes lines from the top line on, as far as the window goes, and counts
 * them all. */
struct ui_dl {
	struct ui_win *w;
	int y0, h, w_cols;
	int top;           /* first line drawn */
	int line;          /* the line being written */
	int x;
};

static bool ui_dl_visible(const struct ui_dl *dl)
{
	return dl->line >= dl->top && dl->line - dl->top < dl->h;
}

static void ui_dl_put(struct ui_dl *dl, enum ui_role r, const char *s)
{
	if (ui_dl_visible(dl) && dl->x < dl->w_cols)
		dl->x += ui_win_put(dl->w, dl->y0 + dl->line - dl->top, dl->x, r, s, dl->w_cols - dl->x);
	else
		dl->x += ui_text_width(s);
}

static void ui_dl_end(struct ui_dl *dl)
{
	dl->line++;
	dl->x = 1;
}

/* A whole paragraph, wrapped. */
static void ui_dl_para(struct ui_dl *dl, enum ui_role head_role, const char *head, enum ui_role r, const char *s)
{
	int hw = head ? ui_text_width(head) : 0;
	int width = dl->w_cols - 1 - hw;
	if (width < 10)
		width = 10;
	struct ui_span sp[16];
	int n = ui_text_wrap(s, width, sp, 16);
	if (n > 16)
		n = 16;
	if (n == 0)
		n = 1, sp[0].off = 0, sp[0].len = 0;
	for (int i = 0; i < n; i++) {
		if (head)
			ui_dl_put(dl, head_role, i == 0 ? head : "");
		dl->x = 1 + hw;
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)sp[i].len, s + sp[i].off);
		ui_dl_put(dl, r, line);
		ui_dl_end(dl);
	}
}

static const char *const ui_layer_names[] = { "link", "network", "transport", "application" };
static const enum ui_role ui_layer_roles[] = { UI_R_LAYER_LINK, UI_R_LAYER_NET, UI_R_LAYER_TP, UI_R_LAYER_APP };

static void ui_call_line(struct ui_dl *dl, struct trace *t, const char *head, long ev)
{
	char text[512];
	trace_event_text(t, (size_t)ev, text, sizeof text);
	ui_dl_para(dl, UI_R_DIM, head, UI_R_EVENT, text);
}

static void ui_door_text(struct trace *t, int d, char *out, size_t outlen)
{
	const struct tr_door *door = trace_door(t, d);
	if (!door) {
		snprintf(out, outlen, "an unknown door");
		return;
	}
	char lab[96];
	trace_door_label(t, d, lab, sizeof lab);
	if (door->host_level) {
		snprintf(out, outlen, "%s", lab); /* "host 192.0.2.1" */
		return;
	}
	const struct tr_proc *p = trace_proc(t, door->proc);
	const struct tr_host *h = trace_host(t, door->host);
	snprintf(out, outlen, "%s%s%s's door %s%s", p ? p->name : h ? h->name : "?", door->name[0] ? " " : "",
		 door->name, lab, door->listening ? " (welcoming)" : door->nobody ? " (nobody home)" : "");
}

static void ui_detail_packet(struct ui_dl *dl, const struct ui_view *v, long ev)
{
	struct trace *t = v->m->t;
	const struct tr_event *e = trace_event(t, (size_t)ev);
	struct dec_pkt d;
	trace_packet_decode(t, e, &d);
	uint32_t caplen = 0, wirelen = 0;
	int lt = 0;
	const uint8_t *p = trace_packet_bytes(t, e, &caplen, &wirelen, &lt);
	uint8_t bytes[2048];
	uint32_t nb = p ? (caplen < sizeof bytes ? caplen : (uint32_t)sizeof bytes) : 0;
	if (p)
		memcpy(bytes, p, nb);
	char head[320];
	static const char *dirs[] = { "seen", "leaving its host", "arriving", "on the loopback" };
	snprintf(head, sizeof head, "packet %s at %s: %u bytes%s", dirs[e->dir < 4 ? e->dir : 0],
		 trace_point_name(t, e->point), wirelen, caplen < wirelen ? " (cut by the capture)" : "");
	ui_dl_para(dl, UI_R_CAPTION, NULL, UI_R_CAPTION, head);
	/* layers: each with its bytes, then its fields */
	struct dec_field f[96];
	size_t nf = p ? decode_fields(&d, bytes, f, UTIL_ARRAY_LEN(f)) : 0;
	uint32_t lo[4] = { d.link_off, d.net_off, d.tp_off, d.payload_off };
	uint32_t len[4] = { d.link_len, d.net_len, d.tp_len, d.payload_len };
	/* a layer is open (a field a line) or closed (its fields as one
	 * wrapped paragraph); 1-4 and e choose, else the pane's size does */
	int open = v->detail_open >= 0 ? v->detail_open : dl->h >= 24 ? 0xf : 0;
	struct ui_term *tm = ui_win_term(dl->w);
	for (int L = 0; L < 4; L++) {
		bool any = len[L] > 0;
		for (size_t i = 0; i < nf && !any; i++)
			any = f[i].layer == L;
		if (!any)
			continue;
		bool is_open = open & (1 << L);
		char h[160];
		if (len[L])
			snprintf(h, sizeof h, "%s %d %s  %u bytes [%u-%u]", ui_glyph(tm, is_open ? UI_G_ARROW_D : UI_G_ARROW_R),
				 L + 1, ui_layer_names[L], len[L], lo[L], lo[L] + len[L] - 1);
		else
			snprintf(h, sizeof h, "%s %d %s", ui_glyph(tm, is_open ? UI_G_ARROW_D : UI_G_ARROW_R), L + 1,
				 ui_layer_names[L]);
		ui_dl_put(dl, ui_layer_roles[L], h);
		if (L == 3) {
			/* the message itself, on the heading's line */
			if (p && d.payload_len) {
				char esc[200];
				util_escape(esc, sizeof esc, bytes + d.payload_off,
					    d.payload_off + d.payload_len <= nb ? d.payload_len : 0);
				char q[220];
				snprintf(q, sizeof q, ": \"%s\"", esc);
				ui_dl_put(dl, UI_R_LAYER_APP, q);
			}
			ui_dl_end(dl);
			ui_dl_para(dl, UI_R_DIM, "    ", UI_R_DIM, "the message: the bytes the process handed to its door");
			continue;
		}
		ui_dl_end(dl);
		if (!is_open) {
			/* the fields as one paragraph, wrapped, never cut */
			char para[1600];
			size_t o = 0;
			para[0] = '\0';
			for (size_t i = 0; i < nf && o + 1 < sizeof para; i++) {
				if (f[i].layer != L)
					continue;
				int k = snprintf(para + o, sizeof para - o, "%s%s %s", o ? "  " : "", f[i].name, f[i].value);
				o += k > 0 && (size_t)k < sizeof para - o ? (size_t)k : sizeof para - o - 1;
			}
			ui_dl_para(dl, UI_R_DIM, "    ", UI_R_DIM, para);
		} else {
			for (size_t i = 0; i < nf; i++) {
				if (f[i].layer != L)
					continue;
				char fh[40];
				snprintf(fh, sizeof fh, "    %-14s ", f[i].name);
				ui_dl_para(dl, UI_R_NORMAL, fh, UI_R_NORMAL, f[i].value);
			}
		}
	}
	char a[200], b[200], line[420];
	if (e->door >= 0 || e->peer >= 0) {
		ui_door_text(t, e->door, a, sizeof a);
		ui_door_text(t, e->peer, b, sizeof b);
		snprintf(line, sizeof line, "from %s to %s", e->door >= 0 ? a : "the host's kernel",
			 e->peer >= 0 ? b : "nobody's door");
		ui_dl_para(dl, UI_R_DIM, NULL, UI_R_NORMAL, line);
	}
	/* the calls behind it */
	const struct tr_msg *m = trace_msg(t, e->msg);
	if (m && m->send_ev >= 0)
		ui_call_line(dl, t, "sent by   ", m->send_ev);
	else {
		long cause = trace_packet_cause(t, (size_t)ev);
		if (cause >= 0)
			ui_call_line(dl, t, "caused by ", cause);
	}
	if (m && m->first_recv >= 0)
		ui_call_line(dl, t, "taken by  ", m->first_recv);
	if (m) {
		snprintf(line, sizeof line, "part of a message of %llu bytes carried by %d %s%s", (unsigned long long)m->bytes,
			 m->npkts, m->proto == IPPROTO_TCP ? "segment" : "datagram", m->npkts == 1 ? "" : "s");
		ui_dl_para(dl, UI_R_DIM, NULL, UI_R_DIM, line);
	}
	/* the bytes, each coloured (and bracketed) by its layer */
	if (!nb)
		return;
	ui_dl_put(dl, UI_R_DIM, "bytes: link | network | transport | application, then as text");
	ui_dl_end(dl);
	/* 16 bytes a line, or as many (a multiple of 4) as fit with their text */
	int per = (dl->w_cols - 1 - 5 - 2) / 4;
	per = per >= 16 ? 16 : per >= 4 ? per / 4 * 4 : 4;
	for (uint32_t off = 0; off < nb; off += (uint32_t)per) {
		char o[16];
		snprintf(o, sizeof o, "%04x ", off);
		ui_dl_put(dl, UI_R_DIM, o);
		int L_of[16];
		for (int k = 0; k < per; k++) {
			uint32_t i = off + (uint32_t)k;
			if (i >= nb) {
				ui_dl_put(dl, UI_R_DIM, "   ");
				L_of[k] = -1;
				continue;
			}
			int L = -1;
			for (int l = 3; l >= 0 && L < 0; l--)
				if (len[l] && i >= lo[l] && i < lo[l] + len[l])
					L = l;
			L_of[k] = L;
			bool start = L >= 0 && i == lo[L];
			char hx[8];
			snprintf(hx, sizeof hx, "%s%02x", start && L > 0 ? "|" : " ", bytes[i]);
			ui_dl_put(dl, L >= 0 ? ui_layer_roles[L] : UI_R_DIM, hx);
		}
		ui_dl_put(dl, UI_R_DIM, "  ");
		for (int k = 0; k < per && off + (uint32_t)k < nb; k++) {
			uint8_t c = bytes[off + (uint32_t)k];
			char ch[2] = { c >= 0x20 && c < 0x7f ? (char)c : '.', '\0' };
			ui_dl_put(dl, L_of[k] >= 0 ? ui_layer_roles[L_of[k]] : UI_R_DIM, ch);
		}
		ui_dl_end(dl);
		if (dl->line - dl->top >= dl->h + 40)
			break; /* far below the window: stop counting */
	}
}

static void ui_detail_call(struct ui_dl *dl, const struct ui_view *v, long ev)
{
	struct trace *t = v->m->t;
	const struct tr_event *e = trace_event(t, (size_t)ev);
	const struct tr_call *c = trace_call(t, e);
	const struct tr_proc *p = trace_proc(t, e->proc);
	char line[600];
	static const char *kinds[] = { "start", "call", "waiting call", "program", "output", "end", "packet" };
	if (c && c->caption) {
		snprintf(line, sizeof line, "%s says:", p ? p->name : "?");
		ui_dl_para(dl, UI_R_CAPTION, NULL, UI_R_CAPTION, line);
		ui_dl_para(dl, UI_R_SAY, NULL, UI_R_SAY, c->caption);
		return;
	}
	snprintf(line, sizeof line, "%s of %s%s", kinds[e->kind < 7 ? e->kind : 0], p ? p->name : "?",
		 p && p->pid ? "" : "");
	if (p && p->pid)
		snprintf(line + strlen(line), sizeof line - strlen(line), " (pid %d, on %s)", (int)p->pid,
			 trace_host(t, p->host) ? trace_host(t, p->host)->name : "?");
	ui_dl_para(dl, UI_R_CAPTION, NULL, UI_R_CAPTION, line);
	if (c) {
		snprintf(line, sizeof line, "%s%s%s", c->text, c->result[0] ? " " : "", c->result);
		ui_dl_para(dl, UI_R_DIM, "  ", c->failed ? UI_R_FAILED : UI_R_EVENT, line);
		if (c->failed)
			ui_dl_para(dl, UI_R_FAILED, "  ", UI_R_FAILED, "the call failed where the lesson meant it to succeed");
		else if (c->m.result < 0 && e->kind == TR_CALL && c->op >= 0)
			ui_dl_para(dl, UI_R_DIM, "  ", UI_R_DIM, "it failed, as the lesson expects (expect ...)");
		if (e->kind == TR_CALL && c->m.t_begin_ns && c->m.t_ns >= c->m.t_begin_ns) {
			snprintf(line, sizeof line, "took %.3f ms", (double)(c->m.t_ns - c->m.t_begin_ns) / 1e6);
			ui_dl_para(dl, UI_R_DIM, "  ", UI_R_DIM, line);
		}
		if (c->m.datalen && (c->op == SC_SEND || c->op == SC_SENDTO || c->op == SC_RECV || c->op == SC_RECVFROM)) {
			char esc[300];
			util_escape(esc, sizeof esc, c->m.data, c->m.datalen);
			snprintf(line, sizeof line, "bytes: \"%s\"%s", esc, c->m.result > (int64_t)c->m.datalen ? " (the first ones)" : "");
			ui_dl_para(dl, UI_R_DIM, "  ", UI_R_NORMAL, line);
		}
	}
	if (e->door >= 0) {
		char dt[200];
		ui_door_text(t, e->door, dt, sizeof dt);
		ui_dl_para(dl, UI_R_DIM, "door  ", UI_R_NORMAL, dt);
	}
	if (e->peer >= 0 && e->kind == TR_CALL) {
		char dt[200];
		ui_door_text(t, e->peer, dt, sizeof dt);
		ui_dl_para(dl, UI_R_DIM, "new   ", UI_R_DOOR, dt);
	}
	const struct tr_msg *m = trace_msg(t, e->msg);
	if (m) {
		char a[200], b[200];
		ui_door_text(t, m->from, a, sizeof a);
		ui_door_text(t, m->to, b, sizeof b);
		snprintf(line, sizeof line, "a message of %llu bytes from %s to %s; %d %s%s on the wire, taken by %d recv%s",
			 (unsigned long long)m->bytes, a, m->to >= 0 ? b : "nobody", m->npkts,
			 m->proto == IPPROTO_TCP ? "segment" : "datagram", m->npkts == 1 ? "" : "s", m->nrecv,
			 m->nrecv == 1 ? "" : "s");
		ui_dl_para(dl, UI_R_DIM, "      ", UI_R_DIM, line);
	}
}

static void ui_detail_door(struct ui_dl *dl, const struct ui_view *v, int d)
{
	struct trace *t = v->m->t;
	const struct tr_door *door = trace_door(t, d);
	char line[400], a[200];
	ui_door_text(t, d, a, sizeof a);
	ui_dl_para(dl, UI_R_CAPTION, NULL, UI_R_CAPTION, a);
	if (door->host_level)
		snprintf(line, sizeof line, "no socket: the host itself (ICMP, ARP), its network layer");
	else
		snprintf(line, sizeof line, "a %s socket%s", door->proto == IPPROTO_TCP ? "TCP" : "UDP",
		 door->listening ? ": a welcoming door, it only hands out connection doors (listen, accept)" :
		 door->parent >= 0 ? ": a connection door that accept() handed out" :
		 door->nobody ? ": nobody has this port open; the host's kernel answers for it" : "");
	ui_dl_para(dl, UI_R_DIM, "  ", UI_R_NORMAL, line);
	if (door->remote.family) {
		char r[INET6_ADDRSTRLEN] = "?";
		inet_ntop(door->remote.family, door->remote.bytes, r, sizeof r);
		snprintf(line, sizeof line, "connected to %s port %u", r, door->remote.port);
		ui_dl_para(dl, UI_R_DIM, "  ", UI_R_NORMAL, line);
	}
	if (door->parent >= 0) {
		char pp[200];
		ui_door_text(t, door->parent, pp, sizeof pp);
		snprintf(line, sizeof line, "made by the welcoming door: %s", pp);
		ui_dl_para(dl, UI_R_DIM, "  ", UI_R_NORMAL, line);
	}
	int sent = 0, got = 0;
	uint64_t sb = 0, gb = 0;
	for (int i = 0; i < trace_nmsgs(t); i++) {
		const struct tr_msg *m = trace_msg(t, i);
		if (m->from == d)
			sent++, sb += m->bytes;
		if (m->to == d)
			got++, gb += m->bytes;
	}
	snprintf(line, sizeof line, "messages out: %d (%llu bytes); in: %d (%llu bytes)", sent, (unsigned long long)sb, got,
		 (unsigned long long)gb);
	ui_dl_para(dl, UI_R_DIM, "  ", UI_R_NORMAL, line);
	if (door->first_ev >= 0) {
		snprintf(line, sizeof line, "opened at step %zu%s", ui_pace_step_no(v->pace, door->first_ev),
			 door->last_ev >= 0 ? "" : ", still open");
		if (door->last_ev >= 0)
			snprintf(line + strlen(line), sizeof line - strlen(line), ", closed at step %zu",
				 ui_pace_step_no(v->pace, door->last_ev));
		ui_dl_para(dl, UI_R_DIM, "  ", UI_R_DIM, line);
	}
}

int ui_detail_draw(struct ui_win *w, const struct ui_view *v)
{
	struct ui_rect r = ui_win_rect(w);
	bool shown = ui_win_visible(w);
	if (shown)
		ui_win_clear(w, UI_R_NORMAL);
	long ev = ui_view_detail_ev(v);
	bool door = v->focus == UI_PANE_STAGE && v->sel_door >= 0;
	const struct tr_event *e = ev >= 0 ? trace_event(v->m->t, (size_t)ev) : NULL;
	char extra[64] = "";
	if (!door && e)
		snprintf(extra, sizeof extra, "%s", e->kind == TR_PACKET ? "packet by layer" : "call");
	if (shown)
		ui_pane_rule(w, 0, door ? "door" : "detail", extra, v->focus == UI_PANE_DETAIL);
	struct ui_dl dl = { .w = w, .y0 = 1, .h = shown ? r.h - 1 : 0, .w_cols = r.w - 2, .top = v->detail_top, .x = 1 };
	if (door)
		ui_detail_door(&dl, v, v->sel_door);
	else if (!e)
		ui_dl_para(&dl, UI_R_DIM, NULL, UI_R_DIM, "Nothing selected yet: step forward (Space), or pick a row in the ladder.");
	else if (e->kind == TR_PACKET)
		ui_detail_packet(&dl, v, ev);
	else
		ui_detail_call(&dl, v, ev);
	if (shown) {
		if (v->detail_top > 0)
			ui_win_glyph(w, 1, r.w - 1, UI_R_DIM, UI_G_ARROW_U);
		if (dl.line - v->detail_top > dl.h)
			ui_win_glyph(w, r.h - 1, r.w - 1, UI_R_DIM, UI_G_ARROW_D);
		ui_win_show(w);
	}
	return dl.line;
}
