/* lab — the private network and the processes that live in it.
 *
 * doorway enters a new user + network namespace once (lab_enter_userns); in
 * it, each lab is a fresh network namespace holding a bridge, and each host
 * is a network namespace of its own joined to the bridge by a veth pair
 * ("eth0" inside the host, "h<i>-<name>" on the bridge). Addresses and routes
 * are set over netlink; a host has routes only to the other hosts.
 *
 * Processes start under an init process that is pid 1 of a new pid
 * namespace: when doorway dies for any reason, init gets SIGKILL
 * (PR_SET_PDEATHSIG), the kernel kills every process of the lab with it, and
 * the namespaces, veths and bridge go with their last reference. */
#ifndef DOORWAY_LAB_H
#define DOORWAY_LAB_H

#include <stdbool.h>
#include <sys/types.h>

#include "scenario.h"

#define LAB_BRIDGE "lab0"
#define LAB_HOST_IF "eth0"

struct lab_host {
	int netns;              /* fd of /proc/self/ns/net as it was inside the host */
	char ifname[16];        /* lab-side veth end, on the bridge */
};

struct confine;

struct lab {
	const struct scenario *sc;
	struct confine *cf;     /* the walls of its processes (after lab_spawn) */
	int labns;              /* the lab namespace (bridge, lab-side veth ends) */
	int outerns;            /* the namespace doorway was in before the lab, -1 */
	struct lab_host *hosts;
	int nhosts;
	/* processes (after lab_spawn) */
	pid_t init_pid;         /* in doorway's pid namespace */
	int init_ctl;           /* doorway's end of init's control channel */
	int *ctl;               /* per process: doorway's end of the agent channel */
	int *out;               /* per process: read end of its stdout+stderr pipe */
};

/* Enter a new user + network namespace (idempotent). On failure err says
 * why and how to enable user namespaces. */
int lab_enter_userns(char *err);

/* Build the network for sc: namespaces, bridge, veths, addresses, routes. */
struct lab *lab_create(const struct scenario *sc, char *err);

/* Start every process of the scenario under a fresh init (pid namespace),
 * each in its confinement (confine.h); run_dir is the run folder where the
 * hosts' homes are kept (NULL: a tmpfs home per host). child_setup runs in
 * each child before it does anything else. */
int lab_spawn(struct lab *lab, void (*child_setup)(void), const char *run_dir, char *err);

/* Ask init to signal process p's process group. */
int lab_kill(struct lab *lab, int p, int signo);

/* Kill every lab process (SIGKILL to init), reap init, close the
 * namespaces. Safe to call twice and from a fatal path. */
void lab_destroy(struct lab *lab);

/* Run fn(arg) with the calling thread inside host h's namespace (or the lab
 * namespace when h < 0), then return to the lab namespace. */
int lab_in_netns(struct lab *lab, int h, int (*fn)(void *), void *arg, char *err);

#endif
