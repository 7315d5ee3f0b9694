// host-sources: core/status_page.c core/status_record.c core/status_area.c core/status_block.c core/status_log_ring.c core/status_crc32c.c core/status_vcpu_table.c core/lib/status_vcpu_exits.c core/lib/format.c
/*
 * The version 1.1 status area (core/status_area.c): its sizes from 1 to
 * 4096 CPUs, its set-up, the memory-range block (merging, order, rounding,
 * a full table), the hex dump of the whole area, and the compatibility rule:
 * a reader written for 1.0 (below, from the 1.0 document alone) still reads
 * a 1.1 area, and a 1.1 reader reads a page without guest blocks.
 *
 * With VMXROOT_STATUS_SAMPLE=FILE in the environment, sample_area_for_the_tool
 * writes a 1.1 sample area (70 CPUs, vCPU records, memory ranges) to FILE,
 * and with VMXROOT_STATUS_SAMPLE_LOG=FILE its hex dump as a serial log; both
 * are decoded by tools/vmxroot-status in tests/test_status_tool.py.
 */
#include <stdlib.h>
#include "core/lib/error.h"
#include "core/status_area.h"
#include "core/status_block.h"
#include "core/status_log_ring.h"
#include "core/status_vcpu_table.h"
#include "tests/unit/check.h"

#define AREA_PAGES 40u
static uint8_t area[AREA_PAGES * 4096] ALIGNED(4096);

static struct status_page *page_of_area(void) { return (struct status_page *)area; }

/* cpu's exits as vcpu_run counts them, attached to table; the record written when due. */
static void exit_on(struct status_vcpu_table *table, struct status_vcpu_exits *exits, uint32_t cpu,
                    uint32_t exit_reason, uint64_t qualification, uint64_t guest_rip, uint64_t now_tsc)
{
    if (status_vcpu_exits_count(exits, exit_reason, qualification, guest_rip, now_tsc))
        status_vcpu_table_exits_due(table, cpu, now_tsc);
}

TEST(sizes_from_one_to_4096_cpus)
{
    struct status_area_size size;
    CHECK_EQ(status_area_size_for(4, &size), 0);
    CHECK_EQ(size.page_count, 1);
    CHECK_EQ(size.memory_block_offset, 4096);
    CHECK_EQ(size.area_page_count, 3); /* 1.2: the log ring's page after the guest blocks */
    CHECK(size.memory_range_capacity >= STATUS_MEMORY_RANGES_FIXED + 4 * STATUS_MEMORY_RANGES_PER_CPU);
    CHECK_EQ(size.vcpu_area_offset % 64, 0);
    CHECK(size.vcpu_area_offset + 4 * 320 <= 2 * 4096);
    /* The 1.0 part is sized exactly as 1.0 sized it: a 1.0 reader sees the same page_count. */
    uint32_t cpu_counts[] = { 1, 15, 64, 65, 255, 1024, 4096 };
    for (size_t i = 0; i < ARRAY_SIZE(cpu_counts); i++) {
        uint32_t cpus = cpu_counts[i];
        CHECK_EQ(status_area_size_for(cpus, &size), 0);
        CHECK_EQ(size.page_count, STATUS_PAGES_FOR_CPUS(cpus));
        CHECK(size.page_count <= STATUS_MAX_PAGES);
        uint64_t ranges_end = size.memory_block_offset + STATUS_MEMORY_BLOCK_HEADER_BYTES +
                              (uint64_t)size.memory_range_capacity * STATUS_MEMORY_RANGE_BYTES;
        CHECK(size.vcpu_area_offset >= ranges_end);
        CHECK((uint64_t)size.vcpu_area_offset + (uint64_t)cpus * 320 <=
              (uint64_t)size.area_page_count * 4096);
        CHECK(size.area_page_count <= STATUS_MAX_AREA_PAGES);
    }
    CHECK_EQ(status_area_size_for(64, &size), 0);
    CHECK_EQ(size.page_count, 1);
    CHECK_EQ(status_area_size_for(4096, &size), 0);
    CHECK_EQ(size.page_count, 57);
    printf("  4096 CPUs: %u pages (1.0 part %u), %u memory ranges\n", size.area_page_count, size.page_count,
           size.memory_range_capacity);
    CHECK_EQ(status_area_size_for(4672, &size), 0);       /* 512 + 4672 * 56: exactly 64 pages */
    CHECK_EQ(status_area_size_for(4673, &size), E_RANGE); /* the 1.0 part would pass 64 pages */
}

TEST(init_area_sets_up_every_block)
{
    memset(area, 0xa5, sizeof area);
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 70, 4000), 0);
    const struct status_header *header = &page->header;
    struct status_area_size size;
    CHECK_EQ(status_area_size_for(70, &size), 0);
    CHECK_EQ(header->version_minor, 2);
    CHECK_EQ(header->page_count, 2);
    CHECK_EQ(header->area_page_count, size.area_page_count);
    CHECK_EQ(header->memory_block_offset, 2 * 4096);
    CHECK_EQ(header->memory_range_capacity, size.memory_range_capacity);
    CHECK_EQ(header->memory_range_size_bytes, 16);
    CHECK_EQ(header->vcpu_record_size_bytes, 320);
    CHECK_EQ(header->vcpu_area_offset, size.vcpu_area_offset);
    CHECK_EQ(header->vcpu_record_count, 70);
    CHECK_EQ(header->vcpu_publish_interval_us, 4000);
    CHECK_EQ(status_checksum(page), header->checksum);
    CHECK_EQ(header->generation % 2, 0);
    const struct status_memory_block *block = status_memory_block(page);
    CHECK_EQ(block->count, 0);
    CHECK_EQ(block->generation, 0);
    CHECK_EQ(status_block_checksum(block, 16), block->checksum);
    for (uint32_t i = 0; i < 70; i++) {
        const struct status_vcpu_record *record = status_vcpu_record(page, i);
        CHECK_EQ(record->index, i);
        CHECK_EQ(record->state, STATUS_VCPU_NOT_LAUNCHED);
        CHECK_EQ(status_block_checksum(record, 320), record->checksum);
    }
    /* The 0xa5 fill is gone from every page of the area. */
    CHECK_EQ(area[header->area_page_count * 4096 - 1], 0);
    CHECK_EQ(status_init_area(page, 0x7f123, 70, 4000), E_INVAL);
    CHECK_EQ(status_init_area(page, 0x7f000, 5000, 4000), E_RANGE);
}

/* --- the memory block ------------------------------------------------------------ */

static const struct status_memory_block *ranges_after(const struct status_page *page)
{
    const struct status_memory_block *block = status_memory_block((struct status_page *)page);
    CHECK_EQ(block->generation % 2, 0);
    CHECK_EQ(status_block_checksum(block, 16 + block->count * 16), block->checksum);
    for (uint32_t i = 1; i < block->count; i++)
        CHECK(block->ranges[i - 1].phys <= block->ranges[i].phys); /* sorted */
    return block;
}

TEST(memory_ranges_merge_round_out_and_stay_sorted)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x100000, 0x5000), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_VMCS, 1, 0x300000, 4096), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_VMCS, 1, 0x301000, 4096), 0);  /* touches: merged */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_VMCS, 2, 0x302000, 4096), 0);  /* other CPU: not */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 1, 0x2ff000, 4096), 0);   /* other kind: not */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_STACK, 0, 0x200010, 0x20), 0); /* rounded out */
    const struct status_memory_block *block = ranges_after(page);
    CHECK_EQ(block->count, 5);
    CHECK_EQ(block->ranges[0].phys, 0x100000);
    CHECK_EQ(block->ranges[0].size_pages, 5);
    CHECK_EQ(block->ranges[0].cpu, STATUS_MEMORY_CPU_NONE);
    CHECK_EQ(block->ranges[1].phys, 0x200000);
    CHECK_EQ(block->ranges[1].size_pages, 1);
    CHECK_EQ(block->ranges[1].kind, STATUS_MEMORY_STACK);
    CHECK_EQ(block->ranges[2].kind, STATUS_MEMORY_EPT);
    CHECK_EQ(block->ranges[3].phys, 0x300000);
    CHECK_EQ(block->ranges[3].size_pages, 2);
    CHECK_EQ(block->ranges[4].cpu, 2);
    /* A range that bridges two of the same owner swallows the second. */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x108000, 4096), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x104000, 0x4000), 0);
    block = ranges_after(page);
    CHECK_EQ(block->count, 5);
    CHECK_EQ(block->ranges[0].size_pages, 9);
    /* One inside another of the same owner changes nothing. */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x102000, 10), 0);
    CHECK_EQ(ranges_after(page)->ranges[0].size_pages, 9);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x1000, 0), E_INVAL);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_NONE, 0, 0x1000, 1), E_INVAL);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_KIND_COUNT, 0, 0x1000, 1), E_INVAL);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, 0, UINT64_MAX - 10, 100), E_INVAL);
    CHECK_EQ(status_memory_insert(NULL, STATUS_MEMORY_TEXT, 0, 0x1000, 1), E_STATE);
    CHECK_EQ(ranges_after(page)->count, 5);
}

TEST(memory_ranges_merge_past_another_owners_range_between)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x100000, 10 * 4096), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 1, 0x105000, 4096), 0); /* sorts after the text */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x10a000, 2 * 4096), 0);
    const struct status_memory_block *block = ranges_after(page);
    CHECK_EQ(block->count, 2);
    CHECK_EQ(block->ranges[0].kind, STATUS_MEMORY_TEXT);
    CHECK_EQ(block->ranges[0].size_pages, 12);
    CHECK_EQ(block->ranges[1].kind, STATUS_MEMORY_EPT);
    /* A range that widens to the left and then touches a second one joins all three. */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 1, 0x103000, 4096), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 1, 0x104000, 4096), 0);
    block = ranges_after(page);
    CHECK_EQ(block->count, 2);
    CHECK_EQ(block->ranges[1].phys, 0x103000);
    CHECK_EQ(block->ranges[1].size_pages, 3);
}

TEST(a_full_memory_table_refuses_and_says_incomplete)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 1, 4000), 0);
    uint32_t capacity = page->header.memory_range_capacity;
    for (uint32_t i = 0; i < capacity; i++) /* every other page: nothing merges */
        CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 0, 0x1000000 + (uint64_t)i * 0x2000, 4096), 0);
    CHECK_EQ(ranges_after(page)->flags, 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 0, 0x100000000ull, 4096), E_NOMEM);
    const struct status_memory_block *block = ranges_after(page);
    CHECK_EQ(block->count, capacity);
    CHECK_EQ(block->flags, STATUS_MEMORY_INCOMPLETE);
    /* A range that merges into one already there still goes in. */
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_EPT, 0, 0x1001000, 4096), 0);
    CHECK_EQ(ranges_after(page)->count, capacity - 1);
    /* The vCPU records after the block are untouched. */
    CHECK_EQ(status_block_checksum(status_vcpu_record(page, 0), 320), status_vcpu_record(page, 0)->checksum);
}

TEST(a_batch_of_ranges_is_one_write_with_the_same_result)
{
    struct status_page *one_by_one = page_of_area();
    CHECK_EQ(status_init_area(one_by_one, 0x7f000, 4, 4000), 0);
    for (uint32_t cpu = 0; cpu < 4; cpu++) {
        CHECK_EQ(status_memory_insert(one_by_one, STATUS_MEMORY_PER_CPU, cpu, 0x400000 + cpu * 0x10000, 4096),
                 0);
        CHECK_EQ(status_memory_insert(one_by_one, STATUS_MEMORY_STACK, cpu, 0x402000 + cpu * 0x10000, 0x7000),
                 0);
    }
    struct status_memory_block expected_head = *ranges_after(one_by_one);
    struct status_memory_range expected[8];
    memcpy(expected, ranges_after(one_by_one)->ranges, sizeof expected);

    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    uint32_t generation = status_memory_block(page)->generation;
    CHECK_EQ(status_memory_batch_begin(page), 0);
    CHECK_EQ(status_memory_block(page)->generation % 2, 1); /* a reader sees a write in progress */
    for (uint32_t cpu = 0; cpu < 4; cpu++) {
        CHECK_EQ(
            status_memory_insert_batched(page, STATUS_MEMORY_PER_CPU, cpu, 0x400000 + cpu * 0x10000, 4096),
            0);
        CHECK_EQ(
            status_memory_insert_batched(page, STATUS_MEMORY_STACK, cpu, 0x402000 + cpu * 0x10000, 0x7000),
            0);
    }
    CHECK_EQ(status_memory_insert_batched(page, STATUS_MEMORY_NONE, 0, 0x1000, 1), E_INVAL);
    status_memory_batch_end(page);
    const struct status_memory_block *block = ranges_after(page); /* even generation, valid checksum */
    CHECK_EQ(block->generation, generation + 2);
    CHECK_EQ(block->count, expected_head.count);
    CHECK_EQ(memcmp(block->ranges, expected, sizeof expected), 0);
    CHECK_EQ(status_memory_batch_begin(NULL), E_STATE);
}

static int by_phys_kind_cpu(const void *a, const void *b)
{
    const struct status_memory_range *x = a, *y = b;
    if (x->phys != y->phys)
        return x->phys < y->phys ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/* The i-th of a reproducible mix: 3 kinds, 4 CPUs and none, pages that touch, overlap and repeat. */
static void mixed_range(uint32_t i, uint32_t *kind, uint32_t *cpu, uint64_t *phys, uint64_t *size_bytes)
{
    uint32_t x = i * 2654435761u;
    *kind = STATUS_MEMORY_PER_CPU + (x >> 7) % 3;
    *cpu = (x >> 11) % 5 == 4 ? STATUS_MEMORY_CPU_NONE : (x >> 11) % 5;
    *phys = 0x1000000 + (uint64_t)((x >> 15) % 48) * 4096 + (x >> 3) % 64;
    *size_bytes = 1 + (uint64_t)((x >> 23) % 5) * 4096;
}

TEST(a_batch_of_many_mixed_ranges_gives_the_ranges_of_one_by_one)
{
    /* More inserts than the table holds: the batch merges when it fills, then once at its end. */
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    uint32_t inserts = 3 * page->header.memory_range_capacity;
    for (uint32_t i = 0; i < inserts; i++) {
        uint32_t kind, cpu;
        uint64_t phys, size_bytes;
        mixed_range(i, &kind, &cpu, &phys, &size_bytes);
        CHECK_EQ(status_memory_insert(page, kind, cpu, phys, size_bytes), 0);
    }
    const struct status_memory_block *block = ranges_after(page);
    CHECK_EQ(block->flags, 0);
    uint32_t count = block->count;
    CHECK(count > 8);
    static struct status_memory_range expected[4096];
    CHECK(count <= 4096);
    memcpy(expected, block->ranges, count * sizeof expected[0]);
    qsort(expected, count, sizeof expected[0], by_phys_kind_cpu); /* one by one, ties keep insertion order */

    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    CHECK_EQ(status_memory_batch_begin(page), 0);
    for (uint32_t i = 0; i < inserts; i++) {
        uint32_t kind, cpu;
        uint64_t phys, size_bytes;
        mixed_range(i, &kind, &cpu, &phys, &size_bytes);
        CHECK_EQ(status_memory_insert_batched(page, kind, cpu, phys, size_bytes), 0);
    }
    status_memory_batch_end(page);
    block = ranges_after(page);
    CHECK_EQ(block->flags, 0);
    CHECK_EQ(block->count, count);
    CHECK_EQ(memcmp(block->ranges, expected, count * sizeof expected[0]), 0);
}

TEST(a_batch_that_overflows_refuses_the_rest_and_says_incomplete)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 1, 4000), 0);
    uint32_t capacity = page->header.memory_range_capacity;
    CHECK_EQ(status_memory_batch_begin(page), 0);
    for (uint32_t i = 0; i < capacity; i++) /* every other page: nothing merges */
        CHECK_EQ(
            status_memory_insert_batched(page, STATUS_MEMORY_EPT, 0, 0x1000000 + (uint64_t)i * 0x2000, 4096),
            0);
    CHECK_EQ(status_memory_insert_batched(page, STATUS_MEMORY_EPT, 0, 0x100000000ull, 4096), E_NOMEM);
    /* A range that joins two already there still goes in, and leaves room for one more. */
    CHECK_EQ(status_memory_insert_batched(page, STATUS_MEMORY_EPT, 0, 0x1001000, 4096), 0);
    CHECK_EQ(status_memory_insert_batched(page, STATUS_MEMORY_VMCS, 0, 0x200000000ull, 4096), 0);
    status_memory_batch_end(page);
    const struct status_memory_block *block = ranges_after(page);
    CHECK_EQ(block->count, capacity);
    CHECK_EQ(block->flags, STATUS_MEMORY_INCOMPLETE);
    CHECK_EQ(block->ranges[0].phys, 0x1000000);
    CHECK_EQ(block->ranges[0].size_pages, 3);
    CHECK_EQ(block->ranges[capacity - 1].kind, STATUS_MEMORY_VMCS);
}

/* --- compatibility ----------------------------------------------------------------- */

/* A 1.0 reader, from the 1.0 document alone: what it knows of one CPU record. */
struct reader_1_0_cpu {
    uint32_t apic_id;
    uint8_t state;
    uint32_t vmptrld_count;
};

static uint32_t read_u32(const uint8_t *bytes, size_t at)
{
    return (uint32_t)bytes[at] | (uint32_t)bytes[at + 1] << 8 | (uint32_t)bytes[at + 2] << 16 |
           (uint32_t)bytes[at + 3] << 24;
}
static uint16_t read_u16(const uint8_t *bytes, size_t at)
{
    return (uint16_t)(bytes[at] | bytes[at + 1] << 8);
}

/* 0 and the CPUs it read, or the step of the 1.0 protocol that refused the area. */
static int reader_1_0(const uint8_t *copy, size_t copy_bytes, struct reader_1_0_cpu *cpus, uint32_t *count)
{
    if (memcmp(copy, "VMXROOT", 8) != 0)
        return 1;
    if (read_u16(copy, 8) != 1)
        return 2; /* an unknown major */
    uint32_t page_count = read_u32(copy, 20), checksum_bytes = read_u32(copy, 32);
    if (page_count < 1 || page_count > 64 || page_count * 4096u > copy_bytes)
        return 3;
    if (read_u32(copy, 24) % 2)
        return 4;
    if (checksum_bytes < 512 || checksum_bytes > page_count * 4096u)
        return 5;
    uint32_t crc = status_crc32(0, copy, 24);
    static const uint8_t zeros[8];
    crc = status_crc32(crc, zeros, 8);
    if (status_crc32(crc, copy + 32, checksum_bytes - 32) != read_u32(copy, 28))
        return 6;
    uint16_t header_size = read_u16(copy, 12), record_size = read_u16(copy, 14);
    *count = read_u32(copy, 16);
    for (uint32_t i = 0; i < *count; i++) {
        size_t base = header_size + (size_t)i * record_size;
        cpus[i].state = copy[base + 2];
        cpus[i].apic_id = read_u32(copy, base + 4);
        cpus[i].vmptrld_count = read_u32(copy, base + 28);
    }
    return 0;
}

TEST(a_1_0_reader_reads_a_1_1_area)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 70, 4000), 0);
    status_write_begin(page);
    for (uint32_t cpu = 0; cpu < 70; cpu++) {
        CHECK_EQ(status_record_found(page, cpu, 1000 + cpu, cpu == 0), 0);
        CHECK_EQ(status_record_state(page, cpu, CPU_STATE_ONLINE, REASON_NONE), 0);
    }
    status_write_end(page);
    CHECK_EQ(status_count_vmptrld(page, 69, false), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x100000, 0x8000), 0);
    static struct status_vcpu_counts counts[70];
    struct status_vcpu_table table;
    CHECK_EQ(status_vcpu_table_init(&table, page, counts, 1), 0);
    static struct status_vcpu_exits exits;
    status_vcpu_exits_init(&exits);
    status_vcpu_table_attach_exits(&table, 5, &exits);
    exit_on(&table, &exits, 5, 10, 0, 0, 100);
    static struct reader_1_0_cpu cpus[80];
    uint32_t count = 0;
    /* A 1.0 reader copies page_count pages: the guest blocks after them are not in its copy at all. */
    CHECK_EQ(reader_1_0(area, (size_t)page->header.page_count * 4096, cpus, &count), 0);
    CHECK_EQ(count, 70);
    CHECK_EQ(cpus[69].apic_id, 1069);
    CHECK_EQ(cpus[69].state, CPU_STATE_ONLINE);
    CHECK_EQ(cpus[69].vmptrld_count, 1);
    /* The same with the whole area copied. */
    CHECK_EQ(reader_1_0(area, sizeof area, cpus, &count), 0);
    /* And the reader still refuses what 1.0 told it to refuse. */
    page->header.version_major = 2;
    CHECK_EQ(reader_1_0(area, sizeof area, cpus, &count), 2);
    page->header.version_major = 1;
    area[600] ^= 1;
    CHECK_EQ(reader_1_0(area, sizeof area, cpus, &count), 6);
    area[600] ^= 1;
}

TEST(an_area_without_guest_blocks_has_none)
{
    /* A page set up the 1.0 way (or by a 1.0 writer): every 1.1 field is zero, so none is there. */
    struct status_page *page = page_of_area();
    memset(area, 0x5a, sizeof area);
    CHECK_EQ(status_init_pages(page, 0x7f000, 1), 0);
    CHECK_EQ(page->header.area_page_count, 0);
    CHECK(status_memory_block(page) == NULL);
    CHECK(status_vcpu_record(page, 0) == NULL);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, 0, 0x1000, 1), E_STATE);
}

/* --- the hex dump covers the whole area ---------------------------------------------- */

struct dump_capture {
    char text[1 << 17];
    size_t length;
};

static void capture_line(const char *line, void *context)
{
    struct dump_capture *capture = context;
    size_t length = strlen(line);
    if (capture->length + length + 2 >= sizeof capture->text)
        return;
    memcpy(capture->text + capture->length, line, length);
    capture->length += length;
    capture->text[capture->length++] = '\n';
    capture->text[capture->length] = 0;
}

TEST(hexdump_covers_the_guest_blocks)
{
    static struct dump_capture capture;
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    capture.length = 0;
    status_hexdump(page, capture_line, &capture);
    CHECK(strncmp(capture.text, "status-dump begin phys=0x7f000 size=12288 pages=3\n", 50) == 0);
    /* vCPU record 3's index (3) is in the second page: its line is there. */
    char expected[32];
    uint32_t offset = page->header.vcpu_area_offset + 3 * 320;
    snprintf(expected, sizeof expected, "status: %04x:", offset & ~15u);
    CHECK(strstr(capture.text, expected) != NULL);
}

/* --- a sample area for tests/test_status_tool.py ------------------------------ */

/* As the kernel's log prints a line: the "cpu0: " prefix first. */
static void write_log_line(const char *line, void *context) { fprintf(context, "cpu0: %s\n", line); }

TEST(sample_area_for_the_tool)
{
    struct status_page *page = page_of_area();
    CHECK_EQ(status_init_area(page, 0x7f000, 70, 4000), 0);
    status_set_boot_flags(page, STATUS_BOOT_X2APIC);
    status_set_cpu_totals(page, 70, 69, 68);
    status_set_tsc_khz(page, 2893000);
    struct status_vmx_summary summary = { 0x2b, 0x1f, 0xda04000000002bull, 0xf0106334141ull };
    status_set_vmx_summary(page, &summary);
    status_set_vmcs_pool(page, 280, 270, 4);
    status_write_begin(page);
    for (uint32_t cpu = 0; cpu < 70; cpu++) {
        CHECK_EQ(status_record_found(page, cpu, cpu + 100, cpu == 0), 0);
        CHECK_EQ(status_record_state(page, cpu, cpu == 69 ? CPU_STATE_NO_ANSWER : CPU_STATE_ONLINE,
                                     cpu == 69 ? REASON_NO_SIPI_ANSWER : REASON_NONE),
                 0);
        CHECK_EQ(status_record_vmx(page, cpu, cpu < 68 ? 0x2b : 0, cpu < 69, cpu < 68), 0);
    }
    status_write_end(page);
    CHECK_EQ(status_count_vmclear(page, 67), 0);
    CHECK_EQ(status_count_vmptrld(page, 67, false), 0);
    CHECK_EQ(status_count_vmptrld(page, 67, true), 0);
    CHECK_EQ(status_count_vmfail_valid(page, 67, 10), 0);
    CHECK_EQ(status_count_vmfail_valid(page, 67, 11), 0);
    CHECK_EQ(status_count_vmfail_invalid(page, 67), 0);
    status_set_boot_phase(page, STATUS_PHASE_READY);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_TEXT, STATUS_MEMORY_CPU_NONE, 0x100000, 0x9000), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_STATUS, STATUS_MEMORY_CPU_NONE, 0x7f000, 0x8000), 0);
    CHECK_EQ(status_memory_insert(page, STATUS_MEMORY_VMXON, 3, 0x234000, 4096), 0);
    static struct status_vcpu_counts counts[70];
    struct status_vcpu_table table;
    CHECK_EQ(status_vcpu_table_init(&table, page, counts, 1000), 0);
    static struct status_vcpu_exits exits;
    status_vcpu_exits_init(&exits);
    status_vcpu_table_attach_exits(&table, 0, &exits);
    status_vcpu_table_state(&table, 0, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 10);
    for (uint64_t i = 0; i < 30; i++)
        exit_on(&table, &exits, 0, i % 3 ? 10 : 30, 0x3f8, 0x100000 + i, 20 + i);
    status_vcpu_table_state(&table, 0, STATUS_VCPU_HALTED, STATUS_VCPU_REASON_HLT, "hlt", 100);
    struct status_entry_failure failure = { .kind = STATUS_ENTRY_FAILURE_VMFAIL_VALID,
                                            .flags = STATUS_ENTRY_NAMED_BY_CHECK,
                                            .number = 8,
                                            .field_encoding = 0x6c00,
                                            .value = 0x20,
                                            .name = "host CR0: fixed bits" };
    status_vcpu_table_entry_failure(&table, 1, &failure, 200);
    status_vcpu_table_state(&table, 1, STATUS_VCPU_STOPPED, STATUS_VCPU_REASON_ENTRY_FAILED,
                            "VMLAUNCH failed", 201);
    struct status_log_ring *ring = status_log_ring_of(page);
    const char *ring_lines[] = { "cpu0: vmxroot: ready cpus=69/70 vmx=68 vmcs=270/280 status=0x7f000\n",
                                 "cpu1: guest: cpu1 result=FAIL VMLAUNCH failed\n" };
    for (size_t i = 0; i < ARRAY_SIZE(ring_lines); i++)
        status_log_ring_append(ring, ring_lines[i], strlen(ring_lines[i]));
    const char *log_path = getenv("VMXROOT_STATUS_SAMPLE_LOG");
    if (log_path) {
        FILE *log = fopen(log_path, "w");
        CHECK(log != NULL);
        if (log) {
            fprintf(log, "cpu0: vmxroot: ready cpus=69/70 vmx=68 vmcs=270/280 status=0x7f000\n");
            status_hexdump(page, write_log_line, log);
            fclose(log);
        }
    }
    const char *path = getenv("VMXROOT_STATUS_SAMPLE");
    if (!path)
        return;
    FILE *out = fopen(path, "wb");
    CHECK(out != NULL);
    if (out) {
        size_t bytes = (size_t)page->header.area_page_count * 4096;
        CHECK_EQ(fwrite(area, 1, bytes, out), bytes);
        fclose(out);
    }
}
