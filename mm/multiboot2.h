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
#include "mm/boot_info.h"

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

/*
 * Checks magic and the info block (at most available_bytes readable at info,
 * which must be 8-byte aligned; identity mapped, so its address is its phys)
 * and fills *out. 0, or a negative E_* code with *out zeroed and one error
 * line saying what was wrong: E_INVAL (magic, alignment, a malformed tag),
 * E_RANGE (a size running past the block or past the limits).
 */
MUST_CHECK int multiboot2_parse(uint32_t magic, const void *info, size_t available_bytes,
                                struct boot_info *out);

/* Sorts and merges out->regions (mem_regions_normalize); sets regions_overflow if pieces were dropped. */
void boot_info_normalize_regions(struct boot_info *info);

/* The end of the highest usable or ACPI-reclaimable region: how far RAM must be mapped. */
uint64_t boot_info_ram_end_phys(const struct boot_info *info);

/* The bytes of usable regions (overlaps counted once only after normalizing). */
uint64_t boot_info_usable_bytes(const struct boot_info *info);

#endif
