/*
 * A Linux bzImage as the x86 boot protocol describes it (the kernel's
 * Documentation/arch/x86/boot.rst: "The real-mode kernel header"): the setup
 * header parsed into a plain struct bzimage_info, then a plan of what goes
 * where in guest-physical memory (kernel, zero page, command line,
 * initramfs), checked against the guest's usable RAM. Nothing is copied
 * here and nothing touches hardware: the caller copies by the plan, so both
 * are unit-tested and fuzzed on the host. The zero page itself is
 * boot_params.h.
 */
#ifndef ARCH_X86_LOADER_BZIMAGE_H
#define ARCH_X86_LOADER_BZIMAGE_H

#include "core/lib/compiler.h"
#include "mm/memory_map.h"

/* Setup header offsets in the image and in the zero page (the header sits at the same offset in both). */
#define BZIMAGE_SETUP_SECTS 0x1F1
#define BZIMAGE_SYSSIZE 0x1F4
#define BZIMAGE_BOOT_FLAG 0x1FE /* 0xAA55 */
#define BZIMAGE_JUMP 0x200      /* the header ends at 0x202 + the byte at 0x201 */
#define BZIMAGE_HEADER 0x202    /* "HdrS" */
#define BZIMAGE_VERSION 0x206
#define BZIMAGE_TYPE_OF_LOADER 0x210
#define BZIMAGE_LOADFLAGS 0x211
#define BZIMAGE_CODE32_START 0x214
#define BZIMAGE_RAMDISK_IMAGE 0x218
#define BZIMAGE_RAMDISK_SIZE 0x21C
#define BZIMAGE_CMD_LINE_PTR 0x228
#define BZIMAGE_INITRD_ADDR_MAX 0x22C
#define BZIMAGE_KERNEL_ALIGNMENT 0x230
#define BZIMAGE_RELOCATABLE 0x234
#define BZIMAGE_MIN_ALIGNMENT 0x235
#define BZIMAGE_XLOADFLAGS 0x236
#define BZIMAGE_CMDLINE_SIZE 0x238
#define BZIMAGE_HARDWARE_SUBARCH 0x23C
#define BZIMAGE_PREF_ADDRESS 0x258
#define BZIMAGE_INIT_SIZE 0x260
#define BZIMAGE_HEADER_LIMIT 0x290 /* the zero page's next field (edd_mbr_sig_buffer) */

#define BZIMAGE_MAGIC 0x53726448u /* "HdrS" */
/* 2.12: xloadflags, so the 64-bit entry and loading above 4 GiB can be asked for. */
#define BZIMAGE_MIN_VERSION 0x020C

#define BZIMAGE_LOADED_HIGH (1u << 0) /* loadflags: the protected-mode kernel runs at 1 MiB or above */
#define BZIMAGE_XLF_KERNEL_64 (1u << 0)
#define BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)

struct bzimage_info {
    uint16_t version;      /* protocol version: 0x020F is 2.15 */
    uint32_t setup_bytes;  /* the real-mode part: (setup_sects + 1) * 512 */
    uint64_t kernel_bytes; /* the protected-mode kernel: syssize * 16, from setup_bytes in the file */
    uint32_t header_end;   /* the setup header is [0x1F1, header_end) */
    uint8_t loadflags;
    uint16_t xloadflags;
    bool relocatable;
    uint32_t kernel_alignment_bytes; /* a power of two */
    uint32_t min_alignment_bytes;    /* a power of two, at most kernel_alignment_bytes */
    uint64_t pref_address;           /* where a non-relocatable kernel must go */
    uint32_t init_size_bytes;        /* what the kernel needs from its load address, at least kernel_bytes */
    uint32_t cmdline_max_bytes;      /* cmdline_size: the longest command line, without its NUL */
    uint32_t initrd_addr_max;        /* the highest address the initramfs's last byte may have */
    bool entry_64;                   /* XLF_KERNEL_64: a 64-bit entry at the load address + 0x200 */
    bool above_4g;                   /* XLF_CAN_BE_LOADED_ABOVE_4G */
};

/*
 * Parses and checks the setup header of image (size_bytes long). 0, or:
 * E_INVAL (not a bzImage: too short for a header, no "HdrS" magic or boot
 * flag, a header end past the zero page's field, an alignment that is not
 * a power of two, init_size smaller than the kernel), E_NOTSUP (protocol
 * older than 2.12, no LOADED_HIGH: a zImage), E_RANGE (the module is
 * shorter than the kernel its header declares: truncated). why gets the
 * reason in words ("no \"HdrS\" magic at 0x202: not a bzImage").
 */
MUST_CHECK int bzimage_parse(const void *image, size_t size_bytes, struct bzimage_info *out, char *why,
                             size_t why_bytes);

/* Where everything goes: guest-physical addresses, each range 4 KiB-aligned, none overlapping. */
struct bzimage_plan {
    uint64_t kernel_phys;          /* the protected-mode kernel, copied from image + setup_bytes */
    uint64_t kernel_reserve_bytes; /* init_size rounded up: the kernel's own from kernel_phys */
    uint64_t entry32_phys;         /* 32-bit entry (flat protected mode, paging off, ESI = zero page) */
    uint64_t entry64_phys;         /* 64-bit entry (RSI = zero page), 0 without XLF_KERNEL_64 */
    uint64_t boot_params_phys;     /* the zero page, 4 KiB */
    uint64_t cmdline_phys;         /* the command line, cmdline_bytes with its NUL */
    uint32_t cmdline_bytes;
    uint64_t initrd_phys; /* 0 when there is none */
    uint64_t initrd_bytes;
};

/*
 * Places the kernel, the zero page with the command line after it, and the
 * initramfs in the usable regions of ram (normalized: sorted, not
 * overlapping): the kernel at pref_address when it fits there, else (when
 * relocatable) at the lowest kernel_alignment-aligned address at or above
 * 16 MiB that fits, below 4 GiB; the zero page in the lowest usable pages
 * at or above 64 KiB outside the kernel; the initramfs as high as fits
 * below initrd_addr_max and 4 GiB. E_RANGE when the command line is longer
 * than cmdline_max_bytes; E_NOMEM when a piece does not fit, with why naming
 * it and its size.
 */
MUST_CHECK int bzimage_plan(const struct bzimage_info *info, const struct mem_region *ram, size_t ram_count,
                            uint32_t cmdline_bytes, uint64_t initrd_bytes, struct bzimage_plan *out,
                            char *why, size_t why_bytes);

#endif
