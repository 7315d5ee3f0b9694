/*
 * The VMX instructions, one tiny wrapper each. Every wrapper returns the
 * instruction's outcome (SDM: "Conventions" in "VMX Instruction Reference"):
 * VMsucceed, VMfailInvalid (CF=1: no current VMCS to hold an error number)
 * or VMfailValid (ZF=1: the number is in the current VMCS's VM-instruction
 * error field, read here at once). CF and ZF are captured by SETC/SETZ
 * inside the same asm statement: clang 14 miscompiles flag outputs
 * (=@ccc/=@ccz) here, placing an XOR between the instruction and the branch
 * on ZF - seen as a VMXON that "failed" with error 0 while Bochs had
 * entered VMX operation.
 */
#ifndef ARCH_X86_VMX_VMX_INSN_H
#define ARCH_X86_VMX_VMX_INSN_H

#include "arch/x86/vmx/vmx_outcome.h"
#include "arch/x86/vmx/vmcs_fields.h"

/* Appended to every VMX instruction: CF and ZF into two bytes. */
#define VMX_FLAGS "\n\tsetc %[carry]\n\tsetz %[zero]"
#define VMX_FLAG_OUTPUTS [carry] "=qm"(carry), [zero] "=qm"(zero)

static inline MUST_CHECK struct vmx_outcome vmx_outcome_from_flags(bool carry, bool zero)
{
    struct vmx_outcome outcome = { VMX_SUCCEED, 0 };
    if (carry) {
        outcome.result = VMX_FAIL_INVALID;
    } else if (zero) {
        uint64_t error = 0;
        bool read_carry, read_zero;
        __asm__ volatile("vmread %[field], %[value]\n\tsetc %[carry]\n\tsetz %[zero]"
                         : [value] "=rm"(error), [carry] "=qm"(read_carry), [zero] "=qm"(read_zero)
                         : [field] "r"((uint64_t)VMCS_VM_INSTRUCTION_ERROR)
                         : "cc");
        outcome.result = VMX_FAIL_VALID;
        outcome.error = (read_carry || read_zero) ? 0 : (uint32_t)error;
    }
    return outcome;
}

#define VMX_MEMORY_OPERAND_INSN(mnemonic, phys)                                                              \
    ({                                                                                                       \
        bool carry, zero;                                                                                    \
        uint64_t operand_ = (phys);                                                                          \
        __asm__ volatile(mnemonic " %[operand]" VMX_FLAGS:VMX_FLAG_OUTPUTS                                   \
                         : [operand] "m"(operand_)                                                           \
                         : "cc", "memory");                                                                  \
        vmx_outcome_from_flags(carry, zero);                                                                 \
    })

static inline MUST_CHECK struct vmx_outcome vmx_vmxon(uint64_t region_phys)
{
    return VMX_MEMORY_OPERAND_INSN("vmxon", region_phys);
}
static inline MUST_CHECK struct vmx_outcome vmx_vmclear(uint64_t vmcs_phys)
{
    return VMX_MEMORY_OPERAND_INSN("vmclear", vmcs_phys);
}
static inline MUST_CHECK struct vmx_outcome vmx_vmptrld(uint64_t vmcs_phys)
{
    return VMX_MEMORY_OPERAND_INSN("vmptrld", vmcs_phys);
}

static inline MUST_CHECK struct vmx_outcome vmx_vmxoff(void)
{
    bool carry, zero;
    __asm__ volatile("vmxoff" VMX_FLAGS:VMX_FLAG_OUTPUTS : : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline MUST_CHECK struct vmx_outcome vmx_vmptrst(uint64_t *vmcs_phys)
{
    bool carry, zero;
    __asm__ volatile("vmptrst %[out]" VMX_FLAGS
                     : [out] "=m"(*vmcs_phys), VMX_FLAG_OUTPUTS
                     :
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline MUST_CHECK struct vmx_outcome vmx_vmread_raw(uint64_t field, uint64_t *value)
{
    bool carry, zero;
    __asm__ volatile("vmread %[field], %[value]" VMX_FLAGS
                     : [value] "=rm"(*value), VMX_FLAG_OUTPUTS
                     : [field] "r"(field)
                     : "cc");
    return vmx_outcome_from_flags(carry, zero);
}

static inline MUST_CHECK struct vmx_outcome vmx_vmwrite_raw(uint64_t field, uint64_t value)
{
    bool carry, zero;
    __asm__ volatile("vmwrite %[value], %[field]" VMX_FLAGS:VMX_FLAG_OUTPUTS
                     : [field] "r"(field), [value] "rm"(value)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

/* INVEPT / INVVPID: type in a register, a 128-bit descriptor in memory. */
struct vmx_invalidation_descriptor {
    uint64_t low;  /* EPTP for INVEPT; VPID (bits 15:0) for INVVPID */
    uint64_t high; /* 0 for INVEPT; linear address for INVVPID */
};

static inline MUST_CHECK struct vmx_outcome vmx_invept(uint64_t type,
                                                       struct vmx_invalidation_descriptor descriptor)
{
    bool carry, zero;
    __asm__ volatile("invept %[descriptor], %[type]" VMX_FLAGS:VMX_FLAG_OUTPUTS
                     : [type] "r"(type), [descriptor] "m"(descriptor)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline MUST_CHECK struct vmx_outcome vmx_invvpid(uint64_t type,
                                                        struct vmx_invalidation_descriptor descriptor)
{
    bool carry, zero;
    __asm__ volatile("invvpid %[descriptor], %[type]" VMX_FLAGS:VMX_FLAG_OUTPUTS
                     : [type] "r"(type), [descriptor] "m"(descriptor)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

#endif
