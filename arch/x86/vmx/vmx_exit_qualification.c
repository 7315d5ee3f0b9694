/*
 * Exit qualifications (SDM: "Exit Qualification for VM Exits"): control-
 * register accesses, MOV DR, I/O instructions, EPT violations, task
 * switches, APIC accesses and SIPIs, each decoded bit by bit as the SDM's
 * tables list them.
 */
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "core/lib/format.h"

static bool bit(uint64_t value, unsigned n) { return (value >> n) & 1; }
static unsigned bits(uint64_t value, unsigned low, unsigned count)
{
    return (unsigned)((value >> low) & ((1ull << count) - 1));
}

const char *vmx_gpr_name(unsigned number)
{
    static const char *const names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                           "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };
    return number < ARRAY_SIZE(names) ? names[number] : "?";
}

struct vmx_cr_access vmx_cr_access_decode(uint64_t qualification)
{
    return (struct vmx_cr_access){
        .cr = (uint8_t)bits(qualification, 0, 4),
        .type = (uint8_t)bits(qualification, 4, 2),
        .lmsw_memory = bit(qualification, 6),
        .gpr = (uint8_t)bits(qualification, 8, 4),
        .lmsw_data = (uint16_t)bits(qualification, 16, 16),
    };
}

int vmx_cr_access_format(const struct vmx_cr_access *a, char *buf, size_t size_bytes)
{
    switch (a->type) {
    case VMX_CR_MOV_TO:
        return format(buf, size_bytes, "mov cr%u <- %s", a->cr, vmx_gpr_name(a->gpr));
    case VMX_CR_MOV_FROM:
        return format(buf, size_bytes, "mov %s <- cr%u", vmx_gpr_name(a->gpr), a->cr);
    case VMX_CR_CLTS:
        return format(buf, size_bytes, "clts");
    default:
        return format(buf, size_bytes, "lmsw 0x%04x (%s)", a->lmsw_data,
                      a->lmsw_memory ? "memory" : "register");
    }
}

struct vmx_mov_dr vmx_mov_dr_decode(uint64_t qualification)
{
    return (struct vmx_mov_dr){
        .dr = (uint8_t)bits(qualification, 0, 3),
        .from_dr = bit(qualification, 4),
        .gpr = (uint8_t)bits(qualification, 8, 4),
    };
}

int vmx_mov_dr_format(const struct vmx_mov_dr *d, char *buf, size_t size_bytes)
{
    if (d->from_dr)
        return format(buf, size_bytes, "mov %s <- dr%u", vmx_gpr_name(d->gpr), d->dr);
    return format(buf, size_bytes, "mov dr%u <- %s", d->dr, vmx_gpr_name(d->gpr));
}

struct vmx_io vmx_io_decode(uint64_t qualification)
{
    unsigned size = bits(qualification, 0, 3);
    return (struct vmx_io){
        .size_bytes = (uint8_t)(size == 0 || size == 1 || size == 3 ? size + 1 : 0),
        .in = bit(qualification, 3),
        .string = bit(qualification, 4),
        .rep = bit(qualification, 5),
        .immediate = bit(qualification, 6),
        .port = (uint16_t)bits(qualification, 16, 16),
    };
}

int vmx_io_format(const struct vmx_io *io, char *buf, size_t size_bytes)
{
    return format(buf, size_bytes, "%s%s%s %u byte%s %s port 0x%x (%s)", io->rep ? "rep " : "",
                  io->in ? "in" : "out", io->string ? "s" : "", io->size_bytes,
                  io->size_bytes == 1 ? "" : "s", io->in ? "from" : "to", io->port,
                  io->immediate ? "immediate" : "dx");
}

struct vmx_ept_violation vmx_ept_violation_decode(uint64_t qualification)
{
    return (struct vmx_ept_violation){
        .read = bit(qualification, 0),
        .write = bit(qualification, 1),
        .fetch = bit(qualification, 2),
        .readable = bit(qualification, 3),
        .writable = bit(qualification, 4),
        .executable = bit(qualification, 5),
        .user_executable = bit(qualification, 6),
        .gla_valid = bit(qualification, 7),
        .gla_translation = bit(qualification, 8),
        .user_mode = bit(qualification, 9),
        .linear_writable = bit(qualification, 10),
        .linear_execute_disable = bit(qualification, 11),
        .nmi_unblocking = bit(qualification, 12),
        .shadow_stack = bit(qualification, 13),
        .supervisor_shadow_stack = bit(qualification, 14),
        .guest_paging_verification = bit(qualification, 15),
        .asynchronous = bit(qualification, 16),
    };
}

int vmx_ept_violation_format(const struct vmx_ept_violation *v, uint64_t gpa, uint64_t gla, char *buf,
                             size_t size_bytes)
{
    /* More than one access bit is possible: an instruction that reads and writes its operand. */
    const char *access = v->fetch              ? "fetch"
                         : v->write && v->read ? "read-write"
                         : v->write            ? "write"
                                               : "read";
    char gla_text[64] = "";
    if (v->gla_valid)
        format(gla_text, sizeof gla_text, ", gla 0x%llx (%s)", (unsigned long long)gla,
               v->gla_translation ? "translation" : "paging-structure access");
    return format(buf, size_bytes, "%s%s at gpa 0x%llx (entry allows %c%c%c)%s%s%s%s", access,
                  v->fetch && (v->read || v->write) ? "+data" : "", (unsigned long long)gpa,
                  v->readable ? 'r' : '-', v->writable ? 'w' : '-', v->executable ? 'x' : '-', gla_text,
                  v->nmi_unblocking ? ", NMI unblocking due to IRET" : "",
                  v->shadow_stack ? ", shadow stack" : "", v->asynchronous ? ", asynchronous" : "");
}

struct vmx_task_switch vmx_task_switch_decode(uint64_t qualification)
{
    return (struct vmx_task_switch){
        .tss_selector = (uint16_t)bits(qualification, 0, 16),
        .source = (uint8_t)bits(qualification, 30, 2),
    };
}

int vmx_task_switch_format(const struct vmx_task_switch *t, char *buf, size_t size_bytes)
{
    static const char *const sources[4] = { "call", "iret", "jmp", "task gate in IDT" };
    return format(buf, size_bytes, "task switch by %s to TSS selector 0x%04x", sources[t->source & 3],
                  t->tss_selector);
}

struct vmx_apic_access vmx_apic_access_decode(uint64_t qualification)
{
    return (struct vmx_apic_access){
        .offset = (uint16_t)bits(qualification, 0, 12),
        .type = (uint8_t)bits(qualification, 12, 4),
        .asynchronous = bit(qualification, 16),
    };
}

int vmx_apic_access_format(const struct vmx_apic_access *a, char *buf, size_t size_bytes)
{
    const char *async = a->asynchronous ? ", asynchronous" : "";
    switch (a->type) {
    case VMX_APIC_LINEAR_READ:
    case VMX_APIC_LINEAR_WRITE:
    case VMX_APIC_LINEAR_FETCH:
    case VMX_APIC_LINEAR_EVENT_DELIVERY: {
        static const char *const kinds[4] = { "read", "write", "fetch", "access during event delivery" };
        return format(buf, size_bytes, "linear %s at APIC offset 0x%03x%s", kinds[a->type], a->offset, async);
    }
    case VMX_APIC_PHYSICAL_EVENT_DELIVERY:
        return format(buf, size_bytes, "guest-physical access during event delivery%s", async);
    case VMX_APIC_PHYSICAL_FETCH:
        return format(buf, size_bytes,
                      "guest-physical access for an instruction fetch or during instruction execution%s",
                      async);
    default:
        return format(buf, size_bytes, "reserved access type %u%s", a->type, async);
    }
}

int vmx_exit_qualification_format(uint32_t basic_reason, uint64_t qualification, char *buf, size_t size_bytes)
{
    switch (basic_reason) {
    case VMX_EXIT_SIPI:
        return format(buf, size_bytes, "SIPI vector 0x%02x (start at 0x%x)", vmx_sipi_vector(qualification),
                      (unsigned)vmx_sipi_vector(qualification) << 12);
    case VMX_EXIT_APIC_ACCESS: {
        struct vmx_apic_access a = vmx_apic_access_decode(qualification);
        return vmx_apic_access_format(&a, buf, size_bytes);
    }
    case VMX_EXIT_TASK_SWITCH: {
        struct vmx_task_switch t = vmx_task_switch_decode(qualification);
        return vmx_task_switch_format(&t, buf, size_bytes);
    }
    case VMX_EXIT_CR_ACCESS: {
        struct vmx_cr_access a = vmx_cr_access_decode(qualification);
        return vmx_cr_access_format(&a, buf, size_bytes);
    }
    case VMX_EXIT_MOV_DR: {
        struct vmx_mov_dr d = vmx_mov_dr_decode(qualification);
        return vmx_mov_dr_format(&d, buf, size_bytes);
    }
    case VMX_EXIT_IO_INSTRUCTION: {
        struct vmx_io io = vmx_io_decode(qualification);
        return vmx_io_format(&io, buf, size_bytes);
    }
    case VMX_EXIT_EPT_VIOLATION: {
        struct vmx_ept_violation v = vmx_ept_violation_decode(qualification);
        const char *access = v.fetch ? "fetch" : v.write ? "write" : "read";
        return format(buf, size_bytes, "%s (entry allows %c%c%c)%s", access, v.readable ? 'r' : '-',
                      v.writable ? 'w' : '-', v.executable ? 'x' : '-', v.gla_valid ? ", gla valid" : "");
    }
    default:
        return format(buf, size_bytes, "0x%llx", (unsigned long long)qualification);
    }
}
