#include "seccomp-deny.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SECCOMP_DENY_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_DENY_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define SECCOMP_DENY_ARCH AUDIT_ARCH_RISCV64
#else
#error "seccomp-deny: add this architecture's AUDIT_ARCH value"
#endif

#define SECCOMP_DENY_TIOCSTI 0x5412u
#define SECCOMP_DENY_TIOCLINUX 0x541Cu
#define SECCOMP_DENY_TIOCCONS 0x541Du

/* Refused outright (EPERM). Each entry exists only where the architecture has the call. */
static const int seccomp_deny_nrs[] = {
	SYS_keyctl, SYS_add_key, SYS_request_key, SYS_bpf, SYS_perf_event_open,
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_setns,
	SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_kcmp,
	SYS_kexec_load, SYS_init_module, SYS_finit_module, SYS_delete_module,
	SYS_reboot, SYS_swapon, SYS_swapoff, SYS_acct, SYS_quotactl, SYS_syslog,
	SYS_open_by_handle_at, SYS_name_to_handle_at, SYS_fanotify_init, SYS_vhangup,
#ifdef SYS_userfaultfd
	SYS_userfaultfd,
#endif
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
#ifdef SYS_iopl
	SYS_iopl, SYS_ioperm,
#endif
#ifdef SYS_fsopen
	SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_move_mount, SYS_open_tree,
#endif
#ifdef SYS_mount_setattr
	SYS_mount_setattr,
#endif
#ifdef SYS_pidfd_getfd
	SYS_pidfd_getfd,
#endif
#ifdef SYS_io_uring_setup
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
#ifdef SYS_quotactl_fd
	SYS_quotactl_fd,
#endif
};

const char *const seccomp_deny_names[] = {
	"keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
	"mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
	"move_mount", "open_tree", "mount_setattr", "setns", "unshare(CLONE_NEWUSER)",
	"clone(CLONE_NEWUSER)", "clone3 (ENOSYS)", "ptrace", "process_vm_readv", "process_vm_writev",
	"pidfd_getfd", "kcmp", "kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "iopl", "ioperm",
	"open_by_handle_at", "name_to_handle_at", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "fanotify_init", "vhangup", "ioctl TIOCSTI", "ioctl TIOCLINUX",
	"ioctl TIOCCONS", NULL,
};

#define SECCOMP_DENY_MAXPROG 160

struct seccomp_deny_prog {
	struct sock_filter f[SECCOMP_DENY_MAXPROG];
	unsigned short n;
};

static void seccomp_deny_add(struct seccomp_deny_prog *p, struct sock_filter ins)
{
	if (p->n < SECCOMP_DENY_MAXPROG)
		p->f[p->n] = ins;
	p->n++;
}

#define SD_STMT(c, k) ((struct sock_filter)BPF_STMT((c), (k)))
#define SD_JUMP(c, k, t, f) ((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))
#define SD_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define SD_ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#define SD_RET(v) SD_STMT(BPF_RET | BPF_K, (v))
#define SD_EPERM (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define SD_ENOSYS (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))

/* if nr == call: A = arg's low word; refuse when (A & mask) != 0, else allow */
static void seccomp_deny_flag(struct seccomp_deny_prog *p, int nr, int arg, uint32_t mask)
{
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4));
	seccomp_deny_add(p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, SD_ARG_LO(arg)));
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1));
	seccomp_deny_add(p, SD_RET(SD_EPERM));
	seccomp_deny_add(p, SD_RET(SECCOMP_RET_ALLOW));
}

/* if nr == call and the 64-bit argument len > limit (and, for mmap, the
 * mapping is accessible): kill; else allow */
static void seccomp_deny_size(struct seccomp_deny_prog *p, int nr, int arg, uint64_t limit, int prot_arg)
{
	uint32_t hi = (uint32_t)(limit >> 32), lo = (uint32_t)limit;
	int tail = prot_arg >= 0 ? 3 : 1; /* instructions after the size test before "kill" */
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, (uint8_t)(6 + tail)));
	seccomp_deny_add(p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, SD_ARG_HI(arg)));
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JGT | BPF_K, hi, 3, 0));      /* larger: to the prot test */
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, hi, 0, (uint8_t)(2 + tail))); /* smaller: allow */
	seccomp_deny_add(p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, SD_ARG_LO(arg)));
	seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JGT | BPF_K, lo, 0, (uint8_t)tail));
	if (prot_arg >= 0) {
		/* PROT_NONE reservations (malloc's arenas, runtimes' address
		 * space) take no memory: only the limit itself refuses them */
		seccomp_deny_add(p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, SD_ARG_LO(prot_arg)));
		seccomp_deny_add(p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
	}
	seccomp_deny_add(p, SD_RET(SECCOMP_RET_KILL_PROCESS));
	seccomp_deny_add(p, SD_RET(SECCOMP_RET_ALLOW));
}

int seccomp_deny_install(uint64_t mem_limit)
{
	struct seccomp_deny_prog p = { .n = 0 };
	seccomp_deny_add(&p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_DENY_ARCH, 1, 0));
	seccomp_deny_add(&p, SD_RET(SD_ENOSYS));
	seccomp_deny_add(&p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
	/* x32 calls: the same numbers with bit 30 set */
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
	seccomp_deny_add(&p, SD_RET(SD_ENOSYS));
#endif
	for (size_t i = 0; i < sizeof seccomp_deny_nrs / sizeof seccomp_deny_nrs[0]; i++) {
		seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)seccomp_deny_nrs[i], 0, 1));
		seccomp_deny_add(&p, SD_RET(SD_EPERM));
	}
#ifdef SYS_clone3
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1));
	seccomp_deny_add(&p, SD_RET(SD_ENOSYS));
#endif
	/* ioctl: the command is an unsigned int, so only the low word counts */
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 6));
	seccomp_deny_add(&p, SD_STMT(BPF_LD | BPF_W | BPF_ABS, SD_ARG_LO(1)));
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_DENY_TIOCSTI, 2, 0));
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_DENY_TIOCLINUX, 1, 0));
	seccomp_deny_add(&p, SD_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_DENY_TIOCCONS, 0, 1));
	seccomp_deny_add(&p, SD_RET(SD_EPERM));
	seccomp_deny_add(&p, SD_RET(SECCOMP_RET_ALLOW));
	seccomp_deny_flag(&p, SYS_unshare, 0, CLONE_NEWUSER);
	seccomp_deny_flag(&p, SYS_clone, 0, CLONE_NEWUSER);
	if (mem_limit) {
		seccomp_deny_size(&p, SYS_mmap, 1, mem_limit, 2);
		seccomp_deny_size(&p, SYS_mremap, 2, mem_limit, -1);
	}
	seccomp_deny_add(&p, SD_RET(SECCOMP_RET_ALLOW));
	if (p.n > SECCOMP_DENY_MAXPROG) {
		errno = E2BIG;
		return -1;
	}
	struct sock_fprog prog = { .len = p.n, .filter = p.f };
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}
