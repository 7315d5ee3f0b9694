/*
 * The bzImage setup header and the load plan (the kernel's x86 boot
 * protocol, Documentation/arch/x86/boot.rst: "The real-mode kernel header",
 * "Loading the rest of the kernel", "32-bit boot protocol", "64-bit boot
 * protocol"). Every field is read from a byte offset, little-endian, with
 * the image's length checked first: the image is a GRUB module, any bytes.
 */
#include "arch/x86/loader/bzimage.h"
#include "arch/x86/loader/little_endian.h"
#include "arch/x86/loader/loader_common.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

#define SECTOR_BYTES 512u
#define FOUR_GIB (1ull << 32)
#define ZERO_PAGE_LOWEST 0x10000ull /* above the real-mode IVT, BDA and the first 64 KiB firmware likes */

static uint32_t read_le(const uint8_t *p, unsigned bytes) { return (uint32_t)le_get(p, bytes); }

static bool is_power_of_two(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

int bzimage_parse(const void *image, size_t size_bytes, struct bzimage_info *out, char *why, size_t why_bytes)
{
    const uint8_t *p = image;
    memset(out, 0, sizeof *out);
    if (size_bytes < BZIMAGE_HEADER + 4)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "%llu bytes is too short for a setup header: not a bzImage",
                             (unsigned long long)(size_bytes));
    if (read_le(p + BZIMAGE_HEADER, 4) != BZIMAGE_MAGIC)
        return loader_refuse(E_INVAL, why, why_bytes, "no \"HdrS\" magic at 0x202: not a bzImage");
    if (read_le(p + BZIMAGE_BOOT_FLAG, 2) != 0xAA55)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "boot flag 0x%llx at 0x1FE is not 0xAA55: not a bzImage",
                             (unsigned long long)(read_le(p + BZIMAGE_BOOT_FLAG, 2)));
    out->version = (uint16_t)read_le(p + BZIMAGE_VERSION, 2);
    if (out->version < BZIMAGE_MIN_VERSION)
        return loader_refuse(E_NOTSUP, why, why_bytes,
                             "boot protocol 0x%04llx is older than 2.12 (0x020c), the first with xloadflags",
                             (unsigned long long)(out->version));
    out->header_end = BZIMAGE_HEADER + p[BZIMAGE_JUMP + 1];
    if (out->header_end < BZIMAGE_INIT_SIZE + 4 || out->header_end > BZIMAGE_HEADER_LIMIT)
        return loader_refuse(
            E_INVAL, why, why_bytes,
            "setup header ends at 0x%llx: a 2.12 header ends at 0x264 or later, before 0x290",
            (unsigned long long)(out->header_end));
    if (size_bytes < out->header_end)
        return loader_refuse(E_RANGE, why, why_bytes,
                             "%llu bytes end inside the setup header (0x%llx): truncated",
                             (unsigned long long)(size_bytes), (unsigned long long)(out->header_end));
    unsigned setup_sects = p[BZIMAGE_SETUP_SECTS] ? p[BZIMAGE_SETUP_SECTS] : 4; /* 0 means 4 */
    out->setup_bytes = (setup_sects + 1) * SECTOR_BYTES;
    out->kernel_bytes = (uint64_t)read_le(p + BZIMAGE_SYSSIZE, 4) * 16;
    out->loadflags = p[BZIMAGE_LOADFLAGS];
    out->xloadflags = (uint16_t)read_le(p + BZIMAGE_XLOADFLAGS, 2);
    out->relocatable = p[BZIMAGE_RELOCATABLE] != 0;
    out->kernel_alignment_bytes = read_le(p + BZIMAGE_KERNEL_ALIGNMENT, 4);
    out->min_alignment_bytes = p[BZIMAGE_MIN_ALIGNMENT] < 32 ? 1u << p[BZIMAGE_MIN_ALIGNMENT] : 0;
    out->pref_address = le_get(p + BZIMAGE_PREF_ADDRESS, 8);
    out->init_size_bytes = read_le(p + BZIMAGE_INIT_SIZE, 4);
    out->cmdline_max_bytes = read_le(p + BZIMAGE_CMDLINE_SIZE, 4);
    out->initrd_addr_max = read_le(p + BZIMAGE_INITRD_ADDR_MAX, 4);
    out->entry_64 = (out->xloadflags & BZIMAGE_XLF_KERNEL_64) != 0;
    out->above_4g = (out->xloadflags & BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G) != 0;

    if (!(out->loadflags & BZIMAGE_LOADED_HIGH))
        return loader_refuse(E_NOTSUP, why, why_bytes,
                             "loadflags 0x%llx without LOADED_HIGH: a zImage, not a bzImage",
                             (unsigned long long)(out->loadflags));
    if (out->kernel_bytes == 0)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "syssize is 0: the header declares no protected-mode kernel");
    if (out->setup_bytes > size_bytes || out->kernel_bytes > size_bytes - out->setup_bytes)
        return loader_refuse(
            E_RANGE, why, why_bytes,
            "the header declares %llu bytes of setup and kernel, the module has %llu: truncated",
            (unsigned long long)out->setup_bytes + out->kernel_bytes, (unsigned long long)(size_bytes));
    if (!is_power_of_two(out->kernel_alignment_bytes) || out->kernel_alignment_bytes < PAGE_SIZE_BYTES)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "kernel_alignment 0x%llx is not a power of two of 4 KiB or more",
                             (unsigned long long)(out->kernel_alignment_bytes));
    if (out->min_alignment_bytes == 0 || out->min_alignment_bytes > out->kernel_alignment_bytes)
        return loader_refuse(E_INVAL, why, why_bytes, "min_alignment 2^%llu is above kernel_alignment 0x%llx",
                             (unsigned long long)(p[BZIMAGE_MIN_ALIGNMENT]),
                             (unsigned long long)(out->kernel_alignment_bytes));
    if (out->init_size_bytes < out->kernel_bytes)
        return loader_refuse(
            E_INVAL, why, why_bytes, "init_size 0x%llx is smaller than the kernel's 0x%llx bytes",
            (unsigned long long)(out->init_size_bytes), (unsigned long long)(out->kernel_bytes));
    if (!out->relocatable && (out->pref_address < MiB(1) || !IS_ALIGNED(out->pref_address, PAGE_SIZE_BYTES)))
        return loader_refuse(E_INVAL, why, why_bytes,
                             "a kernel that is not relocatable with pref_address 0x%llx",
                             (unsigned long long)(out->pref_address));
    return 0;
}

/* One range the placement must stay out of. */
struct busy {
    uint64_t base, end;
};

/* The first busy range [base, base + size) overlaps, or NULL. */
static const struct busy *overlap(const struct busy *busy, size_t count, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < count; i++)
        if (base < busy[i].end && busy[i].base < base + size)
            return &busy[i];
    return NULL;
}

/*
 * An address for size bytes, aligned to align, within [lo, hi) and one
 * usable region, outside every busy range: the lowest one, or the highest.
 * 0 when none (0 is never a valid answer: lo is at least 64 KiB).
 */
static uint64_t find_slot(const struct mem_region *ram, size_t ram_count, uint64_t lo, uint64_t hi,
                          uint64_t size, uint64_t align, const struct busy *busy, size_t busy_count,
                          bool highest)
{
    for (size_t n = 0; n < ram_count; n++) {
        const struct mem_region *r = &ram[highest ? ram_count - 1 - n : n];
        uint64_t start = r->base_phys > lo ? r->base_phys : lo;
        uint64_t end = r->base_phys + r->length_bytes < hi ? r->base_phys + r->length_bytes : hi;
        if (r->type != MEM_USABLE || start >= end || end - start < size)
            continue;
        uint64_t at = highest ? ALIGN_DOWN(end - size, align) : ALIGN_UP(start, align);
        while (at >= start && at <= end - size && at >= lo) {
            const struct busy *b = overlap(busy, busy_count, at, size);
            if (b == NULL)
                return at;
            if (highest && b->base < size)
                break;
            at = highest ? ALIGN_DOWN(b->base - size, align) : ALIGN_UP(b->end, align);
        }
    }
    return 0;
}

int bzimage_plan(const struct bzimage_info *info, const struct mem_region *ram, size_t ram_count,
                 uint32_t cmdline_bytes, uint64_t initrd_bytes, struct bzimage_plan *out, char *why,
                 size_t why_bytes)
{
    memset(out, 0, sizeof *out);
    if (cmdline_bytes == 0 || cmdline_bytes - 1 > info->cmdline_max_bytes)
        return loader_refuse(E_RANGE, why, why_bytes,
                             "the command line of %llu bytes is longer than the kernel's %llu",
                             (unsigned long long)(cmdline_bytes ? cmdline_bytes - 1 : 0),
                             (unsigned long long)(info->cmdline_max_bytes));
    uint64_t reserve = ALIGN_UP((uint64_t)info->init_size_bytes, PAGE_SIZE_BYTES);
    uint64_t kernel = 0;
    if (info->pref_address >= MiB(1) && IS_ALIGNED(info->pref_address, info->kernel_alignment_bytes) &&
        info->pref_address + reserve <= FOUR_GIB &&
        loader_inside_usable(ram, ram_count, info->pref_address, reserve))
        kernel = info->pref_address;
    else if (info->relocatable)
        kernel = find_slot(ram, ram_count, MiB(1), FOUR_GIB, reserve, info->kernel_alignment_bytes, NULL, 0,
                           false);
    if (kernel == 0)
        return loader_refuse(
            E_NOMEM, why, why_bytes,
            "no usable RAM below 4 GiB holds the kernel's init_size of %llu KiB at %llu KiB alignment",
            (unsigned long long)(reserve >> 10), (unsigned long long)(info->kernel_alignment_bytes >> 10));
    out->kernel_phys = kernel;
    out->kernel_reserve_bytes = reserve;
    out->entry32_phys = kernel;
    out->entry64_phys = info->entry_64 ? kernel + 0x200 : 0;

    struct busy busy[2] = { { kernel, kernel + reserve }, { 0, 0 } };
    uint64_t params_bytes = PAGE_SIZE_BYTES + ALIGN_UP((uint64_t)cmdline_bytes, PAGE_SIZE_BYTES);
    uint64_t params =
        find_slot(ram, ram_count, ZERO_PAGE_LOWEST, FOUR_GIB, params_bytes, PAGE_SIZE_BYTES, busy, 1, false);
    if (params == 0)
        return loader_refuse(E_NOMEM, why, why_bytes,
                             "no usable RAM below 4 GiB for the zero page and command line (%llu bytes)",
                             (unsigned long long)(params_bytes));
    out->boot_params_phys = params;
    out->cmdline_phys = params + PAGE_SIZE_BYTES;
    out->cmdline_bytes = cmdline_bytes;
    busy[1] = (struct busy){ params, params + params_bytes };

    if (initrd_bytes == 0)
        return 0;
    uint64_t initrd_hi =
        (uint64_t)info->initrd_addr_max + 1 < FOUR_GIB ? (uint64_t)info->initrd_addr_max + 1 : FOUR_GIB;
    uint64_t initrd_reserve = ALIGN_UP(initrd_bytes, PAGE_SIZE_BYTES);
    uint64_t initrd = initrd_reserve < initrd_bytes
                          ? 0
                          : find_slot(ram, ram_count, ZERO_PAGE_LOWEST, initrd_hi, initrd_reserve,
                                      PAGE_SIZE_BYTES, busy, 2, true);
    if (initrd == 0)
        return loader_refuse(E_NOMEM, why, why_bytes,
                             "no usable RAM below initrd_addr_max 0x%llx holds the initramfs of %llu bytes",
                             (unsigned long long)(info->initrd_addr_max), (unsigned long long)(initrd_bytes));
    out->initrd_phys = initrd;
    out->initrd_bytes = initrd_bytes;
    return 0;
}
