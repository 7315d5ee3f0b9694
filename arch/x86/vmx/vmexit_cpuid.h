/*
 * CPUID (exit 10, always exits in VMX non-root operation): the processor's
 * answer through guest_cpuid_filter(). The hot path of every guest, inline
 * in two places: the dispatch table's vmexit_cpuid (vmexit_cpuid.c) and the
 * run loop's short path for CPUID (vcpu_run.c). No logging, no call for a
 * leaf the filter leaves as the processor gives it or one of vmxroot's own;
 * the filtered leaves (1, 7, 0xD, 0x80000001) go out of line.
 */
#ifndef ARCH_X86_VMX_VMEXIT_CPUID_H
#define ARCH_X86_VMX_VMEXIT_CPUID_H

#include "arch/x86/vmx/vcpu.h"

/* The guest's registers from regs, then past the instruction: one copy for every path. */
static inline __attribute__((always_inline)) enum vmexit_action vmexit_cpuid_answer(struct vcpu *vcpu,
                                                                                    struct cpuid_regs regs)
{
    vcpu->regs.rax = regs.eax;
    vcpu->regs.rbx = regs.ebx;
    vcpu->regs.rcx = regs.ecx;
    vcpu->regs.rdx = regs.edx;
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

/* A leaf the filter changes (guest_cpuid_leaf_filtered): the filter, leaf 1's OSXSAVE, the answer. */
enum vmexit_action vmexit_cpuid_filtered(struct vcpu *vcpu, uint32_t leaf, uint32_t subleaf,
                                         struct cpuid_regs regs);

static inline __attribute__((always_inline)) enum vmexit_action vmexit_cpuid_inline(struct vcpu *vcpu)
{
    uint32_t leaf = (uint32_t)vcpu->regs.rax, subleaf = (uint32_t)vcpu->regs.rcx;
    /* vmxroot's own leaves first: no question to the processor, no leaf-1 fix-up on this path. */
    if (guest_cpuid_is_hypervisor_leaf(leaf))
        return vmexit_cpuid_answer(vcpu, guest_cpuid_hypervisor_leaf(&vcpu->cpuid_context, leaf));
    struct cpuid_regs regs = cpuid(leaf, subleaf);
    if (__builtin_expect(guest_cpuid_leaf_filtered(leaf), 0))
        return vmexit_cpuid_filtered(vcpu, leaf, subleaf, regs);
    /* Most leaves are the processor's answer as it is: no call to the filter on their path. */
    return vmexit_cpuid_answer(vcpu, regs);
}

#endif
