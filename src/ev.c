#include "ev.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "util.h"

struct ev_fdent {
	int fd;
	int events;
	bool dead;
	ev_fd_fn *fn;
	void *arg;
};

struct ev_timer {
	long long id;
	uint64_t when;  /* monotonic ns */
	bool dead;
	ev_timer_fn *fn;
	void *arg;
};

struct ev_sig {
	int signo;
	ev_signal_fn *fn;
	void *arg;
};

struct ev {
	struct ev_fdent *fds;
	int nfds, capfds;
	struct ev_timer *timers;
	int ntimers, captimers;
	long long next_timer_id;
	struct ev_sig sigs[16];
	int nsigs;
	int sigfd;
	sigset_t sigmask, oldmask;
	bool have_oldmask;
	ev_hook_fn *before;
	void *before_arg;
	bool stop;
	struct pollfd *pfd;
	int cappfd;
};

struct ev *ev_new(void)
{
	struct ev *ev = xcalloc(1, sizeof *ev);
	ev->sigfd = -1;
	ev->next_timer_id = 1;
	sigemptyset(&ev->sigmask);
	return ev;
}

void ev_free(struct ev *ev)
{
	if (!ev)
		return;
	if (ev->sigfd >= 0)
		close(ev->sigfd);
	if (ev->have_oldmask)
		sigprocmask(SIG_SETMASK, &ev->oldmask, NULL);
	free(ev->fds);
	free(ev->timers);
	free(ev->pfd);
	free(ev);
}

int ev_add_fd(struct ev *ev, int fd, int events, ev_fd_fn *fn, void *arg)
{
	for (int i = 0; i < ev->nfds; i++) {
		if (ev->fds[i].fd == fd && !ev->fds[i].dead) {
			ev->fds[i] = (struct ev_fdent){ fd, events, false, fn, arg };
			return 0;
		}
	}
	if (ev->nfds == ev->capfds) {
		ev->capfds = ev->capfds ? ev->capfds * 2 : 16;
		ev->fds = xreallocarray(ev->fds, (size_t)ev->capfds, sizeof *ev->fds);
	}
	ev->fds[ev->nfds++] = (struct ev_fdent){ fd, events, false, fn, arg };
	return 0;
}

void ev_mod_fd(struct ev *ev, int fd, int events)
{
	for (int i = 0; i < ev->nfds; i++)
		if (ev->fds[i].fd == fd && !ev->fds[i].dead)
			ev->fds[i].events = events;
}

void ev_del_fd(struct ev *ev, int fd)
{
	for (int i = 0; i < ev->nfds; i++)
		if (ev->fds[i].fd == fd)
			ev->fds[i].dead = true;
}

long long ev_add_timer(struct ev *ev, int64_t ms, ev_timer_fn *fn, void *arg)
{
	if (ev->ntimers == ev->captimers) {
		ev->captimers = ev->captimers ? ev->captimers * 2 : 8;
		ev->timers = xreallocarray(ev->timers, (size_t)ev->captimers, sizeof *ev->timers);
	}
	long long id = ev->next_timer_id++;
	ev->timers[ev->ntimers++] = (struct ev_timer){
		id, util_now_mono_ns() + (uint64_t)(ms < 0 ? 0 : ms) * 1000000ull, false, fn, arg
	};
	return id;
}

void ev_del_timer(struct ev *ev, long long id)
{
	for (int i = 0; i < ev->ntimers; i++)
		if (ev->timers[i].id == id)
			ev->timers[i].dead = true;
}

static void ev_on_signalfd(struct ev *ev, int fd, int events, void *arg)
{
	struct signalfd_siginfo si;
	for (;;) {
		ssize_t n = read(fd, &si, sizeof si);
		if (n != (ssize_t)sizeof si)
			return; /* EAGAIN: drained */
		for (int i = 0; i < ev->nsigs; i++)
			if ((uint32_t)ev->sigs[i].signo == si.ssi_signo)
				ev->sigs[i].fn(ev, (int)si.ssi_signo, ev->sigs[i].arg);
	}
}

int ev_add_signal(struct ev *ev, int signo, ev_signal_fn *fn, void *arg)
{
	if (ev->nsigs == (int)UTIL_ARRAY_LEN(ev->sigs))
		fatalx("ev: too many signals");
	ev->sigs[ev->nsigs++] = (struct ev_sig){ signo, fn, arg };
	sigaddset(&ev->sigmask, signo);
	sigset_t old;
	if (sigprocmask(SIG_BLOCK, &ev->sigmask, &old) < 0)
		fatal("sigprocmask");
	if (!ev->have_oldmask) {
		ev->oldmask = old;
		ev->have_oldmask = true;
	}
	int fd = signalfd(ev->sigfd, &ev->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		fatal("signalfd");
	if (ev->sigfd < 0) {
		ev->sigfd = fd;
		ev_add_fd(ev, fd, EV_READ, ev_on_signalfd, NULL);
	}
	return 0;
}

void ev_restore_sigmask(const struct ev *ev)
{
	if (ev->have_oldmask)
		sigprocmask(SIG_SETMASK, &ev->oldmask, NULL);
}

void ev_set_before_poll(struct ev *ev, ev_hook_fn *fn, void *arg)
{
	ev->before = fn;
	ev->before_arg = arg;
}

void ev_stop(struct ev *ev) { ev->stop = true; }

static void ev_compact(struct ev *ev)
{
	int j = 0;
	for (int i = 0; i < ev->nfds; i++)
		if (!ev->fds[i].dead)
			ev->fds[j++] = ev->fds[i];
	ev->nfds = j;
	j = 0;
	for (int i = 0; i < ev->ntimers; i++)
		if (!ev->timers[i].dead)
			ev->timers[j++] = ev->timers[i];
	ev->ntimers = j;
}

static void ev_run_timers(struct ev *ev)
{
	uint64_t now = util_now_mono_ns();
	int n = ev->ntimers; /* timers added by callbacks wait for the next pass */
	for (int i = 0; i < n; i++) {
		struct ev_timer *t = &ev->timers[i];
		if (t->dead || t->when > now)
			continue;
		long long id = t->id;
		int64_t next = t->fn(ev, id, t->arg);
		t = &ev->timers[i]; /* the array may have moved */
		if (next == EV_NOMORE || t->dead)
			t->dead = true;
		else
			t->when = util_now_mono_ns() + (uint64_t)next * 1000000ull;
	}
}

int ev_once(struct ev *ev, int64_t timeout_ms)
{
	ev_compact(ev);
	if (ev->before)
		ev->before(ev, ev->before_arg);
	if (ev->stop)
		return 0;
	ev_compact(ev);

	/* poll timeout: the earliest timer, capped by the caller's timeout */
	int64_t wait = timeout_ms;
	uint64_t now = util_now_mono_ns();
	for (int i = 0; i < ev->ntimers; i++) {
		if (ev->timers[i].dead)
			continue;
		int64_t d = ev->timers[i].when <= now
			? 0 : (int64_t)((ev->timers[i].when - now + 999999) / 1000000);
		if (wait < 0 || d < wait)
			wait = d;
	}

	if (ev->cappfd < ev->nfds) {
		ev->cappfd = ev->nfds;
		ev->pfd = xreallocarray(ev->pfd, (size_t)ev->cappfd, sizeof *ev->pfd);
	}
	int n = ev->nfds;
	for (int i = 0; i < n; i++) {
		ev->pfd[i].fd = ev->fds[i].fd;
		ev->pfd[i].events = (short)(((ev->fds[i].events & EV_READ) ? POLLIN : 0) |
					    ((ev->fds[i].events & EV_WRITE) ? POLLOUT : 0));
		ev->pfd[i].revents = 0;
	}
	int r = poll(ev->pfd, (nfds_t)n, wait > INT32_MAX ? INT32_MAX : (int)wait);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	for (int i = 0; i < n && r > 0; i++) {
		short re = ev->pfd[i].revents;
		if (!re)
			continue;
		/* fds[] may grow during callbacks but entries keep their index
		 * until the next compact, so i still names this fd. */
		struct ev_fdent e = ev->fds[i];
		if (e.dead || e.fd != ev->pfd[i].fd)
			continue;
		int evs = 0;
		if (re & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
			evs |= EV_READ;
		if (re & POLLOUT)
			evs |= EV_WRITE;
		if (re & POLLNVAL) {
			ev->fds[i].dead = true; /* closed behind our back: never spin on it */
		}
		if (evs & e.events || (re & (POLLHUP | POLLERR | POLLNVAL)))
			e.fn(ev, e.fd, evs, e.arg);
	}
	ev_run_timers(ev);
	return 0;
}

int ev_run(struct ev *ev)
{
	ev->stop = false;
	while (!ev->stop)
		if (ev_once(ev, -1) < 0)
			return -1;
	return 0;
}
