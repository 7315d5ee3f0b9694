/*
 * The parts of an x86 instruction's format the MMIO decoders share (the
 * store decoder, mmio_store_decode.h, and the load decoder,
 * mmio_load_decode.h): the code segment's default sizes, a bounded cursor
 * over the fetched bytes, the prefixes, the operand and address sizes they
 * give, and the length of a ModR/M memory operand (SDM: "Instruction
 * Format", "Operand-Size and Address-Size Attributes", "32-Bit Addressing
 * Forms with the ModR/M Byte", "16-Bit Addressing Forms with the ModR/M
 * Byte"). Pure (no hardware access).
 */
#ifndef ARCH_X86_VMX_MMIO_INSN_FORMAT_H
#define ARCH_X86_VMX_MMIO_INSN_FORMAT_H

#include "core/lib/compiler.h"

/* The default operand and address size of the code segment (CS.L, CS.D; SDM: "Operand-Size and Address-Size Attributes"). */
enum mmio_code_mode { MMIO_CODE_16 = 0, MMIO_CODE_32, MMIO_CODE_64 };

/* SDM: "General Instruction Format": no instruction is longer. */
#define MMIO_INSTRUCTION_MAX_BYTES 15

struct mmio_cursor {
    const uint8_t *bytes;
    size_t available;
    size_t at;
};

struct mmio_prefixes {
    bool operand_size; /* 66 */
    bool address_size; /* 67 */
    bool lock;         /* F0 */
    bool repeat;       /* F2, F3 */
    uint8_t rex;       /* 0 without one */
};

/* count bytes little-endian into *value; false past the input or the 15-byte limit. */
MUST_CHECK bool mmio_cursor_take(struct mmio_cursor *c, size_t count, uint64_t *value);
/* Legacy prefixes in any order, then (64-bit mode) one REX; the cursor is left at the opcode. */
MUST_CHECK bool mmio_read_prefixes(struct mmio_cursor *c, enum mmio_code_mode mode, struct mmio_prefixes *p);
unsigned mmio_operand_bytes(enum mmio_code_mode mode, const struct mmio_prefixes *p);
unsigned mmio_address_bytes(enum mmio_code_mode mode, const struct mmio_prefixes *p);
/* Past the SIB and displacement of a memory operand: 0; E_INVAL for a register operand (mod 3); E_RANGE cut off. */
MUST_CHECK int mmio_skip_memory_operand(struct mmio_cursor *c, uint8_t modrm, unsigned address_size_bytes);
/* value cut to size_bytes (1, 2, 4 or 8). */
uint64_t mmio_truncate(uint64_t value, unsigned size_bytes);

#endif
