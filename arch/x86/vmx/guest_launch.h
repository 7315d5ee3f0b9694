/*
 * Guest launch, the last step of the boot (core/main.c, after the ready
 * line): the built-in test guest on every CPU in VMX root, each in its own
 * EPT space, one result line per vCPU and, when all have stopped, the
 * summary `vmxroot: guests passed=<P>/<L> exits=<total>`.
 */
#ifndef ARCH_X86_VMX_GUEST_LAUNCH_H
#define ARCH_X86_VMX_GUEST_LAUNCH_H

#include "core/cmdline.h"
#include "mm/multiboot2.h"

/*
 * On the boot CPU: computes the controls (or says why no guest can run),
 * builds vm0 when the guest is Linux (guest=auto with a module2, or
 * guest=linux; a bad module is named and nothing launches),
 * starts every AP's guest, runs its own, waits for all (bounded) and prints
 * the summary. Returns the number of vCPUs that passed.
 */
uint32_t guest_launch_all(const struct boot_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                          uint32_t cpus_in_vmx_root);

#endif
