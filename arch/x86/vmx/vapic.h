/*
 * The Linux guest's local APIC (xAPIC, passed through at its physical
 * address) with its page write-protected in vm0's EPT: every guest write
 * exits and vmxroot does it on the real APIC (vapic_write.c), except an ICR
 * write that sends INIT or a start-up IPI to one of vm0's vCPUs, which
 * becomes a change of that vCPU's state (vapic_icr.c): INIT makes it wait
 * for a SIPI, a SIPI then starts it in real mode at vector << 12 (SDM:
 * "INIT Signal", "Start-up IPI"), whatever their spacing.
 *
 * Why not let the guest's INIT reach the CPU: Bochs 2.7 (cpu/event.cc,
 * handleAsyncEvent) never clears a pending INIT when it turns it into an
 * INIT VM exit (fixed upstream after 2.7, commit 88f881c6d), so after the
 * first one every VM entry to the active state exits again with INIT; and
 * an INIT that arrives in VMX root is dropped (deliver_INIT: masked), not
 * held pending as the SDM says ("INIT signals are blocked").
 */
#ifndef ARCH_X86_VMX_VAPIC_H
#define ARCH_X86_VMX_VAPIC_H

#include "arch/x86/vmx/vcpu.h"

/* The local APIC page's offsets vmxroot looks at (SDM: "Local APIC Register Address Map"). */
#define VAPIC_EOI 0xB0
#define VAPIC_ICR_LOW 0x300
#define VAPIC_ICR_HIGH 0x310

/* Counts for the status and the tests. */
struct vapic_counts {
    uint64_t writes;        /* APIC-page write exits */
    uint64_t loads;         /* APIC-page load exits (once the page left the EPT: vapic_x2apic.h) */
    uint64_t eoi_writes;    /* of them, EOI */
    uint64_t icr_writes;    /* ICR low writes */
    uint64_t inits, sipis;  /* emulated (sent by the guest to one of its vCPUs) */
    uint64_t sipis_ignored; /* the SDM's: a SIPI to a vCPU not waiting for one */
    uint64_t write_ticks;   /* TSC ticks spent in vapic_write (exit to resume, without the entry itself) */
    uint64_t guest_nmis_in_root; /* a guest's NMI that came while the CPU was in VMX root: lost */
};

/* The APIC page's physical address (IA32_APIC_BASE of the boot CPU): write-protect it in vm0's space. */
uint64_t vapic_apic_phys(void);
/* A Linux vCPU, before it first runs: INIT and SIPI can reach it; APs start waiting for a SIPI. */
void vapic_register(struct vcpu *vcpu);
/* EPT violation on the APIC page (a write): done on the real APIC, or an INIT/SIPI for a vCPU. */
enum vmexit_action vapic_write(struct vcpu *vcpu, uint64_t gpa);
/* ICR low written (vapic_write.c): true when vmxroot did it as a vCPU state change; false: write it. */
bool vapic_icr_write(struct vcpu *vcpu, uint32_t icr_low, uint32_t icr_high);
/* An NMI exit of a Linux vCPU: true when the NMI was vmxroot's request to it (its action in *action). */
bool vapic_nmi_exit(struct vcpu *vcpu, enum vmexit_action *action);
/* A Linux AP before its first entry, or after an INIT: halts in VMX root until its SIPI, then is set up to start. */
enum vmexit_action vapic_wait_for_start(struct vcpu *vcpu);
void vapic_counts(uint32_t cpu_index, struct vapic_counts *out);
/* One line per vCPU with its counts: `guest: vm0 cpuN apic: writes=... eoi=... ...` (vm0's end). */
void vapic_report(void);
void vapic_count_write(struct vcpu *vcpu, uint32_t offset, uint64_t ticks);
void vapic_count_load(struct vcpu *vcpu);

#endif
