// host-sources: arch/x86/vmx/ept.c arch/x86/mtrr.c core/lib/error.c core/lib/format.c
/*
 * Fuzzes the EPT builder and the MTRR range types together. The input
 * picks a capability MSR (2 MiB / 1 GiB pages, execute-only), an MTRR map
 * (default type, fixed ranges, up to 6 variable ranges, contiguous masks or
 * not) and up to 8 operations on a 2 GiB guest-physical window (map with
 * the MTRRs, map with one type, unmap). A page-by-page model says what each
 * guest page must translate to, its memory type from the oracle in
 * tests/unit/mtrr_build.h. After the operations every leaf is compared with
 * the model page by page (so no large leaf spans two MTRR types), the
 * walk's counts with the model's and the allocator's, and random ranges'
 * mtrr_type_of_range answers with the oracle: exact for contiguous masks,
 * never "uniform" for a range that is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/ept_pages.h"
#include "tests/unit/mtrr_build.h"
#include "tests/unit/check.h"
#include "tests/fuzz/fuzz_require.h"

#define WINDOW_PAGES (1u << 19) /* 2 GiB of guest-physical space */
#define HPA_PAGES (1u << 21)    /* host addresses within 8 GiB */
#define WIDTH_BITS 36
#define MODEL_PRESENT (1ull << 63)

/* The model walks every page: tracing its comparisons would only slow the search down. */
#define MODEL_CODE __attribute__((no_sanitize("coverage"), noinline))

static uint64_t model[WINDOW_PAGES]; /* hpa | access | type << 3 | MODEL_PRESENT, or 0 */
static struct test_pages pages;

struct input {
    const uint8_t *data;
    size_t size;
};

static uint64_t take(struct input *in, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | (in->size > 0 ? *in->data : 0);
        if (in->size > 0) {
            in->data++;
            in->size--;
        }
    }
    return v;
}

static const uint8_t types[] = { MTRR_TYPE_UC, MTRR_TYPE_WC, MTRR_TYPE_WT, MTRR_TYPE_WP, MTRR_TYPE_WB };

static bool build_mtrr(struct input *in, struct mtrr_map *map)
{
    uint64_t config = take(in, 2);
    memset(map, 0, sizeof *map);
    map->enabled = (config & 0x7) != 0; /* mostly on */
    map->fixed_enabled = (config >> 3) & 1;
    map->default_type = types[((config >> 4) & 0xf) % 5];
    for (unsigned i = 0; i < MTRR_FIXED_RANGES; i++)
        map->fixed_type[i] = types[((config >> 8) + i / 8 * ((config >> 12) & 3)) % 5];
    bool contiguous = ((config >> 14) & 3) != 0;
    map->variable_count = (uint32_t)(take(in, 1) % 7);
    uint64_t width_mask = (1ull << WIDTH_BITS) - 1;
    for (uint32_t i = 0; i < map->variable_count; i++) {
        uint64_t v = take(in, 5);
        unsigned log2_bytes = 12 + (unsigned)(v % 22); /* 4 KiB .. 2 GiB */
        uint64_t base = ((v >> 5) << 12) % (HPA_PAGES * 4096ull) & ~((1ull << log2_bytes) - 1);
        uint64_t mask = ~((1ull << log2_bytes) - 1) & width_mask;
        if (!contiguous)
            mask ^= (v >> 30 & 0x3ff) << 12; /* holes in the mask */
        map->variable[i] = (struct mtrr_variable){ base, mask | ~width_mask, types[(v >> 27) % 5] };
    }
    return contiguous;
}

static bool access_valid(uint32_t access, uint64_t cap)
{
    if (access == 0 || access > EPT_ACCESS_MASK || ((access & EPT_WRITE) && !(access & EPT_READ)))
        return false;
    return access != EPT_EXEC || (cap & EPT_CAP_EXECUTE_ONLY);
}

MODEL_CODE static void model_map(uint64_t page, uint64_t count, uint64_t hpa_page, uint32_t access,
                                 const struct mtrr_map *map, int fixed_type)
{
    for (uint64_t i = 0; i < count; i++) {
        uint64_t hpa = (hpa_page + i) << 12;
        uint8_t type = fixed_type >= 0 ? (uint8_t)fixed_type : mtrr_oracle_type(map, hpa);
        model[page + i] = hpa | access | (uint64_t)type << 3 | MODEL_PRESENT;
    }
}

MODEL_CODE static void model_unmap(uint64_t page, uint64_t count) { memset(&model[page], 0, count * 8); }

/* Every leaf in the window against the model; returns the mapped bytes the model holds. */
MODEL_CODE static uint64_t check_leaves(const struct ept_space *space)
{
    uint64_t model_bytes = 0;
    for (uint64_t page = 0; page < WINDOW_PAGES;) {
        struct ept_translation t;
        int err = ept_lookup(space, page << 12, &t);
        REQUIRE(t.leaf_size_bytes >= 4096 && IS_ALIGNED(page << 12, 4096));
        uint64_t leaf_pages = t.leaf_size_bytes >> 12;
        REQUIRE((page & (leaf_pages - 1)) == 0); /* the walk steps from leaf to leaf */
        for (uint64_t i = 0; i < leaf_pages && page + i < WINDOW_PAGES; i++) {
            uint64_t m = model[page + i];
            if (err != 0) {
                REQUIRE(err == E_NOENT && m == 0);
                continue;
            }
            REQUIRE(!t.ignore_pat);
            uint64_t want = (t.hpa + (i << 12)) | t.access | (uint64_t)t.memory_type << 3 | MODEL_PRESENT;
            REQUIRE(m == want);
            model_bytes += 4096;
        }
        page += leaf_pages;
    }
    return model_bytes;
}

static void check_range_types(struct input *in, const struct mtrr_map *map, bool contiguous)
{
    for (int n = 0; n < 4 && in->size > 0; n++) {
        uint64_t v = take(in, 5);
        uint64_t page = (v & 0x1fffff) % HPA_PAGES, count = 1 + ((v >> 21) % 4096);
        uint8_t type = 0xff, first = mtrr_oracle_type(map, page << 12);
        bool uniform = true;
        for (uint64_t i = 1; i < count && uniform; i++)
            uniform = mtrr_oracle_type(map, (page + i) << 12) == first;
        bool got = mtrr_type_of_range(map, page << 12, count << 12, &type);
        REQUIRE(type == first);
        REQUIRE(!got || uniform);
        REQUIRE(!contiguous || got == uniform);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size };
    uint64_t cap_bits = take(&in, 1);
    /* Without 2 MiB pages (a quarter of the inputs) ranges stay small: every leaf is 4 KiB. */
    bool small_pages = (cap_bits & 0x18) == 0x18;
    uint64_t cap = EPT_CAP_WALK_LENGTH_4 | EPT_CAP_PAGING_WB | (small_pages ? 0 : EPT_CAP_2MIB_PAGES) |
                   (cap_bits & 2 ? EPT_CAP_1GIB_PAGES : 0) | (cap_bits & 4 ? EPT_CAP_EXECUTE_ONLY : 0);
    struct mtrr_map map;
    bool contiguous = build_mtrr(&in, &map);

    memset(&pages, 0, sizeof pages);
    memset(model, 0, sizeof model);
    struct ept_allocator allocator = test_pages_allocator(&pages);
    struct ept_space space;
    REQUIRE(ept_space_init(&space, &allocator, cap, WIDTH_BITS) == 0);

    for (int op = 0; op < 8 && in.size >= 8; op++) {
        uint64_t v = take(&in, 8);
        unsigned kind = v & 3;
        uint64_t page = (v >> 2) & (WINDOW_PAGES - 1);
        /* Sizes: a power of two (often a large leaf) or anything; alignments as the low bits say. */
        uint64_t count = (v >> 22) & 1 ? 1ull << ((v >> 23) % 20) : 1 + ((v >> 23) & 0xfff);
        if ((v >> 41) & 1)
            page &= ~((1ull << ((v >> 42) % 19)) - 1);
        if (small_pages)
            count = 1 + count % 4096;
        if (page + count > WINDOW_PAGES)
            count = WINDOW_PAGES - page;
        uint64_t hpa_page = (v >> 47) & 1 ? page : (page + ((v >> 48) << 9)) % (HPA_PAGES - count);
        uint32_t access = (uint32_t)((v >> 61) & 7);
        int err;
        if (kind == 3) {
            err = ept_unmap_range(&space, page << 12, count << 12);
            REQUIRE(err == 0);
            model_unmap(page, count);
        } else if (kind == 2) {
            uint8_t type = types[(v >> 58) % 5];
            err = ept_map_range_typed(&space, page << 12, hpa_page << 12, count << 12, access, type);
            REQUIRE((err == 0) == access_valid(access, cap));
            if (err == 0)
                model_map(page, count, hpa_page, access, &map, type);
        } else {
            err = ept_map_range(&space, page << 12, hpa_page << 12, count << 12, access, &map);
            REQUIRE((err == 0) == access_valid(access, cap));
            if (err == 0)
                model_map(page, count, hpa_page, access, &map, -1);
        }
        log_capture_reset();
    }

    uint64_t model_bytes = check_leaves(&space);
    struct ept_stats stats;
    ept_space_stats(&space, &stats);
    REQUIRE(stats.mapped_bytes == model_bytes);
    REQUIRE(stats.tables == space.table_count && (int)stats.tables == pages.outstanding);
    REQUIRE((cap & EPT_CAP_1GIB_PAGES) || stats.leaves_1gib == 0);
    REQUIRE((cap & EPT_CAP_2MIB_PAGES) || stats.leaves_2mib == 0);
    check_range_types(&in, &map, contiguous);
    ept_space_destroy(&space);
    REQUIRE(pages.outstanding == 0);
    return 0;
}
