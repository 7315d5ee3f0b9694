/*
 * An emulated x2APIC for a guest that gets no local APIC of the machine's
 * (the hostile guest: its EPT leaves the APIC page out and every x2APIC MSR
 * exits). It is always in x2APIC mode at the architectural base, x2APIC id
 * 0 of a VM of one vCPU; an ICR write is judged by x2apic_icr.h: an IPI to
 * itself (fixed or NMI) is injected, any other destination is refused and
 * counted by delivery mode. Only what an IPI needs is there: ID, version,
 * TPR, PPR, EOI, LDR, SVR, ESR, ISR/TMR/IRR (read as zero), ICR and SELF
 * IPI; the LVT and timer registers are not emulated (#GP).
 */
#ifndef ARCH_X86_VMX_VMEXIT_X2APIC_H
#define ARCH_X86_VMX_VMEXIT_X2APIC_H

#include "arch/x86/vmx/vcpu.h"

struct vx2apic {
    uint32_t tpr, svr, esr;
    uint64_t icr;
    bool pending_fixed, pending_nmi; /* held while the guest cannot take it (IF clear, an event queued) */
    uint8_t pending_vector;
    uint32_t delivered_fixed, delivered_nmi;
    uint32_t refused_by_mode[8]; /* by enum x2apic_delivery */
    uint32_t refused;
    char last_refusal[112];
};

/* Power-on state: SVR 0xFF (software-disabled, as after reset), nothing pending. */
void vx2apic_reset(struct vx2apic *apic);
/*
 * RDMSR/WRMSR of IA32_APIC_BASE or 0x800-0x8FF for a guest with this APIC:
 * 1 done (*value read or written), 0 not an APIC MSR, -1 #GP. A write to
 * IA32_APIC_BASE that changes anything is refused: the window never moves
 * and x2APIC mode stays on.
 */
int vx2apic_msr(struct vcpu *vcpu, struct vx2apic *apic, uint32_t msr, bool write, uint64_t *value);

#endif
