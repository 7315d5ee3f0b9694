// host-sources: mm/pmm.c mm/multiboot2.c mm/multiboot2_mmap.c mm/multiboot2_framebuffer.c mm/memory_map.c
/*
 * mm/pmm.c: alignment, runs, the below-1 MiB rule, exhaustion, free and
 * merge, refused frees, reserved overlaps, maps above 4 GiB, and the
 * "failure changes nothing" rule when the span tables are full.
 */
#include "mm/pmm.h"
#include "mm/multiboot2.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/mb2_build.h"

static struct pmm p;

#define FRAME PMM_FRAME_BYTES

static uint64_t alloc1(size_t n, uint64_t align, unsigned flags)
{
    uint64_t phys = 0xdead;
    int err = pmm_alloc(&p, n, align, flags, &phys);
    return err == E_OK ? phys : (uint64_t)(int64_t)err;
}

static bool same_spans(const struct pmm_span_list *a, const struct pmm_span_list *b)
{
    return a->count == b->count && memcmp(a->spans, b->spans, a->count * sizeof a->spans[0]) == 0;
}

static bool same_pmm(const struct pmm *a, const struct pmm *b)
{
    return a->capacity == b->capacity && same_spans(&a->free, &b->free) && same_spans(&a->owned, &b->owned) &&
           a->usable_bytes == b->usable_bytes && a->reserved_bytes == b->reserved_bytes &&
           a->free_bytes == b->free_bytes;
}

TEST(add_usable_rounds_inward_and_skips_frame_0)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0, 0x9fc00), E_OK);       /* 0..0x9f000, frame 0 left out */
    CHECK_EQ(pmm_add_usable(&p, 0x100800, 0x1800), E_OK); /* 0x101000..0x102000 */
    CHECK_EQ(pmm_add_usable(&p, 0x200800, 0x800), E_OK);  /* no whole frame: nothing */
    CHECK_EQ(p.free.count, 2);
    CHECK_EQ(p.free.spans[0].base_phys, 0x1000);
    CHECK_EQ(p.free.spans[0].end_phys, 0x9f000);
    CHECK_EQ(p.free.spans[1].base_phys, 0x101000);
    CHECK_EQ(p.free.spans[1].end_phys, 0x102000);
    CHECK_EQ(pmm_usable_bytes(&p), 0x9e000 + 0x1000);
    CHECK_EQ(pmm_free_bytes(&p), pmm_usable_bytes(&p));
}

TEST(alloc_lowest_first_above_1mib)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0, 0x9fc00), 0);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(15)), 0);
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1));
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1) + FRAME);
    CHECK_EQ(alloc1(3, FRAME, 0), MiB(1) + 2 * FRAME);
    CHECK_EQ(pmm_free_bytes(&p), 0x9e000 + MiB(15) - 5 * FRAME);
}

TEST(alloc_below_1mib_only_when_asked)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0, 0x9fc00), 0);
    CHECK_EQ(alloc1(1, FRAME, 0), E_NOMEM); /* only low memory exists */
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_4GIB), E_NOMEM);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB), 0x1000);  /* never frame 0 */
    CHECK_EQ(alloc1(1, 0x8000, PMM_BELOW_1MIB), 0x8000); /* the trampoline */
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(1)), 0);
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1));
    /* A run must not straddle 1 MiB either way. */
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0xfe000, 0x4000), 0);
    CHECK_EQ(alloc1(4, FRAME, PMM_BELOW_1MIB), E_NOMEM);
    CHECK_EQ(alloc1(2, FRAME, PMM_BELOW_1MIB), 0xfe000);
    CHECK_EQ(alloc1(2, FRAME, 0), MiB(1));
}

TEST(alloc_highest_first_when_asked)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0, 0x9fc00), 0);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(15)), 0);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), 0x9e000); /* below the EBDA's partial page */
    CHECK_EQ(alloc1(2, 0x2000, PMM_BELOW_1MIB | PMM_HIGHEST), 0x9c000);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), 0x9b000);
    CHECK_EQ(alloc1(1, FRAME, PMM_HIGHEST), MiB(16) - FRAME);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_4GIB | PMM_HIGHEST), MiB(16) - 2 * FRAME);
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1)); /* the lowest still comes first without the flag */
    /* A span too small at the top: the next one down. */
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0x10000, 0x4000), 0);
    CHECK_EQ(pmm_add_usable(&p, 0x20000, 0x1000), 0);
    CHECK_EQ(alloc1(2, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), 0x12000);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), 0x20000);
    CHECK_EQ(alloc1(1, 0x4000, PMM_BELOW_1MIB | PMM_HIGHEST), 0x10000); /* aligned down in the span */
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), 0x11000);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB | PMM_HIGHEST), E_NOMEM);
    CHECK_EQ(pmm_free_bytes(&p), 0);
}

TEST(alloc_alignment)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1) + FRAME, MiB(8)), 0);
    CHECK_EQ(alloc1(1, MiB(2), 0), MiB(2));
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1) + FRAME); /* the hole before stays usable */
    CHECK_EQ(alloc1(2, 0x10000, 0), MiB(1) + 0x10000);
    CHECK_EQ(p.free.count, 3);
    CHECK_EQ(alloc1(1, 0, 0), E_INVAL);
    CHECK_EQ(alloc1(1, 2048, 0), E_INVAL);
    CHECK_EQ(alloc1(1, 3 * FRAME, 0), E_INVAL);
    CHECK_EQ(alloc1(0, FRAME, 0), E_INVAL);
    CHECK_EQ(alloc1(1, FRAME, 1u << 5), E_INVAL);
    CHECK_EQ(alloc1(1, 1ull << 63, 0), E_NOMEM);
    CHECK_EQ(alloc1(SIZE_MAX, FRAME, 0), E_NOMEM);
}

TEST(alloc_runs_skip_too_small_spans)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), 2 * FRAME), 0);
    CHECK_EQ(pmm_add_usable(&p, MiB(2), 8 * FRAME), 0);
    CHECK_EQ(alloc1(3, FRAME, 0), MiB(2));
    CHECK_EQ(alloc1(2, FRAME, 0), MiB(1));
    CHECK_EQ(alloc1(6, FRAME, 0), E_NOMEM);
    CHECK_EQ(alloc1(5, FRAME, 0), MiB(2) + 3 * FRAME);
    CHECK_EQ(pmm_free_bytes(&p), 0);
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_1MIB), E_NOMEM);
}

TEST(exhaustion_then_free_merges_back)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), 16 * FRAME), 0);
    uint64_t frames[16];
    for (int i = 0; i < 16; i++)
        frames[i] = alloc1(1, FRAME, 0);
    CHECK_EQ(alloc1(1, FRAME, 0), E_NOMEM);
    CHECK_EQ(p.free.count, 0);
    /* Free every other frame, then the rest: the spans merge into one. */
    for (int i = 0; i < 16; i += 2)
        CHECK_EQ(pmm_free(&p, frames[i], 1), E_OK);
    CHECK_EQ(p.free.count, 8);
    for (int i = 1; i < 16; i += 2)
        CHECK_EQ(pmm_free(&p, frames[i], 1), E_OK);
    CHECK_EQ(p.free.count, 1);
    CHECK_EQ(p.free.spans[0].base_phys, MiB(1));
    CHECK_EQ(p.free.spans[0].end_phys, MiB(1) + 16 * FRAME);
    CHECK_EQ(pmm_free_bytes(&p), 16 * FRAME);
    CHECK_EQ(alloc1(16, FRAME, 0), MiB(1));
}

TEST(double_free_and_unknown_memory_are_refused)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(1)), 0);
    CHECK_EQ(pmm_reserve(&p, MiB(1), 2 * FRAME), 0); /* the "kernel image" */
    uint64_t a = alloc1(4, FRAME, 0);
    CHECK_EQ(a, MiB(1) + 2 * FRAME);
    struct pmm before = p;
    CHECK_EQ(pmm_free(&p, a + FRAME, 1), E_OK);
    before = p;
    log_capture_reset();
    CHECK_EQ(pmm_free(&p, a + FRAME, 1), E_INVAL);
    CHECK(log_contains("already free (a double free)"));
    CHECK_EQ(pmm_free(&p, a, 2), E_INVAL);             /* half of it is free */
    CHECK_EQ(pmm_free(&p, a + 3 * FRAME, 2), E_INVAL); /* runs into free memory */
    CHECK_EQ(pmm_free(&p, MiB(1), 1), E_INVAL);        /* reserved */
    CHECK(log_contains("not RAM the allocator handed out"));
    CHECK_EQ(pmm_free(&p, MiB(8), 1), E_INVAL); /* never usable */
    CHECK_EQ(pmm_free(&p, 0, 1), E_INVAL);      /* frame 0 */
    CHECK_EQ(pmm_free(&p, a + 1, 1), E_INVAL);  /* not aligned */
    CHECK_EQ(pmm_free(&p, a, 0), E_INVAL);
    CHECK_EQ(pmm_free(&p, 0xFFFFFFFFFFFFF000ull, 2), E_INVAL); /* wraps */
    CHECK(same_pmm(&p, &before));
    CHECK_EQ(pmm_free(&p, a, 1), E_OK);
    CHECK_EQ(pmm_free(&p, a + 2 * FRAME, 2), E_OK);
    CHECK_EQ(p.free.count, 1);
}

TEST(reserve_overlaps_and_stats)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(4)), 0);
    CHECK_EQ(pmm_reserve(&p, MiB(2) + 10, 100), E_OK); /* rounded outward: one frame */
    CHECK_EQ(pmm_reserve(&p, MiB(2), FRAME), E_OK);    /* again: nothing more */
    CHECK_EQ(pmm_reserve(&p, MiB(4), MiB(4)), E_OK);   /* sticks out past usable */
    CHECK_EQ(pmm_reserve(&p, MiB(64), MiB(1)), E_OK);  /* no RAM there */
    CHECK_EQ(pmm_reserve(&p, 0, 0), E_OK);
    struct pmm_stats st;
    pmm_get_stats(&p, &st);
    CHECK_EQ(st.usable_bytes, MiB(4));
    CHECK_EQ(st.reserved_bytes, FRAME + MiB(1));
    CHECK_EQ(st.free_bytes, MiB(3) - FRAME);
    CHECK_EQ(st.allocated_bytes, 0);
    CHECK_EQ(st.free_ranges, 2);
    /* Reserving allocated frames: they are gone for good, and a free is refused. */
    uint64_t a = alloc1(2, FRAME, 0);
    CHECK_EQ(a, MiB(1));
    CHECK_EQ(pmm_reserve(&p, a, FRAME), E_OK);
    CHECK_EQ(pmm_free(&p, a, 2), E_INVAL);
    CHECK_EQ(pmm_free(&p, a + FRAME, 1), E_OK);
    pmm_get_stats(&p, &st);
    CHECK_EQ(st.allocated_bytes, 0);
    CHECK_EQ(st.reserved_bytes, 2 * FRAME + MiB(1));
    /* Re-adding usable RAM leaves owned frames alone. */
    uint64_t b = alloc1(1, FRAME, 0);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(8)), E_OK);
    CHECK_EQ(pmm_free(&p, b, 1), E_OK);
    CHECK_EQ(pmm_free(&p, b, 1), E_INVAL);
    pmm_get_stats(&p, &st);
    CHECK_EQ(st.allocated_bytes, 0);
    CHECK_EQ(st.free_bytes, MiB(8));
    CHECK_EQ(st.usable_bytes - st.reserved_bytes, MiB(8));
}

TEST(reserve_near_the_top_of_the_address_space)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0xFFFFFFFFFFF00000ull, 0x200000), E_OK); /* clipped at 2^64 - 4 KiB */
    CHECK_EQ(p.free.spans[0].end_phys, 0xFFFFFFFFFFFFF000ull);
    CHECK_EQ(pmm_reserve(&p, 0xFFFFFFFFFFFFE800ull, 0x10000), E_OK);
    CHECK_EQ(p.free.spans[0].end_phys, 0xFFFFFFFFFFFFE000ull);
    CHECK_EQ(pmm_reserve(&p, 0xFFFFFFFFFFFFFFFFull, 1), E_OK);
    uint64_t top = alloc1(1, FRAME, 0);
    CHECK_EQ(top, 0xFFFFFFFFFFF00000ull);
    CHECK_EQ(alloc1(1, 1ull << 62, 0), E_NOMEM);
    CHECK_EQ(pmm_add_usable(&p, 0xFFFFFFFFFFFFF800ull, 0x1000), E_OK);
}

TEST(below_4gib_with_six_gib)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0, 0x9fc00), 0);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), 0xbff00000ull), 0);
    CHECK_EQ(pmm_add_usable(&p, GiB(4), GiB(3)), 0); /* -m 6G: 0x100000000..0x1c0000000 */
    CHECK_EQ(pmm_usable_bytes(&p), 0x9e000 + 0xbff00000ull + GiB(3));
    /* Eat everything below 4 GiB in one run. */
    CHECK_EQ(alloc1(0xbff00, FRAME, PMM_BELOW_4GIB), MiB(1));
    CHECK_EQ(alloc1(1, FRAME, PMM_BELOW_4GIB), E_NOMEM);
    CHECK_EQ(alloc1(1, FRAME, 0), GiB(4));
    CHECK_EQ(alloc1(1, GiB(1), 0), GiB(5));
    CHECK_EQ(alloc1(0xC0000 - 2, FRAME, 0), E_NOMEM); /* the GiB-aligned frame cut it in two */
    CHECK_EQ(alloc1(0x3ffff, FRAME, 0), GiB(4) + FRAME);
    CHECK_EQ(pmm_free(&p, MiB(1), 0xbff00), E_OK);
    CHECK_EQ(alloc1(1, GiB(4), PMM_BELOW_4GIB), E_NOMEM); /* 4 GiB itself is past the limit */
    CHECK_EQ(alloc1(1, GiB(2), PMM_BELOW_4GIB), GiB(2));
    CHECK_EQ(alloc1(0x40000, GiB(1), PMM_BELOW_4GIB), GiB(1));
    CHECK_EQ(alloc1(0x40000, GiB(1), PMM_BELOW_4GIB), E_NOMEM); /* 3 GiB..4 GiB is not all RAM */
}

TEST(full_span_table_changes_nothing)
{
    pmm_init_with_capacity(&p, 3);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), 4 * FRAME), E_OK);
    CHECK_EQ(pmm_add_usable(&p, MiB(2), 4 * FRAME), E_OK);
    CHECK_EQ(pmm_add_usable(&p, MiB(3), 4 * FRAME), E_OK);
    struct pmm before = p;
    CHECK_EQ(pmm_add_usable(&p, MiB(4), 4 * FRAME), E_NOMEM);
    CHECK(same_pmm(&p, &before));
    CHECK_EQ(pmm_add_usable(&p, MiB(1) + 4 * FRAME, FRAME), E_OK); /* touches: merges */
    before = p;
    CHECK_EQ(pmm_reserve(&p, MiB(2) + FRAME, FRAME), E_NOMEM); /* would split */
    CHECK(log_contains("no span slot left to reserve"));
    CHECK(same_pmm(&p, &before));
    CHECK_EQ(pmm_reserve(&p, MiB(2), FRAME), E_OK); /* trims an edge: fine */
    /* An aligned run in the middle would split: a span where it trims an edge is taken instead. */
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1));
    CHECK_EQ(alloc1(1, 2 * FRAME, 0), MiB(3));
    uint64_t a = alloc1(1, FRAME, 0), c = alloc1(1, FRAME, 0);
    CHECK_EQ(a, MiB(1) + FRAME);
    CHECK_EQ(c, MiB(1) + 2 * FRAME);
    before = p;
    CHECK_EQ(pmm_free(&p, a, 1), E_NOMEM); /* touches no free span: needs a slot */
    CHECK(log_contains("stays allocated"));
    CHECK(same_pmm(&p, &before));
    CHECK_EQ(pmm_free(&p, c, 1), E_OK);
    CHECK_EQ(pmm_free(&p, a, 1), E_OK);
    CHECK_EQ(p.free.count, 3);
    CHECK_EQ(p.free.spans[0].base_phys, MiB(1) + FRAME);
}

TEST(init_from_boot_info)
{
    static struct mb2_builder b;
    static struct boot_info info;
    static const struct mb2_e820 e820[] = {
        { 0, 0x9fc00, 1 },
        { 0x9fc00, 0x400, 2 },
        { 0xf0000, 0x10000, 2 },
        { 0x100000, 0xbfee0000, 1 },
        { 0xbffe0000, 0x20000, 2 },
        { 0x100000000ull, 0xc0000000ull, 1 },
        { 0x180000000ull, 0x1000, 2 }, /* a reserved page inside usable RAM: reserved wins */
    };
    uint32_t module[2] = { 0x400000, 0x401800 };
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_MODULE, module, sizeof module);
    mb2_legacy_map(&b, e820, ARRAY_SIZE(e820), 24);
    mb2_finish(&b);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, sizeof b.bytes, &info), E_OK);
    info.info_phys = 0x300000; /* pretend GRUB put it there */
    struct pmm_range kernel = { MiB(1), 0x23456 };
    CHECK_EQ(pmm_init_from_boot_info(&p, &info, &kernel, 1), E_OK);
    CHECK(log_contains("pmm: "));
    CHECK_EQ(pmm_usable_bytes(&p), 0x9e000 + 0xbfee0000ull + 0xc0000000ull);
    CHECK_EQ(pmm_reserved_bytes(&p), 0x24000 + 0x1000 + 0x2000 + 0x1000);
    CHECK_EQ(alloc1(1, FRAME, 0), MiB(1) + 0x24000);
    CHECK_EQ(pmm_free(&p, 0x300000, 1), E_INVAL);
    CHECK_EQ(pmm_free(&p, 0x180000000ull, 1), E_INVAL);
    CHECK_EQ(pmm_free(&p, 0x400000, 1), E_INVAL);
    uint64_t before_4g = 0;
    for (uint32_t i = 0; i < p.free.count; i++)
        if (p.free.spans[i].end_phys <= GiB(4))
            before_4g += p.free.spans[i].end_phys - p.free.spans[i].base_phys;
    CHECK_EQ(before_4g, 0x9e000 + 0xbfee0000ull - 0x24000 - 0x1000 - 0x2000 - 0x1000);
    pmm_log_free_spans(&p);
    CHECK(log_contains("pmm: free 0x180001000..0x1c0000000"));
}

/* vmxroot's one region: the top of the highest span below the limit that holds it, 2 MiB aligned. */
TEST(carve_top_keeps_one_region_below_the_limit)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, 0x1000, 0x9f000 - 0x1000), E_OK);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(255)), E_OK); /* 1 MiB .. 256 MiB */
    CHECK_EQ(pmm_add_usable(&p, GiB(4), GiB(1)), E_OK);   /* above the limit: left to the guest */
    CHECK_EQ(pmm_reserve(&p, MiB(250), MiB(3)), E_OK);    /* a hole near the top */
    struct pmm_span region;
    CHECK_EQ(pmm_carve_top(&p, MiB(48), GiB(4), &region), E_OK);
    CHECK_EQ(region.end_phys - region.base_phys, MiB(48));
    CHECK_EQ(region.base_phys % MiB(2), 0);
    CHECK(region.end_phys <= MiB(250)); /* the span above the hole is only 3 MiB */
    CHECK_EQ(region.base_phys, MiB(202));
    /* Every frame handed out from now on is in the region, or below 1 MiB when asked. */
    uint64_t phys = alloc1(1, FRAME, 0);
    CHECK(phys >= region.base_phys && phys < region.end_phys);
    CHECK(alloc1(1, FRAME, PMM_BELOW_1MIB) < MiB(1));
    CHECK_EQ(pmm_free_bytes(&p), MiB(48) - FRAME + (0x9f000 - 0x1000) - FRAME);
    /* The guest's frames are not vmxroot's to free. */
    CHECK_EQ(pmm_free(&p, MiB(16), 1), E_INVAL);
}

TEST(carve_top_refuses_what_does_not_fit_and_changes_nothing)
{
    pmm_init(&p);
    CHECK_EQ(pmm_add_usable(&p, MiB(1), MiB(31)), E_OK);
    struct pmm before = p;
    struct pmm_span region = { 0, 0 };
    CHECK_EQ(pmm_carve_top(&p, MiB(48), GiB(4), &region), E_NOMEM);
    CHECK(same_pmm(&p, &before));
    CHECK_EQ(pmm_carve_top(&p, 0, GiB(4), &region), E_INVAL);
    CHECK_EQ(pmm_carve_top(&p, 100, GiB(4), &region), E_INVAL);
    CHECK(same_pmm(&p, &before));
}
