/*
 * The emulated x2APIC (vmexit_x2apic.h), on the RDMSR/WRMSR exits of its
 * guest. Delivery is event injection (SDM: "VM-Entry Controls for Event
 * Injection"): an external interrupt only when the guest's RFLAGS.IF is set
 * and nothing else is queued for this entry, an NMI when no NMI blocking is
 * in force; otherwise it is held and tried again at its next x2APIC access
 * (an EOI, another ICR write).
 */
#include "arch/x86/vmx/vmexit_x2apic.h"
#include "arch/x86/vmx/x2apic_icr.h"
#include "arch/x86/msr.h"
#include "arch/x86/rflags.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

#define APIC_BASE_VALUE (0xFEE00000ull | APIC_BASE_XAPIC_ENABLE | APIC_BASE_X2APIC_ENABLE | APIC_BASE_BSP)
#define X2APIC_FIRST 0x800u
#define X2APIC_LAST 0x8FFu
#define X2APIC_ID 0x802u
#define X2APIC_VERSION 0x803u
#define X2APIC_TPR 0x808u
#define X2APIC_PPR 0x80Au
#define X2APIC_EOI 0x80Bu
#define X2APIC_LDR 0x80Du
#define X2APIC_SVR 0x80Fu
#define X2APIC_ISR_FIRST 0x810u
#define X2APIC_IRR_LAST 0x827u
#define X2APIC_ESR 0x828u
#define X2APIC_ICR 0x830u
#define X2APIC_SELF_IPI 0x83Fu
#define VX2APIC_OWN_ID 0u
#define VX2APIC_VERSION_VALUE 0x50014u /* version 0x14, 6 LVT entries: as a current Intel CPU reports */
#define INTERRUPTIBILITY_NMI_BLOCKING (1ull << 3)
#define INJECT_VALID (1u << 31)
#define INJECT_TYPE_NMI (2u << 8)

void vx2apic_reset(struct vx2apic *apic)
{
    memset(apic, 0, sizeof *apic);
    apic->svr = 0xff;
}

static void deliver_pending(struct vcpu *vcpu, struct vx2apic *apic)
{
    if (!apic->pending_fixed && !apic->pending_nmi)
        return;
    if (vcpu_read_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO) & INJECT_VALID)
        return; /* one event per entry */
    if (apic->pending_nmi &&
        !(vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE) & INTERRUPTIBILITY_NMI_BLOCKING)) {
        vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, 2u | INJECT_TYPE_NMI | INJECT_VALID);
        apic->pending_nmi = false;
        apic->delivered_nmi++;
        return;
    }
    if (apic->pending_fixed && (vcpu_read_field(vcpu, VMCS_GUEST_RFLAGS) & RFLAGS_IF)) {
        /* Type 0, external interrupt; blocking by STI or MOV SS ends with the instruction this exit skips. */
        vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, apic->pending_vector | INJECT_VALID);
        apic->pending_fixed = false;
        apic->delivered_fixed++;
    }
}

static void send_ipi(struct vcpu *vcpu, struct vx2apic *apic, uint64_t icr_value)
{
    struct x2apic_icr icr = x2apic_icr_decode(icr_value);
    struct x2apic_ipi_decision decision = x2apic_ipi_decide(&icr, VX2APIC_OWN_ID);
    if (decision.refused) {
        apic->refused++;
        apic->refused_by_mode[icr.delivery & 7]++;
        if (decision.refused_destination == 0xffffffffu)
            format(apic->last_refusal, sizeof apic->last_refusal, "%s to all others: %s",
                   x2apic_delivery_name(icr.delivery), decision.refusal);
        else
            format(apic->last_refusal, sizeof apic->last_refusal, "%s to x2APIC id %u: %s",
                   x2apic_delivery_name(icr.delivery), decision.refused_destination, decision.refusal);
    }
    if (!decision.deliver_to_self)
        return;
    if (icr.delivery == X2APIC_DELIVERY_NMI) {
        apic->pending_nmi = true;
    } else {
        apic->pending_fixed = true; /* one IRR bit is all a VM that sends to itself needs here */
        apic->pending_vector = icr.vector;
    }
}

static int apic_base(bool write, uint64_t *value)
{
    if (!write) {
        *value = APIC_BASE_VALUE;
        return 1;
    }
    return *value == APIC_BASE_VALUE ? 1 : -1;
}

static int read_register(struct vx2apic *apic, uint32_t msr, uint64_t *value)
{
    switch (msr) {
    case X2APIC_ID:
        *value = VX2APIC_OWN_ID;
        return 1;
    case X2APIC_VERSION:
        *value = VX2APIC_VERSION_VALUE;
        return 1;
    case X2APIC_TPR:
    case X2APIC_PPR:
        *value = apic->tpr;
        return 1;
    case X2APIC_LDR:
        *value = x2apic_logical_id(VX2APIC_OWN_ID);
        return 1;
    case X2APIC_SVR:
        *value = apic->svr;
        return 1;
    case X2APIC_ESR:
        *value = apic->esr;
        return 1;
    case X2APIC_ICR:
        *value = apic->icr;
        return 1;
    default:
        if (msr >= X2APIC_ISR_FIRST && msr <= X2APIC_IRR_LAST) {
            *value = 0;
            return 1;
        }
        return -1; /* write-only (EOI, SELF IPI), the LVTs and the timer (not emulated), reserved */
    }
}

static int write_register(struct vcpu *vcpu, struct vx2apic *apic, uint32_t msr, uint64_t value)
{
    switch (msr) {
    case X2APIC_TPR:
        apic->tpr = (uint32_t)(value & 0xff);
        return value >> 8 ? -1 : 1;
    case X2APIC_EOI:
        return value ? -1 : 1; /* SDM: a non-zero EOI write in x2APIC mode is a #GP */
    case X2APIC_SVR:
        apic->svr = (uint32_t)(value & 0x11ff);
        return 1;
    case X2APIC_ESR:
        apic->esr = 0;
        return value ? -1 : 1;
    case X2APIC_ICR:
        apic->icr = value & ~(1ull << 12); /* delivery status: always idle */
        send_ipi(vcpu, apic, value);
        return 1;
    case X2APIC_SELF_IPI:
        send_ipi(vcpu, apic, (value & 0xff) | ((uint64_t)X2APIC_SHORTHAND_SELF << 18));
        return value >> 8 ? -1 : 1;
    default:
        return -1;
    }
}

int vx2apic_msr(struct vcpu *vcpu, struct vx2apic *apic, uint32_t msr, bool write, uint64_t *value)
{
    if (msr == MSR_IA32_APIC_BASE)
        return apic_base(write, value);
    if (msr < X2APIC_FIRST || msr > X2APIC_LAST)
        return 0;
    int done = write ? write_register(vcpu, apic, msr, *value) : read_register(apic, msr, value);
    if (done > 0)
        deliver_pending(vcpu, apic); /* not under the #GP a refused access injects */
    return done;
}
