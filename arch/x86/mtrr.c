/*
 * Reading the MTRRs into a struct mtrr_map and computing the memory type of
 * a physical range from it (SDM: "Memory Type Range Registers (MTRRs)",
 * "MTRR Precedences"). Everything is done in 4 KiB pages: the fixed ranges
 * are at least 4 KiB and the variable masks have no bits below 12.
 */
#include "arch/x86/mtrr.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

#define MTRR_ADDRESS_MASK 0x000FFFFFFFFFF000ull
#define PAGE_SHIFT 12u
#define FIXED_END_PAGE (MTRR_FIXED_END_PHYS >> PAGE_SHIFT)
/* Splits of one block into halves before mtrr_type_of_range gives up and says "not uniform". */
#define SEARCH_BUDGET 4096

bool mtrr_type_is_defined(uint64_t type)
{
    return type == MTRR_TYPE_UC || type == MTRR_TYPE_WC || type == MTRR_TYPE_WT || type == MTRR_TYPE_WP ||
           type == MTRR_TYPE_WB;
}

const char *mtrr_type_name(uint8_t type)
{
    switch (type) {
    case MTRR_TYPE_UC:
        return "UC";
    case MTRR_TYPE_WC:
        return "WC";
    case MTRR_TYPE_WT:
        return "WT";
    case MTRR_TYPE_WP:
        return "WP";
    case MTRR_TYPE_WB:
        return "WB";
    default:
        return "reserved";
    }
}

static int read_msr(mtrr_rdmsr_fn rdmsr, void *ctx, uint32_t msr, uint64_t *value)
{
    int err = rdmsr(ctx, msr, value);
    if (err != 0)
        log_error("mtrr: reading MSR 0x%X failed: %s", msr, error_name(err));
    return err;
}

/* The fixed-range MSRs in address order, 8 ranges each (the low byte is the lowest range). */
static const uint32_t fixed_msrs[MTRR_FIXED_RANGES / 8] = {
    MSR_IA32_MTRR_FIX64K_00000,    MSR_IA32_MTRR_FIX16K_80000,    MSR_IA32_MTRR_FIX16K_A0000,
    MSR_IA32_MTRR_FIX4K_C0000,     MSR_IA32_MTRR_FIX4K_C0000 + 1, MSR_IA32_MTRR_FIX4K_C0000 + 2,
    MSR_IA32_MTRR_FIX4K_C0000 + 3, MSR_IA32_MTRR_FIX4K_C0000 + 4, MSR_IA32_MTRR_FIX4K_C0000 + 5,
    MSR_IA32_MTRR_FIX4K_C0000 + 6, MSR_IA32_MTRR_FIX4K_C0000 + 7,
};

static int read_fixed(struct mtrr_map *map, mtrr_rdmsr_fn rdmsr, void *ctx)
{
    for (size_t m = 0; m < ARRAY_SIZE(fixed_msrs); m++) {
        uint64_t value;
        int err = read_msr(rdmsr, ctx, fixed_msrs[m], &value);
        if (err != 0)
            return err;
        for (size_t i = 0; i < 8; i++) {
            uint8_t type = (uint8_t)(value >> (8 * i));
            if (!mtrr_type_is_defined(type)) {
                log_error("mtrr: MSR 0x%X range %zu has reserved memory type %u", fixed_msrs[m], i, type);
                return E_INVAL;
            }
            map->fixed_type[m * 8 + i] = type;
        }
    }
    return 0;
}

static int read_variable(struct mtrr_map *map, mtrr_rdmsr_fn rdmsr, void *ctx, uint32_t count,
                         uint32_t phys_width_bits)
{
    uint64_t width_mask = (1ull << phys_width_bits) - 1;
    for (uint32_t n = 0; n < count; n++) {
        uint64_t base, mask;
        uint32_t base_msr = MSR_IA32_MTRR_PHYSBASE0 + 2 * n;
        int err = read_msr(rdmsr, ctx, base_msr, &base);
        if (err == 0)
            err = read_msr(rdmsr, ctx, base_msr + 1, &mask);
        if (err != 0)
            return err;
        if ((mask & MTRR_PHYSMASK_VALID) == 0)
            continue;
        if (!mtrr_type_is_defined(base & 0xff)) {
            log_error("mtrr: IA32_MTRR_PHYSBASE%u has reserved memory type %u", n, (unsigned)(base & 0xff));
            return E_INVAL;
        }
        struct mtrr_variable *v = &map->variable[map->variable_count++];
        v->base_phys = base & MTRR_ADDRESS_MASK & width_mask;
        /* Bits past MAXPHYADDR are 0 in PHYSMASK; as 1s, no range repeats past the physical space. */
        v->mask = (mask & MTRR_ADDRESS_MASK & width_mask) | ~width_mask;
        v->type = (uint8_t)(base & 0xff);
    }
    return 0;
}

int mtrr_read(struct mtrr_map *map, mtrr_rdmsr_fn rdmsr, void *ctx, uint32_t phys_width_bits)
{
    memset(map, 0, sizeof *map);
    if (phys_width_bits < 32 || phys_width_bits > 52) {
        log_error("mtrr: physical-address width %u bits is outside 32..52", phys_width_bits);
        return E_INVAL;
    }
    uint64_t cap, def_type;
    int err = read_msr(rdmsr, ctx, MSR_IA32_MTRRCAP, &cap);
    if (err == 0)
        err = read_msr(rdmsr, ctx, MSR_IA32_MTRR_DEF_TYPE, &def_type);
    if (err != 0)
        return err;
    uint32_t count = (uint32_t)(cap & MTRRCAP_VCNT_MASK);
    if (count > MTRR_VARIABLE_MAX) {
        log_error("mtrr: IA32_MTRRCAP reports %u variable ranges, more than the %u this build keeps", count,
                  MTRR_VARIABLE_MAX);
        return E_RANGE;
    }
    map->enabled = (def_type & MTRR_DEF_TYPE_E) != 0;
    if (!map->enabled)
        return 0; /* SDM: with E clear, UC applies to all of physical memory; nothing else counts */
    map->default_type = (uint8_t)(def_type & MTRR_DEF_TYPE_MASK);
    if (!mtrr_type_is_defined(map->default_type)) {
        log_error("mtrr: IA32_MTRR_DEF_TYPE has reserved memory type %u", map->default_type);
        return E_INVAL;
    }
    map->fixed_enabled = (cap & MTRRCAP_FIX) != 0 && (def_type & MTRR_DEF_TYPE_FE) != 0;
    if (map->fixed_enabled && (err = read_fixed(map, rdmsr, ctx)) != 0)
        return err;
    return read_variable(map, rdmsr, ctx, count, phys_width_bits);
}

/* The fixed range holding page (below 1 MiB) and the first page past that range. */
static uint8_t fixed_type_of_page(const struct mtrr_map *map, uint64_t page, uint64_t *range_end_page)
{
    size_t index;
    if (page < 0x80) { /* 64 KiB ranges: 16 pages each */
        index = (size_t)(page / 16);
        *range_end_page = (page / 16 + 1) * 16;
    } else if (page < 0xC0) { /* 16 KiB ranges: 4 pages each */
        index = 8 + (size_t)((page - 0x80) / 4);
        *range_end_page = 0x80 + ((page - 0x80) / 4 + 1) * 4;
    } else { /* 4 KiB ranges */
        index = 24 + (size_t)(page - 0xC0);
        *range_end_page = page + 1;
    }
    return map->fixed_type[index];
}

/* SDM "MTRR Precedences" for the set of types (one bit per type) of the variable ranges that match. */
static uint8_t resolve(const struct mtrr_map *map, uint32_t type_bits)
{
    if (type_bits == 0)
        return map->default_type;
    if ((type_bits & (type_bits - 1)) == 0)
        return (uint8_t)__builtin_ctz(type_bits);
    if (type_bits == ((1u << MTRR_TYPE_WT) | (1u << MTRR_TYPE_WB)))
        return MTRR_TYPE_WT;
    return MTRR_TYPE_UC; /* UC with anything is UC; every other mix is undefined, and UC is the safe one */
}

static uint32_t type_bit(uint8_t type)
{
    return mtrr_type_is_defined(type) ? 1u << type : 1u << MTRR_TYPE_UC;
}

#define MIXED_ENUMERATED 4u

/*
 * The variable-range type of the aligned block of 2^log2_bytes bytes at
 * base: a range that covers the whole block or none of it contributes its
 * type or nothing; a range that covers part of it makes the answer depend
 * on the address. When every choice for those partial ranges gives one
 * type, the block is uniform; otherwise the block is split in halves.
 */
static bool block_type(const struct mtrr_map *map, uint64_t base, unsigned log2_bytes, int *budget,
                       uint8_t *type)
{
    uint64_t low = log2_bytes >= 64 ? ~0ull : (1ull << log2_bytes) - 1;
    uint32_t in_bits = 0, mixed_bits[MIXED_ENUMERATED];
    unsigned mixed = 0;
    bool too_many = false;
    for (uint32_t i = 0; i < map->variable_count && i < MTRR_VARIABLE_MAX; i++) {
        const struct mtrr_variable *v = &map->variable[i];
        uint64_t mask = v->mask & ~(uint64_t)(PAGE_SIZE_BYTES - 1); /* bits 11:0 are reserved */
        if (((base ^ v->base_phys) & mask & ~low) != 0)
            continue; /* no byte of the block matches */
        if ((mask & low) == 0)
            in_bits |= type_bit(v->type); /* every byte matches */
        else if (mixed < MIXED_ENUMERATED)
            mixed_bits[mixed++] = type_bit(v->type);
        else
            too_many = true;
    }
    *type = resolve(map, in_bits);
    if (mixed == 0)
        return true;
    bool agree = !too_many;
    for (uint32_t subset = 1; agree && subset < (1u << mixed); subset++) {
        uint32_t bits = in_bits;
        for (unsigned m = 0; m < mixed; m++)
            bits |= (subset >> m) & 1 ? mixed_bits[m] : 0;
        agree = resolve(map, bits) == *type;
    }
    if (agree)
        return true;
    if (log2_bytes <= PAGE_SHIFT || --*budget < 0) {
        block_type(map, base & ~(uint64_t)(PAGE_SIZE_BYTES - 1), PAGE_SHIFT, budget, type);
        return false;
    }
    uint8_t high_type;
    if (!block_type(map, base, log2_bytes - 1, budget, type))
        return false;
    uint64_t half = 1ull << (log2_bytes - 1);
    return block_type(map, base + half, log2_bytes - 1, budget, &high_type) && high_type == *type;
}

bool mtrr_type_of_range(const struct mtrr_map *map, uint64_t phys, uint64_t size_bytes, uint8_t *type)
{
    *type = MTRR_TYPE_UC;
    if (size_bytes == 0 || phys + size_bytes - 1 < phys)
        return false;
    if (!map->enabled)
        return true;
    uint64_t page = phys >> PAGE_SHIFT, last_page = (phys + size_bytes - 1) >> PAGE_SHIFT;
    int budget = SEARCH_BUDGET;
    bool first = true;
    for (;;) {
        uint8_t block;
        uint64_t next_page;
        bool uniform = true;
        if (map->fixed_enabled && page < FIXED_END_PAGE) {
            block = fixed_type_of_page(map, page, &next_page);
        } else {
            /* The largest aligned power-of-two block at page that ends within the range. */
            unsigned log2_pages = page == 0 ? 52 : (unsigned)__builtin_ctzll(page);
            if (log2_pages > 52)
                log2_pages = 52;
            while (log2_pages > 0 && (last_page - page) < (1ull << log2_pages) - 1)
                log2_pages--;
            uniform = block_type(map, page << PAGE_SHIFT, log2_pages + PAGE_SHIFT, &budget, &block);
            next_page = page + (1ull << log2_pages);
        }
        if (first)
            *type = block;
        if (!uniform || block != *type)
            return false;
        first = false;
        if (next_page > last_page || next_page == 0)
            return true;
        page = next_page;
    }
}

void mtrr_map_all(struct mtrr_map *map, uint8_t type)
{
    memset(map, 0, sizeof *map);
    map->enabled = true;
    map->default_type = type;
}
