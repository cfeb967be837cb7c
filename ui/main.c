/* doorway — command line, then a headless run or the TUI. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "ev.h"
#include "lab.h"
#include "report.h"
#include "run.h"
#include "scenario.h"
#include "util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: doorway [options] FILE.lab      run a lesson (headless: --text or --json)\n"
	"       doorway --check FILE.lab...     check scenario files, run nothing\n"
	"       doorway --list                  list the installed lessons\n"
	"\n"
	"options:\n"
	"  --text           print one line per socket call, program output and exit\n"
	"  --json           print one JSON object per event (fields: see README)\n"
	"  --gated          release one socket call at a time, earliest-declared process\n"
	"                   first, each when the previous one finished or blocks (default)\n"
	"  --free           let every process run its steps at once\n"
	"  --timeout SEC    give up after SEC seconds (default 20), report who waits\n"
	"  --check          check the files' syntax and meaning only\n"
	"  --list           list installed lessons (title and about)\n"
	"  -h, --help       show this help\n"
	"  --version        show the version\n"
	"\n"
	"exit status: 0 the scenario ran to its end, 1 a process failed or timed out,\n"
	"             2 usage or scenario errors (nothing was started)\n";

struct opts {
	bool text, json, gated, check, list;
	int timeout_s;
};

/* The live run, for the fatal-error and signal paths. */
static struct run *main_run;

static void main_teardown(void)
{
	if (main_run)
		run_abort(main_run);
}

static void main_child_setup(void)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
}

/* Read a scenario file once and parse it; on errors print every diagnostic
 * (with the source lines) and return NULL. */
static struct scenario *main_load(const char *path)
{
	struct sc_diags d = { 0 };
	struct scenario *sc = scenario_load(path, &d);
	if (sc)
		return sc;
	/* scenario_load could not parse it: show the lines the errors point at */
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	if (f) {
		text = xmalloc(SC_MAX_FILE);
		len = fread(text, 1, SC_MAX_FILE, f);
		fclose(f);
	}
	scenario_print_diags(stderr, path, text, len, &d);
	free(text);
	return NULL;
}

static int main_check(int argc, char **argv)
{
	int bad = 0;
	for (int i = 0; i < argc; i++) {
		struct scenario *sc = main_load(argv[i]);
		if (!sc) {
			bad = 1;
			continue;
		}
		printf("%s: ok (%d hosts, %d processes)\n", argv[i], sc->nhosts, sc->nprocs);
		scenario_free(sc);
	}
	return bad ? EXIT_USAGE : 0;
}

/* Where installed lessons live: $DOORWAY_SCENARIOS, next to the binary, then
 * the install prefix. */
static int main_lesson_dirs(char dirs[][PATH_MAX], int max)
{
	int n = 0;
	const char *env = getenv("DOORWAY_SCENARIOS");
	if (env && *env && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	char exe[PATH_MAX];
	ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (l > 0 && n < max) {
		exe[l] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dirs[n++], PATH_MAX, "%.*s/scenarios", PATH_MAX - 16, exe);
		}
	}
	if (n < max)
		snprintf(dirs[n++], PATH_MAX, "%s/scenarios", DOORWAY_DATADIR);
	return n;
}

static int main_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int main_list(void)
{
	char dirs[3][PATH_MAX];
	int nd = main_lesson_dirs(dirs, 3);
	for (int i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d)
			continue;
		char **names = NULL;
		size_t n = 0;
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);
			if (len > 4 && !strcmp(de->d_name + len - 4, ".lab")) {
				names = xreallocarray(names, n + 1, sizeof *names);
				names[n++] = xstrdup(de->d_name);
			}
		}
		closedir(d);
		qsort(names, n, sizeof *names, main_cmp_str);
		printf("lessons in %s:\n", dirs[i]);
		for (size_t k = 0; k < n; k++) {
			char *path;
			xasprintf(&path, "%s/%s", dirs[i], names[k]);
			struct sc_diags diags = { 0 };
			struct scenario *sc = scenario_load(path, &diags);
			names[k][strlen(names[k]) - 4] = '\0';
			if (sc)
				printf("  %-16s %s — %s\n", names[k], sc->title, sc->about ? sc->about : "");
			else
				printf("  %-16s (has errors: doorway --check %s)\n", names[k], path);
			scenario_free(sc);
			free(path);
			free(names[k]);
		}
		free(names);
		return 0;
	}
	fprintf(stderr, "doorway: no lessons found (looked in");
	for (int i = 0; i < nd; i++)
		fprintf(stderr, " %s", dirs[i]);
	fprintf(stderr, ")\n");
	return EXIT_FAILED;
}

struct headless {
	struct ev *ev;
	struct run *run;
	struct report *rep;
	bool timed_out;
	int signo;
};

static void headless_event(const struct run_event *e, void *arg)
{
	struct headless *h = arg;
	report_event(e, h->rep);
	if (e->kind == RUN_EV_END)
		ev_stop(h->ev);
}

static void headless_stuck_line(const char *text, void *arg)
{
	struct headless *h = arg;
	report_note(h->rep, text);
}

static int64_t headless_timeout(struct ev *ev, long long id, void *arg)
{
	struct headless *h = arg;
	h->timed_out = true;
	report_note(h->rep, "timeout: the scenario did not end in time");
	run_describe_stuck(h->run, headless_stuck_line, h);
	run_abort(h->run);
	return EV_NOMORE;
}

static void headless_signal(struct ev *ev, int signo, void *arg)
{
	struct headless *h = arg;
	h->signo = signo;
	char t[64];
	snprintf(t, sizeof t, "interrupted by %s: stopping the lab", strsignal(signo));
	report_note(h->rep, t);
	run_abort(h->run);
}

static int main_headless(struct scenario *sc, const struct opts *o)
{
	struct headless h = { 0 };
	h.ev = ev_new();
	ev_add_signal(h.ev, SIGINT, headless_signal, &h);
	ev_add_signal(h.ev, SIGTERM, headless_signal, &h);
	ev_add_signal(h.ev, SIGHUP, headless_signal, &h);
	ev_add_signal(h.ev, SIGPIPE, headless_signal, &h);
	h.rep = report_new(stdout, sc, o->json ? REPORT_JSON : REPORT_TEXT);
	struct run_opts ro = { .gated = o->gated, .auto_step = true, .child_setup = main_child_setup };
	char err[UTIL_ERRLEN] = "";
	h.run = run_start(sc, h.ev, &ro, headless_event, &h, err);
	if (!h.run) {
		fprintf(stderr, "doorway: %s\n", err);
		report_free(h.rep);
		ev_free(h.ev);
		return EXIT_FAILED;
	}
	main_run = h.run;
	ev_add_timer(h.ev, (int64_t)o->timeout_s * 1000, headless_timeout, &h);
	if (ev_run(h.ev) < 0)
		fatal("poll");
	int status = run_status(h.run) || h.timed_out ? EXIT_FAILED : 0;
	if (h.signo)
		status = 128 + h.signo;
	main_run = NULL;
	run_free(h.run);
	report_free(h.rep);
	ev_free(h.ev);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o = { .gated = true, .timeout_s = 20 };
	enum { OPT_TEXT = 256, OPT_JSON, OPT_GATED, OPT_FREE, OPT_CHECK, OPT_LIST, OPT_VERSION, OPT_TIMEOUT };
	static const struct option longopts[] = {
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "gated", no_argument, NULL, OPT_GATED },
		{ "free", no_argument, NULL, OPT_FREE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	util_set_teardown(main_teardown);
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TEXT: o.text = true; break;
		case OPT_JSON: o.json = true; break;
		case OPT_GATED: o.gated = true; break;
		case OPT_FREE: o.gated = false; break;
		case OPT_CHECK: o.check = true; break;
		case OPT_LIST: o.list = true; break;
		case OPT_TIMEOUT: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 86400) {
				fprintf(stderr, "doorway: --timeout takes whole seconds from 1 to 86400, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o.timeout_s = (int)v;
			break;
		}
		case 'h': fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf("doorway %s\n", DOORWAY_VERSION); return 0;
		default:
			fputs("doorway: try 'doorway --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (o.text && o.json) {
		fputs("doorway: choose one of --text and --json\n", stderr);
		return EXIT_USAGE;
	}
	if (o.list)
		return main_list();
	if (o.check) {
		if (optind >= argc) {
			fputs("doorway: --check needs at least one FILE.lab\n", stderr);
			return EXIT_USAGE;
		}
		return main_check(argc - optind, argv + optind);
	}
	if (optind >= argc) {
		fputs("doorway: which lesson? give a FILE.lab (doorway --list shows the installed ones)\n", stderr);
		return EXIT_USAGE;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "doorway: one scenario at a time (got %d files)\n", argc - optind);
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	struct scenario *sc = main_load(path);
	if (!sc)
		return EXIT_USAGE;
	/* Until the TUI lands, a run without --json prints the text report. */
	int status = main_headless(sc, &o);
	scenario_free(sc);
	return status;
}
