/*
 * Building this CPU's vCPU (vcpu_create.c): above the generic vCPU, the
 * guest kinds and the exit policies, so that none of those includes it.
 */
#ifndef ARCH_X86_VMX_VCPU_CREATE_H
#define ARCH_X86_VMX_VCPU_CREATE_H

#include "arch/x86/vmx/vcpu.h"

/* Builds this CPU's vCPU (memory, EPT, bitmaps, VMCS image, VMPTRLD). 0 or E_* with why. */
int vcpu_create(struct vcpu *vcpu, const struct guest_options *opts, const struct vmx_controls *controls,
                enum vmcs_entry_mode mode, char *why, size_t why_bytes);

#endif
