/*
 * Physical frame allocator over two sorted span lists: `free` (can be handed
 * out) and `owned` (free or handed out). owned is what makes a bad free
 * detectable: a run being freed must lie inside owned and outside free.
 * Every operation first checks that it cannot run out of span slots, then
 * changes the lists, so a failure never leaves a half-done change.
 */
#include "mm/pmm.h"
#include "mm/multiboot2.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

/* The highest frame-aligned end an address range can have without wrapping. */
#define PMM_TOP_PHYS (UINT64_MAX & ~(uint64_t)(PMM_FRAME_BYTES - 1))
#define PMM_LOW_MEMORY_END_PHYS MiB(1)
#define PMM_4GIB_PHYS GiB(4)

/* --- span lists ------------------------------------------------------- */

/* Index of the first span ending at or after addr (so touching it counts), or count. */
static uint32_t first_reaching(const struct pmm_span_list *l, uint64_t addr)
{
    uint32_t lo = 0, hi = l->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->spans[mid].end_phys < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Does one span contain all of [base, end)? */
static bool spans_cover(const struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint32_t i = first_reaching(l, end);
    return i < l->count && l->spans[i].base_phys <= base && l->spans[i].end_phys >= end;
}

static bool spans_overlap(const struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint32_t i = first_reaching(l, base + 1);
    return i < l->count && l->spans[i].base_phys < end;
}

/* Would adding [base, end) need a new slot (it touches no span)? */
static bool add_needs_slot(const struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint32_t i = first_reaching(l, base);
    return i == l->count || l->spans[i].base_phys > end;
}

/* Would removing [base, end) split a span in two? */
static bool remove_needs_slot(const struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint32_t i = first_reaching(l, end);
    return i < l->count && l->spans[i].base_phys < base && l->spans[i].end_phys > end;
}

/* Union with [base, end). The caller checked add_needs_slot against the capacity. */
static void spans_add(struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint32_t first = first_reaching(l, base), last = first;
    while (last < l->count && l->spans[last].base_phys <= end)
        last++;
    if (first == last) {
        memmove(&l->spans[first + 1], &l->spans[first], (l->count - first) * sizeof l->spans[0]);
        l->spans[first] = (struct pmm_span){ base, end };
        l->count++;
        return;
    }
    /* spans[first..last) touch [base, end): they become one. */
    struct pmm_span merged = { l->spans[first].base_phys, l->spans[last - 1].end_phys };
    if (base < merged.base_phys)
        merged.base_phys = base;
    if (end > merged.end_phys)
        merged.end_phys = end;
    l->spans[first] = merged;
    memmove(&l->spans[first + 1], &l->spans[last], (l->count - last) * sizeof l->spans[0]);
    l->count -= last - first - 1;
}

/* Removes [base, end); returns the bytes removed. The caller checked remove_needs_slot. */
static uint64_t spans_remove(struct pmm_span_list *l, uint64_t base, uint64_t end)
{
    uint64_t removed = 0;
    uint32_t i = first_reaching(l, base + 1);
    while (i < l->count && l->spans[i].base_phys < end) {
        struct pmm_span *s = &l->spans[i];
        uint64_t cut_base = s->base_phys > base ? s->base_phys : base;
        uint64_t cut_end = s->end_phys < end ? s->end_phys : end;
        removed += cut_end - cut_base;
        if (s->base_phys < base && s->end_phys > end) { /* split */
            memmove(&l->spans[i + 1], &l->spans[i], (l->count - i) * sizeof l->spans[0]);
            l->count++;
            l->spans[i].end_phys = base;
            l->spans[i + 1].base_phys = end;
            break;
        }
        if (s->base_phys < base) {
            s->end_phys = base;
            i++;
        } else if (s->end_phys > end) {
            s->base_phys = end;
            i++;
        } else {
            memmove(&l->spans[i], &l->spans[i + 1], (l->count - i - 1) * sizeof l->spans[0]);
            l->count--;
        }
    }
    return removed;
}

/*
 * The next part of [*cursor, end) that no span of l covers, moving *cursor
 * past it. False when there is none left.
 */
static bool next_gap(const struct pmm_span_list *l, uint64_t *cursor, uint64_t end, struct pmm_span *gap)
{
    while (*cursor < end) {
        uint32_t i = first_reaching(l, *cursor + 1);
        if (i < l->count && l->spans[i].base_phys <= *cursor) {
            *cursor = l->spans[i].end_phys;
            continue;
        }
        gap->base_phys = *cursor;
        gap->end_phys = (i < l->count && l->spans[i].base_phys < end) ? l->spans[i].base_phys : end;
        *cursor = gap->end_phys;
        return true;
    }
    return false;
}

/* --- the allocator ----------------------------------------------------- */

void pmm_init_with_capacity(struct pmm *p, uint32_t range_capacity)
{
    memset(p, 0, sizeof *p);
    if (range_capacity < 1 || range_capacity > PMM_MAX_RANGES)
        range_capacity = PMM_MAX_RANGES;
    p->capacity = range_capacity;
}

void pmm_init(struct pmm *p) { pmm_init_with_capacity(p, PMM_MAX_RANGES); }

int pmm_add_usable(struct pmm *p, uint64_t base_phys, uint64_t length_bytes)
{
    uint64_t end = length_bytes > PMM_TOP_PHYS - base_phys || base_phys > PMM_TOP_PHYS
                       ? PMM_TOP_PHYS
                       : ALIGN_DOWN(base_phys + length_bytes, PMM_FRAME_BYTES);
    uint64_t base = base_phys > PMM_TOP_PHYS ? PMM_TOP_PHYS : ALIGN_UP(base_phys, PMM_FRAME_BYTES);
    if (base < PMM_FRAME_BYTES)
        base = PMM_FRAME_BYTES; /* frame 0 stays out */
    if (base >= end)
        return E_OK;

    /*
     * Only the parts not owned yet become free. Owned spans lie between
     * them, so a gap can only merge with free spans it touches now: the
     * gaps touching none are the new slots free needs.
     */
    uint32_t new_free_spans = 0;
    struct pmm_span gap;
    for (uint64_t cursor = base; next_gap(&p->owned, &cursor, end, &gap);)
        new_free_spans += add_needs_slot(&p->free, gap.base_phys, gap.end_phys);
    if (p->free.count + new_free_spans > p->capacity ||
        (add_needs_slot(&p->owned, base, end) && p->owned.count >= p->capacity))
        return E_NOMEM;
    for (uint64_t cursor = base; next_gap(&p->owned, &cursor, end, &gap);) {
        spans_add(&p->free, gap.base_phys, gap.end_phys);
        p->usable_bytes += gap.end_phys - gap.base_phys;
        p->free_bytes += gap.end_phys - gap.base_phys;
    }
    spans_add(&p->owned, base, end);
    return E_OK;
}

int pmm_reserve(struct pmm *p, uint64_t base_phys, uint64_t length_bytes)
{
    if (length_bytes == 0)
        return E_OK;
    if (base_phys >= PMM_TOP_PHYS)
        return E_OK; /* the last frame of the address space is never owned */
    uint64_t base = ALIGN_DOWN(base_phys, PMM_FRAME_BYTES);
    uint64_t end = length_bytes > PMM_TOP_PHYS - base_phys
                       ? PMM_TOP_PHYS
                       : ALIGN_UP(base_phys + length_bytes, PMM_FRAME_BYTES);
    if ((remove_needs_slot(&p->free, base, end) && p->free.count >= p->capacity) ||
        (remove_needs_slot(&p->owned, base, end) && p->owned.count >= p->capacity)) {
        log_error("pmm: no span slot left to reserve 0x%llx..0x%llx: the memory map is too fragmented",
                  (unsigned long long)base, (unsigned long long)end);
        return E_NOMEM;
    }
    p->free_bytes -= spans_remove(&p->free, base, end);
    p->reserved_bytes += spans_remove(&p->owned, base, end);
    return E_OK;
}

/* Lowest start in span s that satisfies the request, or false. */
static bool fit_in_span(const struct pmm_span *s, uint64_t size, uint64_t align, uint64_t low, uint64_t limit,
                        uint64_t *start_out)
{
    uint64_t start = s->base_phys > low ? s->base_phys : low;
    if (start > UINT64_MAX - (align - 1))
        return false;
    start = ALIGN_UP(start, align);
    if (start >= s->end_phys || size > s->end_phys - start || start + size > limit)
        return false;
    *start_out = start;
    return true;
}

/* Highest start in span s that satisfies the request, or false. */
static bool fit_in_span_top(const struct pmm_span *s, uint64_t size, uint64_t align, uint64_t low,
                            uint64_t limit, uint64_t *start_out)
{
    uint64_t end = s->end_phys < limit ? s->end_phys : limit;
    uint64_t base = s->base_phys > low ? s->base_phys : low;
    if (end <= base || end - base < size)
        return false;
    uint64_t start = ALIGN_DOWN(end - size, align);
    if (start < base)
        return false;
    *start_out = start;
    return true;
}

int pmm_alloc(struct pmm *p, size_t frame_count, uint64_t align_bytes, unsigned flags, uint64_t *phys_out)
{
    if (frame_count == 0 || (flags & ~PMM_FLAGS_ALL) != 0 || align_bytes < PMM_FRAME_BYTES ||
        (align_bytes & (align_bytes - 1)) != 0)
        return E_INVAL;
    if (frame_count > PMM_TOP_PHYS / PMM_FRAME_BYTES)
        return E_NOMEM;
    uint64_t size = (uint64_t)frame_count * PMM_FRAME_BYTES;
    uint64_t low = (flags & PMM_BELOW_1MIB) ? PMM_FRAME_BYTES : PMM_LOW_MEMORY_END_PHYS;
    uint64_t limit = (flags & PMM_BELOW_1MIB)   ? PMM_LOW_MEMORY_END_PHYS
                     : (flags & PMM_BELOW_4GIB) ? PMM_4GIB_PHYS
                                                : UINT64_MAX;
    bool highest = flags & PMM_HIGHEST;
    uint32_t first = first_reaching(&p->free, low + 1);
    for (uint32_t n = first; n < p->free.count; n++) {
        uint32_t i = highest ? p->free.count - 1 - (n - first) : n;
        const struct pmm_span *s = &p->free.spans[i];
        if (s->base_phys >= limit) {
            if (highest)
                continue;
            break;
        }
        uint64_t start;
        if (highest ? !fit_in_span_top(s, size, align_bytes, low, limit, &start)
                    : !fit_in_span(s, size, align_bytes, low, limit, &start))
            continue;
        /* Carving from the middle splits the span; with the table full try a later one. */
        if (remove_needs_slot(&p->free, start, start + size) && p->free.count >= p->capacity)
            continue;
        spans_remove(&p->free, start, start + size);
        p->free_bytes -= size;
        *phys_out = start;
        return E_OK;
    }
    return E_NOMEM;
}

int pmm_free(struct pmm *p, uint64_t phys, size_t frame_count)
{
    if (frame_count == 0 || !IS_ALIGNED(phys, PMM_FRAME_BYTES) ||
        frame_count > (PMM_TOP_PHYS - phys) / PMM_FRAME_BYTES) {
        log_error("pmm: refusing to free %zu frames at 0x%llx: not a whole frame run", frame_count,
                  (unsigned long long)phys);
        return E_INVAL;
    }
    uint64_t end = phys + (uint64_t)frame_count * PMM_FRAME_BYTES;
    if (!spans_cover(&p->owned, phys, end)) {
        log_error("pmm: refusing to free 0x%llx..0x%llx: not RAM the allocator handed out (a bad address or "
                  "a reserved range)",
                  (unsigned long long)phys, (unsigned long long)end);
        return E_INVAL;
    }
    if (spans_overlap(&p->free, phys, end)) {
        log_error("pmm: refusing to free 0x%llx..0x%llx: part of it is already free (a double free)",
                  (unsigned long long)phys, (unsigned long long)end);
        return E_INVAL;
    }
    if (add_needs_slot(&p->free, phys, end) && p->free.count >= p->capacity) {
        log_warn("pmm: free span table full; 0x%llx..0x%llx stays allocated", (unsigned long long)phys,
                 (unsigned long long)end);
        return E_NOMEM;
    }
    spans_add(&p->free, phys, end);
    p->free_bytes += end - phys;
    return E_OK;
}

int pmm_carve_top(struct pmm *p, uint64_t region_bytes, uint64_t limit_phys, struct pmm_span *region)
{
    const uint64_t low = MiB(1), large = MiB(2);
    if (region_bytes == 0 || region_bytes % PMM_FRAME_BYTES)
        return E_INVAL;
    for (uint32_t i = p->free.count; i-- > 0;) {
        const struct pmm_span *s = &p->free.spans[i];
        uint64_t base = s->base_phys > low ? s->base_phys : low;
        uint64_t end = s->end_phys < limit_phys ? s->end_phys : limit_phys;
        if (end <= base || end - base < region_bytes)
            continue;
        uint64_t start = end - region_bytes;
        if (ALIGN_DOWN(start, large) >= base)
            start = ALIGN_DOWN(start, large); /* a 2 MiB boundary below: the guest keeps large pages */
        struct pmm_span keep = { start, start + region_bytes };
        /* Two removals, below the region and above it; a failed second one must not leave the first. */
        struct pmm_span_list free_before = p->free, owned_before = p->owned;
        uint64_t free_bytes = p->free_bytes, reserved_bytes = p->reserved_bytes;
        int err = pmm_reserve(p, low, keep.base_phys - low);
        if (!err && keep.end_phys < PMM_TOP_PHYS)
            err = pmm_reserve(p, keep.end_phys, PMM_TOP_PHYS - keep.end_phys);
        if (err) {
            p->free = free_before;
            p->owned = owned_before;
            p->free_bytes = free_bytes;
            p->reserved_bytes = reserved_bytes;
            return err;
        }
        *region = keep;
        return E_OK;
    }
    return E_NOMEM;
}

void pmm_get_stats(const struct pmm *p, struct pmm_stats *out)
{
    out->usable_bytes = p->usable_bytes;
    out->reserved_bytes = p->reserved_bytes;
    out->free_bytes = p->free_bytes;
    out->allocated_bytes = p->usable_bytes - p->reserved_bytes - p->free_bytes;
    out->free_ranges = p->free.count;
}

void pmm_log_free_spans(const struct pmm *p)
{
    for (uint32_t i = 0; i < p->free.count; i++)
        log_debug("pmm: free 0x%llx..0x%llx", (unsigned long long)p->free.spans[i].base_phys,
                  (unsigned long long)p->free.spans[i].end_phys);
}

int pmm_init_from_boot_info(struct pmm *p, const struct boot_info *info, const struct pmm_range *reserved,
                            size_t reserved_count)
{
    int err = E_OK;
    pmm_init(p);
    for (uint32_t i = 0; i < info->region_count; i++)
        if (info->regions[i].type == MEM_USABLE &&
            pmm_add_usable(p, info->regions[i].base_phys, info->regions[i].length_bytes) != E_OK)
            log_warn("pmm: no span slot for usable RAM at 0x%llx; it is not used",
                     (unsigned long long)info->regions[i].base_phys);
    /* After all usable regions, so a stricter region wins wherever the map overlaps. */
    for (uint32_t i = 0; i < info->region_count && err == E_OK; i++)
        if (info->regions[i].type != MEM_USABLE)
            err = pmm_reserve(p, info->regions[i].base_phys, info->regions[i].length_bytes);
    if (err == E_OK)
        err = pmm_reserve(p, info->info_phys, info->info_size_bytes);
    for (uint32_t i = 0; i < info->module_count && err == E_OK; i++)
        err = pmm_reserve(p, info->modules[i].start_phys,
                          info->modules[i].end_phys - info->modules[i].start_phys);
    for (size_t i = 0; i < reserved_count && err == E_OK; i++)
        err = pmm_reserve(p, reserved[i].base_phys, reserved[i].length_bytes);
    if (err != E_OK)
        return err;
    log_debug("pmm: %llu KiB usable, %llu KiB reserved, %llu KiB free in %u spans",
              (unsigned long long)(p->usable_bytes >> 10), (unsigned long long)(p->reserved_bytes >> 10),
              (unsigned long long)(p->free_bytes >> 10), p->free.count);
    return E_OK;
}
