/* confine-fs — a host's view of the filesystem, in a mount namespace of its
 * own that the lab's init builds once per host and every process of the
 * host joins (so processes of one host share /tmp, as on one machine):
 *
 * - every mount of the machine read-only (recursively);
 * - fresh tmpfs on /tmp, /var/tmp, /run (no machine unix socket reachable),
 *   and a minimal /dev of its own (null, zero, full, random, urandom, tty,
 *   a fresh /dev/shm and /dev/pts): no terminal of the machine is there;
 * - the homes (/home, /root, the invoking user's) under empty read-only
 *   tmpfs; the host's own home, writable, at /home/NAME;
 * - folders to show (the lesson's, shares) bound read-only at their own
 *   path when a hidden place covered them;
 * - /etc/hosts naming the lab's hosts; /proc of the lab's pid namespace;
 *   /sys of the host's network namespace.
 *
 * Modelled on what bubblewrap does for its sandboxes, built with plain
 * mount(2) calls by a process that holds the capabilities of the lab's user
 * namespace (mounts copied from the machine's namespace are locked: they
 * cannot be unmounted to reveal what lies under them). */
#ifndef DOORWAY_CONFINE_FS_H
#define DOORWAY_CONFINE_FS_H

#include <stdbool.h>
#include <sys/types.h>

struct confine_fs {
	const char *host;            /* the host's name */
	const char *home_src;        /* folder to bind as its home (run folder's hosts/NAME); NULL: a tmpfs */
	const char *const *hide;     /* folders hidden under an empty tmpfs */
	int nhide;
	const char *const *show;     /* folders shown read-only (the lesson's, shares) */
	int nshow;
	const char *const *rw;       /* folders kept writable (a sanitizer build's report folder) */
	int nrw;
	const char *etc_hosts;       /* the text of /etc/hosts */
	uid_t owner;                 /* owner of the home, in the lab's user namespace */
	unsigned long long tmp_size; /* bytes in each fresh /tmp, /var/tmp, /dev/shm and tmpfs home */
};

/* In the calling process: unshare the mount namespace and build the view.
 * home gets where the host's home is (64 bytes). 0, or -1 with err (the
 * namespace may be half built: the caller leaves it). */
int confine_fs_build(const struct confine_fs *f, char *home, char *err);

#endif
