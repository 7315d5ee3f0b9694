/*
 * A pass-through guest-physical space on this machine (the Linux guest's and
 * the hostile guest's, docs/guests.md): vmxroot's own memory as such a guest
 * must not see it (its image and its one region, where everything it
 * allocates lives) and the space built from it by ept_passthrough_build with
 * this CPU's MTRR types. The pure layout is ept_passthrough.h.
 */
#ifndef ARCH_X86_VMX_PASSTHROUGH_SPACE_H
#define ARCH_X86_VMX_PASSTHROUGH_SPACE_H

#include "arch/x86/vmx/ept.h"
#include "mm/memory_map.h"

/* vmxroot's image and its carved region (when there is one) into own[]: how many (at most 2). */
size_t passthrough_own_ranges(struct mem_region *own);

/*
 * An empty space in *space, then gpa = hpa for all memory and MMIO up to
 * 4 GiB or the end of RAM, without the own ranges, the status area
 * read-only: 0 or the first E_* (the space may then be partly built).
 */
MUST_CHECK int passthrough_space_build(struct ept_space *space, const struct mem_region *own,
                                       size_t own_count, uint64_t status_phys, uint64_t status_bytes);

#endif
