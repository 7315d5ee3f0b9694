/* Control registers: bit names and one accessor per register. */
#ifndef ARCH_X86_CR_H
#define ARCH_X86_CR_H

#include <stdint.h>

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_LA57 (1ull << 12)
#define CR4_VMXE (1ull << 13)
#define CR4_SMXE (1ull << 14)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_CET (1ull << 23)

#define DEFINE_CR_ACCESSORS(n)                                                                               \
    static inline uint64_t read_cr##n(void)                                                                  \
    {                                                                                                        \
        uint64_t value;                                                                                      \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(value));                                                \
        return value;                                                                                        \
    }                                                                                                        \
    static inline void write_cr##n(uint64_t value)                                                           \
    {                                                                                                        \
        __asm__ volatile("mov %0, %%cr" #n ::"r"(value) : "memory");                                         \
    }

DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)

static inline uint64_t read_cr2(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

/* A guest's CR2 before its VMRESUME (vmx_entry.asm loads CR2 only at VMLAUNCH). */
static inline void write_cr2(uint64_t value) { __asm__ volatile("mov %0, %%cr2" : : "r"(value) : "memory"); }

/*
 * IRET to the next instruction, same privilege: ends the NMI blocking an NMI
 * VM exit leaves in VMX root (SDM: "Event Blocking ... After a VM Exit")
 * when vmxroot hands the NMI to its guest instead of running a handler.
 */
static inline void cpu_iret_to_self(void)
{
    __asm__ volatile("mov %%ss, %%eax\n\t"
                     "pushq %%rax\n\t"
                     "pushq %%rsp\n\t"
                     "addq $8, (%%rsp)\n\t"
                     "pushfq\n\t"
                     "mov %%cs, %%eax\n\t"
                     "pushq %%rax\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "iretq\n"
                     "1:" ::
                         : "rax", "memory", "cc");
}

#endif
