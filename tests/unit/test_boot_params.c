// host-sources: arch/x86/loader/boot_params.c arch/x86/loader/bzimage.c arch/x86/loader/loader_common.c mm/memory_map.c core/lib/error.c core/lib/format.c
/*
 * The zero page for a bzImage guest: the command line with
 * vmxroot.status_page= appended (too long refused), the setup header copied
 * with the loader's fields, the e820 table from a BIOS-like map with
 * vmxroot's own ranges reserved, and the refusals.
 */
#include "arch/x86/loader/boot_params.h"
#include "tests/unit/bzimage_build.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

static char why[256];

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

TEST(cmdline_appends_the_status_page)
{
    char out[2048];
    uint32_t length;
    CHECK_EQ(
        boot_params_cmdline("console=ttyS0 quiet", 0x7ff000, 2047, out, sizeof out, &length, why, sizeof why),
        0);
    CHECK_STR(out, "console=ttyS0 quiet vmxroot.status_page=0x7ff000");
    CHECK_EQ(length, strlen(out) + 1);
    CHECK_EQ(boot_params_cmdline("", 0x1000, 2047, out, sizeof out, &length, why, sizeof why), 0);
    CHECK_STR(out, "vmxroot.status_page=0x1000");
    CHECK_EQ(boot_params_cmdline(NULL, 0x1000, 2047, out, sizeof out, &length, why, sizeof why), 0);
    CHECK_STR(out, "vmxroot.status_page=0x1000");
}

TEST(cmdline_too_long_is_refused)
{
    char out[64], guest[64];
    uint32_t length;
    /* "x" * 10 + " vmxroot.status_page=0x1000" is 37 bytes: a limit of 37 takes it, 36 does not. */
    memset(guest, 'x', 10);
    guest[10] = 0;
    CHECK_EQ(boot_params_cmdline(guest, 0x1000, 37, out, sizeof out, &length, why, sizeof why), 0);
    CHECK_EQ(length, 38);
    CHECK_EQ(boot_params_cmdline(guest, 0x1000, 36, out, sizeof out, &length, why, sizeof why), E_RANGE);
    CHECK_STR(why,
              "the guest command line with vmxroot.status_page= appended is 37 bytes, 1 more than the 36 the "
              "kernel takes");
    CHECK_STR(out, "");
    CHECK_EQ(length, 0);
    /* The output buffer is a limit too. */
    CHECK_EQ(boot_params_cmdline(guest, 0x1000, 2047, out, 20, &length, why, sizeof why), E_RANGE);
}

static const struct mem_region bios_map[] = {
    { 0, 0x9FC00, MEM_USABLE },
    { 0x9FC00, 0x400, MEM_RESERVED },
    { 0xF0000, 0x10000, MEM_RESERVED },
    { 0x100000, 0x7FEE0000, MEM_USABLE },
    { 0x7FFE0000, 0x20000, MEM_ACPI_RECLAIMABLE },
    { 0xFFFC0000, 0x40000, MEM_RESERVED },
};

/* vmxroot's region at the top of RAM, and one page of it somewhere else (the status page). */
static const struct mem_region own[] = {
    { 0x7F000000, 0xE00000, MEM_USABLE },
    { 0x9F000, 0x1000, MEM_USABLE },
};

struct e820 {
    uint64_t base, size;
    uint32_t type;
};

static struct e820 e820_at(const uint8_t *zero_page, unsigned i)
{
    const uint8_t *e = zero_page + BOOT_PARAMS_E820_TABLE + i * BOOT_PARAMS_E820_ENTRY_BYTES;
    return (struct e820){ get_le(e, 8), get_le(e + 8, 8), (uint32_t)get_le(e + 16, 4) };
}

TEST(zero_page_from_a_bios_map)
{
    size_t size;
    uint8_t *image = bzimage_synthetic(0x10000, &size);
    struct bzimage_info info;
    CHECK_EQ(bzimage_parse(image, size, &info, why, sizeof why), 0);
    struct mem_region guest[BOOT_PARAMS_MAP_CAPACITY];
    size_t guest_count;
    CHECK_EQ(boot_params_guest_map(bios_map, ARRAY_SIZE(bios_map), own, ARRAY_SIZE(own), guest, &guest_count,
                                   why, sizeof why),
             0);
    CHECK_EQ(guest_count, 8);
    struct bzimage_plan plan;
    CHECK_EQ(bzimage_plan(&info, guest, guest_count, 50, 0x200000, &plan, why, sizeof why), 0);
    /* Not in vmxroot's region at 0x7F000000-0x7FE00000, nor in the 1.9 MiB above it: just below it. */
    CHECK_EQ(plan.initrd_phys, 0x7EE00000);
    struct boot_params_input in = { image, &info,           &plan,  bios_map, ARRAY_SIZE(bios_map),
                                    own,   ARRAY_SIZE(own), 0xF6A20 };
    static uint8_t zp[BOOT_PARAMS_BYTES];
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), 0);

    /* The header as the image has it, but for the loader's fields. */
    CHECK_EQ(get_le(zp + BZIMAGE_HEADER, 4), BZIMAGE_MAGIC);
    CHECK_EQ(get_le(zp + BZIMAGE_VERSION, 2), 0x020F);
    CHECK_EQ(get_le(zp + BZIMAGE_BOOT_FLAG, 2), 0xAA55);
    CHECK_EQ(get_le(zp + BZIMAGE_INIT_SIZE, 4), 0x3F98000);
    CHECK_EQ(zp[BZIMAGE_TYPE_OF_LOADER], 0xFF);
    CHECK_EQ(zp[BOOT_PARAMS_SENTINEL], 0);
    CHECK_EQ(get_le(zp + BZIMAGE_CODE32_START, 4), plan.kernel_phys);
    CHECK_EQ(get_le(zp + BZIMAGE_CMD_LINE_PTR, 4), plan.cmdline_phys);
    CHECK_EQ(get_le(zp + BOOT_PARAMS_EXT_CMD_LINE_PTR, 4), 0);
    CHECK_EQ(get_le(zp + BZIMAGE_RAMDISK_IMAGE, 4), plan.initrd_phys);
    CHECK_EQ(get_le(zp + BZIMAGE_RAMDISK_SIZE, 4), 0x200000);
    CHECK_EQ(get_le(zp + BOOT_PARAMS_ACPI_RSDP_ADDR, 8), 0xF6A20);
    CHECK_EQ(get_le(zp + 0x26C, 4), 0); /* nothing past the header */

    /* The e820 table: vmxroot's ranges are reserved, cut out of the usable RAM. */
    static const struct e820 want[] = {
        { 0, 0x9F000, 1 },           /* usable below the status page */
        { 0x9F000, 0x1000, 2 },      /* the status page, merged with the EBDA reserved inside it */
        { 0xF0000, 0x10000, 2 },     /* the BIOS */
        { 0x100000, 0x7EF00000, 1 }, /* RAM up to vmxroot's region */
        { 0x7F000000, 0xE00000, 2 }, /* vmxroot */
        { 0x7FE00000, 0x1E0000, 1 }, /* RAM past it */
        { 0x7FFE0000, 0x20000, 3 },  /* ACPI tables */
        { 0xFFFC0000, 0x40000, 2 },
    };
    CHECK_EQ(zp[BOOT_PARAMS_E820_ENTRIES], ARRAY_SIZE(want));
    for (unsigned i = 0; i < ARRAY_SIZE(want) && i < zp[BOOT_PARAMS_E820_ENTRIES]; i++) {
        struct e820 e = e820_at(zp, i);
        CHECK_EQ(e.base, want[i].base);
        CHECK_EQ(e.size, want[i].size);
        CHECK_EQ(e.type, want[i].type);
    }
    free(image);
}

TEST(zero_page_refusals)
{
    size_t size;
    uint8_t *image = bzimage_synthetic(0x10000, &size);
    struct bzimage_info info;
    CHECK_EQ(bzimage_parse(image, size, &info, why, sizeof why), 0);
    struct bzimage_plan plan;
    CHECK_EQ(bzimage_plan(&info, bios_map, ARRAY_SIZE(bios_map), 50, 0, &plan, why, sizeof why), 0);
    static uint8_t zp[BOOT_PARAMS_BYTES];

    /* An own range of length 0, or one that wraps. */
    static const struct mem_region empty[] = { { 0x1000, 0, MEM_USABLE } };
    struct boot_params_input in = { image, &info, &plan, bios_map, ARRAY_SIZE(bios_map), empty, 1, 0 };
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), E_INVAL);
    CHECK(strstr(why, "empty or wraps") != NULL);
    static const struct mem_region wraps[] = { { ~0ull - 0xfff, 0x2000, MEM_USABLE } };
    in.own = wraps;
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), E_INVAL);

    /* 129 alternating regions: one more than the zero page's e820 table holds. */
    static struct mem_region many[129];
    for (unsigned i = 0; i < ARRAY_SIZE(many); i++)
        many[i] = (struct mem_region){ 0x100000 + i * 0x2000ull, 0x1000, i % 2 ? MEM_RESERVED : MEM_USABLE };
    in.own = NULL;
    in.own_count = 0;
    in.memory_map = many;
    in.memory_map_count = ARRAY_SIZE(many);
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), E_RANGE);
    CHECK_STR(why, "the memory map needs 129 e820 entries, the zero page holds 128");
    in.memory_map_count = 128;
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), 0);
    CHECK_EQ(zp[BOOT_PARAMS_E820_ENTRIES], 128);
    /* More entries than the loader sorts at all. */
    static struct mem_region lots[200];
    for (unsigned i = 0; i < ARRAY_SIZE(lots); i++)
        lots[i] = (struct mem_region){ i * 0x2000ull, 0x1000, MEM_USABLE };
    in.memory_map = lots;
    in.memory_map_count = ARRAY_SIZE(lots);
    CHECK_EQ(boot_params_build(&in, zp, why, sizeof why), E_NOMEM);
    free(image);
}
