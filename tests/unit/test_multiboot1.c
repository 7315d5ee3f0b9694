// host-sources: arch/x86/loader/multiboot1.c arch/x86/loader/loader_common.c arch/x86/loader/multiboot1_info.c core/lib/error.c core/lib/format.c
/*
 * The multiboot1 loader's pure parts: the header and ELF32 / address-field
 * parse with every refusal, the range check against a BIOS-like guest map
 * with vmxroot's image and region reserved, and the information block
 * (memory sizes that end below vmxroot's region, the map, the module, the
 * strings) with the block low and the module low or high.
 */
#include "tests/unit/multiboot1_build.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

static char why[256];

/* The guest's map as boot_params_guest_map makes it: vmxroot at 1 MiB and its region at the top of RAM. */
static const struct mem_region guest_map[] = {
    { 0, 0x9F000, MEM_USABLE },
    { 0x9F000, 0x61000, MEM_RESERVED },
    { 0x100000, 0x40000, MEM_RESERVED }, /* vmxroot's image */
    { 0x140000, 0x7CEC0000, MEM_USABLE },
    { 0x7D000000, 0x3000000, MEM_RESERVED }, /* vmxroot's region, 48 MiB */
    { 0x80000000, 0x7FFC0000, MEM_RESERVED },
};
static const struct mem_region own[] = {
    { 0x100000, 0x40000, MEM_RESERVED },
    { 0x7D000000, 0x3000000, MEM_RESERVED },
};

static int parse(const uint8_t *image, size_t size, struct multiboot1_image *img)
{
    why[0] = 0;
    return multiboot1_parse(image, size, img, why, sizeof why);
}

TEST(multiboot1_elf_parses)
{
    size_t size;
    uint8_t *p = mb1_elf(&size);
    struct multiboot1_image img;
    CHECK(multiboot1_detect(p, size));
    CHECK_EQ(parse(p, size, &img), 0);
    CHECK_EQ(img.header_offset, MB1_TEST_ELF_HEADER_OFFSET);
    CHECK(!img.address_fields);
    CHECK_EQ(img.segment_count, 1);
    CHECK_EQ(img.segments[0].phys, MB1_TEST_LOAD_PHYS);
    CHECK_EQ(img.segments[0].file_bytes, MB1_TEST_ELF_BYTES);
    CHECK_EQ(img.segments[0].mem_bytes, MB1_TEST_MEM_BYTES);
    CHECK_EQ(img.entry_phys, MB1_TEST_LOAD_PHYS + 0x60);
    CHECK_EQ(img.end_phys, MB1_TEST_LOAD_PHYS + MB1_TEST_MEM_BYTES);
    CHECK_EQ(multiboot1_check_ranges(&img, guest_map, ARRAY_SIZE(guest_map), own, ARRAY_SIZE(own), why,
                                     sizeof why),
             0);
    /* A virtual entry translated: vaddr 0xC0400000 loaded at paddr 4 MiB. */
    le_put(p + 52 + 8, 0xC0400000u, 4);
    le_put(p + 24, 0xC0400060u, 4);
    CHECK_EQ(parse(p, size, &img), 0);
    CHECK_EQ(img.entry_phys, MB1_TEST_LOAD_PHYS + 0x60);
    free(p);
}

TEST(multiboot1_refusals)
{
    size_t size;
    uint8_t *p = mb1_elf(&size);
    struct multiboot1_image img;
    uint8_t *q = malloc(size);

    memcpy(q, p, size);
    memset(q + MB1_TEST_ELF_HEADER_OFFSET, 0, 12);
    CHECK(!multiboot1_detect(q, size));
    CHECK_EQ(parse(q, size, &img), E_INVAL);
    CHECK(strstr(why, "no multiboot1 header") != NULL);

    memcpy(q, p, size);
    q[MB1_TEST_ELF_HEADER_OFFSET + 8] ^= 1;
    CHECK(!multiboot1_detect(q, size));
    CHECK_EQ(parse(q, size, &img), E_INVAL);
    CHECK(strstr(why, "bad checksum") != NULL);

    /* The header past the first 8 KiB is not looked for. */
    uint8_t *big = calloc(1, 0x4000);
    mb1_put_header(big + 0x2000, 0);
    CHECK_EQ(parse(big, 0x4000, &img), E_INVAL);
    CHECK(strstr(why, "first 8 KiB") != NULL);
    free(big);

    memcpy(q, p, size);
    mb1_put_header(q + MB1_TEST_ELF_HEADER_OFFSET, MULTIBOOT1_VIDEO_MODE);
    CHECK_EQ(parse(q, size, &img), E_NOTSUP);
    CHECK(strstr(why, "video mode") != NULL);
    mb1_put_header(q + MB1_TEST_ELF_HEADER_OFFSET, 1u << 5);
    CHECK_EQ(parse(q, size, &img), E_NOTSUP);
    CHECK(strstr(why, "0x20") != NULL);

    memcpy(q, p, size);
    q[4] = 2; /* ELF64 */
    CHECK_EQ(parse(q, size, &img), E_NOTSUP);
    CHECK(strstr(why, "ELF class 2") != NULL);

    memcpy(q, p, size);
    q[0] = 0; /* no ELF, no address fields */
    CHECK_EQ(parse(q, size, &img), E_INVAL);
    CHECK(strstr(why, "neither an ELF") != NULL);

    memcpy(q, p, size);
    le_put(q + 52 + 16, size + 1, 4); /* filesz past the end */
    CHECK_EQ(parse(q, size, &img), E_RANGE);
    CHECK(strstr(why, "truncated") != NULL);

    memcpy(q, p, size);
    le_put(q + 52 + 20, 0x100, 4); /* memsz below filesz */
    CHECK_EQ(parse(q, size, &img), E_INVAL);

    memcpy(q, p, size);
    le_put(q + 24, 0x100, 4); /* entry outside */
    CHECK_EQ(parse(q, size, &img), E_INVAL);
    CHECK(strstr(why, "entry point 0x100") != NULL);

    memcpy(q, p, size);
    le_put(q + 52 + 12, 0xFFFFF000u, 4); /* ends above 4 GiB */
    CHECK_EQ(parse(q, size, &img), E_INVAL);
    CHECK(strstr(why, "above 4 GiB") != NULL);

    memcpy(q, p, size);
    le_put(q + 28, size - 8, 4); /* phoff: the table runs past the end */
    CHECK_EQ(parse(q, size, &img), E_RANGE);
    free(q);
    free(p);
}

TEST(multiboot1_ranges_collide_or_leave_ram)
{
    size_t size;
    uint8_t *p = mb1_flat(0x7C000000, 0x7D800000, &size); /* its bss runs into vmxroot's region */
    struct multiboot1_image img;
    CHECK_EQ(parse(p, size, &img), 0);
    CHECK(img.address_fields);
    CHECK_EQ(img.entry_phys, 0x7C000020);
    CHECK_EQ(img.segments[0].mem_bytes, 0x1800000);
    CHECK_EQ(multiboot1_check_ranges(&img, guest_map, ARRAY_SIZE(guest_map), own, ARRAY_SIZE(own), why,
                                     sizeof why),
             E_RANGE);
    CHECK(strstr(why, "collides with vmxroot's memory at 0x7d000000-0x80000000") != NULL);
    free(p);

    p = mb1_flat(0x100000, 0, &size); /* on vmxroot's image */
    CHECK_EQ(parse(p, size, &img), 0);
    CHECK_EQ(multiboot1_check_ranges(&img, guest_map, ARRAY_SIZE(guest_map), own, ARRAY_SIZE(own), why,
                                     sizeof why),
             E_RANGE);
    CHECK(strstr(why, "0x100000-0x140000") != NULL);
    free(p);

    p = mb1_flat(0x90000000, 0, &size); /* above the end of RAM */
    CHECK_EQ(parse(p, size, &img), 0);
    CHECK_EQ(multiboot1_check_ranges(&img, guest_map, ARRAY_SIZE(guest_map), own, ARRAY_SIZE(own), why,
                                     sizeof why),
             E_RANGE);
    CHECK(strstr(why, "outside the guest's usable RAM") != NULL);
    free(p);

    p = mb1_flat(0x400000, 0x300000, &size); /* bss below the load end */
    CHECK_EQ(parse(p, size, &img), E_INVAL);
    CHECK(strstr(why, "bss_end_addr") != NULL);
    le_put(p + 24, 0, 4);
    le_put(p + 28, 0x500000, 4); /* entry past what is loaded */
    CHECK_EQ(parse(p, size, &img), E_INVAL);
    CHECK(strstr(why, "entry_addr") != NULL);
    le_put(p + 16, 0x400100, 4); /* load_addr above header_addr */
    CHECK_EQ(parse(p, size, &img), E_INVAL);
    CHECK_EQ(parse(p, 20, &img), E_RANGE);
    free(p);
}

static uint64_t get(const uint8_t *p, unsigned bytes) { return le_get(p, bytes); }

TEST(multiboot1_info_block)
{
    size_t size;
    uint8_t *p = mb1_elf(&size);
    struct multiboot1_image img;
    CHECK_EQ(parse(p, size, &img), 0);
    struct multiboot1_busy busy[] = { { 0x1000000, 0x1040000 },
                                      { 0x1040000, 0x1041000 } }; /* GRUB's copies */
    struct multiboot1_info_input in = {
        .map = guest_map,
        .map_count = ARRAY_SIZE(guest_map),
        .image = &img,
        .cmdline = "cpuid",
        .loader_name = "vmxroot",
        .has_module = true,
        .module_bytes = 22,
        .module_string = "env",
        .busy = busy,
        .busy_count = ARRAY_SIZE(busy),
    };
    struct multiboot1_info_plan plan;
    CHECK_EQ(multiboot1_info_plan(&in, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.mem_lower_kib, 0x9F000 >> 10);
    /* The run the kernel is in ends where vmxroot's region begins. */
    CHECK_EQ(plan.mem_upper_kib, (0x7D000000 - 0x100000) >> 10);
    CHECK_EQ(plan.block_phys, 0x10000);
    CHECK_EQ(plan.block_bytes, 4096);
    CHECK_EQ(plan.module_phys, 0x11000);

    uint8_t *block = malloc(plan.block_bytes);
    multiboot1_info_build(&in, &plan, block);
    CHECK_EQ(get(block + MULTIBOOT1_INFO_FLAGS, 4), 0x24D);
    CHECK_EQ(get(block + MULTIBOOT1_INFO_MEM_UPPER, 4), plan.mem_upper_kib);
    CHECK_EQ(get(block + MULTIBOOT1_INFO_MODS_COUNT, 4), 1);
    uint64_t mods = get(block + MULTIBOOT1_INFO_MODS_ADDR, 4) - plan.block_phys;
    CHECK_EQ(get(block + mods, 4), 0x11000);
    CHECK_EQ(get(block + mods + 4, 4), 0x11000 + 22);
    CHECK_STR((char *)block + get(block + mods + 8, 4) - plan.block_phys, "env");
    CHECK_STR((char *)block + get(block + MULTIBOOT1_INFO_CMDLINE, 4) - plan.block_phys, "cpuid");
    CHECK_STR((char *)block + get(block + MULTIBOOT1_INFO_BOOT_LOADER_NAME, 4) - plan.block_phys, "vmxroot");
    CHECK_EQ(get(block + MULTIBOOT1_INFO_MMAP_LENGTH, 4), ARRAY_SIZE(guest_map) * 24);
    uint64_t mmap = get(block + MULTIBOOT1_INFO_MMAP_ADDR, 4) - plan.block_phys;
    CHECK_EQ(get(block + mmap, 4), 20);
    CHECK_EQ(get(block + mmap + 24 * 4 + 4, 8), 0x7D000000);
    CHECK_EQ(get(block + mmap + 24 * 4 + 12, 8), 0x3000000);
    CHECK_EQ(get(block + mmap + 24 * 4 + 20, 4), MEM_RESERVED);
    free(block);

    /* A module too large for low memory goes as high as fits in the kernel's run, clear of GRUB's copy. */
    in.module_bytes = 0x100000;
    busy[0] = (struct multiboot1_busy){ 0x7CF00000, 0x7D000000 };
    CHECK_EQ(multiboot1_info_plan(&in, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.block_phys, 0x10000);
    CHECK_EQ(plan.module_phys, 0x7CE00000);
    /* One that fits nowhere. */
    in.module_bytes = 0x80000000;
    CHECK_EQ(multiboot1_info_plan(&in, &plan, why, sizeof why), E_NOMEM);
    CHECK(strstr(why, "module of 2147483648 bytes") != NULL);
    free(p);
}

TEST(multiboot1_info_block_of_a_kernel_in_conventional_memory)
{
    /* kvm-unit-tests' realmode is linked at 0x8000: mem_upper is the first run above 1 MiB's, the block
       goes above the kernel's end. */
    size_t size;
    uint8_t *p = mb1_flat(0x8000, 0xDA30, &size);
    struct multiboot1_image img;
    CHECK_EQ(parse(p, size, &img), 0);
    struct multiboot1_info_input in = {
        .map = guest_map,
        .map_count = ARRAY_SIZE(guest_map),
        .image = &img,
        .loader_name = "vmxroot",
    };
    struct multiboot1_info_plan plan;
    CHECK_EQ(multiboot1_info_plan(&in, &plan, why, sizeof why), 0);
    CHECK_EQ(plan.mem_upper_kib, (0x7D000000 - 0x100000) >> 10);
    CHECK(plan.block_phys >= 0xE000);
    free(p);
    /* One whose end is in no usable RAM (the reserved range below 1 MiB) is still refused. */
    p = mb1_flat(0x9F000, 0xA0000, &size);
    CHECK_EQ(parse(p, size, &img), 0);
    in.image = &img;
    CHECK_EQ(multiboot1_info_plan(&in, &plan, why, sizeof why), E_RANGE);
    CHECK(strstr(why, "not in usable RAM") != NULL);
    free(p);
}
