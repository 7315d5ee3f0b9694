/*
 * Creating and loading per-CPU state: the structure, the stacks with their
 * guard pages, and the GDT and TSS each CPU needs of its own (the TSS holds
 * the CPU's IST stack pointers, so it cannot be shared).
 */
#include "arch/x86/smp/percpu.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/msr.h"
#include "arch/x86/cr.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/insn.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "core/lib/string.h"
#include "mm/frames.h"
#include "mm/paging.h"

struct percpu *cpu_table[MAX_CPUS];
uint32_t cpu_count_found;
bool percpu_ready;

static void gdt_set_tss(uint64_t gdt[GDT_ENTRY_COUNT], const struct tss64 *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss, limit = sizeof *tss - 1;
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (GDT_TSS_TYPE_AVAILABLE << 40) |
                       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;
}

int percpu_create(uint32_t index, uint32_t apic_id, bool startable)
{
    uint64_t struct_phys, stacks_phys;
    if (index >= MAX_CPUS)
        return E_RANGE;
    if (frames_alloc(1, 0, &struct_phys) < 0)
        return E_NOMEM;
    struct percpu *cpu = (struct percpu *)(uintptr_t)struct_phys;
    cpu->self = cpu;
    cpu->index = index;
    cpu->apic_id = apic_id;
    cpu->state = CPU_STATE_FOUND;
    cpu->memory_bytes = PAGE_SIZE_BYTES;
    if (!startable) {
        cpu_table[index] = cpu;
        return 0;
    }
    /* An AP zeroes its own stacks in the trampoline before it uses them, all APs at once; the boot CPU's here. */
    if (frames_alloc(CPU_STACK_AREA_BYTES / PAGE_SIZE_BYTES, index ? FRAMES_UNZEROED : 0, &stacks_phys) < 0) {
        frames_free(struct_phys, 1);
        return E_NOMEM;
    }
    cpu->stack_area_phys = stacks_phys;
    cpu->memory_bytes += CPU_STACK_AREA_BYTES;

    /* [guard][kernel stack][guard][#DF][NMI][#MC], lowest address first. */
    uint64_t kernel_stack_bottom = stacks_phys + GUARD_BYTES;
    uint64_t ist_guard = kernel_stack_bottom + KERNEL_STACK_BYTES;
    uint64_t ist_base = ist_guard + GUARD_BYTES;
    cpu->kernel_stack_top = kernel_stack_bottom + KERNEL_STACK_BYTES;
    cpu->tss.ist[IST_DOUBLE_FAULT] = ist_base + 1 * IST_STACK_BYTES;
    cpu->tss.ist[IST_NMI] = ist_base + 2 * IST_STACK_BYTES;
    cpu->tss.ist[IST_MACHINE_CHECK] = ist_base + 3 * IST_STACK_BYTES;
    cpu->tss.iomap_base = sizeof cpu->tss; /* no I/O permission bitmap */
    int err = paging_unmap_page(stacks_phys);
    if (!err)
        err = paging_unmap_page(ist_guard);
    if (err)
        return err;

    cpu->gdt[0] = 0;
    cpu->gdt[GDT_KERNEL_CODE / 8] = GDT_DESCRIPTOR_CODE64;
    cpu->gdt[GDT_KERNEL_DATA / 8] = GDT_DESCRIPTOR_DATA;
    gdt_set_tss(cpu->gdt, &cpu->tss);
    cpu_table[index] = cpu;
    return 0;
}

/*
 * Supervisor protections every CPU turns on: CR0.WP (read-only pages hold
 * for the kernel too; entry.asm and the trampoline set it), and SMEP/SMAP
 * where the CPU has them, so the kernel can neither run nor touch a page a
 * guest or user could map (the kernel maps none today: they guard the future).
 */
static void enable_protections(void)
{
    struct cpuid_regs leaf7 = cpuid(0, 0).eax >= 7 ? cpuid(7, 0) : (struct cpuid_regs){ 0 };
    uint64_t cr4 = read_cr4();
    if (leaf7.ebx & CPUID7_EBX_SMEP)
        cr4 |= CR4_SMEP;
    if (leaf7.ebx & CPUID7_EBX_SMAP)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
    write_cr0(read_cr0() | CR0_WP);
    if (!percpu_ready) /* the boot CPU, once: every AP sets the same bits */
        log_info("protect: CR0.WP on, NX %s, SMEP %s, SMAP %s, stack protector on (per-boot canary)",
                 (rdmsr(MSR_EFER) & EFER_NXE) ? "on" : "absent", (cr4 & CR4_SMEP) ? "on" : "absent",
                 (cr4 & CR4_SMAP) ? "on" : "absent");
}

void percpu_exception_note(const struct interrupt_frame *frame, uint64_t cr2)
{
    struct percpu *cpu = percpu_ready ? this_cpu() : NULL;
    /* A #DF after a #PF keeps the #PF's address in CR2: both name a hit guard page. */
    if ((frame->vector == 14 || frame->vector == VECTOR_DOUBLE_FAULT) && cpu && cpu->stack_area_phys &&
        cr2 >= cpu->stack_area_phys && cr2 < cpu->stack_area_phys + CPU_STACK_AREA_BYTES)
        panic_print("kernel stack overflow on cpu%u: 0x%lx is in a stack guard page", cpu->index, cr2);
}

void percpu_load(struct percpu *cpu)
{
    enable_protections();
    struct descriptor_pointer gdt_pointer = { sizeof cpu->gdt - 1, (uint64_t)(uintptr_t)cpu->gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdt_pointer), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA), "r"((uint16_t)GDT_TSS)
                     : "rax", "memory");
    /* Loading GS zeroed the base: set it after the segment reload. */
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)cpu);
    idt_load();
    percpu_ready = true;
}

void percpu_note(struct percpu *cpu, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(cpu->note, sizeof cpu->note, fmt, args);
    va_end(args);
    log_debug("%s", cpu->note);
}
