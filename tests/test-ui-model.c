/* test-ui-model — what the trace and the TUI's model say about recorded
 * lessons (tests/runs/: closed-door, lossy-tcp, recorded by doorway
 * --record): a connect() is shown started, then its packets, then its
 * result; a refused connect's door is the one its SYN leaves and its RST
 * comes back to; a port nobody has open gets no house; roles come from who
 * connects or speaks first; a lost packet, a segment sent again are marked
 * so, and the scene shows the lost one lost, then gone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "scenario.h"
#include "trace.h"
#include "ui-model.h"
#include "ui-scene.h"

static struct trace *open_run(const char *name)
{
	char path[256], err[256] = "";
	snprintf(path, sizeof path, "runs/%s", name);
	struct trace *t = trace_open(path, err);
	if (!t)
		fail_msg("opening %s: %s", path, err);
	trace_update(t);
	return t;
}

/* The first event at or after from of a kind, with a call of op (calls) or
 * TCP flags exactly fl leaving (packets: dir DEPART or LOCAL). */
static long find_call(struct trace *t, long from, int kind, int op)
{
	for (size_t i = (size_t)from; i < trace_nevents(t); i++) {
		const struct tr_event *e = trace_event(t, i);
		const struct tr_call *c = trace_call(t, e);
		if (e->kind == kind && c && c->op == op)
			return (long)i;
	}
	return -1;
}

static long find_tcp(struct trace *t, long from, uint16_t fl, int dir)
{
	for (size_t i = (size_t)from; i < trace_nevents(t); i++) {
		const struct tr_event *e = trace_event(t, i);
		if (e->kind != TR_PACKET || e->dir != dir)
			continue;
		struct dec_pkt d;
		trace_packet_decode(t, e, &d);
		if (d.is_tcp && d.tcp_flags == fl)
			return (long)i;
	}
	return -1;
}

static int host_named(struct trace *t, const char *name)
{
	for (int h = 0; h < trace_nhosts(t); h++)
		if (!strcmp(trace_host(t, h)->name, name))
			return h;
	return -1;
}

/* closed-door, TCP half: connect() starts, the SYN leaves, the RST comes
 * back, then connect() returns -1. */
static void test_refused_connect_order(void **state)
{
	(void)state;
	struct trace *t = open_run("closed-door");
	long start = find_call(t, 0, TR_WAIT, SC_CONNECT);
	long syn = find_tcp(t, 0, DEC_TCP_SYN, TR_DIR_DEPART);
	long rst = find_tcp(t, 0, DEC_TCP_RST | DEC_TCP_ACK, TR_DIR_ARRIVE);
	long done = -1;
	for (long i = find_call(t, 0, TR_CALL, SC_CONNECT); i >= 0; i = find_call(t, i + 1, TR_CALL, SC_CONNECT))
		if (trace_call(t, trace_event(t, (size_t)i))->m.result < 0)
			done = i;
	assert_true(start >= 0 && syn >= 0 && rst >= 0 && done >= 0);
	assert_true(start < syn);
	assert_true(syn < rst);
	assert_true(rst < done);
	trace_free(t);
}

/* The SYN leaves the connecting door, the RST comes back to it; the door
 * on bob is nobody's, and no door on alice is made up. */
static void test_refused_connect_doors(void **state)
{
	(void)state;
	struct trace *t = open_run("closed-door");
	long done = -1;
	for (long i = find_call(t, 0, TR_CALL, SC_CONNECT); i >= 0; i = find_call(t, i + 1, TR_CALL, SC_CONNECT))
		if (trace_call(t, trace_event(t, (size_t)i))->m.result < 0)
			done = i;
	assert_true(done >= 0);
	int door = trace_event(t, (size_t)done)->door;
	assert_true(door >= 0);
	assert_int_not_equal(trace_door(t, door)->local.port, 0);
	long syn = find_tcp(t, 0, DEC_TCP_SYN, TR_DIR_DEPART);
	long rst = find_tcp(t, 0, DEC_TCP_RST | DEC_TCP_ACK, TR_DIR_ARRIVE);
	assert_int_equal(trace_event(t, (size_t)syn)->door, door);
	assert_int_equal(trace_event(t, (size_t)rst)->peer, door);
	int knocked = trace_event(t, (size_t)syn)->peer;
	assert_true(knocked >= 0);
	assert_true(trace_door(t, knocked)->nobody);
	assert_int_equal(trace_door(t, knocked)->host, host_named(t, "bob"));
	int alice = host_named(t, "alice");
	for (int d = 0; d < trace_ndoors(t); d++)
		if (trace_door(t, d)->host == alice)
			assert_false(trace_door(t, d)->nobody);

	/* the TUI's model: nobody's doors have no house; alice has the client's only */
	struct ui_model m;
	ui_model_init(&m, t, NULL);
	assert_int_equal(m.door_house[knocked], -1);
	assert_int_equal(m.door_host[knocked], host_named(t, "bob"));
	assert_int_equal(m.hosts[alice].nhouses, 1);
	assert_true(m.hosts[alice].house[0].proc >= 0);
	ui_model_free(&m);
	trace_free(t);
}

/* lossy-tcp: connect() waits once (at its start), returns once, after the
 * SYN,ACK's arrival. */
static void test_connect_once_each(void **state)
{
	(void)state;
	struct trace *t = open_run("lossy-tcp");
	long start = find_call(t, 0, TR_WAIT, SC_CONNECT);
	long done = find_call(t, 0, TR_CALL, SC_CONNECT);
	assert_true(start >= 0 && done > start);
	assert_int_equal(find_call(t, start + 1, TR_WAIT, SC_CONNECT), -1);
	assert_int_equal(find_call(t, done + 1, TR_CALL, SC_CONNECT), -1);
	long synack = find_tcp(t, 0, DEC_TCP_SYN | DEC_TCP_ACK, TR_DIR_ARRIVE);
	assert_true(synack > start && synack < done);
	trace_free(t);
}

/* Roles from the lesson's script: who connects or speaks first is a
 * client, a bind() alone makes no server. */
static void test_script_roles(void **state)
{
	(void)state;
	struct sc_diags d;
	memset(&d, 0, sizeof d);
	struct scenario *sc = scenario_load("../scenarios/no-boundaries.lab", &d);
	assert_non_null(sc);
	struct trace *t = trace_new();
	trace_set_scenario(t, sc);
	struct ui_model m;
	ui_model_init(&m, t, sc);
	for (int p = 0; p < trace_nprocs(t); p++) {
		const char *name = trace_proc(t, p)->name;
		if (!strcmp(name, "receiver"))
			assert_int_equal(ui_model_role(&m, p), TR_ROLE_CLIENT);
		else if (!strcmp(name, "sender"))
			assert_int_equal(ui_model_role(&m, p), TR_ROLE_SERVER);
	}
	ui_model_free(&m);
	trace_free(t);
	scenario_free(sc);
}

/* lossy-tcp: bob's first acknowledgement of "hello" is lost, alice sends
 * "hello" again; the scene shows the lost ACK lost at its step, not after. */
static void test_loss_marks(void **state)
{
	(void)state;
	struct trace *t = open_run("lossy-tcp");
	int bob = host_named(t, "bob");
	long lost = -1;
	int nlost = 0, nresent = 0;
	for (size_t i = 0; i < trace_nevents(t); i++) {
		const struct tr_event *e = trace_event(t, i);
		if (e->kind != TR_PACKET)
			continue;
		struct dec_pkt d;
		trace_packet_decode(t, e, &d);
		if (e->mark & TR_MARK_LOST) {
			nlost++;
			assert_int_equal(e->dir, TR_DIR_DEPART);
			assert_int_equal(trace_door(t, e->door)->host, bob);
			assert_int_equal(d.tcp_flags, DEC_TCP_ACK);
			assert_int_equal(d.payload_wirelen, 0);
			if (lost < 0)
				lost = (long)i;
		}
		if ((e->mark & TR_MARK_RESENT) && e->dir == TR_DIR_DEPART) {
			nresent++;
			assert_int_not_equal(trace_door(t, e->door)->host, bob);
			assert_int_equal(d.payload_wirelen, 5);
		}
		assert_false(e->mark & TR_MARK_DUP);
	}
	assert_int_equal(nlost, 1);
	assert_int_equal(nresent, 1);

	struct ui_model m;
	ui_model_init(&m, t, NULL);
	struct ui_scene s = { 0 };
	ui_scene_build(&m, lost, &s);
	int seen = 0;
	for (int i = 0; i < s.n; i++)
		if (s.v[i].key == (1ull << 40 | (uint64_t)lost)) {
			seen++;
			assert_true(s.v[i].visible);
			assert_true(s.v[i].lost);
			assert_true(s.v[i].pos < UI_AT_WIRE);
		}
	assert_int_equal(seen, 1);
	/* the next step, and in hold mode too: gone */
	for (int hold = 0; hold < 2; hold++) {
		m.hold = hold;
		ui_scene_build(&m, ui_model_next(&m, lost), &s);
		for (int i = 0; i < s.n; i++)
			if (s.v[i].key == (1ull << 40 | (uint64_t)lost))
				assert_false(s.v[i].visible);
	}
	ui_scene_free(&s);
	ui_model_free(&m);
	trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_connect_order),
		cmocka_unit_test(test_refused_connect_doors),
		cmocka_unit_test(test_connect_once_each),
		cmocka_unit_test(test_script_roles),
		cmocka_unit_test(test_loss_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
