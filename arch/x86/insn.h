/*
 * One static inline per x86 instruction the C code issues that has no header
 * of its own (cpuid.h, cr.h, msr.h, io.h, tsc.h and vmx/vmx_insn.h have
 * theirs). No other C file holds inline assembly for these. Built for the
 * host tests too (spinlock.h's cpu_relax), so nothing here may fault in user
 * mode unless called.
 */
#ifndef ARCH_X86_INSN_H
#define ARCH_X86_INSN_H

#include "core/lib/compiler.h"

/* PAUSE: the spin-wait hint (SDM: "PAUSE - Spin Loop Hint"). */
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }

/*
 * STI; HLT as one statement: STI's one-instruction interrupt shadow makes an
 * interrupt already pending wake the HLT instead of being taken before it
 * (no lost wake-up). CLI again on the way out.
 */
static inline void cpu_sleep_until_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

/* CLI; HLT for good: NMIs still wake it, so it loops. */
static inline NORETURN void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

/* The idle loop: sleep, take the interrupt, sleep again. */
static inline NORETURN void cpu_idle(void)
{
    for (;;)
        cpu_sleep_until_interrupt();
}

/* REP STOSB / REP MOVSB: memset and memcpy (core/lib/string.c) without SSE. */
static inline void cpu_rep_stosb(void *dst, uint8_t value, size_t size_bytes)
{
    __asm__ volatile("rep stosb" : "+D"(dst), "+c"(size_bytes) : "a"(value) : "memory");
}

static inline void cpu_rep_movsb(void *dst, const void *src, size_t size_bytes)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(size_bytes) : : "memory");
}

/* REP STOSQ / REP MOVSQ: the same 8 bytes per step, for 8-byte-aligned memory (count in quadwords). */
static inline void cpu_rep_stosq(void *dst, uint64_t value, size_t quad_count)
{
    __asm__ volatile("rep stosq" : "+D"(dst), "+c"(quad_count) : "a"(value) : "memory");
}

static inline void cpu_rep_movsq(void *dst, const void *src, size_t quad_count)
{
    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quad_count) : : "memory");
}

/* The operand of LGDT and LIDT (SDM: "Pseudo-Descriptor Formats"). */
struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} PACKED;

static inline void cpu_lidt(const struct descriptor_pointer *pointer)
{
    __asm__ volatile("lidt %0" ::"m"(*pointer) : "memory");
}

/* INVLPG: drops the TLB entry of one page on this CPU. */
static inline void cpu_invlpg(uint64_t virt) { __asm__ volatile("invlpg (%0)" ::"r"(virt) : "memory"); }

#endif
