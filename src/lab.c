#include "lab.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include "agent.h"
#include "confine.h"
#include "ctl.h"
#include "nl.h"
#include "util.h"

static bool lab_in_userns;
/* Started as root: lab processes give up root for CONFINE_LAB_ID (nobody
 * outside the lab) before they run anything. */
static bool lab_drop_ids;
static uid_t lab_user;   /* doorway's uid outside the lab */
#define LAB_PROCESS_ID_STR "1" /* CONFINE_LAB_ID */

static int lab_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = util_write_all(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/* Root only: after the caller has unshared its user namespace, a helper
 * still in the parent namespace writes maps with two ids: the lab's 0 is
 * root (doorway itself, to set the network up) and the lab's
 * LAB_PROCESS_UID is nobody outside, which every lab process becomes before
 * it runs anything. Only a process of the parent namespace may map ids
 * other than its own. */
static int lab_map_as_root(pid_t target, int go, int done)
{
	char c;
	if (read(go, &c, 1) != 1)
		return 1;
	char path[64];
	static const char map[] = "0 0 1\n" LAB_PROCESS_ID_STR " 65534 1\n";
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)target);
	if (lab_write_file(path, map) < 0)
		return 1;
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)target);
	if (lab_write_file(path, map) < 0)
		return 1;
	return write(done, "k", 1) == 1 ? 0 : 1;
}

int lab_enter_userns(char *err)
{
	if (lab_in_userns)
		return 0;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	lab_user = uid;
	int go[2] = { -1, -1 }, done[2] = { -1, -1 };
	pid_t helper = -1;
	if (uid == 0) {
		if (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
			fatal("pipe2");
		pid_t me = getpid();
		helper = fork();
		if (helper < 0)
			fatal("fork");
		if (helper == 0) {
			close(go[1]); /* or our own copy would keep the read from ending */
			close(done[0]);
			_exit(lab_map_as_root(me, go[0], done[1]));
		}
		close(go[0]);
		close(done[1]);
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		int e = errno;
		if (helper > 0) {
			close(go[1]);
			close(done[0]);
			waitpid(helper, NULL, 0);
		}
		if (e == ENOSPC)
			return util_err(err, "cannot create a user namespace: the limit is 0 "
					"(enable them: sudo sysctl -w user.max_user_namespaces=15000)");
		if (e == EINVAL || e == ENOSYS)
			return util_err(err, "cannot create a user namespace: this kernel has no "
					"user namespace support (CONFIG_USER_NS)");
		return util_err(err, "cannot create a user namespace: %s (enable unprivileged "
				"user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1; "
				"on Ubuntu 24.04 and later also "
				"sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0)",
				strerror(e));
	}
	if (helper > 0) {
		char c = 0;
		bool ok = write(go[1], "g", 1) == 1 && read(done[0], &c, 1) == 1 && c == 'k';
		close(go[1]);
		close(done[0]);
		while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
			;
		if (ok) {
			lab_drop_ids = true;
			lab_in_userns = true;
			return 0;
		}
		/* root of a user namespace that has no 65534 to give (nested):
		 * map only ourselves, as an unprivileged user would */
	}
	char map[64];
	if (lab_write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return util_err(err, "write /proc/self/setgroups: %s", strerror(errno));
	snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
	if (lab_write_file("/proc/self/uid_map", map) < 0 && !(helper > 0 && errno == EPERM))
		return util_err(err, "write /proc/self/uid_map: %s", strerror(errno));
	snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
	if (lab_write_file("/proc/self/gid_map", map) < 0)
		return util_err(err, "write /proc/self/gid_map: %s", strerror(errno));
	lab_in_userns = true;
	return 0;
}

static int lab_open_netns(char *err)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		util_err(err, "open /proc/self/ns/net: %s", strerror(errno));
	return fd;
}

/* EPERM from netlink inside a fresh user namespace usually means a security
 * module took the namespace's capabilities away (Ubuntu's AppArmor rule). */
static int lab_explain(char *err)
{
	if (strstr(err, "Operation not permitted")) {
		size_t l = strlen(err);
		snprintf(err + l, UTIL_ERRLEN - l, " (user namespaces are restricted here; on Ubuntu: "
			 "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0)");
	}
	return -1;
}

/* Turn segmentation and checksum offloads off on a link of the current
 * namespace, so every TCP segment the class sees on the wire is a real one
 * (no 64 KiB GSO super-packets, no merged GRO ones) and every checksum in a
 * recording is right. */
static int lab_no_offload(const char *ifname, char *err)
{
	static const uint32_t cmds[] = { ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO, ETHTOOL_STXCSUM };
	static const char *names[] = { "TSO", "GSO", "GRO", "tx checksum offload" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return util_err(err, "socket for ethtool on %s: %s", ifname, strerror(errno));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cmds); i++) {
		struct ethtool_value v = { .cmd = cmds[i], .data = 0 };
		struct ifreq ifr;
		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
		ifr.ifr_data = (void *)&v;
		if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 && errno != EOPNOTSUPP) {
			util_err(err, "turn %s off on %s: %s", names[i], ifname, strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static int lab_host_no_offload(void *arg)
{
	return lab_no_offload(LAB_HOST_IF, arg);
}

static bool lab_prefix_covers(const struct sc_addr *net, int prefix, const struct sc_addr *a)
{
	if (net->family != a->family)
		return false;
	int nbytes = a->family == AF_INET ? 4 : 16;
	for (int i = 0; i < nbytes && prefix > 0; i++, prefix -= 8) {
		uint8_t mask = prefix >= 8 ? 0xff : (uint8_t)(0xff << (8 - prefix));
		if ((net->bytes[i] & mask) != (a->bytes[i] & mask))
			return false;
	}
	return true;
}

static int lab_setup_host(struct lab *lab, struct nl *nlab, int h, char *err)
{
	const struct sc_host *sh = &lab->sc->hosts[h];
	struct lab_host *lh = &lab->hosts[h];
	int rc = -1;

	if (unshare(CLONE_NEWNET) < 0)
		return util_err(err, "create network namespace for host %s: %s", sh->name, strerror(errno));
	lh->netns = lab_open_netns(err);
	struct nl *nh = lh->netns >= 0 ? nl_open(err) : NULL;
	/* lab processes hold no privilege and may still open doors below
	 * 1024 (a DNS-like lesson's port 53): in this host's namespace only */
	if (lab_write_file("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0") < 0)
		util_err(err, "host %s: allow low ports: %s", sh->name, strerror(errno));
	if (setns(lab->labns, CLONE_NEWNET) < 0)
		fatal("return to the lab namespace");
	if (!nh)
		return -1;

	snprintf(lh->ifname, sizeof lh->ifname, "h%u-%.9s", (unsigned)h % 100u, sh->name);
	/* switch mode: the lab-side end stays on its own (doorway's switch
	 * reads and writes it) and has no address of its own to speak from */
	bool sw = lab->sc->switch_mode;
	if (nl_link_up(nh, "lo", err) < 0 ||
	    nl_veth_add(nlab, lh->ifname, LAB_HOST_IF, lh->netns, err) < 0 ||
	    (sw ? nl_addr_gen_none(nlab, lh->ifname, err) : nl_set_master(nlab, lh->ifname, LAB_BRIDGE, err)) < 0 ||
	    nl_link_up(nlab, lh->ifname, err) < 0 ||
	    lab_no_offload(lh->ifname, err) < 0 ||
	    nl_addr_gen_none(nh, LAB_HOST_IF, err) < 0 ||
	    nl_link_up(nh, LAB_HOST_IF, err) < 0) /* up first: IPv6 addresses wait for it */
		goto out;
	if (sh->has4 && nl_addr_add(nh, LAB_HOST_IF, AF_INET, sh->addr4.bytes, sh->prefix4, err) < 0)
		goto out;
	if (sh->has6 && nl_addr_add(nh, LAB_HOST_IF, AF_INET6, sh->addr6.bytes, sh->prefix6, err) < 0)
		goto out;
	/* Routes to the other hosts only: nothing else is reachable. */
	for (int j = 0; j < lab->sc->nhosts; j++) {
		const struct sc_host *o = &lab->sc->hosts[j];
		if (j == h)
			continue;
		if (sh->has4 && o->has4 && !lab_prefix_covers(&sh->addr4, sh->prefix4, &o->addr4) &&
		    nl_route_add(nh, LAB_HOST_IF, AF_INET, o->addr4.bytes, 32, err) < 0 && !strstr(err, "exists"))
			goto out;
		if (sh->has6 && o->has6 && !lab_prefix_covers(&sh->addr6, sh->prefix6, &o->addr6) &&
		    nl_route_add(nh, LAB_HOST_IF, AF_INET6, o->addr6.bytes, 128, err) < 0 && !strstr(err, "exists"))
			goto out;
	}
	if (lab_in_netns(lab, h, lab_host_no_offload, err, err) < 0)
		goto out;
	rc = 0;
out:
	nl_close(nh);
	return rc;
}

struct lab *lab_create(const struct scenario *sc, char *err)
{
	struct lab *lab = xcalloc(1, sizeof *lab);
	lab->sc = sc;
	lab->labns = -1;
	lab->outerns = -1;
	lab->init_pid = -1;
	lab->init_ctl = -1;
	lab->nhosts = sc->nhosts;
	lab->hosts = xcalloc((size_t)sc->nhosts, sizeof *lab->hosts);
	for (int h = 0; h < sc->nhosts; h++)
		lab->hosts[h].netns = -1;

	if (lab_enter_userns(err) < 0)
		goto fail;
	/* A fresh lab namespace each time (a restart leaves the old one to die). */
	if (unshare(CLONE_NEWNET) < 0) {
		util_err(err, "create the lab's network namespace: %s", strerror(errno));
		lab_explain(err);
		goto fail;
	}
	lab->labns = lab_open_netns(err);
	if (lab->labns < 0)
		goto fail;
	struct nl *nlab = nl_open(err);
	if (!nlab)
		goto fail;
	if (!sc->switch_mode && (nl_bridge_add(nlab, LAB_BRIDGE, err) < 0 || nl_link_up(nlab, LAB_BRIDGE, err) < 0)) {
		nl_close(nlab);
		lab_explain(err);
		goto fail;
	}
	for (int h = 0; h < sc->nhosts; h++) {
		if (lab_setup_host(lab, nlab, h, err) < 0) {
			nl_close(nlab);
			lab_explain(err);
			goto fail;
		}
	}
	nl_close(nlab);
	return lab;
fail:
	lab_destroy(lab);
	return NULL;
}

int lab_in_netns(struct lab *lab, int h, int (*fn)(void *), void *arg, char *err)
{
	int fd = h < 0 ? lab->labns : lab->hosts[h].netns;
	if (fd != lab->labns && setns(fd, CLONE_NEWNET) < 0)
		return util_err(err, "enter host %s's namespace: %s", lab->sc->hosts[h].name, strerror(errno));
	int r = fn(arg);
	if (fd != lab->labns && setns(lab->labns, CLONE_NEWNET) < 0)
		fatal("return to the lab namespace");
	return r;
}

/* ---- processes ---------------------------------------------------------- */

static void lab_close_range(int from)
{
	if (syscall(SYS_close_range, (unsigned)from, ~0u, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = from; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

/* In a forked child of init: become process p on its host, confined, then
 * run it. A process that cannot be confined does not run. */
__attribute__((noreturn)) static void lab_child(struct lab *lab, int p, int ctl, int out,
						void (*child_setup)(void))
{
	const struct sc_proc *sp = &lab->sc->procs[p];
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the pid ps shows: read from the machine's /proc, before the view
	 * of the lab's own replaces it */
	char self[32];
	ssize_t n = readlink("/proc/self", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	pid_t outer = n > 0 ? (pid_t)atoi(self) : getpid();
	if (setns(lab->hosts[sp->host].netns, CLONE_NEWNET) < 0)
		_exit(AGENT_EXIT_CONTROL);
	char err[UTIL_ERRLEN];
	if (confine_enter(lab->cf, sp->host, err) < 0) {
		dprintf(out, "doorway: cannot confine %s: %s\n", sp->name, err);
		_exit(AGENT_EXIT_CONTROL);
	}
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || dup2(ctl, 3) < 0)
		_exit(AGENT_EXIT_CONTROL);
	lab_close_range(4);
	if (child_setup)
		child_setup();
	agent_main(lab->sc, p, 3, outer, lab->cf);
}

struct lab_init {
	struct lab *lab;
	int ctl;            /* to doorway */
	pid_t *pid;         /* per process, in the lab's pid namespace */
	int running;
	uint64_t cpu_ns;    /* CPU time of the process being reported (CTL_EXITED) */
	long maxrss_kib;    /* and its peak resident memory */
};

static void lab_init_report(struct lab_init *in, int type, int p, int pid, int status)
{
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	m.type = (uint16_t)type;
	m.proc = (uint16_t)p;
	m.step = -1;
	m.pid = pid;
	m.status = status;
	m.result = (int64_t)in->cpu_ns;
	m.err = (int32_t)(in->maxrss_kib < INT32_MAX ? in->maxrss_kib : INT32_MAX);
	m.t_ns = util_now_real_ns();
	if (ctl_send(in->ctl, &m, -1) < 0)
		_exit(0); /* doorway is gone: dying takes the lab with us */
}

static int lab_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* init keeps only what it and the processes it forks need: doorway's other
 * descriptors (capture rings on the lab's links, the recording, the
 * terminal) are not the lab's, and a capture socket kept open here, by a
 * descriptor or a mapping, would stay in its fanout group after doorway
 * closed it (capture.c). */
static void lab_init_close_others(struct lab *lab, int ctl, const int *child_ctl, const int *out_w)
{
	int n = lab->sc->nprocs, nh = lab->nhosts, m = 0;
	int *keep = xcalloc((size_t)(2 * n + nh + 2), sizeof *keep);
	keep[m++] = ctl;
	for (int p = 0; p < n; p++) {
		keep[m++] = child_ctl[p];
		keep[m++] = out_w[p];
	}
	for (int h = 0; h < nh; h++)
		if (lab->hosts[h].netns >= 0)
			keep[m++] = lab->hosts[h].netns;
	keep[m++] = INT_MAX;
	qsort(keep, (size_t)m, sizeof *keep, lab_cmp_int);
	int from = 3;
	for (int i = 0; i < m; i++) {
		if (keep[i] > from && syscall(SYS_close_range, (unsigned)from,
					      keep[i] == INT_MAX ? ~0u : (unsigned)keep[i] - 1, 0) < 0)
			for (int fd = from; fd < (keep[i] == INT_MAX ? 1024 : keep[i]); fd++)
				close(fd);
		if (keep[i] == INT_MAX)
			break;
		if (keep[i] >= from)
			from = keep[i] + 1;
	}
	free(keep);
	/* nor the mappings of doorway's capture rings: a mapping holds its
	 * socket open as a descriptor does */
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	char line[512];
	unsigned long *r = NULL;
	size_t n_map = 0;
	unsigned long lo, hi;
	while (fgets(line, sizeof line, f))
		if (strstr(line, " socket:[") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			r = xreallocarray(r, n_map + 2, sizeof *r);
			r[n_map++] = lo;
			r[n_map++] = hi;
		}
	fclose(f);
	for (size_t i = 0; i < n_map; i += 2)
		munmap((void *)r[i], r[i + 1] - r[i]);
	free(r);
}

__attribute__((noreturn)) static void lab_init_main(struct lab *lab, int ctl, int *child_ctl,
						    int *out_w, void (*child_setup)(void))
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	lab_init_close_others(lab, ctl, child_ctl, out_w);
	prctl(PR_SET_NAME, "doorway-init");
	/* doorway may have died before PDEATHSIG was armed: then ctl is at EOF */
	struct pollfd lp = { ctl, POLLIN, 0 };
	if (poll(&lp, 1, 0) > 0 && (lp.revents & POLLHUP))
		_exit(0);

	int nprocs = lab->sc->nprocs;
	struct lab_init in = { lab, ctl, xcalloc((size_t)nprocs, sizeof(pid_t)), 0, 0, 0 };
	/* every host's view of the files, before any process runs */
	int netns[SC_MAX_HOSTS];
	for (int h = 0; h < lab->nhosts; h++)
		netns[h] = lab->hosts[h].netns;
	char err[UTIL_ERRLEN];
	if (confine_hosts(lab->cf, netns, err) < 0) {
		for (int p = 0; p < nprocs; p++) {
			dprintf(out_w[p], "doorway: cannot confine the lab: %s\n", err);
			lab_init_report(&in, CTL_EXITED, p, -1, AGENT_EXIT_CONTROL << 8);
		}
		_exit(0);
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		_exit(AGENT_EXIT_CONTROL);

	for (int p = 0; p < nprocs; p++) {
		pid_t pid = fork();
		if (pid < 0) {
			lab_init_report(&in, CTL_EXITED, p, -1, AGENT_EXIT_CONTROL << 8);
			continue;
		}
		if (pid == 0)
			lab_child(lab, p, child_ctl[p], out_w[p], child_setup);
		in.pid[p] = pid;
		in.running++;
		close(child_ctl[p]);
		close(out_w[p]);
		lab_init_report(&in, CTL_SPAWNED, p, pid, 0);
	}

	while (in.running > 0) {
		struct pollfd pf[2] = { { ctl, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(AGENT_EXIT_CONTROL);
		}
		if (pf[0].revents) {
			struct ctl_msg m;
			int fd;
			int r = ctl_recv(ctl, &m, &fd);
			if (fd >= 0)
				close(fd);
			if (r == 0 || (r < 0 && errno != EAGAIN))
				_exit(0);
			if (r > 0 && m.type == CTL_KILL && m.proc < nprocs && in.pid[m.proc] > 0)
				kill(-in.pid[m.proc], m.status);
		}
		if (pf[1].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				;
			int st;
			pid_t w;
			struct rusage ru;
			while ((w = wait4(-1, &st, WNOHANG, &ru)) > 0) {
				for (int p = 0; p < nprocs; p++) {
					if (in.pid[p] == w) {
						in.pid[p] = -1;
						in.running--;
						in.cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
							((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
						in.maxrss_kib = ru.ru_maxrss;
						lab_init_report(&in, CTL_EXITED, p, w, st);
						in.cpu_ns = 0;
						in.maxrss_kib = 0;
					}
				}
			}
		}
	}
	/* Every process has ended; leaving kills what they left behind. */
	_exit(0);
}

int lab_spawn(struct lab *lab, void (*child_setup)(void), const char *run_dir, char *err)
{
	int n = lab->sc->nprocs;
	confine_free(lab->cf);
	lab->cf = confine_plan(lab->sc, lab_user, lab_drop_ids, run_dir);
	int *child_ctl = xcalloc((size_t)n, sizeof(int));
	int *out_w = xcalloc((size_t)n, sizeof(int));
	lab->ctl = xcalloc((size_t)n, sizeof(int));
	lab->out = xcalloc((size_t)n, sizeof(int));
	for (int p = 0; p < n; p++) {
		int sp[2], pp[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
			fatal("socketpair");
		if (pipe2(pp, O_CLOEXEC) < 0)
			fatal("pipe2");
		lab->ctl[p] = sp[0];
		child_ctl[p] = sp[1];
		lab->out[p] = pp[0];
		out_w[p] = pp[1];
	}
	int isp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, isp) < 0)
		fatal("socketpair");
	fflush(NULL);
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		int e = errno;
		for (int p = 0; p < n; p++) {
			close(child_ctl[p]);
			close(out_w[p]);
		}
		close(isp[0]);
		close(isp[1]);
		free(child_ctl);
		free(out_w);
		return util_err(err, "start the lab's init process (clone CLONE_NEWPID): %s", strerror(e));
	}
	if (pid == 0) {
		close(isp[0]);
		for (int p = 0; p < n; p++) {
			close(lab->ctl[p]);
			close(lab->out[p]);
		}
		lab_init_main(lab, isp[1], child_ctl, out_w, child_setup);
	}
	close(isp[1]);
	for (int p = 0; p < n; p++) {
		close(child_ctl[p]);
		close(out_w[p]);
		fcntl(lab->ctl[p], F_SETFL, O_NONBLOCK);
		fcntl(lab->out[p], F_SETFL, O_NONBLOCK);
	}
	fcntl(isp[0], F_SETFL, O_NONBLOCK);
	free(child_ctl);
	free(out_w);
	lab->init_pid = pid;
	lab->init_ctl = isp[0];
	return 0;
}

int lab_kill(struct lab *lab, int p, int signo)
{
	if (lab->init_ctl < 0)
		return -1;
	struct ctl_msg m;
	memset(&m, 0, sizeof m);
	m.type = CTL_KILL;
	m.proc = (uint16_t)p;
	m.step = -1;
	m.status = signo;
	return ctl_send(lab->init_ctl, &m, -1);
}

static void lab_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void lab_destroy(struct lab *lab)
{
	if (!lab)
		return;
	if (lab->init_pid > 0) {
		kill(lab->init_pid, SIGKILL);
		while (waitpid(lab->init_pid, NULL, 0) < 0 && errno == EINTR)
			;
		lab->init_pid = -1;
	}
	lab_close(&lab->init_ctl);
	if (lab->ctl)
		for (int p = 0; p < lab->sc->nprocs; p++) {
			lab_close(&lab->ctl[p]);
			lab_close(&lab->out[p]);
		}
	free(lab->ctl);
	free(lab->out);
	lab->ctl = lab->out = NULL;
	for (int h = 0; h < lab->nhosts; h++)
		lab_close(&lab->hosts[h].netns);
	lab_close(&lab->labns);
	confine_free(lab->cf);
	free(lab->hosts);
	free(lab);
}
