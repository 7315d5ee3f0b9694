/*
 * The version 1.1 area (core/status_area.h): its sizes, its set-up and the
 * memory-range block (the seqlock of one block is core/status_block.c). The 1.0 pages stay as
 * they were (core/status_page.c); the guest blocks follow them.
 */
#include "core/status_area.h"
#include "core/status_block.h"
#include "core/status_log_ring.h"
#include "core/lib/error.h"
#include "core/lib/spinlock.h"
#include "core/lib/string.h"

#define VCPU_AREA_ALIGN_BYTES 64u

int status_area_size_for(uint32_t cpu_count, struct status_area_size *size)
{
    uint64_t page_count = STATUS_PAGES_FOR_CPUS(cpu_count ? cpu_count : 1);
    if (page_count > STATUS_MAX_PAGES)
        return E_RANGE;
    uint64_t block = page_count * PAGE_SIZE_BYTES;
    uint64_t capacity = STATUS_MEMORY_RANGES_FIXED + (uint64_t)STATUS_MEMORY_RANGES_PER_CPU * cpu_count;
    uint64_t vcpu = ALIGN_UP(block + STATUS_MEMORY_BLOCK_HEADER_BYTES + capacity * STATUS_MEMORY_RANGE_BYTES,
                             (uint64_t)VCPU_AREA_ALIGN_BYTES);
    uint64_t end = vcpu + (uint64_t)cpu_count * STATUS_VCPU_RECORD_BYTES;
    uint64_t pages = (end + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    if (pages + STATUS_LOG_RING_BYTES / PAGE_SIZE_BYTES > STATUS_MAX_AREA_PAGES)
        return E_RANGE;
    /* The last page is allocated anyway: the ranges may use what the vCPU records leave of it. */
    uint64_t spare = pages * PAGE_SIZE_BYTES - end;
    capacity += spare / STATUS_MEMORY_RANGE_BYTES / 2;
    vcpu = ALIGN_UP(block + STATUS_MEMORY_BLOCK_HEADER_BYTES + capacity * STATUS_MEMORY_RANGE_BYTES,
                    (uint64_t)VCPU_AREA_ALIGN_BYTES);
    size->page_count = (uint32_t)page_count;
    size->memory_block_offset = (uint32_t)block;
    size->memory_range_capacity = (uint32_t)capacity;
    size->vcpu_area_offset = (uint32_t)vcpu;
    /* 1.2: the log ring in a page of its own after them (a 1.1 reader stops at the vCPU records). */
    size->log_ring_offset = (uint32_t)(pages * PAGE_SIZE_BYTES);
    size->area_page_count = (uint32_t)(pages + STATUS_LOG_RING_BYTES / PAGE_SIZE_BYTES);
    return 0;
}

static uint32_t memory_block_bytes(const struct status_memory_block *block)
{
    return STATUS_MEMORY_BLOCK_HEADER_BYTES + block->count * STATUS_MEMORY_RANGE_BYTES;
}

int status_init_area(struct status_page *page, uint64_t page_phys, uint32_t cpu_count,
                     uint32_t publish_interval_us)
{
    struct status_area_size size;
    int err = status_area_size_for(cpu_count, &size);
    if (err)
        return err;
    err = status_init_pages(page, page_phys, size.page_count);
    if (err)
        return err;
    uint8_t *bytes = (uint8_t *)page;
    memset(bytes + size.memory_block_offset, 0,
           (size_t)(size.area_page_count - size.page_count) * PAGE_SIZE_BYTES);
    struct status_memory_block *block = (struct status_memory_block *)(bytes + size.memory_block_offset);
    block->checksum = status_block_checksum(block, memory_block_bytes(block)); /* generation 0: even */
    for (uint32_t i = 0; i < cpu_count; i++) {
        struct status_vcpu_record *record =
            (struct status_vcpu_record *)(bytes + size.vcpu_area_offset +
                                          (size_t)i * STATUS_VCPU_RECORD_BYTES);
        record->index = (uint16_t)i;
        record->state = STATUS_VCPU_NOT_LAUNCHED;
        record->checksum = status_block_checksum(record, STATUS_VCPU_RECORD_BYTES);
    }
    status_log_ring_init((struct status_log_ring *)(bytes + size.log_ring_offset));
    status_write_begin(page);
    struct status_header *header = &page->header;
    header->area_page_count = size.area_page_count;
    header->memory_block_offset = size.memory_block_offset;
    header->memory_range_capacity = size.memory_range_capacity;
    header->memory_range_size_bytes = STATUS_MEMORY_RANGE_BYTES;
    header->vcpu_record_size_bytes = STATUS_VCPU_RECORD_BYTES;
    header->vcpu_area_offset = size.vcpu_area_offset;
    header->vcpu_record_count = cpu_count;
    header->vcpu_publish_interval_us = publish_interval_us;
    header->log_ring_offset = size.log_ring_offset;
    header->log_ring_size_bytes = STATUS_LOG_RING_BYTES;
    status_write_end(page);
    return 0;
}

struct status_memory_block *status_memory_block(struct status_page *page)
{
    if (!page || !page->header.memory_block_offset)
        return NULL;
    return (struct status_memory_block *)((uint8_t *)page + page->header.memory_block_offset);
}

struct status_vcpu_record *status_vcpu_record(struct status_page *page, uint32_t index)
{
    if (!page || !page->header.vcpu_area_offset || index >= page->header.vcpu_record_count)
        return NULL;
    uint8_t *base = (uint8_t *)page + page->header.vcpu_area_offset;
    return (struct status_vcpu_record *)(base + (size_t)index * STATUS_VCPU_RECORD_BYTES);
}

struct status_log_ring *status_log_ring_of(struct status_page *page)
{
    if (!page || !page->header.log_ring_offset)
        return NULL;
    return (struct status_log_ring *)((uint8_t *)page + page->header.log_ring_offset);
}

/* Range adds come from any CPU (the boot CPU, each CPU for its own EPT tables). */
static struct spinlock memory_lock = SPINLOCK_INIT;

static bool same_owner(const struct status_memory_range *range, uint16_t kind, uint16_t cpu)
{
    return range->kind == kind && range->cpu == cpu;
}

static uint64_t range_end(const struct status_memory_range *range)
{
    return range->phys + (uint64_t)range->size_pages * PAGE_SIZE_BYTES;
}

static void remove_at(struct status_memory_block *block, uint32_t at)
{
    memmove(&block->ranges[at], &block->ranges[at + 1], (block->count - at - 1) * sizeof block->ranges[0]);
    block->count--;
}

static bool touches(const struct status_memory_range *range, uint64_t start, uint64_t end)
{
    return range->phys <= end && range_end(range) >= start;
}

/*
 * The insertion with the block's generation odd and the lock held: every
 * same-owner range that overlaps or touches [start, end) is taken out and
 * joined to it, and the union goes in at its place by phys. So the ranges of
 * one owner are always the exact union of what was added, none touching
 * another, whatever other owners' ranges lie between them.
 */
static int insert_locked(struct status_memory_block *block, uint32_t capacity, uint16_t kind, uint16_t cpu,
                         uint64_t start, uint64_t end)
{
    /* The union first (a wider range may touch one passed over: again until nothing grows), then the removal. */
    for (bool grew = true; grew;) {
        grew = false;
        for (uint32_t i = 0; i < block->count; i++) {
            const struct status_memory_range *range = &block->ranges[i];
            if (!same_owner(range, kind, cpu) || !touches(range, start, end))
                continue;
            grew = grew || range->phys < start || range_end(range) > end;
            start = range->phys < start ? range->phys : start;
            end = range_end(range) > end ? range_end(range) : end;
        }
    }
    if ((end - start) / PAGE_SIZE_BYTES > UINT32_MAX)
        return E_RANGE;
    for (uint32_t i = 0; i < block->count;)
        if (same_owner(&block->ranges[i], kind, cpu) && touches(&block->ranges[i], start, end))
            remove_at(block, i);
        else
            i++;
    if (block->count >= capacity) {
        block->flags |= STATUS_MEMORY_INCOMPLETE;
        return E_NOMEM;
    }
    uint32_t at = 0;
    while (at < block->count && block->ranges[at].phys <= start)
        at++;
    memmove(&block->ranges[at + 1], &block->ranges[at], (block->count - at) * sizeof block->ranges[0]);
    block->ranges[at] = (struct status_memory_range){
        .phys = start, .size_pages = (uint32_t)((end - start) / PAGE_SIZE_BYTES), .kind = kind, .cpu = cpu
    };
    block->count++;
    return 0;
}

static bool valid_range(enum status_memory_kind kind, uint64_t phys, uint64_t size_bytes)
{
    return size_bytes != 0 && kind != STATUS_MEMORY_NONE && kind < STATUS_MEMORY_KIND_COUNT &&
           phys + size_bytes >= phys && phys + size_bytes <= UINT64_MAX - PAGE_SIZE_BYTES;
}

/*
 * A batch appends and sorts once at its end: insert_locked per range scans
 * and shifts the whole block, O(ranges^2) for the boot's own ranges (about
 * 1,000 at 255 CPUs; 40 ms of Bochs time at 15 CPUs). Two heap sorts, by
 * owner then by phys, with the same-owner union in between, give the same
 * ranges: each owner's exact union, none touching another of its own, sorted
 * by phys (ties by kind, then CPU).
 */
static bool before_by_owner(const struct status_memory_range *a, const struct status_memory_range *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind;
    if (a->cpu != b->cpu)
        return a->cpu < b->cpu;
    return a->phys < b->phys;
}

static bool before_by_phys(const struct status_memory_range *a, const struct status_memory_range *b)
{
    if (a->phys != b->phys)
        return a->phys < b->phys;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->cpu < b->cpu;
}

typedef bool (*range_order)(const struct status_memory_range *a, const struct status_memory_range *b);

static void sift_down(struct status_memory_range *ranges, uint32_t root, uint32_t count, range_order before)
{
    for (uint32_t child; (child = 2 * root + 1) < count; root = child) {
        if (child + 1 < count && before(&ranges[child], &ranges[child + 1]))
            child++;
        if (!before(&ranges[root], &ranges[child]))
            return;
        struct status_memory_range swap = ranges[root];
        ranges[root] = ranges[child];
        ranges[child] = swap;
    }
}

static void heap_sort(struct status_memory_range *ranges, uint32_t count, range_order before)
{
    for (uint32_t i = count / 2; i-- > 0;)
        sift_down(ranges, i, count, before);
    for (uint32_t end = count; end > 1; end--) {
        struct status_memory_range swap = ranges[0];
        ranges[0] = ranges[end - 1];
        ranges[end - 1] = swap;
        sift_down(ranges, 0, end - 1, before);
    }
}

/* Sorted by owner, then each run of one owner's touching ranges becomes its union, then sorted by phys. */
static void normalize(struct status_memory_block *block)
{
    heap_sort(block->ranges, block->count, before_by_owner);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < block->count; i++) {
        struct status_memory_range *last = kept ? &block->ranges[kept - 1] : NULL;
        const struct status_memory_range *range = &block->ranges[i];
        if (last && same_owner(last, range->kind, range->cpu) && range->phys <= range_end(last)) {
            uint64_t end = range_end(range) > range_end(last) ? range_end(range) : range_end(last);
            uint64_t pages = (end - last->phys) / PAGE_SIZE_BYTES;
            if (pages <= UINT32_MAX) {
                last->size_pages = (uint32_t)pages;
                continue;
            }
        }
        block->ranges[kept++] = *range;
    }
    block->count = kept;
    heap_sort(block->ranges, block->count, before_by_phys);
}

int status_memory_batch_begin(struct status_page *page)
{
    struct status_memory_block *block = status_memory_block(page);
    if (!block)
        return E_STATE;
    spin_lock(&memory_lock);
    status_block_write_begin(&block->generation);
    return 0;
}

int status_memory_insert_batched(struct status_page *page, enum status_memory_kind kind, uint32_t cpu,
                                 uint64_t phys, uint64_t size_bytes)
{
    struct status_memory_block *block = status_memory_block(page);
    if (!block)
        return E_STATE;
    if (!valid_range(kind, phys, size_bytes))
        return E_INVAL;
    /* Rounded out: a guest must not reach any byte of a page that holds some of it. */
    uint64_t start = ALIGN_DOWN(phys, (uint64_t)PAGE_SIZE_BYTES);
    uint64_t end = ALIGN_UP(phys + size_bytes, (uint64_t)PAGE_SIZE_BYTES);
    uint16_t owner = cpu >= STATUS_MEMORY_CPU_NONE ? STATUS_MEMORY_CPU_NONE : (uint16_t)cpu;
    uint32_t capacity = page->header.memory_range_capacity;
    if (block->count >= capacity)
        normalize(block); /* full of appended ranges: their unions may leave room */
    if (block->count >= capacity || (end - start) / PAGE_SIZE_BYTES > UINT32_MAX)
        return insert_locked(block, capacity, (uint16_t)kind, owner, start, end); /* merges, or refuses */
    block->ranges[block->count++] =
        (struct status_memory_range){ .phys = start,
                                      .size_pages = (uint32_t)((end - start) / PAGE_SIZE_BYTES),
                                      .kind = (uint16_t)kind,
                                      .cpu = owner };
    return 0;
}

void status_memory_batch_end(struct status_page *page)
{
    struct status_memory_block *block = status_memory_block(page);
    normalize(block);
    status_block_write_end(block, memory_block_bytes(block));
    spin_unlock(&memory_lock);
}

int status_memory_insert(struct status_page *page, enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                         uint64_t size_bytes)
{
    if (status_memory_block(page) && !valid_range(kind, phys, size_bytes))
        return E_INVAL; /* refused before the write: the generation does not move */
    int err = status_memory_batch_begin(page);
    if (err)
        return err;
    err = status_memory_insert_batched(page, kind, cpu, phys, size_bytes);
    status_memory_batch_end(page);
    return err;
}
