// host-sources: arch/x86/vmx/ept_passthrough.c arch/x86/vmx/ept.c arch/x86/mtrr.c core/lib/error.c core/lib/format.c
/*
 * The pass-through layout on a BIOS MTRR layout with 8 GiB: identity with
 * the MTRR types everywhere, vmxroot's ranges absent, the status page inside
 * them read-only, large pages everywhere else; and the refused ranges.
 */
#include "arch/x86/vmx/ept_passthrough.h"
#include "tests/unit/ept_pages.h"
#include "tests/unit/mtrr_build.h"
#include "tests/unit/check.h"

#define CAP (EPT_CAP_WALK_LENGTH_4 | EPT_CAP_PAGING_WB | EPT_CAP_2MIB_PAGES | EPT_CAP_1GIB_PAGES)
#define OWN_BASE 0x7F000000ull
#define OWN_BYTES 0xE00000ull
#define STATUS 0x7F100000ull

static struct test_pages pages;
static const struct mem_region own[] = { { OWN_BASE, OWN_BYTES, MEM_RESERVED },
                                         { 0x9F000, 0x1000, MEM_RESERVED } };

static bool in_own(uint64_t phys)
{
    for (size_t i = 0; i < ARRAY_SIZE(own); i++)
        if (phys >= own[i].base_phys && phys - own[i].base_phys < own[i].length_bytes)
            return true;
    return false;
}

TEST(passthrough_on_a_bios_layout)
{
    struct fake_msrs f = { 0 };
    struct mtrr_map map;
    fake_mtrr_bios(&f);
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, BIOS_WIDTH_BITS), 0);
    struct ept_allocator allocator = test_pages_allocator(&pages);
    struct ept_space space;
    CHECK_EQ(ept_space_init(&space, &allocator, CAP, BIOS_WIDTH_BITS), 0);
    struct ept_passthrough layout = { 8ull << 30, own, ARRAY_SIZE(own), STATUS, 4096, &map };
    CHECK_EQ(ept_passthrough_build(&space, &layout), 0);

    /* Every page below 8 GiB, leaf by leaf: absent in vmxroot's ranges but the status page, else identity. */
    int bad = 0;
    for (uint64_t at = 0; at < (8ull << 30);) {
        struct ept_translation t;
        int err = ept_lookup(&space, at, &t);
        uint64_t step = t.leaf_size_bytes;
        for (uint64_t p = at; p < at + step; p += 4096) {
            if (p == STATUS)
                bad += err != 0 || t.access != EPT_READ || t.hpa != STATUS || step != 4096;
            else if (in_own(p))
                bad += err != E_NOENT;
            else
                bad += err != 0 || t.hpa + (p - at) != p || t.access != (EPT_READ | EPT_WRITE | EPT_EXEC) ||
                       t.memory_type != mtrr_oracle_type(&map, p);
        }
        at += step;
    }
    CHECK_EQ(bad, 0);
    struct ept_stats stats;
    ept_space_stats(&space, &stats);
    /* 1 GiB pages: 3-4 GiB (UC) and 4-8 GiB; 0-1, 1-2 (vmxroot) and 2-3 GiB (the 8 MiB UC range) split. */
    CHECK_EQ(stats.leaves_1gib, 5);
    CHECK_EQ(stats.leaves_2mib, 511 + (512 - 7) + 512);
    CHECK_EQ(stats.leaves_4kib,
             511 + 1); /* the first 2 MiB but 0x9F000; the status page alone in its table */
    CHECK_EQ(stats.mapped_bytes, (8ull << 30) - OWN_BYTES - 4096 + 4096);
    CHECK_EQ(stats.tables, 1 + 1 + 3 + 2);
    ept_space_destroy(&space);
    CHECK_EQ(pages.outstanding, 0);
}

TEST(passthrough_refuses_bad_ranges)
{
    struct mtrr_map map;
    mtrr_map_all(&map, MTRR_TYPE_WB);
    struct ept_allocator allocator = test_pages_allocator(&pages);
    struct ept_space space;
    CHECK_EQ(ept_space_init(&space, &allocator, CAP, 39), 0);
    static const struct mem_region unaligned[] = { { 0x1000800, 0x1000, MEM_RESERVED } };
    struct ept_passthrough layout = { 4ull << 30, unaligned, 1, 0, 0, &map };
    log_capture_reset();
    CHECK_EQ(ept_passthrough_build(&space, &layout), E_INVAL);
    CHECK(log_contains("vmxroot's range 0x1000800 size 0x1000 is empty or not 4 KiB-aligned"));
    static const struct mem_region past[] = { { 0xFFFFF000, 0x2000, MEM_RESERVED } };
    layout.own = past;
    CHECK_EQ(ept_passthrough_build(&space, &layout), E_RANGE);
    layout.own_count = 0;
    layout.status_phys = 0x5000;
    layout.status_bytes = 0;
    CHECK_EQ(ept_passthrough_build(&space, &layout), E_INVAL);
    struct ept_stats stats;
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.mapped_bytes, 0); /* refused before anything was mapped */
    ept_space_destroy(&space);
    CHECK_EQ(pages.outstanding, 0);
}
