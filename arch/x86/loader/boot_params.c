/*
 * Building the zero page for a bzImage guest (the kernel's
 * Documentation/arch/x86/boot.rst: "Details of header fields", "32-bit boot
 * protocol": the loader zeroes struct boot_params, copies the setup header
 * into it from the image, and fills in the fields a loader writes).
 */
#include "arch/x86/loader/boot_params.h"
#include "arch/x86/loader/little_endian.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

#define STATUS_PAGE_OPTION "vmxroot.status_page="

int boot_params_cmdline(const char *guest_cmdline, uint64_t status_page_gpa, uint32_t cmdline_max_bytes,
                        char *out, size_t out_bytes, uint32_t *length_bytes, char *why, size_t why_bytes)
{
    bool have_guest = guest_cmdline != NULL && guest_cmdline[0] != '\0';
    int length = format(out, out_bytes, "%s%s" STATUS_PAGE_OPTION "0x%llx", have_guest ? guest_cmdline : "",
                        have_guest ? " " : "", (unsigned long long)status_page_gpa);
    *length_bytes = 0;
    if (length < 0 || (uint64_t)length > cmdline_max_bytes || (size_t)length >= out_bytes) {
        uint64_t limit = cmdline_max_bytes < out_bytes - 1 ? cmdline_max_bytes : out_bytes - 1;
        format(why, why_bytes,
               "the guest command line with " STATUS_PAGE_OPTION
               " appended is %d bytes, %llu more than the %llu "
               "the kernel takes",
               length, (unsigned long long)((uint64_t)length - limit), (unsigned long long)limit);
        if (out_bytes > 0)
            out[0] = '\0';
        return E_RANGE;
    }
    *length_bytes = (uint32_t)length + 1;
    return 0;
}

int boot_params_guest_map(const struct mem_region *memory_map, size_t memory_map_count,
                          const struct mem_region *own, size_t own_count, struct mem_region *out,
                          size_t *out_count, char *why, size_t why_bytes)
{
    *out_count = 0;
    if (memory_map_count + own_count > BOOT_PARAMS_MAP_CAPACITY) {
        format(why, why_bytes,
               "%zu memory-map entries and %zu own ranges are more than the %u this loader sorts",
               memory_map_count, own_count, BOOT_PARAMS_MAP_CAPACITY);
        return E_NOMEM;
    }
    size_t count = 0;
    for (size_t i = 0; i < memory_map_count; i++)
        out[count++] = memory_map[i];
    for (size_t i = 0; i < own_count; i++) {
        const struct mem_region *r = &own[i];
        if (r->length_bytes == 0 || r->base_phys + r->length_bytes < r->base_phys) {
            format(why, why_bytes, "vmxroot's range 0x%llx size 0x%llx is empty or wraps",
                   (unsigned long long)r->base_phys, (unsigned long long)r->length_bytes);
            return E_INVAL;
        }
        out[count++] = (struct mem_region){ r->base_phys, r->length_bytes, MEM_RESERVED };
    }
    /* The stricter type wins (mm/memory_map.h): vmxroot's reserved bytes are never usable RAM to the guest. */
    bool overflow = false;
    count = mem_regions_normalize(out, count, BOOT_PARAMS_MAP_CAPACITY, &overflow);
    if (overflow || count > BOOT_PARAMS_E820_MAX) {
        format(why, why_bytes, "the memory map needs %zu%s e820 entries, the zero page holds %u", count,
               overflow ? " or more" : "", BOOT_PARAMS_E820_MAX);
        return E_RANGE;
    }
    *out_count = count;
    return 0;
}

static int build_e820(const struct boot_params_input *in, uint8_t *zero_page, char *why, size_t why_bytes)
{
    struct mem_region regions[BOOT_PARAMS_MAP_CAPACITY]; /* 3.8 KiB of stack */
    size_t count;
    int err = boot_params_guest_map(in->memory_map, in->memory_map_count, in->own, in->own_count, regions,
                                    &count, why, why_bytes);
    if (err != 0)
        return err;
    for (size_t i = 0; i < count; i++) {
        uint8_t *e = zero_page + BOOT_PARAMS_E820_TABLE + i * BOOT_PARAMS_E820_ENTRY_BYTES;
        le_put(e, regions[i].base_phys, 8);
        le_put(e + 8, regions[i].length_bytes, 8);
        le_put(e + 16, regions[i].type, 4);
    }
    zero_page[BOOT_PARAMS_E820_ENTRIES] = (uint8_t)count;
    return 0;
}

int boot_params_build(const struct boot_params_input *in, uint8_t *zero_page, char *why, size_t why_bytes)
{
    const struct bzimage_plan *plan = in->plan;
    memset(zero_page, 0, BOOT_PARAMS_BYTES);
    /* The setup header as the image has it; the sentinel (0x1EF) stays 0, the header starts past it. */
    memcpy(zero_page + BZIMAGE_SETUP_SECTS, in->image + BZIMAGE_SETUP_SECTS,
           in->info->header_end - BZIMAGE_SETUP_SECTS);
    zero_page[BZIMAGE_TYPE_OF_LOADER] = BOOT_PARAMS_LOADER_UNDEFINED;
    le_put(zero_page + BZIMAGE_CODE32_START, plan->kernel_phys, 4);
    le_put(zero_page + BZIMAGE_CMD_LINE_PTR, plan->cmdline_phys, 4);
    le_put(zero_page + BOOT_PARAMS_EXT_CMD_LINE_PTR, plan->cmdline_phys >> 32, 4);
    le_put(zero_page + BZIMAGE_RAMDISK_IMAGE, plan->initrd_phys, 4);
    le_put(zero_page + BOOT_PARAMS_EXT_RAMDISK_IMAGE, plan->initrd_phys >> 32, 4);
    le_put(zero_page + BZIMAGE_RAMDISK_SIZE, plan->initrd_bytes, 4);
    le_put(zero_page + BOOT_PARAMS_EXT_RAMDISK_SIZE, plan->initrd_bytes >> 32, 4);
    le_put(zero_page + BZIMAGE_HARDWARE_SUBARCH, 0, 4); /* X86_SUBARCH_PC */
    le_put(zero_page + BOOT_PARAMS_ACPI_RSDP_ADDR, in->rsdp_phys, 8);
    return build_e820(in, zero_page, why, why_bytes);
}
