/*
 * The GDT layout, one definition for the C code and (through the generated
 * asm_defs.inc, arch/x86/asm_defs.c) for entry.asm and trampoline.asm. Every
 * GDT vmxroot loads puts the same descriptors at the same selectors: the
 * early GDT (entry.asm), the AP trampoline's (which adds a 32-bit code
 * segment for its protected-mode step) and each CPU's own (percpu.c, which
 * adds its TSS). Descriptor bits: SDM "Segment Descriptors".
 */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#define GDT_KERNEL_CODE 0x08       /* 64-bit code, DPL 0 */
#define GDT_KERNEL_DATA 0x10       /* data, DPL 0 */
#define GDT_TSS 0x18               /* per-CPU GDT: the 64-bit TSS (two slots) */
#define GDT_TRAMPOLINE_CODE32 0x18 /* trampoline GDT only: 32-bit code for the protected-mode step */
#define GDT_ENTRY_COUNT 5          /* per-CPU GDT: null, code, data, TSS (two slots) */

#define GDT_DESCRIPTOR_CODE64 0x00af9a000000ffffull /* present, DPL 0, long-mode code */
#define GDT_DESCRIPTOR_DATA 0x00cf92000000ffffull   /* present, DPL 0, writable data, 4 GiB */
#define GDT_DESCRIPTOR_CODE32 0x00cf9a000000ffffull /* present, DPL 0, 32-bit code, 4 GiB */
#define GDT_TSS_TYPE_AVAILABLE 0x89ull              /* present, 64-bit TSS (available) */

#endif
