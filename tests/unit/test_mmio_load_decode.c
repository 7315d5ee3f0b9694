// host-sources: arch/x86/vmx/mmio_load_decode.c arch/x86/vmx/mmio_insn_format.c core/lib/format.c
/*
 * The MMIO load decoder against encodings llvm-mc gave for the loads
 * kvm-unit-tests and Linux use on the xAPIC page (xapic_read, xapic_id's
 * movabs, verify_disabled_apic_mmio's), each with its length, sizes and
 * destination; the register each one leaves; then what it refuses.
 */
#include "arch/x86/vmx/mmio_load_decode.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

static char why[160];

static struct mmio_load decode(const uint8_t *bytes, size_t n, enum mmio_code_mode mode, int expect)
{
    struct mmio_load l;
    int err = mmio_load_decode(bytes, n, mode, &l, why, sizeof why);
    CHECK_EQ(err, expect);
    return l;
}

#define DECODE(mode, expect, ...)                                                                            \
    decode((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), mode, expect)

TEST(kvm_unit_tests_xapic_reads)
{
    struct mmio_load l = DECODE(MMIO_CODE_64, 0, 0x8b, 0x10); /* movl (%rax), %edx */
    CHECK_EQ(l.length_bytes, 2);
    CHECK_EQ(l.size_bytes, 4);
    CHECK_EQ(l.dest_size_bytes, 4);
    CHECK_EQ(l.dest_register, 2);
    CHECK(!l.sign_extend && !l.high_byte);
    l = DECODE(MMIO_CODE_64, 0, 0x41, 0x8b, 0x4d, 0x00); /* movl 0(%r13), %ecx */
    CHECK_EQ(l.length_bytes, 4);
    CHECK_EQ(l.dest_register, 1);
    /* movabs 0xfee00020, %eax (xapic_id): A1 with a 64-bit offset */
    l = DECODE(MMIO_CODE_64, 0, 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00);
    CHECK_EQ(l.length_bytes, 9);
    CHECK_EQ(l.size_bytes, 4);
    CHECK_EQ(l.dest_register, 0);
    l = DECODE(MMIO_CODE_64, 0, 0x48, 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00); /* movabsq */
    CHECK_EQ(l.length_bytes, 10);
    CHECK_EQ(l.size_bytes, 8);
    l = DECODE(MMIO_CODE_64, 0, 0xa0, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00); /* movabsb, %al */
    CHECK_EQ(l.size_bytes, 1);
    CHECK(!l.high_byte);
    l = DECODE(MMIO_CODE_64, 0, 0x8b, 0x04, 0x25, 0x30, 0x00, 0xe0,
               0xfe); /* movl 0xfee00030, %eax: SIB, disp32 */
    CHECK_EQ(l.length_bytes, 7);
    l = DECODE(MMIO_CODE_64, 0, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00); /* movl 16(%rip), %eax */
    CHECK_EQ(l.length_bytes, 6);
    l = DECODE(MMIO_CODE_64, 0, 0x45, 0x8b, 0x44, 0x8c, 0xf8); /* movl -8(%r12,%rcx,4), %r8d */
    CHECK_EQ(l.length_bytes, 5);
    CHECK_EQ(l.dest_register, 8);
}

TEST(sizes_and_extensions)
{
    struct mmio_load l = DECODE(MMIO_CODE_64, 0, 0x48, 0x8b, 0x1e); /* movq (%rsi), %rbx */
    CHECK_EQ(l.size_bytes, 8);
    CHECK_EQ(l.dest_register, 3);
    l = DECODE(MMIO_CODE_64, 0, 0x8a, 0x3a); /* movb (%rdx), %bh */
    CHECK(l.high_byte);
    CHECK_EQ(l.dest_register, 3);
    CHECK_EQ(l.size_bytes, 1);
    l = DECODE(MMIO_CODE_64, 0, 0x40, 0x8a, 0x32); /* movb (%rdx), %sil: a REX makes reg 6 SIL */
    CHECK(!l.high_byte);
    CHECK_EQ(l.dest_register, 6);
    l = DECODE(MMIO_CODE_64, 0, 0x66, 0x8b, 0x0b); /* movw (%rbx), %cx */
    CHECK_EQ(l.size_bytes, 2);
    CHECK_EQ(l.dest_size_bytes, 2);
    l = DECODE(MMIO_CODE_64, 0, 0x0f, 0xb6, 0x50, 0x30); /* movzbl 48(%rax), %edx */
    CHECK_EQ(l.length_bytes, 4);
    CHECK_EQ(l.size_bytes, 1);
    CHECK_EQ(l.dest_size_bytes, 4);
    CHECK(!l.sign_extend);
    l = DECODE(MMIO_CODE_64, 0, 0x4c, 0x0f, 0xb7, 0x50, 0x30); /* movzwq 48(%rax), %r10 */
    CHECK_EQ(l.length_bytes, 5);
    CHECK_EQ(l.size_bytes, 2);
    CHECK_EQ(l.dest_size_bytes, 8);
    CHECK_EQ(l.dest_register, 10);
    l = DECODE(MMIO_CODE_64, 0, 0x0f, 0xbe, 0x08); /* movsbl (%rax), %ecx */
    CHECK(l.sign_extend);
    CHECK_EQ(l.size_bytes, 1);
    l = DECODE(MMIO_CODE_64, 0, 0x0f, 0xbf, 0x08); /* movswl (%rax), %ecx */
    CHECK_EQ(l.size_bytes, 2);
    l = DECODE(MMIO_CODE_64, 0, 0x66, 0x0f, 0xbe, 0x08); /* movsbw (%rax), %cx */
    CHECK_EQ(l.dest_size_bytes, 2);
}

TEST(protected_and_real_mode)
{
    struct mmio_load l = DECODE(MMIO_CODE_32, 0, 0xa1, 0x30, 0x00, 0xe0, 0xfe); /* movl 0xfee00030, %eax */
    CHECK_EQ(l.length_bytes, 5);
    CHECK_EQ(l.size_bytes, 4);
    l = DECODE(MMIO_CODE_32, 0, 0x0f, 0xb6, 0x06); /* movzbl (%esi), %eax */
    CHECK_EQ(l.length_bytes, 3);
    l = DECODE(MMIO_CODE_16, 0, 0x8b, 0x07); /* mov ax, [bx] */
    CHECK_EQ(l.size_bytes, 2);
    CHECK_EQ(l.length_bytes, 2);
    l = DECODE(MMIO_CODE_16, 0, 0x8b, 0x06, 0x30, 0x00); /* mov ax, [0x0030]: mod 00 rm 110, disp16 */
    CHECK_EQ(l.length_bytes, 4);
    l = DECODE(MMIO_CODE_16, 0, 0x66, 0x8b, 0x07); /* mov eax, [bx] */
    CHECK_EQ(l.size_bytes, 4);
    DECODE(MMIO_CODE_32, E_INVAL, 0x40, 0x8b, 0x07); /* 0x40 is INC EAX outside 64-bit mode */
}

TEST(register_values)
{
    struct mmio_load l = { .size_bytes = 4, .dest_size_bytes = 4, .length_bytes = 2 };
    CHECK(mmio_load_register_value(&l, ~0ull, 0x50014) == 0x50014); /* a 32-bit write zero-extends */
    l = (struct mmio_load){ .size_bytes = 8, .dest_size_bytes = 8 };
    CHECK(mmio_load_register_value(&l, 0, 0x8877665544332211ull) == 0x8877665544332211ull);
    l = (struct mmio_load){ .size_bytes = 2, .dest_size_bytes = 2 };
    CHECK(mmio_load_register_value(&l, 0x1111222233334444ull, 0xabcdef) == 0x111122223333cdefull);
    l = (struct mmio_load){ .size_bytes = 1, .dest_size_bytes = 1, .high_byte = true };
    CHECK(mmio_load_register_value(&l, 0x1111222233334444ull, 0x5a) == 0x1111222233335a44ull);
    l = (struct mmio_load){ .size_bytes = 1, .dest_size_bytes = 1 };
    CHECK(mmio_load_register_value(&l, 0x1111222233334444ull, 0x5a) == 0x111122223333445aull);
    l = (struct mmio_load){ .size_bytes = 1, .dest_size_bytes = 4, .sign_extend = true };
    CHECK(mmio_load_register_value(&l, ~0ull, 0x80) == 0xffffff80ull);
    l = (struct mmio_load){ .size_bytes = 2, .dest_size_bytes = 8, .sign_extend = true };
    CHECK(mmio_load_register_value(&l, 0, 0x8000) == 0xffffffffffff8000ull);
    l = (struct mmio_load){ .size_bytes = 2, .dest_size_bytes = 8 };
    CHECK(mmio_load_register_value(&l, ~0ull, 0x8000) == 0x8000);
    l = (struct mmio_load){ .size_bytes = 1, .dest_size_bytes = 2, .sign_extend = true };
    CHECK(mmio_load_register_value(&l, 0x1234567800000000ull, 0xff) == 0x123456780000ffffull);
}

TEST(refused)
{
    DECODE(MMIO_CODE_64, E_INVAL, 0x8b, 0xc0); /* movl %eax, %eax */
    CHECK(strstr(why, "register operand") != NULL);
    DECODE(MMIO_CODE_64, E_NOTSUP, 0xf3, 0xad); /* rep lodsl */
    DECODE(MMIO_CODE_64, E_NOTSUP, 0xf0, 0x8b, 0x07);
    DECODE(MMIO_CODE_64, E_INVAL, 0x89, 0x07); /* a store */
    CHECK(strstr(why, "0x89") != NULL);
    DECODE(MMIO_CODE_64, E_INVAL, 0x83, 0x38, 0xff); /* cmpl $-1, (%rax) */
    DECODE(MMIO_CODE_64, E_INVAL, 0x0f, 0xb1, 0x07); /* cmpxchg */
    CHECK(strstr(why, "0x0f 0xb1") != NULL);
    DECODE(MMIO_CODE_64, E_RANGE, 0x8b, 0x04, 0x25, 0x30, 0x00);
    DECODE(MMIO_CODE_64, E_RANGE, 0x0f);
    DECODE(MMIO_CODE_64, E_RANGE, 0x66, 0x66);
    DECODE(MMIO_CODE_64, E_RANGE, 0xa1, 0x20, 0x00, 0xe0, 0xfe);
    /* 15 prefixes and then the opcode: past the architectural limit */
    DECODE(MMIO_CODE_64, E_RANGE, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
           0x66, 0x66, 0x66, 0x8b, 0x07);
}
