/* test-sctrace — the filter a traced program runs under: it stops socket()
 * of AF_INET/AF_INET6 and the socket calls, read, write and close on
 * descriptors from SCTRACE_FD_BASE, and nothing else (a file read, an
 * AF_UNIX socket, a close of a low descriptor run untouched). A child
 * installs it and hands the listener over; the test answers every stop
 * with "continue" and records which calls stopped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl.h"
#include "sctrace-call.h"
#include "sctrace-filter.h"

/* What the traced child does: each line a system call, the ones marked
 * "stops" are the ones the filter must stop. */
static void child_calls(int ctl)
{
	int l = sctrace_filter_install();
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	if (l < 0 || ctl_send(ctl, &m, l) < 0)
		_exit(2);
	close(l);
	char b[16];
	int f = open("/dev/zero", O_RDONLY);
	if (f < 0 || read(f, b, sizeof b) != sizeof b) /* a file: runs */
		_exit(3);
	int u = socket(AF_UNIX, SOCK_DGRAM, 0); /* AF_UNIX: runs */
	int s = socket(AF_INET, SOCK_DGRAM, 0); /* stops */
	int pair[2];
	if (u < 0 || s < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) < 0 || /* runs */
	    dup2(pair[0], SCTRACE_FD_BASE + 1) < 0) /* dup2 is not watched */
		_exit(4);
	send(SCTRACE_FD_BASE + 1, "x", 1, MSG_DONTWAIT); /* sendto on >= 600: stops */
	if (write(SCTRACE_FD_BASE + 1, "y", 1) < 0) /* stops */
		_exit(5);
	close(SCTRACE_FD_BASE + 1); /* stops */
	close(f); /* a low descriptor: runs */
	_exit(0);
}

static void test_filter_stops_only_sockets(void **state)
{
	int sp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		close(sp[0]);
		child_calls(sp[1]);
	}
	close(sp[1]);
	struct ctl_msg m;
	int l = -1;
	assert_int_equal(ctl_recv(sp[0], &m, &l), 1);
	assert_true(l >= 0);
	long seen[16];
	int n = 0;
	for (;;) {
		struct pollfd pf = { l, POLLIN, 0 };
		int r = poll(&pf, 1, 5000);
		assert_true(r > 0); /* never hangs: the child ends or stops */
		if (!(pf.revents & POLLIN))
			break; /* POLLHUP: the child has ended */
		struct seccomp_notif no;
		memset(&no, 0, sizeof no);
		if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &no) < 0)
			continue;
		if (n < 16)
			seen[n++] = no.data.nr;
		sctrace_call_continue(l, no.id);
	}
	int st;
	assert_int_equal(waitpid(c, &st, 0), c);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	long want[] = { __NR_socket, __NR_sendto, __NR_write, __NR_close };
	assert_int_equal(n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(seen[i], want[i]);
	close(l);
	close(sp[0]);
}

static void test_filter_stops_listed_calls(void **state)
{
	assert_true(sctrace_filter_stops(__NR_socket));
	assert_true(sctrace_filter_stops(__NR_read));
	assert_true(sctrace_filter_stops(__NR_accept4));
	assert_true(sctrace_filter_stops(__NR_getsockopt));
	assert_false(sctrace_filter_stops(__NR_openat));
	assert_false(sctrace_filter_stops(__NR_dup2));
	assert_false(sctrace_filter_stops(__NR_mmap));
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_stops_listed_calls),
		cmocka_unit_test(test_filter_stops_only_sockets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
