#include "confine-landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The UAPI, spelled out: older headers lack the newer fields. */
#define CONFINE_LL_VERSION (1u << 0)
#define CONFINE_LL_RULE_PATH_BENEATH 1
#define CONFINE_LL_WRITE_FILE (1ull << 1)
#define CONFINE_LL_REMOVE_DIR (1ull << 4)
#define CONFINE_LL_REMOVE_FILE (1ull << 5)
#define CONFINE_LL_MAKE_CHAR (1ull << 6)
#define CONFINE_LL_MAKE_DIR (1ull << 7)
#define CONFINE_LL_MAKE_REG (1ull << 8)
#define CONFINE_LL_MAKE_SOCK (1ull << 9)
#define CONFINE_LL_MAKE_FIFO (1ull << 10)
#define CONFINE_LL_MAKE_BLOCK (1ull << 11)
#define CONFINE_LL_MAKE_SYM (1ull << 12)
#define CONFINE_LL_REFER (1ull << 13)       /* ABI 2 */
#define CONFINE_LL_TRUNCATE (1ull << 14)    /* ABI 3 */
#define CONFINE_LL_IOCTL_DEV (1ull << 15)   /* ABI 5 */
#define CONFINE_LL_SCOPE_SIGNAL (1ull << 1) /* ABI 6 */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

struct confine_ll_ruleset {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct confine_ll_path {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int confine_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, CONFINE_LL_VERSION);
	return v > 0 ? (int)v : 0;
}

static int confine_landlock_rule(int ruleset, const char *path, uint64_t access)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* nothing there: nothing to allow */
	struct confine_ll_path pb = { .allowed_access = access, .parent_fd = fd };
	long r = syscall(SYS_landlock_add_rule, ruleset, CONFINE_LL_RULE_PATH_BENEATH, &pb, 0);
	int e = errno;
	close(fd);
	errno = e;
	return r < 0 ? -1 : 0;
}

int confine_landlock_apply(const char *const *dirs, int ndirs, const char *const *files, int nfiles)
{
	int abi = confine_landlock_abi();
	if (abi <= 0)
		return 0;
	uint64_t fs = CONFINE_LL_WRITE_FILE | CONFINE_LL_REMOVE_DIR | CONFINE_LL_REMOVE_FILE |
		CONFINE_LL_MAKE_CHAR | CONFINE_LL_MAKE_DIR | CONFINE_LL_MAKE_REG | CONFINE_LL_MAKE_SOCK |
		CONFINE_LL_MAKE_FIFO | CONFINE_LL_MAKE_BLOCK | CONFINE_LL_MAKE_SYM;
	uint64_t file_rights = CONFINE_LL_WRITE_FILE;
	if (abi >= 2)
		fs |= CONFINE_LL_REFER;
	if (abi >= 3) {
		fs |= CONFINE_LL_TRUNCATE;
		file_rights |= CONFINE_LL_TRUNCATE;
	}
	if (abi >= 5) {
		fs |= CONFINE_LL_IOCTL_DEV;
		file_rights |= CONFINE_LL_IOCTL_DEV;
	}
	struct confine_ll_ruleset attr = { .handled_access_fs = fs };
	size_t size = sizeof attr.handled_access_fs;
	if (abi >= 6) {
		attr.scoped = CONFINE_LL_SCOPE_SIGNAL;
		size = sizeof attr;
	}
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < ndirs && rc == 0; i++)
		rc = confine_landlock_rule(rs, dirs[i], fs);
	for (int i = 0; i < nfiles && rc == 0; i++)
		rc = confine_landlock_rule(rs, files[i], file_rights);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		rc = -1;
	int e = errno;
	close(rs);
	errno = e;
	return rc < 0 ? -1 : abi;
}
