/*
 * inject=<case> for the VMX paths: each case issues the real instruction
 * with a bad operand where the CPU decides the outcome, checks the exact
 * outcome the SDM gives, reports it by name and leaves the CPU usable.
 * The VMXON-pointer guard refuses each bad operand first; it stands aside
 * only for the injected instruction. One result line per case:
 *   inject: case=NAME ... result=PASS|FAIL
 */
#ifndef ARCH_X86_VMX_VMX_INJECT_H
#define ARCH_X86_VMX_VMX_INJECT_H

#include "core/cmdline.h"

/* Runs opts->inject on this CPU (the boot CPU) if it is a VMX case; 0 when it passed or was not ours. */
int vmx_inject_run(const struct boot_options *opts);

#endif
