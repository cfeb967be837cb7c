#include "ui-scene.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "trace.h"
#include "ui-model.h"
#include "util.h"

#define UI_SCENE_WINDOW 48 /* events either side of the cursor looked at */
#define UI_KEY_PACKET (1ull << 40)
#define UI_KEY_MSG (2ull << 40)

static struct ui_env *ui_scene_add(struct ui_scene *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xreallocarray(s->v, (size_t)s->cap, sizeof *s->v);
	}
	struct ui_env *e = &s->v[s->n++];
	memset(e, 0, sizeof *e);
	e->from = e->to = e->from_host = e->to_host = -1;
	e->count = 1;
	e->msg = -1;
	return e;
}

static uint8_t ui_packet_kind(const struct ui_model *m, long ev)
{
	struct dec_pkt d;
	trace_packet_decode(m->t, trace_event(m->t, (size_t)ev), &d);
	if (d.is_icmp || (d.is_tcp && (d.tcp_flags & DEC_TCP_RST)))
		return UI_ENV_ERROR;
	if (d.payload_wirelen && (d.is_tcp || d.is_udp))
		return UI_ENV_DATA;
	return UI_ENV_CTL;
}

static void ui_scene_packets(const struct ui_model *m, long c, struct ui_scene *s)
{
	long next = ui_model_next(m, c), prev = ui_model_prev(m, c);
	long n = (long)trace_nevents(m->t);
	long lo = c - UI_SCENE_WINDOW, hi = c + UI_SCENE_WINDOW;
	if (lo < 0)
		lo = 0;
	if (hi >= n)
		hi = n - 1;
	for (long i = lo; i <= hi; i++) {
		const struct tr_event *e = trace_event(m->t, (size_t)i);
		if (e->kind != TR_PACKET || !trace_is_step(m->t, (size_t)i))
			continue;
		long dep = -1, arr = -1, single = -1;
		if (e->dir == TR_DIR_DEPART) {
			dep = i;
			arr = ui_model_pair(m, i);
		} else if (e->dir == TR_DIR_ARRIVE) {
			arr = i;
			/* a duplicate comes on its own: its departure brought the first copy */
			dep = e->mark & TR_MARK_DUP ? -1 : ui_model_pair(m, i);
			if (dep >= lo)
				continue; /* drawn with its departure */
		} else {
			single = i;
		}
		double pos;
		bool vis;
		bool now = false;
		if (single >= 0) {
			pos = c < single ? UI_AT_DOOR_FROM : UI_AT_DOOR_TO;
			vis = c == single;
			now = vis;
		} else if (dep >= 0 && arr >= 0) {
			if (c < dep) {
				pos = UI_AT_DOOR_FROM, vis = false;
			} else if (c < arr) {
				pos = UI_AT_WIRE, vis = true, now = c == dep;
			} else {
				pos = UI_AT_DOOR_TO, vis = c == arr, now = vis;
			}
		} else if (dep >= 0) {
			/* not seen arriving: lost (shown where it was lost, then
			 * gone), or held in the network (it stays there) */
			bool lost = trace_event(m->t, (size_t)dep)->mark & TR_MARK_LOST;
			pos = c < dep ? UI_AT_DOOR_FROM : lost ? UI_AT_LOST : UI_AT_WIRE;
			vis = c == dep || (m->hold && !lost && c > dep);
			now = c == dep;
		} else {
			pos = c < arr ? UI_AT_WIRE : UI_AT_DOOR_TO;
			vis = c == arr;
			now = vis;
		}
		long key_ev = single >= 0 ? single : dep >= 0 ? dep : arr;
		/* not on the stage now, nor at the step before or after: leave it out */
		if (!vis && (key_ev > next || (arr >= 0 ? arr : key_ev) < prev))
			continue;
		const struct tr_event *k = trace_event(m->t, (size_t)key_ev);
		struct ui_env *v = ui_scene_add(s);
		v->key = UI_KEY_PACKET | (uint64_t)key_ev;
		v->from = k->door;
		v->to = k->peer;
		if (v->from < 0 || v->to < 0)
			ui_model_packet_hosts(m, key_ev, &v->from_host, &v->to_host);
		v->pos = pos;
		v->visible = vis;
		v->now = now;
		v->kind = ui_packet_kind(m, key_ev);
		v->msg = k->msg;
		ui_model_packet_label(m, key_ev, v->label, sizeof v->label);
		/* an envelope with data spends its few cells on the data, not
		 * the flags (the ladder and the caption say those) */
		char *quote = strchr(v->label, '"');
		if (v->kind == UI_ENV_DATA && quote && quote != v->label)
			memmove(v->label, quote, strlen(quote) + 1);
		/* what became of it, on the envelope itself */
		uint8_t mark = k->mark | (arr >= 0 ? trace_event(m->t, (size_t)arr)->mark : 0);
		size_t l = strlen(v->label);
		if (mark & TR_MARK_LOST) {
			v->kind = UI_ENV_ERROR;
			v->lost = true;
			snprintf(v->label + l, sizeof v->label - l, " lost");
		} else if (mark & TR_MARK_DUP) {
			snprintf(v->label + l, sizeof v->label - l, " copy");
		} else if (mark & TR_MARK_RESENT) {
			snprintf(v->label + l, sizeof v->label - l, " again");
		}
	}
}

static void ui_msg_label(const struct ui_model *m, const struct tr_msg *msg, char *out, size_t outlen)
{
	const struct tr_call *c = msg->send_ev >= 0 ? trace_call(m->t, trace_event(m->t, (size_t)msg->send_ev)) : NULL;
	if (c && c->m.datalen) {
		char esc[32];
		size_t shown = c->m.datalen < 24 ? c->m.datalen : 24;
		util_escape(esc, sizeof esc, c->m.data, shown);
		if (msg->bytes > shown)
			snprintf(out, outlen, "\"%s...\" %llu bytes", esc, (unsigned long long)msg->bytes);
		else
			snprintf(out, outlen, "\"%s\"", esc);
	} else {
		snprintf(out, outlen, "%llu bytes", (unsigned long long)msg->bytes);
	}
}

static void ui_scene_msgs(const struct ui_model *m, long c, struct ui_scene *s)
{
	long prev = ui_model_prev(m, c);
	int nm = trace_nmsgs(m->t);
	for (int mi = 0; mi < nm; mi++) {
		const struct tr_msg *msg = trace_msg(m->t, mi);
		if (msg->send_ev < 0)
			continue; /* no send call: nothing waits in a door */
		long start = msg->send_ev;
		long end = msg->last_recv > msg->last_pkt ? msg->last_recv : msg->last_pkt;
		if (start > c + UI_SCENE_WINDOW)
			continue;
		if (end >= 0 && end < c - UI_SCENE_WINDOW)
			continue;
		enum tr_where w = c < 0 ? TR_NOT_YET : trace_msg_where(m->t, mi, (size_t)c);
		double pos;
		bool vis = false, now = false;
		switch (w) {
		case TR_NOT_YET: pos = UI_AT_INSIDE_FROM; break;
		case TR_IN_DOOR: pos = UI_AT_DOOR_FROM, vis = true, now = c == msg->send_ev; break;
		case TR_ON_WIRE: pos = UI_AT_DOOR_FROM; break;
		case TR_AT_DOOR: {
			/* it waits in the receiver's door while that door is open
			 * (nobody's door, or a closed one: the kernel drops it) */
			const struct tr_door *to = trace_door(m->t, msg->to);
			pos = UI_AT_DOOR_TO;
			vis = c > msg->last_pkt && to && !to->nobody && ui_model_door_state(m, msg->to, c) == UI_DOOR_OPEN;
			break;
		}
		default: pos = UI_AT_INSIDE_TO, vis = c == msg->last_recv, now = vis; break;
		}
		if (!vis && w == TR_DELIVERED && msg->last_recv < prev)
			continue;
		struct ui_env *v = ui_scene_add(s);
		v->key = UI_KEY_MSG | (uint64_t)mi;
		v->is_msg = true;
		v->msg = mi;
		v->from = msg->from;
		v->to = msg->to;
		if (v->to < 0 && msg->first_pkt >= 0)
			ui_model_packet_hosts(m, msg->first_pkt, &v->from_host, &v->to_host);
		v->pos = pos;
		v->visible = vis;
		v->now = now;
		v->kind = UI_ENV_DATA;
		ui_msg_label(m, msg, v->label, sizeof v->label);
	}
	/* several messages waiting in one door, or taken in by one recv, are drawn as one */
	for (int i = 0; i < s->n; i++) {
		struct ui_env *a = &s->v[i];
		if (!a->is_msg || !a->visible)
			continue;
		int door = a->pos < UI_AT_WIRE ? a->from : a->to;
		for (int j = i + 1; j < s->n; j++) {
			struct ui_env *b = &s->v[j];
			if (!b->is_msg || !b->visible || b->pos != a->pos || (b->pos < UI_AT_WIRE ? b->from : b->to) != door)
				continue;
			a->count++;
			a->now = a->now || b->now;
			b->visible = false;
			b->count = 0;
		}
	}
}

void ui_scene_build(const struct ui_model *m, long cursor, struct ui_scene *s)
{
	s->n = 0;
	s->cursor = cursor;
	ui_scene_packets(m, cursor, s);
	if (!m->capture)
		ui_scene_msgs(m, cursor, s);
}

static const struct ui_env *ui_scene_find(const struct ui_scene *s, uint64_t key)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].key == key)
			return &s->v[i];
	return NULL;
}

/* A packet of message mi is drawn in scene s. */
static bool ui_scene_has_packet(const struct ui_scene *s, int mi)
{
	for (int i = 0; i < s->n; i++)
		if (!s->v[i].is_msg && s->v[i].visible && s->v[i].msg == mi)
			return true;
	return false;
}

/* A message of packet pk's comes into view in b, from where pk stands. */
static bool ui_scene_taken_over(const struct ui_scene *a, const struct ui_scene *b, const struct ui_env *pk)
{
	for (int i = 0; i < b->n; i++) {
		const struct ui_env *m = &b->v[i];
		if (!m->is_msg || m->msg != pk->msg || !m->visible)
			continue;
		const struct ui_env *was = ui_scene_find(a, m->key);
		if (!was || !was->visible)
			return true;
	}
	return false;
}

void ui_scene_mix(const struct ui_scene *a, const struct ui_scene *b, double p, struct ui_scene *out)
{
	out->n = 0;
	out->cursor = b->cursor;
	for (int i = 0; i < b->n; i++) {
		const struct ui_env *to = &b->v[i];
		const struct ui_env *from = ui_scene_find(a, to->key);
		struct ui_env *v = ui_scene_add(out);
		*v = *to;
		if (!from)
			continue;
		v->pos = from->pos + (to->pos - from->pos) * p;
		/* a message appearing where it stands takes over from the packet
		 * that brings it there (or takes it away): at the end; with no
		 * packet of its own on the stage (a step back into the recv that
		 * took it) it is there from the start */
		if (to->visible && !from->visible && to->is_msg && from->pos == to->pos)
			v->visible = p >= 1 || !ui_scene_has_packet(a, to->msg);
		else if (to->visible)
			v->visible = true;
		else if (from->visible && !to->is_msg && p < 1 && from->pos != to->pos)
			/* a packet leaving the stage by moving (back into its door)
			 * moves there; one that goes where it stands (arrived, lost)
			 * goes at once */
			v->visible = true, v->now = from->now, v->count = from->count;
		else
			v->visible = false;
		if (!to->visible && from->visible)
			v->count = from->count;
		/* a message that comes into view where its packet was takes over
		 * from it: the packet leaves at once (no second envelope) */
		if (v->visible && !to->visible && !to->is_msg && to->msg >= 0 &&
		    ui_scene_taken_over(a, b, to))
			v->visible = false;
	}
	for (int i = 0; i < a->n; i++) {
		const struct ui_env *from = &a->v[i];
		if (ui_scene_find(b, from->key) || !from->visible || from->is_msg || p >= 1)
			continue;
		struct ui_env *v = ui_scene_add(out);
		*v = *from;
	}
}

void ui_scene_free(struct ui_scene *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

long ui_env_event(const struct ui_model *m, const struct ui_env *e, long cursor)
{
	long ev = (long)(e->key & (UI_KEY_PACKET - 1));
	if (!e->is_msg) {
		long arr = ui_model_pair(m, ev);
		return arr >= 0 && arr <= cursor ? arr : ev;
	}
	const struct tr_msg *msg = trace_msg(m->t, (int)ev);
	if (!msg)
		return -1;
	if (msg->last_pkt >= 0 && msg->last_pkt <= cursor)
		return msg->last_pkt;
	if (msg->first_pkt >= 0 && msg->first_pkt <= cursor)
		return msg->first_pkt;
	return msg->send_ev;
}
