/*
 * VMX capability MSRs (SDM appendix "VMX Capability Reporting Facility"):
 * read once per CPU through a callback, decoded by name, checked on the boot
 * CPU and compared on every AP, and reported vmxcap-style at debug level.
 * Pure code: the kernel passes a real RDMSR, tests pass a table.
 */
#ifndef ARCH_X86_VMX_VMX_CAPS_H
#define ARCH_X86_VMX_VMX_CAPS_H

#include "core/lib/compiler.h"

#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS 0x483
#define MSR_IA32_VMX_ENTRY_CTLS 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_VMCS_ENUM 0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48C
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490
#define MSR_IA32_VMX_VMFUNC 0x491

/* IA32_VMX_BASIC fields (SDM: "Basic VMX Information"). */
#define VMX_BASIC_PHYS_WIDTH_32 (1ull << 48) /* VMXON/VMCS addresses limited to 32 bits */
#define VMX_BASIC_INS_OUTS_INFO (1ull << 54)
#define VMX_BASIC_TRUE_CONTROLS (1ull << 55)
#define VMX_MEMORY_TYPE_UNCACHEABLE 0
#define VMX_MEMORY_TYPE_WRITE_BACK 6

/* Control bits the capability reading depends on (bit numbers within the control). */
#define VMX_PROCBASED_ACTIVATE_SECONDARY 31
#define VMX_SECONDARY_ENABLE_EPT 1
#define VMX_SECONDARY_ENABLE_VPID 5
#define VMX_SECONDARY_UNRESTRICTED_GUEST 7
#define VMX_SECONDARY_ENABLE_VMFUNC 13

struct vmx_caps {
    uint64_t basic;               /* IA32_VMX_BASIC 0x480 */
    uint64_t pinbased_ctls;       /* 0x481 */
    uint64_t procbased_ctls;      /* 0x482 */
    uint64_t exit_ctls;           /* 0x483 */
    uint64_t entry_ctls;          /* 0x484 */
    uint64_t misc;                /* 0x485 */
    uint64_t cr0_fixed0;          /* 0x486 */
    uint64_t cr0_fixed1;          /* 0x487 */
    uint64_t cr4_fixed0;          /* 0x488 */
    uint64_t cr4_fixed1;          /* 0x489 */
    uint64_t vmcs_enum;           /* 0x48A */
    uint64_t procbased_ctls2;     /* 0x48B, if have_procbased_ctls2 */
    uint64_t ept_vpid_cap;        /* 0x48C, if have_ept_vpid_cap */
    uint64_t true_pinbased_ctls;  /* 0x48D, if have_true_controls */
    uint64_t true_procbased_ctls; /* 0x48E */
    uint64_t true_exit_ctls;      /* 0x48F */
    uint64_t true_entry_ctls;     /* 0x490 */
    uint64_t vmfunc;              /* 0x491, if have_vmfunc */
    /* Which conditional MSRs exist, and so were read (SDM: each MSR's "exists only if"). */
    bool have_procbased_ctls2; /* IA32_VMX_PROCBASED_CTLS allows-1 "activate secondary controls" */
    bool have_ept_vpid_cap;    /* secondary controls allow-1 "enable EPT" or "enable VPID" */
    bool have_true_controls;   /* IA32_VMX_BASIC bit 55 */
    bool have_vmfunc;          /* secondary controls allow-1 "enable VM functions" */
    /* Summary, derived from the above. */
    bool ept;
    bool vpid;
    bool unrestricted_guest;
};

/* 0 on success; the callback returns 0 or a negative E_* (e.g. E_FAULT for #GP). */
typedef int (*vmx_rdmsr_fn)(void *ctx, uint32_t msr, uint64_t *value);

/* Reads every capability MSR that exists, in SDM order; logs and returns the first read error. */
MUST_CHECK int vmx_caps_read(struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx);

/* IA32_VMX_BASIC decoders. */
static inline uint32_t vmx_basic_revision_id(uint64_t basic) { return (uint32_t)(basic & 0x7fffffffu); }
static inline uint32_t vmx_basic_region_size_bytes(uint64_t basic)
{
    return (uint32_t)((basic >> 32) & 0x1fffu);
}
static inline bool vmx_basic_phys_width_32(uint64_t basic) { return (basic & VMX_BASIC_PHYS_WIDTH_32) != 0; }
static inline uint32_t vmx_basic_memory_type(uint64_t basic) { return (uint32_t)((basic >> 50) & 0xfu); }
static inline bool vmx_basic_true_controls(uint64_t basic) { return (basic & VMX_BASIC_TRUE_CONTROLS) != 0; }

/* Control MSRs: the low half is allowed-0 (1 = must be 1), the high half allowed-1 (1 = may be 1). */
static inline bool vmx_control_may_be_1(uint64_t msr_value, unsigned bit)
{
    return (msr_value >> (32 + bit)) & 1;
}
static inline bool vmx_control_must_be_1(uint64_t msr_value, unsigned bit) { return (msr_value >> bit) & 1; }

/*
 * The physical-address width VMXON/VMCS pointers may use: 32 when
 * IA32_VMX_BASIC bit 48 is set, else the CPU's MAXPHYADDR (CPUID 0x80000008).
 */
uint32_t vmx_caps_vmcs_phys_width_bits(const struct vmx_caps *caps, uint32_t cpu_phys_width_bits);

/*
 * 0 when this hypervisor can use the VMCS/VMXON layout IA32_VMX_BASIC
 * describes; E_NOTSUP with the reason in why (region larger than the 4 KiB we
 * allocate, or memory type not write-back).
 */
MUST_CHECK int vmx_caps_check_basic(const struct vmx_caps *caps, char *why, size_t why_bytes);

/*
 * Called on the AP (the logger's "cpuN: " prefix names it): one error line
 * per MSR that differs from the boot CPU's, naming the differing bits, then a
 * summary naming ap_cpu. 0 when identical, E_INVAL otherwise.
 */
MUST_CHECK int vmx_caps_compare(const struct vmx_caps *boot, const struct vmx_caps *ap, int ap_cpu);

/*
 * The CR0/CR4 values VMX operation needs (SDM: "Restrictions on VMX
 * Operation"): required = (cr | FIXED0) & FIXED1. Pass CR4 with VMXE set.
 *   0        *cr0_out and *cr4_out are safe to load. They differ from the input
 *            at most in CR0.NE and CR4.VMXE (set); why says what was set, or "".
 *   E_NOTSUP any other bit would have to change (e.g. "CR0.PG must be 1 in VMX
 *            operation but is 0"), or FIXED0/FIXED1 contradict; why names
 *            every such bit. The outputs then hold the required values anyway.
 */
MUST_CHECK int vmx_cr_check(uint64_t cr0, uint64_t cr4_with_vmxe, const struct vmx_caps *caps,
                            uint64_t *cr0_out, uint64_t *cr4_out, char *why, size_t why_bytes);

/* "CR0.PE", "CR4.VMXE", ... or NULL for a bit without a name. */
const char *vmx_cr0_bit_name(unsigned bit);
const char *vmx_cr4_bit_name(unsigned bit);

/* "IA32_VMX_PROCBASED_CTLS" for 0x482; NULL for an MSR outside 0x480..0x491. */
const char *vmx_caps_msr_name(uint32_t msr);

/* The control names ("HLT exiting"); NULL for bits without one. */
const char *vmx_pinbased_control_name(unsigned bit);
const char *vmx_procbased_control_name(unsigned bit);
const char *vmx_secondary_control_name(unsigned bit);
const char *vmx_exit_control_name(unsigned bit);
const char *vmx_entry_control_name(unsigned bit);

/* vmxcap-style lines at debug level: basic, misc, every control MSR with named bits, EPT/VPID. */
void vmx_caps_report(const struct vmx_caps *caps);

#endif
