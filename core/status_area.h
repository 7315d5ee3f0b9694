/*
 * The status area beyond the version 1.0 pages (docs/status-page.md,
 * "Version 1.1: the guest blocks"): the memory-range block and one vCPU
 * record per CPU, in pages that follow the 1.0 pages in the same physical
 * run. A 1.0 reader copies page_count pages and never sees them; a 1.1
 * reader copies area_page_count pages.
 *
 * Each block has its own seqlock generation and CRC-32C (core/status_crc32c.h) in its first 8
 * bytes, so a vCPU publishes its own record without the page-wide lock and
 * without re-hashing every other CPU's record: the cost of a publish is one
 * record, whatever the CPU count. Every offset is asserted here and checked
 * against the status-layout table of the document by the host tests.
 */
#ifndef CORE_STATUS_AREA_H
#define CORE_STATUS_AREA_H

#include "core/lib/compiler.h"
#include "core/lib/status_vcpu.h"
#include "core/lib/status_vcpu_exits.h" /* STATUS_EXIT_SLOTS, STATUS_EXIT_REASON_LIMIT */
#include "core/status_page.h"

#define STATUS_VCPU_RECORD_BYTES 320u
#define STATUS_MEMORY_RANGE_BYTES 16u
#define STATUS_MEMORY_BLOCK_HEADER_BYTES 16u
#define STATUS_ENTRY_FAILURE_NAME_BYTES 48u
#define STATUS_REASON_TEXT_BYTES 32u
/* Memory ranges: a few for the kernel image and the page itself, a few per CPU (stacks, VMXON, VMCSs, EPT). */
#define STATUS_MEMORY_RANGES_FIXED 32u
#define STATUS_MEMORY_RANGES_PER_CPU 8u
/* A reader's sanity bound on area_page_count (4096 CPUs need 57 + 9 + 320 pages). */
#define STATUS_MAX_AREA_PAGES 1024u

/* One range of vmxroot's memory: page-aligned, sizes rounded out to whole pages. */
struct status_memory_range {
    uint64_t phys;       /* first byte, 4 KiB aligned */
    uint32_t size_pages; /* 4 KiB pages */
    uint16_t kind;       /* enum status_memory_kind */
    uint16_t cpu;        /* CPU index it belongs to, or STATUS_MEMORY_CPU_NONE */
};

/* The memory-range block: this header, then capacity ranges (count in use). */
struct status_memory_block {
    uint32_t generation; /* seqlock of this block: odd while a writer is inside */
    uint32_t checksum;   /* CRC-32C of [0, 16 + count * 16), bytes 0..7 read as zero */
    uint32_t count;      /* ranges in use, sorted by phys */
    uint32_t flags;      /* STATUS_MEMORY_* */
    struct status_memory_range ranges[];
};

/* One CPU's vCPU. Counters: exit_count_total is exact; the per-slot and other counts run modulo 2^32. */
struct status_vcpu_record {
    uint32_t generation;              /* seqlock of this record: odd while its writer is inside */
    uint32_t checksum;                /* CRC-32C of the whole record (its stride), bytes 0..7 as zero */
    uint16_t index;                   /* CPU index; equals the record's position */
    uint8_t state;                    /* enum status_vcpu_state */
    uint8_t reason;                   /* enum status_vcpu_reason */
    uint32_t last_exit_reason;        /* the exit-reason field as read (bit 31: entry failure) */
    uint64_t last_exit_qualification; /* the exit qualification of that exit */
    uint64_t last_exit_guest_rip;     /* guest RIP at that exit */
    uint64_t exit_count_total;        /* every exit */
    uint64_t published_tsc;           /* TSC of the exit (or event) this write publishes */
    uint32_t exit_count_other;        /* exits whose reason got no slot (all slots taken, or >= 256) */
    uint32_t entry_failure_count;     /* failed or refused VM entries */
    uint8_t entry_failure_kind;       /* enum status_entry_failure_kind of the last one */
    uint8_t entry_failure_flags;      /* STATUS_ENTRY_* */
    uint8_t exit_slots_used;          /* slots 0 .. exit_slots_used - 1 are in use */
    uint8_t reserved0;                /* zero */
    uint32_t entry_failure_number;    /* VM-instruction error, or the basic exit reason (33, 34, 41) */
    uint32_t entry_failure_field;     /* VMCS field encoding the check names (0: none) */
    uint32_t publish_count;           /* writes of this record (modulo 2^32) */
    uint64_t entry_failure_value;     /* that field's value, or the exit qualification */
    char entry_failure_name[STATUS_ENTRY_FAILURE_NAME_BYTES]; /* NUL-padded, may fill it all */
    char reason_text[STATUS_REASON_TEXT_BYTES];               /* NUL-padded, may fill it all */
    uint8_t exit_slot_reason[STATUS_EXIT_SLOTS];              /* basic exit reason counted in each slot */
    uint32_t exit_slot_count[STATUS_EXIT_SLOTS];              /* exits with that reason (modulo 2^32) */
};

_Static_assert(sizeof(struct status_memory_range) == STATUS_MEMORY_RANGE_BYTES, "memory range size");
_Static_assert(sizeof(struct status_memory_block) == STATUS_MEMORY_BLOCK_HEADER_BYTES, "memory block header");
_Static_assert(sizeof(struct status_vcpu_record) == STATUS_VCPU_RECORD_BYTES, "vcpu record size");
_Static_assert(offsetof(struct status_memory_range, phys) == 0, "range phys");
_Static_assert(offsetof(struct status_memory_range, size_pages) == 8, "range size_pages");
_Static_assert(offsetof(struct status_memory_range, kind) == 12, "range kind");
_Static_assert(offsetof(struct status_memory_range, cpu) == 14, "range cpu");
_Static_assert(offsetof(struct status_memory_block, generation) == 0, "memory generation");
_Static_assert(offsetof(struct status_memory_block, checksum) == 4, "memory checksum");
_Static_assert(offsetof(struct status_memory_block, count) == 8, "memory count");
_Static_assert(offsetof(struct status_memory_block, flags) == 12, "memory flags");
_Static_assert(offsetof(struct status_memory_block, ranges) == 16, "memory ranges");
_Static_assert(offsetof(struct status_vcpu_record, generation) == 0, "vcpu generation");
_Static_assert(offsetof(struct status_vcpu_record, checksum) == 4, "vcpu checksum");
_Static_assert(offsetof(struct status_vcpu_record, index) == 8, "vcpu index");
_Static_assert(offsetof(struct status_vcpu_record, state) == 10, "vcpu state");
_Static_assert(offsetof(struct status_vcpu_record, reason) == 11, "vcpu reason");
_Static_assert(offsetof(struct status_vcpu_record, last_exit_reason) == 12, "last_exit_reason");
_Static_assert(offsetof(struct status_vcpu_record, last_exit_qualification) == 16, "last_exit_qualification");
_Static_assert(offsetof(struct status_vcpu_record, last_exit_guest_rip) == 24, "last_exit_guest_rip");
_Static_assert(offsetof(struct status_vcpu_record, exit_count_total) == 32, "exit_count_total");
_Static_assert(offsetof(struct status_vcpu_record, published_tsc) == 40, "published_tsc");
_Static_assert(offsetof(struct status_vcpu_record, exit_count_other) == 48, "exit_count_other");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_count) == 52, "entry_failure_count");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_kind) == 56, "entry_failure_kind");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_flags) == 57, "entry_failure_flags");
_Static_assert(offsetof(struct status_vcpu_record, exit_slots_used) == 58, "exit_slots_used");
_Static_assert(offsetof(struct status_vcpu_record, reserved0) == 59, "vcpu reserved0");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_number) == 60, "entry_failure_number");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_field) == 64, "entry_failure_field");
_Static_assert(offsetof(struct status_vcpu_record, publish_count) == 68, "publish_count");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_value) == 72, "entry_failure_value");
_Static_assert(offsetof(struct status_vcpu_record, entry_failure_name) == 80, "entry_failure_name");
_Static_assert(offsetof(struct status_vcpu_record, reason_text) == 128, "reason_text");
_Static_assert(offsetof(struct status_vcpu_record, exit_slot_reason) == 160, "exit_slot_reason");
_Static_assert(offsetof(struct status_vcpu_record, exit_slot_count) == 192, "exit_slot_count");

/* Where the blocks go in an area for cpu_count CPUs (docs/status-page.md, "Sizes"). */
struct status_area_size {
    uint32_t page_count;          /* the 1.0 pages: header and CPU records */
    uint32_t memory_block_offset; /* = page_count * 4096: the first guest page */
    uint32_t
        memory_range_capacity; /* STATUS_MEMORY_RANGES_FIXED + _PER_CPU per CPU, and what fills the page */
    uint32_t vcpu_area_offset; /* after the memory block, 64-byte aligned */
    uint32_t log_ring_offset;  /* 1.2: the log ring's page, after the vCPU records' last page */
    uint32_t area_page_count;  /* every page */
};
/* E_RANGE when the 1.0 part would pass STATUS_MAX_PAGES or the whole STATUS_MAX_AREA_PAGES. */
MUST_CHECK int status_area_size_for(uint32_t cpu_count, struct status_area_size *size);

/*
 * Sets up a 1.2 area: the 1.0 pages (status_init_pages), the 1.1 header
 * fields, an empty memory block and cpu_count vCPU records (not launched),
 * then an empty log ring (1.2), each with a right checksum. page spans area_page_count pages of
 * status_area_size_for(cpu_count). 0, E_INVAL or E_RANGE.
 */
MUST_CHECK int status_init_area(struct status_page *page, uint64_t page_phys, uint32_t cpu_count,
                                uint32_t publish_interval_us);
/* The memory block, or NULL in an area without one. */
struct status_memory_block *status_memory_block(struct status_page *page);
/* vCPU record index, or NULL beyond vcpu_record_count. */
struct status_vcpu_record *status_vcpu_record(struct status_page *page, uint32_t index);
/* The log ring (core/status_log_ring.h), or NULL in an area without one. */
struct status_log_ring;
struct status_log_ring *status_log_ring_of(struct status_page *page);

/* The seqlock of one block: core/status_block.h. */

/*
 * Adds a range to the memory block (merged with a same-kind, same-CPU range
 * it touches; the block stays sorted by phys). Serialized by a lock of its
 * own. 0, E_INVAL (no size, unknown kind, a range past 2^64), E_NOMEM (full:
 * the block is marked incomplete), E_STATE (no block).
 */
MUST_CHECK int status_memory_insert(struct status_page *page, enum status_memory_kind kind, uint32_t cpu,
                                    uint64_t phys, uint64_t size_bytes);

/*
 * Many ranges in one write: status_memory_batch_begin takes the lock and
 * opens the block's write (E_STATE without a block), status_memory_insert
 * _batched adds a range like status_memory_insert without either, and
 * status_memory_batch_end computes the checksum once and unlocks. Each
 * status_memory_insert hashes the whole block, so the boot's own ranges
 * (three per CPU) one by one cost O(ranges^2) bytes of CRC: 0.25 s of
 * emulated time in Bochs at 15 CPUs. Inside a batch a range is appended and
 * the block is sorted and merged once at the end (and when it fills up), so
 * a batch of n ranges costs O(n log n); the result is the same ranges as n
 * status_memory_insert calls give, ties in phys ordered by kind, then CPU.
 */
MUST_CHECK int status_memory_batch_begin(struct status_page *page);
MUST_CHECK int status_memory_insert_batched(struct status_page *page, enum status_memory_kind kind,
                                            uint32_t cpu, uint64_t phys, uint64_t size_bytes);
void status_memory_batch_end(struct status_page *page);

#endif
