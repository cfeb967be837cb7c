/* tcpclient.c -- a TCP client in C with the plain system calls: it finds
 * the server's address (getaddrinfo), connects, writes one request, then
 * reads the answer 16 bytes at a time until the server closes: one message
 * can take several reads, because TCP carries a stream of bytes, not
 * messages.
 *
 *   tcpclient HOST [PORT [REQUEST]]
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *host = argc > 1 ? argv[1] : "127.0.0.1";
	const char *port = argc > 2 ? argv[2] : "12001";
	const char *req = argc > 3 ? argv[3] : "hello";
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it happens, also into a pipe */
	struct addrinfo hints, *res;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int e = getaddrinfo(host, port, &hints, &res);
	if (e != 0) {
		fprintf(stderr, "tcpclient: %s: %s\n", host, gai_strerror(e));
		return 1;
	}
	int s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
	if (s < 0 || connect(s, res->ai_addr, res->ai_addrlen) < 0) {
		perror("tcpclient: connect");
		return 1;
	}
	freeaddrinfo(res);
	if (write(s, req, strlen(req)) < 0) {
		perror("tcpclient: write");
		return 1;
	}
	char buf[16];
	ssize_t n;
	int pieces = 0;
	while ((n = read(s, buf, sizeof buf)) > 0)
		printf("piece %d: %zd bytes\n", ++pieces, n);
	if (n < 0)
		perror("tcpclient: read");
	close(s);
	printf("the answer came in %d reads\n", pieces);
	return 0;
}
