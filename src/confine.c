#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine-fs.h"
#include "confine-landlock.h"
#include "ctl.h"
#include "seccomp-deny.h"
#include "util.h"

#define CONFINE_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Where a lab program may write (Landlock), besides its home. */
static const char *const confine_rw_dirs[] = { "/tmp", "/var/tmp", "/run", "/dev/shm", "/dev/pts" };
static const char *const confine_rw_files[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random",
						"/dev/urandom", "/dev/tty", "/dev/ptmx" };

/* Never hidden even when a home says so (HOME=/ or a system folder). */
static const char *const confine_system_dirs[] = { "/", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64",
						   "/var", "/opt", "/proc", "/sys", "/dev", "/tmp", "/run" };

static void confine_add_hide(struct confine *cf, const char *path)
{
	if (!path || path[0] != '/' || cf->nhide >= CONFINE_MAX_PATHS)
		return;
	char real[PATH_MAX];
	if (!realpath(path, real))
		return;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(confine_system_dirs); i++)
		if (strcmp(real, confine_system_dirs[i]) == 0)
			return;
	for (int i = 0; i < cf->nhide; i++)
		if (strcmp(cf->hide[i], real) == 0)
			return;
	cf->hide[cf->nhide++] = xstrdup(real);
}

static void confine_add_env(struct confine *cf, const char *name, const char *value)
{
	if (value && cf->nbase < (int)UTIL_ARRAY_LEN(cf->base_env))
		xasprintf(&cf->base_env[cf->nbase++], "%s=%s", name, value);
}

static void confine_etc_hosts(struct confine *cf, const struct scenario *sc)
{
	struct buf b = { 0 };
	buf_addstr(&b, "# the lab's hosts (doorway)\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	for (int h = 0; h < sc->nhosts; h++) {
		char a[64];
		if (sc->hosts[h].has4) {
			sc_addr_format(&sc->hosts[h].addr4, a, sizeof a);
			buf_printf(&b, "%s\t%s\n", a, sc->hosts[h].name);
		}
		if (sc->hosts[h].has6) {
			sc_addr_format(&sc->hosts[h].addr6, a, sizeof a);
			buf_printf(&b, "%s\t%s\n", a, sc->hosts[h].name);
		}
	}
	buf_addc(&b, '\0');
	cf->etc_hosts = b.p;
}

struct confine *confine_plan(const struct scenario *sc, uid_t user, bool drop_ids, const char *run_dir)
{
	struct confine *cf = xcalloc(1, sizeof *cf);
	cf->sc = sc;
	cf->drop_ids = drop_ids;
	for (int h = 0; h < SC_MAX_HOSTS; h++)
		cf->mntns[h] = -1;
	/* homes: every user's, root's, doorway's own and its caller's (sudo) */
	confine_add_hide(cf, "/home");
	confine_add_hide(cf, "/root");
	confine_add_hide(cf, getenv("HOME"));
	struct passwd *pw = getpwuid(user);
	if (pw)
		confine_add_hide(cf, pw->pw_dir);
	const char *sudo = getenv("SUDO_USER");
	if (sudo && (pw = getpwnam(sudo)))
		confine_add_hide(cf, pw->pw_dir);
	confine_add_hide(cf, getenv("XDG_RUNTIME_DIR"));
	/* shown read-only: the lesson's folder, then its shares */
	char real[PATH_MAX];
	if (sc->path && realpath(sc->path, real)) {
		char *slash = strrchr(real, '/');
		if (slash && slash != real)
			*slash = '\0';
		else
			snprintf(real, sizeof real, "/");
		if (strcmp(real, "/") != 0)
			cf->show[cf->nshow++] = xstrdup(real);
		cf->lesson_dir = xstrdup(real); /* exec runs there */
	}
	for (int i = 0; i < sc->nshares && cf->nshow < CONFINE_MAX_PATHS; i++)
		cf->show[cf->nshow++] = xstrdup(sc->share[i]);
	/* a sanitizer build (make check-asan) writes its reports, the
	 * agents' too, where its log_path says: that folder stays writable */
	static const char *const san[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS" };
	for (size_t i = 0; i < UTIL_ARRAY_LEN(san); i++) {
		const char *o = getenv(san[i]), *lp = o ? strstr(o, "log_path=") : NULL;
		if (!lp)
			continue;
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%.*s", (int)strcspn(lp + 9, ":"), lp + 9);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		if (dir[0] == '/' && realpath(dir, real) && strcmp(real, "/") != 0 &&
		    (cf->nrw == 0 || strcmp(cf->rw[0], real) != 0))
			cf->rw[cf->nrw++] = xstrdup(real);
	}
	/* homes kept in the run folder */
	if (run_dir && *run_dir && realpath(run_dir, real)) {
		xasprintf(&cf->homes, "%s/hosts", real);
		if (mkdir(cf->homes, 0755) < 0 && errno != EEXIST) {
			free(cf->homes);
			cf->homes = NULL;
		}
	}
	/* the environment's base: doorway's PATH and language, nothing else */
	const char *path = getenv("PATH");
	confine_add_env(cf, "PATH", path && *path ? path : CONFINE_DEFAULT_PATH);
	extern char **environ;
	for (char **e = environ; e && *e; e++)
		if ((strncmp(*e, "LANG=", 5) == 0 || strncmp(*e, "LANGUAGE=", 9) == 0 || strncmp(*e, "LC_", 3) == 0) &&
		    cf->nbase < CONFINE_MAX_PATHS)
			cf->base_env[cf->nbase++] = xstrdup(*e);
	/* names the person running doorway passes on (DOORWAY_PASS_ENV="A B") */
	const char *pass = getenv("DOORWAY_PASS_ENV");
	for (const char *p = pass; p && *p;) {
		size_t n = strcspn(p, " ,:");
		if (n > 0 && n < 64) {
			char name[64];
			memcpy(name, p, n);
			name[n] = '\0';
			confine_add_env(cf, name, getenv(name));
		}
		p += n;
		p += strspn(p, " ,:");
	}
	confine_etc_hosts(cf, sc);
	for (int p = 0; p < sc->nprocs; p++) {
		const struct sc_proc *sp = &sc->procs[p];
		const char *a0 = sp->is_exec && sp->nsteps ? sp->steps[sp->nsteps - 1].argv[0] : NULL;
		if (a0 && a0[0] != '/' && strchr(a0, '/') && realpath(a0, real))
			cf->prog[p] = xstrdup(real);
	}
	return cf;
}

const char *confine_program(const struct confine *cf, int p, const char *argv0)
{
	return cf && p >= 0 && p < SC_MAX_PROCS && cf->prog[p] ? cf->prog[p] : argv0;
}

void confine_free(struct confine *cf)
{
	if (!cf)
		return;
	for (int i = 0; i < cf->nhide; i++)
		free(cf->hide[i]);
	for (int i = 0; i < cf->nshow; i++)
		free(cf->show[i]);
	for (int i = 0; i < cf->nrw; i++)
		free(cf->rw[i]);
	free(cf->lesson_dir);
	for (int i = 0; i < cf->nbase; i++)
		free(cf->base_env[i]);
	for (int p = 0; p < SC_MAX_PROCS; p++)
		free(cf->prog[p]);
	for (int h = 0; h < SC_MAX_HOSTS; h++)
		if (cf->mntns[h] >= 0)
			close(cf->mntns[h]);
	free(cf->homes);
	free(cf->etc_hosts);
	free(cf);
}

/* ---- the lab's init: one view per host ---- */

/* In a child of init (a mount namespace cannot be left for the machine's
 * again): build host h's view, send its namespace back over sock. */
__attribute__((noreturn)) static void confine_host_child(struct confine *cf, int h, int netns, int sock)
{
	const struct scenario *sc = cf->sc;
	uid_t owner = cf->drop_ids ? CONFINE_LAB_ID : 0;
	const char *hide[CONFINE_MAX_PATHS], *show[CONFINE_MAX_PATHS];
	for (int i = 0; i < cf->nhide; i++)
		hide[i] = cf->hide[i];
	for (int i = 0; i < cf->nshow; i++)
		show[i] = cf->show[i];
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	/* data: the home's path, or what went wrong */
	char src[PATH_MAX], *err = (char *)m.data;
	int ns = -1;
	if (cf->homes) {
		snprintf(src, sizeof src, "%s/%s", cf->homes, sc->hosts[h].name);
		if ((mkdir(src, 0755) < 0 && errno != EEXIST) || chown(src, owner, owner) < 0) {
			util_err(err, "its home %s: %s", src, strerror(errno));
			goto out;
		}
	}
	const char *rw[2] = { cf->rw[0], cf->rw[1] };
	struct confine_fs f = {
		.host = sc->hosts[h].name, .home_src = cf->homes ? src : NULL,
		.hide = hide, .nhide = cf->nhide, .show = show, .nshow = cf->nshow, .rw = rw, .nrw = cf->nrw,
		.etc_hosts = cf->etc_hosts, .owner = owner,
		.tmp_size = confine_limit(sc, SC_LIMIT_FILES) + (1u << 20), /* room for one file at the limit */
	};
	if (setns(netns, CLONE_NEWNET) < 0) {
		util_err(err, "enter its network: %s", strerror(errno));
		goto out;
	}
	char home[64];
	if (confine_fs_build(&f, home, err) < 0)
		goto out;
	snprintf(err, UTIL_ERRLEN, "%s", home);
	if ((ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0)
		util_err(err, "open its mount namespace: %s", strerror(errno));
out:
	m.status = ns >= 0 ? 0 : -1;
	m.datalen = (uint32_t)strlen(err);
	_exit(ctl_send(sock, &m, ns) < 0);
}

int confine_hosts(struct confine *cf, const int *host_netns, char *err)
{
	const struct scenario *sc = cf->sc;
	for (int h = 0; h < sc->nhosts; h++) {
		int sp[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
			return util_err(err, "socketpair: %s", strerror(errno));
		pid_t pid = fork();
		if (pid < 0) {
			close(sp[0]);
			close(sp[1]);
			return util_err(err, "fork: %s", strerror(errno));
		}
		if (pid == 0) {
			close(sp[0]);
			confine_host_child(cf, h, host_netns[h], sp[1]);
		}
		close(sp[1]);
		struct ctl_msg m;
		int fd = -1;
		int r = ctl_recv(sp[0], &m, &fd);
		close(sp[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (r <= 0 || m.status != 0 || fd < 0) {
			if (fd >= 0)
				close(fd);
			return util_err(err, "host %s: %.*s", sc->hosts[h].name,
					r > 0 ? (int)m.datalen : 20, r > 0 ? (const char *)m.data : "its view was not built");
		}
		cf->mntns[h] = fd;
		snprintf(cf->home[h], sizeof cf->home[h], "%.*s", (int)(m.datalen < 63 ? m.datalen : 63),
			 (const char *)m.data);
	}
	return 0;
}

/* ---- a lab process ---- */

/* No capability left, and none to come back through exec (uid 0 of the
 * lab's user namespace would otherwise get them all again). */
static int confine_drop_privileges(bool drop_ids, char *err)
{
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
		  SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
		  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
		return util_err(err, "lock the securebits: %s", strerror(errno));
	for (int c = 0; c <= 63; c++)
		if (prctl(PR_CAPBSET_DROP, c) < 0 && errno != EINVAL)
			return util_err(err, "drop capability %d from the bounding set: %s", c, strerror(errno));
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (drop_ids) {
		/* started as root: nobody on the machine's files */
		if (setgroups(0, NULL) < 0 || setresgid(CONFINE_LAB_ID, CONFINE_LAB_ID, CONFINE_LAB_ID) < 0 ||
		    setresuid(CONFINE_LAB_ID, CONFINE_LAB_ID, CONFINE_LAB_ID) < 0)
			return util_err(err, "become the lab's user: %s", strerror(errno));
	}
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return util_err(err, "drop capabilities: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return util_err(err, "set no_new_privs: %s", strerror(errno));
	/* its memory is not open to the other lab processes (exec makes a
	 * program dumpable again, inside its own Landlock domain) */
	prctl(PR_SET_DUMPABLE, 0);
	return 0;
}

int confine_enter(const struct confine *cf, int host, char *err)
{
	if (setsid() < 0)
		return util_err(err, "setsid: %s", strerror(errno));
	if (cf->mntns[host] < 0 || setns(cf->mntns[host], CLONE_NEWNS) < 0)
		return util_err(err, "enter host %s's view of the files: %s", cf->sc->hosts[host].name, strerror(errno));
	const char *name = cf->sc->hosts[host].name;
	if (unshare(CLONE_NEWUTS) < 0 || sethostname(name, strlen(name)) < 0)
		return util_err(err, "host name %s: %s", name, strerror(errno));
	if (chdir(cf->home[host]) < 0)
		return util_err(err, "enter its home %s: %s", cf->home[host], strerror(errno));
	if (confine_drop_privileges(cf->drop_ids, err) < 0)
		return -1;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) /* a change of ids clears it */
		return util_err(err, "PR_SET_PDEATHSIG: %s", strerror(errno));
	return 0;
}

uint64_t confine_limit(const struct scenario *sc, enum sc_limit l)
{
	static const uint64_t defaults[SC_LIMIT_COUNT] = {
		[SC_LIMIT_MEMORY] = CONFINE_DEFAULT_MEMORY, [SC_LIMIT_PROCESSES] = CONFINE_DEFAULT_PROCESSES,
		[SC_LIMIT_FILES] = CONFINE_DEFAULT_FILES, [SC_LIMIT_FDS] = CONFINE_DEFAULT_FDS,
		[SC_LIMIT_CPU] = CONFINE_DEFAULT_CPU,
	};
	if ((unsigned)l >= SC_LIMIT_COUNT)
		return 0;
	return sc && sc->limit[l] ? sc->limit[l] : defaults[l];
}

void confine_limit_format(enum sc_limit l, uint64_t v, char *out, size_t outlen)
{
	if (l == SC_LIMIT_MEMORY || l == SC_LIMIT_FILES) {
		static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
		int u = 0;
		while (u < 4 && v >= 1024 && v % 1024 == 0) {
			v /= 1024;
			u++;
		}
		snprintf(out, outlen, "%llu %s", (unsigned long long)v, units[u]);
	} else if (l == SC_LIMIT_CPU) {
		snprintf(out, outlen, "%llu s", (unsigned long long)v);
	} else {
		snprintf(out, outlen, "%llu", (unsigned long long)v);
	}
}

static void confine_rlimit(int res, uint64_t v)
{
	struct rlimit cur, want;
	if (getrlimit(res, &cur) < 0)
		return;
	rlim_t lim = v > (uint64_t)RLIM_INFINITY - 2 ? RLIM_INFINITY : (rlim_t)v;
	if (cur.rlim_max != RLIM_INFINITY && lim > cur.rlim_max)
		lim = cur.rlim_max; /* cannot go above what doorway was given */
	want.rlim_cur = lim;
	want.rlim_max = lim;
	if (res == RLIMIT_CPU && (cur.rlim_max == RLIM_INFINITY || lim + 2 <= cur.rlim_max))
		want.rlim_max = lim + 2; /* SIGXCPU first, SIGKILL 2 s later */
	setrlimit(res, &want);
}

int confine_exec(const struct confine *cf, int p, char *err)
{
	const struct scenario *sc = cf->sc;
	int host = sc->procs[p].host;
	const char *name = sc->hosts[host].name;
	/* the environment: the base, the host's, the lesson's */
	if (clearenv() != 0)
		return util_err(err, "clearenv failed");
	for (int i = 0; i < cf->nbase; i++)
		if (putenv(cf->base_env[i]) != 0)
			return util_err(err, "putenv: %s", strerror(errno));
	if (setenv("HOME", cf->home[host], 1) < 0 || setenv("TERM", "dumb", 1) < 0 || setenv("USER", name, 1) < 0 ||
	    setenv("LOGNAME", name, 1) < 0 || setenv("HOSTNAME", name, 1) < 0)
		return util_err(err, "setenv: %s", strerror(errno));
	for (int i = 0; i < sc->nenv; i++)
		if (setenv(sc->env[i].name, sc->env[i].value, 1) < 0)
			return util_err(err, "env %s: %s", sc->env[i].name, strerror(errno));
	/* the limits */
	confine_rlimit(RLIMIT_NPROC, confine_limit(sc, SC_LIMIT_PROCESSES));
	confine_rlimit(RLIMIT_FSIZE, confine_limit(sc, SC_LIMIT_FILES));
	confine_rlimit(RLIMIT_NOFILE, confine_limit(sc, SC_LIMIT_FDS));
	confine_rlimit(RLIMIT_CPU, confine_limit(sc, SC_LIMIT_CPU));
	confine_rlimit(RLIMIT_CORE, 0);
	/* Landlock: writes only where the lab's view has writable places */
	const char *dirs[UTIL_ARRAY_LEN(confine_rw_dirs) + 1];
	int nd = 0;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(confine_rw_dirs); i++)
		dirs[nd++] = confine_rw_dirs[i];
	dirs[nd++] = cf->home[host];
	if (confine_landlock_apply(dirs, nd, confine_rw_files, (int)UTIL_ARRAY_LEN(confine_rw_files)) < 0)
		return util_err(err, "landlock: %s", strerror(errno));
	if (seccomp_deny_install(confine_limit(sc, SC_LIMIT_MEMORY)) < 0)
		return util_err(err, "seccomp: %s", strerror(errno));
	/* the address space last, after every allocation of doorway's own
	 * code: a sanitizer's reserved shadow already exceeds any limit, so
	 * an mmap after this one fails in an ASan build */
	confine_rlimit(RLIMIT_AS, confine_limit(sc, SC_LIMIT_MEMORY));
	return 0;
}

bool confine_killed(const struct scenario *sc, int status, uint64_t cpu_ns, char *out, size_t outlen)
{
	if (!WIFSIGNALED(status))
		return false;
	int sig = WTERMSIG(status);
	char v[32];
	uint64_t cpu = confine_limit(sc, SC_LIMIT_CPU);
	if (sig == SIGSYS) {
		confine_limit_format(SC_LIMIT_MEMORY, confine_limit(sc, SC_LIMIT_MEMORY), v, sizeof v);
		snprintf(out, outlen, "killed: memory limit %s (it asked for more at once)", v);
	} else if (sig == SIGXFSZ) {
		confine_limit_format(SC_LIMIT_FILES, confine_limit(sc, SC_LIMIT_FILES), v, sizeof v);
		snprintf(out, outlen, "killed: file size limit %s", v);
	} else if (sig == SIGXCPU || (sig == SIGKILL && cpu_ns >= cpu * 1000000000ull)) {
		confine_limit_format(SC_LIMIT_CPU, cpu, v, sizeof v);
		snprintf(out, outlen, "killed: cpu limit %s", v);
	} else {
		return false;
	}
	return true;
}

bool confine_near_limit(const struct scenario *sc, int status, uint64_t maxrss, char *out, size_t outlen)
{
	uint64_t lim = confine_limit(sc, SC_LIMIT_MEMORY);
	if (status == 0 || maxrss < lim / 4 * 3 || (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS))
		return false;
	char v[32];
	confine_limit_format(SC_LIMIT_MEMORY, lim, v, sizeof v);
	snprintf(out, outlen, " (memory limit %s reached: %llu MiB resident)", v, (unsigned long long)(maxrss >> 20));
	return true;
}

void confine_describe(const struct scenario *sc, void (*line)(const char *text, void *arg), void *arg)
{
	struct buf b = { 0 };
#define CONFINE_LINE(...)                  \
	do {                               \
		b.len = 0;                 \
		buf_printf(&b, __VA_ARGS__); \
		buf_addc(&b, '\0');        \
		line(b.p, arg);            \
	} while (0)
	CONFINE_LINE("confinement of every lab process (agents and exec programs):");
	CONFINE_LINE("  network: a namespace per host, routes to the lab's hosts only; no machine's abstract unix socket");
	CONFINE_LINE("  processes: a pid namespace of the lab; /proc shows the lab's processes only");
	CONFINE_LINE("  session: its own (setsid), no controlling terminal; stdin /dev/null, stdout and stderr "
		     "doorway's pipes; ioctl TIOCSTI, TIOCLINUX, TIOCCONS refused (seccomp)");
	b.len = 0;
	buf_addstr(&b, "  environment: PATH LANG LC_* (doorway's), HOME=/home/HOST TERM=dumb USER LOGNAME HOSTNAME=HOST");
	for (int i = 0; i < sc->nenv; i++)
		buf_printf(&b, " %s", sc->env[i].name);
	buf_addstr(&b, "; nothing else of doorway's environment");
	buf_addc(&b, '\0');
	line(b.p, arg);
	CONFINE_LINE("  files: the machine's read-only; fresh /tmp /var/tmp /run /dev/shm per host; /dev: null zero "
		     "full random urandom tty and its own pts; /home /root and the user's home hidden");
	CONFINE_LINE("  home: /home/HOST, writable, kept in the run folder's hosts/HOST (a tmpfs without recording)");
	b.len = 0;
	buf_addstr(&b, "  read-only: the lesson's folder");
	for (int i = 0; i < sc->nshares; i++)
		buf_printf(&b, ", %s", sc->share[i]);
	buf_addc(&b, '\0');
	line(b.p, arg);
	b.len = 0;
	buf_addstr(&b, "  /etc/hosts: localhost");
	for (int h = 0; h < sc->nhosts; h++)
		buf_printf(&b, ", %s", sc->hosts[h].name);
	buf_addc(&b, '\0');
	line(b.p, arg);
	int abi = confine_landlock_abi();
	if (abi > 0)
		CONFINE_LINE("  writes (Landlock ABI %d, a second wall): only in its home, /tmp, /var/tmp, /run, /dev/shm", abi);
	else
		CONFINE_LINE("  writes: Landlock is not available on this kernel (the read-only mounts still hold)");
	CONFINE_LINE("  privileges: no capabilities, no_new_privs; started as root, lab processes are nobody (65534)");
	b.len = 0;
	buf_addstr(&b, "  limits per program:");
	static const char *const what[SC_LIMIT_COUNT] = { "memory", "processes", "file size", "open files", "cpu" };
	for (int l = 0; l < SC_LIMIT_COUNT; l++) {
		char v[32];
		confine_limit_format((enum sc_limit)l, confine_limit(sc, (enum sc_limit)l), v, sizeof v);
		buf_printf(&b, "%s %s %s%s", l ? "," : "", what[l], v, sc->limit[l] ? " (limit statement)" : "");
	}
	buf_addc(&b, '\0');
	line(b.p, arg);
	b.len = 0;
	buf_addstr(&b, "  system calls refused (seccomp):");
	for (int i = 0; seccomp_deny_names[i]; i++)
		buf_printf(&b, " %s", seccomp_deny_names[i]);
	buf_addc(&b, '\0');
	line(b.p, arg);
#undef CONFINE_LINE
	buf_free(&b);
}
