/*
 * Events: NMIs and external interrupts belong to vmxroot (pin-based "NMI
 * exiting" and "external-interrupt exiting"), so an IPI or the panic NMI
 * reaches it while a guest runs; INIT and SIPI move the vCPU through the
 * wait-for-SIPI activity state (SDM: "INIT Signal", "Start-up IPI").
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/cr.h"

#define INTERRUPTION_TYPE_NMI 2
#define ACTIVITY_ACTIVE 0
#define ACTIVITY_WAIT_FOR_SIPI 3

#define INTERRUPTIBILITY_BLOCKING (0xfull) /* STI, MOV SS, SMI, NMI */
#define NMI_INJECTION ((2u) | (INTERRUPTION_TYPE_NMI << 8) | (1u << 31))

/* The guest's NMI, into the guest: now if it can take one, else at its NMI window (SDM: "NMI-Window Exiting"). */
static void reinject_nmi(struct vcpu *vcpu)
{
    uint64_t blocking = vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE);
    bool window = vcpu->controls->value[VMX_CONTROL_PINBASED] & PIN_VIRTUAL_NMIS;
    if ((blocking & INTERRUPTIBILITY_BLOCKING) && window) {
        uint64_t proc = vcpu_read_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL);
        vcpu_write_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL, proc | PROC_NMI_WINDOW_EXITING);
        return;
    }
    vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, NMI_INJECTION);
}

enum vmexit_action vmexit_nmi_window(struct vcpu *vcpu)
{
    uint64_t proc = vcpu_read_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL);
    vcpu_write_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL, proc & ~(uint64_t)PROC_NMI_WINDOW_EXITING);
    vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, NMI_INJECTION);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_exception_or_nmi(struct vcpu *vcpu)
{
    uint64_t info = vcpu_read_field(vcpu, VMCS_VM_EXIT_INTERRUPTION_INFO);
    if (((info >> 8) & 7) == INTERRUPTION_TYPE_NMI && guest_kind_is_vm0(vcpu->kind) && !ipi_stopping()) {
        /* Not the panic stop: vmxroot's INIT for this vCPU (vapic_icr.c), or the guest's own (a Linux NMI IPI). */
        cpu_iret_to_self();
        enum vmexit_action action;
        if (vapic_nmi_exit(vcpu, &action))
            return action;
        reinject_nmi(vcpu);
        return VMEXIT_RESUME;
    }
    if (((info >> 8) & 7) == INTERRUPTION_TYPE_NMI) {
        /* The NMI was vmxroot's (a panic stop): run its handler here, as if it had come now. */
        __asm__ volatile("int $2" ::: "memory");
        return VMEXIT_RESUME;
    }
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
              "exception vector %lu in the guest at RIP 0x%lx (no exception is set to exit)", info & 0xff,
              rip);
    return VMEXIT_STOP;
}

/* The interrupt is still pending at the local APIC ("acknowledge interrupt on exit" is off): take it here. */
enum vmexit_action vmexit_external_interrupt(struct vcpu *vcpu)
{
    __asm__ volatile("sti; nop; cli" ::: "memory");
    return VMEXIT_RESUME;
}

/*
 * INIT's effect (SDM: "INIT Signal"): the vCPU waits for a SIPI, with no
 * event blocking, pending debug exception or injection left (the VM-entry
 * checks refuse an injection into wait-for-SIPI). A Linux guest's INIT
 * never reaches the CPU (vapic.h says why): vapic_icr.c does it.
 */
enum vmexit_action vmexit_init_signal(struct vcpu *vcpu)
{
    /*
     * Bochs saves "blocking by SMI" in the interruptibility state of an INIT
     * exit, which the next VM entry then refuses outside SMM ("VMCS SMI
     * blocked when not in SMM mode").
     */
    vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, 0);
    vcpu_write_field(vcpu, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
    vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, 0);
    uint64_t proc = vcpu_read_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL);
    vcpu_write_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL, proc & ~(uint64_t)PROC_NMI_WINDOW_EXITING);
    vcpu_write_field(vcpu, VMCS_GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_FOR_SIPI);
    vcpu->recheck_entry = true;
    return VMEXIT_RESUME;
}

/* SDM "Start-up IPI": real mode at vector << 12 (CS selector vector << 8), RIP 0. */
enum vmexit_action vmexit_start_up(struct vcpu *vcpu, uint32_t vector)
{
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
    /* Nothing of the vCPU's past: no injection or NMI window left over from the exit that ended it. */
    vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, 0);
    uint64_t proc = vcpu_read_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL);
    vcpu_write_field(vcpu, VMCS_CPU_BASED_VM_EXEC_CONTROL, proc & ~(uint64_t)PROC_NMI_WINDOW_EXITING);
    vcpu->regs.host_rsp = 0; /* the loop wrote the image's HOST_RSP too: vmx_enter writes its own again */
    vcpu->mode = VMCS_ENTRY_REAL_MODE;
    vcpu->recheck_entry = true;
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_sipi(struct vcpu *vcpu)
{
    /*
     * Bochs 2.7 masks NMIs and SMIs on entering wait-for-SIPI (cpu/proc_ctrl.cc,
     * enter_sleep_state) and unmasks them in deliver_SIPI only after the
     * SIPI's VM exit, which does not return (cpu/event.cc): an IRET in VMX
     * root unmasks NMIs; SMIs stay masked (only RSM unmasks them), so every
     * later exit saves "blocking by SMI", which VM entry refuses outside SMM.
     * The Linux guest's vCPUs therefore never wait in that state (vapic_icr.c).
     */
    cpu_iret_to_self();
    return vmexit_start_up(vcpu, (uint32_t)(vcpu->exit_qualification & 0xff));
}
