/*
 * The multiboot1 header and the kernel's segments (Multiboot Specification
 * 0.6.96, "OS image format": "The layout of Multiboot header", "The
 * address fields of Multiboot header"; the ELF32 program headers of the
 * System V ABI). Every field is read from a byte offset, little-endian,
 * with the image's length checked first: the image is a GRUB module, any
 * bytes.
 */
#include "arch/x86/loader/multiboot1.h"
#include "arch/x86/loader/little_endian.h"
#include "arch/x86/loader/loader_common.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

#define FOUR_GIB (1ull << 32)
#define HEADER_BYTES 12u         /* magic, flags, checksum */
#define HEADER_ADDRESS_BYTES 32u /* and header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
#define ELF32_HEADER_BYTES 52u
#define ELF32_PHDR_BYTES 32u
#define ELF_CLASS_32 1
#define ELF_DATA_LE 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_386 3
#define ELF_PT_LOAD 1

static uint32_t get32(const uint8_t *p) { return (uint32_t)le_get(p, 4); }

/* The offset of the first 4-aligned magic in the first 8 KiB with a good checksum, or of the first magic. */
static long find_header(const uint8_t *p, size_t size_bytes, bool *checksum_ok)
{
    size_t limit = size_bytes < MULTIBOOT1_SEARCH_BYTES ? size_bytes : MULTIBOOT1_SEARCH_BYTES;
    long first = -1;
    *checksum_ok = false;
    for (size_t at = 0; at + HEADER_BYTES <= limit; at += 4) {
        if (get32(p + at) != MULTIBOOT1_HEADER_MAGIC)
            continue;
        if ((uint32_t)(get32(p + at) + get32(p + at + 4) + get32(p + at + 8)) == 0) {
            *checksum_ok = true;
            return (long)at;
        }
        if (first < 0)
            first = (long)at;
    }
    return first;
}

bool multiboot1_detect(const void *image, size_t size_bytes)
{
    bool checksum_ok;
    return find_header(image, size_bytes, &checksum_ok) >= 0 && checksum_ok;
}

static int add_segment(struct multiboot1_image *out, uint64_t file_offset, uint64_t file_bytes, uint64_t phys,
                       uint64_t mem_bytes, char *why, size_t why_bytes)
{
    if (mem_bytes == 0)
        return 0;
    if (phys + mem_bytes > FOUR_GIB)
        return loader_refuse(E_INVAL, why, why_bytes, "a segment at 0x%llx of %llu bytes ends above 4 GiB",
                             (unsigned long long)phys, (unsigned long long)mem_bytes);
    if (out->segment_count == MULTIBOOT1_MAX_SEGMENTS)
        return loader_refuse(E_NOTSUP, why, why_bytes, "more than %u loadable segments",
                             MULTIBOOT1_MAX_SEGMENTS);
    for (uint32_t i = 0; i < out->segment_count; i++) {
        const struct multiboot1_segment *s = &out->segments[i];
        if (phys < s->phys + s->mem_bytes && s->phys < phys + mem_bytes)
            return loader_refuse(E_INVAL, why, why_bytes, "segments at 0x%llx and 0x%llx overlap",
                                 (unsigned long long)s->phys, (unsigned long long)phys);
    }
    uint32_t at = out->segment_count++;
    while (at > 0 && out->segments[at - 1].phys > phys) {
        out->segments[at] = out->segments[at - 1];
        at--;
    }
    out->segments[at] = (struct multiboot1_segment){ file_offset, file_bytes, phys, mem_bytes };
    return 0;
}

/* "The address fields of Multiboot header": the image is one segment, placed by where the header lands. */
static int parse_address_fields(const uint8_t *p, size_t size_bytes, struct multiboot1_image *out, char *why,
                                size_t why_bytes)
{
    uint32_t h = out->header_offset;
    if (size_bytes < (size_t)h + HEADER_ADDRESS_BYTES)
        return loader_refuse(E_RANGE, why, why_bytes,
                             "the image ends inside the header's address fields: truncated");
    uint32_t header_addr = get32(p + h + 12), load_addr = get32(p + h + 16), load_end = get32(p + h + 20),
             bss_end = get32(p + h + 24), entry = get32(p + h + 28);
    if (load_addr > header_addr || header_addr - load_addr > h)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "load_addr 0x%x is above header_addr 0x%x or before the image's first byte",
                             load_addr, header_addr);
    uint64_t offset = h - (header_addr - load_addr);
    uint64_t file_bytes = load_end ? (uint64_t)load_end - load_addr : size_bytes - offset;
    if (load_end && load_end < load_addr)
        return loader_refuse(E_INVAL, why, why_bytes, "load_end_addr 0x%x is below load_addr 0x%x", load_end,
                             load_addr);
    if (file_bytes > size_bytes - offset)
        return loader_refuse(E_RANGE, why, why_bytes, "load_end_addr 0x%x is past the image's end: truncated",
                             load_end);
    uint64_t mem_bytes = file_bytes;
    if (bss_end) {
        unsigned long long loaded_end = load_addr + file_bytes;
        if (bss_end < loaded_end)
            return loader_refuse(E_INVAL, why, why_bytes, "bss_end_addr 0x%x is below the loaded end 0x%llx",
                                 bss_end, loaded_end);
        mem_bytes = (uint64_t)bss_end - load_addr;
    }
    if (mem_bytes == 0)
        return loader_refuse(E_INVAL, why, why_bytes, "the address fields load nothing");
    unsigned long long mem_end = load_addr + mem_bytes;
    if (entry < load_addr || entry - load_addr >= mem_bytes)
        return loader_refuse(E_INVAL, why, why_bytes, "entry_addr 0x%x is outside the loaded 0x%x-0x%llx",
                             entry, load_addr, mem_end);
    out->entry_phys = entry;
    return add_segment(out, offset, file_bytes, load_addr, mem_bytes, why, why_bytes);
}

/* ELF32 i386 executable: every PT_LOAD at its physical address; the entry translated if it is virtual. */
static int parse_elf32(const uint8_t *p, size_t size_bytes, struct multiboot1_image *out, char *why,
                       size_t why_bytes)
{
    if (size_bytes < ELF32_HEADER_BYTES || memcmp(p, "\177ELF", 4) != 0)
        return loader_refuse(
            E_INVAL, why, why_bytes,
            "neither an ELF image nor a header with address fields (flag 16): nothing says where "
            "it loads");
    if (p[4] != ELF_CLASS_32)
        return loader_refuse(E_NOTSUP, why, why_bytes,
                             "ELF class %u: only ELF32 is loaded (or use address fields)", p[4]);
    if (p[5] != ELF_DATA_LE || le_get(p + 16, 2) != ELF_TYPE_EXEC || le_get(p + 18, 2) != ELF_MACHINE_386)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "not a little-endian i386 ELF executable (type %llu, machine %llu)",
                             (unsigned long long)le_get(p + 16, 2), (unsigned long long)le_get(p + 18, 2));
    uint32_t entry = get32(p + 24), phoff = get32(p + 28);
    uint32_t phentsize = (uint32_t)le_get(p + 42, 2), phnum = (uint32_t)le_get(p + 44, 2);
    if (phentsize < ELF32_PHDR_BYTES || phnum == 0)
        return loader_refuse(E_INVAL, why, why_bytes, "ELF program headers of %u bytes, %u of them",
                             phentsize, phnum);
    if (phoff > size_bytes || (uint64_t)phentsize * phnum > size_bytes - phoff)
        return loader_refuse(E_RANGE, why, why_bytes,
                             "the ELF program headers end past the image: truncated");
    bool entry_found = false;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *ph = p + phoff + (uint64_t)i * phentsize;
        if (get32(ph) != ELF_PT_LOAD)
            continue;
        uint32_t offset = get32(ph + 4), vaddr = get32(ph + 8), paddr = get32(ph + 12);
        uint32_t filesz = get32(ph + 16), memsz = get32(ph + 20);
        if (filesz > memsz)
            return loader_refuse(E_INVAL, why, why_bytes,
                                 "segment %u has more file bytes (%u) than memory (%u)", i, filesz, memsz);
        if (offset > size_bytes || filesz > size_bytes - offset)
            return loader_refuse(E_RANGE, why, why_bytes, "segment %u's bytes end past the image: truncated",
                                 i);
        int err = add_segment(out, offset, filesz, paddr, memsz, why, why_bytes);
        if (err)
            return err;
        if (!entry_found && memsz && entry >= vaddr && entry - vaddr < memsz) {
            out->entry_phys = entry - vaddr + paddr;
            entry_found = true;
        }
    }
    if (out->segment_count == 0)
        return loader_refuse(E_INVAL, why, why_bytes, "the ELF image has no loadable segment");
    if (!entry_found)
        return loader_refuse(E_INVAL, why, why_bytes,
                             "the entry point 0x%x is outside every loadable segment", entry);
    return 0;
}

int multiboot1_parse(const void *image, size_t size_bytes, struct multiboot1_image *out, char *why,
                     size_t why_bytes)
{
    const uint8_t *p = image;
    bool checksum_ok;
    memset(out, 0, sizeof *out);
    long at = find_header(p, size_bytes, &checksum_ok);
    if (at < 0)
        return loader_refuse(
            E_INVAL, why, why_bytes,
            "no multiboot1 header (magic 0x1BADB002) in the first 8 KiB: not a multiboot1 kernel");
    if (!checksum_ok)
        return loader_refuse(
            E_INVAL, why, why_bytes,
            "the multiboot1 header at 0x%lx has a bad checksum (magic + flags + checksum is 0x%x, "
            "not 0)",
            at, (uint32_t)(get32(p + at) + get32(p + at + 4) + get32(p + at + 8)));
    out->header_offset = (uint32_t)at;
    out->flags = get32(p + at + 4);
    if (out->flags & MULTIBOOT1_VIDEO_MODE)
        return loader_refuse(E_NOTSUP, why, why_bytes,
                             "the kernel asks for a video mode (flag 2): not supported");
    if (out->flags & 0xffffu & ~MULTIBOOT1_KNOWN_REQUIREMENTS)
        return loader_refuse(E_NOTSUP, why, why_bytes,
                             "the kernel requires flags 0x%x that vmxroot does not know",
                             out->flags & 0xffffu & ~MULTIBOOT1_KNOWN_REQUIREMENTS);
    out->address_fields = (out->flags & MULTIBOOT1_ADDRESS_FIELDS) != 0;
    int err = out->address_fields ? parse_address_fields(p, size_bytes, out, why, why_bytes)
                                  : parse_elf32(p, size_bytes, out, why, why_bytes);
    if (err)
        return err;
    const struct multiboot1_segment *last = &out->segments[out->segment_count - 1];
    out->lowest_phys = out->segments[0].phys;
    out->end_phys = last->phys + last->mem_bytes;
    return 0;
}

int multiboot1_check_ranges(const struct multiboot1_image *img, const struct mem_region *ram,
                            size_t ram_count, const struct mem_region *own, size_t own_count, char *why,
                            size_t why_bytes)
{
    for (uint32_t i = 0; i < img->segment_count; i++) {
        const struct multiboot1_segment *s = &img->segments[i];
        unsigned long long base = s->phys, end = s->phys + s->mem_bytes;
        for (size_t o = 0; o < own_count; o++) {
            unsigned long long own_base = own[o].base_phys, own_end = own[o].base_phys + own[o].length_bytes;
            if (base < own_end && own_base < end)
                return loader_refuse(E_RANGE, why, why_bytes,
                                     "the kernel's segment 0x%llx-0x%llx collides with vmxroot's memory at "
                                     "0x%llx-0x%llx",
                                     base, end, own_base, own_end);
        }
        if (!loader_inside_usable(ram, ram_count, s->phys, s->mem_bytes))
            return loader_refuse(E_RANGE, why, why_bytes,
                                 "the kernel's segment 0x%llx-0x%llx is outside the guest's usable RAM", base,
                                 end);
    }
    return 0;
}
