/*
 * The control fields of a VMCS image (SDM: "VM-Execution Control Fields",
 * "VM-Exit Control Fields", "VM-Entry Control Fields"): the words
 * vmx_controls_compute() adjusted once for the boot, with the choices that
 * differ per vCPU (VPID, IA-32e mode guest) and the addresses it points to.
 */
#include "arch/x86/vmx/vmcs_setup.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

static const char *const mode_names[VMCS_ENTRY_MODE_COUNT] = {
    [VMCS_ENTRY_REAL_MODE] = "real mode",
    [VMCS_ENTRY_PROTECTED32] = "32-bit protected mode (paging off)",
    [VMCS_ENTRY_LONG64] = "64-bit mode",
};

const char *vmcs_entry_mode_name(enum vmcs_entry_mode mode)
{
    return (unsigned)mode < VMCS_ENTRY_MODE_COUNT ? mode_names[mode] : "unknown mode";
}

int vmcs_setup_controls(struct vmcs_image *image, const struct vmx_controls *controls,
                        const struct vmcs_control_params *params, enum vmcs_entry_mode mode, char *why,
                        size_t why_bytes)
{
    uint32_t pin = controls->value[VMX_CONTROL_PINBASED];
    uint32_t secondary = controls->value[VMX_CONTROL_SECONDARY];
    uint32_t entry = controls->value[VMX_CONTROL_ENTRY] & ~ENTRY_IA32E_MODE_GUEST;
    if (params->vpid == 0)
        secondary &= ~PROC2_ENABLE_VPID;
    if (mode == VMCS_ENTRY_LONG64) {
        if (!(controls->allowed1[VMX_CONTROL_ENTRY] & ENTRY_IA32E_MODE_GUEST)) {
            format(why, why_bytes, "VM-entry control 'IA-32e mode guest' not allowed: %s refused",
                   vmcs_entry_mode_name(mode));
            return E_NOTSUP;
        }
        entry |= ENTRY_IA32E_MODE_GUEST;
    }
    vmcs_image_set(image, VMCS_PIN_BASED_VM_EXEC_CONTROL, pin);
    vmcs_image_set(image, VMCS_CPU_BASED_VM_EXEC_CONTROL, controls->value[VMX_CONTROL_PROCBASED]);
    vmcs_image_set(image, VMCS_SECONDARY_VM_EXEC_CONTROL, secondary);
    vmcs_image_set(image, VMCS_VM_EXIT_CONTROLS, controls->value[VMX_CONTROL_EXIT]);
    vmcs_image_set(image, VMCS_VM_ENTRY_CONTROLS, entry);

    vmcs_image_set(image, VMCS_EXCEPTION_BITMAP, params->exception_bitmap);
    vmcs_image_set(image, VMCS_PAGE_FAULT_ERROR_CODE_MASK, 0);
    vmcs_image_set(image, VMCS_PAGE_FAULT_ERROR_CODE_MATCH, 0);
    vmcs_image_set(image, VMCS_CR3_TARGET_COUNT, 0);
    vmcs_image_set(image, VMCS_IO_BITMAP_A, params->io_bitmap_a_phys);
    vmcs_image_set(image, VMCS_IO_BITMAP_B, params->io_bitmap_b_phys);
    vmcs_image_set(image, VMCS_MSR_BITMAP, params->msr_bitmap_phys);
    vmcs_image_set(image, VMCS_TSC_OFFSET, 0);
    vmcs_image_set(image, VMCS_EPT_POINTER, params->ept_pointer);
    if (secondary & PROC2_ENABLE_VPID)
        vmcs_image_set(image, VMCS_VPID, params->vpid);
    if (pin & PIN_ACTIVATE_PREEMPTION_TIMER)
        vmcs_image_set(image, VMCS_VMX_PREEMPTION_TIMER_VALUE, params->preemption_timer_value);
    /* SDM: "VMCS link pointer": all ones when VMCS shadowing is not used. */
    vmcs_image_set(image, VMCS_LINK_POINTER, ~0ull);

    /* No MSR is switched through the load/store lists: the exit and entry controls switch EFER and PAT. */
    vmcs_image_set(image, VMCS_VM_EXIT_MSR_STORE_COUNT, 0);
    vmcs_image_set(image, VMCS_VM_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_image_set(image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0);
    vmcs_image_set(image, VMCS_VM_ENTRY_INTERRUPTION_INFO, 0);
    vmcs_image_set(image, VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
    vmcs_image_set(image, VMCS_VM_ENTRY_INSTRUCTION_LENGTH, 0);

    vmcs_image_set(image, VMCS_CR0_GUEST_HOST_MASK, params->cr0_guest_host_mask);
    vmcs_image_set(image, VMCS_CR4_GUEST_HOST_MASK, params->cr4_guest_host_mask);
    return 0;
}
