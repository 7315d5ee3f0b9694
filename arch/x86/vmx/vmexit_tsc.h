/* The TSC MSRs of vm0's vCPUs on their TSC offset (vmexit_tsc.c); called from the RDMSR/WRMSR exits. */
#ifndef ARCH_X86_VMX_VMEXIT_TSC_H
#define ARCH_X86_VMX_VMEXIT_TSC_H

#include "arch/x86/vmx/vcpu.h"

/* IA32_TSC or IA32_TSC_ADJUST as the guest sees it: true and *value, or false (not one of them). */
bool vmexit_tsc_read(struct vcpu *vcpu, uint32_t msr, uint64_t *value);
/* A write of IA32_TSC, IA32_TSC_ADJUST or IA32_TSC_DEADLINE: true when done, false (not one of them). */
bool vmexit_tsc_write(struct vcpu *vcpu, uint32_t msr, uint64_t value);

#endif
