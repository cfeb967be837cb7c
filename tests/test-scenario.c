/* test-scenario — the .lab parser: structure of good files, one test per kind
 * of error (exact line, column and message), ordering of many errors, the
 * printed form of diagnostics, limits, and sweeps of truncated and mutated
 * inputs that must never crash, leak, or return a scenario with errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "scenario.h"
#include "util.h"

/* ---- helpers ---- */

static struct scenario *parse_ok(const char *text)
{
	struct sc_diags d;
	struct scenario *sc = scenario_parse("t.lab", text, strlen(text), &d);
	if (!sc) {
		scenario_print_diags(stderr, "t.lab", text, strlen(text), &d);
		fail_msg("expected no errors, got %d", d.total);
	}
	assert_int_equal(d.total, 0);
	assert_int_equal(d.n, 0);
	return sc;
}

static void parse_bad(const char *text, size_t len, struct sc_diags *d)
{
	struct scenario *sc = scenario_parse("t.lab", text, len, d);
	assert_null(sc);
	assert_true(d->total > 0);
}

static void assert_diag(const struct sc_diags *d, int i, int line, int col, const char *msg,
			const char *hint)
{
	assert_true(i < d->n);
	const struct sc_diag *g = &d->d[i];
	if (g->line != line || g->col != col || !strstr(g->msg, msg) ||
	    (hint && !strstr(g->hint, hint)))
		fail_msg("diag %d: got %d:%d '%s' (hint '%s'), want %d:%d '%s' (hint '%s')", i,
			 g->line, g->col, g->msg, g->hint, line, col, msg, hint ? hint : "");
}

static struct sc_addr addr(int family, const char *s)
{
	struct sc_addr a;
	memset(&a, 0, sizeof a);
	a.family = family;
	assert_int_equal(inet_pton(family, s, a.bytes), 1);
	return a;
}

static void assert_addr(const struct sc_addr *a, int family, const char *s)
{
	struct sc_addr want = addr(family, s);
	assert_int_equal(a->family, family);
	assert_memory_equal(a->bytes, want.bytes, family == AF_INET ? 4 : 16);
}

static const struct sc_proc *proc(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nprocs; i++)
		if (strcmp(sc->procs[i].name, name) == 0)
			return &sc->procs[i];
	fail_msg("no process %s", name);
	return NULL;
}

static char *read_fixture(const char *path, size_t *len)
{
	struct sc_diags d;
	memset(&d, 0, sizeof d);
	char *text = scenario_read_file(path, len, &d);
	if (!text)
		fail_msg("cannot read fixture %s: %s", path, d.n ? d.d[0].msg : "?");
	return text;
}

/* ---- good files ---- */

static void test_echo_fixture(void **state)
{
	struct sc_diags d;
	struct scenario *sc = scenario_load("scenarios/good-echo.lab", &d);
	assert_non_null(sc);
	assert_int_equal(d.total, 0);
	assert_string_equal(sc->path, "scenarios/good-echo.lab");
	assert_string_equal(sc->title, "UDP echo");
	assert_string_equal(sc->about, "One process sends a message through its door; another answers.");
	assert_false(sc->switch_mode);

	assert_int_equal(sc->nhosts, 2);
	const struct sc_host *a = &sc->hosts[0], *b = &sc->hosts[1];
	assert_string_equal(a->name, "alice");
	assert_int_equal(a->line, 4);
	assert_int_equal(a->col, 1);
	assert_true(a->has4);
	assert_false(a->has6);
	assert_addr(&a->addr4, AF_INET, "192.0.2.1");
	assert_int_equal(a->prefix4, 24);
	assert_string_equal(b->name, "bob");
	assert_true(b->has4 && b->has6);
	assert_addr(&b->addr4, AF_INET, "192.0.2.2");
	assert_addr(&b->addr6, AF_INET6, "2001:db8::2");
	assert_int_equal(b->prefix6, 64);

	assert_int_equal(sc->nprocs, 3);
	const struct sc_proc *s = &sc->procs[0];
	assert_string_equal(s->name, "server");
	assert_int_equal(s->host, 1);
	assert_int_equal(s->line, 6);
	assert_false(s->background);
	assert_false(s->is_exec);
	assert_int_equal(s->nsocks, 1);
	assert_string_equal(s->socks[0].name, "s");
	assert_int_equal(s->socks[0].proto, SC_UDP);
	assert_int_equal(s->socks[0].family, AF_INET);
	assert_int_equal(s->socks[0].line, 7);
	assert_int_equal(s->socks[0].col, 3);
	assert_int_equal(s->nsteps, 6);
	const struct sc_step *st = s->steps;
	assert_int_equal(st[0].op, SC_SOCKET);
	assert_int_equal(st[0].line, 7);
	assert_int_equal(st[0].col, 3);
	assert_int_equal(st[0].sock, -1);
	assert_int_equal(st[0].new_sock, 0);
	assert_int_equal(st[0].proto, SC_UDP);
	assert_int_equal(st[0].family, AF_INET);
	assert_int_equal(st[1].op, SC_BIND);
	assert_int_equal(st[1].sock, 0);
	assert_int_equal(st[1].new_sock, -1);
	assert_true(st[1].ep.any_addr);
	assert_int_equal(st[1].ep.port, 9000);
	assert_int_equal(st[1].ep.host, -1);
	assert_int_equal(st[2].op, SC_SAY);
	assert_int_equal(st[2].sock, -1);
	assert_string_equal(st[2].text, "The server opens door 9000 and waits for a message.");
	assert_int_equal(st[3].op, SC_RECVFROM);
	assert_int_equal(st[3].count, SC_RECV_DEFAULT);
	assert_int_equal(st[4].op, SC_SENDTO);
	assert_true(st[4].ep.peer);
	assert_int_equal(st[4].len, 11);
	assert_memory_equal(st[4].data, "HELLO BACK\n", 11);
	assert_false(st[4].generated);
	assert_int_equal(st[5].op, SC_CLOSE);
	assert_int_equal(st[5].sock, 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(st[i].expect_errno, 0);

	const struct sc_proc *c = &sc->procs[1];
	assert_string_equal(c->name, "client");
	assert_int_equal(c->host, 0);
	assert_int_equal(c->nsteps, 4);
	assert_int_equal(c->steps[1].op, SC_SENDTO);
	assert_false(c->steps[1].ep.peer);
	assert_int_equal(c->steps[1].ep.host, 1);
	assert_int_equal(c->steps[1].ep.port, 9000);
	assert_addr(&c->steps[1].ep.addr, AF_INET, "192.0.2.2");
	assert_memory_equal(c->steps[1].data, "hello", 5);
	assert_int_equal(c->steps[1].len, 5);
	assert_int_equal(c->steps[2].count, 100);

	const struct sc_proc *w = &sc->procs[2];
	assert_string_equal(w->name, "web");
	assert_true(w->background);
	assert_true(w->is_exec);
	assert_int_equal(w->nsteps, 1);
	assert_int_equal(w->steps[0].op, SC_EXEC);
	assert_int_equal(w->steps[0].argc, 3);
	assert_string_equal(w->steps[0].argv[0], "sh");
	assert_string_equal(w->steps[0].argv[1], "-c");
	assert_string_equal(w->steps[0].argv[2], "sleep 60");
	assert_null(w->steps[0].argv[3]);
	scenario_free(sc);
}

static void test_tcp_fixture(void **state)
{
	struct sc_diags d;
	struct scenario *sc = scenario_load("scenarios/good-tcp.lab", &d);
	assert_non_null(sc);
	assert_true(sc->switch_mode);
	assert_int_equal(sc->hosts[0].prefix4, 24);
	assert_int_equal(sc->hosts[0].prefix6, 64);

	const struct sc_proc *s = proc(sc, "server");
	const struct sc_step *st = s->steps;
	assert_int_equal(s->nsteps, 13);
	assert_int_equal(s->nsocks, 2);
	assert_int_equal(st[1].op, SC_SETSOCKOPT);
	assert_int_equal(st[1].opt, SC_OPT_RCVBUF);
	assert_int_equal(st[1].value, 65536);
	assert_int_equal(st[2].op, SC_BIND);
	assert_false(st[2].ep.any_addr);
	assert_int_equal(st[2].ep.host, 1);
	assert_addr(&st[2].ep.addr, AF_INET, "192.0.2.2");
	assert_int_equal(st[2].ep.port, 8080);
	assert_int_equal(st[3].op, SC_LISTEN);
	assert_int_equal(st[3].backlog, 4);
	assert_int_equal(st[5].op, SC_ACCEPT);
	assert_int_equal(st[5].sock, 0);
	assert_int_equal(st[5].new_sock, 1);
	assert_int_equal(s->socks[1].proto, SC_TCP);
	assert_int_equal(s->socks[1].family, AF_INET);
	assert_string_equal(s->socks[1].name, "c");
	assert_int_equal(st[6].op, SC_RECV);
	assert_int_equal(st[6].sock, 1);
	assert_int_equal(st[6].count, 4096);
	assert_int_equal(st[7].len, 19);
	assert_memory_equal(st[7].data, "HTTP/1.0 200 OK\r\n\r\n", 19);
	assert_true(st[8].generated);
	assert_int_equal(st[8].len, 10240);
	assert_int_equal(st[9].op, SC_SHUTDOWN);
	assert_int_equal(st[9].how, SHUT_WR);
	assert_int_equal(st[10].count, SC_RECV_DEFAULT);
	assert_int_equal(st[11].op, SC_CLOSE);
	assert_int_equal(st[11].sock, 1);
	assert_int_equal(st[12].sock, 0);

	const struct sc_proc *c = proc(sc, "client");
	st = c->steps;
	assert_int_equal(c->nsteps, 16);
	assert_int_equal(c->nsocks, 3);
	assert_int_equal(st[1].op, SC_CONNECT);
	assert_int_equal(st[1].expect_errno, ECONNREFUSED);
	assert_int_equal(st[1].ep.port, 9999);
	assert_int_equal(st[3].new_sock, 1);
	assert_int_equal(st[3].family, AF_INET);
	assert_int_equal(st[4].opt, SC_OPT_NODELAY);
	assert_int_equal(st[4].value, 1);
	assert_int_equal(st[5].opt, SC_OPT_MSS);
	assert_int_equal(st[5].value, 536);
	assert_int_equal(st[6].opt, SC_OPT_SNDBUF);
	assert_int_equal(st[6].value, 4096);
	assert_int_equal(st[7].op, SC_SLEEP);
	assert_int_equal(st[7].ms, 1500);
	assert_int_equal(st[8].ep.host, -1);
	assert_addr(&st[8].ep.addr, AF_INET, "192.0.2.2");
	assert_int_equal(st[10].count, SC_MAX_PAYLOAD);
	assert_int_equal(st[11].count, 65536);
	/* "r" reused after close, as an IPv6 socket this time */
	assert_int_equal(st[13].new_sock, 2);
	assert_int_equal(c->socks[2].family, AF_INET6);
	assert_string_equal(c->socks[2].name, "r");
	assert_int_equal(st[14].ms, 200);
	assert_int_equal(st[15].sock, 2);
	scenario_free(sc);
}

static void test_ipv6_and_endpoints(void **state)
{
	struct scenario *sc = parse_ok(
		"title \"six\"\n"
		"host a 2001:db8::1/48\n"
		"host b 2001:db8::2 192.0.2.2/28\n"
		"process p on a\n"
		"  s = socket udp\n"           /* a has only IPv6: the default is IPv6 */
		"  bind s [2001:db8::1]:53\n"
		"  sendto s b:53 \"x\"\n"
		"  sendto s [2001:db8::99]:53 \"y\"\n"
		"  sendto s localhost:7 \"z\"\n"
		"  t = socket tcp ipv6\n"
		"  bind t localhost:0\n"
		"  u = socket udp\n"
		"  bind u [::]:5353\n"
		"process q on b\n"
		"  v = socket udp ipv6\n"
		"  bind v b:53\n"
		"  w = socket udp\n"           /* b has IPv4: the default is IPv4 */
		"  connect w b:9\n"
		"  connect w 127.0.0.1:9\n");
	assert_int_equal(sc->hosts[0].prefix6, 48);
	assert_false(sc->hosts[0].has4);
	assert_int_equal(sc->hosts[1].prefix4, 28);
	const struct sc_proc *p = &sc->procs[0];
	assert_int_equal(p->socks[0].family, AF_INET6);
	assert_false(p->steps[1].ep.any_addr);
	assert_int_equal(p->steps[1].ep.host, -1);
	assert_addr(&p->steps[1].ep.addr, AF_INET6, "2001:db8::1");
	assert_int_equal(p->steps[1].ep.port, 53);
	assert_int_equal(p->steps[2].ep.host, 1);
	assert_addr(&p->steps[2].ep.addr, AF_INET6, "2001:db8::2");
	assert_int_equal(p->steps[3].ep.host, -1);
	assert_addr(&p->steps[3].ep.addr, AF_INET6, "2001:db8::99");
	assert_addr(&p->steps[4].ep.addr, AF_INET6, "::1");
	assert_int_equal(p->steps[4].ep.port, 7);
	assert_int_equal(p->steps[5].family, AF_INET6);
	assert_addr(&p->steps[6].ep.addr, AF_INET6, "::1");
	assert_int_equal(p->steps[6].ep.port, 0);
	assert_true(p->steps[8].ep.any_addr);
	const struct sc_proc *q = &sc->procs[1];
	assert_int_equal(q->socks[0].family, AF_INET6);
	assert_addr(&q->steps[1].ep.addr, AF_INET6, "2001:db8::2");
	assert_int_equal(q->socks[1].family, AF_INET);
	assert_addr(&q->steps[3].ep.addr, AF_INET, "192.0.2.2");
	assert_addr(&q->steps[4].ep.addr, AF_INET, "127.0.0.1");
	scenario_free(sc);
}

static void test_payloads(void **state)
{
	struct scenario *sc = parse_ok(
		"title \"bytes\"\n"
		"host a 192.0.2.1\n"
		"process p on a\n"
		"  s = socket udp\n"
		"  sendto s a:1 \"a\\tb\\r\\n\\0\\\\\\\"\\x41\\xfF#\"\n"
		"  sendto s a:1 1 byte\n"
		"  sendto s a:1 100 bytes\n"
		"  sendto s a:1 1m bytes\n");
	const struct sc_step *st = sc->procs[0].steps;
	static const uint8_t want[] = { 'a', '\t', 'b', '\r', '\n', 0, '\\', '"', 'A', 0xff, '#' };
	assert_int_equal(st[1].len, sizeof want);
	assert_memory_equal(st[1].data, want, sizeof want);
	assert_false(st[1].generated);
	assert_int_equal(st[2].len, 1);
	assert_int_equal(st[2].data[0], '0');
	assert_true(st[3].generated);
	assert_int_equal(st[3].len, 100);
	assert_memory_equal(st[3].data, "0123456789abcdefghijklmnopqrstuvwxyz0123", 40);
	assert_int_equal(st[3].data[99], "0123456789abcdefghijklmnopqrstuvwxyz"[99 % 36]);
	assert_int_equal(st[4].len, SC_MAX_PAYLOAD);
	for (size_t i = 0; i < st[4].len; i += 4099)
		assert_int_equal(st[4].data[i], "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36]);
	scenario_free(sc);
}

static void test_expect_and_options(void **state)
{
	struct scenario *sc = parse_ok(
		"title \"t\"\n"
		"host a 192.0.2.1\n"
		"host b 192.0.2.2\n"
		"process p on a\n"
		"  c = socket tcp\n"
		"  connect c b:9 expect ETIMEDOUT\n"
		"  send c \"x\" expect EPIPE\n"       /* meant to fail: no "not connected" error */
		"  recv c expect ENOTCONN\n"
		"  listen c expect EINVAL\n"
		"  setsockopt c sndbuf 1\n"
		"  setsockopt c rcvbuf 16777216\n"
		"  setsockopt c mss 88\n"
		"  setsockopt c nodelay off\n"
		"  shutdown c read expect ENOTCONN\n"
		"  close c\n"
		"  u = socket udp\n"
		"  bind u 0\n"
		"  bind u 65535 expect EINVAL\n"
		"  sendto u b:65535 \"x\" expect EAGAIN\n"
		"  sleep 1ms\n"
		"  sleep 60s\n"
		"  sleep 0.25s\n"
		"  shutdown u both expect ENOTCONN\n"
		"  k = socket udp expect EAFNOSUPPORT\n"
		"  k = socket udp\n");
	const struct sc_step *st = sc->procs[0].steps;
	assert_int_equal(st[1].expect_errno, ETIMEDOUT);
	assert_int_equal(st[2].expect_errno, EPIPE);
	assert_int_equal(st[2].len, 1);
	assert_int_equal(st[3].expect_errno, ENOTCONN);
	assert_int_equal(st[4].expect_errno, EINVAL);
	assert_int_equal(st[5].value, 1);
	assert_int_equal(st[6].value, 16777216);
	assert_int_equal(st[7].value, 88);
	assert_int_equal(st[8].opt, SC_OPT_NODELAY);
	assert_int_equal(st[8].value, 0);
	assert_int_equal(st[9].how, SHUT_RD);
	assert_int_equal(st[12].ep.port, 0);
	assert_true(st[12].ep.any_addr);
	assert_int_equal(st[14].expect_errno, EAGAIN);
	assert_int_equal(st[15].ms, 1);
	assert_int_equal(st[16].ms, 60000);
	assert_int_equal(st[17].ms, 250);
	assert_int_equal(st[18].how, SHUT_RDWR);
	/* a socket expected to fail still gets a slot; the name is free again */
	assert_int_equal(st[19].expect_errno, EAFNOSUPPORT);
	assert_int_equal(st[19].new_sock, 2);
	assert_int_equal(st[20].new_sock, 3);
	scenario_free(sc);
}

static void test_lexing(void **state)
{
	/* BOM, CRLF, tabs, comments (not inside strings), '=' without spaces,
	 * hosts declared after the processes that use them. */
	struct scenario *sc = parse_ok(
		"\xef\xbb\xbftitle \"a # not a comment\" # a comment\r\n"
		"\r\n"
		"   # only a comment\n"
		"process p on late\r\n"
		"\ts=socket udp\n"
		"\tt =socket udp\n"
		"\tu= socket udp\n"
		"\tsendto s late:5 \"#\"#\n"
		"host late 192.0.2.9");
	assert_string_equal(sc->title, "a # not a comment");
	assert_int_equal(sc->procs[0].host, 0);
	assert_int_equal(sc->procs[0].nsocks, 3);
	assert_string_equal(sc->procs[0].socks[1].name, "t");
	assert_int_equal(sc->procs[0].steps[0].col, 2);
	assert_memory_equal(sc->procs[0].steps[3].data, "#", 1);
	assert_int_equal(sc->procs[0].steps[3].len, 1);
	scenario_free(sc);
}

static void test_await(void **state)
{
	struct scenario *sc = parse_ok(
		"title \"t\"\n"
		"host a 192.0.2.1\n"
		"host b 192.0.2.2\n"
		"process p on a\n"
		"  await b:8080\n"
		"  await udp b:53\n"
		"  exec /bin/true\n");
	const struct sc_proc *p = &sc->procs[0];
	assert_int_equal(p->nsteps, 3);
	assert_int_equal(p->steps[0].op, SC_AWAIT);
	assert_int_equal(p->steps[0].proto, SC_TCP);
	assert_int_equal(p->steps[0].ep.host, 1);
	assert_int_equal(p->steps[0].ep.port, 8080);
	assert_int_equal(p->steps[1].proto, SC_UDP);
	assert_int_equal(p->steps[1].ep.port, 53);
	assert_true(p->is_exec);
	scenario_free(sc);
}

static void test_exec_forms(void **state)
{
	struct scenario *sc = parse_ok(
		"title \"t\"\n"
		"host a 192.0.2.1\n"
		"process p on a\n"
		"  say \"before\"\n"
		"  sleep 10ms\n"
		"  exec /bin/sh -c \"echo \\\"hi\\\"\" -- a=b\n");
	const struct sc_proc *p = &sc->procs[0];
	assert_true(p->is_exec);
	assert_int_equal(p->nsteps, 3);
	const struct sc_step *e = &p->steps[2];
	assert_int_equal(e->argc, 5);
	assert_string_equal(e->argv[0], "/bin/sh");
	assert_string_equal(e->argv[2], "echo \"hi\"");
	assert_string_equal(e->argv[4], "a=b");
	assert_null(e->argv[5]);
	scenario_free(sc);
}

static void test_helpers(void **state)
{
	assert_string_equal(sc_op_name(SC_SOCKET), "socket");
	assert_string_equal(sc_op_name(SC_SENDTO), "sendto");
	assert_string_equal(sc_op_name(SC_SETSOCKOPT), "setsockopt");
	assert_string_equal(sc_op_name(SC_EXEC), "exec");
	assert_string_equal(sc_op_name((enum sc_op)99), "?");
	assert_string_equal(sc_proto_name(SC_UDP), "udp");
	assert_string_equal(sc_proto_name(SC_TCP), "tcp");
	assert_string_equal(sc_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_string_equal(sc_errno_name(EAGAIN), "EAGAIN");
	assert_null(sc_errno_name(0));

	char out[64];
	struct sc_addr a = addr(AF_INET, "192.0.2.1");
	sc_addr_format(&a, out, sizeof out);
	assert_string_equal(out, "192.0.2.1");
	a = addr(AF_INET6, "2001:0db8:0:0::1");
	sc_addr_format(&a, out, sizeof out);
	assert_string_equal(out, "2001:db8::1");
	a.family = 12345;
	sc_addr_format(&a, out, sizeof out);
	assert_string_equal(out, "?");

	struct scenario *sc = parse_ok("title \"t\"\nhost a 192.0.2.1\nhost b 2001:db8::2\n"
				       "process p on a\n  say \"x\"\n");
	assert_non_null(sc_host_addr(sc, 0, AF_INET));
	assert_null(sc_host_addr(sc, 0, AF_INET6));
	assert_null(sc_host_addr(sc, 1, AF_INET));
	assert_addr(sc_host_addr(sc, 1, AF_INET6), AF_INET6, "2001:db8::2");
	assert_null(sc_host_addr(sc, 2, AF_INET));
	assert_null(sc_host_addr(sc, -1, AF_INET));
	assert_null(sc_host_addr(NULL, 0, AF_INET));
	scenario_free(sc);
}

/* Fault lines: the whole lab's, each link's own, the seed; faults bring
 * the switch. */
/* A fault line typed live (the TUI's n key): the scenario's words, one line. */
static void test_live_faults(void **state)
{
	(void)state;
	struct scenario *sc = parse_ok("title \"t\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\n"
				       "process p on alice\n  say \"x\"\n");
	struct fault_cfg f;
	struct sc_diag d;
	int host = 7;
	char text[200];
	assert_int_equal(scenario_parse_faults(sc, "loss 10% delay 200ms rate 500kbit", &host, &f, &d), 0);
	assert_int_equal(host, -1);
	fault_describe(&f, text, sizeof text);
	assert_string_equal(text, "loss 10% delay 200ms rate 500kbit");
	assert_int_equal(scenario_parse_faults(sc, "fault duplicate 2%", &host, &f, &d), 0);
	assert_int_equal(host, -1);
	assert_int_equal(f.dup_ppm, 20000);
	assert_int_equal(f.loss_ppm, 0);
	assert_int_equal(scenario_parse_faults(sc, "link bob loss 5%", &host, &f, &d), 0);
	assert_int_equal(host, 1);
	assert_int_equal(f.loss_ppm, 50000);
	assert_true(f.set & FAULT_SET_LOSS);
	assert_int_equal(scenario_parse_faults(sc, "link alice none", &host, &f, &d), 0);
	assert_int_equal(host, 0);
	assert_false(fault_any(&f));
	struct fault_cfg lab = { .loss_ppm = 1000, .delay_ms = 5 }, eff;
	fault_merge(&eff, &lab, &f); /* the link's nothing replaces the lab's faults */
	assert_false(fault_any(&eff));
	assert_int_equal(scenario_parse_faults(sc, "link carol none", &host, &f, &d), -1);
	assert_int_equal(host, -1);
	host = 3;
	assert_int_equal(scenario_parse_faults(sc, "  none ", &host, &f, &d), 0);
	assert_int_equal(host, -1);
	assert_false(fault_any(&f));
	assert_int_equal(scenario_parse_faults(sc, "", &host, &f, &d), 0);
	assert_false(fault_any(&f));
	/* errors: the scenario's messages, the column inside the typed line */
	assert_int_equal(scenario_parse_faults(sc, "loss 200%", &host, &f, &d), -1);
	assert_string_equal(d.msg, "loss 200% is more than 100%");
	assert_int_equal(d.col, 6);
	assert_int_equal(scenario_parse_faults(sc, "lss 10%", &host, &f, &d), -1);
	assert_string_equal(d.hint, "did you mean 'loss'?");
	assert_int_equal(scenario_parse_faults(sc, "link carol loss 1%", &host, &f, &d), -1);
	assert_string_equal(d.msg, "no host named 'carol'");
	assert_int_equal(scenario_parse_faults(sc, "delay \"x", &host, &f, &d), -1);
	assert_int_equal(scenario_parse_faults(sc, "loss 1%\nloss 2%", &host, &f, &d), -1);
	scenario_free(sc);
}

static void test_faults(void **state)
{
	struct scenario *sc = parse_ok("title \"t\"\nhost alice 192.0.2.1\nhost bob 192.0.2.2\n"
				       "fault loss 10% delay 200ms jitter 20ms\n"
				       "link alice loss 0.5% duplicate 1% reorder 5% rate 1mbit\n"
				       "link bob drop packet 3 hold packet 4 1.5s\n"
				       "seed 42\nprocess p on alice\n  say \"x\"\n");
	assert_true(sc->switch_mode);
	assert_int_equal(sc->seed, 42);
	assert_int_equal(sc->fault.loss_ppm, 100000);
	assert_int_equal(sc->fault.delay_ms, 200);
	assert_int_equal(sc->fault.jitter_ms, 20);
	assert_int_equal(sc->link_fault[0].loss_ppm, 5000);
	assert_int_equal(sc->link_fault[0].dup_ppm, 10000);
	assert_int_equal(sc->link_fault[0].reorder_ppm, 50000);
	assert_int_equal(sc->link_fault[0].rate_bps, 1000000);
	assert_int_equal(sc->link_fault[1].drop_nth, 3);
	assert_int_equal(sc->link_fault[1].hold_nth, 4);
	assert_int_equal(sc->link_fault[1].hold_ms, 1500);
	struct fault_cfg f;
	fault_merge(&f, &sc->fault, &sc->link_fault[0]);
	assert_int_equal(f.loss_ppm, 5000);   /* the link's own */
	assert_int_equal(f.delay_ms, 200);    /* the lab's */
	fault_merge(&f, &sc->fault, &sc->link_fault[1]);
	assert_int_equal(f.loss_ppm, 100000);
	char text[200];
	fault_describe(&sc->fault, text, sizeof text);
	assert_string_equal(text, "loss 10% delay 200ms jitter 20ms");
	fault_describe(&sc->link_fault[0], text, sizeof text);
	assert_string_equal(text, "loss 0.5% duplicate 1% reorder 5% rate 1mbit");
	scenario_free(sc);

	/* no faults: the bridge, and the default seed */
	sc = parse_ok("title \"t\"\nhost a 192.0.2.1\nprocess p on a\n  say \"x\"\n");
	assert_false(sc->switch_mode);
	assert_int_equal(sc->seed, FAULT_DEFAULT_SEED);
	assert_false(fault_any(&sc->fault));
	scenario_free(sc);
}

static void test_confine_statements(void **state)
{
	struct scenario *sc = parse_ok("title \"t\"\nhost a 192.0.2.1\n"
				       "env GREETING=hello\nenv LONG=\"two words\"\nenv EMPTY=\n"
				       "limit memory 512m\nlimit processes 64\nlimit files 64m\nlimit fds 256\nlimit cpu 2min\n"
				       "share /usr\nshare /usr/\nshare /etc\n"
				       "process p on a\n  say \"x\"\n");
	assert_int_equal(sc->nenv, 3);
	assert_string_equal(sc->env[0].name, "GREETING");
	assert_string_equal(sc->env[0].value, "hello");
	assert_int_equal(sc->env[0].line, 3);
	assert_string_equal(sc->env[1].value, "two words");
	assert_string_equal(sc->env[2].name, "EMPTY");
	assert_string_equal(sc->env[2].value, "");
	assert_true(sc->limit[SC_LIMIT_MEMORY] == 512ull << 20);
	assert_int_equal(sc->limit[SC_LIMIT_PROCESSES], 64);
	assert_true(sc->limit[SC_LIMIT_FILES] == 64ull << 20);
	assert_int_equal(sc->limit[SC_LIMIT_FDS], 256);
	assert_int_equal(sc->limit[SC_LIMIT_CPU], 120);
	assert_int_equal(sc->nshares, 2); /* /usr once */
	assert_string_equal(sc->share[0], "/usr");
	assert_string_equal(sc->share[1], "/etc");
	assert_string_equal(sc_limit_name(SC_LIMIT_FDS), "fds");
	scenario_free(sc);
	/* nothing said: every limit is the class default (0 here) */
	sc = parse_ok("title \"t\"\nhost a 192.0.2.1\nprocess p on a\n  say \"x\"\n");
	for (int i = 0; i < SC_LIMIT_COUNT; i++)
		assert_true(sc->limit[i] == 0);
	assert_int_equal(sc->nenv, 0);
	assert_int_equal(sc->nshares, 0);
	scenario_free(sc);
}

/* ---- one test per kind of error ---- */

/* Every case without .raw is appended to PRE, so its first line is line 7. */
#define PRE                                    \
	"title \"t\"\n"                        \
	"host alice 192.0.2.1\n"               \
	"host bob 192.0.2.2 2001:db8::2\n"     \
	"host six 2001:db8::6\n"               \
	"process p on alice\n"                 \
	"  say \"hi\"\n"

struct err_case {
	const char *name;
	const char *body;
	int line, col;
	const char *msg, *hint;
	bool raw;    /* body is the whole file */
	int count;   /* errors expected */
	int index;   /* which of them is checked */
};

#define ERR(n, b, l, c, m, h) { n, b, l, c, m, h, false, 1, 0 }
#define RAW(n, b, l, c, m, h) { n, b, l, c, m, h, true, 1, 0 }
#define ERRN(n, b, l, c, m, h, raw, count, index) { n, b, l, c, m, h, raw, count, index }

static const struct err_case err_cases[] = {
	/* statements and steps */
	ERR("unknown_step", "  sned c \"hi\"\n", 7, 3, "unknown step 'sned'", "did you mean 'send'?"),
	ERR("await_address", "  await 192.0.2.2:80\n", 7, 9, "await needs a host of the lab by name", "await bob:8080"),
	ERR("await_unknown_host", "  await carol:80\n", 7, 9, "carol", NULL),
	ERR("await_no_port", "  await bob\n", 7, 13, "missing port after 'bob'", "bob:9000"),
	ERR("unknown_step_list", "  frobnicate x\n", 7, 3, "unknown step 'frobnicate'", "steps are: socket bind"),
	RAW("unknown_statement", "title \"t\"\nhots alice 192.0.2.1\nhost alice 192.0.2.1\nprocess p on alice\n  say \"x\"\n", 2, 1, "unknown statement 'hots'", "did you mean 'host'?"),
	RAW("step_outside_process", "title \"t\"\nhost a 192.0.2.1\n  send c \"hi\"\nprocess p on a\n  say \"x\"\n", 3, 3, "step 'send' is outside any process", "process NAME on HOST"),
	ERR("socket_without_name", "  socket udp\n", 7, 3, "needs a name", "NAME = socket udp"),
	ERR("not_a_socket_maker", "  s = sokcet udp\n", 7, 7, "'sokcet' does not make a socket", "did you mean 'socket'?"),
	ERR("line_starts_with_string", "  \"hello\"\n", 7, 3, "cannot start with a string", "say"),
	/* title, about, network */
	RAW("missing_title", "host a 192.0.2.1\nprocess p on a\n  say \"x\"\n", 0, 0, "missing title", "title \""),
	ERR("duplicate_title", "title \"again\"\n", 7, 1, "duplicate title (the first is at line 1)", NULL),
	ERR("duplicate_about", "about \"a\"\nabout \"b\"\n", 8, 1, "duplicate about (the first is at line 7)", NULL),
	ERRN("title_unquoted", "title hello\n", 7, 7, "the title must be in quotes", NULL, false, 2, 1),
	ERR("unknown_network", "network hub\n", 7, 9, "unknown network 'hub'", "network bridge"),
	/* confinement: env, limit, share */
	ERR("env_no_value", "env\n", 7, 5, "env needs NAME=VALUE", "env NAME=VALUE"),
	ERR("env_no_equals", "env GREETING hello\n", 7, 5, "expected NAME=VALUE, found GREETING", "env NAME=VALUE"),
	ERR("env_bad_name", "env 1X=2\n", 7, 5, "'1X' is not a variable name", "does not start with a digit"),
	ERR("env_bad_char", "env A-B=2\n", 7, 5, "'A-B' is not a variable name", "letters, digits and '_'"),
	ERR("env_duplicate", "env A=1\nenv A=2\n", 8, 5, "A is already set at line 7", "set each variable once"),
	ERR("env_nul", "env A=\"x\\0y\"\n", 7, 7, "cannot contain \\0", "remove"),
	ERR("env_more", "env A=1 B=2\n", 7, 9, "unexpected 'B=2'", "env NAME=VALUE"),
	ERR("limit_unknown", "limit memroy 512m\n", 7, 7, "unknown limit 'memroy'", "did you mean 'memory'?"),
	ERR("limit_unknown_list", "limit disk 1g\n", 7, 7, "unknown limit 'disk'", "limits are: memory 512m"),
	ERR("limit_no_value", "limit cpu\n", 7, 11, "limit needs a value", "limit cpu 10s"),
	ERR("limit_bad_size", "limit memory lots\n", 7, 14, "'lots' is not a size", "limit memory 512m"),
	ERR("limit_bad_time", "limit cpu 10\n", 7, 11, "'10' is not a time", "limit cpu 10s"),
	ERR("limit_bad_number", "limit processes many\n", 7, 17, "'many' is not a number", "limit processes 64"),
	ERR("limit_range", "limit memory 1m\n", 7, 14, "limit memory 1m is out of range", "16m to 64g"),
	ERR("limit_range_fds", "limit fds 1000000\n", 7, 11, "limit fds 1000000 is out of range", "16 to 65536"),
	ERR("limit_duplicate", "limit cpu 5s\nlimit cpu 6s\n", 8, 7, "duplicate limit cpu (the first is at line 7)", "once"),
	ERR("limit_more", "limit cpu 5s 6s\n", 7, 14, "unexpected '6s'", "limit cpu 10s"),
	ERR("share_missing", "share /nonexistent-doorway-folder\n", 7, 7, "folder '/nonexistent-doorway-folder' not found", "lesson's own folder"),
	ERR("share_file", "share /etc/hostname\n", 7, 7, "is not a folder", "share a folder"),
	ERR("share_root", "share /\n", 7, 7, "share / would show the whole machine", "share only the folder"),
	ERR("share_none", "share\n", 7, 7, "share needs a folder", "share DIR"),
	ERR("statement_typo_env", "evn A=1\n", 7, 1, "unknown step 'evn'", "did you mean 'env'?"),
	/* faults (switch mode) */
	ERR("fault_unknown", "fault lss 10%\n", 7, 7, "unknown fault 'lss'", "did you mean 'loss'?"),
	ERR("fault_unknown_list", "fault wobble 10%\n", 7, 7, "unknown fault 'wobble'", "faults are: loss 10%"),
	ERR("fault_empty", "fault\n", 7, 7, "fault needs a fault", "write: fault loss 10%"),
	ERR("fault_not_percent", "fault loss 10\n", 7, 12, "'10' is not a percentage", "loss 10%"),
	ERR("fault_percent_range", "fault duplicate 101%\n", 7, 17, "duplicate 101% is more than 100%", "0% to 100%"),
	ERR("fault_percent_decimals", "fault reorder 1.23456%\n", 7, 15, "is not a percentage", NULL),
	ERR("fault_delay_bad", "fault delay 2h\n", 7, 13, "'2h' is not a duration", "delay 200ms"),
	ERR("fault_delay_range", "fault jitter 61s\n", 7, 14, "jitter 61s is out of range", "1ms to 60s"),
	ERR("fault_rate_bad", "fault rate fast\n", 7, 12, "'fast' is not a rate", "rate 1mbit"),
	ERR("fault_rate_range", "fault rate 20gbit\n", 7, 12, "rate 20gbit is out of range", "8kbit to 10gbit"),
	ERR("fault_drop_next", "fault drop next\n", 7, 12, "'drop next' is a live action", "drop packet N"),
	ERR("fault_drop_word", "fault drop the 3\n", 7, 12, "expected 'packet' after drop", "drop packet 3"),
	ERR("fault_drop_number", "fault drop packet 0\n", 7, 19, "not a packet number", "counted from 1"),
	ERR("fault_hold_duration", "fault hold packet 3\n", 7, 21, "hold needs how long to hold it", "hold packet 3 1500ms"),
	ERR("fault_hold_bad", "fault hold packet 3 soon\n", 7, 21, "'soon' is not a duration", NULL),
	ERR("fault_missing_value", "fault loss\n", 7, 12, "loss needs a percentage", "write: loss 10%"),
	ERR("link_unknown_host", "link carol loss 5%\n", 7, 6, "no host named 'carol'", "hosts are: alice, bob, six"),
	ERR("link_typo_host", "link alcie loss 5%\n", 7, 6, "no host named 'alcie'", "did you mean 'alice'?"),
	ERR("link_no_host", "link\n", 7, 6, "link needs a host", "link HOST"),
	ERR("link_no_fault", "link alice\n", 7, 12, "link needs a fault", NULL),
	ERR("link_duplicate", "link alice loss 1%\nlink alice delay 5ms\n", 8, 1, "duplicate link alice (the first is at line 7)", "one line"),
	ERR("fault_on_bridge", "network bridge\nfault loss 5%\n", 8, 1, "faults need the switch", "network switch"),
	ERR("seed_bad", "seed lucky\n", 7, 6, "seed 'lucky' is not a number", "seed 42"),
	ERR("seed_duplicate", "seed 1\nseed 2\n", 8, 1, "duplicate seed (the first is at line 7)", NULL),
	ERR("seed_extra", "seed 1 2\n", 7, 8, "unexpected '2'", "seed 42"),
	/* hosts */
	ERR("duplicate_host", "host alice 192.0.2.9\n", 7, 6, "host 'alice' is already defined at line 2", NULL),
	ERR("duplicate_address", "host carol 192.0.2.2\n", 7, 12, "address 192.0.2.2 is already used by host 'bob' (line 3)", NULL),
	ERR("duplicate_address6", "host carol 2001:db8:0::6\n", 7, 12, "address 2001:db8::6 is already used by host 'six'", NULL),
	ERR("bad_ipv4", "host carol 192.0.2.300\n", 7, 12, "'192.0.2.300' is not a valid IPv4 address", "four numbers"),
	ERR("bad_ipv6", "host carol 2001:db8::zz\n", 7, 12, "'2001:db8::zz' is not a valid IPv6 address", NULL),
	ERR("multicast_address", "host carol 224.0.0.1\n", 7, 12, "224.0.0.1 is a multicast address", "192.0.2.1"),
	ERR("multicast_address6", "host carol ff02::1\n", 7, 12, "ff02::1 is a multicast address", NULL),
	ERR("loopback_address", "host carol 127.0.0.2\n", 7, 12, "127.0.0.2 is a loopback address", NULL),
	ERR("loopback_address6", "host carol ::1\n", 7, 12, "::1 is a loopback address", NULL),
	ERR("unspecified_address", "host carol 0.0.0.0\n", 7, 12, "the unspecified address", NULL),
	ERR("unspecified_address6", "host carol ::/64\n", 7, 12, "the unspecified address", NULL),
	ERR("network_address", "host carol 192.0.2.0\n", 7, 12, "192.0.2.0 is the network address of its /24 network", NULL),
	ERR("broadcast_address", "host carol 198.51.100.255\n", 7, 12, "broadcast address", NULL),
	ERR("two_ipv4_addresses", "host carol 192.0.2.7 192.0.2.8\n", 7, 22, "host 'carol' already has an IPv4 address (192.0.2.7)", "at most one IPv4"),
	ERR("two_ipv6_addresses", "host carol 2001:db8::7 2001:db8::8\n", 7, 24, "already has an IPv6 address", NULL),
	ERR("three_addresses", "host carol 192.0.2.7 2001:db8::7 x\n", 7, 34, "unexpected 'x'", NULL),
	ERR("bad_prefix", "host carol 192.0.2.7/33\n", 7, 21, "bad prefix length '/33'", "1 to 32"),
	ERR("host_without_address", "host carol\n", 7, 12, "host 'carol' needs an address", NULL),
	ERR("host_reserved_name", "host localhost 192.0.2.7\n", 7, 6, "'localhost' is a reserved word", NULL),
	/* processes */
	ERR("duplicate_process", "process p on bob\n  say \"x\"\n", 7, 9, "process 'p' is already defined at line 5", NULL),
	ERR("undefined_host_in_process", "process q on carol\n  say \"x\"\n", 7, 14, "no host named 'carol'", "hosts are: alice, bob, six"),
	ERR("misspelled_host_in_process", "process q on alcie\n  say \"x\"\n", 7, 14, "no host named 'alcie'", "did you mean 'alice'?"),
	ERR("process_without_on", "process q at bob\n  say \"x\"\n", 7, 11, "expected 'on' after the process name", NULL),
	ERR("process_bad_option", "process q on bob later\n  say \"x\"\n", 7, 18, "unexpected 'later'", "background"),
	ERR("process_untraced_twice", "process q on bob untraced background untraced\n  say \"x\"\n", 7, 38, "unexpected 'untraced'", "each once"),
	ERR("process_without_steps", "process q on bob\n", 7, 1, "process 'q' has no steps", NULL),
	ERRN("no_hosts", "title \"t\"\nprocess p on a\n  say \"x\"\n", 0, 0, "no hosts", "host alice 192.0.2.1", true, 2, 1),
	RAW("no_processes", "title \"t\"\nhost a 192.0.2.1\n", 0, 0, "no processes", NULL),
	RAW("all_background", "title \"t\"\nhost a 192.0.2.1\nprocess p on a background\n  say \"x\"\n", 0, 0, "every process is background", NULL),
	/* socket names */
	ERR("duplicate_socket", "  s = socket udp\n  s = socket tcp\n", 8, 3, "socket 's' already exists (line 7)", "close s first"),
	ERR("undefined_socket", "  send x \"hi\"\n", 7, 8, "no socket named 'x' in process 'p'", "create it first: x = socket udp"),
	ERR("socket_used_after_close", "  s = socket udp\n  close s\n  bind s 9000\n", 9, 8, "socket 's' was closed at line 8", NULL),
	ERR("socket_that_failed", "  s = socket tcp expect EAFNOSUPPORT\n  close s\n", 8, 9, "its creation at line 7 is expected to fail", NULL),
	ERR("reserved_socket_name", "  peer = socket udp\n", 7, 3, "'peer' is a reserved word", NULL),
	ERR("keyword_socket_name", "  send = socket udp\n", 7, 3, "'send' is a reserved word", NULL),
	ERR("bad_socket_name", "  9s = socket udp\n", 7, 3, "'9s' is not a valid socket name", NULL),
	ERR("long_socket_name", "  a234567890123456789012345678901x = socket udp\n", 7, 3, "is too long", "at most 31"),
	/* ports and endpoints */
	ERR("port_not_a_number", "  s = socket udp\n  bind s 90x0\n", 8, 10, "port '90x0' is not a number", NULL),
	ERR("port_out_of_range", "  c = socket udp\n  connect c bob:70000\n", 8, 17, "port 70000 is out of range", "1 to 65535"),
	ERR("port_zero_connect", "  c = socket udp\n  connect c bob:0\n", 8, 17, "port 0 is out of range", NULL),
	ERR("endpoint_port_only", "  c = socket udp\n  connect c 9000\n", 8, 13, "'9000' is only a port", "bob:9000"),
	ERR("endpoint_without_port", "  c = socket udp\n  connect c bob\n", 8, 17, "missing port after 'bob'", NULL),
	ERR("endpoint_empty_port", "  c = socket udp\n  connect c bob:\n", 8, 18, "missing port after ':'", NULL),
	ERR("endpoint_ipv6_without_brackets", "  c = socket udp\n  connect c 2001:db8::2:80\n", 8, 13, "needs brackets", "[2001:db8::2]:9000"),
	ERR("endpoint_undefined_host", "  c = socket udp\n  sendto c carol:9000 \"x\"\n", 8, 12, "no host named 'carol'", NULL),
	ERR("endpoint_bad_ipv4", "  c = socket udp\n  connect c 192.0.2.256:80\n", 8, 13, "'192.0.2.256' is not a valid IPv4 address", NULL),
	ERR("family_mismatch_host", "  c = socket tcp\n  connect c six:80\n", 8, 13, "host 'six' has no IPv4 address, and socket 'c' is IPv4", "c = socket tcp ipv6"),
	ERR("family_mismatch_literal", "  c = socket tcp\n  connect c [2001:db8::2]:80\n", 8, 13, "2001:db8::2 is an IPv6 address, but socket 'c' is IPv4", NULL),
	ERR("family_not_on_host", "  c = socket udp ipv6\n", 7, 18, "host 'alice' has no IPv6 address", NULL),
	ERR("bind_foreign_address", "  s = socket udp\n  bind s 192.0.2.2:80\n", 8, 10, "192.0.2.2 is not an address of host 'alice'", "bind s alice:80"),
	ERR("bind_foreign_host", "  s = socket udp\n  bind s bob:80\n", 8, 10, "process 'p' runs on host 'alice'; it cannot bind to an address of 'bob'", NULL),
	/* kinds and states of sockets */
	ERR("listen_on_udp", "  s = socket udp\n  listen s\n", 8, 10, "listen is for TCP, and 's' is UDP", NULL),
	ERR("listen_connected", "  s = socket tcp\n  connect s bob:1\n  listen s\n", 9, 10, "socket 's' is connected (line 8)", NULL),
	ERR("accept_not_listening", "  s = socket tcp\n  c = accept s\n", 8, 14, "socket 's' is not listening", "listen s first"),
	ERR("accept_on_udp", "  s = socket udp\n  c = accept s\n", 8, 14, "accept is for TCP, and 's' is UDP", "recvfrom"),
	ERR("sendto_on_tcp", "  s = socket tcp\n  sendto s bob:80 \"x\"\n", 8, 10, "sendto is for UDP, and 's' is TCP", "use send/recv"),
	ERR("recvfrom_on_tcp", "  s = socket tcp\n  recvfrom s\n", 8, 12, "recvfrom is for UDP, and 's' is TCP", "use send/recv"),
	ERR("connect_listening", "  s = socket tcp\n  bind s 80\n  listen s\n  connect s bob:80\n", 10, 11, "socket 's' is listening; it cannot also connect", NULL),
	ERR("connect_twice_tcp", "  s = socket tcp\n  connect s bob:80\n  connect s bob:81\n", 9, 11, "socket 's' is already connected (line 8)", NULL),
	ERR("bind_twice", "  s = socket udp\n  bind s 1\n  bind s 2\n", 9, 8, "socket 's' is already bound (line 8)", NULL),
	ERR("bind_after_send", "  s = socket udp\n  sendto s bob:1 \"x\"\n  bind s 2\n", 9, 8, "socket 's' already has a port, from line 8", "bind before"),
	ERR("mss_on_udp", "  s = socket udp\n  setsockopt s mss 1000\n", 8, 16, "mss is a TCP option, and 's' is UDP", NULL),
	ERR("nodelay_on_udp", "  s = socket udp\n  setsockopt s nodelay on\n", 8, 16, "nodelay is a TCP option", NULL),
	ERR("send_unconnected_tcp", "  s = socket tcp\n  send s \"x\"\n", 8, 8, "socket 's' is not connected", "connect s HOST:PORT first, or accept a connection"),
	ERR("recv_unconnected_tcp", "  s = socket tcp\n  recv s\n", 8, 8, "socket 's' is not connected", "connect s HOST:PORT first, or accept a connection"),
	ERR("send_unconnected_udp", "  s = socket udp\n  send s \"x\"\n", 8, 8, "UDP socket 's' is not connected", "use sendto, or connect s first"),
	ERR("recv_unconnected_udp", "  s = socket udp\n  recv s\n", 8, 8, "UDP socket 's' is not connected", "use recvfrom, or connect s first"),
	ERR("send_on_listening", "  s = socket tcp\n  listen s\n  send s \"x\"\n", 9, 8, "socket 's' is listening", "accept"),
	ERR("sendto_peer_without_recvfrom", "  s = socket udp\n  bind s 5\n  sendto s peer \"x\"\n", 9, 12, "socket 's' has no peer yet", "recvfrom s first"),
	ERR("recvfrom_without_port", "  s = socket udp\n  recvfrom s\n", 8, 12, "socket 's' has no port yet", "bind s PORT first"),
	ERR("shutdown_unconnected", "  s = socket tcp\n  shutdown s write\n", 8, 12, "is not connected, so there is nothing to shut down", NULL),
	ERR("shutdown_bad_direction", "  s = socket tcp\n  connect s bob:1\n  shutdown s sideways\n", 9, 14, "unknown direction 'sideways'", NULL),
	ERR("unknown_protocol", "  s = socket sctp\n", 7, 14, "unknown protocol 'sctp'", NULL),
	ERR("unknown_family", "  s = socket udp ipv5\n", 7, 18, "unknown address family 'ipv5'", NULL),
	ERR("unknown_sockopt", "  s = socket tcp\n  setsockopt s nodelya on\n", 8, 16, "unknown option 'nodelya'", "did you mean 'nodelay'?"),
	ERR("sockbuf_out_of_range", "  s = socket tcp\n  setsockopt s sndbuf 32m\n", 8, 23, "buffer size '32m' is not a number from 1 to 16777216", NULL),
	ERR("mss_out_of_range", "  s = socket tcp\n  setsockopt s mss 87\n", 8, 20, "mss '87' is not a number from 88 to 65535", NULL),
	ERR("nodelay_bad_value", "  s = socket tcp\n  setsockopt s nodelay yes\n", 8, 24, "nodelay is on or off, not 'yes'", NULL),
	ERR("backlog_out_of_range", "  s = socket tcp\n  listen s 5000\n", 8, 12, "backlog '5000' is not a number from 1 to 4096", NULL),
	ERR("recv_size_out_of_range", "  s = socket tcp\n  connect s bob:1\n  recv s 2m\n", 9, 10, "buffer size '2m' is not a number from 1 to 1048576", NULL),
	/* arguments and tokens */
	ERR("missing_argument", "  s = socket udp\n  bind s\n", 8, 10, "bind needs a port or HOST:PORT", "bind SOCKET PORT"),
	ERR("missing_socket", "  close\n", 7, 9, "close needs a socket", "close SOCKET"),
	ERR("extra_token", "  s = socket udp\n  close s now\n", 8, 11, "unexpected 'now'", "close SOCKET"),
	ERR("expect_on_say", "  say \"x\" expect EPIPE\n", 7, 11, "only a socket call can expect an error", NULL),
	ERR("expect_without_name", "  s = socket udp\n  close s expect\n", 8, 18, "expect needs an error name", NULL),
	ERR("unknown_errno", "  c = socket tcp\n  connect c bob:1 expect ECONREFUSED\n", 8, 26, "unknown error name 'ECONREFUSED'", "did you mean 'ECONNREFUSED'?"),
	ERR("unknown_errno_list", "  c = socket tcp\n  connect c bob:1 expect EOOPS_WHAT\n", 8, 26, "unknown error name 'EOOPS_WHAT'", "ECONNREFUSED"),
	ERR("unterminated_string", "  say \"hello\n", 7, 7, "unterminated string", "close it"),
	ERR("bad_escape", "  say \"a\\qb\"\n", 7, 9, "unknown escape '\\q'", "\\xHH"),
	ERR("bad_hex_escape", "  say \"\\x4\"\n", 7, 8, "'\\x' needs two hex digits", NULL),
	ERR("caption_unquoted", "  say hello\n", 7, 7, "a caption must be in quotes", NULL),
	ERR("empty_payload", "  s = socket udp\n  sendto s bob:1 \"\"\n", 8, 18, "empty message", "at least one byte"),
	ERR("zero_bytes_payload", "  s = socket udp\n  sendto s bob:1 0 bytes\n", 8, 18, "empty message", NULL),
	ERR("payload_too_big", "  s = socket udp\n  sendto s bob:1 2m bytes\n", 8, 18, "larger than the limit of 1048576 bytes", NULL),
	ERR("payload_unquoted", "  s = socket udp\n  sendto s bob:1 hello\n", 8, 18, "a message must be in quotes", "\"hello\""),
	ERR("payload_number_alone", "  s = socket udp\n  sendto s bob:1 100\n", 8, 22, "a number alone is not a message", "100 bytes"),
	ERR("sleep_out_of_range", "  sleep 61s\n", 7, 9, "sleep 61s is out of range", "1ms to 60s"),
	ERR("sleep_zero", "  sleep 0ms\n", 7, 9, "sleep 0ms is out of range", NULL),
	ERR("sleep_without_unit", "  sleep 5\n", 7, 9, "'5' is not a duration", "200ms"),
	ERR("sleep_fraction_ms", "  sleep 1.5ms\n", 7, 9, "'1.5ms' is not a duration", NULL),
	/* exec */
	ERR("exec_not_last", "process w on bob\n  exec sh -c true\n  say \"after\"\n", 9, 3, "exec must be the last step of process 'w'", "line 8"),
	ERR("exec_twice", "process w on bob\n  exec sh\n  exec sh\n", 9, 3, "exec must be the last step", NULL),
	ERR("exec_with_sockets", "process w on bob\n  s = socket udp\n  exec sh\n", 9, 3, "process 'w' uses sockets (line 8), so it cannot also exec", NULL),
	ERR("exec_program_not_found", "process w on bob\n  exec no-such-program-doorway --flag\n", 8, 8, "program 'no-such-program-doorway' not found", "install it or fix the name"),
	ERR("exec_path_not_found", "process w on bob\n  exec ./no/such/prog\n", 8, 8, "program './no/such/prog' not found", "install it or fix the name"),
	ERR("exec_directory", "process w on bob\n  exec /\n", 8, 8, "program '/' not found", NULL),
	ERR("exec_without_program", "process w on bob\n  exec\n", 8, 8, "exec needs a program", NULL),
	/* errors do not cascade: a failed socket line keeps its name quiet */
	ERR("no_cascade_after_bad_socket", "  s = socket udpp\n  bind s 9000\n  close s\n", 7, 14, "unknown protocol 'udpp'", NULL),
};

static void run_err_case(void **state)
{
	const struct err_case *k = *state;
	struct buf b = { 0 };
	struct sc_diags d;
	if (!k->raw)
		buf_addstr(&b, PRE);
	buf_addstr(&b, k->body);
	struct scenario *sc = scenario_parse("t.lab", b.p, b.len, &d);
	int want = k->count;
	if (sc || d.total != want) {
		scenario_print_diags(stderr, "t.lab", b.p, b.len, &d);
		scenario_free(sc);
		buf_free(&b);
		fail_msg("%s: want %d error(s), got %d", k->name, want, d.total);
	}
	assert_diag(&d, k->index, k->line, k->col, k->msg, k->hint);
	/* every diagnostic has a message and a hint for the student */
	for (int i = 0; i < d.n; i++) {
		assert_true(d.d[i].msg[0] != '\0');
		assert_true(d.d[i].hint[0] != '\0');
	}
	buf_free(&b);
}

/* ---- several errors, limits, whole files ---- */

static void test_several_errors_in_order(void **state)
{
	const char *text =
		"title \"multi\"\n"                  /* 1 */
		"host alice 192.0.2.1\n"              /* 2 */
		"process p on alice\n"                /* 3 */
		"  s = socket udp\n"                  /* 4 */
		"  sned s \"x\"\n"                    /* 5 */
		"  send s \"x\"\n"                    /* 6 */
		"  close s\n"                         /* 7 */
		"  close s\n"                         /* 8 */
		"host bob 192.0.2.1\n"                /* 9: found in the first pass */
		"process q on nowhere\n"              /* 10 */
		"  say \"unterminated\n"              /* 11 */
		"  sleep soon\n";                     /* 12 */
	struct sc_diags d;
	parse_bad(text, strlen(text), &d);
	assert_int_equal(d.total, 7);
	assert_int_equal(d.n, 7);
	assert_diag(&d, 0, 5, 3, "unknown step 'sned'", NULL);
	assert_diag(&d, 1, 6, 8, "UDP socket 's' is not connected", NULL);
	assert_diag(&d, 2, 8, 9, "socket 's' was closed at line 7", NULL);
	assert_diag(&d, 3, 9, 10, "address 192.0.2.1 is already used by host 'alice' (line 2)", NULL);
	assert_diag(&d, 4, 10, 14, "no host named 'nowhere'", NULL);
	assert_diag(&d, 5, 11, 7, "unterminated string", NULL);
	assert_diag(&d, 6, 12, 9, "'soon' is not a duration", NULL);
}

static void test_fixture_with_errors(void **state)
{
	struct sc_diags d;
	assert_null(scenario_load("scenarios/bad-mixed.lab", &d));
	assert_int_equal(d.total, 4);
	assert_diag(&d, 0, 5, 3, "unknown step 'sned'", "did you mean 'send'?");
	assert_diag(&d, 1, 6, 7, "UDP socket 'c' is not connected", NULL);
	assert_diag(&d, 2, 7, 13, "no host named 'carol'", "hosts are: alice");
	assert_diag(&d, 3, 7, 29, "unknown error name 'ECONREFUSED'", NULL);
}

static void test_load_missing_file(void **state)
{
	struct sc_diags d;
	assert_null(scenario_load("scenarios/no-such-file.lab", &d));
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, 0, 0, "cannot read scenarios/no-such-file.lab: No such file or directory", NULL);
	assert_null(scenario_load("scenarios", &d));
	assert_diag(&d, 0, 0, 0, "cannot read scenarios: Is a directory", NULL);

	char *out = NULL;
	size_t outlen = 0;
	assert_null(scenario_load("scenarios/no-such-file.lab", &d));
	FILE *f = open_memstream(&out, &outlen);
	assert_non_null(f);
	scenario_print_diags(f, "x.lab", NULL, 0, &d);
	fclose(f);
	assert_string_equal(out, "x.lab: error: cannot read scenarios/no-such-file.lab: "
				 "No such file or directory\n1 error\n");
	free(out);
}

static char *print_to_string(const char *text, struct sc_diags *d)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	assert_non_null(f);
	scenario_print_diags(f, "scenarios/x.lab", text, text ? strlen(text) : 0, d);
	fclose(f);
	return out;
}

static void test_print_format(void **state)
{
	const char *text =
		"title \"x\"\n"
		"host alice 192.0.2.1\n"
		"process p on alice\n"
		"  c = socket udp\n"
		"\tsned c \"hi\"\r\n"
		"  close c extra\n";
	struct sc_diags d;
	parse_bad(text, strlen(text), &d);
	char *out = print_to_string(text, &d);
	assert_string_equal(out,
		"scenarios/x.lab:5:2: error: unknown step 'sned'\n"
		"    5 | \tsned c \"hi\"\n"
		"      | \t^\n"
		"  hint: did you mean 'send'?\n"
		"scenarios/x.lab:6:11: error: unexpected 'extra'\n"
		"    6 |   close c extra\n"
		"      |           ^\n"
		"  hint: write: close SOCKET\n"
		"2 errors\n");
	free(out);

	text = "host alice 192.0.2.1\nprocess p on alice\n  say \"x\"\n";
	parse_bad(text, strlen(text), &d);
	out = print_to_string(text, &d);
	assert_string_equal(out,
		"scenarios/x.lab: error: missing title\n"
		"  hint: add a line like: title \"UDP echo\"\n"
		"1 error\n");
	free(out);
}

/* A quoted line with controls (C1 raw and as UTF-8), invisible characters
 * (a BOM, a zero-width space) or bytes that are not UTF-8: shown escaped,
 * never raw, in the line and in the message, and the caret still under
 * the word it points at. */
static void test_print_escapes_hidden_characters(void **state)
{
	const char *text =
		"title \"x\"\n"
		"host alice 192.0.2.1\n"
		"process p on alice\n"
		"  say \"\xc2\x9b" "2J\xe2\x80\x8b\x9b\" bogus\n"
		"  sned\xc2\x9d\xef\xbb\xbf x\n";
	struct sc_diags d;
	parse_bad(text, strlen(text), &d);
	char *out = print_to_string(text, &d);
	assert_string_equal(out,
		"scenarios/x.lab:4:18: error: unexpected 'bogus'\n"
		"    4 |   say \"\\xc2\\x9b2J\\xe2\\x80\\x8b\\x9b\" bogus\n"
		"      |                                    ^\n"
		"  hint: write: say \"caption\"\n"
		"scenarios/x.lab:5:3: error: unknown step 'sned\\xc2\\x9d\\xef\\xbb\\xbf'\n"
		"    5 |   sned\\xc2\\x9d\\xef\\xbb\\xbf x\n"
		"      |   ^\n"
		"  hint: steps are: socket bind listen accept connect send sendto recv recvfrom shutdown close setsockopt "
		"sleep say exec\n"
		"2 errors\n");
	free(out);
	/* a character shown as it is takes one place, whatever its bytes */
	text = "title \"x\"\nhost alice 192.0.2.1\nprocess p on alice\n  say \"caf\xc3\xa9\" bogus\n";
	parse_bad(text, strlen(text), &d);
	out = print_to_string(text, &d);
	assert_non_null(strstr(out, "    4 |   say \"caf\xc3\xa9\" bogus\n"
				    "      |              ^\n"));
	free(out);
}

static void test_too_many_errors(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, PRE);
	for (int i = 0; i < 150; i++)
		buf_printf(&b, "  bogus%d\n", i);
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 150);
	assert_int_equal(d.n, SC_MAX_DIAGS);
	assert_diag(&d, 0, 7, 3, "unknown step 'bogus0'", NULL);
	assert_diag(&d, SC_MAX_DIAGS - 1, 7 + SC_MAX_DIAGS - 1, 3, "unknown step 'bogus99'", NULL);
	char *out = print_to_string(b.p, &d);
	assert_non_null(strstr(out, "150 errors (only the first 100 are shown)\n"));
	free(out);
	buf_free(&b);
}

static void test_limit_hosts(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, "title \"t\"\n");
	for (int i = 0; i < SC_MAX_HOSTS; i++)
		buf_printf(&b, "host h%d 10.0.%d.%d\n", i, i / 200, 1 + i % 200);
	buf_addstr(&b, "process p on h63\n  say \"x\"\n");
	struct scenario *sc = parse_ok(b.p);
	assert_int_equal(sc->nhosts, SC_MAX_HOSTS);
	assert_int_equal(sc->procs[0].host, 63);
	scenario_free(sc);

	buf_addstr(&b, "host one-too-many 10.1.0.1\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, SC_MAX_HOSTS + 4, 1, "too many hosts (limit 64)", NULL);
	buf_free(&b);
}

static void test_limit_processes(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, "title \"t\"\nhost a 192.0.2.1\n");
	for (int i = 0; i < SC_MAX_PROCS; i++)
		buf_printf(&b, "process p%d on a\n  say \"x\"\n", i);
	struct scenario *sc = parse_ok(b.p);
	assert_int_equal(sc->nprocs, SC_MAX_PROCS);
	scenario_free(sc);

	buf_addstr(&b, "process last on a\n  s = socket udp\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, 3 + 2 * SC_MAX_PROCS, 1, "too many processes (limit 64)", NULL);
	buf_free(&b);
}

static void test_limit_steps(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, "title \"t\"\nhost a 192.0.2.1\nprocess p on a\n");
	for (int i = 0; i < SC_MAX_STEPS; i++)
		buf_addstr(&b, "  sleep 1ms\n");
	struct scenario *sc = parse_ok(b.p);
	assert_int_equal(sc->procs[0].nsteps, SC_MAX_STEPS);
	scenario_free(sc);

	buf_addstr(&b, "  say \"one too many\"\n  say \"two too many\"\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 1); /* said once per process */
	assert_diag(&d, 0, 4 + SC_MAX_STEPS, 3, "too many steps in process 'p' (limit 1024)", NULL);
	buf_free(&b);
}

static void test_limit_sockets(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, "title \"t\"\nhost a 192.0.2.1\nprocess p on a\n");
	for (int i = 0; i < SC_MAX_SOCKS; i++)
		buf_addstr(&b, "  s = socket udp\n  close s\n");
	struct scenario *sc = parse_ok(b.p);
	assert_int_equal(sc->procs[0].nsocks, SC_MAX_SOCKS);
	assert_int_equal(sc->procs[0].steps[2 * SC_MAX_SOCKS - 1].sock, SC_MAX_SOCKS - 1);
	scenario_free(sc);

	buf_addstr(&b, "  s = socket udp\n  close s\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 1); /* and not again for "close s" */
	assert_diag(&d, 0, 4 + 2 * SC_MAX_SOCKS, 3, "too many sockets in process 'p' (limit 64)", NULL);
	buf_free(&b);
}

static void test_long_line(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, PRE "  say \"");
	for (int i = 0; i < SC_MAX_LINE; i++)
		buf_addc(&b, 'x');
	buf_addstr(&b, "\"\n  sned\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 2); /* the line after it is still read */
	assert_diag(&d, 0, 7, 1, "line 7 is longer than 4096 bytes", NULL);
	assert_diag(&d, 1, 8, 3, "unknown step 'sned'", NULL);
	char *out = print_to_string(b.p, &d);
	assert_non_null(strstr(out, "...\n"));
	free(out);
	buf_free(&b);
}

static void test_not_text(void **state)
{
	static const char text[] = "title \"t\"\nhost a 192.0.2.1\nproc\0ess p on a\n";
	struct sc_diags d;
	parse_bad(text, sizeof text - 1, &d);
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, 3, 5, "not a text file", NULL);
}

static void test_file_too_large(void **state)
{
	size_t len = SC_MAX_FILE + 1;
	char *text = xmalloc(len);
	memset(text, '\n', len);
	struct sc_diags d;
	parse_bad(text, len, &d);
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, 0, 0, "larger than 1 MiB", NULL);
	free(text);

	/* an empty file is not a crash either */
	parse_bad("", 0, &d);
	assert_int_equal(d.total, 3);
	parse_bad(NULL, 0, &d);
}

static void test_total_payload_limit(void **state)
{
	struct buf b = { 0 };
	buf_addstr(&b, PRE "  s = socket udp\n");
	for (unsigned i = 0; i < SC_MAX_TOTAL_PAYLOAD / SC_MAX_PAYLOAD; i++)
		buf_addstr(&b, "  sendto s bob:9 1m bytes\n");
	struct scenario *sc = parse_ok(b.p);
	scenario_free(sc);
	buf_addstr(&b, "  sendto s bob:9 1 bytes\n  sendto s bob:9 \"x\"\n");
	struct sc_diags d;
	parse_bad(b.p, b.len, &d);
	assert_int_equal(d.total, 1);
	assert_diag(&d, 0, 8 + (int)(SC_MAX_TOTAL_PAYLOAD / SC_MAX_PAYLOAD), 18,
		    "add up to more than 16 MiB", NULL);
	buf_free(&b);
}

/* ---- sweeps: nothing may crash, leak, or slip through ---- */

static void check_any(const char *text, size_t len)
{
	struct sc_diags d;
	struct scenario *sc = scenario_parse("fuzz.lab", text, len, &d);
	assert_true((sc != NULL) == (d.total == 0));
	assert_true(d.n <= SC_MAX_DIAGS && d.n <= d.total);
	for (int i = 0; i < d.n; i++) {
		assert_true(d.d[i].line >= 0 && d.d[i].col >= 0);
		assert_non_null(memchr(d.d[i].msg, '\0', sizeof d.d[i].msg));
	}
	FILE *f = fopen("/dev/null", "w");
	assert_non_null(f);
	scenario_print_diags(f, "fuzz.lab", text, len, &d);
	fclose(f);
	scenario_free(sc);
}

static void test_truncation_sweep(void **state)
{
	const char *files[] = { "scenarios/good-echo.lab", "scenarios/good-tcp.lab",
				"scenarios/bad-mixed.lab" };
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len;
		char *text = read_fixture(files[f], &len);
		for (size_t n = 0; n <= len; n++) {
			char *copy = xmemdup(text, n); /* exactly n bytes: ASan sees overreads */
			check_any(copy, n);
			free(copy);
		}
		free(text);
	}
}

static void test_mutation_sweep(void **state)
{
	static const char *const words[] = {
		" ", "\n", "\t", "\"", "\\", "\\x", "#", "=", ":", "[", "]", "/", "0", "65536",
		"socket", "udp", "tcp", "ipv6", "bind", "listen", "accept", "connect", "send",
		"sendto", "recv", "recvfrom", "shutdown", "close", "setsockopt", "sleep", "say",
		"exec", "expect", "EPIPE", "peer", "localhost", "process", "host", "title",
		"background", "bytes", "1m", "::", "2001:db8::2", "192.0.2.2", "\0", "\r", "\xff",
	};
	uint32_t seed = 12345;
	size_t len;
	char *base = read_fixture("scenarios/good-tcp.lab", &len);
	for (int iter = 0; iter < 3000; iter++) {
		struct buf b = { 0 };
		buf_add(&b, base, len);
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (b.len + 1);
			seed = seed * 1103515245u + 12345u;
			const char *w = words[(seed >> 8) % (sizeof words / sizeof words[0])];
			size_t wl = *w ? strlen(w) : 1;
			seed = seed * 1103515245u + 12345u;
			size_t del = (seed >> 8) % 4;
			if (at + del > b.len)
				del = b.len - at;
			struct buf nb = { 0 };
			buf_add(&nb, b.p, at);
			buf_add(&nb, w, wl);
			buf_add(&nb, b.p + at + del, b.len - at - del);
			buf_free(&b);
			b = nb;
		}
		char *copy = xmemdup(b.p, b.len);
		check_any(copy, b.len);
		free(copy);
		buf_free(&b);
	}
	free(base);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_echo_fixture),
		cmocka_unit_test(test_tcp_fixture),
		cmocka_unit_test(test_ipv6_and_endpoints),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_expect_and_options),
		cmocka_unit_test(test_lexing),
		cmocka_unit_test(test_exec_forms),
		cmocka_unit_test(test_await),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_several_errors_in_order),
		cmocka_unit_test(test_fixture_with_errors),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_print_format),
		cmocka_unit_test(test_print_escapes_hidden_characters),
		cmocka_unit_test(test_too_many_errors),
		cmocka_unit_test(test_limit_hosts),
		cmocka_unit_test(test_limit_processes),
		cmocka_unit_test(test_limit_steps),
		cmocka_unit_test(test_limit_sockets),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_file_too_large),
		cmocka_unit_test(test_total_payload_limit),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_confine_statements),
		cmocka_unit_test(test_live_faults),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_mutation_sweep),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	size_t ncases = sizeof err_cases / sizeof err_cases[0];
	struct CMUnitTest *tests = xcalloc(nfixed + ncases, sizeof *tests);
	memcpy(tests, fixed, sizeof fixed);
	for (size_t i = 0; i < ncases; i++) {
		tests[nfixed + i].name = err_cases[i].name;
		tests[nfixed + i].test_func = run_err_case;
		tests[nfixed + i].initial_state = (void *)&err_cases[i];
	}
	int r = _cmocka_run_group_tests("scenario", tests, nfixed + ncases, NULL, NULL);
	free(tests);
	return r;
}
