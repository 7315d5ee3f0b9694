/*
 * Multiboot2 boot information parser. The block comes from the boot loader
 * and is treated as untrusted input: every size is checked against the
 * block before a byte is read, fields are read with memcpy (tags are 8-byte
 * aligned, their entries need not be), and a malformed block is refused with
 * a message naming the offset rather than half used.
 */
#include "mm/multiboot2.h"
#include "mm/multiboot2_mmap.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

#define TAG_HEADER_BYTES 8u
#define TAG_ALIGN_BYTES 8u
#define INFO_HEADER_BYTES 8u /* total_size, reserved */
static const char *tag_name(uint32_t type)
{
    switch (type) {
    case MB2_TAG_END:
        return "end";
    case MB2_TAG_CMDLINE:
        return "command line";
    case MB2_TAG_LOADER_NAME:
        return "boot loader name";
    case MB2_TAG_MODULE:
        return "module";
    case MB2_TAG_BASIC_MEMINFO:
        return "basic memory information";
    case MB2_TAG_BOOTDEV:
        return "BIOS boot device";
    case MB2_TAG_MMAP:
        return "memory map";
    case MB2_TAG_EFI32_SYSTEM_TABLE:
        return "EFI 32-bit system table";
    case MB2_TAG_EFI64_SYSTEM_TABLE:
        return "EFI 64-bit system table";
    case MB2_TAG_ACPI_OLD:
        return "ACPI old RSDP";
    case MB2_TAG_ACPI_NEW:
        return "ACPI new RSDP";
    case MB2_TAG_FRAMEBUFFER:
        return "framebuffer info";
    case MB2_TAG_EFI_MMAP:
        return "EFI memory map";
    case MB2_TAG_EFI_BOOT_SERVICES:
        return "EFI boot services not terminated";
    case MB2_TAG_LOAD_BASE:
        return "image load base";
    default:
        return "other";
    }
}

/* The bytes a known tag needs for its fixed fields, header included. */
static uint32_t tag_min_size(uint32_t type)
{
    switch (type) {
    case MB2_TAG_MODULE:
        return 16; /* mod_start, mod_end */
    case MB2_TAG_BASIC_MEMINFO:
        return 16; /* mem_lower, mem_upper */
    case MB2_TAG_MMAP:
        return 16; /* entry_size, entry_version */
    case MB2_TAG_EFI32_SYSTEM_TABLE:
        return 12;
    case MB2_TAG_EFI64_SYSTEM_TABLE:
        return 16;
    case MB2_TAG_ACPI_OLD:
        return TAG_HEADER_BYTES + BOOT_INFO_RSDP_V1_BYTES;
    case MB2_TAG_ACPI_NEW:
        return TAG_HEADER_BYTES + BOOT_INFO_RSDP_V1_BYTES; /* the 1.0 part at least */
    case MB2_TAG_FRAMEBUFFER:
        return 32; /* address, pitch, width, height, bpp, type, reserved */
    case MB2_TAG_EFI_MMAP:
        return 16; /* descriptor_size, descriptor_version */
    case MB2_TAG_LOAD_BASE:
        return 12;
    default:
        return TAG_HEADER_BYTES;
    }
}

/* Copies a string field that may lack its NUL; returns true when it was cut to fit. */
static bool copy_string(char *dst, size_t dst_bytes, const uint8_t *src, size_t src_bytes, bool *had_nul)
{
    size_t len = 0;
    while (len < src_bytes && src[len] != 0)
        len++;
    *had_nul = len < src_bytes;
    bool truncated = len > dst_bytes - 1;
    if (truncated)
        len = dst_bytes - 1;
    memcpy(dst, src, len);
    dst[len] = 0;
    return truncated;
}

static void take_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (out->module_count >= BOOT_INFO_MAX_MODULES) {
        if (!out->modules_overflow)
            log_warn("multiboot2: more than %u modules; the rest are ignored (and not kept free)",
                     BOOT_INFO_MAX_MODULES);
        out->modules_overflow = true;
        return;
    }
    uint32_t start = mb2_read_u32(tag + 8), end = mb2_read_u32(tag + 12);
    if (end < start) {
        log_warn("multiboot2: module 0x%x..0x%x ends before it starts; ignored", start, end);
        return;
    }
    if (out->module_count == 0 && size > 16) {
        /* Tag 3: type, size, mod_start, mod_end, then the string GRUB's module2 line gave. */
        bool had_nul;
        out->module0_cmdline_truncated =
            copy_string(out->module0_cmdline, sizeof out->module0_cmdline, tag + 16, size - 16, &had_nul);
    }
    out->modules[out->module_count++] = (struct boot_module){ start, end };
}

static void take_string_tags(uint32_t type, const uint8_t *data, uint32_t data_bytes, struct boot_info *out)
{
    bool had_nul;
    if (type == MB2_TAG_CMDLINE) {
        out->has_cmdline = true;
        out->cmdline_truncated = copy_string(out->cmdline, sizeof out->cmdline, data, data_bytes, &had_nul);
        if (!had_nul)
            log_warn("multiboot2: command line has no terminating NUL; using its %u bytes", data_bytes);
        if (out->cmdline_truncated)
            log_warn("multiboot2: command line is longer than %u bytes; the rest is ignored: shorten it in "
                     "grub.cfg",
                     BOOT_INFO_CMDLINE_BYTES - 1);
        return;
    }
    out->loader_name_truncated =
        copy_string(out->loader_name, sizeof out->loader_name, data, data_bytes, &had_nul);
    for (char *c = out->loader_name; *c; c++) /* it is printed as is */
        if (*c < 0x20 || *c == 0x7F)
            *c = '?';
}

static MUST_CHECK int check_header(uint32_t magic, const void *info, size_t available_bytes,
                                   uint32_t *total_size)
{
    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC) {
        log_error("multiboot2: wrong boot magic 0x%x (expected 0x%x): boot vmxroot with GRUB's multiboot2 "
                  "command",
                  magic, MULTIBOOT2_BOOTLOADER_MAGIC);
        return E_INVAL;
    }
    if (!info || available_bytes < INFO_HEADER_BYTES) {
        log_error("multiboot2: no readable info block (address %p, %zu bytes)", info, available_bytes);
        return E_RANGE;
    }
    if ((uintptr_t)info % TAG_ALIGN_BYTES != 0) {
        log_error("multiboot2: info block at %p is not 8-byte aligned: the boot loader is broken", info);
        return E_INVAL;
    }
    *total_size = mb2_read_u32(info);
    if (*total_size < INFO_HEADER_BYTES + TAG_HEADER_BYTES) {
        log_error("multiboot2: info block total_size %u is too small for a header and an end tag",
                  *total_size);
        return E_RANGE;
    }
    if (*total_size > MULTIBOOT2_INFO_MAX_BYTES) {
        log_error("multiboot2: info block total_size %u is over the 1 MiB limit: it is corrupt", *total_size);
        return E_RANGE;
    }
    if (*total_size > available_bytes) {
        log_error("multiboot2: info block total_size %u runs past the %zu readable bytes", *total_size,
                  available_bytes);
        return E_RANGE;
    }
    return E_OK;
}

/* Tags that may appear once; a repeat is named and ignored. */
static bool first_of_kind(uint32_t type, uint32_t offset, uint32_t *seen_mask)
{
    if (type >= 32 || type == MB2_TAG_MODULE)
        return true;
    if (*seen_mask & (1u << type)) {
        log_warn("multiboot2: second %s tag (type %u) at offset %u ignored", tag_name(type), type, offset);
        return false;
    }
    *seen_mask |= 1u << type;
    return true;
}

/* One tag, already checked to lie inside the block and to hold its fixed fields. */
static void take_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct boot_info *out)
{
    const uint8_t *data = tag + TAG_HEADER_BYTES;
    uint32_t data_bytes = size - TAG_HEADER_BYTES;
    switch (type) {
    case MB2_TAG_CMDLINE:
    case MB2_TAG_LOADER_NAME:
        take_string_tags(type, data, data_bytes, out);
        break;
    case MB2_TAG_MODULE:
        take_module(tag, size, out);
        break;
    case MB2_TAG_BASIC_MEMINFO:
        out->has_basic_meminfo = true;
        out->mem_lower_kib = mb2_read_u32(data);
        out->mem_upper_kib = mb2_read_u32(data + 4);
        break;
    case MB2_TAG_EFI32_SYSTEM_TABLE:
        out->efi_system_table_present = true;
        out->efi_system_table_phys = mb2_read_u32(data);
        break;
    case MB2_TAG_EFI64_SYSTEM_TABLE:
        out->efi_system_table_present = true;
        out->efi_system_table_phys = mb2_read_u64(data);
        break;
    case MB2_TAG_ACPI_OLD:
        out->has_rsdp_v1 = true;
        memcpy(out->rsdp_v1, data, BOOT_INFO_RSDP_V1_BYTES);
        break;
    case MB2_TAG_ACPI_NEW:
        out->has_rsdp_v2 = true;
        out->rsdp_v2_size_bytes = data_bytes < BOOT_INFO_RSDP_V2_BYTES ? data_bytes : BOOT_INFO_RSDP_V2_BYTES;
        memcpy(out->rsdp_v2, data, out->rsdp_v2_size_bytes);
        break;
    case MB2_TAG_EFI_BOOT_SERVICES:
        out->efi_boot_services_not_exited = true;
        break;
    case MB2_TAG_LOAD_BASE:
        out->has_load_base = true;
        out->load_base_phys = mb2_read_u32(data);
        break;
    case MB2_TAG_FRAMEBUFFER:
        multiboot2_take_framebuffer(tag, size, out);
        break;
    default:
        break; /* APM, SMBIOS, network...: not needed */
    }
}

/*
 * Walks the tags up to the end tag. The memory maps are only remembered
 * here and converted afterwards: tag 17 wins over tag 6 wherever it is, and
 * converting tag 17 depends on tag 18, which may come after it.
 */
static MUST_CHECK int walk_tags(const uint8_t *block, uint32_t total_size, struct boot_info *out)
{
    const uint8_t *legacy_map = NULL, *efi_map = NULL;
    uint32_t legacy_map_size = 0, efi_map_size = 0, seen_mask = 0;
    uint32_t offset = INFO_HEADER_BYTES;
    for (;;) {
        if (total_size - offset < TAG_HEADER_BYTES) {
            log_error("multiboot2: no end tag before total_size %u: the block is truncated or corrupt",
                      total_size);
            return E_INVAL;
        }
        const uint8_t *tag = block + offset;
        uint32_t type = mb2_read_u32(tag), size = mb2_read_u32(tag + 4);
        if (size < TAG_HEADER_BYTES) {
            log_error("multiboot2: tag type %u at offset %u has size %u, less than its 8-byte header", type,
                      offset, size);
            return E_INVAL;
        }
        if (size > total_size - offset) {
            log_error("multiboot2: tag type %u (%s) at offset %u, size %u, runs past total_size %u", type,
                      tag_name(type), offset, size, total_size);
            return E_RANGE;
        }
        if (type == MB2_TAG_END) {
            if (size != TAG_HEADER_BYTES) {
                log_error("multiboot2: end tag at offset %u has size %u, expected 8", offset, size);
                return E_INVAL;
            }
            break;
        }
        if (size < tag_min_size(type)) {
            log_error("multiboot2: %s tag at offset %u has size %u, less than the %u bytes its fields need",
                      tag_name(type), offset, size, tag_min_size(type));
            return E_INVAL;
        }
        if (first_of_kind(type, offset, &seen_mask)) {
            if (type == MB2_TAG_MMAP) {
                legacy_map = tag;
                legacy_map_size = size;
            } else if (type == MB2_TAG_EFI_MMAP) {
                efi_map = tag;
                efi_map_size = size;
                out->efi_mmap_present = true;
            } else {
                take_tag(tag, type, size, out);
            }
        }
        /* The next tag starts at the next 8-byte boundary; size <= total_size - offset < 1 MiB. */
        uint32_t step = (uint32_t)ALIGN_UP(size, TAG_ALIGN_BYTES);
        if (step >= total_size - offset) {
            log_error("multiboot2: no end tag before total_size %u: the block is truncated or corrupt",
                      total_size);
            return E_INVAL;
        }
        offset += step;
    }
    if (efi_map)
        return multiboot2_convert_efi_map(efi_map, efi_map_size, out);
    if (legacy_map)
        return multiboot2_convert_legacy_map(legacy_map, legacy_map_size, out);
    log_warn("multiboot2: the boot loader gave no memory map (tag 6 or 17); no RAM can be used");
    return E_OK;
}

uint64_t boot_info_usable_bytes(const struct boot_info *info)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < info->region_count; i++)
        if (info->regions[i].type == MEM_USABLE)
            total += info->regions[i].length_bytes;
    return total;
}

uint64_t boot_info_ram_end_phys(const struct boot_info *info)
{
    uint64_t end = 0;
    for (uint32_t i = 0; i < info->region_count; i++) {
        const struct mem_region *r = &info->regions[i];
        if ((r->type == MEM_USABLE || r->type == MEM_ACPI_RECLAIMABLE) &&
            r->base_phys + r->length_bytes > end)
            end = r->base_phys + r->length_bytes;
    }
    return end;
}

void boot_info_normalize_regions(struct boot_info *info)
{
    bool overflow = false;
    info->region_count =
        (uint32_t)mem_regions_normalize(info->regions, info->region_count, BOOT_INFO_MAX_REGIONS, &overflow);
    if (overflow) {
        log_warn("multiboot2: memory map too fragmented to normalize in %u regions; some RAM is not used",
                 BOOT_INFO_MAX_REGIONS);
        info->regions_overflow = true;
    }
}

int multiboot2_parse(uint32_t magic, const void *info, size_t available_bytes, struct boot_info *out)
{
    uint32_t total_size = 0;
    memset(out, 0, sizeof *out);
    int err = check_header(magic, info, available_bytes, &total_size);
    if (err == E_OK)
        err = walk_tags(info, total_size, out);
    if (err != E_OK) {
        memset(out, 0, sizeof *out);
        return err;
    }
    out->info_phys = (uintptr_t)info; /* the kernel runs identity mapped at this point */
    out->info_size_bytes = total_size;
    log_debug(
        "multiboot2: info 0x%llx+0x%x from \"%s\": %u regions from tag %u (%llu MiB usable), %u modules, "
        "rsdp v1=%d v2=%d, efi st=%d mmap=%d bs=%d",
        (unsigned long long)out->info_phys, total_size, out->loader_name, out->region_count,
        (unsigned)out->memory_map_source, (unsigned long long)(boot_info_usable_bytes(out) >> 20),
        out->module_count, out->has_rsdp_v1, out->has_rsdp_v2, out->efi_system_table_present,
        out->efi_mmap_present, out->efi_boot_services_not_exited);
    return E_OK;
}
