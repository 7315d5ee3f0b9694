/*
 * Where Bochs 2.7's VM entry (bochs/cpu/vmx.cc at REL_2_7_FINAL) departs from
 * the SDM, found by reading its VMenterLoadCheckVmControls,
 * VMenterLoadCheckHostState, VMenterLoadCheckGuestState and LoadMSRs. The
 * differential test classifies a case that breaks only such a check with this
 * table (BOCHS_MISSING: "stricter"), and never launches a BOCHS_NEVER_LAUNCH
 * case. Our checks follow the SDM, not this table.
 */
#include "arch/x86/vmx/vmentry_check.h"

#define CONTROLS "bochs/cpu/vmx.cc:VMenterLoadCheckVmControls"
#define HOST "bochs/cpu/vmx.cc:VMenterLoadCheckHostState"
#define GUEST "bochs/cpu/vmx.cc:VMenterLoadCheckGuestState"

const struct vmentry_bochs_gap vmentry_bochs_gaps[] = {
    /* VM-execution, VM-exit and VM-entry control fields */
    { VMENTRY_CHECK_event_type_other_needs_mtf, BOCHS_NEVER_LAUNCH, CONTROLS,
      "type 7 (other event) is accepted without monitor-trap-flag support (\"case 7\" only checks the vector "
      "when BX_VMX_MONITOR_TRAP_FLAG is supported); the entry then ends Bochs with a panic" },
    { VMENTRY_CHECK_exit_msr_store_last_byte, BOCHS_MISSING, CONTROLS,
      "the last byte is computed as address + (Bit32u count * 16) - 1 in 32 bits: a count of 2^28 or more "
      "wraps" },
    { VMENTRY_CHECK_exit_msr_load_last_byte, BOCHS_MISSING, CONTROLS,
      "as for the MSR-store area: count * 16 wraps" },
    { VMENTRY_CHECK_entry_msr_load_last_byte, BOCHS_MISSING, CONTROLS,
      "as for the MSR-store area: count * 16 wraps at 32 bits" },
    { VMENTRY_CHECK_entry_to_smm_outside_smm, BOCHS_OTHER_CLASS, CONTROLS,
      "\"entry to SMM\" is not refused with the controls; the guest-state checks refuse it (SMI blocking "
      "outside "
      "SMM, or SMM guest without SMI blocking): exit 33 instead of error 7" },
    { VMENTRY_CHECK_NONE, BOCHS_OLDER_RULE, CONTROLS,
      "\"use TSC scaling\" with a TSC multiplier of 0 is refused (error 7); the SDM has no such check" },
    /* host-state area */
    { VMENTRY_CHECK_host_perf_global_ctrl_reserved, BOCHS_MISSING, HOST,
      "host IA32_PERF_GLOBAL_CTRL is never read (\"MSR not implemented yet\")" },
    { VMENTRY_CHECK_host_cr4_cet_needs_wp, BOCHS_MISSING, HOST,
      "checked only under \"load CET state\"; unreachable on models without CET (CR4.CET is fixed to 0)" },
    /* guest-state area */
    { VMENTRY_CHECK_guest_debugctl_reserved, BOCHS_MISSING, GUEST,
      "guest IA32_DEBUGCTL is read but never checked" },
    { VMENTRY_CHECK_guest_ia32e_needs_pg, BOCHS_MISSING, GUEST,
      "\"IA-32e mode guest\" checks CR4.PAE only; CR0.PG 0 passes with \"unrestricted guest\"" },
    { VMENTRY_CHECK_guest_perf_global_ctrl_reserved, BOCHS_MISSING, GUEST,
      "guest IA32_PERF_GLOBAL_CTRL is never read (\"MSR not implemented yet\")" },
    { VMENTRY_CHECK_guest_ss_type, BOCHS_MISSING, GUEST,
      "in a 64-bit guest (IA-32e, CS.L) every SS check is skipped when the SS selector's RPL is 0, usable or "
      "not" },
    { VMENTRY_CHECK_guest_ss_s, BOCHS_MISSING, GUEST, "skipped as guest_ss_type (64-bit guest, SS.RPL 0)" },
    { VMENTRY_CHECK_guest_ss_p, BOCHS_MISSING, GUEST, "skipped as guest_ss_type (64-bit guest, SS.RPL 0)" },
    { VMENTRY_CHECK_guest_ss_reserved_11_8, BOCHS_MISSING, GUEST, "skipped as guest_ss_type" },
    { VMENTRY_CHECK_guest_ss_reserved_31_17, BOCHS_MISSING, GUEST, "skipped as guest_ss_type" },
    { VMENTRY_CHECK_guest_ss_g_limit_low, BOCHS_MISSING, GUEST, "skipped as guest_ss_type" },
    { VMENTRY_CHECK_guest_ss_g_limit_high, BOCHS_MISSING, GUEST, "skipped as guest_ss_type" },
    { VMENTRY_CHECK_guest_ss_base_high, BOCHS_MISSING, GUEST, "skipped as guest_ss_type" },
    { VMENTRY_CHECK_guest_cs_dpl_nonconforming, BOCHS_OLDER_RULE, GUEST,
      "compares CS.DPL with the CS selector's RPL (an older SDM), not with SS.DPL: with \"unrestricted "
      "guest\" "
      "it refuses CS.RPL != CS.DPL and accepts CS.DPL != SS.DPL" },
    { VMENTRY_CHECK_guest_cs_dpl_conforming, BOCHS_OLDER_RULE, GUEST,
      "requires CS.RPL >= CS.DPL (an older SDM), not CS.DPL <= SS.DPL" },
    { VMENTRY_CHECK_guest_rip_canonical, BOCHS_MISSING, GUEST,
      "only bits 63:32 outside 64-bit mode are checked; a non-canonical RIP of a 64-bit guest enters" },
    { VMENTRY_CHECK_guest_rflags_vm_real, BOCHS_MISSING, GUEST,
      "RFLAGS.VM is refused only with \"IA-32e mode guest\", not with CR0.PE 0" },
    { VMENTRY_CHECK_guest_activity_hlt_event, BOCHS_MISSING, GUEST,
      "no check of the events injected into the HLT state" },
    { VMENTRY_CHECK_guest_activity_shutdown_event, BOCHS_MISSING, GUEST,
      "the shutdown check is \"type != NMI && vector != 18\": any type with vector 18 passes (only a "
      "hardware "
      "exception #MC may)" },
    { VMENTRY_CHECK_guest_interruptibility_virtual_nmi_blocking, BOCHS_MISSING, CONTROLS,
      "the check is commented out in the NMI injection case" },
    { VMENTRY_CHECK_guest_interruptibility_nmi_sti, BOCHS_OTHER_CLASS, GUEST,
      "refused with exit 33 but exit qualification 0, not 3" },
    { VMENTRY_CHECK_guest_pending_debug_reserved, BOCHS_MISSING, GUEST,
      "the field is truncated to 32 bits (Bit32u tmpDR6) before the reserved-bit test: bits 63:32 pass" },
    { VMENTRY_CHECK_guest_pending_debug_bs_set, BOCHS_MISSING, GUEST,
      "no check of BS against RFLAGS.TF and BTF" },
    { VMENTRY_CHECK_guest_pending_debug_bs_clear, BOCHS_MISSING, GUEST,
      "no check of BS against RFLAGS.TF and BTF" },
    /* MSR loading */
    { VMENTRY_CHECK_msr_load_count_maximum, BOCHS_MISSING, "bochs/cpu/vmx.cc:LoadMSRs",
      "loads any count; the SDM leaves a count above 512 * (N + 1) unpredictable, vmxroot refuses it" },
    { VMENTRY_CHECK_msr_load_entry_smm_only, BOCHS_OTHER_CLASS, "bochs/cpu/vmx.cc:LoadMSRs",
      "no check of its own: IA32_SMM_MONITOR_CTL is refused only if Bochs's WRMSR refuses it" },
};

const size_t vmentry_bochs_gap_count = ARRAY_SIZE(vmentry_bochs_gaps);

const struct vmentry_bochs_gap *vmentry_bochs_gap_of(enum vmentry_check_id check)
{
    if (check == VMENTRY_CHECK_NONE)
        return NULL;
    for (size_t i = 0; i < vmentry_bochs_gap_count; i++)
        if (vmentry_bochs_gaps[i].check == check)
            return &vmentry_bochs_gaps[i];
    return NULL;
}
