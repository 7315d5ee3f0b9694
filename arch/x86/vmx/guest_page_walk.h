/*
 * A guest's linear address to its guest-physical address through the
 * guest's own page tables (SDM: "4-Level Paging and 5-Level Paging", "PAE
 * Paging", "32-Bit Paging"), read through a callback: what an exit handler
 * needs to fetch the instruction at the guest's RIP. Only translates (no
 * access rights checked, no accessed or dirty bit set). Pure: host-tested.
 */
#ifndef ARCH_X86_VMX_GUEST_PAGE_WALK_H
#define ARCH_X86_VMX_GUEST_PAGE_WALK_H

#include "core/lib/compiler.h"

struct guest_paging {
    uint64_t cr0, cr3, cr4, efer;
    /* 0 and the 8 (or, for 32-bit paging, 4) bytes at gpa; a negative E_* when gpa is not readable RAM. */
    int (*read_gpa)(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value);
    void *ctx;
};

/* 0 and *gpa; E_NOENT (an entry not present), E_NOTSUP (5-level paging), or read_gpa's error. */
MUST_CHECK int guest_page_walk(const struct guest_paging *paging, uint64_t linear, uint64_t *gpa);

#endif
