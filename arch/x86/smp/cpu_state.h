/*
 * What happened to each CPU, as the boot CPU, the log and the status page
 * see it. Values are part of the status page ABI (docs/status-page.md):
 * append new ones, never renumber.
 */
#ifndef ARCH_X86_SMP_CPU_STATE_H
#define ARCH_X86_SMP_CPU_STATE_H

/* Bring-up state of one CPU. */
enum cpu_state {
    CPU_STATE_ABSENT = 0,    /* slot unused */
    CPU_STATE_FOUND = 1,     /* listed in the MADT, not started (yet) */
    CPU_STATE_STARTING = 2,  /* INIT-SIPI-SIPI sent, no answer yet */
    CPU_STATE_ONLINE = 3,    /* running our code, idle and ready */
    CPU_STATE_NO_ANSWER = 4, /* never answered the SIPI */
    CPU_STATE_STALLED = 5,   /* answered, then stopped in some stage */
    CPU_STATE_EXCLUDED = 6,  /* left out: maxcpus=, smp=off, disabled in MADT */
    CPU_STATE_HALTED = 7,    /* stopped on shutdown or panic */
};

/* Why a CPU is not (fully) in use. One per CPU: the first failure wins. */
enum cpu_reason {
    REASON_NONE = 0,
    REASON_NO_SIPI_ANSWER = 1,     /* no answer to SIPI within the timeout */
    REASON_STALLED = 2,            /* answered, did not reach online */
    REASON_MAXCPUS = 3,            /* beyond maxcpus= */
    REASON_SMP_OFF = 4,            /* smp=off */
    REASON_MADT_DISABLED = 5,      /* neither Enabled nor Online Capable */
    REASON_NO_VMX = 6,             /* CPUID.1:ECX.VMX clear */
    REASON_VMX_LOCKED_OFF = 7,     /* IA32_FEATURE_CONTROL locked without VMX */
    REASON_VMXE_ALREADY_SET = 8,   /* CR4.VMXE set: another hypervisor owns the CPU */
    REASON_FIXED_BITS = 9,         /* CR0/CR4 cannot meet the VMX fixed bits */
    REASON_VMX_BASIC = 10,         /* IA32_VMX_BASIC unusable (type, size, width) */
    REASON_CAPS_MISMATCH = 11,     /* VMX capabilities differ from the boot CPU's */
    REASON_VMXON_FAILED = 12,      /* VMXON itself failed */
    REASON_NO_MEMORY = 13,         /* no frame for its stack, VMXON region or VMCS */
    REASON_PANIC = 14,             /* this CPU panicked */
    REASON_APIC_ID_TOO_LARGE = 15, /* x2APIC id we cannot address in xAPIC mode */
    REASON_COUNT
};

const char *cpu_state_name(enum cpu_state state);
const char *cpu_reason_name(enum cpu_reason reason);

#endif
