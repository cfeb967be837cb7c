#include "ui-layout.h"

#include <math.h>
#include <string.h>

static int ui_clamp(int v, int lo, int hi)
{
	if (v > hi)
		v = hi;
	return v < lo ? lo : v;
}

/* ---- panes --------------------------------------------------------------- */

void ui_layout(int rows, int cols, enum ui_pane focus, int stage_want, struct ui_layout *o)
{
	memset(o, 0, sizeof *o);
	if (rows < UI_MIN_ROWS || cols < UI_MIN_COLS) {
		o->too_small = true;
		return;
	}
	/* the caption grows with the terminal: a class reads it from afar */
	int cap_h = rows < 32 ? 3 : 3 + (rows - 24) / 8;
	if (cap_h > 8)
		cap_h = 8;
	o->title = (struct ui_rect){ 0, 0, 1, cols };
	o->status = (struct ui_rect){ rows - 1, 0, 1, cols };
	o->caption = (struct ui_rect){ rows - 1 - cap_h, 0, cap_h, cols };
	int body_y = 1, body_h = rows - 2 - cap_h;
	int bottom_min = 8;
	int hi = body_h - bottom_min;
	int want = stage_want > 0 ? stage_want : body_h * 45 / 100;
	/* a tall screen: the stage takes two fifths of the body at least (its
	 * houses spread out in it), the panes below keep the rest */
	if (rows >= 40 && want < body_h * 2 / 5)
		want = body_h * 2 / 5;
	/* the stage may grow to 60% of the body (two thirds on a tall screen) */
	int most = rows >= 40 ? body_h * 2 / 3 : body_h * 60 / 100;
	if (want > most)
		want = most;
	int stage_h = ui_clamp(want, UI_STAGE_MIN_ROWS, hi < UI_STAGE_MIN_ROWS ? UI_STAGE_MIN_ROWS : hi);
	o->stage = (struct ui_rect){ body_y, 0, stage_h, cols };
	int by = body_y + stage_h, bh = body_h - stage_h;
	if (cols >= 150) {
		int dw = ui_clamp(cols * 2 / 5, 50, 90);
		o->ladder = (struct ui_rect){ by, 0, bh, cols - dw };
		o->detail = (struct ui_rect){ by, cols - dw, bh, dw };
	} else if (bh >= 24) {
		int lh = bh * 55 / 100;
		o->ladder = (struct ui_rect){ by, 0, lh, cols };
		o->detail = (struct ui_rect){ by + lh, 0, bh - lh, cols };
	} else if (focus == UI_PANE_DETAIL) {
		o->detail = (struct ui_rect){ by, 0, bh, cols };
	} else {
		o->ladder = (struct ui_rect){ by, 0, bh, cols };
	}
}

/* ---- stage --------------------------------------------------------------- */

static int ui_nhouses(const struct ui_stage_req *req, int h)
{
	int n = req->nhouses[h];
	return ui_clamp(n, 1, UI_MAX_HOUSES);
}

/* Door rows a house shows: at least one (an empty house still has a wall). */
static int ui_door_rows(int n)
{
	return ui_clamp(n, 1, UI_MAX_DOORS);
}

/* Rows of host h at a level, with the doors per house limited to cap;
 * at FULL, doors sp rows apart (2: a blank row between two doors). */
static int ui_host_rows_sp(const struct ui_stage_req *req, int h, enum ui_level lv, int cap, int sp, int pad)
{
	int nh = ui_nhouses(req, h), rows = 0;
	for (int k = 0; k < nh; k++) {
		int d = ui_door_rows(req->ndoors[h][k]);
		if (d > cap)
			d = cap;
		switch (lv) {
		case UI_LEVEL_FULL: rows += 3 + d + (d - 1) * (sp - 1) + 2 * pad; break; /* box edges, call line, doors */
		case UI_LEVEL_COMPACT: rows += 1 + d; break; /* title line, doors */
		case UI_LEVEL_MIN: rows += (nh > 1 ? 1 : 0) + d; break;
		}
	}
	return rows + (lv == UI_LEVEL_MIN ? 1 : 2);
}

static int ui_host_rows(const struct ui_stage_req *req, int h, enum ui_level lv, int cap)
{
	return ui_host_rows_sp(req, h, lv, cap, 1, 0);
}

static int ui_nshown(const struct ui_stage_req *req)
{
	return ui_clamp(req->nhosts, 0, UI_MAX_HOSTS);
}

/* Which column each host goes in: clients left, servers right, the rest
 * where there is room; no column more than two hosts longer. */
static void ui_sides(const struct ui_stage_req *req, int n, int *side)
{
	int cnt[2] = { 0, 0 };
	for (int h = 0; h < n; h++) {
		side[h] = n <= 1 ? 0 : req->side[h] == 1 ? 0 : req->side[h] == 2 ? 1 : -1;
		if (side[h] >= 0)
			cnt[side[h]]++;
	}
	for (int h = 0; h < n; h++)
		if (side[h] < 0) {
			side[h] = cnt[1] < cnt[0] ? 1 : 0;
			cnt[side[h]]++;
		}
	/* neither column empty, neither more than two hosts longer */
	for (int s = 0; s < 2 && n > 1; s++)
		for (int h = n - 1; h >= 0 && (cnt[!s] == 0 || cnt[s] > cnt[!s] + 2); h--)
			if (side[h] == s) {
				side[h] = !s;
				cnt[s]--;
				cnt[!s]++;
			}
}

/* Height of the taller column; gap rows between hosts of a column. */
static int ui_stack_rows(const struct ui_stage_req *req, int n, enum ui_level lv, int cap, int gap, int sp, int pad)
{
	int side[2] = { 0, 0 }, cnt[2] = { 0, 0 }, sides[UI_MAX_HOSTS];
	ui_sides(req, n, sides);
	for (int h = 0; h < n; h++) {
		int s = sides[h];
		side[s] += ui_host_rows_sp(req, h, lv, cap, sp, pad) + (cnt[s] ? gap : 0);
		cnt[s]++;
	}
	return side[0] > side[1] ? side[0] : side[1];
}

int ui_stage_want(int w, const struct ui_stage_req *req)
{
	int n = ui_nshown(req);
	if (n == 0)
		return UI_STAGE_MIN_ROWS;
	return ui_stack_rows(req, n, UI_LEVEL_FULL, UI_MAX_DOORS, 1, 1, 0) + 1;
}

static void ui_place_host(const struct ui_stage_req *req, int h, enum ui_level lv, int cap, int sp, int pad,
			  int y, int x, int w, int side, int lane_w, struct ui_geo_host *gh)
{
	int nh = ui_nhouses(req, h);
	int lane = nh > 1 ? lane_w : 0;
	gh->side = side;
	gh->dir = side == 0 ? 1 : -1;
	gh->nhouses = nh;
	if (lv != UI_LEVEL_FULL)
		sp = 1, pad = 0;
	int rows = ui_host_rows_sp(req, h, lv, cap, sp, pad);
	gh->r = (struct ui_rect){ y, x, rows, w };
	gh->nic_y = y + (lv == UI_LEVEL_FULL ? 1 : 0);
	gh->nic_x = side == 0 ? x + w - 1 : x;
	/* the wall the doors sit on, and the inner span of a house */
	bool boxed = lv != UI_LEVEL_MIN;
	int inner_x0 = x + (boxed ? 1 : 0), inner_x1 = x + w - 1 - (boxed ? 1 : 0); /* inclusive */
	if (side == 0) {
		inner_x1 -= lane;
		gh->lane_x0 = inner_x1 + 1;
	} else {
		inner_x0 += lane;
		gh->lane_x0 = inner_x0 - lane;
	}
	gh->lane_x1 = lane ? gh->lane_x0 + lane - 1 : -1;
	gh->lane_x = lane ? gh->lane_x0 + (side == 0 ? lane / 2 : (lane - 1) / 2) : -1;
	if (!lane)
		gh->lane_x0 = -1;
	if (lane > UI_LANE) /* a wide lane: its line near the houses, room for labels beside it */
		gh->lane_x = side == 0 ? gh->lane_x0 + 1 : gh->lane_x1 - 1;
	int cy = y + (boxed ? 1 : 0);
	if (lv == UI_LEVEL_MIN)
		cy = y + 1; /* below the host's title line */
	for (int k = 0; k < nh; k++) {
		struct ui_geo_house *hs = &gh->house[k];
		memset(hs, 0, sizeof *hs);
		int want = ui_door_rows(req->ndoors[h][k]);
		int d = want > cap ? cap : want;
		hs->ndoors = d;
		hs->more_doors = req->ndoors[h][k] > d ? req->ndoors[h][k] - d : 0;
		int wall, lx, lw;
		switch (lv) {
		case UI_LEVEL_FULL:
			hs->r = (struct ui_rect){ cy, inner_x0, 3 + d + (d - 1) * (sp - 1) + 2 * pad, inner_x1 - inner_x0 + 1 };
			hs->title_y = cy;
			hs->title_x = inner_x0 + 1;
			hs->title_w = hs->r.w - 2;
			hs->info_y = cy + 1;
			wall = side == 0 ? inner_x1 : inner_x0;
			lx = inner_x0 + 1;
			lw = hs->r.w - 3;
			cy += 2 + pad;
			break;
		case UI_LEVEL_COMPACT:
			hs->r = (struct ui_rect){ cy, inner_x0, 1 + d, inner_x1 - inner_x0 + 1 };
			hs->title_y = cy;
			hs->title_x = inner_x0;
			hs->title_w = hs->r.w;
			hs->info_y = -1;
			/* the doors sit on the host's wall (or at the lane) */
			wall = side == 0 ? inner_x1 + (lane ? 0 : 1) : inner_x0 - (lane ? 0 : 1);
			lx = inner_x0;
			lw = hs->r.w - (lane ? 1 : 0);
			cy += 1;
			break;
		default: {
			int title = nh > 1 ? 1 : 0;
			hs->r = (struct ui_rect){ nh > 1 ? cy : y, inner_x0, 1 + d, inner_x1 - inner_x0 + 1 };
			hs->title_y = nh > 1 ? cy : y;
			hs->title_x = inner_x0 + (nh > 1 ? 1 : 0);
			hs->title_w = hs->r.w - (nh > 1 ? 1 : 0);
			hs->info_y = -1;
			wall = side == 0 ? inner_x1 : inner_x0;
			lx = inner_x0 + (side == 0 ? 0 : 0);
			lw = hs->r.w - 1;
			cy += title;
			break;
		}
		}
		for (int j = 0; j < d; j++) {
			struct ui_geo_door *gd = &hs->door[j];
			gd->y = cy + j * sp;
			gd->x = wall;
			gd->dir = gh->dir;
			gd->out_x = boxed ? (side == 0 ? x + w : x - 1) : wall + gh->dir;
			gd->label_w = lw;
			gd->label_x = side == 0 ? wall - lw : wall + 1;
			if (side == 0 && gd->label_x < lx) {
				gd->label_w -= lx - gd->label_x;
				gd->label_x = lx;
			}
		}
		cy += d + (d - 1) * (sp - 1);
		if (lv == UI_LEVEL_FULL)
			cy += 1 + pad; /* bottom edge */
	}
}

void ui_stage_layout(int h, int w, const struct ui_stage_req *req, struct ui_stage_geo *g)
{
	memset(g, 0, sizeof *g);
	g->bus_x = -1;
	int n = ui_nshown(req);
	g->more_hosts = req->nhosts > n ? req->nhosts - n : 0;
	if (n == 0 || h < 2 || w < 20)
		return;
	/* columns */
	int col_w, xs[2], lane_w = UI_LANE;
	if (n == 1) {
		col_w = ui_clamp(w - 16, 20, 72);
		lane_w = ui_clamp(col_w / 4, UI_LANE, 18);
		xs[0] = xs[1] = (w - col_w) / 2;
		g->bus_x = xs[0] + col_w + 3 < w ? xs[0] + col_w + 3 : -1;
	} else {
		int gap = w / 5 > 14 ? w / 5 : 14;
		col_w = ui_clamp((w - gap) / 2, 20, 60);
		int margin = w >= 100 ? 1 : 0;
		xs[0] = margin;
		xs[1] = w - margin - col_w;
		g->bus_x = (xs[0] + col_w + xs[1] - 1) / 2;
	}
	g->bus_y0 = 0;
	g->bus_y1 = h - 1;
	g->gap_x0 = n == 1 ? xs[0] + col_w : xs[0] + col_w;
	g->gap_x1 = n == 1 ? w - 1 : xs[1] - 1;
	/* the richest level that fits, then fewer door rows, then fewer hosts */
	enum ui_level lv = UI_LEVEL_MIN;
	int cap = UI_MAX_DOORS, gap = 0, sp = 1, pad = 0;
	bool fit = false;
	/* a tall stage: doors a row apart, two rows between hosts, and houses
	 * with room above and below their doors (up to three rows) */
	for (int pd = 3; pd >= 0 && !fit; pd--)
		if (ui_stack_rows(req, n, UI_LEVEL_FULL, cap, 2, 2, pd) + 2 <= h) {
			lv = UI_LEVEL_FULL;
			gap = 2;
			sp = 2;
			pad = pd;
			fit = true;
		}
	for (int l = UI_LEVEL_FULL; l >= UI_LEVEL_MIN && !fit; l--) {
		for (int gp = 1; gp >= 0 && !fit; gp--) {
			if (ui_stack_rows(req, n, (enum ui_level)l, cap, gp, 1, 0) <= h) {
				lv = (enum ui_level)l;
				gap = gp;
				fit = true;
			}
		}
	}
	while (!fit && cap > 1) {
		cap--;
		fit = ui_stack_rows(req, n, UI_LEVEL_MIN, cap, 0, 1, 0) <= h;
	}
	while (!fit && n > 1) {
		n--;
		g->more_hosts++;
		fit = ui_stack_rows(req, n, UI_LEVEL_MIN, cap, 0, 1, 0) <= h;
	}
	if (!fit) { /* one host taller than the stage: show what fits of it */
		while (cap > 1 && ui_host_rows(req, 0, UI_LEVEL_MIN, cap) > h)
			cap--;
	}
	g->level = lv;
	g->nhosts = n;
	int y[2] = { 0, 0 }, cnt[2] = { 0, 0 }, sides[UI_MAX_HOSTS];
	ui_sides(req, n, sides);
	/* centre each column vertically when there is room */
	int total[2] = { 0, 0 };
	for (int k = 0; k < n; k++) {
		int s = sides[k];
		total[s] += ui_host_rows_sp(req, k, lv, cap, sp, pad) + (cnt[s] ? gap : 0);
		cnt[s]++;
	}
	for (int s = 0; s < 2; s++) {
		y[s] = total[s] < h ? (h - total[s]) / 2 : 0;
		if (y[s] > 2)
			y[s] = 2 + (y[s] - 2) / 3; /* keep the houses near the top */
		cnt[s] = 0;
	}
	for (int k = 0; k < n; k++) {
		int s = sides[k];
		if (cnt[s])
			y[s] += gap;
		ui_place_host(req, k, lv, cap, sp, pad, y[s], xs[s], col_w, s, lane_w, &g->host[k]);
		y[s] += g->host[k].r.h;
		cnt[s]++;
	}
	/* a host cut at the bottom (one host taller than the stage) */
	for (int k = 0; k < n; k++) {
		struct ui_geo_host *gh = &g->host[k];
		if (gh->r.y + gh->r.h > h)
			gh->r.h = h - gh->r.y;
		for (int j = 0; j < gh->nhouses; j++) {
			struct ui_geo_house *hs = &gh->house[j];
			while (hs->ndoors > 0 && hs->door[hs->ndoors - 1].y >= h) {
				hs->ndoors--;
				hs->more_doors++;
			}
			if (hs->r.y + hs->r.h > h)
				hs->r.h = h - hs->r.y > 0 ? h - hs->r.y : 0;
		}
	}
}

/* ---- routes -------------------------------------------------------------- */

static struct ui_point ui_pt(int y, int x)
{
	return (struct ui_point){ y, x };
}

int ui_route(const struct ui_stage_geo *g, int ha, const struct ui_geo_door *a, int hb,
	     const struct ui_geo_door *b, struct ui_point *pts)
{
	int n = 0;
	struct ui_point ain, aout, bin, bout;
	int adir = 1, bdir = 1;
	/* between two houses of one host the envelope stays inside it */
	bool lane = ha >= 0 && ha == hb && ha < g->nhosts && g->host[ha].lane_x >= 0;
	if (a) {
		adir = a->dir;
		ain = ui_pt(a->y, a->x - a->dir);
		aout = ui_pt(a->y, lane ? a->x + a->dir : a->out_x);
	} else if (ha >= 0 && ha < g->nhosts) {
		adir = g->host[ha].dir;
		ain = aout = ui_pt(g->host[ha].nic_y, g->host[ha].nic_x + adir);
	} else {
		ain = aout = ui_pt(g->bus_y0, g->bus_x >= 0 ? g->bus_x : 0);
	}
	if (b) {
		bdir = b->dir;
		bin = ui_pt(b->y, b->x - b->dir);
		bout = ui_pt(b->y, lane ? b->x + b->dir : b->out_x);
	} else if (hb >= 0 && hb < g->nhosts) {
		bdir = g->host[hb].dir;
		bin = bout = ui_pt(g->host[hb].nic_y, g->host[hb].nic_x + bdir);
	} else {
		bin = bout = ui_pt(g->bus_y0, g->bus_x >= 0 ? g->bus_x : 0);
	}
	(void)bdir;
	/* which vertical line carries it: the host's loopback lane, else the network */
	int vx = lane ? g->host[ha].lane_x : g->bus_x;
	if (vx < 0)
		vx = aout.x + 2 * adir;
	/* inside and outside of each door are always points 0, 1 and n-2, n-1 */
	pts[n++] = ain;
	pts[n++] = aout;
	struct ui_point c1 = ui_pt(aout.y, vx), c2 = ui_pt(bout.y, vx);
	if (c1.x != aout.x)
		pts[n++] = c1;
	if (c2.y != pts[n - 1].y || c2.x != pts[n - 1].x)
		pts[n++] = c2;
	pts[n++] = bout;
	pts[n++] = bin;
	return n;
}

static double ui_seg_len(struct ui_point a, struct ui_point b)
{
	return fabs((double)(a.y - b.y)) + fabs((double)(a.x - b.x));
}

struct ui_point ui_route_at(const struct ui_point *pts, int n, double f)
{
	if (n <= 0)
		return ui_pt(0, 0);
	if (n == 1 || f <= 0)
		return pts[0];
	double total = 0;
	for (int i = 1; i < n; i++)
		total += ui_seg_len(pts[i - 1], pts[i]);
	if (f >= 1 || total <= 0)
		return pts[n - 1];
	double want = f * total;
	for (int i = 1; i < n; i++) {
		double l = ui_seg_len(pts[i - 1], pts[i]);
		if (want <= l && l > 0) {
			double t = want / l;
			struct ui_point a = pts[i - 1], b = pts[i];
			return ui_pt(a.y + (int)lround((b.y - a.y) * t), a.x + (int)lround((b.x - a.x) * t));
		}
		want -= l;
	}
	return pts[n - 1];
}

static struct ui_point ui_lerp_pt(struct ui_point a, struct ui_point b, double t)
{
	return ui_pt(a.y + (int)lround((b.y - a.y) * t), a.x + (int)lround((b.x - a.x) * t));
}

struct ui_point ui_route_station(const struct ui_point *pts, int n, double s)
{
	if (n < 4)
		return n > 0 ? pts[0] : ui_pt(0, 0);
	if (s <= 0)
		return pts[0];
	if (s < 1)
		return ui_lerp_pt(pts[0], pts[1], s);
	if (s >= 4)
		return pts[n - 1];
	if (s > 3)
		return ui_lerp_pt(pts[n - 2], pts[n - 1], s - 3);
	/* station 2, "on the wire", is the middle of the network's (vertical)
	 * stretch, or the middle of the way when there is none */
	double total = 0, mid = -1;
	for (int i = 2; i < n - 1; i++) {
		double l = ui_seg_len(pts[i - 1], pts[i]);
		if (mid < 0 && pts[i - 1].x == pts[i].x && pts[i - 1].y != pts[i].y)
			mid = total + l / 2;
		total += l;
	}
	if (mid < 0)
		mid = total / 2;
	double want = s <= 2 ? (s - 1) * mid : mid + (s - 2) * (total - mid);
	return ui_route_at(pts + 1, n - 2, total > 0 ? want / total : 0);
}

/* ---- ladder -------------------------------------------------------------- */

void ui_ladder_layout(int w, int ncols, int want_a, int want_b, struct ui_ladder_geo *g)
{
	memset(g, 0, sizeof *g);
	/* the time column is always there: a row's time is part of its story */
	g->time_w = w >= 100 ? 10 : 9;
	int text_min = w >= 120 ? 40 : w >= 90 ? 30 : 24;
	if (ncols <= 0) {
		g->text_x = g->time_w;
		g->text_w = w - g->time_w;
		return;
	}
	/* every door's column when they fit at UI_LADDER_MIN_COL wide, the
	 * text giving up room down to 16 columns first; else a window of them */
	int avail = w - g->time_w - text_min;
	if (avail < ncols * UI_LADDER_MIN_COL && text_min > 16) {
		int need = ncols * UI_LADDER_MIN_COL - avail;
		int give = need < text_min - 16 ? need : text_min - 16;
		avail += give;
	}
	if (avail < UI_LADDER_MIN_COL)
		avail = UI_LADDER_MIN_COL;
	int cw = avail / ncols;
	int shown = ncols;
	if (cw < UI_LADDER_MIN_COL) {
		cw = UI_LADDER_MIN_COL;
		shown = avail / cw;
		if (shown < 1)
			shown = 1;
	}
	int cap = w >= 160 ? 26 : w >= 120 ? 22 : 17;
	if (cw > cap)
		cw = cap;
	g->col_w = cw;
	g->ncols = shown;
	g->first = 0;
	if (want_a < 0)
		want_a = want_b;
	if (want_b < 0)
		want_b = want_a;
	if (want_a >= ncols || want_b >= ncols)
		want_a = want_b = -1;
	if (want_a >= 0 && shown < ncols) {
		int lo = want_a < want_b ? want_a : want_b, hi = want_a < want_b ? want_b : want_a;
		if (hi - lo + 1 > shown) /* both do not fit: the first one */
			hi = lo + shown - 1;
		/* the wanted span in the middle of the window */
		g->first = lo - (shown - (hi - lo + 1)) / 2;
		if (g->first + shown > ncols)
			g->first = ncols - shown;
		if (g->first < 0)
			g->first = 0;
	}
	g->text_x = g->time_w + shown * cw;
	g->text_w = w - g->text_x;
}

int ui_ladder_col_x(const struct ui_ladder_geo *g, int c)
{
	if (c < g->first || c >= g->first + g->ncols)
		return -1;
	return g->time_w + (c - g->first) * g->col_w + 1;
}
