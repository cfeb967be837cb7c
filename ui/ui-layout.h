/* ui-layout — where everything goes, as pure arithmetic: the panes for a
 * terminal size, the stage's hosts, houses and doors, and the ladder's
 * columns. No curses, no trace: unit-tested in tests/test-ui-layout.c. On a
 * resize the UI calls these again and moves its windows. */
#ifndef DOORWAY_UI_LAYOUT_H
#define DOORWAY_UI_LAYOUT_H

#include <stdbool.h>

#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

struct ui_rect {
	int y, x, h, w;
};

static inline bool ui_rect_has(struct ui_rect r, int y, int x)
{
	return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

enum ui_pane { UI_PANE_STAGE, UI_PANE_LADDER, UI_PANE_DETAIL, UI_NPANES };

struct ui_layout {
	bool too_small;                 /* below 80x24: only the "enlarge" screen */
	struct ui_rect title;           /* top line: lesson, mode, step */
	struct ui_rect stage;           /* houses and doors */
	struct ui_rect ladder;          /* h == 0: hidden */
	struct ui_rect detail;          /* h == 0: hidden */
	struct ui_rect caption;         /* the step's event and caption */
	struct ui_rect status;          /* bottom line: keys, messages */
};

/* Panes for a rows x cols terminal. focus decides which of ladder and
 * detail shows when only one fits; stage_want is the height the stage would
 * like (0: a default share). */
void ui_layout(int rows, int cols, enum ui_pane focus, int stage_want, struct ui_layout *out);

/* ---- the stage ----------------------------------------------------------- */

#define UI_MAX_HOSTS 16   /* hosts drawn; more are counted ("+3 hosts") */
#define UI_MAX_HOUSES 6   /* houses per host */
#define UI_MAX_DOORS 8    /* door rows per house */
#define UI_LANE 3         /* columns beside a host's houses for loopback travel */
#define UI_STAGE_MIN_ROWS 11

enum ui_level {
	UI_LEVEL_MIN,     /* no boxes: a host's title line and its doors */
	UI_LEVEL_COMPACT, /* host boxes; houses as a title line and doors */
	UI_LEVEL_FULL,    /* host boxes holding house boxes with a line for the call */
};

struct ui_stage_req {
	int nhosts;                              /* may exceed UI_MAX_HOSTS */
	int nhouses[UI_MAX_HOSTS];               /* at least 1 drawn per host */
	int ndoors[UI_MAX_HOSTS][UI_MAX_HOUSES]; /* door slots per house */
	int side[UI_MAX_HOSTS];                  /* 0 either, 1 left (clients), 2 right (servers) */
};

struct ui_geo_door {
	int y, x;          /* the door on the house's wall */
	int dir;           /* +1 it opens to the right, -1 to the left */
	int out_x;         /* the first cell outside the host on its row */
	int label_x, label_w; /* room for its label, inside the house along the wall */
};

struct ui_geo_house {
	struct ui_rect r;  /* its box (FULL) or the rows it uses */
	int title_y, title_x, title_w;
	int info_y;        /* line for the current call, -1 when none */
	int ndoors;        /* door rows drawn */
	int more_doors;    /* slots not drawn */
	struct ui_geo_door door[UI_MAX_DOORS];
};

struct ui_geo_host {
	struct ui_rect r;  /* its box (COMPACT, FULL) or rows (MIN) */
	int side;          /* 0 left column, 1 right column */
	int dir;           /* +1 doors open to the right, -1 to the left */
	int lane_x;        /* loopback lane's line, -1 when the host has one house */
	int lane_x0, lane_x1; /* the lane's columns (inclusive), -1 */
	int nic_y, nic_x;  /* where its link meets the network */
	int nhouses;
	struct ui_geo_house house[UI_MAX_HOUSES];
};

struct ui_stage_geo {
	enum ui_level level;
	int nhosts;        /* drawn */
	int more_hosts;    /* not drawn */
	int bus_x;         /* the network, a vertical line; -1 none */
	int bus_y0, bus_y1;
	int gap_x0, gap_x1;  /* the columns between the hosts (inclusive) */
	struct ui_geo_host host[UI_MAX_HOSTS];
};

/* Lay out req in an h x w stage. Everything lands inside [0,h) x [0,w). */
void ui_stage_layout(int h, int w, const struct ui_stage_req *req, struct ui_stage_geo *g);
/* Rows the stage needs to draw req at full detail in width w. */
int ui_stage_want(int w, const struct ui_stage_req *req);

/* Route points of a message from one door to another: a cell inside the
 * sender's house, the door's outside cell, through the network (or the
 * host's loopback lane), the other door's outside cell and a cell inside
 * its house. A NULL door stands for the host's link (ha >= 0) or the
 * outside world. Points 0, 1, n-2 and n-1 are always those four. Returns
 * the number of points (at most UI_ROUTE_MAX). */
#define UI_ROUTE_MAX 8
struct ui_point {
	int y, x;
};
int ui_route(const struct ui_stage_geo *g, int ha, const struct ui_geo_door *a, int hb,
	     const struct ui_geo_door *b, struct ui_point *pts);
/* A point along the route at arc-length fraction f (0..1). */
struct ui_point ui_route_at(const struct ui_point *pts, int n, double f);
/* A point at a station of the route: 0 inside the sender's house, 1 its
 * door, 2 halfway, 3 the receiver's door, 4 inside its house; fractions
 * in between (the animation). */
struct ui_point ui_route_station(const struct ui_point *pts, int n, double s);

/* ---- the ladder ---------------------------------------------------------- */

#define UI_LADDER_MIN_COL 7 /* a door column's least width: its line and a short name */

struct ui_ladder_geo {
	int time_w;        /* the time column (always shown) */
	int col_w;         /* one column per door */
	int first;         /* first door column shown */
	int ncols;         /* door columns shown */
	int text_x, text_w;/* the event's text at the right */
};

/* Columns for ncols doors in width w: all of them, narrower, while they
 * fit; else a window keeping columns want_a and want_b (-1: any) in view
 * when both fit. The time column is always there. */
void ui_ladder_layout(int w, int ncols, int want_a, int want_b, struct ui_ladder_geo *g);
/* The x of door column c's line, or -1 when it is not shown. */
int ui_ladder_col_x(const struct ui_ladder_geo *g, int c);

#endif
