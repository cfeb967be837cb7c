/* test-ui-scene — the stage's envelopes as a pure function of the trace and
 * the cursor (ui_scene_build), and the animation between two steps
 * (ui_scene_mix) showing nothing but what the two steps have: on recorded
 * lessons, the folders in tests/runs, or every run folder under $DOORWAY_SCENE_RUNS
 * (t-tui-scene records every lesson and passes them). For every step:
 * the scene is the same however the cursor got there; a packet is drawn only
 * between its departure and its arrival; a recv that took a message shows
 * it; no message and its own packet stand at one door together; every
 * frame of the way from the step before (and back from the step after)
 * holds only envelopes of those two scenes and ends on the step's own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario.h"
#include "trace.h"
#include "ui-model.h"
#include "ui-scene.h"

static const char *runs_dir(void)
{
	const char *d = getenv("DOORWAY_SCENE_RUNS");
	return d && d[0] ? d : "runs";
}

static const struct ui_env *find(const struct ui_scene *s, uint64_t key)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].key == key)
			return &s->v[i];
	return NULL;
}

/* The visible envelopes of two scenes are the same, in the same places. */
static void same_visible(const struct ui_scene *a, const struct ui_scene *b, const char *what, long c)
{
	for (int i = 0; i < a->n; i++) {
		const struct ui_env *x = &a->v[i], *y = find(b, x->key);
		if (!x->visible)
			continue;
		if (!y || !y->visible || y->pos != x->pos || y->count != x->count || strcmp(x->label, y->label)) {
			fprintf(stderr, "%s at event %ld: envelope %s (key %llx, pos %.2f) differs\n", what, c, x->label,
				(unsigned long long)x->key, x->pos);
			fail();
		}
	}
	for (int i = 0; i < b->n; i++) {
		const struct ui_env *y = &b->v[i], *x = find(a, y->key);
		if (y->visible && (!x || !x->visible)) {
			fprintf(stderr, "%s at event %ld: envelope %s (key %llx) only in one\n", what, c, y->label,
				(unsigned long long)y->key);
			fail();
		}
	}
}

/* A frame between scenes a and b shows only their envelopes, and never a
 * message beside one of its own packets at the same place. */
static void check_frame(const struct ui_scene *f, const struct ui_scene *a, const struct ui_scene *b, double p,
			long c)
{
	for (int i = 0; i < f->n; i++) {
		const struct ui_env *e = &f->v[i];
		if (!e->visible)
			continue;
		const struct ui_env *ea = find(a, e->key), *eb = find(b, e->key);
		if (!(ea && ea->visible) && !(eb && eb->visible)) {
			fprintf(stderr, "frame %.2f to event %ld: %s is in neither step's scene\n", p, c, e->label);
			fail();
		}
		if (!e->is_msg || e->msg < 0)
			continue;
		for (int j = 0; j < f->n; j++) {
			const struct ui_env *k = &f->v[j];
			if (k->visible && !k->is_msg && k->msg == e->msg && k->pos > 2.5 && e->pos > 2.5 &&
			    k->to == e->to && (k->pos - e->pos) * (k->pos - e->pos) < 0.25) {
				fprintf(stderr, "frame %.2f to event %ld: message %s and its packet %s both at the door\n", p,
					c, e->label, k->label);
				fail();
			}
		}
	}
}

static void check_run(const char *dir)
{
	char err[512] = "";
	struct trace *t = trace_open(dir, err);
	if (!t) {
		fprintf(stderr, "%s: %s\n", dir, err);
		fail();
	}
	struct ui_model m;
	ui_model_init(&m, t, NULL);
	size_t ns = m.nsteps;
	assert_true(ns > 0);
	struct ui_scene *sc = calloc(ns + 1, sizeof *sc); /* sc[k]: at step k (0: before the first) */
	assert_non_null(sc);
	/* forward, as a class steps */
	for (size_t k = 0; k <= ns; k++)
		ui_scene_build(&m, k ? (long)m.steps[k - 1] : -1, &sc[k]);
	struct ui_scene again = { 0 }, f = { 0 };
	/* backward and out of order: the same scenes */
	for (size_t k = ns + 1; k-- > 0;) {
		long c = k ? (long)m.steps[k - 1] : -1;
		ui_scene_build(&m, c, &again);
		same_visible(&sc[k], &again, "built backwards", c);
		size_t j = (k * 7919) % (ns + 1);
		ui_scene_build(&m, j ? (long)m.steps[j - 1] : -1, &again);
		ui_scene_build(&m, c, &again);
		same_visible(&sc[k], &again, "built after a jump", c);
	}
	for (size_t k = 1; k <= ns; k++) {
		long c = (long)m.steps[k - 1];
		const struct ui_scene *s = &sc[k];
		/* packets only between their departure and their arrival */
		for (int i = 0; i < s->n; i++) {
			const struct ui_env *e = &s->v[i];
			if (!e->visible || e->is_msg)
				continue;
			long dep = (long)(e->key & ((1ull << 40) - 1));
			long arr = ui_model_pair(&m, dep);
			const struct tr_event *de = trace_event(t, (size_t)dep);
			if (de->dir == TR_DIR_ARRIVE) { /* an arrival without its departure */
				assert_int_equal(c, dep);
				continue;
			}
			if (c < dep || (arr >= 0 && c > arr) || (arr < 0 && c != dep)) {
				fprintf(stderr, "%s: step %zu (event %ld) shows packet %s of event %ld (arrives %ld)\n", dir, k,
					c, e->label, dep, arr);
				fail();
			}
		}
		/* a recv that took a message shows it going in */
		const struct tr_event *ce = trace_event(t, (size_t)c);
		const struct tr_call *call = trace_call(t, ce);
		if (ce->kind == TR_CALL && call && ce->msg >= 0 && call->m.result > 0 &&
		    (call->op == SC_RECV || call->op == SC_RECVFROM) && trace_msg(t, ce->msg)->last_recv == c) {
			bool shown = false;
			for (int i = 0; i < s->n; i++)
				shown = shown || (s->v[i].is_msg && s->v[i].visible && s->v[i].pos == UI_AT_INSIDE_TO);
			if (!shown) {
				fprintf(stderr, "%s: step %zu, a recv that took a message, shows no envelope\n", dir, k);
				fail();
			}
			/* and so does every frame of a step back into it */
			for (int q = 0; k < ns && q <= 8; q++) {
				ui_scene_mix(&sc[k + 1], s, q / 8.0, &f);
				bool any = false;
				for (int i = 0; i < f.n; i++)
					any = any || (f.v[i].is_msg && f.v[i].visible);
				if (!any) {
					fprintf(stderr, "%s: a step back into step %zu (a recv that took a message) shows no "
						"envelope at %.2f of the way\n", dir, k, q / 8.0);
					fail();
				}
			}
		}
		/* the animation forward from the step before, and back from the step after */
		for (int dirn = 0; dirn < 2; dirn++) {
			const struct ui_scene *a = dirn == 0 ? &sc[k - 1] : k < ns ? &sc[k + 1] : NULL;
			if (!a)
				continue;
			for (int q = 0; q <= 8; q++) {
				double p = q / 8.0;
				ui_scene_mix(a, s, p, &f);
				check_frame(&f, a, s, p, c);
				if (q == 8)
					same_visible(&f, s, "the animation's end", c);
			}
		}
	}
	for (size_t k = 0; k <= ns; k++)
		ui_scene_free(&sc[k]);
	free(sc);
	ui_scene_free(&again);
	ui_scene_free(&f);
	ui_model_free(&m);
	trace_free(t);
}

static void test_every_run(void **state)
{
	(void)state;
	const char *root = runs_dir();
	DIR *d = opendir(root);
	assert_non_null(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", root, de->d_name);
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		fprintf(stderr, "  %s\n", de->d_name);
		check_run(path);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
