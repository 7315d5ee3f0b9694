/*
 * The memory map tags of the Multiboot2 boot information, converted into
 * struct boot_info regions. Used by mm/multiboot2.c only, which has checked
 * that each tag lies inside the block and holds its 16-byte fixed part.
 */
#ifndef MM_MULTIBOOT2_MMAP_H
#define MM_MULTIBOOT2_MMAP_H

#include "core/lib/compiler.h"
#include "core/lib/string.h"

struct boot_info;

/* Tag fields need not be aligned (entry sizes come from the loader): read them with memcpy. */
static inline uint32_t mb2_read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t mb2_read_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Tag 6 ("Memory map"), size bytes at tag. 0, or E_INVAL for an entry_size below 24. */
MUST_CHECK int multiboot2_convert_legacy_map(const uint8_t *tag, uint32_t size, struct boot_info *out);

/*
 * Tag 17 ("EFI memory map"). Converts with out->efi_boot_services_not_exited
 * already known. 0, or E_INVAL for a descriptor_size below 40.
 */
MUST_CHECK int multiboot2_convert_efi_map(const uint8_t *tag, uint32_t size, struct boot_info *out);

/*
 * Tag 8 ("Framebuffer info"), size bytes at tag (at least its 32-byte fixed
 * part). Fills out->framebuffer for a linear RGB or EGA text framebuffer whose
 * geometry adds up; anything else is named in a warning and left unused.
 */
void multiboot2_take_framebuffer(const uint8_t *tag, uint32_t size, struct boot_info *out);

#endif
