/* test-ev — the poll loop: fds, timers (ordering, repeat, delete inside a
 * callback), signals through signalfd, the before-poll hook. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "util.h"

struct rec {
	char log[64];
	int n;
	long long other;
	int fds[2];
};

static void rec_add(struct rec *r, char c)
{
	if (r->n < (int)sizeof r->log - 1)
		r->log[r->n++] = c;
}

static int64_t timer_a(struct ev *ev, long long id, void *arg) { rec_add(arg, 'a'); return EV_NOMORE; }
static int64_t timer_b(struct ev *ev, long long id, void *arg)
{
	struct rec *r = arg;
	rec_add(r, 'b');
	if (r->n >= 4)
		ev_stop(ev);
	return 1; /* repeat */
}

static void test_timers_order_and_repeat(void **state)
{
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	ev_add_timer(ev, 30, timer_a, &r);
	ev_add_timer(ev, 1, timer_b, &r);
	uint64_t t0 = util_now_mono_ns();
	assert_int_equal(ev_run(ev), 0);
	/* b fires first and repeats; a (30 ms) has not fired before b's 3rd run */
	assert_int_equal(r.log[0], 'b');
	assert_true(util_now_mono_ns() - t0 < 1000000000ull);
	ev_free(ev);
}

static int64_t timer_kill_other(struct ev *ev, long long id, void *arg)
{
	struct rec *r = arg;
	rec_add(r, 'k');
	ev_del_timer(ev, r->other);
	return EV_NOMORE;
}
static int64_t timer_stop(struct ev *ev, long long id, void *arg) { ev_stop(ev); return EV_NOMORE; }

static void test_timer_delete_in_callback(void **state)
{
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	ev_add_timer(ev, 0, timer_kill_other, &r);
	r.other = ev_add_timer(ev, 5, timer_a, &r);
	ev_add_timer(ev, 20, timer_stop, &r);
	ev_run(ev);
	assert_string_equal(r.log, "k"); /* 'a' was deleted before it was due */
	ev_free(ev);
}

static void on_read(struct ev *ev, int fd, int events, void *arg)
{
	struct rec *r = arg;
	char c;
	assert_true(events & EV_READ);
	ssize_t n = read(fd, &c, 1);
	if (n == 1)
		rec_add(r, c);
	else {
		rec_add(r, '$'); /* EOF */
		ev_del_fd(ev, fd);
		ev_stop(ev);
	}
}

static void test_fd_read_and_eof(void **state)
{
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	assert_int_equal(pipe2(r.fds, O_CLOEXEC | O_NONBLOCK), 0);
	ev_add_fd(ev, r.fds[0], EV_READ, on_read, &r);
	assert_int_equal(write(r.fds[1], "xy", 2), 2);
	close(r.fds[1]);
	ev_run(ev);
	assert_string_equal(r.log, "xy$");
	close(r.fds[0]);
	ev_free(ev);
}

static void on_sig(struct ev *ev, int signo, void *arg)
{
	rec_add(arg, signo == SIGUSR1 ? 'u' : '?');
	ev_stop(ev);
}

static void test_signal_via_signalfd(void **state)
{
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	ev_add_signal(ev, SIGUSR1, on_sig, &r);
	kill(getpid(), SIGUSR1); /* blocked: queued for the signalfd, not fatal */
	ev_run(ev);
	assert_string_equal(r.log, "u");
	ev_free(ev); /* restores the mask */
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	assert_false(sigismember(&cur, SIGUSR1));
}

static void hook(struct ev *ev, void *arg)
{
	struct rec *r = arg;
	rec_add(r, 'h');
	if (r->n >= 3)
		ev_stop(ev);
}
static int64_t tick(struct ev *ev, long long id, void *arg) { return 0; }

static void test_before_poll_hook_runs_each_pass(void **state)
{
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	ev_set_before_poll(ev, hook, &r);
	ev_add_timer(ev, 0, tick, &r);
	ev_run(ev);
	assert_string_equal(r.log, "hhh");
	ev_free(ev);
}

static void test_idle_poll_waits(void **state)
{
	/* no fds, one timer 50 ms away: one pass sleeps in poll, no spinning */
	struct ev *ev = ev_new();
	struct rec r = { 0 };
	ev_add_timer(ev, 50, timer_a, &r);
	uint64_t t0 = util_now_mono_ns();
	ev_once(ev, -1);
	uint64_t dt = util_now_mono_ns() - t0;
	assert_true(dt >= 45000000ull);
	assert_string_equal(r.log, "a");
	ev_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_order_and_repeat),
		cmocka_unit_test(test_timer_delete_in_callback),
		cmocka_unit_test(test_fd_read_and_eof),
		cmocka_unit_test(test_signal_via_signalfd),
		cmocka_unit_test(test_before_poll_hook_runs_each_pass),
		cmocka_unit_test(test_idle_poll_waits),
	};
	return cmocka_run_group_tests_name("ev", tests, NULL, NULL);
}
