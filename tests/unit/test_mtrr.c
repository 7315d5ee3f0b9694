// host-sources: arch/x86/mtrr.c core/lib/error.c core/lib/format.c
/*
 * MTRR reading and range types (SDM: "Memory Type Range Registers
 * (MTRRs)", "MTRR Precedences"): a typical BIOS layout with a UC hole below
 * 4 GiB and fixed ranges below 1 MiB, overlapping variable ranges, MTRRs
 * disabled, fixed ranges disabled, read errors; each answer also checked
 * page by page against the oracle in mtrr_build.h.
 */
#include "tests/unit/mtrr_build.h"
#include "tests/unit/check.h"

static struct mtrr_map read_map(struct fake_msrs *f, unsigned width_bits)
{
    struct mtrr_map map;
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, f, width_bits), 0);
    return map;
}

static struct mtrr_map bios_map(void)
{
    struct fake_msrs f = { 0 };
    fake_mtrr_bios(&f);
    return read_map(&f, BIOS_WIDTH_BITS);
}

static uint8_t type_at(const struct mtrr_map *map, uint64_t phys)
{
    uint8_t type = 0xff;
    CHECK(mtrr_type_of_range(map, phys, 4096, &type));
    return type;
}

/* mtrr_type_of_range against the oracle, every page of the range (small ranges only). */
static bool oracle_uniform(const struct mtrr_map *map, uint64_t phys, uint64_t size_bytes, uint8_t *first)
{
    *first = mtrr_oracle_type(map, phys);
    for (uint64_t p = phys; p < phys + size_bytes; p += 4096)
        if (mtrr_oracle_type(map, p) != *first)
            return false;
    return true;
}

static void check_against_oracle(const struct mtrr_map *map, uint64_t phys, uint64_t size_bytes)
{
    uint8_t got = 0xff, want = 0xfe;
    bool uniform = mtrr_type_of_range(map, phys, size_bytes, &got);
    CHECK_EQ(uniform, oracle_uniform(map, phys, size_bytes, &want));
    CHECK_EQ(got, want);
}

TEST(mtrr_read_decodes_a_bios_layout)
{
    struct mtrr_map map = bios_map();
    CHECK(map.enabled);
    CHECK(map.fixed_enabled);
    CHECK_EQ(map.default_type, MTRR_TYPE_WB);
    CHECK_EQ(map.variable_count, 2); /* 10 registers, 2 valid */
    CHECK_EQ(map.variable[0].base_phys, 0xC0000000ull);
    CHECK_EQ(map.variable[0].mask, ~((1ull << 30) - 1));
    CHECK_EQ(map.variable[0].type, MTRR_TYPE_UC);
    CHECK_EQ(map.fixed_type[0], MTRR_TYPE_WB);
    CHECK_EQ(map.fixed_type[16], MTRR_TYPE_UC); /* 0xA0000 */
    CHECK_EQ(map.fixed_type[24], MTRR_TYPE_WP); /* 0xC0000 */
    CHECK_EQ(map.fixed_type[87], MTRR_TYPE_WP); /* 0xFF000 */
}

TEST(mtrr_bios_fixed_ranges_below_1mib)
{
    struct mtrr_map map = bios_map();
    uint8_t type;
    CHECK_EQ(type_at(&map, 0), MTRR_TYPE_WB);
    CHECK_EQ(type_at(&map, 0x9F000), MTRR_TYPE_WB);
    CHECK_EQ(type_at(&map, 0xA0000), MTRR_TYPE_UC);
    CHECK_EQ(type_at(&map, 0xC7000), MTRR_TYPE_WP);
    CHECK_EQ(type_at(&map, 0xC8000), MTRR_TYPE_UC);
    CHECK_EQ(type_at(&map, 0xF0000), MTRR_TYPE_WP);
    CHECK(mtrr_type_of_range(&map, 0, 0xA0000, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, 0xA0000, 0x20000, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(!mtrr_type_of_range(&map, 0, 0x100000, &type));
    CHECK_EQ(type, MTRR_TYPE_WB); /* the first byte's type */
    CHECK(!mtrr_type_of_range(&map, 0, 2u << 20, &type));
    check_against_oracle(&map, 0, 2u << 20);
    check_against_oracle(&map, 0x9C000, 0x8000);
}

TEST(mtrr_bios_uc_hole_below_4gib)
{
    struct mtrr_map map = bios_map();
    uint8_t type;
    CHECK(mtrr_type_of_range(&map, 1ull << 20, 1ull << 20, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, 1ull << 30, 1ull << 30, &type)); /* 1-2 GiB: one 1 GiB page */
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(!mtrr_type_of_range(&map, 2ull << 30, 1ull << 30, &type)); /* 2-3 GiB ends in the 8 MiB UC range */
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, 0xBF600000ull, 2u << 20, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, 0xBF800000ull, 2u << 20, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(mtrr_type_of_range(&map, 0xBF800000ull, (1ull << 30) + (8u << 20), &type)); /* UC to 4 GiB */
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(mtrr_type_of_range(&map, 3ull << 30, 1ull << 30, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(mtrr_type_of_range(&map, 4ull << 30, 4ull << 30, &type)); /* RAM above 4 GiB: the default */
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(!mtrr_type_of_range(&map, 0xBF7FF000ull, 0x2000, &type)); /* WB then UC */
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, 0xBFFFF000ull, 0x2000, &type)); /* var1 then var0: UC both */
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(!mtrr_type_of_range(&map, 0xFFFFF000ull, 0x2000, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    check_against_oracle(&map, 0xBF000000ull, 16u << 20);
    check_against_oracle(&map, 0xFFF00000ull, 2u << 20);
}

TEST(mtrr_variable_ranges_do_not_repeat_past_the_physical_width)
{
    struct mtrr_map map = bios_map();
    /* 3 GiB + 2^39 matches var0's mask bits below bit 39 only; the widened mask keeps it out. */
    CHECK_EQ(type_at(&map, (3ull << 30) + (1ull << BIOS_WIDTH_BITS)), MTRR_TYPE_WB);
}

TEST(mtrr_overlapping_variable_ranges_follow_the_sdm)
{
    struct fake_msrs f = { 0 };
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 8 | MTRRCAP_FIX);
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_TYPE_UC); /* fixed ranges off */
    fake_mtrr_variable(&f, 0, 0, 8ull << 30, MTRR_TYPE_WB, 36);               /* 0-8 GiB WB */
    fake_mtrr_variable(&f, 1, 3ull << 30, 1ull << 30, MTRR_TYPE_UC, 36);      /* UC wins over WB */
    fake_mtrr_variable(&f, 2, 1ull << 30, 256u << 20, MTRR_TYPE_WT, 36);      /* WT over WB */
    fake_mtrr_variable(&f, 3, 0x50000000ull, 2u << 20, MTRR_TYPE_WC, 36);     /* WC with WB: undefined */
    fake_mtrr_variable(&f, 4, 0x60000000ull, 2u << 20, MTRR_TYPE_WB, 36);     /* WB twice: WB */
    fake_mtrr_variable(&f, 5, 0x70000000ull, 2u << 20, MTRR_TYPE_WT, 36);     /* WT ... */
    fake_mtrr_variable(&f, 6, 0x70000000ull, 1u << 20, MTRR_TYPE_UC, 36);     /* ... with UC on half: UC */
    struct mtrr_map map = read_map(&f, 36);
    CHECK(!map.fixed_enabled);
    CHECK_EQ(map.variable_count, 7);
    CHECK_EQ(type_at(&map, 0), MTRR_TYPE_WB); /* no fixed ranges: the variable range covers 0 too */
    CHECK_EQ(type_at(&map, 0xA0000), MTRR_TYPE_WB);
    CHECK_EQ(type_at(&map, 3ull << 30), MTRR_TYPE_UC);
    CHECK_EQ(type_at(&map, 1ull << 30), MTRR_TYPE_WT);
    CHECK_EQ(type_at(&map, 0x50000000ull), MTRR_TYPE_UC);
    CHECK_EQ(type_at(&map, 0x60000000ull), MTRR_TYPE_WB);
    CHECK_EQ(type_at(&map, 0x70000000ull), MTRR_TYPE_UC);
    CHECK_EQ(type_at(&map, 0x70100000ull), MTRR_TYPE_WT);
    CHECK_EQ(type_at(&map, 8ull << 30), MTRR_TYPE_UC); /* past every range: the default */
    uint8_t type;
    CHECK(mtrr_type_of_range(&map, 0x60000000ull, 2u << 20, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(!mtrr_type_of_range(&map, 0x70000000ull, 2u << 20, &type));
    CHECK(mtrr_type_of_range(&map, 3ull << 30, 1ull << 30, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(!mtrr_type_of_range(&map, 1ull << 30, 1ull << 30, &type));
    CHECK_EQ(type, MTRR_TYPE_WT);
    check_against_oracle(&map, 0x4FE00000ull, 8u << 20);
    check_against_oracle(&map, 0x6FE00000ull, 8u << 20);
    check_against_oracle(&map, 0x0FF00000ull, 0x10200000ull);
}

TEST(mtrr_disabled_makes_everything_uc)
{
    struct fake_msrs f = { 0 };
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 8 | MTRRCAP_FIX);
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_FE | MTRR_TYPE_WB); /* E clear */
    fake_mtrr_fixed_all(&f, MTRR_TYPE_WB);
    fake_mtrr_variable(&f, 0, 0, 4ull << 30, MTRR_TYPE_WB, 36);
    struct mtrr_map map = read_map(&f, 36);
    CHECK(!map.enabled);
    CHECK(!map.fixed_enabled);
    uint8_t type = 0xff;
    CHECK(mtrr_type_of_range(&map, 0, 64ull << 30, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
}

TEST(mtrr_fixed_enable_needs_the_capability)
{
    struct fake_msrs f = { 0 };
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 2); /* no FIX */
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_WB);
    fake_mtrr_fixed_all(&f, MTRR_TYPE_UC);
    struct mtrr_map map = read_map(&f, 36);
    CHECK(!map.fixed_enabled);
    CHECK_EQ(type_at(&map, 0xA0000), MTRR_TYPE_WB);
}

TEST(mtrr_all_of_one_type)
{
    struct mtrr_map map;
    mtrr_map_all(&map, MTRR_TYPE_WB);
    uint8_t type;
    CHECK(mtrr_type_of_range(&map, 0, 1ull << 40, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
}

TEST(mtrr_range_edges)
{
    struct mtrr_map map = bios_map();
    uint8_t type;
    CHECK(!mtrr_type_of_range(&map, 0x1000, 0, &type));
    CHECK(!mtrr_type_of_range(&map, ~0ull - 0xfff, 0x2000, &type)); /* wraps */
    CHECK(mtrr_type_of_range(&map, 0xA0123, 10, &type));            /* inside one page */
    CHECK_EQ(type, MTRR_TYPE_UC);
    CHECK(!mtrr_type_of_range(&map, 0x9FFFF, 2, &type)); /* touches a WB and a UC page */
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK(mtrr_type_of_range(&map, ~0ull - 0xfff, 0x1000, &type)); /* the last page */
    CHECK_EQ(type, MTRR_TYPE_WB);
}

TEST(mtrr_non_contiguous_masks)
{
    /* A range on every odd page, as the SDM allows (masks need not be contiguous). */
    struct mtrr_map map;
    mtrr_map_all(&map, MTRR_TYPE_WB);
    map.variable_count = 2;
    map.variable[0] = (struct mtrr_variable){ 0x1000, 0x1000 | ~((1ull << 36) - 1), MTRR_TYPE_UC };
    map.variable[1] = (struct mtrr_variable){ 0x0000, 0x1000 | ~((1ull << 36) - 1), MTRR_TYPE_UC };
    /* Odd and even pages are both UC: the whole 2 MiB is UC, found by splitting. */
    uint8_t type;
    CHECK(mtrr_type_of_range(&map, 0, 2u << 20, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    /* 1 GiB takes more splits than the search allows: "not uniform" is the safe answer. */
    CHECK(!mtrr_type_of_range(&map, 0, 1ull << 30, &type));
    CHECK_EQ(type, MTRR_TYPE_UC);
    map.variable_count = 1;
    CHECK(!mtrr_type_of_range(&map, 0, 0x2000, &type));
    CHECK_EQ(type, MTRR_TYPE_WB);
    CHECK_EQ(type_at(&map, 0x3000), MTRR_TYPE_UC);
    check_against_oracle(&map, 0, 64u << 10);
}

TEST(mtrr_read_refuses_bad_registers)
{
    struct fake_msrs f = { 0 };
    struct mtrr_map map;
    fake_mtrr_bios(&f);
    f.fail_msr = MSR_IA32_MTRR_PHYSBASE0 + 2;
    log_capture_reset();
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 39), E_FAULT);
    CHECK(log_contains("mtrr: reading MSR 0x202 failed: E_FAULT"));
    f.fail_msr = 0;
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 20), E_INVAL);
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 33);
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 39), E_RANGE);
    CHECK(log_contains("reports 33 variable ranges"));
    fake_mtrr_bios(&f);
    fake_msr_set(&f, MSR_IA32_MTRR_PHYSBASE0 + 2, 0xBF800000ull | 2); /* reserved type 2 */
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 39), E_INVAL);
    CHECK(log_contains("IA32_MTRR_PHYSBASE1 has reserved memory type 2"));
    fake_mtrr_bios(&f);
    fake_msr_set(&f, MSR_IA32_MTRR_FIX16K_A0000, 0x0700);
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 39), E_INVAL);
    fake_mtrr_bios(&f);
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | 3);
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 39), E_INVAL);
}

TEST(mtrr_type_names)
{
    CHECK_STR(mtrr_type_name(MTRR_TYPE_UC), "UC");
    CHECK_STR(mtrr_type_name(MTRR_TYPE_WC), "WC");
    CHECK_STR(mtrr_type_name(MTRR_TYPE_WT), "WT");
    CHECK_STR(mtrr_type_name(MTRR_TYPE_WP), "WP");
    CHECK_STR(mtrr_type_name(MTRR_TYPE_WB), "WB");
    CHECK_STR(mtrr_type_name(2), "reserved");
    CHECK_STR(mtrr_type_name(7), "reserved");
}
