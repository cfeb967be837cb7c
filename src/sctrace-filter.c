#include "sctrace-filter.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <endian.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#if defined(__x86_64__)
#define SCTRACE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SCTRACE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define SCTRACE_ARCH AUDIT_ARCH_RISCV64
#else
#define SCTRACE_ARCH 0 /* unknown: the filter is not installed */
#endif

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* System calls that stop when their first argument is a descriptor in the
 * sockets' range; the most frequent of any program first (each test is
 * one more instruction for every system call that comes later). */
static const long sctrace_fd_calls[] = {
	__NR_read, __NR_write, __NR_close, __NR_readv, __NR_writev,
	__NR_sendto, __NR_recvfrom, __NR_sendmsg, __NR_recvmsg,
	__NR_bind, __NR_listen, __NR_accept, __NR_accept4, __NR_connect,
	__NR_shutdown, __NR_setsockopt, __NR_getsockopt,
};

int sctrace_filter_stops(long nr)
{
	if (nr == __NR_socket)
		return 1;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sctrace_fd_calls); i++)
		if (sctrace_fd_calls[i] == nr)
			return 1;
	return 0;
}

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define SCTRACE_ARG0_LO offsetof(struct seccomp_data, args[0])
#else
#define SCTRACE_ARG0_LO (offsetof(struct seccomp_data, args[0]) + 4)
#endif

int sctrace_filter_install(void)
{
	if (!SCTRACE_ARCH) {
		errno = ENOSYS;
		return -1;
	}
	enum { NFD = (int)UTIL_ARRAY_LEN(sctrace_fd_calls) };
	struct sock_filter f[8 + NFD + 8];
	int n = 0;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SCTRACE_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < NFD; i++) /* to the descriptor test, past the other tests and ALLOW */
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sctrace_fd_calls[i],
						      (uint8_t)(NFD - i + 1), 0);
	/* socket: to the family test, after the descriptor test (4 on) */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1 + 4, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* descriptor test (fd is an int: the low word; -1 is >= too, harmless) */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SCTRACE_ARG0_LO);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SCTRACE_FD_BASE, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* family test */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SCTRACE_ARG0_LO);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	/* killable once received: a signal cannot abandon a call doorway is
	 * already performing for the program (its bytes would be lost) */
	long fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
	if (fd < 0 && errno == EINVAL) /* before Linux 5.19: without the killable wait */
		fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		return -1;
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return (int)fd;
}
