/* ui-scene — what moves on the stage at a cursor: envelopes (each packet in
 * flight, each message waiting in a door) with their place along the route
 * from door to door, and the mix of two scenes for the animation frames
 * between two steps (forward or back). Positions come from the trace and
 * the cursor; the stage only maps them to cells. No curses. */
#ifndef DOORWAY_UI_SCENE_H
#define DOORWAY_UI_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui_model;

/* Stations along a route (see ui_route_station). */
#define UI_AT_INSIDE_FROM 0.0
#define UI_AT_DOOR_FROM 1.0
#define UI_AT_LOST 1.7 /* where a lost packet is last seen: on the way out, short of the network */
#define UI_AT_WIRE 2.0
#define UI_AT_DOOR_TO 3.0
#define UI_AT_INSIDE_TO 4.0

enum ui_env_kind {
	UI_ENV_DATA,    /* application bytes (a message or a segment carrying some) */
	UI_ENV_CTL,     /* a segment without data: SYN, ACK, FIN, RST */
	UI_ENV_ERROR,   /* ICMP errors, RST */
};

struct ui_env {
	uint64_t key;       /* packets: 1<<40 | departure event; messages: 2<<40 | message */
	bool is_msg;
	int from, to;       /* doors, -1 unknown */
	int from_host, to_host; /* when a door is unknown */
	double pos;         /* station */
	bool visible;
	bool now;           /* the cursor's own event */
	uint8_t kind;       /* enum ui_env_kind */
	int count;          /* messages waiting in the same door (drawn as one) */
	int msg;            /* the message it is (or its packet carries), -1 */
	bool lost;          /* a packet lost on the way: it stops short of the network, no route ahead */
	char label[72];
};

struct ui_scene {
	struct ui_env *v;
	int n, cap;
	long cursor;
};

/* The envelopes at a cursor: a pure function of the trace and the cursor
 * (the same whatever was built before; tests/test-ui-scene.c checks it on
 * recorded lessons). */
void ui_scene_build(const struct ui_model *m, long cursor, struct ui_scene *s);
/* The frame at fraction p (0..1) of the way from scene a to scene b (the
 * scenes of two cursors, never a frame): it shows only envelopes of a or
 * b, and at p = 1 it is b. A packet whose message takes over from it (the
 * message goes in through the door it came to) leaves at once. */
void ui_scene_mix(const struct ui_scene *a, const struct ui_scene *b, double p, struct ui_scene *out);
void ui_scene_free(struct ui_scene *s);
/* The event that tells about an envelope at a cursor (what a click on it
 * selects): a packet's departure, or its arrival once it arrived; a
 * message's latest packet so far, else its send call; -1. */
long ui_env_event(const struct ui_model *m, const struct ui_env *e, long cursor);

#endif
