/* Model-specific registers: names for the MSRs we touch (the VMX capability MSRs are in vmx/vmx_caps.h), and RDMSR/WRMSR. */
#ifndef ARCH_X86_MSR_H
#define ARCH_X86_MSR_H

#include <stdint.h>

#define MSR_IA32_TSC 0x10
#define MSR_IA32_APIC_BASE 0x1B
#define MSR_IA32_FEATURE_CONTROL 0x3A
#define MSR_IA32_TSC_ADJUST 0x3B
#define MSR_IA32_TSC_DEADLINE 0x6E0
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_PAT 0x277
#define MSR_EFER 0xC0000080
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_CSTAR 0xC0000083
#define MSR_SFMASK 0xC0000084
#define MSR_FS_BASE 0xC0000100
#define MSR_GS_BASE 0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102

#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_X2APIC_ENABLE (1ull << 10)
#define APIC_BASE_XAPIC_ENABLE (1ull << 11)
#define APIC_BASE_ADDRESS_MASK 0x000FFFFFFFFFF000ull

#define FEATURE_CONTROL_LOCKED (1ull << 0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define DEBUGCTL_BTF (1ull << 1)

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((uint64_t)high << 32) | low;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

#endif
