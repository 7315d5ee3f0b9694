/*
 * The Multiboot2 boot information GRUB hands the kernel, parsed once into a
 * self-contained copy. The info block lives in low memory that is reused
 * later (under UEFI GRUB put it at 0x4000, below the AP trampoline), so
 * struct boot_info holds no pointer into it.
 *
 * Multiboot2 specification, "Boot information format": a u32 total_size, a
 * u32 reserved, then tags {u32 type, u32 size, data}, each starting on an
 * 8-byte boundary, ending with a tag of type 0 and size 8. Pure code.
 */
#ifndef MM_MULTIBOOT2_H
#define MM_MULTIBOOT2_H

#include "core/lib/compiler.h"
#include "core/cmdline.h"
#include "mm/memory_map.h"

/* What the loader leaves in EAX ("Machine state"). */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u
/* Real info blocks are a few KiB; anything larger is taken as corrupt. */
#define MULTIBOOT2_INFO_MAX_BYTES MiB(1)

/* Tag types, "Boot information format". */
enum multiboot2_tag_type {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_LOADER_NAME = 2,
    MB2_TAG_MODULE = 3,
    MB2_TAG_BASIC_MEMINFO = 4,
    MB2_TAG_BOOTDEV = 5,
    MB2_TAG_MMAP = 6,
    MB2_TAG_EFI32_SYSTEM_TABLE = 11,
    MB2_TAG_EFI64_SYSTEM_TABLE = 12,
    MB2_TAG_ACPI_OLD = 14,
    MB2_TAG_ACPI_NEW = 15,
    MB2_TAG_FRAMEBUFFER = 8,
    MB2_TAG_EFI_MMAP = 17,
    MB2_TAG_EFI_BOOT_SERVICES = 18,
    MB2_TAG_LOAD_BASE = 21,
};

#define BOOT_INFO_CMDLINE_BYTES CMDLINE_MAX_BYTES /* with the NUL */
#define BOOT_INFO_LOADER_NAME_BYTES 64            /* with the NUL */
#define BOOT_INFO_MAX_REGIONS 128
#define BOOT_INFO_MAX_MODULES 16
#define BOOT_INFO_RSDP_V1_BYTES 20 /* ACPI 1.0 RSDP */
#define BOOT_INFO_RSDP_V2_BYTES 36 /* ACPI 2.0+ RSDP (XSDT address, extended checksum) */

enum boot_memory_map_source {
    BOOT_MMAP_NONE = 0,
    BOOT_MMAP_LEGACY = 6, /* tag 6: BIOS E820 as GRUB copied it */
    BOOT_MMAP_EFI = 17,   /* tag 17: the UEFI memory map, converted */
};

/* The first module's string is the guest's command line (Linux's limit is 2048 bytes with the NUL). */
#define BOOT_INFO_MODULE_CMDLINE_BYTES 2048

struct boot_module {
    uint64_t start_phys;
    uint64_t end_phys; /* exclusive, as the spec's mod_end */
};

/* Tag 8 ("Framebuffer info"), checked: what the screen console draws on. */
enum boot_framebuffer_kind {
    BOOT_FB_NONE = 0,
    BOOT_FB_RGB = 1,      /* linear, direct colour: UEFI GOP or VBE */
    BOOT_FB_EGA_TEXT = 2, /* 16-bit character+attribute cells, width x height characters */
};

struct boot_framebuffer {
    enum boot_framebuffer_kind kind;
    uint64_t phys;
    uint32_t pitch_bytes; /* from one row (of pixels or characters) to the next */
    uint32_t width;       /* pixels, or characters for EGA text */
    uint32_t height;
    uint8_t bits_per_pixel; /* 16, 24 or 32 (RGB); 16 (EGA text) */
    uint8_t red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits;
};

struct boot_info {
    /* The info block itself, to be kept out of the frame allocator. */
    uint64_t info_phys;
    uint32_t info_size_bytes;

    bool has_cmdline;
    bool cmdline_truncated; /* longer than BOOT_INFO_CMDLINE_BYTES - 1: the rest is dropped */
    char cmdline[BOOT_INFO_CMDLINE_BYTES];
    bool loader_name_truncated;
    char loader_name[BOOT_INFO_LOADER_NAME_BYTES];

    bool has_basic_meminfo; /* tag 4 */
    uint32_t mem_lower_kib; /* RAM from 0, at most 640 */
    uint32_t mem_upper_kib; /* RAM from 1 MiB to the first hole */

    enum boot_memory_map_source memory_map_source;
    bool regions_overflow; /* the map had more entries than fit: the rest is not used */
    uint32_t region_count;
    struct mem_region regions[BOOT_INFO_MAX_REGIONS];

    /* ACPI RSDP copies; checksums are checked by the ACPI code, not here. */
    bool has_rsdp_v1;            /* tag 14 */
    bool has_rsdp_v2;            /* tag 15 */
    uint32_t rsdp_v2_size_bytes; /* bytes copied from tag 15, at most 36 */
    uint8_t rsdp_v1[BOOT_INFO_RSDP_V1_BYTES];
    uint8_t rsdp_v2[BOOT_INFO_RSDP_V2_BYTES];

    bool modules_overflow;
    uint32_t module_count;
    struct boot_module modules[BOOT_INFO_MAX_MODULES];
    bool module0_cmdline_truncated; /* the first module's string did not fit */
    char module0_cmdline[BOOT_INFO_MODULE_CMDLINE_BYTES];

    bool efi_system_table_present; /* tag 11 or 12 */
    uint64_t efi_system_table_phys;
    bool efi_mmap_present;               /* tag 17 */
    bool efi_boot_services_not_exited;   /* tag 18: firmware still owns boot-services memory */
    struct boot_framebuffer framebuffer; /* tag 8; kind BOOT_FB_NONE without a usable one */
    bool has_load_base;                  /* tag 21 */
    uint64_t load_base_phys;
};

/*
 * Checks magic and the info block (at most available_bytes readable at info,
 * which must be 8-byte aligned; identity mapped, so its address is its phys)
 * and fills *out. 0, or a negative E_* code with *out zeroed and one error
 * line saying what was wrong: E_INVAL (magic, alignment, a malformed tag),
 * E_RANGE (a size running past the block or past the limits).
 */
int multiboot2_parse(uint32_t magic, const void *info, size_t available_bytes, struct boot_info *out);

/* Sorts and merges out->regions (mem_regions_normalize); sets regions_overflow if pieces were dropped. */
void boot_info_normalize_regions(struct boot_info *info);

/* The end of the highest usable or ACPI-reclaimable region: how far RAM must be mapped. */
uint64_t boot_info_ram_end_phys(const struct boot_info *info);

/* The bytes of usable regions (overlaps counted once only after normalizing). */
uint64_t boot_info_usable_bytes(const struct boot_info *info);

#endif
