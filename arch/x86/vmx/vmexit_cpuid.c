/*
 * CPUID's handler (vmexit_cpuid.h has its hot path). CPUID.1:ECX.OSXSAVE
 * mirrors CR4.OSXSAVE of the CPU that executes CPUID, which is vmxroot's
 * (set for XSETBV): the guest's own CR4 decides it instead (SDM: "CPUID",
 * OSXSAVE), or a guest whose kernel left XSAVE off sees OSXSAVE and its
 * XGETBV raises #UD.
 */
#include "arch/x86/vmx/vmexit_cpuid.h"
#include "arch/x86/vmx/vmexit_dispatch.h"

#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_OSXSAVE_CR4 (1ull << 18) /* CR4.OSXSAVE */

enum vmexit_action vmexit_cpuid_filtered(struct vcpu *vcpu, uint32_t leaf, uint32_t subleaf,
                                         struct cpuid_regs regs)
{
    regs = guest_cpuid_filter(&vcpu->cpuid_context, leaf, subleaf, regs);
    if (leaf == 1) {
        bool osxsave = vcpu_read_field(vcpu, VMCS_GUEST_CR4) & CPUID1_ECX_OSXSAVE_CR4;
        regs.ecx = osxsave ? regs.ecx | CPUID1_ECX_OSXSAVE : regs.ecx & ~CPUID1_ECX_OSXSAVE;
    }
    return vmexit_cpuid_answer(vcpu, regs);
}

enum vmexit_action vmexit_cpuid(struct vcpu *vcpu) { return vmexit_cpuid_inline(vcpu); }
