/*
 * inject=<case> for the faults that end the boot on purpose, to show that
 * they end cleanly: a stack overflow into the guard page (#DF on its IST
 * stack), a write to kernel text and a jump into data (#PF: W^X and NX), an
 * overwritten stack canary (the stack protector), and a panic on an AP while the other
 * CPUs are in VMX root (every CPU leaves VMX operation). The VMX instruction
 * cases are in arch/x86/vmx/vmx_inject.c; the SMP ones in smp_boot.c.
 */
#ifndef CORE_FAULT_INJECT_H
#define CORE_FAULT_INJECT_H

#include "core/cmdline.h"

/* Runs a fatal case (never returns then); returns for every other case. */
void fault_inject_run(const struct boot_options *opts);

#endif
