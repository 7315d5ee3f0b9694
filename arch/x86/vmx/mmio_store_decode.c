/*
 * The store decoder (mmio_store_decode.h): prefixes, REX, the opcode, the
 * ModR/M addressing form only as far as its length (SDM: "Instruction
 * Format", "32-Bit Addressing Forms with the ModR/M Byte", "16-Bit
 * Addressing Forms with the ModR/M Byte"), then the immediate or register
 * that is stored.
 */
#include "arch/x86/vmx/mmio_store_decode.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

struct cursor {
    const uint8_t *bytes;
    size_t available;
    size_t at;
};

static bool take(struct cursor *c, size_t count, uint64_t *value)
{
    if (c->at + count > c->available || c->at + count > MMIO_INSTRUCTION_MAX_BYTES)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < count; i++)
        v |= (uint64_t)c->bytes[c->at + i] << (8 * i);
    c->at += count;
    *value = v;
    return true;
}

struct prefixes {
    bool operand_size; /* 66 */
    bool address_size; /* 67 */
    bool lock;         /* F0 */
    bool repeat;       /* F2, F3 */
    uint8_t rex;       /* 0 without one */
};

static bool is_legacy_prefix(uint8_t b)
{
    return b == 0x66 || b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E ||
           b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
}

/* Legacy prefixes in any order, then (64-bit mode) one REX, which counts only right before the opcode. */
static bool read_prefixes(struct cursor *c, enum mmio_code_mode mode, struct prefixes *p)
{
    uint64_t b;
    for (;;) {
        if (!take(c, 1, &b))
            return false;
        if (is_legacy_prefix((uint8_t)b)) {
            p->operand_size |= b == 0x66;
            p->address_size |= b == 0x67;
            p->lock |= b == 0xF0;
            p->repeat |= b == 0xF2 || b == 0xF3;
            p->rex = 0; /* SDM: a REX followed by a legacy prefix is ignored */
            continue;
        }
        if (mode == MMIO_CODE_64 && (b & 0xF0) == 0x40) {
            p->rex = (uint8_t)b;
            continue;
        }
        c->at--; /* the opcode */
        return true;
    }
}

static unsigned operand_bytes(enum mmio_code_mode mode, const struct prefixes *p)
{
    if (mode == MMIO_CODE_64 && (p->rex & 0x08))
        return 8;
    bool wide = mode != MMIO_CODE_16;
    return p->operand_size ? (wide ? 2 : 4) : (wide ? 4 : 2);
}

static unsigned address_bytes(enum mmio_code_mode mode, const struct prefixes *p)
{
    if (mode == MMIO_CODE_64)
        return p->address_size ? 4 : 8;
    bool wide = mode == MMIO_CODE_32;
    return p->address_size ? (wide ? 2 : 4) : (wide ? 4 : 2);
}

/* Past the SIB and displacement of a memory operand; false for a register operand (mod 3) or too few bytes. */
static int skip_memory_operand(struct cursor *c, uint8_t modrm, unsigned address_size_bytes)
{
    unsigned mod = modrm >> 6, rm = modrm & 7;
    uint64_t ignored;
    if (mod == 3)
        return E_INVAL;
    size_t displacement;
    if (address_size_bytes == 2) {
        displacement = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
    } else {
        if (rm == 4) {
            if (!take(c, 1, &ignored))
                return E_RANGE;
            if (mod == 0 && (ignored & 7) == 5) /* SIB base 101 with mod 00: disp32, no base */
                mod = 2;
        }
        displacement = mod == 1                            ? 1
                       : mod == 2 || (mod == 0 && rm == 5) ? 4
                                                           : 0; /* rm 101, mod 00: RIP/disp32 */
    }
    return displacement && !take(c, displacement, &ignored) ? E_RANGE : 0;
}

static uint64_t truncate(uint64_t value, unsigned size_bytes)
{
    return size_bytes == 8 ? value : value & ((1ull << (8 * size_bytes)) - 1);
}

/* The register a ModR/M reg field (or AL/eAX) names, as the store sees it. */
static void source_from_register(struct mmio_store *out, const struct prefixes *p, unsigned reg,
                                 const uint64_t gpr[16])
{
    unsigned number = reg | ((p->rex & 0x04) ? 8u : 0u);
    if (out->size_bytes == 1 && !p->rex && reg >= 4) { /* AH, CH, DH, BH without a REX */
        out->source_register = reg - 4;
        out->high_byte = true;
        out->value = (gpr[reg - 4] >> 8) & 0xff;
        return;
    }
    out->source_register = number;
    out->value = truncate(gpr[number], out->size_bytes);
}

int mmio_store_decode(const uint8_t *bytes, size_t available_bytes, enum mmio_code_mode mode,
                      const uint64_t gpr[16], struct mmio_store *out, char *why, size_t why_bytes)
{
    struct cursor c = { bytes, available_bytes, 0 };
    struct prefixes p = { 0 };
    uint64_t opcode, modrm = 0, immediate;
    *out = (struct mmio_store){ 0 };
    if (!read_prefixes(&c, mode, &p) || !take(&c, 1, &opcode)) {
        format(why, why_bytes, "the instruction is cut off after %zu bytes", c.at);
        return E_RANGE;
    }
    bool byte_op = opcode == 0x88 || opcode == 0x86 || opcode == 0xC6 || opcode == 0xA2;
    out->size_bytes = byte_op ? 1 : operand_bytes(mode, &p);
    if (p.repeat) {
        format(why, why_bytes, "a REP-prefixed opcode 0x%02lx: string stores are not decoded", opcode);
        return E_NOTSUP;
    }
    if (p.lock && opcode != 0x86 && opcode != 0x87) {
        format(why, why_bytes, "a LOCK-prefixed opcode 0x%02lx: only XCHG is decoded locked", opcode);
        return E_NOTSUP;
    }
    switch (opcode) {
    case 0xA2:
    case 0xA3: /* MOV moffs, AL/eAX/rAX: the offset is as wide as the address */
        if (!take(&c, address_bytes(mode, &p), &immediate))
            break;
        source_from_register(out, &(struct prefixes){ 0 }, 0, gpr);
        out->length_bytes = (unsigned)c.at;
        return 0;
    case 0x86:
    case 0x87:
    case 0x88:
    case 0x89:
    case 0xC6:
    case 0xC7: {
        if (!take(&c, 1, &modrm))
            break;
        int err = skip_memory_operand(&c, (uint8_t)modrm, address_bytes(mode, &p));
        if (err == E_INVAL) {
            format(why, why_bytes, "opcode 0x%02lx with a register operand (ModR/M 0x%02lx): not a store",
                   opcode, modrm);
            return E_INVAL;
        }
        if (err)
            break;
        unsigned reg = (unsigned)(modrm >> 3) & 7;
        if (opcode == 0xC6 || opcode == 0xC7) {
            if (reg != 0) {
                format(why, why_bytes, "opcode 0x%02lx /%u is not a MOV", opcode, reg);
                return E_INVAL;
            }
            /* An immediate of the operand size, but at most 4 bytes, sign-extended to 8 (SDM: "MOV"). */
            unsigned imm_bytes = out->size_bytes > 4 ? 4 : out->size_bytes;
            if (!take(&c, imm_bytes, &immediate))
                break;
            if (out->size_bytes == 8)
                immediate = (uint64_t)(int64_t)(int32_t)(uint32_t)immediate;
            out->value = truncate(immediate, out->size_bytes);
        } else {
            source_from_register(out, &p, reg, gpr);
            out->exchange = opcode == 0x86 || opcode == 0x87;
        }
        out->length_bytes = (unsigned)c.at;
        return 0;
    }
    default:
        format(why, why_bytes, "opcode 0x%02lx%s is not a store vmxroot decodes (MOV, XCHG)", opcode,
               opcode == 0x0F ? " (two-byte)" : "");
        return E_INVAL;
    }
    format(why, why_bytes, "the instruction is cut off after %zu bytes", c.at);
    return E_RANGE;
}

uint64_t mmio_store_exchange_register(const struct mmio_store *store, uint64_t register_value,
                                      uint64_t old_value)
{
    switch (store->size_bytes) {
    case 1:
        if (store->high_byte)
            return (register_value & ~0xFF00ull) | ((old_value & 0xFF) << 8);
        return (register_value & ~0xFFull) | (old_value & 0xFF);
    case 2:
        return (register_value & ~0xFFFFull) | (old_value & 0xFFFF);
    case 4:
        return old_value & 0xFFFFFFFFull;
    default:
        return old_value;
    }
}
