#include "arch/x86/boot/idt.h"
#include "arch/x86/insn.h"
#include "arch/x86/cr.h"
#include "arch/x86/cpu_index.h"
#include "arch/x86/gdt.h"
#include "core/lib/panic.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} PACKED;
_Static_assert(sizeof(struct idt_gate) == 16, "SDM: 64-bit IDT gate descriptor");

#define GATE_INTERRUPT_PRESENT 0x8E /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t interrupt_stub_table[256];

static struct idt_gate idt[256] ALIGNED(16);
static interrupt_handler handlers[256];
static bool (*nmi_hook)(struct interrupt_frame *frame);
static void (*exception_note)(const struct interrupt_frame *frame, uint64_t cr2);

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack-segment fault",
    "#GP general protection",
    "#PF page fault",
    "reserved (15)",
    "#MF x87 floating-point",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating-point",
    "#VE virtualization",
    "#CP control protection",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved (31)",
};

const char *exception_name(uint64_t vector)
{
    return vector < 32 ? exception_names[vector] : "external interrupt";
}

static void set_gate(unsigned vector, uint64_t handler_virt, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler_virt,
        .selector = GDT_KERNEL_CODE,
        .ist = ist,
        .type_attributes = GATE_INTERRUPT_PRESENT,
        .offset_middle = (uint16_t)(handler_virt >> 16),
        .offset_high = (uint32_t)(handler_virt >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, interrupt_stub_table[v], 0);
}

void idt_enable_ist(void)
{
    /* These three must run on a known-good stack even when the current one is gone. */
    idt[VECTOR_DOUBLE_FAULT].ist = IST_DOUBLE_FAULT;
    idt[VECTOR_NMI].ist = IST_NMI;
    idt[VECTOR_MACHINE_CHECK].ist = IST_MACHINE_CHECK;
}

void idt_load(void)
{
    struct descriptor_pointer pointer = { sizeof idt - 1, (uint64_t)idt };
    cpu_lidt(&pointer);
}

void idt_set_handler(uint8_t vector, interrupt_handler handler) { handlers[vector] = handler; }

void idt_set_nmi_hook(bool (*hook)(struct interrupt_frame *frame)) { nmi_hook = hook; }

void idt_set_exception_note(void (*note)(const struct interrupt_frame *frame, uint64_t cr2))
{
    exception_note = note;
}

static NORETURN void exception_panic(struct interrupt_frame *f)
{
    panic_frame_begin();
    panic_print("exception %s (vector %lu), error code 0x%lx", exception_name(f->vector), f->vector,
                f->error_code);
    panic_print("rip=0x%016lx cs=0x%lx rflags=0x%lx rsp=0x%016lx ss=0x%lx", f->rip, f->cs, f->rflags, f->rsp,
                f->ss);
    uint64_t cr2 = read_cr2();
    if (exception_note)
        exception_note(f, cr2);
    if (f->vector == 14)
        panic_print("cr2=0x%016lx (%s, %s, %s)", cr2, f->error_code & 1 ? "protection" : "not present",
                    f->error_code & 2 ? "write" : "read", f->error_code & 16 ? "instruction fetch" : "data");
    panic_print("rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx", f->rax, f->rbx, f->rcx, f->rdx);
    panic_print("rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx r8 =0x%016lx", f->rsi, f->rdi, f->rbp, f->r8);
    panic_print("r9 =0x%016lx r10=0x%016lx r11=0x%016lx r12=0x%016lx", f->r9, f->r10, f->r11, f->r12);
    panic_print("r13=0x%016lx r14=0x%016lx r15=0x%016lx cr3=0x%016lx", f->r13, f->r14, f->r15, read_cr3());
    panic_end("unhandled %s on cpu%u at rip 0x%lx", exception_name(f->vector), this_cpu_index(), f->rip);
}

void interrupt_dispatch(struct interrupt_frame *frame)
{
    if (frame->vector == VECTOR_NMI && nmi_hook && nmi_hook(frame))
        return;
    if (frame->vector < VECTOR_FIRST_EXTERNAL)
        exception_panic(frame);
    interrupt_handler handler = handlers[frame->vector];
    if (handler)
        handler(frame);
}
