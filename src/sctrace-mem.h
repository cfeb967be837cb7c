/* sctrace-mem — reading and writing a traced program's memory (a sockaddr,
 * the bytes of a send, the room of a recv) with process_vm_readv/writev.
 * The program is stopped in the call while doorway reads, but its other
 * threads are not: what is read is what the memory held at that moment
 * (doorway shows calls, it does not enforce anything on them). */
#ifndef DOORWAY_SCTRACE_MEM_H
#define DOORWAY_SCTRACE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Copy n bytes at addr of process pid into out. 0, or -1 (errno). */
int sctrace_mem_read(pid_t pid, uint64_t addr, void *out, size_t n);
/* Copy n bytes of in to addr of process pid. 0, or -1. */
int sctrace_mem_write(pid_t pid, uint64_t addr, const void *in, size_t n);
/* Gather up to max bytes from the program's iovec array (iov, cnt) into
 * out; returns the bytes read, or -1. *total gets the iovecs' total size. */
ssize_t sctrace_mem_gather(pid_t pid, uint64_t iov, size_t cnt, uint8_t *out, size_t max, size_t *total);
/* Scatter n bytes of in over the program's iovec array. 0, or -1. */
int sctrace_mem_scatter(pid_t pid, uint64_t iov, size_t cnt, const uint8_t *in, size_t n);
/* The total size of the program's iovec array, or -1. */
ssize_t sctrace_mem_iovlen(pid_t pid, uint64_t iov, size_t cnt);

#define SCTRACE_MEM_IOV_MAX 64 /* iovecs looked at per call */

#endif
