/* test-ui-layout — the TUI's layout arithmetic: panes at 80x24, 200x60 and
 * below the minimum; houses and doors of 1 to 8 hosts on the stage (inside
 * the stage, no overlaps, doors on their house's wall, labels inside the
 * house); routes between doors; the ladder's columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui-layout.h"

static bool rect_inside(struct ui_rect in, struct ui_rect out)
{
	return in.y >= out.y && in.x >= out.x && in.y + in.h <= out.y + out.h && in.x + in.w <= out.x + out.w;
}

static bool rect_overlap(struct ui_rect a, struct ui_rect b)
{
	if (a.h <= 0 || a.w <= 0 || b.h <= 0 || b.w <= 0)
		return false;
	return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w && b.x < a.x + a.w;
}

static void check_panes(int rows, int cols, enum ui_pane focus)
{
	struct ui_layout l;
	ui_layout(rows, cols, focus, 0, &l);
	assert_false(l.too_small);
	struct ui_rect screen = { 0, 0, rows, cols };
	struct ui_rect all[] = { l.title, l.stage, l.ladder, l.detail, l.caption, l.status };
	int area = 0;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (all[i].h == 0)
			continue;
		assert_true(rect_inside(all[i], screen));
		area += all[i].h * all[i].w;
		for (size_t j = i + 1; j < sizeof all / sizeof all[0]; j++)
			assert_false(rect_overlap(all[i], all[j]));
	}
	/* every cell belongs to a pane */
	assert_int_equal(area, rows * cols);
	assert_int_equal(l.title.y, 0);
	assert_int_equal(l.status.y, rows - 1);
	assert_true(l.stage.h >= UI_STAGE_MIN_ROWS);
	assert_true(l.ladder.h > 0 || l.detail.h > 0);
}

static void test_panes_80x24(void **state)
{
	check_panes(24, 80, UI_PANE_STAGE);
	check_panes(24, 80, UI_PANE_LADDER);
	check_panes(24, 80, UI_PANE_DETAIL);
	struct ui_layout l;
	ui_layout(24, 80, UI_PANE_LADDER, 0, &l);
	/* at 80x24 the ladder and the detail take turns */
	assert_true(l.ladder.h >= 7);
	assert_int_equal(l.detail.h, 0);
	ui_layout(24, 80, UI_PANE_DETAIL, 0, &l);
	assert_int_equal(l.ladder.h, 0);
	assert_true(l.detail.h >= 7);
	assert_int_equal(l.caption.h, 3);
}

static void test_panes_200x60(void **state)
{
	check_panes(60, 200, UI_PANE_STAGE);
	check_panes(60, 200, UI_PANE_DETAIL);
	struct ui_layout l;
	ui_layout(60, 200, UI_PANE_STAGE, 0, &l);
	/* wide: ladder and detail side by side, both shown */
	assert_true(l.ladder.h > 20 && l.detail.h > 20);
	assert_int_equal(l.ladder.y, l.detail.y);
	assert_true(l.ladder.w > l.detail.w);
	/* the caption grows with the terminal (3 lines at 24 rows) */
	assert_true(l.caption.h >= 6);
	/* the stage takes two fifths of a tall body even when it asks for less */
	ui_layout(60, 200, UI_PANE_STAGE, 12, &l);
	assert_true(l.stage.h >= (60 - 2 - l.caption.h) * 2 / 5);
	/* the stage asks for rows and gets them within bounds */
	ui_layout(60, 200, UI_PANE_STAGE, 30, &l);
	assert_int_equal(l.stage.h, 30);
	ui_layout(24, 80, UI_PANE_STAGE, 5, &l);
	assert_int_equal(l.stage.h, UI_STAGE_MIN_ROWS);
	ui_layout(60, 200, UI_PANE_STAGE, 500, &l);
	assert_true(l.stage.h <= (60 - 6) * 2 / 3);
	assert_true(l.ladder.h >= 12);
}

static void test_panes_in_between(void **state)
{
	for (int rows = 24; rows <= 70; rows += 3)
		for (int cols = 80; cols <= 220; cols += 7)
			for (int f = 0; f < UI_NPANES; f++)
				check_panes(rows, cols, (enum ui_pane)f);
}

static void test_too_small(void **state)
{
	struct ui_layout l;
	int sizes[][2] = { { 23, 80 }, { 24, 79 }, { 1, 1 }, { 3, 10 }, { 40, 2 }, { 0, 0 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ui_layout(sizes[i][0], sizes[i][1], UI_PANE_STAGE, 0, &l);
		assert_true(l.too_small);
		assert_int_equal(l.stage.h, 0);
	}
	ui_layout(24, 80, UI_PANE_STAGE, 0, &l);
	assert_false(l.too_small);
}

/* ---- the stage ----------------------------------------------------------- */

static void req_hosts(struct ui_stage_req *req, int n, int houses, int doors)
{
	memset(req, 0, sizeof *req);
	req->nhosts = n;
	for (int h = 0; h < n && h < UI_MAX_HOSTS; h++) {
		req->nhouses[h] = houses;
		for (int k = 0; k < houses; k++)
			req->ndoors[h][k] = doors;
	}
}

/* Everything inside the stage, hosts apart, houses inside their host,
 * doors on their house's wall facing the network, labels inside. */
static void check_stage(int h, int w, const struct ui_stage_req *req, struct ui_stage_geo *g)
{
	ui_stage_layout(h, w, req, g);
	struct ui_rect stage = { 0, 0, h, w };
	assert_int_equal(g->nhosts + g->more_hosts, req->nhosts);
	for (int a = 0; a < g->nhosts; a++) {
		const struct ui_geo_host *ha = &g->host[a];
		assert_true(rect_inside(ha->r, stage));
		for (int b = a + 1; b < g->nhosts; b++)
			assert_false(rect_overlap(ha->r, g->host[b].r));
		/* the network runs between the columns, outside every host */
		if (g->bus_x >= 0 && g->nhosts > 1)
			assert_false(g->bus_x >= ha->r.x && g->bus_x < ha->r.x + ha->r.w);
		assert_int_equal(ha->dir, ha->side == 0 ? 1 : -1);
		for (int k = 0; k < ha->nhouses; k++) {
			const struct ui_geo_house *hs = &ha->house[k];
			assert_true(rect_inside(hs->r, ha->r));
			for (int j = k + 1; j < ha->nhouses; j++)
				assert_false(rect_overlap(hs->r, ha->house[j].r));
			assert_true(hs->title_y >= ha->r.y && hs->title_y < ha->r.y + ha->r.h);
			for (int d = 0; d < hs->ndoors; d++) {
				const struct ui_geo_door *gd = &hs->door[d];
				/* on the house's wall, on a row of its own */
				assert_true(gd->y > hs->r.y || g->level == UI_LEVEL_MIN);
				assert_true(gd->y < hs->r.y + hs->r.h);
				assert_true(gd->y != hs->title_y);
				assert_true(gd->x >= ha->r.x && gd->x < ha->r.x + ha->r.w);
				if (ha->side == 0)
					assert_true(gd->x >= hs->r.x + hs->r.w - 1);
				else
					assert_true(gd->x <= hs->r.x);
				assert_int_equal(gd->dir, ha->dir);
				/* the label inside the house, beside the door */
				assert_true(gd->label_w >= 8);
				assert_true(gd->label_x >= ha->r.x);
				assert_true(gd->label_x + gd->label_w <= ha->r.x + ha->r.w);
				if (gd->dir > 0)
					assert_true(gd->label_x + gd->label_w <= gd->x);
				else
					assert_true(gd->label_x > gd->x);
				/* outside the host on its side */
				if (g->level != UI_LEVEL_MIN && ha->lane_x < 0)
					assert_true(gd->dir > 0 ? gd->out_x >= ha->r.x + ha->r.w : gd->out_x < ha->r.x);
				for (int e = d + 1; e < hs->ndoors; e++)
					assert_int_not_equal(gd->y, hs->door[e].y);
			}
		}
	}
}

static void test_stage_1_to_8_hosts_80x24(void **state)
{
	struct ui_stage_req req;
	struct ui_stage_geo g;
	struct ui_layout l;
	ui_layout(24, 80, UI_PANE_STAGE, 0, &l);
	for (int n = 1; n <= 8; n++) {
		req_hosts(&req, n, 1, 2);
		check_stage(l.stage.h, l.stage.w, &req, &g);
		assert_int_equal(g.nhosts, n);
		/* two columns from two hosts on, the network between them */
		if (n >= 2) {
			int left = 0, right = 0;
			for (int h = 0; h < n; h++) {
				if (g.host[h].side)
					right++;
				else
					left++;
			}
			assert_true(left > 0 && right > 0);
			assert_true(left - right <= 2 && right - left <= 2);
			assert_true(g.bus_x > 0 && g.bus_x < 80);
		}
		/* every door drawn */
		for (int h = 0; h < n; h++)
			assert_int_equal(g.host[h].house[0].ndoors + g.host[h].house[0].more_doors, 2);
	}
	/* two hosts: the full picture, houses in boxes with a call line */
	req_hosts(&req, 2, 1, 2);
	ui_stage_layout(l.stage.h, l.stage.w, &req, &g);
	assert_int_equal(g.level, UI_LEVEL_FULL);
	assert_int_equal(g.host[0].side, 0);
	assert_int_equal(g.host[1].side, 1);
	assert_true(g.host[0].house[0].info_y > g.host[0].house[0].title_y);
	/* eight hosts at 80x24 still fit, in less detail */
	req_hosts(&req, 8, 1, 1);
	ui_stage_layout(l.stage.h, l.stage.w, &req, &g);
	assert_int_equal(g.nhosts, 8);
	assert_true(g.level < UI_LEVEL_FULL);
}

static void test_stage_1_to_8_hosts_200x60(void **state)
{
	struct ui_stage_req req;
	struct ui_stage_geo g;
	for (int n = 1; n <= 8; n++) {
		req_hosts(&req, n, 2, 3);
		int want = ui_stage_want(200, &req);
		struct ui_layout l;
		ui_layout(60, 200, UI_PANE_STAGE, want, &l);
		check_stage(l.stage.h, l.stage.w, &req, &g);
		assert_int_equal(g.nhosts, n);
		/* with room to spare, every door of every house (seven and
		 * eight hosts of two houses leave the caption its rows) */
		for (int h = 0; h < n && n <= 6; h++)
			for (int k = 0; k < 2; k++)
				assert_int_equal(g.host[h].house[k].ndoors, 3);
		/* hosts with two houses have a loopback lane beside them */
		for (int h = 0; h < n; h++)
			assert_true(g.host[h].lane_x >= g.host[h].r.x && g.host[h].lane_x < g.host[h].r.x + g.host[h].r.w);
	}
	req_hosts(&req, 4, 1, 1);
	ui_stage_layout(30, 200, &req, &g);
	assert_int_equal(g.level, UI_LEVEL_FULL);
	/* a tall stage spreads two hosts out: a blank row between doors */
	req_hosts(&req, 2, 1, 3);
	check_stage(24, 200, &req, &g);
	assert_int_equal(g.level, UI_LEVEL_FULL);
	assert_int_equal(g.host[0].house[0].door[1].y - g.host[0].house[0].door[0].y, 2);
}

static void test_stage_sides_by_role(void **state)
{
	struct ui_stage_req req;
	struct ui_stage_geo g;
	req_hosts(&req, 3, 1, 1);
	req.side[0] = 2; /* a server */
	req.side[1] = 1; /* clients */
	req.side[2] = 1;
	check_stage(11, 80, &req, &g);
	assert_int_equal(g.host[0].side, 1);
	assert_int_equal(g.host[1].side, 0);
	assert_int_equal(g.host[2].side, 0);
	/* two servers: one on each side all the same */
	req_hosts(&req, 2, 1, 1);
	req.side[0] = req.side[1] = 2;
	check_stage(11, 80, &req, &g);
	assert_int_not_equal(g.host[0].side, g.host[1].side);
	/* all clients: balanced anyway */
	req_hosts(&req, 6, 1, 1);
	for (int h = 0; h < 6; h++)
		req.side[h] = 1;
	check_stage(30, 120, &req, &g);
	int right = 0;
	for (int h = 0; h < 6; h++)
		right += g.host[h].side;
	assert_true(right >= 2);
}

static void test_stage_crowded(void **state)
{
	struct ui_stage_req req;
	struct ui_stage_geo g;
	/* more doors than rows: they are counted, not drawn over each other */
	req_hosts(&req, 2, 1, 40);
	check_stage(11, 80, &req, &g);
	assert_true(g.host[0].house[0].more_doors > 0);
	assert_int_equal(g.host[0].house[0].ndoors + g.host[0].house[0].more_doors, 40);
	/* more hosts than the stage holds */
	req_hosts(&req, 30, 1, 1);
	check_stage(11, 80, &req, &g);
	assert_true(g.nhosts <= UI_MAX_HOSTS);
	assert_true(g.more_hosts > 0);
	/* nothing at all */
	req_hosts(&req, 0, 1, 1);
	ui_stage_layout(11, 80, &req, &g);
	assert_int_equal(g.nhosts, 0);
}

static void test_routes(void **state)
{
	struct ui_stage_req req;
	struct ui_stage_geo g;
	struct ui_point p[UI_ROUTE_MAX];
	req_hosts(&req, 2, 1, 2);
	ui_stage_layout(11, 80, &req, &g);
	const struct ui_geo_door *a = &g.host[0].house[0].door[0], *b = &g.host[1].house[0].door[1];
	int n = ui_route(&g, 0, a, 1, b, p);
	assert_true(n >= 4 && n <= UI_ROUTE_MAX);
	/* inside the sender, just outside its host, ..., outside the receiver's host, inside it */
	assert_int_equal(p[0].y, a->y);
	assert_int_equal(p[1].x, a->out_x);
	assert_int_equal(p[n - 2].x, b->out_x);
	assert_int_equal(p[n - 1].y, b->y);
	/* straight lines only, through the network's line */
	bool on_bus = false;
	for (int i = 1; i < n; i++) {
		assert_true(p[i].y == p[i - 1].y || p[i].x == p[i - 1].x);
		on_bus = on_bus || p[i].x == g.bus_x;
	}
	assert_true(on_bus);
	/* stations: the doors, and "on the wire" on the network */
	struct ui_point s1 = ui_route_station(p, n, 1), s2 = ui_route_station(p, n, 2), s3 = ui_route_station(p, n, 3);
	assert_int_equal(s1.x, a->out_x);
	assert_int_equal(s3.x, b->out_x);
	assert_int_equal(s2.x, g.bus_x);
	assert_true(s2.y >= (a->y < b->y ? a->y : b->y) && s2.y <= (a->y > b->y ? a->y : b->y));
	/* the animation moves monotonically along the way */
	int last = -1;
	for (int k = 0; k <= 20; k++) {
		struct ui_point q = ui_route_station(p, n, 1 + k / 10.0);
		int dist = q.x - p[1].x + (q.y > p[1].y ? q.y - p[1].y : p[1].y - q.y);
		assert_true(dist >= last);
		last = dist;
	}
	/* two houses of one host: through its loopback lane, not the network */
	req_hosts(&req, 1, 2, 1);
	ui_stage_layout(11, 80, &req, &g);
	a = &g.host[0].house[0].door[0];
	b = &g.host[0].house[1].door[0];
	n = ui_route(&g, 0, a, 0, b, p);
	for (int i = 0; i < n; i++) {
		assert_true(p[i].x >= g.host[0].r.x && p[i].x < g.host[0].r.x + g.host[0].r.w);
		assert_true(p[i].y >= g.host[0].r.y && p[i].y < g.host[0].r.y + g.host[0].r.h);
	}
	assert_int_equal(ui_route_station(p, n, 2).x, g.host[0].lane_x);
	/* an unknown end: the host's link */
	req_hosts(&req, 2, 1, 1);
	ui_stage_layout(11, 80, &req, &g);
	n = ui_route(&g, 0, &g.host[0].house[0].door[0], 1, NULL, p);
	assert_int_equal(p[n - 1].y, g.host[1].nic_y);
}

/* ---- the ladder ---------------------------------------------------------- */

static void test_ladder_columns(void **state)
{
	struct ui_ladder_geo g;
	/* three doors at 80 columns: all shown, room for the text */
	ui_ladder_layout(80, 3, -1, -1, &g);
	assert_int_equal(g.ncols, 3);
	assert_int_equal(g.first, 0);
	assert_true(g.col_w >= 10);
	assert_true(g.text_w >= 24);
	assert_int_equal(g.text_x + g.text_w, 80);
	assert_int_equal(ui_ladder_col_x(&g, 0), g.time_w + 1);
	assert_int_equal(ui_ladder_col_x(&g, 2), g.time_w + 2 * g.col_w + 1);
	/* five and six doors at 80 columns (two-clients, no-boundaries): every
	 * column, narrower, and the time column still there */
	for (int n = 5; n <= 6; n++) {
		ui_ladder_layout(80, n, -1, -1, &g);
		assert_int_equal(g.ncols, n);
		assert_true(g.time_w >= 8);
		assert_true(g.col_w >= UI_LADDER_MIN_COL);
		assert_true(g.text_w >= 16);
		assert_int_equal(g.text_x + g.text_w, 80);
	}
	/* the time column at every width */
	for (int n = 0; n <= 30; n++) {
		ui_ladder_layout(80, n, -1, -1, &g);
		assert_true(g.time_w > 0);
	}
	/* twenty doors: a window of them, keeping the wanted ones in view */
	ui_ladder_layout(80, 20, 15, 17, &g);
	assert_true(g.ncols < 20);
	assert_true(g.first <= 15 && g.first + g.ncols > 17);
	assert_int_equal(ui_ladder_col_x(&g, g.first - 1), -1);
	assert_true(ui_ladder_col_x(&g, 16) > 0);
	assert_true(g.text_x + g.text_w == 80);
	ui_ladder_layout(80, 20, 19, -1, &g);
	assert_int_equal(g.first + g.ncols, 20);
	/* wanted columns too far apart: the first one is kept */
	ui_ladder_layout(80, 40, 2, 39, &g);
	assert_true(g.first <= 2 && g.first + g.ncols > 2);
	/* wide: wider columns, capped */
	ui_ladder_layout(200, 3, -1, -1, &g);
	assert_true(g.col_w <= 26 && g.col_w >= 20);
	assert_true(g.time_w > 0);
	/* no doors: all text */
	ui_ladder_layout(80, 0, -1, -1, &g);
	assert_int_equal(g.ncols, 0);
	assert_true(g.text_w >= 70);
	/* every shown column inside the width */
	for (int w = 60; w <= 220; w += 9)
		for (int n = 1; n <= 30; n += 3) {
			ui_ladder_layout(w, n, n - 1, 0, &g);
			for (int c = g.first; c < g.first + g.ncols; c++) {
				int x = ui_ladder_col_x(&g, c);
				assert_true(x >= 0 && x < g.text_x);
			}
			assert_true(g.text_x <= w);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panes_80x24),
		cmocka_unit_test(test_panes_200x60),
		cmocka_unit_test(test_panes_in_between),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_stage_1_to_8_hosts_80x24),
		cmocka_unit_test(test_stage_1_to_8_hosts_200x60),
		cmocka_unit_test(test_stage_sides_by_role),
		cmocka_unit_test(test_stage_crowded),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_ladder_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
