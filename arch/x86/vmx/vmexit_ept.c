/*
 * EPT violation (exit 48) and misconfiguration (exit 49): the guest touched
 * memory its space does not give it, or an entry vmxroot built is invalid.
 * Either way that vCPU stops, naming the guest-physical address and the
 * access (SDM: "Exit Qualification for EPT Violations").
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/linux_power_mmio.h"
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/vapic_x2apic.h"

#define EPT_VIOLATION_WRITE (1ull << 1)
#define EPT_VIOLATION_FETCH (1ull << 2)

struct vmx_ept_violation vmexit_ept_violation_read(struct vcpu *vcpu, uint64_t *gpa, char *text,
                                                   size_t text_bytes)
{
    *gpa = vcpu_read_field(vcpu, VMCS_GUEST_PHYSICAL_ADDRESS);
    uint64_t gla = vcpu_read_field(vcpu, VMCS_GUEST_LINEAR_ADDRESS);
    struct vmx_ept_violation violation = vmx_ept_violation_decode(vcpu->exit_qualification);
    vmx_ept_violation_format(&violation, *gpa, gla, text, text_bytes);
    return violation;
}

enum vmexit_action vmexit_ept_violation(struct vcpu *vcpu)
{
    if (vcpu->kind_ops->ept_violation)
        return vcpu->kind_ops->ept_violation(vcpu); /* the hostile guest: counted, #GP, goes on */
    uint64_t gpa = vcpu_read_field(vcpu, VMCS_GUEST_PHYSICAL_ADDRESS);
    /* vm0's local APIC page is read-only to it, or not there: each access that exits is vmxroot's (vapic_x2apic.h). */
    if (guest_kind_is_vm0(vcpu->kind) && !(vcpu->exit_qualification & EPT_VIOLATION_FETCH) &&
        (gpa & ~0xFFFull) == vapic_apic_phys())
        return vapic_access(vcpu, gpa);
    /* So are the pages of the FADT's power registers in memory space (linux_power_mmio.h). */
    if (guest_kind_is_vm0(vcpu->kind) && (vcpu->exit_qualification & EPT_VIOLATION_WRITE) &&
        linux_power_mmio_page(gpa & ~0xFFFull))
        return linux_power_mmio_write(vcpu, gpa);
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    char text[192];
    (void)vmexit_ept_violation_read(vcpu, &gpa, text, sizeof text);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "EPT violation: %s, guest RIP 0x%lx", text, rip);
    return VMEXIT_STOP;
}

enum vmexit_action vmexit_ept_misconfiguration(struct vcpu *vcpu)
{
    uint64_t gpa = vcpu_read_field(vcpu, VMCS_GUEST_PHYSICAL_ADDRESS);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
              "EPT misconfiguration at guest-physical 0x%lx: an EPT entry vmxroot built is invalid", gpa);
    return VMEXIT_STOP;
}
