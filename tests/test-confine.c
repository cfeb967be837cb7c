/* test-confine — the confinement's pure parts (limits in force, their
 * wording, how a limit's kill is reported, the --check -v description) and
 * the seccomp deny-list installed for real in a forked child: the refused
 * calls fail with EPERM/ENOSYS, ordinary ones work, the memory rule kills
 * with SIGSYS only for an accessible mapping larger than the limit; and
 * Landlock for real: writes beneath the allowed folder only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine.h"
#include "confine-landlock.h"
#include "scenario.h"
#include "seccomp-deny.h"
#include "util.h"

static struct scenario *parse(const char *text)
{
	struct sc_diags d;
	struct scenario *sc = scenario_parse("t.lab", text, strlen(text), &d);
	assert_non_null(sc);
	return sc;
}

static void test_limits(void **state)
{
	struct scenario *sc = parse("title \"t\"\nhost a 192.0.2.1\nlimit memory 512m\nlimit cpu 10s\n"
				    "process p on a\n  say \"x\"\n");
	assert_true(confine_limit(sc, SC_LIMIT_MEMORY) == 512ull << 20);
	assert_true(confine_limit(sc, SC_LIMIT_CPU) == 10);
	assert_true(confine_limit(sc, SC_LIMIT_PROCESSES) == CONFINE_DEFAULT_PROCESSES);
	assert_true(confine_limit(sc, SC_LIMIT_FILES) == CONFINE_DEFAULT_FILES);
	assert_true(confine_limit(NULL, SC_LIMIT_FDS) == CONFINE_DEFAULT_FDS);
	char t[64];
	confine_limit_format(SC_LIMIT_MEMORY, 512ull << 20, t, sizeof t);
	assert_string_equal(t, "512 MiB");
	confine_limit_format(SC_LIMIT_FILES, 1ull << 30, t, sizeof t);
	assert_string_equal(t, "1 GiB");
	confine_limit_format(SC_LIMIT_FILES, 1000, t, sizeof t);
	assert_string_equal(t, "1000 bytes");
	confine_limit_format(SC_LIMIT_CPU, 10, t, sizeof t);
	assert_string_equal(t, "10 s");
	confine_limit_format(SC_LIMIT_PROCESSES, 64, t, sizeof t);
	assert_string_equal(t, "64");

	/* how an end by a limit is said; other ends are not the confinement's */
	assert_true(confine_killed(sc, SIGSYS, 0, t, sizeof t));
	assert_non_null(strstr(t, "killed: memory limit 512 MiB"));
	assert_true(confine_killed(sc, SIGXFSZ, 0, t, sizeof t));
	assert_string_equal(t, "killed: file size limit 256 MiB");
	assert_true(confine_killed(sc, SIGXCPU, 0, t, sizeof t));
	assert_string_equal(t, "killed: cpu limit 10 s");
	assert_true(confine_killed(sc, SIGKILL, 10000000000ull, t, sizeof t)); /* the hard limit */
	assert_false(confine_killed(sc, SIGKILL, 9000000000ull, t, sizeof t));
	assert_false(confine_killed(sc, SIGSEGV, 0, t, sizeof t));
	assert_false(confine_killed(sc, 1 << 8, 0, t, sizeof t)); /* exit status 1 */
	/* a failure after the memory grew near the limit says so */
	assert_true(confine_near_limit(sc, 1 << 8, 500ull << 20, t, sizeof t));
	assert_string_equal(t, " (memory limit 512 MiB reached: 500 MiB resident)");
	assert_true(confine_near_limit(sc, SIGSEGV, 400ull << 20, t, sizeof t));
	assert_false(confine_near_limit(sc, 1 << 8, 300ull << 20, t, sizeof t)); /* far from it */
	assert_false(confine_near_limit(sc, 0, 500ull << 20, t, sizeof t));       /* it did not fail */
	assert_false(confine_near_limit(sc, SIGSYS, 500ull << 20, t, sizeof t));  /* confine_killed's */
	scenario_free(sc);
}

static void add_line(const char *text, void *arg)
{
	struct buf *b = arg;
	buf_addstr(b, text);
	buf_addc(b, '\n');
}

static void test_describe(void **state)
{
	struct scenario *sc = parse("title \"t\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\nenv GREETING=hi\n"
				    "share /usr\nlimit processes 64\nprocess p on alice\n  say \"x\"\n");
	struct buf b = { 0 };
	confine_describe(sc, add_line, &b);
	buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, "environment: PATH"));
	assert_non_null(strstr(b.p, " GREETING;"));
	assert_non_null(strstr(b.p, "read-only: the lesson's folder, /usr\n"));
	assert_non_null(strstr(b.p, "/etc/hosts: localhost, alice, bob\n"));
	assert_non_null(strstr(b.p, "processes 64 (limit statement)"));
	assert_non_null(strstr(b.p, "memory 1 GiB,"));
	assert_non_null(strstr(b.p, "keyctl"));
	assert_non_null(strstr(b.p, "ioctl TIOCSTI"));
	buf_free(&b);
	scenario_free(sc);
}

/* Run fn in a child under the filter; its exit status (or signal). */
static int under_filter(int (*fn)(void), uint64_t mem)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_deny_install(mem) < 0)
			_exit(100);
		_exit(fn());
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

#define EXPECT(call, e) do { errno = 0; if ((call) != -1 || errno != (e)) return __LINE__ % 100 + 1; } while (0)

static int refused_calls(void)
{
	EXPECT(syscall(SYS_keyctl, 1, 0), EPERM);
	EXPECT(syscall(SYS_unshare, 0x10000000), EPERM);       /* CLONE_NEWUSER */
	EXPECT(syscall(SYS_ptrace, 0, 0, 0, 0), EPERM);
	EXPECT(syscall(SYS_mount, 0, 0, 0, 0, 0), EPERM);
	EXPECT(syscall(SYS_bpf, 0, 0, 0), EPERM);
	EXPECT(syscall(SYS_ioctl, 0, 0x5412, "x"), EPERM);       /* TIOCSTI */
	EXPECT(syscall(SYS_ioctl, 0, 0x100005412ul, "x"), EPERM); /* the kernel reads 32 bits */
	EXPECT(syscall(SYS_ioctl, 0, 0x541C, "x"), EPERM);       /* TIOCLINUX */
#ifdef SYS_clone3
	EXPECT(syscall(SYS_clone3, 0, 0), ENOSYS);
#endif
	/* what is not on the list works */
	if (getpid() <= 0 || syscall(SYS_unshare, 0) != 0)
		return 90;
	int fds[2];
	if (pipe(fds) < 0)
		return 91;
	int n = 0;
	if (ioctl(fds[0], FIONREAD, &n) < 0) /* an ordinary ioctl */
		return 92;
	void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 93;
	/* a large PROT_NONE reservation is not "asking for memory" */
	void *r = mmap(NULL, 64ul << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return 94;
	return 0;
}

static int big_mapping(void)
{
	mmap(NULL, 64ul << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return 0; /* not reached: killed */
}

static int huge_mapping(void)
{
	/* above 4 GiB: the high word decides */
	mmap(NULL, 5ul << 30, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return 0;
}

static void test_seccomp(void **state)
{
	int st = under_filter(refused_calls, 32ull << 20);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("refused_calls: status 0x%x (exit %d: the line %% 100 + 1 of the failed check)", st,
			 WEXITSTATUS(st));
	st = under_filter(big_mapping, 32ull << 20);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	st = under_filter(big_mapping, 0); /* no memory rule */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = under_filter(huge_mapping, 4ull << 30);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	st = under_filter(big_mapping, 4ull << 30);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Landlock: writes allowed beneath the given folder only; reading stays */
static void test_landlock(void **state)
{
	if (confine_landlock_abi() <= 0)
		skip();
	char in[] = "/tmp/test-confine-in.XXXXXX", out[] = "/tmp/test-confine-out.XXXXXX";
	assert_non_null(mkdtemp(in));
	assert_non_null(mkdtemp(out));
	char fin[64], fout[64];
	snprintf(fin, sizeof fin, "%s/f", in);
	snprintf(fout, sizeof fout, "%s/f", out);
	FILE *f = fopen(fout, "w");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *dirs[] = { in };
		const char *files[] = { "/dev/null" };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || confine_landlock_apply(dirs, 1, files, 1) <= 0)
			_exit(10);
		FILE *a = fopen(fin, "w"); /* allowed */
		if (!a)
			_exit(11);
		fclose(a);
		if (fopen(fout, "a") || errno != EACCES) /* the second wall */
			_exit(12);
		char nf[80];
		snprintf(nf, sizeof nf, "%s/new", out);
		if (fopen(nf, "w") || errno != EACCES)
			_exit(13);
		FILE *r = fopen(fout, "r"); /* reading is the mounts' business */
		if (!r)
			_exit(14);
		fclose(r);
		FILE *n = fopen("/dev/null", "w");
		_exit(n ? 0 : 15);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	unlink(fin);
	unlink(fout);
	rmdir(in);
	rmdir(out);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("landlock child: status 0x%x (exit %d)", st, WEXITSTATUS(st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_seccomp),
		cmocka_unit_test(test_landlock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
