// host-sources: arch/x86/vmx/vmx_error.c core/lib/format.c
/*
 * The VM-instruction error table and outcome text (SDM: "VM Instruction
 * Error Numbers"): every defined number named as the SDM names it, the
 * reserved ones and out-of-range ones say so.
 */
#include "arch/x86/vmx/vmx_error.h"
#include "tests/unit/check.h"

TEST(vmx_error_names_follow_the_sdm_table)
{
    CHECK_STR(vmx_error_name(1), "VMCALL executed in VMX root operation");
    CHECK_STR(vmx_error_name(2), "VMCLEAR with invalid physical address");
    CHECK_STR(vmx_error_name(3), "VMCLEAR with VMXON pointer");
    CHECK_STR(vmx_error_name(4), "VMLAUNCH with non-clear VMCS");
    CHECK_STR(vmx_error_name(5), "VMRESUME with non-launched VMCS");
    CHECK_STR(vmx_error_name(6), "VMRESUME after VMXOFF");
    CHECK_STR(vmx_error_name(7), "VM entry with invalid control field(s)");
    CHECK_STR(vmx_error_name(8), "VM entry with invalid host-state field(s)");
    CHECK_STR(vmx_error_name(9), "VMPTRLD with invalid physical address");
    CHECK_STR(vmx_error_name(10), "VMPTRLD with VMXON pointer");
    CHECK_STR(vmx_error_name(11), "VMPTRLD with incorrect VMCS revision identifier");
    CHECK_STR(vmx_error_name(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
    CHECK_STR(vmx_error_name(13), "VMWRITE to read-only VMCS component");
    CHECK_STR(vmx_error_name(15), "VMXON executed in VMX root operation");
    CHECK_STR(vmx_error_name(16), "VM entry with invalid executive-VMCS pointer");
    CHECK_STR(vmx_error_name(17), "VM entry with non-launched executive VMCS");
    CHECK_STR(vmx_error_name(18), "VM entry with executive-VMCS pointer not VMXON pointer");
    CHECK_STR(vmx_error_name(19), "VMCALL with non-clear VMCS");
    CHECK_STR(vmx_error_name(20), "VMCALL with invalid VM-exit control fields");
    CHECK_STR(vmx_error_name(22), "VMCALL with incorrect MSEG revision identifier");
    CHECK_STR(vmx_error_name(23), "VMXOFF under dual-monitor treatment of SMIs and SMM");
    CHECK_STR(vmx_error_name(24), "VMCALL with invalid SMM-monitor features");
    CHECK_STR(vmx_error_name(25), "VM entry with invalid VM-execution control fields in executive VMCS");
    CHECK_STR(vmx_error_name(26), "VM entry with events blocked by MOV SS");
    CHECK_STR(vmx_error_name(28), "Invalid operand to INVEPT/INVVPID");
}

TEST(vmx_error_reserved_and_unknown_numbers)
{
    CHECK_STR(vmx_error_name(14), "reserved");
    CHECK_STR(vmx_error_name(21), "reserved");
    CHECK_STR(vmx_error_name(27), "reserved");
    CHECK_STR(vmx_error_name(0), "unknown");
    CHECK_STR(vmx_error_name(VMX_ERROR_MAX + 1), "unknown");
    CHECK_STR(vmx_error_name(0xffffffffu), "unknown");
    int named = 0;
    for (uint32_t n = 1; n <= VMX_ERROR_MAX; n++)
        named += strcmp(vmx_error_name(n), "reserved") != 0;
    CHECK_EQ(named, 25);
}

TEST(vmx_error_named_constants_match_the_table)
{
    CHECK_STR(vmx_error_name(VMX_ERROR_VMCLEAR_VMXON_POINTER), "VMCLEAR with VMXON pointer");
    CHECK_STR(vmx_error_name(VMX_ERROR_VMPTRLD_VMXON_POINTER), "VMPTRLD with VMXON pointer");
    CHECK_STR(vmx_error_name(VMX_ERROR_VMPTRLD_BAD_REVISION),
              "VMPTRLD with incorrect VMCS revision identifier");
    CHECK_STR(vmx_error_name(VMX_ERROR_VMPTRLD_INVALID_ADDRESS), "VMPTRLD with invalid physical address");
    CHECK_STR(vmx_error_name(VMX_ERROR_VMCLEAR_INVALID_ADDRESS), "VMCLEAR with invalid physical address");
    CHECK_STR(vmx_error_name(VMX_ERROR_VMWRITE_READ_ONLY), "VMWRITE to read-only VMCS component");
}

TEST(vmx_result_names)
{
    CHECK_STR(vmx_result_name(VMX_SUCCEED), "VMsucceed");
    CHECK_STR(vmx_result_name(VMX_FAIL_INVALID), "VMfailInvalid");
    CHECK_STR(vmx_result_name(VMX_FAIL_VALID), "VMfailValid");
    CHECK_STR(vmx_result_name((enum vmx_result)7), "VM?");
}

TEST(vmx_outcome_format_text)
{
    char buf[VMX_OUTCOME_TEXT_BYTES];
    CHECK_EQ(vmx_outcome_format(vmx_outcome_succeed(), buf, sizeof buf), 9);
    CHECK_STR(buf, "VMsucceed");
    vmx_outcome_format(vmx_outcome_fail_invalid(), buf, sizeof buf);
    CHECK_STR(buf, "VMfailInvalid");
    vmx_outcome_format(vmx_outcome_fail_valid(10), buf, sizeof buf);
    CHECK_STR(buf, "VMfailValid error 10 (VMPTRLD with VMXON pointer)");
    vmx_outcome_format(vmx_outcome_fail_valid(21), buf, sizeof buf);
    CHECK_STR(buf, "VMfailValid error 21 (reserved)");
    vmx_outcome_format(vmx_outcome_fail_valid(99), buf, sizeof buf);
    CHECK_STR(buf, "VMfailValid error 99 (unknown)");
    /* The longest description fits the documented buffer size. */
    for (uint32_t n = 0; n <= VMX_ERROR_MAX + 1; n++)
        CHECK(vmx_outcome_format(vmx_outcome_fail_valid(n), buf, sizeof buf) < (int)sizeof buf);
    char tiny[8];
    CHECK_EQ(vmx_outcome_format(vmx_outcome_fail_valid(3), tiny, sizeof tiny),
             (int)strlen("VMfailValid error 3 (VMCLEAR with VMXON pointer)"));
    CHECK_STR(tiny, "VMfailV");
}

TEST(vmx_outcome_helpers)
{
    CHECK(vmx_succeeded(vmx_outcome_succeed()));
    CHECK(!vmx_succeeded(vmx_outcome_fail_invalid()));
    struct vmx_outcome o = vmx_outcome_fail_valid(11);
    CHECK_EQ(o.result, VMX_FAIL_VALID);
    CHECK_EQ(o.error, 11);
}
