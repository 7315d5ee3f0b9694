/*
 * The VM-instruction error table (SDM: "VM Instruction Error Numbers") and
 * the text of an outcome. Descriptions are the SDM's own wording so that a
 * log line can be looked up in the manual as printed.
 */
#include "arch/x86/vmx/vmx_error.h"
#include "core/lib/format.h"

static const char *const vmx_error_names[VMX_ERROR_MAX + 1] = {
    [1] = "VMCALL executed in VMX root operation",
    [2] = "VMCLEAR with invalid physical address",
    [3] = "VMCLEAR with VMXON pointer",
    [4] = "VMLAUNCH with non-clear VMCS",
    [5] = "VMRESUME with non-launched VMCS",
    [6] = "VMRESUME after VMXOFF",
    [7] = "VM entry with invalid control field(s)",
    [8] = "VM entry with invalid host-state field(s)",
    [9] = "VMPTRLD with invalid physical address",
    [10] = "VMPTRLD with VMXON pointer",
    [11] = "VMPTRLD with incorrect VMCS revision identifier",
    [12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [13] = "VMWRITE to read-only VMCS component",
    [15] = "VMXON executed in VMX root operation",
    [16] = "VM entry with invalid executive-VMCS pointer",
    [17] = "VM entry with non-launched executive VMCS",
    [18] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [19] = "VMCALL with non-clear VMCS",
    [20] = "VMCALL with invalid VM-exit control fields",
    [22] = "VMCALL with incorrect MSEG revision identifier",
    [23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [24] = "VMCALL with invalid SMM-monitor features",
    [25] = "VM entry with invalid VM-execution control fields in executive VMCS",
    [26] = "VM entry with events blocked by MOV SS",
    [28] = "Invalid operand to INVEPT/INVVPID",
};

const char *vmx_error_name(uint32_t number)
{
    if (number == 0 || number > VMX_ERROR_MAX)
        return "unknown";
    return vmx_error_names[number] ? vmx_error_names[number] : "reserved";
}

const char *vmx_result_name(enum vmx_result result)
{
    switch (result) {
    case VMX_SUCCEED:
        return "VMsucceed";
    case VMX_FAIL_INVALID:
        return "VMfailInvalid";
    case VMX_FAIL_VALID:
        return "VMfailValid";
    }
    return "VM?";
}

int vmx_outcome_format(struct vmx_outcome outcome, char *buf, size_t size_bytes)
{
    if (outcome.result != VMX_FAIL_VALID)
        return format(buf, size_bytes, "%s", vmx_result_name(outcome.result));
    return format(buf, size_bytes, "VMfailValid error %u (%s)", outcome.error, vmx_error_name(outcome.error));
}
