/*
 * selftest=vmentry (vmentry_cases=N, vmentry_seed=S): the software VM-entry
 * check compared with the processor's VM entry over N seeded mutations of a
 * valid guest VMCS, on the boot CPU in VMX root (vmentry_diff_run.c).
 */
#ifndef ARCH_X86_VMX_VMENTRY_DIFF_RUN_H
#define ARCH_X86_VMX_VMENTRY_DIFF_RUN_H

#include "core/cmdline.h"

/* Prints "vmentry-diff: cases=... agree=... disagree=... stricter=... unsafe=... seed=... model=...". */
void vmentry_diff_selftest(const struct boot_options *opts);

#endif
