// host-sources: core/status_page.c core/status_record.c core/status_area.c core/status_block.c core/status_log_ring.c core/status_crc32c.c core/lib/format.c
/*
 * Fuzzes the memory-range block of the status area (status_memory_insert)
 * with a sequence of ranges: each 8 input bytes are one insert (kind, CPU,
 * first page, page count, a byte offset into the first page). A shadow map
 * of every page each owner (kind, CPU) was given is kept beside it, and
 * after every insert the block must be exactly that: for each owner, its
 * ranges are the union of what it added, none overlapping or touching
 * another of the same owner; the ranges sorted by phys; the block's
 * generation even and its checksum right. A full table refuses with
 * E_NOMEM and says incomplete, and then only the shadow may hold more.
 * An input of odd length (size % 8) does all its inserts in one batch
 * (status_memory_insert_batched, which appends and merges when the table
 * fills and at the batch's end): the same checks then hold after the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/lib/error.h"
#include "core/status_area.h"
#include "core/status_block.h"
#include "tests/unit/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGES 512u /* the physical pages the inserts fall in: small, so ranges meet */
#define KINDS 3u
#define CPUS 3u /* CPU 2 stands for STATUS_MEMORY_CPU_NONE */
#define AREA_CPUS 1u

static uint8_t area[4 * 4096] __attribute__((aligned(4096)));
static bool shadow[KINDS][CPUS][PAGES];

static uint16_t cpu_of(uint32_t index) { return index == 2 ? STATUS_MEMORY_CPU_NONE : (uint16_t)index; }

/* Does the block give exactly the pages of the shadow to each owner? */
static bool block_matches(const struct status_memory_block *block, bool incomplete)
{
    static bool seen[KINDS][CPUS][PAGES];
    memset(seen, 0, sizeof seen);
    for (uint32_t i = 0; i < block->count; i++) {
        const struct status_memory_range *range = &block->ranges[i];
        if (i > 0 && block->ranges[i - 1].phys > range->phys)
            return false; /* not sorted */
        if (range->kind < 1 || range->kind > KINDS || range->size_pages == 0 || range->phys % 4096)
            return false;
        uint32_t cpu = range->cpu == STATUS_MEMORY_CPU_NONE ? 2 : range->cpu;
        if (cpu >= CPUS || range->phys / 4096 + range->size_pages > PAGES)
            return false;
        for (uint32_t j = 0; j < block->count; j++) {
            const struct status_memory_range *other = &block->ranges[j];
            if (j != i && other->kind == range->kind && other->cpu == range->cpu &&
                other->phys <= range->phys + (uint64_t)range->size_pages * 4096 &&
                other->phys + (uint64_t)other->size_pages * 4096 >= range->phys)
                return false; /* two ranges of one owner that touch: not merged */
        }
        for (uint32_t page = 0; page < range->size_pages; page++)
            seen[range->kind - 1][cpu][range->phys / 4096 + page] = true;
    }
    for (uint32_t kind = 0; kind < KINDS; kind++)
        for (uint32_t cpu = 0; cpu < CPUS; cpu++)
            for (uint32_t page = 0; page < PAGES; page++)
                if (seen[kind][cpu][page] && !shadow[kind][cpu][page])
                    return false; /* the block covers a page nobody added */
                else if (!incomplete && shadow[kind][cpu][page] && !seen[kind][cpu][page])
                    return false; /* an added page was lost */
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct status_page *page = (struct status_page *)area;
    if (status_init_area(page, 0x100000, AREA_CPUS, 4000) != 0)
        abort();
    memset(shadow, 0, sizeof shadow);
    const struct status_memory_block *block = status_memory_block(page);
    bool refused = false;
    bool batch = (size % 8) & 1;
    if (batch && status_memory_batch_begin(page) != 0)
        abort();
    for (size_t at = 0; at + 8 <= size; at += 8) {
        uint32_t kind = 1 + data[at] % KINDS, cpu = data[at + 1] % CPUS;
        uint32_t first = (data[at + 2] | (uint32_t)data[at + 3] << 8) % PAGES;
        uint32_t pages = 1 + (data[at + 4] | (uint32_t)data[at + 5] << 8) % 16;
        if (first + pages > PAGES)
            pages = PAGES - first;
        /* Bytes from an offset in the first page to some byte of the last: rounded out, exactly those pages. */
        uint64_t offset = (data[at + 6] | (uint64_t)(data[at + 7] & 0x0f) << 8) % 4096;
        uint64_t tail = (uint64_t)(data[at + 7] >> 4) * 256;
        uint64_t span = (uint64_t)pages * 4096 - offset;
        uint64_t size_bytes = tail < span ? span - tail : 1;
        uint64_t phys = (uint64_t)first * 4096 + offset;
        int err = batch ? status_memory_insert_batched(page, kind, cpu_of(cpu), phys, size_bytes)
                        : status_memory_insert(page, kind, cpu_of(cpu), phys, size_bytes);
        if (err == E_NOMEM) {
            refused = true;
            if (!(block->flags & STATUS_MEMORY_INCOMPLETE))
                abort();
        } else if (err != 0) {
            abort();
        }
        uint32_t last = (uint32_t)(((uint64_t)first * 4096 + offset + size_bytes - 1) / 4096);
        for (uint32_t p = first; p <= last && err == 0; p++)
            shadow[kind - 1][cpu][p] = true;
        if (batch)
            continue; /* checked once, after the batch's end */
        if (block->generation % 2 || block->count > page->header.memory_range_capacity ||
            status_block_checksum(block, 16 + block->count * 16) != block->checksum ||
            !block_matches(block, refused))
            abort();
    }
    if (batch) {
        status_memory_batch_end(page);
        if (block->generation % 2 || block->count > page->header.memory_range_capacity ||
            status_block_checksum(block, 16 + block->count * 16) != block->checksum ||
            !block_matches(block, refused))
            abort();
    }
    return 0;
}
