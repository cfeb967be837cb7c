/* doorway — command line, then a headless run or the TUI. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ev.h"
#include "lab.h"
#include "outbuf.h"
#include "report.h"
#include "run.h"
#include "confine.h"
#include "scenario.h"
#include "session.h"
#include "trace.h"
#include "ui.h"
#include "util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define MAIN_WIDTH_MAX 100000

static const char usage_text[] =
	"usage: doorway                         pick a lesson (TUI)\n"
	"       doorway [options] FILE.lab      run a lesson in the TUI (headless: --text, --json, --calls)\n"
	"       doorway --check FILE.lab...     check scenario files, run nothing\n"
	"       doorway --list                  list the installed lessons\n"
	"       doorway open RUN_DIR|FILE.pcap  replay a recorded run, or open any capture\n"
	"\n"
	"options:\n"
	"  --text           print the run as an ASCII ladder: one column per door, one row\n"
	"                   per call or packet (when it has ended)\n"
	"  --json           print the trace as JSON: doors, events, messages (see README)\n"
	"  --width COLS     --text: fit the ladder's door columns in COLS characters\n"
	"                   (default: the terminal's width, 200 when not a terminal);\n"
	"                   the busiest doors get a column, the others share one\n"
	"  --calls          stream one line per socket call as it happens (with --json:\n"
	"                   one JSON object per call, wait, output and exit)\n"
	"  --record DIR     write the run folder to DIR (default: under\n"
	"                   $XDG_STATE_HOME/doorway/runs/)\n"
	"  --no-record      do not write a run folder\n"
	"  -v, --verbose    say where the run was recorded and what was captured;\n"
	"                   with --check: what a lab program can and cannot reach\n"
	"  --ascii          TUI: ASCII line drawing (automatic when the locale is not UTF-8)\n"
	"  --no-color       TUI: no colours (also when NO_COLOR is set)\n"
	"  --gated          release one socket call at a time, earliest-declared process\n"
	"                   first, each when the previous one finished or blocks (default)\n"
	"  --free           let every process run its steps at once\n"
	"  --switch         join the hosts with doorway's own switch instead of the\n"
	"                   kernel's bridge (as 'network switch' in the scenario)\n"
	"  --timeout SEC    give up after SEC seconds (default 20), report who waits\n"
	"  --check          check the files' syntax and meaning only\n"
	"  --list           list installed lessons (title and about)\n"
	"  -h, --help       show this help\n"
	"  --version        show the version\n"
	"\n"
	"exit status: 0 the scenario ran to its end, 1 a process failed or timed out,\n"
	"             2 usage or scenario errors (nothing was started)\n";

struct opts {
	bool text, json, calls, gated, check, list, no_record, verbose, ascii, no_color, switch_mode;
	const char *record_dir;
	int timeout_s;
	int width; /* --width, 0: the terminal's, or TRACE_LADDER_WIDTH */
};

/* The live session, for the fatal-error path. */
static struct session *main_session;

static void main_teardown(void)
{
	if (main_session)
		session_abort(main_session);
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

/* An error message on stderr, as one line: the file names and words in it
 * may come from a stranger's file. */
static void main_error(const char *msg)
{
	char *m = util_printable(msg);
	fprintf(stderr, "doorway: %s\n", m);
	free(m);
}

/* The end of a command that printed on stdout with stdio: a write error
 * (a full disk, /dev/full, a closed pipe) is found by the final flush and
 * close, and fails the command with one line. */
static int main_stdout_done(int status)
{
	errno = 0;
	bool bad = ferror(stdout) != 0;
	if (fclose(stdout) != 0 || bad) {
		if (errno == EPIPE)
			return status ? status : EXIT_FAILED; /* the reader has gone: nobody to tell */
		fprintf(stderr, "doorway: standard output: %s\n", errno ? strerror(errno) : "write error");
		return status ? status : EXIT_FAILED;
	}
	return status;
}

/* Read a scenario file once and parse it; on errors print every diagnostic
 * (with the source lines) and return NULL. */
static struct scenario *main_load(const char *path)
{
	struct sc_diags d = { 0 };
	size_t len = 0;
	char *text = scenario_read_file(path, &len, &d);
	struct scenario *sc = text ? scenario_parse(path, text, len, &d) : NULL;
	if (!sc)
		scenario_print_diags(stderr, path, text, len, &d);
	free(text);
	return sc;
}

static void main_print_line(const char *text, void *arg)
{
	fprintf(arg, "%s\n", text);
}

static int main_check(int argc, char **argv, bool verbose)
{
	int bad = 0;
	for (int i = 0; i < argc; i++) {
		struct scenario *sc = main_load(argv[i]);
		if (!sc) {
			bad = 1;
			continue;
		}
		char *name = util_printable(argv[i]); /* names from a glob are a stranger's too */
		printf("%s: ok (%d hosts, %d processes)\n", name, sc->nhosts, sc->nprocs);
		free(name);
		if (verbose) /* what its programs can and cannot reach */
			confine_describe(sc, main_print_line, stdout);
		scenario_free(sc);
	}
	return bad ? EXIT_USAGE : 0;
}

/* Where installed lessons live: $DOORWAY_SCENARIOS, next to the binary, one
 * folder up from it (a binary in a source tree's build folder, build/doorway,
 * finds the tree's lessons), then the install prefix. */
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
			slash = strrchr(exe, '/');
			if (slash && n < max) {
				*slash = '\0';
				snprintf(dirs[n++], PATH_MAX, "%.*s/scenarios", PATH_MAX - 16, exe);
			}
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
	char dirs[4][PATH_MAX];
	int nd = main_lesson_dirs(dirs, 4);
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
			if (sc) {
				char *title = util_printable(sc->title), *about = util_printable(sc->about ? sc->about : "");
				printf("  %-16s %s — %s\n", names[k], title, about);
				free(title);
				free(about);
			}
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
	struct session *s;
	struct outbuf *out;     /* stdout, written from the loop */
	struct report *rep;     /* --calls: streaming */
	const struct opts *o;
	bool timed_out;
	bool out_failed;        /* stdout failed: said on stderr, the lab stopped */
	int signo;
	struct buf notes;       /* notes sent to stdout: said on stderr if it is not read */
};

static void headless_note(struct headless *h, const char *text)
{
	if (h->rep && outbuf_state(h->out) == OUTBUF_OK) {
		report_note(h->rep, text);
		buf_printf(&h->notes, "doorway: %s\n", text);
	} else {
		fprintf(stderr, "doorway: %s\n", text);
	}
}

static int64_t headless_abort_later(struct ev *ev, long long id, void *arg)
{
	struct headless *h = arg;
	session_abort(h->s);
	return EV_NOMORE;
}

static void headless_observe(const struct run_event *e, void *arg)
{
	struct headless *h = arg;
	if (h->rep)
		report_event(e, h->rep);
}

/* stdout failed (a write error, the reader gone, or abandoned while
 * nobody read it): said once, and the lab stopped from the loop (this may
 * run inside the run's own callback) */
static void headless_out_failed(void *arg)
{
	struct headless *h = arg;
	if (h->out_failed)
		return;
	h->out_failed = true;
	if (outbuf_state(h->out) == OUTBUF_ERROR)
		fprintf(stderr, "doorway: %s%s\n", outbuf_error(h->out),
			h->s && session_over(h->s) ? "" : "; stopping the lab");
	if (!h->s || !session_over(h->s))
		ev_add_timer(h->ev, 0, headless_abort_later, h);
}

static void headless_session(struct session *s, enum session_what what, void *arg)
{
	struct headless *h = arg;
	if (what == SESSION_END)
		ev_stop(h->ev);
}

static void headless_stuck_line(const char *text, void *arg)
{
	headless_note(arg, text);
}

static int64_t headless_timeout(struct ev *ev, long long id, void *arg)
{
	struct headless *h = arg;
	h->timed_out = true;
	headless_note(h, "timeout: the scenario did not end in time");
	run_describe_stuck(session_run(h->s), headless_stuck_line, h);
	session_abort(h->s);
	return EV_NOMORE;
}

static void headless_signal(struct ev *ev, int signo, void *arg)
{
	struct headless *h = arg;
	h->signo = signo;
	char t[64];
	snprintf(t, sizeof t, "interrupted by %s: stopping the lab", strsignal(signo));
	headless_note(h, t);
	session_abort(h->s);
}

/* --width, else the terminal's width when stdout is one ($COLUMNS if it
 * cannot be asked), else TRACE_LADDER_WIDTH. */
static int main_ladder_width(const struct opts *o)
{
	if (o->width)
		return o->width;
	if (!isatty(STDOUT_FILENO))
		return TRACE_LADDER_WIDTH;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	long v = c ? strtol(c, NULL, 10) : 0;
	return v > 0 && v <= MAIN_WIDTH_MAX ? (int)v : TRACE_LADDER_WIDTH;
}

static void main_print_trace(struct trace *t, const struct opts *o, FILE *out)
{
	if (o->calls)
		return; /* already streamed */
	if (o->json)
		trace_print_json(t, out);
	else if (!o->calls)
		trace_print_ladder(t, out, main_ladder_width(o));
	fflush(out);
}

static int main_headless(struct scenario *sc, const char *path, const struct opts *o)
{
	struct headless h = { .o = o };
	h.ev = ev_new();
	ev_add_signal(h.ev, SIGINT, headless_signal, &h);
	ev_add_signal(h.ev, SIGTERM, headless_signal, &h);
	ev_add_signal(h.ev, SIGHUP, headless_signal, &h);
	/* a reader that went away (| head) shows as a write error, checked
	 * after each write: the run is stopped once, not signalled forever */
	signal(SIGPIPE, SIG_IGN);
	h.out = outbuf_new(STDOUT_FILENO, h.ev, headless_out_failed, &h);
	/* waiting for a reader that stalls ends with the timeout */
	outbuf_set_deadline(h.out, util_now_mono_ns() + (uint64_t)o->timeout_s * 1000000000ull);
	if (o->calls)
		h.rep = report_new(outbuf_file(h.out), sc, o->json ? REPORT_JSON : REPORT_TEXT);
	struct session_opts so = { .gated = o->gated, .auto_step = true, .child_setup = main_child_setup,
				   .record = !o->no_record, .record_dir = o->record_dir,
				   .observe = headless_observe, .observe_arg = &h };
	char err[UTIL_ERRLEN] = "";
	h.s = session_start(sc, path, h.ev, &so, headless_session, &h, err);
	if (!h.s) {
		main_error(err);
		report_free(h.rep);
		outbuf_free(h.out);
		ev_free(h.ev);
		return EXIT_FAILED;
	}
	main_session = h.s;
	if (session_record_warning(h.s)[0])
		fprintf(stderr, "doorway: %s\n", session_record_warning(h.s));
	long long timeout = ev_add_timer(h.ev, (int64_t)o->timeout_s * 1000, headless_timeout, &h);
	if (ev_run(h.ev) < 0)
		fatal("poll");
	ev_del_timer(h.ev, timeout);
	main_session = NULL;
	/* a run that was stopped ends now, read or not; one that came to its
	 * end waits for its reader as long as it takes (signals still act) */
	bool stopped = h.timed_out || h.signo || h.out_failed;
	outbuf_set_deadline(h.out, stopped ? util_now_mono_ns() : 0);
	main_print_trace(session_trace(h.s), o, outbuf_file(h.out));
	if (outbuf_drain(h.out) < 0) {
		if (outbuf_state(h.out) == OUTBUF_INTERRUPTED)
			ev_once(h.ev, 0); /* the signal that ended the wait: headless_signal */
		if (outbuf_state(h.out) != OUTBUF_ERROR) {
			if (h.notes.len)
				fputs(h.notes.p, stderr); /* they may not have reached anyone */
			fprintf(stderr, "doorway: %s\n", outbuf_error(h.out));
		}
	}
	char cap[160];
	bool dropped = false;
	session_capture_summary(h.s, cap, sizeof cap, &dropped);
	if (dropped || o->verbose)
		fprintf(stderr, "doorway: %s\n", cap);
	if (session_record_dir(h.s)[0] && o->verbose)
		fprintf(stderr, "doorway: recorded in %s\n", session_record_dir(h.s));
	int status = session_status(h.s) || h.timed_out || outbuf_state(h.out) != OUTBUF_OK ? EXIT_FAILED : 0;
	if (outbuf_state(h.out) == OUTBUF_ERROR && outbuf_errno(h.out) == EPIPE)
		status = 128 + SIGPIPE; /* as if SIGPIPE had ended us, the lab stopped first */
	if (h.signo)
		status = 128 + h.signo;
	session_free(h.s);
	report_free(h.rep);
	outbuf_free(h.out);
	buf_free(&h.notes);
	ev_free(h.ev);
	return status;
}

static int main_open(const char *path, const struct opts *o)
{
	char err[UTIL_ERRLEN] = "";
	struct trace *t = trace_open(path, err);
	if (!t) {
		main_error(err);
		return EXIT_USAGE;
	}
	if (trace_warning(t)[0]) {
		char *m;
		xasprintf(&m, "%s: %s", path, trace_warning(t));
		main_error(m);
		free(m);
	}
	/* no loop here: signals act by themselves while a reader stalls */
	struct outbuf *out = outbuf_new(STDOUT_FILENO, NULL, NULL, NULL);
	main_print_trace(t, o, outbuf_file(out));
	int status = 0;
	if (outbuf_drain(out) < 0) {
		if (outbuf_errno(out) != EPIPE)
			fprintf(stderr, "doorway: %s\n", outbuf_error(out));
		status = EXIT_FAILED;
	}
	outbuf_free(out);
	trace_free(t);
	return status;
}

static int main_tui(const char *path, const struct opts *o)
{
	char dirs[4][PATH_MAX];
	int nd = main_lesson_dirs(dirs, 4);
	const char *dirp[4];
	for (int i = 0; i < nd; i++)
		dirp[i] = dirs[i];
	const char *nc = getenv("NO_COLOR");
	struct ui_opts uo = { .path = path, .ascii = o->ascii, .no_color = o->no_color || (nc && nc[0]),
			      .gated = o->gated, .no_record = o->no_record, .record_dir = o->record_dir,
			      .child_setup = main_child_setup, .lesson_dirs = dirp, .nlesson_dirs = nd,
			      .switch_mode = o->switch_mode };
	return ui_main(&uo);
}

int main(int argc, char **argv)
{
	/* before anything opens a file: a closed stdout must not become the
	 * capture's descriptor */
	if (util_std_fds() < 0)
		return EXIT_FAILED; /* nowhere to say it */
	struct opts o = { .gated = true, .timeout_s = 20 };
	enum { OPT_TEXT = 256, OPT_JSON, OPT_CALLS, OPT_GATED, OPT_FREE, OPT_CHECK, OPT_LIST, OPT_VERSION,
	       OPT_TIMEOUT, OPT_RECORD, OPT_NO_RECORD, OPT_ASCII, OPT_NO_COLOR, OPT_SWITCH, OPT_WIDTH };
	static const struct option longopts[] = {
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "calls", no_argument, NULL, OPT_CALLS },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "no-record", no_argument, NULL, OPT_NO_RECORD },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "gated", no_argument, NULL, OPT_GATED },
		{ "free", no_argument, NULL, OPT_FREE },
		{ "switch", no_argument, NULL, OPT_SWITCH },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	util_set_teardown(main_teardown);
	int c;
	while ((c = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TEXT: o.text = true; break;
		case OPT_JSON: o.json = true; break;
		case OPT_CALLS: o.calls = true; break;
		case OPT_RECORD: o.record_dir = optarg; break;
		case OPT_NO_RECORD: o.no_record = true; break;
		case OPT_ASCII: o.ascii = true; break;
		case OPT_NO_COLOR: o.no_color = true; break;
		case 'v': o.verbose = true; break;
		case OPT_GATED: o.gated = true; break;
		case OPT_FREE: o.gated = false; break;
		case OPT_SWITCH: o.switch_mode = true; break;
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
		case OPT_WIDTH: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 40 || v > MAIN_WIDTH_MAX) {
				fprintf(stderr, "doorway: --width takes a number of columns from 40 to %d, not '%s'\n",
					MAIN_WIDTH_MAX, optarg);
				return EXIT_USAGE;
			}
			o.width = (int)v;
			break;
		}
		case 'h': fputs(usage_text, stdout); return main_stdout_done(0);
		case OPT_VERSION: printf("doorway %s\n", DOORWAY_VERSION); return main_stdout_done(0);
		default:
			fputs("doorway: try 'doorway --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (o.text + o.json > 1 || (o.calls && o.text)) {
		fputs("doorway: choose one of --text and --json (--calls may go with --json)\n", stderr);
		return EXIT_USAGE;
	}
	if (o.list)
		return main_stdout_done(main_list());
	if (o.check) {
		if (optind >= argc) {
			fputs("doorway: --check needs at least one FILE.lab\n", stderr);
			return EXIT_USAGE;
		}
		return main_stdout_done(main_check(argc - optind, argv + optind, o.verbose));
	}
	if (optind < argc && !strcmp(argv[optind], "open")) {
		if (argc - optind != 2) {
			fputs("doorway: open takes one RUN_DIR or FILE.pcap/.pcapng\n", stderr);
			return EXIT_USAGE;
		}
		if (o.text || o.json)
			return main_open(argv[optind + 1], &o);
		return main_tui(argv[optind + 1], &o);
	}
	if (optind >= argc) {
		if (o.text || o.json || o.calls) {
			fputs("doorway: which lesson? give a FILE.lab (doorway --list shows the installed ones)\n", stderr);
			return EXIT_USAGE;
		}
		return main_tui(NULL, &o); /* the lesson picker */
	}
	if (argc - optind > 1) {
		fprintf(stderr, "doorway: one scenario at a time (got %d files)\n", argc - optind);
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	struct scenario *sc = main_load(path);
	if (!sc)
		return EXIT_USAGE;
	int status;
	if (o.switch_mode)
		sc->switch_mode = true; /* doorway's switch instead of the kernel's bridge */
	if (o.text || o.json || o.calls)
		status = main_headless(sc, path, &o);
	else {
		scenario_free(sc);
		sc = NULL;
		status = main_tui(path, &o);
	}
	scenario_free(sc);
	return status;
}
