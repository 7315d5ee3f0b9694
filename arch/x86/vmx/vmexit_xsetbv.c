/*
 * XSETBV (exit 55, unconditional in VMX non-root): vmxroot checks the value
 * the way the instruction would (SDM: "XSETBV"), injects #GP where it would
 * fault, and otherwise executes it itself (host CR4.OSXSAVE is set for
 * this). vmxroot uses no extended state, so the guest's XCR0 can stay loaded.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"

#define VECTOR_GP 13
#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_BNDREGS (1ull << 3)
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_AVX512 (7ull << 5) /* opmask, ZMM_Hi256, Hi16_ZMM */

/* The SDM's #GP conditions of XSETBV for XCR0 = value, given what CPUID.(0xD,0) says is supported. */
static bool xcr0_valid(uint64_t value, uint64_t supported)
{
    if (value & ~supported)
        return false;
    if (!(value & XCR0_X87))
        return false;
    if ((value & XCR0_AVX) && !(value & XCR0_SSE))
        return false;
    if (((value & XCR0_BNDREGS) != 0) != ((value & XCR0_BNDCSR) != 0))
        return false;
    if ((value & XCR0_AVX512) && ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX)))
        return false;
    return true;
}

enum vmexit_action vmexit_xsetbv(struct vcpu *vcpu)
{
    uint32_t index = (uint32_t)vcpu->regs.rcx;
    uint64_t value = ((vcpu->regs.rdx & 0xffffffffull) << 32) | (vcpu->regs.rax & 0xffffffffull);
    struct cpuid_regs leaf_d = cpuid(0xD, 0);
    uint64_t supported = ((uint64_t)leaf_d.edx << 32) | leaf_d.eax;
    uint64_t cpl = (vcpu_read_field(vcpu, VMCS_GUEST_SS_ACCESS_RIGHTS) >> 5) & 3; /* SS.DPL is the CPL */
    if (cpl != 0 || index != 0 || !xcr0_valid(value, supported)) {
        vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
        return VMEXIT_RESUME;
    }
    __asm__ volatile("xsetbv" ::"c"(0u), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
    vcpu->xcr0 = value;
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}
