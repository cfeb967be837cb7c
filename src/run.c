#include "run.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "confine.h"
#include "diag.h"
#include "ev.h"
#include "lab.h"
#include "sctrace.h"
#include "util.h"

#define RUN_OUT_LINE_MAX 1024   /* longer lines are cut */
#define RUN_OUT_LINES_MAX 2000  /* per process; then output is drained unseen */
#define RUN_OUT_ROUNDS 16       /* reads per wake-up: a flood cannot starve the loop */
#define RUN_OUT_DRAIN_ROUNDS 64 /* reads at a process's end: 256 KiB, more than a pipe holds */
#define RUN_STOP_GRACE_MS 1000  /* background programs: SIGTERM, then SIGKILL */
#define RUN_AWAIT_CHECK_MS 20   /* await: how often the kernel is asked about the door */

struct run_proc {
	enum run_pstate state;
	int step;           /* step reported ready / running */
	int waitfd;         /* copy of the socket a blocked call waits on */
	short waitev;
	pid_t pid;
	int status;
	uint64_t cpu_ns;    /* CPU time it used (from its exit report) */
	uint64_t maxrss;    /* its peak resident memory, bytes (idem) */
	bool failed;
	bool stopped_by_us;
	bool ctl_open, out_open;
	bool call_open;     /* released, and not reported back yet (done, waiting, exec) */
	struct buf line;    /* partial output line */
	int lines;
	bool muted;
	uint64_t out_ns;    /* when its last output line was reported */
};

struct run {
	const struct scenario *sc;
	struct ev *ev;
	struct run_opts o;
	run_event_fn *fn;
	void *arg;
	struct lab *lab;
	struct run_proc *p;
	int nprocs;
	bool over, ended, init_open, stopping;
	long long stop_timer;
	long long await_timer;
	struct sctrace *tr;     /* real programs' socket calls */
	long long prog_timer;   /* gated: look again while a program runs */
};

#define RUN_PROG_CHECK_MS 2 /* gated: how often a running program is looked at */

static void run_emit(struct run *r, enum run_ev_kind kind, int p, const struct ctl_msg *m,
		     const char *text, size_t len)
{
	struct run_event e = { .kind = kind, .proc = p, .step = m ? m->step : -1,
			       .pid = p >= 0 ? r->p[p].pid : 0, .msg = m, .text = text, .len = len };
	if (m && m->call && m->pid > 0)
		e.pid = m->pid; /* a traced program's call: the process that made it (fork) */
	e.t_ns = m && m->t_ns ? m->t_ns : util_now_real_ns();
	if (kind == RUN_EV_OUTPUT)
		r->p[p].out_ns = e.t_ns;
	if (kind == RUN_EV_EXIT) {
		e.status = r->p[p].status;
		e.failed = r->p[p].failed;
	}
	r->fn(&e, r->arg);
}

static void run_close_wait(struct run_proc *rp)
{
	if (rp->waitfd >= 0)
		close(rp->waitfd);
	rp->waitfd = -1;
}

struct run_await {
	int proto;
	uint16_t port;
};

static int run_await_check(void *arg)
{
	const struct run_await *a = arg;
	return diag_port_open(a->proto, a->port);
}

/* Is the door an await step waits for open on its host? */
static bool run_await_open(struct run *r, const struct sc_step *s)
{
	struct run_await a = { s->proto == SC_TCP ? IPPROTO_TCP : IPPROTO_UDP, s->ep.port };
	char err[UTIL_ERRLEN];
	return lab_in_netns(r->lab, s->ep.host, run_await_check, &a, err) == 1;
}

static void run_release(struct run *r, int p);

static int64_t run_on_await_timer(struct ev *ev, long long id, void *arg)
{
	struct run *r = arg;
	bool pending = false;
	for (int p = 0; p < r->nprocs; p++) {
		if (r->p[p].state != RUN_P_AWAITING)
			continue;
		const struct sc_step *s = &r->sc->procs[p].steps[r->p[p].step];
		if (run_await_open(r, s))
			run_release(r, p);
		else
			pending = true;
	}
	if (!pending)
		r->await_timer = 0;
	return pending ? RUN_AWAIT_CHECK_MS : EV_NOMORE;
}

static void run_release(struct run *r, int p)
{
	struct run_proc *rp = &r->p[p];
	const struct sc_step *as = rp->step >= 0 && rp->step < r->sc->procs[p].nsteps
		? &r->sc->procs[p].steps[rp->step] : NULL;
	if (as && as->op == SC_AWAIT && rp->state != RUN_P_AWAITING && !run_await_open(r, as)) {
		/* the door is not open yet: ask the kernel again shortly; the
		 * others go on meanwhile */
		rp->state = RUN_P_AWAITING;
		if (!r->await_timer)
			r->await_timer = ev_add_timer(r->ev, RUN_AWAIT_CHECK_MS, run_on_await_timer, r);
		return;
	}
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	m.type = CTL_GO;
	m.proc = (uint16_t)p;
	m.step = rp->step;
	const struct sc_proc *sp = &r->sc->procs[p];
	rp->state = rp->step >= 0 && rp->step < sp->nsteps && sp->steps[rp->step].op == SC_SLEEP
		? RUN_P_SLEEPING : RUN_P_RUNNING;
	if (r->o.gated && r->o.calls_running && rp->state == RUN_P_RUNNING)
		r->o.calls_running(r->o.on_lab_arg, true);
	rp->call_open = rp->state == RUN_P_RUNNING;
	if (ctl_send(r->lab->ctl[p], &m, -1) < 0) {
		rp->state = RUN_P_STOPPING; /* it died; its exit report follows */
		rp->call_open = false;
	}
}

static void run_tell_running(struct run *r)
{
	if (!r->o.gated || !r->o.calls_running)
		return;
	bool running = false;
	for (int p = 0; p < r->nprocs; p++)
		running |= r->p[p].state == RUN_P_RUNNING;
	r->o.calls_running(r->o.on_lab_arg, running);
}

static void run_check(struct run *r);

static int64_t run_on_prog_timer(struct ev *ev, long long id, void *arg)
{
	struct run *r = arg;
	r->prog_timer = 0;
	run_check(r);
	return EV_NOMORE;
}

bool run_settled(struct run *r)
{
	if (r->o.net_busy && r->o.net_busy(r->o.on_lab_arg))
		return false;
	for (int p = 0; p < r->nprocs; p++) {
		struct run_proc *rp = &r->p[p];
		switch (rp->state) {
		case RUN_P_STARTING:
		case RUN_P_RUNNING:
		case RUN_P_STOPPING: /* its steps are done; its exit is not reported yet */
			return false;
		case RUN_P_WAITING: {
			struct pollfd pf[2] = { { rp->waitfd, rp->waitev, 0 },
						{ r->lab->ctl[p], POLLIN, 0 } };
			if (poll(pf, 2, 0) > 0)
				return false;
			break;
		}
		case RUN_P_PROGRAM: {
			/* what a traced program printed is read before anything
			 * goes on, so its lines keep their place among its calls */
			struct pollfd op = { r->lab->out[p], POLLIN, 0 };
			bool printed = sctrace_traced(r->tr, p) && rp->out_open && poll(&op, 1, 0) > 0;
			if (printed || !sctrace_settled(r->tr, p)) {
				/* it runs on its own: look again soon */
				if (r->o.gated && r->o.auto_step && !r->prog_timer)
					r->prog_timer = ev_add_timer(r->ev, RUN_PROG_CHECK_MS, run_on_prog_timer, r);
				return false;
			}
			break;
		}
		default:
			break;
		}
	}
	return true;
}

bool run_busy(const struct run *r)
{
	for (int p = 0; p < r->nprocs; p++)
		if (r->p[p].call_open && r->p[p].state != RUN_P_EXITED)
			return true;
	return false;
}

int run_step(struct run *r)
{
	if (r->over || !run_settled(r))
		return 0;
	if (r->o.net_settled && r->o.net_settled(r->o.on_lab_arg))
		return 1;
	for (int p = 0; p < r->nprocs; p++) {
		if (r->p[p].state == RUN_P_READY) {
			run_release(r, p);
			return 1;
		}
		if (r->p[p].state == RUN_P_PROGRAM && sctrace_pending(r->tr, p))
			return sctrace_release(r->tr, p);
	}
	return 0;
}

static void run_stop_background(struct run *r);

static void run_check(struct run *r)
{
	if (r->over)
		return;
	run_tell_running(r);
	bool all = true, fg = true;
	for (int p = 0; p < r->nprocs; p++) {
		if (r->p[p].state != RUN_P_EXITED) {
			all = false;
			if (!r->sc->procs[p].background)
				fg = false;
		}
	}
	if (all && !r->init_open) {
		r->over = true;
		if (r->stop_timer)
			ev_del_timer(r->ev, r->stop_timer);
		r->stop_timer = 0;
		if (!r->ended) {
			r->ended = true;
			run_emit(r, RUN_EV_END, -1, NULL, NULL, 0);
		}
		return;
	}
	if (fg && !all && !r->stopping)
		run_stop_background(r);
	/* a released sleep leaves the lab settled: release on */
	if (r->o.gated && r->o.auto_step)
		while (run_step(r))
			;
}

void run_poke(struct run *r)
{
	run_check(r);
}

static int64_t run_on_stop_timer(struct ev *ev, long long id, void *arg)
{
	struct run *r = arg;
	r->stop_timer = 0;
	for (int p = 0; p < r->nprocs; p++)
		if (r->p[p].state != RUN_P_EXITED)
			lab_kill(r->lab, p, SIGKILL);
	return EV_NOMORE;
}

static void run_stop_background(struct run *r)
{
	r->stopping = true;
	for (int p = 0; p < r->nprocs; p++) {
		if (r->p[p].state != RUN_P_EXITED) {
			r->p[p].stopped_by_us = true;
			r->p[p].state = RUN_P_STOPPING;
			lab_kill(r->lab, p, SIGTERM);
		}
	}
	r->stop_timer = ev_add_timer(r->ev, RUN_STOP_GRACE_MS, run_on_stop_timer, r);
}

static void run_on_ctl(struct ev *ev, int fd, int events, void *arg);
static void run_on_out(struct ev *ev, int fd, int events, void *arg);
static void run_on_init(struct ev *ev, int fd, int events, void *arg);

static int run_proc_of_fd(struct run *r, int fd, bool out)
{
	for (int p = 0; p < r->nprocs; p++)
		if ((out ? r->lab->out[p] : r->lab->ctl[p]) == fd)
			return p;
	return -1;
}

static void run_handle_msg(struct run *r, int p, const struct ctl_msg *m, int fd)
{
	struct run_proc *rp = &r->p[p];
	switch (m->type) {
	case CTL_HELLO:
		rp->pid = m->pid;
		run_emit(r, RUN_EV_SPAWN, p, m, NULL, 0);
		break;
	case CTL_READY:
		rp->step = m->step;
		rp->state = RUN_P_READY;
		if (!r->o.gated)
			run_release(r, p);
		break;
	case CTL_WAITING:
		run_close_wait(rp);
		rp->waitfd = fd;
		fd = -1;
		rp->waitev = (short)m->status;
		rp->state = RUN_P_WAITING;
		rp->call_open = false;
		run_emit(r, RUN_EV_WAIT, p, m, NULL, 0);
		break;
	case CTL_WOKE:
		run_close_wait(rp);
		rp->state = RUN_P_RUNNING;
		break;
	case CTL_DONE:
		run_close_wait(rp);
		rp->state = RUN_P_RUNNING; /* until it says READY or ends */
		rp->call_open = false;
		run_emit(r, RUN_EV_CALL, p, m, NULL, 0);
		break;
	case CTL_EXEC:
		rp->state = RUN_P_PROGRAM;
		rp->call_open = false;
		if (fd >= 0 && (m->flags & CTL_F_TRACED)) {
			sctrace_add(r->tr, p, rp->pid, fd); /* the filter's listener */
			fd = -1;
		}
		run_emit(r, RUN_EV_EXEC, p, m, NULL, 0);
		break;
	default:
		break;
	}
	if (fd >= 0)
		close(fd);
}

static void run_on_ctl(struct ev *ev, int fd, int events, void *arg)
{
	struct run *r = arg;
	int p = run_proc_of_fd(r, fd, false);
	if (p < 0)
		return;
	for (;;) {
		struct ctl_msg m;
		int afd;
		int n = ctl_recv(fd, &m, &afd);
		if (n > 0) {
			run_handle_msg(r, p, &m, afd);
			continue;
		}
		if (afd >= 0)
			close(afd);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* EOF: the agent ended, or exec'd (then the program runs on) */
		ev_del_fd(ev, fd);
		r->p[p].ctl_open = false;
		if (r->p[p].state != RUN_P_PROGRAM && r->p[p].state != RUN_P_EXITED)
			r->p[p].state = RUN_P_STOPPING;
		break;
	}
	run_check(r);
}

static void run_out_line(struct run *r, int p)
{
	struct run_proc *rp = &r->p[p];
	if (rp->muted) {
		rp->line.len = 0;
		return;
	}
	if (++rp->lines > RUN_OUT_LINES_MAX) {
		rp->muted = true;
		const char *t = "(more output follows; doorway stops showing it)";
		run_emit(r, RUN_EV_OUTPUT, p, NULL, t, strlen(t));
		rp->line.len = 0;
		return;
	}
	run_emit(r, RUN_EV_OUTPUT, p, NULL, rp->line.p ? rp->line.p : "", rp->line.len);
	rp->line.len = 0;
}

/* Reads up to ROUNDS chunks of a process's output, each line an event. */
static void run_read_out(struct run *r, int p, int rounds)
{
	struct run_proc *rp = &r->p[p];
	int fd = r->lab->out[p];
	char chunk[4096];
	while (rp->out_open && rounds-- > 0) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			if (rp->line.len)
				run_out_line(r, p);
			ev_del_fd(r->ev, fd);
			rp->out_open = false;
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				run_out_line(r, p);
			} else if (rp->line.len < RUN_OUT_LINE_MAX) {
				buf_addc(&rp->line, chunk[i]);
			}
		}
	}
}

static void run_on_out(struct ev *ev, int fd, int events, void *arg)
{
	struct run *r = arg;
	int p = run_proc_of_fd(r, fd, true);
	if (p < 0)
		return;
	run_read_out(r, p, RUN_OUT_ROUNDS);
	run_check(r);
}

/* A process has ended: everything it wrote is in its pipe, and is reported
 * before its end, whichever of the two fds the loop looked at first. Its
 * last line is reported even without a newline (a child holding the pipe
 * may still add to it; that comes later, as output of its own). */
static void run_drain_out(struct run *r, int p)
{
	run_read_out(r, p, RUN_OUT_DRAIN_ROUNDS);
	if (r->p[p].line.len)
		run_out_line(r, p);
}

static void run_describe_exit(const struct run *r, int p, char *out, size_t outlen)
{
	const struct run_proc *rp = &r->p[p];
	int st = rp->status;
	if (WIFEXITED(st)) {
		int c = WEXITSTATUS(st);
		if (rp->stopped_by_us && c != 0)
			snprintf(out, outlen, "stopped by doorway (exit status %d)", c);
		else if (c == 0)
			snprintf(out, outlen, "exited normally");
		else if (c == AGENT_EXIT_EXEC && r->sc->procs[p].is_exec && !rp->ctl_open)
			snprintf(out, outlen, "exit status %d", c);
		else
			snprintf(out, outlen, "exit status %d", c);
	} else if (WIFSIGNALED(st) && !rp->stopped_by_us && confine_killed(r->sc, st, rp->cpu_ns, out, outlen)) {
		/* a limit of the lab's walls ended it */
	} else if (WIFSIGNALED(st)) {
		snprintf(out, outlen, "%s by signal %d (%s)",
			 rp->stopped_by_us ? "stopped by doorway" : "killed", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	} else {
		snprintf(out, outlen, "ended (status 0x%x)", st);
	}
	/* a failure of a program that filled its memory: most likely the limit */
	size_t l = strlen(out);
	if (!rp->stopped_by_us && l + 1 < outlen)
		confine_near_limit(r->sc, st, rp->maxrss, out + l, outlen - l);
}

static void run_on_init(struct ev *ev, int fd, int events, void *arg)
{
	struct run *r = arg;
	for (;;) {
		struct ctl_msg m;
		int afd;
		int n = ctl_recv(fd, &m, &afd);
		if (afd >= 0)
			close(afd);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			ev_del_fd(ev, fd);
			r->init_open = false;
			/* init closes its end only by exiting: reap it now rather than
			 * leave a zombie until the lab is destroyed */
			if (r->lab->init_pid > 0) {
				while (waitpid(r->lab->init_pid, NULL, 0) < 0 && errno == EINTR)
					;
				r->lab->init_pid = -1;
			}
			/* init is gone: whatever it did not report is gone too */
			for (int p = 0; p < r->nprocs; p++) {
				if (r->p[p].state != RUN_P_EXITED) {
					run_drain_out(r, p);
					r->p[p].state = RUN_P_EXITED;
					r->p[p].status = SIGKILL;
					r->p[p].failed = !r->p[p].stopped_by_us;
					run_close_wait(&r->p[p]);
					const char *t = "lost (the lab's init process ended)";
					run_emit(r, RUN_EV_EXIT, p, NULL, t, strlen(t));
				}
			}
			break;
		}
		if (m.type != CTL_EXITED || m.proc >= r->nprocs)
			continue;
		int p = m.proc;
		struct run_proc *rp = &r->p[p];
		/* read what the agent said and the process wrote last before
		 * calling it gone */
		if (rp->ctl_open)
			run_on_ctl(ev, r->lab->ctl[p], EV_READ, r);
		run_drain_out(r, p);
		rp->state = RUN_P_EXITED;
		rp->status = m.status;
		rp->cpu_ns = m.result > 0 ? (uint64_t)m.result : 0;
		rp->maxrss = m.err > 0 ? (uint64_t)m.err * 1024 : 0;
		run_close_wait(rp);
		sctrace_end(r->tr, p);
		if (rp->stopped_by_us)
			rp->failed = false;
		else
			rp->failed = !(WIFEXITED(m.status) && WEXITSTATUS(m.status) == 0);
		char how[128];
		run_describe_exit(r, p, how, sizeof how);
		m.step = -1;
		/* init's clock says when it reaped the process; its output is
		 * stamped when doorway read it, which may be later: the end is
		 * never put before output the process wrote */
		if (m.t_ns < rp->out_ns)
			m.t_ns = rp->out_ns;
		run_emit(r, RUN_EV_EXIT, p, &m, how, strlen(how));
	}
	run_check(r);
}

static void run_on_sctrace_report(void *arg, int p, const struct ctl_msg *m)
{
	struct run *r = arg;
	run_emit(r, m->type == CTL_WAITING ? RUN_EV_WAIT : RUN_EV_CALL, p, m, NULL, 0);
}

static void run_on_sctrace_before(void *arg, int p)
{
	run_read_out(arg, p, RUN_OUT_ROUNDS);
}

static void run_on_sctrace_changed(void *arg)
{
	run_check(arg);
}

struct run *run_start(const struct scenario *sc, struct ev *ev, const struct run_opts *o,
		      run_event_fn *fn, void *arg, char *err)
{
	struct run *r = xcalloc(1, sizeof *r);
	r->sc = sc;
	r->ev = ev;
	r->o = *o;
	r->fn = fn;
	r->arg = arg;
	r->nprocs = sc->nprocs;
	r->p = xcalloc((size_t)sc->nprocs, sizeof *r->p);
	for (int p = 0; p < r->nprocs; p++) {
		r->p[p].waitfd = -1;
		r->p[p].step = -1;
	}
	r->lab = lab_create(sc, err);
	if (!r->lab) {
		run_free(r);
		return NULL;
	}
	if (o->on_lab && o->on_lab(r->lab, o->on_lab_arg, err) != 0) {
		run_free(r);
		return NULL;
	}
	if (lab_spawn(r->lab, o->child_setup, o->run_dir, err) < 0) {
		run_free(r);
		return NULL;
	}
	r->init_open = true;
	static const struct sctrace_cbs cbs = { run_on_sctrace_report, run_on_sctrace_before,
						run_on_sctrace_changed };
	r->tr = sctrace_new(ev, sc, r->lab, o->gated, &cbs, r);
	for (int p = 0; p < r->nprocs; p++) {
		r->p[p].ctl_open = r->p[p].out_open = true;
		ev_add_fd(ev, r->lab->ctl[p], EV_READ, run_on_ctl, r);
		ev_add_fd(ev, r->lab->out[p], EV_READ, run_on_out, r);
	}
	/* last, so that in one pass of the loop what the processes said and
	 * wrote is read before the ends init reports */
	ev_add_fd(ev, r->lab->init_ctl, EV_READ, run_on_init, r);
	return r;
}

bool run_over(const struct run *r) { return r->over; }

int run_status(const struct run *r)
{
	for (int p = 0; p < r->nprocs; p++)
		if (r->p[p].failed)
			return 1;
	return 0;
}

enum run_pstate run_proc_state(const struct run *r, int p) { return r->p[p].state; }
pid_t run_proc_pid(const struct run *r, int p) { return r->p[p].pid; }
struct lab *run_lab(struct run *r) { return r->lab; }
bool run_proc_traced(const struct run *r, int p) { return sctrace_traced(r->tr, p); }

void run_describe_stuck(struct run *r, void (*line)(const char *text, void *arg), void *arg)
{
	for (int p = 0; p < r->nprocs; p++) {
		const struct run_proc *rp = &r->p[p];
		const struct sc_proc *sp = &r->sc->procs[p];
		char t[256];
		const struct sc_step *st = rp->step >= 0 && rp->step < sp->nsteps ? &sp->steps[rp->step] : NULL;
		const char *sock = st && st->sock >= 0 ? sp->socks[st->sock].name : "";
		switch (rp->state) {
		case RUN_P_WAITING:
			snprintf(t, sizeof t, "%s is still waiting in %s on socket %s (line %d): nothing arrived",
				 sp->name, sc_op_name(st ? st->op : SC_SAY), sock, st ? st->line : 0);
			break;
		case RUN_P_RUNNING:
			snprintf(t, sizeof t, "%s is still running step %s (line %d)", sp->name,
				 sc_op_name(st ? st->op : SC_SAY), st ? st->line : 0);
			break;
		case RUN_P_SLEEPING:
			snprintf(t, sizeof t, "%s is sleeping (line %d)", sp->name, st ? st->line : 0);
			break;
		case RUN_P_AWAITING:
			snprintf(t, sizeof t, "%s is still waiting for port %u to open on %s (line %d)", sp->name,
				 st ? st->ep.port : 0, st ? r->sc->hosts[st->ep.host].name : "?", st ? st->line : 0);
			break;
		case RUN_P_READY:
			snprintf(t, sizeof t, "%s is ready for %s (line %d)", sp->name,
				 sc_op_name(st ? st->op : SC_SAY), st ? st->line : 0);
			break;
		case RUN_P_PROGRAM:
			snprintf(t, sizeof t, "%s (program %s) is still %s", sp->name,
				 sp->steps[sp->nsteps - 1].argv[0],
				 sctrace_waiting(r->tr, p) ? "waiting in a socket call: nothing arrived" : "running");
			break;
		case RUN_P_STARTING:
			snprintf(t, sizeof t, "%s never started", sp->name);
			break;
		default:
			continue;
		}
		line(t, arg);
	}
}

static void run_unregister(struct run *r)
{
	if (r->stop_timer)
		ev_del_timer(r->ev, r->stop_timer);
	r->stop_timer = 0;
	if (r->await_timer)
		ev_del_timer(r->ev, r->await_timer);
	r->await_timer = 0;
	if (r->prog_timer)
		ev_del_timer(r->ev, r->prog_timer);
	r->prog_timer = 0;
	sctrace_free(r->tr); /* its listeners and waits leave the loop */
	r->tr = NULL;
	if (!r->lab)
		return;
	ev_del_fd(r->ev, r->lab->init_ctl);
	for (int p = 0; p < r->nprocs && r->lab->ctl; p++) {
		ev_del_fd(r->ev, r->lab->ctl[p]);
		ev_del_fd(r->ev, r->lab->out[p]);
	}
}

void run_abort(struct run *r)
{
	if (r->over)
		return;
	run_unregister(r);
	for (int p = 0; p < r->nprocs; p++)
		if (r->p[p].state != RUN_P_EXITED)
			r->p[p].stopped_by_us = true;
	lab_destroy(r->lab); /* SIGKILL to init: everything in the lab dies */
	r->lab = NULL;
	for (int p = 0; p < r->nprocs; p++) {
		struct run_proc *rp = &r->p[p];
		if (rp->state != RUN_P_EXITED) {
			rp->state = RUN_P_EXITED;
			rp->status = SIGKILL;
			run_close_wait(rp);
			const char *t = "stopped by doorway";
			run_emit(r, RUN_EV_EXIT, p, NULL, t, strlen(t));
		}
	}
	r->over = true;
	if (!r->ended) {
		r->ended = true;
		run_emit(r, RUN_EV_END, -1, NULL, NULL, 0);
	}
}

void run_free(struct run *r)
{
	if (!r)
		return;
	run_unregister(r);
	for (int p = 0; p < r->nprocs; p++) {
		run_close_wait(&r->p[p]);
		buf_free(&r->p[p].line);
	}
	lab_destroy(r->lab);
	free(r->p);
	free(r);
}
