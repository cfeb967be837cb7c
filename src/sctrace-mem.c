#include "sctrace-mem.h"

#include <errno.h>
#include <string.h>

int sctrace_mem_read(pid_t pid, uint64_t addr, void *out, size_t n)
{
	if (n == 0)
		return 0;
	struct iovec l = { out, n }, r = { (void *)(uintptr_t)addr, n };
	ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);
	if (got == (ssize_t)n)
		return 0;
	if (got >= 0)
		errno = EFAULT;
	return -1;
}

int sctrace_mem_write(pid_t pid, uint64_t addr, const void *in, size_t n)
{
	if (n == 0)
		return 0;
	struct iovec l = { (void *)in, n }, r = { (void *)(uintptr_t)addr, n };
	ssize_t put = process_vm_writev(pid, &l, 1, &r, 1, 0);
	if (put == (ssize_t)n)
		return 0;
	if (put >= 0)
		errno = EFAULT;
	return -1;
}

static int sctrace_mem_iovs(pid_t pid, uint64_t iov, size_t *cnt, struct iovec *out)
{
	if (*cnt > SCTRACE_MEM_IOV_MAX)
		*cnt = SCTRACE_MEM_IOV_MAX;
	return sctrace_mem_read(pid, iov, out, *cnt * sizeof *out);
}

ssize_t sctrace_mem_iovlen(pid_t pid, uint64_t iov, size_t cnt)
{
	struct iovec v[SCTRACE_MEM_IOV_MAX];
	if (sctrace_mem_iovs(pid, iov, &cnt, v) < 0)
		return -1;
	size_t total = 0;
	for (size_t i = 0; i < cnt; i++)
		total += v[i].iov_len;
	return (ssize_t)total;
}

ssize_t sctrace_mem_gather(pid_t pid, uint64_t iov, size_t cnt, uint8_t *out, size_t max, size_t *total)
{
	struct iovec v[SCTRACE_MEM_IOV_MAX];
	if (sctrace_mem_iovs(pid, iov, &cnt, v) < 0)
		return -1;
	*total = 0;
	for (size_t i = 0; i < cnt; i++)
		*total += v[i].iov_len;
	size_t want = *total < max ? *total : max;
	if (want == 0)
		return 0;
	struct iovec l = { out, want };
	return process_vm_readv(pid, &l, 1, v, cnt, 0);
}

int sctrace_mem_scatter(pid_t pid, uint64_t iov, size_t cnt, const uint8_t *in, size_t n)
{
	struct iovec v[SCTRACE_MEM_IOV_MAX];
	if (n == 0)
		return 0;
	if (sctrace_mem_iovs(pid, iov, &cnt, v) < 0)
		return -1;
	struct iovec l = { (void *)in, n };
	ssize_t put = process_vm_writev(pid, &l, 1, v, cnt, 0);
	if (put == (ssize_t)n)
		return 0;
	if (put >= 0)
		errno = EFAULT;
	return -1;
}
