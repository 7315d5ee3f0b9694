/*
 * The kernel command line from GRUB ("console=com1 loglevel=info ..."),
 * parsed once into struct boot_options. Only core/ sees that struct: main
 * fills each subsystem's own options from it (struct smp_options, ...). Every option is documented in
 * README.md. An unknown or malformed option is named in a warning and the
 * default is kept; parsing never fails as a whole.
 */
#ifndef CORE_CMDLINE_H
#define CORE_CMDLINE_H

#include "core/lib/compiler.h"
#include "core/lib/log.h"
#include "arch/x86/smp/smp_boot.h"
#include "mm/boot_info.h"

enum exit_mode { EXIT_NEVER = 0, EXIT_ON_READY = 1, EXIT_ON_GUEST_EXIT = 2 };
/* guest=: what runs after the ready line; auto: the Linux kernel of GRUB's first module2, else the test guest. */
enum guest_kind { GUEST_TEST = 0, GUEST_NONE = 1, GUEST_LINUX = 2, GUEST_AUTO = 3 };
enum status_dump { STATUS_DUMP_OFF = 0, STATUS_DUMP_HEX = 1 };
/* selftest=vmcs: after ready-to-be, drive the VMCS pool across CPUs and check its counters;
 * selftest=clocks: measure the TSC against every clock there is, one line each;
 * selftest=display: hand the screen over before the ready line, as a guest taking the display would;
 * selftest=vmentry: the software VM-entry check against the processor's VM entry (vmentry_cases, vmentry_seed). */
enum selftest {
    SELFTEST_NONE = 0,
    SELFTEST_VMCS = 1,
    SELFTEST_CLOCKS = 2,
    SELFTEST_DISPLAY = 3,
    SELFTEST_VMENTRY = 4
};

/* inject=<case>: deliberate faults for tests (docs in README.md). */
enum inject_case {
    INJECT_NONE = 0,
    INJECT_VMPTRLD_VMXON,      /* VMPTRLD of the VMXON region: error 10 */
    INJECT_WRONG_REVISION,     /* VMPTRLD of a VMCS with a wrong revision id: error 11 */
    INJECT_UNALIGNED_VMCS,     /* VMPTRLD of an address not 4 KiB aligned: error 9 */
    INJECT_BEYOND_PHYS_WIDTH,  /* VMPTRLD above the physical-address width: error 9 */
    INJECT_VMCLEAR_VMXON,      /* VMCLEAR of the VMXON region: error 3 */
    INJECT_POOL_EXHAUSTION,    /* acquire past the pool's end: refused, E_NOMEM */
    INJECT_FEATURE_LOCKED_OFF, /* one CPU sees IA32_FEATURE_CONTROL locked, VMX off */
    INJECT_AP_NO_ANSWER,       /* one AP is never sent its SIPI */
    INJECT_AP_STALL,           /* one AP stops before online */
    INJECT_STACK_OVERFLOW,     /* recurse past the stack's guard page: #DF */
    INJECT_WRITE_TEXT,         /* write to kernel text: #PF */
    INJECT_AP_PANIC,           /* an AP panics while the others are in VMX root */
    INJECT_EXEC_DATA,          /* jump into a data page: #PF (NX) */
    INJECT_STACK_SMASH,        /* overwrite a stack canary: the stack protector panics */
    INJECT_NO_PIT,             /* the PIT looks absent, as on machines that gate it off */
    INJECT_GUEST_TRIPLE_FAULT, /* the test guest on inject_cpu triple-faults on purpose */
    INJECT_GUEST_SPIN,         /* the test guest on inject_cpu loops without exits: the watchdog stops it */
    /* One broken VMCS field on inject_cpu's guest (arch/x86/vmx/vmentry_inject.c): */
    INJECT_VMENTRY_CONTROL_PIN,  /* a pin-based bit the CPU requires cleared: error 7 */
    INJECT_VMENTRY_CONTROL_CR3,  /* CR3-target count 5: error 7 */
    INJECT_VMENTRY_HOST_CR4,     /* host CR4.VMXE clear: error 8 */
    INJECT_VMENTRY_HOST_RIP,     /* non-canonical host RIP: error 8 */
    INJECT_VMENTRY_GUEST_CR0,    /* guest CR0.PG without PE: exit 33 */
    INJECT_VMENTRY_GUEST_RFLAGS, /* guest RFLAGS bit 1 clear: exit 33 */
    INJECT_VMENTRY_GUEST_LINK,   /* VMCS link pointer not all ones: exit 33 */
    INJECT_VMENTRY_GUEST_RIP,    /* non-canonical RIP of a 64-bit guest: Bochs does not check it */
    INJECT_COUNT
};

#define CMDLINE_MAX_BYTES BOOT_INFO_CMDLINE_BYTES /* all the boot information holds */
#define CONSOLE_PORTS_MAX 4

/* console=com1,fb: the serial ports (com1..com4 or 0xNNN) and the screen (fb), in the order given. */
struct console_choice {
    bool every;  /* no console= given: every UART of com1..com4 that answers, and the screen if any */
    bool screen; /* fb: the framebuffer or EGA text screen GRUB set up */
    uint8_t port_count;
    uint16_t ports[CONSOLE_PORTS_MAX];
};

struct boot_options {
    struct console_choice console; /* console=<list>; every console that exists by default */
    enum log_level log_level;      /* loglevel=error|warn|info|debug; info default */
    enum exit_mode exit;           /* exit=never|on-ready|on-guest-exit */
    enum smp_mode smp;             /* smp=parallel|serial|off */
    uint32_t max_cpus;             /* maxcpus=N (1..4096); 0 = no limit */
    bool init_wait;                /* init_wait=on|off: the classic 10 ms INIT wait; off default */
    uint32_t sipi_timeout_ms;      /* sipi_timeout_ms=N (1..10000); 100 default */
    uint32_t vmcs_per_cpu;         /* vmcs_per_cpu=N (0..64); 4 default */
    enum inject_case inject;       /* inject=<case>; none default */
    uint32_t inject_cpu;           /* inject_cpu=N: the CPU an injected per-CPU fault hits; 1 default */
    enum status_dump status_dump;  /* status=dump prints the status page as hex at ready */
    bool vmx;                      /* vmx=on|off; on default */
    enum selftest selftest;        /* selftest=none|vmcs|clocks|display|vmentry */
    bool x2apic;                   /* x2apic=on: x2APIC mode where CPUID has it, even for small APIC ids */
    enum guest_kind guest;         /* guest=auto|test|none|linux */
    uint32_t guest_cpus;           /* guest_cpus=N (1..4096): at most N CPUs offered to the guest; 0 = all */
    uint32_t guest_mem_mb;         /* guest_mem=N (MiB, 16..1048576): the guest's RAM limit; 0 = all */
    bool cpuid_hypervisor;  /* cpuid_hypervisor=on|off: CPUID.1:ECX[31] shown to the guest; on default */
    bool vmentry_check;     /* vmentry_check=on|off: the software VM-entry check; on default */
    uint32_t vmentry_cases; /* vmentry_cases=N: selftest=vmentry's case count; 200 default */
    uint32_t vmentry_seed;  /* vmentry_seed=S: its PRNG seed; 1 default */
};

/* Fills *opts with the defaults, then applies each option in cmdline. */
void cmdline_parse(const char *cmdline, struct boot_options *opts);
void cmdline_defaults(struct boot_options *opts);
const char *inject_case_name(enum inject_case c);

#endif
