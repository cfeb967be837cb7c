/* bench-sctrace — what tracing a real program's socket calls costs, per
 * call, for the two designs README compares, measured in the same run:
 *
 *   untraced       a UDP send() on a socketpair, no filter
 *   user notif     doorway's design: the filter stops the call, the
 *                  supervisor copies the socket (pidfd_getfd), reads the
 *                  bytes (process_vm_readv), performs the send and answers
 *                  with its result: one round trip
 *   ptrace         SECCOMP_RET_TRACE + ptrace, the way strace --seccomp-bpf
 *                  works: a stop at entry (the gate) and one at exit (the
 *                  result, read from the registers): two round trips
 *
 * and what the filter costs a program's file reads, which never stop (100k
 * reads of 4 KiB of a file, with and without the filter installed). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/prog.h"
#include "ctl.h"
#include "sctrace-filter.h"
#include "util.h"

#define BENCH_CALLS 20000
#define BENCH_READS 100000

/* The child: CALLS sends of 64 bytes on the socket at SCTRACE_FD_BASE;
 * writes the ns they took to out. */
static void bench_sends(int out)
{
	char buf[64] = { 0 };
	uint64_t t0 = util_now_mono_ns();
	for (int i = 0; i < BENCH_CALLS; i++)
		if (send(SCTRACE_FD_BASE, buf, sizeof buf, MSG_DONTWAIT) < 0 && errno != EAGAIN)
			_exit(3);
	uint64_t ns = util_now_mono_ns() - t0;
	if (write(out, &ns, sizeof ns) != sizeof ns)
		_exit(4);
}

static int bench_pair(int *peer)
{
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) < 0)
		fatal("socketpair");
	int big = 1 << 22;
	setsockopt(sp[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (dup2(sp[0], SCTRACE_FD_BASE) < 0)
		fatal("dup2");
	close(sp[0]);
	*peer = sp[1];
	return SCTRACE_FD_BASE;
}

/* a reader draining the socketpair so sends never find it full */
static void bench_drain(int peer)
{
	char b[256];
	while (recv(peer, b, sizeof b, MSG_DONTWAIT) > 0)
		;
}

static double bench_untraced(void)
{
	int peer, p[2];
	bench_pair(&peer);
	if (pipe(p) < 0)
		fatal("pipe");
	pid_t c = fork();
	if (c == 0) {
		bench_sends(p[1]);
		_exit(0);
	}
	uint64_t ns = 0;
	for (;;) {
		bench_drain(peer);
		int st;
		if (waitpid(c, &st, WNOHANG) == c)
			break;
	}
	if (read(p[0], &ns, sizeof ns) != sizeof ns)
		fatalx("untraced child failed");
	close(p[0]);
	close(p[1]);
	close(peer);
	close(SCTRACE_FD_BASE);
	return (double)ns / BENCH_CALLS;
}

static double bench_notif(void)
{
	int peer, p[2], sp[2];
	bench_pair(&peer);
	if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) < 0)
		fatal("pipe");
	pid_t c = fork();
	if (c == 0) {
		int l = sctrace_filter_install();
		if (l < 0)
			_exit(2);
		struct ctl_msg m;
		memset(&m, 0, sizeof m);
		ctl_send(sp[1], &m, l);
		close(l);
		bench_sends(p[1]);
		_exit(0);
	}
	struct ctl_msg m;
	int l = -1;
	if (ctl_recv(sp[0], &m, &l) != 1 || l < 0)
		fatalx("no listener from the child");
	int pfd = (int)syscall(SYS_pidfd_open, c, 0);
	for (int done = 0; done < BENCH_CALLS;) {
		struct seccomp_notif n;
		memset(&n, 0, sizeof n);
		if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
			fatal("SECCOMP_IOCTL_NOTIF_RECV");
		struct seccomp_notif_resp r;
		memset(&r, 0, sizeof r);
		r.id = n.id;
		/* as doorway: a copy of the socket, the bytes, the call, the answer */
		int d = (int)syscall(SYS_pidfd_getfd, pfd, (int)n.data.args[0], 0);
		char buf[64];
		struct iovec li = { buf, sizeof buf }, ri = { (void *)(uintptr_t)n.data.args[1], sizeof buf };
		process_vm_readv(c, &li, 1, &ri, 1, 0);
		ssize_t s = send(d, buf, (size_t)n.data.args[2], MSG_DONTWAIT);
		close(d);
		r.val = s;
		r.error = s < 0 ? -errno : 0;
		ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &r);
		bench_drain(peer);
		done++;
	}
	waitpid(c, NULL, 0);
	uint64_t ns = 0;
	if (read(p[0], &ns, sizeof ns) != sizeof ns)
		fatalx("notif child failed");
	close(pfd);
	close(l);
	close(p[0]);
	close(p[1]);
	close(sp[0]);
	close(sp[1]);
	close(peer);
	close(SCTRACE_FD_BASE);
	return (double)ns / BENCH_CALLS;
}

static double bench_ptrace(void)
{
	int peer, p[2];
	bench_pair(&peer);
	if (pipe(p) < 0)
		fatal("pipe");
	pid_t c = fork();
	if (c == 0) {
		/* stop at sendto only (the same filter shape: the call's number) */
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendto, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { (unsigned short)UTIL_ARRAY_LEN(f), f };
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(2);
		bench_sends(p[1]);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	ptrace(PTRACE_SETOPTIONS, c, NULL, (void *)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, c, NULL, NULL);
	for (;;) {
		if (waitpid(c, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			/* entry: the gate; then on to the exit stop for the result */
			ptrace(PTRACE_SYSCALL, c, NULL, NULL);
			if (waitpid(c, &st, 0) < 0 || !WIFSTOPPED(st))
				break;
			struct user_regs_struct regs;
			ptrace(PTRACE_GETREGS, c, NULL, &regs);
			bench_drain(peer);
			ptrace(PTRACE_CONT, c, NULL, NULL);
			continue;
		}
		int sig = WIFSTOPPED(st) ? WSTOPSIG(st) : 0;
		ptrace(PTRACE_CONT, c, NULL, (void *)(long)(sig == SIGTRAP || sig == (SIGTRAP | 0x80) ? 0 : sig));
	}
	uint64_t ns = 0;
	if (read(p[0], &ns, sizeof ns) != sizeof ns)
		fatalx("ptrace child failed");
	close(p[0]);
	close(p[1]);
	close(peer);
	close(SCTRACE_FD_BASE);
	return (double)ns / BENCH_CALLS;
}

/* 100k reads of 4 KiB of a file (page cache), with or without the filter. */
static double bench_reads(bool filtered)
{
	char path[] = "/tmp/doorway-bench-reads.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		fatal("mkstemp");
	unlink(path);
	char block[4096];
	memset(block, 'x', sizeof block);
	for (int i = 0; i < 16; i++)
		if (write(fd, block, sizeof block) != sizeof block)
			fatal("write");
	int p[2];
	if (pipe(p) < 0)
		fatal("pipe");
	pid_t c = fork();
	if (c == 0) {
		if (filtered && sctrace_filter_install() < 0)
			_exit(2);
		uint64_t t0 = util_now_mono_ns();
		for (int i = 0; i < BENCH_READS; i++) {
			if (i % 16 == 0)
				lseek(fd, 0, SEEK_SET);
			if (read(fd, block, sizeof block) != sizeof block)
				_exit(3);
		}
		uint64_t ns = util_now_mono_ns() - t0;
		if (write(p[1], &ns, sizeof ns) != sizeof ns)
			_exit(4);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	uint64_t ns = 0;
	if (read(p[0], &ns, sizeof ns) != sizeof ns)
		fatalx("reads child failed (status %d)", st);
	close(p[0]);
	close(p[1]);
	close(fd);
	return (double)ns / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double (*fn)(void), int n)
{
	double v[9];
	for (int i = 0; i < n; i++)
		v[i] = fn();
	qsort(v, (size_t)n, sizeof v[0], cmp_d);
	return v[n / 2];
}

static double reads_plain(void) { return bench_reads(false); }
static double reads_filtered(void) { return bench_reads(true); }

int main(int argc, char **argv)
{
	static const char usage[] = "bench-sctrace";
	prog_args(argc, argv, "bench-sctrace", usage,
		  "What tracing a program's socket calls costs per call (user notification, as doorway, and "
		  "ptrace), and what the filter costs its file reads.", NULL);
	signal(SIGPIPE, SIG_IGN);
	double un = median(bench_untraced, 5), no = median(bench_notif, 5), pt = median(bench_ptrace, 5);
	printf("a traced socket call (send of 64 bytes), %d calls, median of 5:\n", BENCH_CALLS);
	printf("  untraced                 %8.2f us\n", un / 1e3);
	printf("  user notification        %8.2f us (%.1fx untraced): doorway's design\n", no / 1e3, no / un);
	printf("  SECCOMP_RET_TRACE+ptrace %8.2f us (%.1fx untraced, %.2fx user notification)\n", pt / 1e3, pt / un,
	       pt / no);
	double rp = median(reads_plain, 5), rf = median(reads_filtered, 5);
	printf("%d file reads of 4 KiB: %.1f ms without the filter, %.1f ms with it: %.3fx (goal <= 1.10x)\n",
	       BENCH_READS, rp, rf, rf / rp);
	return 0;
}
