#include "arch/x86/vmx/vmcs_load.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

static COLD void report_failure(const char *insn, uint32_t encoding, uint64_t value,
                                struct vmx_outcome outcome)
{
    char text[VMX_OUTCOME_TEXT_BYTES];
    vmx_outcome_format(outcome, text, sizeof text);
    const char *name = vmcs_field_name(encoding);
    log_error("vmx: %s of %s (0x%x) = 0x%lx failed: %s", insn, name ? name : "unnamed field", encoding, value,
              text);
}

int vmcs_image_load(const struct vmcs_image *image)
{
    for (size_t i = 0; i < VMCS_IMAGE_FIELD_COUNT; i++) {
        const struct vmcs_image_field_info *field = vmcs_image_field(i);
        uint64_t value;
        if (!vmcs_image_is_set(image, field->encoding) || !vmcs_image_get(image, field->encoding, &value))
            continue;
        struct vmx_outcome outcome = vmx_vmwrite(field->encoding, value);
        if (!vmx_succeeded(outcome)) {
            report_failure("VMWRITE", field->encoding, value, outcome);
            return E_VMX;
        }
    }
    return 0;
}

int vmcs_image_store(struct vmcs_image *image)
{
    for (size_t i = 0; i < VMCS_IMAGE_FIELD_COUNT; i++) {
        const struct vmcs_image_field_info *field = vmcs_image_field(i);
        uint64_t value = 0;
        if (!vmcs_image_is_set(image, field->encoding))
            continue;
        struct vmx_outcome outcome = vmx_vmread(field->encoding, &value);
        if (!vmx_succeeded(outcome)) {
            report_failure("VMREAD", field->encoding, value, outcome);
            return E_VMX;
        }
        vmcs_image_set(image, field->encoding, value);
    }
    return 0;
}
