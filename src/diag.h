/* diag — asks the kernel (sock_diag netlink) about the sockets of the
 * current network namespace: is a door with this port open? Used for the
 * scenario's `await HOST:PORT`, run inside the host's namespace. */
#ifndef DOORWAY_DIAG_H
#define DOORWAY_DIAG_H

#include <stdint.h>

/* 1 when a socket of proto (IPPROTO_TCP: listening; IPPROTO_UDP: bound)
 * has local port `port` (IPv4 or IPv6), 0 when none, -1 on error. */
int diag_port_open(int proto, uint16_t port);

/* The inode of the socket of proto with local address (family, lip, lport)
 * and, when rip is not NULL, remote (rip, rport); a TCP socket listening on
 * lport matches when no connected one does and listen_ok is set.
 * 1 found, 0 none, -1 error. */
int diag_find_socket(int proto, int family, const uint8_t *lip, uint16_t lport, const uint8_t *rip,
		     uint16_t rport, int listen_ok, uint32_t *inode);

#endif
