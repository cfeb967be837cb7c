/* Fuzz the packet decoders over every link type, then the text made from
 * the result. Input: byte 0 picks the link type (the ten known ones, or an
 * unknown one), byte 1 how the wire length relates to the captured length
 * (equal, longer, shorter, huge); the rest is the frame. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"

static const int fuzz_links[] = {
	DEC_DLT_NULL, DEC_DLT_EN10MB, DEC_DLT_RAW_BSD, DEC_DLT_RAW_OPENBSD, DEC_DLT_RAW,
	DEC_DLT_LOOP, DEC_DLT_LINUX_SLL, DEC_DLT_IPV4, DEC_DLT_IPV6, DEC_DLT_LINUX_SLL2,
};
#define FUZZ_NLINKS (sizeof fuzz_links / sizeof fuzz_links[0])
#define FUZZ_MAXF 128

int fuzz_decode(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int lt = data[0] < 0xf0 ? fuzz_links[data[0] % FUZZ_NLINKS] : 0xf000 + data[0];
	uint8_t w = data[1];
	/* the frame gets its own allocation so ASan sees a read past its end */
	size_t n = size - 2;
	uint8_t *frame = malloc(n ? n : 1);
	if (!frame)
		abort();
	memcpy(frame, data + 2, n);
	uint32_t caplen = (uint32_t)n, wirelen;
	switch (w & 3) {
	case 0: wirelen = caplen; break;
	case 1: wirelen = caplen + (uint32_t)(w >> 2) * 37u; break;
	case 2: wirelen = w >> 2; break; /* a file may say less than was captured */
	default: wirelen = 0xffffffffu; break;
	}

	struct dec_pkt *pk = malloc(sizeof *pk);
	if (!pk)
		abort();
	memset(pk, 0xa5, sizeof *pk); /* decode_packet must set what it reports */
	enum dec_status st = decode_packet(lt, frame, caplen, wirelen, pk);
	FUZZ_CHECK(st == pk->status);
	FUZZ_CHECK(st == DEC_OK || st == DEC_TRUNC || st == DEC_INVALID);
	FUZZ_CHECK(memchr(pk->why, '\0', sizeof pk->why) != NULL);
	/* offsets are 16-bit: decode_packet looks at the first 65535 bytes */
	FUZZ_CHECK(pk->caplen == (caplen > 0xffff ? 0xffff : caplen));
	caplen = pk->caplen;
	/* the payload is within the captured bytes; so are the headers of a
	 * packet that decoded OK (a cut or impossible one may give a header
	 * the length its fields claim) */
	FUZZ_CHECK((uint64_t)pk->payload_off + pk->payload_len <= caplen);
	if (st == DEC_OK) {
		FUZZ_CHECK((uint64_t)pk->link_off + pk->link_len <= caplen);
		if (pk->family)
			FUZZ_CHECK((uint64_t)pk->net_off + pk->net_len <= caplen);
		FUZZ_CHECK((uint64_t)pk->tp_off + pk->tp_len <= caplen);
	}
	FUZZ_CHECK(pk->nvlan <= DEC_MAX_VLAN);
	FUZZ_CHECK(pk->ext_hdrs <= DEC_MAX_EXT);
	FUZZ_CHECK(pk->ntcpopt <= DEC_MAX_TCPOPT);
	FUZZ_CHECK(pk->nsack <= 4);
	if (pk->has_inner && st == DEC_OK)
		FUZZ_CHECK((uint64_t)pk->inner.off + pk->inner.len <= caplen);

	char sum[256], tiny[5];
	memset(sum, 'x', sizeof sum);
	decode_summary(pk, sum, sizeof sum);
	FUZZ_CHECK(memchr(sum, '\0', sizeof sum) != NULL);
	decode_summary(pk, tiny, sizeof tiny);
	FUZZ_CHECK(memchr(tiny, '\0', sizeof tiny) != NULL);

	struct dec_field *f = malloc(FUZZ_MAXF * sizeof *f);
	if (!f)
		abort();
	size_t nf = decode_fields(pk, frame, f, FUZZ_MAXF);
	FUZZ_CHECK(nf <= FUZZ_MAXF);
	for (size_t i = 0; i < nf; i++) {
		FUZZ_CHECK(f[i].layer >= DEC_LAYER_LINK && f[i].layer <= DEC_LAYER_APP);
		FUZZ_CHECK(memchr(f[i].name, '\0', sizeof f[i].name) != NULL);
		FUZZ_CHECK(memchr(f[i].value, '\0', sizeof f[i].value) != NULL);
		/* "fields whose bytes were not captured are left out" */
		FUZZ_CHECK((uint64_t)f[i].off + f[i].len <= caplen);
	}
	/* fewer slots than fields, and no packet bytes at hand */
	FUZZ_CHECK(decode_fields(pk, frame, f, 3) <= 3);
	FUZZ_CHECK(decode_fields(pk, NULL, f, FUZZ_MAXF) <= FUZZ_MAXF);
	(void)decode_fields(pk, frame, f, 0);

	(void)decode_linktype_ok(lt);
	(void)decode_linktype_name(lt);
	(void)decode_status_name(st);
	free(f);
	free(pk);
	free(frame);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decode(data, size);
}
#endif
