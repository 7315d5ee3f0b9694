// host-sources: arch/x86/vmx/mmio_store_decode.c arch/x86/vmx/mmio_insn_format.c core/lib/format.c
/*
 * The MMIO store decoder against encodings llvm-mc gave for the stores
 * Linux and ACPI code use on device registers (the xAPIC's EOI and ICR, a
 * PM1 control word), each with its length, size and value; then what it
 * refuses: register operands, string stores, other opcodes, short input.
 */
#include "arch/x86/vmx/mmio_store_decode.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

static char why[160];
/* RAX=0x1111..., RCX=..., each register a distinct pattern: reg n is 0x0n0n... with byte 1 = 0xA0+n. */
static uint64_t gpr[16];

static void set_registers(void)
{
    for (unsigned i = 0; i < 16; i++)
        gpr[i] = 0x0101010101010101ull * i + 0x8000000000000000ull + ((uint64_t)(0xA0 + i) << 8) + 0x10 + i;
}

static struct mmio_store decode(const uint8_t *bytes, size_t n, enum mmio_code_mode mode, int expect)
{
    struct mmio_store s;
    set_registers();
    int err = mmio_store_decode(bytes, n, mode, gpr, &s, why, sizeof why);
    CHECK_EQ(err, expect);
    return s;
}

#define DECODE(mode, expect, ...)                                                                            \
    decode((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), mode, expect)

TEST(linux_xapic_writes)
{
    /* movl %edx, 0xffffffffff5fc0b0: SIB without base, disp32 (native_apic_mem_write, inlined). */
    struct mmio_store s = DECODE(MMIO_CODE_64, 0, 0x89, 0x14, 0x25, 0xb0, 0xc0, 0x5f, 0xff);
    CHECK_EQ(s.length_bytes, 7);
    CHECK_EQ(s.size_bytes, 4);
    CHECK_EQ(s.value, gpr[2] & 0xffffffff);
    CHECK_EQ(s.source_register, 2);
    CHECK(!s.exchange);
    s = DECODE(MMIO_CODE_64, 0, 0x89, 0x37); /* movl %esi, (%rdi) */
    CHECK_EQ(s.length_bytes, 2);
    CHECK_EQ(s.value, gpr[6] & 0xffffffff);
    s = DECODE(MMIO_CODE_64, 0, 0x89, 0x87, 0x00, 0x03, 0x00, 0x00); /* movl %eax, 0x300(%rdi) */
    CHECK_EQ(s.length_bytes, 6);
    CHECK_EQ(s.value, gpr[0] & 0xffffffff);
    s = DECODE(MMIO_CODE_64, 0, 0x45, 0x89, 0x44, 0x8c, 0xf8); /* movl %r8d, -8(%r12,%rcx,4) */
    CHECK_EQ(s.length_bytes, 5);
    CHECK_EQ(s.source_register, 8);
    CHECK_EQ(s.value, gpr[8] & 0xffffffff);
    s = DECODE(MMIO_CODE_64, 0, 0x45, 0x89, 0x7d, 0x00); /* movl %r15d, (%r13): mod 01, disp8 0 */
    CHECK_EQ(s.length_bytes, 4);
    CHECK_EQ(s.source_register, 15);
    s = DECODE(MMIO_CODE_64, 0, 0x87, 0x02); /* xchgl %eax, (%rdx): the 11AP workaround */
    CHECK_EQ(s.length_bytes, 2);
    CHECK(s.exchange);
    CHECK_EQ(s.source_register, 0);
}

TEST(sizes_and_immediates)
{
    struct mmio_store s = DECODE(MMIO_CODE_64, 0, 0x48, 0x89, 0x04, 0x24); /* movq %rax, (%rsp) */
    CHECK_EQ(s.length_bytes, 4);
    CHECK_EQ(s.size_bytes, 8);
    CHECK(s.value == gpr[0]);
    s = DECODE(MMIO_CODE_64, 0, 0x66, 0x89, 0x10); /* movw %dx, (%rax): a PM1 control word */
    CHECK_EQ(s.length_bytes, 3);
    CHECK_EQ(s.size_bytes, 2);
    CHECK_EQ(s.value, gpr[2] & 0xffff);
    s = DECODE(MMIO_CODE_64, 0, 0x88, 0x60, 0x01); /* movb %ah, 1(%rax) */
    CHECK_EQ(s.size_bytes, 1);
    CHECK_EQ(s.length_bytes, 3);
    CHECK(s.high_byte);
    CHECK_EQ(s.value, 0xA0);
    s = DECODE(MMIO_CODE_64, 0, 0x40, 0x88, 0x70, 0x01); /* movb %sil, 1(%rax): a REX makes reg 6 SIL */
    CHECK(!s.high_byte);
    CHECK_EQ(s.length_bytes, 4);
    CHECK_EQ(s.value, gpr[6] & 0xff);
    /* movl $0x12345678, 0xb0(%rip) */
    s = DECODE(MMIO_CODE_64, 0, 0xc7, 0x05, 0xb0, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12);
    CHECK_EQ(s.length_bytes, 10);
    CHECK_EQ(s.value, 0x12345678);
    s = DECODE(MMIO_CODE_64, 0, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff,
               0xff); /* movq $-1, (%rax): sign-extended */
    CHECK_EQ(s.length_bytes, 7);
    CHECK(s.value == ~0ull);
    s = DECODE(MMIO_CODE_64, 0, 0xc6, 0x03, 0x5a); /* movb $0x5a, (%rbx) */
    CHECK_EQ(s.value, 0x5a);
    CHECK_EQ(s.length_bytes, 3);
    s = DECODE(MMIO_CODE_64, 0, 0x66, 0xc7, 0x42, 0x04, 0x00, 0x20); /* movw $0x2000, 4(%rdx): SLP_EN */
    CHECK_EQ(s.size_bytes, 2);
    CHECK_EQ(s.value, 0x2000);
    CHECK_EQ(s.length_bytes, 6);
    s = DECODE(MMIO_CODE_64, 0, 0xa3, 0xb0, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00,
               0x00); /* movabs %eax, moffs64 */
    CHECK_EQ(s.length_bytes, 9);
    CHECK_EQ(s.value, gpr[0] & 0xffffffff);
    s = DECODE(MMIO_CODE_64, 0, 0x67, 0x89, 0x03); /* movl %eax, (%ebx) */
    CHECK_EQ(s.length_bytes, 3);
    s = DECODE(MMIO_CODE_64, 0, 0x48, 0x66, 0x89, 0x10); /* a REX before a legacy prefix is ignored: a word */
    CHECK_EQ(s.size_bytes, 2);
    s = DECODE(MMIO_CODE_64, 0, 0x64, 0x89, 0x10); /* fs: override */
    CHECK_EQ(s.length_bytes, 3);
}

TEST(protected_and_real_mode)
{
    struct mmio_store s =
        DECODE(MMIO_CODE_32, 0, 0x89, 0x0d, 0x00, 0x03, 0xe0, 0xfe); /* movl %ecx, 0xfee00300 */
    CHECK_EQ(s.length_bytes, 6);
    CHECK_EQ(s.value, gpr[1] & 0xffffffff);
    s = DECODE(MMIO_CODE_32, 0, 0x67, 0x89, 0x07); /* movl %eax, (%bx) */
    CHECK_EQ(s.length_bytes, 3);
    s = DECODE(MMIO_CODE_32, 0, 0xa3, 0x34, 0x12, 0x00, 0x00); /* movl %eax, 0x1234 */
    CHECK_EQ(s.length_bytes, 5);
    s = DECODE(MMIO_CODE_32, 0, 0x67, 0x66, 0x89, 0x40, 0x10); /* movw %ax, 0x10(%bx,%si) */
    CHECK_EQ(s.length_bytes, 5);
    CHECK_EQ(s.size_bytes, 2);
    s = DECODE(MMIO_CODE_16, 0, 0x89, 0x06, 0x34, 0x12); /* movw %ax, [0x1234]: mod 00 rm 110, disp16 */
    CHECK_EQ(s.length_bytes, 4);
    CHECK_EQ(s.size_bytes, 2);
    s = DECODE(MMIO_CODE_16, 0, 0x66, 0x89, 0x07); /* movl %eax, (%bx) */
    CHECK_EQ(s.size_bytes, 4);
    DECODE(MMIO_CODE_32, E_INVAL, 0x40, 0x89, 0x07); /* 0x40 is INC EAX outside 64-bit mode: not a store */
}

TEST(refused)
{
    DECODE(MMIO_CODE_64, E_INVAL, 0x89, 0xc0); /* movl %eax, %eax */
    CHECK(strstr(why, "register operand") != NULL);
    DECODE(MMIO_CODE_64, E_NOTSUP, 0xf3, 0xab); /* rep stosl */
    DECODE(MMIO_CODE_64, E_NOTSUP, 0xf0, 0x89, 0x07);
    DECODE(MMIO_CODE_64, E_INVAL, 0x8b, 0x07); /* a load */
    CHECK(strstr(why, "0x8b") != NULL);
    DECODE(MMIO_CODE_64, E_INVAL, 0x0f, 0xb1, 0x07); /* cmpxchg */
    DECODE(MMIO_CODE_64, E_INVAL, 0xc7, 0x48, 0x00); /* c7 /1 */
    DECODE(MMIO_CODE_64, E_RANGE, 0x89, 0x14, 0x25, 0xb0, 0xc0);
    DECODE(MMIO_CODE_64, E_RANGE, 0x66, 0x66);
    struct mmio_store s;
    CHECK_EQ(mmio_store_decode((const uint8_t *)"", 0, MMIO_CODE_64, gpr, &s, why, sizeof why), E_RANGE);
    /* Fifteen bytes at most: 14 prefixes and an opcode with a ModR/M do not fit. */
    uint8_t long_one[16] = { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                             0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x07 };
    CHECK_EQ(mmio_store_decode(long_one, sizeof long_one, MMIO_CODE_64, gpr, &s, why, sizeof why), E_RANGE);
    CHECK_EQ(mmio_store_decode(long_one + 1, 15, MMIO_CODE_64, gpr, &s, why, sizeof why), 0);
    CHECK_EQ(s.length_bytes, 15);
}

TEST(exchange_register_after_xchg)
{
    /* xchgl %eax, (%rdx): a 32-bit operand zero-extends the old memory value into RAX. */
    struct mmio_store s = DECODE(MMIO_CODE_64, 0, 0x87, 0x02);
    CHECK(mmio_store_exchange_register(&s, gpr[0], 0xdeadbeefcafef00dull) == 0xcafef00dull);
    s = DECODE(MMIO_CODE_64, 0, 0x66, 0x87, 0x02); /* xchgw %ax, (%rdx): bits 63:16 stay */
    CHECK_EQ(s.size_bytes, 2);
    CHECK(mmio_store_exchange_register(&s, 0x1111222233334444ull, 0xabcd) == 0x111122223333abcdull);
    s = DECODE(MMIO_CODE_64, 0, 0x86, 0x22); /* xchgb %ah, (%rdx): bits 15:8 only */
    CHECK(s.high_byte);
    CHECK(mmio_store_exchange_register(&s, 0x1111222233334444ull, 0x5a) == 0x1111222233335a44ull);
    s = DECODE(MMIO_CODE_64, 0, 0x86, 0x02); /* xchgb %al, (%rdx) */
    CHECK(mmio_store_exchange_register(&s, 0x1111222233334444ull, 0x5a) == 0x111122223333445aull);
    s = DECODE(MMIO_CODE_64, 0, 0x48, 0x87, 0x02); /* xchgq %rax, (%rdx) */
    CHECK(mmio_store_exchange_register(&s, 1, 0xdeadbeefcafef00dull) == 0xdeadbeefcafef00dull);
}
