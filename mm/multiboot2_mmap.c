/*
 * Memory map conversion for the Multiboot2 parser: the legacy BIOS map
 * (tag 6, E820 types) and the UEFI map (tag 17, EFI_MEMORY_TYPE) both become
 * struct mem_region entries. Touching entries of one type are merged as they
 * come: UEFI maps hold many small pieces and the array has 128 slots.
 */
#include "mm/multiboot2_mmap.h"
#include "mm/boot_info.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

#define MMAP_ENTRY_MIN_BYTES 24u     /* "Memory map": u64 base_addr, u64 length, u32 type, u32 reserved */
#define EFI_DESCRIPTOR_MIN_BYTES 40u /* UEFI spec, EFI_MEMORY_DESCRIPTOR */
#define EFI_PAGE_BYTES 4096u         /* NumberOfPages counts 4 KiB pages on every architecture */

/* Legacy ("E820") memory map types, "Memory map" tag. */
#define MB2_MMAP_AVAILABLE 1u
#define MB2_MMAP_ACPI_RECLAIMABLE 3u
#define MB2_MMAP_NVS 4u
#define MB2_MMAP_BADRAM 5u

/* UEFI spec, "EFI_BOOT_SERVICES.GetMemoryMap()": EFI_MEMORY_TYPE. */
enum efi_memory_type {
    EFI_LOADER_CODE = 1,
    EFI_LOADER_DATA = 2,
    EFI_BOOT_SERVICES_CODE = 3,
    EFI_BOOT_SERVICES_DATA = 4,
    EFI_CONVENTIONAL_MEMORY = 7,
    EFI_UNUSABLE_MEMORY = 8,
    EFI_ACPI_RECLAIM_MEMORY = 9,
    EFI_ACPI_MEMORY_NVS = 10,
};

/* Appends a region, extending the previous one when it continues it (EFI maps come in many pieces). */
static void add_region(struct boot_info *out, uint64_t base, uint64_t length, uint32_t type)
{
    if (length > UINT64_MAX - base)
        length = UINT64_MAX - base;
    if (length == 0)
        return;
    if (out->region_count > 0) {
        struct mem_region *last = &out->regions[out->region_count - 1];
        if (last->type == type && last->base_phys + last->length_bytes == base) {
            last->length_bytes += length;
            return;
        }
    }
    if (out->region_count >= BOOT_INFO_MAX_REGIONS) {
        if (!out->regions_overflow)
            log_warn("multiboot2: memory map has more than %u regions; RAM from 0x%llx on is not used",
                     BOOT_INFO_MAX_REGIONS, (unsigned long long)base);
        out->regions_overflow = true;
        return;
    }
    out->regions[out->region_count++] = (struct mem_region){ base, length, type };
}

static uint32_t legacy_type(uint32_t type)
{
    switch (type) {
    case MB2_MMAP_AVAILABLE:
        return MEM_USABLE;
    case MB2_MMAP_ACPI_RECLAIMABLE:
        return MEM_ACPI_RECLAIMABLE;
    case MB2_MMAP_NVS:
        return MEM_ACPI_NVS;
    case MB2_MMAP_BADRAM:
        return MEM_BAD;
    default:
        return MEM_RESERVED;
    }
}

/* Boot-services memory is ours only once ExitBootServices() ran (no tag 18). */
static uint32_t efi_type(uint32_t type, bool boot_services_running)
{
    switch (type) {
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
        return boot_services_running ? MEM_RESERVED : MEM_USABLE;
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_CONVENTIONAL_MEMORY:
        return MEM_USABLE;
    case EFI_ACPI_RECLAIM_MEMORY:
        return MEM_ACPI_RECLAIMABLE;
    case EFI_ACPI_MEMORY_NVS:
        return MEM_ACPI_NVS;
    case EFI_UNUSABLE_MEMORY:
        return MEM_BAD;
    default:
        return MEM_RESERVED;
    }
}

/* tag points at a whole tag of `size` bytes, at least tag_min_size. */
int multiboot2_convert_legacy_map(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    uint32_t entry_size = mb2_read_u32(tag + 8);
    if (entry_size < MMAP_ENTRY_MIN_BYTES) {
        log_error("multiboot2: memory map entry_size %u is smaller than an entry (%u bytes): the boot loader "
                  "is broken",
                  entry_size, MMAP_ENTRY_MIN_BYTES);
        return E_INVAL;
    }
    uint32_t entries_bytes = size - 16;
    if (entries_bytes % entry_size != 0)
        log_warn("multiboot2: memory map has %u bytes after its last whole entry; ignored",
                 entries_bytes % entry_size);
    for (uint32_t off = 16; size - off >= entry_size; off += entry_size) {
        const uint8_t *e = tag + off;
        add_region(out, mb2_read_u64(e), mb2_read_u64(e + 8), legacy_type(mb2_read_u32(e + 16)));
    }
    out->memory_map_source = BOOT_MMAP_LEGACY;
    return E_OK;
}

int multiboot2_convert_efi_map(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    uint32_t descriptor_size = mb2_read_u32(tag + 8);
    if (descriptor_size < EFI_DESCRIPTOR_MIN_BYTES) {
        log_error(
            "multiboot2: EFI memory map descriptor_size %u is smaller than a descriptor (%u bytes): the "
            "boot loader is broken",
            descriptor_size, EFI_DESCRIPTOR_MIN_BYTES);
        return E_INVAL;
    }
    /* Descriptors may be larger than EFI_MEMORY_DESCRIPTOR (newer firmware): step by descriptor_size. */
    for (uint32_t off = 16; size - off >= descriptor_size; off += descriptor_size) {
        const uint8_t *d = tag + off;
        uint64_t base = mb2_read_u64(d + 8), pages = mb2_read_u64(d + 24);
        uint64_t length = pages > UINT64_MAX / EFI_PAGE_BYTES ? UINT64_MAX : pages * EFI_PAGE_BYTES;
        add_region(out, base, length, efi_type(mb2_read_u32(d), out->efi_boot_services_not_exited));
    }
    out->memory_map_source = BOOT_MMAP_EFI;
    return E_OK;
}
