/*
 * The hostile guest (guest=attack) as the guest layer sees it: its memory
 * (a pass-through space with its own 128 KiB at guest-physical 0), its image
 * and entry, its exit-path devices, and the run loop that starts it again
 * after each case that stops it. docs/guests.md has its policies,
 * docs/security.md what its cases prove.
 */
#ifndef ARCH_X86_VMX_ATTACK_GUEST_ATTACK_GUEST_H
#define ARCH_X86_VMX_ATTACK_GUEST_ATTACK_GUEST_H

#include "arch/x86/vmx/attack_guest/attack_guest_abi.h"
#include "arch/x86/vmx/vcpu.h"

/* Its state, RAM, bitmaps and EPT space (vmxroot's ranges and the APIC page left out): 0 or E_* with why. */
int attack_guest_memory(struct vcpu *vcpu, char *why, size_t why_bytes);
/* Copies the image into its RAM, writes its header (the cases left) and its page tables. */
void attack_guest_load(struct vcpu *vcpu);
/* 64-bit mode at its entry, its GDT, CR3 at its page tables. */
void attack_guest_entry(struct vcpu *vcpu, struct vmcs_guest_entry *entry);
/* The report ports, 0xCF8/0xCFC, its EPT violations and its x2APIC. */
extern const struct vcpu_kind_ops attack_guest_kind_ops;

/* Instead of vcpu_run: runs it, judges each case, and starts it again until every case is judged. */
void attack_guest_run(struct vcpu *vcpu);
/* On the boot CPU after every vCPU stopped: `vmxroot: attacks contained=<C>/<N> skipped=<K>`. */
void attack_guest_summary(void);

#endif
