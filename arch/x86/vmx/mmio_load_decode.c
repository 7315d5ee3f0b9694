/*
 * The load decoder (mmio_load_decode.h): prefixes, REX, the opcode (one
 * byte, or 0F and one), the ModR/M addressing form only as far as its
 * length (mmio_insn_format.h), and the register the load writes.
 */
#include "arch/x86/vmx/mmio_load_decode.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

/* The register a ModR/M reg field names (or AL/eAX: reg 0 without REX.R) at the destination's width. */
static void destination(struct mmio_load *out, const struct mmio_prefixes *p, unsigned reg)
{
    if (out->dest_size_bytes == 1 && !p->rex && reg >= 4) { /* AH, CH, DH, BH without a REX */
        out->dest_register = reg - 4;
        out->high_byte = true;
        return;
    }
    out->dest_register = reg | ((p->rex & 0x04) ? 8u : 0u);
}

static int cut_off(const struct mmio_cursor *c, char *why, size_t why_bytes)
{
    format(why, why_bytes, "the instruction is cut off after %zu bytes", c->at);
    return E_RANGE;
}

int mmio_load_decode(const uint8_t *bytes, size_t available_bytes, enum mmio_code_mode mode,
                     struct mmio_load *out, char *why, size_t why_bytes)
{
    struct mmio_cursor c = { bytes, available_bytes, 0 };
    struct mmio_prefixes p = { 0 };
    uint64_t opcode, modrm, ignored;
    *out = (struct mmio_load){ 0 };
    if (!mmio_read_prefixes(&c, mode, &p) || !mmio_cursor_take(&c, 1, &opcode))
        return cut_off(&c, why, why_bytes);
    bool two_byte = opcode == 0x0F;
    if (two_byte && !mmio_cursor_take(&c, 1, &opcode))
        return cut_off(&c, why, why_bytes);
    if (p.repeat || p.lock) {
        format(why, why_bytes, "a %s-prefixed opcode %s0x%02lx: not a load vmxroot decodes",
               p.lock ? "LOCK" : "REP", two_byte ? "0x0f " : "", opcode);
        return E_NOTSUP;
    }
    unsigned operand = mmio_operand_bytes(mode, &p);
    if (!two_byte && (opcode == 0xA0 ||
                      opcode == 0xA1)) { /* MOV AL/eAX/rAX, moffs: the offset is as wide as the address */
        if (!mmio_cursor_take(&c, mmio_address_bytes(mode, &p), &ignored))
            return cut_off(&c, why, why_bytes);
        out->size_bytes = out->dest_size_bytes = opcode == 0xA0 ? 1 : operand;
        destination(out, &(struct mmio_prefixes){ 0 }, 0);
        out->length_bytes = (unsigned)c.at;
        return 0;
    }
    bool known = two_byte ? (opcode == 0xB6 || opcode == 0xB7 || opcode == 0xBE || opcode == 0xBF)
                          : (opcode == 0x8A || opcode == 0x8B);
    if (!known) {
        format(why, why_bytes, "opcode %s0x%02lx is not a load vmxroot decodes (MOV, MOVZX, MOVSX)",
               two_byte ? "0x0f " : "", opcode);
        return E_INVAL;
    }
    if (!mmio_cursor_take(&c, 1, &modrm))
        return cut_off(&c, why, why_bytes);
    int err = mmio_skip_memory_operand(&c, (uint8_t)modrm, mmio_address_bytes(mode, &p));
    if (err == E_INVAL) {
        format(why, why_bytes, "opcode %s0x%02lx with a register operand (ModR/M 0x%02lx): not a load",
               two_byte ? "0x0f " : "", opcode, modrm);
        return E_INVAL;
    }
    if (err)
        return cut_off(&c, why, why_bytes);
    if (two_byte) { /* SDM "MOVZX", "MOVSX": a byte (B6, BE) or a word (B7, BF) into the operand size */
        out->size_bytes = (opcode & 1) ? 2 : 1;
        out->dest_size_bytes = operand;
        out->sign_extend = opcode >= 0xBE;
    } else {
        out->size_bytes = out->dest_size_bytes = opcode == 0x8A ? 1 : operand;
    }
    destination(out, &p, (unsigned)(modrm >> 3) & 7);
    out->length_bytes = (unsigned)c.at;
    return 0;
}

uint64_t mmio_load_register_value(const struct mmio_load *load, uint64_t register_before, uint64_t loaded)
{
    uint64_t value = mmio_truncate(loaded, load->size_bytes);
    if (load->sign_extend && load->size_bytes < 8 && (value >> (8 * load->size_bytes - 1)) & 1)
        value |= ~0ull << (8 * load->size_bytes);
    value = mmio_truncate(value, load->dest_size_bytes);
    switch (load->dest_size_bytes) {
    case 1:
        if (load->high_byte)
            return (register_before & ~0xFF00ull) | (value << 8);
        return (register_before & ~0xFFull) | value;
    case 2:
        return (register_before & ~0xFFFFull) | value;
    default:
        return value; /* 4 bytes zero-extend into the register, 8 fill it */
    }
}
