/*
 * One case per VM-entry check (some checks have two): a valid base image and
 * at most five changes that break exactly that check and no check before it.
 * Used by tests/unit/test_vmentry_check.c; the fuzz harness seeds from them.
 *
 *   SET/OR/CLR(field, value)  change a VMCS field (the name after "VMCS_")
 *   CAPS_OR/CAPS_CLR(member)  change a capability MSR, e.g. to allow a control Bochs's Skylake-X lacks
 *   MEM(phys, value)          write 64 bits of the fake physical memory
 *   CPU_LEGACY / CPU_SMM / CPU_SGX / CPU_RTM / CPU_CURRENT(phys)   change a CPU fact
 */
#ifndef TESTS_UNIT_VMENTRY_BREAK_CASES_H
#define TESTS_UNIT_VMENTRY_BREAK_CASES_H

#include <stddef.h>
#include "tests/unit/vmentry_build.h"

enum break_op {
    OP_END,
    OP_SET,
    OP_OR,
    OP_CLR,
    OP_CAPS_OR,
    OP_CAPS_CLR,
    OP_MEM,
    OP_CPU_LEGACY,
    OP_CPU_SMM,
    OP_CPU_SGX,
    OP_CPU_RTM,
    OP_CPU_CURRENT
};

struct break_step {
    enum break_op op;
    uint64_t where; /* field encoding, offset in struct vmx_caps, or physical address */
    uint64_t value;
};

struct break_case {
    enum vmentry_check_id check;
    enum test_base base;
    struct break_step steps[6];
};

#define SET(field, v)                                                                                        \
    {                                                                                                        \
        OP_SET, VMCS_##field, (uint64_t)(v)                                                                  \
    }
#define OR(field, v)                                                                                         \
    {                                                                                                        \
        OP_OR, VMCS_##field, (uint64_t)(v)                                                                   \
    }
#define CLR(field, v)                                                                                        \
    {                                                                                                        \
        OP_CLR, VMCS_##field, (uint64_t)(v)                                                                  \
    }
#define CAPS_OR(member, v)                                                                                   \
    {                                                                                                        \
        OP_CAPS_OR, offsetof(struct vmx_caps, member), (uint64_t)(v)                                         \
    }
#define CAPS_CLR(member, v)                                                                                  \
    {                                                                                                        \
        OP_CAPS_CLR, offsetof(struct vmx_caps, member), (uint64_t)(v)                                        \
    }
#define MEM(phys, v)                                                                                         \
    {                                                                                                        \
        OP_MEM, (phys), (uint64_t)(v)                                                                        \
    }
#define CPU_LEGACY                                                                                           \
    {                                                                                                        \
        OP_CPU_LEGACY, 0, 0                                                                                  \
    }
#define CPU_SMM                                                                                              \
    {                                                                                                        \
        OP_CPU_SMM, 0, 0                                                                                     \
    }
#define CPU_SGX                                                                                              \
    {                                                                                                        \
        OP_CPU_SGX, 0, 0                                                                                     \
    }
#define CPU_RTM                                                                                              \
    {                                                                                                        \
        OP_CPU_RTM, 0, 0                                                                                     \
    }
#define CPU_CURRENT(phys)                                                                                    \
    {                                                                                                        \
        OP_CPU_CURRENT, 0, (phys)                                                                            \
    }

/* clang-format off */
static const struct break_case break_cases[] = {
    { VMENTRY_CHECK_pin_allowed0, BASE_64, { CLR(PIN_BASED_VM_EXEC_CONTROL, 2) } },
    { VMENTRY_CHECK_pin_allowed1, BASE_64, { OR(PIN_BASED_VM_EXEC_CONTROL, 1u << 7) } },
    { VMENTRY_CHECK_proc_allowed0, BASE_64, { CLR(CPU_BASED_VM_EXEC_CONTROL, 2) } },
    { VMENTRY_CHECK_proc_allowed1, BASE_64, { OR(CPU_BASED_VM_EXEC_CONTROL, 1u << 27) } },
    { VMENTRY_CHECK_proc2_allowed0, BASE_64, { CAPS_OR(procbased_ctls2, 1u << 6) } },
    { VMENTRY_CHECK_proc2_allowed1, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 15) } },
    { VMENTRY_CHECK_cr3_target_count, BASE_64, { SET(CR3_TARGET_COUNT, 5) } },
    { VMENTRY_CHECK_io_bitmap_a_aligned, BASE_64, { SET(IO_BITMAP_A, PAGE_IO_A + 8) } },
    { VMENTRY_CHECK_io_bitmap_a_width, BASE_64, { SET(IO_BITMAP_A, 1ull << 45) } },
    { VMENTRY_CHECK_io_bitmap_b_aligned, BASE_64, { SET(IO_BITMAP_B, PAGE_IO_B + 0x800) } },
    { VMENTRY_CHECK_io_bitmap_b_width, BASE_64, { SET(IO_BITMAP_B, 1ull << TEST_PHYS_WIDTH) } },
    { VMENTRY_CHECK_msr_bitmap_aligned, BASE_64, { SET(MSR_BITMAP, PAGE_MSR_BITMAP + 1) } },
    { VMENTRY_CHECK_msr_bitmap_width, BASE_64, { SET(MSR_BITMAP, 1ull << 51) } },
    { VMENTRY_CHECK_virtual_apic_aligned, BASE_64, { SET(VIRTUAL_APIC_ADDRESS, PAGE_VIRTUAL_APIC + 0x80) } },
    { VMENTRY_CHECK_virtual_apic_width, BASE_64, { SET(VIRTUAL_APIC_ADDRESS, 1ull << 44) } },
    { VMENTRY_CHECK_tpr_threshold_reserved, BASE_64, { SET(TPR_THRESHOLD, 0x10) } },
    { VMENTRY_CHECK_tpr_threshold_vtpr, BASE_64, { SET(TPR_THRESHOLD, 2) } },
    { VMENTRY_CHECK_no_tpr_shadow_x2apic, BASE_64, { CLR(CPU_BASED_VM_EXEC_CONTROL, 1u << 21), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 4) } },
    { VMENTRY_CHECK_no_tpr_shadow_apic_register, BASE_64, { CLR(CPU_BASED_VM_EXEC_CONTROL, 1u << 21), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 8) } },
    { VMENTRY_CHECK_no_tpr_shadow_vid, BASE_64, { CLR(CPU_BASED_VM_EXEC_CONTROL, 1u << 21), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9) } },
    { VMENTRY_CHECK_virtual_nmis_need_nmi_exiting, BASE_64, { OR(PIN_BASED_VM_EXEC_CONTROL, 1u << 5) } },
    { VMENTRY_CHECK_nmi_window_needs_virtual_nmis, BASE_64, { OR(CPU_BASED_VM_EXEC_CONTROL, 1u << 22) } },
    { VMENTRY_CHECK_apic_access_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1), SET(APIC_ACCESS_ADDRESS, PAGE_SCRATCH + 4) } },
    { VMENTRY_CHECK_apic_access_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1), SET(APIC_ACCESS_ADDRESS, 1ull << 48) } },
    { VMENTRY_CHECK_x2apic_excludes_apic_accesses, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 0x11), SET(APIC_ACCESS_ADDRESS, PAGE_SCRATCH) } },
    { VMENTRY_CHECK_vid_needs_external_interrupt_exiting, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9) } },
    { VMENTRY_CHECK_posted_needs_vid, BASE_64, { CAPS_OR(true_pinbased_ctls, 1ull << 39), OR(PIN_BASED_VM_EXEC_CONTROL, 1u << 7) } },
    { VMENTRY_CHECK_posted_needs_acknowledge, BASE_64, { CAPS_OR(true_pinbased_ctls, 1ull << 39), OR(PIN_BASED_VM_EXEC_CONTROL, 0x81), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9), CLR(VM_EXIT_CONTROLS, 1u << 15) } },
    { VMENTRY_CHECK_posted_vector, BASE_64, { CAPS_OR(true_pinbased_ctls, 1ull << 39), OR(PIN_BASED_VM_EXEC_CONTROL, 0x81), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9), SET(POSTED_INTERRUPT_NOTIFICATION_VECTOR, 0x1f0) } },
    { VMENTRY_CHECK_posted_descriptor_aligned, BASE_64, { CAPS_OR(true_pinbased_ctls, 1ull << 39), OR(PIN_BASED_VM_EXEC_CONTROL, 0x81), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9), SET(POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, PAGE_SCRATCH + 0x20) } },
    { VMENTRY_CHECK_posted_descriptor_width, BASE_64, { CAPS_OR(true_pinbased_ctls, 1ull << 39), OR(PIN_BASED_VM_EXEC_CONTROL, 0x81), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 9), SET(POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, 1ull << 40) } },
    { VMENTRY_CHECK_vpid_nonzero, BASE_64, { SET(VPID, 0) } },
    { VMENTRY_CHECK_eptp_memory_type, BASE_64, { SET(EPT_POINTER, PAGE_EPT_PML4 | 0x18 | 1) } },
    { VMENTRY_CHECK_eptp_walk_length, BASE_64, { SET(EPT_POINTER, PAGE_EPT_PML4 | 0x10 | 6) } },
    { VMENTRY_CHECK_eptp_accessed_dirty, BASE_64, { CAPS_CLR(ept_vpid_cap, 1u << 21), OR(EPT_POINTER, 1u << 6) } },
    { VMENTRY_CHECK_eptp_shadow_stack, BASE_64, { OR(EPT_POINTER, 1u << 7) } },
    { VMENTRY_CHECK_eptp_reserved, BASE_64, { OR(EPT_POINTER, 1u << 10) } },
    { VMENTRY_CHECK_eptp_width, BASE_64, { OR(EPT_POINTER, 1ull << 45) } },
    { VMENTRY_CHECK_pml_needs_ept, BASE_64, { CLR(SECONDARY_VM_EXEC_CONTROL, 2), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 17) } },
    { VMENTRY_CHECK_pml_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 17), SET(PML_ADDRESS, PAGE_SCRATCH + 8) } },
    { VMENTRY_CHECK_pml_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 17), SET(PML_ADDRESS, 1ull << 46) } },
    { VMENTRY_CHECK_unrestricted_needs_ept, BASE_64, { CLR(SECONDARY_VM_EXEC_CONTROL, 2) } },
    { VMENTRY_CHECK_sub_page_needs_ept, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 55), CLR(SECONDARY_VM_EXEC_CONTROL, 0x82), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 23) } },
    { VMENTRY_CHECK_spptp_aligned, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 55), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 23), SET(SUB_PAGE_PERMISSION_TABLE_POINTER, PAGE_SCRATCH + 1) } },
    { VMENTRY_CHECK_spptp_width, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 55), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 23), SET(SUB_PAGE_PERMISSION_TABLE_POINTER, 1ull << 41) } },
    { VMENTRY_CHECK_mode_based_execute_needs_ept, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 54), CLR(SECONDARY_VM_EXEC_CONTROL, 0x82), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 22) } },
    { VMENTRY_CHECK_pt_guest_physical_needs_ept, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 56), CLR(SECONDARY_VM_EXEC_CONTROL, 0x82), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 24) } },
    { VMENTRY_CHECK_pt_guest_physical_needs_load_rtit, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 56), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 24) } },
    { VMENTRY_CHECK_pt_guest_physical_needs_clear_rtit, BASE_64, { CAPS_OR(procbased_ctls2, 1ull << 56), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 24), OR(VM_ENTRY_CONTROLS, 1u << 18) } },
    { VMENTRY_CHECK_vmfunc_reserved, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 13), SET(VM_FUNCTION_CONTROLS, 2) } },
    { VMENTRY_CHECK_eptp_switching_needs_ept, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 13), SET(VM_FUNCTION_CONTROLS, 1), CLR(SECONDARY_VM_EXEC_CONTROL, 0x82) } },
    { VMENTRY_CHECK_eptp_list_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 13), SET(VM_FUNCTION_CONTROLS, 1), SET(EPTP_LIST_ADDRESS, PAGE_SCRATCH + 0x100) } },
    { VMENTRY_CHECK_eptp_list_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 13), SET(VM_FUNCTION_CONTROLS, 1), SET(EPTP_LIST_ADDRESS, 1ull << 40) } },
    { VMENTRY_CHECK_vmread_bitmap_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 14), SET(VMREAD_BITMAP_ADDRESS, PAGE_SCRATCH + 2) } },
    { VMENTRY_CHECK_vmread_bitmap_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 14), SET(VMREAD_BITMAP_ADDRESS, 1ull << 63) } },
    { VMENTRY_CHECK_vmwrite_bitmap_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 14), SET(VMWRITE_BITMAP_ADDRESS, PAGE_SCRATCH + 0x400) } },
    { VMENTRY_CHECK_vmwrite_bitmap_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 14), SET(VMWRITE_BITMAP_ADDRESS, 1ull << 42) } },
    { VMENTRY_CHECK_ve_information_aligned, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 18), SET(VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, PAGE_SCRATCH + 0x10) } },
    { VMENTRY_CHECK_ve_information_width, BASE_64, { OR(SECONDARY_VM_EXEC_CONTROL, 1u << 18), SET(VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, 1ull << 40) } },
    { VMENTRY_CHECK_exit_allowed0, BASE_64, { CLR(VM_EXIT_CONTROLS, 1) } },
    { VMENTRY_CHECK_exit_allowed1, BASE_64, { OR(VM_EXIT_CONTROLS, 1u << 28) } },
    { VMENTRY_CHECK_save_preemption_timer_needs_timer, BASE_64, { OR(VM_EXIT_CONTROLS, 1u << 22) } },
    { VMENTRY_CHECK_exit_msr_store_aligned, BASE_64, { SET(VM_EXIT_MSR_STORE_COUNT, 1), SET(VM_EXIT_MSR_STORE_ADDRESS, PAGE_SCRATCH + 8) } },
    { VMENTRY_CHECK_exit_msr_store_width, BASE_64, { SET(VM_EXIT_MSR_STORE_COUNT, 1), SET(VM_EXIT_MSR_STORE_ADDRESS, 1ull << 40) } },
    { VMENTRY_CHECK_exit_msr_store_last_byte, BASE_64, { SET(VM_EXIT_MSR_STORE_COUNT, 2), SET(VM_EXIT_MSR_STORE_ADDRESS, (1ull << 40) - 16) } },
    { VMENTRY_CHECK_exit_msr_load_aligned, BASE_64, { SET(VM_EXIT_MSR_LOAD_COUNT, 3), SET(VM_EXIT_MSR_LOAD_ADDRESS, PAGE_SCRATCH + 4) } },
    { VMENTRY_CHECK_exit_msr_load_width, BASE_64, { SET(VM_EXIT_MSR_LOAD_COUNT, 1), SET(VM_EXIT_MSR_LOAD_ADDRESS, 1ull << 50) } },
    { VMENTRY_CHECK_exit_msr_load_last_byte, BASE_64, { SET(VM_EXIT_MSR_LOAD_COUNT, 0x10000000), SET(VM_EXIT_MSR_LOAD_ADDRESS, (1ull << 40) - 0x1000) } },
    { VMENTRY_CHECK_entry_allowed0, BASE_64, { CLR(VM_ENTRY_CONTROLS, 1) } },
    { VMENTRY_CHECK_entry_allowed1, BASE_64, { OR(VM_ENTRY_CONTROLS, 1u << 20) } },
    { VMENTRY_CHECK_event_type_reserved, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000120) } },
    { VMENTRY_CHECK_event_type_other_needs_mtf, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000700) } },
    { VMENTRY_CHECK_event_nmi_vector, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000203) } },
    { VMENTRY_CHECK_event_exception_vector, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000320) } },
    { VMENTRY_CHECK_event_other_vector, BASE_64, { CAPS_OR(true_procbased_ctls, 1ull << 59), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000701) } },
    { VMENTRY_CHECK_event_error_code_required, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x8000030d) } },
    { VMENTRY_CHECK_event_error_code_forbidden, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000b06) } },
    { VMENTRY_CHECK_event_error_code_forbidden, BASE_32, { CLR(GUEST_CR0, 1), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000b0d) } },
    { VMENTRY_CHECK_event_reserved, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80001020) } },
    { VMENTRY_CHECK_event_error_code_high, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000b0d), SET(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000) } },
    { VMENTRY_CHECK_event_instruction_length, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000403), SET(VM_ENTRY_INSTRUCTION_LENGTH, 16) } },
    { VMENTRY_CHECK_entry_to_smm_outside_smm, BASE_64, { OR(VM_ENTRY_CONTROLS, 1u << 10) } },
    { VMENTRY_CHECK_deactivate_dual_monitor_outside_smm, BASE_64, { OR(VM_ENTRY_CONTROLS, 1u << 11) } },
    { VMENTRY_CHECK_entry_msr_load_aligned, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD + 1) } },
    { VMENTRY_CHECK_entry_msr_load_width, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, 1ull << 40) } },
    { VMENTRY_CHECK_entry_msr_load_last_byte, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 0xffffffff), SET(VM_ENTRY_MSR_LOAD_ADDRESS, (1ull << 40) - 0x100000) } },
    { VMENTRY_CHECK_host_cr0_fixed0, BASE_64, { CLR(HOST_CR0, 1) } },
    { VMENTRY_CHECK_host_cr0_fixed1, BASE_64, { OR(HOST_CR0, 1ull << 32) } },
    { VMENTRY_CHECK_host_cr4_fixed0, BASE_64, { CLR(HOST_CR4, 0x2000) } },
    { VMENTRY_CHECK_host_cr4_fixed1, BASE_64, { OR(HOST_CR4, 1u << 12) } },
    { VMENTRY_CHECK_host_cr3_width, BASE_64, { SET(HOST_CR3, 1ull << 45) } },
    { VMENTRY_CHECK_host_cr4_cet_needs_wp, BASE_64, { CAPS_OR(cr4_fixed1, 1u << 23), OR(HOST_CR4, 1u << 23), CLR(HOST_CR0, 1u << 16) } },
    { VMENTRY_CHECK_host_sysenter_esp_canonical, BASE_64, { SET(HOST_IA32_SYSENTER_ESP, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_host_sysenter_eip_canonical, BASE_64, { SET(HOST_IA32_SYSENTER_EIP, 0xfff0000000000000ull) } },
    { VMENTRY_CHECK_host_s_cet_canonical, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 60), OR(VM_EXIT_CONTROLS, 1u << 28), SET(HOST_IA32_S_CET, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_host_s_cet_reserved, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 60), OR(VM_EXIT_CONTROLS, 1u << 28), SET(HOST_IA32_S_CET, 1u << 6) } },
    { VMENTRY_CHECK_host_ssp_canonical, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 60), OR(VM_EXIT_CONTROLS, 1u << 28), SET(HOST_SSP, 0x8000000000000000ull) } },
    { VMENTRY_CHECK_host_ssp_aligned, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 60), OR(VM_EXIT_CONTROLS, 1u << 28), SET(HOST_SSP, 0x1002) } },
    { VMENTRY_CHECK_host_interrupt_ssp_table_canonical, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 60), OR(VM_EXIT_CONTROLS, 1u << 28), SET(HOST_IA32_INTERRUPT_SSP_TABLE_ADDR, 0x0001000000000000ull) } },
    { VMENTRY_CHECK_host_perf_global_ctrl_reserved, BASE_64, { OR(VM_EXIT_CONTROLS, 1u << 12), SET(HOST_IA32_PERF_GLOBAL_CTRL, 1u << 20) } },
    { VMENTRY_CHECK_host_pat_memory_types, BASE_64, { SET(HOST_IA32_PAT, 0x0007040600070402ull) } },
    { VMENTRY_CHECK_host_efer_reserved, BASE_64, { OR(HOST_IA32_EFER, 1u << 2) } },
    { VMENTRY_CHECK_host_efer_lma, BASE_64, { CLR(HOST_IA32_EFER, 1u << 10) } },
    { VMENTRY_CHECK_host_efer_lme, BASE_64, { CLR(HOST_IA32_EFER, 1u << 8) } },
    { VMENTRY_CHECK_host_pkrs_reserved, BASE_64, { CAPS_OR(true_exit_ctls, 1ull << 61), OR(VM_EXIT_CONTROLS, 1u << 29), SET(HOST_IA32_PKRS, 1ull << 32) } },
    { VMENTRY_CHECK_host_es_selector_rpl_ti, BASE_64, { OR(HOST_ES_SELECTOR, 1) } },
    { VMENTRY_CHECK_host_cs_selector_rpl_ti, BASE_64, { OR(HOST_CS_SELECTOR, 4) } },
    { VMENTRY_CHECK_host_ss_selector_rpl_ti, BASE_64, { OR(HOST_SS_SELECTOR, 3) } },
    { VMENTRY_CHECK_host_ds_selector_rpl_ti, BASE_64, { OR(HOST_DS_SELECTOR, 2) } },
    { VMENTRY_CHECK_host_fs_selector_rpl_ti, BASE_64, { SET(HOST_FS_SELECTOR, 0x13) } },
    { VMENTRY_CHECK_host_gs_selector_rpl_ti, BASE_64, { SET(HOST_GS_SELECTOR, 0x14) } },
    { VMENTRY_CHECK_host_tr_selector_rpl_ti, BASE_64, { OR(HOST_TR_SELECTOR, 4) } },
    { VMENTRY_CHECK_host_cs_selector_nonzero, BASE_64, { SET(HOST_CS_SELECTOR, 0) } },
    { VMENTRY_CHECK_host_tr_selector_nonzero, BASE_64, { SET(HOST_TR_SELECTOR, 0) } },
    { VMENTRY_CHECK_host_ss_selector_nonzero, BASE_32, { CPU_LEGACY, CLR(VM_EXIT_CONTROLS, (1u << 9) | (1u << 21)), SET(HOST_SS_SELECTOR, 0) } },
    { VMENTRY_CHECK_host_fs_base_canonical, BASE_64, { SET(HOST_FS_BASE, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_host_gs_base_canonical, BASE_64, { SET(HOST_GS_BASE, 0x7fff000000000000ull) } },
    { VMENTRY_CHECK_host_gdtr_base_canonical, BASE_64, { SET(HOST_GDTR_BASE, 0xff7fffff80201000ull) } },
    { VMENTRY_CHECK_host_idtr_base_canonical, BASE_64, { SET(HOST_IDTR_BASE, 0x0000900000000000ull) } },
    { VMENTRY_CHECK_host_tr_base_canonical, BASE_64, { SET(HOST_TR_BASE, 0x0001000000000000ull) } },
    { VMENTRY_CHECK_host_ia32e_needs_host_address_space_size, BASE_64, { CLR(VM_EXIT_CONTROLS, (1u << 9) | (1u << 21)) } },
    { VMENTRY_CHECK_host_legacy_no_ia32e_guest, BASE_64, { CPU_LEGACY, CLR(VM_EXIT_CONTROLS, (1u << 9) | (1u << 21)) } },
    { VMENTRY_CHECK_host_legacy_no_host_address_space_size, BASE_32, { CPU_LEGACY } },
    { VMENTRY_CHECK_host_32_pcide, BASE_32, { CPU_LEGACY, CLR(VM_EXIT_CONTROLS, (1u << 9) | (1u << 21)), OR(HOST_CR4, 1u << 17) } },
    { VMENTRY_CHECK_host_32_rip, BASE_32, { CPU_LEGACY, CLR(VM_EXIT_CONTROLS, (1u << 9) | (1u << 21)) } },
    { VMENTRY_CHECK_host_64_pae, BASE_64, { CLR(HOST_CR4, 1u << 5) } },
    { VMENTRY_CHECK_host_64_rip_canonical, BASE_64, { SET(HOST_RIP, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_cr0_fixed0, BASE_64, { CLR(GUEST_CR0, 1u << 5) } },
    { VMENTRY_CHECK_guest_cr0_fixed1, BASE_64, { OR(GUEST_CR0, 1ull << 32) } },
    { VMENTRY_CHECK_guest_cr0_pg_needs_pe, BASE_32, { CLR(GUEST_CR0, 1), OR(GUEST_CR0, 1u << 31) } },
    { VMENTRY_CHECK_guest_cr4_fixed0, BASE_64, { CLR(GUEST_CR4, 0x2000) } },
    { VMENTRY_CHECK_guest_cr4_fixed1, BASE_64, { OR(GUEST_CR4, 1u << 12) } },
    { VMENTRY_CHECK_guest_cr4_cet_needs_wp, BASE_64, { CAPS_OR(cr4_fixed1, 1u << 23), OR(GUEST_CR4, 1u << 23), CLR(GUEST_CR0, 1u << 16) } },
    { VMENTRY_CHECK_guest_debugctl_reserved, BASE_64, { SET(GUEST_IA32_DEBUGCTL, 1u << 2) } },
    { VMENTRY_CHECK_guest_ia32e_needs_pg, BASE_64, { CLR(GUEST_CR0, 1u << 31) } },
    { VMENTRY_CHECK_guest_ia32e_needs_pae, BASE_64, { CLR(GUEST_CR4, 1u << 5) } },
    { VMENTRY_CHECK_guest_legacy_pcide, BASE_32, { OR(GUEST_CR4, 1u << 17) } },
    { VMENTRY_CHECK_guest_cr3_width, BASE_64, { SET(GUEST_CR3, 1ull << 45) } },
    { VMENTRY_CHECK_guest_dr7_high, BASE_64, { SET(GUEST_DR7, (1ull << 32) | 0x400) } },
    { VMENTRY_CHECK_guest_sysenter_esp_canonical, BASE_64, { SET(GUEST_IA32_SYSENTER_ESP, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_sysenter_eip_canonical, BASE_64, { SET(GUEST_IA32_SYSENTER_EIP, 0x8000000000000000ull) } },
    { VMENTRY_CHECK_guest_perf_global_ctrl_reserved, BASE_64, { OR(VM_ENTRY_CONTROLS, 1u << 13), SET(GUEST_IA32_PERF_GLOBAL_CTRL, 1u << 20) } },
    { VMENTRY_CHECK_guest_pat_memory_types, BASE_64, { SET(GUEST_IA32_PAT, 0x0307040600070406ull) } },
    { VMENTRY_CHECK_guest_efer_reserved, BASE_64, { OR(GUEST_IA32_EFER, 1u << 1) } },
    { VMENTRY_CHECK_guest_efer_lma, BASE_64, { CLR(GUEST_IA32_EFER, 1u << 10) } },
    { VMENTRY_CHECK_guest_efer_lme, BASE_64, { CLR(GUEST_IA32_EFER, 1u << 8) } },
    { VMENTRY_CHECK_guest_bndcfgs_reserved, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 48), OR(VM_ENTRY_CONTROLS, 1u << 16), SET(GUEST_IA32_BNDCFGS, 1u << 2) } },
    { VMENTRY_CHECK_guest_bndcfgs_canonical, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 48), OR(VM_ENTRY_CONTROLS, 1u << 16), SET(GUEST_IA32_BNDCFGS, 0x0000800000000001ull) } },
    { VMENTRY_CHECK_guest_s_cet_canonical, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 52), OR(VM_ENTRY_CONTROLS, 1u << 20), SET(GUEST_IA32_S_CET, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_s_cet_reserved, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 52), OR(VM_ENTRY_CONTROLS, 1u << 20), SET(GUEST_IA32_S_CET, 0xc00) } },
    { VMENTRY_CHECK_guest_ssp_canonical, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 52), OR(VM_ENTRY_CONTROLS, 1u << 20), SET(GUEST_SSP, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_ssp_aligned, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 52), OR(VM_ENTRY_CONTROLS, 1u << 20), SET(GUEST_SSP, 0x2001) } },
    { VMENTRY_CHECK_guest_interrupt_ssp_table_canonical, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 52), OR(VM_ENTRY_CONTROLS, 1u << 20), SET(GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_pkrs_reserved, BASE_64, { CAPS_OR(true_entry_ctls, 1ull << 54), OR(VM_ENTRY_CONTROLS, 1u << 22), SET(GUEST_IA32_PKRS, 1ull << 32) } },
    { VMENTRY_CHECK_guest_tr_selector_ti, BASE_64, { OR(GUEST_TR_SELECTOR, 4) } },
    { VMENTRY_CHECK_guest_ldtr_selector_ti, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x82), SET(GUEST_LDTR_SELECTOR, 0x24) } },
    { VMENTRY_CHECK_guest_ss_rpl_equals_cs_rpl, BASE_64_NO_UG, { OR(GUEST_SS_SELECTOR, 3) } },
    { VMENTRY_CHECK_guest_es_v8086_base, BASE_V8086, { SET(GUEST_ES_BASE, 0x10010) } },
    { VMENTRY_CHECK_guest_cs_v8086_base, BASE_V8086, { SET(GUEST_CS_BASE, 0) } },
    { VMENTRY_CHECK_guest_ss_v8086_base, BASE_V8086, { SET(GUEST_SS_BASE, 0x10021) } },
    { VMENTRY_CHECK_guest_ds_v8086_base, BASE_V8086, { SET(GUEST_DS_BASE, 0x1003) } },
    { VMENTRY_CHECK_guest_fs_v8086_base, BASE_V8086, { SET(GUEST_FS_BASE, 0x100040) } },
    { VMENTRY_CHECK_guest_gs_v8086_base, BASE_V8086, { SET(GUEST_GS_BASE, 0xffffffff00010050ull) } },
    { VMENTRY_CHECK_guest_tr_base_canonical, BASE_64, { SET(GUEST_TR_BASE, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_fs_base_canonical, BASE_64, { SET(GUEST_FS_BASE, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_gs_base_canonical, BASE_64, { SET(GUEST_GS_BASE, 0xfffe000000000000ull) } },
    { VMENTRY_CHECK_guest_ldtr_base_canonical, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x82), SET(GUEST_LDTR_BASE, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_cs_base_high, BASE_64, { SET(GUEST_CS_BASE, 1ull << 32) } },
    { VMENTRY_CHECK_guest_ss_base_high, BASE_32, { SET(GUEST_SS_BASE, 1ull << 40) } },
    { VMENTRY_CHECK_guest_ds_base_high, BASE_64, { SET(GUEST_DS_BASE, 0xffffffff00000000ull) } },
    { VMENTRY_CHECK_guest_es_base_high, BASE_64, { SET(GUEST_ES_BASE, 1ull << 33) } },
    { VMENTRY_CHECK_guest_es_v8086_limit, BASE_V8086, { SET(GUEST_ES_LIMIT, 0xfffff) } },
    { VMENTRY_CHECK_guest_cs_v8086_limit, BASE_V8086, { SET(GUEST_CS_LIMIT, 0xfffe) } },
    { VMENTRY_CHECK_guest_ss_v8086_limit, BASE_V8086, { SET(GUEST_SS_LIMIT, 0xffffffff) } },
    { VMENTRY_CHECK_guest_ds_v8086_limit, BASE_V8086, { SET(GUEST_DS_LIMIT, 0) } },
    { VMENTRY_CHECK_guest_fs_v8086_limit, BASE_V8086, { SET(GUEST_FS_LIMIT, 0x1ffff) } },
    { VMENTRY_CHECK_guest_gs_v8086_limit, BASE_V8086, { SET(GUEST_GS_LIMIT, 0x7fff) } },
    { VMENTRY_CHECK_guest_es_v8086_access_rights, BASE_V8086, { SET(GUEST_ES_ACCESS_RIGHTS, 0xf1) } },
    { VMENTRY_CHECK_guest_cs_v8086_access_rights, BASE_V8086, { SET(GUEST_CS_ACCESS_RIGHTS, 0xfb) } },
    { VMENTRY_CHECK_guest_ss_v8086_access_rights, BASE_V8086, { SET(GUEST_SS_ACCESS_RIGHTS, 0x10f3) } },
    { VMENTRY_CHECK_guest_ds_v8086_access_rights, BASE_V8086, { SET(GUEST_DS_ACCESS_RIGHTS, 0x93) } },
    { VMENTRY_CHECK_guest_fs_v8086_access_rights, BASE_V8086, { SET(GUEST_FS_ACCESS_RIGHTS, 0x100f3) } },
    { VMENTRY_CHECK_guest_gs_v8086_access_rights, BASE_V8086, { SET(GUEST_GS_ACCESS_RIGHTS, 0x80f3) } },
    { VMENTRY_CHECK_guest_cs_type, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xa091) } },
    { VMENTRY_CHECK_guest_ss_type, BASE_64, { SET(GUEST_SS_ACCESS_RIGHTS, 0xc09b) } },
    { VMENTRY_CHECK_guest_ds_type_accessed, BASE_64, { SET(GUEST_DS_ACCESS_RIGHTS, 0xc092) } },
    { VMENTRY_CHECK_guest_es_type_accessed, BASE_64, { SET(GUEST_ES_ACCESS_RIGHTS, 0xc09a) } },
    { VMENTRY_CHECK_guest_fs_type_accessed, BASE_32, { SET(GUEST_FS_ACCESS_RIGHTS, 0xc090) } },
    { VMENTRY_CHECK_guest_gs_type_accessed, BASE_32, { SET(GUEST_GS_ACCESS_RIGHTS, 0xc096) } },
    { VMENTRY_CHECK_guest_ds_type_readable, BASE_64, { SET(GUEST_DS_ACCESS_RIGHTS, 0xc099) } },
    { VMENTRY_CHECK_guest_es_type_readable, BASE_64, { SET(GUEST_ES_ACCESS_RIGHTS, 0xc09d) } },
    { VMENTRY_CHECK_guest_fs_type_readable, BASE_32, { SET(GUEST_FS_ACCESS_RIGHTS, 0xc099) } },
    { VMENTRY_CHECK_guest_gs_type_readable, BASE_32, { SET(GUEST_GS_ACCESS_RIGHTS, 0xc09d) } },
    { VMENTRY_CHECK_guest_es_s, BASE_64, { CLR(GUEST_ES_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_cs_s, BASE_64, { CLR(GUEST_CS_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_ss_s, BASE_32, { CLR(GUEST_SS_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_ds_s, BASE_64, { CLR(GUEST_DS_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_fs_s, BASE_64, { CLR(GUEST_FS_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_gs_s, BASE_64, { CLR(GUEST_GS_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_cs_dpl_data, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xa0f3) } },
    { VMENTRY_CHECK_guest_cs_dpl_nonconforming, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xa0fb) } },
    { VMENTRY_CHECK_guest_cs_dpl_conforming, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xa0ff) } },
    { VMENTRY_CHECK_guest_ss_dpl_rpl, BASE_64_NO_UG, { SET(GUEST_SS_ACCESS_RIGHTS, 0xc0f3), SET(GUEST_CS_ACCESS_RIGHTS, 0xa0fb) } },
    { VMENTRY_CHECK_guest_ss_dpl_zero, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xa093), SET(GUEST_SS_ACCESS_RIGHTS, 0xc0f3) } },
    { VMENTRY_CHECK_guest_ds_dpl_rpl, BASE_64_NO_UG, { OR(GUEST_DS_SELECTOR, 3) } },
    { VMENTRY_CHECK_guest_es_dpl_rpl, BASE_64_NO_UG, { OR(GUEST_ES_SELECTOR, 1) } },
    { VMENTRY_CHECK_guest_fs_dpl_rpl, BASE_64_NO_UG, { OR(GUEST_FS_SELECTOR, 2) } },
    { VMENTRY_CHECK_guest_gs_dpl_rpl, BASE_64_NO_UG, { OR(GUEST_GS_SELECTOR, 3) } },
    { VMENTRY_CHECK_guest_es_p, BASE_64, { CLR(GUEST_ES_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_cs_p, BASE_64, { CLR(GUEST_CS_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_ss_p, BASE_32, { CLR(GUEST_SS_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_ds_p, BASE_64, { CLR(GUEST_DS_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_fs_p, BASE_64, { CLR(GUEST_FS_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_gs_p, BASE_64, { CLR(GUEST_GS_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_es_reserved_11_8, BASE_64, { OR(GUEST_ES_ACCESS_RIGHTS, 0x100) } },
    { VMENTRY_CHECK_guest_cs_reserved_11_8, BASE_64, { OR(GUEST_CS_ACCESS_RIGHTS, 0x800) } },
    { VMENTRY_CHECK_guest_ss_reserved_11_8, BASE_32, { OR(GUEST_SS_ACCESS_RIGHTS, 0x200) } },
    { VMENTRY_CHECK_guest_ds_reserved_11_8, BASE_64, { OR(GUEST_DS_ACCESS_RIGHTS, 0x400) } },
    { VMENTRY_CHECK_guest_fs_reserved_11_8, BASE_64, { OR(GUEST_FS_ACCESS_RIGHTS, 0x100) } },
    { VMENTRY_CHECK_guest_gs_reserved_11_8, BASE_64, { OR(GUEST_GS_ACCESS_RIGHTS, 0xf00) } },
    { VMENTRY_CHECK_guest_cs_db_long, BASE_64, { SET(GUEST_CS_ACCESS_RIGHTS, 0xe09b) } },
    { VMENTRY_CHECK_guest_es_g_limit_low, BASE_64, { SET(GUEST_ES_LIMIT, 0xfffff000) } },
    { VMENTRY_CHECK_guest_cs_g_limit_low, BASE_64, { SET(GUEST_CS_LIMIT, 0xffffeffe) } },
    { VMENTRY_CHECK_guest_ss_g_limit_low, BASE_32, { SET(GUEST_SS_LIMIT, 0x000ff000) } },
    { VMENTRY_CHECK_guest_ds_g_limit_low, BASE_64, { SET(GUEST_DS_LIMIT, 0x7ffffffe) } },
    { VMENTRY_CHECK_guest_fs_g_limit_low, BASE_64, { SET(GUEST_FS_LIMIT, 0xfffff7ff) } },
    { VMENTRY_CHECK_guest_gs_g_limit_low, BASE_64, { SET(GUEST_GS_LIMIT, 0) } },
    { VMENTRY_CHECK_guest_es_g_limit_high, BASE_64, { CLR(GUEST_ES_ACCESS_RIGHTS, 0x8000) } },
    { VMENTRY_CHECK_guest_cs_g_limit_high, BASE_64, { CLR(GUEST_CS_ACCESS_RIGHTS, 0x8000) } },
    { VMENTRY_CHECK_guest_ss_g_limit_high, BASE_32, { CLR(GUEST_SS_ACCESS_RIGHTS, 0x8000) } },
    { VMENTRY_CHECK_guest_ds_g_limit_high, BASE_64, { CLR(GUEST_DS_ACCESS_RIGHTS, 0x8000), SET(GUEST_DS_LIMIT, 0x100000) } },
    { VMENTRY_CHECK_guest_fs_g_limit_high, BASE_64, { CLR(GUEST_FS_ACCESS_RIGHTS, 0x8000) } },
    { VMENTRY_CHECK_guest_gs_g_limit_high, BASE_64, { CLR(GUEST_GS_ACCESS_RIGHTS, 0x8000), SET(GUEST_GS_LIMIT, 0x80000fff) } },
    { VMENTRY_CHECK_guest_es_reserved_31_17, BASE_64, { OR(GUEST_ES_ACCESS_RIGHTS, 1u << 17) } },
    { VMENTRY_CHECK_guest_cs_reserved_31_17, BASE_64, { OR(GUEST_CS_ACCESS_RIGHTS, 1u << 31) } },
    { VMENTRY_CHECK_guest_ss_reserved_31_17, BASE_32, { OR(GUEST_SS_ACCESS_RIGHTS, 1u << 20) } },
    { VMENTRY_CHECK_guest_ds_reserved_31_17, BASE_64, { OR(GUEST_DS_ACCESS_RIGHTS, 1u << 17) } },
    { VMENTRY_CHECK_guest_fs_reserved_31_17, BASE_64, { OR(GUEST_FS_ACCESS_RIGHTS, 1u << 24) } },
    { VMENTRY_CHECK_guest_gs_reserved_31_17, BASE_64, { OR(GUEST_GS_ACCESS_RIGHTS, 1u << 18) } },
    { VMENTRY_CHECK_guest_tr_type, BASE_64, { SET(GUEST_TR_ACCESS_RIGHTS, 0x89) } },
    { VMENTRY_CHECK_guest_tr_s, BASE_64, { OR(GUEST_TR_ACCESS_RIGHTS, 0x10) } },
    { VMENTRY_CHECK_guest_tr_p, BASE_64, { CLR(GUEST_TR_ACCESS_RIGHTS, 0x80) } },
    { VMENTRY_CHECK_guest_tr_reserved_11_8, BASE_64, { OR(GUEST_TR_ACCESS_RIGHTS, 0x100) } },
    { VMENTRY_CHECK_guest_tr_g_limit_low, BASE_64, { OR(GUEST_TR_ACCESS_RIGHTS, 0x8000) } },
    { VMENTRY_CHECK_guest_tr_g_limit_high, BASE_64, { SET(GUEST_TR_LIMIT, 0x100000) } },
    { VMENTRY_CHECK_guest_tr_usable, BASE_64, { OR(GUEST_TR_ACCESS_RIGHTS, 1u << 16) } },
    { VMENTRY_CHECK_guest_tr_reserved_31_17, BASE_64, { OR(GUEST_TR_ACCESS_RIGHTS, 1u << 17) } },
    { VMENTRY_CHECK_guest_ldtr_type, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x83) } },
    { VMENTRY_CHECK_guest_ldtr_s, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x92) } },
    { VMENTRY_CHECK_guest_ldtr_p, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x02) } },
    { VMENTRY_CHECK_guest_ldtr_reserved_11_8, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x182) } },
    { VMENTRY_CHECK_guest_ldtr_g_limit_low, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x8082) } },
    { VMENTRY_CHECK_guest_ldtr_g_limit_high, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x82), SET(GUEST_LDTR_LIMIT, 0x100000) } },
    { VMENTRY_CHECK_guest_ldtr_reserved_31_17, BASE_64, { SET(GUEST_LDTR_ACCESS_RIGHTS, 0x20082) } },
    { VMENTRY_CHECK_guest_gdtr_base_canonical, BASE_64, { SET(GUEST_GDTR_BASE, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_idtr_base_canonical, BASE_64, { SET(GUEST_IDTR_BASE, 0x8000000000000000ull) } },
    { VMENTRY_CHECK_guest_gdtr_limit, BASE_64, { SET(GUEST_GDTR_LIMIT, 0x10000) } },
    { VMENTRY_CHECK_guest_idtr_limit, BASE_64, { SET(GUEST_IDTR_LIMIT, 0xffffffff) } },
    { VMENTRY_CHECK_guest_rip_high, BASE_32, { SET(GUEST_RIP, 1ull << 32) } },
    { VMENTRY_CHECK_guest_rip_canonical, BASE_64, { SET(GUEST_RIP, 0x0000800000000000ull) } },
    { VMENTRY_CHECK_guest_rflags_reserved, BASE_64, { OR(GUEST_RFLAGS, 1u << 3) } },
    { VMENTRY_CHECK_guest_rflags_bit1, BASE_64, { SET(GUEST_RFLAGS, 0) } },
    { VMENTRY_CHECK_guest_rflags_vm_ia32e, BASE_V8086, { OR(VM_ENTRY_CONTROLS, 1u << 9), OR(GUEST_CR0, 1u << 31), OR(GUEST_CR4, 1u << 5), SET(GUEST_IA32_EFER, 0x500) } },
    { VMENTRY_CHECK_guest_rflags_vm_real, BASE_V8086, { CLR(GUEST_CR0, 1) } },
    { VMENTRY_CHECK_guest_rflags_if_external_interrupt, BASE_64, { SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000020) } },
    { VMENTRY_CHECK_guest_activity_range, BASE_64, { SET(GUEST_ACTIVITY_STATE, 4) } },
    { VMENTRY_CHECK_guest_activity_supported, BASE_64, { CAPS_CLR(misc, 1u << 6), SET(GUEST_ACTIVITY_STATE, 1) } },
    { VMENTRY_CHECK_guest_activity_hlt_ss_dpl, BASE_64, { SET(GUEST_ACTIVITY_STATE, 1), SET(GUEST_SS_ACCESS_RIGHTS, 0xc0f3), SET(GUEST_CS_ACCESS_RIGHTS, 0xa0fb) } },
    { VMENTRY_CHECK_guest_activity_blocking_active, BASE_64, { SET(GUEST_ACTIVITY_STATE, 1), SET(GUEST_INTERRUPTIBILITY_STATE, 2) } },
    { VMENTRY_CHECK_guest_activity_hlt_event, BASE_64, { SET(GUEST_ACTIVITY_STATE, 1), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000b0d) } },
    { VMENTRY_CHECK_guest_activity_shutdown_event, BASE_64, { SET(GUEST_ACTIVITY_STATE, 2), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000b0d) } },
    { VMENTRY_CHECK_guest_activity_wait_for_sipi_event, BASE_64, { SET(GUEST_ACTIVITY_STATE, 3), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000202) } },
    { VMENTRY_CHECK_guest_activity_wait_for_sipi_smm, BASE_64, { CPU_SMM, OR(VM_ENTRY_CONTROLS, 1u << 10), SET(GUEST_ACTIVITY_STATE, 3) } },
    { VMENTRY_CHECK_guest_interruptibility_reserved, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 1u << 5) } },
    { VMENTRY_CHECK_guest_interruptibility_sti_and_mov_ss, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 3) } },
    { VMENTRY_CHECK_guest_interruptibility_sti_needs_if, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 1) } },
    { VMENTRY_CHECK_guest_interruptibility_external_interrupt, BASE_64, { OR(GUEST_RFLAGS, 1u << 9), SET(GUEST_INTERRUPTIBILITY_STATE, 1), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000020) } },
    { VMENTRY_CHECK_guest_interruptibility_nmi_mov_ss, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 2), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000202) } },
    { VMENTRY_CHECK_guest_interruptibility_smi_outside_smm, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 4) } },
    { VMENTRY_CHECK_guest_interruptibility_smi_entry_to_smm, BASE_64, { CPU_SMM, OR(VM_ENTRY_CONTROLS, 1u << 10) } },
    { VMENTRY_CHECK_guest_interruptibility_nmi_sti, BASE_64, { OR(GUEST_RFLAGS, 1u << 9), SET(GUEST_INTERRUPTIBILITY_STATE, 1), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000202) } },
    { VMENTRY_CHECK_guest_interruptibility_virtual_nmi_blocking, BASE_64, { OR(PIN_BASED_VM_EXEC_CONTROL, 0x28), SET(GUEST_INTERRUPTIBILITY_STATE, 8), SET(VM_ENTRY_INTERRUPTION_INFO, 0x80000202) } },
    { VMENTRY_CHECK_guest_interruptibility_enclave_needs_sgx, BASE_64, { SET(GUEST_INTERRUPTIBILITY_STATE, 0x10) } },
    { VMENTRY_CHECK_guest_interruptibility_enclave_mov_ss, BASE_64, { CPU_SGX, SET(GUEST_INTERRUPTIBILITY_STATE, 0x12) } },
    { VMENTRY_CHECK_guest_pending_debug_reserved, BASE_64, { SET(GUEST_PENDING_DEBUG_EXCEPTIONS, 1u << 4) } },
    { VMENTRY_CHECK_guest_pending_debug_reserved, BASE_64, { SET(GUEST_PENDING_DEBUG_EXCEPTIONS, 1ull << 32) } },
    { VMENTRY_CHECK_guest_pending_debug_bs_set, BASE_64, { OR(GUEST_RFLAGS, (1u << 8) | (1u << 9)), SET(GUEST_INTERRUPTIBILITY_STATE, 1) } },
    { VMENTRY_CHECK_guest_pending_debug_bs_clear, BASE_64, { OR(GUEST_RFLAGS, 1u << 9), SET(GUEST_INTERRUPTIBILITY_STATE, 1), SET(GUEST_PENDING_DEBUG_EXCEPTIONS, 1u << 14) } },
    { VMENTRY_CHECK_guest_pending_debug_bs_clear, BASE_64, { OR(GUEST_RFLAGS, 1u << 8), SET(GUEST_IA32_DEBUGCTL, 2), SET(GUEST_ACTIVITY_STATE, 1), SET(GUEST_PENDING_DEBUG_EXCEPTIONS, 1u << 14) } },
    { VMENTRY_CHECK_guest_pending_debug_rtm_support, BASE_64, { SET(GUEST_PENDING_DEBUG_EXCEPTIONS, (1u << 16) | (1u << 12)) } },
    { VMENTRY_CHECK_guest_pending_debug_rtm_form, BASE_64, { CPU_RTM, SET(GUEST_PENDING_DEBUG_EXCEPTIONS, 1u << 16) } },
    { VMENTRY_CHECK_guest_link_pointer_aligned, BASE_64, { SET(LINK_POINTER, PAGE_LINK + 0x10) } },
    { VMENTRY_CHECK_guest_link_pointer_width, BASE_64, { SET(LINK_POINTER, 1ull << 40) } },
    { VMENTRY_CHECK_guest_link_pointer_revision, BASE_64, { SET(LINK_POINTER, PAGE_LINK), MEM(PAGE_LINK, 0x2a) } },
    { VMENTRY_CHECK_guest_link_pointer_shadow, BASE_64, { SET(LINK_POINTER, PAGE_LINK), MEM(PAGE_LINK, 0x8000002b) } },
    { VMENTRY_CHECK_guest_link_pointer_shadow, BASE_64, { SET(LINK_POINTER, PAGE_LINK), MEM(PAGE_LINK, 0x2b), OR(SECONDARY_VM_EXEC_CONTROL, 1u << 14) } },
    { VMENTRY_CHECK_guest_link_pointer_current, BASE_64, { SET(LINK_POINTER, PAGE_CURRENT_VMCS), MEM(PAGE_CURRENT_VMCS, 0x2b), CPU_CURRENT(PAGE_CURRENT_VMCS) } },
    { VMENTRY_CHECK_guest_pdpte0_reserved, BASE_PAE_EPT, { SET(GUEST_PDPTE0, 0x20003) } },
    { VMENTRY_CHECK_guest_pdpte1_reserved, BASE_PAE_EPT, { SET(GUEST_PDPTE1, 0x20021) } },
    { VMENTRY_CHECK_guest_pdpte2_reserved, BASE_PAE_EPT, { SET(GUEST_PDPTE2, 0x20101) } },
    { VMENTRY_CHECK_guest_pdpte3_reserved, BASE_PAE_EPT, { SET(GUEST_PDPTE3, (1ull << 40) | 1) } },
    { VMENTRY_CHECK_guest_pdpte0_memory_reserved, BASE_PAE_NO_EPT, { MEM(PAGE_PDPT, 0x20005) } },
    { VMENTRY_CHECK_guest_pdpte1_memory_reserved, BASE_PAE_NO_EPT, { MEM(PAGE_PDPT + 8, 0x20041) } },
    { VMENTRY_CHECK_guest_pdpte2_memory_reserved, BASE_PAE_NO_EPT, { MEM(PAGE_PDPT + 16, 0x20081) } },
    { VMENTRY_CHECK_guest_pdpte3_memory_reserved, BASE_PAE_NO_EPT, { MEM(PAGE_PDPT + 24, (1ull << 45) | 1) } },
    { VMENTRY_CHECK_msr_load_count_maximum, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 513), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD) } },
    { VMENTRY_CHECK_msr_load_entry_reserved, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD), MEM(PAGE_MSR_LOAD, (1ull << 32) | 0x10) } },
    { VMENTRY_CHECK_msr_load_entry_fs_gs_base, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD), MEM(PAGE_MSR_LOAD, 0xc0000101) } },
    { VMENTRY_CHECK_msr_load_entry_x2apic, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD), MEM(PAGE_MSR_LOAD, 0x808) } },
    { VMENTRY_CHECK_msr_load_entry_smm_only, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD), MEM(PAGE_MSR_LOAD, 0x9b) } },
    { VMENTRY_CHECK_msr_load_entry_wrmsr, BASE_64, { SET(VM_ENTRY_MSR_LOAD_COUNT, 1), SET(VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD), MEM(PAGE_MSR_LOAD, 0x1234) } },
};
/* clang-format on */

#undef SET
#undef OR
#undef CLR
#undef CAPS_OR
#undef CAPS_CLR
#undef MEM
#undef CPU_LEGACY
#undef CPU_SMM
#undef CPU_SGX
#undef CPU_RTM
#undef CPU_CURRENT

/* Applies a case's steps to a freshly initialised test input. */
static inline void break_case_apply(struct test_vmentry *t, const struct break_case *bc)
{
    for (unsigned i = 0; i < 6 && bc->steps[i].op != OP_END; i++) {
        const struct break_step *s = &bc->steps[i];
        uint64_t value = 0;
        uint64_t *caps_member = (uint64_t *)((char *)&t->caps + s->where);
        switch (s->op) {
        case OP_SET:
            image_put(&t->image, (uint32_t)s->where, s->value);
            break;
        case OP_OR:
        case OP_CLR:
            if (!vmcs_image_get(&t->image, (uint32_t)s->where, &value))
                __builtin_trap();
            image_put(&t->image, (uint32_t)s->where, s->op == OP_OR ? value | s->value : value & ~s->value);
            break;
        case OP_CAPS_OR:
            *caps_member |= s->value;
            break;
        case OP_CAPS_CLR:
            *caps_member &= ~s->value;
            break;
        case OP_MEM:
            fake_phys_write64(&t->mem, s->where, s->value);
            break;
        case OP_CPU_LEGACY:
            t->cpu.host_ia32e_mode = false;
            break;
        case OP_CPU_SMM:
            t->cpu.in_smm = true;
            break;
        case OP_CPU_SGX:
            t->cpu.sgx = true;
            break;
        case OP_CPU_RTM:
            t->cpu.rtm = true;
            break;
        case OP_CPU_CURRENT:
            t->cpu.current_vmcs_phys = s->value;
            break;
        default:
            break;
        }
    }
}

#endif
