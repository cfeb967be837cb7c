/* udpflood — a lab program for the capture benchmark.
 *   udpflood send ADDR PORT SECONDS   send 64-byte UDP datagrams as fast as possible
 *   udpflood sink PORT SECONDS        receive them
 * Each prints "sent N" / "received N" when its time is up. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/prog.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *usage = "udpflood send ADDR PORT SECONDS | sink PORT SECONDS";
	prog_args(argc, argv, "udpflood", usage, "A lab program for the capture benchmark: 64-byte UDP datagrams as fast as possible.", NULL);
	if (argc == 5 && !strcmp(argv[1], "send")) {
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])) };
		inet_pton(AF_INET, argv[2], &to.sin_addr);
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		char buf[64] = "doorway capture benchmark";
		double end = now() + atof(argv[4]);
		long n = 0;
		while (now() < end)
			for (int k = 0; k < 64; k++)
				if (sendto(fd, buf, sizeof buf, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof buf)
					n++;
		printf("sent %ld\n", n);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "sink")) {
		struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		int big = 8 << 20;
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		if (bind(fd, (struct sockaddr *)&me, sizeof me) < 0)
			return 1;
		double end = now() + atof(argv[3]);
		long n = 0;
		char buf[2048];
		while (now() < end) {
			struct pollfd p = { fd, POLLIN, 0 };
			if (poll(&p, 1, 50) > 0)
				while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
					n++;
		}
		printf("received %ld\n", n);
		return 0;
	}
	prog_usage_error("udpflood", usage, NULL);
}
