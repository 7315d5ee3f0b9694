/*
 * Which hostile-guest case runs where, and the names the result lines use.
 * The non-destructive cases run on the first CPU in VMX root (rank 0); the
 * exit flood and the cases that stop their vCPU (ATTACK_FIRST_DESTRUCTIVE
 * and after) go round-robin to the other CPUs, so they run while rank 0's
 * cases run; with one CPU everything runs there. A CPU runs its cases in
 * order and, after each stop, again with the cases left (attack_run.c).
 * Pure code, host-tested.
 */
#ifndef ARCH_X86_VMX_ATTACK_GUEST_ATTACK_PLAN_H
#define ARCH_X86_VMX_ATTACK_GUEST_ATTACK_PLAN_H

#include "arch/x86/vmx/attack_guest/attack_guest_abi.h"

enum attack_result { ATTACK_CONTAINED = 0, ATTACK_ESCAPED = 1, ATTACK_SKIP = 2 };

/* The cases of the CPU of this rank among ranks CPUs in VMX root: bit per enum attack_case. */
uint32_t attack_plan_case_mask(uint32_t rank, uint32_t ranks);
/* "status-page", "frames", "vmx-instructions", ... ; "?" for none */
const char *attack_case_name(uint32_t case_id);
/* The status page's memory kinds (enum status_memory_kind) as the frames lines name them: "text", "ept" ... */
const char *attack_memory_kind_name(uint32_t kind);
/* "CONTAINED", "ESCAPED", "SKIP" */
const char *attack_result_name(enum attack_result result);

#endif
