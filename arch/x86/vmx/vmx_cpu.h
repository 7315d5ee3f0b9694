/*
 * Entering and leaving VMX root operation on one CPU (SDM: "Enabling and
 * Entering VMX Operation"). Every check that can fail is done in order and
 * the first failure is the CPU's reason; the CPU then goes on without VMX.
 */
#ifndef ARCH_X86_VMX_VMX_CPU_H
#define ARCH_X86_VMX_VMX_CPU_H

#include "arch/x86/vmx/vmx_caps.h"

/* What this file takes from the command line; main fills it. */
struct vmx_cpu_options {
    bool enabled; /* vmx=on */
    /*
     * Fault-injection hook point (inject=feature-locked-off), NULL in a normal
     * boot: true makes this CPU read IA32_FEATURE_CONTROL as locked with VMX off.
     */
    bool (*inject_feature_locked_off)(uint32_t cpu_index);
};

/* On the boot CPU, before any AP: keeps *opts, reads the capabilities every AP is checked against. */
void vmx_boot_cpu_init(const struct vmx_cpu_options *opts);
/*
 * On each CPU: checks, enables, VMXON. 0 when the CPU is in VMX root operation
 * (cpu->vmxon_region_phys then names its VMXON region).
 */
MUST_CHECK int vmx_enable_this_cpu(void);
/*
 * VMXOFF and CR4.VMXE off; safe to call when not in VMX operation. The VMCSs
 * active here must be VMCLEARed first (core/vmx_root.c orders the two).
 */
void vmx_leave_this_cpu(void);
/* The boot CPU's capabilities (valid after vmx_boot_cpu_init when VMX exists). */
const struct vmx_caps *vmx_boot_caps(void);
bool vmx_boot_caps_valid(void);
uint32_t vmx_revision_id(void);

#endif
