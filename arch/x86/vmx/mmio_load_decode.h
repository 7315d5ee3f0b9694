/*
 * What an instruction that faulted on a not-present MMIO page would have
 * loaded: how many bytes it reads, into which register, how the register
 * takes them, and the instruction's length (so the guest's RIP can move
 * past it once vmxroot has done the load itself). The beside-piece of the
 * store decoder (mmio_store_decode.h); the address comes from the
 * EPT-violation exit. Only the loads guests use on device registers are
 * known: MOV reg,r/m (8A, 8B), MOV AL/eAX,moffs (A0, A1), MOVZX (0F B6,
 * 0F B7) and MOVSX (0F BE, 0F BF). Pure (no hardware access): host-tested
 * and fuzzed (tests/unit/test_mmio_load_decode.c, tests/fuzz/).
 */
#ifndef ARCH_X86_VMX_MMIO_LOAD_DECODE_H
#define ARCH_X86_VMX_MMIO_LOAD_DECODE_H

#include "arch/x86/vmx/mmio_insn_format.h"

struct mmio_load {
    unsigned size_bytes;      /* read from memory: 1, 2, 4 or 8 */
    unsigned length_bytes;    /* of the whole instruction, prefixes included */
    unsigned dest_register;   /* 0 RAX .. 15 R15 (for AH..BH: the full register) */
    bool high_byte;           /* the destination is AH, CH, DH or BH (bits 15:8 of dest_register) */
    unsigned dest_size_bytes; /* the width the instruction writes: 1, 2, 4 or 8 */
    bool sign_extend;         /* MOVSX: the loaded value sign-extended to dest_size_bytes (else zero) */
};

/*
 * Decodes the instruction in bytes[0, available_bytes) (fewer than its
 * length: E_RANGE) as a load from memory. 0, or E_INVAL (not a load it
 * knows: named in why), E_NOTSUP (REP or LOCK), E_RANGE.
 */
MUST_CHECK int mmio_load_decode(const uint8_t *bytes, size_t available_bytes, enum mmio_code_mode mode,
                                struct mmio_load *out, char *why, size_t why_bytes);

/*
 * The destination register after the load of `loaded` (its low size_bytes
 * count): extended to dest_size_bytes, then written as the SDM's
 * "General-Purpose Registers in 64-Bit Mode" says: a 32-bit write
 * zero-extends into the whole register, 8- and 16-bit writes (AH..BH into
 * bits 15:8) leave the rest.
 */
uint64_t mmio_load_register_value(const struct mmio_load *load, uint64_t register_before, uint64_t loaded);

#endif
