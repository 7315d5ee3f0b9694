/*
 * The kernel's one frame allocator instance (mm/pmm.c holds the logic), under
 * a lock so every CPU can allocate. Frames come back zeroed: a VMXON region,
 * a VMCS, a page table or a stack must never start with stale bytes. With
 * FRAMES_UNZEROED the caller takes that on (the APs' stacks: 28 KiB each,
 * zeroed by each AP itself instead of one after another by the boot CPU).
 */
#ifndef MM_FRAMES_H
#define MM_FRAMES_H

#include "core/lib/compiler.h"

struct boot_info;

#define FRAMES_BELOW_1MIB (1u << 0) /* the AP trampoline: real mode reaches it */
#define FRAMES_BELOW_4GIB (1u << 1) /* page tables: CR3 loaded in 32-bit code */
#define FRAMES_HIGHEST (1u << 2)    /* the highest free run, not the lowest (mm/pmm.h: PMM_HIGHEST) */
/* Not zeroed here: the caller zeroes them before their first use (an AP its own stacks, in parallel). */
#define FRAMES_UNZEROED (1u << 3)

/*
 * region_bytes 0: every free frame is vmxroot's. Otherwise vmxroot's memory
 * is one region of region_bytes carved from the top of usable RAM below
 * 4 GiB (pmm_carve_top): every frame handed out from then on comes from
 * it, and the rest of RAM above 1 MiB is left to a guest.
 */
MUST_CHECK int frames_init(const struct boot_info *info, uint64_t region_bytes);
/* The carved region [*base, *end); false when none was carved. */
bool frames_region(uint64_t *base_phys, uint64_t *end_phys);
MUST_CHECK int frames_alloc(size_t frame_count, unsigned flags, uint64_t *phys_out);
/* Gives back frames this caller allocated; a refusal means the books are broken: panic. */
void frames_free(uint64_t phys, size_t frame_count);
uint64_t frames_total_usable_bytes(void);
uint64_t frames_free_bytes(void);
/* The end of the highest usable RAM, for the direct map. */
uint64_t frames_ram_end_phys(void);

#endif
