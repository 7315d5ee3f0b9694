/*
 * Every VM-entry check, in the order they run: the SDM's "Checks on VMX
 * Controls" (VM-execution, VM-exit, VM-entry control fields), "Checks on
 * Host-State Area" (control registers and MSRs, segment and descriptor-table
 * registers, address-space size), "Checks on Guest-State Area" (control and
 * debug registers and MSRs, segment registers, descriptor-table registers,
 * RIP and RFLAGS, non-register state, PDPTEs) and the failures of "Loading
 * MSRs" at VM entry.
 *
 * X(area, id, predicate, param, field, name):
 *   area       CONTROL, HOST, GUEST, MSR_LIST (once per entry) or MSR_ENTRY (per MSR-load entry)
 *   id         VMENTRY_CHECK_<id> in vmentry_check.h
 *   predicate  vmentry_ok_<predicate>(ctx, param): true when the check passes or does not apply
 *   field      the VMCS field a failure names
 *   name       the check in the SDM's words
 * Several checks share one predicate through param (a segment, an address, a control word).
 */
#ifndef ARCH_X86_VMX_VMENTRY_CHECK_LIST_H
#define ARCH_X86_VMX_VMENTRY_CHECK_LIST_H

/* clang-format off */
#define VMENTRY_CHECK_LIST(X) \
    X(CONTROL, pin_allowed0, control_allowed0, CTL_PIN, VMCS_PIN_BASED_VM_EXEC_CONTROL, "pin-based VM-execution controls: a bit the capability MSR fixes to 1 is 0") \
    X(CONTROL, pin_allowed1, control_allowed1, CTL_PIN, VMCS_PIN_BASED_VM_EXEC_CONTROL, "pin-based VM-execution controls: a bit the capability MSR does not allow to be 1 is 1") \
    X(CONTROL, proc_allowed0, control_allowed0, CTL_PROC, VMCS_CPU_BASED_VM_EXEC_CONTROL, "primary processor-based VM-execution controls: a bit the capability MSR fixes to 1 is 0") \
    X(CONTROL, proc_allowed1, control_allowed1, CTL_PROC, VMCS_CPU_BASED_VM_EXEC_CONTROL, "primary processor-based VM-execution controls: a bit the capability MSR does not allow to be 1 is 1") \
    X(CONTROL, proc2_allowed0, control_allowed0, CTL_PROC2, VMCS_SECONDARY_VM_EXEC_CONTROL, "secondary processor-based VM-execution controls: a bit IA32_VMX_PROCBASED_CTLS2 fixes to 1 is 0") \
    X(CONTROL, proc2_allowed1, control_allowed1, CTL_PROC2, VMCS_SECONDARY_VM_EXEC_CONTROL, "secondary processor-based VM-execution controls: a bit IA32_VMX_PROCBASED_CTLS2 does not allow to be 1 is 1") \
    X(CONTROL, cr3_target_count, cr3_target_count, 0, VMCS_CR3_TARGET_COUNT, "the CR3-target count must not be greater than the number of CR3-target values IA32_VMX_MISC bits 24:16 supports") \
    X(CONTROL, io_bitmap_a_aligned, address_aligned, ADDR_IO_BITMAP_A, VMCS_IO_BITMAP_A, "\"use I/O bitmaps\" is 1: I/O-bitmap address A: bits 11:0 of the address must be 0") \
    X(CONTROL, io_bitmap_a_width, address_width, ADDR_IO_BITMAP_A, VMCS_IO_BITMAP_A, "\"use I/O bitmaps\" is 1: I/O-bitmap address A: the address must not set bits beyond the physical-address width") \
    X(CONTROL, io_bitmap_b_aligned, address_aligned, ADDR_IO_BITMAP_B, VMCS_IO_BITMAP_B, "\"use I/O bitmaps\" is 1: I/O-bitmap address B: bits 11:0 of the address must be 0") \
    X(CONTROL, io_bitmap_b_width, address_width, ADDR_IO_BITMAP_B, VMCS_IO_BITMAP_B, "\"use I/O bitmaps\" is 1: I/O-bitmap address B: the address must not set bits beyond the physical-address width") \
    X(CONTROL, msr_bitmap_aligned, address_aligned, ADDR_MSR_BITMAP, VMCS_MSR_BITMAP, "\"use MSR bitmaps\" is 1: MSR-bitmap address: bits 11:0 of the address must be 0") \
    X(CONTROL, msr_bitmap_width, address_width, ADDR_MSR_BITMAP, VMCS_MSR_BITMAP, "\"use MSR bitmaps\" is 1: MSR-bitmap address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, virtual_apic_aligned, address_aligned, ADDR_VIRTUAL_APIC, VMCS_VIRTUAL_APIC_ADDRESS, "\"use TPR shadow\" is 1: virtual-APIC address: bits 11:0 of the address must be 0") \
    X(CONTROL, virtual_apic_width, address_width, ADDR_VIRTUAL_APIC, VMCS_VIRTUAL_APIC_ADDRESS, "\"use TPR shadow\" is 1: virtual-APIC address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, tpr_threshold_reserved, tpr_threshold_reserved, 0, VMCS_TPR_THRESHOLD, "\"use TPR shadow\" 1 and \"virtual-interrupt delivery\" 0: bits 31:4 of the TPR threshold must be 0") \
    X(CONTROL, tpr_threshold_vtpr, tpr_threshold_vtpr, 0, VMCS_TPR_THRESHOLD, "\"use TPR shadow\" 1, \"virtual-interrupt delivery\" and \"virtualize APIC accesses\" 0: TPR threshold bits 3:0 must not be greater than VTPR bits 7:4") \
    X(CONTROL, no_tpr_shadow_x2apic, no_tpr_shadow, PROC2_VIRTUALIZE_X2APIC, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"use TPR shadow\" is 0: \"virtualize x2APIC mode\" must be 0") \
    X(CONTROL, no_tpr_shadow_apic_register, no_tpr_shadow, PROC2_APIC_REGISTER_VIRTUALIZATION, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"use TPR shadow\" is 0: \"APIC-register virtualization\" must be 0") \
    X(CONTROL, no_tpr_shadow_vid, no_tpr_shadow, PROC2_VIRTUAL_INTERRUPT_DELIVERY, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"use TPR shadow\" is 0: \"virtual-interrupt delivery\" must be 0") \
    X(CONTROL, virtual_nmis_need_nmi_exiting, virtual_nmis_need_nmi_exiting, 0, VMCS_PIN_BASED_VM_EXEC_CONTROL, "\"NMI exiting\" is 0: \"virtual NMIs\" must be 0") \
    X(CONTROL, nmi_window_needs_virtual_nmis, nmi_window_needs_virtual_nmis, 0, VMCS_CPU_BASED_VM_EXEC_CONTROL, "\"virtual NMIs\" is 0: \"NMI-window exiting\" must be 0") \
    X(CONTROL, apic_access_aligned, address_aligned, ADDR_APIC_ACCESS, VMCS_APIC_ACCESS_ADDRESS, "\"virtualize APIC accesses\" is 1: APIC-access address: bits 11:0 of the address must be 0") \
    X(CONTROL, apic_access_width, address_width, ADDR_APIC_ACCESS, VMCS_APIC_ACCESS_ADDRESS, "\"virtualize APIC accesses\" is 1: APIC-access address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, x2apic_excludes_apic_accesses, x2apic_excludes_apic_accesses, 0, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"virtualize x2APIC mode\" is 1: \"virtualize APIC accesses\" must be 0") \
    X(CONTROL, vid_needs_external_interrupt_exiting, vid_needs_external_interrupt_exiting, 0, VMCS_PIN_BASED_VM_EXEC_CONTROL, "\"virtual-interrupt delivery\" is 1: \"external-interrupt exiting\" must be 1") \
    X(CONTROL, posted_needs_vid, posted_needs_vid, 0, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"process posted interrupts\" is 1: \"virtual-interrupt delivery\" must be 1") \
    X(CONTROL, posted_needs_acknowledge, posted_needs_acknowledge, 0, VMCS_VM_EXIT_CONTROLS, "\"process posted interrupts\" is 1: \"acknowledge interrupt on exit\" must be 1") \
    X(CONTROL, posted_vector, posted_vector, 0, VMCS_POSTED_INTERRUPT_NOTIFICATION_VECTOR, "\"process posted interrupts\" is 1: bits 15:8 of the posted-interrupt notification vector must be 0") \
    X(CONTROL, posted_descriptor_aligned, address_aligned, ADDR_POSTED_DESCRIPTOR, VMCS_POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, "\"process posted interrupts\" is 1: posted-interrupt descriptor address: bits 5:0 of the address must be 0") \
    X(CONTROL, posted_descriptor_width, address_width, ADDR_POSTED_DESCRIPTOR, VMCS_POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, "\"process posted interrupts\" is 1: posted-interrupt descriptor address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, vpid_nonzero, vpid_nonzero, 0, VMCS_VPID, "\"enable VPID\" is 1: the VPID must not be 0000H") \
    X(CONTROL, eptp_memory_type, eptp_memory_type, 0, VMCS_EPT_POINTER, "\"enable EPT\" is 1: the EPTP memory type must be one IA32_VMX_EPT_VPID_CAP supports (UC bit 8, WB bit 14)") \
    X(CONTROL, eptp_walk_length, eptp_walk_length, 0, VMCS_EPT_POINTER, "\"enable EPT\" is 1: EPTP bits 5:3 must be a page-walk length IA32_VMX_EPT_VPID_CAP supports (4: bit 6, 5: bit 7)") \
    X(CONTROL, eptp_accessed_dirty, eptp_accessed_dirty, 0, VMCS_EPT_POINTER, "\"enable EPT\" is 1: EPTP bit 6 (accessed and dirty flags) must be 0 unless IA32_VMX_EPT_VPID_CAP bit 21") \
    X(CONTROL, eptp_shadow_stack, eptp_shadow_stack, 0, VMCS_EPT_POINTER, "\"enable EPT\" is 1: EPTP bit 7 (supervisor shadow-stack control) must be 0 unless IA32_VMX_EPT_VPID_CAP bit 23") \
    X(CONTROL, eptp_reserved, eptp_reserved, 0, VMCS_EPT_POINTER, "\"enable EPT\" is 1: EPTP bits 11:8 (reserved) must be 0") \
    X(CONTROL, eptp_width, address_width, ADDR_EPTP, VMCS_EPT_POINTER, "\"enable EPT\" is 1: the EPTP must not set bits beyond the physical-address width") \
    X(CONTROL, pml_needs_ept, needs_ept, PROC2_ENABLE_PML, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"enable PML\" is 1: \"enable EPT\" must be 1") \
    X(CONTROL, pml_aligned, address_aligned, ADDR_PML, VMCS_PML_ADDRESS, "\"enable PML\" is 1: PML address: bits 11:0 of the address must be 0") \
    X(CONTROL, pml_width, address_width, ADDR_PML, VMCS_PML_ADDRESS, "\"enable PML\" is 1: PML address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, unrestricted_needs_ept, needs_ept, PROC2_UNRESTRICTED_GUEST, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"unrestricted guest\" is 1: \"enable EPT\" must be 1") \
    X(CONTROL, sub_page_needs_ept, needs_ept, PROC2_SUB_PAGE_WRITE_PERMISSIONS, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"sub-page write permissions for EPT\" is 1: \"enable EPT\" must be 1") \
    X(CONTROL, spptp_aligned, address_aligned, ADDR_SPPTP, VMCS_SUB_PAGE_PERMISSION_TABLE_POINTER, "\"sub-page write permissions for EPT\" is 1: SPPTP: bits 11:0 of the address must be 0") \
    X(CONTROL, spptp_width, address_width, ADDR_SPPTP, VMCS_SUB_PAGE_PERMISSION_TABLE_POINTER, "\"sub-page write permissions for EPT\" is 1: SPPTP: the address must not set bits beyond the physical-address width") \
    X(CONTROL, mode_based_execute_needs_ept, needs_ept, PROC2_MODE_BASED_EXECUTE, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"mode-based execute control for EPT\" is 1: \"enable EPT\" must be 1") \
    X(CONTROL, pt_guest_physical_needs_ept, needs_ept, PROC2_PT_USES_GUEST_PHYSICAL, VMCS_SECONDARY_VM_EXEC_CONTROL, "\"Intel PT uses guest physical addresses\" is 1: \"enable EPT\" must be 1") \
    X(CONTROL, pt_guest_physical_needs_load_rtit, pt_needs_load_rtit, 0, VMCS_VM_ENTRY_CONTROLS, "\"Intel PT uses guest physical addresses\" is 1: \"load IA32_RTIT_CTL\" VM-entry control must be 1") \
    X(CONTROL, pt_guest_physical_needs_clear_rtit, pt_needs_clear_rtit, 0, VMCS_VM_EXIT_CONTROLS, "\"Intel PT uses guest physical addresses\" is 1: \"clear IA32_RTIT_CTL\" VM-exit control must be 1") \
    X(CONTROL, vmfunc_reserved, vmfunc_reserved, 0, VMCS_VM_FUNCTION_CONTROLS, "\"enable VM functions\" is 1: VM-function controls IA32_VMX_VMFUNC does not allow must be 0") \
    X(CONTROL, eptp_switching_needs_ept, eptp_switching_needs_ept, 0, VMCS_VM_FUNCTION_CONTROLS, "\"EPTP switching\" VM function is 1: \"enable EPT\" must be 1") \
    X(CONTROL, eptp_list_aligned, address_aligned, ADDR_EPTP_LIST, VMCS_EPTP_LIST_ADDRESS, "\"EPTP switching\" VM function is 1: EPTP-list address: bits 11:0 of the address must be 0") \
    X(CONTROL, eptp_list_width, address_width, ADDR_EPTP_LIST, VMCS_EPTP_LIST_ADDRESS, "\"EPTP switching\" VM function is 1: EPTP-list address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, vmread_bitmap_aligned, address_aligned, ADDR_VMREAD_BITMAP, VMCS_VMREAD_BITMAP_ADDRESS, "\"VMCS shadowing\" is 1: VMREAD-bitmap address: bits 11:0 of the address must be 0") \
    X(CONTROL, vmread_bitmap_width, address_width, ADDR_VMREAD_BITMAP, VMCS_VMREAD_BITMAP_ADDRESS, "\"VMCS shadowing\" is 1: VMREAD-bitmap address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, vmwrite_bitmap_aligned, address_aligned, ADDR_VMWRITE_BITMAP, VMCS_VMWRITE_BITMAP_ADDRESS, "\"VMCS shadowing\" is 1: VMWRITE-bitmap address: bits 11:0 of the address must be 0") \
    X(CONTROL, vmwrite_bitmap_width, address_width, ADDR_VMWRITE_BITMAP, VMCS_VMWRITE_BITMAP_ADDRESS, "\"VMCS shadowing\" is 1: VMWRITE-bitmap address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, ve_information_aligned, address_aligned, ADDR_VE_INFORMATION, VMCS_VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, "\"EPT-violation #VE\" is 1: virtualization-exception information address: bits 11:0 of the address must be 0") \
    X(CONTROL, ve_information_width, address_width, ADDR_VE_INFORMATION, VMCS_VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, "\"EPT-violation #VE\" is 1: virtualization-exception information address: the address must not set bits beyond the physical-address width") \
    X(CONTROL, exit_allowed0, control_allowed0, CTL_EXIT, VMCS_VM_EXIT_CONTROLS, "VM-exit controls: a bit the capability MSR fixes to 1 is 0") \
    X(CONTROL, exit_allowed1, control_allowed1, CTL_EXIT, VMCS_VM_EXIT_CONTROLS, "VM-exit controls: a bit the capability MSR does not allow to be 1 is 1") \
    X(CONTROL, save_preemption_timer_needs_timer, save_preemption_timer_needs_timer, 0, VMCS_VM_EXIT_CONTROLS, "\"activate VMX-preemption timer\" is 0: \"save VMX-preemption-timer value\" must be 0") \
    X(CONTROL, exit_msr_store_aligned, msr_area_aligned, AREA_EXIT_STORE, VMCS_VM_EXIT_MSR_STORE_ADDRESS, "VM-exit MSR-store count non-zero: bits 3:0 of the address must be 0") \
    X(CONTROL, exit_msr_store_width, msr_area_width, AREA_EXIT_STORE, VMCS_VM_EXIT_MSR_STORE_ADDRESS, "VM-exit MSR-store count non-zero: the address must not set bits beyond the physical-address width") \
    X(CONTROL, exit_msr_store_last_byte, msr_area_last_byte, AREA_EXIT_STORE, VMCS_VM_EXIT_MSR_STORE_ADDRESS, "VM-exit MSR-store count non-zero: the last byte (address + count * 16 - 1) must not set bits beyond the physical-address width") \
    X(CONTROL, exit_msr_load_aligned, msr_area_aligned, AREA_EXIT_LOAD, VMCS_VM_EXIT_MSR_LOAD_ADDRESS, "VM-exit MSR-load count non-zero: bits 3:0 of the address must be 0") \
    X(CONTROL, exit_msr_load_width, msr_area_width, AREA_EXIT_LOAD, VMCS_VM_EXIT_MSR_LOAD_ADDRESS, "VM-exit MSR-load count non-zero: the address must not set bits beyond the physical-address width") \
    X(CONTROL, exit_msr_load_last_byte, msr_area_last_byte, AREA_EXIT_LOAD, VMCS_VM_EXIT_MSR_LOAD_ADDRESS, "VM-exit MSR-load count non-zero: the last byte (address + count * 16 - 1) must not set bits beyond the physical-address width") \
    X(CONTROL, entry_allowed0, control_allowed0, CTL_ENTRY, VMCS_VM_ENTRY_CONTROLS, "VM-entry controls: a bit the capability MSR fixes to 1 is 0") \
    X(CONTROL, entry_allowed1, control_allowed1, CTL_ENTRY, VMCS_VM_ENTRY_CONTROLS, "VM-entry controls: a bit the capability MSR does not allow to be 1 is 1") \
    X(CONTROL, event_type_reserved, event_type_reserved, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: interruption type 1 (reserved) must not be used") \
    X(CONTROL, event_type_other_needs_mtf, event_type_other_needs_mtf, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: type 7 (other event) only if the processor supports the 1-setting of \"monitor trap flag\"") \
    X(CONTROL, event_nmi_vector, event_nmi_vector, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: an NMI (type 2) must have vector 2") \
    X(CONTROL, event_exception_vector, event_exception_vector, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: a hardware exception (type 3) must have a vector at most 31") \
    X(CONTROL, event_other_vector, event_other_vector, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: other event (type 7) must have vector 0 (pending MTF VM exit)") \
    X(CONTROL, event_error_code_required, event_error_code_required, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: deliver-error-code must be 1 for a hardware exception 8, 10-14 or 17 in protected mode (IA32_VMX_BASIC bit 56 0)") \
    X(CONTROL, event_error_code_forbidden, event_error_code_forbidden, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: deliver-error-code must be 0 unless a hardware exception in protected mode whose vector has an error code (or IA32_VMX_BASIC bit 56)") \
    X(CONTROL, event_reserved, event_reserved, 0, VMCS_VM_ENTRY_INTERRUPTION_INFO, "VM-entry interruption information valid: bits 30:12 (reserved) must be 0") \
    X(CONTROL, event_error_code_high, event_error_code_high, 0, VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, "VM-entry interruption information delivers an error code: bits 31:16 of the VM-entry exception error code must be 0") \
    X(CONTROL, event_instruction_length, event_instruction_length, 0, VMCS_VM_ENTRY_INSTRUCTION_LENGTH, "VM-entry interruption information valid, type 4, 5 or 6: the VM-entry instruction length must be 1-15 (0 only if IA32_VMX_MISC bit 30)") \
    X(CONTROL, entry_to_smm_outside_smm, entry_smm_control, ENTRY_TO_SMM, VMCS_VM_ENTRY_CONTROLS, "\"entry to SMM\" must be 0 for a VM entry from outside SMM") \
    X(CONTROL, deactivate_dual_monitor_outside_smm, entry_smm_control, ENTRY_DEACTIVATE_DUAL_MONITOR, VMCS_VM_ENTRY_CONTROLS, "\"deactivate dual-monitor treatment\" must be 0 for a VM entry from outside SMM") \
    X(CONTROL, entry_msr_load_aligned, msr_area_aligned, AREA_ENTRY_LOAD, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load count non-zero: bits 3:0 of the address must be 0") \
    X(CONTROL, entry_msr_load_width, msr_area_width, AREA_ENTRY_LOAD, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load count non-zero: the address must not set bits beyond the physical-address width") \
    X(CONTROL, entry_msr_load_last_byte, msr_area_last_byte, AREA_ENTRY_LOAD, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load count non-zero: the last byte (address + count * 16 - 1) must not set bits beyond the physical-address width") \
    X(HOST, host_cr0_fixed0, cr_fixed0, CR_HOST_CR0, VMCS_HOST_CR0, "host CR0: a bit IA32_VMX_CR0_FIXED0 fixes to 1 is 0") \
    X(HOST, host_cr0_fixed1, cr_fixed1, CR_HOST_CR0, VMCS_HOST_CR0, "host CR0: a bit IA32_VMX_CR0_FIXED1 fixes to 0 is 1") \
    X(HOST, host_cr4_fixed0, cr_fixed0, CR_HOST_CR4, VMCS_HOST_CR4, "host CR4: a bit IA32_VMX_CR4_FIXED0 fixes to 1 is 0") \
    X(HOST, host_cr4_fixed1, cr_fixed1, CR_HOST_CR4, VMCS_HOST_CR4, "host CR4: a bit IA32_VMX_CR4_FIXED1 fixes to 0 is 1") \
    X(HOST, host_cr3_width, cr3_width, CR_HOST_CR3, VMCS_HOST_CR3, "host CR3: bits beyond the physical-address width must be 0") \
    X(HOST, host_cr4_cet_needs_wp, cet_needs_wp, CR_HOST_CR4, VMCS_HOST_CR4, "host CR4.CET is 1: CR0.WP must be 1") \
    X(HOST, host_sysenter_esp_canonical, canonical, CAN_HOST_SYSENTER_ESP, VMCS_HOST_IA32_SYSENTER_ESP, "host IA32_SYSENTER_ESP must be canonical") \
    X(HOST, host_sysenter_eip_canonical, canonical, CAN_HOST_SYSENTER_EIP, VMCS_HOST_IA32_SYSENTER_EIP, "host IA32_SYSENTER_EIP must be canonical") \
    X(HOST, host_s_cet_canonical, canonical, CAN_HOST_S_CET, VMCS_HOST_IA32_S_CET, "\"load CET state\" VM-exit control is 1: host IA32_S_CET must be canonical") \
    X(HOST, host_s_cet_reserved, s_cet_reserved, CET_HOST, VMCS_HOST_IA32_S_CET, "\"load CET state\" VM-exit control is 1: host IA32_S_CET bits 9:6 must be 0 and bits 10 and 11 not both 1") \
    X(HOST, host_ssp_canonical, canonical, CAN_HOST_SSP, VMCS_HOST_SSP, "\"load CET state\" VM-exit control is 1: host SSP must be canonical") \
    X(HOST, host_ssp_aligned, ssp_aligned, CET_HOST, VMCS_HOST_SSP, "\"load CET state\" VM-exit control is 1: bits 1:0 of host SSP must be 0") \
    X(HOST, host_interrupt_ssp_table_canonical, canonical, CAN_HOST_ISST, VMCS_HOST_IA32_INTERRUPT_SSP_TABLE_ADDR, "\"load CET state\" VM-exit control is 1: host IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical") \
    X(HOST, host_perf_global_ctrl_reserved, msr_reserved, MSR_HOST_PERF_GLOBAL_CTRL, VMCS_HOST_IA32_PERF_GLOBAL_CTRL, "\"load IA32_PERF_GLOBAL_CTRL\" VM-exit control is 1: reserved bits of host IA32_PERF_GLOBAL_CTRL must be 0") \
    X(HOST, host_pat_memory_types, pat_memory_types, PAT_HOST, VMCS_HOST_IA32_PAT, "\"load IA32_PAT\" VM-exit control is 1: every byte of host IA32_PAT must be a valid memory type (0, 1, 4, 5, 6, 7)") \
    X(HOST, host_efer_reserved, msr_reserved, MSR_HOST_EFER, VMCS_HOST_IA32_EFER, "\"load IA32_EFER\" VM-exit control is 1: reserved bits of host IA32_EFER must be 0") \
    X(HOST, host_efer_lma, host_efer_mode_bit, 10, VMCS_HOST_IA32_EFER, "\"load IA32_EFER\" VM-exit control is 1: host IA32_EFER.LMA must equal \"host address-space size\"") \
    X(HOST, host_efer_lme, host_efer_mode_bit, 8, VMCS_HOST_IA32_EFER, "\"load IA32_EFER\" VM-exit control is 1: host IA32_EFER.LME must equal \"host address-space size\"") \
    X(HOST, host_pkrs_reserved, msr_reserved, MSR_HOST_PKRS, VMCS_HOST_IA32_PKRS, "\"load IA32_PKRS\" VM-exit control is 1: bits 63:32 of host IA32_PKRS must be 0") \
    X(HOST, host_es_selector_rpl_ti, host_selector_rpl_ti, 0, VMCS_HOST_ES_SELECTOR, "host ES selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_cs_selector_rpl_ti, host_selector_rpl_ti, 1, VMCS_HOST_CS_SELECTOR, "host CS selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_ss_selector_rpl_ti, host_selector_rpl_ti, 2, VMCS_HOST_SS_SELECTOR, "host SS selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_ds_selector_rpl_ti, host_selector_rpl_ti, 3, VMCS_HOST_DS_SELECTOR, "host DS selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_fs_selector_rpl_ti, host_selector_rpl_ti, 4, VMCS_HOST_FS_SELECTOR, "host FS selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_gs_selector_rpl_ti, host_selector_rpl_ti, 5, VMCS_HOST_GS_SELECTOR, "host GS selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_tr_selector_rpl_ti, host_selector_rpl_ti, 6, VMCS_HOST_TR_SELECTOR, "host TR selector: RPL (bits 1:0) and TI (bit 2) must be 0") \
    X(HOST, host_cs_selector_nonzero, host_selector_nonzero, 1, VMCS_HOST_CS_SELECTOR, "host CS selector must not be 0000H") \
    X(HOST, host_tr_selector_nonzero, host_selector_nonzero, 6, VMCS_HOST_TR_SELECTOR, "host TR selector must not be 0000H") \
    X(HOST, host_ss_selector_nonzero, host_ss_selector_nonzero, 0, VMCS_HOST_SS_SELECTOR, "\"host address-space size\" is 0: host SS selector must not be 0000H") \
    X(HOST, host_fs_base_canonical, canonical, CAN_HOST_FS_BASE, VMCS_HOST_FS_BASE, "host FS base address must be canonical") \
    X(HOST, host_gs_base_canonical, canonical, CAN_HOST_GS_BASE, VMCS_HOST_GS_BASE, "host GS base address must be canonical") \
    X(HOST, host_gdtr_base_canonical, canonical, CAN_HOST_GDTR_BASE, VMCS_HOST_GDTR_BASE, "host GDTR base address must be canonical") \
    X(HOST, host_idtr_base_canonical, canonical, CAN_HOST_IDTR_BASE, VMCS_HOST_IDTR_BASE, "host IDTR base address must be canonical") \
    X(HOST, host_tr_base_canonical, canonical, CAN_HOST_TR_BASE, VMCS_HOST_TR_BASE, "host TR base address must be canonical") \
    X(HOST, host_ia32e_needs_host_address_space_size, host_mode, HOST_IA32E_NEEDS_64, VMCS_VM_EXIT_CONTROLS, "the processor is in IA-32e mode: \"host address-space size\" must be 1") \
    X(HOST, host_legacy_no_ia32e_guest, host_mode, HOST_LEGACY_NO_IA32E_GUEST, VMCS_VM_ENTRY_CONTROLS, "the processor is not in IA-32e mode: \"IA-32e mode guest\" must be 0") \
    X(HOST, host_legacy_no_host_address_space_size, host_mode, HOST_LEGACY_NO_64, VMCS_VM_EXIT_CONTROLS, "the processor is not in IA-32e mode: \"host address-space size\" must be 0") \
    X(HOST, host_32_pcide, host_mode, HOST_32_NO_PCIDE, VMCS_HOST_CR4, "\"host address-space size\" is 0: host CR4.PCIDE must be 0") \
    X(HOST, host_32_rip, host_mode, HOST_32_RIP, VMCS_HOST_RIP, "\"host address-space size\" is 0: bits 63:32 of host RIP must be 0") \
    X(HOST, host_64_pae, host_mode, HOST_64_PAE, VMCS_HOST_CR4, "\"host address-space size\" is 1: host CR4.PAE must be 1") \
    X(HOST, host_64_rip_canonical, host_mode, HOST_64_RIP, VMCS_HOST_RIP, "\"host address-space size\" is 1: host RIP must be canonical") \
    X(GUEST, guest_cr0_fixed0, cr_fixed0, CR_GUEST_CR0, VMCS_GUEST_CR0, "guest CR0: a bit IA32_VMX_CR0_FIXED0 fixes to 1 is 0 (PE and PG exempt with \"unrestricted guest\")") \
    X(GUEST, guest_cr0_fixed1, cr_fixed1, CR_GUEST_CR0, VMCS_GUEST_CR0, "guest CR0: a bit IA32_VMX_CR0_FIXED1 fixes to 0 is 1") \
    X(GUEST, guest_cr0_pg_needs_pe, guest_cr0_pg_needs_pe, 0, VMCS_GUEST_CR0, "guest CR0.PG is 1: CR0.PE must be 1") \
    X(GUEST, guest_cr4_fixed0, cr_fixed0, CR_GUEST_CR4, VMCS_GUEST_CR4, "guest CR4: a bit IA32_VMX_CR4_FIXED0 fixes to 1 is 0") \
    X(GUEST, guest_cr4_fixed1, cr_fixed1, CR_GUEST_CR4, VMCS_GUEST_CR4, "guest CR4: a bit IA32_VMX_CR4_FIXED1 fixes to 0 is 1") \
    X(GUEST, guest_cr4_cet_needs_wp, cet_needs_wp, CR_GUEST_CR4, VMCS_GUEST_CR4, "guest CR4.CET is 1: CR0.WP must be 1") \
    X(GUEST, guest_debugctl_reserved, msr_reserved, MSR_GUEST_DEBUGCTL, VMCS_GUEST_IA32_DEBUGCTL, "\"load debug controls\" is 1: reserved bits of guest IA32_DEBUGCTL must be 0") \
    X(GUEST, guest_ia32e_needs_pg, guest_ia32e_needs_pg, 0, VMCS_GUEST_CR0, "\"IA-32e mode guest\" is 1: guest CR0.PG must be 1") \
    X(GUEST, guest_ia32e_needs_pae, guest_ia32e_needs_pae, 0, VMCS_GUEST_CR4, "\"IA-32e mode guest\" is 1: guest CR4.PAE must be 1") \
    X(GUEST, guest_legacy_pcide, guest_legacy_pcide, 0, VMCS_GUEST_CR4, "\"IA-32e mode guest\" is 0: guest CR4.PCIDE must be 0") \
    X(GUEST, guest_cr3_width, cr3_width, CR_GUEST_CR3, VMCS_GUEST_CR3, "guest CR3: bits beyond the physical-address width must be 0") \
    X(GUEST, guest_dr7_high, guest_dr7_high, 0, VMCS_GUEST_DR7, "\"load debug controls\" is 1: bits 63:32 of guest DR7 must be 0") \
    X(GUEST, guest_sysenter_esp_canonical, canonical, CAN_GUEST_SYSENTER_ESP, VMCS_GUEST_IA32_SYSENTER_ESP, "guest IA32_SYSENTER_ESP must be canonical") \
    X(GUEST, guest_sysenter_eip_canonical, canonical, CAN_GUEST_SYSENTER_EIP, VMCS_GUEST_IA32_SYSENTER_EIP, "guest IA32_SYSENTER_EIP must be canonical") \
    X(GUEST, guest_perf_global_ctrl_reserved, msr_reserved, MSR_GUEST_PERF_GLOBAL_CTRL, VMCS_GUEST_IA32_PERF_GLOBAL_CTRL, "\"load IA32_PERF_GLOBAL_CTRL\" VM-entry control is 1: reserved bits of guest IA32_PERF_GLOBAL_CTRL must be 0") \
    X(GUEST, guest_pat_memory_types, pat_memory_types, PAT_GUEST, VMCS_GUEST_IA32_PAT, "\"load IA32_PAT\" VM-entry control is 1: every byte of guest IA32_PAT must be a valid memory type (0, 1, 4, 5, 6, 7)") \
    X(GUEST, guest_efer_reserved, msr_reserved, MSR_GUEST_EFER, VMCS_GUEST_IA32_EFER, "\"load IA32_EFER\" VM-entry control is 1: reserved bits of guest IA32_EFER must be 0") \
    X(GUEST, guest_efer_lma, guest_efer_lma, 0, VMCS_GUEST_IA32_EFER, "\"load IA32_EFER\" VM-entry control is 1: guest IA32_EFER.LMA must equal \"IA-32e mode guest\"") \
    X(GUEST, guest_efer_lme, guest_efer_lme, 0, VMCS_GUEST_IA32_EFER, "\"load IA32_EFER\" VM-entry control is 1 and guest CR0.PG is 1: guest IA32_EFER.LME must equal LMA") \
    X(GUEST, guest_bndcfgs_reserved, msr_reserved, MSR_GUEST_BNDCFGS, VMCS_GUEST_IA32_BNDCFGS, "\"load IA32_BNDCFGS\" is 1: bits 11:2 of guest IA32_BNDCFGS must be 0") \
    X(GUEST, guest_bndcfgs_canonical, canonical, CAN_GUEST_BNDCFGS, VMCS_GUEST_IA32_BNDCFGS, "\"load IA32_BNDCFGS\" is 1: the base (bits 63:12) of guest IA32_BNDCFGS must be canonical") \
    X(GUEST, guest_s_cet_canonical, canonical, CAN_GUEST_S_CET, VMCS_GUEST_IA32_S_CET, "\"load CET state\" VM-entry control is 1: guest IA32_S_CET must be canonical") \
    X(GUEST, guest_s_cet_reserved, s_cet_reserved, CET_GUEST, VMCS_GUEST_IA32_S_CET, "\"load CET state\" VM-entry control is 1: guest IA32_S_CET bits 9:6 must be 0 and bits 10 and 11 not both 1") \
    X(GUEST, guest_ssp_canonical, canonical, CAN_GUEST_SSP, VMCS_GUEST_SSP, "\"load CET state\" VM-entry control is 1: guest SSP must be canonical") \
    X(GUEST, guest_ssp_aligned, ssp_aligned, CET_GUEST, VMCS_GUEST_SSP, "\"load CET state\" VM-entry control is 1: bits 1:0 of guest SSP must be 0") \
    X(GUEST, guest_interrupt_ssp_table_canonical, canonical, CAN_GUEST_ISST, VMCS_GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR, "\"load CET state\" VM-entry control is 1: guest IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical") \
    X(GUEST, guest_pkrs_reserved, msr_reserved, MSR_GUEST_PKRS, VMCS_GUEST_IA32_PKRS, "\"load PKRS\" VM-entry control is 1: bits 63:32 of guest IA32_PKRS must be 0") \
    X(GUEST, guest_tr_selector_ti, guest_selector_ti, SEG_TR, VMCS_GUEST_TR_SELECTOR, "guest TR selector: TI (bit 2) must be 0") \
    X(GUEST, guest_ldtr_selector_ti, guest_selector_ti, SEG_LDTR, VMCS_GUEST_LDTR_SELECTOR, "guest LDTR usable: LDTR selector TI (bit 2) must be 0") \
    X(GUEST, guest_ss_rpl_equals_cs_rpl, guest_ss_rpl_equals_cs_rpl, 0, VMCS_GUEST_SS_SELECTOR, "not virtual-8086 and \"unrestricted guest\" 0: guest SS selector RPL must equal CS selector RPL") \
    X(GUEST, guest_es_v8086_base, guest_v8086_base, SEG_ES, VMCS_GUEST_ES_BASE, "virtual-8086 guest: ES base must be the selector times 16") \
    X(GUEST, guest_cs_v8086_base, guest_v8086_base, SEG_CS, VMCS_GUEST_CS_BASE, "virtual-8086 guest: CS base must be the selector times 16") \
    X(GUEST, guest_ss_v8086_base, guest_v8086_base, SEG_SS, VMCS_GUEST_SS_BASE, "virtual-8086 guest: SS base must be the selector times 16") \
    X(GUEST, guest_ds_v8086_base, guest_v8086_base, SEG_DS, VMCS_GUEST_DS_BASE, "virtual-8086 guest: DS base must be the selector times 16") \
    X(GUEST, guest_fs_v8086_base, guest_v8086_base, SEG_FS, VMCS_GUEST_FS_BASE, "virtual-8086 guest: FS base must be the selector times 16") \
    X(GUEST, guest_gs_v8086_base, guest_v8086_base, SEG_GS, VMCS_GUEST_GS_BASE, "virtual-8086 guest: GS base must be the selector times 16") \
    X(GUEST, guest_tr_base_canonical, guest_base_canonical, SEG_TR, VMCS_GUEST_TR_BASE, "guest TR base must be canonical") \
    X(GUEST, guest_fs_base_canonical, guest_base_canonical, SEG_FS, VMCS_GUEST_FS_BASE, "guest FS base must be canonical") \
    X(GUEST, guest_gs_base_canonical, guest_base_canonical, SEG_GS, VMCS_GUEST_GS_BASE, "guest GS base must be canonical") \
    X(GUEST, guest_ldtr_base_canonical, guest_base_canonical, SEG_LDTR, VMCS_GUEST_LDTR_BASE, "guest LDTR usable: LDTR base must be canonical") \
    X(GUEST, guest_cs_base_high, guest_base_high, SEG_CS, VMCS_GUEST_CS_BASE, "guest CS: bits 63:32 of the base must be 0") \
    X(GUEST, guest_ss_base_high, guest_base_high, SEG_SS, VMCS_GUEST_SS_BASE, "guest SS usable: bits 63:32 of the base must be 0") \
    X(GUEST, guest_ds_base_high, guest_base_high, SEG_DS, VMCS_GUEST_DS_BASE, "guest DS usable: bits 63:32 of the base must be 0") \
    X(GUEST, guest_es_base_high, guest_base_high, SEG_ES, VMCS_GUEST_ES_BASE, "guest ES usable: bits 63:32 of the base must be 0") \
    X(GUEST, guest_es_v8086_limit, guest_v8086_limit, SEG_ES, VMCS_GUEST_ES_LIMIT, "virtual-8086 guest: ES limit must be 0000FFFFH") \
    X(GUEST, guest_cs_v8086_limit, guest_v8086_limit, SEG_CS, VMCS_GUEST_CS_LIMIT, "virtual-8086 guest: CS limit must be 0000FFFFH") \
    X(GUEST, guest_ss_v8086_limit, guest_v8086_limit, SEG_SS, VMCS_GUEST_SS_LIMIT, "virtual-8086 guest: SS limit must be 0000FFFFH") \
    X(GUEST, guest_ds_v8086_limit, guest_v8086_limit, SEG_DS, VMCS_GUEST_DS_LIMIT, "virtual-8086 guest: DS limit must be 0000FFFFH") \
    X(GUEST, guest_fs_v8086_limit, guest_v8086_limit, SEG_FS, VMCS_GUEST_FS_LIMIT, "virtual-8086 guest: FS limit must be 0000FFFFH") \
    X(GUEST, guest_gs_v8086_limit, guest_v8086_limit, SEG_GS, VMCS_GUEST_GS_LIMIT, "virtual-8086 guest: GS limit must be 0000FFFFH") \
    X(GUEST, guest_es_v8086_access_rights, guest_v8086_access_rights, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "virtual-8086 guest: ES access rights must be 000000F3H") \
    X(GUEST, guest_cs_v8086_access_rights, guest_v8086_access_rights, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "virtual-8086 guest: CS access rights must be 000000F3H") \
    X(GUEST, guest_ss_v8086_access_rights, guest_v8086_access_rights, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "virtual-8086 guest: SS access rights must be 000000F3H") \
    X(GUEST, guest_ds_v8086_access_rights, guest_v8086_access_rights, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "virtual-8086 guest: DS access rights must be 000000F3H") \
    X(GUEST, guest_fs_v8086_access_rights, guest_v8086_access_rights, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "virtual-8086 guest: FS access rights must be 000000F3H") \
    X(GUEST, guest_gs_v8086_access_rights, guest_v8086_access_rights, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "virtual-8086 guest: GS access rights must be 000000F3H") \
    X(GUEST, guest_cs_type, guest_cs_type, 0, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS type must be 9, 11, 13 or 15 (accessed code), or 3 (accessed read/write data) with \"unrestricted guest\"") \
    X(GUEST, guest_ss_type, guest_ss_type, 0, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: type must be 3 or 7 (read/write accessed data)") \
    X(GUEST, guest_ds_type_accessed, guest_data_type_accessed, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: type bit 0 (accessed) must be 1") \
    X(GUEST, guest_es_type_accessed, guest_data_type_accessed, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: type bit 0 (accessed) must be 1") \
    X(GUEST, guest_fs_type_accessed, guest_data_type_accessed, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: type bit 0 (accessed) must be 1") \
    X(GUEST, guest_gs_type_accessed, guest_data_type_accessed, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: type bit 0 (accessed) must be 1") \
    X(GUEST, guest_ds_type_readable, guest_data_type_readable, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable code segment: type bit 1 (readable) must be 1") \
    X(GUEST, guest_es_type_readable, guest_data_type_readable, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable code segment: type bit 1 (readable) must be 1") \
    X(GUEST, guest_fs_type_readable, guest_data_type_readable, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable code segment: type bit 1 (readable) must be 1") \
    X(GUEST, guest_gs_type_readable, guest_data_type_readable, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable code segment: type bit 1 (readable) must be 1") \
    X(GUEST, guest_es_s, guest_seg_s, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: S (bit 4) must be 1") \
    X(GUEST, guest_cs_s, guest_seg_s, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: S (bit 4) must be 1") \
    X(GUEST, guest_ss_s, guest_seg_s, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: S (bit 4) must be 1") \
    X(GUEST, guest_ds_s, guest_seg_s, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: S (bit 4) must be 1") \
    X(GUEST, guest_fs_s, guest_seg_s, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: S (bit 4) must be 1") \
    X(GUEST, guest_gs_s, guest_seg_s, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: S (bit 4) must be 1") \
    X(GUEST, guest_cs_dpl_data, guest_cs_dpl, CS_DPL_DATA, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS type 3: DPL must be 0") \
    X(GUEST, guest_cs_dpl_nonconforming, guest_cs_dpl, CS_DPL_NONCONFORMING, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS type 9 or 11 (non-conforming code): DPL must equal SS DPL") \
    X(GUEST, guest_cs_dpl_conforming, guest_cs_dpl, CS_DPL_CONFORMING, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS type 13 or 15 (conforming code): DPL must not be greater than SS DPL") \
    X(GUEST, guest_ss_dpl_rpl, guest_ss_dpl_rpl, 0, VMCS_GUEST_SS_ACCESS_RIGHTS, "\"unrestricted guest\" 0: guest SS DPL must equal the SS selector RPL") \
    X(GUEST, guest_ss_dpl_zero, guest_ss_dpl_zero, 0, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest CS type 3 or CR0.PE 0: SS DPL must be 0") \
    X(GUEST, guest_ds_dpl_rpl, guest_data_dpl_rpl, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "\"unrestricted guest\" 0, guest DS usable with type 0-11: DPL must not be less than the selector RPL") \
    X(GUEST, guest_es_dpl_rpl, guest_data_dpl_rpl, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "\"unrestricted guest\" 0, guest ES usable with type 0-11: DPL must not be less than the selector RPL") \
    X(GUEST, guest_fs_dpl_rpl, guest_data_dpl_rpl, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "\"unrestricted guest\" 0, guest FS usable with type 0-11: DPL must not be less than the selector RPL") \
    X(GUEST, guest_gs_dpl_rpl, guest_data_dpl_rpl, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "\"unrestricted guest\" 0, guest GS usable with type 0-11: DPL must not be less than the selector RPL") \
    X(GUEST, guest_es_p, guest_seg_p, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: P (bit 7) must be 1") \
    X(GUEST, guest_cs_p, guest_seg_p, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: P (bit 7) must be 1") \
    X(GUEST, guest_ss_p, guest_seg_p, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: P (bit 7) must be 1") \
    X(GUEST, guest_ds_p, guest_seg_p, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: P (bit 7) must be 1") \
    X(GUEST, guest_fs_p, guest_seg_p, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: P (bit 7) must be 1") \
    X(GUEST, guest_gs_p, guest_seg_p, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: P (bit 7) must be 1") \
    X(GUEST, guest_es_reserved_11_8, guest_seg_reserved_11_8, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_cs_reserved_11_8, guest_seg_reserved_11_8, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_ss_reserved_11_8, guest_seg_reserved_11_8, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_ds_reserved_11_8, guest_seg_reserved_11_8, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_fs_reserved_11_8, guest_seg_reserved_11_8, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_gs_reserved_11_8, guest_seg_reserved_11_8, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_cs_db_long, guest_cs_db_long, 0, VMCS_GUEST_CS_ACCESS_RIGHTS, "\"IA-32e mode guest\" 1 and CS.L 1: CS D/B must be 0") \
    X(GUEST, guest_es_g_limit_low, guest_seg_g_limit_low, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_cs_g_limit_low, guest_seg_g_limit_low, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_ss_g_limit_low, guest_seg_g_limit_low, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_ds_g_limit_low, guest_seg_g_limit_low, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_fs_g_limit_low, guest_seg_g_limit_low, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_gs_g_limit_low, guest_seg_g_limit_low, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_es_g_limit_high, guest_seg_g_limit_high, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_cs_g_limit_high, guest_seg_g_limit_high, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_ss_g_limit_high, guest_seg_g_limit_high, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_ds_g_limit_high, guest_seg_g_limit_high, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_fs_g_limit_high, guest_seg_g_limit_high, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_gs_g_limit_high, guest_seg_g_limit_high, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_es_reserved_31_17, guest_seg_reserved_31_17, SEG_ES, VMCS_GUEST_ES_ACCESS_RIGHTS, "guest ES usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_cs_reserved_31_17, guest_seg_reserved_31_17, SEG_CS, VMCS_GUEST_CS_ACCESS_RIGHTS, "guest CS: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_ss_reserved_31_17, guest_seg_reserved_31_17, SEG_SS, VMCS_GUEST_SS_ACCESS_RIGHTS, "guest SS usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_ds_reserved_31_17, guest_seg_reserved_31_17, SEG_DS, VMCS_GUEST_DS_ACCESS_RIGHTS, "guest DS usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_fs_reserved_31_17, guest_seg_reserved_31_17, SEG_FS, VMCS_GUEST_FS_ACCESS_RIGHTS, "guest FS usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_gs_reserved_31_17, guest_seg_reserved_31_17, SEG_GS, VMCS_GUEST_GS_ACCESS_RIGHTS, "guest GS usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_tr_type, guest_tr_type, 0, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR type must be 11 (busy 32/64-bit TSS), or 3 (busy 16-bit TSS) if not \"IA-32e mode guest\"") \
    X(GUEST, guest_tr_s, guest_seg_s, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: S (bit 4) must be 0") \
    X(GUEST, guest_tr_p, guest_seg_p, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: P (bit 7) must be 1") \
    X(GUEST, guest_tr_reserved_11_8, guest_seg_reserved_11_8, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_tr_g_limit_low, guest_seg_g_limit_low, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_tr_g_limit_high, guest_seg_g_limit_high, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_tr_usable, guest_tr_usable, 0, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: the unusable bit (bit 16) must be 0") \
    X(GUEST, guest_tr_reserved_31_17, guest_seg_reserved_31_17, SEG_TR, VMCS_GUEST_TR_ACCESS_RIGHTS, "guest TR: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_ldtr_type, guest_ldtr_type, 0, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: type must be 2 (LDT)") \
    X(GUEST, guest_ldtr_s, guest_seg_s, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: S (bit 4) must be 0") \
    X(GUEST, guest_ldtr_p, guest_seg_p, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: P (bit 7) must be 1") \
    X(GUEST, guest_ldtr_reserved_11_8, guest_seg_reserved_11_8, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: access-rights bits 11:8 (reserved) must be 0") \
    X(GUEST, guest_ldtr_g_limit_low, guest_seg_g_limit_low, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: a limit bit in 11:0 is 0, so G must be 0") \
    X(GUEST, guest_ldtr_g_limit_high, guest_seg_g_limit_high, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: a limit bit in 31:20 is 1, so G must be 1") \
    X(GUEST, guest_ldtr_reserved_31_17, guest_seg_reserved_31_17, SEG_LDTR, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "guest LDTR usable: access-rights bits 31:17 (reserved) must be 0") \
    X(GUEST, guest_gdtr_base_canonical, canonical, CAN_GUEST_GDTR_BASE, VMCS_GUEST_GDTR_BASE, "guest GDTR base must be canonical") \
    X(GUEST, guest_idtr_base_canonical, canonical, CAN_GUEST_IDTR_BASE, VMCS_GUEST_IDTR_BASE, "guest IDTR base must be canonical") \
    X(GUEST, guest_gdtr_limit, guest_table_limit, 0, VMCS_GUEST_GDTR_LIMIT, "guest GDTR limit: bits 31:16 must be 0") \
    X(GUEST, guest_idtr_limit, guest_table_limit, 1, VMCS_GUEST_IDTR_LIMIT, "guest IDTR limit: bits 31:16 must be 0") \
    X(GUEST, guest_rip_high, guest_rip_high, 0, VMCS_GUEST_RIP, "\"IA-32e mode guest\" 0 or CS.L 0: bits 63:32 of guest RIP must be 0") \
    X(GUEST, guest_rip_canonical, guest_rip_canonical, 0, VMCS_GUEST_RIP, "\"IA-32e mode guest\" 1 and CS.L 1: guest RIP bits 63:N must be identical (canonical for the linear-address width)") \
    X(GUEST, guest_rflags_reserved, guest_rflags_reserved, 0, VMCS_GUEST_RFLAGS, "guest RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0") \
    X(GUEST, guest_rflags_bit1, guest_rflags_bit1, 0, VMCS_GUEST_RFLAGS, "guest RFLAGS: bit 1 must be 1") \
    X(GUEST, guest_rflags_vm_ia32e, guest_rflags_vm, 0, VMCS_GUEST_RFLAGS, "\"IA-32e mode guest\" is 1: guest RFLAGS.VM must be 0") \
    X(GUEST, guest_rflags_vm_real, guest_rflags_vm, 1, VMCS_GUEST_RFLAGS, "guest CR0.PE is 0: guest RFLAGS.VM must be 0") \
    X(GUEST, guest_rflags_if_external_interrupt, guest_rflags_if_external_interrupt, 0, VMCS_GUEST_RFLAGS, "injecting an external interrupt: guest RFLAGS.IF must be 1") \
    X(GUEST, guest_activity_range, guest_activity_range, 0, VMCS_GUEST_ACTIVITY_STATE, "guest activity state must be 0-3") \
    X(GUEST, guest_activity_supported, guest_activity_supported, 0, VMCS_GUEST_ACTIVITY_STATE, "guest activity state must be one IA32_VMX_MISC bits 8:6 reports as supported") \
    X(GUEST, guest_activity_hlt_ss_dpl, guest_activity_hlt_ss_dpl, 0, VMCS_GUEST_ACTIVITY_STATE, "guest activity state HLT: SS DPL must be 0") \
    X(GUEST, guest_activity_blocking_active, guest_activity_blocking_active, 0, VMCS_GUEST_ACTIVITY_STATE, "guest interruptibility shows blocking by STI or MOV SS: activity state must be active") \
    X(GUEST, guest_activity_hlt_event, guest_activity_event, 1, VMCS_GUEST_ACTIVITY_STATE, "guest activity state HLT: only an external interrupt, NMI, hardware exception 1 or 18, or other event 0 may be injected") \
    X(GUEST, guest_activity_shutdown_event, guest_activity_event, 2, VMCS_GUEST_ACTIVITY_STATE, "guest activity state shutdown: only an NMI or a machine check (hardware exception 18) may be injected") \
    X(GUEST, guest_activity_wait_for_sipi_event, guest_activity_event, 3, VMCS_GUEST_ACTIVITY_STATE, "guest activity state wait-for-SIPI: no event may be injected") \
    X(GUEST, guest_activity_wait_for_sipi_smm, guest_activity_wait_for_sipi_smm, 0, VMCS_GUEST_ACTIVITY_STATE, "\"entry to SMM\" is 1: guest activity state must not be wait-for-SIPI") \
    X(GUEST, guest_interruptibility_reserved, guest_interruptibility_reserved, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: bits 31:5 (reserved) must be 0") \
    X(GUEST, guest_interruptibility_sti_and_mov_ss, guest_interruptibility_sti_and_mov_ss, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: blocking by STI and by MOV SS must not both be 1") \
    X(GUEST, guest_interruptibility_sti_needs_if, guest_interruptibility_sti_needs_if, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: blocking by STI must be 0 if RFLAGS.IF is 0") \
    X(GUEST, guest_interruptibility_external_interrupt, guest_interruptibility_external_interrupt, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "injecting an external interrupt: blocking by STI and by MOV SS must both be 0") \
    X(GUEST, guest_interruptibility_nmi_mov_ss, guest_interruptibility_nmi_mov_ss, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "injecting an NMI: blocking by MOV SS must be 0") \
    X(GUEST, guest_interruptibility_smi_outside_smm, guest_interruptibility_smi_outside_smm, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: blocking by SMI must be 0 outside SMM") \
    X(GUEST, guest_interruptibility_smi_entry_to_smm, guest_interruptibility_smi_entry_to_smm, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "\"entry to SMM\" is 1: blocking by SMI must be 1") \
    X(GUEST, guest_interruptibility_nmi_sti, guest_interruptibility_nmi_sti, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "injecting an NMI: blocking by STI must be 0 (a processor may require it)") \
    X(GUEST, guest_interruptibility_virtual_nmi_blocking, guest_interruptibility_virtual_nmi_blocking, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "\"virtual NMIs\" 1 and injecting an NMI: blocking by NMI must be 0") \
    X(GUEST, guest_interruptibility_enclave_needs_sgx, guest_interruptibility_enclave_needs_sgx, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: enclave interruption (bit 4) only if the processor supports SGX") \
    X(GUEST, guest_interruptibility_enclave_mov_ss, guest_interruptibility_enclave_mov_ss, 0, VMCS_GUEST_INTERRUPTIBILITY_STATE, "guest interruptibility state: enclave interruption 1 requires blocking by MOV SS 0") \
    X(GUEST, guest_pending_debug_reserved, guest_pending_debug_reserved, 0, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, "guest pending debug exceptions: bits 11:4, 13, 15 and 63:17 must be 0") \
    X(GUEST, guest_pending_debug_bs_set, guest_pending_debug_bs, 1, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, "blocking by STI or MOV SS, or HLT: pending debug exceptions BS (bit 14) must be 1 if RFLAGS.TF is 1 and IA32_DEBUGCTL.BTF is 0") \
    X(GUEST, guest_pending_debug_bs_clear, guest_pending_debug_bs, 0, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, "blocking by STI or MOV SS, or HLT: pending debug exceptions BS (bit 14) must be 0 if RFLAGS.TF is 0 or IA32_DEBUGCTL.BTF is 1") \
    X(GUEST, guest_pending_debug_rtm_support, guest_pending_debug_rtm_support, 0, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, "guest pending debug exceptions: RTM (bit 16) only if the processor supports RTM") \
    X(GUEST, guest_pending_debug_rtm_form, guest_pending_debug_rtm_form, 0, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, "guest pending debug exceptions RTM is 1: bits 11:0 must be 0, bit 12 must be 1, and no blocking by MOV SS") \
    X(GUEST, guest_link_pointer_aligned, guest_link_pointer, LINK_ALIGNED, VMCS_LINK_POINTER, "VMCS link pointer not FFFFFFFF_FFFFFFFFH: bits 11:0 must be 0") \
    X(GUEST, guest_link_pointer_width, guest_link_pointer, LINK_WIDTH, VMCS_LINK_POINTER, "VMCS link pointer not FFFFFFFF_FFFFFFFFH: it must not set bits beyond the physical-address width") \
    X(GUEST, guest_link_pointer_revision, guest_link_pointer, LINK_REVISION, VMCS_LINK_POINTER, "VMCS link pointer not FFFFFFFF_FFFFFFFFH: bits 30:0 at the address must be the VMCS revision identifier") \
    X(GUEST, guest_link_pointer_shadow, guest_link_pointer, LINK_SHADOW, VMCS_LINK_POINTER, "VMCS link pointer not FFFFFFFF_FFFFFFFFH: bit 31 at the address must equal \"VMCS shadowing\"") \
    X(GUEST, guest_link_pointer_current, guest_link_pointer, LINK_CURRENT, VMCS_LINK_POINTER, "VMCS link pointer not FFFFFFFF_FFFFFFFFH: outside SMM it must not be the current-VMCS pointer") \
    X(GUEST, guest_pdpte0_reserved, guest_pdpte_field, 0, VMCS_GUEST_PDPTE0, "PAE paging with \"enable EPT\": guest PDPTE0 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte1_reserved, guest_pdpte_field, 1, VMCS_GUEST_PDPTE1, "PAE paging with \"enable EPT\": guest PDPTE1 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte2_reserved, guest_pdpte_field, 2, VMCS_GUEST_PDPTE2, "PAE paging with \"enable EPT\": guest PDPTE2 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte3_reserved, guest_pdpte_field, 3, VMCS_GUEST_PDPTE3, "PAE paging with \"enable EPT\": guest PDPTE3 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte0_memory_reserved, guest_pdpte_memory, 0, VMCS_GUEST_CR3, "PAE paging without \"enable EPT\": PDPTE0 at CR3 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte1_memory_reserved, guest_pdpte_memory, 1, VMCS_GUEST_CR3, "PAE paging without \"enable EPT\": PDPTE1 at CR3 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte2_memory_reserved, guest_pdpte_memory, 2, VMCS_GUEST_CR3, "PAE paging without \"enable EPT\": PDPTE2 at CR3 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(GUEST, guest_pdpte3_memory_reserved, guest_pdpte_memory, 3, VMCS_GUEST_CR3, "PAE paging without \"enable EPT\": PDPTE3 at CR3 present: reserved bits (2:1, 8:5, beyond the physical-address width) must be 0") \
    X(MSR_LIST, msr_load_count_maximum, msr_load_count_maximum, 0, VMCS_VM_ENTRY_MSR_LOAD_COUNT, "VM-entry MSR-load count must not exceed the recommended maximum 512 * (IA32_VMX_MISC bits 27:25 + 1)") \
    X(MSR_ENTRY, msr_load_entry_reserved, msr_load_entry_reserved, 0, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load entry: bits 63:32 of the first quadword (reserved) must be 0") \
    X(MSR_ENTRY, msr_load_entry_fs_gs_base, msr_load_entry_fs_gs_base, 0, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load entry: the MSR must not be IA32_FS_BASE (C0000100H) or IA32_GS_BASE (C0000101H)") \
    X(MSR_ENTRY, msr_load_entry_x2apic, msr_load_entry_x2apic, 0, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load entry: the MSR must not be an x2APIC MSR (bits 31:8 000008H)") \
    X(MSR_ENTRY, msr_load_entry_smm_only, msr_load_entry_smm_only, 0, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load entry: outside SMM the MSR must not be one written only in SMM (IA32_SMM_MONITOR_CTL 9BH)") \
    X(MSR_ENTRY, msr_load_entry_wrmsr, msr_load_entry_wrmsr, 0, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, "VM-entry MSR-load entry: WRMSR of the value must not cause a general-protection exception")
/* clang-format on */

#endif
