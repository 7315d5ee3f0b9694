/*
 * Events: NMIs and external interrupts belong to vmxroot (pin-based "NMI
 * exiting" and "external-interrupt exiting"), so an IPI or the panic NMI
 * reaches it while a guest runs; INIT and SIPI move the vCPU through the
 * wait-for-SIPI activity state (SDM: "INIT Signal", "Start-up IPI").
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmx_cpu.h"
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
        /* Not the panic stop: the NMI was the guest's own (a Linux NMI IPI). */
        cpu_iret_to_self();
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
 * INIT: the vCPU waits for a SIPI. Linux sends INIT, SIPI, SIPI about 20 us
 * apart; Bochs keeps an INIT that arrives in wait-for-SIPI pending and
 * delivers it right after the entry the SIPI started, at the SIPI's entry
 * point itself. That INIT is the one already obeyed: the vCPU goes on from
 * the entry point instead of waiting for a second SIPI (which Bochs drops
 * when it arrives while the vCPU is in VMX root), as the SDM's order of
 * INIT then SIPI says it should.
 */
enum vmexit_action vmexit_init_signal(struct vcpu *vcpu)
{
    bool held_over = vcpu->sipi_entered && vcpu_read_field(vcpu, VMCS_GUEST_RIP) == 0 &&
                     vcpu_read_field(vcpu, VMCS_GUEST_CS_BASE) == vcpu->sipi_cs_base;
    vcpu->sipi_entered = false;
    /*
     * INIT leaves no event blocking (SDM: "INIT Signal"); Bochs saves "blocking
     * by SMI" in the interruptibility state of an INIT exit, which the next
     * VM entry then refuses outside SMM ("VMCS SMI blocked when not in SMM mode").
     */
    vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, 0);
    vcpu_write_field(vcpu, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
    if (held_over)
        return VMEXIT_RESUME;
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
    vcpu->sipi_entered = true;
    vcpu->sipi_cs_base = (uint64_t)vector << 12;
    return VMEXIT_RESUME;
}
