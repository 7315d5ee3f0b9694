// host-sources: mm/multiboot2.c mm/multiboot2_mmap.c mm/multiboot2_framebuffer.c mm/memory_map.c mm/pmm.c
/*
 * Fuzzes multiboot2_parse with the input as the info block, then checks
 * what it accepted: bounded counts, NUL-terminated strings, regions that
 * never wrap; then mem_regions_normalize (sorted, disjoint, every byte keeps
 * its strictest type) and pmm_init_from_boot_info on the map.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "mm/multiboot2.h"
#include "mm/pmm.h"
#include "core/lib/error.h"
#include "tests/fuzz/fuzz_require.h"

static struct boot_info info;
static struct pmm pmm;
static struct mem_region before[BOOT_INFO_MAX_REGIONS];

/* The strictest type any of the n regions gives addr, or 0 when none covers it. */
static uint32_t type_at(const struct mem_region *r, size_t n, uint64_t addr)
{
    uint32_t best = 0;
    for (size_t i = 0; i < n; i++)
        if (addr >= r[i].base_phys && addr - r[i].base_phys < r[i].length_bytes &&
            (best == 0 || mem_type_strictness(r[i].type) > mem_type_strictness(best)))
            best = r[i].type;
    return best;
}

static void check_normalize(void)
{
    size_t n = info.region_count;
    memcpy(before, info.regions, n * sizeof before[0]);
    bool overflow_before = info.regions_overflow;
    boot_info_normalize_regions(&info);
    const struct mem_region *r = info.regions;
    for (uint32_t i = 0; i < info.region_count; i++) {
        REQUIRE(r[i].length_bytes != 0);
        REQUIRE(r[i].length_bytes <= UINT64_MAX - r[i].base_phys);
        if (i > 0) {
            uint64_t prev_end = r[i - 1].base_phys + r[i - 1].length_bytes;
            REQUIRE(prev_end <= r[i].base_phys);
            REQUIRE(prev_end < r[i].base_phys || r[i - 1].type != r[i].type);
        }
        /* Each end of each output region has the type the input gave it. */
        if (!info.regions_overflow || overflow_before) {
            REQUIRE(type_at(before, n, r[i].base_phys) == r[i].type);
            REQUIRE(type_at(before, n, r[i].base_phys + r[i].length_bytes - 1) == r[i].type);
        } else {
            uint32_t t = type_at(before, n, r[i].base_phys);
            REQUIRE(mem_type_strictness(t) >= mem_type_strictness(r[i].type));
        }
    }
    /* Every input region's ends are covered with their strictest type unless pieces were dropped. */
    if (!info.regions_overflow)
        for (size_t i = 0; i < n; i++) {
            REQUIRE(type_at(r, info.region_count, before[i].base_phys) ==
                    type_at(before, n, before[i].base_phys));
            uint64_t last = before[i].base_phys + before[i].length_bytes - 1;
            REQUIRE(type_at(r, info.region_count, last) == type_at(before, n, last));
        }
}

static void check_pmm(void)
{
    struct pmm_range kernel = { MiB(1), MiB(2) };
    if (pmm_init_from_boot_info(&pmm, &info, &kernel, 1) != E_OK)
        return;
    struct pmm_stats st;
    pmm_get_stats(&pmm, &st);
    REQUIRE(st.free_bytes + st.reserved_bytes <= st.usable_bytes);
    REQUIRE(st.allocated_bytes == 0);
    REQUIRE(st.usable_bytes <= boot_info_usable_bytes(&info));
    for (unsigned flags = 0; flags < 4; flags++) {
        uint64_t phys;
        if (pmm_alloc(&pmm, 1, PMM_FRAME_BYTES, flags, &phys) != E_OK)
            continue;
        REQUIRE(phys != 0);
        REQUIRE((flags & PMM_BELOW_1MIB) ? phys < MiB(1) : phys >= MiB(3));
        REQUIRE(!(flags & PMM_BELOW_4GIB) || phys < GiB(4));
        REQUIRE(type_at(info.regions, info.region_count, phys) == MEM_USABLE);
        REQUIRE(pmm_free(&pmm, phys, 1) == E_OK);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser wants an 8-byte aligned block; malloc gives 16. */
    uint8_t *block = malloc(size ? size : 1);
    memcpy(block, data, size);
    int err = multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, block, size, &info);
    if (err == E_OK) {
        REQUIRE(info.info_size_bytes <= size);
        REQUIRE(info.info_phys == (uintptr_t)block);
        REQUIRE(info.region_count <= BOOT_INFO_MAX_REGIONS);
        REQUIRE(info.module_count <= BOOT_INFO_MAX_MODULES);
        REQUIRE(info.rsdp_v2_size_bytes <= BOOT_INFO_RSDP_V2_BYTES);
        REQUIRE(memchr(info.cmdline, 0, sizeof info.cmdline) != NULL);
        REQUIRE(memchr(info.loader_name, 0, sizeof info.loader_name) != NULL);
        for (uint32_t i = 0; i < info.region_count; i++) {
            REQUIRE(info.regions[i].length_bytes != 0);
            REQUIRE(info.regions[i].length_bytes <= UINT64_MAX - info.regions[i].base_phys);
            REQUIRE(info.regions[i].type >= MEM_USABLE && info.regions[i].type <= MEM_BAD);
        }
        for (uint32_t i = 0; i < info.module_count; i++)
            REQUIRE(info.modules[i].start_phys <= info.modules[i].end_phys);
        check_normalize();
        check_pmm();
        /* One byte less readable: a block that used all bytes must now be refused. */
        if (info.info_size_bytes == size)
            REQUIRE(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, block, size - 1, &info) == E_RANGE);
    } else {
        REQUIRE(err == E_INVAL || err == E_RANGE);
        const uint8_t *bytes = (const uint8_t *)&info;
        for (size_t i = 0; i < sizeof info; i++)
            REQUIRE(bytes[i] == 0); /* refused: nothing half filled */
    }
    free(block);
    return 0;
}
