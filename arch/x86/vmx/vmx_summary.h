/* The boot's VMX summary across CPUs (arch/x86/vmx/vmx_summary.c). */
#ifndef ARCH_X86_VMX_VMX_SUMMARY_H
#define ARCH_X86_VMX_VMX_SUMMARY_H

#include "core/lib/compiler.h"

/* After every AP's turn: says how many CPUs are in VMX root, and which are not, by reason. Returns the first. */
uint32_t vmx_report_summary(void);

#endif
