/* prog.h — the command line that every test, test helper and benchmark
 * program shares: --help (or -h) prints its usage on stdout and exits 0; an
 * option it does not know is refused on stderr with exit 2, before the
 * program does anything (bench-ingest once took --help for a file name and
 * wrote 764 MB to it). Header only: the programs link nothing else in common. */
#ifndef DOORWAY_TESTS_PROG_H
#define DOORWAY_TESTS_PROG_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG_EXIT_USAGE 2

/* Usage on stderr, exit 2: for any argument the program cannot take. */
__attribute__((noreturn, unused)) static void prog_usage_error(const char *name, const char *usage,
							   const char *what)
{
	if (what)
		fprintf(stderr, "%s: %s\n", name, what);
	fprintf(stderr, "usage: %s\n", usage);
	exit(PROG_EXIT_USAGE);
}

/* Handles --help/-h, and refuses every other option unless it is listed in
 * OPTS (NULL-terminated; NULL for none). As getopt does, options end at the
 * first argument that is not one ("-" alone is not), or after "--": what
 * follows is the program's (a file or a name may start with "-"). */
__attribute__((unused)) static void prog_args(int argc, char **argv, const char *name, const char *usage,
					      const char *about, const char *const *opts)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: %s\n%s%s", usage, about ? about : "", about ? "\n" : "");
			exit(0);
		}
		if (a[0] != '-' || !a[1])
			return;
		bool known = false;
		for (int k = 0; opts && opts[k] && !known; k++)
			known = !strcmp(a, opts[k]);
		if (!known) {
			char what[256];
			snprintf(what, sizeof what, "unknown option %.200s", a);
			prog_usage_error(name, usage, what);
		}
	}
}

/* A unit test program (tests/test-*.c) takes no argument but --help, or
 * the options it names by defining test_args_options() (a NULL-terminated
 * list) and test_args_usage(); tests/unit-args.c, linked into each of them,
 * checks its command line before main() runs, so that no test has to
 * remember to. */
const char *const *test_args_options(void);
const char *test_args_usage(void);

#endif
