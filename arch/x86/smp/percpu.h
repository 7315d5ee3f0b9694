/*
 * Per-CPU state: one page-aligned structure per CPU, reached through the GS
 * base (gs:0 holds the structure's own address). The boot CPU is index 0;
 * APs take the index of their MADT entry. The memory around each CPU's
 * stacks is laid out by arch/x86/smp/percpu.c:
 *
 *   [guard][kernel stack 16 KiB][guard][#DF IST][NMI IST][#MC IST]
 *
 * Guards are unmapped, so an overflow faults instead of corrupting memory.
 */
#ifndef ARCH_X86_SMP_PERCPU_H
#define ARCH_X86_SMP_PERCPU_H

#include "core/lib/compiler.h"
#include "arch/x86/cpu_index.h"
#include "arch/x86/gdt.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/smp/ap_handshake.h"
#include "arch/x86/smp/cpu_state.h"
#include "core/lib/spinlock.h"

#define MAX_CPUS 256
#define KERNEL_STACK_BYTES KiB(16)
#define IST_STACK_BYTES KiB(4)
#define GUARD_BYTES KiB(4)
/* The CPU's own account of how its work after bring-up ended (percpu_note). */
#define CPU_NOTE_BYTES 192
/* The run of frames holding one CPU's stacks and guards, as drawn above. */
#define CPU_STACK_AREA_BYTES (2 * GUARD_BYTES + KERNEL_STACK_BYTES + 3 * IST_STACK_BYTES)

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t ist[8]; /* ist[0] is the reserved slot: IST numbers start at 1 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} PACKED;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout (SDM: 64-bit TSS)");

struct percpu {
    struct percpu *self; /* gs:0; read by this_cpu() */
    uint32_t index;      /* gs:8; read by this_cpu_index() */
    uint32_t apic_id;
    enum cpu_state state;
    enum cpu_reason reason;
    volatile uint32_t handshake; /* enum ap_handshake */
    volatile uint32_t stage;     /* enum ap_stage */
    uint64_t stack_area_phys;    /* first guard of the stack area */
    uint32_t memory_bytes;       /* every frame this CPU holds: structure, stacks, guards, VMXON region */
    uint64_t kernel_stack_top;
    uint64_t online_tsc;        /* TSC when it reached online */
    uint64_t vmxon_region_phys; /* 0 until VMXON region allocated */
    uint32_t vmx_revision_id;
    bool in_vmx_root;
    bool vmx_capable;                 /* CPUID.1:ECX.VMX as this CPU saw it (kept after it halts) */
    bool stall_injected;              /* inject=ap-stall picked this CPU */
    volatile uint32_t ap_work_done;   /* AP: set after its post-online work (VMX) */
    void (*volatile idle_work)(void); /* smp_post_idle_work: run once by ap_idle, then cleared */
    /* Why the CPU is not in VMX root, in words, for the boot's summary; "" when it is (percpu_note). */
    char note[CPU_NOTE_BYTES];
    /* Cross-CPU call mailbox (arch/x86/smp/ipi.c): the caller holds call_lock. */
    struct spinlock call_lock;
    void (*volatile call_fn)(void *arg);
    void *volatile call_arg;
    volatile uint32_t call_done;
    uint64_t gdt[GDT_ENTRY_COUNT] ALIGNED(16);
    struct tss64 tss ALIGNED(16);
} ALIGNED(4096);

_Static_assert(__builtin_offsetof(struct percpu, self) == 0, "this_cpu() reads gs:0");
_Static_assert(__builtin_offsetof(struct percpu, index) == CPU_INDEX_GS_OFFSET,
               "this_cpu_index() reads gs:8");
_Static_assert(sizeof(struct percpu) == 4096, "one page per CPU (memory-per-CPU budget)");

extern struct percpu *cpu_table[MAX_CPUS];
extern uint32_t cpu_count_found; /* entries in cpu_table */

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

/*
 * Allocates and fills the structure of CPU index, and its stacks when it is
 * to be started (a CPU left out by maxcpus= only gets the structure, so it
 * still has a record). 0 or E_NOMEM.
 */
MUST_CHECK int percpu_create(uint32_t index, uint32_t apic_id, bool startable);
/* Loads this CPU's GDT, TSS, IDT and GS base. */
void percpu_load(struct percpu *cpu);
/* The exception note (idt_set_exception_note): a #PF or #DF in a stack guard page is named as an overflow. */
void percpu_exception_note(const struct interrupt_frame *frame, uint64_t cr2);
/*
 * Keeps one line about this CPU's outcome in cpu->note for a summary the boot
 * CPU prints once for all CPUs (arch/x86/vmx/vmx_summary.c), and prints it at
 * once only with loglevel=debug: every AP works at the same time, and a
 * console line each would make them queue on the console lock.
 */
void percpu_note(struct percpu *cpu, const char *fmt, ...) PRINTF_LIKE(2, 3);

#endif
