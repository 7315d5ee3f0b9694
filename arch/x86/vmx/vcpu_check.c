#include "arch/x86/vmx/vcpu_check.h"

int vcpu_check_before_entry(struct vcpu *vcpu)
{
    vcpu->recheck_entry = false;
    return 0;
}

void vcpu_check_explain(struct vcpu *vcpu, char *text, size_t text_bytes) { text[0] = '\0'; }
