/* seccomp-deny — the system calls a socket lesson never needs, refused.
 *
 * A classic-BPF deny-list installed with SECCOMP_SET_MODE_FILTER (after
 * PR_SET_NO_NEW_PRIVS) just before a lab program is executed. Every other
 * call is allowed, so another filter (a tracer's user-notification filter)
 * can be stacked on top: the kernel runs all of them and the strictest
 * answer wins.
 *
 * Refused with EPERM: keyrings (keyctl, add_key, request_key), bpf,
 * perf_event_open, userfaultfd, every mount call (mount, umount2,
 * pivot_root, chroot, fsopen/fsconfig/fsmount/fspick, move_mount,
 * open_tree, mount_setattr), setns, new user namespaces (unshare or clone
 * with CLONE_NEWUSER; clone3 answers ENOSYS so libc falls back to clone),
 * ptrace, process_vm_readv/writev, pidfd_getfd, kcmp, kexec_load,
 * kexec_file_load, init/finit/delete_module, reboot, swapon/swapoff, acct,
 * quotactl, syslog, iopl/ioperm, open_by_handle_at, name_to_handle_at,
 * io_uring_setup/enter/register, fanotify_init, vhangup; and the
 * terminal-injection ioctls TIOCSTI, TIOCLINUX and TIOCCONS (compared on
 * the low 32 bits, as the kernel reads the command). System calls of
 * another architecture (i386 through int 0x80, x32) answer ENOSYS.
 *
 * When a memory limit is given, a mapping larger than the limit at once
 * (mmap with any access, or mremap to that size) kills the process with
 * SIGSYS, so the report can say it hit the memory limit (the address-space
 * limit itself only makes such calls fail). */
#ifndef DOORWAY_SECCOMP_DENY_H
#define DOORWAY_SECCOMP_DENY_H

#include <stdint.h>

/* Install on the calling thread (no_new_privs must be set). mem_limit 0:
 * no memory rule. 0, or -1 with errno. */
int seccomp_deny_install(uint64_t mem_limit);

/* The names of the refused calls, for README and --check -v. */
extern const char *const seccomp_deny_names[];

#endif
