// expect-error: ignoring return value
/* Every VMX wrapper is MUST_CHECK: an outcome nobody looks at is a compile error. */
#include "arch/x86/vmx/vmcs_fields.h"

void misuse(void);
void misuse(void) { vmcs_write_natural(VMCS_GUEST_RIP, 0x1000); }
