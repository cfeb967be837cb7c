/* tcpserver.c -- a TCP server in C with the plain system calls: a
 * welcoming socket on port 12001; for each client, one read of its request
 * and one write of a longer answer, then close. It serves forever (a
 * lesson stops it at the end).
 *
 *   tcpserver [PORT]
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 12001;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(s, 5) < 0) {
		perror("listen");
		return 1;
	}
	printf("tcpserver: listening on port %d\n", port);
	fflush(stdout);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0) {
			perror("accept");
			continue;
		}
		char req[256];
		ssize_t n = read(c, req, sizeof req - 1);
		if (n > 0) {
			req[n] = '\0';
			char answer[512];
			int len = snprintf(answer, sizeof answer, "You sent %zd bytes. This answer is longer than that.\n", n);
			if (write(c, answer, (size_t)len) < 0)
				perror("write");
		}
		close(c);
	}
}
