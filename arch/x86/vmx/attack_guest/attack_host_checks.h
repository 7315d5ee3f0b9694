/*
 * What vmxroot looks at itself to judge a hostile-guest case, rather than
 * taking the guest's word: the host's MSR values before and after, bus 0's
 * PCI BARs before and after, the status area's mapping in the guest's EPT,
 * the VMCS current on this CPU, and whether the other CPUs' guests go on.
 */
#ifndef ARCH_X86_VMX_ATTACK_GUEST_ATTACK_HOST_CHECKS_H
#define ARCH_X86_VMX_ATTACK_GUEST_ATTACK_HOST_CHECKS_H

#include "arch/x86/vmx/attack_guest/attack_state.h"

/* The host MSRs the MSR case writes (those this CPU has), read now into a->msr_before. */
void attack_msrs_snapshot(struct attack_vcpu *a);
/* How many of them still hold what they held; *first_changed names the first that does not (0: none). */
uint32_t attack_msrs_unchanged(const struct attack_vcpu *a, uint32_t *first_changed);

/* Bus 0's BARs (device 0-31, function 0), read through the machine's 0xCF8/0xCFC. */
void attack_bars_snapshot(struct attack_vcpu *a);
/* BARs that differ now (0: none); *devices and *bars: what was compared. */
uint32_t attack_bars_changed(const struct attack_vcpu *a, uint32_t *devices, uint32_t *bars);

/* True when every page of the status area is mapped read-only (no write, no execute) in its space. */
bool attack_status_read_only(const struct attack_vcpu *a);
/* True when this CPU's current VMCS is still the vCPU's and the pool holds it as launched. */
bool attack_vmcs_unchanged(const struct attack_vcpu *a);

/*
 * The other CPUs' attack vCPUs (those already being built: a CPU that has not begun yet is not counted;
 * attack_others_not_begun says how many): how many there are, and how many still run or finished every
 * case with none escaped.
 */
uint32_t attack_others_going_on(const struct attack_vcpu *a, uint32_t *others);
uint32_t attack_others_not_begun(const struct attack_vcpu *a);
/* Of those, how many handled exits since attack_others_mark (or finished meanwhile). */
void attack_others_mark(struct attack_vcpu *a);
uint32_t attack_others_progressed(const struct attack_vcpu *a);

#endif
