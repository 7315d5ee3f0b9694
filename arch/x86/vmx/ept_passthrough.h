/*
 * The pass-through EPT layout of a guest that owns the machine (a Linux
 * guest started from a GRUB module, like a Xen dom0): guest-physical equals
 * host-physical for all memory and MMIO in [0, end), with the host's MTRR
 * memory types, except vmxroot's own ranges, which are not mapped (a guest
 * access to them is an EPT violation that names the address), and the
 * status page, which is mapped read-only at its own address. Built on
 * arch/x86/vmx/ept.h; pure, host-tested.
 */
#ifndef ARCH_X86_VMX_EPT_PASSTHROUGH_H
#define ARCH_X86_VMX_EPT_PASSTHROUGH_H

#include "arch/x86/vmx/ept.h"
#include "mm/memory_map.h"

struct ept_passthrough {
    uint64_t end_phys; /* identity-mapped below this (4 KiB-aligned): RAM end or 4 GiB, or more for MMIO */
    const struct mem_region *own; /* vmxroot's memory: never mapped (types ignored) */
    size_t own_count;
    uint64_t status_phys; /* the status page(s), mapped read-only; 0 for none */
    uint64_t status_bytes;
    const struct mtrr_map *mtrr; /* the host's MTRRs */
};

/*
 * Builds the layout in an empty space. 0, or the first error of the EPT
 * calls (E_INVAL for an own or status range that is not 4 KiB-aligned,
 * E_RANGE past end_phys or the physical-address width, E_NOMEM); the space
 * may then be partly built: destroy it.
 */
MUST_CHECK int ept_passthrough_build(struct ept_space *space, const struct ept_passthrough *layout);

#endif
