/*
 * What an instruction that faulted on a write-protected MMIO page would
 * have stored: its operand size, the value and its length (so the guest's
 * RIP can move past it once vmxroot has done the store itself). The address
 * is not decoded: the EPT-violation exit gives the guest-physical address
 * (SDM: "Exit Qualification for EPT Violations"). Only the stores guests
 * use for device registers are known: MOV r/m,reg (88, 89), MOV r/m,imm
 * (C6 /0, C7 /0), MOV moffs,AL/eAX (A2, A3) and XCHG r/m,reg (86, 87, the
 * Pentium 11AP workaround). Pure (no hardware access): host-tested and
 * fuzzed (tests/unit/test_mmio_store_decode.c, tests/fuzz/).
 */
#ifndef ARCH_X86_VMX_MMIO_STORE_DECODE_H
#define ARCH_X86_VMX_MMIO_STORE_DECODE_H

#include "arch/x86/vmx/mmio_insn_format.h"

struct mmio_store {
    unsigned size_bytes;      /* 1, 2, 4 or 8 */
    uint64_t value;           /* the stored value, zero-extended from size_bytes */
    unsigned length_bytes;    /* of the whole instruction, prefixes included */
    bool exchange;            /* XCHG: register `source_register` also gets the old value */
    unsigned source_register; /* 0 RAX .. 15 R15 (for a byte store: the full register of AH..BH too) */
    bool high_byte;           /* the source was AH, CH, DH or BH (bits 15:8 of source_register) */
};

/*
 * Decodes the instruction in bytes[0, available_bytes) (fewer than its
 * length: E_RANGE) as a store to memory, reading source registers from
 * gpr[16] (RAX=0 .. R15=15, the order exit qualifications use). 0, or
 * E_INVAL (not a store to memory it knows: named in why), E_NOTSUP (a
 * string store, REP, a LOCK on anything but XCHG), E_RANGE.
 */
MUST_CHECK int mmio_store_decode(const uint8_t *bytes, size_t available_bytes, enum mmio_code_mode mode,
                                 const uint64_t gpr[16], struct mmio_store *out, char *why, size_t why_bytes);

/*
 * An XCHG's source register after it: register (its value before) with the
 * memory's old value in the stored part; a 32-bit operand zero-extends into
 * the whole register, 8- and 16-bit ones leave the rest (SDM: "General-Purpose
 * Registers in 64-Bit Mode").
 */
uint64_t mmio_store_exchange_register(const struct mmio_store *store, uint64_t register_value,
                                      uint64_t old_value);

#endif
