#include "ui-pace.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "scenario.h"
#include "trace.h"
#include "ui-model.h"
#include "util.h"

void ui_pace_free(struct ui_pace *p)
{
	free(p->steps);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

void ui_pace_set(struct ui_pace *p, enum ui_pace_mode mode, bool hide_acks)
{
	p->mode = mode;
	p->hide_acks = hide_acks;
	p->stale = true;
}

void ui_pace_describe(const struct ui_pace *p, char *out, size_t outlen)
{
	static const char *const names[] = { "every event", "socket calls", "messages" };
	snprintf(out, outlen, "steps: %s%s", names[p->mode < UI_NPACES ? p->mode : 0],
		 p->hide_acks ? ", no bare ACKs" : "");
}

static void ui_pace_push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = x;
}

/* A TCP segment with the ACK flag alone and no data. */
static bool ui_pace_bare_ack(const struct ui_model *m, const struct tr_event *e)
{
	if (e->kind != TR_PACKET)
		return false;
	struct dec_pkt d;
	trace_packet_decode(m->t, e, &d);
	return d.is_tcp && d.tcp_flags == DEC_TCP_ACK && d.payload_wirelen == 0;
}

static bool ui_pace_keeps(const struct ui_pace *p, const struct ui_model *m, uint32_t ev, bool row)
{
	const struct tr_event *e = trace_event(m->t, ev);
	if (!e)
		return false;
	switch (p->mode) {
	case UI_PACE_CALL:
		/* calls, says, programs' starts and ends; the ladder keeps its packets */
		return row || e->kind != TR_PACKET;
	case UI_PACE_MESSAGE: {
		if (row)
			return true;
		const struct tr_call *c = e->kind == TR_CALL ? trace_call(m->t, e) : NULL;
		if (!c || e->msg < 0 || c->caption)
			return false;
		return c->op == SC_SEND || c->op == SC_SENDTO || c->op == SC_RECV || c->op == SC_RECVFROM;
	}
	default:
		return !(p->hide_acks && ui_pace_bare_ack(m, e));
	}
}

void ui_pace_sync(struct ui_pace *p, const struct ui_model *m)
{
	if (!p->stale && p->seen_steps == m->nsteps && p->seen_rows == m->nrows)
		return;
	/* picked anew, as the model's own lists are (they may re-sort) */
	p->nsteps = p->nrows = 0;
	for (size_t i = 0; i < m->nsteps; i++)
		if (ui_pace_keeps(p, m, m->steps[i], false))
			ui_pace_push(&p->steps, &p->nsteps, &p->capsteps, m->steps[i]);
	for (size_t i = 0; i < m->nrows; i++)
		if (!p->hide_acks || !ui_pace_bare_ack(m, trace_event(m->t, m->rows[i])))
			ui_pace_push(&p->rows, &p->nrows, &p->caprows, m->rows[i]);
	p->seen_steps = m->nsteps;
	p->seen_rows = m->nrows;
	p->stale = false;
}

/* Index of the first entry > ev. */
static size_t ui_pace_upper(const uint32_t *v, size_t n, long ev)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((long)v[mid] <= ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long ui_pace_next(const struct ui_pace *p, long cur)
{
	size_t k = ui_pace_upper(p->steps, p->nsteps, cur);
	return k < p->nsteps ? (long)p->steps[k] : cur;
}

long ui_pace_prev(const struct ui_pace *p, long cur)
{
	size_t k = ui_pace_upper(p->steps, p->nsteps, cur - 1);
	return k > 0 ? (long)p->steps[k - 1] : -1;
}

long ui_pace_first(const struct ui_pace *p) { return p->nsteps ? (long)p->steps[0] : -1; }
long ui_pace_last(const struct ui_pace *p) { return p->nsteps ? (long)p->steps[p->nsteps - 1] : -1; }

size_t ui_pace_step_no(const struct ui_pace *p, long cur)
{
	return cur < 0 ? 0 : ui_pace_upper(p->steps, p->nsteps, cur);
}

long ui_pace_at(const struct ui_pace *p, long ev)
{
	size_t k = ui_pace_upper(p->steps, p->nsteps, ev);
	return k > 0 ? (long)p->steps[k - 1] : -1;
}

long ui_pace_row_of(const struct ui_pace *p, const struct ui_model *m, long ev)
{
	if (ev < 0)
		return -1;
	const struct tr_event *e = trace_event(m->t, (size_t)ev);
	if (e && e->kind == TR_PACKET && e->dir == TR_DIR_ARRIVE) {
		long d = ui_model_pair(m, ev);
		if (d >= 0)
			ev = d;
	}
	return (long)ui_pace_upper(p->rows, p->nrows, ev) - 1;
}
