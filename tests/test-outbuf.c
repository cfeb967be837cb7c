/* test-outbuf — standard output that never blocks the loop: bytes a stalled
 * pipe does not take wait in memory and go out from the loop; past the
 * bound a write waits for the reader, a stop signal (left pending) or the
 * deadline; write errors are final and named; the shell's descriptor keeps
 * its flags. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "outbuf.h"
#include "util.h"

static int fails;
static void on_fail(void *arg) { fails++; }

/* Write n bytes of a counting pattern through f; how many fwrite took. */
static size_t put_pattern(FILE *f, size_t from, size_t n)
{
	char chunk[4096];
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
		for (size_t i = 0; i < k; i++)
			chunk[i] = (char)('a' + (from + done + i) % 26);
		size_t w = fwrite(chunk, 1, k, f);
		done += w;
		if (w < k)
			break;
	}
	return done;
}

static void test_stalled_pipe_does_not_block_and_drains_from_the_loop(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	int fl = fcntl(p[1], F_GETFL);
	struct ev *ev = ev_new();
	fails = 0;
	struct outbuf *o = outbuf_new(p[1], ev, on_fail, NULL);
	FILE *f = outbuf_file(o);
	size_t n = 1u << 20; /* far more than the pipe holds, less than the bound */
	uint64_t t0 = util_now_mono_ns();
	assert_int_equal(put_pattern(f, 0, n), n);
	assert_int_equal(fflush(f), 0);
	assert_true(util_now_mono_ns() - t0 < 1000000000ull); /* did not wait for a reader */
	assert_true(outbuf_pending(o) > 0);
	/* the shell's description of the pipe is as it was */
	assert_int_equal(fcntl(p[1], F_GETFL), fl);
	/* the loop writes the rest as the reader takes it */
	char *got = xmalloc(n);
	size_t have = 0;
	int fl0 = fcntl(p[0], F_GETFL);
	fcntl(p[0], F_SETFL, fl0 | O_NONBLOCK);
	for (int i = 0; i < 100000 && have < n; i++) {
		ssize_t r = read(p[0], got + have, n - have);
		if (r > 0)
			have += (size_t)r;
		ev_once(ev, 10);
	}
	assert_int_equal(have, n);
	for (size_t i = 0; i < n; i++)
		if (got[i] != (char)('a' + i % 26))
			fail_msg("byte %zu differs", i);
	assert_int_equal(outbuf_pending(o), 0);
	assert_int_equal(outbuf_drain(o), 0);
	assert_int_equal(outbuf_state(o), OUTBUF_OK);
	assert_int_equal(fails, 0);
	free(got);
	outbuf_free(o);
	ev_free(ev);
	close(p[0]);
	close(p[1]);
}

static void test_past_the_bound_gives_up_at_the_deadline(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct ev *ev = ev_new();
	fails = 0;
	struct outbuf *o = outbuf_new(p[1], ev, on_fail, NULL);
	outbuf_set_deadline(o, util_now_mono_ns() + 200000000ull);
	uint64_t t0 = util_now_mono_ns();
	size_t w = put_pattern(outbuf_file(o), 0, 2 * (size_t)OUTBUF_MAX);
	fflush(outbuf_file(o));
	uint64_t dt = util_now_mono_ns() - t0;
	assert_true(w < 2 * (size_t)OUTBUF_MAX || ferror(outbuf_file(o)));
	assert_true(dt >= 150000000ull && dt < 3000000000ull);
	assert_int_equal(outbuf_state(o), OUTBUF_TIMEDOUT);
	assert_non_null(strstr(outbuf_error(o), "nobody reads it"));
	assert_int_equal(fails, 1);
	assert_int_equal(outbuf_drain(o), -1);
	outbuf_free(o);
	ev_free(ev);
	close(p[0]);
	close(p[1]);
}

static void test_past_the_bound_a_stop_signal_ends_the_wait_and_stays_pending(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGTERM);
	fails = 0;
	struct outbuf *o = outbuf_new(p[1], NULL, on_fail, NULL); /* no deadline: only the signal ends it */
	put_pattern(outbuf_file(o), 0, 2 * (size_t)OUTBUF_MAX);
	fflush(outbuf_file(o));
	assert_int_equal(outbuf_state(o), OUTBUF_INTERRUPTED);
	assert_int_equal(fails, 1);
	sigset_t pend;
	sigpending(&pend);
	assert_true(sigismember(&pend, SIGTERM)); /* for the loop to handle */
	int sig;
	sigwait(&set, &sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
	outbuf_free(o);
	close(p[0]);
	close(p[1]);
}

static void test_write_errors_are_final_and_named(void **state)
{
	/* the reader gone */
	int p[2];
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	void (*prev)(int) = signal(SIGPIPE, SIG_IGN);
	fails = 0;
	struct outbuf *o = outbuf_new(p[1], NULL, on_fail, NULL);
	fputs("hello\n", outbuf_file(o));
	assert_int_equal(outbuf_drain(o), -1);
	assert_int_equal(outbuf_state(o), OUTBUF_ERROR);
	assert_int_equal(outbuf_errno(o), EPIPE);
	assert_int_equal(fails, 1);
	fputs("more\n", outbuf_file(o));
	fflush(outbuf_file(o));
	assert_true(ferror(outbuf_file(o)));
	assert_int_equal(fails, 1); /* said once */
	outbuf_free(o);
	close(p[1]);
	signal(SIGPIPE, prev);

	/* a full device */
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		skip();
	o = outbuf_new(fd, NULL, NULL, NULL);
	fputs("hello\n", outbuf_file(o));
	assert_int_equal(outbuf_drain(o), -1);
	assert_int_equal(outbuf_errno(o), ENOSPC);
	assert_string_equal(outbuf_error(o), "standard output: No space left on device");
	outbuf_free(o);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stalled_pipe_does_not_block_and_drains_from_the_loop),
		cmocka_unit_test(test_past_the_bound_gives_up_at_the_deadline),
		cmocka_unit_test(test_past_the_bound_a_stop_signal_ends_the_wait_and_stays_pending),
		cmocka_unit_test(test_write_errors_are_final_and_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
