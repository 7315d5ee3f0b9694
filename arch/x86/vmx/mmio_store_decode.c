/*
 * The store decoder (mmio_store_decode.h): prefixes, REX, the opcode, the
 * ModR/M addressing form only as far as its length (mmio_insn_format.h),
 * then the immediate or register that is stored.
 */
#include "arch/x86/vmx/mmio_store_decode.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

/* The register a ModR/M reg field (or AL/eAX) names, as the store sees it. */
static void source_from_register(struct mmio_store *out, const struct mmio_prefixes *p, unsigned reg,
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
    out->value = mmio_truncate(gpr[number], out->size_bytes);
}

int mmio_store_decode(const uint8_t *bytes, size_t available_bytes, enum mmio_code_mode mode,
                      const uint64_t gpr[16], struct mmio_store *out, char *why, size_t why_bytes)
{
    struct mmio_cursor c = { bytes, available_bytes, 0 };
    struct mmio_prefixes p = { 0 };
    uint64_t opcode, modrm = 0, immediate;
    *out = (struct mmio_store){ 0 };
    if (!mmio_read_prefixes(&c, mode, &p) || !mmio_cursor_take(&c, 1, &opcode)) {
        format(why, why_bytes, "the instruction is cut off after %zu bytes", c.at);
        return E_RANGE;
    }
    bool byte_op = opcode == 0x88 || opcode == 0x86 || opcode == 0xC6 || opcode == 0xA2;
    out->size_bytes = byte_op ? 1 : mmio_operand_bytes(mode, &p);
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
        if (!mmio_cursor_take(&c, mmio_address_bytes(mode, &p), &immediate))
            break;
        source_from_register(out, &(struct mmio_prefixes){ 0 }, 0, gpr);
        out->length_bytes = (unsigned)c.at;
        return 0;
    case 0x86:
    case 0x87:
    case 0x88:
    case 0x89:
    case 0xC6:
    case 0xC7: {
        if (!mmio_cursor_take(&c, 1, &modrm))
            break;
        int err = mmio_skip_memory_operand(&c, (uint8_t)modrm, mmio_address_bytes(mode, &p));
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
            if (!mmio_cursor_take(&c, imm_bytes, &immediate))
                break;
            if (out->size_bytes == 8)
                immediate = (uint64_t)(int64_t)(int32_t)(uint32_t)immediate;
            out->value = mmio_truncate(immediate, out->size_bytes);
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
