/*
 * What the guest layer is told by the command line: its own options, filled
 * by core/main.c from struct boot_options (the guest layer never sees that
 * struct), and its fault-injection cases as its own enum (core/main.c maps
 * inject=<case> to one of these; the names printed are the same).
 */
#ifndef ARCH_X86_VMX_GUEST_OPTIONS_H
#define ARCH_X86_VMX_GUEST_OPTIONS_H

#include "core/lib/compiler.h"

/*
 * guest=: what runs after the ready line; auto: the kernel of GRUB's first
 * module2 (multiboot1 when it has that header, else Linux), else the test guest;
 * attack: the hostile guest on every CPU.
 */
enum guest_kind {
    GUEST_TEST = 0,
    GUEST_NONE = 1,
    GUEST_LINUX = 2,
    GUEST_AUTO = 3,
    GUEST_MULTIBOOT1 = 4,
    GUEST_ATTACK = 5
};

/* The kinds that run as vm0, the one pass-through machine over every CPU (arch/x86/vmx/linux_guest.h). */
static inline bool guest_kind_is_vm0(enum guest_kind kind)
{
    return kind == GUEST_LINUX || kind == GUEST_MULTIBOOT1;
}

/* The inject= cases the guest layer carries out (on the vCPU of inject_cpu only). */
enum guest_fault {
    GUEST_FAULT_NONE = 0,
    GUEST_FAULT_TRIPLE_FAULT, /* the test guest triple-faults on purpose */
    GUEST_FAULT_SPIN,         /* the test guest loops without exits: the watchdog stops it */
    /* One broken VMCS field in the guest's image (vmentry_inject.c): */
    GUEST_FAULT_VMENTRY_CONTROL_PIN,
    GUEST_FAULT_VMENTRY_CONTROL_CR3,
    GUEST_FAULT_VMENTRY_HOST_CR4,
    GUEST_FAULT_VMENTRY_HOST_RIP,
    GUEST_FAULT_VMENTRY_GUEST_CR0,
    GUEST_FAULT_VMENTRY_GUEST_RFLAGS,
    GUEST_FAULT_VMENTRY_GUEST_LINK,
    GUEST_FAULT_VMENTRY_GUEST_RIP,
    GUEST_FAULT_AP_PANIC, /* inject=ap-panic with a Linux guest: vmxroot panics on fault_cpu once Linux runs there */
};

struct guest_options {
    enum guest_kind guest;   /* guest=auto|test|none|linux|multiboot1 */
    enum guest_fault fault;  /* from inject=<case>; GUEST_FAULT_NONE for the others */
    const char *fault_name;  /* inject=<case>'s name, for the result lines */
    uint32_t fault_cpu;      /* inject_cpu=N */
    bool exit_on_guest_exit; /* exit=on-guest-exit: leave the emulator when the guest ends */
    bool x2apic;             /* x2apic=on */
    uint32_t guest_cpus;     /* at most this many CPUs offered to the Linux guest; 0 = all */
    uint32_t guest_mem_mb;   /* the Linux guest's RAM limit; 0 = all */
    bool cpuid_hypervisor;   /* CPUID.1:ECX[31] shown to the guest */
    bool vmentry_check;      /* the software VM-entry check before entries */
    uint32_t vmentry_cases;  /* selftest=vmentry's case count */
    uint32_t vmentry_seed;   /* its PRNG seed */
};

#endif
