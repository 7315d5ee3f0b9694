/*
 * The generic vCPU: what exit handlers call on it (stop, inject an
 * exception, registers, guest RAM) and the EPT allocator its spaces use.
 * Building one is vcpu_create.c, entering and the exit loop vcpu_run.c.
 */
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/rflags.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "arch/x86/vmx/guest_report.h"
#include "core/lib/string.h"
#include "mm/frames.h"

#include <stdarg.h>

void vcpu_stop(struct vcpu *vcpu, enum status_vcpu_reason reason, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(vcpu->stop_reason, sizeof vcpu->stop_reason, fmt, args);
    va_end(args);
    vcpu->stop_status_reason = reason;
    __atomic_store_n(&vcpu->state, VCPU_STOPPED, __ATOMIC_RELEASE);
}

/* The failure of a VMREAD/VMWRITE on the exit path: cold, so the hot path keeps no buffers. */
void vcpu_field_access_failed(struct vcpu *vcpu, const char *insn, uint32_t encoding, uint64_t value)
{
    /* The error number is in the current VMCS unless there is none (VMfailInvalid). */
    uint64_t error = 0;
    struct vmx_outcome outcome = vmx_succeeded(vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &error))
                                     ? vmx_outcome_fail_valid((uint32_t)error)
                                     : vmx_outcome_fail_invalid();
    char text[VMX_OUTCOME_TEXT_BYTES];
    vmx_outcome_format(outcome, text, sizeof text);
    const char *name = vmcs_field_name(encoding);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_HANDLER_ERROR, "%s of %s (value 0x%lx) failed: %s", insn,
              name ? name : "a field", value, text);
}

/*
 * SDM: "VM-Entry Controls for Event Injection": vector, type 3 (hardware exception), error code, valid.
 * A fault delivered by the processor pushes RFLAGS with RF set (SDM Vol. 3: "Exception Classifications",
 * and RF in "System Flags and Fields in the EFLAGS Register"), but an injected event pushes the guest
 * RFLAGS field as it is, so a fault's RF is set there first, as KVM does (kvm-unit-tests' idt_test checks
 * it for the #GP of a MOV to CR4). #DB, #BP and #OF are traps, #DF and #MC aborts: they keep RFLAGS.
 */
void vcpu_inject_exception(struct vcpu *vcpu, uint32_t vector, bool has_error_code, uint32_t error_code)
{
    uint32_t info = (vector & 0xff) | (3u << 8) | (has_error_code ? 1u << 11 : 0) | (1u << 31);
    bool fault = vector != VECTOR_DEBUG && vector != VECTOR_BREAKPOINT && vector != VECTOR_OVERFLOW &&
                 vector != VECTOR_DOUBLE_FAULT && vector != VECTOR_MACHINE_CHECK;
    if (fault)
        vcpu_write_field(vcpu, VMCS_GUEST_RFLAGS, vcpu_read_field(vcpu, VMCS_GUEST_RFLAGS) | RFLAGS_RF);
    if (has_error_code)
        vcpu_write_field(vcpu, VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
    vcpu_write_field(vcpu, VMCS_VM_ENTRY_INTERRUPTION_INFO, info);
}

int vcpu_memory_alloc(struct vcpu *vcpu, uint64_t ram_gpa, uint64_t ram_bytes, char *why, size_t why_bytes)
{
    vcpu->ram_gpa = ram_gpa;
    vcpu->ram_bytes = ram_bytes;
    int err = frames_alloc(ram_bytes / PAGE_SIZE_BYTES, 0, &vcpu->ram_phys);
    if (!err)
        err = frames_alloc(2, 0, &vcpu->io_bitmap_phys);
    if (!err)
        err = frames_alloc(1, 0, &vcpu->msr_bitmap_phys);
    if (err) {
        format(why, why_bytes, "no memory for the guest (%s)", error_name(err));
        return err;
    }
    (void)guest_report->memory_range_add_cpu(STATUS_MEMORY_BITMAPS, vcpu->cpu_index, vcpu->io_bitmap_phys,
                                             2ull * PAGE_SIZE_BYTES);
    (void)guest_report->memory_range_add_cpu(STATUS_MEMORY_BITMAPS, vcpu->cpu_index, vcpu->msr_bitmap_phys,
                                             PAGE_SIZE_BYTES);
    return 0;
}

void *vcpu_guest_ram(struct vcpu *vcpu, uint64_t gpa, uint64_t size_bytes)
{
    if (gpa < vcpu->ram_gpa || size_bytes > vcpu->ram_bytes ||
        gpa - vcpu->ram_gpa > vcpu->ram_bytes - size_bytes)
        return NULL;
    return (void *)(uintptr_t)(vcpu->ram_phys + (gpa - vcpu->ram_gpa));
}

uint64_t vcpu_gpr(struct vcpu *vcpu, unsigned number)
{
    uint64_t *regs = &vcpu->regs.rax; /* rax, rcx, rdx, rbx, (rsp), rbp, rsi, rdi, r8.. in that order */
    switch (number & 15) {
    case 0:
        return vcpu->regs.rax;
    case 1:
        return vcpu->regs.rcx;
    case 2:
        return vcpu->regs.rdx;
    case 3:
        return vcpu->regs.rbx;
    case 4:
        return vcpu_read_field(vcpu, VMCS_GUEST_RSP);
    default:
        return regs[(number & 15) - 1]; /* rbp is index 4 in the struct, number 5 */
    }
}

void vcpu_set_gpr(struct vcpu *vcpu, unsigned number, uint64_t value)
{
    uint64_t *regs = &vcpu->regs.rax;
    switch (number & 15) {
    case 0:
        vcpu->regs.rax = value;
        break;
    case 1:
        vcpu->regs.rcx = value;
        break;
    case 2:
        vcpu->regs.rdx = value;
        break;
    case 3:
        vcpu->regs.rbx = value;
        break;
    case 4:
        vcpu_write_field(vcpu, VMCS_GUEST_RSP, value);
        break;
    default:
        regs[(number & 15) - 1] = value;
        break;
    }
}
_Static_assert(offsetof(struct vmx_guest_regs, rbp) == 4ul * 8 &&
                   offsetof(struct vmx_guest_regs, r15) == 14ul * 8,
               "vcpu_gpr: register numbers 5..15 are struct slots 4..14");

static int ept_alloc_page(void *ctx, struct ept_page *page)
{
    uint64_t phys;
    int err = frames_alloc(1, 0, &phys);
    if (err)
        return err;
    page->phys = phys;
    page->virt = (void *)(uintptr_t)phys;
    (void)guest_report->memory_range_add_cpu(STATUS_MEMORY_EPT, this_cpu_index(), phys, PAGE_SIZE_BYTES);
    return 0;
}
static void ept_free_page(void *ctx, struct ept_page page) { frames_free(page.phys, 1); }
static void *ept_phys_to_virt(void *ctx, uint64_t phys) { return (void *)(uintptr_t)phys; }
const struct ept_allocator vcpu_ept_allocator = { ept_alloc_page, ept_free_page, ept_phys_to_virt, NULL };
