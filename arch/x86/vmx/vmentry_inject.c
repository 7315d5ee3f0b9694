#include "arch/x86/vmx/vmentry_inject.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cr.h"
#include "core/lib/log.h"

#define NON_CANONICAL_ADDRESS 0x0000800000001000ull

/* What the processor gives for the broken field: a VM-instruction error, or a basic exit reason. */
struct entry_case {
    enum guest_fault id;
    uint32_t field;
    uint32_t vm_instruction_error; /* 7 controls, 8 host state; 0: an exit reason instead */
    uint32_t exit_reason;          /* 33 invalid guest state */
    bool bochs_checks;             /* false: Bochs 2.7 enters anyway (TESTBED.md) */
};

static const struct entry_case cases[] = {
    { GUEST_FAULT_VMENTRY_CONTROL_PIN, VMCS_PIN_BASED_VM_EXEC_CONTROL, 7, 0, true },
    { GUEST_FAULT_VMENTRY_CONTROL_CR3, VMCS_CR3_TARGET_COUNT, 7, 0, true },
    { GUEST_FAULT_VMENTRY_HOST_CR4, VMCS_HOST_CR4, 8, 0, true },
    { GUEST_FAULT_VMENTRY_HOST_RIP, VMCS_HOST_RIP, 8, 0, true },
    { GUEST_FAULT_VMENTRY_GUEST_CR0, VMCS_GUEST_CR0, 0, 33, true },
    { GUEST_FAULT_VMENTRY_GUEST_RFLAGS, VMCS_GUEST_RFLAGS, 0, 33, true },
    { GUEST_FAULT_VMENTRY_GUEST_LINK, VMCS_LINK_POINTER, 0, 33, true },
    { GUEST_FAULT_VMENTRY_GUEST_RIP, VMCS_GUEST_RIP, 0, 33, false },
};

static const struct entry_case *case_of(enum guest_fault c)
{
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (cases[i].id == c)
            return &cases[i];
    return NULL;
}

bool vmentry_inject_is_entry_case(enum guest_fault c) { return case_of(c) != NULL; }

enum vmcs_entry_mode vmentry_inject_mode(enum guest_fault c, enum vmcs_entry_mode mode)
{
    return c == GUEST_FAULT_VMENTRY_GUEST_RIP ? VMCS_ENTRY_LONG64 : mode;
}

static bool hits(const struct vcpu *vcpu)
{
    return case_of(vcpu->options->fault) && vcpu->cpu_index == vcpu->options->fault_cpu;
}

void vmentry_inject_apply(struct vcpu *vcpu)
{
    if (!hits(vcpu))
        return;
    struct vmcs_image *image = &vcpu->image;
    uint64_t value = 0;
    const struct entry_case *c = case_of(vcpu->options->fault);
    vmcs_image_get(image, c->field, &value);
    switch (c->id) {
    case GUEST_FAULT_VMENTRY_CONTROL_PIN: {
        /* The lowest bit the TRUE pin-based MSR requires at 1 (bit 1 on every Intel CPU), cleared. */
        uint64_t allowed = vmx_basic_true_controls(vmx_boot_caps()->basic)
                               ? vmx_boot_caps()->true_pinbased_ctls
                               : vmx_boot_caps()->pinbased_ctls;
        uint32_t required = (uint32_t)allowed;
        value &= required ? ~(uint64_t)(required & -required) : ~0ull;
        break;
    }
    case GUEST_FAULT_VMENTRY_CONTROL_CR3:
        value = 5; /* SDM: "The CR3-target count must not be greater than 4" */
        break;
    case GUEST_FAULT_VMENTRY_HOST_CR4:
        value &= ~CR4_VMXE;
        break;
    case GUEST_FAULT_VMENTRY_HOST_RIP:
    case GUEST_FAULT_VMENTRY_GUEST_RIP:
        value = NON_CANONICAL_ADDRESS;
        break;
    case GUEST_FAULT_VMENTRY_GUEST_CR0:
        value = (value | CR0_PG) & ~CR0_PE;
        break;
    case GUEST_FAULT_VMENTRY_GUEST_RFLAGS:
        value &= ~2ull; /* bit 1 is reserved at 1 */
        break;
    case GUEST_FAULT_VMENTRY_GUEST_LINK:
        value = 0x1000; /* a page that holds no VMCS */
        break;
    default:
        return;
    }
    vmcs_image_set(image, c->field, value);
    log_info("inject: %s: %s set to 0x%lx", vcpu->options->fault_name, vmcs_field_name(c->field), value);
}

void vmentry_inject_report(struct vcpu *vcpu)
{
    if (!hits(vcpu))
        return;
    const struct entry_case *c = case_of(vcpu->options->fault);
    const char *name = vcpu->options->fault_name;
    if (vcpu->options->vmentry_check) {
        bool named = vcpu->refused_by_check && vcpu->check_verdict_error == c->vm_instruction_error &&
                     (c->vm_instruction_error || vcpu->check_verdict_exit == c->exit_reason);
        log_info("inject: case=%s result=%s check='%s' expected=%s %u", name, named ? "PASS" : "FAIL",
                 vcpu->check_name[0] ? vcpu->check_name : "none", c->vm_instruction_error ? "error" : "exit",
                 c->vm_instruction_error ? c->vm_instruction_error : c->exit_reason);
        return;
    }
    if (!c->bochs_checks) {
        /* The processor is not expected to refuse: say what it did instead. */
        log_info("inject: case=%s result=PASS entered=%s then: %s", name, vcpu->launched ? "yes" : "no",
                 vcpu->stop_reason[0] ? vcpu->stop_reason : "no stop reason");
        return;
    }
    bool matched = c->vm_instruction_error ? vcpu->entry_vm_instruction_error == c->vm_instruction_error
                                           : vcpu->entry_failure_exit == c->exit_reason;
    log_info("inject: case=%s result=%s cpu_gave=%s %u expected=%s %u", name, matched ? "PASS" : "FAIL",
             vcpu->entry_vm_instruction_error ? "error" : "exit",
             vcpu->entry_vm_instruction_error ? vcpu->entry_vm_instruction_error : vcpu->entry_failure_exit,
             c->vm_instruction_error ? "error" : "exit",
             c->vm_instruction_error ? c->vm_instruction_error : c->exit_reason);
}
