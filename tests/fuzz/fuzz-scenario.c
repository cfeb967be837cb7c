/* Fuzz the .lab parser: any bytes give a scenario or diagnostics, never a
 * crash, a leak or an endless loop; the diagnostics print with their lines. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "report.h"
#include "scenario.h"

int fuzz_scenario(const uint8_t *data, size_t size)
{
	struct sc_diags *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	struct scenario *sc = scenario_parse("fuzz.lab", (const char *)data, size, d);
	FILE *out = fuzz_devnull();
	if (!sc) {
		FUZZ_CHECK(d->total > 0 && d->n > 0 && d->n <= SC_MAX_DIAGS && d->n <= d->total);
		for (int i = 0; i < d->n; i++) {
			FUZZ_CHECK(memchr(d->d[i].msg, '\0', sizeof d->d[i].msg));
			FUZZ_CHECK(memchr(d->d[i].hint, '\0', sizeof d->d[i].hint));
			FUZZ_CHECK(d->d[i].line >= 0 && d->d[i].col >= 0);
		}
		scenario_print_diags(out, "fuzz.lab", (const char *)data, size, d);
		free(d);
		return 0;
	}
	FUZZ_CHECK(d->total == 0);
	FUZZ_CHECK(sc->title != NULL);
	FUZZ_CHECK(sc->nhosts >= 1 && sc->nhosts <= SC_MAX_HOSTS);
	FUZZ_CHECK(sc->nprocs >= 1 && sc->nprocs <= SC_MAX_PROCS);
	size_t total = 0;
	for (int p = 0; p < sc->nprocs; p++) {
		const struct sc_proc *pr = &sc->procs[p];
		FUZZ_CHECK(pr->host >= 0 && pr->host < sc->nhosts);
		FUZZ_CHECK(pr->nsteps >= 0 && pr->nsteps <= SC_MAX_STEPS);
		FUZZ_CHECK(pr->nsocks >= 0 && pr->nsocks <= SC_MAX_SOCKS);
		for (int i = 0; i < pr->nsteps; i++) {
			const struct sc_step *s = &pr->steps[i];
			FUZZ_CHECK(s->sock >= -1 && s->sock < pr->nsocks);
			FUZZ_CHECK(s->new_sock >= -1 && s->new_sock < pr->nsocks);
			FUZZ_CHECK(s->len <= SC_MAX_PAYLOAD);
			FUZZ_CHECK(s->len == 0 || s->data != NULL);
			total += s->len;
			if (s->op == SC_EXEC) {
				FUZZ_CHECK(s->argc >= 1 && s->argv && s->argv[s->argc] == NULL);
				FUZZ_CHECK(i == pr->nsteps - 1);
			}
			if (s->op == SC_SAY)
				FUZZ_CHECK(s->text != NULL);
			if (s->op == SC_SLEEP)
				FUZZ_CHECK(s->ms <= SC_MAX_SLEEP_MS);
			char a[64];
			if (s->op == SC_CONNECT || (s->op == SC_SENDTO && !s->ep.peer))
				sc_addr_format(&s->ep.addr, a, sizeof a);
			(void)sc_op_name(s->op);
		}
	}
	FUZZ_CHECK(total <= SC_MAX_TOTAL_PAYLOAD);
	for (int h = 0; h < sc->nhosts; h++) {
		FUZZ_CHECK(sc->hosts[h].has4 || sc->hosts[h].has6);
		(void)sc_host_addr(sc, h, AF_INET);
		(void)sc_host_addr(sc, h, AF_INET6);
	}
	/* the headless report's header reads names and the title */
	struct report *rep = report_new(out, sc, REPORT_TEXT);
	report_free(rep);
	scenario_free(sc);
	free(d);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scenario(data, size);
}
#endif
