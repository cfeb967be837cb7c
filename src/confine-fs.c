#include "confine-fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define CONFINE_FS_ATTR_RDONLY 0x1 /* MOUNT_ATTR_RDONLY */

/* struct mount_attr of mount_setattr(2), spelled out for older headers */
struct confine_fs_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static const char *const confine_fs_devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
#define CONFINE_FS_NDEVS (sizeof confine_fs_devs / sizeof confine_fs_devs[0])
#define CONFINE_FS_MAXSHOW 32

static bool confine_fs_isdir(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Read-only: path's mount, and with rec every mount below it. */
static int confine_fs_ro(const char *path, bool rec, char *err)
{
	struct confine_fs_attr a = { .attr_set = CONFINE_FS_ATTR_RDONLY };
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, rec ? AT_RECURSIVE : 0, &a, sizeof a) == 0)
		return 0;
	if (errno != ENOSYS)
		return util_err(err, "make %s read-only: %s", path, strerror(errno));
	/* before Linux 5.12: one mount at a time, keeping each one's flags */
	FILE *mi = fopen("/proc/self/mountinfo", "re");
	if (!mi)
		return util_err(err, "open /proc/self/mountinfo: %s", strerror(errno));
	char line[4096];
	size_t plen = strlen(path);
	int rc = 0;
	while (fgets(line, sizeof line, mi)) {
		char mp[PATH_MAX], opts[256];
		if (sscanf(line, "%*d %*d %*s %*s %4095s %255s", mp, opts) != 2)
			continue;
		bool under = strcmp(mp, path) == 0 ||
			(rec && (plen == 1 || (strncmp(mp, path, plen) == 0 && mp[plen] == '/')));
		if (!under)
			continue;
		unsigned long fl = MS_BIND | MS_REMOUNT | MS_RDONLY;
		if (strstr(opts, "nosuid"))
			fl |= MS_NOSUID;
		if (strstr(opts, "nodev"))
			fl |= MS_NODEV;
		if (strstr(opts, "noexec"))
			fl |= MS_NOEXEC;
		if (mount(NULL, mp, NULL, fl, NULL) < 0 && errno != EACCES && errno != ENOENT) {
			rc = util_err(err, "make %s read-only: %s", mp, strerror(errno));
			break;
		}
	}
	fclose(mi);
	return rc;
}

static int confine_fs_tmpfs(const char *path, const char *opts, char *err)
{
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return util_err(err, "mount a tmpfs on %s: %s", path, strerror(errno));
	return 0;
}

/* Bind what fd (O_PATH) refers to onto path, read-only unless rw. */
static int confine_fs_bind_fd(int fd, const char *path, bool rw, char *err)
{
	char src[64];
	snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
	if (mount(src, path, NULL, MS_BIND, NULL) < 0)
		return util_err(err, "bind onto %s: %s", path, strerror(errno));
	/* a bind keeps its source's flags: read-only, as the machine now is */
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (rw ? 0 : MS_RDONLY), NULL) < 0)
		return util_err(err, "make %s %s: %s", path, rw ? "writable" : "read-only", strerror(errno));
	return 0;
}

/* mkdir -p inside the tmpfs that now covers path's upper part. */
static int confine_fs_mkdirs(const char *path, char *err)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s", path);
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				return util_err(err, "create %s in the lab's view: %s", p, strerror(errno));
			*s = c;
			if (!c)
				return 0;
		}
	}
}

/* A minimal /dev: the harmless devices bound from the machine, links, a
 * fresh shm and pts. No disk, no terminal, no console of the machine. */
static int confine_fs_dev(unsigned long long tmp_size, char *err)
{
	int fds[CONFINE_FS_NDEVS];
	for (size_t i = 0; i < CONFINE_FS_NDEVS; i++) {
		char p[32];
		snprintf(p, sizeof p, "/dev/%s", confine_fs_devs[i]);
		fds[i] = open(p, O_PATH | O_CLOEXEC);
	}
	int rc = -1;
	if (confine_fs_tmpfs("/dev", "mode=0755,size=64k", err) < 0)
		goto out;
	for (size_t i = 0; i < CONFINE_FS_NDEVS; i++) {
		if (fds[i] < 0)
			continue;
		char p[32];
		snprintf(p, sizeof p, "/dev/%s", confine_fs_devs[i]);
		int f = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (f < 0) {
			util_err(err, "create %s: %s", p, strerror(errno));
			goto out;
		}
		close(f);
		char src[64];
		snprintf(src, sizeof src, "/proc/self/fd/%d", fds[i]);
		if (mount(src, p, NULL, MS_BIND, NULL) < 0) {
			util_err(err, "bind %s: %s", p, strerror(errno));
			goto out;
		}
	}
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
		{ "pts/ptmx", "/dev/ptmx" },
	};
	for (size_t i = 0; i < UTIL_ARRAY_LEN(links); i++)
		if (symlink(links[i][0], links[i][1]) < 0) {
			util_err(err, "create %s: %s", links[i][1], strerror(errno));
			goto out;
		}
	if (mkdir("/dev/shm", 01777) < 0 || mkdir("/dev/pts", 0755) < 0) {
		util_err(err, "create /dev/shm, /dev/pts: %s", strerror(errno));
		goto out;
	}
	char opts[64];
	snprintf(opts, sizeof opts, "mode=1777,size=%llu", tmp_size);
	if (confine_fs_tmpfs("/dev/shm", opts, err) < 0)
		goto out;
	/* a pty of its own (script, expect); the machine's terminals are not there */
	mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620");
	rc = confine_fs_ro("/dev", false, err);
out:
	for (size_t i = 0; i < CONFINE_FS_NDEVS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

static int confine_fs_write(const char *path, const char *text, char *err)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 || util_write_all(fd, text, strlen(text)) < 0) {
		util_err(err, "write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int confine_fs_build(const struct confine_fs *f, char *home, char *err)
{
	/* the folders to show: read-only ones, then writable ones */
	int showfd[CONFINE_FS_MAXSHOW];
	struct stat showst[CONFINE_FS_MAXSHOW];
	const char *showpath[CONFINE_FS_MAXSHOW];
	int nshow = 0, nro;
	for (int i = 0; i < f->nshow && nshow < CONFINE_FS_MAXSHOW; i++)
		showpath[nshow++] = f->show[i];
	nro = nshow;
	for (int i = 0; i < f->nrw && nshow < CONFINE_FS_MAXSHOW; i++)
		showpath[nshow++] = f->rw[i];
	int homefd = -1, rc = -1;
	for (int i = 0; i < nshow; i++)
		showfd[i] = -1;
	if (unshare(CLONE_NEWNS) < 0) {
		util_err(err, "create a mount namespace: %s", strerror(errno));
		goto out;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		util_err(err, "make the lab's mounts private: %s", strerror(errno));
		goto out;
	}
	/* opened in the new namespace: a bind takes its source from there */
	for (int i = 0; i < nshow; i++) {
		showfd[i] = open(showpath[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (showfd[i] >= 0 && fstat(showfd[i], &showst[i]) < 0) {
			close(showfd[i]);
			showfd[i] = -1;
		}
	}
	if (f->home_src) {
		homefd = open(f->home_src, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (homefd < 0) {
			util_err(err, "open %s: %s", f->home_src, strerror(errno));
			goto out;
		}
	}
	/* the machine's files: read-only, every mount of them */
	if (confine_fs_ro("/", true, err) < 0)
		goto out;
	/* fresh places to write, nothing of the machine's in them, each
	 * bounded (tmpfs is memory, outside any process's limit) */
	char tmpopts[64];
	snprintf(tmpopts, sizeof tmpopts, "mode=1777,size=%llu", f->tmp_size);
	if (confine_fs_tmpfs("/tmp", tmpopts, err) < 0 ||
	    (confine_fs_isdir("/var/tmp") && confine_fs_tmpfs("/var/tmp", tmpopts, err) < 0) ||
	    (confine_fs_isdir("/run") && confine_fs_tmpfs("/run", "mode=0755,size=16m", err) < 0) ||
	    confine_fs_dev(f->tmp_size, err) < 0)
		goto out;
	/* the homes: empty */
	bool hidden[CONFINE_FS_MAXSHOW] = { false };
	int nhide = f->nhide < CONFINE_FS_MAXSHOW ? f->nhide : CONFINE_FS_MAXSHOW;
	for (int i = 0; i < nhide; i++) {
		if (!confine_fs_isdir(f->hide[i]))
			continue;
		if (confine_fs_tmpfs(f->hide[i], "mode=0755,size=64k", err) < 0)
			goto out;
		hidden[i] = true;
	}
	/* the host's own home */
	snprintf(home, 64, "%s/%s", confine_fs_isdir("/home") ? "/home" : "/tmp", f->host);
	if (confine_fs_mkdirs(home, err) < 0)
		goto out;
	if (homefd >= 0) {
		if (confine_fs_bind_fd(homefd, home, true, err) < 0)
			goto out;
	} else {
		char opts[96];
		snprintf(opts, sizeof opts, "mode=0700,uid=%u,gid=%u,size=%llu", (unsigned)f->owner, (unsigned)f->owner,
			 f->tmp_size);
		if (confine_fs_tmpfs(home, opts, err) < 0)
			goto out;
	}
	/* what the lesson may read, where it was, when a hidden place covers it */
	for (int i = 0; i < nshow; i++) {
		struct stat now;
		bool rw = i >= nro;
		if (showfd[i] < 0 || (!rw && stat(showpath[i], &now) == 0 && now.st_dev == showst[i].st_dev &&
				      now.st_ino == showst[i].st_ino))
			continue;
		if (confine_fs_mkdirs(showpath[i], err) < 0 || confine_fs_bind_fd(showfd[i], showpath[i], rw, err) < 0)
			goto out;
	}
	/* a home inside a folder shown again is hidden again */
	for (int i = 0; i < nhide; i++) {
		if (!hidden[i] && confine_fs_isdir(f->hide[i])) {
			if (confine_fs_tmpfs(f->hide[i], "mode=0755,size=64k", err) < 0)
				goto out;
			hidden[i] = true;
		}
		if (hidden[i] && confine_fs_ro(f->hide[i], false, err) < 0)
			goto out;
	}
	/* /etc/hosts: the lab's hosts by name */
	struct stat hs;
	if (stat("/etc/hosts", &hs) == 0 && S_ISREG(hs.st_mode) && confine_fs_isdir("/run")) {
		if (mkdir("/run/doorway", 0755) < 0 || confine_fs_write("/run/doorway/hosts", f->etc_hosts, err) < 0)
			goto out;
		if (mount("/run/doorway/hosts", "/etc/hosts", NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, "/etc/hosts", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
			util_err(err, "bind /etc/hosts: %s", strerror(errno));
			goto out;
		}
	}
	/* the lab's own processes and network (the caller is in the host's
	 * network namespace and the lab's pid namespace); a kernel that
	 * refuses proc (a container masking parts of it) gets an empty one */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) < 0 &&
	    confine_fs_tmpfs("/proc", "mode=0555,size=4k", err) < 0)
		goto out;
	mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
	rc = 0;
out:
	for (int i = 0; i < nshow; i++)
		if (showfd[i] >= 0)
			close(showfd[i]);
	if (homefd >= 0)
		close(homefd);
	return rc;
}
