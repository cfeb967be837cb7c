/* pcapfile — reading pcap and pcapng capture files, writing pcapng.
 *
 * Formats: classic pcap (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/)
 * and pcapng (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/).
 *
 * The reader takes files from strangers: every length is checked against the
 * block it sits in before a byte is read, nothing in the file is cast to a
 * struct, and a malformed file ends in a clear error, never a crash or an
 * endless loop. A regular file is mmapped read-only and packets are handed
 * out without a copy (the pages read are given back as reading moves on:
 * at most a few tens of MiB of the file are mapped at a time); a stream
 * (pipe, FIFO) is first copied to an unlinked temporary file and read the
 * same way; files that cannot be mapped are read with pread() into a
 * buffer. pcapfile_next() allocates nothing per packet.
 *
 * A file that ends in the middle of a record (an interrupted recording) is
 * not an error: every complete packet is returned, then pcapfile_next()
 * returns 0 and pcapfile_warning() says where the file was cut.
 *
 * Packets carry the file offset of their data, so an index can keep a few
 * bytes per packet and read the bytes back later with pcapfile_read_at() or
 * pcapfile_data_at().
 *
 * The writer produces pcapng: one section, interfaces with nanosecond
 * timestamps, Enhanced Packet Blocks with an optional comment. Each block is
 * written with one write() of the complete block, so a recording that is
 * interrupted stays readable up to its last complete packet. */
#ifndef DOORWAY_PCAPFILE_H
#define DOORWAY_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest captured length accepted for one packet, and largest snapshot
 * length accepted in a file or interface header (256 KiB, like libpcap). */
#define PCAPFILE_MAX_CAPLEN 262144u
/* Largest pcapng block accepted (packet plus options and comments). */
#define PCAPFILE_MAX_BLOCK (16u * 1024 * 1024)
/* Most interfaces in one pcapng section (numbered from 0 in each section). */
#define PCAPFILE_MAX_IFACES 4096u
/* Most different interface descriptions in one file: a section describing
 * its interfaces as the section before did (concatenated captures) adds
 * none, so any number of such sections is read. */
#define PCAPFILE_MAX_IFDESC 65535u
/* Interface names and descriptions are cut to this many bytes. */
#define PCAPFILE_MAX_IFSTR 255u

enum pcapfile_format {
	PCAPFILE_PCAP,   /* classic libpcap format (µs or ns) */
	PCAPFILE_PCAPNG, /* pcapng */
};

struct pcapfile;

struct pcapfile_pkt {
	uint64_t ts_ns;   /* nanoseconds since the epoch (0 for Simple Packet Blocks) */
	uint64_t offset;  /* file offset of the packet data, for pcapfile_read_at() */
	uint64_t number;  /* 1 for the first packet of the file */
	const uint8_t *data; /* caplen bytes; see pcapfile_next() for lifetime */
	/* First opt_comment of the packet: raw bytes from the file (meant to
	 * be UTF-8, not NUL-terminated, not sanitised: escape before display).
	 * NULL and 0 when the packet has none. Same lifetime as data. */
	const char *comment;
	uint32_t comment_len;
	uint32_t caplen;  /* bytes captured (data) */
	uint32_t wirelen; /* bytes on the wire (may be more than caplen) */
	uint32_t ifindex; /* index into the interface list, over all sections */
	uint32_t flags;   /* epb_flags (direction, reception type), 0 if absent */
	int linktype;     /* LINKTYPE_* of the interface (without FCS bits) */
};

/* Open a capture file. NULL and a message in err (UTIL_ERRLEN bytes) when the
 * file cannot be opened or its header is not a pcap/pcapng header, e.g.
 * "capture.pcap: not a pcap or pcapng file (magic 0x12345678)". */
struct pcapfile *pcapfile_open(const char *path, char *err);
/* Same over an open descriptor, which the pcapfile then owns (it is closed by
 * pcapfile_close, and on failure). name is used in messages. flags:
 * PCAPFILE_NOMAP reads a regular file with pread() instead of mapping it
 * (for a file another process may shorten while it is open: a mapped file
 * that shrinks raises SIGBUS). */
#define PCAPFILE_NOMAP 0x1
/* A stream (pipe, FIFO...) is normally copied to an unlinked temporary file
 * first, then read like a file; PCAPFILE_NOSPILL keeps it in memory. */
#define PCAPFILE_NOSPILL 0x2
struct pcapfile *pcapfile_open_fd(int fd, const char *name, int flags, char *err);
void pcapfile_close(struct pcapfile *pf);

/* Next packet: 1 and *pkt filled, 0 at the end of the file (check
 * pcapfile_warning() for a cut-off last record), -1 on a malformed file
 * (pcapfile_error() tells what and where, e.g. "capture.pcapng: packet 17 at
 * offset 4096: captured length 300000 exceeds the maximum 262144"). An error
 * is final: later calls return -1 again. pkt->data and pkt->comment stay valid
 * until pcapfile_close() when the file is mapped (pcapfile_is_mapped()),
 * otherwise until the next call to pcapfile_next() or pcapfile_data_at().
 * Interface description blocks met on the way are added to the interface
 * list, so the list is complete once pcapfile_next() has returned 0. */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt);

/* Copy caplen bytes at file offset (a pkt->offset) into out. 0, or -1 with a
 * message in pcapfile_error() (a range outside the file does not make the
 * reader fail: pcapfile_next() goes on). */
int pcapfile_read_at(struct pcapfile *pf, uint64_t offset, uint32_t caplen, uint8_t *out);
/* Same without a copy when mapped; otherwise the bytes are read into an
 * internal buffer valid until the next call. NULL on error. */
const uint8_t *pcapfile_data_at(struct pcapfile *pf, uint64_t offset, uint32_t caplen);

/* The message of the last failure, "" if none. */
const char *pcapfile_error(const struct pcapfile *pf);
/* Why the file ended early, NULL if it ended cleanly, e.g. "capture.pcapng:
 * the file ends in the middle of packet 5 at offset 612 (28 of 96 bytes);
 * the recording was probably interrupted". */
const char *pcapfile_warning(const struct pcapfile *pf);

enum pcapfile_format pcapfile_format(const struct pcapfile *pf);
bool pcapfile_is_mapped(const struct pcapfile *pf);
uint64_t pcapfile_size(const struct pcapfile *pf); /* 0 when not known (pipe) */
/* Number of packets returned so far. */
uint64_t pcapfile_packets(const struct pcapfile *pf);

/* Interfaces seen so far. A classic pcap file has exactly one, with no name.
 * Indexes are pkt->ifindex: they count over all pcapng sections. Strings are
 * never NULL ("" when absent) and have control characters replaced by '?'. */
uint32_t pcapfile_if_count(const struct pcapfile *pf);
const char *pcapfile_if_name(const struct pcapfile *pf, uint32_t i);
const char *pcapfile_if_description(const struct pcapfile *pf, uint32_t i);
int pcapfile_if_linktype(const struct pcapfile *pf, uint32_t i);
uint32_t pcapfile_if_snaplen(const struct pcapfile *pf, uint32_t i); /* 0: none */
/* Bytes of frame check sequence at the end of each packet, -1 if unknown. */
int pcapfile_if_fcs_len(const struct pcapfile *pf, uint32_t i);
/* Timestamp resolution in ticks per second (10^n or 2^n; 10^6 for µs pcap). */
uint64_t pcapfile_if_ticks_per_sec(const struct pcapfile *pf, uint32_t i);
/* pcapng section the interface belongs to (0 for the first). */
uint32_t pcapfile_if_section(const struct pcapfile *pf, uint32_t i);
/* The first interface of the file described exactly as interface i (same
 * name, description, link type, snapshot length, timestamps, FCS) in the
 * section before it, and so on back: i itself when it is the first. A
 * reader that keeps one thing per interface keeps one per first
 * interface; there are at most PCAPFILE_MAX_IFDESC of them. */
uint32_t pcapfile_if_first(const struct pcapfile *pf, uint32_t i);

/* ---- writer ---- */

struct pcapng_writer;

/* Create (truncate) path and write the Section Header Block, whose
 * shb_userappl is "doorway". NULL and a message in err on failure. */
struct pcapng_writer *pcapng_writer_open(const char *path, char *err);
/* Same on an open descriptor, which stays the caller's (not closed by
 * pcapng_writer_close). name is used in messages. */
struct pcapng_writer *pcapng_writer_open_fd(int fd, const char *name, char *err);

/* Add an interface (Interface Description Block with if_name, if_description
 * — either may be NULL — and if_tsresol 9). Returns its id (0, 1, ...) for
 * pcapng_writer_packet, or -1 (see pcapng_writer_error). */
int pcapng_writer_add_if(struct pcapng_writer *w, const char *name,
			 const char *description, int linktype, uint32_t snaplen);

/* Write one Enhanced Packet Block: ts_ns since the epoch, caplen bytes of
 * data (at most PCAPFILE_MAX_CAPLEN and at most wirelen), an optional
 * opt_comment (NULL or "" for none; cut to 65535 bytes at a UTF-8
 * boundary). 0, or -1 (see pcapng_writer_error); after a failed write()
 * every later call fails too. */
int pcapng_writer_packet(struct pcapng_writer *w, uint32_t ifid, uint64_t ts_ns,
			 const uint8_t *data, uint32_t caplen, uint32_t wirelen,
			 const char *comment);

/* Hold whole blocks in memory until bytes of them wait (0, the default:
 * write every block at once), then write them in one go. What is held is
 * written by pcapng_writer_flush and pcapng_writer_close; a crash loses
 * it, and the file still ends on a block boundary. */
void pcapng_writer_set_hold(struct pcapng_writer *w, size_t bytes);
/* Write the held blocks now. 0, or -1 (see pcapng_writer_error). */
int pcapng_writer_flush(struct pcapng_writer *w);
/* Bytes held, not written yet. */
size_t pcapng_writer_pending(const struct pcapng_writer *w);

/* The message of the last failure, "" if none. */
const char *pcapng_writer_error(const struct pcapng_writer *w);

/* Close the file (when the writer opened it) and free w. 0, or -1 with a
 * message in err (may be NULL) when a write() failed during the writer's
 * life (the recording is incomplete) or close() fails. */
int pcapng_writer_close(struct pcapng_writer *w, char *err);

#endif
