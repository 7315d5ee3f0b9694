/*
 * What a guest sees of CPUID (pure code, host-tested): the processor's own
 * answer, filtered. The hypervisor-present bit CPUID.1:ECX[31] is set and
 * the VMX bit CPUID.1:ECX[5] cleared (no nested VMX); leaf 0x40000000 says
 * "vmxroot" and leaf 0x40000001 gives the status page's guest-physical
 * address and size; and every feature whose instruction needs a
 * VM-execution control is shown only when that control is set (in VMX
 * non-root operation the instruction raises #UD without it): the table of
 * pairs in guest_cpuid.c.
 */
#ifndef ARCH_X86_VMX_GUEST_CPUID_H
#define ARCH_X86_VMX_GUEST_CPUID_H

#include "arch/x86/cpuid.h"
#include "core/lib/compiler.h"

#define GUEST_CPUID_HYPERVISOR_LEAF 0x40000000u
#define GUEST_CPUID_STATUS_LEAF 0x40000001u
#define GUEST_CPUID_HYPERVISOR_LAST 0x400000FFu
/* "vmxroot\0\0\0\0\0" in EBX, ECX, EDX */
#define GUEST_CPUID_SIGNATURE_EBX 0x72786d76u /* "vmxr" */
#define GUEST_CPUID_SIGNATURE_ECX 0x00746f6fu /* "oot\0" */
#define GUEST_CPUID_SIGNATURE_EDX 0u

enum guest_cpuid_register { CPUID_EAX = 0, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* A CPUID feature bit and the secondary control its instruction needs in a guest. */
struct guest_cpuid_pair {
    const char *feature; /* "RDTSCP" */
    uint32_t leaf, subleaf;
    enum guest_cpuid_register reg;
    uint32_t bit;
    uint32_t secondary_control; /* PROC2_* */
};

struct guest_cpuid_context {
    uint32_t secondary_controls; /* as the guest runs */
    uint64_t status_gpa;         /* 0: no status page mapped */
    uint32_t status_bytes;
    bool local_apic;           /* false: the APIC and x2APIC bits are cleared */
    bool hypervisor_bit_clear; /* cpuid_hypervisor=off: CPUID.1:ECX[31] left clear (the leaves stay) */
    bool apic_disabled; /* the vCPU's IA32_APIC_BASE view has the global enable clear: no CPUID.1:EDX.APIC */
};

/*
 * The leaves the filter changes (leaf 1 and the pairs' leaves: a host test
 * checks every pair against it): every other leaf is the processor's answer
 * as it is, without a walk of the table on the CPUID exit's path.
 */
static inline bool guest_cpuid_leaf_filtered(uint32_t leaf)
{
    return leaf == 1 || leaf == 7 || leaf == 0xD || leaf == 0x80000001u;
}

/* The pairs, for tests and docs. */
const struct guest_cpuid_pair *guest_cpuid_pairs(size_t *count);

/* Filters the processor's answer for (leaf, subleaf) into what the guest sees. */
struct cpuid_regs guest_cpuid_filter(const struct guest_cpuid_context *ctx, uint32_t leaf, uint32_t subleaf,
                                     struct cpuid_regs regs);

static inline bool guest_cpuid_is_hypervisor_leaf(uint32_t leaf)
{
    return leaf >= GUEST_CPUID_HYPERVISOR_LEAF && leaf <= GUEST_CPUID_HYPERVISOR_LAST;
}

/* vmxroot's own leaves: no question to the processor needed. */
static inline struct cpuid_regs guest_cpuid_hypervisor_leaf(const struct guest_cpuid_context *ctx,
                                                            uint32_t leaf)
{
    if (leaf == GUEST_CPUID_HYPERVISOR_LEAF)
        return (struct cpuid_regs){ GUEST_CPUID_STATUS_LEAF, GUEST_CPUID_SIGNATURE_EBX,
                                    GUEST_CPUID_SIGNATURE_ECX, GUEST_CPUID_SIGNATURE_EDX };
    if (leaf == GUEST_CPUID_STATUS_LEAF && ctx->status_gpa)
        return (struct cpuid_regs){ (uint32_t)ctx->status_gpa, (uint32_t)(ctx->status_gpa >> 32),
                                    ctx->status_bytes, 0 };
    return (struct cpuid_regs){ 0, 0, 0, 0 };
}

#endif
