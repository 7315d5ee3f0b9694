/*
 * CPUID (exit 10, always exits in VMX non-root operation): the processor's
 * answer through guest_cpuid_filter(). The hot path of every guest: no
 * logging, two VMREADs and one VMWRITE besides the instruction itself.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"

enum vmexit_action vmexit_cpuid(struct vcpu *vcpu)
{
    uint32_t leaf = (uint32_t)vcpu->regs.rax, subleaf = (uint32_t)vcpu->regs.rcx;
    struct cpuid_regs regs =
        guest_cpuid_is_hypervisor_leaf(leaf)
            ? guest_cpuid_hypervisor_leaf(&vcpu->cpuid_context, leaf)
            : guest_cpuid_filter(&vcpu->cpuid_context, leaf, subleaf, cpuid(leaf, subleaf));
    vcpu->regs.rax = regs.eax;
    vcpu->regs.rbx = regs.ebx;
    vcpu->regs.rcx = regs.ecx;
    vcpu->regs.rdx = regs.edx;
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}
