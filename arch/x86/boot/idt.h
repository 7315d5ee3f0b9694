/*
 * The interrupt descriptor table (one, shared by every CPU: it is read-only
 * after boot) and the dispatch of every vector. Exceptions end in a decoded
 * panic; other vectors go to handlers registered by the layers that own them
 * (IPIs by arch/x86/smp).
 */
#ifndef ARCH_X86_BOOT_IDT_H
#define ARCH_X86_BOOT_IDT_H

#include "core/lib/compiler.h"

/* What interrupt_stubs.asm pushes, lowest address first. */
struct interrupt_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct interrupt_frame) == 22 * 8, "matches interrupt_stubs.asm push order");

#define VECTOR_DEBUG 1
#define VECTOR_NMI 2
#define VECTOR_BREAKPOINT 3
#define VECTOR_OVERFLOW 4
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18
#define VECTOR_FIRST_EXTERNAL 32

/* Interrupt stack table slots (TSS.IST1..3), named by what runs on them (each CPU's TSS holds the stacks). */
enum ist_slot { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3 };

typedef void (*interrupt_handler)(struct interrupt_frame *frame);

void idt_init(void); /* build the table once, on the boot CPU */
void idt_load(void); /* lidt on this CPU */
/* Once every CPU that loads the IDT has a TSS: #DF, NMI and #MC switch to their IST stacks. */
void idt_enable_ist(void);
void idt_set_handler(uint8_t vector, interrupt_handler handler);
/* NMIs go here first; returns true when the NMI was ours (panic stop, IPI). */
void idt_set_nmi_hook(bool (*hook)(struct interrupt_frame *frame));
/*
 * An exception panic asks this hook (when set) for lines of its own, after the
 * frame's first two: the per-CPU layer names a hit stack guard page.
 */
void idt_set_exception_note(void (*note)(const struct interrupt_frame *frame, uint64_t cr2));
const char *exception_name(uint64_t vector);

void interrupt_dispatch(struct interrupt_frame *frame);
NORETURN void stack_switch_call(uint64_t stack_top, void (*fn)(void));

#endif
