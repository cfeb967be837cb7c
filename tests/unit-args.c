/* unit-args — linked into every unit test program (tests/test-*.c): their
 * shared command line, checked before main() runs so that no test has to
 * remember it. glibc calls an ELF constructor with main's argc and argv.
 * --help/-h prints the usage on stdout (exit 0); any other argument is
 * refused on stderr (exit 2) unless the test names it in its
 * test_args_options() (tests/prog.h). */
#include "prog.h"

#include <string.h>

/* weak: NULL in a test that defines neither */
#pragma weak test_args_options
#pragma weak test_args_usage

__attribute__((constructor)) static void unit_args(int argc, char **argv, char **envp)
{
	const char *name = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	name = name ? name + 1 : argc > 0 && argv[0] ? argv[0] : "test";
	const char *const *opts = test_args_options ? test_args_options() : NULL;
	char usage[256];
	if (test_args_usage)
		snprintf(usage, sizeof usage, "%s", test_args_usage());
	else
		snprintf(usage, sizeof usage, "%.100s   (run from tests/: fixture paths are relative)", name);
	prog_args(argc, argv, name, usage, "A cmocka unit test program: it runs its tests (cmocka's environment, such as CMOCKA_MESSAGE_OUTPUT, applies).", opts);
	for (int i = 1; i < argc; i++) {
		bool known = false;
		for (int k = 0; opts && opts[k] && !known; k++)
			known = !strcmp(argv[i], opts[k]);
		if (!known)
			prog_usage_error(name, usage, opts ? "takes no arguments but its options" : "takes no arguments");
	}
}
