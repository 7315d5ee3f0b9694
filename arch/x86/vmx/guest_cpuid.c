#include "arch/x86/vmx/guest_cpuid.h"
#include "arch/x86/vmx/vmx_controls.h"

/*
 * SDM "Instructions That Cause VM Exits Conditionally" and the descriptions
 * of the secondary controls: RDTSCP and RDPID raise #UD unless "enable
 * RDTSCP", INVPCID unless "enable INVPCID", XSAVES/XRSTORS unless "enable
 * XSAVES/XRSTORS", TPAUSE/UMONITOR/UMWAIT unless "enable user wait and pause".
 */
static const struct guest_cpuid_pair pairs[] = {
    { "RDTSCP", 0x80000001u, 0, CPUID_EDX, 27, PROC2_ENABLE_RDTSCP },
    { "RDPID", 7, 0, CPUID_ECX, 22, PROC2_ENABLE_RDTSCP },
    { "INVPCID", 7, 0, CPUID_EBX, 10, PROC2_ENABLE_INVPCID },
    { "XSAVES/XRSTORS", 0xD, 1, CPUID_EAX, 3, PROC2_ENABLE_XSAVES },
    { "WAITPKG", 7, 0, CPUID_ECX, 5, PROC2_ENABLE_USER_WAIT_PAUSE },
};

#define CPUID1_EDX_APIC_BIT (1u << 9)

const struct guest_cpuid_pair *guest_cpuid_pairs(size_t *count)
{
    *count = ARRAY_SIZE(pairs);
    return pairs;
}

static uint32_t *register_of(struct cpuid_regs *regs, enum guest_cpuid_register reg)
{
    switch (reg) {
    case CPUID_EAX:
        return &regs->eax;
    case CPUID_EBX:
        return &regs->ebx;
    case CPUID_ECX:
        return &regs->ecx;
    case CPUID_EDX:
        break;
    }
    return &regs->edx;
}

struct cpuid_regs guest_cpuid_filter(const struct guest_cpuid_context *ctx, uint32_t leaf, uint32_t subleaf,
                                     struct cpuid_regs regs)
{
    if (guest_cpuid_is_hypervisor_leaf(leaf))
        return guest_cpuid_hypervisor_leaf(ctx, leaf);
    if (!guest_cpuid_leaf_filtered(leaf))
        return regs;
    if (leaf == 1) {
        if (ctx->hypervisor_bit_clear)
            regs.ecx &= ~CPUID1_ECX_HYPERVISOR;
        else
            regs.ecx |= CPUID1_ECX_HYPERVISOR;
        regs.ecx &= ~CPUID1_ECX_VMX;
        if (!ctx->local_apic) {
            regs.edx &= ~CPUID1_EDX_APIC_BIT;
            regs.ecx &= ~(CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE);
        }
        /* SDM "Enabling or Disabling the Local APIC": with IA32_APIC_BASE[11] clear CPUID.1:EDX.APIC is 0. */
        if (ctx->apic_disabled)
            regs.edx &= ~CPUID1_EDX_APIC_BIT;
    }
    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
        const struct guest_cpuid_pair *pair = &pairs[i];
        bool has_subleaves = leaf == 7 || leaf == 0xD;
        if (pair->leaf == leaf && (!has_subleaves || pair->subleaf == subleaf) &&
            !(ctx->secondary_controls & pair->secondary_control))
            *register_of(&regs, pair->reg) &= ~(1u << pair->bit);
    }
    return regs;
}
