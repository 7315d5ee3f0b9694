/*
 * Physical frame allocator: the frames of usable RAM minus reserved ranges,
 * kept as a sorted array of free ranges with fixed storage inside struct
 * pmm (no heap exists yet when it starts). Runs of 4 KiB frames are handed
 * out lowest address first (highest first with PMM_HIGHEST).
 *
 * Rules it keeps whatever the caller asks:
 * - frame 0 is never managed (a null pointer must stay invalid);
 * - memory below 1 MiB is only handed out with PMM_BELOW_1MIB, and then only
 *   below 1 MiB: it is scarce and the AP trampoline needs it (real mode);
 * - a free of frames that are not allocated (double free, reserved or never
 *   usable memory) is refused with E_INVAL and changes nothing;
 * - every failing call leaves the allocator exactly as it was.
 *
 * Not locked: pure code with no globals. The kernel's one instance lives in
 * mm/frames.c, which holds its spinlock around every call here.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include "core/lib/compiler.h"

struct boot_info;

#define PMM_FRAME_BYTES 4096u
#define PMM_MAX_RANGES 128 /* per list; a real map needs tens (OVMF: about 40 after merging) */

#define PMM_BELOW_1MIB (1u << 0) /* the whole run below 1 MiB (AP trampoline) */
#define PMM_BELOW_4GIB (1u << 1) /* the whole run below 4 GiB (CR3 loaded from 32-bit code) */
/*
 * The highest run that fits instead of the lowest: the AP trampoline's frame.
 * Under QEMU's TCG the lowest frame below 1 MiB held GRUB's last code, and
 * the first write to a page with translated code invalidates it on every
 * vCPU (about 30 ms at 255 CPUs).
 */
#define PMM_HIGHEST (1u << 2)
#define PMM_FLAGS_ALL (PMM_BELOW_1MIB | PMM_BELOW_4GIB | PMM_HIGHEST)

/* A physical range as callers pass it: the kernel image, a module, the info block. */
struct pmm_range {
    uint64_t base_phys;
    uint64_t length_bytes;
};

/* [base_phys, end_phys), 4 KiB aligned. */
struct pmm_span {
    uint64_t base_phys;
    uint64_t end_phys;
};

/* Sorted, disjoint, never touching (touching spans are merged). */
struct pmm_span_list {
    uint32_t count;
    struct pmm_span spans[PMM_MAX_RANGES];
};

struct pmm {
    uint32_t capacity;          /* spans per list: PMM_MAX_RANGES, less in tests */
    struct pmm_span_list free;  /* frames that can be handed out */
    struct pmm_span_list owned; /* free + allocated: what pmm_free may take back */
    uint64_t usable_bytes;      /* every frame ever added by pmm_add_usable */
    uint64_t reserved_bytes;    /* of those, the ones pmm_reserve took away */
    uint64_t free_bytes;
};

struct pmm_stats {
    uint64_t usable_bytes;   /* usable RAM in the map (rounded inward to 4 KiB, frame 0 left out) */
    uint64_t reserved_bytes; /* usable RAM withheld: kernel image, info block, modules, map overlaps */
    uint64_t free_bytes;
    uint64_t allocated_bytes; /* usable - reserved - free */
    uint32_t free_ranges;
};

void pmm_init(struct pmm *p);
/* For tests: lists of at most range_capacity spans (1..PMM_MAX_RANGES) to reach "table full" quickly. */
void pmm_init_with_capacity(struct pmm *p, uint32_t range_capacity);

/*
 * Adds usable RAM, edges rounded inward to 4 KiB. Frames already owned
 * (free or allocated) stay as they are. 0, or E_NOMEM when the span
 * tables could overflow (nothing added).
 */
MUST_CHECK int pmm_add_usable(struct pmm *p, uint64_t base_phys, uint64_t length_bytes);

/*
 * Takes [base, base + length) away for good, edges rounded outward to 4 KiB:
 * its frames are neither handed out nor accepted by pmm_free. Meant for
 * start-up, after the usable ranges are added. 0, or E_NOMEM (nothing changed).
 */
MUST_CHECK int pmm_reserve(struct pmm *p, uint64_t base_phys, uint64_t length_bytes);

/*
 * A run of frame_count contiguous frames starting at a multiple of
 * align_bytes (a power of two, at least 4096), lowest address first, within
 * the limits flags set. 0 and *phys_out, or E_INVAL (bad argument) or
 * E_NOMEM (no such run).
 */
MUST_CHECK int pmm_alloc(struct pmm *p, size_t frame_count, uint64_t align_bytes, unsigned flags,
                         uint64_t *phys_out);

/* Gives back frame_count frames at phys. 0, E_INVAL (not allocated: logged), E_NOMEM (span table full). */
MUST_CHECK int pmm_free(struct pmm *p, uint64_t phys, size_t frame_count);

/*
 * Builds the allocator from a parsed memory map: every usable region, then
 * every other region reserved (a stricter type wins an overlap), then the
 * info block and the modules named in *info, then reserved[0..reserved_count)
 * (the kernel image and anything else the caller keeps). 0 or E_NOMEM.
 */
MUST_CHECK int pmm_init_from_boot_info(struct pmm *p, const struct boot_info *info,
                                       const struct pmm_range *reserved, size_t reserved_count);

/*
 * vmxroot's memory in one place: keeps, of the free frames at or above
 * 1 MiB, only one run of region_bytes (4 KiB multiple) at the top of the
 * highest free span below limit_phys that holds it, aligned down to
 * 2 MiB where the span allows (so EPT can use large pages around it), and
 * takes every other free frame at or above 1 MiB away for good (it becomes
 * the guest's). Frames below 1 MiB stay as they are (the AP trampoline).
 * Meant for start-up, before any allocation above 1 MiB. 0 and *region,
 * E_INVAL (region_bytes 0 or unaligned) or E_NOMEM (no free span holds it;
 * nothing changed).
 */
int pmm_carve_top(struct pmm *p, uint64_t region_bytes, uint64_t limit_phys, struct pmm_span *region);

void pmm_get_stats(const struct pmm *p, struct pmm_stats *out);
static inline uint64_t pmm_free_bytes(const struct pmm *p) { return p->free_bytes; }
static inline uint64_t pmm_usable_bytes(const struct pmm *p) { return p->usable_bytes; }
static inline uint64_t pmm_reserved_bytes(const struct pmm *p) { return p->reserved_bytes; }

/* One debug line per free span, for a boot log at loglevel=debug. */
void pmm_log_free_spans(const struct pmm *p);

#endif
