// expect-error: VMCS_EXIT_REASON is a read-only VM-exit information field
/* VMWRITE to a VM-exit information field is VM-instruction error 13: refused before it runs. */
#include "arch/x86/vmx/vmcs_fields.h"

struct vmx_outcome misuse(void);
struct vmx_outcome misuse(void) { return vmcs_write32(VMCS_EXIT_REASON, 0); }
