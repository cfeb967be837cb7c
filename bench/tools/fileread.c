/* fileread — a lab program for the tracing benchmark: N reads of 4 KiB of
 * a file (from the page cache), then "reads N in MS ms". Its reads are of
 * a file, never of a socket: tracing must not slow them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/prog.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *usage = "fileread FILE N";
	prog_args(argc, argv, "fileread", usage, "N reads of 4 KiB of FILE (a lab program for the tracing benchmark).", NULL);
	if (argc != 3)
		prog_usage_error("fileread", usage, "want FILE and N");
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	long n = atol(argv[2]);
	static char block[4096];
	double t0 = now_ms();
	for (long i = 0; i < n; i++) {
		if (read(fd, block, sizeof block) < (ssize_t)sizeof block)
			lseek(fd, 0, SEEK_SET);
	}
	printf("reads %ld in %.1f ms\n", n, now_ms() - t0);
	return 0;
}
