/*
 * inject=vmentry-*: one VMCS field broken on purpose in the image of the
 * guest on inject_cpu, after the setup and before the software check and
 * the VMWRITE loop. With vmentry_check=on the check must refuse it and name
 * the rule; with vmentry_check=off the processor (Bochs) must fail the
 * entry with the matching VM-instruction error or exit reason. Each case
 * prints one `inject: case=<name> result=PASS|FAIL ...` line.
 */
#ifndef ARCH_X86_VMX_VMENTRY_INJECT_H
#define ARCH_X86_VMX_VMENTRY_INJECT_H

#include "arch/x86/vmx/vcpu.h"

/* True for the inject= cases this file handles. */
bool vmentry_inject_is_entry_case(enum guest_fault c);
/* The entry mode the case needs on inject_cpu (64-bit for a non-canonical RIP), else mode unchanged. */
enum vmcs_entry_mode vmentry_inject_mode(enum guest_fault c, enum vmcs_entry_mode mode);
/* Breaks the case's field in vcpu->image (on inject_cpu only). */
void vmentry_inject_apply(struct vcpu *vcpu);
/* After the vCPU stopped: the inject line, judged against what the case expects. */
void vmentry_inject_report(struct vcpu *vcpu);

#endif
