/* test-switch — the switch's fault engine (fault.c): a pure, seeded
 * decision per link and packet. Configured rates are met within tolerance
 * over 10k packets, the same seed gives the same faults in any order,
 * another seed other ones, one-shots hit exactly their packet, and faults
 * apply to unicast IP only (never to ARP, neighbour discovery, multicast). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fault.h"

#define N 10000

struct counts {
	int drop, dup, reorder;
	uint64_t delay_sum, delay_min, delay_max;
};

static struct counts run(const struct fault_cfg *c, uint64_t seed, unsigned link)
{
	struct counts k = { 0, 0, 0, 0, UINT64_MAX, 0 };
	for (uint64_t n = 1; n <= N; n++) {
		struct fault_verdict v;
		fault_decide(c, seed, link, n, &v);
		k.drop += v.drop;
		if (v.drop)
			continue;
		k.dup += v.dup;
		k.reorder += v.reordered;
		k.delay_sum += v.delay_ns;
		if (v.delay_ns < k.delay_min)
			k.delay_min = v.delay_ns;
		if (v.delay_ns > k.delay_max)
			k.delay_max = v.delay_ns;
	}
	return k;
}

/* |got - want| within 4 standard deviations of a binomial count */
static void assert_rate(int got, double p, int n)
{
	double want = p * n, sd = 0;
	double var = n * p * (1 - p);
	for (sd = var; sd * sd > var + 1e-9 || sd * sd < var - 1e-9;)
		sd = (sd + var / sd) / 2; /* sqrt without libm */
	if (got < want - 4 * sd - 1 || got > want + 4 * sd + 1)
		fail_msg("got %d of %d, want %.0f +- %.0f", got, n, want, 4 * sd);
}

static void test_loss_rates(void **state)
{
	static const uint32_t pct[] = { 1, 5, 10, 30, 50 };
	for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
		struct fault_cfg c = { .loss_ppm = pct[i] * 10000 };
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct counts k = run(&c, seed, 0);
			assert_rate(k.drop, pct[i] / 100.0, N);
		}
	}
	struct fault_cfg none = { 0 };
	assert_int_equal(run(&none, 42, 0).drop, 0);
	struct fault_cfg all = { .loss_ppm = FAULT_PPM };
	assert_int_equal(run(&all, 42, 0).drop, N);
	struct fault_cfg half_pct = { .loss_ppm = 5000 }; /* 0.5% */
	assert_rate(run(&half_pct, 7, 2).drop, 0.005, N);
}

static void test_other_rates(void **state)
{
	struct fault_cfg c = { .dup_ppm = 20000, .reorder_ppm = 50000, .loss_ppm = 100000 };
	struct counts k = run(&c, 42, 1);
	assert_rate(k.drop, 0.10, N);
	assert_rate(k.dup, 0.02, N - k.drop);
	assert_rate(k.reorder, 0.05, N - k.drop);
	/* independent decisions: a lost packet is not more or less likely duplicated */
}

static void test_delay_jitter(void **state)
{
	struct fault_cfg c = { .delay_ms = 200, .jitter_ms = 20 };
	struct counts k = run(&c, 42, 0);
	assert_true(k.delay_min >= 180000000ull);
	assert_true(k.delay_max <= 220000000ull);
	uint64_t mean = k.delay_sum / N;
	assert_true(mean > 199000000ull && mean < 201000000ull);
	assert_true(k.delay_min < 182000000ull && k.delay_max > 218000000ull); /* the whole range is used */
	struct fault_cfg j = { .jitter_ms = 50 };  /* never below zero */
	k = run(&j, 3, 0);
	assert_int_equal(k.delay_min, 0);
	struct fault_cfg r = { .reorder_ppm = FAULT_PPM };
	k = run(&r, 3, 0);
	assert_int_equal(k.delay_min, FAULT_REORDER_MS * 1000000ull);
}

static void test_reproducible(void **state)
{
	struct fault_cfg c = { .loss_ppm = 300000, .dup_ppm = 100000, .jitter_ms = 30, .delay_ms = 40 };
	struct fault_verdict a, b;
	int differ_seed = 0, differ_link = 0;
	/* decisions depend on (seed, link, n) only: backwards gives the same */
	for (uint64_t n = N; n >= 1; n--) {
		fault_decide(&c, 42, 1, n, &a);
		fault_decide(&c, 42, 1, n, &b);
		assert_memory_equal(&a, &b, sizeof a);
		fault_decide(&c, 43, 1, n, &b);
		differ_seed += a.drop != b.drop;
		fault_decide(&c, 42, 2, n, &b);
		differ_link += a.drop != b.drop;
	}
	/* another seed or another link: other packets lost (about 42% differ) */
	assert_true(differ_seed > N / 4);
	assert_true(differ_link > N / 4);
}

static void test_one_shots(void **state)
{
	struct fault_cfg c = { .drop_nth = 3, .hold_nth = 5, .hold_ms = 1500 };
	for (uint64_t n = 1; n <= 10; n++) {
		struct fault_verdict v;
		fault_decide(&c, 42, 0, n, &v);
		assert_int_equal(v.drop, n == 3);
		assert_int_equal(v.delay_ns, n == 5 ? 1500000000ull : 0);
	}
	assert_true(fault_any(&c));
	struct fault_cfg none = { 0 };
	assert_false(fault_any(&none));
}

static void test_rate(void **state)
{
	/* 1 Mbit/s: a 1500-byte frame (+24 bytes of preamble, FCS, gap) takes 12.192 ms */
	assert_int_equal(fault_tx_ns(1000000, 1500), 12192000ull);
	assert_int_equal(fault_tx_ns(0, 1500), 0);
}

static void test_merge(void **state)
{
	struct fault_cfg lab = { .set = FAULT_SET_LOSS | FAULT_SET_DELAY, .loss_ppm = 100000, .delay_ms = 50 };
	struct fault_cfg link = { .set = FAULT_SET_LOSS | FAULT_SET_RATE, .loss_ppm = 0, .rate_bps = 1000000 };
	struct fault_cfg m;
	fault_merge(&m, &lab, &link);
	assert_int_equal(m.loss_ppm, 0);      /* the link's "loss 0%" wins */
	assert_int_equal(m.delay_ms, 50);
	assert_int_equal(m.rate_bps, 1000000);
}

static void frame(uint8_t *f, const char *dst, uint16_t type)
{
	memset(f, 0, 64);
	memcpy(f, dst, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
}

static void test_applies(void **state)
{
	uint8_t f[64];
	static const char uni[6] = { 0x02, 1, 2, 3, 4, 5 }, bcast[6] = { -1, -1, -1, -1, -1, -1 },
			  mcast6[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	frame(f, uni, 0x0800);
	assert_true(fault_applies(f, 64));
	assert_false(fault_applies(f, 10));   /* shorter than a header */
	frame(f, bcast, 0x0806);              /* ARP request */
	assert_false(fault_applies(f, 64));
	frame(f, uni, 0x0806);                /* ARP reply */
	assert_false(fault_applies(f, 64));
	frame(f, mcast6, 0x86dd);             /* IPv6 multicast */
	assert_false(fault_applies(f, 64));
	frame(f, uni, 0x86dd);                /* IPv6 TCP */
	f[20] = 6;
	assert_true(fault_applies(f, 64));
	f[20] = 58;                           /* ICMPv6 neighbour advertisement */
	f[54] = 136;
	assert_false(fault_applies(f, 64));
	f[54] = 128;                          /* ICMPv6 echo request */
	assert_true(fault_applies(f, 64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loss_rates),
		cmocka_unit_test(test_other_rates),
		cmocka_unit_test(test_delay_jitter),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_one_shots),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_applies),
	};
	return cmocka_run_group_tests_name("switch", tests, NULL, NULL);
}
