/*
 * The software VM-entry check (arch/x86/vmx/vmentry_check.h) around a
 * vCPU's entries: before the first VMLAUNCH, before an entry that follows a
 * handler that rewrote guest state, and on every entry failure, so the
 * failure is named. vmentry_check=off skips it before entries.
 */
#ifndef ARCH_X86_VMX_VCPU_CHECK_H
#define ARCH_X86_VMX_VCPU_CHECK_H

#include "arch/x86/vmx/vcpu.h"

/* 0 to enter; else the vCPU is stopped naming the check, field and value. */
int vcpu_check_before_entry(struct vcpu *vcpu);
/* After a failed entry: "; software check: <name> (<field> = 0x...)" into text, or "" when it finds nothing. */
void vcpu_check_explain(struct vcpu *vcpu, char *text, size_t text_bytes);

#endif
