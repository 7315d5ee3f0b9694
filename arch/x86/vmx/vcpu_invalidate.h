/*
 * INVEPT and INVVPID for a vCPU on its own CPU: what it may have cached of
 * its EPT space and VPID is dropped (at its set-up, and when an entry of a
 * live space changes: the xAPIC page taken out, vapic_x2apic.c).
 */
#ifndef ARCH_X86_VMX_VCPU_INVALIDATE_H
#define ARCH_X86_VMX_VCPU_INVALIDATE_H

#include "arch/x86/vmx/vcpu.h"

/* 0, or E_VMX with why naming the instruction and its decoded outcome. */
MUST_CHECK int vcpu_invalidate_translations(struct vcpu *vcpu, char *why, size_t why_bytes);

#endif
