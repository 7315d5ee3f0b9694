/*
 * The constants the assembly files use, taken from the C definitions so the
 * two cannot drift (the asm-offsets way). Not linked into the kernel: the
 * build compiles this file with -S and turns each "->NAME value" marker into
 * "NAME equ value" in build/gen/asm_defs.inc, which entry.asm and
 * trampoline.asm include (build.mk, rule for asm_defs.inc).
 */
#include "arch/x86/cr.h"
#include "arch/x86/gdt.h"
#include "arch/x86/msr.h"
#include "arch/x86/smp/ap_handshake.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/trampoline.h"
#include "mm/multiboot2.h"
#include "mm/paging.h"

#define DEFINE(name, value) __asm__ volatile("\n.ascii \"->" #name " %c0\"" ::"i"((uint64_t)(value)))
#define OFFSET(name, type, member) DEFINE(name, __builtin_offsetof(type, member))

void asm_defs(void);
void asm_defs(void)
{
    /* Page-table bits (mm/paging.h), control registers (cr.h), EFER (msr.h). */
    DEFINE(PTE_PRESENT, PTE_PRESENT);
    DEFINE(PTE_WRITABLE, PTE_WRITABLE);
    DEFINE(PTE_LARGE, PTE_LARGE);
    DEFINE(CR0_PE, CR0_PE);
    DEFINE(CR0_WP, CR0_WP);
    DEFINE(CR0_PG, CR0_PG);
    DEFINE(CR4_PAE, CR4_PAE);
    DEFINE(MSR_EFER, MSR_EFER);
    DEFINE(EFER_LME, EFER_LME);
    DEFINE(EFER_NXE, EFER_NXE);

    /* The GDT (gdt.h): selectors and descriptors, the same in every GDT. */
    DEFINE(GDT_KERNEL_CODE, GDT_KERNEL_CODE);
    DEFINE(GDT_KERNEL_DATA, GDT_KERNEL_DATA);
    DEFINE(GDT_TRAMPOLINE_CODE32, GDT_TRAMPOLINE_CODE32);
    DEFINE(GDT_DESCRIPTOR_CODE64, GDT_DESCRIPTOR_CODE64);
    DEFINE(GDT_DESCRIPTOR_DATA, GDT_DESCRIPTOR_DATA);
    DEFINE(GDT_DESCRIPTOR_CODE32, GDT_DESCRIPTOR_CODE32);

    /* Multiboot2 boot-information tag types the header requests (mm/multiboot2.h). */
    DEFINE(MB2_TAG_CMDLINE, MB2_TAG_CMDLINE);
    DEFINE(MB2_TAG_MMAP, MB2_TAG_MMAP);
    DEFINE(MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_OLD);
    DEFINE(MB2_TAG_ACPI_NEW, MB2_TAG_ACPI_NEW);
    DEFINE(MB2_TAG_EFI_MMAP, MB2_TAG_EFI_MMAP);
    DEFINE(MB2_TAG_FRAMEBUFFER, MB2_TAG_FRAMEBUFFER);

    /* struct trampoline_params and struct ap_boot_slot (trampoline.h). */
    OFFSET(TP_GDT_LIMIT, struct trampoline_params, gdt_limit);
    OFFSET(TP_PM_ENTRY, struct trampoline_params, protected_mode_entry_phys);
    OFFSET(TP_LM_ENTRY, struct trampoline_params, long_mode_entry_phys);
    OFFSET(TP_CR3, struct trampoline_params, cr3_phys);
    OFFSET(TP_CR4, struct trampoline_params, cr4);
    OFFSET(TP_EFER, struct trampoline_params, efer);
    OFFSET(TP_AP_ENTRY, struct trampoline_params, ap_entry_virt);
    OFFSET(TP_SLOTS, struct trampoline_params, slots_phys);
    OFFSET(TP_SLOT_COUNT, struct trampoline_params, slot_count);
    DEFINE(TP_BYTES, sizeof(struct trampoline_params));
    DEFINE(AP_SLOT_BYTES, sizeof(struct ap_boot_slot));
    OFFSET(AP_SLOT_PERCPU, struct ap_boot_slot, percpu_virt);
    OFFSET(AP_SLOT_STACK, struct ap_boot_slot, stack_top);
    /* The stacks an AP zeroes itself (percpu.h): the kernel stack below stack_top, the IST stacks above. */
    DEFINE(KERNEL_STACK_BYTES, KERNEL_STACK_BYTES);
    DEFINE(IST_AREA_OFFSET, GUARD_BYTES);
    DEFINE(IST_AREA_BYTES, 3 * IST_STACK_BYTES);

    /* The trampoline's stage marker (ap_handshake.h) in struct percpu. */
    OFFSET(PERCPU_STAGE, struct percpu, stage);
    DEFINE(STAGE_TRAMPOLINE, STAGE_TRAMPOLINE);
}
