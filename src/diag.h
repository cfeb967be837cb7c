/* diag — asks the kernel (sock_diag netlink) about the sockets of the
 * current network namespace: is a door with this port open? Used for the
 * scenario's `await HOST:PORT`, run inside the host's namespace. */
#ifndef DOORWAY_DIAG_H
#define DOORWAY_DIAG_H

#include <stdint.h>

/* 1 when a socket of proto (IPPROTO_TCP: listening; IPPROTO_UDP: bound)
 * has local port `port` (IPv4 or IPv6), 0 when none, -1 on error. */
int diag_port_open(int proto, uint16_t port);

#endif
