/*
 * CPUID (exit 10, always exits in VMX non-root operation): the processor's
 * answer through guest_cpuid_filter(). The hot path of every guest: no
 * logging, two VMREADs and one VMWRITE besides the instruction itself
 * (a third for leaf 1). CPUID.1:ECX.OSXSAVE mirrors CR4.OSXSAVE of the CPU
 * that executes CPUID, which is vmxroot's (set for XSETBV): the guest's own
 * CR4 decides it instead (SDM: "CPUID", OSXSAVE), or a guest whose kernel
 * left XSAVE off sees OSXSAVE and its XGETBV raises #UD.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"

#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_OSXSAVE_CR4 (1ull << 18) /* CR4.OSXSAVE */

/* The guest's registers from regs, then past the instruction: one copy for both paths below. */
static inline __attribute__((always_inline)) enum vmexit_action answer(struct vcpu *vcpu,
                                                                       struct cpuid_regs regs)
{
    vcpu->regs.rax = regs.eax;
    vcpu->regs.rbx = regs.ebx;
    vcpu->regs.rcx = regs.ecx;
    vcpu->regs.rdx = regs.edx;
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_cpuid(struct vcpu *vcpu)
{
    uint32_t leaf = (uint32_t)vcpu->regs.rax, subleaf = (uint32_t)vcpu->regs.rcx;
    /* vmxroot's own leaves first: no question to the processor, no leaf-1 fix-up on this path. */
    if (guest_cpuid_is_hypervisor_leaf(leaf))
        return answer(vcpu, guest_cpuid_hypervisor_leaf(&vcpu->cpuid_context, leaf));
    struct cpuid_regs regs = cpuid(leaf, subleaf);
    /* Most leaves are the processor's answer as it is: no call to the filter on their path. */
    if (!guest_cpuid_leaf_filtered(leaf))
        return answer(vcpu, regs);
    regs = guest_cpuid_filter(&vcpu->cpuid_context, leaf, subleaf, regs);
    if (leaf == 1) {
        bool osxsave = vcpu_read_field(vcpu, VMCS_GUEST_CR4) & CPUID1_ECX_OSXSAVE_CR4;
        regs.ecx = osxsave ? regs.ecx | CPUID1_ECX_OSXSAVE : regs.ecx & ~CPUID1_ECX_OSXSAVE;
    }
    return answer(vcpu, regs);
}
