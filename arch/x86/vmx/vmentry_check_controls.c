/*
 * SDM "Checks on VMX Controls": the VM-execution, VM-exit and VM-entry control
 * fields. A failure is VMfailValid with VM-instruction error 7 ("VM entry with
 * invalid control field(s)").
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

/* --- reserved bits of the control words (SDM appendix "VMX Capability Reporting Facility") --- */

static void control_word(const struct vmentry_ctx *c, unsigned which, uint32_t *value, uint64_t *msr)
{
    switch (which) {
    case CTL_PIN:
        *value = c->pin, *msr = c->pin_msr;
        break;
    case CTL_PROC:
        *value = c->proc, *msr = c->proc_msr;
        break;
    case CTL_PROC2:
        /* No TRUE MSR for the secondary controls; none of them defaults to 1. */
        *value = c->proc2, *msr = c->caps->procbased_ctls2;
        break;
    case CTL_EXIT:
        *value = c->exit, *msr = c->exit_msr;
        break;
    default:
        *value = c->entry, *msr = c->entry_msr;
        break;
    }
}

/* SDM: with "activate secondary controls" 0, no checks are performed on the secondary controls. */
static bool control_checked(const struct vmentry_ctx *c, unsigned which)
{
    return which != CTL_PROC2 || (c->proc & PROC_ACTIVATE_SECONDARY);
}

bool vmentry_ok_control_allowed0(struct vmentry_ctx *c, unsigned which)
{
    uint32_t value;
    uint64_t msr;
    if (!control_checked(c, which))
        return true;
    control_word(c, which, &value, &msr);
    return (~value & (uint32_t)msr) == 0;
}

bool vmentry_ok_control_allowed1(struct vmentry_ctx *c, unsigned which)
{
    uint32_t value;
    uint64_t msr;
    if (!control_checked(c, which))
        return true;
    control_word(c, which, &value, &msr);
    return (value & ~(uint32_t)(msr >> 32)) == 0;
}

bool vmentry_ok_cr3_target_count(struct vmentry_ctx *c, unsigned unused)
{
    return c->v->cr3_target_count <= ((c->caps->misc >> 16) & 0x1ff);
}

/* --- addresses in control fields: each used only when its control is 1 --- */

static bool control_address(const struct vmentry_ctx *c, unsigned which, uint64_t *address, uint64_t *align)
{
    const struct vmcs_image *v = c->v;
    *align = 0xfff;
    switch (which) {
    case ADDR_IO_BITMAP_A:
        *address = v->io_bitmap_a;
        return c->proc & PROC_USE_IO_BITMAPS;
    case ADDR_IO_BITMAP_B:
        *address = v->io_bitmap_b;
        return c->proc & PROC_USE_IO_BITMAPS;
    case ADDR_MSR_BITMAP:
        *address = v->msr_bitmap;
        return c->proc & PROC_USE_MSR_BITMAPS;
    case ADDR_VIRTUAL_APIC:
        *address = v->virtual_apic_address;
        return c->proc & PROC_USE_TPR_SHADOW;
    case ADDR_APIC_ACCESS:
        *address = v->apic_access_address;
        return c->proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES;
    case ADDR_POSTED_DESCRIPTOR:
        *address = v->posted_interrupt_descriptor_address;
        *align = 0x3f;
        return c->pin & PIN_POSTED_INTERRUPTS;
    case ADDR_EPTP:
        *address = v->ept_pointer;
        return c->ept;
    case ADDR_PML:
        *address = v->pml_address;
        return c->proc2 & PROC2_ENABLE_PML;
    case ADDR_SPPTP:
        *address = v->sub_page_permission_table_pointer;
        return c->proc2 & PROC2_SUB_PAGE_WRITE_PERMISSIONS;
    case ADDR_EPTP_LIST:
        *address = v->eptp_list_address;
        return (c->proc2 & PROC2_ENABLE_VMFUNC) && (v->vm_function_controls & BIT_VMFUNC_EPTP_SWITCHING);
    case ADDR_VMREAD_BITMAP:
        *address = v->vmread_bitmap_address;
        return c->proc2 & PROC2_VMCS_SHADOWING;
    case ADDR_VMWRITE_BITMAP:
        *address = v->vmwrite_bitmap_address;
        return c->proc2 & PROC2_VMCS_SHADOWING;
    default:
        *address = v->virtualization_exception_information_address;
        return c->proc2 & PROC2_EPT_VIOLATION_VE;
    }
}

bool vmentry_ok_address_aligned(struct vmentry_ctx *c, unsigned which)
{
    uint64_t address, align;
    return !control_address(c, which, &address, &align) || (address & align) == 0;
}

bool vmentry_ok_address_width(struct vmentry_ctx *c, unsigned which)
{
    uint64_t address, align;
    return !control_address(c, which, &address, &align) ||
           vmentry_within_width(address, c->vmcs_phys_width_bits);
}

/* --- TPR shadow and APIC virtualization --- */

static bool tpr_threshold_applies(const struct vmentry_ctx *c)
{
    return (c->proc & PROC_USE_TPR_SHADOW) && !(c->proc2 & PROC2_VIRTUAL_INTERRUPT_DELIVERY);
}

bool vmentry_ok_tpr_threshold_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return !tpr_threshold_applies(c) || (c->v->tpr_threshold & 0xfffffff0u) == 0;
}

bool vmentry_ok_tpr_threshold_vtpr(struct vmentry_ctx *c, unsigned unused)
{
    if (!tpr_threshold_applies(c) || (c->proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES))
        return true;
    /* VTPR is the byte at offset 80H of the virtual-APIC page (SDM: "Virtualized APIC Registers"). */
    uint8_t vtpr = 0;
    if (!vmentry_read(c, c->v->virtual_apic_address + 0x80, &vtpr, 1))
        return true;
    return (c->v->tpr_threshold & 0xf) <= (uint64_t)(vtpr >> 4);
}

bool vmentry_ok_no_tpr_shadow(struct vmentry_ctx *c, unsigned secondary_bit)
{
    return (c->proc & PROC_USE_TPR_SHADOW) || !(c->proc2 & secondary_bit);
}

bool vmentry_ok_virtual_nmis_need_nmi_exiting(struct vmentry_ctx *c, unsigned unused)
{
    return (c->pin & PIN_NMI_EXITING) || !(c->pin & PIN_VIRTUAL_NMIS);
}

bool vmentry_ok_nmi_window_needs_virtual_nmis(struct vmentry_ctx *c, unsigned unused)
{
    return (c->pin & PIN_VIRTUAL_NMIS) || !(c->proc & PROC_NMI_WINDOW_EXITING);
}

bool vmentry_ok_x2apic_excludes_apic_accesses(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_VIRTUALIZE_X2APIC) || !(c->proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES);
}

bool vmentry_ok_vid_needs_external_interrupt_exiting(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_VIRTUAL_INTERRUPT_DELIVERY) || (c->pin & PIN_EXTERNAL_INTERRUPT_EXITING);
}

bool vmentry_ok_posted_needs_vid(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->pin & PIN_POSTED_INTERRUPTS) || (c->proc2 & PROC2_VIRTUAL_INTERRUPT_DELIVERY);
}

bool vmentry_ok_posted_needs_acknowledge(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->pin & PIN_POSTED_INTERRUPTS) || (c->exit & EXIT_ACK_INTERRUPT_ON_EXIT);
}

bool vmentry_ok_posted_vector(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->pin & PIN_POSTED_INTERRUPTS) || (c->v->posted_interrupt_notification_vector & 0xff00) == 0;
}

bool vmentry_ok_vpid_nonzero(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_ENABLE_VPID) || c->v->vpid != 0;
}

/* --- EPT (SDM: "Extended-Page-Table Pointer (EPTP)") --- */

bool vmentry_ok_eptp_memory_type(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type = (unsigned)c->v->ept_pointer & 7;
    uint64_t cap = c->caps->ept_vpid_cap;
    return !c->ept || (type == VMX_MEMORY_TYPE_UNCACHEABLE && (cap & (1u << 8))) ||
           (type == VMX_MEMORY_TYPE_WRITE_BACK && (cap & (1u << 14)));
}

bool vmentry_ok_eptp_walk_length(struct vmentry_ctx *c, unsigned unused)
{
    unsigned length_minus_1 = (unsigned)(c->v->ept_pointer >> 3) & 7;
    uint64_t cap = c->caps->ept_vpid_cap;
    return !c->ept || (length_minus_1 == 3 && (cap & (1u << 6))) ||
           (length_minus_1 == 4 && (cap & (1u << 7)));
}

bool vmentry_ok_eptp_accessed_dirty(struct vmentry_ctx *c, unsigned unused)
{
    return !c->ept || !(c->v->ept_pointer & (1u << 6)) || (c->caps->ept_vpid_cap & (1u << 21));
}

bool vmentry_ok_eptp_shadow_stack(struct vmentry_ctx *c, unsigned unused)
{
    return !c->ept || !(c->v->ept_pointer & (1u << 7)) || (c->caps->ept_vpid_cap & (1u << 23));
}

bool vmentry_ok_eptp_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return !c->ept || (c->v->ept_pointer & 0xf00) == 0;
}

bool vmentry_ok_needs_ept(struct vmentry_ctx *c, unsigned secondary_bit)
{
    return !(c->proc2 & secondary_bit) || c->ept;
}

bool vmentry_ok_pt_needs_load_rtit(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_PT_USES_GUEST_PHYSICAL) || (c->entry & ENTRY_LOAD_RTIT_CTL);
}

bool vmentry_ok_pt_needs_clear_rtit(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_PT_USES_GUEST_PHYSICAL) || (c->exit & EXIT_CLEAR_RTIT_CTL);
}

/* --- VM functions (SDM: "VM-Function Controls"); no checks when "enable VM functions" is 0 --- */

bool vmentry_ok_vmfunc_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_ENABLE_VMFUNC) || (c->v->vm_function_controls & ~c->caps->vmfunc) == 0;
}

bool vmentry_ok_eptp_switching_needs_ept(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->proc2 & PROC2_ENABLE_VMFUNC) || !(c->v->vm_function_controls & BIT_VMFUNC_EPTP_SWITCHING) ||
           c->ept;
}

/* --- VM-exit controls --- */

bool vmentry_ok_save_preemption_timer_needs_timer(struct vmentry_ctx *c, unsigned unused)
{
    return (c->pin & PIN_ACTIVATE_PREEMPTION_TIMER) || !(c->exit & EXIT_SAVE_PREEMPTION_TIMER);
}

/* The MSR areas: count and address (SDM: the last-byte arithmetic "uses more bits than the width"). */
static bool msr_area(const struct vmentry_ctx *c, unsigned which, uint64_t *address, uint64_t *count)
{
    const struct vmcs_image *v = c->v;
    switch (which) {
    case AREA_EXIT_STORE:
        *address = v->vm_exit_msr_store_address, *count = v->vm_exit_msr_store_count;
        break;
    case AREA_EXIT_LOAD:
        *address = v->vm_exit_msr_load_address, *count = v->vm_exit_msr_load_count;
        break;
    default:
        *address = v->vm_entry_msr_load_address, *count = v->vm_entry_msr_load_count;
        break;
    }
    *count &= 0xffffffffull;
    return *count != 0;
}

bool vmentry_ok_msr_area_aligned(struct vmentry_ctx *c, unsigned which)
{
    uint64_t address, count;
    return !msr_area(c, which, &address, &count) || (address & 0xf) == 0;
}

bool vmentry_ok_msr_area_width(struct vmentry_ctx *c, unsigned which)
{
    uint64_t address, count;
    return !msr_area(c, which, &address, &count) || vmentry_within_width(address, c->vmcs_phys_width_bits);
}

bool vmentry_ok_msr_area_last_byte(struct vmentry_ctx *c, unsigned which)
{
    uint64_t address, count;
    if (!msr_area(c, which, &address, &count))
        return true;
    /* address fits the width (checked before), count * 16 < 2^36: no 64-bit overflow. */
    return vmentry_within_width(address + count * 16 - 1, c->vmcs_phys_width_bits);
}

/* --- VM-entry controls: event injection (SDM: "VM-Entry Control Fields") --- */

static bool injecting(const struct vmentry_ctx *c, uint32_t *info)
{
    *info = (uint32_t)c->v->vm_entry_interruption_info;
    return (*info & EVENT_VALID) != 0;
}

bool vmentry_ok_event_type_reserved(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || EVENT_TYPE(info) != 1;
}

bool vmentry_ok_event_type_other_needs_mtf(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || EVENT_TYPE(info) != EVENT_OTHER ||
           vmx_control_may_be_1(c->proc_msr, 27 /* monitor trap flag */);
}

bool vmentry_ok_event_nmi_vector(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || EVENT_TYPE(info) != EVENT_NMI || EVENT_VECTOR(info) == 2;
}

bool vmentry_ok_event_exception_vector(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || EVENT_TYPE(info) != EVENT_HARDWARE_EXCEPTION || EVENT_VECTOR(info) <= 31;
}

bool vmentry_ok_event_other_vector(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || EVENT_TYPE(info) != EVENT_OTHER || EVENT_VECTOR(info) == 0;
}

/* #DF, #TS, #NP, #SS, #GP, #PF, #AC deliver an error code in protected mode. */
static bool vector_has_error_code(unsigned vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

/*
 * The guest counts as in protected mode for the error-code rule unless "unrestricted guest" lets CR0.PE be
 * 0 (without it the guest-state checks require PE; KVM's nested checks read the rule the same way).
 */
static bool guest_protected_mode(const struct vmentry_ctx *c)
{
    return !c->unrestricted || (c->v->guest_cr0 & CR0_PE);
}

static bool error_code_relaxed(const struct vmentry_ctx *c)
{
    return (c->caps->basic >> 56) & 1; /* IA32_VMX_BASIC bit 56: any vector, with or without */
}

bool vmentry_ok_event_error_code_required(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    if (!injecting(c, &info) || (info & EVENT_DELIVER_ERROR_CODE) || error_code_relaxed(c))
        return true;
    return !(EVENT_TYPE(info) == EVENT_HARDWARE_EXCEPTION && guest_protected_mode(c) &&
             vector_has_error_code(EVENT_VECTOR(info)));
}

bool vmentry_ok_event_error_code_forbidden(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    if (!injecting(c, &info) || !(info & EVENT_DELIVER_ERROR_CODE))
        return true;
    if (EVENT_TYPE(info) != EVENT_HARDWARE_EXCEPTION || !guest_protected_mode(c))
        return false;
    return error_code_relaxed(c) || vector_has_error_code(EVENT_VECTOR(info));
}

bool vmentry_ok_event_reserved(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || (info & 0x7ffff000u) == 0;
}

bool vmentry_ok_event_error_code_high(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    return !injecting(c, &info) || !(info & EVENT_DELIVER_ERROR_CODE) ||
           (c->v->vm_entry_exception_error_code & 0xffff0000u) == 0;
}

bool vmentry_ok_event_instruction_length(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info;
    if (!injecting(c, &info))
        return true;
    unsigned type = EVENT_TYPE(info);
    if (type != EVENT_SOFTWARE_INTERRUPT && type != EVENT_PRIVILEGED_SOFTWARE_EXCEPTION &&
        type != EVENT_SOFTWARE_EXCEPTION)
        return true;
    uint64_t length = c->v->vm_entry_instruction_length;
    bool zero_allowed = (c->caps->misc >> 30) & 1;
    return (length >= 1 && length <= 15) || (length == 0 && zero_allowed);
}

/* --- VM-entry controls: SMM --- */

bool vmentry_ok_entry_smm_control(struct vmentry_ctx *c, unsigned entry_bit)
{
    return c->cpu->in_smm || !(c->entry & entry_bit);
}
