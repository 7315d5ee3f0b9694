/*
 * The VM-exit interruption information (and IDT-vectoring information, the
 * same format; SDM: "Information for VM Exits Due to Vectored Events") and
 * the VM-exit instruction-information field of the VMX and invalidation
 * instructions (SDM: "Information for VM Exits Due to Instruction
 * Execution"). Declared in vmx_exit_qualification.h.
 */
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "core/lib/format.h"

static unsigned bits(uint32_t value, unsigned low, unsigned count)
{
    return (value >> low) & ((1u << count) - 1);
}

struct vmx_interruption_info vmx_interruption_info_decode(uint32_t info)
{
    return (struct vmx_interruption_info){
        .valid = bits(info, 31, 1) != 0,
        .vector = (uint8_t)bits(info, 0, 8),
        .type = (uint8_t)bits(info, 8, 3),
        .error_code_valid = bits(info, 11, 1) != 0,
        .nmi_unblocking = bits(info, 12, 1) != 0,
    };
}

const char *vmx_event_type_name(uint8_t type)
{
    static const char *const names[8] = {
        "external interrupt", "reserved",           "NMI",
        "hardware exception", "software interrupt", "privileged software exception",
        "software exception", "other event",
    };
    return type < ARRAY_SIZE(names) ? names[type] : "reserved";
}

const char *vmx_exception_mnemonic(uint8_t vector)
{
    /* SDM: "Exception and Interrupt Reference"; 9 and 15 are reserved. */
    static const char *const names[22] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", NULL,  "#TS",
        "#NP", "#SS", "#GP", "#PF", NULL,  "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    };
    return vector < ARRAY_SIZE(names) ? names[vector] : NULL;
}

int vmx_interruption_info_format(const struct vmx_interruption_info *i, uint32_t error_code, char *buf,
                                 size_t size_bytes)
{
    if (!i->valid)
        return format(buf, size_bytes, "none");
    bool exception = i->type == 3 || i->type == 5 || i->type == 6;
    const char *mnemonic = exception ? vmx_exception_mnemonic(i->vector) : NULL;
    char error_text[32] = "";
    if (i->error_code_valid)
        format(error_text, sizeof error_text, ", error code 0x%04x", error_code);
    return format(buf, size_bytes, "%s %s%svector %u%s%s", vmx_event_type_name(i->type),
                  mnemonic ? mnemonic : "", mnemonic ? " " : "", i->vector, error_text,
                  i->nmi_unblocking ? ", NMI unblocking due to IRET" : "");
}

struct vmx_instruction_info vmx_instruction_info_decode(uint32_t info)
{
    unsigned address_size = bits(info, 7, 3);
    return (struct vmx_instruction_info){
        .scale = (uint8_t)(1u << bits(info, 0, 2)),
        .reg1 = (uint8_t)bits(info, 3, 4),
        .address_size_bits = (uint8_t)(address_size <= 2 ? 16u << address_size : 0),
        .register_operand = bits(info, 10, 1) != 0,
        .segment = (uint8_t)bits(info, 15, 3),
        .index_reg = (uint8_t)bits(info, 18, 4),
        .index_valid = bits(info, 22, 1) == 0,
        .base_reg = (uint8_t)bits(info, 23, 4),
        .base_valid = bits(info, 27, 1) == 0,
        .reg2 = (uint8_t)bits(info, 28, 4),
    };
}

const char *vmx_segment_name(unsigned number)
{
    static const char *const names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    return number < ARRAY_SIZE(names) ? names[number] : "?";
}

/* "ds:[rax+rbx*8+0x10] (64-bit addresses)" */
static int memory_operand(const struct vmx_instruction_info *i, uint64_t displacement, char *buf,
                          size_t size_bytes)
{
    char index[16] = "";
    if (i->index_valid)
        format(index, sizeof index, "%s%s*%u", i->base_valid ? "+" : "", vmx_gpr_name(i->index_reg),
               i->scale);
    bool any_register = i->base_valid || i->index_valid;
    char disp[24] = "";
    if (displacement != 0 || !any_register)
        format(disp, sizeof disp, "%s0x%llx", any_register ? "+" : "", (unsigned long long)displacement);
    return format(buf, size_bytes, "%s:[%s%s%s] (%u-bit addresses)", vmx_segment_name(i->segment),
                  i->base_valid ? vmx_gpr_name(i->base_reg) : "", index, disp, i->address_size_bits);
}

int vmx_instruction_info_format(enum vmx_instruction_kind kind, const struct vmx_instruction_info *i,
                                uint64_t displacement, char *buf, size_t size_bytes)
{
    char operand[80];
    memory_operand(i, displacement, operand, sizeof operand);
    switch (kind) {
    case VMX_INSTRUCTION_INVALIDATE:
        return format(buf, size_bytes, "type in %s, descriptor at %s", vmx_gpr_name(i->reg2), operand);
    case VMX_INSTRUCTION_VMREAD_VMWRITE:
        if (i->register_operand)
            return format(buf, size_bytes, "field in %s, value in %s", vmx_gpr_name(i->reg2),
                          vmx_gpr_name(i->reg1));
        return format(buf, size_bytes, "field in %s, value at %s", vmx_gpr_name(i->reg2), operand);
    default:
        return format(buf, size_bytes, "operand at %s", operand);
    }
}
