/*
 * Names of VMX controls and CR0/CR4 bits, as the SDM's "VM-Execution
 * Controls", "VM-Exit Controls" and "VM-Entry Controls" tables and the
 * "Control Registers" chapter name them. Unnamed bits print as "bit N".
 */
#include "arch/x86/vmx/vmx_caps.h"

static const char *const pinbased_names[32] = {
    [0] = "external-interrupt exiting",
    [3] = "NMI exiting",
    [5] = "virtual NMIs",
    [6] = "activate VMX-preemption timer",
    [7] = "process posted interrupts",
};

static const char *const procbased_names[32] = {
    [2] = "interrupt-window exiting",
    [3] = "use TSC offsetting",
    [7] = "HLT exiting",
    [9] = "INVLPG exiting",
    [10] = "MWAIT exiting",
    [11] = "RDPMC exiting",
    [12] = "RDTSC exiting",
    [15] = "CR3-load exiting",
    [16] = "CR3-store exiting",
    [17] = "activate tertiary controls",
    [19] = "CR8-load exiting",
    [20] = "CR8-store exiting",
    [21] = "use TPR shadow",
    [22] = "NMI-window exiting",
    [23] = "MOV-DR exiting",
    [24] = "unconditional I/O exiting",
    [25] = "use I/O bitmaps",
    [27] = "monitor trap flag",
    [28] = "use MSR bitmaps",
    [29] = "MONITOR exiting",
    [30] = "PAUSE exiting",
    [31] = "activate secondary controls",
};

static const char *const secondary_names[32] = {
    [0] = "virtualize APIC accesses",
    [1] = "enable EPT",
    [2] = "descriptor-table exiting",
    [3] = "enable RDTSCP",
    [4] = "virtualize x2APIC mode",
    [5] = "enable VPID",
    [6] = "WBINVD exiting",
    [7] = "unrestricted guest",
    [8] = "APIC-register virtualization",
    [9] = "virtual-interrupt delivery",
    [10] = "PAUSE-loop exiting",
    [11] = "RDRAND exiting",
    [12] = "enable INVPCID",
    [13] = "enable VM functions",
    [14] = "VMCS shadowing",
    [15] = "enable ENCLS exiting",
    [16] = "RDSEED exiting",
    [17] = "enable PML",
    [18] = "EPT-violation #VE",
    [19] = "conceal VMX from PT",
    [20] = "enable XSAVES/XRSTORS",
    [22] = "mode-based execute control for EPT",
    [23] = "sub-page write permissions for EPT",
    [24] = "Intel PT uses guest physical addresses",
    [25] = "use TSC scaling",
    [26] = "enable user wait and pause",
    [27] = "enable PCONFIG",
    [28] = "enable ENCLV exiting",
};

static const char *const exit_names[32] = {
    [2] = "save debug controls",
    [9] = "host address-space size",
    [12] = "load IA32_PERF_GLOBAL_CTRL",
    [15] = "acknowledge interrupt on exit",
    [18] = "save IA32_PAT",
    [19] = "load IA32_PAT",
    [20] = "save IA32_EFER",
    [21] = "load IA32_EFER",
    [22] = "save VMX-preemption timer value",
    [23] = "clear IA32_BNDCFGS",
    [24] = "conceal VMX from PT",
    [25] = "clear IA32_RTIT_CTL",
    [26] = "clear IA32_LBR_CTL",
    [28] = "load CET state",
    [29] = "load PKRS",
};

static const char *const entry_names[32] = {
    [2] = "load debug controls",
    [9] = "IA-32e mode guest",
    [10] = "entry to SMM",
    [11] = "deactivate dual-monitor treatment",
    [13] = "load IA32_PERF_GLOBAL_CTRL",
    [14] = "load IA32_PAT",
    [15] = "load IA32_EFER",
    [16] = "load IA32_BNDCFGS",
    [17] = "conceal VMX from PT",
    [18] = "load IA32_RTIT_CTL",
    [20] = "load CET state",
    [21] = "load guest IA32_LBR_CTL",
    [22] = "load PKRS",
};

static const char *const cr0_names[32] = {
    [0] = "CR0.PE",  [1] = "CR0.MP",  [2] = "CR0.EM",  [3] = "CR0.TS",  [4] = "CR0.ET",  [5] = "CR0.NE",
    [16] = "CR0.WP", [18] = "CR0.AM", [29] = "CR0.NW", [30] = "CR0.CD", [31] = "CR0.PG",
};

static const char *const cr4_names[32] = {
    [0] = "CR4.VME",         [1] = "CR4.PVI",    [2] = "CR4.TSD",      [3] = "CR4.DE",    [4] = "CR4.PSE",
    [5] = "CR4.PAE",         [6] = "CR4.MCE",    [7] = "CR4.PGE",      [8] = "CR4.PCE",   [9] = "CR4.OSFXSR",
    [10] = "CR4.OSXMMEXCPT", [11] = "CR4.UMIP",  [12] = "CR4.LA57",    [13] = "CR4.VMXE", [14] = "CR4.SMXE",
    [16] = "CR4.FSGSBASE",   [17] = "CR4.PCIDE", [18] = "CR4.OSXSAVE", [19] = "CR4.KL",   [20] = "CR4.SMEP",
    [21] = "CR4.SMAP",       [22] = "CR4.PKE",   [23] = "CR4.CET",     [24] = "CR4.PKS",
};

static const char *name_in(const char *const table[32], unsigned bit) { return bit < 32 ? table[bit] : NULL; }

const char *vmx_pinbased_control_name(unsigned bit) { return name_in(pinbased_names, bit); }
const char *vmx_procbased_control_name(unsigned bit) { return name_in(procbased_names, bit); }
const char *vmx_secondary_control_name(unsigned bit) { return name_in(secondary_names, bit); }
const char *vmx_exit_control_name(unsigned bit) { return name_in(exit_names, bit); }
const char *vmx_entry_control_name(unsigned bit) { return name_in(entry_names, bit); }
const char *vmx_cr0_bit_name(unsigned bit) { return name_in(cr0_names, bit); }
const char *vmx_cr4_bit_name(unsigned bit) { return name_in(cr4_names, bit); }
