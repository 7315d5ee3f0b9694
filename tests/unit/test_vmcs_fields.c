// host-sources: arch/x86/vmx/vmx_error.c core/lib/format.c
/*
 * VMCS field encodings decode to the width and type their names promise
 * (SDM appendix "Field Encoding in VMCS"), and the checked accessors pass
 * values through a fake VMREAD/VMWRITE, narrowing reads to the field's width.
 * A wrong-width or read-only use must fail to compile: tests/compile_fail/
 * holds one snippet per misuse, and `make compile-fail` checks each is refused.
 */
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_error.h"
#include "tests/unit/check.h"

/* The fake instruction layer: one flat store indexed by encoding. */
static uint64_t fake_store[0x8000];
static uint64_t last_written_field;

struct vmx_outcome vmx_vmread(uint64_t field, uint64_t *value)
{
    if (field >= 0x8000)
        return vmx_outcome_fail_valid(VMX_ERROR_UNSUPPORTED_COMPONENT);
    *value = fake_store[field];
    return vmx_outcome_succeed();
}

struct vmx_outcome vmx_vmwrite(uint64_t field, uint64_t value)
{
    if (field >= 0x8000)
        return vmx_outcome_fail_valid(VMX_ERROR_UNSUPPORTED_COMPONENT);
    last_written_field = field;
    fake_store[field] = value;
    return vmx_outcome_succeed();
}

struct field_case {
    const char *name;
    uint32_t encoding;
    unsigned width, type;
};

#define FIELD(name, width, type)                                                                             \
    {                                                                                                        \
#name, VMCS_##name, VMCS_WIDTH_##width, VMCS_TYPE_##type                                             \
    }

static const struct field_case fields[] = {
    FIELD(VPID, 16, CONTROL),
    FIELD(GUEST_ES_SELECTOR, 16, GUEST),
    FIELD(GUEST_TR_SELECTOR, 16, GUEST),
    FIELD(HOST_CS_SELECTOR, 16, HOST),
    FIELD(HOST_TR_SELECTOR, 16, HOST),
    FIELD(IO_BITMAP_A, 64, CONTROL),
    FIELD(MSR_BITMAP, 64, CONTROL),
    FIELD(EPT_POINTER, 64, CONTROL),
    FIELD(GUEST_PHYSICAL_ADDRESS, 64, EXIT_INFO),
    FIELD(LINK_POINTER, 64, GUEST),
    FIELD(GUEST_IA32_EFER, 64, GUEST),
    FIELD(HOST_IA32_EFER, 64, HOST),
    FIELD(HOST_IA32_PAT, 64, HOST),
    FIELD(PIN_BASED_VM_EXEC_CONTROL, 32, CONTROL),
    FIELD(CPU_BASED_VM_EXEC_CONTROL, 32, CONTROL),
    FIELD(SECONDARY_VM_EXEC_CONTROL, 32, CONTROL),
    FIELD(VM_EXIT_CONTROLS, 32, CONTROL),
    FIELD(VM_ENTRY_CONTROLS, 32, CONTROL),
    FIELD(EXCEPTION_BITMAP, 32, CONTROL),
    FIELD(VM_INSTRUCTION_ERROR, 32, EXIT_INFO),
    FIELD(EXIT_REASON, 32, EXIT_INFO),
    FIELD(VM_EXIT_INSTRUCTION_INFO, 32, EXIT_INFO),
    FIELD(GUEST_ES_LIMIT, 32, GUEST),
    FIELD(GUEST_TR_ACCESS_RIGHTS, 32, GUEST),
    FIELD(GUEST_ACTIVITY_STATE, 32, GUEST),
    FIELD(VMX_PREEMPTION_TIMER_VALUE, 32, GUEST),
    FIELD(HOST_IA32_SYSENTER_CS, 32, HOST),
    FIELD(CR0_GUEST_HOST_MASK, NATURAL, CONTROL),
    FIELD(CR4_READ_SHADOW, NATURAL, CONTROL),
    FIELD(EXIT_QUALIFICATION, NATURAL, EXIT_INFO),
    FIELD(GUEST_LINEAR_ADDRESS, NATURAL, EXIT_INFO),
    FIELD(GUEST_CR0, NATURAL, GUEST),
    FIELD(GUEST_CR3, NATURAL, GUEST),
    FIELD(GUEST_CR4, NATURAL, GUEST),
    FIELD(GUEST_RSP, NATURAL, GUEST),
    FIELD(GUEST_RIP, NATURAL, GUEST),
    FIELD(GUEST_RFLAGS, NATURAL, GUEST),
    FIELD(HOST_CR0, NATURAL, HOST),
    FIELD(HOST_CR3, NATURAL, HOST),
    FIELD(HOST_CR4, NATURAL, HOST),
    FIELD(HOST_RSP, NATURAL, HOST),
    FIELD(HOST_RIP, NATURAL, HOST),
    FIELD(HOST_GS_BASE, NATURAL, HOST),
};

TEST(vmcs_field_encodings_decode_to_their_width_and_type)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct field_case *f = &fields[i];
        if (VMCS_FIELD_WIDTH(f->encoding) != f->width || VMCS_FIELD_TYPE(f->encoding) != f->type ||
            VMCS_FIELD_ACCESS_HIGH(f->encoding) != 0 || (f->encoding & 0x1000) != 0)
            printf("  field %s 0x%04x decodes wrongly\n", f->name, f->encoding);
        CHECK_EQ(VMCS_FIELD_WIDTH(f->encoding), f->width);
        CHECK_EQ(VMCS_FIELD_TYPE(f->encoding), f->type);
        CHECK_EQ(VMCS_FIELD_ACCESS_HIGH(f->encoding), 0);
        CHECK_EQ(f->encoding & 0x1000, 0); /* bit 12 is reserved */
    }
    CHECK_EQ(VMCS_VM_INSTRUCTION_ERROR, 0x4400);
    CHECK_EQ(VMCS_LINK_POINTER, 0x2800);
    CHECK_EQ(VMCS_GUEST_ES_SELECTOR, 0x0800);
    CHECK_EQ(VMCS_VPID, 0x0000);
    CHECK_EQ(VMCS_CPU_BASED_VM_EXEC_CONTROL, 0x4002);
    CHECK_EQ(VMCS_FIELD_INDEX(VMCS_GUEST_RIP), 0xF);
}

TEST(vmcs_checked_accessors_narrow_and_pass_through)
{
    fake_store[VMCS_GUEST_CS_SELECTOR] = 0x12345678;
    uint16_t selector = 0;
    CHECK(vmx_succeeded(vmcs_read16(VMCS_GUEST_CS_SELECTOR, &selector)));
    CHECK_EQ(selector, 0x5678);

    fake_store[VMCS_EXIT_REASON] = 0xaaaabbbbccccddddull;
    uint32_t reason = 0;
    CHECK(vmx_succeeded(vmcs_read32(VMCS_EXIT_REASON, &reason)));
    CHECK_EQ(reason, 0xccccdddd);

    /* The high half of a 64-bit field is a 32-bit access (access type 1). */
    uint32_t high = 0;
    fake_store[VMCS_LINK_POINTER + 1] = 0xffffffff;
    CHECK(vmx_succeeded(vmcs_read32(VMCS_LINK_POINTER + 1, &high)));
    CHECK_EQ(high, 0xffffffff);

    uint64_t rip = 0;
    CHECK(vmx_succeeded(vmcs_write_natural(VMCS_GUEST_RIP, 0xffffffff81000000ull)));
    CHECK_EQ(last_written_field, VMCS_GUEST_RIP);
    CHECK(vmx_succeeded(vmcs_read_natural(VMCS_GUEST_RIP, &rip)));
    CHECK_EQ(rip, 0xffffffff81000000ull);

    CHECK(vmx_succeeded(vmcs_write64(VMCS_LINK_POINTER, ~0ull)));
    uint64_t link = 0;
    CHECK(vmx_succeeded(vmcs_read64(VMCS_LINK_POINTER, &link)));
    CHECK_EQ(link, ~0ull);

    CHECK(vmx_succeeded(vmcs_write16(VMCS_VPID, 0x10001)));
    CHECK_EQ(fake_store[VMCS_VPID], 1); /* truncated to the field's width before VMWRITE */
    CHECK(vmx_succeeded(vmcs_write32(VMCS_CPU_BASED_VM_EXEC_CONTROL, 0x84006172u)));
    CHECK_EQ(fake_store[VMCS_CPU_BASED_VM_EXEC_CONTROL], 0x84006172u);
}

TEST(vmcs_failed_read_leaves_the_value_alone)
{
    uint16_t value = 0xbeef;
    struct vmx_outcome o = vmcs_read16_unchecked(0x9000, &value);
    CHECK_EQ(o.result, VMX_FAIL_VALID);
    CHECK_EQ(o.error, VMX_ERROR_UNSUPPORTED_COMPONENT);
    CHECK_EQ(value, 0xbeef);
}
