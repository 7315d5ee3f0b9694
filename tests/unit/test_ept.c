// host-sources: arch/x86/vmx/ept.c arch/x86/mtrr.c core/lib/error.c core/lib/format.c
/*
 * The EPT builder (SDM: "The Extended Page Table Mechanism (EPT)"): leaf
 * sizes as the capability MSR allows them, memory types from MTRR layouts
 * with no large page spanning two types (checked page by page against the
 * oracle), splitting a large leaf for a read-only page inside it, unmapping,
 * the EPTP value, the invalidation signal, the refused arguments and a
 * failing allocator (LeakSanitizer checks that destroy frees every table).
 */
#include "tests/unit/ept_pages.h"
#include "tests/unit/mtrr_build.h"
#include "tests/unit/check.h"

#define CAP_BASE (EPT_CAP_WALK_LENGTH_4 | EPT_CAP_PAGING_UC | EPT_CAP_PAGING_WB | EPT_CAP_INVEPT)
#define CAP_4KIB_ONLY CAP_BASE
#define CAP_IVY_BRIDGE (CAP_BASE | EPT_CAP_EXECUTE_ONLY | EPT_CAP_2MIB_PAGES) /* no 1 GiB pages */
#define CAP_SKYLAKE (CAP_IVY_BRIDGE | EPT_CAP_1GIB_PAGES | EPT_CAP_ACCESSED_DIRTY)
#define RWX (EPT_READ | EPT_WRITE | EPT_EXEC)

static struct test_pages pages;

static void space_new(struct ept_space *space, uint64_t cap)
{
    memset(&pages, 0, sizeof pages);
    struct ept_allocator allocator = test_pages_allocator(&pages);
    CHECK_EQ(ept_space_init(space, &allocator, cap, 39), 0);
}

static void space_end(struct ept_space *space)
{
    ept_space_destroy(space);
    CHECK_EQ(pages.outstanding, 0);
}

static struct ept_translation lookup(const struct ept_space *space, uint64_t gpa)
{
    struct ept_translation t;
    CHECK_EQ(ept_lookup(space, gpa, &t), 0);
    return t;
}

static struct mtrr_map bios_map(void)
{
    struct fake_msrs f = { 0 };
    struct mtrr_map map;
    fake_mtrr_bios(&f);
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, BIOS_WIDTH_BITS), 0);
    return map;
}

/*
 * Every leaf of [gpa, gpa + size) against the oracle, page by page: the
 * translation is gpa + offset, the access is access, and every page of the
 * leaf has the leaf's memory type. Returns the number of leaves.
 */
static int check_identity_leaves(const struct ept_space *space, const struct mtrr_map *map, uint64_t gpa,
                                 uint64_t size_bytes, uint32_t access)
{
    int leaves = 0, bad = 0;
    for (uint64_t at = gpa; at < gpa + size_bytes;) {
        struct ept_translation t = lookup(space, at);
        CHECK_EQ(t.hpa, at);
        CHECK_EQ(t.access, access);
        CHECK(!t.ignore_pat);
        CHECK(IS_ALIGNED(at, t.leaf_size_bytes));
        for (uint64_t p = at; p < at + t.leaf_size_bytes; p += 4096)
            bad += mtrr_oracle_type(map, p) != t.memory_type;
        at += t.leaf_size_bytes ? t.leaf_size_bytes : 4096;
        leaves++;
    }
    CHECK_EQ(bad, 0);
    return leaves;
}

TEST(ept_init_and_eptp)
{
    struct ept_space space;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(space.table_count, 1);
    /* PML4 address, WB (6) in bits 2:0, walk length 4 - 1 = 3 in bits 5:3, A/D (bit 6) off. */
    CHECK_EQ(ept_pointer(&space), TEST_PAGES_PHYS_BASE | 6 | (3 << 3));
    CHECK(!ept_invalidation_needed(&space));
    space_end(&space);

    space_new(&space, CAP_SKYLAKE & ~EPT_CAP_PAGING_WB);
    CHECK_EQ(ept_pointer(&space), TEST_PAGES_PHYS_BASE | 0 | (3 << 3));
    space_end(&space);

    struct ept_allocator allocator = test_pages_allocator(&pages);
    log_capture_reset();
    CHECK_EQ(ept_space_init(&space, &allocator, CAP_SKYLAKE & ~EPT_CAP_WALK_LENGTH_4, 39), E_NOTSUP);
    CHECK(log_contains("allows no 4-level page walk"));
    CHECK_EQ(ept_space_init(&space, &allocator, CAP_SKYLAKE & ~(EPT_CAP_PAGING_WB | EPT_CAP_PAGING_UC), 39),
             E_NOTSUP);
    CHECK_EQ(ept_space_init(&space, &allocator, CAP_SKYLAKE, 53), E_INVAL);
    CHECK_EQ(pages.outstanding, 0);
}

TEST(ept_map_one_page)
{
    struct ept_space space;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0x12345000, 0x6789A000, 4096, EPT_READ | EPT_WRITE, MTRR_TYPE_WB),
             0);
    struct ept_translation t = lookup(&space, 0x12345ABC);
    CHECK_EQ(t.hpa, 0x6789AABC);
    CHECK_EQ(t.access, EPT_READ | EPT_WRITE);
    CHECK_EQ(t.memory_type, MTRR_TYPE_WB);
    CHECK_EQ(t.leaf_size_bytes, 4096);
    CHECK_EQ(space.table_count, 4); /* PML4, PDPT, PD, PT */
    CHECK_EQ(ept_lookup(&space, 0x12344FFF, &t), E_NOENT);
    CHECK_EQ(t.leaf_size_bytes, 4096); /* the absent PTE */
    CHECK_EQ(ept_lookup(&space, 0x40000000, &t), E_NOENT);
    CHECK_EQ(t.leaf_size_bytes, 1ull << 30); /* the absent PDPTE */
    CHECK_EQ(ept_lookup(&space, EPT_GPA_LIMIT, &t), E_NOENT);
    CHECK(!ept_invalidation_needed(&space)); /* nothing was present before */
    struct ept_stats stats;
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.tables, 4);
    CHECK_EQ(stats.table_bytes, 4 * 4096);
    CHECK_EQ(stats.mapped_bytes, 4096);
    CHECK_EQ(stats.leaves_4kib, 1);
    space_end(&space);
}

TEST(ept_leaf_sizes_follow_the_capability_msr)
{
    struct ept_space space;
    struct ept_stats stats;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4ull << 30, RWX, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib, 4);
    CHECK_EQ(stats.leaves_2mib + stats.leaves_4kib, 0);
    CHECK_EQ(stats.tables, 2);
    CHECK_EQ(lookup(&space, 0x87654321).leaf_size_bytes, 1ull << 30);
    space_end(&space);

    space_new(&space, CAP_IVY_BRIDGE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4ull << 30, RWX, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib, 0);
    CHECK_EQ(stats.leaves_2mib, 2048);
    CHECK_EQ(stats.tables, 1 + 1 + 4);
    CHECK_EQ(stats.mapped_bytes, 4ull << 30);
    space_end(&space);

    /* 1 GiB pages without 2 MiB ones are not used: a split would make 2 MiB leaves (found by fuzz_ept). */
    space_new(&space, CAP_4KIB_ONLY | EPT_CAP_1GIB_PAGES);
    CHECK_EQ(ept_map_range_typed(&space, 1ull << 30, 1ull << 30, 1ull << 30, RWX, MTRR_TYPE_WB), 0);
    CHECK_EQ(ept_map_range_typed(&space, 1ull << 30, 1ull << 30, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib + stats.leaves_2mib, 0);
    CHECK_EQ(stats.leaves_4kib, 262144);
    space_end(&space);

    space_new(&space, CAP_4KIB_ONLY);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4u << 20, RWX, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_4kib, 1024);
    CHECK_EQ(stats.leaves_2mib, 0);
    space_end(&space);
}

TEST(ept_large_leaves_need_gpa_and_hpa_aligned)
{
    struct ept_space space;
    struct ept_stats stats;
    space_new(&space, CAP_SKYLAKE);
    /* gpa 2 MiB-aligned, hpa only 4 KiB-aligned: 4 KiB leaves throughout. */
    CHECK_EQ(ept_map_range_typed(&space, 2u << 20, (2u << 20) + 4096, 2u << 20, RWX, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_4kib, 512);
    CHECK_EQ(lookup(&space, (4u << 20) - 1).hpa, (4u << 20) + 4095);
    /* An unaligned start: 4 KiB leaves up to the 2 MiB boundary, then 2 MiB, then the 4 KiB tail. */
    CHECK_EQ(ept_map_range_typed(&space, (8u << 20) - 8192, (8u << 20) - 8192, (4u << 20) + 12288, RWX,
                                 MTRR_TYPE_WB),
             0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_4kib, 512 + 2 + 1);
    CHECK_EQ(stats.leaves_2mib, 2);
    space_end(&space);
}

TEST(ept_bios_mtrrs_no_large_page_spans_two_types)
{
    struct mtrr_map map = bios_map();
    struct ept_space space;
    struct ept_stats stats;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range(&space, 0, 0, 8ull << 30, RWX, &map), 0);
    check_identity_leaves(&space, &map, 0, 8ull << 30, RWX);
    ept_space_stats(&space, &stats);
    /* 1-2 GiB, 3-4 GiB (UC) and 4-8 GiB are 1 GiB pages; 0-1 GiB and 2-3 GiB are not uniform. */
    CHECK_EQ(stats.leaves_1gib, 6);
    CHECK_EQ(stats.leaves_2mib, 511 + 512);
    CHECK_EQ(stats.leaves_4kib, 512); /* the first 2 MiB, where the fixed ranges are */
    CHECK_EQ(lookup(&space, 0xA0000).memory_type, MTRR_TYPE_UC);
    CHECK_EQ(lookup(&space, 0xC0000).memory_type, MTRR_TYPE_WP);
    CHECK_EQ(lookup(&space, 0x9F000).memory_type, MTRR_TYPE_WB);
    CHECK_EQ(lookup(&space, 0xBF800000).memory_type, MTRR_TYPE_UC);
    CHECK_EQ(lookup(&space, 0xBF800000).leaf_size_bytes, 2u << 20);
    CHECK_EQ(lookup(&space, 0xBF7FF000).memory_type, MTRR_TYPE_WB);
    CHECK_EQ(lookup(&space, 0xC0000000).memory_type, MTRR_TYPE_UC);
    CHECK_EQ(lookup(&space, 0xC0000000).leaf_size_bytes, 1ull << 30);
    CHECK_EQ(lookup(&space, 5ull << 30).memory_type, MTRR_TYPE_WB);
    space_end(&space);

    /* The same on ivy bridge: 2 MiB pages at most, still one type each. */
    space_new(&space, CAP_IVY_BRIDGE);
    CHECK_EQ(ept_map_range(&space, 0, 0, 8ull << 30, RWX, &map), 0);
    check_identity_leaves(&space, &map, 0, 8ull << 30, RWX);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib, 0);
    CHECK_EQ(stats.leaves_2mib, 4095);
    space_end(&space);
}

TEST(ept_overlapping_mtrrs_and_a_4kib_uc_page)
{
    struct fake_msrs f = { 0 };
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 8);
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_TYPE_UC);
    fake_mtrr_variable(&f, 0, 0, 2ull << 30, MTRR_TYPE_WB, 36);
    fake_mtrr_variable(&f, 1, 0x40000000, 2u << 20, MTRR_TYPE_WT, 36);
    fake_mtrr_variable(&f, 2, 0x40201000, 4096, MTRR_TYPE_UC, 36); /* one UC page inside */
    struct mtrr_map map;
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 36), 0);
    struct ept_space space;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range(&space, 0, 0, 4ull << 30, EPT_READ | EPT_EXEC, &map), 0);
    check_identity_leaves(&space, &map, 0, 4ull << 30, EPT_READ | EPT_EXEC);
    CHECK_EQ(lookup(&space, 0x40000000).memory_type, MTRR_TYPE_WT);
    CHECK_EQ(lookup(&space, 0x40000000).leaf_size_bytes, 2u << 20);
    CHECK_EQ(lookup(&space, 0x40201000).memory_type, MTRR_TYPE_UC);
    CHECK_EQ(lookup(&space, 0x40201000).leaf_size_bytes, 4096);
    CHECK_EQ(lookup(&space, 0x40202000).memory_type, MTRR_TYPE_WB);
    CHECK_EQ(lookup(&space, 0).leaf_size_bytes, 1ull << 30);
    CHECK_EQ(lookup(&space, 3ull << 30).memory_type, MTRR_TYPE_UC);
    space_end(&space);
}

TEST(ept_mtrrs_disabled_every_leaf_uc)
{
    struct fake_msrs f = { 0 };
    fake_msr_set(&f, MSR_IA32_MTRRCAP, 8 | MTRRCAP_FIX);
    fake_msr_set(&f, MSR_IA32_MTRR_DEF_TYPE, MTRR_TYPE_WB);
    struct mtrr_map map;
    CHECK_EQ(mtrr_read(&map, fake_rdmsr, &f, 36), 0);
    struct ept_space space;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range(&space, 0, 0, 2ull << 30, RWX, &map), 0);
    CHECK_EQ(check_identity_leaves(&space, &map, 0, 2ull << 30, RWX), 2);
    CHECK_EQ(lookup(&space, 0).memory_type, MTRR_TYPE_UC);
    space_end(&space);
}

TEST(ept_read_only_page_splits_a_2mib_leaf)
{
    struct ept_space space;
    struct ept_stats stats;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0x40000000, 0x80000000, 2u << 20, RWX, MTRR_TYPE_WB), 0);
    CHECK_EQ(lookup(&space, 0x40000000).leaf_size_bytes, 2u << 20);
    CHECK(!ept_invalidation_needed(&space));
    /* The status page, read-only at 0x40123000. */
    CHECK_EQ(ept_map_range_typed(&space, 0x40123000, 0x80123000, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    CHECK(ept_invalidation_needed(&space));
    struct ept_translation t = lookup(&space, 0x40123008);
    CHECK_EQ(t.access, EPT_READ);
    CHECK_EQ(t.hpa, 0x80123008);
    CHECK_EQ(t.leaf_size_bytes, 4096);
    t = lookup(&space, 0x40122000);
    CHECK_EQ(t.access, RWX);
    CHECK_EQ(t.hpa, 0x80122000);
    CHECK_EQ(t.memory_type, MTRR_TYPE_WB);
    CHECK_EQ(lookup(&space, 0x401FF000).hpa, 0x801FF000);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_4kib, 512);
    CHECK_EQ(stats.leaves_2mib, 0);
    CHECK_EQ(stats.mapped_bytes, 2u << 20);
    ept_invalidation_done(&space);
    CHECK(!ept_invalidation_needed(&space));
    /* The same mapping again changes nothing: no invalidation. */
    CHECK_EQ(ept_map_range_typed(&space, 0x40123000, 0x80123000, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    CHECK(!ept_invalidation_needed(&space));
    space_end(&space);
}

TEST(ept_page_inside_a_1gib_leaf_splits_twice)
{
    struct ept_space space;
    struct ept_stats stats;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 1ull << 30, RWX, MTRR_TYPE_WB), 0);
    CHECK_EQ(ept_map_range_typed(&space, 0x12345000, 0x12345000, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib, 0);
    CHECK_EQ(stats.leaves_2mib, 511);
    CHECK_EQ(stats.leaves_4kib, 512);
    CHECK_EQ(stats.tables, 4);
    CHECK_EQ(lookup(&space, 0x12345000).access, EPT_READ);
    CHECK_EQ(lookup(&space, 0x12200000).leaf_size_bytes, 4096);
    CHECK_EQ(lookup(&space, 0x3FE00000).hpa, 0x3FE00000);
    CHECK_EQ(lookup(&space, 0x3FE00000).leaf_size_bytes, 2u << 20);
    /* Mapping the whole GiB again frees the tables the split made. */
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 1ull << 30, RWX, MTRR_TYPE_WB), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.leaves_1gib, 1);
    CHECK_EQ(stats.tables, 2);
    CHECK_EQ(space.table_count, 2);
    CHECK_EQ(pages.outstanding, 2);
    space_end(&space);
}

TEST(ept_unmap)
{
    struct ept_space space;
    struct ept_stats stats;
    struct ept_translation t;
    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4u << 20, RWX, MTRR_TYPE_WB), 0);
    /* vmxroot's own page inside guest RAM: not mapped at all. */
    CHECK_EQ(ept_unmap_range(&space, 0x201000, 4096), 0);
    CHECK(ept_invalidation_needed(&space));
    CHECK_EQ(ept_lookup(&space, 0x201000, &t), E_NOENT);
    CHECK_EQ(lookup(&space, 0x200000).hpa, 0x200000);
    CHECK_EQ(lookup(&space, 0x202000).hpa, 0x202000);
    CHECK_EQ(lookup(&space, 0).leaf_size_bytes, 2u << 20);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.mapped_bytes, (4u << 20) - 4096);
    /* Unmapping what is not mapped is fine; unmapping everything frees every table but the PML4. */
    CHECK_EQ(ept_unmap_range(&space, 1ull << 40, 1ull << 30), 0);
    CHECK_EQ(ept_unmap_range(&space, 0, 512ull << 30), 0);
    ept_space_stats(&space, &stats);
    CHECK_EQ(stats.mapped_bytes, 0);
    CHECK_EQ(stats.tables, 1);
    CHECK_EQ(pages.outstanding, 1);
    CHECK_EQ(ept_unmap_range(&space, 0x1001, 4096), E_INVAL);
    CHECK_EQ(ept_unmap_range(&space, EPT_GPA_LIMIT - 4096, 8192), E_RANGE);
    space_end(&space);
}

TEST(ept_refuses_bad_arguments)
{
    struct ept_space space;
    space_new(&space, CAP_SKYLAKE & ~EPT_CAP_EXECUTE_ONLY);
    log_capture_reset();
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, EPT_WRITE, MTRR_TYPE_WB), E_INVAL);
    CHECK(log_contains("write without read"));
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, EPT_WRITE | EPT_EXEC, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, EPT_EXEC, MTRR_TYPE_WB), E_INVAL);
    CHECK(log_contains("execute-only"));
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, 0, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, 8, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, EPT_READ, 2), E_INVAL);
    CHECK(log_contains("memory type 2 is reserved"));
    CHECK_EQ(ept_map_range_typed(&space, 0x800, 0, 4096, EPT_READ, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0x800, 4096, EPT_READ, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 0, EPT_READ, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 100, EPT_READ, MTRR_TYPE_WB), E_INVAL);
    CHECK_EQ(ept_map_range_typed(&space, EPT_GPA_LIMIT, 0, 4096, EPT_READ, MTRR_TYPE_WB), E_RANGE);
    CHECK_EQ(ept_map_range_typed(&space, ~0ull - 4095, 0, 8192, EPT_READ, MTRR_TYPE_WB), E_RANGE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 1ull << 39, 4096, EPT_READ, MTRR_TYPE_WB), E_RANGE);
    CHECK_EQ(ept_map_range_typed(&space, 0, (1ull << 39) - 4096, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    CHECK_EQ(ept_map_range_typed(&space, EPT_GPA_LIMIT - 4096, 0, 4096, EPT_READ, MTRR_TYPE_WB), 0);
    CHECK_EQ(lookup(&space, EPT_GPA_LIMIT - 1).hpa, 4095);
    space_end(&space);

    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, EPT_EXEC, MTRR_TYPE_WB), 0);
    CHECK_EQ(lookup(&space, 0).access, EPT_EXEC);
    space_end(&space);
}

TEST(ept_allocator_failure_is_returned_and_destroy_frees_everything)
{
    struct ept_space space;
    space_new(&space, CAP_4KIB_ONLY);
    pages.limit = 3; /* the PML4, a PDPT, a PD: no PT */
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 4096, RWX, MTRR_TYPE_WB), E_NOMEM);
    pages.limit = 0;
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 8u << 20, RWX, MTRR_TYPE_WB), 0);
    CHECK_EQ(space.table_count, 3 + 4);
    space_end(&space);

    space_new(&space, CAP_SKYLAKE);
    CHECK_EQ(ept_map_range_typed(&space, 0, 0, 2u << 20, RWX, MTRR_TYPE_WB), 0);
    pages.limit = pages.allocated_total; /* no page for the split */
    CHECK_EQ(ept_map_range_typed(&space, 0x1000, 0x1000, 4096, EPT_READ, MTRR_TYPE_WB), E_NOMEM);
    CHECK_EQ(lookup(&space, 0x1000).access, RWX); /* unchanged */
    CHECK_EQ(ept_unmap_range(&space, 0x1000, 4096), E_NOMEM);
    space_end(&space);

    struct ept_allocator allocator = test_pages_allocator(&pages);
    pages.limit = pages.allocated_total;
    CHECK_EQ(ept_space_init(&space, &allocator, CAP_SKYLAKE, 39), E_NOMEM);
}
