/* Helpers shared by the harnesses: in-memory files and a tour of a trace. */
#include "fuzz.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace.h"

FILE *fuzz_devnull(void)
{
	static FILE *f;
	if (!f) {
		f = fopen("/dev/null", "we");
		if (!f)
			abort();
	}
	return f;
}

static int fuzz_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fuzz_memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fuzz_write_all(fd, data, size) < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int fuzz_write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int rc = fuzz_write_all(fd, data, size);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Text outputs must be NUL-terminated inside their buffer: fill the buffer
 * with a marker first and check the terminator. */
static void fuzz_check_text(const char *out, size_t outlen)
{
	FUZZ_CHECK(memchr(out, '\0', outlen) != NULL);
}

void fuzz_exercise_trace(struct trace *t)
{
	char text[512], small[12];
	trace_update(t);
	size_t n = trace_nevents(t);
	int nprocs = trace_nprocs(t), ndoors = trace_ndoors(t), nmsgs = trace_nmsgs(t);
	int nhosts = trace_nhosts(t), npoints = trace_npoints(t);
	FUZZ_CHECK(trace_title(t) && trace_about(t) && trace_warning(t));

	for (int h = 0; h < nhosts; h++)
		FUZZ_CHECK(memchr(trace_host(t, h)->name, '\0', TR_NAME));
	for (int p = 0; p < nprocs; p++) {
		const struct tr_proc *pr = trace_proc(t, p);
		FUZZ_CHECK(pr->host >= 0 && pr->host < nhosts);
	}
	for (int i = 0; i < npoints; i++)
		FUZZ_CHECK(trace_point_name(t, i) != NULL);
	for (int d = 0; d < ndoors; d++) {
		const struct tr_door *door = trace_door(t, d);
		FUZZ_CHECK(door->proc >= -1 && door->proc < nprocs);
		FUZZ_CHECK(door->host >= -1 && door->host < nhosts);
		FUZZ_CHECK(door->parent >= -1 && door->parent < ndoors);
		trace_door_label(t, d, text, sizeof text);
		fuzz_check_text(text, sizeof text);
		trace_door_label(t, d, small, sizeof small);
		fuzz_check_text(small, sizeof small);
	}
	for (int m = 0; m < nmsgs; m++) {
		const struct tr_msg *msg = trace_msg(t, m);
		FUZZ_CHECK(msg->from >= -1 && msg->from < ndoors);
		FUZZ_CHECK(msg->to >= -1 && msg->to < ndoors);
		FUZZ_CHECK(msg->send_ev >= -1 && msg->send_ev < (long)n);
		FUZZ_CHECK(msg->first_pkt >= -1 && msg->first_pkt < (long)n);
		FUZZ_CHECK(msg->last_pkt >= -1 && msg->last_pkt < (long)n);
		FUZZ_CHECK(msg->first_recv >= -1 && msg->first_recv < (long)n);
		FUZZ_CHECK(msg->last_recv >= -1 && msg->last_recv < (long)n);
		(void)trace_msg_where(t, m, 0);
		(void)trace_msg_where(t, m, n / 2);
		(void)trace_msg_where(t, m, n);
	}

	for (size_t i = 0; i < n; i++) {
		const struct tr_event *e = trace_event(t, i);
		FUZZ_CHECK(e != NULL);
		FUZZ_CHECK(e->kind <= TR_PACKET);
		FUZZ_CHECK(e->proc >= -1 && e->proc < nprocs);
		FUZZ_CHECK(e->door >= -1 && e->door < ndoors);
		FUZZ_CHECK(e->peer >= -1 && e->peer < ndoors);
		FUZZ_CHECK(e->msg >= -1 && e->msg < nmsgs);
		if (e->kind == TR_PACKET) {
			struct dec_pkt d;
			uint32_t caplen, wirelen;
			int lt;
			(void)trace_packet_decode(t, e, &d);
			const uint8_t *p = trace_packet_bytes(t, e, &caplen, &wirelen, &lt);
			if (p) {
				FUZZ_CHECK(caplen == trace_event_caplen(e));
				/* touch every byte: ASan tells if they are not all there */
				volatile uint8_t sum = 0;
				for (uint32_t k = 0; k < caplen; k++)
					sum ^= p[k];
				(void)sum;
			}
		} else {
			FUZZ_CHECK(e->proc >= 0);
			FUZZ_CHECK(trace_call(t, e) != NULL || e->kind == TR_SPAWN);
		}
		(void)trace_is_step(t, i);
		/* captions look back for a say: keep the tour linear in n */
		if (i < 256 || i + 256 > n) {
			memset(text, 'x', sizeof text);
			trace_event_text(t, i, text, sizeof text);
			fuzz_check_text(text, sizeof text);
			memset(text, 'x', sizeof text);
			trace_caption(t, i, text, sizeof text);
			fuzz_check_text(text, sizeof text);
			trace_event_text(t, i, small, sizeof small);
			fuzz_check_text(small, sizeof small);
		}
	}
	FUZZ_CHECK(trace_event(t, n) == NULL);

	/* stepping forward and back ends, and stays in range */
	size_t i = 0, k = 0;
	for (; k <= n; k++) {
		size_t j = trace_next_step(t, i);
		if (j == i)
			break;
		FUZZ_CHECK(j > i && j < n);
		i = j;
	}
	FUZZ_CHECK(k <= n);
	for (k = 0; k <= n; k++) {
		size_t j = trace_prev_step(t, i);
		if (j == i)
			break;
		FUZZ_CHECK(j < i);
		i = j;
	}
	FUZZ_CHECK(k <= n);

	(void)trace_index_bytes(t);
	trace_print_ladder(t, fuzz_devnull(), 0);
	trace_print_ladder(t, fuzz_devnull(), 40); /* the others column */
	trace_print_json(t, fuzz_devnull());
	fflush(fuzz_devnull());
}
