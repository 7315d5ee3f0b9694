/* The instruction-format helpers of the MMIO decoders (mmio_insn_format.h). */
#include "arch/x86/vmx/mmio_insn_format.h"
#include "core/lib/error.h"

bool mmio_cursor_take(struct mmio_cursor *c, size_t count, uint64_t *value)
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

static bool is_legacy_prefix(uint8_t b)
{
    return b == 0x66 || b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E ||
           b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
}

/* A REX counts only right before the opcode. */
bool mmio_read_prefixes(struct mmio_cursor *c, enum mmio_code_mode mode, struct mmio_prefixes *p)
{
    uint64_t b;
    for (;;) {
        if (!mmio_cursor_take(c, 1, &b))
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

unsigned mmio_operand_bytes(enum mmio_code_mode mode, const struct mmio_prefixes *p)
{
    if (mode == MMIO_CODE_64 && (p->rex & 0x08))
        return 8;
    bool wide = mode != MMIO_CODE_16;
    return p->operand_size ? (wide ? 2 : 4) : (wide ? 4 : 2);
}

unsigned mmio_address_bytes(enum mmio_code_mode mode, const struct mmio_prefixes *p)
{
    if (mode == MMIO_CODE_64)
        return p->address_size ? 4 : 8;
    bool wide = mode == MMIO_CODE_32;
    return p->address_size ? (wide ? 2 : 4) : (wide ? 4 : 2);
}

int mmio_skip_memory_operand(struct mmio_cursor *c, uint8_t modrm, unsigned address_size_bytes)
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
            if (!mmio_cursor_take(c, 1, &ignored))
                return E_RANGE;
            if (mod == 0 && (ignored & 7) == 5) /* SIB base 101 with mod 00: disp32, no base */
                mod = 2;
        }
        displacement = mod == 1                            ? 1
                       : mod == 2 || (mod == 0 && rm == 5) ? 4
                                                           : 0; /* rm 101, mod 00: RIP/disp32 */
    }
    return displacement && !mmio_cursor_take(c, displacement, &ignored) ? E_RANGE : 0;
}

uint64_t mmio_truncate(uint64_t value, unsigned size_bytes)
{
    return size_bytes >= 8 ? value : value & ((1ull << (8 * size_bytes)) - 1);
}
