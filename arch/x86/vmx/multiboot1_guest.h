/*
 * A multiboot1 kernel as vm0 (kvm-unit-tests' x86 tests are such kernels):
 * GRUB's first module2 carries the multiboot1 header (its string is the
 * kernel's command line), the next module is passed to it as its one
 * multiboot1 module. It runs in the Linux guest's pass-through machine
 * (linux_guest.h: one guest-physical space, gpa = hpa, vmxroot's memory
 * unmapped, the same I/O and MSR deny-lists) with three differences: its
 * loader (arch/x86/loader/multiboot1.h), its end (a write to the exit port
 * 0xf4, or "Shutdown" to port 0x8900, ends vm0 with the exit code), and
 * IA32_APIC_BASE handled by vmxroot (multiboot1_apic.c). docs/guests.md,
 * the multiboot1 column.
 */
#ifndef ARCH_X86_VMX_MULTIBOOT1_GUEST_H
#define ARCH_X86_VMX_MULTIBOOT1_GUEST_H

#include "arch/x86/vmx/guest_options.h"
#include "arch/x86/vmx/vcpu.h"
#include "mm/boot_info.h"

/* Whether GRUB's first module carries a multiboot1 header: guest=auto then launches it as multiboot1. */
bool multiboot1_vm_detect(const struct boot_info *info);

/*
 * Checks and loads the kernel, its module and its information block (needs
 * no VMX, so a bad image is named on any machine): 0, or an E_* with why
 * naming what is wrong (no header, bad checksum, a segment on vmxroot's
 * memory or outside RAM, no room for the block); nothing is launched then
 * and vmxroot stays up.
 */
int multiboot1_vm_load(const struct guest_options *opts, const struct boot_info *info, char *why,
                       size_t why_bytes);
/* After linux_vm_build: the exit ports and IA32_APIC_BASE reads join vm0's deny-lists. */
void multiboot1_vm_build(void);

/*
 * IA32_APIC_BASE (multiboot1_apic.c): the guest's view per vCPU; a disable
 * is kept from the processor (its local APIC stays enabled: Bochs 2.7
 * drops every write after one that clears the global enable), the x2APIC
 * enable goes to it, and vmxroot's own APIC driver follows the mode.
 */
enum vcpu_msr_outcome multiboot1_apic_base_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *value);

/* Its devices on the exit path: the exit ports, then the Linux guest's (console UART, machine end). */
extern const struct vcpu_kind_ops multiboot1_guest_kind_ops;

#endif
