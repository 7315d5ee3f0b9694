// host-sources: arch/x86/loader/multiboot1.c arch/x86/loader/loader_common.c arch/x86/loader/multiboot1_info.c core/lib/error.c core/lib/format.c
/*
 * Fuzzes the multiboot1 loader's pure parts: multiboot1_parse,
 * multiboot1_check_ranges, multiboot1_info_plan and multiboot1_info_build.
 * The input is a 4-byte little-endian word, then the image's first bytes:
 * the word's low 20 bits are the module's size (the image zero-extended to
 * it, in an exact-size heap buffer so ASan sees any read past the module),
 * its top byte the size of the kernel's one module. Whatever the input, an
 * accepted image's segments are sorted, disjoint, below 4 GiB and hold the
 * entry point; a checked one lies in usable RAM outside vmxroot's ranges;
 * a planned block and module lie in usable RAM, outside the kernel and each
 * other, and the block's addresses point inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/loader/little_endian.h"
#include "arch/x86/loader/loader_common.h"
#include "arch/x86/loader/multiboot1.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/fuzz/fuzz_module.h"
#include "tests/fuzz/fuzz_require.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct mem_region guest_map[] = {
    { 0, 0x9F000, MEM_USABLE },
    { 0x9F000, 0x61000, MEM_RESERVED },
    { 0x100000, 0x40000, MEM_RESERVED },
    { 0x140000, 0x7CEC0000, MEM_USABLE },
    { 0x7D000000, 0x3000000, MEM_RESERVED },
};
static const struct mem_region own[] = {
    { 0x100000, 0x40000, MEM_RESERVED },
    { 0x7D000000, 0x3000000, MEM_RESERVED },
};

static bool in_usable(uint64_t base, uint64_t size)
{
    return loader_inside_usable(guest_map, ARRAY_SIZE(guest_map), base, size);
}

static bool overlaps(uint64_t a, uint64_t a_bytes, uint64_t b, uint64_t b_bytes)
{
    return a < b + b_bytes && b < a + a_bytes;
}

static void check_info(const struct multiboot1_image *img, uint64_t module_bytes)
{
    struct multiboot1_busy busy[] = { { 0x2000000, 0x2100000 } };
    struct multiboot1_info_input in = { guest_map, ARRAY_SIZE(guest_map), img,   "a b", "vmxroot",
                                        true,      module_bytes,          "env", busy,  1 };
    struct multiboot1_info_plan plan;
    char why[256];
    int err = multiboot1_info_plan(&in, &plan, why, sizeof why);
    REQUIRE(err == 0 || err == E_NOMEM || err == E_RANGE);
    if (err)
        return;
    REQUIRE(IS_ALIGNED(plan.block_phys, 4096) && IS_ALIGNED(plan.module_phys, 4096));
    REQUIRE(in_usable(plan.block_phys, plan.block_bytes) && in_usable(plan.module_phys, module_bytes));
    REQUIRE(!overlaps(plan.block_phys, plan.block_bytes, plan.module_phys, module_bytes));
    for (uint32_t i = 0; i < img->segment_count; i++) {
        REQUIRE(
            !overlaps(plan.block_phys, plan.block_bytes, img->segments[i].phys, img->segments[i].mem_bytes));
        REQUIRE(!overlaps(plan.module_phys, module_bytes, img->segments[i].phys, img->segments[i].mem_bytes));
    }
    REQUIRE(!overlaps(plan.module_phys, module_bytes, busy[0].base, busy[0].end - busy[0].base));
    REQUIRE(((uint64_t)plan.mem_upper_kib << 10) + MiB(1) <= 0x7D000000);
    uint8_t *block = malloc(plan.block_bytes);
    multiboot1_info_build(&in, &plan, block);
    static const unsigned pointers[] = { MULTIBOOT1_INFO_CMDLINE, MULTIBOOT1_INFO_MODS_ADDR,
                                         MULTIBOOT1_INFO_MMAP_ADDR, MULTIBOOT1_INFO_BOOT_LOADER_NAME };
    for (size_t i = 0; i < ARRAY_SIZE(pointers); i++) {
        uint64_t at = le_get(block + pointers[i], 4);
        REQUIRE(at >= plan.block_phys && at < plan.block_phys + plan.block_bytes);
    }
    free(block);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t word;
    size_t module;
    uint8_t *image = fuzz_module_image(data, size, 20, &word, &module);
    if (image == NULL)
        return 0;
    struct multiboot1_image img;
    char why[256] = "";
    int err = multiboot1_parse(image, module, &img, why, sizeof why);
    REQUIRE(err == 0 || err == E_INVAL || err == E_NOTSUP || err == E_RANGE);
    REQUIRE(err == 0 || why[0] != 0);
    REQUIRE(err != 0 || multiboot1_detect(image, module));
    if (err == 0) {
        bool entry_inside = false;
        REQUIRE(img.segment_count >= 1 && img.segment_count <= MULTIBOOT1_MAX_SEGMENTS);
        for (uint32_t i = 0; i < img.segment_count; i++) {
            const struct multiboot1_segment *s = &img.segments[i];
            REQUIRE(s->mem_bytes > 0 && s->file_bytes <= s->mem_bytes &&
                    s->phys + s->mem_bytes <= (1ull << 32));
            REQUIRE(s->file_offset + s->file_bytes <= module);
            REQUIRE(i == 0 || img.segments[i - 1].phys + img.segments[i - 1].mem_bytes <= s->phys);
            entry_inside |= img.entry_phys >= s->phys && img.entry_phys < s->phys + s->mem_bytes;
        }
        REQUIRE(entry_inside || !img.address_fields);
        err = multiboot1_check_ranges(&img, guest_map, ARRAY_SIZE(guest_map), own, ARRAY_SIZE(own), why,
                                      sizeof why);
        REQUIRE(err == 0 || err == E_RANGE);
        if (err == 0) {
            for (uint32_t i = 0; i < img.segment_count; i++)
                REQUIRE(in_usable(img.segments[i].phys, img.segments[i].mem_bytes));
            check_info(&img, (uint64_t)(word >> 24) << 16);
        }
    }
    free(image);
    log_capture_reset();
    return 0;
}
