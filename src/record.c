#include "record.h"

#include <errno.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "pcapfile.h"
#include "run.h"
#include "scenario.h"
#include "trace.h"
#include "util.h"

#define RECORD_LINE_MAX (64 * 1024)

struct record {
	char dir[PATH_MAX];
	struct pcapng_writer *w;
	FILE *jsonl;
	uint32_t *ifid;     /* capture point -> pcapng interface id */
	int npoints;
};

static int record_mkdirs(const char *path, char *err)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return util_err(err, "create %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return util_err(err, "create %s: %s", tmp, strerror(errno));
	return 0;
}

static int record_copy(const char *from, const char *to, char *err)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return util_err(err, "read %s: %s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return util_err(err, "create %s: %s", to, strerror(errno));
	}
	char b[8192];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, b, sizeof b)) > 0)
		if (util_write_all(out, b, (size_t)n) < 0) {
			rc = util_err(err, "write %s: %s", to, strerror(errno));
			break;
		}
	close(in);
	if (close(out) < 0 && rc == 0)
		rc = util_err(err, "write %s: %s", to, strerror(errno));
	return rc;
}

struct record *record_open(const char *dir, const char *scenario_path, char *err)
{
	struct record *r = xcalloc(1, sizeof *r);
	if (dir) {
		snprintf(r->dir, sizeof r->dir, "%s", dir);
	} else {
		const char *state = getenv("XDG_STATE_HOME");
		const char *home = getenv("HOME");
		char base[PATH_MAX];
		if (state && state[0] == '/')
			snprintf(base, sizeof base, "%s/doorway/runs", state);
		else if (home && home[0] == '/')
			snprintf(base, sizeof base, "%s/.local/state/doorway/runs", home);
		else {
			free(r);
			util_err(err, "no place for run folders: set XDG_STATE_HOME or HOME, or use --record DIR");
			return NULL;
		}
		const char *slash = strrchr(scenario_path, '/');
		char lesson[64];
		snprintf(lesson, sizeof lesson, "%s", slash ? slash + 1 : scenario_path);
		char *dot = strrchr(lesson, '.');
		if (dot)
			*dot = '\0';
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		char stamp[32];
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		snprintf(r->dir, sizeof r->dir, "%.3000s/%s-%s", base, stamp, lesson);
		/* two runs in the same second get their own folders */
		struct stat st;
		size_t l = strlen(r->dir);
		for (int k = 2; stat(r->dir, &st) == 0 && k < 1000; k++)
			snprintf(r->dir + l, sizeof r->dir - l, "-%d", k);
	}
	if (record_mkdirs(r->dir, err) < 0) {
		free(r);
		return NULL;
	}
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/scenario.lab", r->dir);
	if (record_copy(scenario_path, path, err) < 0) {
		free(r);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/capture.pcapng", r->dir);
	r->w = pcapng_writer_open(path, err);
	if (!r->w) {
		free(r);
		return NULL;
	}
	/* packets go out in batches (record_flush, or when this much waits):
	 * a write() per packet would cost the switch a third of its time */
	pcapng_writer_set_hold(r->w, RECORD_HOLD_BYTES);
	snprintf(path, sizeof path, "%s/trace.jsonl", r->dir);
	r->jsonl = fopen(path, "we");
	if (!r->jsonl) {
		util_err(err, "create %s: %s", path, strerror(errno));
		pcapng_writer_close(r->w, NULL);
		free(r);
		return NULL;
	}
	return r;
}

const char *record_dir(const struct record *r) { return r->dir; }

bool record_pending(const struct record *r) { return pcapng_writer_pending(r->w) > 0; }

void record_flush(struct record *r) { pcapng_writer_flush(r->w); }

void record_add_point(struct record *r, const char *name, const char *ifname, int linktype)
{
	char desc[128];
	snprintf(desc, sizeof desc, "doorway capture point \"%s\" (interface %s)", name, ifname);
	int id = pcapng_writer_add_if(r->w, name, desc, linktype, 262144);
	r->ifid = xreallocarray(r->ifid, (size_t)r->npoints + 1, sizeof *r->ifid);
	r->ifid[r->npoints++] = id < 0 ? 0 : (uint32_t)id;
}

static const char *record_host_name(const struct scenario *sc, int family, const uint8_t *a)
{
	for (int h = 0; h < sc->nhosts; h++) {
		const struct sc_host *x = &sc->hosts[h];
		if (family == AF_INET && x->has4 && !memcmp(x->addr4.bytes, a, 4))
			return x->name;
		if (family == AF_INET6 && x->has6 && !memcmp(x->addr6.bytes, a, 16))
			return x->name;
	}
	return NULL;
}

void record_packet(struct record *r, const struct scenario *sc, int point, uint64_t ts_ns,
		   const uint8_t *data, uint32_t caplen, uint32_t wirelen, int linktype)
{
	if (point < 0 || point >= r->npoints)
		return;
	struct dec_pkt d;
	decode_packet(linktype, data, caplen, wirelen, &d);
	char comment[160] = "";
	if (d.family) {
		const char *a = record_host_name(sc, d.family, d.src), *b = record_host_name(sc, d.family, d.dst);
		if (a || b)
			snprintf(comment, sizeof comment, "from %s to %s", a ? a : "outside the lab", b ? b : "outside the lab");
	}
	pcapng_writer_packet(r->w, r->ifid[point], ts_ns, data, caplen, wirelen, comment[0] ? comment : NULL);
}

static const char *record_kind(int k)
{
	static const char *names[] = { "spawn", "call", "wait", "exec", "output", "exit", "end" };
	return k >= 0 && k < 7 ? names[k] : "?";
}

void record_run_event(struct record *r, const struct run_event *e)
{
	if (e->kind == RUN_EV_END)
		return;
	struct buf b = { 0 };
	buf_addstr(&b, "{\"rec\":");
	buf_json_str(&b, record_kind(e->kind), strlen(record_kind(e->kind)));
	buf_printf(&b, ",\"proc\":%d,\"t_ns\":%llu,\"pid\":%d,\"status\":%d,\"failed\":%d",
		   e->proc, (unsigned long long)e->t_ns, (int)e->pid, e->status,
		   e->failed ? 1 : 0);
	if (e->text) {
		buf_addstr(&b, ",\"text\":");
		buf_json_str(&b, e->text, e->len);
	}
	if (e->msg) {
		/* the agent's report, byte for byte: a replay is exactly the run */
		buf_addstr(&b, ",\"msg\":\"");
		const uint8_t *p = (const uint8_t *)e->msg;
		for (size_t i = 0; i < sizeof *e->msg; i++)
			buf_printf(&b, "%02x", p[i]);
		buf_addc(&b, '"');
	}
	buf_addstr(&b, "}\n");
	fputs(b.p, r->jsonl);
	fflush(r->jsonl);
	buf_free(&b);
}

void record_owner(struct record *r, int host, int proto, int family, unsigned port, int proc)
{
	fprintf(r->jsonl, "{\"rec\":\"owner\",\"host\":%d,\"proto\":%d,\"family\":%d,\"port\":%u,\"proc\":%d}\n",
		host, proto, family, port, proc);
	fflush(r->jsonl);
}

void record_finish(struct record *r, struct trace *t)
{
	for (int m = 0; m < trace_nmsgs(t); m++) {
		const struct tr_msg *msg = trace_msg(t, m);
		fprintf(r->jsonl, "{\"rec\":\"message\",\"msg\":%d,\"from\":%d,\"to\":%d,\"bytes\":%llu,\"packets\":%d,"
			"\"retransmitted\":%d,\"recvs\":%d}\n", m, msg->from, msg->to,
			(unsigned long long)msg->bytes, msg->npkts, msg->nretrans, msg->nrecv);
	}
	fflush(r->jsonl);
	pcapng_writer_flush(r->w);
}

void record_discard(struct record *r)
{
	static const char *files[] = { "scenario.lab", "capture.pcapng", "trace.jsonl" };
	char path[PATH_MAX + 32];
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", r->dir);
	record_close(r);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(files); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/hosts", dir); /* the homes' folder, empty before any process ran */
	rmdir(path);
	rmdir(dir);
}

void record_close(struct record *r)
{
	if (!r)
		return;
	if (r->w)
		pcapng_writer_close(r->w, NULL);
	if (r->jsonl)
		fclose(r->jsonl);
	free(r->ifid);
	free(r);
}

/* ---- reading ------------------------------------------------------------- */

static int record_hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value of "key": in one of our own flat JSON lines. */
static const char *record_find(const char *line, const char *key)
{
	char pat[48];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(line, pat);
	return p ? p + strlen(pat) : NULL;
}

static long long record_num(const char *line, const char *key, long long dflt)
{
	const char *p = record_find(line, key);
	return p ? strtoll(p, NULL, 10) : dflt;
}

static unsigned long long record_unum(const char *line, const char *key)
{
	const char *p = record_find(line, key);
	return p ? strtoull(p, NULL, 10) : 0;
}

/* A JSON string we wrote (escapes \" \\ \n \r \t \u00XX) into out. */
static size_t record_str(const char *line, const char *key, char *out, size_t outlen)
{
	const char *p = record_find(line, key);
	size_t o = 0;
	if (!p || *p != '"' || !outlen)
		return 0;
	for (p++; *p && *p != '"' && o + 1 < outlen; p++) {
		char c = *p;
		if (c == '\\' && p[1]) {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				/* \u00XX as we write it; stop at the line's end */
				unsigned v = 0;
				int k = 0;
				for (; k < 4 && record_hexval(p[1 + k]) >= 0; k++)
					v = v << 4 | (unsigned)record_hexval(p[1 + k]);
				p += k;
				c = (char)v;
				break;
			}
			default: c = *p;
			}
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* n bytes written as 2n hex digits in quotes; never reads past the line. */
static bool record_hex(const char *line, const char *key, void *out, size_t n)
{
	const char *p = record_find(line, key);
	if (!p || *p != '"')
		return false;
	p++;
	uint8_t *o = out;
	for (size_t i = 0; i < n; i++) {
		int hi = record_hexval(p[2 * i]);
		if (hi < 0)
			return false; /* also stops at the line's end */
		int lo = record_hexval(p[2 * i + 1]);
		if (lo < 0)
			return false;
		o[i] = (uint8_t)(hi << 4 | lo);
	}
	return p[2 * n] == '"';
}

/* A recorded report comes from a file, not from our agent: keep only what
 * agrees with the scenario (socket indices from the step itself, lengths
 * and address families within bounds), so nothing downstream indexes
 * outside its tables. */
#define RECORD_SOCK_MAX (1 << 24) /* a traced program's sockets */

static void record_msg_sane(const struct scenario *sc, int proc, struct ctl_msg *m)
{
	if (m->datalen > CTL_DATA_MAX)
		m->datalen = CTL_DATA_MAX;
	const struct sc_proc *sp = proc >= 0 && proc < sc->nprocs ? &sc->procs[proc] : NULL;
	if (m->call) {
		/* a traced program's call: its sockets are numbered as they came */
		m->step = -1;
		if (m->call - 1 > SC_SETSOCKOPT)
			m->call = 0;
		if (m->sock < -1 || m->sock > RECORD_SOCK_MAX)
			m->sock = -1;
		if (m->new_sock < -1 || m->new_sock > RECORD_SOCK_MAX)
			m->new_sock = -1;
		if (m->status < 0 || m->status > SC_OPT_NODELAY)
			m->status = 0;
	} else if (sp && m->step >= 0 && m->step < sp->nsteps) {
		m->sock = sp->steps[m->step].sock;
		m->new_sock = sp->steps[m->step].new_sock;
	} else {
		m->sock = m->new_sock = -1;
	}
	if (m->local.ss_family != AF_INET && m->local.ss_family != AF_INET6)
		m->local.ss_family = 0;
	if (m->remote.ss_family != AF_INET && m->remote.ss_family != AF_INET6)
		m->remote.ss_family = 0;
	m->proc = (uint16_t)proc;
}

struct trace *record_load(const char *dir, char *err)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/scenario.lab", dir);
	struct sc_diags d = { 0 };
	struct scenario *sc = scenario_load_opts(path, &d, SC_PARSE_RECORDED);
	if (!sc) {
		util_err(err, "%s: %s", path, d.n ? d.d[0].msg : "cannot read the scenario");
		return NULL;
	}
	struct trace *t = trace_new();
	trace_own_scenario(t, sc);

	snprintf(path, sizeof path, "%s/capture.pcapng", dir);
	struct pcapfile *pf = pcapfile_open(path, err);
	if (!pf) {
		trace_free(t);
		return NULL;
	}
	/* interfaces are named after their capture point: "alice", "alice lo" */
	struct pcapfile_pkt k;
	int rc;
	int *pointof = NULL;
	uint32_t npoint = 0;
	while ((rc = pcapfile_next(pf, &k)) == 1) {
		while (npoint < pcapfile_if_count(pf)) {
			uint32_t first = pcapfile_if_first(pf, npoint);
			pointof = xreallocarray(pointof, npoint + 1, sizeof *pointof);
			if (first < npoint) { /* described as before: the same point */
				pointof[npoint] = pointof[first];
				npoint++;
				continue;
			}
			const char *name = pcapfile_if_name(pf, npoint);
			int host = -1;
			bool lo = strlen(name) > 3 && !strcmp(name + strlen(name) - 3, " lo");
			for (int h = 0; h < sc->nhosts; h++)
				if (!strncmp(name, sc->hosts[h].name, strlen(sc->hosts[h].name)) &&
				    (name[strlen(sc->hosts[h].name)] == '\0' || lo))
					host = h;
			pointof[npoint] = trace_add_point(t, name, host, lo, pcapfile_if_linktype(pf, npoint));
			npoint++;
		}
		if (k.ifindex < npoint)
			trace_add_packet(t, pointof[k.ifindex], k.ts_ns, k.data, k.caplen, k.wirelen);
	}
	if (rc < 0) {
		util_err(err, "%s", pcapfile_error(pf));
		free(pointof);
		pcapfile_close(pf);
		trace_free(t);
		return NULL;
	}
	free(pointof);
	pcapfile_close(pf);

	snprintf(path, sizeof path, "%s/trace.jsonl", dir);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* a FIFO must not hang us */
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0 && errno == 0)
			errno = EINVAL;
		util_err(err, "read %s: %s", path, fd >= 0 ? "not a regular file" : strerror(errno));
		if (fd >= 0)
			close(fd);
		trace_free(t);
		return NULL;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		util_err(err, "read %s: %s", path, strerror(errno));
		close(fd);
		trace_free(t);
		return NULL;
	}
	char *line = xmalloc(RECORD_LINE_MAX);
	char *text = xmalloc(RECORD_LINE_MAX);
	int lineno = 0;
	bool cut = false;
	while (fgets(line, RECORD_LINE_MAX, f)) {
		lineno++;
		size_t ll = strlen(line);
		if (ll == 0 || line[ll - 1] != '\n') {
			/* the writer was interrupted inside this record: what came
			 * before is whole, this one is not */
			cut = true;
			break;
		}
		char kind[16];
		if (!record_str(line, "rec", kind, sizeof kind))
			continue;
		static const struct { const char *name; enum run_ev_kind k; } kinds[] = {
			{ "spawn", RUN_EV_SPAWN }, { "call", RUN_EV_CALL }, { "wait", RUN_EV_WAIT },
			{ "exec", RUN_EV_EXEC }, { "output", RUN_EV_OUTPUT }, { "exit", RUN_EV_EXIT },
		};
		if (!strcmp(kind, "owner")) {
			long long h = record_num(line, "host", -1), pr = record_num(line, "proc", -1);
			long long proto = record_num(line, "proto", 0), fam = record_num(line, "family", 0);
			long long port = record_num(line, "port", -1);
			if (h >= 0 && h < sc->nhosts && pr >= 0 && pr < sc->nprocs && port >= 0 && port <= 65535 &&
			    (proto == IPPROTO_TCP || proto == IPPROTO_UDP) && (fam == AF_INET || fam == AF_INET6))
				trace_set_owner(t, (int)h, (int)proto, (int)fam, (uint16_t)port, (int)pr);
			continue;
		}
		int ki = -1;
		for (size_t i = 0; i < UTIL_ARRAY_LEN(kinds); i++)
			if (!strcmp(kind, kinds[i].name))
				ki = (int)i;
		if (ki < 0)
			continue; /* messages: recomputed */
		struct run_event e = { .kind = kinds[ki].k };
		struct ctl_msg m;
		e.proc = (int)record_num(line, "proc", -1);
		e.t_ns = record_unum(line, "t_ns");
		e.pid = (pid_t)record_num(line, "pid", 0);
		e.status = (int)record_num(line, "status", 0);
		e.failed = record_num(line, "failed", 0) != 0;
		e.step = -1;
		size_t tl = record_str(line, "text", text, RECORD_LINE_MAX);
		if (record_find(line, "text")) {
			e.text = text;
			e.len = tl;
		}
		if (record_find(line, "msg")) {
			if (!record_hex(line, "msg", &m, sizeof m)) {
				util_err(err, "%s:%d: a call record that does not fit this doorway (recorded by another version?)",
					 path, lineno);
				goto bad;
			}
			e.msg = &m;
			e.step = m.step;
			record_msg_sane(sc, e.proc, &m);
		}
		if (e.proc < 0 || e.proc >= sc->nprocs ||
		    (e.msg && (m.step < -1 || m.step >= sc->procs[e.proc].nsteps))) {
			util_err(err, "%s:%d: the record does not match scenario.lab", path, lineno);
			goto bad;
		}
		if ((e.kind == RUN_EV_CALL || e.kind == RUN_EV_WAIT || e.kind == RUN_EV_EXEC) && !e.msg) {
			util_err(err, "%s:%d: a call record without its report", path, lineno);
			goto bad;
		}
		trace_add_run_event(t, &e);
	}
	free(line);
	free(text);
	fclose(f);
	if (cut) {
		char w[512];
		snprintf(w, sizeof w, "%.200s:%d: the last record is cut short (the recording was interrupted); "
			 "showing the records before it", path, lineno);
		trace_set_warning(t, w);
	}
	trace_update(t);
	return t;
bad:
	free(line);
	free(text);
	fclose(f);
	trace_free(t);
	return NULL;
}
