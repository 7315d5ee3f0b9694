/*
 * MTRR layouts for the host tests: a fake MSR file that mtrr_read reads
 * through its callback, helpers that fill it the way a BIOS does, and an
 * oracle that computes one address's memory type straight from the SDM's
 * rules ("MTRR Precedences"), independent of arch/x86/mtrr.c's block search.
 */
#ifndef TESTS_UNIT_MTRR_BUILD_H
#define TESTS_UNIT_MTRR_BUILD_H

#include "arch/x86/mtrr.h"
#include "core/lib/error.h"

#define FAKE_MSR_COUNT 64

/* In the fuzz harness the oracle runs for every page: tracing its comparisons only slows the search. */
#ifdef VMXROOT_FUZZ
#define ORACLE_CODE __attribute__((no_sanitize("coverage")))
#else
#define ORACLE_CODE
#endif

struct fake_msrs {
    uint32_t msr[FAKE_MSR_COUNT];
    uint64_t value[FAKE_MSR_COUNT];
    int count;
    uint32_t fail_msr; /* reading it returns E_FAULT, as a #GP would */
};

static inline void fake_msr_set(struct fake_msrs *f, uint32_t msr, uint64_t value)
{
    for (int i = 0; i < f->count; i++)
        if (f->msr[i] == msr) {
            f->value[i] = value;
            return;
        }
    if (f->count < FAKE_MSR_COUNT) {
        f->msr[f->count] = msr;
        f->value[f->count++] = value;
    }
}

static inline int fake_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    struct fake_msrs *f = ctx;
    if (msr == f->fail_msr)
        return E_FAULT;
    for (int i = 0; i < f->count; i++)
        if (f->msr[i] == msr) {
            *value = f->value[i];
            return 0;
        }
    *value = 0;
    return 0;
}

/* Variable range n: base, a power-of-two size (base aligned to it), type; phys width in bits. */
static inline void fake_mtrr_variable(struct fake_msrs *f, unsigned n, uint64_t base, uint64_t size_bytes,
                                      uint8_t type, unsigned width_bits)
{
    uint64_t width_mask = (1ull << width_bits) - 1;
    fake_msr_set(f, MSR_IA32_MTRR_PHYSBASE0 + 2 * n, base | type);
    fake_msr_set(f, MSR_IA32_MTRR_PHYSBASE0 + 2 * n + 1,
                 (~(size_bytes - 1) & width_mask) | MTRR_PHYSMASK_VALID);
}

/* Every fixed-range MSR holding one type in all 8 ranges. */
static inline void fake_mtrr_fixed_all(struct fake_msrs *f, uint8_t type)
{
    uint64_t all = 0x0101010101010101ull * type;
    fake_msr_set(f, MSR_IA32_MTRR_FIX64K_00000, all);
    fake_msr_set(f, MSR_IA32_MTRR_FIX16K_80000, all);
    fake_msr_set(f, MSR_IA32_MTRR_FIX16K_A0000, all);
    for (uint32_t m = 0; m < 8; m++)
        fake_msr_set(f, MSR_IA32_MTRR_FIX4K_C0000 + m, all);
}

#define BIOS_WIDTH_BITS 39

/*
 * A typical BIOS layout on a machine with 8 GiB: default WB; fixed ranges WB
 * below 640 KiB, UC for the VGA window 0xA0000-0xBFFFF, WP for the option
 * ROMs at 0xC0000-0xC7FFF, UC to 0xEFFFF, WP for the BIOS at 0xF0000-0xFFFFF;
 * a UC hole for MMIO at 3-4 GiB (var0) and an 8 MiB UC range just below it,
 * 0xBF800000-0xBFFFFFFF (var1, graphics stolen memory), 10 variable ranges.
 */
static inline void fake_mtrr_bios(struct fake_msrs *f)
{
    fake_msr_set(f, MSR_IA32_MTRRCAP, 10 | MTRRCAP_FIX | MTRRCAP_WC);
    fake_msr_set(f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_WB);
    fake_mtrr_fixed_all(f, MTRR_TYPE_WB);
    fake_msr_set(f, MSR_IA32_MTRR_FIX16K_A0000, 0); /* UC */
    fake_msr_set(f, MSR_IA32_MTRR_FIX4K_C0000, 0x0505050505050505ull);
    for (uint32_t m = 1; m < 6; m++)
        fake_msr_set(f, MSR_IA32_MTRR_FIX4K_C0000 + m, 0);
    fake_msr_set(f, MSR_IA32_MTRR_FIX4K_C0000 + 6, 0x0505050505050505ull);
    fake_msr_set(f, MSR_IA32_MTRR_FIX4K_C0000 + 7, 0x0505050505050505ull);
    fake_mtrr_variable(f, 0, 0xC0000000ull, 1ull << 30, MTRR_TYPE_UC, BIOS_WIDTH_BITS);
    fake_mtrr_variable(f, 1, 0xBF800000ull, 8ull << 20, MTRR_TYPE_UC, BIOS_WIDTH_BITS);
}

/* The SDM's rules for one address, the slow way. */
ORACLE_CODE static inline uint8_t mtrr_oracle_type(const struct mtrr_map *map, uint64_t phys)
{
    if (!map->enabled)
        return MTRR_TYPE_UC;
    if (map->fixed_enabled && phys < 0x80000)
        return map->fixed_type[phys / 0x10000];
    if (map->fixed_enabled && phys < 0xC0000)
        return map->fixed_type[8 + (phys - 0x80000) / 0x4000];
    if (map->fixed_enabled && phys < 0x100000)
        return map->fixed_type[24 + (phys - 0xC0000) / 0x1000];
    bool uc = false, wt = false, wb = false, other = false, any = false;
    uint8_t first = 0;
    for (uint32_t i = 0; i < map->variable_count; i++) {
        const struct mtrr_variable *v = &map->variable[i];
        uint64_t mask = v->mask & ~0xfffull;
        if ((phys & mask) != (v->base_phys & mask))
            continue;
        if (!any)
            first = v->type;
        any = true;
        uc |= v->type == MTRR_TYPE_UC || !mtrr_type_is_defined(v->type);
        wt |= v->type == MTRR_TYPE_WT;
        wb |= v->type == MTRR_TYPE_WB;
        other |= v->type != first;
    }
    if (!any)
        return map->default_type;
    if (!other)
        return mtrr_type_is_defined(first) ? first : MTRR_TYPE_UC;
    if (uc)
        return MTRR_TYPE_UC;
    if (wt && wb) {
        /* WT with WB is WT only when nothing else is in the mix. */
        bool only = true;
        for (uint32_t i = 0; i < map->variable_count; i++) {
            const struct mtrr_variable *v = &map->variable[i];
            uint64_t mask = v->mask & ~0xfffull;
            if ((phys & mask) == (v->base_phys & mask) && v->type != MTRR_TYPE_WT && v->type != MTRR_TYPE_WB)
                only = false;
        }
        return only ? MTRR_TYPE_WT : MTRR_TYPE_UC;
    }
    return MTRR_TYPE_UC;
}

#endif
