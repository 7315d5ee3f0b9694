// host-sources: arch/x86/vmx/vmcs_image.c
/*
 * The VMCS image: every listed field is reachable by its encoding, stores
 * what VMWRITE would (truncated to its width; the high access of a 64-bit
 * field is its upper half), has a name, and is visited once by the iterator.
 */
#include "arch/x86/vmx/vmcs_image.h"
#include "tests/unit/check.h"

TEST(vmcs_image_every_field_round_trips_by_encoding)
{
    struct vmcs_image image;
    vmcs_image_clear(&image);
    size_t count = 0;
    for (const struct vmcs_image_field_info *f = vmcs_image_field(0); f; f = vmcs_image_field(++count)) {
        uint64_t value = 0;
        CHECK(!vmcs_image_is_set(&image, f->encoding));
        CHECK(vmcs_image_set(&image, f->encoding, 0x8877665544332211ull + count));
        CHECK(vmcs_image_is_set(&image, f->encoding));
        CHECK(vmcs_image_get(&image, f->encoding, &value));
        uint64_t expect = 0x8877665544332211ull + count;
        if (VMCS_FIELD_WIDTH(f->encoding) == VMCS_WIDTH_16)
            expect &= 0xffff;
        else if (VMCS_FIELD_WIDTH(f->encoding) == VMCS_WIDTH_32)
            expect &= 0xffffffff;
        CHECK_EQ(value, expect);
        /* The member the table names holds it. */
        CHECK_EQ(*(const uint64_t *)((const char *)&image + f->offset), expect);
        CHECK_EQ(vmcs_image_index_of(f->encoding), (long long)count);
        CHECK_STR(vmcs_field_name(f->encoding), f->name);
    }
    CHECK_EQ(count, VMCS_IMAGE_FIELD_COUNT);
    CHECK(vmcs_image_field(VMCS_IMAGE_FIELD_COUNT) == NULL);
}

TEST(vmcs_image_encodings_are_unique_and_in_appendix_order)
{
    /* Encoding order is the appendix's: width (16, 64, 32, natural: bits 14:13), then type, then index. */
    for (size_t i = 1; i < VMCS_IMAGE_FIELD_COUNT; i++) {
        uint32_t a = vmcs_image_field(i - 1)->encoding, b = vmcs_image_field(i)->encoding;
        if (a >= b)
            printf("  %s (0x%04x) before %s (0x%04x)\n", vmcs_image_field(i - 1)->name, a,
                   vmcs_image_field(i)->name, b);
        CHECK(a < b);
    }
}

TEST(vmcs_image_members_are_the_named_fields)
{
    struct vmcs_image image;
    vmcs_image_clear(&image);
    CHECK(vmcs_image_set(&image, VMCS_GUEST_CR0, 0x80000031));
    CHECK_EQ(image.guest_cr0, 0x80000031);
    image.host_rip = 0xffff800000101000ull;
    CHECK(!vmcs_image_is_set(&image, VMCS_HOST_RIP));
    CHECK(vmcs_image_mark(&image, VMCS_HOST_RIP));
    CHECK(vmcs_image_is_set(&image, VMCS_HOST_RIP));
    uint64_t value = 0;
    CHECK(vmcs_image_get(&image, VMCS_HOST_RIP, &value));
    CHECK_EQ(value, 0xffff800000101000ull);
    CHECK_STR(vmcs_field_name(VMCS_GUEST_CR0), "GUEST_CR0");
    CHECK_STR(vmcs_field_name(VMCS_LINK_POINTER), "LINK_POINTER");
    CHECK_STR(vmcs_field_name(VMCS_VM_ENTRY_CONTROLS), "VM_ENTRY_CONTROLS");
}

TEST(vmcs_image_truncates_to_the_field_width_as_vmwrite_does)
{
    struct vmcs_image image;
    vmcs_image_clear(&image);
    CHECK(vmcs_image_set(&image, VMCS_GUEST_CS_SELECTOR, 0x12345678));
    CHECK_EQ(image.guest_cs_selector, 0x5678);
    CHECK(vmcs_image_set(&image, VMCS_GUEST_CS_LIMIT, 0x1ffffffffull));
    CHECK_EQ(image.guest_cs_limit, 0xffffffff);
    CHECK(vmcs_image_set(&image, VMCS_GUEST_RIP, ~0ull));
    CHECK_EQ(image.guest_rip, ~0ull);
}

TEST(vmcs_image_high_access_is_the_upper_half_of_a_64_bit_field)
{
    struct vmcs_image image;
    vmcs_image_clear(&image);
    CHECK(vmcs_image_set(&image, VMCS_GUEST_IA32_EFER, 0x0000000100000d01ull));
    CHECK(vmcs_image_set(&image, VMCS_GUEST_IA32_EFER + 1, 0xaabbccdd11223344ull));
    CHECK_EQ(image.guest_ia32_efer, 0x1122334400000d01ull);
    uint64_t high = 0;
    CHECK(vmcs_image_get(&image, VMCS_GUEST_IA32_EFER + 1, &high));
    CHECK_EQ(high, 0x11223344);
    CHECK_STR(vmcs_field_name(VMCS_GUEST_IA32_EFER + 1), "GUEST_IA32_EFER_HIGH");
    CHECK(vmcs_image_is_set(&image, VMCS_GUEST_IA32_EFER + 1));
    /* Only 64-bit fields have a high access. */
    CHECK(!vmcs_image_set(&image, VMCS_GUEST_CR0 + 1, 1));
    CHECK(vmcs_field_name(VMCS_GUEST_CR0 + 1) == NULL);
}

TEST(vmcs_image_refuses_encodings_not_in_the_list)
{
    struct vmcs_image image;
    vmcs_image_clear(&image);
    uint64_t value = 0x5a5a;
    CHECK(!vmcs_image_get(&image, VMCS_EXIT_REASON, &value)); /* exit information: read, never built */
    CHECK_EQ(value, 0x5a5a);
    CHECK(!vmcs_image_set(&image, VMCS_VM_INSTRUCTION_ERROR, 1));
    CHECK(!vmcs_image_set(&image, 0xffffffffu, 1));
    CHECK(!vmcs_image_mark(&image, 0x1234));
    CHECK(!vmcs_image_is_set(&image, 0x1234));
    CHECK(vmcs_field_name(0x7fff) == NULL);
    CHECK_EQ(vmcs_image_index_of(VMCS_EXIT_QUALIFICATION), -1);
    /* Nothing was marked by the refused calls. */
    for (size_t i = 0; i < VMCS_IMAGE_FIELD_COUNT; i++)
        CHECK(!vmcs_image_is_set(&image, vmcs_image_field(i)->encoding));
}
