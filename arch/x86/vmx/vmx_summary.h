/* The boot's VMX summary across CPUs (arch/x86/vmx/vmx_summary.c). */
#ifndef ARCH_X86_VMX_VMX_SUMMARY_H
#define ARCH_X86_VMX_VMX_SUMMARY_H

#include "core/lib/compiler.h"

/*
 * After every AP's VMX step: says how many CPUs are in VMX root operation,
 * names them by revision, and names every other CPU under its reason and the
 * words it noted (percpu_note), one line per kind of outcome. Returns the
 * number in VMX root.
 */
uint32_t vmx_report_summary(void);

#endif
