/*
 * What the boot CPU hands the AP trampoline (trampoline.asm). This struct is
 * the only contract between the two: the assembly reads it through the TP_*
 * and AP_SLOT_* offsets that the build generates from these very structs
 * (arch/x86/asm_defs.c -> build/gen/asm_defs.inc), so they cannot drift.
 */
#ifndef ARCH_X86_SMP_TRAMPOLINE_H
#define ARCH_X86_SMP_TRAMPOLINE_H

#include "core/lib/compiler.h"

/* One entry per AP: the trampoline finds its own by APIC id (from CPUID). */
struct ap_boot_slot {
    uint32_t apic_id;
    uint32_t reserved;
    uint64_t percpu_virt; /* struct percpu *, the first argument of ap_entry */
    uint64_t stack_top;
};

struct trampoline_params {
    uint16_t gdt_limit; /* lgdt operand: limit, then 32-bit base */
    uint32_t gdt_base_phys;
    uint16_t reserved0;
    uint32_t protected_mode_entry_phys; /* 16:32 far pointer to the 32-bit code */
    uint16_t protected_mode_selector;
    uint16_t reserved1;
    uint32_t long_mode_entry_phys; /* 16:32 far pointer to the 64-bit code */
    uint16_t long_mode_selector;
    uint16_t reserved2;
    uint64_t cr3_phys; /* below 4 GiB: loaded in 32-bit mode */
    uint32_t cr4;
    uint32_t efer;          /* bits to set: LME, and NXE when the boot CPU uses NX */
    uint64_t ap_entry_virt; /* void ap_entry(struct percpu *) */
    uint64_t slots_phys;    /* struct ap_boot_slot[slot_count] */
    uint32_t slot_count;
    uint32_t reserved3;
} PACKED;

/* Symbols of trampoline.asm: the code to copy, and where in it things are. */
extern const char trampoline_start[], trampoline_end[], trampoline_params_label[], trampoline_gdt[],
    trampoline_gdt_end[], trampoline_protected_mode[], trampoline_long_mode[];

/*
 * Copies the trampoline into a frame below 1 MiB and fills its parameters.
 * Returns the frame's physical address (its page number is the SIPI vector).
 */
MUST_CHECK int trampoline_install(uint64_t ap_entry_virt, const struct ap_boot_slot *slots,
                                  uint32_t slot_count, uint64_t *frame_phys_out);

#endif
