/* test-pcapfile — the pcap/pcapng reader and the pcapng writer.
 *
 * Files are built byte by byte here (both byte orders, every block type) or
 * written with the writer, then read back three ways: mapped, with pread()
 * (PCAPFILE_NOMAP) and through a pipe. Malformed files must fail with a
 * message naming the problem; a file cut at any byte must give exactly the
 * packets that were complete before the cut; random corruption must never
 * crash or loop. Fixtures in tests/pcapfile/ were made by tcpdump and editcap
 * and come with tshark's view of them (*.tshark). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcapfile.h"
#include "trace.h"
#include "util.h"

static char tmpdir[] = "/tmp/doorway-test-pcapfile-XXXXXX";

#define assert_contains(hay, needle)                                                   \
	do {                                                                           \
		const char *h_ = (hay);                                                \
		if (!h_ || !strstr(h_, (needle)))                                      \
			fail_msg("expected \"%s\" in \"%s\"", (needle), h_ ? h_ : "(null)"); \
	} while (0)

/* ---- building files byte by byte ---- */

struct tb {
	uint8_t *p;
	size_t len, cap;
	bool be; /* write big-endian */
};

static void tb_put(struct tb *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void tb_u8(struct tb *b, uint8_t v) { tb_put(b, &v, 1); }

static void tb_u16(struct tb *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	if (!b->be) {
		x[0] = (uint8_t)v;
		x[1] = (uint8_t)(v >> 8);
	}
	tb_put(b, x, 2);
}

static void tb_u32(struct tb *b, uint32_t v)
{
	if (b->be) {
		tb_u16(b, (uint16_t)(v >> 16));
		tb_u16(b, (uint16_t)v);
	} else {
		tb_u16(b, (uint16_t)v);
		tb_u16(b, (uint16_t)(v >> 16));
	}
}

static void tb_u64(struct tb *b, uint64_t v)
{
	if (b->be) {
		tb_u32(b, (uint32_t)(v >> 32));
		tb_u32(b, (uint32_t)v);
	} else {
		tb_u32(b, (uint32_t)v);
		tb_u32(b, (uint32_t)(v >> 32));
	}
}

static void tb_pad4(struct tb *b)
{
	while (b->len % 4)
		tb_u8(b, 0);
}

static void tb_patch32(struct tb *b, size_t at, uint32_t v)
{
	struct tb t = { .be = b->be };
	tb_u32(&t, v);
	memcpy(b->p + at, t.p, 4);
	free(t.p);
}

static void tb_free(struct tb *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void fill_pattern(uint8_t *d, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)(seed * 31 + i * 7);
}

/* pcapng */
static size_t ng_begin(struct tb *b, uint32_t type)
{
	size_t at = b->len;
	tb_u32(b, type);
	tb_u32(b, 0);
	return at;
}

static void ng_end(struct tb *b, size_t at)
{
	uint32_t len = (uint32_t)(b->len - at + 4);
	tb_u32(b, len);
	tb_patch32(b, at + 4, len);
}

static void ng_opt(struct tb *b, uint16_t code, const void *v, uint16_t n)
{
	tb_u16(b, code);
	tb_u16(b, n);
	tb_put(b, v, n);
	tb_pad4(b);
}

static void ng_shb(struct tb *b)
{
	size_t at = ng_begin(b, 0x0a0d0d0a);
	tb_u32(b, 0x1a2b3c4d);
	tb_u16(b, 1);
	tb_u16(b, 0);
	tb_u64(b, UINT64_MAX);
	ng_opt(b, 4, "hand", 4);
	ng_opt(b, 0, NULL, 0);
	ng_end(b, at);
}

/* tsresol < 0: no option; has_off: if_tsoffset */
static void ng_idb(struct tb *b, uint16_t lt, uint32_t snaplen, const char *name, int tsresol,
		   bool has_off, int64_t tsoff)
{
	size_t at = ng_begin(b, 1);
	tb_u16(b, lt);
	tb_u16(b, 0);
	tb_u32(b, snaplen);
	if (name)
		ng_opt(b, 2, name, (uint16_t)strlen(name));
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;
		ng_opt(b, 9, &r, 1);
	}
	if (has_off) {
		struct tb t = { .be = b->be };
		tb_u64(&t, (uint64_t)tsoff);
		ng_opt(b, 14, t.p, 8);
		tb_free(&t);
	}
	ng_end(b, at);
}

static void ng_epb(struct tb *b, uint32_t ifid, uint64_t ts, const uint8_t *d, uint32_t caplen,
		   uint32_t wirelen, const char *comment)
{
	size_t at = ng_begin(b, 6);
	tb_u32(b, ifid);
	tb_u32(b, (uint32_t)(ts >> 32));
	tb_u32(b, (uint32_t)ts);
	tb_u32(b, caplen);
	tb_u32(b, wirelen);
	tb_put(b, d, caplen);
	tb_pad4(b);
	if (comment) {
		ng_opt(b, 1, comment, (uint16_t)strlen(comment));
		ng_opt(b, 0, NULL, 0);
	}
	ng_end(b, at);
}

/* classic pcap */
static void pc_hdr(struct tb *b, uint32_t magic, uint16_t major, uint32_t snaplen, uint32_t lt)
{
	tb_u32(b, magic);
	tb_u16(b, major);
	tb_u16(b, 4);
	tb_u32(b, 0);
	tb_u32(b, 0);
	tb_u32(b, snaplen);
	tb_u32(b, lt);
}

static void pc_rec(struct tb *b, uint32_t sec, uint32_t frac, const uint8_t *d, uint32_t caplen,
		   uint32_t wirelen)
{
	tb_u32(b, sec);
	tb_u32(b, frac);
	tb_u32(b, caplen);
	tb_u32(b, wirelen);
	tb_put(b, d, caplen);
}

/* ---- opening bytes three ways ---- */

enum mode { M_MAP, M_NOMAP, M_PIPE, M_COUNT };
static const char *mode_name[] = { "mmap", "pread", "pipe" };

static void tmp_path(char *out, const char *leaf)
{
	snprintf(out, PATH_MAX, "%s/%s", tmpdir, leaf);
}

/* Create (truncate) leaf in the test directory for reading and writing. */
static int tmp_open(char *path, const char *leaf)
{
	tmp_path(path, leaf);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	return fd;
}

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(util_write_all(fd, p, n), 0);
	assert_int_equal(close(fd), 0);
}

static struct pcapfile *open_bytes(enum mode m, const void *p, size_t n, char *err)
{
	char path[PATH_MAX];
	if (m == M_PIPE) {
		int fds[2];
		assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
		if (n > 60000)
			assert_true(fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) >= (int)n);
		assert_int_equal(util_write_all(fds[1], p, n), 0);
		close(fds[1]);
		return pcapfile_open_fd(fds[0], "capture.pcap", 0, err);
	}
	tmp_path(path, "capture.pcap");
	write_file(path, p, n);
	if (m == M_MAP)
		return pcapfile_open(path, err);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return pcapfile_open_fd(fd, path, PCAPFILE_NOMAP, err);
}

/* ---- reading everything ---- */

struct rpkt {
	uint64_t ts, offset, number;
	uint32_t caplen, wirelen, ifindex, flags;
	int linktype;
	uint8_t *data;
	char *comment; /* NUL-terminated copy, NULL if none */
	uint32_t comment_len;
};

struct rall {
	struct rpkt *p;
	size_t n;
	int rc;
	char err[UTIL_ERRLEN];
	char warn[UTIL_ERRLEN];
	bool has_warn;
};

static void read_all(struct pcapfile *pf, struct rall *r)
{
	memset(r, 0, sizeof *r);
	struct pcapfile_pkt pkt;
	size_t cap = 0;
	int rc;
	for (int guard = 0;; guard++) {
		if (guard > 1000000)
			fail_msg("pcapfile_next does not end");
		rc = pcapfile_next(pf, &pkt);
		if (rc <= 0)
			break;
		assert_true(pkt.caplen <= PCAPFILE_MAX_CAPLEN);
		assert_true(pkt.ifindex < pcapfile_if_count(pf));
		if (r->n == cap) {
			cap = cap ? cap * 2 : 16;
			r->p = xreallocarray(r->p, cap, sizeof *r->p);
		}
		struct rpkt *q = &r->p[r->n++];
		q->ts = pkt.ts_ns;
		q->offset = pkt.offset;
		q->number = pkt.number;
		q->caplen = pkt.caplen;
		q->wirelen = pkt.wirelen;
		q->ifindex = pkt.ifindex;
		q->flags = pkt.flags;
		q->linktype = pkt.linktype;
		q->data = xmemdup(pkt.data, pkt.caplen);
		q->comment = pkt.comment ? xstrndup(pkt.comment, pkt.comment_len) : NULL;
		q->comment_len = pkt.comment_len;
		assert_int_equal(pkt.number, r->n);
	}
	r->rc = rc;
	if (rc < 0) {
		snprintf(r->err, sizeof r->err, "%s", pcapfile_error(pf));
		/* an error is final */
		assert_int_equal(pcapfile_next(pf, &pkt), -1);
		assert_string_equal(pcapfile_error(pf), r->err);
	} else {
		assert_int_equal(pcapfile_next(pf, &pkt), 0);
	}
	if (pcapfile_warning(pf)) {
		r->has_warn = true;
		snprintf(r->warn, sizeof r->warn, "%s", pcapfile_warning(pf));
	}
	assert_int_equal(pcapfile_packets(pf), r->n);
}

static void rall_free(struct rall *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->p[i].data);
		free(r->p[i].comment);
	}
	free(r->p);
	memset(r, 0, sizeof *r);
}

static void assert_same_packets(const struct rall *a, const struct rall *b, size_t n)
{
	assert_true(a->n >= n && b->n >= n);
	for (size_t i = 0; i < n; i++) {
		const struct rpkt *x = &a->p[i], *y = &b->p[i];
		assert_int_equal(x->ts, y->ts);
		assert_int_equal(x->offset, y->offset);
		assert_int_equal(x->caplen, y->caplen);
		assert_int_equal(x->wirelen, y->wirelen);
		assert_int_equal(x->ifindex, y->ifindex);
		assert_int_equal(x->linktype, y->linktype);
		assert_memory_equal(x->data, y->data, x->caplen);
		assert_true(!x->comment == !y->comment);
		if (x->comment)
			assert_string_equal(x->comment, y->comment);
	}
}

/* ---- writer round trip ---- */

struct wpkt {
	uint32_t ifid;
	uint64_t ts;
	uint32_t caplen, wirelen;
	const char *comment;
};

static const struct wpkt round_pkts[] = {
	{ 0, 1700000000123456789ull, 60, 60, "first: hello" },
	{ 1, 1700000000123456790ull, 0, 0, NULL },
	{ 0, 1700000001000000000ull, 1, 1, "" },
	{ 1, 1700000002999999999ull, 1514, 1514, "ünïcode comment" },
	{ 0, 5, 77, 1000, "truncated to 77 of 1000" },
	{ 1, UINT64_MAX, 3, 3, "abc" },
};

/* Write round_pkts with the writer onto fd; record every block's end. */
static void write_round(int fd, size_t *ends, size_t *nends)
{
	char err[UTIL_ERRLEN];
	struct stat st;
	struct pcapng_writer *w = pcapng_writer_open_fd(fd, "round.pcapng", err);
	assert_non_null(w);
	*nends = 0;
	assert_int_equal(fstat(fd, &st), 0);
	ends[(*nends)++] = (size_t)st.st_size;
	assert_int_equal(pcapng_writer_add_if(w, "veth-alice", "alice's side of the link", 1, 262144), 0);
	assert_int_equal(fstat(fd, &st), 0);
	ends[(*nends)++] = (size_t)st.st_size;
	assert_int_equal(pcapng_writer_add_if(w, "lo", NULL, 0, 0), 1);
	assert_int_equal(fstat(fd, &st), 0);
	ends[(*nends)++] = (size_t)st.st_size;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(round_pkts); i++) {
		const struct wpkt *p = &round_pkts[i];
		uint8_t d[1514];
		fill_pattern(d, p->caplen, (unsigned)i);
		assert_int_equal(pcapng_writer_packet(w, p->ifid, p->ts, d, p->caplen, p->wirelen, p->comment), 0);
		assert_int_equal(fstat(fd, &st), 0);
		ends[(*nends)++] = (size_t)st.st_size;
	}
	assert_int_equal(pcapng_writer_close(w, err), 0);
	/* the descriptor stays the caller's */
	assert_true(fcntl(fd, F_GETFD) >= 0);
}

static void check_round(struct pcapfile *pf, const struct rall *r)
{
	assert_int_equal(r->rc, 0);
	assert_false(r->has_warn);
	assert_int_equal(pcapfile_format(pf), PCAPFILE_PCAPNG);
	assert_int_equal(pcapfile_if_count(pf), 2);
	assert_string_equal(pcapfile_if_name(pf, 0), "veth-alice");
	assert_string_equal(pcapfile_if_description(pf, 0), "alice's side of the link");
	assert_int_equal(pcapfile_if_linktype(pf, 0), 1);
	assert_int_equal(pcapfile_if_snaplen(pf, 0), 262144);
	assert_int_equal(pcapfile_if_ticks_per_sec(pf, 0), 1000000000ull);
	assert_string_equal(pcapfile_if_name(pf, 1), "lo");
	assert_string_equal(pcapfile_if_description(pf, 1), "");
	assert_int_equal(pcapfile_if_linktype(pf, 1), 0);
	assert_int_equal(pcapfile_if_fcs_len(pf, 1), -1);
	assert_string_equal(pcapfile_if_name(pf, 7), "");
	assert_int_equal(pcapfile_if_linktype(pf, 7), -1);
	assert_int_equal(r->n, UTIL_ARRAY_LEN(round_pkts));
	for (size_t i = 0; i < r->n; i++) {
		const struct wpkt *w = &round_pkts[i];
		const struct rpkt *p = &r->p[i];
		uint8_t d[1514];
		fill_pattern(d, w->caplen, (unsigned)i);
		assert_int_equal(p->ts, w->ts);
		assert_int_equal(p->ifindex, w->ifid);
		assert_int_equal(p->linktype, w->ifid == 0 ? 1 : 0);
		assert_int_equal(p->caplen, w->caplen);
		assert_int_equal(p->wirelen, w->wirelen);
		assert_memory_equal(p->data, d, w->caplen);
		if (w->comment && *w->comment) {
			assert_non_null(p->comment);
			assert_string_equal(p->comment, w->comment);
			assert_int_equal(p->comment_len, strlen(w->comment));
		} else {
			assert_null(p->comment);
		}
	}
}

static void test_roundtrip(void **state)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	size_t ends[32], nends;
	int fd = tmp_open(path, "round.pcapng");
	write_round(fd, ends, &nends);
	close(fd);

	for (int m = 0; m < M_COUNT; m++) {
		struct pcapfile *pf;
		if (m == M_MAP) {
			pf = pcapfile_open(path, err);
		} else {
			/* pread or pipe: feed the same bytes */
			int in = open(path, O_RDONLY | O_CLOEXEC);
			assert_true(in >= 0);
			if (m == M_NOMAP) {
				pf = pcapfile_open_fd(in, path, PCAPFILE_NOMAP, err);
			} else {
				uint8_t buf[8192];
				ssize_t n = read(in, buf, sizeof buf);
				assert_true(n > 0 && n < (ssize_t)sizeof buf);
				close(in);
				pf = open_bytes(M_PIPE, buf, (size_t)n, err);
			}
		}
		assert_non_null(pf);
		assert_int_equal(pcapfile_is_mapped(pf), m == M_MAP);
		struct rall r;
		read_all(pf, &r);
		check_round(pf, &r);

		/* re-read every packet by offset */
		for (size_t i = 0; i < r.n; i++) {
			uint8_t out[1514];
			assert_int_equal(pcapfile_read_at(pf, r.p[i].offset, r.p[i].caplen, out), 0);
			assert_memory_equal(out, r.p[i].data, r.p[i].caplen);
			const uint8_t *d = pcapfile_data_at(pf, r.p[i].offset, r.p[i].caplen);
			assert_non_null(d);
			assert_memory_equal(d, r.p[i].data, r.p[i].caplen);
		}
		/* out of range: an error message, but no harm */
		uint8_t out[16];
		assert_int_equal(pcapfile_read_at(pf, ends[nends - 1] - 2, 10, out), -1);
		assert_contains(pcapfile_error(pf), "at offset");
		assert_int_equal(pcapfile_read_at(pf, UINT64_MAX - 3, 10, out), -1);
		assert_null(pcapfile_data_at(pf, 0, PCAPFILE_MAX_CAPLEN + 1));
		assert_contains(pcapfile_error(pf), "more than the maximum 262144");
		rall_free(&r);
		pcapfile_close(pf);
	}
}

/* A pipe is copied, as far as it is read, to an unlinked temporary file in
 * $TMPDIR and read from there (its bytes on disk, not in memory);
 * PCAPFILE_NOSPILL, or no temporary file to be had, keeps it in memory.
 * The packets are the same. */
static struct pcapfile *pipe_open(const void *p, size_t n, int flags, char *err)
{
	int fds[2];
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	assert_int_equal(util_write_all(fds[1], p, n), 0);
	close(fds[1]);
	return pcapfile_open_fd(fds[0], "capture.pcap", flags, err);
}

static void test_pipe_spill(void **state)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	size_t ends[32], nends;
	int fd = tmp_open(path, "round.pcapng");
	write_round(fd, ends, &nends);
	close(fd);
	uint8_t buf[8192];
	int in = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = read(in, buf, sizeof buf);
	close(in);
	assert_true(n > 0 && n < (ssize_t)sizeof buf);

	const char *old = getenv("TMPDIR");
	char *saved = old ? xstrdup(old) : NULL;
	for (int k = 0; k < 3; k++) {
		if (k == 2)
			setenv("TMPDIR", "/nonexistent/doorway-test", 1);
		struct pcapfile *pf = pipe_open(buf, (size_t)n, k == 1 ? PCAPFILE_NOSPILL : 0, err);
		assert_non_null(pf);
		assert_false(pcapfile_is_mapped(pf));
		assert_int_equal(pcapfile_size(pf), 0); /* a stream's size is not known */
		struct rall r;
		read_all(pf, &r);
		check_round(pf, &r);
		rall_free(&r);
		pcapfile_close(pf);
	}
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

/* Re-reading by offset in the middle of a pass must not disturb the pass. */
static void test_read_at_interleaved(void **state)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	size_t ends[32], nends;
	int fd = tmp_open(path, "round.pcapng");
	write_round(fd, ends, &nends);
	close(fd);
	for (int m = M_MAP; m <= M_NOMAP; m++) {
		int in = open(path, O_RDONLY | O_CLOEXEC);
		struct pcapfile *pf = pcapfile_open_fd(in, path, m == M_NOMAP ? PCAPFILE_NOMAP : 0, err);
		assert_non_null(pf);
		struct pcapfile_pkt pkt;
		uint64_t first_off = 0;
		uint32_t first_len = 0;
		for (size_t i = 0; i < UTIL_ARRAY_LEN(round_pkts); i++) {
			assert_int_equal(pcapfile_next(pf, &pkt), 1);
			uint8_t d[1514];
			fill_pattern(d, round_pkts[i].caplen, (unsigned)i);
			assert_memory_equal(pkt.data, d, pkt.caplen);
			if (i == 0) {
				first_off = pkt.offset;
				first_len = pkt.caplen;
			}
			uint8_t out[1514], want[1514];
			fill_pattern(want, first_len, 0);
			assert_int_equal(pcapfile_read_at(pf, first_off, first_len, out), 0);
			assert_memory_equal(out, want, first_len);
		}
		assert_int_equal(pcapfile_next(pf, &pkt), 0);
		pcapfile_close(pf);
	}
}

static void test_writer_errors(void **state)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	tmp_path(path, "w.pcapng");
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	assert_non_null(w);
	uint8_t d[64] = { 0 };
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, 10, 10, NULL), -1);
	assert_contains(pcapng_writer_error(w), "interface 0, which was not added");
	assert_int_equal(pcapng_writer_add_if(w, "x", NULL, 70000, 0), -1);
	assert_contains(pcapng_writer_error(w), "link type 70000 out of range");
	assert_int_equal(pcapng_writer_add_if(w, "x", NULL, 1, 1u << 30), -1);
	assert_contains(pcapng_writer_error(w), "snapshot length");
	assert_int_equal(pcapng_writer_add_if(w, "x", NULL, 1, 0), 0);
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, 11, 10, NULL), -1);
	assert_contains(pcapng_writer_error(w), "longer than its wire length");
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, PCAPFILE_MAX_CAPLEN + 1, UINT32_MAX, NULL), -1);
	assert_contains(pcapng_writer_error(w), "more than the maximum");
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, 10, 10, "ok"), 0);
	/* argument mistakes do not spoil the recording */
	assert_int_equal(pcapng_writer_close(w, err), 0);

	struct pcapfile *pf = pcapfile_open(path, err);
	assert_non_null(pf);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.p[0].comment, "ok");
	rall_free(&r);
	pcapfile_close(pf);

	/* a directory cannot be opened */
	assert_null(pcapng_writer_open(tmpdir, err));
	assert_contains(err, "open ");
	/* a full disk: the section header cannot be written */
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (full >= 0) {
		assert_null(pcapng_writer_open_fd(full, "/dev/full", err));
		assert_contains(err, "/dev/full: write section header:");
		close(full);
	}
	/* a write failing halfway: every later call fails, close reports it */
	int fds[2];
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	w = pcapng_writer_open_fd(fds[1], "pipe", err);
	assert_non_null(w);
	assert_int_equal(pcapng_writer_add_if(w, "a", "b", 1, 0), 0);
	close(fds[0]);
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, 10, 10, NULL), -1);
	assert_contains(pcapng_writer_error(w), "pipe: write packet:");
	assert_int_equal(pcapng_writer_add_if(w, "c", NULL, 1, 0), -1);
	assert_int_equal(pcapng_writer_close(w, err), -1);
	assert_contains(err, "write packet");
	signal(SIGPIPE, old);
	close(fds[1]);
}

static uint8_t *slurp_fd(int fd, size_t *n)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	uint8_t *p = xmalloc((size_t)st.st_size + 1);
	assert_int_equal(pread(fd, p, (size_t)st.st_size, 0), st.st_size);
	*n = (size_t)st.st_size;
	return p;
}

/* Held blocks: the file grows only by whole blocks (each size is one an
 * unheld writer passes through), nothing of a packet shows before the hold
 * fills or a flush, and the result is byte for byte the unheld file. */
static void test_writer_hold(void **state)
{
	(void)state;
	char path[PATH_MAX], err[UTIL_ERRLEN];
	size_t ends[32], nends;
	int fd = tmp_open(path, "plain.pcapng");
	write_round(fd, ends, &nends);
	size_t plen;
	uint8_t *plain = slurp_fd(fd, &plen);
	close(fd);

	fd = tmp_open(path, "held.pcapng");
	struct pcapng_writer *w = pcapng_writer_open_fd(fd, "held.pcapng", err);
	assert_non_null(w);
	pcapng_writer_set_hold(w, 1600);
	assert_int_equal(pcapng_writer_add_if(w, "veth-alice", "alice's side of the link", 1, 262144), 0);
	assert_int_equal(pcapng_writer_add_if(w, "lo", NULL, 0, 0), 1);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, ends[0]); /* only the section header so far */
	assert_int_equal(pcapng_writer_pending(w), ends[2] - ends[0]);
	bool grew = false;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(round_pkts); i++) {
		const struct wpkt *p = &round_pkts[i];
		uint8_t d[1514];
		fill_pattern(d, p->caplen, (unsigned)i);
		off_t before = st.st_size;
		assert_int_equal(pcapng_writer_packet(w, p->ifid, p->ts, d, p->caplen, p->wirelen, p->comment), 0);
		assert_int_equal(fstat(fd, &st), 0);
		bool whole = false;
		for (size_t k = 0; k < nends; k++)
			whole |= (size_t)st.st_size == ends[k];
		assert_true(whole);
		/* written only once 1600 bytes waited, then all of them */
		if (st.st_size != before) {
			assert_true(ends[3 + i] - (size_t)before >= 1600);
			assert_int_equal(st.st_size, ends[3 + i]);
			assert_int_equal(pcapng_writer_pending(w), 0);
			grew = true;
		} else {
			assert_int_equal(pcapng_writer_pending(w), ends[3 + i] - (size_t)before);
		}
	}
	assert_true(grew);
	assert_true(pcapng_writer_pending(w) > 0); /* the last small packets wait */
	assert_int_equal(pcapng_writer_flush(w), 0);
	assert_int_equal(pcapng_writer_pending(w), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, plen);
	/* close writes what a packet after the flush left held */
	uint8_t d[4] = { 9, 9, 9, 9 };
	assert_int_equal(pcapng_writer_packet(w, 0, 7, d, 4, 4, NULL), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, plen);
	assert_int_equal(pcapng_writer_close(w, err), 0);
	size_t hlen;
	uint8_t *held = slurp_fd(fd, &hlen);
	close(fd);
	assert_true(hlen > plen);
	assert_memory_equal(held, plain, plen);
	free(held);
	free(plain);
}

static void test_writer_long_comment(void **state)
{
	char path[PATH_MAX], err[UTIL_ERRLEN];
	tmp_path(path, "long.pcapng");
	struct pcapng_writer *w = pcapng_writer_open(path, err);
	assert_non_null(w);
	assert_int_equal(pcapng_writer_add_if(w, "x", NULL, 1, 0), 0);
	/* 65534 'a' then a two-byte character: the cut at 65535 would split it */
	size_t n = 65534;
	char *c = xmalloc(n + 3);
	memset(c, 'a', n);
	memcpy(c + n, "\xc3\xa9", 3);
	uint8_t d[4] = { 1, 2, 3, 4 };
	assert_int_equal(pcapng_writer_packet(w, 0, 1, d, 4, 4, c), 0);
	c[100] = '\0';
	assert_int_equal(pcapng_writer_packet(w, 0, 2, d, 4, 4, c), 0);
	assert_int_equal(pcapng_writer_close(w, err), 0);
	struct pcapfile *pf = pcapfile_open(path, err);
	assert_non_null(pf);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.p[0].comment_len, 65534);
	assert_int_equal(r.p[1].comment_len, 100);
	assert_memory_equal(r.p[0].data, d, 4);
	rall_free(&r);
	pcapfile_close(pf);
	free(c);
}

/* ---- classic pcap ---- */

static void test_classic(void **state)
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xa1b23c4d };
	for (int be = 0; be < 2; be++) {
		for (size_t mi = 0; mi < 2; mi++) {
			bool ns = magics[mi] == 0xa1b23c4d;
			struct tb b = { .be = be };
			uint8_t d[100];
			pc_hdr(&b, magics[mi], 2, 65535, 1);
			fill_pattern(d, 42, 1);
			pc_rec(&b, 1700000000, ns ? 123456789 : 123456, d, 42, 42);
			fill_pattern(d, 0, 2);
			pc_rec(&b, 1700000001, 0, d, 0, 60);
			fill_pattern(d, 100, 3);
			pc_rec(&b, 0xffffffffu, ns ? 999999999 : 999999, d, 100, 1500);
			for (int m = 0; m < M_COUNT; m++) {
				char err[UTIL_ERRLEN];
				struct pcapfile *pf = open_bytes(m, b.p, b.len, err);
				assert_non_null(pf);
				assert_int_equal(pcapfile_format(pf), PCAPFILE_PCAP);
				assert_int_equal(pcapfile_if_count(pf), 1);
				assert_int_equal(pcapfile_if_linktype(pf, 0), 1);
				assert_int_equal(pcapfile_if_snaplen(pf, 0), 65535);
				assert_int_equal(pcapfile_if_fcs_len(pf, 0), -1);
				assert_string_equal(pcapfile_if_name(pf, 0), "");
				assert_int_equal(pcapfile_if_ticks_per_sec(pf, 0), ns ? 1000000000ull : 1000000ull);
				struct rall r;
				read_all(pf, &r);
				assert_int_equal(r.rc, 0);
				assert_false(r.has_warn);
				assert_int_equal(r.n, 3);
				assert_int_equal(r.p[0].ts, ns ? 1700000000123456789ull : 1700000000123456000ull);
				assert_int_equal(r.p[0].caplen, 42);
				assert_int_equal(r.p[0].offset, 24 + 16);
				fill_pattern(d, 42, 1);
				assert_memory_equal(r.p[0].data, d, 42);
				assert_int_equal(r.p[1].ts, 1700000001000000000ull);
				assert_int_equal(r.p[1].caplen, 0);
				assert_int_equal(r.p[1].wirelen, 60);
				assert_int_equal(r.p[2].ts, 4294967295ull * 1000000000ull + (ns ? 999999999ull : 999999000ull));
				assert_int_equal(r.p[2].wirelen, 1500);
				fill_pattern(d, 100, 3);
				assert_memory_equal(r.p[2].data, d, 100);
				assert_int_equal(r.p[2].linktype, 1);
				assert_null(r.p[2].comment);
				uint8_t out[100];
				assert_int_equal(pcapfile_read_at(pf, r.p[2].offset, 100, out), 0);
				assert_memory_equal(out, d, 100);
				rall_free(&r);
				pcapfile_close(pf);
			}
			tb_free(&b);
		}
	}
}

static void test_classic_fcs_and_kuznetzov(void **state)
{
	char err[UTIL_ERRLEN];
	struct tb b = { .be = true };
	uint8_t d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	/* linktype 1 with "FCS present", 2 16-bit words */
	pc_hdr(&b, 0xa1b2c3d4, 2, 0, 0x24000001);
	pc_rec(&b, 1, 2, d, 8, 8);
	struct pcapfile *pf = open_bytes(M_MAP, b.p, b.len, err);
	assert_non_null(pf);
	assert_int_equal(pcapfile_if_linktype(pf, 0), 1);
	assert_int_equal(pcapfile_if_fcs_len(pf, 0), 4);
	assert_int_equal(pcapfile_if_snaplen(pf, 0), 0);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.p[0].linktype, 1);
	assert_int_equal(r.p[0].ts, 1000002000ull);
	rall_free(&r);
	pcapfile_close(pf);
	tb_free(&b);

	/* "modified" pcap: 24-byte record headers (ifindex, protocol, type, pad) */
	b.be = false;
	b.be = false;
	pc_hdr(&b, 0xa1b2cd34, 2, 65535, 1);
	for (uint32_t i = 0; i < 2; i++) {
		tb_u32(&b, 10);
		tb_u32(&b, i);
		tb_u32(&b, 8);
		tb_u32(&b, 8);
		tb_u32(&b, 3);    /* ifindex */
		tb_u16(&b, 0x800); /* protocol */
		tb_u8(&b, 0);     /* packet type */
		tb_u8(&b, 0);
		tb_put(&b, d, 8);
	}
	pf = open_bytes(M_MAP, b.p, b.len, err);
	assert_non_null(pf);
	read_all(pf, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.p[1].ts, 10000001000ull);
	assert_memory_equal(r.p[1].data, d, 8);
	rall_free(&r);
	pcapfile_close(pf);
	tb_free(&b);
}

/* ---- pcapng: every block type, both byte orders, several sections ---- */

struct sample {
	struct tb b;
	size_t hdr_end;       /* end of the file header / first SHB */
	size_t ends[64];      /* end of every block (or record) */
	size_t nends;
	size_t pkt_ends[64];  /* end of every packet's block */
	size_t npkts;
};

static void sm_end(struct sample *s, bool packet)
{
	s->ends[s->nends++] = s->b.len;
	if (packet)
		s->pkt_ends[s->npkts++] = s->b.len;
}

static void build_mixed(struct sample *s)
{
	memset(s, 0, sizeof *s);
	struct tb *b = &s->b;
	uint8_t d[64];
	b->be = true;
	ng_shb(b);
	s->hdr_end = b->len;
	sm_end(s, false);
	ng_idb(b, 1, 0, "be0", 6, false, 0);
	sm_end(s, false);
	fill_pattern(d, 40, 1);
	ng_epb(b, 0, 1700000000000001ull, d, 40, 40, "one");
	sm_end(s, true);
	/* an unknown block, skipped */
	size_t at = ng_begin(b, 0x00000bad);
	tb_u64(b, 0x1122334455667788ull);
	ng_end(b, at);
	sm_end(s, false);
	/* Simple Packet Block: 30 bytes, padded to 32 */
	at = ng_begin(b, 3);
	tb_u32(b, 30);
	fill_pattern(d, 30, 2);
	tb_put(b, d, 30);
	tb_pad4(b);
	ng_end(b, at);
	sm_end(s, true);
	/* obsolete Packet Block: 16-bit interface id, drop count */
	at = ng_begin(b, 2);
	tb_u16(b, 0);
	tb_u16(b, 7);
	tb_u32(b, 0);
	tb_u32(b, 2000000);
	tb_u32(b, 10);
	tb_u32(b, 12);
	fill_pattern(d, 10, 3);
	tb_put(b, d, 10);
	tb_pad4(b);
	ng_opt(b, 1, "old", 3);
	ng_end(b, at);
	sm_end(s, true);
	/* Interface Statistics Block, skipped */
	at = ng_begin(b, 5);
	tb_u32(b, 0);
	tb_u32(b, 0);
	tb_u32(b, 0);
	ng_end(b, at);
	sm_end(s, false);
	/* a second section, little-endian */
	b->be = false;
	ng_shb(b);
	sm_end(s, false);
	ng_idb(b, 101, 0, "le0", 9, false, 0);
	sm_end(s, false);
	ng_idb(b, 1, 128, "le1", 9, false, 0);
	sm_end(s, false);
	fill_pattern(d, 20, 4);
	/* EPB with epb_flags (inbound) and two comments */
	at = ng_begin(b, 6);
	tb_u32(b, 1);
	tb_u32(b, 0);
	tb_u32(b, 42);
	tb_u32(b, 20);
	tb_u32(b, 20);
	tb_put(b, d, 20);
	uint8_t fl[4] = { 1, 0, 0, 0 };
	ng_opt(b, 2, fl, 4);
	ng_opt(b, 1, "first", 5);
	ng_opt(b, 1, "second", 6);
	ng_opt(b, 0, NULL, 0);
	ng_end(b, at);
	sm_end(s, true);
}

/* Interfaces are numbered per section: a file of more sections than
 * PCAPFILE_MAX_IFACES (cat of many captures) is read to its end, the
 * sections that describe their interface alike share one description, and
 * the limit is on the interfaces of one section. */
static void test_pcapng_many_sections(void **state)
{
	enum { NSEC = PCAPFILE_MAX_IFACES + 904 };
	struct tb b = { 0 };
	uint8_t d[16];
	fill_pattern(d, sizeof d, 7);
	for (unsigned i = 0; i < NSEC; i++) {
		b.be = i % 2 == 1; /* both byte orders, section by section */
		ng_shb(&b);
		ng_idb(&b, 1, 0, i == 100 ? "wlan0" : "eth0", 9, false, 0);
		ng_epb(&b, 0, 1000000000ull + i, d, sizeof d, sizeof d, NULL);
	}
	for (int m = 0; m < M_COUNT; m++) {
		char err[UTIL_ERRLEN];
		struct pcapfile *pf = open_bytes(m, b.p, b.len, err);
		assert_non_null(pf);
		struct rall r;
		read_all(pf, &r);
		assert_int_equal(r.rc, 0);
		assert_false(r.has_warn);
		assert_int_equal(r.n, NSEC);
		assert_int_equal(pcapfile_if_count(pf), NSEC);
		assert_int_equal(r.p[NSEC - 1].ifindex, NSEC - 1);
		assert_int_equal(r.p[NSEC - 1].ts, 1000000000ull + NSEC - 1);
		assert_int_equal(pcapfile_if_section(pf, NSEC - 1), NSEC - 1);
		assert_string_equal(pcapfile_if_name(pf, NSEC - 1), "eth0");
		assert_string_equal(pcapfile_if_name(pf, 100), "wlan0");
		assert_int_equal(pcapfile_if_first(pf, 0), 0);
		assert_int_equal(pcapfile_if_first(pf, 99), 0);
		assert_int_equal(pcapfile_if_first(pf, 100), 100);
		assert_int_equal(pcapfile_if_first(pf, 101), 101); /* after wlan0: new again */
		assert_int_equal(pcapfile_if_first(pf, NSEC - 1), 101);
		rall_free(&r);
		pcapfile_close(pf);
	}
	/* a capture made of them: one point per interface description */
	char path[PATH_MAX], err[UTIL_ERRLEN];
	int fd = tmp_open(path, "sections.pcapng");
	assert_int_equal(util_write_all(fd, b.p, b.len), 0);
	assert_int_equal(close(fd), 0);
	struct trace *t = trace_open(path, err);
	assert_non_null(t);
	assert_int_equal(trace_nevents(t), NSEC);
	assert_int_equal(trace_npoints(t), 3);
	assert_string_equal(trace_point_name(t, trace_event(t, NSEC - 1)->point), "eth0");
	assert_string_equal(trace_point_name(t, trace_event(t, 100)->point), "wlan0");
	assert_string_equal(trace_warning(t), "");
	trace_free(t);
	unlink(path);
	tb_free(&b);

	/* one section of more interfaces than that: an error, said so */
	struct tb c = { 0 };
	ng_shb(&c);
	for (unsigned i = 0; i <= PCAPFILE_MAX_IFACES; i++)
		ng_idb(&c, 1, 0, NULL, -1, false, 0);
	ng_epb(&c, 0, 1, d, sizeof d, sizeof d, NULL);
	char err2[UTIL_ERRLEN];
	struct pcapfile *pf = open_bytes(M_MAP, c.p, c.len, err2);
	assert_non_null(pf);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(pcapfile_error(pf), "too many interfaces in one section (more than 4096)"));
	rall_free(&r);
	pcapfile_close(pf);
	tb_free(&c);
}

static void test_pcapng_mixed(void **state)
{
	struct sample s;
	build_mixed(&s);
	for (int m = 0; m < M_COUNT; m++) {
		char err[UTIL_ERRLEN];
		struct pcapfile *pf = open_bytes(m, s.b.p, s.b.len, err);
		assert_non_null(pf);
		struct rall r;
		read_all(pf, &r);
		assert_int_equal(r.rc, 0);
		assert_false(r.has_warn);
		assert_int_equal(r.n, 4);
		assert_int_equal(pcapfile_if_count(pf), 3);
		assert_string_equal(pcapfile_if_name(pf, 0), "be0");
		assert_string_equal(pcapfile_if_name(pf, 1), "le0");
		assert_string_equal(pcapfile_if_name(pf, 2), "le1");
		assert_int_equal(pcapfile_if_section(pf, 0), 0);
		assert_int_equal(pcapfile_if_section(pf, 2), 1);
		assert_int_equal(pcapfile_if_linktype(pf, 1), 101);
		assert_int_equal(pcapfile_if_snaplen(pf, 2), 128);
		uint8_t d[64];
		/* EPB, big-endian, µs */
		fill_pattern(d, 40, 1);
		assert_int_equal(r.p[0].ts, 1700000000000001000ull);
		assert_int_equal(r.p[0].caplen, 40);
		assert_memory_equal(r.p[0].data, d, 40);
		assert_string_equal(r.p[0].comment, "one");
		assert_int_equal(r.p[0].ifindex, 0);
		/* SPB: no timestamp, caplen from the original length */
		fill_pattern(d, 30, 2);
		assert_int_equal(r.p[1].ts, 0);
		assert_int_equal(r.p[1].caplen, 30);
		assert_int_equal(r.p[1].wirelen, 30);
		assert_memory_equal(r.p[1].data, d, 30);
		assert_null(r.p[1].comment);
		/* PB */
		fill_pattern(d, 10, 3);
		assert_int_equal(r.p[2].ts, 2000000000ull);
		assert_int_equal(r.p[2].caplen, 10);
		assert_int_equal(r.p[2].wirelen, 12);
		assert_memory_equal(r.p[2].data, d, 10);
		assert_string_equal(r.p[2].comment, "old");
		/* second section: interface 1 there is interface 2 of the file */
		assert_int_equal(r.p[3].ifindex, 2);
		assert_int_equal(r.p[3].linktype, 1);
		assert_int_equal(r.p[3].ts, 42);
		assert_int_equal(r.p[3].flags, 1);
		assert_string_equal(r.p[3].comment, "first");
		for (size_t i = 0; i < r.n; i++) {
			const uint8_t *p = pcapfile_data_at(pf, r.p[i].offset, r.p[i].caplen);
			assert_non_null(p);
			assert_memory_equal(p, r.p[i].data, r.p[i].caplen);
		}
		rall_free(&r);
		pcapfile_close(pf);
	}
	tb_free(&s.b);
}

static void test_pcapng_timestamps(void **state)
{
	struct tb b = { .be = false };
	uint8_t d[4] = { 0 };
	ng_shb(&b);
	ng_idb(&b, 1, 0, "ms", 3, false, 0);              /* 0 */
	ng_idb(&b, 1, 0, "2^-10", 0x80 | 10, false, 0);   /* 1 */
	ng_idb(&b, 1, 0, "ps", 12, false, 0);             /* 2 */
	ng_idb(&b, 1, 0, "us+100s", -1, true, 100);       /* 3 */
	ng_idb(&b, 1, 0, "ns-10s", 9, true, -10);         /* 4 */
	ng_idb(&b, 1, 0, "2^-40", 0x80 | 40, false, 0);   /* 5 */
	ng_idb(&b, 1, 0, "s", 0, false, 0);               /* 6 */
	ng_idb(&b, 1, 0, "2^-63", 0x80 | 63, false, 0);   /* 7 */
	ng_epb(&b, 0, 1234567, d, 4, 4, NULL);
	ng_epb(&b, 1, 1024 * 5 + 512, d, 4, 4, NULL);
	ng_epb(&b, 2, 1500000000123456ull, d, 4, 4, NULL);
	ng_epb(&b, 3, 1, d, 4, 4, NULL);
	ng_epb(&b, 4, 20000000000ull, d, 4, 4, NULL);
	ng_epb(&b, 4, 5, d, 4, 4, NULL);
	ng_epb(&b, 5, (3ull << 40) | (1ull << 39), d, 4, 4, NULL);
	ng_epb(&b, 6, 7, d, 4, 4, NULL);
	ng_epb(&b, 6, UINT64_MAX, d, 4, 4, NULL);
	ng_epb(&b, 7, 1ull << 62, d, 4, 4, NULL);
	char err[UTIL_ERRLEN];
	struct pcapfile *pf = open_bytes(M_MAP, b.p, b.len, err);
	assert_non_null(pf);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 10);
	assert_int_equal(r.p[0].ts, 1234567000000ull);
	assert_int_equal(r.p[1].ts, 5500000000ull);
	assert_int_equal(r.p[2].ts, 1500000000123ull);
	assert_int_equal(r.p[3].ts, 100000001000ull);
	assert_int_equal(r.p[4].ts, 10000000000ull);
	assert_int_equal(r.p[5].ts, 0); /* before the epoch: clamped */
	assert_int_equal(r.p[6].ts, 3500000000ull);
	assert_int_equal(r.p[7].ts, 7000000000ull);
	assert_int_equal(r.p[8].ts, UINT64_MAX); /* saturates */
	assert_int_equal(r.p[9].ts, 500000000ull);
	assert_int_equal(pcapfile_if_ticks_per_sec(pf, 0), 1000);
	assert_int_equal(pcapfile_if_ticks_per_sec(pf, 1), 1024);
	assert_int_equal(pcapfile_if_ticks_per_sec(pf, 3), 1000000);
	rall_free(&r);
	pcapfile_close(pf);
	tb_free(&b);
}

static void test_pcapng_names(void **state)
{
	struct tb b = { .be = false };
	char longname[301];
	memset(longname, 'a', 300);
	longname[300] = '\0';
	ng_shb(&b);
	ng_idb(&b, 1, 0, "eth\x1b[31m0\x7f", -1, false, 0);
	ng_idb(&b, 1, 0, longname, -1, false, 0);
	/* a description with a NUL inside: cut there; if_fcslen */
	size_t at = ng_begin(&b, 1);
	tb_u16(&b, 1);
	tb_u16(&b, 0);
	tb_u32(&b, 0);
	ng_opt(&b, 3, "desc\0tail", 9);
	uint8_t fcs = 4;
	ng_opt(&b, 13, &fcs, 1);
	ng_end(&b, at);
	char err[UTIL_ERRLEN];
	struct pcapfile *pf = open_bytes(M_MAP, b.p, b.len, err);
	assert_non_null(pf);
	struct rall r;
	read_all(pf, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(pcapfile_if_count(pf), 3);
	assert_string_equal(pcapfile_if_name(pf, 0), "eth?[31m0?");
	assert_int_equal(strlen(pcapfile_if_name(pf, 1)), PCAPFILE_MAX_IFSTR);
	assert_string_equal(pcapfile_if_description(pf, 2), "desc");
	assert_string_equal(pcapfile_if_name(pf, 2), "");
	assert_int_equal(pcapfile_if_fcs_len(pf, 2), 4);
	rall_free(&r);
	pcapfile_close(pf);
	tb_free(&b);
}

/* ---- malformed files ---- */

struct bad {
	const char *name;
	void (*build)(struct tb *);
	int good;           /* packets before the error; -1: pcapfile_open fails */
	const char *expect; /* substring of the message */
};

static uint8_t zero64[64];

static void bad_empty(struct tb *b) { (void)b; }
static void bad_short(struct tb *b) { tb_put(b, "ab", 2); }
static void bad_magic(struct tb *b)
{
	b->be = true;
	tb_u32(b, 0x12345678);
	tb_put(b, zero64, 20);
}
static void bad_text(struct tb *b) { tb_put(b, "GET / HTTP/1.1\r\n\r\n", 18); }
static void bad_pcap_hdr_cut(struct tb *b)
{
	tb_u32(b, 0xa1b2c3d4);
	tb_put(b, zero64, 10);
}
static void bad_pcap_version(struct tb *b) { pc_hdr(b, 0xa1b2c3d4, 3, 65535, 1); }
static void bad_pcap_linktype(struct tb *b) { pc_hdr(b, 0xa1b2c3d4, 2, 65535, 0x01000000); }
static void bad_pcap_caplen(struct tb *b)
{
	pc_hdr(b, 0xa1b2c3d4, 2, 65535, 1);
	pc_rec(b, 1, 0, zero64, 42, 42);
	pc_rec(b, 2, 0, zero64, 0, 0);
	tb_patch32(b, b->len - 8, 300000); /* its caplen */
}
/* big-endian header, little-endian records */
static void bad_pcap_endian(struct tb *b)
{
	b->be = true;
	pc_hdr(b, 0xa1b2c3d4, 2, 65535, 1);
	b->be = false;
	pc_rec(b, 1, 0, zero64, 60, 60);
}
static void bad_shb_bom(struct tb *b)
{
	size_t at = ng_begin(b, 0x0a0d0d0a);
	tb_u32(b, 0x11223344);
	tb_u16(b, 1);
	tb_u16(b, 0);
	tb_u64(b, UINT64_MAX);
	ng_end(b, at);
}
static void bad_shb_version(struct tb *b)
{
	size_t at = ng_begin(b, 0x0a0d0d0a);
	tb_u32(b, 0x1a2b3c4d);
	tb_u16(b, 2);
	tb_u16(b, 0);
	tb_u64(b, UINT64_MAX);
	ng_end(b, at);
}
static void bad_shb_len(struct tb *b)
{
	ng_shb(b);
	tb_patch32(b, 4, 16);
}
static void bad_shb_cut(struct tb *b)
{
	ng_shb(b);
	b->len = 20;
}
static void bad_shb_trailer(struct tb *b)
{
	ng_shb(b);
	tb_patch32(b, b->len - 4, 12);
}
static void bad_zero_len(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	tb_u32(b, 6);
	tb_u32(b, 0);
	tb_put(b, zero64, 32);
}
static void bad_zero_len_unknown(struct tb *b)
{
	ng_shb(b);
	tb_u32(b, 0x99);
	tb_u32(b, 0);
	tb_put(b, zero64, 32);
}
static void bad_len_odd(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 4, 4, NULL);
	tb_patch32(b, 60 + 4, 30);
}
static void bad_huge_block(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	tb_u32(b, 6);
	tb_u32(b, 0x7ffffff0);
	tb_put(b, zero64, 40);
}
static void bad_trailer(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	tb_patch32(b, b->len - 4, 52);
}
static void bad_caplen_block(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	tb_patch32(b, b->len - 48 + 20, 100);
}
static void bad_caplen_max(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	tb_patch32(b, b->len - 48 + 20, 300000);
}
static void bad_no_iface(struct tb *b)
{
	ng_shb(b);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
}
static void bad_iface(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	ng_epb(b, 2, 1, zero64, 16, 16, NULL);
}
/* interface ids start again in each section */
static void bad_iface_section(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, "a", -1, false, 0);
	ng_idb(b, 1, 0, "b", -1, false, 0);
	ng_epb(b, 1, 1, zero64, 16, 16, NULL);
	b->be = true;
	ng_shb(b);
	ng_idb(b, 1, 0, "c", -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	ng_epb(b, 1, 1, zero64, 16, 16, NULL);
}
static void bad_idb_short(struct tb *b)
{
	ng_shb(b);
	tb_u32(b, 1);
	tb_u32(b, 12);
	tb_u32(b, 12);
}
static void bad_epb_short(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	tb_u32(b, 6);
	tb_u32(b, 16);
	tb_u32(b, 0);
	tb_u32(b, 16);
}
/* a little-endian section whose interface block was written big-endian */
static void bad_endian_mix(struct tb *b)
{
	ng_shb(b);
	b->be = true;
	ng_idb(b, 1, 0, NULL, -1, false, 0);
}
static void bad_opt_overrun(struct tb *b)
{
	ng_shb(b);
	size_t at = ng_begin(b, 1);
	tb_u16(b, 1);
	tb_u16(b, 0);
	tb_u32(b, 0);
	tb_u16(b, 2);
	tb_u16(b, 200);
	tb_put(b, "eth0", 4);
	ng_end(b, at);
}
static void bad_epb_opt_overrun(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 4, 4, "hello");
	/* the comment claims 13 bytes where 12 remain */
	tb_patch32(b, b->len - 20, 13u << 16 | 1);
}
static void bad_tsresol(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, 0x7f, false, 0);
}
static void bad_tsoffset_size(struct tb *b)
{
	ng_shb(b);
	size_t at = ng_begin(b, 1);
	tb_u16(b, 1);
	tb_u16(b, 0);
	tb_u32(b, 0);
	ng_opt(b, 14, "abcd", 4);
	ng_end(b, at);
}
static void bad_spb_noif(struct tb *b)
{
	ng_shb(b);
	size_t at = ng_begin(b, 3);
	tb_u32(b, 4);
	tb_u32(b, 0);
	ng_end(b, at);
}
static void bad_shb_mid(struct tb *b)
{
	ng_shb(b);
	ng_idb(b, 1, 0, NULL, -1, false, 0);
	ng_epb(b, 0, 1, zero64, 16, 16, NULL);
	bad_shb_bom(b);
}
static void bad_shb_mid_version(struct tb *b)
{
	ng_shb(b);
	bad_shb_version(b);
}

static const struct bad bad_cases[] = {
	{ "empty", bad_empty, -1, "capture.pcap: empty file" },
	{ "short", bad_short, -1, "capture.pcap: not a pcap or pcapng file (only 2 bytes)" },
	{ "magic", bad_magic, -1, "capture.pcap: not a pcap or pcapng file (magic 0x12345678)" },
	{ "text", bad_text, -1, "not a pcap or pcapng file (magic 0x47455420)" },
	{ "pcap header cut", bad_pcap_hdr_cut, -1, "the pcap file header is cut short (14 of 24 bytes)" },
	{ "pcap version", bad_pcap_version, -1, "unsupported pcap version 3.4" },
	{ "pcap linktype", bad_pcap_linktype, -1, "link type field 0x01000000 has reserved bits set" },
	{ "pcap caplen", bad_pcap_caplen, 1,
	  "packet 2 at offset 82: captured length 300000 exceeds the maximum 262144" },
	{ "pcap endian", bad_pcap_endian, 0,
	  "packet 1 at offset 24: captured length 1006632960 exceeds the maximum 262144" },
	{ "shb byte-order magic", bad_shb_bom, -1,
	  "section header block at offset 0: bad byte-order magic 0x44332211" },
	{ "shb version", bad_shb_version, -1, "unsupported pcapng version 2.0" },
	{ "shb length", bad_shb_len, -1, "section header block at offset 0: bad block length 16" },
	{ "shb cut", bad_shb_cut, -1, "the section header block is cut short (20 of 40 bytes)" },
	{ "shb trailer", bad_shb_trailer, -1, "total length 40 does not match the trailing length 12" },
	{ "zero-length block", bad_zero_len, 0, "packet 1 at offset 60: bad block length 0" },
	{ "zero-length unknown block", bad_zero_len_unknown, 0,
	  "block of type 0x00000099 at offset 40: bad block length 0" },
	{ "odd length", bad_len_odd, 0, "packet 1 at offset 60: bad block length 30" },
	{ "huge block", bad_huge_block, 0, "bad block length 2147483632" },
	{ "trailer", bad_trailer, 1, "packet 2 at offset 108: total length 48 does not match the trailing length 52" },
	{ "caplen beyond block", bad_caplen_block, 0,
	  "packet 1 at offset 60: captured length 100 exceeds its block (room for 16 bytes)" },
	{ "caplen max", bad_caplen_max, 1,
	  "packet 2 at offset 108: captured length 300000 exceeds the maximum 262144" },
	{ "no interface", bad_no_iface, 0,
	  "packet 1 at offset 40: interface 0 does not exist (the section has no interfaces)" },
	{ "bad interface", bad_iface, 1, "packet 2 at offset 108: interface 2 does not exist (the section has 1)" },
	{ "interface of another section", bad_iface_section, 2, "packet 3 at offset 260: interface 1 does not exist (the section has 1)" },
	{ "idb short", bad_idb_short, 0, "block length 12 is too short (minimum 20)" },
	{ "epb short", bad_epb_short, 0, "packet 1 at offset 60: block length 16 is too short (minimum 32)" },
	{ "endian mix", bad_endian_mix, 0, "block of type 0x01000000 at offset 40: bad block length 335544320" },
	{ "option overrun", bad_opt_overrun, 0,
	  "interface description block at offset 40: option 2 of 200 bytes at offset 56 runs past the end of the block" },
	{ "epb option overrun", bad_epb_opt_overrun, 0, "packet 1 at offset 60: option 1 of 13 bytes at offset 92 runs past the end of the block" },
	{ "tsresol", bad_tsresol, 0, "unsupported timestamp resolution 0x7f" },
	{ "tsoffset size", bad_tsoffset_size, 0, "if_tsoffset has 4 bytes (expected 8)" },
	{ "spb without interface", bad_spb_noif, 0,
	  "packet 1 at offset 40: simple packet block in a section with no interfaces" },
	{ "second shb magic", bad_shb_mid, 1, "section header block at offset 108: bad byte-order magic" },
	{ "second shb version", bad_shb_mid_version, 0, "section header block at offset 40: unsupported pcapng version 2.0" },
};

/* A huge snapshot length in a header is a hint, as in libpcap and tshark:
 * the file opens, the snaplen reads as the maximum, packets are checked
 * one by one. */
static void test_huge_snaplen_is_a_hint(void **state)
{
	static const uint8_t d[42] = { 1, 2, 3 };
	for (int kind = 0; kind < 2; kind++) {
		struct tb b = { .be = false };
		if (kind == 0) {
			pc_hdr(&b, 0xa1b2c3d4, 2, 0xffffffffu, 1);
			pc_rec(&b, 1, 0, d, 42, 42);
		} else {
			ng_shb(&b);
			ng_idb(&b, 1, 0x7fffffff, NULL, -1, false, 0);
			ng_epb(&b, 0, 1000, d, 42, 42, NULL);
		}
		char err[UTIL_ERRLEN] = "";
		struct pcapfile *pf = open_bytes(M_MAP, b.p, b.len, err);
		assert_non_null(pf);
		struct pcapfile_pkt k;
		assert_int_equal(pcapfile_next(pf, &k), 1);
		assert_int_equal(k.caplen, 42);
		assert_int_equal(pcapfile_if_snaplen(pf, 0), PCAPFILE_MAX_CAPLEN);
		assert_int_equal(pcapfile_next(pf, &k), 0);
		pcapfile_close(pf);
		free(b.p);
	}
}

static void test_malformed(void **state)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad_cases); i++) {
		const struct bad *c = &bad_cases[i];
		struct tb b = { .be = false };
		c->build(&b);
		for (int m = 0; m < M_COUNT; m++) {
			char err[UTIL_ERRLEN] = "";
			struct pcapfile *pf = open_bytes(m, b.p, b.len, err);
			if (c->good < 0) {
				if (pf)
					fail_msg("%s (%s): opened, expected \"%s\"", c->name, mode_name[m], c->expect);
				if (!strstr(err, c->expect))
					fail_msg("%s (%s): \"%s\", expected \"%s\"", c->name, mode_name[m], err, c->expect);
				continue;
			}
			if (!pf)
				fail_msg("%s (%s): open failed: %s", c->name, mode_name[m], err);
			struct rall r;
			read_all(pf, &r);
			if (r.rc != -1 || (int)r.n != c->good || !strstr(r.err, c->expect))
				fail_msg("%s (%s): rc %d after %zu packets, \"%s\"; expected -1 after %d, \"%s\"",
					 c->name, mode_name[m], r.rc, r.n, r.err, c->good, c->expect);
			assert_contains(r.err, "capture.pcap: ");
			rall_free(&r);
			pcapfile_close(pf);
		}
		tb_free(&b);
	}
}

static void test_open_errors(void **state)
{
	char err[UTIL_ERRLEN], path[PATH_MAX];
	tmp_path(path, "does-not-exist.pcap");
	assert_null(pcapfile_open(path, err));
	assert_contains(err, "does-not-exist.pcap: No such file or directory");
	assert_null(pcapfile_open(tmpdir, err));
	assert_contains(err, "is a directory");
}

/* ---- a file cut at every byte ---- */

static void sweep(const struct sample *s)
{
	/* reference: the whole file */
	char err[UTIL_ERRLEN];
	struct pcapfile *pf = open_bytes(M_MAP, s->b.p, s->b.len, err);
	assert_non_null(pf);
	struct rall full;
	read_all(pf, &full);
	pcapfile_close(pf);
	assert_int_equal(full.rc, 0);
	assert_int_equal(full.n, s->npkts);

	for (size_t len = 0; len <= s->b.len; len++) {
		size_t want = 0;
		bool boundary = false;
		for (size_t i = 0; i < s->npkts; i++)
			want += s->pkt_ends[i] <= len;
		for (size_t i = 0; i < s->nends; i++)
			boundary |= s->ends[i] == len;
		for (int m = 0; m < M_COUNT; m++) {
			pf = open_bytes(m, s->b.p, len, err);
			if (len < s->hdr_end) {
				if (pf)
					fail_msg("cut at %zu (%s): opened a file without its header", len, mode_name[m]);
				assert_true(err[0]);
				continue;
			}
			if (!pf)
				fail_msg("cut at %zu (%s): %s", len, mode_name[m], err);
			struct rall r;
			read_all(pf, &r);
			if (r.rc != 0 || r.n != want || r.has_warn == boundary)
				fail_msg("cut at %zu (%s): rc %d, %zu packets (want %zu), warning \"%s\", error \"%s\"",
					 len, mode_name[m], r.rc, r.n, want, r.warn, r.err);
			if (r.has_warn) {
				assert_contains(r.warn, "capture.pcap: the file ends in the middle of ");
				assert_contains(r.warn, "interrupted");
			}
			assert_same_packets(&r, &full, want);
			rall_free(&r);
			pcapfile_close(pf);
		}
	}
	rall_free(&full);
}

static void test_truncation_sweep(void **state)
{
	struct sample s;

	/* pcapng from the writer */
	memset(&s, 0, sizeof s);
	char path[PATH_MAX];
	size_t ends[32], nends;
	tmp_path(path, "sweep.pcapng");
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	write_round(fd, ends, &nends);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	s.b.len = s.b.cap = (size_t)st.st_size;
	s.b.p = xmalloc(s.b.len);
	assert_int_equal(pread(fd, s.b.p, s.b.len, 0), (ssize_t)s.b.len);
	close(fd);
	s.hdr_end = ends[0];
	for (size_t i = 0; i < nends; i++) {
		s.ends[s.nends++] = ends[i];
		if (i >= 3)
			s.pkt_ends[s.npkts++] = ends[i];
	}
	sweep(&s);
	tb_free(&s.b);

	/* hand-made pcapng: both byte orders, SPB, PB, unknown blocks */
	build_mixed(&s);
	sweep(&s);
	tb_free(&s.b);

	/* classic pcap, both byte orders */
	for (int be = 0; be < 2; be++) {
		memset(&s, 0, sizeof s);
		s.b.be = be;
		uint8_t d[60];
		pc_hdr(&s.b, 0xa1b23c4d, 2, 0, 1);
		s.hdr_end = s.b.len;
		sm_end(&s, false);
		static const uint32_t lens[] = { 0, 1, 7, 60 };
		for (size_t i = 0; i < UTIL_ARRAY_LEN(lens); i++) {
			fill_pattern(d, lens[i], (unsigned)i);
			pc_rec(&s.b, 100 + (uint32_t)i, 5, d, lens[i], lens[i] + 3);
			sm_end(&s, true);
		}
		sweep(&s);
		tb_free(&s.b);
	}
}

/* ---- random corruption never crashes or loops ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_fuzz(void **state)
{
	struct sample base[2];
	build_mixed(&base[0]);
	memset(&base[1], 0, sizeof base[1]);
	pc_hdr(&base[1].b, 0xa1b2c3d4, 2, 0, 1);
	for (uint32_t i = 0; i < 5; i++)
		pc_rec(&base[1].b, i, i, zero64, 8 * i, 8 * i);
	static const uint32_t interesting[] = { 0, 1, 4, 12, 0x7fffffff, 0xffffffff, 0xfffffffc,
						262144, 262145, 0x1a2b3c4d, 0x0a0d0d0a };
	struct tb t = { 0 };
	for (int iter = 0; iter < 4000; iter++) {
		const struct tb *src = &base[iter % 2].b;
		t.len = 0;
		tb_put(&t, src->p, src->len);
		int nmut = 1 + (int)(rng() % 6);
		for (int k = 0; k < nmut; k++) {
			size_t at = rng() % t.len;
			switch (rng() % 3) {
			case 0:
				t.p[at] = (uint8_t)rng();
				break;
			case 1:
				if (at + 4 <= t.len) {
					uint32_t v = interesting[rng() % UTIL_ARRAY_LEN(interesting)];
					memcpy(t.p + (at & ~(size_t)3), &v, 4);
				}
				break;
			default:
				t.p[at] ^= (uint8_t)(1u << (rng() % 8));
				break;
			}
		}
		if (rng() % 4 == 0)
			t.len = rng() % (t.len + 1);
		char err[UTIL_ERRLEN];
		struct pcapfile *pf = open_bytes((enum mode)(iter % M_COUNT), t.p, t.len, err);
		if (!pf) {
			assert_true(err[0]);
			continue;
		}
		struct rall r;
		read_all(pf, &r);
		assert_true(r.n <= t.len / 12);
		if (r.rc < 0)
			assert_true(r.err[0]);
		for (size_t i = 0; i < r.n; i++) {
			uint8_t out[4096];
			if (r.p[i].caplen <= sizeof out) {
				assert_int_equal(pcapfile_read_at(pf, r.p[i].offset, r.p[i].caplen, out), 0);
				assert_memory_equal(out, r.p[i].data, r.p[i].caplen);
			}
		}
		rall_free(&r);
		pcapfile_close(pf);
	}
	tb_free(&t);
	tb_free(&base[0].b);
	tb_free(&base[1].b);
}

/* ---- files made by tcpdump and editcap, compared with tshark ---- */

/* "sec.frac caplen len [ifid] [comment...]" as tshark -T fields printed it */
static void check_fixture(const char *file)
{
	char tsv[PATH_MAX], err[UTIL_ERRLEN];
	snprintf(tsv, sizeof tsv, "%s.tshark", file);
	FILE *f = fopen(tsv, "r");
	if (!f)
		fail_msg("open %s: %s (run from tests/)", tsv, strerror(errno));
	struct pcapfile *pf = pcapfile_open(file, err);
	if (!pf)
		fail_msg("%s", err);
	char line[1024];
	size_t n = 0;
	struct pcapfile_pkt pkt;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fields[5] = { 0 };
		char *p = line;
		for (int i = 0; i < 4; i++) {
			fields[i] = p;
			char *sp = strchr(p, ' ');
			assert_non_null(sp);
			*sp = '\0';
			p = sp + 1;
		}
		fields[4] = p;
		unsigned long long sec;
		char frac[16] = "";
		assert_int_equal(sscanf(fields[0], "%llu.%15[0-9]", &sec, frac), 2);
		while (strlen(frac) < 9)
			strcat(frac, "0");
		uint64_t ns = (uint64_t)sec * 1000000000ull + strtoull(frac, NULL, 10);
		assert_int_equal(pcapfile_next(pf, &pkt), 1);
		n++;
		assert_int_equal(pkt.ts_ns, ns);
		assert_int_equal(pkt.caplen, strtoul(fields[1], NULL, 10));
		assert_int_equal(pkt.wirelen, strtoul(fields[2], NULL, 10));
		assert_int_equal(pkt.ifindex, strtoul(fields[3], NULL, 10));
		if (*fields[4]) {
			assert_non_null(pkt.comment);
			assert_int_equal(pkt.comment_len, strlen(fields[4]));
			assert_memory_equal(pkt.comment, fields[4], pkt.comment_len);
		} else {
			assert_null(pkt.comment);
		}
	}
	fclose(f);
	assert_true(n > 0);
	assert_int_equal(pcapfile_next(pf, &pkt), 0);
	assert_null(pcapfile_warning(pf));
	assert_int_equal(pcapfile_if_count(pf), 1);
	pcapfile_close(pf);
}

static void test_fixtures(void **state)
{
	check_fixture("pcapfile/lo-us.pcap");
	check_fixture("pcapfile/lo-ns.pcap");
	check_fixture("pcapfile/lo-ns.pcapng");
	check_fixture("pcapfile/lo-us-comments.pcapng");
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	static const char *leaves[] = { "capture.pcap", "round.pcapng", "w.pcapng", "long.pcapng",
					"plain.pcapng", "held.pcapng", "sweep.pcapng" };
	char path[PATH_MAX];
	for (size_t i = 0; i < UTIL_ARRAY_LEN(leaves); i++) {
		tmp_path(path, leaves[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_read_at_interleaved),
		cmocka_unit_test(test_pipe_spill),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_writer_long_comment),
		cmocka_unit_test(test_writer_hold),
		cmocka_unit_test(test_classic),
		cmocka_unit_test(test_classic_fcs_and_kuznetzov),
		cmocka_unit_test(test_pcapng_mixed),
		cmocka_unit_test(test_pcapng_many_sections),
		cmocka_unit_test(test_pcapng_timestamps),
		cmocka_unit_test(test_pcapng_names),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_snaplen_is_a_hint),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_fixtures),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
