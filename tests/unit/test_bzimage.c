// host-sources: arch/x86/loader/bzimage.c arch/x86/loader/loader_common.c core/lib/error.c core/lib/format.c
/*
 * The bzImage setup-header parser and the load plan (the x86 boot
 * protocol): Debian 6.1's real header, every refusal with its code and
 * message, and placements in a BIOS-like memory map, one with a hole where
 * the kernel prefers to go, and ones where a piece does not fit.
 */
#include "tests/unit/bzimage_build.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

static char why[256];

static const struct mem_region bios_ram[] = {
    { 0, 0x9FC00, MEM_USABLE },
    { 0x9FC00, 0x400, MEM_RESERVED },
    { 0xF0000, 0x10000, MEM_RESERVED },
    { 0x100000, 0x7FEE0000, MEM_USABLE }, /* 1 MiB to 0x7FFE0000: 2 GiB of RAM */
    { 0x7FFE0000, 0x20000, MEM_ACPI_RECLAIMABLE },
    { 0xFFFC0000, 0x40000, MEM_RESERVED },
};

static int parse(const uint8_t *image, size_t size, struct bzimage_info *info)
{
    why[0] = 0;
    return bzimage_parse(image, size, info, why, sizeof why);
}

TEST(bzimage_debian_6_1_header)
{
    size_t size;
    uint8_t *image = bzimage_debian(&size);
    CHECK(image != NULL);
    if (image == NULL)
        return;
    struct bzimage_info info;
    CHECK_EQ(parse(image, size, &info), 0);
    CHECK_EQ(info.version, 0x020F);
    CHECK_EQ(info.setup_bytes, 40 * 512);
    CHECK_EQ(info.setup_bytes + info.kernel_bytes, size); /* syssize covers the rest of the file */
    CHECK_EQ(info.header_end, 0x26C);
    CHECK(info.relocatable);
    CHECK_EQ(info.kernel_alignment_bytes, 0x200000);
    CHECK_EQ(info.min_alignment_bytes, 0x200000);
    CHECK_EQ(info.pref_address, 0x1000000);
    CHECK_EQ(info.init_size_bytes, 0x3F98000);
    CHECK_EQ(info.cmdline_max_bytes, 2047);
    CHECK_EQ(info.initrd_addr_max, 0x7FFFFFFF);
    CHECK(info.entry_64 && info.above_4g);
    /* Cut one byte off the end: the header's kernel no longer fits in the module. */
    CHECK_EQ(parse(image, size - 1, &info), E_RANGE);
    CHECK(strstr(why, "truncated") != NULL);
    CHECK_EQ(parse(image, 4096, &info), E_RANGE);
    free(image);
}

TEST(bzimage_synthetic_parses)
{
    size_t size;
    uint8_t *image = bzimage_synthetic(0x10000, &size);
    struct bzimage_info info;
    CHECK_EQ(parse(image, size, &info), 0);
    CHECK_EQ(info.setup_bytes, 2560);
    CHECK_EQ(info.kernel_bytes, 0x10000);
    image[BZIMAGE_SETUP_SECTS] = 0; /* 0 means 4 */
    CHECK_EQ(parse(image, size, &info), 0);
    CHECK_EQ(info.setup_bytes, 2560);
    free(image);
}

/* Each refusal: the byte to change, its new value, the code, a word of the message. */
struct refusal {
    unsigned offset, bytes;
    uint64_t value;
    int err;
    const char *says;
};

TEST(bzimage_refusals)
{
    static const struct refusal cases[] = {
        { BZIMAGE_HEADER, 4, 0x53726449, E_INVAL, "no \"HdrS\" magic at 0x202: not a bzImage" },
        { BZIMAGE_BOOT_FLAG, 2, 0x55AA, E_INVAL, "boot flag 0x55aa" },
        { BZIMAGE_VERSION, 2, 0x020B, E_NOTSUP, "boot protocol 0x020b is older than 2.12" },
        { BZIMAGE_JUMP + 1, 1, 0x60, E_INVAL, "setup header ends at 0x262" },
        { BZIMAGE_JUMP + 1, 1, 0x90, E_INVAL, "setup header ends at 0x292" },
        { BZIMAGE_LOADFLAGS, 1, 0, E_NOTSUP, "a zImage" },
        { BZIMAGE_SYSSIZE, 4, 0x1001, E_RANGE, "truncated" },
        { BZIMAGE_SYSSIZE, 4, 0, E_INVAL, "syssize is 0" },
        { BZIMAGE_SETUP_SECTS, 1, 200, E_RANGE, "truncated" },
        { BZIMAGE_KERNEL_ALIGNMENT, 4, 0, E_INVAL, "kernel_alignment 0x0 is not a power of two" },
        { BZIMAGE_KERNEL_ALIGNMENT, 4, 0x300000, E_INVAL, "kernel_alignment 0x300000" },
        { BZIMAGE_KERNEL_ALIGNMENT, 4, 0x800, E_INVAL, "kernel_alignment 0x800" },
        { BZIMAGE_MIN_ALIGNMENT, 1, 22, E_INVAL, "min_alignment 2^22 is above kernel_alignment 0x200000" },
        { BZIMAGE_MIN_ALIGNMENT, 1, 40, E_INVAL, "min_alignment 2^40" },
        { BZIMAGE_INIT_SIZE, 4, 0xFFF0, E_INVAL, "init_size 0xfff0 is smaller than the kernel's 0x10000" },
    };
    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        size_t size;
        uint8_t *image = bzimage_synthetic(0x10000, &size);
        put_le(image + cases[c].offset, cases[c].value, cases[c].bytes);
        struct bzimage_info info;
        int err = parse(image, size, &info);
        if (err != cases[c].err || strstr(why, cases[c].says) == NULL)
            printf("  case %zu: %s (%d): %s\n", c, error_name(err), err, why);
        CHECK_EQ(err, cases[c].err);
        CHECK(strstr(why, cases[c].says) != NULL);
        free(image);
    }
}

TEST(bzimage_refuses_short_modules_and_fixed_kernels)
{
    size_t size;
    uint8_t *image = bzimage_synthetic(0x10000, &size);
    struct bzimage_info info;
    CHECK_EQ(parse(image, 0x205, &info), E_INVAL);
    CHECK(strstr(why, "517 bytes is too short") != NULL);
    CHECK_EQ(parse(image, 0x260, &info), E_RANGE);
    CHECK(strstr(why, "end inside the setup header") != NULL);
    image[BZIMAGE_RELOCATABLE] = 0;
    put_le(image + BZIMAGE_PREF_ADDRESS, 0x1234, 8);
    CHECK_EQ(parse(image, size, &info), E_INVAL);
    CHECK(strstr(why, "not relocatable") != NULL);
    uint8_t zeros[1024] = { 0 };
    CHECK_EQ(parse(zeros, sizeof zeros, &info), E_INVAL);
    free(image);
}

static struct bzimage_info synthetic_info(void)
{
    size_t size;
    uint8_t *image = bzimage_synthetic(0x10000, &size);
    struct bzimage_info info;
    CHECK_EQ(parse(image, size, &info), 0);
    free(image);
    return info;
}

/* Every piece of the plan in usable RAM, 4 KiB-aligned, none overlapping another. */
static void check_plan(const struct bzimage_plan *p, const struct mem_region *ram, size_t count)
{
    uint64_t base[3] = { p->kernel_phys, p->boot_params_phys, p->initrd_phys };
    uint64_t size[3] = { p->kernel_reserve_bytes, 4096 + ALIGN_UP((uint64_t)p->cmdline_bytes, 4096),
                         ALIGN_UP(p->initrd_bytes, 4096) };
    for (int i = 0; i < 3; i++) {
        if (size[i] == 0)
            continue;
        CHECK(IS_ALIGNED(base[i], 4096));
        bool inside = false;
        for (size_t r = 0; r < count; r++)
            inside |= ram[r].type == MEM_USABLE && base[i] >= ram[r].base_phys &&
                      base[i] + size[i] <= ram[r].base_phys + ram[r].length_bytes;
        CHECK(inside);
        for (int j = 0; j < i; j++)
            CHECK(size[j] == 0 || base[i] + size[i] <= base[j] || base[j] + size[j] <= base[i]);
    }
    CHECK_EQ(p->cmdline_phys, p->boot_params_phys + 4096);
}

TEST(bzimage_plan_in_a_bios_map)
{
    struct bzimage_info info = synthetic_info();
    struct bzimage_plan plan;
    CHECK_EQ(bzimage_plan(&info, bios_ram, ARRAY_SIZE(bios_ram), 100, (1u << 20) + 5, &plan, why, sizeof why),
             0);
    CHECK_EQ(plan.kernel_phys, 0x1000000);
    CHECK_EQ(plan.kernel_reserve_bytes, 0x3F98000);
    CHECK_EQ(plan.entry32_phys, 0x1000000);
    CHECK_EQ(plan.entry64_phys, 0x1000200);
    CHECK_EQ(plan.boot_params_phys, 0x10000);
    CHECK_EQ(plan.cmdline_phys, 0x11000);
    CHECK_EQ(plan.cmdline_bytes, 100);
    CHECK_EQ(plan.initrd_phys, 0x7FFE0000 - 0x101000);
    CHECK_EQ(plan.initrd_bytes, (1u << 20) + 5);
    check_plan(&plan, bios_ram, ARRAY_SIZE(bios_ram));
    /* No initramfs: none planned. */
    CHECK_EQ(bzimage_plan(&info, bios_ram, ARRAY_SIZE(bios_ram), 1, 0, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.initrd_phys, 0);
}

TEST(bzimage_plan_around_a_hole_at_the_preferred_address)
{
    static const struct mem_region ram[] = {
        { 0x1000, 0x9E000, MEM_USABLE },
        { 0x100000, 0xF00000, MEM_USABLE },    /* 1-16 MiB */
        { 0x1000000, 0x100000, MEM_RESERVED }, /* 16-17 MiB: where the kernel prefers to go */
        { 0x1100000, 0x8000000, MEM_USABLE },  /* 17 MiB - 145 MiB */
    };
    struct bzimage_info info = synthetic_info();
    struct bzimage_plan plan;
    CHECK_EQ(bzimage_plan(&info, ram, ARRAY_SIZE(ram), 10, 0x800000, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.kernel_phys, 0x1200000); /* the next 2 MiB boundary past the hole */
    CHECK_EQ(plan.boot_params_phys, 0x10000);
    CHECK_EQ(plan.initrd_phys, 0x9100000 - 0x800000);
    check_plan(&plan, ram, ARRAY_SIZE(ram));
    /* The same kernel not relocatable must go at pref_address: it cannot. */
    info.relocatable = false;
    CHECK_EQ(bzimage_plan(&info, ram, ARRAY_SIZE(ram), 10, 0, &plan, why, sizeof why), E_NOMEM);
    CHECK(strstr(why, "init_size of 65120 KiB") != NULL);
}

TEST(bzimage_plan_refusals)
{
    struct bzimage_info info = synthetic_info();
    struct bzimage_plan plan;
    CHECK_EQ(bzimage_plan(&info, bios_ram, ARRAY_SIZE(bios_ram), 2049, 0, &plan, why, sizeof why), E_RANGE);
    CHECK_STR(why, "the command line of 2048 bytes is longer than the kernel's 2047");
    CHECK_EQ(bzimage_plan(&info, bios_ram, ARRAY_SIZE(bios_ram), 2048, 0, &plan, why, sizeof why), 0);
    /* An initramfs larger than the RAM left below initrd_addr_max. */
    CHECK_EQ(bzimage_plan(&info, bios_ram, ARRAY_SIZE(bios_ram), 10, 0x7C000000, &plan, why, sizeof why),
             E_NOMEM);
    CHECK(strstr(why, "holds the initramfs of 2080374784 bytes") != NULL);
    /* 32 MiB of RAM: the kernel's 64 MiB init_size does not fit. */
    static const struct mem_region small[] = { { 0, 0x2000000, MEM_USABLE } };
    CHECK_EQ(bzimage_plan(&info, small, 1, 10, 0, &plan, why, sizeof why), E_NOMEM);
    /* RAM only below 64 KiB and at the kernel: no room for the zero page. */
    static const struct mem_region tight[] = { { 0, 0x10000, MEM_USABLE },
                                               { 0x1000000, 0x3F98000, MEM_USABLE } };
    CHECK_EQ(bzimage_plan(&info, tight, 2, 10, 0, &plan, why, sizeof why), E_NOMEM);
    CHECK(strstr(why, "zero page") != NULL);
    /* The initramfs must stay below initrd_addr_max: RAM above it does not count. */
    static const struct mem_region high[] = { { 0x100000, 0x7FF00000, MEM_USABLE },
                                              { 0x80000000, 0x10000000, MEM_USABLE } };
    CHECK_EQ(bzimage_plan(&info, high, 2, 10, 0x1000, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.initrd_phys, 0x7FFFF000);
}
