/*
 * vmxroot's recent log lines on the status page (docs/status-page.md,
 * "Version 1.2: the log ring"): one page at the end of the area, a 64-byte
 * header and 31 slots of 128 bytes, each the text of one line as the log
 * printed it (without its newline, NUL-padded, cut to the slot). A guest that
 * owns the UART (and so no longer sees vmxroot's lines on its console, or
 * sees them mixed with its own) reads them here with plain loads.
 *
 * The block has its own seqlock generation and CRC-32C in its first 8 bytes,
 * like the 1.1 guest blocks (core/status_area.h): the checksum covers the
 * whole block, so a reader that copies it and finds the generation even and
 * the checksum right has the ring as one write left it. Writers are
 * serialized by the caller (the console lock: the ring is one of the log's
 * consoles, core/status_log.c). Pure logic, no hardware: host-tested.
 */
#ifndef CORE_STATUS_LOG_RING_H
#define CORE_STATUS_LOG_RING_H

#include "core/lib/compiler.h"

#define STATUS_LOG_RING_BYTES 4096u
#define STATUS_LOG_RING_HEADER_BYTES 64u
#define STATUS_LOG_LINE_BYTES 128u
#define STATUS_LOG_LINES ((STATUS_LOG_RING_BYTES - STATUS_LOG_RING_HEADER_BYTES) / STATUS_LOG_LINE_BYTES)
/* The bytes under the checksum: the header and every slot (the rest of the page stays zero). */
#define STATUS_LOG_RING_COVERED_BYTES                                                                        \
    (STATUS_LOG_RING_HEADER_BYTES + STATUS_LOG_LINES * STATUS_LOG_LINE_BYTES)

/* One slot: a log line's text without its newline, NUL-padded, may fill the slot. */
struct status_log_line {
    char text[STATUS_LOG_LINE_BYTES];
};

struct status_log_ring {
    uint32_t generation;            /* seqlock of the ring: odd while a writer is inside */
    uint32_t checksum;              /* CRC-32C of [0, covered bytes), bytes 0..7 read as zero */
    uint64_t line_count;            /* lines written; the newest is in slot (line_count - 1) % line_slots */
    uint16_t line_slots;            /* slots in the ring (31) */
    uint16_t line_size_bytes;       /* stride of the slots (128) */
    uint32_t cut_count;             /* lines longer than a slot, kept cut to it (saturating) */
    uint8_t reserved[40];           /* zero */
    struct status_log_line lines[]; /* line_slots of them */
};

_Static_assert(sizeof(struct status_log_line) == STATUS_LOG_LINE_BYTES, "log line slot size");
_Static_assert(offsetof(struct status_log_line, text) == 0, "log line text");
_Static_assert(sizeof(struct status_log_ring) == STATUS_LOG_RING_HEADER_BYTES, "log ring header size");
_Static_assert(offsetof(struct status_log_ring, generation) == 0, "ring generation");
_Static_assert(offsetof(struct status_log_ring, checksum) == 4, "ring checksum");
_Static_assert(offsetof(struct status_log_ring, line_count) == 8, "ring line_count");
_Static_assert(offsetof(struct status_log_ring, line_slots) == 16, "ring line_slots");
_Static_assert(offsetof(struct status_log_ring, line_size_bytes) == 18, "ring line_size_bytes");
_Static_assert(offsetof(struct status_log_ring, cut_count) == 20, "ring cut_count");
_Static_assert(offsetof(struct status_log_ring, reserved) == 24, "ring reserved");
_Static_assert(offsetof(struct status_log_ring, lines) == STATUS_LOG_RING_HEADER_BYTES, "ring lines");
_Static_assert(STATUS_LOG_RING_COVERED_BYTES <= STATUS_LOG_RING_BYTES, "the ring fits its page");

/* An empty ring in STATUS_LOG_RING_BYTES of writable memory (all zeroed), its checksum right. */
void status_log_ring_init(struct status_log_ring *ring);
/*
 * One line into the next slot (the oldest goes): its trailing newline (and a
 * carriage return) left out, NUL-padded, cut to the slot. One write of the
 * ring (generation + 2, checksum once).
 */
void status_log_ring_append(struct status_log_ring *ring, const char *line, size_t length_bytes);
/* The slot of the line age lines before the newest (0: the newest), or NULL when the ring never held it. */
const char *status_log_ring_line(const struct status_log_ring *ring, uint32_t age);

#endif
