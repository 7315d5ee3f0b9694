/*
 * The VMX instructions, one tiny wrapper each. Every wrapper returns the
 * instruction's outcome (SDM: "Conventions" in "VMX Instruction Reference"):
 * VMsucceed, VMfailInvalid (CF=1: no current VMCS to hold an error number)
 * or VMfailValid (ZF=1: the number is in the current VMCS's VM-instruction
 * error field, read here at once). Flag outputs (=@ccc, =@ccz) read CF and ZF
 * straight from the instruction, as NOVA does.
 */
#ifndef ARCH_X86_VMX_VMX_INSN_H
#define ARCH_X86_VMX_VMX_INSN_H

#include "arch/x86/vmx/vmx_outcome.h"
#include "arch/x86/vmx/vmcs_fields.h"

static inline struct vmx_outcome vmx_outcome_from_flags(bool carry, bool zero)
{
    struct vmx_outcome outcome = { VMX_SUCCEED, 0 };
    if (carry) {
        outcome.result = VMX_FAIL_INVALID;
    } else if (zero) {
        uint64_t error = 0;
        bool read_carry, read_zero;
        __asm__ volatile("vmread %[field], %[value]"
                         : [value] "=rm"(error), "=@ccc"(read_carry), "=@ccz"(read_zero)
                         : [field] "r"((uint64_t)VMCS_VM_INSTRUCTION_ERROR)
                         : "cc");
        outcome.result = VMX_FAIL_VALID;
        outcome.error = (read_carry || read_zero) ? 0 : (uint32_t)error;
    }
    return outcome;
}

#define VMX_MEMORY_OPERAND_INSN(mnemonic, phys)                                           \
    ({                                                                                    \
        bool carry_, zero_;                                                               \
        uint64_t operand_ = (phys);                                                       \
        __asm__ volatile(mnemonic " %[operand]"                                           \
                         : "=@ccc"(carry_), "=@ccz"(zero_)                                \
                         : [operand] "m"(operand_)                                        \
                         : "cc", "memory");                                               \
        vmx_outcome_from_flags(carry_, zero_);                                            \
    })

static inline struct vmx_outcome vmx_vmxon(uint64_t region_phys) { return VMX_MEMORY_OPERAND_INSN("vmxon", region_phys); }
static inline struct vmx_outcome vmx_vmclear(uint64_t vmcs_phys) { return VMX_MEMORY_OPERAND_INSN("vmclear", vmcs_phys); }
static inline struct vmx_outcome vmx_vmptrld(uint64_t vmcs_phys) { return VMX_MEMORY_OPERAND_INSN("vmptrld", vmcs_phys); }

static inline struct vmx_outcome vmx_vmxoff(void)
{
    bool carry, zero;
    __asm__ volatile("vmxoff" : "=@ccc"(carry), "=@ccz"(zero) : : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline struct vmx_outcome vmx_vmptrst(uint64_t *vmcs_phys)
{
    bool carry, zero;
    __asm__ volatile("vmptrst %[out]" : [out] "=m"(*vmcs_phys), "=@ccc"(carry), "=@ccz"(zero) : : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline struct vmx_outcome vmx_vmread_raw(uint64_t field, uint64_t *value)
{
    bool carry, zero;
    __asm__ volatile("vmread %[field], %[value]"
                     : [value] "=rm"(*value), "=@ccc"(carry), "=@ccz"(zero)
                     : [field] "r"(field)
                     : "cc");
    return vmx_outcome_from_flags(carry, zero);
}

static inline struct vmx_outcome vmx_vmwrite_raw(uint64_t field, uint64_t value)
{
    bool carry, zero;
    __asm__ volatile("vmwrite %[value], %[field]"
                     : "=@ccc"(carry), "=@ccz"(zero)
                     : [field] "r"(field), [value] "rm"(value)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

/* INVEPT / INVVPID: type in a register, a 128-bit descriptor in memory. */
struct vmx_invalidation_descriptor {
    uint64_t low;  /* EPTP for INVEPT; VPID (bits 15:0) for INVVPID */
    uint64_t high; /* 0 for INVEPT; linear address for INVVPID */
};

static inline struct vmx_outcome vmx_invept(uint64_t type, struct vmx_invalidation_descriptor descriptor)
{
    bool carry, zero;
    __asm__ volatile("invept %[descriptor], %[type]"
                     : "=@ccc"(carry), "=@ccz"(zero)
                     : [type] "r"(type), [descriptor] "m"(descriptor)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

static inline struct vmx_outcome vmx_invvpid(uint64_t type, struct vmx_invalidation_descriptor descriptor)
{
    bool carry, zero;
    __asm__ volatile("invvpid %[descriptor], %[type]"
                     : "=@ccc"(carry), "=@ccz"(zero)
                     : [type] "r"(type), [descriptor] "m"(descriptor)
                     : "cc", "memory");
    return vmx_outcome_from_flags(carry, zero);
}

#endif
