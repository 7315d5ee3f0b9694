/*
 * inject=<case>: deliberate faults for tests, and where each one enters.
 *  - Hook points: the subsystems name a hook in their options struct
 *    (struct smp_options, struct vmx_cpu_options); fault_inject_hook() gives
 *    main the hook for one case, or NULL when inject= names another case.
 *  - VMX instruction cases (arch/x86/vmx/vmx_inject.c) run by
 *    fault_inject_vmx_run() once the VMCS pool is set up.
 *  - The faults that end the boot on purpose, to show that they end cleanly:
 *    a stack overflow into the guard page (#DF on its IST stack), a write to
 *    kernel text and a jump into data (#PF: W^X and NX), an overwritten stack
 *    canary (the stack protector), and a panic on an AP while the other CPUs
 *    are in VMX root (every CPU leaves VMX operation): fault_inject_run().
 */
#ifndef CORE_FAULT_INJECT_H
#define CORE_FAULT_INJECT_H

#include "core/cmdline.h"

/* A subsystem's hook point: true when the injected fault is to hit this CPU. */
typedef bool (*fault_hook_fn)(uint32_t cpu_index);

/*
 * The hook for case c: one that picks inject_cpu= when opts->inject is c, NULL
 * otherwise (a normal boot calls no hook at all).
 */
fault_hook_fn fault_inject_hook(const struct boot_options *opts, enum inject_case c);
/* Runs opts->inject on this CPU if it is a VMX instruction case; returns for every other case. */
void fault_inject_vmx_run(const struct boot_options *opts);
/* Runs a fatal case (never returns then); returns for every other case. */
void fault_inject_run(const struct boot_options *opts);

#endif
