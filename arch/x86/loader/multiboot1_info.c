/*
 * The multiboot1 information block (Multiboot Specification 0.6.96, "Boot
 * information format"): its placement in the guest's RAM and its bytes.
 * The block holds, in order, the 116-byte structure, the memory map, the
 * module list and the strings, all found through the structure's
 * addresses, so the kernel needs nothing else.
 */
#include "arch/x86/loader/multiboot1.h"
#include "arch/x86/loader/little_endian.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

#define FOUR_GIB (1ull << 32)
#define LOW_LOWEST 0x10000ull /* above the real-mode IVT, the BDA and the AP trampoline's page 0 */
#define LOW_END 0xA0000ull    /* 640 KiB: conventional memory ends */
#define STRUCT_BYTES 128u     /* the 116-byte structure, padded so the map is 8-aligned */

/* Offsets inside the block. */
struct layout {
    uint64_t mmap, mods, cmdline, module_string, loader_name, bytes;
};

static size_t length_of(const char *s) { return s ? strlen(s) + 1 : 1; }

static struct layout layout_of(const struct multiboot1_info_input *in)
{
    struct layout l;
    l.mmap = STRUCT_BYTES;
    l.mods = l.mmap + (uint64_t)in->map_count * MULTIBOOT1_MMAP_ENTRY_BYTES;
    l.cmdline = l.mods + MULTIBOOT1_MODULE_BYTES;
    l.module_string = l.cmdline + length_of(in->cmdline);
    l.loader_name = l.module_string + length_of(in->module_string);
    l.bytes = ALIGN_UP(l.loader_name + length_of(in->loader_name), PAGE_SIZE_BYTES);
    return l;
}

/* [base, base + size) clear of the kernel's segments, the busy ranges and extra (the block, once placed). */
static bool is_free(const struct multiboot1_info_input *in, struct multiboot1_busy extra, uint64_t base,
                    uint64_t size)
{
    if (base < extra.end && extra.base < base + size)
        return false;
    const struct multiboot1_image *img = in->image;
    for (uint32_t i = 0; i < img->segment_count; i++)
        if (base < img->segments[i].phys + img->segments[i].mem_bytes && img->segments[i].phys < base + size)
            return false;
    for (size_t i = 0; i < in->busy_count; i++)
        if (base < in->busy[i].end && in->busy[i].base < base + size)
            return false;
    return true;
}

/* A 4 KiB-aligned address for size bytes in usable RAM within [lo, hi), free; lowest or highest; 0: none. */
static uint64_t find_slot(const struct multiboot1_info_input *in, struct multiboot1_busy extra, uint64_t lo,
                          uint64_t hi, uint64_t size, bool highest)
{
    for (size_t n = 0; n < in->map_count; n++) {
        const struct mem_region *r = &in->map[highest ? in->map_count - 1 - n : n];
        uint64_t start = ALIGN_UP(r->base_phys > lo ? r->base_phys : lo, PAGE_SIZE_BYTES);
        uint64_t end = ALIGN_DOWN(r->base_phys + r->length_bytes < hi ? r->base_phys + r->length_bytes : hi,
                                  PAGE_SIZE_BYTES);
        if (r->type != MEM_USABLE || start >= end || end - start < size)
            continue;
        /* Page by page: the busy ranges are few and the regions searched are small or searched once. */
        for (uint64_t step = 0; step <= end - start - size; step += PAGE_SIZE_BYTES) {
            uint64_t at = highest ? end - size - step : start + step;
            if (is_free(in, extra, at, size))
                return at;
        }
    }
    return 0;
}

/* The usable region holding [base, end), or NULL. */
static const struct mem_region *region_holding(const struct multiboot1_info_input *in, uint64_t base,
                                               uint64_t end)
{
    for (size_t i = 0; i < in->map_count; i++) {
        const struct mem_region *r = &in->map[i];
        if (r->type == MEM_USABLE && base >= r->base_phys && end <= r->base_phys + r->length_bytes)
            return r;
    }
    return NULL;
}

/* The lowest usable region that ends above 1 MiB, or NULL. */
static const struct mem_region *first_run_above_1mib(const struct multiboot1_info_input *in)
{
    const struct mem_region *first = NULL;
    for (size_t i = 0; i < in->map_count; i++) {
        const struct mem_region *r = &in->map[i];
        if (r->type == MEM_USABLE && r->base_phys + r->length_bytes > MiB(1) &&
            (first == NULL || r->base_phys < first->base_phys))
            first = r;
    }
    return first;
}

/*
 * The run mem_upper counts to: the one the kernel ends in; for a kernel in
 * conventional memory (kvm-unit-tests' realmode, linked at 0x8000) the first
 * one above 1 MiB, as a loader's mem_upper would be for it.
 */
static const struct mem_region *upper_run(const struct multiboot1_info_input *in)
{
    uint64_t end = in->image->end_phys;
    if (end <= LOW_END) {
        if (region_holding(in, in->image->lowest_phys, end) == NULL)
            return NULL;
        return first_run_above_1mib(in);
    }
    const struct mem_region *run = region_holding(in, end - 1, end);
    return run == NULL || run->base_phys + run->length_bytes <= MiB(1) ? NULL : run;
}

int multiboot1_info_plan(const struct multiboot1_info_input *in, struct multiboot1_info_plan *out, char *why,
                         size_t why_bytes)
{
    memset(out, 0, sizeof *out);
    const struct mem_region *run = upper_run(in);
    if (run == NULL) {
        format(why, why_bytes, "the kernel's end 0x%llx is not in usable RAM below 640 KiB or above 1 MiB",
               (unsigned long long)in->image->end_phys);
        return E_RANGE;
    }
    uint64_t run_end = run->base_phys + run->length_bytes;
    uint64_t upper = (run_end > FOUR_GIB ? FOUR_GIB : run_end) - MiB(1);
    out->mem_upper_kib = (uint32_t)(upper >> 10);
    const struct mem_region *low = in->map_count ? &in->map[0] : NULL;
    if (low && low->type == MEM_USABLE && low->base_phys == 0)
        out->mem_lower_kib = (uint32_t)((low->length_bytes < LOW_END ? low->length_bytes : LOW_END) >> 10);

    struct layout l = layout_of(in);
    uint64_t module_bytes = in->has_module ? ALIGN_UP(in->module_bytes, PAGE_SIZE_BYTES) : 0;
    if (in->has_module && module_bytes < in->module_bytes)
        module_bytes = 0; /* wrapped: refused below */
    uint64_t top = run_end > FOUR_GIB ? FOUR_GIB : run_end;
    struct multiboot1_busy none = { 0, 0 };
    if (in->has_module && module_bytes == 0 && in->module_bytes != 0) {
        format(why, why_bytes, "a module of %llu bytes", (unsigned long long)in->module_bytes);
        return E_NOMEM;
    }
    /* Low memory first, the module right after the block; else the block low and the module high. */
    out->block_phys = find_slot(in, none, LOW_LOWEST, LOW_END, l.bytes + module_bytes, false);
    if (out->block_phys) {
        out->module_phys = in->has_module ? out->block_phys + l.bytes : 0;
        out->block_bytes = l.bytes;
        return 0;
    }
    out->block_phys = find_slot(in, none, LOW_LOWEST, LOW_END, l.bytes, false);
    if (out->block_phys == 0)
        out->block_phys = find_slot(in, none, LOW_LOWEST, top, l.bytes, true);
    if (out->block_phys == 0) {
        format(why, why_bytes, "no usable RAM for the multiboot1 information block (%llu bytes)",
               (unsigned long long)l.bytes);
        return E_NOMEM;
    }
    if (in->has_module) {
        struct multiboot1_busy block = { out->block_phys, out->block_phys + l.bytes };
        out->module_phys = find_slot(in, block, run->base_phys, top, module_bytes ? module_bytes : 1, true);
        if (out->module_phys == 0) {
            format(why, why_bytes, "no usable RAM below 4 GiB for the module of %llu bytes",
                   (unsigned long long)in->module_bytes);
            return E_NOMEM;
        }
    }
    out->block_bytes = l.bytes;
    return 0;
}

static void put_string(uint8_t *block, uint64_t offset, const char *s)
{
    if (s)
        memcpy(block + offset, s, strlen(s) + 1);
}

void multiboot1_info_build(const struct multiboot1_info_input *in, const struct multiboot1_info_plan *plan,
                           uint8_t *block)
{
    struct layout l = layout_of(in);
    uint64_t base = plan->block_phys;
    memset(block, 0, plan->block_bytes);
    uint32_t flags = MULTIBOOT1_INFO_HAS_MEMORY | MULTIBOOT1_INFO_HAS_CMDLINE | MULTIBOOT1_INFO_HAS_MODS |
                     MULTIBOOT1_INFO_HAS_MMAP | MULTIBOOT1_INFO_HAS_LOADER_NAME;
    le_put(block + MULTIBOOT1_INFO_FLAGS, flags, 4);
    le_put(block + MULTIBOOT1_INFO_MEM_LOWER, plan->mem_lower_kib, 4);
    le_put(block + MULTIBOOT1_INFO_MEM_UPPER, plan->mem_upper_kib, 4);
    le_put(block + MULTIBOOT1_INFO_CMDLINE, base + l.cmdline, 4);
    le_put(block + MULTIBOOT1_INFO_MODS_COUNT, in->has_module ? 1 : 0, 4);
    le_put(block + MULTIBOOT1_INFO_MODS_ADDR, base + l.mods, 4);
    le_put(block + MULTIBOOT1_INFO_MMAP_LENGTH, (uint64_t)in->map_count * MULTIBOOT1_MMAP_ENTRY_BYTES, 4);
    le_put(block + MULTIBOOT1_INFO_MMAP_ADDR, base + l.mmap, 4);
    le_put(block + MULTIBOOT1_INFO_BOOT_LOADER_NAME, base + l.loader_name, 4);
    for (size_t i = 0; i < in->map_count; i++) {
        uint8_t *e = block + l.mmap + i * MULTIBOOT1_MMAP_ENTRY_BYTES;
        le_put(e, MULTIBOOT1_MMAP_ENTRY_BYTES - 4, 4); /* size: the bytes after this field */
        le_put(e + 4, in->map[i].base_phys, 8);
        le_put(e + 12, in->map[i].length_bytes, 8);
        le_put(e + 20, in->map[i].type, 4); /* the spec's types are mm/'s: 1 usable .. 5 bad */
    }
    if (in->has_module) {
        le_put(block + l.mods, plan->module_phys, 4);
        le_put(block + l.mods + 4, plan->module_phys + in->module_bytes, 4);
        le_put(block + l.mods + 8, base + l.module_string, 4);
    }
    put_string(block, l.cmdline, in->cmdline);
    put_string(block, l.module_string, in->module_string);
    put_string(block, l.loader_name, in->loader_name);
}
