// host-sources: arch/x86/loader/bzimage.c arch/x86/loader/loader_common.c arch/x86/loader/boot_params.c mm/memory_map.c core/lib/error.c core/lib/format.c
/*
 * Fuzzes the bzImage loader's pure parts: bzimage_parse, bzimage_plan and
 * boot_params_build. The input is a 4-byte little-endian word, then the
 * image's first bytes: the word's low 24 bits are the module's size (the
 * image is zero-extended to it, in an exact-size heap buffer so ASan sees
 * any read past the module), its top byte picks the guest's memory map and
 * the initramfs size. Seeds: Debian 6.1's header (debian-6.1.0-47-amd64,
 * the real size) and hand-made ones. Whatever the input, an accepted
 * image's fields keep their documented ranges, every planned piece lies in
 * usable RAM outside vmxroot's ranges, aligned, without overlaps, and the
 * zero page holds the image's header with the plan's addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/loader/boot_params.h"
#include "arch/x86/loader/little_endian.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/fuzz/fuzz_module.h"
#include "tests/fuzz/fuzz_require.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct mem_region bios_map[] = {
    { 0, 0x9FC00, MEM_USABLE },
    { 0x9FC00, 0x400, MEM_RESERVED },
    { 0xF0000, 0x10000, MEM_RESERVED },
    { 0x100000, 0x7FEE0000, MEM_USABLE },
    { 0x7FFE0000, 0x20000, MEM_ACPI_NVS },
    { 0xFFFC0000, 0x40000, MEM_RESERVED },
    { 0x100000000, 0x40000000, MEM_USABLE },
};
static const struct mem_region small_map[] = {
    { 0x1000, 0x9E000, MEM_USABLE },
    { 0x100000, 0x3F00000, MEM_USABLE }, /* 64 MiB: a kernel with a large init_size does not fit */
};
static const struct mem_region own_ranges[] = {
    { 0x1000000, 0x200000, MEM_USABLE }, /* where kernels prefer to go */
    { 0x3E00000, 0x200000, MEM_USABLE },
    { 0x9F000, 0x1000, MEM_USABLE },
};

static bool in_usable(const struct mem_region *ram, size_t count, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < count; i++)
        if (ram[i].type == MEM_USABLE && base >= ram[i].base_phys &&
            base + size <= ram[i].base_phys + ram[i].length_bytes)
            return true;
    return false;
}

static void check_plan(const struct bzimage_info *info, const struct bzimage_plan *plan, const uint8_t *image,
                       const struct mem_region *map, size_t map_count)
{
    struct mem_region guest[BOOT_PARAMS_MAP_CAPACITY];
    size_t guest_count;
    char why[256];
    REQUIRE(boot_params_guest_map(map, map_count, own_ranges, ARRAY_SIZE(own_ranges), guest, &guest_count,
                                  why, sizeof why) == 0);
    uint64_t base[3] = { plan->kernel_phys, plan->boot_params_phys, plan->initrd_phys };
    uint64_t bytes[3] = { plan->kernel_reserve_bytes, 4096 + ALIGN_UP((uint64_t)plan->cmdline_bytes, 4096),
                          ALIGN_UP(plan->initrd_bytes, 4096) };
    for (int i = 0; i < 3; i++) {
        if (bytes[i] == 0)
            continue;
        REQUIRE(IS_ALIGNED(base[i], 4096) && base[i] + bytes[i] <= (1ull << 32));
        REQUIRE(in_usable(guest, guest_count, base[i], bytes[i]));
        for (int j = 0; j < i; j++)
            REQUIRE(bytes[j] == 0 || base[i] + bytes[i] <= base[j] || base[j] + bytes[j] <= base[i]);
    }
    REQUIRE(plan->kernel_reserve_bytes >= info->init_size_bytes);
    REQUIRE(plan->kernel_phys == info->pref_address ||
            IS_ALIGNED(plan->kernel_phys, info->kernel_alignment_bytes));
    REQUIRE(plan->kernel_phys >= MiB(1));
    REQUIRE(plan->initrd_bytes == 0 || plan->initrd_phys + plan->initrd_bytes - 1 <= info->initrd_addr_max);

    static uint8_t zero_page[BOOT_PARAMS_BYTES];
    struct boot_params_input in = { image,  info, plan, map, map_count, own_ranges, ARRAY_SIZE(own_ranges),
                                    0xF6A20 };
    REQUIRE(boot_params_build(&in, zero_page, why, sizeof why) == 0);
    REQUIRE(le_get(zero_page + BZIMAGE_HEADER, 4) == BZIMAGE_MAGIC);
    REQUIRE(memcmp(zero_page + BZIMAGE_VERSION, image + BZIMAGE_VERSION, 0x210 - BZIMAGE_VERSION) == 0);
    REQUIRE(zero_page[BZIMAGE_TYPE_OF_LOADER] == BOOT_PARAMS_LOADER_UNDEFINED);
    REQUIRE(le_get(zero_page + BZIMAGE_CMD_LINE_PTR, 4) == plan->cmdline_phys);
    REQUIRE(le_get(zero_page + BZIMAGE_RAMDISK_SIZE, 4) == plan->initrd_bytes);
    REQUIRE(zero_page[BOOT_PARAMS_E820_ENTRIES] == guest_count);
    for (unsigned i = info->header_end; i < BOOT_PARAMS_E820_TABLE; i++)
        REQUIRE(zero_page[i] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t word;
    size_t module;
    uint8_t *image = fuzz_module_image(data, size, 24, &word, &module);
    if (image == NULL)
        return 0;

    struct bzimage_info info;
    char why[256] = "";
    int err = bzimage_parse(image, module, &info, why, sizeof why);
    REQUIRE(err == 0 || err == E_INVAL || err == E_NOTSUP || err == E_RANGE);
    REQUIRE(err == 0 || why[0] != 0);
    if (err == 0) {
        REQUIRE(info.version >= BZIMAGE_MIN_VERSION);
        REQUIRE(info.setup_bytes + info.kernel_bytes <= module && info.kernel_bytes > 0);
        REQUIRE(info.header_end >= BZIMAGE_INIT_SIZE + 4 && info.header_end <= BZIMAGE_HEADER_LIMIT);
        REQUIRE((info.kernel_alignment_bytes & (info.kernel_alignment_bytes - 1)) == 0);
        REQUIRE(info.min_alignment_bytes != 0 && info.min_alignment_bytes <= info.kernel_alignment_bytes);
        REQUIRE(info.init_size_bytes >= info.kernel_bytes);

        unsigned pick = word >> 24;
        const struct mem_region *map = pick & 1 ? small_map : bios_map;
        size_t map_count = pick & 1 ? ARRAY_SIZE(small_map) : ARRAY_SIZE(bios_map);
        uint64_t initrd_bytes = (pick >> 1) == 0 ? 0 : (uint64_t)(pick >> 1) << 22; /* 0 to 508 MiB */
        struct mem_region guest[BOOT_PARAMS_MAP_CAPACITY];
        size_t guest_count;
        REQUIRE(boot_params_guest_map(map, map_count, own_ranges, ARRAY_SIZE(own_ranges), guest, &guest_count,
                                      why, sizeof why) == 0);
        char cmdline[4096];
        uint32_t cmdline_bytes;
        err = boot_params_cmdline("console=ttyS0 quiet", 0x3E00000, info.cmdline_max_bytes, cmdline,
                                  sizeof cmdline, &cmdline_bytes, why, sizeof why);
        REQUIRE(err == 0 || err == E_RANGE);
        if (err == 0) {
            REQUIRE(strlen(cmdline) + 1 == cmdline_bytes && cmdline_bytes - 1 <= info.cmdline_max_bytes);
            struct bzimage_plan plan;
            err =
                bzimage_plan(&info, guest, guest_count, cmdline_bytes, initrd_bytes, &plan, why, sizeof why);
            REQUIRE(err == 0 || err == E_NOMEM);
            if (err == 0)
                check_plan(&info, &plan, image, map, map_count);
        }
    }
    free(image);
    log_capture_reset();
    return 0;
}
