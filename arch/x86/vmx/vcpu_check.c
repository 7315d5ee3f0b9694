/*
 * The software VM-entry check around a vCPU's entries. The check judges the
 * image vmxroot built (or, after an entry failure, the VMCS as the CPU holds
 * it, read back with vmcs_image_store), so a refusal or a failure is named
 * by the SDM check that it breaks, with the field and its value.
 */
#include "arch/x86/vmx/vcpu_check.h"
#include "arch/x86/vmx/vmentry_check.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cpuid.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"
#include "arch/x86/vmx/guest_report.h"
#include "mm/frames.h"

/* The checks read the link pointer's VMCS, MSR-load lists, PDPTEs: all of it identity mapped RAM. */
static int read_phys(void *ctx, uint64_t phys, void *buffer, size_t bytes)
{
    uint64_t end = frames_ram_end_phys();
    if (phys >= end || bytes > end - phys)
        return E_FAULT;
    memcpy(buffer, (const void *)(uintptr_t)phys, bytes);
    return 0;
}

static int run_check(const struct vmcs_image *image, struct vmentry_verdict *verdict)
{
    struct vmentry_check_input input = {
        .image = image,
        .caps = vmx_boot_caps(),
        .phys_address_width_bits = cpu_phys_addr_bits(),
        .cpu = NULL,
        .read_phys = read_phys,
        .msr_writable = NULL,
        .ctx = NULL,
    };
    return vmentry_check(&input, verdict);
}

int vcpu_check_before_entry(struct vcpu *vcpu)
{
    vcpu->recheck_entry = false;
    if (!vcpu->options->vmentry_check)
        return 0;
    struct vmentry_verdict verdict;
    if (vcpu->launched && vmcs_image_store(&vcpu->image) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_HANDLER_ERROR,
                  "the VMCS could not be read back for the software VM-entry check");
        return E_VMX;
    }
    if (run_check(&vcpu->image, &verdict) != 0 || verdict.class_ == VMENTRY_OK)
        return 0; /* an unreadable memory operand gives no verdict: the processor decides */
    const char *field = vmcs_field_name(verdict.field);
    vcpu->refused_by_check = true;
    vcpu->check_verdict_error = verdict.vm_instruction_error;
    vcpu->check_verdict_exit = verdict.exit_reason & 0xffff;
    format(vcpu->check_name, sizeof vcpu->check_name, "%s", verdict.check_name);
    bool vmfail = verdict.vm_instruction_error != 0;
    enum status_entry_failure_kind kind = vmfail ? STATUS_ENTRY_FAILURE_VMFAIL_VALID
                                          : verdict.class_ == VMENTRY_BAD_MSR_LOAD
                                              ? STATUS_ENTRY_FAILURE_MSR_LOADING
                                              : STATUS_ENTRY_FAILURE_INVALID_GUEST_STATE;
    guest_report->vcpu_entry_failure(
        vcpu->cpu_index, &(struct status_entry_failure){
                             .kind = kind,
                             .flags = STATUS_ENTRY_REFUSED_BY_CHECK | STATUS_ENTRY_NAMED_BY_CHECK,
                             .number = vmfail ? verdict.vm_instruction_error : verdict.exit_reason & 0xffff,
                             .field_encoding = verdict.field,
                             .value = verdict.value,
                             .name = verdict.check_name });
    vcpu_stop(vcpu, STATUS_VCPU_REASON_ENTRY_CHECK,
              "refused by the software VM-entry check: %s: %s (%s = 0x%lx), the CPU would give %s %u",
              vmentry_class_name(verdict.class_), verdict.check_name, field ? field : "no field",
              verdict.value, verdict.vm_instruction_error ? "VM-instruction error" : "exit reason",
              verdict.vm_instruction_error ? verdict.vm_instruction_error : verdict.exit_reason & 0xffff);
    return E_INVAL;
}

void vcpu_check_explain(struct vcpu *vcpu, char *text, size_t text_bytes)
{
    struct vmentry_verdict verdict;
    text[0] = '\0';
    if (vmcs_image_store(&vcpu->image) != 0 || run_check(&vcpu->image, &verdict) != 0 ||
        verdict.class_ == VMENTRY_OK) {
        format(text, text_bytes, "; the software check finds no broken rule");
        return;
    }
    const char *field = vmcs_field_name(verdict.field);
    format(vcpu->check_name, sizeof vcpu->check_name, "%s", verdict.check_name);
    format(text, text_bytes, "; software check: %s (%s = 0x%lx)", verdict.check_name,
           field ? field : "no field", verdict.value);
}
