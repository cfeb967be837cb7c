/* Tests for capture's rings against the real kernel: the process enters its
 * own user + network namespace, makes a veth pair a/b (offloads off, as
 * the lab's links), opens a ring on a and floods it from b with numbered
 * frames. A ring that grows under load (a new, larger ring takes over
 * through a fanout group while the old one is read to its end) must lose
 * nothing without counting it, show no frame twice and keep the order. */
#include "capture.h"

#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ev.h"
#include "lab.h"
#include "nl.h"
#include "util.h"

#define TC_ETH_FLOOD 0x88b5   /* local experimental ethertypes */
#define TC_ETH_OUT 0x88b6

struct tc_run {
	struct ev *ev;
	struct capture_ring *r;
	uint64_t got, dups, out_of_order, outgoing;
	uint32_t last;
	volatile int stop;
	long rate;
	uint64_t sent;
};

static bool tc_skip;

static void tc_no_offload(const char *ifname)
{
	static const uint32_t cmds[] = { ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO, ETHTOOL_STXCSUM };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		struct ethtool_value v = { .cmd = cmds[i], .data = 0 };
		struct ifreq ifr;
		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
		ifr.ifr_data = (void *)&v;
		ioctl(fd, SIOCETHTOOL, &ifr);
	}
	close(fd);
}

static int tc_setup(void **state)
{
	char err[UTIL_ERRLEN];
	if (lab_enter_userns(err) < 0 || unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "test-capture: no user + network namespace (%s): skipped\n", err);
		tc_skip = true;
		return 0;
	}
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct nl *nl = nl_open(err);
	if (self < 0 || !nl || nl_veth_add(nl, "a", "b", self, err) < 0 || nl_link_up(nl, "a", err) < 0 ||
	    nl_link_up(nl, "b", err) < 0)
		fail_msg("veth: %s", err);
	tc_no_offload("a");
	tc_no_offload("b");
	nl_close(nl);
	close(self);
	return 0;
}

static void tc_on_pkt(void *arg, uint64_t ts_ns, uint32_t caplen, uint32_t wirelen, const uint8_t *d)
{
	struct tc_run *t = arg;
	if (caplen < 18)
		return;
	uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
	if (type == TC_ETH_OUT)
		t->outgoing++;
	if (type != TC_ETH_FLOOD)
		return;
	uint32_t seq;
	memcpy(&seq, d + 14, 4);
	if (t->got && seq == t->last)
		t->dups++;
	else if (t->got && seq < t->last)
		t->out_of_order++;
	t->last = seq;
	t->got++;
}

static void tc_on_fd(struct ev *ev, int fd, int events, void *arg)
{
	struct tc_run *t = arg;
	if (capture_ring_fd(t->r) == fd)
		capture_ring_read(t->r);
}

static int tc_packet_socket(const char *ifname, struct sockaddr_ll *sa)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	*sa = (struct sockaddr_ll){ .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(ifname),
				    .sll_halen = 6 };
	return fd;
}

/* From b: numbered frames at t->rate per second, in 1 ms batches. */
static void *tc_sender(void *arg)
{
	struct tc_run *t = arg;
	struct sockaddr_ll sa;
	int fd = tc_packet_socket("b", &sa);
	uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, TC_ETH_FLOOD >> 8, TC_ETH_FLOOD & 0xff };
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!t->stop) {
		for (long i = 0; i < t->rate / 1000; i++) {
			uint32_t seq = (uint32_t)t->sent + 1;
			memcpy(f + 14, &seq, 4);
			if (sendto(fd, f, sizeof f, 0, (struct sockaddr *)&sa, sizeof sa) == (ssize_t)sizeof f)
				t->sent++;
		}
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	close(fd);
	return NULL;
}

/* Flood a's ring (opened at size) for ms milliseconds at rate frames/s;
 * in_only: a also sends frames of its own, which the ring must not show. */
static void tc_flood(struct tc_run *t, size_t size, bool in_only, long rate, int ms)
{
	char err[UTIL_ERRLEN];
	struct ev *ev = ev_new();
	memset(t, 0, sizeof *t);
	t->ev = ev;
	t->rate = rate;
	t->r = capture_ring_open(ev, "a", size, in_only, tc_on_pkt, t, tc_on_fd, t, err);
	if (!t->r)
		fail_msg("%s", err);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, tc_sender, t), 0);
	struct sockaddr_ll sa;
	int out = tc_packet_socket("a", &sa);
	uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 2, TC_ETH_OUT >> 8, TC_ETH_OUT & 0xff };
	uint64_t t0 = util_now_mono_ns();
	while (util_now_mono_ns() - t0 < (uint64_t)ms * 1000000ull) {
		ev_once(ev, 5);
		if (in_only)
			sendto(out, f, sizeof f, 0, (struct sockaddr *)&sa, sizeof sa);
	}
	t->stop = 1;
	pthread_join(th, NULL);
	struct timespec ms20 = { 0, 20000000 };
	nanosleep(&ms20, NULL);
	capture_ring_drain(t->r);
	close(out);
}

/* The ring, then the loop it was registered with. */
static void tc_close(struct tc_run *t)
{
	capture_ring_close(t->r);
	ev_free(t->ev);
}

static void tc_check(struct tc_run *t, size_t size)
{
	uint64_t dropped = capture_ring_dropped(t->r);
	fprintf(stderr, "    sent %llu, read %llu, dropped %llu, ring %zu -> %zu bytes\n",
		(unsigned long long)t->sent, (unsigned long long)t->got, (unsigned long long)dropped, size,
		capture_ring_size(t->r));
	assert_true(t->sent > 0);
	assert_true(capture_ring_size(t->r) > size);          /* it grew */
	assert_int_equal(t->got + dropped, t->sent);            /* every frame read or counted */
	assert_int_equal(t->dups, 0);
	assert_int_equal(t->out_of_order, 0);
	assert_int_equal(t->outgoing, 0);
	tc_close(t);
}

static void test_ring_grows_under_load(void **state)
{
	if (tc_skip)
		skip();
	struct tc_run t;
	tc_flood(&t, CAPTURE_RING_MIN, false, 50000, 1500);
	tc_check(&t, CAPTURE_RING_MIN);
}

/* The switch's rings: only what the host sends (a's own frames left out). */
static void test_ring_grows_in_only(void **state)
{
	if (tc_skip)
		skip();
	struct tc_run t;
	tc_flood(&t, CAPTURE_RING_MIN, true, 50000, 1500);
	tc_check(&t, CAPTURE_RING_MIN);
}

/* A quiet link keeps its small ring. */
static void test_ring_idle_stays_small(void **state)
{
	if (tc_skip)
		skip();
	struct tc_run t;
	tc_flood(&t, CAPTURE_RING_MIN, false, 1000, 500);
	assert_int_equal(capture_ring_size(t.r), CAPTURE_RING_MIN);
	assert_int_equal(t.got + capture_ring_dropped(t.r), t.sent);
	tc_close(&t);
}

static void test_start_size(void **state)
{
	assert_int_equal(capture_ring_start_size(1), CAPTURE_RING_MAX);
	assert_int_equal(capture_ring_start_size(2), CAPTURE_RING_MAX);
	assert_int_equal(capture_ring_start_size(64), CAPTURE_RING_BUDGET / 64);
	assert_true(capture_ring_start_size(64) * 64 <= CAPTURE_RING_BUDGET);
	assert_int_equal(capture_ring_start_size(100000), CAPTURE_RING_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_size),
		cmocka_unit_test(test_ring_grows_under_load),
		cmocka_unit_test(test_ring_grows_in_only),
		cmocka_unit_test(test_ring_idle_stays_small),
	};
	return cmocka_run_group_tests(tests, tc_setup, NULL);
}
