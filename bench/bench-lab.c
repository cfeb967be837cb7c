/* bench-lab — how long a lab takes to come up and go down.
 * Goals (issue 2): 2 hosts < 100 ms, 64 hosts < 2 s, each up + down.
 * Baseline measured in the same run: creating and dropping the same number
 * of bare network namespaces (the kernel's share of the work).
 *
 * Then a whole idle lesson (issue 10): `doorway --text` of a lesson of 64
 * hosts whose one process only says something, from exec to exit (lab,
 * captures on every link, run, report, teardown), and doorway's peak RSS.
 * Goals: < 2 s and < 300 MB; the same lesson with 2 hosts is the baseline
 * (RSS per extra host, time against the lab alone). Environment: DOORWAY. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/prog.h"
#include "lab.h"
#include "scenario.h"
#include "util.h"

static struct scenario *bench_scenario(int nhosts)
{
	struct buf b = { 0 };
	buf_printf(&b, "title \"bench %d\"\n", nhosts);
	for (int h = 0; h < nhosts; h++)
		buf_printf(&b, "host h%d 192.0.2.%d 2001:db8::%x\n", h, h + 1, h + 1);
	buf_addstr(&b, "process p on h0\n  say \"x\"\n");
	struct sc_diags d = { 0 };
	struct scenario *sc = scenario_parse("bench.lab", b.p, b.len, &d);
	if (!sc) {
		scenario_print_diags(stderr, "bench.lab", b.p, b.len, &d);
		exit(1);
	}
	buf_free(&b);
	return sc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double median_ms(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_u64);
	return (double)v[n / 2] / 1e6;
}

static void bench_bare(int nhosts, int rounds, double *up_ms)
{
	uint64_t *up = xcalloc((size_t)rounds, sizeof *up);
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int *fds = xcalloc((size_t)nhosts, sizeof *fds);
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = util_now_mono_ns();
		for (int h = 0; h < nhosts; h++) {
			if (unshare(CLONE_NEWNET) < 0)
				fatal("unshare");
			fds[h] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			setns(self, CLONE_NEWNET);
		}
		for (int h = 0; h < nhosts; h++)
			close(fds[h]);
		up[r] = util_now_mono_ns() - t0;
	}
	*up_ms = median_ms(up, rounds);
	free(up);
	free(fds);
	close(self);
}

static void bench_lab(int nhosts, int rounds, double goal_ms)
{
	struct scenario *sc = bench_scenario(nhosts);
	uint64_t *up = xcalloc((size_t)rounds, sizeof *up), *down = xcalloc((size_t)rounds, sizeof *down);
	char err[UTIL_ERRLEN];
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = util_now_mono_ns();
		struct lab *lab = lab_create(sc, err);
		if (!lab)
			fatalx("%s", err);
		uint64_t t1 = util_now_mono_ns();
		lab_destroy(lab);
		uint64_t t2 = util_now_mono_ns();
		up[r] = t1 - t0;
		down[r] = t2 - t1;
	}
	double bare;
	bench_bare(nhosts, rounds, &bare);
	double u = median_ms(up, rounds), d = median_ms(down, rounds);
	printf("lab %2d hosts: up %8.2f ms, down %6.2f ms, total %8.2f ms  goal < %5.0f ms (%.2fx of goal)  "
	       "bare netns baseline %.2f ms (lab = %.1fx baseline)\n",
	       nhosts, u, d, u + d, goal_ms, (u + d) / goal_ms, bare, bare > 0 ? (u + d) / bare : 0.0);
	free(up);
	free(down);
	scenario_free(sc);
}

/* doorway --text --no-record on an idle lesson of nhosts: wall time (ms)
 * and peak RSS (MB), medians over rounds. */
static void bench_lesson_run(const char *doorway, int nhosts, int rounds, double *ms, double *mb)
{
	char path[] = "/tmp/doorway-bench-lesson.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		fatal("mkstemp");
	struct buf b = { 0 };
	buf_printf(&b, "title \"idle %d\"\n", nhosts);
	for (int h = 0; h < nhosts; h++)
		buf_printf(&b, "host h%d 192.0.2.%d\n", h, h + 1);
	buf_addstr(&b, "process p on h0\n  say \"x\"\n");
	if (write(fd, b.p, b.len) != (ssize_t)b.len)
		fatal("write %s", path);
	close(fd);
	buf_free(&b);
	uint64_t *t = xcalloc((size_t)rounds, sizeof *t), *rss = xcalloc((size_t)rounds, sizeof *rss);
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = util_now_mono_ns();
		pid_t pid = fork();
		if (pid < 0)
			fatal("fork");
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			execl(doorway, doorway, "--text", "--no-record", path, (char *)NULL);
			_exit(127);
		}
		int st;
		struct rusage ru;
		if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fatalx("%s --text %s failed", doorway, path);
		t[r] = util_now_mono_ns() - t0;
		rss[r] = (uint64_t)ru.ru_maxrss * 1024;
	}
	unlink(path);
	*ms = median_ms(t, rounds);
	*mb = median_ms(rss, rounds) * 1e6 / (1 << 20); /* bytes, not ns */
	free(t);
	free(rss);
}

static void bench_lesson(void)
{
	const char *doorway = getenv("DOORWAY") ? getenv("DOORWAY") : "./doorway";
	double ms2, mb2, ms64, mb64;
	bench_lesson_run(doorway, 2, 5, &ms2, &mb2);
	bench_lesson_run(doorway, 64, 5, &ms64, &mb64);
	printf("idle lesson  2 hosts: %7.0f ms, peak RSS %6.1f MB (baseline)\n", ms2, mb2);
	printf("idle lesson 64 hosts: %7.0f ms (goal < 2000 ms: %.2fx of goal), peak RSS %6.1f MB "
	       "(goal < 300 MB: %.2fx of goal; %.2f MB per host more than the 2-host lesson)\n",
	       ms64, ms64 / 2000, mb64, mb64 / 300, (mb64 - mb2) / 62);
}

int main(int argc, char **argv)
{
	const char *usage = "bench-lab";
	prog_args(argc, argv, "bench-lab", usage,
		  "How long a lab of 2 and of 64 hosts takes to come up and go down, and an idle lesson of each "
		  "(doorway from exec to exit, and its peak RSS; DOORWAY names the binary).", NULL);
	if (argc > 1)
		prog_usage_error("bench-lab", usage, "takes no arguments");
	char err[UTIL_ERRLEN];
	if (lab_enter_userns(err) < 0) {
		fprintf(stderr, "bench-lab: %s\n", err);
		return 1;
	}
	bench_lab(2, 21, 100);
	bench_lab(64, 5, 2000);
	bench_lesson();
	return 0;
}
