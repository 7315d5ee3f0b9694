/*
 * What the boot loader handed over, as a self-contained copy (mm/multiboot2.c
 * fills it from the Multiboot2 information block; the frame allocator and
 * CPU discovery read it). It holds no pointer into the block: that memory is
 * reused later.
 */
#ifndef MM_BOOT_INFO_H
#define MM_BOOT_INFO_H

#include "core/lib/compiler.h"
#include "mm/memory_map.h"

#define BOOT_INFO_CMDLINE_BYTES 1024   /* with the NUL; the command line parser takes as much */
#define BOOT_INFO_LOADER_NAME_BYTES 64 /* with the NUL */
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

#endif
