/* The vCPU's cached translations dropped on this CPU (vcpu_invalidate.h). */
#include "arch/x86/vmx/vcpu_invalidate.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

#define VPID_CAP_INVVPID (1ull << 32)
#define VPID_CAP_INVVPID_SINGLE_CONTEXT (1ull << 41)
#define VPID_CAP_INVVPID_ALL_CONTEXT (1ull << 42)
#define INVALIDATION_SINGLE_CONTEXT 1
#define INVALIDATION_ALL_CONTEXT 2

/*
 * SDM "Guidelines for Use of the INVEPT Instruction" / "... INVVPID ...":
 * before a space or a VPID is used, and whenever ept_invalidation_needed()
 * says a present entry changed, this CPU drops what it may have cached for
 * them (single-context where supported, else all-context).
 */
int vcpu_invalidate_translations(struct vcpu *vcpu, char *why, size_t why_bytes)
{
    uint64_t cap = vmx_boot_caps()->ept_vpid_cap;
    struct vmx_outcome outcome = vmx_outcome_succeed();
    const char *insn = "INVEPT";
    if (cap & EPT_CAP_INVEPT) {
        uint64_t type =
            (cap & EPT_CAP_INVEPT_SINGLE_CONTEXT) ? INVALIDATION_SINGLE_CONTEXT : INVALIDATION_ALL_CONTEXT;
        outcome = vmx_invept(type, (struct vmx_invalidation_descriptor){ ept_pointer(&vcpu->ept), 0 });
    }
    if (vmx_succeeded(outcome) && vcpu->vpid &&
        (vcpu->controls->value[VMX_CONTROL_SECONDARY] & PROC2_ENABLE_VPID) && (cap & VPID_CAP_INVVPID)) {
        insn = "INVVPID";
        uint64_t type =
            (cap & VPID_CAP_INVVPID_SINGLE_CONTEXT) ? INVALIDATION_SINGLE_CONTEXT : INVALIDATION_ALL_CONTEXT;
        outcome = vmx_invvpid(type, (struct vmx_invalidation_descriptor){ vcpu->vpid, 0 });
    }
    if (vmx_succeeded(outcome)) {
        ept_invalidation_done(&vcpu->ept);
        return 0;
    }
    char text[VMX_OUTCOME_TEXT_BYTES];
    vmx_outcome_format(outcome, text, sizeof text);
    format(why, why_bytes, "%s failed: %s", insn, text);
    return E_VMX;
}
