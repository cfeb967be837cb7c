/* test-ui-render — whole TUI frames drawn from a large trace, on a terminal
 * that writes to /dev/null: every pane draws at any cursor, stepping moves
 * through the trace, and (with --bench) the figures of issue 4:
 *   one frame <= 2 ms with a 1M-event trace loaded, against an empty-screen
 *   frame measured in the same run; a step forward/back O(1) in the trace's
 *   size (the same time at 1k events as at 1M).
 *   build/tests/test-ui-render            quick checks on 20k packets (cmocka)
 *   build/tests/test-ui-render --bench    the figures on 1M packets */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prog.h"
#include "trace.h"
#include "ui-layout.h"
#include "ui-model.h"
#include "ui-scene.h"
#include "ui-screen.h"
#include "ui-term.h"
#include "ui-view.h"
#include "util.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

/* A classic pcap of n Ethernet frames: TCP connections (handshake, data,
 * ACKs, teardown) and UDP question/answer pairs among 40 hosts. */
static void gen_pcap(const char *path, long n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	uint32_t gh[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	fwrite(gh, sizeof gh, 1, f);
	uint64_t t_us = 1700000000ull * 1000000ull;
	uint8_t p[1600];
	long k = 0;
	for (int c = 0; k < n; c++) {
		uint32_t cli = 0xc0000201u + (uint32_t)(c % 30), srv = 0xc0000281u + (uint32_t)(c % 10);
		uint16_t cp = (uint16_t)(30000 + c % 30000), sp = c % 4 == 3 ? 53 : 8000;
		int proto = c % 4 == 3 ? 17 : 6;
		/* flags, direction (0 client to server), payload */
		static const struct { uint8_t fl; int back; uint32_t pay; } tcp[] = {
			{ 0x02, 0, 0 }, { 0x12, 1, 0 }, { 0x10, 0, 0 }, { 0x18, 0, 5 }, { 0x10, 1, 0 },
			{ 0x18, 1, 700 }, { 0x10, 0, 0 }, { 0x11, 0, 0 }, { 0x11, 1, 0 }, { 0x10, 0, 0 },
		}, udp[] = { { 0, 0, 30 }, { 0, 1, 60 } };
		int np = proto == 6 ? 10 : 2;
		uint32_t seq[2] = { 1000, 5000 };
		for (int i = 0; i < np && k < n; i++, k++) {
			uint8_t fl = proto == 6 ? tcp[i].fl : 0;
			int back = proto == 6 ? tcp[i].back : udp[i].back;
			uint32_t pay = proto == 6 ? tcp[i].pay : udp[i].pay;
			uint32_t l4 = proto == 6 ? 20 : 8, len = 14 + 20 + l4 + pay;
			memset(p, 0, len);
			uint32_t s = back ? srv : cli, d = back ? cli : srv;
			p[0] = 2, p[5] = (uint8_t)d, p[6] = 2, p[11] = (uint8_t)s;
			put16(p + 12, 0x0800);
			uint8_t *ip = p + 14;
			ip[0] = 0x45;
			put16(ip + 2, (uint16_t)(20 + l4 + pay));
			ip[8] = 64;
			ip[9] = (uint8_t)proto;
			put32(ip + 12, s);
			put32(ip + 16, d);
			uint8_t *t = ip + 20;
			put16(t, back ? sp : cp);
			put16(t + 2, back ? cp : sp);
			if (proto == 6) {
				put32(t + 4, seq[back]);
				put32(t + 8, seq[!back]);
				t[12] = 5 << 4;
				t[13] = fl;
				put16(t + 14, 65535);
				seq[back] += pay + ((fl & 0x03) ? 1 : 0);
			} else {
				put16(t + 4, (uint16_t)(8 + pay));
			}
			for (uint32_t b = 0; b < pay; b++)
				t[l4 + b] = (uint8_t)('a' + b % 26);
			uint32_t rh[4] = { (uint32_t)(t_us / 1000000), (uint32_t)(t_us % 1000000), len, len };
			fwrite(rh, sizeof rh, 1, f);
			fwrite(p, len, 1, f);
			t_us += 9;
		}
	}
	fclose(f);
}

static double now_ms(void);

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct rig {
	char path[64];
	struct trace *t;
	struct ui_model m;
	struct ui_pace pace;
	struct ui_term *tm;
	struct ui_screen scr;
	struct ui_scene from, to, frame;
	double open_ms, model_ms;
};

static void rig_open(struct rig *r, long npkts, int rows, int cols)
{
	snprintf(r->path, sizeof r->path, "/tmp/doorway-ui-render.%d.pcap", (int)getpid());
	gen_pcap(r->path, npkts);
	char err[UTIL_ERRLEN] = "";
	double t0 = now_ms();
	r->t = trace_open(r->path, err);
	if (!r->t)
		fprintf(stderr, "trace_open: %s\n", err);
	assert_non_null(r->t);
	r->open_ms = now_ms() - t0;
	t0 = now_ms();
	ui_model_init(&r->m, r->t, NULL);
	ui_pace_sync(&r->pace, &r->m);
	r->model_ms = now_ms() - t0;
	r->tm = ui_term_open_null(rows, cols, false, false, err);
	if (!r->tm)
		fprintf(stderr, "terminal: %s\n", err);
	assert_non_null(r->tm);
	ui_screen_init(&r->scr, r->tm);
	ui_screen_layout(&r->scr, &r->m, UI_PANE_LADDER, false);
}

static void rig_close(struct rig *r)
{
	ui_screen_free(&r->scr);
	ui_term_free(r->tm);
	ui_pace_free(&r->pace);
	ui_model_free(&r->m);
	trace_free(r->t);
	ui_scene_free(&r->from);
	ui_scene_free(&r->to);
	ui_scene_free(&r->frame);
	unlink(r->path);
}

/* One frame at cursor c, mid-animation from the step before. */
static void rig_frame(struct rig *r, long c, enum ui_pane focus, bool later)
{
	long prev = ui_model_prev(&r->m, c);
	ui_scene_build(&r->m, prev, &r->from);
	ui_scene_build(&r->m, c, &r->to);
	ui_scene_mix(&r->from, &r->to, 0.5, &r->frame);
	struct ui_view v = { .m = &r->m, .pace = &r->pace, .cursor = c, .sel = -1, .sel_door = -1, .focus = focus,
			     .show_later = later, .frame = &r->frame, .title = "bench", .source = "capture",
			     .speed = 1, .message = "" };
	int h = r->scr.lay.ladder.h > 0 ? r->scr.lay.ladder.h : 8;
	v.ladder_top = ui_ladder_scroll(&v, h, 0, ui_model_row_of(&r->m, c));
	ui_screen_draw(&r->scr, &v, NULL);
}

static void rig_empty(struct rig *r)
{
	struct ui_win *w[] = { r->scr.title, r->scr.stage, r->scr.ladder, r->scr.detail, r->scr.caption, r->scr.status };
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		ui_win_clear(w[i], UI_R_NORMAL);
		ui_win_show(w[i]);
	}
	ui_term_flush(r->tm);
}

static void test_frames(void **state)
{
	struct rig r = { 0 };
	rig_open(&r, 20000, 24, 80);
	assert_true(r.m.nsteps > 10000);
	assert_true(r.m.nrows > 5000);
	assert_true(r.m.nhosts >= 40);
	/* the stage cannot hold 40 hosts: it counts the rest */
	assert_true(r.scr.geo.nhosts + r.scr.geo.more_hosts == r.m.nhosts);
	long c = -1;
	for (int i = 0; i < 200; i++) {
		long n = ui_model_next(&r.m, c);
		assert_true(n > c);
		c = n;
		rig_frame(&r, c, (enum ui_pane)(i % UI_NPANES), i % 2);
	}
	assert_int_equal((long)ui_model_step_no(&r.m, c), 200);
	/* the end, the middle, and back */
	long last = ui_model_last(&r.m);
	rig_frame(&r, last, UI_PANE_DETAIL, true);
	assert_int_equal(ui_model_next(&r.m, last), last);
	long mid = (long)r.m.steps[r.m.nsteps / 2];
	rig_frame(&r, mid, UI_PANE_STAGE, false);
	assert_true(ui_model_prev(&r.m, mid) < mid);
	/* every size on the way down to too small */
	int sizes[][2] = { { 60, 200 }, { 40, 120 }, { 24, 80 }, { 23, 80 }, { 3, 10 }, { 30, 100 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ui_term_resize_to(r.tm, sizes[i][0], sizes[i][1]);
		ui_screen_layout(&r.scr, &r.m, UI_PANE_STAGE, false);
		assert_int_equal(r.scr.lay.too_small, sizes[i][0] < 24 || sizes[i][1] < 80);
		if (!r.scr.lay.too_small)
			rig_frame(&r, mid, UI_PANE_STAGE, false);
	}
	rig_close(&r);
}

static void bench(long npkts, int rows, int cols)
{
	struct rig r = { 0 };
	rig_open(&r, npkts, rows, cols);
	double t0;
	/* the empty screen: clear every pane, one doupdate */
	int reps = 200;
	rig_empty(&r);
	t0 = now_ms();
	for (int i = 0; i < reps; i++)
		rig_empty(&r);
	double empty = (now_ms() - t0) / reps;
	/* frames at cursors all over the trace, all panes drawn (after one to warm up) */
	rig_frame(&r, ui_model_first(&r.m), UI_PANE_STAGE, false);
	double worst = 0, sum = 0;
	int frames = 0;
	for (int k = 0; k < 20; k++) {
		long c = (long)r.m.steps[(size_t)k * (r.m.nsteps - 1) / 19];
		for (int i = 0; i < 10; i++) {
			double s = now_ms();
			rig_frame(&r, c, (enum ui_pane)(i % UI_NPANES), i % 2);
			double d = now_ms() - s;
			sum += d;
			frames++;
			if (d > worst)
				worst = d;
		}
	}
	/* steps at the start and at the end */
	long c = ui_model_first(&r.m);
	int nstep = 100000;
	t0 = now_ms();
	for (int i = 0; i < nstep; i++)
		c = ui_model_next(&r.m, c);
	double fwd = (now_ms() - t0) * 1e6 / nstep;
	t0 = now_ms();
	for (int i = 0; i < nstep; i++)
		c = ui_model_prev(&r.m, c);
	double back = (now_ms() - t0) * 1e6 / nstep;
	printf("  %8ld events %dx%d: trace_open %.0f ms + TUI index %.0f ms; frame %.3f ms (worst %.3f; "
	       "empty screen %.3f, %.1fx); step forward %.0f ns, back %.0f ns\n",
	       (long)trace_nevents(r.t), cols, rows, r.open_ms, r.model_ms, sum / frames, worst, empty,
	       empty > 0 ? sum / frames / empty : 0, fwd, back);
	rig_close(&r);
}

const char *const *test_args_options(void)
{
	static const char *const opts[] = { "--bench", NULL };
	return opts;
}

const char *test_args_usage(void)
{
	return "test-ui-render [--bench]   (run from tests/; --bench times whole frames)";
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench")) {
		printf("TUI render (goal: a frame <= 2 ms with 1M events; steps O(1) in the trace's size)\n");
		bench(1000, 24, 80);
		bench(1000000, 24, 80);
		bench(1000000, 60, 200);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
