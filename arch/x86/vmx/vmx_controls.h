/*
 * The VM-execution, VM-exit and VM-entry controls vmxroot runs guests with
 * (SDM: "VM-Execution Controls", "VM-Exit Controls", "VM-Entry Controls"),
 * adjusted against the capability MSRs (SDM appendix "VMX Capability
 * Reporting Facility"): each control word asks for required and optional
 * bits; a bit the CPU must have at 1 (allowed-0) is set, an optional bit the
 * CPU cannot set (allowed-1) is dropped, and a required bit it cannot set
 * refuses guest launch, naming the word, the bit and the MSR. The word's MSR
 * is the TRUE_* one when IA32_VMX_BASIC bit 55 is set, the plain one
 * otherwise (the secondary controls have only IA32_VMX_PROCBASED_CTLS2).
 *
 * Computed once on the boot CPU (vmx_controls_compute), re-checked on every
 * AP against that CPU's own MSRs (vmx_controls_recheck). Pure code.
 */
#ifndef ARCH_X86_VMX_VMX_CONTROLS_H
#define ARCH_X86_VMX_VMX_CONTROLS_H

#include "arch/x86/vmx/vmx_caps.h"

/* Pin-based VM-execution controls. */
#define PIN_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_ACTIVATE_PREEMPTION_TIMER (1u << 6)
#define PIN_POSTED_INTERRUPTS (1u << 7)

/* Primary processor-based VM-execution controls. */
#define PROC_INTERRUPT_WINDOW_EXITING (1u << 2)
#define PROC_USE_TSC_OFFSETTING (1u << 3)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_INVLPG_EXITING (1u << 9)
#define PROC_MWAIT_EXITING (1u << 10)
#define PROC_RDPMC_EXITING (1u << 11)
#define PROC_RDTSC_EXITING (1u << 12)
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR3_STORE_EXITING (1u << 16)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_MOV_DR_EXITING (1u << 23)
#define PROC_UNCONDITIONAL_IO_EXITING (1u << 24)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_MONITOR_TRAP_FLAG (1u << 27)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_MONITOR_EXITING (1u << 29)
#define PROC_ACTIVATE_SECONDARY (1u << 31)
#define PROC_USE_TPR_SHADOW (1u << 21)

/* Secondary processor-based VM-execution controls. */
#define PROC2_ENABLE_EPT (1u << 1)
#define PROC2_DESCRIPTOR_TABLE_EXITING (1u << 2)
#define PROC2_ENABLE_RDTSCP (1u << 3)
#define PROC2_ENABLE_VPID (1u << 5)
#define PROC2_WBINVD_EXITING (1u << 6)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_ENABLE_INVPCID (1u << 12)
#define PROC2_ENABLE_VMFUNC (1u << 13)
#define PROC2_ENABLE_XSAVES (1u << 20)
#define PROC2_ENABLE_USER_WAIT_PAUSE (1u << 26)
#define PROC2_VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define PROC2_VIRTUALIZE_X2APIC (1u << 4)
#define PROC2_APIC_REGISTER_VIRTUALIZATION (1u << 8)
#define PROC2_VIRTUAL_INTERRUPT_DELIVERY (1u << 9)
#define PROC2_VMCS_SHADOWING (1u << 14)
#define PROC2_ENABLE_PML (1u << 17)
#define PROC2_EPT_VIOLATION_VE (1u << 18)
#define PROC2_MODE_BASED_EXECUTE (1u << 22)
#define PROC2_SUB_PAGE_WRITE_PERMISSIONS (1u << 23)
#define PROC2_PT_USES_GUEST_PHYSICAL (1u << 24)

/* VM-exit controls. */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDRESS_SPACE_SIZE (1u << 9)
#define EXIT_ACK_INTERRUPT_ON_EXIT (1u << 15)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)
#define EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12)
#define EXIT_SAVE_PREEMPTION_TIMER (1u << 22)
#define EXIT_CLEAR_RTIT_CTL (1u << 25)
#define EXIT_LOAD_CET (1u << 28)
#define EXIT_LOAD_PKRS (1u << 29)

/* VM-entry controls. */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)
#define ENTRY_TO_SMM (1u << 10)
#define ENTRY_DEACTIVATE_DUAL_MONITOR (1u << 11)
#define ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13)
#define ENTRY_LOAD_BNDCFGS (1u << 16)
#define ENTRY_LOAD_RTIT_CTL (1u << 18)
#define ENTRY_LOAD_CET (1u << 20)
#define ENTRY_LOAD_PKRS (1u << 22)

enum vmx_control_word {
    VMX_CONTROL_PINBASED = 0,
    VMX_CONTROL_PROCBASED,
    VMX_CONTROL_SECONDARY,
    VMX_CONTROL_EXIT,
    VMX_CONTROL_ENTRY,
    VMX_CONTROL_WORD_COUNT
};

/* What one control word asks for. */
struct vmx_control_request {
    uint32_t required; /* guest launch is refused without any of these */
    uint32_t optional; /* used where the CPU allows them */
};

/* The words as the guests of this boot run with them (the same on every CPU). */
struct vmx_controls {
    uint32_t value[VMX_CONTROL_WORD_COUNT];
    uint32_t allowed1[VMX_CONTROL_WORD_COUNT]; /* what a vCPU may add per entry (IA-32e mode guest) */
};

/* "pin-based", "primary", "secondary", "VM-exit", "VM-entry". */
const char *vmx_control_word_name(enum vmx_control_word word);
/* The name of a bit of a word ("enable EPT"); NULL for a bit without one. */
const char *vmx_control_bit_name(enum vmx_control_word word, unsigned bit);
/* The capability MSR that word is adjusted against on this CPU (TRUE_* when IA32_VMX_BASIC bit 55). */
uint32_t vmx_control_msr(const struct vmx_caps *caps, enum vmx_control_word word);
/* That MSR's value: allowed-0 in bits 31:0, allowed-1 in 63:32 (0 when the MSR does not exist). */
uint64_t vmx_control_allowed(const struct vmx_caps *caps, enum vmx_control_word word);

/*
 * One adjust step: (required | optional) & allowed-1 | allowed-0 into *value.
 * 0, or E_NOTSUP when a required bit is not allowed: *first_missing_bit
 * names the lowest such bit and *value holds what the CPU would allow.
 */
int vmx_control_adjust(uint64_t allowed, struct vmx_control_request request, uint32_t *value,
                       unsigned *first_missing_bit);

/* vmxroot's requests for every word (the policy: one place, see docs/guests.md). */
void vmx_controls_requests(struct vmx_control_request requests[VMX_CONTROL_WORD_COUNT]);

/*
 * Adjusts every word. 0, or E_NOTSUP with why holding the refusal in the
 * form "secondary control 'enable EPT' not allowed by
 * IA32_VMX_PROCBASED_CTLS2" (the caller prefixes "vmx: cannot run guests: ").
 */
int vmx_controls_compute(const struct vmx_caps *caps, struct vmx_controls *out, char *why, size_t why_bytes);

/*
 * On an AP: computes the words from its own capabilities and compares them
 * with the boot CPU's. 0 when equal; E_INVAL with why naming the word and the
 * bits that differ ("secondary controls differ from cpu0's in bits 0x20
 * (enable VPID)"); E_NOTSUP when a required bit is missing there.
 */
/*
 * The controls of a pass-through guest (Linux, docs/guests.md): from the
 * boot's words, external interrupts, HLT and the preemption-timer watchdog
 * are the guest's own (device interrupts go straight to it, its idle HLT
 * waits in the guest), where the capability MSRs let those bits be 0. NMIs
 * still exit (the panic stop is vmxroot's), with virtual NMIs where the CPU
 * has them, so a guest's own NMI can wait for its NMI window and be
 * re-injected (vmexit_events.c).
 */
void vmx_controls_pass_through(const struct vmx_caps *caps, const struct vmx_controls *boot,
                               struct vmx_controls *out);

int vmx_controls_recheck(const struct vmx_controls *boot, const struct vmx_caps *ap_caps, char *why,
                         size_t why_bytes);

#endif
