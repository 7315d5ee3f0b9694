/*
 * A multiboot1 kernel as the Multiboot Specification (version 0.6.96)
 * describes it: "OS image format" (the header in the first 8 KiB, its
 * checksum, flags and address fields), loaded from its ELF32 program
 * headers or by the header's address fields, and "Boot information format"
 * (the block EBX points at: memory sizes, command line, modules, memory
 * map). Parsed into a plain struct multiboot1_image, checked against the
 * guest's memory map, the information block planned and built into a
 * buffer: nothing is copied here and nothing touches hardware, so all of it
 * is unit-tested and fuzzed on the host. The caller (the multiboot1 guest,
 * arch/x86/vmx/multiboot1_guest.c) copies by the plan.
 */
#ifndef ARCH_X86_LOADER_MULTIBOOT1_H
#define ARCH_X86_LOADER_MULTIBOOT1_H

#include "core/lib/compiler.h"
#include "mm/memory_map.h"

#define MULTIBOOT1_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2BADB002u /* EAX at the kernel's entry */
#define MULTIBOOT1_SEARCH_BYTES 8192u           /* the header lies within the image's first 8 KiB */

/* Header flags, bits 0-15 are requirements a loader must meet or refuse the image. */
#define MULTIBOOT1_PAGE_ALIGN (1u << 0)      /* modules 4 KiB-aligned: always so here */
#define MULTIBOOT1_MEMORY_INFO (1u << 1)     /* mem_* and the memory map: always given here */
#define MULTIBOOT1_VIDEO_MODE (1u << 2)      /* a video mode: not supported, refused */
#define MULTIBOOT1_ADDRESS_FIELDS (1u << 16) /* load by header_addr..entry_addr, not by the ELF headers */
#define MULTIBOOT1_KNOWN_REQUIREMENTS (MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO)

#define MULTIBOOT1_MAX_SEGMENTS 8

/* One piece of the kernel: file_bytes from the image at file_offset, then zeros up to mem_bytes. */
struct multiboot1_segment {
    uint64_t file_offset;
    uint64_t file_bytes;
    uint64_t phys;
    uint64_t mem_bytes; /* at least file_bytes, never 0 */
};

struct multiboot1_image {
    uint32_t header_offset; /* where the magic is */
    uint32_t flags;
    bool address_fields; /* loaded by the header's address fields (flag 16), else by ELF32 program headers */
    uint32_t entry_phys;
    uint32_t segment_count;
    struct multiboot1_segment segments[MULTIBOOT1_MAX_SEGMENTS]; /* by address, not overlapping */
    uint64_t lowest_phys, end_phys;                              /* the span of every segment */
};

/* Whether image has a multiboot1 header (magic, checksum) in its first 8 KiB: guest=auto's test. */
bool multiboot1_detect(const void *image, size_t size_bytes);

/*
 * Finds and checks the header, then reads the segments and the entry point.
 * 0, or: E_INVAL (no header, a bad checksum, not an ELF32 i386 executable,
 * segments that overlap or end above 4 GiB, an entry outside every
 * segment, address fields that contradict each other), E_NOTSUP (a
 * requirement flag vmxroot does not meet: a video mode, unknown bits; ELF64;
 * more than MULTIBOOT1_MAX_SEGMENTS), E_RANGE (the image is shorter than
 * its headers say: truncated). why gets the reason in words.
 */
MUST_CHECK int multiboot1_parse(const void *image, size_t size_bytes, struct multiboot1_image *out, char *why,
                                size_t why_bytes);

/*
 * Every segment inside one usable region of ram (the guest's map, vmxroot's
 * ranges already reserved in it) and clear of own (vmxroot's ranges, named
 * in the message): 0, or E_RANGE with why naming the segment and what it
 * hits.
 */
MUST_CHECK int multiboot1_check_ranges(const struct multiboot1_image *img, const struct mem_region *ram,
                                       size_t ram_count, const struct mem_region *own, size_t own_count,
                                       char *why, size_t why_bytes);

/* The information block's offsets ("Boot information format") and flags. */
#define MULTIBOOT1_INFO_FLAGS 0
#define MULTIBOOT1_INFO_MEM_LOWER 4
#define MULTIBOOT1_INFO_MEM_UPPER 8
#define MULTIBOOT1_INFO_CMDLINE 16
#define MULTIBOOT1_INFO_MODS_COUNT 20
#define MULTIBOOT1_INFO_MODS_ADDR 24
#define MULTIBOOT1_INFO_MMAP_LENGTH 44
#define MULTIBOOT1_INFO_MMAP_ADDR 48
#define MULTIBOOT1_INFO_BOOT_LOADER_NAME 64
#define MULTIBOOT1_INFO_BYTES 116
#define MULTIBOOT1_INFO_HAS_MEMORY (1u << 0)
#define MULTIBOOT1_INFO_HAS_CMDLINE (1u << 2)
#define MULTIBOOT1_INFO_HAS_MODS (1u << 3)
#define MULTIBOOT1_INFO_HAS_MMAP (1u << 6)
#define MULTIBOOT1_INFO_HAS_LOADER_NAME (1u << 9)
#define MULTIBOOT1_MMAP_ENTRY_BYTES 24u /* the size field (20) and the 20 bytes it counts */
#define MULTIBOOT1_MODULE_BYTES 16u

/* One range the information block and the module must stay out of (the kernel, the modules' old copies). */
struct multiboot1_busy {
    uint64_t base, end;
};

struct multiboot1_info_input {
    const struct mem_region *map; /* the guest's map (normalized, vmxroot's ranges reserved): the mmap */
    size_t map_count;
    const struct multiboot1_image *image; /* parsed and checked against map */
    const char *cmdline;                  /* the kernel's command line */
    const char *loader_name;
    bool has_module;
    uint64_t module_bytes;
    const char *module_string;
    const struct multiboot1_busy *busy; /* where GRUB's modules still are: the copies go elsewhere */
    size_t busy_count;
};

/* Where the block and the module go (guest-physical, 4 KiB-aligned) and the memory sizes. */
struct multiboot1_info_plan {
    uint64_t block_phys; /* the information block, then the map, module list and strings */
    uint64_t block_bytes;
    uint64_t module_phys; /* 0 without a module */
    uint32_t mem_lower_kib;
    uint32_t mem_upper_kib;
};

/*
 * The sizes and the placement. mem_lower is the usable RAM from 0 (at most
 * 640 KiB); mem_upper is the usable run the kernel is loaded in, counted
 * from 1 MiB to its end: vmxroot's image at 1 MiB is a hole the spec's
 * mem_upper would stop at, but a kernel that allocates from its own end up
 * to mem_upper (kvm-unit-tests does, ignoring the map) must stop below
 * vmxroot's region, and the map says the rest exactly. The block goes in
 * the lowest usable pages at or above 64 KiB and below 640 KiB outside the
 * busy ranges, the module after it when it fits there, else as high as fits
 * in that run below 4 GiB (E_NOMEM when nothing fits, with why).
 */
MUST_CHECK int multiboot1_info_plan(const struct multiboot1_info_input *in, struct multiboot1_info_plan *out,
                                    char *why, size_t why_bytes);

/* Fills block (plan->block_bytes, zeroed first) as the kernel reads it at plan->block_phys. */
void multiboot1_info_build(const struct multiboot1_info_input *in, const struct multiboot1_info_plan *plan,
                           uint8_t *block);

#endif
