/* scenario — the .lab language: lexer, parser, checks and the parsed model.
 *
 * One pass over the lines per purpose: the first reads only "host" lines, so
 * processes may name hosts declared anywhere in the file; the second reads
 * everything else. Each line is cut into tokens (words, quoted strings with
 * their escapes decoded, and "=" in "s = socket udp"), then handed to the
 * statement or step it starts with. Each step is checked against what the
 * process has done before it, socket by socket, like a small simulation:
 * a send on a socket that never connected is caught here, with its line and
 * column, rather than as a hanging lab later. Diagnostics are collected,
 * sorted by position (whole-file ones last), and the first SC_MAX_DIAGS kept.
 *
 * Decisions beyond the bare grammar:
 * - Tokens are words, "strings" and '='. '#' starts a comment anywhere outside
 *   a string. "s=socket udp" needs no spaces: '=' splits the first words of a
 *   line. Lines may end in CRLF; a UTF-8 BOM is skipped; columns are bytes.
 * - Hosts may be declared after the processes that use them.
 * - A step with "expect ERRNO" is meant to fail, so it changes no socket state
 *   and the kind/state checks (connected? listening? UDP?) are skipped for it;
 *   the socket must still exist. "s = socket udp expect E" still takes a slot
 *   in proc->socks, but the name stays undefined. close always ends a name.
 * - A step with an error still defines its socket name (quietly), so one
 *   mistake is reported once, not on every later line that uses the name.
 * - bind s 0.0.0.0:P and bind s [::]:P mean any address (any_addr); an
 *   endpoint written as localhost or a literal address has ep.host = -1.
 * - recvfrom on a UDP socket that has no port yet (never bound, connected or
 *   sent from) is an error: nothing could ever reach it.
 * - Host addresses must not be loopback, multicast, unspecified, IPv4-mapped,
 *   limited broadcast, or the network/broadcast address of their IPv4 prefix.
 * - Sleep is 1ms..60s, with at most millisecond precision. Payloads of all
 *   steps together are limited to SC_MAX_TOTAL_PAYLOAD. "network bridge|switch"
 *   sets switch_mode. A scenario whose processes are all background is an
 *   error. exec looks programs up in $PATH at parse time, like execvp. */
#include "scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define SC_MAX_TOKENS 512          /* words on one line */
#define SC_SYM_MAX (SC_MAX_SOCKS * 4) /* socket names tracked per process */
#define SC_DIAG_KEEP 1024          /* diagnostics kept before sorting */
#define SC_MAX_SOCKBUF 16777216    /* setsockopt sndbuf/rcvbuf */

static const char sc_pattern[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* ---- tokens ---- */

enum tok_kind { TK_WORD, TK_STR, TK_EQ };

struct tok {
	enum tok_kind kind;
	int col;          /* 1-based byte column of its first byte */
	int rawlen;       /* bytes in the source, quotes included */
	const char *s;    /* word as written, or string decoded; NUL-terminated */
	size_t len;       /* bytes in s (a string may hold NUL bytes) */
};

/* What the parser knows about a socket name while it walks a process. */
struct sym {
	char name[SC_MAX_NAME + 1];
	int idx;          /* into proc->socks; -1: its creation had an error (stay quiet) */
	bool open;        /* the name refers to it now */
	int line;         /* created */
	int closed_line;
	int failed_line;  /* created by a call that is expected to fail */
	enum sc_proto proto;
	int family;
	bool bound, listening, connected, has_port, has_peer;
	int bound_line, connected_line, port_line;
};

struct pdiag {
	struct sc_diag d;
	int seq;
};

struct pctx;

struct step_def {
	const char *name;
	enum sc_op op;
	bool sockcall;    /* a socket API call: may end with "expect ERRNO" */
	bool assign;      /* written "NAME = keyword ..." */
	void (*parse)(struct pctx *c, struct sc_step *st, int k);
	const char *usage;
};

struct pctx {
	struct scenario *sc;
	struct pdiag *dl;
	int dn, dcap, dtotal;
	struct sc_diag dummy;     /* where diagnostics beyond SC_DIAG_KEEP go */
	bool lexflaw;             /* the last lex found something to complain about */

	/* the line being parsed */
	int line;
	const char *lp;
	size_t llen;
	struct tok toks[SC_MAX_TOKENS];
	int ntok;                 /* tokens on the line */
	int n;                    /* tokens of the statement ("expect E" cut off) */
	char sbuf[SC_MAX_LINE + SC_MAX_TOKENS + 8];
	size_t sused;
	char show[4][64];
	unsigned showi;
	const char *kw;           /* the statement's keyword, for messages */
	const char *usage;

	/* the whole file */
	int title_line, about_line, network_line;
	bool network_bridge;      /* "network bridge" written */
	int fault_line, seed_line; /* first fault/link line, seed line */
	int limit_line[SC_LIMIT_COUNT];
	int link_line[SC_MAX_HOSTS];
	int host_lines, proc_lines;
	bool host_bad[SC_MAX_HOSTS];  /* had an error: stay quiet about its families */
	size_t payload_total;
	bool payload_reported;
	char last_prog[SC_MAX_LINE + 1]; /* the last exec lookup, not repeated */
	bool last_prog_found;
	bool recorded;            /* SC_PARSE_RECORDED: programs are not looked for */

	/* the current process */
	bool in_proc;
	struct sc_proc *cur;
	struct sc_proc scratch;   /* a process that could not be kept */
	int step_cap;
	bool steps_reported;
	int exec_line, first_sock_line;
	struct sym syms[SC_SYM_MAX];
	int nsyms;
};

/* ---- names of things ---- */

static const char *const sc_op_names[] = {
	[SC_SOCKET] = "socket", [SC_BIND] = "bind", [SC_LISTEN] = "listen",
	[SC_ACCEPT] = "accept", [SC_CONNECT] = "connect", [SC_SEND] = "send",
	[SC_SENDTO] = "sendto", [SC_RECV] = "recv", [SC_RECVFROM] = "recvfrom",
	[SC_SHUTDOWN] = "shutdown", [SC_CLOSE] = "close", [SC_SETSOCKOPT] = "setsockopt",
	[SC_SLEEP] = "sleep", [SC_SAY] = "say", [SC_EXEC] = "exec", [SC_AWAIT] = "await",
};

const char *sc_op_name(enum sc_op op)
{
	if ((unsigned)op < UTIL_ARRAY_LEN(sc_op_names) && sc_op_names[op])
		return sc_op_names[op];
	return "?";
}

const char *sc_proto_name(enum sc_proto p)
{
	switch (p) {
	case SC_UDP: return "udp";
	case SC_TCP: return "tcp";
	}
	return "?";
}

void sc_addr_format(const struct sc_addr *a, char *out, size_t outlen)
{
	char tmp[INET6_ADDRSTRLEN];
	if (!out || !outlen)
		return;
	if (!a || (a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, a->bytes, tmp, sizeof tmp)) {
		snprintf(out, outlen, "?");
		return;
	}
	snprintf(out, outlen, "%s", tmp);
}

const struct sc_addr *sc_host_addr(const struct scenario *sc, int h, int family)
{
	if (!sc || h < 0 || h >= sc->nhosts)
		return NULL;
	const struct sc_host *ho = &sc->hosts[h];
	if (family == AF_INET && ho->has4)
		return &ho->addr4;
	if (family == AF_INET6 && ho->has6)
		return &ho->addr6;
	return NULL;
}

static const struct {
	const char *name;
	int err;
} sc_errnos[] = {
	{ "ECONNREFUSED", ECONNREFUSED }, { "ECONNRESET", ECONNRESET },
	{ "EPIPE", EPIPE }, { "ETIMEDOUT", ETIMEDOUT },
	{ "EHOSTUNREACH", EHOSTUNREACH }, { "ENETUNREACH", ENETUNREACH },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "EAGAIN", EAGAIN }, { "EWOULDBLOCK", EWOULDBLOCK },
	{ "EMSGSIZE", EMSGSIZE }, { "ENOTCONN", ENOTCONN },
	{ "EINVAL", EINVAL }, { "EACCES", EACCES },
	{ "EISCONN", EISCONN }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOPROTOOPT", ENOPROTOOPT }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "EDESTADDRREQ", EDESTADDRREQ },
	{ "ECONNABORTED", ECONNABORTED }, { "EALREADY", EALREADY },
	{ "EINPROGRESS", EINPROGRESS }, { "EBADF", EBADF },
	{ "ENOBUFS", ENOBUFS }, { "EPERM", EPERM },
	{ "ENETDOWN", ENETDOWN }, { "EHOSTDOWN", EHOSTDOWN },
	{ "EINTR", EINTR }, { "ENOTSOCK", ENOTSOCK },
	{ "EPROTOTYPE", EPROTOTYPE }, { "ESHUTDOWN", ESHUTDOWN },
	{ "ENETRESET", ENETRESET }, { "ENOMEM", ENOMEM },
	{ "EMFILE", EMFILE }, { "ENFILE", ENFILE }, { "EFAULT", EFAULT },
};

const char *sc_errno_name(int err)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sc_errnos); i++)
		if (sc_errnos[i].err == err)
			return sc_errnos[i].name;
	return NULL;
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static const char *fam_word(int family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

/* ---- diagnostics ---- */

static struct sc_diag *diag_v(struct pctx *c, int line, int col, const char *fmt, va_list ap)
{
	struct sc_diag *d = &c->dummy;
	c->dtotal++;
	if (c->dn < SC_DIAG_KEEP) {
		if (c->dn == c->dcap) {
			c->dcap = c->dcap ? c->dcap * 2 : 16;
			c->dl = xreallocarray(c->dl, (size_t)c->dcap, sizeof *c->dl);
		}
		c->dl[c->dn].seq = c->dn;
		d = &c->dl[c->dn++].d;
	}
	memset(d, 0, sizeof *d);
	d->line = line;
	d->col = col;
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	return d;
}

__attribute__((format(printf, 4, 5)))
static struct sc_diag *diag(struct pctx *c, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sc_diag *d = diag_v(c, line, col, fmt, ap);
	va_end(ap);
	return d;
}

static int tok_col(const struct pctx *c, int i)
{
	if (c->ntok == 0)
		return 1;
	if (i < 0)
		i = 0;
	if (i >= c->ntok)
		i = c->ntok - 1;
	return c->toks[i].col;
}

/* At token i. */
__attribute__((format(printf, 3, 4)))
static struct sc_diag *err_at(struct pctx *c, int i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sc_diag *d = diag_v(c, c->line, tok_col(c, i), fmt, ap);
	va_end(ap);
	return d;
}

/* At byte off inside token i. */
__attribute__((format(printf, 4, 5)))
static struct sc_diag *err_in(struct pctx *c, int i, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int col = tok_col(c, i);
	if (i >= 0 && i < c->ntok && off < (size_t)c->toks[i].rawlen)
		col += (int)off;
	struct sc_diag *d = diag_v(c, c->line, col, fmt, ap);
	va_end(ap);
	return d;
}

/* Just after token i (where a missing word would go). */
__attribute__((format(printf, 3, 4)))
static struct sc_diag *err_after(struct pctx *c, int i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int col = 1;
	if (c->ntok > 0) {
		if (i >= c->ntok)
			i = c->ntok - 1;
		if (i < 0)
			i = 0;
		col = c->toks[i].col + c->toks[i].rawlen + 1;
	}
	struct sc_diag *d = diag_v(c, c->line, col, fmt, ap);
	va_end(ap);
	return d;
}

__attribute__((format(printf, 2, 3)))
static void hint(struct sc_diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->hint, sizeof d->hint, fmt, ap);
	va_end(ap);
}

/* Token i as written, safe to print: control bytes as '?', long ones cut. */
static const char *show(struct pctx *c, int i)
{
	char *out = c->show[c->showi++ & 3];
	out[0] = '\0';
	if (i < 0 || i >= c->ntok)
		return out;
	const struct tok *t = &c->toks[i];
	const char *p = c->lp + t->col - 1;
	size_t n = (size_t)t->rawlen, o = 0, max = 40;
	for (size_t j = 0; j < n && o < max; j++) {
		unsigned char ch = (unsigned char)p[j];
		out[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (n > max)
		memcpy(out + o, "...", 4);
	else
		out[o] = '\0';
	return out;
}

static const char *proc_name(const struct pctx *c)
{
	return c->cur && c->cur->name[0] ? c->cur->name : "?";
}

/* ---- small parsers ---- */

/* Character classes of the lexer, one table lookup per byte. */
enum { LX_BLANK = 1, LX_WORD_END = 2, LX_STR_STOP = 4 };
static const uint8_t lx_class[256] = {
	[' '] = LX_BLANK | LX_WORD_END, ['\t'] = LX_BLANK | LX_WORD_END, ['\r'] = LX_BLANK | LX_WORD_END,
	['\v'] = LX_BLANK | LX_WORD_END, ['\f'] = LX_BLANK | LX_WORD_END,
	['"'] = LX_WORD_END | LX_STR_STOP, ['#'] = LX_WORD_END, ['\\'] = LX_STR_STOP,
};

static bool is_blank(unsigned char ch) { return lx_class[ch] & LX_BLANK; }

static bool is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

#define SC_NUM_CAP 1000000000000ull /* numbers saturate here: all limits are far below */

/* Decimal digits only; saturates instead of overflowing. */
static bool parse_uint(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > SC_NUM_CAP)
			v = SC_NUM_CAP;
	}
	*out = v;
	return true;
}

/* 4096, 4k, 64K, 1m: digits and an optional binary k/m suffix. */
static bool parse_size(const char *s, size_t n, uint64_t *out)
{
	uint64_t mul = 1;
	if (n >= 2) {
		char u = s[n - 1];
		if (u == 'k' || u == 'K')
			mul = 1024;
		else if (u == 'm' || u == 'M')
			mul = 1024 * 1024;
		if (mul > 1)
			n--;
	}
	if (!parse_uint(s, n, out))
		return false;
	*out = *out > SC_NUM_CAP / mul ? SC_NUM_CAP : *out * mul;
	return true;
}

/* 200ms, 2s, 1.5s: 0, or -1 when not a duration, -2 when out of range. */
static int parse_duration(const char *s, size_t n, unsigned *ms)
{
	size_t i = 0;
	uint64_t ip = 0, frac = 0;
	int fd = 0;
	bool dot = false;
	while (i < n && is_digit((unsigned char)s[i])) {
		if (ip < SC_NUM_CAP)
			ip = ip * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.') {
		size_t f0 = ++i;
		dot = true;
		while (i < n && is_digit((unsigned char)s[i])) {
			if (fd < 3) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				fd++;
			} else if (s[i] != '0') {
				return -1; /* finer than a millisecond */
			}
			i++;
		}
		if (i == f0)
			return -1;
	}
	for (; fd < 3; fd++)
		frac *= 10;
	uint64_t total;
	if (n - i == 2 && s[i] == 'm' && s[i + 1] == 's' && !dot)
		total = ip;
	else if (n - i == 1 && s[i] == 's')
		total = ip * 1000 + frac;
	else
		return -1;
	if (total < 1 || total > SC_MAX_SLEEP_MS)
		return -2;
	*ms = (unsigned)total;
	return 0;
}

static bool word_is(const struct pctx *c, int i, const char *w)
{
	return i >= 0 && i < c->n && c->toks[i].kind == TK_WORD && strcmp(c->toks[i].s, w) == 0;
}

/* Optimal string alignment distance, ASCII case folded; anything beyond
 * max (lengths too far apart, or long words) is just max + 1. Its inner
 * loop is arithmetic on a table, nothing a fuzzer learns from: left out of
 * coverage instrumentation (a fifth of a fuzzed parse's time otherwise). */
#if defined(__clang__)
__attribute__((no_sanitize("coverage")))
#endif
static int edit_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[34][34];
	if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			char x = a[i - 1], y = b[j - 1];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x - 'A' + 'a');
			if (y >= 'A' && y <= 'Z')
				y = (char)(y - 'A' + 'a');
			int cost = x != y;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The candidate closest to w, if it is close enough to be a typo. */
static const char *closest(const char *w, const char *const *cands, size_t n)
{
	size_t len = strlen(w);
	int limit = len <= 3 ? 1 : 2, best = limit + 1;
	const char *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		int dist = edit_distance(w, cands[i], limit);
		if (dist < best) {
			best = dist;
			found = cands[i];
		}
	}
	return found;
}

/* ---- the lexer ---- */

static void lex(struct pctx *c, bool report)
{
	const char *p = c->lp;
	size_t n = c->llen, i = 0;
	c->ntok = 0;
	c->sused = 0;
	c->lexflaw = false;
	if (c->line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3; /* a UTF-8 byte order mark */
	while (i < n) {
		unsigned char ch = (unsigned char)p[i];
		if (is_blank(ch)) {
			i++;
			continue;
		}
		if (ch == '#')
			break;
		if (c->ntok == SC_MAX_TOKENS) {
			c->lexflaw = true;
			if (report)
				hint(diag(c, c->line, (int)i + 1, "too many words on one line (limit %d)",
					  SC_MAX_TOKENS), "split the line");
			break;
		}
		struct tok *t = &c->toks[c->ntok];
		char *out = c->sbuf + c->sused;
		size_t o = 0, start = i;
		t->col = (int)i + 1;
		if (ch == '=' && c->ntok <= 1) {
			t->kind = TK_EQ;
			out[o++] = '=';
			i++;
		} else if (ch == '"') {
			bool closed = false;
			t->kind = TK_STR;
			i++;
			while (i < n) {
				/* the plain run up to a quote or a backslash */
				size_t end = i;
				while (end < n && !(lx_class[(unsigned char)p[end]] & LX_STR_STOP))
					end++;
				if (end > i) {
					memcpy(out + o, p + i, end - i);
					o += end - i;
					i = end;
					continue;
				}
				unsigned char d = (unsigned char)p[i];
				if (d == '"') {
					closed = true;
					i++;
					break;
				}
				if (i + 1 >= n) {
					out[o++] = (char)d;
					i++;
					continue;
				}
				unsigned char e = (unsigned char)p[i + 1];
				int h1, h2;
				switch (e) {
				case 'n': out[o++] = '\n'; i += 2; break;
				case 'r': out[o++] = '\r'; i += 2; break;
				case 't': out[o++] = '\t'; i += 2; break;
				case '0': out[o++] = '\0'; i += 2; break;
				case '\\': out[o++] = '\\'; i += 2; break;
				case '"': out[o++] = '"'; i += 2; break;
				case 'x':
					h1 = i + 2 < n ? hexval((unsigned char)p[i + 2]) : -1;
					h2 = i + 3 < n ? hexval((unsigned char)p[i + 3]) : -1;
					if (h1 >= 0 && h2 >= 0) {
						out[o++] = (char)(h1 * 16 + h2);
						i += 4;
						break;
					}
					c->lexflaw = true;
					if (report)
						hint(diag(c, c->line, (int)i + 1,
							  "'\\x' needs two hex digits"),
						     "e.g. \\x41 is 'A', \\x00 is a zero byte");
					out[o++] = '\\';
					i++;
					break;
				default:
					c->lexflaw = true;
					if (report)
						hint(diag(c, c->line, (int)i + 1, "unknown escape '\\%c'",
							  e < 0x20 || e >= 0x7f ? '?' : (char)e),
						     "escapes are \\n \\r \\t \\0 \\\\ \\\" and \\xHH; "
						     "write \\\\ for a backslash");
					out[o++] = '\\';
					i++;
					break;
				}
			}
			c->lexflaw |= !closed;
			if (!closed && report)
				hint(diag(c, c->line, t->col, "unterminated string"),
				     "close it with \" on the same line");
		} else {
			t->kind = TK_WORD;
			while (i < n) {
				unsigned char d = (unsigned char)p[i];
				if ((lx_class[d] & LX_WORD_END) || (d == '=' && c->ntok == 0))
					break;
				out[o++] = (char)d;
				i++;
			}
		}
		out[o] = '\0';
		t->s = out;
		t->len = o;
		t->rawlen = (int)(i - start);
		c->sused += o + 1;
		c->ntok++;
	}
	c->n = c->ntok;
}

/* ---- argument helpers ---- */

static bool need(struct pctx *c, int i, const char *what)
{
	if (i < c->n)
		return true;
	struct sc_diag *d = err_after(c, i - 1, "%s needs %s", c->kw, what);
	hint(d, "write: %s", c->usage);
	return false;
}

static bool no_more(struct pctx *c, int i)
{
	if (i >= c->n)
		return true;
	struct sc_diag *d;
	if (c->toks[i].kind == TK_WORD && strcmp(c->toks[i].s, "expect") == 0)
		d = err_at(c, i, "only a socket call can expect an error");
	else
		d = err_at(c, i, "unexpected '%s'", show(c, i));
	hint(d, "write: %s", c->usage);
	return false;
}

static const char *const sc_reserved[] = {
	"socket", "bind", "listen", "accept", "connect", "send", "sendto", "recv",
	"recvfrom", "shutdown", "close", "setsockopt", "sleep", "say", "exec", "await",
	"title", "about", "host", "process", "network", "expect", "peer", "localhost",
	"env", "limit", "share",
};

/* what: "host", "process" or "socket". */
static bool check_name(struct pctx *c, int i, const char *what)
{
	const struct tok *t = &c->toks[i];
	struct sc_diag *d;
	const char *rule = "a name starts with a letter or '_' and has letters, digits, '_' or '-'";
	if (t->kind != TK_WORD) {
		d = err_at(c, i, "expected a %s name, found %s", what, show(c, i));
		hint(d, "%s", rule);
		return false;
	}
	unsigned char f = (unsigned char)t->s[0];
	bool ok = (f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z') || f == '_';
	for (size_t j = 1; ok && j < t->len; j++) {
		unsigned char ch = (unsigned char)t->s[j];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) ||
		     ch == '_' || ch == '-';
	}
	if (!ok) {
		d = err_at(c, i, "'%s' is not a valid %s name", show(c, i), what);
		hint(d, "%s", rule);
		return false;
	}
	if (t->len > SC_MAX_NAME) {
		d = err_at(c, i, "%s name '%s' is too long", what, show(c, i));
		hint(d, "a name has at most %d characters", SC_MAX_NAME);
		return false;
	}
	bool sock = strcmp(what, "socket") == 0;
	for (size_t j = 0; j < UTIL_ARRAY_LEN(sc_reserved); j++) {
		const char *r = sc_reserved[j];
		bool reserved = sock || (strcmp(what, "host") == 0 &&
					 (strcmp(r, "localhost") == 0 || strcmp(r, "peer") == 0));
		if (reserved && strcmp(t->s, r) == 0) {
			d = err_at(c, i, "'%s' is a reserved word and cannot name a %s", t->s, what);
			hint(d, "pick another name, e.g. '%s1'", t->s);
			return false;
		}
	}
	return true;
}

static int find_host(const struct pctx *c, const char *name)
{
	for (int h = 0; h < c->sc->nhosts; h++)
		if (strcmp(c->sc->hosts[h].name, name) == 0)
			return h;
	return -1;
}

/* "no host named X" with a suggestion or the list of hosts. */
static void unknown_host(struct pctx *c, int i, size_t off, const char *name)
{
	struct sc_diag *d = err_in(c, i, off, "no host named '%.40s'", name);
	const char *cands[SC_MAX_HOSTS] = { 0 };
	int n = c->sc->nhosts;
	for (int h = 0; h < n; h++)
		cands[h] = c->sc->hosts[h].name;
	const char *best = closest(name, cands, (size_t)n);
	if (best) {
		hint(d, "did you mean '%s'?", best);
	} else if (n == 0) {
		hint(d, "declare it first: host %.40s 192.0.2.10", name);
	} else {
		struct buf b = { 0 };
		buf_addstr(&b, "hosts are:");
		for (int h = 0; h < n && b.len < sizeof d->hint; h++)
			buf_printf(&b, "%s %s", h ? "," : "", cands[h]);
		hint(d, "%s", b.p);
		buf_free(&b);
	}
}

/* ---- addresses ---- */

static bool addr_is_loopback(const struct sc_addr *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	if (a->family == AF_INET)
		return a->bytes[0] == 127;
	return a->family == AF_INET6 && memcmp(a->bytes, lo6, 16) == 0;
}

static bool addr_is_unspecified(const struct sc_addr *a)
{
	static const uint8_t zero[16];
	if (a->family == AF_INET)
		return memcmp(a->bytes, zero, 4) == 0;
	return a->family == AF_INET6 && memcmp(a->bytes, zero, 16) == 0;
}

/* Why a host cannot have this address, or NULL. */
static const char *addr_unusable(const struct sc_addr *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	if (addr_is_unspecified(a))
		return "the unspecified address";
	if (addr_is_loopback(a))
		return "a loopback address";
	if (a->family == AF_INET) {
		if (a->bytes[0] == 0)
			return "in 0.0.0.0/8 (\"this network\")";
		if (a->bytes[0] >= 224 && a->bytes[0] <= 239)
			return "a multicast address";
		if (a->bytes[0] == 255 && a->bytes[1] == 255 && a->bytes[2] == 255 &&
		    a->bytes[3] == 255)
			return "the broadcast address";
		return NULL;
	}
	if (a->bytes[0] == 0xff)
		return "a multicast address";
	if (memcmp(a->bytes, mapped, 12) == 0)
		return "an IPv4-mapped address";
	return NULL;
}

static struct sc_addr loopback(int family)
{
	struct sc_addr a = { .family = family };
	if (family == AF_INET6) {
		a.bytes[15] = 1;
	} else {
		a.family = AF_INET;
		a.bytes[0] = 127;
		a.bytes[3] = 1;
	}
	return a;
}

/* ADDR or ADDR/PREFIX of "host" line token i into h. */
static bool host_addr(struct pctx *c, int i, struct sc_host *h)
{
	const struct tok *t = &c->toks[i];
	struct sc_diag *d;
	if (t->kind != TK_WORD) {
		d = err_at(c, i, "expected an address, found %s", show(c, i));
		hint(d, "e.g. host %s 192.0.2.1", h->name[0] ? h->name : "alice");
		return false;
	}
	const char *slash = memchr(t->s, '/', t->len);
	size_t an = slash ? (size_t)(slash - t->s) : t->len;
	bool v6 = memchr(t->s, ':', an) != NULL;
	struct sc_addr a = { .family = v6 ? AF_INET6 : AF_INET };
	char abuf[64];
	if (an == 0 || an >= sizeof abuf) {
		d = err_at(c, i, "'%s' is not a valid address", show(c, i));
		hint(d, "e.g. 192.0.2.1 or 2001:db8::1");
		return false;
	}
	memcpy(abuf, t->s, an);
	abuf[an] = '\0';
	if (inet_pton(a.family, abuf, a.bytes) != 1) {
		d = err_at(c, i, "'%.60s' is not a valid %s address", abuf, fam_name(a.family));
		if (v6)
			hint(d, "e.g. 2001:db8::1 (eight groups of hex digits, :: for zeros)");
		else
			hint(d, "write four numbers from 0 to 255 separated by dots, e.g. 192.0.2.1");
		return false;
	}
	int prefix = v6 ? 64 : 24, max = v6 ? 128 : 32;
	if (slash) {
		uint64_t v;
		size_t pn = t->len - an - 1;
		if (!parse_uint(slash + 1, pn, &v) || v < 1 || v > (uint64_t)max) {
			d = err_in(c, i, an, "bad prefix length '%.20s' for an %s address",
				   slash, fam_name(a.family));
			hint(d, "a prefix is a number from 1 to %d, e.g. %s", max, v6 ? "/64" : "/24");
			return false;
		}
		prefix = (int)v;
	}
	char fmt[INET6_ADDRSTRLEN];
	sc_addr_format(&a, fmt, sizeof fmt);
	const char *why = addr_unusable(&a);
	if (why) {
		d = err_at(c, i, "%s is %s; a host needs an address of its own", fmt, why);
		hint(d, "use a documentation address such as %s",
		     v6 ? "2001:db8::1" : "192.0.2.1 (or 198.51.100.1)");
		return false;
	}
	if (!v6 && prefix <= 30) {
		uint32_t x = (uint32_t)a.bytes[0] << 24 | (uint32_t)a.bytes[1] << 16 |
			     (uint32_t)a.bytes[2] << 8 | a.bytes[3];
		uint32_t hostmask = (1u << (32 - prefix)) - 1;
		if ((x & hostmask) == 0 || (x & hostmask) == hostmask) {
			d = err_at(c, i, "%s is the %s address of its /%d network", fmt,
				   (x & hostmask) == 0 ? "network" : "broadcast", prefix);
			hint(d, "pick an address between them, e.g. end it in .1");
			return false;
		}
	}
	if ((v6 && h->has6) || (!v6 && h->has4)) {
		char old[INET6_ADDRSTRLEN];
		sc_addr_format(v6 ? &h->addr6 : &h->addr4, old, sizeof old);
		d = err_at(c, i, "host '%s' already has an %s address (%s)", h->name,
			   fam_name(a.family), old);
		hint(d, "a host has at most one IPv4 and one IPv6 address");
		return false;
	}
	for (int j = 0; j < c->sc->nhosts; j++) {
		const struct sc_addr *o = sc_host_addr(c->sc, j, a.family);
		if (o && memcmp(o->bytes, a.bytes, 16) == 0) {
			d = err_at(c, i, "address %s is already used by host '%s' (line %d)", fmt,
				   c->sc->hosts[j].name, c->sc->hosts[j].line);
			hint(d, "give each host its own address");
			return false;
		}
	}
	if (v6) {
		h->has6 = true;
		h->addr6 = a;
		h->prefix6 = prefix;
	} else {
		h->has4 = true;
		h->addr4 = a;
		h->prefix4 = prefix;
	}
	return true;
}

/* Port in token i from byte off to the end; min is 0 (bind) or 1. */
static bool parse_port(struct pctx *c, int i, size_t off, int min, uint16_t *port)
{
	const struct tok *t = &c->toks[i];
	const char *s = t->s + off;
	size_t n = t->len - off;
	uint64_t v;
	struct sc_diag *d;
	if (n == 0) {
		d = err_after(c, i, "missing port after ':'");
		hint(d, "e.g. %.*s9000", (int)(off < 48 ? off : 48), t->s);
		return false;
	}
	if (!parse_uint(s, n, &v)) {
		d = err_in(c, i, off, "port '%.*s' is not a number", (int)(n < 40 ? n : 40), s);
		hint(d, "a port is a number from %d to 65535", min);
		return false;
	}
	if (v < (uint64_t)min || v > 65535) {
		d = err_in(c, i, off, "port %.*s is out of range", (int)(n < 40 ? n : 40), s);
		hint(d, "a port is a number from %d to 65535", min);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

/* Endpoint in token i for socket sy (NULL: unknown, skip family checks):
 * HOST:PORT, ADDR:PORT, [ADDR6]:PORT, localhost:PORT. */
static bool parse_endpoint(struct pctx *c, int i, const struct sym *sy, int minport,
			   struct sc_endpoint *ep)
{
	const struct tok *t = &c->toks[i];
	int fam = sy ? sy->family : 0;
	struct sc_diag *d;
	memset(ep, 0, sizeof *ep);
	ep->host = -1;
	if (t->kind != TK_WORD) {
		d = err_at(c, i, "expected HOST:PORT, found %s", show(c, i));
		hint(d, "e.g. bob:9000, 192.0.2.2:9000 or [2001:db8::2]:9000");
		return false;
	}
	const char *s = t->s;
	size_t n = t->len, hn, poff;
	const char *hs;
	bool bracket = false;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (!rb) {
			d = err_at(c, i, "missing ']' in '%s'", show(c, i));
			hint(d, "write an IPv6 endpoint as [2001:db8::2]:9000");
			return false;
		}
		size_t after = (size_t)(rb - s) + 1;
		if (after >= n || s[after] != ':') {
			d = err_in(c, i, after < n ? after : n - 1, "expected ':' and a port after ']'");
			hint(d, "write an IPv6 endpoint as [2001:db8::2]:9000");
			return false;
		}
		hs = s + 1;
		hn = (size_t)(rb - s) - 1;
		poff = after + 1;
		bracket = true;
	} else {
		const char *colon = memchr(s, ':', n);
		if (!colon) {
			uint64_t v;
			if (parse_uint(s, n, &v)) {
				d = err_at(c, i, "'%s' is only a port; %s needs HOST:PORT", show(c, i), c->kw);
				hint(d, "e.g. bob:%s", show(c, i));
			} else {
				d = err_after(c, i, "missing port after '%s'", show(c, i));
				hint(d, "write HOST:PORT, e.g. %s:9000", show(c, i));
			}
			return false;
		}
		if (memchr(colon + 1, ':', n - (size_t)(colon - s) - 1)) {
			d = err_at(c, i, "an IPv6 address in an endpoint needs brackets");
			hint(d, "write [ADDRESS]:PORT, e.g. [2001:db8::2]:9000");
			return false;
		}
		hs = s;
		hn = (size_t)(colon - s);
		poff = hn + 1;
	}
	if (hn == 0) {
		d = err_at(c, i, "missing host before ':'");
		hint(d, "write HOST:PORT, e.g. bob%s", s + poff - 1);
		return false;
	}
	bool port_ok = parse_port(c, i, poff, minport, &ep->port);
	char hbuf[64];
	if (hn >= sizeof hbuf) {
		d = err_at(c, i, "'%.40s...' is not a host name or an address", hs);
		hint(d, "write HOST:PORT, e.g. bob:9000");
		return false;
	}
	memcpy(hbuf, hs, hn);
	hbuf[hn] = '\0';
	struct sc_addr a = { 0 };
	if (bracket) {
		if (inet_pton(AF_INET6, hbuf, a.bytes) != 1) {
			d = err_in(c, i, 1, "'%s' is not a valid IPv6 address", hbuf);
			hint(d, "e.g. [2001:db8::2]:9000");
			return false;
		}
		a.family = AF_INET6;
	} else if (strcmp(hbuf, "localhost") == 0) {
		a = loopback(fam ? fam : AF_INET);
	} else if (inet_pton(AF_INET, hbuf, a.bytes) == 1) {
		a.family = AF_INET;
	} else if (strspn(hbuf, "0123456789.") == hn) {
		d = err_at(c, i, "'%s' is not a valid IPv4 address", hbuf);
		hint(d, "write four numbers from 0 to 255 separated by dots, e.g. 192.0.2.1");
		return false;
	} else {
		int h = find_host(c, hbuf);
		if (h < 0) {
			unknown_host(c, i, 0, hbuf);
			return false;
		}
		ep->host = h;
		if (!fam)
			return port_ok;
		const struct sc_addr *ha = sc_host_addr(c->sc, h, fam);
		if (!ha) {
			if (!c->host_bad[h]) {
				int other = fam == AF_INET ? AF_INET6 : AF_INET;
				d = err_at(c, i, "host '%s' has no %s address, and socket '%s' is %s",
					   hbuf, fam_name(fam), sy->name, fam_name(fam));
				hint(d, "create the socket as %s: %s = socket %s %s", fam_name(other),
				     sy->name, sc_proto_name(sy->proto), fam_word(other));
			}
			return false;
		}
		ep->addr = *ha;
		return port_ok;
	}
	if (fam && a.family != fam) {
		d = err_at(c, i, "%s is an %s address, but socket '%s' is %s", hbuf,
			   fam_name(a.family), sy->name, fam_name(fam));
		hint(d, "create the socket as %s: %s = socket %s %s", fam_name(a.family), sy->name,
		     sc_proto_name(sy->proto), fam_word(a.family));
		return false;
	}
	ep->addr = a;
	return port_ok;
}

/* ---- payloads ---- */

/* Message at token i: "text" or N bytes. Returns the index after it. */
static int parse_payload(struct pctx *c, int i, struct sc_step *st)
{
	const struct tok *t = &c->toks[i];
	struct sc_diag *d;
	uint64_t v;
	size_t len;
	if (t->kind == TK_EQ) {
		d = err_at(c, i, "unexpected '='");
		hint(d, "write: %s", c->usage);
		return i + 1;
	}
	if (t->kind == TK_STR) {
		len = t->len;
		if (len == 0) {
			d = err_at(c, i, "empty message");
			hint(d, "send at least one byte, e.g. \"hi\"");
			return i + 1;
		}
	} else if (parse_size(t->s, t->len, &v)) {
		if (!(i + 1 < c->n && c->toks[i + 1].kind == TK_WORD &&
		      (strcmp(c->toks[i + 1].s, "bytes") == 0 || strcmp(c->toks[i + 1].s, "byte") == 0))) {
			d = err_after(c, i, "a number alone is not a message");
			hint(d, "write '%s bytes' for generated bytes, or quote it: \"%s\"", t->s, t->s);
			return i + 1;
		}
		if (v == 0) {
			d = err_at(c, i, "empty message");
			hint(d, "send at least one byte, e.g. 1 bytes");
			return i + 2;
		}
		if (v > SC_MAX_PAYLOAD) {
			d = err_at(c, i, "a message of %llu bytes is larger than the limit of %u bytes (1 MiB)",
				   (unsigned long long)v, SC_MAX_PAYLOAD);
			hint(d, "send it in several steps of at most 1m bytes");
			return i + 2;
		}
		len = (size_t)v;
	} else {
		d = err_at(c, i, "a message must be in quotes");
		hint(d, "write it as \"%s\", or as N bytes for generated bytes", show(c, i));
		return i + 1;
	}
	if (len > SC_MAX_PAYLOAD) {
		d = err_at(c, i, "a message of %zu bytes is larger than the limit of %u bytes (1 MiB)",
			   len, SC_MAX_PAYLOAD);
		hint(d, "send it in several steps");
		return i + 1;
	}
	if (len > SC_MAX_TOTAL_PAYLOAD - c->payload_total) {
		if (!c->payload_reported) {
			d = err_at(c, i, "the messages of this scenario add up to more than %u MiB",
				   SC_MAX_TOTAL_PAYLOAD >> 20);
			hint(d, "send fewer or smaller messages");
		}
		c->payload_reported = true;
		return t->kind == TK_STR ? i + 1 : i + 2;
	}
	c->payload_total += len;
	st->len = len;
	st->data = xmalloc(len);
	if (t->kind == TK_STR) {
		memcpy(st->data, t->s, len);
		return i + 1;
	}
	st->generated = true;
	for (size_t j = 0; j < len; j++)
		st->data[j] = (uint8_t)sc_pattern[j % (sizeof sc_pattern - 1)];
	return i + 2;
}

/* ---- sockets of the current process ---- */

static struct sym *sym_find(struct pctx *c, const char *name, size_t len)
{
	if (len > SC_MAX_NAME)
		return NULL;
	for (int i = 0; i < c->nsyms; i++)
		if (strlen(c->syms[i].name) == len && memcmp(c->syms[i].name, name, len) == 0)
			return &c->syms[i];
	return NULL;
}

/* A fresh entry for name (replacing an older one of that name), or NULL when
 * the table is full; real sockets always fit (SC_MAX_SOCKS names at most). */
static struct sym *sym_slot(struct pctx *c, const char *name, size_t len, bool poisoned)
{
	if (len > SC_MAX_NAME)
		return NULL;
	struct sym *s = sym_find(c, name, len);
	if (!s) {
		int limit = poisoned ? SC_SYM_MAX - SC_MAX_SOCKS : SC_SYM_MAX;
		if (c->nsyms >= limit)
			return NULL;
		s = &c->syms[c->nsyms++];
	}
	memset(s, 0, sizeof *s);
	memcpy(s->name, name, len);
	s->idx = -1;
	s->open = true;
	s->line = c->line;
	return s;
}

/* The socket named by token i, after checking it exists and is open; NULL
 * after reporting (or quietly, when its creation already failed). */
static struct sym *use_sock(struct pctx *c, int i, struct sc_step *st)
{
	const struct tok *t = &c->toks[i];
	struct sc_diag *d;
	if (t->kind != TK_WORD) {
		d = err_at(c, i, "expected a socket name, found %s", show(c, i));
		hint(d, "write: %s", c->usage);
		return NULL;
	}
	struct sym *s = sym_find(c, t->s, t->len);
	if (!s) {
		d = err_at(c, i, "no socket named '%s' in process '%s'", show(c, i), proc_name(c));
		hint(d, "create it first: %s = socket udp", show(c, i));
		return NULL;
	}
	if (s->idx < 0)
		return NULL;
	if (s->failed_line) {
		d = err_at(c, i, "socket '%s' does not exist: its creation at line %d is expected to fail",
			   s->name, s->failed_line);
		hint(d, "remove 'expect' there, or create another socket");
		return NULL;
	}
	if (!s->open) {
		d = err_at(c, i, "socket '%s' was closed at line %d", s->name, s->closed_line);
		hint(d, "create a new one first: %s = socket %s", s->name, sc_proto_name(s->proto));
		return NULL;
	}
	st->sock = s->idx;
	return s;
}

static int default_family(const struct pctx *c)
{
	const struct sc_host *h = c->cur->host >= 0 ? &c->sc->hosts[c->cur->host] : NULL;
	return h && !h->has4 && h->has6 ? AF_INET6 : AF_INET;
}

/* The socket made by a socket or accept step, named by token 0. bad: the step
 * had an error, so the name is only remembered to keep later lines quiet. */
static struct sym *new_socket(struct pctx *c, struct sc_step *st, enum sc_proto proto,
			      int family, bool bad)
{
	const struct tok *t = &c->toks[0];
	struct sc_diag *d;
	bool name_ok = check_name(c, 0, "socket");
	struct sym *old = t->kind == TK_WORD ? sym_find(c, t->s, t->len) : NULL;
	if (name_ok && old && old->open && old->idx >= 0 && !old->failed_line) {
		d = err_at(c, 0, "socket '%s' already exists (line %d)", old->name, old->line);
		hint(d, "close %s first, or pick another name", old->name);
		return NULL;
	}
	if (!bad && name_ok && c->cur->nsocks >= SC_MAX_SOCKS) {
		d = err_at(c, 0, "too many sockets in process '%s' (limit %d)", proc_name(c),
			   SC_MAX_SOCKS);
		hint(d, "every socket and accept step makes one; split the work into processes");
		bad = true;
	}
	if (bad || !name_ok) {
		if (t->kind == TK_WORD)
			sym_slot(c, t->s, t->len, true);
		return NULL;
	}
	struct sym *s = sym_slot(c, t->s, t->len, false);
	if (!s)
		return NULL; /* cannot happen: see sym_slot */
	int idx = c->cur->nsocks++;
	struct sc_sock *so = &c->cur->socks[idx];
	memset(so, 0, sizeof *so);
	memcpy(so->name, s->name, sizeof so->name);
	so->proto = proto;
	so->family = family;
	so->line = c->line;
	so->col = t->col;
	st->new_sock = idx;
	s->idx = idx;
	s->proto = proto;
	s->family = family;
	if (st->expect_errno) {
		s->open = false;
		s->failed_line = c->line;
	}
	return s;
}

/* send, recv and shutdown need a connected socket. */
static bool require_connected(struct pctx *c, int i, const struct sym *s, const char *verb,
			      const char *udp_alt)
{
	struct sc_diag *d;
	if (s->connected)
		return true;
	if (s->listening) {
		d = err_at(c, i, "socket '%s' is listening; it cannot %s", s->name, verb);
		hint(d, "%s on the socket that accept returns: conn = accept %s", c->kw, s->name);
	} else if (s->proto == SC_TCP) {
		d = err_at(c, i, "socket '%s' is not connected", s->name);
		hint(d, "connect %s HOST:PORT first, or accept a connection", s->name);
	} else {
		d = err_at(c, i, "UDP socket '%s' is not connected", s->name);
		hint(d, "use %s, or connect %s first", udp_alt, s->name);
	}
	return false;
}

/* ---- steps ---- */

static void step_socket(struct pctx *c, struct sc_step *st, int k)
{
	int e0 = c->dtotal;
	enum sc_proto proto = SC_UDP;
	int family = 0;
	if (need(c, 3, "a protocol (udp or tcp)")) {
		if (word_is(c, 3, "udp")) {
			proto = SC_UDP;
		} else if (word_is(c, 3, "tcp")) {
			proto = SC_TCP;
		} else {
			struct sc_diag *d = err_at(c, 3, "unknown protocol '%s'", show(c, 3));
			hint(d, "a socket is udp (messages) or tcp (a byte stream)");
		}
	}
	if (c->n > 4) {
		if (word_is(c, 4, "ipv4")) {
			family = AF_INET;
		} else if (word_is(c, 4, "ipv6")) {
			family = AF_INET6;
		} else {
			struct sc_diag *d = err_at(c, 4, "unknown address family '%s'", show(c, 4));
			hint(d, "write ipv4 or ipv6, or leave it out");
		}
		const struct sc_host *h = c->cur->host >= 0 ? &c->sc->hosts[c->cur->host] : NULL;
		if (family && h && !c->host_bad[c->cur->host] &&
		    !(family == AF_INET ? h->has4 : h->has6)) {
			struct sc_diag *d = err_at(c, 4, "host '%s' has no %s address", h->name,
						   fam_name(family));
			hint(d, "give it one on its host line, or leave out '%s'", fam_word(family));
		}
	}
	no_more(c, 5);
	if (!family)
		family = default_family(c);
	st->proto = proto;
	st->family = family;
	new_socket(c, st, proto, family, c->dtotal > e0);
}

static void step_accept(struct pctx *c, struct sc_step *st, int k)
{
	int e0 = c->dtotal;
	struct sym *ls = NULL;
	if (need(c, 3, "the listening socket"))
		ls = use_sock(c, 3, st);
	no_more(c, 4);
	if (ls && !st->expect_errno) {
		struct sc_diag *d;
		if (ls->proto != SC_TCP) {
			d = err_at(c, 3, "accept is for TCP, and '%s' is UDP", ls->name);
			hint(d, "a UDP socket has no connections: use recvfrom");
		} else if (!ls->listening) {
			d = err_at(c, 3, "socket '%s' is not listening", ls->name);
			hint(d, "listen %s first", ls->name);
		}
	}
	st->proto = SC_TCP;
	st->family = ls ? ls->family : default_family(c);
	struct sym *s = new_socket(c, st, SC_TCP, st->family, c->dtotal > e0 || !ls);
	if (s) {
		s->connected = s->bound = s->has_port = true;
		s->connected_line = s->bound_line = s->port_line = c->line;
	}
}

static void step_bind(struct pctx *c, struct sc_step *st, int k)
{
	struct sym *s = NULL;
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	s = use_sock(c, 1, st);
	if (!need(c, 2, "a port or HOST:PORT"))
		return;
	const struct tok *t = &c->toks[2];
	bool ok;
	if (t->kind == TK_WORD && is_digit((unsigned char)t->s[0]) && !memchr(t->s, ':', t->len) &&
	    !memchr(t->s, '.', t->len)) {
		memset(&st->ep, 0, sizeof st->ep);
		st->ep.host = -1;
		st->ep.any_addr = true;
		ok = parse_port(c, 2, 0, 0, &st->ep.port);
	} else if ((ok = parse_endpoint(c, 2, s, 0, &st->ep))) {
		int h = c->cur->host;
		const char *hn = h >= 0 ? c->sc->hosts[h].name : "?";
		if (st->ep.host >= 0) {
			if (h >= 0 && st->ep.host != h) {
				d = err_at(c, 2, "process '%s' runs on host '%s'; it cannot bind to an address of '%s'",
					   proc_name(c), hn, c->sc->hosts[st->ep.host].name);
				hint(d, "bind to its own: bind %s %s:%u, or to any: bind %s %u", show(c, 1),
				     hn, st->ep.port, show(c, 1), st->ep.port);
				ok = false;
			}
		} else if (addr_is_unspecified(&st->ep.addr)) {
			st->ep.any_addr = true;
		} else if (!addr_is_loopback(&st->ep.addr) && h >= 0 && !c->host_bad[h]) {
			const struct sc_addr *ha = sc_host_addr(c->sc, h, st->ep.addr.family);
			if (!ha || memcmp(ha->bytes, st->ep.addr.bytes, 16) != 0) {
				char a[INET6_ADDRSTRLEN];
				sc_addr_format(&st->ep.addr, a, sizeof a);
				d = err_at(c, 2, "%s is not an address of host '%s', where process '%s' runs",
					   a, hn, proc_name(c));
				hint(d, "bind %s %s:%u, or bind %s %u for any address", show(c, 1), hn,
				     st->ep.port, show(c, 1), st->ep.port);
				ok = false;
			}
		}
	}
	no_more(c, 3);
	if (!s || !ok || st->expect_errno)
		return;
	if (s->bound) {
		d = err_at(c, 1, "socket '%s' is already bound (line %d)", s->name, s->bound_line);
		hint(d, "a socket binds once; create another socket for another port");
	} else if (s->has_port) {
		d = err_at(c, 1, "socket '%s' already has a port, from line %d", s->name, s->port_line);
		hint(d, "bind before connect, listen or send");
	} else {
		s->bound = s->has_port = true;
		s->bound_line = s->port_line = c->line;
	}
}

static void step_listen(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (c->n > 2) {
		uint64_t v;
		const struct tok *t = &c->toks[2];
		if (t->kind != TK_WORD || !parse_uint(t->s, t->len, &v) || v < 1 || v > 4096) {
			d = err_at(c, 2, "backlog '%s' is not a number from 1 to 4096", show(c, 2));
			hint(d, "the backlog is how many connections may wait for accept, e.g. listen %s 16",
			     show(c, 1));
		} else {
			st->backlog = (int)v;
		}
	}
	no_more(c, 3);
	if (!s || st->expect_errno)
		return;
	if (s->proto != SC_TCP) {
		d = err_at(c, 1, "listen is for TCP, and '%s' is UDP", s->name);
		hint(d, "UDP has no connections to wait for: just recvfrom");
	} else if (s->connected) {
		d = err_at(c, 1, "socket '%s' is connected (line %d); it cannot listen", s->name,
			   s->connected_line);
		hint(d, "listen on a fresh socket");
	} else {
		s->listening = true;
		if (!s->has_port) {
			s->has_port = true;
			s->port_line = c->line;
		}
	}
}

static void step_connect(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (!need(c, 2, "HOST:PORT"))
		return;
	bool ok = parse_endpoint(c, 2, s, 1, &st->ep);
	no_more(c, 3);
	if (!s || !ok || st->expect_errno)
		return;
	if (s->listening) {
		d = err_at(c, 1, "socket '%s' is listening; it cannot also connect", s->name);
		hint(d, "create another socket to connect from");
	} else if (s->proto == SC_TCP && s->connected) {
		d = err_at(c, 1, "socket '%s' is already connected (line %d)", s->name,
			   s->connected_line);
		hint(d, "a TCP socket connects once; create another socket");
	} else {
		s->connected = true;
		s->connected_line = c->line;
		if (!s->has_port) {
			s->has_port = true;
			s->port_line = c->line;
		}
	}
}

static void step_send(struct pctx *c, struct sc_step *st, int k)
{
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (!need(c, 2, "a message"))
		return;
	int next = parse_payload(c, 2, st);
	no_more(c, next);
	if (s && !st->expect_errno)
		require_connected(c, 1, s, "send", "sendto");
}

static void step_sendto(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	bool tcp = s && s->proto == SC_TCP && !st->expect_errno;
	if (tcp) {
		d = err_at(c, 1, "sendto is for UDP, and '%s' is TCP", s->name);
		hint(d, "use send/recv on a connected TCP socket");
	}
	if (!need(c, 2, "a destination (HOST:PORT or peer)"))
		return;
	if (word_is(c, 2, "peer")) {
		memset(&st->ep, 0, sizeof st->ep);
		st->ep.host = -1;
		st->ep.peer = true;
		if (s && !tcp && !s->has_peer) {
			d = err_at(c, 2, "socket '%s' has no peer yet", s->name);
			hint(d, "peer is the sender of the last recvfrom on %s: recvfrom %s first",
			     s->name, s->name);
		}
	} else {
		parse_endpoint(c, 2, s, 1, &st->ep);
	}
	if (!need(c, 3, "a message"))
		return;
	int next = parse_payload(c, 3, st);
	no_more(c, next);
	if (s && !tcp && !st->expect_errno && !s->has_port) {
		s->has_port = true;
		s->port_line = c->line;
	}
}

static void parse_count(struct pctx *c, int i, struct sc_step *st)
{
	uint64_t v;
	const struct tok *t = &c->toks[i];
	if (t->kind != TK_WORD || !parse_size(t->s, t->len, &v) || v < 1 || v > SC_MAX_PAYLOAD) {
		struct sc_diag *d = err_at(c, i, "buffer size '%s' is not a number from 1 to %u",
					   show(c, i), SC_MAX_PAYLOAD);
		hint(d, "how many bytes to receive at most, e.g. 100, 4k or 1m");
		return;
	}
	st->count = (size_t)v;
}

static void step_recv(struct pctx *c, struct sc_step *st, int k)
{
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (c->n > 2)
		parse_count(c, 2, st);
	no_more(c, 3);
	if (s && !st->expect_errno)
		require_connected(c, 1, s, "recv", "recvfrom");
}

static void step_recvfrom(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (c->n > 2)
		parse_count(c, 2, st);
	no_more(c, 3);
	if (!s || st->expect_errno)
		return;
	if (s->proto == SC_TCP) {
		d = err_at(c, 1, "recvfrom is for UDP, and '%s' is TCP", s->name);
		hint(d, "use send/recv on a connected TCP socket");
	} else if (!s->has_port) {
		d = err_at(c, 1, "socket '%s' has no port yet, so no message can reach it", s->name);
		hint(d, "bind %s PORT first (or send from it first)", s->name);
	} else {
		s->has_peer = true;
	}
}

static void step_shutdown(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (!need(c, 2, "a direction (read, write or both)"))
		return;
	if (word_is(c, 2, "read")) {
		st->how = SHUT_RD;
	} else if (word_is(c, 2, "write")) {
		st->how = SHUT_WR;
	} else if (word_is(c, 2, "both")) {
		st->how = SHUT_RDWR;
	} else {
		d = err_at(c, 2, "unknown direction '%s'", show(c, 2));
		hint(d, "write: shutdown %s read|write|both", show(c, 1));
	}
	no_more(c, 3);
	if (s && !st->expect_errno && !s->connected) {
		d = err_at(c, 1, "socket '%s' is not connected, so there is nothing to shut down",
			   s->name);
		if (s->proto == SC_TCP)
			hint(d, "connect %s HOST:PORT first, or accept a connection", s->name);
		else
			hint(d, "connect %s HOST:PORT first", s->name);
	}
}

static void step_close(struct pctx *c, struct sc_step *st, int k)
{
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	no_more(c, 2);
	if (s) { /* closed even when close reports an error */
		s->open = false;
		s->closed_line = c->line;
	}
}

static void step_setsockopt(struct pctx *c, struct sc_step *st, int k)
{
	static const char *const opts[] = { "sndbuf", "rcvbuf", "mss", "nodelay" };
	struct sc_diag *d;
	uint64_t v;
	if (!need(c, 1, "a socket"))
		return;
	struct sym *s = use_sock(c, 1, st);
	if (!need(c, 2, "an option (sndbuf, rcvbuf, mss or nodelay)"))
		return;
	int opt = -1;
	for (int i = 0; i < 4; i++)
		if (word_is(c, 2, opts[i]))
			opt = i;
	if (opt < 0) {
		d = err_at(c, 2, "unknown option '%s'", show(c, 2));
		const char *best = c->toks[2].kind == TK_WORD ? closest(c->toks[2].s, opts, 4) : NULL;
		if (best)
			hint(d, "did you mean '%s'?", best);
		else
			hint(d, "options are sndbuf, rcvbuf, mss and nodelay");
		return;
	}
	st->opt = (enum sc_sockopt)opt;
	if (!need(c, 3, opt == SC_OPT_NODELAY ? "on or off" : "a value"))
		return;
	const struct tok *t = &c->toks[3];
	bool word = t->kind == TK_WORD;
	switch (st->opt) {
	case SC_OPT_SNDBUF:
	case SC_OPT_RCVBUF:
		if (!word || !parse_size(t->s, t->len, &v) || v < 1 || v > SC_MAX_SOCKBUF) {
			d = err_at(c, 3, "buffer size '%s' is not a number from 1 to %d", show(c, 3),
				   SC_MAX_SOCKBUF);
			hint(d, "e.g. 4096, 64k or 1m");
		} else {
			st->value = (int)v;
		}
		break;
	case SC_OPT_MSS:
		if (!word || !parse_uint(t->s, t->len, &v) || v < 88 || v > 65535) {
			d = err_at(c, 3, "mss '%s' is not a number from 88 to 65535", show(c, 3));
			hint(d, "the largest TCP segment to send, e.g. 536 or 1460");
		} else {
			st->value = (int)v;
		}
		break;
	case SC_OPT_NODELAY:
		if (word_is(c, 3, "on")) {
			st->value = 1;
		} else if (word_is(c, 3, "off")) {
			st->value = 0;
		} else {
			d = err_at(c, 3, "nodelay is on or off, not '%s'", show(c, 3));
			hint(d, "write: setsockopt %s nodelay on", show(c, 1));
		}
		break;
	}
	no_more(c, 4);
	if (s && !st->expect_errno && s->proto != SC_TCP &&
	    (st->opt == SC_OPT_MSS || st->opt == SC_OPT_NODELAY)) {
		d = err_at(c, 2, "%s is a TCP option, and '%s' is UDP", opts[opt], s->name);
		hint(d, "UDP sends each message as one datagram: there is nothing to %s",
		     st->opt == SC_OPT_MSS ? "segment" : "delay");
	}
}

static void step_sleep(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a duration"))
		return;
	const struct tok *t = &c->toks[1];
	int r = t->kind == TK_WORD ? parse_duration(t->s, t->len, &st->ms) : -1;
	if (r == -1) {
		d = err_at(c, 1, "'%s' is not a duration", show(c, 1));
		hint(d, "write e.g. 200ms, 2s or 1.5s");
	} else if (r == -2) {
		d = err_at(c, 1, "sleep %s is out of range", show(c, 1));
		hint(d, "sleep from 1ms to %ds", SC_MAX_SLEEP_MS / 1000);
	}
	no_more(c, 2);
}

static void step_say(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (!need(c, 1, "a caption in quotes"))
		return;
	const struct tok *t = &c->toks[1];
	if (t->kind != TK_STR) {
		d = err_at(c, 1, "a caption must be in quotes");
		hint(d, "write: say \"The server waits for a message.\"");
	} else if (memchr(t->s, '\0', t->len)) {
		d = err_at(c, 1, "a caption cannot contain \\0");
		hint(d, "remove the \\0");
	} else {
		st->text = xstrndup(t->s, t->len);
	}
	no_more(c, 2);
}

/* Is prog runnable: a path that is an executable file, or found in $PATH? */
/* A program named with a '/' and not absolute is looked for beside the
 * lesson file, then in the current folder (exec takes it from there). */
static bool find_program(const char *lesson, const char *prog)
{
	struct stat sb;
	if (!*prog)
		return false;
	if (strchr(prog, '/')) {
		const char *slash = prog[0] == '/' || !lesson ? NULL : strrchr(lesson, '/');
		char full[PATH_MAX];
		if (slash && snprintf(full, sizeof full, "%.*s/%s", (int)(slash - lesson), lesson, prog) <
		    (int)sizeof full && stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && access(full, X_OK) == 0)
			return true;
		return stat(prog, &sb) == 0 && S_ISREG(sb.st_mode) && access(prog, X_OK) == 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	size_t pl = strlen(prog);
	for (const char *p = path;;) {
		const char *e = strchr(p, ':');
		size_t dl = e ? (size_t)(e - p) : strlen(p);
		char full[PATH_MAX];
		if (dl == 0) {
			p = ".";
			dl = 1;
		}
		if (dl + 1 + pl < sizeof full) {
			memcpy(full, p, dl);
			full[dl] = '/';
			memcpy(full + dl + 1, prog, pl + 1);
			if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && access(full, X_OK) == 0)
				return true;
		}
		if (!e)
			return false;
		p = e + 1;
	}
}

static void step_exec(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	if (c->first_sock_line) {
		d = err_at(c, 0, "process '%s' uses sockets (line %d), so it cannot also exec a program",
			   proc_name(c), c->first_sock_line);
		hint(d, "run the program in a process of its own, with only say, sleep and await before exec");
	}
	c->exec_line = c->line;
	c->cur->is_exec = true;
	if (!need(c, 1, "a program"))
		return;
	bool ok = true;
	for (int i = 1; i < c->n; i++) {
		if (memchr(c->toks[i].s, '\0', c->toks[i].len)) {
			d = err_at(c, i, "a program argument cannot contain \\0");
			hint(d, "remove the \\0");
			ok = false;
		}
	}
	const struct tok *p = &c->toks[1];
	if (ok && strcmp(p->s, c->last_prog) != 0) {
		memcpy(c->last_prog, p->s, p->len + 1); /* p->len <= SC_MAX_LINE */
		c->last_prog_found = c->recorded || find_program(c->sc->path, p->s);
	}
	if (ok && !c->last_prog_found) {
		d = err_at(c, 1, "program '%s' not found", show(c, 1));
		hint(d, "install it or fix the name");
	}
	if (!ok)
		return;
	st->argc = c->n - 1;
	st->argv = xcalloc((size_t)st->argc + 1, sizeof *st->argv);
	for (int i = 1; i < c->n; i++)
		st->argv[i - 1] = xstrndup(c->toks[i].s, c->toks[i].len);
}

/* await [tcp|udp] HOST:PORT — wait until some process on HOST (typically a
 * real program started with exec) has a door with that port open: a TCP
 * socket listening, or a UDP socket bound. doorway checks; no packet is sent. */
static void step_await(struct pctx *c, struct sc_step *st, int k)
{
	struct sc_diag *d;
	int i = 1;
	st->proto = SC_TCP;
	if (word_is(c, 1, "tcp") || word_is(c, 1, "udp")) {
		st->proto = word_is(c, 1, "udp") ? SC_UDP : SC_TCP;
		i = 2;
	}
	if (!need(c, i, "HOST:PORT"))
		return;
	if (!parse_endpoint(c, i, NULL, 1, &st->ep))
		return;
	if (st->ep.host < 0) {
		d = err_at(c, i, "await needs a host of the lab by name, not an address");
		hint(d, "write e.g. await bob:8080");
	}
	no_more(c, i + 1);
}

static const struct step_def sc_steps[] = {
	{ "socket", SC_SOCKET, true, true, step_socket, "NAME = socket udp|tcp [ipv4|ipv6]" },
	{ "bind", SC_BIND, true, false, step_bind, "bind SOCKET PORT, or bind SOCKET HOST:PORT" },
	{ "listen", SC_LISTEN, true, false, step_listen, "listen SOCKET [BACKLOG]" },
	{ "accept", SC_ACCEPT, true, true, step_accept, "NAME = accept SOCKET" },
	{ "connect", SC_CONNECT, true, false, step_connect, "connect SOCKET HOST:PORT" },
	{ "send", SC_SEND, true, false, step_send, "send SOCKET \"message\" (or: send SOCKET 100 bytes)" },
	{ "sendto", SC_SENDTO, true, false, step_sendto, "sendto SOCKET HOST:PORT|peer \"message\"" },
	{ "recv", SC_RECV, true, false, step_recv, "recv SOCKET [SIZE]" },
	{ "recvfrom", SC_RECVFROM, true, false, step_recvfrom, "recvfrom SOCKET [SIZE]" },
	{ "shutdown", SC_SHUTDOWN, true, false, step_shutdown, "shutdown SOCKET read|write|both" },
	{ "close", SC_CLOSE, true, false, step_close, "close SOCKET" },
	{ "setsockopt", SC_SETSOCKOPT, true, false, step_setsockopt,
	  "setsockopt SOCKET sndbuf|rcvbuf|mss|nodelay VALUE" },
	{ "sleep", SC_SLEEP, false, false, step_sleep, "sleep 200ms (or 2s, 1.5s)" },
	{ "say", SC_SAY, false, false, step_say, "say \"caption\"" },
	{ "exec", SC_EXEC, false, false, step_exec, "exec PROGRAM [ARGUMENT...]" },
	{ "await", SC_AWAIT, false, false, step_await, "await [tcp|udp] HOST:PORT" },
};

static const struct step_def *find_step(const char *w)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sc_steps); i++)
		if (strcmp(sc_steps[i].name, w) == 0)
			return &sc_steps[i];
	return NULL;
}

static void step_free_contents(struct sc_step *st)
{
	free(st->data);
	free(st->text);
	if (st->argv)
		for (int i = 0; i < st->argc; i++)
			free(st->argv[i]);
	free(st->argv);
	st->data = NULL;
	st->text = NULL;
	st->argv = NULL;
}

/* "... expect ERRNO" at the end of a socket call: cut it off the statement. */
static void parse_expect(struct pctx *c, int k, struct sc_step *st)
{
	for (int i = c->ntok - 1; i > k; i--) {
		if (!word_is(c, i, "expect"))
			continue;
		c->n = i;
		if (i == c->ntok - 1) {
			struct sc_diag *d = err_after(c, i, "expect needs an error name");
			hint(d, "e.g. connect c bob:9999 expect ECONNREFUSED");
			return;
		}
		const struct tok *t = &c->toks[i + 1];
		for (size_t j = 0; t->kind == TK_WORD && j < UTIL_ARRAY_LEN(sc_errnos); j++)
			if (strcmp(t->s, sc_errnos[j].name) == 0)
				st->expect_errno = sc_errnos[j].err;
		if (!st->expect_errno) {
			const char *names[UTIL_ARRAY_LEN(sc_errnos)];
			for (size_t j = 0; j < UTIL_ARRAY_LEN(sc_errnos); j++)
				names[j] = sc_errnos[j].name;
			struct sc_diag *d = err_at(c, i + 1, "unknown error name '%s'", show(c, i + 1));
			const char *best = t->kind == TK_WORD ? closest(t->s, names, UTIL_ARRAY_LEN(names)) : NULL;
			if (best)
				hint(d, "did you mean '%s'?", best);
			else
				hint(d, "e.g. ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EADDRINUSE, EAGAIN");
		}
		if (i + 2 < c->ntok) {
			struct sc_diag *d = err_at(c, i + 2, "unexpected '%s' after the error name",
						   show(c, i + 2));
			hint(d, "expect ERRNO ends the step");
		}
		return;
	}
}

/* A step; its keyword is token k (0, or 2 after "NAME ="). */
static void parse_step(struct pctx *c, const struct step_def *def, int k)
{
	struct sc_diag *d;
	c->kw = def->name;
	c->usage = def->usage;
	if (!c->in_proc) {
		d = err_at(c, 0, "step '%s' is outside any process", def->name);
		hint(d, "start a process first: process NAME on HOST");
		return;
	}
	struct sc_step st;
	memset(&st, 0, sizeof st);
	st.op = def->op;
	st.line = c->line;
	st.col = c->toks[0].col;
	st.sock = -1;
	st.new_sock = -1;
	st.ep.host = -1;
	st.count = SC_RECV_DEFAULT;
	st.backlog = 16;
	st.how = SHUT_RDWR;
	if (def->sockcall)
		parse_expect(c, k, &st);
	if (c->exec_line) {
		d = err_at(c, 0, "exec must be the last step of process '%s'", proc_name(c));
		hint(d, "exec at line %d replaces the process with the program; nothing after it runs",
		     c->exec_line);
	} else if (def->sockcall && !c->first_sock_line) {
		c->first_sock_line = c->line;
	}
	def->parse(c, &st, k);

	struct sc_proc *p = c->cur;
	if (p->nsteps >= SC_MAX_STEPS) {
		if (!c->steps_reported) {
			d = err_at(c, 0, "too many steps in process '%s' (limit %d)", proc_name(c),
				   SC_MAX_STEPS);
			hint(d, "split the work into several processes");
		}
		c->steps_reported = true;
		step_free_contents(&st);
		return;
	}
	if (p->nsteps == c->step_cap) {
		c->step_cap = c->step_cap ? c->step_cap * 2 : 16;
		p->steps = xreallocarray(p->steps, (size_t)c->step_cap, sizeof *p->steps);
	}
	p->steps[p->nsteps++] = st;
}

/* ---- statements ---- */

static void end_process(struct pctx *c)
{
	if (!c->in_proc)
		return;
	struct sc_proc *p = c->cur;
	if (p->nsteps == 0 && p->name[0]) {
		struct sc_diag *d = diag(c, p->line, p->col, "process '%s' has no steps", p->name);
		hint(d, "add its steps on the lines below, e.g.  s = socket udp");
	}
	if (p == &c->scratch) {
		for (int i = 0; i < p->nsteps; i++)
			step_free_contents(&p->steps[i]);
		free(p->steps);
		memset(p, 0, sizeof *p);
	}
	c->in_proc = false;
	c->cur = NULL;
}

static void stmt_process(struct pctx *c)
{
	struct sc_diag *d;
	end_process(c);
	c->proc_lines++;
	c->usage = "process NAME on HOST [background] [untraced]";
	c->in_proc = true;
	c->cur = &c->scratch;
	memset(&c->scratch, 0, sizeof c->scratch);
	c->scratch.host = -1;
	c->step_cap = 0;
	c->steps_reported = false;
	c->exec_line = c->first_sock_line = 0;
	c->nsyms = 0;

	if (!need(c, 1, "a name"))
		return;
	bool keep = check_name(c, 1, "process");
	const char *name = c->toks[1].s;
	for (int i = 0; keep && i < c->sc->nprocs; i++) {
		if (strcmp(c->sc->procs[i].name, name) == 0) {
			d = err_at(c, 1, "process '%s' is already defined at line %d", name,
				   c->sc->procs[i].line);
			hint(d, "give each process its own name");
			keep = false;
		}
	}
	int host = -1;
	bool background = false, untraced = false;
	if (c->n < 3) {
		d = err_after(c, 1, "process needs 'on HOST'");
		hint(d, "write: process %s on HOST", show(c, 1));
	} else if (!word_is(c, 2, "on")) {
		d = err_at(c, 2, "expected 'on' after the process name, found '%s'", show(c, 2));
		hint(d, "write: process %s on HOST", show(c, 1));
	} else if (need(c, 3, "a host")) {
		if (c->toks[3].kind != TK_WORD)
			hint(err_at(c, 3, "expected a host name, found %s", show(c, 3)),
			     "write: process %s on HOST", show(c, 1));
		else if ((host = find_host(c, c->toks[3].s)) < 0)
			unknown_host(c, 3, 0, c->toks[3].s);
		for (int i = 4; i < c->n; i++) {
			if (word_is(c, i, "background") && !background) {
				background = true;
			} else if (word_is(c, i, "untraced") && !untraced) {
				untraced = true;
			} else {
				d = err_at(c, i, "unexpected '%s'", show(c, i));
				hint(d, "after the host come only 'background' and 'untraced', each once");
				break;
			}
		}
	}
	if (keep && c->sc->nprocs >= SC_MAX_PROCS) {
		d = err_at(c, 0, "too many processes (limit %d)", SC_MAX_PROCS);
		hint(d, "a lab runs at most %d processes", SC_MAX_PROCS);
		keep = false;
	}
	struct sc_proc *p = keep ? &c->sc->procs[c->sc->nprocs++] : &c->scratch;
	c->cur = p;
	if (c->toks[1].kind == TK_WORD && c->toks[1].len <= SC_MAX_NAME)
		memcpy(p->name, name, c->toks[1].len + 1);
	p->host = host;
	p->line = c->line;
	p->col = c->toks[0].col;
	p->background = background;
	p->untraced = untraced;
}

static void stmt_host(struct pctx *c)
{
	struct sc_diag *d;
	struct sc_host h;
	c->usage = "host NAME ADDRESS [ADDRESS], e.g. host alice 192.0.2.1";
	c->host_lines++;
	if (!need(c, 1, "a name"))
		return;
	memset(&h, 0, sizeof h);
	bool keep = check_name(c, 1, "host");
	if (keep) {
		memcpy(h.name, c->toks[1].s, c->toks[1].len + 1);
		int old = find_host(c, h.name);
		if (old >= 0) {
			d = err_at(c, 1, "host '%s' is already defined at line %d", h.name,
				   c->sc->hosts[old].line);
			hint(d, "give each host its own name");
			keep = false;
		}
	}
	h.line = c->line;
	h.col = c->toks[0].col;
	h.prefix4 = 24;
	h.prefix6 = 64;
	bool bad = false;
	if (c->n < 3) {
		d = err_after(c, 1, "host '%s' needs an address", show(c, 1));
		hint(d, "e.g. host %s 192.0.2.1 (IPv4), 2001:db8::1 (IPv6), or both", show(c, 1));
		bad = true;
	}
	for (int i = 2; i < c->n && i < 4; i++)
		if (!host_addr(c, i, &h))
			bad = true;
	if (c->n > 4) {
		d = err_at(c, 4, "unexpected '%s'", show(c, 4));
		hint(d, "a host has at most one IPv4 and one IPv6 address");
		bad = true;
	}
	if (keep && c->sc->nhosts >= SC_MAX_HOSTS) {
		d = err_at(c, 0, "too many hosts (limit %d)", SC_MAX_HOSTS);
		hint(d, "a lab has at most %d hosts", SC_MAX_HOSTS);
		keep = false;
	}
	if (!keep)
		return;
	c->host_bad[c->sc->nhosts] = bad;
	c->sc->hosts[c->sc->nhosts++] = h;
}

/* title "..." and about "...": one quoted string, once. */
static void stmt_text(struct pctx *c, int *seen, char **out, const char *what)
{
	struct sc_diag *d;
	if (*seen) {
		d = err_at(c, 0, "duplicate %s (the first is at line %d)", what, *seen);
		hint(d, "a scenario has one %s", what);
	}
	int first = !*seen;
	if (first)
		*seen = c->line;
	if (!need(c, 1, "a text in quotes"))
		return;
	const struct tok *t = &c->toks[1];
	if (t->kind != TK_STR) {
		d = err_at(c, 1, "the %s must be in quotes", what);
		hint(d, "write: %s", c->usage);
	} else if (t->len == 0 && strcmp(what, "title") == 0) {
		d = err_at(c, 1, "the title is empty");
		hint(d, "write: %s", c->usage);
	} else if (memchr(t->s, '\0', t->len)) {
		d = err_at(c, 1, "the %s cannot contain \\0", what);
		hint(d, "remove the \\0");
	} else if (first) {
		*out = xstrndup(t->s, t->len);
	}
	no_more(c, 2);
}

static void stmt_title(struct pctx *c)
{
	c->usage = "title \"UDP echo\"";
	stmt_text(c, &c->title_line, &c->sc->title, "title");
}

static void stmt_about(struct pctx *c)
{
	c->usage = "about \"One process sends a message; another answers.\"";
	stmt_text(c, &c->about_line, &c->sc->about, "about");
}

static void stmt_network(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "network bridge|switch";
	if (c->network_line) {
		d = err_at(c, 0, "duplicate network (the first is at line %d)", c->network_line);
		hint(d, "a scenario has one network");
	} else {
		c->network_line = c->line;
	}
	if (!need(c, 1, "bridge or switch"))
		return;
	if (word_is(c, 1, "bridge")) {
		c->sc->switch_mode = false;
		c->network_bridge = true;
	} else if (word_is(c, 1, "switch")) {
		c->sc->switch_mode = true;
	} else {
		d = err_at(c, 1, "unknown network '%s'", show(c, 1));
		hint(d, "write: network bridge, or network switch");
	}
	no_more(c, 2);
}

/* 10%, 0.5%, 100%: parts per million, 0 when not a percentage 0..100 with
 * at most 4 decimals (-1 when malformed, -2 out of range). */
static int parse_percent(const char *s, size_t n, uint32_t *ppm)
{
	if (n < 2 || s[n - 1] != '%')
		return -1;
	n--;
	size_t i = 0;
	uint64_t ip = 0, frac = 0;
	int fd = 0;
	while (i < n && is_digit((unsigned char)s[i])) {
		if (ip < SC_NUM_CAP)
			ip = ip * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.') {
		size_t f0 = ++i;
		while (i < n && is_digit((unsigned char)s[i])) {
			if (fd >= 4)
				return -1;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			fd++;
			i++;
		}
		if (i == f0)
			return -1;
	}
	if (i != n)
		return -1;
	for (; fd < 4; fd++)
		frac *= 10;
	uint64_t v = ip * 10000 + frac;
	if (v > FAULT_PPM)
		return -2;
	*ppm = (uint32_t)v;
	return 0;
}

/* 1mbit, 500kbit, 64000bit, 1gbit: bits per second (-1 malformed, -2 out
 * of range 8kbit..10gbit). */
static int parse_rate(const char *s, size_t n, uint64_t *bps)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "gbit", 1000000000ull }, { "mbit", 1000000ull }, { "kbit", 1000ull }, { "bit", 1ull },
	};
	for (size_t u = 0; u < UTIL_ARRAY_LEN(units); u++) {
		size_t ul = strlen(units[u].unit);
		if (n <= ul || strcmp(s + n - ul, units[u].unit) != 0)
			continue;
		uint64_t v;
		if (!parse_uint(s, n - ul, &v))
			return -1;
		v = v > SC_NUM_CAP / units[u].mul ? SC_NUM_CAP : v * units[u].mul;
		if (v < 8000 || v > 10000000000ull)
			return -2;
		*bps = v;
		return 0;
	}
	return -1;
}

static const char *const sc_fault_words[] = { "loss", "delay", "jitter", "duplicate", "reorder",
					       "rate", "drop", "hold" };

/* Fault items from token i on ("loss 10% delay 200ms ..."), into f. */
static void fault_items(struct pctx *c, int i, struct fault_cfg *f)
{
	struct sc_diag *d;
	if (!need(c, i, "a fault (loss, delay, jitter, duplicate, reorder, rate, drop or hold)"))
		return;
	while (i < c->n) {
		const struct tok *t = &c->toks[i];
		const char *w = t->kind == TK_WORD ? t->s : "";
		int k = i + 1;
		/* "loss needs a percentage", "write: ..." name the item */
		static const char *const usages[] = { "loss 10%", "delay 200ms", "jitter 20ms",
			"duplicate 1%", "reorder 5%", "rate 1mbit", "drop packet 3", "hold packet 3 1500ms" };
		for (size_t u = 0; u < UTIL_ARRAY_LEN(sc_fault_words); u++) {
			if (!strcmp(w, sc_fault_words[u])) {
				c->kw = sc_fault_words[u];
				c->usage = usages[u];
			}
		}
		if (!strcmp(w, "loss") || !strcmp(w, "duplicate") || !strcmp(w, "reorder")) {
			if (!need(c, k, "a percentage"))
				return;
			uint32_t ppm = 0;
			const struct tok *v = &c->toks[k];
			int r = v->kind == TK_WORD ? parse_percent(v->s, v->len, &ppm) : -1;
			if (r == -1) {
				d = err_at(c, k, "'%s' is not a percentage", show(c, k));
				hint(d, "write e.g. %s 10%% or %s 0.5%%", w, w);
			} else if (r == -2) {
				d = err_at(c, k, "%s %s is more than 100%%", w, show(c, k));
				hint(d, "a percentage from 0%% to 100%%");
			} else if (w[0] == 'l') {
				f->loss_ppm = ppm;
				f->set |= FAULT_SET_LOSS;
			} else if (w[0] == 'd') {
				f->dup_ppm = ppm;
				f->set |= FAULT_SET_DUP;
			} else {
				f->reorder_ppm = ppm;
				f->set |= FAULT_SET_REORDER;
			}
			i = k + 1;
		} else if (!strcmp(w, "delay") || !strcmp(w, "jitter")) {
			if (!need(c, k, "a duration"))
				return;
			unsigned ms = 0;
			const struct tok *v = &c->toks[k];
			int r = v->kind == TK_WORD ? parse_duration(v->s, v->len, &ms) : -1;
			if (r == -1) {
				d = err_at(c, k, "'%s' is not a duration", show(c, k));
				hint(d, "write e.g. %s 200ms or %s 1.5s", w, w);
			} else if (r == -2) {
				d = err_at(c, k, "%s %s is out of range", w, show(c, k));
				hint(d, "from 1ms to %us", FAULT_MAX_DELAY_MS / 1000);
			} else if (w[0] == 'd') {
				f->delay_ms = ms;
				f->set |= FAULT_SET_DELAY;
			} else {
				f->jitter_ms = ms;
				f->set |= FAULT_SET_JITTER;
			}
			i = k + 1;
		} else if (!strcmp(w, "rate")) {
			if (!need(c, k, "a rate"))
				return;
			uint64_t bps = 0;
			const struct tok *v = &c->toks[k];
			int r = v->kind == TK_WORD ? parse_rate(v->s, v->len, &bps) : -1;
			if (r == -1) {
				d = err_at(c, k, "'%s' is not a rate", show(c, k));
				hint(d, "write e.g. rate 1mbit, rate 500kbit or rate 1gbit");
			} else if (r == -2) {
				d = err_at(c, k, "rate %s is out of range", show(c, k));
				hint(d, "from 8kbit to 10gbit");
			} else {
				f->rate_bps = bps;
				f->set |= FAULT_SET_RATE;
			}
			i = k + 1;
		} else if (!strcmp(w, "drop") || !strcmp(w, "hold")) {
			bool hold = w[0] == 'h';
			const char *use = hold ? "hold packet N DURATION, e.g. hold packet 3 1500ms"
					       : "drop packet N, e.g. drop packet 3";
			if (!need(c, k, "'packet N'"))
				return;
			if (word_is(c, k, "next")) {
				d = err_at(c, k, "'%s next' is a live action (a key in the TUI)", w);
				hint(d, "in a scenario, name the packet: %s", use);
				return;
			}
			if (!word_is(c, k, "packet")) {
				d = err_at(c, k, "expected 'packet' after %s, found '%s'", w, show(c, k));
				hint(d, "write: %s", use);
				return;
			}
			if (!need(c, k + 1, "a packet number"))
				return;
			uint64_t nth = 0;
			const struct tok *v = &c->toks[k + 1];
			if (v->kind != TK_WORD || !parse_uint(v->s, v->len, &nth) || nth < 1 || nth > 1000000) {
				d = err_at(c, k + 1, "'%s' is not a packet number from 1 to 1000000", show(c, k + 1));
				hint(d, "packets a link sends are counted from 1 (ARP and neighbour discovery not counted)");
				return;
			}
			i = k + 2;
			if (!hold) {
				f->drop_nth = (uint32_t)nth;
				f->set |= FAULT_SET_DROP_NTH;
				continue;
			}
			if (!need(c, i, "how long to hold it"))
				return;
			unsigned ms = 0;
			v = &c->toks[i];
			int r = v->kind == TK_WORD ? parse_duration(v->s, v->len, &ms) : -1;
			if (r != 0) {
				d = err_at(c, i, "'%s' is not a duration from 1ms to 60s", show(c, i));
				hint(d, "write: %s", use);
				return;
			}
			f->hold_nth = (uint32_t)nth;
			f->hold_ms = ms;
			f->set |= FAULT_SET_HOLD_NTH;
			i++;
		} else {
			d = err_at(c, i, "unknown fault '%s'", show(c, i));
			const char *best = t->kind == TK_WORD
				? closest(w, sc_fault_words, UTIL_ARRAY_LEN(sc_fault_words)) : NULL;
			if (best)
				hint(d, "did you mean '%s'?", best);
			else
				hint(d, "faults are: loss 10%%, delay 200ms, jitter 20ms, duplicate 1%%, "
					"reorder 5%%, rate 1mbit, drop packet N, hold packet N 1s");
			return;
		}
	}
}

static void stmt_fault(struct pctx *c)
{
	c->usage = "fault loss 10% delay 200ms ... (for every link)";
	if (!c->fault_line)
		c->fault_line = c->line;
	fault_items(c, 1, &c->sc->fault);
}

static void stmt_link(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "link HOST loss 10% delay 200ms ... (the packets HOST sends)";
	if (!need(c, 1, "a host"))
		return;
	int h = c->toks[1].kind == TK_WORD ? find_host(c, c->toks[1].s) : -1;
	if (h < 0) {
		if (c->toks[1].kind == TK_WORD)
			unknown_host(c, 1, 0, c->toks[1].s);
		else
			hint(err_at(c, 1, "expected a host name, found %s", show(c, 1)), "write: %s", c->usage);
		return;
	}
	if (c->link_line[h]) {
		d = err_at(c, 0, "duplicate link %s (the first is at line %d)", c->sc->hosts[h].name,
			   c->link_line[h]);
		hint(d, "put all of %s's faults on one line", c->sc->hosts[h].name);
		return;
	}
	c->link_line[h] = c->line;
	if (!c->fault_line)
		c->fault_line = c->line;
	fault_items(c, 2, &c->sc->link_fault[h]);
}

static void stmt_seed(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "seed 42";
	if (c->seed_line) {
		d = err_at(c, 0, "duplicate seed (the first is at line %d)", c->seed_line);
		hint(d, "a scenario has one seed");
		return;
	}
	c->seed_line = c->line;
	if (!need(c, 1, "a number"))
		return;
	uint64_t v = 0;
	const struct tok *t = &c->toks[1];
	if (t->kind != TK_WORD || !parse_uint(t->s, t->len, &v) || v >= SC_NUM_CAP) {
		d = err_at(c, 1, "seed '%s' is not a number", show(c, 1));
		hint(d, "write e.g. seed 42 (the same seed gives the same faults)");
		return;
	}
	c->sc->seed = v;
	no_more(c, 2);
}

/* ---- confinement: env, limit, share ---- */

/* env NAME=VALUE, env NAME="a text": NAME is a shell-style variable name. */
static void stmt_env(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "env NAME=VALUE, or env NAME=\"a text\"";
	if (!need(c, 1, "NAME=VALUE"))
		return;
	const struct tok *t = &c->toks[1];
	const char *eq = t->kind == TK_WORD ? memchr(t->s, '=', t->len) : NULL;
	if (!eq) {
		d = err_at(c, 1, "expected NAME=VALUE, found %s", show(c, 1));
		hint(d, "write: %s", c->usage);
		return;
	}
	size_t nl = (size_t)(eq - t->s);
	bool ok = nl > 0 && !is_digit((unsigned char)t->s[0]);
	for (size_t j = 0; ok && j < nl; j++) {
		unsigned char ch = (unsigned char)t->s[j];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) || ch == '_';
	}
	if (!ok || nl > SC_MAX_ENV_NAME) {
		d = err_at(c, 1, nl > SC_MAX_ENV_NAME ? "the name '%.*s' is too long" : "'%.*s' is not a variable name",
			   (int)(nl < 40 ? nl : 40), t->s);
		hint(d, "a name has letters, digits and '_' (at most %d), and does not start with a digit, e.g. GREETING",
		     SC_MAX_ENV_NAME);
		return;
	}
	const char *val = eq + 1;
	size_t vl = t->len - nl - 1;
	int next = 2;
	if (vl == 0 && c->n > 2 && c->toks[2].kind == TK_STR) {
		val = c->toks[2].s;
		vl = c->toks[2].len;
		next = 3;
	}
	if (memchr(val, '\0', vl)) {
		d = err_at(c, next - 1, "an environment value cannot contain \\0");
		hint(d, "remove the \\0");
		return;
	}
	if (vl > SC_MAX_ENV_VALUE) {
		d = err_at(c, next - 1, "the value of %.*s is longer than %d bytes", (int)nl, t->s, SC_MAX_ENV_VALUE);
		hint(d, "pass large inputs as a file in the lesson's folder");
		return;
	}
	if (!no_more(c, next))
		return;
	struct scenario *sc = c->sc;
	for (int i = 0; i < sc->nenv; i++) {
		if (strlen(sc->env[i].name) == nl && memcmp(sc->env[i].name, t->s, nl) == 0) {
			d = err_at(c, 1, "%s is already set at line %d", sc->env[i].name, sc->env[i].line);
			hint(d, "set each variable once");
			return;
		}
	}
	if (sc->nenv >= SC_MAX_ENV) {
		d = err_at(c, 0, "too many env statements (limit %d)", SC_MAX_ENV);
		hint(d, "a lab sets at most %d variables", SC_MAX_ENV);
		return;
	}
	struct sc_env *e = &sc->env[sc->nenv++];
	memcpy(e->name, t->s, nl);
	e->name[nl] = '\0';
	e->value = xstrndup(val, vl);
	e->line = c->line;
}

static const char *const sc_limit_names[SC_LIMIT_COUNT] = {
	[SC_LIMIT_MEMORY] = "memory", [SC_LIMIT_PROCESSES] = "processes", [SC_LIMIT_FILES] = "files",
	[SC_LIMIT_FDS] = "fds", [SC_LIMIT_CPU] = "cpu",
};

const char *sc_limit_name(enum sc_limit l)
{
	return (unsigned)l < SC_LIMIT_COUNT ? sc_limit_names[l] : "?";
}

/* 512m, 1g, 64k, 4096: bytes, with binary k/m/g/t. */
static bool parse_bytes(const char *s, size_t n, uint64_t *out)
{
	uint64_t mul = 1;
	if (n >= 2) {
		switch (s[n - 1]) {
		case 'k': case 'K': mul = 1ull << 10; break;
		case 'm': case 'M': mul = 1ull << 20; break;
		case 'g': case 'G': mul = 1ull << 30; break;
		case 't': case 'T': mul = 1ull << 40; break;
		}
		if (mul > 1)
			n--;
	}
	if (!parse_uint(s, n, out))
		return false;
	*out = *out > UINT64_MAX / mul ? UINT64_MAX : *out * mul;
	return true;
}

/* 10s, 5min, 1h: seconds. */
static bool parse_seconds(const char *s, size_t n, uint64_t *out)
{
	size_t i = 0;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	uint64_t v, mul;
	if (i == 0 || !parse_uint(s, i, &v))
		return false;
	if (n - i == 1 && s[i] == 's')
		mul = 1;
	else if (n - i == 3 && memcmp(s + i, "min", 3) == 0)
		mul = 60;
	else if (n - i == 1 && s[i] == 'h')
		mul = 3600;
	else
		return false;
	*out = v * mul; /* v <= SC_NUM_CAP */
	return true;
}

/* The range of each limit, and how its values are written. */
static const struct {
	uint64_t min, max;
	const char *example, *range;
} sc_limit_rules[SC_LIMIT_COUNT] = {
	[SC_LIMIT_MEMORY] = { 16ull << 20, 64ull << 30, "limit memory 512m", "16m to 64g" },
	[SC_LIMIT_PROCESSES] = { 1, 65536, "limit processes 64", "1 to 65536" },
	[SC_LIMIT_FILES] = { 4096, 1ull << 40, "limit files 64m", "4k to 1t" },
	[SC_LIMIT_FDS] = { 16, 65536, "limit fds 256", "16 to 65536" },
	[SC_LIMIT_CPU] = { 1, 86400, "limit cpu 10s", "1s to 24h" },
};

static void stmt_limit(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "limit memory|processes|files|fds|cpu VALUE, e.g. limit memory 512m";
	if (!need(c, 1, "what to limit"))
		return;
	int k = -1;
	for (int i = 0; i < SC_LIMIT_COUNT; i++)
		if (word_is(c, 1, sc_limit_names[i]))
			k = i;
	if (k < 0) {
		d = err_at(c, 1, "unknown limit '%s'", show(c, 1));
		const char *best = c->toks[1].kind == TK_WORD
			? closest(c->toks[1].s, sc_limit_names, SC_LIMIT_COUNT) : NULL;
		if (best)
			hint(d, "did you mean '%s'?", best);
		else
			hint(d, "limits are: memory 512m, processes 64, files 64m (size of a file), fds 256, cpu 10s");
		return;
	}
	c->usage = sc_limit_rules[k].example;
	if (c->limit_line[k]) {
		d = err_at(c, 1, "duplicate limit %s (the first is at line %d)", sc_limit_names[k], c->limit_line[k]);
		hint(d, "a scenario sets each limit once");
		return;
	}
	c->limit_line[k] = c->line;
	if (!need(c, 2, "a value"))
		return;
	const struct tok *t = &c->toks[2];
	uint64_t v = 0;
	bool ok = t->kind == TK_WORD;
	if (ok && (k == SC_LIMIT_MEMORY || k == SC_LIMIT_FILES))
		ok = parse_bytes(t->s, t->len, &v);
	else if (ok && k == SC_LIMIT_CPU)
		ok = parse_seconds(t->s, t->len, &v);
	else if (ok)
		ok = parse_uint(t->s, t->len, &v);
	if (!ok) {
		d = err_at(c, 2, "'%s' is not a %s", show(c, 2),
			   k == SC_LIMIT_CPU ? "time" : k == SC_LIMIT_MEMORY || k == SC_LIMIT_FILES ? "size" : "number");
		hint(d, "write e.g. %s", sc_limit_rules[k].example);
		return;
	}
	if (v < sc_limit_rules[k].min || v > sc_limit_rules[k].max) {
		d = err_at(c, 2, "limit %s %s is out of range", sc_limit_names[k], show(c, 2));
		hint(d, "%s is %s", sc_limit_names[k], sc_limit_rules[k].range);
		return;
	}
	c->sc->limit[k] = v;
	no_more(c, 3);
}

/* share DIR: a folder lab programs may read (relative to the lesson's). */
static void stmt_share(struct pctx *c)
{
	struct sc_diag *d;
	c->usage = "share DIR (a folder, relative to the lesson's; programs read it, read-only)";
	if (!need(c, 1, "a folder"))
		return;
	const struct tok *t = &c->toks[1];
	if (memchr(t->s, '\0', t->len) || t->len == 0) {
		d = err_at(c, 1, "expected a folder, found %s", show(c, 1));
		hint(d, "write: %s", c->usage);
		return;
	}
	char want[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(c->sc->path, '/');
	if (t->s[0] == '/' || !slash)
		snprintf(want, sizeof want, "%s", t->s);
	else
		snprintf(want, sizeof want, "%.*s/%s", (int)(slash - c->sc->path), c->sc->path, t->s);
	struct stat sb;
	if (!realpath(want, real)) {
		d = err_at(c, 1, "folder '%s' not found (%s)", show(c, 1), strerror(errno));
		hint(d, "a relative folder is taken from the lesson's own folder");
		return;
	}
	if (stat(real, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		d = err_at(c, 1, "'%s' is not a folder", show(c, 1));
		hint(d, "share a folder; its files are then readable");
		return;
	}
	if (strcmp(real, "/") == 0) {
		d = err_at(c, 1, "share / would show the whole machine, homes included");
		hint(d, "share only the folder a program needs, e.g. share data");
		return;
	}
	if (!no_more(c, 2))
		return;
	for (int i = 0; i < c->sc->nshares; i++)
		if (strcmp(c->sc->share[i], real) == 0)
			return; /* the same folder twice: once is enough */
	if (c->sc->nshares >= SC_MAX_SHARES) {
		d = err_at(c, 0, "too many share statements (limit %d)", SC_MAX_SHARES);
		hint(d, "share a common parent folder instead");
		return;
	}
	c->sc->share[c->sc->nshares++] = xstrdup(real);
}

static const struct {
	const char *name;
	void (*fn)(struct pctx *c);
} sc_stmts[] = {
	{ "title", stmt_title }, { "about", stmt_about }, { "host", stmt_host },
	{ "process", stmt_process }, { "network", stmt_network }, { "fault", stmt_fault },
	{ "link", stmt_link }, { "seed", stmt_seed }, { "env", stmt_env }, { "limit", stmt_limit },
	{ "share", stmt_share },
};

static void unknown_statement(struct pctx *c)
{
	const char *w = c->toks[0].s;
	const char *cands[UTIL_ARRAY_LEN(sc_steps) + UTIL_ARRAY_LEN(sc_stmts)];
	size_t n = 0;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sc_steps); i++)
		cands[n++] = sc_steps[i].name;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sc_stmts); i++)
		cands[n++] = sc_stmts[i].name;
	struct sc_diag *d = err_at(c, 0, "unknown %s '%s'", c->in_proc ? "step" : "statement",
				   show(c, 0));
	const char *best = closest(w, cands, n);
	if (best)
		hint(d, "did you mean '%s'?", best);
	else if (c->ntok >= 2 && (word_is(c, 1, "socket") || word_is(c, 1, "accept")))
		hint(d, "a new socket is written with '=': %s = %s ...", show(c, 0), c->toks[1].s);
	else if (c->in_proc)
		hint(d, "steps are: socket bind listen accept connect send sendto recv recvfrom "
			"shutdown close setsockopt sleep say exec");
	else
		hint(d, "statements are: title about host process network fault link seed "
			"env limit share (steps go inside a process)");
}

static void parse_line(struct pctx *c)
{
	struct sc_diag *d;
	c->kw = c->ntok ? c->toks[0].s : "";
	c->usage = "";
	if (c->ntok == 0)
		return;
	if (c->ntok >= 2 && c->toks[1].kind == TK_EQ) {
		const struct step_def *def = NULL;
		if (c->ntok < 3) {
			d = err_after(c, 1, "expected socket or accept after '='");
			hint(d, "e.g. %s = socket udp", show(c, 0));
			return;
		}
		if (c->toks[2].kind == TK_WORD)
			def = find_step(c->toks[2].s);
		if (!def || !def->assign) {
			static const char *const makers[] = { "socket", "accept" };
			d = err_at(c, 2, "'%s' does not make a socket", show(c, 2));
			const char *best = c->toks[2].kind == TK_WORD ? closest(c->toks[2].s, makers, 2) : NULL;
			if (best)
				hint(d, "did you mean '%s'?", best);
			else
				hint(d, "after '=' comes socket or accept, e.g. %s = socket udp", show(c, 0));
			return;
		}
		parse_step(c, def, 2);
		return;
	}
	if (c->toks[0].kind == TK_EQ) {
		d = err_at(c, 0, "expected a name before '='");
		hint(d, "a new socket is written: s = socket udp");
		return;
	}
	if (c->toks[0].kind == TK_STR) {
		d = err_at(c, 0, "a line cannot start with a string");
		hint(d, "to show a caption, write: say \"...\"");
		return;
	}
	for (size_t i = 0; i < UTIL_ARRAY_LEN(sc_stmts); i++) {
		if (strcmp(c->toks[0].s, sc_stmts[i].name) == 0) {
			sc_stmts[i].fn(c);
			return;
		}
	}
	const struct step_def *def = find_step(c->toks[0].s);
	if (def && def->assign) {
		d = err_at(c, 0, "%s makes a new socket, which needs a name", def->name);
		hint(d, "write: %s", def->usage);
		return;
	}
	if (def) {
		parse_step(c, def, 0);
		return;
	}
	unknown_statement(c);
}

static bool is_host_line(const struct pctx *c)
{
	return c->ntok >= 1 && c->toks[0].kind == TK_WORD && strcmp(c->toks[0].s, "host") == 0 &&
	       !(c->ntok >= 2 && c->toks[1].kind == TK_EQ);
}

/* Can the line be a host line at all? ("host" as its first word; the
 * lexer decides the rest.) Saves lexing every other line in pass 1. */
static bool may_be_host_line(const char *p, size_t n, int line)
{
	size_t i = 0;
	if (line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && is_blank((unsigned char)p[i]))
		i++;
	if (n - i < 4 || memcmp(p + i, "host", 4) != 0)
		return false;
	return n - i == 4 || (lx_class[(unsigned char)p[i + 4]] & LX_WORD_END) || p[i + 4] == '=';
}

/* pass 1: host lines; pass 2: every other line. */
static void run_pass(struct pctx *c, const char *text, size_t len, int pass)
{
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		const char *lp = text + pos;
		const char *nl = memchr(lp, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - lp) : len - pos;
		pos += ll + (nl ? 1 : 0);
		line++;
		if (ll && lp[ll - 1] == '\r')
			ll--;
		c->line = line;
		c->lp = lp;
		c->llen = ll;
		c->ntok = c->n = 0;
		if (ll > SC_MAX_LINE) {
			if (pass == 2)
				hint(diag(c, line, 1, "line %d is longer than %d bytes", line, SC_MAX_LINE),
				     "split it, or shorten its text");
			continue;
		}
		if (pass == 1 && !may_be_host_line(lp, ll, line))
			continue;
		lex(c, false);
		if (is_host_line(c) != (pass == 1))
			continue;
		if (c->lexflaw)
			lex(c, true); /* again, saying what is wrong this time */
		parse_line(c);
	}
}

static int diag_cmp(const void *a, const void *b)
{
	const struct pdiag *x = a, *y = b;
	int lx = x->d.line > 0 ? x->d.line : INT_MAX, ly = y->d.line > 0 ? y->d.line : INT_MAX;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->d.col != y->d.col)
		return x->d.col < y->d.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->nprocs && i < SC_MAX_PROCS; i++) {
		struct sc_proc *p = &sc->procs[i];
		for (int j = 0; j < p->nsteps; j++)
			step_free_contents(&p->steps[j]);
		free(p->steps);
	}
	for (int i = 0; i < sc->nenv && i < SC_MAX_ENV; i++)
		free(sc->env[i].value);
	for (int i = 0; i < sc->nshares && i < SC_MAX_SHARES; i++)
		free(sc->share[i]);
	free(sc->path);
	free(sc->title);
	free(sc->about);
	free(sc);
}

struct scenario *scenario_parse(const char *path, const char *text, size_t len,
				struct sc_diags *diags)
{
	return scenario_parse_opts(path, text, len, diags, 0);
}

struct scenario *scenario_parse_opts(const char *path, const char *text, size_t len,
				     struct sc_diags *diags, unsigned flags)
{
	struct sc_diags local;
	if (!diags)
		diags = &local;
	memset(diags, 0, sizeof *diags);
	if (!text)
		len = 0;
	struct pctx *c = xcalloc(1, sizeof *c);
	struct scenario *sc = xcalloc(1, sizeof *sc);
	c->sc = sc;
	c->recorded = flags & SC_PARSE_RECORDED;
	sc->path = xstrdup(path ? path : "<input>");

	const char *nul = len ? memchr(text, '\0', len) : NULL;
	if (len > SC_MAX_FILE) {
		hint(diag(c, 0, 0, "the file is larger than %u MiB", SC_MAX_FILE >> 20),
		     "a .lab file is a short text; is this the right file?");
	} else if (nul) {
		int line = 1, col = 1;
		for (const char *p = text; p < nul; p++) {
			col++;
			if (*p == '\n') {
				line++;
				col = 1;
			}
		}
		hint(diag(c, line, col, "this is not a text file (it has a NUL byte)"),
		     "a .lab file is plain text; is this the right file?");
	} else {
		run_pass(c, text, len, 1);
		sc->seed = FAULT_DEFAULT_SEED;
		run_pass(c, text, len, 2);
		end_process(c);
		if (c->fault_line) {
			if (c->network_bridge)
				hint(diag(c, c->fault_line, 1, "faults need the switch, and this lab says network bridge"),
				     "write: network switch (the kernel's bridge cannot lose or delay packets)");
			sc->switch_mode = true;
		}
		if (!c->title_line)
			hint(diag(c, 0, 0, "missing title"), "add a line like: title \"UDP echo\"");
		if (!c->host_lines)
			hint(diag(c, 0, 0, "no hosts"), "add one, e.g. host alice 192.0.2.1");
		if (!c->proc_lines) {
			hint(diag(c, 0, 0, "no processes"),
			     "add one, e.g. process client on alice, with its steps below it");
		} else if (sc->nprocs > 0) {
			bool fg = false;
			for (int i = 0; i < sc->nprocs; i++)
				fg |= !sc->procs[i].background;
			if (!fg)
				hint(diag(c, 0, 0, "every process is background, so none would run"),
				     "remove 'background' from at least one process");
		}
	}

	if (c->dn > 1)
		qsort(c->dl, (size_t)c->dn, sizeof *c->dl, diag_cmp);
	for (int i = 0; i < c->dn && i < SC_MAX_DIAGS; i++)
		diags->d[diags->n++] = c->dl[i].d;
	diags->total = c->dtotal;
	free(c->dl);
	free(c);
	if (diags->total) {
		scenario_free(sc);
		return NULL;
	}
	return sc;
}

/* ---- a fault line typed live ---- */

int scenario_parse_faults(const struct scenario *sc, const char *text, int *host, struct fault_cfg *out,
			  struct sc_diag *d)
{
	memset(out, 0, sizeof *out);
	memset(d, 0, sizeof *d);
	*host = -1;
	size_t len = strlen(text);
	if (len > SC_MAX_LINE || memchr(text, '\n', len)) {
		snprintf(d->msg, sizeof d->msg, "one line of at most %d bytes", SC_MAX_LINE);
		return -1;
	}
	struct pctx *c = xcalloc(1, sizeof *c);
	struct scenario *tmp = xcalloc(1, sizeof *tmp);
	tmp->nhosts = sc->nhosts;
	memcpy(tmp->hosts, sc->hosts, sizeof tmp->hosts);
	c->sc = tmp;
	c->line = 1;
	c->lp = text;
	c->llen = len;
	lex(c, true);
	if (c->n == 0 || (c->n == 1 && word_is(c, 0, "none"))) {
		/* no faults */
	} else if (word_is(c, 0, "link") && c->n == 3 && word_is(c, 2, "none")) {
		/* every field set, to nothing: the link's faults are gone */
		c->kw = "link";
		int h = c->toks[1].kind == TK_WORD ? find_host(c, c->toks[1].s) : -1;
		if (h < 0 && c->toks[1].kind == TK_WORD)
			unknown_host(c, 1, 0, c->toks[1].s);
		else if (h < 0)
			hint(err_at(c, 1, "expected a host name, found %s", show(c, 1)), "write: link alice none");
		*host = h;
		out->set = FAULT_SET_LOSS | FAULT_SET_DELAY | FAULT_SET_JITTER | FAULT_SET_DUP | FAULT_SET_REORDER |
			   FAULT_SET_RATE | FAULT_SET_DROP_NTH | FAULT_SET_HOLD_NTH;
	} else if (word_is(c, 0, "link")) {
		c->kw = "link";
		stmt_link(c);
		for (int h = 0; h < tmp->nhosts; h++)
			if (c->link_line[h]) {
				*host = h;
				*out = tmp->link_fault[h];
			}
	} else {
		int first = word_is(c, 0, "fault") ? 1 : 0;
		c->kw = "fault";
		c->usage = "loss 10% delay 200ms ... (every link), link HOST loss 10% ..., or none";
		fault_items(c, first, &tmp->fault);
		*out = tmp->fault;
	}
	int rc = 0;
	if (c->dn > 0) {
		*d = c->dl[0].d;
		rc = -1;
		*host = -1;
	}
	free(c->dl);
	free(c);
	free(tmp);
	return rc;
}

/* ---- files ---- */

/* A whole-file diagnostic (at 0:0) appended to diags. */
__attribute__((format(printf, 3, 4)))
static void file_diag(struct sc_diags *diags, const char *hnt, const char *fmt, ...)
{
	if (!diags)
		return;
	diags->total++;
	if (diags->n < 0 || diags->n >= SC_MAX_DIAGS)
		return;
	struct sc_diag *d = &diags->d[diags->n++];
	va_list ap;
	memset(d, 0, sizeof *d);
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	snprintf(d->hint, sizeof d->hint, "%s", hnt);
}

char *scenario_read_file(const char *path, size_t *lenp, struct sc_diags *diags)
{
	if (lenp)
		*lenp = 0;
	if (diags)
		memset(diags, 0, sizeof *diags);
	/* O_NONBLOCK: a FIFO with nobody writing must not hang the open */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		file_diag(diags, "", "cannot read %.100s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		file_diag(diags, "", "cannot read %.100s: %s", path, strerror(EISDIR));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		file_diag(diags, "give the path of a .lab text file", "%.100s is not a regular file", path);
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		file_diag(diags, "", "cannot read %.100s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *text = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > SC_MAX_FILE)
				break;
			cap *= 2;
			text = xreallocarray(text, cap + 1, 1);
		}
		size_t r = fread(text + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	int err = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (err) {
		file_diag(diags, "", "cannot read %.100s: %s", path, strerror(err));
		free(text);
		return NULL;
	}
	if (len > SC_MAX_FILE) {
		file_diag(diags, "a .lab file is a short text; is this the right file?",
			  "%.100s is larger than %u MiB", path, SC_MAX_FILE >> 20);
		free(text);
		return NULL;
	}
	text[len] = '\0';
	if (lenp)
		*lenp = len;
	return text;
}

struct scenario *scenario_load(const char *path, struct sc_diags *diags)
{
	return scenario_load_opts(path, diags, 0);
}

struct scenario *scenario_load_opts(const char *path, struct sc_diags *diags, unsigned flags)
{
	struct sc_diags local;
	size_t len;
	if (!diags)
		diags = &local;
	memset(diags, 0, sizeof *diags);
	char *text = scenario_read_file(path, &len, diags);
	if (!text)
		return NULL;
	struct scenario *sc = scenario_parse_opts(path, text, len, diags, flags);
	free(text);
	return sc;
}

/* The source line, safe to print: tabs as they are, controls, invisible
 * characters and bytes that are not UTF-8 escaped (util_printable_next);
 * the caret under the column counts what the line shows, one place per
 * character or escape. */
static void print_source(FILE *f, const char *text, size_t len, const struct sc_diag *d)
{
	const char *p = text, *end = text + len;
	for (int l = 1; l < d->line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (ll && p[ll - 1] == '\r')
		ll--;
	bool cut = ll > SC_MAX_LINE;
	if (cut)
		ll = SC_MAX_LINE;
	struct buf line = { 0 }, caret = { 0 };
	size_t col = d->col > 0 ? (size_t)d->col - 1 : 0;
	for (size_t i = 0; i < ll;) {
		size_t at = line.len, k;
		if (p[i] == '\t') {
			buf_addc(&line, '\t');
			k = 1;
		} else {
			k = util_printable_next(&line, p + i, ll - i, NULL);
		}
		if (i < col) {
			if (p[i] == '\t')
				buf_addc(&caret, '\t');
			else /* one place per character shown (escapes are ASCII) */
				for (size_t j = at; j < line.len; j++)
					if (((unsigned char)line.p[j] & 0xc0) != 0x80)
						buf_addc(&caret, ' ');
		}
		i += k;
	}
	for (size_t i = ll; i < col && i < SC_MAX_LINE + 1; i++)
		buf_addc(&caret, ' ');
	fprintf(f, "%5d | %s%s", d->line, line.p ? line.p : "", cut ? "...\n" : "\n");
	if (d->col >= 1)
		fprintf(f, "      | %s^\n", caret.p ? caret.p : "");
	buf_free(&line);
	buf_free(&caret);
}

void scenario_print_diags(FILE *f, const char *path, const char *text, size_t len,
			  const struct sc_diags *diags)
{
	if (!path)
		path = "<input>";
	if (!diags)
		return;
	int n = diags->n < SC_MAX_DIAGS ? diags->n : SC_MAX_DIAGS;
	/* the file's name and the words quoted from it, escaped like the line */
	char *name = util_printable(path);
	for (int i = 0; i < n; i++) {
		const struct sc_diag *d = &diags->d[i];
		char *msg = util_printable(d->msg), *hint = util_printable(d->hint);
		if (d->line > 0)
			fprintf(f, "%s:%d:%d: error: %s\n", name, d->line, d->col, msg);
		else
			fprintf(f, "%s: error: %s\n", name, msg);
		if (text && d->line > 0)
			print_source(f, text, len, d);
		if (hint[0])
			fprintf(f, "  hint: %s\n", hint);
		free(msg);
		free(hint);
	}
	free(name);
	if (diags->total > n)
		fprintf(f, "%d errors (only the first %d are shown)\n", diags->total, n);
	else
		fprintf(f, "%d error%s\n", diags->total, diags->total == 1 ? "" : "s");
}
