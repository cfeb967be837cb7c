/* confine-landlock — the second wall on writes (Landlock, Linux 5.13+).
 *
 * Just before a lab program is executed: writing, creating, removing,
 * renaming and truncating files are allowed only beneath the given folders
 * (the host's home, /tmp, /var/tmp, /run, /dev/shm, /dev/pts) and on the
 * given files (/dev/null and the like); device ioctls only on those (ABI 5);
 * signals only to its own processes (ABI 6). Landlock also keeps a program
 * from tracing or opening the memory of processes outside its domain.
 * Reading is not restricted here: the mount namespace decides what exists. */
#ifndef DOORWAY_CONFINE_LANDLOCK_H
#define DOORWAY_CONFINE_LANDLOCK_H

/* The kernel's Landlock ABI version, 0 when it has none (or it is off). */
int confine_landlock_abi(void);

/* Restrict the calling thread (no_new_privs must be set). Returns the ABI
 * used (0: no Landlock here, nothing done), or -1 with errno. */
int confine_landlock_apply(const char *const *dirs, int ndirs, const char *const *files, int nfiles);

#endif
