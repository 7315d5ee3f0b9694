/*
 * The kernel's one frame allocator instance (mm/pmm.c holds the logic), under
 * a lock so every CPU can allocate. Frames come back zeroed: a VMXON region,
 * a VMCS, a page table or a stack must never start with stale bytes.
 */
#ifndef MM_FRAMES_H
#define MM_FRAMES_H

#include "core/lib/compiler.h"

struct boot_info;

#define FRAMES_BELOW_1MIB (1u << 0) /* the AP trampoline: real mode reaches it */
#define FRAMES_BELOW_4GIB (1u << 1) /* page tables: CR3 loaded in 32-bit code */

MUST_CHECK int frames_init(const struct boot_info *info);
MUST_CHECK int frames_alloc(size_t frame_count, unsigned flags, uint64_t *phys_out);
/* Gives back frames this caller allocated; a refusal means the books are broken: panic. */
void frames_free(uint64_t phys, size_t frame_count);
uint64_t frames_total_usable_bytes(void);
uint64_t frames_free_bytes(void);
/* The end of the highest usable RAM, for the direct map. */
uint64_t frames_ram_end_phys(void);

#endif
