/*
 * vm0's local APIC page per vCPU, as its IA32_APIC_BASE view and the
 * processor's APIC mode make it (xapic_on_x2apic.h, enum xapic_page_state):
 * done on the real xAPIC, nothing there (a disabled or x2APIC view), or an
 * xAPIC emulated over the processor's x2APIC. While every vCPU's page is
 * the real xAPIC, the page is read-only in vm0's EPT and only stores exit
 * (vapic_write.c). Once a vCPU's view leaves x2APIC while its processor
 * stays in it, the page is taken out of vm0's EPT for good, so loads exit
 * too. vm0's EPT is one space for all its vCPUs (linux_guest.c), not one
 * per vCPU: from then on every vCPU's loads exit, and a vCPU whose
 * processor is still in xAPIC mode gets each load done on its real APIC
 * (slower, the same value). Only a multiboot1 guest gets there (a Linux
 * guest cannot turn x2APIC on: vmexit_msr.c). Not followed: a view
 * disabled while the processor is in xAPIC mode and the page is still in
 * the EPT reads the real registers (its stores are dropped); kvm-unit-tests'
 * start-up disables and enables again with no load in between.
 */
#ifndef ARCH_X86_VMX_VAPIC_X2APIC_H
#define ARCH_X86_VMX_VAPIC_X2APIC_H

#include "arch/x86/vmx/vcpu.h"

/* The vCPU's IA32_APIC_BASE view was written (multiboot1_apic.c); processor_x2apic: its CPU's APIC mode. */
void vapic_x2apic_view_changed(struct vcpu *vcpu, uint64_t view_apic_base, bool processor_x2apic);
/* An EPT violation on vm0's APIC page that is no instruction fetch: the load or store done as its state says. */
enum vmexit_action vapic_access(struct vcpu *vcpu, uint64_t gpa);

#endif
