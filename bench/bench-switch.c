/* bench-switch — doorway's switch against the kernel's bridge, in the same
 * run (issue 7 goals):
 *   - forwarding: two hosts flood UDP for 2 s (bench/tools/udpflood), run
 *     folder recorded; goal >= 50k packets/s with 0 lost when no fault is
 *     configured (received = sent, nothing dropped);
 *   - latency: a UDP ping-pong between two exec'd programs (this binary in
 *     its "ping" and "pong" roles), 2000 round trips; added latency per
 *     packet = (median RTT through the switch - through the bridge) / 2,
 *     goal <= 100 us.
 * Environment: DOORWAY (the binary), B (build directory). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../tests/prog.h"

#define ROUNDS 2000

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* In the lab: answer every datagram until "stop". */
static int pong(int port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) < 0)
		return 1;
	char buf[64];
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			return 1;
		if (n == 4 && !memcmp(buf, "stop", 4))
			return 0;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}

/* In the lab: UDP at a paced rate (batches every millisecond, each on an
 * absolute deadline) for seconds; prints "sent N". */
static int flood(const char *addr, int port, double seconds, long pps)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &to.sin_addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	char buf[64] = "doorway switch benchmark";
	long n = 0, ticks = (long)(seconds * 1000);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long t = 0; t < ticks; t++) {
		long due = pps * (t + 1) / 1000;
		while (n < due)
			if (sendto(fd, buf, sizeof buf, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof buf)
				n++;
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	printf("sent %ld\n", n);
	return 0;
}

/* In the lab: ROUNDS round trips, one at a time; prints the median. */
static int ping(const char *addr, int port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &to.sin_addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) < 0)
		return 1;
	static uint64_t rtt[ROUNDS];
	char buf[64] = "ping";
	int got = 0;
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = now_ns();
		if (send(fd, buf, 32, 0) != 32)
			return 1;
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 1000) <= 0 || recv(fd, buf, sizeof buf, 0) < 0)
			continue; /* lost: not counted */
		rtt[got++] = now_ns() - t0;
	}
	send(fd, "stop", 4, 0);
	if (got == 0)
		return 1;
	qsort(rtt, (size_t)got, sizeof rtt[0], cmp_u64);
	printf("median_rtt_ns %llu rounds %d\n", (unsigned long long)rtt[got / 2], got);
	return 0;
}

static int run_lab(const char *doorway, const char *lab, const char *extra, char *out, size_t outlen)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' %s --calls -v --timeout 60 --record '%s.run' '%s' 2>&1", doorway, extra,
		 lab, lab);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	return pclose(p);
}

static long long field(const char *out, const char *key)
{
	const char *p = strstr(out, key);
	return p ? atoll(p + strlen(key)) : -1;
}

int main(int argc, char **argv)
{
	const char *usage = "bench-switch   (environment: DOORWAY, B; make bench sets them)\n"
			    "       bench-switch pong PORT | ping ADDR PORT | flood ADDR PORT SECONDS COUNT   (inside a lab)";
	prog_args(argc, argv, "bench-switch", usage, "doorway's switch against the kernel's bridge: forwarding rate and added latency.", NULL);
	if (argc == 3 && !strcmp(argv[1], "pong"))
		return pong(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "ping"))
		return ping(argv[2], atoi(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "flood"))
		return flood(argv[2], atoi(argv[3]), atof(argv[4]), atol(argv[5]));
	if (argc > 1)
		prog_usage_error("bench-switch", usage, "unknown role or wrong number of arguments");
	const char *doorway = getenv("DOORWAY"), *b = getenv("B");
	if (!doorway || !b) {
		fprintf(stderr, "bench-switch: set DOORWAY and B (make bench does)\n");
		return 2;
	}
	char self[4096], dir[] = "/tmp/doorway-bench-switch.XXXXXX";
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl < 0 || !mkdtemp(dir))
		return 2;
	self[sl] = '\0';
	char flood[4200], paced[4200], pp[4200], udpflood[4200];
	snprintf(udpflood, sizeof udpflood, "%s/bench/udpflood", b);
	char *abs_flood = realpath(udpflood, NULL);
	if (!abs_flood) {
		fprintf(stderr, "bench-switch: %s missing (make bench builds it)\n", udpflood);
		return 2;
	}
	FILE *f;
	snprintf(flood, sizeof flood, "%s/flood.lab", dir);
	snprintf(pp, sizeof pp, "%s/pingpong.lab", dir);
	snprintf(paced, sizeof paced, "%s/paced.lab", dir);
	f = fopen(paced, "w");
	if (!f)
		return 2;
	fprintf(f, "title \"paced\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\n"
		"process sink on bob\n  exec %s sink 9000 3\n"
		"process src on alice\n  await udp bob:9000\n  exec %s flood 192.0.2.2 9000 2 60000\n",
		abs_flood, self);
	fclose(f);
	f = fopen(flood, "w");
	if (!f)
		return 2;
	fprintf(f, "title \"flood\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\n"
		"process sink on bob\n  exec %s sink 9000 3\n"
		"process src on alice\n  await udp bob:9000\n  exec %s send 192.0.2.2 9000 2\n", abs_flood, abs_flood);
	fclose(f);
	f = fopen(pp, "w");
	if (!f)
		return 2;
	fprintf(f, "title \"ping-pong\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\n"
		"process pong on bob\n  exec %s pong 9000\n"
		"process ping on alice\n  await udp bob:9000\n  exec %s ping 192.0.2.2 9000\n", self, self);
	fclose(f);
	free(abs_flood);

	static char out[1 << 16];
	long long sent[2], recvd[2], dropped[2], rtt[2], psent[2], precvd[2], pdropped[2];
	const char *mode[2] = { "", "--switch" }, *name[2] = { "bridge", "switch" };
	int fail = 0;
	for (int m = 0; m < 2; m++) {
		run_lab(doorway, flood, mode[m], out, sizeof out);
		sent[m] = field(out, "| sent ");
		recvd[m] = field(out, "| received ");
		const char *d = strstr(out, "packets on ");
		dropped[m] = d && (d = strstr(d, "links, ")) ? atoll(d + 7) : -1;
		run_lab(doorway, paced, mode[m], out, sizeof out);
		psent[m] = field(out, "| sent ");
		precvd[m] = field(out, "| received ");
		d = strstr(out, "packets on ");
		pdropped[m] = d && (d = strstr(d, "links, ")) ? atoll(d + 7) : -1;
		run_lab(doorway, pp, mode[m], out, sizeof out);
		rtt[m] = field(out, "median_rtt_ns ");
		if (sent[m] < 0 || recvd[m] < 0 || rtt[m] < 0 || psent[m] < 0 || precvd[m] < 0) {
			fprintf(stderr, "bench-switch: the %s runs did not report (output below)\n%s", name[m], out);
			fail = 1;
		}
	}
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-switch: could not remove %s\n", dir);
	if (fail)
		return 1;
	for (int m = 0; m < 2; m++)
		printf("%s: paced 60k/s for 2 s, recorded: sent %lld, received %lld, lost %lld, dropped %lld | "
		       "flat-out flood: sent %lld, received %lld (%lld/s), dropped %lld | ping-pong median RTT %.1f us\n",
		       name[m], psent[m], precvd[m], psent[m] - precvd[m], pdropped[m], sent[m], recvd[m],
		       recvd[m] / 2, dropped[m], rtt[m] / 1000.0);
	printf("switch forwarding at 60k packets/s offered: %lld packets/s delivered (goal >= 50000: %.2fx of goal), "
	       "%lld lost (goal 0)\n", precvd[1] / 2, precvd[1] / 2 / 50000.0, psent[1] - precvd[1]);
	printf("switch flat out (a sender faster than doorway; the ring overflows, counted as dropped): %lld packets/s, "
	       "%.2fx the bridge's\n", recvd[1] / 2, (double)recvd[1] / (double)(recvd[0] > 0 ? recvd[0] : 1));
	printf("switch added latency per packet: %.1f us median (goal <= 100 us)\n", (double)(rtt[1] - rtt[0]) / 2 / 1000.0);
	return 0;
}
