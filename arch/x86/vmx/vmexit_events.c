/*
 * Events: NMIs and external interrupts belong to vmxroot (pin-based "NMI
 * exiting" and "external-interrupt exiting"), so an IPI or the panic NMI
 * reaches it while a guest runs; INIT and SIPI move the vCPU through the
 * wait-for-SIPI activity state (SDM: "INIT Signal", "Start-up IPI").
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmx_cpu.h"

#define INTERRUPTION_TYPE_NMI 2
#define ACTIVITY_ACTIVE 0
#define ACTIVITY_WAIT_FOR_SIPI 3

enum vmexit_action vmexit_exception_or_nmi(struct vcpu *vcpu)
{
    uint64_t info = vcpu_read_field(vcpu, VMCS_VM_EXIT_INTERRUPTION_INFO);
    if (((info >> 8) & 7) == INTERRUPTION_TYPE_NMI) {
        /* The NMI was vmxroot's (a panic stop): run its handler here, as if it had come now. */
        __asm__ volatile("int $2" ::: "memory");
        return VMEXIT_RESUME;
    }
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "exception vector %lu in the guest at RIP 0x%lx (no exception is set to exit)", info & 0xff,
              rip);
    return VMEXIT_STOP;
}

/* The interrupt is still pending at the local APIC ("acknowledge interrupt on exit" is off): take it here. */
enum vmexit_action vmexit_external_interrupt(struct vcpu *vcpu)
{
    __asm__ volatile("sti; nop; cli" ::: "memory");
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_init_signal(struct vcpu *vcpu)
{
    vcpu_write_field(vcpu, VMCS_GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_FOR_SIPI);
    vcpu->recheck_entry = true;
    return VMEXIT_RESUME;
}

/* SDM "Start-up IPI": real mode at vector << 12 (CS selector vector << 8), RIP 0. */
enum vmexit_action vmexit_sipi(struct vcpu *vcpu)
{
    uint32_t vector = (uint32_t)(vcpu->exit_qualification & 0xff);
    char why[160];
    struct vmcs_guest_entry entry = { .mode = VMCS_ENTRY_REAL_MODE, .rip = 0, .rsp = 0 };
    if (vmcs_setup_guest(&vcpu->image, vmx_boot_caps(), vcpu->controls, &entry, why, sizeof why) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_HANDLER_ERROR, "SIPI: %s", why);
        return VMEXIT_STOP;
    }
    vmcs_image_set(&vcpu->image, VMCS_GUEST_CS_SELECTOR, vector << 8);
    vmcs_image_set(&vcpu->image, VMCS_GUEST_CS_BASE, (uint64_t)vector << 12);
    uint64_t entry_controls = vcpu_read_field(vcpu, VMCS_VM_ENTRY_CONTROLS);
    vmcs_image_set(&vcpu->image, VMCS_VM_ENTRY_CONTROLS, entry_controls & ~(uint64_t)ENTRY_IA32E_MODE_GUEST);
    if (vmcs_image_load(&vcpu->image) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_HANDLER_ERROR, "SIPI: the new guest state could not be written");
        return VMEXIT_STOP;
    }
    vcpu->regs.host_rsp = 0; /* the loop wrote the image's HOST_RSP too: vmx_enter writes its own again */
    vcpu->mode = VMCS_ENTRY_REAL_MODE;
    vcpu->recheck_entry = true;
    return VMEXIT_RESUME;
}
