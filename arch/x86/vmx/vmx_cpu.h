/*
 * Entering and leaving VMX root operation on one CPU (SDM: "Enabling and
 * Entering VMX Operation"). Every check that can fail is done in order and
 * the first failure is the CPU's reason; the CPU then goes on without VMX.
 */
#ifndef ARCH_X86_VMX_VMX_CPU_H
#define ARCH_X86_VMX_VMX_CPU_H

#include "core/cmdline.h"
#include "arch/x86/vmx/vmx_caps.h"

/* On the boot CPU, before any AP: reads the capabilities every AP is checked against. */
void vmx_boot_cpu_init(const struct boot_options *opts);
/* On each CPU: checks, enables, VMXON. 0 when the CPU is in VMX root operation. */
int vmx_enable_this_cpu(void);
/* VMCLEAR every VMCS active here, VMXOFF, CR4.VMXE off. Safe to call when not in VMX. */
void vmx_leave_this_cpu(void);
/* After every AP's turn: says how many CPUs are in VMX root, and which are not, by reason. Returns the first. */
uint32_t vmx_report_summary(void);
/* The boot CPU's capabilities (valid after vmx_boot_cpu_init when VMX exists). */
const struct vmx_caps *vmx_boot_caps(void);
bool vmx_boot_caps_valid(void);
uint32_t vmx_revision_id(void);

#endif
