/*
 * The kernel's side of the VMREAD/VMWRITE contract in vmx_outcome.h: the
 * width-checked accessors in vmcs_fields.h come down to these two.
 */
#include "arch/x86/vmx/vmx_insn.h"

struct vmx_outcome vmx_vmread(uint64_t field, uint64_t *value) { return vmx_vmread_raw(field, value); }

struct vmx_outcome vmx_vmwrite(uint64_t field, uint64_t value) { return vmx_vmwrite_raw(field, value); }
