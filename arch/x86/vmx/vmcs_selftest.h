/*
 * selftest=vmcs: drives the real VMCS pool across two CPUs - acquire, load,
 * switch, migrate, release - and checks what it cost against the SDM's
 * rules: switching between two VMCSs on one CPU costs VMPTRLDs and no
 * VMCLEAR; a migration costs exactly one VMCLEAR on the old CPU; fields
 * written with VMWRITE read back the same with VMREAD after a migration.
 * Prints one line: "selftest: vmcs-lifecycle ... result=PASS|FAIL|SKIP".
 */
#ifndef ARCH_X86_VMX_VMCS_SELFTEST_H
#define ARCH_X86_VMX_VMCS_SELFTEST_H

#include "core/lib/compiler.h"

/* The result is the line it prints (PASS, FAIL or SKIP). */
void vmcs_selftest_run(void);

#endif
