/*
 * The hostile guest's state per vCPU, shared by its files: the loader and
 * exit-path devices (attack_guest.c), the judge (attack_judge.c) and the
 * run loop (attack_run.c). One per CPU, in a frame of vmxroot's (listed
 * on the status page as per-CPU memory, so the guest finds it and tries it).
 */
#ifndef ARCH_X86_VMX_ATTACK_GUEST_ATTACK_STATE_H
#define ARCH_X86_VMX_ATTACK_GUEST_ATTACK_STATE_H

#include "arch/x86/vmx/attack_guest/attack_plan.h"
#include "arch/x86/vmx/vmexit_x2apic.h"

#define ATTACK_NO_CASE 0xffffffffu
#define ATTACK_MSRS_CHECKED 32
#define ATTACK_PCI_DEVICES 32
#define ATTACK_PCI_BARS 6

/* How vmxroot stopped the vCPU on an EPT violation it could not hand back as #GP. */
enum attack_stop_kind { ATTACK_STOP_NONE = 0, ATTACK_STOP_PAGING_STRUCTURE, ATTACK_STOP_EVENT_DELIVERY };

struct attack_vcpu {
    struct vcpu *vcpu;
    uint32_t rank, ranks;
    uint32_t case_mask; /* the cases not judged yet */
    uint32_t current;   /* case id | subkind << 8 of the case begun; ATTACK_NO_CASE */
    uint32_t runs;      /* how often the guest was started */
    /* what vmxroot saw during the current case */
    uint32_t ept_read, ept_write, ept_fetch, ept_status_write, pattern_found;
    uint64_t exits_at_begin, tsc_at_begin;
    enum attack_stop_kind stop_kind;
    uint64_t stop_gpa;
    uint32_t pci_address; /* the guest's 0xCF8 */
    uint32_t pci_writes_dropped;
    struct vx2apic apic;
    uint32_t apic_refused_at_begin;
    uint64_t other_exits_at_begin[8]; /* the flood: the first other CPUs' exits when it began */
    /* the host's values when the MSR case began */
    uint32_t msr_count;
    uint32_t msr_index[ATTACK_MSRS_CHECKED];
    uint64_t msr_before[ATTACK_MSRS_CHECKED];
    uint32_t bar_before[ATTACK_PCI_DEVICES][ATTACK_PCI_BARS];
    /* results */
    uint32_t judged, contained, escaped, skipped;
    volatile uint32_t finished; /* every case judged (release) */
};

/* The attack states of every CPU (attack_run.c), for the checks that look at the other CPUs. */
void attack_state_register(struct attack_vcpu *a); /* as soon as its vCPU is being built */
struct attack_vcpu *attack_state_of_cpu(uint32_t cpu);

/* The judge (attack_judge.c), called from the exit path and the run loop. */
void attack_judge_begin(struct attack_vcpu *a, uint32_t case_word);
void attack_judge_end(struct attack_vcpu *a);
/* The vCPU stopped inside the case begun (a destructive case's end, or a failure). */
void attack_judge_stopped(struct attack_vcpu *a);
/* Cases that can no longer run (the vCPU stopped outside any case): each reported as not contained. */
void attack_judge_not_run(struct attack_vcpu *a, const char *why);
/* An EPT violation the guest caused: counted, and a write checked for the guest's pattern. */
void attack_judge_ept_violation(struct attack_vcpu *a, uint64_t gpa, bool read, bool write, bool fetch);
/* Totals over every CPU, for the summary. */
void attack_judge_totals(uint32_t *judged, uint32_t *contained, uint32_t *skipped);

#endif
