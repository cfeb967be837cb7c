#include "sctrace.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ev.h"
#include "scenario.h"
#include "sctrace-call.h"
#include "util.h"

#define SCTRACE_TREE_MAX 256 /* processes of one program looked at */

struct sctrace_proc {
	int listener;           /* -1: not traced */
	pid_t root;
	struct sctrace_socks socks;
	struct sctrace_call *pending, **tail;   /* received, not released yet */
	struct sctrace_call *active;            /* released, waiting for their socket */
};

struct sctrace {
	struct ev *ev;
	const struct scenario *sc;
	struct lab *lab;
	bool gated;
	struct sctrace_cbs cb;
	void *arg;
	struct sctrace_proc *p;
	int nprocs;
};

struct sctrace *sctrace_new(struct ev *ev, const struct scenario *sc, struct lab *lab, bool gated,
			    const struct sctrace_cbs *cbs, void *arg)
{
	struct sctrace *t = xcalloc(1, sizeof *t);
	t->ev = ev;
	t->sc = sc;
	t->lab = lab;
	t->gated = gated;
	t->cb = *cbs;
	t->arg = arg;
	t->nprocs = sc->nprocs;
	t->p = xcalloc((size_t)sc->nprocs, sizeof *t->p);
	for (int p = 0; p < t->nprocs; p++) {
		t->p[p].listener = -1;
		t->p[p].tail = &t->p[p].pending;
	}
	return t;
}

static void sctrace_drop(struct sctrace *t, int proc)
{
	struct sctrace_proc *tp = &t->p[proc];
	for (struct sctrace_call *c = tp->pending, *n; c; c = n) {
		n = c->next;
		sctrace_call_free(c);
	}
	for (struct sctrace_call *c = tp->active, *n; c; c = n) {
		n = c->next;
		ev_del_fd(t->ev, c->dup);
		sctrace_call_free(c);
	}
	tp->pending = tp->active = NULL;
	tp->tail = &tp->pending;
	if (tp->listener >= 0) {
		ev_del_fd(t->ev, tp->listener);
		close(tp->listener);
	}
	tp->listener = -1;
}

void sctrace_free(struct sctrace *t)
{
	if (!t)
		return;
	for (int p = 0; p < t->nprocs; p++) {
		sctrace_drop(t, p);
		free(t->p[p].socks.v);
	}
	free(t->p);
	free(t);
}

static struct sctrace_env sctrace_env_of(struct sctrace *t, int proc)
{
	struct sctrace_proc *tp = &t->p[proc];
	return (struct sctrace_env){ .listener = tp->listener, .lab = t->lab, .host = t->sc->procs[proc].host,
				     .proc = proc, .root = tp->root, .socks = &tp->socks };
}

static void sctrace_on_wait(struct ev *ev, int fd, int events, void *arg);

/* Perform call c of proc (first time or after a wait) and report it. */
static void sctrace_perform(struct sctrace *t, int proc, struct sctrace_call *c)
{
	struct sctrace_proc *tp = &t->p[proc];
	struct sctrace_env env = sctrace_env_of(t, proc);
	if (!c->m.t_begin_ns && t->cb.before)
		t->cb.before(t->arg, proc);
	enum sctrace_state st = sctrace_call_run(c, &env);
	if (st == SCTRACE_WAIT) {
		if (!c->waited) {
			c->waited = true;
			c->m.type = CTL_WAITING;
			c->m.status = c->wait_ev;
			c->m.t_ns = util_now_real_ns();
			c->next = tp->active;
			tp->active = c;
			ev_add_fd(t->ev, c->dup, c->wait_ev == POLLIN ? EV_READ : EV_WRITE, sctrace_on_wait, t);
			t->cb.report(t->arg, proc, &c->m);
		}
		return;
	}
	if (c->waited) {
		for (struct sctrace_call **pp = &tp->active; *pp; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		ev_del_fd(t->ev, c->dup);
	}
	if (st == SCTRACE_DONE)
		t->cb.report(t->arg, proc, &c->m);
	sctrace_call_free(c);
}

static void sctrace_on_wait(struct ev *ev, int fd, int events, void *arg)
{
	struct sctrace *t = arg;
	for (int p = 0; p < t->nprocs; p++)
		for (struct sctrace_call *c = t->p[p].active; c; c = c->next)
			if (c->dup == fd) {
				sctrace_perform(t, p, c);
				t->cb.changed(t->arg);
				return;
			}
	ev_del_fd(ev, fd);
}

/* Read every notification waiting on proc's listener. Returns how many
 * calls were let go on at once (not shown, or not gated): the program runs
 * again. */
static int sctrace_drain(struct sctrace *t, int proc)
{
	struct sctrace_proc *tp = &t->p[proc];
	int resumed = 0;
	while (tp->listener >= 0) {
		struct pollfd pf = { tp->listener, POLLIN, 0 };
		if (poll(&pf, 1, 0) <= 0)
			break;
		if (!(pf.revents & POLLIN)) {
			if (pf.revents & (POLLHUP | POLLERR | POLLNVAL)) {
				/* every process of the program has ended */
				ev_del_fd(t->ev, tp->listener);
				close(tp->listener);
				tp->listener = -1;
			}
			break;
		}
		struct sctrace_call *c = xcalloc(1, sizeof *c);
		c->dup = -1;
		if (ioctl(tp->listener, SECCOMP_IOCTL_NOTIF_RECV, &c->n) < 0) {
			free(c);
			if (errno == EINTR || errno == ENOENT)
				continue; /* the caller went away meanwhile */
			break;
		}
		struct sctrace_env env = sctrace_env_of(t, proc);
		if (sctrace_call_decode(c, &env) == SCTRACE_PASS) {
			sctrace_call_free(c);
			resumed++;
			continue;
		}
		if (!t->gated) {
			sctrace_perform(t, proc, c);
			resumed++;
			continue;
		}
		*tp->tail = c;
		tp->tail = &c->next;
	}
	return resumed;
}

static void sctrace_on_listener(struct ev *ev, int fd, int events, void *arg)
{
	struct sctrace *t = arg;
	for (int p = 0; p < t->nprocs; p++)
		if (t->p[p].listener == fd) {
			sctrace_drain(t, p);
			t->cb.changed(t->arg);
			return;
		}
	ev_del_fd(ev, fd);
}

void sctrace_add(struct sctrace *t, int proc, pid_t pid, int listener)
{
	if (!t) {
		close(listener);
		return;
	}
	struct sctrace_proc *tp = &t->p[proc];
	sctrace_drop(t, proc);
	tp->listener = listener;
	tp->root = pid;
	ev_add_fd(t->ev, listener, EV_READ, sctrace_on_listener, t);
}

bool sctrace_traced(const struct sctrace *t, int proc) { return t && t->p[proc].listener >= 0; }

bool sctrace_pending(struct sctrace *t, int proc)
{
	return t && t->p[proc].pending != NULL;
}

int sctrace_release(struct sctrace *t, int proc)
{
	if (!t)
		return 0;
	struct sctrace_proc *tp = &t->p[proc];
	struct sctrace_call *c = tp->pending;
	if (!c)
		return 0;
	tp->pending = c->next;
	if (!tp->pending)
		tp->tail = &tp->pending;
	c->next = NULL;
	sctrace_perform(t, proc, c);
	return 1;
}

bool sctrace_waiting(const struct sctrace *t, int proc)
{
	return t && t->p[proc].active != NULL;
}

/* Is thread tid of process pid running (R), or in an uninterruptible wait
 * that is not a call doorway holds? */
static bool sctrace_thread_busy(const struct sctrace_proc *tp, pid_t pid, pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *rp = strrchr(buf, ')'); /* the name may hold anything */
	if (!rp || rp[1] != ' ')
		return false;
	char state = rp[2];
	if (state == 'R')
		return true;
	if (state != 'D')
		return false;
	for (const struct sctrace_call *c = tp->pending; c; c = c->next)
		if ((pid_t)c->n.pid == tid)
			return false;
	for (const struct sctrace_call *c = tp->active; c; c = c->next)
		if ((pid_t)c->n.pid == tid)
			return false;
	return true;
}

/* Any thread of the program's processes busy? */
static bool sctrace_tree_busy(const struct sctrace_proc *tp)
{
	pid_t stack[SCTRACE_TREE_MAX];
	int sp = 0, seen = 0;
	stack[sp++] = tp->root;
	while (sp > 0 && seen++ < SCTRACE_TREE_MAX) {
		pid_t pid = stack[--sp];
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
		DIR *d = opendir(path);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			pid_t tid = (pid_t)atoi(de->d_name);
			if (sctrace_thread_busy(tp, pid, tid)) {
				closedir(d);
				return true;
			}
			char cp[96];
			snprintf(cp, sizeof cp, "/proc/%d/task/%d/children", (int)pid, (int)tid);
			FILE *f = fopen(cp, "re");
			if (f) {
				int ch;
				while (sp < SCTRACE_TREE_MAX && fscanf(f, "%d", &ch) == 1)
					stack[sp++] = ch;
				fclose(f);
			}
		}
		closedir(d);
	}
	return false;
}

bool sctrace_settled(struct sctrace *t, int proc)
{
	if (!t)
		return true;
	struct sctrace_proc *tp = &t->p[proc];
	if (tp->listener < 0)
		return true;
	/* threads first: a thread seen asleep in a stopped call has queued
	 * its notification before it slept, so the drain below finds it */
	if (sctrace_tree_busy(tp))
		return false;
	if (sctrace_drain(t, proc) > 0)
		return false; /* a call it made went on at once: it runs again */
	for (const struct sctrace_call *c = tp->active; c; c = c->next) {
		struct pollfd pf = { c->dup, c->wait_ev, 0 };
		if (poll(&pf, 1, 0) > 0)
			return false; /* about to wake: its callback comes */
	}
	return true;
}

void sctrace_end(struct sctrace *t, int proc)
{
	if (t)
		sctrace_drop(t, proc);
}
