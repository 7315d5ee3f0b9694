/*
 * The outcome of one VMX instruction (SDM: "Conventions" in "VMX Instruction
 * Reference"): VMsucceed, VMfailInvalid (CF=1, there is no current VMCS to
 * hold an error number) or VMfailValid (ZF=1, the number is in the current
 * VMCS's VM-instruction error field, encoding 0x4400). Every wrapper returns
 * one, so no caller can drop a failure without saying so.
 */
#ifndef ARCH_X86_VMX_VMX_OUTCOME_H
#define ARCH_X86_VMX_VMX_OUTCOME_H

#include "core/lib/compiler.h"

enum vmx_result {
    VMX_SUCCEED = 0,
    VMX_FAIL_INVALID = 1,
    VMX_FAIL_VALID = 2,
};

struct vmx_outcome {
    enum vmx_result result;
    uint32_t error; /* VM-instruction error number when result is VMX_FAIL_VALID, else 0 */
};

static inline MUST_CHECK struct vmx_outcome vmx_outcome_succeed(void)
{
    return (struct vmx_outcome){ VMX_SUCCEED, 0 };
}
static inline MUST_CHECK struct vmx_outcome vmx_outcome_fail_invalid(void)
{
    return (struct vmx_outcome){ VMX_FAIL_INVALID, 0 };
}
static inline MUST_CHECK struct vmx_outcome vmx_outcome_fail_valid(uint32_t error)
{
    return (struct vmx_outcome){ VMX_FAIL_VALID, error };
}
static inline bool vmx_succeeded(struct vmx_outcome outcome) { return outcome.result == VMX_SUCCEED; }

/* Longest text vmx_outcome_format() writes, with its NUL. */
#define VMX_OUTCOME_TEXT_BYTES 128

/*
 * "VMsucceed", "VMfailInvalid" or "VMfailValid error 10 (VMPTRLD with VMXON
 * pointer)" into buf (always NUL-terminated). Returns the text's length, like
 * format(). Implemented in arch/x86/vmx/vmx_error.c.
 */
int vmx_outcome_format(struct vmx_outcome outcome, char *buf, size_t size_bytes);

/*
 * The instruction-layer contract for VMREAD/VMWRITE of the current VMCS. The
 * kernel implements them over arch/x86/vmx/vmx_insn.h; host tests link fakes.
 * Callers use the width-checked macros of arch/x86/vmx/vmcs_fields.h.
 */
MUST_CHECK struct vmx_outcome vmx_vmread(uint64_t field, uint64_t *value);
MUST_CHECK struct vmx_outcome vmx_vmwrite(uint64_t field, uint64_t value);

#endif
