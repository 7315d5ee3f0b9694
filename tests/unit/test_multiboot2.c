// host-sources: mm/multiboot2.c mm/multiboot2_mmap.c mm/multiboot2_framebuffer.c mm/memory_map.c
/*
 * mm/multiboot2.c over synthetic info blocks: a BIOS-style one (tag 6), a
 * UEFI-style one (tags 17, 15, 12), and broken ones, each refused with a
 * message that names what is wrong. Also mem_regions_normalize.
 */
#include "mm/multiboot2.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/mb2_build.h"

static struct mb2_builder b;
static struct boot_info info;

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *bytes = p;
    for (size_t i = 0; i < n; i++)
        if (bytes[i])
            return false;
    return true;
}

static void add_qemu_bios_map(void)
{
    static const struct mb2_e820 e820[] = {
        { 0, 0x9fc00, 1 },          { 0x9fc00, 0x400, 2 },     { 0xf0000, 0x10000, 2 },
        { 0x100000, 0x7ee0000, 1 }, { 0x7fe0000, 0x20000, 2 }, { 0xfffc0000, 0x40000, 2 },
    };
    mb2_legacy_map(&b, e820, ARRAY_SIZE(e820), 24);
}

static int parse(void)
{
    return multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, sizeof b.bytes, &info);
}

TEST(bios_style_block)
{
    uint8_t rsdp[20];
    memset(rsdp, 0xA5, sizeof rsdp);
    uint32_t meminfo[2] = { 639, 129920 };
    uint32_t module[2] = { 0x200000, 0x201234 };
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "loglevel=debug smp=serial");
    mb2_string_tag(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
    mb2_tag(&b, MB2_TAG_MODULE, module, sizeof module);
    mb2_tag(&b, MB2_TAG_BASIC_MEMINFO, meminfo, sizeof meminfo);
    uint32_t bootdev[3] = { 0x80, 0, 0 };
    mb2_tag(&b, MB2_TAG_BOOTDEV, bootdev, sizeof bootdev); /* unused tags are skipped */
    add_qemu_bios_map();
    mb2_tag(&b, MB2_TAG_ACPI_OLD, rsdp, sizeof rsdp);
    uint32_t total = mb2_finish(&b);

    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.info_phys, (uintptr_t)b.bytes);
    CHECK_EQ(info.info_size_bytes, total);
    CHECK(info.has_cmdline);
    CHECK(!info.cmdline_truncated);
    CHECK_STR(info.cmdline, "loglevel=debug smp=serial");
    CHECK_STR(info.loader_name, "GRUB 2.06-13+deb12u1");
    CHECK(info.has_basic_meminfo);
    CHECK_EQ(info.mem_lower_kib, 639);
    CHECK_EQ(info.mem_upper_kib, 129920);
    CHECK_EQ(info.module_count, 1);
    CHECK_EQ(info.modules[0].start_phys, 0x200000);
    CHECK_EQ(info.modules[0].end_phys, 0x201234);
    CHECK_EQ(info.memory_map_source, BOOT_MMAP_LEGACY);
    CHECK_EQ(info.region_count, 6);
    CHECK_EQ(info.regions[0].type, MEM_USABLE);
    CHECK_EQ(info.regions[0].length_bytes, 0x9fc00);
    CHECK_EQ(info.regions[3].base_phys, 0x100000);
    CHECK_EQ(info.regions[3].type, MEM_USABLE);
    CHECK_EQ(info.regions[5].type, MEM_RESERVED);
    CHECK(info.has_rsdp_v1);
    CHECK(!info.has_rsdp_v2);
    CHECK(memcmp(info.rsdp_v1, rsdp, 20) == 0);
    CHECK(!info.efi_system_table_present && !info.efi_mmap_present && !info.efi_boot_services_not_exited);
    CHECK_EQ(boot_info_usable_bytes(&info), 0x9fc00 + 0x7ee0000);
    CHECK_EQ(boot_info_ram_end_phys(&info), 0x7fe0000);
    CHECK(log_contains("multiboot2: info 0x"));
    CHECK(log_contains("6 regions from tag 6"));
}

TEST(legacy_map_types_and_larger_entries)
{
    static const struct mb2_e820 e820[] = {
        { 0x100000, 0x100000, 1 }, { 0x200000, 0x1000, 3 }, { 0x201000, 0x1000, 4 },
        { 0x202000, 0x1000, 5 },   { 0x203000, 0x1000, 7 }, { 0x204000, 0x1000, 12 },
    };
    mb2_begin(&b);
    mb2_legacy_map(&b, e820, ARRAY_SIZE(e820), 32); /* entry_size larger than today's 24 */
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, 5); /* the two unknown types merge into one reserved */
    CHECK_EQ(info.regions[0].type, MEM_USABLE);
    CHECK_EQ(info.regions[1].type, MEM_ACPI_RECLAIMABLE);
    CHECK_EQ(info.regions[2].type, MEM_ACPI_NVS);
    CHECK_EQ(info.regions[3].type, MEM_BAD);
    CHECK_EQ(info.regions[4].type, MEM_RESERVED);
    CHECK_EQ(info.regions[4].length_bytes, 0x2000);
}

static void add_ovmf_efi_map(uint32_t desc_size)
{
    static const struct mb2_efi_desc efi[] = {
        { 3, 0x0, 1 },                  /* boot services code */
        { 7, 0x1000, 0x9f },            /* conventional */
        { 0, 0xa0000, 0x60 },           /* reserved */
        { 7, 0x100000, 0x700 },         /* conventional */
        { 10, 0x800000, 0x8 },          /* ACPI NVS */
        { 1, 0x808000, 0x10 },          /* loader code */
        { 2, 0x818000, 0x100 },         /* loader data */
        { 4, 0x918000, 0x10 },          /* boot services data */
        { 9, 0x928000, 0x4 },           /* ACPI reclaim */
        { 5, 0x92c000, 0x4 },           /* runtime services code: reserved */
        { 8, 0x930000, 0x10 },          /* unusable */
        { 11, 0xffc00000, 0x400 },      /* MMIO */
        { 7, 0x100000000ull, 0x80000 }, /* 2 GiB above 4 GiB */
    };
    mb2_efi_map(&b, efi, ARRAY_SIZE(efi), desc_size);
}

TEST(uefi_style_block_prefers_efi_map)
{
    uint8_t rsdp2[36];
    memset(rsdp2, 0x5A, sizeof rsdp2);
    uint64_t system_table = 0x7f9e018ull;
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "");
    mb2_string_tag(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    mb2_tag(&b, MB2_TAG_EFI64_SYSTEM_TABLE, &system_table, 8);
    add_qemu_bios_map(); /* GRUB gives tag 6 under UEFI too: tag 17 wins */
    mb2_tag(&b, MB2_TAG_ACPI_NEW, rsdp2, sizeof rsdp2);
    add_ovmf_efi_map(48);
    mb2_finish(&b);

    CHECK_EQ(parse(), E_OK);
    CHECK(info.has_cmdline);
    CHECK_STR(info.cmdline, "");
    CHECK(info.efi_system_table_present);
    CHECK_EQ(info.efi_system_table_phys, 0x7f9e018);
    CHECK(info.efi_mmap_present);
    CHECK(!info.efi_boot_services_not_exited);
    CHECK_EQ(info.memory_map_source, BOOT_MMAP_EFI);
    CHECK(info.has_rsdp_v2);
    CHECK_EQ(info.rsdp_v2_size_bytes, 36);
    CHECK(memcmp(info.rsdp_v2, rsdp2, 36) == 0);
    /* Boot services + conventional merge; loader code/data/BS data merge. */
    struct mem_region want[] = {
        { 0x0, 0xa0000, MEM_USABLE },           { 0xa0000, 0x60000, MEM_RESERVED },
        { 0x100000, 0x700000, MEM_USABLE },     { 0x800000, 0x8000, MEM_ACPI_NVS },
        { 0x808000, 0x120000, MEM_USABLE },     { 0x928000, 0x4000, MEM_ACPI_RECLAIMABLE },
        { 0x92c000, 0x4000, MEM_RESERVED },     { 0x930000, 0x10000, MEM_BAD },
        { 0xffc00000, 0x400000, MEM_RESERVED }, { 0x100000000ull, GiB(2), MEM_USABLE },
    };
    CHECK_EQ(info.region_count, ARRAY_SIZE(want));
    for (size_t i = 0; i < ARRAY_SIZE(want) && i < info.region_count; i++) {
        CHECK_EQ(info.regions[i].base_phys, want[i].base_phys);
        CHECK_EQ(info.regions[i].length_bytes, want[i].length_bytes);
        CHECK_EQ(info.regions[i].type, want[i].type);
    }
    CHECK_EQ(boot_info_ram_end_phys(&info), 0x180000000ull);
}

TEST(efi_descriptor_size_is_honored)
{
    mb2_begin(&b);
    add_ovmf_efi_map(64);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, 10);
    CHECK_EQ(info.regions[9].base_phys, 0x100000000ull);

    mb2_begin(&b);
    add_ovmf_efi_map(40); /* exactly EFI_MEMORY_DESCRIPTOR */
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, 10);

    mb2_begin(&b);
    add_ovmf_efi_map(32); /* too small for a descriptor */
    mb2_finish(&b);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("descriptor_size 32"));
}

TEST(efi_boot_services_still_running_keeps_their_memory)
{
    mb2_begin(&b);
    add_ovmf_efi_map(48);
    mb2_tag(&b, MB2_TAG_EFI_BOOT_SERVICES, NULL, 0); /* after tag 17: order must not matter */
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK(info.efi_boot_services_not_exited);
    CHECK_EQ(info.regions[0].base_phys, 0);
    CHECK_EQ(info.regions[0].type, MEM_RESERVED);
    CHECK_EQ(info.regions[0].length_bytes, 0x1000);
    CHECK_EQ(info.regions[1].type, MEM_USABLE);
}

TEST(efi32_system_table_and_load_base)
{
    uint32_t st = 0x7fa000, base = 0x100000;
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_EFI32_SYSTEM_TABLE, &st, 4);
    mb2_tag(&b, MB2_TAG_LOAD_BASE, &base, 4);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK(info.efi_system_table_present);
    CHECK_EQ(info.efi_system_table_phys, 0x7fa000);
    CHECK(info.has_load_base);
    CHECK_EQ(info.load_base_phys, 0x100000);
    CHECK_EQ(info.memory_map_source, BOOT_MMAP_NONE);
    CHECK(log_contains("gave no memory map"));
}

TEST(wrong_magic)
{
    mb2_begin(&b);
    mb2_finish(&b);
    CHECK_EQ(multiboot2_parse(0x2BADB002, b.bytes, sizeof b.bytes, &info), E_INVAL);
    CHECK(log_contains("wrong boot magic 0x2badb002 (expected 0x36d76289)"));
    CHECK(all_zero(&info, sizeof info));
}

TEST(null_tiny_and_misaligned_blocks)
{
    mb2_begin(&b);
    mb2_finish(&b);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, NULL, 4096, &info), E_RANGE);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, 7, &info), E_RANGE);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes + 4, 4096, &info), E_INVAL);
    CHECK(log_contains("not 8-byte aligned"));
}

TEST(total_size_checks)
{
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "x");
    uint32_t total = mb2_finish(&b);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, total, &info), E_OK);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, total - 1, &info), E_RANGE);
    CHECK(log_contains("runs past the"));

    mb2_put32(b.bytes, 8);
    CHECK_EQ(parse(), E_RANGE);
    CHECK(log_contains("too small"));

    mb2_put32(b.bytes, (uint32_t)MiB(1) + 8);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, MiB(4), &info), E_RANGE);
    CHECK(log_contains("over the 1 MiB limit"));
    CHECK(all_zero(&info, sizeof info));
}

TEST(truncated_block_has_no_end_tag)
{
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "console=com1");
    add_qemu_bios_map();
    uint32_t total = mb2_finish(&b);
    /* Cut at the end tag, then in the middle of the map. */
    mb2_put32(b.bytes, total - 8);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("no end tag before total_size"));
    log_capture_reset();
    mb2_put32(b.bytes, 64);
    CHECK_EQ(parse(), E_RANGE);
    CHECK(log_contains("memory map) at offset 32"));
    CHECK(all_zero(&info, sizeof info));
}

TEST(missing_end_tag_replaced_by_padding_tag)
{
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "a");
    uint32_t last = mb2_tag(&b, 99, "pad", 3);
    mb2_put32(b.bytes, b.used);
    CHECK_EQ(last, 24);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("no end tag"));
}

TEST(bad_tag_sizes)
{
    mb2_begin(&b);
    uint32_t at = mb2_string_tag(&b, MB2_TAG_CMDLINE, "abc");
    mb2_finish(&b);
    mb2_put32(b.bytes + at + 4, 4);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("has size 4, less than its 8-byte header"));

    mb2_put32(b.bytes + at + 4, 0); /* a zero size would loop forever if not refused */
    CHECK_EQ(parse(), E_INVAL);

    mb2_put32(b.bytes + at + 4, 0x10000);
    CHECK_EQ(parse(), E_RANGE);
    CHECK(log_contains("runs past total_size"));

    mb2_put32(b.bytes + at + 4, 0xFFFFFFF9u); /* would wrap when rounded up */
    CHECK_EQ(parse(), E_RANGE);
}

TEST(end_tag_must_be_8_bytes)
{
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_END, "12345678", 8);
    mb2_put32(b.bytes, b.used);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("end tag at offset 8 has size 16, expected 8"));
}

TEST(known_tag_too_short_for_its_fields)
{
    uint32_t lower = 639;
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_BASIC_MEMINFO, &lower, 4);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("basic memory information tag at offset 8 has size 12, less than the 16 bytes"));

    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_ACPI_OLD, "RSD PTR ", 8);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_INVAL);

    static const struct mb2_e820 e = { 0x100000, 0x100000, 1 };
    mb2_begin(&b);
    mb2_legacy_map(&b, &e, 1, 16);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_INVAL);
    CHECK(log_contains("entry_size 16"));
}

TEST(short_acpi_new_rsdp_is_copied_as_given)
{
    uint8_t rsdp[24];
    memset(rsdp, 7, sizeof rsdp);
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_ACPI_NEW, rsdp, sizeof rsdp);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK(info.has_rsdp_v2);
    CHECK_EQ(info.rsdp_v2_size_bytes, 24);
    CHECK_EQ(info.rsdp_v2[23], 7);
    CHECK_EQ(info.rsdp_v2[24], 0);
}

TEST(cmdline_without_nul)
{
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_CMDLINE, "smp=off", 7);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_STR(info.cmdline, "smp=off");
    CHECK(!info.cmdline_truncated);
    CHECK(log_contains("command line has no terminating NUL; using its 7 bytes"));
}

TEST(overlong_cmdline_is_truncated)
{
    char longline[3000];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = 0;
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, longline);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK(info.cmdline_truncated);
    CHECK_EQ(strlen(info.cmdline), BOOT_INFO_CMDLINE_BYTES - 1);
    CHECK(log_contains("command line is longer than 1023 bytes"));
}

TEST(loader_name_is_truncated_and_made_printable)
{
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_LOADER_NAME,
                   "GRUB\x1b[31m with a very long name that goes on and on and on and on");
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK(info.loader_name_truncated);
    CHECK_EQ(strlen(info.loader_name), 63);
    CHECK(strncmp(info.loader_name, "GRUB?[31m", 9) == 0);
}

TEST(second_tag_of_a_kind_is_ignored)
{
    mb2_begin(&b);
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "first");
    mb2_string_tag(&b, MB2_TAG_CMDLINE, "second");
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_STR(info.cmdline, "first");
    CHECK(log_contains("second command line tag (type 1) at offset 24 ignored"));
}

TEST(too_many_modules)
{
    mb2_begin(&b);
    for (uint32_t i = 0; i < BOOT_INFO_MAX_MODULES + 3; i++) {
        uint32_t m[2] = { 0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 0x800 };
        mb2_tag(&b, MB2_TAG_MODULE, m, sizeof m);
    }
    uint32_t backwards[2] = { 0x3000, 0x2000 };
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.module_count, BOOT_INFO_MAX_MODULES);
    CHECK(info.modules_overflow);
    CHECK_EQ(info.modules[15].start_phys, 0x100f000);

    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_MODULE, backwards, sizeof backwards);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.module_count, 0);
    CHECK(log_contains("ends before it starts"));
}

TEST(too_many_regions_sets_overflow)
{
    static struct mb2_e820 e820[200];
    for (unsigned i = 0; i < ARRAY_SIZE(e820); i++)
        e820[i] = (struct mb2_e820){ MiB(1) + i * 0x2000ull, 0x1000, 1 + (i % 2) };
    mb2_begin(&b);
    mb2_legacy_map(&b, e820, 200, 24);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, BOOT_INFO_MAX_REGIONS);
    CHECK(info.regions_overflow);
    CHECK(log_contains("more than 128 regions"));
}

TEST(six_gib_map_and_wrapping_entries)
{
    static const struct mb2_e820 e820[] = {
        { 0, 0x9fc00, 1 },
        { 0x100000, 0xbfee0000, 1 },
        { 0x100000000ull, 0xc0000000ull, 1 },  /* -m 6G: 3 GiB above 4 GiB */
        { 0xFFFFFFFFFFFFF000ull, 0x10000, 2 }, /* wraps: clipped */
    };
    mb2_begin(&b);
    mb2_legacy_map(&b, e820, ARRAY_SIZE(e820), 24);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, 4);
    CHECK_EQ(info.regions[2].base_phys + info.regions[2].length_bytes, 0x1c0000000ull);
    CHECK_EQ(info.regions[3].length_bytes, 0xFFF);
    CHECK_EQ(boot_info_ram_end_phys(&info), 0x1c0000000ull);
    CHECK(log_contains("(6143 MiB usable)"));
}

/* --- mem_regions_normalize -------------------------------------------- */

static struct mem_region r[16];

static void check_region(size_t i, uint64_t base, uint64_t len, uint32_t type)
{
    CHECK_EQ(r[i].base_phys, base);
    CHECK_EQ(r[i].length_bytes, len);
    CHECK_EQ(r[i].type, type);
}

TEST(normalize_sorts_and_merges)
{
    r[0] = (struct mem_region){ 0x3000, 0x1000, MEM_USABLE };
    r[1] = (struct mem_region){ 0x1000, 0x1000, MEM_USABLE };
    r[2] = (struct mem_region){ 0x2000, 0x1000, MEM_USABLE };
    r[3] = (struct mem_region){ 0x9000, 0, MEM_RESERVED }; /* empty: dropped */
    r[4] = (struct mem_region){ 0x4000, 0x1000, MEM_RESERVED };
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 5, 16, &overflow);
    CHECK_EQ(n, 2);
    check_region(0, 0x1000, 0x3000, MEM_USABLE);
    check_region(1, 0x4000, 0x1000, MEM_RESERVED);
    CHECK(!overflow);
}

TEST(normalize_reserved_wins_over_usable)
{
    r[0] = (struct mem_region){ 0x0, 0x10000, MEM_USABLE };
    r[1] = (struct mem_region){ 0x4000, 0x1000, MEM_RESERVED };  /* inside: splits */
    r[2] = (struct mem_region){ 0x8000, 0x10000, MEM_ACPI_NVS }; /* overlaps the end */
    r[3] = (struct mem_region){ 0x0, 0x1000, MEM_BAD };          /* same start */
    r[4] = (struct mem_region){ 0x9000, 0x1000, MEM_USABLE };    /* inside NVS: loses */
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 5, 16, &overflow);
    CHECK_EQ(n, 5);
    check_region(0, 0x0, 0x1000, MEM_BAD);
    check_region(1, 0x1000, 0x3000, MEM_USABLE);
    check_region(2, 0x4000, 0x1000, MEM_RESERVED);
    check_region(3, 0x5000, 0x3000, MEM_USABLE);
    check_region(4, 0x8000, 0x10000, MEM_ACPI_NVS);
    CHECK(!overflow);
}

TEST(normalize_stricter_first_then_looser_sticking_out)
{
    r[0] = (struct mem_region){ 0x1000, 0x2000, MEM_RESERVED };
    r[1] = (struct mem_region){ 0x2000, 0x4000, MEM_USABLE };
    r[2] = (struct mem_region){ 0x1000, 0x8000, MEM_USABLE };
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 3, 16, &overflow);
    CHECK_EQ(n, 2);
    check_region(0, 0x1000, 0x2000, MEM_RESERVED);
    check_region(1, 0x3000, 0x6000, MEM_USABLE);
}

TEST(normalize_split_without_room_drops_the_looser_piece)
{
    r[0] = (struct mem_region){ 0x0, 0x10000, MEM_USABLE };
    r[1] = (struct mem_region){ 0x4000, 0x1000, MEM_RESERVED };
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 2, 2, &overflow);
    CHECK_EQ(n, 2);
    CHECK(overflow);
    check_region(0, 0x0, 0x4000, MEM_USABLE);
    check_region(1, 0x4000, 0x1000, MEM_RESERVED);
}

TEST(normalize_split_without_room_never_frees_a_stricter_piece)
{
    /*
     * Found by fuzz_multiboot2 (crashes/normalize-full-keeps-acpi-past-nvs): with no slot for the
     * ACPI range past the NVS hole, dropping it let the usable entry inside it become free RAM.
     */
    r[0] = (struct mem_region){ 0x0, 0x10000, MEM_ACPI_RECLAIMABLE };
    r[1] = (struct mem_region){ 0x4000, 0x1000, MEM_ACPI_NVS };
    r[2] = (struct mem_region){ 0x6000, 0x1000, MEM_USABLE };
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 3, 3, &overflow);
    CHECK(overflow);
    CHECK_EQ(n, 2); /* [0, 0x4000) is left out: only the ACPI entry covered it */
    check_region(0, 0x4000, 0x1000, MEM_ACPI_NVS);
    check_region(1, 0x5000, 0xb000, MEM_ACPI_RECLAIMABLE);
}

TEST(boot_info_normalize)
{
    static const struct mb2_e820 e820[] = {
        { 0x100000, 0x10000000, 1 },
        { 0x200000, 0x1000, 2 },
        { 0x0, 0x9f000, 1 },
        { 0x9f000, 0x1000, 1 },
    };
    mb2_begin(&b);
    mb2_legacy_map(&b, e820, ARRAY_SIZE(e820), 24);
    mb2_finish(&b);
    CHECK_EQ(parse(), E_OK);
    CHECK_EQ(info.region_count, 3); /* the last two touch: merged while parsing */
    boot_info_normalize_regions(&info);
    CHECK_EQ(info.region_count, 4);
    CHECK_EQ(info.regions[0].base_phys, 0);
    CHECK_EQ(info.regions[0].length_bytes, 0xa0000);
    CHECK_EQ(info.regions[2].type, MEM_RESERVED);
    CHECK_EQ(info.regions[3].base_phys, 0x201000);
    CHECK_EQ(boot_info_usable_bytes(&info), 0xa0000 + 0x10000000 - 0x1000);
    CHECK_STR(mem_type_name(MEM_ACPI_NVS), "acpi-nvs");
    CHECK_STR(mem_type_name(42), "?");
}

TEST(normalize_merges_after_a_region_is_swallowed)
{
    /* Found by fuzz_multiboot2: usable [1M, 8M) lost its start to a reserved region beginning at 1M. */
    r[0] = (struct mem_region){ 0xa0000, 0x60000, MEM_RESERVED };
    r[1] = (struct mem_region){ 0x100000, 0x700000, MEM_USABLE };
    r[2] = (struct mem_region){ 0x100000, 0x400000, MEM_RESERVED };
    bool overflow = false;
    size_t n = mem_regions_normalize(r, 3, 16, &overflow);
    CHECK_EQ(n, 2);
    check_region(0, 0xa0000, 0x460000, MEM_RESERVED);
    check_region(1, 0x500000, 0x300000, MEM_USABLE);
}
