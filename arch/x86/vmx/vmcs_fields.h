/*
 * VMCS field encodings (SDM: "Field Encoding in VMCS" and the appendix "Field
 * Encoding in VMCS") and width-checked VMREAD/VMWRITE accessors.
 *
 * An encoding is 32 bits:
 *   bit 0      access type (0 full, 1 high: the upper 32 bits of a 64-bit field)
 *   bits 9:1   index
 *   bits 11:10 type (0 control, 1 VM-exit information (read-only), 2 guest state, 3 host state)
 *   bits 14:13 width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural width)
 *
 * vmcs_read16(VMCS_GUEST_CS_SELECTOR, &v) compiles only if the field is 16-bit;
 * the vmcs_write* macros also refuse, at compile time, a VM-exit information
 * field (VMWRITE to one is VM-instruction error 13). The field must be a
 * constant expression, as in Linux KVM's vmx_ops.h.
 */
#ifndef ARCH_X86_VMX_VMCS_FIELDS_H
#define ARCH_X86_VMX_VMCS_FIELDS_H

#include "arch/x86/vmx/vmx_outcome.h"

#define VMCS_FIELD_ACCESS_HIGH(enc) ((enc)&1)
#define VMCS_FIELD_INDEX(enc) (((enc) >> 1) & 0x1ff)
#define VMCS_FIELD_TYPE(enc) (((enc) >> 10) & 3)
#define VMCS_FIELD_WIDTH(enc) (((enc) >> 13) & 3)

#define VMCS_WIDTH_16 0
#define VMCS_WIDTH_64 1
#define VMCS_WIDTH_32 2
#define VMCS_WIDTH_NATURAL 3

#define VMCS_TYPE_CONTROL 0
#define VMCS_TYPE_EXIT_INFO 1 /* read-only unless IA32_VMX_MISC bit 29 */
#define VMCS_TYPE_GUEST 2
#define VMCS_TYPE_HOST 3

/* --- 16-bit fields --- */
#define VMCS_VPID 0x0000
#define VMCS_POSTED_INTERRUPT_NOTIFICATION_VECTOR 0x0002
#define VMCS_EPTP_INDEX 0x0004
#define VMCS_GUEST_ES_SELECTOR 0x0800
#define VMCS_GUEST_CS_SELECTOR 0x0802
#define VMCS_GUEST_SS_SELECTOR 0x0804
#define VMCS_GUEST_DS_SELECTOR 0x0806
#define VMCS_GUEST_FS_SELECTOR 0x0808
#define VMCS_GUEST_GS_SELECTOR 0x080A
#define VMCS_GUEST_LDTR_SELECTOR 0x080C
#define VMCS_GUEST_TR_SELECTOR 0x080E
#define VMCS_GUEST_INTERRUPT_STATUS 0x0810
#define VMCS_HOST_ES_SELECTOR 0x0C00
#define VMCS_HOST_CS_SELECTOR 0x0C02
#define VMCS_HOST_SS_SELECTOR 0x0C04
#define VMCS_HOST_DS_SELECTOR 0x0C06
#define VMCS_HOST_FS_SELECTOR 0x0C08
#define VMCS_HOST_GS_SELECTOR 0x0C0A
#define VMCS_HOST_TR_SELECTOR 0x0C0C

/* --- 64-bit fields --- */
#define VMCS_IO_BITMAP_A 0x2000
#define VMCS_IO_BITMAP_B 0x2002
#define VMCS_MSR_BITMAP 0x2004
#define VMCS_VM_EXIT_MSR_STORE_ADDRESS 0x2006
#define VMCS_VM_EXIT_MSR_LOAD_ADDRESS 0x2008
#define VMCS_VM_ENTRY_MSR_LOAD_ADDRESS 0x200A
#define VMCS_PML_ADDRESS 0x200E
#define VMCS_TSC_OFFSET 0x2010
#define VMCS_VIRTUAL_APIC_ADDRESS 0x2012
#define VMCS_APIC_ACCESS_ADDRESS 0x2014
#define VMCS_POSTED_INTERRUPT_DESCRIPTOR_ADDRESS 0x2016
#define VMCS_VM_FUNCTION_CONTROLS 0x2018
#define VMCS_EPT_POINTER 0x201A
#define VMCS_EPTP_LIST_ADDRESS 0x2024
#define VMCS_VMREAD_BITMAP_ADDRESS 0x2026
#define VMCS_VMWRITE_BITMAP_ADDRESS 0x2028
#define VMCS_VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS 0x202A
#define VMCS_SUB_PAGE_PERMISSION_TABLE_POINTER 0x2030
#define VMCS_GUEST_PHYSICAL_ADDRESS 0x2400 /* exit information */
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_IA32_DEBUGCTL 0x2802
#define VMCS_GUEST_IA32_PAT 0x2804
#define VMCS_GUEST_IA32_EFER 0x2806
#define VMCS_GUEST_IA32_PERF_GLOBAL_CTRL 0x2808
#define VMCS_GUEST_PDPTE0 0x280A
#define VMCS_GUEST_PDPTE1 0x280C
#define VMCS_GUEST_PDPTE2 0x280E
#define VMCS_GUEST_PDPTE3 0x2810
#define VMCS_GUEST_IA32_BNDCFGS 0x2812
#define VMCS_GUEST_IA32_PKRS 0x2818
#define VMCS_HOST_IA32_PAT 0x2C00
#define VMCS_HOST_IA32_EFER 0x2C02
#define VMCS_HOST_IA32_PERF_GLOBAL_CTRL 0x2C04
#define VMCS_HOST_IA32_PKRS 0x2C06

/* --- 32-bit fields --- */
#define VMCS_PIN_BASED_VM_EXEC_CONTROL 0x4000
#define VMCS_CPU_BASED_VM_EXEC_CONTROL 0x4002
#define VMCS_EXCEPTION_BITMAP 0x4004
#define VMCS_PAGE_FAULT_ERROR_CODE_MASK 0x4006
#define VMCS_PAGE_FAULT_ERROR_CODE_MATCH 0x4008
#define VMCS_CR3_TARGET_COUNT 0x400A
#define VMCS_VM_EXIT_CONTROLS 0x400C
#define VMCS_VM_EXIT_MSR_STORE_COUNT 0x400E
#define VMCS_VM_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_VM_ENTRY_CONTROLS 0x4012
#define VMCS_VM_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_VM_ENTRY_INTERRUPTION_INFO 0x4016
#define VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define VMCS_VM_ENTRY_INSTRUCTION_LENGTH 0x401A
#define VMCS_TPR_THRESHOLD 0x401C
#define VMCS_SECONDARY_VM_EXEC_CONTROL 0x401E
#define VMCS_PLE_GAP 0x4020
#define VMCS_PLE_WINDOW 0x4022
#define VMCS_VM_INSTRUCTION_ERROR 0x4400 /* exit information */
#define VMCS_EXIT_REASON 0x4402
#define VMCS_VM_EXIT_INTERRUPTION_INFO 0x4404
#define VMCS_VM_EXIT_INTERRUPTION_ERROR_CODE 0x4406
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERROR_CODE 0x440A
#define VMCS_VM_EXIT_INSTRUCTION_LENGTH 0x440C
#define VMCS_VM_EXIT_INSTRUCTION_INFO 0x440E
#define VMCS_GUEST_ES_LIMIT 0x4800
#define VMCS_GUEST_CS_LIMIT 0x4802
#define VMCS_GUEST_SS_LIMIT 0x4804
#define VMCS_GUEST_DS_LIMIT 0x4806
#define VMCS_GUEST_FS_LIMIT 0x4808
#define VMCS_GUEST_GS_LIMIT 0x480A
#define VMCS_GUEST_LDTR_LIMIT 0x480C
#define VMCS_GUEST_TR_LIMIT 0x480E
#define VMCS_GUEST_GDTR_LIMIT 0x4810
#define VMCS_GUEST_IDTR_LIMIT 0x4812
#define VMCS_GUEST_ES_ACCESS_RIGHTS 0x4814
#define VMCS_GUEST_CS_ACCESS_RIGHTS 0x4816
#define VMCS_GUEST_SS_ACCESS_RIGHTS 0x4818
#define VMCS_GUEST_DS_ACCESS_RIGHTS 0x481A
#define VMCS_GUEST_FS_ACCESS_RIGHTS 0x481C
#define VMCS_GUEST_GS_ACCESS_RIGHTS 0x481E
#define VMCS_GUEST_LDTR_ACCESS_RIGHTS 0x4820
#define VMCS_GUEST_TR_ACCESS_RIGHTS 0x4822
#define VMCS_GUEST_INTERRUPTIBILITY_STATE 0x4824
#define VMCS_GUEST_ACTIVITY_STATE 0x4826
#define VMCS_GUEST_SMBASE 0x4828
#define VMCS_GUEST_IA32_SYSENTER_CS 0x482A
#define VMCS_VMX_PREEMPTION_TIMER_VALUE 0x482E
#define VMCS_HOST_IA32_SYSENTER_CS 0x4C00

/* --- natural-width fields --- */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000
#define VMCS_CR4_GUEST_HOST_MASK 0x6002
#define VMCS_CR0_READ_SHADOW 0x6004
#define VMCS_CR4_READ_SHADOW 0x6006
#define VMCS_CR3_TARGET_VALUE0 0x6008
#define VMCS_CR3_TARGET_VALUE1 0x600A
#define VMCS_CR3_TARGET_VALUE2 0x600C
#define VMCS_CR3_TARGET_VALUE3 0x600E
#define VMCS_EXIT_QUALIFICATION 0x6400 /* exit information */
#define VMCS_GUEST_LINEAR_ADDRESS 0x640A
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_ES_BASE 0x6806
#define VMCS_GUEST_CS_BASE 0x6808
#define VMCS_GUEST_SS_BASE 0x680A
#define VMCS_GUEST_DS_BASE 0x680C
#define VMCS_GUEST_FS_BASE 0x680E
#define VMCS_GUEST_GS_BASE 0x6810
#define VMCS_GUEST_LDTR_BASE 0x6812
#define VMCS_GUEST_TR_BASE 0x6814
#define VMCS_GUEST_GDTR_BASE 0x6816
#define VMCS_GUEST_IDTR_BASE 0x6818
#define VMCS_GUEST_DR7 0x681A
#define VMCS_GUEST_RSP 0x681C
#define VMCS_GUEST_RIP 0x681E
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS 0x6822
#define VMCS_GUEST_IA32_SYSENTER_ESP 0x6824
#define VMCS_GUEST_IA32_SYSENTER_EIP 0x6826
#define VMCS_GUEST_IA32_S_CET 0x6828
#define VMCS_GUEST_SSP 0x682A
#define VMCS_GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR 0x682C
#define VMCS_HOST_CR0 0x6C00
#define VMCS_HOST_CR3 0x6C02
#define VMCS_HOST_CR4 0x6C04
#define VMCS_HOST_FS_BASE 0x6C06
#define VMCS_HOST_GS_BASE 0x6C08
#define VMCS_HOST_TR_BASE 0x6C0A
#define VMCS_HOST_GDTR_BASE 0x6C0C
#define VMCS_HOST_IDTR_BASE 0x6C0E
#define VMCS_HOST_IA32_SYSENTER_ESP 0x6C10
#define VMCS_HOST_IA32_SYSENTER_EIP 0x6C12
#define VMCS_HOST_RSP 0x6C14
#define VMCS_HOST_RIP 0x6C16
#define VMCS_HOST_IA32_S_CET 0x6C18
#define VMCS_HOST_SSP 0x6C1A
#define VMCS_HOST_IA32_INTERRUPT_SSP_TABLE_ADDR 0x6C1C

/*
 * Compile-time checks, usable inside an expression: a struct holding a
 * _Static_assert is a C11 struct-declaration, and sizeof evaluates nothing.
 */
#define VMCS_ASSERT(cond, message)                                                                           \
    ((void)sizeof(struct {                                                                                   \
        _Static_assert(cond, message);                                                                       \
        int unused_;                                                                                         \
    }))
/* A 32-bit access is a 32-bit field, or the high half of a 64-bit field (access type 1). */
#define VMCS_IS_32_BIT_ACCESS(field)                                                                         \
    (VMCS_FIELD_WIDTH(field) == VMCS_WIDTH_32 ||                                                             \
     (VMCS_FIELD_WIDTH(field) == VMCS_WIDTH_64 && VMCS_FIELD_ACCESS_HIGH(field)))
#define VMCS_IS_FULL_ACCESS_OF(field, width)                                                                 \
    (VMCS_FIELD_WIDTH(field) == (width) && !VMCS_FIELD_ACCESS_HIGH(field))
#define VMCS_ASSERT_WRITABLE(field, name)                                                                    \
    VMCS_ASSERT(VMCS_FIELD_TYPE(field) != VMCS_TYPE_EXIT_INFO,                                               \
                name " is a read-only VM-exit information field")

#define vmcs_read16(field, value_ptr)                                                                        \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_16), #field " is not a 16-bit field"),             \
     vmcs_read16_unchecked((field), (value_ptr)))
#define vmcs_read32(field, value_ptr)                                                                        \
    (VMCS_ASSERT(VMCS_IS_32_BIT_ACCESS(field), #field " is not a 32-bit field"),                             \
     vmcs_read32_unchecked((field), (value_ptr)))
#define vmcs_read64(field, value_ptr)                                                                        \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_64), #field " is not a 64-bit field"),             \
     vmx_vmread((field), (value_ptr)))
#define vmcs_read_natural(field, value_ptr)                                                                  \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_NATURAL), #field " is not a natural-width field"), \
     vmx_vmread((field), (value_ptr)))

#define vmcs_write16(field, value)                                                                           \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_16), #field " is not a 16-bit field"),             \
     VMCS_ASSERT_WRITABLE(field, #field), vmx_vmwrite((field), (uint16_t)(value)))
#define vmcs_write32(field, value)                                                                           \
    (VMCS_ASSERT(VMCS_IS_32_BIT_ACCESS(field), #field " is not a 32-bit field"),                             \
     VMCS_ASSERT_WRITABLE(field, #field), vmx_vmwrite((field), (uint32_t)(value)))
#define vmcs_write64(field, value)                                                                           \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_64), #field " is not a 64-bit field"),             \
     VMCS_ASSERT_WRITABLE(field, #field), vmx_vmwrite((field), (uint64_t)(value)))
#define vmcs_write_natural(field, value)                                                                     \
    (VMCS_ASSERT(VMCS_IS_FULL_ACCESS_OF(field, VMCS_WIDTH_NATURAL), #field " is not a natural-width field"), \
     VMCS_ASSERT_WRITABLE(field, #field), vmx_vmwrite((field), (uint64_t)(value)))

/* Narrowing reads behind the checked macros: *value is written only on VMsucceed. */
static inline MUST_CHECK struct vmx_outcome vmcs_read16_unchecked(uint64_t field, uint16_t *value)
{
    uint64_t wide = 0;
    struct vmx_outcome outcome = vmx_vmread(field, &wide);
    if (vmx_succeeded(outcome))
        *value = (uint16_t)wide;
    return outcome;
}

static inline MUST_CHECK struct vmx_outcome vmcs_read32_unchecked(uint64_t field, uint32_t *value)
{
    uint64_t wide = 0;
    struct vmx_outcome outcome = vmx_vmread(field, &wide);
    if (vmx_succeeded(outcome))
        *value = (uint32_t)wide;
    return outcome;
}

#endif
