/* pcapng-write — the pcapng writer (draft-ietf-opsawg-pcapng).
 *
 * One section in the host's byte order: a Section Header Block (version 1.0,
 * section length -1 "unknown", shb_userappl), Interface Description Blocks
 * with if_name, if_description and if_tsresol 9 (nanoseconds), Enhanced
 * Packet Blocks with an optional opt_comment. Every block is assembled in one
 * buffer and handed to a single write(), so an interrupted recording ends on
 * a block boundary (or inside the last block, which the reader reports as a
 * truncation) and never with a block missing in the middle. With
 * pcapng_writer_set_hold, whole blocks wait in memory and go out together
 * in one write() (a packet costs a memcpy, not a system call): the file
 * still only ever grows by whole blocks. */
#include "pcapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define PW_BT_SHB 0x0a0d0d0au
#define PW_BT_IDB 0x00000001u
#define PW_BT_EPB 0x00000006u
#define PW_BYTE_ORDER_MAGIC 0x1a2b3c4du

#define PW_OPT_ENDOFOPT 0
#define PW_OPT_COMMENT 1
#define PW_OPT_SHB_USERAPPL 4
#define PW_OPT_IF_NAME 2
#define PW_OPT_IF_DESCRIPTION 3
#define PW_OPT_IF_TSRESOL 9

#define PW_MAX_OPT 65535u

#ifdef DOORWAY_VERSION
#define PW_USERAPPL "doorway " DOORWAY_VERSION
#else
#define PW_USERAPPL "doorway"
#endif

struct pcapng_writer {
	char *name;
	int fd;
	bool own_fd;
	bool failed;
	uint32_t nifs;
	uint8_t *buf; /* the block being assembled */
	size_t len, cap;
	uint8_t *out; /* whole blocks waiting for one write() (hold > 0) */
	size_t olen, ocap, hold;
	char err[UTIL_ERRLEN];
};

__attribute__((format(printf, 2, 3))) static int pw_fail(struct pcapng_writer *w, const char *fmt, ...)
{
	size_t nl = strlen(w->name);
	int n = nl > 120 ? snprintf(w->err, sizeof w->err, "...%s: ", w->name + nl - 117)
			 : snprintf(w->err, sizeof w->err, "%s: ", w->name);
	if (n >= 0 && (size_t)n < sizeof w->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->err + n, sizeof w->err - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- block assembly ---- */

static void pw_reserve(struct pcapng_writer *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	size_t cap = w->cap ? w->cap : 1024;
	while (cap < w->len + n)
		cap *= 2;
	w->buf = xreallocarray(w->buf, cap, 1);
	w->cap = cap;
}

static void pw_put(struct pcapng_writer *w, const void *p, size_t n)
{
	pw_reserve(w, n);
	if (n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void pw_u16(struct pcapng_writer *w, uint16_t v) { pw_put(w, &v, sizeof v); }
static void pw_u32(struct pcapng_writer *w, uint32_t v) { pw_put(w, &v, sizeof v); }

static void pw_pad(struct pcapng_writer *w)
{
	static const uint8_t zero[4];
	pw_put(w, zero, (4 - w->len % 4) % 4);
}

static void pw_begin(struct pcapng_writer *w, uint32_t type)
{
	w->len = 0;
	pw_u32(w, type);
	pw_u32(w, 0); /* total length, set by pw_end */
}

/* Bytes of s that fit in an option, cut at a UTF-8 character boundary. */
static size_t pw_opt_strlen(const char *s)
{
	size_t n = strlen(s);
	if (n <= PW_MAX_OPT)
		return n;
	n = PW_MAX_OPT;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static void pw_opt(struct pcapng_writer *w, uint16_t code, const void *p, size_t n)
{
	pw_u16(w, code);
	pw_u16(w, (uint16_t)n);
	pw_put(w, p, n);
	pw_pad(w);
}

static void pw_opt_str(struct pcapng_writer *w, uint16_t code, const char *s)
{
	if (s && *s)
		pw_opt(w, code, s, pw_opt_strlen(s));
}

/* Close the option list (if any option was written since opts_at), add the
 * trailing length, fill in the leading one and write the block in one go. */
static int pw_end(struct pcapng_writer *w, size_t opts_at, const char *what)
{
	if (w->len > opts_at)
		pw_opt(w, PW_OPT_ENDOFOPT, NULL, 0);
	uint32_t total = (uint32_t)w->len + 4;
	pw_u32(w, total);
	memcpy(w->buf + 4, &total, sizeof total);
	if (w->hold) {
		if (w->olen + w->len > w->ocap) {
			size_t cap = w->ocap ? w->ocap : 4096;
			while (cap < w->olen + w->len)
				cap *= 2;
			w->out = xreallocarray(w->out, cap, 1);
			w->ocap = cap;
		}
		memcpy(w->out + w->olen, w->buf, w->len);
		w->olen += w->len;
		return w->olen >= w->hold ? pcapng_writer_flush(w) : 0;
	}
	if (util_write_all(w->fd, w->buf, w->len) < 0) {
		w->failed = true;
		return pw_fail(w, "write %s: %s", what, strerror(errno));
	}
	return 0;
}

int pcapng_writer_flush(struct pcapng_writer *w)
{
	if (w->failed)
		return -1;
	if (!w->olen)
		return 0;
	size_t n = w->olen;
	w->olen = 0;
	if (util_write_all(w->fd, w->out, n) < 0) {
		w->failed = true;
		return pw_fail(w, "write: %s", strerror(errno));
	}
	return 0;
}

void pcapng_writer_set_hold(struct pcapng_writer *w, size_t bytes)
{
	pcapng_writer_flush(w);
	w->hold = bytes;
}

size_t pcapng_writer_pending(const struct pcapng_writer *w) { return w->olen; }

/* ---- public ---- */

static struct pcapng_writer *pw_new(int fd, const char *name, bool own_fd, char *err)
{
	struct pcapng_writer *w = xcalloc(1, sizeof *w);
	w->name = xstrdup(name);
	w->fd = fd;
	w->own_fd = own_fd;

	pw_begin(w, PW_BT_SHB);
	pw_u32(w, PW_BYTE_ORDER_MAGIC);
	pw_u16(w, 1); /* major */
	pw_u16(w, 0); /* minor */
	pw_u32(w, UINT32_MAX); /* section length: -1, not known */
	pw_u32(w, UINT32_MAX);
	size_t opts = w->len;
	pw_opt_str(w, PW_OPT_SHB_USERAPPL, PW_USERAPPL);
	if (pw_end(w, opts, "section header") < 0) {
		util_err(err, "%s", w->err);
		pcapng_writer_close(w, NULL);
		return NULL;
	}
	return w;
}

struct pcapng_writer *pcapng_writer_open(const char *path, char *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return util_err(err, "open %s: %s", path, strerror(errno)), NULL;
	return pw_new(fd, path, true, err);
}

struct pcapng_writer *pcapng_writer_open_fd(int fd, const char *name, char *err)
{
	return pw_new(fd, name, false, err);
}

int pcapng_writer_add_if(struct pcapng_writer *w, const char *name,
			 const char *description, int linktype, uint32_t snaplen)
{
	if (w->failed)
		return -1;
	if (linktype < 0 || linktype > 0xffff)
		return pw_fail(w, "interface %s: link type %d out of range", name ? name : "", linktype);
	if (snaplen > PCAPFILE_MAX_CAPLEN)
		return pw_fail(w, "interface %s: snapshot length %" PRIu32 " exceeds the maximum %u",
			       name ? name : "", snaplen, PCAPFILE_MAX_CAPLEN);
	if (w->nifs >= PCAPFILE_MAX_IFACES)
		return pw_fail(w, "too many interfaces (more than %u)", PCAPFILE_MAX_IFACES);
	pw_begin(w, PW_BT_IDB);
	pw_u16(w, (uint16_t)linktype);
	pw_u16(w, 0); /* reserved */
	pw_u32(w, snaplen);
	size_t opts = w->len;
	pw_opt_str(w, PW_OPT_IF_NAME, name);
	pw_opt_str(w, PW_OPT_IF_DESCRIPTION, description);
	uint8_t tsresol = 9;
	pw_opt(w, PW_OPT_IF_TSRESOL, &tsresol, 1);
	if (pw_end(w, opts, "interface description") < 0)
		return -1;
	return (int)w->nifs++;
}

int pcapng_writer_packet(struct pcapng_writer *w, uint32_t ifid, uint64_t ts_ns,
			 const uint8_t *data, uint32_t caplen, uint32_t wirelen,
			 const char *comment)
{
	if (w->failed)
		return -1;
	if (ifid >= w->nifs)
		return pw_fail(w, "packet on interface %" PRIu32 ", which was not added (%" PRIu32 " interfaces)",
			       ifid, w->nifs);
	if (caplen > PCAPFILE_MAX_CAPLEN)
		return pw_fail(w, "packet of %" PRIu32 " captured bytes: more than the maximum %u",
			       caplen, PCAPFILE_MAX_CAPLEN);
	if (caplen > wirelen)
		return pw_fail(w, "packet of %" PRIu32 " captured bytes is longer than its wire length %" PRIu32,
			       caplen, wirelen);
	pw_begin(w, PW_BT_EPB);
	pw_u32(w, ifid);
	pw_u32(w, (uint32_t)(ts_ns >> 32));
	pw_u32(w, (uint32_t)ts_ns);
	pw_u32(w, caplen);
	pw_u32(w, wirelen);
	pw_put(w, data, caplen);
	pw_pad(w);
	size_t opts = w->len;
	pw_opt_str(w, PW_OPT_COMMENT, comment);
	return pw_end(w, opts, "packet");
}

const char *pcapng_writer_error(const struct pcapng_writer *w) { return w->err; }

int pcapng_writer_close(struct pcapng_writer *w, char *err)
{
	if (!w)
		return 0;
	int rc = 0;
	pcapng_writer_flush(w);
	if (w->failed) {
		util_err(err, "%s", w->err);
		rc = -1;
	}
	if (w->own_fd && close(w->fd) < 0 && rc == 0)
		rc = util_err(err, "close %s: %s", w->name, strerror(errno));
	free(w->buf);
	free(w->out);
	free(w->name);
	free(w);
	return rc;
}
