/* Fuzz the pcap/pcapng reader. The same bytes are read three ways (a
 * mapped file, pread() on an unmappable file, a pipe) and must give the
 * same packets, the same interfaces and the same end; then every packet is
 * read back by its offset and must be the bytes pcapfile_next gave. */
#include "fuzz.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapfile.h"
#include "util.h"

#define FUZZ_KEEP 4096 /* packets remembered for reading back */

struct fuzz_pkt {
	uint64_t offset, ts_ns;
	uint32_t caplen, wirelen, ifindex, flags;
	int linktype;
	uint64_t hash;
};

struct fuzz_read {
	int opened;          /* 0: pcapfile_open_fd failed */
	int end;             /* last pcapfile_next: 0 or -1 */
	uint64_t npkts;
	uint64_t hash;       /* over every packet and interface */
	struct fuzz_pkt *keep;
	size_t nkeep;
	bool warned;
};

static uint64_t fuzz_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static void fuzz_read_all(struct pcapfile *pf, struct fuzz_read *r, size_t size)
{
	struct pcapfile_pkt k;
	int rc;
	r->hash = 0xcbf29ce484222325ull;
	while ((rc = pcapfile_next(pf, &k)) == 1) {
		FUZZ_CHECK(k.number == r->npkts + 1);
		FUZZ_CHECK(k.caplen <= PCAPFILE_MAX_CAPLEN);
		FUZZ_CHECK(k.offset <= size && k.caplen <= size - k.offset);
		FUZZ_CHECK(k.ifindex < pcapfile_if_count(pf));
		FUZZ_CHECK(k.linktype == pcapfile_if_linktype(pf, k.ifindex) ||
			   pcapfile_format(pf) == PCAPFILE_PCAP);
		FUZZ_CHECK(k.comment_len == 0 || k.comment != NULL);
		r->npkts++;
		uint64_t h = fuzz_fnv(0xcbf29ce484222325ull, k.data, k.caplen);
		if (k.comment_len)
			r->hash = fuzz_fnv(r->hash, k.comment, k.comment_len);
		r->hash = fuzz_fnv(r->hash, &h, sizeof h);
		struct fuzz_pkt fp = { k.offset, k.ts_ns, k.caplen, k.wirelen, k.ifindex, k.flags, k.linktype, h };
		r->hash = fuzz_fnv(r->hash, &fp, sizeof fp);
		if (r->nkeep < FUZZ_KEEP)
			r->keep[r->nkeep++] = fp;
	}
	FUZZ_CHECK(rc == 0 || rc == -1);
	r->end = rc;
	/* an error is final */
	FUZZ_CHECK(pcapfile_next(pf, &k) == rc);
	FUZZ_CHECK(pcapfile_packets(pf) == r->npkts);
	if (rc < 0)
		FUZZ_CHECK(pcapfile_error(pf)[0] != '\0');
	r->warned = pcapfile_warning(pf) != NULL;
	uint32_t nif = pcapfile_if_count(pf);
	uint32_t ndesc = 0;
	r->hash = fuzz_fnv(r->hash, &nif, sizeof nif);
	for (uint32_t i = 0; i <= nif; i++) { /* one past the end too */
		const char *name = pcapfile_if_name(pf, i), *desc = pcapfile_if_description(pf, i);
		FUZZ_CHECK(name && desc && strlen(name) <= PCAPFILE_MAX_IFSTR && strlen(desc) <= PCAPFILE_MAX_IFSTR);
		for (const char *c = name; *c; c++)
			FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
		int lt = pcapfile_if_linktype(pf, i), fcs = pcapfile_if_fcs_len(pf, i);
		uint32_t snap = pcapfile_if_snaplen(pf, i), sec = pcapfile_if_section(pf, i);
		uint64_t tps = pcapfile_if_ticks_per_sec(pf, i);
		if (i < nif) {
			FUZZ_CHECK(tps != 0 && snap <= PCAPFILE_MAX_CAPLEN);
			/* described as an earlier interface: the same answers */
			uint32_t first = pcapfile_if_first(pf, i);
			FUZZ_CHECK(first <= i);
			FUZZ_CHECK(pcapfile_if_first(pf, first) == first);
			FUZZ_CHECK(!strcmp(pcapfile_if_name(pf, first), name) &&
				   pcapfile_if_linktype(pf, first) == lt && pcapfile_if_snaplen(pf, first) == snap);
			ndesc += first == i;
			FUZZ_CHECK(ndesc <= PCAPFILE_MAX_IFDESC);
			r->hash = fuzz_fnv(r->hash, name, strlen(name));
			r->hash = fuzz_fnv(r->hash, desc, strlen(desc));
			r->hash = fuzz_fnv(r->hash, &lt, sizeof lt);
			r->hash = fuzz_fnv(r->hash, &fcs, sizeof fcs);
			r->hash = fuzz_fnv(r->hash, &snap, sizeof snap);
			r->hash = fuzz_fnv(r->hash, &sec, sizeof sec);
			r->hash = fuzz_fnv(r->hash, &tps, sizeof tps);
		}
	}
}

/* Read every kept packet back by offset, both ways, and some offsets that
 * are not packets. */
static void fuzz_read_back(struct pcapfile *pf, const struct fuzz_read *r, size_t size)
{
	/* one buffer for every run: a fresh 256 KiB each time would be most
	 * of the harness's time (mapping and zeroing pages) */
	static uint8_t *buf;
	if (!buf && !(buf = malloc(PCAPFILE_MAX_CAPLEN)))
		abort();
	for (size_t i = 0; i < r->nkeep; i++) {
		const struct fuzz_pkt *p = &r->keep[i];
		FUZZ_CHECK(pcapfile_read_at(pf, p->offset, p->caplen, buf) == 0);
		FUZZ_CHECK(fuzz_fnv(0xcbf29ce484222325ull, buf, p->caplen) == p->hash);
		const uint8_t *d = pcapfile_data_at(pf, p->offset, p->caplen);
		FUZZ_CHECK(d != NULL);
		FUZZ_CHECK(fuzz_fnv(0xcbf29ce484222325ull, d, p->caplen) == p->hash);
	}
	/* outside the file, too long, at the very end: an error, never a crash */
	(void)pcapfile_data_at(pf, size, 1);
	(void)pcapfile_data_at(pf, size, 0);
	(void)pcapfile_data_at(pf, UINT64_MAX, 4);
	(void)pcapfile_data_at(pf, UINT64_MAX - 2, 16);
	(void)pcapfile_data_at(pf, 0, PCAPFILE_MAX_CAPLEN + 1);
	if (size)
		(void)pcapfile_read_at(pf, size - 1, 1, buf);
	(void)pcapfile_read_at(pf, 0, (uint32_t)(size < PCAPFILE_MAX_CAPLEN ? size : PCAPFILE_MAX_CAPLEN), buf);
}

/* mode 0: mapped memfd, 1: pread (PCAPFILE_NOMAP), 2: pipe */
static void fuzz_one(const uint8_t *data, size_t size, int mode, struct fuzz_read *r)
{
	int fd;
	if (mode < 2) {
		fd = fuzz_memfd(data, size);
		FUZZ_CHECK(fd >= 0);
	} else {
		int p[2];
		FUZZ_CHECK(pipe2(p, O_CLOEXEC) == 0);
		if (size > 65536 && fcntl(p[1], F_SETPIPE_SZ, (int)size) < 0) {
			close(p[0]);
			close(p[1]);
			r->opened = -1; /* not comparable */
			return;
		}
		size_t done = 0;
		while (done < size) {
			ssize_t w = write(p[1], data + done, size - done);
			FUZZ_CHECK(w > 0);
			done += (size_t)w;
		}
		close(p[1]);
		fd = p[0];
	}
	char err[UTIL_ERRLEN] = "";
	/* a pipe is read in memory (PCAPFILE_NOSPILL): spilled, it is the mapped case */
	struct pcapfile *pf = pcapfile_open_fd(fd, "fuzz.pcap", mode == 1 ? PCAPFILE_NOMAP : mode == 2 ? PCAPFILE_NOSPILL : 0, err);
	if (!pf) {
		FUZZ_CHECK(err[0] != '\0');
		r->opened = 0;
		return;
	}
	r->opened = 1;
	FUZZ_CHECK(pcapfile_is_mapped(pf) == (mode == 0));
	fuzz_read_all(pf, r, size);
	fuzz_read_back(pf, r, size);
	pcapfile_close(pf);
}

int fuzz_pcapfile(const uint8_t *data, size_t size)
{
	static struct fuzz_pkt *keep[3];
	struct fuzz_read r[3];
	memset(r, 0, sizeof r);
	for (int mode = 0; mode < 3; mode++) {
		if (!keep[mode] && !(keep[mode] = malloc(FUZZ_KEEP * sizeof *keep[mode])))
			abort();
		r[mode].keep = keep[mode];
		fuzz_one(data, size, mode, &r[mode]);
	}
	for (int mode = 1; mode < 3; mode++) {
		if (r[mode].opened < 0)
			continue;
		/* the same file read another way says the same */
		FUZZ_CHECK(r[mode].opened == r[0].opened);
		FUZZ_CHECK(r[mode].end == r[0].end);
		FUZZ_CHECK(r[mode].npkts == r[0].npkts);
		FUZZ_CHECK(r[mode].hash == r[0].hash);
		FUZZ_CHECK(r[mode].warned == r[0].warned);
	}
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pcapfile(data, size);
}
#endif
