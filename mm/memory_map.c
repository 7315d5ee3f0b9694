/*
 * Memory map normalization. Firmware maps may be unsorted, may repeat a
 * range, and may overlap (a reserved hole punched into a usable range): the
 * allocator and the page tables want one type per byte.
 */
#include "mm/memory_map.h"

const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return "usable";
    case MEM_RESERVED:
        return "reserved";
    case MEM_ACPI_RECLAIMABLE:
        return "acpi-reclaimable";
    case MEM_ACPI_NVS:
        return "acpi-nvs";
    case MEM_BAD:
        return "bad";
    default:
        return "?";
    }
}

unsigned mem_type_strictness(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return 0;
    case MEM_ACPI_RECLAIMABLE:
        return 1;
    case MEM_ACPI_NVS:
        return 2;
    case MEM_BAD:
        return 4;
    default:
        return 3;
    }
}

static uint64_t region_end(const struct mem_region *r) { return r->base_phys + r->length_bytes; }

static void remove_at(struct mem_region *regions, size_t *count, size_t index)
{
    for (size_t i = index; i + 1 < *count; i++)
        regions[i] = regions[i + 1];
    (*count)--;
}

/* Inserts r at its sorted place at or after index `from` (everything before stays put). */
static bool insert_sorted(struct mem_region *regions, size_t *count, size_t capacity, size_t from,
                          struct mem_region r)
{
    if (*count >= capacity)
        return false;
    size_t at = from;
    while (at < *count && regions[at].base_phys <= r.base_phys)
        at++;
    for (size_t i = *count; i > at; i--)
        regions[i] = regions[i - 1];
    regions[at] = r;
    (*count)++;
    return true;
}

size_t mem_regions_normalize(struct mem_region *regions, size_t count, size_t capacity, bool *overflow)
{
    if (capacity < count)
        capacity = count;
    /* Drop empty regions and clip ones that would wrap past 2^64. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        struct mem_region r = regions[i];
        if (r.length_bytes > UINT64_MAX - r.base_phys)
            r.length_bytes = UINT64_MAX - r.base_phys;
        if (r.length_bytes != 0)
            regions[kept++] = r;
    }
    count = kept;

    /* Insertion sort by base: maps hold at most a few hundred entries. */
    for (size_t i = 1; i < count; i++) {
        struct mem_region r = regions[i];
        size_t j = i;
        while (j > 0 && regions[j - 1].base_phys > r.base_phys) {
            regions[j] = regions[j - 1];
            j--;
        }
        regions[j] = r;
    }

    /*
     * Invariant: regions[0..i] are disjoint, sorted, and end at or before
     * regions[i].base_phys; everything after i starts at or after it. Each
     * step either moves i on, deletes a region, or moves a region's base up.
     */
    size_t i = 0;
    while (i + 1 < count) {
        struct mem_region *a = &regions[i], *b = &regions[i + 1];
        uint64_t a_end = region_end(a), b_end = region_end(b);
        if (b->base_phys > a_end || (b->base_phys == a_end && b->type != a->type)) {
            i++;
        } else if (b->type == a->type) {
            a->length_bytes = (b_end > a_end ? b_end : a_end) - a->base_phys;
            remove_at(regions, &count, i + 1);
        } else if (mem_type_strictness(a->type) >= mem_type_strictness(b->type)) {
            /* a wins: b keeps only what sticks out past a. */
            struct mem_region rest = *b;
            remove_at(regions, &count, i + 1);
            if (b_end > a_end) {
                rest.base_phys = a_end;
                rest.length_bytes = b_end - a_end;
                insert_sorted(regions, &count, capacity, i + 1, rest); /* a slot was just freed */
            }
        } else {
            /* b wins: a keeps what lies before b, and what sticks out past b. */
            struct mem_region rest = { b_end, a_end > b_end ? a_end - b_end : 0, a->type };
            a->length_bytes = b->base_phys - a->base_phys;
            size_t from = i + 1;
            if (a->length_bytes == 0) {
                remove_at(regions, &count, i);
                from = i;
                if (i > 0)
                    i--; /* b now follows regions[i - 1]: it may continue it */
            }
            if (rest.length_bytes != 0 && !insert_sorted(regions, &count, capacity, from, rest)) {
                /*
                 * No slot for what a has past b: a piece of a goes. Usable RAM past b can go (a
                 * looser type never loses a byte to it). Anything else must stay, or a looser
                 * region after b would claim its bytes (ACPI tables handed out as free RAM): drop
                 * a's piece before b instead, which only a covers (the rest start at or after b).
                 */
                if (rest.type != MEM_USABLE) {
                    remove_at(regions, &count, i);
                    insert_sorted(regions, &count, capacity, i, rest); /* a slot was just freed */
                }
                *overflow = true;
            }
        }
    }
    return count;
}
