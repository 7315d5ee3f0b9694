/*
 * The Linux zero page (struct boot_params in the kernel's
 * arch/x86/include/uapi/asm/bootparam.h; Documentation/arch/x86/zero-page.rst)
 * for a bzImage guest: the setup header copied from the image with the
 * loader's fields filled in, the e820 table from the firmware's memory map
 * with vmxroot's own ranges reported reserved, the command line with
 * vmxroot.status_page= appended, the initramfs and the ACPI RSDP. Pure
 * code: it writes a 4 KiB buffer the caller then copies to the plan's
 * boot_params_phys.
 *
 * Order of use: bzimage_parse, boot_params_cmdline (its length goes into
 * the plan), boot_params_guest_map (the plan's RAM), bzimage_plan,
 * boot_params_build, then the copies.
 */
#ifndef ARCH_X86_LOADER_BOOT_PARAMS_H
#define ARCH_X86_LOADER_BOOT_PARAMS_H

#include "arch/x86/loader/bzimage.h"

#define BOOT_PARAMS_BYTES 4096u
#define BOOT_PARAMS_ACPI_RSDP_ADDR 0x070
#define BOOT_PARAMS_EXT_RAMDISK_IMAGE 0x0C0
#define BOOT_PARAMS_EXT_RAMDISK_SIZE 0x0C4
#define BOOT_PARAMS_EXT_CMD_LINE_PTR 0x0C8
#define BOOT_PARAMS_E820_ENTRIES 0x1E8
#define BOOT_PARAMS_SENTINEL 0x1EF
#define BOOT_PARAMS_E820_TABLE 0x2D0
#define BOOT_PARAMS_E820_MAX 128u /* E820_MAX_ENTRIES_ZEROPAGE */
#define BOOT_PARAMS_E820_ENTRY_BYTES 20u
/* The boot protocol's "undefined" boot loader ID: vmxroot has none assigned. */
#define BOOT_PARAMS_LOADER_UNDEFINED 0xFF

/*
 * The guest's command line: guest_cmdline (NULL or "" for none), a space,
 * and "vmxroot.status_page=0x<status_page_gpa>". 0 and *length_bytes (with
 * the NUL), or E_RANGE when it is longer than cmdline_max_bytes (the
 * kernel's cmdline_size) or than out_bytes, with why saying by how much.
 */
MUST_CHECK int boot_params_cmdline(const char *guest_cmdline, uint64_t status_page_gpa,
                                   uint32_t cmdline_max_bytes, char *out, size_t out_bytes,
                                   uint32_t *length_bytes, char *why, size_t why_bytes);

/* Room for a firmware map and vmxroot's ranges while they are sorted and cut. */
#define BOOT_PARAMS_MAP_CAPACITY (BOOT_PARAMS_E820_MAX + 32u)

/*
 * The guest's memory map: the firmware's map with vmxroot's own ranges
 * over it as reserved, sorted, every byte one type (mem_regions_normalize:
 * the stricter wins). out holds BOOT_PARAMS_MAP_CAPACITY. Plan the load
 * with it (bzimage_plan's ram), so nothing lands in vmxroot's memory; the
 * zero page's e820 table is the same list. 0, or: E_INVAL for an own range
 * that is empty or wraps, E_NOMEM for more entries than the capacity,
 * E_RANGE when the result has more than BOOT_PARAMS_E820_MAX entries.
 */
MUST_CHECK int boot_params_guest_map(const struct mem_region *memory_map, size_t memory_map_count,
                                     const struct mem_region *own, size_t own_count, struct mem_region *out,
                                     size_t *out_count, char *why, size_t why_bytes);

struct boot_params_input {
    const uint8_t *image; /* the bzImage, as bzimage_parse checked it */
    const struct bzimage_info *info;
    const struct bzimage_plan *plan;
    const struct mem_region *memory_map; /* the firmware's map (mm/memory_map.h) */
    size_t memory_map_count;
    const struct mem_region *own; /* vmxroot's own memory: text, data, tables, VMCSs, stacks */
    size_t own_count;
    uint64_t rsdp_phys; /* 0: none given (the kernel then searches the BIOS areas) */
};

/* Fills zero_page (BOOT_PARAMS_BYTES); the errors of boot_params_guest_map. */
MUST_CHECK int boot_params_build(const struct boot_params_input *in, uint8_t *zero_page, char *why,
                                 size_t why_bytes);

#endif
