/*
 * The built-in test guest as vmxroot sees it: its image (test_guest.nasm,
 * assembled flat and linked into the kernel by test_guest_blob.asm), where
 * each entry mode starts it, and its two ports (test_guest_abi.h).
 */
#ifndef ARCH_X86_VMX_TEST_GUEST_TEST_GUEST_H
#define ARCH_X86_VMX_TEST_GUEST_TEST_GUEST_H

#include "arch/x86/vmx/test_guest/test_guest_abi.h"
#include "arch/x86/vmx/vcpu.h"

/* The mode a CPU's test guest starts in: by CPU index, so that four CPUs see all three; 64-bit without unrestricted guest. */
enum vmcs_entry_mode test_guest_mode_for_cpu(uint32_t cpu_index, bool unrestricted_guest);
/* Copies the image into the vCPU's RAM, writes its flags, and for 64-bit entry the page tables. */
void test_guest_load(struct vcpu *vcpu);
/* The entry state of vcpu->mode. */
void test_guest_entry(struct vcpu *vcpu, struct vmcs_guest_entry *entry);
/* Its devices on the exit path: the report and scratch ports. */
extern const struct vcpu_kind_ops test_guest_kind_ops;

#endif
