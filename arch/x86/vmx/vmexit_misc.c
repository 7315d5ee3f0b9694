/*
 * The exits whose handling is one decision each: HLT, INVD/WBINVD, the VMX
 * instructions and VMCALL (#UD: vmxroot has no hypercall ABI and no nested
 * VMX), triple fault and the preemption-timer watchdog (that vCPU stops).
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_reason.h"

#define VECTOR_UD 6

/*
 * HLT: the test guest halts for good after its report; before it, a HLT
 * wakes at once (no interrupt source is given to the guest; SDM allows a
 * HLT to end on any event), so a guest that halts in a loop makes progress.
 */
enum vmexit_action vmexit_hlt(struct vcpu *vcpu)
{
    if (vcpu->reported) {
        __atomic_store_n(&vcpu->state, VCPU_HALTED, __ATOMIC_RELEASE);
        return VMEXIT_STOP;
    }
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

/* INVD would drop vmxroot's dirty lines too: both run as WBINVD. */
enum vmexit_action vmexit_cache_flush(struct vcpu *vcpu)
{
    __asm__ volatile("wbinvd" ::: "memory");
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_vmx_instruction(struct vcpu *vcpu)
{
    vcpu_inject_exception(vcpu, VECTOR_UD, false, 0);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_triple_fault(struct vcpu *vcpu)
{
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_TRIPLE_FAULT, "triple fault at guest RIP 0x%lx", rip);
    return VMEXIT_STOP;
}

enum vmexit_action vmexit_preemption_timer(struct vcpu *vcpu)
{
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_WATCHDOG,
              "watchdog: the guest ran its whole preemption-timer budget without an exit (RIP 0x%lx)", rip);
    return VMEXIT_STOP;
}
