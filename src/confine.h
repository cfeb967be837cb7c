/* confine — the walls around every lab process (agents and the programs of
 * exec steps), set up by doorway itself, the same whether doorway runs as
 * a user or as root. Layer by layer (README, "Confinement"):
 *
 * 1. session: its own (setsid), no controlling terminal; stdin /dev/null,
 *    stdout and stderr doorway's pipes.
 * 2. environment: PATH, HOME, LANG/LC_*, TERM=dumb, USER, LOGNAME,
 *    HOSTNAME, then the scenario's env statements; nothing else.
 * 3. files: the host's mount namespace (confine-fs.h): the machine
 *    read-only, fresh /tmp /var/tmp /run /dev/shm, a /dev of its own, the
 *    homes hidden, a writable home per host (the run folder's hosts/NAME),
 *    the lesson's folder and shares read-only, /etc/hosts of the lab, /proc
 *    of the lab; Landlock as a second wall on writes (confine-landlock.h).
 * 4. privileges: no capabilities (bounding set emptied, securebits locked so
 *    exec gives none back), no_new_privs, not dumpable until exec; started
 *    as root, the processes are CONFINE_LAB_ID (nobody outside the lab).
 * 5. limits (exec'd programs): address space, processes, file size, open
 *    files, CPU time: the scenario's limit statements, else class defaults.
 * 6. system calls: the deny-list of seccomp-deny.h (exec'd programs).
 *
 * The network (its own namespace per host, routes to the lab only) and the
 * pid namespace are lab.h's. */
#ifndef DOORWAY_CONFINE_H
#define DOORWAY_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scenario.h"

#define CONFINE_LAB_ID 1         /* the lab's id of its processes when started as root */
#define CONFINE_MAX_PATHS 24
#define CONFINE_MAX_PASS 16      /* DOORWAY_PASS_ENV names kept */

/* Class defaults of the limit statements. */
#define CONFINE_DEFAULT_MEMORY (1ull << 30)      /* 1 GiB of address space */
#define CONFINE_DEFAULT_PROCESSES 128
#define CONFINE_DEFAULT_FILES (256ull << 20)     /* 256 MiB per file */
#define CONFINE_DEFAULT_FDS 1024
#define CONFINE_DEFAULT_CPU 60                   /* seconds */

struct confine {
	const struct scenario *sc;
	bool drop_ids;               /* started as root: become CONFINE_LAB_ID */
	char *homes;                 /* the run folder's hosts/ (absolute); NULL: a tmpfs home per host */
	char *hide[CONFINE_MAX_PATHS];
	int nhide;
	char *show[CONFINE_MAX_PATHS];
	int nshow;
	char *rw[2];                 /* ASAN_OPTIONS/UBSAN_OPTIONS log_path folders: agents' reports */
	int nrw;
	char *lesson_dir;            /* the lesson file's folder (absolute, shown read-only), or NULL:
				      * exec's relative paths to files beside the lesson are made absolute */
	char *base_env[CONFINE_MAX_PATHS + CONFINE_MAX_PASS]; /* PATH=, LANG=, LC_*=, passed names */
	int nbase;
	char *etc_hosts;
	char *prog[SC_MAX_PROCS];    /* exec ./prog: made absolute from doorway's folder (NULL: as written) */
	/* built by confine_hosts (in the lab's init) */
	int mntns[SC_MAX_HOSTS];
	char home[SC_MAX_HOSTS][64];
};

/* doorway, before the lab's processes start: what to hide and show, the
 * environment's base. user: doorway's uid outside the lab. homes: the run
 * folder (its hosts/ is made here), or NULL. */
struct confine *confine_plan(const struct scenario *sc, uid_t user, bool drop_ids, const char *run_dir);
void confine_free(struct confine *cf);

/* The lab's init: one mount namespace per host, each built by a child of
 * its own (host_netns[h] for the host's /sys). 0, or -1 with err. */
int confine_hosts(struct confine *cf, const int *host_netns, char *err);

/* A lab process, still holding the lab's capabilities: its own session,
 * its host's view and name, its home as working folder, then no
 * privileges left. 0, or -1 with err. */
int confine_enter(const struct confine *cf, int host, char *err);

/* Right before a program is executed for process p: the environment, the
 * limits, Landlock, the seccomp deny-list. 0, or -1 with err. */
int confine_exec(const struct confine *cf, int p, char *err);

/* The program process p executes: argv0, or, for a relative path with a
 * '/' (./server), that path from the folder doorway was started in (the
 * program's working folder is its home). */
const char *confine_program(const struct confine *cf, int p, const char *argv0);

/* The limit in force (the scenario's, else the default). */
uint64_t confine_limit(const struct scenario *sc, enum sc_limit l);
/* "512 MiB", "128", "10 s". */
void confine_limit_format(enum sc_limit l, uint64_t v, char *out, size_t outlen);
/* A process's end caused by a limit: "killed: memory limit 512 MiB".
 * status as from waitpid, cpu_ns its CPU time (0 unknown). */
bool confine_killed(const struct scenario *sc, int status, uint64_t cpu_ns, char *out, size_t outlen);

/* A program that failed (status) after its memory grew near the memory
 * limit (peak resident bytes at least 3/4 of it): " (memory limit 512 MiB
 * reached: 480 MiB resident)" into out, else nothing. A limit's kill is
 * confine_killed's. */
bool confine_near_limit(const struct scenario *sc, int status, uint64_t maxrss, char *out, size_t outlen);

/* What a lab process can and cannot reach, layer by layer, one line each
 * (doorway --check -v). */
void confine_describe(const struct scenario *sc, void (*line)(const char *text, void *arg), void *arg);

#endif
