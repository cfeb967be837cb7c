/* pcapfile — the capture file reader.
 *
 * Classic pcap: draft-ietf-opsawg-pcap (24-byte file header, 16-byte record
 * headers; magic a1b2c3d4 for µs, a1b23c4d for ns, in the writer's byte
 * order; a1b2cd34 is the "modified" pcap of Kuznetzov's patches, whose record
 * headers are 24 bytes). pcapng: draft-ietf-opsawg-pcapng (blocks of
 * type/length/body/length, sections started by a Section Header Block whose
 * byte-order magic sets the order of the whole section, interfaces numbered
 * per section).
 *
 * The file is seen through a window: bytes [win_off, win_off + win_len) of
 * the file at win. A mapped file is one window over everything; otherwise
 * pf_fill() reads into a buffer (pread() for seekable files, where the window
 * slides; read() for pipes, where the buffer keeps everything read so far so
 * that pcapfile_read_at() still works). Every record is fetched with
 * pf_peek(off, n), which says how many of the n bytes exist, and every field
 * is read from a range whose length was checked first. */
#include "pcapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define PF_MAGIC_US 0xa1b2c3d4u
#define PF_MAGIC_NS 0xa1b23c4du
#define PF_MAGIC_KUZ 0xa1b2cd34u

#define PF_BT_SHB 0x0a0d0d0au
#define PF_BT_IDB 0x00000001u
#define PF_BT_PB 0x00000002u  /* obsolete Packet Block */
#define PF_BT_SPB 0x00000003u
#define PF_BT_EPB 0x00000006u
#define PF_BYTE_ORDER_MAGIC 0x1a2b3c4du

#define PF_OPT_ENDOFOPT 0
#define PF_OPT_COMMENT 1
#define PF_OPT_IF_NAME 2
#define PF_OPT_IF_DESCRIPTION 3
#define PF_OPT_IF_TSRESOL 9
#define PF_OPT_IF_FCSLEN 13
#define PF_OPT_IF_TSOFFSET 14
#define PF_OPT_EPB_FLAGS 2

/* Linktype field of a classic pcap header: bits 0-15 link type, 16-25
 * reserved, bit 26 "FCS length present", bits 28-31 FCS length in 16-bit
 * words. */
#define PF_LT_TYPE_MASK 0x0000ffffu
#define PF_LT_RESERVED_MASK 0x03ff0000u
#define PF_LT_FCS_PRESENT 0x04000000u
#define PF_LT_FCS_SHIFT 28

#define PF_SHB_MIN 28 /* type, len, magic, major, minor, section length, len */
#define PF_IDB_MIN 20 /* type, len, linktype, reserved, snaplen, len */
#define PF_EPB_MIN 32 /* type, len, ifid, ts hi, ts lo, caplen, wirelen, len */
#define PF_SPB_MIN 16 /* type, len, wirelen, len */
#define PF_PCAP_HDR 24
#define PF_BUF_MIN (256u * 1024)

#define PF_NS_PER_S 1000000000ull

enum pf_mode { PF_MAP, PF_PREAD, PF_STREAM };
enum pf_state { PF_OK, PF_END, PF_ERR };

/* How to turn an interface's timestamp ticks into nanoseconds. */
struct pf_iface {
	char *name, *desc;
	uint64_t ticks_per_sec;
	uint64_t mul;       /* power of 10, resolution ≥ 1 ns: ns = t * mul */
	uint64_t div;       /* power of 10, resolution < 1 ns: ns = t / div */
	unsigned shift;     /* power of 2: ns = (t >> shift) s + fraction */
	bool pow2;
	int64_t tsoffset;   /* seconds added to every timestamp */
	int linktype;
	int fcs_len;
	uint32_t snaplen;
	uint32_t first;     /* the first interface (file-wide index) described so */
};

/* An interface of the file (file-wide index): its description, shared by
 * the interfaces that every section describes the same way. */
struct pf_ifref {
	uint32_t desc;      /* index into ifs */
	uint32_t section;
};

struct pcapfile {
	char *name;
	int fd;
	enum pf_mode mode;
	enum pf_state state;
	enum pcapfile_format format;

	const uint8_t *win;  /* file bytes [win_off, win_off + win_len) */
	uint64_t win_off;
	size_t win_len;
	uint8_t *map;        /* PF_MAP */
	size_t map_len;
	uint64_t map_kept;   /* PF_MAP: pages below were given back (pf_map_release) */
	uint8_t *buf;        /* PF_PREAD, PF_STREAM: the window's storage */
	size_t buf_cap;
	bool stream_eof;     /* PF_STREAM: read() said end of file */
	uint8_t *scratch;    /* PF_PREAD: pcapfile_data_at()'s buffer */
	int in;              /* PF_PREAD of a stream: the stream, copied into fd as needed */
	uint64_t spilled;    /* bytes of it copied so far */
	const char *spill_dir;
	uint64_t size;       /* file size, 0 when unknown (PF_STREAM) */

	uint64_t pos;        /* offset of the next record */
	uint64_t npkts;      /* packets returned so far */
	bool swap;           /* file byte order is not ours */

	unsigned rec_hdr;    /* classic pcap: record header length */
	uint64_t frac_mul;   /* classic pcap: ns per unit of the fraction */

	uint32_t nsections;  /* pcapng: sections seen */
	uint32_t sec_base;   /* pcapng: global index of this section's interface 0 */
	uint32_t sec_nifs;   /* pcapng: interfaces in this section */
	uint32_t prev_base, prev_nifs; /* pcapng: the same of the section before */

	/* Interfaces are numbered per section (a Section Header Block starts
	 * again at 0) and file-wide (ifref: every interface of every section,
	 * 8 bytes each). Descriptions (ifs) are shared: a section that
	 * describes its interface k exactly as the section before did (files
	 * concatenated with cat, a capture tool writing a section per file)
	 * adds no description. */
	struct pf_iface *ifs;
	uint32_t nifs_desc, ifs_cap;
	struct pf_ifref *ifref;
	uint32_t nifs, ifref_cap;

	char err[UTIL_ERRLEN];
	char warn[UTIL_ERRLEN];
	bool has_warn;
};

/* ---- small helpers ---- */

static inline uint16_t pf_ld16(const uint8_t *p, bool swap)
{
	uint16_t v;
	memcpy(&v, p, sizeof v);
	return swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t pf_ld32(const uint8_t *p, bool swap)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t pf_ld64(const uint8_t *p, bool swap)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return swap ? __builtin_bswap64(v) : v;
}

static inline uint32_t pf_pad4(uint32_t n) { return (n + 3u) & ~3u; }

/* "name: message" into out (UTIL_ERRLEN bytes); a long name keeps its end. */
static void pf_vmsg(const char *name, char *out, const char *fmt, va_list ap)
{
	size_t nl = strlen(name);
	int n = nl > 120 ? snprintf(out, UTIL_ERRLEN, "...%s: ", name + nl - 117)
			 : snprintf(out, UTIL_ERRLEN, "%s: ", name);
	if (n >= 0 && n < UTIL_ERRLEN)
		vsnprintf(out + n, UTIL_ERRLEN - (size_t)n, fmt, ap);
}

/* Fail for good. */
__attribute__((format(printf, 2, 3))) static int pf_fail(struct pcapfile *pf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_vmsg(pf->name, pf->err, fmt, ap);
	va_end(ap);
	pf->state = PF_ERR;
	return -1;
}

/* A message without failing the reader (pcapfile_read_at). */
__attribute__((format(printf, 2, 3))) static int pf_complain(struct pcapfile *pf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_vmsg(pf->name, pf->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The file ends inside a record: keep what was read, end with a warning. */
__attribute__((format(printf, 2, 3))) static void pf_warn(struct pcapfile *pf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_vmsg(pf->name, pf->warn, fmt, ap);
	va_end(ap);
	pf->has_warn = true;
}

static int pf_truncated(struct pcapfile *pf, const char *what, uint64_t off, size_t got, size_t need)
{
	pf_warn(pf, "the file ends in the middle of %s at offset %" PRIu64
		" (%zu of %zu bytes); the recording was probably interrupted",
		what, off, got, need);
	pf->state = PF_END;
	return 0;
}

/* ---- the window ---- */

static int pf_read_fully(int fd, uint8_t *p, size_t n, uint64_t off, bool positional, size_t *got)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = positional ? pread(fd, p + done, n - done, (off_t)(off + done))
				       : read(fd, p + done, n - done);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = done;
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	*got = done;
	return 0;
}

static void pf_grow(struct pcapfile *pf, size_t need)
{
	size_t cap = pf->buf_cap ? pf->buf_cap : PF_BUF_MIN;
	while (cap < need)
		cap *= 2;
	if (cap != pf->buf_cap || !pf->buf) {
		pf->buf = xreallocarray(pf->buf, cap, 1);
		pf->buf_cap = cap;
	}
}

/* A stream being read like a file: copy it into the temporary file until
 * it holds want bytes or the stream ends. Copying only what the reader
 * needs, a stream that never ends (/dev/zero) or turns bad stops as soon
 * as the reader does. */
static int pf_spill_to(struct pcapfile *pf, uint64_t want)
{
	uint8_t chunk[65536];
	while (pf->spilled < want) {
		ssize_t r = read(pf->in, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return pf_fail(pf, "read: %s", strerror(errno));
		if (r == 0) {
			close(pf->in);
			pf->in = -1;
			return 0;
		}
		for (ssize_t done = 0; done < r;) {
			ssize_t w = pwrite(pf->fd, chunk + done, (size_t)(r - done), (off_t)pf->spilled);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return pf_fail(pf, "keeping the stream in a temporary file in %s: %s", pf->spill_dir,
					       w < 0 ? strerror(errno) : "nothing written");
			done += w;
			pf->spilled += (uint64_t)w;
		}
		pf->size = pf->spilled;
	}
	return 0;
}

/* Slow path of pf_peek: bring [off, off + n) into the window if the file
 * has it. */
static void pf_fill(struct pcapfile *pf, uint64_t off, size_t n)
{
	size_t got;
	switch (pf->mode) {
	case PF_MAP:
		return; /* the window is the whole file */
	case PF_PREAD: {
		if (n > pf->buf_cap || !pf->buf)
			pf_grow(pf, n);
		if (pf->in >= 0 && off <= UINT64_MAX - pf->buf_cap && pf_spill_to(pf, off + pf->buf_cap) < 0)
			return;
		pf->win = pf->buf;
		pf->win_off = off;
		pf->win_len = 0;
		if (pf_read_fully(pf->fd, pf->buf, pf->buf_cap, off, true, &got) < 0) {
			pf_fail(pf, "read at offset %" PRIu64 ": %s", off, strerror(errno));
			return;
		}
		pf->win_len = got;
		return;
	}
	case PF_STREAM: {
		/* win_off stays 0: everything read is kept. */
		if (pf->stream_eof || off > SIZE_MAX - n)
			return;
		size_t want = (size_t)off + n;
		if (want <= pf->win_len)
			return;
		if (want > pf->buf_cap || !pf->buf)
			pf_grow(pf, want);
		/* Read at least the missing bytes, more if the buffer has room. */
		size_t need = want - pf->win_len;
		while (need) {
			ssize_t r = read(pf->fd, pf->buf + pf->win_len, pf->buf_cap - pf->win_len);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				pf_fail(pf, "read: %s", strerror(errno));
				break;
			}
			if (r == 0) {
				pf->stream_eof = true;
				break;
			}
			pf->win_len += (size_t)r;
			need = (size_t)r >= need ? 0 : need - (size_t)r;
		}
		pf->win = pf->buf;
		return;
	}
	}
}

/* Pointer to file bytes [off, off + n), with *got set to how many exist
 * (fewer than n at the end of the file). Valid until the next pf_peek. */
static inline const uint8_t *pf_peek(struct pcapfile *pf, uint64_t off, size_t n, size_t *got)
{
	if (off < pf->win_off || off - pf->win_off > pf->win_len ||
	    n > pf->win_len - (off - pf->win_off)) {
		pf_fill(pf, off, n);
		if (off < pf->win_off || off - pf->win_off > pf->win_len) {
			*got = 0;
			return pf->win;
		}
	}
	size_t at = (size_t)(off - pf->win_off);
	size_t avail = pf->win_len - at;
	*got = avail < n ? avail : n;
	return pf->win + at;
}

/* ---- interfaces and timestamps ---- */

/* A printable copy of an option string: cut at NUL or PCAPFILE_MAX_IFSTR,
 * control characters replaced. */
static char *pf_strdup_clean(const uint8_t *p, size_t n)
{
	if (n > PCAPFILE_MAX_IFSTR)
		n = PCAPFILE_MAX_IFSTR;
	char *s = xstrndup((const char *)p, n);
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return s;
}

/* Set the tick conversion from an if_tsresol value. -1 when unsupported. */
static int pf_set_tsresol(struct pf_iface *ifc, uint8_t v)
{
	unsigned n = v & 0x7fu;
	ifc->mul = ifc->div = 0;
	ifc->shift = 0;
	ifc->pow2 = false;
	if (v & 0x80u) {
		if (n > 63)
			return -1;
		ifc->pow2 = true;
		ifc->shift = n;
		ifc->ticks_per_sec = 1ull << n;
		return 0;
	}
	if (n > 19) /* 10^20 does not fit in 64 bits */
		return -1;
	uint64_t p10 = 1;
	for (unsigned i = 0; i < n; i++)
		p10 *= 10;
	ifc->ticks_per_sec = p10;
	uint64_t scale = 1;
	if (n <= 9) {
		for (unsigned i = n; i < 9; i++)
			scale *= 10;
		ifc->mul = scale;
	} else {
		for (unsigned i = 9; i < n; i++)
			scale *= 10;
		ifc->div = scale;
	}
	return 0;
}

static uint64_t pf_sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t pf_ticks_to_ns(const struct pf_iface *ifc, uint64_t t)
{
	uint64_t ns;
	if (ifc->mul) {
		if (__builtin_mul_overflow(t, ifc->mul, &ns))
			ns = UINT64_MAX;
	} else if (ifc->div) {
		ns = t / ifc->div;
	} else { /* 2^-shift seconds */
		unsigned sh = ifc->shift;
		uint64_t sec = sh < 64 ? t >> sh : 0;
		uint64_t frac = sh < 64 ? t & ((1ull << sh) - 1) : t;
		/* frac * 10^9 must stay below 2^64: keep 34 bits of fraction */
		if (sh > 34) {
			frac >>= sh - 34;
			sh = 34;
		}
		uint64_t sec_ns;
		if (__builtin_mul_overflow(sec, PF_NS_PER_S, &sec_ns))
			sec_ns = UINT64_MAX;
		ns = pf_sat_add(sec_ns, (frac * PF_NS_PER_S) >> sh);
	}
	if (ifc->tsoffset > 0) {
		uint64_t off_ns;
		if (__builtin_mul_overflow((uint64_t)ifc->tsoffset, PF_NS_PER_S, &off_ns))
			off_ns = UINT64_MAX;
		ns = pf_sat_add(ns, off_ns);
	} else if (ifc->tsoffset < 0) {
		uint64_t back = (uint64_t)(-(ifc->tsoffset + 1)) + 1, back_ns;
		if (__builtin_mul_overflow(back, PF_NS_PER_S, &back_ns))
			back_ns = UINT64_MAX;
		ns = ns > back_ns ? ns - back_ns : 0;
	}
	return ns;
}

/* The next interface of the file, described by ifs[desc]. */
static void pf_add_ifref(struct pcapfile *pf, uint32_t desc)
{
	if (pf->nifs == pf->ifref_cap) {
		pf->ifref_cap = pf->ifref_cap ? pf->ifref_cap * 2 : 4;
		pf->ifref = xreallocarray(pf->ifref, pf->ifref_cap, sizeof *pf->ifref);
	}
	pf->ifref[pf->nifs++] = (struct pf_ifref){ desc, pf->nsections ? pf->nsections - 1 : 0 };
}

/* A new description, for the next interface of the file. */
static struct pf_iface *pf_add_iface(struct pcapfile *pf)
{
	if (pf->nifs_desc == pf->ifs_cap) {
		pf->ifs_cap = pf->ifs_cap ? pf->ifs_cap * 2 : 4;
		pf->ifs = xreallocarray(pf->ifs, pf->ifs_cap, sizeof *pf->ifs);
	}
	struct pf_iface *ifc = &pf->ifs[pf->nifs_desc];
	memset(ifc, 0, sizeof *ifc);
	pf_set_tsresol(ifc, 6);
	ifc->fcs_len = -1;
	ifc->first = pf->nifs;
	pf_add_ifref(pf, pf->nifs_desc++);
	return ifc;
}

/* Two descriptions that read every packet the same way and name the same. */
static bool pf_iface_same(const struct pf_iface *a, const struct pf_iface *b)
{
	return a->ticks_per_sec == b->ticks_per_sec && a->mul == b->mul && a->div == b->div &&
	       a->shift == b->shift && a->pow2 == b->pow2 && a->tsoffset == b->tsoffset &&
	       a->linktype == b->linktype && a->fcs_len == b->fcs_len && a->snaplen == b->snaplen &&
	       !strcmp(a->name, b->name) && !strcmp(a->desc, b->desc);
}

/* ---- classic pcap ---- */

static int pf_open_pcap(struct pcapfile *pf, uint32_t magic)
{
	size_t got;
	const uint8_t *h = pf_peek(pf, 0, PF_PCAP_HDR, &got);
	if (pf->state == PF_ERR)
		return -1;
	if (got < PF_PCAP_HDR)
		return pf_fail(pf, "the pcap file header is cut short (%zu of %d bytes)", got, PF_PCAP_HDR);
	uint16_t major = pf_ld16(h + 4, pf->swap), minor = pf_ld16(h + 6, pf->swap);
	uint32_t snaplen = pf_ld32(h + 16, pf->swap);
	uint32_t ltfield = pf_ld32(h + 20, pf->swap);
	if (major != 2)
		return pf_fail(pf, "unsupported pcap version %u.%u (expected 2.x)", major, minor);
	/* Like libpcap and tshark, take a huge snapshot length as a hint:
	 * each packet's captured length is checked on its own. */
	if (snaplen > PCAPFILE_MAX_CAPLEN)
		snaplen = PCAPFILE_MAX_CAPLEN;
	if (ltfield & PF_LT_RESERVED_MASK)
		return pf_fail(pf, "link type field 0x%08" PRIx32 " has reserved bits set", ltfield);

	pf->format = PCAPFILE_PCAP;
	pf->rec_hdr = magic == PF_MAGIC_KUZ ? 24 : 16;
	pf->frac_mul = magic == PF_MAGIC_NS ? 1 : 1000;
	pf->pos = PF_PCAP_HDR;
	struct pf_iface *ifc = pf_add_iface(pf);
	pf_set_tsresol(ifc, magic == PF_MAGIC_NS ? 9 : 6);
	ifc->linktype = (int)(ltfield & PF_LT_TYPE_MASK);
	ifc->snaplen = snaplen;
	if (ltfield & PF_LT_FCS_PRESENT)
		ifc->fcs_len = (int)(ltfield >> PF_LT_FCS_SHIFT) * 2;
	ifc->name = xstrdup("");
	ifc->desc = xstrdup("");
	return 0;
}

static int pf_next_pcap(struct pcapfile *pf, struct pcapfile_pkt *pkt)
{
	uint64_t off = pf->pos, n = pf->npkts + 1;
	size_t got;
	const uint8_t *h = pf_peek(pf, off, pf->rec_hdr, &got);
	if (got < pf->rec_hdr) {
		if (pf->state == PF_ERR)
			return -1;
		if (got == 0) {
			pf->state = PF_END;
			return 0;
		}
		char what[64];
		snprintf(what, sizeof what, "packet %" PRIu64 "'s header", n);
		return pf_truncated(pf, what, off, got, pf->rec_hdr);
	}
	uint32_t sec = pf_ld32(h, pf->swap), frac = pf_ld32(h + 4, pf->swap);
	uint32_t caplen = pf_ld32(h + 8, pf->swap), wirelen = pf_ld32(h + 12, pf->swap);
	if (caplen > PCAPFILE_MAX_CAPLEN)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": captured length %" PRIu32 " exceeds the maximum %u",
			       n, off, caplen, PCAPFILE_MAX_CAPLEN);
	uint64_t data_off = off + pf->rec_hdr;
	const uint8_t *d = pf_peek(pf, data_off, caplen, &got);
	if (got < caplen) {
		if (pf->state == PF_ERR)
			return -1;
		char what[64];
		snprintf(what, sizeof what, "packet %" PRIu64, n);
		return pf_truncated(pf, what, off, pf->rec_hdr + got, pf->rec_hdr + (size_t)caplen);
	}
	pkt->ts_ns = (uint64_t)sec * PF_NS_PER_S + (uint64_t)frac * pf->frac_mul;
	pkt->offset = data_off;
	pkt->number = n;
	pkt->data = d;
	pkt->comment = NULL;
	pkt->comment_len = 0;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->ifindex = 0;
	pkt->flags = 0;
	pkt->linktype = pf->ifs[0].linktype;
	pf->pos = data_off + caplen;
	pf->npkts = n;
	return 1;
}

/* ---- pcapng ---- */

/* A walk over the options of a block: [p, end). */
struct pf_opts {
	const uint8_t *p, *end;
	bool swap;
};

/* 1 and the next option, 0 at opt_endofopt or the end of the area, -1 when
 * an option runs past its block. */
static int pf_opt_next(struct pf_opts *o, uint16_t *code, uint16_t *len, const uint8_t **val)
{
	if (o->end - o->p < 4)
		return 0;
	*code = pf_ld16(o->p, o->swap);
	*len = pf_ld16(o->p + 2, o->swap);
	if (*code == PF_OPT_ENDOFOPT)
		return 0;
	size_t padded = pf_pad4(*len);
	if (padded > (size_t)(o->end - o->p) - 4)
		return -1;
	*val = o->p + 4;
	o->p += 4 + padded;
	return 1;
}

static int pf_opt_overrun(struct pcapfile *pf, const char *what, uint64_t off,
			  const struct pf_opts *o, const uint8_t *block, uint16_t code, uint16_t len)
{
	return pf_fail(pf, "%s at offset %" PRIu64 ": option %u of %u bytes at offset %" PRIu64
		       " runs past the end of the block",
		       what, off, code, len, off + (uint64_t)(o->p - block));
}

static const char *pf_block_what(uint32_t type, uint64_t n, char *buf, size_t len)
{
	switch (type) {
	case PF_BT_SHB: return "section header block";
	case PF_BT_IDB: return "interface description block";
	case PF_BT_EPB:
	case PF_BT_SPB:
	case PF_BT_PB:
		snprintf(buf, len, "packet %" PRIu64, n);
		return buf;
	default:
		snprintf(buf, len, "block of type 0x%08" PRIx32, type);
		return buf;
	}
}

/* Read a Section Header Block at off. 1 when read, 0 when the file ends
 * inside it (first: error instead), -1 on error. */
static int pf_shb(struct pcapfile *pf, uint64_t off, bool first)
{
	size_t got;
	const uint8_t *p = pf_peek(pf, off, 12, &got);
	if (pf->state == PF_ERR)
		return -1;
	if (got < 12) {
		if (first)
			return pf_fail(pf, "the section header block is cut short (%zu bytes)", got);
		return pf_truncated(pf, "a section header block", off, got, 12);
	}
	uint32_t bom = pf_ld32(p + 8, false);
	bool swap;
	if (bom == PF_BYTE_ORDER_MAGIC)
		swap = false;
	else if (bom == __builtin_bswap32(PF_BYTE_ORDER_MAGIC))
		swap = true;
	else
		return pf_fail(pf, "section header block at offset %" PRIu64
			       ": bad byte-order magic 0x%02x%02x%02x%02x",
			       off, p[8], p[9], p[10], p[11]);
	uint32_t len = pf_ld32(p + 4, swap);
	if (len < PF_SHB_MIN || len % 4 || len > PCAPFILE_MAX_BLOCK)
		return pf_fail(pf, "section header block at offset %" PRIu64
			       ": bad block length %" PRIu32 " (a multiple of 4 from %d to %u)",
			       off, len, PF_SHB_MIN, PCAPFILE_MAX_BLOCK);
	p = pf_peek(pf, off, len, &got);
	if (pf->state == PF_ERR)
		return -1;
	if (got < len) {
		if (first)
			return pf_fail(pf, "the section header block is cut short (%zu of %" PRIu32 " bytes)",
				       got, len);
		return pf_truncated(pf, "a section header block", off, got, len);
	}
	uint32_t trail = pf_ld32(p + len - 4, swap);
	if (trail != len)
		return pf_fail(pf, "section header block at offset %" PRIu64 ": total length %" PRIu32
			       " does not match the trailing length %" PRIu32, off, len, trail);
	uint16_t major = pf_ld16(p + 12, swap), minor = pf_ld16(p + 14, swap);
	if (major != 1)
		return pf_fail(pf, "section header block at offset %" PRIu64
			       ": unsupported pcapng version %u.%u (expected 1.x)", off, major, minor);
	pf->swap = swap;
	pf->nsections++;
	pf->prev_base = pf->sec_base;
	pf->prev_nifs = pf->sec_nifs;
	pf->sec_base = pf->nifs;
	pf->sec_nifs = 0;
	pf->pos = off + len;
	return 1;
}

static int pf_idb(struct pcapfile *pf, uint64_t off, const uint8_t *p, uint32_t len)
{
	static const char what[] = "interface description block";
	if (len < PF_IDB_MIN)
		return pf_fail(pf, "%s at offset %" PRIu64 ": block length %" PRIu32
			       " is too short (minimum %d)", what, off, len, PF_IDB_MIN);
	uint16_t lt = pf_ld16(p + 8, pf->swap);
	uint32_t snaplen = pf_ld32(p + 12, pf->swap);
	if (snaplen > PCAPFILE_MAX_CAPLEN) /* a hint, as in libpcap: packets are checked one by one */
		snaplen = PCAPFILE_MAX_CAPLEN;
	if (pf->sec_nifs >= PCAPFILE_MAX_IFACES)
		return pf_fail(pf, "%s at offset %" PRIu64 ": too many interfaces in one section (more than %u)",
			       what, off, PCAPFILE_MAX_IFACES);
	if (pf->nifs == UINT32_MAX)
		return pf_fail(pf, "%s at offset %" PRIu64 ": too many interfaces", what, off);

	/* Parse the options into a local copy first: nothing is added when
	 * the block is bad. */
	struct pf_iface tmp;
	memset(&tmp, 0, sizeof tmp);
	pf_set_tsresol(&tmp, 6);
	tmp.fcs_len = -1;
	const uint8_t *name = NULL, *desc = NULL;
	uint16_t name_len = 0, desc_len = 0;
	struct pf_opts o = { p + 16, p + len - 4, pf->swap };
	uint16_t code = 0, olen = 0;
	const uint8_t *v;
	int r;
	while ((r = pf_opt_next(&o, &code, &olen, &v)) > 0) {
		switch (code) {
		case PF_OPT_IF_NAME:
			name = v;
			name_len = olen;
			break;
		case PF_OPT_IF_DESCRIPTION:
			desc = v;
			desc_len = olen;
			break;
		case PF_OPT_IF_TSRESOL:
			if (olen != 1)
				return pf_fail(pf, "%s at offset %" PRIu64 ": if_tsresol has %u bytes (expected 1)",
					       what, off, olen);
			if (pf_set_tsresol(&tmp, v[0]) < 0)
				return pf_fail(pf, "%s at offset %" PRIu64
					       ": unsupported timestamp resolution 0x%02x", what, off, v[0]);
			break;
		case PF_OPT_IF_TSOFFSET:
			if (olen != 8)
				return pf_fail(pf, "%s at offset %" PRIu64 ": if_tsoffset has %u bytes (expected 8)",
					       what, off, olen);
			tmp.tsoffset = (int64_t)pf_ld64(v, pf->swap);
			break;
		case PF_OPT_IF_FCSLEN:
			if (olen != 1)
				return pf_fail(pf, "%s at offset %" PRIu64 ": if_fcslen has %u bytes (expected 1)",
					       what, off, olen);
			tmp.fcs_len = v[0];
			break;
		default:
			break;
		}
	}
	if (r < 0)
		return pf_opt_overrun(pf, what, off, &o, p, code, olen);

	tmp.linktype = lt;
	tmp.snaplen = snaplen;
	tmp.name = name ? pf_strdup_clean(name, name_len) : xstrdup("");
	tmp.desc = desc ? pf_strdup_clean(desc, desc_len) : xstrdup("");
	/* described as the section before described its interface here: shared */
	if (pf->sec_nifs < pf->prev_nifs) {
		uint32_t d = pf->ifref[pf->prev_base + pf->sec_nifs].desc;
		if (pf_iface_same(&pf->ifs[d], &tmp)) {
			free(tmp.name);
			free(tmp.desc);
			pf_add_ifref(pf, d);
			pf->sec_nifs++;
			return 0;
		}
	}
	if (pf->nifs_desc >= PCAPFILE_MAX_IFDESC) {
		free(tmp.name);
		free(tmp.desc);
		return pf_fail(pf, "%s at offset %" PRIu64 ": more than %u different interfaces",
			       what, off, PCAPFILE_MAX_IFDESC);
	}
	struct pf_iface *ifc = pf_add_iface(pf);
	tmp.first = ifc->first;
	*ifc = tmp;
	pf->sec_nifs++;
	return 0;
}

/* Enhanced Packet Block, or the obsolete Packet Block (16-bit interface id
 * and a drop count where the EPB has a 32-bit interface id). */
static int pf_epb(struct pcapfile *pf, uint64_t off, const uint8_t *p, uint32_t len,
		  uint32_t type, struct pcapfile_pkt *pkt)
{
	uint64_t n = pf->npkts + 1;
	if (len < PF_EPB_MIN)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64 ": block length %" PRIu32
			       " is too short (minimum %d)", n, off, len, PF_EPB_MIN);
	uint32_t ifid = type == PF_BT_EPB ? pf_ld32(p + 8, pf->swap) : pf_ld16(p + 8, pf->swap);
	uint64_t ts = (uint64_t)pf_ld32(p + 12, pf->swap) << 32 | pf_ld32(p + 16, pf->swap);
	uint32_t caplen = pf_ld32(p + 20, pf->swap), wirelen = pf_ld32(p + 24, pf->swap);
	if (ifid >= pf->sec_nifs) {
		if (pf->sec_nifs == 0)
			return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
				       ": interface %" PRIu32 " does not exist (the section has no interfaces)",
				       n, off, ifid);
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": interface %" PRIu32 " does not exist (the section has %" PRIu32 ")",
			       n, off, ifid, pf->sec_nifs);
	}
	if (caplen > PCAPFILE_MAX_CAPLEN)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": captured length %" PRIu32 " exceeds the maximum %u",
			       n, off, caplen, PCAPFILE_MAX_CAPLEN);
	uint32_t room = len - PF_EPB_MIN;
	if (pf_pad4(caplen) > room)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": captured length %" PRIu32 " exceeds its block (room for %" PRIu32 " bytes)",
			       n, off, caplen, room);
	pkt->comment = NULL;
	pkt->comment_len = 0;
	pkt->flags = 0;
	uint32_t opt_at = 28 + pf_pad4(caplen);
	if (opt_at < len - 4) {
		struct pf_opts o = { p + opt_at, p + len - 4, pf->swap };
		uint16_t code = 0, olen = 0;
		const uint8_t *v;
		int r;
		while ((r = pf_opt_next(&o, &code, &olen, &v)) > 0) {
			if (code == PF_OPT_COMMENT && !pkt->comment) {
				pkt->comment = (const char *)v;
				pkt->comment_len = olen;
			} else if (code == PF_OPT_EPB_FLAGS && olen == 4) {
				pkt->flags = pf_ld32(v, pf->swap);
			}
		}
		if (r < 0) {
			char what[64];
			snprintf(what, sizeof what, "packet %" PRIu64, n);
			return pf_opt_overrun(pf, what, off, &o, p, code, olen);
		}
	}
	const struct pf_iface *ifc = &pf->ifs[pf->ifref[pf->sec_base + ifid].desc];
	pkt->ts_ns = pf_ticks_to_ns(ifc, ts);
	pkt->offset = off + 28;
	pkt->number = n;
	pkt->data = p + 28;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->ifindex = pf->sec_base + ifid;
	pkt->linktype = ifc->linktype;
	pf->npkts = n;
	return 1;
}

static int pf_spb(struct pcapfile *pf, uint64_t off, const uint8_t *p, uint32_t len,
		  struct pcapfile_pkt *pkt)
{
	uint64_t n = pf->npkts + 1;
	if (len < PF_SPB_MIN)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64 ": block length %" PRIu32
			       " is too short (minimum %d)", n, off, len, PF_SPB_MIN);
	if (pf->sec_nifs == 0)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": simple packet block in a section with no interfaces", n, off);
	const struct pf_iface *ifc = &pf->ifs[pf->ifref[pf->sec_base].desc];
	uint32_t wirelen = pf_ld32(p + 8, pf->swap);
	uint32_t caplen = len - PF_SPB_MIN;
	if (wirelen < caplen)
		caplen = wirelen;
	if (ifc->snaplen && ifc->snaplen < caplen)
		caplen = ifc->snaplen;
	if (caplen > PCAPFILE_MAX_CAPLEN)
		return pf_fail(pf, "packet %" PRIu64 " at offset %" PRIu64
			       ": captured length %" PRIu32 " exceeds the maximum %u",
			       n, off, caplen, PCAPFILE_MAX_CAPLEN);
	pkt->ts_ns = 0;
	pkt->offset = off + 12;
	pkt->number = n;
	pkt->data = p + 12;
	pkt->comment = NULL;
	pkt->comment_len = 0;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->ifindex = pf->sec_base;
	pkt->flags = 0;
	pkt->linktype = ifc->linktype;
	pf->npkts = n;
	return 1;
}

static int pf_next_pcapng(struct pcapfile *pf, struct pcapfile_pkt *pkt)
{
	for (;;) {
		uint64_t off = pf->pos;
		size_t got;
		char whatbuf[64];
		const uint8_t *p = pf_peek(pf, off, 8, &got);
		if (got < 8) {
			if (pf->state == PF_ERR)
				return -1;
			if (got == 0) {
				pf->state = PF_END;
				return 0;
			}
			return pf_truncated(pf, "a block header", off, got, 8);
		}
		uint32_t type = pf_ld32(p, pf->swap);
		if (type == PF_BT_SHB) { /* same in both byte orders */
			int r = pf_shb(pf, off, false);
			if (r <= 0)
				return r;
			continue;
		}
		uint32_t len = pf_ld32(p + 4, pf->swap);
		if (len < 12 || len % 4 || len > PCAPFILE_MAX_BLOCK)
			return pf_fail(pf, "%s at offset %" PRIu64 ": bad block length %" PRIu32
				       " (a multiple of 4 from 12 to %u)",
				       pf_block_what(type, pf->npkts + 1, whatbuf, sizeof whatbuf),
				       off, len, PCAPFILE_MAX_BLOCK);
		p = pf_peek(pf, off, len, &got);
		if (got < len) {
			if (pf->state == PF_ERR)
				return -1;
			const char *what = pf_block_what(type, pf->npkts + 1, whatbuf, sizeof whatbuf);
			if (type == PF_BT_IDB)
				what = "an interface description block";
			return pf_truncated(pf, what, off, got, len);
		}
		uint32_t trail = pf_ld32(p + len - 4, pf->swap);
		if (trail != len)
			return pf_fail(pf, "%s at offset %" PRIu64 ": total length %" PRIu32
				       " does not match the trailing length %" PRIu32,
				       pf_block_what(type, pf->npkts + 1, whatbuf, sizeof whatbuf),
				       off, len, trail);
		int r;
		switch (type) {
		case PF_BT_EPB:
		case PF_BT_PB:
			r = pf_epb(pf, off, p, len, type, pkt);
			break;
		case PF_BT_SPB:
			r = pf_spb(pf, off, p, len, pkt);
			break;
		case PF_BT_IDB:
			r = pf_idb(pf, off, p, len);
			break;
		default: /* statistics, name resolution, secrets, custom: skipped */
			r = 0;
			break;
		}
		if (r < 0)
			return -1;
		pf->pos = off + len;
		if (r > 0)
			return 1;
	}
}

/* ---- public ---- */

/* A mapped file's pages count in the process's memory once read: those
 * more than PF_MAP_WINDOW behind the last offset read are given back to
 * the page cache (MADV_DONTNEED; read again, from the cache, if asked
 * for), so reading a file of any size keeps at most about two windows of
 * it mapped. Pointers handed out stay valid. */
#define PF_MAP_WINDOW (32u << 20)

static void pf_map_release(struct pcapfile *pf, uint64_t off)
{
	if (pf->mode != PF_MAP)
		return;
	if (off < pf->map_kept) {
		pf->map_kept = off & ~(uint64_t)4095; /* going back: sweep from here next time */
		return;
	}
	if (off - pf->map_kept < 2 * (uint64_t)PF_MAP_WINDOW)
		return;
	uint64_t upto = (off - PF_MAP_WINDOW) & ~(uint64_t)4095;
	madvise(pf->map + pf->map_kept, (size_t)(upto - pf->map_kept), MADV_DONTNEED);
	pf->map_kept = upto;
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt)
{
	if (pf->state != PF_OK)
		return pf->state == PF_ERR ? -1 : 0;
	pf_map_release(pf, pf->pos);
	if (pf->format == PCAPFILE_PCAP)
		return pf_next_pcap(pf, pkt);
	return pf_next_pcapng(pf, pkt);
}

struct pcapfile *pcapfile_open(const char *path, char *err)
{
	/* O_NONBLOCK for the open only: a FIFO with nobody writing must not
	 * hang it (reading it then ends at once); a pipe with a writer is read
	 * as a stream */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return util_err(err, "open %s: %s", path, strerror(errno)), NULL;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return pcapfile_open_fd(fd, path, 0, err);
}

/* A stream (pipe, FIFO, socket, character device) is read like a file
 * from an unlinked temporary file in $TMPDIR (else /tmp), into which it is
 * copied as the reader gets to it: its packets cost the same index as a
 * file's, and its bytes stay on disk, not in memory. The temporary file's
 * descriptor, or -1 when none can be made (the stream is then kept in
 * memory, as before). */
static int pf_spill_file(const char **dirp)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	*dirp = dir;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		char path[4096];
		snprintf(path, sizeof path, "%s/doorway-stream.XXXXXX", dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

struct pcapfile *pcapfile_open_fd(int fd, const char *name, int flags, char *err)
{
	int spill;
	const char *spill_dir = NULL;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		util_err(err, "fstat %s: %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		util_err(err, "%s: is a directory", name);
		close(fd);
		return NULL;
	}
	struct pcapfile *pf = xcalloc(1, sizeof *pf);
	pf->name = xstrdup(name);
	pf->fd = fd;
	pf->in = -1;
	pf->state = PF_OK;
	if (S_ISREG(st.st_mode)) {
		pf->size = (uint64_t)st.st_size;
		if (pf->size == 0) {
			util_err(err, "%s: empty file", name);
			pcapfile_close(pf);
			return NULL;
		}
		void *m = MAP_FAILED;
		if (!(flags & PCAPFILE_NOMAP) && pf->size <= SIZE_MAX)
			m = mmap(NULL, (size_t)pf->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			pf->mode = PF_MAP;
			pf->map = m;
			pf->map_len = (size_t)pf->size;
			pf->win = pf->map;
			pf->win_off = 0;
			pf->win_len = pf->map_len;
		} else {
			pf->mode = PF_PREAD;
		}
	} else if (!(flags & PCAPFILE_NOSPILL) && (spill = pf_spill_file(&spill_dir)) >= 0) {
		pf->mode = PF_PREAD;
		pf->in = fd;
		pf->fd = spill;
		pf->spill_dir = spill_dir;
	} else {
		pf->mode = PF_STREAM; /* no temporary file to be had: in memory */
	}

	size_t got;
	const uint8_t *p = pf_peek(pf, 0, 4, &got);
	if (pf->state == PF_ERR)
		goto fail;
	if (got == 0) {
		pf_fail(pf, "empty file");
		goto fail;
	}
	if (got < 4) {
		pf_fail(pf, "not a pcap or pcapng file (only %zu bytes)", got);
		goto fail;
	}
	uint32_t host = pf_ld32(p, false);
	uint32_t swapped = __builtin_bswap32(host);
	if (host == PF_BT_SHB) {
		pf->format = PCAPFILE_PCAPNG;
		if (pf_shb(pf, 0, true) < 0)
			goto fail;
	} else if (host == PF_MAGIC_US || host == PF_MAGIC_NS || host == PF_MAGIC_KUZ) {
		pf->swap = false;
		if (pf_open_pcap(pf, host) < 0)
			goto fail;
	} else if (swapped == PF_MAGIC_US || swapped == PF_MAGIC_NS || swapped == PF_MAGIC_KUZ) {
		pf->swap = true;
		if (pf_open_pcap(pf, swapped) < 0)
			goto fail;
	} else {
		pf_fail(pf, "not a pcap or pcapng file (magic 0x%02x%02x%02x%02x)", p[0], p[1], p[2], p[3]);
		goto fail;
	}
	return pf;
fail:
	util_err(err, "%s", pf->err);
	pcapfile_close(pf);
	return NULL;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	if (pf->map)
		munmap(pf->map, pf->map_len);
	if (pf->fd >= 0)
		close(pf->fd);
	if (pf->in >= 0)
		close(pf->in);
	for (uint32_t i = 0; i < pf->nifs_desc; i++) {
		free(pf->ifs[i].name);
		free(pf->ifs[i].desc);
	}
	free(pf->ifs);
	free(pf->ifref);
	free(pf->buf);
	free(pf->scratch);
	free(pf->name);
	free(pf);
}

const uint8_t *pcapfile_data_at(struct pcapfile *pf, uint64_t offset, uint32_t caplen)
{
	if (caplen > PCAPFILE_MAX_CAPLEN) {
		pf_complain(pf, "read %" PRIu32 " bytes at offset %" PRIu64 ": more than the maximum %u",
			    caplen, offset, PCAPFILE_MAX_CAPLEN);
		return NULL;
	}
	if (pf->mode != PF_STREAM && (offset > pf->size || caplen > pf->size - offset)) {
		pf_complain(pf, "read %" PRIu32 " bytes at offset %" PRIu64
			    ": outside the file (%" PRIu64 " bytes)", caplen, offset, pf->size);
		return NULL;
	}
	switch (pf->mode) {
	case PF_MAP:
		pf_map_release(pf, offset);
		return pf->map + offset;
	case PF_PREAD: {
		if (!pf->scratch)
			pf->scratch = xmalloc(PCAPFILE_MAX_CAPLEN);
		size_t got;
		if (pf_read_fully(pf->fd, pf->scratch, caplen, offset, true, &got) < 0) {
			pf_complain(pf, "read at offset %" PRIu64 ": %s", offset, strerror(errno));
			return NULL;
		}
		if (got < caplen) {
			pf_complain(pf, "read %" PRIu32 " bytes at offset %" PRIu64
				    ": the file is shorter than it was", caplen, offset);
			return NULL;
		}
		return pf->scratch;
	}
	case PF_STREAM:
		/* Everything read so far is kept; packets only come from there. */
		if (offset > pf->win_len || caplen > pf->win_len - offset) {
			pf_complain(pf, "read %" PRIu32 " bytes at offset %" PRIu64
				    ": not in the %zu bytes read from the input", caplen, offset, pf->win_len);
			return NULL;
		}
		return pf->buf + offset;
	}
	return NULL;
}

int pcapfile_read_at(struct pcapfile *pf, uint64_t offset, uint32_t caplen, uint8_t *out)
{
	const uint8_t *p = pcapfile_data_at(pf, offset, caplen);
	if (!p)
		return -1;
	if (caplen)
		memcpy(out, p, caplen);
	return 0;
}

const char *pcapfile_error(const struct pcapfile *pf) { return pf->err; }
const char *pcapfile_warning(const struct pcapfile *pf) { return pf->has_warn ? pf->warn : NULL; }
enum pcapfile_format pcapfile_format(const struct pcapfile *pf) { return pf->format; }
bool pcapfile_is_mapped(const struct pcapfile *pf) { return pf->mode == PF_MAP; }
uint64_t pcapfile_size(const struct pcapfile *pf)
{
	return pf->mode == PF_STREAM || pf->spill_dir ? 0 : pf->size;
}
uint64_t pcapfile_packets(const struct pcapfile *pf) { return pf->npkts; }
uint32_t pcapfile_if_count(const struct pcapfile *pf) { return pf->nifs; }

static const struct pf_iface *pf_if(const struct pcapfile *pf, uint32_t i)
{
	return i < pf->nifs ? &pf->ifs[pf->ifref[i].desc] : NULL;
}

const char *pcapfile_if_name(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->name : "";
}

const char *pcapfile_if_description(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->desc : "";
}

int pcapfile_if_linktype(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->linktype : -1;
}

uint32_t pcapfile_if_snaplen(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->snaplen : 0;
}

int pcapfile_if_fcs_len(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->fcs_len : -1;
}

uint64_t pcapfile_if_ticks_per_sec(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->ticks_per_sec : 0;
}

uint32_t pcapfile_if_section(const struct pcapfile *pf, uint32_t i)
{
	return i < pf->nifs ? pf->ifref[i].section : 0;
}

uint32_t pcapfile_if_first(const struct pcapfile *pf, uint32_t i)
{
	const struct pf_iface *ifc = pf_if(pf, i);
	return ifc ? ifc->first : i;
}
