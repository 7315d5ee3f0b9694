/*
 * vm0's writes to the pages of the FADT's power registers that are in
 * memory space (linux_power_mmio.c): read-only in its EPT, each store
 * exits and is done, or ends vm0, here.
 */
#ifndef ARCH_X86_VMX_LINUX_POWER_MMIO_H
#define ARCH_X86_VMX_LINUX_POWER_MMIO_H

#include "arch/x86/vmx/vmexit_dispatch.h"

/* Whether page_phys (4 KiB aligned) holds one of vm0's power registers in memory space. */
bool linux_power_mmio_page(uint64_t page_phys);
/* An EPT violation on a write to such a page at gpa: the store done (resume) or vm0 ended (stop). */
enum vmexit_action linux_power_mmio_write(struct vcpu *vcpu, uint64_t gpa);

#endif
