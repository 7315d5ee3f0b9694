/*
 * A VMCS image: one value per VMCS field that the VMCS setup writes and the
 * software VM-entry check reads, kept in ordinary memory. The setup fills an
 * image (pure code, host-testable), the launch code writes it to the current
 * VMCS with one checked VMWRITE loop over vmcs_image_field(), and the entry
 * check judges the same image. The processor's own VMCS layout is not
 * architectural (SDM: "Format of the VMCS Region"), so this is the only form
 * in which a VMCS can be built, compared and fuzzed outside VMX operation.
 *
 * Every field appears once, in VMCS_IMAGE_FIELDS(X): X(encoding, member).
 * The list runs in the order of the appendix "Field Encoding in VMCS" (16-bit,
 * 64-bit, 32-bit, natural-width; control, guest, host within each). VM-exit
 * information fields are not in it: they are read from the VMCS, never built.
 *
 * Values are stored as VMWRITE would store them: vmcs_image_set() truncates to
 * the field's width (SDM: "VMWRITE - Write Field to Virtual-Machine Control
 * Structure"), and the "high" access (encoding | 1) of a 64-bit field reads or
 * writes its upper 32 bits. Each field also has a "set" bit, so the launch
 * loop can write only the fields the setup chose (a VMWRITE to a field the
 * processor does not support fails with error 12).
 */
#ifndef ARCH_X86_VMX_VMCS_IMAGE_H
#define ARCH_X86_VMX_VMCS_IMAGE_H

#include "arch/x86/vmx/vmcs_fields.h"
#include "core/lib/compiler.h"

/* clang-format off */
#define VMCS_IMAGE_FIELDS(X)                                                            \
    /* 16-bit control fields */                                                         \
    X(VMCS_VPID, vpid)                                                                  \
    X(VMCS_POSTED_INTERRUPT_NOTIFICATION_VECTOR, posted_interrupt_notification_vector)  \
    X(VMCS_EPTP_INDEX, eptp_index)                                                      \
    /* 16-bit guest-state fields */                                                     \
    X(VMCS_GUEST_ES_SELECTOR, guest_es_selector)                                        \
    X(VMCS_GUEST_CS_SELECTOR, guest_cs_selector)                                        \
    X(VMCS_GUEST_SS_SELECTOR, guest_ss_selector)                                        \
    X(VMCS_GUEST_DS_SELECTOR, guest_ds_selector)                                        \
    X(VMCS_GUEST_FS_SELECTOR, guest_fs_selector)                                        \
    X(VMCS_GUEST_GS_SELECTOR, guest_gs_selector)                                        \
    X(VMCS_GUEST_LDTR_SELECTOR, guest_ldtr_selector)                                    \
    X(VMCS_GUEST_TR_SELECTOR, guest_tr_selector)                                        \
    X(VMCS_GUEST_INTERRUPT_STATUS, guest_interrupt_status)                              \
    /* 16-bit host-state fields */                                                      \
    X(VMCS_HOST_ES_SELECTOR, host_es_selector)                                          \
    X(VMCS_HOST_CS_SELECTOR, host_cs_selector)                                          \
    X(VMCS_HOST_SS_SELECTOR, host_ss_selector)                                          \
    X(VMCS_HOST_DS_SELECTOR, host_ds_selector)                                          \
    X(VMCS_HOST_FS_SELECTOR, host_fs_selector)                                          \
    X(VMCS_HOST_GS_SELECTOR, host_gs_selector)                                          \
    X(VMCS_HOST_TR_SELECTOR, host_tr_selector)                                          \
    /* 64-bit control fields */                                                         \
    X(VMCS_IO_BITMAP_A, io_bitmap_a)                                                    \
    X(VMCS_IO_BITMAP_B, io_bitmap_b)                                                    \
    X(VMCS_MSR_BITMAP, msr_bitmap)                                                      \
    X(VMCS_VM_EXIT_MSR_STORE_ADDRESS, vm_exit_msr_store_address)                        \
    X(VMCS_VM_EXIT_MSR_LOAD_ADDRESS, vm_exit_msr_load_address)                          \
    X(VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, vm_entry_msr_load_address)                        \
    X(VMCS_PML_ADDRESS, pml_address)                                                    \
    X(VMCS_TSC_OFFSET, tsc_offset)                                                      \
    X(VMCS_VIRTUAL_APIC_ADDRESS, virtual_apic_address)                                  \
    X(VMCS_APIC_ACCESS_ADDRESS, apic_access_address)                                    \
    X(VMCS_POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, posted_interrupt_descriptor_address)    \
    X(VMCS_VM_FUNCTION_CONTROLS, vm_function_controls)                                  \
    X(VMCS_EPT_POINTER, ept_pointer)                                                    \
    X(VMCS_EPTP_LIST_ADDRESS, eptp_list_address)                                        \
    X(VMCS_VMREAD_BITMAP_ADDRESS, vmread_bitmap_address)                                \
    X(VMCS_VMWRITE_BITMAP_ADDRESS, vmwrite_bitmap_address)                              \
    X(VMCS_VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS,                                \
      virtualization_exception_information_address)                                     \
    X(VMCS_SUB_PAGE_PERMISSION_TABLE_POINTER, sub_page_permission_table_pointer)        \
    /* 64-bit guest-state fields */                                                     \
    X(VMCS_LINK_POINTER, vmcs_link_pointer)                                             \
    X(VMCS_GUEST_IA32_DEBUGCTL, guest_ia32_debugctl)                                    \
    X(VMCS_GUEST_IA32_PAT, guest_ia32_pat)                                              \
    X(VMCS_GUEST_IA32_EFER, guest_ia32_efer)                                            \
    X(VMCS_GUEST_IA32_PERF_GLOBAL_CTRL, guest_ia32_perf_global_ctrl)                    \
    X(VMCS_GUEST_PDPTE0, guest_pdpte0)                                                  \
    X(VMCS_GUEST_PDPTE1, guest_pdpte1)                                                  \
    X(VMCS_GUEST_PDPTE2, guest_pdpte2)                                                  \
    X(VMCS_GUEST_PDPTE3, guest_pdpte3)                                                  \
    X(VMCS_GUEST_IA32_BNDCFGS, guest_ia32_bndcfgs)                                      \
    X(VMCS_GUEST_IA32_PKRS, guest_ia32_pkrs)                                            \
    /* 64-bit host-state fields */                                                      \
    X(VMCS_HOST_IA32_PAT, host_ia32_pat)                                                \
    X(VMCS_HOST_IA32_EFER, host_ia32_efer)                                              \
    X(VMCS_HOST_IA32_PERF_GLOBAL_CTRL, host_ia32_perf_global_ctrl)                      \
    X(VMCS_HOST_IA32_PKRS, host_ia32_pkrs)                                              \
    /* 32-bit control fields */                                                         \
    X(VMCS_PIN_BASED_VM_EXEC_CONTROL, pin_based_controls)                               \
    X(VMCS_CPU_BASED_VM_EXEC_CONTROL, primary_processor_based_controls)                 \
    X(VMCS_EXCEPTION_BITMAP, exception_bitmap)                                          \
    X(VMCS_PAGE_FAULT_ERROR_CODE_MASK, page_fault_error_code_mask)                      \
    X(VMCS_PAGE_FAULT_ERROR_CODE_MATCH, page_fault_error_code_match)                    \
    X(VMCS_CR3_TARGET_COUNT, cr3_target_count)                                          \
    X(VMCS_VM_EXIT_CONTROLS, vm_exit_controls)                                          \
    X(VMCS_VM_EXIT_MSR_STORE_COUNT, vm_exit_msr_store_count)                            \
    X(VMCS_VM_EXIT_MSR_LOAD_COUNT, vm_exit_msr_load_count)                              \
    X(VMCS_VM_ENTRY_CONTROLS, vm_entry_controls)                                        \
    X(VMCS_VM_ENTRY_MSR_LOAD_COUNT, vm_entry_msr_load_count)                            \
    X(VMCS_VM_ENTRY_INTERRUPTION_INFO, vm_entry_interruption_info)                      \
    X(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, vm_entry_exception_error_code)                \
    X(VMCS_VM_ENTRY_INSTRUCTION_LENGTH, vm_entry_instruction_length)                    \
    X(VMCS_TPR_THRESHOLD, tpr_threshold)                                                \
    X(VMCS_SECONDARY_VM_EXEC_CONTROL, secondary_processor_based_controls)               \
    X(VMCS_PLE_GAP, ple_gap)                                                            \
    X(VMCS_PLE_WINDOW, ple_window)                                                      \
    /* 32-bit guest-state fields */                                                     \
    X(VMCS_GUEST_ES_LIMIT, guest_es_limit)                                              \
    X(VMCS_GUEST_CS_LIMIT, guest_cs_limit)                                              \
    X(VMCS_GUEST_SS_LIMIT, guest_ss_limit)                                              \
    X(VMCS_GUEST_DS_LIMIT, guest_ds_limit)                                              \
    X(VMCS_GUEST_FS_LIMIT, guest_fs_limit)                                              \
    X(VMCS_GUEST_GS_LIMIT, guest_gs_limit)                                              \
    X(VMCS_GUEST_LDTR_LIMIT, guest_ldtr_limit)                                          \
    X(VMCS_GUEST_TR_LIMIT, guest_tr_limit)                                              \
    X(VMCS_GUEST_GDTR_LIMIT, guest_gdtr_limit)                                          \
    X(VMCS_GUEST_IDTR_LIMIT, guest_idtr_limit)                                          \
    X(VMCS_GUEST_ES_ACCESS_RIGHTS, guest_es_access_rights)                              \
    X(VMCS_GUEST_CS_ACCESS_RIGHTS, guest_cs_access_rights)                              \
    X(VMCS_GUEST_SS_ACCESS_RIGHTS, guest_ss_access_rights)                              \
    X(VMCS_GUEST_DS_ACCESS_RIGHTS, guest_ds_access_rights)                              \
    X(VMCS_GUEST_FS_ACCESS_RIGHTS, guest_fs_access_rights)                              \
    X(VMCS_GUEST_GS_ACCESS_RIGHTS, guest_gs_access_rights)                              \
    X(VMCS_GUEST_LDTR_ACCESS_RIGHTS, guest_ldtr_access_rights)                          \
    X(VMCS_GUEST_TR_ACCESS_RIGHTS, guest_tr_access_rights)                              \
    X(VMCS_GUEST_INTERRUPTIBILITY_STATE, guest_interruptibility_state)                  \
    X(VMCS_GUEST_ACTIVITY_STATE, guest_activity_state)                                  \
    X(VMCS_GUEST_SMBASE, guest_smbase)                                                  \
    X(VMCS_GUEST_IA32_SYSENTER_CS, guest_ia32_sysenter_cs)                              \
    X(VMCS_VMX_PREEMPTION_TIMER_VALUE, vmx_preemption_timer_value)                      \
    /* 32-bit host-state field */                                                       \
    X(VMCS_HOST_IA32_SYSENTER_CS, host_ia32_sysenter_cs)                                \
    /* natural-width control fields */                                                  \
    X(VMCS_CR0_GUEST_HOST_MASK, cr0_guest_host_mask)                                    \
    X(VMCS_CR4_GUEST_HOST_MASK, cr4_guest_host_mask)                                    \
    X(VMCS_CR0_READ_SHADOW, cr0_read_shadow)                                            \
    X(VMCS_CR4_READ_SHADOW, cr4_read_shadow)                                            \
    X(VMCS_CR3_TARGET_VALUE0, cr3_target_value0)                                        \
    X(VMCS_CR3_TARGET_VALUE1, cr3_target_value1)                                        \
    X(VMCS_CR3_TARGET_VALUE2, cr3_target_value2)                                        \
    X(VMCS_CR3_TARGET_VALUE3, cr3_target_value3)                                        \
    /* natural-width guest-state fields */                                              \
    X(VMCS_GUEST_CR0, guest_cr0)                                                        \
    X(VMCS_GUEST_CR3, guest_cr3)                                                        \
    X(VMCS_GUEST_CR4, guest_cr4)                                                        \
    X(VMCS_GUEST_ES_BASE, guest_es_base)                                                \
    X(VMCS_GUEST_CS_BASE, guest_cs_base)                                                \
    X(VMCS_GUEST_SS_BASE, guest_ss_base)                                                \
    X(VMCS_GUEST_DS_BASE, guest_ds_base)                                                \
    X(VMCS_GUEST_FS_BASE, guest_fs_base)                                                \
    X(VMCS_GUEST_GS_BASE, guest_gs_base)                                                \
    X(VMCS_GUEST_LDTR_BASE, guest_ldtr_base)                                            \
    X(VMCS_GUEST_TR_BASE, guest_tr_base)                                                \
    X(VMCS_GUEST_GDTR_BASE, guest_gdtr_base)                                            \
    X(VMCS_GUEST_IDTR_BASE, guest_idtr_base)                                            \
    X(VMCS_GUEST_DR7, guest_dr7)                                                        \
    X(VMCS_GUEST_RSP, guest_rsp)                                                        \
    X(VMCS_GUEST_RIP, guest_rip)                                                        \
    X(VMCS_GUEST_RFLAGS, guest_rflags)                                                  \
    X(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, guest_pending_debug_exceptions)              \
    X(VMCS_GUEST_IA32_SYSENTER_ESP, guest_ia32_sysenter_esp)                            \
    X(VMCS_GUEST_IA32_SYSENTER_EIP, guest_ia32_sysenter_eip)                            \
    X(VMCS_GUEST_IA32_S_CET, guest_ia32_s_cet)                                          \
    X(VMCS_GUEST_SSP, guest_ssp)                                                        \
    X(VMCS_GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR, guest_ia32_interrupt_ssp_table_addr)    \
    /* natural-width host-state fields */                                               \
    X(VMCS_HOST_CR0, host_cr0)                                                          \
    X(VMCS_HOST_CR3, host_cr3)                                                          \
    X(VMCS_HOST_CR4, host_cr4)                                                          \
    X(VMCS_HOST_FS_BASE, host_fs_base)                                                  \
    X(VMCS_HOST_GS_BASE, host_gs_base)                                                  \
    X(VMCS_HOST_TR_BASE, host_tr_base)                                                  \
    X(VMCS_HOST_GDTR_BASE, host_gdtr_base)                                              \
    X(VMCS_HOST_IDTR_BASE, host_idtr_base)                                              \
    X(VMCS_HOST_IA32_SYSENTER_ESP, host_ia32_sysenter_esp)                              \
    X(VMCS_HOST_IA32_SYSENTER_EIP, host_ia32_sysenter_eip)                              \
    X(VMCS_HOST_RSP, host_rsp)                                                          \
    X(VMCS_HOST_RIP, host_rip)                                                          \
    X(VMCS_HOST_IA32_S_CET, host_ia32_s_cet)                                            \
    X(VMCS_HOST_SSP, host_ssp)                                                          \
    X(VMCS_HOST_IA32_INTERRUPT_SSP_TABLE_ADDR, host_ia32_interrupt_ssp_table_addr)
/* clang-format on */

/* VMCS_IMAGE_INDEX_guest_cr0, ...: a field's position in the list. */
enum vmcs_image_index {
#define VMCS_IMAGE_INDEX_ENTRY(encoding, member) VMCS_IMAGE_INDEX_##member,
    VMCS_IMAGE_FIELDS(VMCS_IMAGE_INDEX_ENTRY)
#undef VMCS_IMAGE_INDEX_ENTRY
        VMCS_IMAGE_FIELD_COUNT
};

/*
 * Members hold the value at the field's width (a 16-bit field's member never
 * exceeds 0xffff when written through vmcs_image_set). Code that builds an
 * image may assign members directly; vmcs_image_mark() or vmcs_image_set()
 * records them as chosen.
 */
struct vmcs_image {
#define VMCS_IMAGE_MEMBER(encoding, member) uint64_t member;
    VMCS_IMAGE_FIELDS(VMCS_IMAGE_MEMBER)
#undef VMCS_IMAGE_MEMBER
    uint64_t set_bits[(VMCS_IMAGE_FIELD_COUNT + 63) / 64]; /* by enum vmcs_image_index */
};

struct vmcs_image_field_info {
    uint32_t encoding; /* full access (bit 0 clear) */
    const char *name;  /* the encoding's name without "VMCS_": "GUEST_CR0" */
    size_t offset;     /* of the member in struct vmcs_image */
};

/* All fields zero, none set. */
void vmcs_image_clear(struct vmcs_image *image);

/*
 * false if the encoding (full or, for a 64-bit field, high access) is not in
 * the list; *value is then left alone.
 */
bool vmcs_image_get(const struct vmcs_image *image, uint32_t encoding, uint64_t *value);

/* Truncates to the field's width and marks it set; false if the encoding is not in the list. */
bool vmcs_image_set(struct vmcs_image *image, uint32_t encoding, uint64_t value);

/* Whether the field was set (by vmcs_image_set or vmcs_image_mark); false for encodings not in the list. */
bool vmcs_image_is_set(const struct vmcs_image *image, uint32_t encoding);

/* Marks a member assigned directly as set; false if the encoding is not in the list. */
bool vmcs_image_mark(struct vmcs_image *image, uint32_t encoding);

/* "GUEST_CR0"; a 64-bit field's high access gives "GUEST_IA32_EFER_HIGH"; NULL if not in the list. */
const char *vmcs_field_name(uint32_t encoding);

/* Iteration in list order: index 0 .. VMCS_IMAGE_FIELD_COUNT-1; NULL past the end. */
const struct vmcs_image_field_info *vmcs_image_field(size_t index);

/* The position of an encoding (full access) in the list, or -1. */
int vmcs_image_index_of(uint32_t encoding);

#endif
