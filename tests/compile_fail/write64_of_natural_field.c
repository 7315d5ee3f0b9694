// expect-error: VMCS_GUEST_RIP is not a 64-bit field
/* A natural-width field takes vmcs_write_natural, not vmcs_write64. */
#include "arch/x86/vmx/vmcs_fields.h"

struct vmx_outcome misuse(void);
struct vmx_outcome misuse(void) { return vmcs_write64(VMCS_GUEST_RIP, 0x1000); }
